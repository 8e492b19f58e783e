//! Blocks → units: text runs split into paragraphs, by the rules of
//! `FORMAT.md` — a paragraph starts at a line that begins with a label (in
//! the context of the moment), at a caption line right before an article,
//! at a `・` bullet; a law-style heading line (`第1章 総則`, `附則`) or a
//! `目次` line is a paragraph of its own, as a `#` line would be.

use std::borrow::Cow;

use kaitei_model::{LabelContext, split_label};

use super::law::{LawHeading, bullet, is_contents_marker, law_heading};
use crate::attributes::split_attributes;
use crate::block::{Block, Line};

/// One paragraph after splitting runs at label lines.
pub(super) struct Paragraph<'a> {
    pub line: usize,
    pub first: Cow<'a, str>,
    pub rest: Vec<Cow<'a, str>>,
    pub escaped: bool,
}

impl Paragraph<'_> {
    /// The paragraph's lines joined with no space.
    pub fn text(&self) -> String {
        let len = self.first.len() + self.rest.iter().map(|r| r.len()).sum::<usize>();
        let mut s = String::with_capacity(len);
        s.push_str(&self.first);
        for r in &self.rest {
            s.push_str(r);
        }
        s
    }

    /// Whether this is a one-line, unescaped paragraph: the only kind that
    /// can be a law-style heading, a caption, a `目次` or a 目次 entry.
    pub fn single(&self) -> bool {
        !self.escaped && self.rest.is_empty()
    }
}

/// What the structure builder works through.
pub(super) enum Unit<'a> {
    Heading {
        line: usize,
        level: u8,
        text: Cow<'a, str>,
    },
    Paragraph(Paragraph<'a>),
    Row {
        line: usize,
        cells: Vec<String>,
        header: bool,
    },
    Quote {
        line: usize,
        paragraphs: Vec<String>,
    },
    Conflict {
        line: usize,
        conflict: kaitei_model::Conflict,
    },
}

/// Whether `s` is only a caption in parentheses: `（目的）`, `(目的)`.
pub(super) fn caption(s: &str) -> Option<&str> {
    let inner = s
        .strip_prefix(['（', '('])?
        .strip_suffix(['）', ')'])?
        .trim();
    (!inner.is_empty() && split_label(s, LabelContext::Item).is_none()).then_some(inner)
}

/// Whether `s` begins with an article's label (`第1条`, or `第1` in a 要綱).
pub(super) fn starts_article(s: &str) -> bool {
    split_label(s, LabelContext::Item).is_some_and(|(l, _)| l.style().is_article())
}

/// Whether a heading's text (attributes aside) is a 附則: inside it, bare
/// numbers are its 項.
pub(super) fn is_supplementary_heading(text: &str) -> bool {
    kaitei_model::law::supplementary_title(split_attributes(text).0).is_some()
}

/// Splits text runs into paragraphs.
pub(super) fn units(blocks: Vec<Block<'_>>) -> Vec<Unit<'_>> {
    let mut out = Vec::with_capacity(blocks.len() + blocks.len() / 2);
    // Whether bare numbers are 項 here (inside an article or a 附則).
    let mut in_article = false;
    // For each block, whether the next block is a text run that starts
    // with an article (a caption may end one run, its article start the
    // next).
    let next_starts_article: Vec<bool> = (0..blocks.len())
        .map(|i| match blocks.get(i + 1) {
            Some(Block::Text {
                lines,
                escaped: false,
            }) => lines.first().is_some_and(|l| starts_article(&l.text)),
            _ => false,
        })
        .collect();
    for (bi, block) in blocks.into_iter().enumerate() {
        match block {
            Block::Heading { line, level, text } => {
                in_article = is_supplementary_heading(&text);
                out.push(Unit::Heading { line, level, text });
            }
            Block::Quote { line, paragraphs } => out.push(Unit::Quote { line, paragraphs }),
            Block::Conflict { line, conflict } => out.push(Unit::Conflict { line, conflict }),
            Block::Row {
                line,
                cells,
                header,
            } => out.push(Unit::Row {
                line,
                cells,
                header,
            }),
            Block::Text {
                lines,
                escaped: true,
            } => {
                let mut it = lines.into_iter();
                if let Some(first) = it.next() {
                    out.push(Unit::Paragraph(Paragraph {
                        line: first.number,
                        first: first.text,
                        rest: it.map(|l| l.text).collect(),
                        escaped: true,
                    }));
                }
            }
            Block::Text {
                lines,
                escaped: false,
            } => split_run(lines, next_starts_article[bi], &mut in_article, &mut out),
        }
    }
    out
}

/// Splits one unescaped text run into paragraphs.
fn split_run<'a>(
    lines: Vec<Line<'a>>,
    next_block_starts_article: bool,
    in_article: &mut bool,
    out: &mut Vec<Unit<'a>>,
) {
    let mut current: Option<Paragraph> = None;
    // The current paragraph is a line that stands alone (a heading, `目次`).
    let mut alone = false;
    let count = lines.len();
    let mut iter = lines.into_iter().enumerate().peekable();
    while let Some((li, Line { number, text })) = iter.next() {
        let context = if *in_article {
            LabelContext::InArticle
        } else {
            LabelContext::Item
        };
        let label = split_label(&text, context);
        let is_caption = caption(&text).is_some()
            && match iter.peek() {
                Some((_, next)) => starts_article(&next.text),
                None => li + 1 == count && next_block_starts_article,
            };
        let heading = law_heading(split_attributes(&text).0);
        let stands_alone = heading.is_some() || is_contents_marker(&text);
        match &heading {
            Some(LawHeading::Supplementary { .. }) => *in_article = true,
            Some(LawHeading::Labelled { .. }) => *in_article = false,
            None if label.as_ref().is_some_and(|(l, _)| l.style().is_article()) => {
                *in_article = true
            }
            None => {}
        }
        let starts = label.is_some()
            || is_caption
            || stands_alone
            || alone
            || bullet(&text).is_some()
            || current.is_none();
        alone = stands_alone;
        if starts {
            out.extend(current.take().map(Unit::Paragraph));
            current = Some(Paragraph {
                line: number,
                first: text,
                rest: Vec::new(),
                escaped: false,
            });
        } else if let Some(p) = current.as_mut() {
            p.rest.push(text);
        }
    }
    out.extend(current.map(Unit::Paragraph));
}
