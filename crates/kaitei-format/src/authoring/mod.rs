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

use kaitei_model::{DocumentKind, Metadata};

use crate::diagnostic::Diagnostic;
use crate::front_matter;
use crate::structure::{Parsed, build};

/// Reads a document in the authoring format. Never fails: problems are in
/// [`Parsed::diagnostics`].
pub fn parse(source: &str) -> Parsed {
    let mut diags = Vec::new();
    let (meta, rest) = match lexer::split_front_matter(source) {
        Ok(fm) => {
            let (meta, d) = front_matter::read(&fm.yaml, fm.first_line);
            diags.extend(d);
            (meta, fm.rest)
        }
        Err((line, message)) => {
            diags.push(Diagnostic::error(line, message));
            let rest = source
                .lines()
                .enumerate()
                .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
                .collect();
            (Metadata::new(DocumentKind::Policy, "", ""), rest)
        }
    };
    let blocks = lexer::blocks(&rest, &mut diags);
    build(meta, blocks, diags)
}

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod mutation_tests;
