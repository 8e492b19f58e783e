//! The impact of a new edition on every stored policy, and its totals per
//! prefecture: one rule for the command line (`policy impact --all`) and
//! the ministry's dashboard.

use std::collections::BTreeMap;
use std::sync::Arc;

use kaitei_compare::policy::{
    EditionChanges, ImpactItem, InferredValue, Severity, ValueReader, impact, known_values,
    placeholder_uses, settle_values_with,
};
use kaitei_model::{BodyCode, Document, Node, registry};
use kaitei_store::{CurrentPolicy, NodeText};

use crate::{App, Result};

/// What the impact of an edition on one policy is.
#[derive(Debug, Clone, PartialEq)]
pub enum Assessment {
    /// The policy records no provenance (written without kaitei): its
    /// impact needs it aligned first, so it is counted apart — never as
    /// unaffected.
    Unaligned,
    /// The policy's clauses the change touches (none: unaffected).
    Items(Vec<ImpactItem>),
}

/// One body's policy, assessed.
#[derive(Debug, Clone)]
pub struct BodyAssessment {
    /// The body.
    pub body: BodyCode,
    /// The policy's version name.
    pub version: String,
    /// The assessment.
    pub assessment: Assessment,
    /// The placeholders without a value and what the policy's wording
    /// shows for them (only when asked for: [`App::assess_inferring`]).
    pub values: Vec<InferredValue>,
}

/// Totals over a set of assessed policies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Policies assessed (aligned or not).
    pub policies: usize,
    /// Of those, how many hold a clause that needs a decision.
    pub needing_decision: usize,
    /// Affected clauses by severity: high, medium, low.
    pub severities: [usize; 3],
    /// Policies without provenance.
    pub unaligned: usize,
}

/// Where a severity is counted in [`Tally::severities`].
pub fn severity_slot(s: Severity) -> usize {
    match s {
        Severity::High => 0,
        Severity::Medium => 1,
        Severity::Low => 2,
    }
}

impl Tally {
    /// Counts one assessment.
    pub fn add(&mut self, a: &Assessment) {
        self.policies += 1;
        match a {
            Assessment::Unaligned => self.unaligned += 1,
            Assessment::Items(items) => {
                self.needing_decision +=
                    usize::from(items.iter().any(|i| i.severity() == Severity::High));
                for i in items {
                    self.severities[severity_slot(i.severity())] += 1;
                }
            }
        }
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Tally) {
        self.policies += other.policies;
        self.needing_decision += other.needing_decision;
        self.unaligned += other.unaligned;
        for (t, n) in self.severities.iter_mut().zip(other.severities) {
            *t += n;
        }
    }
}

/// The totals of each prefecture (by its code) over `assessed`.
pub fn tally_by_prefecture(assessed: &[BodyAssessment]) -> BTreeMap<BodyCode, Tally> {
    let mut out: BTreeMap<BodyCode, Tally> = BTreeMap::new();
    for a in assessed {
        out.entry(a.body.prefecture())
            .or_default()
            .add(&a.assessment);
    }
    out
}

impl App {
    /// Assesses each policy of `targets` against its changes: one
    /// policy's outline in memory at a time, read in one pass; `progress`
    /// is called after each. The result is in body-code order.
    pub async fn assess(
        &self,
        targets: Vec<(CurrentPolicy, Arc<EditionChanges>)>,
        progress: impl FnMut(),
    ) -> Result<Vec<BodyAssessment>> {
        self.assess_with(targets, None, progress).await
    }

    /// [`App::assess`], and each policy's placeholder values inferred from
    /// its own wording as a single policy's impact does (the clauses
    /// derived from guideline clauses with placeholders are read besides
    /// the outlines): every policy of `targets` goes from `old` to `new`.
    pub async fn assess_inferring(
        &self,
        targets: Vec<(CurrentPolicy, Arc<EditionChanges>)>,
        (old, new): (&Document, &Document),
        progress: impl FnMut(),
    ) -> Result<Vec<BodyAssessment>> {
        self.assess_with(targets, Some((old, new)), progress).await
    }

    async fn assess_with(
        &self,
        targets: Vec<(CurrentPolicy, Arc<EditionChanges>)>,
        editions: Option<(&Document, &Document)>,
        mut progress: impl FnMut(),
    ) -> Result<Vec<BodyAssessment>> {
        // Made once for every policy.
        let settling =
            editions.map(|(old, new)| (ValueReader::new(old), placeholder_uses(old, new)));
        let texts = match &settling {
            Some((reader, _)) => {
                let keys: Vec<String> = reader.keys().map(|k| k.as_str().to_string()).collect();
                self.store.policy_texts_from(&keys).await?
            }
            None => Default::default(),
        };
        let ids: Vec<i64> = targets.iter().map(|(p, _)| p.id).collect();
        let mut out: Vec<BodyAssessment> = Vec::with_capacity(targets.len());
        self.store
            .each_outline(&ids, |slot, mut outline| {
                let (p, changes) = &targets[slot];
                let aligned = crate::policies::has_provenance(&outline);
                let assessment = if aligned {
                    Assessment::Items(impact(&outline, changes))
                } else {
                    Assessment::Unaligned
                };
                let values = match (&settling, registry().get(p.body)) {
                    (Some((reader, uses)), Some(body)) if aligned => {
                        fill_texts(&mut outline.children, texts.get(&p.id));
                        let known = known_values(body, &outline.meta.values, &Default::default());
                        settle_values_with(reader, uses, &outline, &known).inferred
                    }
                    _ => Vec::new(),
                };
                out.push(BodyAssessment {
                    body: p.body,
                    version: p.version.clone(),
                    assessment,
                    values,
                });
                progress();
            })
            .await?;
        out.sort_by_key(|a| a.body);
        Ok(out)
    }
}

/// Gives the outline's nodes the words `texts` holds for them.
fn fill_texts(nodes: &mut [Node], texts: Option<&Vec<NodeText>>) {
    fn fill(nodes: &mut [Node], by_key: &std::collections::HashMap<&str, &NodeText>) {
        for n in nodes {
            if let Some(t) = by_key.get(n.key.as_str()) {
                n.title = t.title.clone().or(n.title.take());
                n.paragraphs = t.text.split('\n').map(str::to_string).collect();
            }
            fill(&mut n.children, by_key);
        }
    }
    let Some(texts) = texts else {
        return;
    };
    let by_key = texts.iter().map(|t| (t.key.as_str(), t)).collect();
    fill(nodes, &by_key);
}
