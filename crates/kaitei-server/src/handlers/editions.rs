//! Guideline editions: the list, an edition's clause tree, a clause, the
//! 新旧対照表 between two editions.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::TableFormat;
use kaitei_app::table::Layout;
use kaitei_format::export;
use kaitei_model::{Document, EditionName};
use kaitei_report::table::Columns;
use serde::{Deserialize, Serialize};

use super::{checked, date, edition_name, json_response, percent_encode, render};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// A stored guideline edition.
#[derive(Serialize, utoipa::ToSchema)]
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
    let history: Vec<_> = state
        .app
        .clause_history(node.key.as_str())
        .await?
        .into_iter()
        .map(|v| {
            minijinja::context! {
                edition => v.edition,
                path => v.path,
                text => v.text,
                change => match v.change {
                    "added" => "新設",
                    "changed" => "改正",
                    "deleted" => "削除",
                    _ => "変更なし",
                },
                changes => v.changes.into_iter().map(|c| minijinja::context! { summary => c.summary, topic => c.topic, by => c.by }).collect::<Vec<_>>(),
                comments => v.comments,
            }
        })
        .collect();
    render(
        &state,
        &session,
        "clause.html",
        minijinja::context! {
            history,
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
    /// A file to download (`docx`, `xlsx`, `html`, `json`, `text`); none:
    /// the page.
    format: Option<String>,
    /// Unchanged neighbours kept around each change.
    context: Option<usize>,
    /// `new-old` (the ministry's order) or `old-new`.
    columns: Option<String>,
}

/// Most unchanged neighbours a table keeps (the rest fold to （略））.
const MAX_CONTEXT: usize = 20;

impl DiffQuery {
    fn layout(&self) -> Result<Layout, AppError> {
        let columns = match self.columns.as_deref() {
            None | Some("new-old") => Columns::NewOld,
            Some("old-new") => Columns::OldNew,
            Some(other) => {
                return Err(AppError::BadRequest(format!(
                    "unknown column order {other:?}: use new-old or old-new"
                )));
            }
        };
        Ok(Layout {
            columns,
            context: self.context.unwrap_or(0).min(MAX_CONTEXT),
            colour: false,
        })
    }

    /// The same table in `format` (a download link).
    fn link(&self, format: Option<TableFormat>, layout: Layout) -> String {
        let enc = percent_encode;
        let columns = match layout.columns {
            Columns::NewOld => "new-old",
            Columns::OldNew => "old-new",
        };
        let mut link = format!(
            "/diff?old={}&new={}&context={}&columns={columns}",
            enc(&self.old),
            enc(&self.new),
            layout.context
        );
        if let Some(f) = format {
            link.push_str(&format!("&format={f}"));
        }
        link
    }
}

/// `GET /diff?old=…&new=…[&format=…][&context=N][&columns=…]`: the
/// 新旧対照表 — a page in the site's frame with its downloads, or (with
/// `format`) the file. Editions never change, so each rendering is made
/// once.
pub async fn diff_page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<DiffQuery>,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    let layout = q.layout()?;
    let Some(format) = q.format.as_deref() else {
        return diff_in_frame(&state, &session, &q, layout).await;
    };
    let format: TableFormat = format
        .parse()
        .map_err(|e: kaitei_app::table::UnknownFormat| AppError::BadRequest(e.to_string()))?;
    let bytes = comparison(&state, &q, Some(format), layout).await?;
    let mut response = ([(header::CONTENT_TYPE, format.content_type())], bytes).into_response();
    let name = format!(
        "新旧対照表_{}_{}.{}",
        q.old.trim(),
        q.new.trim(),
        format.extension()
    );
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        super::attachment(&name, &format!("shinkyu.{}", format.extension()))?,
    );
    Ok(response)
}

/// The 新旧対照表 page: the table in the site's frame, the column order and
/// context to choose, and every download.
async fn diff_in_frame(
    state: &AppState,
    session: &Session,
    q: &DiffQuery,
    layout: Layout,
) -> Result<Response, AppError> {
    let fragment = comparison(state, q, None, layout).await?;
    let (old, new) = (edition_name(&q.old)?, edition_name(&q.new)?);
    let list = state.app.editions().await?;
    let position = |name: &EditionName| list.iter().position(|e| *name == e.edition);
    let reversed = matches!((position(&old), position(&new)), (Some(o), Some(n)) if o > n);
    let downloads = super::table_downloads(|f| q.link(Some(f), layout));
    let html = String::from_utf8_lossy(&fragment).into_owned();
    let title = tr(
        session.lang,
        "新旧対照表：{0} → {1}",
        &[old.as_str(), new.as_str()],
    );
    Ok(render(
        state,
        session,
        "diff.html",
        minijinja::context! {
            title,
            old => old.as_str(),
            new => new.as_str(),
            same => old == new,
            reversed,
            swap_link => format!(
                "/diff?old={}&new={}",
                percent_encode(new.as_str()),
                percent_encode(old.as_str())
            ),
            columns => match layout.columns { Columns::NewOld => "new-old", Columns::OldNew => "old-new" },
            context => layout.context,
            max_context => MAX_CONTEXT,
            downloads,
            table => minijinja::Value::from_safe_string(html),
        },
    )?
    .into_response())
}

/// The 新旧対照表 `q` asks for — a file in `format`, or (`None`) the
/// fragment the page shows — from the cache or made now.
async fn comparison(
    state: &AppState,
    q: &DiffQuery,
    format: Option<TableFormat>,
    layout: Layout,
) -> Result<axum::body::Bytes, AppError> {
    let (old, new) = (edition_name(&q.old)?, edition_name(&q.new)?);
    let key = (old.clone(), new.clone(), format, layout);
    if let Some(bytes) = state.outputs.get(&key) {
        return Ok(bytes);
    }
    // One rendering at a time: requests arriving meanwhile for the same
    // table wait for it instead of each making it again.
    let _making = state.outputs.making.lock().await;
    if let Some(bytes) = state.outputs.get(&key) {
        return Ok(bytes);
    }
    let made = match format {
        Some(format) => state.app.edition_table(&old, &new, format, layout).await?,
        None => {
            let fragment = state.app.edition_table_fragment(&old, &new, layout).await?;
            if fragment.changes == 0 {
                Vec::new()
            } else {
                fragment.html.into_bytes()
            }
        }
    };
    state.outputs.count_rendering();
    let bytes = axum::body::Bytes::from(made);
    state.outputs.put(key, bytes.clone());
    Ok(bytes)
}

/// `GET /api/v1/editions`
#[utoipa::path(get, path = "/api/v1/editions", tag = "editions",
    responses((status = 200, description = "The stored guideline editions, oldest first", body = [EditionSummary]),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_editions(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    Ok(axum::Json(editions(&state).await?).into_response())
}

/// `GET /api/v1/editions/{edition}`: the edition in the export schema.
#[utoipa::path(get, path = "/api/v1/editions/{edition}", tag = "editions",
    params(("edition" = String, Path, description = "The edition's name, e.g. 令和7年3月版")),
    responses((status = 200, description = "The edition in the export schema of docs/export-json.md", body = Object),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_edition(
    State(state): State<AppState>,
    session: Session,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    let doc = state.app.edition(&edition_name(&name)?).await?;
    Ok(json_response(export::to_json(&doc)))
}

/// `GET /api/v1/diff?old=…&new=…`: the comparison in the schema of `docs/cli.md`.
#[utoipa::path(get, path = "/api/v1/diff", tag = "editions",
    params(("old" = String, Query, description = "The old edition's name"),
        ("new" = String, Query, description = "The new edition's name")),
    responses((status = 200, description = "The 新旧対照表 in the JSON of docs/cli.md: every node of both editions in a row", body = Object),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_diff(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<DiffQuery>,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    let bytes = comparison(&state, &q, Some(TableFormat::Json), Layout::default()).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

/// One edition of a clause, in the API.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct ClauseVersionOut {
    edition: String,
    path: String,
    /// Title, text and commentary as one text (empty when deleted).
    text: String,
    /// `added`, `changed`, `unchanged` or `deleted`.
    change: &'static str,
    /// The draft changes behind it: summary, topic cited, who.
    changes: Vec<ChangeOut>,
    /// The consultation comments reflected in it (ids).
    comments: Vec<String>,
}

/// A draft change behind a clause's text.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct ChangeOut {
    summary: String,
    topic: Option<String>,
    by: String,
    at: String,
}

/// `GET /api/v1/clauses/{key}/history`
#[utoipa::path(get, path = "/api/v1/clauses/{key}/history", tag = "editions",
    params(("key" = String, Path, description = "The clause's key (kept from edition to edition)")),
    responses((status = 200, description = "The clause in every edition, oldest first, with what changed and the draft changes, topics and comments behind each change", body = [ClauseVersionOut]),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No edition has that clause")))]
pub async fn api_clause_history(
    State(state): State<AppState>,
    session: Session,
    Path(key): Path<String>,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    let history = state.app.clause_history(checked(&key)?).await?;
    if history.is_empty() {
        return Err(AppError::NotFound);
    }
    let out: Vec<ClauseVersionOut> = history
        .into_iter()
        .map(|v| ClauseVersionOut {
            edition: v.edition,
            path: v.path,
            text: v.text,
            change: v.change,
            changes: v
                .changes
                .into_iter()
                .map(|c| ChangeOut {
                    summary: c.summary,
                    topic: c.topic,
                    by: c.by,
                    at: c.at,
                })
                .collect(),
            comments: v.comments,
        })
        .collect();
    Ok(axum::Json(out).into_response())
}
