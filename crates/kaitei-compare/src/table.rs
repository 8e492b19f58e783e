//! The comparison table (新旧対照表) as a model: one row per pairing, in the
//! new document's order, with what changed and the runs to underline.

use std::collections::HashMap;

use kaitei_model::Document;

use crate::align::{Alignment, KeyUse, align};
use crate::chardiff::{self, Run};
use crate::flat::FlatDoc;
use crate::similarity::normalize;

/// What happened to a row's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// Same title, text and commentary (after NFKC).
    Unchanged,
    /// Title, text or commentary changed.
    Changed,
    /// Only in the new document.
    Added,
    /// Only in the old document.
    Deleted,
    /// One old node became several new ones (one row per new node).
    Split,
    /// Several old nodes became one (one row per old node).
    Merged,
}

impl RowKind {
    /// The word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            RowKind::Unchanged => "unchanged",
            RowKind::Changed => "changed",
            RowKind::Added => "added",
            RowKind::Deleted => "deleted",
            RowKind::Split => "split",
            RowKind::Merged => "merged",
        }
    }

    /// The word used in tables for people.
    pub fn japanese(self) -> &'static str {
        match self {
            RowKind::Unchanged => "変更なし",
            RowKind::Changed => "改正",
            RowKind::Added => "新設",
            RowKind::Deleted => "削除",
            RowKind::Split => "分割",
            RowKind::Merged => "統合",
        }
    }
}

/// A compared field of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// A heading's title or an article's caption.
    Title,
    /// The node's own text.
    Text,
    /// Its commentary.
    Commentary,
}

impl Field {
    /// The word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Text => "text",
            Field::Commentary => "commentary",
        }
    }

    /// All fields, in table order.
    pub const ALL: [Field; 3] = [Field::Title, Field::Text, Field::Commentary];
}

/// Which document a span is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The old document.
    Old,
    /// The new document.
    New,
}

impl Side {
    /// The word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Old => "old",
            Side::New => "new",
        }
    }
}

/// A run to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// Which document.
    pub side: Side,
    /// Which field.
    pub field: Field,
    /// Character offsets in the field as written.
    pub run: Run,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What happened to the content.
    pub kind: RowKind,
    /// The node sits under a different parent than before.
    pub moved: bool,
    /// The node's label changed value.
    pub renumbered: bool,
    /// Fields whose content changed.
    pub changed_fields: Vec<Field>,
    /// The old node (flat index into [`Comparison::old`]).
    pub old: Option<usize>,
    /// The new node (flat index into [`Comparison::new`]).
    pub new: Option<usize>,
    /// Runs to underline.
    pub spans: Vec<Span>,
}

/// Two documents compared.
#[derive(Debug)]
pub struct Comparison<'a> {
    /// The old document, flattened.
    pub old: FlatDoc<'a>,
    /// The new document, flattened.
    pub new: FlatDoc<'a>,
    /// Which node became which.
    pub alignment: Alignment,
    /// The table.
    pub rows: Vec<Row>,
}

/// The text of a field as written.
pub fn field_text(doc: &FlatDoc, i: usize, field: Field) -> String {
    let n = doc.nodes[i].node;
    match field {
        Field::Title => n.title.clone().unwrap_or_default(),
        Field::Text => n.text(),
        Field::Commentary => n.commentary_text(),
    }
}

/// The length in characters of [`field_text`], without making it.
fn field_chars(doc: &FlatDoc, i: usize, field: Field) -> usize {
    let n = doc.nodes[i].node;
    let joined = |parts: &[String]| {
        parts.iter().map(|p| p.chars().count()).sum::<usize>() + parts.len().saturating_sub(1)
    };
    match field {
        Field::Title => n.title.as_ref().map_or(0, |t| t.chars().count()),
        Field::Text => joined(&n.paragraphs),
        Field::Commentary => joined(&n.commentary),
    }
}

fn row_for(old: &FlatDoc, new: &FlatDoc, al: &Alignment, o: usize, n: usize, kind: RowKind) -> Row {
    let mut changed_fields = Vec::new();
    let mut spans = Vec::new();
    let (x, y) = (old.nodes[o].node, new.nodes[n].node);
    for field in Field::ALL {
        // Most pairs are identical as written: compare without building
        // strings first.
        let same_as_written = match field {
            Field::Title => x.title == y.title,
            Field::Text => x.paragraphs == y.paragraphs,
            Field::Commentary => x.commentary == y.commentary,
        };
        if same_as_written {
            continue;
        }
        let (a, b) = (field_text(old, o, field), field_text(new, n, field));
        if normalize(&a) == normalize(&b) {
            continue;
        }
        changed_fields.push(field);
        let (ro, rn) = chardiff::diff(&a, &b);
        spans.extend(ro.into_iter().map(|run| Span {
            side: Side::Old,
            field,
            run,
        }));
        spans.extend(rn.into_iter().map(|run| Span {
            side: Side::New,
            field,
            run,
        }));
    }
    let kind = match kind {
        RowKind::Unchanged if !changed_fields.is_empty() => RowKind::Changed,
        k => k,
    };
    let moved = al.moved(old, new, o, n);
    let renumbered = old.nodes[o].node.label != new.nodes[n].node.label;
    Row {
        kind,
        moved,
        renumbered,
        changed_fields,
        old: Some(o),
        new: Some(n),
        spans,
    }
}

fn whole(doc: &FlatDoc, i: usize, side: Side) -> Vec<Span> {
    Field::ALL
        .into_iter()
        .filter_map(|field| {
            let len = field_chars(doc, i, field);
            (len > 0).then_some(Span {
                side,
                field,
                run: Run { start: 0, end: len },
            })
        })
        .collect()
}

/// Compares two documents.
pub fn compare<'a>(old: &'a Document, new: &'a Document, keys: KeyUse) -> Comparison<'a> {
    let old_flat = FlatDoc::new(old);
    let new_flat = FlatDoc::new(new);
    let alignment = align(&old_flat, &new_flat, keys);
    let rows = rows(&old_flat, &new_flat, &alignment);
    Comparison {
        old: old_flat,
        new: new_flat,
        alignment,
        rows,
    }
}

fn rows(old: &FlatDoc, new: &FlatDoc, al: &Alignment) -> Vec<Row> {
    let mut rows = Vec::with_capacity(new.len() + 16);
    for n in 0..new.len() {
        let olds = al.of_new(n);
        match olds {
            [] => rows.push(Row {
                kind: RowKind::Added,
                moved: false,
                renumbered: false,
                changed_fields: Vec::new(),
                old: None,
                new: Some(n),
                spans: whole(new, n, Side::New),
            }),
            [o] if al.of_old(*o).len() > 1 => {
                rows.push(row_for(old, new, al, *o, n, RowKind::Split))
            }
            [o] => rows.push(row_for(old, new, al, *o, n, RowKind::Unchanged)),
            several => {
                for &o in several {
                    rows.push(row_for(old, new, al, o, n, RowKind::Merged));
                }
            }
        }
    }
    // Deleted nodes follow the row of the node before them in the old
    // document (the last such row, for a split).
    let mut last_row_of_old: Vec<Option<usize>> = vec![None; old.len()];
    for (r, row) in rows.iter().enumerate() {
        if let Some(o) = row.old {
            last_row_of_old[o] = Some(r);
        }
    }
    // after[r + 1]: the deleted rows that follow row r; after[0]: those
    // before every row.
    let mut after: Vec<Vec<Row>> = vec![Vec::new(); rows.len() + 1];
    let mut anchor: Option<usize> = None;
    for (o, last_row) in last_row_of_old.iter().enumerate() {
        if al.of_old(o).is_empty() {
            after[anchor.map_or(0, |r| r + 1)].push(Row {
                kind: RowKind::Deleted,
                moved: false,
                renumbered: false,
                changed_fields: Vec::new(),
                old: Some(o),
                new: None,
                spans: whole(old, o, Side::Old),
            });
        } else {
            anchor = *last_row;
        }
    }
    let mut out = Vec::with_capacity(rows.len() + after.iter().map(Vec::len).sum::<usize>());
    let mut after = after.into_iter();
    out.extend(after.next().unwrap_or_default());
    for (row, deleted) in rows.into_iter().zip(after) {
        out.push(row);
        out.extend(deleted);
    }
    out
}

/// Counts of rows by kind, for summaries.
pub fn counts(rows: &[Row]) -> HashMap<RowKind, usize> {
    let mut m = HashMap::new();
    for r in rows {
        *m.entry(r.kind).or_default() += 1;
    }
    m
}
