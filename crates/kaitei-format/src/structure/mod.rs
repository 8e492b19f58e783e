//! [`Block`]s → a node tree, by the rules of `FORMAT.md`: headings nest by
//! level; items nest by the order in which label styles first appear in
//! their scope (the section, or the article); `第N条` paragraphs are
//! articles with an optional caption, bare numbers inside them are 項;
//! quotes are commentary of the node before them.
//!
//! Law-style text without headings (a regulation pasted from a 例規集 page,
//! or a Word file of plain paragraphs) gets its structure from the kind of
//! its labels: `第1章 総則` alone on a line is a heading of the 章 level
//! (編 > 章 > 節 > 款), `附則` a heading whose numbered paragraphs are its
//! 項, and a `目次` with its entries is the table of contents, checked
//! against the body rather than read as nodes.
//!
//! - [`units`](self::units): text runs → paragraphs;
//! - [`law`](self::law): what a paragraph is by its shape;
//! - [`builder`](self::builder): where each paragraph goes;
//! - [`contents`](self::contents): the 目次;
//! - [`finish`](self::finish): keys, the tree and whole-document checks.

mod builder;
mod contents;
mod finish;
pub mod law;
mod units;

use kaitei_model::{
    Contents, Document, Key, LabelContext, Metadata, after_label, label_style_at, split_label,
};

use crate::attributes::split_attributes;
use crate::block::Block;
use crate::diagnostic::Diagnostic;
use builder::Builder;
use law::{bullet, caption_phrase, is_contents_marker, law_heading};
use units::{Paragraph, Unit, caption, starts_article, starts_paragraph, units};

/// A document as read, with what was wrong and where each node was read.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document.
    pub document: Document,
    /// Problems found, in line order.
    pub diagnostics: Vec<Diagnostic>,
    /// The line each node starts on, in the order of
    /// [`Document::nodes`] (a map by key cost more than a short item).
    lines: Vec<u32>,
    /// The table of contents (目次) as the input wrote it, when it had one.
    /// The document keeps only that it has one
    /// ([`Metadata::contents`]): written out, a 目次 is made from the body.
    pub contents: Option<Contents>,
}

impl Parsed {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// A document not read at all, with the one error that says why (a
    /// limit it is over).
    pub fn refused(meta: Metadata, why: Diagnostic) -> Parsed {
        Parsed {
            document: Document::new(meta),
            diagnostics: vec![why],
            lines: Vec::new(),
            contents: None,
        }
    }

    /// The line (for Word, the paragraph) the node with `key` starts on.
    pub fn line_of(&self, key: &Key) -> Option<usize> {
        let i = self.document.nodes().position(|n| &n.key == key)?;
        self.lines.get(i).map(|&l| l as usize)
    }
}

/// Whether `text` reads back as an entry of a 目次 (the printer writes
/// only those).
pub(crate) fn is_contents_entry(text: &str) -> bool {
    contents::is_entry(text)
}

/// Whether the unit after an article line that is only a short phrase
/// makes that phrase its caption: an unlabelled, unescaped paragraph (the
/// article's text), or a 項 numbered 1 (`第4 電子メールの利用` then `1 …`,
/// as 要綱 number their paragraphs).
fn continues_article(next: Option<&Unit<'_>>) -> bool {
    let Some(Unit::Paragraph(n)) = next else {
        return false;
    };
    if n.escaped {
        return false;
    }
    if let Some((label, _)) = split_label(&n.first, LabelContext::InArticle) {
        return label.style() == kaitei_model::LabelStyle::Paragraph && label.value() == [1];
    }
    caption(&n.first).is_none()
        && bullet(&n.first).is_none()
        && law_heading(&n.first).is_none()
        && !is_contents_marker(&n.first)
}

/// The caption an article paragraph carries on its own line
/// (`第1条 対象範囲`, then the text as the next paragraph).
fn phrase_caption(p: &Paragraph<'_>, next: Option<&Unit<'_>>) -> Option<String> {
    if !p.single() {
        return None;
    }
    let (first, _) = split_attributes(&p.first);
    // Asked of most paragraphs: the label's kind first, and its text only
    // for an article's.
    if !kaitei_model::article_at(first) {
        return None;
    }
    let rest = after_label(first, LabelContext::Item)?;
    (caption_phrase(rest) && continues_article(next)).then(|| rest.to_string())
}

/// Builds a document from blocks.
pub fn build(meta: Metadata, blocks: Vec<Block<'_>>, diagnostics: Vec<Diagnostic>) -> Parsed {
    let units = units(blocks);
    // Every node comes from one unit: the arena is never copied to grow.
    let mut b = Builder::new(units.len(), diagnostics);
    let mut contents = None;
    let mut units = units.into_iter().peekable();
    while let Some(unit) = units.next() {
        match unit {
            Unit::Heading { line, level, text } => b.heading(line, level, &text),
            Unit::Paragraph(p) => {
                if p.single() {
                    if b.arena.is_empty() && contents.is_none() && is_contents_marker(&p.first) {
                        contents = Some(contents::read(p.line, &mut units));
                        continue;
                    }
                    if let Some(h) = law_heading(split_attributes(&p.first).0) {
                        b.law_heading(p.line, &p.first, h);
                        continue;
                    }
                }
                if !p.escaped && bullet(&p.first).is_some() {
                    b.bullet(p);
                    continue;
                }
                // A caption paragraph directly before an article is its title.
                let cap = p
                    .single()
                    .then(|| caption(&p.first))
                    .flatten()
                    .map(str::to_string);
                let next_is_article = matches!(units.peek(), Some(Unit::Paragraph(n)) if !n.escaped
                    && (starts_article(&n.first)
                        || (b.in_supplementary() && starts_paragraph(&n.first))));
                match cap {
                    Some(title) if next_is_article => {
                        if let Some(Unit::Paragraph(article)) = units.next() {
                            b.paragraph(article, Some(title));
                        }
                    }
                    _ => match phrase_caption(&p, units.peek()) {
                        // `第1条 対象範囲` then its text: the phrase is the
                        // caption, the next paragraph the article's text.
                        Some(title) => {
                            // The label line without the phrase (its
                            // attribute block, if any, kept).
                            let stripped = split_attributes(&p.first).0;
                            let attrs = p.first.get(stripped.len()..).unwrap_or("").trim();
                            let label = split_label(stripped, LabelContext::Item)
                                .map_or(String::new(), |(l, _)| l.written().to_string());
                            let first = if attrs.is_empty() {
                                label
                            } else {
                                format!("{label} {attrs}")
                            };
                            let label_only = Paragraph {
                                line: p.line,
                                first: first.into(),
                                rest: Vec::new(),
                                escaped: false,
                            };
                            b.paragraph(label_only, Some(title));
                            // The article's text, unless a 項 1 follows.
                            if let Some(Unit::Paragraph(n)) = units.peek()
                                && label_style_at(&n.first, LabelContext::InArticle).is_none()
                                && let Some(Unit::Paragraph(text)) = units.next()
                            {
                                b.continuation(text.text());
                            }
                        }
                        None => b.paragraph(p, None),
                    },
                }
            }
            Unit::Row {
                line,
                cells,
                header,
            } => {
                if !header && !law::header_row(&cells) {
                    b.row(line, cells);
                }
            }
            Unit::Quote { line, paragraphs } => match b.last {
                Some(i) => b.arena[i].0.commentary.extend(paragraphs),
                None => b.diags.push(Diagnostic::error(
                    line,
                    "commentary (`>`) before any heading or clause: put it after the node it explains",
                )),
            },
            Unit::Conflict { line, conflict } => {
                b.diags.push(Diagnostic::error(
                    line,
                    "unresolved merge conflict: keep the right text, then delete the lines from `<<<<<<<` to `>>>>>>>`",
                ));
                match b.last {
                    Some(i) => b.arena[i].0.conflicts.push(*conflict),
                    None => b.diags.push(Diagnostic::error(
                        line,
                        "a merge conflict before any heading or clause",
                    )),
                }
            }
        }
    }
    finish::finish(b, meta, contents)
}
