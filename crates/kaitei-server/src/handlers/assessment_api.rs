//! The JSON API of the self-assessment: a body's self-assessment of a
//! year (read, answers saved), the ministry's questions. Authorised as the
//! pages.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use kaitei_model::Key;
use kaitei_records::assessment::{Answer, Carried, Score, read_questions};
use kaitei_store::StoredAnswer;
use serde::{Deserialize, Serialize};

use super::assessment::{YearQuery, replace_questions, year_of};
use super::disposal::records_body;
use super::linkage_api::lines;
use super::{api_csrf, editor};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::session::Session;

/// One item of a self-assessment.
#[derive(Serialize, utoipa::ToSchema)]
struct ItemOut {
    key: String,
    chapter: String,
    clause: String,
    question: String,
    /// `done`, `partial`, `not_done`, `not_applicable`, or null.
    answer: Option<&'static str>,
    /// `own` (answered this year), `kept` (carried over), `ask` (the
    /// clause's text changed: asked again), `none`.
    status: &'static str,
    note: String,
    /// When asked again: last year's answer and the text before and after.
    previous: Option<&'static str>,
    old_text: Option<String>,
    new_text: Option<String>,
}

/// A score.
#[derive(Serialize, utoipa::ToSchema)]
struct ScoreOut {
    chapter: String,
    items: usize,
    done: usize,
    partial: usize,
    not_done: usize,
    not_applicable: usize,
    /// (done + ½ partial) / (items − not applicable), 0 to 1; null when
    /// every item is not applicable.
    score: Option<f64>,
}

fn score_out(chapter: String, s: &Score) -> ScoreOut {
    ScoreOut {
        chapter,
        items: s.items,
        done: s.done,
        partial: s.partial,
        not_done: s.not_done,
        not_applicable: s.not_applicable,
        score: s.value(),
    }
}

/// A year's total.
#[derive(Serialize, utoipa::ToSchema)]
struct YearOut {
    /// The fiscal year (2025 = 令和7年度).
    year: u16,
    chapters: Vec<ScoreOut>,
    total: ScoreOut,
}

/// A body's self-assessment of a year.
#[derive(Serialize, utoipa::ToSchema)]
struct AssessmentOut {
    year: u16,
    edition: String,
    items: Vec<ItemOut>,
    chapters: Vec<ScoreOut>,
    total: ScoreOut,
    history: Vec<YearOut>,
}

/// `GET /api/v1/bodies/{code}/assessment`
#[utoipa::path(get, path = "/api/v1/bodies/{code}/assessment", tag = "records",
    params(("code" = String, Path, description = "The body's code"),
        ("year" = Option<String>, Query, description = "The fiscal year (2025 or 令和7年度); the current one when absent")),
    responses((status = 200, description = "The checklist with the answers (own, carried over, asked again), the scores per chapter and the years before", body = AssessmentOut),
        (status = 400, description = "Not a fiscal year"),
        (status = 401, description = "Not signed in"),
        (status = 404, description = "No such body, not this user's, or no policy stored")))]
pub async fn api_assessment(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, false)?;
    let year = year_of(q.year.as_deref())?;
    let a = state.app.assessment(body, year).await?;
    let items = a
        .items
        .iter()
        .map(|i| {
            let c = a.answers.get(&i.key);
            let (status, change) = match c {
                Some(Carried::Own(_)) => ("own", None),
                Some(Carried::Kept(_)) => ("kept", None),
                Some(Carried::AskAgain { previous, change }) => ("ask", Some((*previous, change))),
                None => ("none", None),
            };
            ItemOut {
                key: i.key.to_string(),
                chapter: i.chapter.clone(),
                clause: i.clause.clone(),
                question: i.question.clone(),
                answer: c.and_then(Carried::answer).map(Answer::id),
                status,
                note: a.notes.get(&i.key).cloned().unwrap_or_default(),
                previous: change.map(|(p, _)| p.id()),
                old_text: change.map(|(_, c)| c.old.clone()),
                new_text: change.map(|(_, c)| c.new.clone()),
            }
        })
        .collect();
    let chapters = |cs: &[(String, Score)]| {
        cs.iter()
            .map(|(c, s)| score_out(c.clone(), s))
            .collect::<Vec<_>>()
    };
    Ok(Json(AssessmentOut {
        year: year.year(),
        edition: a.edition.clone(),
        items,
        chapters: chapters(&a.scores.0),
        total: score_out("total".into(), &a.scores.1),
        history: a
            .history
            .iter()
            .map(|(y, cs, t)| YearOut {
                year: y.year(),
                chapters: chapters(cs),
                total: score_out("total".into(), t),
            })
            .collect(),
    })
    .into_response())
}

/// An answer to save.
#[derive(Deserialize, utoipa::ToSchema)]
struct AnswerIn {
    key: String,
    /// `done`, `partial`, `not_done`, `not_applicable`, or null to take
    /// this year's answer back.
    answer: Option<String>,
    #[serde(default)]
    note: String,
}

/// Answers to save.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AnswersIn {
    answers: Vec<AnswerIn>,
}

/// `POST /api/v1/bodies/{code}/assessment/{year}`
#[utoipa::path(post, path = "/api/v1/bodies/{code}/assessment/{year}", tag = "records",
    params(("code" = String, Path, description = "The body's code"), ("year" = String, Path, description = "The fiscal year")),
    request_body = AnswersIn,
    responses((status = 204, description = "Saved"),
        (status = 400, description = "Not a fiscal year"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed (the ministry reads, never writes)"),
        (status = 404, description = "No such body, not this user's, or no policy stored"),
        (status = 422, description = "An answer that is not one, or a key not on the checklist: nothing saved")))]
pub async fn api_save_assessment(
    State(state): State<AppState>,
    session: Session,
    Path((code, year)): Path<(String, String)>,
    headers: HeaderMap,
    Json(input): Json<AnswersIn>,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, true)?;
    api_csrf(&session, &headers)?;
    let year = year_of(Some(&year))?;
    let mut answers = Vec::new();
    for (i, a) in input.answers.into_iter().enumerate() {
        let key = Key::new(&a.key)
            .ok_or_else(|| AppError::Unprocessable(format!("answers[{i}].key: not a key")))?;
        let answer = a
            .answer
            .map(|x| {
                Answer::from_id(&x).ok_or_else(|| {
                    AppError::Unprocessable(format!("answers[{i}].answer: {x:?} is not an answer"))
                })
            })
            .transpose()?;
        answers.push((
            key,
            answer.map(|answer| StoredAnswer {
                answer,
                note: a.note,
            }),
        ));
    }
    match state
        .app
        .answer_assessment(body, year, &answers, &editor(&session)?)
        .await
    {
        Ok(()) => Ok(axum::http::StatusCode::NO_CONTENT.into_response()),
        Err(kaitei_app::Error::Invalid(e)) => Err(AppError::Unprocessable(e)),
        Err(e) => Err(e.into()),
    }
}

/// The ministry's questions, as the text it edits (`KEY: question` a line).
#[derive(Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuestionsText {
    text: String,
}

/// `GET /api/v1/assessment/questions`
#[utoipa::path(get, path = "/api/v1/assessment/questions", tag = "records",
    responses((status = 200, description = "The questions by guideline key", body = QuestionsText),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the ministry")))]
pub async fn api_questions(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    let q = state
        .store()
        .assessment_questions()
        .await
        .map_err(kaitei_app::Error::from)?;
    Ok(Json(QuestionsText {
        text: kaitei_records::assessment::print_questions(&q),
    })
    .into_response())
}

/// `POST /api/v1/assessment/questions`: every question replaced.
#[utoipa::path(post, path = "/api/v1/assessment/questions", tag = "records",
    request_body = QuestionsText,
    responses((status = 204, description = "Saved"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not the ministry"),
        (status = 422, description = "Wrong lines: nothing saved")))]
pub async fn api_save_questions(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Json(input): Json<QuestionsText>,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    api_csrf(&session, &headers)?;
    let list = read_questions(&input.text).map_err(|p| AppError::Unprocessable(lines(&p)))?;
    replace_questions(&state, &list, &editor(&session)?).await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}
