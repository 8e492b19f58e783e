//! `kaitei backup OUT [--force]`: a consistent, checked copy of a SQLite
//! database in use.

use anyhow::{Result, anyhow, bail};

use crate::Outcome;
use crate::cli::BackupArgs;
use crate::input::Database;

pub fn exec(args: &BackupArgs, url: &str) -> Result<Outcome> {
    // Refused before anything is opened: a PostgreSQL server may not even
    // be reachable from here, and its backup is pg_dump's.
    if !url.starts_with("sqlite:") {
        bail!(
            "{} is not a SQLite database: back up PostgreSQL with pg_dump \
             (pg_dump --format=custom --file=kaitei.dump DATABASE; docs/operations.md)",
            kaitei_store::redact_url(url)
        );
    }
    if url.contains(":memory:") {
        bail!("an in-memory database has nothing to back up");
    }
    let out = &args.out;
    if out.exists() && !args.force {
        bail!(
            "{}: exists; choose another file, or --force to replace it",
            out.display()
        );
    }
    // Written beside OUT under another name, checked, then renamed over
    // it: OUT is never a half-written or unchecked copy.
    let partial = out.with_file_name(format!(
        ".{}.partial-{}",
        out.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "backup".into()),
        std::process::id()
    ));
    let _ = std::fs::remove_file(&partial);
    let db = Database::new(url)?;
    let app = db.app()?;
    if let Err(e) = db.block_on(app.store().backup_into(&partial)) {
        let _ = std::fs::remove_file(&partial);
        return Err(anyhow!("cannot write {}: {e}", out.display()));
    }
    let problems = match db.block_on(kaitei_store::integrity_problems(&partial)) {
        Ok(p) => p,
        Err(e) => vec![format!("the copy cannot be read: {e}")],
    };
    if !problems.is_empty() {
        let _ = std::fs::remove_file(&partial);
        eprintln!(
            "kaitei: the copy failed its integrity check and was removed: {}",
            problems.join("; ")
        );
        return Ok(Outcome::Problems);
    }
    std::fs::rename(&partial, out).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        anyhow!("{}: cannot write: {e}", out.display())
    })?;
    let bytes = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "backed up {} to {} ({bytes} bytes); integrity check: ok",
        db.shown(),
        out.display()
    );
    Ok(Outcome::Ok)
}
