//! `kaitei import` and `kaitei export` through the database.

use crate::{fixtures, kaitei_in, path_str};

#[test]
fn import_export_round_trip_and_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r6 = fixtures().join("guideline/r6-10.md");
    let run = kaitei_in(d, &["import", path_str(&r6)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("imported guideline edition 令和6年10月版"),
        "{}",
        run.stderr
    );
    assert!(
        d.join("kaitei.db").exists(),
        "the default database is ./kaitei.db"
    );

    let again = kaitei_in(d, &["import", path_str(&r6)]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already stored"), "{}", again.stderr);

    // Export the stored edition and compare its tree with the file's.
    let out = d.join("export.md");
    let run = kaitei_in(
        d,
        &[
            "export",
            "令和6年10月版",
            "--format",
            "md",
            "-o",
            path_str(&out),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let from_file = kaitei_in(d, &["export", path_str(&r6), "--format", "json"]);
    let from_store = kaitei_in(d, &["export", "令和6年10月版", "--format", "json"]);
    assert_eq!(from_file.stdout, from_store.stdout);
    let from_export = kaitei_in(d, &["export", path_str(&out), "--format", "json"]);
    assert_eq!(
        from_export.stdout, from_store.stdout,
        "the md export re-reads to the same tree and keys"
    );

    let json: serde_json::Value = serde_json::from_str(&from_store.stdout).unwrap();
    assert_eq!(json["schema"], "kaitei-document/1");
    assert_eq!(json["meta"]["edition"], "令和6年10月版");
}

#[test]
fn kaitei_db_selects_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("other.db").display());
    let r6 = fixtures().join("guideline/r6-10.md");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kaitei"))
        .args(["import", path_str(&r6)])
        .current_dir(dir.path())
        .env("KAITEI_DB", &db)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(dir.path().join("other.db").exists());
    assert!(!dir.path().join("kaitei.db").exists());
}
