//! A town officer's paths (issue #15, items 1–6): signing in back to the
//! page asked for (on this site only), the policy as home, the review
//! filtered with its progress, accepting the rest, adopting a named and
//! dated revision with its 新旧対照表, provenance in words, and refusals
//! said in the user's language without losing what was typed.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::{World, enc, get, post_form, post_json, sign_in, status_of, world};
use crate::{app, demo};

/// A page as a browser reads it: the escaped slashes of attribute values
/// made slashes again.
fn unescaped(page: &str) -> String {
    page.replace("&#x2f;", "/").replace("&amp;", "&")
}

async fn review_json(w: &World, cookie: &str) -> serde_json::Value {
    let (status, body) = get(
        &w.state,
        "/api/v1/bodies/033219/policy/review",
        Some(cookie),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).expect("JSON")
}

fn login_form(login: &str, password: &str, next: &str) -> String {
    format!(
        "login={login}&password={password}&next={}&csrf=abc",
        enc(next)
            .replace('&', "%26")
            .replace('=', "%3D")
            .replace('?', "%3F")
    )
}

async fn sign_in_to(w: &World, next: &str) -> axum::response::Response {
    post_form(
        &w.state,
        "/login",
        Some("kaitei_login_csrf=abc"),
        login_form("shiwa", demo::DEMO_PASSWORD, next),
    )
    .await
}

#[tokio::test]
async fn a_deep_link_returns_there_after_signing_in_and_only_on_this_site() {
    let w = world().await;
    let asked = "/bodies/033219/policy/review?show=conflicts";
    let (status, _) = get(&w.state, asked, None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let res = app(w.state.clone())
        .oneshot(Request::get(asked).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let to = res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(
        to,
        "/login?next=%2Fbodies%2F033219%2Fpolicy%2Freview%3Fshow%3Dconflicts"
    );
    // The sign-in page carries it in its form, and says why it is shown.
    let (status, page) = get(&w.state, &to, None).await;
    assert_eq!(status, StatusCode::OK);
    let page = unescaped(&page);
    assert!(
        page.contains(&format!("name=\"next\" value=\"{asked}\"")),
        "{page}"
    );
    assert!(page.contains("サインインしてください"), "{page}");
    // Signing in goes there.
    let res = sign_in_to(&w, asked).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], asked);
    // Never elsewhere: another host, however written, or nowhere (the
    // sign-in page itself) is the officer's home instead.
    for evil in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "/\t/evil.example/",
        "/\n/evil.example/",
        "evil.example",
        "/login?next=/x",
        "",
    ] {
        let res = sign_in_to(&w, evil).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{evil:?}");
        assert_eq!(
            res.headers()[header::LOCATION],
            "/bodies/033219/policy",
            "{evil:?}"
        );
        let (_, page) = get(&w.state, &format!("/login?next={}", enc(evil)), None).await;
        assert!(!page.contains("name=\"next\""), "{evil:?}: {page}");
    }
    // The top page is no page in particular: signing in goes home.
    let res = app(w.state.clone())
        .oneshot(Request::get("/").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.headers()[header::LOCATION], "/login");
    // A form sent without a session is not sent again after signing in;
    // the API is told, not sent anywhere.
    let res = post_form(
        &w.state,
        "/bodies/033219/policy/review/accept",
        None,
        String::new(),
    )
    .await;
    assert_eq!(res.headers()[header::LOCATION], "/login");
    let (status, _) = get(&w.state, "/api/v1/bodies/033219/policy", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_failed_sign_in_keeps_the_name_and_says_so_as_an_error() {
    let w = world().await;
    let res = post_form(
        &w.state,
        "/login",
        Some("kaitei_login_csrf=abc"),
        login_form("shiwa", "not-the-password", "/bodies/033219/policy/review"),
    )
    .await;
    let (status, page) = status_of(res).await;
    assert_eq!(status, 401);
    let page = unescaped(&page);
    assert!(page.contains("value=\"shiwa\""), "the name is kept: {page}");
    assert!(!page.contains("not-the-password"), "never the password");
    assert!(
        page.contains("role=\"alert\" class=\"alert\"")
            && page.contains("ログイン名またはパスワードが違います"),
        "{page}"
    );
    assert!(
        page.contains("name=\"next\" value=\"/bodies/033219/policy/review\""),
        "where to go is kept too: {page}"
    );
}

#[tokio::test]
async fn a_body_officers_home_says_where_the_policy_stands() {
    let w = world().await;
    let (shiwa, _) = sign_in(&w, "shiwa").await;
    let (status, page) = get(&w.state, "/bodies/033219/policy", Some(&shiwa)).await;
    assert_eq!(status, StatusCode::OK);
    let page = unescaped(&page);
    // The menu leads home, first, marked as the page shown.
    assert!(
        page.contains(
            "<li><a href=\"/bodies/033219/policy\" aria-current=\"page\">自団体のポリシー</a></li>"
        ),
        "{page}"
    );
    // Status, impact by severity and the next step, before the text.
    let overview = page.find("このポリシーの状況").expect("the overview");
    let text = page.find("<h2>本文</h2>").expect("the text");
    assert!(overview < text);
    let first = &page[overview..text];
    for words in [
        "令和7年4月1日施行",
        "2025-04-01（令和7年4月1日）",
        "令和6年10月版",
        "最新の版は 令和7年3月版",
        "非公開（",
        "令和7年3月版 による影響",
        "要判断 ",
        "改定の確認へ",
    ] {
        assert!(first.contains(words), "{words}: {first}");
    }
    // The counts are the impact's, and the review's count is explained.
    let review = review_json(&w, &shiwa).await;
    let changes = review["items"].as_array().unwrap().len();
    let rows = page.matches("<tr><td class=\"sev\">").count();
    assert!(rows > changes, "{rows} impacts, {changes} changes");
    assert!(
        first.contains(&format!("影響 {rows} 件は"))
            && first.contains(&format!("改定の確認の {changes} 件は")),
        "{first}"
    );
    assert!(first.contains(&format!("{changes} 件中 0 件を判断済み")));
    // Every impact row with a clause links to it; rows of the review link
    // to their item, and only to items the review has.
    let keys: Vec<&str> = review["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    let linked: Vec<&str> = page
        .split("/bodies/033219/policy/review#r-")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert!(!linked.is_empty());
    assert!(linked.iter().all(|k| keys.contains(k)), "{linked:?}");
    assert!(page.contains("<td><a href=\"/bodies/033219/policy/clauses/"));
    // Provenance in words: every 由来 names a guideline clause by its
    // edition, labels and title, linked — never a bare key (岩手県's
    // policy records its provenance; the town's 規程 does not).
    let (_, iwate) = get(&w.state, "/bodies/030007/policy", Some(&shiwa)).await;
    let iwate = unescaped(&iwate);
    let from: Vec<&str> = iwate.split("由来：").skip(1).collect();
    assert!(!from.is_empty());
    for f in &from {
        assert!(
            f.starts_with(
                "<a href=\"/editions/%E4%BB%A4%E5%92%8C6%E5%B9%B410%E6%9C%88%E7%89%88/clauses/"
            ),
            "{}",
            &f[..f.len().min(200)]
        );
        let shown = f.split('>').nth(1).unwrap().split('<').next().unwrap();
        assert!(shown.starts_with("ガイドライン 令和6年10月版 "), "{shown}");
    }
    // The ministry reads the policy and its impact, without the review.
    let (admin, _) = sign_in(&w, "admin").await;
    let (_, read) = get(&w.state, "/bodies/033219/policy", Some(&admin)).await;
    assert!(read.contains("令和7年3月版 による影響") && !read.contains("改定の確認へ"));
    assert!(!read.contains("自団体のポリシー"));
    // An officer of a body without a policy is told so, at home.
    let (chiyoda, _) = sign_in(&w, "chiyoda").await;
    let (status, home) = get(&w.state, "/bodies/131016/policy", Some(&chiyoda)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("まだ登録されていません"), "{home}");
}

/// The review: filtered, counted, the rest accepted at once, its
/// 新旧対照表 before adopting; adopting refused with reasons in words
/// (the form keeping what was typed), then a named, dated revision with
/// its own 新旧対照表, confirmed, and made public, confirmed.
#[tokio::test]
async fn the_review_is_filtered_counted_and_adopted_as_a_named_revision() {
    let w = world().await;
    let (shiwa, csrf) = sign_in(&w, "shiwa").await;
    let review = review_json(&w, &shiwa).await;
    let items = review["items"].as_array().unwrap().clone();
    let conflicts: Vec<&str> = items
        .iter()
        .filter(|i| i["kind"] == "conflict")
        .map(|i| i["key"].as_str().unwrap())
        .collect();
    let total = items.len();
    assert_eq!(review["progress"]["total"], total);
    assert_eq!(review["progress"]["decided"], 0);
    // Every changed clause from the guideline shows the guideline's change.
    let changed = items
        .iter()
        .find(|i| i["kind"] == "changed" && !i["guideline"].is_null())
        .expect("a changed clause");
    assert!(
        changed["guideline"]["old"]["clause"]["link"]
            .as_str()
            .unwrap()
            .starts_with("/editions/")
    );
    assert!(
        changed["proposed_marked"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p.as_array().unwrap())
            .any(|x| x["changed"] == true),
        "what differs is marked: {changed}"
    );

    let (_, all) = get(&w.state, "/bodies/033219/policy/review", Some(&shiwa)).await;
    assert_eq!(all.matches("<section class=\"review ").count(), total);
    assert!(
        all.contains(&format!("{total} 件中 0 件を判断済み")),
        "{all}"
    );
    assert!(all.contains("<del class=\"diff\">") && all.contains("<ins class=\"diff\">"));
    assert!(all.contains("ガイドラインの改正"));
    assert!(
        !all.contains("(from "),
        "notes are in words, not the command line's English"
    );
    let (_, only) = get(
        &w.state,
        "/bodies/033219/policy/review?show=conflicts",
        Some(&shiwa),
    )
    .await;
    assert_eq!(
        only.matches("<section class=\"review conflict\"").count(),
        conflicts.len()
    );
    assert_eq!(
        only.matches("<section class=\"review ").count(),
        conflicts.len()
    );

    // A decision through htmx brings the page's count with it.
    let uri = enc(&format!(
        "/bodies/033219/policy/review/clauses/{}",
        conflicts[0]
    ));
    let res = app(w.state.clone())
        .oneshot(
            Request::post(uri)
                .header(header::COOKIE, &shiwa)
                .header("hx-request", "true")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("decision=keep&csrf={csrf}")))
                .unwrap(),
        )
        .await
        .unwrap();
    let (status, fragment) = status_of(res).await;
    assert_eq!(status, 200);
    assert!(
        fragment.contains("hx-swap-oob=\"true\"")
            && fragment.contains(&format!("{total} 件中 1 件を判断済み")),
        "{fragment}"
    );
    // Accepting the rest decides every change but the conflicts.
    let res = post_form(
        &w.state,
        "/bodies/033219/policy/review/accept",
        Some(&shiwa),
        format!("show=conflicts&csrf={csrf}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        res.headers()[header::LOCATION],
        "/bodies/033219/policy/review?show=conflicts"
    );
    let review = review_json(&w, &shiwa).await;
    assert_eq!(
        review["progress"]["decided"],
        total - conflicts.len() + 1,
        "{}",
        review["progress"]
    );
    assert_eq!(review["progress"]["undecided_others"], 0);

    // The 新旧対照表 for the approval, before adopting.
    let res = app(w.state.clone())
        .oneshot(
            Request::get("/bodies/033219/policy/review/table?format=docx")
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
    assert!(
        disposition.contains(&crate::handlers::percent_encode("改定案")),
        "{disposition}"
    );
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    assert!(bytes.starts_with(b"PK"), "a Word file");

    // Adopting: refused with the reason, in words, the form kept.
    let adopt = |version: &str, published: &str| {
        format!(
            "version={}&published={}&csrf={csrf}",
            enc(version),
            enc(published)
        )
    };
    for (version, published, status, words) in [
        (
            "令和8年4月1日施行",
            "来年の春",
            422,
            "日付を「令和8年4月1日」",
        ),
        ("", "令和8年4月1日", 422, "版の名前を入力してください"),
        (
            "令和8年4月1日施行",
            "令和6年4月1日",
            422,
            "以降にしてください",
        ),
        (
            "令和7年4月1日施行",
            "令和8年4月1日",
            422,
            "別の名前にしてください",
        ),
        ("令和8年4月1日施行", "令和8年4月1日", 409, "未判断の競合が"),
    ] {
        let res = post_form(
            &w.state,
            "/bodies/033219/policy/review/adopt",
            Some(&shiwa),
            adopt(version, published),
        )
        .await;
        let (got, page) = status_of(res).await;
        assert_eq!(got, status, "{version} {published}");
        assert!(page.contains(words), "{words}: {page}");
        assert!(
            page.contains(&format!("name=\"published\" value=\"{published}\"")),
            "kept: {published}"
        );
    }
    for key in &conflicts[1..] {
        let res = post_json(
            &w.state,
            &enc(&format!(
                "/api/v1/bodies/033219/policy/review/clauses/{key}"
            )),
            (&shiwa, &csrf),
            r#"{"decision": "keep"}"#.into(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK, "{key}");
    }
    let res = post_form(
        &w.state,
        "/bodies/033219/policy/review/adopt",
        Some(&shiwa),
        adopt("令和8年4月1日施行", "令和8年4月1日"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let done = res.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(done, "/bodies/033219/policy?done=adopted");
    let (_, page) = get(&w.state, &done, Some(&shiwa)).await;
    let page = unescaped(&page);
    for words in [
        "改定を反映しました",
        "新しい版「令和8年4月1日施行」",
        "前の版「令和7年4月1日施行」はそのまま残ります",
        "2026-04-01（令和8年4月1日）",
        "令和7年3月版（最新の版です）",
        "この版はまだ公開していません",
        "/bodies/033219/policy/table?format=docx",
    ] {
        assert!(page.contains(words), "{words}: {page}");
    }
    // Its 新旧対照表: the body's officers and the ministry, as a file
    // named by both versions.
    for (who, want) in [("shiwa", 200), ("admin", 200), ("committee", 404)] {
        let (cookie, _) = sign_in(&w, who).await;
        let res = app(w.state.clone())
            .oneshot(
                Request::get("/bodies/033219/policy/table?format=docx")
                    .header(header::COOKIE, cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), want, "{who}");
        if want == 200 {
            let d = res.headers()[header::CONTENT_DISPOSITION].to_str().unwrap();
            let both = crate::handlers::percent_encode("令和7年4月1日施行_令和8年4月1日施行.docx");
            assert!(d.contains(&both), "{d}");
        }
    }
    // Nothing is left to review; publishing is confirmed.
    let review = review_json(&w, &shiwa).await;
    assert!(review["latest"].is_null());
    let res = post_form(
        &w.state,
        "/bodies/033219/policy/public",
        Some(&shiwa),
        format!("public=1&csrf={csrf}"),
    )
    .await;
    assert_eq!(
        res.headers()[header::LOCATION],
        "/bodies/033219/policy?done=public"
    );
    let (_, page) = get(&w.state, "/bodies/033219/policy?done=public", Some(&shiwa)).await;
    assert!(page.contains("公開しました"), "{page}");
    let (_, page) = get(&w.state, "/bodies/033219/policy?done=bogus", Some(&shiwa)).await;
    assert!(
        !page.contains("class=\"done\""),
        "an unknown word confirms nothing"
    );
}

/// The same clause saved from two tabs: the second is refused on its
/// form, keeping what was typed, the newer text beside it; saving again
/// (having seen it) replaces it, which stays in the history. An empty
/// text or edit is said in words too — in English for English readers.
#[tokio::test]
async fn a_stale_save_keeps_what_was_typed_and_shows_the_newer_text() {
    let w = world().await;
    let (shiwa, csrf) = sign_in(&w, "shiwa").await;
    let uri = "/bodies/033219/policy/clauses/n1.1";
    let save = |text: &str, base: usize| format!("text={}&base={base}&csrf={csrf}", enc(text));
    let res = post_form(&w.state, uri, Some(&shiwa), save("一つ目のタブの文。", 0)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = post_form(&w.state, uri, Some(&shiwa), save("二つ目のタブの文。", 0)).await;
    let (status, page) = status_of(res).await;
    assert_eq!(status, 409);
    assert!(
        page.contains(">二つ目のタブの文。</textarea>"),
        "what was typed is kept: {page}"
    );
    let newer = &page[page.find("class=\"newer\"").expect("the newer text")..];
    assert!(newer.contains("一つ目のタブの文。") && newer.contains("shiwa が保存"));
    assert!(page.contains("開いた後に、ほかの人か別のタブ") && page.contains("role=\"alert\""));
    assert!(
        page.contains("name=\"base\" value=\"1\""),
        "now based on the newer"
    );
    let res = post_form(&w.state, uri, Some(&shiwa), save("二つ目のタブの文。", 1)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&w.state, uri, Some(&shiwa)).await;
    assert!(page.contains("二つ目のタブの文。") && page.contains("一つ目のタブの文。"));
    // Nothing to save: said, not a bare error.
    let res = post_form(&w.state, uri, Some(&shiwa), save("  ", 2)).await;
    let (status, page) = status_of(res).await;
    assert_eq!(status, 422);
    assert!(page.contains("本文が空です"), "{page}");
    // In English for an English reader.
    let english = format!("{shiwa}; kaitei_lang=en");
    let res = post_form(&w.state, uri, Some(&english), save("三つ目。", 0)).await;
    let (status, page) = status_of(res).await;
    assert_eq!(status, 409);
    assert!(
        page.contains("This clause was saved, by someone else"),
        "{page}"
    );
    // An edit decided without its text, from a plain form: the review
    // again with the reason in words, not the store's English.
    let review = review_json(&w, &shiwa).await;
    let key = review["items"][0]["key"].as_str().unwrap().to_string();
    let res = post_form(
        &w.state,
        &enc(&format!("/bodies/033219/policy/review/clauses/{key}")),
        Some(&shiwa),
        format!("decision=edit&text=&csrf={csrf}"),
    )
    .await;
    let (status, page) = status_of(res).await;
    assert_eq!(status, 422);
    assert!(page.contains("修正文が必要です") && !page.contains("needs its text"));
    // The edit stays chosen, so its box (shown only for an edit) is there.
    let item = &page[page.find(&format!("id=\"r-{key}\"")).expect("the item")..];
    let item = &item[..item.find("</section>").unwrap()];
    assert!(item.contains("value=\"edit\" checked"), "{item}");
}
