//! The self-assessment (migration 0016): the ministry's questions by
//! guideline key; each body's assessment of a fiscal year (the edition it
//! is against, set by its first answer), its answers by key and its
//! evidence files (stored once by SHA-256, as the register's attachments).

use std::collections::BTreeMap;

use kaitei_model::cycle::FiscalYear;
use kaitei_model::{BodyCode, Key};
use kaitei_records::assessment::{Answer, MAX_NOTE_CHARS, check_question};
use sqlx::Row;

use crate::accounts::now_stamp;
use crate::audit::{Change, digest};
use crate::disposal::{check_file, put_content};
use crate::{Store, StoreError};

/// An answer as stored, with its note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// The answer.
    pub answer: Answer,
    /// The body's note (what it does, where the evidence is).
    pub note: String,
}

/// An evidence file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// Its id.
    pub id: i64,
    /// The fiscal year.
    pub year: FiscalYear,
    /// The question's key.
    pub key: Key,
    /// Its file name as uploaded.
    pub file_name: String,
    /// SHA-256 of its bytes (64 hex digits).
    pub sha256: String,
    /// Its size in bytes.
    pub size: i64,
    /// Who uploaded it.
    pub uploaded_by: String,
    /// When (a stamp).
    pub uploaded_at: String,
}

fn year_of(y: i64) -> Result<FiscalYear, StoreError> {
    u16::try_from(y)
        .ok()
        .and_then(FiscalYear::new)
        .ok_or_else(|| StoreError::Corrupt(format!("fiscal year {y}")))
}

fn key_of(k: &str) -> Result<Key, StoreError> {
    Key::new(k).ok_or_else(|| StoreError::Corrupt(format!("key {k:?}")))
}

impl Store {
    /// The ministry's questions, by key.
    pub async fn assessment_questions(&self) -> Result<BTreeMap<Key, String>, StoreError> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT key, question FROM assessment_questions ORDER BY key")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(k, q)| Ok((key_of(&k)?, q)))
            .collect()
    }

    /// Sets (or, with `None` or an empty text, removes) the questions of
    /// `keys`, in one transaction with one audit event each.
    pub async fn set_assessment_questions(
        &self,
        questions: &[(Key, Option<String>)],
        by: &str,
    ) -> Result<(), StoreError> {
        for (k, q) in questions {
            if let Some(q) = q.as_deref().filter(|q| !q.trim().is_empty()) {
                check_question(q).map_err(|e| StoreError::Invalid(format!("{k}: {e}")))?;
            }
        }
        let before = self.assessment_questions().await?;
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let stamp = now_stamp();
            for (k, q) in questions {
                sqlx::query("DELETE FROM assessment_questions WHERE key = $1")
                    .bind(k.as_str())
                    .execute(&mut *tx)
                    .await?;
                let q = q.as_deref().map(str::trim).filter(|q| !q.is_empty());
                if let Some(q) = q {
                    sqlx::query(
                        "INSERT INTO assessment_questions (key, question, updated_by, updated_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(k.as_str())
                    .bind(q)
                    .bind(by)
                    .bind(&stamp)
                    .execute(&mut *tx)
                    .await?;
                }
                let change = Change::new("assessment.question", k.as_str())
                    .before(before.get(k).map_or("", String::as_str))
                    .after(q.unwrap_or(""));
                self.audit(&mut tx, change).await?;
            }
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    /// The years `body` assessed, each with the edition it was against,
    /// oldest first.
    pub async fn assessment_years(
        &self,
        body: BodyCode,
    ) -> Result<Vec<(FiscalYear, String)>, StoreError> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT year, edition FROM assessments WHERE body_code = $1 ORDER BY year",
        )
        .bind(body.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(y, e)| Ok((year_of(y)?, e)))
            .collect()
    }

    /// `body`'s own answers of `year`, by key.
    pub async fn assessment_answers(
        &self,
        body: BodyCode,
        year: FiscalYear,
    ) -> Result<BTreeMap<Key, StoredAnswer>, StoreError> {
        let rows = sqlx::query(
            "SELECT key, answer, note FROM assessment_answers WHERE body_code = $1 AND year = $2",
        )
        .bind(body.to_string())
        .bind(i64::from(year.year()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let a: String = r.try_get("answer")?;
                let answer = Answer::from_id(&a)
                    .ok_or_else(|| StoreError::Corrupt(format!("answer {a:?}")))?;
                Ok((
                    key_of(&r.try_get::<String, _>("key")?)?,
                    StoredAnswer {
                        answer,
                        note: r.try_get("note")?,
                    },
                ))
            })
            .collect()
    }

    /// Stores `body`'s answers of `year` (`None`: the answer taken back),
    /// the year's assessment started against `edition` if it was not yet.
    /// All or nothing; one audit event.
    pub async fn save_assessment(
        &self,
        body: BodyCode,
        year: FiscalYear,
        edition: &str,
        answers: &[(Key, Option<StoredAnswer>)],
        by: &str,
    ) -> Result<(), StoreError> {
        for (k, a) in answers {
            if let Some(a) = a
                && (a.note.chars().count() > MAX_NOTE_CHARS
                    || a.note.chars().any(|c| c.is_control() && c != '\n'))
            {
                return Err(StoreError::Invalid(format!(
                    "{k}: a note of up to {MAX_NOTE_CHARS} characters, without control characters"
                )));
            }
        }
        let before = self.assessment_answers(body, year).await?;
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            self.start_year(&mut tx, body, year, edition).await?;
            let stamp = now_stamp();
            let mut lines = Vec::new();
            for (k, a) in answers {
                sqlx::query("DELETE FROM assessment_answers WHERE body_code = $1 AND year = $2 AND key = $3")
                    .bind(body.to_string())
                    .bind(i64::from(year.year()))
                    .bind(k.as_str())
                    .execute(&mut *tx)
                    .await?;
                let old = before.get(k).map_or("-", |a| a.answer.id());
                let new = a.as_ref().map_or("-", |a| a.answer.id());
                lines.push(format!("{k} {old}>{new}"));
                let Some(a) = a else { continue };
                sqlx::query(
                    "INSERT INTO assessment_answers (body_code, year, key, answer, note, updated_by, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(body.to_string())
                .bind(i64::from(year.year()))
                .bind(k.as_str())
                .bind(a.answer.id())
                .bind(a.note.trim())
                .bind(by)
                .bind(&stamp)
                .execute(&mut *tx)
                .await?;
            }
            let change = Change::new("assessment.answers", body.to_string())
                .about(&year.to_string())
                .body(Some(body))
                .after(lines.join("\n"));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    async fn start_year(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        body: BodyCode,
        year: FiscalYear,
        edition: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO assessments (body_code, year, edition) VALUES ($1, $2, $3) \
             ON CONFLICT (body_code, year) DO NOTHING",
        )
        .bind(body.to_string())
        .bind(i64::from(year.year()))
        .bind(edition)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Attaches `bytes` as evidence for question `key` of `body`'s `year`
    /// (started against `edition` if it was not yet); its id.
    #[allow(
        clippy::too_many_arguments,
        reason = "the evidence's identity, then the file"
    )]
    pub async fn attach_evidence(
        &self,
        body: BodyCode,
        year: FiscalYear,
        edition: &str,
        key: &Key,
        file_name: &str,
        bytes: &[u8],
        by: &str,
    ) -> Result<i64, StoreError> {
        let name = check_file(file_name, bytes)?;
        let sha = digest(bytes);
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            self.start_year(&mut tx, body, year, edition).await?;
            put_content(&mut tx, &sha, bytes).await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO assessment_evidence (body_code, year, key, file_name, sha256, uploaded_by, uploaded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(body.to_string())
            .bind(i64::from(year.year()))
            .bind(key.as_str())
            .bind(name)
            .bind(&sha)
            .bind(by)
            .bind(now_stamp())
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new("assessment.evidence", body.to_string())
                .about(&format!("{year} {key} {name}"))
                .body(Some(body))
                .after(&sha);
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(id)
        })
        .await
    }

    /// `body`'s evidence files (of `year`, or of every year), by key then
    /// upload.
    pub async fn evidence_files(
        &self,
        body: BodyCode,
        year: Option<FiscalYear>,
    ) -> Result<Vec<Evidence>, StoreError> {
        let filter = if year.is_some() {
            "AND e.year = $2"
        } else {
            ""
        };
        let sql = format!(
            "SELECT e.id, e.year, e.key, e.file_name, e.sha256, c.size, e.uploaded_by, e.uploaded_at \
             FROM assessment_evidence e JOIN attachment_contents c ON c.sha256 = e.sha256 \
             WHERE e.body_code = $1 {filter} ORDER BY e.year, e.key, e.id"
        );
        let mut q = sqlx::query(&sql).bind(body.to_string());
        if let Some(y) = year {
            q = q.bind(i64::from(y.year()));
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Evidence {
                    id: r.try_get("id")?,
                    year: year_of(r.try_get("year")?)?,
                    key: key_of(&r.try_get::<String, _>("key")?)?,
                    file_name: r.try_get("file_name")?,
                    sha256: r.try_get("sha256")?,
                    size: r.try_get("size")?,
                    uploaded_by: r.try_get("uploaded_by")?,
                    uploaded_at: r.try_get("uploaded_at")?,
                })
            })
            .collect()
    }

    /// Evidence file `id` of `body`, with its bytes (checked against their
    /// SHA-256); `None` when `body` has none of that id.
    pub async fn evidence_file(
        &self,
        body: BodyCode,
        id: i64,
    ) -> Result<Option<(Evidence, Vec<u8>)>, StoreError> {
        let Some(e) = self
            .evidence_files(body, None)
            .await?
            .into_iter()
            .find(|e| e.id == id)
        else {
            return Ok(None);
        };
        let bytes = self.content(&e.sha256, id).await?;
        Ok(Some((e, bytes)))
    }
}
