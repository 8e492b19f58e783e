//! The response table (意見と対応) in other programs' hands: the DOCX
//! printed to PDF by LibreOffice (the header row on every page) and read by
//! python-docx, the XLSX read by openpyxl and printed by LibreOffice — each
//! holding exactly what was put in.
//!
//! The tools are installed by `scripts/test.sh`. Where one is missing the
//! test fails under CI (`CI` set) and otherwise prints a note and passes.

use std::path::Path;
use std::process::Command;

mod response_sample;
mod tools;

use kaitei_report::response_table::{
    COLUMNS, COMMENT_COLUMNS, COMMENTS_SHEET, HEADER_ROW, NO_DISPOSITION, ResponseRow,
    ResponseTable, SHEET, XLSX_COLUMNS, docx, heading, notes, respondents_summary, xlsx,
};
use response_sample::BODIES;
use serde_json::Value;
use tools::{DOCX_TOOLS, TOOL_TIMEOUT, run, soffice_convert, tools_present};

/// The three rows of the shared sample and twenty-seven more, of one
/// comment each — enough for several pages.
fn sample() -> ResponseTable {
    let mut t = response_sample::sample();
    for n in 4..=30 {
        t.rows.push(ResponseRow {
            number: n,
            clause: format!("第3編 / {n}. 物理的セキュリティ"),
            comment_ids: vec![format!("R8-1-{:04}", 300 + n)],
            respondents: vec![BODIES[n % BODIES.len()].to_string()],
            kind: "質問".to_string(),
            quote: String::new(),
            comment: format!(
                "第{n}項の「管理区域」には、庁舎外のデータセンターも含まれるのか。含まれる場合、入退室の記録の保存期間について目安を示されたい。"
            ),
            proposal: String::new(),
            disposition: if n % 3 == 0 { String::new() } else { "参考".to_string() },
            reason: "庁舎外の施設も含まれます。\n保存期間については、各団体の文書管理規程によります。".to_string(),
        });
    }
    t
}

/// Runs a python script with the file as `sys.argv[1]` and reads the JSON
/// it prints.
fn python_json(dir: &Path, script: &str, file: &Path) -> Value {
    let path = dir.join("read.py");
    std::fs::write(&path, script).expect("written");
    let out = run(
        Command::new("python3").arg(&path).arg(file),
        dir,
        TOOL_TIMEOUT,
    );
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|c| match c {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        })
        .collect()
}

/// Text with all white space taken out: PDF text extraction breaks lines
/// where the page does.
fn flat(s: &str) -> String {
    s.split_whitespace().collect()
}

#[test]
fn response_docx_prints_in_libreoffice_and_reads_in_python_docx() {
    if !tools_present("the LibreOffice check", DOCX_TOOLS) {
        return;
    }
    let t = sample();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("R8-1_意見と対応.docx");
    std::fs::write(&file, docx(&t)).expect("written");

    // Printed: every page starts with the header row.
    let pdf = soffice_convert(dir.path(), &file, "pdf", dir.path()).expect("a PDF");
    let text = run(
        Command::new("pdftotext").arg(&pdf).arg("-"),
        dir.path(),
        TOOL_TIMEOUT,
    );
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 2, "thirty rows take pages: {}", pages.len());
    for (i, page) in pages.iter().enumerate() {
        assert!(
            flat(page).contains("意見の概要") && flat(page).contains("考え方"),
            "page {} has no header row:\n{page}",
            i + 1
        );
    }
    let all = flat(&text);
    // Words that fit on one line of their cell: the text of a cell that
    // wraps comes out interleaved with its neighbours'.
    for words in [
        heading(&t),
        notes(&t)[0].clone(),
        notes(&t)[1].clone(),
        "株式会社A&B".to_string(),
        "<script>".to_string(),
        "R8-1-0068".to_string(),
        "原案のとおりとします。".to_string(),
        NO_DISPOSITION.to_string(),
    ] {
        assert!(
            all.contains(&flat(&words)),
            "{words:?} not in the PDF:\n{text}"
        );
    }

    // python-docx: one table, the header and every cell as written.
    let read = python_json(
        dir.path(),
        "import docx, json, sys\n\
         d = docx.Document(sys.argv[1])\n\
         t = d.tables[0]\n\
         print(json.dumps({'tables': len(d.tables),\n\
             'rows': [[c.text for c in r.cells] for r in t.rows],\n\
             'landscape': d.sections[0].page_width > d.sections[0].page_height}))\n",
        &file,
    );
    assert_eq!(read["tables"], 1);
    assert_eq!(read["landscape"], true);
    let rows = read["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1 + t.rows.len());
    let header: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    assert_eq!(strings(&rows[0]), header);
    let first = &t.rows[0];
    assert_eq!(
        strings(&rows[1]),
        [
            "1".to_string(),
            format!("{}\n「{}」", first.clause, first.quote),
            respondents_summary(&first.respondents),
            format!("【意見】{}\n【修正案】{}", first.comment, first.proposal),
            "反映".to_string(),
            first.reason.clone(),
            first.comment_ids.join("\n"),
        ]
    );
    let second = strings(&rows[2]);
    assert_eq!(
        second[1],
        format!("{}\n「a < b & \"c\"」", t.rows[1].clause)
    );
    assert_eq!(
        second[3],
        format!(
            "【誤り】{}\n【修正案】{}",
            t.rows[1].comment.replace('\u{1}', ""),
            t.rows[1].proposal
        )
    );
}

#[test]
fn response_xlsx_reads_in_openpyxl_and_prints_in_libreoffice() {
    if !tools_present(
        "the openpyxl and LibreOffice check",
        &[
            ("openpyxl", "python3", &["-c", "import openpyxl"]),
            ("soffice", "soffice", &["--version"]),
            ("pdftotext", "pdftotext", &["-v"]),
        ],
    ) {
        return;
    }
    let t = sample();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("R8-1_意見と対応.xlsx");
    std::fs::write(&file, xlsx(&t).expect("a workbook")).expect("written");

    let read = python_json(
        dir.path(),
        "import openpyxl, json, sys\n\
         wb = openpyxl.load_workbook(sys.argv[1])\n\
         out = {'sheets': wb.sheetnames}\n\
         for ws in wb.worksheets:\n    \
             out[ws.title] = {'rows': [list(r) for r in ws.iter_rows(values_only=True)],\n        \
                 'freeze': ws.freeze_panes, 'filter': ws.auto_filter.ref}\n\
         print(json.dumps(out))\n",
        &file,
    );
    assert_eq!(strings(&read["sheets"]), [SHEET, COMMENTS_SHEET]);
    let responses = &read[SHEET];
    let header_row = HEADER_ROW as usize;
    assert_eq!(responses["freeze"], format!("A{}", header_row + 2));
    assert_eq!(
        responses["filter"],
        format!("A{}:L{}", header_row + 1, header_row + 1 + t.rows.len())
    );
    let rows = responses["rows"].as_array().expect("rows");
    assert_eq!(strings(&rows[0])[0], heading(&t));
    let header: Vec<&str> = XLSX_COLUMNS.iter().map(|c| c.0).collect();
    assert_eq!(strings(&rows[header_row]), header);
    assert_eq!(rows.len(), header_row + 1 + t.rows.len());
    let first = strings(&rows[header_row + 1]);
    let r = &t.rows[0];
    assert_eq!(
        first,
        [
            "1".to_string(),
            r.clause.clone(),
            r.quote.clone(),
            respondents_summary(&r.respondents),
            r.respondents.join("、"),
            "14".to_string(),
            r.kind.clone(),
            r.comment.clone(),
            r.proposal.clone(),
            r.disposition.clone(),
            r.reason.clone(),
            r.comment_ids.join("\n"),
        ]
    );
    assert_eq!(
        strings(&rows[header_row + 2])[7],
        t.rows[1].comment.replace('\u{1}', "")
    );

    let comments = &read[COMMENTS_SHEET];
    assert_eq!(comments["freeze"], "A2");
    let rows = comments["rows"].as_array().expect("rows");
    let header: Vec<&str> = COMMENT_COLUMNS.iter().map(|c| c.0).collect();
    assert_eq!(strings(&rows[0]), header);
    assert_eq!(rows.len(), 1 + 14 + 1 + 2 + 27);
    assert_eq!(
        strings(&rows[14]),
        ["R8-1-0068", "岩手町", "1", r.clause.as_str(), "反映"]
    );

    let Some(pdf) = soffice_convert(dir.path(), &file, "pdf", &dir.path().join("pdf")) else {
        let message = "LibreOffice wrote no PDF: is Calc (libreoffice-calc-nogui) installed? \
                       (scripts/test.sh installs it)";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("note: skipping the LibreOffice check: {message}");
        return;
    };
    let text = flat(&run(
        Command::new("pdftotext").arg(&pdf).arg("-"),
        dir.path(),
        TOOL_TIMEOUT,
    ));
    for words in ["意見提出者（全て）", "岩手町", "株式会社A&B", "<script>"] {
        assert!(
            text.contains(words),
            "{words:?} not in the printed workbook"
        );
    }
}
