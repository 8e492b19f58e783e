//! The records of topics ② and ③ on every backend under test: the
//! register imported all or nothing and updated by 管理番号, attachments
//! stored once by SHA-256, the rule table, the organs' lists — each write
//! in the audit trail.

use kaitei_model::{BodyCode, Date};
use kaitei_records::organs::{Organ, OrganStatus};
use kaitei_records::register::{
    Certificate, Classification, Evidence, Handling, Item, Media, Method, Ownership, Performer,
};
use kaitei_records::rules::RuleTable;

use crate::testing::databases;
use crate::{AttachmentKind, AuditFilter, Imported, StoreError};

fn town() -> BodyCode {
    BodyCode::parse("033219").unwrap()
}

fn item(number: &str) -> Item {
    Item {
        number: number.into(),
        equipment: "PC".into(),
        media: Some(Media::Ssd),
        ownership: Some(Ownership::Leased),
        classification: Some(Classification::ThreeB),
        handling: Some(Handling::Returned),
        handled_on: Date::new(2026, 3, 31),
        method: Some(Method::CryptoErase),
        self_encrypting: Some(true),
        performer: Some(Performer::Contractor),
        contractor: "株式会社消去".into(),
        witness: String::new(),
        evidence: Some(Evidence::Photo),
        certificate: Some(Certificate::Nothing),
    }
}

pub(crate) async fn actions(store: &crate::Store) -> Vec<String> {
    store
        .audit_events(&AuditFilter::default(), 100, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn a_register_is_imported_updated_by_number_and_attached_to() {
    for db in databases().await {
        let store = db.open().await;
        let kept = Item {
            handling: Some(Handling::Kept),
            method: None,
            performer: None,
            certificate: None,
            evidence: None,
            self_encrypting: None,
            handled_on: None,
            ..item("PC-002")
        };
        let first = vec![item("PC-001"), kept.clone()];
        let done = store
            .import_disposal(town(), &first, "shiwa")
            .await
            .unwrap();
        assert_eq!(
            done,
            Imported {
                added: 2,
                updated: 0,
                unchanged: 0
            }
        );
        assert_eq!(
            store.disposal_items(town()).await.unwrap(),
            first,
            "{}",
            db.url
        );
        // Again, one changed and one new: updated by 管理番号, order kept.
        let mut changed = item("PC-001");
        changed.witness = "総務課 紫波花子".into();
        let done = store
            .import_disposal(town(), &[item("PC-003"), changed.clone()], "shiwa")
            .await
            .unwrap();
        assert_eq!(
            done,
            Imported {
                added: 1,
                updated: 1,
                unchanged: 0
            }
        );
        let numbers: Vec<String> = store
            .disposal_items(town())
            .await
            .unwrap()
            .into_iter()
            .map(|i| i.number)
            .collect();
        assert_eq!(numbers, ["PC-001", "PC-002", "PC-003"]);
        // Another body's register is its own.
        let other = BodyCode::parse("131016").unwrap();
        assert!(store.disposal_items(other).await.unwrap().is_empty());
        // An item without a number: nothing written.
        let e = store
            .import_disposal(town(), &[item("PC-009"), item(" ")], "shiwa")
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Invalid(_)), "{e}");
        assert_eq!(store.disposal_items(town()).await.unwrap().len(), 3);

        // A certificate attached names itself in the item; the same bytes
        // on another item are stored once.
        let pdf = b"%PDF-1.4 certificate".as_slice();
        let id = store
            .attach(
                town(),
                "PC-001",
                AttachmentKind::Certificate,
                "消去証明書_PC-001.pdf",
                pdf,
                "shiwa",
            )
            .await
            .unwrap();
        store
            .attach(
                town(),
                "PC-003",
                AttachmentKind::Photo,
                "写真.pdf",
                pdf,
                "shiwa",
            )
            .await
            .unwrap();
        let items = store.disposal_items(town()).await.unwrap();
        assert_eq!(
            items[0].certificate,
            Some(Certificate::File("消去証明書_PC-001.pdf".into()))
        );
        assert_eq!(
            items[2].certificate,
            Some(Certificate::Nothing),
            "a photo is no certificate"
        );
        let (a, bytes) = store.attachment(town(), id).await.unwrap().unwrap();
        assert_eq!(bytes, pdf);
        assert_eq!(a.sha256, crate::audit::digest(pdf));
        assert!(
            store.attachment(other, id).await.unwrap().is_none(),
            "another body's"
        );
        let (contents,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attachment_contents")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(contents, 1);
        assert!(
            store
                .attach(
                    town(),
                    "NO-SUCH",
                    AttachmentKind::Photo,
                    "a.jpg",
                    pdf,
                    "shiwa"
                )
                .await
                .is_err()
        );

        // An item edited.
        let mut fixed = items[1].clone();
        fixed.equipment = "ノートPC".into();
        store
            .save_disposal_item(town(), &fixed, "shiwa")
            .await
            .unwrap();
        assert_eq!(store.disposal_items(town()).await.unwrap()[1], fixed);

        let got = actions(&store).await;
        for action in ["disposal.import", "disposal.attach", "disposal.item"] {
            assert!(got.iter().any(|a| a == action), "{action} in {got:?}");
        }
        assert!(store.verify_audit(None).await.unwrap().broken.is_none());
    }
}

#[tokio::test]
async fn the_rule_table_is_the_built_in_one_until_the_ministry_edits_it() {
    for db in databases().await {
        let store = db.open().await;
        assert_eq!(store.disposal_rules().await.unwrap(), RuleTable::default());
        let stricter = RuleTable::default().with(Classification::Two, Method::Degaussing);
        store.set_disposal_rules(&stricter, "admin").await.unwrap();
        assert_eq!(store.disposal_rules().await.unwrap(), stricter);
        assert!(
            actions(&store)
                .await
                .contains(&"disposal.rules".to_string())
        );
    }
}

#[tokio::test]
async fn organs_are_saved_as_a_whole_list() {
    for db in databases().await {
        let store = db.open().await;
        assert_eq!(store.organs(town()).await.unwrap(), None);
        let list = vec![
            Organ {
                name: "首長".into(),
                status: OrganStatus::Own,
                since: Date::new(2026, 3, 25),
                url: "https://www.town.shiwa.iwate.jp/cyber".into(),
            },
            Organ {
                status: OrganStatus::Designated,
                since: Date::new(2026, 4, 1),
                ..Organ::unset("教育委員会")
            },
            Organ::unset("農業委員会"),
        ];
        store.save_organs(town(), &list, "shiwa").await.unwrap();
        assert_eq!(store.organs(town()).await.unwrap(), Some(list.clone()));
        let shorter = &list[..2];
        store.save_organs(town(), shorter, "shiwa").await.unwrap();
        assert_eq!(store.organs(town()).await.unwrap().unwrap(), shorter);
        let twice = vec![Organ::unset("議会"), Organ::unset("議会")];
        assert!(store.save_organs(town(), &twice, "shiwa").await.is_err());
        let all = store.all_organs().await.unwrap();
        assert_eq!(all.len(), 1);
        assert!(actions(&store).await.contains(&"organs.save".to_string()));
    }
}
