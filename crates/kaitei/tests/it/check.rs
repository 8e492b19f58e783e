//! `kaitei check` on good files, and the shape of its messages.

use crate::{fixtures, kaitei, path_str};

#[test]
fn every_fixture_checks_clean() {
    let mut files = Vec::new();
    for sub in ["guideline", "policies", "regulations"] {
        let dir = fixtures().join(sub);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            let document = match p.extension().and_then(|x| x.to_str()) {
                Some("docx") => true,
                // Markdown without front matter beside the fixtures would be notes.
                Some("md") => std::fs::read_to_string(&p).is_ok_and(|s| s.starts_with("---")),
                // Regulations pasted from a 例規集 page.
                Some("txt") => sub == "regulations",
                _ => false,
            };
            if document {
                files.push(p);
            }
        }
    }
    assert!(files.len() >= 2, "fixtures exist: {files:?}");
    for f in &files {
        let run = kaitei(&["check", path_str(f)]);
        assert_eq!(run.code, 0, "{}: {}{}", f.display(), run.stdout, run.stderr);
        assert!(
            !run.stdout.contains("error:"),
            "{}: {}",
            f.display(),
            run.stdout
        );
    }
}

#[test]
fn errors_carry_file_and_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.md");
    std::fs::write(
        &bad,
        "---\nkind: guideline\ntitle: t\nedition: e\n---\n# 1. 目的 {#a}\n(1) 一 {#a}\n",
    )
    .unwrap();
    let good = dir.path().join("good.md");
    std::fs::write(
        &good,
        "---\nkind: guideline\ntitle: t\nedition: e\n---\n# 1. 目的\n",
    )
    .unwrap();
    let run = kaitei(&["check", path_str(&good), path_str(&bad)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(&format!(
            "{}:7: error: key `#a` is pinned twice",
            bad.display()
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("checked 2 files: 1 error"),
        "{}",
        run.stderr
    );
}

#[test]
fn unresolved_conflicts_fail_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("merged.md");
    std::fs::write(
        &f,
        "---\nkind: policy\ntitle: t\nedition: e\nbody: \"131016\"\n---\n# 1. 目的\n<<<<<<< 本団体\nA\n||||||| 旧版 X\nB\n=======\nC\n>>>>>>> 新版 Y\n",
    )
    .unwrap();
    let run = kaitei(&["check", path_str(&f)]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(":8: error: unresolved merge conflict"),
        "{}",
        run.stdout
    );
}

#[test]
fn help_is_there_for_every_command() {
    let run = kaitei(&["--help"]);
    assert_eq!(run.code, 0);
    for sub in [
        "check", "import", "export", "bodies", "diff", "policy", "serve", "demo", "user",
    ] {
        assert!(run.stdout.contains(sub), "{}", run.stdout);
        let sub_help = kaitei(&[sub, "--help"]);
        assert_eq!(sub_help.code, 0, "{sub}");
        assert!(
            sub_help.stdout.contains("Usage: kaitei"),
            "{}",
            sub_help.stdout
        );
    }
    let run = kaitei(&["frobnicate"]);
    assert_eq!(run.code, 2, "a bad subcommand is exit 2");
}
