//! What the command line says about a document whose file cannot say it
//! itself (a Word file, or text pasted from a web page).

use kaitei_model::DocumentKind;

/// Front-matter values a `.docx` or a text without front matter cannot
/// carry, from the command line. What the file says takes precedence (Word's
/// document properties); then these; then what the regulation's preamble
/// says (its title, date, number); then the defaults (`kind: policy`,
/// edition = the file's stem).
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `--kind`
    pub kind: Option<DocumentKind>,
    /// `--edition`
    pub edition: Option<String>,
    /// `--body`
    pub body: Option<String>,
    /// `--derived-from`
    pub derived_from: Option<String>,
    /// The file's name without extension.
    pub stem: String,
}
