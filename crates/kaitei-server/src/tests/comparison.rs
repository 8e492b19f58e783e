//! The 新旧対照表 between editions: the page, its files, its cache.

use super::*;

#[tokio::test]
async fn a_comparison_is_the_same_made_or_kept() {
    let w = world().await;
    let admin = cookie_of(&w, "admin");
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
            "attachment; filename=\"shinkyu_R6-10_R7-3.docx\"; filename*=UTF-8''{}",
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

/// The page is in the site's frame with the way back, every download in
/// the column order chosen (the workbook too), and another pair to choose.
#[tokio::test]
async fn the_comparison_page_offers_its_downloads_in_the_order_chosen() {
    let w = world().await;
    let vendor = cookie_of(&w, "vendor");
    let (status, page) = get(
        &w.state,
        &enc("/diff?old=令和6年10月版&new=令和7年3月版&columns=old-new&context=2"),
        vendor.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("class=\"crumbs\"><a href=\"/\">"),
        "the way back"
    );
    for format in ["docx", "xlsx", "html", "json", "text"] {
        assert!(
            page.contains(&format!(
                "context=2&amp;columns=old-new&amp;format={format}"
            )),
            "{format} in the order chosen"
        );
    }
    assert!(
        page.contains("HTMLファイル"),
        "the HTML download says it is a file"
    );
    assert!(
        page.contains("別の版どうしを比べる"),
        "another pair to choose"
    );
    assert!(
        page.contains("<option value=\"old-new\" selected>"),
        "the order kept"
    );
}

/// Without both editions, or with one that is not stored, or with a
/// value the query may not hold, the page says so in the user's words and
/// offers the editions — never a parser's message.
#[tokio::test]
async fn a_comparison_asked_wrongly_offers_the_editions_instead() {
    let w = world().await;
    let admin = cookie_of(&w, "admin");
    let cases = [
        ("/diff", 200, "比べる二つの版を選んでください。"),
        (
            "/diff?old=令和6年10月版",
            200,
            "比べる二つの版を選んでください。",
        ),
        (
            "/diff?old=令和6年10月版&new=令和9年版",
            404,
            "「令和9年版」という版は登録されていません。",
        ),
        (
            "/diff?old=令和6年10月版&new=令和7年3月版&columns=sideways",
            400,
            "列の順「sideways」は選べません",
        ),
        (
            "/diff?old=令和6年10月版&new=令和7年3月版&context=many",
            400,
            "前後に残す行の数「many」は数ではありません。",
        ),
    ];
    for (uri, want, says) in cases {
        let (status, page) = get(&w.state, &enc(uri), admin.as_deref()).await;
        assert_eq!(status.as_u16(), want, "{uri}");
        assert!(page.contains(says), "{uri}: {page}");
        assert!(!page.contains("deserialize"), "{uri}");
        assert!(
            page.contains("<option selected>令和7年3月版</option>")
                || page.contains("<option selected>令和6年10月版</option>"),
            "{uri}: the editions to choose from"
        );
        assert!(!page.contains("傍線部分は改正部分"), "{uri}: no table");
    }
    // The home page's chooser asks for the page with an empty format.
    let (status, page) = get(
        &w.state,
        &enc("/diff?old=令和6年10月版&new=令和7年3月版&format=&context=0"),
        admin.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("傍線部分は改正部分"));
    // The API keeps to plain words.
    let (status, _) = get(&w.state, "/api/v1/diff", admin.as_deref()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// An edition compared with itself says nothing changed and offers no
/// download of an empty table; a newer one on the left is offered the
/// other way round, keeping the layout.
#[tokio::test]
async fn the_same_edition_or_the_wrong_way_round_is_said() {
    let w = world().await;
    let admin = cookie_of(&w, "admin");
    let (_, same) = get(
        &w.state,
        &enc("/diff?old=令和7年3月版&new=令和7年3月版"),
        admin.as_deref(),
    )
    .await;
    assert!(same.contains("令和7年3月版 と 令和7年3月版 の間に変更はありません。"));
    assert!(!same.contains("format=docx"), "nothing to download");
    let (_, reversed) = get(
        &w.state,
        &enc("/diff?old=令和7年3月版&new=令和6年10月版&columns=old-new"),
        admin.as_deref(),
    )
    .await;
    assert!(reversed.contains("令和7年3月版 は 令和6年10月版 より新しい版です。"));
    let swap = format!(
        "old={}&amp;new={}&amp;context=0&amp;columns=old-new\"",
        enc("令和6年10月版"),
        enc("令和7年3月版")
    );
    assert!(reversed.contains(&swap), "{reversed}");
}
