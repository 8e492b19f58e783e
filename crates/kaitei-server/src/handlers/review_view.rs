//! The merge review as pages and the API show it: each item with its
//! texts marked where they differ and the guideline's own change beside
//! them, the placeholder values to confirm, the notes on where new
//! clauses went (worded for the reader, the guideline clause named in
//! words), and how far the review has come.

use kaitei_app::review_detail::{ClauseName, GuidelineChange, GuidelineSide, Marked};
use kaitei_app::{MergeReview, Progress, ReviewEntry};
use kaitei_compare::policy::{Inference, InferredValue, MergeNote, PlacementReason};
use kaitei_model::Decision;
use serde::Serialize;

use super::percent_encode;
use crate::i18n::{Lang, tr};

/// A run of text; `changed` when it is what differs from the other side.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct PieceView {
    text: String,
    changed: bool,
}

fn pieces(marked: Marked) -> Vec<Vec<PieceView>> {
    marked
        .into_iter()
        .map(|p| {
            p.into_iter()
                .map(|x| PieceView {
                    text: x.text,
                    changed: x.changed,
                })
                .collect()
        })
        .collect()
}

/// A guideline clause named in words, with its page.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ClauseNameView {
    edition: String,
    key: String,
    /// Its labels from the top (`第2編 第2章 6. 6.1. (1) ⑤`).
    path: String,
    /// Its title, or its closest titled ancestor's.
    title: Option<String>,
    /// Its page.
    link: String,
}

impl From<&ClauseName> for ClauseNameView {
    fn from(c: &ClauseName) -> ClauseNameView {
        ClauseNameView {
            edition: c.edition.clone(),
            key: c.key.clone(),
            path: c.path.clone(),
            title: c.title.clone(),
            link: format!(
                "/editions/{}/clauses/{}",
                percent_encode(&c.edition),
                percent_encode(&c.key)
            ),
        }
    }
}

/// One side of the guideline's change.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct GuidelineSideView {
    clause: ClauseNameView,
    /// Its title (if any) and text, what differs from the other side marked.
    text: Vec<Vec<PieceView>>,
}

/// The guideline's own change behind an item: the clause in the edition
/// the policy follows and in the new one (absent: new, or deleted).
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct GuidelineView {
    old: Option<GuidelineSideView>,
    new: Option<GuidelineSideView>,
}

fn side(s: GuidelineSide) -> GuidelineSideView {
    GuidelineSideView {
        clause: ClauseNameView::from(&s.clause),
        text: pieces(s.text),
    }
}

impl From<GuidelineChange> for GuidelineView {
    fn from(g: GuidelineChange) -> GuidelineView {
        GuidelineView {
            old: g.old.map(side),
            new: g.new.map(side),
        }
    }
}

/// One review item as pages and the API show it.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ItemView {
    pub(super) key: String,
    pub(super) path: String,
    kind: &'static str,
    ours: Vec<String>,
    proposed: Vec<String>,
    decision: Option<&'static str>,
    decided_by: Option<String>,
    /// What the edit box starts with.
    pub(super) text: String,
    /// For a clause merged within (the guideline's change applied to the
    /// body's wording): the words the guideline's change wrote.
    from_guideline: Vec<String>,
    /// `ours`, what the proposal changes marked.
    ours_marked: Vec<Vec<PieceView>>,
    /// `proposed`, what differs from ours marked.
    proposed_marked: Vec<Vec<PieceView>>,
    /// The guideline's own change behind it (absent for the body's own
    /// clauses).
    guideline: Option<GuidelineView>,
}

impl From<ReviewEntry> for ItemView {
    fn from(e: ReviewEntry) -> ItemView {
        ItemView {
            key: e.key,
            path: e.path,
            kind: e.kind.as_str(),
            ours: e.ours,
            proposed: e.proposed,
            decision: e.decision.as_ref().map(Decision::as_str),
            decided_by: e.decided_by,
            text: e.edit_text,
            from_guideline: e.from_guideline,
            ours_marked: pieces(e.ours_marked),
            proposed_marked: pieces(e.proposed_marked),
            guideline: e.guideline.map(GuidelineView::from),
        }
    }
}

impl ItemView {
    /// Whether the item is shown under filter `show`.
    pub(super) fn shown_under(&self, show: Show) -> bool {
        match show {
            Show::All => true,
            Show::Conflicts => self.kind == "conflict",
            Show::Undecided => self.decision.is_none(),
        }
    }
}

/// Which items the review page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Show {
    /// Every item.
    #[default]
    All,
    /// The conflicts.
    Conflicts,
    /// Those without a decision.
    Undecided,
}

impl Show {
    /// The word in `?show=`; anything else is refused, never defaulted.
    pub(super) fn parse(word: Option<&str>) -> Option<Show> {
        match word {
            None | Some("" | "all") => Some(Show::All),
            Some("conflicts") => Some(Show::Conflicts),
            Some("undecided") => Some(Show::Undecided),
            Some(_) => None,
        }
    }

    /// The word, as the page's links write it.
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Show::All => "all",
            Show::Conflicts => "conflicts",
            Show::Undecided => "undecided",
        }
    }
}

pub(super) fn items(review: Option<&MergeReview>) -> Vec<ItemView> {
    review
        .map(|r| r.entries().into_iter().map(ItemView::from).collect())
        .unwrap_or_default()
}

/// How far the review has come, as pages and the API show it.
#[derive(Serialize, utoipa::ToSchema, Default)]
pub(super) struct ProgressView {
    total: usize,
    decided: usize,
    undecided: usize,
    conflicts: usize,
    undecided_conflicts: usize,
    /// Undecided changes that are not conflicts (accepted all at once).
    undecided_others: usize,
}

pub(super) fn progress(review: Option<&MergeReview>) -> ProgressView {
    review.map_or_else(ProgressView::default, |r| {
        let p: Progress = r.progress();
        ProgressView {
            total: p.total,
            decided: p.decided,
            undecided: p.undecided(),
            conflicts: p.conflicts,
            undecided_conflicts: p.undecided_conflicts,
            undecided_others: p.undecided_others(),
        }
    })
}

/// A placeholder without a confirmed value, as pages and the API show it.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct ValueView {
    /// The placeholder's name (`CISO職名`).
    name: String,
    /// `inferred` (used in the proposal), `conflicting` or `not_found` (the
    /// placeholder stays).
    status: &'static str,
    /// Where the guideline uses it first.
    first_used_at: String,
    /// Values read from the policy's text, most often read first.
    candidates: Vec<CandidateView>,
}

/// One value read, with where.
#[derive(Serialize, utoipa::ToSchema)]
struct CandidateView {
    value: String,
    /// `policy path ← guideline path (key)`, one per clause.
    evidence: Vec<String>,
    /// The same places for people: the policy's clause and the guideline's,
    /// linked (no key).
    places: Vec<PlaceView>,
}

/// Where a value was read: the body's clause, and the guideline clause it
/// derives from.
#[derive(Serialize, utoipa::ToSchema)]
struct PlaceView {
    policy_path: String,
    guideline_path: String,
    guideline_link: String,
}

pub(super) fn value_views(review: Option<&MergeReview>) -> Vec<ValueView> {
    let Some(review) = review else {
        return Vec::new();
    };
    let edition = percent_encode(&review.derived_from);
    let candidate = |c: &kaitei_compare::policy::Candidate| CandidateView {
        value: c.value.clone(),
        evidence: c
            .evidence
            .iter()
            .map(|e| {
                format!(
                    "{} ← {} ({})",
                    e.policy_path, e.guideline_path, e.guideline_key
                )
            })
            .collect(),
        places: c
            .evidence
            .iter()
            .map(|e| PlaceView {
                policy_path: e.policy_path.clone(),
                guideline_path: e.guideline_path.clone(),
                guideline_link: format!(
                    "/editions/{edition}/clauses/{}",
                    percent_encode(e.guideline_key.as_str())
                ),
            })
            .collect(),
    };
    review
        .values()
        .iter()
        .map(|v: &InferredValue| {
            let (status, candidates) = match &v.inference {
                Inference::Inferred(c) => ("inferred", vec![candidate(c)]),
                Inference::Conflicting(cs) => ("conflicting", cs.iter().map(candidate).collect()),
                Inference::NotFound => ("not_found", Vec::new()),
            };
            ValueView {
                name: v.name.clone(),
                status,
                first_used_at: v.first_used_at.clone(),
                candidates,
            }
        })
        .collect()
}

/// A note on where a new clause went, worded for the page's reader.
#[derive(Serialize)]
pub(super) struct NoteView {
    /// What happened, in the reader's language.
    text: String,
    /// The guideline clause, in words and linked.
    clause: Option<ClauseNameView>,
    /// Why to look, in the reader's language.
    reasons: Vec<String>,
}

fn reason(lang: Lang, r: PlacementReason) -> String {
    let ja = match r {
        PlacementReason::CaptionFromParent => {
            "見出しは、ガイドラインの上位の項目の題名にしました。確認してください。"
        }
        PlacementReason::CaptionFromPrevious => {
            "ガイドラインに題名がないため、見出しは直前の条と同じにしました。確認してください。"
        }
        PlacementReason::CaptionIsTitle => "見出しは、ガイドラインの題名にしました。",
        PlacementReason::ParagraphAtEnd => {
            "項には枝番号がないため、ガイドラインの順ではなく条の末尾に置きました。"
        }
        PlacementReason::OrderNotKept => {
            "番号を振り直さずにはガイドラインの順を保てないため、並びの末尾に置きました。"
        }
        PlacementReason::NoLabel => {
            "並びの番号の付け方で番号を付けられませんでした。確認してください。"
        }
        PlacementReason::NothingBefore => {
            "前に同じ種類の単位がないため、ガイドラインの番号のまま置きました。"
        }
    };
    tr(lang, ja, &[])
}

pub(super) fn note_views(review: Option<&MergeReview>, lang: Lang) -> Vec<NoteView> {
    let Some(review) = review else {
        return Vec::new();
    };
    review
        .notes()
        .iter()
        .map(|n| match n {
            MergeNote::Placed {
                label,
                title,
                from,
                reasons,
            } => NoteView {
                text: tr(
                    lang,
                    "新設の{0}{1}",
                    &[label, &title.as_deref().map(|t| format!("（{t}）")).unwrap_or_default()],
                ),
                clause: review.note_clause(from).map(ClauseNameView::from),
                reasons: reasons.iter().map(|r| reason(lang, *r)).collect(),
            },
            MergeNote::Split { label, from: key } => NoteView {
                text: tr(
                    lang,
                    "{0} は、団体がガイドラインの一つの項目を分けて定めた条項の一つです。ガイドラインの改正は最初の条項にだけ提案しています。",
                    &[if label.is_empty() { "この条項" } else { label }],
                ),
                clause: review.note_clause(key).map(ClauseNameView::from),
                reasons: Vec::new(),
            },
            MergeNote::DeletedInPlace { label, from } => NoteView {
                text: tr(
                    lang,
                    "{0} の由来となったガイドラインの項目は削られました。後の条の番号が変わらないよう、「{0}　削除」として残しています。",
                    &[label],
                ),
                clause: review.note_clause(from).map(ClauseNameView::from),
                reasons: Vec::new(),
            },
            MergeNote::ParagraphsMovedUp { label, moves } => NoteView {
                text: tr(
                    lang,
                    "{0}：ガイドラインで削られた項を削り、後の項を繰り上げました（{1}）。前項・第N項などの引用を確認してください。",
                    &[
                        if label.is_empty() { "この条" } else { label },
                        &moves
                            .iter()
                            .map(|(from, to)| format!("第{from}項を第{to}項とする"))
                            .collect::<Vec<_>>()
                            .join("、"),
                    ],
                ),
                clause: None,
                reasons: Vec::new(),
            },
        })
        .collect()
}
