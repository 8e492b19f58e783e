//! What the merge review shows of each change besides its two texts:
//! where the body's text and the proposal differ, the guideline's own
//! change behind it (the old and new clause, their differences marked),
//! and how the impact of the new edition relates to the review's items.
//! Computed once per proposal (see `review.rs`), never per page.

use std::collections::{HashMap, HashSet};

use kaitei_compare::chardiff;
use kaitei_compare::policy::{Cause, ImpactItem, MergeNote, ProposedChange, policy_key};
use kaitei_model::{Document, Key, Node};

/// A run of text, marked when it is what differs from the other side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    /// The text.
    pub text: String,
    /// Whether it differs (deleted on the old side, inserted on the new).
    pub changed: bool,
}

/// Paragraphs, each as its pieces.
pub type Marked = Vec<Vec<Piece>>;

/// `old` and `new` (paragraphs) with what differs marked on each side:
/// one character diff of the whole texts (so a change that moves text
/// between paragraphs is seen), cut back into paragraphs.
pub fn mark(old: &[String], new: &[String]) -> (Marked, Marked) {
    let (a, b) = (old.join("\n"), new.join("\n"));
    let (runs_a, runs_b) = chardiff::diff(&a, &b);
    (pieces(&a, &runs_a), pieces(&b, &runs_b))
}

/// `text` cut at the runs' edges and at its line breaks (which are not
/// kept: they separate the paragraphs).
fn pieces(text: &str, runs: &[chardiff::Run]) -> Marked {
    let mut out: Marked = vec![Vec::new()];
    let mut current = String::new();
    let mut changed = false;
    let flush = |out: &mut Marked, current: &mut String, changed: bool| {
        if !current.is_empty() {
            let paragraph = out.last_mut().expect("one paragraph at least");
            paragraph.push(Piece {
                text: std::mem::take(current),
                changed,
            });
        }
    };
    for (i, c) in text.chars().enumerate() {
        let inside = runs.iter().any(|r| r.start <= i && i < r.end);
        if inside != changed {
            flush(&mut out, &mut current, changed);
            changed = inside;
        }
        if c == '\n' {
            flush(&mut out, &mut current, changed);
            out.push(Vec::new());
        } else {
            current.push(c);
        }
    }
    flush(&mut out, &mut current, changed);
    if text.is_empty() {
        out.clear();
    }
    out
}

/// A guideline clause named in words: its edition, its label path and
/// the nearest title (its own, else its closest titled ancestor's) —
/// never its key alone, which means nothing to a reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClauseName {
    /// The edition (`令和7年3月版`).
    pub edition: String,
    /// The clause's key, for its link.
    pub key: String,
    /// Its labels from the top (`第2編 第2章 6. 6.1. (1) ⑤`).
    pub path: String,
    /// Its title, or its closest titled ancestor's.
    pub title: Option<String>,
}

/// Every clause of `edition` with its [`ClauseName`], by key.
pub fn clause_names(edition: &Document) -> HashMap<Key, ClauseName> {
    fn visit<'a>(
        nodes: &'a [Node],
        edition: &str,
        labels: &mut Vec<&'a str>,
        title: Option<&'a str>,
        out: &mut HashMap<Key, ClauseName>,
    ) {
        for n in nodes {
            labels.push(n.label.as_ref().map_or("", |l| l.written()));
            let title = n.title.as_deref().or(title);
            out.insert(
                n.key.clone(),
                ClauseName {
                    edition: edition.to_string(),
                    key: n.key.to_string(),
                    path: labels
                        .iter()
                        .filter(|l| !l.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" "),
                    title: title.map(str::to_string),
                },
            );
            visit(&n.children, edition, labels, title, out);
            labels.pop();
        }
    }
    let mut out = HashMap::new();
    visit(
        &edition.children,
        &edition.meta.edition,
        &mut Vec::new(),
        None,
        &mut out,
    );
    out
}

/// One side of the guideline's change: the clause and its text, what
/// differs from the other side marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuidelineSide {
    /// The clause.
    pub clause: ClauseName,
    /// Its title (if any) and text.
    pub text: Marked,
}

/// The guideline's own change behind a review item: the clause in the
/// edition the policy follows and in the new one (`None`: it is not in
/// that edition — new, or deleted).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuidelineChange {
    /// In the edition the policy follows.
    pub old: Option<GuidelineSide>,
    /// In the new edition.
    pub new: Option<GuidelineSide>,
}

/// A node's title (if any) then its text.
fn node_text(node: &Node) -> Vec<String> {
    node.title
        .iter()
        .cloned()
        .chain(node.paragraphs.iter().cloned())
        .collect()
}

/// What the review shows of each change beyond its two texts, by the
/// change's key.
#[derive(Debug, Clone, Default)]
pub(crate) struct Details {
    /// The body's text and the proposal, what differs marked.
    pub marks: HashMap<Key, (Marked, Marked)>,
    /// The guideline's change behind it, when it has one.
    pub guideline: HashMap<Key, GuidelineChange>,
    /// The new edition's clauses the merge's notes name.
    pub named: HashMap<Key, ClauseName>,
}

/// The details of `changes` and `notes`, of the proposal `merged` makes
/// of `ours` (which follows `old`) with `new`.
pub(crate) fn details(
    changes: &[ProposedChange],
    notes: &[MergeNote],
    (ours, merged): (&Document, &Document),
    (old, new): (&Document, &Document),
) -> Details {
    let ours_from: HashMap<&Key, &Key> = ours
        .nodes()
        .filter_map(|n| n.from.as_ref().map(|f| (&n.key, f)))
        .collect();
    let merged_from: HashMap<&Key, &Key> = merged
        .nodes()
        .filter_map(|n| n.from.as_ref().map(|f| (&n.key, f)))
        .collect();
    let (old_names, new_names) = (clause_names(old), clause_names(new));
    let old_nodes: HashMap<&Key, &Node> = old.nodes().map(|n| (&n.key, n)).collect();
    let new_nodes: HashMap<&Key, &Node> = new.nodes().map(|n| (&n.key, n)).collect();
    let mut out = Details::default();
    for n in notes {
        // A deleted clause is named as the old edition has it.
        let names = match n {
            MergeNote::DeletedInPlace { .. } => &old_names,
            _ => &new_names,
        };
        if let Some(from) = n.guideline_clause()
            && let Some(name) = names.get(from)
        {
            out.named.insert(from.clone(), name.clone());
        }
    }
    for c in changes {
        let ours_text: Vec<String> = c.ours_title.iter().chain(&c.ours).cloned().collect();
        let proposed: Vec<String> = c
            .proposed_title
            .iter()
            .chain(&c.proposed)
            .cloned()
            .collect();
        out.marks.insert(c.key.clone(), mark(&ours_text, &proposed));
        let was = ours_from
            .get(&c.key)
            .and_then(|k| Some((old_nodes.get(k)?, old_names.get(*k)?)));
        // A clause kept as the body wrote it keeps the key it came from,
        // which the new edition carries forward.
        let now = merged_from
            .get(&c.key)
            .or_else(|| ours_from.get(&c.key))
            .and_then(|k| Some((new_nodes.get(k)?, new_names.get(*k)?)));
        if was.is_none() && now.is_none() {
            continue;
        }
        let (old_text, new_text) = mark(
            &was.map(|(n, _)| node_text(n)).unwrap_or_default(),
            &now.map(|(n, _)| node_text(n)).unwrap_or_default(),
        );
        out.guideline.insert(
            c.key.clone(),
            GuidelineChange {
                old: was.map(|(_, name)| GuidelineSide {
                    clause: name.clone(),
                    text: old_text,
                }),
                new: now.map(|(_, name)| GuidelineSide {
                    clause: name.clone(),
                    text: new_text,
                }),
            },
        );
    }
    out
}

/// How the impact of the new edition relates to the review: the review
/// item each impact item leads to, and how many review items no impact
/// item leads to (the clauses under a new clause, which the impact counts
/// once with it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImpactLinks {
    /// For each impact item, in order, the key of its review item (`None`:
    /// nothing in the policy's text changes — a move with the same words,
    /// an omitted clause whose omission is to be confirmed).
    pub review_keys: Vec<Option<String>>,
    /// Review items no impact item leads to.
    pub unlinked: usize,
}

/// Links `items` (the impact of the new edition) to `changes` (the
/// review's items).
pub fn link_impact(items: &[ImpactItem], changes: &[ProposedChange]) -> ImpactLinks {
    let keys: HashSet<&Key> = changes.iter().map(|c| &c.key).collect();
    let mut linked: HashSet<&Key> = HashSet::new();
    let review_keys = items
        .iter()
        .map(|i| {
            let candidate = match (i.cause, &i.policy_key, &i.new_key) {
                (_, Some(k), _) => Some(k.clone()),
                // A new clause is proposed under the key merging gives it.
                (Cause::Added, None, Some(g)) => Some(policy_key(g)),
                _ => None,
            };
            let found = candidate.and_then(|k| keys.get(&k).copied());
            if let Some(k) = found {
                linked.insert(k);
            }
            found.map(|k| k.to_string())
        })
        .collect();
    ImpactLinks {
        review_keys,
        unlinked: keys.len() - linked.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(m: &Marked) -> Vec<String> {
        m.iter()
            .map(|p| {
                p.iter()
                    .map(|x| {
                        if x.changed {
                            format!("[{}]", x.text)
                        } else {
                            x.text.clone()
                        }
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn marks_what_differs_paragraph_by_paragraph() {
        let (o, n) = mark(
            &["目的".into(), "情報資産を守る。".into()],
            &["目的".into(), "情報資産を適切に守る。".into()],
        );
        assert_eq!(shown(&o), ["目的", "情報資産を守る。"]);
        assert!(shown(&n)[1].contains("[適切に"), "{:?}", shown(&n));
        assert_eq!(shown(&n)[0], "目的");
    }

    #[test]
    fn nothing_on_one_side_is_no_paragraph() {
        let (o, n) = mark(&[], &["新設の条項。".into()]);
        assert!(o.is_empty());
        assert_eq!(shown(&n), ["[新設の条項。]"]);
    }

    #[test]
    fn a_clause_is_named_by_its_labels_and_nearest_title() {
        let parsed = kaitei_format::authoring::parse(
            "---\nkind: guideline\ntitle: G\nedition: 令和7年3月版\n---\n# 第2編 例文 {#p2}\n## 6. 人的セキュリティ {#s6}\n(1) 職員等は守る。 {#s6-1}\n",
        );
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        let names = clause_names(&parsed.document);
        let item = &names[&Key::new("s6-1").unwrap()];
        assert_eq!(item.path, "第2編 6. (1)");
        assert_eq!(item.title.as_deref(), Some("人的セキュリティ"));
        assert_eq!(item.edition, "令和7年3月版");
    }
}
