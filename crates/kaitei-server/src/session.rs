//! Sessions: the cookie, the signed-in principal, CSRF tokens, signing in
//! and out.

use axum::extract::{Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use kaitei_store::{Actor, LoginError};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{Access, Principal, allowed};
use crate::error::AppError;
use crate::i18n::{Lang, tr};

const SESSION_COOKIE: &str = "kaitei_session";
const LOGIN_CSRF_COOKIE: &str = "kaitei_login_csrf";
const LANG_COOKIE: &str = "kaitei_lang";

/// The interface language of a request: the one chosen (cookie), else the
/// browser's.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .and_then(Lang::from_code)
        .unwrap_or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map_or(Lang::Ja, Lang::from_accept_language)
        })
}

/// The request's principal, and its session's CSRF token.
pub struct Session {
    /// Who is asking.
    pub principal: Principal,
    /// The session's CSRF token (signed-in users only).
    pub csrf: Option<String>,
    /// Whether the request is for a page (else the API).
    pub page: bool,
    /// The interface language.
    pub lang: Lang,
    /// The path and query asked for (to come back to after choosing a language).
    pub here: String,
    /// Whether the request reads (GET): only a page read is returned to
    /// after signing in.
    reads: bool,
    token: Option<String>,
}

impl Session {
    /// Allows the request through if `allowed(principal, access)`; else
    /// asks for a sign-in (anonymous) or refuses.
    pub fn require(&self, access: Access) -> Result<(), AppError> {
        if allowed(&self.principal, access) {
            Ok(())
        } else if self.principal == Principal::Anonymous {
            Err(AppError::SignIn {
                page: self.page,
                // A page read is where the user comes back after signing
                // in; a form sent without a session is not sent again, and
                // the top page is no page in particular (the role's home
                // is better).
                next: (self.page && self.reads && self.here != "/")
                    .then(|| self.here.clone())
                    .and_then(|h| same_site_path(&h)),
            })
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Checks a form's CSRF token against the session's, in constant time.
    pub fn check_csrf(&self, sent: &str) -> Result<(), AppError> {
        match &self.csrf {
            Some(expected) if constant_time_eq(expected.as_bytes(), sent.as_bytes()) => Ok(()),
            _ => Err(AppError::Forbidden),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The session token the request's cookie carries, if it has the form
/// of one (64 hex digits): anything else is never looked up.
fn session_token(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

impl FromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Session, AppError> {
        let page = !parts.uri.path().starts_with("/api/");
        let lang = request_lang(&parts.headers);
        let here = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        let reads = parts.method == axum::http::Method::GET;
        let token = session_token(&parts.headers).map(str::to_string);
        let found = match &token {
            Some(t) => signed_in(state, t).await?,
            None => None,
        };
        Ok(match found {
            Some((user, csrf)) => Session {
                principal: Principal::User(user),
                csrf: Some(csrf),
                page,
                lang,
                here,
                reads,
                token,
            },
            None => Session {
                principal: Principal::Anonymous,
                csrf: None,
                page,
                lang,
                here,
                reads,
                token: None,
            },
        })
    }
}

/// The user and CSRF token of session `token`, from the cache or else
/// the database (then kept in the cache).
async fn signed_in(
    state: &AppState,
    token: &str,
) -> Result<Option<(kaitei_store::User, String)>, AppError> {
    if let Some(hit) = state.sessions.get(token) {
        return Ok(Some(hit));
    }
    let read = state.store().session(token).await?;
    if let Some((user, csrf)) = &read {
        state.sessions.put(token, user.clone(), csrf.clone());
    }
    Ok(read)
}

/// Who the request acts as — the user it is signed in as, or
/// `anonymous` — so that every change it makes is recorded in the audit
/// trail as theirs (see [`kaitei_store::acting`]). The session found is
/// cached: the handler's own [`Session`] finds it there.
pub async fn actor(state: &AppState, headers: &HeaderMap) -> Result<Actor, AppError> {
    Ok(match session_token(headers) {
        Some(t) => match signed_in(state, t).await? {
            Some((user, _)) => Actor::user(&user.login),
            None => Actor::anonymous(),
        },
        None => Actor::anonymous(),
    })
}

fn random_token() -> String {
    kaitei_store::random_hex(32)
}

pub(crate) fn cookie_header(state: &AppState, name: &str, value: &str, max_age: u64) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}")
}

/// `GET /login?next=/path`: the sign-in form; `next` is where a page
/// asked for before signing in sends the user back (this site's paths
/// only, see [`same_site_path`]).
pub async fn login_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<NextQuery>,
) -> Result<Response, AppError> {
    let csrf = random_token();
    let next = q
        .next
        .as_deref()
        .and_then(same_site_path)
        .filter(|n| !n.starts_with("/login"));
    let page = render_login(
        &state,
        request_lang(&headers),
        &LoginAgain {
            csrf: &csrf,
            login: "",
            next: next.as_deref(),
            message: None,
        },
    )?;
    Ok((
        [(
            header::SET_COOKIE,
            cookie_header(&state, LOGIN_CSRF_COOKIE, &csrf, 3600),
        )],
        page,
    )
        .into_response())
}

/// Where to go after signing in, as `/login?next=` carries it.
#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// What the sign-in form is shown with: its token, the login name typed
/// (kept when sign-in failed), where to go after, and why it is shown
/// again (in the user's language already).
struct LoginAgain<'a> {
    csrf: &'a str,
    login: &'a str,
    next: Option<&'a str>,
    message: Option<&'a str>,
}

/// The sign-in page.
fn render_login(
    state: &AppState,
    lang: Lang,
    form: &LoginAgain<'_>,
) -> Result<Html<String>, AppError> {
    let t = state
        .templates
        .get_template("login.html")
        .map_err(|e| AppError::Internal(e.to_string()))?;
    t.render(minijinja::context! {
        csrf => form.csrf,
        login => form.login,
        next => form.next,
        message => form.message,
        title => tr(lang, "サインイン", &[]),
        lang => lang.code(),
        other_lang => lang.other().code(),
        here => "/login",
    })
    .map(Html)
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// A path on this site to send the browser to, as pages write it
/// (percent-encoded), or `None`: it starts with one `/` (never `//` or
/// `/\`, which browsers read as another host), holds printable ASCII
/// only (browsers drop tabs and line breaks, so `/\t/evil` would become
/// `//evil`, and a header cannot carry other bytes), and is not too long.
/// The one rule for every redirect a request names (`next`, `back`): never
/// an open redirect.
pub fn same_site_path(path: &str) -> Option<String> {
    (path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && path.len() <= 2000
        && path.bytes().all(|c| c.is_ascii_graphic()))
    .then(|| path.to_string())
}

/// Where a user goes after signing in when no page was asked for: a body
/// officer to the body's policy (their work), those who may read the
/// editions to the editions, the others (vendors) to the search, which
/// shows what they may see.
fn home_of(user: &kaitei_store::User) -> String {
    match (user.role, user.body) {
        (kaitei_store::Role::Body, Some(body)) => format!("/bodies/{body}/policy"),
        _ if allowed(&Principal::User(user.clone()), Access::Editions) => "/".to_string(),
        _ => "/search".to_string(),
    }
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    csrf: String,
    /// Where to go after signing in (checked again: it came from a form).
    #[serde(default)]
    next: String,
}

/// `POST /login`
pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    // Before signing in there is no session: the form's token must match a
    // cookie the login page set (double submit).
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !constant_time_eq(expected.as_bytes(), form.csrf.as_bytes()) {
        return Err(AppError::Forbidden);
    }
    if form.login.len() > 64 || form.password.len() > 256 {
        return Err(AppError::BadRequest(
            "the login name or password is too long".into(),
        ));
    }
    // Back to the login page would be nowhere.
    let next = same_site_path(&form.next).filter(|n| !n.starts_with("/login"));
    let lang = request_lang(&headers);
    // A login name is stored (failed sign-ins are counted by it): one with
    // a control character, which no account has, is refused before
    // anything is checked or counted. The password is neither stored nor
    // shown, and is left as typed.
    if let Err(e) = kaitei_model::text::check_controls(&form.login) {
        let message = tr(
            lang,
            "ログイン名の{0}文字目の制御文字 {1} は使えません。",
            &[
                &e.column.to_string(),
                &kaitei_model::text::describe_char(e.ch),
            ],
        );
        let page = render_login(
            &state,
            lang,
            &LoginAgain {
                csrf: &form.csrf,
                login: "",
                next: next.as_deref(),
                message: Some(&message),
            },
        )?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    match state
        .store()
        .check_login(form.login.trim(), &form.password)
        .await?
    {
        Ok(user) => {
            // Signing in again in this browser ends the session it had:
            // the new cookie replaces it here, and the old token must not
            // stay alive wherever else it may be.
            let previous = session_token(&headers);
            let (token, _) = state
                .store()
                .start_session_replacing(user.id, previous)
                .await?;
            if let Some(previous) = previous {
                state.sessions.forget(previous);
            }
            let max_age = kaitei_store::SESSION_LIFETIME.as_secs();
            let to = next.unwrap_or_else(|| home_of(&user));
            Ok((
                StatusCode::SEE_OTHER,
                [
                    (header::LOCATION, to),
                    (
                        header::SET_COOKIE,
                        cookie_header(&state, SESSION_COOKIE, &token, max_age),
                    ),
                ],
            )
                .into_response())
        }
        Err(LoginError::Throttled) => Err(AppError::Throttled),
        Err(LoginError::Wrong) => {
            // The name stays in the form (only the password is typed
            // again); the message says what failed, as an error.
            let message = tr(lang, "ログイン名またはパスワードが違います。", &[]);
            let page = render_login(
                &state,
                lang,
                &LoginAgain {
                    csrf: &form.csrf,
                    login: form.login.trim(),
                    next: next.as_deref(),
                    message: Some(&message),
                },
            )?;
            Ok((StatusCode::UNAUTHORIZED, page).into_response())
        }
    }
}

/// The sign-out form.
#[derive(Deserialize)]
pub struct CsrfForm {
    // Missing is refused by the check, after who may is decided.
    #[serde(default)]
    csrf: String,
}

/// `POST /logout`
pub async fn logout(
    State(state): State<AppState>,
    session: Session,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    session.require(Access::SignedIn)?;
    session.check_csrf(&form.csrf)?;
    if let Some(token) = &session.token {
        state.sessions.forget(token);
        state.store().end_session(token).await?;
    }
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, "/login".to_string()),
            (
                header::SET_COOKIE,
                cookie_header(&state, SESSION_COOKIE, "", 0),
            ),
        ],
    )
        .into_response())
}

/// Where `/lang/{code}` may send the user back to.
#[derive(Deserialize)]
pub struct LangQuery {
    back: Option<String>,
}

/// `GET /lang/{code}?back=/path`: chooses the interface language (a
/// cookie) and goes back to `back` — a path on this site only.
pub async fn choose_lang(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    axum::extract::Query(q): axum::extract::Query<LangQuery>,
) -> Result<Response, AppError> {
    let lang = Lang::from_code(&code)
        .ok_or_else(|| AppError::BadRequest(format!("unknown language {code:?}: use ja or en")))?;
    let back = q
        .back
        .as_deref()
        .and_then(same_site_path)
        .unwrap_or_else(|| "/".to_string());
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    Ok((
        StatusCode::SEE_OTHER,
        [
            (header::LOCATION, back),
            (
                header::SET_COOKIE,
                format!(
                    "{LANG_COOKIE}={}; Path=/; SameSite=Strict; Max-Age=31536000{secure}",
                    lang.code()
                ),
            ),
        ],
    )
        .into_response())
}

/// Who is signed in, as the API gives it, and the CSRF token.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct SessionOut {
    login: String,
    role: &'static str,
    body: Option<String>,
    /// The token every changing API call sends in `X-CSRF-Token`.
    csrf: Option<String>,
}

/// `GET /api/v1/session`: the signed-in user and the session's CSRF token.
#[utoipa::path(get, path = "/api/v1/session", tag = "session",
    responses((status = 200, description = "Who is signed in, and the token changing calls send in X-CSRF-Token", body = SessionOut),
        (status = 401, description = "Not signed in")))]
pub async fn api_session(session: Session) -> Result<Response, AppError> {
    session.require(Access::SignedIn)?;
    let Principal::User(user) = &session.principal else {
        return Err(AppError::SignIn {
            page: false,
            next: None,
        });
    };
    Ok(axum::Json(SessionOut {
        login: user.login.clone(),
        role: user.role.as_str(),
        body: user.body.map(|b| b.to_string()),
        csrf: session.csrf.clone(),
    })
    .into_response())
}
