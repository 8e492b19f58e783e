//! The ministry's side of the cycle in the API: a year's topics,
//! milestones, drafts and consultations; opening a consultation (the same
//! rule checks as the form and `kaitei consult create`); and where a
//! consultation's respondents stand (the nation, or one prefecture's
//! municipalities for that prefecture).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kaitei_model::consultation::Plan;
use kaitei_store::{Respondent, StoreError};
use serde::{Deserialize, Serialize};

use super::consultation::visible;
use super::cycle::{cycle_of, year_of};
use super::{api_csrf, checked, editor};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::session::Session;

/// A fiscal year's cycle as the API lists it.
#[derive(Serialize, utoipa::ToSchema)]
struct CycleOut {
    /// The fiscal year (2026 = 令和8年度, April 2026 – March 2027).
    year: u16,
    /// 令和8年度.
    wareki: String,
    title: String,
}

/// A topic under study (検討項目).
#[derive(Serialize, utoipa::ToSchema)]
struct TopicOut {
    id: i64,
    title: String,
    description: String,
    /// `studying`, `drafted`, `done` or `deferred`.
    status: &'static str,
    /// The guideline clauses it touches, by key.
    clauses: Vec<String>,
}

/// A milestone on the timeline.
#[derive(Serialize, utoipa::ToSchema)]
struct MilestoneOut {
    /// `committee`, `draft` (the draft agreed), `publication` or `other`.
    kind: &'static str,
    title: String,
    /// RFC 3339, Japan time.
    at: String,
    note: String,
}

/// A draft of the next edition.
#[derive(Serialize, utoipa::ToSchema)]
struct DraftOut {
    name: String,
    title: String,
    /// The edition it was started from.
    base: Option<String>,
    /// Its current version (one per change).
    version: i64,
}

/// A year's cycle in full.
#[derive(Serialize, utoipa::ToSchema)]
struct CycleDetail {
    #[serde(flatten)]
    cycle: CycleOut,
    topics: Vec<TopicOut>,
    milestones: Vec<MilestoneOut>,
    drafts: Vec<DraftOut>,
    /// The ids of the year's consultations (`GET /api/v1/consultations`
    /// has their windows).
    consultations: Vec<String>,
}

fn cycle_out(c: kaitei_store::Cycle) -> CycleOut {
    CycleOut {
        year: c.year.year(),
        wareki: c.year.wareki(),
        title: c.title,
    }
}

/// `GET /api/v1/cycles`
#[utoipa::path(get, path = "/api/v1/cycles", tag = "cycle",
    responses((status = 200, description = "Every revision cycle, by fiscal year", body = [CycleOut]),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the ministry or the committee")))]
pub async fn api_cycles(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::Cycle)?;
    let list: Vec<CycleOut> = state
        .store()
        .cycles()
        .await?
        .into_iter()
        .map(cycle_out)
        .collect();
    Ok(axum::Json(list).into_response())
}

/// `GET /api/v1/cycles/{year}`
#[utoipa::path(get, path = "/api/v1/cycles/{year}", tag = "cycle",
    params(("year" = String, Path, description = "The fiscal year: 2026 or R8")),
    responses((status = 200, description = "The year's topics, milestones (in time order), drafts and consultations", body = CycleDetail),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the ministry or the committee"),
        (status = 404, description = "No cycle for that year")))]
pub async fn api_cycle(
    State(state): State<AppState>,
    session: Session,
    Path(year): Path<String>,
) -> Result<Response, AppError> {
    session.require(Access::Cycle)?;
    let year = year_of(&year)?;
    let store = state.store();
    let cycle = cycle_of(&state, year).await?;
    let mut milestones = store.milestones(year).await?;
    milestones.sort_by_key(|m| m.at);
    let out = CycleDetail {
        cycle: cycle_out(cycle),
        topics: store
            .topics(year)
            .await?
            .into_iter()
            .map(|t| TopicOut {
                id: t.id,
                title: t.title,
                description: t.description,
                status: t.status.as_str(),
                clauses: t.clauses,
            })
            .collect(),
        milestones: milestones
            .into_iter()
            .map(|m| MilestoneOut {
                kind: m.kind.as_str(),
                title: m.title,
                at: m.at.to_string(),
                note: m.note,
            })
            .collect(),
        drafts: store
            .drafts()
            .await?
            .into_iter()
            .filter(|d| d.year == year)
            .map(|d| DraftOut {
                name: d.name,
                title: d.title,
                base: d.base_edition,
                version: d.version,
            })
            .collect(),
        consultations: store
            .consultations()
            .await?
            .into_iter()
            .filter(|c| c.year == year)
            .map(|c| c.plan.id.to_string())
            .collect(),
    };
    Ok(axum::Json(out).into_response())
}

/// A consultation to open, in the words of `kaitei consult create`.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct PlanIn {
    /// The id the ministry chooses (`R8-2`).
    id: String,
    /// The draft consulted on, by name; frozen at its current version.
    draft: String,
    title: String,
    /// `all`, `prefecture:CODE`, `vendors` or a comma-separated list of
    /// body codes.
    audience: String,
    /// Opening time: RFC 3339, or `2026-12-01 10:00` read as Japan time.
    opens: String,
    /// Closing time (at least 14 × 24 hours after the opening for local
    /// governments).
    closes: String,
    /// The prefectures' deadline: given, answers go through the
    /// prefectures.
    #[serde(default)]
    prefecture_deadline: Option<String>,
}

/// `POST /api/v1/cycles/{year}/consultations`
#[utoipa::path(post, path = "/api/v1/cycles/{year}/consultations", tag = "cycle",
    params(("year" = String, Path, description = "The fiscal year: 2026 or R8")),
    request_body = PlanIn,
    responses((status = 201, description = "Opened; `Location` names the consultation"),
        (status = 400, description = "A rule refuses the plan (a window under 14 days, vendors before the local governments have closed, …): the message says which and what to do; nothing was stored"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the ministry, or a wrong or missing `X-CSRF-Token`"),
        (status = 404, description = "No cycle for that year, or no such draft"),
        (status = 409, description = "A consultation with that id exists")))]
pub async fn api_open_consultation(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(year): Path<String>,
    axum::Json(form): axum::Json<PlanIn>,
) -> Result<Response, AppError> {
    session.require(Access::ManageCycle)?;
    api_csrf(&session, &headers)?;
    let year = year_of(&year)?;
    let store = state.store();
    cycle_of(&state, year).await?;
    let draft = store
        .draft_named(checked(&form.draft)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = Plan::read(
        checked(&form.id)?,
        checked(&form.audience)?,
        checked(&form.opens)?,
        checked(&form.closes)?,
        form.prefecture_deadline.as_deref(),
    )
    .map_err(AppError::BadRequest)?;
    match store
        .create_consultation(
            &plan,
            year,
            checked(&form.title)?,
            draft.id,
            &editor(&session)?,
        )
        .await
    {
        Ok(()) => {}
        Err(StoreError::Invalid(m)) => return Err(AppError::BadRequest(m)),
        Err(e) => return Err(e.into()),
    }
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/consultations/{}/progress", plan.id),
        )],
    )
        .into_response())
}

/// Counts of respondents by where their answer stands.
#[derive(Serialize, utoipa::ToSchema)]
struct TallyOut {
    asked: usize,
    /// The ministry has the answer (sent directly, or forwarded).
    received: usize,
    /// Submitted to a prefecture that has not forwarded it yet.
    held: usize,
    preparing: usize,
    nothing: usize,
    /// Comments in the answers received.
    comments: i64,
}

impl From<kaitei_app::consultations::ProgressTally> for TallyOut {
    fn from(t: kaitei_app::consultations::ProgressTally) -> TallyOut {
        TallyOut {
            asked: t.asked,
            received: t.received,
            held: t.held,
            preparing: t.preparing,
            nothing: t.nothing,
            comments: t.comments,
        }
    }
}

/// One respondent's state.
#[derive(Serialize, utoipa::ToSchema)]
struct RespondentOut {
    /// A body's code, or `vendor:ORGANISATION`.
    respondent: String,
    name: String,
    /// `draft`, `submitted`, `returned`, `forwarded`; absent: nothing yet.
    status: Option<&'static str>,
    no_comment: bool,
    comments: i64,
    /// Whether its answer goes through its prefecture.
    relayed: bool,
    /// Whether the ministry has it.
    received: bool,
}

/// Where a consultation's respondents stand.
#[derive(Serialize, utoipa::ToSchema)]
struct ProgressOut {
    consultation: String,
    total: TallyOut,
    /// By prefecture code (local-government consultations).
    by_prefecture: std::collections::BTreeMap<String, TallyOut>,
    /// Every respondent asked (of the prefecture when one is named).
    respondents: Vec<RespondentOut>,
}

/// `GET /api/v1/consultations/{id}/progress[?prefecture=CODE]`
#[utoipa::path(get, path = "/api/v1/consultations/{id}/progress", tag = "consultations",
    params(("id" = String, Path, description = "The consultation's id (R8-1)"),
        ("prefecture" = Option<String>, Query, description = "Only this prefecture's bodies (a prefecture sees only its own)")),
    responses((status = 200, description = "Counts for the nation and by prefecture, and every respondent's state", body = ProgressOut),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the ministry, nor the prefecture named"),
        (status = 404, description = "No such consultation or prefecture, or not one this user may see")))]
pub async fn api_progress(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<super::progress::ProgressQuery>,
) -> Result<Response, AppError> {
    let (c, _) = visible(&state, &session, &id).await?;
    let prefecture = q
        .prefecture
        .as_deref()
        .map(super::progress::prefecture_of)
        .transpose()?;
    session.require(Access::Progress { prefecture })?;
    let progress = state.app.progress(&c).await?;
    let mine = |r: &Respondent| match (prefecture, r) {
        (None, _) => true,
        (Some(p), Respondent::Body(b)) => b.prefecture() == p,
        (Some(_), _) => false,
    };
    let by_prefecture = progress
        .by_prefecture
        .iter()
        .filter(|(p, _)| prefecture.is_none_or(|q| q == **p))
        .map(|(p, t)| (p.to_string(), TallyOut::from(*t)))
        .collect();
    let total = match prefecture {
        None => progress.total,
        Some(p) => progress.by_prefecture.get(&p).copied().unwrap_or_default(),
    };
    let out = ProgressOut {
        consultation: c.plan.id.to_string(),
        total: total.into(),
        by_prefecture,
        respondents: progress
            .rows
            .iter()
            .filter(|r| mine(&r.respondent))
            .map(|r| RespondentOut {
                respondent: r.respondent.key(),
                name: r.respondent.name(),
                status: r.status.map(|s| s.as_str()),
                no_comment: r.no_comment,
                comments: r.comments,
                relayed: r.relayed,
                received: r.received,
            })
            .collect(),
    };
    Ok(axum::Json(out).into_response())
}
