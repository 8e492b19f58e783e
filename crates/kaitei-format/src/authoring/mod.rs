//! The authoring format of `FORMAT.md`: a reader and a printer.
//!
//! Reading is two steps: [`lexer`] turns lines into blocks (headings, text
//! runs, quotes, conflicts), then [`crate::structure`] builds the tree, the
//! same builder the Word reader uses. Printing writes one line per
//! paragraph with blank lines between, so that print ∘ parse ∘ print =
//! print.

pub mod lexer;
mod printer;

pub use printer::{PrintOptions, print};

use kaitei_model::text::{check_controls, normalize_newlines};
use kaitei_model::{DocumentKind, Metadata};

use crate::diagnostic::Diagnostic;
use crate::front_matter;
use crate::structure::{Parsed, build};

/// Reads a document in the authoring format. Never fails: problems are in
/// [`Parsed::diagnostics`].
///
/// Line breaks are made LF first (CRLF and lone CR), and a control
/// character left after that is an error at its line and column
/// ([`check_controls`], the check every entry point of text shares); the
/// rest of the file is still read, so its other problems are reported too.
///
/// A file of more than [`crate::MAX_LINES`] lines is not read: the result
/// is one error and an empty document.
pub fn parse(source: &str) -> Parsed {
    let mut diags = Vec::new();
    let mut first_control = None;
    let source = match check_controls(source) {
        Ok(text) => text,
        Err(e) => {
            diags.push(Diagnostic::error(e.line, e.message()));
            first_control = Some(e.line);
            normalize_newlines(source)
        }
    };
    let source = source.as_ref();
    // Refused before anything is built for it: see `MAX_LINES`.
    if let Some(refused) = crate::refuse_over_line_limit(source) {
        return refused;
    }
    let (meta, rest, rest_line) = match lexer::split_front_matter(source) {
        // The YAML reader would only refuse the same character again, at a
        // vaguer place: the front matter is read once it is clean.
        Ok(fm) if first_control.is_some_and(|l| l <= fm.first_line + fm.yaml.lines().count()) => (
            Metadata::new(DocumentKind::Policy, "", ""),
            fm.rest,
            fm.rest_line,
        ),
        Ok(fm) => {
            let (meta, d) = front_matter::read(&fm.yaml, fm.first_line);
            diags.extend(d);
            (meta, fm.rest, fm.rest_line)
        }
        Err((line, message)) => {
            diags.push(Diagnostic::error(line, message));
            (Metadata::new(DocumentKind::Policy, "", ""), source, 1)
        }
    };
    let lines = lexer::lines(rest)
        .enumerate()
        .map(|(i, l)| (rest_line + i, l));
    let blocks = lexer::blocks(lines, &mut diags);
    build(meta, blocks, diags)
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod mutation_tests;
