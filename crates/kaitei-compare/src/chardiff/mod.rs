//! Character diff of two strings, cleaned up for people: short equal runs
//! between changes are absorbed, and changed runs are widened to word
//! boundaries (TinySegmenter), so an underline covers a whole phrase.
//!
//! Characters are compared after NFKC one by one, so full-width and
//! half-width forms are not changes; spans are offsets into the strings as
//! written.

pub(crate) mod myers;

use unicode_normalization::UnicodeNormalization;

use crate::segment::scan;
use crate::similarity::simple_nfkc;

/// Equal runs at most this long between two changes are shown as changed,
/// so that `情報[セ]キュ[リ]ティ` does not happen.
pub const ABSORB_EQUAL: usize = 2;

/// The most work one character diff may do: cells of the edit graph
/// visited plus matching characters followed, as Myers' algorithm counts
/// them (about the length of the texts times their edit distance). A
/// pair that needs more — long texts that share little — is shown as one
/// change between its common prefix and suffix. A budget of work rather
/// than of time, so that the same inputs always give the same table,
/// however busy the machine. (The clauses of a guideline revision need a
/// few thousand; a 2,000-character commentary rewritten throughout, about
/// a million.)
pub const DIFF_BUDGET: usize = 1 << 20;

/// A run of characters `[start, end)` (Unicode scalar offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
}

fn tokens(s: &str) -> Vec<u64> {
    s.chars()
        .map(|c| {
            // Most characters' NFKC form is known without the tables.
            if let Some(Some(m)) = simple_nfkc(c) {
                return u64::from(m as u32);
            }
            let mut n = c.nfkc();
            match (n.next(), n.next()) {
                (Some(a), None) => u64::from(a as u32),
                // Characters that expand (㈱ → (株)) get a token of their
                // own expansion.
                _ => {
                    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
                    for x in c.nfkc() {
                        h = (h ^ u64::from(x as u32)).wrapping_mul(0x100_0000_01b3);
                    }
                    h | (1 << 63)
                }
            }
        })
        .collect()
}

/// How far around a run's edge the text is segmented to find a word
/// boundary: longer than any word the segmenter joins (情報セキュリティ
/// is 8 characters).
const SNAP_WINDOW: usize = 12;

/// The word boundary at or before `at` (`up` false) or at or after it
/// (`up` true), from segmenting only a window around it — the whole text
/// is never segmented, so long clauses stay cheap — and only as far as
/// the answer. The window's own edges are not boundaries unless the
/// text's are.
fn boundary_near(chars: &[char], at: usize, up: bool) -> Option<usize> {
    let lo = at.saturating_sub(SNAP_WINDOW);
    let hi = (at + SNAP_WINDOW).min(chars.len());
    let mut found = None;
    if !up && lo == 0 {
        found = Some(0);
    }
    scan(&chars[lo..hi], |b| {
        let b = b + lo;
        if up {
            if b >= at {
                found = Some(b);
                return false;
            }
        } else if b <= at {
            found = Some(b);
        } else {
            return false;
        }
        true
    });
    if up && found.is_none() && hi == chars.len() {
        found = Some(hi);
    }
    found
}

/// Widens each run to the word boundaries around it and merges runs that
/// then touch.
fn snap(runs: &[Run], text: &str) -> Vec<Run> {
    if runs.is_empty() {
        return Vec::new();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Run> = Vec::new();
    for r in runs {
        if r.start == r.end {
            continue;
        }
        let start = boundary_near(&chars, r.start, false).unwrap_or(r.start);
        let end = boundary_near(&chars, r.end, true).unwrap_or(r.end);
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => out.push(Run { start, end }),
        }
    }
    out
}

/// The work Myers' algorithm needs to diff `a` and `b`, if within
/// `budget` (see [`DIFF_BUDGET`]).
#[cfg(test)]
fn myers_work(a: &[u64], b: &[u64], budget: usize) -> Option<usize> {
    myers::script(a, b, budget).work
}

/// The changed runs of `old` and of `new`, cleaned up and snapped to words.
pub fn diff(old: &str, new: &str) -> (Vec<Run>, Vec<Run>) {
    if old == new {
        return (Vec::new(), Vec::new());
    }
    let (a, b) = (tokens(old), tokens(new));
    if a == b {
        return (Vec::new(), Vec::new());
    }
    // Changed regions, with short equal runs between two of them absorbed
    // into one.
    let mut edits: Vec<(Run, Run)> = Vec::new();
    for (o, n) in myers::script(&a, &b, DIFF_BUDGET).hunks {
        match edits.last_mut() {
            Some((lo, ln)) if o.start - lo.end <= ABSORB_EQUAL => {
                lo.end = o.end;
                ln.end = n.end;
            }
            _ => edits.push((o, n)),
        }
    }
    let old_runs: Vec<Run> = edits.iter().map(|e| e.0).collect();
    let new_runs: Vec<Run> = edits.iter().map(|e| e.1).collect();
    (snap(&old_runs, old), snap(&new_runs, new))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(s: &str, runs: &[Run]) -> String {
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if runs.iter().any(|r| r.start == i) {
                out.push('[');
            }
            out.push(c);
            if runs.iter().any(|r| r.end == i + 1) {
                out.push(']');
            }
        }
        out
    }

    fn show(old: &str, new: &str) -> (String, String) {
        let (o, n) = diff(old, new);
        (marked(old, &o), marked(new, &n))
    }

    #[test]
    fn width_variants_are_not_changes() {
        assert_eq!(diff("ＵＳＢメモリ（１）", "USBメモリ(1)"), (vec![], vec![]));
    }

    #[test]
    fn underlines_cover_whole_words() {
        let (o, n) = show(
            "情報セキュリティ管理者は、サーバの設置を行う。",
            "統括情報セキュリティ責任者は、サーバの設置を行う。",
        );
        // Only what changed is underlined, but never half a word.
        assert_eq!(o, "情報セキュリティ[管理]者は、サーバの設置を行う。");
        assert_eq!(n, "[統括]情報セキュリティ[責任]者は、サーバの設置を行う。");
    }

    #[test]
    fn short_equal_runs_between_changes_are_absorbed() {
        let (o, n) = show("機密性2の情報", "完全性1の情報");
        assert_eq!(o, "[機密性2]の情報");
        assert_eq!(n, "[完全性1]の情報");
    }

    #[test]
    fn absorb_equal_is_the_longest_equal_run_absorbed() {
        // Between two changes, an equal run of ABSORB_EQUAL characters is
        // underlined with them; one more character and it stands apart.
        assert_eq!(ABSORB_EQUAL, 2);
        assert_eq!(show("1--3", "4--5").1, "[4--5]");
        assert_eq!(show("1---3", "4---5").1, "[4]---[5]");
    }

    #[test]
    fn insertions_mark_only_the_new_side() {
        let (o, n) = show("サーバを設置する。", "サーバを管理区域に設置する。");
        assert_eq!(o, "サーバを設置する。");
        assert!(
            n.contains("[管理区域に]") || n.contains("[管理区域に設置]"),
            "{n}"
        );
    }

    /// Long texts that share little: a clause of `n` sentences and the
    /// same sentences with their subjects and objects redrawn.
    fn far_apart(n: usize) -> (String, String) {
        let mut a = crate::synth::Rng::new(1);
        let mut b = crate::synth::Rng::new(2);
        let subjects = [
            "情報セキュリティ管理者は、",
            "職員等は、",
            "委託事業者は、",
            "情報システム管理者は、",
        ];
        let objects = [
            "サーバ等の機器",
            "電磁的記録媒体",
            "通信回線",
            "アクセス記録",
            "パスワード",
        ];
        let (mut old, mut new) = (String::new(), String::new());
        for _ in 0..n {
            let tail = "について、必要な措置を講じなければならない。";
            old.push_str(&format!("{}{}{tail}", a.pick(&subjects), a.pick(&objects)));
            new.push_str(&format!("{}{}{tail}", b.pick(&subjects), b.pick(&objects)));
        }
        (old, new)
    }

    fn work(old: &str, new: &str) -> Option<usize> {
        myers_work(&tokens(old), &tokens(new), usize::MAX)
    }

    #[test]
    fn myers_work_is_exact_at_its_budget() {
        let (old, new) = far_apart(20);
        let (a, b) = (tokens(&old), tokens(&new));
        let w = myers_work(&a, &b, usize::MAX).expect("finite");
        assert_eq!(myers_work(&a, &b, w), Some(w));
        assert_eq!(myers_work(&a, &b, w - 1), None);
        // Equal texts and pure insertions cost nothing beyond their ends.
        assert_eq!(myers_work(&a, &a, 0), Some(0));
        assert_eq!(myers_work(&a, &[], 0), Some(a.len()));
    }

    #[test]
    fn diff_budget() {
        // The shortest pair of these texts past the budget, and the one
        // before it: the first is shown as one change between its common
        // prefix and suffix, the second gets a character-level answer.
        let (mut lo, mut hi) = (1, 2);
        while work(&far_apart(hi).0, &far_apart(hi).1).is_some_and(|w| w <= DIFF_BUDGET) {
            lo = hi;
            hi *= 2;
        }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            let (o, n) = far_apart(mid);
            if work(&o, &n).is_some_and(|w| w <= DIFF_BUDGET) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let (old, new) = far_apart(lo);
        let w = work(&old, &new).expect("finite");
        assert!(
            w <= DIFF_BUDGET && DIFF_BUDGET - w < DIFF_BUDGET / 50,
            "{w}"
        );
        let (o, _) = diff(&old, &new);
        assert!(o.len() > 10, "a character-level answer: {} runs", o.len());
        let (old, new) = far_apart(hi);
        let w = work(&old, &new).expect("finite");
        assert!(w > DIFF_BUDGET && w - DIFF_BUDGET < DIFF_BUDGET / 50, "{w}");
        let (o, n) = diff(&old, &new);
        assert_eq!((o.len(), n.len()), (1, 1), "one change: {o:?} {n:?}");
    }

    #[test]
    fn a_diff_past_the_budget_is_the_same_on_a_busy_machine() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        let (mut old, mut new) = far_apart(400);
        // Share a beginning and an end, so the coarse answer has a shape.
        old = format!("第1条　{old}以上。");
        new = format!("第1条　{new}以上。");
        assert!(
            work(&old, &new).is_some_and(|w| w > DIFF_BUDGET),
            "past the budget"
        );
        let first = diff(&old, &new);
        assert_eq!((first.0.len(), first.1.len()), (1, 1));
        // Other threads keep every core busy while the same diff runs
        // again: a deadline would give way to them, a budget does not.
        let stop = Arc::new(AtomicBool::new(false));
        let spinners: Vec<_> = (0..4)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    let mut x = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(1));
                    }
                })
            })
            .collect();
        let again: Vec<_> = (0..5).map(|_| diff(&old, &new)).collect();
        stop.store(true, Ordering::Relaxed);
        for s in spinners {
            s.join().expect("spinner");
        }
        assert!(again.iter().all(|d| *d == first));
    }
}
