//! `kaitei import FILE…`

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use kaitei_model::DocumentKind;

use crate::Outcome;
use crate::cli::ImportArgs;
use crate::input::{format_diagnostic, open_store, read_file, runtime};
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

pub fn exec(args: &ImportArgs, db: &str) -> Result<Outcome> {
    let files = expand(&args.files)?;
    let rt = runtime()?;
    let store = open_store(&rt, db)?;
    let bar = progress::bar(files.len() as u64, "importing");
    let mut worst = Outcome::Ok;
    let mut imported = 0;
    for path in &files {
        bar.set_message(describe(path));
        let outcome = (|| -> Result<Option<String>> {
            let read = read_file(path, &args.docx)?;
            let errors: Vec<_> = read
                .parsed
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .collect();
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
            let mut doc = read.parsed.document;
            // A new guideline edition inherits the keys of the one before,
            // so each clause keeps its identity across editions.
            let mut inherited = String::new();
            if doc.meta.kind == DocumentKind::Guideline
                && let Some(prev_id) =
                    rt.block_on(store.previous_edition(&doc.meta.edition, doc.meta.published))?
                && let Some(prev) = rt.block_on(store.load(prev_id))?
            {
                let n = kaitei_compare::inherit_keys(&prev, &mut doc);
                inherited = format!(", {n} keys carried forward from {}", prev.meta.edition);
            }
            let doc = &doc;
            rt.block_on(store.import(doc))
                .map_err(|e| anyhow::anyhow!("{}: not imported: {e}", path.display()))?;
            let what = match (doc.meta.kind, doc.meta.body) {
                (DocumentKind::Policy, Some(body)) => format!("policy {body}@{}", doc.meta.edition),
                _ => format!("guideline edition {}", doc.meta.edition),
            };
            Ok(Some(format!(
                "imported {what} ({} nodes{inherited}) from {}",
                doc.node_count(),
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
    rt.block_on(store.close());
    eprintln!("imported {imported} of {} file(s) into {db}", files.len());
    Ok(worst)
}
