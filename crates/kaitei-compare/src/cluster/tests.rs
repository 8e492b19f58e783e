//! The clustering on hand-written comments, on shuffled input, with hand
//! edits, and on generated sets with known truth.

use super::*;

fn on(clause: &'static str, texts: &[&'static str]) -> Vec<Comment<'static>> {
    texts
        .iter()
        .map(|&text| Comment {
            text,
            clause: Some(clause),
        })
        .collect()
}

/// Comments given as (clause, text).
fn pairs(v: &[(Option<&'static str>, &'static str)]) -> Vec<Comment<'static>> {
    v.iter()
        .map(|&(clause, text)| Comment { text, clause })
        .collect()
}

#[test]
fn variants_of_one_concern_join_and_near_identical_concerns_do_not() {
    let comments = on(
        "k1",
        &[
            "本市としては、研修の実施頻度の目安を示して頂きたい。",
            "当町では，研修の実施頻度の目安を明示していただきたい。よろしくお願いします。",
            "研修の実施頻度の目安を示してほしい。",
            "研修の実施方法の例を示して頂きたい。",
            "本県では、研修の実施方法の事例を示していただきたい。ご検討願います。",
        ],
    );
    assert_eq!(cluster(&comments, &Pins::default()), vec![0, 0, 0, 1, 1]);
}

#[test]
fn comments_on_different_clauses_are_never_together() {
    let text = "本市としては、研修の実施頻度の目安を示して頂きたい。";
    let comments = pairs(&[
        (Some("k1"), text),
        (Some("k2"), text),
        (None, text),
        (Some("（3）"), text),
        (Some("(3)"), text),
    ]);
    assert_eq!(cluster(&comments, &Pins::default()), vec![0, 1, 2, 3, 3]);
}

#[test]
fn numbers_and_misprints_that_differ_stay_apart() {
    let comments = on(
        "k1",
        &[
            "点検を年１回以上とする根拠を示して頂きたい。",
            "本市では、点検を年1回以上とする根拠を示していただきたい。",
            "点検を年2回以上とする根拠を示して頂きたい。",
            "「管理者」は「監理者」の誤りではないか。",
            "「管理者」は「管理者等」の誤りではないか。",
            "「管理者」は、「監理者」の誤りと思われる。",
        ],
    );
    assert_eq!(cluster(&comments, &Pins::default()), vec![0, 0, 1, 2, 3, 2]);
}

#[test]
fn empty_input_and_empty_texts() {
    assert!(cluster(&[], &Pins::default()).is_empty());
    let comments = on("k", &["", "。", "よろしくお願いします。"]);
    assert_eq!(cluster(&comments, &Pins::default()), vec![0, 0, 0]);
}

/// Comments of `bodies` bodies of the registry on a synthetic guideline.
fn generated(seed: u64, bodies: usize, per: usize) -> Vec<GeneratedComment> {
    let shape = Shape {
        per_respondent: per,
        ..Shape::default()
    };
    let doc = crate::synth::guideline(seed, 600);
    comments(seed, &clauses(&doc), &registry_bodies(bodies), shape)
}

use crate::synth::comments::{
    GeneratedComment, Shape, clauses, comments, pairwise, registry_bodies,
};

fn input(g: &[GeneratedComment]) -> Vec<Comment<'_>> {
    g.iter()
        .map(|c| Comment {
            text: &c.text,
            clause: Some(&c.clause),
        })
        .collect()
}

/// Which comments share a cluster, as a set of sorted groups of ids.
fn partition(ids: &[usize], clusters: &[usize]) -> std::collections::BTreeSet<Vec<usize>> {
    let mut groups: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    for (&id, &c) in ids.iter().zip(clusters) {
        groups.entry(c).or_default().push(id);
    }
    groups
        .into_values()
        .map(|mut g| {
            g.sort_unstable();
            g
        })
        .collect()
}

#[test]
fn the_partition_does_not_depend_on_the_order_of_the_input() {
    let g = generated(11, 400, 4);
    let ids: Vec<usize> = (0..g.len()).collect();
    let first = partition(&ids, &cluster(&input(&g), &Pins::default()));
    for seed in [1, 2, 3] {
        let mut order = ids.clone();
        let mut rng = crate::synth::Rng::new(seed);
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        let shuffled: Vec<GeneratedComment> = order.iter().map(|&i| g[i].clone()).collect();
        let got = cluster(&input(&shuffled), &Pins::default());
        assert_eq!(partition(&order, &got), first, "shuffle {seed}");
        // Numbered by first appearance.
        let mut next = 0;
        for &c in &got {
            assert!(c <= next);
            next = next.max(c + 1);
        }
    }
}

/// The measurement the issue asks for: pairwise precision, recall and F1
/// against the generator's truth, on 1,788 bodies writing up to 5 comments
/// each. The constants were tuned on seeds 1–5 (`examples/cluster_quality.rs`);
/// these seeds were not looked at while tuning.
#[test]
fn quality_on_held_out_seeds() {
    for seed in [101, 102, 103, 104, 105] {
        let g = generated(seed, 1788, 5);
        let truth: Vec<usize> = g.iter().map(|c| c.concern).collect();
        let t = pairwise(&truth, &cluster(&input(&g), &Pins::default()));
        println!(
            "seed {seed}: {} comments  P {:.4}  R {:.4}  F1 {:.4}",
            g.len(),
            t.precision(),
            t.recall(),
            t.f1()
        );
        assert!(t.f1() >= 0.95, "seed {seed}: F1 {:.4}", t.f1());
        assert!(t.precision() >= 0.95, "seed {seed}: P {:.4}", t.precision());
        assert!(t.recall() >= 0.9, "seed {seed}: R {:.4}", t.recall());
    }
}

#[test]
fn hand_merges_and_splits_survive_reclustering_with_more_comments() {
    let g = generated(21, 300, 4);
    let before = cluster(&input(&g), &Pins::default());
    // Two clusters on one clause the ministry merges, and one it splits.
    let on_clause = |k: &str| -> Vec<usize> {
        let mut seen: Vec<usize> = Vec::new();
        for (i, c) in g.iter().enumerate() {
            if c.clause == k && !seen.contains(&before[i]) {
                seen.push(before[i]);
            }
        }
        seen
    };
    let members = |c: usize| -> Vec<usize> { (0..g.len()).filter(|&i| before[i] == c).collect() };
    let clause = g
        .iter()
        .map(|c| c.clause.as_str())
        .find(|k| on_clause(k).len() >= 3 && on_clause(k).iter().any(|&c| members(c).len() >= 4))
        .expect("a clause with three clusters");
    let clusters = on_clause(clause);
    let big = *clusters.iter().find(|&&c| members(c).len() >= 4).unwrap();
    let others: Vec<usize> = clusters.iter().copied().filter(|&c| c != big).collect();
    let merged: Vec<usize> = members(others[0])
        .into_iter()
        .chain(members(others[1]))
        .collect();
    let all_big = members(big);
    let (part_a, part_b) = all_big.split_at(all_big.len() / 2);
    let pins = Pins {
        together: vec![merged.clone(), part_a.to_vec(), part_b.to_vec()],
        apart: vec![(part_a[0], part_b[0])],
    };
    // Re-clustered with more comments from other bodies, ahead of the old
    // ones so every index moves.
    let more = generated(22, 300, 4);
    let offset = more.len();
    let mut all = more.clone();
    all.extend(g.iter().cloned());
    let shift = |v: &[usize]| -> Vec<usize> { v.iter().map(|i| i + offset).collect() };
    let pins = Pins {
        together: pins.together.iter().map(|v| shift(v)).collect(),
        apart: pins
            .apart
            .iter()
            .map(|&(a, b)| (a + offset, b + offset))
            .collect(),
    };
    let after = cluster(&input(&all), &pins);
    let same = |v: &[usize]| v.iter().all(|&i| after[i + offset] == after[v[0] + offset]);
    assert!(same(&merged), "the merge holds");
    assert!(same(part_a) && same(part_b), "each part holds together");
    assert_ne!(
        after[part_a[0] + offset],
        after[part_b[0] + offset],
        "the split holds"
    );
    // Without the pins the same comments go back as they were.
    let free = cluster(&input(&all), &Pins::default());
    assert_eq!(free[part_a[0] + offset], free[part_b[0] + offset]);
    assert_ne!(
        free[merged[0] + offset],
        free[*merged.last().unwrap() + offset]
    );
}

#[test]
fn a_split_holds_between_equal_texts_and_a_merge_across_clauses_is_kept() {
    let text = "研修の実施頻度の目安を示して頂きたい。";
    let comments = pairs(&[
        (Some("k1"), text),
        (Some("k1"), text),
        (Some("k1"), text),
        (Some("k2"), "別の条項への意見を示して頂きたい。"),
    ]);
    let pins = Pins {
        together: vec![vec![1, 2], vec![0, 3]],
        apart: vec![(0, 1)],
    };
    assert_eq!(cluster(&comments, &pins), vec![0, 1, 1, 0]);
}

#[test]
fn thousands_of_comments_cluster_quickly() {
    // 1,788 bodies × up to 10 comments: about 10,000. Debug builds are
    // slow; this guards against a quadratic blow-up across clauses, not
    // a figure (bench/cluster.sh measures that).
    let g = generated(31, 1788, 10);
    assert!(g.len() > 8000);
    let got = cluster(&input(&g), &Pins::default());
    assert_eq!(got.len(), g.len());
}
