//! The merge review on the fixtures: what it lists, and what each decision
//! makes of the policy.

use std::collections::{BTreeMap, HashSet};

use kaitei_format::authoring::{PrintOptions, parse, print};
use kaitei_model::{Document, Key, Node, Status};

use super::tests::{derived_town, fixture, town_values};
use super::*;

fn find<'a>(d: &'a Document, key: &Key) -> Option<&'a Node> {
    d.nodes().find(|n| &n.key == key)
}

/// The town's policy with one reworded clause whose guideline clause the
/// new edition changes (a conflict), and the merge proposal.
fn conflicted() -> (Document, Document, Key) {
    let old = fixture("guideline/r6-10.md");
    let new = fixture("guideline/r7-03.md");
    let mut policy = derived_town(&old);
    let plain = merge(&policy, &old, &new, &town_values()).document;
    // A clause the proposal changes (so its guideline clause changed).
    let changed = proposed_changes(&policy, &plain)
        .into_iter()
        .find(|i| i.kind == ChangeKind::Changed && !i.ours.is_empty())
        .expect("the new edition changes an adopted clause")
        .key;
    fn reword(nodes: &mut [Node], key: &Key) {
        for n in nodes {
            if &n.key == key {
                n.paragraphs = vec!["本町は、独自の基準により判断する。".into()];
                n.status = Some(Status::Modified);
            }
            reword(&mut n.children, key);
        }
    }
    reword(&mut policy.children, &changed);
    let merged = merge(&policy, &old, &new, &town_values()).document;
    (policy, merged, changed)
}

#[test]
fn a_derived_policy_lists_every_change_once_and_accepting_all_is_the_proposal() {
    let old = fixture("guideline/r6-10.md");
    let new = fixture("guideline/r7-03.md");
    let policy = derived_town(&old);
    let merged = merge(&policy, &old, &new, &town_values()).document;
    let items = proposed_changes(&policy, &merged);
    let kinds: HashSet<ChangeKind> = items.iter().map(|i| i.kind).collect();
    assert!(kinds.contains(&ChangeKind::Changed), "{kinds:?}");
    assert!(kinds.contains(&ChangeKind::Added), "{kinds:?}");
    assert!(kinds.contains(&ChangeKind::Removed), "{kinds:?}");
    assert!(
        !kinds.contains(&ChangeKind::Conflict),
        "nothing was reworded"
    );
    let keys: HashSet<&Key> = items.iter().map(|i| &i.key).collect();
    assert_eq!(keys.len(), items.len(), "each clause is listed once");
    // Every listed change is real, and every real one is listed.
    for i in &items {
        assert_ne!(
            (&i.ours, &i.ours_title),
            (&i.proposed, &i.proposed_title),
            "{}",
            i.path
        );
    }
    for m in merged.nodes() {
        let unchanged = find(&policy, &m.key)
            .is_some_and(|o| o.paragraphs == m.paragraphs && o.title == m.title);
        assert_eq!(!unchanged, keys.contains(&m.key), "{}", m.key);
    }
    let applied = apply_decisions(&policy, &merged, &BTreeMap::new()).expect("no conflicts");
    assert_eq!(applied, merged);
}

#[test]
fn a_conflict_blocks_until_decided_and_each_decision_does_what_it_says() {
    let (policy, merged, key) = conflicted();
    let items = proposed_changes(&policy, &merged);
    let conflict = items
        .iter()
        .find(|i| i.kind == ChangeKind::Conflict)
        .expect("a conflict");
    assert_eq!(conflict.key, key);
    assert_eq!(conflict.ours, ["本町は、独自の基準により判断する。"]);
    assert!(!conflict.proposed.is_empty());
    let refused = apply_decisions(&policy, &merged, &BTreeMap::new()).unwrap_err();
    assert_eq!(refused.conflicts, std::slice::from_ref(&conflict.path));

    let decide = |d: Decision| {
        let decisions = BTreeMap::from([(key.clone(), d)]);
        let doc = apply_decisions(&policy, &merged, &decisions).expect("all decided");
        // What results has no conflict left: `check` accepts it.
        let printed = print(&doc, PrintOptions::default());
        let reparsed = parse(&printed);
        assert!(!reparsed.has_errors(), "{:?}", reparsed.diagnostics);
        find(&doc, &key).cloned().expect("the clause stays")
    };
    let kept = decide(Decision::KeepOurs);
    assert_eq!(kept.paragraphs, conflict.ours);
    assert_eq!(kept.status, Some(Status::Modified));
    let accepted = decide(Decision::Accept);
    assert_eq!(accepted.paragraphs, conflict.proposed);
    assert_eq!(accepted.status, Some(Status::Adopted));
    let own = vec!["本町は、新たな基準により判断する。".to_string()];
    let edited = decide(Decision::Edit(own.clone()));
    assert_eq!(edited.paragraphs, own);
    assert_eq!(edited.status, Some(Status::Modified));
}

#[test]
fn declining_an_added_clause_records_an_omission_and_keeping_a_removed_one_keeps_it() {
    let old = fixture("guideline/r6-10.md");
    let new = fixture("guideline/r7-03.md");
    let policy = derived_town(&old);
    let merged = merge(&policy, &old, &new, &town_values()).document;
    let items = proposed_changes(&policy, &merged);
    let added = items
        .iter()
        .find(|i| i.kind == ChangeKind::Added)
        .expect("an added clause");
    let removed = items
        .iter()
        .find(|i| i.kind == ChangeKind::Removed)
        .expect("a removed clause");
    let decisions = BTreeMap::from([
        (added.key.clone(), Decision::KeepOurs),
        (removed.key.clone(), Decision::KeepOurs),
    ]);
    let doc = apply_decisions(&policy, &merged, &decisions).expect("no conflicts");
    assert!(find(&doc, &added.key).is_none(), "declined");
    let from = find(&merged, &added.key).and_then(|n| n.from.clone());
    assert!(
        doc.meta
            .omitted
            .iter()
            .any(|o| Some(&o.from) == from.as_ref() && o.reason == DECLINED),
        "the omission says why: {:?}",
        doc.meta.omitted
    );
    let kept = find(&doc, &removed.key).expect("kept");
    assert_eq!(kept.paragraphs, removed.ours);
    assert_eq!(
        kept.status,
        Some(Status::Added),
        "now the body's own clause"
    );
    assert_eq!(kept.from, None);
    // Accepting instead leaves the proposal as it was for those clauses.
    let accepted = apply_decisions(
        &policy,
        &merged,
        &BTreeMap::from([
            (added.key.clone(), Decision::Accept),
            (removed.key.clone(), Decision::Accept),
        ]),
    )
    .expect("no conflicts");
    assert_eq!(accepted, merged);
    let printed = print(&doc, PrintOptions::default());
    assert!(!parse(&printed).has_errors());
}
