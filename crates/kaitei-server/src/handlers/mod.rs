//! Pages and API handlers: extract, ask the authorisation module, call the
//! store or the engine, render. One module per part of the application.

mod accounts;
mod assessment;
mod assessment_api;
mod audit;
mod comment_review;
mod comparison;
mod consultation;
mod consultation_api;
mod cycle;
mod cycle_api;
mod dashboard;
mod disposal;
mod draft_start;
mod editions;
mod linkage;
mod linkage_api;
mod organs;
mod policy;
mod policy_page;
mod prefecture;
mod progress;
mod publication;
mod publish;
mod records_api;
mod review;
mod review_view;
mod revision;
mod search;
mod tile_map;

pub use accounts::*;
pub use assessment::*;
pub use assessment_api::*;
pub use audit::*;

pub use comment_review::*;
pub use comparison::*;
pub use consultation::*;
pub use consultation_api::*;
pub use cycle::*;
pub use cycle_api::*;
pub use dashboard::*;
pub use disposal::*;
pub use draft_start::*;
pub use editions::*;
pub use linkage::*;
pub use linkage_api::*;
pub use organs::*;
pub use policy::*;
pub use policy_page::*;
pub use prefecture::*;
pub use progress::*;
pub use publication::*;
pub use publish::*;
pub use records_api::*;
pub use review::*;
pub use revision::*;
pub use search::*;

use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Response};
use kaitei_model::text::{
    ControlError, check_controls, describe_char, is_refused_control, normalize_newlines,
};

use crate::AppState;
use crate::auth::Principal;
use crate::error::AppError;
use crate::i18n::{Lang, tr};
use crate::session::Session;

/// Longest edition name or key accepted in a URL.
const MAX_NAME: usize = 200;

fn checked(s: &str) -> Result<&str, AppError> {
    if s.is_empty() || s.len() > MAX_NAME {
        return Err(AppError::BadRequest(format!(
            "names are 1 to {MAX_NAME} bytes long"
        )));
    }
    Ok(s)
}

/// An edition's name from a URL: over the limits is a bad request, a
/// character no name holds is not found.
fn edition_name(s: &str) -> Result<kaitei_model::EditionName, AppError> {
    kaitei_model::EditionName::parse(checked(s)?).map_err(|_| AppError::NotFound)
}

/// Text a person typed that the rule every entry point of text applies
/// ([`check_controls`]) refuses: where the first refused character is, and
/// the text to show again in the form.
pub(super) struct Refused {
    error: ControlError,
    /// The text as typed, line breaks made LF, each refused character
    /// shown as U+FFFD (never sent back raw).
    shown: String,
}

/// Text typed into a form or sent to the API, checked as every entry point
/// of text checks it (the readers of `.md`, `.txt` and `.docx` too): CRLF
/// and a lone CR become LF, then a C0 control but tab and LF, DEL, U+2028
/// or U+2029 is refused with its line and column.
pub(super) fn typed(text: &str) -> Result<std::borrow::Cow<'_, str>, Refused> {
    check_controls(text).map_err(|error| Refused {
        error,
        shown: normalize_newlines(text)
            .chars()
            .map(|c| if is_refused_control(c) { '\u{fffd}' } else { c })
            .collect(),
    })
}

impl Refused {
    /// The API's answer (400); `field` names the field (`text`,
    /// `paragraphs[1]`).
    pub(super) fn api(&self, field: &str) -> AppError {
        AppError::BadRequest(format!(
            "{field}, line {}: {}; nothing was saved",
            self.error.line,
            self.error.message()
        ))
    }

    /// What a form shown again says, in the user's language.
    pub(super) fn message(&self, lang: Lang) -> String {
        let mut m = tr(
            lang,
            "{0}行目の{1}文字目の制御文字 {2} は本文に使えません（欄では � で示しています）。削除して保存し直してください。保存していません。",
            &[
                &self.error.line.to_string(),
                &self.error.column.to_string(),
                &describe_char(self.error.ch),
            ],
        );
        if self.error.count > 1 {
            m.push_str(&tr(
                lang,
                "（この本文には同様の文字が {0} 個あります）",
                &[&self.error.count.to_string()],
            ));
        }
        m
    }

    /// The text to show again in the form.
    pub(super) fn shown(&self) -> &str {
        &self.shown
    }
}

/// The paragraphs the API sends, each [`typed`] (CRLF and CR made LF,
/// control characters refused naming the paragraph, line and column) and
/// trimmed. A line break inside one starts another, as a clause is kept
/// one paragraph per line (it did so before only when read back).
fn api_paragraphs(paragraphs: &[String]) -> Result<Vec<String>, AppError> {
    let mut out = Vec::with_capacity(paragraphs.len());
    for (i, p) in paragraphs.iter().enumerate() {
        let text = typed(p).map_err(|r| r.api(&format!("paragraphs[{i}]")))?;
        out.extend(text.split('\n').map(|l| l.trim().to_string()));
    }
    Ok(out)
}

/// A form's text box as paragraphs: one per non-blank line, trimmed
/// (blank lines separate nothing in a clause). The text has been
/// [`typed`], so its line breaks are LF.
fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// `s` with every byte but RFC 3986's unreserved characters
/// percent-encoded: safe in a URL's query and in RFC 5987 `filename*`.
pub(crate) fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub(crate) fn render(
    state: &AppState,
    session: &Session,
    name: &str,
    ctx: minijinja::Value,
) -> Result<Html<String>, AppError> {
    let user = match &session.principal {
        Principal::User(u) => Some(minijinja::context! {
            login => u.login.clone(),
            role => u.role.as_str(),
            body => u.body.map(|b| b.to_string()),
        }),
        Principal::Anonymous => None,
    };
    let t = state
        .templates
        .get_template(name)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let lang = session.lang;
    t.render(minijinja::context! {
        user,
        menu => crate::menu::menu(&session.principal, &session.here),
        csrf => session.csrf.clone(),
        lang => lang.code(),
        other_lang => lang.other().code(),
        here => session.here.clone(),
        ..ctx
    })
    .map(Html)
    .map_err(|e| AppError::Internal(e.to_string()))
}

pub(super) fn date(d: Option<kaitei_model::Date>) -> Option<String> {
    d.map(|d| format!("{d}（{}）", d.wareki()))
}

/// `GET /api/v1/openapi.json`: public; describes the API, reveals no data.
pub async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        crate::openapi::json(),
    )
}

/// `attachment` with the file's name in Japanese (RFC 6266: `fallback`,
/// ASCII, for old clients; the real one in `filename*`).
pub(super) fn attachment(name: &str, fallback: &str) -> Result<header::HeaderValue, AppError> {
    let encoded = percent_encode(name);
    header::HeaderValue::from_str(&format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
    ))
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// 303 See Other to `to`: where a form's change sends the browser.
pub(super) fn see_other(to: String) -> Response {
    (axum::http::StatusCode::SEE_OTHER, [(header::LOCATION, to)]).into_response()
}

/// The downloads a 新旧対照表 page offers: each format's label (the
/// template translates it) and its link.
pub(super) fn table_downloads(
    link: impl Fn(kaitei_app::TableFormat) -> String,
) -> Vec<(String, String)> {
    kaitei_app::TableFormat::ALL
        .into_iter()
        .map(|f| {
            let label = match f {
                kaitei_app::TableFormat::Text => "テキスト",
                // Said so, as the page itself is HTML too.
                kaitei_app::TableFormat::Html => "HTMLファイル",
                other => other.display_name(),
            };
            (label.to_string(), link(f))
        })
        .collect()
}

/// A file to download, named `name`.
pub(super) fn download(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let extension = name.rsplit_once('.').map_or("bin", |(_, e)| e);
    let fallback = format!("download.{extension}");
    match attachment(name, &fallback) {
        Ok(disposition) => (
            [
                (
                    header::CONTENT_TYPE,
                    header::HeaderValue::from_static(content_type),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// A response of JSON text already written.
fn json_response(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// Anything else.
pub async fn not_found() -> AppError {
    AppError::NotFound
}

/// `GET /static/{file}`: the vendored client code (public; the name holds
/// the version, so it may be kept long).
pub async fn static_file(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    match file.as_str() {
        HTMX_FILE => (
            [
                (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            HTMX,
        )
            .into_response(),
        ICON_FILE => (
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            ICON,
        )
            .into_response(),
        _ => AppError::NotFound.into_response(),
    }
}

/// `GET /favicon.ico`: where browsers look for the icon of pages that name
/// none (and log a 404 otherwise), sent to the one the pages name.
pub async fn favicon() -> Response {
    (
        axum::http::StatusCode::PERMANENT_REDIRECT,
        [
            (header::LOCATION, "/static/kaitei-icon.svg"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
    )
        .into_response()
}

const HTMX_FILE: &str = "htmx-2.0.11.min.js";
const HTMX: &str = include_str!("../../static/htmx-2.0.11.min.js");
const ICON_FILE: &str = "kaitei-icon.svg";
const ICON: &str = include_str!("../../static/kaitei-icon.svg");

/// Who is changing something (their login), for the history.
pub(super) fn editor(session: &Session) -> Result<String, AppError> {
    match &session.principal {
        Principal::User(u) => Ok(u.login.clone()),
        Principal::Anonymous => Err(AppError::Forbidden),
    }
}

/// The API's CSRF token: the `X-CSRF-Token` header.
pub(super) fn api_csrf(session: &Session, headers: &HeaderMap) -> Result<(), AppError> {
    let sent = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    session.check_csrf(sent)
}
