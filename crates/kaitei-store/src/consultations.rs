//! Consultations: each asks its audience about a subject frozen when it was
//! created (a draft at one version), within a window the rules allow.

use kaitei_model::consultation::{Audience, ConsultationId, Plan, Routing, Window, check_plan};
use kaitei_model::cycle::FiscalYear;
use kaitei_model::{BodyCode, Document, DocumentKind, JstTime, Metadata};
use sqlx::Row;

use crate::accounts::now_stamp;
use crate::audit::Change;
use crate::cycle::{MAX_TITLE_CHARS, checked};
use crate::documents::NodeTable;
use crate::{Store, StoreError};

/// A consultation as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    /// Its plan: id, audience, routing, window.
    pub plan: Plan,
    /// Its cycle's year.
    pub year: FiscalYear,
    /// The title the respondents see.
    pub title: String,
    /// The frozen subject's id.
    pub subject_id: i64,
    /// The draft it was taken from.
    pub draft_id: i64,
    /// The draft's version it froze.
    pub draft_version: i64,
    /// Who created it.
    pub created_by: String,
}

const COLUMNS: &str = "c.id, c.year, c.title, c.audience, c.audience_prefecture, c.routing, \
     c.prefecture_deadline, c.opens, c.closes, c.subject_id, c.created_by, s.draft_id, s.draft_version";

impl Store {
    /// Creates a consultation on draft `draft_id` as it is now (its subject
    /// is frozen: later changes of the draft do not reach it). Refused
    /// when the plan breaks a rule (checked against the other
    /// consultations on the same draft), or the id is taken.
    pub async fn create_consultation(
        &self,
        plan: &Plan,
        year: FiscalYear,
        title: &str,
        draft_id: i64,
        by: &str,
    ) -> Result<(), StoreError> {
        let title = checked("the title", title, MAX_TITLE_CHARS, true)?;
        // It opens within the cycle's year; it may close after (a
        // consultation opened in March).
        kaitei_model::cycle::check_in_year("the opening time", plan.window.opens, year)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            self.require_cycle(&mut tx, year).await?;
            let lock = self.locking("SELECT version, title, preamble FROM drafts WHERE id = $1");
            let draft = sqlx::query(&lock)
                .bind(draft_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::Invalid(format!("no draft {draft_id}")))?;
            let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM consultations WHERE id = $1")
                .bind(plan.id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if taken.is_some() {
                return Err(StoreError::Duplicate(format!(
                    "consultation {} exists; choose another id",
                    plan.id
                )));
            }
            let others = self.consultations_on(&mut tx, draft_id).await?;
            let plans: Vec<Plan> = others.into_iter().map(|c| c.plan).collect();
            check_plan(plan, &plans).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let version: i64 = draft.try_get("version")?;
            let (subject,): (i64,) = sqlx::query_as(
                "INSERT INTO subjects (draft_id, draft_version, title, preamble) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(draft_id)
            .bind(version)
            .bind(draft.try_get::<String, _>("title")?)
            .bind(draft.try_get::<String, _>("preamble")?)
            .fetch_one(&mut *tx)
            .await?;
            let nodes = Store::read_nodes(&mut *tx, self.backend, NodeTable::Drafts, draft_id).await?;
            let mut doc = Document::new(Metadata::new(DocumentKind::Guideline, "", ""));
            doc.children = nodes;
            Store::write_nodes(&mut tx, NodeTable::Subjects, subject, &doc).await?;
            let (prefecture, deadline) = match (&plan.audience, plan.routing) {
                (Audience::Prefecture(p), r) => (Some(p.to_string()), deadline_of(r)),
                (_, r) => (None, deadline_of(r)),
            };
            sqlx::query(
                "INSERT INTO consultations (id, year, title, audience, audience_prefecture, routing, prefecture_deadline, \
                 opens, closes, subject_id, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(plan.id.as_str())
            .bind(i64::from(year.year()))
            .bind(&title)
            .bind(plan.audience.kind_str())
            .bind(prefecture)
            .bind(plan.routing.as_str())
            .bind(deadline)
            .bind(plan.window.opens.unix())
            .bind(plan.window.closes.unix())
            .bind(subject)
            .bind(by)
            .bind(now_stamp())
            .execute(&mut *tx)
            .await?;
            if let Audience::List(bodies) = &plan.audience {
                for b in bodies {
                    sqlx::query("INSERT INTO consultation_bodies (consultation_id, body_code) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                        .bind(plan.id.as_str())
                        .bind(b.to_string())
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let change = Change::new("consultation.create", plan.id.as_str())
                .after(format!("{}\u{1f}{}\u{1f}{}", title, plan.window.opens.unix(), plan.window.closes.unix()));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    /// The consultation `id`.
    pub async fn consultation(&self, id: &str) -> Result<Option<Consultation>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM consultations c JOIN subjects s ON s.id = c.subject_id WHERE c.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            None => Ok(None),
            Some(r) => {
                let list = self.listed_bodies(id).await?;
                Ok(Some(consultation_from_row(&r, list)?))
            }
        }
    }

    /// Every consultation, the latest opening first.
    pub async fn consultations(&self) -> Result<Vec<Consultation>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM consultations c JOIN subjects s ON s.id = c.subject_id ORDER BY c.opens DESC, c.id"
        ))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = r.try_get("id")?;
            let list = if r.try_get::<String, _>("audience")? == "list" {
                self.listed_bodies(&id).await?
            } else {
                Vec::new()
            };
            out.push(consultation_from_row(r, list)?);
        }
        Ok(out)
    }

    /// The consultations on draft `draft_id`, inside `tx`.
    async fn consultations_on(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        draft_id: i64,
    ) -> Result<Vec<Consultation>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM consultations c JOIN subjects s ON s.id = c.subject_id WHERE s.draft_id = $1"
        ))
        .bind(draft_id)
        .fetch_all(&mut **tx)
        .await?;
        // Lists do not matter to the rules, which look at who is asked
        // only as bodies or vendors.
        rows.iter()
            .map(|r| consultation_from_row(r, Vec::new()))
            .collect()
    }

    async fn listed_bodies(&self, id: &str) -> Result<Vec<BodyCode>, StoreError> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT body_code FROM consultation_bodies WHERE consultation_id = $1 ORDER BY body_code",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|(c,)| BodyCode::parse(c).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect()
    }

    /// The frozen subject `id` as a document titled as the draft was.
    pub async fn subject(&self, id: i64) -> Result<Option<Document>, StoreError> {
        let Some(row) =
            sqlx::query("SELECT title, preamble, draft_version FROM subjects WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?
        else {
            return Ok(None);
        };
        let title: String = row.try_get("title")?;
        let version: i64 = row.try_get("draft_version")?;
        let preamble: String = row.try_get("preamble")?;
        let mut doc = Document::new(Metadata::new(
            DocumentKind::Guideline,
            &title,
            &format!("subject-{id}-v{version}"),
        ));
        doc.preamble = crate::documents::split(&preamble);
        doc.children = Store::read_nodes(&self.pool, self.backend, NodeTable::Subjects, id).await?;
        Ok(Some(doc))
    }
}

fn deadline_of(r: Routing) -> Option<i64> {
    match r {
        Routing::Direct => None,
        Routing::ThroughPrefectures {
            prefecture_deadline,
        } => Some(prefecture_deadline.unix()),
    }
}

fn consultation_from_row(
    r: &sqlx::any::AnyRow,
    list: Vec<BodyCode>,
) -> Result<Consultation, StoreError> {
    let id: String = r.try_get("id")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("consultation {id}: {what}"));
    let audience: String = r.try_get("audience")?;
    let prefecture: Option<String> = r.try_get("audience_prefecture")?;
    let audience = match audience.as_str() {
        "all" => Audience::AllBodies,
        "vendors" => Audience::Vendors,
        "list" => Audience::List(list),
        "prefecture" => Audience::Prefecture(
            prefecture
                .as_deref()
                .and_then(|p| BodyCode::parse(p).ok())
                .ok_or_else(|| corrupt("prefecture"))?,
        ),
        _ => return Err(corrupt("audience")),
    };
    let routing: String = r.try_get("routing")?;
    let deadline: Option<i64> = r.try_get("prefecture_deadline")?;
    let routing = match (routing.as_str(), deadline) {
        ("direct", _) => Routing::Direct,
        ("prefectures", Some(d)) => Routing::ThroughPrefectures {
            prefecture_deadline: JstTime::from_unix(d),
        },
        _ => return Err(corrupt("routing")),
    };
    Ok(Consultation {
        plan: Plan {
            id: ConsultationId::parse(&id).map_err(|_| corrupt("id"))?,
            audience,
            routing,
            window: Window {
                opens: JstTime::from_unix(r.try_get("opens")?),
                closes: JstTime::from_unix(r.try_get("closes")?),
            },
        },
        year: crate::cycle::year_of(r)?,
        title: r.try_get("title")?,
        subject_id: r.try_get("subject_id")?,
        draft_id: r.try_get("draft_id")?,
        draft_version: r.try_get("draft_version")?,
        created_by: r.try_get("created_by")?,
    })
}
