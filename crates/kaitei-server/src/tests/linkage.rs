//! Data linkage and the self-assessment (#19) through the web: the town's
//! patterns, ratings and heat maps, a bad form refused whole; the
//! ministry's national picture, workbook and catalogue; the town's
//! self-assessment — answers carried over, asked again after a change,
//! saved, evidence up and down — each write in the audit trail.

use super::*;

use kaitei_model::cycle::FiscalYear;

fn town() -> BodyCode {
    BodyCode::parse("033219").unwrap()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::handlers::percent_encode(k),
                crate::handlers::percent_encode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

async fn last_action(w: &World) -> String {
    w.state
        .store()
        .audit_events(&kaitei_store::AuditFilter::default(), 1, 0)
        .await
        .unwrap()
        .remove(0)
        .action
}

#[tokio::test]
async fn a_town_records_its_linkage_and_sees_its_heat_map() {
    let w = world().await;
    let (cookie, csrf) = sign_in(&w, "shiwa").await;
    let (status, page) = get(&w.state, "/bodies/033219/linkage", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(page.contains("無害化によるファイル転送（連携サーバ経由）"));
    assert!(page.contains("インターネット接続系 → LGWAN接続系"));
    assert!(page.contains("ヒートマップ"));
    // The town rated 12 scenarios before and after: 12 counted in each map.
    let uses = w.state.store().linkage_uses(town()).await.unwrap();
    let rated: usize = uses.iter().map(|u| u.ratings.len()).sum();
    assert_eq!(rated, 12);
    // Likelihood only, without impact: refused, nothing saved.
    let before = uses.clone();
    let body = form(&[
        ("csrf", &csrf),
        ("pattern_0", "screen-transfer"),
        ("from_0", "internet"),
        ("to_0", "lgwan"),
        ("scenario_0_0", "malware"),
        ("bl_0_0", "4"),
    ]);
    let res = post_form(&w.state, "/bodies/033219/linkage", Some(&cookie), body).await;
    let (status, page) = status_of(res).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("発生可能性と影響度の両方を選んでください"),
        "{page}"
    );
    assert_eq!(w.state.store().linkage_uses(town()).await.unwrap(), before);
    // Screen transfer rated once, and one-way transfer added.
    let body = form(&[
        ("csrf", &csrf),
        ("pattern_0", "screen-transfer"),
        ("from_0", "internet"),
        ("to_0", "lgwan"),
        ("scenario_0_0", "malware"),
        ("bl_0_0", "5"),
        ("bi_0_0", "5"),
        ("al_0_0", "1"),
        ("ai_0_0", "5"),
        ("new_pattern", "one-way-transfer"),
        ("new_from", "lgwan"),
        ("new_to", "mynumber"),
    ]);
    let res = post_form(&w.state, "/bodies/033219/linkage", Some(&cookie), body).await;
    assert_eq!(res.status(), 303);
    let uses = w.state.store().linkage_uses(town()).await.unwrap();
    assert_eq!(uses.len(), 2);
    assert_eq!(uses[1].pattern, "one-way-transfer");
    assert_eq!(last_action(&w).await, "linkage.save");
    let (_, page) = get(&w.state, "/bodies/033219/linkage", Some(&cookie)).await;
    // 5 × 5 is 極高 before, 1 × 5 中 after, in the ministry's matrix.
    assert!(page.contains("class=\"lv lv-3\">極高"), "{page}");
    assert!(page.contains("class=\"lv lv-1\">中"));
    // The API reads the same, with the heat map.
    let (status, json) = get(&w.state, "/api/v1/bodies/033219/linkage", Some(&cookie)).await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["heat_map_before"][4][4], 1);
    assert_eq!(v["uses"][0]["ratings"][0]["after"]["level"], "中");
}

#[tokio::test]
async fn the_ministry_sees_the_national_picture_and_edits_its_catalogue() {
    let w = world().await;
    let (cookie, csrf) = sign_in(&w, "admin").await;
    let (status, page) = get(&w.state, "/linkage", Some(&cookie)).await;
    assert_eq!(status, 200);
    let n = w.state.app.linkage_national().await.unwrap().national;
    assert!(n.bodies > 800, "{}", n.bodies);
    assert!(page.contains(&format!("（{} 団体が記録）", n.bodies)));
    assert!(page.contains("政令指定都市"));
    assert!(page.contains("岩手県"));
    let (status, _) = get(&w.state, "/linkage.xlsx", Some(&cookie)).await;
    assert_eq!(status, 200);
    // A wrong catalogue: each line named, nothing saved.
    let before = w.state.store().linkage_catalogue().await.unwrap();
    let body = form(&[
        ("csrf", &csrf),
        (
            "text",
            "パターン: a 甲\nシナリオ: s 地震: 揺れる\n対策 なし\n",
        ),
    ]);
    let res = post_form(&w.state, "/linkage/catalogue", Some(&cookie), body).await;
    let (status, page) = status_of(res).await;
    assert_eq!(status, 422);
    assert!(page.contains("2行目"), "{page}");
    assert!(page.contains("3行目"));
    assert_eq!(w.state.store().linkage_catalogue().await.unwrap(), before);
    // The matrix saved: the national picture counts on its levels.
    let text = "水準: 可 否\n5: 可 否 否 否 否\n4: 可 可 否 否 否\n3: 可 可 可 否 否\n2: 可 可 可 可 否\n1: 可 可 可 可 可\n";
    let res = post_form(
        &w.state,
        "/linkage/matrix",
        Some(&cookie),
        form(&[("csrf", &csrf), ("text", text)]),
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(last_action(&w).await, "linkage.matrix");
    let p = w.state.app.linkage_national().await.unwrap();
    assert_eq!(p.matrix.levels(), ["可", "否"]);
    assert!(p.national.residual.iter().all(|r| r.counts.len() == 2));
}

#[tokio::test]
async fn a_town_answers_its_self_assessment() {
    let w = world().await;
    let (cookie, csrf) = sign_in(&w, "shiwa").await;
    let (status, page) = get(
        &w.state,
        "/bodies/033219/assessment?year=2026",
        Some(&cookie),
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("令和8年度"));
    assert!(
        page.contains("前年度から引継ぎ"),
        "this year's answers come from last year's"
    );
    assert!(page.contains("年度ごとの推移"));
    assert!(page.contains("令和6年度") && page.contains("令和7年度"));
    let body = w.state.app.store().assessment_questions().await.unwrap();
    assert!(!body.is_empty());
    let town_body = kaitei_model::registry().get(town()).unwrap();
    let year = FiscalYear::new(2026).unwrap();
    let a = w.state.app.assessment(town_body, year).await.unwrap();
    let first = a.items[0].key.to_string();
    // An answer saved: its own now; a score moves.
    let field = format!("answer:{first}");
    let note = format!("note:{first}");
    let res = post_form(
        &w.state,
        "/bodies/033219/assessment/2026",
        Some(&cookie),
        form(&[
            ("csrf", &csrf),
            (&field, "not_done"),
            (&note, "来年度に対応"),
        ]),
    )
    .await;
    assert_eq!(res.status(), 303);
    assert_eq!(last_action(&w).await, "assessment.answers");
    let a = w.state.app.assessment(town_body, year).await.unwrap();
    assert_eq!(
        a.answers[&a.items[0].key],
        kaitei_records::assessment::Carried::Own(kaitei_records::assessment::Answer::NotDone)
    );
    // An answer that is not one: refused, nothing saved.
    let res = post_form(
        &w.state,
        "/bodies/033219/assessment/2026",
        Some(&cookie),
        form(&[("csrf", &csrf), (&field, "maybe")]),
    )
    .await;
    assert_eq!(res.status(), 422);
    // Evidence: up, hashed, down; not another body's.
    let res = post_multipart(
        &w.state,
        "/bodies/033219/assessment/2026/evidence",
        &cookie,
        &[
            ("csrf", None, csrf.as_bytes()),
            ("key", None, first.as_bytes()),
            ("file", Some("研修記録.pdf"), b"%PDF-1.7 evidence"),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    let files = w
        .state
        .store()
        .evidence_files(town(), Some(year))
        .await
        .unwrap();
    let e = files
        .iter()
        .find(|e| e.file_name == "研修記録.pdf")
        .unwrap();
    let (status, bytes) = get(
        &w.state,
        &format!("/bodies/033219/assessment/evidence/{}", e.id),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(bytes, "%PDF-1.7 evidence");
    let (iwate, _) = sign_in(&w, "iwate").await;
    let (status, _) = get(
        &w.state,
        &format!("/bodies/030007/assessment/evidence/{}", e.id),
        Some(&iwate),
    )
    .await;
    assert_eq!(status, 404);
    // The ministry reads, never writes.
    let (admin, admin_csrf) = sign_in(&w, "admin").await;
    let res = post_form(
        &w.state,
        "/bodies/033219/assessment/2026",
        Some(&admin),
        form(&[("csrf", &admin_csrf), (&field, "done")]),
    )
    .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn a_changed_clause_is_asked_again_with_the_change_shown() {
    let w = world().await;
    let (cookie, _) = sign_in(&w, "shiwa").await;
    // 令和9年度 is assessed against the new edition.
    let year = FiscalYear::new(2027).unwrap();
    w.state
        .store()
        .save_assessment(town(), year, "令和7年3月版", &[], "shiwa")
        .await
        .unwrap();
    let (status, page) = get(
        &w.state,
        "/bodies/033219/assessment?year=2027",
        Some(&cookie),
    )
    .await;
    assert_eq!(status, 200);
    assert!(page.contains("対象の版：令和7年3月版"));
    assert!(
        page.contains("この版で条項の文言が変わりました。改めて回答してください（前年度の回答："),
        "asked again"
    );
    // s9-1-1 gained 「少なくとも1回」: both texts are shown.
    assert!(page.contains("毎年度及び必要に応じて"));
    assert!(page.contains("毎年度少なくとも1回及び必要に応じて"));
    assert!(page.contains("前年度から引継ぎ"), "and the rest carried");
}

#[tokio::test]
async fn only_the_town_attaches_its_evidence_and_only_with_its_token() {
    let w = world().await;
    let upload = |cookie: String, token: String| {
        let state = w.state.clone();
        async move {
            post_multipart(
                &state,
                "/bodies/033219/assessment/2026/evidence",
                &cookie,
                &[
                    ("csrf", None, token.as_bytes()),
                    ("key", None, b"s3-2-1"),
                    ("file", Some("a.pdf"), b"%PDF"),
                ],
            )
            .await
            .status()
        }
    };
    for (who, want) in [
        ("admin", 403),
        ("committee", 404),
        ("iwate", 404),
        ("chiyoda", 404),
        ("vendor", 404),
    ] {
        let (cookie, csrf) = sign_in(&w, who).await;
        assert_eq!(upload(cookie, csrf).await, want, "{who}");
    }
    let (cookie, _) = sign_in(&w, "shiwa").await;
    for token in ["0".repeat(64), String::new()] {
        assert_eq!(upload(cookie.clone(), token).await, 403);
    }
    let year = FiscalYear::new(2026).unwrap();
    let files = w
        .state
        .store()
        .evidence_files(town(), Some(year))
        .await
        .unwrap();
    assert!(files.is_empty(), "nothing stored: {files:?}");
}
