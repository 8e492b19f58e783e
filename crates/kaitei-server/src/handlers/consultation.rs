//! Consultations on the web: the document asked about, a respondent's
//! answer (comments anchored to clauses, 意見なし, the Excel template down
//! and up), submitting and withdrawing it. Who may see and do what is
//! `auth`'s: the answer in preparation is its colleagues' only; only an
//! officer with the right to submit sends it.

use std::sync::Arc;

use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::consultations::check_answer;
use kaitei_app::templates::{ImportError, ImportedAnswer};
use kaitei_model::consultation::{AnswerStatus, CommentInput, CommentType, Step, received};
use kaitei_model::{Document, JstTime, registry};
use kaitei_store::{Answer, Consultation, Respondent};
use serde::{Deserialize, Serialize};

use super::{checked, editor, render, see_other};
use crate::AppState;
use crate::auth::{Access, Principal, allowed, respondent_of};
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

pub(crate) use kaitei_app::now;

/// Whether the user is asked in `c` (its body is in the audience; a
/// vendor in a vendor consultation; a prefecture whose municipalities
/// answer through it).
pub(super) fn asked(session: &Session, c: &Consultation) -> bool {
    let Principal::User(user) = &session.principal else {
        return false;
    };
    let Some(r) = respondent_of(user) else {
        return false;
    };
    // A prefecture also sees a consultation whose municipalities answer
    // through it.
    let relays_through = |p: kaitei_model::BodyCode| {
        p.prefecture() == p
            && registry().all().iter().any(|m| {
                m.prefecture == p && c.plan.audience.includes(m) && c.plan.routing.relays(m)
            })
    };
    r.asked_in(c) || matches!(r, Respondent::Body(p) if relays_through(p))
}

/// Consultation `id` with its subject, if the user may see it (404
/// otherwise: whether it exists is not for the others).
pub(super) async fn visible(
    state: &AppState,
    session: &Session,
    id: &str,
) -> Result<(Consultation, Arc<Document>), AppError> {
    session.require(Access::SignedIn)?;
    let (c, subject) = state
        .app
        .consultation(checked(id)?)
        .await
        .map_err(|e| match e {
            kaitei_app::Error::NotFound(_) => AppError::NotFound,
            // A database that fails is a server error (500, logged), not
            // "no such consultation": answered 404, it was neither logged
            // nor counted among the server's failures.
            other => other.into(),
        })?;
    if !allowed(
        &session.principal,
        Access::Consultation {
            asked: asked(session, &c),
        },
    ) {
        return Err(AppError::NotFound);
    }
    Ok((c, subject))
}

/// The user's own respondent in `c`, if it is asked.
fn own_respondent(session: &Session, c: &Consultation) -> Option<Respondent> {
    let Principal::User(user) = &session.principal else {
        return None;
    };
    respondent_of(user).filter(|r| r.asked_in(c))
}

/// One consultation as the list shows it.
#[derive(Serialize)]
struct ListRow {
    id: String,
    title: String,
    opens: String,
    closes: String,
    audience: String,
    state: String,
}

fn window_state(session: &Session, c: &Consultation, now: JstTime) -> String {
    let w = c.plan.window;
    let ja = if now < w.opens {
        "開始前"
    } else if w.is_open(now) {
        "受付中"
    } else {
        "終了"
    };
    tr(session.lang, ja, &[])
}

/// The consultations `session`'s user may see: those it is asked in
/// (every one for the ministry and the committee).
pub(super) async fn listed(
    state: &AppState,
    session: &Session,
) -> Result<Vec<Consultation>, AppError> {
    Ok(state
        .store()
        .consultations()
        .await?
        .into_iter()
        .filter(|c| {
            allowed(
                &session.principal,
                Access::Consultation {
                    asked: asked(session, c),
                },
            )
        })
        .collect())
}

/// `GET /consultations`
pub async fn consultations_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    session.require(Access::SignedIn)?;
    let now = now();
    let rows: Vec<ListRow> = listed(&state, &session)
        .await?
        .into_iter()
        .map(|c| ListRow {
            id: c.plan.id.to_string(),
            title: c.title.clone(),
            opens: c.plan.window.opens.wareki(),
            closes: c.plan.window.closes.wareki(),
            audience: c.plan.audience.japanese(),
            state: window_state(&session, &c, now),
        })
        .collect();
    render(
        &state,
        &session,
        "consultations.html",
        minijinja::context! { title => tr(session.lang, "意見照会", &[]), rows },
    )
}

/// A comment as pages show it.
#[derive(Serialize)]
struct CommentView {
    id: String,
    index: usize,
    clause: String,
    path: String,
    kind: &'static str,
    quote: String,
    text: String,
    proposal: String,
    author: String,
}

fn comment_views(answer: &Answer, subject: &Document) -> Vec<CommentView> {
    answer
        .comments
        .iter()
        .enumerate()
        .map(|(index, sc)| CommentView {
            id: sc.id.clone(),
            index,
            clause: sc.comment.clause.clone(),
            path: subject
                .locate(&sc.comment.clause)
                .map(|(p, _)| p.join(" / "))
                .unwrap_or_default(),
            kind: sc.comment.kind.japanese(),
            quote: sc.comment.quote.exact.clone(),
            text: sc.comment.text.clone(),
            proposal: sc.comment.proposal.clone(),
            author: sc.author.clone(),
        })
        .collect()
}

/// A clause of the subject as the page shows it.
#[derive(Serialize)]
struct ClauseView {
    key: String,
    path: String,
    title: Option<String>,
    paragraphs: Vec<String>,
    depth: usize,
}

/// The consultation page, with `error` shown above the answer.
async fn page(
    state: &AppState,
    session: &Session,
    id: &str,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    let (c, subject) = visible(state, session, id).await?;
    let now = now();
    let respondent = own_respondent(session, &c);
    let answer = match &respondent {
        Some(r) => state.store().answer(c.plan.id.as_str(), r).await?,
        None => None,
    };
    let (status, editable, may_submit, may_withdraw) = match (&respondent, &answer) {
        (Some(r), a) => {
            let status = a.as_ref().map_or(AnswerStatus::Draft, |a| a.status);
            let open = c.plan.window.is_open(now);
            let submitter = allowed(
                &session.principal,
                Access::SubmitAnswer {
                    respondent: r.clone(),
                },
            );
            (
                Some(status),
                open && status.editable(),
                open && status.editable() && submitter,
                open && status == AnswerStatus::Submitted && submitter,
            )
        }
        (None, _) => (None, false, false, false),
    };
    let clauses: Vec<ClauseView> = subject
        .located()
        .into_iter()
        .map(|l| ClauseView {
            key: l.node.key.as_str().to_string(),
            path: l.path.join(" / "),
            title: l.node.title.clone(),
            paragraphs: l.node.paragraphs.clone(),
            depth: l.path.len().saturating_sub(1).min(5),
        })
        .collect();
    let relayed = respondent.as_ref().is_some_and(|r| r.relayed(&c));
    let progress = allowed(&session.principal, Access::Progress { prefecture: None })
        || session_prefecture(session).is_some_and(|p| {
            allowed(
                &session.principal,
                Access::Progress {
                    prefecture: Some(p),
                },
            )
        });
    render(
        state,
        session,
        "consultation.html",
        minijinja::context! {
            title => c.title.clone(),
            c => minijinja::context! {
                id => c.plan.id.to_string(),
                title => c.title.clone(),
                opens => c.plan.window.opens.wareki(),
                closes => c.plan.window.closes.wareki(),
                audience => c.plan.audience.japanese(),
                deadline => match c.plan.routing {
                    kaitei_model::consultation::Routing::ThroughPrefectures { prefecture_deadline } => Some(prefecture_deadline.wareki()),
                    kaitei_model::consultation::Routing::Direct => None,
                },
                state => window_state(session, &c, now),
                subject => subject.meta.title.clone(),
                version => kaitei_app::templates::subject_version(&c),
            },
            respondent => respondent.as_ref().map(|r| minijinja::context! { key => r.key(), name => r.name() }),
            answer => answer.as_ref().map(|a| minijinja::context! {
                status => a.status.japanese(),
                received => received(a.status, relayed),
                no_comment => a.no_comment,
                note => a.note.clone(),
                version => a.version,
                comments => comment_views(a, &subject),
                updated_by => a.updated_by.clone(),
            }),
            status => status.map(|s| s.japanese()),
            base => answer.as_ref().map_or(0, |a| a.version),
            relayed,
            editable,
            may_submit,
            may_withdraw,
            progress,
            review => allowed(&session.principal, Access::ReceivedComments),
            kinds => CommentType::ALL.iter().map(|k| minijinja::context! { value => k.as_str(), name => k.japanese() }).collect::<Vec<_>>(),
            clauses,
            error,
        },
    )
}

fn session_prefecture(session: &Session) -> Option<kaitei_model::BodyCode> {
    match &session.principal {
        Principal::User(u) if u.role == kaitei_store::Role::Prefecture => u.body,
        _ => None,
    }
}

/// `GET /consultations/{id}`
pub async fn consultation_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    page(&state, &session, &id, None).await
}

/// The user's answer to change: the consultation, the respondent, the
/// stored answer (if any) — or 404/403.
async fn editable_answer(
    state: &AppState,
    session: &Session,
    id: &str,
) -> Result<(Consultation, Arc<Document>, Respondent, Option<Answer>), AppError> {
    let (c, subject, r) = answering(state, session, id).await?;
    let answer = state.store().answer(c.plan.id.as_str(), &r).await?;
    Ok((c, subject, r, answer))
}

/// Consultation `id`, its subject and the respondent the user prepares an
/// answer for — or 404 (not visible) / 403 (answers for no one asked).
pub(super) async fn answering(
    state: &AppState,
    session: &Session,
    id: &str,
) -> Result<(Consultation, Arc<Document>, Respondent), AppError> {
    let (c, subject) = visible(state, session, id).await?;
    let r = own_respondent(session, &c).ok_or(AppError::Forbidden)?;
    session.require(Access::EditAnswer {
        respondent: r.clone(),
    })?;
    Ok((c, subject, r))
}

/// The form of one new comment.
#[derive(Deserialize)]
pub struct CommentForm {
    csrf: String,
    base: Option<i64>,
    clause: String,
    kind: String,
    #[serde(default)]
    quote: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    proposal: String,
}

/// After a change of the answer: back to it, or — what the rules refuse
/// (a closed window, an answer already sent) — the page again with the
/// reason (422).
async fn answered<T>(
    state: &AppState,
    session: &Session,
    id: &str,
    done: Result<T, kaitei_store::StoreError>,
) -> Result<Response, AppError> {
    match done {
        Ok(_) => Ok(see_other(format!("/consultations/{id}#answer"))),
        Err(kaitei_store::StoreError::Invalid(m)) => refused(state, session, id, m).await,
        Err(e) => Err(e.into()),
    }
}

/// What a refused form shows: the page again, 422, with the message.
async fn refused(
    state: &AppState,
    session: &Session,
    id: &str,
    message: String,
) -> Result<Response, AppError> {
    let page = page(state, session, id, Some(message)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

fn base_of(base: Option<i64>) -> Result<i64, AppError> {
    base.ok_or_else(|| {
        AppError::BadRequest(
            "the form has no base (the version of the answer it was based on): nothing was saved; open the page again".into(),
        )
    })
}

/// `POST /consultations/{id}/answer/comments`: adds a comment.
pub async fn add_comment(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<CommentForm>,
) -> Result<Response, AppError> {
    let (c, subject, r, answer) = editable_answer(&state, &session, &id).await?;
    session.check_csrf(&form.csrf)?;
    let base = base_of(form.base)?;
    let Some(kind) = CommentType::parse(&form.kind) else {
        return refused(
            &state,
            &session,
            &id,
            tr(
                session.lang,
                "種別を選んでください（質問・意見・誤り）。",
                &[],
            ),
        )
        .await;
    };
    let input = CommentInput {
        clause: form.clause.clone(),
        quote: form.quote,
        kind,
        text: form.text,
        proposal: form.proposal,
    };
    let mut comments: Vec<_> = answer
        .iter()
        .flat_map(|a| a.comments.iter().map(|s| s.comment.clone()))
        .collect();
    match check_answer(&subject, std::slice::from_ref(&input)) {
        Ok(mut new) => comments.append(&mut new),
        Err(errors) => {
            let message = errors
                .iter()
                .map(|(_, e)| e.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            return refused(&state, &session, &id, message).await;
        }
    }
    let done = state
        .store()
        .save_answer(
            &c,
            &r,
            &comments,
            false,
            base,
            &editor(&session)?,
            now(),
            "edited",
        )
        .await;
    answered(&state, &session, c.plan.id.as_str(), done).await
}

/// A form that names the answer's version only.
#[derive(Deserialize)]
pub struct BaseForm {
    pub(super) csrf: String,
    base: Option<i64>,
    #[serde(default)]
    pub(super) note: String,
}

/// `POST /consultations/{id}/answer/comments/{index}/delete`
pub async fn delete_comment(
    State(state): State<AppState>,
    session: Session,
    Path((id, index)): Path<(String, usize)>,
    axum::extract::Form(form): axum::extract::Form<BaseForm>,
) -> Result<Response, AppError> {
    let (c, _, r, answer) = editable_answer(&state, &session, &id).await?;
    session.check_csrf(&form.csrf)?;
    let base = base_of(form.base)?;
    let mut comments: Vec<_> = answer
        .iter()
        .flat_map(|a| a.comments.iter().map(|s| s.comment.clone()))
        .collect();
    if index >= comments.len() {
        return Err(AppError::NotFound);
    }
    comments.remove(index);
    let done = state
        .store()
        .save_answer(
            &c,
            &r,
            &comments,
            false,
            base,
            &editor(&session)?,
            now(),
            "edited",
        )
        .await;
    answered(&state, &session, c.plan.id.as_str(), done).await
}

/// `POST /consultations/{id}/answer/no-comment`: 意見なし (its comments
/// must have been deleted first).
pub async fn no_comment(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<BaseForm>,
) -> Result<Response, AppError> {
    let (c, _, r, answer) = editable_answer(&state, &session, &id).await?;
    session.check_csrf(&form.csrf)?;
    let base = base_of(form.base)?;
    let on = !answer.as_ref().is_some_and(|a| a.no_comment);
    let done = state
        .store()
        .save_answer(&c, &r, &[], on, base, &editor(&session)?, now(), "edited")
        .await;
    answered(&state, &session, c.plan.id.as_str(), done).await
}

/// `POST /consultations/{id}/answer/submit` and `…/withdraw`.
async fn own_step(
    state: AppState,
    session: Session,
    id: String,
    form: BaseForm,
    what: Step,
) -> Result<Response, AppError> {
    let (c, _, r) = answering(&state, &session, &id).await?;
    session.check_csrf(&form.csrf)?;
    session.require(Access::SubmitAnswer {
        respondent: r.clone(),
    })?;
    let done = state
        .store()
        .answer_step(&c, &r, what, "", &editor(&session)?, now())
        .await;
    answered(&state, &session, c.plan.id.as_str(), done).await
}

/// `POST /consultations/{id}/answer/submit`
pub async fn submit(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<BaseForm>,
) -> Result<Response, AppError> {
    own_step(state, session, id, form, Step::Submit).await
}

/// `POST /consultations/{id}/answer/withdraw`
pub async fn withdraw(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<BaseForm>,
) -> Result<Response, AppError> {
    own_step(state, session, id, form, Step::Withdraw).await
}

/// `GET /consultations/{id}/answer/template`: the user's template (.xlsx),
/// pre-filled with the answer in preparation.
pub async fn template(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (c, _, r, _) = editable_answer(&state, &session, &id).await?;
    let (name, bytes) = state.app.answer_template(c.plan.id.as_str(), &r).await?;
    Ok(super::download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &name,
    ))
}

/// `POST /consultations/{id}/answer/upload` (multipart: `csrf`, `file`):
/// a filled template replaces the answer in preparation — all or nothing.
pub async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let (c, _, r, _) = editable_answer(&state, &session, &id).await?;
    let (mut csrf, mut file) = (String::new(), None);
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("unreadable upload: {e}")))?
    {
        match field.name() {
            Some("csrf") => {
                csrf = field
                    .text()
                    .await
                    .map_err(|e| AppError::BadRequest(e.to_string()))?
            }
            Some("file") => {
                file = Some(
                    field
                        .bytes()
                        .await
                        .map_err(|e| AppError::BadRequest(format!("unreadable upload: {e}")))?,
                )
            }
            _ => {}
        }
    }
    session.check_csrf(&csrf)?;
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return refused(
            &state,
            &session,
            &id,
            tr(session.lang, "ファイルを選んでください。", &[]),
        )
        .await;
    };
    match state
        .app
        .import_answer(&bytes, Some(&r), false, &editor(&session)?, now())
        .await
    {
        Ok(ImportedAnswer::Stored { .. }) => {
            Ok(see_other(format!("/consultations/{}#answer", c.plan.id)))
        }
        Ok(ImportedAnswer::Unchanged { .. }) => {
            refused(
                &state,
                &session,
                &id,
                tr(
                    session.lang,
                    "アップロードされた様式は登録済みの回答と同じです。何も変更していません。",
                    &[],
                ),
            )
            .await
        }
        Err(ImportError::Rows(rows)) => {
            let lines: Vec<String> = rows
                .iter()
                .map(|(row, m)| tr(session.lang, "{0}行目：{1}", &[&row.to_string(), m]))
                .collect();
            let head = tr(
                session.lang,
                "様式に誤りがあるため、何も登録していません。",
                &[],
            );
            refused(
                &state,
                &session,
                &id,
                format!("{head} {}", lines.join(" / ")),
            )
            .await
        }
        Err(ImportError::File(m)) => refused(&state, &session, &id, m).await,
        Err(ImportError::App(e)) => match e {
            kaitei_app::Error::Invalid(m) | kaitei_app::Error::Stale(m) => {
                refused(&state, &session, &id, m).await
            }
            e => Err(e.into()),
        },
    }
}
