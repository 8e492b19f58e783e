//! The merge review: a body's officer goes through what merging the latest
//! edition would change in the policy, decides per clause (accept the
//! proposal, keep ours, or edit), and adopts the result. Decisions are
//! stored as they are made, so a review can be left and resumed.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use kaitei_compare::policy::{ChangeKind, Decision, ReviewItem, apply_decisions, merge, review};
use kaitei_model::{BodyCode, Document, Key, registry};
use kaitei_store::StoredDecision;
use serde::{Deserialize, Serialize};

use super::editions::edition;
use super::policy::{Visible, body_values, editable_policy, newer_edition, with_provenance};
use super::{api_csrf, checked, editor, render};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// Everything one review needs, worked out afresh for each request (the
/// policy may have been edited meanwhile).
struct Review {
    id: i64,
    /// Edits the policy had when the review was made (see `adopt_reviewed`).
    edits: i64,
    body: BodyCode,
    followed: String,
    latest: String,
    ours: Document,
    merged: Document,
    items: Vec<ReviewItem>,
    decided: BTreeMap<String, StoredDecision>,
}

/// The review of `code`'s policy, for those who may change it; `None` when
/// the policy follows the latest edition already.
async fn load(state: &AppState, session: &Session, code: &str) -> Result<Option<Review>, AppError> {
    let Visible { id, body, .. } = editable_policy(state, session, code).await?;
    // Counted before the text is read: an edit in between makes adopting
    // refuse (stale) rather than overwrite it.
    let edits = state.store.edit_count(id).await?;
    let doc = state.store.load(id).await?.ok_or(AppError::NotFound)?;
    let Some((followed, latest)) = newer_edition(state, &doc).await? else {
        return Ok(None);
    };
    let old = edition(state, &followed).await?;
    let new = edition(state, &latest).await?;
    let values = body_values(&doc)?;
    let ours = with_provenance(&doc, &old)?.into_owned();
    let (ours, merged) = tokio::task::spawn_blocking(move || {
        let merged = merge(&ours, &old, &new, &values).document;
        (ours, merged)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let items = review(&ours, &merged);
    let decided = state
        .store
        .decisions(id, &latest)
        .await?
        .into_iter()
        .map(|d| (d.key.clone(), d))
        .collect();
    Ok(Some(Review {
        id,
        edits,
        body,
        followed,
        latest,
        ours,
        merged,
        items,
        decided,
    }))
}

fn decision_of(stored: &StoredDecision) -> Decision {
    match stored.decision.as_str() {
        "keep" => Decision::KeepOurs,
        "edit" => Decision::Edit(stored.paragraphs.clone()),
        _ => Decision::Accept,
    }
}

impl Review {
    fn decisions(&self) -> BTreeMap<Key, Decision> {
        self.decided
            .values()
            .filter_map(|d| Some((Key::new(&d.key)?, decision_of(d))))
            .collect()
    }

    fn undecided_conflicts(&self) -> usize {
        self.items
            .iter()
            .filter(|i| {
                i.kind == ChangeKind::Conflict && !self.decided.contains_key(i.key.as_str())
            })
            .count()
    }

    fn view(&self, item: &ReviewItem) -> ItemView {
        let stored = self.decided.get(item.key.as_str());
        ItemView {
            key: item.key.to_string(),
            path: item.path.clone(),
            kind: item.kind.as_str(),
            ours: title_and(&item.ours_title, &item.ours),
            proposed: title_and(&item.proposed_title, &item.proposed),
            decision: stored.map(|d| d.decision.clone()),
            decided_by: stored.map(|d| d.decided_by.clone()),
            text: match stored {
                Some(d) if d.decision == "edit" => d.paragraphs.join("\n"),
                _ if item.proposed.is_empty() => item.ours.join("\n"),
                _ => item.proposed.join("\n"),
            },
        }
    }
}

/// A heading's title first, then the text.
fn title_and(title: &Option<String>, paragraphs: &[String]) -> Vec<String> {
    title
        .iter()
        .cloned()
        .chain(paragraphs.iter().cloned())
        .collect()
}

/// One review item as pages and the API show it.
#[derive(Serialize)]
struct ItemView {
    key: String,
    path: String,
    kind: &'static str,
    ours: Vec<String>,
    proposed: Vec<String>,
    decision: Option<String>,
    decided_by: Option<String>,
    /// What the edit box starts with.
    text: String,
}

fn page(
    state: &AppState,
    session: &Session,
    code: &str,
    review: Option<&Review>,
    message: Option<String>,
) -> Result<Html<String>, AppError> {
    let items: Vec<ItemView> = review
        .map(|r| r.items.iter().map(|i| r.view(i)).collect())
        .unwrap_or_default();
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
            followed => review.map(|r| r.followed.clone()),
            latest => review.map(|r| r.latest.clone()),
            undecided => review.map_or(0, Review::undecided_conflicts),
            items,
            message,
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
    page(&state, &session, &code, review.as_ref(), None)
}

/// A decision as a form or JSON sends it.
#[derive(Deserialize)]
pub struct DecisionForm {
    decision: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    csrf: String,
}

async fn record(
    state: &AppState,
    session: &Session,
    code: &str,
    key: &str,
    form: &DecisionForm,
) -> Result<(Review, String), AppError> {
    let key = checked(key)?.to_string();
    let mut review = load(state, session, code).await?.ok_or_else(|| {
        AppError::BadRequest(
            "the policy follows the latest edition: there is nothing to review".into(),
        )
    })?;
    if !review.items.iter().any(|i| i.key.as_str() == key) {
        return Err(AppError::NotFound);
    }
    let stored = StoredDecision {
        key: key.clone(),
        decision: form.decision.clone(),
        paragraphs: form
            .text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        decided_by: editor(session)?,
    };
    state
        .store
        .decide(review.id, &review.latest, &stored)
        .await?;
    review.decided.insert(key.clone(), stored);
    Ok((review, key))
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
    editable_policy(&state, &session, &code).await?;
    session.check_csrf(&form.csrf)?;
    let htmx = headers.contains_key("hx-request");
    let (review, key, error) = match record(&state, &session, &code, &key, &form).await {
        Ok((review, key)) => (review, key, None),
        // htmx shows the item again with the reason (422 is swapped in,
        // see base.html); a plain form gets the message page.
        Err(AppError::BadRequest(m)) if htmx => {
            let review = load(&state, &session, &code)
                .await?
                .ok_or(AppError::NotFound)?;
            (review, key, Some(m))
        }
        Err(e) => return Err(e),
    };
    if htmx {
        let item = review
            .items
            .iter()
            .find(|i| i.key.as_str() == key)
            .ok_or(AppError::NotFound)?;
        let status = if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        let fragment = render(
            &state,
            &session,
            "review_item.html",
            minijinja::context! {
                i => review.view(item),
                code,
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
            format!("/bodies/{}/policy/review#r-{key}", review.body),
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

async fn adopt_review(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<Result<BodyCode, (Review, String)>, AppError> {
    let review = load(state, session, code).await?.ok_or_else(|| {
        AppError::BadRequest(
            "the policy follows the latest edition: there is nothing to review".into(),
        )
    })?;
    match apply_decisions(&review.ours, &review.merged, &review.decisions()) {
        Ok(reviewed) => {
            state
                .store
                .adopt_reviewed(
                    review.id,
                    &reviewed,
                    &editor(session)?,
                    (&review.followed, review.edits),
                )
                .await?;
            Ok(Ok(review.body))
        }
        Err(undecided) => {
            let message = tr(
                session.lang,
                "未判断の競合があります：{0}",
                &[&undecided.conflicts.join("、")],
            );
            Ok(Err((review, message)))
        }
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
    editable_policy(&state, &session, &code).await?;
    session.check_csrf(&form.csrf)?;
    match adopt_review(&state, &session, &code).await? {
        Ok(body) => Ok((
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/bodies/{body}/policy"))],
        )
            .into_response()),
        Err((review, message)) => Ok((
            StatusCode::CONFLICT,
            page(&state, &session, &code, Some(&review), Some(message))?,
        )
            .into_response()),
    }
}

#[derive(Serialize)]
struct ReviewOut {
    followed: Option<String>,
    latest: Option<String>,
    undecided_conflicts: usize,
    items: Vec<ItemView>,
}

/// `GET /api/v1/bodies/{code}/policy/review`
pub async fn api_review(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let review = load(&state, &session, &code).await?;
    Ok(axum::Json(ReviewOut {
        followed: review.as_ref().map(|r| r.followed.clone()),
        latest: review.as_ref().map(|r| r.latest.clone()),
        undecided_conflicts: review.as_ref().map_or(0, Review::undecided_conflicts),
        items: review
            .as_ref()
            .map(|r| r.items.iter().map(|i| r.view(i)).collect())
            .unwrap_or_default(),
    })
    .into_response())
}

/// `POST /api/v1/bodies/{code}/policy/review/clauses/{key}` with JSON
/// `{"decision": "accept"|"keep"|"edit", "text": "…"}` and the session's
/// CSRF token in `X-CSRF-Token`.
pub async fn api_decide(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path((code, key)): Path<(String, String)>,
    axum::Json(form): axum::Json<DecisionForm>,
) -> Result<Response, AppError> {
    editable_policy(&state, &session, &code).await?;
    api_csrf(&session, &headers)?;
    let (review, key) = record(&state, &session, &code, &key, &form).await?;
    let item = review
        .items
        .iter()
        .find(|i| i.key.as_str() == key)
        .ok_or(AppError::NotFound)?;
    Ok(axum::Json(review.view(item)).into_response())
}

/// `POST /api/v1/bodies/{code}/policy/review/adopt` (CSRF token in
/// `X-CSRF-Token`): 204, or 409 naming the undecided conflicts.
pub async fn api_adopt(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    editable_policy(&state, &session, &code).await?;
    api_csrf(&session, &headers)?;
    match adopt_review(&state, &session, &code).await? {
        Ok(_) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err((_, message)) => Ok((StatusCode::CONFLICT, message).into_response()),
    }
}
