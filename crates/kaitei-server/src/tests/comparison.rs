//! The 新旧対照表 between editions: the page, its files, its cache.

use super::*;

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
    assert!(
        page.contains("<header>") && page.contains("class=\"shinkyu\"") && page.contains("<table>"),
        "the table in the site's frame: {}",
        &page[..300.min(page.len())]
    );
    assert!(
        page.contains("format=docx")
            && page.contains("format=xlsx")
            && page.contains("format=html"),
        "with its downloads"
    );
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

/// Downloads carry the editions in their Japanese file name (RFC 6266
/// `filename*`); an edition compared with itself says there is nothing to
/// show; a newer edition on the left is offered the other way round.
#[tokio::test]
async fn the_comparison_page_names_its_files_and_says_when_nothing_changed() {
    let w = world().await;
    let (cookie, _) = sign_in(&w, "committee").await;
    let res = app(w.state.clone())
        .oneshot(
            Request::get(enc("/diff?old=令和6年10月版&new=令和7年3月版&format=docx"))
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert_eq!(
        disposition,
        format!(
            "attachment; filename=\"shinkyu.docx\"; filename*=UTF-8''{}",
            enc("新旧対照表_令和6年10月版_令和7年3月版.docx")
        )
    );
    let (_, same) = get(
        &w.state,
        &enc("/diff?old=令和7年3月版&new=令和7年3月版"),
        Some(&cookie),
    )
    .await;
    assert!(same.contains("変更はありません"), "{same}");
    let (_, reversed) = get(
        &w.state,
        &enc("/diff?old=令和7年3月版&new=令和6年10月版"),
        Some(&cookie),
    )
    .await;
    assert!(reversed.contains("入れ替える"), "a swap is offered");
}
