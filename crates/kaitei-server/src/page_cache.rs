//! Reading pages already rendered, per user: a page read again, with
//! nothing committed since, is answered from memory instead of being
//! read from the database and rendered again.
//!
//! A page is kept under (user, language, path and query, whether htmx
//! asked) with the store's change counter ([`kaitei_store::Store::changes`])
//! at the moment its rendering began: any commit of this process makes
//! it unreachable at once, a commit of another process (another server,
//! a command) within [`kaitei_store::LOOK_EVERY`]. A user's pages are
//! theirs alone, so the cache can show nobody anything their own
//! rendering would not. The session's CSRF token, the one thing in a
//! page that belongs to the session rather than the user, is cut out
//! when a page is kept and put back for each reader.
//!
//! Read-your-writes across servers: a form sent (any method but GET)
//! marks the browser for [`WROTE_SECONDS`] with a cookie, and the pages
//! it reads meanwhile are rendered afresh — another server may not have
//! looked at the database since.
//!
//! Only the routes given [`cached_page`] are kept (the reading pages of
//! editions, comparisons and policies); only 200 answers in HTML that set
//! no cookie. Bounded by bytes; when full it starts afresh.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::auth::Principal;
use crate::bounded::BoundedMap;
use crate::i18n::Lang;
use crate::session::{Session, cookie, cookie_header};

/// Most bytes kept.
const CAPACITY_BYTES: usize = 64 * 1024 * 1024;

/// How long a kept page is served at most, whatever happened: a bound on
/// anything a page shows that no commit changes.
const LONGEST: Duration = Duration::from_secs(300);

/// The cookie that marks a browser that sent a form a moment ago.
const WROTE_COOKIE: &str = "kaitei_wrote";

/// How long a browser that sent a form reads pages afresh: well beyond the
/// time another server takes to see the commit (two looks).
pub const WROTE_SECONDS: u64 = 2;

const _: () = assert!(WROTE_SECONDS * 1000 > 4 * kaitei_store::LOOK_EVERY.as_millis() as u64);

/// What a page is of.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PageKey {
    user: i64,
    lang: Lang,
    here: String,
    htmx: bool,
}

/// A page kept: its headers and its body cut where the CSRF token was.
struct Page {
    changes: u64,
    made: Instant,
    headers: HeaderMap,
    parts: Vec<Bytes>,
    len: usize,
    /// The body last put together, with the token it holds: a session
    /// reading the page again gets it without a copy.
    last: Mutex<Option<(String, Bytes)>>,
}

impl Page {
    fn new(changes: u64, headers: HeaderMap, parts: Vec<Bytes>, len: usize) -> Page {
        Page {
            changes,
            made: Instant::now(),
            headers,
            parts,
            len,
            last: Mutex::new(None),
        }
    }

    /// The page as `csrf`'s session reads it.
    fn response(&self, csrf: &str) -> Response {
        let body = self.body(csrf);
        let mut response = Response::new(Body::from(body));
        *response.headers_mut() = self.headers.clone();
        response
    }

    fn body(&self, csrf: &str) -> Bytes {
        if let Ok(last) = self.last.lock()
            && let Some((token, body)) = &*last
            && token == csrf
        {
            return body.clone();
        }
        let mut body = Vec::with_capacity(self.len + csrf.len() * self.parts.len());
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                body.extend_from_slice(csrf.as_bytes());
            }
            body.extend_from_slice(part);
        }
        let body = Bytes::from(body);
        if let Ok(mut last) = self.last.lock() {
            *last = Some((csrf.to_string(), body.clone()));
        }
        body
    }
}

/// The cache.
pub struct PageCache {
    entries: BoundedMap<PageKey, Arc<Page>>,
    /// How many reads were answered from the cache.
    hits: AtomicUsize,
}

impl Default for PageCache {
    fn default() -> PageCache {
        PageCache {
            entries: BoundedMap::new(CAPACITY_BYTES),
            hits: AtomicUsize::new(0),
        }
    }
}

impl PageCache {
    fn get(&self, key: &PageKey, changes: u64) -> Option<Arc<Page>> {
        let page = self.entries.read(key, |page| {
            let fresh = page.changes == changes && page.made.elapsed() < LONGEST;
            fresh.then(|| page.clone())
        })?;
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(page)
    }

    fn put(&self, key: PageKey, page: Page) {
        // The parts and the body last put together.
        let size = 2 * page.len + key.here.len();
        if size > CAPACITY_BYTES / 16 {
            return;
        }
        self.entries.put(key, Arc::new(page), size);
    }

    /// How many pages are kept.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// How many reads were answered from the cache.
    #[cfg(test)]
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }
}

/// Middleware for reading pages: answers a signed-in user's GET from the
/// cache when it can, else renders and keeps what it may.
pub async fn cached_page(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    // A browser that wrote a moment ago reads afresh (and what it reads
    // is kept for the next reader).
    let marked = cookie(request.headers(), WROTE_COOKIE).is_some();
    let (mut parts, body) = request.into_parts();
    let session = match Session::from_request_parts(&mut parts, &state).await {
        Ok(s) => s,
        Err(e) => return e.into_response(),
    };
    let request = Request::from_parts(parts, body);
    let (Principal::User(user), Some(csrf)) = (&session.principal, &session.csrf) else {
        return next.run(request).await;
    };
    // Without the counter nothing can be kept safely: render.
    let Ok(changes) = state.store().changes().await else {
        return next.run(request).await;
    };
    let key = PageKey {
        user: user.id,
        lang: session.lang,
        htmx: request.headers().contains_key("hx-request"),
        here: session.here.clone(),
    };
    if !marked && let Some(page) = state.pages.get(&key, changes) {
        return page.response(csrf);
    }
    let response = next.run(request).await;
    if !keepable(&response) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            return (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response();
        }
    };
    state.pages.put(
        key,
        Page::new(
            changes,
            parts.headers.clone(),
            cut(&bytes, csrf.as_bytes()),
            bytes.len(),
        ),
    );
    Response::from_parts(parts, Body::from(bytes))
}

/// Whether `response` may be kept: a 200 in HTML that sets no cookie.
fn keepable(response: &Response) -> bool {
    response.status() == StatusCode::OK
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"))
}

/// `bytes` cut at every occurrence of `token` (the token left out).
fn cut(bytes: &Bytes, token: &[u8]) -> Vec<Bytes> {
    let mut parts = Vec::new();
    let mut from = 0;
    for at in memchr::memmem::find_iter(bytes, token) {
        parts.push(bytes.slice(from..at));
        from = at + token.len();
    }
    parts.push(bytes.slice(from..));
    parts
}

/// Whether `request` is a form sent by a page (any method but GET and
/// HEAD, outside the API): see [`mark`].
pub fn writes(request: &Request) -> bool {
    !matches!(*request.method(), Method::GET | Method::HEAD)
        && !request.uri().path().starts_with("/api/")
}

/// Marks the browser that sent a form ([`writes`]) for [`WROTE_SECONDS`],
/// so that the pages it reads next are rendered afresh on whichever server
/// answers.
pub fn mark(state: &AppState, response: &mut Response) {
    let set = cookie_header(state, WROTE_COOKIE, "1", WROTE_SECONDS);
    if let Ok(v) = HeaderValue::from_str(&set) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_every_token_and_puts_it_back() {
        let page = Bytes::from_static(b"<a>TOKEN</a><b>TOKEN</b>end");
        let parts = cut(&page, b"TOKEN");
        assert_eq!(parts.len(), 3);
        let kept = Page::new(0, HeaderMap::new(), parts, page.len());
        for token in ["other", "other", "third", "other"] {
            let bytes = futures_bytes(kept.response(token));
            let want = format!("<a>{token}</a><b>{token}</b>end");
            assert_eq!(bytes, want.as_bytes());
        }
    }

    fn futures_bytes(response: Response) -> Vec<u8> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap()
                .to_vec()
        })
    }

    fn key(here: &str) -> PageKey {
        PageKey {
            user: 1,
            lang: Lang::Ja,
            here: here.into(),
            htmx: false,
        }
    }

    fn page(changes: u64, len: usize) -> Page {
        Page::new(
            changes,
            HeaderMap::new(),
            vec![Bytes::from(vec![b'x'; len])],
            len,
        )
    }

    #[test]
    fn serves_only_what_was_made_at_the_same_count_and_stays_bounded() {
        let cache = PageCache::default();
        cache.put(key("/a"), page(7, 10));
        assert!(cache.get(&key("/a"), 7).is_some());
        assert!(cache.get(&key("/a"), 8).is_none(), "a commit since");
        assert!(cache.get(&key("/b"), 7).is_none());
        let other_user = PageKey {
            user: 2,
            ..key("/a")
        };
        assert!(cache.get(&other_user, 7).is_none(), "another user's");
        for i in 0..40 {
            cache.put(key(&format!("/{i}")), page(7, CAPACITY_BYTES / 40));
        }
        assert!(cache.entries.total() <= CAPACITY_BYTES);
        let kept = cache.len();
        assert!(kept > 0 && kept < 41, "started afresh once full: {kept}");
        // What is counted is what is kept: each page at twice its body
        // (the parts and the body last put together) and its path.
        let held = cache.entries.recount(|k, p| 2 * p.len + k.here.len());
        assert_eq!(cache.entries.total(), held);
    }
}
