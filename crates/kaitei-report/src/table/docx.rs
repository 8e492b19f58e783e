//! The comparison table (新旧対照表) as a Word document.
//!
//! The package is written by hand: a handful of WordprocessingML parts in a
//! zip is all a two-column table needs, and it keeps every byte under our
//! control (fonts, page set-up, underline kinds). The layout follows the
//! ministry's tables: A4 landscape, the title, the note （傍線部分は改正部分）
//! right-aligned above the table, a header row that repeats on every page,
//! and one table row per laid-out [`Line`].

use std::io::{Cursor, Write};

use kaitei_compare::Comparison;
use kaitei_compare::view::{Cell, FOLDED_MARK, HEADER_NOTE, Line, Segment};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::{Columns, SideCell, TableOptions, column_headers, editions_line, sides, table_title};

/// A4 landscape, in twentieths of a point (twips).
const PAGE_WIDTH: u32 = 16_838;
/// A4 landscape height, in twips.
const PAGE_HEIGHT: u32 = 11_906;
/// 15 mm, in twips: the same margin as the HTML page.
const MARGIN: u32 = 851;
/// The width between the margins, which a table fills.
pub(crate) const TEXT_WIDTH: u32 = PAGE_WIDTH - 2 * MARGIN;
/// Width of each of the two columns: half the text width.
const COLUMN_WIDTH: u32 = TEXT_WIDTH / 2;
/// One character of the 10.5 pt body font, in twips: the unit of indentation.
const CHAR: u32 = 210;
/// Deeper nodes are not indented further, so narrow columns keep room for text.
const MAX_INDENT_DEPTH: usize = 6;

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

/// Mincho for the body, as the ministry's tables use; 10.5 pt is Word's
/// Japanese default. `w:lang` makes Word pick the East Asian font for kana
/// and kanji.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="游明朝" w:eastAsia="游明朝" w:hAnsi="游明朝" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-US" w:eastAsia="ja-JP" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="60"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="游ゴシック" w:eastAsia="游ゴシック" w:hAnsi="游ゴシック"/><w:b/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

/// Where 游明朝 / 游ゴシック are missing (older Windows, LibreOffice), Word
/// falls back to the `altName`.
const FONT_TABLE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="游明朝"><w:altName w:val="ＭＳ 明朝"/><w:charset w:val="80"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font><w:font w:name="游ゴシック"><w:altName w:val="ＭＳ ゴシック"/><w:charset w:val="80"/><w:family w:val="modern"/><w:pitch w:val="variable"/></w:font><w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>"#;

/// Page numbers as `n / total`: a long table is printed and leafed through.
const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> / </w:t></w:r><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>"#;

/// Writes the table as a `.docx` file's bytes.
pub fn to_docx(cmp: &Comparison, lines: &[Line], options: &TableOptions) -> Vec<u8> {
    let document = document_xml(cmp, lines, options.columns);
    let core = core_xml(cmp, options.columns);
    word_package(&document, &core)
}

/// A Word package of the main part `document` (see [`word_document`]) and
/// the core properties `core` (see [`core_properties`]), with this
/// module's styles, fonts and page-number footer.
pub(crate) fn word_package(document: &str, core: &str) -> Vec<u8> {
    let parts: [(&str, &str); 8] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("docProps/core.xml", core),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/document.xml", document),
        ("word/styles.xml", STYLES),
        ("word/fontTable.xml", FONT_TABLE),
        ("word/footer1.xml", FOOTER),
    ];
    // Zipping into memory fails only on a programming error (say, a
    // duplicate part name), which the tests would catch; no input can make
    // it fail, so the empty fallback is never reached.
    package(&parts).unwrap_or_default()
}

/// Zips the parts, `[Content_Types].xml` first as Word itself writes it.
fn package(parts: &[(&str, &str)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, content) in parts {
        zip.start_file(*name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Escapes text for XML content or a quoted attribute, dropping characters
/// XML cannot carry.
pub(crate) fn xml_text(s: &str) -> String {
    super::escape_markup(s, "&apos;")
}

// --- docProps/core.xml --------------------------------------------------------

/// Document properties: the title names the table and both editions, so a
/// file list or a search shows which comparison this is.
fn core_xml(cmp: &Comparison, columns: Columns) -> String {
    let title = format!("新旧対照表（{}）", editions_line(cmp, columns));
    core_properties(&title, &table_title(cmp))
}

/// The core properties part: a title and a subject, kaitei the creator.
pub(crate) fn core_properties(title: &str, subject: &str) -> String {
    format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
            "\n",
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            "<dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>kaitei</dc:creator>",
            "</cp:coreProperties>"
        ),
        xml_text(title),
        xml_text(subject),
    )
}

// --- word/document.xml --------------------------------------------------------

/// The main part: title, editions, header note, the table, page set-up.
fn document_xml(cmp: &Comparison, lines: &[Line], columns: Columns) -> String {
    word_document(|out| {
        paragraph(out, r#"<w:pStyle w:val="Title"/>"#, |out| {
            run(out, &table_title(cmp), RunStyle::default());
        });
        paragraph(out, r#"<w:jc w:val="center"/>"#, |out| {
            run(out, &editions_line(cmp, columns), RunStyle::default());
        });
        paragraph(out, r#"<w:jc w:val="right"/>"#, |out| {
            run(out, HEADER_NOTE, RunStyle::default());
        });
        table(out, lines, columns);
    })
}

/// The main part around `body` (paragraphs and tables): A4 landscape with
/// the page-number footer.
pub(crate) fn word_document(body: impl FnOnce(&mut String)) -> String {
    let mut out = String::new();
    out.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    out.push('\n');
    out.push_str(&format!(
        r#"<w:document xmlns:w="{NS_W}" xmlns:r="{NS_R}"><w:body>"#
    ));
    body(&mut out);
    // Word wants a paragraph between a table and the section properties.
    out.push_str("<w:p/>");
    out.push_str(&format!(
        concat!(
            r#"<w:sectPr><w:footerReference w:type="default" r:id="rId3"/>"#,
            r#"<w:pgSz w:w="{w}" w:h="{h}" w:orient="landscape"/>"#,
            r#"<w:pgMar w:top="{m}" w:right="{m}" w:bottom="{m}" w:left="{m}" w:header="425" w:footer="425" w:gutter="0"/>"#,
            r#"</w:sectPr></w:body></w:document>"#
        ),
        w = PAGE_WIDTH,
        h = PAGE_HEIGHT,
        m = MARGIN,
    ));
    out
}

/// The table: fixed 50/50 columns, a repeating header row, one row per line.
fn table(out: &mut String, lines: &[Line], columns: Columns) {
    // Light rules between rows: the two sides read as running text, as in
    // the ministry's tables, but rows stay easy to follow.
    table_start(out, &[COLUMN_WIDTH; 2], RowRules::Light);
    let [left, right] = column_headers(columns);
    header_row(out, &[(left, COLUMN_WIDTH), (right, COLUMN_WIDTH)]);
    let mut after_fold = false;
    for line in lines {
        match line {
            Line::Folded(_) => folded_row(out),
            Line::Row { old, new, .. } => {
                let [left, right] = sides(columns, old.as_deref(), new.as_deref());
                // A missing side is indented like the side that is there.
                let depth = old.as_ref().or(new.as_ref()).map_or(0, |c| c.depth);
                out.push_str("<w:tr>");
                for side in [left, right] {
                    table_cell(out, COLUMN_WIDTH, "", |out| {
                        side_content(out, side, depth, after_fold)
                    });
                }
                out.push_str("</w:tr>");
            }
        }
        after_fold = matches!(line, Line::Folded(_));
    }
    out.push_str("</w:tbl>");
}

/// The rules between a table's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowRules {
    /// Thin and grey.
    Light,
    /// Thin and black, like the other lines.
    Solid,
}

/// Opens a table of fixed columns `widths` (twips) with a black frame and
/// column lines, and `rules` between the rows.
pub(crate) fn table_start(out: &mut String, widths: &[u32], rules: RowRules) {
    let inside_h = match rules {
        RowRules::Light => r#"w:sz="2" w:space="0" w:color="A6A6A6""#,
        RowRules::Solid => r#"w:sz="4" w:space="0" w:color="000000""#,
    };
    let grid: String = widths
        .iter()
        .map(|w| format!(r#"<w:gridCol w:w="{w}"/>"#))
        .collect();
    out.push_str(&format!(
        concat!(
            "<w:tbl><w:tblPr>",
            r#"<w:tblW w:w="{total}" w:type="dxa"/>"#,
            r#"<w:tblBorders><w:top w:val="single" w:sz="6" w:space="0" w:color="000000"/>"#,
            r#"<w:left w:val="single" w:sz="6" w:space="0" w:color="000000"/>"#,
            r#"<w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/>"#,
            r#"<w:right w:val="single" w:sz="6" w:space="0" w:color="000000"/>"#,
            r#"<w:insideH w:val="single" {inside_h}/>"#,
            r#"<w:insideV w:val="single" w:sz="6" w:space="0" w:color="000000"/></w:tblBorders>"#,
            r#"<w:tblLayout w:type="fixed"/>"#,
            r#"<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="113" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/><w:right w:w="113" w:type="dxa"/></w:tblCellMar>"#,
            r#"<w:tblLook w:val="0020" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>"#,
            "</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        ),
        total = widths.iter().sum::<u32>(),
        inside_h = inside_h,
        grid = grid,
    ));
}

/// The header row of `(word, width)` cells: bold, shaded, centred,
/// repeated at the top of every page, never split.
pub(crate) fn header_row(out: &mut String, headers: &[(&str, u32)]) {
    out.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for &(word, width) in headers {
        table_cell(
            out,
            width,
            r#"<w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/>"#,
            |out| {
                paragraph(out, r#"<w:jc w:val="center"/>"#, |out| {
                    run(
                        out,
                        word,
                        RunStyle {
                            bold: true,
                            ..RunStyle::default()
                        },
                    );
                });
            },
        );
    }
    out.push_str("</w:tr>");
}

/// Folded unchanged rows: （略） on both sides.
fn folded_row(out: &mut String) {
    out.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
    for _ in 0..2 {
        table_cell(out, COLUMN_WIDTH, "", |out| {
            paragraph(out, "", |out| run(out, FOLDED_MARK, RunStyle::default()));
        });
    }
    out.push_str("</w:tr>");
}

/// One cell of the fixed-width grid, `width` twips wide; `properties` go
/// into its properties after the width (a span, then shading, in schema
/// order).
pub(crate) fn table_cell(
    out: &mut String,
    width: u32,
    properties: &str,
    content: impl FnOnce(&mut String),
) {
    out.push_str(&format!(
        r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{properties}</w:tcPr>"#
    ));
    let before = out.len();
    content(out);
    // Every cell must end with a paragraph, or Word calls the file corrupt.
    if out.len() == before {
        out.push_str("<w:p/>");
    }
    out.push_str("</w:tc>");
}

/// One side of a row: the node, or the mark standing in for a missing one.
fn side_content(out: &mut String, (cell, missing): SideCell, depth: usize, after_fold: bool) {
    match cell {
        Some(cell) => node(out, cell, after_fold),
        None => paragraph(out, &indent(depth.min(MAX_INDENT_DEPTH), 0), |out| {
            run(out, missing, RunStyle::default())
        }),
    }
}

/// A node as it reads: `label　title` (or `label　first paragraph`), its
/// other paragraphs, then its commentary. After （略） the ancestors'
/// labels are shown first, small and grey, since the headings that would
/// say where we are were folded away.
fn node(out: &mut String, cell: &Cell, after_fold: bool) {
    let depth = cell.depth.min(MAX_INDENT_DEPTH);
    if after_fold && !cell.context.is_empty() {
        paragraph(out, &indent(depth, 0), |out| {
            run(
                out,
                &cell.context,
                RunStyle {
                    context: true,
                    ..RunStyle::default()
                },
            );
        });
    }
    let text_style = RunStyle {
        bold: cell.heading,
        ..RunStyle::default()
    };
    // An item's first paragraph shares the line with its label; a heading
    // has its title there instead.
    let (lead, lead_style, rest) = match cell.paragraphs.split_first() {
        Some((first, rest)) if cell.title.is_empty() => {
            (first.as_slice(), RunStyle::default(), rest)
        }
        _ => (
            cell.title.as_slice(),
            text_style,
            cell.paragraphs.as_slice(),
        ),
    };
    // Wrapped lines hang one character in from the label.
    paragraph(out, &indent(depth + 1, -1), |out| {
        if !cell.label.is_empty() {
            let underline = cell.label_marked.then_some("double");
            run(
                out,
                &cell.label,
                RunStyle {
                    underline,
                    ..text_style
                },
            );
            if !lead.is_empty() {
                run(out, "\u{3000}", text_style);
            }
        }
        segments(out, lead, lead_style);
    });
    for p in rest {
        paragraph(out, &indent(depth + 1, 1), |out| {
            segments(out, p, RunStyle::default())
        });
    }
    for p in &cell.commentary {
        paragraph(out, &indent(depth + 1, 0), |out| {
            run(out, "（解説）", RunStyle::default());
            segments(out, p, RunStyle::default());
        });
    }
    if !cell.citations.is_empty() {
        paragraph(out, &indent(depth + 1, 0), |out| {
            run(
                out,
                &super::citation_line(&cell.citations),
                RunStyle::default(),
            )
        });
    }
}

/// Paragraph properties for a left indent of `chars` characters (capped)
/// and a first line moved by `first` characters (negative: hanging).
fn indent(chars: usize, first: i32) -> String {
    let left = CHAR * chars.min(MAX_INDENT_DEPTH + 1) as u32;
    match first {
        0 => format!(r#"<w:ind w:left="{left}"/>"#),
        f if f < 0 => format!(
            r#"<w:ind w:left="{left}" w:hanging="{}"/>"#,
            CHAR * f.unsigned_abs()
        ),
        f => format!(
            r#"<w:ind w:left="{left}" w:firstLine="{}"/>"#,
            CHAR * f.unsigned_abs()
        ),
    }
}

/// How a run looks.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RunStyle {
    /// Headings and the header row.
    pub(crate) bold: bool,
    /// `single` for changed text, `double` for a moved or renumbered label.
    pub(crate) underline: Option<&'static str>,
    /// The small grey line of ancestors' labels.
    pub(crate) context: bool,
}

/// A paragraph with properties `ppr` (inner XML of `w:pPr`).
pub(crate) fn paragraph(out: &mut String, ppr: &str, runs: impl FnOnce(&mut String)) {
    out.push_str("<w:p>");
    if !ppr.is_empty() {
        out.push_str("<w:pPr>");
        out.push_str(ppr);
        out.push_str("</w:pPr>");
    }
    runs(out);
    out.push_str("</w:p>");
}

/// Segments of text, the changed ones underlined once.
fn segments(out: &mut String, segments: &[Segment], style: RunStyle) {
    for s in segments {
        let underline = s.underline.then_some("single").or(style.underline);
        run(out, &s.text, RunStyle { underline, ..style });
    }
}

/// One run of text. Run properties must come in schema order (b, color,
/// sz, u) or strict readers reject the file.
pub(crate) fn run(out: &mut String, text: &str, style: RunStyle) {
    let text = xml_text(text);
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    if style.bold || style.context || style.underline.is_some() {
        out.push_str("<w:rPr>");
        if style.bold {
            out.push_str("<w:b/><w:bCs/>");
        }
        if style.context {
            out.push_str(r#"<w:color w:val="595959"/><w:sz w:val="16"/><w:szCs w:val="16"/>"#);
        }
        if let Some(kind) = style.underline {
            out.push_str(&format!(r#"<w:u w:val="{kind}"/>"#));
        }
        out.push_str("</w:rPr>");
    }
    out.push_str(r#"<w:t xml:space="preserve">"#);
    out.push_str(&text);
    out.push_str("</w:t></w:r>");
}

#[cfg(test)]
mod tests {
    use kaitei_compare::view::lay_out;
    use kaitei_compare::{KeyUse, compare};
    use quick_xml::Reader;
    use quick_xml::events::Event;

    use super::*;
    use kaitei_format::authoring::parse;

    use crate::table::samples::{NEW, OLD};
    use crate::testing::{assert_parts_well_formed, part, part_names};
    use kaitei_compare::view::{DELETED_MARK, NEW_MARK};

    fn sample_docx(columns: Columns) -> Vec<u8> {
        let (old, new) = (parse(OLD).document, parse(NEW).document);
        let cmp = compare(&old, &new, KeyUse::Pinned);
        to_docx(&cmp, &lay_out(&cmp, 0), &TableOptions { columns })
    }

    /// A run as read back: its underline kind and text.
    #[derive(Debug)]
    struct ReadRun {
        underline: Option<String>,
        text: String,
    }

    /// Parses document.xml strictly and returns its runs, in order.
    fn runs(xml: &str) -> Vec<ReadRun> {
        let mut reader = Reader::from_str(xml);
        reader.config_mut().check_end_names = true;
        let mut out = Vec::new();
        let mut in_text = false;
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) if e.name().as_ref() == b"w:r" => out.push(ReadRun {
                    underline: None,
                    text: String::new(),
                }),
                Event::Empty(e) if e.name().as_ref() == b"w:u" => {
                    let val = e
                        .try_get_attribute("w:val")
                        .expect("attribute")
                        .expect("w:val");
                    if let Some(r) = out.last_mut() {
                        r.underline = Some(String::from_utf8_lossy(&val.value).into_owned());
                    }
                }
                Event::Start(e) if e.name().as_ref() == b"w:t" => in_text = true,
                Event::End(e) if e.name().as_ref() == b"w:t" => in_text = false,
                Event::Text(t) if in_text => {
                    if let Some(r) = out.last_mut() {
                        r.text.push_str(&t.unescape().expect("escapes"));
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        out
    }

    #[test]
    fn package_has_every_part() {
        let bytes = sample_docx(Columns::NewOld);
        let names = part_names(&bytes);
        for name in [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/document.xml",
            "word/styles.xml",
            "word/_rels/document.xml.rels",
            "word/fontTable.xml",
            "word/footer1.xml",
            "docProps/core.xml",
        ] {
            assert!(
                names.iter().any(|n| n == name),
                "{name} missing from {names:?}"
            );
        }
    }

    #[test]
    fn every_part_is_well_formed_xml() {
        assert_parts_well_formed(&sample_docx(Columns::NewOld));
    }

    #[test]
    fn document_shows_marks_note_and_escapes() {
        let xml = part(&sample_docx(Columns::NewOld), "word/document.xml");
        let text: String = runs(&xml).into_iter().map(|r| r.text).collect();
        for mark in [NEW_MARK, DELETED_MARK, FOLDED_MARK, HEADER_NOTE, "（解説）"] {
            assert!(text.contains(mark), "{mark} missing");
        }
        assert!(text.contains("「テスト用ガイドライン」新旧対照表"));
        assert!(text.contains("新: 令和7年3月版 / 旧: 令和6年10月版"));
        assert!(xml.contains("情報資産 &amp; 記録媒体"));
        assert!(xml.contains("&lt;script&gt;"));
        assert!(!xml.contains("<script>"));
        assert!(xml.contains("<w:tblHeader/>"));
        assert!(xml.contains(r#"w:orient="landscape""#));
    }

    #[test]
    fn changed_words_are_underlined_once_and_renumbered_labels_twice() {
        let runs = runs(&part(&sample_docx(Columns::NewOld), "word/document.xml"));
        let single = |needle: &str| {
            runs.iter()
                .any(|r| r.underline.as_deref() == Some("single") && r.text.contains(needle))
        };
        assert!(single("入退室"), "the new wording is underlined: {runs:?}");
        assert!(single("施錠"), "the old wording is underlined");
        assert!(!single("サーバは"), "unchanged words are not underlined");
        let doubled: Vec<&str> = runs
            .iter()
            .filter(|r| r.underline.as_deref() == Some("double"))
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(
            doubled,
            ["(2)", "(3)"],
            "the renumbered label, new then old"
        );
    }

    #[test]
    fn columns_follow_the_option() {
        let header = |columns| {
            let runs = runs(&part(&sample_docx(columns), "word/document.xml"));
            let i = runs
                .iter()
                .position(|r| r.text == "改正後")
                .expect("改正後");
            let j = runs
                .iter()
                .position(|r| r.text == "改正前")
                .expect("改正前");
            (
                i < j,
                runs.iter().position(|r| r.text == NEW_MARK)
                    > runs.iter().position(|r| r.text.contains("新たに設ける")),
            )
        };
        assert_eq!(
            header(Columns::NewOld),
            (true, true),
            "new on the left, （新設） on the right"
        );
        assert_eq!(
            header(Columns::OldNew),
            (false, false),
            "old on the left, （新設） on the left"
        );
    }

    #[test]
    fn core_properties_name_both_editions() {
        let core = part(&sample_docx(Columns::NewOld), "docProps/core.xml");
        assert!(
            core.contains(
                "<dc:title>新旧対照表（新: 令和7年3月版 / 旧: 令和6年10月版）</dc:title>"
            )
        );
    }

    #[test]
    fn control_characters_are_dropped_and_markup_escaped() {
        assert_eq!(
            xml_text("a\u{1}b\u{FFFE}<&>\"'\t"),
            "ab&lt;&amp;&gt;&quot;&apos;\t"
        );
    }

    #[test]
    fn empty_comparison_is_still_a_document() {
        let (old, new) = (parse("").document, parse("").document);
        let cmp = compare(&old, &new, KeyUse::Pinned);
        let bytes = to_docx(&cmp, &lay_out(&cmp, 0), &TableOptions::default());
        let xml = part(&bytes, "word/document.xml");
        assert_eq!(runs(&xml).iter().filter(|r| r.text == "改正後").count(), 1);
        assert!(xml.contains("新旧対照表"));
    }
}
