//! Data linkage without removable media (topic ①): a body's patterns
//! between segments with its ratings before and after its controls, the
//! patterns compared and its heat maps; the ministry's national picture,
//! its catalogue and risk matrix (edited as text) and the workbook it
//! presents. Another body's record is nothing (404).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use kaitei_model::Body;
use kaitei_records::linkage::{Catalogue, LineProblem, RiskMatrix, Route, Segment};
use kaitei_records::linkage_ratings::{HeatMap, KindOfBody, Rating, ScenarioRating, Use, heat_map};
use kaitei_records::linkage_xlsx::{Words, national_xlsx};
use serde::Deserialize;

use super::disposal::{XLSX, records_body};
use super::{download, editor, render, see_other};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// A heat map as rows (likelihood 5 down to 1) of cells (impact 1 to 5):
/// count and level.
pub(super) fn heat_view(map: &HeatMap, matrix: &RiskMatrix) -> Vec<minijinja::Value> {
    (1..=5u8)
        .rev()
        .map(|l| {
            let cells: Vec<_> = (1..=5u8)
                .map(|i| {
                    let level = matrix.lookup(l, i).unwrap_or(0);
                    minijinja::context! {
                        count => map.at(l, i),
                        level,
                        name => matrix.levels()[level].clone(),
                    }
                })
                .collect();
            minijinja::context! { likelihood => l, cells }
        })
        .collect()
}

fn level_of(r: Option<Rating>, matrix: &RiskMatrix) -> minijinja::Value {
    match r.and_then(|r| matrix.lookup(r.likelihood, r.impact).map(|l| (r, l))) {
        Some((r, l)) => minijinja::context! {
            l => r.likelihood, i => r.impact, level => l, name => matrix.levels()[l].clone(),
        },
        None => minijinja::Value::from(()),
    }
}

/// The uses as shown: each with its pattern and every scenario of it,
/// rated or not.
fn uses_view(uses: &[Use], catalogue: &Catalogue, matrix: &RiskMatrix) -> Vec<minijinja::Value> {
    uses.iter()
        .map(|u| {
            let p = catalogue.pattern(&u.pattern);
            let scenarios: Vec<_> = p
                .map(|p| p.scenarios.as_slice())
                .unwrap_or_default()
                .iter()
                .map(|s| {
                    let r = u.rating(&s.id);
                    minijinja::context! {
                        id => s.id.clone(),
                        threat => s.threat.japanese(),
                        text => s.text.clone(),
                        controls => s.controls.iter().map(|c| minijinja::context! {
                            text => c.text.clone(), clause => c.clause.as_ref().map(|k| k.to_string()),
                        }).collect::<Vec<_>>(),
                        before => level_of(r.and_then(|r| r.before), matrix),
                        after => level_of(r.and_then(|r| r.after), matrix),
                    }
                })
                .collect();
            let worst = |after: bool| {
                u.ratings
                    .iter()
                    .filter_map(|r| if after { r.after } else { r.before })
                    .filter_map(|r| matrix.lookup(r.likelihood, r.impact))
                    .max()
                    .map(|l| minijinja::context! { level => l, name => matrix.levels()[l].clone() })
            };
            minijinja::context! {
                worst_before => worst(false),
                worst_after => worst(true),
                rated => u.ratings.iter().filter(|r| r.after.is_some()).count(),
                pattern => u.pattern.clone(),
                name => p.map_or(u.pattern.clone(), |p| p.name.clone()),
                baseline => p.is_some_and(|p| p.baseline),
                from => u.route.from.id(),
                to => u.route.to.id(),
                route => u.route.japanese(),
                scenarios,
            }
        })
        .collect()
}

/// The catalogue as shown: patterns, their scenarios and controls.
fn catalogue_view(catalogue: &Catalogue) -> Vec<minijinja::Value> {
    catalogue
        .patterns
        .iter()
        .map(|p| {
            minijinja::context! {
                name => p.name.clone(),
                baseline => p.baseline,
                description => p.description.clone(),
                scenarios => p.scenarios.iter().map(|s| minijinja::context! {
                    threat => s.threat.japanese(),
                    text => s.text.clone(),
                    controls => s.controls.iter().map(|c| minijinja::context! {
                        text => c.text.clone(), clause => c.clause.as_ref().map(|k| k.to_string()),
                    }).collect::<Vec<_>>(),
                }).collect::<Vec<_>>(),
            }
        })
        .collect()
}

fn segments() -> Vec<(&'static str, &'static str)> {
    Segment::ALL
        .iter()
        .map(|s| (s.id(), s.japanese()))
        .collect()
}

/// `GET /bodies/{code}/linkage`
pub async fn linkage_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Html<String>, AppError> {
    let body = records_body(&session, &code, false)?;
    linkage_view(&state, &session, body, None, None).await
}

async fn linkage_view(
    state: &AppState,
    session: &Session,
    body: &Body,
    shown: Option<Vec<Use>>,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    let store = state.store();
    let e = |e| AppError::from(kaitei_app::Error::from(e));
    let catalogue = store.linkage_catalogue().await.map_err(e)?;
    let matrix = store.risk_matrix().await.map_err(e)?;
    let uses = match shown {
        Some(u) => u,
        None => store.linkage_uses(body.code).await.map_err(e)?,
    };
    let editable =
        crate::auth::allowed(&session.principal, Access::EditRecords { body: body.code });
    let latest = state.app.latest_edition().await?.map(|e| e.edition);
    render(
        state,
        session,
        "linkage.html",
        minijinja::context! {
            title => tr(session.lang, "{0} データ連携のリスク分析", &[&body.name]),
            code => body.code.to_string(),
            uses => uses_view(&uses, &catalogue, &matrix),
            before => heat_view(&heat_map(&uses, false), &matrix),
            after => heat_view(&heat_map(&uses, true), &matrix),
            levels => matrix.levels().to_vec(),
            patterns => catalogue.patterns.iter().map(|p| (p.id.clone(), p.name.clone())).collect::<Vec<_>>(),
            segments => segments(),
            latest,
            editable,
            error,
        },
    )
}

/// The linkage form: per use `pattern_N`, `from_N`, `to_N`, `remove_N`,
/// and per scenario `scenario_N_M` with `bl_N_M`, `bi_N_M`, `al_N_M`,
/// `ai_N_M` (likelihood and impact before and after, 1–5 or empty); a use
/// added with `new_pattern`, `new_from`, `new_to`.
#[derive(Deserialize)]
pub struct LinkageForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    fields: HashMap<String, String>,
}

fn score(fields: &HashMap<String, String>, k: &str) -> Result<Option<u8>, String> {
    match fields.get(k).map_or("", |s| s.trim()) {
        "" => Ok(None),
        v => v
            .parse::<u8>()
            .ok()
            .filter(|n| (1..=5).contains(n))
            .map(Some)
            .ok_or_else(|| format!("{k}: 1から5で選んでください")),
    }
}

fn pair(
    fields: &HashMap<String, String>,
    l: &str,
    i: &str,
    what: &str,
) -> Result<Option<Rating>, String> {
    match (score(fields, l)?, score(fields, i)?) {
        (None, None) => Ok(None),
        (Some(l), Some(i)) => Ok(Rating::new(l, i)),
        _ => Err(format!("{what}: 発生可能性と影響度の両方を選んでください")),
    }
}

fn route_of(fields: &HashMap<String, String>, from: &str, to: &str) -> Result<Route, String> {
    let seg = |k: &str| Segment::from_id(fields.get(k).map_or("", |s| s.trim()));
    match (seg(from), seg(to)) {
        (Some(f), Some(t)) => {
            Route::new(f, t).ok_or_else(|| "連携元と連携先は別の系にしてください".to_string())
        }
        _ => Err("連携元と連携先の系を選んでください".to_string()),
    }
}

/// The uses a form describes, in its rows' order.
fn uses_of_form(
    fields: &HashMap<String, String>,
    catalogue: &Catalogue,
) -> Result<Vec<Use>, String> {
    let field = |k: &str| fields.get(k).map_or("", |s| s.trim());
    let mut out = Vec::new();
    for n in 0..200 {
        let Some(pattern) = fields.get(&format!("pattern_{n}")) else {
            break;
        };
        if !field(&format!("remove_{n}")).is_empty() {
            continue;
        }
        let route = route_of(fields, &format!("from_{n}"), &format!("to_{n}"))?;
        let name = catalogue
            .pattern(pattern)
            .map_or(pattern.as_str(), |p| p.name.as_str());
        let mut ratings = Vec::new();
        for m in 0..100 {
            let Some(scenario) = fields.get(&format!("scenario_{n}_{m}")) else {
                break;
            };
            let what = format!("{name}（{}）{scenario}", route.japanese());
            let before = pair(
                fields,
                &format!("bl_{n}_{m}"),
                &format!("bi_{n}_{m}"),
                &what,
            )?;
            let after = pair(
                fields,
                &format!("al_{n}_{m}"),
                &format!("ai_{n}_{m}"),
                &what,
            )?;
            if before.is_some() || after.is_some() {
                ratings.push(ScenarioRating {
                    scenario: scenario.clone(),
                    before,
                    after,
                });
            }
        }
        out.push(Use {
            pattern: pattern.trim().to_string(),
            route,
            ratings,
        });
    }
    let new = field("new_pattern");
    if !new.is_empty() {
        let route = route_of(fields, "new_from", "new_to")?;
        out.push(Use {
            pattern: new.to_string(),
            route,
            ratings: Vec::new(),
        });
    }
    kaitei_records::linkage_ratings::check_uses(&out, catalogue)?;
    Ok(out)
}

/// `POST /bodies/{code}/linkage`: the whole record saved.
pub async fn save_linkage(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    axum::Form(form): axum::Form<LinkageForm>,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, true)?;
    session.check_csrf(&form.csrf)?;
    let catalogue = state
        .store()
        .linkage_catalogue()
        .await
        .map_err(kaitei_app::Error::from)?;
    let uses = match uses_of_form(&form.fields, &catalogue) {
        Ok(u) => u,
        Err(e) => {
            let page = linkage_view(&state, &session, body, None, Some(e)).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match state
        .store()
        .save_linkage(body.code, &uses, &editor(&session)?)
        .await
    {
        Ok(()) => Ok(see_other(format!("/bodies/{}/linkage#saved", body.code))),
        Err(kaitei_store::StoreError::Invalid(e)) => {
            let page = linkage_view(&state, &session, body, Some(uses), Some(e)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(kaitei_app::Error::from(e).into()),
    }
}

/// The national page's texts being edited, with their problems.
#[derive(Default)]
struct Editing {
    catalogue: Option<(String, Vec<LineProblem>)>,
    matrix: Option<(String, Vec<LineProblem>)>,
}

/// `GET /linkage`: the national picture, the catalogue and the matrix.
pub async fn linkage_national_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    session.require(Access::NationalRecords)?;
    national_view(&state, &session, Editing::default()).await
}

async fn national_view(
    state: &AppState,
    session: &Session,
    editing: Editing,
) -> Result<Html<String>, AppError> {
    let lang = session.lang;
    let p = state.app.linkage_national().await?;
    let n = &p.national;
    let name = |id: &str| {
        p.catalogue
            .pattern(id)
            .map_or(id.to_string(), |x| x.name.clone())
    };
    let columns: Vec<_> = n
        .columns
        .iter()
        .map(|c| minijinja::context! { name => name(&c.pattern), route => c.route.japanese() })
        .collect();
    let by_kind: Vec<_> = n
        .by_kind
        .iter()
        .map(|(k, v)| (tr(lang, k.japanese(), &[]), v.clone()))
        .collect();
    let residual: Vec<_> = n
        .residual
        .iter()
        .map(|r| {
            let s = p
                .catalogue
                .pattern(&r.pattern)
                .and_then(|x| x.scenario(&r.scenario));
            minijinja::context! {
                pattern => name(&r.pattern),
                threat => s.map(|s| s.threat.japanese()),
                scenario => s.map_or(r.scenario.clone(), |s| s.text.clone()),
                counts => r.counts.clone(),
                unrated => r.unrated,
            }
        })
        .collect();
    let problems = |e: &Option<(String, Vec<LineProblem>)>| {
        e.as_ref()
            .map(|(_, p)| p.iter().map(ToString::to_string).collect::<Vec<_>>())
    };
    let everything = HeatMap::default();
    render(
        state,
        session,
        "linkage_national.html",
        minijinja::context! {
            title => tr(lang, "全国のデータ連携のリスク分析", &[]),
            bodies => n.bodies,
            columns,
            total => n.total.clone(),
            by_kind,
            by_prefecture => n.by_prefecture.iter().map(|(_, name, v)| (name.clone(), v.clone())).collect::<Vec<_>>(),
            residual,
            levels => p.matrix.levels().to_vec(),
            matrix => heat_view(&everything, &p.matrix),
            patterns => catalogue_view(&p.catalogue),
            catalogue_text => editing.catalogue.as_ref().map_or(p.catalogue.print(), |e| e.0.clone()),
            catalogue_problems => problems(&editing.catalogue),
            matrix_text => editing.matrix.as_ref().map_or(p.matrix.print(), |e| e.0.clone()),
            matrix_problems => problems(&editing.matrix),
        },
    )
}

/// The ministry's text forms (the catalogue, the matrix, the questions).
#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    pub(super) csrf: String,
    #[serde(default)]
    pub(super) text: String,
}

/// `POST /linkage/catalogue`: the catalogue replaced by the text (all or
/// nothing; a refusal names each wrong line).
pub async fn save_catalogue(
    State(state): State<AppState>,
    session: Session,
    axum::Form(form): axum::Form<TextForm>,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    session.check_csrf(&form.csrf)?;
    let result = match Catalogue::read(&form.text) {
        Ok(c) => state
            .store()
            .set_linkage_catalogue(&c, &editor(&session)?)
            .await
            .map_err(|e| match e {
                kaitei_store::StoreError::Invalid(m) => Ok(vec![LineProblem {
                    line: 1,
                    problem: m,
                }]),
                other => Err(other),
            }),
        Err(p) => Err(Ok(p)),
    };
    match result {
        Ok(()) => Ok(see_other("/linkage#catalogue".into())),
        Err(Ok(problems)) => {
            let editing = Editing {
                catalogue: Some((form.text, problems)),
                ..Editing::default()
            };
            let page = national_view(&state, &session, editing).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(Err(e)) => Err(kaitei_app::Error::from(e).into()),
    }
}

/// `POST /linkage/matrix`: the risk matrix replaced by the text.
pub async fn save_matrix(
    State(state): State<AppState>,
    session: Session,
    axum::Form(form): axum::Form<TextForm>,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    session.check_csrf(&form.csrf)?;
    match RiskMatrix::read(&form.text) {
        Ok(m) => {
            state
                .store()
                .set_risk_matrix(&m, &editor(&session)?)
                .await
                .map_err(kaitei_app::Error::from)?;
            Ok(see_other("/linkage#matrix".into()))
        }
        Err(problems) => {
            let editing = Editing {
                matrix: Some((form.text, problems)),
                ..Editing::default()
            };
            let page = national_view(&state, &session, editing).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// `GET /linkage.xlsx`: the risk analysis as a workbook.
pub async fn linkage_xlsx(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    let lang = session.lang;
    let p = state.app.linkage_national().await?;
    let t = |s: &str| tr(lang, s, &[]);
    let words = Words {
        title: t("データ連携のリスク分析"),
        sheets: [
            t("パターンと対策"),
            t("リスクマトリクス"),
            t("団体区分別"),
            t("都道府県別"),
            t("残存リスク"),
        ],
        catalogue: [
            t("パターン"),
            t("シナリオ"),
            t("脅威"),
            t("対策"),
            t("条項キー"),
        ],
        corner: t("発生可能性＼影響度"),
        total: t("全国"),
        residual: [t("パターン"), t("シナリオ"), t("未評価")],
        kinds: KindOfBody::ALL.map(|k| t(k.japanese())),
        routes: p
            .national
            .columns
            .iter()
            .map(|c| c.route.japanese())
            .collect(),
    };
    let bytes = national_xlsx(&p.national, &p.catalogue, &p.matrix, &words)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        XLSX,
        &format!("{}.xlsx", t("データ連携のリスク分析")),
    ))
}
