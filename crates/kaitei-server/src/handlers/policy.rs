//! A body's policy as the user may see it, a clause with its provenance
//! and history, and editing a clause (a save that another save overtook is
//! shown again with both texts). The policy's own page is
//! `policy_page.rs`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kaitei_format::export;
use kaitei_model::{BodyCode, Document, registry};
use serde::{Deserialize, Serialize};

use super::{api_csrf, api_paragraphs, checked, editor, json_response, paragraphs, render, typed};
use crate::AppState;
use crate::auth::{Access, allowed};
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// A body's current policy that the user may read: its row, whose it is
/// and whether the body made it public (the text is not read).
pub(super) struct Visible {
    pub(super) id: i64,
    pub(super) body: BodyCode,
    pub(super) public: bool,
}

/// The current policy of body `code` as the user may see it (the latest
/// revision for those who may see what is not public, else the latest
/// public one — see `kaitei_app::policies`): unknown bodies and policies
/// nobody may see look the same (404).
pub(super) async fn visible_policy(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<Visible, AppError> {
    // Signed in first: whether a body has a policy is not for strangers.
    session.require(Access::SignedIn)?;
    let body = registry()
        .lookup(checked(code)?)
        .map_err(|_| AppError::NotFound)?
        .code;
    let sees_non_public = allowed(
        &session.principal,
        Access::Policy {
            body,
            public: false,
        },
    );
    let Some(row) = state.app.current_policy(body, sees_non_public).await? else {
        return Err(AppError::NotFound);
    };
    match session.require(Access::Policy {
        body,
        public: row.public,
    }) {
        Ok(()) => {}
        Err(AppError::Forbidden) => return Err(AppError::NotFound),
        Err(e) => return Err(e),
    }
    Ok(Visible {
        id: row.id,
        body,
        public: row.public,
    })
}

/// [`visible_policy`], for a user who may also change it (403 otherwise):
/// decided before any CSRF token is looked at.
pub(super) async fn editable_policy(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<Visible, AppError> {
    let visible = visible_policy(state, session, code).await?;
    session.require(Access::EditPolicy { body: visible.body })?;
    Ok(visible)
}

/// The current policy of body `code`, read, if the user may see it.
pub(super) async fn policy_with_id(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<(Visible, Document), AppError> {
    let visible = visible_policy(state, session, code).await?;
    let doc = state
        .store()
        .load(visible.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((visible, doc))
}

/// `GET /bodies/{code}/policy/clauses/{key}`: one clause of a policy, its
/// provenance, its history and (for those who may) an edit form.
pub async fn policy_clause_page(
    State(state): State<AppState>,
    session: Session,
    Path((code, key)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    clause_page(&state, &session, &code, &key, None).await
}

/// What an edit form refused is shown again with: the text typed, the
/// version it was based on, why, and — when another save came first — the
/// text that save made, to compare.
struct EditAgain {
    text: String,
    base: i64,
    error: String,
    overtaken: bool,
}

/// The clause page; with `again`, its edit form holds what was typed.
async fn clause_page(
    state: &AppState,
    session: &Session,
    code: &str,
    key: &str,
    again: Option<EditAgain>,
) -> Result<Html<String>, AppError> {
    let (clause, doc) = clause_out(state, session, code, key).await?;
    let body = registry().lookup(code).map_err(|_| AppError::NotFound)?;
    let current_base = i64::try_from(clause.history.len()).unwrap_or(i64::MAX);
    let (text, base, error, newer) = match again {
        // Overtaken: the form is now based on the newer text, so that
        // saving again (having seen it) replaces it knowingly.
        Some(a) if a.overtaken => {
            let newer = clause.history.first().map(|v| {
                minijinja::context! {
                    paragraphs => clause.paragraphs.clone(),
                    by => v.edited_by.clone(),
                    at => v.edited_at.parse::<i64>().ok().map(|s| kaitei_model::JstTime::from_unix(s).local()),
                }
            });
            (a.text, current_base, Some(a.error), newer)
        }
        Some(a) => (a.text, a.base, Some(a.error), None),
        None => (clause.paragraphs.join("\n"), current_base, None, None),
    };
    let prov = super::policy_page::provenance(state, &doc).await?;
    render(
        state,
        session,
        "policy_clause.html",
        minijinja::context! {
            title => format!("{} {}", body.name, clause.path),
            code => body.code.to_string(),
            body_name => body.name.clone(),
            text,
            base,
            error,
            newer,
            from => clause.from.as_ref().and_then(|f| prov.get(f)),
            c => clause,
            max => kaitei_store::MAX_CLAUSE_CHARS,
        },
    )
}

/// The clause edit form.
#[derive(Deserialize)]
pub struct EditForm {
    text: String,
    /// How many earlier versions the editor saw (a later edit refuses this
    /// one). Required; optional here only so that its absence is refused
    /// after who may and the CSRF token are decided, with a clear message.
    base: Option<i64>,
    // Missing is refused by the check, after who may is decided.
    #[serde(default)]
    csrf: String,
}

/// `POST /bodies/{code}/policy/clauses/{key}`: saves a clause's new text;
/// the old one is kept in its history. What cannot be saved is the page
/// again, its form holding what was typed and saying why: a control
/// character or no text (422), or a save by someone else since the form
/// was opened (409: the newer text beside the form, nothing lost).
pub async fn edit_policy_clause(
    State(state): State<AppState>,
    session: Session,
    Path((code, key)): Path<(String, String)>,
    axum::extract::Form(form): axum::extract::Form<EditForm>,
) -> Result<Response, AppError> {
    let Visible { id, body, .. } = editable_policy(&state, &session, &code).await?;
    session.check_csrf(&form.csrf)?;
    let key = checked(&key)?;
    let base = form.base.ok_or_else(|| {
        AppError::BadRequest(
            "the form has no base (the version the text was based on): nothing was saved; open the clause again and save from there".into(),
        )
    })?;
    let lang = session.lang;
    let (st, se, co) = (&state, &session, &code);
    let again = |status: StatusCode, text: String, error: String, overtaken: bool| async move {
        let again = EditAgain {
            text,
            base,
            error,
            overtaken,
        };
        let page = clause_page(st, se, co, key, Some(again)).await?;
        Ok::<Response, AppError>((status, page).into_response())
    };
    let text = match typed(&form.text) {
        Ok(text) => text,
        Err(refused) => {
            let (shown, error) = (refused.shown().to_string(), refused.message(lang));
            return again(StatusCode::UNPROCESSABLE_ENTITY, shown, error, false).await;
        }
    };
    let paragraphs = paragraphs(&text);
    if paragraphs.is_empty() {
        let error = tr(
            lang,
            "本文が空です。条項の本文を入力してください。保存していません。",
            &[],
        );
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            text.into_owned(),
            error,
            false,
        )
        .await;
    }
    match state
        .store()
        .edit_clause_checked(id, key, &paragraphs, &editor(&session)?, base)
        .await
    {
        Ok(()) => Ok(super::see_other(format!(
            "/bodies/{body}/policy/clauses/{key}"
        ))),
        Err(kaitei_store::StoreError::Stale(_)) => {
            let error = tr(
                lang,
                "この条項は、あなたが開いた後に、ほかの人か別のタブ・ウィンドウから保存されました。あなたの入力は欄に残しています。現在の本文と見比べ、必要なら直してから保存してください。保存すると現在の本文を置き換えます（置き換えた本文は履歴に残ります）。まだ何も保存していません。",
                &[],
            );
            again(StatusCode::CONFLICT, text.into_owned(), error, true).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /api/v1/bodies/{code}/policy`
#[utoipa::path(get, path = "/api/v1/bodies/{code}/policy", tag = "policies",
    params(("code" = String, Path, description = "The body's six-digit code (全国地方公共団体コード)")),
    responses((status = 200, description = "The body's current policy in the export schema of docs/export-json.md", body = Object),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_policy(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let (_, doc) = policy_with_id(&state, &session, &code).await?;
    Ok(json_response(export::to_json(&doc)))
}

/// A clause of a policy as the API gives it.
#[derive(Serialize, utoipa::ToSchema)]
struct ClauseOut {
    key: String,
    path: String,
    title: Option<String>,
    paragraphs: Vec<String>,
    from: Option<String>,
    status: Option<&'static str>,
    /// Whether the user may change it.
    editable: bool,
    /// Earlier texts, newest first.
    history: Vec<VersionOut>,
}

/// An earlier text of a clause.
#[derive(Serialize, utoipa::ToSchema)]
struct VersionOut {
    version: i64,
    text: String,
    edited_by: String,
    edited_at: String,
}

async fn clause_out(
    state: &AppState,
    session: &Session,
    code: &str,
    key: &str,
) -> Result<(ClauseOut, Document), AppError> {
    let (Visible { id, body, .. }, doc) = policy_with_id(state, session, code).await?;
    let key = checked(key)?;
    let located = doc.located();
    let here = located
        .iter()
        .find(|l| l.node.key.as_str() == key)
        .ok_or(AppError::NotFound)?;
    let history = state
        .store()
        .clause_history(id, key)
        .await?
        .into_iter()
        .map(|v| VersionOut {
            version: v.version,
            text: v.text,
            edited_by: v.edited_by,
            edited_at: v.edited_at,
        })
        .collect();
    let out = ClauseOut {
        key: key.to_string(),
        path: here.path.join(" / "),
        title: here.node.title.clone(),
        paragraphs: here.node.paragraphs.clone(),
        from: here.node.from.as_ref().map(|k| k.to_string()),
        status: here.node.status.map(|s| s.as_str()),
        editable: allowed(&session.principal, Access::EditPolicy { body }),
        history,
    };
    Ok((out, doc))
}

/// `GET /api/v1/bodies/{code}/policy/clauses/{key}`: a clause with its history.
#[utoipa::path(get, path = "/api/v1/bodies/{code}/policy/clauses/{key}", tag = "policies",
    params(("code" = String, Path, description = "The body's six-digit code (全国地方公共団体コード)"), ("key" = String, Path, description = "The clause's key")),
    responses((status = 200, description = "The clause, its provenance and history", body = ClauseOut),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_policy_clause(
    State(state): State<AppState>,
    session: Session,
    Path((code, key)): Path<(String, String)>,
) -> Result<Response, AppError> {
    Ok(axum::Json(clause_out(&state, &session, &code, &key).await?.0).into_response())
}

/// A clause's new text, as the API sends it.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ClauseEdit {
    /// The clause's paragraphs. CRLF and a lone CR are read as LF, and a
    /// line break starts another paragraph; a control character (any C0
    /// control but tab and LF, DEL, U+2028, U+2029) is refused (400).
    paragraphs: Vec<String>,
    /// How many earlier versions the caller saw (`history` of the clause);
    /// an edit made since refuses this one (409). Required; optional here
    /// only so that its absence is refused with a clear message (400).
    base_version: Option<i64>,
}

/// `POST /api/v1/bodies/{code}/policy/clauses/{key}` with JSON
/// `{"paragraphs": […], "base_version": N}` and the session's CSRF token in `X-CSRF-Token`:
/// saves the text (the old one goes to the history) and returns the clause.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/policy/clauses/{key}", tag = "policies",
    params(("code" = String, Path, description = "The body's six-digit code (全国地方公共団体コード)"), ("key" = String, Path, description = "The clause's key")),
    request_body = ClauseEdit,
    responses((status = 200, description = "Saved; the clause as it is now", body = ClauseOut),
        (status = 409, description = "Someone saved the clause since the version this edit was based on: nothing was saved"),
        (status = 400, description = "Malformed, or a paragraph holds a control character (any C0 control but tab and LF, DEL, U+2028, U+2029; CRLF and a lone CR are read as LF): the message names the field, line and column; nothing was saved"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed, or a wrong or missing `X-CSRF-Token`"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_edit_policy_clause(
    State(state): State<AppState>,
    session: Session,
    headers: axum::http::HeaderMap,
    Path((code, key)): Path<(String, String)>,
    axum::Json(edit): axum::Json<ClauseEdit>,
) -> Result<Response, AppError> {
    let id = editable_policy(&state, &session, &code).await?.id;
    api_csrf(&session, &headers)?;
    let key = checked(&key)?;
    let base = edit.base_version.ok_or_else(|| {
        AppError::BadRequest(
            "base_version is required: the length of the clause's history when you read it, so that a save made since is never overwritten; nothing was saved".into(),
        )
    })?;
    let paragraphs = api_paragraphs(&edit.paragraphs)?;
    state
        .store()
        .edit_clause_checked(id, key, &paragraphs, &editor(&session)?, base)
        .await?;
    Ok(axum::Json(clause_out(&state, &session, &code, key).await?.0).into_response())
}
