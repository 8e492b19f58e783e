//! A body's policy: reading, searching, editing, publishing, and the
//! impact of the latest edition.

use super::*;

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
    let shiwa = cookie_of(&w, "shiwa");
    let (status, page) = get(&w.state, "/bodies/033219/policy", shiwa.as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("令和7年3月版 による影響"), "{page}");
    assert!(page.contains("要判断"), "{page}");
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
/// first is lost (nor of the second's typing: officer.rs).
#[tokio::test]
async fn a_stale_edit_is_refused_not_saved_over_another() {
    let w = world().await;
    let uri = "/bodies/030007/policy/clauses/p-b1";
    // Two of 岩手県's officers (two sessions), each with the form open.
    let (iwate, iwate_csrf) = sign_in(&w, "iwate").await;
    let (other, other_csrf) = sign_in(&w, "iwate").await;
    for cookie in [&iwate, &other] {
        let (_, page) = get(&w.state, uri, Some(cookie)).await;
        assert!(page.contains("name=\"base\" value=\"0\""), "{page}");
    }
    let form = |text: &str, csrf: &str| format!("text={}&base=0&csrf={csrf}", enc(text));
    let first = post_form(&w.state, uri, Some(&iwate), form("県の文言。", &iwate_csrf)).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = post_form(
        &w.state,
        uri,
        Some(&other),
        form("別の職員の文言。", &other_csrf),
    )
    .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let body = second.into_body().collect().await.unwrap().to_bytes();
    // Said on the form (which keeps what was typed), not saved over.
    let body = String::from_utf8_lossy(&body);
    assert!(
        body.contains("ほかの人か別のタブ・ウィンドウから保存されました")
            && body.contains(">別の職員の文言。</textarea>"),
        "{body}"
    );
    let (_, page) = get(&w.state, uri, Some(&other)).await;
    assert!(page.contains("県の文言。") && !page.contains("別の職員の文言。"));
    assert!(
        page.contains("name=\"base\" value=\"1\""),
        "the next edit builds on it"
    );
}
