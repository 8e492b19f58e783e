//! The consultation answer template, written by
//! `kaitei_report::consultation_template` and read back by
//! `kaitei_format::consultation_template`: the round trip, every refusal,
//! all or nothing, and no panic on damaged files.

mod subject;

use std::collections::HashMap;

use kaitei_format::consultation_template::{
    FileError, FilledTemplate, RowError, TemplateErrors, read_template,
};
use kaitei_model::consultation::{CommentInput, CommentType, MAX_COMMENT_CHARS, check_comment};
use kaitei_report::consultation_template::{PrefilledComment, TemplateRow, template};
use subject::{CLAUSES, rows, spec, texts};

/// The first sheet row (1-based) of the table's clauses.
const FIRST_ROW: usize = 11;

fn read(bytes: &[u8], texts: &HashMap<String, String>) -> Result<FilledTemplate, TemplateErrors> {
    read_template(bytes, |key| texts.get(key).cloned())
}

fn row_errors(result: Result<FilledTemplate, TemplateErrors>) -> Vec<RowError> {
    match result {
        Err(TemplateErrors::Rows(rows)) => rows,
        other => panic!("expected row errors, got {other:?}"),
    }
}

fn file_error(result: Result<FilledTemplate, TemplateErrors>) -> FileError {
    match result {
        Err(TemplateErrors::File(e)) => e,
        other => panic!("expected a file error, got {other:?}"),
    }
}

/// What check_comment makes of a prefilled comment on clause `i`.
fn expected(i: usize, c: &PrefilledComment) -> kaitei_model::consultation::Comment {
    let input = CommentInput {
        clause: CLAUSES[i].0.to_string(),
        quote: c.quote.clone(),
        kind: CommentType::parse(&c.kind).expect("a type"),
        text: c.text.clone(),
        proposal: c.proposal.clone(),
    };
    check_comment(&input, Some(CLAUSES[i].2)).expect("a valid comment")
}

#[test]
fn an_empty_template_reads_as_its_identity_and_nothing_else() {
    let spec = spec(rows(&[]));
    let bytes = template(&spec).expect("a template");
    let filled = read(&bytes, &texts(&spec)).expect("readable");
    assert_eq!(
        filled,
        FilledTemplate {
            consultation: "R7-1".to_string(),
            body: "012033".to_string(),
            subject_version: "改定案 第12版".to_string(),
            no_comment: false,
            comments: vec![],
        }
    );
}

#[test]
fn prefilled_comments_read_back_exactly_with_their_rows() {
    let typed = vec![
        (
            0,
            PrefilledComment::new(
                CommentType::Question,
                "基本的な考え方",
                "「基本的な考え方」とは何を指すか。",
                "",
            ),
        ),
        // A second comment on the same clause: a row inserted below it.
        (
            0,
            PrefilledComment::new(
                CommentType::Opinion,
                "",
                "条項全体について、\n例示を追加されたい。",
                "情報セキュリティ対策の基本的な考え方及び例示について定める。",
            ),
        ),
        (
            2,
            PrefilledComment::new(
                CommentType::Error,
                "外部記録媒体",
                "用語が第3編と異なる。",
                "電磁的記録媒体",
            ),
        ),
        // The quote spans the clause's line break; CRLF is read as LF.
        (
            1,
            PrefilledComment::new(
                CommentType::Opinion,
                "分類し、\n分類に応じた",
                "改行を含む引用。\r\n二行目。",
                "",
            ),
        ),
    ];
    let spec = spec(rows(&typed));
    let bytes = template(&spec).expect("a template");
    let filled = read(&bytes, &texts(&spec)).expect("valid");
    // Sheet order: clause 0's two rows, clause 1, then clause 2.
    let want = vec![
        (FIRST_ROW, expected(0, &typed[0].1)),
        (FIRST_ROW + 1, expected(0, &typed[1].1)),
        (FIRST_ROW + 2, expected(1, &typed[3].1)),
        (FIRST_ROW + 3, expected(2, &typed[2].1)),
    ];
    assert_eq!(filled.comments, want);
    assert_eq!(filled.comments[2].1.text, "改行を含む引用。\n二行目。");
    assert_eq!(filled.comments[0].1.quote.exact, "基本的な考え方");
    assert!(!filled.no_comment);
}

#[test]
fn no_comment_alone_is_read() {
    let mut spec = spec(rows(&[]));
    spec.no_comment = true;
    let filled = read(&template(&spec).expect("a template"), &texts(&spec)).expect("valid");
    assert!(filled.no_comment);
    assert!(filled.comments.is_empty());
}

#[test]
fn no_comment_with_comments_is_refused() {
    let mut spec = spec(rows(&[(
        3,
        PrefilledComment::new(CommentType::Opinion, "", "意見。", ""),
    )]));
    spec.no_comment = true;
    let errors = row_errors(read(&template(&spec).expect("a template"), &texts(&spec)));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].row, errors[0].field), (7, "意見なし"));
    assert!(
        errors[0].message.contains(&(FIRST_ROW + 3).to_string()),
        "{errors:?}"
    );
}

#[test]
fn every_kind_of_bad_row_is_reported_with_its_row_and_nothing_is_kept() {
    let bad = |kind: &str, quote: &str, text: &str| PrefilledComment {
        kind: kind.to_string(),
        quote: quote.to_string(),
        text: text.to_string(),
        proposal: String::new(),
    };
    let typed = vec![
        // Row 11: fine; kept out all the same.
        (
            0,
            PrefilledComment::new(CommentType::Opinion, "", "良い意見。", ""),
        ),
        // Row 12: an unknown type.
        (0, bad("感想", "", "感想です。")),
        // Row 13: no type.
        (1, bad("", "", "種別がない。")),
        // Row 14: a quote not in the clause.
        (2, bad("意見", "USBメモリ", "引用が本文にない。")),
        // Row 15: over the limit.
        (2, bad("意見", "", &"長".repeat(MAX_COMMENT_CHARS + 1))),
        // Row 16: a control character.
        (3, bad("意見", "", "色付き\u{1b}[31m文字")),
        // Row 17: a type but no comment.
        (3, bad("質問", "機器", "")),
        // Row 18: no type and a quote not found: both said.
        (3, bad("", "存在しない語", "二つの誤り。")),
    ];
    let mut spec = spec(rows(&typed));
    // A clause the subject no longer has: its row names the key.
    spec.rows.push(TemplateRow {
        key: "gone".to_string(),
        label_path: "第9編".to_string(),
        text: "削除された条項。".to_string(),
        comments: vec![PrefilledComment::new(
            CommentType::Opinion,
            "",
            "意見。",
            "",
        )],
    });
    let bytes = template(&spec).expect("a template");
    let mut known = texts(&spec);
    known.remove("gone");
    let errors = row_errors(read(&bytes, &known));
    let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.field)).collect();
    assert_eq!(
        got,
        vec![
            (12, "種別"),
            (13, "種別"),
            (14, "該当箇所"),
            (15, "意見"),
            (16, "意見"),
            (17, "意見"),
            (18, "種別"),
            (18, "該当箇所"),
            (19, "条項"),
        ],
        "{errors:#?}"
    );
    let message = |row: usize, field: &str| {
        errors
            .iter()
            .find(|e| e.row == row && e.field == field)
            .map(|e| e.message.as_str())
            .unwrap_or_default()
    };
    assert!(message(12, "種別").contains("\"感想\" is not a type"));
    assert!(message(13, "種別").contains("choose 質問, 意見 or 誤り"));
    assert!(message(14, "該当箇所").contains("not in the clause's text"));
    assert!(message(15, "意見").contains("over the limit of 4000"));
    assert!(message(16, "意見").contains("line 1"), "{errors:#?}");
    assert!(message(17, "意見").contains("empty"));
    assert!(message(19, "条項").contains("\"gone\""));
    // Display: one line per row error.
    let text = TemplateErrors::Rows(errors.clone()).to_string();
    assert_eq!(text.lines().count(), errors.len());
    assert!(text.starts_with("row 12: 種別: "), "{text}");
}

#[test]
fn one_bad_row_among_500_gives_exactly_that_rows_error() {
    let clauses: Vec<TemplateRow> = (0..500)
        .map(|i| {
            let text = format!("第{i}条の本文。職員は、情報資産を適切に管理しなければならない。");
            let quote = if i == 316 {
                "存在しない語句"
            } else {
                "情報資産"
            };
            TemplateRow {
                key: format!("k{i}"),
                label_path: format!("第1編 / {}.", i + 1),
                comments: vec![PrefilledComment::new(
                    CommentType::Opinion,
                    quote,
                    &format!("第{i}条への意見。"),
                    "",
                )],
                text,
            }
        })
        .collect();
    let spec = spec(clauses);
    let bytes = template(&spec).expect("a template");
    let known = texts(&spec);
    let errors = row_errors(read(&bytes, &known));
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(
        (errors[0].row, errors[0].field),
        (FIRST_ROW + 316, "該当箇所")
    );
    // And without it, all 500 are read, in order.
    let mut fixed = spec.clone();
    fixed.rows[316].comments[0].quote = "情報資産".to_string();
    let filled = read(&template(&fixed).expect("a template"), &known).expect("valid");
    assert_eq!(filled.comments.len(), 500);
    assert!(
        filled
            .comments
            .iter()
            .enumerate()
            .all(|(i, (row, c))| *row == FIRST_ROW + i && c.clause == format!("k{i}"))
    );
}

/// A workbook with the two sheets' names and the identity rows given.
fn workbook_with_identity(identity: &[(&str, &str)], header: bool) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let answer = book.add_worksheet();
    answer.set_name("回答").expect("a name");
    answer.write_string(6, 0, "#no_comment").expect("a cell");
    if header {
        answer.write_string(9, 0, "#header").expect("a cell");
    }
    let hidden = book.add_worksheet();
    hidden.set_name("kaitei").expect("a name");
    for (r, (name, value)) in (0u32..).zip(identity) {
        hidden.write_string(r, 0, *name).expect("a cell");
        hidden.write_string(r, 1, *value).expect("a cell");
    }
    book.save_to_buffer().expect("a workbook")
}

const IDENTITY: [(&str, &str); 5] = [
    ("format", "kaitei-consultation-template"),
    ("version", "1"),
    ("consultation", "R7-1"),
    ("body", "012033"),
    ("subject_version", "改定案 第12版"),
];

#[test]
fn files_that_are_not_our_template_are_refused_clearly() {
    let none = HashMap::new();
    // The minimal workbook the tests build is itself read: the helpers are
    // right.
    let ok = read(&workbook_with_identity(&IDENTITY, true), &none).expect("a template");
    assert_eq!(ok.subject_version, "改定案 第12版");
    // The version is an opaque token: returned as written.
    let mut spaced = IDENTITY;
    spaced[4].1 = " 版-A ";
    let ok = read(&workbook_with_identity(&spaced, true), &none).expect("a template");
    assert_eq!(ok.subject_version, " 版-A ");

    assert!(matches!(
        file_error(read(b"not a workbook", &none)),
        FileError::NotXlsx(_)
    ));
    // A zip that is no workbook.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .expect("an entry");
    std::io::Write::write_all(&mut zip, b"hello").expect("written");
    let zip = zip.finish().expect("a zip").into_inner();
    assert!(matches!(
        file_error(read(&zip, &none)),
        FileError::NotXlsx(_)
    ));
    // Another workbook.
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet()
        .write_string(0, 0, "意見")
        .expect("a cell");
    let other = book.save_to_buffer().expect("a workbook");
    let e = file_error(read(&other, &none));
    assert!(matches!(e, FileError::NotTemplate(_)), "{e:?}");
    assert!(
        e.to_string().contains("not a kaitei answer template"),
        "{e}"
    );
    // Our sheets, another format.
    let mut wrong = IDENTITY;
    wrong[0].1 = "something-else";
    assert!(matches!(
        file_error(read(&workbook_with_identity(&wrong, true), &none)),
        FileError::NotTemplate(_)
    ));
    // A version this reader does not know.
    let mut newer = IDENTITY;
    newer[1].1 = "2";
    let e = file_error(read(&workbook_with_identity(&newer, true), &none));
    assert_eq!(e, FileError::UnknownVersion("2".to_string()));
    assert!(e.to_string().contains("download a new template"), "{e}");
    // Identity missing, each in turn.
    for (i, name) in ["consultation", "body", "subject_version"]
        .into_iter()
        .enumerate()
    {
        let mut missing = IDENTITY.to_vec();
        missing[i + 2].1 = "";
        assert_eq!(
            file_error(read(&workbook_with_identity(&missing, true), &none)),
            FileError::MissingIdentity(name)
        );
    }
    // The header row gone.
    assert!(matches!(
        file_error(read(&workbook_with_identity(&IDENTITY, false), &none)),
        FileError::NotTemplate(_)
    ));
}

/// A small deterministic generator (xorshift), for the damaged files.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn damaged_files_are_refused_without_panic() {
    let spec = spec(rows(&[(
        1,
        PrefilledComment::new(CommentType::Opinion, "情報資産", "意見。", ""),
    )]));
    let bytes = template(&spec).expect("a template");
    let known = texts(&spec);
    // Every truncation, at a step.
    for len in (0..bytes.len()).step_by(37) {
        let _ = read(&bytes[..len], &known);
    }
    // Bytes changed at random, one to eight at a time.
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..600 {
        let mut damaged = bytes.clone();
        for _ in 0..=(rng.next() % 8) {
            let at = (rng.next() as usize) % damaged.len();
            damaged[at] = rng.next() as u8;
        }
        let _ = read(&damaged, &known);
    }
}
