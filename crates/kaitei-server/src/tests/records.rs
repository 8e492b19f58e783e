//! The records' writes (#18) as each role: the register uploaded all or
//! nothing, an item corrected, a certificate attached, the ministry's rule
//! table, the organs' list; who may and who may not; and the workbooks.

use super::*;

use kaitei_records::register::{Certificate, Item, Method};
use kaitei_records::xlsx;

fn town() -> BodyCode {
    BodyCode::parse("033219").unwrap()
}

async fn items(w: &World) -> Vec<Item> {
    w.state.store().disposal_items(town()).await.unwrap()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc_all(k), enc_all(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn enc_all(s: &str) -> String {
    crate::handlers::percent_encode(s)
}

#[tokio::test]
async fn a_town_keeps_its_register() {
    for w in worlds().await {
        let (cookie, csrf) = sign_in(&w, "shiwa").await;
        // The page: flagged items first.
        let (status, page) = get(&w.state, "/bodies/033219/disposal", Some(&cookie)).await;
        assert_eq!(status, 200);
        let sv = page.find("SV-001").unwrap();
        let pc = page.find("PC-001").unwrap();
        assert!(sv < pc, "the flagged server before the clean PC");
        assert!(page.contains("method-too-weak"));

        // The export uploaded again: nothing changes.
        let (_, _) = get(&w.state, "/bodies/033219/disposal.xlsx", Some(&cookie)).await;
        let bytes = w.state.app.register_xlsx(town()).await.unwrap();
        let res = post_multipart(
            &w.state,
            "/bodies/033219/disposal/upload",
            &cookie,
            &[
                ("csrf", None, csrf.as_bytes()),
                ("file", Some("台帳.xlsx"), &bytes),
            ],
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(
            res.headers()["location"],
            "/bodies/033219/disposal?imported=0-0-8"
        );

        // A workbook with a wrong cell: refused, every cell named, nothing stored.
        let mut wrong = items(&w).await;
        wrong[0].equipment = "変えたはず".into();
        let mut bytes = xlsx::write(&wrong).unwrap();
        let rows = xlsx::read(&bytes).unwrap();
        assert_eq!(rows.len(), 8);
        // Handling emptied in row 9 by writing a register without it.
        wrong[7].handling = None;
        bytes = xlsx::write(&wrong).unwrap();
        let res = post_multipart(
            &w.state,
            "/bodies/033219/disposal/upload",
            &cookie,
            &[
                ("csrf", None, csrf.as_bytes()),
                ("file", Some("台帳.xlsx"), &bytes),
            ],
        )
        .await;
        let (status, body) = status_of(res).await;
        assert_eq!(status, 422);
        assert!(body.contains("台帳.xlsx:9: 処理: 空欄です"), "{body}");
        assert_ne!(items(&w).await[0].equipment, "変えたはず");

        // A flagged row fixed: the server destroyed, witnessed.
        let mut cells: Vec<(String, String)> = items(&w).await[0]
            .cells()
            .iter()
            .zip(kaitei_records::register::HEADERS)
            .map(|(v, h)| (h.to_string(), v.clone()))
            .collect();
        for (h, v) in &mut cells {
            match h.as_str() {
                "消去方法" => *v = "物理破壊".into(),
                "立会者" => *v = "総務課 紫波一郎".into(),
                _ => {}
            }
        }
        let mut pairs: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        pairs.extend(cells.iter().map(|(h, v)| (h.as_str(), v.as_str())));
        let res = post_form(
            &w.state,
            "/bodies/033219/disposal/items/SV-001",
            Some(&cookie),
            form(&pairs),
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(items(&w).await[0].method, Some(Method::Destruction));

        // A certificate attached: stored with its SHA-256, named in the item.
        let pdf = b"%PDF-1.4 erasure certificate".as_slice();
        let res = post_multipart(
            &w.state,
            "/bodies/033219/disposal/items/SV-001/attachments",
            &cookie,
            &[
                ("csrf", None, csrf.as_bytes()),
                ("kind", None, b"certificate"),
                ("file", Some("消去証明書_SV-001.pdf"), pdf),
            ],
        )
        .await;
        assert_eq!(res.status(), 303);
        assert_eq!(
            items(&w).await[0].certificate,
            Some(Certificate::File("消去証明書_SV-001.pdf".into()))
        );
        let register = w.state.app.register(town()).await.unwrap();
        assert!(
            register.items[0].findings.is_empty(),
            "{:?}",
            register.items[0].findings
        );
        let id = register.attachments[0].id;
        let (status, body) = get(
            &w.state,
            &format!("/bodies/033219/disposal/attachments/{id}"),
            Some(&cookie),
        )
        .await;
        assert_eq!((status.as_u16(), body.as_bytes()), (200, pdf));
        // Another body's officer: nothing there.
        let other = cookie_of(&w, "chiyoda");
        let (status, _) = get(
            &w.state,
            &format!("/bodies/033219/disposal/attachments/{id}"),
            other.as_deref(),
        )
        .await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn only_the_town_writes_its_register_and_only_the_ministry_the_rules() {
    let w = world().await;
    let bytes = w.state.app.register_xlsx(town()).await.unwrap();
    for (who, want) in [
        ("admin", 403),
        ("chiyoda", 404),
        ("iwate", 404),
        ("committee", 404),
    ] {
        let (cookie, csrf) = sign_in(&w, who).await;
        let res = post_multipart(
            &w.state,
            "/bodies/033219/disposal/upload",
            &cookie,
            &[
                ("csrf", None, csrf.as_bytes()),
                ("file", Some("a.xlsx"), &bytes),
            ],
        )
        .await;
        assert_eq!(res.status(), want, "{who}");
        let res = post_form(
            &w.state,
            "/bodies/033219/cybersecurity",
            Some(&cookie),
            form(&[("csrf", &csrf), ("new_name", "議会")]),
        )
        .await;
        let want = if who == "iwate" { 403 } else { want };
        assert_eq!(res.status(), want, "{who} organs");
    }
    let (cookie, csrf) = sign_in(&w, "shiwa").await;
    let res = post_form(
        &w.state,
        "/disposal/rules",
        Some(&cookie),
        form(&[("csrf", &csrf), ("3a", "物理破壊")]),
    )
    .await;
    assert_eq!(res.status(), 403);
    let (cookie, csrf) = sign_in(&w, "admin").await;
    let res = post_form(
        &w.state,
        "/disposal/rules",
        Some(&cookie),
        form(&[
            ("csrf", &csrf),
            ("3a", "物理破壊"),
            ("3b", "磁気破壊"),
            ("3c", "磁気破壊"),
            ("2", "上書き消去"),
            ("1", "上書き消去"),
        ]),
    )
    .await;
    assert_eq!(res.status(), 303);
    let rules = w.state.store().disposal_rules().await.unwrap();
    assert_eq!(
        rules.minimum(kaitei_records::register::Classification::ThreeA),
        Method::Destruction
    );
    // The nation's counts follow the table.
    let (status, page) = get(&w.state, "/disposal", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(page.contains("紫波町"), "the town is flagged");
    let (status, json) = get(&w.state, "/api/v1/disposal", Some(&cookie)).await;
    assert_eq!(status, 200);
    assert!(json.contains("\"method-too-weak\""), "{json}");
}

#[tokio::test]
async fn a_town_keeps_its_organs_and_the_ministry_counts_them() {
    let w = world().await;
    let (cookie, csrf) = sign_in(&w, "shiwa").await;
    let (_, page) = get(&w.state, "/bodies/033219/cybersecurity", Some(&cookie)).await;
    assert!(page.contains("固定資産評価審査委員会"), "prefilled by kind");
    let res = post_form(
        &w.state,
        "/bodies/033219/cybersecurity",
        Some(&cookie),
        form(&[
            ("csrf", &csrf),
            ("name_0", "首長"),
            ("status_0", "own"),
            ("since_0", "2026-03-25"),
            ("url_0", "https://www.town.shiwa.iwate.jp/cyber"),
            ("name_1", "教育委員会"),
            ("status_1", "designated"),
            ("since_1", "2026-04-01"),
            ("url_1", ""),
            ("name_2", "農業委員会"),
            ("status_2", "not_set"),
            ("remove_2", "1"),
            ("name_3", "議会"),
            ("status_3", "not_set"),
            ("new_name", "公営企業管理者"),
        ]),
    )
    .await;
    assert_eq!(res.status(), 303);
    let saved = w.state.store().organs(town()).await.unwrap().unwrap();
    let names: Vec<&str> = saved.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["首長", "教育委員会", "議会", "公営企業管理者"]);
    // A URL that is none: refused, nothing saved.
    let res = post_form(
        &w.state,
        "/bodies/033219/cybersecurity",
        Some(&cookie),
        form(&[
            ("csrf", &csrf),
            ("name_0", "首長"),
            ("status_0", "own"),
            ("url_0", "javascript:alert(1)"),
        ]),
    )
    .await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        w.state.store().organs(town()).await.unwrap().unwrap().len(),
        4
    );
    // The prefecture sees it among its municipalities; the ministry nationally.
    let iwate = cookie_of(&w, "iwate");
    let (status, page) = get(
        &w.state,
        "/prefectures/030007/cybersecurity",
        iwate.as_deref(),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        page.contains("紫波町") && page.contains("議会、公営企業管理者"),
        "lacking organs named"
    );
    let admin = cookie_of(&w, "admin");
    let (status, json) = get(&w.state, "/api/v1/cybersecurity", admin.as_deref()).await;
    assert_eq!(status, 200);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["total"]["bodies"], 1788);
    assert!(
        v["lacking"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["code"] == "033219")
    );
    let (status, _) = get(&w.state, "/cybersecurity.xlsx", admin.as_deref()).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_api_imports_a_register_all_or_nothing() {
    let w = world().await;
    let (cookie, csrf) = sign_in(&w, "chiyoda").await;
    let mut register = crate::demo_records::town_register();
    register.truncate(3);
    let bytes = xlsx::write(&register).unwrap();
    let call = |bytes: Vec<u8>| {
        let (cookie, csrf) = (cookie.clone(), csrf.clone());
        let state = w.state.clone();
        async move {
            app(state)
                .oneshot(
                    Request::post("/api/v1/bodies/131016/disposal")
                        .header(header::COOKIE, cookie)
                        .header("x-csrf-token", csrf)
                        .body(Body::from(bytes))
                        .unwrap(),
                )
                .await
                .unwrap()
        }
    };
    let (status, body) = status_of(call(bytes).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, r#"{"added":3,"updated":0,"unchanged":0}"#);
    let (status, body) = status_of(call(b"PK not really".to_vec()).await).await;
    assert_eq!(status, 422, "{body}");
    let (_, json) = get(&w.state, "/api/v1/bodies/131016/disposal", Some(&cookie)).await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["items"][0]["cells"][0], "SV-001");
    assert_eq!(v["items"][0]["findings"][0]["rule"], "method-too-weak");
}

#[tokio::test]
async fn an_upload_without_the_right_token_is_refused() {
    let w = world().await;
    let (cookie, _) = sign_in(&w, "shiwa").await;
    let bytes = w.state.app.register_xlsx(town()).await.unwrap();
    for token in ["0".repeat(64), String::new()] {
        for route in [
            "/bodies/033219/disposal/upload",
            "/bodies/033219/disposal/items/SV-001/attachments",
        ] {
            let res = post_multipart(
                &w.state,
                route,
                &cookie,
                &[
                    ("csrf", None, token.as_bytes()),
                    ("kind", None, b"photo"),
                    ("file", Some("a.xlsx"), &bytes),
                ],
            )
            .await;
            assert_eq!(res.status(), 403, "{route}");
        }
    }
    assert!(
        w.state
            .store()
            .disposal_attachments(town())
            .await
            .unwrap()
            .is_empty()
    );
}
