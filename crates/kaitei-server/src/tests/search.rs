//! Search as people read it: each hit with its clause path and title,
//! documents newest first and grouped, pages instead of a cut, and a hint
//! for a query too short.

use super::*;

/// The positions of `needles` in `page`, in order, each found.
fn positions(page: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| page.find(n).unwrap_or_else(|| panic!("{n} missing")))
        .collect()
}

#[tokio::test]
async fn hits_are_grouped_by_document_newest_first_with_their_place() {
    let w = world().await;
    let committee = cookie_of(&w, "committee");
    let (status, page) = get(
        &w.state,
        &enc("/search?q=機器の取付け"),
        committee.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // One group per edition, the newer first, each a heading.
    let at = positions(
        &page,
        &[
            "<h2 id=\"doc-1\"><a href=\"&#x2f;editions&#x2f;",
            ">令和7年3月版</a>",
            ">令和6年10月版</a>",
        ],
    );
    assert!(at[1] < at[2], "the newer edition first");
    // The hit says where it is: its label path and title.
    assert!(
        page.contains("第2編 &#x2f; 第2章 &#x2f; 5. &#x2f; 5.1. &#x2f; (1)</span> 機器の取付け"),
        "{page}"
    );
    assert!(page.contains("<mark>機器の取付け</mark>"));
    assert!(!page.contains("先頭"), "no cut-off count");
}

#[tokio::test]
async fn many_hits_come_a_page_at_a_time() {
    let w = world().await;
    let admin = cookie_of(&w, "admin");
    let (_, first) = get(&w.state, &enc("/search?q=情報"), admin.as_deref()).await;
    assert!(first.contains("1〜50 件目"), "{first}");
    assert!(first.contains("rel=\"next\""), "a next page");
    assert!(!first.contains("rel=\"prev\""));
    assert!(first.matches("<mark>").count() >= 50, "50 hits, marked");
    let (_, second) = get(&w.state, &enc("/search?q=情報&page=2"), admin.as_deref()).await;
    assert!(second.contains("51〜100 件目"), "{second}");
    assert!(second.contains("rel=\"prev\""));
    // The total is the same on every page.
    let total = |p: &str| {
        let at = p.find("」：").expect("a count") + "」：".len();
        p[at..].split('（').next().unwrap_or("").to_string()
    };
    assert_eq!(total(&first), total(&second));
}

#[tokio::test]
async fn a_query_too_short_is_a_hint_not_an_error() {
    let w = world().await;
    let shiwa = cookie_of(&w, "shiwa");
    let (status, page) = get(&w.state, &enc("/search?q=鍵"), shiwa.as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("2文字以上で検索してください。"), "{page}");
    assert!(page.contains("value=\"鍵\""), "the query kept in the box");
    let (status, _) = get(&w.state, &enc("/api/v1/search?q=鍵"), shiwa.as_deref()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "the API still refuses");
    // In English, in English.
    let res = app(w.state.clone())
        .oneshot(
            Request::get(enc("/search?q=鍵"))
                .header(
                    header::COOKIE,
                    format!("{}; kaitei_lang=en", shiwa.unwrap()),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let (_, page) = status_of(res).await;
    assert!(page.contains("Search for two characters or more"), "{page}");
}
