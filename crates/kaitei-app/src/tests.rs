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
        assert!(
            matches!(app.adopt(&review, "shiwa").await, Err(Error::Undecided(u)) if u.len() == conflicts.len())
        );
        assert!(matches!(
            app.decide(&mut review, "no-such-key", Decision::Accept, "shiwa")
                .await,
            Err(Error::NotFound(_))
        ));
        for key in &conflicts {
            app.decide(&mut review, key, Decision::KeepOurs, "shiwa")
                .await
                .unwrap();
        }
        // Read again: the proposal is the one kept, the decisions stored and typed.
        let again = app.merge_review(id).await.unwrap().unwrap();
        assert_eq!(again.undecided_conflicts(), 0);
        assert_eq!(
            again.entry(&conflicts[0]).unwrap().decision,
            Some(Decision::KeepOurs)
        );
        app.adopt(&again, "shiwa").await.unwrap();
        // Now the policy follows the latest edition: nothing to review.
        assert!(app.merge_review(id).await.unwrap().is_none());
    }
}
