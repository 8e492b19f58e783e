//! The DOCX comparison table of the two guideline fixtures, opened by other
//! programs: LibreOffice converts it to PDF (whose text we then extract)
//! and python-docx reads it. Our own tests only prove the XML is well
//! formed; these prove real readers accept the package.
//!
//! The tools are installed by `scripts/test.sh`. Where one is missing the
//! test fails under CI (`CI` set) and otherwise prints a note and passes,
//! so a developer without LibreOffice can still run `cargo test`.

use std::path::Path;
use std::process::Command;

mod tools;

use kaitei_compare::view::{DELETED_MARK, FOLDED_MARK, NEW_MARK, lay_out};
use kaitei_compare::{KeyUse, compare};
use kaitei_format::authoring::parse;
use kaitei_report::table::docx::to_docx;
use kaitei_report::table::{Columns, TableOptions};
use tools::{DOCX_TOOLS, TOOL_TIMEOUT, run, soffice_convert, tools_present};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/guideline")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn guideline_comparison_docx_opens_in_libreoffice_and_python_docx() {
    let (old, new) = (
        parse(&fixture("r6-10.md")).document,
        parse(&fixture("r7-03.md")).document,
    );
    let cmp = compare(&old, &new, KeyUse::Pinned);
    let bytes = to_docx(
        &cmp,
        &lay_out(&cmp, 1),
        &TableOptions {
            columns: Columns::NewOld,
        },
    );
    if !tools_present("the LibreOffice check", DOCX_TOOLS) {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let docx = dir.path().join("r6-10_r7-03.docx");
    std::fs::write(&docx, &bytes).expect("write the DOCX");

    let pdf =
        soffice_convert(dir.path(), &docx, "pdf", dir.path()).expect("LibreOffice wrote a PDF");
    let text = run(
        Command::new("pdftotext").arg(&pdf).arg("-"),
        dir.path(),
        TOOL_TIMEOUT,
    );
    for expected in [
        NEW_MARK,
        DELETED_MARK,
        FOLDED_MARK,
        "傍線部分は改正部分",
        "改正後",
        "改正前",
    ] {
        assert!(text.contains(expected), "{expected} not in the PDF's text");
    }

    run(
        Command::new("python3")
            .args([
                "-c",
                "import docx,sys; d=docx.Document(sys.argv[1]); assert len(d.tables)==1",
            ])
            .arg(&docx),
        dir.path(),
        TOOL_TIMEOUT,
    );
}

/// A published edition's table cites the comments behind its changes: the
/// DOCX (read by LibreOffice and python-docx) and the XLSX (read by
/// openpyxl) hold the ids put in, on the changed rows only.
#[test]
fn a_cited_table_opens_with_its_comment_ids() {
    use kaitei_report::table::Citations;
    let (old, new) = (
        parse(&fixture("r6-10.md")).document,
        parse(&fixture("r7-03.md")).document,
    );
    let cmp = compare(&old, &new, KeyUse::Pinned);
    let changed = cmp
        .rows
        .iter()
        .find(|r| r.kind == kaitei_compare::RowKind::Changed)
        .and_then(|r| r.new)
        .expect("a changed row");
    let key = cmp.new.nodes[changed].node.key.as_str().to_string();
    let unchanged = cmp
        .rows
        .iter()
        .find(|r| r.kind == kaitei_compare::RowKind::Unchanged && !r.moved && !r.renumbered)
        .and_then(|r| r.new)
        .expect("an unchanged row");
    let quiet = cmp.new.nodes[unchanged].node.key.as_str().to_string();
    let citations: Citations = [
        (
            key.clone(),
            vec!["R8-0-0007".to_string(), "R8-0-0012".to_string()],
        ),
        (quiet, vec!["R8-0-0099".to_string()]),
    ]
    .into();
    let json: serde_json::Value =
        serde_json::from_str(&kaitei_report::table::json::to_json_cited(&cmp, &citations)).unwrap();
    let cited: Vec<&serde_json::Value> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("comments").is_some())
        .collect();
    assert_eq!(cited.len(), 1, "only the changed row cites");
    assert_eq!(cited[0]["new"]["key"], key.as_str());
    assert_eq!(
        cited[0]["comments"],
        serde_json::json!(["R8-0-0007", "R8-0-0012"])
    );

    let mut lines = lay_out(&cmp, 1);
    kaitei_compare::view::cite(&mut lines, &citations);
    let bytes = to_docx(
        &cmp,
        &lines,
        &TableOptions {
            columns: Columns::NewOld,
        },
    );
    let xlsx =
        kaitei_report::table::xlsx::to_xlsx_cited(&cmp, &citations, &TableOptions::default())
            .unwrap();
    if !tools_present("the LibreOffice check", DOCX_TOOLS) {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let docx = dir.path().join("cited.docx");
    std::fs::write(&docx, &bytes).expect("write the DOCX");
    let pdf =
        soffice_convert(dir.path(), &docx, "pdf", dir.path()).expect("LibreOffice wrote a PDF");
    let text = run(
        Command::new("pdftotext").arg(&pdf).arg("-"),
        dir.path(),
        TOOL_TIMEOUT,
    );
    assert!(
        text.contains("R8-0-0007") && text.contains("R8-0-0012"),
        "the ids are printed"
    );
    assert!(
        !text.contains("R8-0-0099"),
        "an unchanged row cites nothing"
    );
    run(
        Command::new("python3")
            .args([
                "-c",
                "import docx,sys; d=docx.Document(sys.argv[1]); t=''.join(c.text for r in d.tables[0].rows for c in r.cells); assert '（意見 R8-0-0007、R8-0-0012）' in t, t[:200]",
            ])
            .arg(&docx),
        dir.path(),
        TOOL_TIMEOUT,
    );
    let book = dir.path().join("cited.xlsx");
    std::fs::write(&book, &xlsx).expect("write the XLSX");
    run(
        Command::new("python3")
            .args([
                "-c",
                "import openpyxl,sys; ws=openpyxl.load_workbook(sys.argv[1]).active; \
                 head=[c.value for c in ws[1]]; col=head.index('意見番号'); \
                 vals=[r[col] for r in ws.iter_rows(min_row=2, values_only=True) if r[col]]; \
                 assert vals==['R8-0-0007\\nR8-0-0012'], vals",
            ])
            .arg(&book),
        dir.path(),
        TOOL_TIMEOUT,
    );
}
