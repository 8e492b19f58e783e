//! The paragraphs of `word/document.xml` as Word shows them, and where each
//! sits in a table.

use quick_xml::events::Event;

use super::xml;

/// Where a paragraph sits in a (top-level) table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    /// Which row of the document's tables (counted from 1 over the whole
    /// document).
    pub row: usize,
    /// Which cell of the row (from 0).
    pub column: usize,
    /// Whether the row is a header row (`w:tblHeader`).
    pub header: bool,
}

/// A paragraph of `document.xml` as Word shows it.
#[derive(Debug, Default)]
pub struct WordParagraph {
    /// Its paragraph style id.
    pub style: Option<String>,
    /// Its own outline level.
    pub outline: Option<u8>,
    /// Its list, when numbered.
    pub num_id: Option<String>,
    /// Its list level.
    pub ilvl: usize,
    /// Its text.
    pub text: String,
    /// The table cell it is in; paragraphs of nested tables belong to the
    /// outer cell.
    pub cell: Option<Cell>,
}

/// How many `<w:p>` elements `document.xml` holds (`<w:pPr>` and the like
/// are not paragraphs). Tags inside comments or CDATA count too, which
/// only errs towards refusing a file that is already at the limit.
pub fn paragraph_count(xml: &str) -> usize {
    xml.match_indices("<w:p")
        .filter(|(at, _)| {
            xml.as_bytes()
                .get(at + 4)
                .is_some_and(|b| matches!(b, b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r'))
        })
        .count()
}

/// Reads the paragraphs of `document.xml` in order.
pub fn paragraphs(xml_text: &str) -> Result<Vec<WordParagraph>, xml::XmlError> {
    let mut out = Vec::new();
    let mut current: Option<WordParagraph> = None;
    let mut in_text = false;
    // Inside <w:del> (tracked deletions) and <w:pPrChange> (old formatting)
    // nothing counts.
    let mut skip_depth = 0usize;
    // Tables: how deep, and the cell of the outermost table we are in.
    let mut table_depth = 0usize;
    let mut rows = 0usize;
    let mut cell: Option<Cell> = None;
    let mut row_header = false;
    xml::events(xml_text, |event| match event {
        Event::Start(e) => match e.name().as_ref() {
            b"w:p" => {
                current = Some(WordParagraph {
                    cell,
                    ..WordParagraph::default()
                })
            }
            b"w:t" => in_text = true,
            b"w:del" | b"w:pPrChange" | b"w:rPrChange" | b"w:instrText" => skip_depth += 1,
            b"w:tbl" => table_depth += 1,
            b"w:tr" if table_depth == 1 => {
                rows += 1;
                cell = None;
                row_header = false;
            }
            b"w:tc" if table_depth == 1 => {
                cell = Some(Cell {
                    row: rows,
                    column: cell.map_or(0, |c| c.column.saturating_add(1)),
                    header: row_header,
                });
            }
            _ => {}
        },
        Event::Empty(e) => {
            if e.name().as_ref() == b"w:tblHeader" && table_depth == 1 && skip_depth == 0 {
                // In the row's properties, before its first cell.
                row_header = true;
                return;
            }
            let Some(p) = current.as_mut().filter(|_| skip_depth == 0) else {
                return;
            };
            match e.name().as_ref() {
                b"w:pStyle" => p.style = xml::attr(&e, b"w:val"),
                b"w:outlineLvl" => p.outline = xml::attr(&e, b"w:val").and_then(|v| v.parse().ok()),
                b"w:numId" => p.num_id = xml::attr(&e, b"w:val"),
                b"w:ilvl" => {
                    p.ilvl = xml::attr(&e, b"w:val")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(0)
                }
                b"w:tab" => p.text.push(' '),
                _ => {}
            }
        }
        Event::Text(t) if in_text && skip_depth == 0 => {
            if let Some(p) = current.as_mut() {
                // A line break typed into the text itself (`&#10;`) is white
                // space to Word (its breaks are `<w:br/>`); kept, it would
                // end the paragraph when printed in the authoring format.
                let text = xml::text(&t);
                p.text.extend(text.chars().map(|c| match c {
                    '\n' | '\r' | '\t' => ' ',
                    c => c,
                }));
            }
        }
        Event::End(e) => match e.name().as_ref() {
            b"w:p" => out.extend(current.take()),
            b"w:t" => in_text = false,
            b"w:del" | b"w:pPrChange" | b"w:rPrChange" | b"w:instrText" => {
                skip_depth = skip_depth.saturating_sub(1)
            }
            b"w:tbl" => {
                table_depth = table_depth.saturating_sub(1);
                if table_depth == 0 {
                    cell = None;
                }
            }
            _ => {}
        },
        _ => {}
    })?;
    Ok(out)
}
