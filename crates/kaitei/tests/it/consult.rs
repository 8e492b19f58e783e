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
    let run = kaitei_in(
        d,
        &[
            "consult",
            "status",
            "R7-1",
            "--format",
            "xlsx",
            "-o",
            "todo.xlsx",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("wrote 1788 respondents"),
        "{}",
        run.stderr
    );
    let bytes = std::fs::read(d.join("todo.xlsx")).unwrap();
    assert!(bytes.starts_with(b"PK"), "a workbook");
    let run = kaitei_in(d, &["consult", "status", "R7-1", "--format", "xlsx"]);
    assert_eq!(run.code, 2, "no -o: {}", run.stderr);
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

/// Whether python3 with openpyxl is here; under CI it must be.
fn openpyxl() -> bool {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok || std::env::var_os("CI").is_none(),
        "CI needs python3 with openpyxl"
    );
    if !ok {
        eprintln!("skipped: python3 with openpyxl is not installed");
    }
    ok
}

/// Fills the first clause with text of the template at `input` as a body
/// would: type `kind`, the clause's first two characters quoted.
fn fill(input: &std::path::Path, output: &std::path::Path, kind: &str) {
    let program = format!(
        "import sys, openpyxl\n\
         wb = openpyxl.load_workbook(sys.argv[1])\n\
         ws = wb['回答']\n\
         r = next(c.row for c in ws['A'] if c.value and not str(c.value).startswith('#') and ws.cell(c.row, 3).value)\n\
         ws.cell(r, 4, '{kind}'); ws.cell(r, 5, ws.cell(r, 3).value[:2]); ws.cell(r, 6, '目安を示して頂きたい。')\n\
         wb.save(sys.argv[2])\n"
    );
    let out = std::process::Command::new("python3")
        .args(["-c", &program, path_str(input), path_str(output)])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn templates_go_out_and_come_back_filled() {
    if !openpyxl() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let r7 = fixtures().join("guideline/r7-03.md");
    assert_eq!(kaitei_in(d, &["import", path_str(&r7)]).code, 0);
    // A window open now, whatever day the test runs.
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let at = |s: i64| kaitei_model::JstTime::from_unix(s).local();
    let opens = at(secs - 86_400);
    let closes = at(secs + 20 * 86_400);
    let year =
        kaitei_model::cycle::FiscalYear::of(kaitei_model::JstTime::from_unix(secs - 86_400).date())
            .to_string();
    assert_eq!(kaitei_in(d, &["cycle", "create", &year]).code, 0);
    assert_eq!(
        kaitei_in(d, &["draft", "create", "next", "--year", &year]).code,
        0
    );
    let run = kaitei_in(
        d,
        &[
            "consult",
            "create",
            "T-1",
            "--draft",
            "next",
            "--title",
            "意見照会",
            "--audience",
            "list:034614,034827",
            "--opens",
            &opens,
            "--closes",
            &closes,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = kaitei_in(d, &["consult", "export-templates", "T-1", "-o", "out"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut names: Vec<String> = std::fs::read_dir(d.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["T-1_034614_大槌町.xlsx", "T-1_034827_山田町.xlsx"]);
    let town = d.join("out").join(&names[0]);
    fill(&town, &d.join("filled.xlsx"), "意見");
    fill(&d.join("out").join(&names[1]), &d.join("bad.xlsx"), "要望");
    let run = kaitei_in(d, &["consult", "import", "filled.xlsx", "bad.xlsx"]);
    assert_eq!(run.code, 2, "one file refused: {}", run.stderr);
    assert!(
        run.stderr
            .contains("大槌町 (034614): 1 comments, submitted"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("bad.xlsx:") && run.stderr.contains("種別"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("1 stored, 0 unchanged, 1 refused"),
        "{}",
        run.stderr
    );
    let run = kaitei_in(d, &["consult", "import", "filled.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("unchanged, nothing stored"),
        "{}",
        run.stderr
    );
    let run = kaitei_in(d, &["consult", "status", "T-1", "--all"]);
    assert!(
        run.stdout.contains("2 asked, 1 received (1 comments)"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("034827\t山田町\t未着手"),
        "{}",
        run.stdout
    );
    // Blank templates are refused: nothing filled in.
    let run = kaitei_in(d, &["consult", "import", "out"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("0 stored, 0 unchanged, 2 refused"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("nothing is filled in"),
        "{}",
        run.stderr
    );
    // The response table of what was received, and a publication the
    // open window refuses.
    for (format, file) in [("xlsx", "r.xlsx"), ("docx", "r.docx"), ("html", "r.html")] {
        let run = kaitei_in(
            d,
            &["consult", "report", "T-1", "--format", format, "-o", file],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stderr
                .contains("1 comments in 1 rows, 1 without a disposition"),
            "{}",
            run.stderr
        );
    }
    let html = std::fs::read_to_string(d.join("r.html")).unwrap();
    assert!(
        html.contains("大槌町") && html.contains("T-1-0001"),
        "{html}"
    );
    let run = kaitei_in(
        d,
        &[
            "consult",
            "report",
            "T-1",
            "--format",
            "html",
            "-o",
            "a.html",
            "--anonymise",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let anon = std::fs::read_to_string(d.join("a.html")).unwrap();
    assert!(!anon.contains("大槌町") && anon.contains("団体1"));
    let run = kaitei_in(
        d,
        &[
            "draft",
            "publish",
            "next",
            "--edition",
            "令和8年12月版",
            "--published",
            "令和8年12月20日",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("T-1 on this draft has not closed"),
        "{}",
        run.stderr
    );
}
