//! Blocks: what a reader sees before it knows the structure.
//!
//! Both front ends — the authoring format ([`crate::authoring`]) and Word
//! ([`crate::docx`]) — turn their input into blocks; one structure builder
//! ([`crate::structure`]) turns blocks into a node tree, so labels, nesting,
//! articles and commentary follow the same rules whatever the source.

use std::borrow::Cow;

use kaitei_model::Conflict;

/// One line of text with its 1-based line number (for `.docx`, the
/// paragraph number).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// Where it was read.
    pub number: usize,
    /// The text, trimmed of white space at both ends (borrowed from the
    /// source where it can be).
    pub text: Cow<'a, str>,
}

/// A unit of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block<'a> {
    /// A heading of `level` (1–6) with its text: label, title, attributes.
    Heading {
        /// Where it was read.
        line: usize,
        /// 1 for `#`, 2 for `##` …
        level: u8,
        /// The text after the hashes.
        text: Cow<'a, str>,
    },
    /// A run of text lines with no blank line between them. The builder
    /// splits it into paragraphs at lines that begin with a label.
    Text {
        /// The lines.
        lines: Vec<Line<'a>>,
        /// An escaped run (`\` in the authoring format): one plain paragraph
        /// in which nothing is read as a label.
        escaped: bool,
    },
    /// A row of a table (a Word table, or a line of tab-separated cells
    /// pasted from a web page): an item of the node before it, such as one
    /// definition of a 用語 | 意義 table.
    Row {
        /// Where it was read.
        line: usize,
        /// The cells' texts, trimmed.
        cells: Vec<String>,
        /// A header row (Word's repeated header row): not content.
        header: bool,
    },
    /// A commentary quote, paragraph by paragraph.
    Quote {
        /// Where it starts.
        line: usize,
        /// The paragraphs.
        paragraphs: Vec<String>,
    },
    /// An unresolved merge conflict.
    Conflict {
        /// Where its `<<<<<<<` line is.
        line: usize,
        /// Its parts (boxed: a conflict is rare and large, and a block is
        /// as large as its largest kind).
        conflict: Box<Conflict>,
    },
}
