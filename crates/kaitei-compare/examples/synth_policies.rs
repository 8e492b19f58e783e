//! Writes a policy for every local government (1,788), derived from a
//! guideline edition with mixed adoption: each body rewrites, omits and adds
//! clauses at its own rate. For the national impact benchmark:
//! `synth_policies GUIDELINE.md OUT_DIR [COUNT]`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kaitei_compare::policy::{derive, profile};
use kaitei_compare::synth::Rng;
use kaitei_format::authoring::{PrintOptions, parse, print};
use kaitei_model::{Key, Node, NodeKind, Omission, Status, registry};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let guideline = args
        .next()
        .ok_or("usage: synth_policies GUIDELINE.md OUT_DIR [COUNT]")?;
    let dir = PathBuf::from(
        args.next()
            .ok_or("usage: synth_policies GUIDELINE.md OUT_DIR [COUNT]")?,
    );
    let count: usize = args.next().map_or(Ok(usize::MAX), |s| s.parse())?;
    std::fs::create_dir_all(&dir)?;
    let g = parse(&std::fs::read_to_string(&guideline)?).document;
    let mut rng = Rng::new(7);
    let mut written = 0;
    for body in registry().all().iter().take(count) {
        let given: BTreeMap<String, String> = [
            ("CISO職名".to_string(), "副市長".to_string()),
            ("適用機関".to_string(), "市長部局".to_string()),
        ]
        .into();
        let values = profile(body, &given);
        let mut p = derive(&g, body, &values, "令和6年度版").map_err(|m| format!("{m:?}"))?;
        // How far this body departs from the guideline: 0–40% of clauses.
        let rate = rng.below(40) as f64 / 100.0;
        let mut omitted = Vec::new();
        fn visit(
            nodes: &mut Vec<Node>,
            rng: &mut Rng,
            rate: f64,
            omitted: &mut Vec<Omission>,
            added: &mut usize,
        ) {
            let mut i = 0;
            while i < nodes.len() {
                let leaf = nodes[i].children.is_empty();
                if leaf && rng.chance(rate / 8.0) {
                    let n = nodes.remove(i);
                    if let Some(from) = n.from {
                        omitted.push(Omission {
                            from,
                            reason: "本団体では該当しないため".into(),
                        });
                    }
                    continue;
                }
                if rng.chance(rate) && !nodes[i].paragraphs.is_empty() {
                    let n = &mut nodes[i];
                    n.paragraphs[0] = format!("{}（本団体の運用による。）", n.paragraphs[0]);
                    n.status = Some(Status::Modified);
                }
                if leaf && rng.chance(rate / 10.0) {
                    *added += 1;
                    let mut own = Node::new(
                        NodeKind::Item,
                        Key::new(&format!("own-{added}")).unwrap_or_else(|| unreachable!()),
                    );
                    own.key_pinned = true;
                    own.label = nodes[i].label.clone();
                    own.paragraphs
                        .push("本団体独自の規定として、別に定める手順により運用する。".into());
                    own.status = Some(Status::Added);
                    nodes.insert(i + 1, own);
                    i += 1;
                }
                visit(&mut nodes[i].children, rng, rate, omitted, added);
                i += 1;
            }
        }
        let mut added = 0;
        visit(&mut p.children, &mut rng, rate, &mut omitted, &mut added);
        p.meta.omitted = omitted;
        std::fs::write(
            dir.join(format!("{}.md", body.code)),
            print(&p, PrintOptions::default()),
        )?;
        written += 1;
    }
    eprintln!("wrote {written} policies to {}", dir.display());
    Ok(())
}
