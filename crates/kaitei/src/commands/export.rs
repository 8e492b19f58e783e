//! `kaitei export DOCUMENT --format md|json [-o FILE]`

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use kaitei_format::authoring::{PrintOptions, print};
use kaitei_format::export::to_json;

use crate::Outcome;
use crate::cli::{ExportArgs, ExportFormat};
use crate::input::{Database, load_document};

/// Writes `bytes` to `path` so that a reader never sees half a file: a
/// temporary file beside it, synced, then renamed over it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically_with(path, |w| w.write_all(bytes))
}

/// [`write_atomically`] for output made as it is written (megabytes of
/// JSON need not be held in memory first).
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.kaitei-tmp"));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&tmp)?);
        write(&mut f)?;
        let f = f
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}

pub fn exec(args: &ExportArgs, db: &Database) -> Result<Outcome> {
    let doc = load_document(&args.document, db, &args.docx)?;
    let mut text = match args.format {
        ExportFormat::Md => print(&doc, PrintOptions { all_keys: true }),
        ExportFormat::Json => to_json(&doc),
    };
    text.push('\n');
    match &args.output {
        Some(path) => write_atomically(path, text.as_bytes())?,
        None => {
            let mut out = std::io::stdout().lock();
            crate::output::write_stdout(&mut out, text.as_bytes())?;
        }
    }
    Ok(Outcome::Ok)
}
