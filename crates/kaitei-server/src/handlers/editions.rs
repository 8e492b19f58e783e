//! Guideline editions: the list, an edition's clause tree, a clause, the
//! 新旧対照表 between two editions.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::TableFormat;
use kaitei_app::table::Layout;
use kaitei_format::export;
use kaitei_model::Document;
use serde::{Deserialize, Serialize};

use super::{checked, date, edition_name, json_response, render};
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
        .app
        .editions()
        .await?
        .into_iter()
        .map(|d| EditionSummary {
            edition: d.edition,
            title: d.title,
            published: d.published.map(|p| p.to_string()),
            published_wareki: d.published.map(|p| p.wareki()),
            clauses: d.clauses,
        })
        .collect())
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
    let doc = state.app.edition(&edition_name(&name)?).await?;
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
    let doc = state.app.edition(&edition_name(&name)?).await?;
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

/// `GET /diff?old=…&new=…[&format=html|docx|xlsx|json|text][&context=N]`: the
/// 新旧対照表. Editions never change, so each rendering is made once.
pub async fn diff_page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<DiffQuery>,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    let format: TableFormat = q
        .format
        .as_deref()
        .unwrap_or("html")
        .parse()
        .map_err(|e: kaitei_app::table::UnknownFormat| AppError::BadRequest(e.to_string()))?;
    let bytes = comparison(&state, &q, format, q.context.unwrap_or(0).min(20)).await?;
    let mut response = ([(header::CONTENT_TYPE, format.content_type())], bytes).into_response();
    if format.is_binary() {
        response.headers_mut().insert(
            header::CONTENT_DISPOSITION,
            header::HeaderValue::from_str(&format!(
                "attachment; filename=\"shinkyu.{}\"",
                format.extension()
            ))
            .map_err(|e| AppError::Internal(e.to_string()))?,
        );
    }
    Ok(response)
}

/// The 新旧対照表 `q` asks for, in `format`, from the cache or made now.
async fn comparison(
    state: &AppState,
    q: &DiffQuery,
    format: TableFormat,
    context: usize,
) -> Result<axum::body::Bytes, AppError> {
    let (old, new) = (edition_name(&q.old)?, edition_name(&q.new)?);
    let key = (old.clone(), new.clone(), format, context);
    if let Some(bytes) = state.outputs.get(&key) {
        return Ok(bytes);
    }
    // One rendering at a time: requests arriving meanwhile for the same
    // table wait for it instead of each making it again.
    let _making = state.outputs.making.lock().await;
    if let Some(bytes) = state.outputs.get(&key) {
        return Ok(bytes);
    }
    let layout = Layout {
        context,
        ..Layout::default()
    };
    let made = state.app.edition_table(&old, &new, format, layout).await?;
    state.outputs.count_rendering();
    let bytes = axum::body::Bytes::from(made);
    state.outputs.put(key, bytes.clone());
    Ok(bytes)
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
    let doc = state.app.edition(&edition_name(&name)?).await?;
    Ok(json_response(export::to_json(&doc)))
}

/// `GET /api/v1/diff?old=…&new=…`: the comparison in the `CONTRACTS.md` schema.
pub async fn api_diff(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<DiffQuery>,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    let bytes = comparison(&state, &q, TableFormat::Json, 0).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}
