//! The risk analysis the ministry presents, as a workbook: the catalogue
//! (patterns, scenarios, controls with their clauses), the risk matrix,
//! the bodies using each pattern on each route by kind of body and by
//! prefecture, and the residual levels per pattern and scenario.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::linkage::{Catalogue, RiskMatrix};
use crate::linkage_ratings::National;

/// The headers and names of the workbook, in the reader's language (the
/// caller translates).
#[derive(Debug, Clone)]
pub struct Words {
    /// The title line.
    pub title: String,
    /// The sheets: catalogue, matrix, by kind, by prefecture, residual.
    pub sheets: [String; 5],
    /// The catalogue's headers: pattern, scenario, threat, control, clause.
    pub catalogue: [String; 5],
    /// The matrix's corner (likelihood \ impact), and the total's name.
    pub corner: String,
    /// The total's name (全国).
    pub total: String,
    /// The residual sheet's headers: pattern, scenario, then unrated (the
    /// levels come from the matrix).
    pub residual: [String; 3],
    /// Each kind of body's name, in `KindOfBody::ALL`'s order.
    pub kinds: [String; 6],
    /// Each route's name (`インターネット接続系 → LGWAN接続系`), in the
    /// national picture's columns' order.
    pub routes: Vec<String>,
}

fn row(i: usize) -> Result<u32, XlsxError> {
    u32::try_from(i + 3).map_err(|_| XlsxError::RowColumnLimitError)
}

fn col(i: usize) -> Result<u16, XlsxError> {
    u16::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)
}

fn sheet<'a>(
    book: &'a mut Workbook,
    name: &str,
    title: &str,
    bold: &Format,
) -> Result<&'a mut Worksheet, XlsxError> {
    let ws = book.add_worksheet();
    ws.set_name(name)?;
    ws.write_string_with_format(0, 0, title, bold)?;
    Ok(ws)
}

/// The workbook.
pub fn national_xlsx(
    n: &National,
    catalogue: &Catalogue,
    matrix: &RiskMatrix,
    words: &Words,
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let font = "游ゴシック";
    let bold = Format::new().set_bold().set_font_name(font);
    let head = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_background_color("#DCE6F1")
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let plain = Format::new().set_font_name(font).set_text_wrap();
    let pattern_name = |id: &str| {
        catalogue
            .pattern(id)
            .map_or(id.to_string(), |p| p.name.clone())
    };

    let ws = sheet(&mut book, &words.sheets[0], &words.title, &bold)?;
    for (c, (h, w)) in words
        .catalogue
        .iter()
        .zip([30.0, 50.0, 16.0, 50.0, 14.0])
        .enumerate()
    {
        ws.write_string_with_format(2, col(c)?, h, &head)?;
        ws.set_column_width(col(c)?, w)?;
    }
    let mut r = 0;
    for p in &catalogue.patterns {
        for s in &p.scenarios {
            let controls: Vec<_> = if s.controls.is_empty() {
                vec![None]
            } else {
                s.controls.iter().map(Some).collect()
            };
            for c in controls {
                ws.write_string_with_format(row(r)?, 0, &p.name, &plain)?;
                ws.write_string_with_format(row(r)?, 1, &s.text, &plain)?;
                ws.write_string_with_format(row(r)?, 2, s.threat.japanese(), &plain)?;
                if let Some(c) = c {
                    ws.write_string_with_format(row(r)?, 3, &c.text, &plain)?;
                    let clause = c.clause.as_ref().map_or("", |k| k.as_str());
                    ws.write_string_with_format(row(r)?, 4, clause, &plain)?;
                }
                r += 1;
            }
        }
    }

    let ws = sheet(&mut book, &words.sheets[1], &words.title, &bold)?;
    ws.write_string_with_format(2, 0, &words.corner, &head)?;
    ws.set_column_width(0, 22.0)?;
    for i in 1..=5u8 {
        ws.write_number_with_format(2, u16::from(i), f64::from(i), &head)?;
    }
    for (r, l) in (1..=5u8).rev().enumerate() {
        ws.write_number_with_format(row(r)?, 0, f64::from(l), &head)?;
        for i in 1..=5u8 {
            let name = matrix.level_name(l, i).unwrap_or("");
            ws.write_string_with_format(row(r)?, u16::from(i), name, &plain)?;
        }
    }

    let headers: Vec<String> = n
        .columns
        .iter()
        .zip(&words.routes)
        .map(|(c, route)| format!("{}\n{route}", pattern_name(&c.pattern)))
        .collect();
    let groups: [Vec<(String, &Vec<usize>)>; 2] = [
        n.by_kind
            .iter()
            .zip(&words.kinds)
            .map(|((_, v), name)| (name.clone(), v))
            .chain([(words.total.clone(), &n.total)])
            .collect(),
        n.by_prefecture
            .iter()
            .map(|(_, name, v)| (name.clone(), v))
            .chain([(words.total.clone(), &n.total)])
            .collect(),
    ];
    for (name, rows) in words.sheets[2..4].iter().zip(&groups) {
        let ws = sheet(&mut book, name, &words.title, &bold)?;
        ws.set_column_width(0, 16.0)?;
        ws.set_row_height(2, 60.0)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(2, col(c + 1)?, h, &head)?;
            ws.set_column_width(col(c + 1)?, 20.0)?;
        }
        for (r, (group, counts)) in rows.iter().enumerate() {
            ws.write_string_with_format(row(r)?, 0, group, &plain)?;
            for (c, v) in counts.iter().enumerate() {
                ws.write_number_with_format(row(r)?, col(c + 1)?, *v as f64, &plain)?;
            }
        }
    }

    let ws = sheet(&mut book, &words.sheets[4], &words.title, &bold)?;
    let levels = matrix.levels();
    ws.write_string_with_format(2, 0, &words.residual[0], &head)?;
    ws.write_string_with_format(2, 1, &words.residual[1], &head)?;
    ws.set_column_width(0, 30.0)?;
    ws.set_column_width(1, 50.0)?;
    for (c, l) in levels.iter().chain([&words.residual[2]]).enumerate() {
        ws.write_string_with_format(2, col(c + 2)?, l, &head)?;
    }
    for (r, res) in n.residual.iter().enumerate() {
        let text = catalogue
            .pattern(&res.pattern)
            .and_then(|p| p.scenario(&res.scenario))
            .map_or(res.scenario.clone(), |s| s.text.clone());
        ws.write_string_with_format(row(r)?, 0, pattern_name(&res.pattern), &plain)?;
        ws.write_string_with_format(row(r)?, 1, &text, &plain)?;
        for (c, v) in res.counts.iter().chain([&res.unrated]).enumerate() {
            ws.write_number_with_format(row(r)?, col(c + 2)?, *v as f64, &plain)?;
        }
    }
    book.save_to_buffer()
}
