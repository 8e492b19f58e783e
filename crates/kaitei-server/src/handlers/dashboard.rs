//! The ministry's national dashboard.

use axum::extract::State;
use axum::response::Html;
use kaitei_model::registry;
use serde::Serialize;

use super::render;
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

use super::editions::editions;

#[derive(Serialize)]
struct PrefectureRow {
    code: String,
    name: String,
    bodies: usize,
    /// (edition, bodies following it, percentage of the prefecture's bodies)
    editions: Vec<(String, usize, usize)>,
    without: usize,
}

/// `GET /dashboard`: how many bodies follow which edition, by prefecture.
pub async fn dashboard_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    session.require(Access::Ministry)?;
    let current = state.store.current_policies().await?;
    let editions: Vec<String> = editions(&state)
        .await?
        .into_iter()
        .map(|e| e.edition)
        .collect();
    let mut rows = Vec::new();
    let mut totals: Vec<usize> = vec![0; editions.len()];
    let mut with_policy = 0;
    for pref in registry()
        .all()
        .iter()
        .filter(|b| b.kind == kaitei_model::BodyKind::Prefecture)
    {
        let bodies = registry()
            .all()
            .iter()
            .filter(|b| b.prefecture == pref.code)
            .count();
        let mine: Vec<&(kaitei_model::BodyCode, i64, Option<String>)> = current
            .iter()
            .filter(|c| c.0.prefecture() == pref.code)
            .collect();
        with_policy += mine.len();
        let counts: Vec<(String, usize, usize)> = editions
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let n = mine
                    .iter()
                    .filter(|c| c.2.as_deref() == Some(e.as_str()))
                    .count();
                totals[i] += n;
                (e.clone(), n, n * 100 / bodies.max(1))
            })
            .collect();
        rows.push(PrefectureRow {
            code: pref.code.to_string(),
            name: pref.name.clone(),
            bodies,
            editions: counts,
            without: bodies - mine.len(),
        });
    }
    render(
        &state,
        &session,
        "dashboard.html",
        minijinja::context! {
            title => tr(session.lang, "全国の状況", &[]),
            editions,
            totals,
            with_policy,
            all_bodies => registry().all().len(),
            rows,
        },
    )
}
