//! The OSCAL mapping: uuids, ids, the catalog of an edition, the profile
//! of a policy. (`tests/oscal_opens.rs` has compliance-trestle load them.)

use super::*;
use crate::authoring::parse;

const EDITION: &str = include_str!("../../../fixtures/guideline/r6-10.md");
const CITY: &str = include_str!("../../../fixtures/policies/city.md");

fn find<'a>(v: &'a Value, id: &str) -> Option<&'a Value> {
    if v.get("id").and_then(Value::as_str) == Some(id) {
        return Some(v);
    }
    match v {
        Value::Object(m) => m.values().find_map(|x| find(x, id)),
        Value::Array(a) => a.iter().find_map(|x| find(x, id)),
        _ => None,
    }
}

#[test]
fn uuids_are_version_5_as_rfc_9562_computes_them() {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
    let dns = [
        0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
        0xc8,
    ];
    assert_eq!(
        uuid_v5_in(&dns, "python.org"),
        "886313e1-3b8a-5372-9b90-0c9aee199e5d"
    );
    assert_eq!(
        uuid_v5("catalog:令和6年10月版"),
        uuid_v5("catalog:令和6年10月版")
    );
    assert_ne!(
        uuid_v5("catalog:令和6年10月版"),
        uuid_v5("catalog:令和7年3月版")
    );
}

#[test]
fn ids_are_tokens_one_to_one() {
    assert_eq!(token("s4-1-5-2"), "s4-1-5-2");
    assert_eq!(token("n1.2.12"), "n1.2.12");
    assert_eq!(token("1.2"), "_.1.2");
    assert_eq!(token("a_b"), "a_5Fb");
    assert_eq!(token("a/b"), "a_2Fb");
    assert_eq!(token("団体名"), "団体名");
    assert_eq!(param_id("団体名"), "p.団体名");
    assert_eq!(token("・"), "_._E3_83_BB");
    assert_ne!(token("a_2Fb"), token("a/b"));
}

#[test]
fn the_catalog_has_groups_controls_parts_and_params() {
    let edition = parse(EDITION).document;
    let c = catalog(&edition).unwrap();
    let cat = &c["catalog"];
    assert_eq!(cat["metadata"]["oscal-version"], "1.1.2");
    assert_eq!(
        cat["metadata"]["last-modified"],
        "2024-10-01T00:00:00+09:00"
    );
    assert_eq!(cat["metadata"]["version"], "令和6年10月版");
    assert_eq!(cat["uuid"], uuid_v5("catalog:令和6年10月版"));
    assert_eq!(catalog(&edition).unwrap(), c, "deterministic");
    // 3. 情報システム全体の強靭性の向上 is a group; (1) under it a control
    // with sub-controls; its commentary the guidance.
    let s3 = find(cat, "s3").expect("s3");
    assert_eq!(s3["class"], "heading");
    let s31 = find(cat, "s3-1").expect("s3-1");
    assert_eq!(s31["class"], "item");
    assert!(s31["controls"].as_array().is_some_and(|a| !a.is_empty()));
    let s3212 = find(cat, "s3-2-1-2").expect("s3-2-1-2");
    assert!(s3212["title"].as_str().unwrap().starts_with("イ"));
    let guidance = find(cat, "s3-2-1-2_gdn").expect("its commentary");
    assert!(guidance["prose"].as_str().unwrap().contains("画面転送"));
    // A placeholder is a param and its insertion.
    let params = cat["params"].as_array().expect("params");
    assert!(params.iter().any(|p| p["label"] == "団体名"), "{params:?}");
    let text = serde_json::to_string(cat).unwrap();
    assert!(text.contains("{{ insert: param, p.団体名 }}"));
    assert!(!text.contains("{{団体名}}"));
}

#[test]
fn the_profile_includes_excludes_alters_and_sets() {
    let edition = parse(EDITION).document;
    let city = parse(CITY).document;
    let values: BTreeMap<String, String> = [("団体名".to_string(), "盛岡市".to_string())].into();
    let (p, own) = profile(&ProfileInput {
        policy: &city,
        edition: &edition,
        values: &values,
        catalog_href: "令和6年10月版.catalog.json",
        own_catalog_href: "032018.own.json",
    })
    .unwrap();
    let p = &p["profile"];
    assert_eq!(p["imports"][0]["href"], "令和6年10月版.catalog.json");
    let excluded: Vec<&str> = p["imports"][0]["exclude-controls"][0]["with-ids"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // Every omission with a control; s6-1-20 with its three items.
    for id in [
        "s4-1-6",
        "s4-3-3",
        "s6-1-20",
        "s6-1-20-1",
        "s6-1-20-3",
        "s9-1-8",
    ] {
        assert!(excluded.contains(&id), "{id} not in {excluded:?}");
    }
    let remarks = p["metadata"]["remarks"].as_str().unwrap();
    assert!(remarks.contains("- 除外 s4-1-6（s4-1-6）: 庁外にサーバ等を設置していないため"));
    assert!(remarks.contains("盛岡市ウェブ会議運用要領"));
    let included = p["imports"][0]["include-controls"][0]["with-ids"]
        .as_array()
        .unwrap();
    assert!(included.iter().any(|i| i == "b2-1"));
    assert!(!included.iter().any(|i| i == "s4-1-6"));
    // Each modified clause: its statement replaced by the body's text.
    let modified: Vec<&Node> = city
        .nodes()
        .filter(|n| n.status == Some(Status::Modified) && !n.paragraphs.is_empty())
        .filter(|n| control_keys(&edition).contains(n.from.as_ref().unwrap().as_str()))
        .collect();
    let alters = p["modify"]["alters"].as_array().unwrap();
    assert_eq!(alters.len(), modified.len());
    let first = modified[0];
    let id = token(first.from.as_ref().unwrap().as_str());
    let alter = alters
        .iter()
        .find(|a| a["control-id"] == id.as_str())
        .unwrap();
    assert_eq!(alter["removes"][0]["by-id"], format!("{id}_smt"));
    assert_eq!(
        alter["adds"][0]["parts"][0]["prose"],
        prose(&first.paragraphs.join("\n\n"))
    );
    let set = p["modify"]["set-parameters"].as_array().unwrap();
    assert_eq!(set[0]["param-id"], "p.団体名");
    assert_eq!(set[0]["values"][0], "盛岡市");
    // The city added clauses of its own: a second catalog, imported.
    let own = own.expect("the city's own clauses");
    assert_eq!(p["imports"][1]["href"], "032018.own.json");
    let added = city
        .nodes()
        .filter(|n| n.status == Some(Status::Added))
        .count();
    let text = serde_json::to_string(&own).unwrap();
    assert_eq!(text.matches("\"class\":").count(), added);
    assert!(text.contains("\"id\":\"b032018."));
}

#[test]
fn no_date_no_catalog() {
    let mut edition = parse(EDITION).document;
    edition.meta.published = None;
    assert!(matches!(catalog(&edition), Err(OscalError::NoDate(_))));
}
