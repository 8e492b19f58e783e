//! Pages and API handlers: extract, ask the authorisation module, call the
//! store or the engine, render. One module per part of the application.

mod dashboard;
mod editions;
mod policy;
mod prefecture;
mod publish;
mod review;
mod search;

pub use dashboard::*;
pub use editions::*;
pub use policy::*;
pub use prefecture::*;
pub use publish::*;
pub use review::*;
pub use search::*;

use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};

use crate::AppState;
use crate::auth::Principal;
use crate::error::AppError;
use crate::session::Session;

/// Longest edition name or key accepted in a URL.
const MAX_NAME: usize = 200;

fn checked(s: &str) -> Result<&str, AppError> {
    if s.is_empty() || s.len() > MAX_NAME {
        return Err(AppError::BadRequest(format!(
            "names are 1 to {MAX_NAME} bytes long"
        )));
    }
    Ok(s)
}

/// An edition's name from a URL: over the limits is a bad request, a
/// character no name holds is not found.
fn edition_name(s: &str) -> Result<kaitei_model::EditionName, AppError> {
    kaitei_model::EditionName::parse(checked(s)?).map_err(|_| AppError::NotFound)
}

/// `s` with every byte but RFC 3986's unreserved characters
/// percent-encoded: safe in a URL's query and in RFC 5987 `filename*`.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn render(
    state: &AppState,
    session: &Session,
    name: &str,
    ctx: minijinja::Value,
) -> Result<Html<String>, AppError> {
    let user = match &session.principal {
        Principal::User(u) => Some(minijinja::context! {
            login => u.login.clone(),
            role => u.role.as_str(),
            body => u.body.map(|b| b.to_string()),
        }),
        Principal::Anonymous => None,
    };
    let t = state
        .templates
        .get_template(name)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let lang = session.lang;
    t.render(minijinja::context! {
        user,
        csrf => session.csrf.clone(),
        lang => lang.code(),
        other_lang => lang.other().code(),
        here => session.here.clone(),
        ..ctx
    })
    .map(Html)
    .map_err(|e| AppError::Internal(e.to_string()))
}

fn date(d: Option<kaitei_model::Date>) -> Option<String> {
    d.map(|d| format!("{d}（{}）", d.wareki()))
}

/// `GET /api/v1/openapi.json`: public; describes the API, reveals no data.
pub async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("../openapi.json"),
    )
}

/// A response of JSON text already written.
fn json_response(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Anything else.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// `GET /static/{file}`: the vendored client code (public; the name holds
/// the version, so it may be kept long).
pub async fn static_file(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    match file.as_str() {
        HTMX_FILE => (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            HTMX,
        )
            .into_response(),
        _ => AppError::NotFound.into_response(),
    }
}

const HTMX_FILE: &str = "htmx-2.0.11.min.js";
const HTMX: &str = include_str!("../../static/htmx-2.0.11.min.js");

/// Who is changing something (their login), for the history.
pub(super) fn editor(session: &Session) -> Result<String, AppError> {
    match &session.principal {
        Principal::User(u) => Ok(u.login.clone()),
        Principal::Anonymous => Err(AppError::Forbidden),
    }
}

/// The API's CSRF token: the `X-CSRF-Token` header.
pub(super) fn api_csrf(session: &Session, headers: &HeaderMap) -> Result<(), AppError> {
    let sent = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    session.check_csrf(sent)
}
