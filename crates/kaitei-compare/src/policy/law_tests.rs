//! Law-style insertion of new guideline clauses into the town's 規程, on
//! the fixture editions and on new editions made here by inserting clauses
//! at places chosen at random (seeds not used while writing the rules).

use std::collections::BTreeMap;

use kaitei_model::{Document, Key, LabelStyle, Node, NodeKind, registry};

use super::tests::fixture;
use super::*;
use crate::synth::Rng;

fn town() -> (Document, Document, BTreeMap<String, String>) {
    let old = fixture("guideline/r6-10.md");
    let known = known_values(
        registry().lookup("033219").expect("body"),
        &BTreeMap::new(),
        &BTreeMap::new(),
    );
    let (p, _) = align_policy(&fixture("policies/town.md"), &old, &known);
    let values = settle_values(&p, &old, &fixture("guideline/r7-03.md"), &known).values;
    (p, old, values)
}

/// Every node of `d` with its siblings.
fn with_siblings(nodes: &[Node], f: &mut impl FnMut(&[Node], usize)) {
    for (i, n) in nodes.iter().enumerate() {
        f(nodes, i);
        with_siblings(&n.children, f);
    }
}

fn is_new(n: &Node) -> bool {
    n.key.as_str().starts_with("p-n") || n.key.as_str().starts_with("p-zz")
}

/// No new clause sits in a list of another kind: its labelled neighbour
/// (the one before, else after) has its kind and label style; 項 come last
/// among their article's 項.
fn check_units(d: &Document) -> usize {
    let mut checked = 0;
    with_siblings(&d.children, &mut |list, i| {
        let n = &list[i];
        if !is_new(n) {
            return;
        }
        let Some(style) = n.label.as_ref().map(|l| l.style()) else {
            return;
        };
        let neighbour = list[..i]
            .iter()
            .rev()
            .chain(&list[i + 1..])
            .find(|m| m.label.as_ref().is_some_and(|l| l.style() == style))
            .or_else(|| list[..i].iter().rev().find(|m| m.label.is_some()));
        if let Some(m) = neighbour {
            let ms = m.label.as_ref().map(|l| l.style());
            assert_eq!(ms, Some(style), "{:?} beside {:?}", n.label, m.label);
            assert_eq!(m.kind, n.kind, "{:?}", n.label);
        }
        assert!(style != LabelStyle::Dotted(1) && style != LabelStyle::Dotted(2));
        if n.kind == NodeKind::Paragraph {
            assert!(
                list[i + 1..]
                    .iter()
                    .filter(|m| m.kind == NodeKind::Paragraph)
                    .all(is_new),
                "a new 項 goes after the article's own"
            );
        }
        checked += 1;
    });
    checked
}

#[test]
fn new_guideline_clauses_become_the_town_s_units() {
    let (p, old, values) = town();
    let new = fixture("guideline/r7-03.md");
    let m = merge(&p, &old, &new, &values);
    let placed = check_units(&m.document);
    eprintln!("town: {placed} new clauses placed; notes: {:#?}", m.notes);
    assert!(placed >= 8, "{placed}");
    // The guideline's new 2. of 第1章 follows 第1条 as 第1条の2, its title
    // the caption.
    let located = m.document.located();
    let at = located
        .iter()
        .position(|l| l.node.from.as_ref().is_some_and(|f| f.as_str() == "n2.1.2"))
        .expect("placed");
    let n = located[at].node;
    assert_eq!(n.kind, NodeKind::Article);
    assert_eq!(n.label.as_ref().map(|l| l.written()), Some("第1条の2"));
    assert_eq!(n.title.as_deref(), Some("基本方針の位置付け"));
    let before = located[..at]
        .iter()
        .rev()
        .find(|l| l.node.kind == NodeKind::Article)
        .expect("an article before");
    assert_eq!(
        before.node.label.as_ref().map(|l| l.written()),
        Some("第1条")
    );
    // A new definition among the town's (1)…(13): a 号 with a branch number
    // right after the 号 its previous sibling became.
    let at = located
        .iter()
        .position(|l| {
            l.node
                .from
                .as_ref()
                .is_some_and(|f| f.as_str() == "n2.1.3.13")
        })
        .expect("placed");
    let label = located[at].node.label.as_ref().expect("labelled");
    assert_eq!(label.style(), LabelStyle::ParenArabic);
    assert_eq!(label.value().len(), 2, "{}", label.written());
    let before = located[at - 1].node.label.as_ref().expect("a 号 before");
    assert_eq!(before.value(), &label.value()[..1], "{}", before.written());
    // Notes for the review: a 項 at the end, an order not kept.
    assert!(
        m.notes
            .iter()
            .any(|n| n.to_string().contains("項 has no branch number"))
    );
    // No guideline numbering is left in the 規程.
    assert!(m.document.nodes().filter(|n| is_new(n)).all(|n| {
        !n.label
            .as_ref()
            .is_some_and(|l| matches!(l.style(), LabelStyle::Dotted(_)))
    }),);
}

/// Adds a clause to the new edition after guideline node `after` (or as the
/// first child of `parent`), shaped like its sibling.
fn insert_clause(nodes: &mut Vec<Node>, target: &Key, first: bool, key: &str) -> bool {
    for i in 0..nodes.len() {
        if &nodes[i].key == target {
            let sibling = &nodes[i];
            let mut n = Node::new(sibling.kind, Key::new(key).expect("key"));
            n.label = sibling.label.clone();
            n.title = sibling.title.as_ref().map(|_| "新たな規定".to_string());
            n.paragraphs = vec![format!(
                "職員等は、新たに定める事項{key}を遵守しなければならない。"
            )];
            nodes.insert(if first { i } else { i + 1 }, n);
            return true;
        }
        if insert_clause(&mut nodes[i].children, target, first, key) {
            return true;
        }
    }
    false
}

#[test]
fn generated_insertions_take_branch_numbers_after_the_unit_they_follow() {
    let (p, old, values) = town();
    let base_new = fixture("guideline/r7-03.md");
    // Guideline clauses the town made articles, with the article.
    let mut articles: Vec<(Key, u32)> = Vec::new();
    for n in p.nodes() {
        if n.kind == NodeKind::Article
            && let (Some(f), Some(l)) = (&n.from, &n.label)
            && l.style() == LabelStyle::Article
        {
            articles.push((f.clone(), l.value()[0]));
        }
    }
    let mut new_old = base_new.clone();
    crate::keys::inherit_keys(&old, &mut new_old);
    let mut tried = 0;
    for seed in 7700..7712u64 {
        let mut rng = Rng::new(seed);
        let (target, number) = articles[rng.below(articles.len())].clone();
        let mut new = new_old.clone();
        if !insert_clause(&mut new.children, &target, false, &format!("zz-{seed}")) {
            continue;
        }
        tried += 1;
        let m = merge(&p, &old, &new, &values);
        check_units(&m.document);
        let added = m
            .document
            .nodes()
            .find(|n| n.key.as_str() == format!("p-zz-{seed}"))
            .unwrap_or_else(|| panic!("seed {seed}: placed"));
        let label = added.label.as_ref().expect("labelled");
        assert_eq!(label.style(), LabelStyle::Article, "seed {seed}");
        assert_eq!(added.kind, NodeKind::Article);
        // The next free branch of the article it follows.
        let taken = p
            .nodes()
            .filter_map(|n| n.label.as_ref())
            .filter(|l| l.style() == LabelStyle::Article && l.value()[0] == number)
            .map(|l| l.value().get(1).copied().unwrap_or(1))
            .max()
            .expect("the article");
        assert_eq!(
            label.value(),
            [number, taken + 1],
            "seed {seed}: {}",
            label.written()
        );
        assert!(
            added.title.is_some(),
            "seed {seed}: an article has a caption"
        );
    }
    assert!(tried >= 8, "{tried}");
}

/// A guideline clause the town split (第23条の3 and its 2項 both come from
/// it) gets its change once; captions stay captions.
#[test]
fn a_change_lands_once_and_captions_stay_captions() {
    let (p, old, values) = town();
    let new = fixture("guideline/r7-03.md");
    let m = merge(&p, &old, &new, &values);
    let mut by_from: BTreeMap<String, Vec<&Node>> = BTreeMap::new();
    for n in p.nodes() {
        if let Some(f) = &n.from {
            by_from.entry(f.to_string()).or_default().push(n);
        }
    }
    let split: Vec<(&String, &Vec<&Node>)> = by_from.iter().filter(|(_, v)| v.len() > 1).collect();
    assert!(!split.is_empty(), "the town splits some clause");
    for (from, parts) in split {
        let changed = parts
            .iter()
            .filter(|part| {
                m.document
                    .nodes()
                    .find(|n| n.key == part.key)
                    .is_some_and(|n| n.paragraphs != part.paragraphs || !n.conflicts.is_empty())
            })
            .count();
        assert!(changed <= 1, "{from}: the change landed on {changed} parts");
    }
    assert!(
        m.notes
            .iter()
            .any(|n| n.to_string().contains("the body split it"))
    );
    // No article's caption is repeated as its text.
    for n in m.document.nodes().filter(|n| n.kind == NodeKind::Article) {
        if let Some(t) = &n.title {
            assert!(!n.paragraphs.iter().any(|x| x == t), "{:?}: {t}", n.label);
        }
    }
    let disposal = m
        .document
        .nodes()
        .find(|n| n.from.as_ref().is_some_and(|f| f.as_str() == "s4-1-7"))
        .expect("the disposal article");
    assert_eq!(disposal.title.as_deref(), Some("機器の廃棄・データ消去"));
}

/// A new first clause of a guideline list whose first clause became an
/// article: an article before that one, numbered after the article before
/// it in the whole 規程 (a new first article of a chapter after 第30条 is
/// 第30条の2).
#[test]
fn a_new_first_unit_follows_the_unit_before_it_in_the_whole_regulation() {
    let (p, old, values) = town();
    let mut new = fixture("guideline/r7-03.md");
    crate::keys::inherit_keys(&old, &mut new);
    // First children in the new edition whose counterpart is an article
    // that is not the 規程's first.
    let mut firsts: Vec<Key> = Vec::new();
    fn visit(nodes: &[Node], out: &mut Vec<Key>) {
        if let Some(first) = nodes.first() {
            out.push(first.key.clone());
        }
        for n in nodes {
            visit(&n.children, out);
        }
    }
    visit(&new.children, &mut firsts);
    let located = p.located();
    let article_at = |k: &Key| {
        located.iter().position(|l| {
            l.node.from.as_ref() == Some(k)
                && l.node.kind == NodeKind::Article
                && l.node.label.as_ref().is_some_and(|x| x.value() != [1])
        })
    };
    let mut tried = 0;
    let mut rng = Rng::new(8800);
    let candidates: Vec<(Key, usize)> = firsts
        .iter()
        .filter_map(|k| article_at(k).map(|i| (k.clone(), i)))
        .collect();
    assert!(!candidates.is_empty());
    for round in 0..4 {
        let (target, at) = candidates[rng.below(candidates.len())].clone();
        let mut edition = new.clone();
        let key = format!("zz-first-{round}");
        assert!(insert_clause(&mut edition.children, &target, true, &key));
        let m = merge(&p, &old, &edition, &values);
        check_units(&m.document);
        let before = located[..at]
            .iter()
            .rev()
            .find_map(|l| {
                l.node
                    .label
                    .as_ref()
                    .filter(|x| x.style() == LabelStyle::Article)
            })
            .expect("an article before")
            .value()[0];
        let taken = p
            .nodes()
            .filter_map(|n| n.label.as_ref())
            .filter(|l| l.style() == LabelStyle::Article && l.value()[0] == before)
            .map(|l| l.value().get(1).copied().unwrap_or(1))
            .max()
            .expect("taken");
        let merged = m.document.located();
        let i = merged
            .iter()
            .position(|l| l.node.key.as_str() == format!("p-{key}"))
            .expect("placed");
        let added = merged[i].node;
        assert_eq!(
            added.label.as_ref().map(|l| l.value().to_vec()),
            Some(vec![before, taken + 1]),
            "{target}"
        );
        // Right before the article that was first.
        let next = merged[i + 1..]
            .iter()
            .find(|l| l.node.kind == NodeKind::Article)
            .expect("the article after");
        assert_eq!(next.node.from.as_ref(), Some(&target));
        tried += 1;
    }
    assert_eq!(tried, 4);
}

/// Gives the node keyed `key` (anywhere below `nodes`) status `status`.
fn set_status(nodes: &mut [Node], key: &Key, status: Status) {
    for n in nodes {
        if &n.key == key {
            n.status = Some(status);
        }
        set_status(&mut n.children, key, status);
    }
}

/// Removes the node keyed `key` from `nodes` (anywhere below).
fn remove(nodes: &mut Vec<Node>, key: &Key) -> bool {
    if let Some(i) = nodes.iter().position(|n| &n.key == key) {
        nodes.remove(i);
        return true;
    }
    nodes.iter_mut().any(|n| remove(&mut n.children, key))
}

/// The town, and the new edition with the keys of the old.
fn town_and_new() -> (Document, Document, Document, BTreeMap<String, String>) {
    let (p, old, values) = town();
    let mut new = fixture("guideline/r7-03.md");
    crate::inherit_keys(&old, &mut new);
    (p, old, new, values)
}

/// Whether guideline clause `f` is in `new` and only `node` of `p` comes
/// from it.
fn sole_source(p: &Document, new: &Document, f: &Key) -> bool {
    p.nodes().filter(|m| m.from.as_ref() == Some(f)).count() == 1
        && new.nodes().any(|g| &g.key == f)
}

/// A 項 the guideline deletes goes, and the article's later 項 move up —
/// no gap, and the review is told each move: tried on every article of the
/// town's 規程 with a 項 before its last one that comes from a guideline
/// clause of its own (taken word for word: a 項 the body changed is kept,
/// with the deletion as a conflict to decide).
#[test]
fn a_deleted_paragraph_leaves_no_gap_and_the_review_says_so() {
    let (town, old, new, values) = town_and_new();
    let is_paragraph = |n: &Node| {
        n.label
            .as_ref()
            .is_some_and(|l| l.style() == LabelStyle::Paragraph)
    };
    let (mut tried, mut moved) = (0, 0);
    for article in town.nodes().filter(|n| n.kind == NodeKind::Article) {
        let paragraphs: Vec<&Node> = article
            .children
            .iter()
            .filter(|n| is_paragraph(n))
            .collect();
        let Some(gone) = paragraphs[..paragraphs.len().saturating_sub(1)]
            .iter()
            .find(|n| {
                // One that holds 号 stays for them.
                n.children.is_empty()
                    && n.from.as_ref().is_some_and(|f| sole_source(&town, &new, f))
            })
        else {
            continue;
        };
        let mut cut = new.clone();
        assert!(remove(&mut cut.children, gone.from.as_ref().unwrap()));
        let mut p = town.clone();
        set_status(&mut p.children, &gone.key, Status::Adopted);
        let m = merge(&p, &old, &cut, &values);
        let merged = m
            .document
            .nodes()
            .find(|n| n.key == article.key)
            .expect("the article stays");
        assert!(!merged.children.iter().any(|n| n.key == gone.key));
        let numbers: Vec<u32> = merged
            .children
            .iter()
            .filter(|n| is_paragraph(n))
            .map(|n| n.label.as_ref().unwrap().value()[0])
            .collect();
        let first = paragraphs[0].label.as_ref().unwrap().value()[0];
        // Consecutive from the first, one fewer at least (the new edition
        // may delete others too).
        let expected: Vec<u32> = (first..).take(numbers.len()).collect();
        assert_eq!(numbers, expected, "{:?}", article.label);
        assert!(numbers.len() < paragraphs.len());
        // Every 項 that moved up is told, as drafting writes it.
        for n in merged.children.iter().filter(|n| is_paragraph(n)) {
            let Some(was) = article.children.iter().find(|c| c.key == n.key) else {
                continue;
            };
            let (was, now) = (
                was.label.as_ref().unwrap().written(),
                n.label.as_ref().unwrap().written(),
            );
            if was != now {
                moved += 1;
                assert!(
                    m.notes.iter().any(|x| x
                        .to_string()
                        .contains(&format!("第{was}項を第{now}項とする"))),
                    "{:?}: {:?}",
                    article.label,
                    m.notes
                );
            }
        }
        tried += 1;
    }
    assert!(
        tried >= 10 && moved >= 10,
        "{tried} articles tried, {moved} 項 moved up"
    );
}

/// An article the guideline deletes stays as 「第N条　削除」 (drafting
/// deletes an article in place), and the review is told: tried on every
/// article of the town's 規程 without 項 that comes from a guideline clause
/// of its own.
#[test]
fn a_deleted_article_stays_as_deleted() {
    let (town, old, new, values) = town_and_new();
    let mut tried = 0;
    for article in town.nodes().filter(|n| {
        n.kind == NodeKind::Article
            && n.children.is_empty()
            && n.from.as_ref().is_some_and(|f| sole_source(&town, &new, f))
    }) {
        let mut cut = new.clone();
        assert!(remove(&mut cut.children, article.from.as_ref().unwrap()));
        let mut p = town.clone();
        set_status(&mut p.children, &article.key, Status::Adopted);
        let m = merge(&p, &old, &cut, &values);
        let kept = m
            .document
            .nodes()
            .find(|n| n.key == article.key)
            .expect("the article stays");
        assert_eq!(kept.label, article.label);
        assert_eq!(kept.paragraphs, ["削除"]);
        assert_eq!((kept.title.as_deref(), kept.from.as_ref()), (None, None));
        let label = article.label.as_ref().unwrap().written();
        assert!(
            m.notes
                .iter()
                .any(|n| n.to_string().contains(&format!("「{label}　削除」"))),
            "{:?}",
            m.notes
        );
        tried += 1;
    }
    assert!(tried >= 5, "{tried} articles tried");
}
