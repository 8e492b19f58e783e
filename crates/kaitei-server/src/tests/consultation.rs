//! A consultation answered on the web: prepared by a body's officers,
//! submitted only by one with the right, relayed by the prefecture
//! (returned with a note, then forwarded), read by the ministry — and
//! never seen by another body while in preparation.

use super::*;

fn field(page: &str, name: &str) -> String {
    page.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_string()
}

/// The first clause of the consultation's page with text, and a few of its
/// characters.
async fn a_clause(w: &World) -> (String, String) {
    let (c, subject) = w.state.app.consultation("R8-1").await.unwrap();
    assert_eq!(c.plan.id.as_str(), "R8-1");
    let node = subject
        .nodes()
        .find(|n| n.paragraphs.first().is_some_and(|p| p.chars().count() > 10))
        .unwrap();
    let quote: String = node.paragraphs[0].chars().take(6).collect();
    (node.key.as_str().to_string(), quote)
}

#[tokio::test]
async fn a_town_answers_and_its_prefecture_relays_it() {
    let w = world().await;
    let (key, quote) = a_clause(&w).await;
    let (staff, staff_csrf) = sign_in(&w, "shiwa-staff").await;
    let (shiwa, shiwa_csrf) = sign_in(&w, "shiwa").await;
    let (iwate, iwate_csrf) = sign_in(&w, "iwate").await;
    let (admin, _) = sign_in(&w, "admin").await;
    let (chiyoda, _) = sign_in(&w, "chiyoda").await;
    // The colleague without the right prepares a comment…
    let body = format!(
        "csrf={staff_csrf}&base=0&clause={}&kind=opinion&quote={}&text={}",
        enc(&key),
        enc(&quote),
        enc("研修の実施頻度の目安を示して頂きたい。")
    );
    let (code, page) = status_of(
        post_form(
            &w.state,
            "/consultations/R8-1/answer/comments",
            Some(&staff),
            body,
        )
        .await,
    )
    .await;
    assert_eq!(code, 303, "{page}");
    // …a quote not in the clause is refused with the page and its message.
    let bad = format!(
        "csrf={staff_csrf}&base=1&clause={}&kind=opinion&quote={}&text=x",
        enc(&key),
        enc("存在しない語句")
    );
    let (code, page) = status_of(
        post_form(
            &w.state,
            "/consultations/R8-1/answer/comments",
            Some(&staff),
            bad,
        )
        .await,
    )
    .await;
    assert_eq!(code, 422);
    assert!(page.contains("is not in the clause"), "{page}");
    // …a stale save (base 0 again) is refused.
    let stale = format!(
        "csrf={staff_csrf}&base=0&clause={}&kind=opinion&text=y",
        enc(&key)
    );
    let (code, _) = status_of(
        post_form(
            &w.state,
            "/consultations/R8-1/answer/comments",
            Some(&staff),
            stale,
        )
        .await,
    )
    .await;
    assert_eq!(code, 409);
    // …and cannot submit it.
    let (code, _) = status_of(
        post_form(
            &w.state,
            "/consultations/R8-1/answer/submit",
            Some(&staff),
            format!("csrf={staff_csrf}&base=1"),
        )
        .await,
    )
    .await;
    assert_eq!(code, 403);
    let (_, page) = get(&w.state, "/consultations/R8-1", Some(&staff)).await;
    assert!(
        page.contains("提出権限のある職員") && page.contains("R8-1-"),
        "{page}"
    );
    // The prefecture sees no text of an answer in preparation; nor does
    // another body.
    assert_eq!(
        get(&w.state, "/consultations/R8-1/answers/033219", Some(&iwate))
            .await
            .0,
        404
    );
    assert_eq!(
        get(
            &w.state,
            "/consultations/R8-1/answers/033219",
            Some(&chiyoda)
        )
        .await
        .0,
        404
    );
    assert_eq!(
        get(&w.state, "/consultations/R8-1/answers/033219", Some(&admin))
            .await
            .0,
        404
    );
    // The officer with the right submits: to the prefecture.
    let (_, page) = get(&w.state, "/consultations/R8-1", Some(&shiwa)).await;
    assert!(page.contains("都道府県に提出する"), "{page}");
    let (code, _) = status_of(
        post_form(
            &w.state,
            "/consultations/R8-1/answer/submit",
            Some(&shiwa),
            format!("csrf={shiwa_csrf}&base=1"),
        )
        .await,
    )
    .await;
    assert_eq!(code, 303);
    let (code, page) = get(&w.state, "/consultations/R8-1/answers/033219", Some(&iwate)).await;
    assert_eq!(code.as_u16(), 200, "sent to the prefecture");
    assert!(page.contains("研修の実施頻度"), "{page}");
    assert_eq!(
        get(&w.state, "/consultations/R8-1/answers/033219", Some(&admin))
            .await
            .0,
        404,
        "not forwarded yet"
    );
    // The prefecture returns it with a note; the town resubmits; the
    // prefecture forwards it; the ministry reads it.
    let (_, page) = get(
        &w.state,
        "/consultations/R8-1/progress?prefecture=030007",
        Some(&iwate),
    )
    .await;
    assert!(page.contains("/answers/033219/return"), "{page}");
    let (code, _) = status_of(
        post_form(
            &w.state,
            "/consultations/R8-1/answers/033219/return",
            Some(&iwate),
            format!("csrf={iwate_csrf}&note={}", enc("根拠を追記してください")),
        )
        .await,
    )
    .await;
    assert_eq!(code, 303);
    let (_, page) = get(&w.state, "/consultations/R8-1", Some(&shiwa)).await;
    assert!(
        page.contains("根拠を追記してください") && page.contains("差戻し"),
        "{page}"
    );
    let base = field(&page, "base");
    let (code, _) = status_of(
        post_form(
            &w.state,
            "/consultations/R8-1/answer/submit",
            Some(&shiwa),
            format!("csrf={shiwa_csrf}&base={base}"),
        )
        .await,
    )
    .await;
    assert_eq!(code, 303);
    // Another prefecture's officer cannot forward it.
    let (code, _) = status_of(
        post_form(
            &w.state,
            "/consultations/R8-1/answers/033219/forward",
            Some(&shiwa),
            format!("csrf={shiwa_csrf}"),
        )
        .await,
    )
    .await;
    assert_eq!(code, 403);
    let (code, _) = status_of(
        post_form(
            &w.state,
            "/consultations/R8-1/answers/033219/forward",
            Some(&iwate),
            format!("csrf={iwate_csrf}"),
        )
        .await,
    )
    .await;
    assert_eq!(code, 303);
    let (code, page) = get(&w.state, "/consultations/R8-1/answers/033219", Some(&admin)).await;
    assert_eq!(code.as_u16(), 200);
    assert!(page.contains("送付済"), "{page}");
    let (_, page) = get(&w.state, "/consultations/R8-1/progress", Some(&admin)).await;
    assert!(page.contains("岩手県"), "{page}");
}

#[tokio::test]
async fn the_template_goes_down_and_a_wrong_one_is_refused() {
    let w = world().await;
    let (shiwa, _) = sign_in(&w, "shiwa").await;
    let (chiyoda, chiyoda_csrf) = sign_in(&w, "chiyoda").await;
    let res = app(w.state.clone())
        .oneshot(
            Request::get("/consultations/R8-1/answer/template")
                .header(header::COOKIE, &shiwa)
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
    assert!(disposition.contains("R8-1_033219"), "{disposition}");
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    // 紫波町's template uploaded by 千代田区: refused, naming whose it is.
    let res = post_multipart(
        &w.state,
        "/consultations/R8-1/answer/upload",
        &chiyoda,
        &[
            ("csrf", None, chiyoda_csrf.as_bytes()),
            ("file", Some("t.xlsx"), &bytes),
        ],
    )
    .await;
    let (code, page) = status_of(res).await;
    assert_eq!(code, 422);
    assert!(
        page.contains("紫波町") && page.contains("not yours"),
        "{page}"
    );
}

#[tokio::test]
async fn a_vendor_answers_a_vendor_consultation_as_its_organisation() {
    use kaitei_model::consultation::{Audience, ConsultationId, Plan, Routing, Window};
    let w = world().await;
    let store = w.state.store();
    let now = crate::handlers::now();
    let year = kaitei_model::cycle::FiscalYear::of(now.plus_hours(-72).date());
    let (_, subject) = w.state.app.consultation("R8-1").await.unwrap();
    let mut doc = (*subject).clone();
    doc.meta.title = "データ連携方式の類型（リスク分析用）".into();
    let draft = store
        .create_draft(year, "patterns", &doc, None, "admin")
        .await
        .unwrap();
    let plan = Plan {
        id: ConsultationId::parse("V-1").unwrap(),
        audience: Audience::Vendors,
        routing: Routing::Direct,
        window: Window {
            opens: now.plus_hours(-1),
            closes: now.plus_hours(7 * 24),
        },
    };
    store
        .create_consultation(&plan, year, "ベンダー意見照会", draft, "admin")
        .await
        .unwrap();
    let (vendor, vendor_csrf) = sign_in(&w, "vendor").await;
    let (shiwa, _) = sign_in(&w, "shiwa").await;
    let (admin, _) = sign_in(&w, "admin").await;
    assert_eq!(
        get(&w.state, "/consultations/V-1", Some(&shiwa)).await.0,
        404,
        "bodies are not asked"
    );
    assert_eq!(
        get(&w.state, "/consultations/R8-1", Some(&vendor)).await.0,
        404,
        "vendors are not asked there"
    );
    let (code, page) = get(&w.state, "/consultations/V-1", Some(&vendor)).await;
    assert_eq!(code.as_u16(), 200);
    assert!(
        page.contains("株式会社サンプル情報システム"),
        "answers as its organisation"
    );
    let (key, _) = a_clause(&w).await;
    let body = format!(
        "csrf={vendor_csrf}&base=0&clause={}&kind=question&text={}",
        enc(&key),
        enc("製品での対応例を示すべきか。")
    );
    let (code, _) = status_of(
        post_form(
            &w.state,
            "/consultations/V-1/answer/comments",
            Some(&vendor),
            body,
        )
        .await,
    )
    .await;
    assert_eq!(code, 303);
    let key = "vendor:株式会社サンプル情報システム";
    assert_eq!(
        get(
            &w.state,
            &enc(&format!("/consultations/V-1/answers/{key}")),
            Some(&admin)
        )
        .await
        .0,
        404,
        "not sent yet"
    );
    let (code, _) = status_of(
        post_form(
            &w.state,
            "/consultations/V-1/answer/submit",
            Some(&vendor),
            format!("csrf={vendor_csrf}&base=1"),
        )
        .await,
    )
    .await;
    assert_eq!(code, 303);
    let (code, page) = get(
        &w.state,
        &enc(&format!("/consultations/V-1/answers/{key}")),
        Some(&admin),
    )
    .await;
    assert_eq!(code.as_u16(), 200);
    assert!(page.contains("製品での対応例"), "{page}");
    let (_, page) = get(&w.state, "/consultations/V-1/progress", Some(&admin)).await;
    assert!(page.contains("受領 1"), "the vendor counted as received");
}

#[tokio::test]
async fn the_api_replaces_an_answer_all_or_nothing_and_submits_it() {
    let w = world().await;
    let (key, quote) = a_clause(&w).await;
    let (staff, staff_csrf) = sign_in(&w, "shiwa-staff").await;
    let (shiwa, shiwa_csrf) = sign_in(&w, "shiwa").await;
    let comment = |quote: &str, kind: &str| serde_json::json!({ "clause": key, "quote": quote, "kind": kind, "text": "目安を示して頂きたい。" });
    let bad = serde_json::json!({ "base": 0, "comments": [comment("存在しない語句", "opinion"), comment(&quote, "要望")] });
    let res = post_json(
        &w.state,
        "/api/v1/consultations/R8-1/answer",
        (&staff, &staff_csrf),
        bad.to_string(),
    )
    .await;
    let (code, body) = status_of(res).await;
    assert_eq!(code, 400);
    assert!(
        body.contains("comments[0]") && body.contains("comments[1]"),
        "{body}"
    );
    let (_, got) = get(&w.state, "/api/v1/consultations/R8-1/answer", Some(&staff)).await;
    assert!(got.contains("\"version\":0"), "nothing stored: {got}");
    let good = serde_json::json!({ "base": 0, "comments": [comment(&quote, "意見")] });
    let res = post_json(
        &w.state,
        "/api/v1/consultations/R8-1/answer",
        (&staff, &staff_csrf),
        good.to_string(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (_, got) = get(&w.state, "/api/v1/consultations/R8-1/answer", Some(&shiwa)).await;
    assert!(
        got.contains("R8-1-") && got.contains("\"kind\":\"opinion\""),
        "{got}"
    );
    let res = post_json(
        &w.state,
        "/api/v1/consultations/R8-1/answer/submit",
        (&staff, &staff_csrf),
        String::new(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "no right to submit");
    let res = post_json(
        &w.state,
        "/api/v1/consultations/R8-1/answer/submit",
        (&shiwa, &shiwa_csrf),
        String::new(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let (_, got) = get(&w.state, "/api/v1/consultations/R8-1/answer", Some(&shiwa)).await;
    assert!(got.contains("\"status\":\"submitted\""), "{got}");
}

/// Guards `visible`: a database that failed while the consultation was
/// looked up was answered 404, as if there were no such consultation, so
/// neither the log nor a count of server errors (bench/burst.sh) saw it.
#[tokio::test]
async fn a_database_failure_is_a_server_error_not_a_missing_consultation() {
    let w = world().await;
    let (shiwa, _) = sign_in(&w, "shiwa").await;
    let uri = "/api/v1/consultations/R8-1/answer";
    // Read once: the session is kept in memory now, so the request below
    // fails where the consultation is looked up, not where the session is.
    assert_eq!(get(&w.state, uri, Some(&shiwa)).await.0, StatusCode::OK);
    w.state.store().close().await;
    let (status, body) = get(&w.state, uri, Some(&shiwa)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
}
