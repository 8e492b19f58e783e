//! The ministry's work on a consultation's comments once they are in: each
//! comment re-anchored to the draft as it is now, near-duplicates
//! clustered (the ministry's merges and splits kept), dispositions given
//! to a cluster or to one comment; and the publication of the draft as the
//! next edition once every consultation on it has closed and every
//! comment has its disposition.

use std::collections::HashMap;

use kaitei_compare::anchor::{AnchorStatus, Reanchored, Reanchorer};
use kaitei_compare::cluster::{Comment as ClusterInput, Pins, cluster};
use kaitei_compare::{FlatDoc, KeyUse};
use kaitei_model::consultation::ConsultationId;
use kaitei_model::disposition::{Disposition, check_publication};
use kaitei_model::{Date, Document, DocumentKind, EditionName, JstTime};
use kaitei_store::{ClusterEdit, ConfirmedAnchor, Consultation, DraftSummary, ReceivedComment};

use crate::{App, Error, Result, blocking};

/// One received comment as the ministry reviews it.
#[derive(Debug, Clone)]
pub struct ReviewedComment {
    /// The comment and who sent it.
    pub received: ReceivedComment,
    /// Its clause's label path in the subject consulted on.
    pub path: String,
    /// Where it stands in the draft now.
    pub anchor: Reanchored,
    /// Where the ministry confirmed it to be, when it did (and the anchor
    /// still says so).
    pub confirmed: bool,
    /// Its cluster, numbered from 1 in clause order.
    pub cluster: usize,
    /// Its disposition, when given.
    pub disposition: Option<Disposition>,
}

impl ReviewedComment {
    /// Whether the ministry should look at where it went (moved, fuzzy,
    /// split or orphaned, and not confirmed).
    pub fn to_confirm(&self) -> bool {
        self.anchor.status.needs_confirmation() && !self.confirmed
    }
}

/// A consultation's comments under review.
#[derive(Debug, Clone)]
pub struct CommentReview {
    /// The consultation.
    pub consultation: Consultation,
    /// The draft it was on, as it is now.
    pub draft: DraftSummary,
    /// Every comment received, in the subject's clause order (then by
    /// number); clusters are runs of the same number, not necessarily
    /// adjacent.
    pub comments: Vec<ReviewedComment>,
    /// How many clusters.
    pub clusters: usize,
}

impl CommentReview {
    /// The comments of cluster `n`.
    pub fn cluster(&self, n: usize) -> impl Iterator<Item = &ReviewedComment> {
        self.comments.iter().filter(move |c| c.cluster == n)
    }

    /// The comment numbered `number`.
    pub fn comment(&self, number: i64) -> Option<&ReviewedComment> {
        self.comments.iter().find(|c| c.received.number == number)
    }
}

/// The pins the ministry's hand edits make, by index into `comments`.
fn pins_of(edits: &[ClusterEdit], index: &HashMap<i64, usize>) -> Pins {
    let mut pins = Pins::default();
    for e in edits {
        let (Some(&a), Some(&b)) = (index.get(&e.a), index.get(&e.b)) else {
            continue;
        };
        if e.together {
            pins.together.push(vec![a, b]);
        } else {
            pins.apart.push((a, b));
        }
    }
    pins
}

impl App {
    /// The review of consultation `id`'s comments.
    pub async fn comment_review(&self, id: &str) -> Result<CommentReview> {
        let (c, subject) = self.consultation(id).await?;
        let (draft, now) = self
            .store
            .load_draft(c.draft_id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("the draft of {id}")))?;
        let received = self.store.received_comments(&c).await?;
        let edits = self.store.cluster_edits(id).await?;
        let confirmed = self.store.confirmed_anchors(id).await?;
        let mut dispositions = self.store.dispositions(id).await?;
        let comments = blocking(move || {
            review(
                &subject,
                &now,
                received,
                &edits,
                &confirmed,
                &mut dispositions,
            )
        })
        .await?;
        let clusters = comments.iter().map(|c| c.cluster).max().unwrap_or(0);
        Ok(CommentReview {
            consultation: c,
            draft,
            comments,
            clusters,
        })
    }

    /// Gives disposition `d` to the comments `numbers` of consultation
    /// `id` (a whole cluster, or one comment).
    pub async fn dispose(
        &self,
        id: &str,
        numbers: &[i64],
        d: &Disposition,
        by: &str,
    ) -> Result<()> {
        let cid = ConsultationId::parse(id).map_err(Error::Invalid)?;
        Ok(self.store.dispose(&cid, numbers, d, by).await?)
    }

    /// Merges clusters `a` and `b` (their numbers in the review as it is
    /// now): every comment of both stays in one cluster through later
    /// re-clustering. `NotFound` when either is no cluster.
    pub async fn merge_clusters(&self, id: &str, a: usize, b: usize, by: &str) -> Result<()> {
        let review = self.comment_review(id).await?;
        for k in [a, b] {
            if review.cluster(k).next().is_none() {
                return Err(Error::NotFound(format!("cluster {k} of {id}")));
            }
        }
        let members: Vec<i64> = review
            .comments
            .iter()
            .filter(|c| c.cluster == a || c.cluster == b)
            .map(|c| c.received.number)
            .collect();
        let pairs: Vec<(i64, i64)> = members.windows(2).map(|w| (w[0], w[1])).collect();
        Ok(self.store.add_cluster_edits(id, &pairs, true, by).await?)
    }

    /// Takes comment `number` out of its cluster: the rest stay together,
    /// it stays apart from them, through later re-clustering.
    pub async fn split_comment(&self, id: &str, number: i64, by: &str) -> Result<()> {
        let review = self.comment_review(id).await?;
        let own = review
            .comment(number)
            .ok_or_else(|| Error::NotFound(format!("comment {number} of {id}")))?
            .cluster;
        let rest: Vec<i64> = review
            .cluster(own)
            .map(|c| c.received.number)
            .filter(|&n| n != number)
            .collect();
        let Some(&first) = rest.first() else {
            return Err(Error::Invalid(
                "the comment is alone in its cluster already".into(),
            ));
        };
        let together: Vec<(i64, i64)> = rest.windows(2).map(|w| (w[0], w[1])).collect();
        self.store
            .add_cluster_edits(id, &together, true, by)
            .await?;
        Ok(self
            .store
            .add_cluster_edits(id, &[(number, first)], false, by)
            .await?)
    }

    /// Confirms that comment `number` stands where it was re-anchored
    /// (its clause and words in the draft now).
    pub async fn confirm_anchor(&self, id: &str, number: i64, by: &str) -> Result<()> {
        let review = self.comment_review(id).await?;
        let c = review
            .comment(number)
            .ok_or_else(|| Error::NotFound(format!("comment {number} of {id}")))?;
        let anchor = ConfirmedAnchor {
            clause: c.anchor.clause.clone().unwrap_or_default(),
            quote: c.anchor.quote.exact.clone(),
        };
        Ok(self.store.confirm_anchor(id, number, &anchor, by).await?)
    }

    /// Publishes draft `name` as edition `edition` (published `date`):
    /// refused while a consultation on it is open or a comment received
    /// has no disposition. The edition keeps the draft's keys (and so the
    /// current edition's); the national figures follow the new latest
    /// edition from the next time they are made.
    pub async fn publish_draft(
        &self,
        name: &str,
        edition: &EditionName,
        date: Date,
        now: JstTime,
    ) -> Result<crate::Imported> {
        let summary = self
            .store
            .draft_named(name)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no draft named {name:?}")))?;
        if let Some(e) = &summary.published_edition {
            return Err(Error::Invalid(format!(
                "the draft was published already, as {e}"
            )));
        }
        let on_draft: Vec<Consultation> = self
            .store
            .consultations()
            .await?
            .into_iter()
            .filter(|c| c.draft_id == summary.id)
            .collect();
        let open: Vec<String> = on_draft
            .iter()
            .filter(|c| !c.plan.window.has_closed(now))
            .map(|c| c.plan.id.to_string())
            .collect();
        let mut undisposed = Vec::new();
        for c in &on_draft {
            let disposed = self.store.dispositions(c.plan.id.as_str()).await?;
            undisposed.extend(
                self.store
                    .received_comments(c)
                    .await?
                    .into_iter()
                    .filter(|r| !disposed.contains_key(&r.number))
                    .map(|r| r.id),
            );
        }
        check_publication(&open, &undisposed).map_err(|e| Error::Invalid(e.to_string()))?;
        let (_, mut doc) = self
            .store
            .load_draft(summary.id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no draft named {name:?}")))?;
        if doc.meta.kind != DocumentKind::Guideline {
            return Err(Error::Invalid(
                "only a guideline draft becomes an edition".into(),
            ));
        }
        doc.meta.edition = edition.as_str().to_string();
        doc.meta.published = Some(date);
        doc.meta.derived_from = None;
        let imported = self.import(doc).await?;
        self.store
            .mark_published(summary.id, edition.as_str())
            .await?;
        Ok(imported)
    }
}

/// The review made from what the store holds: pure, on a blocking thread.
fn review(
    subject: &Document,
    now: &Document,
    received: Vec<ReceivedComment>,
    edits: &[ClusterEdit],
    confirmed: &HashMap<i64, ConfirmedAnchor>,
    dispositions: &mut HashMap<i64, Disposition>,
) -> Vec<ReviewedComment> {
    // Clause order of the subject, then number.
    let order: HashMap<&str, usize> = subject
        .nodes()
        .enumerate()
        .map(|(i, n)| (n.key.as_str(), i))
        .collect();
    let mut received = received;
    received.sort_by_key(|r| {
        (
            order.get(r.comment.clause.as_str()).copied().unwrap_or(0),
            r.number,
        )
    });
    // The alignment alone: the 新旧対照表's character diffs are not needed.
    let (old, new) = (FlatDoc::new(subject), FlatDoc::new(now));
    let alignment = kaitei_compare::align::align(&old, &new, KeyUse::All);
    let anchorer = Reanchorer::new(&old, &new, &alignment);
    let paths: HashMap<&str, String> = subject
        .located()
        .into_iter()
        .map(|l| (l.node.key.as_str(), l.path.join(" / ")))
        .collect();
    let index: HashMap<i64, usize> = received
        .iter()
        .enumerate()
        .map(|(i, r)| (r.number, i))
        .collect();
    let inputs: Vec<ClusterInput> = received
        .iter()
        .map(|r| ClusterInput {
            text: &r.comment.text,
            clause: Some(&r.comment.clause),
        })
        .collect();
    let clusters = cluster(&inputs, &pins_of(edits, &index));
    received
        .iter()
        .zip(clusters)
        .map(|(r, k)| {
            let anchor = anchorer.reanchor(&r.comment.clause, &r.comment.quote);
            let confirmed = confirmed.get(&r.number).is_some_and(|c| {
                anchor.status == AnchorStatus::Orphaned && c.clause.is_empty()
                    || anchor.clause.as_deref() == Some(c.clause.as_str())
                        && anchor.quote.exact == c.quote
            });
            ReviewedComment {
                received: r.clone(),
                path: paths
                    .get(r.comment.clause.as_str())
                    .cloned()
                    .unwrap_or_default(),
                anchor,
                confirmed,
                cluster: k + 1,
                disposition: dispositions.remove(&r.number),
            }
        })
        .collect()
}

/// The response table (意見と対応) of a review: one row per cluster — or
/// per part of a cluster whose comments were disposed of differently — in
/// clause order; respondents by name, or as 団体1, 団体2, … in order of
/// first appearance when `anonymise`. `made` is the date printed on it.
pub fn response_table(
    review: &CommentReview,
    anonymise: bool,
    made: &str,
) -> kaitei_report::response_table::ResponseTable {
    use kaitei_report::response_table::{ResponseRow, ResponseTable};
    let mut labels: HashMap<String, String> = HashMap::new();
    let mut name_of = |c: &ReviewedComment| {
        let key = c.received.respondent.key();
        if !anonymise {
            return c.received.respondent.name();
        }
        let n = labels.len() + 1;
        labels
            .entry(key)
            .or_insert_with(|| format!("団体{n}"))
            .clone()
    };
    let mut rows: Vec<ResponseRow> = Vec::new();
    for k in 1..=review.clusters {
        // The cluster's comments grouped by disposition, in order of
        // first appearance.
        let mut parts: Vec<(Option<&Disposition>, Vec<&ReviewedComment>)> = Vec::new();
        for c in review.cluster(k) {
            match parts.iter_mut().find(|(d, _)| *d == c.disposition.as_ref()) {
                Some((_, members)) => members.push(c),
                None => parts.push((c.disposition.as_ref(), vec![c])),
            }
        }
        for (d, members) in parts {
            let first = members[0];
            let comment = &first.received.comment;
            rows.push(ResponseRow {
                number: rows.len() + 1,
                clause: first.path.clone(),
                comment_ids: members.iter().map(|c| c.received.id.clone()).collect(),
                respondents: members.iter().map(|c| name_of(c)).collect(),
                kind: comment.kind.japanese().to_string(),
                quote: comment.quote.exact.clone(),
                comment: comment.text.clone(),
                proposal: comment.proposal.clone(),
                disposition: d.map(|d| d.kind.japanese().to_string()).unwrap_or_default(),
                reason: d.map(|d| d.reason.clone()).unwrap_or_default(),
            });
        }
    }
    ResponseTable {
        consultation: review.consultation.plan.id.to_string(),
        title: review.consultation.title.clone(),
        subject: format!(
            "{}（第{}版）",
            review.draft.name, review.consultation.draft_version
        ),
        made: made.to_string(),
        anonymised: anonymise,
        rows,
    }
}
