//! Regulations as bodies keep them (issue #11): `check` and `import` of
//! text pasted from a 例規集 page (`.txt`, or `.md` without front matter)
//! and of a Word file of plain paragraphs, to the same stored document.

use crate::{fixtures, kaitei_in, path_str};

fn regulation(name: &str) -> std::path::PathBuf {
    fixtures().join("regulations").join(name)
}

#[test]
fn pasted_text_and_word_check_clean() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<String> = ["shizukuishi", "kuzumaki", "hiraizumi"]
        .iter()
        .flat_map(|n| [format!("{n}.txt"), format!("{n}.docx")])
        .map(|f| path_str(&regulation(&f)).to_string())
        .collect();
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let run = kaitei_in(dir.path(), &args);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("checked 6 files: 0 errors, 0 warnings"),
        "{}{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn a_pasted_regulation_imports_and_exports_with_its_preamble_and_contents() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // The body and edition come from the preamble: 雫石町 (033014), the last
    // amendment.
    let run = kaitei_in(d, &["import", path_str(&regulation("shizukuishi.txt"))]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("imported policy 033014@令和5年3月31日改正 (44 nodes)"),
        "{}",
        run.stderr
    );
    // The Word file of the same regulation is the same policy.
    let again = kaitei_in(d, &["import", path_str(&regulation("shizukuishi.docx"))]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains("already has a stored policy"),
        "{}",
        again.stderr
    );

    let out = d.join("export.md");
    let run = kaitei_in(d, &["export", "033014", "-o", path_str(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = std::fs::read_to_string(&out).unwrap();
    for line in [
        "number: 訓令第4号\n",
        "- date: 2017-03-31\n  number: 訓令第6号\n",
        "published: 2012-03-30\n",
        "\n目次\n\n第1章 総則（第1条―第3条）\n",
        "\n第1節 情報資産の分類（第8条・第9条）\n",
        "\n附則\n\n# 第1章 総則",
        "# 附則（令和5年3月31日訓令第2号）",
        "（施行期日）\n１ この訓令は、令和5年4月1日から施行する。",
    ] {
        assert!(md.contains(line), "{line:?} in:\n{md}");
    }
    // The export checks clean and reads to the stored tree.
    let run = kaitei_in(d, &["check", path_str(&out)]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn options_name_the_body_and_edition() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // A .md without front matter is pasted text too.
    let md = d.join("youkou.md");
    std::fs::copy(regulation("hiraizumi.txt"), &md).unwrap();
    let run = kaitei_in(
        d,
        &[
            "import",
            path_str(&md),
            "--body",
            "034029",
            "--edition",
            "令和6年度版",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("imported policy 034029@令和6年度版"),
        "{}",
        run.stderr
    );
    // Without a title naming the body, and without --body, import says how.
    let untitled = d.join("untitled.txt");
    std::fs::write(&untitled, "第1条　この規程は、公布の日から施行する。\n").unwrap();
    let run = kaitei_in(d, &["import", path_str(&untitled)]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--body CODE"), "{}", run.stderr);
    let run = kaitei_in(d, &["check", path_str(&untitled)]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout
            .contains("untitled.txt:1: warning: no front matter"),
        "{}",
        run.stdout
    );
}
