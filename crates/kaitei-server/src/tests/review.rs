//! The merge review end to end, htmx fragments, and the English interface.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::{enc, get, post_form, sign_in, world};
use crate::app;

async fn review_json(w: &super::World, cookie: &str) -> serde_json::Value {
    let (status, body) = get(
        &w.state,
        "/api/v1/bodies/033219/policy/review",
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).expect("JSON")
}

#[tokio::test]
async fn a_body_reviews_decides_and_adopts_the_new_edition() {
    let w = world().await;
    let (cookie, csrf) = sign_in(&w, "shiwa").await;
    let (status, page) = get(&w.state, "/bodies/033219/policy/review", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("令和6年10月版 → 令和7年3月版 の改定の確認"),
        "{page}"
    );
    assert!(page.contains("htmx-2.0.11.min.js"));
    let review = review_json(&w, &cookie).await;
    let items = review["items"].as_array().unwrap().clone();
    let conflicts: Vec<&serde_json::Value> =
        items.iter().filter(|i| i["kind"] == "conflict").collect();
    assert!(conflicts.len() >= 2);
    assert_eq!(review["undecided_conflicts"], conflicts.len());

    // Every conflict but the last: keep ours (form posts, as without script).
    let (last, rest) = conflicts.split_last().unwrap();
    for c in rest {
        let key = c["key"].as_str().unwrap();
        let res = post_form(
            &w.state,
            &enc(&format!("/bodies/033219/policy/review/clauses/{key}")),
            Some(&cookie),
            format!("decision=keep&text=&csrf={csrf}"),
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{key}");
    }
    // Adopting now is refused, naming the one left.
    let next = "version=%E4%BB%A4%E5%92%8C8%E5%B9%B4%E5%BA%A6%E7%89%88&published=2026-04-01";
    let res = post_form(
        &w.state,
        "/bodies/033219/policy/review/adopt",
        Some(&cookie),
        format!("{next}&csrf={csrf}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let body = String::from_utf8_lossy(&body);
    assert!(
        body.contains(&last["path"].as_str().unwrap().replace('/', "&#x2f;")),
        "{body}"
    );

    // The last, decided through htmx with the body's own text: a fragment.
    let key = last["key"].as_str().unwrap();
    let uri = enc(&format!("/bodies/033219/policy/review/clauses/{key}"));
    let htmx = |form: String| {
        Request::post(uri.clone())
            .header(header::COOKIE, &cookie)
            .header("hx-request", "true")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap()
    };
    // An edit without text: the item again, with the reason (422).
    let res = app(w.state.clone())
        .oneshot(htmx(format!("decision=edit&text=&csrf={csrf}")))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fragment = res.into_body().collect().await.unwrap().to_bytes();
    let fragment = String::from_utf8_lossy(&fragment);
    assert!(fragment.contains("修正文が必要です"), "{fragment}");
    assert!(!fragment.contains("<html"), "a fragment, not a page");
    let own = "本町は、改定後も独自の基準により判断する。";
    let res = app(w.state.clone())
        .oneshot(htmx(format!(
            "decision=edit&text={}&csrf={csrf}",
            enc(own).replace('=', "%3D")
        )))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let fragment = res.into_body().collect().await.unwrap().to_bytes();
    let fragment = String::from_utf8_lossy(&fragment);
    assert!(
        fragment.contains("判断済み：修正して採用（shiwa）"),
        "{fragment}"
    );
    assert!(
        fragment.starts_with("\n<section") || fragment.trim_start().starts_with("<section"),
        "{fragment}"
    );

    // Saved means saved: the decisions are there on a fresh read.
    let review = review_json(&w, &cookie).await;
    assert_eq!(review["undecided_conflicts"], 0);

    let res = post_form(
        &w.state,
        "/bodies/033219/policy/review/adopt",
        Some(&cookie),
        format!("{next}&csrf={csrf}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The policy now follows the new edition and holds the decided texts.
    let (_, policy) = get(&w.state, "/api/v1/bodies/033219/policy", Some(&cookie)).await;
    let policy: serde_json::Value = serde_json::from_str(&policy).unwrap();
    assert_eq!(
        policy["meta"]["derived_from"], "令和7年3月版",
        "{}",
        policy["meta"]
    );
    let (_, page) = get(&w.state, "/bodies/033219/policy", Some(&cookie)).await;
    assert!(page.contains(own), "the edited text is adopted");
    for c in rest {
        let ours = c["ours"].as_array().unwrap();
        let text = ours.last().and_then(|t| t.as_str()).unwrap();
        assert!(page.contains(text), "kept: {text}");
    }
    // What it replaced is in the clause's history; nothing is left to review.
    let (_, clause) = get(
        &w.state,
        &enc(&format!("/bodies/033219/policy/clauses/{key}")),
        Some(&cookie),
    )
    .await;
    assert!(clause.contains("shiwa が変更"), "{clause}");
    let review = review_json(&w, &cookie).await;
    assert_eq!(review["items"].as_array().map(Vec::len), Some(0));
    assert!(review["latest"].is_null());
}

#[tokio::test]
async fn the_interface_speaks_english_when_asked() {
    let w = world().await;
    let (cookie, _) = sign_in(&w, "shiwa").await;
    // Chosen: a cookie, then back where the user was — on this site only.
    let res = app(w.state.clone())
        .oneshot(
            Request::get("/lang/en?back=%2Fsearch%3Fq%3Dx")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], "/search?q=x");
    let set = res.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(
        set.starts_with("kaitei_lang=en;") && set.contains("SameSite=Strict"),
        "{set}"
    );
    for back in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil",
        "/\t/evil.example/",
        "/\n/evil.example/",
        "/editions/令和7年3月版",
    ] {
        let res = app(w.state.clone())
            .oneshot(
                Request::get(format!("/lang/en?back={}", enc(back).replace('/', "%2F")))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.headers()[header::LOCATION], "/", "{back}");
    }
    let english = format!("{cookie}; kaitei_lang=en");
    let (_, home) = get(&w.state, "/", Some(&english)).await;
    assert!(home.contains("<html lang=\"en\">"));
    assert!(
        home.contains("Guideline editions") && home.contains("Sign out"),
        "{home}"
    );
    assert!(!home.contains("ガイドラインの版"), "{home}");
    let (_, review) = get(&w.state, "/bodies/033219/policy/review", Some(&english)).await;
    assert!(
        review.contains("Merge review: 令和6年10月版 → 令和7年3月版"),
        "{review}"
    );
    assert!(review.contains("Accept the proposal") && review.contains("Keep ours"));
    // The browser's preference, when nothing was chosen.
    let res = app(w.state.clone())
        .oneshot(
            Request::get("/login")
                .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.8")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert!(String::from_utf8_lossy(&body).contains("Login name"));
    // Japanese otherwise.
    let (_, home) = get(&w.state, "/", Some(&cookie)).await;
    assert!(home.contains("<html lang=\"ja\">") && home.contains("ガイドラインの版"));
    assert!(home.contains("English"), "a way to switch");
}

/// The town's policy records no placeholder values: the review lists what
/// its text shows (used in the proposal), clauses merged within name the
/// guideline's words, and a confirmed value is kept and no longer listed.
#[tokio::test]
async fn the_review_lists_inferred_values_and_confirms_one() {
    let w = world().await;
    let (cookie, csrf) = sign_in(&w, "shiwa").await;
    let review = review_json(&w, &cookie).await;
    let values = review["values"].as_array().expect("values").clone();
    let ciso = values
        .iter()
        .find(|v| v["name"] == "CISO職名")
        .unwrap_or_else(|| panic!("{values:?}"));
    assert_eq!(ciso["status"], "inferred", "{ciso}");
    assert_eq!(ciso["candidates"][0]["value"], "副町長");
    assert!(
        review["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| !i["from_guideline"].as_array().unwrap().is_empty()),
        "a clause merged within"
    );
    // The town's 規程: where new clauses went, for the review.
    let notes = review["notes"].as_array().expect("notes");
    assert!(
        notes
            .iter()
            .any(|n| n.as_str().unwrap().contains("第1条の2")),
        "{notes:?}"
    );
    let (_, page) = get(&w.state, "/bodies/033219/policy/review", Some(&cookie)).await;
    assert!(page.contains("差し込み項目の値") && page.contains("副町長"));
    assert!(page.contains("新設条項の位置についての注意"));
    assert!(page.contains("新版から入った語"));

    let res = post_form(
        &w.state,
        "/bodies/033219/policy/review/values",
        Some(&cookie),
        format!("name=CISO%E8%81%B7%E5%90%8D&value=%E5%89%AF%E7%94%BA%E9%95%B7&csrf={csrf}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let review = review_json(&w, &cookie).await;
    assert!(
        review["values"]
            .as_array()
            .unwrap()
            .iter()
            .all(|v| v["name"] != "CISO職名"),
        "a confirmed value is not inferred again"
    );
    // An empty value is refused.
    let res = post_form(
        &w.state,
        "/bodies/033219/policy/review/values",
        Some(&cookie),
        format!("name=X&value=&csrf={csrf}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}
