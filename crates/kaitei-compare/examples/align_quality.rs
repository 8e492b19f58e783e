//! Alignment quality on full-size synthetic pairs, per seed and pooled:
//! `align_quality KIND NODES SEED…` (KIND `stock` or `templated`). Prints
//! precision and recall over every node pair and over items alone.

use kaitei_compare::synth::{
    ChapterChanges, Rates, Tally, evaluate, guideline, revise, revise_templated, templated,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: align_quality stock|templated NODES SEED…";
    let kind = args.next().ok_or(usage)?;
    let nodes: usize = args.next().ok_or(usage)?.parse()?;
    let (mut all, mut items) = (Tally::default(), Tally::default());
    for seed in args {
        let seed: u64 = seed.parse()?;
        let (old, rev) = match kind.as_str() {
            "stock" => {
                let old = guideline(seed, nodes);
                let rev = revise(&old, seed + 1, Rates::default());
                (old, rev)
            }
            "templated" => {
                let old = templated(seed, nodes);
                let rev = revise_templated(
                    &old,
                    seed + 1,
                    Rates::templated(),
                    ChapterChanges::default(),
                );
                (old, rev)
            }
            _ => return Err(usage.into()),
        };
        let (a, i) = evaluate(&old, &rev);
        if std::env::var_os("WRONG").is_some() {
            wrong(&old, &rev);
        }
        println!(
            "seed {seed}: all P {:.4} R {:.4}  items P {:.4} R {:.4}",
            a.precision(),
            a.recall(),
            i.precision(),
            i.recall()
        );
        all = all.plus(a);
        items = items.plus(i);
    }
    println!(
        "pooled: all P {:.4} R {:.4}  items P {:.4} R {:.4}",
        all.precision(),
        all.recall(),
        items.precision(),
        items.recall()
    );
    Ok(())
}

/// Prints the wrong and the missed heading pairs (paths), for tuning.
fn wrong(old: &kaitei_model::Document, rev: &kaitei_compare::synth::Revision) {
    use std::collections::HashSet;
    let cmp = kaitei_compare::compare(old, &rev.document, kaitei_compare::KeyUse::Pinned);
    let truth: HashSet<(&str, &str)> = rev
        .truth
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    for &(o, n, how) in &cmp.alignment.links {
        let (a, b) = (&cmp.old.nodes[o], &cmp.new.nodes[n]);
        if !truth.contains(&(a.node.key.as_str(), b.node.key.as_str()))
            && (a.node.kind != kaitei_model::NodeKind::Item || std::env::var_os("ITEMS").is_some())
        {
            println!(
                "  wrong {how:?}: {} -> {}",
                cmp.old.path_string(o),
                cmp.new.path_string(n)
            );
        }
    }
    if std::env::var_os("MISSED").is_some() {
        let find = |d: &kaitei_compare::FlatDoc, k: &str| {
            (0..d.len()).find(|&i| d.nodes[i].node.key.as_str() == k)
        };
        let made: HashSet<(usize, usize)> = cmp
            .alignment
            .links
            .iter()
            .map(|&(o, n, _)| (o, n))
            .collect();
        for (a, b) in &rev.truth {
            if let (Some(o), Some(n)) = (find(&cmp.old, a), find(&cmp.new, b))
                && !made.contains(&(o, n))
            {
                println!(
                    "  missed: {} -> {} (old paired with {:?}, new with {:?})\n    {}\n    {}",
                    cmp.old.path_string(o),
                    cmp.new.path_string(n),
                    cmp.alignment.new_for(o).map(|x| cmp.new.path_string(x)),
                    cmp.alignment.old_for(n).map(|x| cmp.old.path_string(x)),
                    cmp.old.nodes[o].content,
                    cmp.new.nodes[n].content,
                );
            }
        }
    }
}
