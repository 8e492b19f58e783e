//! Issue #10, item 5: text typed into the web application gets the rule
//! every entry point of text applies (`kaitei_model::text::check_controls`):
//! CRLF and a lone CR become LF, then any C0 control but tab and LF, DEL
//! and U+2028/U+2029 is refused, naming its line and column — the API with
//! 400, a form shown again (422) with the message and the text typed, and
//! nothing stored.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::{World, enc, get, post_form, post_json, sign_in, world};
use crate::app;

/// The issue's own edit: NUL, an ANSI colour and a line separator.
const HOSTILE: &str = "\u{0} \u{1b}[31m \u{2028}";

const CLAUSE: &str = "/bodies/030007/policy/clauses/p-b1";

async fn text_of(res: axum::response::Response) -> String {
    let body = res.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8_lossy(&body).into_owned()
}

/// The clause's paragraphs and how many earlier versions it has, as the
/// API gives them.
async fn clause(w: &World, cookie: &str) -> (Vec<String>, usize) {
    let (status, body) = get(&w.state, &format!("/api/v1{CLAUSE}"), Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let c: serde_json::Value = serde_json::from_str(&body).unwrap();
    let paragraphs = c["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    (paragraphs, c["history"].as_array().unwrap().len())
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[tokio::test]
async fn the_api_refuses_control_characters_in_a_clause_edit() {
    let w = world().await;
    let (cookie, csrf) = sign_in(&w, "iwate").await;
    let before = clause(&w, &cookie).await;
    let uri = format!("/api/v1{CLAUSE}");
    let edit = |paragraphs: &[&str]| {
        let list: Vec<String> = paragraphs.iter().map(|p| json_string(p)).collect();
        format!(
            r#"{{"paragraphs": [{}], "base_version": 0}}"#,
            list.join(", ")
        )
    };
    for (paragraphs, says) in [
        (
            vec!["本県の目的。", HOSTILE],
            "paragraphs[1], line 1: control character U+0000 (NUL) at column 1 is not allowed in text; delete it (the text holds 3 such characters); nothing was saved",
        ),
        (
            vec!["一行目\r\n二行目の\u{7f}"],
            "paragraphs[0], line 2: control character U+007F (DEL) at column 5",
        ),
        (
            vec!["目的\u{2029}"],
            "paragraphs[0], line 1: control character U+2029 (PARAGRAPH SEPARATOR) at column 3",
        ),
    ] {
        let res = post_json(&w.state, &uri, (&cookie, &csrf), edit(&paragraphs)).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{paragraphs:?}");
        let body = text_of(res).await;
        assert!(body.contains(says), "{body}");
    }
    assert_eq!(clause(&w, &cookie).await, before, "nothing was stored");
    // Tab is text; a lone CR is a line break, and a line break in a
    // paragraph starts another.
    let res = post_json(
        &w.state,
        &uri,
        (&cookie, &csrf),
        edit(&["本県の\t目的。", "一行目\r二行目"]),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK, "{}", text_of(res).await);
    assert_eq!(
        clause(&w, &cookie).await.0,
        ["本県の\t目的。", "一行目", "二行目"]
    );
}

#[tokio::test]
async fn the_edit_form_is_shown_again_with_the_place_and_nothing_is_stored() {
    let w = world().await;
    let (cookie, csrf) = sign_in(&w, "iwate").await;
    let before = clause(&w, &cookie).await;
    // Browsers send CRLF; the ESC is on the second line, third character.
    let typed = "本県の目的。\r\n第二\u{1b}[31m段落";
    let res = post_form(
        &w.state,
        CLAUSE,
        Some(&cookie),
        format!("text={}&base=0&csrf={csrf}", enc(typed).replace('=', "%3D")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text_of(res).await;
    assert!(
        page.contains("2行目の3文字目の制御文字 U+001B (ESC) は本文に使えません"),
        "{page}"
    );
    assert!(page.contains("保存していません"), "{page}");
    // The form again, with what was typed (the character shown as U+FFFD)
    // and the version it was based on.
    assert!(
        page.contains("本県の目的。\n第二\u{fffd}[31m段落</textarea>"),
        "{page}"
    );
    assert!(page.contains("name=\"base\" value=\"0\""), "{page}");
    assert!(!page.contains('\u{1b}'), "the character is never shown raw");
    assert_eq!(clause(&w, &cookie).await, before, "nothing was stored");

    // In English, for those who asked for it.
    let res = app(w.state.clone())
        .oneshot(
            Request::post(CLAUSE)
                .header(header::COOKIE, format!("{cookie}; kaitei_lang=en"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "text={}&base=0&csrf={csrf}",
                    enc("目的\u{0}")
                )))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text_of(res).await;
    assert!(
        page.contains(
            "Line 1, column 3: the control character U+0000 (NUL) is not allowed in text"
        ),
        "{page}"
    );

    // A lone CR (an old Mac's line break) is a line break: two paragraphs.
    let res = post_form(
        &w.state,
        CLAUSE,
        Some(&cookie),
        format!("text={}&base=0&csrf={csrf}", enc("一段落目。\r二段落目。")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        clause(&w, &cookie).await,
        (vec!["一段落目。".into(), "二段落目。".into()], 1)
    );
}

/// A merge review's edited text: through the API (400), a plain form and
/// htmx (422, the item again with the text typed); nothing is recorded.
#[tokio::test]
async fn review_decisions_refuse_control_characters() {
    let w = world().await;
    let (cookie, csrf) = sign_in(&w, "shiwa").await;
    let review = |w: &World| {
        let cookie = cookie.clone();
        let state = w.state.clone();
        async move {
            let (_, body) = get(&state, "/api/v1/bodies/033219/policy/review", Some(&cookie)).await;
            serde_json::from_str::<serde_json::Value>(&body).unwrap()
        }
    };
    let items = review(&w).await["items"].as_array().unwrap().clone();
    let key = items[0]["key"].as_str().unwrap().to_string();
    let decided = |r: &serde_json::Value| {
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == key.as_str())
            .map(|i| i["decision"].clone())
            .unwrap()
    };
    let before = decided(&review(&w).await);

    let res = post_json(
        &w.state,
        &enc(&format!(
            "/api/v1/bodies/033219/policy/review/clauses/{key}"
        )),
        (&cookie, &csrf),
        format!(
            r#"{{"decision": "edit", "text": {}}}"#,
            json_string("本町の文言。\n二行目\u{1b}[0m")
        ),
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = text_of(res).await;
    assert!(
        body.contains(
            "text, line 2: control character U+001B (ESC) at column 4 is not allowed in text"
        ),
        "{body}"
    );

    let uri = enc(&format!("/bodies/033219/policy/review/clauses/{key}"));
    let form = format!(
        "decision=edit&text={}&csrf={csrf}",
        enc("本町の\u{7}文言。")
    );
    // A plain form: the review again, the item's box holding what was typed.
    let res = post_form(&w.state, &uri, Some(&cookie), form.clone()).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text_of(res).await;
    assert!(
        page.contains("1行目の4文字目の制御文字 U+0007 (BEL) は本文に使えません"),
        "{page}"
    );
    assert!(page.contains("本町の\u{fffd}文言。</textarea>"), "{page}");
    assert!(page.contains("<html"), "a page");
    // htmx: the item alone, again with the text typed.
    let res = app(w.state.clone())
        .oneshot(
            Request::post(uri.clone())
                .header(header::COOKIE, &cookie)
                .header("hx-request", "true")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fragment = text_of(res).await;
    assert!(!fragment.contains("<html"), "a fragment: {fragment}");
    assert!(fragment.contains("U+0007 (BEL)"), "{fragment}");
    assert!(
        fragment.contains("本町の\u{fffd}文言。</textarea>"),
        "{fragment}"
    );
    assert!(!fragment.contains('\u{7}'));

    assert_eq!(decided(&review(&w).await), before, "nothing was recorded");
    // Keep and accept carry no text: the box's text does not matter.
    let res = post_form(
        &w.state,
        &uri,
        Some(&cookie),
        format!("decision=keep&text={}&csrf={csrf}", enc("\u{7}")),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}

/// A login name is stored (failed sign-ins are counted by it): one with a
/// control character is refused before anything is checked or counted.
#[tokio::test]
async fn sign_in_refuses_a_login_name_with_control_characters() {
    let w = world().await;
    let (status, page) = get(&w.state, "/login", None).await;
    assert_eq!(status, StatusCode::OK);
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let res = app(w.state.clone())
        .oneshot(
            Request::post("/login")
                .header(header::COOKIE, format!("kaitei_login_csrf={csrf}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "login={}&password={}&csrf={csrf}",
                    enc("admin\u{1b}"),
                    enc(crate::demo::DEMO_PASSWORD)
                )))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = text_of(res).await;
    assert!(
        page.contains("ログイン名の6文字目の制御文字 U+001B (ESC) は使えません"),
        "{page}"
    );
    // And the store refuses such a name when an account is made.
    let made = w
        .state
        .store()
        .add_user(
            "name\u{7}",
            crate::demo::DEMO_PASSWORD,
            kaitei_store::Role::Admin,
            None,
        )
        .await;
    assert!(made.is_err(), "{made:?}");
}
