//! Recovering the provenance of a policy written without kaitei: which
//! guideline clause each of its clauses derives from, and how.
//!
//! A body's policy is often renumbered its own way and enacted in law style
//! (the guideline's sections became articles, its items 項 and 号), so the
//! guideline's tree shape is no guide. Each policy clause is matched on its
//! content against every guideline clause (placeholders filled with the
//! body's values), candidates found through a MinHash index; a clause whose
//! parent matched a guideline clause prefers that clause's children.

use std::collections::BTreeMap;

use kaitei_model::text::fill_placeholders;
use kaitei_model::{Document, Key, Node, Omission, Status};
use rustc_hash::FxHashMap;

use crate::similarity::{Bigrams, Sketch, normalize};

use super::example_text;

/// Lowest score at which a policy clause is said to derive from a
/// guideline clause.
pub const PAIR_MIN: f64 = 0.5;
/// Pairs scoring below this go on the review list for a person to confirm.
pub const REVIEW_BELOW: f64 = 0.75;
/// Bonus for a candidate under the guideline clause the policy clause's
/// parent derives from: structure breaks ties between look-alikes.
const SAME_PARENT_BONUS: f64 = 0.08;
/// How many of a sketch's smallest hashes index it.
const BAND: usize = 16;

/// A pair a person should confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct UncertainPair {
    /// The policy clause's label path.
    pub policy_path: String,
    /// The guideline clause's label path.
    pub guideline_path: String,
    /// The guideline clause's key.
    pub guideline_key: Key,
    /// How similar they are (0–1).
    pub score: f64,
    /// The runner-up's score, when there was one.
    pub runner_up: Option<f64>,
}

struct Clause<'a> {
    node: &'a Node,
    path: String,
    parent: Option<usize>,
    text: String,
    bigrams: Bigrams,
}

fn flatten<'a>(
    nodes: &'a [Node],
    values: Option<&BTreeMap<String, String>>,
    parent: Option<usize>,
    prefix: &str,
    out: &mut Vec<Clause<'a>>,
) {
    for n in nodes {
        let path = if prefix.is_empty() {
            n.path_segment().to_string()
        } else {
            format!("{prefix} / {}", n.path_segment())
        };
        let raw: String = n
            .title
            .iter()
            .chain(&n.paragraphs)
            .map(String::as_str)
            .collect();
        // Unfilled placeholders would only add noise.
        let filled = match values {
            Some(v) => {
                fill_placeholders(&raw, |name| Some(v.get(name).cloned().unwrap_or_default()))
            }
            None => raw,
        };
        let text = normalize(&filled);
        let index = out.len();
        out.push(Clause {
            node: n,
            path: path.clone(),
            parent,
            bigrams: Bigrams::of(&text),
            text,
        });
        flatten(&n.children, values, Some(index), &path, out);
    }
}

/// Shorter texts than this share of the longer get no credit for being
/// contained in it: a heading's few words appear in many clauses.
const CONTAINED_SHARE: f64 = 0.3;

fn score(a: &Bigrams, b: &Bigrams) -> f64 {
    let dice = a.dice(b);
    let (shorter, longer) = (a.len().min(b.len()), a.len().max(b.len()));
    if shorter < 8 || (shorter as f64) < CONTAINED_SHARE * longer as f64 {
        return dice;
    }
    // A clause that holds most of the other (an article = a section's
    // title and its first item) counts almost as much as an equal one.
    dice.max(0.9 * a.common(b) as f64 / shorter as f64)
}

/// Recovers provenance: returns `policy` with `from` and `status` on each
/// clause that derives from the guideline (`added` on the others) and the
/// guideline clauses it leaves out listed as omitted, plus the pairs a
/// person should confirm.
pub fn align_policy(
    policy: &Document,
    guideline: &Document,
    values: &BTreeMap<String, String>,
) -> (Document, Vec<UncertainPair>) {
    let mut g: Vec<Clause> = Vec::new();
    flatten(example_text(guideline), Some(values), None, "", &mut g);
    let mut p: Vec<Clause> = Vec::new();
    flatten(&policy.children, None, None, "", &mut p);

    let mut index: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (i, c) in g.iter().enumerate() {
        for &h in Sketch::of(&c.bigrams).smallest(BAND) {
            index.entry(h).or_default().push(i);
        }
    }
    // Stock phrases put their bigrams in most clauses.
    let cap = (g.len() / 10).max(8);
    index.retain(|_, v| v.len() <= cap);

    let mut matched: Vec<Option<usize>> = vec![None; p.len()];
    let mut reviews = Vec::new();
    for i in 0..p.len() {
        if p[i].text.is_empty() {
            continue;
        }
        let mut candidates: Vec<usize> = Sketch::of(&p[i].bigrams)
            .smallest(BAND)
            .iter()
            .filter_map(|h| index.get(h))
            .flatten()
            .copied()
            .collect();
        let parent_match = p[i].parent.and_then(|pp| matched[pp]);
        if let Some(pm) = parent_match {
            candidates.extend(
                g.iter()
                    .enumerate()
                    .filter(|(_, c)| c.parent == Some(pm))
                    .map(|(j, _)| j),
            );
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut scored: Vec<(f64, usize)> = candidates
            .into_iter()
            .map(|j| {
                let mut s = score(&p[i].bigrams, &g[j].bigrams);
                if parent_match.is_some() && g[j].parent == parent_match {
                    s += SAME_PARENT_BONUS;
                }
                (s.min(1.0), j)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let Some(&(best, j)) = scored.first() else {
            continue;
        };
        if best < PAIR_MIN {
            continue;
        }
        matched[i] = Some(j);
        let runner_up = scored.get(1).map(|r| r.0);
        if best < REVIEW_BELOW || runner_up.is_some_and(|r| best - r < 0.05) {
            reviews.push(UncertainPair {
                policy_path: p[i].path.clone(),
                guideline_path: g[j].path.clone(),
                guideline_key: g[j].node.key.clone(),
                score: best,
                runner_up,
            });
        }
    }

    // Write the provenance onto a copy of the policy.
    let mut out = policy.clone();
    let mut k = 0;
    fn annotate(
        nodes: &mut [Node],
        k: &mut usize,
        matched: &[Option<usize>],
        p: &[Clause],
        g: &[Clause],
    ) {
        for n in nodes {
            match matched[*k] {
                Some(j) => {
                    n.from = Some(g[j].node.key.clone());
                    // Adopted: the same text as the guideline's, once the
                    // body's values are filled in.
                    let same = p[*k].text == g[j].text
                        || normalize(&n.text()) == normalize(&g[j].node.text())
                            && !n.paragraphs.is_empty();
                    n.status = Some(if same {
                        Status::Adopted
                    } else {
                        Status::Modified
                    });
                }
                None => {
                    n.from = None;
                    n.status = Some(Status::Added);
                }
            }
            *k += 1;
            annotate(&mut n.children, k, matched, p, g);
        }
    }
    annotate(&mut out.children, &mut k, &matched, &p, &g);
    let used: std::collections::HashSet<usize> = matched.iter().flatten().copied().collect();
    out.meta.omitted = g
        .iter()
        .enumerate()
        .filter(|(j, _)| !used.contains(j))
        .map(|(_, c)| Omission {
            from: c.node.key.clone(),
            reason: "対応する条項が見当たらない（要確認）".to_string(),
        })
        .collect();
    out.meta.derived_from = Some(guideline.meta.edition.clone());
    (out, reviews)
}
