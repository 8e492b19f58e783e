//! The comparison table laid out for people: what every renderer (DOCX,
//! HTML, text) shows, so they all agree on folding and underlines.
//!
//! Rules of the 新旧対照表: changed text is underlined on both sides; a new
//! node is shown whole and underlined with `（新設）` opposite; a deleted
//! one with `（削る）` opposite; runs of unchanged rows fold to `（略）`,
//! keeping `context` unchanged neighbours of each change; a moved or
//! renumbered node's label is marked (rendered with a double underline).

use crate::chardiff::Run;
use crate::flat::FlatDoc;
use crate::table::{Comparison, Field, Row, RowKind, Side, field_text};

/// Shown opposite a new node.
pub const NEW_MARK: &str = "（新設）";
/// Shown opposite a deleted node.
pub const DELETED_MARK: &str = "（削る）";
/// Shown for folded unchanged rows.
pub const FOLDED_MARK: &str = "（略）";
/// The table's header note.
pub const HEADER_NOTE: &str = "（傍線部分は改正部分）";

/// A piece of text, underlined or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The text.
    pub text: String,
    /// Whether it is underlined (changed).
    pub underline: bool,
}

/// One side of a row: a node as it reads, with its changes underlined.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The labels of its ancestors, for context (`第2章 / 5. / 5.1.`).
    pub context: String,
    /// Its label as written (empty when none).
    pub label: String,
    /// Whether the label is marked as moved or renumbered.
    pub label_marked: bool,
    /// Its title (heading or article caption).
    pub title: Vec<Segment>,
    /// Its text, paragraph by paragraph.
    pub paragraphs: Vec<Vec<Segment>>,
    /// Its commentary, paragraph by paragraph.
    pub commentary: Vec<Vec<Segment>>,
    /// Depth in its document (0 at the top), for indentation.
    pub depth: usize,
    /// Whether it is a heading.
    pub heading: bool,
    /// Its key.
    pub key: String,
    /// The consultation comments cited for it (ids), on the new side of a
    /// changed row of a published edition's table ([`cite`]).
    pub citations: Vec<String>,
}

/// A line of the laid-out table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// `count` unchanged rows folded to `（略）`.
    Folded(usize),
    /// A row shown in full.
    Row {
        /// What happened.
        kind: RowKind,
        /// Moved to another parent.
        moved: bool,
        /// Label value changed.
        renumbered: bool,
        /// The old side (`None`: new node).
        old: Option<Box<Cell>>,
        /// The new side (`None`: deleted node).
        new: Option<Box<Cell>>,
    },
}

/// Cuts `text` into segments by the (sorted, disjoint) runs to underline,
/// then into paragraphs at `\n`.
pub fn segments(text: &str, runs: &[Run]) -> Vec<Vec<Segment>> {
    let mut paragraphs: Vec<Vec<Segment>> = vec![Vec::new()];
    let push = |c: char, underline: bool, paragraphs: &mut Vec<Vec<Segment>>| {
        if c == '\n' {
            paragraphs.push(Vec::new());
            return;
        }
        let current = paragraphs.last_mut().expect("there is always a paragraph");
        match current.last_mut() {
            Some(s) if s.underline == underline => s.text.push(c),
            _ => current.push(Segment {
                text: c.to_string(),
                underline,
            }),
        }
    };
    for (i, c) in text.chars().enumerate() {
        let underline = runs.iter().any(|r| r.start <= i && i < r.end);
        push(c, underline, &mut paragraphs);
    }
    if text.is_empty() {
        paragraphs.clear();
    }
    paragraphs
}

fn cell(doc: &FlatDoc, i: usize, row: &Row, side: Side) -> Cell {
    let flat = &doc.nodes[i];
    let runs = |field: Field| -> Vec<Run> {
        row.spans
            .iter()
            .filter(|s| s.side == side && s.field == field)
            .map(|s| s.run)
            .collect()
    };
    let title = segments(&field_text(doc, i, Field::Title), &runs(Field::Title))
        .into_iter()
        .flatten()
        .collect();
    Cell {
        context: flat.parent.map_or_else(String::new, |p| doc.path_string(p)),
        label: flat
            .node
            .label
            .as_ref()
            .map(|l| l.written().to_string())
            .unwrap_or_default(),
        label_marked: row.moved || row.renumbered,
        title,
        paragraphs: segments(&field_text(doc, i, Field::Text), &runs(Field::Text)),
        commentary: segments(
            &field_text(doc, i, Field::Commentary),
            &runs(Field::Commentary),
        ),
        depth: flat.depth,
        heading: flat.node.kind == kaitei_model::NodeKind::Heading,
        key: flat.node.key.as_str().to_string(),
        citations: Vec::new(),
    }
}

/// Puts `citations` (comment ids by the new node's key) on the new side of
/// every changed row whose node has some.
pub fn cite(lines: &mut [Line], citations: &std::collections::BTreeMap<String, Vec<String>>) {
    if citations.is_empty() {
        return;
    }
    for line in lines {
        if let Line::Row {
            kind,
            moved,
            renumbered,
            new: Some(cell),
            ..
        } = line
            && (*kind != RowKind::Unchanged || *moved || *renumbered)
            && let Some(ids) = citations.get(&cell.key)
        {
            cell.citations = ids.clone();
        }
    }
}

fn is_quiet(row: &Row) -> bool {
    row.kind == RowKind::Unchanged && !row.moved && !row.renumbered
}

/// Lays out a comparison, folding unchanged rows beyond `context` rows
/// from any change.
pub fn lay_out(cmp: &Comparison, context: usize) -> Vec<Line> {
    let n = cmp.rows.len();
    let mut keep = vec![false; n];
    for (i, row) in cmp.rows.iter().enumerate() {
        if !is_quiet(row) {
            let lo = i.saturating_sub(context);
            let hi = (i + context).min(n.saturating_sub(1));
            for k in keep.iter_mut().take(hi + 1).skip(lo) {
                *k = true;
            }
        }
    }
    let mut out = Vec::new();
    let mut folded = 0;
    for (i, row) in cmp.rows.iter().enumerate() {
        if !keep[i] {
            folded += 1;
            continue;
        }
        if folded > 0 {
            out.push(Line::Folded(folded));
            folded = 0;
        }
        out.push(Line::Row {
            kind: row.kind,
            moved: row.moved,
            renumbered: row.renumbered,
            old: row.old.map(|o| Box::new(cell(&cmp.old, o, row, Side::Old))),
            new: row.new.map(|j| Box::new(cell(&cmp.new, j, row, Side::New))),
        });
    }
    if folded > 0 {
        out.push(Line::Folded(folded));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_split_at_runs_and_paragraphs() {
        let s = segments("ab\ncd", &[Run { start: 1, end: 4 }]);
        assert_eq!(
            s,
            vec![
                vec![
                    Segment {
                        text: "a".into(),
                        underline: false
                    },
                    Segment {
                        text: "b".into(),
                        underline: true
                    }
                ],
                vec![
                    Segment {
                        text: "c".into(),
                        underline: true
                    },
                    Segment {
                        text: "d".into(),
                        underline: false
                    }
                ],
            ]
        );
        assert!(segments("", &[]).is_empty());
    }
}
