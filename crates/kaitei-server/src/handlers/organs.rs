//! The cybersecurity policy under the amended Local Autonomy Act (topic
//! ③): a body's organs, kept by its officers (the list prefilled by kind
//! of body); a prefecture's municipalities; the ministry's national status
//! by prefecture and by kind of body, with the bodies any of whose organs
//! has none, and its workbook.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use kaitei_model::{Body, BodyKind, registry};
use kaitei_records::organs::{self, National, Organ, OrganStatus, Tally, Words};
use serde::Deserialize;

use super::disposal::{XLSX, form_date};
use super::{checked, download, editor, render, see_other};
use crate::AppState;
use crate::auth::{Access, allowed};
use crate::error::AppError;
use crate::i18n::{Lang, tr};
use crate::session::Session;

/// The body of `code` whose organ status the user may see (else nothing,
/// 404), and whether the user may change it.
pub(super) fn organs_body(
    session: &Session,
    code: &str,
) -> Result<(&'static Body, bool), AppError> {
    let body = registry()
        .lookup(checked(code)?)
        .ok()
        .filter(|b| allowed(&session.principal, Access::OrganStatus { body: b.code }));
    let Some(body) = body else {
        session.require(Access::SignedIn)?;
        return Err(AppError::NotFound);
    };
    let editable = allowed(&session.principal, Access::EditRecords { body: body.code });
    Ok((body, editable))
}

fn organ_view(o: &Organ, lang: Lang) -> minijinja::Value {
    minijinja::context! {
        name => o.name.clone(),
        status => o.status.id(),
        status_word => tr(lang, o.status.japanese(), &[]),
        since => o.since.map(|d| d.to_string()),
        url => o.url.clone(),
        lacks => o.lacks_on(organs::in_force()),
    }
}

/// `GET /bodies/{code}/cybersecurity`
pub async fn organs_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Html<String>, AppError> {
    let (body, editable) = organs_body(&session, &code)?;
    organs_view(&state, &session, body, editable, None).await
}

async fn organs_view(
    state: &AppState,
    session: &Session,
    body: &Body,
    editable: bool,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    let lang = session.lang;
    let (list, recorded) = state.app.organs(body).await?;
    let statuses: Vec<_> = OrganStatus::ALL
        .iter()
        .map(|s| (s.id(), s.japanese()))
        .collect();
    render(
        state,
        session,
        "organs.html",
        minijinja::context! {
            title => tr(lang, "{0} サイバーセキュリティ方針（地方自治法）", &[&body.name]),
            code => body.code.to_string(),
            name => body.name.clone(),
            organs => list.iter().map(|o| organ_view(o, lang)).collect::<Vec<_>>(),
            lacking => list.iter().filter(|o| o.lacks_on(organs::in_force())).count(),
            recorded,
            editable,
            statuses,
            error,
        },
    )
}

/// The organs' form: `name_N`, `status_N`, `since_N`, `url_N`, `remove_N`
/// per row, and `new_name` for an organ added.
#[derive(Deserialize)]
pub struct OrgansForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    fields: HashMap<String, String>,
}

/// The list a form describes, in its rows' order.
fn organs_of_form(fields: &HashMap<String, String>) -> Result<Vec<Organ>, String> {
    let field = |k: &str| fields.get(k).map_or("", |s| s.trim());
    let mut out = Vec::new();
    for i in 0..500 {
        let Some(name) = fields.get(&format!("name_{i}")) else {
            break;
        };
        if !field(&format!("remove_{i}")).is_empty() {
            continue;
        }
        let status = OrganStatus::from_id(field(&format!("status_{i}")))
            .ok_or_else(|| format!("{}: 状況を選んでください", name.trim()))?;
        let since = form_date(field(&format!("since_{i}")))?;
        out.push(Organ {
            name: name.trim().to_string(),
            status,
            since: since.filter(|_| status != OrganStatus::NotSet),
            url: if status == OrganStatus::NotSet {
                String::new()
            } else {
                field(&format!("url_{i}")).to_string()
            },
        });
    }
    let new = field("new_name");
    if !new.is_empty() {
        out.push(Organ::unset(new));
    }
    for o in &out {
        organs::check_organ(o)?;
    }
    Ok(out)
}

/// `POST /bodies/{code}/cybersecurity`: the whole list saved.
pub async fn save_organs(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    axum::Form(form): axum::Form<OrgansForm>,
) -> Result<Response, AppError> {
    let (body, _) = organs_body(&session, &code)?;
    session.require(Access::EditRecords { body: body.code })?;
    session.check_csrf(&form.csrf)?;
    let list = match organs_of_form(&form.fields) {
        Ok(list) => list,
        Err(e) => {
            let page = organs_view(&state, &session, body, true, Some(e)).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match state
        .store()
        .save_organs(body.code, &list, &editor(&session)?)
        .await
    {
        Ok(()) => Ok(see_other(format!(
            "/bodies/{}/cybersecurity#saved",
            body.code
        ))),
        Err(kaitei_store::StoreError::Invalid(e)) => {
            let page = organs_view(&state, &session, body, true, Some(e)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(kaitei_app::Error::from(e).into()),
    }
}

fn kind_word(k: BodyKind) -> &'static str {
    match k {
        BodyKind::Prefecture => "都道府県",
        BodyKind::City => "市",
        BodyKind::Town => "町",
        BodyKind::Village => "村",
        BodyKind::SpecialWard => "特別区",
    }
}

/// A day as its readers write it: 和暦 in Japanese, ISO 8601 in English.
fn shown_day(day: kaitei_model::Date, lang: Lang) -> String {
    match lang {
        Lang::Ja => day.wareki(),
        Lang::En => day.to_string(),
    }
}

fn tally_view(name: String, link: Option<String>, t: &Tally) -> minijinja::Value {
    minijinja::context! {
        name, link,
        bodies => t.bodies, recorded => t.recorded, complete => t.complete,
        lacking => t.lacking, organs => t.organs, organs_with => t.organs_with,
    }
}

fn national_view(n: &National, lang: Lang, national: bool) -> minijinja::Value {
    let by_kind: Vec<_> = n
        .by_kind
        .iter()
        .map(|(k, t)| tally_view(tr(lang, kind_word(*k), &[]), None, t))
        .collect();
    let by_prefecture: Vec<_> = n
        .by_prefecture
        .iter()
        .map(|(c, name, t)| {
            tally_view(
                name.clone(),
                Some(format!("/prefectures/{c}/cybersecurity")),
                t,
            )
        })
        .collect();
    let mut tables = vec![minijinja::context! { caption => "団体区分別", rows => by_kind }];
    if national {
        tables.push(minijinja::context! { caption => "都道府県別", rows => by_prefecture });
    }
    minijinja::context! {
        tables,
        day => shown_day(n.day, lang),
        total => tally_view(tr(lang, if national { "全国" } else { "管内計" }, &[]), None, &n.total),
        lacking => n.lacking.iter().map(|l| minijinja::context! {
            code => l.code.to_string(), name => l.name.clone(), prefecture => l.prefecture.clone(),
            organs => l.organs.join("、"),
        }).collect::<Vec<_>>(),
    }
}

/// `GET /cybersecurity`: the national status (the ministry).
pub async fn organs_national_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    session.require(Access::NationalRecords)?;
    let lang = session.lang;
    let n = state
        .app
        .law_status(kaitei_app::now().date(), |_| true)
        .await?;
    render(
        &state,
        &session,
        "organs_national.html",
        minijinja::context! {
            title => tr(lang, "全国のサイバーセキュリティ方針の策定状況", &[]),
            n => national_view(&n, lang, true),
            national => true,
        },
    )
}

/// `GET /prefectures/{code}/cybersecurity`: the prefecture and its
/// municipalities (its officers, the ministry).
pub async fn organs_prefecture_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Html<String>, AppError> {
    let pref = prefecture(&session, &code)?;
    let lang = session.lang;
    let n = state
        .app
        .law_status(kaitei_app::now().date(), |b| b.prefecture == pref.code)
        .await?;
    let all = state
        .store()
        .all_organs()
        .await
        .map_err(kaitei_app::Error::from)?;
    let day = n.day;
    let bodies: Vec<_> = registry()
        .all()
        .iter()
        .filter(|b| b.prefecture == pref.code)
        .map(|b| {
            let list = all.get(&b.code);
            minijinja::context! {
                code => b.code.to_string(),
                name => b.name.clone(),
                recorded => list.is_some(),
                organs => list.map_or(0, Vec::len),
                with => list.map_or(0, |l| l.iter().filter(|o| !o.lacks_on(day)).count()),
                without => list.map(|l| l.iter().filter(|o| o.lacks_on(day)).map(|o| o.name.clone()).collect::<Vec<_>>().join("、")),
            }
        })
        .collect();
    render(
        &state,
        &session,
        "organs_national.html",
        minijinja::context! {
            title => tr(lang, "{0} 管内のサイバーセキュリティ方針の策定状況", &[&pref.name]),
            n => national_view(&n, lang, false),
            national => false,
            bodies,
        },
    )
}

/// The prefecture of `code` whose municipalities' status the user may see.
pub(super) fn prefecture(session: &Session, code: &str) -> Result<&'static Body, AppError> {
    session.require(Access::SignedIn)?;
    let pref = registry()
        .lookup(checked(code)?)
        .ok()
        .filter(|b| b.kind == BodyKind::Prefecture)
        .ok_or(AppError::NotFound)?;
    session.require(Access::OrganStatus { body: pref.code })?;
    Ok(pref)
}

/// `GET /cybersecurity.xlsx`: the national status as a workbook.
pub async fn organs_xlsx(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    let lang = session.lang;
    let n = state
        .app
        .law_status(kaitei_app::now().date(), |_| true)
        .await?;
    let t = |s: &str| tr(lang, s, &[]);
    let words = Words {
        title: tr(
            lang,
            "サイバーセキュリティ方針の策定状況（{0}時点）",
            &[&shown_day(n.day, lang)],
        ),
        sheets: [
            t("都道府県別"),
            t("団体区分別"),
            t("未策定の機関がある団体"),
        ],
        tally: [
            t("区分"),
            t("団体数"),
            t("登録済み"),
            t("全機関策定済み"),
            t("未策定の機関あり"),
            t("機関数"),
            t("策定済みの機関"),
        ],
        list: [
            t("団体コード"),
            t("団体名"),
            t("都道府県"),
            t("未策定の機関"),
        ],
        kinds: BodyKind::ALL.map(|k| t(kind_word(k))),
    };
    let bytes = organs::national_xlsx(&n, &words).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        bytes,
        XLSX,
        &format!("{}.xlsx", t("サイバーセキュリティ方針の策定状況")),
    ))
}
