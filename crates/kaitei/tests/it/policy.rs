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
    // Without 適用機関 the body's text does not show (the derived policy
    // filled it with 町長部局, which is read back): the merge does its job.
    args.extend(["--set", "CISO職名=副町長"]);
    let run = kaitei_in(d, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("inferred {{適用機関}} = 町長部局 from "),
        "{}",
        run.stderr
    );
}

/// A policy written without kaitei whose front matter holds no values: the
/// merge reads them from the body's own text, lists them with their
/// evidence, and uses them; `--set` wins; a confirmed value is kept in the
/// merged policy's front matter and not inferred again.
#[test]
fn merge_infers_placeholder_values_from_the_body_s_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let city = path_str(&fixtures().join("policies/city.md")).to_string();
    let (g6, g7) = (guideline("r6-10.md"), guideline("r7-03.md"));
    let merge = |policy: &str, out: &str, extra: &[&str]| {
        let mut args = vec![
            "policy", "merge", policy, "--from", &g6, "--to", &g7, "-o", out,
        ];
        args.extend(extra);
        kaitei_in(d, &args)
    };
    let run = merge(&city, "m1.md", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "inferred {{CISO職名}} = 副市長のうち市長が指名する者 from 第1章 情報セキュリティ基本方針"
        ) || run.stderr.contains("inferred {{CISO職名}} = 副市長のうち市長が指名する者 from "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("inferred {{適用機関}} = 市長部局、議会事務局、"),
        "{}",
        run.stderr
    );
    let m1 = std::fs::read_to_string(d.join("m1.md")).unwrap();
    assert!(!m1.contains("{{"), "every placeholder filled");
    assert!(
        !m1.contains("values:"),
        "inferred values are not confirmed ones"
    );

    // --set wins over inference, and is kept as confirmed.
    let run = merge(&city, "m2.md", &["--set", "CISO職名=総務部長"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        !run.stderr.contains("inferred {{CISO職名}}"),
        "{}",
        run.stderr
    );
    let m2 = std::fs::read_to_string(d.join("m2.md")).unwrap();
    assert!(
        m2.contains("values:") && m2.contains("CISO職名: 総務部長"),
        "{}",
        &m2[..800]
    );

    // A value the policy's front matter holds (confirmed) is used, not
    // inferred again, and stays there.
    let text = std::fs::read_to_string(&city).unwrap();
    let confirmed = text.replacen(
        "derived_from:",
        "values: {CISO職名: 副市長}\nderived_from:",
        1,
    );
    std::fs::write(d.join("confirmed.md"), confirmed).unwrap();
    let run = merge("confirmed.md", "m3.md", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("{{CISO職名}}"), "{}", run.stderr);
    assert!(
        run.stderr.contains("inferred {{適用機関}}"),
        "{}",
        run.stderr
    );
    let m3 = std::fs::read_to_string(d.join("m3.md")).unwrap();
    assert!(m3.contains("CISO職名: 副市長"), "{}", &m3[..800]);

    // impact --format json lists the values with their evidence.
    let run = kaitei_in(
        d,
        &[
            "policy", "impact", &city, "--from", &g6, "--to", &g7, "--format", "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let values = v["policies"][0]["values"]
        .as_array()
        .expect("values listed");
    let ciso = values.iter().find(|x| x["name"] == "CISO職名").unwrap();
    assert_eq!(ciso["status"], "inferred");
    assert_eq!(ciso["value"], "副市長のうち市長が指名する者");
    assert_eq!(
        ciso["candidates"][0]["evidence"][0]["guideline_key"],
        "s1-1-1"
    );
}

/// A value the text cannot show leaves its placeholder in place, listed;
/// the merge still exits 0.
#[test]
fn merge_leaves_a_value_it_cannot_infer_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (g6, g7) = (guideline("r6-10.md"), guideline("r7-03.md"));
    let run = kaitei_in(
        d,
        &[
            "policy",
            "derive",
            &g6,
            "--body",
            "033219",
            "--set",
            "CISO職名=副町長",
            "--set",
            "適用機関=町長部局",
            "-o",
            "p.md",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The body's CISO clause no longer names the post.
    let text = std::fs::read_to_string(d.join("p.md")).unwrap();
    let rewritten = text.replace(
        "副町長を、最高情報セキュリティ責任者（CISO）とする。",
        "最高情報セキュリティ責任者（CISO）は、町長が別に定める。",
    );
    assert_ne!(rewritten, text);
    std::fs::write(d.join("p.md"), rewritten).unwrap();
    let run = kaitei_in(
        d,
        &[
            "policy", "merge", "p.md", "--from", &g6, "--to", &g7, "-o", "m.md",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("no value for {{CISO職名}}")
            && run.stderr.contains("--set CISO職名=VALUE"),
        "{}",
        run.stderr
    );
    let merged = std::fs::read_to_string(d.join("m.md")).unwrap();
    assert!(
        merged.contains("{{CISO職名}}"),
        "the placeholder stays for review"
    );
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
    // The city's front matter holds no values: its wording shows them, as
    // when its impact is asked alone — the same values, the same evidence.
    let city = &v["policies"][1];
    let ciso = city["values"]
        .as_array()
        .expect("values listed")
        .iter()
        .find(|x| x["name"] == "CISO職名")
        .expect("CISO職名");
    assert_eq!(ciso["status"], "inferred");
    assert_eq!(ciso["value"], "副市長のうち市長が指名する者");
    let alone = kaitei_in(
        d,
        &[
            "policy",
            "impact",
            "032018",
            "--from",
            "令和6年10月版",
            "--to",
            "令和7年3月版",
            "--format",
            "json",
        ],
    );
    assert_eq!(alone.code, 0, "{}", alone.stderr);
    let alone: serde_json::Value = serde_json::from_str(&alone.stdout).unwrap();
    assert_eq!(alone["policies"][0]["values"], city["values"]);
    assert!(
        run.stderr
            .contains("placeholder {{CISO職名}}: inferred in "),
        "{}",
        run.stderr
    );
}

/// The town's own 規程: clauses both changed merge within where the changes
/// do not overlap (listed on stderr, status=modified), and the purpose
/// clause keeps the town's wording with the guideline's addition.
#[test]
fn merge_applies_the_guideline_s_change_to_the_body_s_wording() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let town = path_str(&fixtures().join("policies/town.md")).to_string();
    let (g6, g7) = (guideline("r6-10.md"), guideline("r7-03.md"));
    let run = kaitei_in(
        d,
        &[
            "policy", "merge", &town, "--from", &g6, "--to", &g7, "-o", "m.md",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("merged within 第1章 総則 / 第1条 (status=modified)")
            || run
                .stderr
                .contains("merged within 第1章 / 第1条 (status=modified)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("もって住民の信頼に応える"),
        "{}",
        run.stderr
    );
    // Before, every clause both changed was a conflict: 27 on this policy.
    let at = run.stderr.find("'s policy: ").expect("the summary") + "'s policy: ".len();
    let conflicts: usize = run.stderr[at..]
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a count");
    assert!(conflicts > 0 && conflicts < 27, "{conflicts}");
    assert!(
        run.stderr.contains("were merged within the clause;"),
        "{}",
        run.stderr
    );
    let merged = std::fs::read_to_string(d.join("m.md")).unwrap();
    assert!(
        merged.contains("第1条 この規程は、紫波町が保有する")
            && merged.contains("必要な事項を定め、もって住民の信頼に応える行政運営に資する"),
        "{merged}"
    );
}
