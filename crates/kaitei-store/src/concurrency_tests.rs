//! Writers at once, on every backend under test: each write path run by
//! several tasks together must end as if they had run one after the other
//! — no database error, every real conflict [`StoreError::Stale`] or
//! [`StoreError::Duplicate`], nothing acknowledged lost — and login
//! throttling must count parallel guesses (issue #10, items 1 and 2).

use std::sync::Arc;
use std::time::Duration;

use kaitei_format::authoring::parse;
use kaitei_model::Document;
use tokio::sync::Barrier;

use crate::testing::databases;
use crate::{LoginError, MAX_FAILURES, Role, Store, StoreError};

/// Concurrent writers.
const WRITERS: usize = 8;
/// However slow the machine, a test that takes longer than this is stuck.
const LIMIT: Duration = Duration::from_secs(120);

/// A policy of eight clauses, `c0` … `c7`, each derived from the guideline.
fn policy(edition: &str) -> Document {
    let mut src = format!(
        "---\nkind: policy\ntitle: 千代田区ポリシー\nedition: {edition}\nbody: \"131016\"\nderived_from: 令和7年3月版\n---\n"
    );
    for i in 0..WRITERS {
        src.push_str(&format!(
            "# {}. 条 {{#c{i} from=g-{i} status=adopted}}\n本文{i}\n",
            i + 1
        ));
    }
    let parsed = parse(&src);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.document
}

/// Runs `WRITERS` copies of `f(writer)` at once (lined up behind a
/// barrier) and gives their results in writer order.
async fn at_once<T, F, Fut>(f: F) -> Vec<T>
where
    T: Send + 'static,
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let start = Arc::new(Barrier::new(WRITERS));
    let mut tasks = Vec::new();
    for writer in 0..WRITERS {
        let (start, work) = (start.clone(), f(writer));
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            work.await
        }));
    }
    tokio::time::timeout(LIMIT, async {
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.expect("a writer panicked"));
        }
        out
    })
    .await
    .expect("the writers finish in time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_of_different_clauses_all_succeed() {
    for db in databases().await {
        let store = db.open().await;
        let id = store.import(&policy("令和7年度版")).await.unwrap();
        for edit in 0..4 {
            let results = at_once(|w| {
                let store = store.clone();
                async move {
                    let text = vec![format!("第{w}条の{edit}回目の改正。")];
                    store
                        .edit_clause_checked(id, &format!("c{w}"), &text, "shiwa", edit)
                        .await
                }
            })
            .await;
            for (w, r) in results.iter().enumerate() {
                assert!(r.is_ok(), "{}: c{w}, edit {edit}: {r:?}", db.url);
            }
        }
        let doc = store.load(id).await.unwrap().unwrap();
        for (w, node) in doc.children.iter().enumerate() {
            assert_eq!(node.paragraphs, [format!("第{w}条の3回目の改正。")]);
            let history = store.clause_history(id, &format!("c{w}")).await.unwrap();
            assert_eq!(history.len(), 4, "{}: nothing lost", db.url);
        }
        // The audit trail holds every edit, chained without a break: the
        // import and 8 writers × 4 edits.
        let check = store.verify_audit(None).await.unwrap();
        assert_eq!(check.broken, None, "{}", db.url);
        assert_eq!(check.pending, 0, "{}: every event chained", db.url);
        assert_eq!(check.head.count, 1 + 4 * WRITERS as i64, "{}", db.url);
        let edits = store
            .audit_events(&crate::AuditFilter::default(), 100, 0)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "clause.edit")
            .count();
        assert_eq!(edits, 4 * WRITERS, "{}", db.url);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writers_of_one_clause_one_wins_the_rest_are_stale() {
    for db in databases().await {
        let store = db.open().await;
        let id = store.import(&policy("令和7年度版")).await.unwrap();
        for round in 0..4 {
            let results = at_once(|w| {
                let store = store.clone();
                async move {
                    let text = vec![format!("{round}巡目の{w}。")];
                    let r = store
                        .edit_clause_checked(id, "c0", &text, "shiwa", round)
                        .await;
                    (r, text)
                }
            })
            .await;
            let mut won = Vec::new();
            for (r, text) in results {
                match r {
                    Ok(()) => won.push(text),
                    Err(StoreError::Stale(_)) => {}
                    Err(e) => panic!("{}: round {round}: {e}", db.url),
                }
            }
            assert_eq!(won.len(), 1, "{}: round {round}", db.url);
            let doc = store.load(id).await.unwrap().unwrap();
            assert_eq!(doc.children[0].paragraphs, won[0]);
        }
        assert_eq!(store.clause_history(id, "c0").await.unwrap().len(), 4);
    }
}

/// Adopting a review while clauses are edited: whichever commits first
/// wins, the other is refused, and no edit that succeeded is lost — its
/// text is the clause's or in its history.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn adopting_while_editing_loses_nothing() {
    for db in databases().await {
        let store = db.open().await;
        for round in 0..6 {
            let id = store
                .import(&policy(&format!("令和7年度版{round}")))
                .await
                .unwrap();
            let edits = store.edit_count(id).await.unwrap();
            let mut reviewed = store.load(id).await.unwrap().unwrap();
            for node in &mut reviewed.children {
                node.paragraphs = vec![format!("新版の{}。", node.key)];
            }
            reviewed.meta.derived_from = Some("令和8年版".into());
            reviewed.meta.edition = format!("令和8年度版{round}");
            let reviewed = Arc::new(reviewed);
            let results = at_once(|w| {
                let (store, reviewed) = (store.clone(), reviewed.clone());
                async move {
                    if w == 0 {
                        let r = store
                            .adopt_reviewed(id, &reviewed, "shiwa", ("令和7年3月版", edits))
                            .await
                            .map(|_| ());
                        (None, r)
                    } else {
                        let text = vec![format!("担当者{w}の文言。")];
                        let r = store
                            .edit_clause_checked(id, &format!("c{w}"), &text, "shiwa", 0)
                            .await;
                        (Some((format!("c{w}"), text)), r)
                    }
                }
            })
            .await;
            let mut adopted = false;
            let mut saved = Vec::new();
            for (edit, r) in results {
                match (edit, r) {
                    (None, Ok(())) => adopted = true,
                    (Some(e), Ok(())) => saved.push(e),
                    (_, Err(StoreError::Stale(_))) => {}
                    (_, Err(e)) => panic!("{}: round {round}: {e}", db.url),
                }
            }
            // Adopted exactly when it came before every edit, which were
            // then all refused (each made on the revision adoption
            // replaced); refused exactly when an edit came first.
            assert_eq!(
                adopted,
                saved.is_empty(),
                "{}: round {round}: adopted {adopted} with {} edits saved",
                db.url,
                saved.len()
            );
            let doc = store.load(id).await.unwrap().unwrap();
            for (key, text) in saved {
                let node = doc.children.iter().find(|n| n.key.as_str() == key).unwrap();
                let history = store.clause_history(id, &key).await.unwrap();
                assert!(
                    node.paragraphs == text || history.iter().any(|v| v.text == text[0]),
                    "{}: round {round}: the edit of {key} is lost",
                    db.url
                );
            }
        }
    }
}

/// The same document, or the same account, added by several at once: one
/// is stored, the others are told it is a duplicate.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_thing_added_at_once_is_stored_once() {
    for db in databases().await {
        let store = db.open().await;
        let doc = Arc::new(policy("令和7年度版"));
        let results = at_once(|_| {
            let (store, doc) = (store.clone(), doc.clone());
            async move { store.import(&doc).await }
        })
        .await;
        let stored = results.iter().filter(|r| r.is_ok()).count();
        for r in &results {
            assert!(
                matches!(r, Ok(_) | Err(StoreError::Duplicate(_))),
                "{}: {r:?}",
                db.url
            );
        }
        assert_eq!(stored, 1, "{}", db.url);
        let results = at_once(|_| {
            let store = store.clone();
            async move {
                store
                    .add_user("kanri", "a long enough secret", Role::Admin, None)
                    .await
            }
        })
        .await;
        for r in &results {
            assert!(
                matches!(r, Ok(_) | Err(StoreError::Duplicate(_))),
                "{}: {r:?}",
                db.url
            );
        }
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
    }
}

/// Sixty sign-ins for one name at once, all wrong: five passwords are
/// checked, the others refused unchecked; then the right one is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_guesses_are_counted_before_they_are_checked() {
    for db in databases().await {
        let store = db.open().await;
        store
            .add_user("admin", "a long enough secret", Role::Admin, None)
            .await
            .unwrap();
        let mut tasks = Vec::new();
        let start = Arc::new(Barrier::new(60));
        for i in 0..60 {
            let (store, start) = (store.clone(), start.clone());
            tasks.push(tokio::spawn(async move {
                start.wait().await;
                store
                    .check_login("admin", &format!("guess number {i}"))
                    .await
            }));
        }
        let mut wrong = 0;
        let mut throttled = 0;
        for t in tasks {
            match tokio::time::timeout(LIMIT, t).await.unwrap().unwrap() {
                Ok(Err(LoginError::Wrong)) => wrong += 1,
                Ok(Err(LoginError::Throttled)) => throttled += 1,
                other => panic!("{}: {other:?}", db.url),
            }
        }
        assert_eq!(
            (wrong, throttled),
            (MAX_FAILURES, 60 - MAX_FAILURES),
            "{}",
            db.url
        );
        assert_eq!(
            store
                .check_login("admin", "a long enough secret")
                .await
                .unwrap(),
            Err(LoginError::Throttled)
        );
    }
}

/// A right password gives its place back: signing in often, even many
/// at once, is never throttled, and leaves nothing held against later
/// failures.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn right_passwords_take_no_place() {
    for db in databases().await {
        let store = db.open().await;
        store
            .add_user("admin", "a long enough secret", Role::Admin, None)
            .await
            .unwrap();
        for _ in 0..(2 * MAX_FAILURES) {
            assert!(matches!(
                store.check_login("admin", "a long enough secret").await,
                Ok(Ok(_))
            ));
        }
        let results = at_once(|_| {
            let store = store.clone();
            async move { store.check_login("admin", "a long enough secret").await }
        })
        .await;
        for r in results {
            assert!(matches!(r, Ok(Ok(_))), "{}: {r:?}", db.url);
        }
        for _ in 0..(MAX_FAILURES - 1) {
            assert_eq!(
                store
                    .check_login("admin", "wrong wrong wrong")
                    .await
                    .unwrap(),
                Err(LoginError::Wrong)
            );
        }
        assert!(matches!(
            store.check_login("admin", "a long enough secret").await,
            Ok(Ok(_))
        ));
    }
}

/// A check that never ended (its request dropped, its server stopped)
/// holds its place no longer than [`crate::LOGIN_WAIT`]: then it counts as
/// a failure, and nobody waits for it.
#[tokio::test]
async fn a_check_that_never_ended_counts_as_failed() {
    for db in databases().await {
        let store = db.open().await;
        store
            .add_user("admin", "a long enough secret", Role::Admin, None)
            .await
            .unwrap();
        let long_ago = crate::accounts::stamp_secs_ago(crate::LOGIN_WAIT.as_secs() + 1);
        for i in 0..MAX_FAILURES {
            sqlx::query(
                "INSERT INTO login_failures (login, failed_at, attempt) VALUES ($1, $2, $3)",
            )
            .bind("admin")
            .bind(&long_ago)
            .bind(format!("left-{i}"))
            .execute(&store.pool)
            .await
            .unwrap();
        }
        let started = std::time::Instant::now();
        assert_eq!(
            store
                .check_login("admin", "a long enough secret")
                .await
                .unwrap(),
            Err(LoginError::Throttled)
        );
        assert!(
            started.elapsed() < crate::LOGIN_WAIT,
            "{}: not waited for",
            db.url
        );
    }
}

/// Starting a session in place of another ends that one, and only it.
#[tokio::test]
async fn a_new_session_can_replace_the_old() {
    for db in databases().await {
        let store: Store = db.open().await;
        let id = store
            .add_user("admin", "a long enough secret", Role::Admin, None)
            .await
            .unwrap();
        let (first, _) = store.start_session(id).await.unwrap();
        let (other, _) = store.start_session(id).await.unwrap();
        let (second, _) = store
            .start_session_replacing(id, Some(&first))
            .await
            .unwrap();
        assert!(store.session(&first).await.unwrap().is_none());
        assert!(store.session(&second).await.unwrap().is_some());
        assert!(store.session(&other).await.unwrap().is_some());
    }
}

/// Processes opening one new SQLite file at once — servers started
/// together after an upgrade — all open it, each migration applied once:
/// sqlx takes no lock around SQLite migrations, so those that collide with
/// another's must find its work done and go on.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn stores_opened_at_once_on_a_new_sqlite_file_all_open() {
    for _ in 0..3 {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("kaitei.db").display());
        // A thread and a runtime each, as separate processes would be.
        let start = Arc::new(std::sync::Barrier::new(WRITERS));
        let threads: Vec<_> = (0..WRITERS)
            .map(|_| {
                let (url, start) = (url.clone(), start.clone());
                std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("a runtime");
                    start.wait();
                    rt.block_on(async {
                        tokio::time::timeout(LIMIT, Store::open(&url))
                            .await
                            .expect("opens in time")
                            .map(|_| ())
                    })
                })
            })
            .collect();
        let opened: Vec<_> = threads
            .into_iter()
            .map(|t| t.join().expect("an opener panicked"))
            .collect();
        for (writer, result) in opened.iter().enumerate() {
            assert!(result.is_ok(), "store {writer}: {result:?}");
        }
        let store = Store::open(&url).await.expect("opens again");
        let (migrations, versions): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT version) FROM _sqlx_migrations WHERE success",
        )
        .fetch_one(&store.pool)
        .await
        .expect("the migrations table");
        assert_eq!(migrations, versions, "a migration recorded twice");
        assert_eq!(
            versions,
            sqlx::migrate!("./migrations/sqlite").iter().count() as i64
        );
    }
}
