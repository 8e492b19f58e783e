//! Signing in under attack and again (issue #10, items 2 and 10): a burst
//! of parallel guesses gets no more password checks than the throttle
//! allows, on every backend; a new sign-in ends the session the browser
//! had.

use std::sync::Arc;
use std::time::Duration;

use axum::http::{StatusCode, header};
use kaitei_store::MAX_FAILURES;

use super::{get, post_form, worlds};
use crate::demo::DEMO_PASSWORD;

/// Sign-ins in the burst, as in the issue.
const BURST: usize = 60;
/// The one with the right password, as in the issue.
const RIGHT_AT: usize = 50;
/// However slow the machine, a burst that takes longer than this is stuck.
const LIMIT: Duration = Duration::from_secs(120);

fn form(login: &str, password: &str) -> String {
    format!("login={login}&password={password}&csrf=abc")
}

/// 60 sign-ins for one name at once, 59 with a wrong password and the
/// right one 50th: at most [`MAX_FAILURES`] wrong passwords are checked
/// (401), the rest are refused unchecked (429), and once five have failed
/// the right password is refused too until the window ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_guesses_gets_five_checks() {
    for w in worlds().await {
        let url = w._db.url.clone();
        let start = Arc::new(tokio::sync::Barrier::new(BURST));
        let mut tasks = Vec::new();
        for i in 0..BURST {
            let (state, start) = (w.state.clone(), start.clone());
            let password = if i == RIGHT_AT {
                DEMO_PASSWORD.to_string()
            } else {
                format!("wrong-guess-{i}")
            };
            tasks.push(tokio::spawn(async move {
                start.wait().await;
                post_form(
                    &state,
                    "/login",
                    Some("kaitei_login_csrf=abc"),
                    form("shiwa", &password),
                )
                .await
                .status()
            }));
        }
        let statuses = tokio::time::timeout(LIMIT, async {
            let mut out = Vec::new();
            for t in tasks {
                out.push(t.await.expect("a sign-in panicked"));
            }
            out
        })
        .await
        .expect("the burst finishes in time");
        let count = |s: StatusCode| statuses.iter().filter(|x| **x == s).count();
        let (wrong, right, refused) = (
            count(StatusCode::UNAUTHORIZED),
            count(StatusCode::SEE_OTHER),
            count(StatusCode::TOO_MANY_REQUESTS),
        );
        eprintln!(
            "{url}: burst of {BURST}: {} password checks ({wrong} wrong, {right} right), {refused} refused unchecked",
            wrong + right
        );
        assert_eq!(wrong + right + refused, BURST, "{url}: {statuses:?}");
        assert!(
            wrong <= MAX_FAILURES as usize,
            "{url}: {wrong} wrong passwords were checked"
        );
        // A right password that was checked took a place among the five
        // while fewer than five had failed; it frees its place.
        assert!(
            wrong + right <= MAX_FAILURES as usize + 1,
            "{url}: {statuses:?}"
        );
        if wrong == MAX_FAILURES as usize {
            let res = post_form(
                &w.state,
                "/login",
                Some("kaitei_login_csrf=abc"),
                form("shiwa", DEMO_PASSWORD),
            )
            .await;
            assert_eq!(
                res.status(),
                StatusCode::TOO_MANY_REQUESTS,
                "{url}: five failures lock the name, right password or not"
            );
        }
    }
}

/// Five wrong passwords first, then a burst with the right one: every
/// sign-in of the burst is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn after_five_failures_no_sign_in_succeeds() {
    for w in worlds().await {
        let url = w._db.url.clone();
        for i in 0..MAX_FAILURES {
            let res = post_form(
                &w.state,
                "/login",
                Some("kaitei_login_csrf=abc"),
                form("iwate", &format!("wrong-{i}")),
            )
            .await;
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{url}");
        }
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let state = w.state.clone();
            tasks.push(tokio::spawn(async move {
                post_form(
                    &state,
                    "/login",
                    Some("kaitei_login_csrf=abc"),
                    form("iwate", DEMO_PASSWORD),
                )
                .await
                .status()
            }));
        }
        for t in tasks {
            assert_eq!(
                t.await.expect("a sign-in panicked"),
                StatusCode::TOO_MANY_REQUESTS,
                "{url}"
            );
        }
    }
}

/// Signing in again in the same browser ends the session it had: its
/// token no longer signs in, even on a server that had it cached.
#[tokio::test]
async fn signing_in_again_ends_the_previous_session() {
    for w in worlds().await {
        let url = w._db.url.clone();
        let sign_in = |previous: Option<String>| {
            let state = w.state.clone();
            async move {
                let cookie = match previous {
                    Some(p) => format!("kaitei_login_csrf=abc; {p}"),
                    None => "kaitei_login_csrf=abc".to_string(),
                };
                let res = post_form(
                    &state,
                    "/login",
                    Some(&cookie),
                    form("shiwa", DEMO_PASSWORD),
                )
                .await;
                assert_eq!(res.status(), StatusCode::SEE_OTHER);
                let set = res.headers()[header::SET_COOKIE].to_str().unwrap();
                set.split(';').next().unwrap().to_string()
            }
        };
        let first = sign_in(None).await;
        // Read once, so this server keeps it in its session cache.
        assert_eq!(get(&w.state, "/", Some(&first)).await.0, StatusCode::OK);
        let second = sign_in(Some(first.clone())).await;
        assert_ne!(first, second);
        assert_eq!(
            get(&w.state, "/", Some(&first)).await.0,
            StatusCode::SEE_OTHER,
            "{url}: the previous session is over"
        );
        assert_eq!(get(&w.state, "/", Some(&second)).await.0, StatusCode::OK);
        // Another browser's session is not touched by this sign-in.
        let elsewhere = sign_in(None).await;
        let _third = sign_in(Some(second.clone())).await;
        assert_eq!(
            get(&w.state, "/", Some(&elsewhere)).await.0,
            StatusCode::OK,
            "{url}"
        );
    }
}
