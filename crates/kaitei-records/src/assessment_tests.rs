//! The checklist from provenance, the chapter score, and carrying answers
//! over to a new edition.

use super::*;
use kaitei_format::authoring::parse;

const EDITION: &str = "---
kind: guideline
title: ガイドライン
edition: 令和6年10月版
---

# 第2編 例文 {#p2}

## 第1章 基本方針 {#c1}

### 1. 目的 {#b1}

目的を定める。

## 第2章 対策基準 {#c2}

### 1. 組織体制 {#s1}

(1) 最高情報セキュリティ責任者を置く。 {#s1-1}

(2) 統括情報セキュリティ責任者を置く。 {#s1-2}

(3) 委員会を置く。 {#s1-3}
";

const POLICY: &str = "---
kind: policy
title: 町の方針
edition: 令和7年度版
body: \"033219\"
derived_from: 令和6年10月版
omitted: [{from: s1-3, reason: \"小規模のため\"}]
---

# 第1章 基本方針 {#t1 from=c1 status=adopted}

## 1. 目的 {#t2 from=b1 status=modified}

町の目的を定める。

# 第2章 対策基準 {#t3 from=c2 status=adopted}

## 1. 組織体制 {#t4 from=s1 status=adopted}

(1) 最高情報セキュリティ責任者を置く。 {#t5 from=s1-1 status=adopted}

(2) 統括情報セキュリティ責任者を置く。 {#t6 from=s1-2 status=adopted}

(3) 町独自の係を置く。 {#t7 status=added}
";

fn key(s: &str) -> Key {
    Key::new(s).unwrap()
}

fn questions(keys: &[&str]) -> BTreeMap<Key, String> {
    keys.iter()
        .map(|k| (key(k), format!("{k} を実施しているか")))
        .collect()
}

#[test]
fn the_checklist_is_what_the_policy_adopted_or_modified() {
    let edition = parse(EDITION).document;
    let policy = parse(POLICY).document;
    let items = checklist(
        &policy,
        &edition,
        &questions(&["b1", "s1-1", "s1-2", "s1-3", "c9"]),
    );
    let keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
    // s1-3 omitted: no item; c9 is in no edition; s1 has no question.
    assert_eq!(keys, ["b1", "s1-1", "s1-2"]);
    assert_eq!(items[0].chapter, "第1章 基本方針");
    assert!(items[0].modified);
    assert_eq!(items[1].chapter, "第2章 対策基準");
    assert!(!items[1].modified);
    assert!(
        items[1].clause.starts_with("第2編 / 第2章 / 1. / (1)"),
        "{}",
        items[1].clause
    );
    assert_eq!(items[2].question, "s1-2 を実施しているか");
}

fn answers(list: &[(&str, Answer)]) -> BTreeMap<Key, Answer> {
    list.iter().map(|(k, a)| (key(k), *a)).collect()
}

#[test]
fn the_chapter_score_is_done_and_half_partial_over_the_applicable() {
    let edition = parse(EDITION).document;
    let policy = parse(POLICY).document;
    let items = checklist(&policy, &edition, &questions(&["b1", "s1-1", "s1-2"]));
    let a = answers(&[
        ("b1", Answer::NotApplicable),
        ("s1-1", Answer::Done),
        ("s1-2", Answer::Partial),
    ]);
    let (chapters, total) = scores(&items, &a);
    assert_eq!(chapters[0].0, "第1章 基本方針");
    assert_eq!(chapters[0].1.value(), None, "every item 該当なし");
    assert_eq!(chapters[0].1.percent(), None);
    assert_eq!(chapters[1].1.value(), Some(0.75));
    assert_eq!(chapters[1].1.percent(), Some(75));
    assert_eq!(total.value(), Some(0.75));
    // Unanswered counts against: (1 + 0) / 2.
    let (chapters, _) = scores(&items, &answers(&[("s1-1", Answer::Done)]));
    assert_eq!(chapters[1].1.value(), Some(0.5));
    assert_eq!(chapters[1].1.unanswered(), 1);
    // Half of a third rounds half up: (0 + ½) / 3 = 16.7 %.
    let s = Score {
        items: 3,
        partial: 1,
        not_done: 2,
        ..Score::default()
    };
    assert_eq!(s.percent(), Some(17));
    let s = Score {
        items: 8,
        partial: 1,
        not_done: 7,
        ..Score::default()
    };
    assert_eq!(s.percent(), Some(6), "6.25 % rounds down");
}

#[test]
fn answers_carry_over_unless_the_text_changed() {
    let previous = answers(&[
        ("b1", Answer::Done),
        ("s1-1", Answer::Partial),
        ("s1-2", Answer::NotDone),
    ]);
    let changed: HashMap<Key, TextChange> = [(
        key("s1-1"),
        TextChange {
            old: "最高情報セキュリティ責任者を置く。".into(),
            new: "最高情報セキュリティ責任者（CISO）を置き、その職務を定める。".into(),
        },
    )]
    .into_iter()
    .collect();
    let own = answers(&[("s1-2", Answer::Done)]);
    let carried = carry_over(&own, &previous, &changed);
    assert_eq!(carried[&key("b1")], Carried::Kept(Answer::Done));
    assert_eq!(carried[&key("s1-2")], Carried::Own(Answer::Done));
    match &carried[&key("s1-1")] {
        Carried::AskAgain { previous, change } => {
            assert_eq!(*previous, Answer::Partial);
            assert!(change.new.contains("CISO"));
        }
        other => panic!("{other:?}"),
    }
    let counting = counting(&carried);
    assert_eq!(counting.len(), 2);
    assert!(!counting.contains_key(&key("s1-1")));
    // Same edition: everything carries.
    let same = carry_over(&BTreeMap::new(), &previous, &HashMap::new());
    assert!(same.values().all(|c| matches!(c, Carried::Kept(_))));
}

#[test]
fn questions_are_read_by_line() {
    let q = read_questions("s1-1: 置いているか\n\ns1-2：定めているか\n").unwrap();
    assert_eq!(q[1], (key("s1-2"), "定めているか".to_string()));
    let map: BTreeMap<Key, String> = q.into_iter().collect();
    assert_eq!(read_questions(&print_questions(&map)).unwrap().len(), 2);
    let bad =
        read_questions("s1-1 置いているか\nbad key: x\ns1-2: \ns1-3: a\ns1-3: b\n").unwrap_err();
    let lines: Vec<usize> = bad.iter().map(|p| p.line).collect();
    assert_eq!(lines, [1, 2, 3, 5], "{bad:?}");
}
