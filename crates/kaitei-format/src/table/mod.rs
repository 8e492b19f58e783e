//! Writers for the comparison table (新旧対照表) that `kaitei-compare`
//! builds: JSON (the contract of `CONTRACTS.md`), text for terminals,
//! HTML, DOCX and XLSX.

pub mod docx;
pub mod html;
pub mod json;
pub mod text;
pub mod xlsx;

/// Which side is on the left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Columns {
    /// New on the left, old on the right: the ministry's convention.
    #[default]
    NewOld,
    /// Old on the left, new on the right.
    OldNew,
}

/// What the DOCX and HTML tables need besides the rows.
#[derive(Debug, Clone, Default)]
pub struct TableOptions {
    /// Column order.
    pub columns: Columns,
}
