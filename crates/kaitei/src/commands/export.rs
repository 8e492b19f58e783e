//! `kaitei export DOCUMENT --format md|json|oscal [-o FILE]`

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, bail};
use kaitei_app::policies::{body_values, with_provenance};
use kaitei_format::authoring::{PrintOptions, print};
use kaitei_format::export::to_json;
use kaitei_format::oscal;
use kaitei_model::{Document, DocumentKind};
use std::borrow::Cow;

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
        ExportFormat::Oscal => oscal(args, db, &doc)?,
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

/// The OSCAL document of `doc`: an edition's catalog, or a policy's
/// profile (its own clauses' catalog written beside `-o`).
fn oscal(args: &ExportArgs, db: &Database, doc: &Document) -> Result<String> {
    let pretty =
        |v: &serde_json::Value| serde_json::to_string_pretty(v).map_err(anyhow::Error::from);
    if doc.meta.kind == DocumentKind::Guideline {
        return pretty(&oscal::catalog(doc)?);
    }
    let edition_arg = match (&args.guideline, &doc.meta.derived_from) {
        (Some(g), _) => g.clone(),
        (None, Some(d)) => d.clone(),
        (None, None) => bail!(
            "{} names no edition it follows (derived_from); give --guideline EDITION",
            args.document
        ),
    };
    let edition = load_document(&edition_arg, db, &args.docx)?;
    let values = body_values(doc, &doc.meta.values)?;
    let policy = with_provenance(doc, &edition, &values);
    if matches!(policy, Cow::Owned(_)) {
        eprintln!(
            "note: {} has no provenance; it was aligned to {} first (see `kaitei policy align`)",
            args.document, edition.meta.edition
        );
    }
    let body = doc.meta.body.map(|b| b.to_string()).unwrap_or_default();
    let own_name = format!("{body}.own-catalog.json");
    let catalog_href = args
        .catalog_href
        .clone()
        .unwrap_or_else(|| format!("{}.catalog.json", edition.meta.edition));
    let (profile, own) = oscal::profile(&oscal::ProfileInput {
        policy: &policy,
        edition: &edition,
        values: &values,
        catalog_href: &catalog_href,
        own_catalog_href: &own_name,
    })?;
    if let Some(own) = own {
        let Some(out) = &args.output else {
            bail!(
                "{} has clauses of its own, written as a second catalog beside the profile: give -o FILE",
                args.document
            );
        };
        let dir = out.parent().unwrap_or(Path::new(""));
        let path = dir.join(&own_name);
        let mut text = pretty(&own)?;
        text.push('\n');
        write_atomically(&path, text.as_bytes())?;
        eprintln!("{}: the body's own clauses", path.display());
    }
    pretty(&profile)
}
