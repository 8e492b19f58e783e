//! The self-assessment across two real editions: answers of 令和7年度
//! (令和6年10月版) carried into 令和8年度 (令和7年3月版) by key, asked again
//! where the clause's text changed, kept where it only moved or was
//! renumbered; the chapter scores and the year-over-year view.

use kaitei_format::authoring::parse;
use kaitei_model::cycle::FiscalYear;
use kaitei_model::{BodyCode, Key, registry};
use kaitei_records::assessment::{Answer, Carried};
use kaitei_store::StoredAnswer;
use kaitei_store::testing::databases;

use crate::App;

const R6: &str = include_str!("../../../fixtures/guideline/r6-10.md");
const R7: &str = include_str!("../../../fixtures/guideline/r7-03.md");
const CITY: &str = include_str!("../../../fixtures/policies/city.md");

fn key(s: &str) -> Key {
    Key::new(s).unwrap()
}

#[tokio::test]
async fn answers_carry_to_a_new_edition_unless_the_text_changed() {
    for db in databases().await {
        let app = App::new(db.open().await);
        for text in [R6, R7, CITY] {
            app.import(parse(text).document).await.unwrap();
        }
        let city = registry().get(BodyCode::parse("032018").unwrap()).unwrap();
        // s1-1-3: its text changed; s4-4-7: moved verbatim (M4); s4-1-1:
        // renumbered (4.1. became 5.1.); s4-1-6: omitted by the city.
        let keys = ["s1-1-3", "s4-4-7", "s4-1-1", "s4-1-6"];
        let questions: Vec<_> = keys
            .iter()
            .map(|k| (key(k), Some(format!("{k} を実施しているか"))))
            .collect();
        app.store()
            .set_assessment_questions(&questions, "admin")
            .await
            .unwrap();
        let (y7, y8) = (
            FiscalYear::new(2025).unwrap(),
            FiscalYear::new(2026).unwrap(),
        );
        let first = app.assessment(city, y7).await.unwrap();
        assert_eq!(first.edition, "令和6年10月版");
        let listed: Vec<&str> = first.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(
            listed,
            ["s1-1-3", "s4-1-1", "s4-4-7"],
            "the omitted key has no item"
        );
        let done = |a| {
            Some(StoredAnswer {
                answer: a,
                note: String::new(),
            })
        };
        app.answer_assessment(
            city,
            y7,
            &[
                (key("s1-1-3"), done(Answer::Done)),
                (key("s4-4-7"), done(Answer::Partial)),
                (key("s4-1-1"), done(Answer::NotApplicable)),
            ],
            "city",
        )
        .await
        .unwrap();
        // An answer to a key not on the checklist: refused, nothing written.
        assert!(
            app.answer_assessment(city, y7, &[(key("s4-1-6"), done(Answer::Done))], "city")
                .await
                .is_err()
        );
        // 令和8年度 starts on the new edition.
        app.store()
            .save_assessment(city.code, y8, "令和7年3月版", &[], "city")
            .await
            .unwrap();
        let next = app.assessment(city, y8).await.unwrap();
        assert_eq!(next.edition, "令和7年3月版");
        match &next.answers[&key("s1-1-3")] {
            Carried::AskAgain { previous, change } => {
                assert_eq!(*previous, Answer::Done);
                assert_ne!(change.old, change.new);
            }
            other => panic!("s1-1-3 on {}: {other:?}", db.url),
        }
        assert_eq!(next.answers[&key("s4-4-7")], Carried::Kept(Answer::Partial));
        assert_eq!(
            next.answers[&key("s4-1-1")],
            Carried::Kept(Answer::NotApplicable)
        );
        // Scores: 令和7年度 (1 + ½) / 2; 令和8年度 the changed one unanswered: ½ / 2.
        assert_eq!(first_total(&app, city, y7).await, Some(75));
        assert_eq!(next.scores.1.percent(), Some(25));
        let years: Vec<_> = next
            .history
            .iter()
            .map(|(y, _, t)| (*y, t.percent()))
            .collect();
        assert_eq!(years, [(y7, Some(75)), (y8, Some(25))]);
        // Answered again on the new edition, it is its own.
        app.answer_assessment(city, y8, &[(key("s1-1-3"), done(Answer::Done))], "city")
            .await
            .unwrap();
        let again = app.assessment(city, y8).await.unwrap();
        assert_eq!(again.answers[&key("s1-1-3")], Carried::Own(Answer::Done));
        assert_eq!(again.scores.1.percent(), Some(75));
    }
}

async fn first_total(app: &App, body: &kaitei_model::Body, year: FiscalYear) -> Option<u32> {
    app.assessment(body, year).await.unwrap().scores.1.percent()
}
