//! Writes a synthetic full-size revision pair for the benchmark:
//! `synth_pair OUT_DIR [NODES] [SEED]` → OUT_DIR/old.md, new.md.

use std::path::PathBuf;

use kaitei_compare::synth::{Rates, guideline, revise};
use kaitei_format::authoring::{PrintOptions, print};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: synth_pair OUT_DIR [NODES] [SEED]")?,
    );
    let nodes: usize = args.next().map_or(Ok(3200), |s| s.parse())?;
    let seed: u64 = args.next().map_or(Ok(2025), |s| s.parse())?;
    std::fs::create_dir_all(&dir)?;
    let old = guideline(seed, nodes);
    let mut new = revise(&old, seed + 1, Rates::default()).document;
    new.meta.edition = "合成版（改定）".into();
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
