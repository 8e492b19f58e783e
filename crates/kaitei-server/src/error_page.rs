//! Errors as a browser sees them: an error answer is plain text (the API's
//! form, made where nobody knows who asks or in which language), so for a
//! browser asking for a page it is rendered again inside the site's frame
//! (`error.html`), in the user's language only, with what happened, what
//! to do about it, the detail the handler gave when it is in that
//! language, the request's id for a 5xx, and the way back — into the
//! section the page was in, as far as the user's menu reaches.

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::handlers::render as render_page;
use crate::i18n::{Lang, tr};
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
        409 => "保存できませんでした",
        429 => "しばらくお待ちください",
        500..=599 => "内部エラーが発生しました",
        _ => "エラー",
    }
}

/// What a status means for the person who met it, and what to do.
fn what_to_do(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => {
            "送られた内容を受け付けられませんでした。入力やリンクの内容を確かめて、もう一度お試しください。"
        }
        413 => "送られた内容が大きすぎます。ファイルや本文を小さくして、もう一度お試しください。",
        401 | 403 => {
            "この操作やページは、あなたの役割では使えません。必要な場合は、総務省の管理者にお問い合わせください。"
        }
        404 => {
            "お探しのページは見つかりませんでした。アドレスが正しいか、リンク元が古くないかを確かめてください。"
        }
        405 => "このアドレスでは、その操作はできません。",
        // A change made meanwhile, a name taken, a decision still open:
        // what they share is that nothing was saved.
        409 => {
            "今の状態と合わないため、保存していません。ページを開き直し、最新の内容を確かめてから改めて操作してください。"
        }
        429 => {
            "サインインの失敗が続いたため、しばらく受け付けません。15分ほど待ってからお試しください。"
        }
        500..=599 => {
            "サーバーで問題が起きました。時間をおいてお試しください。続く場合は、問い合わせ番号を添えて管理者にお知らせください。"
        }
        _ => "",
    }
}

/// Whether `text` reads as `lang`: a Japanese sentence has kana, an
/// English one none (names in kanji — editions, bodies — may appear in
/// either). A detail in the other language is left out rather than
/// shown beside the page's own words.
fn reads_as(text: &str, lang: Lang) -> bool {
    let kana = text
        .chars()
        .any(|c| matches!(c, '\u{3041}'..='\u{309f}' | '\u{30a1}'..='\u{30fa}'));
    match lang {
        Lang::Ja => kana,
        Lang::En => !kana,
    }
}

/// What an error page for `request` would need of it (who, which
/// language), kept only for a browser's page request: the API and htmx
/// keep the plain text.
pub fn asked(request: &Request) -> Option<(Uri, HeaderMap)> {
    let wants_page = !request.uri().path().starts_with("/api/")
        && !request.headers().contains_key("hx-request")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
    wants_page.then(|| (request.uri().clone(), request.headers().clone()))
}

/// Renders an error answer to a page request ([`asked`]) inside the
/// site's frame.
pub async fn framed(
    state: &AppState,
    asked: Option<(Uri, HeaderMap)>,
    response: Response,
) -> Response {
    let status = response.status();
    let Some((uri, headers)) = asked else {
        return response;
    };
    // Plain text, or nothing at all (axum's own 405 has no body): either
    // is made a page; a page or a file the handler made is left alone.
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
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
    match error_page(state, uri, headers, status, text).await {
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
    let detail = detail
        .map(|d| tr(lang, &d, &[]))
        .filter(|d| reads_as(d, lang));
    let back = crate::menu::way_back(&session.principal, &session.here);
    render_page(
        state,
        &session,
        "error.html",
        minijinja::context! {
            title => tr(lang, what_happened(status), &[]),
            status => status.as_u16(),
            what_to_do => tr(lang, what_to_do(status), &[]),
            detail,
            request_id => status.is_server_error().then_some(request_id).flatten(),
            back,
            signed_in => session.principal != crate::auth::Principal::Anonymous,
        },
    )
    .ok()
}

/// The content type every error answer has before a page is made of it.
pub(crate) fn plain_text() -> HeaderValue {
    HeaderValue::from_static("text/plain; charset=utf-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_detail_shows_only_in_the_language_it_is_written_in() {
        assert!(reads_as("名前は1～200バイトです", Lang::Ja));
        assert!(!reads_as("names are 1 to 200 bytes long", Lang::Ja));
        assert!(reads_as("names are 1 to 200 bytes long", Lang::En));
        assert!(
            reads_as("no edition 令和9年版 is stored", Lang::En),
            "a name in kanji"
        );
        assert!(!reads_as("未判断の競合があります：(1)", Lang::En));
    }

    #[test]
    fn every_status_shown_says_what_to_do() {
        for s in [400, 403, 404, 409, 413, 429, 500] {
            let status = StatusCode::from_u16(s).unwrap();
            assert!(!what_to_do(status).is_empty(), "{s}");
        }
    }
}
