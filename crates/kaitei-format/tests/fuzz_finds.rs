//! Regression tests for what the cargo-fuzz targets (`fuzz/`, run by
//! `scripts/fuzz.sh`) found: every input under `tests/fuzz/TARGET/`, each
//! a crash the fuzzer found (minimised) or a variant of one, is read again
//! with the target's own checks (`fuzz/src/lib.rs`, included here), so a
//! find that was fixed stays fixed. To add one, copy the artifact here
//! under a name that says what it found. (The label parser's finds are
//! tests in `kaitei-model`'s `label.rs`.)

use std::path::{Path, PathBuf};

#[path = "../../../fuzz/src/lib.rs"]
mod oracle;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .map(|e| e.expect("a directory entry").path())
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f).expect("a find");
            (f, bytes)
        })
        .collect()
}

/// Runs `check` on each find of `target`, naming the one that fails.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let finds = inputs(target);
    for (file, bytes) in &finds {
        if std::panic::catch_unwind(|| check(bytes)).is_err() {
            panic!("{}: fails the {target} target's checks", file.display());
        }
    }
    finds.len()
}

#[test]
fn authoring_finds_read_and_round_trip() {
    assert!(
        replay("authoring", oracle::text) > 0,
        "tests/fuzz/authoring holds finds"
    );
}

#[test]
fn docx_finds_read_and_round_trip_or_are_refused_with_a_reason() {
    assert!(
        replay("docx", oracle::docx) > 0,
        "tests/fuzz/docx holds finds"
    );
}

#[test]
fn consultation_template_finds_are_read_or_refused_with_a_reason() {
    replay("consultation_template", oracle::consultation_template);
}
