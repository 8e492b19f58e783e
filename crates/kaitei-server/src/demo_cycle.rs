//! The demo's revision cycle in progress: this fiscal year's three topics
//! and schedule, a draft of the next edition with changes citing them, and
//! a consultation of every local government open now (through the
//! prefectures), with answers from generated bodies — some on the web,
//! some by Excel, some still in preparation.

use kaitei_app::App;
use kaitei_app::consultations::DraftSource;
use kaitei_model::consultation::{
    Audience, CommentInput, CommentType, ConsultationId, Plan, Routing, Step, Window,
};
use kaitei_model::cycle::{FiscalYear, MilestoneKind};
use kaitei_model::draft::DraftEdit;
use kaitei_model::{BodyKind, Date, Document, JstTime, registry};
use kaitei_store::{Respondent, Role};

use crate::demo::DEMO_PASSWORD;

/// The demo consultation's id.
pub const CONSULTATION: &str = "R8-1";

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

/// What generated bodies say: the comment and how it opens and closes.
const CONCERNS: [&str; 6] = [
    "具体的な方式の例を示して頂きたい",
    "小規模団体でも実施可能な手順を示していただきたい",
    "既存の規程との関係を明確にしてほしい",
    "用語の定義を追加されたい",
    "実施時期の目安を示して頂きたい",
    "委託先に求める事項の例を示していただきたい",
];
const OPENERS: [&str; 4] = ["本市としては、", "", "当町では、", "本件について、"];
const CLOSERS: [&str; 3] = ["。", "。よろしくお願いします。", "。ご検討願います。"];

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
    answers(app, now, generated, &topic_ids).await
}

/// Answers of `n` municipalities (every few in the registry, 紫波町 left to
/// the visitor): three in five submitted, of those in 岩手県 some
/// forwarded, the rest in preparation.
async fn answers(
    app: &App,
    now: JstTime,
    n: usize,
    topics: &[(i64, Vec<String>)],
) -> Result<(), kaitei_app::Error> {
    let (c, subject) = app.consultation(CONSULTATION).await?;
    let store = app.store();
    let keys: Vec<&String> = topics.iter().flat_map(|(_, k)| k).collect();
    if keys.is_empty() {
        return Ok(());
    }
    let bodies: Vec<_> = registry()
        .all()
        .iter()
        .filter(|b| b.kind != BodyKind::Prefecture && b.code.to_string() != "033219")
        .collect();
    let step = (bodies.len() / n.max(1)).max(1);
    for (i, body) in bodies.iter().step_by(step).take(n).enumerate() {
        let r = Respondent::Body(body.code);
        let mut inputs = Vec::new();
        for j in 0..(1 + i % 3) {
            let key = keys[(i + j) % keys.len()];
            let text = subject
                .nodes()
                .find(|n| n.key.as_str() == key.as_str())
                .map(|n| n.text())
                .unwrap_or_default();
            let quote: String = text.chars().skip(j * 3).take(8).collect();
            inputs.push(CommentInput {
                clause: key.clone(),
                quote,
                kind: if j == 2 {
                    CommentType::Question
                } else {
                    CommentType::Opinion
                },
                text: format!(
                    "{}{}{}",
                    OPENERS[(i + j) % OPENERS.len()],
                    CONCERNS[(i * 7 + j) % CONCERNS.len()],
                    CLOSERS[i % CLOSERS.len()]
                ),
                proposal: String::new(),
            });
        }
        let comments = kaitei_app::consultations::check_answer(&subject, &inputs).map_err(|e| {
            kaitei_app::Error::Invalid(format!(
                "demo comment: {:?}",
                e.first().map(|(_, e)| e.to_string())
            ))
        })?;
        let how = if i % 4 == 0 { "imported" } else { "edited" };
        let by = format!("officer-{}", body.code);
        store
            .save_answer(&c, &r, &comments, false, 0, &by, now, how)
            .await?;
        if i % 5 < 3 {
            store
                .answer_step(&c, &r, Step::Submit, "", &by, now)
                .await?;
            if i % 2 == 0 && body.prefecture.to_string() != "030007" {
                store
                    .answer_step(&c, &r, Step::Forward, "", "prefecture", now)
                    .await?;
            }
        }
    }
    Ok(())
}
