//! The consultation API: the consultations a user may see, its body's
//! answer read, replaced (all or nothing) and submitted — the same rules
//! as the pages (`auth`), the same checks as the Excel form
//! (`check_answer`).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use kaitei_app::consultations::check_answer;
use kaitei_model::consultation::{CommentInput, CommentType, Step};
use serde::{Deserialize, Serialize};

use super::consultation::{answering, listed, now};
use super::{api_csrf, editor};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::session::Session;

/// A consultation as the API lists it.
#[derive(Serialize, utoipa::ToSchema)]
struct ConsultationOut {
    id: String,
    title: String,
    /// Opening time, RFC 3339 in Japan time.
    opens: String,
    /// Closing time.
    closes: String,
    /// `all`, `prefecture`, `vendors` or `list`.
    audience: &'static str,
    /// `direct` or `prefectures`.
    routing: &'static str,
}

/// `GET /api/v1/consultations`
#[utoipa::path(get, path = "/api/v1/consultations", tag = "consultations",
    responses((status = 200, description = "The consultations this user is asked in (every one for the ministry and the committee)", body = [ConsultationOut]),
        (status = 401, description = "Not signed in")))]
pub async fn api_consultations(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::SignedIn)?;
    let list: Vec<ConsultationOut> = listed(&state, &session)
        .await?
        .into_iter()
        .map(|c| ConsultationOut {
            id: c.plan.id.to_string(),
            title: c.title.clone(),
            opens: c.plan.window.opens.to_string(),
            closes: c.plan.window.closes.to_string(),
            audience: c.plan.audience.kind_str(),
            routing: c.plan.routing.as_str(),
        })
        .collect();
    Ok(axum::Json(list).into_response())
}

/// One comment, in and out.
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct CommentJson {
    /// Its id (`R8-1-0042`); ignored on the way in.
    #[serde(default)]
    id: String,
    /// The clause's key.
    clause: String,
    /// The words quoted (empty: the whole clause).
    #[serde(default)]
    quote: String,
    /// `question`, `opinion` or `error` (or 質問, 意見, 誤り).
    kind: String,
    /// The comment.
    #[serde(default)]
    text: String,
    /// A proposed wording.
    #[serde(default)]
    proposal: String,
}

/// The user's body's answer.
#[derive(Serialize, utoipa::ToSchema)]
struct AnswerOut {
    /// `draft`, `submitted`, `returned` or `forwarded` (`draft` before the first save).
    status: &'static str,
    no_comment: bool,
    /// The prefecture's note when it returned the answer.
    note: String,
    /// The base of the next change.
    version: i64,
    comments: Vec<CommentJson>,
}

/// A whole answer, replacing the one in preparation.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AnswerIn {
    /// The answer's version the change is based on (0 before the first save).
    base: i64,
    #[serde(default)]
    no_comment: bool,
    comments: Vec<CommentJson>,
}

/// `GET /api/v1/consultations/{id}/answer`
#[utoipa::path(get, path = "/api/v1/consultations/{id}/answer", tag = "consultations",
    params(("id" = String, Path, description = "The consultation's id (R8-1)")),
    responses((status = 200, description = "The user's body's (or vendor's) answer, in preparation or sent", body = AnswerOut),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "The user answers for no one asked here"),
        (status = 404, description = "No such consultation, or not one this user may see")))]
pub async fn api_answer(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (c, _, r) = answering(&state, &session, &id).await?;
    let answer = state.store().answer(c.plan.id.as_str(), &r).await?;
    let out = match answer {
        None => AnswerOut {
            status: "draft",
            no_comment: false,
            note: String::new(),
            version: 0,
            comments: Vec::new(),
        },
        Some(a) => AnswerOut {
            status: a.status.as_str(),
            no_comment: a.no_comment,
            note: a.note.clone(),
            version: a.version,
            comments: a
                .comments
                .iter()
                .map(|s| CommentJson {
                    id: s.id.clone(),
                    clause: s.comment.clause.clone(),
                    quote: s.comment.quote.exact.clone(),
                    kind: s.comment.kind.as_str().to_string(),
                    text: s.comment.text.clone(),
                    proposal: s.comment.proposal.clone(),
                })
                .collect(),
        },
    };
    Ok(axum::Json(out).into_response())
}

/// `POST /api/v1/consultations/{id}/answer`: replaces the answer in
/// preparation, all or nothing.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/answer", tag = "consultations",
    params(("id" = String, Path, description = "The consultation's id (R8-1)")),
    request_body = AnswerIn,
    responses((status = 204, description = "Stored"),
        (status = 400, description = "A comment is wrong (`comments[N]: FIELD: reason`, every one listed), the window is closed, or the answer was sent: nothing was stored"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed, or a wrong or missing `X-CSRF-Token`"),
        (status = 404, description = "No such consultation, or not one this user may see"),
        (status = 409, description = "Changed by a colleague since `base`: nothing was stored")))]
pub async fn api_save_answer(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
    axum::Json(form): axum::Json<AnswerIn>,
) -> Result<Response, AppError> {
    let (c, subject, r) = answering(&state, &session, &id).await?;
    api_csrf(&session, &headers)?;
    // Every comment checked, every error listed (by index), nothing
    // stored unless all pass.
    let mut errors: Vec<(usize, String)> = Vec::new();
    let inputs: Vec<CommentInput> = form
        .comments
        .iter()
        .enumerate()
        .map(|(i, j)| {
            let kind = CommentType::parse(&j.kind).unwrap_or_else(|| {
                errors.push((
                    i,
                    format!("kind: {:?} is not question, opinion or error", j.kind),
                ));
                CommentType::Opinion
            });
            CommentInput {
                clause: j.clause.clone(),
                quote: j.quote.clone(),
                kind,
                text: j.text.clone(),
                proposal: j.proposal.clone(),
            }
        })
        .collect();
    let checked = check_answer(&subject, &inputs);
    if let Err(e) = &checked {
        errors.extend(e.iter().map(|(i, e)| (*i, e.to_string())));
    }
    if !errors.is_empty() {
        errors.sort_by_key(|(i, _)| *i);
        let lines: Vec<String> = errors
            .iter()
            .map(|(i, m)| format!("comments[{i}]: {m}"))
            .collect();
        return Err(AppError::BadRequest(lines.join("\n")));
    }
    let comments = checked.map_err(|_| AppError::Internal("checked above".into()))?;
    state
        .store()
        .save_answer(
            &c,
            &r,
            &comments,
            form.no_comment,
            form.base,
            &editor(&session)?,
            now(),
            "edited",
        )
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// `POST /api/v1/consultations/{id}/answer/submit`
#[utoipa::path(post, path = "/api/v1/consultations/{id}/answer/submit", tag = "consultations",
    params(("id" = String, Path, description = "The consultation's id (R8-1)")),
    responses((status = 204, description = "Submitted (to the prefecture when relayed)"),
        (status = 400, description = "Empty, already sent, or the window closed: the message says which"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "No right to submit, or a wrong or missing `X-CSRF-Token`"),
        (status = 404, description = "No such consultation, or not one this user may see")))]
pub async fn api_submit_answer(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (c, _, r) = answering(&state, &session, &id).await?;
    api_csrf(&session, &headers)?;
    session.require(Access::SubmitAnswer {
        respondent: r.clone(),
    })?;
    state
        .store()
        .answer_step(&c, &r, Step::Submit, "", &editor(&session)?, now())
        .await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}
