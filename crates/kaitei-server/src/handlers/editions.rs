//! Guideline editions: the list, an edition's clause tree, a clause, the
//! 新旧対照表 between two editions.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use kaitei_compare::view::lay_out;
use kaitei_compare::{KeyUse, compare};
use kaitei_format::export;
use kaitei_format::table::{TableOptions, docx, html, json, text, xlsx};
use kaitei_model::{Document, DocumentKind};
use kaitei_store::DocumentRef;
use serde::{Deserialize, Serialize};

use super::{checked, date, json_response, render};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

#[derive(Serialize)]
pub(super) struct EditionSummary {
    pub(super) edition: String,
    title: String,
    pub(super) published: Option<String>,
    published_wareki: Option<String>,
    clauses: i64,
}

pub(super) async fn editions(state: &AppState) -> Result<Vec<EditionSummary>, AppError> {
    Ok(state
        .store
        .list()
        .await?
        .into_iter()
        .filter(|d| d.kind == DocumentKind::Guideline)
        .map(|d| EditionSummary {
            edition: d.edition,
            title: d.title,
            published: d.published.map(|p| p.to_string()),
            published_wareki: d.published.map(|p| p.wareki()),
            clauses: d.node_count,
        })
        .collect())
}

pub(super) async fn edition(
    state: &AppState,
    name: &str,
) -> Result<std::sync::Arc<Document>, AppError> {
    if let Some(doc) = state
        .editions
        .read()
        .ok()
        .and_then(|c| c.get(name).cloned())
    {
        return Ok(doc);
    }
    let doc = std::sync::Arc::new(
        state
            .store
            .get(&DocumentRef::Edition(name.to_string()))
            .await?
            .ok_or(AppError::NotFound)?,
    );
    if let Ok(mut cache) = state.editions.write() {
        cache.insert(name.to_string(), doc.clone());
    }
    Ok(doc)
}

/// `GET /`: the editions.
pub async fn editions_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    session.require(Access::Editions)?;
    let list = editions(&state).await?;
    render(
        &state,
        &session,
        "editions.html",
        minijinja::context! { title => tr(session.lang, "ガイドラインの版", &[]), editions => list },
    )
}

#[derive(Serialize)]
struct NodeView {
    depth: usize,
    key: String,
    label: String,
    title: Option<String>,
    paragraphs: Vec<String>,
    commentary: Vec<String>,
    from: Option<String>,
    status: Option<&'static str>,
}

fn nodes(doc: &Document) -> Vec<NodeView> {
    doc.located()
        .into_iter()
        .map(|l| NodeView {
            depth: l.path.len() - 1,
            key: l.node.key.to_string(),
            label: l
                .node
                .label
                .as_ref()
                .map(|x| x.written().to_string())
                .unwrap_or_default(),
            title: l.node.title.clone(),
            paragraphs: l.node.paragraphs.clone(),
            commentary: l.node.commentary.clone(),
            from: l.node.from.as_ref().map(|k| k.to_string()),
            status: l.node.status.map(|s| s.as_str()),
        })
        .collect()
}

/// `GET /editions/{edition}`: the clause tree, example text and commentary side by side.
pub async fn edition_page(
    State(state): State<AppState>,
    session: Session,
    Path(name): Path<String>,
) -> Result<Html<String>, AppError> {
    session.require(Access::Editions)?;
    let doc = edition(&state, checked(&name)?).await?;
    render(
        &state,
        &session,
        "document.html",
        document_context(&doc, format!("/editions/{}/clauses/", doc.meta.edition)),
    )
}

/// What `document.html` shows of any document (an edition or a policy),
/// its clauses linking to `link_base` + key.
pub(super) fn document_context(doc: &Document, link_base: String) -> minijinja::Value {
    minijinja::context! {
        title => format!("{}（{}）", doc.meta.title, doc.meta.edition),
        edition => doc.meta.edition.clone(),
        published => date(doc.meta.published),
        nodes => nodes(doc),
        link_base,
    }
}

/// `GET /editions/{edition}/clauses/{key}`: one clause, deep-linkable.
pub async fn clause_page(
    State(state): State<AppState>,
    session: Session,
    Path((name, key)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    session.require(Access::Editions)?;
    let doc = edition(&state, checked(&name)?).await?;
    let (path, node) = doc.locate(checked(&key)?).ok_or(AppError::NotFound)?;
    let path = path.join(" / ");
    render(
        &state,
        &session,
        "clause.html",
        minijinja::context! {
            title => format!("{path} {}", node.title.clone().unwrap_or_default()),
            edition => doc.meta.edition.clone(),
            path,
            label => node.label.as_ref().map(|l| l.written().to_string()),
            node_title => node.title.clone(),
            paragraphs => node.paragraphs.clone(),
            commentary => node.commentary.clone(),
        },
    )
}

/// Query of the comparison routes.
#[derive(Deserialize)]
pub struct DiffQuery {
    old: String,
    new: String,
    format: Option<String>,
    context: Option<usize>,
}

async fn diff_docs(
    state: &AppState,
    q: &DiffQuery,
) -> Result<(std::sync::Arc<Document>, std::sync::Arc<Document>), AppError> {
    Ok((
        edition(state, checked(&q.old)?).await?,
        edition(state, checked(&q.new)?).await?,
    ))
}

/// `GET /diff?old=…&new=…[&format=html|docx|xlsx|json|text][&context=N]`: the
/// 新旧対照表. Editions never change, so each rendering is made once.
pub async fn diff_page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<DiffQuery>,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    let format: &'static str = match q.format.as_deref().unwrap_or("html") {
        "html" => "html",
        "docx" => "docx",
        "xlsx" => "xlsx",
        "json" => "json",
        "text" => "text",
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown format {other:?}: use html, docx, xlsx, json or text"
            )));
        }
    };
    let bytes = comparison(&state, &q, format, q.context.unwrap_or(0).min(20)).await?;
    let content_type = match format {
        "html" => "text/html; charset=utf-8",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "text" => "text/plain; charset=utf-8",
        _ => "application/json",
    };
    let mut response = ([(header::CONTENT_TYPE, content_type)], bytes).into_response();
    if matches!(format, "docx" | "xlsx") {
        response.headers_mut().insert(
            header::CONTENT_DISPOSITION,
            header::HeaderValue::from_str(&format!("attachment; filename=\"shinkyu.{format}\""))
                .map_err(|e| AppError::Internal(e.to_string()))?,
        );
    }
    Ok(response)
}

/// The 新旧対照表 `q` asks for, in `format`, from the cache or made now.
async fn comparison(
    state: &AppState,
    q: &DiffQuery,
    format: &'static str,
    context: usize,
) -> Result<axum::body::Bytes, AppError> {
    let key = (
        checked(&q.old)?.to_string(),
        checked(&q.new)?.to_string(),
        format,
        context,
    );
    if let Some(bytes) = state.outputs.get(&key) {
        return Ok(bytes);
    }
    // One rendering at a time: requests arriving meanwhile for the same
    // table wait for it instead of each making it again.
    let _making = state.outputs.making.lock().await;
    if let Some(bytes) = state.outputs.get(&key) {
        return Ok(bytes);
    }
    let (old, new) = diff_docs(state, q).await?;
    let made = tokio::task::spawn_blocking(move || render_comparison(&old, &new, format, context))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??;
    let bytes = axum::body::Bytes::from(made);
    state.outputs.put(key, bytes.clone());
    Ok(bytes)
}

/// The 新旧対照表 of `old` → `new` in `format` (checked by the caller).
fn render_comparison(
    old: &Document,
    new: &Document,
    format: &str,
    context: usize,
) -> Result<Vec<u8>, AppError> {
    let cmp = compare(old, new, KeyUse::All);
    Ok(match format {
        "html" => {
            html::to_html(&cmp, &lay_out(&cmp, context), &TableOptions::default()).into_bytes()
        }
        "docx" => docx::to_docx(&cmp, &lay_out(&cmp, context), &TableOptions::default()),
        "xlsx" => xlsx::to_xlsx(&cmp).map_err(AppError::Internal)?,
        "text" => text::render(&lay_out(&cmp, context), false).into_bytes(),
        _ => json::to_json(&cmp).into_bytes(),
    })
}

/// `GET /api/v1/editions`
pub async fn api_editions(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    Ok(axum::Json(editions(&state).await?).into_response())
}

/// `GET /api/v1/editions/{edition}`: the edition in the export schema.
pub async fn api_edition(
    State(state): State<AppState>,
    session: Session,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    let doc = edition(&state, checked(&name)?).await?;
    Ok(json_response(export::to_json(&doc)))
}

/// `GET /api/v1/diff?old=…&new=…`: the comparison in the `CONTRACTS.md` schema.
pub async fn api_diff(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<DiffQuery>,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    let bytes = comparison(&state, &q, "json", 0).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}
