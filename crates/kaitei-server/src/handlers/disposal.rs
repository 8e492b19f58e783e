//! A body's equipment disposal and data-erasure register (topic ②): the
//! register page (flagged items first), an item with its attachments, the
//! upload of a workbook (all or nothing, updating by 管理番号), the
//! workbook export and the empty template; the ministry's national counts
//! by rule and its rule table. Another body's register is nothing (404).

use axum::extract::{Multipart, Path, State};
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::records::{CheckedItem, RegisterRefused};
use kaitei_model::{Body, Date, registry};
use kaitei_records::register::{Classification, Column, Item, Method};
use kaitei_records::rules::{Finding, Rule, RuleTable};
use kaitei_records::xlsx;
use kaitei_store::AttachmentKind;
use serde::Deserialize;

use super::{checked, download, editor, percent_encode, render, see_other};
use crate::AppState;
use crate::auth::{Access, allowed};
use crate::error::AppError;
use crate::i18n::{Lang, tr};
use crate::session::Session;

pub(super) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The body of `code` whose records the user may have `access` to: an
/// unknown code, or a body the user may not see, is nothing (404; an
/// anonymous user is sent to sign in); a body the user may read but not
/// change is 403 for a change.
pub(super) fn records_body(
    session: &Session,
    code: &str,
    edit: bool,
) -> Result<&'static Body, AppError> {
    let body = registry().lookup(checked(code)?).ok();
    let Some(body) = body else {
        session.require(Access::SignedIn)?;
        return Err(AppError::NotFound);
    };
    let read = Access::Records { body: body.code };
    if !allowed(&session.principal, read.clone()) {
        session.require(Access::SignedIn)?;
        return Err(AppError::NotFound);
    }
    if edit {
        session.require(Access::EditRecords { body: body.code })?;
    }
    Ok(body)
}

/// A finding as shown: its rule id and words, and its reason.
fn finding_view(f: &Finding, lang: Lang) -> minijinja::Value {
    minijinja::context! {
        rule => f.rule.id(),
        rule_word => tr(lang, f.rule.japanese(), &[]),
        reason => match lang {
            Lang::Ja => f.japanese(),
            Lang::En => f.english(),
        },
    }
}

fn item_view(i: &CheckedItem, lang: Lang) -> minijinja::Value {
    let cells = i.item.cells();
    minijinja::context! {
        row => i.row,
        number => i.item.number.clone(),
        link => percent_encode(&i.item.number),
        cells => cells.to_vec(),
        findings => i.findings.iter().map(|f| finding_view(f, lang)).collect::<Vec<_>>(),
    }
}

/// The counts by rule as shown: (id, words, count).
fn counts_view(counts: [usize; 5]) -> Vec<(&'static str, &'static str, usize)> {
    Rule::ALL
        .iter()
        .zip(counts)
        .map(|(r, n)| (r.id(), r.japanese(), n))
        .collect()
}

fn rules_view(table: &RuleTable) -> Vec<(&'static str, &'static str, &'static str)> {
    table
        .entries()
        .map(|(c, m)| (c.word(), c.id(), m.word()))
        .collect()
}

/// `GET /bodies/{code}/disposal[?imported=A-U-N]`
pub async fn disposal_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    axum::extract::Query(q): axum::extract::Query<ImportedQuery>,
) -> Result<Html<String>, AppError> {
    let body = records_body(&session, &code, false)?;
    register_page(&state, &session, body, q.imported.as_deref(), None).await
}

/// What the page says after an upload.
#[derive(Deserialize, Default)]
pub struct ImportedQuery {
    imported: Option<String>,
}

async fn register_page(
    state: &AppState,
    session: &Session,
    body: &Body,
    imported: Option<&str>,
    refused: Option<Vec<String>>,
) -> Result<Html<String>, AppError> {
    let lang = session.lang;
    let register = state.app.register(body.code).await?;
    let items: Vec<_> = register
        .flagged_first()
        .into_iter()
        .map(|i| item_view(i, lang))
        .collect();
    let flagged = register
        .items
        .iter()
        .filter(|i| !i.findings.is_empty())
        .count();
    let imported: Option<Vec<usize>> = imported.and_then(|s| {
        let n: Vec<usize> = s.split('-').filter_map(|x| x.parse().ok()).collect();
        (n.len() == 3).then_some(n)
    });
    render(
        state,
        session,
        "disposal.html",
        minijinja::context! {
            title => tr(lang, "{0} 機器の廃棄・データ消去台帳", &[&body.name]),
            code => body.code.to_string(),
            name => body.name.clone(),
            editable => allowed(&session.principal, Access::EditRecords { body: body.code }),
            headers => Column::ALL.iter().map(|c| c.header()).collect::<Vec<_>>(),
            // The columns the table shows besides 管理番号 (every one is on
            // the item's page and in the workbook).
            shown => [
                Column::Equipment,
                Column::Media,
                Column::Classification,
                Column::Handling,
                Column::HandledOn,
                Column::Method,
                Column::Performer,
            ].map(Column::index),
            items,
            total => register.items.len(),
            flagged,
            counts => counts_view(register.counts()),
            rules => rules_view(&register.rules),
            attachments => register.attachments.len(),
            imported,
            refused,
        },
    )
}

/// `GET /bodies/{code}/disposal.xlsx`: the register as a workbook.
pub async fn disposal_xlsx(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, false)?;
    let bytes = state.app.register_xlsx(body.code).await?;
    Ok(download(
        bytes,
        XLSX,
        &format!("{}_機器廃棄台帳.xlsx", body.name),
    ))
}

/// `GET /disposal/template.xlsx`: the empty register, with its value lists.
pub async fn disposal_template(session: Session) -> Result<Response, AppError> {
    session.require(Access::SignedIn)?;
    let bytes = xlsx::template().map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(bytes, XLSX, "機器廃棄台帳_様式.xlsx"))
}

/// The fields of a multipart form: text fields and the one file.
pub(super) struct Upload {
    pub csrf: String,
    pub fields: Vec<(String, String)>,
    pub file: Option<(String, Vec<u8>)>,
}

pub(super) async fn read_upload(mut multipart: Multipart) -> Result<Upload, AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("unreadable upload: {e}"))
    };
    let mut out = Upload {
        csrf: String::new(),
        fields: Vec::new(),
        file: None,
    };
    while let Some(field) = multipart.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_string();
            out.file = Some((file_name, field.bytes().await.map_err(bad)?.to_vec()));
        } else {
            let text = field.text().await.map_err(bad)?;
            if name == "csrf" {
                out.csrf = text;
            } else {
                out.fields.push((name, text));
            }
        }
    }
    Ok(out)
}

/// `POST /bodies/{code}/disposal/upload` (multipart: csrf, file): imports
/// the register all or nothing; a refusal lists every wrong cell as
/// FILE:ROW: COLUMN: reason and stores nothing.
pub async fn upload_register(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, true)?;
    let upload = read_upload(multipart).await?;
    session.check_csrf(&upload.csrf)?;
    let lang = session.lang;
    let Some((name, bytes)) = upload.file.filter(|(_, b)| !b.is_empty()) else {
        let msg = vec![tr(lang, "ファイルを選んでください。", &[])];
        return refused_page(&state, &session, body, msg).await;
    };
    match state
        .app
        .import_register(body.code, &bytes, &editor(&session)?)
        .await?
    {
        Ok(done) => Ok(see_other(format!(
            "/bodies/{}/disposal?imported={}-{}-{}",
            body.code, done.added, done.updated, done.unchanged
        ))),
        Err(RegisterRefused::NotARegister(e)) => {
            refused_page(&state, &session, body, vec![format!("{name}: {e}")]).await
        }
        Err(RegisterRefused::Cells(cells)) => {
            let lines = cells
                .iter()
                .map(|(row, c, p)| {
                    let reason = match lang {
                        Lang::Ja => p.japanese(*c),
                        Lang::En => p.english(*c),
                    };
                    format!("{name}:{row}: {c}: {reason}")
                })
                .collect();
            refused_page(&state, &session, body, lines).await
        }
    }
}

async fn refused_page(
    state: &AppState,
    session: &Session,
    body: &Body,
    lines: Vec<String>,
) -> Result<Response, AppError> {
    let page = register_page(state, session, body, None, Some(lines)).await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `GET /bodies/{code}/disposal/items/{number}`
pub async fn disposal_item_page(
    State(state): State<AppState>,
    session: Session,
    Path((code, number)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let body = records_body(&session, &code, false)?;
    item_page(&state, &session, body, &number, None).await
}

async fn item_page(
    state: &AppState,
    session: &Session,
    body: &Body,
    number: &str,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    let lang = session.lang;
    let register = state.app.register(body.code).await?;
    let item = register
        .items
        .iter()
        .find(|i| i.item.number == number)
        .ok_or(AppError::NotFound)?;
    let attachments: Vec<_> = register
        .attachments
        .iter()
        .filter(|a| a.number == number)
        .map(|a| {
            minijinja::context! {
                id => a.id,
                kind => a.kind.id(),
                file_name => a.file_name.clone(),
                sha256 => a.sha256.clone(),
                size => a.size,
                uploaded_by => a.uploaded_by.clone(),
            }
        })
        .collect();
    let cells = item.item.cells();
    let fields: Vec<_> = Column::ALL[1..]
        .iter()
        .map(|c| {
            minijinja::context! {
                header => c.header(),
                kind => if *c == Column::HandledOn { "date" } else { "text" },
                options => c.words().to_vec(),
                value => cells[c.index()].clone(),
            }
        })
        .collect();
    render(
        state,
        session,
        "disposal_item.html",
        minijinja::context! {
            title => tr(lang, "{0} 管理番号 {1}", &[&body.name, number]),
            code => body.code.to_string(),
            name => body.name.clone(),
            link => percent_encode(number),
            item => item_view(item, lang),
            headers => Column::ALL.iter().map(|c| c.header()).collect::<Vec<_>>(),
            fields,
            attachments,
            editable => allowed(&session.principal, Access::EditRecords { body: body.code }),
            error,
        },
    )
}

/// The edit form of an item: each column by its header.
#[derive(Deserialize)]
pub struct ItemForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    cells: std::collections::HashMap<String, String>,
}

/// The item a form describes (its 管理番号 from the path): every cell one
/// of its column's words, else the column and its problem.
fn item_of_form(number: &str, form: &ItemForm) -> Result<Item, String> {
    let cell = |c: Column| {
        form.cells
            .get(c.header())
            .map_or("", |s| s.trim())
            .to_string()
    };
    let mut cells: [String; 14] = std::array::from_fn(|i| cell(Column::ALL[i]));
    cells[0] = number.to_string();
    let (item, problems) = Item::read(&cells);
    if let Some((c, p)) = problems.first() {
        return Err(format!("{c}: {}", p.japanese(*c)));
    }
    if item.handling.is_none() {
        return Err(format!("{}: 空欄です", Column::Handling));
    }
    Ok(item)
}

/// `POST /bodies/{code}/disposal/items/{number}`: the item changed.
pub async fn save_disposal_item(
    State(state): State<AppState>,
    session: Session,
    Path((code, number)): Path<(String, String)>,
    axum::Form(form): axum::Form<ItemForm>,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, true)?;
    session.check_csrf(&form.csrf)?;
    let item = match item_of_form(&number, &form) {
        Ok(item) => item,
        Err(e) => {
            let page = item_page(&state, &session, body, &number, Some(e)).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    state
        .store()
        .save_disposal_item(body.code, &item, &editor(&session)?)
        .await
        .map_err(kaitei_app::Error::from)?;
    Ok(see_other(format!(
        "/bodies/{}/disposal/items/{}#saved",
        body.code,
        percent_encode(&number)
    )))
}

/// `POST /bodies/{code}/disposal/items/{number}/attachments` (multipart:
/// csrf, kind, file).
pub async fn attach(
    State(state): State<AppState>,
    session: Session,
    Path((code, number)): Path<(String, String)>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, true)?;
    let upload = read_upload(multipart).await?;
    session.check_csrf(&upload.csrf)?;
    let kind = upload
        .fields
        .iter()
        .find(|(n, _)| n == "kind")
        .and_then(|(_, v)| AttachmentKind::from_id(v))
        .ok_or_else(|| AppError::BadRequest("unknown kind of attachment".into()))?;
    let Some((name, bytes)) = upload.file.filter(|(_, b)| !b.is_empty()) else {
        let e = tr(session.lang, "ファイルを選んでください。", &[]);
        let page = item_page(&state, &session, body, &number, Some(e)).await?;
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let name = name.rsplit(['/', '\\']).next().unwrap_or(&name).to_string();
    match state
        .store()
        .attach(body.code, &number, kind, &name, &bytes, &editor(&session)?)
        .await
    {
        Ok(_) => Ok(see_other(format!(
            "/bodies/{}/disposal/items/{}#attachments",
            body.code,
            percent_encode(&number)
        ))),
        Err(kaitei_store::StoreError::Invalid(e)) => {
            let page = item_page(&state, &session, body, &number, Some(e)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(kaitei_app::Error::from(e).into()),
    }
}

/// `GET /bodies/{code}/disposal/attachments/{id}`: the file as uploaded
/// (checked against its SHA-256).
pub async fn attachment_file(
    State(state): State<AppState>,
    session: Session,
    Path((code, id)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let body = records_body(&session, &code, false)?;
    let (a, bytes) = state
        .store()
        .attachment(body.code, id)
        .await
        .map_err(kaitei_app::Error::from)?
        .ok_or(AppError::NotFound)?;
    Ok(download(bytes, "application/octet-stream", &a.file_name))
}

/// `GET /disposal`: the ministry's national counts by rule, the bodies
/// with findings, and the rule table to edit.
pub async fn disposal_national_page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, AppError> {
    session.require(Access::NationalRecords)?;
    national_page(&state, &session, None).await
}

async fn national_page(
    state: &AppState,
    session: &Session,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    let lang = session.lang;
    let n = state.app.disposal_national().await?;
    let flagged: Vec<_> = n
        .flagged
        .iter()
        .map(|(code, counts)| {
            minijinja::context! {
                code => code.to_string(),
                name => registry().get(*code).map(|b| b.name.clone()),
                counts => counts.to_vec(),
            }
        })
        .collect();
    render(
        state,
        session,
        "disposal_national.html",
        minijinja::context! {
            title => tr(lang, "全国の機器の廃棄・データ消去", &[]),
            counts => counts_view(n.counts),
            items => n.items,
            bodies => n.bodies,
            flagged,
            rules => rules_view(&n.rules),
            methods => Method::WORDS.to_vec(),
            error,
        },
    )
}

/// The rule table's form: each classification's id with its method's word.
#[derive(Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    minimum: std::collections::HashMap<String, String>,
}

/// `POST /disposal/rules`: the ministry's rule table.
pub async fn set_disposal_rules(
    State(state): State<AppState>,
    session: Session,
    axum::Form(form): axum::Form<RulesForm>,
) -> Result<Response, AppError> {
    session.require(Access::NationalRecords)?;
    session.check_csrf(&form.csrf)?;
    let mut table = RuleTable::default();
    for class in Classification::ALL {
        let method = form
            .minimum
            .get(class.id())
            .and_then(|m| Method::from_word(m))
            .ok_or_else(|| AppError::BadRequest(format!("no method for {class}")))?;
        table = table.with(*class, method);
    }
    state
        .store()
        .set_disposal_rules(&table, &editor(&session)?)
        .await
        .map_err(kaitei_app::Error::from)?;
    Ok(see_other("/disposal#rules".into()))
}

/// A date in a form (`YYYY-MM-DD`, empty for none).
pub(super) fn form_date(s: &str) -> Result<Option<Date>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    Date::parse_iso(s)
        .map(Some)
        .ok_or_else(|| format!("「{s}」は日付ではありません（YYYY-MM-DD）"))
}
