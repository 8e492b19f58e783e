//! The 新旧対照表 between two stored editions: the page in the site's
//! frame (the column order, the rows kept around changes, every download,
//! another pair to choose), its files named after the editions, and the
//! API's JSON. Each rendering is made once per edition pair, format and
//! layout (`output_cache.rs`).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use kaitei_app::TableFormat;
use kaitei_app::table::Layout;
use kaitei_model::EditionName;
use kaitei_report::table::Columns;
use serde::Deserialize;

use super::{edition_name, percent_encode, render};
use crate::AppState;
use crate::auth::Access;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// Query of the comparison routes. Every field is optional text, read
/// here: a page asked without an edition, or with one that is not stored,
/// offers the editions to choose from instead of a parser's message.
#[derive(Deserialize, Default)]
pub struct DiffQuery {
    old: Option<String>,
    new: Option<String>,
    /// A file to download (`docx`, `xlsx`, `html`, `json`, `text`); none:
    /// the page.
    format: Option<String>,
    /// Unchanged neighbours kept around each change.
    context: Option<String>,
    /// `new-old` (the ministry's order) or `old-new`.
    columns: Option<String>,
}

/// Most unchanged neighbours a table keeps (the rest fold to （略））.
const MAX_CONTEXT: usize = 20;

/// Why a comparison cannot be shown as asked, in Japanese (the page
/// translates it).
enum Unfit {
    /// A value the query may not hold: the message and its arguments.
    Bad(&'static str, String),
    /// An edition that is not stored.
    Unknown(String),
}

impl DiffQuery {
    /// The two editions' names as given (trimmed), when both are.
    fn pair(&self) -> Option<(&str, &str)> {
        fn given(s: &Option<String>) -> Option<&str> {
            s.as_deref().map(str::trim).filter(|s| !s.is_empty())
        }
        Some((given(&self.old)?, given(&self.new)?))
    }

    fn layout(&self) -> Result<Layout, Unfit> {
        let columns = match self.columns.as_deref() {
            None | Some("new-old") => Columns::NewOld,
            Some("old-new") => Columns::OldNew,
            Some(other) => {
                return Err(Unfit::Bad(
                    "列の順「{0}」は選べません（new-old か old-new）。",
                    other.to_string(),
                ));
            }
        };
        let context = match self.context.as_deref().map(str::trim) {
            None | Some("") => 0,
            Some(n) => n.parse::<usize>().map_err(|_| {
                Unfit::Bad("前後に残す行の数「{0}」は数ではありません。", n.to_string())
            })?,
        };
        Ok(Layout {
            columns,
            context: context.min(MAX_CONTEXT),
            colour: false,
        })
    }
}

/// The link to the table of `old` and `new` laid out as `layout`, in
/// `format` (`None`: the page).
fn diff_link(old: &str, new: &str, format: Option<TableFormat>, layout: Layout) -> String {
    let enc = percent_encode;
    let mut link = format!(
        "/diff?old={}&new={}&context={}&columns={}",
        enc(old),
        enc(new),
        layout.context,
        columns_value(layout.columns)
    );
    if let Some(f) = format {
        link.push_str(&format!("&format={f}"));
    }
    link
}

fn columns_value(columns: Columns) -> &'static str {
    match columns {
        Columns::NewOld => "new-old",
        Columns::OldNew => "old-new",
    }
}

/// The ASCII name an old client that cannot read `filename*` saves a
/// table as: each edition's era initial and numbers (令和6年10月版 → R6-10).
fn ascii_file_name(old: &EditionName, new: &EditionName, extension: &str) -> String {
    fn ascii(name: &str) -> String {
        let name = name.replace("令和", "R").replace("平成", "H");
        let runs: Vec<&str> = name
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|r| !r.is_empty())
            .collect();
        if runs.is_empty() {
            "edition".to_string()
        } else {
            runs.join("-")
        }
    }
    format!(
        "shinkyu_{}_{}.{extension}",
        ascii(old.as_str()),
        ascii(new.as_str())
    )
}

/// `GET /diff?old=…&new=…[&format=…][&context=N][&columns=…]`: the
/// 新旧対照表 — a page in the site's frame with its downloads, or (with
/// `format`) the file. Editions never change, so each rendering is made
/// once. Without both editions, or with one not stored, the page offers
/// the editions to choose from (a file asked so is a 400 or 404).
pub async fn diff_page(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<DiffQuery>,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    let list = state.app.editions().await?;
    let Some((old, new)) = q.pair() else {
        return chooser(&state, &session, &list, &q, None);
    };
    let layout = match q.layout() {
        Ok(layout) => layout,
        Err(unfit) => return chooser(&state, &session, &list, &q, Some(unfit)),
    };
    let stored = |name: &str| {
        edition_name(name)
            .ok()
            .filter(|n| list.iter().any(|e| *n == e.edition))
    };
    let (old_name, new_name) = match (stored(old), stored(new)) {
        (Some(o), Some(n)) => (o, n),
        (None, _) => {
            return chooser(
                &state,
                &session,
                &list,
                &q,
                Some(Unfit::Unknown(old.into())),
            );
        }
        (_, None) => {
            return chooser(
                &state,
                &session,
                &list,
                &q,
                Some(Unfit::Unknown(new.into())),
            );
        }
    };
    // An empty format is the page: the home page's chooser sends one.
    let Some(format) = q.format.as_deref().filter(|f| !f.is_empty()) else {
        return diff_in_frame(&state, &session, &list, (old_name, new_name), layout).await;
    };
    let format: TableFormat = format
        .parse()
        .map_err(|e: kaitei_app::table::UnknownFormat| AppError::BadRequest(e.to_string()))?;
    let bytes = comparison(&state, (&old_name, &new_name), Some(format), layout).await?;
    let mut response = ([(header::CONTENT_TYPE, format.content_type())], bytes).into_response();
    let name = format!(
        "新旧対照表_{}_{}.{}",
        old_name,
        new_name,
        format.extension()
    );
    response.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        super::attachment(
            &name,
            &ascii_file_name(&old_name, &new_name, format.extension()),
        )?,
    );
    Ok(response)
}

/// The comparison page without a table: the editions to choose from, and
/// why (none: nothing was chosen yet). An unknown edition answers 404, a
/// value the query may not hold 400, so that links checkers and logs see
/// what the person sees.
fn chooser(
    state: &AppState,
    session: &Session,
    list: &[kaitei_app::EditionSummary],
    q: &DiffQuery,
    unfit: Option<Unfit>,
) -> Result<Response, AppError> {
    let lang = session.lang;
    let (status, problem) = match &unfit {
        None => (axum::http::StatusCode::OK, None),
        Some(Unfit::Bad(message, value)) => (
            axum::http::StatusCode::BAD_REQUEST,
            Some(tr(lang, message, &[value.as_str()])),
        ),
        Some(Unfit::Unknown(name)) => (
            axum::http::StatusCode::NOT_FOUND,
            Some(tr(
                lang,
                "「{0}」という版は登録されていません。",
                &[name.as_str()],
            )),
        ),
    };
    let names: Vec<&str> = list.iter().map(|e| e.edition.as_str()).collect();
    // Preselect what was asked where it is stored, else the two latest.
    let pick = |given: &Option<String>, fallback: usize| {
        given
            .as_deref()
            .map(str::trim)
            .filter(|g| names.contains(g))
            .map(str::to_string)
            .or_else(|| names.iter().rev().nth(fallback).map(|s| s.to_string()))
    };
    let page = render(
        state,
        session,
        "diff.html",
        minijinja::context! {
            title => tr(lang, "新旧対照表", &[]),
            problem,
            choose => true,
            editions => names,
            chosen_old => pick(&q.old, 1),
            chosen_new => pick(&q.new, 0),
        },
    )?;
    Ok((status, page).into_response())
}

/// The 新旧対照表 page: the table in the site's frame, the column order and
/// context to choose, and every download.
async fn diff_in_frame(
    state: &AppState,
    session: &Session,
    list: &[kaitei_app::EditionSummary],
    (old, new): (EditionName, EditionName),
    layout: Layout,
) -> Result<Response, AppError> {
    let fragment = comparison(state, (&old, &new), None, layout).await?;
    let position = |name: &EditionName| list.iter().position(|e| *name == e.edition);
    let reversed = matches!((position(&old), position(&new)), (Some(o), Some(n)) if o > n);
    let downloads =
        super::table_downloads(|f| diff_link(old.as_str(), new.as_str(), Some(f), layout));
    let html = String::from_utf8_lossy(&fragment).into_owned();
    let title = tr(
        session.lang,
        "新旧対照表：{0} → {1}",
        &[old.as_str(), new.as_str()],
    );
    Ok(render(
        state,
        session,
        "diff.html",
        minijinja::context! {
            title,
            old => old.as_str(),
            new => new.as_str(),
            same => old == new,
            reversed,
            swap_link => diff_link(new.as_str(), old.as_str(), None, layout),
            columns => columns_value(layout.columns),
            context => layout.context,
            max_context => MAX_CONTEXT,
            downloads,
            editions => list.iter().map(|e| e.edition.as_str()).collect::<Vec<_>>(),
            chosen_old => old.as_str(),
            chosen_new => new.as_str(),
            table => minijinja::Value::from_safe_string(html),
        },
    )?
    .into_response())
}

/// The 新旧対照表 `q` asks for — a file in `format`, or (`None`) the
/// fragment the page shows — from the cache or made now.
async fn comparison(
    state: &AppState,
    (old, new): (&EditionName, &EditionName),
    format: Option<TableFormat>,
    layout: Layout,
) -> Result<axum::body::Bytes, AppError> {
    let key = (old.clone(), new.clone(), format, layout);
    if let Some(bytes) = state.outputs.get(&key) {
        return Ok(bytes);
    }
    // One rendering at a time: requests arriving meanwhile for the same
    // table wait for it instead of each making it again.
    let _making = state.outputs.making.lock().await;
    if let Some(bytes) = state.outputs.get(&key) {
        return Ok(bytes);
    }
    let made = match format {
        Some(format) => state.app.edition_table(old, new, format, layout).await?,
        None => {
            let fragment = state.app.edition_table_fragment(old, new, layout).await?;
            if fragment.changes == 0 {
                Vec::new()
            } else {
                fragment.html.into_bytes()
            }
        }
    };
    state.outputs.count_rendering();
    let bytes = axum::body::Bytes::from(made);
    state.outputs.put(key, bytes.clone());
    Ok(bytes)
}

/// `GET /api/v1/diff?old=…&new=…`: the comparison in the schema of `docs/cli.md`.
#[utoipa::path(get, path = "/api/v1/diff", tag = "editions",
    params(("old" = String, Query, description = "The old edition's name"),
        ("new" = String, Query, description = "The new edition's name")),
    responses((status = 200, description = "The 新旧対照表 in the JSON of docs/cli.md: every node of both editions in a row", body = Object),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_diff(
    State(state): State<AppState>,
    session: Session,
    Query(q): Query<DiffQuery>,
) -> Result<Response, AppError> {
    session.require(Access::Editions)?;
    let (old, new) = q
        .pair()
        .ok_or_else(|| AppError::BadRequest("old and new are both required".into()))?;
    let (old, new) = (edition_name(old)?, edition_name(new)?);
    let bytes = comparison(
        &state,
        (&old, &new),
        Some(TableFormat::Json),
        Layout::default(),
    )
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}
