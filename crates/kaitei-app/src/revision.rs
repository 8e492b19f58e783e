//! A body's policy revised: adopting a merge review as a new revision
//! that the body names and dates, and the body's own 新旧対照表 — of the
//! revision a review makes (as decided so far, for the internal approval,
//! 決裁, before adopting) and of a revision adopted.

use std::fmt;

use kaitei_compare::policy::{ChangeKind, apply_decisions};
use kaitei_compare::{KeyUse, compare};
use kaitei_model::text::check_controls;
use kaitei_model::{Date, Decision, Document};
use kaitei_store::StoreError;

use crate::table::{Layout, TableFormat, render};
use crate::{App, Error, MergeReview, Result, blocking};

/// The longest version name a revision may have.
pub const MAX_VERSION_CHARS: usize = 100;

/// What the new side of a review's 新旧対照表 is called before the
/// revision has its name.
pub const DRAFT_VERSION: &str = "改定案";

/// A new revision's name and date, as the body gives them when adopting
/// a review: `令和8年4月1日施行`, dated 2026-04-01.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The version name (`edition:` in the file).
    pub version: String,
    /// Its date (`published:`): when it is enacted or made known.
    pub published: Date,
}

/// Why a revision's name or date is refused: typed, so that each front
/// end says it in its user's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisionProblem {
    /// No version name was given.
    NoName,
    /// The name is over [`MAX_VERSION_CHARS`] characters.
    LongName,
    /// The name holds a line break or another control character.
    ControlInName,
    /// No date was given, or it is not a date (ISO or 和暦).
    BadDate,
    /// The date is before the current revision's.
    DateBefore(Date),
    /// The body has a revision of that name already.
    NameTaken(String),
}

impl fmt::Display for RevisionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RevisionProblem::NoName => f.write_str("the revision needs a version name"),
            RevisionProblem::LongName => write!(
                f,
                "a version name has at most {MAX_VERSION_CHARS} characters"
            ),
            RevisionProblem::ControlInName => {
                f.write_str("a version name holds no line break or control character")
            }
            RevisionProblem::BadDate => {
                f.write_str("the revision needs its date, as 2026-04-01 or 令和8年4月1日")
            }
            RevisionProblem::DateBefore(d) => write!(
                f,
                "the revision's date is before the current revision's ({d})"
            ),
            RevisionProblem::NameTaken(n) => {
                write!(f, "the body already has a revision named {n:?}")
            }
        }
    }
}

impl Revision {
    /// Reads a name and a date as a person typed them (the date ISO or
    /// 和暦; white space around either ignored).
    pub fn parse(version: &str, published: &str) -> Result<Revision, RevisionProblem> {
        let version = version.trim();
        if version.is_empty() {
            return Err(RevisionProblem::NoName);
        }
        if version.chars().count() > MAX_VERSION_CHARS {
            return Err(RevisionProblem::LongName);
        }
        if version.contains(['\n', '\t']) || check_controls(version).is_err() {
            return Err(RevisionProblem::ControlInName);
        }
        let published = Date::parse_typed(published).ok_or(RevisionProblem::BadDate)?;
        Ok(Revision {
            version: version.to_string(),
            published,
        })
    }
}

/// The earlier revision a policy was made from by adopting a review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousRevision {
    /// Its row id.
    pub id: i64,
    /// Its version name.
    pub version: String,
}

impl App {
    /// Adopts what the decisions make of the proposal, by `by`, as the
    /// body's new revision `revision` (returns its id; the revision
    /// reviewed is kept as it was). Refused while a conflict is undecided
    /// ([`Error::Undecided`]), when the name or date will not do
    /// ([`Error::Revision`]), and ([`Error::Stale`], nothing written) if
    /// the policy changed since the review was read.
    pub async fn adopt(&self, review: &MergeReview, by: &str, revision: &Revision) -> Result<i64> {
        let current = &review.current().meta;
        if let Some(d) = current.published
            && revision.published < d
        {
            return Err(Error::Revision(RevisionProblem::DateBefore(d)));
        }
        if revision.version == current.edition {
            return Err(Error::Revision(RevisionProblem::NameTaken(
                revision.version.clone(),
            )));
        }
        let mut reviewed = apply_decisions(review.current(), review.merged(), &review.decisions())
            .map_err(|u| Error::Undecided(u.conflicts))?;
        reviewed.meta.edition = revision.version.clone();
        reviewed.meta.published = Some(revision.published);
        match self
            .store
            .adopt_reviewed(
                review.policy_id,
                &reviewed,
                by,
                (&review.derived_from, review.edits),
            )
            .await
        {
            Ok(id) => Ok(id),
            Err(StoreError::Duplicate(_)) => Err(Error::Revision(RevisionProblem::NameTaken(
                revision.version.clone(),
            ))),
            Err(e) => Err(e.into()),
        }
    }

    /// The 新旧対照表 of the revision `review` makes, as decided so far
    /// (an undecided conflict stays as the policy has it; every other
    /// change as proposed unless decided otherwise): the current policy →
    /// the revised one, in the body's numbering, its new side called
    /// [`DRAFT_VERSION`].
    pub async fn review_table(&self, review: &MergeReview, format: TableFormat) -> Result<Vec<u8>> {
        let mut decisions = review.decisions();
        for c in review.changes() {
            if c.kind == ChangeKind::Conflict {
                decisions.entry(c.key.clone()).or_insert(Decision::KeepOurs);
            }
        }
        let ours = review.current().clone();
        let merged = review.merged().clone();
        blocking(move || {
            let mut revised = apply_decisions(&ours, &merged, &decisions)
                .map_err(|u| Error::Undecided(u.conflicts))?;
            revised.meta.edition = DRAFT_VERSION.to_string();
            table_of(&ours, &revised, format)
        })
        .await?
    }

    /// The revision policy `id` was made from by adopting a review
    /// (`None`: it was imported as it is).
    pub async fn previous_revision(&self, id: i64) -> Result<Option<PreviousRevision>> {
        Ok(self
            .store
            .revision_of(id)
            .await?
            .map(|(id, version)| PreviousRevision { id, version }))
    }

    /// The 新旧対照表 of policy `id` against the revision it was made from
    /// by adopting a review (`None`: it was not made so).
    pub async fn revision_table(&self, id: i64, format: TableFormat) -> Result<Option<Vec<u8>>> {
        let Some(previous) = self.previous_revision(id).await? else {
            return Ok(None);
        };
        let load = |id: i64| async move {
            self.store
                .load(id)
                .await?
                .ok_or_else(|| Error::NotFound(format!("no policy {id}")))
        };
        let (old, new) = (load(previous.id).await?, load(id).await?);
        blocking(move || table_of(&old, &new, format).map(Some)).await?
    }
}

/// The 新旧対照表 of two revisions of one policy: the later was made from
/// the earlier, so their keys are one clause's each.
fn table_of(old: &Document, new: &Document, format: TableFormat) -> Result<Vec<u8>> {
    render(&compare(old, new, KeyUse::All), format, Layout::default())
}
