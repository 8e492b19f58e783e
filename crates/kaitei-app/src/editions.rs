//! Guideline editions: the list, the latest, an edition read once, and the
//! changes between two editions compared once.

use std::sync::Arc;

use kaitei_compare::policy::EditionChanges;
use kaitei_compare::{KeyUse, compare};
use kaitei_model::{Date, Document, EditionName};
use kaitei_store::DocumentRef;

use crate::{App, Error, Result, blocking, cached, keep};

/// A stored guideline edition in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionSummary {
    /// Its name.
    pub edition: String,
    /// Its title.
    pub title: String,
    /// Its publication date.
    pub published: Option<Date>,
    /// How many clauses (nodes) it has.
    pub clauses: i64,
}

impl App {
    /// The stored guideline editions, oldest first.
    pub async fn editions(&self) -> Result<Vec<EditionSummary>> {
        Ok(self
            .store
            .editions()
            .await?
            .into_iter()
            .map(|d| EditionSummary {
                edition: d.edition,
                title: d.title,
                published: d.published,
                clauses: d.node_count,
            })
            .collect())
    }

    /// The latest stored edition: the last by publication date, then by
    /// import order.
    pub async fn latest_edition(&self) -> Result<Option<EditionSummary>> {
        Ok(self.editions().await?.pop())
    }

    /// A stored edition, read once per application.
    pub async fn edition(&self, name: &EditionName) -> Result<Arc<Document>> {
        if let Some(doc) = cached(&self.editions, name) {
            return Ok(doc);
        }
        let doc = self
            .store
            .get(&DocumentRef::Edition(name.clone()))
            .await?
            .ok_or_else(|| Error::NotFound(format!("no edition {name} is stored")))?;
        let doc = Arc::new(doc);
        keep(&self.editions, name.clone(), doc.clone());
        Ok(doc)
    }

    /// An edition by a name as stored in a document (`derived_from`).
    pub async fn edition_named(&self, name: &str) -> Result<Arc<Document>> {
        let name =
            EditionName::parse(name).map_err(|e| Error::NotFound(format!("{name:?}: {e}")))?;
        self.edition(&name).await
    }

    /// What changed from stored edition `old` to `new`, compared once per
    /// application for every use that needs it.
    pub async fn edition_changes(
        &self,
        old: &EditionName,
        new: &EditionName,
    ) -> Result<Arc<EditionChanges>> {
        let pair = (old.clone(), new.clone());
        if let Some(c) = cached(&self.changes, &pair) {
            return Ok(c);
        }
        let (old_doc, new_doc) = (self.edition(old).await?, self.edition(new).await?);
        let changes =
            blocking(move || EditionChanges::new(&compare(&old_doc, &new_doc, KeyUse::All)))
                .await?;
        let changes = Arc::new(changes);
        keep(&self.changes, pair, changes.clone());
        Ok(changes)
    }
}
