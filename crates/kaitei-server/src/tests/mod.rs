//! Every route × every role against a table written out from the rules
//! (never computed from the authorisation module); CSRF, headers, limits.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kaitei_model::BodyCode;
use kaitei_store::Role;
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
    let store = app.store();
    // Another body's officer, whose body has no policy at all.
    store
        .add_user(
            "chiyoda",
            demo::DEMO_PASSWORD,
            Role::Body,
            BodyCode::parse("131016").ok(),
        )
        .await
        .expect("user");
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

/// Expected status per route, in the order: anonymous, admin, committee,
/// iwate (岩手県 officer), shiwa (紫波町 officer), chiyoda (千代田区 officer),
/// vendor. 303 = sent to the sign-in page, 404 = not shown (another body's
/// unpublished data looks like nothing).
const MATRIX: &[(&str, [u16; 7])] = &[
    ("/login", [200, 200, 200, 200, 200, 200, 200]),
    ("/", [303, 200, 200, 200, 200, 200, 403]),
    (
        "/editions/令和6年10月版",
        [303, 200, 200, 200, 200, 200, 403],
    ),
    (
        "/editions/令和7年3月版/clauses/s4-1",
        [303, 200, 200, 200, 200, 200, 403],
    ),
    (
        "/diff?old=令和6年10月版&new=令和7年3月版",
        [303, 200, 200, 200, 200, 200, 403],
    ),
    (
        "/diff?old=令和6年10月版&new=令和7年3月版&format=docx",
        [303, 200, 200, 200, 200, 200, 403],
    ),
    (
        "/diff?old=令和6年10月版&new=令和7年3月版&format=text",
        [303, 200, 200, 200, 200, 200, 403],
    ),
    // 岩手県's policy is published: every signed-in user reads it.
    ("/bodies/030007/policy", [303, 200, 200, 200, 200, 200, 200]),
    // 紫波町's is not: its officers and the ministry only (its prefecture
    // sees its status, not its text).
    ("/bodies/033219/policy", [303, 200, 404, 404, 200, 404, 404]),
    // 盛岡市's neither: only the ministry (no 盛岡市 officer here).
    ("/bodies/032018/policy", [303, 200, 404, 404, 404, 404, 404]),
    (
        "/bodies/033219/policy/clauses/n1.1",
        [303, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/030007/policy/clauses/p-b1",
        [303, 200, 200, 200, 200, 200, 200],
    ),
    // A ward of a designated city, a wrong check digit, a body without a policy.
    ("/bodies/011011/policy", [303, 404, 404, 404, 404, 404, 404]),
    ("/bodies/131017/policy", [303, 404, 404, 404, 404, 404, 404]),
    ("/bodies/131016/policy", [303, 404, 404, 404, 404, 404, 404]),
    ("/api/v1/openapi.json", [200, 200, 200, 200, 200, 200, 200]),
    ("/api/v1/editions", [401, 200, 200, 200, 200, 200, 403]),
    (
        "/api/v1/editions/令和7年3月版",
        [401, 200, 200, 200, 200, 200, 403],
    ),
    (
        "/api/v1/diff?old=令和6年10月版&new=令和7年3月版",
        [401, 200, 200, 200, 200, 200, 403],
    ),
    (
        "/api/v1/bodies/030007/policy",
        [401, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/api/v1/bodies/033219/policy",
        [401, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/api/v1/bodies/032018/policy",
        [401, 200, 404, 404, 404, 404, 404],
    ),
    ("/search?q=監査", [303, 200, 200, 200, 200, 200, 200]),
    // The national dashboard is the ministry's.
    ("/dashboard", [303, 200, 403, 403, 403, 403, 403]),
    ("/api/v1/dashboard", [401, 200, 403, 403, 403, 403, 403]),
    ("/api/v1/session", [401, 200, 200, 200, 200, 200, 200]),
    // A prefecture's status page: open to anyone signed in, each row only
    // to those who may see it (see the test below); not for a municipality.
    (
        "/prefectures/030007/status",
        [303, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/prefectures/033219/status",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/api/v1/prefectures/030007/status",
        [401, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/api/v1/bodies/033219/policy/clauses/n1.1",
        [401, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/api/v1/bodies/030007/policy/clauses/p-b1",
        [401, 200, 200, 200, 200, 200, 200],
    ),
    ("/api/v1/search?q=監査", [401, 200, 200, 200, 200, 200, 200]),
    ("/api/v1/search?q=監", [401, 400, 400, 400, 400, 400, 400]),
    // The merge review: those who may change the policy.
    (
        "/bodies/033219/policy/review",
        [303, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/030007/policy/review",
        [303, 200, 403, 200, 403, 403, 403],
    ),
    (
        "/bodies/032018/policy/review",
        [303, 200, 404, 404, 404, 404, 404],
    ),
    (
        "/bodies/131016/policy/review",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/api/v1/bodies/033219/policy/review",
        [401, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/api/v1/bodies/030007/policy/review",
        [401, 200, 403, 200, 403, 403, 403],
    ),
    // Choosing the language, the vendored script: anyone.
    ("/lang/en?back=/", [303, 303, 303, 303, 303, 303, 303]),
    ("/lang/xx", [400, 400, 400, 400, 400, 400, 400]),
    (
        "/static/htmx-2.0.11.min.js",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    ("/static/other.js", [404, 404, 404, 404, 404, 404, 404]),
    ("/no/such/page", [404, 404, 404, 404, 404, 404, 404]),
];

#[tokio::test]
async fn every_route_and_every_role() {
    for w in worlds().await {
        every_route_on(&w).await;
    }
}

async fn every_route_on(w: &World) {
    let mut failures = Vec::new();
    for (route, expected) in MATRIX {
        for ((who, cookie), want) in w.cookies.iter().zip(expected) {
            let (status, body) = get(&w.state, &enc(route), cookie.as_deref()).await;
            if status.as_u16() != *want {
                failures.push(format!(
                    "{route} as {who} on {}: {status}, expected {want}",
                    w._db.url
                ));
            }
            // A refusal never carries the data.
            if *want != 200 {
                assert!(
                    !body.contains("情報セキュリティ"),
                    "{route} as {who} leaked: {body}"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Search shows only what the user may see: 盛岡市 appears only in 盛岡市's
/// unpublished policy.
#[tokio::test]
async fn search_never_shows_another_bodys_unpublished_policy() {
    let w = world().await;
    let cookie = |who: &str| {
        w.cookies
            .iter()
            .find(|c| c.0 == who)
            .and_then(|c| c.1.clone())
    };
    let (status, admin) = get(
        &w.state,
        &enc("/api/v1/search?q=盛岡市"),
        cookie("admin").as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(admin.contains("032018"), "the ministry finds it: {admin}");
    for who in ["committee", "iwate", "shiwa", "chiyoda", "vendor"] {
        let (status, body) = get(
            &w.state,
            &enc("/api/v1/search?q=盛岡市"),
            cookie(who).as_deref(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            !body.contains("032018"),
            "{who} sees 盛岡市's policy: {body}"
        );
    }
    let (_, page) = get(
        &w.state,
        &enc("/search?q=監査"),
        cookie("committee").as_deref(),
    )
    .await;
    assert!(page.contains("<mark>監査</mark>"), "highlighted");
}

#[tokio::test]
async fn a_policy_page_shows_the_impact_of_the_latest_edition() {
    let w = world().await;
    let shiwa = w
        .cookies
        .iter()
        .find(|c| c.0 == "shiwa")
        .and_then(|c| c.1.clone());
    let (status, page) = get(&w.state, "/bodies/033219/policy", shiwa.as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("令和7年3月版 による影響"), "{page}");
    assert!(page.contains("要判断"), "{page}");
}

#[tokio::test]
async fn the_dashboard_counts_bodies_by_edition() {
    let w = world().await;
    let admin = w
        .cookies
        .iter()
        .find(|c| c.0 == "admin")
        .and_then(|c| c.1.clone());
    let (status, page) = get(&w.state, "/dashboard", admin.as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    // Three demo bodies, all in 岩手県 (33 bodies), all on 令和6年10月版.
    assert!(
        page.contains("ポリシーを登録済みの団体：3 / 1788"),
        "{page}"
    );
    assert!(
        page.contains("030007 岩手県</a></th><td>34</td><td>3<"),
        "{page}"
    );
    // The national impact of the latest edition: all three demo policies
    // follow the older one; the figures agree with the engine's.
    let (status, json) = get(&w.state, "/api/v1/dashboard", admin.as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    let n: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(n["latest"], "令和7年3月版");
    assert_eq!(n["behind"], 3);
    let iwate = n["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "030007")
        .unwrap();
    assert_eq!(iwate["editions"], serde_json::json!([3, 0]));
    assert_eq!(iwate["behind"], 3);
    let total: u64 = (0..3).map(|i| n["severities"][i].as_u64().unwrap()).sum();
    // The oracle: the engine run on each stored policy directly.
    let store = w.state.store();
    let doc = |name: &str| {
        let name = kaitei_model::EditionName::parse(name).unwrap();
        async move {
            store
                .get(&kaitei_store::DocumentRef::Edition(name))
                .await
                .unwrap()
                .unwrap()
        }
    };
    let (old, new) = (doc("令和6年10月版").await, doc("令和7年3月版").await);
    let changes = kaitei_compare::policy::EditionChanges::new(&kaitei_compare::compare(
        &old,
        &new,
        kaitei_compare::KeyUse::All,
    ));
    let (mut expected, mut unaligned) = (0, 0);
    for current in store
        .current_policies(kaitei_store::PolicyScope::Latest)
        .await
        .unwrap()
    {
        let p = store.load(current.id).await.unwrap().unwrap();
        if p.nodes().any(|n| n.from.is_some()) {
            expected += kaitei_compare::policy::impact(&p, &changes).len() as u64;
        } else {
            unaligned += 1;
        }
    }
    assert_eq!(total, expected, "{n}");
    assert!(
        total > 0 && n["needing_decision"].as_u64().unwrap() >= 1,
        "{n}"
    );
    assert_eq!(
        n["unaligned"], unaligned,
        "policies without provenance are named, not zero"
    );
    assert!(page.contains("<svg role=\"img\""), "a chart");
    assert!(page.contains("全国への影響（令和7年3月版）"), "{page}");
}

/// Who may change a clause: the body's officers and the ministry; others
/// who may read a published policy may not change it; a wrong or missing
/// CSRF token is refused; a saved edit is there, with its history.
#[tokio::test]
async fn editing_a_clause() {
    let w = world().await;
    let uri = "/bodies/030007/policy/clauses/p-b1";
    let form = |csrf: &str| {
        format!("text=%E6%9C%AC%E7%9C%8C%E3%81%AE%E7%9B%AE%E7%9A%84%E3%80%82&base=0&csrf={csrf}")
    };
    // 紫波町's officer reads 岩手県's published policy but may not change it.
    let (cookie, csrf) = sign_in(&w, "shiwa").await;
    assert_eq!(
        post_form(&w.state, uri, Some(&cookie), form(&csrf))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // 岩手県's officer may, with the right token only.
    let (cookie, csrf) = sign_in(&w, "iwate").await;
    assert_eq!(
        post_form(&w.state, uri, Some(&cookie), form("wrong"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert!(
        post_form(&w.state, uri, Some(&cookie), "text=x".into())
            .await
            .status()
            .is_client_error()
    );
    let res = post_form(&w.state, uri, Some(&cookie), form(&csrf)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&w.state, uri, Some(&cookie)).await;
    assert!(page.contains("本県の目的。"), "saved: {page}");
    assert!(page.contains("第1版（iwate が変更）"), "history: {page}");
    // Too long is a clear 400.
    let long = format!("text={}&base=1&csrf={csrf}", "a".repeat(10_001));
    assert_eq!(
        post_form(&w.state, uri, Some(&cookie), long).await.status(),
        StatusCode::BAD_REQUEST
    );
    // Anonymous: sent to sign in.
    assert_eq!(
        post_form(&w.state, uri, None, form("x")).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn every_response_has_security_headers() {
    let w = world().await;
    for route in ["/login", "/", "/api/v1/openapi.json", "/no/such/page"] {
        let res = app(w.state.clone())
            .oneshot(Request::get(route).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let h = res.headers();
        let csp = h
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'"), "{route}: {csp}");
        assert_eq!(
            h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff",
            "{route}"
        );
    }
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

#[tokio::test]
async fn sign_in_needs_its_csrf_token() {
    let w = world().await;
    let form = |csrf: &str| format!("login=shiwa&password={}&csrf={csrf}", demo::DEMO_PASSWORD);
    // No token cookie, or a wrong token: refused.
    assert_eq!(
        post_form(&w.state, "/login", None, form("x"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let cookie = Some("kaitei_login_csrf=abc");
    assert_eq!(
        post_form(&w.state, "/login", cookie, form("abd"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    // The right one signs in with a safe cookie.
    let res = post_form(&w.state, "/login", cookie, form("abc")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/", "home: the editions");
    let vendor = format!("login=vendor&password={}&csrf=abc", demo::DEMO_PASSWORD);
    let to = post_form(&w.state, "/login", cookie, vendor).await;
    assert_eq!(
        to.headers()[header::LOCATION],
        "/search",
        "a vendor may not read editions"
    );
    let set = res
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        set.starts_with("kaitei_session=")
            && set.contains("HttpOnly")
            && set.contains("SameSite=Strict"),
        "{set}"
    );
    // A wrong password is a 401 with the form again.
    let bad = "login=shiwa&password=wrong-password&csrf=abc".to_string();
    assert_eq!(
        post_form(&w.state, "/login", cookie, bad).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn sign_out_needs_the_sessions_csrf_token() {
    let w = world().await;
    let cookie = w
        .cookies
        .iter()
        .find(|c| c.0 == "shiwa")
        .and_then(|c| c.1.clone());
    let res = post_form(&w.state, "/logout", cookie.as_deref(), "csrf=wrong".into()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = post_form(&w.state, "/logout", cookie.as_deref(), String::new()).await;
    assert!(
        res.status().is_client_error(),
        "a missing token is refused: {}",
        res.status()
    );
    // The session is still alive after both refusals.
    assert_eq!(
        get(&w.state, &enc("/"), cookie.as_deref()).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn input_over_its_limit_is_a_clear_4xx() {
    let w = world().await;
    let admin = w
        .cookies
        .iter()
        .find(|c| c.0 == "admin")
        .and_then(|c| c.1.clone());
    let long = format!("/editions/{}", "x".repeat(300));
    let (status, body) = get(&w.state, &long, admin.as_deref()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("1 to 200 bytes"), "{body}");
    let (status, body) = get(
        &w.state,
        &enc("/diff?old=令和6年10月版&new=令和7年3月版&format=pdf"),
        admin.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("unknown format"), "{body}");
    let huge = format!("login={}&password=x&csrf=abc", "a".repeat(200_000));
    let res = post_form(&w.state, "/login", Some("kaitei_login_csrf=abc"), huge).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A decision or a clause over 10,000 characters: 400, saying so.
    let (cookie, csrf) = sign_in(&w, "shiwa").await;
    let long = "あ".repeat(10_001);
    let res = post_form(
        &w.state,
        "/bodies/033219/policy/review/clauses/n1.1",
        Some(&cookie),
        format!("decision=edit&text={}&csrf={csrf}", enc(&long)),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("at most 10000 characters"));
    // The longest clause allowed fits in a form, however it is encoded.
    let longest = "あ".repeat(10_000);
    let res = post_form(
        &w.state,
        "/bodies/033219/policy/clauses/n1.1",
        Some(&cookie),
        format!("text={}&base=0&csrf={csrf}", enc(&longest)),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let clause = "/api/v1/bodies/033219/policy/clauses/n1.1";
    let json = |body: String| post_json(&w.state, clause, (&cookie, &csrf), body);
    let res = json(format!(
        r#"{{"paragraphs": ["{long}"], "base_version": 1}}"#
    ))
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // A body that is not the JSON asked for: a 4xx that says what is wrong.
    let res = json(r#"{"paragraphs": "not a list", "base_version": 1}"#.to_string()).await;
    assert!(res.status().is_client_error(), "{}", res.status());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert!(
        String::from_utf8_lossy(&body).contains("paragraphs"),
        "names the field"
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_at_once_though_it_was_cached() {
    let w = world().await;
    let cookie = w
        .cookies
        .iter()
        .find(|c| c.0 == "shiwa")
        .and_then(|c| c.1.clone());
    // The first page reads the session from the store and keeps it.
    let (status, page) = get(&w.state, "/", cookie.as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.get(..64))
        .expect("the page carries the session's CSRF token")
        .to_string();
    let res = post_form(
        &w.state,
        "/logout",
        cookie.as_deref(),
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        get(&w.state, "/", cookie.as_deref()).await.0,
        StatusCode::SEE_OTHER,
        "the old cookie no longer signs in"
    );
}

#[tokio::test]
async fn a_comparison_is_the_same_made_or_kept() {
    let w = world().await;
    let admin = w
        .cookies
        .iter()
        .find(|c| c.0 == "admin")
        .and_then(|c| c.1.clone());
    let uri = enc("/api/v1/diff?old=令和6年10月版&new=令和7年3月版");
    let (first_status, first) = get(&w.state, &uri, admin.as_deref()).await;
    let (second_status, second) = get(&w.state, &uri, admin.as_deref()).await;
    assert_eq!(
        (first_status, second_status),
        (StatusCode::OK, StatusCode::OK)
    );
    assert!(
        first.starts_with("{") && first.contains("\"rows\""),
        "{}",
        &first[..200.min(first.len())]
    );
    assert_eq!(first, second);
    assert_eq!(
        w.state.outputs.renderings(),
        1,
        "the second request was answered from what the first made"
    );
    // Kept per format: the page asks for HTML and gets HTML.
    let (_, page) = get(
        &w.state,
        &enc("/diff?old=令和6年10月版&new=令和7年3月版"),
        admin.as_deref(),
    )
    .await;
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..100]);
    let (_, text) = get(
        &w.state,
        &enc("/diff?old=令和6年10月版&new=令和7年3月版&format=text"),
        admin.as_deref(),
    )
    .await;
    assert!(
        text.contains('［') && !text.contains('<'),
        "plain text, changes in ［ ］: {}",
        &text[..200.min(text.len())]
    );
    assert_eq!(w.state.outputs.renderings(), 3, "one rendering per format");
}

mod concurrency;
mod forms;
mod review;
mod sign_in;

/// Every `/api/v1` route the router has is in the OpenAPI document, with
/// its methods, and the document describes nothing the router lacks.
#[test]
fn the_openapi_document_describes_every_api_route() {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../openapi.json")).expect("valid JSON");
    let described: std::collections::BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (path.clone(), m.clone()))
        })
        .collect();
    let mut routed = std::collections::BTreeSet::new();
    for chunk in include_str!("../lib.rs").split(".route(").skip(1) {
        let path = chunk.trim_start().trim_start_matches('"');
        let Some(end) = path.find('"') else { continue };
        let (path, rest) = path.split_at(end);
        let rest = &rest[..rest.find(".route(").unwrap_or(rest.len())];
        if !path.starts_with("/api/v1/") || path == "/api/v1/openapi.json" {
            continue;
        }
        for method in ["get", "post"] {
            if rest.contains(&format!("{method}(")) {
                routed.insert((path.to_string(), method.to_string()));
            }
        }
    }
    assert!(routed.len() >= 12, "the scan finds the routes: {routed:?}");
    assert_eq!(routed, described);
}

/// Status, never text: 岩手県's officer sees every municipality's row of
/// 岩手県 (which edition, published or not) but reads the text of none that
/// is unpublished; 紫波町's sees its own row and published ones only; the
/// committee sees published rows only.
#[tokio::test]
async fn a_prefecture_sees_its_municipalities_status_not_their_text() {
    let w = world().await;
    let cookie = |who: &str| {
        w.cookies
            .iter()
            .find(|c| c.0 == who)
            .and_then(|c| c.1.clone())
    };
    let rows = |json: &str| -> Vec<(String, bool)> {
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| !r["policy"].is_null())
            .map(|r| {
                (
                    r["code"].as_str().unwrap().to_string(),
                    r["readable"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    let uri = "/api/v1/prefectures/030007/status";
    let (_, iwate) = get(&w.state, uri, cookie("iwate").as_deref()).await;
    assert_eq!(
        rows(&iwate),
        [
            ("030007".to_string(), true),
            ("032018".to_string(), false),
            ("033219".to_string(), false)
        ]
    );
    let v: serde_json::Value = serde_json::from_str(&iwate).unwrap();
    assert_eq!(v["hidden"], 0, "the prefecture sees every row");
    let town = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "033219")
        .unwrap();
    assert_eq!(town["derived_from"], "令和6年10月版");
    let (_, shiwa) = get(&w.state, uri, cookie("shiwa").as_deref()).await;
    assert_eq!(
        rows(&shiwa),
        [("030007".to_string(), true), ("033219".to_string(), true)]
    );
    let (_, committee) = get(&w.state, uri, cookie("committee").as_deref()).await;
    assert_eq!(rows(&committee), [("030007".to_string(), true)]);
    let v: serde_json::Value = serde_json::from_str(&committee).unwrap();
    assert_eq!(
        v["rows"].as_array().unwrap().len(),
        1,
        "no unpublished row, not even empty ones"
    );
    // The page says the same, with the way there in the prefecture's menu.
    let (_, page) = get(
        &w.state,
        "/prefectures/030007/status",
        cookie("iwate").as_deref(),
    )
    .await;
    assert!(page.contains("岩手県 管内の状況"), "{page}");
    assert!(
        page.contains("href=\"/prefectures/030007/status\""),
        "in the menu"
    );
    assert!(page.contains("033219 紫波町") && !page.contains("href=\"/bodies/033219/policy\""));
}

/// Several servers over one database (on each backend): a session made on
/// one is good on the other, an edit saved on one is read on the other at
/// once, and signing out on one is refused by the other within
/// `SESSION_TTL`.
#[tokio::test]
async fn servers_sharing_a_database_agree() {
    for w in worlds().await {
        let other = AppState::new(w._db.open().await, false);
        let (cookie, csrf) = sign_in(&w, "shiwa").await;
        let uri = "/bodies/033219/policy/clauses/n1.1";
        assert_eq!(get(&other, uri, Some(&cookie)).await.0, StatusCode::OK);
        let form = format!("text={}&base=0&csrf={csrf}", enc("二台目から読める文言。"));
        assert_eq!(
            post_form(&w.state, uri, Some(&cookie), form).await.status(),
            StatusCode::SEE_OTHER
        );
        assert!(
            get(&other, uri, Some(&cookie))
                .await
                .1
                .contains("二台目から読める文言。")
        );
        let res = post_form(&w.state, "/logout", Some(&cookie), format!("csrf={csrf}")).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            get(&w.state, "/", Some(&cookie)).await.0,
            StatusCode::SEE_OTHER
        );
        tokio::time::sleep(
            crate::session_cache::SESSION_TTL + std::time::Duration::from_millis(200),
        )
        .await;
        assert_eq!(
            get(&other, "/", Some(&cookie)).await.0,
            StatusCode::SEE_OTHER,
            "{}: the other server has let the session go",
            w._db.url
        );
    }
}

/// A body publishes its policy: every signed-in user may then read it;
/// withdrawn, it is its own again.
#[tokio::test]
async fn publishing_opens_a_policy_to_everyone_signed_in() {
    let w = world().await;
    let (shiwa, csrf) = sign_in(&w, "shiwa").await;
    let (committee, _) = sign_in(&w, "committee").await;
    let page = "/bodies/033219/policy";
    assert_eq!(
        get(&w.state, page, Some(&committee)).await.0,
        StatusCode::NOT_FOUND
    );
    let (_, own) = get(&w.state, page, Some(&shiwa)).await;
    assert!(
        own.contains("非公開（") && own.contains("公開する"),
        "{own}"
    );
    let publish = |v: &str| format!("public={v}&csrf={csrf}");
    let res = post_form(
        &w.state,
        "/bodies/033219/policy/public",
        Some(&shiwa),
        publish("1"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, read) = get(&w.state, page, Some(&committee)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        read.contains("公開（サインインした全員") && !read.contains("非公開にする"),
        "a reader cannot withdraw it"
    );
    let res = post_form(
        &w.state,
        "/bodies/033219/policy/public",
        Some(&shiwa),
        publish("maybe"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = post_form(
        &w.state,
        "/bodies/033219/policy/public",
        Some(&shiwa),
        publish("0"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        get(&w.state, page, Some(&committee)).await.0,
        StatusCode::NOT_FOUND
    );
}

/// Two people open the same clause; the first saves; the second's save,
/// based on what is now an older text, is refused (409) and nothing of the
/// first is lost.
#[tokio::test]
async fn a_stale_edit_is_refused_not_saved_over_another() {
    let w = world().await;
    let uri = "/bodies/030007/policy/clauses/p-b1";
    let (iwate, iwate_csrf) = sign_in(&w, "iwate").await;
    let (admin, admin_csrf) = sign_in(&w, "admin").await;
    for cookie in [&iwate, &admin] {
        let (_, page) = get(&w.state, uri, Some(cookie)).await;
        assert!(page.contains("name=\"base\" value=\"0\""), "{page}");
    }
    let form = |text: &str, csrf: &str| format!("text={}&base=0&csrf={csrf}", enc(text));
    let first = post_form(&w.state, uri, Some(&iwate), form("県の文言。", &iwate_csrf)).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = post_form(&w.state, uri, Some(&admin), form("省の文言。", &admin_csrf)).await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let body = second.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("changed by someone else"));
    let (_, page) = get(&w.state, uri, Some(&admin)).await;
    assert!(page.contains("県の文言。") && !page.contains("省の文言。"));
    assert!(
        page.contains("name=\"base\" value=\"1\""),
        "the next edit builds on it"
    );
}

/// A browser asking for a page gets an error as a page (same words, a way
/// home); the API and htmx get the plain text.
#[tokio::test]
async fn errors_are_pages_for_browsers_and_text_for_the_api() {
    let w = world().await;
    let (cookie, _) = sign_in(&w, "committee").await;
    let ask = |uri: &str, accept: &str| {
        Request::get(uri)
            .header(header::COOKIE, &cookie)
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap()
    };
    let browser = "text/html,application/xhtml+xml,*/*;q=0.8";
    let res = app(w.state.clone())
        .oneshot(ask("/no/such/page", browser))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    assert!(res.headers().contains_key(header::CONTENT_SECURITY_POLICY));
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let body = String::from_utf8_lossy(&body);
    assert!(
        body.contains("<h1") && body.contains("見つかりません（not found）"),
        "{body}"
    );
    for (uri, accept) in [
        ("/api/v1/bodies/032018/policy", browser),
        ("/no/such/page", "*/*"),
    ] {
        let res = app(w.state.clone())
            .oneshot(ask(uri, accept))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(
            res.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/plain"),
            "{uri}"
        );
    }
}
