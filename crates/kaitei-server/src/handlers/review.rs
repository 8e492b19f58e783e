//! The merge review pages and API: a body's officer goes through what
//! merging the latest edition would change in the policy, decides per
//! clause (accept the proposal, keep ours, or edit), and adopts the
//! result. The rules live in `kaitei_app::review`; this module parses the
//! requests and renders the answers.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::{MergeReview, ReviewEntry};
use kaitei_compare::policy::{Inference, InferredValue};
use kaitei_model::{Decision, DecisionKind, registry};
use serde::{Deserialize, Serialize};

use super::policy::{Visible, editable_policy};
use super::{Refused, api_csrf, checked, editor, paragraphs, render, typed};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// The review of `code`'s policy, for those who may change it; `None` when
/// the policy follows the latest edition already.
async fn load(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<Option<MergeReview>, AppError> {
    let Visible { id, .. } = editable_policy(state, session, code).await?;
    Ok(state.app.merge_review(id).await?)
}

fn nothing_to_review() -> AppError {
    AppError::BadRequest("the policy follows the latest edition: there is nothing to review".into())
}

/// One review item as pages and the API show it.
#[derive(Serialize, utoipa::ToSchema)]
struct ItemView {
    key: String,
    path: String,
    kind: &'static str,
    ours: Vec<String>,
    proposed: Vec<String>,
    decision: Option<&'static str>,
    decided_by: Option<String>,
    /// What the edit box starts with.
    text: String,
    /// For a clause merged within (the guideline's change applied to the
    /// body's wording): the words the guideline's change wrote.
    from_guideline: Vec<String>,
}

/// A placeholder without a confirmed value, as pages and the API show it.
#[derive(Serialize, utoipa::ToSchema)]
struct ValueView {
    /// The placeholder's name (`CISO職名`).
    name: String,
    /// `inferred` (used in the proposal), `conflicting` or `not_found` (the
    /// placeholder stays).
    status: &'static str,
    /// Where the guideline uses it first.
    first_used_at: String,
    /// Values read from the policy's text, most often read first.
    candidates: Vec<CandidateView>,
}

/// One value read, with where.
#[derive(Serialize, utoipa::ToSchema)]
struct CandidateView {
    value: String,
    /// `policy path ← guideline path (key)`, one per clause.
    evidence: Vec<String>,
}

fn value_views(review: Option<&MergeReview>) -> Vec<ValueView> {
    let Some(review) = review else {
        return Vec::new();
    };
    let candidate = |c: &kaitei_compare::policy::Candidate| CandidateView {
        value: c.value.clone(),
        evidence: c
            .evidence
            .iter()
            .map(|e| {
                format!(
                    "{} ← {} ({})",
                    e.policy_path, e.guideline_path, e.guideline_key
                )
            })
            .collect(),
    };
    review
        .values()
        .iter()
        .map(|v: &InferredValue| {
            let (status, candidates) = match &v.inference {
                Inference::Inferred(c) => ("inferred", vec![candidate(c)]),
                Inference::Conflicting(cs) => ("conflicting", cs.iter().map(candidate).collect()),
                Inference::NotFound => ("not_found", Vec::new()),
            };
            ValueView {
                name: v.name.clone(),
                status,
                first_used_at: v.first_used_at.clone(),
                candidates,
            }
        })
        .collect()
}

impl From<ReviewEntry> for ItemView {
    fn from(e: ReviewEntry) -> ItemView {
        ItemView {
            key: e.key,
            path: e.path,
            kind: e.kind.as_str(),
            ours: e.ours,
            proposed: e.proposed,
            decision: e.decision.as_ref().map(Decision::as_str),
            decided_by: e.decided_by,
            text: e.edit_text,
            from_guideline: e.from_guideline,
        }
    }
}

fn items(review: Option<&MergeReview>) -> Vec<ItemView> {
    review
        .map(|r| r.entries().into_iter().map(ItemView::from).collect())
        .unwrap_or_default()
}

/// An item's edited text refused, shown again: its key, the text typed
/// and why.
struct TypedAgain<'a> {
    key: &'a str,
    text: String,
    error: String,
}

fn page(
    state: &AppState,
    session: &Session,
    code: &str,
    review: Option<&MergeReview>,
    message: Option<String>,
    again: Option<TypedAgain<'_>>,
) -> Result<Html<String>, AppError> {
    let mut items = items(review);
    let (error, error_key) = match again {
        Some(a) => {
            if let Some(item) = items.iter_mut().find(|i| i.key == a.key) {
                item.text = a.text;
            }
            (Some(a.error), Some(a.key.to_string()))
        }
        None => (None, None),
    };
    render(
        state,
        session,
        "review.html",
        minijinja::context! {
            title => tr(session.lang, "改定の確認", &[]),
            code,
            body_name => registry()
                .lookup(code)
                .map_or_else(|_| code.to_string(), |b| b.name.clone()),
            derived_from => review.map(|r| r.derived_from.clone()),
            latest => review.map(|r| r.latest.clone()),
            undecided => review.map_or(0, MergeReview::undecided_conflicts),
            items,
            values => value_views(review),
            notes => review.map(|r| r.notes().to_vec()).unwrap_or_default(),
            message,
            error,
            error_key,
            max => kaitei_store::MAX_CLAUSE_CHARS,
        },
    )
}

/// `GET /bodies/{code}/policy/review`
pub async fn review_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Html<String>, AppError> {
    let review = load(&state, &session, &code).await?;
    page(&state, &session, &code, review.as_ref(), None, None)
}

/// A decision as a form or JSON sends it: `accept`, `keep` or `edit`
/// (with `text`).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct DecisionForm {
    decision: String,
    /// An edit's text, one paragraph per line. CRLF and a lone CR are read
    /// as LF; a control character (any C0 control but tab and LF, DEL,
    /// U+2028, U+2029) is refused.
    #[serde(default)]
    text: String,
    #[serde(default)]
    csrf: String,
}

impl DecisionForm {
    /// The kind of decision; an unknown word is refused, never defaulted.
    fn kind(&self) -> Result<DecisionKind, AppError> {
        DecisionKind::parse(&self.decision).ok_or_else(|| {
            AppError::BadRequest(format!(
                "unknown decision {:?}: use accept, keep or edit",
                self.decision
            ))
        })
    }

    /// The typed decision. An edit's text is [`typed`]: with a control
    /// character it is refused (`Ok(Err)`), saying where; accept and keep
    /// carry no text, so theirs is not looked at.
    fn decision(&self) -> Result<Result<Decision, Refused>, AppError> {
        let kind = self.kind()?;
        if kind != DecisionKind::Edit {
            return Ok(Ok(Decision::new(kind, Vec::new())));
        }
        Ok(typed(&self.text).map(|text| Decision::new(kind, paragraphs(&text))))
    }
}

/// Records `decision` on clause `key`; the review as it is afterwards.
async fn record(
    state: &AppState,
    session: &Session,
    code: &str,
    key: &str,
    decision: Decision,
) -> Result<MergeReview, AppError> {
    let key = checked(key)?;
    let mut review = load(state, session, code)
        .await?
        .ok_or_else(nothing_to_review)?;
    if review.entry(key).is_none() {
        return Err(AppError::NotFound);
    }
    state
        .app
        .decide(&mut review, key, decision, &editor(session)?)
        .await?;
    Ok(review)
}

/// `POST /bodies/{code}/policy/review/clauses/{key}`: records a decision.
/// From htmx, answers with the item alone; else goes back to the review.
pub async fn decide(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path((code, key)): Path<(String, String)>,
    axum::extract::Form(form): axum::extract::Form<DecisionForm>,
) -> Result<Response, AppError> {
    let Visible { body, .. } = editable_policy(&state, &session, &code).await?;
    session.check_csrf(&form.csrf)?;
    let htmx = headers.contains_key("hx-request");
    // An edited text with a control character is recorded by no one: the
    // item (htmx) or the review (a plain form) again, its box holding what
    // was typed and saying where the character is (422).
    let (review, error, shown) = match form.decision()? {
        Err(refused) => {
            let key = checked(&key)?;
            let review = load(&state, &session, &code)
                .await?
                .ok_or_else(nothing_to_review)?;
            let entry = review.entry(key).ok_or(AppError::NotFound)?;
            let error = refused.message(session.lang);
            if !htmx {
                let again = TypedAgain {
                    key,
                    text: refused.shown().to_string(),
                    error: error.clone(),
                };
                let message = format!("{}: {error}", entry.path);
                let page = page(
                    &state,
                    &session,
                    &code,
                    Some(&review),
                    Some(message),
                    Some(again),
                )?;
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
            (review, Some(error), Some(refused.shown().to_string()))
        }
        Ok(decision) => match record(&state, &session, &code, &key, decision).await {
            Ok(review) => (review, None, None),
            // htmx shows the item again with the reason (422 is swapped
            // in, see base.html); a plain form gets the message page.
            Err(AppError::BadRequest(m)) if htmx => {
                let review = load(&state, &session, &code)
                    .await?
                    .ok_or(AppError::NotFound)?;
                (review, Some(m), None)
            }
            Err(e) => return Err(e),
        },
    };
    if htmx {
        let entry = review.entry(&key).ok_or(AppError::NotFound)?;
        let status = if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        let mut item = ItemView::from(entry);
        if let Some(text) = shown {
            item.text = text;
        }
        let fragment = render(
            &state,
            &session,
            "review_item.html",
            minijinja::context! {
                i => item,
                code,
                error_key => error.as_ref().map(|_| key.clone()),
                error,
                max => kaitei_store::MAX_CLAUSE_CHARS,
            },
        )?;
        return Ok((status, fragment).into_response());
    }
    Ok((
        StatusCode::SEE_OTHER,
        [(
            header::LOCATION,
            format!("/bodies/{body}/policy/review#r-{key}"),
        )],
    )
        .into_response())
}

/// The adopt form.
#[derive(Deserialize)]
pub struct AdoptForm {
    // Missing is refused by the check, after who may is decided.
    #[serde(default)]
    csrf: String,
}

/// Adopts the review of `code`'s policy: `Ok(None)` when adopted,
/// `Ok(Some((review, message)))` when refused for undecided conflicts.
async fn adopt_review(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<Option<(MergeReview, String)>, AppError> {
    let review = load(state, session, code)
        .await?
        .ok_or_else(nothing_to_review)?;
    match state.app.adopt(&review, &editor(session)?).await {
        Ok(()) => Ok(None),
        Err(kaitei_app::Error::Undecided(conflicts)) => {
            let message = tr(
                session.lang,
                "未判断の競合があります：{0}",
                &[&conflicts.join("、")],
            );
            Ok(Some((review, message)))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /bodies/{code}/policy/review/adopt`: the policy becomes what the
/// decisions make of the proposal; refused (409, the review again with the
/// reason) while a conflict is undecided.
pub async fn adopt(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    axum::extract::Form(form): axum::extract::Form<AdoptForm>,
) -> Result<Response, AppError> {
    let Visible { body, .. } = editable_policy(&state, &session, &code).await?;
    session.check_csrf(&form.csrf)?;
    match adopt_review(&state, &session, &code).await? {
        None => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/bodies/{body}/policy"))],
        )
            .into_response()),
        Some((review, message)) => Ok((
            StatusCode::CONFLICT,
            page(&state, &session, &code, Some(&review), Some(message), None)?,
        )
            .into_response()),
    }
}

/// A merge review: what merging the latest edition would change.
#[derive(Serialize, utoipa::ToSchema)]
struct ReviewOut {
    derived_from: Option<String>,
    latest: Option<String>,
    undecided_conflicts: usize,
    items: Vec<ItemView>,
    /// Placeholders without a confirmed value, and what the text shows.
    values: Vec<ValueView>,
    /// Where new clauses went in a law-style policy, where the guideline's
    /// order could not be kept or a caption was chosen.
    notes: Vec<String>,
}

/// `GET /api/v1/bodies/{code}/policy/review`
#[utoipa::path(get, path = "/api/v1/bodies/{code}/policy/review", tag = "review",
    params(("code" = String, Path, description = "The body's six-digit code (全国地方公共団体コード)")),
    responses((status = 200, description = "The merge review (empty when the policy follows the latest edition)", body = ReviewOut),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_review(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let review = load(&state, &session, &code).await?;
    let review = review.as_ref();
    Ok(axum::Json(ReviewOut {
        derived_from: review.map(|r| r.derived_from.clone()),
        latest: review.map(|r| r.latest.clone()),
        undecided_conflicts: review.map_or(0, MergeReview::undecided_conflicts),
        items: items(review),
        values: value_views(review),
        notes: review.map(|r| r.notes().to_vec()).unwrap_or_default(),
    })
    .into_response())
}

/// `POST /api/v1/bodies/{code}/policy/review/clauses/{key}` with JSON
/// `{"decision": "accept"|"keep"|"edit", "text": "…"}` and the session's
/// CSRF token in `X-CSRF-Token`.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/policy/review/clauses/{key}", tag = "review",
    params(("code" = String, Path, description = "The body's six-digit code (全国地方公共団体コード)"), ("key" = String, Path, description = "The clause's key")),
    request_body = DecisionForm,
    responses((status = 200, description = "Recorded; the item with its decision", body = ItemView),
        (status = 400, description = "Malformed, or an edit's text holds a control character (any C0 control but tab and LF, DEL, U+2028, U+2029; CRLF and a lone CR are read as LF): the message names the field, line and column; nothing was recorded"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed, or a wrong or missing `X-CSRF-Token`"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_decide(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path((code, key)): Path<(String, String)>,
    axum::Json(form): axum::Json<DecisionForm>,
) -> Result<Response, AppError> {
    editable_policy(&state, &session, &code).await?;
    api_csrf(&session, &headers)?;
    let decision = form.decision()?.map_err(|refused| refused.api("text"))?;
    let review = record(&state, &session, &code, &key, decision).await?;
    let entry = review.entry(&key).ok_or(AppError::NotFound)?;
    Ok(axum::Json(ItemView::from(entry)).into_response())
}

/// `POST /api/v1/bodies/{code}/policy/review/adopt` (CSRF token in
/// `X-CSRF-Token`): 204, or 409 naming the undecided conflicts.
#[utoipa::path(post, path = "/api/v1/bodies/{code}/policy/review/adopt", tag = "review",
    params(("code" = String, Path, description = "The body's six-digit code (全国地方公共団体コード)")),
    responses((status = 204, description = "Adopted: the policy is what the decisions made of the proposal"),
        (status = 409, description = "A conflict is undecided, or the policy changed since the review was read: nothing was saved"),
        (status = 400, description = "Malformed: the message names the field"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed, or a wrong or missing `X-CSRF-Token`"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_adopt(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    editable_policy(&state, &session, &code).await?;
    api_csrf(&session, &headers)?;
    match adopt_review(&state, &session, &code).await? {
        None => Ok(StatusCode::NO_CONTENT.into_response()),
        Some((_, message)) => Ok((StatusCode::CONFLICT, message).into_response()),
    }
}

/// A placeholder value to confirm, as a form or JSON sends it.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ValueForm {
    name: String,
    value: String,
    #[serde(default)]
    csrf: String,
}

/// Confirms the value of `form` for `code`'s policy under review.
async fn confirm(
    state: &AppState,
    session: &Session,
    code: &str,
    form: &ValueForm,
) -> Result<(), AppError> {
    let review = load(state, session, code)
        .await?
        .ok_or_else(nothing_to_review)?;
    state
        .app
        .confirm_value(&review, &form.name, &form.value)
        .await?;
    Ok(())
}

/// `POST /bodies/{code}/policy/review/values`: confirms a placeholder's
/// value (kept with the policy; the proposal is made again with it).
pub async fn confirm_value(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    axum::extract::Form(form): axum::extract::Form<ValueForm>,
) -> Result<Response, AppError> {
    let Visible { body, .. } = editable_policy(&state, &session, &code).await?;
    session.check_csrf(&form.csrf)?;
    confirm(&state, &session, &code, &form).await?;
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, format!("/bodies/{body}/policy/review"))],
    )
        .into_response())
}

/// `POST /api/v1/bodies/{code}/policy/review/values` with JSON
/// `{"name": "CISO職名", "value": "副市長"}` (CSRF token in `X-CSRF-Token`).
#[utoipa::path(post, path = "/api/v1/bodies/{code}/policy/review/values", tag = "review",
    params(("code" = String, Path, description = "The body's six-digit code (全国地方公共団体コード)")),
    request_body = ValueForm,
    responses((status = 204, description = "Confirmed: kept with the policy, used by the proposal"),
        (status = 400, description = "Malformed: the message names the field"),
        (status = 401, description = "Not signed in"),
        (status = 403, description = "Not allowed, or a wrong or missing `X-CSRF-Token`"),
        (status = 404, description = "No such thing, or nothing this user may see")))]
pub async fn api_confirm_value(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(code): Path<String>,
    axum::Json(form): axum::Json<ValueForm>,
) -> Result<Response, AppError> {
    editable_policy(&state, &session, &code).await?;
    api_csrf(&session, &headers)?;
    confirm(&state, &session, &code, &form).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
