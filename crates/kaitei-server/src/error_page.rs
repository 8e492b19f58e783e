//! Errors as a browser sees them: an error answer is plain text (the API's
//! form, made where nobody knows who asks or in which language), so for a
//! browser asking for a page it is rendered again inside the site's frame
//! (`error.html`), in the user's language, with what happened, the detail
//! the handler gave, the request's id for a 5xx, and the way back.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::handlers::render as render_page;
use crate::i18n::tr;
use crate::session::Session;

/// Longest error text wrapped (error texts are short; anything longer is
/// passed through as it is).
const MAX_ERROR_TEXT: usize = 16 * 1024;

/// What an error answer was about, for the page made from it: set by
/// [`crate::AppError`]'s response.
#[derive(Debug, Clone)]
pub struct ErrorDetail(pub Option<String>);

/// The words for a status, in Japanese (translated by `tr`).
fn what_happened(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 413 | 422 => "リクエストが正しくありません",
        401 | 403 => "権限がありません",
        404 | 405 => "見つかりません",
        409 => "ほかの変更と競合しました",
        429 => "しばらくお待ちください",
        500..=599 => "内部エラーが発生しました",
        _ => "エラー",
    }
}

/// Renders error answers to browsers' page requests inside the site's
/// frame; the API and htmx keep the plain text.
pub async fn html_errors(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let wants_page = !request.uri().path().starts_with("/api/")
        && !request.headers().contains_key("hx-request")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
    // What the page needs of the request (who, which language), kept only
    // for pages: the rest is passed on untouched.
    let asked = wants_page.then(|| (request.uri().clone(), request.headers().clone()));
    let response = next.run(request).await;
    let status = response.status();
    let Some((uri, headers)) = asked else {
        return response;
    };
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/plain"));
    if !plain || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let detail = response
        .extensions()
        .get::<ErrorDetail>()
        .and_then(|d| d.0.clone());
    let (parts, body) = response.into_parts();
    let text = match detail {
        Some(d) => Some(d),
        // A status answered outside the handlers (413, 405 …): its text.
        None if parts.extensions.get::<ErrorDetail>().is_none() => to_bytes(body, MAX_ERROR_TEXT)
            .await
            .ok()
            .map(|b| String::from_utf8_lossy(&b).trim().to_string())
            .filter(|t| !t.is_empty()),
        None => None,
    };
    match error_page(&state, uri, headers, status, text).await {
        Some(page) => {
            let mut response = (status, page).into_response();
            for name in [header::SET_COOKIE, header::LOCATION] {
                for v in parts.headers.get_all(&name) {
                    response.headers_mut().append(name.clone(), v.clone());
                }
            }
            response
        }
        None => Response::from_parts(parts, Body::from(what_happened(status))),
    }
}

async fn error_page(
    state: &AppState,
    uri: axum::http::Uri,
    headers: HeaderMap,
    status: StatusCode,
    detail: Option<String>,
) -> Option<axum::response::Html<String>> {
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut request = Request::new(());
    *request.uri_mut() = uri;
    *request.headers_mut() = headers;
    let (mut parts, ()) = request.into_parts();
    let session = Session::from_request_parts(&mut parts, state).await.ok()?;
    let lang = session.lang;
    render_page(
        state,
        &session,
        "error.html",
        minijinja::context! {
            title => tr(lang, what_happened(status), &[]),
            status => status.as_u16(),
            detail,
            request_id => status.is_server_error().then_some(request_id).flatten(),
        },
    )
    .ok()
}

/// The content type every error answer has before a page is made of it.
pub(crate) fn plain_text() -> HeaderValue {
    HeaderValue::from_static("text/plain; charset=utf-8")
}
