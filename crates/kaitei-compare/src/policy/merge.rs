//! Three-way merge: base = the edition a policy derives from, theirs = the
//! new edition, ours = the body's policy → a proposed new policy.
//!
//! The result follows the new edition's structure (numbering, order, new
//! clauses). Adopted clauses take the new text; the body's own wording is
//! kept where the guideline did not change; where both changed, the clause
//! holds a conflict with the body's text, the old guideline text and the
//! new one, never resolved silently. The body's own clauses stay after the
//! clause they followed; omitted clauses stay omitted.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use kaitei_model::text::fill_placeholders;
use kaitei_model::{Conflict, Document, Key, Node, NodeKind, Status};

use super::law;
use super::notes::MergeNote;
use super::within::{Merge3, merge3};
use super::{example_text, policy_key};
use crate::keys::inherit_keys;
use crate::similarity::normalize;

/// A proposed policy and how many conflicts it holds.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The proposed policy (conflicts inside the clauses that have them).
    pub document: Document,
    /// How many clauses hold a conflict.
    pub conflicts: usize,
    /// Clauses both the body and the guideline changed whose changes did
    /// not overlap: the guideline's change applied to the body's wording
    /// (`status=modified`), in document order.
    pub merged_within: Vec<MergedWithin>,
    /// What the review should be told about where new clauses went in a
    /// policy in its own structure (law style): an order that could not be
    /// kept without renumbering, a 項 put at the end, a caption taken from
    /// the guideline.
    pub notes: Vec<MergeNote>,
}

/// A clause merged within: the guideline's change applied to the body's
/// wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedWithin {
    /// The policy clause's key.
    pub key: Key,
    /// The guideline clause (new edition) whose change was applied.
    pub from: Key,
    /// The words the guideline's change wrote into the clause (inserted or
    /// replacing), in order; deletions write none.
    pub words: Vec<String>,
    /// How many changes of the guideline's were applied.
    pub applied: usize,
}

/// A node's title and text merged within.
struct Within {
    title: Option<String>,
    paragraphs: Vec<String>,
    words: Vec<String>,
    applied: usize,
}

struct Ctx<'a> {
    old: HashMap<&'a Key, &'a Node>,
    ours: HashMap<&'a Key, &'a Node>,
    omitted: HashSet<&'a Key>,
    /// Every key of the new edition (after carrying keys forward).
    new_keys: HashSet<Key>,
    values: &'a BTreeMap<String, String>,
    old_edition: String,
    new_edition: String,
    conflicts: usize,
    merged_within: Vec<MergedWithin>,
    notes: Vec<MergeNote>,
    /// Guideline clauses whose change has landed on a policy clause.
    landed: HashSet<Key>,
}

fn index<'a>(nodes: &'a [Node], by_key: &mut HashMap<&'a Key, &'a Node>) {
    for n in nodes {
        by_key.insert(&n.key, n);
        index(&n.children, by_key);
    }
}

fn ours_index<'a>(nodes: &'a [Node], by_from: &mut HashMap<&'a Key, &'a Node>) {
    for n in nodes {
        if let Some(f) = &n.from {
            by_from.insert(f, n);
        }
        ours_index(&n.children, by_from);
    }
}

impl Ctx<'_> {
    /// A conflict between the body's text, the old guideline clause `base`
    /// and the new one (`None`: deleted); counted.
    fn conflict(&mut self, ours: &Node, base: &Node, theirs: Option<&Node>) -> Conflict {
        self.conflicts += 1;
        Conflict {
            ours_name: "本団体".into(),
            ours: ours.paragraphs.clone(),
            base: Some((
                format!("旧版 {}", self.old_edition),
                base.paragraphs.iter().map(|s| self.fill(s)).collect(),
            )),
            theirs: theirs.map_or_else(Vec::new, |g| {
                g.paragraphs.iter().map(|s| self.fill(s)).collect()
            }),
            theirs_name: match theirs {
                Some(_) => format!("新版 {}", self.new_edition),
                None => format!("新版 {}（削除）", self.new_edition),
            },
        }
    }

    /// The body's clause `p` with the guideline's change from `o` to `g`
    /// applied to its wording, title and text, paragraph by paragraph;
    /// `None` when the changes overlap (a conflict). Placeholders are
    /// filled in the guideline's texts first, so a value the body filled
    /// is not a change of the body's.
    fn within(&self, p: &Node, o: &Node, g: &Node) -> Option<Within> {
        let fill_all = |n: &Node| {
            n.paragraphs
                .iter()
                .map(|s| self.fill(s))
                .collect::<Vec<_>>()
                .join("\n")
        };
        let mut words = Vec::new();
        let mut applied = 0;
        let mut take = |base: &str, ours: &str, theirs: &str| -> Option<String> {
            match merge3(base, ours, theirs) {
                Merge3::Clean {
                    text,
                    from_theirs,
                    applied: n,
                } => {
                    let chars: Vec<char> = text.chars().collect();
                    words.extend(
                        from_theirs
                            .iter()
                            .map(|r| chars[r.start..r.end].iter().collect::<String>()),
                    );
                    applied += n;
                    Some(text)
                }
                Merge3::Conflict => None,
            }
        };
        let text = take(&fill_all(o), &p.paragraphs.join("\n"), &fill_all(g))?;
        let title = match (&p.title, &o.title, &g.title) {
            (Some(pt), Some(ot), Some(gt)) => Some(take(&self.fill(ot), pt, &self.fill(gt))?),
            (pt, _, _) => pt.clone(),
        };
        Some(Within {
            title,
            paragraphs: text.split('\n').map(str::to_string).collect(),
            words,
            applied,
        })
    }

    /// Merges the clause both changed into `n` (a copy of the body's
    /// clause `p`): within the clause where the changes do not overlap,
    /// else a whole-clause conflict.
    fn both_changed(&mut self, n: &mut Node, p: &Node, o: &Node, g: &Node) {
        match self.within(p, o, g) {
            Some(w) => {
                n.title = w.title;
                n.paragraphs = w.paragraphs;
                n.status = Some(Status::Modified);
                self.merged_within.push(MergedWithin {
                    key: n.key.clone(),
                    from: g.key.clone(),
                    words: w.words,
                    applied: w.applied,
                });
            }
            None => {
                let c = self.conflict(p, o, Some(g));
                n.conflicts.push(c);
            }
        }
    }

    fn fill(&self, s: &str) -> String {
        fill_placeholders(s, |n| self.values.get(n).cloned())
    }

    fn content(&self, n: &Node) -> String {
        normalize(&self.fill(&format!(
            "{}{}",
            n.title.as_deref().unwrap_or(""),
            n.paragraphs.concat()
        )))
    }

    /// The merged counterpart of new guideline node `g` (`None`: it is not
    /// in the policy).
    fn node(&mut self, g: &Node) -> Option<Node> {
        let in_old = self.old.get(&g.key).copied();
        if self.omitted.contains(&g.key) {
            return None;
        }
        let ours = self.ours.get(&g.key).copied();
        let mut n = match (in_old, ours) {
            // A clause new in this edition: proposed as the guideline has it.
            (None, _) => self.derived(g, policy_key(&g.key)),
            // The policy never had it (and did not list it as omitted).
            (Some(_), None) => return None,
            (Some(o), Some(p)) => {
                let base_changed = self.content(o) != self.content(g);
                match p.status {
                    Some(Status::Modified) if base_changed => {
                        let mut n = p.clone();
                        n.children.clear();
                        n.label = g.label.clone();
                        self.both_changed(&mut n, p, o, g);
                        n
                    }
                    Some(Status::Modified) => {
                        let mut n = p.clone();
                        n.children.clear();
                        n.label = g.label.clone();
                        n
                    }
                    _ => self.derived(g, p.key.clone()),
                }
            }
        };
        n.children = self.children(&g.children, ours);
        Some(n)
    }

    fn derived(&self, g: &Node, key: Key) -> Node {
        let mut n = Node::new(g.kind, key);
        n.key_pinned = true;
        n.label = g.label.clone();
        n.title = g.title.as_ref().map(|t| self.fill(t));
        n.paragraphs = g.paragraphs.iter().map(|p| self.fill(p)).collect();
        n.from = Some(g.key.clone());
        n.status = Some(Status::Adopted);
        n
    }

    /// Merged children: the new edition's, then the body's own clauses (and
    /// its modified clauses whose guideline clause was deleted) after the
    /// clause they followed.
    fn children(&mut self, gs: &[Node], ours: Option<&Node>) -> Vec<Node> {
        let mut out: Vec<Node> = gs.iter().filter_map(|g| self.node(g)).collect();
        let Some(p) = ours else { return out };
        let mut after: Option<Key> = None;
        let mut inserted_after: HashMap<Option<Key>, usize> = HashMap::new();
        for c in &p.children {
            let keep = match (&c.from, c.status) {
                (None, _) | (_, Some(Status::Added)) => Some(c.clone()),
                // Its guideline clause is gone: the body's wording is kept,
                // with the deletion as a conflict to decide.
                (Some(f), Some(Status::Modified)) if !self.new_keys.contains(f) => {
                    match self.old.get(f).copied() {
                        Some(o) => {
                            let mut k = c.clone();
                            let conflict = self.conflict(c, o, None);
                            k.conflicts.push(conflict);
                            Some(k)
                        }
                        None => None,
                    }
                }
                _ => None,
            };
            match keep {
                Some(k) => {
                    let count = inserted_after.entry(after.clone()).or_default();
                    let base = match &after {
                        Some(a) => out
                            .iter()
                            .position(|n| &n.key == a)
                            .map_or(out.len(), |i| i + 1),
                        None => 0,
                    };
                    out.insert((base + *count).min(out.len()), k);
                    *count += 1;
                }
                None => {
                    if let Some(f) = &c.from {
                        after = out
                            .iter()
                            .find(|n| n.from.as_ref() == Some(f))
                            .map(|n| n.key.clone())
                            .or(after);
                    }
                }
            }
        }
        out
    }
}

/// Guideline node `g` as law-style article `p` has it: where the article
/// has a caption and the guideline item writes its caption as its first
/// line (a short paragraph with no sentence end, before the text), that
/// line is the title, not text — so a caption never becomes a paragraph.
fn caption_apart<'a>(p: &Node, g: &'a Node) -> Cow<'a, Node> {
    let caption_like = |s: &str| s.chars().count() <= 40 && !s.contains('。');
    if p.kind == NodeKind::Article
        && p.title.is_some()
        && g.title.is_none()
        && g.paragraphs.len() >= 2
        && caption_like(&g.paragraphs[0])
    {
        let mut g = g.clone();
        g.title = Some(g.paragraphs.remove(0));
        Cow::Owned(g)
    } else {
        Cow::Borrowed(g)
    }
}

/// Whether the policy keeps the guideline's structure (a derived policy):
/// most of its clauses sit under the clause derived from their guideline
/// clause's parent. A policy in its own structure (law style) is merged in
/// that structure instead.
fn follows_guideline(policy: &Document, old: &Document) -> bool {
    let mut parent_of: HashMap<&Key, Option<&Key>> = HashMap::new();
    fn parents<'a>(
        nodes: &'a [Node],
        parent: Option<&'a Key>,
        out: &mut HashMap<&'a Key, Option<&'a Key>>,
    ) {
        for n in nodes {
            out.insert(&n.key, parent);
            parents(&n.children, Some(&n.key), out);
        }
    }
    parents(example_text(old), None, &mut parent_of);
    let (mut same, mut total) = (0, 0);
    fn visit(
        nodes: &[Node],
        parent_from: Option<&Key>,
        parent_of: &HashMap<&Key, Option<&Key>>,
        same: &mut usize,
        total: &mut usize,
    ) {
        for n in nodes {
            if let Some(f) = &n.from {
                *total += 1;
                if parent_of.get(f).copied().flatten() == parent_from {
                    *same += 1;
                }
            }
            visit(&n.children, n.from.as_ref(), parent_of, same, total);
        }
    }
    visit(&policy.children, None, &parent_of, &mut same, &mut total);
    total == 0 || same * 10 >= total * 8
}

impl Ctx<'_> {
    /// Merges one clause of a policy in its own structure: its place and
    /// numbering stay the body's; the text follows the rules of the merge.
    fn own(&mut self, p: &Node, new: &HashMap<&Key, &Node>) -> Option<Node> {
        let mut n = p.clone();
        n.children.clear();
        if let Some(from) = &p.from
            && let Some(o) = self.old.get(from).copied()
        {
            // Captions stay captions: an item whose first line is its
            // caption is read as the article has it.
            let o = &*caption_apart(p, o);
            let g = new.get(from).map(|g| caption_apart(p, g));
            let g = g.as_deref();
            // A guideline clause the body split: its change lands on the
            // first of its parts only, and the review is told.
            if let Some(g) = g
                && self.content(o) != self.content(g)
                && !self.landed.insert(from.clone())
            {
                self.notes.push(MergeNote::Split {
                    label: p.label.as_ref().map_or("", |l| l.written()).to_string(),
                    from: from.clone(),
                });
                n.children = p.children.iter().filter_map(|c| self.own(c, new)).collect();
                return Some(n);
            }
            match (g, p.status) {
                (None, Some(Status::Modified)) => {
                    let c = self.conflict(p, o, None);
                    n.conflicts.push(c);
                }
                // Adopted and deleted: the clause goes, unless it holds others.
                // An article goes as drafting deletes one in place: it
                // stays as 「削除」, so the later articles keep their numbers.
                (None, _) if p.children.is_empty() && law::is_article(p) => {
                    self.notes.push(MergeNote::DeletedInPlace {
                        label: p.label.as_ref().map_or("", |l| l.written()).to_string(),
                        from: from.clone(),
                    });
                    return Some(law::deleted_in_place(p));
                }
                (None, _) if p.children.is_empty() => return None,
                (None, _) => {}
                (Some(g), status) if self.content(o) != self.content(g) => {
                    if status == Some(Status::Modified) {
                        self.both_changed(&mut n, p, o, g);
                    } else {
                        n.paragraphs = g.paragraphs.iter().map(|s| self.fill(s)).collect();
                        if g.title.is_some() && p.title.is_some() {
                            n.title = g.title.as_ref().map(|t| self.fill(t));
                        }
                    }
                }
                _ => {}
            }
        }
        n.children = p.children.iter().filter_map(|c| self.own(c, new)).collect();
        let moved = law::close_paragraph_gaps(&p.children, &mut n.children);
        if !moved.is_empty() {
            self.notes.push(MergeNote::ParagraphsMovedUp {
                label: p.label.as_ref().map_or("", |l| l.written()).to_string(),
                moves: moved,
            });
        }
        Some(n)
    }

    /// Places the clauses new in the new edition (`nodes`, children of
    /// guideline node `parent`) into `top`, a policy in its own structure,
    /// as law-style drafting inserts provisions (`law.rs`); a clause none of
    /// whose siblings is in the policy goes under the unit its parent
    /// became.
    fn place_added(&mut self, top: &mut Vec<Node>, nodes: &[Node], parent: Option<&Node>) {
        for (i, g) in nodes.iter().enumerate() {
            if self.old.contains_key(&g.key) {
                self.place_added(top, &g.children, Some(g));
                continue;
            }
            let mut d = self.derived(g, policy_key(&g.key));
            d.children = Vec::new();
            let prev = nodes[..i]
                .iter()
                .rev()
                .find_map(|s| law::find_from(top, &s.key));
            let next = match prev {
                Some(_) => None,
                None => nodes[i + 1..]
                    .iter()
                    .find_map(|s| law::find_from(top, &s.key)),
            };
            let parent_title = parent
                .and_then(|p| p.title.as_deref())
                .map(|t| self.fill(t));
            match law::insert_law_style(top, d, parent_title.as_deref(), prev, next) {
                Ok(Some(note)) => self.notes.push(note),
                Ok(None) => {}
                Err(d) => {
                    if let Some(p) = parent
                        && let Some(path) = law::find_from(top, &p.key)
                        && let Some(n) = law::node_mut(top, &path)
                    {
                        n.children.push(*d);
                    }
                }
            }
        }
    }
}

/// Merges: `policy` derives from `old`; `new` is the new edition. Keys of
/// `new` are carried forward from `old` first, so a clause is recognised
/// however it was renumbered or moved.
pub fn merge(
    policy: &Document,
    old: &Document,
    new: &Document,
    values: &BTreeMap<String, String>,
) -> Merged {
    let mut new = new.clone();
    inherit_keys(old, &mut new);
    let mut old_index = HashMap::new();
    index(&old.children, &mut old_index);
    let mut ours = HashMap::new();
    ours_index(&policy.children, &mut ours);
    let mut ctx = Ctx {
        old: old_index,
        ours,
        omitted: policy.meta.omitted.iter().map(|o| &o.from).collect(),
        new_keys: new.nodes().map(|n| n.key.clone()).collect(),
        values,
        old_edition: old.meta.edition.clone(),
        new_edition: new.meta.edition.clone(),
        conflicts: 0,
        merged_within: Vec::new(),
        notes: Vec::new(),
        landed: HashSet::new(),
    };
    let children = if follows_guideline(policy, old) {
        // The policy's top level is treated as the children of one root, so
        // the body's own top-level clauses are kept too.
        let mut root = Node::new(
            kaitei_model::NodeKind::Heading,
            Key::new("_").expect("a valid key"),
        );
        root.children = policy.children.clone();
        ctx.children(example_text(&new), Some(&root))
    } else {
        let mut new_index = HashMap::new();
        index(&new.children, &mut new_index);
        let mut top: Vec<Node> = policy
            .children
            .iter()
            .filter_map(|n| ctx.own(n, &new_index))
            .collect();
        ctx.place_added(&mut top, example_text(&new), None);
        top
    };
    let mut meta = policy.meta.clone();
    meta.derived_from = Some(new.meta.edition.clone());
    Merged {
        conflicts: ctx.conflicts,
        merged_within: ctx.merged_within,
        notes: ctx.notes,
        document: Document {
            meta,
            preamble: policy.preamble.clone(),
            children,
        },
    }
}
