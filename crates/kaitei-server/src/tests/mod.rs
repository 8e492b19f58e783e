use axum::body::Body;

use axum::http::{Request, StatusCode, header};

use http_body_util::BodyExt;

use kaitei_model::BodyCode;

use tower::ServiceExt;

use crate::{AppState, app, demo};

struct World {
    state: AppState,
    /// Session cookies by account; `None` = anonymous.
    cookies: Vec<(&'static str, Option<String>)>,
    _db: kaitei_store::testing::TestDb,
}

/// The demo world on SQLite.
async fn world() -> World {
    let mut all = worlds().await;
    all.swap_remove(0)
}

/// The demo world on each backend under test (SQLite, and PostgreSQL where
/// `KAITEI_TEST_POSTGRES` is set; required under CI).
async fn worlds() -> Vec<World> {
    let mut out = Vec::new();
    for db in kaitei_store::testing::databases().await {
        out.push(world_on(db).await);
    }
    out
}

async fn world_on(db: kaitei_store::testing::TestDb) -> World {
    let app = kaitei_app::App::new(db.open().await);
    demo::seed(&app).await.expect("seed");
    crate::demo_cycle::seed_cycle(&app, crate::handlers::now(), 6)
        .await
        .expect("seed the cycle");
    // 千代田区's officer (a demo account) is another body's, whose body
    // has no policy at all.
    let store = app.store();
    let mut cookies = vec![("anonymous", None)];
    for login in ["admin", "committee", "iwate", "shiwa", "chiyoda", "vendor"] {
        let user = store
            .check_login(login, demo::DEMO_PASSWORD)
            .await
            .unwrap()
            .expect("login");
        let (token, _) = store.start_session(user.id).await.unwrap();
        cookies.push((login, Some(format!("kaitei_session={token}"))));
    }
    World {
        state: AppState::with_app(app.clone(), false),
        cookies,
        _db: db,
    }
}

async fn get(state: &AppState, uri: &str, cookie: Option<&str>) -> (StatusCode, String) {
    let mut req = Request::get(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = app(state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~=&?/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The session cookie of demo user `login` (signed in when the world was made).
fn cookie_of(w: &World, login: &str) -> Option<String> {
    w.cookies
        .iter()
        .find(|c| c.0 == login)
        .and_then(|c| c.1.clone())
}

/// A fresh session of demo account `who`: (cookie, CSRF token).
async fn sign_in(w: &World, who: &str) -> (String, String) {
    let user = w
        .state
        .store()
        .check_login(who, demo::DEMO_PASSWORD)
        .await
        .unwrap()
        .expect("a demo account");
    let (token, csrf) = w.state.store().start_session(user.id).await.unwrap();
    (format!("kaitei_session={token}"), csrf)
}

/// The `kaitei_wrote` cookie a response sets, as a browser would send it back.
fn wrote_cookie(res: &axum::response::Response) -> String {
    res.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("kaitei_wrote="))
        .and_then(|v| v.split(';').next())
        .expect("a form sent marks the browser")
        .to_string()
}

async fn post_form(
    state: &AppState,
    uri: &str,
    cookie: Option<&str>,
    body: String,
) -> axum::response::Response {
    let mut req =
        Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    app(state.clone())
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap()
}

/// A JSON API call with a session (cookie, CSRF token).
async fn post_json(
    state: &AppState,
    uri: &str,
    (cookie, csrf): (&str, &str),
    body: String,
) -> axum::response::Response {
    app(state.clone())
        .oneshot(
            Request::post(uri)
                .header(header::COOKIE, cookie)
                .header("x-csrf-token", csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap()
}

/// A multipart form post: `(name, file name, bytes)` per field.
async fn post_multipart(
    state: &AppState,
    uri: &str,
    cookie: &str,
    fields: &[(&str, Option<&str>, &[u8])],
) -> axum::response::Response {
    let boundary = "kaiteiboundary";
    let mut body = Vec::new();
    for (name, file, bytes) in fields {
        let file = file.map_or(String::new(), |f| format!("; filename=\"{f}\""));
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    app(state.clone())
        .oneshot(
            Request::post(uri)
                .header(header::COOKIE, cookie)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap()
}

async fn status_of(res: axum::response::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

mod audit;
mod comment_review;
mod comparison;
mod concurrency;
mod consultation;
mod controls;
mod cycle;
mod editions;
mod forms;
mod frame;
mod linkage;
mod matrix;
mod national;
mod officer;
mod page_cache;
mod pages;
mod policies;
mod records;
mod review;
mod search;
mod sessions;
mod sign_in;
