//! A prefecture's view of its municipalities: which edition each body's
//! policy derives from, whether the body made it public, and how much the
//! latest edition affects it — status, never text. Each row is shown only
//! to those who may see that body's status (its prefecture's officers, the
//! body's own, the ministry; anyone signed in once public). The page sums
//! the rows up, filters and orders them (`kaitei_app::prefecture`), and
//! gives them as a workbook in the same order.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use kaitei_app::prefecture::{
    FILTERS, Filter, ORDERS, Order, Standing, StatusRow as Row, Summary, select, summarise,
};
use kaitei_model::{BodyKind, registry};
use kaitei_report::prefecture_status::{StatusLine, StatusSheet, xlsx};
use kaitei_store::PolicyScope;
use serde::{Deserialize, Serialize};

use super::dashboard::national;
use super::{checked, download, render};
use crate::AppState;
use crate::auth::{Access, allowed};
use crate::error::AppError;
use crate::i18n::{Lang, tr};
use crate::session::Session;

/// One body's status.
#[derive(Serialize, utoipa::ToSchema)]
struct StatusRow {
    code: String,
    name: String,
    /// The policy's version name (`None`: no policy stored).
    policy: Option<String>,
    /// The guideline edition it derives from.
    derived_from: Option<String>,
    /// Whether the body made it public.
    public: bool,
    /// `unregistered`, `latest`, `behind` (affected counted),
    /// `unaligned` (behind, provenance not recorded: not counted) or
    /// `unknown` (names no stored edition).
    standing: &'static str,
    /// Affected clauses by the latest edition: high, medium, low (`None`:
    /// not counted — see `standing`).
    affected: Option<[usize; 3]>,
    /// Whether the user may read the policy's text (a link).
    readable: bool,
}

/// The counts over the rows shown.
#[derive(Serialize, utoipa::ToSchema)]
struct SummaryOut {
    bodies: usize,
    latest: usize,
    behind: usize,
    needing_decision: usize,
    unaligned: usize,
    unknown: usize,
    unregistered: usize,
    public: usize,
}

/// The prefecture's status as this user may see it.
#[derive(Serialize, utoipa::ToSchema)]
struct PrefectureStatus {
    code: String,
    name: String,
    latest: Option<String>,
    made_at: String,
    /// The prefecture's bodies this user may not see the status of.
    hidden: usize,
    /// Counts over `rows`.
    summary: SummaryOut,
    rows: Vec<StatusRow>,
}

/// What the rows are, before they are shown.
struct Status {
    code: String,
    name: String,
    latest: Option<String>,
    editions: Vec<String>,
    made_at: String,
    hidden: usize,
    rows: Vec<Row>,
}

async fn status(state: &AppState, session: &Session, code: &str) -> Result<Status, AppError> {
    session.require(Access::Statuses)?;
    let pref = registry()
        .lookup(checked(code)?)
        .ok()
        .filter(|b| b.kind == BodyKind::Prefecture)
        .ok_or(AppError::NotFound)?;
    let current: std::collections::HashMap<_, _> = state
        .store()
        .current_policies(PolicyScope::Latest)
        .await?
        .into_iter()
        .map(|p| (p.body, p))
        .collect();
    let figures = national(state).await?;
    let editions: Vec<String> = state
        .app
        .editions()
        .await?
        .into_iter()
        .map(|e| e.edition)
        .collect();
    let mut rows = Vec::new();
    let mut hidden = 0;
    for body in registry()
        .all()
        .iter()
        .filter(|b| b.prefecture == pref.code)
    {
        let policy = current.get(&body.code);
        let public = policy.is_some_and(|p| p.public);
        if !allowed(
            &session.principal,
            Access::PolicyStatus {
                body: body.code,
                public,
            },
        ) {
            hidden += 1;
            continue;
        }
        rows.push(Row {
            code: body.code,
            name: body.name.clone(),
            kana: body.kana.clone(),
            policy: policy.map(|p| p.version.clone()),
            derived_from: policy.and_then(|p| p.derived_from.clone()),
            public,
            standing: Standing::of(
                policy.map(|p| p.derived_from.as_deref()),
                figures.latest.as_deref(),
                &editions,
                figures.per_body.get(&body.code).copied(),
            ),
            readable: policy.is_some()
                && allowed(
                    &session.principal,
                    Access::Policy {
                        body: body.code,
                        public,
                    },
                ),
        });
    }
    Ok(Status {
        code: pref.code.to_string(),
        name: pref.name.clone(),
        latest: figures.latest.clone(),
        editions,
        made_at: figures.made_at_in(session.lang).to_string(),
        hidden,
        rows,
    })
}

/// The page's and the workbook's choice of rows: `?show=…&order=…`.
#[derive(Deserialize, Default)]
pub struct StatusQuery {
    show: Option<String>,
    order: Option<String>,
}

impl StatusQuery {
    /// The filter and order asked for; an unknown one is a bad request.
    fn read(&self) -> Result<(Filter, Order), AppError> {
        let bad = |what: &str| AppError::BadRequest(format!("unknown {what}"));
        let filter = match self.show.as_deref().filter(|s| !s.is_empty()) {
            None => Filter::All,
            Some(s) => s.parse().map_err(|_| bad("filter"))?,
        };
        let order = match self.order.as_deref().filter(|s| !s.is_empty()) {
            None => Order::Code,
            Some(s) => s.parse().map_err(|_| bad("order"))?,
        };
        Ok((filter, order))
    }
}

/// A standing in words, in Japanese (translated where shown).
fn standing_word(s: Standing) -> &'static str {
    match s {
        Standing::Unregistered => "未登録",
        Standing::Latest => "最新版に準拠",
        Standing::Behind(_) => "旧版に準拠",
        Standing::Unaligned => "由来未確認",
        Standing::Unknown => "準拠する版が不明",
    }
}

fn filter_word(f: Filter) -> &'static str {
    match f {
        Filter::All => "すべて",
        Filter::Latest => "最新版に準拠",
        Filter::Behind => "旧版に準拠",
        Filter::NeedsDecision => "要判断の条項あり",
        Filter::Unaligned => "由来未確認",
        Filter::Unregistered => "未登録",
        Filter::Public => "公開",
    }
}

fn order_word(o: Order) -> &'static str {
    match o {
        Order::Code => "団体コード順",
        Order::Kana => "五十音順",
        Order::Impact => "影響の大きい順",
        Order::Edition => "準拠する版の順",
    }
}

/// The counts in one line, for the workbook.
fn summary_line(lang: Lang, s: &Summary) -> String {
    let n = |x: usize| x.to_string();
    tr(
        lang,
        "{0} 団体：最新版に準拠 {1}・旧版に準拠 {2}（うち要判断あり {3}、由来未確認 {4}）・未登録 {5}・公開 {6}",
        &[
            &n(s.bodies),
            &n(s.latest),
            &n(s.behind),
            &n(s.needing_decision),
            &n(s.unaligned),
            &n(s.unregistered),
            &n(s.public),
        ],
    )
}

/// `GET /prefectures/{code}/status[?show=…&order=…]`
pub async fn prefecture_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(q): Query<StatusQuery>,
) -> Result<Response, AppError> {
    let s = status(&state, &session, &code).await?;
    let (filter, order) = q.read()?;
    let summary = summarise(&s.rows);
    let shown = select(&s.rows, filter, order, &s.editions);
    let lang = session.lang;
    let rows: Vec<_> = shown
        .iter()
        .map(|r| {
            minijinja::context! {
                code => r.code.to_string(),
                name => r.name,
                policy => r.policy,
                derived_from => r.derived_from,
                public => r.public,
                standing => r.standing.as_str(),
                standing_word => standing_word(r.standing),
                affected => r.standing.affected(),
                readable => r.readable,
            }
        })
        .collect();
    let filters: Vec<_> = FILTERS
        .into_iter()
        .map(|f| (f.as_str(), filter_word(f), f == filter))
        .collect();
    let orders: Vec<_> = ORDERS
        .into_iter()
        .map(|o| (o.as_str(), order_word(o), o == order))
        .collect();
    // A prefecture officer's own page is theirs to follow up; anyone else
    // may be sent there from another prefecture's page with nothing in it.
    let own = match &session.principal {
        crate::auth::Principal::User(u) if u.role == kaitei_store::Role::Prefecture => {
            u.body.map(|b| b.to_string())
        }
        _ => None,
    };
    let page = render(
        &state,
        &session,
        "prefecture.html",
        minijinja::context! {
            title => tr(lang, "{0} 管内の状況", &[&s.name]),
            code => s.code,
            name => s.name,
            latest => s.latest,
            made_at => s.made_at,
            hidden => s.hidden,
            visible => s.rows.len(),
            summary => minijinja::context! {
                bodies => summary.bodies,
                latest => summary.latest,
                behind => summary.behind,
                needing_decision => summary.needing_decision,
                unaligned => summary.unaligned,
                unknown => summary.unknown,
                unregistered => summary.unregistered,
                public => summary.public,
            },
            rows,
            filters,
            orders,
            filter => filter.as_str(),
            order => order.as_str(),
            export => format!(
                "/prefectures/{code}/status.xlsx?show={}&order={}",
                filter.as_str(),
                order.as_str()
            ),
            own,
        },
    )?;
    Ok(page.into_response())
}

/// `GET /prefectures/{code}/status.xlsx[?show=…&order=…]`: the rows the
/// page shows, in its order, as a workbook.
pub async fn prefecture_xlsx(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(q): Query<StatusQuery>,
) -> Result<Response, AppError> {
    let s = status(&state, &session, &code).await?;
    let (filter, order) = q.read()?;
    let lang = session.lang;
    let summary = summarise(&s.rows);
    let shown = select(&s.rows, filter, order, &s.editions);
    let sheet = StatusSheet {
        title: match &s.latest {
            Some(latest) => tr(
                lang,
                "{0} 管内の状況（最新のガイドライン：{1}、集計時刻 {2}）",
                &[&s.name, latest, &s.made_at],
            ),
            None => tr(lang, "{0} 管内の状況", &[&s.name]),
        },
        summary: summary_line(lang, &summary),
        lines: shown
            .iter()
            .map(|r| StatusLine {
                code: r.code.to_string(),
                name: r.name.clone(),
                policy: r.policy.clone().unwrap_or_default(),
                derived_from: r.derived_from.clone().unwrap_or_default(),
                public: match (&r.policy, r.public) {
                    (None, _) => String::new(),
                    (Some(_), true) => tr(lang, "公開", &[]),
                    (Some(_), false) => tr(lang, "非公開", &[]),
                },
                standing: tr(lang, standing_word(r.standing), &[]),
                affected: r.standing.affected(),
            })
            .collect(),
    };
    let bytes = xlsx(&sheet).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{}_管内の状況.xlsx", s.name),
    ))
}

/// `GET /api/v1/prefectures/{code}/status`
#[utoipa::path(get, path = "/api/v1/prefectures/{code}/status", tag = "national",
    params(("code" = String, Path, description = "The prefecture's code (e.g. 030007)")),
    responses((status = 200, description = "Its municipalities' status, each row only to those who may see it, with the counts over them; never a text", body = PrefectureStatus),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_prefecture(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let s = status(&state, &session, &code).await?;
    let summary = summarise(&s.rows);
    let out = PrefectureStatus {
        code: s.code,
        name: s.name,
        latest: s.latest,
        made_at: s.made_at,
        hidden: s.hidden,
        summary: SummaryOut {
            bodies: summary.bodies,
            latest: summary.latest,
            behind: summary.behind,
            needing_decision: summary.needing_decision,
            unaligned: summary.unaligned,
            unknown: summary.unknown,
            unregistered: summary.unregistered,
            public: summary.public,
        },
        rows: s
            .rows
            .into_iter()
            .map(|r| StatusRow {
                code: r.code.to_string(),
                name: r.name,
                policy: r.policy,
                derived_from: r.derived_from,
                public: r.public,
                standing: r.standing.as_str(),
                affected: r.standing.affected(),
                readable: r.readable,
            })
            .collect(),
    };
    Ok(axum::Json(out).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_the_page_has_its_english() {
        let standings = [
            Standing::Unregistered,
            Standing::Latest,
            Standing::Behind([0; 3]),
            Standing::Unaligned,
            Standing::Unknown,
        ];
        let words = standings
            .into_iter()
            .map(standing_word)
            .chain(FILTERS.into_iter().map(filter_word))
            .chain(ORDERS.into_iter().map(order_word));
        for w in words {
            assert!(crate::i18n::has_english(w), "{w}");
        }
    }
}
