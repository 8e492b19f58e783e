//! Writes a synthetic full-size revision pair for the benchmark:
//! `synth_pair OUT_DIR [NODES] [SEED] [KIND]` → OUT_DIR/old.md, new.md.
//! KIND is `stock` (the default: `synth::guideline` revised by
//! `synth::revise`) or `templated` (`synth::templated` revised by
//! `synth::revise_templated`: chapters from one template, renumbered,
//! moved, swapped and renamed).

use std::path::PathBuf;

use kaitei_compare::synth::{
    ChapterChanges, Rates, guideline, revise, revise_templated, templated,
};
use kaitei_format::authoring::{PrintOptions, print};

const USAGE: &str = "usage: synth_pair OUT_DIR [NODES] [SEED] [stock|templated]";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or(USAGE)?);
    let nodes: usize = args.next().map_or(Ok(3200), |s| s.parse())?;
    let seed: u64 = args.next().map_or(Ok(2025), |s| s.parse())?;
    let kind = args.next().unwrap_or_else(|| "stock".into());
    std::fs::create_dir_all(&dir)?;
    let (old, mut new) = match kind.as_str() {
        "stock" => {
            let old = guideline(seed, nodes);
            let new = revise(&old, seed + 1, Rates::default()).document;
            (old, new)
        }
        "templated" => {
            let old = templated(seed, nodes);
            let new = revise_templated(
                &old,
                seed + 1,
                Rates::templated(),
                ChapterChanges::default(),
            )
            .document;
            (old, new)
        }
        other => return Err(format!("unknown kind {other}; {USAGE}").into()),
    };
    new.meta.edition = format!("{}（改定）", old.meta.edition);
    let old_text = print(&old, PrintOptions::default());
    let new_text = print(&new, PrintOptions::default());
    std::fs::write(dir.join("old.md"), &old_text)?;
    std::fs::write(dir.join("new.md"), &new_text)?;
    eprintln!(
        "old: {} nodes, {} characters; new: {} nodes, {} characters",
        old.node_count(),
        old_text.chars().count(),
        new.node_count(),
        new_text.chars().count()
    );
    Ok(())
}
