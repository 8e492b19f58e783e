//! An edition's page (its table of contents, commentary said to be
//! commentary) and a clause's page (where it sits, what changed in it,
//! the same clause in the other editions, the clauses around it).

use super::*;

#[tokio::test]
async fn an_edition_has_a_table_of_contents_that_leads_into_it() {
    let w = world().await;
    let committee = cookie_of(&w, "committee");
    let (status, page) = get(
        &w.state,
        &enc("/editions/令和7年3月版"),
        committee.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let toc_start = page.find("id=\"toc\"").expect("a table of contents");
    let toc = &page[toc_start..page[toc_start..].find("</nav>").unwrap() + toc_start];
    for entry in [
        "第1編 総則",
        "第2編",
        "第2章 情報セキュリティ対策基準",
        "5.1. サーバ等の管理",
    ] {
        assert!(toc.contains(entry), "{entry} in the contents: {toc}");
    }
    // Each entry's anchor is a clause on the page.
    let anchors: Vec<&str> = toc
        .split("href=\"#")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert!(anchors.len() > 30, "{}", anchors.len());
    for a in anchors {
        assert!(page.contains(&format!("id=\"{a}\"")), "#{a} leads nowhere");
    }
    assert!(
        !toc.contains("(1) 機器の取付け"),
        "items are not in the contents"
    );
    assert!(
        page.contains("<p class=\"tag\">解説</p>"),
        "commentary is labelled"
    );
}

#[tokio::test]
async fn a_clause_says_what_changed_since_the_edition_before() {
    let w = world().await;
    let vendor = cookie_of(&w, "vendor");
    let (status, page) = get(
        &w.state,
        &enc("/editions/令和7年3月版/clauses/s4-1-7"),
        vendor.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A title that says what it is, and where.
    assert!(
        page.contains("<title>(7) 機器の廃棄・データ消去 — 令和7年3月版 — kaitei</title>"),
        "{page}"
    );
    assert!(
        page.contains(">5.1. サーバ等の管理</a>"),
        "its ancestors, linked"
    );
    // What changed since 令和6年10月版, underlined on both sides.
    assert!(page.contains("令和6年10月版 からの変更"));
    assert!(page.contains("<ins>"), "the new words marked");
    assert!(page.contains("<del>"), "the old words marked");
    assert!(
        page.replace("&#x2f;", "/")
            .contains("令和6年10月版 では 第2編 / 第2章 / 4. / 4.1. / (7) にありました。"),
        "the old place, before the chapters were renumbered"
    );
    // The same clause in the other edition, the clauses around it.
    assert!(page.contains("令和6年10月版</a>"), "{page}");
    assert!(page.contains("rel=\"prev\"") && page.contains("rel=\"next\""));
    // The first edition has nothing before it; an item without a title is
    // named after the clause it belongs to.
    let (_, first) = get(
        &w.state,
        &enc("/editions/令和6年10月版/clauses/s4-1-2-1"),
        vendor.as_deref(),
    )
    .await;
    assert!(
        first.contains("令和6年10月版 は登録されている最初の版です。"),
        "{first}"
    );
    assert!(first.contains("<h1>(2) サーバの冗長化 ①</h1>"), "{first}");
}
