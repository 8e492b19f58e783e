//! Signed-in sessions kept in memory for a few seconds, so that a page
//! needs no database round trip to know who is asking.
//!
//! The database stays the truth: an entry is trusted for [`SESSION_TTL`]
//! at most, and this server forgets a session the moment it signs out.
//! A user disabled, or a session ended, from another process (`kaitei user
//! disable`, another server over the same database) is refused within
//! [`SESSION_TTL`]. Only sessions found are kept: unknown tokens always go
//! to the database, so guessing cannot fill the memory.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kaitei_store::User;

/// How long a session read from the database is trusted without asking again.
pub const SESSION_TTL: Duration = Duration::from_secs(5);

/// Most sessions kept; beyond it the cache starts afresh (the database
/// answers meanwhile).
const CAPACITY: usize = 20_000;

/// The cache: session token → (user, CSRF token, when read).
#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, (User, String, Instant)>>,
}

impl SessionCache {
    /// The user and CSRF token of `token`, if read less than [`SESSION_TTL`] ago.
    pub fn get(&self, token: &str) -> Option<(User, String)> {
        let entries = self.entries.lock().ok()?;
        let (user, csrf, read) = entries.get(token)?;
        (read.elapsed() < SESSION_TTL).then(|| (user.clone(), csrf.clone()))
    }

    /// Keeps what the database said of `token`.
    pub fn put(&self, token: &str, user: User, csrf: String) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY {
                entries.retain(|_, (_, _, read)| read.elapsed() < SESSION_TTL);
                if entries.len() >= CAPACITY {
                    entries.clear();
                }
            }
            entries.insert(token.to_string(), (user, csrf, Instant::now()));
        }
    }

    /// Forgets `token` (signed out).
    pub fn forget(&self, token: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(token);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaitei_store::Role;

    fn user() -> User {
        User {
            id: 1,
            login: "a".into(),
            role: Role::Committee,
            body: None,
            disabled: false,
            can_submit: false,
            organisation: None,
        }
    }

    #[test]
    fn keeps_forgets_and_expires() {
        let cache = SessionCache::default();
        assert!(cache.get("t").is_none());
        cache.put("t", user(), "c".into());
        assert_eq!(
            cache.get("t").map(|(u, c)| (u.login, c)),
            Some(("a".into(), "c".into()))
        );
        cache.forget("t");
        assert!(cache.get("t").is_none());
        cache.put("t", user(), "c".into());
        if let Ok(mut e) = cache.entries.lock() {
            e.get_mut("t").unwrap().2 = Instant::now() - SESSION_TTL;
        }
        assert!(
            cache.get("t").is_none(),
            "an entry older than the TTL is not trusted"
        );
    }

    #[test]
    fn stays_bounded() {
        let cache = SessionCache::default();
        for i in 0..CAPACITY + 10 {
            cache.put(&i.to_string(), user(), String::new());
        }
        assert!(cache.entries.lock().unwrap().len() <= CAPACITY);
    }
}
