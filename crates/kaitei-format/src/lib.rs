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
//! - [`file`]: a document file's bytes, read by the reader its name calls
//!   for.
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
pub mod consultation_template;
pub mod diagnostic;
pub mod docx;
pub mod export;
pub mod file;
pub mod front_matter;
pub mod options;
pub mod oscal;
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
    // Refused before anything is built for it (or copied): see `MAX_LINES`.
    if let Some(refused) = refuse_over_line_limit(source) {
        return refused;
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

/// A text of more than [`MAX_LINES`] lines refused, before anything is
/// built for it; `None` for a text within the limit (a last line without
/// its line break counts).
fn refuse_over_line_limit(source: &str) -> Option<Parsed> {
    // Counting is one vectorised pass, where finding the limit's line
    // break goes character by character: only a text that has that many
    // line breaks is looked at again.
    let breaks: usize = source
        .as_bytes()
        .chunks(255)
        // A byte counter per block of at most 255 cannot overflow, and
        // narrow counters are what makes the loop wide.
        .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'))))
        .sum();
    if breaks < MAX_LINES {
        return None;
    }
    let (start, _) = source.match_indices('\n').nth(MAX_LINES - 1)?;
    (start + 1 < source.len()).then(|| {
        Parsed::refused(
            kaitei_model::Metadata::new(kaitei_model::DocumentKind::Policy, "", ""),
            Diagnostic::error(MAX_LINES + 1, too_many_lines("lines")),
        )
    })
}

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

    /// Issue #10, item 4: pasted text (`.txt`, or `.md` without front
    /// matter) has the authoring format's line limit.
    #[test]
    fn pasted_text_over_the_line_limit_is_refused() {
        let options = crate::ReadOptions {
            edition: Some("令和7年度版".into()),
            stem: "規程".into(),
            ..crate::ReadOptions::default()
        };
        let head = "○本町情報セキュリティ規程\n第1条 目的\n";
        let at_limit = format!(
            "{head}{}",
            "\n".repeat(crate::MAX_LINES - head.lines().count())
        );
        let parsed = crate::read_text(&at_limit, &options);
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        assert_eq!(parsed.document.node_count(), 1);
        let over = crate::read_text(&format!("{at_limit}第2条 定義\u{7}\r\n"), &options);
        assert_eq!(over.diagnostics.len(), 1, "{:?}", over.diagnostics);
        assert_eq!(over.diagnostics[0].line, crate::MAX_LINES + 1);
        assert!(
            over.diagnostics[0]
                .message
                .starts_with("the document has more than 200,000 lines")
        );
        assert_eq!(over.document.node_count(), 0);
    }
}
