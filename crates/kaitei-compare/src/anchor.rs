//! Re-anchoring: comments made on one text of a document attached again to
//! another — the draft after the ministry's edits, or the next edition.
//!
//! A comment points at a clause (its key) and at words of the clause's text
//! (paragraphs joined by LF, as [`kaitei_model::Node::text`]) through a
//! [`TextQuote`], the W3C `TextQuoteSelector`; empty words mean the whole
//! clause. [`Reanchorer::reanchor`] finds them in the new text:
//!
//! 1. **The clause**: the old clause's counterparts in the [`Alignment`] —
//!    one, several when the clause was split, or the clause it was merged
//!    into. Keys pair clauses as far as the caller's [`KeyUse`] lets them:
//!    a draft that keeps its keys is followed by key (a split's new part,
//!    with its new key, by content), two files by content alone.
//! 2. **The words, exactly, in those counterparts** (among several
//!    occurrences the one whose context agrees most, as
//!    [`TextQuote::locate`]), also across the boundary between two parts
//!    of a split clause. The aligned clause is preferred to any other
//!    that holds the same words.
//! 3. **The words, exactly, elsewhere**: [`RELOCATE_MIN_CHARS`]
//!    characters or more, found in exactly one clause of the new text and
//!    in no clause of the old text but the comment's own — a sentence the
//!    ministry moved to another clause. Verbatim words, unique on both
//!    sides, are better evidence than a near passage of the comment's own
//!    clause, which may share little but a stock ending.
//! 4. **The words, approximately, in the counterparts**: the nearest
//!    window, at least [`FUZZY_MIN`] similar.
//! 5. Otherwise the comment is **orphaned**: its words are gone.
//!
//! Every status but [`AnchorStatus::Exact`] is for the ministry to
//! confirm ([`AnchorStatus::needs_confirmation`]).
//!
//! ```
//! use kaitei_compare::KeyUse;
//! use kaitei_compare::anchor::{AnchorStatus, reanchor};
//! use kaitei_format::authoring::parse;
//! use kaitei_model::consultation::TextQuote;
//!
//! let front = "---\nkind: guideline\ntitle: t\nedition: e\n---\n\n# 1. 総則 {#g}\n\n";
//! let old = parse(&format!("{front}(1) 職員は、年1回以上研修を受けなければならない。 {{#k}}\n"));
//! let new = parse(&format!("{front}(1) 職員は、年2回以上研修を受けなければならない。 {{#k}}\n"));
//! let text = old.document.nodes().find(|n| n.key.as_str() == "k").unwrap().text();
//! let quote = TextQuote::select(&text, "年1回以上研修を受け").unwrap();
//! let found = reanchor(&old.document, &new.document, KeyUse::All, [("k", &quote)]);
//! assert_eq!(found[0].clause.as_deref(), Some("k"));
//! assert_eq!(found[0].quote.exact, "年2回以上研修を受け");
//! // One character of ten replaced.
//! assert_eq!(found[0].status, AnchorStatus::Fuzzy { similarity: 0.9 });
//! ```
//!
//! Nothing here reads a clock or a file: the cost is the alignment, made
//! once for a pair of texts, then per comment a search of its clause's
//! counterparts (and, for the few whose words left them, a look-up in an
//! index of character bigrams of the whole text).

use std::ops::Range;
use std::sync::OnceLock;

use kaitei_model::Document;
use kaitei_model::consultation::TextQuote;
use rustc_hash::FxHashMap as HashMap;

use crate::align::{Alignment, KeyUse, align};
use crate::flat::FlatDoc;
use crate::table::Comparison;

/// The lowest similarity at which a changed passage still holds a comment
/// ([`AnchorStatus::Fuzzy`]); below it the comment is orphaned.
///
/// The similarity of the quote `q` and a window `w` of the new text is
/// `1 − d / max(|q|, |w|)`, where `d` is the Levenshtein distance between
/// them in characters (as written: no NFKC, so a digit changed from
/// full-width to half-width is an edit) and `|·|` a length in characters.
/// At 0.7 a quote of four characters survives one character changed, one
/// of ten three; a quote of three characters or fewer must be found
/// exactly.
pub const FUZZY_MIN: f64 = 0.7;

/// The fewest characters a quote needs to be followed into a clause other
/// than its own clause's counterparts: shorter quotes are stock phrases
/// (「しなければならない」) found in many clauses.
pub const RELOCATE_MIN_CHARS: usize = 12;

/// What became of a comment's anchor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AnchorStatus {
    /// Its words are in its clause, which is where it was (same key, or
    /// its counterpart under the counterpart of its parent; renumbering
    /// is not a move). A comment on the document as a whole (empty key)
    /// is always exact.
    Exact,
    /// Its words are there exactly, but its clause is not where it was,
    /// or they are in another clause: [`Reanchored::moved`] says why.
    Moved,
    /// Its words changed a little: the nearest passage of the clause is
    /// `similarity` similar to them (see [`FUZZY_MIN`] for the measure;
    /// `FUZZY_MIN ≤ similarity < 1`). [`Reanchored::moved`] says whether
    /// the clause moved too.
    Fuzzy {
        /// 1 − the Levenshtein distance over the longer of the two lengths.
        similarity: f64,
    },
    /// Its clause was split and its words span the boundary (or it is on
    /// the whole clause): it is attached to the first part and to each
    /// other part in [`Reanchored::also`].
    Split {
        /// As for [`AnchorStatus::Fuzzy`]; 1 when the words are there
        /// exactly.
        similarity: f64,
    },
    /// Its words are gone, or its clause was deleted.
    Orphaned,
}

impl AnchorStatus {
    /// Whether the ministry should confirm where the comment went: all but
    /// [`AnchorStatus::Exact`].
    pub fn needs_confirmation(&self) -> bool {
        *self != AnchorStatus::Exact
    }

    /// A word for the status: `exact`, `moved`, `fuzzy`, `split`,
    /// `orphaned`.
    pub fn as_str(&self) -> &'static str {
        match self {
            AnchorStatus::Exact => "exact",
            AnchorStatus::Moved => "moved",
            AnchorStatus::Fuzzy { .. } => "fuzzy",
            AnchorStatus::Split { .. } => "split",
            AnchorStatus::Orphaned => "orphaned",
        }
    }
}

/// Why a comment's clause is not the one it was on, where it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveKind {
    /// The clause sits under a different parent (as the 新旧対照表 marks a
    /// move: [`Alignment::moved`]).
    Parent,
    /// The clause was merged into another: the comment is on that one.
    Merged,
    /// The clause was split and the words went to a new part.
    SplitOff,
    /// The words left the clause for another one (step 3 of the module
    /// documentation); the status is [`AnchorStatus::Moved`].
    Words,
}

/// Where a comment's clause was and where the comment is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The old clause's label path (`第2編 / 第2章 / 4. / 4.4. / (5)`).
    pub from: String,
    /// The new clause's label path.
    pub to: String,
    /// Why.
    pub kind: MoveKind,
}

/// A further clause a comment is attached to, with the words of it that
/// the comment quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The clause's key in the new text.
    pub clause: String,
    /// The part of the quote in that clause's text, context taken from
    /// there (empty for a comment on the whole clause).
    pub quote: TextQuote,
}

/// A comment's anchor in the new text.
#[derive(Debug, Clone, PartialEq)]
pub struct Reanchored {
    /// What became of it.
    pub status: AnchorStatus,
    /// The clause it is on, by its key in the new text. For an orphaned
    /// comment, its clause's counterpart when the clause is still there
    /// (its words are not), `None` when the clause was deleted or the key
    /// names no clause of the old text. Empty for a comment on the
    /// document as a whole.
    pub clause: Option<String>,
    /// Its words re-selected in that clause's text, context (prefix and
    /// suffix) taken again from there: the passage found for a fuzzy
    /// match, the part in the first clause for a split one. An orphaned
    /// comment keeps its quote as it was.
    pub quote: TextQuote,
    /// For [`AnchorStatus::Split`]: the other parts, in document order.
    pub also: Vec<Part>,
    /// Where the clause went when the comment is not on its clause where
    /// it was (for an orphaned comment: where the clause went, if it is
    /// still there).
    pub moved: Option<Move>,
}

/// Re-anchors `anchors` — pairs of an old clause key and a quote in that
/// clause's old text — from `old` to `new`, in order. `keys` says which
/// keys pair clauses by themselves ([`KeyUse::All`] between two texts of
/// one draft or two stored editions whose keys were carried forward,
/// [`KeyUse::Pinned`] between two files).
///
/// Aligns the two documents once; to re-anchor against a pair already
/// compared, use [`Reanchorer`].
pub fn reanchor<'q>(
    old: &Document,
    new: &Document,
    keys: KeyUse,
    anchors: impl IntoIterator<Item = (&'q str, &'q TextQuote)>,
) -> Vec<Reanchored> {
    let (old, new) = (FlatDoc::new(old), FlatDoc::new(new));
    let alignment = align(&old, &new, keys);
    let reanchorer = Reanchorer::new(&old, &new, &alignment);
    anchors
        .into_iter()
        .map(|(clause, quote)| reanchorer.reanchor(clause, quote))
        .collect()
}

/// Re-anchors comments from one text to another: the alignment made once
/// and the clauses indexed, then one comment at a time.
#[derive(Debug)]
pub struct Reanchorer<'c, 'a> {
    old: &'c FlatDoc<'a>,
    new: &'c FlatDoc<'a>,
    alignment: &'c Alignment,
    old_keys: HashMap<&'a str, usize>,
    /// The new nodes' texts ([`kaitei_model::Node::text`]).
    new_texts: Vec<String>,
    /// The old nodes' texts, made when a comment's words are first looked
    /// for outside its clause.
    old_texts: OnceLock<Vec<String>>,
    old_index: OnceLock<BigramIndex>,
    new_index: OnceLock<BigramIndex>,
}

impl<'c, 'a> Reanchorer<'c, 'a> {
    /// Re-anchoring from `old` to `new` as `alignment` pairs their nodes.
    pub fn new(
        old: &'c FlatDoc<'a>,
        new: &'c FlatDoc<'a>,
        alignment: &'c Alignment,
    ) -> Reanchorer<'c, 'a> {
        let old_keys = old
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.node.key.as_str(), i))
            .collect();
        Reanchorer {
            old,
            new,
            alignment,
            old_keys,
            new_texts: new.nodes.iter().map(|n| n.node.text()).collect(),
            old_texts: OnceLock::new(),
            old_index: OnceLock::new(),
            new_index: OnceLock::new(),
        }
    }

    /// Re-anchoring between the two documents of a comparison already made.
    pub fn of(comparison: &'c Comparison<'a>) -> Reanchorer<'c, 'a> {
        Reanchorer::new(&comparison.old, &comparison.new, &comparison.alignment)
    }

    /// Where the comment on old clause `clause` quoting `quote` is in the
    /// new text (see the module documentation for the order of the search).
    pub fn reanchor(&self, clause: &str, quote: &TextQuote) -> Reanchored {
        if clause.is_empty() {
            return Reanchored {
                status: AnchorStatus::Exact,
                clause: Some(String::new()),
                quote: quote.clone(),
                also: Vec::new(),
                moved: None,
            };
        }
        let Some(&o) = self.old_keys.get(clause) else {
            return self.orphan(None, quote);
        };
        let mut links = self.alignment.of_old(o).to_vec();
        links.sort_unstable();
        let Some(&first) = links.first() else {
            return self
                .relocate(o, quote)
                .unwrap_or_else(|| self.orphan(Some(o), quote));
        };
        if quote.exact.is_empty() {
            if links.len() == 1 {
                return self.attached(o, first, TextQuote::default(), 1.0);
            }
            let parts = links.iter().map(|&n| (n, TextQuote::default()));
            return self.split(o, parts.collect(), 1.0);
        }
        let runs = self.runs(&links);
        let primary = self.alignment.new_for(o);
        let holds_primary = |run: &Run| primary.is_some_and(|p| run.parts.contains(&p));
        // Exact occurrences first, in every counterpart; then the nearest
        // window. Ties go to the better context, then the primary
        // counterpart, then the earlier.
        let mut best: Option<Found> = None;
        for (r, run) in runs.iter().enumerate() {
            for (at, _) in run.text.match_indices(&quote.exact) {
                let range = at..at + quote.exact.len();
                let found = Found {
                    run: r,
                    similarity: 1.0,
                    context: quote.context_score(&run.text, range.clone()),
                    primary: holds_primary(run),
                    range,
                };
                if best.as_ref().is_none_or(|b| found.beats(b)) {
                    best = Some(found);
                }
            }
        }
        if best.is_none() {
            // Verbatim words that left for another clause are better
            // evidence than a near passage of this one, which may share
            // little but a stock ending (「…しなければならない」).
            if let Some(moved) = self.relocate(o, quote) {
                return moved;
            }
            let pattern: Vec<char> = quote.exact.chars().collect();
            for (r, run) in runs.iter().enumerate() {
                if let Some((similarity, range, context)) = nearest(&pattern, &run.text, quote) {
                    let found = Found {
                        run: r,
                        similarity,
                        context,
                        primary: holds_primary(run),
                        range,
                    };
                    if best.as_ref().is_none_or(|b| found.beats(b)) {
                        best = Some(found);
                    }
                }
            }
        }
        match best {
            Some(found) if found.similarity >= FUZZY_MIN => {
                self.found(o, quote, &runs[found.run], found)
            }
            _ => self.orphan(Some(o), quote),
        }
    }

    fn new_key(&self, n: usize) -> String {
        self.new.nodes[n].node.key.as_str().to_string()
    }

    /// The counterparts of one old node grouped into runs of adjacent
    /// siblings (the parts of a split are one run), each with its texts
    /// joined by LF as the clause's text was before the split.
    fn runs(&self, links: &[usize]) -> Vec<Run> {
        let mut runs: Vec<Run> = Vec::new();
        for &n in links {
            let node = &self.new.nodes[n];
            if let Some(run) = runs.last_mut()
                && let Some(&last) = run.parts.last()
                && self.new.nodes[last].parent == node.parent
                && self.new.nodes[last].end == n
            {
                run.text.push('\n');
                run.starts.push(run.text.len());
                run.text.push_str(&self.new_texts[n]);
                run.parts.push(n);
            } else {
                runs.push(Run {
                    parts: vec![n],
                    starts: vec![0],
                    text: self.new_texts[n].clone(),
                });
            }
        }
        runs
    }

    /// The anchor for `quote`'s words found at `found.range` of `run`'s
    /// text.
    fn found(&self, o: usize, quote: &TextQuote, run: &Run, found: Found) -> Reanchored {
        let mut pieces = Vec::new();
        for (k, &n) in run.parts.iter().enumerate() {
            let start = run.starts[k];
            let end = start + self.new_texts[n].len();
            let (lo, hi) = (found.range.start.max(start), found.range.end.min(end));
            if lo < hi {
                pieces.push((n, lo - start..hi - start));
            }
        }
        // Words are never only the LF between two parts: a quote is
        // trimmed, and one character must match for a fuzzy one.
        let Some((n, range)) = pieces.first().cloned() else {
            return self.orphan(Some(o), quote);
        };
        if pieces.len() == 1 {
            let quote = TextQuote::at(&self.new_texts[n], range);
            return self.attached(o, n, quote, found.similarity);
        }
        let parts = pieces
            .into_iter()
            .map(|(n, range)| (n, TextQuote::at(&self.new_texts[n], range)))
            .collect();
        self.split(o, parts, found.similarity)
    }

    /// The anchor of a comment on old node `o` spanning `parts` (new
    /// nodes, in document order, each with its share of the words).
    fn split(&self, o: usize, mut parts: Vec<(usize, TextQuote)>, similarity: f64) -> Reanchored {
        let also = parts
            .drain(1..)
            .map(|(n, quote)| Part {
                clause: self.new_key(n),
                quote,
            })
            .collect();
        let (n, quote) = parts.remove(0);
        Reanchored {
            status: AnchorStatus::Split { similarity },
            clause: Some(self.new_key(n)),
            quote,
            also,
            moved: self.move_of(o, n),
        }
    }

    /// The anchor on new clause `n`, counterpart of `o`, at `quote`.
    fn attached(&self, o: usize, n: usize, quote: TextQuote, similarity: f64) -> Reanchored {
        let moved = self.move_of(o, n);
        let status = if similarity < 1.0 {
            AnchorStatus::Fuzzy { similarity }
        } else if moved.is_some() {
            AnchorStatus::Moved
        } else {
            AnchorStatus::Exact
        };
        Reanchored {
            status,
            clause: Some(self.new_key(n)),
            quote,
            also: Vec::new(),
            moved,
        }
    }

    /// Why new node `n` is not old node `o` where it was, if it is not.
    fn move_of(&self, o: usize, n: usize) -> Option<Move> {
        let kind = if self.alignment.old_for(n) != Some(o) {
            MoveKind::Merged
        } else if self.alignment.new_for(o) != Some(n) {
            MoveKind::SplitOff
        } else if self.alignment.moved(self.old, self.new, o, n) {
            MoveKind::Parent
        } else {
            return None;
        };
        Some(Move {
            from: self.old.path_string(o),
            to: self.new.path_string(n),
            kind,
        })
    }

    /// Orphaned: on old node `o`'s counterpart if it has one.
    fn orphan(&self, o: Option<usize>, quote: &TextQuote) -> Reanchored {
        let kept = o.and_then(|o| self.alignment.new_for(o).map(|n| (o, n)));
        Reanchored {
            status: AnchorStatus::Orphaned,
            clause: kept.map(|(_, n)| self.new_key(n)),
            quote: quote.clone(),
            also: Vec::new(),
            moved: kept.and_then(|(o, n)| self.move_of(o, n)),
        }
    }

    /// The words of a comment on old node `o` found in another clause:
    /// long enough, in one new clause only, and in no old clause but `o`.
    fn relocate(&self, o: usize, quote: &TextQuote) -> Option<Reanchored> {
        let words = quote.exact.as_str();
        if words.chars().count() < RELOCATE_MIN_CHARS {
            return None;
        }
        let new_index = self
            .new_index
            .get_or_init(|| BigramIndex::new(&self.new_texts));
        let [n] = new_index.holders(&self.new_texts, words, 2)[..] else {
            return None;
        };
        let old_texts = self
            .old_texts
            .get_or_init(|| self.old.nodes.iter().map(|n| n.node.text()).collect());
        let old_index = self.old_index.get_or_init(|| BigramIndex::new(old_texts));
        if old_index
            .holders(old_texts, words, 2)
            .iter()
            .any(|&h| h != o)
        {
            return None;
        }
        let range = quote.locate(&self.new_texts[n])?;
        Some(Reanchored {
            status: AnchorStatus::Moved,
            clause: Some(self.new_key(n)),
            quote: TextQuote::at(&self.new_texts[n], range),
            also: Vec::new(),
            moved: Some(Move {
                from: self.old.path_string(o),
                to: self.new.path_string(n),
                kind: MoveKind::Words,
            }),
        })
    }
}

/// Adjacent counterparts of one old node, their texts joined by LF.
struct Run {
    /// The new nodes, in document order.
    parts: Vec<usize>,
    /// Where each part's text starts in `text` (bytes).
    starts: Vec<usize>,
    text: String,
}

/// Words found in a run's text.
struct Found {
    run: usize,
    range: Range<usize>,
    similarity: f64,
    /// [`TextQuote::context_score`] there.
    context: usize,
    /// Whether the run holds the old node's primary counterpart.
    primary: bool,
}

impl Found {
    /// Whether this is a better place than `other` (found earlier, so
    /// that on a full tie the earlier stays).
    fn beats(&self, other: &Found) -> bool {
        (self.similarity, self.context, self.primary)
            .partial_cmp(&(other.similarity, other.context, other.primary))
            .is_some_and(|o| o.is_gt())
    }
}

/// The window of `text` nearest to `pattern` (the quote's words as
/// characters): its similarity (see [`FUZZY_MIN`]), byte range and
/// context score; `None` when `text` is too short to reach [`FUZZY_MIN`]
/// or nothing of it matches.
///
/// Sellers' algorithm: edit distance with the window's start free, one
/// column of the table per character of `text`, each cell carrying where
/// its window starts. Of the windows ending at each character the one of
/// least distance is measured; the most similar wins, the better context
/// on a tie. O(|pattern| · |text|). The winner is then [`trim`]med and
/// measured again, so that the similarity given is the window's given.
fn nearest(pattern: &[char], text: &str, quote: &TextQuote) -> Option<(f64, Range<usize>, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let (m, n) = (pattern.len(), chars.len());
    if m == 0 || (n as f64) < FUZZY_MIN * m as f64 {
        return None;
    }
    let byte = |c: usize| chars.get(c).map_or(text.len(), |&(b, _)| b);
    // cost[i]: the distance of pattern[..i] to the best window ending at
    // the current character; start[i]: that window's first character.
    let mut cost: Vec<u32> = (0..=m as u32).collect();
    let mut start: Vec<u32> = vec![0; m + 1];
    let mut best: Option<(f64, Range<usize>, usize)> = None;
    for (j, &(_, c)) in chars.iter().enumerate() {
        let (mut diag, mut diag_start) = (cost[0], start[0]);
        cost[0] = 0;
        start[0] = j as u32 + 1;
        for i in 1..=m {
            let (left, left_start) = (cost[i], start[i]);
            let substitute = diag + u32::from(pattern[i - 1] != c);
            let extra_char = left + 1;
            let missing_char = cost[i - 1] + 1;
            (cost[i], start[i]) = if substitute <= extra_char && substitute <= missing_char {
                (substitute, diag_start)
            } else if missing_char <= extra_char {
                (missing_char, start[i - 1])
            } else {
                (extra_char, left_start)
            };
            (diag, diag_start) = (left, left_start);
        }
        let (from, to) = (start[m] as usize, j + 1);
        let similarity = 1.0 - f64::from(cost[m]) / m.max(to - from) as f64;
        if best.as_ref().is_some_and(|b| similarity < b.0) {
            continue;
        }
        let range = byte(from)..byte(to);
        let context = quote.context_score(text, range.clone());
        if best
            .as_ref()
            .is_none_or(|b| similarity > b.0 || context > b.2)
        {
            best = Some((similarity, range, context));
        }
    }
    let (_, range, _) = best?;
    let first = chars.partition_point(|&(b, _)| b < range.start);
    let last = chars.partition_point(|&(b, _)| b < range.end);
    let window: Vec<char> = chars[first..last].iter().map(|&(_, c)| c).collect();
    let (lead, trail) = trim(pattern, &window)?;
    let kept = &window[lead..window.len() - trail];
    let similarity = 1.0 - f64::from(distance(pattern, kept)) / m.max(kept.len()) as f64;
    let range = byte(first + lead)..byte(last - trail);
    let context = quote.context_score(text, range.clone());
    Some((similarity, range, context))
}

/// How many characters to drop from the start and the end of `window`:
/// those that an alignment with `pattern` of least cost substitutes or
/// inserts before its first match and after its last (the window
/// Sellers' algorithm finds may take in a neighbour in place of a word
/// that was deleted). `None` when no character matches.
fn trim(pattern: &[char], window: &[char]) -> Option<(usize, usize)> {
    let (m, w) = (pattern.len(), window.len());
    let at = |i: usize, j: usize| i * (w + 1) + j;
    let mut cost = vec![0u32; (m + 1) * (w + 1)];
    for i in 0..=m {
        for j in 0..=w {
            cost[at(i, j)] = match (i, j) {
                (0, _) => j as u32,
                (_, 0) => i as u32,
                _ => (cost[at(i - 1, j - 1)] + u32::from(pattern[i - 1] != window[j - 1]))
                    .min(cost[at(i - 1, j)] + 1)
                    .min(cost[at(i, j - 1)] + 1),
            };
        }
    }
    // Back from the end: for each window character, whether it matched.
    let mut matched = vec![false; w];
    let (mut i, mut j) = (m, w);
    while i > 0 && j > 0 {
        let here = cost[at(i, j)];
        let same = pattern[i - 1] == window[j - 1];
        if here == cost[at(i - 1, j - 1)] + u32::from(!same) {
            matched[j - 1] = same;
            (i, j) = (i - 1, j - 1);
        } else if here == cost[at(i - 1, j)] + 1 {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    let lead = matched.iter().position(|&m| m)?;
    let trail = matched.iter().rev().position(|&m| m)?;
    Some((lead, trail))
}

/// The Levenshtein distance between `a` and `b`, in characters.
fn distance(a: &[char], b: &[char]) -> u32 {
    let mut row: Vec<u32> = (0..=b.len() as u32).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i as u32 + 1;
        for (j, &y) in b.iter().enumerate() {
            let next = (diag + u32::from(x != y))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// Which texts hold each character bigram: the words of a comment are
/// looked for only in the texts that hold their rarest bigram.
#[derive(Debug)]
struct BigramIndex {
    postings: HashMap<(char, char), Vec<u32>>,
}

impl BigramIndex {
    fn new(texts: &[String]) -> BigramIndex {
        let mut postings: HashMap<(char, char), Vec<u32>> = HashMap::default();
        let mut seen = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            seen.clear();
            seen.extend(text.chars().zip(text.chars().skip(1)));
            seen.sort_unstable();
            seen.dedup();
            for &pair in &seen {
                postings.entry(pair).or_default().push(i as u32);
            }
        }
        BigramIndex { postings }
    }

    /// Up to `limit` texts (indices, in order) that hold `words` (two
    /// characters or more).
    fn holders(&self, texts: &[String], words: &str, limit: usize) -> Vec<usize> {
        let mut rarest: Option<&Vec<u32>> = None;
        for pair in words.chars().zip(words.chars().skip(1)) {
            let Some(list) = self.postings.get(&pair) else {
                return Vec::new();
            };
            if rarest.is_none_or(|r| list.len() < r.len()) {
                rarest = Some(list);
            }
        }
        rarest
            .into_iter()
            .flatten()
            .map(|&i| i as usize)
            .filter(|&i| texts[i].contains(words))
            .take(limit)
            .collect()
    }
}

#[cfg(test)]
#[path = "anchor_tests.rs"]
mod tests;
