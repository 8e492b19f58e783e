//! Pages and API handlers: extract, ask the authorisation module, call the
//! store or the engine, render.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use kaitei_compare::view::lay_out;
use kaitei_compare::{KeyUse, compare};
use kaitei_format::export;
use kaitei_format::table::{TableOptions, docx, html, json, xlsx};
use kaitei_model::{Document, DocumentKind, registry};
use kaitei_store::DocumentRef;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::{Access, Principal};
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

#[derive(Serialize)]
struct EditionSummary {
    edition: String,
    title: String,
    published: Option<String>,
    published_wareki: Option<String>,
    clauses: i64,
}

async fn editions(state: &AppState) -> Result<Vec<EditionSummary>, AppError> {
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

async fn edition(state: &AppState, name: &str) -> Result<std::sync::Arc<Document>, AppError> {
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
        minijinja::context! { title => "ガイドラインの版", editions => list },
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
        minijinja::context! {
            title => format!("{}（{}）", doc.meta.title, doc.meta.edition),
            edition => doc.meta.edition.clone(),
            published => date(doc.meta.published),
            nodes => nodes(&doc),
            link_base => format!("/editions/{}/clauses/", doc.meta.edition),
        },
    )
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

/// `GET /diff?old=…&new=…[&format=html|docx|xlsx|json][&context=N]`: the
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
        other => {
            return Err(AppError::BadRequest(format!(
                "unknown format {other:?}: use html, docx, xlsx or json"
            )));
        }
    };
    let bytes = comparison(&state, &q, format, q.context.unwrap_or(0).min(20)).await?;
    let content_type = match format {
        "html" => "text/html; charset=utf-8",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
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
        _ => json::to_json(&cmp).into_bytes(),
    })
}

/// The current policy of a body, with its access: unknown bodies and
/// policies nobody may see look the same (404).
async fn policy(state: &AppState, session: &Session, code: &str) -> Result<Document, AppError> {
    Ok(policy_with_id(state, session, code).await?.1)
}

async fn policy_with_id(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<(i64, Document), AppError> {
    // Signed in first: whether a body has a policy is not for strangers.
    session.require(Access::SignedIn)?;
    let body = registry()
        .lookup(checked(code)?)
        .map_err(|_| AppError::NotFound)?;
    let reference = DocumentRef::Policy {
        body: body.code,
        edition: None,
    };
    let Some(id) = state.store.find(&reference).await? else {
        return Err(AppError::NotFound);
    };
    let published = state.store.policy_published(id).await?;
    match session.require(Access::Policy {
        body: body.code,
        published,
    }) {
        Ok(()) => {}
        Err(AppError::Forbidden) => return Err(AppError::NotFound),
        Err(e) => return Err(e),
    }
    Ok((id, state.store.load(id).await?.ok_or(AppError::NotFound)?))
}

/// `GET /bodies/{code}/policy`: a body's current policy with its provenance.
pub async fn policy_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Html<String>, AppError> {
    let doc = policy(&state, &session, &code).await?;
    let impact = latest_impact(&state, &doc).await?;
    render(
        &state,
        &session,
        "document.html",
        minijinja::context! {
            title => format!("{}（{}）", doc.meta.title, doc.meta.edition),
            edition => doc.meta.edition.clone(),
            published => date(doc.meta.published),
            nodes => nodes(&doc),
            derived_from => doc.meta.derived_from.clone(),
            impact,
            link_base => doc.meta.body.map(|b| format!("/bodies/{b}/policy/clauses/")),
        },
    )
}

#[derive(Serialize)]
struct ImpactView {
    latest: String,
    items: Vec<(String, String, String)>,
}

/// The impact of the latest stored edition on a policy that follows an
/// older one (`None` when it follows the latest, or its edition is unknown).
async fn latest_impact(state: &AppState, doc: &Document) -> Result<Option<ImpactView>, AppError> {
    let Some(followed) = doc.meta.derived_from.clone() else {
        return Ok(None);
    };
    let list = editions(state).await?;
    let Some(latest) = list
        .iter()
        .max_by(|a, b| a.published.cmp(&b.published))
        .map(|e| e.edition.clone())
    else {
        return Ok(None);
    };
    if latest == followed || !list.iter().any(|e| e.edition == followed) {
        return Ok(None);
    }
    let old = edition(state, &followed).await?;
    let pair = (followed, latest.clone());
    let cached = state
        .changes
        .read()
        .ok()
        .and_then(|c| c.get(&pair).cloned());
    let changes = match cached {
        Some(c) => c,
        None => {
            let new = edition(state, &latest).await?;
            let c = std::sync::Arc::new(kaitei_compare::policy::EditionChanges::new(&compare(
                &old,
                &new,
                KeyUse::All,
            )));
            if let Ok(mut cache) = state.changes.write() {
                cache.insert(pair, c.clone());
            }
            c
        }
    };
    // A policy written without kaitei has its provenance recovered first.
    let aligned;
    let doc = if doc.nodes().any(|n| n.from.is_some()) {
        doc
    } else {
        let body = doc
            .meta
            .body
            .and_then(|b| registry().get(b))
            .ok_or(AppError::NotFound)?;
        let values = kaitei_compare::policy::profile(body, &Default::default());
        aligned = kaitei_compare::policy::align_policy(doc, &old, &values).0;
        &aligned
    };
    let items = kaitei_compare::policy::impact(doc, &changes)
        .into_iter()
        .map(|i| {
            (
                i.severity().as_str().to_string(),
                i.policy_path.clone(),
                i.explanation.clone(),
            )
        })
        .collect();
    Ok(Some(ImpactView { latest, items }))
}

/// `GET /bodies/{code}/policy/clauses/{key}`: one clause of a policy, its
/// provenance, its history and (for those who may) an edit form.
pub async fn policy_clause_page(
    State(state): State<AppState>,
    session: Session,
    Path((code, key)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let (id, doc) = policy_with_id(&state, &session, &code).await?;
    let key = checked(&key)?;
    let located = doc.located();
    let here = located
        .iter()
        .find(|l| l.node.key.as_str() == key)
        .ok_or(AppError::NotFound)?;
    let body = doc.meta.body.ok_or(AppError::NotFound)?;
    let editable = crate::auth::allowed(&session.principal, Access::EditPolicy { body });
    let history: Vec<(i64, String, String)> = state
        .store
        .clause_history(id, key)
        .await?
        .into_iter()
        .map(|v| (v.version, v.edited_by, v.text))
        .collect();
    render(
        &state,
        &session,
        "policy_clause.html",
        minijinja::context! {
            title => format!("{} {}", doc.meta.title, here.path.join(" / ")),
            code => body.to_string(),
            key,
            path => here.path.join(" / "),
            text => here.node.paragraphs.join("\n"),
            paragraphs => here.node.paragraphs.clone(),
            from => here.node.from.as_ref().map(|k| k.to_string()),
            status => here.node.status.map(|s| s.as_str()),
            editable,
            history,
            max => kaitei_store::MAX_CLAUSE_CHARS,
        },
    )
}

/// The clause edit form.
#[derive(Deserialize)]
pub struct EditForm {
    text: String,
    csrf: String,
}

/// `POST /bodies/{code}/policy/clauses/{key}`: saves a clause's new text;
/// the old one is kept in its history.
pub async fn edit_policy_clause(
    State(state): State<AppState>,
    session: Session,
    Path((code, key)): Path<(String, String)>,
    axum::extract::Form(form): axum::extract::Form<EditForm>,
) -> Result<Response, AppError> {
    let (id, doc) = policy_with_id(&state, &session, &code).await?;
    let body = doc.meta.body.ok_or(AppError::NotFound)?;
    session.require(Access::EditPolicy { body })?;
    session.check_csrf(&form.csrf)?;
    let key = checked(&key)?;
    let paragraphs: Vec<String> = form
        .text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let editor = match &session.principal {
        Principal::User(u) => u.login.clone(),
        Principal::Anonymous => return Err(AppError::Forbidden),
    };
    state
        .store
        .edit_clause(id, key, &paragraphs, &editor)
        .await?;
    Ok((
        axum::http::StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            format!("/bodies/{body}/policy/clauses/{key}"),
        )],
    )
        .into_response())
}

/// `GET /api/v1/openapi.json`: public; describes the API, reveals no data.
pub async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
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

/// `GET /api/v1/bodies/{code}/policy`
pub async fn api_policy(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let doc = policy(&state, &session, &code).await?;
    Ok(json_response(export::to_json(&doc)))
}

/// A response of JSON text already written.
fn json_response(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Anything else.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

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
    let visible = move |kind: DocumentKind,
                        body: Option<kaitei_model::BodyCode>,
                        published: bool| match (kind, body) {
        (DocumentKind::Guideline, _) => crate::auth::allowed(&principal, Access::Editions),
        (DocumentKind::Policy, Some(body)) => {
            crate::auth::allowed(&principal, Access::Policy { body, published })
        }
        (DocumentKind::Policy, None) => false,
    };
    Ok(state.store.search(q, visible).await?)
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
        minijinja::context! { title => "検索", q, hits => views, max => kaitei_store::MAX_HITS },
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

#[derive(Serialize)]
struct PrefectureRow {
    code: String,
    name: String,
    bodies: usize,
    /// (edition, bodies following it, percentage of the prefecture's bodies)
    editions: Vec<(String, usize, usize)>,
    without: usize,
}

/// `GET /dashboard`: how many bodies follow which edition, by prefecture.
pub async fn dashboard_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    session.require(Access::Ministry)?;
    let current = state.store.current_policies().await?;
    let editions: Vec<String> = editions(&state)
        .await?
        .into_iter()
        .map(|e| e.edition)
        .collect();
    let mut rows = Vec::new();
    let mut totals: Vec<usize> = vec![0; editions.len()];
    let mut with_policy = 0;
    for pref in registry()
        .all()
        .iter()
        .filter(|b| b.kind == kaitei_model::BodyKind::Prefecture)
    {
        let bodies = registry()
            .all()
            .iter()
            .filter(|b| b.prefecture == pref.code)
            .count();
        let mine: Vec<&(kaitei_model::BodyCode, i64, Option<String>)> = current
            .iter()
            .filter(|c| c.0.prefecture() == pref.code)
            .collect();
        with_policy += mine.len();
        let counts: Vec<(String, usize, usize)> = editions
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let n = mine
                    .iter()
                    .filter(|c| c.2.as_deref() == Some(e.as_str()))
                    .count();
                totals[i] += n;
                (e.clone(), n, n * 100 / bodies.max(1))
            })
            .collect();
        rows.push(PrefectureRow {
            code: pref.code.to_string(),
            name: pref.name.clone(),
            bodies,
            editions: counts,
            without: bodies - mine.len(),
        });
    }
    render(
        &state,
        &session,
        "dashboard.html",
        minijinja::context! {
            title => "全国の状況",
            editions,
            totals,
            with_policy,
            all_bodies => registry().all().len(),
            rows,
        },
    )
}
