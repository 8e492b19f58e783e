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
mod chunked;
pub mod diagnostic;
pub mod docx;
pub mod export;
pub mod front_matter;
pub mod impact;
pub mod structure;
pub mod table;

#[cfg(test)]
mod mutate;

pub use diagnostic::{Diagnostic, Severity};
pub use structure::Parsed;

/// The most lines of an authoring-format file, or paragraphs of a Word
/// document, the readers read; over it, a document is refused with one
/// error and not read.
///
/// A document takes memory by its bytes and by its lines: every clause is
/// a node of some 300 bytes whatever its length, so a file of very short
/// items takes more than 20 times its size however it is read (a 9 MB file
/// of 600,000 items took 868 MB before the readers were made leaner, and
/// still over 200 MB after). This limit bounds that part, to about 100 MB;
/// it is some thirty times the lines of the full guideline (3,200 clauses,
/// some 7,000 lines).
pub const MAX_LINES: usize = 200_000;

/// The message of a document refused for [`MAX_LINES`]; `what` is `lines`
/// or `paragraphs`.
fn too_many_lines(what: &str) -> String {
    let digits = MAX_LINES.to_string();
    let mut limit = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            limit.push(',');
        }
        limit.push(d);
    }
    format!(
        "the document has more than {limit} {what}, the most kaitei reads (the memory a document takes grows with its {what}; the full guideline has some 7,000): it is not read"
    )
}
