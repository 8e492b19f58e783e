//! `kaitei backup`: a consistent copy of a SQLite database, checked before
//! success is reported; an existing file kept unless --force; PostgreSQL
//! refused (pg_dump's job) without connecting.

use super::*;

#[test]
fn a_backup_is_a_checked_copy_that_restores_everything() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = "sqlite://live.db";
    for f in [
        "guideline/r6-10.md",
        "guideline/r7-03.md",
        "policies/town.md",
    ] {
        let run = kaitei_in(d, &["--db", db, "import", path_str(&fixtures().join(f))]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kaitei"))
        .args([
            "--db", db, "user", "add", "town1", "--role", "body", "--body", "033219",
        ])
        .current_dir(d)
        .env_remove("KAITEI_DB")
        .env("KAITEI_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let run = kaitei_in(d, &["--db", db, "backup", "copy.db"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("integrity check: ok"), "{}", run.stderr);
    // Restoring is using the copy: every document and account is there.
    let copy = "sqlite://copy.db";
    for name in ["令和6年10月版", "令和7年3月版"] {
        let live = kaitei_in(d, &["--db", db, "export", name]);
        let restored = kaitei_in(d, &["--db", copy, "export", name]);
        assert_eq!(restored.code, 0, "{}", restored.stderr);
        assert_eq!(live.stdout, restored.stdout, "{name} as it was");
    }
    let users = kaitei_in(d, &["--db", copy, "user", "list"]);
    assert!(users.stdout.contains("town1"), "{}", users.stdout);
    let policy = kaitei_in(d, &["--db", copy, "export", "033219"]);
    assert_eq!(policy.code, 0, "{}", policy.stderr);

    // An existing file is kept unless --force; no partial file is left.
    let before = std::fs::read(d.join("copy.db")).unwrap();
    let run = kaitei_in(d, &["--db", db, "backup", "copy.db"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--force"), "{}", run.stderr);
    assert_eq!(std::fs::read(d.join("copy.db")).unwrap(), before);
    let run = kaitei_in(d, &["--db", db, "backup", "copy.db", "--force"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let leftovers: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn postgres_is_backed_up_with_pg_dump() {
    // Port 1: nothing listens; the refusal comes before any connection.
    let run = kaitei(&[
        "--db",
        "postgres://u:secret@127.0.0.1:1/db",
        "backup",
        "x.db",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("pg_dump") && !run.stderr.contains("secret"),
        "{}",
        run.stderr
    );
}
