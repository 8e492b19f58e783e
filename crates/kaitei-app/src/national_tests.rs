//! A national run on every backend under test: assessed on worker threads
//! while the store reads, it must give exactly what assessing one policy
//! at a time gives, and what each policy's impact gives loaded whole.

use std::sync::Arc;

use kaitei_compare::policy::{EditionChanges, impact, known_values, settle_values};
use kaitei_compare::synth::nation;
use kaitei_model::{EditionName, registry};
use kaitei_store::PolicyScope;
use kaitei_store::testing::databases;

use crate::App;
use crate::national::{Assessment, BodyAssessment};

const R6: &str = include_str!("../../../fixtures/guideline/r6-10.md");
const R7: &str = include_str!("../../../fixtures/guideline/r7-03.md");
const CITY: &str = include_str!("../../../fixtures/policies/city.md");

fn doc(text: &str) -> kaitei_model::Document {
    let parsed = kaitei_format::authoring::parse(text);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.document
}

/// What a report is made of, compared whole.
fn report(assessed: &[BodyAssessment]) -> Vec<String> {
    assessed.iter().map(|a| format!("{a:?}")).collect()
}

/// Guards issue #17's national impact: the workers must not change a
/// byte of the report.
#[tokio::test]
async fn a_national_run_on_workers_agrees_with_one_at_a_time_and_with_whole_policies() {
    let old = doc(R6);
    let new = doc(R7);
    // Every 60th body's policy from the nation generator (rewritten,
    // omitted and added clauses, values in their own wording), the city's
    // (values read off its text), and one written without kaitei.
    let own = ["032018", "033219"];
    let bodies: Vec<_> = registry()
        .all()
        .iter()
        .step_by(60)
        .filter(|b| !own.contains(&b.code.to_string().as_str()))
        .cloned()
        .collect();
    let mut policies: Vec<_> = nation::policies(&old, &bodies, "令和6年度版", 5)
        .map(|(_, p)| p.expect("every placeholder filled"))
        .collect();
    policies.push(doc(CITY));
    policies.push(doc(
        "---\nkind: policy\ntitle: 紫波町情報セキュリティポリシー\nedition: 令和6年度版\nbody: \"033219\"\n---\n\n# 1. 目的 {#c1}\n\n(1) 本文。 {#c1-1}\n",
    ));
    for db in databases().await {
        let app = App::open(&db.url).await.expect("open");
        for d in [&old, &new].into_iter().chain(&policies) {
            app.store().import(d).await.expect("import");
        }
        let (from, to) = (
            EditionName::parse("令和6年10月版").unwrap(),
            EditionName::parse("令和7年3月版").unwrap(),
        );
        let changes: Arc<EditionChanges> = app.edition_changes(&from, &to).await.unwrap();
        let (old, new) = (
            app.edition(&from).await.unwrap(),
            app.edition(&to).await.unwrap(),
        );
        let current = app
            .store()
            .current_policies(PolicyScope::Latest)
            .await
            .unwrap();
        assert!(current.len() > 25, "{}", current.len());
        let run = |workers: usize| {
            let app = app.clone().with_workers(workers);
            let targets = current
                .iter()
                .map(|p| (p.clone(), changes.clone()))
                .collect();
            let (old, new) = (old.clone(), new.clone());
            async move {
                let mut progressed = 0;
                let assessed = app
                    .assess_inferring(targets, (&old, &new), || progressed += 1)
                    .await
                    .expect("assessed");
                assert_eq!(progressed, assessed.len());
                assessed
            }
        };
        let one_at_a_time = run(0).await;
        assert_eq!(one_at_a_time.len(), current.len());
        for workers in [1, 3] {
            assert_eq!(
                report(&run(workers).await),
                report(&one_at_a_time),
                "{} workers on {}",
                workers,
                db.url
            );
        }
        // Each as its own impact computes it, on the policy loaded whole.
        let (mut items, mut values, mut unaligned) = (0, 0, 0);
        for (a, p) in one_at_a_time.iter().zip(&current) {
            assert_eq!(a.body, p.body);
            let whole = app.store().load(p.id).await.unwrap().unwrap();
            match &a.assessment {
                Assessment::Unaligned => unaligned += 1,
                Assessment::Items(got) => {
                    assert_eq!(got, &impact(&whole, &changes), "{}", p.body);
                    items += got.len();
                    let body = registry().get(p.body).unwrap();
                    let known = known_values(body, &whole.meta.values, &Default::default());
                    let settled = settle_values(&whole, &old, &new, &known);
                    assert_eq!(a.values, settled.inferred, "{}", p.body);
                    values += a.values.iter().filter(|v| v.value().is_some()).count();
                }
            }
        }
        // What the comparison covered: items and values on most policies,
        // and the one without provenance counted apart.
        assert!(items > 20 * current.len(), "{items} items");
        assert!(values > current.len(), "{values} values inferred");
        assert_eq!(unaligned, 1, "{}", db.url);
    }
}
