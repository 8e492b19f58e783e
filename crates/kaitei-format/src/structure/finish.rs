//! Finishing a document: keys, the tree, and the checks that need the
//! whole tree (label sequences, the 目次).

use std::collections::{HashMap, HashSet};

use kaitei_model::{Document, Key, Label, LabelStyle, Metadata, Node, assemble_tree};

use super::Parsed;
use super::builder::Builder;
use super::contents::{self, ContentsRead};
use crate::diagnostic::Diagnostic;

/// Gives every node its key: the pinned one, or one from its position.
pub(super) fn assign_keys(b: &mut Builder) {
    let mut used = HashSet::new();
    let mut pinned_at = vec![false; b.arena.len()];
    for (index, key) in std::mem::take(&mut b.pinned) {
        let line = b.arena[index].2;
        if !used.insert(key.clone()) {
            b.diags.push(Diagnostic::error(
                line,
                format!("key `#{key}` is pinned twice; each node needs its own key"),
            ));
            continue;
        }
        b.arena[index].0.key = key;
        pinned_at[index] = true;
    }
    // Unpinned nodes get a key from their position (`n2.1.3`): stable
    // under printing and re-reading, and never used to pair two files.
    let mut position: Vec<String> = Vec::with_capacity(b.arena.len());
    let mut child_count: Vec<usize> = vec![0; b.arena.len() + 1];
    for i in 0..b.arena.len() {
        let parent = b.arena[i].1;
        let slot = parent.map_or(0, |p| p + 1);
        child_count[slot] += 1;
        let pos = match parent {
            Some(p) => format!("{}.{}", position[p], child_count[slot]),
            None => format!("n{}", child_count[slot]),
        };
        position.push(pos);
    }
    for (i, base) in position.into_iter().enumerate() {
        if pinned_at[i] {
            b.arena[i].0.key_pinned = true;
            continue;
        }
        let mut candidate = base.clone();
        let mut k = 2;
        while used.contains(candidate.as_str()) {
            candidate = format!("{base}~{k}");
            k += 1;
        }
        // Positional keys never contain `~`, so only a pinned key can
        // clash with one (checked above); generated keys need no record.
        b.arena[i].0.key = Key::new(&candidate).expect("generated keys are valid");
    }
}

/// Builds the tree and runs the whole-document checks.
pub(super) fn finish(mut b: Builder, mut meta: Metadata, contents: Option<ContentsRead>) -> Parsed {
    assign_keys(&mut b);
    let mut lines = HashMap::with_capacity(b.arena.len());
    let mut flat = Vec::with_capacity(b.arena.len());
    for (node, parent, line) in std::mem::take(&mut b.arena) {
        lines.insert(node.key.clone(), line);
        flat.push((node, parent));
    }
    meta.contents = contents.is_some();
    let document = Document {
        meta,
        preamble: std::mem::take(&mut b.preamble),
        // The builder only ever attaches a node to an earlier one.
        children: assemble_tree(flat).expect("parents precede children"),
    };
    label_sequence_warnings(&document, &lines, &mut b.diags);
    if let Some(read) = &contents {
        contents::check(read, &document, &lines, &mut b.diags);
    }
    if document.children.is_empty() {
        b.diags.push(Diagnostic::error(
            0,
            "the document has no clauses: it needs headings (`# …`) or labelled items",
        ));
    }
    b.diags.sort_by_key(|d| d.line);
    Parsed {
        document,
        diagnostics: std::mem::take(&mut b.diags),
        lines,
        contents: contents.map(|c| c.contents()),
    }
}

/// Warns where a sibling's label does not follow the one before it of the
/// same style (a likely typing error: `(1)`, `(3)`).
fn label_sequence_warnings(
    doc: &Document,
    lines: &HashMap<Key, usize>,
    diags: &mut Vec<Diagnostic>,
) {
    fn follows(prev: &[u32], cur: &[u32]) -> bool {
        // `checked_add`: a label may be numbered 4294967295 (`(4294967295)`,
        // or a Word list starting there), and its successor is no number.
        let next = |a: u32, b: u32| a.checked_add(1) == Some(b);
        let n = prev.len().min(cur.len());
        if n == 0 {
            return true;
        }
        if cur.len() == prev.len() {
            let last = n - 1;
            return prev[..last] == cur[..last] && next(prev[last], cur[last]);
        }
        // A branch number (第3章の2 after 第3章) or the next number after a
        // branch (第4章 after 第3章の2).
        (cur.len() > prev.len() && cur[..n] == prev[..n])
            || (cur.len() < prev.len()
                && next(prev[n - 1], cur[n - 1])
                && cur[..n - 1] == prev[..n - 1])
    }
    fn visit(nodes: &[Node], lines: &HashMap<Key, usize>, diags: &mut Vec<Diagnostic>) {
        let mut last: HashMap<LabelStyle, &Label> = HashMap::new();
        for node in nodes {
            if let Some(label) = &node.label {
                if let Some(prev) = last.get(&label.style())
                    && !follows(prev.value(), label.value())
                {
                    diags.push(Diagnostic::warning(
                        lines.get(&node.key).copied().unwrap_or(0),
                        format!("label {label} follows {prev}: is one missing or misnumbered?"),
                    ));
                }
                last.insert(label.style(), label);
            }
            visit(&node.children, lines, diags);
        }
    }
    visit(&doc.children, lines, diags);
}
