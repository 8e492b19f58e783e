//! kaitei's application layer: each use case once, over the store and the
//! pure engines, for both front ends — the command line (`crates/kaitei`)
//! and the web application (`crates/kaitei-server`) parse their input, call
//! an [`App`] method and render what it returns.
//!
//! What lives here, one module each:
//! - [`editions`]: the stored guideline editions, the latest one, each
//!   edition read once and each pair's changes compared once;
//! - [`import`]: storing a document, carrying keys forward from the
//!   previous edition;
//! - [`policies`]: which policy is a body's current one, and a policy with
//!   its provenance recovered;
//! - [`national`]: the impact of an edition on every stored policy, and
//!   its totals per prefecture;
//! - [`table`]: the 新旧対照表 in each format;
//! - [`review`]: the merge review (load, decide, accept the rest), with
//!   [`review_detail`]: what each change shows besides its texts;
//! - [`revision`]: adopting a review as the body's new revision, and the
//!   body's 新旧対照表 of a revision;
//! - [`consultations`]: drafts, consultations with their frozen subject,
//!   answers checked against it, and every respondent's progress;
//! - [`clause_history`]: a clause across editions, with the draft changes,
//!   topics and comments behind each change;
//! - [`clause`]: a clause of one edition as its page shows it — where it
//!   sits, its neighbours, the editions that have it, what changed since
//!   the edition before;
//! - [`search`]: search results ordered newest first, grouped by
//!   document and cut into pages;
//! - [`prefecture`]: a prefecture's municipalities — summary, filters and
//!   orders of its status rows;
//! - [`audit`]: the audit trail exported;
//! - [`records`]: the records of this year's topics — a body's disposal
//!   register checked against the rule table, imported all or nothing,
//!   counted nationally; the organs' cybersecurity policy and its national
//!   status;
//! - [`linkage`]: the national picture of data linkage (topic ①);
//! - [`assessment`]: a body's self-assessment of a year, its answers
//!   carried over by key unless the clause's text changed;
//! - [`comment_review`]: the comments received, re-anchored to the draft,
//!   clustered, disposed of; the draft published as the next edition.
//!
//! Architecture invariant: no rule here is re-implemented in a front end,
//! and nothing here knows HTTP, HTML or the terminal.

#![deny(missing_docs)]

pub mod assessment;
pub mod audit;
pub mod clause;
pub mod clause_history;
pub mod comment_review;
pub mod consultations;
pub mod editions;
pub mod import;
pub mod linkage;
pub mod national;
pub mod policies;
pub mod prefecture;
pub mod records;
pub mod review;
pub mod review_detail;
pub mod revision;
pub mod search;
pub mod table;
pub mod templates;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use kaitei_compare::policy::EditionChanges;
use kaitei_model::{Document, EditionName};
use kaitei_store::{Store, StoreError};

pub use editions::EditionSummary;
pub use import::Imported;
pub use national::{Assessment, BodyAssessment, Tally};
pub use review::{MergeReview, Progress, ReviewEntry};
pub use revision::{PreviousRevision, Revision, RevisionProblem};
pub use table::TableFormat;

/// What went wrong in a use case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// What was asked for does not exist (or may not be told apart from
    /// something that does not).
    #[error("{0}")]
    NotFound(String),
    /// The request cannot be carried out as it is: the message says why.
    #[error("{0}")]
    Invalid(String),
    /// What the change was based on has changed meanwhile: nothing was
    /// written.
    #[error("{0}")]
    Stale(String),
    /// A revision's name or date will not do.
    #[error("{0}")]
    Revision(RevisionProblem),
    /// A merge review cannot be adopted while these conflicts (label
    /// paths) are undecided.
    #[error("undecided conflicts: {}", .0.join("、"))]
    Undecided(Vec<String>),
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// Work handed to a blocking thread did not finish.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::Invalid(m) => Error::Invalid(m),
            StoreError::Stale(m) => Error::Stale(m),
            other => Error::Store(other),
        }
    }
}

/// A use case's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Values computed once and shared (editions never change once stored).
type Cache<K, V> = Arc<RwLock<HashMap<K, Arc<V>>>>;

fn cached<K: std::hash::Hash + Eq, V>(cache: &Cache<K, V>, key: &K) -> Option<Arc<V>> {
    cache.read().ok().and_then(|c| c.get(key).cloned())
}

fn keep<K: std::hash::Hash + Eq, V>(cache: &Cache<K, V>, key: K, value: Arc<V>) {
    if let Ok(mut c) = cache.write() {
        c.insert(key, value);
    }
}

/// The application: the store and what is worth keeping between calls.
/// Cheap to clone (every clone shares the same store and caches).
#[derive(Clone)]
pub struct App {
    store: Store,
    editions: Cache<EditionName, Document>,
    changes: Cache<(EditionName, EditionName), EditionChanges>,
    proposals: Arc<Mutex<review::ProposalCache>>,
    subjects: Cache<i64, Document>,
    text_changes: Cache<
        (EditionName, EditionName),
        HashMap<kaitei_model::Key, kaitei_records::assessment::TextChange>,
    >,
    workers: usize,
}

impl App {
    /// The application over `store`.
    pub fn new(store: Store) -> App {
        App {
            store,
            editions: Arc::default(),
            changes: Arc::default(),
            proposals: Arc::default(),
            subjects: Arc::default(),
            text_changes: Arc::default(),
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }

    /// This application with `n` threads assessing the policies of a
    /// national run ([`App::assess`]; by default one per core); with none,
    /// each policy is assessed on the calling task as it is read.
    pub fn with_workers(self, n: usize) -> App {
        App { workers: n, ..self }
    }

    /// Opens the database at `url` (see [`Store::open`]).
    pub async fn open(url: &str) -> Result<App> {
        Ok(App::new(Store::open(url).await?))
    }

    /// Opens the database at `url` for a command that reads much of it
    /// once (see [`Store::open_mapped`]).
    pub async fn open_mapped(url: &str) -> Result<App> {
        Ok(App::new(Store::open_mapped(url).await?))
    }

    /// The data layer, for what is no more than a read or a write of it.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// Now, in Japan time: the clock the window rules are checked against
/// (the pure crates have none; both front ends take it from here).
pub fn now() -> kaitei_model::JstTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    kaitei_model::JstTime::from_unix(secs)
}

/// Runs CPU-heavy engine work off the async workers.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| Error::Internal(e.to_string()))
}

#[cfg(test)]
mod assessment_tests;
#[cfg(test)]
mod national_tests;
#[cfg(test)]
mod tests;
