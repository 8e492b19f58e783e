//! The demo's data linkage and self-assessment (#19): the town's patterns
//! with their ratings, a generated share of the nation's so that the
//! national picture has something to count, the ministry's questions for
//! the guideline's first-level items, and the town's answers of the two
//! years before (this year's carried over from them), with an evidence
//! file.

use kaitei_app::App;
use kaitei_model::cycle::FiscalYear;
use kaitei_model::{BodyCode, Key, NodeKind, registry};
use kaitei_records::assessment::Answer;
use kaitei_records::linkage::{Catalogue, Route, Segment};
use kaitei_records::linkage_ratings::{Rating, ScenarioRating, Use};
use kaitei_store::{Actor, StoredAnswer, acting};

use crate::demo_records::{TOWN, UNRECORDED, spread};

fn route(from: Segment, to: Segment) -> Route {
    Route { from, to }
}

/// The uses a body with `code` makes of the catalogue's patterns, rated
/// as bodies would: the baseline barely lowered by its controls, the
/// others by one to three steps of likelihood.
fn uses_of(code: BodyCode, catalogue: &Catalogue) -> Vec<Use> {
    use Segment::*;
    let plan = [
        ("sanitised-transfer", route(Internet, Lgwan), 55),
        ("screen-transfer", route(Internet, Lgwan), 60),
        ("screen-transfer", route(Lgwan, MyNumber), 25),
        ("one-way-transfer", route(Lgwan, MyNumber), 20),
        ("removable-media", route(Lgwan, MyNumber), 40),
    ];
    let mut out = Vec::new();
    for (n, (pattern, route, share)) in (1u32..).zip(plan) {
        let Some(p) = catalogue.pattern(pattern) else {
            continue;
        };
        if spread(code, 100 + n) % 100 >= share {
            continue;
        }
        let ratings = (0u32..)
            .zip(&p.scenarios)
            .map(|(m, s)| {
                let r = spread(code, 1000 + n * 50 + m);
                let l = 2 + (r % 4) as u8;
                let i = 2 + ((r >> 4) % 4) as u8;
                let lower = if p.baseline {
                    (r >> 8) % 2
                } else {
                    1 + (r >> 8) % 3
                } as u8;
                ScenarioRating {
                    scenario: s.id.clone(),
                    before: Rating::new(l, i),
                    after: Rating::new(l.saturating_sub(lower).max(1), i),
                }
            })
            .collect();
        out.push(Use {
            pattern: pattern.to_string(),
            route,
            ratings,
        });
    }
    out
}

/// The uses of `per_mille` of the bodies (not the town nor 千代田区).
pub fn generated_linkage(per_mille: u32, catalogue: &Catalogue) -> Vec<(BodyCode, Vec<Use>)> {
    registry()
        .all()
        .iter()
        .filter(|b| !UNRECORDED.contains(&b.code.to_string().as_str()))
        .filter(|b| spread(b.code, 7) % 1000 < per_mille)
        .map(|b| (b.code, uses_of(b.code, catalogue)))
        .filter(|(_, u)| !u.is_empty())
        .collect()
}

/// The town's record: files through the linkage server and screen
/// transfer into the LGWAN segment, and USB memory still carried into the
/// My Number segment.
pub fn town_linkage(catalogue: &Catalogue) -> Vec<Use> {
    let rate = |pattern: &str, route: Route, scores: &[(u8, u8, u8, u8)]| Use {
        pattern: pattern.into(),
        route,
        ratings: catalogue
            .pattern(pattern)
            .map(|p| p.scenarios.as_slice())
            .unwrap_or_default()
            .iter()
            .zip(scores)
            .map(|(s, (bl, bi, al, ai))| ScenarioRating {
                scenario: s.id.clone(),
                before: Rating::new(*bl, *bi),
                after: Rating::new(*al, *ai),
            })
            .collect(),
    };
    use Segment::*;
    vec![
        rate(
            "sanitised-transfer",
            route(Internet, Lgwan),
            &[
                (4, 4, 2, 4),
                (2, 5, 1, 5),
                (3, 3, 2, 3),
                (3, 4, 1, 4),
                (3, 3, 2, 2),
            ],
        ),
        rate(
            "screen-transfer",
            route(Internet, Lgwan),
            &[(3, 4, 1, 4), (3, 3, 2, 3), (2, 4, 1, 4)],
        ),
        rate(
            "removable-media",
            route(Lgwan, MyNumber),
            &[(4, 4, 3, 4), (4, 5, 3, 5), (3, 5, 3, 4), (3, 3, 2, 3)],
        ),
    ]
}

/// The ministry's questions: one per first-level item of a section of
/// 第2編 (`(1)`, `(2)` … under a heading) of `edition`.
pub fn questions(edition: &kaitei_model::Document) -> Vec<(Key, Option<String>)> {
    let mut out = Vec::new();
    for part in edition.children.iter().skip(1) {
        for n in part.walk() {
            if n.kind != NodeKind::Heading {
                continue;
            }
            for item in n.children.iter().filter(|c| c.kind != NodeKind::Heading) {
                let Some(name) = item.name() else { continue };
                let short: String = name.chars().take(40).collect();
                let more = if name.chars().count() > 40 { "…" } else { "" };
                out.push((
                    item.key.clone(),
                    Some(format!("「{short}{more}」を規定のとおり実施していますか。")),
                ));
            }
        }
    }
    out
}

/// A number from `key` and `salt`, the same on every run.
fn hash(key: &Key, salt: u32) -> u32 {
    let mut h: u32 = 2_166_136_261 ^ salt;
    for b in key.as_str().bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(16_777_619);
    }
    h ^ (h >> 13)
}

/// An answer of the town in year `salt`, as a body answers: most done.
fn answer_of(key: &Key, salt: u32) -> Answer {
    match hash(key, salt) % 20 {
        0..=11 => Answer::Done,
        12..=15 => Answer::Partial,
        16..=17 => Answer::NotDone,
        _ => Answer::NotApplicable,
    }
}

/// Seeds the catalogue's uses (the town's and the generated bodies'), the
/// questions, and the town's answers of 令和6年度 and 令和7年度.
pub async fn seed_linkage(app: &App) -> Result<(), kaitei_app::Error> {
    let store = app.store();
    let town = BodyCode::parse(TOWN).map_err(|e| kaitei_app::Error::Invalid(e.to_string()))?;
    let catalogue = store.linkage_catalogue().await?;
    acting(Actor::user("shiwa"), async {
        store
            .save_linkage(town, &town_linkage(&catalogue), "shiwa")
            .await
    })
    .await?;
    store
        .save_linkage_of(&generated_linkage(600, &catalogue), "demo")
        .await?;
    let edition = app.edition_named("令和6年10月版").await?;
    acting(Actor::user("admin"), async {
        store
            .set_assessment_questions(&questions(&edition), "admin")
            .await
    })
    .await?;
    let Some(body) = registry().get(town) else {
        return Ok(());
    };
    for (year, salt, share) in [(2024u16, 1u32, 100u32), (2025, 2, 30)] {
        let year =
            FiscalYear::new(year).ok_or_else(|| kaitei_app::Error::Invalid("year".into()))?;
        let items = app.assessment(body, year).await?.items;
        // The first year answers everything; the next answers a share
        // again (the rest carried over).
        let answers: Vec<_> = items
            .iter()
            .filter(|i| hash(&i.key, 99) % 100 < share)
            .map(|i| {
                let answer = answer_of(&i.key, salt);
                let note = if answer == Answer::NotApplicable {
                    "該当する業務がないため"
                } else {
                    ""
                };
                (
                    i.key.clone(),
                    Some(StoredAnswer {
                        answer,
                        note: note.into(),
                    }),
                )
            })
            .collect();
        acting(Actor::user("shiwa"), async {
            app.answer_assessment(body, year, &answers, "shiwa").await
        })
        .await?;
        if let (2025, Some(first)) = (year.year(), items.first()) {
            acting(Actor::user("shiwa"), async {
                app.attach_evidence(
                    body,
                    year,
                    &first.key,
                    "情報セキュリティ体制図.txt",
                    "CISO：副町長\nCSIRT：総務課\n".as_bytes(),
                    "shiwa",
                )
                .await
            })
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_nation_fits_the_catalogue_and_is_the_same_every_time() {
        let c = Catalogue::default();
        let a = generated_linkage(600, &c);
        assert_eq!(a, generated_linkage(600, &c));
        assert!(a.len() > 800, "{}", a.len());
        for (_, uses) in &a {
            kaitei_records::linkage_ratings::check_uses(uses, &c).unwrap();
        }
        kaitei_records::linkage_ratings::check_uses(&town_linkage(&c), &c).unwrap();
        assert!(town_linkage(&c).iter().all(|u| !u.ratings.is_empty()));
    }
}
