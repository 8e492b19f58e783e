//! Merging within a clause, on the fixture policies and generated ones: a
//! clean merge where the changes do not overlap, a conflict only where they
//! do, and conflicts before (a clause both changed) and after.

use std::collections::{BTreeMap, HashMap};

use kaitei_format::authoring::parse;
use kaitei_model::{Document, Key, Node, Status, registry};

use super::tests::{fixture, town_values};
use super::*;
use crate::keys::inherit_keys;
use crate::synth::Rng;

fn doc(src: &str) -> Document {
    let parsed = parse(src);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.document
}

const OLD: &str = "---\nkind: guideline\ntitle: G\nedition: 旧版\n---\n# 第2編 例文\n## 1. 目的 {#b1}\n本基本方針は、{{団体名}}が保有する情報資産について基本的な事項を定めることを目的とする。\n## 2. 管理 {#b2}\n職員等は、情報資産を適切に管理しなければならない。\n";
const NEW: &str = "---\nkind: guideline\ntitle: G\nedition: 新版\n---\n# 第2編 例文\n## 1. 目的 {#b1}\n本基本方針は、{{団体名}}が保有する情報資産について基本的な事項を定め、もって住民の信頼に応える行政運営に資することを目的とする。\n## 2. 情報資産の管理 {#b2}\n職員等は、情報資産を確実に管理しなければならない。\n";

fn policy(purpose: &str, title2: &str, manage: &str) -> Document {
    doc(&format!(
        "---\nkind: policy\ntitle: P\nedition: 令和6年度版\nbody: \"033219\"\nderived_from: 旧版\n---\n# 1. 目的 {{#p1 from=b1 status=modified}}\n{purpose}\n# 2. {title2} {{#p2 from=b2 status=modified}}\n{manage}\n"
    ))
}

fn values() -> BTreeMap<String, String> {
    profile(
        registry().lookup("033219").expect("a body"),
        &BTreeMap::new(),
    )
}

fn node<'a>(d: &'a Document, key: &str) -> &'a Node {
    d.nodes().find(|n| n.key.as_str() == key).expect("the node")
}

#[test]
fn a_clean_merge_is_a_proposal_with_the_body_s_wording() {
    // The body filled {{団体名}} (not a change of its own), rewrote the
    // subject and 基本的 → 必要; the guideline added a purpose.
    let p = policy(
        "この規程は、紫波町が保有する情報資産について必要な事項を定めることを目的とする。",
        "管理",
        "職員等は、情報資産を適切に管理しなければならない。",
    );
    let m = merge(&p, &doc(OLD), &doc(NEW), &values());
    let purpose = node(&m.document, "p1");
    assert_eq!(
        purpose.paragraphs,
        [
            "この規程は、紫波町が保有する情報資産について必要な事項を定め、もって住民の信頼に応える行政運営に資することを目的とする。"
        ]
    );
    assert_eq!(purpose.status, Some(Status::Modified));
    assert!(purpose.conflicts.is_empty());
    // Its title merges too: the body kept 管理, the guideline renamed it.
    let manage = node(&m.document, "p2");
    assert_eq!(manage.title.as_deref(), Some("情報資産の管理"));
    assert_eq!(
        manage.paragraphs,
        ["職員等は、情報資産を確実に管理しなければならない。"]
    );
    assert_eq!(m.conflicts, 0);
    assert_eq!(m.merged_within.len(), 2);
    assert!(m.merged_within[0].words.concat().contains("住民の信頼"));
}

#[test]
fn overlapping_changes_and_deleted_words_stay_conflicts() {
    // Both replace 適切に; the body deleted 基本的な, which the guideline
    // did not touch, so the purpose still merges.
    let p = policy(
        "本基本方針は、紫波町が保有する情報資産について事項を定めることを目的とする。",
        "管理",
        "職員等は、情報資産を厳重に管理しなければならない。",
    );
    let m = merge(&p, &doc(OLD), &doc(NEW), &values());
    assert_eq!(m.conflicts, 1);
    assert!(node(&m.document, "p1").conflicts.is_empty());
    assert_eq!(node(&m.document, "p2").conflicts.len(), 1);
    // The body deleted the words the guideline changed: a conflict.
    let p = policy(
        "本基本方針は、紫波町が保有する情報資産について基本的な事項を定めることを目的とする。",
        "管理",
        "職員等は、情報資産を管理しなければならない。",
    );
    let m = merge(&p, &doc(OLD), &doc(NEW), &values());
    assert_eq!(node(&m.document, "p2").conflicts.len(), 1);
    // A title both renamed is a conflict of the clause.
    let p = policy(
        "本基本方針は、紫波町が保有する情報資産について基本的な事項を定めることを目的とする。",
        "文書の管理",
        "職員等は、情報資産を適切に管理しなければならない。",
    );
    let m = merge(&p, &doc(OLD), &doc(NEW), &values());
    assert_eq!(node(&m.document, "p2").conflicts.len(), 1);
}

/// Checks that every conflict of `m` comes from changes that overlap, and
/// returns (clauses both changed, conflicts among them).
fn check_conflicts(
    m: &Merged,
    old: &Document,
    new: &Document,
    values: &BTreeMap<String, String>,
) -> (usize, usize) {
    let mut new = new.clone();
    inherit_keys(old, &mut new);
    let by_key = |d: &Document| -> HashMap<Key, Node> {
        d.nodes().map(|n| (n.key.clone(), n.clone())).collect()
    };
    let (olds, news) = (by_key(old), by_key(&new));
    let fill = |s: &str| kaitei_model::text::fill_placeholders(s, |n| values.get(n).cloned());
    let joined = |n: &Node| {
        n.paragraphs
            .iter()
            .map(|s| fill(s))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut both = 0;
    for n in m.document.nodes().filter(|n| !n.conflicts.is_empty()) {
        let c = &n.conflicts[0];
        let from = n.from.as_ref().expect("a conflict has provenance");
        let Some(g) = news.get(from) else {
            // The guideline deleted the clause the body changed.
            assert!(c.theirs.is_empty());
            continue;
        };
        both += 1;
        let o = &olds[from];
        let text = changes_overlap(&joined(o), &c.ours.join("\n"), &joined(g));
        let title = match (&n.title, &o.title, &g.title) {
            (Some(t), Some(ot), Some(gt)) => changes_overlap(&fill(ot), t, &fill(gt)),
            _ => false,
        };
        assert!(
            text || title,
            "a conflict without overlapping changes at {from}: {:?}",
            c
        );
    }
    (both + m.merged_within.len(), both)
}

#[test]
fn fixture_policies_keep_only_conflicts_that_overlap() {
    let (old, new) = (fixture("guideline/r6-10.md"), fixture("guideline/r7-03.md"));
    for (name, code) in [
        ("town", "033219"),
        ("city", "032018"),
        ("prefecture", "030007"),
    ] {
        let p = fixture(&format!("policies/{name}.md"));
        let known = known_values(
            registry().lookup(code).expect("body"),
            &p.meta.values,
            &BTreeMap::new(),
        );
        let p = if p.nodes().any(|n| n.from.is_some()) {
            p
        } else {
            align_policy(&p, &old, &known).0
        };
        let values = settle_values(&p, &old, &new, &known).values;
        let m = merge(&p, &old, &new, &values);
        let (before, after) = check_conflicts(&m, &old, &new, &values);
        eprintln!(
            "{name}: clauses both changed {before} (all conflicts before), conflicts after {after}, merged within {}; conflicts in all {}",
            m.merged_within.len(),
            m.conflicts
        );
        assert!(after < before, "{name}: some clause merges within");
    }
}

/// Generated policies (seeds not used while writing the merge): derived
/// from the fixture edition, then reworded here and there as bodies do.
#[test]
fn generated_policies_keep_only_conflicts_that_overlap() {
    let (old, new) = (fixture("guideline/r6-10.md"), fixture("guideline/r7-03.md"));
    let (mut before, mut after) = (0, 0);
    for seed in 6300..6308u64 {
        let mut rng = Rng::new(seed);
        let mut p = derive(
            &old,
            registry().lookup("033219").expect("body"),
            &town_values(),
            "x",
        )
        .expect("values");
        fn visit(nodes: &mut [Node], rng: &mut Rng) {
            for n in nodes {
                if !n.paragraphs.is_empty() && rng.chance(0.3) {
                    let t = &mut n.paragraphs[0];
                    *t = match rng.below(5) {
                        0 => format!("{t}（本町の運用による。）"),
                        1 => t.replacen("、", "、速やかに", 1),
                        2 => t.replacen("しなければならない", "するものとする", 1),
                        3 => t.replacen("情報セキュリティ", "情報安全", 1),
                        _ => {
                            // Delete the words between the first two commas.
                            let parts: Vec<&str> = t.splitn(3, '、').collect();
                            match parts[..] {
                                [a, _, c] => format!("{a}、{c}"),
                                _ => t.clone(),
                            }
                        }
                    };
                    n.status = Some(Status::Modified);
                }
                visit(&mut n.children, rng);
            }
        }
        visit(&mut p.children, &mut rng);
        let m = merge(&p, &old, &new, &town_values());
        let (b, a) = check_conflicts(&m, &old, &new, &town_values());
        before += b;
        after += a;
    }
    eprintln!(
        "generated (8 policies): clauses both changed {before} (all conflicts before), conflicts after {after}"
    );
    assert!(after < before);
}
