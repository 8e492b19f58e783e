//! Placeholder inference on the fixture policies and on generated ones.

use std::collections::BTreeMap;

use kaitei_model::{Document, Node, registry};

use super::tests::fixture;
use super::*;
use crate::synth::Rng;

fn known(code: &str) -> BTreeMap<String, String> {
    profile(registry().lookup(code).expect("a body"), &BTreeMap::new())
}

fn find<'a>(settled: &'a SettledValues, name: &str) -> &'a InferredValue {
    settled
        .inferred
        .iter()
        .find(|i| i.name == name)
        .unwrap_or_else(|| panic!("{name} not listed: {:?}", settled.inferred))
}

fn visit_mut(nodes: &mut [Node], f: &mut impl FnMut(&mut Node)) {
    for n in nodes {
        f(n);
        visit_mut(&mut n.children, f);
    }
}

#[test]
fn the_city_s_text_gives_both_values() {
    let (old, new) = (fixture("guideline/r6-10.md"), fixture("guideline/r7-03.md"));
    let city = fixture("policies/city.md");
    let settled = settle_values(&city, &old, &new, &known("032018"));
    let ciso = find(&settled, "CISO職名");
    assert_eq!(
        ciso.value(),
        Some("副市長のうち市長が指名する者"),
        "{ciso:?}"
    );
    let Inference::Inferred(c) = &ciso.inference else {
        unreachable!()
    };
    assert_eq!(c.evidence.len(), 1);
    assert_eq!(c.evidence[0].guideline_key.as_str(), "s1-1-1");
    assert!(c.evidence[0].policy_path.ends_with("①"), "{c:?}");
    assert_eq!(
        find(&settled, "適用機関").value(),
        Some(
            "市長部局、議会事務局、教育委員会事務局、選挙管理委員会事務局、監査委員事務局、農業委員会事務局、上下水道局及び市立病院"
        )
    );
    assert_eq!(settled.values["CISO職名"], "副市長のうち市長が指名する者");
    assert_eq!(settled.values["団体名"], "盛岡市");
}

#[test]
fn a_law_style_policy_aligned_first_gives_its_values() {
    let (old, new) = (fixture("guideline/r6-10.md"), fixture("guideline/r7-03.md"));
    let known = known("033219");
    let (town, _) = align_policy(&fixture("policies/town.md"), &old, &known);
    let settled = settle_values(&town, &old, &new, &known);
    assert_eq!(find(&settled, "CISO職名").value(), Some("副町長"));
    assert_eq!(
        find(&settled, "適用機関").value(),
        Some(
            "町長部局、議会事務局、教育委員会事務局、選挙管理委員会事務局、監査委員事務局及び農業委員会事務局"
        )
    );
}

/// A derived policy (every value known to the test) read back without its
/// values: `団体名` shows in many clauses, all agreeing.
fn derived(name: &str, ciso: &str) -> (Document, Document) {
    let g = fixture("guideline/r6-10.md");
    let mut given = BTreeMap::new();
    given.insert("団体名".to_string(), name.to_string());
    given.insert("CISO職名".to_string(), ciso.to_string());
    given.insert("適用機関".to_string(), "町長部局及び教育委員会".to_string());
    let body = registry().lookup("033219").expect("a body");
    let p = derive(&g, body, &given, "令和7年度版").expect("every value");
    (p, g)
}

#[test]
fn a_value_read_from_many_clauses_is_inferred_once_with_all_its_evidence() {
    let (p, g) = derived("矢巾町", "副町長");
    let wanted = vec![("団体名".to_string(), "-".to_string())];
    let found = infer_values(&p, &g, &BTreeMap::new(), &wanted);
    let Inference::Inferred(c) = &found[0].inference else {
        panic!("{found:?}")
    };
    assert_eq!(c.value, "矢巾町");
    let uses = g
        .nodes()
        .filter(|n| n.placeholders().iter().any(|p| p == "団体名"))
        .count();
    assert!(
        c.evidence.len() >= uses / 2 && c.evidence.len() > 5,
        "{} of {uses}",
        c.evidence.len()
    );
}

#[test]
fn clauses_that_disagree_are_listed_and_never_picked() {
    let (mut p, g) = derived("矢巾町", "副町長");
    // One clause names another body.
    let mut changed = false;
    visit_mut(&mut p.children, &mut |n| {
        if !changed && n.paragraphs.iter().any(|t| t.contains("矢巾町の情報資産")) {
            for t in &mut n.paragraphs {
                *t = t.replace("矢巾町の情報資産", "紫波町の情報資産");
            }
            changed = true;
        }
    });
    assert!(changed);
    let wanted = vec![("団体名".to_string(), "-".to_string())];
    let found = infer_values(&p, &g, &BTreeMap::new(), &wanted);
    let Inference::Conflicting(cs) = &found[0].inference else {
        panic!("{found:?}")
    };
    let values: Vec<&str> = cs.iter().map(|c| c.value.as_str()).collect();
    assert_eq!(values, ["矢巾町", "紫波町"], "most often read first");
    assert_eq!(cs[1].evidence.len(), 1);
    assert_eq!(found[0].value(), None);
}

#[test]
fn a_value_the_text_does_not_show_stays_a_placeholder() {
    let (mut p, g) = derived("矢巾町", "副町長");
    visit_mut(&mut p.children, &mut |n| {
        for t in &mut n.paragraphs {
            if t.contains("最高情報セキュリティ責任者（CISO）とする") {
                *t = "CISOは、町長が別に定める。".into();
            }
        }
    });
    let new = fixture("guideline/r7-03.md");
    let known = known("033219");
    let settled = settle_values(&p, &g, &new, &known);
    assert_eq!(find(&settled, "CISO職名").inference, Inference::NotFound);
    assert!(!settled.values.contains_key("CISO職名"));
    // The other one is still read.
    assert_eq!(settled.values["適用機関"], "町長部局及び教育委員会");
    // A value given wins and is not inferred at all.
    let mut given = known.clone();
    given.insert("適用機関".into(), "町長部局".into());
    let settled = settle_values(&p, &g, &new, &given);
    assert!(settled.inferred.iter().all(|i| i.name != "適用機関"));
    assert_eq!(settled.values["適用機関"], "町長部局");
}

/// Generated bodies (seeds not used while writing the rules): random values,
/// clauses reworded at random around and away from the placeholders. A value
/// inferred is always the body's; one is inferred unless every clause that
/// shows it was reworded where its context lies.
#[test]
fn generated_policies_never_give_a_wrong_value() {
    const NAMES: [&str; 6] = [
        "副町長",
        "副村長",
        "総務部長",
        "副市長",
        "教育長",
        "企画課長",
    ];
    const ORGS: [&str; 4] = [
        "町長部局",
        "市長部局及び教育委員会",
        "知事部局、議会事務局及び企業局",
        "村長部局、議会事務局、教育委員会事務局及び農業委員会事務局",
    ];
    let new = fixture("guideline/r7-03.md");
    let (mut inferred, mut total) = (0, 0);
    for seed in 5200..5212u64 {
        let mut rng = Rng::new(seed);
        let ciso = rng.pick(&NAMES);
        let org = rng.pick(&ORGS);
        let g = fixture("guideline/r6-10.md");
        let mut given = BTreeMap::new();
        given.insert("CISO職名".to_string(), ciso.to_string());
        given.insert("適用機関".to_string(), org.to_string());
        let body = registry().all()[rng.below(registry().all().len())].clone();
        let mut p = derive(&g, &body, &profile(&body, &given), "x").expect("values");
        visit_mut(&mut p.children, &mut |n| {
            for t in &mut n.paragraphs {
                match rng.below(10) {
                    // Reworded at the start.
                    0 => *t = format!("なお、{}", t.chars().skip(3).collect::<String>()),
                    // Extended at the end.
                    1 => t.push_str("（本団体の運用による。）"),
                    _ => {}
                }
            }
        });
        let settled = settle_values(&p, &g, &new, &profile(&body, &BTreeMap::new()));
        for (name, truth) in [("CISO職名", ciso), ("適用機関", org)] {
            total += 1;
            match &find(&settled, name).inference {
                Inference::Inferred(c) => {
                    assert_eq!(c.value, truth, "seed {seed}");
                    inferred += 1;
                }
                Inference::Conflicting(cs) => panic!("seed {seed}: {name} {cs:?}"),
                Inference::NotFound => {}
            }
        }
    }
    eprintln!("generated policies: {inferred} of {total} values inferred");
    assert!(inferred * 10 >= total * 8, "{inferred} of {total}");
}

/// The nation generator's bodies (every fiftieth): whatever a body did to
/// its clauses, a value inferred is the one it filled in.
#[test]
fn the_nations_policies_give_their_own_values() {
    use crate::synth::nation;
    let g = fixture("guideline/r6-10.md");
    let new = fixture("guideline/r7-03.md");
    let bodies: Vec<_> = registry().all().iter().step_by(50).cloned().collect();
    let (mut inferred, mut total) = (0, 0);
    for (body, p) in nation::policies(&g, &bodies, "令和6年度版", 11) {
        let p = p.expect("the fixture's placeholders all have values");
        let truth = nation::values(body);
        let settled = settle_values(&p, &g, &new, &profile(body, &BTreeMap::new()));
        for name in ["CISO職名", "適用機関"] {
            total += 1;
            match &find(&settled, name).inference {
                Inference::Inferred(c) => {
                    assert_eq!(c.value, truth[name], "{} {name}", body.name);
                    inferred += 1;
                }
                Inference::Conflicting(cs) => panic!("{}: {name} {cs:?}", body.name),
                Inference::NotFound => {}
            }
        }
    }
    eprintln!("the nation's policies: {inferred} of {total} values inferred");
    assert!(inferred * 10 >= total * 9, "{inferred} of {total}");
}
