//! Search across the editions and the policies a user may see.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use kaitei_model::{DocumentKind, registry};
use serde::{Deserialize, Serialize};

use super::render;
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// Query of the search routes.
#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

/// A hit as shown: the matched text cut into (text, highlighted) pieces.
#[derive(Serialize)]
struct HitView {
    place: String,
    link: String,
    pieces: Vec<(String, bool)>,
}

fn pieces(text: &str, query: &str) -> Vec<(String, bool)> {
    let q = query.trim();
    let mut out = Vec::new();
    let mut rest = text;
    while !q.is_empty() {
        let Some(at) = rest.find(q) else { break };
        out.push((rest[..at].to_string(), false));
        out.push((q.to_string(), true));
        rest = &rest[at + q.len()..];
    }
    out.push((rest.to_string(), false));
    out
}

async fn search(
    state: &AppState,
    session: &Session,
    q: &str,
) -> Result<Vec<kaitei_store::Hit>, AppError> {
    if q.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "search for at most 100 characters".into(),
        ));
    }
    let principal = session.principal.clone();
    let visible =
        move |kind: DocumentKind, body: Option<kaitei_model::BodyCode>, public: bool| match (
            kind, body,
        ) {
            (DocumentKind::Guideline, _) => crate::auth::allowed(&principal, Access::Editions),
            (DocumentKind::Policy, Some(body)) => {
                crate::auth::allowed(&principal, Access::Policy { body, public })
            }
            (DocumentKind::Policy, None) => false,
        };
    Ok(state.store().search(q, visible).await?)
}

/// `GET /search?q=…`: clauses of the editions and policies the user may see.
pub async fn search_page(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<SearchQuery>,
) -> Result<Html<String>, AppError> {
    session.require(Access::SignedIn)?;
    let q = query.q.unwrap_or_default();
    let hits = if q.trim().is_empty() {
        Vec::new()
    } else {
        search(&state, &session, &q).await?
    };
    let views: Vec<HitView> = hits
        .iter()
        .map(|h| match (h.kind, h.body) {
            (DocumentKind::Policy, Some(body)) => HitView {
                place: format!(
                    "{} {}（{}） {}",
                    body,
                    registry().get(body).map_or("", |b| b.name.as_str()),
                    h.edition,
                    h.label
                ),
                link: format!("/bodies/{body}/policy#{}", h.key),
                pieces: pieces(&h.text, &q),
            },
            _ => HitView {
                place: format!("{} {}", h.edition, h.label),
                link: format!("/editions/{}/clauses/{}", h.edition, h.key),
                pieces: pieces(&h.text, &q),
            },
        })
        .collect();
    render(
        &state,
        &session,
        "search.html",
        minijinja::context! { title => tr(session.lang, "検索", &[]), q, hits => views, max => kaitei_store::MAX_HITS },
    )
}

#[derive(Serialize)]
struct HitOut {
    kind: &'static str,
    edition: String,
    body: Option<String>,
    key: String,
    label: String,
    text: String,
}

/// `GET /api/v1/search?q=…`
pub async fn api_search(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    session.require(Access::SignedIn)?;
    let hits = search(&state, &session, query.q.as_deref().unwrap_or_default()).await?;
    let out: Vec<HitOut> = hits
        .into_iter()
        .map(|h| HitOut {
            kind: h.kind.as_str(),
            edition: h.edition,
            body: h.body.map(|b| b.to_string()),
            key: h.key,
            label: h.label,
            text: h.text,
        })
        .collect();
    Ok(axum::Json(out).into_response())
}
