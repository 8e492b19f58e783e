//! A consistent copy of a live SQLite database (`VACUUM INTO`: one read
//! transaction, so writes going on meanwhile are either all in it or not
//! at all — never a file copy of a database in WAL mode), and the check of
//! a copy (`PRAGMA integrity_check`) before anyone relies on it.

use std::path::Path;

use sqlx::Connection;

use crate::{Backend, Store, StoreError};

impl Store {
    /// Writes a copy of this SQLite database to `path`, which must not
    /// exist. PostgreSQL databases are backed up with `pg_dump`.
    pub async fn backup_into(&self, path: &Path) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Invalid(
                "a PostgreSQL database is backed up with pg_dump (docs/operations.md)".into(),
            ));
        }
        let target = path.to_str().ok_or_else(|| {
            StoreError::Invalid(format!("{}: the path is not UTF-8", path.display()))
        })?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// The problems `PRAGMA integrity_check` finds in the SQLite file at
/// `path`, opened read-only (empty: the file is sound).
pub async fn integrity_problems(path: &Path) -> Result<Vec<String>, StoreError> {
    crate::install_default_drivers();
    let url = format!("sqlite://{}?mode=ro", path.display());
    let mut conn = sqlx::AnyConnection::connect(&url).await?;
    let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await?;
    conn.close().await?;
    Ok(rows
        .into_iter()
        .map(|(r,)| r)
        .filter(|r| r != "ok")
        .collect())
}
