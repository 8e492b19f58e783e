//! The ministry's accounts page: create accounts with their role, body,
//! right to submit (or a vendor's organisation); give or take the right;
//! disable and enable. As `kaitei user` does on the command line.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kaitei_model::registry;
use kaitei_store::Role;
use serde::{Deserialize, Serialize};

use super::{checked, render};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

#[derive(Serialize)]
struct UserRow {
    login: String,
    role: &'static str,
    body: String,
    can_submit: bool,
    disabled: bool,
    submits: bool,
}

async fn page(
    state: &AppState,
    session: &Session,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    session.require(Access::ManageCycle)?;
    let users: Vec<UserRow> = state
        .store()
        .users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            body: u
                .body
                .map(|b| format!("{b} {}", registry().get(b).map_or("", |x| x.name.as_str())))
                .or(u.organisation.clone())
                .unwrap_or_default(),
            submits: matches!(u.role, Role::Body | Role::Prefecture),
            login: u.login,
            role: u.role.as_str(),
            can_submit: u.can_submit,
            disabled: u.disabled,
        })
        .collect();
    render(
        state,
        session,
        "accounts.html",
        minijinja::context! { title => tr(session.lang, "アカウント", &[]), users, error },
    )
}

/// `GET /admin/users`
pub async fn accounts_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    page(&state, &session, None).await
}

/// The new account form.
#[derive(Deserialize)]
pub struct NewAccount {
    csrf: String,
    login: String,
    password: String,
    role: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    can_submit: Option<String>,
}

fn back() -> Response {
    super::see_other("/admin/users".to_string())
}

/// `POST /admin/users`
pub async fn add_account(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Form(form): axum::extract::Form<NewAccount>,
) -> Result<Response, AppError> {
    session.require(Access::ManageCycle)?;
    session.check_csrf(&form.csrf)?;
    let again = |m: String| async {
        Ok::<_, AppError>(
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, &session, Some(m)).await?,
            )
                .into_response(),
        )
    };
    let Some(role) = Role::parse(&form.role) else {
        return again(tr(session.lang, "役割を選んでください。", &[])).await;
    };
    let body = if form.body.trim().is_empty() {
        None
    } else {
        match registry().lookup(form.body.trim()) {
            Ok(b) => Some(b.code),
            Err(e) => return again(e.to_string()).await,
        }
    };
    let store = state.store();
    if let Err(e) = store
        .add_user(&form.login, &form.password, role, body)
        .await
    {
        return again(e.to_string()).await;
    }
    let login = form.login.trim();
    if form.can_submit.is_some() && matches!(role, Role::Body | Role::Prefecture) {
        store.set_can_submit(login, true).await?;
    }
    if role == Role::Vendor && !form.organisation.trim().is_empty() {
        store.set_organisation(login, &form.organisation).await?;
    }
    Ok(back())
}

/// A yes/no change of one account.
#[derive(Deserialize)]
pub struct Toggle {
    csrf: String,
    value: String,
}

/// `POST /admin/users/{login}/can-submit` (`value=on|off`)
pub async fn set_can_submit(
    State(state): State<AppState>,
    session: Session,
    Path(login): Path<String>,
    axum::extract::Form(form): axum::extract::Form<Toggle>,
) -> Result<Response, AppError> {
    session.require(Access::ManageCycle)?;
    session.check_csrf(&form.csrf)?;
    state
        .store()
        .set_can_submit(checked(&login)?, form.value == "on")
        .await?;
    Ok(back())
}

/// `POST /admin/users/{login}/disabled` (`value=on|off`)
pub async fn set_disabled(
    State(state): State<AppState>,
    session: Session,
    Path(login): Path<String>,
    axum::extract::Form(form): axum::extract::Form<Toggle>,
) -> Result<Response, AppError> {
    session.require(Access::ManageCycle)?;
    session.check_csrf(&form.csrf)?;
    state
        .store()
        .set_disabled(checked(&login)?, form.value == "on")
        .await?;
    Ok(back())
}
