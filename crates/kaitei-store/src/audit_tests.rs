//! The audit trail on every backend under test: who did what is recorded
//! for each kind of change, the chain verifies, and each way of tampering
//! with it — editing, deleting, reordering, inserting, cutting the end
//! off, rewriting and rehashing all of it — is caught at the right place.

use std::time::Duration;

use kaitei_format::authoring::parse;
use kaitei_model::Document;

use crate::audit::{Actor, GENESIS, Head, acting};
use crate::testing::databases;
use crate::{AuditFilter, Backend, Role, Store};

fn policy(edition: &str) -> Document {
    let src = format!(
        "---\nkind: policy\ntitle: 千代田区ポリシー\nedition: {edition}\nbody: \"131016\"\nderived_from: 令和7年3月版\n---\n# 1. 目的 {{#c1 from=g-1 status=adopted}}\n本文\n"
    );
    let parsed = parse(&src);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.document
}

/// A store with a few events: an account added (by the OS user), a
/// policy imported and its clause edited twice by a signed-in user, a
/// failed and a right sign-in.
async fn with_events(store: &Store) -> i64 {
    store
        .add_user(
            "chiyoda",
            "chiyoda-password-1",
            Role::Body,
            Some(kaitei_model::BodyCode::parse("131016").unwrap()),
        )
        .await
        .unwrap();
    let id = acting(Actor::user("chiyoda"), async {
        let id = store.import(&policy("令和7年度版")).await.unwrap();
        for (v, text) in ["一回目。", "二回目。"].iter().enumerate() {
            store
                .edit_clause_checked(id, "c1", &[text.to_string()], "chiyoda", v as i64)
                .await
                .unwrap();
        }
        id
    })
    .await;
    acting(Actor::anonymous(), async {
        let _ = store
            .check_login("chiyoda", "wrong-password-00")
            .await
            .unwrap();
        let _ = store
            .check_login("chiyoda", "chiyoda-password-1")
            .await
            .unwrap();
    })
    .await;
    store.seal_pending().await.unwrap();
    id
}

async fn exec(store: &Store, sql: &str) {
    sqlx::query(sql).execute(&store.pool).await.unwrap();
}

#[tokio::test]
async fn each_change_is_recorded_with_who_made_it() {
    for db in databases().await {
        let store = db.open().await;
        with_events(&store).await;
        let mut events = store
            .audit_events(&AuditFilter::default(), 100, 0)
            .await
            .unwrap();
        events.reverse();
        let seen: Vec<(&str, &str, &str)> = events
            .iter()
            .map(|e| (e.action.as_str(), e.actor.as_str(), e.subject.as_str()))
            .collect();
        let os = Actor::os();
        assert_eq!(
            seen,
            [
                ("account.add", os.as_str(), "chiyoda"),
                ("document.import", "user:chiyoda", "policy 令和7年度版"),
                ("clause.edit", "user:chiyoda", "policy 令和7年度版 c1"),
                ("clause.edit", "user:chiyoda", "policy 令和7年度版 c1"),
                ("sign_in.failed", "anonymous", "chiyoda"),
                ("sign_in", "user:chiyoda", "chiyoda"),
            ],
            "{}",
            db.url
        );
        // Before and after are digests of the clause's texts, chained.
        let edits: Vec<_> = events
            .iter()
            .filter(|e| e.action == "clause.edit")
            .collect();
        assert_eq!(
            edits[0].before.as_deref(),
            Some(crate::audit::digest("本文".as_bytes()).as_str())
        );
        assert_eq!(edits[0].after, edits[1].before);
        assert!(events.iter().all(|e| e.seq.is_some() && e.hash.is_some()));
        // Filters: by body, by actor (a bare login), by time.
        let by_body = AuditFilter {
            body: Some("131016".into()),
            ..AuditFilter::default()
        };
        assert_eq!(store.count_audit_events(&by_body).await.unwrap(), 5);
        let by_actor = AuditFilter {
            actor: Some("chiyoda".into()),
            ..AuditFilter::default()
        };
        assert_eq!(store.count_audit_events(&by_actor).await.unwrap(), 4);
        let future = AuditFilter {
            from: Some(kaitei_model::JstTime::from_unix(events[5].at.unix() + 1)),
            ..AuditFilter::default()
        };
        assert_eq!(store.count_audit_events(&future).await.unwrap(), 0);
        let check = store.verify_audit(None).await.unwrap();
        assert_eq!(check.broken, None, "{}", db.url);
        assert_eq!(check.head, store.audit_head().await.unwrap());
        assert_eq!(check.head.count, 6);
        assert_eq!(
            store.verify_audit(Some(&check.head)).await.unwrap().broken,
            None
        );
    }
}

/// Runs `tamper` on a fresh trail of six events and returns where
/// verification (against the head exported before the tampering, when
/// `with_head`) says the chain first breaks.
async fn broken_at(tamper: &[&str], with_head: bool) -> Vec<Option<i64>> {
    let mut out = Vec::new();
    for db in databases().await {
        let store = db.open().await;
        with_events(&store).await;
        let head = store.audit_head().await.unwrap();
        for sql in tamper {
            exec(&store, sql).await;
        }
        let check = store
            .verify_audit(with_head.then_some(&head))
            .await
            .unwrap();
        if let Some(b) = &check.broken {
            assert!(!b.problem.is_empty());
        }
        out.push(check.broken.map(|b| b.position));
    }
    out
}

fn all(v: Vec<Option<i64>>, expected: Option<i64>) {
    assert!(!v.is_empty());
    for got in v {
        assert_eq!(got, expected);
    }
}

#[tokio::test]
async fn an_edited_event_is_caught_where_it_is() {
    all(
        broken_at(
            &["UPDATE audit_events SET actor = 'user:someone' WHERE seq = 3"],
            false,
        )
        .await,
        Some(3),
    );
    all(
        broken_at(
            &["UPDATE audit_events SET at = at - 3600 WHERE seq = 5"],
            false,
        )
        .await,
        Some(5),
    );
}

#[tokio::test]
async fn a_deleted_event_is_caught() {
    all(
        broken_at(&["DELETE FROM audit_events WHERE seq = 2"], false).await,
        Some(2),
    );
}

#[tokio::test]
async fn reordered_events_are_caught() {
    all(
        broken_at(
            &[
                "UPDATE audit_events SET seq = -3 WHERE seq = 3",
                "UPDATE audit_events SET seq = 3 WHERE seq = 4",
                "UPDATE audit_events SET seq = 4 WHERE seq = -3",
            ],
            false,
        )
        .await,
        Some(3),
    );
}

#[tokio::test]
async fn an_inserted_event_is_caught() {
    // Copied from event 2 into position 3, the later ones moved along.
    all(
        broken_at(
            &[
                "UPDATE audit_events SET seq = seq + 100 WHERE seq >= 3",
                "UPDATE audit_events SET seq = seq - 99 WHERE seq >= 103",
                "INSERT INTO audit_events (seq, at, actor, action, body_code, subject, before_digest, after_digest, prev_hash, hash) \
                 SELECT 3, at, actor, action, body_code, subject, before_digest, after_digest, prev_hash, hash FROM audit_events WHERE seq = 2",
                "UPDATE audit_head SET count = count + 1",
            ],
            false,
        )
        .await,
        Some(3),
    );
}

#[tokio::test]
async fn a_cut_off_end_is_caught() {
    let cut = [
        "DELETE FROM audit_events WHERE seq > 4",
        "UPDATE audit_head SET count = 4, hash = (SELECT hash FROM audit_events WHERE seq = 4)",
    ];
    // Cut cleanly, the chain itself looks whole: only the exported head
    // tells — and says where.
    all(broken_at(&cut, false).await, None);
    all(broken_at(&cut, true).await, Some(5));
    // Cut without the kept head: the chain's own head tells.
    all(
        broken_at(&["DELETE FROM audit_events WHERE seq > 4"], false).await,
        Some(5),
    );
}

#[tokio::test]
async fn a_rewritten_and_rehashed_chain_is_caught_by_the_exported_head() {
    for db in databases().await {
        let store = db.open().await;
        with_events(&store).await;
        let exported = store.audit_head().await.unwrap();
        // The attacker rewrites event 2's actor and recomputes every hash
        // after it, and the kept head, as kaitei would have.
        exec(
            &store,
            "UPDATE audit_events SET actor = 'user:someone' WHERE seq = 2",
        )
        .await;
        let events = sqlx::query_as::<_, (i64, i64, String, String, Option<String>, String, Option<String>, Option<String>)>(
            "SELECT seq, at, actor, action, body_code, subject, before_digest, after_digest FROM audit_events ORDER BY seq",
        )
        .fetch_all(&store.pool)
        .await
        .unwrap();
        let mut prev = GENESIS.to_string();
        for (seq, at, actor, action, body, subject, before, after) in events {
            let hash = crate::audit::event_hash(
                &prev,
                seq,
                at,
                &actor,
                &action,
                body.as_deref(),
                &subject,
                before.as_deref(),
                after.as_deref(),
            );
            sqlx::query("UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE seq = $3")
                .bind(&prev)
                .bind(&hash)
                .bind(seq)
                .execute(&store.pool)
                .await
                .unwrap();
            prev = hash;
        }
        sqlx::query("UPDATE audit_head SET hash = $1")
            .bind(&prev)
            .execute(&store.pool)
            .await
            .unwrap();
        let alone = store.verify_audit(None).await.unwrap();
        assert_eq!(alone.broken, None, "a rehashed chain is whole in itself");
        let against = store.verify_audit(Some(&exported)).await.unwrap();
        assert_eq!(against.broken.map(|b| b.position), Some(6), "{}", db.url);
        // A head exported before event 2 does not see it: heads must be
        // exported often.
        let early = Head {
            count: 1,
            hash: sqlx::query_as::<_, (String,)>("SELECT hash FROM audit_events WHERE seq = 1")
                .fetch_one(&store.pool)
                .await
                .unwrap()
                .0,
        };
        assert_eq!(store.verify_audit(Some(&early)).await.unwrap().broken, None);
    }
}

/// Two write transactions both record an event before either commits:
/// on PostgreSQL neither waits for the other (the chain is made after the
/// commits), and both events end up chained.
#[tokio::test]
async fn recording_does_not_make_writers_wait_for_each_other() {
    for db in databases().await {
        let store = db.open().await;
        if store.backend() != Backend::Postgres {
            // SQLite's writers take turns whatever the trail does.
            continue;
        }
        let mut a = store.begin_write().await.unwrap();
        store
            .audit(&mut a, crate::audit::Change::new("test.a", "a"))
            .await
            .unwrap();
        let mut b = store.begin_write().await.unwrap();
        tokio::time::timeout(
            Duration::from_secs(5),
            store.audit(&mut b, crate::audit::Change::new("test.b", "b")),
        )
        .await
        .expect("the second writer does not wait for the first")
        .unwrap();
        store.commit(b).await.unwrap();
        store.commit(a).await.unwrap();
        let check = store.verify_audit(None).await.unwrap();
        assert_eq!(
            (check.head.count, check.pending, check.broken),
            (2, 0, None)
        );
        let order: Vec<String> = store
            .audit_events(&AuditFilter::default(), 10, 0)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(order.len(), 2);
    }
}

/// Events a server committed but never chained (it died in between) are
/// chained when the database is next opened.
#[tokio::test]
async fn events_left_pending_are_chained_on_open() {
    for db in databases().await {
        let store = db.open().await;
        if store.backend() != Backend::Postgres {
            continue;
        }
        let mut tx = store.begin_write().await.unwrap();
        store
            .audit(&mut tx, crate::audit::Change::new("test.pending", "x"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(store.verify_audit(None).await.unwrap().pending, 1);
        store.close().await;
        let store = db.open().await;
        let check = store.verify_audit(None).await.unwrap();
        assert_eq!(
            (check.head.count, check.pending, check.broken),
            (1, 0, None)
        );
    }
}
