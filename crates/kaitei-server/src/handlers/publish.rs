//! A body makes its policy public (readable by every signed-in user) or
//! withdraws it (its officers, its prefecture's status view and the
//! ministry only). Not the policy's publication date (`published`).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::api_csrf;
use super::policy::{Visible, editable_policy};
use crate::AppState;
use crate::error::AppError;
use crate::session::Session;

/// The publish form and API body.
#[derive(Deserialize)]
pub struct PublishForm {
    /// `1`/`true`: make public; `0`/`false`: withdraw.
    public: String,
    // Missing is refused by the check, after who may is decided.
    #[serde(default)]
    csrf: String,
}

fn flag(value: &str) -> Result<bool, AppError> {
    match value {
        "1" | "true" => Ok(true),
        "0" | "false" => Ok(false),
        other => Err(AppError::BadRequest(format!(
            "public is 1 or 0 (true or false), not {other:?}"
        ))),
    }
}

/// `POST /bodies/{code}/policy/public`
pub async fn publish(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    axum::extract::Form(form): axum::extract::Form<PublishForm>,
) -> Result<Response, AppError> {
    let Visible { id, body, .. } = editable_policy(&state, &session, &code).await?;
    session.check_csrf(&form.csrf)?;
    let public = flag(&form.public)?;
    state.store().set_policy_public(id, public).await?;
    // Back to the policy, which confirms what was done.
    let done = if public { "public" } else { "private" };
    Ok(super::see_other(super::policy_page::policy_done(
        body, done,
    )))
}

/// The API's body: `{"public": true}`.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct PublishJson {
    public: bool,
}

/// `POST /api/v1/bodies/{code}/policy/public` with `{"public": bool}`
/// and the CSRF token in `X-CSRF-Token`: 204.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/policy/public", tag = "policies",
    params(("code" = String, Path, description = "The body's six-digit code (全国地方公共団体コード)")),
    request_body = PublishJson,
    responses((status = 204, description = "Made public (every signed-in user but vendors may read it) or withdrawn"),
        (status = 400, description = "Malformed: the message names the field"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed, or a wrong or missing `X-CSRF-Token`"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_publish(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(code): Path<String>,
    axum::Json(body): axum::Json<PublishJson>,
) -> Result<Response, AppError> {
    let id = editable_policy(&state, &session, &code).await?.id;
    api_csrf(&session, &headers)?;
    state.store().set_policy_public(id, body.public).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
