//! The revision cycle on the web: a fiscal year's topics, schedule
//! (milestones and consultation windows on one timeline) and drafts, for
//! the ministry (who plans it) and the committee (who reads it); a draft
//! with its clauses, their changes citing topics, and its live 新旧対照表
//! against the edition it revises.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::table::{Layout, TableFormat};
use kaitei_model::cycle::{FiscalYear, MilestoneKind, TopicStatus};
use kaitei_model::draft::DraftEdit;
use kaitei_model::{JstTime, Key};
use serde::{Deserialize, Serialize};

use super::consultation::now;
use super::{checked, editor, paragraphs, render, see_other, typed};
use crate::AppState;
use crate::auth::{Access, allowed};
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

pub(super) fn year_of(s: &str) -> Result<FiscalYear, AppError> {
    FiscalYear::parse(checked(s)?).ok_or(AppError::NotFound)
}

/// `GET /cycles`: the latest cycle; with none yet, the ministry's form to
/// start one.
pub async fn cycles_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::Cycle)?;
    match state.store().cycles().await?.first() {
        Some(c) => Ok(see_other(format!("/cycles/{}", c.year))),
        None if allowed(&session.principal, Access::ManageCycle) => {
            let year = FiscalYear::of(now().date());
            Ok(render(
                &state,
                &session,
                "cycle_new.html",
                minijinja::context! {
                    title => tr(session.lang, "改定サイクル", &[]),
                    year => year.year(),
                    wareki => year.wareki(),
                },
            )?
            .into_response())
        }
        None => Err(AppError::NotFound),
    }
}

/// A new cycle.
#[derive(Deserialize)]
pub struct CycleForm {
    csrf: String,
    year: String,
    #[serde(default)]
    title: String,
}

/// `POST /cycles`
pub async fn add_cycle(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Form(form): axum::extract::Form<CycleForm>,
) -> Result<Response, AppError> {
    session.require(Access::ManageCycle)?;
    session.check_csrf(&form.csrf)?;
    let year = FiscalYear::parse(&form.year).ok_or_else(|| {
        AppError::BadRequest(format!(
            "{:?} is not a fiscal year: write 2026, R8 or 令和8年度",
            form.year
        ))
    })?;
    let title = match form.title.trim() {
        "" => format!("{} ガイドライン改定", year.wareki()),
        t => t.to_string(),
    };
    state
        .store()
        .create_cycle(year, &title, &editor(&session)?)
        .await?;
    Ok(see_other(format!("/cycles/{}", year.year())))
}

/// A new consultation, from the cycle's page.
#[derive(Deserialize)]
pub struct ConsultationForm {
    csrf: String,
    id: String,
    title: String,
    draft: String,
    /// `all`, `vendors`, or `prefecture:CODE` (as the command line).
    audience: String,
    opens: String,
    closes: String,
    /// The prefectures' deadline: answers go through them when given.
    #[serde(default)]
    deadline: String,
}

/// `POST /cycles/{year}/consultations`: opens a consultation on a draft as
/// it is now; a plan against the rules is shown again with the reason.
pub async fn add_consultation(
    State(state): State<AppState>,
    session: Session,
    Path(year): Path<String>,
    axum::extract::Form(form): axum::extract::Form<ConsultationForm>,
) -> Result<Response, AppError> {
    session.require(Access::ManageCycle)?;
    session.check_csrf(&form.csrf)?;
    let fiscal = year_of(&year)?;
    let draft = state
        .store()
        .draft_named(checked(&form.draft)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = kaitei_model::consultation::Plan::read(
        &form.id,
        &form.audience,
        &form.opens,
        &form.closes,
        Some(&form.deadline),
    );
    let result = match plan {
        Ok(plan) => match state
            .store()
            .create_consultation(&plan, fiscal, &form.title, draft.id, &editor(&session)?)
            .await
        {
            Ok(()) => Ok(plan.id.to_string()),
            // What the rules refuse is shown with the form; a failure of
            // the database is ours (500).
            Err(kaitei_store::StoreError::Invalid(m) | kaitei_store::StoreError::Duplicate(m)) => {
                Err(m)
            }
            Err(e) => return Err(e.into()),
        },
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Ok(see_other(format!("/consultations/{id}"))),
        Err(message) => {
            let page = cycle_view(&state, &session, &year, Some(message)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// One entry of the timeline.
#[derive(Serialize)]
struct Event {
    at: String,
    until: Option<String>,
    kind: String,
    title: String,
    link: Option<String>,
    past: bool,
}

/// `GET /cycles/{year}`
pub async fn cycle_page(
    State(state): State<AppState>,
    session: Session,
    Path(year): Path<String>,
) -> Result<Html<String>, AppError> {
    cycle_view(&state, &session, &year, None).await
}

/// The cycle's page, with `error` (a refused plan) shown.
/// The cycle of `year`; 404 when there is none.
pub(super) async fn cycle_of(
    state: &AppState,
    year: FiscalYear,
) -> Result<kaitei_store::Cycle, AppError> {
    state
        .store()
        .cycles()
        .await?
        .into_iter()
        .find(|c| c.year == year)
        .ok_or(AppError::NotFound)
}

pub(super) async fn cycle_view(
    state: &AppState,
    session: &Session,
    year: &str,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    session.require(Access::Cycle)?;
    let year = year_of(year)?;
    let store = state.store();
    let cycle = cycle_of(state, year).await?;
    let now = now();
    let lang = session.lang;
    let mut events: Vec<(JstTime, Event)> = store
        .milestones(year)
        .await?
        .into_iter()
        .map(|m| {
            (
                m.at,
                Event {
                    at: m.at.wareki(),
                    until: None,
                    kind: tr(lang, m.kind.japanese(), &[]),
                    title: m.title,
                    link: None,
                    past: m.at < now,
                },
            )
        })
        .collect();
    for c in store
        .consultations()
        .await?
        .into_iter()
        .filter(|c| c.year == year)
    {
        let w = c.plan.window;
        events.push((
            w.opens,
            Event {
                at: w.opens.wareki(),
                until: Some(w.closes.wareki()),
                kind: tr(lang, "意見照会", &[]),
                title: format!(
                    "{} {}（{}）",
                    c.plan.id,
                    c.title,
                    c.plan.audience.japanese()
                ),
                link: Some(format!("/consultations/{}", c.plan.id)),
                past: w.closes < now,
            },
        ));
    }
    events.sort_by_key(|(t, _)| *t);
    let events: Vec<Event> = events.into_iter().map(|(_, e)| e).collect();
    let editions: Vec<String> = state
        .app
        .editions()
        .await?
        .into_iter()
        .map(|e| e.edition)
        .collect();
    let latest = state.app.latest_edition().await?.map(|e| e.edition);
    let topics: Vec<_> = store
        .topics(year)
        .await?
        .into_iter()
        .map(|t| {
            minijinja::context! {
                id => t.id,
                title => t.title,
                description => t.description,
                status => t.status.as_str(),
                status_name => t.status.japanese(),
                clauses => t.clauses,
            }
        })
        .collect();
    let drafts: Vec<_> = store
        .drafts()
        .await?
        .into_iter()
        .filter(|d| d.year == year)
        .map(|d| minijinja::context! { name => d.name, title => d.title, version => d.version, base => d.base_edition, published => d.published_edition })
        .collect();
    render(
        state,
        session,
        "cycle.html",
        minijinja::context! {
            error,
            prefectures => kaitei_model::registry().all().iter().filter(|b| b.kind == kaitei_model::BodyKind::Prefecture).map(|b| minijinja::context! { code => b.code.to_string(), name => b.name.clone() }).collect::<Vec<_>>(),
            title => cycle.title.clone(),
            year => year.year(),
            wareki => year.wareki(),
            now => now.wareki(),
            events,
            topics,
            drafts,
            latest,
            editions,
            manage => allowed(&session.principal, Access::ManageCycle),
            statuses => TopicStatus::ALL.iter().map(|s| minijinja::context! { value => s.as_str(), name => s.japanese() }).collect::<Vec<_>>(),
            kinds => MilestoneKind::ALL.iter().map(|k| minijinja::context! { value => k.as_str(), name => k.japanese() }).collect::<Vec<_>>(),
        },
    )
}

/// A new topic.
#[derive(Deserialize)]
pub struct TopicForm {
    csrf: String,
    title: String,
    #[serde(default)]
    description: String,
    /// Clause keys, separated by commas or spaces.
    #[serde(default)]
    clauses: String,
}

/// `POST /cycles/{year}/topics`
pub async fn add_topic(
    State(state): State<AppState>,
    session: Session,
    Path(year): Path<String>,
    axum::extract::Form(form): axum::extract::Form<TopicForm>,
) -> Result<Response, AppError> {
    session.require(Access::ManageCycle)?;
    session.check_csrf(&form.csrf)?;
    let year = year_of(&year)?;
    let clauses: Vec<String> = form
        .clauses
        .split([',', '、', ' ', '\u{3000}'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| {
            Key::new(k)
                .map(|k| k.as_str().to_string())
                .ok_or_else(|| AppError::BadRequest(format!("{k:?} is not a clause key")))
        })
        .collect::<Result<_, _>>()?;
    state
        .store()
        .add_topic(
            year,
            &form.title,
            &form.description,
            &clauses,
            &editor(&session)?,
        )
        .await?;
    Ok(see_other(format!("/cycles/{}", year.year())))
}

/// A topic's new status.
#[derive(Deserialize)]
pub struct StatusForm {
    csrf: String,
    status: String,
}

/// `POST /cycles/{year}/topics/{id}/status`
pub async fn topic_status(
    State(state): State<AppState>,
    session: Session,
    Path((year, id)): Path<(String, i64)>,
    axum::extract::Form(form): axum::extract::Form<StatusForm>,
) -> Result<Response, AppError> {
    session.require(Access::ManageCycle)?;
    session.check_csrf(&form.csrf)?;
    let year = year_of(&year)?;
    let status = TopicStatus::parse(&form.status)
        .ok_or_else(|| AppError::BadRequest(format!("unknown status {:?}", form.status)))?;
    state
        .store()
        .set_topic_status(id, status, &editor(&session)?)
        .await?;
    Ok(see_other(format!("/cycles/{}", year.year())))
}

/// A new milestone.
#[derive(Deserialize)]
pub struct MilestoneForm {
    csrf: String,
    kind: String,
    title: String,
    /// `2026-01-13T10:00` (an HTML `datetime-local`), Japan time.
    at: String,
}

/// `POST /cycles/{year}/milestones`
pub async fn add_milestone(
    State(state): State<AppState>,
    session: Session,
    Path(year): Path<String>,
    axum::extract::Form(form): axum::extract::Form<MilestoneForm>,
) -> Result<Response, AppError> {
    session.require(Access::ManageCycle)?;
    session.check_csrf(&form.csrf)?;
    let year = year_of(&year)?;
    let kind = MilestoneKind::parse(&form.kind)
        .ok_or_else(|| AppError::BadRequest(format!("unknown kind {:?}", form.kind)))?;
    let at = JstTime::parse(&form.at).map_err(|e| AppError::BadRequest(e.to_string()))?;
    state
        .store()
        .add_milestone(year, kind, &form.title, at, "")
        .await?;
    Ok(see_other(format!("/cycles/{}", year.year())))
}

/// A draft by name, for those who may read the cycle.
async fn draft_named(
    state: &AppState,
    session: &Session,
    name: &str,
) -> Result<kaitei_store::DraftSummary, AppError> {
    session.require(Access::Cycle)?;
    state
        .store()
        .draft_named(checked(name)?)
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET /drafts/{name}`
pub async fn draft_page(
    State(state): State<AppState>,
    session: Session,
    Path(name): Path<String>,
) -> Result<Html<String>, AppError> {
    draft_view(&state, &session, &name, None).await
}

/// A draft's page, with `error` (a refused publication) shown.
pub(super) async fn draft_view(
    state: &AppState,
    session: &Session,
    name: &str,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    let d = draft_named(state, session, name).await?;
    let (summary, doc) = state
        .store()
        .load_draft(d.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let topics = state.store().topics(summary.year).await?;
    let topic_title = |id: Option<i64>| {
        id.and_then(|id| topics.iter().find(|t| t.id == id))
            .map(|t| t.title.clone())
    };
    let changes: Vec<_> = state
        .store()
        .draft_changes(d.id, None)
        .await?
        .into_iter()
        .filter(|c| c.op != "split-into")
        .take(50)
        .map(|c| minijinja::context! { version => c.version, summary => c.summary, by => c.by, topic => topic_title(c.topic), comments => c.comments.join("、") })
        .collect();
    let notes = state.store().draft_notes(d.id).await?;
    let clauses: Vec<_> = doc
        .located()
        .into_iter()
        .map(|l| {
            let mine: Vec<_> = notes
                .iter()
                .filter(|n| n.key == l.node.key.as_str())
                .map(|n| minijinja::context! { quote => n.quote.clone(), text => n.text.clone(), author => n.author.clone() })
                .collect();
            minijinja::context! {
                notes => mine,
                count => l.node.paragraphs.len(),
                key => l.node.key.as_str(),
                path => l.path.join(" / "),
                title => l.node.title.clone(),
                paragraphs => l.node.paragraphs.clone(),
                text => l.node.paragraphs.join("\n"),
                depth => l.path.len().saturating_sub(1).min(5),
            }
        })
        .collect();
    let consultations: Vec<_> = state
        .store()
        .consultations()
        .await?
        .into_iter()
        .filter(|c| c.draft_id == d.id)
        .map(|c| c.plan.id.to_string())
        .collect();
    render(
        state,
        session,
        "draft.html",
        minijinja::context! {
            error,
            consultations,
            published => summary.published_edition.clone(),
            publish => allowed(&session.principal, Access::DisposeComments) && summary.published_edition.is_none() && summary.base_edition.is_some(),
            title => summary.title.clone(),
            name => summary.name.clone(),
            version => summary.version,
            base => summary.base_edition.clone(),
            year => summary.year.year(),
            manage => allowed(&session.principal, Access::ManageCycle),
            topics => topics.iter().map(|t| minijinja::context! { id => t.id, title => t.title.clone() }).collect::<Vec<_>>(),
            changes,
            clauses,
        },
    )
}

/// A draft change's base version (required: a save without it could
/// replace unseen what another saved) and the topic it cites.
fn base_and_topic(base: Option<i64>, topic: &str) -> Result<(i64, Option<i64>), AppError> {
    let base = base.ok_or_else(|| {
        AppError::BadRequest("the form has no base version: nothing was saved".into())
    })?;
    let topic = match topic.trim() {
        "" => None,
        t => Some(
            t.parse::<i64>()
                .map_err(|_| AppError::BadRequest(format!("unknown topic {t:?}")))?,
        ),
    };
    Ok((base, topic))
}

/// The most bytes of comment ids one draft change cites (some 400 ids).
const MAX_CITED_BYTES: usize = 8192;

/// A clause's new text in a draft.
#[derive(Deserialize)]
pub struct DraftTextForm {
    csrf: String,
    base: Option<i64>,
    text: String,
    #[serde(default)]
    topic: String,
    /// The ids of the consultation comments behind the change, separated
    /// by commas, 読点 or spaces.
    #[serde(default)]
    comments: String,
}

/// `POST /drafts/{name}/clauses/{key}`: a clause's text; refused (409)
/// when someone changed the clause after `base`.
pub async fn edit_draft_clause(
    State(state): State<AppState>,
    session: Session,
    Path((name, key)): Path<(String, String)>,
    axum::extract::Form(form): axum::extract::Form<DraftTextForm>,
) -> Result<Response, AppError> {
    let d = draft_named(&state, &session, &name).await?;
    session.require(Access::ManageCycle)?;
    session.check_csrf(&form.csrf)?;
    let (base, topic) = base_and_topic(form.base, &form.topic)?;
    let text = typed(&form.text).map_err(|r| r.api("text"))?;
    let key = Key::new(checked(&key)?).ok_or(AppError::NotFound)?;
    let edit = DraftEdit::Text {
        key: key.clone(),
        paragraphs: paragraphs(&text),
    };
    if form.comments.len() > MAX_CITED_BYTES {
        return Err(AppError::BadRequest(format!(
            "comments: over {MAX_CITED_BYTES} bytes of comment ids"
        )));
    }
    let comments: Vec<String> = form
        .comments
        .split(|c: char| c == ',' || c == '、' || c == '，' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    state
        .store()
        .edit_draft_citing(d.id, &edit, base, topic, &comments, &editor(&session)?)
        .await?;
    Ok(see_other(format!("/drafts/{}#c-{}", d.name, key.as_str())))
}

/// `?format=…&columns=…&context=…`
#[derive(Deserialize)]
pub struct DraftDiffQuery {
    format: Option<String>,
    context: Option<usize>,
}

/// `GET /drafts/{name}/diff[?format=…]`: the draft's live 新旧対照表
/// against the edition it revises — in the site frame, or the file.
pub async fn draft_diff(
    State(state): State<AppState>,
    session: Session,
    Path(name): Path<String>,
    Query(q): Query<DraftDiffQuery>,
) -> Result<Response, AppError> {
    let d = draft_named(&state, &session, &name).await?;
    let layout = Layout {
        context: q.context.unwrap_or(2).min(50),
        ..Layout::default()
    };
    if let Some(format) = q.format.as_deref() {
        let format: TableFormat = format
            .parse()
            .map_err(|e: kaitei_app::table::UnknownFormat| AppError::BadRequest(e.to_string()))?;
        let bytes = state.app.draft_table(d.id, format, layout).await?;
        let file = format!(
            "新旧対照表_{}_{}.{}",
            d.base_edition.clone().unwrap_or_default(),
            d.name,
            format.extension()
        );
        return Ok(super::download(bytes, format.content_type(), &file));
    }
    let (fragment, version) = state.app.draft_table_fragment(d.id, layout).await?;
    let downloads =
        super::table_downloads(|f| format!("/drafts/{}/diff?format={}", d.name, f.as_str()));
    Ok(render(
        &state,
        &session,
        "draft_diff.html",
        minijinja::context! {
            title => tr(session.lang, "新旧対照表：{0} → {1}", &[&d.base_edition.clone().unwrap_or_default(), &d.name]),
            name => d.name.clone(),
            version,
            changes => fragment.changes,
            downloads,
            table => minijinja::Value::from_safe_string(fragment.html),
        },
    )?
    .into_response())
}

/// A committee member's note on a draft's clause.
#[derive(Deserialize)]
pub struct NoteForm {
    csrf: String,
    #[serde(default)]
    quote: String,
    text: String,
}

/// `POST /drafts/{name}/clauses/{key}/notes`: an internal note (the
/// committee and the ministry; no disposition).
pub async fn add_draft_note(
    State(state): State<AppState>,
    session: Session,
    Path((name, key)): Path<(String, String)>,
    axum::extract::Form(form): axum::extract::Form<NoteForm>,
) -> Result<Response, AppError> {
    let d = draft_named(&state, &session, &name).await?;
    session.check_csrf(&form.csrf)?;
    let text = typed(&form.text).map_err(|r| r.api("text"))?;
    let quote = typed(&form.quote).map_err(|r| r.api("quote"))?;
    let key = checked(&key)?;
    state
        .store()
        .add_draft_note(d.id, key, &quote, &text, &editor(&session)?)
        .await?;
    Ok(see_other(format!("/drafts/{}#c-{key}", d.name)))
}

/// A structural change of a draft: what and where.
#[derive(Deserialize)]
pub struct StructureForm {
    csrf: String,
    base: Option<i64>,
    /// `delete`, `split`, `insert` (a new clause after this one) or
    /// `move` (this clause after `target`).
    op: String,
    /// For `split`: the first paragraph (1-based) of the new clause.
    #[serde(default)]
    at: String,
    /// For `insert`: the new clause's title and text.
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    /// For `move`: the key of the clause to follow.
    #[serde(default)]
    target: String,
    #[serde(default)]
    topic: String,
}

/// `POST /drafts/{name}/clauses/{key}/structure`: deletes, splits, moves
/// a clause or adds one after it; stale saves refused (409).
pub async fn change_draft_structure(
    State(state): State<AppState>,
    session: Session,
    Path((name, key)): Path<(String, String)>,
    axum::extract::Form(form): axum::extract::Form<StructureForm>,
) -> Result<Response, AppError> {
    let d = draft_named(&state, &session, &name).await?;
    session.require(Access::ManageCycle)?;
    session.check_csrf(&form.csrf)?;
    let (base, topic) = base_and_topic(form.base, &form.topic)?;
    let key = Key::new(checked(&key)?).ok_or(AppError::NotFound)?;
    let (_, doc) = state
        .store()
        .load_draft(d.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let located = doc.located();
    let parent_of = |k: &Key| {
        located
            .iter()
            .find(|l| l.node.key == *k)
            .map(|l| l.parent.cloned())
            .ok_or_else(|| AppError::BadRequest(format!("the draft has no clause {k}")))
    };
    let fresh = |suffix: &str| {
        Key::new(&format!("{}-{suffix}{}", key.as_str(), base + 1))
            .ok_or_else(|| AppError::Internal("a new key".into()))
    };
    let edit = match form.op.as_str() {
        "delete" => DraftEdit::Delete { key: key.clone() },
        "split" => {
            let at: usize = form.at.trim().parse().map_err(|_| {
                AppError::BadRequest(
                    "give the paragraph (2, 3, …) that starts the new clause".into(),
                )
            })?;
            DraftEdit::Split {
                key: key.clone(),
                at: at.saturating_sub(1),
                new_key: fresh("s")?,
            }
        }
        "insert" => {
            let sibling = located
                .iter()
                .find(|l| l.node.key == key)
                .ok_or(AppError::NotFound)?;
            let mut node = kaitei_model::Node::new(sibling.node.kind, fresh("n")?);
            node.key_pinned = true;
            let title = typed(&form.title).map_err(|r| r.api("title"))?;
            node.title = Some(title.trim().to_string()).filter(|t| !t.is_empty());
            node.paragraphs = paragraphs(&typed(&form.text).map_err(|r| r.api("text"))?);
            DraftEdit::Insert {
                node,
                parent: parent_of(&key)?,
                after: Some(key.clone()),
            }
        }
        "move" => {
            let target = Key::new(form.target.trim()).ok_or_else(|| {
                AppError::BadRequest(format!("{:?} is not a clause key", form.target))
            })?;
            DraftEdit::Move {
                key: key.clone(),
                parent: parent_of(&target)?,
                after: Some(target),
            }
        }
        other => return Err(AppError::BadRequest(format!("unknown change {other:?}"))),
    };
    state
        .store()
        .edit_draft(d.id, &edit, base, topic, &editor(&session)?)
        .await?;
    Ok(see_other(format!(
        "/drafts/{}#c-{}",
        d.name,
        edit.key().as_str()
    )))
}
