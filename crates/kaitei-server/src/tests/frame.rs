//! The site's frame: a menu that offers each role only what it may open,
//! error pages in the user's language with the way back, and the icon.

use super::*;

/// A page as a browser asks for it (`Accept: text/html`), in `lang`.
async fn browse(state: &AppState, uri: &str, cookie: Option<&str>, lang: &str) -> (u16, String) {
    let mut cookies = format!("kaitei_lang={lang}");
    if let Some(c) = cookie {
        cookies = format!("{c}; {cookies}");
    }
    let res = app(state.clone())
        .oneshot(
            Request::get(enc(uri))
                .header(header::ACCEPT, "text/html")
                .header(header::COOKIE, cookies)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    status_of(res).await
}

/// The links of the page's header, unescaped.
fn header_links(page: &str) -> Vec<String> {
    let start = page.find("<header>").expect("a header");
    let end = page.find("</header>").expect("its end");
    page[start..end]
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|h| h.replace("&#x2f;", "/").replace("&amp;", "&"))
        .filter(|h| h.starts_with('/') && !h.starts_with("/lang/"))
        .collect()
}

/// Every link of the header, on every main page of every role, opens:
/// no role is shown a link that answers 403 (or 404).
#[tokio::test]
async fn no_role_is_offered_a_link_it_may_not_open() {
    let w = world().await;
    for (who, cookie) in w.cookies.iter().skip(1) {
        let mut links = Vec::new();
        for page in ["/", "/search", "/consultations"] {
            let (status, body) = browse(&w.state, page, cookie.as_deref(), "ja").await;
            assert_eq!(status, 200, "{page} as {who}");
            links.extend(header_links(&body));
        }
        links.sort();
        links.dedup();
        assert!(links.len() >= 3, "{who}: {links:?}");
        for link in links {
            let (status, _) = browse(&w.state, &link, cookie.as_deref(), "ja").await;
            assert!(
                status == 200 || status == 303 || status == 308,
                "{who} is offered {link}, which answers {status}"
            );
        }
    }
}

/// Error pages say what happened and what to do in the user's language
/// only — no Japanese on an English page, no English detail on a Japanese
/// one — and lead back into the section the page was in.
#[tokio::test]
async fn error_pages_speak_one_language_and_lead_back() {
    let w = world().await;
    let iwate = cookie_of(&w, "iwate");
    let vendor = cookie_of(&w, "vendor");
    let kana = |s: &str| {
        s.chars()
            .any(|c| matches!(c, '\u{3041}'..='\u{309f}' | '\u{30a1}'..='\u{30fa}'))
    };
    let main = |page: &str| -> String {
        let start = page.find("<main").expect("main");
        page[start..page.find("</main>").expect("end")].to_string()
    };
    // (uri, who, status)
    let cases = [
        ("/no/such/page", iwate.clone(), 404),
        ("/consultations/R8-9", iwate.clone(), 404),
        ("/prefectures/030007/status", vendor.clone(), 403),
        (
            "/prefectures/030007/status?show=everything",
            iwate.clone(),
            400,
        ),
        ("/bodies/030007/policy/clauses/p-b1/x", iwate.clone(), 404),
        // A form's address opened as a page: axum's bare 405 made a page.
        ("/logout", iwate.clone(), 405),
    ];
    for (uri, cookie, want) in cases {
        let (status, ja) = browse(&w.state, uri, cookie.as_deref(), "ja").await;
        assert_eq!(status, want, "{uri}");
        let ja = main(&ja);
        assert!(
            !ja.contains("not found") && !ja.contains("not allowed") && !ja.contains("unknown"),
            "{uri}: {ja}"
        );
        assert!(ja.contains("戻る"), "{uri}: the way back: {ja}");
        let (status, en) = browse(&w.state, uri, cookie.as_deref(), "en").await;
        assert_eq!(status, want, "{uri}");
        let en = main(&en);
        assert!(!kana(&en), "{uri}: Japanese on an English page: {en}");
        assert!(en.contains("Back to"), "{uri}: {en}");
    }
    // A conflict: a draft's clause saved on a version someone has since
    // changed. Said in the user's language; the way back is the cycle's.
    let (admin, csrf) = sign_in(&w, "admin").await;
    let draft = w.state.store().drafts().await.unwrap().remove(0);
    let (_, doc) = w.state.store().load_draft(draft.id).await.unwrap().unwrap();
    let key = doc
        .nodes()
        .find(|n| !n.paragraphs.is_empty())
        .unwrap()
        .key
        .to_string();
    let uri = enc(&format!("/drafts/{}/clauses/{key}", draft.name));
    let save = |lang: &'static str| {
        let body = format!(
            "csrf={csrf}&base={}&text={}",
            draft.version,
            enc("改定後の本文。")
        );
        Request::post(uri.clone())
            .header(header::ACCEPT, "text/html")
            .header(header::COOKIE, format!("{admin}; kaitei_lang={lang}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap()
    };
    let first = app(w.state.clone()).oneshot(save("ja")).await.unwrap();
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    for (lang, says) in [("ja", "保存していません"), ("en", "nothing was saved")] {
        let (status, page) =
            status_of(app(w.state.clone()).oneshot(save(lang)).await.unwrap()).await;
        assert_eq!(status, 409);
        let page = main(&page);
        assert!(page.contains(says), "{lang}: {page}");
        assert_eq!(kana(&page), lang == "ja", "{lang}: {page}");
        assert!(
            page.contains("&#x2f;cycles") || page.contains("/cycles"),
            "{lang}: {page}"
        );
    }
    // Within a section, back to it.
    let (_, page) = browse(&w.state, "/consultations/R8-9", iwate.as_deref(), "ja").await;
    assert!(page.contains("「意見照会」へ戻る"), "{page}");
    // A conflict keeps its detail in the language it is written in.
    let (_, page) = browse(&w.state, "/no/such/page", None, "ja").await;
    assert!(
        page.contains("サインインする"),
        "the anonymous are offered the sign-in"
    );
}

#[tokio::test]
async fn the_icon_is_named_and_where_browsers_look_for_it() {
    let w = world().await;
    let (status, page) = browse(&w.state, "/login", None, "ja").await;
    assert_eq!(status, 200);
    assert!(page.contains("rel=\"icon\" href=\"/static/kaitei-icon.svg\""));
    let res = app(w.state.clone())
        .oneshot(Request::get("/favicon.ico").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(res.headers()[header::LOCATION], "/static/kaitei-icon.svg");
    let (status, svg) = get(&w.state, "/static/kaitei-icon.svg", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(svg.starts_with("<svg"));
}

/// The compact menu for small screens holds the same entries as the wide
/// one, and the sign-out.
#[tokio::test]
async fn the_compact_menu_holds_the_same_entries() {
    let w = world().await;
    let admin = cookie_of(&w, "admin");
    let (_, page) = browse(&w.state, "/", admin.as_deref(), "ja").await;
    let wide = page.find("class=\"menu-wide\"").expect("the wide menu");
    let compact = page
        .find("class=\"menu-compact\"")
        .expect("the compact menu");
    let entries = |from: usize| -> Vec<String> {
        let part = &page[from..];
        let part = &part[..part.find("</ul>").unwrap()];
        header_links(&format!("<header>{part}</header>"))
    };
    assert_eq!(entries(wide), entries(compact));
    assert_eq!(entries(wide).len(), 11);
    let compact_part = &page[compact..page.find("</details>").unwrap()];
    assert!(compact_part.contains("サインアウト"));
    assert!(
        page.contains("aria-current=\"page\""),
        "the page shown is marked"
    );
}
