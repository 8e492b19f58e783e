//! kaitei's readers and writers.
//!
//! - [`authoring`]: the authoring format of `FORMAT.md` (reader and printer).
//! - [`docx`]: Word documents (reader).
//! - [`export`]: the documented JSON export of a document.
//!
//! Every reader produces [`block::Block`]s and hands them to one structure
//! builder ([`structure::build`]), so the rules for labels, nesting,
//! articles and commentary exist once. Readers never fail on readable
//! input: they return a [`Parsed`] document with [`Diagnostic`]s.
//!
//! Architecture invariant: no file or network I/O here — readers take
//! bytes or text, writers return bytes or text.

#![deny(missing_docs)]

pub mod attributes;
pub mod authoring;
pub mod block;
pub mod diagnostic;
pub mod docx;
pub mod export;
pub mod front_matter;
pub mod structure;

#[cfg(test)]
mod mutate;

pub use diagnostic::{Diagnostic, Severity};
pub use structure::Parsed;
