//! Finishing a document: keys, the tree, and the checks that need the
//! whole tree (label sequences, the 目次).

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use kaitei_model::{Document, Key, Label, LabelStyle, Metadata, Node};

use super::Parsed;
use super::builder::Builder;
use super::contents::{self, ContentsRead};
use crate::chunked::into_tree;
use crate::diagnostic::Diagnostic;

/// Gives pinned nodes their keys; returns the keys pinned.
pub(super) fn pin_keys(b: &mut Builder) -> HashSet<Key> {
    let mut used = HashSet::new();
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
        b.arena[index].0.key_pinned = true;
    }
    used
}

/// Gives every unpinned node a key from its position (`n2.1.3`): stable
/// under printing and re-reading, and never used to pair two files. Made
/// on the tree, one path at a time (`prefix`), so no list of every node's
/// position is kept beside the keys.
fn positional_keys(nodes: &mut [Node], prefix: &mut String, pinned: &HashSet<Key>) {
    let start = prefix.len();
    for (i, node) in nodes.iter_mut().enumerate() {
        prefix.truncate(start);
        // Writing to a String cannot fail.
        let _ = match start {
            0 => write!(prefix, "n{}", i + 1),
            _ => write!(prefix, ".{}", i + 1),
        };
        if !node.key_pinned {
            // Positional keys never contain `~`, so only a pinned key can
            // clash with one.
            // (Copied only when it clashes: most documents pin no key.)
            let mut candidate = None;
            let mut k = 2;
            // (Most documents pin no key: then nothing is hashed at all.)
            while !pinned.is_empty()
                && pinned.contains(candidate.as_deref().unwrap_or(prefix.as_str()))
            {
                candidate = Some(format!("{prefix}~{k}"));
                k += 1;
            }
            let key = Key::new(candidate.as_deref().unwrap_or(prefix.as_str()));
            node.key = key.expect("generated keys are valid");
        }
        positional_keys(&mut node.children, prefix, pinned);
    }
    prefix.truncate(start);
}

/// Builds the tree and runs the whole-document checks.
pub(super) fn finish(mut b: Builder, mut meta: Metadata, contents: Option<ContentsRead>) -> Parsed {
    let pinned = pin_keys(&mut b);
    let (mut children, lines) = into_tree(std::mem::take(&mut b.arena));
    positional_keys(&mut children, &mut String::new(), &pinned);
    meta.contents = contents.is_some();
    let document = Document {
        meta,
        preamble: std::mem::take(&mut b.preamble),
        children,
    };
    label_sequence_warnings(&document, &lines, &mut b.diags);
    if let Some(read) = &contents {
        // Only a document with a 目次 needs lines by key: borrowed, for
        // the check alone.
        let by_key: HashMap<&Key, usize> = document
            .nodes()
            .map(|n| &n.key)
            .zip(lines.iter().map(|&l| l as usize))
            .collect();
        contents::check(read, &document, &by_key, &mut b.diags);
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
fn label_sequence_warnings(doc: &Document, lines: &[u32], diags: &mut Vec<Diagnostic>) {
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
    // `lines` is in tree order, as `visit` goes.
    fn visit<'a>(
        nodes: &[Node],
        lines: &mut impl Iterator<Item = &'a u32>,
        diags: &mut Vec<Diagnostic>,
    ) {
        // The last label of each style among these siblings: a list, not a
        // map, since siblings use one or two styles (a map per sibling
        // list, hashing every label, was a few percent of reading a file).
        let mut last: Vec<(LabelStyle, &Label)> = Vec::new();
        for node in nodes {
            let line = lines.next().map_or(0, |&l| l as usize);
            if let Some(label) = &node.label {
                let style = label.style();
                match last.iter_mut().find(|(s, _)| *s == style) {
                    Some((_, prev)) => {
                        if !follows(prev.value(), label.value()) {
                            diags.push(Diagnostic::warning(
                                line,
                                format!(
                                    "label {label} follows {prev}: is one missing or misnumbered?"
                                ),
                            ));
                        }
                        *prev = label;
                    }
                    None => last.push((style, label)),
                }
            }
            visit(&node.children, lines, diags);
        }
    }
    visit(&doc.children, &mut lines.iter(), diags);
}
