//! The merge review: what a proposed merge would change in a body's
//! policy, clause by clause, and the policy that results from the body's
//! decisions (accept the proposal, keep ours, or write its own text).
//!
//! A conflict is never resolved by default: [`apply_decisions`] refuses while any
//! conflict is undecided. Every other change is accepted unless decided
//! otherwise, since the proposal is what the new edition asks for.

use std::collections::{BTreeMap, HashMap};

use kaitei_model::{Decision, Document, Key, Node, Omission, Status};

/// What kind of change the proposal makes to a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// The text changes (the guideline changed a clause the body adopted).
    Changed,
    /// The guideline changed, or deleted, a clause the body had reworded.
    Conflict,
    /// A clause new in the edition is proposed.
    Added,
    /// A clause the body adopted is gone from the edition.
    Removed,
}

impl ChangeKind {
    /// The word used in JSON and forms.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Changed => "changed",
            ChangeKind::Conflict => "conflict",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
        }
    }
}

/// One clause to review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposedChange {
    /// The clause's key (in the proposal; in ours for a removed clause).
    pub key: Key,
    /// Its label path.
    pub path: String,
    /// What the proposal does to it.
    pub kind: ChangeKind,
    /// The body's current text (empty for an added clause).
    pub ours: Vec<String>,
    /// The proposed text (empty when the proposal removes the clause).
    pub proposed: Vec<String>,
    /// The body's current title (a heading's or an article's caption).
    pub ours_title: Option<String>,
    /// The proposed title.
    pub proposed_title: Option<String>,
}

/// The reason recorded when a body declines a new guideline clause.
pub const DECLINED: &str = "改定時の確認で採用しないこととした";

fn by_key(nodes: &[Node]) -> HashMap<&Key, &Node> {
    fn visit<'a>(nodes: &'a [Node], out: &mut HashMap<&'a Key, &'a Node>) {
        for n in nodes {
            out.insert(&n.key, n);
            visit(&n.children, out);
        }
    }
    let mut out = HashMap::new();
    visit(nodes, &mut out);
    out
}

/// The clauses `merged` changes in `ours`, in the proposal's order, then
/// the clauses it removes in ours' order.
pub fn proposed_changes(ours: &Document, merged: &Document) -> Vec<ProposedChange> {
    let ours_nodes = by_key(&ours.children);
    let mut items = Vec::new();
    for l in merged.located() {
        let m = l.node;
        let path = l.path.join(" / ");
        if let Some(c) = m.conflicts.first() {
            items.push(ProposedChange {
                key: m.key.clone(),
                path,
                kind: ChangeKind::Conflict,
                ours: c.ours.clone(),
                proposed: c.theirs.clone(),
                ours_title: ours_nodes.get(&m.key).and_then(|o| o.title.clone()),
                proposed_title: m.title.clone(),
            });
            continue;
        }
        match ours_nodes.get(&m.key) {
            Some(o) if o.paragraphs == m.paragraphs && o.title == m.title => {}
            Some(o) => items.push(ProposedChange {
                key: m.key.clone(),
                path,
                kind: ChangeKind::Changed,
                ours: o.paragraphs.clone(),
                proposed: m.paragraphs.clone(),
                ours_title: o.title.clone(),
                proposed_title: m.title.clone(),
            }),
            None => items.push(ProposedChange {
                key: m.key.clone(),
                path,
                kind: ChangeKind::Added,
                ours: Vec::new(),
                proposed: m.paragraphs.clone(),
                ours_title: None,
                proposed_title: m.title.clone(),
            }),
        }
    }
    let merged_nodes = by_key(&merged.children);
    for l in ours.located() {
        if !merged_nodes.contains_key(&l.node.key) {
            items.push(ProposedChange {
                key: l.node.key.clone(),
                path: l.path.join(" / "),
                kind: ChangeKind::Removed,
                ours: l.node.paragraphs.clone(),
                proposed: Vec::new(),
                ours_title: l.node.title.clone(),
                proposed_title: None,
            });
        }
    }
    items
}

/// Why decisions cannot be applied yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecided {
    /// The conflicts without a decision, by label path.
    pub conflicts: Vec<String>,
}

/// The policy that results from `decisions` (by key) on the proposal
/// `merged` of `ours`. Refuses while a conflict is undecided.
pub fn apply_decisions(
    ours: &Document,
    merged: &Document,
    decisions: &BTreeMap<Key, Decision>,
) -> Result<Document, Undecided> {
    let items = proposed_changes(ours, merged);
    let undecided: Vec<String> = items
        .iter()
        .filter(|i| i.kind == ChangeKind::Conflict && !decisions.contains_key(&i.key))
        .map(|i| i.path.clone())
        .collect();
    if !undecided.is_empty() {
        return Err(Undecided {
            conflicts: undecided,
        });
    }
    let mut out = merged.clone();
    for item in &items {
        let decision = decisions.get(&item.key).unwrap_or(&Decision::Accept);
        match (item.kind, decision) {
            (ChangeKind::Removed, Decision::Accept) => {}
            (ChangeKind::Removed, Decision::KeepOurs | Decision::Edit(_)) => {
                restore(ours, &mut out, &item.key, decision);
            }
            (ChangeKind::Added, Decision::KeepOurs) => {
                if let Some(node) = take(&mut out.children, &item.key)
                    && let Some(from) = node.from
                {
                    out.meta.omitted.push(Omission {
                        from,
                        reason: DECLINED.to_string(),
                    });
                }
            }
            (ChangeKind::Conflict, Decision::Accept) if item.proposed.is_empty() => {
                take(&mut out.children, &item.key);
            }
            (kind, decision) => {
                if let Some(node) = find_mut(&mut out.children, &item.key) {
                    node.conflicts.clear();
                    match decision {
                        Decision::Accept => {
                            node.paragraphs = item.proposed.clone();
                            if kind == ChangeKind::Conflict {
                                node.status = Some(Status::Adopted);
                            }
                        }
                        Decision::KeepOurs => {
                            node.paragraphs = item.ours.clone();
                            node.title = item.ours_title.clone();
                            mark_modified(node);
                        }
                        Decision::Edit(text) => {
                            node.paragraphs = text.clone();
                            mark_modified(node);
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

fn mark_modified(node: &mut Node) {
    if node.from.is_some() {
        node.status = Some(Status::Modified);
    }
}

fn find_mut<'a>(nodes: &'a mut [Node], key: &Key) -> Option<&'a mut Node> {
    for n in nodes {
        if &n.key == key {
            return Some(n);
        }
        if let Some(found) = find_mut(&mut n.children, key) {
            return Some(found);
        }
    }
    None
}

/// Removes the node `key`; its children take its place.
fn take(nodes: &mut Vec<Node>, key: &Key) -> Option<Node> {
    if let Some(i) = nodes.iter().position(|n| &n.key == key) {
        let mut node = nodes.remove(i);
        let children = std::mem::take(&mut node.children);
        nodes.splice(i..i, children);
        return Some(node);
    }
    nodes.iter_mut().find_map(|n| take(&mut n.children, key))
}

/// Puts ours' clause `key` back into `out`: after the nearest earlier
/// sibling still there, under its parent if that is still there (else at
/// the end of the top level). It becomes the body's own clause.
fn restore(ours: &Document, out: &mut Document, key: &Key, decision: &Decision) {
    let located = ours.located();
    let Some(here) = located.iter().find(|l| &l.node.key == key) else {
        return;
    };
    let mut node = here.node.clone();
    node.children.clear();
    node.from = None;
    node.status = Some(Status::Added);
    if let Decision::Edit(text) = decision {
        node.paragraphs = text.clone();
    }
    let siblings: Vec<&Key> = located
        .iter()
        .filter(|l| l.parent == here.parent && l.index < here.index)
        .map(|l| &l.node.key)
        .collect();
    let parent = here.parent.and_then(|p| find_mut(&mut out.children, p));
    let list = match parent {
        Some(p) => &mut p.children,
        None => &mut out.children,
    };
    let at = siblings
        .iter()
        .rev()
        .find_map(|k| list.iter().position(|n| &n.key == *k))
        .map_or(if here.index == 0 { 0 } else { list.len() }, |i| i + 1);
    list.insert(at, node);
}
