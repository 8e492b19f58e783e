//! The self-assessment, for both front ends: a body's checklist of a
//! fiscal year (from its current policy's provenance — recovered first for
//! a policy written without kaitei, as `policy align` does — against the
//! edition it follows), its answers with those carried over from the year
//! before (asked again where the clause's text changed between the two
//! years' editions, found by the comparison engine), the scores per
//! chapter, and the year-over-year view.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use kaitei_compare::{Field, KeyUse, RowKind, compare};
use kaitei_model::cycle::FiscalYear;
use kaitei_model::{Body, BodyCode, Document, EditionName, Key};
use kaitei_records::assessment::{
    self, Answer, Carried, Item, Score, TextChange, carry_over, checklist, counting,
};
use kaitei_store::{Evidence, StoredAnswer};

use crate::policies::{body_values, with_provenance};
use crate::{App, Error, Result, blocking};

/// A body's self-assessment of one year, as its page shows it.
#[derive(Debug, Clone)]
pub struct YearAssessment {
    /// The year.
    pub year: FiscalYear,
    /// The edition it is against.
    pub edition: String,
    /// Whether the policy had no provenance and was aligned for this.
    pub aligned: bool,
    /// The checklist, in the edition's order.
    pub items: Vec<Item>,
    /// Each item's answer: own, carried over, or asked again (absent:
    /// unanswered).
    pub answers: BTreeMap<Key, Carried>,
    /// The notes of this year's own answers.
    pub notes: BTreeMap<Key, String>,
    /// The evidence files of the year, by key.
    pub evidence: Vec<Evidence>,
    /// Scores per chapter, and of all items.
    pub scores: (Vec<(String, Score)>, Score),
    /// Every year assessed (and this one), oldest first, with its total
    /// score and its chapters'.
    pub history: Vec<YearScores>,
}

/// A year's scores: its chapters' and its total.
pub type YearScores = (FiscalYear, Vec<(String, Score)>, Score);

/// The text of each clause that changed between two editions (title or
/// text, not commentary alone), by its key in the earlier one; a
/// renumbering or a move alone is no change.
pub fn text_changes(old: &Document, new: &Document) -> HashMap<Key, TextChange> {
    let cmp = compare(old, new, KeyUse::All);
    let mut out = HashMap::new();
    for row in &cmp.rows {
        let (Some(o), Some(n)) = (row.old, row.new) else {
            continue;
        };
        let changed = matches!(
            row.kind,
            RowKind::Changed | RowKind::Split | RowKind::Merged
        ) && row
            .changed_fields
            .iter()
            .any(|f| matches!(f, Field::Text | Field::Title));
        if !changed {
            continue;
        }
        let (o, n) = (cmp.old.nodes[o].node, cmp.new.nodes[n].node);
        let whole = |n: &kaitei_model::Node| {
            let mut t = n.title.clone().unwrap_or_default();
            if !t.is_empty() && !n.paragraphs.is_empty() {
                t.push('\n');
            }
            t.push_str(&n.text());
            t
        };
        out.entry(o.key.clone()).or_insert(TextChange {
            old: whole(o),
            new: whole(n),
        });
    }
    out
}

impl App {
    /// What changed in clauses' text from edition `old` to `new` (empty
    /// for one edition), compared once per application.
    pub async fn text_changes(
        &self,
        old: &str,
        new: &str,
    ) -> Result<Arc<HashMap<Key, TextChange>>> {
        if old == new {
            return Ok(Arc::default());
        }
        let name =
            |s: &str| EditionName::parse(s).map_err(|e| Error::NotFound(format!("{s:?}: {e}")));
        let pair = (name(old)?, name(new)?);
        if let Some(c) = crate::cached(&self.text_changes, &pair) {
            return Ok(c);
        }
        let (o, n) = (self.edition(&pair.0).await?, self.edition(&pair.1).await?);
        let changes = Arc::new(blocking(move || text_changes(&o, &n)).await?);
        crate::keep(&self.text_changes, pair, changes.clone());
        Ok(changes)
    }

    /// The edition `body`'s current policy follows and the policy with its
    /// provenance (`true` when it had to be aligned first).
    async fn assessed_policy(&self, body: &Body) -> Result<(Arc<Document>, Document, bool)> {
        let row = self
            .current_policy(body.code, true)
            .await?
            .ok_or_else(|| Error::NotFound(format!("{} has no policy stored", body.name)))?;
        let doc = self
            .store
            .load(row.id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("policy {}", row.id)))?;
        let derived = doc.meta.derived_from.clone().ok_or_else(|| {
            Error::Invalid(format!(
                "{}'s policy names no edition it follows",
                body.name
            ))
        })?;
        let edition = self.edition_named(&derived).await?;
        let values = body_values(&doc, &doc.meta.values)?;
        let (policy, aligned) = {
            let ed = edition.clone();
            blocking(move || {
                let p = with_provenance(&doc, &ed, &values);
                let aligned = matches!(p, std::borrow::Cow::Owned(_));
                (p.into_owned(), aligned)
            })
            .await?
        };
        Ok((edition, policy, aligned))
    }

    /// The counting answers of every year `body` assessed up to `until`
    /// (own, then carried from the year before), oldest first, with each
    /// year's edition, and the carried answers of the last.
    async fn answers_by_year(
        &self,
        body: BodyCode,
        years: &[(FiscalYear, String)],
    ) -> Result<Vec<(FiscalYear, String, BTreeMap<Key, Carried>)>> {
        let mut out: Vec<(FiscalYear, String, BTreeMap<Key, Carried>)> = Vec::new();
        for (year, edition) in years {
            let own: BTreeMap<Key, Answer> = self
                .store
                .assessment_answers(body, *year)
                .await?
                .into_iter()
                .map(|(k, a)| (k, a.answer))
                .collect();
            let (previous, changes) = match out.last() {
                Some((_, e, carried)) => (counting(carried), self.text_changes(e, edition).await?),
                None => (BTreeMap::new(), Arc::default()),
            };
            out.push((
                *year,
                edition.clone(),
                carry_over(&own, &previous, &changes),
            ));
        }
        Ok(out)
    }

    /// `body`'s self-assessment of `year`: against the edition the year
    /// was started with, else the one its current policy follows.
    pub async fn assessment(&self, body: &Body, year: FiscalYear) -> Result<YearAssessment> {
        let (current_edition, policy, aligned) = self.assessed_policy(body).await?;
        let mut years = self.store.assessment_years(body.code).await?;
        years.retain(|(y, _)| *y <= year);
        let edition_name = match years.last() {
            Some((y, e)) if *y == year => e.clone(),
            _ => {
                years.push((year, current_edition.meta.edition.clone()));
                current_edition.meta.edition.clone()
            }
        };
        let edition = self.edition_named(&edition_name).await?;
        let questions = self.store.assessment_questions().await?;
        let by_year = self.answers_by_year(body.code, &years).await?;
        let mut history = Vec::new();
        for (y, e, carried) in &by_year {
            let ed = self.edition_named(e).await?;
            let items = checklist(&policy, &ed, &questions);
            let (chapters, total) = assessment::scores(&items, &counting(carried));
            history.push((*y, chapters, total));
        }
        let items = checklist(&policy, &edition, &questions);
        let answers = by_year.last().map(|l| l.2.clone()).unwrap_or_default();
        let scores = assessment::scores(&items, &counting(&answers));
        let notes = self
            .store
            .assessment_answers(body.code, year)
            .await?
            .into_iter()
            .map(|(k, a)| (k, a.note))
            .collect();
        Ok(YearAssessment {
            year,
            edition: edition_name,
            aligned,
            items,
            answers,
            notes,
            evidence: self.store.evidence_files(body.code, Some(year)).await?,
            scores,
            history,
        })
    }

    /// Saves `body`'s answers of `year`, each to a question of its
    /// checklist (else refused, nothing written).
    pub async fn answer_assessment(
        &self,
        body: &Body,
        year: FiscalYear,
        answers: &[(Key, Option<StoredAnswer>)],
        by: &str,
    ) -> Result<()> {
        let a = self.assessment(body, year).await?;
        let keys = assessment::keys(&a.items);
        if let Some((k, _)) = answers.iter().find(|(k, _)| !keys.contains(k)) {
            return Err(Error::Invalid(format!(
                "{k} is not on {}'s checklist",
                body.name
            )));
        }
        Ok(self
            .store
            .save_assessment(body.code, year, &a.edition, answers, by)
            .await?)
    }

    /// Attaches evidence to question `key` of `body`'s `year`.
    pub async fn attach_evidence(
        &self,
        body: &Body,
        year: FiscalYear,
        key: &Key,
        file_name: &str,
        bytes: &[u8],
        by: &str,
    ) -> Result<i64> {
        let a = self.assessment(body, year).await?;
        if !assessment::keys(&a.items).contains(key) {
            return Err(Error::Invalid(format!(
                "{key} is not on {}'s checklist",
                body.name
            )));
        }
        Ok(self
            .store
            .attach_evidence(body.code, year, &a.edition, key, file_name, bytes, by)
            .await?)
    }
}
