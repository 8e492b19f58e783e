//! Clustering quality and time on generated consultation comments:
//! `cluster_quality BODIES PER SEED…` — BODIES respondents from the body
//! registry (at most 1,788), each writing 1..=PER comments on the clauses
//! of a synthetic guideline. Prints, per seed and pooled, pairwise
//! precision, recall and F1 and the time taken, for kaitei's clustering and
//! for the naive baseline (`exact`: equal text after NFKC and white-space
//! removal, on the same clause). `WRONG=1` prints the pairs kaitei got
//! wrong, for tuning (on seeds 1–5 only: the tests assert on others).
//!
//! `cluster_quality --json BODIES PER SEED` prints the generated comments
//! instead, as the JSON array `kaitei consult cluster` reads.

// A benchmark reads the clock to report time; nothing is decided by it.
#![allow(clippy::disallowed_methods)]

use std::collections::HashMap;
use std::time::Instant;

use kaitei_compare::cluster::{Comment, Pins, canonical, cluster};
use kaitei_compare::similarity::normalize;
use kaitei_compare::synth::comments::{
    GeneratedComment, Shape, clauses, comments, pairwise, registry_bodies,
};
use kaitei_compare::synth::{Tally, guideline};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1).peekable();
    let usage = "usage: cluster_quality [--json] BODIES PER SEED…";
    let json = args.next_if(|a| a == "--json").is_some();
    let bodies: usize = args.next().ok_or(usage)?.parse()?;
    let per: usize = args.next().ok_or(usage)?.parse()?;
    let seeds: Vec<u64> = args.map(|s| s.parse()).collect::<Result<_, _>>()?;
    if seeds.is_empty() {
        return Err(usage.into());
    }
    let respondents = registry_bodies(bodies);
    let (mut ours, mut naive) = (Tally::default(), Tally::default());
    let (mut ours_s, mut naive_s) = (0.0, 0.0);
    for seed in seeds {
        let clauses = clauses(&guideline(seed, 600));
        let generated = comments(
            seed,
            &clauses,
            &respondents,
            Shape {
                per_respondent: per,
                ..Shape::default()
            },
        );
        if json {
            print_json(&generated);
            return Ok(());
        }
        let input: Vec<Comment> = generated
            .iter()
            .map(|g| Comment {
                text: &g.text,
                clause: Some(&g.clause),
            })
            .collect();
        let truth: Vec<usize> = generated.iter().map(|g| g.concern).collect();
        let start = Instant::now();
        let got = cluster(&input, &Pins::default());
        let t_ours = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let base = exact(&input);
        let t_naive = start.elapsed().as_secs_f64();
        let (a, b) = (pairwise(&truth, &got), pairwise(&truth, &base));
        let concerns = truth.iter().collect::<std::collections::HashSet<_>>().len();
        let found = got.iter().max().map_or(0, |m| m + 1);
        println!(
            "seed {seed}: {} comments, {concerns} concerns; kaitei {found} clusters",
            generated.len()
        );
        line("kaitei", a, t_ours);
        line("exact", b, t_naive);
        if std::env::var_os("WRONG").is_some() {
            wrong(&generated, &got);
        }
        ours = ours.plus(a);
        naive = naive.plus(b);
        ours_s += t_ours;
        naive_s += t_naive;
    }
    println!("pooled:");
    line("kaitei", ours, ours_s);
    line("exact", naive, naive_s);
    println!(
        "kaitei / exact: F1 {:.2}x, recall {:.2}x, time {:.1}x",
        ours.f1() / naive.f1().max(1e-9),
        ours.recall() / naive.recall().max(1e-9),
        ours_s / naive_s.max(1e-9)
    );
    Ok(())
}

fn line(name: &str, t: Tally, seconds: f64) {
    println!(
        "  {name:<7} P {:.4}  R {:.4}  F1 {:.4}  {:>8.1} ms",
        t.precision(),
        t.recall(),
        t.f1(),
        seconds * 1000.0
    );
}

/// The naive baseline: one cluster per clause and exact text after NFKC
/// and white-space removal.
fn exact(input: &[Comment]) -> Vec<usize> {
    let mut ids: HashMap<(Option<&str>, String), usize> = HashMap::new();
    input
        .iter()
        .map(|c| {
            let next = ids.len();
            *ids.entry((c.clause, normalize(c.text))).or_insert(next)
        })
        .collect()
}

/// Distinct canonical texts put together wrongly, and those kept apart
/// wrongly (one example each).
fn wrong(generated: &[GeneratedComment], got: &[usize]) {
    let mut seen = std::collections::HashSet::new();
    for (i, a) in generated.iter().enumerate() {
        for (j, b) in generated.iter().enumerate().skip(i + 1) {
            if a.clause != b.clause {
                continue;
            }
            let (same_truth, same_got) = (a.concern == b.concern, got[i] == got[j]);
            if same_truth == same_got {
                continue;
            }
            let (x, y) = (canonical(&a.text), canonical(&b.text));
            if x == y || !seen.insert((x.clone(), y.clone())) {
                continue;
            }
            let what = if same_got { "JOINED" } else { "SPLIT " };
            println!("    {what} {x}\n           {y}");
        }
    }
}

/// The comments as `kaitei consult cluster` reads them, one a line.
fn print_json(generated: &[GeneratedComment]) {
    fn quoted(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
    println!("[");
    for (i, g) in generated.iter().enumerate() {
        let comma = if i + 1 < generated.len() { "," } else { "" };
        println!(
            "  {{\"id\": \"c{i}\", \"body\": {}, \"clause\": {}, \"kind\": \"{}\", \"quote\": {}, \"text\": {}}}{comma}",
            quoted(&g.body),
            quoted(&g.clause),
            g.kind.as_str(),
            quoted(&g.quote),
            quoted(&g.text)
        );
    }
    println!("]");
}
