//! What a workbook of one list (a header row, then a row per line) sets
//! up after its cells, the same for every such export: the header frozen
//! and filtered, printed on A4 landscape one page wide, the header
//! repeated on every printed page.

use rust_xlsxwriter::{Worksheet, XlsxError};

/// Lays out `ws`: its header at row `header`, `rows` rows below it,
/// `columns` columns; the first `frozen` columns stay in view.
pub(crate) fn finish(
    ws: &mut Worksheet,
    header: u32,
    rows: usize,
    columns: u16,
    frozen: u16,
) -> Result<(), XlsxError> {
    ws.set_freeze_panes(header + 1, frozen)?;
    let last = header + u32::try_from(rows).map_err(|_| XlsxError::RowColumnLimitError)?;
    ws.autofilter(header, 0, last.max(header + 1), columns - 1)?;
    ws.set_landscape()
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header, header)?;
    Ok(())
}
