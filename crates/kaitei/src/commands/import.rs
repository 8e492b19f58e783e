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

pub fn exec(args: &ImportArgs, db: &Database) -> Result<Outcome> {
    let files = expand(&args.files)?;
    let app = db.app()?;
    let bar = progress::bar(files.len() as u64, "importing");
    let mut worst = Outcome::Ok;
    let mut imported = 0;
    for path in &files {
        bar.set_message(describe(path));
        let outcome = (|| -> Result<Option<String>> {
            let read = read_file(path, &args.docx)?;
            let errors = read.errors();
            if !errors.is_empty() {
                for d in &errors {
                    bar.suspend(|| eprintln!("{}", format_diagnostic(path, read.word, d)));
                }
                anyhow::bail!(
                    "{}: not imported: {} error(s) (see above; `kaitei check` lists them too)",
                    path.display(),
                    errors.len()
                );
            }
            let imported = db
                .block_on(app.import(read.parsed.document))
                .map_err(|e| anyhow::anyhow!("{}: not imported: {e}", path.display()))?;
            let carried = imported
                .carried
                .map(|(n, from)| format!(", {n} keys carried forward from {from}"))
                .unwrap_or_default();
            Ok(Some(format!(
                "imported {} ({} nodes{carried}) from {}",
                imported.what,
                imported.nodes,
                path.display()
            )))
        })();
        match outcome {
            Ok(Some(line)) => {
                imported += 1;
                bar.suspend(|| eprintln!("{line}"));
            }
            Ok(None) => {}
            Err(e) => {
                bar.suspend(|| eprintln!("kaitei: {e:#}"));
                worst = Outcome::Failed;
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    db.close();
    eprintln!(
        "imported {imported} of {} file(s) into {}",
        files.len(),
        db.shown()
    );
    Ok(worst)
}
