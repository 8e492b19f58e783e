//! Bodies' policies: which one is a body's current policy, a policy with
//! its provenance recovered (and named in words), the impact of the latest
//! edition on it, and the overview its page opens with.
//!
//! The rule for the current policy: a body's latest revision by its own
//! date (`published:` in the policy's metadata), then by import order —
//! whether or not the body made it public — for the body's officers and
//! the ministry; for everyone else (other bodies, prefectures, published
//! lists), the latest revision the body made public.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use kaitei_compare::policy::{self, ImpactItem};
use kaitei_model::{BodyCode, Document, Key, registry};
use kaitei_store::PolicyScope;

use crate::review_detail::{ClauseName, ImpactLinks, clause_names, link_impact};
use crate::{App, Error, MergeReview, PreviousRevision, Progress, Result};

/// A body's current policy as a viewer may see it (the text not read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyRow {
    /// The document's row id.
    pub id: i64,
    /// Whether the body made it public.
    pub public: bool,
}

/// The impact of the latest edition on a policy that follows an older one.
#[derive(Debug, Clone)]
pub struct LatestImpact {
    /// The edition the policy derives from.
    pub derived_from: String,
    /// The latest stored edition.
    pub latest: String,
    /// The policy's clauses the change touches.
    pub items: Vec<ImpactItem>,
    /// Why the body omitted each guideline clause it omitted (by key).
    pub omitted: BTreeMap<String, String>,
}

/// Whether a policy records where its clauses come from (a policy written
/// without kaitei does not, until aligned).
pub fn has_provenance(doc: &Document) -> bool {
    doc.nodes().any(|n| n.from.is_some())
}

/// The placeholder values of `doc`'s body: its name from the registry,
/// then `given` (which wins).
pub fn body_values(
    doc: &Document,
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>> {
    let body = doc
        .meta
        .body
        .and_then(|b| registry().get(b))
        .ok_or_else(|| Error::Invalid("the policy does not name a known body".into()))?;
    Ok(policy::profile(body, given))
}

/// `doc` with the provenance of each clause: as stored, or — for a policy
/// written without kaitei — recovered against `old`, the edition it
/// follows, with placeholder `values`.
pub fn with_provenance<'a>(
    doc: &'a Document,
    old: &Document,
    values: &BTreeMap<String, String>,
) -> Cow<'a, Document> {
    if has_provenance(doc) {
        Cow::Borrowed(doc)
    } else {
        Cow::Owned(policy::align_policy(doc, old, values).0)
    }
}

impl App {
    /// `body`'s current policy for a viewer who may (`sees_unpublished`)
    /// or may not see what the body has not made public.
    pub async fn current_policy(
        &self,
        body: BodyCode,
        sees_unpublished: bool,
    ) -> Result<Option<PolicyRow>> {
        let scope = if sees_unpublished {
            PolicyScope::Latest
        } else {
            PolicyScope::LatestPublic
        };
        let Some(id) = self.store.current_policy(body, scope).await? else {
            return Ok(None);
        };
        let public = match scope {
            PolicyScope::LatestPublic => true,
            PolicyScope::Latest => self.store.policy_is_public(id).await?,
        };
        Ok(Some(PolicyRow { id, public }))
    }

    /// The edition `doc` derives from and the latest stored edition, when
    /// the latest is another one (`None`: it follows the latest, or an
    /// edition that is not stored).
    pub async fn newer_edition(&self, doc: &Document) -> Result<Option<(String, String)>> {
        let Some(derived_from) = doc.meta.derived_from.clone() else {
            return Ok(None);
        };
        let list = self.editions().await?;
        let Some(latest) = list.last().map(|e| e.edition.clone()) else {
            return Ok(None);
        };
        if latest == derived_from || !list.iter().any(|e| e.edition == derived_from) {
            return Ok(None);
        }
        Ok(Some((derived_from, latest)))
    }

    /// The impact of the latest stored edition on `doc` (`None` when it
    /// follows the latest, or an edition that is not stored).
    pub async fn latest_impact(&self, doc: &Document) -> Result<Option<LatestImpact>> {
        let Some((derived_from, latest)) = self.newer_edition(doc).await? else {
            return Ok(None);
        };
        let old = self.edition_named(&derived_from).await?;
        let changes = self
            .edition_changes(&parse(&derived_from)?, &parse(&latest)?)
            .await?;
        let values = body_values(doc, &BTreeMap::new())?;
        let doc = with_provenance(doc, &old, &values);
        let items = policy::impact(&doc, &changes);
        let omitted = doc
            .meta
            .omitted
            .iter()
            .map(|o| (o.from.to_string(), o.reason.clone()))
            .collect();
        Ok(Some(LatestImpact {
            derived_from,
            latest,
            items,
            omitted,
        }))
    }
}

/// A stored edition's name (stored names were valid when stored).
pub(crate) fn parse(name: &str) -> Result<kaitei_model::EditionName> {
    kaitei_model::EditionName::parse(name)
        .map_err(|e| Error::NotFound(format!("edition {name:?}: {e}")))
}

/// What a body's policy page shows above its text: the impact of the
/// latest edition, how it leads to the merge review, how far the review
/// has come, and the revision this one was made from.
#[derive(Debug, Clone)]
pub struct Overview {
    /// The impact of the latest edition (`None`: it follows the latest).
    pub impact: Option<LatestImpact>,
    /// For a viewer who reviews: how each impact item leads to the review.
    pub links: Option<ImpactLinks>,
    /// For a viewer who reviews: how far the review has come.
    pub progress: Option<Progress>,
    /// The revision this one was made from by adopting a review.
    pub previous: Option<PreviousRevision>,
}

impl App {
    /// The overview of policy `id` (read as `doc`); `reviewing` when the
    /// viewer is one who reviews it (the body's officers), who are shown
    /// where the review stands.
    pub async fn overview(&self, id: i64, doc: &Document, reviewing: bool) -> Result<Overview> {
        let impact = self.latest_impact(doc).await?;
        let review = match (&impact, reviewing) {
            (Some(_), true) => self.merge_review(id).await?,
            _ => None,
        };
        let links = match (&impact, &review) {
            (Some(i), Some(r)) => Some(link_impact(&i.items, r.changes())),
            _ => None,
        };
        Ok(Overview {
            impact,
            links,
            progress: review.as_ref().map(MergeReview::progress),
            previous: self.previous_revision(id).await?,
        })
    }

    /// The guideline clauses `doc`'s clauses come from (`from`), named in
    /// words, by key: clauses of the edition it follows (empty when that
    /// edition is not stored).
    pub async fn provenance_names(&self, doc: &Document) -> Result<HashMap<Key, ClauseName>> {
        let Some(edition) = doc.meta.derived_from.as_deref() else {
            return Ok(HashMap::new());
        };
        let Ok(edition) = self.edition_named(edition).await else {
            return Ok(HashMap::new());
        };
        let used: HashSet<&Key> = doc.nodes().filter_map(|n| n.from.as_ref()).collect();
        let mut names = clause_names(&edition);
        names.retain(|k, _| used.contains(k));
        Ok(names)
    }
}
