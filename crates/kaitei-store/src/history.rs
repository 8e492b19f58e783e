//! Editing a stored clause, keeping what it replaced.

use sqlx::Row;

use crate::{Store, StoreError};

/// One earlier text of a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// 1 for the first text replaced, then 2, …
    pub version: i64,
    /// The text it had, paragraphs joined by `\n`.
    pub text: String,
    /// Who replaced it.
    pub edited_by: String,
    /// When (seconds since the epoch, as text).
    pub edited_at: String,
}

/// The longest text a clause may be given.
pub const MAX_CLAUSE_CHARS: usize = 10_000;

impl Store {
    /// Replaces a clause's text in one transaction, keeping the old text as
    /// a version; a clause derived from the guideline becomes `modified`.
    /// `base` is how many earlier versions the editor saw (the length of
    /// [`Store::clause_history`] when the clause was read): if someone has
    /// edited the clause since, the edit is refused ([`StoreError::Stale`],
    /// nothing written). There is no edit without a base — it could
    /// replace, unseen, a text saved after the editor read the clause.
    pub async fn edit_clause_checked(
        &self,
        document_id: i64,
        key: &str,
        paragraphs: &[String],
        editor: &str,
        base: i64,
    ) -> Result<(), StoreError> {
        let text = paragraphs.join("\n");
        if text.chars().count() > MAX_CLAUSE_CHARS {
            return Err(StoreError::Invalid(format!(
                "a clause has at most {MAX_CLAUSE_CHARS} characters"
            )));
        }
        if paragraphs.iter().any(|p| p.trim().is_empty()) || paragraphs.is_empty() {
            return Err(StoreError::Invalid("the clause's text is empty".into()));
        }
        self.retrying(|| self.edit_clause_once(document_id, key, &text, editor, base))
            .await
    }

    /// One attempt at [`Store::edit_clause_checked`].
    async fn edit_clause_once(
        &self,
        document_id: i64,
        key: &str,
        text: &str,
        editor: &str,
        base: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        // The base is checked against what is committed, and stays true
        // until this commits: nobody else writes the document meanwhile.
        if !self.lock_document(&mut tx, document_id).await? {
            return Err(StoreError::Invalid(format!("no document {document_id}")));
        }
        // A revision a review was adopted from is kept as it was: an edit
        // made from a page read before the adoption must not land there.
        if Store::revised(&mut tx, document_id).await? {
            return Err(StoreError::Stale(format!(
                "the policy was revised (a review was adopted) after you opened clause {key}: nothing was saved; open it again"
            )));
        }
        // Written first, undone with the transaction when a check below
        // refuses.
        let old = Store::replace_node_text(&mut tx, document_id, key, text)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("no clause {key}")))?;
        let change = Store::document_change(&mut tx, document_id, "clause.edit").await?;
        let change = change.about(key).before(&old).after(text);
        self.audit(&mut tx, change).await?;
        let (next,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM node_history WHERE document_id = $1 AND node_key = $2",
        )
        .bind(document_id)
        .bind(key)
        .fetch_one(&mut *tx)
        .await?;
        if base != next - 1 {
            return Err(StoreError::Stale(format!(
                "clause {key} was changed by someone else after you opened it: nothing was saved; open it again to see the change"
            )));
        }
        sqlx::query(
            "INSERT INTO node_history (document_id, node_key, version, body_text, edited_by, edited_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(document_id)
        .bind(key)
        .bind(next)
        .bind(old)
        .bind(editor)
        .bind(crate::accounts::now_stamp())
        .execute(&mut *tx)
        .await?;
        self.commit(tx).await?;
        Ok(())
    }

    /// The earlier texts of a clause, newest first.
    pub async fn clause_history(
        &self,
        document_id: i64,
        key: &str,
    ) -> Result<Vec<Version>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, body_text, edited_by, edited_at FROM node_history WHERE document_id = $1 AND node_key = $2 ORDER BY version DESC",
        )
        .bind(document_id)
        .bind(key)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Version {
                    version: r.try_get("version")?,
                    text: r.try_get("body_text")?,
                    edited_by: r.try_get("edited_by")?,
                    edited_at: r.try_get("edited_at")?,
                })
            })
            .collect()
    }
}
