//! Migration 0017 (text stored once) on a database made at the schema
//! before it: every row of the old `nodes` table is in the new view, column
//! for column; every document loads as it was stored; search finds what a
//! plain reading of the old rows finds.

use std::borrow::Cow;

use kaitei_format::authoring::parse;
use kaitei_model::{Document, DocumentKind, Node, registry};
use sqlx::migrate::Migrator;
use sqlx::{Connection, Row};

use crate::schema::migrator;
use crate::testing::databases;
use crate::{Backend, Store};

/// A row of `nodes`, every column as text.
type NodeRow = Vec<Option<String>>;

const COLUMNS: &str = "CAST(document_id AS TEXT), CAST(ord AS TEXT), CAST(parent_ord AS TEXT), node_key, \
     CAST(key_pinned AS TEXT), kind, label, label_style, title, body_text, commentary, from_key, status";

async fn node_rows(conn: &mut sqlx::AnyConnection) -> Vec<NodeRow> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM nodes ORDER BY document_id, ord"
    ))
    .fetch_all(conn)
    .await
    .unwrap()
    .iter()
    .map(|r| {
        (0..13)
            .map(|i| r.try_get::<Option<String>, _>(i).unwrap())
            .collect()
    })
    .collect()
}

/// The fixture edition and policies made from it: shared texts, each
/// body's own words, titles and none, commentary.
fn documents() -> Vec<Document> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/guideline/r6-10.md"
    );
    let parsed = parse(&std::fs::read_to_string(path).unwrap());
    assert!(!parsed.has_errors());
    let guideline = parsed.document;
    let mut out = vec![guideline.clone()];
    for (n, body) in registry().all().iter().take(6).enumerate() {
        let mut doc = guideline.clone();
        doc.meta.kind = DocumentKind::Policy;
        doc.meta.body = Some(body.code);
        doc.meta.edition = "令和7年度版".into();
        fn own(nodes: &mut [Node], n: usize, at: &mut usize) {
            for node in nodes {
                *at += 1;
                if (*at + n).is_multiple_of(9) && !node.paragraphs.is_empty() {
                    node.paragraphs[0] = format!("第{n}団体の監査の定め。");
                    node.from = Some(node.key.clone());
                }
                own(&mut node.children, n, at);
            }
        }
        own(&mut doc.children, n, &mut 0);
        out.push(doc);
    }
    out
}

/// Writes `docs` as the schema before 0017 held them.
async fn write_old(conn: &mut sqlx::AnyConnection, docs: &[Document]) {
    for (i, doc) in docs.iter().enumerate() {
        let id = i as i64 + 1;
        if let Some(body) = doc.meta.body.and_then(|b| registry().get(b)) {
            sqlx::query(
                "INSERT INTO bodies (code, kind, name, kana, prefecture_code) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (code) DO NOTHING",
            )
            .bind(body.code.to_string())
            .bind(body.kind.as_str())
            .bind(body.name.clone())
            .bind(body.kana.clone())
            .bind(body.prefecture.to_string())
            .execute(&mut *conn)
            .await
            .unwrap();
        }
        sqlx::query(
            "INSERT INTO documents (id, kind, title, edition, body_code, preamble, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6, '2026-01-01T00:00:00Z')",
        )
        .bind(id)
        .bind(doc.meta.kind.as_str())
        .bind(doc.meta.title.clone())
        .bind(doc.meta.edition.clone())
        .bind(doc.meta.body.map(|b| b.to_string()))
        .bind(doc.preamble.join("\n"))
        .execute(&mut *conn)
        .await
        .unwrap();
        let mut flat = Vec::new();
        fn visit<'a>(
            nodes: &'a [Node],
            parent: Option<i64>,
            out: &mut Vec<(i64, Option<i64>, &'a Node)>,
        ) {
            for n in nodes {
                let ord = out.len() as i64;
                out.push((ord, parent, n));
                visit(&n.children, Some(ord), out);
            }
        }
        visit(&doc.children, None, &mut flat);
        for (ord, parent, n) in flat {
            sqlx::query(
                "INSERT INTO nodes (document_id, ord, parent_ord, node_key, key_pinned, kind, label, label_style, \
                 title, body_text, commentary, from_key, status) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(id)
            .bind(ord)
            .bind(parent)
            .bind(n.key.as_str().to_string())
            .bind(i64::from(n.key_pinned))
            .bind(n.kind.as_str())
            .bind(n.label.as_ref().map(|l| l.written().to_string()))
            .bind(n.label.as_ref().map(|l| l.style().name()))
            .bind(n.title.clone())
            .bind(n.paragraphs.join("\n"))
            .bind(n.commentary.join("\n"))
            .bind(n.from.as_ref().map(|k| k.as_str().to_string()))
            .bind(n.status.map(|s| s.as_str()))
            .execute(&mut *conn)
            .await
            .unwrap();
        }
    }
    if conn.backend_name() != "SQLite" {
        // Ids given above: the identity goes on after them.
        sqlx::query("SELECT setval(pg_get_serial_sequence('documents', 'id'), 100)")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn every_node_row_is_carried_over() {
    let docs = documents();
    for db in databases().await {
        let backend = if db.url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        let url = if backend == Backend::Sqlite {
            format!("{}?mode=rwc", db.url)
        } else {
            db.url.clone()
        };
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        let all = migrator(backend);
        let before = Migrator {
            migrations: Cow::Owned(all.iter().filter(|m| m.version < 17).cloned().collect()),
            ..migrator(backend)
        };
        before.run(&mut conn).await.unwrap();
        write_old(&mut conn, &docs).await;
        let old = node_rows(&mut conn).await;
        conn.close().await.unwrap();
        assert!(old.len() > 3_000, "{} rows", old.len());

        let (store, upgrade) = Store::open_migrating(&db.url).await.unwrap();
        assert!(upgrade.from < 17 && upgrade.to >= 17, "{upgrade:?}");
        let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
        assert_eq!(
            node_rows(&mut conn).await,
            old,
            "{}: the nodes, column for column",
            db.url
        );
        // Stored once: far fewer texts than nodes.
        let (texts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM texts")
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert!(
            (texts as usize) * 3 < old.len(),
            "{texts} texts for {} nodes",
            old.len()
        );
        conn.close().await.unwrap();
        for (i, doc) in docs.iter().enumerate() {
            let loaded = store.load(i as i64 + 1).await.unwrap().unwrap();
            assert_eq!(loaded.children, doc.children, "document {}", i + 1);
        }
        // Search works on what was carried over (indexed on opening), and
        // finds what the old rows hold.
        let holding = old
            .iter()
            .filter(|r| r[8..11].iter().flatten().any(|t| t.contains("監査")))
            .count();
        let all = |_: DocumentKind, _: Option<kaitei_model::BodyCode>, _: bool| true;
        let (hits, more) = store.search_up_to("監査", all, 100_000).await.unwrap();
        assert!(!more);
        assert_eq!(hits.len(), holding);
        // And a document stored after the migration shares its texts.
        let mut later = docs[1].clone();
        later.meta.edition = "令和8年度版".into();
        let id = store.import(&later).await.unwrap();
        assert_eq!(
            store.load(id).await.unwrap().unwrap().children,
            later.children
        );
        let (after,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM texts")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(after, texts, "no text stored twice");
        store.close().await;
    }
}
