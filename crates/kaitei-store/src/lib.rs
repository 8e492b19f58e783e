//! kaitei's storage: one data layer over SQLite (the embedded default, a
//! file in WAL mode) and PostgreSQL (several servers sharing one database).
//!
//! Documents are stored node by node — an edition, its nodes with keys,
//! labels, order, text and commentary — so that comments, impacts and
//! records can point at a node key. Queries are runtime `sqlx::query` with
//! `$1` placeholders through `sqlx::Any`, so one set of queries serves both
//! backends; each backend has its own migration folder with the same
//! versions (`migrations/<backend>/`). Opening sets up a new database and
//! upgrades SQLite; a PostgreSQL schema that is behind is upgraded only by
//! [`Store::open_migrating`] (`kaitei migrate`), and a schema newer than
//! this binary's is refused everywhere (`schema.rs`).
//!
//! Architecture invariant: every write a caller is told succeeded has been
//! committed (SQLite runs with `synchronous=FULL`).
//!
//! Architecture invariant: every write runs in a transaction begun by
//! `Store::begin_write` and is retried whole by `Store::retrying` when the
//! database refused it for a moment (lock contention), never when it may
//! have been committed. On SQLite a write transaction starts as the writer
//! (`BEGIN IMMEDIATE`), so it waits its turn (busy timeout) instead of
//! failing at once when it would have to upgrade a read lock; on
//! PostgreSQL a transaction that reads before it writes first locks what
//! it depends on (the document's row, `Store::lock_document`; a login
//! name, in `accounts`).

#![deny(missing_docs)]

mod accounts;
mod answers;
mod assessment;
pub mod audit;
mod backup;
mod changes;
mod comment_review;
mod consultations;
mod corpus;
mod cycle;
mod disposal;
mod document_ref;
mod documents;
mod drafts;
mod history;
mod linkage;
mod organs;
mod packed;
mod review;
mod revisions;
mod schema;
mod search;
mod sql;
mod statistics;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
mod texts;

use std::str::FromStr;

use argon2::password_hash::rand_core::{OsRng, RngCore};
use sqlx::AnyPool;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers};

use schema::Behind;

pub use accounts::{
    LOGIN_WAIT, LoginError, MAX_FAILURES, Role, SESSION_LIFETIME, THROTTLE_WINDOW, User,
    hash_password, random_hex,
};
pub use answers::{Answer, Progress, Respondent, Saved, StoredComment};
pub use assessment::{Evidence, StoredAnswer};
pub use audit::{Actor, AuditEvent, AuditFilter, Head, Verification, acting};
pub use backup::integrity_problems;
pub use changes::LOOK_EVERY;
pub use comment_review::{ClusterEdit, ConfirmedAnchor, ReceivedComment};
pub use consultations::Consultation;
pub use cycle::{Cycle, MAX_NOTE_CHARS, MAX_TITLE_CHARS, Milestone, Topic};
pub use disposal::{Attachment, AttachmentKind, Imported, MAX_ATTACHMENT_BYTES};
pub use document_ref::{DocumentRef, DocumentRefError};
pub use documents::{CurrentPolicy, DocumentSummary, OutlineShapes, PolicyOutline, PolicyScope};
pub use drafts::{DraftChange, DraftNote, DraftSummary};
pub use history::{MAX_CLAUSE_CHARS, Version};
pub use review::StoredDecision;
pub use schema::SchemaUpgrade;
pub use search::{Found, Hit, MAX_HITS, bigrams};

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
    #[error(
        "unsupported database URL {0:?}: use sqlite://FILE or postgres://USER:PASSWORD@HOST/DATABASE"
    )]
    UnsupportedUrl(String),
    /// The database's schema is newer than this binary's.
    #[error(
        "the database's schema is at version {found}, newer than this kaitei knows ({known}): \
         run the kaitei that upgraded it, or a newer one"
    )]
    NewerSchema {
        /// The schema version found.
        found: i64,
        /// The newest this binary knows.
        known: i64,
    },
    /// The database's schema is older than this binary's, on a backend
    /// that is upgraded only explicitly (PostgreSQL: `kaitei migrate`).
    #[error(
        "the database's schema is at version {found}, older than this kaitei's ({known}): \
         back the database up, then run `kaitei migrate --db URL` to upgrade it"
    )]
    OlderSchema {
        /// The schema version found.
        found: i64,
        /// The newest this binary knows.
        known: i64,
    },
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

/// `url` as it may be shown — in messages, logs and on the terminal —
/// with any password replaced by `***`
/// (`postgres://kaitei:***@db.example/kaitei`).
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // The user information ends at the last `@` before the path.
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some(at) = authority.rfind('@') else {
        return url.to_string();
    };
    let user_info = &authority[..at];
    let user = match user_info.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None => user_info.to_string(),
    };
    format!("{scheme}://{user}{}", &rest[at..])
}

/// The file of an SQLite database URL (`sqlite://kaitei.db`,
/// `sqlite:///srv/kaitei.db?mode=rw` …); `None` for an in-memory database
/// or another backend. Lets a command that only reads tell "no database
/// here" from "not in the database", instead of creating an empty one.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    (!path.is_empty() && !path.contains(":memory:")).then(|| std::path::PathBuf::from(path))
}

/// How many times in all [`Store::retrying`] tries a write transaction.
pub(crate) const WRITE_ATTEMPTS: u32 = 5;

/// How SQLite reads the database file ([`Store::open_mapped`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// Into each connection's own page cache (SQLite's default).
    Copied,
    /// Through memory-mapped I/O.
    Mapped,
}

/// Which database the store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file.
    Sqlite,
    /// A PostgreSQL database (production, several servers).
    Postgres,
}

/// The data layer.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// What a search reads, kept in memory (shared by every clone).
    corpus: std::sync::Arc<corpus::Corpus>,
    /// Whether anything was committed since a moment ago (shared by every clone).
    changes: std::sync::Arc<changes::Changes>,
    /// An in-memory SQLite database: only this process writes it.
    in_memory: bool,
}

impl Store {
    /// Opens (creating if needed) the database at `url` for the commands
    /// and servers that use it. `sqlite://FILE` is a file relative to the
    /// current directory; `sqlite::memory:` an in-memory database (tests);
    /// `postgres://USER:PASSWORD@HOST/DATABASE` a PostgreSQL database
    /// (which must exist).
    ///
    /// A new database is set up. SQLite, the embedded default, is brought up
    /// to date on opening. PostgreSQL is shared by several servers, so an
    /// upgrade there is the operator's explicit step, after a backup and
    /// with the servers stopped: a schema that is behind is refused
    /// ([`StoreError::OlderSchema`]; [`Store::open_migrating`] upgrades).
    /// Every backend refuses a schema newer than this binary's
    /// ([`StoreError::NewerSchema`]).
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, Behind::Refuse, Reads::Copied)
            .await
            .map(|(store, _)| store)
    }

    /// [`Store::open`] for a command that reads much of the database once
    /// and ends: SQLite maps the file into memory and reads straight from
    /// the operating system's page cache, which every connection shares,
    /// instead of each connection copying pages into a cache of its own (a
    /// national run's placeholder words, megabytes of texts on fresh
    /// connections: 160 → 60 ms). Writes go through the journal as
    /// before. The server does not use it: the pages it maps would count
    /// in its resident memory, and its reads are few and kept warm.
    pub async fn open_mapped(url: &str) -> Result<Store, StoreError> {
        Store::open_with(url, Behind::Refuse, Reads::Mapped)
            .await
            .map(|(store, _)| store)
    }

    /// Opens the database at `url` as [`Store::open`] does and brings its
    /// schema up to date on every backend (`kaitei migrate`), saying from
    /// which version to which.
    pub async fn open_migrating(url: &str) -> Result<(Store, SchemaUpgrade), StoreError> {
        Store::open_with(url, Behind::Upgrade, Reads::Copied).await
    }

    /// [`Store::open`], with what PostgreSQL does when behind (SQLite is
    /// always upgraded).
    async fn open_with(
        url: &str,
        behind: Behind,
        reads: Reads,
    ) -> Result<(Store, SchemaUpgrade), StoreError> {
        install_default_drivers();
        let (pool, backend, upgraded) = if url.starts_with("sqlite:") {
            let pool = Store::open_sqlite(url, reads).await?;
            let upgraded = schema::prepare(&pool, Backend::Sqlite, Behind::Upgrade).await?;
            (pool, Backend::Sqlite, upgraded)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = AnyPoolOptions::new()
                .max_connections(8)
                .connect_with(AnyConnectOptions::from_str(url)?)
                .await?;
            let upgraded = schema::prepare(&pool, Backend::Postgres, behind).await?;
            (pool, Backend::Postgres, upgraded)
        } else {
            return Err(StoreError::UnsupportedUrl(redact_url(url)));
        };
        let store = Store {
            pool,
            backend,
            corpus: Default::default(),
            changes: Default::default(),
            in_memory: url.contains(":memory:"),
        };
        store.sync_bodies().await?;
        store.index_now().await?;
        // Events a server committed but did not live to chain.
        store.seal_pending().await?;
        if upgraded.from != 0 && upgraded.from != upgraded.to {
            store.record_upgrade(&upgraded).await?;
        }
        Ok((store, upgraded))
    }

    /// Writes the schema's upgrade to the audit trail: it changes what
    /// every later event is stored in.
    async fn record_upgrade(&self, upgraded: &SchemaUpgrade) -> Result<(), StoreError> {
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            let subject = format!("schema version {} → {}", upgraded.from, upgraded.to);
            let change = audit::Change::new("schema.upgrade", subject)
                .before(format!("version {}", upgraded.from))
                .after(format!("version {}", upgraded.to));
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    async fn open_sqlite(url: &str, reads: Reads) -> Result<AnyPool, StoreError> {
        let url = if url.contains("mode=") || url.contains(":memory:") {
            url.to_string()
        } else if url.contains('?') {
            format!("{url}&mode=rwc")
        } else {
            format!("{url}?mode=rwc")
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let memory = url.contains(":memory:");
        Ok(AnyPoolOptions::new()
            // One connection for an in-memory database: each would be its own.
            .max_connections(if memory { 1 } else { 4 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    use sqlx::Executor;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    conn.execute("PRAGMA busy_timeout = 5000").await?;
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    // 64 MB of page cache (taken only as used; SQLite's
                    // default is 2 MB): an import dirties pages all over
                    // the search index, and a transaction whose pages do
                    // not fit spills them to the WAL and writes them again.
                    conn.execute("PRAGMA cache_size = -65536").await?;
                    if reads == Reads::Mapped {
                        // Up to 1 GiB of the file (see `Store::open_mapped`).
                        conn.execute("PRAGMA mmap_size = 1073741824").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?)
    }

    /// The schema's version: the last migration applied.
    pub async fn schema_version(&self) -> Result<i64, StoreError> {
        let (v,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?;
        Ok(v.unwrap_or(0))
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Begins a transaction that will write. On SQLite it takes the
    /// database's write lock at once (`BEGIN IMMEDIATE`), waiting up to the
    /// busy timeout for another writer to finish: a transaction begun as a
    /// reader that later writes must upgrade its lock, and SQLite refuses
    /// that at once, without waiting ("database is locked"), whenever
    /// another connection wrote meanwhile. WAL readers are never blocked.
    /// On PostgreSQL it is an ordinary (read committed) transaction; what
    /// it reads and then relies on is locked explicitly.
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Any>, StoreError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// Locks document `id` for the rest of transaction `tx` (begun by
    /// [`Store::begin_write`]) and says whether it exists. Every write to a
    /// stored document takes this first, so that two writers of one
    /// document run one after the other and each sees what the other
    /// committed: PostgreSQL locks the row (`FOR UPDATE`); SQLite needs
    /// nothing more, since `BEGIN IMMEDIATE` already made the transaction
    /// the database's only writer.
    pub(crate) async fn lock_document(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        id: i64,
    ) -> Result<bool, StoreError> {
        let row: Option<(i64,)> =
            sqlx::query_as(&self.locking("SELECT id FROM documents WHERE id = $1"))
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        Ok(row.is_some())
    }

    /// `select` (one table's rows) made to lock what it reads for the rest
    /// of a transaction begun by [`Store::begin_write`]: `FOR UPDATE` on
    /// PostgreSQL; as it is on SQLite, whose write transaction already
    /// excludes every other writer.
    pub(crate) fn locking(&self, select: &str) -> String {
        match self.backend {
            Backend::Sqlite => select.to_string(),
            Backend::Postgres => format!("{select} FOR UPDATE"),
        }
    }

    /// Runs `attempt` — one whole write transaction — and runs it again,
    /// up to [`WRITE_ATTEMPTS`] times in all with a short growing pause,
    /// while it fails only because the database could not take a lock in
    /// time ([`Store::is_transient`]). Such a failure leaves nothing
    /// written, and a new attempt reads everything again, so its checks
    /// (a stale base, a duplicate) are made against what is there now.
    pub(crate) async fn retrying<T, F, Fut>(&self, mut attempt: F) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, StoreError>>,
    {
        let mut tries = 1;
        loop {
            match attempt().await {
                Err(e) if tries < WRITE_ATTEMPTS && self.is_transient(&e) => {
                    // Spread out, so that writers who collided do not
                    // collide again.
                    let jitter = u64::from(OsRng.next_u32() % 20);
                    tokio::time::sleep(std::time::Duration::from_millis((10 << tries) + jitter))
                        .await;
                    tries += 1;
                }
                other => return other,
            }
        }
    }

    /// Whether `e` only says the database could not take a lock in time,
    /// with the transaction rolled back: SQLite's `SQLITE_BUSY` and
    /// `SQLITE_LOCKED` (with their extended codes), PostgreSQL's
    /// serialization failure and deadlock. A lost connection is not
    /// transient here: a commit may have happened.
    pub(crate) fn is_transient(&self, e: &StoreError) -> bool {
        let StoreError::Database(sqlx::Error::Database(db)) = e else {
            return false;
        };
        let Some(code) = db.code() else {
            return false;
        };
        match self.backend {
            Backend::Sqlite => code.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6)),
            Backend::Postgres => matches!(code.as_ref(), "40001" | "40P01"),
        }
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
        self.retrying(|| self.insert_bodies(registry.all())).await
    }

    /// One attempt at [`Store::sync_bodies`]: the bodies a table lacks.
    async fn insert_bodies(&self, bodies: &[kaitei_model::Body]) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        for chunk in bodies.chunks(200) {
            let sql = sql::insert_values(
                &tx,
                "INSERT INTO bodies (code, kind, name, kana, prefecture_code)",
                5,
                chunk.len(),
                " ON CONFLICT (code) DO NOTHING",
            );
            let mut q = sqlx::query(&sql);
            for b in chunk {
                q = q
                    .bind(b.code.to_string())
                    .bind(b.kind.as_str())
                    .bind(b.name.clone())
                    .bind(b.kana.clone())
                    .bind(b.prefecture.to_string());
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        self.committed();
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
mod audit_tests;
#[cfg(test)]
mod concurrency_tests;
#[cfg(test)]
mod cycle_tests;
#[cfg(test)]
mod linkage_tests;
#[cfg(test)]
mod migration_0017_tests;
#[cfg(test)]
mod records_tests;
#[cfg(test)]
mod restore_tests;
#[cfg(test)]
mod search_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod upgrade_tests;

#[cfg(test)]
mod redact_tests {
    use super::{redact_url, sqlite_file};

    #[test]
    fn an_sqlite_url_names_its_file() {
        assert_eq!(sqlite_file("sqlite://kaitei.db"), Some("kaitei.db".into()));
        assert_eq!(
            sqlite_file("sqlite:///srv/kaitei.db?mode=rw"),
            Some("/srv/kaitei.db".into())
        );
        assert_eq!(sqlite_file("sqlite:kaitei.db"), Some("kaitei.db".into()));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://u:p@h/d"), None);
    }

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact_url("postgres://kaitei:s3cr@t:x@db.example:5432/kaitei?sslmode=require"),
            "postgres://kaitei:***@db.example:5432/kaitei?sslmode=require"
        );
        assert_eq!(
            redact_url("postgresql://kaitei@db/k"),
            "postgresql://kaitei@db/k"
        );
        assert_eq!(redact_url("sqlite://kaitei.db"), "sqlite://kaitei.db");
        assert_eq!(
            redact_url("sqlite:///srv/a@b/kaitei.db"),
            "sqlite:///srv/a@b/kaitei.db"
        );
    }
}
