//! Blocks → units: text runs split into paragraphs, by the rules of
//! `FORMAT.md` — a paragraph starts at a line that begins with a label (in
//! the context of the moment), at a caption line right before an article,
//! at a `・` bullet; a law-style heading line (`第1章 総則`, `附則`) or a
//! `目次` line is a paragraph of its own, as a `#` line would be.

use std::borrow::Cow;

use kaitei_model::{LabelContext, label_style_at};

use super::law::{LawHeading, bullet, is_contents_marker, law_heading};
use crate::attributes::split_attributes;
use crate::block::{Block, Line};
use crate::chunked::Chunked;

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
        conflict: Box<kaitei_model::Conflict>,
    },
}

/// Whether `s` is only a caption in parentheses: `（目的）`, `(目的)`.
pub(super) fn caption(s: &str) -> Option<&str> {
    let inner = s
        .strip_prefix(['（', '('])?
        .strip_suffix(['）', ')'])?
        .trim();
    (!inner.is_empty() && label_style_at(s, LabelContext::Item).is_none()).then_some(inner)
}

/// Whether `s` begins with an article's label (`第1条`, or `第1` in a 要綱).
pub(super) fn starts_article(s: &str) -> bool {
    kaitei_model::article_at(s)
}

/// Whether `s` begins with a 項 number (`2 …`, `２　…`).
pub(super) fn starts_paragraph(s: &str) -> bool {
    label_style_at(s, LabelContext::InArticle) == Some(kaitei_model::LabelStyle::Paragraph)
}

/// Where the splitter is: whether bare numbers are 項 (in an article or a
/// 附則), and whether a caption may stand before a 項 (in a 附則, before its
/// first article: `（施行期日）` / `1 この規程は…`).
#[derive(Default, Clone, Copy)]
struct State {
    in_article: bool,
    in_supplementary: bool,
}

/// What the first line of the next text run starts with: an article, a 項.
#[derive(Default, Clone, Copy)]
struct Next {
    article: bool,
    paragraph: bool,
}

impl State {
    /// Whether a caption line is one when `next` follows it.
    fn caption_before(self, next: Next) -> bool {
        next.article || (self.in_supplementary && next.paragraph)
    }
}

/// Whether a heading's text (attributes aside) is a 附則: inside it, bare
/// numbers are its 項.
pub(super) fn is_supplementary_heading(text: &str) -> bool {
    kaitei_model::law::supplementary_title(split_attributes(text).0).is_some()
}

/// Splits text runs into paragraphs. In chunks, freed as the builder takes
/// them.
pub(super) fn units(blocks: Vec<Block<'_>>) -> Chunked<Unit<'_>> {
    let mut out = Chunked::default();
    let mut state = State::default();
    // For each block, what the next block starts with when it is a text run
    // (a caption may end one run, its article start the next).
    let next: Vec<Next> = (0..blocks.len())
        .map(|i| match blocks.get(i + 1) {
            Some(Block::Text {
                lines,
                escaped: false,
            }) => lines.first().map_or(Next::default(), |l| Next {
                article: starts_article(&l.text),
                paragraph: starts_paragraph(&l.text),
            }),
            _ => Next::default(),
        })
        .collect();
    for (bi, block) in blocks.into_iter().enumerate() {
        match block {
            Block::Heading { line, level, text } => {
                let supplementary = is_supplementary_heading(&text);
                state = State {
                    in_article: supplementary,
                    in_supplementary: supplementary,
                };
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
            } => split_run(lines, next[bi], &mut state, &mut out),
        }
    }
    out
}

/// Splits one unescaped text run into paragraphs.
fn split_run<'a>(
    lines: Vec<Line<'a>>,
    next_block: Next,
    state: &mut State,
    out: &mut Chunked<Unit<'a>>,
) {
    let mut current: Option<Paragraph> = None;
    // The current paragraph is a line that stands alone (a heading, `目次`).
    let mut alone = false;
    let count = lines.len();
    let mut iter = lines.into_iter().enumerate().peekable();
    while let Some((li, Line { number, text })) = iter.next() {
        let context = if state.in_article {
            LabelContext::InArticle
        } else {
            LabelContext::Item
        };
        let label = label_style_at(&text, context);
        let is_caption = caption(&text).is_some()
            && match iter.peek() {
                Some((_, next)) => state.caption_before(Next {
                    article: starts_article(&next.text),
                    paragraph: starts_paragraph(&next.text),
                }),
                None => li + 1 == count && state.caption_before(next_block),
            };
        let heading = law_heading(split_attributes(&text).0);
        let stands_alone = heading.is_some() || is_contents_marker(&text);
        match &heading {
            Some(LawHeading::Supplementary { .. }) => {
                *state = State {
                    in_article: true,
                    in_supplementary: true,
                }
            }
            Some(LawHeading::Labelled { .. }) => *state = State::default(),
            None if label.is_some_and(|l| l.is_article()) => {
                *state = State {
                    in_article: true,
                    in_supplementary: false,
                }
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
