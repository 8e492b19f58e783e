//! `kaitei audit head|verify|export`: the chain's head printed, checked
//! (exit 0 intact, 1 broken naming the position, 2 cannot read), and the
//! events exported; changes made through the command line are recorded as
//! the operating-system user's.

use super::*;

#[test]
fn the_trail_is_checked_against_its_head_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let db = "sqlite://a.db";
    for f in ["guideline/r6-10.md", "policies/town.md"] {
        let run = kaitei_in(d, &["--db", db, "import", path_str(&fixtures().join(f))]);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    let head = kaitei_in(d, &["--db", db, "audit", "head"]);
    assert_eq!(head.code, 0, "{}", head.stderr);
    let head = head.stdout.trim().to_string();
    assert!(head.starts_with("2:") && head.len() == 2 + 64, "{head}");

    let run = kaitei_in(d, &["--db", db, "audit", "verify", "--head", &head]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.trim(), head);
    assert!(run.stderr.contains("intact: 2 event(s)"), "{}", run.stderr);

    // A head the chain does not hold: more events than there are (the
    // end was cut off), or another hash at its position (rewritten).
    let later = format!("5:{}", &head[2..]);
    let run = kaitei_in(d, &["--db", db, "audit", "verify", "--head", &later]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("BROKEN at event 3"), "{}", run.stderr);
    let other = format!("1:{}", &head[2..]);
    let run = kaitei_in(d, &["--db", db, "audit", "verify", "--head", &other]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("BROKEN at event 1"), "{}", run.stderr);

    // Cannot read: a head that is not one; a database that is not there.
    let run = kaitei_in(d, &["--db", db, "audit", "verify", "--head", "two"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = kaitei_in(
        d,
        &["--db", "postgres://u:p@127.0.0.1:1/x", "audit", "verify"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);

    // Exported: the command line's changes are the OS user's.
    let run = kaitei_in(
        d,
        &[
            "--db", db, "audit", "export", "--body", "033219", "-o", "t.csv",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv = std::fs::read_to_string(d.join("t.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 2, "the header and the town's import: {csv}");
    assert!(
        rows[1].contains(",os:")
            && rows[1].contains(",document.import,文書の取込み,033219,紫波町,"),
        "{csv}"
    );
    let run = kaitei_in(d, &["--db", db, "audit", "export", "--from", "2026-02-30"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--from"), "{}", run.stderr);
}
