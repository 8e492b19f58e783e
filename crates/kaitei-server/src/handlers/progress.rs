//! Where a consultation's respondents stand: for the ministry, the nation
//! by prefecture and who has not answered (XLSX for reminders); for a
//! prefecture, its municipalities — with the answers relayed through it
//! to return (with a note) or forward.

use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use kaitei_model::consultation::{AnswerStatus, Step};
use kaitei_model::{BodyCode, BodyKind, registry};
use kaitei_store::Respondent;
use serde::{Deserialize, Serialize};

use super::consultation::{BaseForm, now, visible};
use super::{checked, editor, render};
use crate::AppState;
use crate::auth::{Access, allowed};
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// `?prefecture=CODE`
#[derive(Deserialize)]
pub struct ProgressQuery {
    pub(super) prefecture: Option<String>,
}

#[derive(Serialize)]
struct PrefectureRow {
    code: String,
    name: String,
    asked: usize,
    received: usize,
    held: usize,
    preparing: usize,
    nothing: usize,
}

#[derive(Serialize)]
struct RespondentRow {
    key: String,
    name: String,
    status: &'static str,
    comments: i64,
    no_comment: bool,
    /// Whether the user may read the answer.
    readable: bool,
    /// Whether the prefecture may return or forward it now.
    relay: bool,
}

pub(super) fn prefecture_of(code: &str) -> Result<BodyCode, AppError> {
    registry()
        .lookup(checked(code)?)
        .ok()
        .filter(|b| b.kind == BodyKind::Prefecture)
        .map(|b| b.code)
        .ok_or(AppError::NotFound)
}

/// `GET /consultations/{id}/progress[?prefecture=CODE]`
pub async fn progress_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<ProgressQuery>,
) -> Result<Html<String>, AppError> {
    let (c, _) = visible(&state, &session, &id).await?;
    let prefecture = q.prefecture.as_deref().map(prefecture_of).transpose()?;
    session.require(Access::Progress { prefecture })?;
    let progress = state.app.progress(&c).await?;
    let open = c.plan.window.is_open(now());
    let t = progress.total;
    let prefectures: Vec<PrefectureRow> = progress
        .by_prefecture
        .iter()
        .map(|(p, t)| PrefectureRow {
            code: p.to_string(),
            name: registry()
                .get(*p)
                .map_or_else(String::new, |b| b.name.clone()),
            asked: t.asked,
            received: t.received,
            held: t.held,
            preparing: t.preparing,
            nothing: t.nothing,
        })
        .collect();
    let rows: Vec<RespondentRow> = match prefecture {
        None => Vec::new(),
        Some(p) => progress
            .rows
            .iter()
            .filter(|r| matches!(&r.respondent, Respondent::Body(b) if b.prefecture() == p))
            .map(|r| {
                let sent = r.relayed
                    && matches!(
                        r.status,
                        Some(AnswerStatus::Submitted | AnswerStatus::Forwarded)
                    );
                RespondentRow {
                    key: r.respondent.key(),
                    name: r.respondent.name(),
                    status: r.japanese(),
                    comments: r.comments,
                    no_comment: r.no_comment,
                    readable: r.status.is_some()
                        && allowed(
                            &session.principal,
                            Access::Answer {
                                respondent: r.respondent.clone(),
                                sent_to_prefecture: sent,
                                received: r.received,
                            },
                        ),
                    relay: open
                        && r.relayed
                        && r.status == Some(AnswerStatus::Submitted)
                        && allowed(&session.principal, Access::RelayAnswers { prefecture: p }),
                }
            })
            .collect(),
    };
    let name = prefecture
        .and_then(|p| registry().get(p))
        .map(|b| b.name.clone());
    render(
        &state,
        &session,
        "progress.html",
        minijinja::context! {
            title => tr(session.lang, "{0} の回答状況", &[c.plan.id.as_str()]),
            id => c.plan.id.to_string(),
            ctitle => c.title.clone(),
            total => minijinja::context! { asked => t.asked, received => t.received, held => t.held, preparing => t.preparing, nothing => t.nothing, comments => t.comments },
            national => prefecture.is_none(),
            prefecture => prefecture.map(|p| p.to_string()),
            prefecture_name => name,
            prefectures,
            rows,
            vendors => !c.plan.audience.asks_bodies(),
        },
    )
}

/// `GET /consultations/{id}/progress.xlsx`: who has not answered yet (the
/// ministry's reminders): every respondent asked whose answer the
/// ministry does not have.
pub async fn unanswered_xlsx(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (c, _) = visible(&state, &session, &id).await?;
    session.require(Access::Progress { prefecture: None })?;
    let progress = state.app.progress(&c).await?;
    let rows = progress.unanswered();
    let bytes = kaitei_report::consultation_status::xlsx(c.plan.id.as_str(), &c.title, &rows)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(super::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{}_未回答.xlsx", c.plan.id),
    ))
}

/// `GET /consultations/{id}/answers/{respondent}`: one answer, read-only.
pub async fn answer_page(
    State(state): State<AppState>,
    session: Session,
    Path((id, key)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let (c, subject) = visible(&state, &session, &id).await?;
    let r = Respondent::from_key(checked(&key)?).ok_or(AppError::NotFound)?;
    let answer = state
        .store()
        .answer(c.plan.id.as_str(), &r)
        .await?
        .ok_or(AppError::NotFound)?;
    let relayed = r.relayed(&c);
    let sent = relayed
        && matches!(
            answer.status,
            AnswerStatus::Submitted | AnswerStatus::Forwarded
        );
    let ok = allowed(
        &session.principal,
        Access::Answer {
            respondent: r.clone(),
            sent_to_prefecture: sent,
            received: kaitei_model::consultation::received(answer.status, relayed),
        },
    );
    if !ok {
        return Err(AppError::NotFound);
    }
    let comments: Vec<_> = answer
        .comments
        .iter()
        .map(|sc| {
            minijinja::context! {
                id => sc.id.clone(),
                path => subject.locate(&sc.comment.clause).map(|(p, _)| p.join(" / ")).unwrap_or_default(),
                kind => sc.comment.kind.japanese(),
                quote => sc.comment.quote.exact.clone(),
                text => sc.comment.text.clone(),
                proposal => sc.comment.proposal.clone(),
            }
        })
        .collect();
    render(
        &state,
        &session,
        "answer.html",
        minijinja::context! {
            title => tr(session.lang, "{0} の回答", &[&r.name()]),
            id => c.plan.id.to_string(),
            ctitle => c.title.clone(),
            name => r.name(),
            key => r.key(),
            status => answer.status.japanese(),
            no_comment => answer.no_comment,
            note => answer.note.clone(),
            comments,
        },
    )
}

/// `POST /consultations/{id}/answers/{code}/return` (with `note`) and
/// `…/forward`: the prefecture's steps on a municipality's answer.
async fn relay(
    state: AppState,
    session: Session,
    id: String,
    code: String,
    form: BaseForm,
    what: Step,
) -> Result<Response, AppError> {
    let (c, _) = visible(&state, &session, &id).await?;
    session.check_csrf(&form.csrf)?;
    let body = registry()
        .lookup(checked(&code)?)
        .map_err(|_| AppError::NotFound)?
        .code;
    session.require(Access::RelayAnswers {
        prefecture: body.prefecture(),
    })?;
    let r = Respondent::Body(body);
    if !r.relayed(&c) {
        return Err(AppError::NotFound);
    }
    state
        .store()
        .answer_step(&c, &r, what, &form.note, &editor(&session)?, now())
        .await?;
    Ok(super::see_other(format!(
        "/consultations/{}/progress?prefecture={}",
        c.plan.id,
        body.prefecture()
    )))
}

/// `POST /consultations/{id}/answers/{code}/return`
pub async fn return_answer(
    State(state): State<AppState>,
    session: Session,
    Path((id, code)): Path<(String, String)>,
    axum::extract::Form(form): axum::extract::Form<BaseForm>,
) -> Result<Response, AppError> {
    relay(state, session, id, code, form, Step::Return).await
}

/// `POST /consultations/{id}/answers/{code}/forward`
pub async fn forward_answer(
    State(state): State<AppState>,
    session: Session,
    Path((id, code)): Path<(String, String)>,
    axum::extract::Form(form): axum::extract::Form<BaseForm>,
) -> Result<Response, AppError> {
    relay(state, session, id, code, form, Step::Forward).await
}
