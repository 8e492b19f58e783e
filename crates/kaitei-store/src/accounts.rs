//! Accounts, passwords (argon2id), server-side sessions and login
//! throttling.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use kaitei_model::BodyCode;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Store, StoreError};

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
}

/// How long a session lasts without signing in again.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(8 * 3600);
/// Failed logins for one name within [`THROTTLE_WINDOW`] before further
/// attempts are refused.
pub const MAX_FAILURES: i64 = 5;
/// The window failed logins are counted in.
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Why a login was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum LoginError {
    /// Wrong name or password (deliberately not saying which).
    Wrong,
    /// Too many failures lately: try again later.
    Throttled,
}

fn now_secs() -> u64 {
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
        let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE login = $1")
            .bind(login)
            .fetch_optional(&self.pool)
            .await?;
        if exists.is_some() {
            return Err(StoreError::Duplicate(format!(
                "the login {login:?} is taken"
            )));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (login, password_hash, role, body_code, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(login)
        .bind(hash_password(password)?)
        .bind(role.as_str())
        .bind(body.map(|b| b.to_string()))
        .bind(stamp(now_secs()))
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Sets a new password; ends the user's sessions.
    pub async fn set_password(&self, login: &str, password: &str) -> Result<(), StoreError> {
        if password.chars().count() < 12 {
            return Err(StoreError::Invalid(
                "a password needs at least 12 characters".into(),
            ));
        }
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE login = $2")
            .bind(hash_password(password)?)
            .bind(login)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Invalid(format!("no user {login:?}")));
        }
        self.end_sessions_of(login).await
    }

    async fn end_sessions_of(&self, login: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE login = $1)")
            .bind(login)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Disables (or enables) an account; disabling ends its sessions.
    pub async fn set_disabled(&self, login: &str, disabled: bool) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE users SET disabled = $1 WHERE login = $2")
            .bind(i64::from(disabled))
            .bind(login)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Invalid(format!("no user {login:?}")));
        }
        self.end_sessions_of(login).await
    }

    /// Checks a login. Failures are counted per name; after
    /// [`MAX_FAILURES`] in [`THROTTLE_WINDOW`] every attempt is refused
    /// until the window passes, right password or not.
    pub async fn check_login(
        &self,
        login: &str,
        password: &str,
    ) -> Result<Result<User, LoginError>, StoreError> {
        let since = stamp(now_secs().saturating_sub(THROTTLE_WINDOW.as_secs()));
        let (failures,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM login_failures WHERE login = $1 AND failed_at >= $2",
        )
        .bind(login)
        .bind(&since)
        .fetch_one(&self.pool)
        .await?;
        if failures >= MAX_FAILURES {
            return Ok(Err(LoginError::Throttled));
        }
        let row = sqlx::query("SELECT id, login, password_hash, role, body_code, disabled FROM users WHERE login = $1")
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
        match user {
            Some(u) => Ok(Ok(u)),
            None => {
                sqlx::query("INSERT INTO login_failures (login, failed_at) VALUES ($1, $2)")
                    .bind(login)
                    .bind(stamp(now_secs()))
                    .execute(&self.pool)
                    .await?;
                Ok(Err(LoginError::Wrong))
            }
        }
    }

    /// Starts a session: returns the cookie token and the session's CSRF
    /// token. Only a hash of the cookie token is stored.
    pub async fn start_session(&self, user_id: i64) -> Result<(String, String), StoreError> {
        let token = random_hex(32);
        let csrf = random_hex(32);
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(&csrf)
        .bind(stamp(now_secs() + SESSION_LIFETIME.as_secs()))
        .execute(&self.pool)
        .await?;
        Ok((token, csrf))
    }

    /// The user and CSRF token of a live session.
    pub async fn session(&self, token: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.login, u.role, u.body_code, u.disabled, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id \
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
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Makes a stored policy public (readable by every signed-in user) or
    /// withdraws it. Not its publication date (`published`, metadata).
    pub async fn set_policy_public(&self, id: i64, public: bool) -> Result<(), StoreError> {
        sqlx::query("UPDATE documents SET made_public = $1 WHERE id = $2 AND kind = 'policy'")
            .bind(i64::from(public))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
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
