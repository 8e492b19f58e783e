//! `kaitei migrate`: the schema brought up to date, saying from which
//! version to which; on PostgreSQL the only upgrade — every other command,
//! the server's too, refuses a schema that is behind (exit 2), naming
//! `kaitei migrate`.

use std::time::{Duration, Instant};

use crate::{Run, kaitei_in};

/// The version `migrate` says it upgraded to, from `…from version F to T`.
fn upgraded_to(run: &Run, from: i64) -> i64 {
    let marker = format!("schema upgraded from version {from} to ");
    let at = run
        .stderr
        .find(&marker)
        .unwrap_or_else(|| panic!("no {marker:?} in {}", run.stderr));
    let rest = &run.stderr[at + marker.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap()
}

/// Runs `kaitei serve` on `db` and waits for it to exit on its own (a
/// minute at most: one that serves instead is stopped and fails the test).
fn serve_exits(db: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kaitei"))
        .args(["--db", db, "serve", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("KAITEI_DB")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("kaitei serve started on a database it should refuse");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn migrate_sets_up_a_new_database_and_then_finds_it_current() {
    let dir = tempfile::tempdir().unwrap();
    let run = kaitei_in(dir.path(), &["--db", "sqlite://m.db", "migrate"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let marker = "sqlite://m.db: a new database: schema set up at version ";
    let at = run.stderr.find(marker).expect(&run.stderr) + marker.len();
    let version: String = run.stderr[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let again = kaitei_in(dir.path(), &["--db", "sqlite://m.db", "migrate"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains(&format!("schema at version {version}, up to date")),
        "{}",
        again.stderr
    );
}

/// A database the kaitei of schema version 6 made (the store's fixtures):
/// on SQLite `migrate` upgrades it; on PostgreSQL every other command and
/// the server refuse it first, naming `kaitei migrate`, with exit 2.
#[test]
fn migrate_upgrades_a_schema_0006_database_and_says_from_which_version_to_which() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for db in rt.block_on(kaitei_store::testing::databases()) {
        rt.block_on(db.restore_schema_0006());
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            let mut all = vec!["--db", db.url.as_str()];
            all.extend_from_slice(args);
            kaitei_in(dir.path(), &all)
        };
        if db.url.starts_with("postgres") {
            for refused in [run(&["export", "令和6年10月版"]), run(&["user", "list"])] {
                assert_eq!(refused.code, 2, "{}", refused.stderr);
                assert!(
                    refused.stderr.contains("schema is at version 6")
                        && refused.stderr.contains("`kaitei migrate --db URL`")
                        && !refused.stderr.contains("kaitei_test:kaitei_test"),
                    "{}",
                    refused.stderr
                );
            }
            let (code, stderr) = serve_exits(&db.url);
            assert_eq!(code, 2, "{stderr}");
            assert!(stderr.contains("kaitei migrate"), "{stderr}");
        }
        let migrated = run(&["migrate"]);
        assert_eq!(migrated.code, 0, "{}: {}", db.url, migrated.stderr);
        let to = upgraded_to(&migrated, 6);
        assert!(to > 6, "{}", migrated.stderr);
        let again = run(&["migrate"]);
        assert_eq!(again.code, 0, "{}", again.stderr);
        assert!(
            again
                .stderr
                .contains(&format!("schema at version {to}, up to date")),
            "{}: the newest: {}",
            db.url,
            again.stderr
        );
        // The upgrade is in the audit trail, once, with its versions, by
        // the operating-system user who ran it; the chain verifies.
        let trail = run(&["audit", "export", "-o", "trail.csv"]);
        assert_eq!(trail.code, 0, "{}", trail.stderr);
        let csv = std::fs::read_to_string(dir.path().join("trail.csv")).unwrap();
        let upgrades: Vec<&str> = csv
            .lines()
            .filter(|l| l.contains(",schema.upgrade,"))
            .collect();
        assert_eq!(upgrades.len(), 1, "{}: {csv}", db.url);
        assert!(
            upgrades[0].contains(",os:")
                && upgrades[0].contains("データベースの更新")
                && upgrades[0].contains(&format!("schema version 6 → {to}")),
            "{csv}"
        );
        let verified = run(&["audit", "verify"]);
        assert_eq!(verified.code, 0, "{}", verified.stderr);
        // Now every command uses it.
        let users = run(&["user", "list"]);
        assert_eq!(users.code, 0, "{}", users.stderr);
        assert!(users.stdout.contains("iwate-ken"), "{}", users.stdout);
        let policy = run(&["export", "030007", "--format", "json"]);
        assert_eq!(policy.code, 0, "{}", policy.stderr);
        assert!(
            policy.stdout.contains("感染症の流行による業務の停止等"),
            "the clause as edited before the upgrade"
        );
    }
}
