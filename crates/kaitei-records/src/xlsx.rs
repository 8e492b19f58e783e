//! The register as a workbook: read from the first sheet (row 1 exactly
//! the fourteen headers, in order), written as the empty template (value
//! lists as data validation) or with items. Bytes in, values out.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};
use kaitei_model::Date;
use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};

use crate::register::{CellProblem, Column, HEADERS, Item};
use crate::rules::Row;

/// The largest workbook read.
const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// The most bytes its parts may unpack to.
const MAX_UNPACKED_BYTES: u64 = 200 * 1024 * 1024;
/// The most parts it may have.
const MAX_ENTRIES: usize = 2_000;
/// The most rows a register may have.
pub const MAX_ROWS: u32 = 100_000;
/// The rows of the template that offer the value lists.
const VALIDATED_ROWS: u32 = 5_000;
/// The sheet's name as written.
pub const SHEET: &str = "機器廃棄台帳";

/// Why a file is not a register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotARegister {
    /// Not an xlsx workbook, or a damaged one.
    NotXlsx(String),
    /// Too large, or unpacking to too much.
    TooLarge(String),
    /// Row 1 is not the fourteen headers (the first wrong column).
    Headers(String),
}

impl std::fmt::Display for NotARegister {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotARegister::NotXlsx(e) => write!(f, "not an xlsx workbook: {e}"),
            NotARegister::TooLarge(e) => write!(f, "too large: {e}"),
            NotARegister::Headers(e) => write!(f, "not a disposal register: {e}"),
        }
    }
}

impl std::error::Error for NotARegister {}

/// Reads the register on the workbook's first sheet: every row that is not
/// empty, with its invalid cells (a 管理番号 an earlier row has is one).
pub fn read(bytes: &[u8]) -> Result<Vec<Row>, NotARegister> {
    check_zip(bytes)?;
    // A third-party parser: a panic on some damaged file refuses the file.
    let grid = std::panic::catch_unwind(|| read_grid(bytes)).unwrap_or_else(|_| {
        Err(NotARegister::NotXlsx(
            "the workbook could not be read (a damaged file?)".into(),
        ))
    })?;
    let header = grid.get(&0).cloned().unwrap_or_default();
    for (i, want) in HEADERS.iter().enumerate() {
        let found = header[i].trim();
        if found != *want {
            let col = column_letter(i);
            return Err(NotARegister::Headers(if found.is_empty() {
                format!("row 1 column {col} should be {want:?} and is empty")
            } else {
                format!("row 1 column {col} should be {want:?} and is {found:?}")
            }));
        }
    }
    if grid.get(&0).is_some_and(|_| grid_extra(&grid)) {
        return Err(NotARegister::Headers(
            "row 1 has a header after 消去証明書".into(),
        ));
    }
    let mut rows: Vec<u32> = grid.keys().copied().filter(|r| *r > 0).collect();
    rows.sort_unstable();
    let mut first_row: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for r in rows {
        let cells = &grid[&r];
        if cells[..14].iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = r as usize + 1;
        let cells: [String; 14] = std::array::from_fn(|i| cells[i].clone());
        let (item, mut invalid) = Item::read(&cells);
        if !item.number.is_empty() {
            match first_row.get(&item.number) {
                Some(first) => invalid.push((Column::Number, CellProblem::Duplicate(*first))),
                None => {
                    first_row.insert(item.number.clone(), row);
                }
            }
        }
        invalid.sort();
        out.push(Row { row, item, invalid });
    }
    Ok(out)
}

/// Whether any row-1 cell lies past the fourteenth column (kept in the
/// grid's fifteenth slot).
fn grid_extra(grid: &Grid) -> bool {
    grid.get(&0)
        .is_some_and(|r| r.get(14).is_some_and(|c| !c.trim().is_empty()))
}

/// Cells by row (0-based): 14 columns, and a 15th that says whether row 1
/// had anything further right.
type Grid = HashMap<u32, [String; 15]>;

fn read_grid(bytes: &[u8]) -> Result<Grid, NotARegister> {
    let not_xlsx = |e: calamine::XlsxError| NotARegister::NotXlsx(e.to_string());
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(not_xlsx)?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| NotARegister::NotXlsx("it has no sheet".into()))?;
    let mut grid = Grid::new();
    let mut cells = book.worksheet_cells_reader(&first).map_err(not_xlsx)?;
    while let Some(cell) = cells.next_cell().map_err(not_xlsx)? {
        let (r, c) = cell.get_position();
        let text = text_of(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if r >= MAX_ROWS {
            return Err(NotARegister::TooLarge(format!("more than {MAX_ROWS} rows")));
        }
        let slot = (c as usize).min(14);
        if slot == 14 && r > 0 {
            continue;
        }
        grid.entry(r).or_default()[slot] = text;
    }
    Ok(grid)
}

/// A cell's value as text: an Excel date as `YYYY-MM-DD`, a whole number
/// without `.0`.
fn text_of(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) => s.clone(),
        DataRef::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => {
            excel_date(d.as_f64()).map_or_else(|| float_text(d.as_f64()), |date| date.to_string())
        }
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// The date of an Excel serial number (1900 system; serial 25569 is
/// 1970-01-01).
fn excel_date(serial: f64) -> Option<Date> {
    if !(1.0..3_000_000.0).contains(&serial) {
        return None;
    }
    Date::from_unix_days(serial.floor() as i64 - 25_569)
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

fn column_letter(i: usize) -> char {
    char::from(b'A' + i as u8)
}

fn check_zip(bytes: &[u8]) -> Result<(), NotARegister> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(NotARegister::TooLarge(format!(
            "{} bytes, over {MAX_FILE_BYTES}",
            bytes.len()
        )));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        NotARegister::NotXlsx(format!("it is not a zip archive ({e}); an old .xls file?"))
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(NotARegister::TooLarge(format!("{} parts", zip.len())));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| NotARegister::NotXlsx(format!("a damaged zip archive ({e})")))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(NotARegister::TooLarge(format!(
            "its parts unpack to more than {MAX_UNPACKED_BYTES} bytes"
        )));
    }
    Ok(())
}

/// The empty register: row 1 the headers, each column with a value list
/// offers it (data validation), 処理日 formatted as a date.
pub fn template() -> Result<Vec<u8>, XlsxError> {
    write(&[])
}

/// The register with `items`, one per row from row 2, as the template
/// lays it out (so that it reads back as the same items).
pub fn write(items: &[Item]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(SHEET)?;
    let font = "游ゴシック";
    let head = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_background_color("#DCE6F1")
        .set_border(FormatBorder::Thin);
    let plain = Format::new().set_font_name(font);
    let date = Format::new()
        .set_font_name(font)
        .set_num_format("yyyy-mm-dd");
    const WIDTHS: [f64; 14] = [
        12.0, 12.0, 14.0, 10.0, 9.0, 14.0, 12.0, 12.0, 10.0, 8.0, 20.0, 14.0, 8.0, 22.0,
    ];
    for (col, c) in (0u16..).zip(Column::ALL) {
        ws.write_string_with_format(0, col, c.header(), &head)?;
        ws.set_column_width(col, WIDTHS[c.index()])?;
        if c == Column::HandledOn {
            ws.set_column_format(col, &date)?;
        }
        let words = c.words();
        if !words.is_empty() {
            let v = DataValidation::new()
                .allow_list_strings(words)?
                .set_error_title(c.header())?
                .set_error_message(format!("{} のいずれかを選んでください", words.join("／")))?;
            ws.add_data_validation(1, col, VALIDATED_ROWS, col, &v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    for (i, item) in items.iter().enumerate() {
        let row = 1 + u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, (c, text)) in (0u16..).zip(Column::ALL.into_iter().zip(item.cells())) {
            match (c, item.handled_on) {
                (Column::HandledOn, Some(d)) => {
                    let (y, m, day) = d.ymd();
                    let when = ExcelDateTime::from_ymd(y, m, day)?;
                    ws.write_datetime_with_format(row, col, when, &date)?;
                }
                _ if text.is_empty() => {}
                _ => {
                    ws.write_string_with_format(row, col, &text, &plain)?;
                }
            }
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::{
        Certificate, Classification, Evidence, Handling, Media, Method, Ownership, Performer,
    };

    fn sample() -> Vec<Item> {
        vec![
            Item {
                number: "SV-001".into(),
                equipment: "サーバ".into(),
                media: Some(Media::Hdd),
                ownership: Some(Ownership::Leased),
                classification: Some(Classification::ThreeA),
                handling: Some(Handling::Returned),
                handled_on: Date::new(2026, 3, 31),
                method: Some(Method::Overwrite),
                self_encrypting: Some(false),
                performer: Some(Performer::Contractor),
                contractor: "株式会社リース".into(),
                witness: String::new(),
                evidence: Some(Evidence::Nothing),
                certificate: Some(Certificate::Nothing),
            },
            Item {
                number: "PC-014".into(),
                equipment: "PC".into(),
                media: Some(Media::Ssd),
                ownership: Some(Ownership::Owned),
                classification: Some(Classification::Two),
                handling: Some(Handling::Kept),
                ..Item::default()
            },
        ]
    }

    #[test]
    fn the_template_is_an_empty_register() {
        let bytes = template().unwrap();
        assert_eq!(read(&bytes).unwrap(), vec![]);
    }

    #[test]
    fn items_written_read_back_the_same() {
        let items = sample();
        let rows = read(&write(&items).unwrap()).unwrap();
        let back: Vec<Item> = rows.iter().map(|r| r.item.clone()).collect();
        assert_eq!(back, items);
        assert_eq!(rows[0].row, 2);
        assert!(rows.iter().all(|r| r.invalid.is_empty()));
    }

    #[test]
    fn not_a_workbook_or_wrong_headers_is_not_a_register() {
        assert!(matches!(read(b"hello"), Err(NotARegister::NotXlsx(_))));
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        for (col, h) in (0u16..).zip(HEADERS) {
            ws.write_string(0, col, if col == 4 { "格付" } else { h })
                .unwrap();
        }
        let e = read(&book.save_to_buffer().unwrap()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "not a disposal register: row 1 column E should be \"最高格付\" and is \"格付\""
        );
    }

    #[test]
    fn numbers_dates_and_duplicates_are_read_as_a_person_typed_them() {
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        for (col, h) in (0u16..).zip(HEADERS) {
            ws.write_string(0, col, h).unwrap();
        }
        let date = Format::new().set_num_format("yyyy/m/d");
        for r in 1..=2u32 {
            ws.write_string(r, 0, "A-1").unwrap();
            ws.write_number(r, 4, 2.0).unwrap();
            ws.write_string(r, 5, "廃棄").unwrap();
        }
        ws.write_datetime_with_format(1, 6, ExcelDateTime::from_ymd(2026, 4, 1).unwrap(), &date)
            .unwrap();
        ws.write_string(2, 6, "2026-02-30").unwrap();
        let rows = read(&book.save_to_buffer().unwrap()).unwrap();
        assert_eq!(rows[0].item.classification, Some(Classification::Two));
        assert_eq!(rows[0].item.handled_on, Date::new(2026, 4, 1));
        assert_eq!(
            rows[1].invalid,
            vec![
                (Column::Number, CellProblem::Duplicate(2)),
                (
                    Column::HandledOn,
                    CellProblem::NotADate("2026-02-30".into())
                ),
            ]
        );
    }
}
