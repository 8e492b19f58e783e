//! Whether the data changed since a moment ago: a counter that rises
//! with every commit this process makes and, looked at no more than every
//! [`LOOK_EVERY`], with the commits other processes made (another server
//! over the same PostgreSQL database, a command on the same SQLite file).
//!
//! What the server keeps rendered is keyed by this counter
//! (`kaitei-server`'s page cache), so a page is never served from before a
//! change this process committed, and at most [`LOOK_EVERY`] after one
//! committed elsewhere.
//!
//! Another process's commit is seen through the database's own mark of
//! change: SQLite's `PRAGMA data_version` on a connection of its own (it
//! moves when any *other* connection commits), PostgreSQL's WAL insert
//! position (it moves with every commit record). The mark may move a
//! moment before the commit is visible to readers (PostgreSQL writes the
//! commit record first), so a move raises the counter twice: when it is
//! seen and again at the next look, which makes anything rendered in
//! between unreachable.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sqlx::{AnyConnection, Connection};

use crate::{Backend, Store, StoreError};

/// How often, at most, the database is asked whether another process
/// committed.
pub const LOOK_EVERY: Duration = Duration::from_millis(100);

/// The counter and what it last saw of the database.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    counter: AtomicU64,
    looked: Mutex<Looked>,
    /// SQLite's connection of its own (its `data_version` counts the
    /// commits of every other connection); held while looking.
    own: tokio::sync::Mutex<Option<AnyConnection>>,
}

#[derive(Debug, Default)]
struct Looked {
    at: Option<Instant>,
    mark: Option<String>,
    /// The mark moved at the last look: raise again at the next.
    again: bool,
}

impl Changes {
    /// Raises the counter: something was committed.
    pub(crate) fn raise(&self) {
        self.counter.fetch_add(1, Ordering::SeqCst);
    }

    fn now(&self) -> u64 {
        self.counter.load(Ordering::SeqCst)
    }

    /// Whether it is time to look at the database again.
    fn due(&self) -> bool {
        self.looked
            .lock()
            .map_or(true, |l| l.at.is_none_or(|at| at.elapsed() >= LOOK_EVERY))
    }

    /// Takes in the database's mark, raising the counter on a move (and
    /// once more at the look after one).
    fn saw(&self, mark: Option<String>) {
        let Ok(mut looked) = self.looked.lock() else {
            return;
        };
        let first = looked.at.is_none();
        looked.at = Some(Instant::now());
        let moved = !first && looked.mark != mark;
        if moved || looked.again {
            self.raise();
        }
        looked.again = moved;
        looked.mark = mark;
    }
}

impl Store {
    /// The change counter: equal on two calls only if nothing was
    /// committed by this process in between, nor (looking at most every
    /// [`LOOK_EVERY`]) by another. Cheap: at most one call in
    /// [`LOOK_EVERY`] asks the database, and none waits for another's look.
    pub async fn changes(&self) -> Result<u64, StoreError> {
        if self.changes.due()
            && let Ok(mut own) = self.changes.own.try_lock()
            && self.changes.due()
        {
            let mark = self.change_mark(&mut own).await?;
            self.changes.saw(mark);
        }
        Ok(self.changes.now())
    }

    /// Counts a commit this process made.
    pub(crate) fn committed(&self) {
        self.changes.raise();
    }

    /// The database's mark of change (`None` where only this process can
    /// write: an in-memory SQLite database).
    async fn change_mark(
        &self,
        own: &mut Option<AnyConnection>,
    ) -> Result<Option<String>, StoreError> {
        match self.backend {
            Backend::Postgres => {
                let (mark,): (String,) = sqlx::query_as("SELECT pg_current_wal_insert_lsn()::TEXT")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(Some(mark))
            }
            Backend::Sqlite if self.in_memory => Ok(None),
            Backend::Sqlite => {
                if own.is_none() {
                    let options = self.pool.connect_options();
                    *own = Some(AnyConnection::connect_with(&options).await?);
                }
                let Some(conn) = own.as_mut() else {
                    return Ok(None);
                };
                let read: Result<(i64,), _> = sqlx::query_as("PRAGMA data_version")
                    .fetch_one(&mut *conn)
                    .await;
                match read {
                    Ok((version,)) => Ok(Some(version.to_string())),
                    Err(e) => {
                        // A connection that failed is opened again next time.
                        *own = None;
                        Err(e.into())
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_move_raises_twice_and_a_still_mark_never() {
        let c = Changes::default();
        c.saw(Some("1".into()));
        assert_eq!(c.now(), 0, "the first look only learns the mark");
        c.saw(Some("1".into()));
        assert_eq!(c.now(), 0);
        c.saw(Some("2".into()));
        assert_eq!(c.now(), 1, "a move raises");
        c.saw(Some("2".into()));
        assert_eq!(c.now(), 2, "and the look after raises again");
        c.saw(Some("2".into()));
        assert_eq!(c.now(), 2);
        c.raise();
        assert_eq!(c.now(), 3, "a commit of this process raises");
    }
}
