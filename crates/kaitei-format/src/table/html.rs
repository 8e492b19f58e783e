//! The comparison table as a self-contained HTML page (to be written).

use kaitei_compare::Comparison;
use kaitei_compare::view::Line;

use super::TableOptions;

/// Writes the table as an HTML page.
pub fn to_html(_cmp: &Comparison, _lines: &[Line], _options: &TableOptions) -> String {
    String::new()
}
