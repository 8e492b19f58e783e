//! Text without front matter: a regulation copied from a 例規集 web page
//! into a `.txt` (or `.md`) file.
//!
//! A browser copies each paragraph of the page as one line, with no blank
//! lines between and the page's indentation as spaces, so here every line
//! is a paragraph of its own — as every paragraph of a Word file is — and
//! the same regulation reads to the same tree from either. A table copies
//! as lines of tab-separated cells: such a line is a table row, as a row of
//! a Word table is. Otherwise the text is read as the authoring format
//! reads it (`#` headings, `>` commentary, escapes) after the enactment
//! preamble ([`crate::regulation`]) has given the title, date, number and
//! amendments; the body code and edition come from the options, else from
//! the preamble.

use kaitei_model::{DocumentKind, LabelContext};
use serde_yaml_ng::{Mapping, Value};

use crate::authoring::lexer;
use crate::block::{Block, Line};
use crate::options::ReadOptions;
use crate::regulation;
use crate::structure::{Parsed, build};
use crate::{Diagnostic, front_matter};

/// Splits text runs into one block per line, and tab-separated lines into
/// table rows.
fn one_paragraph_per_line(blocks: Vec<Block<'_>>) -> Vec<Block<'_>> {
    let mut out = Vec::with_capacity(blocks.len() * 2);
    for block in blocks {
        match block {
            Block::Text {
                lines,
                escaped: false,
            } => {
                for line in lines {
                    out.push(line_block(line));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// One line: a table row when it has tab-separated cells and does not start
/// with a label (`(1)<TAB>用語<TAB>意義` is an item whose text is its
/// cells, as the same row of a Word table is).
fn line_block(line: Line<'_>) -> Block<'_> {
    if !line.text.contains('\t') {
        return Block::Text {
            lines: vec![line],
            escaped: false,
        };
    }
    let cells: Vec<String> = line
        .text
        .split('\t')
        .map(|c| c.trim_matches(|ch: char| ch.is_whitespace()).to_string())
        .filter(|c| !c.is_empty())
        .collect();
    // `(1)<TAB>用語<TAB>意義` reads as the Word row `(1) | 用語 | 意義` does;
    // `2<TAB>本文` as a Word paragraph with a tab after its number does.
    let label = |c: &String, context| kaitei_model::Label::parse(c, context).is_some();
    let labelled = cells.first().is_some_and(|c| {
        label(c, LabelContext::Item) || (cells.len() == 2 && label(c, LabelContext::InArticle))
    });
    if labelled {
        Block::Text {
            lines: vec![Line {
                number: line.number,
                text: cells.join("\u{3000}").into(),
            }],
            escaped: false,
        }
    } else {
        Block::Row {
            line: line.number,
            cells,
            header: false,
        }
    }
}

/// Reads text without front matter. Never fails: problems are in
/// [`Parsed::diagnostics`].
///
/// A text of more than [`crate::MAX_LINES`] lines is not read: the result
/// is one error and an empty document.
pub fn read(source: &str, options: &ReadOptions) -> Parsed {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    // Refused before anything is built for it: see `MAX_LINES`.
    if let Some(refused) = crate::refuse_over_line_limit(source) {
        return refused;
    }
    let lines = source
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)));
    let mut diags: Vec<Diagnostic> = Vec::new();
    let blocks = lexer::blocks(lines, &mut diags);
    let mut blocks = one_paragraph_per_line(blocks);
    let enactment = regulation::take(&mut blocks);
    if enactment.title.is_none() {
        // Perhaps an authoring-format file that lost its front matter.
        diags.push(Diagnostic::warning(
            1,
            "no front matter and no regulation title (`○…`) at the top: read as text pasted from a 例規集 page, titled by the file name (a file in the authoring format starts with a `---` line)",
        ));
    }
    let mut map = Mapping::new();
    let mut set = |field: &str, value: Option<String>| {
        if let Some(v) = value {
            map.insert(Value::String(field.into()), Value::String(v));
        }
    };
    set(
        "title",
        enactment
            .title
            .as_ref()
            .map(|(_, t)| t.clone())
            .or_else(|| Some(options.stem.clone())),
    );
    set(
        "kind",
        Some(
            options
                .kind
                .unwrap_or(DocumentKind::Policy)
                .as_str()
                .to_string(),
        ),
    );
    set(
        "edition",
        options
            .edition
            .clone()
            .or_else(|| enactment.version())
            .or_else(|| Some(options.stem.clone())),
    );
    let body = options.body.clone().or_else(|| enactment.body(&mut diags));
    set("body", body);
    set("derived_from", options.derived_from.clone());
    enactment.fill(&mut map);
    let (meta, more) = front_matter::read_fields(&map, &|_| 0, 0, false);
    diags.extend(more);
    build(meta, blocks, diags)
}
