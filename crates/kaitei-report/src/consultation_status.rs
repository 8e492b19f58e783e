//! A consultation's status as a workbook: who has not answered yet, for
//! the ministry's reminders (and `kaitei consult status --format xlsx`).

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One respondent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    /// Its code (or `vendor:` and the organisation).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its prefecture's name (empty for vendors).
    pub prefecture: String,
    /// Where its answer stands (未着手, 作成中, …).
    pub status: String,
    /// Comments in its answer so far.
    pub comments: i64,
}

/// The workbook: one sheet, a title row, a header, one row per respondent,
/// filtered and frozen for sorting by prefecture.
pub fn xlsx(consultation: &str, title: &str, rows: &[StatusRow]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("回答状況")?;
    let bold = Format::new().set_bold().set_font_name("游ゴシック");
    let plain = Format::new().set_font_name("游ゴシック");
    let head = Format::new()
        .set_bold()
        .set_font_name("游ゴシック")
        .set_background_color("#DCE6F1")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    sheet.write_string_with_format(
        0,
        0,
        format!("{consultation} {title} — 未回答の団体"),
        &bold,
    )?;
    let columns = [
        ("団体コード", 12.0),
        ("団体名", 22.0),
        ("都道府県", 12.0),
        ("状況", 16.0),
        ("意見数", 8.0),
    ];
    for (i, (name, width)) in columns.iter().enumerate() {
        let col = i as u16;
        sheet.write_string_with_format(2, col, *name, &head)?;
        sheet.set_column_width(col, *width)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string_with_format(row, 0, &r.code, &plain)?;
        sheet.write_string_with_format(row, 1, &r.name, &plain)?;
        sheet.write_string_with_format(row, 2, &r.prefecture, &plain)?;
        sheet.write_string_with_format(row, 3, &r.status, &plain)?;
        sheet.write_number_with_format(row, 4, r.comments as f64, &plain)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    let last = 2 + rows.len() as u32;
    sheet.autofilter(2, 0, last.max(3), 4)?;
    book.save_to_buffer()
}
