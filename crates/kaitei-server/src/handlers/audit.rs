//! The ministry administrator's view of the audit trail: every recorded
//! change, filtered by body, actor and days, a page at a time; its
//! export (CSV); the chain's head and, on request, its verification.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kaitei_model::audit::action_ja;
use kaitei_model::date::Date;
use kaitei_model::{BodyCode, registry};
use kaitei_store::AuditFilter;
use serde::{Deserialize, Serialize};

use super::render;
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// Events on a page.
const PAGE: i64 = 100;

/// The filter form, as the query string carries it.
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct AuditQuery {
    #[serde(default)]
    body: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    verify: Option<String>,
}

impl AuditQuery {
    /// The store's filter, or what is wrong with the form (named by field).
    fn filter(&self, session: &Session) -> Result<AuditFilter, String> {
        let lang = session.lang;
        let body = match self.body.trim() {
            "" => None,
            code => Some(
                BodyCode::parse(code)
                    .map_err(|_| {
                        tr(
                            lang,
                            "団体コード「{0}」は6桁の団体コードではありません。",
                            &[code],
                        )
                    })?
                    .to_string(),
            ),
        };
        let day = |name: &str, v: &str| -> Result<Option<Date>, String> {
            match v.trim() {
                "" => Ok(None),
                v => Date::parse_typed(v).map(Some).ok_or_else(|| {
                    tr(
                        lang,
                        "{0}「{1}」は日付ではありません（2026-01-13 のように書きます）。",
                        &[&tr(lang, name, &[]), v],
                    )
                }),
            }
        };
        let actor = Some(self.actor.trim().to_string()).filter(|a| !a.is_empty());
        Ok(AuditFilter {
            body,
            actor,
            ..AuditFilter::default()
        }
        .days(day("開始日", &self.from)?, day("終了日", &self.until)?))
    }

    /// The query string of this filter (for the export and the pages).
    fn query_string(&self) -> String {
        let pairs = [
            ("body", &self.body),
            ("actor", &self.actor),
            ("from", &self.from),
            ("until", &self.until),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", super::percent_encode(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[derive(Serialize)]
struct Row {
    seq: String,
    at: String,
    actor: String,
    action: String,
    action_ja: &'static str,
    body: String,
    subject: String,
    before: String,
    after: String,
}

/// `GET /admin/audit`
pub async fn audit_page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    session.require(Access::AuditTrail)?;
    let store = state.store();
    let head = store.audit_head().await?;
    let (filter, error) = match q.filter(&session) {
        Ok(f) => (Some(f), None),
        Err(e) => (None, Some(e)),
    };
    let page = q.page.unwrap_or(1).max(1);
    let (events, total) = match &filter {
        Some(f) => (
            store.audit_events(f, PAGE, (page - 1) * PAGE).await?,
            store.count_audit_events(f).await?,
        ),
        None => (Vec::new(), 0),
    };
    let rows: Vec<Row> = events
        .into_iter()
        .map(|e| Row {
            seq: e.seq.map_or_else(|| "…".to_string(), |s| s.to_string()),
            at: e.at.local(),
            action_ja: action_ja(&e.action),
            body: e.body.as_deref().map_or_else(String::new, |c| {
                let name = BodyCode::parse(c)
                    .ok()
                    .and_then(|b| registry().get(b))
                    .map_or("", |b| b.name.as_str());
                format!("{c} {name}")
            }),
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            before: e
                .before
                .map(|d| d[..8.min(d.len())].to_string())
                .unwrap_or_default(),
            after: e
                .after
                .map(|d| d[..8.min(d.len())].to_string())
                .unwrap_or_default(),
        })
        .collect();
    let verification = if q.verify.is_some() {
        let v = store.verify_audit(None).await?;
        Some(minijinja::context! {
            intact => v.broken.is_none(),
            count => v.head.count,
            pending => v.pending,
            position => v.broken.as_ref().map(|b| b.position),
            problem => v.broken.map(|b| b.problem),
        })
    } else {
        None
    };
    let pages = (total + PAGE - 1) / PAGE;
    let query = q.query_string();
    let html = render(
        &state,
        &session,
        "audit.html",
        minijinja::context! {
            title => tr(session.lang, "監査証跡", &[]),
            head => head.to_string(),
            head_count => head.count,
            form => &q,
            error,
            rows,
            total,
            page,
            pages,
            query,
            verification,
        },
    )?;
    Ok(if filter.is_some() {
        html.into_response()
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, html).into_response()
    })
}

/// `GET /admin/audit.csv`: the events the filter selects, oldest first.
pub async fn audit_export(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<AuditQuery>,
) -> Result<Response, AppError> {
    session.require(Access::AuditTrail)?;
    let filter = q.filter(&session).map_err(AppError::BadRequest)?;
    let csv = state.app.export_audit(&filter).await?;
    Ok(super::download(
        csv,
        "text/csv; charset=utf-8",
        "監査証跡.csv",
    ))
}
