//! Backups restored, on each backend the way `docs/operations.md` says —
//! SQLite: `kaitei backup`'s copy (`VACUUM INTO`) used as the database;
//! PostgreSQL: `pg_dump --format=custom` restored by `pg_restore
//! --no-owner` into an empty database — hold every document, account,
//! history row and audit event, and the audit chain still holds the head
//! exported before the backup.

use std::process::Command;

use kaitei_format::authoring::parse;
use kaitei_model::{BodyCode, Document};

use crate::audit::{Actor, acting};
use crate::testing::databases;
use crate::{AuditFilter, Role, Store};

fn document(src: &str) -> Document {
    let parsed = parse(src);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.document
}

/// Everything a store holds that a restore must bring back, read through
/// the store.
async fn contents(store: &Store) -> String {
    let mut out = String::new();
    for d in store.list().await.unwrap() {
        let doc = store.load(d.id).await.unwrap().unwrap();
        out += &format!("{doc:?}\n");
        for n in doc.nodes() {
            let h = store.clause_history(d.id, n.key.as_str()).await.unwrap();
            out += &format!("{} {h:?}\n", n.key.as_str());
        }
    }
    for u in store.users().await.unwrap() {
        out += &format!("{u:?}\n");
    }
    let events = store
        .audit_events(&AuditFilter::default(), 10_000, 0)
        .await
        .unwrap();
    out += &format!("{events:?}\n");
    out
}

fn run(cmd: &mut Command) {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e} (PostgreSQL's client tools are needed)"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn a_restored_backup_holds_everything_and_its_audit_chain() {
    for db in databases().await {
        let store = db.open().await;
        let guideline = document(
            "---\nkind: guideline\ntitle: ガイドライン\nedition: 令和7年3月版\n---\n# 1. 組織体制 {#g-1}\n{{CISO職名}}をCISOとする。\n",
        );
        store.import(&guideline).await.unwrap();
        let id = store
            .import(&document(
                "---\nkind: policy\ntitle: 紫波町情報セキュリティポリシー\nedition: 令和7年度版\nbody: \"033219\"\nderived_from: 令和7年3月版\n---\n# 1. 組織体制 {#c1 from=g-1 status=adopted}\n副町長をCISOとする。\n",
            ))
            .await
            .unwrap();
        store
            .add_user(
                "shiwa",
                "shiwa-password-12",
                Role::Body,
                BodyCode::parse("033219").ok(),
            )
            .await
            .unwrap();
        acting(Actor::user("shiwa"), async {
            for (v, t) in ["一。", "二。"].iter().enumerate() {
                store
                    .edit_clause_checked(id, "c1", &[t.to_string()], "shiwa", v as i64)
                    .await
                    .unwrap();
            }
        })
        .await;
        let head = store.audit_head().await.unwrap();
        assert_eq!(head.count, 5);
        let before = contents(&store).await;

        let dir = tempfile::tempdir().unwrap();
        let (restored, _keep) = if let Some(empty) = db.sibling().await {
            let dump = dir.path().join("kaitei.dump");
            run(Command::new("pg_dump")
                .arg("--format=custom")
                .arg(format!("--file={}", dump.display()))
                .arg(&db.url));
            run(Command::new("pg_restore")
                .arg("--no-owner")
                .arg(format!("--dbname={}", empty.url))
                .arg(&dump));
            (Store::open(&empty.url).await.unwrap(), Some(empty))
        } else {
            let copy = dir.path().join("copy.db");
            store.backup_into(&copy).await.unwrap();
            assert!(crate::integrity_problems(&copy).await.unwrap().is_empty());
            let url = format!("sqlite://{}", copy.display());
            (Store::open(&url).await.unwrap(), None)
        };
        assert_eq!(contents(&restored).await, before, "{}", db.url);
        let check = restored.verify_audit(Some(&head)).await.unwrap();
        assert_eq!((check.broken, check.head), (None, head), "{}", db.url);
        // And it goes on: a change after the restore extends the chain.
        restored.set_policy_public(id, true).await.unwrap();
        assert_eq!(restored.verify_audit(None).await.unwrap().head.count, 6);
        restored.close().await;
    }
}
