//! Topic ① and the self-assessment on every backend under test: uses and
//! ratings saved whole or refused whole, the ministry's catalogue and
//! matrix, questions, answers and evidence — each write in the audit trail.

use kaitei_model::cycle::FiscalYear;
use kaitei_model::{BodyCode, Key};
use kaitei_records::assessment::Answer;
use kaitei_records::linkage::{Catalogue, RiskMatrix, Route, Segment};
use kaitei_records::linkage_ratings::{Rating, ScenarioRating, Use};

use crate::records_tests::actions;
use crate::testing::databases;
use crate::{StoreError, StoredAnswer};

fn town() -> BodyCode {
    BodyCode::parse("033219").unwrap()
}

fn uses() -> Vec<Use> {
    vec![
        Use {
            pattern: "screen-transfer".into(),
            route: Route::new(Segment::Internet, Segment::Lgwan).unwrap(),
            ratings: vec![
                ScenarioRating {
                    scenario: "leakage".into(),
                    before: Rating::new(3, 4),
                    after: Rating::new(2, 4),
                },
                ScenarioRating {
                    scenario: "malware".into(),
                    before: Rating::new(4, 4),
                    after: None,
                },
            ],
        },
        Use {
            pattern: "removable-media".into(),
            route: Route::new(Segment::Lgwan, Segment::MyNumber).unwrap(),
            ratings: Vec::new(),
        },
    ]
}

#[tokio::test]
async fn uses_are_saved_whole_or_refused_whole() {
    for db in databases().await {
        let store = db.open().await;
        assert!(store.linkage_uses(town()).await.unwrap().is_empty());
        store.save_linkage(town(), &uses(), "shiwa").await.unwrap();
        assert_eq!(
            store.linkage_uses(town()).await.unwrap(),
            uses(),
            "{}",
            db.url
        );
        let all = store.all_linkage_uses().await.unwrap();
        assert_eq!(all, vec![(town(), uses())]);
        // A scenario the pattern does not have: nothing written.
        let mut bad = uses();
        bad[1].ratings.push(ScenarioRating {
            scenario: "no-such".into(),
            before: Rating::new(1, 1),
            after: None,
        });
        let err = store.save_linkage(town(), &bad, "shiwa").await.unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid(ref e) if e.contains("no-such")),
            "{err}"
        );
        assert_eq!(store.linkage_uses(town()).await.unwrap(), uses());
        store
            .save_linkage(town(), &uses()[1..], "shiwa")
            .await
            .unwrap();
        assert_eq!(store.linkage_uses(town()).await.unwrap(), uses()[1..]);
        assert_eq!(actions(&store).await, ["linkage.save", "linkage.save"]);
    }
}

#[tokio::test]
async fn the_ministry_edits_its_catalogue_and_matrix() {
    for db in databases().await {
        let store = db.open().await;
        assert_eq!(
            store.linkage_catalogue().await.unwrap(),
            Catalogue::default()
        );
        assert_eq!(store.risk_matrix().await.unwrap(), RiskMatrix::default());
        let mut c = Catalogue::default();
        c.patterns.truncate(2);
        c.patterns[0].name = "連携サーバ".into();
        store.set_linkage_catalogue(&c, "admin").await.unwrap();
        assert_eq!(store.linkage_catalogue().await.unwrap(), c);
        let m = RiskMatrix::read("水準: 小 大\n5: 小 大 大 大 大\n4: 小 小 大 大 大\n3: 小 小 小 大 大\n2: 小 小 小 小 大\n1: 小 小 小 小 小\n").unwrap();
        store.set_risk_matrix(&m, "admin").await.unwrap();
        assert_eq!(store.risk_matrix().await.unwrap(), m);
        // A use of a pattern the catalogue no longer has is refused.
        let err = store
            .save_linkage(town(), &uses(), "shiwa")
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)));
        let acts = actions(&store).await;
        assert_eq!(acts, ["linkage.matrix", "linkage.catalogue"]);
    }
}

#[tokio::test]
async fn answers_and_evidence_are_kept_by_year_and_key() {
    for db in databases().await {
        let store = db.open().await;
        let (k1, k2) = (Key::new("s1-1").unwrap(), Key::new("s1-2").unwrap());
        store
            .set_assessment_questions(
                &[
                    (k1.clone(), Some("置いているか".into())),
                    (k2.clone(), Some("置いているか".into())),
                ],
                "admin",
            )
            .await
            .unwrap();
        store
            .set_assessment_questions(&[(k2.clone(), None)], "admin")
            .await
            .unwrap();
        let q = store.assessment_questions().await.unwrap();
        assert_eq!(q.keys().collect::<Vec<_>>(), [&k1]);
        let year = FiscalYear::new(2025).unwrap();
        let done = StoredAnswer {
            answer: Answer::Done,
            note: "規程第3条".into(),
        };
        store
            .save_assessment(
                town(),
                year,
                "令和6年10月版",
                &[(k1.clone(), Some(done.clone()))],
                "shiwa",
            )
            .await
            .unwrap();
        // The year keeps the edition of its first answer.
        store
            .save_assessment(
                town(),
                year,
                "令和7年3月版",
                &[(k2.clone(), Some(done.clone()))],
                "shiwa",
            )
            .await
            .unwrap();
        assert_eq!(
            store.assessment_years(town()).await.unwrap(),
            [(year, "令和6年10月版".to_string())]
        );
        let a = store.assessment_answers(town(), year).await.unwrap();
        assert_eq!(a[&k1], done);
        store
            .save_assessment(
                town(),
                year,
                "令和6年10月版",
                &[(k2.clone(), None)],
                "shiwa",
            )
            .await
            .unwrap();
        assert_eq!(
            store.assessment_answers(town(), year).await.unwrap().len(),
            1
        );
        let id = store
            .attach_evidence(
                town(),
                year,
                "令和6年10月版",
                &k1,
                "体制図.pdf",
                b"%PDF-1.4",
                "shiwa",
            )
            .await
            .unwrap();
        let (e, bytes) = store.evidence_file(town(), id).await.unwrap().unwrap();
        assert_eq!(bytes, b"%PDF-1.4");
        assert_eq!(e.sha256, crate::audit::digest(b"%PDF-1.4"));
        assert_eq!(e.key, k1);
        assert!(
            store
                .evidence_file(BodyCode::parse("131016").unwrap(), id)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .attach_evidence(town(), year, "x", &k1, "empty", b"", "shiwa")
                .await
                .is_err()
        );
        let acts = actions(&store).await;
        assert_eq!(
            acts,
            [
                "assessment.evidence",
                "assessment.answers",
                "assessment.answers",
                "assessment.answers",
                "assessment.question",
                "assessment.question",
                "assessment.question"
            ]
        );
    }
}
