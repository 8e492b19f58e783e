//! The ministry's national dashboard and a prefecture's view of its
//! municipalities.

use super::*;

#[tokio::test]
async fn the_dashboard_counts_bodies_by_edition() {
    let w = world().await;
    let admin = cookie_of(&w, "admin");
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
    // (The menu's links are written escaped: `/` as `&#x2f;`.)
    let page = page.replace("&#x2f;", "/");
    assert!(page.contains("岩手県 管内の状況"), "{page}");
    assert!(
        page.contains("href=\"/prefectures/030007/status\""),
        "in the menu"
    );
    assert!(page.contains("033219 紫波町") && !page.contains("href=\"/bodies/033219/policy\""));
}

/// A prefecture's page sums its rows up at the top, filters and orders
/// them, and gives the same rows in the same order as a workbook; a policy
/// whose impact cannot be counted says why instead of a blank.
#[tokio::test]
async fn a_prefecture_page_sums_up_filters_orders_and_exports() {
    let w = world().await;
    let iwate = cookie_of(&w, "iwate");
    let (status, page) = get(&w.state, "/prefectures/030007/status", iwate.as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("概況（34 団体）"), "{page}");
    let count = |label: &str| -> String {
        let at = page.find(&format!("</span> {label}</a>")).expect(label);
        let before = &page[..at];
        before[before.rfind('>').unwrap() + 1..].to_string()
    };
    assert_eq!(count("最新版に準拠"), "0");
    assert_eq!(count("旧版に準拠"), "3");
    assert_eq!(count("未登録"), "31");
    assert_eq!(count("公開"), "1");
    // The ones behind, most affected first; a policy without provenance
    // says so and where it is explained.
    let (_, behind) = get(
        &w.state,
        "/prefectures/030007/status?show=behind&order=impact",
        iwate.as_deref(),
    )
    .await;
    assert!(behind.contains("3 団体を表示"), "{behind}");
    let rows: Vec<&str> = ["030007 岩手県", "032018 盛岡市", "033219 紫波町"]
        .into_iter()
        .filter(|r| behind.contains(r))
        .collect();
    assert_eq!(rows.len(), 3);
    assert!(!behind.contains("032026"), "宮古市 has no policy");
    let unaligned = behind.matches("href=\"#unaligned-note\"").count();
    assert!(
        behind.contains("id=\"unaligned-note\""),
        "the blank explained"
    );
    let (_, json) = get(
        &w.state,
        "/api/v1/prefectures/030007/status",
        iwate.as_deref(),
    )
    .await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["summary"]["unaligned"], unaligned, "{json}");
    assert_eq!(v["summary"]["behind"], 3);
    // Most affected first: the counted rows in descending order of their
    // clauses needing a decision.
    let counted: Vec<(String, u64)> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["standing"] == "behind")
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                r["affected"][0].as_u64().unwrap() * 1_000_000
                    + r["affected"][1].as_u64().unwrap() * 1000
                    + r["affected"][2].as_u64().unwrap(),
            )
        })
        .collect();
    let mut expected = counted.clone();
    expected.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let order: Vec<usize> = expected
        .iter()
        .map(|(code, _)| behind.find(&format!("{code} ")).expect("a row"))
        .collect();
    assert!(order.windows(2).all(|p| p[0] < p[1]), "most affected first");
    // The workbook: those rows, that order.
    let res = app(w.state.clone())
        .oneshot(
            Request::get("/prefectures/030007/status.xlsx?show=behind&order=impact")
                .header(header::COOKIE, iwate.clone().unwrap())
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let disposition = res.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains(&enc("岩手県_管内の状況.xlsx")),
        "{disposition}"
    );
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    let sheet = book.worksheet_range("管内の状況").expect("the sheet");
    let codes: Vec<String> = sheet.rows().skip(4).map(|r| r[0].to_string()).collect();
    let mut page_order: Vec<(usize, String)> = ["030007", "032018", "033219"]
        .iter()
        .map(|c| (behind.find(&format!("{c} ")).unwrap(), c.to_string()))
        .collect();
    page_order.sort();
    assert_eq!(
        codes,
        page_order.into_iter().map(|(_, c)| c).collect::<Vec<_>>()
    );
    // An unknown filter is refused.
    let (status, _) = get(
        &w.state,
        "/prefectures/030007/status?show=everything",
        iwate.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

/// Another prefecture's page, where the officer may see no row, says so
/// and leads back to the officer's own — no empty table.
#[tokio::test]
async fn another_prefectures_page_is_not_an_empty_table() {
    let w = world().await;
    let iwate = cookie_of(&w, "iwate");
    let (status, page) = get(&w.state, "/prefectures/130001/status", iwate.as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("東京都 の団体のうち、あなたが状況を見られる団体はありません。"),
        "{page}"
    );
    assert!(!page.contains("<table"), "no table");
    assert!(page.contains("href=\"/prefectures/030007/status\">自らの管内の状況へ</a>"));
}

/// A download's status, `Content-Disposition` and bytes.
async fn fetch(w: &World, uri: &str, cookie: Option<String>) -> (StatusCode, String, Vec<u8>) {
    let mut req = Request::get(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = app(w.state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let disposition = res
        .headers()
        .get(header::CONTENT_DISPOSITION)
        .map(|d| d.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, disposition, bytes.to_vec())
}

#[tokio::test]
async fn a_generated_nation_fills_the_map_and_the_exported_table() {
    let w = world().await;
    let admin = cookie_of(&w, "admin");
    // Two prefectures' bodies, generated as `demo --national` makes them.
    let bodies: Vec<kaitei_model::Body> = kaitei_model::registry()
        .all()
        .iter()
        .filter(|b| ["03", "31"].contains(&&b.code.to_string()[..2]))
        .cloned()
        .collect();
    let stored = std::sync::Mutex::new(Vec::new());
    let nation = crate::demo_nation::seed_nation(
        &w.state.app,
        (demo::OLDER_EDITION, demo::LATEST_EDITION),
        &bodies,
        |done, total| stored.lock().unwrap().push((done, total)),
    )
    .await
    .expect("the nation");
    // Every body but the three with a policy, and those left unregistered.
    assert_eq!(nation.policies + nation.unregistered, bodies.len() - 3);
    assert!(nation.unregistered > 0 && nation.newer > 0 && nation.newer < nation.policies);
    assert!(nation.public > 0 && nation.public < nation.policies);
    assert_eq!(
        stored.lock().unwrap().last(),
        Some(&(nation.policies, nation.policies)),
        "progress ends at the count"
    );
    // Each body in its standing, stored as the generator made it.
    let current = w
        .state
        .store()
        .current_policies(kaitei_store::PolicyScope::Latest)
        .await
        .unwrap();
    assert_eq!(current.len(), 3 + nation.policies);
    for b in &bodies {
        let p = current.iter().find(|p| p.body == b.code);
        match crate::demo_nation::standing(b) {
            _ if ["030007", "032018", "033219"].contains(&b.code.to_string().as_str()) => {}
            crate::demo_nation::Standing::Unregistered => assert!(p.is_none()),
            crate::demo_nation::Standing::Older { public } => {
                let p = p.expect("stored");
                assert_eq!(
                    (p.derived_from.as_deref(), p.public),
                    (Some("令和6年10月版"), public)
                );
            }
            crate::demo_nation::Standing::Newer { public } => {
                let p = p.expect("stored");
                assert_eq!(
                    (p.derived_from.as_deref(), p.public),
                    (Some("令和7年3月版"), public)
                );
            }
        }
    }
    assert_eq!(
        w.state.store().verify_audit(None).await.unwrap().broken,
        None
    );
    // A second run finds every body done.
    let again = crate::demo_nation::seed_nation(
        &w.state.app,
        (demo::OLDER_EDITION, demo::LATEST_EDITION),
        &bodies,
        |_, _| {},
    )
    .await
    .unwrap();
    assert_eq!(again.policies, 0);

    // The map: a tile per prefecture, shaded by the share on the latest
    // edition, leading to the prefecture's page.
    let (status, page) = get(&w.state, "/dashboard", admin.as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    let page = page.replace("&#x2f;", "/");
    assert_eq!(
        page.matches("<a href=\"/prefectures/").count(),
        47 * 2,
        "map and table"
    );
    let newer_in = |p: &str| {
        current
            .iter()
            .filter(|c| c.body.to_string().starts_with(p))
            .filter(|c| c.derived_from.as_deref() == Some("令和7年3月版"))
            .count()
    };
    let iwate_bodies = kaitei_model::registry()
        .all()
        .iter()
        .filter(|b| b.code.to_string().starts_with("03"))
        .count();
    let percent = newer_in("03") * 100 / iwate_bodies;
    assert!(
        page.contains(&format!(
            "<title>岩手県: {percent}%（{} / {iwate_bodies}）</title>",
            newer_in("03")
        )),
        "{page}"
    );
    assert!(
        page.contains("集計時刻 令和"),
        "the date in the era calendar"
    );

    // The table as a workbook and as CSV, named after when it was made.
    let (status, disposition, bytes) = fetch(&w, "/dashboard.xlsx", admin.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        disposition.contains(&enc("全国の状況_令和")),
        "{disposition}"
    );
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let sheet = book.worksheet_range("全国の状況").expect("the sheet");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .skip(4)
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows.len(), 48, "the nation and 47 prefectures");
    assert_eq!(rows[0][1], "全国");
    assert_eq!(rows[0][2], "1788");
    let tottori = rows.iter().find(|r| r[0] == "310000").expect("鳥取県");
    assert_eq!(tottori[4], newer_in("31").to_string());
    let (status, disposition, bytes) = fetch(&w, "/dashboard.csv", admin.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(disposition.contains(".csv"), "{disposition}");
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(
        text.contains(&format!("310000,鳥取県,{},", tottori[2])),
        "{text}"
    );
    // Not the other roles'.
    let (status, _, _) = fetch(&w, "/dashboard.csv", cookie_of(&w, "iwate")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
