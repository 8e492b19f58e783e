//! `kaitei import FILE…`

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::Outcome;
use crate::cli::ImportArgs;
use crate::input::{Database, format_diagnostic, read_file};
use crate::progress;

/// Files to import: the files named, and the `.md`/`.docx` files of the
/// folders named, sorted.
fn expand(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("{}: cannot read the folder", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| {
                    f.is_file()
                        && matches!(f.extension().and_then(|e| e.to_str()), Some("md" | "docx"))
                })
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn describe(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// What reading a file gave: the document, or the error lines to print
/// and the error.
type Reading = Result<kaitei_model::Document, (Vec<String>, anyhow::Error)>;

/// Reads and checks `path` (on the reading thread).
fn read(path: &Path, args: &ImportArgs) -> Reading {
    let read = read_file(path, &args.docx).map_err(|e| (Vec::new(), e))?;
    let errors = read.errors();
    if !errors.is_empty() {
        let lines = errors
            .iter()
            .map(|d| format_diagnostic(path, read.word, d))
            .collect();
        return Err((
            lines,
            anyhow::anyhow!(
                "{}: not imported: {} error(s) (see above; `kaitei check` lists them too)",
                path.display(),
                errors.len()
            ),
        ));
    }
    Ok(read.parsed.document)
}

/// Imports the files in order, each in its own transaction. One thread
/// reads and parses the next files while this one stores: on a machine of
/// two cores, a national load takes the time of the slower of the two.
pub fn exec(args: &ImportArgs, db: &Database) -> Result<Outcome> {
    let files = expand(&args.files)?;
    let app = db.app()?;
    let bar = progress::bar(files.len() as u64, "importing");
    let mut worst = Outcome::Ok;
    let mut imported = 0;
    std::thread::scope(|scope| -> Result<()> {
        let (send, receive) = std::sync::mpsc::sync_channel::<Reading>(8);
        let reader_files = &files;
        scope.spawn(move || {
            for path in reader_files {
                if send.send(read(path, args)).is_err() {
                    return;
                }
            }
        });
        for (path, reading) in files.iter().zip(receive) {
            bar.set_message(describe(path));
            let outcome = reading
                .map_err(|(lines, e)| {
                    for line in lines {
                        bar.suspend(|| eprintln!("{line}"));
                    }
                    e
                })
                .and_then(|document| {
                    let imported = db
                        .block_on(app.import(document))
                        .map_err(|e| anyhow::anyhow!("{}: not imported: {e}", path.display()))?;
                    let carried = imported
                        .carried
                        .map(|(n, from)| format!(", {n} keys carried forward from {from}"))
                        .unwrap_or_default();
                    Ok(format!(
                        "imported {} ({} nodes{carried}) from {}",
                        imported.what,
                        imported.nodes,
                        path.display()
                    ))
                });
            match outcome {
                Ok(line) => {
                    imported += 1;
                    bar.suspend(|| eprintln!("{line}"));
                }
                Err(e) => {
                    bar.suspend(|| eprintln!("kaitei: {e:#}"));
                    worst = Outcome::Failed;
                }
            }
            bar.inc(1);
        }
        Ok(())
    })?;
    // What the imports left to index (a batch at a time) is indexed now.
    db.block_on(app.store().index_now())
        .map_err(|e| anyhow::anyhow!("indexing for search: {e}"))?;
    // A large load leaves PostgreSQL planning on the figures of a smaller
    // database until autovacuum catches up: the first national run after
    // it would pay for that.
    bar.set_message("updating the database's statistics");
    db.block_on(app.store().refresh_statistics())
        .map_err(|e| anyhow::anyhow!("updating the database's statistics: {e}"))?;
    bar.finish_and_clear();
    db.close();
    eprintln!(
        "imported {imported} of {} file(s) into {}",
        files.len(),
        db.shown()
    );
    Ok(worst)
}
