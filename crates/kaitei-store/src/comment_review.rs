//! The ministry's work on the comments it has received: dispositions (one
//! per comment; a cluster's is written to each of its comments, so every
//! submitter keeps its link), the hand edits that merge and split
//! clusters (kept as pairs of comments held together or apart, so that
//! they survive re-clustering), and confirmations of re-anchored comments.

use std::collections::HashMap;

use kaitei_model::consultation::{AnswerStatus, ConsultationId, received};
use kaitei_model::disposition::{Disposition, DispositionKind};
use sqlx::Row;

use crate::accounts::now_stamp;
use crate::answers::{Respondent, comment_from_row};
use crate::audit::Change;
use crate::consultations::Consultation;
use crate::{Store, StoreError};

/// A comment the ministry has (its answer sent directly, or forwarded by
/// the prefecture).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedComment {
    /// Its number in the consultation (the id's last part).
    pub number: i64,
    /// Its readable id (`R8-1-0042`).
    pub id: String,
    /// Who sent it.
    pub respondent: Respondent,
    /// The comment, anchored to the subject consulted on.
    pub comment: kaitei_model::consultation::Comment,
}

/// A hand edit of the clusters: two comments held together (a merge) or
/// apart (a split).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClusterEdit {
    /// One comment's number.
    pub a: i64,
    /// The other's.
    pub b: i64,
    /// Together (merged) or apart (split).
    pub together: bool,
}

/// Where the ministry confirmed a re-anchored comment to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmedAnchor {
    /// The clause's key in the draft (empty: confirmed orphaned).
    pub clause: String,
    /// The words quoted there.
    pub quote: String,
}

impl Store {
    /// Every comment the ministry has received in consultation `c`, by
    /// number.
    pub async fn received_comments(
        &self,
        c: &Consultation,
    ) -> Result<Vec<ReceivedComment>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.respondent, a.status, m.number, m.node_key, m.quote_exact, m.quote_prefix, \
             m.quote_suffix, m.kind, m.text, m.proposal \
             FROM comments m JOIN answers a ON a.id = m.answer_id \
             WHERE m.consultation_id = $1 AND a.status IN ('submitted', 'forwarded') \
             ORDER BY m.number",
        )
        .bind(c.plan.id.as_str())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let key: String = r.try_get("respondent")?;
            let respondent = Respondent::from_key(&key)
                .ok_or_else(|| StoreError::Corrupt(format!("respondent {key:?}")))?;
            let status: String = r.try_get("status")?;
            let status = AnswerStatus::parse(&status)
                .ok_or_else(|| StoreError::Corrupt(format!("answer status {status:?}")))?;
            if !received(status, respondent.relayed(c)) {
                continue;
            }
            let number: i64 = r.try_get("number")?;
            out.push(ReceivedComment {
                number,
                id: c.plan.id.comment_id(number),
                respondent,
                comment: comment_from_row(r)?,
            });
        }
        Ok(out)
    }

    /// The dispositions given in consultation `id`, by comment number.
    pub async fn dispositions(&self, id: &str) -> Result<HashMap<i64, Disposition>, StoreError> {
        let rows =
            sqlx::query("SELECT number, kind, reason FROM dispositions WHERE consultation_id = $1")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                Ok((
                    r.try_get("number")?,
                    Disposition {
                        kind: DispositionKind::parse(&kind)
                            .ok_or_else(|| StoreError::Corrupt(format!("disposition {kind:?}")))?,
                        reason: r.try_get("reason")?,
                    },
                ))
            })
            .collect()
    }

    /// Gives the comments `numbers` of consultation `id` disposition `d`
    /// (replacing any they had), all or none.
    pub async fn dispose(
        &self,
        id: &ConsultationId,
        numbers: &[i64],
        d: &Disposition,
        by: &str,
    ) -> Result<(), StoreError> {
        if numbers.is_empty() {
            return Err(StoreError::Invalid(
                "no comment chosen to dispose of".into(),
            ));
        }
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let at = now_stamp();
            for n in numbers {
                let found: Option<(i64,)> = sqlx::query_as(
                    "SELECT number FROM comments WHERE consultation_id = $1 AND number = $2",
                )
                .bind(id.as_str())
                .bind(*n)
                .fetch_optional(&mut *tx)
                .await?;
                if found.is_none() {
                    return Err(StoreError::Invalid(format!(
                        "{} is not a comment of this consultation",
                        id.comment_id(*n)
                    )));
                }
                sqlx::query(
                    "INSERT INTO dispositions (consultation_id, number, kind, reason, by_user, at) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (consultation_id, number) DO UPDATE SET kind = excluded.kind, \
                     reason = excluded.reason, by_user = excluded.by_user, at = excluded.at",
                )
                .bind(id.as_str())
                .bind(*n)
                .bind(d.kind.as_str())
                .bind(&d.reason)
                .bind(by)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
            }
            let numbers: Vec<String> = numbers.iter().map(i64::to_string).collect();
            let change = Change::new(
                "comment.dispose",
                format!("{} {}", id.as_str(), numbers.join(",")),
            )
            .after(format!("{}\u{1f}{}", d.kind.as_str(), d.reason));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    /// The hand edits of consultation `id`'s clusters, oldest first.
    pub async fn cluster_edits(&self, id: &str) -> Result<Vec<ClusterEdit>, StoreError> {
        let rows = sqlx::query(
            "SELECT a, b, together FROM cluster_edits WHERE consultation_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ClusterEdit {
                    a: r.try_get("a")?,
                    b: r.try_get("b")?,
                    together: r.try_get::<i64, _>("together")? != 0,
                })
            })
            .collect()
    }

    /// Records hand edits: each pair held together (a merge) or apart (a
    /// split). A later edit of the same pair overrides an earlier one.
    pub async fn add_cluster_edits(
        &self,
        id: &str,
        pairs: &[(i64, i64)],
        together: bool,
        by: &str,
    ) -> Result<(), StoreError> {
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            let at = now_stamp();
            for &(a, b) in pairs {
                let (a, b) = (a.min(b), a.max(b));
                sqlx::query(
                    "DELETE FROM cluster_edits WHERE consultation_id = $1 AND a = $2 AND b = $3",
                )
                .bind(id)
                .bind(a)
                .bind(b)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO cluster_edits (consultation_id, a, b, together, by_user, at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(a)
                .bind(b)
                .bind(i64::from(together))
                .bind(by)
                .bind(&at)
                .execute(&mut *tx)
                .await?;
            }
            let pairs: Vec<String> = pairs.iter().map(|(a, b)| format!("{a}-{b}")).collect();
            let action = if together {
                "comment.merge"
            } else {
                "comment.split"
            };
            let change = Change::new(action, format!("{id} {}", pairs.join(",")));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    /// Where the ministry confirmed re-anchored comments to be, by number.
    pub async fn confirmed_anchors(
        &self,
        id: &str,
    ) -> Result<HashMap<i64, ConfirmedAnchor>, StoreError> {
        let rows = sqlx::query(
            "SELECT number, node_key, quote_exact FROM anchor_confirmations WHERE consultation_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("number")?,
                    ConfirmedAnchor {
                        clause: r.try_get("node_key")?,
                        quote: r.try_get("quote_exact")?,
                    },
                ))
            })
            .collect()
    }

    /// Confirms where comment `number` of consultation `id` now stands.
    pub async fn confirm_anchor(
        &self,
        id: &str,
        number: i64,
        anchor: &ConfirmedAnchor,
        by: &str,
    ) -> Result<(), StoreError> {
        self.retrying(|| async {
            let mut tx = self.begin_write().await?;
            sqlx::query(
                "INSERT INTO anchor_confirmations (consultation_id, number, node_key, quote_exact, by_user, at) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (consultation_id, number) DO UPDATE SET node_key = excluded.node_key, \
                 quote_exact = excluded.quote_exact, by_user = excluded.by_user, at = excluded.at",
            )
            .bind(id)
            .bind(number)
            .bind(&anchor.clause)
            .bind(&anchor.quote)
            .bind(by)
            .bind(now_stamp())
            .execute(&mut *tx)
            .await?;
            let change = Change::new("comment.confirm_anchor", format!("{id} {number}"))
                .after(format!("{}\u{1f}{}", anchor.clause, anchor.quote));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }
}
