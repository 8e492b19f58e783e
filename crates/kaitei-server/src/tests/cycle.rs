//! The revision cycle's pages: who reads them, the ministry's changes to a
//! draft (stale saves refused) and its live 新旧対照表.

use super::*;

/// The demo cycle's year and draft name, as the seed made them.
async fn cycle_of(w: &World) -> (u16, String) {
    let drafts = w.state.store().drafts().await.unwrap();
    let d = drafts.first().expect("the demo draft");
    (d.year.year(), d.name.clone())
}

#[tokio::test]
async fn the_cycle_is_the_ministrys_and_the_committees() {
    let w = world().await;
    let (year, draft) = cycle_of(&w).await;
    let routes = [
        format!("/cycles/{year}"),
        format!("/drafts/{draft}"),
        format!("/drafts/{draft}/diff"),
        format!("/drafts/{draft}/diff?format=docx"),
        format!("/api/v1/cycles/{year}"),
    ];
    // anonymous, admin, committee, iwate, shiwa, chiyoda, vendor
    let expected = [303, 200, 200, 403, 403, 403, 403];
    for route in &routes {
        for ((who, cookie), want) in w.cookies.iter().zip(expected) {
            let (status, body) = get(&w.state, &enc(route), cookie.as_deref()).await;
            // The API says 401 where a page sends to the sign-in.
            let want = if want == 303 && route.starts_with("/api/") {
                401
            } else {
                want
            };
            assert_eq!(status.as_u16(), want, "{route} as {who}");
            if want != 200 {
                assert!(
                    !body.contains("情報セキュリティ"),
                    "{route} as {who} leaked"
                );
            }
        }
    }
    let (status, _) = get(&w.state, "/cycles", cookie_of(&w, "committee").as_deref()).await;
    assert_eq!(status.as_u16(), 303);
    let (_, page) = get(
        &w.state,
        &format!("/cycles/{year}"),
        cookie_of(&w, "committee").as_deref(),
    )
    .await;
    assert!(
        page.contains("機器の廃棄とデータ消去") && page.contains("R8-1"),
        "topics and the consultation on the timeline"
    );
    assert!(
        !page.contains("検討項目を追加する"),
        "the committee reads only"
    );
}

#[tokio::test]
async fn the_ministry_edits_a_draft_and_a_stale_save_is_refused() {
    let w = world().await;
    let (year, draft) = cycle_of(&w).await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let (committee, committee_csrf) = sign_in(&w, "committee").await;
    let summary = w.state.store().draft_named(&draft).await.unwrap().unwrap();
    let (_, doc) = w
        .state
        .store()
        .load_draft(summary.id)
        .await
        .unwrap()
        .unwrap();
    let key = doc
        .nodes()
        .find(|n| !n.paragraphs.is_empty())
        .unwrap()
        .key
        .as_str()
        .to_string();
    let text = "改定後の本文である。";
    let form = |csrf: &str, base: i64| format!("csrf={csrf}&base={base}&text={}", enc(text));
    let uri = format!("/drafts/{draft}/clauses/{key}");
    let res = post_form(
        &w.state,
        &enc(&uri),
        Some(&committee),
        form(&committee_csrf, summary.version),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = post_form(
        &w.state,
        &enc(&uri),
        Some(&admin),
        form(&csrf, summary.version),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let again = format!(
        "csrf={csrf}&base={}&text={}",
        summary.version,
        enc("別の本文。")
    );
    let res = post_form(&w.state, &enc(&uri), Some(&admin), again).await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "based on the version before the save"
    );
    let (_, page) = get(
        &w.state,
        &enc(&format!("/drafts/{draft}/diff")),
        Some(&admin),
    )
    .await;
    assert!(
        page.contains("改定後の本文"),
        "the live 新旧対照表 shows the change"
    );
    let (_, page) = get(&w.state, &enc(&format!("/drafts/{draft}")), Some(&admin)).await;
    assert!(
        page.contains("の本文を変更（admin）"),
        "the history says who"
    );
    // A milestone outside the fiscal year is refused.
    let res = post_form(
        &w.state,
        &format!("/cycles/{year}/milestones"),
        Some(&admin),
        format!(
            "csrf={csrf}&kind=committee&title=x&at={}-04-02T10:00",
            year + 1
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = post_form(
        &w.state,
        &format!("/cycles/{year}/topics"),
        Some(&admin),
        format!(
            "csrf={csrf}&title={}&clauses={}",
            enc("新しい検討項目"),
            enc(&key)
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(w.state.store().topics(summary.year).await.unwrap().len(), 4);
}

#[tokio::test]
async fn the_ministry_opens_a_consultation_from_the_cycle_page() {
    let w = world().await;
    let (year, draft) = cycle_of(&w).await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let opens = crate::handlers::now().plus_hours(24);
    let form = |closes: kaitei_model::JstTime| {
        format!(
            "csrf={csrf}&id=R8-2&title={}&draft={}&audience=all&opens={}&closes={}&deadline=",
            enc("追加の意見照会"),
            enc(&draft),
            opens.html_local(),
            closes.html_local()
        )
    };
    let uri = format!("/cycles/{year}/consultations");
    // 13 days 23 hours: refused, the form again with the rule's words.
    let res = post_form(
        &w.state,
        &uri,
        Some(&admin),
        form(opens.plus_hours(14 * 24 - 1)),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let page = String::from_utf8_lossy(&body);
    assert!(page.contains("13 days 23 hours"), "{page}");
    assert!(
        w.state
            .store()
            .consultation("R8-2")
            .await
            .unwrap()
            .is_none(),
        "nothing stored"
    );
    let res = post_form(
        &w.state,
        &uri,
        Some(&admin),
        form(opens.plus_hours(14 * 24)),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(
        w.state
            .store()
            .consultation("R8-2")
            .await
            .unwrap()
            .is_some()
    );
    // The committee reads the cycle, but opens nothing.
    let (committee, committee_csrf) = sign_in(&w, "committee").await;
    let again = form(opens.plus_hours(20 * 24))
        .replace(&csrf, &committee_csrf)
        .replace("R8-2", "R8-3");
    let res = post_form(&w.state, &uri, Some(&committee), again).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_draft_changes_shape_and_the_committee_leaves_notes() {
    let w = world().await;
    let (_, draft) = cycle_of(&w).await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let (committee, committee_csrf) = sign_in(&w, "committee").await;
    let (shiwa, shiwa_csrf) = sign_in(&w, "shiwa").await;
    let store = w.state.store();
    let summary = store.draft_named(&draft).await.unwrap().unwrap();
    let (_, doc) = store.load_draft(summary.id).await.unwrap().unwrap();
    let two = doc
        .nodes()
        .find(|n| n.paragraphs.len() >= 2)
        .unwrap()
        .key
        .as_str()
        .to_string();
    let uri = |key: &str, what: &str| enc(&format!("/drafts/{draft}/clauses/{key}/{what}"));
    // The committee notes; a body may not.
    let note = |csrf: &str| format!("csrf={csrf}&text={}", enc("表現を統一してはどうか。"));
    let res = post_form(
        &w.state,
        &uri(&two, "notes"),
        Some(&committee),
        note(&committee_csrf),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post_form(
        &w.state,
        &uri(&two, "notes"),
        Some(&shiwa),
        note(&shiwa_csrf),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // …and changes no shape.
    let split = |csrf: &str, base: i64| format!("csrf={csrf}&base={base}&op=split&at=2");
    let res = post_form(
        &w.state,
        &uri(&two, "structure"),
        Some(&committee),
        split(&committee_csrf, summary.version),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The ministry splits, adds after, and deletes what it added.
    let res = post_form(
        &w.state,
        &uri(&two, "structure"),
        Some(&admin),
        split(&csrf, summary.version),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let v = summary.version + 1;
    let insert = format!(
        "csrf={csrf}&base={v}&op=insert&title={}&text={}",
        enc("新しい項目"),
        enc("新しい本文。")
    );
    let res = post_form(&w.state, &uri(&two, "structure"), Some(&admin), insert).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, doc) = store.load_draft(summary.id).await.unwrap().unwrap();
    let added = doc
        .nodes()
        .find(|n| n.title.as_deref() == Some("新しい項目"))
        .unwrap()
        .key
        .as_str()
        .to_string();
    let split_off = format!("{two}-s{v}");
    assert!(
        doc.nodes().any(|n| n.key.as_str() == split_off),
        "the split-off clause"
    );
    // A stale structural change is refused.
    let stale = format!("csrf={csrf}&base={}&op=delete", summary.version);
    let res = post_form(&w.state, &uri(&two, "structure"), Some(&admin), stale).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let delete = format!("csrf={csrf}&base={}&op=delete", v + 1);
    let res = post_form(&w.state, &uri(&added, "structure"), Some(&admin), delete).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(
        &w.state,
        &enc(&format!("/drafts/{draft}")),
        Some(&committee),
    )
    .await;
    assert!(
        page.contains("表現を統一してはどうか") && page.contains("を分割"),
        "{}",
        page.len()
    );
    assert!(!page.contains("新しい本文"), "deleted");
}

#[tokio::test]
async fn the_ministry_plans_and_follows_through_the_api() {
    let w = world().await;
    let (year, draft) = cycle_of(&w).await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let (_, cycle) = get(&w.state, &format!("/api/v1/cycles/{year}"), Some(&admin)).await;
    let cycle: serde_json::Value = serde_json::from_str(&cycle).unwrap();
    assert_eq!(cycle["topics"].as_array().unwrap().len(), 3, "{cycle}");
    assert_eq!(cycle["consultations"][0], "R8-1");
    assert_eq!(cycle["drafts"][0]["name"], draft.as_str());
    let at: Vec<&str> = cycle["milestones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["at"].as_str().unwrap())
        .collect();
    assert!(at.windows(2).all(|p| p[0] <= p[1]), "in time order: {at:?}");

    let opens = crate::handlers::now().plus_hours(24);
    let plan = |id: &str, hours: i64| {
        serde_json::json!({
            "id": id, "draft": draft, "title": "追加の意見照会", "audience": "all",
            "opens": opens.to_string(), "closes": opens.plus_hours(hours).to_string(),
        })
    };
    let uri = format!("/api/v1/cycles/{year}/consultations");
    let res = post_json(
        &w.state,
        &uri,
        (&admin, &csrf),
        plan("R8-2", 14 * 24 - 1).to_string(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert!(
        String::from_utf8_lossy(&body).contains("13 days 23 hours"),
        "the rule's words"
    );
    assert!(
        w.state
            .store()
            .consultation("R8-2")
            .await
            .unwrap()
            .is_none()
    );
    let res = post_json(
        &w.state,
        &uri,
        (&admin, &csrf),
        plan("R8-2", 14 * 24).to_string(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(
        w.state
            .store()
            .consultation("R8-2")
            .await
            .unwrap()
            .is_some()
    );
    // The same id again: a conflict; without the token: refused.
    let res = post_json(
        &w.state,
        &uri,
        (&admin, &csrf),
        plan("R8-2", 20 * 24).to_string(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let res = post_json(
        &w.state,
        &uri,
        (&admin, "wrong"),
        plan("R8-3", 20 * 24).to_string(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let (committee, committee_csrf) = sign_in(&w, "committee").await;
    let res = post_json(
        &w.state,
        &uri,
        (&committee, &committee_csrf),
        plan("R8-3", 20 * 24).to_string(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Progress: the nation's counts add up; a prefecture sees its own.
    let (_, all) = get(
        &w.state,
        "/api/v1/consultations/R8-1/progress",
        Some(&admin),
    )
    .await;
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    let respondents = all["respondents"].as_array().unwrap();
    assert_eq!(
        respondents.len(),
        all["total"]["asked"].as_u64().unwrap() as usize
    );
    assert_eq!(respondents.len(), kaitei_model::registry().all().len());
    let t = &all["total"];
    let parts: u64 = ["received", "held", "preparing", "nothing"]
        .iter()
        .map(|k| t[k].as_u64().unwrap())
        .sum();
    assert_eq!(parts, t["asked"].as_u64().unwrap(), "{t}");
    let iwate = cookie_of(&w, "iwate");
    let (status, mine) = get(
        &w.state,
        "/api/v1/consultations/R8-1/progress?prefecture=030007",
        iwate.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let mine: serde_json::Value = serde_json::from_str(&mine).unwrap();
    let codes: Vec<&str> = mine["respondents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["respondent"].as_str().unwrap())
        .collect();
    assert!(
        codes.len() > 30 && codes.iter().all(|c| c.starts_with("03")),
        "{codes:?}"
    );
    assert_eq!(mine["by_prefecture"].as_object().unwrap().len(), 1);
}

#[tokio::test]
async fn the_ministry_starts_a_draft_from_an_edition_or_a_file() {
    let w = world().await;
    let (year, _) = cycle_of(&w).await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let uri = format!("/cycles/{year}/drafts");
    let before = w.state.store().drafts().await.unwrap().len();
    // A file with an error: nothing started, the line named.
    let bad = "---\nkind: guideline\nedition: 令和8年案\ntitle: データ連携方式の類型\n---\n\n# 1. 類型\n\n<!-- 未完のコメント\n";
    let res = post_multipart(
        &w.state,
        &uri,
        &admin,
        &[
            ("csrf", None, csrf.as_bytes()),
            ("name", None, b"patterns"),
            ("edition", None, b""),
            ("file", Some("patterns.md"), bad.as_bytes()),
        ],
    )
    .await;
    let (code, page) = status_of(res).await;
    assert_eq!(code, 422, "{page}");
    assert!(page.contains("patterns.md:"), "the line named: {page}");
    assert_eq!(w.state.store().drafts().await.unwrap().len(), before);
    // A good one: started, its text as uploaded.
    let good = "---\nkind: guideline\nedition: 令和8年案\ntitle: データ連携方式の類型\n---\n\n# 1. 類型\n\n(1) 無害化による連携\n\nファイルを無害化して連携する。\n";
    let res = post_multipart(
        &w.state,
        &uri,
        &admin,
        &[
            ("csrf", None, csrf.as_bytes()),
            ("name", None, b"patterns"),
            ("file", Some("patterns.md"), good.as_bytes()),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let d = w
        .state
        .store()
        .draft_named("patterns")
        .await
        .unwrap()
        .unwrap();
    let (_, doc) = w.state.store().load_draft(d.id).await.unwrap().unwrap();
    assert!(doc.nodes().any(|n| n.text().contains("無害化して連携")));
    // From the latest edition; the same name again is refused, saying so.
    let form = |name: &'static str| {
        [
            ("csrf", None, csrf.as_bytes()),
            ("name", None, name.as_bytes()),
            ("edition", None, "".as_bytes()),
        ]
    };
    let res = post_multipart(&w.state, &uri, &admin, &form("R8-draft2")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post_multipart(&w.state, &uri, &admin, &form("R8-draft2")).await;
    let (code, page) = status_of(res).await;
    assert_eq!(code, 422);
    assert!(page.contains("exists"), "{page}");
    // The committee reads the cycle but starts nothing.
    let (committee, committee_csrf) = sign_in(&w, "committee").await;
    let res = post_multipart(
        &w.state,
        &uri,
        &committee,
        &[
            ("csrf", None, committee_csrf.as_bytes()),
            ("name", None, b"mine"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}
