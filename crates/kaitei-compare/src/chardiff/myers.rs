//! Myers' O(ND) difference algorithm ("An O(ND) Difference Algorithm and
//! Its Variations", 1986), forward and greedy, with its work counted so
//! that a budget — not a clock — bounds it.
//!
//! For each edit distance d it finds the furthest point reachable on each
//! diagonal, keeping a snapshot of those points to walk back along the
//! path once the end is reached. The work (cells of the edit graph
//! visited plus matching tokens followed) is about the length of the
//! texts times their edit distance, and the snapshots hold one number per
//! cell, so the budget bounds memory too.

use super::Run;

/// A changed region: the old run became the new run (either may be
/// empty). Between two hunks, and around them, the texts are equal.
pub(crate) type Hunk = (Run, Run);

/// The edit script of two token sequences.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Script {
    /// Changed regions, in order.
    pub hunks: Vec<Hunk>,
    /// The work it took; `None` when that passed the budget, and `hunks`
    /// is one region between the common prefix and suffix.
    pub work: Option<usize>,
}

/// The shortest edit script from `a` to `b`, within `budget` units of
/// work, else the coarse one.
pub(crate) fn script(a: &[u64], b: &[u64], budget: usize) -> Script {
    // A common prefix and suffix cost nothing.
    let pre = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..]
        .iter()
        .rev()
        .zip(b[pre..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (a, b) = (&a[pre..a.len() - suf], &b[pre..b.len() - suf]);
    let (n, m) = (a.len(), b.len());
    let run = |start: usize, end: usize| Run {
        start: pre + start,
        end: pre + end,
    };
    if n == 0 && m == 0 {
        return Script {
            hunks: Vec::new(),
            work: Some(0),
        };
    }
    let whole = vec![(run(0, n), run(0, m))];
    if n == 0 || m == 0 {
        return Script {
            hunks: whole,
            work: Some(n + m),
        };
    }
    thread_local! {
        // The diagonals and snapshots of one pair, kept for the next: a
        // table diffs hundreds of pairs, and each used to allocate (and
        // zero) its own.
        static SCRATCH: std::cell::RefCell<(Vec<usize>, Vec<u32>)> =
            const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    SCRATCH.with_borrow_mut(|(v, trace)| search(a, b, budget, pre, whole, v, trace))
}

/// The greedy forward search of [`script`] on `a` and `b` (their common
/// prefix of `pre` tokens and suffix already cut, neither empty), in the
/// scratch `v` and `trace`; `whole` (everything replaced) where it passed
/// the budget or found no way back.
fn search(
    a: &[u64],
    b: &[u64],
    budget: usize,
    pre: usize,
    whole: Vec<(Run, Run)>,
    v: &mut Vec<usize>,
    trace: &mut Vec<u32>,
) -> Script {
    let (n, m) = (a.len(), b.len());
    let max = n + m;
    let off = max as isize + 1;
    // v[off + k]: the furthest x on diagonal k = x - y. Round d reads only
    // what round d - 1 wrote, but for v[off + 1] in round 0: that one
    // entry is all that must start at zero, so a buffer left over from
    // another pair serves as it is.
    if v.len() < 2 * max + 3 {
        v.resize(2 * max + 3, 0);
    }
    v[(off + 1) as usize] = 0;
    // After each d, v[off - d..=off + d], at trace[d²..(d + 1)²].
    trace.clear();
    let mut work = 0usize;
    for d in 0..=max as isize {
        let mut k = -d;
        while k <= d {
            let at = (off + k) as usize;
            let down = k == -d || (k != d && v[at - 1] < v[at + 1]);
            let mut x = if down { v[at + 1] } else { v[at - 1] + 1 };
            let mut y = (x as isize - k) as usize;
            while x < n && y < m && a[x] == b[y] {
                x += 1;
                y += 1;
                work += 1;
            }
            v[at] = x;
            work += 1;
            if work > budget {
                return Script {
                    hunks: whole,
                    work: None,
                };
            }
            if x >= n && y >= m {
                // The path ends at (n, m); were the walk back to fail, the
                // coarse answer is still a right one.
                return Script {
                    hunks: walk_back(trace, d, n, m, pre).unwrap_or(whole),
                    work: Some(work),
                };
            }
            k += 2;
        }
        let (lo, hi) = ((off - d) as usize, (off + d) as usize);
        trace.extend(v[lo..=hi].iter().map(|&x| x as u32));
    }
    Script {
        hunks: whole,
        work: Some(work),
    }
}

/// Walks the path that reached (n, m) at distance `d` back to the start,
/// and gathers its edits into hunks (offset by `pre`). `None` if the
/// snapshots do not describe such a path (they always do).
fn walk_back(trace: &[u32], d: isize, n: usize, m: usize, pre: usize) -> Option<Vec<Hunk>> {
    // Each step back: the edit made at distance d, as (x, y, insertion).
    let mut edits: Vec<(usize, usize, bool)> = Vec::with_capacity(d as usize);
    let (mut x, mut y) = (n as isize, m as isize);
    for d in (1..=d).rev() {
        let k = x - y;
        let e = d - 1;
        let prev = |k: isize| -> Option<isize> {
            let i = usize::try_from(e * e + k + e).ok()?;
            trace.get(i).map(|&x| x as isize)
        };
        let down = k == -d || (k != d && prev(k - 1)? < prev(k + 1)?);
        let pk = if down { k + 1 } else { k - 1 };
        let px = prev(pk)?;
        let py = px - pk;
        if px < 0 || py < 0 || px > x || py > y {
            return None;
        }
        edits.push((px as usize, py as usize, down));
        x = px;
        y = py;
    }
    edits.reverse();
    let mut hunks: Vec<Hunk> = Vec::new();
    for (x, y, insertion) in edits {
        let (x, y) = (pre + x, pre + y);
        match hunks.last_mut() {
            Some((o, n)) if o.end == x && n.end == y => {
                if insertion {
                    n.end += 1;
                } else {
                    o.end += 1;
                }
            }
            _ => hunks.push((
                Run {
                    start: x,
                    end: x + usize::from(!insertion),
                },
                Run {
                    start: y,
                    end: y + usize::from(insertion),
                },
            )),
        }
    }
    Some(hunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<u64> {
        s.chars().map(|c| u64::from(c as u32)).collect()
    }

    /// Applies the hunks to `a`, taking the new runs from `b`: a script is
    /// right when this gives `b` and the untouched parts are equal.
    fn apply(a: &[u64], b: &[u64], hunks: &[Hunk]) -> Vec<u64> {
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        for (o, n) in hunks {
            assert_eq!(o.start - i, n.start - j, "equal stretches match");
            assert_eq!(a[i..o.start], b[j..n.start]);
            out.extend_from_slice(&a[i..o.start]);
            out.extend_from_slice(&b[n.start..n.end]);
            i = o.end;
            j = n.end;
        }
        assert_eq!(a[i..], b[j..]);
        out.extend_from_slice(&a[i..]);
        out
    }

    #[test]
    fn scripts_are_shortest_and_right() {
        let cases = [
            ("abcabba", "cbabac", 5),
            ("", "abc", 3),
            ("abc", "", 3),
            ("same", "same", 0),
            (
                "情報セキュリティ管理者は",
                "統括情報セキュリティ責任者は",
                6,
            ),
            ("kitten", "sitting", 5),
        ];
        for (x, y, distance) in cases {
            let (a, b) = (toks(x), toks(y));
            let s = script(&a, &b, usize::MAX);
            assert_eq!(apply(&a, &b, &s.hunks), b, "{x} → {y}");
            let edits: usize = s
                .hunks
                .iter()
                .map(|(o, n)| o.end - o.start + n.end - n.start)
                .sum();
            assert_eq!(edits, distance, "{x} → {y}: {:?}", s.hunks);
        }
    }

    /// The edit distance (insertions and deletions) by the textbook
    /// dynamic programme.
    fn distance(a: &[u64], b: &[u64]) -> usize {
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, x) in a.iter().enumerate() {
            let mut prev = row[0];
            row[0] = i + 1;
            for (j, y) in b.iter().enumerate() {
                let cur = if x == y {
                    prev
                } else {
                    1 + row[j].min(row[j + 1])
                };
                prev = row[j + 1];
                row[j + 1] = cur;
            }
        }
        row[b.len()]
    }

    proptest::proptest! {
        /// On random texts over small alphabets (many ties between
        /// equally short scripts), every script turns old into new, stays
        /// inside both, and is shortest.
        #[test]
        fn every_script_is_right_and_shortest(
            a in proptest::collection::vec(0u64..4, 0..40),
            b in proptest::collection::vec(0u64..4, 0..40),
        ) {
            let s = script(&a, &b, usize::MAX);
            for (o, n) in &s.hunks {
                proptest::prop_assert!(o.end <= a.len() && n.end <= b.len());
            }
            proptest::prop_assert_eq!(apply(&a, &b, &s.hunks), b.clone());
            let edits: usize = s.hunks.iter().map(|(o, n)| o.end - o.start + n.end - n.start).sum();
            proptest::prop_assert_eq!(edits, distance(&a, &b));
        }
    }

    #[test]
    fn past_the_budget_the_answer_is_coarse() {
        let (a, b) = (toks("前AxBxCxD後"), toks("前ByCyDyA後"));
        let full = script(&a, &b, usize::MAX);
        let w = full.work.expect("finite");
        assert_eq!(script(&a, &b, w), full);
        let coarse = script(&a, &b, w - 1);
        assert_eq!(coarse.work, None);
        assert_eq!(
            coarse.hunks,
            [(Run { start: 1, end: 8 }, Run { start: 1, end: 8 })]
        );
    }
}
