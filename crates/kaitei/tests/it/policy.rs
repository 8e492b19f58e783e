//! `kaitei policy derive|align|impact|merge` end to end.

use crate::{fixtures, kaitei_in, path_str};

fn guideline(name: &str) -> String {
    path_str(&fixtures().join("guideline").join(name)).to_string()
}

#[test]
fn derive_needs_every_value_and_writes_a_checked_policy() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = kaitei_in(
        d,
        &[
            "policy",
            "derive",
            &guideline("r6-10.md"),
            "--body",
            "033219",
            "-o",
            "p.md",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no value for 2 placeholder(s)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("{{CISO職名}}") && run.stderr.contains("--set NAME=VALUE"),
        "{}",
        run.stderr
    );
    assert!(!d.join("p.md").exists(), "nothing is written on error");

    std::fs::write(
        d.join("profile.yaml"),
        "CISO職名: 副町長\n適用機関: 町長部局\n",
    )
    .unwrap();
    let run = kaitei_in(
        d,
        &[
            "policy",
            "derive",
            &guideline("r6-10.md"),
            "--body",
            "033219",
            "--profile",
            "profile.yaml",
            "-o",
            "p.md",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(d.join("p.md")).unwrap();
    assert!(
        text.contains("body: '033219'") || text.contains("body: \"033219\""),
        "{}",
        &text[..200]
    );
    assert!(text.contains("紫波町") && text.contains("副町長"));
    assert!(text.contains("from=b1 status=adopted"));
    assert_eq!(kaitei_in(d, &["check", "p.md"]).code, 0);

    std::fs::write(d.join("bad.yaml"), "- not\n- a map\n").unwrap();
    let run = kaitei_in(
        d,
        &[
            "policy",
            "derive",
            &guideline("r6-10.md"),
            "--body",
            "033219",
            "--profile",
            "bad.yaml",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("bad.yaml") && run.stderr.contains("YAML map"),
        "{}",
        run.stderr
    );
    let run = kaitei_in(
        d,
        &[
            "policy",
            "derive",
            &guideline("r6-10.md"),
            "--body",
            "011011",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not a local government"),
        "{}",
        run.stderr
    );
}

#[test]
fn align_writes_provenance_and_a_review_list() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let town = path_str(&fixtures().join("policies/town.md")).to_string();
    let run = kaitei_in(
        d,
        &[
            "policy",
            "align",
            &town,
            "--to",
            &guideline("r6-10.md"),
            "--set",
            "CISO職名=副町長",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("第1条 この規程は、")
            && run.stdout.contains("{from=b1 status=modified}"),
        "{}",
        &run.stdout[..600]
    );
    assert!(run.stdout.contains("omitted:"));
    assert!(run.stderr.contains("review: "), "{}", run.stderr);
    assert!(
        run.stderr.contains("clauses linked to 令和6年10月版"),
        "{}",
        run.stderr
    );
}

#[test]
fn impact_and_merge_on_a_derived_policy() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let set = ["--set", "CISO職名=副町長", "--set", "適用機関=町長部局"];
    let g6 = guideline("r6-10.md");
    let g7 = guideline("r7-03.md");
    let mut args = vec![
        "policy",
        "derive",
        &g6[..],
        "--body",
        "033219",
        "-o",
        "p.md",
    ];
    args.extend(set);
    assert_eq!(kaitei_in(d, &args).code, 0);
    // The body rewrites its purpose clause, whose guideline text changes in
    // the new edition.
    let text = std::fs::read_to_string(d.join("p.md")).unwrap();
    let heading = "## 1. 目的 {#p-b1 from=b1 status=adopted}\n\n";
    let at = text.find(heading).expect("the purpose clause") + heading.len();
    let end = at + text[at..].find('\n').unwrap();
    let rewritten = format!(
        "{}紫波町は、町独自の目的を定める。{}",
        &text[..at].replace(
            "{#p-b1 from=b1 status=adopted}",
            "{#p-b1 from=b1 status=modified}"
        ),
        &text[end..]
    );
    std::fs::write(d.join("p.md"), &rewritten).unwrap();
    assert_eq!(kaitei_in(d, &["check", "p.md"]).code, 0);

    let run = kaitei_in(
        d,
        &[
            "policy", "impact", "p.md", "--from", &g6, "--to", &g7, "--format", "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let items = v["policies"][0]["items"].as_array().unwrap();
    assert!(items.iter().any(|i| i["cause"] == "changed-modified"
        && i["old_key"] == "b1"
        && i["severity"] == "high"));
    assert!(
        items
            .iter()
            .all(|i| !i["explanation"].as_str().unwrap().is_empty())
    );

    let mut args = vec![
        "policy",
        "merge",
        "p.md",
        "--from",
        &g6[..],
        "--to",
        &g7[..],
        "-o",
        "merged.md",
        "--table",
        "own.docx",
    ];
    args.extend(set);
    let run = kaitei_in(d, &args);
    assert_eq!(run.code, 0, "merge exits 0 with conflicts: {}", run.stderr);
    assert!(
        run.stderr.contains("1 conflict(s) to resolve"),
        "{}",
        run.stderr
    );
    let check = kaitei_in(d, &["check", "merged.md"]);
    assert_eq!(check.code, 1, "conflicts fail the check");
    assert_eq!(
        check.stdout.matches("unresolved merge conflict").count(),
        1,
        "{}",
        check.stdout
    );
    let merged = std::fs::read_to_string(d.join("merged.md")).unwrap();
    assert!(
        merged.contains("<<<<<<< 本団体")
            && merged.contains("||||||| 旧版 令和6年10月版")
            && merged.contains(">>>>>>> 新版 令和7年3月版")
    );
    assert!(merged.contains("derived_from: 令和7年3月版"));
    let docx = std::fs::read(d.join("own.docx")).unwrap();
    assert!(docx.starts_with(b"PK"), "the body's own 新旧対照表");

    let mut args = vec![
        "policy",
        "merge",
        "p.md",
        "--from",
        &g6[..],
        "--to",
        &g7[..],
    ];
    args.extend(["--set", "CISO職名=副町長"]);
    let run = kaitei_in(d, &args);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("{{適用機関}}"), "{}", run.stderr);
}

#[test]
fn national_impact_over_stored_policies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pol = |f: &str| path_str(&fixtures().join("policies").join(f)).to_string();
    let run = kaitei_in(
        d,
        &[
            "import",
            &guideline("r6-10.md"),
            &guideline("r7-03.md"),
            &pol("prefecture.md"),
            &pol("city.md"),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = kaitei_in(
        d,
        &[
            "policy",
            "impact",
            "--all",
            "--from",
            "令和6年10月版",
            "--to",
            "令和7年3月版",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let bodies: Vec<&str> = v["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["030007", "032018"]);
    assert!(
        run.stderr.contains("030007 岩手県\t2\t"),
        "per-prefecture summary: {}",
        run.stderr
    );
}
