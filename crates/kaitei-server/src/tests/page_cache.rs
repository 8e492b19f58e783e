//! Reading pages kept rendered (`page_cache.rs`): a page read again is
//! the same page, with the reader's own CSRF token; a commit of this
//! server is seen at once, another server's within two looks, and at once
//! by the browser that sent it.

use std::time::Duration;

use super::*;

const CLAUSE: &str = "/bodies/033219/policy/clauses/n1.1";

/// The version a clause page's form is based on.
fn base_of(page: &str) -> String {
    page.split("name=\"base\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the clause's form")
        .to_string()
}

/// Waits until this server has seen every commit (two looks at the
/// database that find nothing new), so that nothing raises the change
/// counter between the reads that follow.
async fn settle(state: &AppState) {
    let mut last = state.store().changes().await.unwrap();
    loop {
        tokio::time::sleep(kaitei_store::LOOK_EVERY + Duration::from_millis(10)).await;
        let now = state.store().changes().await.unwrap();
        if now == last {
            return;
        }
        last = now;
    }
}

#[tokio::test]
async fn a_page_read_again_is_kept_once_per_user_with_each_sessions_token() {
    let w = world().await;
    let (first, first_csrf) = sign_in(&w, "committee").await;
    let (second, second_csrf) = sign_in(&w, "committee").await;
    let uri = enc("/editions/令和7年3月版/clauses/s4-1");
    let (status, made) = get(&w.state, &uri, Some(&first)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(made.contains(&first_csrf), "the page carries a form");
    let hits = w.state.pages.hits();
    let (status, kept) = get(&w.state, &uri, Some(&second)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(w.state.pages.hits(), hits + 1, "read from the cache");
    assert_eq!(w.state.pages.len(), 1, "one page per user, not per session");
    assert!(
        !kept.contains(&first_csrf),
        "another session's token leaked"
    );
    assert_eq!(kept, made.replace(&first_csrf, &second_csrf));
    // Another user has a page of their own.
    let (status, theirs) = get(&w.state, &uri, cookie_of(&w, "shiwa").as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(w.state.pages.len(), 2);
    assert!(theirs.contains("shiwa") && !theirs.contains(&second_csrf));
    // Nothing kept for a refusal, nor for anyone not signed in.
    let (status, _) = get(&w.state, &uri, None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = get(&w.state, "/bodies/033219/policy", Some(&first)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "紫波町's policy is not public"
    );
    assert_eq!(w.state.pages.len(), 2);
}

/// On each backend: an edit saved through this server is read at once; one
/// saved through another server at once by the browser that saved it,
/// and by everyone within two looks at the database.
#[tokio::test]
async fn a_kept_page_follows_every_commit() {
    for w in worlds().await {
        let other = AppState::new(w._db.open().await, false);
        let (cookie, csrf) = sign_in(&w, "shiwa").await;
        let read = |state: AppState, extra: Option<String>| {
            let cookie = match extra {
                Some(e) => format!("{cookie}; {e}"),
                None => cookie.clone(),
            };
            async move { get(&state, CLAUSE, Some(&cookie)).await.1 }
        };
        let before = read(w.state.clone(), None).await;
        assert_eq!(read(w.state.clone(), None).await, before);
        // (On PostgreSQL the tests running beside this one move the WAL,
        // so a look between the reads may make the second one afresh.)
        if w._db.url.starts_with("sqlite") {
            assert!(
                w.state.pages.hits() >= 1,
                "the second read came from the cache"
            );
        }

        // Saved here: seen at once, without any mark.
        let base = base_of(&before);
        let form = format!(
            "text={}&base={base}&csrf={csrf}",
            enc("この server で保存した文言。")
        );
        let res = post_form(&w.state, CLAUSE, Some(&cookie), form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        let after = read(w.state.clone(), None).await;
        assert!(after.contains("この server で保存した文言。"));
        let base = base_of(&after);

        // Saved on the other server: the browser that saved it reads it
        // here at once (it carries the mark) ...
        let form = format!(
            "text={}&base={base}&csrf={csrf}",
            enc("別の server で保存した文言。")
        );
        let res = post_form(&other, CLAUSE, Some(&cookie), form).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", w._db.url);
        let mark = wrote_cookie(&res);
        assert!(
            read(w.state.clone(), Some(mark))
                .await
                .contains("別の server で保存した文言。"),
            "{}: the saving browser reads its save",
            w._db.url
        );
        // ... and anyone, once this server has looked twice.
        tokio::time::sleep(kaitei_store::LOOK_EVERY + Duration::from_millis(20)).await;
        let _ = read(w.state.clone(), None).await;
        tokio::time::sleep(kaitei_store::LOOK_EVERY + Duration::from_millis(20)).await;
        assert!(
            read(w.state.clone(), None)
                .await
                .contains("別の server で保存した文言。"),
            "{}: another server's save is seen within two looks",
            w._db.url
        );
    }
}

#[tokio::test]
async fn a_form_sent_marks_the_browser_for_a_moment() {
    let w = world().await;
    let (cookie, csrf) = sign_in(&w, "shiwa").await;
    let (_, page) = get(&w.state, CLAUSE, Some(&cookie)).await;
    let form = format!(
        "text={}&base={}&csrf={csrf}",
        enc("印を付ける保存。"),
        base_of(&page)
    );
    let res = post_form(&w.state, CLAUSE, Some(&cookie), form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let set: Vec<_> = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let mark = set
        .iter()
        .find(|v| v.starts_with("kaitei_wrote="))
        .expect("marked");
    assert!(
        mark.contains(&format!("Max-Age={}", crate::page_cache::WROTE_SECONDS))
            && mark.contains("HttpOnly")
            && mark.contains("SameSite=Strict"),
        "{mark}"
    );
    settle(&w.state).await;
    // A marked read is rendered afresh, never from the cache, and kept
    // for the reads after the mark.
    let marked = format!("{cookie}; {}", wrote_cookie(&res));
    let (_, fresh) = get(&w.state, CLAUSE, Some(&marked)).await;
    assert!(fresh.contains("印を付ける保存。"));
    let hits = w.state.pages.hits();
    let _ = get(&w.state, CLAUSE, Some(&marked)).await;
    assert_eq!(w.state.pages.hits(), hits);
    let (_, kept) = get(&w.state, CLAUSE, Some(&cookie)).await;
    assert_eq!(w.state.pages.hits(), hits + 1);
    assert_eq!(kept, fresh);
}
