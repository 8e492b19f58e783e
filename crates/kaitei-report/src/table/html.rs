//! The comparison table (新旧対照表) as a self-contained HTML page.
//!
//! One file with inline CSS and nothing else — no scripts, fonts or images
//! from elsewhere — so it can be mailed, archived and opened offline, and
//! it prints like the Word version: A4 landscape, the header row repeated
//! on every page (`thead`), rows kept whole where they fit.

use kaitei_compare::Comparison;
use kaitei_compare::view::{Cell, FOLDED_MARK, HEADER_NOTE, Line, Segment};

use super::TableOptions;
use super::{SideCell, column_headers, editions_line, sides, table_title};

/// Deeper nodes are not indented further (as in the Word table).
const MAX_INDENT_DEPTH: usize = 6;

/// The page as every self-contained report prints it: A4 landscape,
/// Mincho first for the body, as in print (Noto for Linux), Gothic for the
/// title.
pub(crate) const PAGE_STYLE: &str = r#"@page { size: A4 landscape; margin: 15mm; }
:root { color: #000; background: #fff; }
body { margin: 0 auto; padding: 1rem; max-width: 267mm;
  font-family: "游明朝", "Yu Mincho", YuMincho, "Hiragino Mincho ProN", "ヒラギノ明朝 ProN", "ＭＳ 明朝", "MS Mincho", "Noto Serif CJK JP", "Noto Serif JP", "IPAexMincho", serif;
  font-size: 10.5pt; line-height: 1.6; }
h1 { font-family: "游ゴシック", "Yu Gothic", YuGothic, "Hiragino Sans", "ヒラギノ角ゴ ProN", "ＭＳ ゴシック", "Noto Sans CJK JP", "Noto Sans JP", sans-serif;
  font-size: 14pt; text-align: center; margin: 0; }
@media print { body { padding: 0; max-width: none; } }
"#;

/// The table's own style, after [`PAGE_STYLE`]. `underline double` marks
/// moved or renumbered labels; `u` is one line.
const STYLE: &str = r#".editions { text-align: center; margin: 0.2em 0 0.5em; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; border: 1.5px solid #000; }
caption { caption-side: top; text-align: right; padding-bottom: 0.2em; }
col { width: 50%; }
th, td { border-left: 1.5px solid #000; border-right: 1.5px solid #000; padding: 1mm 2mm; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
td { border-top: 0.5px solid #a6a6a6; }
thead th { background: #e7e6e6; text-align: center; border-bottom: 1.5px solid #000; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
p { margin: 0; padding-left: calc(var(--d, 0) * 1em + 1em); }
p.lead { text-indent: -1em; }
p.more { text-indent: 1em; }
.heading { font-weight: bold; }
u { text-decoration: underline; text-underline-offset: 0.15em; }
.marked { text-decoration: underline double; text-underline-offset: 0.15em; }
.context { color: #595959; font-size: 8pt; }
.d1 { --d: 1; } .d2 { --d: 2; } .d3 { --d: 3; } .d4 { --d: 4; } .d5 { --d: 5; } .d6 { --d: 6; }
"#;

/// The style of the table inside another page (the web application's
/// frame): the same rules, scoped to `.shinkyu` so they leave the page's
/// own alone.
const FRAGMENT_STYLE: &str = r#".shinkyu { font-family: "游明朝", "Yu Mincho", YuMincho, "Hiragino Mincho ProN", "Noto Serif CJK JP", "Noto Serif JP", serif; font-size: 10.5pt; line-height: 1.6; }
.shinkyu .editions { text-align: center; margin: 0.2em 0 0.5em; }
.shinkyu table { width: 100%; border-collapse: collapse; table-layout: fixed; border: 1.5px solid #000; }
.shinkyu caption { caption-side: top; text-align: right; padding-bottom: 0.2em; }
.shinkyu col { width: 50%; }
.shinkyu th, .shinkyu td { border-left: 1.5px solid #000; border-right: 1.5px solid #000; padding: 1mm 2mm; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
.shinkyu td { border-top: 0.5px solid #a6a6a6; }
.shinkyu thead th { background: #e7e6e6; text-align: center; border-bottom: 1.5px solid #000; }
.shinkyu p { margin: 0; padding-left: calc(var(--d, 0) * 1em + 1em); }
.shinkyu p.lead { text-indent: -1em; }
.shinkyu p.more { text-indent: 1em; }
.shinkyu .heading { font-weight: bold; }
.shinkyu u { text-decoration: underline; text-underline-offset: 0.15em; }
.shinkyu .marked { text-decoration: underline double; text-underline-offset: 0.15em; }
.shinkyu .context { color: #595959; font-size: 8pt; }
.shinkyu .d1 { --d: 1; } .shinkyu .d2 { --d: 2; } .shinkyu .d3 { --d: 3; } .shinkyu .d4 { --d: 4; } .shinkyu .d5 { --d: 5; } .shinkyu .d6 { --d: 6; }
"#;

/// The table alone, with its scoped style, to place inside another page
/// (the web application shows it in its frame; the file stays
/// [`to_html`]).
pub fn to_html_fragment(cmp: &Comparison, lines: &[Line], options: &TableOptions) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "<style>\n{FRAGMENT_STYLE}</style>\n<div class=\"shinkyu\">\n"
    ));
    out.push_str(&format!(
        "<p class=\"editions\">{}</p>\n",
        escape(&editions_line(cmp, options.columns))
    ));
    table(&mut out, lines, options);
    out.push_str("</div>\n");
    out
}

/// Writes the table as an HTML page.
pub fn to_html(cmp: &Comparison, lines: &[Line], options: &TableOptions) -> String {
    let mut out = page_start(&table_title(cmp), STYLE);
    out.push_str(&format!(
        "<p class=\"editions\">{}</p>\n",
        escape(&editions_line(cmp, options.columns))
    ));
    table(&mut out, lines, options);
    out.push_str(PAGE_END);
    out
}

/// The start of a self-contained page: UTF-8, Japanese, titled `title`
/// (as the page's title and its `h1`), styled by [`PAGE_STYLE`] then
/// `style`; the page goes on inside `main` and ends with [`PAGE_END`].
pub(crate) fn page_start(title: &str, style: &str) -> String {
    let title = escape(title);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{title}</title>\n"));
    out.push_str(&format!(
        "<style>\n{PAGE_STYLE}{style}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n"
    ));
    out
}

/// The end of a page begun by [`page_start`].
pub(crate) const PAGE_END: &str = "</main>\n</body>\n</html>\n";

/// Escapes text for HTML content and quoted attributes, dropping control
/// characters (HTML forbids them, and a NUL would end the page for some
/// readers).
pub(crate) fn escape(s: &str) -> String {
    super::escape_markup(s, "&#39;")
}

/// The table. The header note is its caption, so a screen reader announces
/// what the underlines mean before reading the rows.
fn table(out: &mut String, lines: &[Line], options: &TableOptions) {
    out.push_str("<table>\n");
    out.push_str(&format!("<caption>{}</caption>\n", escape(HEADER_NOTE)));
    out.push_str("<colgroup><col><col></colgroup>\n<thead>\n<tr>");
    for word in column_headers(options.columns) {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(word)));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    let mut after_fold = false;
    for line in lines {
        match line {
            Line::Folded(_) => {
                let cell = format!("<td><p class=\"lead\">{FOLDED_MARK}</p></td>");
                out.push_str(&format!("<tr class=\"folded\">{cell}{cell}</tr>\n"));
            }
            Line::Row { old, new, .. } => {
                let depth = old.as_ref().or(new.as_ref()).map_or(0, |c| c.depth);
                out.push_str("<tr>");
                for side in sides(options.columns, old.as_deref(), new.as_deref()) {
                    out.push_str("<td>");
                    side_content(out, side, depth, after_fold);
                    out.push_str("</td>");
                }
                out.push_str("</tr>\n");
            }
        }
        after_fold = matches!(line, Line::Folded(_));
    }
    out.push_str("</tbody>\n</table>\n");
}

/// One side of a row: the node, or the mark standing in for a missing one.
fn side_content(out: &mut String, (cell, missing): SideCell, depth: usize, after_fold: bool) {
    match cell {
        Some(cell) => node(out, cell, after_fold),
        None => out.push_str(&format!(
            "<p class=\"lead{}\">{}</p>",
            depth_class(depth),
            escape(missing)
        )),
    }
}

/// ` dN` for indentation by depth (none at the top, capped).
fn depth_class(depth: usize) -> String {
    match depth.min(MAX_INDENT_DEPTH) {
        0 => String::new(),
        d => format!(" d{d}"),
    }
}

/// A node as it reads: `label　title` (or `label　first paragraph`), its
/// other paragraphs, then its commentary; after （略）, first the labels of
/// its ancestors, since the headings that said where we are were folded.
fn node(out: &mut String, cell: &Cell, after_fold: bool) {
    let d = depth_class(cell.depth);
    if after_fold && !cell.context.is_empty() {
        out.push_str(&format!(
            "<p class=\"context{d}\">{}</p>",
            escape(&cell.context)
        ));
    }
    let (lead, rest) = match cell.paragraphs.split_first() {
        Some((first, rest)) if cell.title.is_empty() => (first.as_slice(), rest),
        _ => (cell.title.as_slice(), cell.paragraphs.as_slice()),
    };
    let heading = if cell.heading { " heading" } else { "" };
    out.push_str(&format!("<p class=\"lead{heading}{d}\">"));
    if !cell.label.is_empty() {
        if cell.label_marked {
            out.push_str(&format!(
                "<span class=\"marked\">{}</span>",
                escape(&cell.label)
            ));
        } else {
            out.push_str(&escape(&cell.label));
        }
        if !lead.is_empty() {
            out.push('\u{3000}');
        }
    }
    segments(out, lead);
    out.push_str("</p>");
    for p in rest {
        out.push_str(&format!("<p class=\"more{d}\">"));
        segments(out, p);
        out.push_str("</p>");
    }
    for p in &cell.commentary {
        out.push_str(&format!("<p class=\"commentary{d}\">（解説）"));
        segments(out, p);
        out.push_str("</p>");
    }
    if !cell.citations.is_empty() {
        out.push_str(&format!(
            "<p class=\"cited{d}\">{}</p>",
            escape(&super::citation_line(&cell.citations))
        ));
    }
}

/// Segments of text, the changed ones underlined.
fn segments(out: &mut String, segments: &[Segment]) {
    for s in segments {
        if s.underline {
            out.push_str(&format!("<u>{}</u>", escape(&s.text)));
        } else {
            out.push_str(&escape(&s.text));
        }
    }
}

#[cfg(test)]
mod tests {
    use kaitei_compare::view::{DELETED_MARK, NEW_MARK, lay_out};
    use kaitei_compare::{KeyUse, compare};

    use super::*;
    use crate::table::Columns;
    use crate::table::samples::{NEW, OLD};
    use kaitei_format::authoring::parse;

    fn sample_html(columns: Columns) -> String {
        let (old, new) = (parse(OLD).document, parse(NEW).document);
        let cmp = compare(&old, &new, KeyUse::Pinned);
        to_html(&cmp, &lay_out(&cmp, 0), &TableOptions { columns })
    }

    #[test]
    fn page_has_marks_note_and_print_set_up() {
        let html = sample_html(Columns::NewOld);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
        for mark in [NEW_MARK, DELETED_MARK, FOLDED_MARK, HEADER_NOTE, "（解説）"] {
            assert!(html.contains(mark), "{mark} missing");
        }
        assert!(html.contains("@page { size: A4 landscape; margin: 15mm; }"));
        assert!(html.contains("<thead>"));
        assert!(html.contains("<th scope=\"col\">改正後</th><th scope=\"col\">改正前</th>"));
        assert!(html.contains("<caption>（傍線部分は改正部分）</caption>"));
        assert!(html.contains("<title>「テスト用ガイドライン」新旧対照表</title>"));
    }

    #[test]
    fn document_text_is_escaped_and_page_is_self_contained() {
        let html = sample_html(Columns::NewOld);
        assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
        assert!(html.contains("情報資産 &amp; 記録媒体"));
        assert!(!html.contains("<script"), "no scripts at all");
        for external in ["src=", "href=", "@import", "url("] {
            assert!(
                !html.contains(external),
                "{external}: nothing from elsewhere"
            );
        }
    }

    #[test]
    fn changes_are_underlined_and_renumbered_labels_doubly() {
        let html = sample_html(Columns::NewOld);
        let underlined: Vec<&str> = html
            .split("<u>")
            .skip(1)
            .filter_map(|s| s.split("</u>").next())
            .collect();
        assert!(
            underlined.iter().any(|u| u.contains("入退室")),
            "{underlined:?}"
        );
        assert!(underlined.iter().any(|u| u.contains("施錠")));
        assert!(!underlined.iter().any(|u| u.contains("サーバは")));
        assert!(html.contains("text-decoration: underline double"));
        assert!(html.contains("<span class=\"marked\">(2)</span>"));
        assert!(html.contains("<span class=\"marked\">(3)</span>"));
    }

    #[test]
    fn columns_follow_the_option() {
        let html = sample_html(Columns::OldNew);
        assert!(html.contains("<th scope=\"col\">改正前</th><th scope=\"col\">改正後</th>"));
        let row = html
            .lines()
            .find(|l| l.contains("新たに設ける"))
            .expect("the new node's row");
        assert!(
            row.find(NEW_MARK) < row.find("新たに設ける"),
            "（新設） on the left: {row}"
        );
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(escape("a\u{0}b\u{7}'"), "ab&#39;");
    }
}
