//! Databases that kaitei made at schema version 6 (`tests/fixtures/schema-0006/`,
//! made by the binary of that version: its README and `make.sh` say how)
//! are upgraded to today's schema with everything in them intact: SQLite on
//! opening, PostgreSQL only when asked (`Store::open_migrating`), after
//! every other opening has refused it.

use std::collections::BTreeMap;

use kaitei_model::{DecisionKind, Document};
use sha2::{Digest, Sha256};
use sqlx::Connection;

use crate::schema::{SchemaUpgrade, migrator, newest};
use crate::testing::{TestDb, databases, schema_0006_fixtures};
use crate::{Backend, Role, Store, StoreError};

/// The schema this binary expects on `backend`: read from its migrations,
/// since more are added over time.
fn newest_version(backend: Backend) -> i64 {
    newest(&migrator(backend))
}

fn backend_of(db: &TestDb) -> Backend {
    if db.url.starts_with("sqlite:") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    }
}

/// The version recorded in the database, read without opening a store
/// (which would upgrade SQLite).
async fn recorded_version(url: &str) -> i64 {
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    let (v,): (Option<i64>,) =
        sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    conn.close().await.unwrap();
    v.unwrap_or(0)
}

/// A document as `digest.py` digests the old binary's JSON export of it:
/// its node count and the SHA-256 of its front matter, preamble and nodes.
fn digest(doc: &Document) -> (usize, String) {
    let mut sha = Sha256::new();
    let mut record = |fields: &[&str]| {
        sha.update(fields.join("\u{1f}").as_bytes());
        sha.update("\u{1e}".as_bytes());
    };
    let meta = &doc.meta;
    let published = meta.published.map(|d| d.to_string()).unwrap_or_default();
    record(&[
        &meta.title,
        &published,
        meta.derived_from.as_deref().unwrap_or(""),
    ]);
    for o in &meta.omitted {
        record(&[o.from.as_str(), &o.reason]);
    }
    let preamble: Vec<&str> = doc.preamble.iter().map(String::as_str).collect();
    record(&preamble);
    let mut count = 0;
    for node in doc.nodes() {
        record(&[
            node.key.as_str(),
            node.kind.as_str(),
            node.label.as_ref().map_or("", |l| l.written()),
            node.title.as_deref().unwrap_or(""),
            &node.text(),
            &node.commentary_text(),
            node.from.as_ref().map_or("", |k| k.as_str()),
            node.status.map_or("", |s| s.as_str()),
        ]);
        count += 1;
    }
    let hex = sha
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    (count, hex)
}

/// `expected.tsv`: (kind, edition, body) → (node count, digest), as the
/// old binary exported them.
fn expected_documents() -> BTreeMap<(String, String, String), (usize, String)> {
    let path = schema_0006_fixtures().join("expected.tsv");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 5, "{}: {l:?}", path.display());
            (
                (f[0].to_string(), f[1].to_string(), f[2].to_string()),
                (f[3].parse().unwrap(), f[4].to_string()),
            )
        })
        .collect()
}

/// Everything `make.sh` put in the database, read through today's store.
async fn assert_intact(store: &Store, url: &str) {
    // Every document, node by node.
    let expected = expected_documents();
    assert_eq!(expected.len(), 3, "expected.tsv lists the three documents");
    let listed = store.list().await.unwrap();
    let mut found = BTreeMap::new();
    for summary in &listed {
        let doc = store.load(summary.id).await.unwrap().unwrap();
        let id = (
            summary.kind.as_str().to_string(),
            summary.edition.clone(),
            summary.body.map(|b| b.to_string()).unwrap_or_default(),
        );
        let (nodes, sha) = digest(&doc);
        assert_eq!(summary.node_count, nodes as i64, "{url}: {id:?}");
        found.insert(id, (nodes, sha));
    }
    assert_eq!(
        found, expected,
        "{url}: the documents as the old kaitei exported them"
    );

    let policy = listed
        .iter()
        .find(|d| d.body.is_some_and(|b| b.to_string() == "030007"))
        .expect("the prefecture's policy")
        .id;
    let doc = store.load(policy).await.unwrap().unwrap();
    let text = |key: &str| {
        doc.find(&kaitei_model::Key::new(key).unwrap())
            .unwrap()
            .text()
    };
    assert_eq!(
        text("p-b2-3"),
        "情報セキュリティ　情報資産の機密性、完全性及び可用性を確保し、維持することをいう。"
    );
    assert_eq!(
        text("p-b3-3"),
        "地震、落雷、火災、風水害等の災害によるサービス及び業務の停止等\n感染症の流行による業務の停止等"
    );

    // The clause edits' history: every text replaced, newest first.
    let history = |key: &'static str| async move {
        store
            .clause_history(policy, key)
            .await
            .unwrap()
            .into_iter()
            .map(|v| (v.version, v.text, v.edited_by))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        history("p-b2-3").await,
        [
            (
                2,
                "情報セキュリティ　情報資産の機密性、完全性及び可用性を維持し、向上させることをいう。".to_string(),
                "iwate-ken".to_string()
            ),
            (
                1,
                "情報セキュリティ　情報資産の機密性、完全性及び可用性を維持することをいう。".to_string(),
                "iwate-ken".to_string()
            ),
        ]
    );
    assert_eq!(
        history("p-b3-3").await,
        [(
            1,
            "地震、落雷、火災等の災害によるサービス及び業務の停止等".to_string(),
            "iwate-ken".to_string()
        )]
    );

    // Made public (the column migration 0007 renamed).
    assert!(store.policy_is_public(policy).await.unwrap(), "{url}");

    // The merge review's decisions.
    let decisions: Vec<_> = store
        .decisions(policy, "令和7年3月版")
        .await
        .unwrap()
        .into_iter()
        .map(|d| {
            (
                d.key,
                d.decision.kind(),
                d.decision.paragraphs().to_vec(),
                d.decided_by,
            )
        })
        .collect();
    assert_eq!(decisions, expected_decisions(), "{url}");

    // The search index (the clustered table of migration 0006) still
    // finds text an edit added.
    let hits = store.search("感染症の流行", |_, _, _| true).await.unwrap();
    assert!(
        hits.iter()
            .any(|h| h.document_id == policy && h.key == "p-b3-3"),
        "{url}: {hits:?}"
    );

    // Accounts: who, with which role and body, and their passwords.
    let users: Vec<_> = store
        .users()
        .await
        .unwrap()
        .into_iter()
        .map(|u| {
            (
                u.login,
                u.role,
                u.body.map(|b| b.to_string()),
                u.disabled,
                u.can_submit,
            )
        })
        .collect();
    let user = |login: &str, role, body: Option<&str>, disabled| {
        (
            login.to_string(),
            role,
            body.map(str::to_string),
            disabled,
            false,
        )
    };
    let mut expected_users = vec![
        user("soumu-admin", Role::Admin, None, false),
        user("iinkai", Role::Committee, None, false),
        user("iwate-ken", Role::Prefecture, Some("030007"), false),
        user("morioka", Role::Body, Some("032018"), false),
        user("vendor1", Role::Vendor, None, false),
        user("gone", Role::Body, Some("030007"), true),
    ];
    let mut users = users;
    users.sort_by(|a, b| a.0.cmp(&b.0));
    expected_users.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(users, expected_users, "{url}");

    // The failed sign-in made before the upgrade, an ended check now
    // (migration 0008's `attempt`); read before signing in below, which
    // clears failures older than the throttling window.
    let (old_failures,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM login_failures WHERE login = 'soumu-admin' AND attempt = ''",
    )
    .fetch_one(&store.pool)
    .await
    .unwrap();
    assert_eq!(old_failures, 1, "{url}");

    for (login, password) in [
        ("soumu-admin", "admin password 0006"),
        ("iwate-ken", "prefecture password 0006"),
        ("morioka", "body password 0006"),
        ("vendor1", "vendor password 0006"),
        // Changed with `kaitei user passwd`.
        ("iinkai", "committee password changed"),
    ] {
        let signed_in = store.check_login(login, password).await.unwrap();
        assert_eq!(
            signed_in.map(|u| u.login).ok(),
            Some(login.to_string()),
            "{url}: {login} signs in"
        );
    }
    for (login, password) in [
        ("iinkai", "committee password 0006"),
        ("gone", "disabled password 0006"),
        ("iwate-ken", "wrong"),
    ] {
        assert!(
            store.check_login(login, password).await.unwrap().is_err(),
            "{url}: {login} is refused"
        );
    }
}

/// The review decisions `make.sh` took: (key, decision, the body's text for
/// an edit, by whom).
fn expected_decisions() -> Vec<(String, DecisionKind, Vec<String>, String)> {
    let decided = |key: &str, kind, paragraphs: &[&str]| {
        (
            key.to_string(),
            kind,
            paragraphs.iter().map(|p| p.to_string()).collect(),
            "iwate-ken".to_string(),
        )
    };
    // In the order of their keys, as `decisions` gives them.
    vec![
        decided(
            "p-b1",
            DecisionKind::Edit,
            &[
                "本基本方針は、岩手県の情報資産を脅威から守るため、岩手県が講ずる情報セキュリティ対策の基本的な事項を定めることを目的とする。",
                "（令和7年度に見直し）",
            ],
        ),
        decided("p-b2-12", DecisionKind::KeepOurs, &[]),
        decided("p-b2-8", DecisionKind::Accept, &[]),
    ]
}

#[tokio::test]
async fn a_schema_0006_database_is_upgraded_with_everything_in_it() {
    for db in databases().await {
        db.restore_schema_0006().await;
        let backend = backend_of(&db);
        let newest = newest_version(backend);
        assert!(newest > 6, "the fixture is older than today's schema");
        assert_eq!(recorded_version(&db.url).await, 6, "{}", db.url);
        let store = match backend {
            // The embedded default: upgraded by whichever command opens it.
            Backend::Sqlite => Store::open(&db.url).await.unwrap(),
            // Shared by servers: refused until the operator upgrades it.
            Backend::Postgres => {
                let refused = Store::open(&db.url).await.unwrap_err();
                assert!(
                    matches!(refused, StoreError::OlderSchema { found: 6, known } if known == newest),
                    "{refused:?}"
                );
                let message = refused.to_string();
                assert!(
                    message.contains("version 6") && message.contains("kaitei migrate"),
                    "{message}"
                );
                assert_eq!(
                    recorded_version(&db.url).await,
                    6,
                    "refused: nothing applied"
                );
                let (store, upgrade) = Store::open_migrating(&db.url).await.unwrap();
                assert_eq!(
                    upgrade,
                    SchemaUpgrade {
                        from: 6,
                        to: newest
                    }
                );
                store
            }
        };
        assert_eq!(store.schema_version().await.unwrap(), newest, "{}", db.url);
        assert_intact(&store, &db.url).await;
        store.close().await;

        // Upgraded: every opening takes it as it is now.
        let store = Store::open(&db.url).await.unwrap();
        assert_eq!(store.schema_version().await.unwrap(), newest);
        store.close().await;
        let (store, upgrade) = Store::open_migrating(&db.url).await.unwrap();
        assert_eq!(
            upgrade,
            SchemaUpgrade {
                from: newest,
                to: newest
            }
        );
        store.close().await;
    }
}

#[tokio::test]
async fn a_new_database_is_set_up_by_any_opening() {
    for db in databases().await {
        let backend = backend_of(&db);
        let store = Store::open(&db.url).await.unwrap();
        assert_eq!(
            store.schema_version().await.unwrap(),
            newest_version(backend),
            "{}",
            db.url
        );
        store.close().await;
    }
    for db in databases().await {
        let (store, upgrade) = Store::open_migrating(&db.url).await.unwrap();
        let newest = newest_version(backend_of(&db));
        assert_eq!(
            upgrade,
            SchemaUpgrade {
                from: 0,
                to: newest
            },
            "{}",
            db.url
        );
        store.close().await;
    }
}

/// Servers starting together on a new PostgreSQL database: one sets it up
/// while the others wait for sqlx's lock, and they find it current — none
/// takes the half-made schema for one that is behind.
#[tokio::test]
async fn servers_starting_together_on_a_new_database_all_open_it() {
    for db in databases().await {
        if backend_of(&db) != Backend::Postgres {
            continue;
        }
        let opened = futures_util::future::join_all((0..4).map(|_| Store::open(&db.url))).await;
        for store in opened {
            let store = store.unwrap();
            assert_eq!(
                store.schema_version().await.unwrap(),
                newest_version(Backend::Postgres)
            );
            store.close().await;
        }
    }
}
