//! Error pages and the OpenAPI document.

use super::*;

/// Every `/api/v1` route the router has is in the OpenAPI document, with
/// its methods, and the document describes nothing the router lacks.
#[test]
fn the_openapi_document_describes_every_api_route() {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../openapi.json")).expect("valid JSON");
    let described: std::collections::BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (path.clone(), m.clone()))
        })
        .collect();
    let routed: std::collections::BTreeSet<(String, String)> = crate::api_routes()
        .iter()
        .filter(|r| r.path != "/api/v1/openapi.json")
        .flat_map(|r| {
            r.methods
                .iter()
                .map(|m| (r.path.to_string(), m.to_string()))
        })
        .collect();
    assert_eq!(routed, described);
}

/// The route table says what the router answers: each listed method is
/// routed (whatever the answer, not 405), every other one is 405.
#[tokio::test]
async fn the_route_table_is_what_the_router_answers() {
    let w = world().await;
    for route in crate::api_routes() {
        let path = route
            .path
            .replace("{edition}", "x")
            .replace("{code}", "033219")
            .replace("{key}", "k");
        for method in ["get", "post", "put", "delete"] {
            let res = app(w.state.clone())
                .oneshot(
                    Request::builder()
                        .method(method.to_uppercase().as_str())
                        .uri(&path)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let listed = route.methods.contains(&method);
            assert_eq!(
                res.status() != StatusCode::METHOD_NOT_ALLOWED,
                listed,
                "{method} {}: {}",
                route.path,
                res.status()
            );
        }
    }
}

/// A browser asking for a page gets an error as a page (same words, a way
/// home); the API and htmx get the plain text.
#[tokio::test]
async fn errors_are_pages_for_browsers_and_text_for_the_api() {
    let w = world().await;
    let (cookie, _) = sign_in(&w, "committee").await;
    let ask = |uri: &str, accept: &str| {
        Request::get(uri)
            .header(header::COOKIE, &cookie)
            .header(header::ACCEPT, accept)
            .body(Body::empty())
            .unwrap()
    };
    let browser = "text/html,application/xhtml+xml,*/*;q=0.8";
    let res = app(w.state.clone())
        .oneshot(ask("/no/such/page", browser))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    assert!(res.headers().contains_key(header::CONTENT_SECURITY_POLICY));
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let body = String::from_utf8_lossy(&body);
    assert!(
        body.contains("<header>") && body.contains("<h1>見つかりません</h1>"),
        "in the site's frame: {body}"
    );
    assert!(!body.contains("not found"), "one language only: {body}");
    let english = app(w.state.clone())
        .oneshot(
            Request::get("/no/such/page")
                .header(header::COOKIE, format!("{cookie}; kaitei_lang=en"))
                .header(header::ACCEPT, browser)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let english = english.into_body().collect().await.unwrap().to_bytes();
    let english = String::from_utf8_lossy(&english);
    assert!(
        english.contains("<h1>Not found</h1>") && !english.contains("見つかりません"),
        "{english}"
    );
    for (uri, accept) in [
        ("/api/v1/bodies/032018/policy", browser),
        ("/no/such/page", "*/*"),
    ] {
        let res = app(w.state.clone())
            .oneshot(ask(uri, accept))
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert!(
            res.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/plain"),
            "{uri}"
        );
    }
}
