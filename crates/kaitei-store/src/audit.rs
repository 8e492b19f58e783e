//! The audit trail: one event for every state change, appended in the
//! transaction that makes the change and chained by SHA-256, so that
//! someone who can write to the tables cannot edit, insert, delete or
//! reorder events unseen; cutting the end off or rewriting and rehashing
//! the whole chain is caught against a head (count and hash) exported and
//! kept apart ([`Store::audit_head`]).
//!
//! Who acted is the scope's [`Actor`]: the web server runs each request
//! inside [`acting`] with the signed-in user (or `anonymous`); outside any
//! scope — the command line — it is the operating-system user.
//!
//! Architecture invariant: every write transaction that changes state
//! calls [`Store::audit`] before it commits, and commits through
//! [`Store::commit`].
//!
//! Chaining without one queue for every writer: on SQLite a write
//! transaction is the database's only writer anyway, so the event is
//! chained as it is written. On PostgreSQL the event is written pending
//! (no position) and chained right after the commit by whichever server
//! holds the chain's lock at that moment ([`Store::seal_pending`]); a
//! writer never waits for that lock, so concurrent writers never wait for
//! one another because of the trail.

use std::fmt;
use std::future::Future;

pub use kaitei_model::audit::AuditEvent;
use kaitei_model::date::Date;
use kaitei_model::time::JstTime;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Backend, Store, StoreError};

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Events chained by one sealing transaction at most.
const SEAL_BATCH: i64 = 500;

/// Events read at a time while verifying.
const VERIFY_PAGE: i64 = 5_000;

tokio::task_local! {
    static ACTOR: Actor;
}

/// Who made a change, as recorded: `user:LOGIN`, `os:NAME` or `anonymous`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(String);

impl Actor {
    /// A signed-in user of the web application.
    pub fn user(login: &str) -> Actor {
        Actor(format!("user:{login}"))
    }

    /// Someone not signed in (a sign-in attempt).
    pub fn anonymous() -> Actor {
        Actor("anonymous".into())
    }

    /// The operating-system user running this process: who acted through
    /// the command line. The account of the process's user id where the
    /// system says (a variable like `USER` is the user's to set), else
    /// `USER`/`LOGNAME`, else the bare user id.
    pub fn os() -> Actor {
        let uid = process_uid();
        let name = uid
            .and_then(account_name)
            .or_else(|| {
                ["USER", "LOGNAME", "USERNAME"]
                    .iter()
                    .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
            })
            .or_else(|| uid.map(|u| format!("uid{u}")))
            .unwrap_or_else(|| "unknown".into());
        Actor(format!("os:{name}"))
    }

    /// As recorded.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The actor of the current scope ([`acting`]), else the OS user.
    pub fn current() -> Actor {
        ACTOR.try_with(Actor::clone).unwrap_or_else(|_| Actor::os())
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The user id this process runs as (the owner of its `/proc` entry).
fn process_uid() -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").ok().map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The login name of user id `uid` in `/etc/passwd`.
fn account_name(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id = fields.nth(1)?;
        (id.parse::<u32>().ok()? == uid && !name.is_empty()).then(|| name.to_string())
    })
}

/// Runs `f` with `actor` as the one every change it makes is recorded by.
pub async fn acting<F: Future>(actor: Actor, f: F) -> F::Output {
    ACTOR.scope(actor, f).await
}

/// SHA-256 of `bytes`, as 64 hex digits: the digests of before and after.
pub fn digest(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// One change to record.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    action: &'static str,
    subject: String,
    body: Option<String>,
    before: Option<String>,
    after: Option<String>,
    actor: Option<Actor>,
}

impl Change {
    /// `action` (a dotted word: `clause.edit`) on `subject`.
    pub(crate) fn new(action: &'static str, subject: impl Into<String>) -> Change {
        Change {
            action,
            subject: subject.into(),
            body: None,
            before: None,
            after: None,
            actor: None,
        }
    }

    /// `what` added to the subject (a clause of a document).
    pub(crate) fn about(mut self, what: &str) -> Change {
        self.subject = format!("{} {what}", self.subject);
        self
    }

    /// The body the change concerns.
    pub(crate) fn body(mut self, code: Option<impl fmt::Display>) -> Change {
        self.body = code.map(|c| c.to_string());
        self
    }

    /// The state before, as bytes to digest.
    pub(crate) fn before(mut self, state: impl AsRef<[u8]>) -> Change {
        self.before = Some(digest(state.as_ref()));
        self
    }

    /// The state after, as bytes to digest.
    pub(crate) fn after(mut self, state: impl AsRef<[u8]>) -> Change {
        self.after = Some(digest(state.as_ref()));
        self
    }

    /// Recorded by `actor` whatever the scope says (a sign-in is the
    /// user's own act, made while still anonymous).
    pub(crate) fn by(mut self, actor: Actor) -> Change {
        self.actor = Some(actor);
        self
    }
}

/// The chain's head: how many events are chained and the last one's hash.
/// Written and read as `COUNT:HASH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// Events chained.
    pub count: i64,
    /// The last one's hash ([`GENESIS`] when there is none).
    pub hash: String,
}

impl fmt::Display for Head {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.count, self.hash)
    }
}

impl std::str::FromStr for Head {
    type Err = String;

    fn from_str(s: &str) -> Result<Head, String> {
        let (count, hash) = s
            .trim()
            .split_once(':')
            .ok_or_else(|| format!("{s:?} is not a head: write COUNT:HASH"))?;
        let count: i64 = count
            .parse()
            .ok()
            .filter(|c| *c >= 0)
            .ok_or_else(|| format!("{count:?} is not a count of events"))?;
        let hash = hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{hash:?} is not a SHA-256 hash (64 hex digits)"));
        }
        Ok(Head { count, hash })
    }
}

/// Which events to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only those about this body (its code).
    pub body: Option<String>,
    /// Only those by this actor: as recorded, or a bare login
    /// (`user:` is then understood).
    pub actor: Option<String>,
    /// Only those at or after this time.
    pub from: Option<JstTime>,
    /// Only those before this time.
    pub until: Option<JstTime>,
}

impl AuditFilter {
    /// Only the events of the days `from` to `until` (both included, Japan
    /// time).
    pub fn days(mut self, from: Option<Date>, until: Option<Date>) -> AuditFilter {
        self.from = from.map(JstTime::start_of);
        self.until = until
            .and_then(|d| Date::from_unix_days(d.unix_days() + 1))
            .map(JstTime::start_of);
        self
    }
}

/// What verifying the chain found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// The head of the chain as found (the last good event when broken).
    pub head: Head,
    /// Events written but not chained yet (PostgreSQL, for a moment after
    /// their commit).
    pub pending: i64,
    /// The first thing wrong, if anything.
    pub broken: Option<Break>,
}

/// Where the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    /// The first bad position (1-based).
    pub position: i64,
    /// What is wrong there.
    pub problem: String,
}

/// The hash of an event at `seq` after `prev`: SHA-256 over every field,
/// each written with its length, so that no two different events can be
/// written alike.
#[allow(clippy::too_many_arguments)]
pub(crate) fn event_hash(
    prev: &str,
    seq: i64,
    at: i64,
    actor: &str,
    action: &str,
    body: Option<&str>,
    subject: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    let mut field = |v: Option<&str>| match v {
        Some(v) => {
            h.update(format!("{}:", v.len()).as_bytes());
            h.update(v.as_bytes());
        }
        None => h.update(b"-"),
    };
    field(Some(prev));
    field(Some(&seq.to_string()));
    field(Some(&at.to_string()));
    field(Some(actor));
    field(Some(action));
    field(body);
    field(Some(subject));
    field(before);
    field(after);
    hex(&h.finalize())
}

/// Reads the chain's head (count, last hash) on `conn`.
async fn read_head(conn: &mut sqlx::AnyConnection) -> Result<(i64, String), StoreError> {
    Ok(
        sqlx::query_as("SELECT count, hash FROM audit_head WHERE one = 1")
            .fetch_one(conn)
            .await?,
    )
}

const EVENT_COLUMNS: &str =
    "seq, at, actor, action, body_code, subject, before_digest, after_digest, prev_hash, hash";

fn event_from_row(r: &sqlx::any::AnyRow) -> Result<AuditEvent, StoreError> {
    Ok(AuditEvent {
        seq: r.try_get("seq")?,
        at: JstTime::from_unix(r.try_get("at")?),
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        body: r.try_get("body_code")?,
        subject: r.try_get("subject")?,
        before: r.try_get("before_digest")?,
        after: r.try_get("after_digest")?,
        hash: r.try_get("hash")?,
    })
}

impl Store {
    /// A change `action` of stored document `id`, about its body, named
    /// by its kind and edition (`policy 令和7年度版`).
    pub(crate) async fn document_change(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        id: i64,
        action: &'static str,
    ) -> Result<Change, StoreError> {
        let row: Option<(String, String, Option<String>)> =
            sqlx::query_as("SELECT kind, edition, body_code FROM documents WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        Ok(match row {
            Some((kind, edition, body)) => {
                Change::new(action, format!("{kind} {edition}")).body(body)
            }
            None => Change::new(action, format!("document {id}")),
        })
    }

    /// Records `change` in transaction `tx` (begun by
    /// [`Store::begin_write`]), to be committed with it.
    pub(crate) async fn audit(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        change: Change,
    ) -> Result<(), StoreError> {
        let actor = change.actor.unwrap_or_else(Actor::current);
        let at = crate::accounts::now_secs() as i64;
        let insert = "INSERT INTO audit_events (seq, at, actor, action, body_code, subject, \
                      before_digest, after_digest, prev_hash, hash) \
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
        let (seq, prev, hash) = match self.backend {
            Backend::Sqlite => {
                // The transaction is the only writer: the head is ours.
                let (count, prev) = read_head(tx).await?;
                let seq = count + 1;
                let hash = event_hash(
                    &prev,
                    seq,
                    at,
                    actor.as_str(),
                    change.action,
                    change.body.as_deref(),
                    &change.subject,
                    change.before.as_deref(),
                    change.after.as_deref(),
                );
                sqlx::query("UPDATE audit_head SET count = $1, hash = $2 WHERE one = 1")
                    .bind(seq)
                    .bind(&hash)
                    .execute(&mut **tx)
                    .await?;
                (Some(seq), Some(prev), Some(hash))
            }
            Backend::Postgres => (None, None, None),
        };
        sqlx::query(insert)
            .bind(seq)
            .bind(at)
            .bind(actor.as_str())
            .bind(change.action)
            .bind(change.body)
            .bind(change.subject)
            .bind(change.before)
            .bind(change.after)
            .bind(prev)
            .bind(hash)
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Commits `tx` and, on PostgreSQL, chains the events it recorded.
    /// Once the commit succeeded the write is done: a failure to chain is
    /// not the write's failure (the next write, the next start or
    /// `kaitei audit verify`'s pending count catch it up or show it).
    pub(crate) async fn commit(
        &self,
        tx: sqlx::Transaction<'static, sqlx::Any>,
    ) -> Result<(), StoreError> {
        tx.commit().await?;
        self.committed();
        if self.backend == Backend::Postgres {
            let _ = self.seal_pending().await;
        }
        Ok(())
    }

    /// Chains the pending events (PostgreSQL), in the order they were
    /// written, unless another server is doing it right now: then that
    /// one, which looks again after its own commit, chains them. Returns
    /// how many this call chained.
    pub async fn seal_pending(&self) -> Result<i64, StoreError> {
        if self.backend != Backend::Postgres {
            return Ok(0);
        }
        let mut sealed = 0;
        loop {
            let mut tx = self.pool.begin().await?;
            // Keys in a space of their own (see `take_login_place`).
            let (got,): (i64,) = sqlx::query_as(
                "SELECT CASE WHEN pg_try_advisory_xact_lock(1003, 0) THEN 1::BIGINT ELSE 0::BIGINT END",
            )
            .fetch_one(&mut *tx)
            .await?;
            if got == 0 {
                return Ok(sealed);
            }
            let (mut count, mut prev) = read_head(&mut tx).await?;
            let rows = sqlx::query(
                "SELECT id, at, actor, action, body_code, subject, before_digest, after_digest \
                 FROM audit_events WHERE seq IS NULL ORDER BY id LIMIT $1",
            )
            .bind(SEAL_BATCH)
            .fetch_all(&mut *tx)
            .await?;
            for r in &rows {
                let id: i64 = r.try_get("id")?;
                let seq = count + 1;
                let body: Option<String> = r.try_get("body_code")?;
                let before: Option<String> = r.try_get("before_digest")?;
                let after: Option<String> = r.try_get("after_digest")?;
                let hash = event_hash(
                    &prev,
                    seq,
                    r.try_get("at")?,
                    &r.try_get::<String, _>("actor")?,
                    &r.try_get::<String, _>("action")?,
                    body.as_deref(),
                    &r.try_get::<String, _>("subject")?,
                    before.as_deref(),
                    after.as_deref(),
                );
                sqlx::query(
                    "UPDATE audit_events SET seq = $1, prev_hash = $2, hash = $3 WHERE id = $4",
                )
                .bind(seq)
                .bind(&prev)
                .bind(&hash)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                count = seq;
                prev = hash;
            }
            if !rows.is_empty() {
                sqlx::query("UPDATE audit_head SET count = $1, hash = $2 WHERE one = 1")
                    .bind(count)
                    .bind(&prev)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
            self.committed();
            sealed += rows.len() as i64;
            // An event committed while we held the lock was left to us by
            // its writer: look again now that the lock is free.
            if self.pending_events().await? == 0 {
                return Ok(sealed);
            }
        }
    }

    async fn pending_events(&self) -> Result<i64, StoreError> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_events WHERE seq IS NULL")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// The chain's head as the database keeps it: export it regularly and
    /// keep it apart, to check the chain against later.
    pub async fn audit_head(&self) -> Result<Head, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let (count, hash) = read_head(&mut conn).await?;
        Ok(Head { count, hash })
    }

    /// Checks the whole chain: positions 1, 2, … without a gap, each
    /// event's hash recomputed from its fields and the one before, the
    /// kept head at the end — and, given `exported`, that the chain still
    /// holds that head (nothing cut off the end, nothing rewritten).
    pub async fn verify_audit(&self, exported: Option<&Head>) -> Result<Verification, StoreError> {
        let mut last = Head {
            count: 0,
            hash: GENESIS.to_string(),
        };
        let mut at_exported: Option<String> = None;
        let mut broken = None;
        'pages: loop {
            let rows = sqlx::query(&format!(
                "SELECT {EVENT_COLUMNS} FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2"
            ))
            .bind(last.count)
            .bind(VERIFY_PAGE)
            .fetch_all(&self.pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let e = event_from_row(r)?;
                let prev: Option<String> = r.try_get("prev_hash")?;
                let seq = e.seq.unwrap_or_default();
                let expected = last.count + 1;
                let problem = if seq != expected {
                    Some(format!(
                        "event {expected} is missing (the next one is {seq})"
                    ))
                } else if prev.as_deref() != Some(last.hash.as_str()) {
                    Some(format!(
                        "event {seq} does not follow event {}: it names another one before it",
                        last.count
                    ))
                } else if e.hash.as_deref()
                    != Some(
                        event_hash(
                            &last.hash,
                            seq,
                            e.at.unix(),
                            &e.actor,
                            &e.action,
                            e.body.as_deref(),
                            &e.subject,
                            e.before.as_deref(),
                            e.after.as_deref(),
                        )
                        .as_str(),
                    )
                {
                    Some(format!(
                        "event {seq} was altered: its hash does not match its fields"
                    ))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    broken = Some(Break {
                        position: expected,
                        problem,
                    });
                    break 'pages;
                }
                last = Head {
                    count: seq,
                    hash: e.hash.unwrap_or_default(),
                };
                if exported.is_some_and(|h| h.count == seq) {
                    at_exported = Some(last.hash.clone());
                }
            }
        }
        if broken.is_none() {
            let kept = self.audit_head().await?;
            if kept != last {
                broken = Some(Break {
                    position: last.count.min(kept.count) + 1,
                    problem: format!(
                        "the chain ends at event {} but its kept head says {}: events were cut off the end or added outside the chain",
                        last.count, kept.count
                    ),
                });
            }
        }
        if let (None, Some(h)) = (&broken, exported) {
            broken = if h.count > last.count {
                Some(Break {
                    position: last.count + 1,
                    problem: format!(
                        "the exported head names {} events but the chain has {}: events were cut off the end",
                        h.count, last.count
                    ),
                })
            } else if h.count == 0 && h.hash != GENESIS
                || h.count > 0 && at_exported.as_deref() != Some(h.hash.as_str())
            {
                Some(Break {
                    position: h.count,
                    problem: format!(
                        "event {} is not the one the exported head names: the chain up to it was rewritten",
                        h.count
                    ),
                })
            } else {
                None
            };
        }
        let pending = self.pending_events().await?;
        if broken.is_none() && self.backend == Backend::Sqlite && pending > 0 {
            // SQLite chains every event as it is written: one without a
            // place was put there by hand.
            broken = Some(Break {
                position: last.count + 1,
                problem: format!("{pending} event(s) stand outside the chain"),
            });
        }
        Ok(Verification {
            head: last,
            pending,
            broken,
        })
    }

    /// The events `filter` selects, newest first, `limit` from `offset`.
    pub async fn audit_events(
        &self,
        filter: &AuditFilter,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<AuditEvent>, StoreError> {
        let (clause, binds) = filter_sql(filter);
        let n = binds.len();
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM audit_events{clause} ORDER BY at DESC, id DESC LIMIT ${} OFFSET ${}",
            n + 1,
            n + 2
        );
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = b.bind(q);
        }
        let rows = q.bind(limit).bind(offset).fetch_all(&self.pool).await?;
        rows.iter().map(event_from_row).collect()
    }

    /// How many events `filter` selects.
    pub async fn count_audit_events(&self, filter: &AuditFilter) -> Result<i64, StoreError> {
        let (clause, binds) = filter_sql(filter);
        let sql = format!("SELECT COUNT(*) FROM audit_events{clause}");
        let mut q = sqlx::query(&sql);
        for b in binds {
            q = b.bind(q);
        }
        let row = q.fetch_one(&self.pool).await?;
        Ok(row.try_get(0)?)
    }
}

/// A value bound to a filter's placeholder.
enum Bind {
    Text(String),
    Int(i64),
}

impl Bind {
    fn bind<'q>(
        self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        match self {
            Bind::Text(s) => q.bind(s),
            Bind::Int(i) => q.bind(i),
        }
    }
}

/// ` WHERE …` for `filter` with its values, numbered from `$1`.
fn filter_sql(filter: &AuditFilter) -> (String, Vec<Bind>) {
    let mut terms = Vec::new();
    let mut binds = Vec::new();
    let mut term = |sql: &str, b: Bind| {
        binds.push(b);
        terms.push(sql.replace('?', &format!("${}", binds.len())));
    };
    if let Some(body) = &filter.body {
        term("body_code = ?", Bind::Text(body.clone()));
    }
    if let Some(actor) = &filter.actor {
        let actor = if actor.contains(':') || actor == "anonymous" {
            actor.clone()
        } else {
            format!("user:{actor}")
        };
        term("actor = ?", Bind::Text(actor));
    }
    if let Some(from) = filter.from {
        term("at >= ?", Bind::Int(from.unix()));
    }
    if let Some(until) = filter.until {
        term("at < ?", Bind::Int(until.unix()));
    }
    let clause = if terms.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", terms.join(" AND "))
    };
    (clause, binds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_lines_actor_is_named() {
        let os = Actor::os();
        assert!(os.as_str().starts_with("os:") && os.as_str().len() > 3);
        #[cfg(target_os = "linux")]
        assert_eq!(account_name(0).as_deref(), Some("root"));
    }

    #[test]
    fn heads_read_back_as_written() {
        let h = Head {
            count: 12,
            hash: digest(b"x"),
        };
        assert_eq!(h.to_string().parse::<Head>(), Ok(h));
        assert!("12".parse::<Head>().is_err());
        assert!("-1:00".parse::<Head>().is_err());
        assert!(format!("3:{}", &GENESIS[1..]).parse::<Head>().is_err());
    }

    #[test]
    fn every_field_is_in_the_hash_and_none_can_borrow_from_another() {
        let base = event_hash(GENESIS, 1, 5, "user:a", "x", Some("b"), "s", None, None);
        assert_ne!(
            base,
            event_hash(GENESIS, 1, 5, "user:a", "x", None, "bs", None, None)
        );
        assert_ne!(
            base,
            event_hash(GENESIS, 1, 5, "user:a", "x", Some(""), "bs", None, None)
        );
        assert_ne!(
            base,
            event_hash(GENESIS, 2, 5, "user:a", "x", Some("b"), "s", None, None)
        );
        assert_ne!(
            base,
            event_hash(GENESIS, 1, 5, "user:a", "x", Some("b"), "s", Some(""), None)
        );
    }
}
