//! The OpenAPI document of `/api/v1`, derived from the handlers'
//! annotations and the types they take and return (utoipa), so request and
//! response schemas cannot drift from the code. A test checks that it
//! lists exactly the routes of [`crate::api_routes`].

use std::sync::OnceLock;

use utoipa::OpenApi;

use crate::handlers;
use crate::session;

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "kaitei",
        description = "The guideline editions, the 新旧対照表, bodies' policies and their merge review, \
            the national picture. Sign in through the web page (`/login`); the session cookie \
            (`kaitei_session`) then authorises calls, and every changing call sends the session's \
            CSRF token (`GET /api/v1/session`) in `X-CSRF-Token`. Errors are plain text; every \
            answer carries `x-request-id`. Who may see what: README, and the route × role tests.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        session::api_session,
        handlers::api_editions,
        handlers::api_edition,
        handlers::api_diff,
        handlers::api_clause_history,
        handlers::api_policy,
        handlers::api_policy_clause,
        handlers::api_edit_policy_clause,
        handlers::api_publish,
        handlers::api_review,
        handlers::api_decide,
        handlers::api_adopt,
        handlers::api_confirm_value,
        handlers::api_search,
        handlers::api_dashboard,
        handlers::api_prefecture,
        handlers::api_consultations,
        handlers::api_answer,
        handlers::api_save_answer,
        handlers::api_submit_answer,
        handlers::api_progress,
        handlers::api_cycles,
        handlers::api_cycle,
        handlers::api_open_consultation,
        handlers::api_register,
        handlers::api_import_register,
        handlers::api_disposal_national,
        handlers::api_organs,
        handlers::api_save_organs,
        handlers::api_organs_national,
        handlers::api_organs_prefecture,
        handlers::api_linkage,
        handlers::api_save_linkage,
        handlers::api_linkage_national,
        handlers::api_linkage_catalogue,
        handlers::api_save_linkage_catalogue,
        handlers::api_assessment,
        handlers::api_save_assessment,
        handlers::api_questions,
        handlers::api_save_questions,
    ),
    tags(
        (name = "session", description = "Who is signed in"),
        (name = "editions", description = "Guideline editions and the 新旧対照表"),
        (name = "policies", description = "Bodies' policies"),
        (name = "review", description = "The merge review of a new edition into a body's policy"),
        (name = "search", description = "Bigram search over what the user may see"),
        (name = "national", description = "The national picture and prefectures' views"),
        (name = "consultations", description = "Consultations, a body's (or vendor's) answer, and where the respondents stand"),
        (name = "records", description = "This year's records: a body's disposal register and its rule findings, its organs' cybersecurity policy under the Local Autonomy Act, its data-linkage risk analysis and self-assessment, and the national counts"),
        (name = "cycle", description = "The ministry's revision cycle: topics, milestones, drafts; opening a consultation"),
    )
)]
pub struct ApiDoc;

/// The document as JSON, made once.
pub fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
    })
}
