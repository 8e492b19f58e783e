//! Answers to consultations and their comments. Every change goes through
//! the model's step rules ([`kaitei_model::consultation::step`]) at the
//! time the caller gives, inside one write transaction, so that the window
//! and the answer's status are checked against what is committed.

use kaitei_model::consultation::{AnswerStatus, Comment, CommentType, Step, TextQuote, step};
use kaitei_model::{BodyCode, JstTime, registry};
use sqlx::Row;

use crate::accounts::now_stamp;
use crate::audit::Change;
use crate::consultations::Consultation;
use crate::{Backend, Store, StoreError};

/// Who answers: a body, or a vendor's organisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Respondent {
    /// A local government.
    Body(BodyCode),
    /// A vendor, by its organisation's name.
    Vendor(String),
}

impl Respondent {
    /// How the store keys it: the body code, or `vendor:` and the name.
    pub fn key(&self) -> String {
        match self {
            Respondent::Body(b) => b.to_string(),
            Respondent::Vendor(o) => format!("vendor:{o}"),
        }
    }

    /// Reads [`Respondent::key`] back.
    pub fn from_key(key: &str) -> Option<Respondent> {
        match key.strip_prefix("vendor:") {
            Some(o) => Some(Respondent::Vendor(o.to_string())),
            None => BodyCode::parse(key).ok().map(Respondent::Body),
        }
    }

    /// Whether `c` asks it: a body in the audience, a vendor in a vendor
    /// consultation.
    pub fn asked_in(&self, c: &Consultation) -> bool {
        match self {
            Respondent::Vendor(_) => !c.plan.audience.asks_bodies(),
            Respondent::Body(b) => registry()
                .get(*b)
                .is_some_and(|body| c.plan.audience.includes(body)),
        }
    }

    /// Whether its answer to `c` goes through its prefecture.
    pub fn relayed(&self, c: &Consultation) -> bool {
        match self {
            Respondent::Vendor(_) => false,
            Respondent::Body(b) => registry().get(*b).is_some_and(|b| c.plan.routing.relays(b)),
        }
    }

    /// Its name as pages show it.
    pub fn name(&self) -> String {
        match self {
            Respondent::Body(b) => registry()
                .get(*b)
                .map_or_else(|| b.to_string(), |b| b.name.clone()),
            Respondent::Vendor(o) => o.clone(),
        }
    }
}

/// A stored comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredComment {
    /// Its readable id (`R7-1-0042`), stable once given.
    pub id: String,
    /// The comment.
    pub comment: Comment,
    /// Who wrote it.
    pub author: String,
}

/// An answer with its comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Who answers.
    pub respondent: Respondent,
    /// Where it stands.
    pub status: AnswerStatus,
    /// 意見なし: the respondent has no comment.
    pub no_comment: bool,
    /// The prefecture's note when it returned the answer.
    pub note: String,
    /// How many times it has changed (the base of the next save).
    pub version: i64,
    /// Its comments, in order.
    pub comments: Vec<StoredComment>,
    /// Who changed it last.
    pub updated_by: String,
}

/// What a save did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Stored; the answer's new version.
    Stored(i64),
    /// The answer already held exactly this: nothing was stored.
    Unchanged,
}

/// One row of a consultation's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Who.
    pub respondent: Respondent,
    /// Where the answer stands.
    pub status: AnswerStatus,
    /// 意見なし.
    pub no_comment: bool,
    /// How many comments.
    pub comments: i64,
}

impl Store {
    /// `respondent`'s answer to consultation `id`, if it has begun one.
    pub async fn answer(
        &self,
        id: &str,
        respondent: &Respondent,
    ) -> Result<Option<Answer>, StoreError> {
        let row = sqlx::query(
            "SELECT id, status, no_comment, note, version, updated_by FROM answers \
             WHERE consultation_id = $1 AND respondent = $2",
        )
        .bind(id)
        .bind(respondent.key())
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let answer_id: i64 = row.try_get("id")?;
        let rows = sqlx::query(
            "SELECT number, node_key, quote_exact, quote_prefix, quote_suffix, kind, text, proposal, author \
             FROM comments WHERE answer_id = $1 ORDER BY ord",
        )
        .bind(answer_id)
        .fetch_all(&self.pool)
        .await?;
        let cid = kaitei_model::consultation::ConsultationId::parse(id)
            .map_err(|_| StoreError::Corrupt(format!("consultation id {id:?}")))?;
        let comments = rows
            .iter()
            .map(|r| {
                Ok(StoredComment {
                    id: cid.comment_id(r.try_get("number")?),
                    comment: comment_from_row(r)?,
                    author: r.try_get("author")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let status: String = row.try_get("status")?;
        Ok(Some(Answer {
            respondent: respondent.clone(),
            status: AnswerStatus::parse(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("answer status {status:?}")))?,
            no_comment: row.try_get::<i64, _>("no_comment")? != 0,
            note: row.try_get("note")?,
            version: row.try_get("version")?,
            comments,
            updated_by: row.try_get("updated_by")?,
        }))
    }

    /// Replaces `respondent`'s comments on consultation `c` (its draft
    /// answer) with `comments`, or says 意見なし; `base` is the answer's
    /// version the editor saw (0 before the first save). Comments identical
    /// to stored ones keep their ids. `step_name` is recorded in the
    /// answer's history (`edited`, `imported`).
    #[allow(clippy::too_many_arguments)]
    pub async fn save_answer(
        &self,
        c: &Consultation,
        respondent: &Respondent,
        comments: &[Comment],
        no_comment: bool,
        base: i64,
        by: &str,
        now: JstTime,
        step_name: &str,
    ) -> Result<Saved, StoreError> {
        if no_comment && !comments.is_empty() {
            return Err(StoreError::Invalid(
                "意見なし cannot be given together with comments: remove the comments or the 意見なし mark".into(),
            ));
        }
        self.retrying(|| {
            self.save_answer_once(
                c, respondent, comments, no_comment, base, by, now, step_name,
            )
        })
        .await
    }

    #[allow(clippy::too_many_arguments)]
    async fn save_answer_once(
        &self,
        c: &Consultation,
        respondent: &Respondent,
        comments: &[Comment],
        no_comment: bool,
        base: i64,
        by: &str,
        now: JstTime,
        step_name: &str,
    ) -> Result<Saved, StoreError> {
        let mut tx = self.begin_write().await?;
        let (answer_id, status, version) = self.lock_answer(&mut tx, c, respondent, by).await?;
        step(
            status,
            Step::Edit,
            now,
            c.plan.window,
            c.plan.routing,
            respondent.relayed(c),
        )
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
        if base != version {
            return Err(StoreError::Stale(format!(
                "the answer was changed by {} after you opened it: nothing was saved; open it again",
                "a colleague"
            )));
        }
        let old = sqlx::query(
            "SELECT number, node_key, quote_exact, quote_prefix, quote_suffix, kind, text, proposal \
             FROM comments WHERE answer_id = $1 ORDER BY ord",
        )
        .bind(answer_id)
        .fetch_all(&mut *tx)
        .await?;
        let (old_no_comment,): (i64,) =
            sqlx::query_as("SELECT no_comment FROM answers WHERE id = $1")
                .bind(answer_id)
                .fetch_one(&mut *tx)
                .await?;
        let mut old_comments: Vec<(i64, Comment)> = Vec::with_capacity(old.len());
        for r in &old {
            old_comments.push((r.try_get("number")?, comment_from_row(r)?));
        }
        let same = (old_no_comment != 0) == no_comment
            && old_comments.len() == comments.len()
            && old_comments.iter().zip(comments).all(|((_, a), b)| a == b);
        if same && version > 0 {
            return Ok(Saved::Unchanged);
        }
        let before = comments_state(old_no_comment != 0, old_comments.iter().map(|(_, c)| c));
        // Identical comments keep their numbers; the others get new ones.
        let mut pool: Vec<Option<(i64, Comment)>> = old_comments.into_iter().map(Some).collect();
        let mut numbers = Vec::with_capacity(comments.len());
        let mut fresh = 0;
        for c in comments {
            let reused = pool
                .iter_mut()
                .find(|slot| slot.as_ref().is_some_and(|(_, o)| o == c))
                .and_then(Option::take)
                .map(|(n, _)| n);
            if reused.is_none() {
                fresh += 1;
            }
            numbers.push(reused);
        }
        let mut next = if fresh > 0 {
            let (seq,): (i64,) = sqlx::query_as(
                "UPDATE consultations SET comment_seq = comment_seq + $1 WHERE id = $2 RETURNING comment_seq",
            )
            .bind(fresh)
            .bind(c.plan.id.as_str())
            .fetch_one(&mut *tx)
            .await?;
            seq - fresh + 1
        } else {
            0
        };
        sqlx::query("DELETE FROM comments WHERE answer_id = $1")
            .bind(answer_id)
            .execute(&mut *tx)
            .await?;
        for (ord, (comment, number)) in comments.iter().zip(numbers).enumerate() {
            let number = number.unwrap_or_else(|| {
                next += 1;
                next - 1
            });
            sqlx::query(
                "INSERT INTO comments (consultation_id, number, answer_id, ord, node_key, quote_exact, quote_prefix, \
                 quote_suffix, kind, text, proposal, author) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(c.plan.id.as_str())
            .bind(number)
            .bind(answer_id)
            .bind(ord as i64)
            .bind(&comment.clause)
            .bind(&comment.quote.exact)
            .bind(&comment.quote.prefix)
            .bind(&comment.quote.suffix)
            .bind(comment.kind.as_str())
            .bind(&comment.text)
            .bind(&comment.proposal)
            .bind(by)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE answers SET no_comment = $1, version = version + 1, updated_by = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(i64::from(no_comment))
        .bind(by)
        .bind(now_stamp())
        .bind(answer_id)
        .execute(&mut *tx)
        .await?;
        Store::record_event(&mut tx, answer_id, step_name, by, "").await?;
        let change = answer_change("answer.save", c, respondent)
            .before(before)
            .after(comments_state(no_comment, comments.iter()));
        self.audit(&mut tx, change).await?;
        self.commit(tx).await?;
        Ok(Saved::Stored(version + 1))
    }

    /// Takes `step` (submit, withdraw, return, forward) on `respondent`'s
    /// answer to `c` at `now`; `note` goes with a return. Who may take it
    /// is the caller's business (the authorisation module).
    pub async fn answer_step(
        &self,
        c: &Consultation,
        respondent: &Respondent,
        what: Step,
        note: &str,
        by: &str,
        now: JstTime,
    ) -> Result<AnswerStatus, StoreError> {
        let note = crate::cycle::checked("the note", note, crate::cycle::MAX_NOTE_CHARS, false)?;
        if what == Step::Return && note.is_empty() {
            return Err(StoreError::Invalid(
                "say why the answer is returned: the note is what the municipality reads".into(),
            ));
        }
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let (answer_id, status, _) = self.lock_answer(&mut tx, c, respondent, by).await?;
            let (no_comment, count): (i64, i64) = sqlx::query_as(
                "SELECT a.no_comment, (SELECT COUNT(*) FROM comments WHERE answer_id = a.id) FROM answers a WHERE a.id = $1",
            )
            .bind(answer_id)
            .fetch_one(&mut *tx)
            .await?;
            if what == Step::Submit && no_comment == 0 && count == 0 {
                return Err(StoreError::Invalid(
                    "the answer is empty: add comments, or mark 意見なし, before submitting".into(),
                ));
            }
            let next = step(status, what, now, c.plan.window, c.plan.routing, respondent.relayed(c))
                .map_err(|e| StoreError::Invalid(e.to_string()))?;
            sqlx::query(
                "UPDATE answers SET status = $1, note = $2, version = version + 1, updated_by = $3, updated_at = $4 WHERE id = $5",
            )
            .bind(next.as_str())
            .bind(if what == Step::Return { note.as_str() } else { "" })
            .bind(by)
            .bind(now_stamp())
            .bind(answer_id)
            .execute(&mut *tx)
            .await?;
            let name = match what {
                Step::Edit => "edited",
                Step::Submit => "submitted",
                Step::Withdraw => "withdrawn",
                Step::Return => "returned",
                Step::Forward => "forwarded",
            };
            Store::record_event(&mut tx, answer_id, name, by, &note).await?;
            let change = answer_change(step_action(what), c, respondent)
                .before(status.as_str())
                .after(next.as_str());
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(next)
        })
        .await
    }

    /// Every answer begun on consultation `id`, by respondent.
    pub async fn progress(&self, id: &str) -> Result<Vec<Progress>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.respondent, a.status, a.no_comment, (SELECT COUNT(*) FROM comments m WHERE m.answer_id = a.id) AS n \
             FROM answers a WHERE a.consultation_id = $1 ORDER BY a.respondent",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let key: String = r.try_get("respondent")?;
                let status: String = r.try_get("status")?;
                Ok(Progress {
                    respondent: Respondent::from_key(&key)
                        .ok_or_else(|| StoreError::Corrupt(format!("respondent {key:?}")))?,
                    status: AnswerStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("answer status {status:?}")))?,
                    no_comment: r.try_get::<i64, _>("no_comment")? != 0,
                    comments: r.try_get("n")?,
                })
            })
            .collect()
    }

    /// The answer's row for the rest of `tx`, created (empty, a draft)
    /// when the respondent has none: its id, status and version. Locks
    /// the consultation row first on PostgreSQL, so that two first saves
    /// of one respondent do not both insert.
    async fn lock_answer(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        c: &Consultation,
        respondent: &Respondent,
        by: &str,
    ) -> Result<(i64, AnswerStatus, i64), StoreError> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT id FROM consultations WHERE id = $1 FOR UPDATE")
                .bind(c.plan.id.as_str())
                .execute(&mut **tx)
                .await?;
        }
        let (body, organisation) = match respondent {
            Respondent::Body(b) => (Some(b.to_string()), None),
            Respondent::Vendor(o) => (None, Some(o.clone())),
        };
        sqlx::query(
            "INSERT INTO answers (consultation_id, respondent, body_code, organisation, status, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, 'draft', $5, $6) ON CONFLICT (consultation_id, respondent) DO NOTHING",
        )
        .bind(c.plan.id.as_str())
        .bind(respondent.key())
        .bind(body)
        .bind(organisation)
        .bind(by)
        .bind(now_stamp())
        .execute(&mut **tx)
        .await?;
        let row = sqlx::query(
            "SELECT id, status, version FROM answers WHERE consultation_id = $1 AND respondent = $2",
        )
        .bind(c.plan.id.as_str())
        .bind(respondent.key())
        .fetch_one(&mut **tx)
        .await?;
        let status: String = row.try_get("status")?;
        Ok((
            row.try_get("id")?,
            AnswerStatus::parse(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("answer status {status:?}")))?,
            row.try_get("version")?,
        ))
    }

    async fn record_event(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        answer_id: i64,
        step: &str,
        actor: &str,
        note: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO answer_events (answer_id, seq, step, actor, note, at) \
             VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM answer_events WHERE answer_id = $1), $2, $3, $4, $5)",
        )
        .bind(answer_id)
        .bind(step)
        .bind(actor)
        .bind(note)
        .bind(now_stamp())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// A comment from its row (`node_key`, `quote_*`, `kind`, `text`,
/// `proposal`).
pub(crate) fn comment_from_row(r: &sqlx::any::AnyRow) -> Result<Comment, StoreError> {
    let kind: String = r.try_get("kind")?;
    Ok(Comment {
        clause: r.try_get("node_key")?,
        quote: TextQuote {
            exact: r.try_get("quote_exact")?,
            prefix: r.try_get("quote_prefix")?,
            suffix: r.try_get("quote_suffix")?,
        },
        kind: CommentType::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("comment type {kind:?}")))?,
        text: r.try_get("text")?,
        proposal: r.try_get("proposal")?,
    })
}

/// An audit change of `respondent`'s answer to `c`.
fn answer_change(action: &'static str, c: &Consultation, respondent: &Respondent) -> Change {
    let body = match respondent {
        Respondent::Body(b) => Some(*b),
        Respondent::Vendor(_) => None,
    };
    Change::new(
        action,
        format!("{} {}", c.plan.id.as_str(), respondent.key()),
    )
    .body(body)
}

/// The audit action of an answer's step.
fn step_action(what: Step) -> &'static str {
    match what {
        Step::Edit => "answer.edit",
        Step::Submit => "answer.submit",
        Step::Withdraw => "answer.withdraw",
        Step::Return => "answer.return",
        Step::Forward => "answer.forward",
    }
}

/// An answer's content as one text, for its audit digests: every field of
/// every comment, separated by characters no text holds.
fn comments_state<'a>(no_comment: bool, comments: impl Iterator<Item = &'a Comment>) -> String {
    let mut out = String::from(if no_comment {
        "no_comment\u{1e}"
    } else {
        "\u{1e}"
    });
    for c in comments {
        for field in [
            c.clause.as_str(),
            c.quote.exact.as_str(),
            c.quote.prefix.as_str(),
            c.quote.suffix.as_str(),
            c.kind.as_str(),
            c.text.as_str(),
            c.proposal.as_str(),
        ] {
            out.push_str(field);
            out.push('\u{1f}');
        }
        out.push('\u{1e}');
    }
    out
}
