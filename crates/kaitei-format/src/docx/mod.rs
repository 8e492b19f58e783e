//! Word (`.docx`) documents → the same model as the authoring format.
//!
//! Title and heading styles (English or Japanese names, or an outline
//! level) give the title and heading levels; other paragraphs are read as in
//! the authoring format, with the label taken from the text or from the
//! label Word's automatic numbering renders (`numbering.xml`). Quote styles
//! and paragraphs beginning `（解説）` or `【解説】` are commentary.
//!
//! Hostile files are refused by limits on the file size, the number of zip
//! entries and the bytes each part actually unpacks to (read with a cap,
//! never trusting the sizes the archive claims).

mod numbering;
mod paragraphs;
mod styles;
mod xml;

use std::io::{Cursor, Read};

use kaitei_model::DocumentKind;
use kaitei_model::text::{ControlError, check_controls};
use quick_xml::events::Event;
use serde_yaml_ng::{Mapping, Value};

use crate::block::{Block, Line};
use crate::diagnostic::Diagnostic;
use crate::front_matter;
use crate::regulation;
use crate::structure::{Parsed, build};
use numbering::Numbering;
use paragraphs::{Cell, paragraph_count, paragraphs};
use styles::{Role, Styles};

pub use numbering::format_number;

/// The largest `.docx` file kaitei reads (policies are a few hundred KB).
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;
/// The most zip entries a `.docx` may hold.
pub const MAX_ENTRIES: usize = 5_000;
/// The most bytes one part may unpack to.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// The most cells of a table row kaitei reads (more are dropped): a real
/// row has a handful, and a hostile `w:tc` run must not make huge rows.
pub const MAX_CELLS: usize = 64;
/// The most bytes all parts read may unpack to together.
pub const MAX_TOTAL_BYTES: u64 = 128 * 1024 * 1024;

/// Why a `.docx` could not be read at all.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DocxError {
    /// Over [`MAX_FILE_BYTES`].
    #[error(
        "the file is {size} bytes, over the {limit}-byte limit for a Word document; is it really a policy?"
    )]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// An OLE compound file: a password-protected `.docx` or an old `.doc`.
    #[error(
        "the file is encrypted (password-protected) or an old binary .doc: remove the password, or save it as .docx, in Word"
    )]
    Encrypted,
    /// Not a zip archive at all.
    #[error("not a Word .docx file (it is not a zip archive)")]
    NotZip,
    /// A zip that cannot be read: truncated, corrupt, CRC errors.
    #[error("the .docx file is damaged ({0}); open it in Word and save it again")]
    Damaged(String),
    /// Too many entries.
    #[error(
        "the .docx file holds {0} parts, over the limit of {MAX_ENTRIES}: refused as a possible zip bomb"
    )]
    TooManyEntries(usize),
    /// A part unpacks to more than the limit.
    #[error(
        "the .docx part {part} unpacks to more than {limit} bytes: refused (a damaged file, or a possible zip bomb); open it in Word and save it again"
    )]
    Bomb {
        /// The part's name.
        part: String,
        /// The limit that was hit.
        limit: u64,
    },
    /// A zip without `word/document.xml`.
    #[error("not a Word document: the file has no word/document.xml")]
    NoDocument,
    /// A part that is not well-formed XML.
    #[error("the .docx part {part} is damaged: malformed XML at byte {position} ({message})")]
    Xml {
        /// The part's name.
        part: String,
        /// Where.
        position: u64,
        /// What quick-xml said.
        message: String,
    },
}

/// The options of the Word reader: those of every reader of files that
/// cannot carry front matter.
pub type DocxOptions = crate::options::ReadOptions;

struct Archive {
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    total: u64,
}

impl Archive {
    fn open(bytes: Vec<u8>) -> Result<Archive, DocxError> {
        let size = bytes.len() as u64;
        if size > MAX_FILE_BYTES {
            return Err(DocxError::TooLarge {
                size,
                limit: MAX_FILE_BYTES,
            });
        }
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Err(DocxError::Encrypted);
        }
        if !bytes.starts_with(b"PK") {
            return Err(DocxError::NotZip);
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| DocxError::Damaged(e.to_string()))?;
        if zip.len() > MAX_ENTRIES {
            return Err(DocxError::TooManyEntries(zip.len()));
        }
        Ok(Archive { zip, total: 0 })
    }

    /// Reads a part as text; `None` when the archive has no such part.
    fn part(&mut self, name: &str) -> Result<Option<String>, DocxError> {
        let mut file = match self.zip.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("assword") => {
                return Err(DocxError::Encrypted);
            }
            Err(e) => return Err(DocxError::Damaged(format!("{name}: {e}"))),
        };
        let limit = MAX_PART_BYTES.min(MAX_TOTAL_BYTES - self.total);
        if file.size() > limit {
            return Err(DocxError::Bomb {
                part: name.to_string(),
                limit,
            });
        }
        let mut buf = Vec::new();
        (&mut file)
            .take(limit + 1)
            .read_to_end(&mut buf)
            .map_err(|e| DocxError::Damaged(format!("{name}: {e}")))?;
        if buf.len() as u64 > limit {
            return Err(DocxError::Bomb {
                part: name.to_string(),
                limit,
            });
        }
        self.total += buf.len() as u64;
        String::from_utf8(buf)
            .map(Some)
            .map_err(|_| DocxError::Damaged(format!("{name} is not UTF-8 text")))
    }
}

fn xml_error(part: &str) -> impl Fn(xml::XmlError) -> DocxError + '_ {
    move |e| DocxError::Xml {
        part: part.to_string(),
        position: e.position,
        message: e.message,
    }
}

/// Document properties: (name, value) from core.xml and custom.xml.
fn properties(
    core: Option<&str>,
    custom: Option<&str>,
) -> Result<Vec<(String, String)>, DocxError> {
    let mut props = Vec::new();
    if let Some(core) = core {
        let mut field: Option<&'static str> = None;
        xml::events(core, |event| match event {
            Event::Start(e) => {
                field = match e.name().as_ref() {
                    b"dc:title" => Some("core:title"),
                    b"dc:subject" => Some("core:subject"),
                    b"cp:keywords" => Some("core:keywords"),
                    _ => None,
                }
            }
            Event::Text(t) => {
                if let Some(f) = field {
                    props.push((f.to_string(), xml::text(&t)));
                }
            }
            Event::End(_) => field = None,
            _ => {}
        })
        .map_err(xml_error("docProps/core.xml"))?;
    }
    if let Some(custom) = custom {
        let mut name: Option<String> = None;
        xml::events(custom, |event| match event {
            Event::Start(e) if e.name().as_ref() == b"property" => name = xml::attr(&e, b"name"),
            Event::Text(t) => {
                if let Some(n) = &name {
                    props.push((n.clone(), xml::text(&t)));
                }
            }
            Event::End(e) if e.name().as_ref() == b"property" => name = None,
            _ => {}
        })
        .map_err(xml_error("docProps/custom.xml"))?;
    }
    Ok(props)
}

/// The value of front-matter field `field` among document properties: a
/// custom property named `field` or `kaitei-field` (case and `-`/`_`
/// ignored), or a `field: value` pair in the keywords.
fn property(props: &[(String, String)], field: &str) -> Option<String> {
    let norm = |s: &str| s.trim().to_lowercase().replace('-', "_");
    let want = norm(field);
    let named = props.iter().find(|(n, _)| {
        let n = norm(n);
        n == want
            || n.strip_prefix("kaitei_")
                .or_else(|| n.strip_prefix("kaitei:"))
                == Some(want.as_str())
    });
    if let Some((_, v)) = named {
        return Some(v.trim().to_string()).filter(|v| !v.is_empty());
    }
    let keywords = props.iter().find(|(n, _)| n == "core:keywords")?;
    keywords
        .1
        .split([';', ',', '\n', '；', '、'])
        .filter_map(|pair| pair.split_once([':', '=', '：']))
        .find(|(k, _)| norm(k) == want)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// Reads a `.docx` file's bytes.
pub fn read(bytes: Vec<u8>, options: &DocxOptions) -> Result<Parsed, DocxError> {
    let mut archive = Archive::open(bytes)?;
    let document = archive
        .part("word/document.xml")?
        .ok_or(DocxError::NoDocument)?;
    let styles = match archive.part("word/styles.xml")? {
        Some(s) => Styles::parse(&s).map_err(xml_error("word/styles.xml"))?,
        None => Styles::default(),
    };
    let mut numbering = match archive.part("word/numbering.xml")? {
        Some(s) => Numbering::parse(&s).map_err(xml_error("word/numbering.xml"))?,
        None => Numbering::default(),
    };
    let core = archive.part("docProps/core.xml")?;
    let custom = archive.part("docProps/custom.xml")?;
    let props = properties(core.as_deref(), custom.as_deref())?;
    // Counted on the text, before any paragraph is built: see `MAX_LINES`.
    if paragraph_count(&document) > crate::MAX_LINES {
        return Ok(Parsed::refused(
            kaitei_model::Metadata::new(DocumentKind::Policy, "", ""),
            Diagnostic::error(crate::MAX_LINES + 1, crate::too_many_lines("paragraphs")),
        ));
    }
    let paragraphs = paragraphs(&document).map_err(xml_error("word/document.xml"))?;

    let mut title: Option<String> = None;
    let mut blocks = Vec::new();
    // The table row being read: its first paragraph's number, header flag
    // and cells.
    let mut row: Option<(usize, Cell, Vec<String>)> = None;
    let mut controls = Controls::default();
    for (i, p) in paragraphs.into_iter().enumerate() {
        let number = i + 1;
        if row
            .as_ref()
            .is_some_and(|(_, c, _)| p.cell.is_none_or(|pc| pc.row != c.row))
            && let Some((line, cell, cells)) = row.take()
        {
            blocks.push(Block::Row {
                line,
                cells,
                header: cell.header,
            });
        }
        // Trimmed like the text: a level text of white space (`w:lvlText
        // w:val=" "`) is no label, and one with white space around it would
        // not be read as a label, and then print differently.
        let label = p
            .num_id
            .as_deref()
            .and_then(|id| numbering.next_label(id, p.ilvl))
            .map(|l| l.trim_matches(|c: char| c.is_whitespace()).to_string())
            .filter(|l| !l.is_empty());
        // The label comes from the numbering part's level text, which may
        // hold control characters as the text may (found by fuzzing).
        if let Some(l) = &label {
            controls.check(number, l);
        }
        controls.check(number, &p.text);
        let text = p.text.trim_matches(|c: char| c.is_whitespace()).to_string();
        if text.is_empty() && label.is_none() {
            continue;
        }
        let labelled = match &label {
            Some(l) if text.is_empty() => l.clone(),
            Some(l) => format!("{l}\u{3000}{text}"),
            None => text.clone(),
        };
        // A paragraph in a table is text of its cell; the row is one block.
        if let Some(cell) = p.cell {
            let (_, _, cells) = row.get_or_insert_with(|| (number, cell, Vec::new()));
            if cells.len() <= cell.column && cell.column < MAX_CELLS {
                cells.resize(cell.column + 1, String::new());
            }
            if let Some(c) = cells.get_mut(cell.column) {
                c.push_str(&labelled);
            }
            continue;
        }
        match styles.role(p.style.as_deref(), p.outline) {
            Role::Title => {
                if title.is_none() {
                    title = Some(text);
                }
            }
            Role::Heading(level) => blocks.push(Block::Heading {
                line: number,
                level,
                text: labelled.into(),
            }),
            Role::Quote => blocks.push(Block::Quote {
                line: number,
                paragraphs: vec![text],
            }),
            Role::Body => {
                let commentary = ["（解説）", "【解説】"]
                    .iter()
                    .find_map(|m| text.strip_prefix(m));
                match commentary {
                    Some(c) => blocks.push(Block::Quote {
                        line: number,
                        paragraphs: vec![c.trim_matches(|c: char| c.is_whitespace()).to_string()]
                            .into_iter()
                            .filter(|s| !s.is_empty())
                            .collect(),
                    }),
                    None => blocks.push(Block::Text {
                        lines: vec![Line {
                            number,
                            text: labelled.into(),
                        }],
                        escaped: false,
                    }),
                }
            }
        }
    }

    if let Some((line, cell, cells)) = row.take() {
        blocks.push(Block::Row {
            line,
            cells,
            header: cell.header,
        });
    }

    let mut diags = Vec::new();
    let enactment = regulation::take(&mut blocks);
    let preamble_body = if property(&props, "body").is_none() && options.body.is_none() {
        enactment.body(&mut diags)
    } else {
        None
    };
    let mut map = Mapping::new();
    let mut set = |field: &str, value: Option<String>| {
        if let Some(v) = value {
            map.insert(Value::String(field.into()), Value::String(v));
        }
    };
    set(
        "title",
        title
            .or_else(|| enactment.title.as_ref().map(|(_, t)| t.clone()))
            .or_else(|| property(&props, "core:title"))
            .or_else(|| Some(options.stem.clone())),
    );
    set(
        "kind",
        property(&props, "kind")
            .or_else(|| options.kind.map(|k| k.as_str().to_string()))
            .or_else(|| Some(DocumentKind::Policy.as_str().into())),
    );
    set(
        "edition",
        property(&props, "edition")
            .or_else(|| property(&props, "core:subject"))
            .or_else(|| options.edition.clone())
            .or_else(|| enactment.version())
            .or_else(|| Some(options.stem.clone())),
    );
    set(
        "body",
        property(&props, "body")
            .or_else(|| options.body.clone())
            .or(preamble_body),
    );
    set(
        "derived_from",
        property(&props, "derived_from").or_else(|| options.derived_from.clone()),
    );
    set("published", property(&props, "published"));
    set("number", property(&props, "number"));
    enactment.fill(&mut map);
    for (field, value) in &map {
        if let (Some(field), Some(value)) = (field.as_str(), value.as_str()) {
            controls.check_property(field, value);
        }
    }
    let (meta, more) = front_matter::read_fields(&map, &|_| 0, 0, false);
    diags.extend(more);
    diags.extend(controls.diagnostic());
    Ok(build(meta, blocks, diags))
}

/// Control characters in a Word file's text (`check_controls`, the check
/// the authoring format and the web forms apply too): the first is named
/// by paragraph and column and the others counted, so a file full of them
/// makes one diagnostic, not one per paragraph.
#[derive(Default)]
struct Controls {
    /// The paragraph (0: a document property, named) and the first one.
    first: Option<(usize, Option<String>, ControlError)>,
    count: usize,
}

impl Controls {
    /// Checks the text of paragraph `number` as Word shows it (its breaks
    /// and tabs already read as spaces; columns count from its start).
    fn check(&mut self, number: usize, text: &str) {
        if let Err(e) = check_controls(text) {
            self.count += e.count;
            self.first.get_or_insert((number, None, e));
        }
    }

    /// Checks a document property that becomes front-matter field `field`.
    fn check_property(&mut self, field: &str, value: &str) {
        if let Err(e) = check_controls(value) {
            self.count += e.count;
            self.first.get_or_insert((0, Some(field.to_string()), e));
        }
    }

    fn diagnostic(self) -> Option<Diagnostic> {
        let (number, field, mut e) = self.first?;
        e.count = self.count;
        Some(Diagnostic::error(
            number,
            match field {
                Some(f) => format!(
                    "the document property giving `{f}:` holds a {}",
                    e.message()
                ),
                None => e.message(),
            },
        ))
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod mutation_tests;
