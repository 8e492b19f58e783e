//! Deriving policies and recovering provenance, on the fixtures.

use std::collections::{BTreeMap, HashMap, HashSet};

use kaitei_format::authoring::parse;
use kaitei_model::{Document, Status, registry};

use super::*;

pub(super) fn fixture(rel: &str) -> Document {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let parsed = parse(&text);
    assert!(!parsed.has_errors(), "{rel}: {:?}", parsed.diagnostics);
    parsed.document
}

fn body(code: &str) -> &'static kaitei_model::Body {
    registry().lookup(code).expect("a body")
}

fn values(code: &str, pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    let given = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    profile(body(code), &given)
}

#[test]
fn derive_fills_placeholders_and_records_provenance() {
    let g = fixture("guideline/r6-10.md");
    let v = values(
        "033219",
        &[("CISO職名", "副町長"), ("適用機関", "町長部局")],
    );
    let p = derive(&g, body("033219"), &v, "令和7年度版").expect("all values given");
    assert_eq!(
        p.meta.body.map(|b| b.to_string()).as_deref(),
        Some("033219")
    );
    assert_eq!(p.meta.derived_from.as_deref(), Some("令和6年10月版"));
    assert_eq!(p.meta.title, "紫波町情報セキュリティポリシー");
    for n in p.nodes() {
        assert_eq!(n.status, Some(Status::Adopted));
        assert!(n.from.is_some());
        assert!(n.commentary.is_empty());
        assert!(n.placeholders().is_empty(), "{:?}", n.paragraphs);
    }
    assert!(p.nodes().any(|n| n.text().contains("紫波町")));
    assert!(p.nodes().any(|n| n.text().contains("副町長")));
}

#[test]
fn derive_names_every_missing_value() {
    let g = fixture("guideline/r6-10.md");
    let v = values("033219", &[]);
    let missing = derive(&g, body("033219"), &v, "x").unwrap_err();
    let names: Vec<&str> = missing.iter().map(|m| m.name.as_str()).collect();
    assert!(
        names.contains(&"CISO職名") && names.contains(&"適用機関"),
        "{names:?}"
    );
    assert!(missing.iter().all(|m| !m.first_used_at.is_empty()));
}

/// Provenance recovered for a policy whose `from=` attributes are known
/// (the prefecture and city fixtures carry them) matches them.
#[test]
fn align_recovers_known_provenance() {
    let g = fixture("guideline/r6-10.md");
    for (file, code, ciso) in [
        ("policies/prefecture.md", "030007", "副知事"),
        ("policies/city.md", "032018", "副市長"),
    ] {
        let truth = fixture(file);
        let mut bare = truth.clone();
        fn strip(nodes: &mut [kaitei_model::Node]) {
            for n in nodes {
                n.from = None;
                n.status = None;
                strip(&mut n.children);
            }
        }
        strip(&mut bare.children);
        let v = values(code, &[("CISO職名", ciso)]);
        let (found, _) = align_policy(&bare, &g, &v);
        let (mut hit, mut predicted, mut expected) = (0, 0, 0);
        for (t, f) in truth.nodes().zip(found.nodes()) {
            if t.from.is_some() {
                expected += 1;
            }
            if f.from.is_some() {
                predicted += 1;
                if f.from == t.from {
                    hit += 1;
                }
            }
        }
        let (precision, recall) = (hit as f64 / predicted as f64, hit as f64 / expected as f64);
        eprintln!("{file}: provenance precision {precision:.4} recall {recall:.4}");
        assert!(
            precision >= 0.95 && recall >= 0.90,
            "{file}: {precision} {recall}"
        );
    }
}

/// The law-style town policy against truth written by hand.
#[test]
fn align_recovers_the_law_style_towns_provenance() {
    let g = fixture("guideline/r6-10.md");
    let town = fixture("policies/town.md");
    let truth_text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/policies/town-truth.tsv"),
    )
    .expect("truth");
    let mut truth: HashMap<String, HashSet<String>> = HashMap::new();
    for line in truth_text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() >= 2 && !f[0].is_empty() && !f[1].is_empty() {
            truth.insert(
                f[0].to_string(),
                f[1].split(';').map(str::to_string).collect(),
            );
        }
    }
    let v = values("033219", &[("CISO職名", "副町長")]);
    let (found, reviews) = align_policy(&town, &g, &v);
    let located = found.located();
    let (mut hit, mut predicted) = (0, 0);
    let mut wrong = Vec::new();
    for l in &located {
        let path = l.path.join(" / ");
        if let Some(from) = &l.node.from {
            predicted += 1;
            if truth
                .get(&path)
                .is_some_and(|keys| keys.contains(from.as_str()))
            {
                hit += 1;
            } else {
                wrong.push((path, from.to_string()));
            }
        }
    }
    let precision = hit as f64 / predicted as f64;
    let recall = hit as f64 / truth.len() as f64;
    eprintln!(
        "town: provenance precision {precision:.4} recall {recall:.4}; {} to review",
        reviews.len()
    );
    eprintln!("wrong: {wrong:#?}");
    assert!(precision >= 0.95, "precision {precision}");
    assert!(recall >= 0.90, "recall {recall}");
}

pub(super) fn derived_town(g: &Document) -> Document {
    let v = values(
        "033219",
        &[("CISO職名", "副町長"), ("適用機関", "町長部局")],
    );
    derive(g, body("033219"), &v, "令和6年度版").expect("derives")
}

pub(super) fn town_values() -> BTreeMap<String, String> {
    values(
        "033219",
        &[("CISO職名", "副町長"), ("適用機関", "町長部局")],
    )
}

#[test]
fn impact_reports_exactly_the_clauses_whose_base_changed() {
    use crate::KeyUse;
    use crate::table::{RowKind, compare};
    let old = fixture("guideline/r6-10.md");
    let new = fixture("guideline/r7-03.md");
    let mut policy = derived_town(&old);
    // The body rewrote one clause whose base changes and one whose base
    // does not.
    let cmp = compare(&old, &new, KeyUse::Pinned);
    let changed: HashSet<String> = cmp
        .rows
        .iter()
        .filter(|r| r.kind != RowKind::Unchanged || r.moved)
        .filter_map(|r| r.old.map(|o| cmp.old.nodes[o].node.key.to_string()))
        .collect();
    let changes = EditionChanges::new(&cmp);
    fn set_modified(
        nodes: &mut [kaitei_model::Node],
        pick: &dyn Fn(&kaitei_model::Node) -> bool,
        done: &mut bool,
    ) {
        for n in nodes {
            if !*done && pick(n) {
                n.status = Some(Status::Modified);
                n.paragraphs = vec!["本町独自の規定とする。".into()];
                *done = true;
            }
            set_modified(&mut n.children, pick, done);
        }
    }
    let mut done = false;
    set_modified(
        &mut policy.children,
        &|n| {
            n.from
                .as_ref()
                .is_some_and(|f| changed.contains(f.as_str()))
                && n.children.is_empty()
                && !n.paragraphs.is_empty()
        },
        &mut done,
    );
    let items = impact(&policy, &changes);
    let reported: HashSet<String> = items
        .iter()
        .filter_map(|i| i.old_key.as_ref().map(|k| k.to_string()))
        .collect();
    // Always reported: every clause whose base changed.
    for n in policy.nodes() {
        let from = n.from.as_ref().expect("derived").to_string();
        assert_eq!(reported.contains(&from), changed.contains(&from), "{from}");
    }
    // Never reported: a clause whose base did not change; each item names
    // its cause.
    for i in &items {
        assert!(!i.explanation.is_empty());
        if let Some(k) = &i.old_key {
            assert!(changed.contains(k.as_str()), "{k} did not change");
        }
    }
    assert!(
        items
            .iter()
            .any(|i| i.cause == Cause::ChangedModified && i.severity() == Severity::High)
    );
    assert!(items.iter().any(|i| i.cause == Cause::ChangedAdopted));
    assert!(items.iter().any(|i| i.cause == Cause::Deleted));
    assert!(items.iter().any(|i| i.cause == Cause::Added));
    assert!(items.iter().any(|i| i.cause == Cause::Moved));
}

/// A node as the merge tests compare it: key, label, title, text, provenance.
type Outline = (
    String,
    Option<String>,
    Option<String>,
    Vec<String>,
    Option<String>,
    Option<Status>,
);

fn outline(d: &Document) -> Vec<Outline> {
    d.nodes()
        .map(|n| {
            (
                n.key.to_string(),
                n.label.as_ref().map(|l| l.written().to_string()),
                n.title.clone(),
                n.paragraphs.clone(),
                n.from.as_ref().map(|k| k.to_string()),
                n.status,
            )
        })
        .collect()
}

#[test]
fn a_clean_merge_equals_deriving_from_the_new_edition() {
    let old = fixture("guideline/r6-10.md");
    let new = fixture("guideline/r7-03.md");
    let policy = derived_town(&old);
    let merged = merge(&policy, &old, &new, &town_values());
    assert_eq!(merged.conflicts, 0);
    let mut new_keys = new.clone();
    crate::keys::inherit_keys(&old, &mut new_keys);
    let direct = derive(&new_keys, body("033219"), &town_values(), "令和6年度版").expect("derives");
    assert_eq!(outline(&merged.document), outline(&direct));
    assert_eq!(
        merged.document.meta.derived_from.as_deref(),
        Some("令和7年3月版")
    );
}

#[test]
fn the_bodys_wording_survives_and_conflicts_are_never_resolved_silently() {
    use crate::KeyUse;
    use crate::table::{RowKind, compare};
    let old = fixture("guideline/r6-10.md");
    let new = fixture("guideline/r7-03.md");
    let cmp = compare(&old, &new, KeyUse::Pinned);
    let changed_text: HashSet<String> = cmp
        .rows
        .iter()
        .filter(|r| {
            r.kind == RowKind::Changed && r.changed_fields.contains(&crate::Field::Text) && !r.moved
        })
        .filter_map(|r| r.old.map(|o| cmp.old.nodes[o].node.key.to_string()))
        .collect();
    let mut policy = derived_town(&old);
    let (mut kept_key, mut conflict_key) = (None, None);
    fn visit(
        nodes: &mut [kaitei_model::Node],
        changed: &HashSet<String>,
        kept: &mut Option<String>,
        conflict: &mut Option<String>,
    ) {
        for n in nodes {
            let from = n.from.as_ref().map(|k| k.to_string()).unwrap_or_default();
            if n.children.is_empty() && !n.paragraphs.is_empty() {
                if kept.is_none() && !changed.contains(&from) {
                    n.paragraphs = vec!["本町は、独自の手順により管理する。".into()];
                    n.status = Some(Status::Modified);
                    *kept = Some(n.key.to_string());
                } else if conflict.is_none() && changed.contains(&from) {
                    n.paragraphs = vec!["本町は、独自の基準により判断する。".into()];
                    n.status = Some(Status::Modified);
                    *conflict = Some(n.key.to_string());
                }
            }
            visit(&mut n.children, changed, kept, conflict);
        }
    }
    visit(
        &mut policy.children,
        &changed_text,
        &mut kept_key,
        &mut conflict_key,
    );
    let added = {
        let mut n = kaitei_model::Node::new(
            kaitei_model::NodeKind::Heading,
            kaitei_model::Key::new("p-own").unwrap(),
        );
        n.title = Some("町独自の規定".into());
        n.paragraphs = vec!["町長が別に定める。".into()];
        n.status = Some(Status::Added);
        n
    };
    policy.children.push(added);
    let merged = merge(&policy, &old, &new, &town_values());
    let find = |k: &str| {
        merged
            .document
            .nodes()
            .find(|n| n.key.as_str() == k)
            .cloned()
    };
    let kept = find(kept_key.as_deref().unwrap()).expect("kept");
    assert_eq!(kept.paragraphs, ["本町は、独自の手順により管理する。"]);
    assert!(kept.conflicts.is_empty());
    let conflicted = find(conflict_key.as_deref().unwrap()).expect("kept with a conflict");
    assert_eq!(conflicted.conflicts.len(), 1);
    assert_eq!(
        conflicted.conflicts[0].ours,
        ["本町は、独自の基準により判断する。"]
    );
    assert!(merged.conflicts >= 1);
    assert!(find("p-own").is_some(), "the body's own clause stays");
    // Printed, the conflict is an error `check` reports.
    let printed = kaitei_format::authoring::print(
        &merged.document,
        kaitei_format::authoring::PrintOptions::default(),
    );
    let reparsed = parse(&printed);
    assert_eq!(
        reparsed
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("unresolved merge conflict"))
            .count(),
        merged.conflicts
    );
}

/// A law-style policy is merged in its own structure: its articles and
/// their numbers stay; adopted text follows the new edition; the body's
/// own wording where the guideline changed is a conflict.
#[test]
fn a_law_style_policy_keeps_its_structure() {
    let old = fixture("guideline/r6-10.md");
    let new = fixture("guideline/r7-03.md");
    let town = fixture("policies/town.md");
    let v = values(
        "033219",
        &[("CISO職名", "副町長"), ("適用機関", "町長部局")],
    );
    let (aligned, _) = align_policy(&town, &old, &v);
    let merged = merge(&aligned, &old, &new, &v);
    let labels = |d: &Document| -> Vec<String> {
        d.children
            .iter()
            .map(|n| n.path_segment().to_string())
            .collect()
    };
    // Every chapter stays, in order; a new one takes a branch number
    // (第3章の3), nothing is renumbered.
    let theirs = labels(&town);
    let merged_labels = labels(&merged.document);
    let kept: Vec<String> = merged_labels
        .iter()
        .filter(|l| theirs.contains(l))
        .cloned()
        .collect();
    assert_eq!(kept, theirs, "chapters stay");
    assert!(
        merged_labels
            .iter()
            .filter(|l| !theirs.contains(l))
            .all(|l| l.contains('の')),
        "{merged_labels:?}"
    );
    let articles = |d: &Document| {
        d.nodes()
            .filter(|n| n.kind == kaitei_model::NodeKind::Article)
            .count()
    };
    assert!(
        articles(&merged.document) >= articles(&town) - 3,
        "articles stay"
    );
    assert!(
        merged.conflicts > 0,
        "modified clauses whose base changed conflict"
    );
    assert!(merged.document.nodes().any(|n| !n.conflicts.is_empty()));
    assert_eq!(
        merged.document.meta.derived_from.as_deref(),
        Some("令和7年3月版")
    );
}
