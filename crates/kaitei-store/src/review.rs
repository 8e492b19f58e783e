//! The merge review's decisions, and adopting the reviewed policy.

use std::collections::{BTreeSet, HashMap};

use kaitei_model::{Decision, DecisionKind, Document};
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

impl Store {
    /// Records (or replaces) the decision on clause `key` of the review of
    /// policy `document_id` against guideline `edition`. Refused
    /// ([`StoreError::Stale`], nothing written) when the policy already
    /// follows `edition`: someone adopted the review meanwhile.
    pub async fn decide(
        &self,
        document_id: i64,
        edition: &str,
        decision: &StoredDecision,
    ) -> Result<(), StoreError> {
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
        self.retrying(|| self.decide_once(document_id, edition, decision, &text))
            .await
    }

    /// One attempt at [`Store::decide`].
    async fn decide_once(
        &self,
        document_id: i64,
        edition: &str,
        decision: &StoredDecision,
        text: &str,
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
        if follows.as_deref() == Some(edition) {
            return Err(StoreError::Stale(format!(
                "the policy was brought to {edition} meanwhile (the review was adopted): nothing was saved"
            )));
        }
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
        .bind(crate::accounts::now_stamp())
        .execute(&mut *tx)
        .await?;
        let change = Store::document_change(&mut tx, document_id, "review.decide").await?;
        let change = change
            .about(&format!("{} → {edition}", decision.key))
            .after(format!("{}\u{1f}{text}", decision.decision.as_str()));
        self.audit(&mut tx, change).await?;
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

    /// Replaces policy `document_id`'s text with `reviewed` (the outcome of
    /// a merge review) in one transaction: every clause whose text changes
    /// or goes keeps its old text in its history, the policy now follows
    /// `reviewed`'s edition, and the review's decisions are cleared.
    /// Refused ([`StoreError::Stale`], nothing written) unless the policy
    /// still derives from `derived_from` and has had `edits` edits
    /// ([`Store::edit_count`]) — as when the review was made.
    pub async fn adopt_reviewed(
        &self,
        document_id: i64,
        reviewed: &Document,
        editor: &str,
        based_on: (&str, i64),
    ) -> Result<(), StoreError> {
        self.retrying(|| self.adopt_reviewed_once(document_id, reviewed, editor, based_on))
            .await
    }

    /// One attempt at [`Store::adopt_reviewed`].
    async fn adopt_reviewed_once(
        &self,
        document_id: i64,
        reviewed: &Document,
        editor: &str,
        (derived_from, edits): (&str, i64),
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        // Claim the document first: its row lock (PostgreSQL; SQLite's
        // writer holds the whole database) keeps edits and decisions out
        // until this commits, so the check below cannot race.
        let claimed = sqlx::query(
            "UPDATE documents SET derived_from = $1, placeholder_values = $4 \
             WHERE id = $2 AND kind = 'policy' AND derived_from = $3",
        )
        .bind(reviewed.meta.derived_from.clone())
        .bind(document_id)
        .bind(derived_from)
        .bind(crate::documents::values_column(&reviewed.meta.values))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let (now_edits,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM node_history WHERE document_id = $1")
                .bind(document_id)
                .fetch_one(&mut *tx)
                .await?;
        if claimed != 1 || now_edits != edits {
            return Err(StoreError::Stale(
                "the policy changed while it was being reviewed (another edit or adoption): nothing was saved; open the review again".into(),
            ));
        }
        let rows = sqlx::query("SELECT node_key, body_text FROM nodes WHERE document_id = $1")
            .bind(document_id)
            .fetch_all(&mut *tx)
            .await?;
        let mut old: HashMap<String, String> = HashMap::new();
        for r in &rows {
            old.insert(r.try_get("node_key")?, r.try_get("body_text")?);
        }
        let new: HashMap<&str, String> = reviewed
            .nodes()
            .map(|n| (n.key.as_str(), n.paragraphs.join("\n")))
            .collect();
        let stamp = crate::accounts::now_stamp();
        for (key, text) in &old {
            if new.get(key.as_str()) == Some(text) {
                continue;
            }
            sqlx::query(
                "INSERT INTO node_history (document_id, node_key, version, body_text, edited_by, edited_at) \
                 SELECT $1, $2, COALESCE(MAX(version), 0) + 1, $3, $4, $5 FROM node_history \
                 WHERE document_id = $1 AND node_key = $2",
            )
            .bind(document_id)
            .bind(key)
            .bind(text)
            .bind(editor)
            .bind(&stamp)
            .execute(&mut *tx)
            .await?;
        }
        for table in ["nodes", "omissions", "merge_decisions"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE document_id = $1"))
                .bind(document_id)
                .execute(&mut *tx)
                .await?;
        }
        Store::write_content(&mut tx, document_id, reviewed).await?;
        let bigrams: BTreeSet<String> = crate::search::document_bigrams(reviewed);
        Store::add_bigrams(&mut tx, document_id, bigrams).await?;
        let mut before: Vec<(&String, &String)> = old.iter().collect();
        before.sort();
        let before: String = before
            .into_iter()
            .map(|(k, t)| format!("{k}\u{1f}{t}\u{1e}"))
            .collect();
        let change = Store::document_change(&mut tx, document_id, "review.adopt").await?;
        let change = change
            .about(&format!(
                "→ {}",
                reviewed.meta.derived_from.as_deref().unwrap_or("")
            ))
            .before(before)
            .after(crate::documents::document_state(reviewed));
        self.audit(&mut tx, change).await?;
        self.commit(tx).await?;
        Ok(())
    }
}
