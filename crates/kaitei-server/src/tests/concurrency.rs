//! Many officers saving at once, on every backend (issue #10, items 1 and
//! 6): eight writers, no answer 5xx, every real conflict a 409, nothing a
//! writer was told is saved lost, and no save without the version it was
//! based on. Bounded in count and time; through `app(state).oneshot`, so
//! nothing listens on a port.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::{enc, post_form, sign_in, worlds};
use crate::{AppState, app};

/// Concurrent writers, as the issue's target asks.
const WRITERS: usize = 8;
/// Edits each writer makes of its own clause.
const EDITS_EACH: i64 = 8;
/// Rounds in which every writer saves the same clause from the same version.
const ROUNDS: i64 = 6;
/// However slow the machine, a test that takes longer than this is stuck.
const LIMIT: Duration = Duration::from_secs(120);

const POLICY: &str = "/api/v1/bodies/033219/policy";

/// What came back, counted by status.
#[derive(Default, Debug)]
struct Tally {
    by_status: HashMap<u16, usize>,
}

impl Tally {
    fn add(&mut self, status: StatusCode) {
        *self.by_status.entry(status.as_u16()).or_default() += 1;
    }
    fn count(&self, status: u16) -> usize {
        self.by_status.get(&status).copied().unwrap_or(0)
    }
    fn attempts(&self) -> usize {
        self.by_status.values().sum()
    }
    fn server_errors(&self) -> usize {
        self.by_status
            .iter()
            .filter(|(s, _)| **s >= 500)
            .map(|(_, n)| n)
            .sum()
    }
}

/// An API call with a session; its status and body.
async fn call(
    state: &AppState,
    method: &str,
    uri: &str,
    (cookie, csrf): (&str, &str),
    json: Option<String>,
) -> (StatusCode, String) {
    let mut req = Request::builder()
        .method(method)
        .uri(enc(uri))
        .header(header::COOKIE, cookie)
        .header("x-csrf-token", csrf);
    if json.is_some() {
        req = req.header(header::CONTENT_TYPE, "application/json");
    }
    let res = app(state.clone())
        .oneshot(req.body(Body::from(json.unwrap_or_default())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Saves `text` as clause `key` of 紫波町's policy, based on `base`.
async fn save(
    state: &AppState,
    session: &(String, String),
    key: &str,
    text: &str,
    base: i64,
) -> (StatusCode, String) {
    let body = serde_json::json!({"paragraphs": [text], "base_version": base}).to_string();
    call(
        state,
        "POST",
        &format!("{POLICY}/clauses/{key}"),
        (&session.0, &session.1),
        Some(body),
    )
    .await
}

/// A clause's text and earlier texts, newest first.
async fn clause(state: &AppState, session: &(String, String), key: &str) -> (String, Vec<String>) {
    let (status, body) = call(
        state,
        "GET",
        &format!("{POLICY}/clauses/{key}"),
        (&session.0, &session.1),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let c: serde_json::Value = serde_json::from_str(&body).unwrap();
    let strings = |v: &serde_json::Value, field: &str| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| {
                let x = if field.is_empty() { x } else { &x[field] };
                x.as_str().unwrap().to_string()
            })
            .collect()
    };
    (
        strings(&c["paragraphs"], "").join("\n"),
        strings(&c["history"], "text"),
    )
}

/// The keys of the first `n` clauses of 紫波町's policy that have text.
async fn clauses_with_text(state: &AppState, session: &(String, String), n: usize) -> Vec<String> {
    fn walk(nodes: &serde_json::Value, out: &mut Vec<String>) {
        for node in nodes.as_array().into_iter().flatten() {
            if node["text"].as_str().is_some_and(|t| !t.is_empty()) {
                out.push(node["key"].as_str().unwrap().to_string());
            }
            walk(&node["children"], out);
        }
    }
    let (status, body) = call(state, "GET", POLICY, (&session.0, &session.1), None).await;
    assert_eq!(status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut keys = Vec::new();
    walk(&doc["nodes"], &mut keys);
    assert!(
        keys.len() >= n,
        "the town policy has {} clauses",
        keys.len()
    );
    keys.truncate(n);
    keys
}

/// Eight officers each edit a clause of their own, eight times, all at
/// once: none of it is a conflict, so every save succeeds and every
/// clause ends with all eight edits in its history.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_writers_on_different_clauses_all_succeed() {
    for w in worlds().await {
        let url = w._db.url.clone();
        let mut sessions = Vec::new();
        for _ in 0..WRITERS {
            sessions.push(sign_in(&w, "shiwa").await);
        }
        let keys = clauses_with_text(&w.state, &sessions[0], WRITERS).await;
        let mut tasks = Vec::new();
        for (writer, (session, key)) in sessions.iter().zip(&keys).enumerate() {
            let (state, session, key) = (w.state.clone(), session.clone(), key.clone());
            tasks.push(tokio::spawn(async move {
                let mut seen = Vec::new();
                for edit in 0..EDITS_EACH {
                    let text = format!("第{writer}の担当者による{edit}回目の改正。");
                    let (status, body) = save(&state, &session, &key, &text, edit).await;
                    seen.push((status, body));
                }
                seen
            }));
        }
        let mut tally = Tally::default();
        let mut unexpected = Vec::new();
        let all = tokio::time::timeout(LIMIT, futures_join(tasks))
            .await
            .expect("eight writers finish in time");
        for seen in all {
            for (status, body) in seen {
                tally.add(status);
                if status != StatusCode::OK {
                    unexpected.push(format!("{status}: {body}"));
                }
            }
        }
        eprintln!(
            "{url}: different clauses: {} attempts, {} 5xx, {} 409",
            tally.attempts(),
            tally.server_errors(),
            tally.count(409)
        );
        assert_eq!(tally.server_errors(), 0, "{url}: {unexpected:#?}");
        assert!(unexpected.is_empty(), "{url}: {unexpected:#?}");
        // Nothing lost: each clause holds its writer's last text, and every
        // earlier one is in its history.
        for (writer, key) in keys.iter().enumerate() {
            let (text, history) = clause(&w.state, &sessions[0], key).await;
            assert_eq!(
                text,
                format!("第{writer}の担当者による{}回目の改正。", EDITS_EACH - 1)
            );
            assert_eq!(history.len() as i64, EDITS_EACH, "{url}: {key}");
        }
    }
}

/// Eight officers open the same clause and save it at once, round after
/// round: each round exactly one save succeeds and the others are told
/// (409) that someone else changed it; the winner's text is the clause's.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_writers_on_one_clause_one_wins_each_round() {
    for w in worlds().await {
        let url = w._db.url.clone();
        let mut sessions = Vec::new();
        for _ in 0..WRITERS {
            sessions.push(sign_in(&w, "shiwa").await);
        }
        let key = clauses_with_text(&w.state, &sessions[0], 1).await.remove(0);
        let mut tally = Tally::default();
        let mut unexpected = Vec::new();
        let mut winners = Vec::new();
        for round in 0..ROUNDS {
            // Lined up behind a barrier, so the saves really overlap.
            let start = Arc::new(tokio::sync::Barrier::new(WRITERS));
            let mut tasks = Vec::new();
            for (writer, session) in sessions.iter().enumerate() {
                let (state, session, key, start) =
                    (w.state.clone(), session.clone(), key.clone(), start.clone());
                tasks.push(tokio::spawn(async move {
                    let text = format!("{round}巡目、第{writer}の担当者の文言。");
                    start.wait().await;
                    let (status, body) = save(&state, &session, &key, &text, round).await;
                    (status, body, text)
                }));
            }
            let results = tokio::time::timeout(LIMIT, futures_join(tasks))
                .await
                .expect("a round finishes in time");
            let mut won = Vec::new();
            for (status, body, text) in results {
                tally.add(status);
                match status {
                    StatusCode::OK => won.push(text),
                    StatusCode::CONFLICT if body.contains("changed by someone else") => {}
                    _ => unexpected.push(format!("round {round}: {status}: {body}")),
                }
            }
            assert_eq!(won.len(), 1, "{url}: round {round}: {unexpected:#?}");
            winners.extend(won);
        }
        eprintln!(
            "{url}: one clause: {} attempts, {} 5xx, {} 409",
            tally.attempts(),
            tally.server_errors(),
            tally.count(409)
        );
        assert_eq!(tally.server_errors(), 0, "{url}: {unexpected:#?}");
        assert!(unexpected.is_empty(), "{url}: {unexpected:#?}");
        assert_eq!(tally.count(409), (WRITERS - 1) * ROUNDS as usize);
        // Nothing lost: the last winner's text is the clause's, every
        // earlier winner's is in its history, in order.
        let (text, history) = clause(&w.state, &sessions[0], &key).await;
        assert_eq!(Some(&text), winners.last(), "{url}");
        let earlier: Vec<&String> = history.iter().rev().skip(1).collect();
        let expected: Vec<&String> = winners[..winners.len() - 1].iter().collect();
        assert_eq!(earlier, expected, "{url}");
    }
}

/// Every kind of write at once — clause edits and publishing (紫波町),
/// review decisions (岩手県, whose policy keeps its provenance in its
/// text, so that edits elsewhere do not change what its review lists),
/// signing in — from eight clients: no 5xx, each its expected answer, and
/// every edit and decision kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_kind_of_write_at_once() {
    const REVIEW: &str = "/api/v1/bodies/030007/policy/review";
    for w in worlds().await {
        let url = w._db.url.clone();
        let mut sessions = Vec::new();
        for _ in 0..WRITERS {
            sessions.push((sign_in(&w, "shiwa").await, sign_in(&w, "iwate").await));
        }
        let keys = clauses_with_text(&w.state, &sessions[0].0, WRITERS).await;
        let iwate = &sessions[0].1;
        let (status, review) = call(&w.state, "GET", REVIEW, (&iwate.0, &iwate.1), None).await;
        assert_eq!(status, StatusCode::OK, "{review}");
        let review: serde_json::Value = serde_json::from_str(&review).unwrap();
        let items: Vec<String> = review["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["key"].as_str().unwrap().to_string())
            .take(WRITERS)
            .collect();
        assert_eq!(items.len(), WRITERS, "review items");
        let mut tasks = Vec::new();
        for (writer, (town, prefecture)) in sessions.iter().enumerate() {
            let (state, town, prefecture) = (w.state.clone(), town.clone(), prefecture.clone());
            let (key, item) = (keys[writer].clone(), items[writer].clone());
            tasks.push(tokio::spawn(async move {
                let mut seen = Vec::new();
                for round in 0..4 {
                    let text = format!("第{writer}の担当者、{round}回目。");
                    let (s, b) = save(&state, &town, &key, &text, round).await;
                    seen.push(("edit", s, b));
                    let decision = if round % 2 == 0 { "keep" } else { "accept" };
                    let (s, b) = call(
                        &state,
                        "POST",
                        &format!("{REVIEW}/clauses/{item}"),
                        (&prefecture.0, &prefecture.1),
                        Some(serde_json::json!({ "decision": decision }).to_string()),
                    )
                    .await;
                    seen.push(("decide", s, b));
                    let public = (writer + round as usize).is_multiple_of(2);
                    let (s, b) = call(
                        &state,
                        "POST",
                        &format!("{POLICY}/public"),
                        (&town.0, &town.1),
                        Some(serde_json::json!({ "public": public }).to_string()),
                    )
                    .await;
                    seen.push(("publish", s, b));
                    let res = post_form(
                        &state,
                        "/login",
                        Some("kaitei_login_csrf=abc"),
                        format!(
                            "login=vendor&password={}&csrf=abc",
                            crate::demo::DEMO_PASSWORD
                        ),
                    )
                    .await;
                    seen.push(("sign in", res.status(), String::new()));
                }
                seen
            }));
        }
        let mut tally = Tally::default();
        let mut unexpected = Vec::new();
        let all = tokio::time::timeout(LIMIT, futures_join(tasks))
            .await
            .expect("the writers finish in time");
        for seen in all {
            for (what, status, body) in seen {
                tally.add(status);
                let expected = match what {
                    "edit" | "decide" => StatusCode::OK,
                    "publish" => StatusCode::NO_CONTENT,
                    _ => StatusCode::SEE_OTHER,
                };
                if status != expected {
                    unexpected.push(format!("{what}: {status}: {body}"));
                }
            }
        }
        eprintln!(
            "{url}: every kind of write: {} attempts, {} 5xx, {} 409",
            tally.attempts(),
            tally.server_errors(),
            tally.count(409)
        );
        assert_eq!(tally.server_errors(), 0, "{url}: {unexpected:#?}");
        assert!(unexpected.is_empty(), "{url}: {unexpected:#?}");
        for (writer, key) in keys.iter().enumerate() {
            let (text, history) = clause(&w.state, &sessions[0].0, key).await;
            assert_eq!(text, format!("第{writer}の担当者、3回目。"), "{url}");
            assert_eq!(history.len(), 4, "{url}: {key}");
        }
        // The last decision of each writer is the one kept.
        let (_, review) = call(&w.state, "GET", REVIEW, (&iwate.0, &iwate.1), None).await;
        let review: serde_json::Value = serde_json::from_str(&review).unwrap();
        for item in &items {
            let found = review["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["key"] == item.as_str())
                .unwrap_or_else(|| panic!("{url}: {item} is no longer in the review"));
            assert_eq!(found["decision"], "accept", "{url}: {item}");
        }
    }
}

/// A save that does not say which version it was based on could replace
/// a newer save unseen: refused (400, naming the field), nothing written,
/// from the API and from the form alike.
#[tokio::test]
async fn a_save_without_its_base_is_refused() {
    for w in worlds().await {
        let url = w._db.url.clone();
        let session = sign_in(&w, "shiwa").await;
        let key = clauses_with_text(&w.state, &session, 1).await.remove(0);
        let (before, history) = clause(&w.state, &session, &key).await;
        assert!(history.is_empty());
        let (status, body) = call(
            &w.state,
            "POST",
            &format!("{POLICY}/clauses/{key}"),
            (&session.0, &session.1),
            Some(r#"{"paragraphs": ["上書き。"]}"#.to_string()),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{url}: {body}");
        assert!(body.contains("base_version"), "{url}: {body}");
        let res = post_form(
            &w.state,
            &enc(&format!("/bodies/033219/policy/clauses/{key}")),
            Some(&session.0),
            format!("text={}&csrf={}", enc("上書き。"), session.1),
        )
        .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{url}");
        let body = res.into_body().collect().await.unwrap().to_bytes();
        assert!(
            String::from_utf8_lossy(&body).contains("base"),
            "{url}: {body:?}"
        );
        assert_eq!(
            clause(&w.state, &session, &key).await,
            (before, Vec::new()),
            "{url}: nothing written"
        );
        // With it, the same save goes through.
        let (status, body) = save(&w.state, &session, &key, "上書き。", 0).await;
        assert_eq!(status, StatusCode::OK, "{url}: {body}");
    }
}

/// Awaits every task, in order; a task that panicked fails the test.
async fn futures_join<T>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.expect("a writer panicked"));
    }
    out
}
