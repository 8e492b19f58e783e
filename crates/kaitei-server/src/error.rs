//! One error type for every handler; each variant says its status.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// What went wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request is malformed or over a limit; the message says how.
    #[error("{0}")]
    BadRequest(String),
    /// 401 for the API, a redirect to the login page for pages.
    #[error("sign in first")]
    SignIn {
        /// Whether the request was for a page (redirect) or the API.
        page: bool,
        /// The page to come back to after signing in (a path on this site).
        next: Option<String>,
    },
    /// 403: signed in, but not allowed; also a missing or wrong CSRF token.
    #[error("not allowed")]
    Forbidden,
    /// 404: no such thing — also what another body's unpublished data looks
    /// like, so that guessing ids reveals nothing.
    #[error("not found")]
    NotFound,
    /// 409: what the change was based on changed meanwhile, or the name it
    /// gives is taken; nothing saved.
    #[error("{0}")]
    Stale(String),
    /// 422: what was sent cannot be taken as it is (a workbook that is
    /// not a register, wrong cells); nothing saved; the message says why.
    #[error("{0}")]
    Unprocessable(String),
    /// 429: too many failed logins.
    #[error("too many failed sign-ins; try again in 15 minutes")]
    Throttled,
    /// 500: logged with an id; the client sees only the id.
    #[error("internal error")]
    Internal(String),
}

impl From<kaitei_store::StoreError> for AppError {
    /// Input the store refuses (`Invalid`: an empty clause, a one-character
    /// search; `Duplicate`: a name taken) is the client's to fix; anything
    /// else is ours.
    fn from(e: kaitei_store::StoreError) -> AppError {
        match e {
            kaitei_store::StoreError::Invalid(m) => AppError::BadRequest(m),
            kaitei_store::StoreError::Stale(m) | kaitei_store::StoreError::Duplicate(m) => {
                AppError::Stale(m)
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<kaitei_app::Error> for AppError {
    /// What the use case refuses is the client's to fix; a store failure
    /// is ours. What is not found answers 404 without saying more.
    fn from(e: kaitei_app::Error) -> AppError {
        match e {
            kaitei_app::Error::NotFound(_) => AppError::NotFound,
            kaitei_app::Error::Invalid(m) => AppError::BadRequest(m),
            kaitei_app::Error::Stale(m) => AppError::Stale(m),
            kaitei_app::Error::Undecided(c) => {
                AppError::Stale(format!("未判断の競合があります：{}", c.join("、")))
            }
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message, detail) = match &self {
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone(), Some(m.clone())),
            AppError::SignIn { page: true, next } => {
                let to = match next {
                    Some(n) => format!("/login?next={}", crate::handlers::percent_encode(n)),
                    None => "/login".to_string(),
                };
                return (StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response();
            }
            // The interface's two languages at once: an API answer is made
            // before anyone knows which one is wanted (pages are made again
            // in the user's language, see `error_page`).
            AppError::SignIn { page: false, .. } => (
                StatusCode::UNAUTHORIZED,
                format!("サインインしてください（{self}）"),
                None,
            ),
            AppError::Stale(m) => (StatusCode::CONFLICT, m.clone(), Some(m.clone())),
            AppError::Unprocessable(m) => {
                (StatusCode::UNPROCESSABLE_ENTITY, m.clone(), Some(m.clone()))
            }
            AppError::Forbidden => (
                StatusCode::FORBIDDEN,
                format!("権限がありません（{self}）"),
                None,
            ),
            AppError::NotFound => (
                StatusCode::NOT_FOUND,
                format!("見つかりません（{self}）"),
                None,
            ),
            AppError::Throttled => (
                StatusCode::TOO_MANY_REQUESTS,
                format!("サインインの失敗が続いたため、しばらくお待ちください（{self}）"),
                None,
            ),
            AppError::Internal(detail) => {
                // Logged inside the request's span, which carries its id;
                // the client gets the id in `x-request-id` (and on the page).
                tracing::error!(error = %detail, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "内部エラーが発生しました（something went wrong; see the x-request-id header）"
                        .to_string(),
                    None,
                )
            }
        };
        let mut response = (
            status,
            [(header::CONTENT_TYPE, crate::error_page::plain_text())],
            message,
        )
            .into_response();
        response
            .extensions_mut()
            .insert(crate::error_page::ErrorDetail(detail));
        response
    }
}
