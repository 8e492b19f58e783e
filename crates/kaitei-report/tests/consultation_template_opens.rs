//! The consultation answer template in other programs' hands: filled in by
//! openpyxl (cells typed, a row inserted, as a respondent would), opened
//! and saved again by LibreOffice, printed to PDF by LibreOffice — and read
//! back by `kaitei_format::consultation_template` each time.
//!
//! The tools are installed by `scripts/test.sh`. Where one is missing the
//! test fails under CI (`CI` set) and otherwise prints a note and passes.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

mod subject;
mod tools;

use kaitei_format::consultation_template::{TemplateErrors, read_template};
use kaitei_model::consultation::CommentType;
use kaitei_report::consultation_template::{PrefilledComment, TemplateSpec, template};
use tools::{TOOL_TIMEOUT, run, soffice_convert, tools_present};

fn spec(prefilled: bool) -> TemplateSpec {
    let comments = if prefilled {
        vec![
            (
                2,
                PrefilledComment::new(
                    CommentType::Error,
                    "外部記録媒体",
                    "用語が第3編と異なる。",
                    "電磁的記録媒体",
                ),
            ),
            (
                2,
                PrefilledComment::new(CommentType::Question, "", "例外の範囲を示されたい。", ""),
            ),
        ]
    } else {
        vec![]
    };
    subject::spec(subject::rows(&comments))
}

fn texts() -> HashMap<String, String> {
    subject::texts(&spec(false))
}

#[test]
fn libreoffice_prints_the_template_and_saves_it_readable() {
    if !tools_present(
        "the LibreOffice check",
        &[
            ("soffice", "soffice", &["--version"]),
            ("pdftotext", "pdftotext", &["-v"]),
        ],
    ) {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let xlsx = dir.path().join("R7-1_012033_小樽市.xlsx");
    let spec = spec(true);
    let bytes = template(&spec).expect("a template");
    std::fs::write(&xlsx, &bytes).expect("written");
    let original = read_template(&bytes, |k| texts().get(k).cloned()).expect("valid");
    assert_eq!(original.comments.len(), 2);

    // Printed: the header block, the table and the prefilled comment.
    let Some(pdf) = soffice_convert(dir.path(), &xlsx, "pdf", &dir.path().join("pdf")) else {
        let message = "LibreOffice wrote no PDF: is Calc (libreoffice-calc-nogui) installed? \
                       (scripts/test.sh installs it)";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("note: skipping the LibreOffice check: {message}");
        return;
    };
    let text = run(
        Command::new("pdftotext").arg(&pdf).arg("-"),
        dir.path(),
        TOOL_TIMEOUT,
    );
    let flat: String = text.split_whitespace().collect();
    for words in [
        "意見照会回答様式",
        "小樽市",
        "改定案第12版",
        "記入方法",
        "該当箇所",
        "修正案",
        "外部記録媒体を用いたデータの授受",
        "電磁的記録媒体",
    ] {
        assert!(flat.contains(words), "{words:?} not in the PDF:\n{text}");
    }
    // The hidden key column and the markers are not printed.
    assert!(
        !flat.contains("#header") && !flat.contains("g1-1-1"),
        "{text}"
    );

    // Saved again by LibreOffice: the same identity and comments.
    let resaved = soffice_convert(dir.path(), &xlsx, "xlsx", &dir.path().join("resaved"))
        .expect("LibreOffice saved the workbook");
    let again = read_template(&std::fs::read(&resaved).expect("the file"), |k| {
        texts().get(k).cloned()
    })
    .expect("still a valid template");
    assert_eq!(again, original);
}

/// Fills the template as a respondent would, with openpyxl: `script` runs
/// with `ws` the answer sheet, `row(key)` the 1-based row of a clause and
/// `mark(m)` that of a marked row.
fn fill_with_openpyxl(dir: &Path, bytes: &[u8], script: &str) -> Vec<u8> {
    let (input, output) = (dir.join("blank.xlsx"), dir.join("filled.xlsx"));
    std::fs::write(&input, bytes).expect("written");
    let program = format!(
        "import sys, openpyxl\n\
         wb = openpyxl.load_workbook(sys.argv[1])\n\
         ws = wb['回答']\n\
         def row(key):\n    \
             return next(c.row for c in ws['A'] if c.value == key)\n\
         mark = row\n\
         {script}\n\
         wb.save(sys.argv[2])\n"
    );
    let path = dir.join("fill.py");
    std::fs::write(&path, program).expect("written");
    run(
        Command::new("python3").arg(&path).arg(&input).arg(&output),
        dir,
        TOOL_TIMEOUT,
    );
    std::fs::read(&output).expect("the filled file")
}

fn openpyxl_present() -> bool {
    tools_present(
        "the openpyxl round trip",
        &[("openpyxl", "python3", &["-c", "import openpyxl"])],
    )
}

#[test]
fn cells_typed_in_openpyxl_read_back_exactly_with_an_inserted_row() {
    if !openpyxl_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let bytes = template(&spec(false)).expect("a template");
    let filled = fill_with_openpyxl(
        dir.path(),
        &bytes,
        "r = row('g1-1-1')\n\
         ws.cell(r, 4, '意見'); ws.cell(r, 5, '基本的な考え方')\n\
         ws.cell(r, 6, 'openpyxlで記入した意見。\\n二行目。')\n\
         ws.insert_rows(r + 1)\n\
         ws.cell(r + 1, 4, '質問'); ws.cell(r + 1, 6, '挿入した行の質問。')\n\
         r = row('g2-1')\n\
         ws.cell(r, 4, '誤り'); ws.cell(r, 5, 'データを復元できない')\n\
         ws.cell(r, 6, '表現の誤り。'); ws.cell(r, 7, 'データを復元できないように')\n\
         r = row('g1-2')\n\
         ws.cell(r, 4, '　'); ws.cell(r, 6, ' ')",
    );
    let got = read_template(&filled, |k| texts().get(k).cloned()).expect("valid");
    let summary: Vec<(usize, &str, CommentType, &str, &str, &str)> = got
        .comments
        .iter()
        .map(|(r, c)| {
            (
                *r,
                c.clause.as_str(),
                c.kind,
                c.quote.exact.as_str(),
                c.text.as_str(),
                c.proposal.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                11,
                "g1-1-1",
                CommentType::Opinion,
                "基本的な考え方",
                "openpyxlで記入した意見。\n二行目。",
                ""
            ),
            (
                12,
                "g1-1-1",
                CommentType::Question,
                "",
                "挿入した行の質問。",
                ""
            ),
            (
                15,
                "g2-1",
                CommentType::Error,
                "データを復元できない",
                "表現の誤り。",
                "データを復元できないように"
            ),
        ]
    );
    assert_eq!(
        (got.consultation.as_str(), got.body.as_str()),
        ("R7-1", "012033")
    );
}

#[test]
fn rows_only_a_respondent_can_make_are_refused_with_their_rows() {
    if !openpyxl_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let bytes = template(&spec(false)).expect("a template");
    // A row inserted above the first clause, a number as the type, a bad
    // 意見なし mark and a comment below the end of the table.
    let filled = fill_with_openpyxl(
        dir.path(),
        &bytes,
        "h = mark('#header')\n\
         ws.insert_rows(h + 1)\n\
         ws.cell(h + 1, 4, '意見'); ws.cell(h + 1, 6, '表の上の行。')\n\
         r = row('g1-1-2')\n\
         ws.cell(r, 4, 1); ws.cell(r, 6, '数値の種別。')\n\
         ws.cell(mark('#no_comment'), 4, 'x')\n\
         e = mark('#end')\n\
         ws.cell(e + 1, 6, '表の外。')",
    );
    let errors = match read_template(&filled, |k| texts().get(k).cloned()) {
        Err(TemplateErrors::Rows(rows)) => rows,
        other => panic!("expected row errors, got {other:?}"),
    };
    let got: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.field)).collect();
    assert_eq!(
        got,
        vec![(7, "意見なし"), (11, "条項"), (13, "種別"), (17, "条項")],
        "{errors:#?}"
    );
    assert!(errors[0].message.contains("\"x\""), "{errors:#?}");
    assert!(errors[1].message.contains("above the first clause"));
    assert!(errors[2].message.contains("\"1\" is not a type"));
    assert!(errors[3].message.contains("below the end of the table"));
}
