//! The end of a round: the response table (意見と対応) in each format, and
//! the draft published as the next edition — refused while a consultation
//! on it is open or a comment received has no disposition.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::comment_review::response_table;
use kaitei_model::{Date, EditionName};
use serde::Deserialize;

use super::consultation::{now, visible};
use super::{checked, percent_encode, see_other};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::session::Session;

/// `?format=xlsx|docx|html&anonymise=1`
#[derive(Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    format: String,
    #[serde(default)]
    anonymise: Option<String>,
}

/// `GET /consultations/{id}/report`
pub async fn report(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let (c, _) = visible(&state, &session, &id).await?;
    session.require(Access::ReceivedComments)?;
    let review = state.app.comment_review(c.plan.id.as_str()).await?;
    let anonymise = q
        .anonymise
        .as_deref()
        .is_some_and(|v| v == "1" || v == "true");
    let table = response_table(&review, anonymise, &now().date().wareki());
    let name = format!(
        "{}_意見と対応{}",
        c.plan.id,
        if anonymise { "_匿名" } else { "" }
    );
    use kaitei_report::response_table as write;
    match q.format.as_str() {
        "xlsx" => Ok(super::download(
            write::xlsx(&table).map_err(|e| AppError::Internal(e.to_string()))?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            &format!("{name}.xlsx"),
        )),
        "docx" => Ok(super::download(
            write::docx(&table),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &format!("{name}.docx"),
        )),
        "" | "html" => Ok(Html(write::html(&table)).into_response()),
        other => Err(AppError::BadRequest(format!(
            "format: {other:?} is not xlsx, docx or html"
        ))),
    }
}

/// The edition a draft becomes.
#[derive(Deserialize)]
pub struct PublishForm {
    csrf: String,
    /// Its name (令和8年12月版).
    edition: String,
    /// Its publication date: 2026-12-20 or 令和8年12月20日.
    published: String,
}

/// `POST /drafts/{name}/publish`
pub async fn publish_draft(
    State(state): State<AppState>,
    session: Session,
    Path(name): Path<String>,
    axum::extract::Form(form): axum::extract::Form<PublishForm>,
) -> Result<Response, AppError> {
    session.require(Access::DisposeComments)?;
    session.check_csrf(&form.csrf)?;
    let name = checked(&name)?.to_string();
    let refuse = |m: String| async {
        let page = super::cycle::draft_view(&state, &session, &name, Some(m)).await?;
        Ok::<Response, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    let edition = match EditionName::parse(checked(form.edition.trim())?) {
        Ok(e) => e,
        Err(e) => return refuse(e.to_string()).await,
    };
    let Some(date) = Date::parse_typed(&form.published) else {
        return refuse(format!(
            "{:?} is not a date: write 2026-12-20 or 令和8年12月20日",
            form.published
        ))
        .await;
    };
    match state.app.publish_draft(&name, &edition, date, now()).await {
        Ok(_) => {
            // The national impact of the new edition, made now.
            *state.national.lock().await = None;
            super::dashboard::national(&state).await?;
            Ok(see_other(format!(
                "/editions/{}",
                percent_encode(edition.as_str())
            )))
        }
        Err(kaitei_app::Error::Invalid(m) | kaitei_app::Error::Stale(m)) => refuse(m).await,
        Err(kaitei_app::Error::Store(kaitei_store::StoreError::Duplicate(m))) => refuse(m).await,
        Err(e) => Err(e.into()),
    }
}
