//! The impact of a new edition on every stored policy, and its totals per
//! prefecture: one rule for the command line (`policy impact --all`) and
//! the ministry's dashboard.

use std::collections::BTreeMap;
use std::sync::Arc;

use kaitei_compare::policy::{EditionChanges, ImpactItem, Severity, impact};
use kaitei_model::BodyCode;
use kaitei_store::CurrentPolicy;

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
        mut progress: impl FnMut(),
    ) -> Result<Vec<BodyAssessment>> {
        let ids: Vec<i64> = targets.iter().map(|(p, _)| p.id).collect();
        let mut out: Vec<BodyAssessment> = Vec::with_capacity(targets.len());
        self.store
            .each_outline(&ids, |slot, outline| {
                let (p, changes) = &targets[slot];
                let assessment = if crate::policies::has_provenance(&outline) {
                    Assessment::Items(impact(&outline, changes))
                } else {
                    Assessment::Unaligned
                };
                out.push(BodyAssessment {
                    body: p.body,
                    version: p.version.clone(),
                    assessment,
                });
                progress();
            })
            .await?;
        out.sort_by_key(|a| a.body);
        Ok(out)
    }
}
