//! The response table (意見と対応) of a consultation: every comment, or
//! cluster of near-identical comments, with who sent it, the clause, the
//! comment, the disposition (反映 / 不反映 / 対応済 / 参考) and the reason,
//! as the ministry publishes it with the new edition — as XLSX, DOCX and
//! HTML.
//!
//! The caller fills a [`ResponseTable`] from the store: rows already in
//! clause order, respondents already replaced by labels when the ministry
//! chose to anonymise, the date already formatted. The writers only lay it
//! out, as ministries do: a title 「…」に寄せられた意見と対応, a note (the
//! consultation, what was consulted on, the date, how many comments in how
//! many rows, and whether respondents are anonymised), then one table row
//! per [`ResponseRow`] with the columns of [`COLUMNS`].
//!
//! The DOCX and HTML show a cluster's respondents shortened
//! ([`respondents_summary`]: 「紫波町、盛岡市 ほか12団体（計14件）」) but
//! every comment id; the XLSX keeps every respondent in a column of its own
//! and lists every comment on a second sheet 「意見一覧」, so each
//! submitter can find the answer to its comment.
//!
//! ```
//! use kaitei_report::response_table::{ResponseRow, ResponseTable, docx, html, xlsx};
//!
//! let table = ResponseTable {
//!     consultation: "R8-1".to_string(),
//!     title: "ガイドライン改定案に対する意見照会".to_string(),
//!     rows: vec![ResponseRow {
//!         number: 1,
//!         clause: "第2編 / 3. 人的セキュリティ / (1) 研修".to_string(),
//!         comment_ids: vec!["R8-1-0042".to_string(), "R8-1-0107".to_string()],
//!         respondents: vec!["紫波町".to_string(), "盛岡市".to_string()],
//!         kind: "意見".to_string(),
//!         comment: "研修の実施頻度の目安を示していただきたい。".to_string(),
//!         disposition: "反映".to_string(),
//!         reason: "実施頻度の目安を追記しました。".to_string(),
//!         ..ResponseRow::default()
//!     }],
//!     ..ResponseTable::default()
//! };
//! assert!(html(&table).contains("紫波町、盛岡市（計2件）"));
//! assert!(!docx(&table).is_empty());
//! assert!(xlsx(&table).is_ok());
//! ```

use std::collections::HashSet;

use rust_xlsxwriter::{DocProperties, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::table::allowed_in_xml;
use crate::table::docx::{
    RowRules, RunStyle, TEXT_WIDTH, core_properties, header_row, paragraph, run, table_cell,
    table_start, word_document, word_package,
};
use crate::table::html::{PAGE_END, escape, page_start};
use crate::table::xlsx::{FONT, cell_format, fit, header_format, lines_in, row_height};

/// A consultation's response table, as published.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponseTable {
    /// The consultation's id, e.g. `R8-1`.
    pub consultation: String,
    /// The consultation's title.
    pub title: String,
    /// What was consulted on, e.g. `R8-draft（第3版）`.
    pub subject: String,
    /// When the table was made, formatted by the caller (`令和8年12月6日`).
    pub made: String,
    /// Whether respondents are shown as labels (団体A, 団体B…) instead of
    /// names. The caller has already replaced them; the writers only say
    /// so in the note.
    pub anonymised: bool,
    /// The rows, already in clause order.
    pub rows: Vec<ResponseRow>,
}

/// One row of the response table: a comment, or a cluster of
/// near-identical comments answered once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResponseRow {
    /// The row's number (通し番号), from 1.
    pub number: usize,
    /// The clause's label path, e.g. `第2編 / 3. 人的セキュリティ / (1) 研修`.
    pub clause: String,
    /// The ids of the comments in the row (`R8-1-0042`), one per comment.
    pub comment_ids: Vec<String>,
    /// Who sent each comment — names or anonymised labels — in the order
    /// of `comment_ids`.
    pub respondents: Vec<String>,
    /// The representative comment's type: 質問, 意見 or 誤り.
    pub kind: String,
    /// The words quoted from the clause (該当箇所); may be empty.
    pub quote: String,
    /// The representative comment's text (意見の概要).
    pub comment: String,
    /// The proposed wording (修正案); may be empty.
    pub proposal: String,
    /// The disposition: 反映, 不反映, 対応済 or 参考; empty when there is
    /// none yet.
    pub disposition: String,
    /// The reason (考え方); may run over several lines.
    pub reason: String,
}

impl ResponseTable {
    /// How many comments the rows hold.
    pub fn comment_count(&self) -> usize {
        self.rows.iter().map(|r| r.comment_ids.len()).sum()
    }
}

// --- what every format shows ------------------------------------------------------

/// The columns of the DOCX and HTML tables: header, width in twips (they
/// fill the A4 landscape text width) and whether the cells are centred.
pub const COLUMNS: [(&str, u32, bool); 7] = [
    ("番号", 760, true),
    ("該当箇所", 2300, false),
    ("意見提出者", 1900, false),
    ("意見の概要", 3800, false),
    ("対応", 1080, true),
    ("考え方", 3800, false),
    ("意見番号", 1496, false),
];

/// A row estimated to take at most this many lines is kept on one page;
/// a longer one may break (a page holds about 35).
const UNSPLIT_LINES: usize = 20;

/// One half-width character of the 10.5 pt body font, in twips: the unit
/// [`lines_in`] counts in.
const HALF_WIDTH: u32 = 105;

/// A cell's left and right padding together, in twips.
const CELL_PADDING: u32 = 226;

/// What the 対応 cell shows for a row without a disposition yet.
pub const NO_DISPOSITION: &str = "（未定）";

/// The note of an anonymised table.
pub const ANONYMISED_NOTE: &str = "意見提出者は匿名化しています。";

/// What an empty table's only row says.
pub const NO_COMMENTS: &str = "寄せられた意見はありません。";

/// Distinct respondents named in full before 「ほか」.
const NAMED_RESPONDENTS: usize = 3;

/// The title: 「{title}」に寄せられた意見と対応 (意見と対応 without a title).
pub fn heading(t: &ResponseTable) -> String {
    let title = t.title.trim();
    if title.is_empty() {
        "意見と対応".to_string()
    } else {
        format!("「{title}」に寄せられた意見と対応")
    }
}

/// The note under the title, line by line: the consultation, subject and
/// date; the counts; and, when anonymised, [`ANONYMISED_NOTE`].
pub fn notes(t: &ResponseTable) -> Vec<String> {
    let mut first = vec![format!("意見照会: {}", t.consultation)];
    if !t.subject.is_empty() {
        first.push(format!("対象: {}", t.subject));
    }
    if !t.made.is_empty() {
        first.push(format!("作成日: {}", t.made));
    }
    let comments = t.comment_count();
    let counts = if comments == t.rows.len() {
        format!("寄せられた意見: {comments}件")
    } else {
        format!(
            "寄せられた意見: {comments}件（同趣旨の意見をまとめ、{}項目に整理）",
            t.rows.len()
        )
    };
    let mut lines = vec![first.join("　"), counts];
    if t.anonymised {
        lines.push(ANONYMISED_NOTE.to_string());
    }
    lines
}

/// Who sent a row's comments, as the DOCX and HTML show it: up to three
/// distinct respondents in full (紫波町、盛岡市), more as the first two and
/// how many others (紫波町、盛岡市 ほか12団体), and the count of comments
/// when there is more than one (（計14件）).
pub fn respondents_summary(respondents: &[String]) -> String {
    let mut seen = HashSet::new();
    let distinct: Vec<&str> = respondents
        .iter()
        .map(|r| r.trim())
        .filter(|r| !r.is_empty() && seen.insert(*r))
        .collect();
    let names = if distinct.len() <= NAMED_RESPONDENTS {
        distinct.join("、")
    } else {
        let shown = NAMED_RESPONDENTS - 1;
        format!(
            "{} ほか{}団体",
            distinct[..shown].join("、"),
            distinct.len() - shown
        )
    };
    match respondents.len() {
        0 | 1 => names,
        n => format!("{names}（計{n}件）"),
    }
}

/// A paragraph of a cell: a bold lead (【意見】) and text, which may run
/// over several lines.
struct Para<'a> {
    lead: String,
    text: &'a str,
}

impl<'a> Para<'a> {
    fn plain(text: &'a str) -> Para<'a> {
        Para {
            lead: String::new(),
            text,
        }
    }
}

/// The cells of a row in the DOCX and HTML tables, in [`COLUMNS`] order;
/// `owned` holds the texts made here.
fn cells<'a>(row: &'a ResponseRow, owned: &'a [String; 3]) -> [Vec<Para<'a>>; 7] {
    let [number, quote, respondents] = owned;
    let mut clause = vec![Para::plain(&row.clause)];
    if !row.quote.is_empty() {
        clause.push(Para::plain(quote));
    }
    let mut comment = vec![Para {
        lead: bracketed(&row.kind),
        text: &row.comment,
    }];
    if !row.proposal.is_empty() {
        comment.push(Para {
            lead: "【修正案】".to_string(),
            text: &row.proposal,
        });
    }
    let disposition = if row.disposition.is_empty() {
        NO_DISPOSITION
    } else {
        &row.disposition
    };
    [
        vec![Para::plain(number)],
        clause,
        vec![Para::plain(respondents)],
        comment,
        vec![Para::plain(disposition)],
        vec![Para::plain(&row.reason)],
        row.comment_ids.iter().map(|id| Para::plain(id)).collect(),
    ]
}

/// The texts [`cells`] shows that are not fields as they are: the number,
/// the quote in 「」 and the respondents' summary.
fn owned_texts(row: &ResponseRow) -> [String; 3] {
    [
        row.number.to_string(),
        format!("「{}」", row.quote),
        respondents_summary(&row.respondents),
    ]
}

/// `【kind】`, or nothing for an empty kind.
fn bracketed(kind: &str) -> String {
    if kind.is_empty() {
        String::new()
    } else {
        format!("【{kind}】")
    }
}

// --- DOCX ---------------------------------------------------------------------------

/// The table as a Word document: A4 landscape, the title and note, the
/// table with its header row repeated on every page, the reasons' line
/// breaks kept.
pub fn docx(t: &ResponseTable) -> Vec<u8> {
    let title = heading(t);
    let document = word_document(|out| {
        paragraph(out, r#"<w:pStyle w:val="Title"/>"#, |out| {
            run(out, &title, RunStyle::default());
        });
        for line in notes(t) {
            paragraph(out, "", |out| run(out, &line, RunStyle::default()));
        }
        // A little space between the note and the table.
        paragraph(out, "", |_| {});
        docx_table(out, t);
    });
    let subject = format!("{} {}", t.consultation, t.subject);
    word_package(&document, &core_properties(&title, subject.trim()))
}

/// The table: the header row, then one row per [`ResponseRow`] (or one
/// row saying there are no comments).
fn docx_table(out: &mut String, t: &ResponseTable) {
    let widths = COLUMNS.map(|(_, width, _)| width);
    table_start(out, &widths, RowRules::Solid);
    header_row(out, &COLUMNS.map(|(word, width, _)| (word, width)));
    if t.rows.is_empty() {
        out.push_str("<w:tr>");
        let span = format!(r#"<w:gridSpan w:val="{}"/>"#, COLUMNS.len());
        table_cell(out, widths.iter().sum(), &span, |out| {
            paragraph(out, r#"<w:jc w:val="center"/>"#, |out| {
                run(out, NO_COMMENTS, RunStyle::default())
            });
        });
        out.push_str("</w:tr>");
    }
    for row in &t.rows {
        let owned = owned_texts(row);
        let cells = cells(row, &owned);
        if docx_lines(&cells) <= UNSPLIT_LINES {
            out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        } else {
            out.push_str("<w:tr>");
        }
        for (paras, (_, width, centred)) in cells.iter().zip(COLUMNS) {
            // Left-aligned, not justified: a justified line of mixed
            // Japanese and Latin text is stretched letter by letter.
            let ppr = if centred {
                r#"<w:jc w:val="center"/>"#
            } else {
                r#"<w:jc w:val="left"/>"#
            };
            table_cell(out, width, "", |out| {
                for para in paras {
                    docx_para(out, ppr, para);
                }
            });
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

/// How many lines the row's tallest cell takes, estimated.
fn docx_lines(cells: &[Vec<Para>; 7]) -> usize {
    cells
        .iter()
        .zip(COLUMNS)
        .map(|(paras, (_, width, _))| {
            let chars = f64::from(width.saturating_sub(CELL_PADDING) / HALF_WIDTH);
            paras
                .iter()
                .map(|p| lines_in(&format!("{}{}", p.lead, p.text), chars + 1.0))
                .sum()
        })
        .max()
        .unwrap_or(1)
}

/// A cell's paragraph: one Word paragraph per line, the lead in bold on
/// the first.
fn docx_para(out: &mut String, ppr: &str, para: &Para) {
    for (i, line) in para.text.split('\n').enumerate() {
        paragraph(out, ppr, |out| {
            if i == 0 {
                let bold = RunStyle {
                    bold: true,
                    ..RunStyle::default()
                };
                run(out, &para.lead, bold);
            }
            run(out, line.trim_end_matches('\r'), RunStyle::default());
        });
    }
}

// --- HTML ---------------------------------------------------------------------------

/// The table's style, after the page's: the header repeated on each
/// printed page, line breaks in the texts kept.
const STYLE: &str = r#"h1 { margin-bottom: 0.5em; }
.note { margin: 0; }
table { width: 100%; margin-top: 0.8em; border-collapse: collapse; table-layout: fixed; border: 1.5px solid #000; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.2em; }
th, td { border: 1px solid #000; padding: 1mm 1.5mm; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
thead th { background: #e7e6e6; text-align: center; border-bottom: 1.5px solid #000; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
td p { margin: 0; white-space: pre-wrap; }
td.centred { text-align: center; }
td.empty { text-align: center; }
"#;

/// The table as a self-contained HTML page (UTF-8, `lang="ja"`, inline
/// style, nothing from elsewhere) that prints like the Word version.
pub fn html(t: &ResponseTable) -> String {
    let mut out = page_start(&heading(t), STYLE);
    for line in notes(t) {
        out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(&line)));
    }
    out.push_str(&format!(
        "<table>\n<caption>意見と対応（{}項目）</caption>\n<colgroup>",
        t.rows.len()
    ));
    for (_, width, _) in COLUMNS {
        // Tenths of a percent of the text width.
        let permille = width * 1000 / TEXT_WIDTH;
        out.push_str(&format!(
            "<col style=\"width: {}.{}%\">",
            permille / 10,
            permille % 10
        ));
    }
    out.push_str("</colgroup>\n<thead>\n<tr>");
    for (word, _, _) in COLUMNS {
        out.push_str(&format!("<th scope=\"col\">{word}</th>"));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    if t.rows.is_empty() {
        out.push_str(&format!(
            "<tr><td class=\"empty\" colspan=\"{}\">{NO_COMMENTS}</td></tr>\n",
            COLUMNS.len()
        ));
    }
    for row in &t.rows {
        let owned = owned_texts(row);
        out.push_str("<tr>");
        for (paras, (_, _, centred)) in cells(row, &owned).iter().zip(COLUMNS) {
            out.push_str(if centred {
                "<td class=\"centred\">"
            } else {
                "<td>"
            });
            for para in paras {
                out.push_str("<p>");
                if !para.lead.is_empty() {
                    out.push_str(&format!("<b>{}</b>", escape(&para.lead)));
                }
                out.push_str(&escape(para.text));
                out.push_str("</p>");
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out.push_str(PAGE_END);
    out
}

// --- XLSX ---------------------------------------------------------------------------

/// The first sheet's name: one row per [`ResponseRow`].
pub const SHEET: &str = "意見と対応";

/// The second sheet's name: one row per comment.
pub const COMMENTS_SHEET: &str = "意見一覧";

/// The first sheet's header row (0-based); the title and note are above.
pub const HEADER_ROW: u32 = 3;

/// The first sheet's columns: header and width (characters of the default
/// font). Each field has a column of its own, for filtering and sorting.
pub const XLSX_COLUMNS: [(&str, f64); 12] = [
    ("番号", 6.0),
    ("該当箇所", 24.0),
    ("該当部分", 20.0),
    ("意見提出者", 20.0),
    ("意見提出者（全て）", 26.0),
    ("件数", 6.0),
    ("種別", 6.0),
    ("意見の概要", 44.0),
    ("修正案", 26.0),
    ("対応", 8.0),
    ("考え方", 44.0),
    ("意見番号", 12.0),
];

/// The second sheet's columns: header and width.
pub const COMMENT_COLUMNS: [(&str, f64); 5] = [
    ("意見番号", 12.0),
    ("意見提出者", 22.0),
    ("番号", 6.0),
    ("該当箇所", 40.0),
    ("対応", 8.0),
];

/// The table as an Excel workbook: 「意見と対応」 (title, note, then a
/// frozen, filtered header and one row per [`ResponseRow`], every
/// respondent and comment id in it) and 「意見一覧」 (one row per comment:
/// id, respondent, row number, clause, disposition).
pub fn xlsx(t: &ResponseTable) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let subject = format!("{} {}", t.consultation, t.subject);
    book.set_properties(
        &DocProperties::new()
            .set_title(heading(t))
            .set_subject(subject.trim())
            .set_author("kaitei"),
    );
    let formats = Formats::new();
    responses_sheet(book.add_worksheet(), &formats, t)?;
    comments_sheet(book.add_worksheet(), &formats, t)?;
    book.save_to_buffer()
}

/// The cell formats, made once.
struct Formats {
    title: Format,
    note: Format,
    header: Format,
    cell: Format,
    centred: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new()
                .set_font_name(FONT)
                .set_bold()
                .set_font_size(14),
            note: Format::new().set_font_name(FONT),
            header: header_format(),
            centred: cell_format().set_align(FormatAlign::Center),
            cell: cell_format(),
        }
    }
}

/// The header row `r` of `columns`, their widths, freeze and print set-up.
fn header(
    sheet: &mut Worksheet,
    f: &Formats,
    r: u32,
    columns: &[(&str, f64)],
) -> Result<(), XlsxError> {
    for (col, &(title, width)) in (0u16..).zip(columns) {
        sheet.write_string_with_format(r, col, title, &f.header)?;
        sheet.set_column_width(col, width)?;
    }
    sheet.set_freeze_panes(r + 1, 0)?;
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(r, r)?;
    Ok(())
}

/// Text as one cell holds it: characters XML cannot carry dropped, cut to
/// Excel's limit.
fn cell_text(text: &str) -> String {
    fit(&text
        .chars()
        .filter(|&c| allowed_in_xml(c))
        .collect::<String>())
}

/// A sheet row's 0-based index, or the error of a sheet too long.
fn sheet_row(first: u32, i: usize) -> Result<u32, XlsxError> {
    u32::try_from(i)
        .ok()
        .and_then(|i| first.checked_add(i))
        .ok_or(XlsxError::RowColumnLimitError)
}

/// 「意見と対応」.
fn responses_sheet(sheet: &mut Worksheet, f: &Formats, t: &ResponseTable) -> Result<(), XlsxError> {
    sheet.set_name(SHEET)?;
    sheet.write_string_with_format(0, 0, cell_text(&heading(t)), &f.title)?;
    sheet.write_string_with_format(1, 0, cell_text(&notes(t).join("　")), &f.note)?;
    header(sheet, f, HEADER_ROW, &XLSX_COLUMNS)?;
    let mut last = HEADER_ROW;
    for (i, row) in t.rows.iter().enumerate() {
        last = sheet_row(HEADER_ROW + 1, i)?;
        let texts = [
            row.clause.clone(),
            row.quote.clone(),
            respondents_summary(&row.respondents),
            row.respondents.join("、"),
        ];
        let more = [
            row.kind.as_str(),
            &row.comment,
            &row.proposal,
            &row.disposition,
            &row.reason,
            &row.comment_ids.join("\n"),
        ];
        sheet.write_number_with_format(last, 0, row.number as f64, &f.centred)?;
        let mut lines = 1;
        for (col, text) in (1u16..).zip(&texts) {
            sheet.write_string_with_format(last, col, cell_text(text), &f.cell)?;
            lines = lines.max(lines_in(text, XLSX_COLUMNS[usize::from(col)].1));
        }
        sheet.write_number_with_format(last, 5, row.comment_ids.len() as f64, &f.centred)?;
        for (col, text) in (6u16..).zip(more) {
            let format = if matches!(col, 6 | 9) {
                &f.centred
            } else {
                &f.cell
            };
            sheet.write_string_with_format(last, col, cell_text(text), format)?;
            lines = lines.max(lines_in(text, XLSX_COLUMNS[usize::from(col)].1));
        }
        sheet.set_row_height(last, row_height(lines))?;
    }
    sheet.autofilter(HEADER_ROW, 0, last, (XLSX_COLUMNS.len() - 1) as u16)?;
    Ok(())
}

/// 「意見一覧」: one row per comment id, in the table's order.
fn comments_sheet(sheet: &mut Worksheet, f: &Formats, t: &ResponseTable) -> Result<(), XlsxError> {
    sheet.set_name(COMMENTS_SHEET)?;
    header(sheet, f, 0, &COMMENT_COLUMNS)?;
    let comments = t.rows.iter().flat_map(|row| {
        row.comment_ids
            .iter()
            .enumerate()
            .map(move |(k, id)| (row, id, row.respondents.get(k)))
    });
    let mut last = 0;
    for (i, (row, id, respondent)) in comments.enumerate() {
        last = sheet_row(1, i)?;
        sheet.write_string_with_format(last, 0, cell_text(id), &f.cell)?;
        let respondent = respondent.map_or("", String::as_str);
        sheet.write_string_with_format(last, 1, cell_text(respondent), &f.cell)?;
        sheet.write_number_with_format(last, 2, row.number as f64, &f.centred)?;
        sheet.write_string_with_format(last, 3, cell_text(&row.clause), &f.cell)?;
        sheet.write_string_with_format(last, 4, cell_text(&row.disposition), &f.centred)?;
    }
    sheet.autofilter(0, 0, last, (COMMENT_COLUMNS.len() - 1) as u16)?;
    Ok(())
}

#[cfg(test)]
#[path = "response_table_tests.rs"]
mod tests;
