//! A body's policy revised by adopting a merge review: the revision is a
//! new document — its own version name and date, the guideline edition it
//! now follows — made from the one reviewed, which is kept as it was (and
//! no longer edited), so that the two can be compared for the 新旧対照表
//! the body's internal approval (決裁) needs.

use std::collections::HashMap;

use kaitei_model::{Document, DocumentKind};
use sqlx::Row;

use crate::{Store, StoreError};

impl Store {
    /// Stores `reviewed` (the outcome of a merge review of policy
    /// `document_id`, with the new revision's version name and date) as
    /// the body's new revision in one transaction, and returns its id:
    /// every clause keeps its history, and one whose text changes or goes
    /// keeps the old text in it too; the review's decisions are cleared.
    /// Refused ([`StoreError::Stale`], nothing written) unless the policy
    /// still derives from `derived_from`, has had `edits` edits
    /// ([`Store::edit_count`]) — as when the review was made — and is still
    /// the body's latest revision, not revised already; refused
    /// ([`StoreError::Duplicate`]) when the body has a revision of that
    /// version name.
    pub async fn adopt_reviewed(
        &self,
        document_id: i64,
        reviewed: &Document,
        editor: &str,
        based_on: (&str, i64),
    ) -> Result<i64, StoreError> {
        if reviewed.meta.kind != DocumentKind::Policy {
            return Err(StoreError::Invalid(
                "only a policy is revised by a review".into(),
            ));
        }
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
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        // The reviewed revision's row lock (PostgreSQL; SQLite's writer
        // holds the whole database) keeps edits, decisions and another
        // adoption out until this commits, so the checks below cannot race.
        if !self.lock_document(&mut tx, document_id).await? {
            return Err(StoreError::Invalid(format!("no policy {document_id}")));
        }
        let row = sqlx::query(
            "SELECT body_code, derived_from FROM documents WHERE id = $1 AND kind = 'policy'",
        )
        .bind(document_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Invalid(format!("no policy {document_id}")))?;
        let body: String = row.try_get("body_code")?;
        let follows: Option<String> = row.try_get("derived_from")?;
        let (now_edits,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM node_history WHERE document_id = $1")
                .bind(document_id)
                .fetch_one(&mut *tx)
                .await?;
        let (latest,): (i64,) = sqlx::query_as(&format!(
            "SELECT id FROM documents WHERE kind = 'policy' AND body_code = $1 ORDER BY {} LIMIT 1",
            crate::documents::CURRENT_FIRST
        ))
        .bind(&body)
        .fetch_one(&mut *tx)
        .await?;
        if follows.as_deref() != Some(derived_from)
            || now_edits != edits
            || latest != document_id
            || Store::revised(&mut tx, document_id).await?
        {
            return Err(StoreError::Stale(
                "the policy changed while it was being reviewed (another edit or adoption): nothing was saved; open the review again".into(),
            ));
        }
        let (taken,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM documents WHERE kind = 'policy' AND body_code = $1 AND edition = $2",
        )
        .bind(&body)
        .bind(&reviewed.meta.edition)
        .fetch_one(&mut *tx)
        .await?;
        if taken > 0 {
            return Err(StoreError::Duplicate(format!(
                "the body already has a revision named {:?}: a revised policy needs its own version name",
                reviewed.meta.edition
            )));
        }
        let id = Store::insert_document(&mut tx, reviewed, Some(body), Some(document_id)).await?;
        Store::write_content(&mut tx, id, reviewed).await?;
        // The clauses' history comes along, then what this revision
        // replaced is added to it.
        sqlx::query(
            "INSERT INTO node_history (document_id, node_key, version, body_text, edited_by, edited_at) \
             SELECT $1, node_key, version, body_text, edited_by, edited_at FROM node_history WHERE document_id = $2",
        )
        .bind(id)
        .bind(document_id)
        .execute(&mut *tx)
        .await?;
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
        let mut replaced: Vec<(&String, &String)> = old
            .iter()
            .filter(|(key, text)| new.get(key.as_str()) != Some(*text))
            .collect();
        replaced.sort();
        for (key, text) in &replaced {
            sqlx::query(
                "INSERT INTO node_history (document_id, node_key, version, body_text, edited_by, edited_at) \
                 SELECT $1, $2, COALESCE(MAX(version), 0) + 1, $3, $4, $5 FROM node_history \
                 WHERE document_id = $1 AND node_key = $2",
            )
            .bind(id)
            .bind(key)
            .bind(text)
            .bind(editor)
            .bind(&stamp)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM merge_decisions WHERE document_id = $1")
            .bind(document_id)
            .execute(&mut *tx)
            .await?;
        let before: String = replaced
            .into_iter()
            .map(|(k, t)| format!("{k}\u{1f}{t}\u{1e}"))
            .collect();
        let change = Store::document_change(&mut tx, id, "review.adopt").await?;
        let change = change
            .about(&format!(
                "{} → {}",
                follows.as_deref().unwrap_or(""),
                reviewed.meta.derived_from.as_deref().unwrap_or("")
            ))
            .before(before)
            .after(crate::documents::document_state(reviewed));
        self.audit(&mut tx, change).await?;
        self.commit(tx).await?;
        Ok(id)
    }

    /// Whether document `id` was revised: a newer revision was made from
    /// it by adopting a review (inside a write transaction that has
    /// locked it). A revised policy is kept as it was.
    pub(crate) async fn revised(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        id: i64,
    ) -> Result<bool, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM documents WHERE revises = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
        Ok(n > 0)
    }

    /// The revision policy `id` was made from by adopting a review: its id
    /// and version name (`None`: it was imported, or no such policy).
    pub async fn revision_of(&self, id: i64) -> Result<Option<(i64, String)>, StoreError> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT o.id, o.edition FROM documents d JOIN documents o ON o.id = d.revises \
             WHERE d.id = $1 AND d.kind = 'policy'",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row)
    }
}
