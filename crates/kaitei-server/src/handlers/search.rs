//! Search across the editions and the policies a user may see.

use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::search::{HitGroup, QueryProblem};
use kaitei_model::{BodyCode, DocumentKind, registry};
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
    /// The page of hits, from 1 (the page only).
    page: Option<String>,
}

/// A hit as shown: where it is (its label path and title), its link, and
/// the matched text cut into (text, highlighted) pieces.
#[derive(Serialize)]
struct HitView {
    path: String,
    title: Option<String>,
    section: Option<String>,
    link: String,
    pieces: Vec<(String, bool)>,
}

/// A document's hits as shown.
#[derive(Serialize)]
struct GroupView {
    /// The document, in words (an edition's name; a body and its version).
    document: String,
    /// The document's page.
    link: String,
    /// Its hits on every page.
    in_document: usize,
    hits: Vec<HitView>,
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

/// Whether the user may see a document of `kind`, `body` and `public`:
/// the authorisation module's rules, for the search to apply.
fn visibility(session: &Session) -> impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool + use<> {
    let principal = session.principal.clone();
    move |kind: DocumentKind, body: Option<BodyCode>, public: bool| match (kind, body) {
        (DocumentKind::Guideline, _) => crate::auth::allowed(&principal, Access::Editions),
        (DocumentKind::Policy, Some(body)) => {
            crate::auth::allowed(&principal, Access::Policy { body, public })
        }
        (DocumentKind::Policy, None) => false,
    }
}

fn group_view(g: HitGroup, q: &str) -> GroupView {
    let enc = super::percent_encode;
    let (document, link, base) = match (g.kind, g.body) {
        (DocumentKind::Policy, Some(body)) => {
            let name = registry().get(body).map_or("", |b| b.name.as_str());
            (
                format!("{body} {name}（{}）", g.edition),
                format!("/bodies/{body}/policy"),
                format!("/bodies/{body}/policy#"),
            )
        }
        _ => (
            g.edition.clone(),
            format!("/editions/{}", enc(&g.edition)),
            format!("/editions/{}/clauses/", enc(&g.edition)),
        ),
    };
    GroupView {
        document,
        link,
        in_document: g.in_document,
        hits: g
            .hits
            .into_iter()
            .map(|h| HitView {
                path: h.path.join(" / "),
                title: h.title,
                section: h.section,
                link: format!("{base}{}", enc(&h.key)),
                pieces: pieces(&h.text, q),
            })
            .collect(),
    }
}

/// `GET /search?q=…[&page=N]`: clauses of the editions and policies the
/// user may see, documents newest first, a page at a time. A query too
/// short or too long is said on the page, in the user's language.
pub async fn search_page(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<SearchQuery>,
) -> Result<Html<String>, AppError> {
    session.require(Access::SignedIn)?;
    let q = query.q.unwrap_or_default();
    let page = query
        .page
        .as_deref()
        .and_then(|p| p.trim().parse::<usize>().ok())
        .unwrap_or(1);
    let lang = session.lang;
    let (found, hint) = if q.trim().is_empty() {
        (None, None)
    } else {
        match state.app.search(&q, visibility(&session), page).await? {
            Ok(found) => (Some(found), None),
            Err(QueryProblem::TooShort) => (
                None,
                Some(tr(
                    lang,
                    "2文字以上で検索してください。1文字の語は、前後の語と合わせて（例：「鍵」なら「鍵の管理」）検索できます。",
                    &[],
                )),
            ),
            Err(QueryProblem::TooLong) => (
                None,
                Some(tr(
                    lang,
                    "検索語は{0}文字までです。短くして検索してください。",
                    &[&kaitei_app::search::MAX_CHARS.to_string()],
                )),
            ),
        }
    };
    let pages = found.as_ref().map(|f| {
        let link = |n: usize| format!("/search?q={}&page={n}", super::percent_encode(&q));
        minijinja::context! {
            page => f.page,
            pages => f.pages,
            previous => (f.page > 1).then(|| link(f.page - 1)),
            next => (f.page < f.pages).then(|| link(f.page + 1)),
        }
    });
    let summary = found.as_ref().map(|f| {
        let shown = f.groups.iter().map(|g| g.hits.len()).sum::<usize>();
        let last = f.first + shown.saturating_sub(1);
        let total = if f.more {
            tr(lang, "{0} 件以上", &[&f.total.to_string()])
        } else {
            tr(lang, "{0} 件", &[&f.total.to_string()])
        };
        if f.total == 0 {
            tr(lang, "「{0}」に当たる条項はありません。", &[&q])
        } else {
            tr(
                lang,
                "「{0}」：{1}（{2}〜{3} 件目）",
                &[&q, &total, &f.first.to_string(), &last.to_string()],
            )
        }
    });
    let groups: Vec<GroupView> = found
        .map(|f| f.groups.into_iter().map(|g| group_view(g, &q)).collect())
        .unwrap_or_default();
    render(
        &state,
        &session,
        "search.html",
        minijinja::context! {
            title => if q.trim().is_empty() { tr(lang, "検索", &[]) } else { tr(lang, "「{0}」の検索結果", &[&q]) },
            q,
            hint,
            summary,
            groups,
            pages,
        },
    )
}

/// A clause that holds the searched words.
#[derive(Serialize, utoipa::ToSchema)]
struct HitOut {
    kind: &'static str,
    edition: String,
    body: Option<String>,
    key: String,
    label: String,
    /// Its label path, from the top of the document down.
    path: Vec<String>,
    /// Its title or caption.
    title: Option<String>,
    text: String,
}

/// `GET /api/v1/search?q=…`
#[utoipa::path(get, path = "/api/v1/search", tag = "search",
    params(("q" = String, Query, description = "Two characters or more (a bigram index: 監査 is found)")),
    responses((status = 200, description = "Hits in what the user may see, at most 200: guideline editions first, each document newest first, a document's hits in its order", body = [HitOut]),
        (status = 400, description = "Fewer than two characters"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_search(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    session.require(Access::SignedIn)?;
    let q = query.q.as_deref().unwrap_or_default();
    match kaitei_app::search::check_query(q) {
        Ok(()) => {}
        Err(QueryProblem::TooShort) => {
            return Err(AppError::BadRequest(
                "search for at least two characters".into(),
            ));
        }
        Err(QueryProblem::TooLong) => {
            return Err(AppError::BadRequest(
                "search for at most 100 characters".into(),
            ));
        }
    }
    let hits = state.store().search(q, visibility(&session)).await?;
    let out: Vec<HitOut> = hits
        .into_iter()
        .map(|h| HitOut {
            kind: h.kind.as_str(),
            edition: h.edition,
            body: h.body.map(|b| b.to_string()),
            key: h.key,
            label: h.label,
            path: h.path,
            title: h.title,
            text: h.text,
        })
        .collect();
    Ok(axum::Json(out).into_response())
}
