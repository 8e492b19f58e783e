//! The comparison as an Excel workbook: one worksheet 「変更一覧」 with one
//! row per change, for the people who track revisions in spreadsheets
//! (filter by kind, sort by path, add a column of their own for replies).
//!
//! Unlike the DOCX and HTML tables this lists rows of the comparison, not
//! laid-out lines: nothing is folded, and rows whose content, place and
//! number are all unchanged are left out. Its paired columns (label path,
//! text, commentary) follow the same order as theirs ([`Columns`]: new
//! before old by default, the ministry's convention), so a reader who
//! switches between the files never finds the sides swapped.

use kaitei_compare::FlatDoc;
use kaitei_compare::chardiff::Run;
use kaitei_compare::table::{Comparison, Field, Row, RowKind, Side, field_text};
use rust_xlsxwriter::{
    Color, DocProperties, Format, FormatAlign, FormatBorder, FormatUnderline, Workbook, Worksheet,
    XlsxError,
};

use super::{Columns, TableOptions, allowed_in_xml};

/// The worksheet's name.
const SHEET: &str = "変更一覧";

/// The columns: header and width (in characters of the default font),
/// with old on the left of each pair; [`header`] swaps the pairs for
/// [`Columns::NewOld`]. Both columns of a pair have the same width, so a
/// width looked up by position holds in either order.
const COLUMNS: [(&str, f64); 12] = [
    ("No.", 6.0),
    ("種別", 8.0),
    ("移動", 6.0),
    ("番号変更", 9.0),
    ("旧 ラベルパス", 28.0),
    ("新 ラベルパス", 28.0),
    ("変更項目", 14.0),
    ("旧 本文", 60.0),
    ("新 本文", 60.0),
    ("旧 解説", 45.0),
    ("新 解説", 45.0),
    ("意見番号", 16.0),
];

/// The first column of each old/new pair in [`COLUMNS`].
const PAIRS: [u16; 3] = [4, 7, 9];

/// Where the column written at `col` in old-new order goes in `columns`'
/// order.
fn placed(col: u16, columns: Columns) -> u16 {
    match columns {
        Columns::OldNew => col,
        Columns::NewOld => match PAIRS.iter().find(|&&p| col == p || col == p + 1) {
            Some(&p) if col == p => p + 1,
            Some(&p) => p,
            None => col,
        },
    }
}

/// Excel's limit on the characters (UTF-16 units) of one cell.
pub(crate) const MAX_CELL_UTF16: usize = 32_767;

/// A Japanese font, so kana and kanji do not fall back glyph by glyph.
pub(crate) const FONT: &str = "游ゴシック";

/// Writes the changes as an `.xlsx` file's bytes, new before old.
pub fn to_xlsx(cmp: &Comparison) -> Result<Vec<u8>, String> {
    to_xlsx_cited(cmp, &super::Citations::new(), &TableOptions::default())
}

/// [`to_xlsx`] in the column order of `options`, each changed row citing
/// the consultation comments behind it in the last column (意見番号).
pub fn to_xlsx_cited(
    cmp: &Comparison,
    citations: &super::Citations,
    options: &TableOptions,
) -> Result<Vec<u8>, String> {
    workbook(cmp, citations, options.columns).map_err(|e| e.to_string())
}

/// Builds and saves the workbook.
fn workbook(
    cmp: &Comparison,
    citations: &super::Citations,
    columns: Columns,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "変更一覧（新: {} / 旧: {}）",
                cmp.new.doc.meta.edition, cmp.old.doc.meta.edition
            ))
            .set_subject(cmp.new.doc.meta.title.as_str())
            .set_author("kaitei"),
    );
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET)?;
    let formats = Formats::new();
    header(sheet, &formats, columns)?;
    let mut last = 0;
    for (i, row) in cmp.rows.iter().filter(|r| is_listed(r)).enumerate() {
        last = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        write_row(sheet, &formats, cmp, last, row, columns)?;
        let cited = row
            .new
            .and_then(|n| citations.get(cmp.new.nodes[n].node.key.as_str()))
            .map(|ids| ids.join("\n"))
            .unwrap_or_default();
        plain(sheet, &formats, last, (COLUMNS.len() - 1) as u16, &cited)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last, (COLUMNS.len() - 1) as u16)?;
    // Printed, it should read like the other tables: A4 landscape, the
    // header on every page, as wide as the page.
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    book.save_to_buffer()
}

/// Whether a row is a change worth listing: anything but a row that is
/// unchanged in content, place and number.
fn is_listed(row: &Row) -> bool {
    row.kind != RowKind::Unchanged || row.moved || row.renumbered
}

/// The cell formats, made once.
struct Formats {
    header: Format,
    cell: Format,
    plain: Format,
    underlined: Format,
}

/// A table cell: the Japanese font, wrapped at the top, thin grey borders.
pub(crate) fn cell_format() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xA6A6A6))
}

/// A header cell: a [`cell_format`] in bold, centred, shaded, with black
/// borders.
pub(crate) fn header_format() -> Format {
    cell_format()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color(Color::RGB(0xE7E6E6))
        .set_border_color(Color::Black)
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: header_format(),
            plain: Format::new().set_font_name(FONT),
            underlined: Format::new()
                .set_font_name(FONT)
                .set_underline(FormatUnderline::Single),
            cell: cell_format(),
        }
    }
}

/// The header row and the column widths.
fn header(sheet: &mut Worksheet, f: &Formats, columns: Columns) -> Result<(), XlsxError> {
    for (col, (title, width)) in (0u16..).zip(COLUMNS) {
        let col = placed(col, columns);
        sheet.write_string_with_format(0, col, title, &f.header)?;
        sheet.set_column_width(col, width)?;
    }
    Ok(())
}

/// One row of the list.
fn write_row(
    sheet: &mut Worksheet,
    f: &Formats,
    cmp: &Comparison,
    r: u32,
    row: &Row,
    columns: Columns,
) -> Result<(), XlsxError> {
    let flag = |b: bool| if b { "○" } else { "" };
    let path = |doc: &FlatDoc, i: Option<usize>| i.map(|i| doc.path_string(i)).unwrap_or_default();
    let changed: Vec<&str> = row.changed_fields.iter().map(|&f| field_word(f)).collect();
    sheet.write_number_with_format(r, 0, r, &f.cell)?;
    let plain_cells = [
        row.kind.japanese(),
        flag(row.moved),
        flag(row.renumbered),
        &path(&cmp.old, row.old),
        &path(&cmp.new, row.new),
        &changed.join("・"),
    ];
    let mut lines = 1;
    for (col, text) in (1u16..).zip(plain_cells) {
        plain(sheet, f, r, placed(col, columns), text)?;
        lines = lines.max(line_count(text, col));
    }
    let body = [Field::Title, Field::Text].as_slice();
    let commentary = [Field::Commentary].as_slice();
    let text_cells = [
        (Side::Old, row.old, body),
        (Side::New, row.new, body),
        (Side::Old, row.old, commentary),
        (Side::New, row.new, commentary),
    ];
    for (col, (side, node, fields)) in (7u16..).zip(text_cells) {
        let doc = match side {
            Side::Old => &cmp.old,
            Side::New => &cmp.new,
        };
        let pieces = node
            .map(|i| pieces(doc, i, row, side, fields))
            .unwrap_or_default();
        rich(sheet, f, r, placed(col, columns), &pieces)?;
        let text: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
        lines = lines.max(line_count(&text, col));
    }
    sheet.set_row_height(r, row_height(lines))?;
    Ok(())
}

/// Neither Excel nor LibreOffice sizes a row to its wrapped text when it
/// opens a file, so a row of long text would show one line. The height is
/// estimated instead: how many lines the text takes in column `col`,
/// counting kana, kanji and other characters beyond U+07FF as two widths
/// of `0` (the unit of column widths) and everything else as one.
fn line_count(text: &str, col: u16) -> usize {
    lines_in(text, COLUMNS.get(usize::from(col)).map_or(10.0, |c| c.1))
}

/// How many lines `text` takes in a wrapping column `width` wide (see
/// [`line_count`]).
pub(crate) fn lines_in(text: &str, width: f64) -> usize {
    // Less a character for the cell's padding; at least one per line.
    let per_line = ((width - 1.0).max(1.0)) as usize;
    text.split('\n')
        .map(|line| {
            let units: usize = line
                .chars()
                .map(|c| if c.len_utf8() >= 3 { 2 } else { 1 })
                .sum();
            units.div_ceil(per_line).max(1)
        })
        .sum()
}

/// A row's height in points for `lines` lines of the 11 pt font, within
/// Excel's limit of 409 points.
pub(crate) fn row_height(lines: usize) -> f64 {
    const LINE: f64 = 18.0;
    const MAX: f64 = 409.0;
    (lines as f64 * LINE + 2.0).min(MAX)
}

/// A field's name, in Japanese.
fn field_word(field: Field) -> &'static str {
    match field {
        Field::Title => "見出し",
        Field::Text => "本文",
        Field::Commentary => "解説",
    }
}

/// A piece of a text cell: text and whether it is underlined.
type Piece = (String, bool);

/// The text of `fields` of node `i`, one per line (a heading's title, then
/// its text), cut where underlining starts and stops. The spans count
/// characters of each field as written, so the cut is made per field
/// before anything is joined or cleaned.
fn pieces(doc: &FlatDoc, i: usize, row: &Row, side: Side, fields: &[Field]) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for &field in fields {
        let text = field_text(doc, i, field);
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            push(&mut out, '\n', false);
        }
        let runs: Vec<Run> = row
            .spans
            .iter()
            .filter(|s| s.side == side && s.field == field)
            .map(|s| s.run)
            .collect();
        for (k, c) in text.chars().enumerate() {
            if allowed_in_xml(c) {
                push(&mut out, c, runs.iter().any(|r| r.start <= k && k < r.end));
            }
        }
    }
    out
}

/// Appends a character, extending the last piece when it looks the same.
fn push(out: &mut Vec<Piece>, c: char, underline: bool) {
    match out.last_mut() {
        Some((text, u)) if *u == underline => text.push(c),
        _ => out.push((c.to_string(), underline)),
    }
}

/// A text cell, one line of plain text.
fn plain(
    sheet: &mut Worksheet,
    f: &Formats,
    r: u32,
    col: u16,
    text: &str,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(r, col, fit(text), &f.cell)?;
    Ok(())
}

/// A text cell with its changed runs underlined. A cell too long for
/// Excel as rich text (the limit counts its markup) is written plain, and
/// cut to the limit if the text alone is too long.
fn rich(
    sheet: &mut Worksheet,
    f: &Formats,
    r: u32,
    col: u16,
    pieces: &[Piece],
) -> Result<(), XlsxError> {
    if !pieces.iter().any(|(_, u)| *u) {
        let text: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
        return plain(sheet, f, r, col, &text);
    }
    let segments: Vec<(&Format, &str)> = pieces
        .iter()
        .map(|(t, u)| (if *u { &f.underlined } else { &f.plain }, t.as_str()))
        .collect();
    match sheet.write_rich_string_with_format(r, col, &segments, &f.cell) {
        Ok(_) => Ok(()),
        Err(XlsxError::MaxStringLengthExceeded) => {
            let text: String = pieces.iter().map(|(t, _)| t.as_str()).collect();
            plain(sheet, f, r, col, &text)
        }
        Err(e) => Err(e),
    }
}

/// `text` cut to what one Excel cell holds, with `…` where it was cut.
pub(crate) fn fit(text: &str) -> String {
    if text.encode_utf16().count() <= MAX_CELL_UTF16 {
        return text.to_string();
    }
    let mut out = String::new();
    let mut units = 0;
    for c in text.chars() {
        units += c.len_utf16();
        // Leave room for the ellipsis (one unit).
        if units > MAX_CELL_UTF16 - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use kaitei_compare::{KeyUse, compare};

    use super::*;
    use crate::table::samples::{NEW, OLD};
    use crate::testing::part;
    use kaitei_format::authoring::parse;

    fn sample_xlsx() -> Vec<u8> {
        let (old, new) = (parse(OLD).document, parse(NEW).document);
        let cmp = compare(&old, &new, KeyUse::Pinned);
        to_xlsx(&cmp).expect("a workbook")
    }

    #[test]
    fn workbook_lists_changes_with_underlines() {
        let bytes = sample_xlsx();
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(
            sheet.contains("<autoFilter ref=\"A1:L5\"/>"),
            "header + 4 changes: {sheet}"
        );
        assert!(sheet.contains("state=\"frozen\""));
        let strings = part(&bytes, "xl/sharedStrings.xml");
        for text in [
            "旧 ラベルパス",
            "改正",
            "新設",
            "削除",
            "変更なし",
            "廃止される規定である。",
        ] {
            assert!(strings.contains(text), "{text} missing");
        }
        assert!(strings.contains("第2章 / (1)"), "paths joined with ' / '");
        assert!(strings.contains("入退室"), "the changed row's new text");
        assert!(strings.contains("<u/>"), "changed runs are underlined");
        assert!(strings.contains("情報資産 &amp; 記録媒体"));
        assert!(
            !strings.contains("変わらない規定"),
            "quiet rows are left out"
        );
        let book = part(&bytes, "xl/workbook.xml");
        assert!(book.contains("name=\"変更一覧\""));
    }

    /// The rows (header first) as text, cell by cell.
    fn first_rows(bytes: Vec<u8>) -> Vec<Vec<String>> {
        use calamine::{Reader, Xlsx};
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
        let range = book.worksheet_range(SHEET).expect("the sheet");
        range
            .rows()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect()
    }

    #[test]
    fn pairs_of_columns_follow_the_order_of_the_other_tables() {
        let (old, new) = (parse(OLD).document, parse(NEW).document);
        let cmp = compare(&old, &new, KeyUse::Pinned);
        let citations = crate::table::Citations::new();
        let book = |columns| {
            first_rows(to_xlsx_cited(&cmp, &citations, &TableOptions { columns }).unwrap())
        };
        let (new_old, old_new) = (book(Columns::NewOld), book(Columns::OldNew));
        let heads = |rows: &[Vec<String>]| rows[0][4..11].to_vec();
        assert_eq!(
            heads(&new_old),
            [
                "新 ラベルパス",
                "旧 ラベルパス",
                "変更項目",
                "新 本文",
                "旧 本文",
                "新 解説",
                "旧 解説"
            ]
        );
        assert_eq!(
            heads(&old_new),
            [
                "旧 ラベルパス",
                "新 ラベルパス",
                "変更項目",
                "旧 本文",
                "新 本文",
                "旧 解説",
                "新 解説"
            ]
        );
        // The cells move with their headers: under each header, in either
        // order, the same text (the sample's rows differ between sides).
        let under = |rows: &[Vec<String>], head: &str| -> Vec<String> {
            let col = rows[0].iter().position(|h| h == head).expect(head);
            rows[1..].iter().map(|r| r[col].clone()).collect()
        };
        assert_ne!(under(&new_old, "新 本文"), under(&new_old, "旧 本文"));
        for head in [
            "新 本文",
            "旧 本文",
            "新 解説",
            "旧 解説",
            "新 ラベルパス",
            "旧 ラベルパス",
        ] {
            assert_eq!(under(&new_old, head), under(&old_new, head), "{head}");
        }
        assert_eq!(
            to_xlsx(&cmp).map(first_rows).unwrap(),
            new_old,
            "new before old by default"
        );
    }

    #[test]
    fn pieces_follow_spans_per_field() {
        let (old, new) = (parse(OLD).document, parse(NEW).document);
        let cmp = compare(&old, &new, KeyUse::Pinned);
        let row = cmp
            .rows
            .iter()
            .find(|r| r.kind == RowKind::Changed)
            .expect("a changed row");
        let new_pieces = pieces(
            &cmp.new,
            row.new.expect("new"),
            row,
            Side::New,
            &[Field::Title, Field::Text],
        );
        let underlined: String = new_pieces
            .iter()
            .filter(|p| p.1)
            .map(|p| p.0.as_str())
            .collect();
        assert!(underlined.contains("入退室"), "{new_pieces:?}");
        assert!(!underlined.contains("サーバは"));
        let whole: String = new_pieces.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(
            whole,
            "サーバは、入退室が管理された部屋に設置しなければならない。"
        );
    }

    #[test]
    fn rows_are_as_tall_as_their_wrapped_text() {
        // Column 7 (旧 本文) is 60 wide: 59 units a line, 29 kanji.
        assert_eq!(line_count("", 7), 1);
        assert_eq!(line_count(&"字".repeat(29), 7), 1);
        assert_eq!(line_count(&"字".repeat(30), 7), 2);
        assert_eq!(line_count("見出し\n本文", 7), 2);
        assert_eq!(line_count(&"a".repeat(60), 7), 2);
        assert!(row_height(2) > row_height(1));
        assert_eq!(row_height(10_000), 409.0);
    }

    #[test]
    fn overlong_text_is_cut_to_the_cell_limit() {
        let long = "あ".repeat(MAX_CELL_UTF16 + 10);
        let cut = fit(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_UTF16);
        assert!(cut.ends_with('…'));
        assert_eq!(fit("短い"), "短い");
    }

    #[test]
    fn huge_rich_cells_still_make_a_workbook() {
        // Alternating changes in a long paragraph: the rich text's markup
        // exceeds Excel's limit long before the text does.
        let old_text: String = (0..6000)
            .map(|i| if i % 2 == 0 { "甲乙 " } else { "丙丁 " })
            .collect();
        let new_text: String = (0..6000)
            .map(|i| if i % 2 == 0 { "甲乙 " } else { "戊己 " })
            .collect();
        let doc = |text: &str, edition: &str| {
            format!(
                "---\nkind: guideline\ntitle: t\nedition: {edition}\n---\n\n# 第1章 総則 {{#c1}}\n\n(1) {text} {{#c1-1}}\n"
            )
        };
        let (old, new) = (
            parse(&doc(&old_text, "旧")).document,
            parse(&doc(&new_text, "新")).document,
        );
        let cmp = compare(&old, &new, KeyUse::Pinned);
        let bytes = to_xlsx(&cmp).expect("a workbook");
        // Written plain: the text runs on without rich-text markup.
        assert!(part(&bytes, "xl/sharedStrings.xml").contains("甲乙 戊己 甲乙 戊己"));
    }

    #[test]
    fn empty_comparison_is_a_header_only_workbook() {
        let (old, new) = (parse("").document, parse("").document);
        let cmp = compare(&old, &new, KeyUse::Pinned);
        let bytes = to_xlsx(&cmp).expect("a workbook");
        assert!(part(&bytes, "xl/worksheets/sheet1.xml").contains("<autoFilter ref=\"A1:L1\"/>"));
    }
}
