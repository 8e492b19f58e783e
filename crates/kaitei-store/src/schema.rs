//! The schema's version on opening: a new database is set up, a database a
//! newer kaitei upgraded is refused, and one that is behind is upgraded or
//! refused as the caller asks (`Behind`).

use sqlx::AnyPool;
use sqlx::migrate::{Migrate, Migrator};

use crate::{Backend, StoreError};

/// What opening does with a schema older than this binary's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Behind {
    /// Apply the missing migrations.
    Upgrade,
    /// Refuse with [`StoreError::OlderSchema`]: the operator upgrades
    /// explicitly (`kaitei migrate`), after a backup, while no server runs.
    Refuse,
}

/// A schema brought up to date: the version it was at and the one it is at
/// now (equal when nothing was to do; `from` is 0 for a new database).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaUpgrade {
    /// The newest migration applied before opening (0: none, a new database).
    pub from: i64,
    /// The newest migration applied now.
    pub to: i64,
}

/// The migrations of `backend`, compiled in.
pub(crate) fn migrator(backend: Backend) -> Migrator {
    match backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
    }
}

/// The newest migration `migrator` knows: the schema this binary expects.
pub(crate) fn newest(migrator: &Migrator) -> i64 {
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Brings the schema of the `backend` database behind `pool` to the newest
/// version this binary has, or refuses: a newer schema always, an older one
/// (not empty) when `behind` says so. A database without migrations is new
/// and is always set up.
///
/// The decision and the migrations run under sqlx's migration lock (an
/// advisory lock on PostgreSQL; nothing on SQLite, whose writers queue
/// anyway), so that servers starting together on a new database take turns:
/// one sets it up while the others wait, and they then find it current
/// instead of half-made and "behind".
pub(crate) async fn prepare(
    pool: &AnyPool,
    backend: Backend,
    behind: Behind,
) -> Result<SchemaUpgrade, StoreError> {
    let mut migrator = migrator(backend);
    let mut conn = pool.acquire().await?;
    conn.lock().await?;
    // The lock is held from here on, on this connection: sqlx must not take
    // it again (nor release it early).
    migrator.set_locking(false);
    let outcome = decide_and_run(&mut conn, backend, &migrator, behind).await;
    // Released whatever happened above (sqlx's own unlock is skipped when a
    // migration fails). Where that fails, the connection goes: a PostgreSQL
    // advisory lock belongs to its session and must not stay held by a
    // connection back in the pool. (Never closed otherwise: an in-memory
    // SQLite database lives only as long as its one connection.)
    if let Err(e) = conn.unlock().await {
        // Gone either way; what went wrong is said below.
        let _closed = conn.close().await;
        outcome?;
        return Err(e.into());
    }
    outcome
}

/// [`prepare`] once the lock is held on `conn`.
async fn decide_and_run(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    migrator: &Migrator,
    behind: Behind,
) -> Result<SchemaUpgrade, StoreError> {
    let known = newest(migrator);
    let found = applied(conn, backend).await?;
    if found > known {
        // This binary would not know its tables (sqlx would say only that
        // a migration is "missing").
        return Err(StoreError::NewerSchema { found, known });
    }
    if found > 0 && found < known && behind == Behind::Refuse {
        return Err(StoreError::OlderSchema { found, known });
    }
    // Run even when current: sqlx then checks that the migrations applied
    // are the ones this binary has (their checksums).
    run(conn, backend, migrator).await?;
    Ok(SchemaUpgrade {
        from: found,
        to: known,
    })
}

/// Runs the migrations. sqlx takes no lock around SQLite migrations, so two
/// processes opening one file that needs migrating at the same moment —
/// two servers started together after an upgrade — both apply the same
/// migration: the second waits for the first's transaction, then fails
/// (`table … already exists`) and is rolled back whole. It is run again as
/// long as the other process got further meanwhile, and then finds those
/// migrations done, or is still at it (a migration longer than the busy
/// timeout: up to a minute more); any other failure is a real one.
async fn run(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    migrator: &Migrator,
) -> Result<(), StoreError> {
    let mut waits = 0;
    loop {
        let before = applied(conn, backend).await?;
        match migrator.run(&mut *conn).await {
            Ok(()) => return Ok(()),
            Err(_) if backend == Backend::Sqlite && applied(conn, backend).await? > before => {}
            Err(e) if backend == Backend::Sqlite && waits < 12 && locked(&e) => waits += 1,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Whether a migration failed only because another connection held the
/// database's write lock past the busy timeout (`SQLITE_BUSY`,
/// `SQLITE_LOCKED`).
fn locked(e: &sqlx::migrate::MigrateError) -> bool {
    use sqlx::migrate::MigrateError::{Execute, ExecuteMigration};
    let (Execute(sqlx::Error::Database(db)) | ExecuteMigration(sqlx::Error::Database(db), _)) = e
    else {
        return false;
    };
    db.code()
        .and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

/// The newest migration applied to the database on `conn`: 0 when there is
/// none, or not even sqlx's table of them (a new database). Asked of the
/// catalogue rather than made with `CREATE TABLE IF NOT EXISTS`, which
/// PostgreSQL answers with a notice the server would log before refusing.
async fn applied(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<i64, StoreError> {
    let exists = match backend {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'"
        }
        // Found through the search path, as the query below finds it.
        Backend::Postgres => "SELECT COUNT(to_regclass('_sqlx_migrations'))",
    };
    let (tables,): (i64,) = sqlx::query_as(exists).fetch_one(&mut *conn).await?;
    if tables == 0 {
        return Ok(0);
    }
    let (found,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *conn)
            .await?;
    Ok(found.unwrap_or(0))
}
