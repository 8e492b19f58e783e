//! kaitei's web application: server-rendered pages (Japanese) and a JSON
//! API under `/api/v1`, over the store and the comparison engine.
//!
//! `app(state)` builds the router and is separate from [`serve`], so tests
//! call `app(state).oneshot(request)`. Every response gets security
//! headers; every form carries a CSRF token; who may see what is decided in
//! [`auth`] alone.

#![deny(missing_docs)]

pub mod auth;
mod bounded;
pub mod demo;
pub mod demo_cycle;
pub mod demo_linkage;
pub mod demo_nation;
pub mod demo_records;
mod error;
mod error_page;
mod handlers;
pub mod i18n;
mod menu;
pub mod openapi;
mod output_cache;
mod page_cache;
mod session;
mod session_cache;

use std::net::SocketAddr;
use std::sync::Arc;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use kaitei_app::App;
use kaitei_store::Store;
use minijinja::Environment;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::AppError;

/// The largest request body a form may send: a clause of the most
/// characters allowed ([`kaitei_store::MAX_CLAUSE_CHARS`]), each up to
/// three UTF-8 bytes percent-encoded as nine, with room for the rest.
pub const MAX_BODY: usize = 128 * 1024;

const _: () = assert!(kaitei_store::MAX_CLAUSE_CHARS * 9 + 4096 <= MAX_BODY);

/// The largest upload of a record: an attachment of the most bytes
/// stored ([`kaitei_store::MAX_ATTACHMENT_BYTES`]) or a register workbook,
/// with room for the form around it.
pub const MAX_UPLOAD: usize = kaitei_store::MAX_ATTACHMENT_BYTES + 64 * 1024;

/// What every handler shares: one pointer, so that the per-request
/// clones axum makes (one per middleware and handler) cost one count.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

/// What [`AppState`] points to.
pub struct Shared {
    /// The use cases (and through them the data layer).
    pub app: App,
    /// The page templates.
    pub(crate) templates: Environment<'static>,
    /// Whether cookies are marked `Secure` (behind TLS).
    pub secure_cookies: bool,
    /// Sessions read from the store in the last few seconds.
    pub(crate) sessions: session_cache::SessionCache,
    /// Comparisons already rendered.
    pub(crate) outputs: output_cache::OutputCache,
    /// Reading pages already rendered, per user.
    pub(crate) pages: page_cache::PageCache,
    /// The national dashboard's figures and when they were made.
    pub(crate) national: handlers::NationalCache,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl AppState {
    /// State over `store`.
    pub fn new(store: Store, secure_cookies: bool) -> AppState {
        AppState::with_app(App::new(store), secure_cookies)
    }

    /// State over an application already made.
    pub fn with_app(app: App, secure_cookies: bool) -> AppState {
        let mut env = Environment::new();
        i18n::register(&mut env);
        for (name, source) in TEMPLATES {
            // The templates are compiled in and tested: a failure is a build defect.
            env.add_template(name, source)
                .unwrap_or_else(|e| panic!("template {name}: {e}"));
        }
        AppState(Arc::new(Shared {
            app,
            templates: env,
            secure_cookies,
            sessions: Default::default(),
            outputs: Default::default(),
            pages: Default::default(),
            national: Default::default(),
        }))
    }

    /// The data layer, for plain reads and writes.
    pub fn store(&self) -> &Store {
        self.app.store()
    }
}

const TEMPLATES: [(&str, &str); 36] = [
    (
        "cycle_new.html",
        include_str!("../templates/cycle_new.html"),
    ),
    ("cycle.html", include_str!("../templates/cycle.html")),
    ("draft.html", include_str!("../templates/draft.html")),
    (
        "draft_diff.html",
        include_str!("../templates/draft_diff.html"),
    ),
    (
        "consultations.html",
        include_str!("../templates/consultations.html"),
    ),
    (
        "consultation.html",
        include_str!("../templates/consultation.html"),
    ),
    ("progress.html", include_str!("../templates/progress.html")),
    ("comments.html", include_str!("../templates/comments.html")),
    ("answer.html", include_str!("../templates/answer.html")),
    ("accounts.html", include_str!("../templates/accounts.html")),
    ("audit.html", include_str!("../templates/audit.html")),
    ("diff.html", include_str!("../templates/diff.html")),
    (
        "prefecture.html",
        include_str!("../templates/prefecture.html"),
    ),
    ("review.html", include_str!("../templates/review.html")),
    (
        "review_item.html",
        include_str!("../templates/review_item.html"),
    ),
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("editions.html", include_str!("../templates/editions.html")),
    ("document.html", include_str!("../templates/document.html")),
    ("clause.html", include_str!("../templates/clause.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("search.html", include_str!("../templates/search.html")),
    (
        "policy_clause.html",
        include_str!("../templates/policy_clause.html"),
    ),
    (
        "dashboard.html",
        include_str!("../templates/dashboard.html"),
    ),
    // A body officer's: the policy page, its empty state, the review's progress.
    ("policy.html", include_str!("../templates/policy.html")),
    (
        "policy_none.html",
        include_str!("../templates/policy_none.html"),
    ),
    (
        "review_progress.html",
        include_str!("../templates/review_progress.html"),
    ),
    // The records of this year's topics (#18).
    ("disposal.html", include_str!("../templates/disposal.html")),
    (
        "disposal_item.html",
        include_str!("../templates/disposal_item.html"),
    ),
    (
        "disposal_national.html",
        include_str!("../templates/disposal_national.html"),
    ),
    ("organs.html", include_str!("../templates/organs.html")),
    (
        "organs_national.html",
        include_str!("../templates/organs_national.html"),
    ),
    // Data linkage and the self-assessment (#19).
    ("linkage.html", include_str!("../templates/linkage.html")),
    (
        "linkage_national.html",
        include_str!("../templates/linkage_national.html"),
    ),
    (
        "assessment.html",
        include_str!("../templates/assessment.html"),
    ),
    (
        "assessment_questions.html",
        include_str!("../templates/assessment_questions.html"),
    ),
];

/// Around every request, in one layer (each `from_fn` layer clones the
/// service stack under it per request): the request acts as its user
/// (the audit trail's actor), an error answer to a page becomes a page, a
/// form sent marks the browser to read afresh (`page_cache.rs`), and
/// every answer gets the security headers.
async fn every_request(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    use axum::response::IntoResponse;
    let writes = page_cache::writes(&request);
    let asked = error_page::asked(&request);
    let response = match session::actor(&state, request.headers()).await {
        Ok(actor) => kaitei_store::acting(actor, next.run(request)).await,
        Err(e) => e.into_response(),
    };
    let mut response = error_page::framed(&state, asked, response).await;
    if writes {
        page_cache::mark(&state, &mut response);
    }
    security_headers(&mut response);
    response
}

fn security_headers(response: &mut Response) {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// One route of the JSON API: its path, the methods it answers and its
/// handlers. The router is built from [`api_routes`], and the test of the
/// OpenAPI document reads the same table (and asks the router each
/// method), so the document cannot miss a route.
pub struct ApiRoute {
    /// The path template.
    pub path: &'static str,
    /// The methods it answers, lower case as OpenAPI writes them.
    pub methods: &'static [&'static str],
    handler: axum::routing::MethodRouter<AppState>,
}

fn api(
    path: &'static str,
    methods: &'static [&'static str],
    handler: axum::routing::MethodRouter<AppState>,
) -> ApiRoute {
    ApiRoute {
        path,
        methods,
        handler,
    }
}

/// Every route of the JSON API under `/api/v1`.
pub fn api_routes() -> Vec<ApiRoute> {
    use handlers as h;
    vec![
        api("/api/v1/openapi.json", &["get"], get(h::openapi)),
        api("/api/v1/session", &["get"], get(session::api_session)),
        api("/api/v1/editions", &["get"], get(h::api_editions)),
        api("/api/v1/editions/{edition}", &["get"], get(h::api_edition)),
        api("/api/v1/diff", &["get"], get(h::api_diff)),
        api("/api/v1/bodies/{code}/policy", &["get"], get(h::api_policy)),
        api(
            "/api/v1/bodies/{code}/policy/clauses/{key}",
            &["get", "post"],
            get(h::api_policy_clause).post(h::api_edit_policy_clause),
        ),
        api(
            "/api/v1/bodies/{code}/policy/public",
            &["post"],
            post(h::api_publish),
        ),
        api(
            "/api/v1/bodies/{code}/policy/review",
            &["get"],
            get(h::api_review),
        ),
        api(
            "/api/v1/bodies/{code}/policy/review/clauses/{key}",
            &["post"],
            post(h::api_decide),
        ),
        api(
            "/api/v1/bodies/{code}/policy/review/adopt",
            &["post"],
            post(h::api_adopt),
        ),
        api(
            "/api/v1/bodies/{code}/policy/review/values",
            &["post"],
            post(h::api_confirm_value),
        ),
        api(
            "/api/v1/clauses/{key}/history",
            &["get"],
            get(h::api_clause_history),
        ),
        api("/api/v1/search", &["get"], get(h::api_search)),
        api("/api/v1/dashboard", &["get"], get(h::api_dashboard)),
        api(
            "/api/v1/prefectures/{code}/status",
            &["get"],
            get(h::api_prefecture),
        ),
        api("/api/v1/consultations", &["get"], get(h::api_consultations)),
        api(
            "/api/v1/consultations/{id}/answer",
            &["get", "post"],
            get(h::api_answer).post(h::api_save_answer),
        ),
        api(
            "/api/v1/consultations/{id}/answer/submit",
            &["post"],
            post(h::api_submit_answer),
        ),
        api(
            "/api/v1/consultations/{id}/progress",
            &["get"],
            get(h::api_progress),
        ),
        api(
            "/api/v1/bodies/{code}/disposal",
            &["get", "post"],
            get(h::api_register)
                .post(h::api_import_register)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        ),
        api("/api/v1/disposal", &["get"], get(h::api_disposal_national)),
        api(
            "/api/v1/bodies/{code}/cybersecurity",
            &["get", "post"],
            get(h::api_organs).post(h::api_save_organs),
        ),
        api(
            "/api/v1/cybersecurity",
            &["get"],
            get(h::api_organs_national),
        ),
        api(
            "/api/v1/prefectures/{code}/cybersecurity",
            &["get"],
            get(h::api_organs_prefecture),
        ),
        api(
            "/api/v1/bodies/{code}/linkage",
            &["get", "post"],
            get(h::api_linkage).post(h::api_save_linkage),
        ),
        api("/api/v1/linkage", &["get"], get(h::api_linkage_national)),
        api(
            "/api/v1/linkage/catalogue",
            &["get", "post"],
            get(h::api_linkage_catalogue).post(h::api_save_linkage_catalogue),
        ),
        api(
            "/api/v1/bodies/{code}/assessment",
            &["get"],
            get(h::api_assessment),
        ),
        api(
            "/api/v1/bodies/{code}/assessment/{year}",
            &["post"],
            post(h::api_save_assessment),
        ),
        api(
            "/api/v1/assessment/questions",
            &["get", "post"],
            get(h::api_questions).post(h::api_save_questions),
        ),
        api("/api/v1/cycles", &["get"], get(h::api_cycles)),
        api("/api/v1/cycles/{year}", &["get"], get(h::api_cycle)),
        api(
            "/api/v1/cycles/{year}/consultations",
            &["post"],
            post(h::api_open_consultation),
        ),
    ]
}

/// The router.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for route in api_routes() {
        router = router.route(route.path, route.handler);
    }
    // The pages read most, kept rendered per user (`page_cache.rs`).
    let reading = Router::new()
        .route("/", get(handlers::editions_page))
        .route("/editions/{edition}", get(handlers::edition_page))
        .route(
            "/editions/{edition}/clauses/{key}",
            get(handlers::clause_page),
        )
        .route("/diff", get(handlers::diff_page))
        .route("/bodies/{code}/policy", get(handlers::policy_page))
        .route(
            "/bodies/{code}/policy/clauses/{key}",
            get(handlers::policy_clause_page).post(handlers::edit_policy_clause),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            page_cache::cached_page,
        ));
    router
        .merge(reading)
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route("/lang/{code}", get(session::choose_lang))
        .route("/bodies/{code}/policy/public", post(handlers::publish))
        .route("/bodies/{code}/policy/review", get(handlers::review_page))
        .route(
            "/bodies/{code}/policy/review/clauses/{key}",
            post(handlers::decide),
        )
        .route("/bodies/{code}/policy/review/adopt", post(handlers::adopt))
        .route(
            "/bodies/{code}/policy/review/accept",
            post(handlers::accept_rest),
        )
        .route(
            "/bodies/{code}/policy/review/table",
            get(handlers::review_table),
        )
        .route("/bodies/{code}/policy/table", get(handlers::policy_table))
        .route(
            "/bodies/{code}/policy/review/values",
            post(handlers::confirm_value),
        )
        .route("/bodies/{code}/disposal", get(handlers::disposal_page))
        .route("/bodies/{code}/disposal.xlsx", get(handlers::disposal_xlsx))
        .route(
            "/bodies/{code}/disposal/upload",
            post(handlers::upload_register).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route(
            "/bodies/{code}/disposal/items/{number}",
            get(handlers::disposal_item_page).post(handlers::save_disposal_item),
        )
        .route(
            "/bodies/{code}/disposal/items/{number}/attachments",
            post(handlers::attach).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route(
            "/bodies/{code}/disposal/attachments/{id}",
            get(handlers::attachment_file),
        )
        .route("/disposal", get(handlers::disposal_national_page))
        .route("/disposal/template.xlsx", get(handlers::disposal_template))
        .route("/disposal/rules", post(handlers::set_disposal_rules))
        .route(
            "/bodies/{code}/cybersecurity",
            get(handlers::organs_page).post(handlers::save_organs),
        )
        .route("/cybersecurity", get(handlers::organs_national_page))
        .route("/cybersecurity.xlsx", get(handlers::organs_xlsx))
        .route(
            "/prefectures/{code}/cybersecurity",
            get(handlers::organs_prefecture_page),
        )
        .route(
            "/bodies/{code}/linkage",
            get(handlers::linkage_page).post(handlers::save_linkage),
        )
        .route("/linkage", get(handlers::linkage_national_page))
        .route("/linkage.xlsx", get(handlers::linkage_xlsx))
        .route("/linkage/catalogue", post(handlers::save_catalogue))
        .route("/linkage/matrix", post(handlers::save_matrix))
        .route("/bodies/{code}/assessment", get(handlers::assessment_page))
        .route(
            "/bodies/{code}/assessment/{year}",
            post(handlers::save_assessment),
        )
        .route(
            "/bodies/{code}/assessment/{year}/evidence",
            post(handlers::attach_evidence).layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route(
            "/bodies/{code}/assessment/evidence/{id}",
            get(handlers::evidence_file),
        )
        .route(
            "/assessment/questions",
            get(handlers::questions_page).post(handlers::save_questions),
        )
        .route("/search", get(handlers::search_page))
        .route("/dashboard", get(handlers::dashboard_page))
        .route("/dashboard.xlsx", get(handlers::dashboard_xlsx))
        .route("/dashboard.csv", get(handlers::dashboard_csv))
        .route("/prefectures/{code}/status", get(handlers::prefecture_page))
        .route(
            "/prefectures/{code}/status.xlsx",
            get(handlers::prefecture_xlsx),
        )
        .route("/consultations", get(handlers::consultations_page))
        .route("/consultations/{id}", get(handlers::consultation_page))
        .route(
            "/consultations/{id}/answer/comments",
            post(handlers::add_comment),
        )
        .route(
            "/consultations/{id}/answer/comments/{index}/delete",
            post(handlers::delete_comment),
        )
        .route(
            "/consultations/{id}/answer/no-comment",
            post(handlers::no_comment),
        )
        .route("/consultations/{id}/answer/submit", post(handlers::submit))
        .route(
            "/consultations/{id}/answer/withdraw",
            post(handlers::withdraw),
        )
        .route(
            "/consultations/{id}/answer/template",
            get(handlers::template),
        )
        .route("/consultations/{id}/answer/upload", post(handlers::upload))
        .route("/consultations/{id}/progress", get(handlers::progress_page))
        .route("/consultations/{id}/comments", get(handlers::comments_page))
        .route("/consultations/{id}/report", get(handlers::report))
        .route("/drafts/{name}/publish", post(handlers::publish_draft))
        .route(
            "/consultations/{id}/comments/dispose",
            post(handlers::dispose),
        )
        .route("/consultations/{id}/comments/merge", post(handlers::merge))
        .route(
            "/consultations/{id}/comments/{number}/split",
            post(handlers::split),
        )
        .route(
            "/consultations/{id}/comments/{number}/confirm",
            post(handlers::confirm),
        )
        .route(
            "/consultations/{id}/unanswered",
            get(handlers::unanswered_xlsx),
        )
        .route(
            "/consultations/{id}/answers/{key}",
            get(handlers::answer_page),
        )
        .route(
            "/consultations/{id}/answers/{key}/return",
            post(handlers::return_answer),
        )
        .route(
            "/consultations/{id}/answers/{key}/forward",
            post(handlers::forward_answer),
        )
        .route(
            "/cycles",
            get(handlers::cycles_page).post(handlers::add_cycle),
        )
        .route(
            "/cycles/{year}/consultations",
            post(handlers::add_consultation),
        )
        .route("/cycles/{year}/drafts", post(handlers::start_draft))
        .route("/cycles/{year}", get(handlers::cycle_page))
        .route("/cycles/{year}/topics", post(handlers::add_topic))
        .route(
            "/cycles/{year}/topics/{id}/status",
            post(handlers::topic_status),
        )
        .route("/cycles/{year}/milestones", post(handlers::add_milestone))
        .route("/drafts/{name}", get(handlers::draft_page))
        .route(
            "/drafts/{name}/clauses/{key}",
            post(handlers::edit_draft_clause),
        )
        .route("/drafts/{name}/diff", get(handlers::draft_diff))
        .route(
            "/drafts/{name}/clauses/{key}/notes",
            post(handlers::add_draft_note),
        )
        .route(
            "/drafts/{name}/clauses/{key}/structure",
            post(handlers::change_draft_structure),
        )
        .route(
            "/admin/users",
            get(handlers::accounts_page).post(handlers::add_account),
        )
        .route(
            "/admin/users/{login}/can-submit",
            post(handlers::set_can_submit),
        )
        .route(
            "/admin/users/{login}/disabled",
            post(handlers::set_disabled),
        )
        .route("/admin/audit", get(handlers::audit_page))
        .route("/admin/audit.csv", get(handlers::audit_export))
        .route("/static/{file}", get(handlers::static_file))
        .route("/favicon.ico", get(handlers::favicon))
        .fallback(handlers::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), every_request))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        // Outermost first: every request gets an id (kept if the proxy
        // gave one), a span and one log line, its answer the same id, a
        // compressed body where the client accepts one, and a time limit.
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::x_request_id(RequestIds::default()))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_span)
                        .on_request(())
                        .on_response(log_response)
                        .on_failure(()),
                )
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(CompressionLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    REQUEST_TIMEOUT,
                )),
        )
        .with_state(state)
}

/// Request ids: this process's random prefix and a count, unique across
/// servers and restarts without asking the kernel for randomness on every
/// request (as a UUID v4 does).
#[derive(Clone)]
struct RequestIds {
    prefix: Arc<str>,
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> RequestIds {
        RequestIds {
            prefix: kaitei_store::random_hex(8).into(),
            next: Arc::default(),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// The longest a request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A request's span: its method, its route's template (never the ids in
/// the path) and its id — on every log line made while answering it.
fn request_span(request: &Request) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(none)", MatchedPath::as_str);
    let id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!("request", method = %request.method(), route, id)
}

/// The one log line per request: status and duration (the span adds the
/// method, route and id).
fn log_response<B>(response: &axum::http::Response<B>, latency: Duration, _span: &tracing::Span) {
    tracing::info!(
        status = response.status().as_u16(),
        ms = latency.as_secs_f64() * 1000.0,
        "answered"
    );
}

/// Binds `addr` (port 0: any free port) and serves `state` until
/// interrupted; `ready` is called with the address actually bound.
pub async fn serve(
    addr: SocketAddr,
    state: AppState,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    // The handlers are installed before anyone is told where the server
    // is: a SIGTERM sent as soon as the address is printed must stop it
    // gracefully, not kill it.
    #[cfg(unix)]
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    #[cfg(not(unix))]
    let terminate = None::<()>;
    let stop = stop_signal(terminate);
    // What a search walks is read while the first users log in, not by
    // the first search (about a second for a national database).
    let store = state.app.store().clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        match store.prepare_search().await {
            Ok(()) => tracing::info!(seconds = started.elapsed().as_secs_f64(), "search prepared"),
            Err(e) => {
                tracing::warn!("search not prepared (the first search reads what it needs): {e}")
            }
        }
    });
    ready(listener.local_addr()?);
    axum::serve(listener, app(state))
        .with_graceful_shutdown(stop)
        .await
}

#[cfg(unix)]
type Terminate = Option<tokio::signal::unix::Signal>;
#[cfg(not(unix))]
type Terminate = Option<()>;

/// Ctrl-C, or SIGTERM (how a service manager stops a server): requests
/// under way finish, new connections are refused.
async fn stop_signal(terminate: Terminate) {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match terminate {
            Some(mut s) => {
                s.recv().await;
            }
            // Without the handler only Ctrl-C stops gracefully.
            None => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

#[cfg(test)]
mod tests;
