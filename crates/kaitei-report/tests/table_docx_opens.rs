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
