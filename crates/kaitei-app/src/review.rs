//! The merge review: a body's officer goes through what merging the latest
//! edition would change in the body's policy, decides clause by clause
//! (accept the proposal, keep ours, or edit), and adopts the result.
//!
//! The proposal (the policy with its provenance, the merge, the list of
//! changes) is made once per policy state — its row, its edit count, the
//! edition it derives from and the latest edition — and kept, so that a
//! decision costs a lookup and a write, not a merge. Decisions are stored
//! as they are made. Adopting the result, as a new revision of the policy,
//! is `revision.rs`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use kaitei_compare::policy::{
    ChangeKind, InferredValue, MergeNote, ProposedChange, known_values, merge, proposed_changes,
    settle_values,
};
use kaitei_model::{BodyCode, Decision, Document, Key};
use kaitei_store::StoredDecision;

use kaitei_model::registry;

use crate::policies::with_provenance;
use crate::review_detail::{ClauseName, Details, GuidelineChange, Marked, details};
use crate::{App, Error, Result, blocking};

/// What one policy state proposes.
struct Proposal {
    /// The policy, with its provenance.
    ours: Document,
    /// The merge of the latest edition into it.
    merged: Document,
    /// What the merge changes, clause by clause.
    changes: Vec<ProposedChange>,
    /// Placeholders without a confirmed value, and what the policy's text
    /// shows for them.
    values: Vec<InferredValue>,
    /// The words the guideline's change wrote into each clause merged
    /// within (by the policy clause's key).
    within: HashMap<Key, Vec<String>>,
    /// What the review is told about where new clauses went (law style).
    notes: Vec<MergeNote>,
    /// What each change shows besides its texts.
    details: Details,
}

/// (policy row, edit count, derived from, latest edition, confirmed
/// values).
type ProposalKey = (i64, i64, String, String, BTreeMap<String, String>);

/// Proposals made, by policy state.
#[derive(Default)]
pub(crate) struct ProposalCache(HashMap<ProposalKey, Arc<Proposal>>);

/// Most proposals kept (each holds two copies of a policy).
const PROPOSALS_KEPT: usize = 64;

/// A merge review as read: the proposal and the decisions so far.
pub struct MergeReview {
    /// The policy's row id.
    pub policy_id: i64,
    /// Its body.
    pub body: BodyCode,
    /// Edits the policy had when the review was read.
    pub(crate) edits: i64,
    /// The edition the policy derives from.
    pub derived_from: String,
    /// The latest edition, merged in.
    pub latest: String,
    proposal: Arc<Proposal>,
    /// Decisions taken so far, by clause key.
    pub decided: BTreeMap<String, StoredDecision>,
}

/// One change of the review with its decision, as pages and the API show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewEntry {
    /// The clause's key.
    pub key: String,
    /// Its label path.
    pub path: String,
    /// What the proposal does to it.
    pub kind: ChangeKind,
    /// The body's current title (if any) and text.
    pub ours: Vec<String>,
    /// The proposed title (if any) and text.
    pub proposed: Vec<String>,
    /// What was decided, if anything.
    pub decision: Option<Decision>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// What an edit starts from: the body's edit, else the proposal, else ours.
    pub edit_text: String,
    /// For a clause merged within (the guideline's change applied to the
    /// body's wording): the words the guideline's change wrote.
    pub from_guideline: Vec<String>,
    /// `ours`, what the proposal changes marked.
    pub ours_marked: Marked,
    /// `proposed`, what differs from ours marked.
    pub proposed_marked: Marked,
    /// The guideline's own change behind this one (none for the body's
    /// own clauses).
    pub guideline: Option<GuidelineChange>,
}

/// How far a review has come: every count a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Changes in all.
    pub total: usize,
    /// Changes decided.
    pub decided: usize,
    /// Conflicts in all.
    pub conflicts: usize,
    /// Conflicts not decided.
    pub undecided_conflicts: usize,
}

impl Progress {
    /// Changes not decided.
    pub fn undecided(&self) -> usize {
        self.total - self.decided
    }

    /// Changes that are not conflicts and not decided: those accepting
    /// the rest would decide.
    pub fn undecided_others(&self) -> usize {
        self.undecided() - self.undecided_conflicts
    }
}

/// A heading's title first, then the text.
fn title_and(title: &Option<String>, paragraphs: &[String]) -> Vec<String> {
    title
        .iter()
        .cloned()
        .chain(paragraphs.iter().cloned())
        .collect()
}

impl MergeReview {
    /// What the merge changes, clause by clause.
    pub fn changes(&self) -> &[ProposedChange] {
        &self.proposal.changes
    }

    /// The placeholders the policy has no confirmed value for, with what
    /// its text shows (a value inferred is used in the proposal; conflicting
    /// or missing ones leave the placeholder), for the body to confirm.
    pub fn values(&self) -> &[InferredValue] {
        &self.proposal.values
    }

    /// Where new clauses went in a policy in its own structure, when the
    /// guideline's order could not be kept or a caption was chosen (see
    /// `kaitei_compare::policy::Merged::notes`).
    pub fn notes(&self) -> &[MergeNote] {
        &self.proposal.notes
    }

    /// The new edition's clause `key` (one a note names), in words.
    pub fn note_clause(&self, key: &Key) -> Option<&ClauseName> {
        self.proposal.details.named.get(key)
    }

    /// Conflicts without a decision.
    pub fn undecided_conflicts(&self) -> usize {
        self.progress().undecided_conflicts
    }

    /// How far the review has come.
    pub fn progress(&self) -> Progress {
        let decided = |c: &&ProposedChange| self.decided.contains_key(c.key.as_str());
        let conflict = |c: &&ProposedChange| c.kind == ChangeKind::Conflict;
        let changes = self.changes();
        Progress {
            total: changes.len(),
            decided: changes.iter().filter(decided).count(),
            conflicts: changes.iter().filter(conflict).count(),
            undecided_conflicts: changes
                .iter()
                .filter(|c| conflict(c) && !decided(c))
                .count(),
        }
    }

    /// The policy as it is (with its provenance): its version name, date
    /// and title are the revision's before the one the review makes.
    pub fn current(&self) -> &Document {
        &self.proposal.ours
    }

    /// The proposal: the policy with every change merged in.
    pub(crate) fn merged(&self) -> &Document {
        &self.proposal.merged
    }

    /// Every change with its decision, in the proposal's order.
    pub fn entries(&self) -> Vec<ReviewEntry> {
        self.changes().iter().map(|c| self.entry_of(c)).collect()
    }

    /// The change of clause `key` with its decision.
    pub fn entry(&self, key: &str) -> Option<ReviewEntry> {
        self.changes()
            .iter()
            .find(|c| c.key.as_str() == key)
            .map(|c| self.entry_of(c))
    }

    fn entry_of(&self, c: &ProposedChange) -> ReviewEntry {
        let stored = self.decided.get(c.key.as_str());
        let marks = self.proposal.details.marks.get(&c.key);
        let edit_text = match stored.map(|d| &d.decision) {
            Some(Decision::Edit(p)) => p.join("\n"),
            _ if c.proposed.is_empty() => c.ours.join("\n"),
            _ => c.proposed.join("\n"),
        };
        ReviewEntry {
            key: c.key.to_string(),
            path: c.path.clone(),
            kind: c.kind,
            ours: title_and(&c.ours_title, &c.ours),
            proposed: title_and(&c.proposed_title, &c.proposed),
            decision: stored.map(|d| d.decision.clone()),
            decided_by: stored.map(|d| d.decided_by.clone()),
            edit_text,
            from_guideline: self
                .proposal
                .within
                .get(&c.key)
                .cloned()
                .unwrap_or_default(),
            ours_marked: marks.map(|m| m.0.clone()).unwrap_or_default(),
            proposed_marked: marks.map(|m| m.1.clone()).unwrap_or_default(),
            guideline: self.proposal.details.guideline.get(&c.key).cloned(),
        }
    }

    pub(crate) fn decisions(&self) -> BTreeMap<Key, Decision> {
        self.decided
            .values()
            .filter_map(|d| Some((Key::new(&d.key)?, d.decision.clone())))
            .collect()
    }
}

impl App {
    /// The merge review of policy `policy_id` (the caller has decided who
    /// may); `None` when the policy follows the latest edition already.
    pub async fn merge_review(&self, policy_id: i64) -> Result<Option<MergeReview>> {
        // Counted before the text is read: an edit in between makes
        // adopting refuse (stale) rather than overwrite it.
        let edits = self.store.edit_count(policy_id).await?;
        let (body, derived_from) = self
            .store
            .policy_origin(policy_id)
            .await?
            .ok_or_else(|| Error::NotFound("no such policy".into()))?;
        let Some(derived_from) = derived_from else {
            return Ok(None);
        };
        let Some(latest) = self.latest_edition().await?.map(|e| e.edition) else {
            return Ok(None);
        };
        if latest == derived_from || self.edition_named(&derived_from).await.is_err() {
            return Ok(None);
        }
        let confirmed = self.store.confirmed_values(policy_id).await?;
        let key: ProposalKey = (
            policy_id,
            edits,
            derived_from.clone(),
            latest.clone(),
            confirmed,
        );
        let found = self
            .proposals
            .lock()
            .ok()
            .and_then(|c| c.0.get(&key).cloned());
        let proposal = match found {
            Some(p) => p,
            None => {
                let doc = self
                    .store
                    .load(policy_id)
                    .await?
                    .ok_or_else(|| Error::NotFound("no such policy".into()))?;
                let old = self.edition_named(&derived_from).await?;
                let new = self.edition_named(&latest).await?;
                let body = doc
                    .meta
                    .body
                    .and_then(|b| registry().get(b))
                    .ok_or_else(|| {
                        Error::Invalid("the policy does not name a known body".into())
                    })?;
                let known = known_values(body, &doc.meta.values, &BTreeMap::new());
                let proposal = blocking(move || {
                    let ours = with_provenance(&doc, &old, &known).into_owned();
                    let settled = settle_values(&ours, &old, &new, &known);
                    let m = merge(&ours, &old, &new, &settled.values);
                    let changes = proposed_changes(&ours, &m.document);
                    let details = details(&changes, &m.notes, (&ours, &m.document), (&old, &new));
                    Proposal {
                        ours,
                        merged: m.document,
                        changes,
                        values: settled.inferred,
                        within: m
                            .merged_within
                            .into_iter()
                            .map(|w| (w.key, w.words))
                            .collect(),
                        notes: m.notes,
                        details,
                    }
                })
                .await?;
                let proposal = Arc::new(proposal);
                if let Ok(mut cache) = self.proposals.lock() {
                    if cache.0.len() >= PROPOSALS_KEPT {
                        cache.0.clear();
                    }
                    cache.0.insert(key, proposal.clone());
                }
                proposal
            }
        };
        let decided = self
            .store
            .decisions(policy_id, &latest)
            .await?
            .into_iter()
            .map(|d| (d.key.clone(), d))
            .collect();
        Ok(Some(MergeReview {
            policy_id,
            body,
            edits,
            derived_from,
            latest,
            proposal,
            decided,
        }))
    }

    /// Records `decision` on clause `key` of `review`, by `by`; the review
    /// then holds it too. A key the review does not list is not found.
    pub async fn decide(
        &self,
        review: &mut MergeReview,
        key: &str,
        decision: Decision,
        by: &str,
    ) -> Result<()> {
        if !review.changes().iter().any(|c| c.key.as_str() == key) {
            return Err(Error::NotFound(format!(
                "clause {key} is not in the review"
            )));
        }
        let stored = StoredDecision {
            key: key.to_string(),
            decision,
            decided_by: by.to_string(),
        };
        self.store
            .decide(review.policy_id, &review.latest, &stored)
            .await?;
        review.decided.insert(key.to_string(), stored);
        Ok(())
    }

    /// Accepts, by `by`, every proposal left undecided but the conflicts
    /// (which always need a person's decision), in one write; the review
    /// then holds them too. Returns how many were accepted.
    pub async fn accept_rest(&self, review: &mut MergeReview, by: &str) -> Result<usize> {
        let rest: Vec<StoredDecision> = review
            .changes()
            .iter()
            .filter(|c| {
                c.kind != ChangeKind::Conflict && !review.decided.contains_key(c.key.as_str())
            })
            .map(|c| StoredDecision {
                key: c.key.to_string(),
                decision: Decision::Accept,
                decided_by: by.to_string(),
            })
            .collect();
        if rest.is_empty() {
            return Ok(0);
        }
        self.store
            .decide_all(review.policy_id, &review.latest, &rest)
            .await?;
        let n = rest.len();
        for d in rest {
            review.decided.insert(d.key.clone(), d);
        }
        Ok(n)
    }

    /// Confirms placeholder `name`'s value for the review's policy (kept in
    /// its metadata, so it is used instead of inferred; the proposal is made
    /// again with it). An empty name or value is refused.
    pub async fn confirm_value(&self, review: &MergeReview, name: &str, value: &str) -> Result<()> {
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() || value.is_empty() || name.contains(char::is_whitespace) {
            return Err(Error::Invalid(
                "a placeholder's name and value must not be empty".into(),
            ));
        }
        self.store
            .confirm_value(review.policy_id, name, value)
            .await?;
        Ok(())
    }
}
