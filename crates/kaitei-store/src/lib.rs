//! kaitei's storage: one data layer over SQLite (the embedded default, a
//! file in WAL mode) and, later, PostgreSQL.
//!
//! Documents are stored node by node — an edition, its nodes with keys,
//! labels, order, text and commentary — so that comments, impacts and
//! records can point at a node key. Queries are runtime `sqlx::query` with
//! `$1` placeholders through `sqlx::Any`, so one set of queries serves both
//! backends; each backend has its own migration folder with the same
//! versions (`migrations/<backend>/`).
//!
//! Architecture invariant: every write a caller is told succeeded has been
//! committed (SQLite runs with `synchronous=FULL`).

#![deny(missing_docs)]

mod accounts;
mod document_ref;
mod documents;
mod history;
mod review;
mod search;

use std::str::FromStr;

use sqlx::AnyPool;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers};

pub use accounts::{
    LoginError, MAX_FAILURES, Role, SESSION_LIFETIME, THROTTLE_WINDOW, User, hash_password,
    random_hex,
};
pub use document_ref::DocumentRef;
pub use documents::{CurrentPolicy, DocumentSummary};
pub use history::{MAX_CLAUSE_CHARS, Version};
pub use review::StoredDecision;
pub use search::{Hit, MAX_HITS, bigrams};

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or answered with an error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("could not update the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The URL names no backend kaitei has.
    #[error("unsupported database URL {0:?}: use sqlite://FILE (PostgreSQL support is coming)")]
    UnsupportedUrl(String),
    /// A document with the same identity is already stored.
    #[error("{0}")]
    Duplicate(String),
    /// Stored data kaitei cannot read back.
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// The document cannot be stored as it is.
    #[error("{0}")]
    Invalid(String),
    /// What the change was based on has changed meanwhile (another user's
    /// edit): nothing was written; look again and redo it.
    #[error("{0}")]
    Stale(String),
}

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
}

/// The data layer.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens (creating if needed) the database at `url` and brings its
    /// schema up to date. `sqlite://FILE` is a file relative to the current
    /// directory; `sqlite::memory:` an in-memory database (tests).
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            let url = if url.contains("mode=") || url.contains(":memory:") {
                url.to_string()
            } else if url.contains('?') {
                format!("{url}&mode=rwc")
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let memory = url.contains(":memory:");
        let pool = AnyPoolOptions::new()
            // One connection for an in-memory database: each would be its own.
            .max_connections(if memory { 1 } else { 4 })
            .after_connect(|conn, _| {
                Box::pin(async move {
                    use sqlx::Executor;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 5000").await?;
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        let store = Store { pool, backend };
        store.sync_bodies().await?;
        store.backfill_bigrams().await?;
        Ok(store)
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Copies the built-in body registry into the `bodies` table when the
    /// table does not hold all of it yet.
    async fn sync_bodies(&self) -> Result<(), StoreError> {
        let registry = kaitei_model::registry();
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bodies")
            .fetch_one(&self.pool)
            .await?;
        if count as usize == registry.all().len() {
            return Ok(());
        }
        let mut tx = self.pool.begin().await?;
        for chunk in registry.all().chunks(200) {
            let mut q = sqlx::QueryBuilder::<sqlx::Any>::new(
                "INSERT INTO bodies (code, kind, name, kana, prefecture_code) ",
            );
            q.push_values(chunk, |mut row, b| {
                row.push_bind(b.code.to_string())
                    .push_bind(b.kind.as_str())
                    .push_bind(b.name.clone())
                    .push_bind(b.kana.clone())
                    .push_bind(b.prefecture.to_string());
            });
            q.push(" ON CONFLICT (code) DO NOTHING");
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Indexes documents stored before the search index existed.
    async fn backfill_bigrams(&self) -> Result<(), StoreError> {
        let missing: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM documents WHERE id NOT IN (SELECT DISTINCT document_id FROM doc_bigrams)",
        )
        .fetch_all(&self.pool)
        .await?;
        for (id,) in missing {
            if let Some(doc) = self.load(id).await? {
                let mut tx = self.pool.begin().await?;
                Store::index_bigrams(&mut tx, id, &doc).await?;
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests;
