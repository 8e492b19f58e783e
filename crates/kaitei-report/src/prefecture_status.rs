//! A prefecture's municipalities as a workbook: where each body's policy
//! stands against the latest edition, as the prefecture's page shows it
//! (the rows it shows, in its order), for the officer who follows them up
//! in a spreadsheet.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

/// One body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its current policy's version name (empty: none stored).
    pub policy: String,
    /// The guideline edition it follows.
    pub derived_from: String,
    /// 公開 or 非公開 (empty without a policy).
    pub public: String,
    /// Where it stands, in words (最新版に準拠, 旧版に準拠, 由来未確認, …).
    pub standing: String,
    /// Affected clauses by the latest edition — needing a decision, to
    /// check, for reference — where counted.
    pub affected: Option<[usize; 3]>,
}

/// The sheet: a title line, a line of counts, the header, one row per body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusSheet {
    /// The title (「岩手県 管内の状況（令和7年3月版）」).
    pub title: String,
    /// The counts, in words, one line.
    pub summary: String,
    /// The rows.
    pub lines: Vec<StatusLine>,
}

/// The columns: header and width.
const COLUMNS: [(&str, f64); 9] = [
    ("団体コード", 11.0),
    ("団体名", 18.0),
    ("ポリシーの版", 16.0),
    ("準拠するガイドライン", 18.0),
    ("公開", 8.0),
    ("状況", 14.0),
    ("要判断", 8.0),
    ("要確認", 8.0),
    ("参考", 8.0),
];

/// The header's row (after the title and the counts, and a blank line).
const HEADER_ROW: u32 = 3;

/// The workbook's bytes.
pub fn xlsx(sheet: &StatusSheet) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name("管内の状況")?;
    let font = "游ゴシック";
    let bold = Format::new().set_bold().set_font_name(font);
    let plain = Format::new().set_font_name(font);
    let head = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_background_color("#DCE6F1")
        .set_border(FormatBorder::Thin);
    ws.write_string_with_format(0, 0, &sheet.title, &bold)?;
    ws.write_string_with_format(1, 0, &sheet.summary, &plain)?;
    for (col, (name, width)) in (0u16..).zip(COLUMNS) {
        ws.write_string_with_format(HEADER_ROW, col, name, &head)?;
        ws.set_column_width(col, width)?;
    }
    for (i, l) in sheet.lines.iter().enumerate() {
        let row = HEADER_ROW + 1 + u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)?;
        let texts = [
            &l.code,
            &l.name,
            &l.policy,
            &l.derived_from,
            &l.public,
            &l.standing,
        ];
        for (col, text) in (0u16..).zip(texts) {
            ws.write_string_with_format(row, col, text, &plain)?;
        }
        // Counts as numbers, so that the sheet sorts and sums them;
        // blank where not counted (not zero: nothing is known).
        if let Some(counts) = l.affected {
            for (col, n) in (6u16..).zip(counts) {
                ws.write_number_with_format(row, col, n as f64, &plain)?;
            }
        }
    }
    crate::list_sheet::finish(ws, HEADER_ROW, sheet.lines.len(), COLUMNS.len() as u16, 0)?;
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn the_rows_come_out_in_the_order_given_with_counts_as_numbers() {
        let line = |code: &str, standing: &str, affected| StatusLine {
            code: code.into(),
            name: format!("団体{code}"),
            policy: "令和7年度版".into(),
            derived_from: "令和6年10月版".into(),
            public: "非公開".into(),
            standing: standing.into(),
            affected,
        };
        let sheet = StatusSheet {
            title: "岩手県 管内の状況".into(),
            summary: "最新版に準拠 0・旧版に準拠 2".into(),
            lines: vec![
                line("033219", "旧版に準拠", Some([2, 1, 0])),
                line("032018", "由来未確認", None),
            ],
        };
        let bytes = xlsx(&sheet).expect("a workbook");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("opens");
        let range = book.worksheet_range("管内の状況").expect("the sheet");
        let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(cell(0, 0), Data::String("岩手県 管内の状況".into()));
        assert_eq!(cell(HEADER_ROW, 5), Data::String("状況".into()));
        assert_eq!(cell(HEADER_ROW + 1, 0), Data::String("033219".into()));
        assert_eq!(cell(HEADER_ROW + 1, 6), Data::Float(2.0));
        assert_eq!(cell(HEADER_ROW + 2, 5), Data::String("由来未確認".into()));
        assert_eq!(
            cell(HEADER_ROW + 2, 6),
            Data::Empty,
            "not counted is blank, not zero"
        );
    }
}
