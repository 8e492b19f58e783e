//! The ministry's review of a consultation's comments
//! (`/consultations/{id}/comments`): clusters by clause, each with its
//! comments, its disposition form, merge and split; and the comments the
//! draft's later changes moved, changed or removed, to confirm.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use kaitei_app::comment_review::{CommentReview, ReviewedComment};
use kaitei_compare::anchor::AnchorStatus;
use kaitei_model::disposition::{DispositionKind, check_disposition};
use serde::{Deserialize, Serialize};

use super::consultation::visible;
use super::{editor, render, see_other};
use crate::AppState;
use crate::auth::{Access, allowed};
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::Session;

#[derive(Serialize)]
struct CommentRow {
    number: i64,
    id: String,
    respondent: String,
    kind: &'static str,
    quote: String,
    text: String,
    proposal: String,
    disposition: Option<&'static str>,
}

#[derive(Serialize)]
struct ClusterView {
    number: usize,
    path: String,
    count: usize,
    /// The first comment's text, standing for the cluster.
    text: String,
    comments: Vec<CommentRow>,
    /// The disposition all its comments share (`None`: none, or mixed).
    disposition: Option<&'static str>,
    reason: String,
    mixed: bool,
    /// How many of its comments have no disposition.
    undisposed: usize,
    /// Other clusters on the same clause, to merge with.
    neighbours: Vec<usize>,
    /// The numbers of its comments, comma-separated, for the form.
    numbers: String,
}

#[derive(Serialize)]
struct AnchorView {
    number: i64,
    id: String,
    status: &'static str,
    similarity: Option<String>,
    was: String,
    now: String,
    clause: String,
    note: String,
}

fn row(c: &ReviewedComment) -> CommentRow {
    let r = &c.received;
    CommentRow {
        number: r.number,
        id: r.id.clone(),
        respondent: r.respondent.name(),
        kind: r.comment.kind.japanese(),
        quote: r.comment.quote.exact.clone(),
        text: r.comment.text.clone(),
        proposal: r.comment.proposal.clone(),
        disposition: c.disposition.as_ref().map(|d| d.kind.japanese()),
    }
}

fn clusters(review: &CommentReview) -> Vec<ClusterView> {
    let mut out: Vec<ClusterView> = Vec::with_capacity(review.clusters);
    for n in 1..=review.clusters {
        let members: Vec<&ReviewedComment> = review.cluster(n).collect();
        let Some(first) = members.first() else {
            continue;
        };
        let dispositions: Vec<_> = members.iter().map(|c| c.disposition.as_ref()).collect();
        let same = dispositions.windows(2).all(|w| w[0] == w[1]);
        let shared = if same { dispositions[0] } else { None };
        let clause = &first.received.comment.clause;
        let neighbours: Vec<usize> = review
            .comments
            .iter()
            .filter(|c| &c.received.comment.clause == clause && c.cluster != n)
            .map(|c| c.cluster)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        out.push(ClusterView {
            number: n,
            path: first.path.clone(),
            count: members.len(),
            text: first.received.comment.text.clone(),
            comments: members.iter().map(|c| row(c)).collect(),
            disposition: shared.map(|d| d.kind.japanese()),
            reason: shared.map(|d| d.reason.clone()).unwrap_or_default(),
            mixed: !same,
            undisposed: dispositions.iter().filter(|d| d.is_none()).count(),
            neighbours,
            numbers: members
                .iter()
                .map(|c| c.received.number.to_string())
                .collect::<Vec<_>>()
                .join(","),
        });
    }
    out
}

fn anchors(review: &CommentReview, lang: crate::i18n::Lang) -> Vec<AnchorView> {
    review
        .comments
        .iter()
        .filter(|c| c.to_confirm())
        .map(|c| {
            let a = &c.anchor;
            let (status, similarity) = match a.status {
                AnchorStatus::Exact => ("一致", None),
                AnchorStatus::Moved => ("移動", None),
                AnchorStatus::Fuzzy { similarity } => ("近似", Some(similarity)),
                AnchorStatus::Split { similarity } => ("分割", Some(similarity)),
                AnchorStatus::Orphaned => ("該当なし", None),
            };
            let note = match (&a.moved, a.also.is_empty()) {
                (Some(m), _) => tr(lang, "{0} → {1}", &[&m.from, &m.to]),
                (None, false) => a
                    .also
                    .iter()
                    .map(|p| p.clause.clone())
                    .collect::<Vec<_>>()
                    .join("、"),
                (None, true) => String::new(),
            };
            AnchorView {
                number: c.received.number,
                id: c.received.id.clone(),
                status,
                similarity: similarity.map(|s| format!("{:.0}%", s * 100.0)),
                was: c.received.comment.quote.exact.clone(),
                now: if a.status == AnchorStatus::Orphaned {
                    String::new()
                } else {
                    a.quote.exact.clone()
                },
                clause: a.clause.clone().unwrap_or_default(),
                note,
            }
        })
        .collect()
}

/// `?undisposed=1`: only the clusters with a comment still to dispose of.
#[derive(Deserialize, Default)]
pub struct CommentsQuery {
    #[serde(default)]
    undisposed: Option<String>,
}

/// `GET /consultations/{id}/comments[?undisposed=1]`
pub async fn comments_page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<CommentsQuery>,
) -> Result<Html<String>, AppError> {
    let only = q.undisposed.as_deref().is_some_and(|v| v == "1");
    page(&state, &session, &id, None, only).await
}

async fn page(
    state: &AppState,
    session: &Session,
    id: &str,
    error: Option<String>,
    only_undisposed: bool,
) -> Result<Html<String>, AppError> {
    let (c, _) = visible(state, session, id).await?;
    session.require(Access::ReceivedComments)?;
    let review = state.app.comment_review(c.plan.id.as_str()).await?;
    let disposed = review
        .comments
        .iter()
        .filter(|c| c.disposition.is_some())
        .count();
    render(
        state,
        session,
        "comments.html",
        minijinja::context! {
            title => tr(session.lang, "{0} の意見の整理", &[c.plan.id.as_str()]),
            id => c.plan.id.to_string(),
            ctitle => c.title.clone(),
            draft => review.draft.name.clone(),
            draft_version => review.draft.version,
            subject_version => c.draft_version,
            published => review.draft.published_edition.clone(),
            count => review.comments.len(),
            cluster_count => review.clusters,
            disposed,
            clusters => clusters(&review).into_iter().filter(|c| !only_undisposed || c.undisposed > 0).collect::<Vec<_>>(),
            only_undisposed,
            anchors => anchors(&review, session.lang),
            kinds => DispositionKind::ALL.iter().map(|k| minijinja::context! { value => k.as_str(), name => k.japanese() }).collect::<Vec<_>>(),
            manage => allowed(&session.principal, Access::DisposeComments),
            error,
        },
    )
}

async fn refused(
    state: &AppState,
    session: &Session,
    id: &str,
    m: String,
) -> Result<Response, AppError> {
    let page = page(state, session, id, Some(m), false).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// A disposition for some comments.
#[derive(Deserialize)]
pub struct DisposeForm {
    csrf: String,
    /// Comment numbers, comma-separated.
    numbers: String,
    kind: String,
    #[serde(default)]
    reason: String,
}

/// `POST /consultations/{id}/comments/dispose`
pub async fn dispose(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<DisposeForm>,
) -> Result<Response, AppError> {
    let (c, _) = visible(&state, &session, &id).await?;
    session.require(Access::DisposeComments)?;
    session.check_csrf(&form.csrf)?;
    let numbers: Result<Vec<i64>, _> = form
        .numbers
        .split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().parse::<i64>())
        .collect();
    let numbers =
        numbers.map_err(|_| AppError::BadRequest("numbers: not comment numbers".into()))?;
    let Some(kind) = DispositionKind::parse(&form.kind) else {
        return Err(AppError::BadRequest(format!(
            "kind: {:?} is not a disposition",
            form.kind
        )));
    };
    let d = match check_disposition(kind, &form.reason) {
        Ok(d) => d,
        Err(m) => return refused(&state, &session, &id, m).await,
    };
    match state
        .app
        .dispose(c.plan.id.as_str(), &numbers, &d, &editor(&session)?)
        .await
    {
        Ok(()) => Ok(see_other(format!("/consultations/{}/comments", c.plan.id))),
        Err(kaitei_app::Error::Invalid(m)) => refused(&state, &session, &id, m).await,
        Err(e) => Err(e.into()),
    }
}

/// Two clusters to merge, by their numbers on the page.
#[derive(Deserialize)]
pub struct MergeForm {
    csrf: String,
    /// The cluster merged.
    cluster: usize,
    /// The cluster it is merged with.
    with: usize,
}

/// `POST /consultations/{id}/comments/merge`
pub async fn merge(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    axum::extract::Form(form): axum::extract::Form<MergeForm>,
) -> Result<Response, AppError> {
    let (c, _) = visible(&state, &session, &id).await?;
    session.require(Access::DisposeComments)?;
    session.check_csrf(&form.csrf)?;
    match state
        .app
        .merge_clusters(
            c.plan.id.as_str(),
            form.cluster,
            form.with,
            &editor(&session)?,
        )
        .await
    {
        Ok(()) => {}
        Err(kaitei_app::Error::NotFound(_)) => {
            return refused(
                &state,
                &session,
                &id,
                tr(session.lang, "その番号の意見群はありません。", &[]),
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(see_other(format!("/consultations/{}/comments", c.plan.id)))
}

/// A form with only its token.
#[derive(Deserialize)]
pub struct TokenForm {
    csrf: String,
}

/// `POST /consultations/{id}/comments/{number}/split`: the comment leaves
/// its cluster.
pub async fn split(
    State(state): State<AppState>,
    session: Session,
    Path((id, number)): Path<(String, i64)>,
    axum::extract::Form(form): axum::extract::Form<TokenForm>,
) -> Result<Response, AppError> {
    let (c, _) = visible(&state, &session, &id).await?;
    session.require(Access::DisposeComments)?;
    session.check_csrf(&form.csrf)?;
    match state
        .app
        .split_comment(c.plan.id.as_str(), number, &editor(&session)?)
        .await
    {
        Ok(()) => Ok(see_other(format!("/consultations/{}/comments", c.plan.id))),
        Err(kaitei_app::Error::Invalid(m)) => refused(&state, &session, &id, m).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /consultations/{id}/comments/{number}/confirm`: the ministry has
/// looked at where a moved, changed or orphaned comment now stands.
pub async fn confirm(
    State(state): State<AppState>,
    session: Session,
    Path((id, number)): Path<(String, i64)>,
    axum::extract::Form(form): axum::extract::Form<TokenForm>,
) -> Result<Response, AppError> {
    let (c, _) = visible(&state, &session, &id).await?;
    session.require(Access::DisposeComments)?;
    session.check_csrf(&form.csrf)?;
    state
        .app
        .confirm_anchor(c.plan.id.as_str(), number, &editor(&session)?)
        .await?;
    Ok(see_other(format!(
        "/consultations/{}/comments#anchors",
        c.plan.id
    )))
}
