//! The response table's writers: each holds exactly what was put in,
//! escaped, with its line breaks, and an empty table is still a document.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use quick_xml::Reader as XmlReader;
use quick_xml::events::Event;

use super::*;
use crate::testing::{assert_parts_well_formed, part, part_names};

#[path = "../tests/response_sample/mod.rs"]
mod response_sample;

use response_sample::{BODIES, sample};

fn empty() -> ResponseTable {
    ResponseTable {
        rows: Vec::new(),
        anonymised: true,
        ..sample()
    }
}

/// What the DOCX and HTML tables show, cell by cell, paragraphs joined
/// with line feeds.
fn expected_cells(t: &ResponseTable) -> Vec<Vec<String>> {
    t.rows
        .iter()
        .map(|r| {
            let mut clause = r.clause.clone();
            if !r.quote.is_empty() {
                clause.push_str(&format!("\n「{}」", r.quote));
            }
            let mut comment = format!("【{}】{}", r.kind, r.comment.replace('\u{1}', ""));
            if !r.proposal.is_empty() {
                comment.push_str(&format!("\n【修正案】{}", r.proposal));
            }
            let disposition = if r.disposition.is_empty() {
                NO_DISPOSITION.to_string()
            } else {
                r.disposition.clone()
            };
            vec![
                r.number.to_string(),
                clause,
                respondents_summary(&r.respondents),
                comment,
                disposition,
                r.reason.clone(),
                r.comment_ids.join("\n"),
            ]
        })
        .collect()
}

// --- shared text ---------------------------------------------------------------------

#[test]
fn respondents_are_named_up_to_three_then_counted() {
    let names = |n: usize| -> Vec<String> { BODIES[..n].iter().map(|b| b.to_string()).collect() };
    assert_eq!(respondents_summary(&[]), "");
    assert_eq!(respondents_summary(&names(1)), "紫波町");
    assert_eq!(respondents_summary(&names(2)), "紫波町、盛岡市（計2件）");
    assert_eq!(
        respondents_summary(&names(3)),
        "紫波町、盛岡市、花巻市（計3件）"
    );
    assert_eq!(
        respondents_summary(&names(4)),
        "紫波町、盛岡市 ほか2団体（計4件）"
    );
    assert_eq!(
        respondents_summary(&names(14)),
        "紫波町、盛岡市 ほか12団体（計14件）"
    );
    // Two comments of one body: one name, two comments.
    let twice = vec!["遠野市".to_string(), "遠野市".to_string()];
    assert_eq!(respondents_summary(&twice), "遠野市（計2件）");
    // Four comments of three bodies are still named in full.
    let mut four = names(3);
    four.push("紫波町".to_string());
    assert_eq!(
        respondents_summary(&four),
        "紫波町、盛岡市、花巻市（計4件）"
    );
}

#[test]
fn heading_and_note_name_the_consultation_and_count() {
    let t = sample();
    assert_eq!(
        heading(&t),
        "「ガイドライン改定案に対する意見照会」に寄せられた意見と対応"
    );
    assert_eq!(
        notes(&t),
        [
            "意見照会: R8-1　対象: R8-draft（第3版）　作成日: 令和8年12月6日",
            "寄せられた意見: 17件（同趣旨の意見をまとめ、3項目に整理）",
        ]
    );
    let e = empty();
    assert_eq!(notes(&e)[1], "寄せられた意見: 0件");
    assert_eq!(notes(&e)[2], ANONYMISED_NOTE);
    let untitled = ResponseTable {
        title: " ".to_string(),
        ..empty()
    };
    assert_eq!(heading(&untitled), "意見と対応");
}

#[test]
fn docx_columns_fill_the_page_width() {
    assert_eq!(
        COLUMNS.iter().map(|c| c.1).sum::<u32>(),
        crate::table::docx::TEXT_WIDTH
    );
}

// --- DOCX ----------------------------------------------------------------------------

/// A table row of the document as read back.
#[derive(Debug, Default)]
struct ReadRow {
    /// Marked to repeat at the top of each page.
    header: bool,
    /// Marked to stay on one page.
    unsplit: bool,
    /// Each cell's paragraphs, joined with line feeds.
    cells: Vec<String>,
}

/// What document.xml holds, read strictly: the paragraphs outside the
/// table and the table's rows.
fn read_document(xml: &str) -> (Vec<String>, Vec<ReadRow>) {
    let mut reader = XmlReader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut paragraphs, mut rows) = (Vec::new(), Vec::<ReadRow>::new());
    let (mut in_table, mut in_text) = (false, false);
    let mut paragraph = String::new();
    let mut cell: Vec<String> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => match e.name().as_ref() {
                b"w:tbl" => in_table = true,
                b"w:tr" => rows.push(ReadRow::default()),
                b"w:tc" => cell.clear(),
                b"w:p" => paragraph.clear(),
                b"w:t" => in_text = true,
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                b"w:tblHeader" => rows.last_mut().expect("a row").header = true,
                b"w:cantSplit" => rows.last_mut().expect("a row").unsplit = true,
                b"w:p" if in_table => cell.push(String::new()),
                b"w:p" => paragraphs.push(String::new()),
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"w:tbl" => in_table = false,
                b"w:tc" => rows.last_mut().expect("a row").cells.push(cell.join("\n")),
                b"w:p" if in_table => cell.push(std::mem::take(&mut paragraph)),
                b"w:p" => paragraphs.push(std::mem::take(&mut paragraph)),
                b"w:t" => in_text = false,
                _ => {}
            },
            Event::Text(t) if in_text => paragraph.push_str(&t.unescape().expect("escapes")),
            Event::Eof => break,
            _ => {}
        }
    }
    (paragraphs, rows)
}

#[test]
fn docx_holds_every_cell_as_given() {
    let t = sample();
    let xml = part(&docx(&t), "word/document.xml");
    let (paragraphs, rows) = read_document(&xml);
    assert_eq!(paragraphs[0], heading(&t));
    assert_eq!(paragraphs[1..3], notes(&t)[..]);
    assert!(!paragraphs.contains(&ANONYMISED_NOTE.to_string()));
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    assert_eq!(rows[0].cells, header);
    assert!(rows[0].header, "the header row repeats on every page");
    assert!(rows[1..].iter().all(|r| !r.header));
    let body: Vec<Vec<String>> = rows[1..].iter().map(|r| r.cells.clone()).collect();
    assert_eq!(body, expected_cells(&t));
    assert!(xml.contains(r#"w:orient="landscape""#));
}

#[test]
fn docx_keeps_short_rows_on_one_page_and_lets_long_ones_break() {
    let mut t = sample();
    t.rows[2].comment_ids = (0..40).map(|i| format!("R8-1-{:04}", 500 + i)).collect();
    t.rows[1].reason = "理由。\n".repeat(25);
    let (_, rows) = read_document(&part(&docx(&t), "word/document.xml"));
    let unsplit: Vec<bool> = rows.iter().map(|r| r.unsplit).collect();
    assert_eq!(unsplit, [true, true, false, false]);
    // Just below and just above the limit, in the widest column.
    let row = |lines: usize| ResponseRow {
        reason: "理由。\n".repeat(lines - 1) + "理由。",
        ..ResponseRow::default()
    };
    let lines = |r: &ResponseRow| docx_lines(&cells(r, &owned_texts(r)));
    assert_eq!(lines(&row(UNSPLIT_LINES)), UNSPLIT_LINES);
    assert_eq!(lines(&row(UNSPLIT_LINES + 1)), UNSPLIT_LINES + 1);
    // A long line wraps: 意見の概要 holds 34 half-widths, 17 kanji a line.
    let long = ResponseRow {
        comment: "字".repeat(17 * 3 - 4),
        kind: "意見".to_string(),
        ..ResponseRow::default()
    };
    assert_eq!(lines(&long), 3);
}

#[test]
fn docx_escapes_markup_and_keeps_line_breaks_as_paragraphs() {
    let xml = part(&docx(&sample()), "word/document.xml");
    assert!(xml.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert!(xml.contains("株式会社A&amp;B"));
    assert!(xml.contains("&apos;そのまま&apos;"));
    assert!(!xml.contains("<script>"));
    assert!(!xml.contains('\u{1}'), "control characters are dropped");
    // The two-line reason is two paragraphs, not one with a raw line feed.
    assert!(xml.contains("追記しました。</w:t></w:r></w:p><w:p>"));
    assert!(!xml.contains("しました。\n"));
}

#[test]
fn docx_parts_are_well_formed_and_name_the_table() {
    let bytes = docx(&sample());
    assert!(part_names(&bytes).iter().any(|n| n == "word/footer1.xml"));
    assert_parts_well_formed(&bytes);
    let core = part(&bytes, "docProps/core.xml");
    assert!(core.contains(
        "<dc:title>「ガイドライン改定案に対する意見照会」に寄せられた意見と対応</dc:title>"
    ));
    assert!(core.contains("<dc:subject>R8-1 R8-draft（第3版）</dc:subject>"));
}

#[test]
fn empty_docx_has_the_header_and_says_there_are_no_comments() {
    let t = empty();
    let (paragraphs, rows) = read_document(&part(&docx(&t), "word/document.xml"));
    assert!(paragraphs.contains(&ANONYMISED_NOTE.to_string()));
    assert_eq!(rows.len(), 2);
    assert!(rows[0].header);
    assert_eq!(rows[1].cells, [NO_COMMENTS]);
}

// --- HTML ----------------------------------------------------------------------------

/// Undoes [`escape`].
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The body rows' cells, tags stripped, paragraphs joined with line feeds.
fn html_cells(html: &str) -> Vec<Vec<String>> {
    let tbody = html
        .split("<tbody>\n")
        .nth(1)
        .and_then(|s| s.split("</tbody>").next())
        .expect("a tbody");
    tbody
        .split("</tr>")
        .filter(|tr| tr.contains("<td"))
        .map(|tr| {
            tr.split("<td")
                .skip(1)
                .map(|td| {
                    let inner = &td[td.find('>').expect("a tag") + 1..];
                    let inner = inner.split("</td>").next().expect("a cell");
                    let paras: Vec<String> = inner
                        .split("<p>")
                        .skip(1)
                        .map(|p| {
                            let p = p.trim_end_matches("</p>");
                            unescape(&p.replace("<b>", "").replace("</b>", ""))
                        })
                        .collect();
                    if paras.is_empty() {
                        unescape(inner)
                    } else {
                        paras.join("\n")
                    }
                })
                .collect()
        })
        .collect()
}

#[test]
fn html_holds_every_cell_as_given() {
    let t = sample();
    let page = html(&t);
    assert!(
        page.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">")
    );
    assert!(page.contains(&format!("<title>{}</title>", heading(&t))));
    assert!(page.contains(&format!("<h1>{}</h1>", heading(&t))));
    for line in notes(&t) {
        assert!(page.contains(&format!("<p class=\"note\">{line}</p>")));
    }
    assert!(page.contains("<caption>意見と対応（3項目）</caption>"));
    let header: String = COLUMNS
        .iter()
        .map(|c| format!("<th scope=\"col\">{}</th>", c.0))
        .collect();
    assert!(page.contains(&format!("<thead>\n<tr>{header}</tr>\n</thead>")));
    assert_eq!(html_cells(&page), expected_cells(&t));
}

#[test]
fn html_escapes_markup_keeps_line_breaks_and_is_self_contained() {
    let page = html(&sample());
    assert!(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert!(page.contains("&#39;そのまま&#39;"));
    assert!(page.contains("(2) &lt;アクセス制御&gt;"));
    assert!(!page.contains("<script"), "no scripts at all");
    assert!(!page.contains('\u{1}'));
    for external in ["src=", "href=", "@import", "url("] {
        assert!(
            !page.contains(external),
            "{external}: nothing from elsewhere"
        );
    }
    // Line breaks are kept as they are, and shown (pre-wrap).
    assert!(page.contains("追記しました。\n新規採用職員"));
    assert!(page.contains("white-space: pre-wrap"));
    assert!(page.contains("@page { size: A4 landscape"));
    assert!(page.contains("thead { display: table-header-group; }"));
}

#[test]
fn empty_html_has_the_header_and_says_there_are_no_comments() {
    let page = html(&empty());
    assert!(page.contains("<thead>"));
    assert!(page.contains(&format!(
        "<td class=\"empty\" colspan=\"7\">{NO_COMMENTS}</td>"
    )));
    assert!(page.contains(ANONYMISED_NOTE));
    assert!(page.contains("<caption>意見と対応（0項目）</caption>"));
}

// --- XLSX ----------------------------------------------------------------------------

/// A sheet's cells as text, row by row (numbers as Excel shows them).
fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("a workbook");
    let range = book.worksheet_range(name).expect(name);
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

#[test]
fn xlsx_has_one_row_per_response_with_every_field() {
    let t = sample();
    let bytes = xlsx(&t).expect("a workbook");
    let rows = sheet(&bytes, SHEET);
    assert_eq!(rows[0][0], heading(&t));
    assert_eq!(rows[1][0], notes(&t).join("　"));
    let header: Vec<&str> = XLSX_COLUMNS.iter().map(|c| c.0).collect();
    assert_eq!(rows[HEADER_ROW as usize], header);
    let body: Vec<Vec<String>> = rows[HEADER_ROW as usize + 1..].to_vec();
    let expected: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            vec![
                r.number.to_string(),
                r.clause.clone(),
                r.quote.clone(),
                respondents_summary(&r.respondents),
                r.respondents.join("、"),
                r.comment_ids.len().to_string(),
                r.kind.clone(),
                r.comment.replace('\u{1}', ""),
                r.proposal.clone(),
                r.disposition.clone(),
                r.reason.clone(),
                r.comment_ids.join("\n"),
            ]
        })
        .collect();
    assert_eq!(body, expected);
    // Every respondent of the cluster, not only the summary.
    assert!(body[0][4].contains("岩手町"));
}

#[test]
fn xlsx_lists_every_comment_on_its_own_sheet() {
    let t = sample();
    let rows = sheet(&xlsx(&t).expect("a workbook"), COMMENTS_SHEET);
    let header: Vec<&str> = COMMENT_COLUMNS.iter().map(|c| c.0).collect();
    assert_eq!(rows[0], header);
    assert_eq!(rows.len(), 1 + t.comment_count());
    let expected: Vec<Vec<String>> = t
        .rows
        .iter()
        .flat_map(|r| {
            r.comment_ids.iter().zip(&r.respondents).map(|(id, who)| {
                vec![
                    id.clone(),
                    who.clone(),
                    r.number.to_string(),
                    r.clause.clone(),
                    r.disposition.clone(),
                ]
            })
        })
        .collect();
    assert_eq!(rows[1..], expected[..]);
    assert_eq!(
        rows[15],
        [
            "R8-1-0107",
            "株式会社A&B",
            "2",
            t.rows[1].clause.as_str(),
            "不反映"
        ]
    );
}

#[test]
fn xlsx_sheets_are_frozen_filtered_and_wrapped() {
    let bytes = xlsx(&sample()).expect("a workbook");
    let first = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(first.contains("<autoFilter ref=\"A4:L7\"/>"), "{first}");
    assert!(first.contains("topLeftCell=\"A5\""));
    assert!(first.contains("state=\"frozen\""));
    let second = part(&bytes, "xl/worksheets/sheet2.xml");
    assert!(second.contains("<autoFilter ref=\"A1:E18\"/>"));
    assert!(second.contains("state=\"frozen\""));
    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains("wrapText=\"1\""));
    // The two-line reason's row is taller than one line.
    assert!(first.contains("<row r=\"5\"") && first.contains("customHeight=\"1\""));
}

#[test]
fn empty_xlsx_is_still_a_workbook_with_both_headers() {
    let bytes = xlsx(&empty()).expect("a workbook");
    let rows = sheet(&bytes, SHEET);
    assert_eq!(rows.len(), HEADER_ROW as usize + 1);
    assert!(rows[1][0].ends_with(ANONYMISED_NOTE));
    assert_eq!(sheet(&bytes, COMMENTS_SHEET).len(), 1);
}
