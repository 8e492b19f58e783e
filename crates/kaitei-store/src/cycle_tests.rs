//! The revision cycle in the store: drafts and their stale saves,
//! consultations and their rules, answers through their steps — on every
//! backend under test.

use kaitei_format::authoring::parse;
use kaitei_model::consultation::{
    AnswerStatus, Audience, Comment, CommentInput, CommentType, ConsultationId, Plan, Routing,
    Step, Window, check_comment,
};
use kaitei_model::cycle::{FiscalYear, MilestoneKind};
use kaitei_model::draft::DraftEdit;
use kaitei_model::{BodyCode, Document, JstTime, Key};

use crate::testing::databases;
use crate::{Respondent, Saved, Store, StoreError};

fn t(s: &str) -> JstTime {
    JstTime::parse(s).expect("time")
}

fn fy() -> FiscalYear {
    FiscalYear::new(2025).expect("year")
}

fn guideline() -> Document {
    let src = "---\nkind: guideline\ntitle: ガイドライン\nedition: 令和7年3月版\n---\n# 1. 組織体制 {#g1}\n職員は、情報資産を適切に管理しなければならない。\n\n職員は、研修を受けなければならない。\n# 2. 研修 {#g2}\n研修を年1回以上実施する。\n";
    let parsed = parse(src);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.document
}

fn k(s: &str) -> Key {
    Key::new(s).expect("key")
}

fn plan(id: &str, audience: Audience, routing: Routing, opens: &str, closes: &str) -> Plan {
    Plan {
        id: ConsultationId::parse(id).expect("id"),
        audience,
        routing,
        window: Window {
            opens: t(opens),
            closes: t(closes),
        },
    }
}

async fn with_draft(store: &Store) -> i64 {
    store
        .create_cycle(fy(), "令和7年度 改定", "admin")
        .await
        .expect("cycle");
    store
        .create_draft(
            fy(),
            "R7-draft",
            &guideline(),
            Some("令和7年3月版"),
            "admin",
        )
        .await
        .expect("draft")
}

fn comment(doc: &Document, key: &str, quote: &str, text: &str) -> Comment {
    let node = doc.find(&k(key)).expect("clause");
    check_comment(
        &CommentInput {
            clause: key.into(),
            quote: quote.into(),
            kind: CommentType::Opinion,
            text: text.into(),
            proposal: String::new(),
        },
        Some(&node.text()),
    )
    .expect("valid comment")
}

#[tokio::test]
async fn topics_milestones_and_the_fiscal_year() {
    for db in databases().await {
        let store = db.open().await;
        assert!(
            store.add_topic(fy(), "x", "", &[], "a").await.is_err(),
            "no cycle yet"
        );
        store
            .create_cycle(fy(), "令和7年度 改定", "admin")
            .await
            .expect("cycle");
        assert!(matches!(
            store.create_cycle(fy(), "again", "admin").await,
            Err(StoreError::Duplicate(_))
        ));
        let id = store
            .add_topic(
                fy(),
                "USBメモリを使わないデータ連携",
                "無害化",
                &["g1".into(), "g2".into()],
                "admin",
            )
            .await
            .expect("topic");
        store
            .set_topic_status(id, kaitei_model::cycle::TopicStatus::Drafted, "admin")
            .await
            .expect("status");
        let topics = store.topics(fy()).await.expect("topics");
        assert_eq!(topics.len(), 1);
        assert_eq!(topics[0].clauses, ["g1", "g2"]);
        assert_eq!(topics[0].status.as_str(), "drafted");
        store
            .add_milestone(
                fy(),
                MilestoneKind::Committee,
                "第1回検討会",
                t("2025-06-20 14:00"),
                "",
            )
            .await
            .expect("milestone");
        let e = store
            .add_milestone(
                fy(),
                MilestoneKind::Publication,
                "公表",
                t("2026-04-01 10:00"),
                "",
            )
            .await
            .unwrap_err();
        assert!(e.to_string().contains("令和7年度"), "{e}");
        assert_eq!(store.milestones(fy()).await.expect("list").len(), 1);
    }
}

#[tokio::test]
async fn a_draft_keeps_its_history_and_refuses_stale_saves() {
    for db in databases().await {
        let store = db.open().await;
        let id = with_draft(&store).await;
        let text = |s: &str| DraftEdit::Text {
            key: k("g2"),
            paragraphs: vec![s.into()],
        };
        let v1 = store
            .edit_draft(id, &text("研修を年2回以上実施する。"), 0, None, "alice")
            .await
            .expect("edit");
        assert_eq!(v1, 1);
        // Bob read version 0 too: his save of the same clause is stale…
        let e = store
            .edit_draft(id, &text("研修を随時実施する。"), 0, None, "bob")
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::Stale(_)), "{e}");
        // …but a save of another clause based on version 0 goes through.
        let other = DraftEdit::Title {
            key: k("g1"),
            title: Some("組織".into()),
        };
        assert_eq!(
            store
                .edit_draft(id, &other, 0, None, "bob")
                .await
                .expect("other clause"),
            2
        );
        let split = DraftEdit::Split {
            key: k("g1"),
            at: 1,
            new_key: k("g1-2"),
        };
        assert_eq!(
            store
                .edit_draft(id, &split, 2, None, "alice")
                .await
                .expect("split"),
            3
        );
        let (summary, doc) = store.load_draft(id).await.expect("load").expect("exists");
        assert_eq!(summary.version, 3);
        assert_eq!(
            doc.find(&k("g1-2")).expect("split off").paragraphs,
            ["職員は、研修を受けなければならない。"]
        );
        assert_eq!(
            doc.find(&k("g2")).expect("g2").paragraphs,
            ["研修を年2回以上実施する。"]
        );
        let history = store.draft_changes(id, Some("g2")).await.expect("history");
        assert_eq!(history.len(), 1);
        assert_eq!(
            (history[0].by.as_str(), history[0].before.as_str()),
            ("alice", "研修を年1回以上実施する。")
        );
        assert_eq!(
            store
                .draft_changes(id, Some("g1-2"))
                .await
                .expect("new clause")
                .len(),
            1
        );
        // A refused edit writes nothing.
        let bad = DraftEdit::Delete { key: k("nope") };
        assert!(store.edit_draft(id, &bad, 3, None, "alice").await.is_err());
        assert_eq!(
            store
                .load_draft(id)
                .await
                .expect("load")
                .expect("exists")
                .0
                .version,
            3
        );
    }
}

#[tokio::test]
async fn consultations_follow_the_rules_and_freeze_their_subject() {
    for db in databases().await {
        let store = db.open().await;
        let draft = with_draft(&store).await;
        let short = plan(
            "R7-1",
            Audience::AllBodies,
            Routing::Direct,
            "2026-01-13 10:00",
            "2026-01-27 09:00",
        );
        let e = store
            .create_consultation(&short, fy(), "改定案", draft, "admin")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("13 days 23 hours"), "{e}");
        let ok = plan(
            "R7-1",
            Audience::AllBodies,
            Routing::Direct,
            "2026-01-13 10:00",
            "2026-01-27 10:00",
        );
        store
            .create_consultation(&ok, fy(), "改定案", draft, "admin")
            .await
            .expect("create");
        assert!(matches!(
            store
                .create_consultation(&ok, fy(), "改定案", draft, "admin")
                .await,
            Err(StoreError::Duplicate(_))
        ));
        let vendors = plan(
            "R7-V",
            Audience::Vendors,
            Routing::Direct,
            "2026-01-27 09:59",
            "2026-02-10 10:00",
        );
        let e = store
            .create_consultation(&vendors, fy(), "改定案", draft, "admin")
            .await
            .unwrap_err();
        assert!(e.to_string().contains("R7-1"), "{e}");
        // The draft changes; the consultation's subject does not.
        store
            .edit_draft(
                draft,
                &DraftEdit::Text {
                    key: k("g2"),
                    paragraphs: vec!["変更後".into()],
                },
                0,
                None,
                "a",
            )
            .await
            .expect("edit");
        let c = store
            .consultation("R7-1")
            .await
            .expect("read")
            .expect("exists");
        assert_eq!((c.draft_version, c.plan), (0, ok));
        let subject = store
            .subject(c.subject_id)
            .await
            .expect("subject")
            .expect("exists");
        assert_eq!(
            subject.find(&k("g2")).expect("g2").paragraphs,
            ["研修を年1回以上実施する。"]
        );
        let later = plan(
            "R7-V",
            Audience::Vendors,
            Routing::Direct,
            "2026-01-27 10:00",
            "2026-02-10 10:00",
        );
        store
            .create_consultation(&later, fy(), "改定案（ベンダー）", draft, "admin")
            .await
            .expect("vendors");
        let c = store
            .consultation("R7-V")
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(c.draft_version, 1, "the vendors see the draft as it is now");
    }
}

#[tokio::test]
async fn answers_are_saved_submitted_withdrawn_and_closed() {
    for db in databases().await {
        let store = db.open().await;
        let draft = with_draft(&store).await;
        let p = plan(
            "R7-1",
            Audience::AllBodies,
            Routing::Direct,
            "2026-01-13 10:00",
            "2026-01-27 10:00",
        );
        store
            .create_consultation(&p, fy(), "改定案", draft, "admin")
            .await
            .expect("create");
        let c = store
            .consultation("R7-1")
            .await
            .expect("read")
            .expect("exists");
        let subject = store.subject(c.subject_id).await.expect("s").expect("s");
        let town = Respondent::Body(BodyCode::parse("034614").expect("code"));
        let during = t("2026-01-20 12:00");
        let a = comment(&subject, "g2", "年1回", "回数の目安を示して頂きたい。");
        let b = comment(&subject, "g1", "", "誤記があります。");
        let saved = store
            .save_answer(
                &c,
                &town,
                &[a.clone(), b.clone()],
                false,
                0,
                "officer1",
                during,
                "edited",
            )
            .await
            .expect("save");
        assert_eq!(saved, Saved::Stored(1));
        let answer = store
            .answer("R7-1", &town)
            .await
            .expect("read")
            .expect("exists");
        let ids: Vec<&str> = answer.comments.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["R7-1-0001", "R7-1-0002"]);
        // Saved again unchanged: nothing stored.
        assert_eq!(
            store
                .save_answer(
                    &c,
                    &town,
                    &[a.clone(), b.clone()],
                    false,
                    1,
                    "x",
                    during,
                    "imported"
                )
                .await
                .expect("same"),
            Saved::Unchanged
        );
        // A colleague's stale save is refused.
        assert!(matches!(
            store
                .save_answer(
                    &c,
                    &town,
                    std::slice::from_ref(&a),
                    false,
                    0,
                    "officer2",
                    during,
                    "edited"
                )
                .await,
            Err(StoreError::Stale(_))
        ));
        // Dropping one comment and adding one keeps the survivor's id.
        let d = comment(&subject, "g1", "研修", "新しい意見");
        store
            .save_answer(
                &c,
                &town,
                &[b.clone(), d],
                false,
                1,
                "officer1",
                during,
                "edited",
            )
            .await
            .expect("save");
        let answer = store
            .answer("R7-1", &town)
            .await
            .expect("read")
            .expect("exists");
        let ids: Vec<&str> = answer.comments.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["R7-1-0002", "R7-1-0003"]);
        assert_eq!(
            store
                .answer_step(&c, &town, Step::Submit, "", "officer1", during)
                .await
                .expect("submit"),
            AnswerStatus::Submitted
        );
        assert!(
            store
                .save_answer(
                    &c,
                    &town,
                    std::slice::from_ref(&b),
                    false,
                    2,
                    "x",
                    during,
                    "edited"
                )
                .await
                .is_err()
        );
        store
            .answer_step(&c, &town, Step::Withdraw, "", "officer1", during)
            .await
            .expect("withdraw");
        store
            .answer_step(&c, &town, Step::Submit, "", "officer1", during)
            .await
            .expect("resubmit");
        let closed = t("2026-01-27 10:00");
        assert!(
            store
                .answer_step(&c, &town, Step::Withdraw, "", "officer1", closed)
                .await
                .is_err()
        );
        let progress = store.progress("R7-1").await.expect("progress");
        assert_eq!(progress.len(), 1);
        assert_eq!(
            (progress[0].status, progress[0].comments),
            (AnswerStatus::Submitted, 2)
        );
        // An empty answer cannot be submitted; 意見なし can, and not with comments.
        let village = Respondent::Body(BodyCode::parse("034827").expect("code"));
        store
            .save_answer(&c, &village, &[], false, 0, "v", during, "edited")
            .await
            .expect("empty draft");
        assert!(
            store
                .answer_step(&c, &village, Step::Submit, "", "v", during)
                .await
                .is_err()
        );
        assert!(
            store
                .save_answer(&c, &village, &[b], true, 1, "v", during, "edited")
                .await
                .is_err()
        );
        store
            .save_answer(&c, &village, &[], true, 1, "v", during, "edited")
            .await
            .expect("意見なし");
        store
            .answer_step(&c, &village, Step::Submit, "", "v", during)
            .await
            .expect("submit 意見なし");
    }
}

#[tokio::test]
async fn relayed_answers_are_returned_and_forwarded_by_the_prefecture() {
    for db in databases().await {
        let store = db.open().await;
        let draft = with_draft(&store).await;
        let relay = Routing::ThroughPrefectures {
            prefecture_deadline: t("2026-01-23 17:00"),
        };
        let p = plan(
            "R7-1",
            Audience::Prefecture(BodyCode::parse("030007").expect("iwate")),
            relay,
            "2026-01-05 10:00",
            "2026-01-30 17:00",
        );
        store
            .create_consultation(&p, fy(), "改定案", draft, "admin")
            .await
            .expect("create");
        let c = store
            .consultation("R7-1")
            .await
            .expect("read")
            .expect("exists");
        let subject = store.subject(c.subject_id).await.expect("s").expect("s");
        let town = Respondent::Body(BodyCode::parse("034614").expect("code"));
        assert!(town.relayed(&c));
        let during = t("2026-01-10 12:00");
        store
            .save_answer(
                &c,
                &town,
                &[comment(&subject, "g2", "", "意見")],
                false,
                0,
                "o",
                during,
                "edited",
            )
            .await
            .expect("save");
        store
            .answer_step(&c, &town, Step::Submit, "", "o", during)
            .await
            .expect("submit");
        assert!(
            store
                .answer_step(&c, &town, Step::Return, "", "pref", during)
                .await
                .is_err(),
            "a return needs its note"
        );
        assert_eq!(
            store
                .answer_step(
                    &c,
                    &town,
                    Step::Return,
                    "根拠を追記してください",
                    "pref",
                    during
                )
                .await
                .expect("return"),
            AnswerStatus::Returned
        );
        let answer = store
            .answer("R7-1", &town)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(answer.note, "根拠を追記してください");
        store
            .answer_step(&c, &town, Step::Submit, "", "o", during)
            .await
            .expect("resubmit");
        let late = t("2026-01-26 09:00");
        assert!(
            store
                .answer_step(&c, &town, Step::Withdraw, "", "o", late)
                .await
                .is_err(),
            "past the prefecture's deadline"
        );
        assert_eq!(
            store
                .answer_step(&c, &town, Step::Forward, "", "pref", late)
                .await
                .expect("forward"),
            AnswerStatus::Forwarded
        );
    }
}
