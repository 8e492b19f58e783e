//! Pages and API handlers: extract, ask the authorisation module, call the
//! store or the engine, render. One module per part of the application.

mod dashboard;
mod editions;
mod policy;
mod search;

pub use dashboard::*;
pub use editions::*;
pub use policy::*;
pub use search::*;

use axum::http::header;
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

fn render(
    state: &AppState,
    session: &Session,
    name: &str,
    ctx: minijinja::Value,
) -> Result<Html<String>, AppError> {
    let user = match &session.principal {
        Principal::User(u) => {
            Some(minijinja::context! { login => u.login.clone(), role => u.role.as_str() })
        }
        Principal::Anonymous => None,
    };
    let t = state
        .templates
        .get_template(name)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    t.render(minijinja::context! { user, csrf => session.csrf.clone(), ..ctx })
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
