//! Deriving policies and recovering provenance, on the fixtures.

use std::collections::{BTreeMap, HashMap, HashSet};

use kaitei_format::authoring::parse;
use kaitei_model::{Document, Status, registry};

use super::*;

fn fixture(rel: &str) -> Document {
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
