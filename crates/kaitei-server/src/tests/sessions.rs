//! Signing in and out, CSRF, sessions shared by servers, security headers
//! and input limits.

use super::*;

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
    assert_eq!(
        res.headers()[header::LOCATION],
        "/bodies/033219/policy",
        "a body officer's home: the body's policy"
    );
    let vendor = format!("login=vendor&password={}&csrf=abc", demo::DEMO_PASSWORD);
    let to = post_form(&w.state, "/login", cookie, vendor).await;
    assert_eq!(
        to.headers()[header::LOCATION],
        "/",
        "a vendor reads the published editions"
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
    let cookie = cookie_of(&w, "shiwa");
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
    let admin = cookie_of(&w, "admin");
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
    let cookie = cookie_of(&w, "shiwa");
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

/// Several servers over one database (on each backend): a session made on
/// one is good on the other, an edit saved on one is read on the other at
/// once by the browser that saved it, and signing out on one is refused by the other within
/// `SESSION_TTL`.
#[tokio::test]
async fn servers_sharing_a_database_agree() {
    for w in worlds().await {
        let other = AppState::new(w._db.open().await, false);
        let (cookie, csrf) = sign_in(&w, "shiwa").await;
        let uri = "/bodies/033219/policy/clauses/n1.1";
        assert_eq!(get(&other, uri, Some(&cookie)).await.0, StatusCode::OK);
        let form = format!("text={}&base=0&csrf={csrf}", enc("二台目から読める文言。"));
        let res = post_form(&w.state, uri, Some(&cookie), form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        // The browser that saved sends back the mark the save set (it reads
        // afresh on any server; others within two looks, `page_cache.rs`).
        let marked = format!("{cookie}; {}", wrote_cookie(&res));
        assert!(
            get(&other, uri, Some(&marked))
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
