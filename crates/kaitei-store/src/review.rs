//! The merge review's decisions (adopting them is in `revisions`).

use kaitei_model::{Decision, DecisionKind};
use sqlx::Row;

use crate::{MAX_CLAUSE_CHARS, Store, StoreError};

/// A body's decision on one clause of a merge proposal, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDecision {
    /// The clause's key.
    pub key: String,
    /// What was decided (with the body's text for an edit).
    pub decision: Decision,
    /// Who decided.
    pub decided_by: String,
}

/// The text a decision stores (an edit's, else empty), checked: an edit
/// needs a text, and no clause is longer than [`MAX_CLAUSE_CHARS`].
fn decision_text(decision: &StoredDecision) -> Result<String, StoreError> {
    let text = decision.decision.paragraphs().join("\n");
    if decision.decision.kind() == DecisionKind::Edit && text.trim().is_empty() {
        return Err(StoreError::Invalid(
            "an edited clause needs its text".into(),
        ));
    }
    if text.chars().count() > MAX_CLAUSE_CHARS {
        return Err(StoreError::Invalid(format!(
            "a clause has at most {MAX_CLAUSE_CHARS} characters"
        )));
    }
    Ok(text)
}

impl Store {
    /// Records (or replaces) the decision on clause `key` of the review of
    /// policy `document_id` against guideline `edition`. Refused
    /// ([`StoreError::Stale`], nothing written) when the policy already
    /// follows `edition` or was revised: someone adopted the review
    /// meanwhile.
    pub async fn decide(
        &self,
        document_id: i64,
        edition: &str,
        decision: &StoredDecision,
    ) -> Result<(), StoreError> {
        self.decide_all(document_id, edition, std::slice::from_ref(decision))
            .await
    }

    /// Records `decisions` on the review of policy `document_id` against
    /// `edition` in one transaction (accepting every proposal left at
    /// once): all of them or, refused as [`Store::decide`] refuses, none.
    pub async fn decide_all(
        &self,
        document_id: i64,
        edition: &str,
        decisions: &[StoredDecision],
    ) -> Result<(), StoreError> {
        let texts = decisions
            .iter()
            .map(decision_text)
            .collect::<Result<Vec<_>, _>>()?;
        self.retrying(|| self.decide_once(document_id, edition, decisions, &texts))
            .await
    }

    /// One attempt at [`Store::decide_all`].
    async fn decide_once(
        &self,
        document_id: i64,
        edition: &str,
        decisions: &[StoredDecision],
        texts: &[String],
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        // Locked, so that an adoption cannot come between the check and
        // the write (it clears the decisions when it commits).
        if !self.lock_document(&mut tx, document_id).await? {
            return Err(StoreError::Invalid(format!("no policy {document_id}")));
        }
        let (follows,): (Option<String>,) =
            sqlx::query_as("SELECT derived_from FROM documents WHERE id = $1")
                .bind(document_id)
                .fetch_one(&mut *tx)
                .await?;
        if follows.as_deref() == Some(edition) || Store::revised(&mut tx, document_id).await? {
            return Err(StoreError::Stale(format!(
                "the policy was brought to {edition} meanwhile (the review was adopted): nothing was saved"
            )));
        }
        let stamp = crate::accounts::now_stamp();
        for (decision, text) in decisions.iter().zip(texts) {
            sqlx::query(
                "INSERT INTO merge_decisions (document_id, edition, node_key, decision, body_text, decided_by, decided_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (document_id, edition, node_key) DO UPDATE SET \
                 decision = excluded.decision, body_text = excluded.body_text, \
                 decided_by = excluded.decided_by, decided_at = excluded.decided_at",
            )
            .bind(document_id)
            .bind(edition)
            .bind(&decision.key)
            .bind(decision.decision.as_str())
            .bind(text)
            .bind(&decision.decided_by)
            .bind(&stamp)
            .execute(&mut *tx)
            .await?;
            let change = Store::document_change(&mut tx, document_id, "review.decide").await?;
            let change = change
                .about(&format!("{} → {edition}", decision.key))
                .after(format!("{}\u{1f}{text}", decision.decision.as_str()));
            self.audit(&mut tx, change).await?;
        }
        self.commit(tx).await?;
        Ok(())
    }

    /// The decisions taken so far in the review of `document_id` against `edition`.
    pub async fn decisions(
        &self,
        document_id: i64,
        edition: &str,
    ) -> Result<Vec<StoredDecision>, StoreError> {
        let rows = sqlx::query(
            "SELECT node_key, decision, body_text, decided_by FROM merge_decisions \
             WHERE document_id = $1 AND edition = $2 ORDER BY node_key",
        )
        .bind(document_id)
        .bind(edition)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let text: String = r.try_get("body_text")?;
                let word: String = r.try_get("decision")?;
                let kind = DecisionKind::parse(&word).ok_or_else(|| {
                    StoreError::Corrupt(format!("unknown review decision {word:?}"))
                })?;
                let paragraphs = text
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect();
                Ok(StoredDecision {
                    key: r.try_get("node_key")?,
                    decision: Decision::new(kind, paragraphs),
                    decided_by: r.try_get("decided_by")?,
                })
            })
            .collect()
    }

    /// How many edits policy `document_id` has had: read before a review,
    /// checked when adopting it, so that an edit made meanwhile is never
    /// overwritten.
    pub async fn edit_count(&self, document_id: i64) -> Result<i64, StoreError> {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM node_history WHERE document_id = $1")
                .bind(document_id)
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }
}
