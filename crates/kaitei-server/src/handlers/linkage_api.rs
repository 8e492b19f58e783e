//! The JSON API of topic ①: a body's linkage record (read and saved
//! whole), the national picture, the ministry's catalogue and matrix (as
//! the text it edits). Authorised as the pages.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use kaitei_records::linkage::{Catalogue, LineProblem, RiskMatrix, Route, Segment};
use kaitei_records::linkage_ratings::{HeatMap, Rating, ScenarioRating, Use, heat_map};
use serde::{Deserialize, Serialize};

use super::disposal::records_body;
use super::{api_csrf, editor};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::session::Session;

/// A likelihood × impact rating, and its level as the matrix names it.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
struct RatingOut {
    /// 1 to 5.
    likelihood: u8,
    /// 1 to 5.
    impact: u8,
    /// The level's name (only in answers).
    #[serde(default, skip_deserializing)]
    level: String,
}

/// A scenario's ratings.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
struct ScenarioRatingOut {
    /// The scenario's identifier in its pattern.
    scenario: String,
    /// Before the body's controls.
    before: Option<RatingOut>,
    /// After them (residual).
    after: Option<RatingOut>,
}

/// A pattern used on a route.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
struct UseOut {
    /// The pattern's identifier.
    pattern: String,
    /// `mynumber`, `lgwan` or `internet`.
    from: String,
    /// `mynumber`, `lgwan` or `internet`.
    to: String,
    #[serde(default)]
    ratings: Vec<ScenarioRatingOut>,
}

/// A body's linkage record.
#[derive(Serialize, utoipa::ToSchema)]
struct LinkageOut {
    code: String,
    name: String,
    uses: Vec<UseOut>,
    /// Ratings per cell before controls: `[likelihood - 1][impact - 1]`.
    heat_map_before: Vec<Vec<usize>>,
    /// Ratings per cell after controls.
    heat_map_after: Vec<Vec<usize>>,
}

/// The record to save.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct LinkageIn {
    uses: Vec<UseOut>,
}

fn rating_out(r: Option<Rating>, m: &RiskMatrix) -> Option<RatingOut> {
    r.map(|r| RatingOut {
        likelihood: r.likelihood,
        impact: r.impact,
        level: m
            .level_name(r.likelihood, r.impact)
            .unwrap_or("")
            .to_string(),
    })
}

fn cells(h: &HeatMap) -> Vec<Vec<usize>> {
    h.cells.iter().map(|r| r.to_vec()).collect()
}

/// `GET /api/v1/bodies/{code}/linkage`
#[utoipa::path(get, path = "/api/v1/bodies/{code}/linkage", tag = "records",
    params(("code" = String, Path, description = "The body's code")),
    responses((status = 200, description = "The patterns it uses between segments, its ratings and heat maps", body = LinkageOut),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such body, or not this user's")))]
pub async fn api_linkage(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, false)?;
    let e = |e| AppError::from(kaitei_app::Error::from(e));
    let m = state.store().risk_matrix().await.map_err(e)?;
    let uses = state.store().linkage_uses(body.code).await.map_err(e)?;
    Ok(Json(LinkageOut {
        code: body.code.to_string(),
        name: body.name.clone(),
        heat_map_before: cells(&heat_map(&uses, false)),
        heat_map_after: cells(&heat_map(&uses, true)),
        uses: uses
            .iter()
            .map(|u| UseOut {
                pattern: u.pattern.clone(),
                from: u.route.from.id().into(),
                to: u.route.to.id().into(),
                ratings: u
                    .ratings
                    .iter()
                    .map(|r| ScenarioRatingOut {
                        scenario: r.scenario.clone(),
                        before: rating_out(r.before, &m),
                        after: rating_out(r.after, &m),
                    })
                    .collect(),
            })
            .collect(),
    })
    .into_response())
}

fn rating_in(r: Option<RatingOut>, what: &str) -> Result<Option<Rating>, AppError> {
    r.map(|r| {
        Rating::new(r.likelihood, r.impact).ok_or_else(|| {
            AppError::Unprocessable(format!("{what}: likelihood and impact are 1 to 5"))
        })
    })
    .transpose()
}

/// `POST /api/v1/bodies/{code}/linkage`: the whole record saved.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/linkage", tag = "records",
    params(("code" = String, Path, description = "The body's code")),
    request_body = LinkageIn,
    responses((status = 204, description = "Saved"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed (the ministry reads, never writes)"),
        (status = 404, description = "No such body, or not this user's"),
        (status = 422, description = "A pattern or scenario not in the catalogue, a route within one segment, a score not 1 to 5, a use twice: nothing saved")))]
pub async fn api_save_linkage(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    headers: HeaderMap,
    Json(input): Json<LinkageIn>,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, true)?;
    api_csrf(&session, &headers)?;
    let mut uses = Vec::new();
    for (i, u) in input.uses.into_iter().enumerate() {
        let seg = |s: &str| {
            Segment::from_id(s).ok_or_else(|| {
                AppError::Unprocessable(format!("uses[{i}]: {s:?} is not a segment"))
            })
        };
        let route = Route::new(seg(&u.from)?, seg(&u.to)?).ok_or_else(|| {
            AppError::Unprocessable(format!("uses[{i}]: from and to are one segment"))
        })?;
        let mut ratings = Vec::new();
        for (j, r) in u.ratings.into_iter().enumerate() {
            let what = format!("uses[{i}].ratings[{j}]");
            ratings.push(ScenarioRating {
                scenario: r.scenario,
                before: rating_in(r.before, &what)?,
                after: rating_in(r.after, &what)?,
            });
        }
        uses.push(Use {
            pattern: u.pattern,
            route,
            ratings,
        });
    }
    match state
        .store()
        .save_linkage(body.code, &uses, &editor(&session)?)
        .await
    {
        Ok(()) => Ok(axum::http::StatusCode::NO_CONTENT.into_response()),
        Err(kaitei_store::StoreError::Invalid(e)) => Err(AppError::Unprocessable(e)),
        Err(e) => Err(kaitei_app::Error::from(e).into()),
    }
}

/// Bodies per pattern × route in one group.
#[derive(Serialize, utoipa::ToSchema)]
struct GroupCounts {
    /// A kind of body (`prefecture`, `designated_city`, `city`, `town`,
    /// `village`, `ward`), a prefecture's code, or `total`.
    group: String,
    /// Per column, in `columns`' order.
    counts: Vec<usize>,
}

/// A pattern used on a route.
#[derive(Serialize, utoipa::ToSchema)]
struct ColumnOut {
    pattern: String,
    from: String,
    to: String,
}

/// Residual levels of one scenario, counted.
#[derive(Serialize, utoipa::ToSchema)]
struct ResidualOut {
    pattern: String,
    scenario: String,
    /// Per level, in `levels`' order.
    counts: Vec<usize>,
    /// Uses of the pattern without a residual rating of the scenario.
    unrated: usize,
}

/// The national picture.
#[derive(Serialize, utoipa::ToSchema)]
struct LinkageNationalOut {
    /// Bodies that recorded a use.
    bodies: usize,
    columns: Vec<ColumnOut>,
    total: Vec<usize>,
    by_kind: Vec<GroupCounts>,
    by_prefecture: Vec<GroupCounts>,
    /// The matrix's levels, least severe first.
    levels: Vec<String>,
    residual: Vec<ResidualOut>,
}

/// `GET /api/v1/linkage`
#[utoipa::path(get, path = "/api/v1/linkage", tag = "records",
    responses((status = 200, description = "Bodies using each pattern on each route, by kind of body and by prefecture; residual levels counted per pattern and scenario", body = LinkageNationalOut),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the ministry")))]
pub async fn api_linkage_national(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    let p = state.app.linkage_national().await?;
    let n = p.national;
    Ok(Json(LinkageNationalOut {
        bodies: n.bodies,
        columns: n
            .columns
            .iter()
            .map(|c| ColumnOut {
                pattern: c.pattern.clone(),
                from: c.route.from.id().into(),
                to: c.route.to.id().into(),
            })
            .collect(),
        total: n.total,
        by_kind: n
            .by_kind
            .iter()
            .map(|(k, v)| GroupCounts {
                group: k.id().into(),
                counts: v.clone(),
            })
            .collect(),
        by_prefecture: n
            .by_prefecture
            .iter()
            .map(|(c, _, v)| GroupCounts {
                group: c.to_string(),
                counts: v.clone(),
            })
            .collect(),
        levels: p.matrix.levels().to_vec(),
        residual: n
            .residual
            .into_iter()
            .map(|r| ResidualOut {
                pattern: r.pattern,
                scenario: r.scenario,
                counts: r.counts,
                unrated: r.unrated,
            })
            .collect(),
    })
    .into_response())
}

/// The ministry's catalogue and matrix as the texts it edits.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct TextsOut {
    /// The catalogue (see docs/linkage.md for its lines).
    catalogue: String,
    /// The risk matrix.
    matrix: String,
}

/// `GET /api/v1/linkage/catalogue`
#[utoipa::path(get, path = "/api/v1/linkage/catalogue", tag = "records",
    responses((status = 200, description = "The catalogue of patterns and the risk matrix, as text", body = TextsOut),
        (status = 401, description = "Not signed in")))]
pub async fn api_linkage_catalogue(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::SignedIn)?;
    let e = |e| AppError::from(kaitei_app::Error::from(e));
    Ok(Json(TextsOut {
        catalogue: state.store().linkage_catalogue().await.map_err(e)?.print(),
        matrix: state.store().risk_matrix().await.map_err(e)?.print(),
    })
    .into_response())
}

pub(super) fn lines(p: &[LineProblem]) -> String {
    p.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `POST /api/v1/linkage/catalogue`: either text, or both, replaced.
#[utoipa::path(post, path = "/api/v1/linkage/catalogue", tag = "records",
    request_body = TextsOut,
    responses((status = 204, description = "Saved"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the ministry"),
        (status = 422, description = "Wrong lines (LINE行目: reason, one a line): nothing saved")))]
pub async fn api_save_linkage_catalogue(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Json(input): Json<TextsOut>,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    api_csrf(&session, &headers)?;
    let c = Catalogue::read(&input.catalogue)
        .map_err(|p| AppError::Unprocessable(format!("catalogue:\n{}", lines(&p))))?;
    let m = RiskMatrix::read(&input.matrix)
        .map_err(|p| AppError::Unprocessable(format!("matrix:\n{}", lines(&p))))?;
    let by = editor(&session)?;
    let e = |e: kaitei_store::StoreError| match e {
        kaitei_store::StoreError::Invalid(m) => AppError::Unprocessable(m),
        other => kaitei_app::Error::from(other).into(),
    };
    state
        .store()
        .set_linkage_catalogue(&c, &by)
        .await
        .map_err(e)?;
    state.store().set_risk_matrix(&m, &by).await.map_err(e)?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}
