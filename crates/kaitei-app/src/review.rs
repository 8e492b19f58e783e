//! The merge review: a body's officer goes through what merging the latest
//! edition would change in the body's policy, decides clause by clause
//! (accept the proposal, keep ours, or edit), and adopts the result.
//!
//! The proposal (the policy with its provenance, the merge, the list of
//! changes) is made once per policy state — its row, its edit count, the
//! edition it derives from and the latest edition — and kept, so that a
//! decision costs a lookup and a write, not a merge. Decisions are stored
//! as they are made; adopting refuses while a conflict is undecided, and
//! refuses (stale, nothing written) if the policy changed since the review
//! was read.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use kaitei_compare::policy::{
    ChangeKind, InferredValue, ProposedChange, apply_decisions, known_values, merge,
    proposed_changes, settle_values,
};
use kaitei_model::{BodyCode, Decision, Document, Key};
use kaitei_store::StoredDecision;

use kaitei_model::registry;

use crate::policies::with_provenance;
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
    notes: Vec<String>,
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
    edits: i64,
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
    pub fn notes(&self) -> &[String] {
        &self.proposal.notes
    }

    /// Conflicts without a decision.
    pub fn undecided_conflicts(&self) -> usize {
        self.changes()
            .iter()
            .filter(|c| {
                c.kind == ChangeKind::Conflict && !self.decided.contains_key(c.key.as_str())
            })
            .count()
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
        }
    }

    fn decisions(&self) -> BTreeMap<Key, Decision> {
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

    /// Adopts what the decisions make of the proposal, by `by`: refused
    /// ([`Error::Undecided`]) while a conflict is undecided, and
    /// ([`Error::Stale`], nothing written) if the policy changed since the
    /// review was read.
    pub async fn adopt(&self, review: &MergeReview, by: &str) -> Result<()> {
        let reviewed = apply_decisions(
            &review.proposal.ours,
            &review.proposal.merged,
            &review.decisions(),
        )
        .map_err(|u| Error::Undecided(u.conflicts))?;
        self.store
            .adopt_reviewed(
                review.policy_id,
                &reviewed,
                by,
                (&review.derived_from, review.edits),
            )
            .await?;
        Ok(())
    }
}
