//! Fresh databases for tests (this crate's and, through the `testing`
//! feature, other crates'), one per backend under test: SQLite always;
//! PostgreSQL when `KAITEI_TEST_POSTGRES` names a server that lets its user
//! create databases (`scripts/test.sh` starts one and sets it). Under CI
//! PostgreSQL is required: a run without it fails rather than skips.

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::{Connection, Executor};

use crate::Store;

/// One empty database, removed when dropped.
pub struct TestDb {
    /// Its URL, for `Store::open`.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    /// PostgreSQL: the server's URL and the database's name, to drop it.
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// Another empty database on the same server (PostgreSQL only): to
    /// restore a dump into.
    pub async fn sibling(&self) -> Option<TestDb> {
        let (server, _) = self.postgres.as_ref()?;
        Some(postgres(server).await)
    }

    /// The store over it.
    pub async fn open(&self) -> Store {
        Store::open(&self.url)
            .await
            .expect("open the test database")
    }
}

/// The folder of the databases kaitei 0006 made (`tests/fixtures/schema-0006/`,
/// its README says how), for the tests of upgrades.
pub fn schema_0006_fixtures() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-0006")
}

impl TestDb {
    /// Fills this empty database with the one kaitei made at schema
    /// version 6: the SQLite file copied in its place, or the PostgreSQL
    /// dump run into it. Panics when a fixture is missing or does not load:
    /// a test of upgrades never skips.
    pub async fn restore_schema_0006(&self) {
        let dir = schema_0006_fixtures();
        if let Some(path) = self.url.strip_prefix("sqlite://") {
            std::fs::copy(dir.join("kaitei.db"), path)
                .unwrap_or_else(|e| panic!("copy {}/kaitei.db: {e}", dir.display()));
            return;
        }
        let dump = std::fs::read_to_string(dir.join("postgres.sql"))
            .unwrap_or_else(|e| panic!("read {}/postgres.sql: {e}", dir.display()));
        // `\restrict KEY` and `\unrestrict KEY`, which pg_dump writes around
        // a plain dump since 15.14, are psql's meta-commands, not SQL; the
        // rest is plain statements, the data as INSERTs (`--inserts`), so
        // no COPY.
        let sql: String = dump
            .lines()
            .filter(|l| !l.starts_with("\\restrict ") && !l.starts_with("\\unrestrict "))
            .flat_map(|l| [l, "\n"])
            .collect();
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", self.url));
        // One connection of its own: the dump empties `search_path` for
        // the session it runs in.
        conn.execute(sqlx::raw_sql(&sql))
            .await
            .expect("restore the PostgreSQL dump of schema 0006");
        conn.close().await.expect("close the restoring connection");
    }
}

fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    TestDb {
        url: format!("sqlite://{}", dir.path().join("kaitei.db").display()),
        _dir: Some(dir),
        postgres: None,
    }
}

/// `postgres://…/postgres` → `postgres://…/name`.
fn with_database(server: &str, name: &str) -> String {
    let (base, _) = server.rsplit_once('/').expect("a URL with a database");
    format!("{base}/{name}")
}

async fn postgres(server: &str) -> TestDb {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    sqlx::any::install_default_drivers();
    let name = format!(
        "kaitei_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = sqlx::AnyConnection::connect(server)
        .await
        .unwrap_or_else(|e| panic!("KAITEI_TEST_POSTGRES={server}: {e}"));
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await
        .expect("drop an old test database");
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create a test database");
    TestDb {
        url: with_database(server, &name),
        _dir: None,
        postgres: Some((server.to_string(), name)),
    }
}

/// A fresh database of each backend under test.
pub async fn databases() -> Vec<TestDb> {
    let mut out = vec![sqlite()];
    match std::env::var("KAITEI_TEST_POSTGRES") {
        Ok(server) if !server.is_empty() => out.push(postgres(&server).await),
        _ if std::env::var_os("CI").is_some() => {
            panic!(
                "CI is set but KAITEI_TEST_POSTGRES is not: the PostgreSQL backend must be tested"
            )
        }
        _ => {}
    }
    out
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Dropped from async tests: a thread of its own with its own runtime.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let mut admin = sqlx::AnyConnection::connect(&server).await.ok()?;
                // WITH (FORCE) ends the test's own sessions left open, but
                // fails outright while an autovacuum worker is in the
                // database (not this role's to end; likely after a bulk
                // load such as a restored dump); a plain DROP ends such a
                // worker itself. So one, then the other, a few times.
                let force = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let plain = format!("DROP DATABASE IF EXISTS {name}");
                for _ in 0..3 {
                    for sql in [&force, &plain] {
                        if admin.execute(sql.as_str()).await.is_ok() {
                            return Some(());
                        }
                    }
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
                None
            })
        })
        .join();
    }
}
