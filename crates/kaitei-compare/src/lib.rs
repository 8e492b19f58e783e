//! kaitei's comparison engine: pure functions from two documents to an
//! alignment, character diffs and the comparison table (新旧対照表).
//!
//! Align first, then diff characters — never diff a whole document as one
//! string. [`align`] pairs nodes (keys, then siblings top-down, then moves
//! anywhere, splits and merges); [`chardiff`] underlines the changed runs of
//! each pair; [`table`] builds the rows every writer renders; [`keys`]
//! carries stable keys from one edition to the next. [`cluster`] groups
//! near-duplicate consultation comments.
//!
//! Architecture invariant: no I/O and no knowledge of any file format; the
//! writers for DOCX, HTML, XLSX and JSON live in `kaitei-format`.

#![deny(missing_docs)]

pub mod align;
pub mod anchor;
pub mod chardiff;
pub mod cluster;
pub mod flat;
pub mod keys;
pub mod policy;
mod segment;
pub mod similarity;
pub mod synth;
pub mod table;
pub mod view;

pub use align::{Alignment, How, KeyUse};
pub use flat::FlatDoc;
pub use keys::inherit_keys;
pub use table::{Comparison, Field, Row, RowKind, Side, Span, compare};

#[cfg(test)]
mod truth_tests;

#[cfg(test)]
mod threshold_tests;
