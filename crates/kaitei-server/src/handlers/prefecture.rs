//! A prefecture's view of its municipalities: which edition each body's
//! policy derives from, whether the body made it public, and how much the
//! latest edition affects it — status, never text. Each row is shown only
//! to those who may see that body's status (its prefecture's officers, the
//! body's own, the ministry; anyone signed in once public).

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use kaitei_model::{BodyKind, registry};
use kaitei_store::PolicyScope;
use serde::Serialize;

use super::dashboard::national;
use super::{checked, render};
use crate::AppState;
use crate::auth::{Access, allowed};
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// One body's status.
#[derive(Serialize)]
struct StatusRow {
    code: String,
    name: String,
    /// The policy's version name (`None`: no policy stored).
    policy: Option<String>,
    /// The guideline edition it derives from.
    derived_from: Option<String>,
    /// Whether the body made it public.
    public: bool,
    /// Affected clauses by the latest edition: high, medium, low (`None`:
    /// follows the latest, or provenance not recorded).
    affected: Option<[usize; 3]>,
    /// Whether the user may read the policy's text (a link).
    readable: bool,
}

/// The prefecture's status as this user may see it.
#[derive(Serialize)]
struct PrefectureStatus {
    code: String,
    name: String,
    latest: Option<String>,
    made_at: String,
    /// The prefecture's bodies this user may not see the status of.
    hidden: usize,
    rows: Vec<StatusRow>,
}

async fn status(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<PrefectureStatus, AppError> {
    session.require(Access::SignedIn)?;
    let pref = registry()
        .lookup(checked(code)?)
        .ok()
        .filter(|b| b.kind == BodyKind::Prefecture)
        .ok_or(AppError::NotFound)?;
    let current: std::collections::HashMap<_, _> = state
        .store()
        .current_policies(PolicyScope::Latest)
        .await?
        .into_iter()
        .map(|p| (p.body, p))
        .collect();
    let figures = national(state).await?;
    let mut rows = Vec::new();
    let mut hidden = 0;
    for body in registry()
        .all()
        .iter()
        .filter(|b| b.prefecture == pref.code)
    {
        let policy = current.get(&body.code);
        let public = policy.is_some_and(|p| p.public);
        if !allowed(
            &session.principal,
            Access::PolicyStatus {
                body: body.code,
                public,
            },
        ) {
            hidden += 1;
            continue;
        }
        rows.push(StatusRow {
            code: body.code.to_string(),
            name: body.name.clone(),
            policy: policy.map(|p| p.version.clone()),
            derived_from: policy.and_then(|p| p.derived_from.clone()),
            public,
            affected: figures.per_body.get(&body.code).copied().flatten(),
            readable: policy.is_some()
                && allowed(
                    &session.principal,
                    Access::Policy {
                        body: body.code,
                        public,
                    },
                ),
        });
    }
    Ok(PrefectureStatus {
        code: pref.code.to_string(),
        name: pref.name.clone(),
        latest: figures.latest.clone(),
        made_at: figures.made_at.clone(),
        hidden,
        rows,
    })
}

/// `GET /prefectures/{code}/status`
pub async fn prefecture_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Html<String>, AppError> {
    let s = status(&state, &session, &code).await?;
    render(
        &state,
        &session,
        "prefecture.html",
        minijinja::context! {
            title => tr(session.lang, "{0} 管内の状況", &[&s.name]),
            s,
        },
    )
}

/// `GET /api/v1/prefectures/{code}/status`
pub async fn api_prefecture(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    Ok(axum::Json(status(&state, &session, &code).await?).into_response())
}
