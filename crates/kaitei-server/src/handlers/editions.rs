//! Guideline editions: the list, an edition's clause tree with its table
//! of contents, a clause with what changed in it (the 新旧対照表 between
//! editions is `comparison.rs`).

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::clause::{ClauseField, ClauseInEdition, Crumb, SinceBefore};
use kaitei_format::export;
use kaitei_model::Document;
use serde::Serialize;

use super::{checked, date, edition_name, json_response, render};
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

/// An entry of a document's table of contents (目次).
#[derive(Serialize)]
struct TocEntry {
    key: String,
    text: String,
    children: Vec<TocEntry>,
}

/// Headings this deep and shallower make the table of contents: 編, 章 and
/// 節 (and the guideline's numbered sections inside its chapters).
const TOC_DEPTH: usize = 3;

/// The document's headings down to [`TOC_DEPTH`], nested as they are.
fn contents(nodes: &[kaitei_model::Node], depth: usize) -> Vec<TocEntry> {
    nodes
        .iter()
        .filter(|n| n.kind == kaitei_model::NodeKind::Heading)
        .map(|n| {
            let label = n.label.as_ref().map(|l| l.written());
            let text = match (label, &n.title) {
                (Some(l), Some(t)) => format!("{l} {t}"),
                (Some(l), None) => l.to_string(),
                (None, Some(t)) => t.clone(),
                (None, None) => n.key.to_string(),
            };
            TocEntry {
                key: n.key.to_string(),
                text,
                children: if depth < TOC_DEPTH {
                    contents(&n.children, depth + 1)
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

/// What `document.html` shows of any document (an edition or a policy),
/// its clauses linking to `link_base` + key.
pub(super) fn document_context(doc: &Document, link_base: String) -> minijinja::Value {
    minijinja::context! {
        title => format!("{}（{}）", doc.meta.title, doc.meta.edition),
        edition => doc.meta.edition.clone(),
        published => date(doc.meta.published),
        nodes => nodes(doc),
        toc => contents(&doc.children, 0),
        link_base,
    }
}

/// A clause in words: its label and name (`(1) 機器の取付け`).
fn crumb_text(c: &Crumb) -> String {
    match (&c.name, c.label.is_empty()) {
        (Some(t), true) => t.clone(),
        (Some(t), false) => format!("{} {t}", c.label),
        (None, _) => c.label.clone(),
    }
}

/// What a clause is called on its page: its label and name, after the
/// nearest named ancestor's when it has no name of its own — so that
/// `①` reads 「(2) サーバの冗長化 ①」 and not just 「①」.
fn clause_heading(c: &ClauseInEdition) -> String {
    let own = Crumb::of(&c.node);
    if own.name.is_some() {
        return crumb_text(&own);
    }
    let own = crumb_text(&own);
    match c.ancestors.iter().rev().find(|a| a.name.is_some()) {
        Some(a) => format!("{} {own}", crumb_text(a)),
        None => own,
    }
}

fn field_word(f: ClauseField) -> &'static str {
    match f {
        ClauseField::Title => "見出し",
        ClauseField::Text => "本文",
        ClauseField::Commentary => "解説",
    }
}

/// `GET /editions/{edition}/clauses/{key}`: one clause, deep-linkable:
/// where it sits, what changed in it since the edition before, the same
/// clause in the other editions, the clauses before and after it.
pub async fn clause_page(
    State(state): State<AppState>,
    session: Session,
    Path((name, key)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    session.require(Access::Editions)?;
    let c = state
        .app
        .clause_in_edition(&edition_name(&name)?, checked(&key)?)
        .await?;
    let history: Vec<_> = state
        .app
        .clause_history(c.node.key.as_str())
        .await?
        .into_iter()
        .map(|v| {
            minijinja::context! {
                edition => v.edition,
                present => v.change != "deleted",
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
    let crumb = |x: &Crumb| minijinja::context! { key => x.key.clone(), text => crumb_text(x) };
    let since = match &c.since {
        SinceBefore::First => minijinja::context! { kind => "first" },
        SinceBefore::Added { before } => minijinja::context! { kind => "added", before },
        SinceBefore::Unchanged { before } => minijinja::context! { kind => "unchanged", before },
        SinceBefore::Changed {
            before,
            moved_from,
            fields,
        } => minijinja::context! {
            kind => "changed",
            before,
            moved_from,
            fields => fields.iter().map(|f| minijinja::context! {
                name => field_word(f.field),
                old => f.old,
                new => f.new,
            }).collect::<Vec<_>>(),
        },
    };
    let heading = clause_heading(&c);
    render(
        &state,
        &session,
        "clause.html",
        minijinja::context! {
            title => format!("{heading} — {}", c.edition),
            heading,
            edition => c.edition.clone(),
            key => c.node.key.to_string(),
            ancestors => c.ancestors.iter().map(crumb).collect::<Vec<_>>(),
            previous => c.previous.as_ref().map(crumb),
            next => c.next.as_ref().map(crumb),
            paragraphs => c.node.paragraphs.clone(),
            commentary => c.node.commentary.clone(),
            since,
            editions => c.editions,
            history,
        },
    )
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
