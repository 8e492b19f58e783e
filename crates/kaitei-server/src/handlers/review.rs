//! The merge review pages and API: a body's officer goes through what
//! merging the latest edition would change in the policy, decides per
//! clause (accept the proposal, keep ours, or edit) or accepts every
//! proposal but the conflicts at once, and sees how far it has come. The
//! rules live in `kaitei_app::review`; this module parses the requests and
//! renders the answers (the views are `review_view.rs`; adopting and the
//! 新旧対照表 downloads are `revision.rs`).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::MergeReview;
use kaitei_model::{Decision, DecisionKind, registry};
use serde::{Deserialize, Serialize};

use super::policy::{Visible, editable_policy};
use super::review_view::{
    ItemView, ProgressView, Show, ValueView, items, note_views, progress, value_views,
};
use super::{Refused, api_csrf, checked, editor, paragraphs, render, see_other, typed};
use crate::AppState;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

/// The review of `code`'s policy, for those who may change it; `None` when
/// the policy follows the latest edition already.
pub(super) async fn load(
    state: &AppState,
    session: &Session,
    code: &str,
) -> Result<Option<MergeReview>, AppError> {
    let Visible { id, .. } = editable_policy(state, session, code).await?;
    Ok(state.app.merge_review(id).await?)
}

/// What a change to a review that is no more (adopted meanwhile, from
/// another tab or by a colleague) is answered: the API as before (400);
/// a page says so in the user's language (409: the state changed).
pub(super) fn nothing_to_review(session: &Session) -> AppError {
    if session.page {
        AppError::Stale(tr(
            session.lang,
            "このポリシーはすでに最新の版に準拠しています（ほかのタブや別の職員が改定を反映した可能性があります）。確認することはありません。",
            &[],
        ))
    } else {
        AppError::BadRequest(
            "the policy follows the latest edition: there is nothing to review".into(),
        )
    }
}

/// An item's edited text refused, shown again: its key, the text typed
/// and why.
pub(super) struct TypedAgain<'a> {
    pub(super) key: &'a str,
    pub(super) text: String,
    pub(super) error: String,
}

/// What the review page is shown with besides the review: which items,
/// and why it is shown again (a refusal, in the user's language).
#[derive(Default)]
pub(super) struct Shown<'a> {
    pub(super) show: Show,
    pub(super) message: Option<String>,
    pub(super) again: Option<TypedAgain<'a>>,
    /// The adopt form's fields as typed, and what was wrong with them.
    pub(super) adopt: Option<AdoptAgain>,
}

/// The adopt form shown again: what was typed and why it was refused.
pub(super) struct AdoptAgain {
    pub(super) version: String,
    pub(super) published: String,
    pub(super) error: String,
}

pub(super) fn page(
    state: &AppState,
    session: &Session,
    code: &str,
    review: Option<&MergeReview>,
    shown: Shown<'_>,
) -> Result<Html<String>, AppError> {
    let mut all = items(review);
    let (error, error_key) = match shown.again {
        Some(a) => {
            if let Some(item) = all.iter_mut().find(|i| i.key == a.key) {
                item.text = a.text;
            }
            (Some(a.error), Some(a.key.to_string()))
        }
        None => (None, None),
    };
    let counts = (
        all.len(),
        all.iter()
            .filter(|i| i.shown_under(Show::Conflicts))
            .count(),
        all.iter()
            .filter(|i| i.shown_under(Show::Undecided))
            .count(),
    );
    let listed: Vec<ItemView> = all
        .into_iter()
        .filter(|i| i.shown_under(shown.show) || error_key.as_deref() == Some(&i.key))
        .collect();
    let current = review.map(|r| &r.current().meta);
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
            current_version => current.map(|m| m.edition.clone()),
            current_published => super::date(current.and_then(|m| m.published)),
            progress => progress(review),
            show => shown.show.as_str(),
            counts,
            items => listed,
            values => value_views(review),
            notes => note_views(review, session.lang),
            message => shown.message,
            error,
            error_key,
            adopt => shown.adopt.map(|a| minijinja::context! {
                version => a.version, published => a.published, error => a.error,
            }),
            max => kaitei_store::MAX_CLAUSE_CHARS,
        },
    )
}

/// The review page's query: which items to show.
#[derive(Deserialize)]
pub struct ReviewQuery {
    show: Option<String>,
}

fn show_of(word: Option<&str>) -> Result<Show, AppError> {
    Show::parse(word)
        .ok_or_else(|| AppError::BadRequest("show is all, conflicts or undecided".into()))
}

/// `GET /bodies/{code}/policy/review?show=all|conflicts|undecided`
pub async fn review_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(query): Query<ReviewQuery>,
) -> Result<Html<String>, AppError> {
    let review = load(&state, &session, &code).await?;
    let show = show_of(query.show.as_deref())?;
    page(
        &state,
        &session,
        &code,
        review.as_ref(),
        Shown {
            show,
            ..Shown::default()
        },
    )
}

/// A decision as a form or JSON sends it: `accept`, `keep` or `edit`
/// (with `text`).
#[derive(Deserialize, utoipa::ToSchema)]
pub struct DecisionForm {
    decision: String,
    /// An edit's text, one paragraph per line. CRLF and a lone CR are read
    /// as LF; a control character (any C0 control but tab and LF, DEL,
    /// U+2028, U+2029) is refused, and so is an edit without text.
    #[serde(default)]
    text: String,
    /// The page's filter, to come back to (forms only).
    #[serde(default)]
    show: String,
    #[serde(default)]
    csrf: String,
}

/// An edited text that cannot be recorded: with a control character, or
/// none at all.
enum Unusable {
    Control(Refused),
    Empty,
}

impl Unusable {
    /// Why, in the user's language.
    fn message(&self, lang: crate::i18n::Lang) -> String {
        match self {
            Unusable::Control(r) => r.message(lang),
            Unusable::Empty => tr(
                lang,
                "「修正して採用」には修正文が必要です。採用する文を入力してください。判断は保存していません。",
                &[],
            ),
        }
    }

    /// The text to show again in the box.
    fn shown(&self) -> String {
        match self {
            Unusable::Control(r) => r.shown().to_string(),
            Unusable::Empty => String::new(),
        }
    }

    /// The API's answer (400).
    fn api(&self) -> AppError {
        match self {
            Unusable::Control(r) => r.api("text"),
            Unusable::Empty => AppError::BadRequest(
                "text: an edited clause needs its text; nothing was recorded".into(),
            ),
        }
    }
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

    /// The typed decision. An edit's text is [`typed`] and must hold
    /// something: else it is refused (`Ok(Err)`), saying why; accept and
    /// keep carry no text, so theirs is not looked at.
    fn decision(&self) -> Result<Result<Decision, Unusable>, AppError> {
        let kind = self.kind()?;
        if kind != DecisionKind::Edit {
            return Ok(Ok(Decision::new(kind, Vec::new())));
        }
        Ok(match typed(&self.text) {
            Err(refused) => Err(Unusable::Control(refused)),
            Ok(text) => {
                let p = paragraphs(&text);
                if p.is_empty() {
                    Err(Unusable::Empty)
                } else {
                    Ok(Decision::new(kind, p))
                }
            }
        })
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
        .ok_or_else(|| nothing_to_review(session))?;
    if review.entry(key).is_none() {
        return Err(AppError::NotFound);
    }
    state
        .app
        .decide(&mut review, key, decision, &editor(session)?)
        .await?;
    Ok(review)
}

/// The review page a form goes back to: its filter kept, at `anchor`.
fn review_link(body: impl std::fmt::Display, show: Show, anchor: &str) -> String {
    let query = match show {
        Show::All => String::new(),
        other => format!("?show={}", other.as_str()),
    };
    format!("/bodies/{body}/policy/review{query}{anchor}")
}

/// `POST /bodies/{code}/policy/review/clauses/{key}`: records a decision.
/// From htmx, answers with the item alone (and the page's progress, out
/// of band); else goes back to the review.
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
    let show = Show::parse(Some(&form.show)).unwrap_or_default();
    // An edited text that cannot be used is recorded by no one: the item
    // (htmx) or the review (a plain form) again, its box holding what was
    // typed and saying why (422).
    let (review, error, shown) = match form.decision()? {
        Err(unusable) => {
            let key = checked(&key)?;
            let review = load(&state, &session, &code)
                .await?
                .ok_or_else(|| nothing_to_review(&session))?;
            let entry = review.entry(key).ok_or(AppError::NotFound)?;
            let error = unusable.message(session.lang);
            if !htmx {
                let message = format!("{}: {error}", entry.path);
                let again = TypedAgain {
                    key,
                    text: unusable.shown(),
                    error,
                };
                let page = page(
                    &state,
                    &session,
                    &code,
                    Some(&review),
                    Shown {
                        show,
                        message: Some(message),
                        again: Some(again),
                        adopt: None,
                    },
                )?;
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
            }
            (review, Some(error), Some(unusable.shown()))
        }
        Ok(decision) => match record(&state, &session, &code, &key, decision).await {
            Ok(review) => (review, None, None),
            // htmx shows the item again with the reason (422 is swapped
            // in, see base.html); a plain form gets the message page.
            Err(AppError::BadRequest(m)) if htmx => {
                let review = load(&state, &session, &code)
                    .await?
                    .ok_or_else(|| nothing_to_review(&session))?;
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
                show => show.as_str(),
                error_key => error.as_ref().map(|_| key.clone()),
                error,
                max => kaitei_store::MAX_CLAUSE_CHARS,
                // The page's count of decisions, replaced where it stands.
                progress => progress(Some(&review)),
                oob => true,
            },
        )?;
        return Ok((status, fragment).into_response());
    }
    Ok(see_other(review_link(body, show, &format!("#r-{key}"))))
}

/// The form accepting every proposal left but the conflicts.
#[derive(Deserialize)]
pub struct AcceptRestForm {
    #[serde(default)]
    show: String,
    // Missing is refused by the check, after who may is decided.
    #[serde(default)]
    csrf: String,
}

/// `POST /bodies/{code}/policy/review/accept`: accepts every proposal not
/// decided yet but the conflicts (which always need a person), in one
/// step; back to the review.
pub async fn accept_rest(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    axum::extract::Form(form): axum::extract::Form<AcceptRestForm>,
) -> Result<Response, AppError> {
    let Visible { body, .. } = editable_policy(&state, &session, &code).await?;
    session.check_csrf(&form.csrf)?;
    let mut review = load(&state, &session, &code)
        .await?
        .ok_or_else(|| nothing_to_review(&session))?;
    state
        .app
        .accept_rest(&mut review, &editor(&session)?)
        .await?;
    let show = Show::parse(Some(&form.show)).unwrap_or_default();
    Ok(see_other(review_link(body, show, "")))
}

/// A merge review: what merging the latest edition would change.
#[derive(Serialize, utoipa::ToSchema)]
struct ReviewOut {
    derived_from: Option<String>,
    latest: Option<String>,
    undecided_conflicts: usize,
    /// How far the review has come.
    progress: ProgressView,
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
        progress: progress(review),
        items: items(review),
        values: value_views(review),
        notes: review
            .map(|r| r.notes().iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
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
        (status = 400, description = "Malformed, an edit without text, or an edit's text holds a control character (any C0 control but tab and LF, DEL, U+2028, U+2029; CRLF and a lone CR are read as LF): the message names the field, line and column; nothing was recorded"),
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
    let decision = form.decision()?.map_err(|unusable| unusable.api())?;
    let review = record(&state, &session, &code, &key, decision).await?;
    let entry = review.entry(&key).ok_or(AppError::NotFound)?;
    Ok(axum::Json(ItemView::from(entry)).into_response())
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
        .ok_or_else(|| nothing_to_review(session))?;
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
    Ok(see_other(format!("/bodies/{body}/policy/review")))
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
