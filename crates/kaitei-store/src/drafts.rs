//! Drafts: working copies of the next edition (or of another document put
//! out for opinion), each change recorded with who, when, what and the
//! topic behind it; a save based on an older version of its clause is
//! refused.

use kaitei_model::cycle::FiscalYear;
use kaitei_model::draft::{DraftEdit, apply};
use kaitei_model::{Document, DocumentKind, Metadata};
use sqlx::Row;

use crate::accounts::now_stamp;
use crate::audit::Change;
use crate::cycle::{MAX_TITLE_CHARS, checked};
use crate::documents::NodeTable;
use crate::documents::document_state;
use crate::{Store, StoreError};

/// A draft, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftSummary {
    /// Its id.
    pub id: i64,
    /// Its cycle's year.
    pub year: FiscalYear,
    /// Its name (unique; used in URLs and on the command line).
    pub name: String,
    /// Its title.
    pub title: String,
    /// The edition it revises (`None`: another document put out for
    /// opinion).
    pub base_edition: Option<String>,
    /// How many changes it has had.
    pub version: i64,
    /// The edition it was published as (then it changes no more).
    pub published_edition: Option<String>,
}

/// One change in a draft's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftChange {
    /// The draft version it made.
    pub version: i64,
    /// What kind of change (`text`, `move`, …: [`DraftEdit::op`]).
    pub op: String,
    /// The clause.
    pub key: String,
    /// What was done, in one line.
    pub summary: String,
    /// The clause's text before.
    pub before: String,
    /// Its text after.
    pub after: String,
    /// The topic cited.
    pub topic: Option<i64>,
    /// The consultation comments cited (ids such as `R8-1-0042`).
    pub comments: Vec<String>,
    /// Who.
    pub by: String,
    /// When (the store's stamp).
    pub at: String,
}

/// Whether a draft name can be used: 1–64 ASCII letters, digits, `-`, `_`
/// and `.`.
fn check_name(name: &str) -> Result<(), StoreError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "{name:?} is not a draft name: use 1 to 64 ASCII letters, digits, '-', '_' and '.' (e.g. R8-draft)"
        )))
    }
}

fn summary_from_row(r: &sqlx::any::AnyRow) -> Result<DraftSummary, StoreError> {
    Ok(DraftSummary {
        id: r.try_get("id")?,
        year: crate::cycle::year_of(r)?,
        name: r.try_get("name")?,
        title: r.try_get("title")?,
        base_edition: r.try_get("base_edition")?,
        version: r.try_get("version")?,
        published_edition: r.try_get("published_edition")?,
    })
}

const SUMMARY_COLUMNS: &str = "id, year, name, title, base_edition, version, published_edition";

impl Store {
    /// Stores `doc` as a new draft of the cycle of `year`, named `name`;
    /// `base_edition` is the edition it revises. Returns its id.
    pub async fn create_draft(
        &self,
        year: FiscalYear,
        name: &str,
        doc: &Document,
        base_edition: Option<&str>,
        by: &str,
    ) -> Result<i64, StoreError> {
        check_name(name)?;
        let title = checked("the title", &doc.meta.title, MAX_TITLE_CHARS, true)?;
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            self.require_cycle(&mut tx, year).await?;
            let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM drafts WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Duplicate(format!("a draft named {name:?} exists")));
            }
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO drafts (year, name, title, base_edition, preamble, version, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, 0, $6, $7) RETURNING id",
            )
            .bind(i64::from(year.year()))
            .bind(name)
            .bind(&title)
            .bind(base_edition)
            .bind(doc.preamble.join("\n"))
            .bind(by)
            .bind(now_stamp())
            .fetch_one(&mut *tx)
            .await?;
            Store::write_nodes(&mut tx, NodeTable::Drafts, id, doc).await?;
            let change = Change::new("draft.create", name).after(document_state(doc));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(id)
        })
        .await
    }

    /// The drafts, newest first.
    pub async fn drafts(&self) -> Result<Vec<DraftSummary>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM drafts ORDER BY id DESC"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(summary_from_row).collect()
    }

    /// The draft named `name`.
    pub async fn draft_named(&self, name: &str) -> Result<Option<DraftSummary>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM drafts WHERE name = $1"
        ))
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(summary_from_row).transpose()
    }

    /// A draft and its current text, read together.
    pub async fn load_draft(
        &self,
        id: i64,
    ) -> Result<Option<(DraftSummary, Document)>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        // One transaction, so that the version matches the text.
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        let Some(row) = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS}, preamble FROM drafts WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        else {
            return Ok(None);
        };
        let summary = summary_from_row(&row)?;
        let preamble: String = row.try_get("preamble")?;
        let children = Store::read_nodes(&mut *tx, self.backend, NodeTable::Drafts, id).await?;
        tx.commit().await?;
        let doc = draft_document(&summary, &preamble, children);
        Ok(Some((summary, doc)))
    }

    /// Applies `edit` to draft `id`, based on version `base` (the draft's
    /// version when the editor read it): refused ([`StoreError::Stale`],
    /// nothing written) when a clause the edit touches changed after
    /// `base`. Returns the draft's new version.
    pub async fn edit_draft(
        &self,
        id: i64,
        edit: &DraftEdit,
        base: i64,
        topic: Option<i64>,
        by: &str,
    ) -> Result<i64, StoreError> {
        self.edit_draft_citing(id, edit, base, topic, &[], by).await
    }

    /// [`Store::edit_draft`], the change citing consultation comments
    /// (`comments`: ids such as `R8-1-0042`, each checked to exist).
    pub async fn edit_draft_citing(
        &self,
        id: i64,
        edit: &DraftEdit,
        base: i64,
        topic: Option<i64>,
        comments: &[String],
        by: &str,
    ) -> Result<i64, StoreError> {
        self.retrying(|| self.edit_draft_once(id, edit, base, topic, comments, by))
            .await
    }

    async fn edit_draft_once(
        &self,
        id: i64,
        edit: &DraftEdit,
        base: i64,
        topic: Option<i64>,
        comments: &[String],
        by: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let lock = self.locking(&format!(
            "SELECT {SUMMARY_COLUMNS}, preamble FROM drafts WHERE id = $1"
        ));
        let row = sqlx::query(&lock)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("no draft {id}")))?;
        let summary = summary_from_row(&row)?;
        if let Some(e) = &summary.published_edition {
            return Err(StoreError::Invalid(format!(
                "the draft was published as {e} and changes no more: start a new draft from that edition"
            )));
        }
        for c in comments {
            let found = match c.rsplit_once('-') {
                Some((consultation, n)) => n.parse::<i64>().ok().map(|n| (consultation, n)),
                None => None,
            };
            let exists = match found {
                Some((consultation, n)) => sqlx::query_as::<_, (i64,)>(
                    "SELECT number FROM comments WHERE consultation_id = $1 AND number = $2",
                )
                .bind(consultation)
                .bind(n)
                .fetch_optional(&mut *tx)
                .await?
                .is_some(),
                None => false,
            };
            if !exists {
                return Err(StoreError::Invalid(format!(
                    "{c:?} is not a consultation comment (ids look like R8-1-0042)"
                )));
            }
        }
        let cited = comments.join(",");
        if base > summary.version || base < 0 {
            return Err(StoreError::Invalid(format!(
                "version {base} of the draft does not exist (it is at {})",
                summary.version
            )));
        }
        let touched = touched_keys(edit);
        let sql = crate::sql::in_list(
            "SELECT MAX(version) FROM draft_changes WHERE draft_id = $1 AND version > $2 AND node_key IN",
            3,
            touched.len(),
        );
        let mut q = sqlx::query_as::<_, (Option<i64>,)>(&sql)
            .bind(id)
            .bind(base);
        for k in &touched {
            q = q.bind(k.clone());
        }
        let (later,) = q.fetch_one(&mut *tx).await?;
        if let Some(v) = later {
            return Err(StoreError::Stale(format!(
                "clause {} was changed by someone else (draft version {v}) after you opened it: \
                 nothing was saved; open it again to see the change",
                edit.key()
            )));
        }
        if let Some(t) = topic {
            let found: Option<(i64,)> = sqlx::query_as("SELECT id FROM topics WHERE id = $1")
                .bind(t)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                return Err(StoreError::Invalid(format!("no topic {t}")));
            }
        }
        let preamble: String = row.try_get("preamble")?;
        let children = Store::read_nodes(&mut *tx, self.backend, NodeTable::Drafts, id).await?;
        let mut doc = draft_document(&summary, &preamble, children);
        let change = apply(&mut doc, edit).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let version = summary.version + 1;
        sqlx::query("DELETE FROM draft_nodes WHERE draft_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Store::write_nodes(&mut tx, NodeTable::Drafts, id, &doc).await?;
        // A split changes the new clause too: it gets its own row, so that
        // its history starts with the split.
        let mut rows = vec![(
            edit.key().as_str(),
            edit.op(),
            change.before.as_str(),
            change.after.as_str(),
        )];
        let split_part;
        if let DraftEdit::Split { new_key, key, .. } = edit {
            split_part = doc
                .find(key)
                .map(|_| ())
                .and_then(|()| doc.find(new_key))
                .map(|n| n.paragraphs.join("\n"))
                .unwrap_or_default();
            rows.push((new_key.as_str(), "split-into", "", split_part.as_str()));
        }
        for (key, op, before, after) in rows {
            sqlx::query(
                "INSERT INTO draft_changes (draft_id, version, op, node_key, summary, before_text, after_text, \
                 topic_id, comment_ids, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(version)
            .bind(op)
            .bind(key)
            .bind(&change.summary)
            .bind(before)
            .bind(after)
            .bind(topic)
            .bind(&cited)
            .bind(by)
            .bind(now_stamp())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE drafts SET version = $1 WHERE id = $2")
            .bind(version)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let audited = Change::new(
            "draft.edit",
            format!("{} {} {}", summary.name, edit.key().as_str(), edit.op()),
        )
        .before(&change.before)
        .after(&change.after);
        self.audit(&mut tx, audited).await?;
        self.commit(tx).await?;
        Ok(version)
    }

    /// The changes of draft `id`, newest first; only those of clause `key`
    /// when given.
    pub async fn draft_changes(
        &self,
        id: i64,
        key: Option<&str>,
    ) -> Result<Vec<DraftChange>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, op, node_key, summary, before_text, after_text, topic_id, comment_ids, changed_by, changed_at \
             FROM draft_changes WHERE draft_id = $1 AND ($2 = '' OR node_key = $2) ORDER BY version DESC",
        )
        .bind(id)
        .bind(key.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DraftChange {
                    version: r.try_get("version")?,
                    op: r.try_get("op")?,
                    key: r.try_get("node_key")?,
                    summary: r.try_get("summary")?,
                    before: r.try_get("before_text")?,
                    after: r.try_get("after_text")?,
                    topic: r.try_get("topic_id")?,
                    comments: r
                        .try_get::<String, _>("comment_ids")?
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                    by: r.try_get("changed_by")?,
                    at: r.try_get("changed_at")?,
                })
            })
            .collect()
    }
}

/// The keys whose later change makes an edit stale: the clause, and for
/// insertions and moves the clauses it is placed by.
fn touched_keys(edit: &DraftEdit) -> Vec<String> {
    let mut keys = vec![edit.key().as_str().to_string()];
    if let DraftEdit::Insert { parent, after, .. } | DraftEdit::Move { parent, after, .. } = edit {
        keys.extend(parent.iter().chain(after).map(|k| k.as_str().to_string()));
    }
    keys
}

/// A draft as a document: a guideline whose edition is the draft's name.
fn draft_document(
    summary: &DraftSummary,
    preamble: &str,
    children: Vec<kaitei_model::Node>,
) -> Document {
    let mut meta = Metadata::new(DocumentKind::Guideline, &summary.title, &summary.name);
    meta.derived_from = summary.base_edition.clone();
    Document {
        meta,
        preamble: crate::documents::split(preamble),
        children,
    }
}

/// A committee member's (or the ministry's) internal note on a draft's
/// clause: read by the ministry and the committee, never disposed of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftNote {
    /// The clause's key.
    pub key: String,
    /// The quoted words (may be empty).
    pub quote: String,
    /// The note.
    pub text: String,
    /// Who wrote it.
    pub author: String,
}

impl Store {
    /// Adds a note on clause `key` of draft `id`.
    pub async fn add_draft_note(
        &self,
        id: i64,
        key: &str,
        quote: &str,
        text: &str,
        author: &str,
    ) -> Result<(), StoreError> {
        let text = checked("the note", text, crate::cycle::MAX_NOTE_CHARS, true)?;
        let quote = checked("the quoted words", quote, 1000, false)?;
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let found: Option<(i64,)> =
                sqlx::query_as("SELECT ord FROM draft_nodes WHERE draft_id = $1 AND node_key = $2")
                    .bind(id)
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await?;
            if found.is_none() {
                return Err(StoreError::Invalid(format!(
                    "the draft has no clause {key}"
                )));
            }
            sqlx::query(
                "INSERT INTO draft_notes (draft_id, node_key, quote, text, author, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(key)
            .bind(&quote)
            .bind(&text)
            .bind(author)
            .bind(now_stamp())
            .execute(&mut *tx)
            .await?;
            let change = Change::new("draft.note", format!("draft {id} {key}"))
                .after(format!("{quote}\u{1f}{text}"));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    /// The notes on draft `id`, oldest first.
    pub async fn draft_notes(&self, id: i64) -> Result<Vec<DraftNote>, StoreError> {
        let rows = sqlx::query(
            "SELECT node_key, quote, text, author FROM draft_notes WHERE draft_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DraftNote {
                    key: r.try_get("node_key")?,
                    quote: r.try_get("quote")?,
                    text: r.try_get("text")?,
                    author: r.try_get("author")?,
                })
            })
            .collect()
    }

    /// Records that draft `id` was published as `edition`; refused when it
    /// was published already.
    pub async fn mark_published(&self, id: i64, edition: &str) -> Result<(), StoreError> {
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(
                "UPDATE drafts SET published_edition = $1 WHERE id = $2 AND published_edition IS NULL",
            )
            .bind(edition)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Invalid(
                    "the draft was published already (or does not exist)".into(),
                ));
            }
            let change = Change::new("draft.publish", format!("draft {id}")).after(edition);
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }
}
