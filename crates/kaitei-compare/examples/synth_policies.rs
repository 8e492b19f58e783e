//! Writes a policy for every local government (1,788), derived from a
//! guideline edition by the nation generator (`synth::nation`): each body
//! rewrites, omits and adds clauses at its own rate. For the national
//! impact benchmark: `synth_policies GUIDELINE.md OUT_DIR [COUNT]`.

use std::path::PathBuf;

use kaitei_compare::synth::nation;
use kaitei_format::authoring::{PrintOptions, parse, print};
use kaitei_model::registry;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: synth_policies GUIDELINE.md OUT_DIR [COUNT]";
    let mut args = std::env::args().skip(1);
    let guideline = args.next().ok_or(usage)?;
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let count: usize = args.next().map_or(Ok(usize::MAX), |s| s.parse())?;
    std::fs::create_dir_all(&dir)?;
    let g = parse(&std::fs::read_to_string(&guideline)?).document;
    let all = registry().all();
    let bodies = &all[..count.min(all.len())];
    let mut written = 0;
    for (body, p) in nation::policies(&g, bodies, "令和6年度版", 7) {
        let p = p.map_err(|m| format!("{}: {m:?}", body.code))?;
        std::fs::write(
            dir.join(format!("{}.md", body.code)),
            print(&p, PrintOptions::default()),
        )?;
        written += 1;
    }
    eprintln!("wrote {written} policies to {}", dir.display());
    Ok(())
}
