//! A body's policy revised: adopting the merge review as a new revision
//! the officer names and dates (form and API), and the body's own
//! 新旧対照表 for its internal approval (決裁) — of the revision the review
//! makes, from the review page, and of the revision adopted, from the
//! policy page. The rules live in `kaitei_app::revision`.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use kaitei_app::{Revision, RevisionProblem, TableFormat};
use kaitei_model::registry;
use serde::Deserialize;

use super::policy::{Visible, editable_policy, visible_policy};
use super::review::{AdoptAgain, Shown, load, nothing_to_review, page};
use super::{api_csrf, checked, download, editor, see_other};
use crate::AppState;
use crate::auth::{Access, allowed};
use crate::error::AppError;
use crate::i18n::{Lang, tr};
use crate::session::Session;

/// The adopt form: the new revision's name and date.
#[derive(Deserialize)]
pub struct AdoptForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    published: String,
    // Missing is refused by the check, after who may is decided.
    #[serde(default)]
    csrf: String,
}

/// Why a revision's name or date is refused, in the user's language.
fn problem(lang: Lang, p: &RevisionProblem) -> String {
    match p {
        RevisionProblem::NoName => tr(lang, "改定後の版の名前を入力してください。", &[]),
        RevisionProblem::LongName => tr(
            lang,
            "版の名前は{0}文字以内にしてください。",
            &[&kaitei_app::revision::MAX_VERSION_CHARS.to_string()],
        ),
        RevisionProblem::ControlInName => tr(lang, "版の名前に改行や制御文字は使えません。", &[]),
        RevisionProblem::BadDate => tr(
            lang,
            "日付を「令和8年4月1日」または「2026-04-01」の形で入力してください。",
            &[],
        ),
        RevisionProblem::DateBefore(d) => tr(
            lang,
            "日付は現在の版の日付（{0}）以降にしてください。",
            &[&format!("{d}（{}）", d.wareki())],
        ),
        RevisionProblem::NameTaken(n) => tr(
            lang,
            "「{0}」は、この団体のポリシーの版の名前として使われています。別の名前にしてください。",
            &[n],
        ),
    }
}

/// `POST /bodies/{code}/policy/review/adopt`: the decisions made of the
/// proposal become the body's new revision, named and dated as the form
/// says; then the policy page, saying so. Refused — the review again, the
/// form holding what was typed, with the reason — while a conflict is
/// undecided or the policy changed meanwhile (409), or when the name or
/// date will not do (422).
pub async fn adopt(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    axum::extract::Form(form): axum::extract::Form<AdoptForm>,
) -> Result<Response, AppError> {
    let Visible { body, .. } = editable_policy(&state, &session, &code).await?;
    session.check_csrf(&form.csrf)?;
    let review = load(&state, &session, &code)
        .await?
        .ok_or_else(|| nothing_to_review(&session))?;
    let lang = session.lang;
    let refused = |status: StatusCode, review: &kaitei_app::MergeReview, error: String| {
        let shown = Shown {
            message: Some(error.clone()),
            adopt: Some(AdoptAgain {
                version: form.version.clone(),
                published: form.published.clone(),
                error,
            }),
            ..Shown::default()
        };
        page(&state, &session, &code, Some(review), shown).map(|p| (status, p).into_response())
    };
    let revision = match Revision::parse(&form.version, &form.published) {
        Ok(r) => r,
        Err(p) => return refused(StatusCode::UNPROCESSABLE_ENTITY, &review, problem(lang, &p)),
    };
    match state
        .app
        .adopt(&review, &editor(&session)?, &revision)
        .await
    {
        Ok(_) => Ok(see_other(super::policy_page::policy_done(body, "adopted"))),
        Err(kaitei_app::Error::Revision(p)) => {
            refused(StatusCode::UNPROCESSABLE_ENTITY, &review, problem(lang, &p))
        }
        Err(kaitei_app::Error::Undecided(conflicts)) => {
            let message = tr(
                lang,
                "未判断の競合が {0} 件あります。「競合」で絞り込み、すべて判断してから反映してください：{1}",
                &[&conflicts.len().to_string(), &conflicts.join("、")],
            );
            refused(StatusCode::CONFLICT, &review, message)
        }
        Err(kaitei_app::Error::Stale(_)) => {
            // What changed is shown as it is now.
            let message = tr(
                lang,
                "確認している間に、ほかの人がこのポリシーを編集したか改定を反映しました。何も保存していません。内容を確かめてから、もう一度反映してください。",
                &[],
            );
            match load(&state, &session, &code).await? {
                Some(now) => refused(StatusCode::CONFLICT, &now, message),
                None => Err(AppError::Stale(message)),
            }
        }
        Err(e) => Err(e.into()),
    }
}

/// The API's adopt body: the new revision's name and date.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AdoptJson {
    /// The new revision's version name (`令和8年4月1日施行`). Required;
    /// missing is refused (400) after who may is decided.
    #[serde(default)]
    version: String,
    /// Its date: `2026-04-01` or `令和8年4月1日`. Required, as `version`.
    #[serde(default)]
    published: String,
}

/// `POST /api/v1/bodies/{code}/policy/review/adopt` with JSON
/// `{"version": "令和8年4月1日施行", "published": "2026-04-01"}` (CSRF token
/// in `X-CSRF-Token`): 204, or 409 naming the undecided conflicts.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/policy/review/adopt", tag = "review",
    params(("code" = String, Path, description = "The body's six-digit code (全国地方公共団体コード)")),
    request_body = AdoptJson,
    responses((status = 204, description = "Adopted: the decisions made of the proposal are the body's new revision, with this name and date (not public until the body makes it so); the revision reviewed is kept"),
        (status = 409, description = "A conflict is undecided, or the policy changed since the review was read: nothing was saved"),
        (status = 400, description = "Malformed, or the name or date will not do (empty, a date before the current revision's, a name the body has used): the message says which"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed, or a wrong or missing `X-CSRF-Token`"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_adopt(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(code): Path<String>,
    axum::Json(body): axum::Json<AdoptJson>,
) -> Result<Response, AppError> {
    editable_policy(&state, &session, &code).await?;
    api_csrf(&session, &headers)?;
    let revision = Revision::parse(&body.version, &body.published)
        .map_err(|p| AppError::BadRequest(p.to_string()))?;
    let review = load(&state, &session, &code)
        .await?
        .ok_or_else(|| nothing_to_review(&session))?;
    match state
        .app
        .adopt(&review, &editor(&session)?, &revision)
        .await
    {
        Ok(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(kaitei_app::Error::Revision(p)) => Err(AppError::BadRequest(p.to_string())),
        Err(e) => Err(e.into()),
    }
}

/// The download's format: `?format=docx` (the default), or any other the
/// 新旧対照表 is written in.
#[derive(Deserialize)]
pub struct TableQuery {
    format: Option<String>,
}

fn format_of(q: &TableQuery) -> Result<TableFormat, AppError> {
    q.format
        .as_deref()
        .map_or(Ok(TableFormat::Docx), str::parse)
        .map_err(|e: kaitei_app::table::UnknownFormat| AppError::BadRequest(e.to_string()))
}

/// A body's name, for a file's name.
fn body_name(code: &str) -> String {
    registry()
        .lookup(code)
        .map_or_else(|_| code.to_string(), |b| b.name.clone())
}

/// `GET /bodies/{code}/policy/review/table?format=docx`: the 新旧対照表
/// of the revision the review makes as decided so far (the current
/// policy → the revised one, in the body's numbering; an undecided
/// conflict as the policy has it), for the body's approval before it
/// adopts. The body's officers only, as the review.
pub async fn review_table(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(q): Query<TableQuery>,
) -> Result<Response, AppError> {
    let review = load(&state, &session, &code)
        .await?
        .ok_or(AppError::NotFound)?;
    let format = format_of(&q)?;
    let bytes = state.app.review_table(&review, format).await?;
    let name = format!(
        "新旧対照表_{}_{}_{}.{}",
        body_name(&code),
        review.current().meta.edition,
        kaitei_app::revision::DRAFT_VERSION,
        format.extension()
    );
    Ok(download(bytes, format.content_type(), &name))
}

/// `GET /bodies/{code}/policy/table?format=docx`: the 新旧対照表 of the
/// body's current policy against the revision it was adopted from (404
/// when it was not made by adopting a review). For those who may read
/// the body's policies that are not public (its officers, the ministry):
/// the earlier revision may never have been public.
pub async fn policy_table(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(q): Query<TableQuery>,
) -> Result<Response, AppError> {
    let visible = visible_policy(&state, &session, &code).await?;
    let all_of_it = Access::Policy {
        body: visible.body,
        public: false,
    };
    if !allowed(&session.principal, all_of_it) {
        return Err(AppError::NotFound);
    }
    let format = format_of(&q)?;
    let previous = state
        .app
        .previous_revision(visible.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let bytes = state
        .app
        .revision_table(visible.id, format)
        .await?
        .ok_or(AppError::NotFound)?;
    let current = state
        .store()
        .load(visible.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = format!(
        "新旧対照表_{}_{}_{}.{}",
        body_name(checked(&code)?),
        previous.version,
        current.meta.edition,
        format.extension()
    );
    Ok(download(bytes, format.content_type(), &name))
}
