//! Each kind of bad input gets a one-line error naming the problem, the
//! right exit code, and no panic.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{fixtures, kaitei, kaitei_in, path_str};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn docx_with(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in parts {
        z.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(body).unwrap();
    }
    z.finish().unwrap().into_inner()
}

const DOC: &[u8] = br#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>1. a</w:t></w:r></w:p></w:body></w:document>"#;

/// (file name, contents, expected exit code, expected words in stderr+stdout)
fn cases(dir: &Path) -> Vec<(PathBuf, i32, &'static str)> {
    let good = docx_with(&[("word/document.xml", DOC)]);
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(2048, 0);
    let bomb_body = vec![b' '; 70 * 1024 * 1024];
    let bomb = docx_with(&[("word/document.xml", &bomb_body)]);
    let mut huge = b"---\nkind: guideline\n".to_vec();
    huge.resize(50 * 1024 * 1024, b'a');
    let fm = |body: &str| format!("---\n{body}\n---\n# 1. 目的\n").into_bytes();
    vec![
        (
            write(dir, "truncated.docx", &good[..good.len() - 30]),
            2,
            "the .docx file is damaged",
        ),
        (
            write(dir, "notzip.docx", b"this is plain text"),
            2,
            "not a Word .docx file",
        ),
        (
            write(dir, "encrypted.docx", &cfb),
            2,
            "encrypted (password-protected)",
        ),
        (write(dir, "bomb.docx", &bomb), 2, "possible zip bomb"),
        (
            write(dir, "huge.md", &huge),
            2,
            "over the 33554432-byte limit",
        ),
        (
            write(dir, "latin1.md", b"---\nkind: guideline\n\xe9\n"),
            2,
            "not UTF-8 text",
        ),
        (
            // Read as pasted text (issue #11), with a warning in case it is
            // an authoring file that lost its front matter.
            write(dir, "nofm.md", b"# 1. a\n"),
            0,
            ":1: warning: no front matter and no regulation title",
        ),
        (
            write(dir, "kind.md", &fm("kind: rule\ntitle: t\nedition: e")),
            1,
            ":2: error: unknown kind `rule`",
        ),
        (
            write(dir, "yaml.md", &fm("kind: [guideline\ntitle: t")),
            1,
            "not valid YAML",
        ),
        (
            write(
                dir,
                "date.md",
                &fm("kind: guideline\ntitle: t\nedition: e\npublished: 令和7年"),
            ),
            1,
            ":5: error: `published: 令和7年` is not a date",
        ),
        (
            write(
                dir,
                "code.md",
                &fm("kind: policy\ntitle: t\nedition: e\nbody: \"131017\""),
            ),
            1,
            ":5: error: body code 131017 has a wrong check digit",
        ),
        (
            write(
                dir,
                "ward.md",
                &fm("kind: policy\ntitle: t\nedition: e\nbody: \"011011\""),
            ),
            1,
            "body code 011011 is not a local government",
        ),
        (
            write(
                dir,
                "empty.md",
                b"---\nkind: guideline\ntitle: t\nedition: e\n---\n",
            ),
            1,
            "error: the document has no clauses",
        ),
        (
            write(
                dir,
                "control.md",
                b"---\r\nkind: guideline\r\ntitle: t\r\nedition: e\r\n---\r\n# 1. a\r\n(1) \x1b[31m\r\n",
            ),
            1,
            "control.md:7: error: control character U+001B (ESC) at column 5 is not allowed",
        ),
        (
            write(
                dir,
                "control.docx",
                &docx_with(&[(
                    "word/document.xml",
                    br#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>1. a&#x7;</w:t></w:r></w:p></w:body></w:document>"#,
                )]),
            ),
            1,
            "control.docx: paragraph 1: error: control character U+0007 (BEL) at column 5",
        ),
        // Issue #10, item 3: 100,000 deep took 45 s to refuse.
        (
            write(
                dir,
                "deep-brackets.md",
                &fm(&format!("kind: guideline\nx: {}", "[".repeat(100_000))),
            ),
            1,
            "deep-brackets.md:3: error: the front matter nests deeper than 16 levels",
        ),
        (
            write(
                dir,
                "deep-braces.md",
                &fm(&format!("kind: guideline\nx: {}", "{".repeat(100_000))),
            ),
            1,
            "deep-braces.md:3: error: the front matter nests deeper than 16 levels",
        ),
        (dir.join("missing.md"), 2, "missing.md: cannot read"),
    ]
}

#[test]
fn check_names_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    for (path, code, words) in cases(dir.path()) {
        let run = kaitei(&["check", path_str(&path)]);
        let all = format!("{}{}", run.stdout, run.stderr);
        assert_eq!(run.code, code, "{}: {all}", path.display());
        assert!(
            all.contains(words),
            "{}: expected {words:?} in:\n{all}",
            path.display()
        );
        if code == 2 {
            let first = run.stderr.lines().next().unwrap_or_default();
            assert!(first.starts_with("kaitei: "), "{first}");
        }
    }
}

#[test]
fn a_batch_goes_on_and_reports_the_worst() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(
        dir.path(),
        "good.md",
        b"---\nkind: guideline\ntitle: t\nedition: e\n---\n# 1. a\n",
    );
    let bad = write(
        dir.path(),
        "bad.md",
        b"---\nkind: rule\ntitle: t\nedition: e\n---\n# 1. a\n",
    );
    let broken = write(dir.path(), "broken.docx", b"PK\x03\x04 broken");
    let run = kaitei(&["check", path_str(&bad), path_str(&broken), path_str(&good)]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("bad.md:2: error"), "{}", run.stdout);
    assert!(run.stderr.contains("broken.docx"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("checked 3 files: 1 could not be read, 1 error, 0 warnings"),
        "{}",
        run.stderr
    );
}

/// Issue #10, item 9: the summary said `0 errors` for a file it never read.
#[test]
fn the_summary_counts_a_file_it_could_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.md");
    let run = kaitei(&["check", path_str(&missing)]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .ends_with("checked 1 file: 1 could not be read, 0 errors, 0 warnings\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn import_refuses_bad_files_and_writes_nothing_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("k.db").display());
    for (path, _, words) in cases(dir.path()) {
        let run = kaitei(&["--db", &db, "import", path_str(&path)]);
        assert_eq!(run.code, 2, "{}: {}", path.display(), run.stderr);
        assert!(
            run.stderr.contains(words) || run.stderr.contains("not imported"),
            "{}: {}",
            path.display(),
            run.stderr
        );
    }
    let bodies_only = kaitei(&["--db", &db, "export", "e"]);
    assert_eq!(bodies_only.code, 2);
    assert!(
        bodies_only
            .stderr
            .contains("no guideline edition e is stored"),
        "{}",
        bodies_only.stderr
    );
}

#[test]
fn bad_arguments_exit_2() {
    let run = kaitei(&["bodies", "--kind", "hamlet"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("invalid value 'hamlet'"),
        "{}",
        run.stderr
    );
    let run = kaitei(&["bodies", "--prefecture", "011011"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not a local government"),
        "{}",
        run.stderr
    );
    let run = kaitei(&["export", "x", "--db", "mysql://nowhere"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unsupported database URL"),
        "{}",
        run.stderr
    );
}

/// A mistyped file name is not looked up in a database that is not there,
/// and leaves no empty `kaitei.db` behind it; with a database, it is
/// looked up there and named as missing from it.
#[test]
fn a_mistyped_file_creates_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let real = fixtures().join("regulations/kuzumaki.md");
    // Exit 2 and the message, for the mistyped old side.
    let refused = |message: &str| {
        let run = kaitei_in(dir.path(), &["diff", "kuzumaki.mdd", path_str(&real)]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(message), "{}", run.stderr);
    };
    refused(
        "kuzumaki.mdd: no such file, and there is no database kaitei.db to find a stored document in",
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");

    let guideline = fixtures().join("guideline/r6-10.md");
    let imported = kaitei_in(dir.path(), &["import", path_str(&guideline)]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    refused("kuzumaki.mdd: no such file, and no guideline edition kuzumaki.mdd is stored");
}
