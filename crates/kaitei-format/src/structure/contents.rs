//! The table of contents (目次) as read, and its check against the body.
//!
//! A `目次` paragraph and the entries after it — labels with titles and
//! article ranges such as `（第1条―第10条）`, `(第12条・第13条)`,
//! `(第1条~第2条)` — up to the body's first heading are the table of
//! contents, not nodes. The body's first heading is the first paragraph
//! that is not an entry, a `#` heading, the paragraph after the `附則`
//! entry, or a repeat of the first entry's label (`第1章 総則` again).

use std::collections::HashMap;
use std::iter::Peekable;

use kaitei_model::law::{articles_under, heading_rank, supplementary_title};
use kaitei_model::text::normalize;
use kaitei_model::{
    ArticleRange, Contents, ContentsEntry, Document, Key, Label, LabelContext, Node, split_label,
};

use super::units::Unit;
use crate::diagnostic::Diagnostic;

/// One entry as read, with its line and rank.
#[derive(Debug, Clone)]
pub(super) struct EntryRead {
    line: usize,
    rank: u8,
    entry: ContentsEntry,
}

/// A 目次 as read: where it starts and its entries.
#[derive(Debug, Clone)]
pub(super) struct ContentsRead {
    line: usize,
    entries: Vec<EntryRead>,
}

impl ContentsRead {
    /// The entries as a model value.
    pub fn contents(&self) -> Contents {
        Contents {
            entries: self.entries.iter().map(|e| e.entry.clone()).collect(),
        }
    }
}

/// The separators of an article range: `第1条―第10条`, `第1条~第2条`,
/// `第12条・第13条`.
const RANGE_SEPARATORS: &[char] = &['―', '—', '‐', '－', '-', '~', '～', '〜', '・', '、'];

/// Reads `（第1条―第10条）` at the end of an entry's text: the title before
/// it and the range. Text whose parentheses hold no articles is all title.
fn split_range(text: &str) -> (&str, Option<ArticleRange>) {
    let Some(body) = text.strip_suffix(['）', ')']) else {
        return (text, None);
    };
    let Some(open) = body.rfind(['（', '(']) else {
        return (text, None);
    };
    let inner = &body[open..];
    let inner = inner
        .strip_prefix('（')
        .or_else(|| inner.strip_prefix('('))
        .unwrap_or(inner);
    let parts: Option<Vec<Label>> = inner
        .split(RANGE_SEPARATORS)
        .map(|p| Label::parse(p.trim(), LabelContext::Item).filter(|l| l.style().is_article()))
        .collect();
    match parts {
        Some(parts) if !parts.is_empty() => {
            let first = parts[0].clone();
            let last = parts[parts.len() - 1].clone();
            (body[..open].trim_end(), Some(ArticleRange { first, last }))
        }
        _ => (text, None),
    }
}

/// Leader characters a Word 目次 draws between a title and its page.
const LEADERS: &[char] = &['.', '．', '…', '‥', '・', '･', '-', '－', '―', '─'];

/// A Word 目次 ends an entry with its page number after a tab or a leader
/// (`第1章　総則……1`): the page is not part of the title.
fn without_page(text: &str) -> &str {
    let digits = text.trim_end_matches(|c: char| c.is_ascii_digit() || ('０'..='９').contains(&c));
    if digits.len() == text.len() {
        return text;
    }
    let before = digits.trim_end_matches(|c: char| c.is_whitespace() || LEADERS.contains(&c));
    if before.len() == digits.len() || before.is_empty() {
        // Digits that end the title itself (`第2節 3A`), or nothing before.
        return text;
    }
    before
}

/// Whether `text` reads as a 目次 entry (what the printer may write).
pub(crate) fn is_entry(text: &str) -> bool {
    entry(text).is_some()
}

/// Reads one 目次 entry: a 編/章/節/款 label with a title (no `。`, at most
/// [`super::law::HEADING_TITLE_MAX`] characters) and an optional article
/// range, or `附則`.
fn entry(text: &str) -> Option<(u8, ContentsEntry)> {
    if let Some(title) = supplementary_title(text) {
        return Some((
            kaitei_model::law::SUPPLEMENTARY_RANK,
            ContentsEntry {
                depth: 0,
                label: None,
                title,
                articles: None,
                article_count: 0,
            },
        ));
    }
    let (label, rest) = split_label(text, LabelContext::Item)?;
    let rank = label.style().heading_rank()?;
    if rest.contains('。') {
        return None;
    }
    let (title, articles) = split_range(without_page(rest));
    // As for a law-style heading: a longer title is a clause's text (an
    // item labelled `第2節`), which a 目次 printed before it must not take
    // as an entry (found by fuzzing).
    if title.chars().count() > super::law::HEADING_TITLE_MAX {
        return None;
    }
    Some((
        rank,
        ContentsEntry {
            depth: 0,
            label: Some(label),
            title: title.to_string(),
            articles,
            article_count: 0,
        },
    ))
}

/// Reads the entries after a `目次` paragraph at `line`, taking them from
/// `units` up to the body's first heading.
pub(super) fn read<'a, I>(line: usize, units: &mut Peekable<I>) -> ContentsRead
where
    I: Iterator<Item = Unit<'a>>,
{
    let mut entries: Vec<EntryRead> = Vec::new();
    // Open ranks, for depths.
    let mut open: Vec<u8> = Vec::new();
    while let Some(Unit::Paragraph(p)) = units.peek() {
        if !p.single() {
            break;
        }
        let Some((rank, mut e)) = entry(&p.first) else {
            break;
        };
        let first_again = match (entries.first(), &e.label) {
            (Some(first), Some(label)) => first.entry.label.as_ref() == Some(label),
            _ => false,
        };
        let after_supplementary = entries
            .last()
            .is_some_and(|l| l.rank == kaitei_model::law::SUPPLEMENTARY_RANK);
        if first_again || after_supplementary {
            break;
        }
        while open
            .last()
            .is_some_and(|&r| r >= rank || rank == kaitei_model::law::SUPPLEMENTARY_RANK)
        {
            open.pop();
        }
        e.depth = open.len();
        open.push(rank);
        entries.push(EntryRead {
            line: p.line,
            rank,
            entry: e,
        });
        units.next();
    }
    ContentsRead { line, entries }
}

/// A heading of the body that a 目次 would list.
struct Listed<'a> {
    path: Vec<&'a Label>,
    node: &'a Node,
    matched: bool,
}

fn listed_headings(doc: &Document) -> (Vec<Listed<'_>>, Vec<&Node>) {
    fn visit<'a>(
        nodes: &'a [Node],
        path: &mut Vec<&'a Label>,
        out: &mut Vec<Listed<'a>>,
        supp: &mut Vec<&'a Node>,
    ) {
        for n in nodes {
            match (heading_rank(n), &n.label) {
                (Some(kaitei_model::law::SUPPLEMENTARY_RANK), _) => supp.push(n),
                (Some(_), Some(label)) => {
                    path.push(label);
                    out.push(Listed {
                        path: path.clone(),
                        node: n,
                        matched: false,
                    });
                    visit(&n.children, path, out, supp);
                    path.pop();
                }
                _ if n.kind == kaitei_model::NodeKind::Heading => {
                    visit(&n.children, path, out, supp)
                }
                _ => {}
            }
        }
    }
    let (mut out, mut supp) = (Vec::new(), Vec::new());
    visit(&doc.children, &mut Vec::new(), &mut out, &mut supp);
    (out, supp)
}

fn same_text(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| -> String {
        normalize(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    squeeze(a) == squeeze(b)
}

fn range_text(r: &Option<ArticleRange>) -> String {
    match r {
        Some(r) if r.first == r.last => r.first.to_string(),
        Some(r) => format!("{}―{}", r.first, r.last),
        None => "no articles".to_string(),
    }
}

/// Checks a 目次 against the body: an entry with no heading, a heading not
/// in the 目次, a title or an article range that differs — one warning
/// each, naming both places.
pub(super) fn check(
    read: &ContentsRead,
    doc: &Document,
    lines: &HashMap<&Key, usize>,
    diags: &mut Vec<Diagnostic>,
) {
    let (mut headings, supplementary) = listed_headings(doc);
    let line_of = |n: &Node| lines.get(&n.key).copied().unwrap_or(0);
    let mut path: Vec<(u8, &Label)> = Vec::new();
    let mut lists_supplementary = false;
    for e in &read.entries {
        let Some(label) = &e.entry.label else {
            lists_supplementary = true;
            if supplementary.is_empty() {
                diags.push(Diagnostic::warning(
                    e.line,
                    format!(
                        "the 目次 (line {}) lists 附則, but the body has no 附則",
                        read.line
                    ),
                ));
            }
            continue;
        };
        while path.last().is_some_and(|&(r, _)| r >= e.rank) {
            path.pop();
        }
        path.push((e.rank, label));
        let want: Vec<&Label> = path.iter().map(|&(_, l)| l).collect();
        let found = headings.iter_mut().find(|h| !h.matched && h.path == want);
        let Some(h) = found else {
            diags.push(Diagnostic::warning(
                e.line,
                format!(
                    "the 目次 lists {label} {} here, but the body has no such heading",
                    e.entry.title
                ),
            ));
            continue;
        };
        h.matched = true;
        let at = line_of(h.node);
        let title = h.node.title.as_deref().unwrap_or("");
        if !same_text(title, &e.entry.title) {
            diags.push(Diagnostic::warning(
                e.line,
                format!(
                    "the 目次 calls {label} 「{}」, the heading at line {at} 「{title}」",
                    e.entry.title
                ),
            ));
        }
        if let Some(listed) = &e.entry.articles {
            let actual = articles_under(h.node);
            if actual.as_ref() != Some(listed) {
                diags.push(Diagnostic::warning(
                    e.line,
                    format!(
                        "the 目次 gives {label} the articles {}, but the heading at line {at} has {}",
                        range_text(&Some(listed.clone())),
                        range_text(&actual)
                    ),
                ));
            }
        }
    }
    for h in headings.iter().filter(|h| !h.matched) {
        let label = h.path.last().map_or(String::new(), |l| l.to_string());
        diags.push(Diagnostic::warning(
            line_of(h.node),
            format!(
                "the heading {label} {} is not in the 目次 (line {})",
                h.node.title.as_deref().unwrap_or(""),
                read.line
            ),
        ));
    }
    if let Some(first) = supplementary.first()
        && !lists_supplementary
    {
        diags.push(Diagnostic::warning(
            line_of(first),
            format!("附則 is not in the 目次 (line {})", read.line),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(s: &str) -> (String, String) {
        let (title, r) = split_range(s);
        (title.to_string(), range_text(&r))
    }

    #[test]
    fn article_ranges_in_every_spelling() {
        assert_eq!(
            range("総則（第1条―第10条）"),
            ("総則".into(), "第1条―第10条".into())
        );
        assert_eq!(
            range("総則(第1条~第2条)"),
            ("総則".into(), "第1条―第2条".into())
        );
        assert_eq!(
            range("組織（第12条・第13条）"),
            ("組織".into(), "第12条―第13条".into())
        );
        assert_eq!(range("雑則（第30条）"), ("雑則".into(), "第30条".into()));
        assert_eq!(
            range("強靭性（第23条の2―第23条の4）"),
            ("強靭性".into(), "第23条の2―第23条の4".into())
        );
        assert_eq!(range("趣旨（第1―第3）"), ("趣旨".into(), "第1―第3".into()));
        // Parentheses without articles belong to the title.
        assert_eq!(
            range("外部サービス（クラウド）"),
            ("外部サービス（クラウド）".into(), "no articles".into())
        );
        assert_eq!(range("総則"), ("総則".into(), "no articles".into()));
    }

    #[test]
    fn page_numbers_of_a_word_contents_are_not_titles() {
        assert_eq!(without_page("総則 1"), "総則");
        assert_eq!(without_page("総則……………12"), "総則");
        assert_eq!(
            without_page("総則（第1条―第3条）　３"),
            "総則（第1条―第3条）"
        );
        assert_eq!(without_page("機密性3"), "機密性3");
        assert_eq!(without_page("12"), "12");
        let (_, e) = entry("第2章　組織体制（第4条―第7条）\u{3000}5").unwrap();
        assert_eq!(e.title, "組織体制");
        assert!(e.articles.is_some());
    }
}
