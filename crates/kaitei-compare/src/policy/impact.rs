//! The impact of a new guideline edition on a body's policy: which of the
//! body's clauses each guideline change touches, how badly, and why.

use std::sync::Arc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use kaitei_model::{Document, FlatNodes, Key, Omission, Status};

use crate::table::{Comparison, RowKind};

/// How urgent an impact item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing; nothing to decide.
    Low,
    /// Should be looked at: the new edition adds something the policy lacks.
    Medium,
    /// Needs a decision: the body's own wording meets a changed or deleted
    /// guideline clause.
    High,
}

impl Severity {
    /// The word used in JSON and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

/// Why a clause is affected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cause {
    /// The guideline clause changed; the body had adopted it as it was.
    ChangedAdopted,
    /// The guideline clause changed; the body had its own wording.
    ChangedModified,
    /// The guideline clause was deleted.
    Deleted,
    /// The guideline gained a clause the policy does not have.
    Added,
    /// The guideline clause moved elsewhere in the guideline.
    Moved,
    /// A clause the body omitted changed: is the omission still right?
    OmittedChanged,
}

impl Cause {
    /// The word used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Cause::ChangedAdopted => "changed-adopted",
            Cause::ChangedModified => "changed-modified",
            Cause::Deleted => "deleted",
            Cause::Added => "added",
            Cause::Moved => "moved",
            Cause::OmittedChanged => "omitted-changed",
        }
    }

    /// What it means for the body, in Japanese, with `{0}` for the old
    /// guideline path, `{1}` for the new one and `{2}` for the reason an
    /// omitted clause was omitted (interfaces translate this text).
    pub fn explanation(self) -> &'static str {
        match self {
            Cause::Deleted => "ガイドラインの{0}が削除された：この条項の扱いを決める必要がある",
            Cause::ChangedAdopted => "採用していた{0}が改正された：新しい文言に更新できる",
            Cause::ChangedModified => {
                "独自に修正していた{0}が改正された：団体の文言と改正内容の調整が必要"
            }
            Cause::Moved => "{0}が{1}に移動した（文言は変わらない）",
            Cause::OmittedChanged => {
                "省略していた{0}が改正された：省略の理由（{2}）がなお当てはまるか確認"
            }
            Cause::Added => "ガイドラインに{1}が新設された：規定の追加を検討",
        }
    }

    /// [`Cause::explanation`] filled in.
    pub fn explain(self, old_path: &str, new_path: &str, reason: &str) -> String {
        self.explanation()
            .replace("{0}", old_path)
            .replace("{1}", new_path)
            .replace("{2}", reason)
    }

    /// Its severity.
    pub fn severity(self) -> Severity {
        match self {
            Cause::ChangedModified | Cause::Deleted => Severity::High,
            Cause::Added | Cause::OmittedChanged => Severity::Medium,
            Cause::ChangedAdopted | Cause::Moved => Severity::Low,
        }
    }
}

/// One affected clause (or, for an added guideline clause, the place the
/// policy lacks it).
#[derive(Debug, Clone, PartialEq)]
pub struct ImpactItem {
    /// Why.
    pub cause: Cause,
    /// The policy clause's key (none for an added guideline clause).
    pub policy_key: Option<Key>,
    /// The policy clause's label path.
    pub policy_path: String,
    /// The guideline clause in the old edition.
    pub old_key: Option<Key>,
    /// Its label path (shared by every policy's item from that clause: a
    /// national run makes a hundred thousand items from a few hundred).
    pub old_path: Arc<str>,
    /// The guideline clause in the new edition.
    pub new_key: Option<Key>,
    /// Its label path (shared, as `old_path` is).
    pub new_path: Arc<str>,
    /// One line for the person reading it (shared, as `old_path` is).
    pub explanation: Arc<str>,
}

impl ImpactItem {
    /// The item's severity.
    pub fn severity(&self) -> Severity {
        self.cause.severity()
    }
}

/// What changed for each old guideline key, from a comparison of the old
/// and new editions: computed once and reused for every policy, down to
/// the line each item explains itself with.
#[derive(Debug, Clone)]
pub struct EditionChanges {
    /// By old key: (row kind, moved, old path, new key and path).
    by_old: HashMap<Key, Change>,
    /// Clauses only in the new edition: (new key, new path, parent's old
    /// key), with the item's explanation.
    added: Vec<Added>,
    /// The keys of those clauses.
    added_keys: HashSet<Key>,
    /// The old keys of those clauses' parents.
    parents: HashSet<Key>,
    /// The empty path, shared by every item without one (an `Arc<str>`
    /// made afresh, even empty, is an allocation).
    no_path: Arc<str>,
}

/// A clause only in the new edition: its key and path, its parent's old
/// key, and the item's explanation.
type Added = (Key, Arc<str>, Option<Key>, Arc<str>);

#[derive(Debug, Clone)]
struct Change {
    kind: RowKind,
    old_path: Arc<str>,
    new: Option<(Key, Arc<str>)>,
    /// The cause and explanation of a policy clause derived from this one,
    /// adopted as it was (`[0]`) or in the body's own wording (`[1]`); none
    /// when such a clause is not affected.
    item: [Option<(Cause, Arc<str>)>; 2],
}

impl Change {
    fn new(kind: RowKind, moved: bool, old_path: String, new: Option<(Key, String)>) -> Change {
        let cause = |adopted: bool| {
            let cause = match kind {
                RowKind::Deleted => Cause::Deleted,
                RowKind::Changed | RowKind::Split | RowKind::Merged if adopted => {
                    Cause::ChangedAdopted
                }
                RowKind::Changed | RowKind::Split | RowKind::Merged => Cause::ChangedModified,
                RowKind::Unchanged | RowKind::Added if moved => Cause::Moved,
                _ => return None,
            };
            let new_path = new.as_ref().map_or("", |(_, p)| p.as_str());
            Some((cause, cause.explain(&old_path, new_path, "").into()))
        };
        let item = [cause(true), cause(false)];
        Change {
            kind,
            old_path: old_path.into(),
            new: new.map(|(k, p)| (k, p.into())),
            item,
        }
    }
}

impl EditionChanges {
    /// Summarises a comparison of two guideline editions.
    pub fn new(cmp: &Comparison) -> EditionChanges {
        let mut by_old = HashMap::default();
        let mut added = Vec::new();
        for row in &cmp.rows {
            match (row.old, row.new) {
                (Some(o), new) => {
                    let quiet = row.kind == RowKind::Unchanged && !row.moved;
                    if quiet {
                        continue;
                    }
                    by_old
                        .entry(cmp.old.nodes[o].node.key.clone())
                        .or_insert_with(|| {
                            Change::new(
                                row.kind,
                                row.moved,
                                cmp.old.path_string(o),
                                new.map(|n| {
                                    (cmp.new.nodes[n].node.key.clone(), cmp.new.path_string(n))
                                }),
                            )
                        });
                }
                (None, Some(n)) => {
                    // Only the top of an added subtree: its children come
                    // with it.
                    let parent = cmp.new.nodes[n].parent;
                    let parent_old = parent.and_then(|p| cmp.alignment.old_for(p));
                    if parent.is_some() && parent_old.is_none() {
                        continue;
                    }
                    let parent = parent_old.map(|o| cmp.old.nodes[o].node.key.clone());
                    let new_path = cmp.new.path_string(n);
                    let explanation = Cause::Added.explain("", &new_path, "");
                    added.push((
                        cmp.new.nodes[n].node.key.clone(),
                        new_path.into(),
                        parent,
                        explanation.into(),
                    ));
                }
                (None, None) => {}
            }
        }
        let added_keys = added.iter().map(|a| a.0.clone()).collect();
        let parents = added.iter().filter_map(|a| a.2.clone()).collect();
        EditionChanges {
            by_old,
            added,
            added_keys,
            parents,
            no_path: Arc::from(""),
        }
    }
}

/// The impact of the changes on one policy (whose clauses carry `from`).
pub fn impact(policy: &Document, changes: &EditionChanges) -> Vec<ImpactItem> {
    impact_on(
        &FlatNodes::of(&policy.children),
        &policy.meta.omitted,
        changes,
    )
}

/// [`impact`] on a policy's nodes laid out flat, with the clauses it
/// omitted: the form a national run reads every policy in.
pub fn impact_on(
    nodes: &FlatNodes,
    omitted: &[Omission],
    changes: &EditionChanges,
) -> Vec<ImpactItem> {
    let mut items = Vec::new();
    // Of the new clauses, those the policy already has, and where the
    // policy has the parents of the others (the last node derived from
    // each): only these keys are kept, not every node's.
    let mut covered: HashSet<&Key> = HashSet::default();
    let mut parents: HashMap<&Key, usize> = HashMap::default();
    for (i, n) in nodes.iter() {
        let Some(from) = &n.from else { continue };
        if changes.added_keys.contains(from) {
            covered.insert(from);
        }
        if changes.parents.contains(from) {
            parents.insert(from, i);
        }
        let Some(c) = changes.by_old.get(from) else {
            continue;
        };
        let adopted = n.status == Some(Status::Adopted);
        let Some((cause, explanation)) = &c.item[usize::from(!adopted)] else {
            continue;
        };
        let (new_key, new_path) = c
            .new
            .clone()
            .map_or_else(|| (None, changes.no_path.clone()), |(k, p)| (Some(k), p));
        items.push(ImpactItem {
            cause: *cause,
            policy_key: Some(n.key.clone()),
            // Joined only for an affected clause: a national run passes a
            // million nodes.
            policy_path: nodes.path(i),
            old_key: Some(from.clone()),
            old_path: c.old_path.clone(),
            new_key,
            new_path,
            explanation: explanation.clone(),
        });
    }
    for o in omitted {
        if let Some(c) = changes.by_old.get(&o.from)
            && c.kind != RowKind::Unchanged
        {
            items.push(ImpactItem {
                cause: Cause::OmittedChanged,
                policy_key: None,
                policy_path: String::new(),
                old_key: Some(o.from.clone()),
                old_path: c.old_path.clone(),
                new_key: c.new.as_ref().map(|(k, _)| k.clone()),
                new_path: c
                    .new
                    .as_ref()
                    .map_or_else(|| changes.no_path.clone(), |(_, p)| p.clone()),
                explanation: Cause::OmittedChanged
                    .explain(
                        &c.old_path,
                        c.new.as_ref().map_or("", |(_, p)| p),
                        &o.reason,
                    )
                    .into(),
            });
        }
    }
    // New guideline clauses: reported where their parent is in the policy
    // (or at the top), unless the policy already has them.
    for (key, new_path, parent, explanation) in &changes.added {
        if covered.contains(key) {
            continue;
        }
        let place = parent.as_ref().and_then(|p| parents.get(p));
        if parent.is_some() && place.is_none() {
            continue; // its parent is omitted or not adopted: nothing to add
        }
        items.push(ImpactItem {
            cause: Cause::Added,
            policy_key: None,
            policy_path: place.map_or_else(String::new, |&i| nodes.path(i)),
            old_key: None,
            old_path: changes.no_path.clone(),
            new_key: Some(key.clone()),
            new_path: new_path.clone(),
            explanation: explanation.clone(),
        });
    }
    items.sort_by_key(|i| std::cmp::Reverse(i.severity()));
    items
}
