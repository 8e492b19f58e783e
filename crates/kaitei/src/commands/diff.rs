//! `kaitei diff OLD NEW [--format …] [-o FILE] [--columns …] [--context N]`

use std::io::IsTerminal;

use anyhow::{Result, bail};
use kaitei_app::TableFormat;
use kaitei_app::table::{Layout, key_use, render};
use kaitei_compare::table::counts;
use kaitei_compare::{RowKind, compare};
use kaitei_model::Document;
use kaitei_report::table::{Columns, json};

use super::export::{write_atomically, write_atomically_with};
use crate::Outcome;
use crate::cli::{ColumnsArg, DiffArgs};
use crate::input::{Database, Origin, load_with_origin};

pub fn exec(args: &DiffArgs, db: &Database) -> Result<Outcome> {
    let (old, old_origin) = load_with_origin(&args.old, db, &args.docx)?;
    let (new, new_origin) = load_with_origin(&args.new, db, &args.docx)?;
    let keys = key_use(old_origin == Origin::Stored, new_origin == Origin::Stored);
    let cmp = compare(&old, &new, keys);
    let format = TableFormat::from(args.format);
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    if format == TableFormat::Json {
        // Streamed: the JSON of a full-size table is megabytes.
        match &args.output {
            Some(path) => write_atomically_with(path, |w| json::write_json(&cmp, w))?,
            None => crate::output::stream_stdout(|w| json::write_json(&cmp, w))?,
        }
        report(&cmp);
        std::mem::forget(cmp);
        exit_without_freeing(old, new);
        return Ok(Outcome::Ok);
    }
    if to_terminal && format.is_binary() {
        bail!(
            "a {} file is binary: write it with -o FILE",
            format.display_name()
        );
    }
    let layout = Layout {
        columns: match args.columns {
            ColumnsArg::NewOld => Columns::NewOld,
            ColumnsArg::OldNew => Columns::OldNew,
        },
        context: args.context,
        colour: to_terminal,
    };
    let bytes = render(&cmp, format, layout)?;
    match &args.output {
        Some(path) => write_atomically(path, &bytes)?,
        None => {
            let mut out = std::io::stdout().lock();
            crate::output::write_stdout(&mut out, &bytes)?;
        }
    }
    report(&cmp);
    std::mem::forget(cmp);
    exit_without_freeing(old, new);
    Ok(Outcome::Ok)
}

/// Leaves the two documents (and, forgotten before them, their
/// comparison) to the end of the process: the command is done with them,
/// and freeing some ten thousand nodes and strings one by one took a few
/// percent of a full-size `diff`, work the operating system does at once
/// when the process exits.
fn exit_without_freeing(old: Document, new: Document) {
    std::mem::forget(old);
    std::mem::forget(new);
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
