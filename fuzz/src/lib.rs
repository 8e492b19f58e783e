//! What the fuzz targets share: the oracles (the same ones the mutation
//! tests of `kaitei-format` apply) and the bundle format that lets the
//! fuzzer reach the XML inside a Word or Excel file.
//!
//! A zip's parts are compressed and checksummed, so random changes to a
//! file's bytes almost never reach the XML reader. An input that starts
//! with `==> ` is therefore a *bundle*: parts as text, each after a line
//! `==> NAME`, which the target stores in a valid zip before reading it.
//! Any other input is given to the reader as the file's bytes (so the zip
//! layer is fuzzed too). `scripts/fuzz-bundle.py` turns a file into a
//! bundle and a bundle back into a file.

use std::io::{Cursor, Write};

use kaitei_format::authoring::{PrintOptions, parse, print};
use kaitei_format::consultation_template::{TemplateErrors, read_identity, read_template};
use kaitei_format::docx::{self, DocxError};
use kaitei_format::{ReadOptions, read_text};
use kaitei_model::Document;

/// The `authoring` target: text, as `kaitei check`, `import` and the web
/// upload read a `.md` or `.txt` file (the authoring format when it starts
/// with front matter, else pasted 例規集 text). Non-UTF-8 bytes are refused
/// before any reader sees them.
pub fn text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = ReadOptions {
        body: Some("033014".into()),
        stem: "fuzz".into(),
        ..ReadOptions::default()
    };
    let parsed = read_text(text, &options);
    show(|| summary(&parsed));
    diagnostics_say_something(&parsed.diagnostics);
    if !parsed.has_errors() {
        round_trips(&parsed.document, &[]);
    }
}

/// The `docx` target: a Word file, or a bundle of its parts. A refusal must
/// give its reason.
pub fn docx(data: &[u8]) {
    let options = ReadOptions {
        stem: "city".into(),
        ..ReadOptions::default()
    };
    let result = docx::read(file_of(data), &options);
    show(|| match &result {
        Ok(parsed) => summary(parsed),
        Err(e) => format!("refused: {e}"),
    });
    match result {
        Ok(parsed) => {
            diagnostics_say_something(&parsed.diagnostics);
            if !parsed.has_errors() {
                // A policy read from Word may leave `body:` to the command line.
                round_trips(&parsed.document, &["needs `body:`"]);
            }
        }
        Err(e) => {
            let cause_missing = match &e {
                DocxError::Damaged(cause) => cause.trim().is_empty(),
                DocxError::Xml { part, message, .. } => {
                    part.trim().is_empty() || message.trim().is_empty()
                }
                DocxError::Bomb { part, .. } => part.trim().is_empty(),
                _ => false,
            };
            assert!(
                !e.to_string().trim().is_empty() && !cause_missing,
                "UNCLEAR ERROR: {e:?}"
            );
        }
    }
}

/// The clauses of the template seeds' subject (`kaitei-report`'s test
/// subject), as the caller of `read_template` looks them up.
const CLAUSES: [(&str, &str); 4] = [
    (
        "g1-1-1",
        "情報セキュリティ対策の基本的な考え方について定める。",
    ),
    (
        "g1-1-2",
        "地方公共団体は、情報資産を重要性に応じて分類し、\n分類に応じた管理を行わなければならない。",
    ),
    (
        "g1-2",
        "職員等は、外部記録媒体を用いたデータの授受を原則として行ってはならない。",
    ),
    (
        "g2-1",
        "機器を廃棄する場合は、データを復元できないよう消去しなければならない。",
    ),
];

/// The `consultation_template` target: an answer template, or a bundle of
/// its parts, read as `kaitei consult import` and the web upload read it
/// (its identity, then its rows against the subject's clauses). Every
/// error must say something.
pub fn consultation_template(data: &[u8]) {
    let bytes = file_of(data);
    if let Err(e) = read_identity(&bytes) {
        assert!(!e.to_string().trim().is_empty(), "{e:?}");
    }
    let clause = |key: &str| {
        CLAUSES
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, text)| text.to_string())
    };
    let result = read_template(&bytes, clause);
    show(|| format!("{result:?}"));
    match result {
        Ok(filled) => {
            for (row, comment) in &filled.comments {
                assert!(*row > 0, "row {row}: {comment:?}");
            }
        }
        Err(TemplateErrors::File(e)) => assert!(!e.to_string().trim().is_empty(), "{e:?}"),
        Err(TemplateErrors::Rows(rows)) => {
            assert!(!rows.is_empty(), "an empty list of row errors");
            for r in rows {
                assert!(!r.message.trim().is_empty(), "{r:?}");
            }
        }
    }
}

/// The line that starts each part of a bundle.
pub const PART: &[u8] = b"==> ";

/// The parts of a bundle, or `None` when `data` is not one.
pub fn bundle_parts(data: &[u8]) -> Option<Vec<(String, &[u8])>> {
    if !data.starts_with(PART) {
        return None;
    }
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(after) = rest.strip_prefix(PART) {
        let name_end = after
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(after.len());
        let name = String::from_utf8_lossy(&after[..name_end])
            .trim()
            .to_string();
        let body_start = (name_end + 1).min(after.len());
        let body_and_more = &after[body_start..];
        let next = find(body_and_more, b"\n==> ");
        let (body, more) = match next {
            Some(i) => (&body_and_more[..i], &body_and_more[i + 1..]),
            None => (body_and_more, &[][..]),
        };
        parts.push((name, body));
        rest = more;
    }
    Some(parts)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The file a fuzz input stands for: a bundle stored in a zip, or the
/// input itself.
pub fn file_of(data: &[u8]) -> Vec<u8> {
    let Some(parts) = bundle_parts(data) else {
        return data.to_vec();
    };
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, body) in parts {
        // A duplicate or unusable name is the writer's refusal, not the
        // reader's: skip the part.
        if out.start_file(name.as_str(), options).is_err() {
            continue;
        }
        out.write_all(body).expect("writing to memory");
    }
    out.finish().expect("writing to memory").into_inner()
}

/// Panics unless every diagnostic says something.
pub fn diagnostics_say_something(diagnostics: &[kaitei_format::Diagnostic]) {
    if let Some(d) = diagnostics.iter().find(|d| d.message.trim().is_empty()) {
        panic!("a diagnostic that says nothing: {d:?}");
    }
}

/// An error-free document prints in the authoring format, reads back the
/// same and prints the same again. `allowed` names errors the printed
/// text may have (a policy read from Word may leave `body:` to the
/// command line).
pub fn round_trips(doc: &Document, allowed: &[&str]) {
    let printed = print(doc, PrintOptions::default());
    let again = parse(&printed);
    let errors: Vec<String> = again
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && !allowed.iter().any(|a| d.message.contains(a)))
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "ROUND TRIP: an error-free document printed as text with errors: {errors:?}\nprinted:\n{printed}"
    );
    assert!(
        &again.document == doc,
        "ROUND TRIP: print ∘ parse changed the document\nprinted:\n{printed}"
    );
    let reprinted = print(&again.document, PrintOptions::default());
    assert!(
        reprinted == printed,
        "ROUND TRIP: printing is not stable\nfirst:\n{printed}\nsecond:\n{reprinted}"
    );
}

/// With `KAITEI_FUZZ_SHOW` set, prints what a reader made of an input (to
/// check a seed, or look at a crash): `KAITEI_FUZZ_SHOW=1 cargo +nightly
/// fuzz run docx FILE`.
pub fn show(what: impl FnOnce() -> String) {
    static SHOW: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if *SHOW.get_or_init(|| std::env::var_os("KAITEI_FUZZ_SHOW").is_some()) {
        eprintln!("{}", what());
    }
}

/// A short account of a document read: its nodes and its errors.
pub fn summary(parsed: &kaitei_format::Parsed) -> String {
    let errors: Vec<String> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .take(5)
        .map(|d| d.to_string())
        .collect();
    format!(
        "read: {} nodes, {} diagnostics; errors: {errors:?}",
        parsed.document.nodes().count(),
        parsed.diagnostics.len()
    )
}
