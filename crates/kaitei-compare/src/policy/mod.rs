//! A body's policy against the guideline: deriving one, recovering the
//! provenance of one written years ago, the impact of a new edition on it,
//! and the three-way merge that proposes its next version.

mod impact;
mod infer;
mod law;
mod merge;
mod notes;
mod proposal;
mod provenance;
mod within;

pub use impact::{Cause, EditionChanges, ImpactItem, Severity, impact, impact_on};
pub use infer::{
    Candidate, Evidence, Inference, InferredValue, MAX_VALUE_CHARS, MIN_CONTEXT, ValueReader,
    infer_values, read_value,
};
pub use kaitei_model::Decision;
pub use merge::{Merged, MergedWithin, merge};
pub use notes::{MergeNote, PlacementReason};
pub use proposal::{
    ChangeKind, DECLINED, ProposedChange, Undecided, apply_decisions, proposed_changes,
};
pub use provenance::{PAIR_MIN, REVIEW_BELOW, UncertainPair, align_policy};
pub use within::{ABSORB_CHARS, Merge3, changes_overlap, merge3};

use std::collections::BTreeMap;

use kaitei_model::text::{fill_placeholders, placeholders};
use kaitei_model::{Body, Document, DocumentKind, FlatNodes, Key, Metadata, Node, Status};

/// The nodes of the guideline that hold the example text (例文): the
/// children of a top-level part titled with 例文 (第2編), or the whole
/// document when there is no such part.
pub fn example_text(guideline: &Document) -> &[Node] {
    guideline
        .children
        .iter()
        .find(|n| n.title.as_deref().is_some_and(|t| t.contains("例文")))
        .map_or(&guideline.children[..], |part| &part.children[..])
}

/// Values for a body's placeholders: `団体名` from the registry, the rest
/// given by the user (which may also override `団体名`).
pub fn profile(body: &Body, given: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    let mut values = BTreeMap::new();
    values.insert("団体名".to_string(), body.name.clone());
    values.extend(given.iter().map(|(k, v)| (k.clone(), v.clone())));
    values
}

/// The placeholder values known for a body's policy, weakest first: its
/// name from the registry, the values the body confirmed (`stored`, the
/// policy's metadata), then those given now (`--set`, a profile), which win.
pub fn known_values(
    body: &Body,
    stored: &BTreeMap<String, String>,
    given: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let mut both = stored.clone();
    both.extend(given.iter().map(|(k, v)| (k.clone(), v.clone())));
    profile(body, &both)
}

/// The values to merge a policy with, and what was inferred for the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettledValues {
    /// The known values and the ones inferred without conflict.
    pub values: BTreeMap<String, String>,
    /// Every placeholder of either edition without a known value, with what
    /// the policy's text shows for it (inferred, conflicting, not found).
    pub inferred: Vec<InferredValue>,
}

/// Settles placeholder values for merging `policy` (with its provenance,
/// derived from `old`) into `new`: `known` values stay; each placeholder
/// either edition uses without one is inferred from the policy's clauses
/// ([`infer_values`]); a value inferred without conflict is used, others
/// leave their placeholder in place.
pub fn settle_values(
    policy: &Document,
    old: &Document,
    new: &Document,
    known: &BTreeMap<String, String>,
) -> SettledValues {
    settle_values_with(
        &ValueReader::new(old),
        &placeholder_uses(old, new),
        policy,
        known,
    )
}

/// Every placeholder `new`, then `old`, uses, each with the first clause
/// that uses it: made once for a pair of editions, to settle many
/// policies' values with ([`settle_values_with`]).
pub fn placeholder_uses(old: &Document, new: &Document) -> Vec<MissingValue> {
    let none = BTreeMap::new();
    let mut uses = missing_values(new, &none);
    for m in missing_values(old, &none) {
        if !uses.iter().any(|u| u.name == m.name) {
            uses.push(m);
        }
    }
    uses
}

/// [`settle_values`] with the old edition's [`ValueReader`] and the
/// editions' [`placeholder_uses`] made once.
pub fn settle_values_with(
    reader: &ValueReader,
    uses: &[MissingValue],
    policy: &Document,
    known: &BTreeMap<String, String>,
) -> SettledValues {
    settle_values_on(reader, uses, &FlatNodes::of(&policy.children), known)
}

/// [`settle_values_with`] on a policy's nodes laid out flat: the form a
/// national run reads every policy in.
pub fn settle_values_on(
    reader: &ValueReader,
    uses: &[MissingValue],
    nodes: &FlatNodes,
    known: &BTreeMap<String, String>,
) -> SettledValues {
    let wanted: Vec<(String, String)> = uses
        .iter()
        .filter(|m| !known.contains_key(&m.name))
        .map(|m| (m.name.clone(), m.first_used_at.clone()))
        .collect();
    let inferred = reader.infer_on(nodes, known, &wanted);
    let mut values = known.clone();
    for i in &inferred {
        if let Some(v) = i.value() {
            values.insert(i.name.clone(), v.to_string());
        }
    }
    SettledValues { values, inferred }
}

/// A placeholder without a value, with where it is used first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingValue {
    /// The placeholder's name (`CISO職名`).
    pub name: String,
    /// The label path of the first node that uses it.
    pub first_used_at: String,
}

/// The key a derived policy gives the node derived from guideline key `g`:
/// the same for every edition that carries the key forward, so deriving and
/// merging agree.
pub fn policy_key(g: &Key) -> Key {
    Key::new(&format!("p-{g}")).unwrap_or_else(|| g.clone())
}

/// The placeholders of `guideline`'s example text that `values` lacks, each
/// with the first place it is used.
pub fn missing_values(
    guideline: &Document,
    values: &BTreeMap<String, String>,
) -> Vec<MissingValue> {
    let mut missing: Vec<MissingValue> = Vec::new();
    fn visit(
        nodes: &[Node],
        values: &BTreeMap<String, String>,
        path: &mut Vec<String>,
        missing: &mut Vec<MissingValue>,
    ) {
        for g in nodes {
            path.push(g.path_segment().to_string());
            for s in g.title.iter().chain(&g.paragraphs) {
                for name in placeholders(s) {
                    if !values.contains_key(name) && !missing.iter().any(|m| m.name == name) {
                        missing.push(MissingValue {
                            name: name.to_string(),
                            first_used_at: path.join(" / "),
                        });
                    }
                }
            }
            visit(&g.children, values, path, missing);
            path.pop();
        }
    }
    visit(
        example_text(guideline),
        values,
        &mut Vec::new(),
        &mut missing,
    );
    missing
}

/// Derives a body's policy from a guideline edition: its example text with
/// placeholders filled, every node `adopted` from its guideline node;
/// commentary (guidance for the author) is left out. Fails with every
/// placeholder left without a value.
pub fn derive(
    guideline: &Document,
    body: &Body,
    values: &BTreeMap<String, String>,
    edition: &str,
) -> Result<Document, Vec<MissingValue>> {
    let missing = missing_values(guideline, values);
    if !missing.is_empty() {
        return Err(missing);
    }
    fn visit(nodes: &[Node], values: &BTreeMap<String, String>) -> Vec<Node> {
        nodes
            .iter()
            .map(|g| {
                let fill = |s: &String| fill_placeholders(s, |n| values.get(n).cloned());
                let mut n = Node::new(g.kind, policy_key(&g.key));
                n.key_pinned = true;
                n.label = g.label.clone();
                n.title = g.title.as_ref().map(fill);
                n.paragraphs = g.paragraphs.iter().map(fill).collect();
                n.from = Some(g.key.clone());
                n.status = Some(Status::Adopted);
                n.children = visit(&g.children, values);
                n
            })
            .collect()
    }
    let children = visit(example_text(guideline), values);
    let title = values
        .get("タイトル")
        .cloned()
        .unwrap_or_else(|| format!("{}情報セキュリティポリシー", body.name));
    let mut meta = Metadata::new(DocumentKind::Policy, &title, edition);
    meta.body = Some(body.code);
    meta.derived_from = Some(guideline.meta.edition.clone());
    Ok(Document {
        meta,
        preamble: Vec::new(),
        children,
    })
}

#[cfg(test)]
mod infer_tests;
#[cfg(test)]
mod law_tests;
#[cfg(test)]
mod proposal_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod within_tests;
