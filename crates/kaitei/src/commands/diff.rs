//! `kaitei diff OLD NEW [--format …] [-o FILE] [--columns …] [--context N]`

use std::io::IsTerminal;

use anyhow::{Result, bail};
use kaitei_compare::table::counts;
use kaitei_compare::view::lay_out;
use kaitei_compare::{KeyUse, RowKind, compare};
use kaitei_format::table::{Columns, TableOptions, docx, html, json, text, xlsx};

use super::export::write_atomically;
use crate::Outcome;
use crate::cli::{ColumnsArg, DiffArgs, DiffFormat};
use crate::input::{Origin, load_with_origin};

pub fn exec(args: &DiffArgs, db: &str) -> Result<Outcome> {
    let (old, old_origin) = load_with_origin(&args.old, db, &args.docx)?;
    let (new, new_origin) = load_with_origin(&args.new, db, &args.docx)?;
    // Keys kaitei generated for a file mean nothing; stored keys were
    // carried forward from edition to edition.
    let keys = match (old_origin, new_origin) {
        (Origin::Stored, Origin::Stored) => KeyUse::All,
        (Origin::Stored, Origin::File) => KeyUse::OldAll,
        _ => KeyUse::Pinned,
    };
    let cmp = compare(&old, &new, keys);
    let options = TableOptions {
        columns: match args.columns {
            ColumnsArg::NewOld => Columns::NewOld,
            ColumnsArg::OldNew => Columns::OldNew,
        },
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    if args.format == DiffFormat::Json && args.output.is_none() {
        // Streamed: the JSON of a full-size table is megabytes.
        crate::output::stream_stdout(|w| json::write_json(&cmp, w))?;
        report(&cmp);
        return Ok(Outcome::Ok);
    }
    let bytes: Vec<u8> = match args.format {
        DiffFormat::Json => json::to_json(&cmp).into_bytes(),
        DiffFormat::Text => text::render(&lay_out(&cmp, args.context), to_terminal).into_bytes(),
        DiffFormat::Html => {
            html::to_html(&cmp, &lay_out(&cmp, args.context), &options).into_bytes()
        }
        DiffFormat::Docx => docx::to_docx(&cmp, &lay_out(&cmp, args.context), &options),
        DiffFormat::Xlsx => {
            xlsx::to_xlsx(&cmp).map_err(|e| anyhow::anyhow!("cannot write the workbook: {e}"))?
        }
    };
    match &args.output {
        Some(path) => write_atomically(path, &bytes)?,
        None => {
            if to_terminal && matches!(args.format, DiffFormat::Docx | DiffFormat::Xlsx) {
                bail!(
                    "a {} file is binary: write it with -o FILE",
                    format_name(args.format)
                );
            }
            let mut out = std::io::stdout().lock();
            crate::output::write_stdout(&mut out, &bytes)?;
        }
    }
    report(&cmp);
    Ok(Outcome::Ok)
}

/// Counts on stderr.
fn report(cmp: &kaitei_compare::Comparison) {
    let c = counts(&cmp.rows);
    let n = |k| c.get(&k).copied().unwrap_or(0);
    let moved = cmp.rows.iter().filter(|r| r.moved).count();
    let renumbered = cmp.rows.iter().filter(|r| r.renumbered).count();
    eprintln!(
        "{} changed, {} added, {} deleted, {} split, {} merged, {moved} moved, {renumbered} renumbered, {} unchanged",
        n(RowKind::Changed),
        n(RowKind::Added),
        n(RowKind::Deleted),
        n(RowKind::Split),
        n(RowKind::Merged),
        n(RowKind::Unchanged),
    );
}

fn format_name(f: DiffFormat) -> &'static str {
    match f {
        DiffFormat::Docx => "DOCX",
        DiffFormat::Xlsx => "XLSX",
        DiffFormat::Html => "HTML",
        DiffFormat::Json => "JSON",
        DiffFormat::Text => "text",
    }
}
