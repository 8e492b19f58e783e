//! Support for the mutation-robustness tests of the two readers of untrusted
//! input (`authoring/mutation_tests.rs`, `docx/mutation_tests.rs`):
//! fuzzing without a fuzzer, on stable Rust and deterministic.
//!
//! Every case is a pure function of the seed and its number, so a failure
//! names the case and re-running just that case reproduces it:
//!
//! - `KAITEI_MUTATIONS=20000` — how many cases each mutation test runs
//!   (the default keeps `cargo test` fast);
//! - `KAITEI_MUTATION_SEED=…` — another seed than the fixed default;
//! - `KAITEI_MUTATION_CASE=n` — run only case `n` (to reproduce a failure).

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// The longest one case may take, even in a debug build: a reader must not
/// hang on a pathological input.
pub const MAX_CASE_TIME: Duration = Duration::from_secs(2);

/// SplitMix64: tiny, fast and good enough to drive mutations.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// The generator of case `case` under `seed`.
    pub fn for_case(seed: u64, case: usize) -> Rng {
        let mut r = Rng(seed ^ (case as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// A small count, most often 1: 1 + a geometric tail, at most `max`.
    pub fn small(&mut self, max: usize) -> usize {
        let mut n = 1;
        while n < max && self.one_in(2) {
            n += 1;
        }
        n
    }

    /// One of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A random character, biased towards the ones the readers look at:
    /// ASCII, full-width forms, kana, kanji, enclosed numbers, controls,
    /// combining marks and the extremes of Unicode.
    pub fn char(&mut self) -> char {
        const RANGES: &[(u32, u32)] = &[
            (0x20, 0x7E),       // ASCII
            (0x00, 0x1F),       // controls, tab, CR, LF
            (0xFF01, 0xFF5E),   // full-width forms (１, （, ｱ…)
            (0x3000, 0x303F),   // CJK punctuation,
            (0x3040, 0x30FF),   // kana
            (0x4E00, 0x9FFF),   // kanji
            (0x2460, 0x24FF),   // ①, ⑴, ⒜
            (0x3251, 0x32BF),   // ㉑…㊿
            (0x0300, 0x036F),   // combining marks
            (0x2000, 0x206F),   // spaces, zero-width, bidi
            (0xFFF0, 0xFFFF),   // specials, U+FFFD, non-characters
            (0x1F300, 0x1F6FF), // emoji
            (0x10FFF0, 0x10FFFF),
        ];
        let &(lo, hi) = self.pick(RANGES);
        char::from_u32(lo + self.below((hi - lo + 1) as usize) as u32).unwrap_or('\u{FFFD}')
    }
}

/// How many cases each mutation test runs: `KAITEI_MUTATIONS`, or
/// `default`.
pub fn cases(default: usize) -> usize {
    std::env::var("KAITEI_MUTATIONS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// The seed: `KAITEI_MUTATION_SEED`, or a fixed one.
pub fn seed() -> u64 {
    std::env::var("KAITEI_MUTATION_SEED")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0x6B61_6974_6569)
}

/// The case numbers to run: all of `0..cases(default)`, or only
/// `KAITEI_MUTATION_CASE`.
pub fn case_numbers(default: usize) -> Vec<usize> {
    match std::env::var("KAITEI_MUTATION_CASE")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        Some(n) => vec![n],
        None => (0..cases(default)).collect(),
    }
}

/// What became of one case: what the reader made of the input (a name
/// for the summary), or what went wrong; and how long it took.
pub struct Outcome {
    result: Result<&'static str, String>,
    took: Duration,
}

/// Runs `check` on one case, turning a panic, an over-long run or a failed
/// check into a description of what went wrong. `check` returns a short
/// name for what the reader made of the input (`"Ok"`, an error kind…).
#[allow(
    clippy::disallowed_methods,
    reason = "mutation tests bound each case's time; no result depends on it"
)]
pub fn run_case(check: impl FnOnce() -> Result<&'static str, String>) -> Outcome {
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(check));
    let took = start.elapsed();
    let result = match result {
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "(no message)".into());
            Err(format!("PANIC: {message}"))
        }
        Ok(Ok(_)) if took > MAX_CASE_TIME => Err(format!(
            "TOO SLOW: {took:?} (limit {MAX_CASE_TIME:?}): a pathological input"
        )),
        Ok(r) => r,
    };
    Outcome { result, took }
}

/// The first `max` characters of `s`, for failure reports.
pub fn excerpt(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}\n… ({} more bytes)", &s[..i], s.len() - i),
        None => s.to_string(),
    }
}

/// Collects failures and fails the test with all of them at the end.
#[derive(Default)]
pub struct Report {
    failures: Vec<String>,
    count: usize,
    slowest: Duration,
    total: Duration,
    kinds: BTreeMap<&'static str, usize>,
}

impl Report {
    /// Records one case; `input` describes it (only used on failure).
    pub fn record(&mut self, case: usize, outcome: Outcome, input: impl FnOnce() -> String) {
        self.count += 1;
        self.total += outcome.took;
        self.slowest = self.slowest.max(outcome.took);
        match outcome.result {
            Ok(kind) => *self.kinds.entry(kind).or_default() += 1,
            Err(p) => self.failure(case, p, input),
        }
    }

    fn failure(&mut self, case: usize, p: String, input: impl FnOnce() -> String) {
        // Every failure is counted; only the first few are spelled out.
        if self.failures.len() < 5 {
            self.failures.push(format!(
                "case {case} (reproduce with KAITEI_MUTATION_CASE={case}): {p}\ninput:\n{}",
                input()
            ));
        } else {
            self.failures
                .push(format!("case {case}: {}", excerpt(&p, 200)));
        }
    }

    /// Prints a summary and fails if any case failed.
    pub fn finish(self, name: &str) {
        println!(
            "{name}: {} cases in {:?}, slowest {:?}, {} failed (seed {}); outcomes: {:?}",
            self.count,
            self.total,
            self.slowest,
            self.failures.len(),
            seed(),
            self.kinds
        );
        assert!(
            self.failures.is_empty(),
            "{name}: {} of {} cases failed:\n\n{}",
            self.failures.len(),
            self.count,
            self.failures.join("\n\n")
        );
    }
}
