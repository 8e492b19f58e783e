//! The comparison table as a Word document (to be written).

use kaitei_compare::Comparison;
use kaitei_compare::view::Line;

use super::TableOptions;

/// Writes the table as a `.docx` file's bytes.
pub fn to_docx(_cmp: &Comparison, _lines: &[Line], _options: &TableOptions) -> Vec<u8> {
    Vec::new()
}
