//! `kaitei cycle`, `kaitei draft` and `kaitei consult` end to end.

use crate::{fixtures, kaitei_in, path_str};

#[test]
fn the_ministry_plans_a_cycle_and_opens_a_consultation() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r7 = fixtures().join("guideline/r7-03.md");
    assert_eq!(kaitei_in(d, &["import", path_str(&r7)]).code, 0);
    let run = kaitei_in(d, &["cycle", "create", "R7"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("令和7年度"), "{}", run.stderr);
    let run = kaitei_in(
        d,
        &[
            "cycle",
            "topic",
            "令和7年度",
            "USBメモリを用いないデータ連携",
            "--clause",
            "x1",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = kaitei_in(
        d,
        &[
            "cycle",
            "milestone",
            "2025",
            "committee",
            "第1回検討会",
            "--at",
            "2025-06-20 14:00",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = kaitei_in(
        d,
        &[
            "cycle",
            "milestone",
            "2025",
            "publication",
            "公表",
            "--at",
            "2026-04-01 10:00",
        ],
    );
    assert_eq!(run.code, 2, "outside the fiscal year: {}", run.stderr);
    assert!(run.stderr.contains("令和7年度"), "{}", run.stderr);
    let run = kaitei_in(d, &["draft", "create", "R8-draft", "--year", "R7"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // 13 days 23 hours: refused, saying what to do.
    let short = [
        "consult",
        "create",
        "R7-1",
        "--draft",
        "R8-draft",
        "--title",
        "改定案に対する意見照会",
        "--opens",
        "2026-01-13 10:00",
        "--closes",
        "2026-01-27 09:00",
    ];
    let run = kaitei_in(d, &short);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("14 days") && run.stderr.contains("13 days 23 hours"),
        "{}",
        run.stderr
    );
    let mut ok = short;
    ok[10] = "2026-01-27 10:00";
    let run = kaitei_in(d, &ok);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let vendors = [
        "consult",
        "create",
        "R7-V",
        "--draft",
        "R8-draft",
        "--title",
        "ベンダー意見照会",
        "--audience",
        "vendors",
        "--opens",
        "2026-01-20 10:00",
        "--closes",
        "2026-02-03 10:00",
    ];
    let run = kaitei_in(d, &vendors);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("R7-1"), "{}", run.stderr);
    let run = kaitei_in(d, &["consult", "status", "R7-1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("1788 asked, 0 received"),
        "{}",
        run.stdout
    );
    let run = kaitei_in(d, &["cycle", "show", "2025"]);
    assert!(
        run.stdout.contains("第1回検討会") && run.stdout.contains("R7-1"),
        "{}",
        run.stdout
    );
    let run = kaitei_in(d, &["consult", "status", "R7-9"]);
    assert_eq!(run.code, 2);
}

#[test]
fn accounts_get_the_right_to_submit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let add = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kaitei"))
            .args(args)
            .current_dir(d)
            .env_remove("KAITEI_DB")
            .env("KAITEI_PASSWORD", "a long enough password")
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, err) = add(&[
        "user",
        "add",
        "shiwa1",
        "--role",
        "body",
        "--body",
        "034614",
        "--can-submit",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        add(&[
            "user", "add", "shiwa2", "--role", "body", "--body", "034614"
        ])
        .0,
        0
    );
    let (code, err) = add(&[
        "user",
        "add",
        "v1",
        "--role",
        "vendor",
        "--can-submit",
        "--organisation",
        "X社",
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        add(&[
            "user",
            "add",
            "v1",
            "--role",
            "vendor",
            "--organisation",
            "株式会社サンプル"
        ])
        .0,
        0
    );
    assert_eq!(kaitei_in(d, &["user", "can-submit", "shiwa2"]).code, 0);
    assert_eq!(
        kaitei_in(d, &["user", "can-submit", "shiwa1", "--revoke"]).code,
        0
    );
    assert_eq!(kaitei_in(d, &["user", "can-submit", "v1"]).code, 2);
    let list = kaitei_in(d, &["user", "list"]).stdout;
    let line = |login: &str| {
        list.lines()
            .find(|l| l.starts_with(login))
            .unwrap_or("")
            .to_string()
    };
    assert!(line("shiwa2").contains("can-submit"), "{list}");
    assert!(!line("shiwa1").contains("can-submit"), "{list}");
    assert!(line("v1").contains("株式会社サンプル"), "{list}");
}
