//! Times the phases of `kaitei diff --format json OLD NEW` in one process,
//! repeated, so that a change to one phase can be judged without the
//! start-up and noise of a whole process (`bench/diff.sh` times that):
//!
//! ```sh
//! diff_phases OLD.md NEW.md [RUNS]          # median and fastest ms of each phase
//! diff_phases OLD.md NEW.md RUNS parse      # only parsing OLD, RUNS times (for perf)
//! diff_phases OLD.md NEW.md RUNS compare    # only comparing, RUNS times (for perf)
//! RSS=1 diff_phases OLD.md NEW.md 1         # anonymous memory touched after each phase
//! ```
//!
//! The phases: reading and parsing each file, flattening both, aligning
//! them, the whole comparison again (flatten, align, rows and character
//! diffs), and writing the JSON (to nothing). After the first run the
//! allocator reuses memory the kernel has already zeroed, which a real
//! `diff` never does: these figures leave that out.

use std::time::Instant;

use kaitei_compare::KeyUse;
use kaitei_compare::align::align;
use kaitei_compare::flat::FlatDoc;
use kaitei_model::Document;

// The binary's allocator: allocation is a good part of parsing.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// With `RSS` set, prints the anonymous memory touched so far (what the
/// kernel had to zero) after `what`.
fn rss(what: &str) {
    if std::env::var_os("RSS").is_none() {
        return;
    }
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    for line in status.lines().filter(|l| l.starts_with("RssAnon")) {
        eprintln!("{what:<14} {line}");
    }
}

/// Notes the time since `t` in `times`, and the memory after `what`;
/// restarts `t`.
fn lap(t: &mut Instant, times: &mut Vec<f64>, what: &str) {
    times.push(t.elapsed().as_secs_f64() * 1e3);
    rss(what);
    *t = Instant::now();
}

/// Reads and parses a file as `kaitei diff` does.
fn read(path: &str) -> Document {
    let bytes = std::fs::read(path).expect("the file can be read");
    kaitei_format::file::read_file_bytes(path, bytes, &Default::default())
        .expect("the file is a document")
        .parsed
        .document
}

fn main() {
    rss("start");
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: diff_phases OLD NEW [RUNS [parse|compare]]");
        std::process::exit(2);
    }
    let runs: usize = args
        .get(3)
        .map_or(15, |r| r.parse().expect("RUNS is a number"));
    if let Some(only) = args.get(4) {
        let text = std::fs::read_to_string(&args[1]).expect("OLD can be read");
        let (old, new) = (read(&args[1]), read(&args[2]));
        for _ in 0..runs {
            match only.as_str() {
                "parse" => drop(std::hint::black_box(kaitei_format::authoring::parse(&text))),
                _ => drop(std::hint::black_box(kaitei_compare::compare(
                    &old,
                    &new,
                    KeyUse::Pinned,
                ))),
            }
        }
        return;
    }
    let names = [
        "read+parse old",
        "read+parse new",
        "flatten",
        "align",
        "compare (all)",
        "json",
    ];
    let mut times = vec![Vec::new(); names.len()];
    for _ in 0..runs {
        let mut t = Instant::now();
        let old = read(&args[1]);
        lap(&mut t, &mut times[0], "old parsed");
        let new = read(&args[2]);
        lap(&mut t, &mut times[1], "new parsed");
        let (of, nf) = (FlatDoc::new(&old), FlatDoc::new(&new));
        lap(&mut t, &mut times[2], "flattened");
        let al = align(&of, &nf, KeyUse::Pinned);
        lap(&mut t, &mut times[3], "aligned");
        drop((al, of, nf));
        t = Instant::now();
        let cmp = kaitei_compare::compare(&old, &new, KeyUse::Pinned);
        lap(&mut t, &mut times[4], "compared");
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::sink());
        kaitei_report::table::json::write_json(&cmp, &mut out).expect("nothing fails to take it");
        lap(&mut t, &mut times[5], "json written");
    }
    for (name, mut v) in names.iter().zip(times) {
        v.sort_by(f64::total_cmp);
        println!("{name:<16} {:>7.2} ms (min {:.2})", v[v.len() / 2], v[0]);
    }
}
