//! A body marks its policy published (readable by every signed-in user) or
//! withdraws it (its officers, its prefecture's status view and the
//! ministry only).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::policy::policy_with_id;
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::session::Session;

/// The publish form and API body.
#[derive(Deserialize)]
pub struct PublishForm {
    /// `1`/`true`: publish; `0`/`false`: withdraw.
    published: String,
    // Missing is refused by the check, after who may is decided.
    #[serde(default)]
    csrf: String,
}

fn flag(value: &str) -> Result<bool, AppError> {
    match value {
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        other => Err(AppError::BadRequest(format!(
            "published is 1 or 0 (true or false), not {other:?}"
        ))),
    }
}

/// Who may, then the change: returns the body.
async fn set(
    state: &AppState,
    session: &Session,
    code: &str,
    token: &str,
    published: &str,
) -> Result<kaitei_model::BodyCode, AppError> {
    let (id, doc) = policy_with_id(state, session, code).await?;
    let body = doc.meta.body.ok_or(AppError::NotFound)?;
    session.require(Access::EditPolicy { body })?;
    session.check_csrf(token)?;
    state
        .store
        .set_policy_published(id, flag(published)?)
        .await?;
    Ok(body)
}

/// `POST /bodies/{code}/policy/published`
pub async fn publish(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    axum::extract::Form(form): axum::extract::Form<PublishForm>,
) -> Result<Response, AppError> {
    let body = set(&state, &session, &code, &form.csrf, &form.published).await?;
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/bodies/{body}/policy"))],
    )
        .into_response())
}

/// The API's body: `{"published": true}`.
#[derive(Deserialize)]
pub struct PublishJson {
    published: bool,
}

/// `POST /api/v1/bodies/{code}/policy/published` with `{"published": bool}`
/// and the CSRF token in `X-CSRF-Token`: 204.
pub async fn api_publish(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(code): Path<String>,
    axum::Json(body): axum::Json<PublishJson>,
) -> Result<Response, AppError> {
    // The header token, checked in `set` after who may is decided.
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    set(
        &state,
        &session,
        &code,
        &token,
        if body.published { "1" } else { "0" },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
