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
    // Only what is left to do, on request.
    let (_, left) = get(
        &w.state,
        &format!("/consultations/{CLOSED_CONSULTATION}/comments?undisposed=1"),
        cookie_of(&w, "committee").as_deref(),
    )
    .await;
    let review = w
        .state
        .app
        .comment_review(CLOSED_CONSULTATION)
        .await
        .unwrap();
    let open: std::collections::BTreeSet<usize> = review
        .comments
        .iter()
        .filter(|c| c.disposition.is_none())
        .map(|c| c.cluster)
        .collect();
    assert_eq!(left.matches("class=\"cluster\"").count(), open.len());
    assert_eq!(page.matches("class=\"cluster\"").count(), review.clusters);
    assert!(!left.contains("badge\">反映"), "only undisposed clusters");
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

/// Sends one comment quoting `quote` of clause `key` as `body`'s answer to
/// R8-1, so that the ministry has it; returns its number.
async fn quoted_comment(w: &World, body: &str, key: &str, quote: &str, text: &str) -> i64 {
    let (c, subject) = w.state.app.consultation(CONSULTATION).await.unwrap();
    let input = CommentInput {
        clause: key.to_string(),
        quote: quote.to_string(),
        kind: kaitei_model::consultation::CommentType::Opinion,
        text: text.to_string(),
        proposal: String::new(),
    };
    let comments = kaitei_app::consultations::check_answer(&subject, &[input]).unwrap();
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
    let answer = store.answer(CONSULTATION, &r).await.unwrap().unwrap();
    answer.comments[0]
        .id
        .rsplit('-')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_redraft_moves_comments_and_the_ministry_confirms_where_they_went() {
    use kaitei_compare::anchor::AnchorStatus;
    use kaitei_model::draft::DraftEdit;
    let w = world().await;
    let (c, subject) = w.state.app.consultation(CONSULTATION).await.unwrap();
    // Three clauses of the subject with a long first paragraph, not the
    // first of their parent (so a move has somewhere to go).
    let leaves: Vec<&kaitei_model::Node> = subject
        .nodes()
        .filter(|n| {
            n.children.is_empty() && n.paragraphs.first().is_some_and(|p| p.chars().count() > 40)
        })
        .collect();
    let (kept, changed, deleted) = (leaves[3], leaves[10], leaves[20]);
    let words =
        |n: &kaitei_model::Node| -> String { n.paragraphs[0].chars().skip(5).take(20).collect() };
    let exact = quoted_comment(
        &w,
        "012025",
        kept.key.as_str(),
        &words(kept),
        "表現を明確にされたい。",
    )
    .await;
    let fuzzy = quoted_comment(
        &w,
        "012033",
        changed.key.as_str(),
        &words(changed),
        "例示を追加されたい。",
    )
    .await;
    let orphan = quoted_comment(
        &w,
        "012041",
        deleted.key.as_str(),
        &words(deleted),
        "削除すべきではないか。",
    )
    .await;
    // The ministry redrafts: one character of the quoted words changed,
    // a clause deleted.
    let store = w.state.store();
    let d = store
        .drafts()
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.id == c.draft_id)
        .unwrap();
    let mut version = d.version;
    let mut paragraphs = changed.paragraphs.clone();
    let original: String = words(changed);
    let mut reworded: Vec<char> = original.chars().collect();
    reworded[10] = if reworded[10] == '等' { '各' } else { '等' };
    let reworded: String = reworded.into_iter().collect();
    paragraphs[0] = paragraphs[0].replacen(&original, &reworded, 1);
    version = store
        .edit_draft(
            d.id,
            &DraftEdit::Text {
                key: changed.key.clone(),
                paragraphs,
            },
            version,
            None,
            "admin",
        )
        .await
        .unwrap();
    store
        .edit_draft(
            d.id,
            &DraftEdit::Delete {
                key: deleted.key.clone(),
            },
            version,
            None,
            "admin",
        )
        .await
        .unwrap();
    let review = w.state.app.comment_review(CONSULTATION).await.unwrap();
    let status = |n: i64| review.comment(n).unwrap().anchor.status;
    assert_eq!(status(exact), AnchorStatus::Exact);
    assert!(
        matches!(status(fuzzy), AnchorStatus::Fuzzy { similarity } if similarity > 0.9 && similarity < 1.0),
        "{:?}",
        status(fuzzy)
    );
    assert_eq!(status(orphan), AnchorStatus::Orphaned);
    assert!(!review.comment(exact).unwrap().to_confirm());
    assert!(review.comment(fuzzy).unwrap().to_confirm());
    // On the page, to confirm; once confirmed, no longer.
    let (admin, csrf) = sign_in(&w, "admin").await;
    let (_, page) = get(
        &w.state,
        &format!("/consultations/{CONSULTATION}/comments"),
        Some(&admin),
    )
    .await;
    assert!(
        page.contains(&c.plan.id.comment_id(fuzzy)) && page.contains("近似"),
        "listed to confirm"
    );
    let res = post_form(
        &w.state,
        &format!("/consultations/{CONSULTATION}/comments/{fuzzy}/confirm"),
        Some(&admin),
        format!("csrf={csrf}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let again = w.state.app.comment_review(CONSULTATION).await.unwrap();
    assert!(!again.comment(fuzzy).unwrap().to_confirm(), "confirmed");
    assert!(
        again.comment(orphan).unwrap().to_confirm(),
        "the other still to confirm"
    );
    assert_eq!(again.comment(fuzzy).unwrap().anchor.quote.exact, reworded);
}

#[tokio::test]
async fn a_draft_change_cites_the_comments_behind_it() {
    let w = world().await;
    let (c, _) = w.state.app.consultation(CLOSED_CONSULTATION).await.unwrap();
    let review = w
        .state
        .app
        .comment_review(CLOSED_CONSULTATION)
        .await
        .unwrap();
    let first = &review.comments[0];
    let key = first.received.comment.clause.clone();
    let (admin, csrf) = sign_in(&w, "admin").await;
    let d = w
        .state
        .store()
        .draft_named(ADDENDUM)
        .await
        .unwrap()
        .unwrap();
    let form = |ids: &str| {
        format!(
            "csrf={csrf}&base={}&text={}&topic=&comments={}",
            d.version,
            enc("改めた本文。"),
            enc(ids)
        )
    };
    // An id that names no comment: refused, nothing saved.
    let res = post_form(
        &w.state,
        &format!("/drafts/{ADDENDUM}/clauses/{key}"),
        Some(&admin),
        form("R8-0-9999"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let ids = format!(
        "{}、{}",
        first.received.id,
        c.plan.id.comment_id(review.comments[1].received.number)
    );
    let res = post_form(
        &w.state,
        &format!("/drafts/{ADDENDUM}/clauses/{key}"),
        Some(&admin),
        form(&ids),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let changes = w
        .state
        .store()
        .draft_changes(d.id, Some(&key))
        .await
        .unwrap();
    assert_eq!(changes[0].comments.len(), 2, "{:?}", changes[0]);
    let (_, page) = get(&w.state, &format!("/drafts/{ADDENDUM}"), Some(&admin)).await;
    assert!(
        page.contains(&first.received.id),
        "the history shows the comment"
    );
}
