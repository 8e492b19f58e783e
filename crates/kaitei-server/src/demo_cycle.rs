//! The demo's revision cycle in progress: this fiscal year's three topics
//! and schedule, a draft of the next edition with changes citing them, and
//! a consultation of every local government open now (through the
//! prefectures), with answers from generated bodies — some on the web,
//! some by Excel, some still in preparation.

use kaitei_app::App;
use kaitei_app::consultations::DraftSource;
use kaitei_compare::synth::comments::{GeneratedComment, Shape};
use kaitei_compare::synth::nation;
use kaitei_model::consultation::{
    Audience, CommentInput, ConsultationId, Plan, Routing, Step, Window,
};
use kaitei_model::cycle::{FiscalYear, MilestoneKind};
use kaitei_model::disposition::{Disposition, DispositionKind};
use kaitei_model::draft::DraftEdit;
use kaitei_model::{BodyKind, Date, Document, JstTime, registry};
use kaitei_store::{Respondent, Role};

use crate::demo::DEMO_PASSWORD;

/// The demo consultation's id.
pub const CONSULTATION: &str = "R8-1";

/// The demo's closed consultation, its comments all but disposed of.
pub const CLOSED_CONSULTATION: &str = "R8-0";

/// The draft it was on, ready to publish once they are.
pub const ADDENDUM: &str = "R8-addendum";

/// This year's topics: title, description, words that find the guideline
/// clauses they touch.
const TOPICS: [(&str, &str, &str); 3] = [
    (
        "電磁的記録媒体を用いないデータ連携",
        "USBメモリ等を使わずにネットワーク分離環境間でデータを連携する方式（無害化、画面転送等）とリスク分析の型",
        "電磁的記録媒体",
    ),
    (
        "機器の廃棄とデータ消去",
        "情報システム機器の廃棄・リース返却時のデータ消去の方法と消去証明書の確認",
        "廃棄",
    ),
    (
        "地方自治法の改正とサイバーセキュリティ確保方針",
        "令和6年改正地方自治法に基づく、サイバーセキュリティを確保するための方針と情報セキュリティポリシーの関係",
        "サイバーセキュリティを確保するための方針",
    ),
];

fn clauses_with(doc: &Document, words: &str, max: usize) -> Vec<String> {
    doc.nodes()
        .filter(|n| n.paragraphs.iter().any(|p| p.contains(words)))
        .take(max)
        .map(|n| n.key.as_str().to_string())
        .collect()
}

fn at(y: u16, m: u8, d: u8, h: i64) -> JstTime {
    JstTime::start_of(Date::new(y, m, d).unwrap_or(Date::EPOCH)).plus_hours(h)
}

/// Seeds the cycle of the fiscal year of `now`, its consultation open at
/// `now`, and answers of `generated` bodies.
pub async fn seed_cycle(
    app: &App,
    now: JstTime,
    generated: usize,
) -> Result<(), kaitei_app::Error> {
    let store = app.store();
    let opens = now.plus_hours(-72);
    let year = FiscalYear::of(opens.date());
    let y = year.year();
    store
        .create_cycle(
            year,
            &format!("{} ガイドライン改定", year.wareki()),
            "admin",
        )
        .await?;
    let latest = app
        .latest_edition()
        .await?
        .ok_or_else(|| kaitei_app::Error::Invalid("no edition to draft from".into()))?;
    let edition = app.edition_named(&latest.edition).await?;
    let mut topic_ids = Vec::new();
    for (title, description, words) in TOPICS {
        let clauses = clauses_with(&edition, words, 3);
        topic_ids.push((
            store
                .add_topic(year, title, description, &clauses, "admin")
                .await?,
            clauses,
        ));
    }
    for (kind, title, t) in [
        (
            MilestoneKind::Committee,
            "第1回検討会（検討項目と進め方）",
            at(y, 6, 20, 14),
        ),
        (
            MilestoneKind::Committee,
            "第2回検討会（データ連携のリスク分析の型）",
            at(y, 9, 18, 14),
        ),
        (
            MilestoneKind::DraftAgreed,
            "第3回検討会（改定案の決定）",
            at(y, 12, 11, 14),
        ),
        (
            MilestoneKind::Committee,
            "第4回検討会（意見の反映）",
            at(y + 1, 2, 19, 14),
        ),
        (
            MilestoneKind::Publication,
            "改定版の公表",
            at(y + 1, 3, 27, 10),
        ),
    ] {
        store.add_milestone(year, kind, title, t, "").await?;
    }
    let draft_name = format!("R{}-draft", y - 2018);
    let draft = app
        .start_draft(year, &draft_name, DraftSource::Edition(None), "admin")
        .await?;
    // Two changes, each citing its topic.
    let mut version = 0;
    for (i, (topic, clauses)) in topic_ids.iter().enumerate().take(2) {
        let Some(key) = clauses.first() else { continue };
        let (_, doc) = store
            .load_draft(draft)
            .await?
            .ok_or_else(|| kaitei_app::Error::NotFound("the demo draft".into()))?;
        let Some(node) = doc.nodes().find(|n| n.key.as_str() == key) else {
            continue;
        };
        let mut paragraphs = node.paragraphs.clone();
        let added = if i == 0 {
            "なお、データ連携は、電磁的記録媒体を用いず、無害化又は画面転送による方式を優先して検討しなければならない。"
        } else {
            "廃棄又はリース返却に当たっては、消去証明書により消去の完了を確認しなければならない。"
        };
        paragraphs.push(added.to_string());
        version = store
            .edit_draft(
                draft,
                &DraftEdit::Text {
                    key: node.key.clone(),
                    paragraphs,
                },
                version,
                Some(*topic),
                "admin",
            )
            .await?;
    }
    let plan = Plan {
        id: ConsultationId::parse(CONSULTATION).map_err(kaitei_app::Error::Invalid)?,
        audience: Audience::AllBodies,
        routing: Routing::ThroughPrefectures {
            prefecture_deadline: opens.plus_hours(15 * 24),
        },
        window: Window {
            opens,
            closes: opens.plus_hours(22 * 24),
        },
    };
    store
        .create_consultation(
            &plan,
            year,
            "地方公共団体における情報セキュリティポリシーに関するガイドライン改定案に対する意見照会",
            draft,
            "admin",
        )
        .await?;
    // The demo's officers: 紫波町's may submit and has a colleague who may
    // not; 岩手県's relays; the vendor answers for its organisation.
    store.set_can_submit("shiwa", true).await?;
    store.set_can_submit("iwate", true).await?;
    store
        .add_user(
            "shiwa-staff",
            DEMO_PASSWORD,
            Role::Body,
            kaitei_model::BodyCode::parse("033219").ok(),
        )
        .await?;
    store
        .set_organisation("vendor", "株式会社サンプル情報システム")
        .await?;
    answers(app, now, generated, &topic_ids).await?;
    closed_round(app, now, year, topic_ids.get(2), generated.clamp(12, 60)).await
}

/// Answers of `n` municipalities (every few in the registry, 紫波町 left to
/// the visitor), written by the nation generator on the topics' clauses:
/// three in five submitted, of those in 岩手県 some forwarded, the rest in
/// preparation.
async fn answers(
    app: &App,
    now: JstTime,
    n: usize,
    topics: &[(i64, Vec<String>)],
) -> Result<(), kaitei_app::Error> {
    let (c, subject) = app.consultation(CONSULTATION).await?;
    let keys: Vec<&str> = topics
        .iter()
        .flat_map(|(_, k)| k)
        .map(String::as_str)
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    let all: Vec<&kaitei_model::Body> = registry()
        .all()
        .iter()
        .filter(|b| b.kind != BodyKind::Prefecture && b.code.to_string() != "033219")
        .collect();
    let step = (all.len() / n.max(1)).max(1);
    let bodies: Vec<&kaitei_model::Body> = all.into_iter().step_by(step).take(n).collect();
    let shape = Shape {
        per_respondent: 3,
        comments_per_concern: 10,
    };
    let generated = nation::answers(&subject, &keys, &bodies, 8, shape);
    for (i, body) in bodies.iter().enumerate() {
        let code = body.code.to_string();
        let mine: Vec<&GeneratedComment> = generated.iter().filter(|g| g.body == code).collect();
        let how = if i % 4 == 0 { "imported" } else { "edited" };
        let (r, by) = (Respondent::Body(body.code), format!("officer-{code}"));
        store_answer(app, &c, &subject, &r, &mine, now, how, &by).await?;
        if i % 5 < 3 {
            app.store()
                .answer_step(&c, &r, Step::Submit, "", &by, now)
                .await?;
            if i % 2 == 0 && body.prefecture.to_string() != "030007" {
                app.store()
                    .answer_step(&c, &r, Step::Forward, "", "prefecture", now)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Stores generated comments as respondent `r`'s answer, checked as any.
#[allow(clippy::too_many_arguments)]
async fn store_answer(
    app: &App,
    c: &kaitei_store::Consultation,
    subject: &Document,
    r: &Respondent,
    generated: &[&GeneratedComment],
    at: JstTime,
    how: &str,
    by: &str,
) -> Result<(), kaitei_app::Error> {
    let inputs: Vec<CommentInput> = generated
        .iter()
        .map(|g| CommentInput {
            clause: g.clause.clone(),
            quote: g.quote.clone(),
            kind: g.kind,
            text: g.text.clone(),
            proposal: g.proposal.clone(),
        })
        .collect();
    let comments = kaitei_app::consultations::check_answer(subject, &inputs).map_err(|e| {
        kaitei_app::Error::Invalid(format!(
            "demo comment: {:?}",
            e.first().map(|(_, e)| e.to_string())
        ))
    })?;
    app.store()
        .save_answer(c, r, &comments, comments.is_empty(), 0, by, at, how)
        .await?;
    Ok(())
}

/// The consultation the demo shows at its end: `R{n}-0`, on an addendum
/// for the amended Local Autonomy Act, closed three weeks ago with the
/// comments of `n` bodies received, clustered and all but two clusters
/// disposed of — for the visitor to finish and publish. Early in a fiscal
/// year it belongs to the previous year's cycle.
async fn closed_round(
    app: &App,
    now: JstTime,
    year: FiscalYear,
    topic: Option<&(i64, Vec<String>)>,
    n: usize,
) -> Result<(), kaitei_app::Error> {
    let opens = now.plus_hours(-45 * 24);
    let store = app.store();
    let year = if FiscalYear::of(opens.date()) == year {
        year
    } else {
        let earlier = FiscalYear::of(opens.date());
        store
            .create_cycle(
                earlier,
                &format!("{} ガイドライン改定", earlier.wareki()),
                "admin",
            )
            .await?;
        earlier
    };
    let name = ADDENDUM;
    let draft = app
        .start_draft(year, name, DraftSource::Edition(None), "admin")
        .await?;
    let (_, doc) = store
        .load_draft(draft)
        .await?
        .ok_or_else(|| kaitei_app::Error::NotFound("the addendum".into()))?;
    let keys: Vec<String> = match topic {
        Some((_, k)) if !k.is_empty() => k.clone(),
        _ => doc
            .nodes()
            .filter(|n| !n.paragraphs.is_empty())
            .take(3)
            .map(|n| n.key.as_str().to_string())
            .collect(),
    };
    // Each clause of the topic gains the Act's requirement.
    let mut version = 0;
    for key in &keys {
        let Some(node) = doc.nodes().find(|n| n.key.as_str() == key) else {
            continue;
        };
        let mut paragraphs = node.paragraphs.clone();
        paragraphs.push(
            "地方公共団体は、地方自治法第244条の6に基づき、サイバーセキュリティを確保するための方針を定め、これに基づき必要な措置を講じなければならない。"
                .to_string(),
        );
        version = store
            .edit_draft(
                draft,
                &DraftEdit::Text {
                    key: node.key.clone(),
                    paragraphs,
                },
                version,
                topic.map(|(t, _)| *t),
                "admin",
            )
            .await?;
    }
    let plan = Plan {
        id: ConsultationId::parse(CLOSED_CONSULTATION).map_err(kaitei_app::Error::Invalid)?,
        audience: Audience::AllBodies,
        routing: Routing::Direct,
        window: Window {
            opens,
            closes: opens.plus_hours(21 * 24),
        },
    };
    store
        .create_consultation(
            &plan,
            year,
            "地方自治法改正に対応するガイドライン追補案に対する意見照会",
            draft,
            "admin",
        )
        .await?;
    let (c, subject) = app.consultation(plan.id.as_str()).await?;
    let bodies: Vec<&kaitei_model::Body> = registry()
        .all()
        .iter()
        .filter(|b| b.kind != BodyKind::Prefecture)
        .step_by(37)
        .take(n)
        .collect();
    let key_refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let shape = Shape {
        per_respondent: 2,
        comments_per_concern: 6,
    };
    let generated = nation::answers(&subject, &key_refs, &bodies, 80, shape);
    let during = opens.plus_hours(24);
    for body in &bodies {
        let code = body.code.to_string();
        let mine: Vec<&GeneratedComment> = generated.iter().filter(|g| g.body == code).collect();
        let (r, by) = (Respondent::Body(body.code), format!("officer-{code}"));
        store_answer(app, &c, &subject, &r, &mine, during, "edited", &by).await?;
        store
            .answer_step(&c, &r, Step::Submit, "", &by, during)
            .await?;
    }
    // The ministry's work so far: every cluster disposed of but two on one
    // clause, for the visitor to merge and finish.
    let review = app.comment_review(plan.id.as_str()).await?;
    let clause_of = |k: usize| {
        review
            .cluster(k)
            .next()
            .map(|c| c.received.comment.clause.clone())
    };
    let mut left: Vec<usize> = Vec::new();
    for k in 1..=review.clusters {
        let others: Vec<usize> = (k + 1..=review.clusters)
            .filter(|&j| clause_of(j) == clause_of(k))
            .collect();
        if let Some(&j) = others.first() {
            left = vec![k, j];
            break;
        }
    }
    for k in (1..=review.clusters).filter(|k| !left.contains(k)) {
        let numbers: Vec<i64> = review.cluster(k).map(|c| c.received.number).collect();
        let d = Disposition {
            kind: if k % 3 == 0 {
                DispositionKind::NotReflected
            } else {
                DispositionKind::Reflected
            },
            reason: if k % 3 == 0 {
                "各団体の実情に応じて定めることが適当であるため、原案のとおりとします。".into()
            } else {
                "御意見を踏まえ、解説に具体例を追記します。".into()
            },
        };
        app.dispose(plan.id.as_str(), &numbers, &d, "admin").await?;
    }
    Ok(())
}
