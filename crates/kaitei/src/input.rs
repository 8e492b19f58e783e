//! Reading documents: files (`.md`, `.docx`) or stored documents, as
//! `CONTRACTS.md` says — an argument is first tried as a path, then looked
//! up in the database.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use kaitei_app::App;
use kaitei_format::{Diagnostic, ReadOptions};
use kaitei_model::{Document, DocumentKind};
use kaitei_store::DocumentRef;

use crate::cli::{DocxArgs, KindArg};

impl DocxArgs {
    fn options(&self, path: &Path) -> ReadOptions {
        ReadOptions {
            kind: self.kind.map(|k| match k {
                KindArg::Guideline => DocumentKind::Guideline,
                KindArg::Policy => DocumentKind::Policy,
            }),
            edition: self.edition.clone(),
            body: self.body.clone(),
            derived_from: self.derived_from.clone(),
            stem: path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }
}

pub use kaitei_format::file::ReadFile;

/// Reads a document file. Errors are for files that cannot be read at all;
/// problems inside a readable file are diagnostics.
pub fn read_file(path: &Path, docx_args: &DocxArgs) -> Result<ReadFile> {
    let meta = fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if meta.is_dir() {
        bail!("{}: is a folder, not a document", path.display());
    }
    let limit = kaitei_format::file::MAX_FILE_BYTES;
    if meta.len() > limit {
        bail!(
            "{}: the file is {} bytes, over the {limit}-byte limit for a document",
            path.display(),
            meta.len()
        );
    }
    let bytes = fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    kaitei_format::file::read_file_bytes(&name, bytes, &docx_args.options(path))
        .map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// Formats a diagnostic as `FILE:LINE: error: message` (for Word files,
/// `FILE: paragraph N: …`).
pub fn format_diagnostic(path: &Path, word: bool, d: &Diagnostic) -> String {
    kaitei_format::file::locate(&path.display().to_string(), word, d)
}

/// The database a command may use: opened (and its schema brought up to
/// date) at most once per command, when first needed.
pub struct Database {
    url: String,
    /// Built when first needed: a command on files alone (a `diff` of two
    /// files) never needs it, and building it cost a few tenths of a
    /// millisecond of a `diff` that should take twenty.
    rt: std::cell::OnceCell<tokio::runtime::Runtime>,
    app: std::cell::OnceCell<App>,
    /// Whether SQLite is to map the file ([`Database::map_reads`]).
    mapped: std::cell::Cell<bool>,
}

impl Database {
    /// The database at `url`, not opened yet.
    pub fn new(url: &str) -> Result<Database> {
        Ok(Database {
            url: url.to_string(),
            rt: std::cell::OnceCell::new(),
            app: std::cell::OnceCell::new(),
            mapped: std::cell::Cell::new(false),
        })
    }

    /// Has SQLite read through memory-mapped I/O once the database is
    /// opened ([`kaitei_store::Store::open_mapped`]): for a command that
    /// reads much of it once, as a national run does. Called before the
    /// first use; after it, it changes nothing.
    pub fn map_reads(&self) {
        self.mapped.set(true);
    }

    /// The runtime for the store, built the first time.
    fn rt(&self) -> Result<&tokio::runtime::Runtime> {
        if let Some(rt) = self.rt.get() {
            return Ok(rt);
        }
        let rt = runtime()?;
        Ok(self.rt.get_or_init(|| rt))
    }

    /// The application over it, opening it the first time.
    pub fn app(&self) -> Result<&App> {
        if let Some(app) = self.app.get() {
            return Ok(app);
        }
        let app = self
            .rt()?
            .block_on(async {
                if self.mapped.get() {
                    App::open_mapped(&self.url).await
                } else {
                    App::open(&self.url).await
                }
            })
            .with_context(|| format!("cannot open the database {}", self.shown()))?;
        Ok(self.app.get_or_init(|| app))
    }

    /// Opens it bringing its schema up to date on every backend (`kaitei
    /// migrate`; the other commands leave a PostgreSQL schema that is behind
    /// to it), and says from which version to which.
    pub fn open_migrating(&self) -> Result<kaitei_store::SchemaUpgrade> {
        let (store, upgrade) = self
            .rt()?
            .block_on(kaitei_store::Store::open_migrating(&self.url))
            .with_context(|| format!("cannot upgrade the database {}", self.shown()))?;
        // Kept, so that `close` waits for it as for any other opening.
        let _ = self.app.set(App::new(store));
        Ok(upgrade)
    }

    /// Runs a future of the application to its end. Called after
    /// [`Database::app`] (or [`Database::open_migrating`]), which built the
    /// runtime; only a runtime that cannot be built at all makes it panic.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt()
            .expect("the async runtime could be built")
            .block_on(f)
    }

    /// The file of an SQLite database that does not exist (yet): opening
    /// it would create it.
    pub fn missing_file(&self) -> Option<PathBuf> {
        kaitei_store::sqlite_file(&self.url).filter(|file| !file.exists())
    }

    /// Its URL as it may be shown (no password).
    pub fn shown(&self) -> String {
        kaitei_store::redact_url(&self.url)
    }

    /// Closes it, if it was opened, waiting for writes to finish.
    pub fn close(&self) {
        if let (Some(app), Some(rt)) = (self.app.get(), self.rt.get()) {
            rt.block_on(app.store().close());
        }
    }
}

/// A runtime for the store.
fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Where a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A file: only its pinned keys mean anything.
    File,
    /// The database: its keys were assigned or carried forward by kaitei.
    Stored,
}

/// Resolves a document argument: a file if one exists at that path,
/// otherwise a stored document. A file with errors is refused.
pub fn load_document(arg: &str, db: &Database, docx_args: &DocxArgs) -> Result<Document> {
    load_with_origin(arg, db, docx_args).map(|(d, _)| d)
}

/// [`load_document`], also saying where the document came from.
pub fn load_with_origin(
    arg: &str,
    db: &Database,
    docx_args: &DocxArgs,
) -> Result<(Document, Origin)> {
    let path = PathBuf::from(arg);
    if path.exists() {
        let read = read_file(&path, docx_args)?;
        let errors: Vec<String> = read
            .parsed
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format_diagnostic(&path, read.word, d))
            .collect();
        if !errors.is_empty() {
            bail!(
                "{} has {} error(s); run `kaitei check` on it:\n{}",
                path.display(),
                errors.len(),
                errors.join("\n")
            );
        }
        return Ok((read.parsed.document, Origin::File));
    }
    let reference = DocumentRef::parse(arg)
        .map_err(|e| anyhow!("{arg}: no such file, and not a stored document: {e}"))?;
    // A mistyped file name must not leave an empty database behind it.
    if let Some(file) = db.missing_file() {
        bail!(
            "{arg}: no such file, and there is no database {} to find a stored document in",
            file.display()
        );
    }
    let app = db.app()?;
    let doc = db.block_on(app.store().get(&reference))?.ok_or_else(|| {
        anyhow!(
            "{arg}: no such file, and no {reference} is stored in {} (see `kaitei import`)",
            db.shown()
        )
    })?;
    Ok((doc, Origin::Stored))
}
