//! Average linkage (UPGMA) over the units of one clause, cut at
//! [`THRESHOLD`], with pairs the ministry split kept apart.
//!
//! The nearest-neighbour chain finds the same merges as joining the best
//! pair again and again, in O(n²) instead of O(n³): average linkage is
//! *reducible* — the cluster made of two is never more like a third than
//! the better of the two was — and a forbidden pair (similarity −∞)
//! keeps it so. Ties go to the chain's previous element, then to the
//! lower index; units come sorted by text, so the result does not depend
//! on the input's order.

use rustc_hash::FxHashMap;

use super::terms::{Terms, Weights};
use super::{THRESHOLD, Unit};

const FORBIDDEN: f32 = f32::NEG_INFINITY;

/// For every unit, the first unit of the cluster it ends in.
pub(super) fn join(
    units: &[Unit],
    texts: &[String],
    weights: &Weights,
    apart: &[(usize, usize)],
) -> Vec<usize> {
    let n = units.len();
    let mut sim = similarities(units, texts, weights);
    for &(a, b) in apart {
        sim[a * n + b] = FORBIDDEN;
        sim[b * n + a] = FORBIDDEN;
    }
    let threshold = THRESHOLD as f32;
    let mut size: Vec<f32> = units.iter().map(|u| u.members.len() as f32).collect();
    let mut alive = vec![true; n];
    // A unit with no partner at the threshold never gets one: a merged
    // cluster is never more like it than the better of its parts.
    let mut done = vec![false; n];
    let mut parent: Vec<usize> = (0..n).collect();
    let mut chain: Vec<usize> = Vec::new();
    let mut start = 0;
    loop {
        if chain.is_empty() {
            while start < n && (!alive[start] || done[start]) {
                start += 1;
            }
            if start == n {
                break;
            }
            chain.push(start);
        }
        let top = chain[chain.len() - 1];
        let prev = chain.len().checked_sub(2).map(|i| chain[i]);
        let row = &sim[top * n..(top + 1) * n];
        let mut best: Option<(usize, f32)> = None;
        for k in 0..n {
            if k == top || !alive[k] || done[k] || row[k] < threshold {
                continue;
            }
            let better = match best {
                None => true,
                Some((_, s)) => row[k] > s || (row[k] == s && Some(k) == prev),
            };
            if better {
                best = Some((k, row[k]));
            }
        }
        match best {
            None => {
                done[top] = true;
                chain.pop();
            }
            Some((k, _)) if Some(k) == prev => {
                chain.truncate(chain.len() - 2);
                let (keep, gone) = (top.min(k), top.max(k));
                let (a, b) = (size[keep], size[gone]);
                for j in 0..n {
                    if !alive[j] || j == keep || j == gone {
                        continue;
                    }
                    let (x, y) = (sim[keep * n + j], sim[gone * n + j]);
                    let s = if x == FORBIDDEN || y == FORBIDDEN {
                        FORBIDDEN
                    } else {
                        (a * x + b * y) / (a + b)
                    };
                    sim[keep * n + j] = s;
                    sim[j * n + keep] = s;
                }
                size[keep] = a + b;
                alive[gone] = false;
                parent[gone] = keep;
            }
            Some((k, _)) => chain.push(k),
        }
    }
    (0..n)
        .map(|mut u| {
            while parent[u] != u {
                u = parent[u];
            }
            u
        })
        .collect()
}

/// The similarity of every two units, row by row: the average over their
/// comments' texts (a unit is mostly one text, many times).
fn similarities(units: &[Unit], texts: &[String], weights: &Weights) -> Vec<f32> {
    let n = units.len();
    let mut profiles: FxHashMap<&str, Terms> = FxHashMap::default();
    // Each unit as (text, how many comments) in text order.
    let counted: Vec<Vec<(&str, f32)>> = units
        .iter()
        .map(|u| {
            let mut v: Vec<(&str, f32)> = Vec::new();
            for &i in &u.texts {
                let t = texts[i].as_str();
                match v.last_mut() {
                    Some((last, c)) if *last == t => *c += 1.0,
                    _ => v.push((t, 1.0)),
                }
            }
            v
        })
        .collect();
    for v in &counted {
        for (t, _) in v {
            profiles.entry(t).or_insert_with(|| Terms::of(t, weights));
        }
    }
    let mut sim = vec![0f32; n * n];
    for a in 0..n {
        sim[a * n + a] = 1.0;
        for b in a + 1..n {
            let (mut total, mut count) = (0.0f64, 0.0f64);
            for &(ta, ca) in &counted[a] {
                for &(tb, cb) in &counted[b] {
                    let s = if ta == tb {
                        1.0
                    } else {
                        profiles[ta].similarity(&profiles[tb])
                    };
                    let w = f64::from(ca) * f64::from(cb);
                    total += w * s;
                    count += w;
                }
            }
            let s = (total / count.max(1.0)) as f32;
            sim[a * n + b] = s;
            sim[b * n + a] = s;
        }
    }
    sim
}
