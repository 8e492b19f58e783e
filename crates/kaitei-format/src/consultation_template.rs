//! Reads a filled consultation answer template (意見照会 回答様式, written by
//! `kaitei_report::consultation_template`): the identity it carries and
//! the comments typed into it, each checked against its clause.
//!
//! All or nothing: a file with any invalid row gives every row's error
//! (sorted by row) and no comment, so that the caller stores nothing.
//! Bytes in, values out; no I/O.
//!
//! The names below are the writer's; the round-trip tests of
//! `kaitei-report` keep the two in step.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{Cursor, Read, Seek};

use calamine::{DataRef, Reader, Xlsx};
use kaitei_model::consultation::{CommentInput, CommentType, check_comment};

pub use kaitei_model::consultation::Comment;

/// The name of the sheet respondents fill in.
const ANSWER_SHEET: &str = "回答";
/// The name of the hidden sheet holding the template's identity.
const IDENTITY_SHEET: &str = "kaitei";
/// What the identity sheet's `format` cell says.
const FORMAT_NAME: &str = "kaitei-consultation-template";
/// The only version of the layout this reader knows.
pub const FORMAT_VERSION: &str = "1";

/// Column A markers of the rows the reader looks for.
const MARK_NO_COMMENT: &str = "#no_comment";
const MARK_HEADER: &str = "#header";
const MARK_END: &str = "#end";

/// The answer sheet's columns: the hidden key, then 条項 and 本文, then the
/// input cells 種別, 該当箇所, 意見 and 修正案.
const COLUMNS: usize = 7;
const KEY: usize = 0;
const INPUT: usize = 3;
/// The 意見なし cell's column (D, below 種別; its label is in column B).
const NO_COMMENT_COL: usize = 3;

/// The largest file read, in bytes.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
/// The most parts a file may hold.
pub const MAX_ENTRIES: usize = 1_000;
/// The most bytes a file's parts may unpack to, together.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// What a filled template says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilledTemplate {
    /// The consultation's id, as the template names it.
    pub consultation: String,
    /// The answering body's code.
    pub body: String,
    /// The version of the subject the template was made for, unchanged.
    pub subject_version: String,
    /// Whether 意見なし is marked (then `comments` is empty).
    pub no_comment: bool,
    /// The comments, in sheet order, each with its 1-based sheet row.
    /// Empty, with `no_comment` false, when nothing was filled in.
    pub comments: Vec<(usize, Comment)>,
}

/// Why a template is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateErrors {
    /// The file as a whole cannot be read as a template.
    File(FileError),
    /// Rows with errors, sorted by row: every one there is.
    Rows(Vec<RowError>),
}

impl fmt::Display for TemplateErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateErrors::File(e) => fmt::Display::fmt(e, f),
            TemplateErrors::Rows(rows) => {
                for (i, row) in rows.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    fmt::Display::fmt(row, f)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for TemplateErrors {}

/// Why a file cannot be read as a template at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// Over [`MAX_FILE_BYTES`], or its parts unpack to too much.
    #[error("the file is too large for an answer template ({0}); refused as a possible zip bomb")]
    TooLarge(String),
    /// Not an `.xlsx` workbook.
    #[error("not an Excel workbook (.xlsx): {0}; save the template as .xlsx and try again")]
    NotXlsx(String),
    /// A workbook, but not a kaitei answer template.
    #[error("not a kaitei answer template: {0}; fill in the template you were sent")]
    NotTemplate(String),
    /// The identity sheet lacks a value.
    #[error("the template does not say its {0}; fill in the template you were sent")]
    MissingIdentity(&'static str),
    /// A version of the layout this reader does not know.
    #[error(
        "the template's format version is {0:?}, which this kaitei does not read \
         (it reads {FORMAT_VERSION}); download a new template"
    )]
    UnknownVersion(String),
}

/// One invalid row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The 1-based row number, as Excel shows it.
    pub row: usize,
    /// The field: `種別`, `該当箇所`, `意見`, `修正案`, `条項` or `意見なし`.
    pub field: &'static str,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}: {}: {}", self.row, self.field, self.message)
    }
}

/// Reads a filled template. `clause_text` gives the text of the clause a
/// key names in the version consulted on (`None`: no such clause); each
/// comment's 該当箇所 must be found in it.
///
/// Which consultation, body and version the template is for is returned,
/// not checked: the caller compares them with what it expects.
pub fn read_template(
    bytes: &[u8],
    clause_text: impl Fn(&str) -> Option<String>,
) -> Result<FilledTemplate, TemplateErrors> {
    let sheets = read_sheets(bytes).map_err(TemplateErrors::File)?;
    let identity = Identity::of(&sheets.identity).map_err(TemplateErrors::File)?;
    let layout = Layout::of(&sheets.answer).map_err(TemplateErrors::File)?;
    let mut errors = Vec::new();
    let mut comments = Vec::new();
    let mut clause: Option<&str> = None;
    let mut filled_rows = Vec::new();
    for (&r, cells) in sheets.answer.range(layout.header + 1..) {
        let row = r as usize + 1;
        let inputs = &cells[INPUT..];
        let empty = inputs.iter().all(|c| c.trim().is_empty());
        if layout.end.is_some_and(|end| r >= end) {
            if !empty {
                errors.push(RowError {
                    row,
                    field: "条項",
                    message: "this row is below the end of the table (以上); \
                              write comments in the rows of their clauses"
                        .to_string(),
                });
            }
            continue;
        }
        let key = cells[KEY].trim();
        if !key.is_empty() {
            clause = Some(key);
        }
        if empty {
            continue;
        }
        filled_rows.push(row);
        let Some(key) = clause else {
            errors.push(RowError {
                row,
                field: "条項",
                message: "this row is above the first clause; write comments in the row of \
                          their clause, or in a row inserted just below it"
                    .to_string(),
            });
            continue;
        };
        match read_row(key, inputs, &clause_text) {
            Ok(comment) => comments.push((row, comment)),
            Err(mut row_errors) => {
                errors.extend(row_errors.drain(..).map(|(field, message)| RowError {
                    row,
                    field,
                    message,
                }))
            }
        }
    }
    let no_comment_row = layout.no_comment as usize + 1;
    let mark = sheets
        .answer
        .get(&layout.no_comment)
        .map_or("", |c| c[NO_COMMENT_COL].trim());
    let no_comment = match mark {
        "" => false,
        "○" | "〇" | "◯" => true,
        other => {
            errors.push(RowError {
                row: no_comment_row,
                field: "意見なし",
                message: format!("{other:?} is not a mark; choose ○ or leave the cell empty"),
            });
            false
        }
    };
    if no_comment && !filled_rows.is_empty() {
        let rows: Vec<String> = filled_rows.iter().map(|r| r.to_string()).collect();
        errors.push(RowError {
            row: no_comment_row,
            field: "意見なし",
            message: format!(
                "意見なし is marked, but row{} {} hold{} comments; clear the mark or the comments",
                if rows.len() == 1 { "" } else { "s" },
                rows.join(", "),
                if rows.len() == 1 { "s" } else { "" },
            ),
        });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(TemplateErrors::Rows(errors));
    }
    Ok(FilledTemplate {
        consultation: identity.consultation,
        body: identity.body,
        subject_version: identity.subject_version,
        no_comment,
        comments,
    })
}

/// One filled row's comment, or its errors (field, message): the type's
/// and the first of the rest.
fn read_row(
    key: &str,
    inputs: &[String],
    clause_text: &impl Fn(&str) -> Option<String>,
) -> Result<Comment, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let kind_cell = inputs[0].trim();
    let kind = if kind_cell.is_empty() {
        errors.push((
            "種別",
            "the type is empty: choose 質問, 意見 or 誤り".to_string(),
        ));
        CommentType::Opinion
    } else if let Some(kind) = CommentType::parse(kind_cell) {
        kind
    } else {
        errors.push((
            "種別",
            format!("{kind_cell:?} is not a type: choose 質問, 意見 or 誤り"),
        ));
        CommentType::Opinion
    };
    let input = CommentInput {
        clause: key.to_string(),
        quote: inputs[1].clone(),
        kind,
        text: inputs[2].clone(),
        proposal: inputs[3].clone(),
    };
    match check_comment(&input, clause_text(key).as_deref()) {
        Ok(comment) if errors.is_empty() => Ok(comment),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.push((e.field, e.message));
            Err(errors)
        }
    }
}

/// The identity the hidden sheet holds.
/// Whom and what a template was made for, as it names them (values as
/// written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The consultation's id.
    pub consultation: String,
    /// The respondent's key (a body code, or `vendor:` and a name).
    pub body: String,
    /// The subject's version.
    pub subject_version: String,
}

/// Reads only a template's identity: to know which consultation's subject
/// to check its rows against before [`read_template`].
pub fn read_identity(bytes: &[u8]) -> Result<Identity, FileError> {
    let sheets = read_sheets(bytes)?;
    Identity::of(&sheets.identity)
}

impl Identity {
    fn of(sheet: &Grid) -> Result<Identity, FileError> {
        // The values are returned as written: a version is an opaque token.
        let values: BTreeMap<&str, &str> = sheet
            .values()
            .map(|c| (c[0].trim(), c[1].as_str()))
            .collect();
        let get = |name: &'static str| -> Result<String, FileError> {
            match values.get(name) {
                Some(v) if !v.trim().is_empty() => Ok(v.to_string()),
                _ => Err(FileError::MissingIdentity(name)),
            }
        };
        if values.get("format").map(|v| v.trim()) != Some(FORMAT_NAME) {
            return Err(FileError::NotTemplate(format!(
                "its sheet {IDENTITY_SHEET:?} does not name the format"
            )));
        }
        let version = get("version")?.trim().to_string();
        if version != FORMAT_VERSION {
            return Err(FileError::UnknownVersion(version));
        }
        Ok(Identity {
            consultation: get("consultation")?,
            body: get("body")?,
            subject_version: get("subject_version")?,
        })
    }
}

/// Where the marked rows of the answer sheet are (0-based).
struct Layout {
    no_comment: u32,
    header: u32,
    end: Option<u32>,
}

impl Layout {
    fn of(sheet: &Grid) -> Result<Layout, FileError> {
        let find = |mark: &str| {
            sheet
                .iter()
                .find(|(_, c)| c[KEY].trim() == mark)
                .map(|(&r, _)| r)
        };
        let missing = |what: &str| {
            FileError::NotTemplate(format!(
                "its sheet {ANSWER_SHEET:?} has no {what} (were rows deleted?)"
            ))
        };
        let header = find(MARK_HEADER).ok_or_else(|| missing("header row"))?;
        let no_comment = find(MARK_NO_COMMENT).ok_or_else(|| missing("意見なし cell"))?;
        let end = sheet
            .range(header + 1..)
            .find(|(_, c)| c[KEY].trim() == MARK_END)
            .map(|(&r, _)| r);
        Ok(Layout {
            no_comment,
            header,
            end,
        })
    }
}

/// A sheet's text by 0-based row: the first [`COLUMNS`] cells, as text.
type Grid = BTreeMap<u32, Vec<String>>;

/// The two sheets a template has.
struct Sheets {
    answer: Grid,
    identity: Grid,
}

/// Opens the workbook (within the limits) and reads the two sheets.
fn read_sheets(bytes: &[u8]) -> Result<Sheets, FileError> {
    check_zip(bytes)?;
    // The workbook is parsed by a third-party crate: should it panic on some
    // damaged file, the file is refused rather than the process stopped.
    std::panic::catch_unwind(|| read_workbook(bytes)).unwrap_or_else(|_| {
        Err(FileError::NotXlsx(
            "the workbook could not be read (a damaged file?)".to_string(),
        ))
    })
}

fn read_workbook(bytes: &[u8]) -> Result<Sheets, FileError> {
    let not_xlsx = |e: calamine::XlsxError| FileError::NotXlsx(e.to_string());
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(not_xlsx)?;
    let names = book.sheet_names();
    for name in [ANSWER_SHEET, IDENTITY_SHEET] {
        if !names.iter().any(|n| n == name) {
            return Err(FileError::NotTemplate(format!("it has no sheet {name:?}")));
        }
    }
    Ok(Sheets {
        answer: grid(&mut book, ANSWER_SHEET).map_err(not_xlsx)?,
        identity: grid(&mut book, IDENTITY_SHEET).map_err(not_xlsx)?,
    })
}

/// The cells of the first [`COLUMNS`] columns of a sheet, as text. Cells
/// are read one at a time, so a cell far away costs nothing.
fn grid<RS: Read + Seek>(book: &mut Xlsx<RS>, name: &str) -> Result<Grid, calamine::XlsxError> {
    let mut out = Grid::new();
    let mut cells = book.worksheet_cells_reader(name)?;
    while let Some(cell) = cells.next_cell()? {
        let (r, c) = cell.get_position();
        let c = c as usize;
        if c >= COLUMNS {
            continue;
        }
        let text = text_of(cell.get_value());
        if text.is_empty() {
            continue;
        }
        out.entry(r).or_insert_with(|| vec![String::new(); COLUMNS])[c] = text;
    }
    Ok(out)
}

/// A cell's value as the text a person typed.
fn text_of(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => float_text(d.as_f64()),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// A number as Excel shows it by default: `1`, not `1.0`.
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Refuses what is not a zip, or one too large once unpacked, before the
/// workbook reader unpacks anything.
fn check_zip(bytes: &[u8]) -> Result<(), FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge(format!(
            "{} bytes, over the limit of {MAX_FILE_BYTES}",
            bytes.len()
        )));
    }
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        FileError::NotXlsx(format!("it is not a zip archive ({e}); an old .xls file?"))
    })?;
    if zip.len() > MAX_ENTRIES {
        return Err(FileError::TooLarge(format!(
            "{} parts, over the limit of {MAX_ENTRIES}",
            zip.len()
        )));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let size = zip
            .by_index_raw(i)
            .map_err(|e| FileError::NotXlsx(format!("a damaged zip archive ({e})")))?
            .size();
        total = total.saturating_add(size);
        if total > MAX_UNPACKED_BYTES {
            return Err(FileError::TooLarge(format!(
                "its parts unpack to more than {MAX_UNPACKED_BYTES} bytes"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(float_text(1.0), "1");
        assert_eq!(float_text(-12.0), "-12");
        assert_eq!(float_text(1.5), "1.5");
    }

    #[test]
    fn not_a_zip_is_not_xlsx() {
        for bytes in [&b""[..], b"PK", b"hello", &[0xd0, 0xcf, 0x11, 0xe0]] {
            match read_template(bytes, |_| None) {
                Err(TemplateErrors::File(FileError::NotXlsx(_))) => {}
                other => panic!("{bytes:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn too_large_is_refused_before_unpacking() {
        let bytes = vec![0u8; MAX_FILE_BYTES + 1];
        assert!(matches!(
            read_template(&bytes, |_| None),
            Err(TemplateErrors::File(FileError::TooLarge(_)))
        ));
    }
}
