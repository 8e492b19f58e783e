//! The revision cycle's use cases: drafts started from an edition or a
//! file, consultations read with their frozen subject, answers checked
//! against it, and where every respondent of a consultation stands.

use std::collections::BTreeMap;
use std::sync::Arc;

use kaitei_model::consultation::{
    AnswerStatus, Audience, Comment, CommentError, CommentInput, check_comment, received,
};
use kaitei_model::cycle::FiscalYear;
use kaitei_model::{BodyCode, Document, DocumentKind, EditionName, registry};
use kaitei_store::{Consultation, Respondent};

use crate::{App, Error, Result};

/// Where a draft starts from.
#[derive(Debug, Clone)]
pub enum DraftSource {
    /// A stored guideline edition (`None`: the latest).
    Edition(Option<EditionName>),
    /// A document read from a file: the next edition's text, or another
    /// document put out for opinion.
    Document(Box<Document>),
}

/// Where one respondent of a consultation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RespondentStatus {
    /// Who.
    pub respondent: Respondent,
    /// Its answer's status (`None`: nothing yet).
    pub status: Option<AnswerStatus>,
    /// 意見なし.
    pub no_comment: bool,
    /// How many comments its answer holds.
    pub comments: i64,
    /// Whether its answer goes through its prefecture.
    pub relayed: bool,
    /// Whether its answer has reached the ministry.
    pub received: bool,
}

impl RespondentStatus {
    /// 提出済 / 作成中 / 未着手 … as the progress pages write it.
    pub fn japanese(&self) -> &'static str {
        match self.status {
            None => "未着手",
            Some(AnswerStatus::Submitted) if self.relayed => "都道府県に提出済",
            Some(s) => s.japanese(),
        }
    }
}

/// Totals of a group of respondents (the nation, a prefecture).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProgressTally {
    /// Respondents asked.
    pub asked: usize,
    /// Answers the ministry has.
    pub received: usize,
    /// Submitted to their prefecture, not forwarded yet.
    pub held: usize,
    /// Being prepared (or returned for revision).
    pub preparing: usize,
    /// Nothing yet.
    pub nothing: usize,
    /// Comments in the answers received.
    pub comments: i64,
}

impl ProgressTally {
    fn add(&mut self, s: &RespondentStatus) {
        self.asked += 1;
        match s.status {
            _ if s.received => {
                self.received += 1;
                self.comments += s.comments;
            }
            None => self.nothing += 1,
            Some(AnswerStatus::Submitted) => self.held += 1,
            Some(_) => self.preparing += 1,
        }
    }
}

/// A consultation's progress: every respondent, and totals per prefecture.
#[derive(Debug, Clone)]
pub struct ConsultationProgress {
    /// Every respondent asked (and every vendor that began an answer), in
    /// body-code order.
    pub rows: Vec<RespondentStatus>,
    /// Totals of all.
    pub total: ProgressTally,
    /// Totals per prefecture (its code), for body consultations.
    pub by_prefecture: BTreeMap<BodyCode, ProgressTally>,
}

impl App {
    /// Starts draft `name` of the cycle of `year` from `source`.
    pub async fn start_draft(
        &self,
        year: FiscalYear,
        name: &str,
        source: DraftSource,
        by: &str,
    ) -> Result<i64> {
        let (doc, base) = match source {
            DraftSource::Edition(name) => {
                let name = match name {
                    Some(n) => n,
                    None => {
                        let latest = self.latest_edition().await?.ok_or_else(|| {
                            Error::Invalid(
                                "no guideline edition is stored: import one, or start the draft from a file"
                                    .into(),
                            )
                        })?;
                        EditionName::parse(&latest.edition)
                            .map_err(|e| Error::Invalid(e.to_string()))?
                    }
                };
                let doc = self.edition(&name).await?;
                (doc.as_ref().clone(), Some(name.as_str().to_string()))
            }
            DraftSource::Document(doc) => {
                if doc.meta.kind != DocumentKind::Guideline {
                    return Err(Error::Invalid(
                        "a draft is a guideline text (kind: guideline), not a body's policy".into(),
                    ));
                }
                let base = doc.meta.derived_from.clone();
                (*doc, base)
            }
        };
        Ok(self
            .store
            .create_draft(year, name, &doc, base.as_deref(), by)
            .await?)
    }

    /// Consultation `id` with its frozen subject.
    pub async fn consultation(&self, id: &str) -> Result<(Consultation, Arc<Document>)> {
        let c = self
            .store
            .consultation(id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("no consultation {id:?}")))?;
        let subject = self.subject(c.subject_id).await?;
        Ok((c, subject))
    }

    /// A frozen subject, read once (it never changes).
    pub async fn subject(&self, id: i64) -> Result<Arc<Document>> {
        if let Some(doc) = crate::cached(&self.subjects, &id) {
            return Ok(doc);
        }
        let doc = Arc::new(
            self.store
                .subject(id)
                .await?
                .ok_or_else(|| Error::NotFound(format!("no subject {id}")))?,
        );
        crate::keep(&self.subjects, id, doc.clone());
        Ok(doc)
    }

    /// Where every respondent of consultation `c` stands.
    pub async fn progress(&self, c: &Consultation) -> Result<ConsultationProgress> {
        let stored = self.store.progress(c.plan.id.as_str()).await?;
        let mut by_key: BTreeMap<Respondent, kaitei_store::Progress> = stored
            .into_iter()
            .map(|p| (p.respondent.clone(), p))
            .collect();
        let mut rows = Vec::new();
        let asked: Vec<Respondent> = match &c.plan.audience {
            Audience::Vendors => by_key.keys().cloned().collect(),
            a => a
                .bodies(registry().all())
                .into_iter()
                .map(|b| Respondent::Body(b.code))
                .collect(),
        };
        let mut total = ProgressTally::default();
        let mut by_prefecture: BTreeMap<BodyCode, ProgressTally> = BTreeMap::new();
        for r in asked {
            let p = by_key.remove(&r);
            let relayed = r.relayed(c);
            let status = p.as_ref().map(|p| p.status);
            let row = RespondentStatus {
                received: status.is_some_and(|s| received(s, relayed)),
                status,
                no_comment: p.as_ref().is_some_and(|p| p.no_comment),
                comments: p.as_ref().map_or(0, |p| p.comments),
                relayed,
                respondent: r,
            };
            total.add(&row);
            if let Respondent::Body(b) = &row.respondent {
                by_prefecture.entry(b.prefecture()).or_default().add(&row);
            }
            rows.push(row);
        }
        Ok(ConsultationProgress {
            rows,
            total,
            by_prefecture,
        })
    }
}

/// Checks every comment of an answer against the subject; all the errors
/// (with the index of the comment) or all the comments anchored.
pub fn check_answer(
    subject: &Document,
    inputs: &[CommentInput],
) -> Result<Vec<Comment>, Vec<(usize, CommentError)>> {
    let mut out = Vec::with_capacity(inputs.len());
    let mut errors = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let text = subject
            .nodes()
            .find(|n| n.key.as_str() == input.clause)
            .map(|n| n.text());
        match check_comment(input, text.as_deref()) {
            Ok(c) => out.push(c),
            Err(e) => errors.push((i, e)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

impl ConsultationProgress {
    /// Who has not answered yet (the ministry does not have their answer),
    /// as the reminders' workbook lists them.
    pub fn unanswered(&self) -> Vec<kaitei_report::consultation_status::StatusRow> {
        self.rows
            .iter()
            .filter(|r| !r.received)
            .map(|r| kaitei_report::consultation_status::StatusRow {
                code: r.respondent.key(),
                name: r.respondent.name(),
                prefecture: match &r.respondent {
                    Respondent::Body(b) => registry()
                        .get(b.prefecture())
                        .map_or_else(String::new, |p| p.name.clone()),
                    Respondent::Vendor(_) => String::new(),
                },
                status: r.japanese().to_string(),
                comments: r.comments,
            })
            .collect()
    }
}
