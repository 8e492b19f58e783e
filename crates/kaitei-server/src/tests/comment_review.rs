//! The ministry's review of the comments received: hand merges and splits
//! that survive re-clustering with every submitter kept, dispositions by
//! cluster, the response table in each format, and a publication refused
//! while a consultation is open or a comment has no disposition.

use super::*;
use crate::demo_cycle::{ADDENDUM, CLOSED_CONSULTATION, CONSULTATION};
use kaitei_model::consultation::{CommentInput, Step};
use kaitei_store::Respondent;

#[tokio::test]
async fn who_reviews_the_comments() {
    let w = world().await;
    let routes = [
        format!("/consultations/{CLOSED_CONSULTATION}/comments"),
        format!("/consultations/{CLOSED_CONSULTATION}/report?format=html"),
        format!("/consultations/{CLOSED_CONSULTATION}/report?format=xlsx"),
    ];
    // anonymous, admin, committee, iwate, shiwa, chiyoda, vendor
    let expected = [303, 200, 200, 403, 403, 403, 404];
    for route in &routes {
        for ((who, cookie), want) in w.cookies.iter().zip(expected) {
            let (status, body) = get(&w.state, &enc(route), cookie.as_deref()).await;
            assert_eq!(status.as_u16(), want, "{route} as {who}");
            if want != 200 {
                assert!(!body.contains("意見群"), "{route} as {who} leaked");
            }
        }
    }
    // The committee reads, but has no forms.
    let (_, page) = get(
        &w.state,
        &format!("/consultations/{CLOSED_CONSULTATION}/comments"),
        cookie_of(&w, "committee").as_deref(),
    )
    .await;
    assert!(page.contains("意見群 1") && !page.contains("/comments/dispose"));
    let (committee, csrf) = sign_in(&w, "committee").await;
    let res = post_form(
        &w.state,
        &format!("/consultations/{CLOSED_CONSULTATION}/comments/dispose"),
        Some(&committee),
        format!("csrf={csrf}&numbers=1&kind=reflected&reason=x"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

/// Sends `texts` on clause `key` as `body`'s answer, submitted and (when
/// relayed) forwarded, so that the ministry has it.
async fn received_answer(w: &World, body: &str, key: &str, texts: &[String]) {
    let (c, subject) = w.state.app.consultation(CONSULTATION).await.unwrap();
    let inputs: Vec<CommentInput> = texts
        .iter()
        .map(|t| CommentInput {
            clause: key.to_string(),
            quote: String::new(),
            kind: kaitei_model::consultation::CommentType::Opinion,
            text: t.clone(),
            proposal: String::new(),
        })
        .collect();
    let comments = kaitei_app::consultations::check_answer(&subject, &inputs).unwrap();
    let r = Respondent::Body(BodyCode::parse(body).unwrap());
    let now = crate::handlers::now();
    let store = w.state.store();
    store
        .save_answer(&c, &r, &comments, false, 0, "t", now, "edited")
        .await
        .unwrap();
    store
        .answer_step(&c, &r, Step::Submit, "", "t", now)
        .await
        .unwrap();
    if r.relayed(&c) {
        store
            .answer_step(&c, &r, Step::Forward, "", "p", now)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn hand_merges_and_splits_survive_new_comments() {
    let w = world().await;
    let key = {
        let (_, subject) = w.state.app.consultation(CONSULTATION).await.unwrap();
        subject
            .nodes()
            .find(|n| n.paragraphs.first().is_some_and(|p| p.chars().count() > 10))
            .unwrap()
            .key
            .as_str()
            .to_string()
    };
    let training = |what: &str, opener: &str| format!("{opener}研修の{what}を示して頂きたい。");
    // Two concerns the clustering keeps apart, and one cluster of three.
    received_answer(
        &w,
        "012025",
        &key,
        &[training("実施頻度の目安", "本市としては、")],
    )
    .await;
    received_answer(
        &w,
        "012033",
        &key,
        &[training("実施方法の例", "本市としては、")],
    )
    .await;
    for body in ["012041", "012050", "012068"] {
        received_answer(
            &w,
            body,
            &key,
            &["職員の異動時の手続を明確にしていただきたい。".into()],
        )
        .await;
    }
    let review = w.state.app.comment_review(CONSULTATION).await.unwrap();
    let on = |r: &kaitei_app::comment_review::CommentReview, text: &str| -> Vec<(i64, usize)> {
        r.comments
            .iter()
            .filter(|c| c.received.comment.text.contains(text))
            .map(|c| (c.received.number, c.cluster))
            .collect()
    };
    let (freq, method) = (on(&review, "実施頻度")[0], on(&review, "実施方法")[0]);
    assert_ne!(freq.1, method.1, "different concerns apart before any edit");
    let moves = on(&review, "異動時");
    assert!(
        moves.windows(2).all(|p| p[0].1 == p[1].1),
        "one concern, one cluster"
    );

    // The ministry merges the two and takes one comment out of the three.
    let (admin, csrf) = sign_in(&w, "admin").await;
    let res = post_form(
        &w.state,
        &format!("/consultations/{CONSULTATION}/comments/merge"),
        Some(&admin),
        format!("csrf={csrf}&cluster={}&with={}", freq.1, method.1),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post_form(
        &w.state,
        &format!(
            "/consultations/{CONSULTATION}/comments/{}/split",
            moves[0].0
        ),
        Some(&admin),
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // More comments arrive, in the same words: the edits hold, and every
    // submitter is still there.
    received_answer(
        &w,
        "012076",
        &key,
        &[training("実施方法の例", "当市では、")],
    )
    .await;
    received_answer(
        &w,
        "012084",
        &key,
        &["職員の異動時の手続を明確にしていただきたい。".into()],
    )
    .await;
    let again = w.state.app.comment_review(CONSULTATION).await.unwrap();
    let (freq2, methods) = (on(&again, "実施頻度")[0], on(&again, "実施方法"));
    assert!(
        methods.iter().all(|m| m.1 == freq2.1),
        "merged, and the new comment joins them: {freq2:?} {methods:?}"
    );
    let moves2 = on(&again, "異動時");
    let split = moves2.iter().find(|m| m.0 == moves[0].0).unwrap();
    // The two left together stay together, apart from the one split off
    // (the new comment, in the same words, may join either side).
    let rest: Vec<_> = moves2
        .iter()
        .filter(|m| m.0 != moves[0].0 && moves.iter().any(|o| o.0 == m.0))
        .collect();
    assert_eq!(rest.len(), 2);
    assert!(
        rest.iter().all(|m| m.1 == rest[0].1 && m.1 != split.1),
        "{moves2:?}"
    );
    assert_eq!(moves2.len(), 4, "every submitter kept");
    let submitters: std::collections::BTreeSet<String> = again
        .cluster(freq2.1)
        .map(|c| c.received.respondent.key())
        .collect();
    assert_eq!(
        submitters,
        ["012025", "012033", "012076"]
            .map(String::from)
            .into_iter()
            .collect()
    );
}

#[tokio::test]
async fn publication_waits_for_the_window_and_every_disposition() {
    let w = world().await;
    let (admin, csrf) = sign_in(&w, "admin").await;
    let publish = |draft: &str, edition: &str| {
        (
            format!("/drafts/{draft}/publish"),
            format!(
                "csrf={csrf}&edition={}&published={}",
                enc(edition),
                enc("令和8年12月20日")
            ),
        )
    };
    // The draft consulted on in R8-1: still open.
    let open_draft = w
        .state
        .store()
        .consultation(CONSULTATION)
        .await
        .unwrap()
        .unwrap()
        .draft_id;
    let open_name = w
        .state
        .store()
        .drafts()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.id == open_draft)
        .unwrap()
        .name;
    let (uri, body) = publish(&open_name, "令和8年12月版");
    let res = post_form(&w.state, &uri, Some(&admin), body).await;
    let (code, page) = status_of(res).await;
    assert_eq!(code, 422);
    assert!(page.contains("has not closed"), "{page}");
    // The addendum: closed, but two clusters have no disposition.
    let (uri, body) = publish(ADDENDUM, "令和8年12月版");
    let res = post_form(&w.state, &uri, Some(&admin), body.clone()).await;
    let (code, page) = status_of(res).await;
    assert_eq!(code, 422);
    assert!(page.contains("have no disposition yet"), "{page}");
    assert!(
        w.state
            .app
            .editions()
            .await
            .unwrap()
            .iter()
            .all(|e| e.edition != "令和8年12月版")
    );
    // Each remaining cluster disposed of with one form.
    let review = w
        .state
        .app
        .comment_review(CLOSED_CONSULTATION)
        .await
        .unwrap();
    let undisposed: std::collections::BTreeSet<usize> = review
        .comments
        .iter()
        .filter(|c| c.disposition.is_none())
        .map(|c| c.cluster)
        .collect();
    assert!(!undisposed.is_empty());
    for (i, k) in undisposed.into_iter().enumerate() {
        let kind = if i == 0 { "reflected" } else { "reference" };
        let numbers: Vec<String> = review
            .cluster(k)
            .map(|c| c.received.number.to_string())
            .collect();
        let res = post_form(
            &w.state,
            &format!("/consultations/{CLOSED_CONSULTATION}/comments/dispose"),
            Some(&admin),
            format!(
                "csrf={csrf}&numbers={}&kind={kind}&reason={}",
                numbers.join(","),
                enc("今後の改定の参考とします。")
            ),
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    // A disposition without its reason is refused.
    let res = post_form(
        &w.state,
        &format!("/consultations/{CLOSED_CONSULTATION}/comments/dispose"),
        Some(&admin),
        format!("csrf={csrf}&numbers=1&kind=not_reflected&reason=+"),
    )
    .await;
    assert_eq!(res.status().as_u16(), 422);
    // The response table holds every comment with its disposition.
    let (_, html) = get(
        &w.state,
        &format!("/consultations/{CLOSED_CONSULTATION}/report?format=html"),
        Some(&admin),
    )
    .await;
    let review = w
        .state
        .app
        .comment_review(CLOSED_CONSULTATION)
        .await
        .unwrap();
    for c in &review.comments {
        assert!(
            html.contains(&c.received.id),
            "{} in the table",
            c.received.id
        );
    }
    let first = review.comments[0].received.respondent.name();
    assert!(html.contains(&first) && html.contains("今後の改定の参考とします。"));
    let (_, anon) = get(
        &w.state,
        &format!("/consultations/{CLOSED_CONSULTATION}/report?format=html&anonymise=1"),
        Some(&admin),
    )
    .await;
    assert!(
        !anon.contains(&first) && anon.contains("団体1"),
        "names hidden"
    );

    // Now it is published: the new edition, keys carried, the latest.
    let res = post_form(&w.state, &uri, Some(&admin), body.clone()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let latest = w.state.app.latest_edition().await.unwrap().unwrap();
    assert_eq!(latest.edition, "令和8年12月版");
    let new = w.state.app.edition_named("令和8年12月版").await.unwrap();
    let old = w.state.app.edition_named("令和7年3月版").await.unwrap();
    let old_keys: std::collections::BTreeSet<&str> = old.nodes().map(|n| n.key.as_str()).collect();
    assert!(
        new.nodes().all(|n| old_keys.contains(n.key.as_str())),
        "keys carried"
    );
    assert!(
        new.nodes()
            .any(|n| n.text().contains("地方自治法第244条の6"))
    );
    // Published once; the draft changes no more.
    let res = post_form(&w.state, &uri, Some(&admin), body).await;
    assert_eq!(res.status().as_u16(), 422);
    let d = w
        .state
        .store()
        .draft_named(ADDENDUM)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.published_edition.as_deref(), Some("令和8年12月版"));
    let (_, doc) = w.state.store().load_draft(d.id).await.unwrap().unwrap();
    let node = doc.nodes().find(|n| !n.paragraphs.is_empty()).unwrap();
    let edit = kaitei_model::draft::DraftEdit::Text {
        key: node.key.clone(),
        paragraphs: vec!["x".into()],
    };
    assert!(
        w.state
            .store()
            .edit_draft(d.id, &edit, d.version, None, "admin")
            .await
            .is_err()
    );
    // Its 新旧対照表 cites the comments reflected, on the changed rows.
    let (status, json) = get(
        &w.state,
        &format!(
            "/api/v1/diff?old={}&new={}",
            enc("令和7年3月版"),
            enc("令和8年12月版")
        ),
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let reflected: std::collections::BTreeSet<String> = review
        .comments
        .iter()
        .filter(|c| {
            c.disposition
                .as_ref()
                .is_some_and(|d| d.kind == kaitei_model::disposition::DispositionKind::Reflected)
        })
        .filter_map(|c| c.anchor.clause.clone().map(|k| (k, c.received.id.clone())))
        .filter(|(k, _)| {
            json["rows"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["new"]["key"] == k.as_str() && r["kind"] != "unchanged")
        })
        .map(|(_, id)| id)
        .collect();
    let cited: std::collections::BTreeSet<String> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.get("comments"))
        .flat_map(|c| {
            c.as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
        })
        .collect();
    assert!(
        !cited.is_empty() && cited == reflected,
        "{cited:?} vs {reflected:?}"
    );
    // The clause's history says what changed, why, and on whose comments.
    let key = cited_key(&json);
    let (status, history) = get(
        &w.state,
        &format!("/api/v1/clauses/{key}/history"),
        Some(&admin),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let history: serde_json::Value = serde_json::from_str(&history).unwrap();
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["edition"], "令和8年12月版");
    assert_eq!(last["change"], "changed");
    assert!(
        last["changes"][0]["topic"]
            .as_str()
            .is_some_and(|t| t.contains("地方自治法")),
        "{last}"
    );
    assert!(!last["comments"].as_array().unwrap().is_empty(), "{last}");
    let (_, page) = get(
        &w.state,
        &format!("/editions/{}/clauses/{key}", enc("令和8年12月版")),
        Some(&admin),
    )
    .await;
    assert!(page.contains("この条項の履歴") && page.contains("改正") && page.contains("R8-0-"));
    // A body following the old edition sees the new one's impact.
    let (_, page) = get(
        &w.state,
        "/bodies/033219/policy",
        cookie_of(&w, "shiwa").as_deref(),
    )
    .await;
    assert!(
        page.contains("令和8年12月版"),
        "the town sees the new edition"
    );
}

/// The key of a row of a diff JSON that cites comments.
fn cited_key(json: &serde_json::Value) -> String {
    json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r.get("comments").is_some())
        .and_then(|r| r["new"]["key"].as_str())
        .unwrap()
        .to_string()
}
