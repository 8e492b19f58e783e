//! Storing a document: a new guideline edition first takes the keys of
//! the edition before it, so each clause keeps its identity across years.

use kaitei_model::{Document, DocumentKind};

use crate::{App, Result, blocking};

/// What an import stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// The document's row id.
    pub id: i64,
    /// What it is, in words: `guideline edition 令和7年3月版`,
    /// `policy 033219@令和7年度版`.
    pub what: String,
    /// How many nodes it has.
    pub nodes: usize,
    /// For a guideline edition: how many keys were carried forward, and
    /// from which edition.
    pub carried: Option<(usize, String)>,
}

impl App {
    /// Stores `doc` in one transaction. A guideline edition inherits the
    /// keys of the stored edition it follows (the latest published on or
    /// before it).
    pub async fn import(&self, mut doc: Document) -> Result<Imported> {
        let mut carried = None;
        if doc.meta.kind == DocumentKind::Guideline
            && let Some(prev_id) = self
                .store
                .previous_edition(&doc.meta.edition, doc.meta.published)
                .await?
            && let Some(prev) = self.store.load(prev_id).await?
        {
            let (n, d) = blocking(move || {
                let n = kaitei_compare::inherit_keys(&prev, &mut doc);
                (n, (doc, prev.meta.edition))
            })
            .await?;
            let (back, from) = d;
            doc = back;
            carried = Some((n, from));
        }
        let id = self.store.import(&doc).await?;
        let what = match (doc.meta.kind, doc.meta.body) {
            (DocumentKind::Policy, Some(body)) => format!("policy {body}@{}", doc.meta.edition),
            _ => format!("guideline edition {}", doc.meta.edition),
        };
        Ok(Imported {
            id,
            what,
            nodes: doc.node_count(),
            carried,
        })
    }
}
