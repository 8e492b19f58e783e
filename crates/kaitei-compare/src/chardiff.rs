//! Character diff of two strings, cleaned up for people: short equal runs
//! between changes are absorbed, and changed runs are widened to word
//! boundaries (TinySegmenter), so an underline covers a whole phrase.
//!
//! Characters are compared after NFKC one by one, so full-width and
//! half-width forms are not changes; spans are offsets into the strings as
//! written.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp, capture_diff_slices_deadline};
use unicode_normalization::UnicodeNormalization;

use crate::segment::boundaries;

/// Equal runs at most this long between two changes are shown as changed,
/// so that `情報[セ]キュ[リ]ティ` does not happen.
pub const ABSORB_EQUAL: usize = 2;

/// Longest time one character diff may take before it settles for a
/// coarser answer.
const DEADLINE: Duration = Duration::from_millis(200);

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

/// Word boundaries near `at`, from segmenting only a window around it:
/// the whole text is never segmented, so long clauses stay cheap.
fn boundaries_near(chars: &[char], at: usize) -> Vec<usize> {
    let lo = at.saturating_sub(SNAP_WINDOW);
    let hi = (at + SNAP_WINDOW).min(chars.len());
    let window: String = chars[lo..hi].iter().collect();
    let mut b: Vec<usize> = boundaries(&window).into_iter().map(|x| x + lo).collect();
    // The window's own edges are not word boundaries unless the text's are.
    b.retain(|&x| (x != lo || lo == 0) && (x != hi || hi == chars.len()));
    b
}

/// Widens each run to the word boundaries around it and merges runs that
/// then touch.
fn snap(runs: &[Run], text: &str) -> Vec<Run> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Run> = Vec::new();
    for r in runs {
        if r.start == r.end {
            continue;
        }
        let start = boundaries_near(&chars, r.start)
            .into_iter()
            .filter(|&b| b <= r.start)
            .max()
            .unwrap_or(r.start);
        let end = boundaries_near(&chars, r.end)
            .into_iter()
            .filter(|&b| b >= r.end)
            .min()
            .unwrap_or(r.end);
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => out.push(Run { start, end }),
        }
    }
    out
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
    let ops =
        capture_diff_slices_deadline(Algorithm::Myers, &a, &b, Some(Instant::now() + DEADLINE));
    // Edits as (old range, new range), with short equal runs between two
    // edits absorbed into one.
    let mut edits: Vec<(Run, Run)> = Vec::new();
    let mut pending_equal: Option<(usize, usize, usize)> = None;
    for op in ops {
        let (o, ol, n, nl) = match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                pending_equal = Some((old_index, new_index, len));
                continue;
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index, old_len, new_index, 0),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index, 0, new_index, new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (old_index, old_len, new_index, new_len),
        };
        let absorb = matches!(pending_equal, Some((_, _, len)) if len <= ABSORB_EQUAL);
        match edits.last_mut() {
            Some((lo, ln)) if absorb || pending_equal.is_none() => {
                lo.end = o + ol;
                ln.end = n + nl;
            }
            _ => edits.push((
                Run {
                    start: o,
                    end: o + ol,
                },
                Run {
                    start: n,
                    end: n + nl,
                },
            )),
        }
        pending_equal = None;
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
}
