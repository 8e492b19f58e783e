//! The audit trail through the web application: changes are recorded as
//! the signed-in user's (sign-ins as the name tried), the administrator
//! reads the trail filtered and exports it, and nobody else may.

use super::*;

async fn log_in(w: &World, login: &str, password: &str) -> StatusCode {
    post_form(
        &w.state,
        "/login",
        Some("kaitei_login_csrf=abc"),
        format!("login={login}&password={password}&csrf=abc"),
    )
    .await
    .status()
}

#[tokio::test]
async fn changes_through_the_web_are_recorded_as_the_users() {
    let w = world().await;
    assert_eq!(
        log_in(&w, "iwate", "not-the-password").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        log_in(&w, "iwate", demo::DEMO_PASSWORD).await,
        StatusCode::SEE_OTHER
    );
    let (cookie, csrf) = sign_in(&w, "iwate").await;
    let res = post_form(
        &w.state,
        "/bodies/030007/policy/clauses/p-b1",
        Some(&cookie),
        format!("text=%E7%9B%A3%E6%9F%BB%E3%81%99%E3%82%8B%E3%80%82&base=0&csrf={csrf}"),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    let store = w.state.store();
    let iwate = kaitei_store::AuditFilter {
        body: Some("030007".into()),
        ..Default::default()
    };
    let events = store.audit_events(&iwate, 10, 0).await.unwrap();
    let edit = &events[0];
    assert_eq!(
        (edit.action.as_str(), edit.actor.as_str()),
        ("clause.edit", "user:iwate"),
        "{events:?}"
    );
    assert!(edit.subject.ends_with(" p-b1"), "{}", edit.subject);
    let all = store
        .audit_events(&kaitei_store::AuditFilter::default(), 1000, 0)
        .await
        .unwrap();
    let failed = all
        .iter()
        .find(|e| e.action == "sign_in.failed")
        .expect("the failed sign-in is recorded");
    assert_eq!(
        (failed.actor.as_str(), failed.subject.as_str()),
        ("anonymous", "iwate")
    );
    assert!(
        all.iter()
            .any(|e| e.action == "sign_in" && e.actor == "user:iwate"),
        "the sign-in is the user's own"
    );

    // The administrator reads it, filtered by body and by actor, and
    // exports it; the chain verifies.
    let admin = cookie_of(&w, "admin");
    let (status, page) = get(
        &w.state,
        "/admin/audit?body=030007&verify=1",
        admin.as_deref(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("条項の編集") && page.contains("user:iwate"),
        "{page}"
    );
    assert!(page.contains("連鎖は完全です"), "{page}");
    assert!(!page.contains("sign_in.failed"), "filtered by body: {page}");
    let (_, by_actor) = get(&w.state, "/admin/audit?actor=iwate", admin.as_deref()).await;
    assert!(
        by_actor.contains("p-b1") && !by_actor.contains("anonymous"),
        "{by_actor}"
    );
    let (status, csv) = get(&w.state, "/admin/audit.csv?body=030007", admin.as_deref()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with("\u{feff}番号,日時"), "{csv}");
    assert!(
        csv.contains(",user:iwate,clause.edit,条項の編集,030007,岩手県,"),
        "{csv}"
    );
    // A bad filter names its field.
    let (status, page) = get(&w.state, "/admin/audit?from=2026-13-40", admin.as_deref()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("開始日「2026-13-40」は日付ではありません"),
        "{page}"
    );
    let (status, _) = get(&w.state, "/admin/audit.csv?body=12", admin.as_deref()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
