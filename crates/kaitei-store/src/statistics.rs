//! The query planner's statistics after a bulk load.
//!
//! PostgreSQL chooses plans from statistics its autovacuum daemon gathers
//! in the background, once a tenth of a table has changed — some time
//! after a national import, during which the first national runs were
//! planned on an empty database's figures (a national impact 1.13 s right
//! after the import, 0.7–0.9 s once settled). [`Store::refresh_statistics`]
//! does at once what the daemon would do later, for the tables that have
//! grown that much. SQLite plans from its indexes alone: there is nothing
//! to do.

use crate::{Backend, Store, StoreError};

/// The share of a table's rows that must have changed since its last
/// analysis for [`Store::refresh_statistics`] to analyse it again:
/// PostgreSQL's own default (`autovacuum_analyze_scale_factor`).
const CHANGED_SHARE: f64 = 0.1;

/// And the rows that must have changed besides (`autovacuum_analyze_threshold`).
const CHANGED_ROWS: i64 = 50;

impl Store {
    /// Analyses, now, each table whose statistics autovacuum would soon
    /// refresh (see the module's documentation); returns their names. On
    /// SQLite, none.
    pub async fn refresh_statistics(&self) -> Result<Vec<String>, StoreError> {
        if self.backend() != Backend::Postgres {
            return Ok(Vec::new());
        }
        let tables: Vec<(String,)> = sqlx::query_as(
            "SELECT s.relname::text FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid \
             WHERE s.schemaname = current_schema() \
             AND s.n_mod_since_analyze > $1 + $2 * GREATEST(c.reltuples, 0) \
             ORDER BY s.relname",
        )
        .bind(CHANGED_ROWS)
        .bind(CHANGED_SHARE)
        .fetch_all(&self.pool)
        .await?;
        for (table,) in &tables {
            // A name from the catalogue, quoted: never text from a user.
            sqlx::query(&format!("ANALYZE \"{}\"", table.replace('"', "\"\"")))
                .execute(&self.pool)
                .await?;
        }
        Ok(tables.into_iter().map(|(t,)| t).collect())
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use crate::Backend;
    use crate::testing::databases;

    /// After a load, the grown tables are analysed at once on PostgreSQL
    /// (and then not again until they grow again); SQLite has nothing to do.
    #[tokio::test]
    async fn a_load_is_followed_by_fresh_statistics() {
        for db in databases().await {
            let store = db.open().await;
            let source = std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../fixtures/guideline/r6-10.md"
            ))
            .unwrap();
            let parsed = kaitei_format::authoring::parse(&source);
            store.import(&parsed.document).await.unwrap();
            if store.backend() == Backend::Sqlite {
                assert!(store.refresh_statistics().await.unwrap().is_empty());
                continue;
            }
            // A server publishes a session's counts of changed rows up to
            // a second or so after its commit.
            let deadline = Instant::now() + Duration::from_secs(20);
            let analysed = loop {
                let analysed = store.refresh_statistics().await.unwrap();
                if analysed.iter().any(|t| t == "node_rows") || Instant::now() > deadline {
                    break analysed;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            };
            assert!(analysed.iter().any(|t| t == "node_rows"), "{analysed:?}");
            let (last,): (Option<String>,) = sqlx::query_as(
                "SELECT CAST(last_analyze AS TEXT) FROM pg_stat_user_tables WHERE relname = 'node_rows'",
            )
            .fetch_one(&store.pool)
            .await
            .unwrap();
            assert!(last.is_some(), "node_rows analysed");
            let again = store.refresh_statistics().await.unwrap();
            assert!(!again.iter().any(|t| t == "node_rows"), "{again:?}");
        }
    }
}
