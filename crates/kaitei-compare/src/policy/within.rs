//! Three-way merge inside one clause, on words: base = the old guideline
//! text, ours = the body's text, theirs = the new guideline text.
//!
//! The texts are cut into words (TinySegmenter, as the table's underlines
//! are; a line break between paragraphs is a word of its own, so the merge
//! goes paragraph by paragraph), each side is diffed against the base, and
//! the guideline's changes land on the body's wording wherever the body did
//! not touch those words. Two changes conflict only when they overlap: both
//! replace or delete a common base word (so the body deleting words the
//! guideline changed is a conflict), one inserts strictly inside the
//! other's range, or both insert at the same point. Changes that only touch
//! — one ends where the other begins — merge. Equal changes on both sides
//! are taken once.

use rustc_hash::FxHashMap;

use crate::chardiff::{DIFF_BUDGET, Run, myers};
use crate::segment;
use crate::similarity::normalize;

/// An equal run shorter than this (in characters) between two changes of
/// one side is absorbed into one change: a particle or a word left standing
/// in a rewritten sentence (`は、`, `を`, `定め`) is no place to apply the
/// other side's change.
pub const ABSORB_CHARS: usize = 4;

/// The outcome of a three-way merge of one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Merge3 {
    /// Merged: the text, and the character runs of it that came from the
    /// guideline's change (inserted or replacing words).
    Clean {
        /// The merged text.
        text: String,
        /// Runs of `text` written by the guideline's change.
        from_theirs: Vec<Run>,
        /// How many of the guideline's changes were applied (insertions,
        /// deletions and replacements).
        applied: usize,
    },
    /// Both changed overlapping words, or inserted at one point.
    Conflict,
}

/// One changed region of a side against the base: base tokens
/// `[b0, b1)` became the side's tokens `[s0, s1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hunk {
    b0: usize,
    b1: usize,
    s0: usize,
    s1: usize,
}

/// Words of `s` as slices, a line break being a word of its own.
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push("\n");
        }
        if line.is_empty() {
            continue;
        }
        let offsets: Vec<usize> = line
            .char_indices()
            .map(|(b, _)| b)
            .chain([line.len()])
            .collect();
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        segment::scan(&chars, |c| {
            out.push(&line[offsets[start]..offsets[c]]);
            start = c;
            true
        });
        out.push(&line[offsets[start]..]);
    }
    out
}

/// Token ids: words equal after NFKC get one id.
struct Interner(FxHashMap<String, u64>);

impl Interner {
    fn ids(&mut self, words: &[&str]) -> Vec<u64> {
        words
            .iter()
            .map(|w| {
                let next = self.0.len() as u64;
                *self.0.entry(normalize(w)).or_insert(next)
            })
            .collect()
    }
}

/// The hunks of `side` against `base` (words `base_words`), short equal
/// runs between them absorbed; `None` past the work budget.
fn hunks(base: &[u64], side: &[u64], base_words: &[&str]) -> Option<Vec<Hunk>> {
    let script = myers::script(base, side, DIFF_BUDGET);
    script.work?;
    let hunks = script
        .hunks
        .into_iter()
        .map(|(b, s)| Hunk {
            b0: b.start,
            b1: b.end,
            s0: s.start,
            s1: s.end,
        })
        .collect();
    Some(absorb(hunks, base_words))
}

/// Joins two hunks whose equal run between them is shorter than
/// [`ABSORB_CHARS`] characters and holds no paragraph break.
fn absorb(hunks: Vec<Hunk>, base_words: &[&str]) -> Vec<Hunk> {
    let mut out: Vec<Hunk> = Vec::with_capacity(hunks.len());
    for h in hunks {
        if let Some(last) = out.last_mut() {
            let between = &base_words[last.b1..h.b0];
            let chars: usize = between.iter().map(|w| w.chars().count()).sum();
            if chars < ABSORB_CHARS && !between.contains(&"\n") {
                last.b1 = h.b1;
                last.s1 = h.s1;
                continue;
            }
        }
        out.push(h);
    }
    out
}

/// Whether two changes (of different sides) overlap: they share a base
/// word, one inserts strictly inside the other, or both insert at one
/// point. Touching changes do not.
fn overlap(a: &Hunk, b: &Hunk) -> bool {
    match (a.b0 == a.b1, b.b0 == b.b1) {
        (false, false) => a.b0 < b.b1 && b.b0 < a.b1,
        (true, false) => b.b0 < a.b0 && a.b0 < b.b1,
        (false, true) => a.b0 < b.b0 && b.b0 < a.b1,
        (true, true) => a.b0 == b.b0,
    }
}

/// The words of the three texts, with ids, and each side's hunks.
struct Diffed<'a> {
    ours_words: Vec<&'a str>,
    theirs_words: Vec<&'a str>,
    ours_ids: Vec<u64>,
    theirs_ids: Vec<u64>,
    ours: Vec<Hunk>,
    theirs: Vec<Hunk>,
}

fn diffed<'a>(base: &'a str, ours: &'a str, theirs: &'a str) -> Option<Diffed<'a>> {
    let mut interner = Interner(FxHashMap::default());
    let base_words = words(base);
    let base_ids = interner.ids(&base_words);
    let ours_words = words(ours);
    let theirs_words = words(theirs);
    let ours_ids = interner.ids(&ours_words);
    let theirs_ids = interner.ids(&theirs_words);
    let ours_h = hunks(&base_ids, &ours_ids, &base_words)?;
    let theirs_h = hunks(&base_ids, &theirs_ids, &base_words)?;
    Some(Diffed {
        ours_words,
        theirs_words,
        ours_ids,
        theirs_ids,
        ours: ours_h,
        theirs: theirs_h,
    })
}

/// Whether the body's and the guideline's changes of `base` overlap
/// somewhere (what makes a conflict), or cannot be told within the work
/// budget. For tests and checks of conflicts already made.
pub fn changes_overlap(base: &str, ours: &str, theirs: &str) -> bool {
    let Some(d) = diffed(base, ours, theirs) else {
        return true;
    };
    d.ours
        .iter()
        .any(|a| d.theirs.iter().any(|b| overlap(a, b) && !same(&d, a, b)))
}

/// Whether `a` (ours) and `b` (theirs) are the same change.
fn same(d: &Diffed, a: &Hunk, b: &Hunk) -> bool {
    a.b0 == b.b0 && a.b1 == b.b1 && d.ours_ids[a.s0..a.s1] == d.theirs_ids[b.s0..b.s1]
}

/// Merges the guideline's change of `base` into `theirs` with the body's
/// change of it into `ours`.
pub fn merge3(base: &str, ours: &str, theirs: &str) -> Merge3 {
    let Some(d) = diffed(base, ours, theirs) else {
        return Merge3::Conflict;
    };
    // Each side's hunks, theirs without those ours made too.
    let mut all: Vec<(Hunk, bool)> = d.ours.iter().map(|h| (*h, false)).collect();
    for b in &d.theirs {
        if let Some(a) = d.ours.iter().find(|a| overlap(a, b)) {
            if same(&d, a, b) {
                continue;
            }
            return Merge3::Conflict;
        }
        all.push((*b, true));
    }
    // By base position; an insertion before a change starting where it is.
    all.sort_by_key(|(h, _)| (h.b0, h.b1));
    let mut text = String::new();
    let mut from_theirs: Vec<Run> = Vec::new();
    let mut chars = 0usize;
    let mut push = |text: &mut String, w: &str| {
        text.push_str(w);
        chars += w.chars().count();
        chars
    };
    let (mut bc, mut oc) = (0usize, 0usize);
    let mut applied = 0;
    for (h, theirs) in all {
        // Equal to the base up to the hunk: the body's own spelling.
        let gap = h.b0 - bc;
        for w in &d.ours_words[oc..oc + gap] {
            push(&mut text, w);
        }
        oc += gap;
        if theirs {
            let start = push(&mut text, "");
            for w in &d.theirs_words[h.s0..h.s1] {
                push(&mut text, w);
            }
            let end = push(&mut text, "");
            if end > start {
                from_theirs.push(Run { start, end });
            }
            applied += 1;
            oc += h.b1 - h.b0;
        } else {
            for w in &d.ours_words[h.s0..h.s1] {
                push(&mut text, w);
            }
            oc = h.s1;
        }
        bc = h.b1;
    }
    for w in &d.ours_words[oc.min(d.ours_words.len())..] {
        push(&mut text, w);
    }
    Merge3::Clean {
        text,
        from_theirs,
        applied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(base: &str, ours: &str, theirs: &str) -> String {
        match merge3(base, ours, theirs) {
            Merge3::Clean { text, .. } => text,
            Merge3::Conflict => panic!("conflict: {base} / {ours} / {theirs}"),
        }
    }

    #[test]
    fn the_guideline_s_change_lands_on_the_body_s_wording() {
        // The example: the town says この規程 and 必要な事項; the
        // guideline adds a purpose at the end.
        let base =
            "本基本方針は、紫波町が保有する情報資産について基本的な事項を定めることを目的とする。";
        let ours =
            "この規程は、紫波町が保有する情報資産について必要な事項を定めることを目的とする。";
        let theirs = "本基本方針は、紫波町が保有する情報資産について基本的な事項を定め、もって住民の信頼に応える行政運営に資することを目的とする。";
        let merged = clean(base, ours, theirs);
        assert_eq!(
            merged,
            "この規程は、紫波町が保有する情報資産について必要な事項を定め、もって住民の信頼に応える行政運営に資することを目的とする。"
        );
        let Merge3::Clean { from_theirs, .. } = merge3(base, ours, theirs) else {
            unreachable!()
        };
        let marked: Vec<String> = from_theirs
            .iter()
            .map(|r| merged.chars().skip(r.start).take(r.end - r.start).collect())
            .collect();
        assert!(marked.concat().contains("住民の信頼に応える"), "{marked:?}");
        assert!(!marked.concat().contains("必要"), "{marked:?}");
    }

    #[test]
    fn overlapping_changes_conflict() {
        let base = "職員等は、情報資産を適切に管理しなければならない。";
        // Both replace 適切に.
        assert_eq!(
            merge3(
                base,
                "職員等は、情報資産を厳重に管理しなければならない。",
                "職員等は、情報資産を確実に管理しなければならない。"
            ),
            Merge3::Conflict
        );
        // The body deleted the words the guideline changed.
        assert_eq!(
            merge3(
                base,
                "職員等は、情報資産を管理しなければならない。",
                "職員等は、情報資産を確実に管理しなければならない。"
            ),
            Merge3::Conflict
        );
        // Both insert at one point.
        assert_eq!(
            merge3(
                "甲は、乙とする。",
                "甲は、丙及び乙とする。",
                "甲は、丁及び乙とする。"
            ),
            Merge3::Conflict
        );
        assert!(changes_overlap(
            base,
            "職員等は、情報資産を厳重に管理しなければならない。",
            "職員等は、情報資産を確実に管理しなければならない。"
        ));
    }

    #[test]
    fn touching_and_equal_changes_merge() {
        // The body's change ends where the guideline's begins.
        let base = "情報システム管理者は、定期的に点検を行う。";
        let ours = "情報政策課長は、定期的に点検を行う。";
        let theirs = "情報システム管理者は、毎年度点検を行う。";
        assert!(!changes_overlap(base, ours, theirs));
        assert_eq!(
            clean(base, ours, theirs),
            "情報政策課長は、毎年度点検を行う。"
        );
        // The same change made by both is taken once.
        assert_eq!(clean(base, theirs, theirs), theirs);
        // Paragraph by paragraph: the body's second paragraph, the
        // guideline's first.
        let base = "第一の文。\n第二の文。";
        let ours = "第一の文。\n本町の第二の文。";
        let theirs = "改めた第一の文。\n第二の文。";
        assert_eq!(
            clean(base, ours, theirs),
            "改めた第一の文。\n本町の第二の文。"
        );
    }

    #[test]
    fn a_rewritten_clause_is_a_conflict() {
        // The body rewrote the purpose; only scattered particles and words
        // (は、 目的 を 定め) are the guideline's: no place to apply its
        // addition.
        let base = "本基本方針は、紫波町が保有する情報資産の機密性、完全性及び可用性を維持するため、紫波町が実施する情報セキュリティ対策について基本的な事項を定めることを目的とする。";
        let theirs = "本基本方針は、紫波町が保有する情報資産の機密性、完全性及び可用性を維持するため、紫波町が実施する情報セキュリティ対策について基本的な事項を定め、もって住民の信頼に応える行政運営に資することを目的とする。";
        assert_eq!(
            merge3(base, "紫波町は、町独自の目的を定める。", theirs),
            Merge3::Conflict
        );
    }

    #[test]
    fn absorb_chars_just_above_and_below() {
        let h = |b0, b1| Hunk {
            b0,
            b1,
            s0: b0,
            s1: b1,
        };
        let gap = "中".repeat(ABSORB_CHARS);
        // Two changes around an equal run of ABSORB_CHARS characters stay
        // two; one character fewer and they are one change.
        let words = ["甲", &gap[..], "乙"];
        assert_eq!(absorb(vec![h(0, 1), h(2, 3)], &words).len(), 2);
        let short = "中".repeat(ABSORB_CHARS - 1);
        let words = ["甲", "中", &short["中".len()..], "乙"];
        assert_eq!(words[1..3].concat().chars().count(), ABSORB_CHARS - 1);
        assert_eq!(absorb(vec![h(0, 1), h(3, 4)], &words), vec![h(0, 4)]);
        // Never across a paragraph break.
        let words = ["甲", "\n", "乙"];
        assert_eq!(absorb(vec![h(0, 1), h(2, 3)], &words).len(), 2);
    }

    #[test]
    fn the_body_s_width_is_kept_where_equal() {
        let base = "ＵＳＢメモリを管理する。";
        let ours = "USBメモリを管理する。";
        let theirs = "ＵＳＢメモリを厳重に管理する。";
        assert_eq!(clean(base, ours, theirs), "USBメモリを厳重に管理する。");
    }
}
