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

#[test]
fn a_new_edition_inherits_keys_and_stored_editions_compare() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = kaitei_in(d, &["import", path_str(&fixtures().join("guideline"))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("keys carried forward from 令和6年10月版"),
        "{}",
        run.stderr
    );
    // 4.1 サーバ等の管理 (pinned `s4-1` in the first edition) is 5.1 in the
    // second, and keeps its key.
    let json = kaitei_in(d, &["export", "令和7年3月版", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    fn find<'a>(nodes: &'a serde_json::Value, key: &str) -> Option<&'a serde_json::Value> {
        nodes.as_array()?.iter().find_map(|n| {
            if n["key"] == key {
                Some(n)
            } else {
                find(&n["children"], key)
            }
        })
    }
    let node = find(&v["nodes"], "s4-1").expect("the key was carried forward");
    assert_eq!(node["label"], "5.1.");
    assert_eq!(node["title"], "サーバ等の管理");
    // Comparing the stored editions pairs by those keys and agrees with
    // comparing the files.
    let stored = kaitei_in(
        d,
        &["diff", "令和6年10月版", "令和7年3月版", "--format", "json"],
    );
    let files = kaitei_in(
        d,
        &[
            "diff",
            path_str(&fixtures().join("guideline/r6-10.md")),
            path_str(&fixtures().join("guideline/r7-03.md")),
            "--format",
            "json",
        ],
    );
    assert_eq!(stored.code, 0, "{}", stored.stderr);
    let kinds = |s: &str| -> Vec<(String, Option<String>, Option<String>)> {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let path = |side: &str| r[side]["path"].as_array().map(|p| format!("{p:?}"));
                (
                    r["kind"].as_str().unwrap().to_string(),
                    path("old"),
                    path("new"),
                )
            })
            .collect()
    };
    assert_eq!(kinds(&stored.stdout), kinds(&files.stdout));
}

/// The same commands on every backend under test (PostgreSQL where
/// `KAITEI_TEST_POSTGRES` is set; required under CI): import both
/// editions, the keys carry forward, stored editions compare, a national
/// impact run reads the policies back.
#[test]
fn the_commands_work_on_every_backend() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for db in rt.block_on(kaitei_store::testing::databases()) {
        let dir = tempfile::tempdir().unwrap();
        // The database named as a user would, `--db` before the command.
        let run = |args: &[&str]| {
            let mut all = vec!["--db", db.url.as_str()];
            all.extend_from_slice(args);
            kaitei_in(dir.path(), &all)
        };
        let g = fixtures().join("guideline");
        let p = fixtures().join("policies");
        let imported = run(&[
            "import",
            path_str(&g.join("r6-10.md")),
            path_str(&g.join("r7-03.md")),
            path_str(&p.join("prefecture.md")),
        ]);
        assert_eq!(imported.code, 0, "{}: {}", db.url, imported.stderr);
        let stored = run(&["export", "令和6年10月版", "--format", "json"]);
        assert_eq!(stored.code, 0, "{}", stored.stderr);
        let from_file = run(&["export", path_str(&g.join("r6-10.md")), "--format", "json"]);
        assert_eq!(
            stored.stdout, from_file.stdout,
            "{}: stored and read back unchanged",
            db.url
        );
        let diff = run(&["diff", "令和6年10月版", "令和7年3月版", "--format", "json"]);
        assert_eq!(diff.code, 0, "{}", diff.stderr);
        assert!(diff.stdout.contains("\"rows\""));
        let national = run(&[
            "policy",
            "impact",
            "--all",
            "--from",
            "令和6年10月版",
            "--to",
            "令和7年3月版",
            "--format",
            "json",
        ]);
        assert_eq!(national.code, 0, "{}: {}", db.url, national.stderr);
        assert!(
            national.stderr.contains("1 policies"),
            "{}: {}",
            db.url,
            national.stderr
        );
    }
}
