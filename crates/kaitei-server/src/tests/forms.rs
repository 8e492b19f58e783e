//! Every form and every changing API call × every role, against a table
//! written out from the rules; each allowed one also with a wrong and a
//! missing CSRF token, which must be refused.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

use super::{World, enc, sign_in, worlds};
use crate::app;

/// How a request carries its body and token.
#[derive(Clone, Copy)]
enum Via {
    /// A form: `csrf` field.
    Form,
    /// The JSON API: `X-CSRF-Token` header.
    Json,
}

/// (route, body without the token, how, expected status for: anonymous,
/// admin, committee, iwate, shiwa, chiyoda, vendor). 303 after a form is
/// success (or, anonymous, "sign in first"); 409 = allowed, but conflicts
/// are undecided (adopting names and dates the new revision, so that the
/// conflicts are what refuses it); 404 = another body's unpublished policy
/// looks like nothing.
/// `{base}` is the clause's version as it is when the request is sent.
const FORMS: &[(&str, &str, Via, [u16; 7])] = &[
    (
        "/logout",
        "",
        Via::Form,
        [303, 303, 303, 303, 303, 303, 303],
    ),
    // 岩手県's public policy: read by all signed in but vendors, changed by
    // its officers only (the ministry reads it).
    (
        "/bodies/030007/policy/clauses/p-b1",
        "text=%E6%9C%AC%E7%9C%8C%E3%81%AE%E7%9B%AE%E7%9A%84%E3%80%82&base={base}",
        Via::Form,
        [303, 403, 403, 303, 403, 403, 404],
    ),
    // 紫波町's policy that is not public: read by its officers and the
    // ministry, changed by its officers only.
    (
        "/bodies/033219/policy/clauses/n1.1",
        "text=%E7%9B%AE%E7%9A%84&base={base}",
        Via::Form,
        [303, 403, 404, 404, 303, 404, 404],
    ),
    // Publishing: as it is (so the rows below see the same visibility).
    (
        "/bodies/033219/policy/public",
        "public=0",
        Via::Form,
        [303, 403, 404, 404, 303, 404, 404],
    ),
    (
        "/bodies/030007/policy/public",
        "public=1",
        Via::Form,
        [303, 403, 403, 303, 403, 403, 404],
    ),
    (
        "/api/v1/bodies/030007/policy/public",
        r#"{"public": true}"#,
        Via::Json,
        [401, 403, 403, 204, 403, 403, 404],
    ),
    (
        "/api/v1/bodies/033219/policy/public",
        r#"{"public": false}"#,
        Via::Json,
        [401, 403, 404, 404, 204, 404, 404],
    ),
    (
        "/bodies/033219/policy/review/clauses/n1.2.12",
        "decision=keep",
        Via::Form,
        [303, 403, 404, 404, 303, 404, 404],
    ),
    (
        "/bodies/030007/policy/review/clauses/p-b1",
        "decision=keep",
        Via::Form,
        [303, 403, 403, 303, 403, 403, 404],
    ),
    // Accepting every proposal but the conflicts: as a decision.
    (
        "/bodies/033219/policy/review/accept",
        "",
        Via::Form,
        [303, 403, 404, 404, 303, 404, 404],
    ),
    (
        "/bodies/030007/policy/review/accept",
        "",
        Via::Form,
        [303, 403, 403, 303, 403, 403, 404],
    ),
    (
        "/bodies/033219/policy/review/adopt",
        "version=%E4%BB%A4%E5%92%8C8%E5%B9%B4%E5%BA%A6%E7%89%88&published=2026-04-01",
        Via::Form,
        [303, 403, 404, 404, 409, 404, 404],
    ),
    (
        "/bodies/030007/policy/review/adopt",
        "version=%E4%BB%A4%E5%92%8C8%E5%B9%B4%E5%BA%A6%E7%89%88&published=2026-04-01",
        Via::Form,
        [303, 403, 403, 409, 403, 403, 404],
    ),
    // 盛岡市's unpublished policy, and a body without one.
    (
        "/bodies/032018/policy/review/adopt",
        "version=%E4%BB%A4%E5%92%8C8%E5%B9%B4%E5%BA%A6%E7%89%88&published=2026-04-01",
        Via::Form,
        [303, 403, 404, 404, 404, 404, 404],
    ),
    (
        "/bodies/131016/policy/review/adopt",
        "version=%E4%BB%A4%E5%92%8C8%E5%B9%B4%E5%BA%A6%E7%89%88&published=2026-04-01",
        Via::Form,
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/api/v1/bodies/033219/policy/review/clauses/n1.5",
        r#"{"decision": "accept"}"#,
        Via::Json,
        [401, 403, 404, 404, 200, 404, 404],
    ),
    (
        "/api/v1/bodies/030007/policy/review/clauses/p-b5",
        r#"{"decision": "edit", "text": "本県独自の文言。"}"#,
        Via::Json,
        [401, 403, 403, 200, 403, 403, 404],
    ),
    (
        "/api/v1/bodies/030007/policy/review/adopt",
        r#"{"version": "令和8年度版", "published": "2026-04-01"}"#,
        Via::Json,
        [401, 403, 403, 409, 403, 403, 404],
    ),
    (
        "/api/v1/bodies/033219/policy/review/adopt",
        r#"{"version": "令和8年度版", "published": "2026-04-01"}"#,
        Via::Json,
        [401, 403, 404, 404, 409, 404, 404],
    ),
    (
        "/api/v1/bodies/030007/policy/clauses/p-b1",
        r#"{"paragraphs": ["本県の目的。", "二段落目。"], "base_version": {base}}"#,
        Via::Json,
        [401, 403, 403, 200, 403, 403, 404],
    ),
    (
        "/api/v1/bodies/033219/policy/clauses/n1.5",
        r#"{"paragraphs": ["本町の規定。"], "base_version": {base}}"#,
        Via::Json,
        [401, 403, 404, 404, 200, 404, 404],
    ),
    // Confirming a placeholder's value in the merge review: the body's
    // officers only, like a decision.
    (
        "/bodies/033219/policy/review/values",
        "name=CISO%E8%81%B7%E5%90%8D&value=%E5%89%AF%E7%94%BA%E9%95%B7",
        Via::Form,
        [303, 403, 404, 404, 303, 404, 404],
    ),
    (
        "/bodies/030007/policy/review/values",
        "name=CISO%E8%81%B7%E5%90%8D&value=%E5%89%AF%E7%9F%A5%E4%BA%8B",
        Via::Form,
        [303, 403, 403, 303, 403, 403, 404],
    ),
    (
        "/api/v1/bodies/033219/policy/review/values",
        r#"{"name": "適用機関", "value": "町長部局"}"#,
        Via::Json,
        [401, 403, 404, 404, 204, 404, 404],
    ),
    (
        "/api/v1/bodies/030007/policy/review/values",
        r#"{"name": "適用機関", "value": "知事部局"}"#,
        Via::Json,
        [401, 403, 403, 204, 403, 403, 404],
    ),
    // This year's records (#18): a body's register and organs are its
    // officers' to change (the ministry and the prefecture read them);
    // the rule table is the ministry's. (The uploads, multipart, are in
    // records.rs.)
    (
        "/bodies/033219/disposal/items/NAS-002",
        "%E6%A9%9F%E5%99%A8%E7%A8%AE%E5%88%A5=NAS&%E5%87%A6%E7%90%86=%E4%BF%9D%E7%AE%A1",
        Via::Form,
        [303, 403, 404, 404, 303, 404, 404],
    ),
    (
        "/bodies/033219/cybersecurity",
        "new_name=%E8%AD%B0%E4%BC%9A",
        Via::Form,
        [303, 403, 404, 403, 303, 404, 404],
    ),
    (
        "/api/v1/bodies/033219/cybersecurity",
        r#"{"organs": [{"name": "首長", "status": "own", "since": "2026-04-01", "url": ""}]}"#,
        Via::Json,
        [401, 403, 404, 403, 204, 404, 404],
    ),
    (
        "/disposal/rules",
        "3a=%E7%89%A9%E7%90%86%E7%A0%B4%E5%A3%8A&3b=%E7%A3%81%E6%B0%97%E7%A0%B4%E5%A3%8A&3c=%E7%A3%81%E6%B0%97%E7%A0%B4%E5%A3%8A&2=%E4%B8%8A%E6%9B%B8%E3%81%8D%E6%B6%88%E5%8E%BB&1=%E4%B8%8A%E6%9B%B8%E3%81%8D%E6%B6%88%E5%8E%BB",
        Via::Form,
        [303, 303, 403, 403, 403, 403, 403],
    ),
    // Data linkage and the self-assessment (#19): a body's record and
    // answers are its officers' to change; the catalogue, the matrix and
    // the questions are the ministry's. (The evidence upload, multipart,
    // is in linkage.rs.) The catalogue rows come last: they replace it.
    (
        "/bodies/033219/linkage",
        "new_pattern=one-way-transfer&new_from=lgwan&new_to=mynumber",
        Via::Form,
        [303, 403, 404, 404, 303, 404, 404],
    ),
    (
        "/api/v1/bodies/033219/linkage",
        r#"{"uses": [{"pattern": "screen-transfer", "from": "internet", "to": "lgwan", "ratings": [{"scenario": "malware", "before": {"likelihood": 3, "impact": 4}, "after": {"likelihood": 1, "impact": 4}}]}]}"#,
        Via::Json,
        [401, 403, 404, 404, 204, 404, 404],
    ),
    (
        "/bodies/033219/assessment/2026",
        "",
        Via::Form,
        [303, 403, 404, 404, 303, 404, 404],
    ),
    (
        "/api/v1/bodies/033219/assessment/2026",
        r#"{"answers": []}"#,
        Via::Json,
        [401, 403, 404, 404, 204, 404, 404],
    ),
    (
        "/assessment/questions",
        "text=s3-2-1%3A+%E7%84%A1%E5%AE%B3%E5%8C%96%E3%81%97%E3%81%A6%E3%81%84%E3%82%8B%E3%81%8B",
        Via::Form,
        [303, 303, 403, 403, 403, 403, 403],
    ),
    (
        "/api/v1/assessment/questions",
        r#"{"text": "s3-2-1: 無害化しているか\n"}"#,
        Via::Json,
        [401, 204, 403, 403, 403, 403, 403],
    ),
    (
        "/linkage/matrix",
        "text=%E6%B0%B4%E6%BA%96%3A+%E4%BD%8E+%E9%AB%98%0A5%3A+%E4%BD%8E+%E9%AB%98+%E9%AB%98+%E9%AB%98+%E9%AB%98%0A4%3A+%E4%BD%8E+%E4%BD%8E+%E9%AB%98+%E9%AB%98+%E9%AB%98%0A3%3A+%E4%BD%8E+%E4%BD%8E+%E4%BD%8E+%E9%AB%98+%E9%AB%98%0A2%3A+%E4%BD%8E+%E4%BD%8E+%E4%BD%8E+%E4%BD%8E+%E9%AB%98%0A1%3A+%E4%BD%8E+%E4%BD%8E+%E4%BD%8E+%E4%BD%8E+%E4%BD%8E",
        Via::Form,
        [303, 303, 403, 403, 403, 403, 403],
    ),
    (
        "/linkage/catalogue",
        "text=%E3%83%91%E3%82%BF%E3%83%BC%E3%83%B3%3A+a+%E7%94%B2%0A%E3%82%B7%E3%83%8A%E3%83%AA%E3%82%AA%3A+s+%E8%AA%A4%E9%80%81%E4%BF%A1%3A+x",
        Via::Form,
        [303, 303, 403, 403, 403, 403, 403],
    ),
    (
        "/api/v1/linkage/catalogue",
        r#"{"catalogue": "パターン: a 甲\nシナリオ: s 誤送信: x\n", "matrix": "水準: 低 高\n5: 低 低 低 低 低\n4: 低 低 低 低 低\n3: 低 低 低 低 低\n2: 低 低 低 低 低\n1: 低 低 低 低 低\n"}"#,
        Via::Json,
        [401, 204, 403, 403, 403, 403, 403],
    ),
];

const WHO: [&str; 7] = [
    "anonymous",
    "admin",
    "committee",
    "iwate",
    "shiwa",
    "chiyoda",
    "vendor",
];

/// A fresh session of `who` (cookie, CSRF token); anonymous has none.
async fn session(w: &World, who: &str) -> Option<(String, String)> {
    if who == "anonymous" {
        None
    } else {
        Some(sign_in(w, who).await)
    }
}

async fn send(
    w: &World,
    route: &str,
    body: &str,
    via: Via,
    session: Option<&(String, String)>,
    token: Option<&str>,
) -> StatusCode {
    let body = body.replace("{base}", &current_base(w, route).await.to_string());
    let body = body.as_str();
    let mut req = Request::post(enc(route));
    if let Some((cookie, _)) = session {
        req = req.header(header::COOKIE, cookie);
    }
    let body = match via {
        Via::Form => {
            req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            match (token, body.is_empty()) {
                (Some(t), true) => format!("csrf={t}"),
                (Some(t), false) => format!("{body}&csrf={t}"),
                (None, _) => body.to_string(),
            }
        }
        Via::Json => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            if let Some(t) = token {
                req = req.header("x-csrf-token", t);
            }
            if body.is_empty() {
                "{}".to_string()
            } else {
                body.to_string()
            }
        }
    };
    app(w.state.clone())
        .oneshot(req.body(Body::from(body)).unwrap())
        .await
        .unwrap()
        .status()
}

/// How many earlier versions the clause a clause-editing `route` names
/// has now (0 for any other route): what an editor who just read it sends.
async fn current_base(w: &World, route: &str) -> usize {
    let route = route.strip_prefix("/api/v1").unwrap_or(route);
    let parts: Vec<&str> = route.split('/').collect();
    let ["", "bodies", code, "policy", "clauses", key] = parts[..] else {
        return 0;
    };
    let body = kaitei_model::BodyCode::parse(code).expect("a body code");
    let store = w.state.store();
    let id = store
        .current_policy(body, kaitei_store::PolicyScope::Latest)
        .await
        .unwrap()
        .expect("the body has a policy");
    store.clause_history(id, key).await.unwrap().len()
}

#[tokio::test]
async fn every_form_and_every_role() {
    for w in worlds().await {
        every_form_on(&w).await;
    }
}

async fn every_form_on(w: &World) {
    let mut failures = Vec::new();
    for (route, body, via, expected) in FORMS {
        for (who, want) in WHO.iter().zip(expected) {
            let s = session(w, who).await;
            // Refused tokens first: they must change nothing, so the
            // request with the right token still finds what it expects.
            if s.is_some() && [200, 204, 303, 409].contains(want) {
                for token in [Some("0".repeat(64)), None] {
                    let got = send(w, route, body, *via, s.as_ref(), token.as_deref()).await;
                    let refused = match via {
                        Via::Form => {
                            got == StatusCode::FORBIDDEN
                                || (token.is_none() && got.is_client_error())
                        }
                        Via::Json => got == StatusCode::FORBIDDEN,
                    };
                    if !refused {
                        failures.push(format!(
                            "{route} as {who} with token {token:?}: {got}, expected a refusal"
                        ));
                    }
                }
            }
            let token = s.as_ref().map(|(_, csrf)| csrf.clone());
            let got = send(w, route, body, *via, s.as_ref(), token.as_deref()).await;
            if got.as_u16() != *want {
                failures.push(format!(
                    "{route} as {who} on {}: {got}, expected {want}",
                    w._db.url
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
