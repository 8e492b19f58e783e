//! Content terms: the bigrams of a canonical text's kanji, katakana and
//! digit runs, weighted by how rare they are in the input, and the score
//! of two texts from what they share, replace and add.

use rustc_hash::FxHashMap;

use super::{ADDED, FULL_WEIGHT, REPLACED};

/// A term: two characters of one content run packed together (a run of
/// one character is itself with `\0`).
type Term = u64;

fn pack(a: char, b: char) -> Term {
    (u64::from(a as u32) << 32) | u64::from(b as u32)
}

/// Kanji (with 々), katakana (with ー), ASCII letters and digits: the
/// characters nouns and verb stems are written in. Hiragana between them
/// is grammar — particles and endings — and is left out.
fn is_content(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x3005 | 0x30A1..=0x30FA | 0x30FC)
        || c.is_ascii_alphanumeric()
}

/// The distinct terms of a canonical text, sorted. A の between two
/// content characters joins them, so 訓練の時期 and 訓練時期 are one word.
fn terms_of(text: &str) -> Vec<Term> {
    let chars: Vec<char> = text.chars().collect();
    let content = |i: usize| {
        chars.get(i).is_some_and(|&c| is_content(c))
            || (chars.get(i) == Some(&'の')
                && i > 0
                && chars.get(i - 1).is_some_and(|&c| is_content(c))
                && chars.get(i + 1).is_some_and(|&c| is_content(c)))
    };
    let flush = |run: &mut Vec<char>, out: &mut Vec<Term>| {
        match run.as_slice() {
            [] => {}
            [c] => out.push(pack(*c, '\0')),
            r => out.extend(r.windows(2).map(|w| pack(w[0], w[1]))),
        }
        run.clear();
    };
    let mut out = Vec::new();
    let mut run: Vec<char> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        if !content(i) {
            flush(&mut run, &mut out);
        } else if c != 'の' {
            run.push(c);
        }
    }
    flush(&mut run, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// How much each term says: `ln((D + 1) / df)` over the D distinct texts
/// of the input, so words every comment uses (示, 頂) count almost nothing
/// and the words that single a concern out count much.
#[derive(Debug, Default)]
pub(crate) struct Weights(FxHashMap<Term, f64>);

impl Weights {
    /// The weights of the terms of `texts` (repeats count once).
    pub(crate) fn of<'a>(texts: impl Iterator<Item = &'a str>) -> Weights {
        let mut distinct: Vec<&str> = texts.collect();
        distinct.sort_unstable();
        distinct.dedup();
        let mut df: FxHashMap<Term, usize> = FxHashMap::default();
        for t in &distinct {
            for term in terms_of(t) {
                *df.entry(term).or_default() += 1;
            }
        }
        let d = distinct.len() as f64;
        Weights(
            df.into_iter()
                .map(|(t, n)| (t, ((d + 1.0) / n as f64).ln()))
                .collect(),
        )
    }
}

/// A text's weighted terms, sorted by term.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Terms(Vec<(Term, f64)>);

impl Terms {
    /// The terms of a canonical text, weighted.
    pub(crate) fn of(text: &str, weights: &Weights) -> Terms {
        Terms(
            terms_of(text)
                .into_iter()
                .map(|t| (t, weights.0.get(&t).copied().unwrap_or(1.0)))
                .collect(),
        )
    }

    /// How alike two texts are, 0..=1. What one text has and the other
    /// lacks is split into what was *replaced* (as much as both sides have
    /// of their own) and what was *added* (the rest, on the longer side).
    /// An addition is measured against what the two share — a reason or a
    /// quote added to the same request; a replacement counts on its own,
    /// however much is shared — a different word in the same quote and
    /// frame is a different concern.
    pub(crate) fn similarity(&self, other: &Terms) -> f64 {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j) = (0, 0);
        let mut shared = 0.0;
        // What each side has alone: by weight, and counted as words (a
        // rare word counts one, a common one less).
        let (mut only_a, mut only_b) = (Alone::default(), Alone::default());
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Equal => {
                    shared += a[i].1;
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => {
                    only_a.add(a[i].1);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    only_b.add(b[j].1);
                    j += 1;
                }
            }
        }
        a[i..].iter().for_each(|t| only_a.add(t.1));
        b[j..].iter().for_each(|t| only_b.add(t.1));
        if shared == 0.0 {
            return if only_a.weight == 0.0 && only_b.weight == 0.0 {
                1.0
            } else {
                0.0
            };
        }
        let replaced = f64::min(only_a.words, only_b.words);
        let added = (only_a.weight - only_b.weight).abs();
        shared / (shared + ADDED * added) * (-replaced / REPLACED).exp()
    }
}

/// What one side of a pair has that the other lacks.
#[derive(Debug, Default)]
struct Alone {
    weight: f64,
    words: f64,
}

impl Alone {
    fn add(&mut self, w: f64) {
        self.weight += w;
        self.words += (w / FULL_WEIGHT).min(1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::canonical;

    #[test]
    fn content_runs_make_the_terms() {
        let t = terms_of("研修を実施頻度の目安で示して頂きたい");
        let has = |a, b| t.contains(&pack(a, b));
        assert!(has('研', '修') && has('施', '頻') && has('目', '安'));
        assert!(has('示', '\0') && has('頂', '\0'));
        assert!(!has('修', '実'), "a particle separates runs");
        assert!(has('度', '目'), "but の joins them");
        assert_eq!(terms_of("訓練の時期"), terms_of("訓練時期"));
        assert!(terms_of("年1回").contains(&pack('年', '1')));
    }

    #[test]
    fn a_replacement_costs_more_than_an_addition() {
        let texts = [
            "研修の実施頻度の目安を示して頂きたい",
            "研修の実施方法の例を示して頂きたい",
            "職員の負担が大きいため研修の実施頻度の目安を示して頂きたい",
        ]
        .map(canonical);
        let w = Weights::of(texts.iter().map(String::as_str));
        let [a, b, c] = texts.map(|t| Terms::of(&t, &w));
        assert!(a.similarity(&c) > a.similarity(&b));
        assert_eq!(a.similarity(&a), 1.0);
    }
}
