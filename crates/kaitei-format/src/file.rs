//! A document file's bytes, read by the reader its name (or, without a
//! known extension, its first bytes) calls for: Word, or text — the
//! authoring format or pasted regulation text ([`crate::read_text`]).
//! The command line and the web's uploads read files the same way.

use crate::{Parsed, ReadOptions, docx, read_text};

/// The largest document file read: the Word reader's limit, which is also
/// far above the full guideline in the authoring format (under 1 MB).
pub const MAX_FILE_BYTES: u64 = docx::MAX_FILE_BYTES;

/// A file that was read.
pub struct ReadFile {
    /// What the reader made of it.
    pub parsed: Parsed,
    /// Whether diagnostics' line numbers are Word paragraph numbers.
    pub word: bool,
}

impl ReadFile {
    /// Where a diagnostic of this file points, as `NAME:LINE: error: …`
    /// (for Word files, `NAME: paragraph N: …`).
    pub fn locate(&self, name: &str, d: &crate::Diagnostic) -> String {
        locate(name, self.word, d)
    }

    /// The errors among the diagnostics.
    pub fn errors(&self) -> Vec<&crate::Diagnostic> {
        self.parsed
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect()
    }
}

/// Where diagnostic `d` of file `name` points, as `NAME:LINE: error: …`;
/// for a Word file (`word`), `NAME: paragraph N: …`.
pub fn locate(name: &str, word: bool, d: &crate::Diagnostic) -> String {
    match (d.line, word) {
        (0, _) => format!("{name}: {d}"),
        (n, true) => format!("{name}: paragraph {n}: {d}"),
        (n, false) => format!("{name}:{n}: {d}"),
    }
}

/// Whether a file named `name` starting with `head` is a Word document.
fn is_word(name: &str, head: &[u8]) -> bool {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "docx" | "doc" => true,
        "md" | "markdown" | "txt" => false,
        _ => head.starts_with(b"PK") || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]),
    }
}

/// Reads the bytes of a file named `name`. `Err` is for a file that cannot
/// be read at all (over the limit, not a Word archive, not UTF-8 text),
/// with the reason; problems inside a readable file are diagnostics.
pub fn read_file_bytes(
    name: &str,
    bytes: Vec<u8>,
    options: &ReadOptions,
) -> Result<ReadFile, String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {} bytes, over the {MAX_FILE_BYTES}-byte limit for a document",
            bytes.len()
        ));
    }
    if is_word(name, &bytes[..bytes.len().min(8)]) {
        let parsed = docx::read(bytes, options).map_err(|e| e.to_string())?;
        return Ok(ReadFile { parsed, word: true });
    }
    // Checked with SIMD and read in place: the standard library's check
    // of a full-size Japanese file (1.4 MB, mostly three-byte characters)
    // took about 1.4 ms, a twentieth of a whole `diff`; this one a tenth
    // of that.
    let text = simdutf8::compat::from_utf8(&bytes).map_err(|e| {
        format!(
            "not UTF-8 text (byte {} is invalid); save the file as UTF-8",
            e.valid_up_to()
        )
    })?;
    Ok(ReadFile {
        parsed: read_text(text, options),
        word: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_then_the_first_bytes_choose_the_reader() {
        assert!(is_word("a.DOCX", b""));
        assert!(!is_word("a.md", b"PK\x03\x04"));
        assert!(is_word("upload", b"PK\x03\x04"));
        assert!(!is_word("upload", b"---\n"));
    }

    #[test]
    fn unreadable_files_say_why() {
        let o = ReadOptions::default();
        let e = read_file_bytes("a.md", vec![b'a', 0xff, b'b'], &o)
            .err()
            .unwrap();
        assert!(e.contains("byte 1"), "{e}");
        assert!(read_file_bytes("a.docx", b"not a zip".to_vec(), &o).is_err());
        let ok = read_file_bytes("a.txt", "第1条 目的\n".as_bytes().to_vec(), &o).unwrap();
        assert!(!ok.word);
    }

    #[test]
    fn an_invalid_byte_far_into_the_file_is_placed_exactly() {
        // Past the first blocks the SIMD check reads at once, and inside a
        // three-byte character: the byte is where that character starts.
        let mut bytes = "第1条 目的\n".repeat(40).into_bytes();
        let at = bytes.len() + 3;
        bytes.extend_from_slice("本文".as_bytes());
        bytes.truncate(at + 2);
        bytes.extend_from_slice(b"\n");
        let e = read_file_bytes("a.md", bytes, &ReadOptions::default())
            .err()
            .unwrap();
        assert!(e.contains(&format!("byte {at} ")), "{e}");
    }
}
