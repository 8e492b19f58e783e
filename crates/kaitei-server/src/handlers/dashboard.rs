//! The ministry's national dashboard: which edition every body's policy
//! follows, by prefecture (a table and a chart), and the national impact of
//! the latest edition on the policies that follow an older one.
//!
//! Assessing every policy takes about a second at national scale, so the
//! figures are made once a minute at most (and say when they were made).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::national::{Assessment, Tally, severity_slot};
use kaitei_model::{BodyCode, BodyKind, registry};
use kaitei_report::national_status::{NationalLine, NationalSheet, csv, xlsx};
use kaitei_store::PolicyScope;
use serde::Serialize;

use super::tile_map::{GRID, Tile, tile};
use super::{download, edition_name, render};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::i18n::{Lang, tr};
use crate::session::Session;

/// How long national figures are shown before they are made again.
pub const NATIONAL_TTL: Duration = Duration::from_secs(60);

/// One bar segment of the chart, in percent of the prefecture's bodies.
#[derive(Serialize, Clone, utoipa::ToSchema)]
struct Segment {
    x: f64,
    width: f64,
    /// 0, 1, … for the editions (oldest first); `none` for no policy.
    series: String,
    count: usize,
}

/// One prefecture's row.
#[derive(Serialize, Clone, utoipa::ToSchema)]
struct PrefectureRow {
    code: String,
    name: String,
    bodies: usize,
    /// Bodies following each edition, in the order of `editions`.
    editions: Vec<usize>,
    /// Bodies with a policy following an edition not stored.
    other: usize,
    without: usize,
    segments: Vec<Segment>,
    /// Policies following an older edition than the latest.
    behind: usize,
    /// Of those, how many hold a clause that needs a decision.
    needing_decision: usize,
    /// Affected clauses by severity: high, medium, low.
    severities: [usize; 3],
    /// Policies behind whose provenance is not recorded (written without
    /// kaitei): their impact needs them aligned first, so they are counted
    /// here rather than as unaffected.
    unaligned: usize,
    /// Its tile on the map, shaded by the share following the latest
    /// edition.
    tile: Option<Tile>,
}

/// The national figures.
#[derive(Serialize, Clone, utoipa::ToSchema)]
pub(crate) struct National {
    editions: Vec<String>,
    pub(super) latest: Option<String>,
    all_bodies: usize,
    with_policy: usize,
    totals: Vec<usize>,
    other: usize,
    behind: usize,
    needing_decision: usize,
    severities: [usize; 3],
    unaligned: usize,
    rows: Vec<PrefectureRow>,
    /// When the figures were made, in the era calendar with the time
    /// (令和7年12月1日 20:05, Japan time).
    pub(super) made_at: String,
    /// The same as the rest of the world writes it (2025-12-01 20:05).
    pub(super) made_at_local: String,
    /// When, for file names.
    #[serde(skip)]
    made: kaitei_model::JstTime,
    /// Per body behind the latest edition: affected clauses by severity
    /// (`None`: provenance not recorded). For the prefecture pages, which
    /// show each row only to those who may see it; not in the API's JSON.
    #[serde(skip)]
    pub(super) per_body: HashMap<BodyCode, Option<[usize; 3]>>,
}

impl National {
    /// When the figures were made, as `lang` writes dates.
    pub(super) fn made_at_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.made_at,
            _ => &self.made_at_local,
        }
    }
}

/// The national figures kept, with when they were made.
pub(crate) type NationalCache = tokio::sync::Mutex<Option<(Instant, Arc<National>)>>;

/// The national figures, made again when older than [`NATIONAL_TTL`].
pub(super) async fn national(state: &AppState) -> Result<Arc<National>, AppError> {
    let mut cached = state.national.lock().await;
    if let Some((made, figures)) = cached.as_ref()
        && made.elapsed() < NATIONAL_TTL
    {
        return Ok(figures.clone());
    }
    let figures = Arc::new(make_national(state).await?);
    *cached = Some((Instant::now(), figures.clone()));
    Ok(figures)
}

async fn make_national(state: &AppState) -> Result<National, AppError> {
    let list = state.app.editions().await?;
    let latest = list.last().map(|e| e.edition.clone());
    let names: Vec<String> = list.into_iter().map(|e| e.edition).collect();
    let current = state.store().current_policies(PolicyScope::Latest).await?;

    // The impact of the latest edition on each policy that derives from an
    // older stored one: one comparison per older edition (kept per server).
    let mut targets = Vec::new();
    if let Some(latest) = &latest {
        let latest_name = edition_name(latest)?;
        for p in &current {
            let Some(from) = p
                .derived_from
                .as_ref()
                .filter(|f| *f != latest && names.contains(f))
            else {
                continue;
            };
            let changes = state
                .app
                .edition_changes(&edition_name(from)?, &latest_name)
                .await?;
            targets.push((p.clone(), changes));
        }
    }
    let behind = targets.len();
    let assessed: HashMap<BodyCode, Assessment> = state
        .app
        .assess(targets, || {})
        .await?
        .into_iter()
        .map(|a| (a.body, a.assessment))
        .collect();

    let all = registry().all();
    let mut bodies_in: HashMap<BodyCode, usize> = HashMap::new();
    for b in all {
        *bodies_in.entry(b.prefecture).or_default() += 1;
    }
    let made = kaitei_app::now();
    let mut national = National {
        editions: names.clone(),
        latest,
        all_bodies: all.len(),
        with_policy: current.len(),
        totals: vec![0; names.len()],
        other: 0,
        behind,
        needing_decision: 0,
        severities: [0; 3],
        unaligned: 0,
        rows: Vec::new(),
        made_at: made.wareki(),
        made_at_local: made.local(),
        made,
        per_body: HashMap::new(),
    };
    let mut everyone = Tally::default();
    for pref in all.iter().filter(|b| b.kind == BodyKind::Prefecture) {
        let bodies = bodies_in.get(&pref.code).copied().unwrap_or(0);
        let mine: Vec<_> = current
            .iter()
            .filter(|c| c.body.prefecture() == pref.code)
            .collect();
        let counts: Vec<usize> = names
            .iter()
            .map(|e| {
                mine.iter()
                    .filter(|c| c.derived_from.as_deref() == Some(e))
                    .count()
            })
            .collect();
        let other = mine.len() - counts.iter().sum::<usize>();
        let mut tally = Tally::default();
        for c in &mine {
            if let Some(a) = assessed.get(&c.body) {
                tally.add(a);
            }
        }
        everyone.merge(&tally);
        for (t, n) in national.totals.iter_mut().zip(&counts) {
            *t += n;
        }
        national.other += other;
        national.rows.push(PrefectureRow {
            code: pref.code.to_string(),
            name: pref.name.clone(),
            bodies,
            editions: counts.clone(),
            other,
            without: bodies - mine.len(),
            segments: segments(&counts, other, bodies - mine.len(), bodies),
            behind: tally.policies,
            needing_decision: tally.needing_decision,
            severities: tally.severities,
            unaligned: tally.unaligned,
            tile: tile(
                &pref.code.to_string(),
                counts.last().copied().unwrap_or(0),
                bodies,
            ),
        });
    }
    national.needing_decision = everyone.needing_decision;
    national.unaligned = everyone.unaligned;
    national.severities = everyone.severities;
    national.per_body = assessed
        .into_iter()
        .map(|(body, a)| {
            let counts = match a {
                Assessment::Unaligned => None,
                Assessment::Items(items) => {
                    let mut c = [0; 3];
                    for i in &items {
                        c[severity_slot(i.severity())] += 1;
                    }
                    Some(c)
                }
            };
            (body, counts)
        })
        .collect();
    Ok(national)
}

/// The chart's segments for one prefecture: each edition, other editions,
/// then no policy, as shares of its bodies.
fn segments(counts: &[usize], other: usize, without: usize, bodies: usize) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut x = 0.0;
    let total = bodies.max(1) as f64;
    let series = counts
        .iter()
        .enumerate()
        .map(|(i, n)| (i.to_string(), *n))
        .chain([("other".to_string(), other), ("none".to_string(), without)]);
    for (name, n) in series {
        if n == 0 {
            continue;
        }
        let width = n as f64 * 100.0 / total;
        out.push(Segment {
            x,
            width,
            series: name,
            count: n,
        });
        x += width;
    }
    out
}

/// `GET /dashboard`: how many bodies follow which edition, by prefecture,
/// and the national impact of the latest edition.
pub async fn dashboard_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    session.require(Access::Ministry)?;
    let figures = national(&state).await?;
    render(
        &state,
        &session,
        "dashboard.html",
        minijinja::context! {
            title => tr(session.lang, "全国の状況", &[]),
            n => minijinja::Value::from_serialize(&*figures),
            grid => [GRID.0, GRID.1],
            made_at => figures.made_at_in(session.lang),
        },
    )
}

/// The dashboard's table as the report writes it: the nation, then each
/// prefecture.
fn sheet(n: &National, lang: Lang) -> NationalSheet {
    let measured = n.latest.is_some();
    let impact = |needing: usize, severities: &[usize; 3]| {
        measured.then(|| (needing, severities.iter().sum()))
    };
    let mut lines = vec![NationalLine {
        code: String::new(),
        name: tr(lang, "全国", &[]),
        bodies: n.all_bodies,
        per_edition: n.totals.clone(),
        other: n.other,
        without: n.all_bodies - n.with_policy,
        impact: impact(n.needing_decision, &n.severities),
    }];
    lines.extend(n.rows.iter().map(|r| NationalLine {
        code: r.code.clone(),
        name: r.name.clone(),
        bodies: r.bodies,
        per_edition: r.editions.clone(),
        other: r.other,
        without: r.without,
        impact: impact(r.needing_decision, &r.severities),
    }));
    NationalSheet {
        title: tr(lang, "全国の状況", &[]),
        made_at: tr(lang, "集計時刻 {0}（日本時間）", &[n.made_at_in(lang)]),
        editions: n.editions.clone(),
        lines,
    }
}

/// `GET /dashboard.xlsx`: the table as a workbook.
pub async fn dashboard_xlsx(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    let (sheet, name) = table(&state, &session).await?;
    Ok(download(
        xlsx(&sheet).map_err(|e| AppError::Internal(e.to_string()))?,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{name}.xlsx"),
    ))
}

/// `GET /dashboard.csv`: the table as CSV (UTF-8 with BOM, for Excel).
pub async fn dashboard_csv(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    let (sheet, name) = table(&state, &session).await?;
    Ok(download(
        csv(&sheet),
        "text/csv; charset=utf-8",
        &format!("{name}.csv"),
    ))
}

/// The table for the ministry, and the file's name (with when it was
/// made: two exports of one day stay apart).
async fn table(state: &AppState, session: &Session) -> Result<(NationalSheet, String), AppError> {
    session.require(Access::Ministry)?;
    let figures = national(state).await?;
    let (h, m, _) = figures.made.hms();
    let name = match session.lang {
        Lang::Ja => format!("全国の状況_{}{h}時{m:02}分", figures.made.date().wareki()),
        _ => format!("national-status_{}_{h:02}{m:02}", figures.made.date()),
    };
    Ok((sheet(&figures, session.lang), name))
}

/// `GET /api/v1/dashboard`: the same figures.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "national",
    responses((status = 200, description = "Which edition every body follows, by prefecture, and the national impact of the latest edition", body = National),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_dashboard(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::Ministry)?;
    let figures = national(&state).await?;
    Ok(axum::Json(&*figures).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cover_the_bar_in_order() {
        let s = segments(&[3, 0, 1], 0, 4, 8);
        let names: Vec<&str> = s.iter().map(|s| s.series.as_str()).collect();
        assert_eq!(names, ["0", "2", "none"]);
        assert_eq!(s[1].x, 37.5);
        let end = s.last().map(|l| l.x + l.width).unwrap();
        assert!((end - 100.0).abs() < 1e-9);
    }
}
