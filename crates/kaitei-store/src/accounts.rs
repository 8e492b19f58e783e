//! Accounts, passwords (argon2id), server-side sessions and login
//! throttling.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use kaitei_model::BodyCode;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::{Actor, Change};
use crate::{Backend, Store, StoreError};

/// What a user may do is decided by the server's authorisation module from
/// this role (and, for officers, their body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Ministry administrator: everything.
    Admin,
    /// Expert committee member: reads drafts, comments.
    Committee,
    /// Prefecture officer: own prefecture, and its municipalities' status.
    Prefecture,
    /// Body officer: own body only.
    Body,
    /// Vendor: only what a vendor consultation shows.
    Vendor,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Committee,
        Role::Prefecture,
        Role::Body,
        Role::Vendor,
    ];

    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Committee => "committee",
            Role::Prefecture => "prefecture",
            Role::Body => "body",
            Role::Vendor => "vendor",
        }
    }

    /// Reads the stored word.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// A signed-in or stored user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The row id.
    pub id: i64,
    /// The login name.
    pub login: String,
    /// The role.
    pub role: Role,
    /// For prefecture and body officers: their body.
    pub body: Option<BodyCode>,
    /// Whether the account is disabled.
    pub disabled: bool,
    /// For body and prefecture officers: whether they may submit their
    /// body's answer to a consultation (the others prepare it).
    pub can_submit: bool,
    /// For vendors: the organisation they answer for.
    pub organisation: Option<String>,
}

/// How long a session lasts without signing in again.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(8 * 3600);
/// Failed logins for one name within [`THROTTLE_WINDOW`] before further
/// attempts are refused.
pub const MAX_FAILURES: i64 = 5;
/// The window failed logins are counted in.
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// How long a sign-in waits for a place among [`MAX_FAILURES`] while
/// every place is held by a password check under way, before it is
/// refused as throttled; also how long a check may be under way before it
/// counts as failed. A check takes well under a second.
pub const LOGIN_WAIT: Duration = Duration::from_secs(10);

/// A login name's places in the current window: `taken` by failures and
/// by checks under way, of which `failed` by failures.
struct Places {
    taken: i64,
    failed: i64,
}

/// What [`Store::take_login_place`] found.
enum Place {
    /// A place, for the check of this id.
    Taken(String),
    /// [`MAX_FAILURES`] failures: the name is locked for the window.
    Locked,
    /// Every place is held by checks under way: wait for them.
    AllUnderWay,
}

/// Why a login was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginError {
    /// Wrong name or password (deliberately not saying which).
    Wrong,
    /// Too many failures lately: try again later.
    Throttled,
}

/// Seconds since the epoch: the store's one clock.
pub(crate) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Seconds since the epoch as zero-padded text: how times that are compared
/// (throttling, sessions, histories, decisions) are stored, so that they
/// compare as text on every backend.
fn stamp(secs: u64) -> String {
    format!("{secs:012}")
}

/// The time `secs` seconds ago as stored ([`stamp`]): for tests.
#[cfg(test)]
pub(crate) fn stamp_secs_ago(secs: u64) -> String {
    stamp(now_secs().saturating_sub(secs))
}

/// The time now as stored ([`stamp`]): for histories and decisions.
pub(crate) fn now_stamp() -> String {
    stamp(now_secs())
}

/// `bytes` bytes from the operating system's random source, as hex: the
/// tokens of sessions and forms.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Invalid(format!("cannot hash the password: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// [`verify_password`] on the runtime's blocking threads: argon2 takes tens
/// of milliseconds on purpose, which on a server's worker thread would hold
/// up every other request meanwhile.
async fn verify_password_off_thread(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false)
}

/// What [`Store::change_user`] changes.
#[derive(Clone, Copy)]
enum UserChange<'a> {
    /// A new password hash.
    Password(&'a str),
    /// Disabled (or enabled again).
    Disabled(bool),
    /// The right to submit given (or taken away).
    CanSubmit(bool),
    /// A vendor's organisation.
    Organisation(&'a str),
}

fn user_from_row(row: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    let role: String = row.try_get("role")?;
    let body: Option<String> = row.try_get("body_code")?;
    Ok(User {
        id: row.try_get("id")?,
        login: row.try_get("login")?,
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown role {role:?}")))?,
        body: body.as_deref().and_then(|b| BodyCode::parse(b).ok()),
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        can_submit: row.try_get::<i64, _>("can_submit")? != 0,
        organisation: row.try_get("organisation")?,
    })
}

impl Store {
    /// Adds an account. Prefecture and body officers need their body (for a
    /// prefecture officer, a prefecture).
    pub async fn add_user(
        &self,
        login: &str,
        password: &str,
        role: Role,
        body: Option<BodyCode>,
    ) -> Result<i64, StoreError> {
        let login = login.trim();
        if login.is_empty() || login.len() > 64 {
            return Err(StoreError::Invalid(
                "a login name has 1 to 64 characters".into(),
            ));
        }
        // The rule every entry point of text applies; the sign-in form
        // refuses such a name too, before counting it.
        if let Err(e) = kaitei_model::text::check_controls(login) {
            return Err(StoreError::Invalid(format!(
                "a login name cannot hold control characters: {}",
                e.message()
            )));
        }
        if password.chars().count() < 12 {
            return Err(StoreError::Invalid(
                "a password needs at least 12 characters".into(),
            ));
        }
        match (role, body) {
            (Role::Prefecture | Role::Body, None) => {
                return Err(StoreError::Invalid(format!(
                    "a {} officer needs --body CODE",
                    role.as_str()
                )));
            }
            (Role::Prefecture, Some(b)) if b.prefecture() != b => {
                return Err(StoreError::Invalid(format!(
                    "{b} is not a prefecture's code"
                )));
            }
            (Role::Admin | Role::Committee | Role::Vendor, Some(_)) => {
                return Err(StoreError::Invalid(format!(
                    "a {} has no body",
                    role.as_str()
                )));
            }
            _ => {}
        }
        // Hashed before the transaction: argon2 takes its time on purpose,
        // and no lock should be held meanwhile.
        let hash = &hash_password(password)?;
        let body = &body.map(|b| b.to_string());
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            // A name taken — also by an account added at this very moment
            // elsewhere — inserts nothing, rather than failing the index.
            let id: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO users (login, password_hash, role, body_code, created_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (login) DO NOTHING RETURNING id",
            )
            .bind(login)
            .bind(hash)
            .bind(role.as_str())
            .bind(body.clone())
            .bind(stamp(now_secs()))
            .fetch_optional(&mut *tx)
            .await?;
            if id.is_some() {
                let change = Change::new("account.add", login)
                    .body(body.as_deref())
                    .after(format!("role={}", role.as_str()));
                self.audit(&mut tx, change).await?;
            }
            self.commit(tx).await?;
            id.map(|(id,)| id)
                .ok_or_else(|| StoreError::Duplicate(format!("the login {login:?} is taken")))
        })
        .await
    }

    /// Sets a new password; ends the user's sessions.
    pub async fn set_password(&self, login: &str, password: &str) -> Result<(), StoreError> {
        if password.chars().count() < 12 {
            return Err(StoreError::Invalid(
                "a password needs at least 12 characters".into(),
            ));
        }
        let hash = hash_password(password)?;
        self.change_user(login, UserChange::Password(&hash)).await
    }

    /// Disables (or enables) an account; disabling ends its sessions.
    pub async fn set_disabled(&self, login: &str, disabled: bool) -> Result<(), StoreError> {
        self.change_user(login, UserChange::Disabled(disabled))
            .await
    }

    /// Gives (or takes away) a body or prefecture officer's right to
    /// submit; ends the account's sessions, so that its pages show the
    /// change at once.
    pub async fn set_can_submit(&self, login: &str, can: bool) -> Result<(), StoreError> {
        self.change_user(login, UserChange::CanSubmit(can)).await
    }

    /// Sets the organisation a vendor answers for.
    pub async fn set_organisation(
        &self,
        login: &str,
        organisation: &str,
    ) -> Result<(), StoreError> {
        let organisation = crate::cycle::checked("the organisation", organisation, 200, true)?;
        self.change_user(login, UserChange::Organisation(&organisation))
            .await
    }

    /// Every account, by login name.
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, login, role, body_code, disabled, can_submit, organisation FROM users ORDER BY login",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(user_from_row).collect()
    }

    /// Makes `change` to account `login` and ends its sessions, in one
    /// transaction: no session of the old password, or of an account now
    /// disabled, outlives the change.
    async fn change_user(&self, login: &str, change: UserChange<'_>) -> Result<(), StoreError> {
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            let update = match change {
                UserChange::Password(hash) => {
                    sqlx::query("UPDATE users SET password_hash = $1 WHERE login = $2").bind(hash)
                }
                UserChange::Disabled(disabled) => {
                    sqlx::query("UPDATE users SET disabled = $1 WHERE login = $2")
                        .bind(i64::from(disabled))
                }
                UserChange::CanSubmit(can) => sqlx::query(
                    "UPDATE users SET can_submit = $1 WHERE login = $2 AND role IN ('body', 'prefecture')",
                )
                .bind(i64::from(can)),
                UserChange::Organisation(org) => sqlx::query(
                    "UPDATE users SET organisation = $1 WHERE login = $2 AND role = 'vendor'",
                )
                .bind(org.to_string()),
            };
            let done = update.bind(login).execute(&mut *tx).await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Invalid(match change {
                    UserChange::CanSubmit(_) => format!(
                        "no body or prefecture officer {login:?}: only they submit answers"
                    ),
                    UserChange::Organisation(_) => format!("no vendor {login:?}"),
                    _ => format!("no user {login:?}"),
                }));
            }
            sqlx::query(
                "DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE login = $1)",
            )
            .bind(login)
            .execute(&mut *tx)
            .await?;
            let (body,): (Option<String>,) =
                sqlx::query_as("SELECT body_code FROM users WHERE login = $1")
                    .bind(login)
                    .fetch_one(&mut *tx)
                    .await?;
            let change = match change {
                // Never a digest of a password, even of its hash.
                UserChange::Password(_) => Change::new("account.password", login),
                UserChange::Disabled(true) => Change::new("account.disable", login),
                UserChange::Disabled(false) => Change::new("account.enable", login),
                UserChange::CanSubmit(can) => {
                    Change::new("account.can_submit", login).after(if can { "on" } else { "off" })
                }
                UserChange::Organisation(org) => {
                    Change::new("account.organisation", login).after(org)
                }
            };
            self.audit(&mut tx, change.body(body)).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    /// Checks a login. Failures are counted per name; after
    /// [`MAX_FAILURES`] in [`THROTTLE_WINDOW`] every attempt is refused
    /// until the window passes, right password or not.
    ///
    /// A check is counted before it is made: it takes one of the name's
    /// [`MAX_FAILURES`] places, counting those taken in the same atomic
    /// step ([`Store::take_login_place`]); the password is checked only
    /// with a place; a wrong password keeps it (as the failure), a right
    /// one gives it back. So however many sign-ins for one name arrive at
    /// once, at most [`MAX_FAILURES`] wrong passwords are checked in a
    /// window, and none succeeds once that many have failed. A sign-in
    /// that finds every place taken by checks still under way waits for
    /// them (up to [`LOGIN_WAIT`]) rather than being refused: they may all
    /// be right.
    pub async fn check_login(
        &self,
        login: &str,
        password: &str,
    ) -> Result<Result<User, LoginError>, StoreError> {
        let waited = std::time::Instant::now();
        let attempt = loop {
            // A name already locked is refused without taking the write
            // lock: a flood of guesses at it costs reads only.
            if self.login_places(login).await?.failed >= MAX_FAILURES {
                return Ok(Err(LoginError::Throttled));
            }
            match self.retrying(|| self.take_login_place(login)).await? {
                Place::Taken(attempt) => break attempt,
                Place::Locked => return Ok(Err(LoginError::Throttled)),
                // Fails closed; not reached unless servers' clocks
                // disagree (see `count_login_places`).
                Place::AllUnderWay if waited.elapsed() >= LOGIN_WAIT => {
                    return Ok(Err(LoginError::Throttled));
                }
                Place::AllUnderWay => {
                    let jitter = u64::from(OsRng.next_u32() % 40);
                    tokio::time::sleep(Duration::from_millis(20 + jitter)).await;
                }
            }
        };
        let row = sqlx::query("SELECT id, login, password_hash, role, body_code, disabled, can_submit, organisation FROM users WHERE login = $1")
            .bind(login)
            .fetch_optional(&self.pool)
            .await?;
        let user = match row {
            Some(r) => {
                let hash: String = r.try_get("password_hash")?;
                let user = user_from_row(&r)?;
                (verify_password_off_thread(password, &hash).await && !user.disabled)
                    .then_some(user)
            }
            None => {
                // Spend the same time as a real check, so timing does not
                // tell which names exist.
                let _ = verify_password_off_thread(
                    password,
                    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$YmFkYmFkYmFkYmFkYmFkYmFkYmFkYmFkYmFkYmFkYmE",
                )
                .await;
                None
            }
        };
        // Right: not a failure, so the place is free again. Wrong: the
        // place stays taken, as the failure (no longer under way).
        let sql = if user.is_some() {
            "DELETE FROM login_failures WHERE login = $1 AND attempt = $2"
        } else {
            "UPDATE login_failures SET attempt = '' WHERE login = $1 AND attempt = $2"
        };
        let attempt = &attempt;
        let user = &user;
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            sqlx::query(sql)
                .bind(login)
                .bind(attempt)
                .execute(&mut *tx)
                .await?;
            let change = match user {
                Some(u) => Change::new("sign_in", login)
                    .body(u.body)
                    .by(Actor::user(login)),
                None => Change::new("sign_in.failed", login),
            };
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await?;
        let user = user.clone();
        Ok(user.ok_or(LoginError::Wrong))
    }

    /// The places of `login` taken in the current window, on `conn`. A
    /// check still under way after [`LOGIN_WAIT`] never ended (its server
    /// stopped, or its request was dropped, in the middle): it counts as
    /// failed, so nobody waits for it.
    async fn count_login_places(
        conn: &mut sqlx::AnyConnection,
        login: &str,
    ) -> Result<Places, StoreError> {
        let now = now_secs();
        let (taken, failed): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(CASE WHEN attempt = '' OR failed_at < $3 THEN 1 END) \
             FROM login_failures WHERE login = $1 AND failed_at >= $2",
        )
        .bind(login)
        .bind(stamp(now.saturating_sub(THROTTLE_WINDOW.as_secs())))
        .bind(stamp(now.saturating_sub(LOGIN_WAIT.as_secs())))
        .fetch_one(conn)
        .await?;
        Ok(Places { taken, failed })
    }

    /// [`Store::count_login_places`] outside any transaction.
    async fn login_places(&self, login: &str) -> Result<Places, StoreError> {
        let mut conn = self.pool.acquire().await?;
        Store::count_login_places(&mut conn, login).await
    }

    /// Takes one of `login`'s [`MAX_FAILURES`] places for a password
    /// check, if one is free. Counting and taking are one step — on SQLite
    /// the transaction is the database's only writer; on PostgreSQL it
    /// holds a lock on the name (an advisory lock: names without an
    /// account are throttled too, and have no row to lock) — so parallel
    /// sign-ins cannot all see the same free place.
    async fn take_login_place(&self, login: &str) -> Result<Place, StoreError> {
        let mut tx = self.begin_write().await?;
        if self.backend == Backend::Postgres {
            // Keys in a space of their own (the two-number form), apart
            // from the one-number lock sqlx takes for migrations.
            sqlx::query(
                "SELECT 1 FROM (SELECT pg_advisory_xact_lock(1002, hashtext($1))) AS locked",
            )
            .bind(login)
            .fetch_one(&mut *tx)
            .await?;
        }
        let places = Store::count_login_places(&mut tx, login).await?;
        if places.failed >= MAX_FAILURES {
            return Ok(Place::Locked);
        }
        if places.taken >= MAX_FAILURES {
            return Ok(Place::AllUnderWay);
        }
        let now = now_secs();
        // Failures the window has passed count no more: forgotten.
        sqlx::query("DELETE FROM login_failures WHERE login = $1 AND failed_at < $2")
            .bind(login)
            .bind(stamp(now.saturating_sub(THROTTLE_WINDOW.as_secs())))
            .execute(&mut *tx)
            .await?;
        let attempt = random_hex(16);
        sqlx::query("INSERT INTO login_failures (login, failed_at, attempt) VALUES ($1, $2, $3)")
            .bind(login)
            .bind(stamp(now))
            .bind(&attempt)
            .execute(&mut *tx)
            .await?;
        self.commit(tx).await?;
        Ok(Place::Taken(attempt))
    }

    /// Starts a session: returns the cookie token and the session's CSRF
    /// token. Only a hash of the cookie token is stored.
    pub async fn start_session(&self, user_id: i64) -> Result<(String, String), StoreError> {
        self.start_session_replacing(user_id, None).await
    }

    /// [`Store::start_session`], ending in the same transaction the session
    /// of token `previous` — the one the browser signing in had, whoever's
    /// it was: a sign-in replaces the browser's cookie, so the old token
    /// would only stay alive for whoever else holds it.
    pub async fn start_session_replacing(
        &self,
        user_id: i64,
        previous: Option<&str>,
    ) -> Result<(String, String), StoreError> {
        let token = random_hex(32);
        let csrf = random_hex(32);
        let (hash, csrf_ref) = (&token_hash(&token), &csrf);
        let previous = previous.map(token_hash);
        let previous = previous.as_deref();
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            if let Some(previous) = previous {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(previous)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(hash)
            .bind(user_id)
            .bind(csrf_ref)
            .bind(stamp(now_secs() + SESSION_LIFETIME.as_secs()))
            .execute(&mut *tx)
            .await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await?;
        Ok((token, csrf))
    }

    /// The user and CSRF token of a live session.
    pub async fn session(&self, token: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.login, u.role, u.body_code, u.disabled, u.can_submit, u.organisation, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
        )
        .bind(token_hash(token))
        .bind(stamp(now_secs()))
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some((user_from_row(&r)?, r.try_get("csrf")?))),
            None => Ok(None),
        }
    }

    /// Ends a session.
    pub async fn end_session(&self, token: &str) -> Result<(), StoreError> {
        let hash = &token_hash(token);
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            let done = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(hash)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() > 0 {
                let actor = Actor::current();
                let login = actor.as_str().strip_prefix("user:").unwrap_or("");
                self.audit(&mut tx, Change::new("sign_out", login)).await?;
            }
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    /// Makes a stored policy public (readable by every signed-in user) or
    /// withdraws it. Not its publication date (`published`, metadata).
    pub async fn set_policy_public(&self, id: i64, public: bool) -> Result<(), StoreError> {
        self.retrying(|| async move {
            let mut tx = self.begin_write().await?;
            sqlx::query("UPDATE documents SET made_public = $1 WHERE id = $2 AND kind = 'policy'")
                .bind(i64::from(public))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let action = if public {
                "policy.made_public"
            } else {
                "policy.withdrawn"
            };
            let change = Store::document_change(&mut tx, id, action).await?;
            self.audit(&mut tx, change).await?;
            self.commit(tx).await?;
            Ok(())
        })
        .await
    }

    /// Whether its body has made a stored policy public.
    pub async fn policy_is_public(&self, id: i64) -> Result<bool, StoreError> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT made_public FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some_and(|(p,)| p != 0))
    }
}
