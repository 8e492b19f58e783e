//! What a merge tells the review about where it put a clause, typed, so
//! that each front end words it for its reader (and names the guideline
//! clause in words rather than by its key); `Display` is the command
//! line's English.

use std::fmt;

use kaitei_model::Key;

/// Why the review should look at where a new clause went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacementReason {
    /// Its caption is its parent's title in the guideline.
    CaptionFromParent,
    /// The guideline gives it no title: its caption is the article's it follows.
    CaptionFromPrevious,
    /// Its caption is the guideline's title.
    CaptionIsTitle,
    /// A 項 has no branch number: it goes at the end of its article.
    ParagraphAtEnd,
    /// The guideline's order cannot be kept without renumbering: it goes
    /// at the end of its list.
    OrderNotKept,
    /// No label could be made in the list's style.
    NoLabel,
    /// No unit of its kind comes before it: numbered as the guideline has it.
    NothingBefore,
}

impl PlacementReason {
    /// The command line's words.
    pub fn english(self) -> &'static str {
        match self {
            PlacementReason::CaptionFromParent => {
                "its caption is its parent's title in the guideline; review it"
            }
            PlacementReason::CaptionFromPrevious => {
                "the guideline gives it no title: its caption is the one of the article it follows; review it"
            }
            PlacementReason::CaptionIsTitle => "its caption is the guideline's title",
            PlacementReason::ParagraphAtEnd => {
                "a 項 has no branch number: it goes at the end of its article, not where the guideline's order puts it"
            }
            PlacementReason::OrderNotKept => {
                "the guideline's order cannot be kept without renumbering: it goes at the end of its list"
            }
            PlacementReason::NoLabel => "no label could be made in the list's style: review it",
            PlacementReason::NothingBefore => {
                "no unit comes before it: numbered as the guideline has it"
            }
        }
    }
}

/// One thing a merge tells the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MergeNote {
    /// A clause new in the guideline went into a policy in its own (law)
    /// structure where the review should look at it.
    Placed {
        /// The label it was given (`第1条の2`; empty when none could be made).
        label: String,
        /// Its title or caption.
        title: Option<String>,
        /// The guideline clause (new edition) it comes from.
        from: Key,
        /// Why to look, in the order found.
        reasons: Vec<PlacementReason>,
    },
    /// The body split guideline clause `from` into several of its own:
    /// the guideline's change is proposed on the first part only.
    Split {
        /// The label of the part that got the change (empty: unlabelled).
        label: String,
        /// The guideline clause.
        from: Key,
    },
    /// An article whose guideline clause `from` was deleted stays as
    /// 「第N条　削除」, so that the later articles keep their numbers.
    DeletedInPlace {
        /// The article's label (`第5条`).
        label: String,
        /// The guideline clause (old edition) it came from.
        from: Key,
    },
    /// A 項 went with its guideline clause and the later 項 of the
    /// article moved up: references to them (前項, 第N項) need a look.
    ParagraphsMovedUp {
        /// The article's label (empty: unlabelled).
        label: String,
        /// Each renumbering, as (old, new) written numbers.
        moves: Vec<(String, String)>,
    },
}

impl MergeNote {
    /// The guideline clause the note is about, if it is about one.
    pub fn guideline_clause(&self) -> Option<&Key> {
        match self {
            MergeNote::Placed { from, .. }
            | MergeNote::Split { from, .. }
            | MergeNote::DeletedInPlace { from, .. } => Some(from),
            MergeNote::ParagraphsMovedUp { .. } => None,
        }
    }
}

impl fmt::Display for MergeNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeNote::Placed {
                label,
                title,
                from,
                reasons,
            } => {
                let named = format!(
                    "new {label} {} (from {from})",
                    title.as_deref().unwrap_or("")
                );
                let reasons: Vec<&str> = reasons.iter().map(|r| r.english()).collect();
                write!(f, "{}: {}", named.replace("  ", " "), reasons.join("; "))
            }
            MergeNote::Split { label, from } => write!(
                f,
                "{} came from {from} too (the body split it): the guideline's change of {from} is proposed on the first part only",
                if label.is_empty() { "a clause" } else { label }
            ),
            MergeNote::DeletedInPlace { label, from } => write!(
                f,
                "{label} went with its guideline clause {from}: kept as 「{label}　削除」 so that the later articles keep their numbers"
            ),
            MergeNote::ParagraphsMovedUp { label, moves } => {
                let moves: Vec<String> = moves
                    .iter()
                    .map(|(from, to)| format!("第{from}項を第{to}項とする"))
                    .collect();
                write!(
                    f,
                    "{}: a 項 went with its guideline clause and the later 項 move up ({}); check references to them (前項, 第N項)",
                    if label.is_empty() {
                        "an article"
                    } else {
                        label
                    },
                    moves.join("、")
                )
            }
        }
    }
}
