//! The impact of a new edition on every stored policy, and its totals per
//! prefecture: one rule for the command line (`policy impact --all`) and
//! the ministry's dashboard.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use kaitei_compare::policy::{
    EditionChanges, ImpactItem, InferredValue, MissingValue, Severity, ValueReader, impact_on,
    known_values, placeholder_uses, settle_values_on,
};
use kaitei_model::{BodyCode, Document, registry};
use kaitei_store::{CurrentPolicy, OutlineShapes, PolicyOutline};

use crate::{App, Error, Result};

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
    /// Assesses each policy of `targets` against its changes: every node
    /// shape decoded once, each policy's outline read in one pass and
    /// assessed on [`App::with_workers`] threads while the next are read;
    /// `progress` is called after each. The result is in body-code order.
    pub async fn assess(
        &self,
        targets: Vec<(CurrentPolicy, Arc<EditionChanges>)>,
        progress: impl FnMut(),
    ) -> Result<Vec<BodyAssessment>> {
        self.assess_with(targets, None, progress).await
    }

    /// [`App::assess`], and each policy's placeholder values inferred from
    /// its own wording as a single policy's impact does (the words of the
    /// clauses derived from guideline clauses with placeholders are read
    /// with the shapes): every policy of `targets` goes from `old` to `new`.
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
        let settling = editions.map(|(old, new)| Settling {
            old: old.clone(),
            uses: placeholder_uses(old, new),
        });
        let words: Vec<String> = match &settling {
            Some(s) => ValueReader::new(&s.old)
                .keys()
                .map(|k| k.as_str().to_string())
                .collect(),
            None => Vec::new(),
        };
        let ids: Vec<i64> = targets.iter().map(|(p, _)| p.id).collect();
        let run = Arc::new(Run {
            shapes: self.store.outline_shapes(&words).await?,
            targets,
            settling,
        });
        let mut out: Vec<(usize, BodyAssessment)> = Vec::with_capacity(ids.len());
        if self.workers == 0 {
            let reader = run.reader();
            let mut failed = None;
            self.store
                .each_outline(&ids, &run.shapes, |slot, outline| {
                    match run.assess(reader.as_ref(), slot, &outline) {
                        Ok(a) => out.push((slot, a)),
                        Err(e) => failed = failed.take().or(Some(e)),
                    }
                    progress();
                })
                .await?;
            if let Some(e) = failed {
                return Err(e);
            }
        } else {
            // Long-lived workers fed through a channel while the store reads
            // the next policies: reading (on SQLite, the driver's thread)
            // and assessing overlap, and the assessing takes every core.
            let (jobs, queue) = std::sync::mpsc::channel::<(usize, PolicyOutline)>();
            let queue = Arc::new(Mutex::new(queue));
            let (done, mut results) = tokio::sync::mpsc::unbounded_channel();
            let workers: Vec<_> = (0..self.workers)
                .map(|_| {
                    let (run, queue, done) = (run.clone(), queue.clone(), done.clone());
                    tokio::task::spawn_blocking(move || {
                        let reader = run.reader();
                        // The lock is held only while waiting for the next
                        // policy, never while assessing one.
                        while let Some((slot, outline)) =
                            queue.lock().ok().and_then(|q| q.recv().ok())
                        {
                            let assessed = run.assess(reader.as_ref(), slot, &outline);
                            if done.send(assessed.map(|a| (slot, a))).is_err() {
                                break;
                            }
                        }
                    })
                })
                .collect();
            drop(done);
            let mut failed = None;
            let mut take = |r: Result<(usize, BodyAssessment)>, out: &mut Vec<_>| {
                match r {
                    Ok(a) => out.push(a),
                    Err(e) => failed = failed.take().or(Some(e)),
                }
                progress();
            };
            let read = self
                .store
                .each_outline(&ids, &run.shapes, |slot, outline| {
                    // A send fails only once every worker has stopped;
                    // the count below says so.
                    let _ = jobs.send((slot, outline));
                    while let Ok(r) = results.try_recv() {
                        take(r, &mut out);
                    }
                })
                .await;
            drop(jobs);
            while let Some(r) = results.recv().await {
                take(r, &mut out);
            }
            for w in workers {
                w.await.map_err(|e| Error::Internal(e.to_string()))?;
            }
            read?;
            if let Some(e) = failed {
                return Err(e);
            }
        }
        if out.len() != ids.len() {
            return Err(Error::Internal(format!(
                "{} of {} policies assessed",
                out.len(),
                ids.len()
            )));
        }
        // Bodies first, then the order asked in: the same whichever
        // worker finished first.
        out.sort_by_key(|(slot, a)| (a.body, *slot));
        Ok(out.into_iter().map(|(_, a)| a).collect())
    }
}

/// What every worker of a national run shares, made once.
struct Run {
    shapes: OutlineShapes,
    targets: Vec<(CurrentPolicy, Arc<EditionChanges>)>,
    settling: Option<Settling>,
}

/// The edition placeholder values are read against, and every placeholder
/// of the pair of editions.
struct Settling {
    old: Document,
    uses: Vec<MissingValue>,
}

impl Run {
    /// The reader of placeholder values (one per worker: it borrows the
    /// edition).
    fn reader(&self) -> Option<ValueReader<'_>> {
        self.settling.as_ref().map(|s| ValueReader::new(&s.old))
    }

    /// Assesses the policy of `targets[slot]`, read as `outline`.
    fn assess(
        &self,
        reader: Option<&ValueReader>,
        slot: usize,
        outline: &PolicyOutline,
    ) -> Result<BodyAssessment> {
        let (p, changes) = self
            .targets
            .get(slot)
            .ok_or_else(|| Error::Internal(format!("no policy {slot} asked for")))?;
        let nodes = outline.nodes(&self.shapes)?;
        let aligned = nodes.has_provenance();
        let assessment = if aligned {
            Assessment::Items(impact_on(&nodes, &outline.meta.omitted, changes))
        } else {
            Assessment::Unaligned
        };
        let values = match (reader, &self.settling, registry().get(p.body)) {
            (Some(reader), Some(s), Some(body)) if aligned => {
                let known = known_values(body, &outline.meta.values, &Default::default());
                settle_values_on(reader, &s.uses, &nodes, &known).inferred
            }
            _ => Vec::new(),
        };
        Ok(BodyAssessment {
            body: p.body,
            version: p.version.clone(),
            assessment,
            values,
        })
    }
}
