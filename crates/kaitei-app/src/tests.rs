//! The use cases on every backend under test.

use kaitei_format::authoring::parse;
use kaitei_model::{BodyCode, Decision, EditionName};
use kaitei_store::testing::databases;

use crate::{App, Error};

const R6: &str = include_str!("../../../fixtures/guideline/r6-10.md");
const R7: &str = include_str!("../../../fixtures/guideline/r7-03.md");
const TOWN: &str = include_str!("../../../fixtures/policies/town.md");

fn doc(text: &str) -> kaitei_model::Document {
    let parsed = parse(text);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.document
}

fn name(s: &str) -> EditionName {
    EditionName::parse(s).unwrap()
}

/// A small policy of body 033219 in version `version`, dated `date`.
fn policy(version: &str, date: &str) -> kaitei_model::Document {
    doc(&format!(
        "---\nkind: policy\ntitle: 紫波町情報セキュリティポリシー\nedition: {version}\npublished: {date}\nbody: \"033219\"\nderived_from: 令和6年10月版\n---\n\n# 1. 目的 {{#c1}}\n\n(1) 本文。 {{#c1-1}}\n"
    ))
}

#[tokio::test]
async fn the_current_policy_is_the_latest_by_date_then_import_and_others_see_the_latest_public() {
    for db in databases().await {
        let app = App::new(db.open().await);
        let shiwa = BodyCode::parse("033219").unwrap();
        assert_eq!(app.current_policy(shiwa, true).await.unwrap(), None);
        // Imported out of date order: the later date is current, not the
        // later import.
        let newer = app
            .import(policy("令和7年度版", "2025-04-01"))
            .await
            .unwrap()
            .id;
        let older = app
            .import(policy("令和6年度版", "2024-04-01"))
            .await
            .unwrap()
            .id;
        let own = app.current_policy(shiwa, true).await.unwrap().unwrap();
        assert_eq!((own.id, own.public), (newer, false));
        // Nothing public yet: others see nothing.
        assert_eq!(app.current_policy(shiwa, false).await.unwrap(), None);
        app.store().set_policy_public(older, true).await.unwrap();
        let others = app.current_policy(shiwa, false).await.unwrap().unwrap();
        assert_eq!((others.id, others.public), (older, true));
        // The same date: import order decides.
        let same_day = app
            .import(policy("令和7年度改定版", "2025-04-01"))
            .await
            .unwrap()
            .id;
        assert_eq!(
            app.current_policy(shiwa, true).await.unwrap().unwrap().id,
            same_day
        );
        // The national list follows the same rule.
        let list = app
            .store()
            .current_policies(kaitei_store::PolicyScope::Latest)
            .await
            .unwrap();
        assert_eq!(list.iter().map(|p| p.id).collect::<Vec<_>>(), [same_day]);
        let public = app
            .store()
            .current_policies(kaitei_store::PolicyScope::LatestPublic)
            .await
            .unwrap();
        assert_eq!(public.iter().map(|p| p.id).collect::<Vec<_>>(), [older]);
    }
}

#[tokio::test]
async fn importing_an_edition_carries_keys_and_the_latest_is_by_date() {
    for db in databases().await {
        let app = App::new(db.open().await);
        let first = app.import(doc(R6)).await.unwrap();
        assert_eq!(first.carried, None);
        let second = app.import(doc(R7)).await.unwrap();
        let (n, from) = second.carried.clone().unwrap();
        assert!(n > 400, "{n} keys carried");
        assert_eq!(from, "令和6年10月版");
        let latest = app.latest_edition().await.unwrap().unwrap();
        assert_eq!(latest.edition, "令和7年3月版");
        // Changes are compared once and kept.
        let a = app
            .edition_changes(&name("令和6年10月版"), &name("令和7年3月版"))
            .await
            .unwrap();
        let b = app
            .edition_changes(&name("令和6年10月版"), &name("令和7年3月版"))
            .await
            .unwrap();
        assert!(std::sync::Arc::ptr_eq(&a, &b));
        assert!(matches!(
            app.edition(&name("令和9年版")).await,
            Err(Error::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn a_merge_review_is_decided_typed_refused_while_undecided_then_adopted() {
    use crate::{Revision, RevisionProblem, TableFormat};
    for db in databases().await {
        let app = App::new(db.open().await);
        app.import(doc(R6)).await.unwrap();
        app.import(doc(R7)).await.unwrap();
        let id = app.import(doc(TOWN)).await.unwrap().id;
        let mut review = app.merge_review(id).await.unwrap().expect("a review");
        assert_eq!(review.latest, "令和7年3月版");
        let conflicts: Vec<String> = review
            .changes()
            .iter()
            .filter(|c| c.kind == kaitei_compare::policy::ChangeKind::Conflict)
            .map(|c| c.key.to_string())
            .collect();
        assert!(!conflicts.is_empty());
        let next = Revision::parse("令和8年4月1日施行", "令和8年4月1日").unwrap();
        assert!(
            matches!(app.adopt(&review, "shiwa", &next).await, Err(Error::Undecided(u)) if u.len() == conflicts.len())
        );
        assert!(matches!(
            app.decide(&mut review, "no-such-key", Decision::Accept, "shiwa")
                .await,
            Err(Error::NotFound(_))
        ));
        // Accepting the rest decides every change but the conflicts.
        let before = review.progress();
        assert_eq!(before.decided, 0);
        assert_eq!(before.conflicts, conflicts.len());
        let accepted = app.accept_rest(&mut review, "shiwa").await.unwrap();
        assert_eq!(accepted, before.total - conflicts.len());
        assert_eq!(review.progress().undecided(), conflicts.len());
        assert_eq!(app.accept_rest(&mut review, "shiwa").await.unwrap(), 0);
        for key in &conflicts {
            app.decide(&mut review, key, Decision::KeepOurs, "shiwa")
                .await
                .unwrap();
        }
        // Read again: the proposal is the one kept, the decisions stored and typed.
        let again = app.merge_review(id).await.unwrap().unwrap();
        assert_eq!(again.undecided_conflicts(), 0);
        assert_eq!(again.progress().decided, again.progress().total);
        assert_eq!(
            again.entry(&conflicts[0]).unwrap().decision,
            Some(Decision::KeepOurs)
        );
        // The table the body's approval needs, before adopting.
        let draft = app.review_table(&again, TableFormat::Html).await.unwrap();
        let draft = String::from_utf8(draft).unwrap();
        assert!(draft.contains("改定案"), "{draft}");
        // A name or date that will not do is refused, typed.
        let old_date = Revision::parse("令和6年度版", "2024-04-01").unwrap();
        assert!(matches!(
            app.adopt(&again, "shiwa", &old_date).await,
            Err(Error::Revision(RevisionProblem::DateBefore(_)))
        ));
        let same = Revision::parse("令和7年4月1日施行", "2026-04-01").unwrap();
        assert!(matches!(
            app.adopt(&again, "shiwa", &same).await,
            Err(Error::Revision(RevisionProblem::NameTaken(_)))
        ));
        let revised = app.adopt(&again, "shiwa", &next).await.unwrap();
        assert_ne!(revised, id);
        let shiwa = BodyCode::parse("033219").unwrap();
        assert_eq!(
            app.current_policy(shiwa, true).await.unwrap().map(|p| p.id),
            Some(revised)
        );
        let stored = app.store().load(revised).await.unwrap().unwrap();
        assert_eq!(stored.meta.edition, "令和8年4月1日施行");
        assert_eq!(stored.meta.published, kaitei_model::Date::new(2026, 4, 1));
        assert_eq!(stored.meta.derived_from.as_deref(), Some("令和7年3月版"));
        // Now the policy follows the latest edition: nothing to review;
        // its 新旧対照表 is the previous revision's against it.
        assert!(app.merge_review(revised).await.unwrap().is_none());
        let previous = app.previous_revision(revised).await.unwrap().unwrap();
        assert_eq!(
            (previous.id, previous.version.as_str()),
            (id, "令和7年4月1日施行")
        );
        let table = app
            .revision_table(revised, TableFormat::Html)
            .await
            .unwrap()
            .expect("a table");
        let table = String::from_utf8(table).unwrap();
        assert!(table.contains("令和8年4月1日施行"), "{table}");
        assert!(
            app.revision_table(id, TableFormat::Text)
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[test]
fn a_revision_is_named_and_dated_as_typed() {
    use crate::{Revision, RevisionProblem};
    let r = Revision::parse(" 令和8年4月1日施行 ", "令和8年4月1日").unwrap();
    assert_eq!(r.version, "令和8年4月1日施行");
    assert_eq!(r.published, kaitei_model::Date::new(2026, 4, 1).unwrap());
    assert_eq!(
        Revision::parse("令和8年度版", "2026-04-01")
            .unwrap()
            .published,
        kaitei_model::Date::new(2026, 4, 1).unwrap()
    );
    assert_eq!(
        Revision::parse(" ", "2026-04-01"),
        Err(RevisionProblem::NoName)
    );
    assert_eq!(
        Revision::parse("令和8年度版", "来年"),
        Err(RevisionProblem::BadDate)
    );
    assert_eq!(
        Revision::parse("令和8年度版", ""),
        Err(RevisionProblem::BadDate)
    );
    assert_eq!(
        Revision::parse("改定\n版", "2026-04-01"),
        Err(RevisionProblem::ControlInName)
    );
    assert_eq!(
        Revision::parse(&"版".repeat(101), "2026-04-01"),
        Err(RevisionProblem::LongName)
    );
    assert!(Revision::parse(&"版".repeat(100), "2026-04-01").is_ok());
}
