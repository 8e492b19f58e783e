//! The self-assessment: a body's checklist of a fiscal year with its
//! answers (own, carried over, asked again with the change shown), the
//! scores per chapter and the year-over-year view, evidence files up and
//! down; the ministry's questions, edited as text.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::assessment::YearAssessment;
use kaitei_model::cycle::FiscalYear;
use kaitei_model::{Body, JstTime, Key};
use kaitei_records::assessment::{Answer, Carried, Score, print_questions, read_questions};
use kaitei_records::linkage::LineProblem;
use kaitei_store::StoredAnswer;
use serde::Deserialize;

use super::disposal::{read_upload, records_body};
use super::linkage::TextForm;
use super::{download, editor, percent_encode, render, see_other};
use crate::AppState;
use crate::auth::{Access, allowed};
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// `?year=` (2025, 令和7年度); the current fiscal year when absent.
#[derive(Deserialize)]
pub struct YearQuery {
    pub(super) year: Option<String>,
}

/// The fiscal year typed, else the current one.
pub(super) fn year_of(typed: Option<&str>) -> Result<FiscalYear, AppError> {
    match typed.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(FiscalYear::of(kaitei_app::now().date())),
        Some(s) => FiscalYear::parse(s)
            .ok_or_else(|| AppError::BadRequest(format!("{s:?} is not a fiscal year"))),
    }
}

fn score_view(name: String, s: &Score) -> minijinja::Value {
    minijinja::context! {
        name,
        items => s.items, done => s.done, partial => s.partial, not_done => s.not_done,
        not_applicable => s.not_applicable, unanswered => s.unanswered(), percent => s.percent(),
    }
}

fn stamp_wareki(stamp: &str) -> String {
    stamp
        .parse::<i64>()
        .map_or(stamp.to_string(), |s| JstTime::from_unix(s).wareki())
}

/// `GET /bodies/{code}/assessment?year=`
pub async fn assessment_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(q): Query<YearQuery>,
) -> Result<Html<String>, AppError> {
    let body = records_body(&session, &code, false)?;
    let year = year_of(q.year.as_deref())?;
    assessment_view(&state, &session, body, year, None).await
}

async fn assessment_view(
    state: &AppState,
    session: &Session,
    body: &Body,
    year: FiscalYear,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    let lang = session.lang;
    let a: YearAssessment = match state.app.assessment(body, year).await {
        Ok(a) => a,
        // No policy (or none naming its edition): nothing to check yet.
        Err(kaitei_app::Error::NotFound(_) | kaitei_app::Error::Invalid(_)) if error.is_none() => {
            return render(
                state,
                session,
                "assessment.html",
                minijinja::context! {
                    title => tr(lang, "{0} 自己点検（{1}）", &[&body.name, &year.wareki()]),
                    code => body.code.to_string(),
                    no_policy => true,
                },
            );
        }
        Err(e) => return Err(e.into()),
    };
    let editable = allowed(&session.principal, Access::EditRecords { body: body.code });
    let mut chapters: Vec<(String, Vec<minijinja::Value>)> = Vec::new();
    for item in &a.items {
        let carried = a.answers.get(&item.key);
        let (answer, status, change) = match carried {
            Some(Carried::Own(x)) => (Some(x.id()), "own", None),
            Some(Carried::Kept(x)) => (Some(x.id()), "kept", None),
            Some(Carried::AskAgain { previous, change }) => (
                None,
                "ask",
                Some(
                    minijinja::context! { previous => previous.id(), old => change.old.clone(), new => change.new.clone() },
                ),
            ),
            None => (None, "none", None),
        };
        let evidence: Vec<_> = a
            .evidence
            .iter()
            .filter(|e| e.key == item.key)
            .map(|e| {
                minijinja::context! {
                    id => e.id, name => e.file_name.clone(), sha => e.sha256[..12].to_string(),
                    at => stamp_wareki(&e.uploaded_at), by => e.uploaded_by.clone(),
                }
            })
            .collect();
        let view = minijinja::context! {
            key => item.key.to_string(),
            clause => item.clause.clone(),
            question => item.question.clone(),
            modified => item.modified,
            answer, status, change, evidence,
            note => a.notes.get(&item.key).cloned().unwrap_or_default(),
        };
        match chapters.iter_mut().find(|(c, _)| *c == item.chapter) {
            Some((_, list)) => list.push(view),
            None => chapters.push((item.chapter.clone(), vec![view])),
        }
    }
    // The year-over-year view: every chapter of any year, as columns.
    let mut names: Vec<String> = Vec::new();
    for (_, cs, _) in &a.history {
        for (c, _) in cs {
            if !names.contains(c) {
                names.push(c.clone());
            }
        }
    }
    let history: Vec<_> = a
        .history
        .iter()
        .map(|(y, cs, total)| {
            let cells: Vec<Option<u32>> = names
                .iter()
                .map(|n| cs.iter().find(|(c, _)| c == n).and_then(|(_, s)| s.percent()))
                .collect();
            minijinja::context! { year => y.wareki(), link => y.year(), total => total.percent(), cells }
        })
        .collect();
    // The answers' words (該当なし means "gone" elsewhere on the site).
    let word = |x: Answer| match lang {
        crate::i18n::Lang::Ja => x.japanese(),
        crate::i18n::Lang::En => x.english(),
    };
    let answers: Vec<_> = Answer::ALL.iter().map(|x| (x.id(), word(*x))).collect();
    let current = FiscalYear::of(kaitei_app::now().date());
    let mut years: Vec<(u16, String)> = a
        .history
        .iter()
        .map(|(y, _, _)| (y.year(), y.wareki()))
        .collect();
    for y in [
        current,
        FiscalYear::new(current.year() + 1).unwrap_or(current),
    ] {
        if !years.iter().any(|(n, _)| *n == y.year()) {
            years.push((y.year(), y.wareki()));
        }
    }
    years.sort();
    render(
        state,
        session,
        "assessment.html",
        minijinja::context! {
            title => tr(lang, "{0} 自己点検（{1}）", &[&body.name, &year.wareki()]),
            code => body.code.to_string(),
            year => year.year(),
            year_name => year.wareki(),
            years,
            edition => a.edition.clone(),
            aligned => a.aligned,
            chapters,
            scores => a.scores.0.iter().map(|(c, s)| score_view(c.clone(), s)).collect::<Vec<_>>(),
            total => score_view(tr(lang, "全体", &[]), &a.scores.1),
            names, history, answers, editable, error,
        },
    )
}

/// The answers' form: `answer:KEY` (an answer's id, or empty) and
/// `note:KEY` per item.
#[derive(Deserialize)]
pub struct AnswersForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    fields: HashMap<String, String>,
}

/// The answers a form changes: those whose answer or note differs from
/// what counts now (an untouched carried answer stays carried).
fn changed_answers(
    a: &YearAssessment,
    fields: &HashMap<String, String>,
) -> Result<Vec<(Key, Option<StoredAnswer>)>, String> {
    let mut out = Vec::new();
    for item in &a.items {
        let Some(typed) = fields.get(&format!("answer:{}", item.key)) else {
            continue;
        };
        let note = fields
            .get(&format!("note:{}", item.key))
            .map_or("", |s| s.trim());
        let answer = match typed.trim() {
            "" => None,
            id => Some(
                Answer::from_id(id)
                    .ok_or_else(|| format!("{}: {id:?} は回答ではありません", item.clause))?,
            ),
        };
        let now = a.answers.get(&item.key);
        let old_note = a.notes.get(&item.key).map_or("", String::as_str);
        let same = match (now, answer) {
            (Some(Carried::Own(x) | Carried::Kept(x)), Some(y)) => *x == y && note == old_note,
            (None | Some(Carried::AskAgain { .. }), None) => note.is_empty(),
            _ => false,
        };
        if same {
            continue;
        }
        let stored = answer.map(|answer| StoredAnswer {
            answer,
            note: note.to_string(),
        });
        if stored.is_none() && !note.is_empty() {
            return Err(format!(
                "{}: 備考を書くときは回答も選んでください",
                item.clause
            ));
        }
        out.push((item.key.clone(), stored));
    }
    Ok(out)
}

/// The page again with `error`, as a 422: nothing was saved.
async fn refused(
    state: &AppState,
    session: &Session,
    body: &Body,
    year: FiscalYear,
    error: String,
) -> Result<Response, AppError> {
    let page = assessment_view(state, session, body, year, Some(error)).await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `POST /bodies/{code}/assessment/{year}`: the year's answers saved.
pub async fn save_assessment(
    State(state): State<AppState>,
    session: Session,
    Path((code, year)): Path<(String, String)>,
    axum::Form(form): axum::Form<AnswersForm>,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, true)?;
    session.check_csrf(&form.csrf)?;
    let year = year_of(Some(&year))?;
    let a = state.app.assessment(body, year).await?;
    let answers = match changed_answers(&a, &form.fields) {
        Ok(x) => x,
        Err(e) => return refused(&state, &session, body, year, e).await,
    };
    if !answers.is_empty() {
        match state
            .app
            .answer_assessment(body, year, &answers, &editor(&session)?)
            .await
        {
            Ok(()) => {}
            Err(kaitei_app::Error::Invalid(e)) => {
                return refused(&state, &session, body, year, e).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(see_other(format!(
        "/bodies/{}/assessment?year={}#saved",
        body.code,
        year.year()
    )))
}

/// `POST /bodies/{code}/assessment/{year}/evidence` (multipart: csrf,
/// key, file): an evidence file attached to an item.
pub async fn attach_evidence(
    State(state): State<AppState>,
    session: Session,
    Path((code, year)): Path<(String, String)>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, true)?;
    let upload = read_upload(multipart).await?;
    session.check_csrf(&upload.csrf)?;
    let year = year_of(Some(&year))?;
    let key = upload
        .fields
        .iter()
        .find(|(n, _)| n == "key")
        .and_then(|(_, v)| Key::new(v.trim()))
        .ok_or_else(|| AppError::BadRequest("no item named".into()))?;
    let Some((name, bytes)) = upload.file.filter(|(_, b)| !b.is_empty()) else {
        let e = tr(session.lang, "ファイルを選んでください。", &[]);
        return refused(&state, &session, body, year, e).await;
    };
    let name = name.rsplit(['/', '\\']).next().unwrap_or(&name).to_string();
    match state
        .app
        .attach_evidence(body, year, &key, &name, &bytes, &editor(&session)?)
        .await
    {
        Ok(_) => Ok(see_other(format!(
            "/bodies/{}/assessment?year={}#item-{}",
            body.code,
            year.year(),
            percent_encode(key.as_str())
        ))),
        Err(kaitei_app::Error::Invalid(e)) => refused(&state, &session, body, year, e).await,
        Err(e) => Err(e.into()),
    }
}

/// `GET /bodies/{code}/assessment/evidence/{id}`: the file as uploaded
/// (checked against its SHA-256).
pub async fn evidence_file(
    State(state): State<AppState>,
    session: Session,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, false)?;
    let (e, bytes) = state
        .store()
        .evidence_file(body.code, id)
        .await
        .map_err(kaitei_app::Error::from)?
        .ok_or(AppError::NotFound)?;
    Ok(download(bytes, "application/octet-stream", &e.file_name))
}

/// `GET /assessment/questions`: the ministry's questions as text.
pub async fn questions_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    session.require(Access::NationalRecords)?;
    let q = state
        .store()
        .assessment_questions()
        .await
        .map_err(kaitei_app::Error::from)?;
    questions_view(&state, &session, print_questions(&q), q.len(), None).await
}

async fn questions_view(
    state: &AppState,
    session: &Session,
    text: String,
    count: usize,
    problems: Option<Vec<LineProblem>>,
) -> Result<Html<String>, AppError> {
    let latest = state.app.latest_edition().await?.map(|e| e.edition);
    render(
        state,
        session,
        "assessment_questions.html",
        minijinja::context! {
            title => tr(session.lang, "自己点検の設問", &[]),
            text, count, latest,
            problems => problems.map(|p| p.iter().map(ToString::to_string).collect::<Vec<_>>()),
        },
    )
}

/// `POST /assessment/questions`: the questions replaced by the text (a
/// key no longer listed loses its question; all or nothing).
pub async fn save_questions(
    State(state): State<AppState>,
    session: Session,
    axum::Form(form): axum::Form<TextForm>,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    session.check_csrf(&form.csrf)?;
    match read_questions(&form.text) {
        Ok(list) => {
            replace_questions(&state, &list, &editor(&session)?).await?;
            Ok(see_other("/assessment/questions#saved".into()))
        }
        Err(problems) => {
            let page = questions_view(&state, &session, form.text, 0, Some(problems)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// Replaces every question by `list` (those not in it removed).
pub(super) async fn replace_questions(
    state: &AppState,
    list: &[(Key, String)],
    by: &str,
) -> Result<(), AppError> {
    let before = state
        .store()
        .assessment_questions()
        .await
        .map_err(kaitei_app::Error::from)?;
    let new: BTreeMap<&Key, &String> = list.iter().map(|(k, q)| (k, q)).collect();
    let mut changes: Vec<(Key, Option<String>)> = before
        .iter()
        .filter(|(k, q)| new.get(k).is_none_or(|n| n != q))
        .filter(|(k, _)| !new.contains_key(k))
        .map(|(k, _)| (k.clone(), None))
        .collect();
    changes.extend(
        list.iter()
            .filter(|(k, q)| before.get(k) != Some(q))
            .map(|(k, q)| (k.clone(), Some(q.clone()))),
    );
    state
        .store()
        .set_assessment_questions(&changes, by)
        .await
        .map_err(|e| AppError::from(kaitei_app::Error::from(e)))
}
