//! The records' JSON API: a body's disposal register with its findings
//! (and its import, the workbook as the request's body), the national
//! counts by rule; a body's organs (read and saved whole), a prefecture's
//! and the nation's cybersecurity-policy status. Authorised as the pages.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use kaitei_app::records::RegisterRefused;
use kaitei_model::{Date, registry};
use kaitei_records::organs::{National, Organ, OrganStatus, Tally};
use kaitei_records::register::Column;
use kaitei_records::rules::Rule;
use serde::{Deserialize, Serialize};

use super::disposal::records_body;
use super::organs::{organs_body, prefecture};
use super::{api_csrf, editor};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::session::Session;

/// One finding.
#[derive(Serialize, utoipa::ToSchema)]
struct FindingOut {
    /// `no-erasure-record`, `method-too-weak`, `no-witness`,
    /// `no-certificate` or `invalid`.
    rule: &'static str,
    /// Why, in English.
    reason: String,
}

/// One item: its row in the exported workbook, its cells by header.
#[derive(Serialize, utoipa::ToSchema)]
struct ItemOut {
    row: usize,
    /// The 14 cells in the register's order, as the workbook writes them.
    cells: Vec<String>,
    findings: Vec<FindingOut>,
}

/// Findings counted by rule id.
#[derive(Serialize, utoipa::ToSchema)]
struct RuleCount {
    rule: &'static str,
    count: usize,
}

/// A rule table entry: the least method a classification requires.
#[derive(Serialize, utoipa::ToSchema)]
struct RuleOut {
    classification: &'static str,
    minimum: &'static str,
}

/// A body's register.
#[derive(Serialize, utoipa::ToSchema)]
struct RegisterOut {
    code: String,
    name: String,
    /// The 14 headers.
    headers: Vec<&'static str>,
    rules: Vec<RuleOut>,
    counts: Vec<RuleCount>,
    /// Items with a finding first.
    items: Vec<ItemOut>,
}

fn counts_out(counts: [usize; 5]) -> Vec<RuleCount> {
    Rule::ALL
        .iter()
        .zip(counts)
        .map(|(r, count)| RuleCount {
            rule: r.id(),
            count,
        })
        .collect()
}

fn rules_out(t: &kaitei_records::rules::RuleTable) -> Vec<RuleOut> {
    t.entries()
        .map(|(c, m)| RuleOut {
            classification: c.word(),
            minimum: m.word(),
        })
        .collect()
}

/// `GET /api/v1/bodies/{code}/disposal`
#[utoipa::path(get, path = "/api/v1/bodies/{code}/disposal", tag = "records",
    params(("code" = String, Path, description = "The body's code")),
    responses((status = 200, description = "The register, flagged items first, with the findings of the ministry's rule table", body = RegisterOut),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such body, or not this user's")))]
pub async fn api_register(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, false)?;
    let r = state.app.register(body.code).await?;
    let out = RegisterOut {
        code: body.code.to_string(),
        name: body.name.clone(),
        headers: Column::ALL.iter().map(|c| c.header()).collect(),
        rules: rules_out(&r.rules),
        counts: counts_out(r.counts()),
        items: r
            .flagged_first()
            .into_iter()
            .map(|i| ItemOut {
                row: i.row,
                cells: i.item.cells().to_vec(),
                findings: i
                    .findings
                    .iter()
                    .map(|f| FindingOut {
                        rule: f.rule.id(),
                        reason: f.english(),
                    })
                    .collect(),
            })
            .collect(),
    };
    Ok(Json(out).into_response())
}

/// What an import did.
#[derive(Serialize, utoipa::ToSchema)]
struct ImportOut {
    added: usize,
    updated: usize,
    unchanged: usize,
}

/// `POST /api/v1/bodies/{code}/disposal`: the workbook (the request's
/// body) imported all or nothing.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/disposal", tag = "records",
    params(("code" = String, Path, description = "The body's code")),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The register (.xlsx)"),
    responses((status = 200, description = "Stored: items added, updated by 管理番号, unchanged", body = ImportOut),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed (a bad CSRF token; the ministry reads, never writes)"),
        (status = 404, description = "No such body, or not this user's"),
        (status = 422, description = "Not a register, or wrong cells (ROW: COLUMN: reason, one a line): nothing stored")))]
pub async fn api_import_register(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, true)?;
    api_csrf(&session, &headers)?;
    match state
        .app
        .import_register(body.code, &bytes, &editor(&session)?)
        .await?
    {
        Ok(d) => Ok(Json(ImportOut {
            added: d.added,
            updated: d.updated,
            unchanged: d.unchanged,
        })
        .into_response()),
        Err(RegisterRefused::NotARegister(e)) => Err(AppError::Unprocessable(e)),
        Err(RegisterRefused::Cells(cells)) => Err(AppError::Unprocessable(
            cells
                .iter()
                .map(|(row, c, p)| format!("{row}: {c}: {}", p.english(*c)))
                .collect::<Vec<_>>()
                .join("\n"),
        )),
    }
}

/// The nation's registers.
#[derive(Serialize, utoipa::ToSchema)]
struct DisposalNationalOut {
    rules: Vec<RuleOut>,
    counts: Vec<RuleCount>,
    items: usize,
    bodies: usize,
    /// Bodies with a finding, and theirs by rule.
    flagged: Vec<FlaggedBody>,
}

/// A body with findings.
#[derive(Serialize, utoipa::ToSchema)]
struct FlaggedBody {
    code: String,
    name: String,
    counts: Vec<RuleCount>,
}

/// `GET /api/v1/disposal`
#[utoipa::path(get, path = "/api/v1/disposal", tag = "records",
    responses((status = 200, description = "Findings by rule nationally, and the rule table", body = DisposalNationalOut),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the ministry")))]
pub async fn api_disposal_national(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    let n = state.app.disposal_national().await?;
    Ok(Json(DisposalNationalOut {
        rules: rules_out(&n.rules),
        counts: counts_out(n.counts),
        items: n.items,
        bodies: n.bodies,
        flagged: n
            .flagged
            .iter()
            .map(|(c, counts)| FlaggedBody {
                code: c.to_string(),
                name: registry()
                    .get(*c)
                    .map(|b| b.name.clone())
                    .unwrap_or_default(),
                counts: counts_out(*counts),
            })
            .collect(),
    })
    .into_response())
}

/// An organ and its policy.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
struct OrganOut {
    /// 首長, 議会, 教育委員会 …
    name: String,
    /// `not_set`, `own` or `designated` (the body's basic policy designated).
    status: String,
    /// Since when (YYYY-MM-DD).
    since: Option<String>,
    /// Where it is published.
    #[serde(default)]
    url: String,
}

/// A body's organs.
#[derive(Serialize, utoipa::ToSchema)]
struct OrgansOut {
    code: String,
    name: String,
    /// Whether its officer recorded the list (else the list its kind of
    /// body starts with).
    recorded: bool,
    organs: Vec<OrganOut>,
}

/// The list to save.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct OrgansIn {
    organs: Vec<OrganOut>,
}

/// `GET /api/v1/bodies/{code}/cybersecurity`
#[utoipa::path(get, path = "/api/v1/bodies/{code}/cybersecurity", tag = "records",
    params(("code" = String, Path, description = "The body's code")),
    responses((status = 200, description = "Its organs and their cybersecurity policy", body = OrgansOut),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such body, or not one whose status this user sees")))]
pub async fn api_organs(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let (body, _) = organs_body(&session, &code)?;
    let (list, recorded) = state.app.organs(body).await?;
    Ok(Json(OrgansOut {
        code: body.code.to_string(),
        name: body.name.clone(),
        recorded,
        organs: list
            .iter()
            .map(|o| OrganOut {
                name: o.name.clone(),
                status: o.status.id().into(),
                since: o.since.map(|d| d.to_string()),
                url: o.url.clone(),
            })
            .collect(),
    })
    .into_response())
}

/// `POST /api/v1/bodies/{code}/cybersecurity`: the whole list saved.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/cybersecurity", tag = "records",
    params(("code" = String, Path, description = "The body's code")),
    request_body = OrgansIn,
    responses((status = 204, description = "Saved"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No such body, or not one whose status this user sees"),
        (status = 422, description = "An organ is not valid (name, status, date, URL) or named twice")))]
pub async fn api_save_organs(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    headers: HeaderMap,
    Json(input): Json<OrgansIn>,
) -> Result<Response, AppError> {
    let (body, _) = organs_body(&session, &code)?;
    session.require(Access::EditRecords { body: body.code })?;
    api_csrf(&session, &headers)?;
    let mut list = Vec::new();
    for o in input.organs {
        let status = OrganStatus::from_id(&o.status)
            .ok_or_else(|| AppError::Unprocessable(format!("{:?} is not a status", o.status)))?;
        let since = o
            .since
            .map(|s| {
                Date::parse_iso(&s)
                    .ok_or_else(|| AppError::Unprocessable(format!("{s:?} is not a date")))
            })
            .transpose()?;
        list.push(Organ {
            name: o.name,
            status,
            since,
            url: o.url,
        });
    }
    match state
        .store()
        .save_organs(body.code, &list, &editor(&session)?)
        .await
    {
        Ok(()) => Ok(axum::http::StatusCode::NO_CONTENT.into_response()),
        Err(kaitei_store::StoreError::Invalid(e)) => Err(AppError::Unprocessable(e)),
        Err(e) => Err(kaitei_app::Error::from(e).into()),
    }
}

/// Counts of a group of bodies.
#[derive(Serialize, utoipa::ToSchema)]
struct TallyOut {
    group: String,
    bodies: usize,
    recorded: usize,
    complete: usize,
    lacking: usize,
    organs: usize,
    organs_with: usize,
}

fn tally_out(group: String, t: &Tally) -> TallyOut {
    TallyOut {
        group,
        bodies: t.bodies,
        recorded: t.recorded,
        complete: t.complete,
        lacking: t.lacking,
        organs: t.organs,
        organs_with: t.organs_with,
    }
}

/// A body with an organ without a policy.
#[derive(Serialize, utoipa::ToSchema)]
struct LackingOut {
    code: String,
    name: String,
    organs: Vec<String>,
}

/// The status under the Local Autonomy Act.
#[derive(Serialize, utoipa::ToSchema)]
struct LawStatusOut {
    /// The day counted (YYYY-MM-DD): 2026-04-01, or today after it.
    day: String,
    total: TallyOut,
    /// By prefecture (its own and its municipalities), by prefecture code.
    by_prefecture: Vec<TallyOut>,
    /// By kind of body: prefecture, city, town, village, special_ward.
    by_kind: Vec<TallyOut>,
    /// The bodies any of whose organs has none on `day`.
    lacking: Vec<LackingOut>,
}

fn law_out(n: &National) -> LawStatusOut {
    LawStatusOut {
        day: n.day.to_string(),
        total: tally_out("total".into(), &n.total),
        by_prefecture: n
            .by_prefecture
            .iter()
            .map(|(c, _, t)| tally_out(c.to_string(), t))
            .collect(),
        by_kind: n
            .by_kind
            .iter()
            .map(|(k, t)| tally_out(k.as_str().into(), t))
            .collect(),
        lacking: n
            .lacking
            .iter()
            .map(|l| LackingOut {
                code: l.code.to_string(),
                name: l.name.clone(),
                organs: l.organs.clone(),
            })
            .collect(),
    }
}

/// `GET /api/v1/cybersecurity`
#[utoipa::path(get, path = "/api/v1/cybersecurity", tag = "records",
    responses((status = 200, description = "The national status by prefecture and by kind of body, and the bodies lacking", body = LawStatusOut),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the ministry")))]
pub async fn api_organs_national(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    let n = state
        .app
        .law_status(kaitei_app::now().date(), |_| true)
        .await?;
    Ok(Json(law_out(&n)).into_response())
}

/// `GET /api/v1/prefectures/{code}/cybersecurity`
#[utoipa::path(get, path = "/api/v1/prefectures/{code}/cybersecurity", tag = "records",
    params(("code" = String, Path, description = "The prefecture's code")),
    responses((status = 200, description = "The prefecture's and its municipalities' status", body = LawStatusOut),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not this prefecture's officer nor the ministry"),
        (status = 404, description = "Not a prefecture")))]
pub async fn api_organs_prefecture(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let pref = prefecture(&session, &code)?;
    let n = state
        .app
        .law_status(kaitei_app::now().date(), |b| b.prefecture == pref.code)
        .await?;
    Ok(Json(law_out(&n)).into_response())
}
