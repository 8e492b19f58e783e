//! `kaitei export … --format oscal`: an edition's catalog, a stored
//! edition by name, a policy's profile with its own catalog beside it.

use crate::{fixtures, kaitei_in};

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn an_edition_and_a_policy_export_as_oscal() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixtures().join("guideline/r6-10.md");
    let city = fixtures().join("policies/city.md");
    let (g, city) = (g.to_str().unwrap(), city.to_str().unwrap());
    let run = kaitei_in(
        dir.path(),
        &[
            "export",
            g,
            "--format",
            "oscal",
            "-o",
            "令和6年10月版.catalog.json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let catalog = json(&dir.path().join("令和6年10月版.catalog.json"));
    assert_eq!(catalog["catalog"]["metadata"]["oscal-version"], "1.1.2");
    // The same edition, the same document (uuids are derived, not drawn).
    let again = kaitei_in(dir.path(), &["export", g, "--format", "oscal"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&again.stdout).unwrap(),
        catalog
    );

    // A profile of a policy with clauses of its own needs -o.
    let run = kaitei_in(
        dir.path(),
        &["export", city, "--format", "oscal", "--guideline", g],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("-o"), "{}", run.stderr);
    let run = kaitei_in(
        dir.path(),
        &[
            "export",
            city,
            "--format",
            "oscal",
            "--guideline",
            g,
            "-o",
            "032018.profile.json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let profile = json(&dir.path().join("032018.profile.json"));
    let imports = &profile["profile"]["imports"];
    assert_eq!(imports[0]["href"], "令和6年10月版.catalog.json");
    assert_eq!(imports[1]["href"], "032018.own-catalog.json");
    let own = json(&dir.path().join("032018.own-catalog.json"));
    assert!(
        own["catalog"]["controls"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
    let run = kaitei_in(
        dir.path(),
        &[
            "export",
            city,
            "--format",
            "oscal",
            "--guideline",
            g,
            "--catalog-href",
            "https://example.jp/c.json",
            "-o",
            "p.json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        json(&dir.path().join("p.json"))["profile"]["imports"][0]["href"],
        "https://example.jp/c.json"
    );
}

#[test]
fn a_stored_edition_exports_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let g = fixtures().join("guideline/r6-10.md");
    let run = kaitei_in(dir.path(), &["import", g.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = kaitei_in(
        dir.path(),
        &["export", "令和6年10月版", "--format", "oscal"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\"oscal-version\": \"1.1.2\""));
    // A policy naming no stored edition cannot be a profile.
    let town = fixtures().join("policies/city.md");
    let run = kaitei_in(
        dir.path(),
        &[
            "export",
            town.to_str().unwrap(),
            "--format",
            "oscal",
            "--guideline",
            "令和9年1月版",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
}
