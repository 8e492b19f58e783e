//! A body's policy page — its officers' home: on the first screen where
//! the policy stands (its version and date, the edition it follows,
//! whether it is public), what the latest edition means for it (counts
//! by severity, every impact linked to its clause and its review item,
//! and how the impact's count relates to the review's) and the next step;
//! a confirmation after adopting a review or making it public; then its
//! text, each clause's provenance named in words.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Html;
use kaitei_app::policies::Overview;
use kaitei_app::review_detail::ClauseName;
use kaitei_compare::policy::Severity;
use kaitei_model::{Document, registry};
use serde::{Deserialize, Serialize};

use super::editions::document_context;
use super::policy::{Visible, policy_with_id};
use super::{checked, percent_encode, render};
use crate::AppState;
use crate::auth::{Access, allowed};
use crate::error::AppError;
use crate::i18n::{Lang, tr};
use crate::session::Session;

/// What the policy page was sent back with: `?done=adopted|public|private`.
#[derive(Deserialize)]
pub struct PolicyQuery {
    done: Option<String>,
}

/// What was just done, confirmed at the top of the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    /// A review was adopted as this revision.
    Adopted,
    /// The policy was made public.
    Public,
    /// The policy was withdrawn from public.
    Private,
}

impl Done {
    /// The word in `?done=`; any other is no confirmation (it is only
    /// what a redirect wrote, and states nothing).
    fn parse(word: Option<&str>) -> Option<Done> {
        match word? {
            "adopted" => Some(Done::Adopted),
            "public" => Some(Done::Public),
            "private" => Some(Done::Private),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Done::Adopted => "adopted",
            Done::Public => "public",
            Done::Private => "private",
        }
    }
}

/// One impact item as the page shows it.
#[derive(Serialize)]
struct ImpactRow {
    severity: &'static str,
    /// The body's clause (empty: the policy lacks it).
    path: String,
    /// Its page, when it is one of the policy's clauses.
    clause_link: Option<String>,
    /// Its review item, when the review lists it.
    review_link: Option<String>,
    explanation: String,
}

/// What the first screen says of the latest edition.
#[derive(Serialize)]
struct ImpactView {
    latest: String,
    rows: Vec<ImpactRow>,
    high: usize,
    medium: usize,
    low: usize,
    /// How the count of impacts relates to the review's (officers only).
    relation: Option<String>,
}

/// How the impact's count relates to the review's, in words: they count
/// different things, and the page says which.
fn relation(lang: Lang, impacts: usize, linked: usize, review: usize, unlinked: usize) -> String {
    let mut out = tr(
        lang,
        "影響 {0} 件は、新しい版の改正がこのポリシーに及ぶ箇所の数です。改定の確認の {1} 件は、反映すると文言が変わる条項の数です。影響のうち {2} 件は改定の確認の項目に対応し、表の「改定の確認」欄から開けます。",
        &[
            &impacts.to_string(),
            &review.to_string(),
            &linked.to_string(),
        ],
    );
    if impacts > linked {
        out.push_str(&tr(
            lang,
            "残る {0} 件は、文言の変わらない移動や省略していた条項の改正など、確かめるだけで文言は変わりません。",
            &[&(impacts - linked).to_string()],
        ));
    }
    if unlinked > 0 {
        out.push_str(&tr(
            lang,
            "改定の確認には、新設される条項の下の項目など、影響では上位の条項とまとめて数えた {0} 件も含まれます。",
            &[&unlinked.to_string()],
        ));
    }
    out
}

fn impact_view(overview: &Overview, body: &str, lang: Lang) -> Option<ImpactView> {
    let impact = overview.impact.as_ref()?;
    let links = overview.links.as_ref();
    let rows: Vec<ImpactRow> = impact
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let reason = i
                .old_key
                .as_ref()
                .and_then(|k| impact.omitted.get(k.as_str()))
                .map_or("", String::as_str);
            let review_key = links.and_then(|l| l.review_keys[n].as_deref());
            ImpactRow {
                severity: i.severity().as_str(),
                path: i.policy_path.clone(),
                clause_link: i.policy_key.as_ref().map(|k| {
                    format!(
                        "/bodies/{body}/policy/clauses/{}",
                        percent_encode(k.as_str())
                    )
                }),
                review_link: review_key.map(|k| format!("/bodies/{body}/policy/review#r-{k}")),
                explanation: tr(
                    lang,
                    i.cause.explanation(),
                    &[&i.old_path, &i.new_path, reason],
                ),
            }
        })
        .collect();
    let count = |s: Severity| impact.items.iter().filter(|i| i.severity() == s).count();
    let relation = match (links, overview.progress) {
        (Some(l), Some(p)) => Some(relation(
            lang,
            rows.len(),
            l.review_keys.iter().filter(|k| k.is_some()).count(),
            p.total,
            l.unlinked,
        )),
        _ => None,
    };
    Some(ImpactView {
        latest: impact.latest.clone(),
        high: count(Severity::High),
        medium: count(Severity::Medium),
        low: count(Severity::Low),
        rows,
        relation,
    })
}

/// A guideline clause a policy's clause comes from, as the page shows it.
#[derive(Serialize)]
pub(super) struct ProvenanceView {
    edition: String,
    path: String,
    title: Option<String>,
    link: String,
}

/// The provenance of `doc`'s clauses in words, by guideline key.
pub(super) async fn provenance(
    state: &AppState,
    doc: &Document,
) -> Result<HashMap<String, ProvenanceView>, AppError> {
    let names: HashMap<kaitei_model::Key, ClauseName> = state.app.provenance_names(doc).await?;
    Ok(names
        .into_iter()
        .map(|(k, c)| {
            let link = format!(
                "/editions/{}/clauses/{}",
                percent_encode(&c.edition),
                percent_encode(&c.key)
            );
            (
                k.to_string(),
                ProvenanceView {
                    edition: c.edition,
                    path: c.path,
                    title: c.title,
                    link,
                },
            )
        })
        .collect())
}

/// `GET /bodies/{code}/policy`: a body's current policy, opening with
/// where it stands. A body officer whose body has no policy stored is
/// told so (their home), where anyone else is told nothing (404).
pub async fn policy_page(
    State(state): State<AppState>,
    session: Session,
    Path(code): Path<String>,
    Query(query): Query<PolicyQuery>,
) -> Result<Html<String>, AppError> {
    let (policy, doc) = match policy_with_id(&state, &session, &code).await {
        Ok(found) => found,
        Err(AppError::NotFound) => return no_policy(&state, &session, &code),
        Err(e) => return Err(e),
    };
    let Visible { id, body, public } = policy;
    let editable = allowed(&session.principal, Access::EditPolicy { body });
    let overview = state.app.overview(id, &doc, editable).await?;
    let body_text = body.to_string();
    let impact = impact_view(&overview, &body_text, session.lang);
    let latest = state.app.latest_edition().await?.map(|e| e.edition);
    let follows_latest = latest.is_some() && latest == doc.meta.derived_from;
    // The earlier revision's text may never have been public: its table
    // is for those who may read what is not.
    let sees_all = allowed(
        &session.principal,
        Access::Policy {
            body,
            public: false,
        },
    );
    let previous = overview.previous.as_ref().filter(|_| sees_all);
    let done = Done::parse(query.done.as_deref());
    render(
        &state,
        &session,
        "policy.html",
        minijinja::context! {
            code => body_text,
            body_name => registry().get(body).map(|b| b.name.clone()),
            version => doc.meta.edition.clone(),
            derived_from => doc.meta.derived_from.clone(),
            latest,
            follows_latest,
            policy_public => public,
            publish_action => editable.then(|| format!("/bodies/{body}/policy/public")),
            review_link => (impact.is_some() && editable)
                .then(|| format!("/bodies/{body}/policy/review")),
            progress => overview.progress.map(|p| minijinja::context! {
                total => p.total, decided => p.decided, conflicts => p.conflicts,
                undecided_conflicts => p.undecided_conflicts,
            }),
            impact,
            previous => previous.map(|p| p.version.clone()),
            table_link => previous.map(|_| format!("/bodies/{body}/policy/table?format=docx")),
            done => done.map(Done::as_str),
            prov => provenance(&state, &doc).await?,
            ..document_context(&doc, format!("/bodies/{body}/policy/clauses/"))
        },
    )
}

/// The page of a body officer's own body that has no policy stored yet;
/// for anyone else, nothing (404).
fn no_policy(state: &AppState, session: &Session, code: &str) -> Result<Html<String>, AppError> {
    let body = registry()
        .lookup(checked(code)?)
        .map_err(|_| AppError::NotFound)?;
    if !allowed(&session.principal, Access::EditPolicy { body: body.code }) {
        return Err(AppError::NotFound);
    }
    render(
        state,
        session,
        "policy_none.html",
        minijinja::context! {
            title => tr(session.lang, "{0} のポリシー", &[&body.name]),
            body_name => body.name.clone(),
            code => body.code.to_string(),
        },
    )
}

/// The policy page after `done`: where forms that change a policy go.
pub(super) fn policy_done(body: impl std::fmt::Display, done: &str) -> String {
    format!("/bodies/{body}/policy?done={done}")
}
