//! The ministry's national picture as a workbook and as CSV: per
//! prefecture (and the nation first), how many bodies follow each stored
//! edition, another one or none, and what the latest edition means for
//! them — the table of the dashboard, in its order, for the official who
//! reports it on.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use crate::csv_text::{BOM, row};

/// One line: the nation or a prefecture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalLine {
    /// The prefecture's code (empty for the nation).
    pub code: String,
    /// Its name (全国 for the nation).
    pub name: String,
    /// Its local governments.
    pub bodies: usize,
    /// Bodies following each edition, in the order of
    /// [`NationalSheet::editions`].
    pub per_edition: Vec<usize>,
    /// Bodies following an edition not stored.
    pub other: usize,
    /// Bodies with no policy registered.
    pub without: usize,
    /// Bodies with a clause needing a decision, and the affected clauses
    /// in all (`None`: no latest edition to measure against).
    pub impact: Option<(usize, usize)>,
}

/// The table: a title line, when it was made, then the lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalSheet {
    /// The title (「全国の状況」).
    pub title: String,
    /// When the figures were made, in words (集計時刻 令和7年12月1日 20:05).
    pub made_at: String,
    /// The stored editions, oldest first.
    pub editions: Vec<String>,
    /// The nation first, then each prefecture.
    pub lines: Vec<NationalLine>,
}

impl NationalSheet {
    /// The header row, as the dashboard's table has it.
    pub fn header(&self) -> Vec<String> {
        let mut out = vec![
            "都道府県コード".to_string(),
            "都道府県".to_string(),
            "団体数".to_string(),
        ];
        out.extend(self.editions.iter().map(|e| format!("{e}に準拠")));
        out.extend(["その他の版", "未登録"].into_iter().map(str::to_string));
        if self.measured() {
            out.push("要判断の条項がある団体".to_string());
            out.push("影響のある条項（延べ）".to_string());
        }
        out
    }

    fn measured(&self) -> bool {
        self.lines.iter().any(|l| l.impact.is_some())
    }

    /// A line's counts, in the header's order after its first two columns.
    fn counts(&self, l: &NationalLine) -> Vec<Option<usize>> {
        let mut out = vec![Some(l.bodies)];
        out.extend(l.per_edition.iter().map(|n| Some(*n)));
        out.push(Some(l.other));
        out.push(Some(l.without));
        if self.measured() {
            out.push(l.impact.map(|i| i.0));
            out.push(l.impact.map(|i| i.1));
        }
        out
    }
}

/// The table as CSV (UTF-8 with BOM, CRLF): a title line, the time, the
/// header, one line each.
pub fn csv(sheet: &NationalSheet) -> Vec<u8> {
    let mut out = String::from(BOM);
    row(&mut out, [sheet.title.as_str()].into_iter());
    row(&mut out, [sheet.made_at.as_str()].into_iter());
    let header = sheet.header();
    row(&mut out, header.iter().map(String::as_str));
    for l in &sheet.lines {
        let counts: Vec<String> = sheet
            .counts(l)
            .into_iter()
            .map(|n| n.map_or(String::new(), |n| n.to_string()))
            .collect();
        row(
            &mut out,
            [l.code.as_str(), l.name.as_str()]
                .into_iter()
                .chain(counts.iter().map(String::as_str)),
        );
    }
    out.into_bytes()
}

/// The header's row (after the title, the time and a blank line).
const HEADER_ROW: u32 = 3;

/// The table as a workbook: counts as numbers, the header frozen and
/// filtered, A4 landscape.
pub fn xlsx(sheet: &NationalSheet) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("全国の状況")?;
    let font = "游ゴシック";
    let bold = Format::new().set_bold().set_font_name(font);
    let plain = Format::new().set_font_name(font);
    let head = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_background_color("#DCE6F1")
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    ws.write_string_with_format(0, 0, &sheet.title, &bold)?;
    ws.write_string_with_format(1, 0, &sheet.made_at, &plain)?;
    let header = sheet.header();
    for (col, name) in (0u16..).zip(&header) {
        ws.write_string_with_format(HEADER_ROW, col, name, &head)?;
        ws.set_column_width(col, if col == 1 { 12.0 } else { 14.0 })?;
    }
    for (i, l) in sheet.lines.iter().enumerate() {
        let r = HEADER_ROW + 1 + u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)?;
        // The nation's line is the sum: bold, as totals are.
        let f = if l.code.is_empty() { &bold } else { &plain };
        ws.write_string_with_format(r, 0, &l.code, f)?;
        ws.write_string_with_format(r, 1, &l.name, f)?;
        for (col, n) in (2u16..).zip(sheet.counts(l)) {
            // Not measured is blank, not zero: nothing is known.
            if let Some(n) = n {
                ws.write_number_with_format(r, col, n as f64, f)?;
            }
        }
    }
    crate::list_sheet::finish(ws, HEADER_ROW, sheet.lines.len(), header.len() as u16, 2)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    fn sheet(measured: bool) -> NationalSheet {
        let line = |code: &str, name: &str, per: Vec<usize>, impact| NationalLine {
            code: code.into(),
            name: name.into(),
            bodies: per.iter().sum::<usize>() + 1,
            per_edition: per,
            other: 0,
            without: 1,
            impact,
        };
        NationalSheet {
            title: "全国の状況".into(),
            made_at: "集計時刻 令和7年12月1日 20:05".into(),
            editions: vec!["令和6年10月版".into(), "令和7年3月版".into()],
            lines: vec![
                line("", "全国", vec![3, 2], measured.then_some((1, 7))),
                line("030007", "岩手県", vec![3, 2], measured.then_some((1, 7))),
            ],
        }
    }

    #[test]
    fn the_workbook_has_the_pages_columns_with_counts_as_numbers() {
        let bytes = xlsx(&sheet(true)).expect("a workbook");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("opens");
        let range = book.worksheet_range("全国の状況").expect("the sheet");
        let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(
            cell(1, 0),
            Data::String("集計時刻 令和7年12月1日 20:05".into())
        );
        assert_eq!(
            cell(HEADER_ROW, 3),
            Data::String("令和6年10月版に準拠".into())
        );
        assert_eq!(
            cell(HEADER_ROW, 7),
            Data::String("要判断の条項がある団体".into())
        );
        assert_eq!(cell(HEADER_ROW + 1, 1), Data::String("全国".into()));
        assert_eq!(cell(HEADER_ROW + 2, 0), Data::String("030007".into()));
        assert_eq!(cell(HEADER_ROW + 2, 2), Data::Float(6.0));
        assert_eq!(cell(HEADER_ROW + 2, 8), Data::Float(7.0));
    }

    #[test]
    fn the_csv_opens_in_excel_and_leaves_out_what_was_not_measured() {
        let text = String::from_utf8(csv(&sheet(false))).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert!(lines[0].starts_with('\u{feff}'));
        assert_eq!(
            lines[2],
            "都道府県コード,都道府県,団体数,令和6年10月版に準拠,令和7年3月版に準拠,その他の版,未登録"
        );
        assert_eq!(lines[3], ",全国,6,3,2,0,1");
        assert_eq!(lines[4], "030007,岩手県,6,3,2,0,1");
        let measured = String::from_utf8(csv(&sheet(true))).unwrap();
        assert!(measured.contains("030007,岩手県,6,3,2,0,1,1,7\r\n"));
    }
}
