//! The revision cycle of a fiscal year: its topics (検討項目) with the
//! guideline clauses they touch, and its milestones.

use kaitei_model::JstTime;
use kaitei_model::cycle::{FiscalYear, MilestoneKind, TopicStatus};
use sqlx::Row;

use crate::accounts::now_stamp;
use crate::audit::Change;
use crate::{Store, StoreError};

/// A revision cycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// Its fiscal year.
    pub year: FiscalYear,
    /// Its title (`令和7年度 ガイドライン改定`).
    pub title: String,
}

/// A topic under study.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// Its id.
    pub id: i64,
    /// The cycle's year.
    pub year: FiscalYear,
    /// Its title.
    pub title: String,
    /// What it is about.
    pub description: String,
    /// Where it stands.
    pub status: TopicStatus,
    /// The keys of the guideline clauses it touches.
    pub clauses: Vec<String>,
    /// Who changed it last.
    pub updated_by: String,
}

/// A milestone of a cycle's schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    /// Its id.
    pub id: i64,
    /// What it is.
    pub kind: MilestoneKind,
    /// Its title (`第2回検討会`).
    pub title: String,
    /// When.
    pub at: JstTime,
    /// A note.
    pub note: String,
}

/// The longest title of a cycle, topic, milestone, draft or consultation.
pub const MAX_TITLE_CHARS: usize = 200;

/// The longest description or note.
pub const MAX_NOTE_CHARS: usize = 4000;

/// Checks a title or note typed by a user: controls refused, length bounded.
pub(crate) fn checked(
    field: &str,
    s: &str,
    max: usize,
    required: bool,
) -> Result<String, StoreError> {
    let s = kaitei_model::text::check_controls(s)
        .map_err(|e| StoreError::Invalid(format!("{field}: line {}: {}", e.line, e.message())))?;
    let s = s.trim().to_string();
    if required && s.is_empty() {
        return Err(StoreError::Invalid(format!("{field} is empty")));
    }
    let n = s.chars().count();
    if n > max {
        return Err(StoreError::Invalid(format!(
            "{field} has {n} characters; at most {max}"
        )));
    }
    Ok(s)
}

/// The fiscal year in a row's `year` column (cycles, topics, drafts,
/// consultations).
pub(crate) fn year_of(row: &sqlx::any::AnyRow) -> Result<FiscalYear, StoreError> {
    let y: i64 = row.try_get("year")?;
    u16::try_from(y)
        .ok()
        .and_then(FiscalYear::new)
        .ok_or_else(|| StoreError::Corrupt(format!("fiscal year {y}")))
}

impl Store {
    /// Starts the cycle of `year`. Refused when it exists.
    pub async fn create_cycle(
        &self,
        year: FiscalYear,
        title: &str,
        by: &str,
    ) -> Result<(), StoreError> {
        let title = checked("the title", title, MAX_TITLE_CHARS, true)?;
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(
                "INSERT INTO cycles (year, title, created_by, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (year) DO NOTHING",
            )
            .bind(i64::from(year.year()))
            .bind(&title)
            .bind(by)
            .bind(now_stamp())
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                let change = Change::new("cycle.create", year.year().to_string()).after(&title);
                self.audit(&mut tx, change).await?;
            }
            self.commit(tx).await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Duplicate(format!(
                    "the cycle of {} already exists",
                    year.wareki()
                )));
            }
            Ok(())
        })
        .await
    }

    /// Every cycle, the latest first.
    pub async fn cycles(&self) -> Result<Vec<Cycle>, StoreError> {
        let rows = sqlx::query("SELECT year, title FROM cycles ORDER BY year DESC")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Cycle {
                    year: year_of(r)?,
                    title: r.try_get("title")?,
                })
            })
            .collect()
    }

    /// Adds a topic to the cycle of `year`; returns its id.
    pub async fn add_topic(
        &self,
        year: FiscalYear,
        title: &str,
        description: &str,
        clauses: &[String],
        by: &str,
    ) -> Result<i64, StoreError> {
        let title = checked("the title", title, MAX_TITLE_CHARS, true)?;
        let description = checked("the description", description, MAX_NOTE_CHARS, false)?;
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            self.require_cycle(&mut tx, year).await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO topics (year, title, description, status, updated_by, updated_at) \
                 VALUES ($1, $2, $3, 'studying', $4, $5) RETURNING id",
            )
            .bind(i64::from(year.year()))
            .bind(&title)
            .bind(&description)
            .bind(by)
            .bind(now_stamp())
            .fetch_one(&mut *tx)
            .await?;
            for key in clauses {
                sqlx::query(
                    "INSERT INTO topic_clauses (topic_id, node_key) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(key)
                .execute(&mut *tx)
                .await?;
            }
            let change = Change::new("topic.add", format!("{} {id}", year.year()))
                .after(format!("{title}\u{1f}{description}\u{1f}{}", clauses.join(",")));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(id)
        })
        .await
    }

    /// Sets a topic's status.
    pub async fn set_topic_status(
        &self,
        id: i64,
        status: TopicStatus,
        by: &str,
    ) -> Result<(), StoreError> {
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(
                "UPDATE topics SET status = $1, updated_by = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(status.as_str())
            .bind(by)
            .bind(now_stamp())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                let change = Change::new("topic.status", id.to_string()).after(status.as_str());
                self.audit(&mut tx, change).await?;
            }
            self.commit(tx).await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Invalid(format!("no topic {id}")));
            }
            Ok(())
        })
        .await
    }

    /// The topics of `year`, in the order they were added.
    pub async fn topics(&self, year: FiscalYear) -> Result<Vec<Topic>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, year, title, description, status, updated_by FROM topics WHERE year = $1 ORDER BY id",
        )
        .bind(i64::from(year.year()))
        .fetch_all(&self.pool)
        .await?;
        let links = sqlx::query(
            "SELECT tc.topic_id, tc.node_key FROM topic_clauses tc JOIN topics t ON t.id = tc.topic_id \
             WHERE t.year = $1 ORDER BY tc.topic_id, tc.node_key",
        )
        .bind(i64::from(year.year()))
        .fetch_all(&self.pool)
        .await?;
        let mut topics = rows
            .iter()
            .map(|r| {
                let status: String = r.try_get("status")?;
                Ok(Topic {
                    id: r.try_get("id")?,
                    year: year_of(r)?,
                    title: r.try_get("title")?,
                    description: r.try_get("description")?,
                    status: TopicStatus::parse(&status)
                        .ok_or_else(|| StoreError::Corrupt(format!("topic status {status:?}")))?,
                    clauses: Vec::new(),
                    updated_by: r.try_get("updated_by")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        for l in links {
            let id: i64 = l.try_get("topic_id")?;
            if let Some(t) = topics.iter_mut().find(|t| t.id == id) {
                t.clauses.push(l.try_get("node_key")?);
            }
        }
        Ok(topics)
    }

    /// Adds a milestone to the cycle of `year`; refused outside the fiscal
    /// year.
    pub async fn add_milestone(
        &self,
        year: FiscalYear,
        kind: MilestoneKind,
        title: &str,
        at: JstTime,
        note: &str,
    ) -> Result<i64, StoreError> {
        let title = checked("the title", title, MAX_TITLE_CHARS, true)?;
        let note = checked("the note", note, MAX_NOTE_CHARS, false)?;
        kaitei_model::cycle::check_in_year(&title, at, year)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            self.require_cycle(&mut tx, year).await?;
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO milestones (year, kind, title, at, note) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(i64::from(year.year()))
            .bind(kind.as_str())
            .bind(&title)
            .bind(at.unix())
            .bind(&note)
            .fetch_one(&mut *tx)
            .await?;
            let change = Change::new("milestone.add", format!("{} {id}", year.year()))
                .after(format!("{}\u{1f}{title}\u{1f}{}\u{1f}{note}", kind.as_str(), at.unix()));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(id)
        })
        .await
    }

    /// The milestones of `year`, in time order.
    pub async fn milestones(&self, year: FiscalYear) -> Result<Vec<Milestone>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, kind, title, at, note FROM milestones WHERE year = $1 ORDER BY at, id",
        )
        .bind(i64::from(year.year()))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok(Milestone {
                    id: r.try_get("id")?,
                    kind: MilestoneKind::parse(&kind)
                        .ok_or_else(|| StoreError::Corrupt(format!("milestone kind {kind:?}")))?,
                    title: r.try_get("title")?,
                    at: JstTime::from_unix(r.try_get("at")?),
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// Refuses, inside `tx`, a year without a cycle.
    pub(crate) async fn require_cycle(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        year: FiscalYear,
    ) -> Result<(), StoreError> {
        let found: Option<(i64,)> = sqlx::query_as("SELECT year FROM cycles WHERE year = $1")
            .bind(i64::from(year.year()))
            .fetch_optional(&mut **tx)
            .await?;
        match found {
            Some(_) => Ok(()),
            None => Err(StoreError::Invalid(format!(
                "there is no cycle for {}: create it first (kaitei cycle create {})",
                year.wareki(),
                year.year()
            ))),
        }
    }
}
