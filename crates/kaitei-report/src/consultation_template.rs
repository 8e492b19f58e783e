//! The consultation answer template (意見照会 回答様式): an Excel workbook a
//! body fills in and sends back, read again by
//! `kaitei_format::consultation_template::read_template`.
//!
//! Layout of the visible sheet 「回答」:
//!
//! - a header block: title, the consultation, the body, the subject and its
//!   version, the closing time, the 意見なし cell and how to fill it in;
//! - the table's header row, then one row per clause: a hidden column A
//!   with the clause key, 条項 (label path), 本文 (read-only, wrapped), then
//!   the input cells 種別 (a list: 質問/意見/誤り), 該当箇所, 意見, 修正案;
//! - a closing row 「以上」, inside the ranges of the validations so that a
//!   row inserted above it keeps them.
//!
//! Column A also marks the rows the reader looks for (`#no_comment`,
//! `#header`, `#end`), so that rows inserted anywhere do not confuse it. A
//! second, hidden sheet 「kaitei」 holds the identity: the format and its
//! version, the consultation id, the body code and the subject's version.
//!
//! Both sheets are protected **without a password** (the protection stops
//! slips, not people: 校閲 > シート保護の解除 lifts it). On 「回答」 only the
//! input cells are unlocked, and rows may be inserted and resized.

use kaitei_model::consultation::{CommentType, ConsultationId, MAX_COMMENT_CHARS, MAX_QUOTE_CHARS};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, DocProperties, Format, FormatAlign, FormatBorder,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use crate::table::allowed_in_xml;

/// The name of the sheet respondents fill in.
pub const ANSWER_SHEET: &str = "回答";
/// The name of the hidden sheet holding the template's identity.
pub const IDENTITY_SHEET: &str = "kaitei";
/// What the identity sheet's `format` cell says.
pub const FORMAT_NAME: &str = "kaitei-consultation-template";
/// The version of the layout; the reader refuses any other.
pub const FORMAT_VERSION: &str = "1";

/// Column A markers of the rows the reader looks for.
pub const MARK_NO_COMMENT: &str = "#no_comment";
/// The marker of the table's header row.
pub const MARK_HEADER: &str = "#header";
/// The marker of the row closing the table.
pub const MARK_END: &str = "#end";

/// The identity sheet's rows: name in column A, value in column B.
pub mod identity {
    /// The format's name ([`super::FORMAT_NAME`]).
    pub const FORMAT: &str = "format";
    /// The format's version ([`super::FORMAT_VERSION`]).
    pub const VERSION: &str = "version";
    /// The consultation's id.
    pub const CONSULTATION: &str = "consultation";
    /// The answering body's code.
    pub const BODY: &str = "body";
    /// The version of the subject the template was made for.
    pub const SUBJECT_VERSION: &str = "subject_version";
}

/// The table's columns: header and width (in characters of `0`; a kanji
/// takes two).
pub const COLUMNS: [(&str, f64); 7] = [
    ("キー", 10.0),
    ("条項", 18.0),
    ("本文", 52.0),
    ("種別", 8.0),
    ("該当箇所", 24.0),
    ("意見", 40.0),
    ("修正案", 36.0),
];

/// The first input column (種別); 該当箇所, 意見 and 修正案 follow it.
const INPUT: u16 = 3;
/// The column of the 意見なし cell (in its row above the table).
pub const NO_COMMENT_COL: u16 = 3;
/// The last column.
const LAST: u16 = 6;

/// The rows of the header block.
const TITLE_ROW: u32 = 0;
const NO_COMMENT_ROW: u32 = 6;
const HOWTO_ROW: u32 = 7;
const HEADER_ROW: u32 = 9;

/// A Japanese font, so kana and kanji do not fall back glyph by glyph.
const FONT: &str = "游ゴシック";
/// The font size of the sheet, in points.
const FONT_SIZE: f64 = 10.0;
/// One line of that font, in points (游ゴシック's lines are tall).
const LINE: f64 = 17.0;

/// Excel's limit on the characters (UTF-16 units) of one cell.
const MAX_CELL_UTF16: usize = 32_767;

/// What a template is made for: the consultation, the body answering, the
/// subject consulted on and its clauses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSpec {
    /// The consultation (`R7-1`).
    pub consultation: ConsultationId,
    /// The consultation's title, as respondents see it.
    pub consultation_title: String,
    /// The document consulted on (「地方公共団体における情報セキュリティポリシーに関するガイドライン」).
    pub subject_name: String,
    /// Its version (「改定案 第12版」): shown, and returned unchanged by the
    /// reader so that an answer to an older version can be refused.
    pub subject_version: String,
    /// When the window closes, as respondents should read it
    /// (「令和7年12月19日（金）17時00分」).
    pub closes: String,
    /// The answering body's code (a 団体コード, or a vendor's id).
    pub body_code: String,
    /// The answering body's name.
    pub body_name: String,
    /// One row per clause, in document order.
    pub rows: Vec<TemplateRow>,
    /// Whether 意見なし is marked already.
    pub no_comment: bool,
}

/// One clause of the subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRow {
    /// The clause's key (written in the hidden column).
    pub key: String,
    /// Its label path (「第1編 / 1. / (1)」).
    pub label_path: String,
    /// Its text, as the reader's `clause_text` will give it.
    pub text: String,
    /// Comments already written on it (an answer in preparation): the first
    /// on the clause's row, the others on rows just below it.
    pub comments: Vec<PrefilledComment>,
}

/// A comment written into the template's input cells, as a respondent
/// would type it: the cells are written as given, unchecked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrefilledComment {
    /// The 種別 cell: 質問, 意見 or 誤り ([`CommentType::japanese`]); any
    /// other text is written as it is.
    pub kind: String,
    /// 該当箇所: the quoted words.
    pub quote: String,
    /// 意見.
    pub text: String,
    /// 修正案.
    pub proposal: String,
}

impl PrefilledComment {
    /// A comment of type `kind`.
    pub fn new(kind: CommentType, quote: &str, text: &str, proposal: &str) -> PrefilledComment {
        PrefilledComment {
            kind: kind.japanese().to_string(),
            quote: quote.to_string(),
            text: text.to_string(),
            proposal: proposal.to_string(),
        }
    }
}

/// Writes the template as an `.xlsx` file's bytes.
pub fn template(spec: &TemplateSpec) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("{} 回答様式", spec.consultation_title))
            .set_subject(format!("{} {}", spec.subject_name, spec.subject_version))
            .set_company(spec.body_name.as_str())
            .set_author("kaitei"),
    );
    let f = Formats::new();
    let sheet = book.add_worksheet();
    sheet.set_name(ANSWER_SHEET)?;
    answer_sheet(sheet, &f, spec)?;
    let hidden = book.add_worksheet();
    hidden.set_name(IDENTITY_SHEET)?;
    identity_sheet(hidden, spec)?;
    book.save_to_buffer()
}

/// The cell formats, made once.
struct Formats {
    title: Format,
    label: Format,
    value: Format,
    howto: Format,
    note: Format,
    header: Format,
    locked: Format,
    clause_text: Format,
    input: Format,
    no_comment: Format,
    end: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(FONT_SIZE)
            .set_align(FormatAlign::Top)
            .set_text_wrap();
        let cell = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xA6A6A6));
        let input_fill = Color::RGB(0xFFF9E0);
        Formats {
            title: base
                .clone()
                .set_font_size(14.0)
                .set_bold()
                .set_align(FormatAlign::VerticalCenter),
            label: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xE7E6E6)),
            value: cell.clone(),
            howto: base.clone().set_align(FormatAlign::VerticalCenter),
            note: cell
                .clone()
                .set_align(FormatAlign::Right)
                .set_align(FormatAlign::VerticalCenter),
            header: cell
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_color(Color::Black),
            locked: cell.clone(),
            clause_text: cell.clone().set_background_color(Color::RGB(0xF2F2F2)),
            input: cell.clone().set_unlocked().set_background_color(input_fill),
            no_comment: cell
                .clone()
                .set_unlocked()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_font_size(14.0)
                .set_background_color(input_fill),
            end: base.set_align(FormatAlign::Right),
        }
    }
}

/// The sheet respondents fill in.
fn answer_sheet(sheet: &mut Worksheet, f: &Formats, spec: &TemplateSpec) -> Result<(), XlsxError> {
    for (col, (_, width)) in (0u16..).zip(COLUMNS) {
        sheet.set_column_width(col, width)?;
    }
    sheet.set_column_hidden(0)?;
    header_block(sheet, f, spec)?;
    for (col, (title, _)) in (0u16..).zip(COLUMNS) {
        sheet.write_string_with_format(HEADER_ROW, col, title, &f.header)?;
    }
    sheet.write_string_with_format(HEADER_ROW, 0, MARK_HEADER, &f.header)?;
    sheet.set_row_height(HEADER_ROW, LINE + 6.0)?;
    let mut r = HEADER_ROW;
    for row in &spec.rows {
        r += 1;
        let first = row.comments.first().cloned().unwrap_or_default();
        sheet.write_string_with_format(r, 0, clean(&row.key), &f.locked)?;
        sheet.write_string_with_format(r, 1, clean(&row.label_path), &f.locked)?;
        sheet.write_string_with_format(r, 2, cell_text(&clean(&row.text)), &f.clause_text)?;
        let lines = input_cells(sheet, f, r, &first)?
            .max(line_count(&row.label_path, 1))
            .max(line_count(&row.text, 2));
        sheet.set_row_height(r, row_height(lines))?;
        for comment in row.comments.iter().skip(1) {
            r += 1;
            for col in 0..INPUT {
                sheet.write_blank(r, col, &f.locked)?;
            }
            let lines = input_cells(sheet, f, r, comment)?;
            sheet.set_row_height(r, row_height(lines))?;
        }
    }
    let end = r + 1;
    sheet.write_string_with_format(end, 0, MARK_END, &f.end)?;
    sheet.merge_range(end, 1, end, LAST, "以上", &f.end)?;
    validations(sheet, HEADER_ROW + 1, end)?;
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.set_selection(HEADER_ROW + 1, INPUT, HEADER_ROW + 1, INPUT)?;
    // Printed on A4 landscape, as wide as the page, the header row on every
    // page; the body's name in the footer with the page number.
    sheet
        .set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_margins(0.4, 0.4, 0.5, 0.5, 0.2, 0.2)
        .set_footer(format!(
            "&L{}&R&P / &N",
            escape_header_footer(&format!("{} {}", spec.body_code, spec.body_name))
        ));
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet.set_print_area(0, 1, end, LAST)?;
    let mut protection = ProtectionOptions::new();
    protection.insert_rows = true;
    protection.format_rows = true;
    protection.format_columns = true;
    sheet.protect_with_options(&protection);
    Ok(())
}

/// The header block: what the template is for and how to fill it in.
fn header_block(sheet: &mut Worksheet, f: &Formats, spec: &TemplateSpec) -> Result<(), XlsxError> {
    sheet.merge_range(
        TITLE_ROW,
        1,
        TITLE_ROW,
        LAST,
        &clean(&format!("意見照会 回答様式　{}", spec.consultation_title)),
        &f.title,
    )?;
    sheet.set_row_height(TITLE_ROW, 28.0)?;
    let info = [
        (
            "照会",
            format!("{}　{}", spec.consultation, spec.consultation_title),
        ),
        (
            "回答団体",
            format!("{}　{}", spec.body_code, spec.body_name),
        ),
        (
            "対象",
            format!("{}　{}", spec.subject_name, spec.subject_version),
        ),
        ("回答期限", spec.closes.clone()),
    ];
    for (r, (label, value)) in (TITLE_ROW + 2..).zip(info) {
        sheet.write_string_with_format(r, 1, label, &f.label)?;
        sheet.merge_range(r, 2, r, LAST, &clean(&value), &f.value)?;
        sheet.set_row_height(r, LINE + 4.0)?;
    }
    // 意見なし: the label, what to do, the cell (as narrow as 種別, below
    // which it stands), then what else to leave alone.
    sheet.write_string(NO_COMMENT_ROW, 0, MARK_NO_COMMENT)?;
    sheet.write_string_with_format(NO_COMMENT_ROW, 1, "意見なし", &f.label)?;
    sheet.write_string_with_format(
        NO_COMMENT_ROW,
        2,
        "意見・質問がない場合は右の欄で「○」を選択 →",
        &f.note,
    )?;
    if spec.no_comment {
        sheet.write_string_with_format(NO_COMMENT_ROW, NO_COMMENT_COL, "○", &f.no_comment)?;
    } else {
        sheet.write_blank(NO_COMMENT_ROW, NO_COMMENT_COL, &f.no_comment)?;
    }
    sheet.merge_range(
        NO_COMMENT_ROW,
        NO_COMMENT_COL + 1,
        NO_COMMENT_ROW,
        LAST,
        "（「○」を選んだ場合は、下の表には何も記入しないでください。）",
        &f.howto,
    )?;
    sheet.set_row_height(NO_COMMENT_ROW, LINE + 10.0)?;
    sheet.add_data_validation(
        NO_COMMENT_ROW,
        NO_COMMENT_COL,
        NO_COMMENT_ROW,
        NO_COMMENT_COL,
        &DataValidation::new()
            .allow_list_strings(&["○"])?
            .set_error_title("意見なし")?
            .set_error_message("「○」を選ぶか、空欄にしてください。")?,
    )?;
    sheet.write_string_with_format(HOWTO_ROW, 1, "記入方法", &f.label)?;
    sheet.merge_range(HOWTO_ROW, 2, HOWTO_ROW, LAST, HOWTO, &f.value)?;
    let lines = HOWTO.split('\n').count();
    sheet.set_row_height(HOWTO_ROW, row_height(lines))?;
    Ok(())
}

/// How to fill the template in, as the header block says it.
const HOWTO: &str = "\
1. 意見・質問がある条項の行に、種別（質問・意見・誤り）を選び、意見と、必要に応じて修正案を記入してください。色の付いたセルだけが入力できます。
2. 該当箇所には、本文中の語句を一字一句そのまま写してください（本文のセルをコピーして「値の貼り付け」をし、不要な部分を消すと確実です）。条項全体についての意見は空欄で構いません。
3. 一つの条項に二つ以上の意見を書くときは、その条項の行のすぐ下に行を挿入し、挿入した行に記入してください（条項・本文の欄は空欄のままで構いません）。
4. 列や見出しの行は変更・削除しないでください。このファイルは回答の読み込みに使われます。意見・修正案は各4,000字、該当箇所は1,000字までです。";

/// The input cells of one row; how many lines the tallest takes.
fn input_cells(
    sheet: &mut Worksheet,
    f: &Formats,
    r: u32,
    c: &PrefilledComment,
) -> Result<usize, XlsxError> {
    let mut lines = 1;
    for (col, text) in (INPUT..).zip([&c.kind, &c.quote, &c.text, &c.proposal]) {
        if text.is_empty() {
            sheet.write_blank(r, col, &f.input)?;
        } else {
            sheet.write_string_with_format(r, col, cell_text(text), &f.input)?;
            lines = lines.max(line_count(text, col));
        }
    }
    Ok(lines)
}

/// The validations of the input columns, over the clause rows and the
/// closing row (so that a row inserted just above it keeps them).
fn validations(sheet: &mut Worksheet, first: u32, end: u32) -> Result<(), XlsxError> {
    let kinds: Vec<&str> = CommentType::ALL.iter().map(|k| k.japanese()).collect();
    sheet.add_data_validation(
        first,
        INPUT,
        end,
        INPUT,
        &DataValidation::new()
            .allow_list_strings(&kinds)?
            .set_error_title("種別")?
            .set_error_message("種別は「質問」「意見」「誤り」から選んでください。")?,
    )?;
    let limits = [
        (INPUT + 1, "該当箇所", MAX_QUOTE_CHARS),
        (INPUT + 2, "意見", MAX_COMMENT_CHARS),
        (INPUT + 3, "修正案", MAX_COMMENT_CHARS),
    ];
    for (col, name, max) in limits {
        let max = u32::try_from(max).unwrap_or(u32::MAX);
        sheet.add_data_validation(
            first,
            col,
            end,
            col,
            &DataValidation::new()
                .allow_text_length(DataValidationRule::LessThanOrEqualTo(max))
                .set_error_title(name)?
                .set_error_message(format!("{name}は{max}字までです。"))?,
        )?;
    }
    Ok(())
}

/// The hidden sheet with the template's identity.
fn identity_sheet(sheet: &mut Worksheet, spec: &TemplateSpec) -> Result<(), XlsxError> {
    let rows = [
        (identity::FORMAT, FORMAT_NAME),
        (identity::VERSION, FORMAT_VERSION),
        (identity::CONSULTATION, spec.consultation.as_str()),
        (identity::BODY, spec.body_code.as_str()),
        (identity::SUBJECT_VERSION, spec.subject_version.as_str()),
    ];
    for (r, (name, value)) in (0u32..).zip(rows) {
        sheet.write_string(r, 0, name)?;
        sheet.write_string(r, 1, clean(value))?;
    }
    sheet.write_string(
        rows.len() as u32 + 1,
        0,
        "このシートは回答の読み込みに使います。変更しないでください。",
    )?;
    sheet.set_column_width(0, 18.0)?.set_column_width(1, 40.0)?;
    sheet.set_hidden(true);
    sheet.protect();
    Ok(())
}

/// Text without the characters XML cannot carry.
fn clean(s: &str) -> String {
    s.chars().filter(|&c| allowed_in_xml(c)).collect()
}

/// Text as a cell can hold it: within Excel's limit on one cell, cut with
/// a mark when longer (the reader checks against the full text anyway).
fn cell_text(s: &str) -> String {
    let mut units = 0;
    let mut out = String::new();
    for c in s.chars() {
        units += c.len_utf16();
        if units > MAX_CELL_UTF16 - 8 {
            out.push_str("…（以下略）");
            break;
        }
        out.push(c);
    }
    out
}

/// Escapes `&` for a print header or footer.
fn escape_header_footer(s: &str) -> String {
    clean(s).replace('&', "&&")
}

/// Neither Excel nor LibreOffice sizes a row to its wrapped text when it
/// opens a file, so the height is estimated: how many lines the text takes
/// in column `col`, counting characters beyond U+07FF as two widths of `0`
/// and everything else as one.
fn line_count(text: &str, col: u16) -> usize {
    let width = COLUMNS.get(usize::from(col)).map_or(10.0, |c| c.1);
    // The columns' widths are for the default 11 pt font; this one is
    // smaller, so a little more fits. Less a character for the padding.
    let per_line = ((width * 11.0 / FONT_SIZE - 1.5).max(1.0)) as usize;
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

/// A row's height in points for `lines` lines (at least two, so there is
/// room to type), within Excel's limit of 409 points.
fn row_height(lines: usize) -> f64 {
    (lines.max(2) as f64 * LINE + 4.0).min(409.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_count_counts_wide_characters_twice() {
        assert_eq!(line_count("", 2), 1);
        assert_eq!(line_count("a\nb", 2), 2);
        let per_line = (52.0_f64 * 11.0 / FONT_SIZE - 1.5) as usize;
        assert_eq!(line_count(&"あ".repeat(per_line / 2), 2), 1);
        assert_eq!(line_count(&"あ".repeat(per_line / 2 + 1), 2), 2);
    }

    #[test]
    fn long_text_is_cut_within_a_cell() {
        let long = "あ".repeat(40_000);
        let cut = cell_text(&long);
        assert!(cut.encode_utf16().count() <= MAX_CELL_UTF16);
        assert!(cut.ends_with("（以下略）"));
        assert_eq!(cell_text("短い"), "短い");
    }

    #[test]
    fn footer_ampersands_are_escaped() {
        assert_eq!(escape_header_footer("A&B\u{1}"), "A&&B");
    }
}
