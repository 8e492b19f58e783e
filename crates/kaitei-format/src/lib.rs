//! kaitei's readers and writers.
//!
//! - [`authoring`]: the authoring format of `FORMAT.md` (reader and printer).
//! - [`docx`]: Word documents (reader).
//! - [`pasted`]: text without front matter, such as a regulation copied
//!   from a 例規集 web page (reader); [`read_text`] picks it or the
//!   authoring format.
//! - [`regulation`]: a regulation's enactment preamble (title, date,
//!   number, amendments).
//! - [`consultation_template`]: a filled consultation answer template
//!   (.xlsx), read and checked comment by comment.
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
pub mod consultation_template;
pub mod diagnostic;
pub mod docx;
pub mod export;
pub mod front_matter;
pub mod options;
pub mod pasted;
pub mod regulation;
pub mod structure;

#[cfg(test)]
mod law_tests;
#[cfg(test)]
mod mutate;

pub use diagnostic::{Diagnostic, Severity};
pub use options::ReadOptions;
pub use structure::Parsed;

/// Reads a text file: the authoring format when it starts with front
/// matter (`---`), otherwise as text pasted from a 例規集 page
/// ([`pasted::read`]), its metadata from `options` and its preamble.
pub fn read_text(source: &str, options: &ReadOptions) -> Parsed {
    let source_start = source.strip_prefix('\u{feff}').unwrap_or(source);
    let first = source_start.lines().next().unwrap_or("");
    if first.trim_end() == "---" {
        return authoring::parse(source);
    }
    // Pasted text gets the same line-break and control-character check as
    // every other entry point of text.
    match kaitei_model::text::check_controls(source) {
        Ok(text) => pasted::read(&text, options),
        Err(e) => {
            let mut parsed = pasted::read(&kaitei_model::text::normalize_newlines(source), options);
            parsed
                .diagnostics
                .insert(0, Diagnostic::error(e.line, e.message()));
            parsed
        }
    }
}

#[cfg(test)]
mod read_text_tests {
    #[test]
    fn pasted_text_refuses_control_characters_and_takes_crlf() {
        let options = crate::ReadOptions::default();
        let bad = crate::read_text(
            "○本町情報セキュリティ規程\r\n第1条 目的\u{1b}[31m\r\n",
            &options,
        );
        assert!(bad.has_errors(), "{:?}", bad.diagnostics);
        assert_eq!(bad.diagnostics[0].line, 2, "{:?}", bad.diagnostics);
        let good = crate::read_text("○本町情報セキュリティ規程\r\n第1条 目的\r\n", &options);
        assert!(
            !good
                .diagnostics
                .iter()
                .any(|d| d.message.contains("control")),
            "{:?}",
            good.diagnostics
        );
    }
}
