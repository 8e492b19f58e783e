//! The data layer against a fresh database per test, on every backend
//! under test (see `crate::testing`).

use kaitei_format::authoring::parse;
use kaitei_model::{BodyCode, Document, FlatNodes};

use crate::{DocumentRef, Store, StoreError};

use crate::testing::databases;

fn guideline(edition: &str) -> Document {
    let src = format!(
        "---\nkind: guideline\ntitle: ガイドライン\nedition: {edition}\npublished: 2025-03-28\n---\n前文。\n# 第2編 例文 {{#p2}}\n## 1. 組織体制\n> 見出しの解説\n(1) {{{{CISO職名}}}}をCISOとする。\n\n二段落目。\n① 細目\nイ 一\nロ 二\n> 一つ目\n>\n> 二つ目\n## 附則\n# 第3章 規程\n（目的）\n第1条 本文\n2 二項\n一 号\n"
    );
    let parsed = parse(&src);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.document
}

fn policy(edition: &str) -> Document {
    let src = format!(
        "---\nkind: policy\ntitle: 千代田区ポリシー\nedition: {edition}\nbody: \"131016\"\nderived_from: 令和7年3月版\nomitted: [{{from: g-9, reason: 該当なし}}]\n---\n# 1. 目的 {{#c1 from=g-1 status=modified}}\n本文\n"
    );
    let parsed = parse(&src);
    assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
    parsed.document
}

#[tokio::test]
async fn import_then_load_gives_an_equal_tree() {
    for db in databases().await {
        let store = db.open().await;
        let doc = guideline("令和7年3月版");
        let id = store.import(&doc).await.expect("import");
        let loaded = store.load(id).await.expect("load").expect("stored");
        assert_eq!(loaded, doc);
        let p = policy("令和7年度版");
        let pid = store.import(&p).await.expect("import policy");
        assert_eq!(store.load(pid).await.unwrap().unwrap(), p);
    }
}

/// A policy keeps the placeholder values its body confirmed; confirming
/// one more adds it and replaces a value given before.
#[tokio::test]
async fn confirmed_values_are_kept_with_the_policy() {
    for db in databases().await {
        let store = db.open().await;
        let mut p = policy("令和7年度版");
        p.meta.values.insert("CISO職名".into(), "副市長".into());
        let id = store.import(&p).await.expect("import");
        assert_eq!(store.load(id).await.unwrap().unwrap(), p);
        store
            .confirm_value(id, "適用機関", "市長部局\n及び教育委員会")
            .await
            .unwrap();
        store
            .confirm_value(id, "CISO職名", "総務部長")
            .await
            .unwrap();
        let values = store.load(id).await.unwrap().unwrap().meta.values;
        assert_eq!(values["CISO職名"], "総務部長");
        assert_eq!(values["適用機関"], "市長部局 及び教育委員会");
        assert_eq!(values.len(), 2);
        assert!(store.confirm_value(id + 100, "a", "b").await.is_err());
    }
}

/// A regulation keeps its number, amendments and 目次 (issue #11).
#[tokio::test]
async fn a_regulation_keeps_its_number_amendments_and_contents() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/regulations/shizukuishi.txt");
    let text = std::fs::read_to_string(path).expect("fixture");
    let doc = kaitei_format::pasted::read(&text, &kaitei_format::ReadOptions::default()).document;
    assert!(doc.meta.contents && doc.meta.number.is_some() && doc.meta.amendments.len() == 2);
    for db in databases().await {
        let store = db.open().await;
        let id = store.import(&doc).await.expect("import");
        assert_eq!(store.load(id).await.expect("load").expect("stored"), doc);
        let mut outlines = Vec::new();
        let shapes = store.outline_shapes(&[]).await.expect("shapes");
        store
            .each_outline(&[id], &shapes, |_, d| outlines.push(d.meta))
            .await
            .expect("outline");
        assert_eq!(outlines.len(), 1);
        assert_eq!(outlines[0], doc.meta);
    }
}

#[tokio::test]
async fn duplicates_are_refused_with_a_clear_message() {
    for db in databases().await {
        let store = db.open().await;
        store
            .import(&guideline("令和7年3月版"))
            .await
            .expect("first");
        let err = store.import(&guideline("令和7年3月版")).await.unwrap_err();
        assert!(matches!(err, StoreError::Duplicate(_)));
        assert!(
            err.to_string()
                .contains("guideline edition \"令和7年3月版\" is already stored"),
            "{err}"
        );
        store.import(&policy("令和7年度版")).await.expect("policy");
        let err = store.import(&policy("令和7年度版")).await.unwrap_err();
        assert!(
            err.to_string()
                .contains("body 131016 (千代田区) already has a stored policy"),
            "{err}"
        );
        store
            .import(&policy("令和8年度版"))
            .await
            .expect("another edition is fine");
        assert_eq!(store.list().await.unwrap().len(), 3);
    }
}

#[tokio::test]
async fn documents_are_found_by_reference() {
    for db in databases().await {
        let store = db.open().await;
        let g = store.import(&guideline("令和7年3月版")).await.unwrap();
        let mut older = policy("令和6年度版");
        older.meta.published = kaitei_model::Date::parse_iso("2024-04-01");
        let mut newer = policy("令和7年度版");
        newer.meta.published = kaitei_model::Date::parse_iso("2025-04-01");
        let new_id = store.import(&newer).await.unwrap();
        let old_id = store.import(&older).await.unwrap();
        let find = |s: &str| {
            let r = DocumentRef::parse(s).unwrap();
            let store = store.clone();
            async move { store.find(&r).await.unwrap() }
        };
        assert_eq!(find("令和7年3月版").await, Some(g));
        assert_eq!(find("131016@令和6年度版").await, Some(old_id));
        assert_eq!(
            find("131016").await,
            Some(new_id),
            "current = latest published"
        );
        assert_eq!(find("令和9年版").await, None);
        assert_eq!(find("130001").await, None);
    }
}

#[tokio::test]
async fn bodies_are_stored_and_the_file_survives_reopening() {
    for db in databases().await {
        let url = db.url.clone();
        {
            let store = Store::open(&url).await.unwrap();
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bodies")
                .fetch_one(&store.pool)
                .await
                .unwrap();
            assert_eq!(n, 1788);
            store.import(&guideline("令和7年3月版")).await.unwrap();
            store.close().await;
        }
        let store = Store::open(&url).await.unwrap();
        let list = store.list().await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].edition, "令和7年3月版");
        assert_eq!(list[0].node_count, 11);
        if store.backend() == crate::Backend::Sqlite {
            let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
                .fetch_one(&store.pool)
                .await
                .unwrap();
            assert_eq!(mode, "wal");
        }
    }
}

#[tokio::test]
async fn a_policy_without_a_body_is_refused_and_nothing_is_written() {
    for db in databases().await {
        let store = db.open().await;
        let mut p = policy("x");
        p.meta.body = None;
        assert!(matches!(
            store.import(&p).await,
            Err(StoreError::Invalid(_))
        ));
        assert!(store.list().await.unwrap().is_empty());
        // A failure inside the transaction leaves nothing behind either.
        let mut bad = policy("y");
        bad.meta.body = BodyCode::parse("011011").ok();
        assert!(
            store.import(&bad).await.is_err(),
            "011011 is not in bodies (foreign key)"
        );
        assert!(store.list().await.unwrap().is_empty());
    }
}

/// The store packs rows and fields with U+001E and U+001F and escapes
/// neither: a text that holds one is refused, with nothing written.
#[tokio::test]
async fn a_text_holding_a_separator_is_refused_and_nothing_is_written() {
    for db in databases().await {
        let store = db.open().await;
        for separator in ['\u{1e}', '\u{1f}'] {
            let mut p = policy("x");
            p.children[0].paragraphs[0] = format!("本{separator}文");
            let refused = store.import(&p).await;
            assert!(
                matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("U+001E or U+001F")),
                "{refused:?}"
            );
            assert!(store.list().await.unwrap().is_empty());
        }
        // The same text without it is stored and read back whole.
        let p = policy("x");
        let id = store.import(&p).await.expect("import");
        assert_eq!(store.load(id).await.unwrap().unwrap(), p);
    }
}

#[tokio::test]
async fn unsupported_urls_are_named() {
    let err = Store::open("mysql://x").await.unwrap_err();
    assert!(err.to_string().contains("unsupported database URL"));
}

mod accounts {
    use crate::testing::databases;
    use crate::{LoginError, MAX_FAILURES, Role, StoreError};
    use kaitei_model::BodyCode;

    #[tokio::test]
    async fn login_sessions_and_disabling() {
        for db in databases().await {
            let store = db.open().await;
            let chiyoda = BodyCode::parse("131016").ok();
            store
                .add_user("chiyoda", "correct horse battery", Role::Body, chiyoda)
                .await
                .unwrap();
            let user = store
                .check_login("chiyoda", "correct horse battery")
                .await
                .unwrap()
                .unwrap();
            assert_eq!((user.role, user.body), (Role::Body, chiyoda));
            assert_eq!(
                store
                    .check_login("chiyoda", "wrong password!!")
                    .await
                    .unwrap(),
                Err(LoginError::Wrong)
            );
            assert_eq!(
                store
                    .check_login("nobody", "whatever password")
                    .await
                    .unwrap(),
                Err(LoginError::Wrong)
            );
            let (token, csrf) = store.start_session(user.id).await.unwrap();
            let (again, csrf2) = store.session(&token).await.unwrap().expect("live");
            assert_eq!((again.id, csrf2), (user.id, csrf));
            assert!(store.session("forged").await.unwrap().is_none());
            store.set_disabled("chiyoda", true).await.unwrap();
            assert!(
                store.session(&token).await.unwrap().is_none(),
                "disabling ends sessions"
            );
            assert_eq!(
                store
                    .check_login("chiyoda", "correct horse battery")
                    .await
                    .unwrap(),
                Err(LoginError::Wrong)
            );
            store.set_disabled("chiyoda", false).await.unwrap();
            let (token, _) = store.start_session(user.id).await.unwrap();
            store.end_session(&token).await.unwrap();
            assert!(store.session(&token).await.unwrap().is_none());
        }
    }

    #[tokio::test]
    async fn repeated_failures_are_throttled() {
        for db in databases().await {
            let store = db.open().await;
            store
                .add_user("admin", "a long enough secret", Role::Admin, None)
                .await
                .unwrap();
            for _ in 0..MAX_FAILURES {
                assert_eq!(
                    store
                        .check_login("admin", "guess guess guess")
                        .await
                        .unwrap(),
                    Err(LoginError::Wrong)
                );
            }
            assert_eq!(
                store
                    .check_login("admin", "a long enough secret")
                    .await
                    .unwrap(),
                Err(LoginError::Throttled),
                "even the right password waits out the window"
            );
        }
    }

    #[tokio::test]
    async fn accounts_are_checked() {
        for db in databases().await {
            let store = db.open().await;
            let short = store
                .add_user("x", "short", Role::Admin, None)
                .await
                .unwrap_err();
            assert!(short.to_string().contains("at least 12"));
            let no_body = store
                .add_user("x", "long enough password", Role::Body, None)
                .await
                .unwrap_err();
            assert!(no_body.to_string().contains("needs --body"));
            let city = BodyCode::parse("011002").ok();
            let not_pref = store
                .add_user("x", "long enough password", Role::Prefecture, city)
                .await
                .unwrap_err();
            assert!(not_pref.to_string().contains("not a prefecture"));
            store
                .add_user("x", "long enough password", Role::Committee, None)
                .await
                .unwrap();
            assert!(matches!(
                store
                    .add_user("x", "long enough password", Role::Committee, None)
                    .await,
                Err(StoreError::Duplicate(_))
            ));
        }
    }
}

#[tokio::test]
async fn two_character_words_are_found() {
    for db in databases().await {
        let store = db.open().await;
        store.import(&guideline("令和7年3月版")).await.unwrap();
        let mut src = policy("令和7年度版");
        src.children[0].paragraphs = vec!["内部監査を毎年度行う。".into()];
        store.import(&src).await.unwrap();
        let all = |_: kaitei_model::DocumentKind, _: Option<BodyCode>, _: bool| true;
        let hits = store.search("監査", all).await.unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].text, "内部監査を毎年度行う。");
        // Width variants match, documents the caller may not see do not.
        assert_eq!(store.search("ＣＩＳＯ", all).await.unwrap().len(), 1);
        let no_policies = |k: kaitei_model::DocumentKind, _: Option<BodyCode>, _: bool| {
            k == kaitei_model::DocumentKind::Guideline
        };
        assert!(store.search("監査", no_policies).await.unwrap().is_empty());
        assert!(matches!(
            store.search("監", all).await,
            Err(StoreError::Invalid(_))
        ));
    }
}

#[tokio::test]
async fn edits_keep_history_and_survive_reopening() {
    for db in databases().await {
        let url = db.url.clone();
        let id = {
            let store = Store::open(&url).await.unwrap();
            let id = store.import(&policy("令和7年度版")).await.unwrap();
            // Based on a version that is no longer the latest: refused.
            assert!(matches!(
                store
                    .edit_clause_checked(id, "c1", &["x".to_string()], "shiwa", 1)
                    .await,
                Err(StoreError::Stale(_))
            ));
            store
                .edit_clause_checked(id, "c1", &["本町独自の文言。".to_string()], "shiwa", 0)
                .await
                .unwrap();
            assert!(
                store
                    .edit_clause_checked(id, "c1", &[String::new()], "shiwa", 1)
                    .await
                    .is_err()
            );
            assert!(
                store
                    .edit_clause_checked(id, "nope", &["x".to_string()], "shiwa", 0)
                    .await
                    .is_err()
            );
            store.close().await;
            id
        };
        let store = Store::open(&url).await.unwrap();
        let doc = store.load(id).await.unwrap().unwrap();
        assert_eq!(doc.children[0].paragraphs, ["本町独自の文言。"]);
        assert_eq!(doc.children[0].status, Some(kaitei_model::Status::Modified));
        let history = store.clause_history(id, "c1").await.unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].text, "本文");
        assert_eq!(history[0].edited_by, "shiwa");
    }
}

/// Hits come newest document first, guideline editions before policies,
/// each with its label path and the title it sits under; a limit says
/// whether there were more.
#[tokio::test]
async fn hits_are_newest_first_with_their_place() {
    for db in databases().await {
        let store = db.open().await;
        let mut older = guideline("令和6年10月版");
        older.meta.published = kaitei_model::Date::parse_iso("2024-10-01");
        // Stored after the newer one: the date decides, not the import.
        store.import(&guideline("令和7年3月版")).await.unwrap();
        let mut src = policy("令和7年度版");
        src.children[0].paragraphs = vec!["CISOを置く。".into()];
        store.import(&src).await.unwrap();
        store.import(&older).await.unwrap();
        let all = |_: kaitei_model::DocumentKind, _: Option<BodyCode>, _: bool| true;
        let hits = store.search("CISO", all).await.unwrap();
        let order: Vec<&str> = hits.iter().map(|h| h.edition.as_str()).collect();
        assert_eq!(order, ["令和7年3月版", "令和6年10月版", "令和7年度版"]);
        assert_eq!(hits[0].path, ["第2編", "1.", "(1)"]);
        assert_eq!(hits[0].section.as_deref(), Some("組織体制"));
        assert_eq!(hits[2].path, ["1."]);
        assert_eq!(hits[2].title.as_deref(), Some("目的"));
        let (first, more) = store.search_up_to("CISO", all, 2).await.unwrap();
        assert_eq!((first.len(), more), (2, true));
        let (every, more) = store.search_up_to("CISO", all, 3).await.unwrap();
        assert_eq!((every.len(), more), (3, false));
    }
}

#[tokio::test]
async fn a_word_an_edit_brings_is_found() {
    for db in databases().await {
        let store = db.open().await;
        let id = store.import(&policy("令和7年度版")).await.unwrap();
        let all = |_: kaitei_model::DocumentKind, _: Option<BodyCode>, _: bool| true;
        assert!(store.search("暗号", all).await.unwrap().is_empty());
        store
            .edit_clause_checked(id, "c1", &["通信は暗号化する。".to_string()], "shiwa", 0)
            .await
            .unwrap();
        let hits = store.search("暗号", all).await.unwrap();
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].text, "通信は暗号化する。");
    }
}

#[tokio::test]
async fn review_decisions_are_kept_replaced_and_cleared_by_adopting() {
    use crate::StoredDecision;
    use kaitei_model::{Decision, DecisionKind};
    for db in databases().await {
        let url = db.url.clone();
        let decision = |key: &str, d: &str, text: &[&str]| StoredDecision {
            key: key.into(),
            decision: Decision::new(
                DecisionKind::parse(d).expect("a decision word"),
                text.iter().map(|s| s.to_string()).collect(),
            ),
            decided_by: "shiwa".into(),
        };
        let id = {
            let store = Store::open(&url).await.unwrap();
            let id = store.import(&policy("令和7年度版")).await.unwrap();
            store
                .decide(id, "令和8年版", &decision("c1", "keep", &[]))
                .await
                .unwrap();
            store
                .decide(
                    id,
                    "令和8年版",
                    &decision("c1", "edit", &["新しい文言。", "二段落。"]),
                )
                .await
                .unwrap();
            let empty = store
                .decide(id, "令和8年版", &decision("c1", "edit", &[" "]))
                .await;
            assert!(matches!(empty, Err(StoreError::Invalid(_))));
            store.close().await;
            id
        };
        // Saved means saved: a new connection finds the last decision.
        let store = Store::open(&url).await.unwrap();
        let found = store.decisions(id, "令和8年版").await.unwrap();
        assert_eq!(
            found,
            [decision("c1", "edit", &["新しい文言。", "二段落。"])]
        );
        assert!(store.decisions(id, "他の版").await.unwrap().is_empty());
        // A word kaitei does not know cannot even be written behind its
        // back (the schema checks it); reading one is an error, never some
        // decision (`DecisionKind::parse`).
        let behind_its_back = sqlx::query(
            "INSERT INTO merge_decisions (document_id, edition, node_key, decision, body_text, decided_by, decided_at) \
             VALUES ($1, '不明な版', 'c1', 'maybe', '', 'x', '0')",
        )
        .bind(id)
        .execute(&store.pool)
        .await;
        assert!(behind_its_back.is_err());

        // The clause had one edit before the review: its history comes along.
        store
            .edit_clause_checked(id, "c1", &["本文".to_string()], "shiwa", 0)
            .await
            .unwrap();
        let mut reviewed = store.load(id).await.unwrap().unwrap();
        reviewed.children[0].paragraphs = vec!["新しい文言。".into(), "二段落。".into()];
        reviewed.meta.derived_from = Some("令和8年版".into());
        reviewed.meta.edition = "令和8年度版".into();
        reviewed.meta.published = kaitei_model::Date::new(2026, 4, 1);
        reviewed.meta.omitted.clear();
        let edits = store.edit_count(id).await.unwrap();
        // Based on an edition it no longer follows, or before another edit: refused.
        for stale in [("令和6年10月版", edits), ("令和7年3月版", edits + 1)] {
            let refused = store.adopt_reviewed(id, &reviewed, "shiwa", stale).await;
            assert!(matches!(refused, Err(StoreError::Stale(_))), "{stale:?}");
        }
        // A version name the body has used already: refused, saying so.
        let mut same_name = reviewed.clone();
        same_name.meta.edition = "令和7年度版".into();
        let refused = store
            .adopt_reviewed(id, &same_name, "shiwa", ("令和7年3月版", edits))
            .await;
        assert!(
            matches!(refused, Err(StoreError::Duplicate(_))),
            "{refused:?}"
        );
        let before = store.load(id).await.unwrap().unwrap();
        assert_ne!(before, reviewed, "nothing written");
        let revised = store
            .adopt_reviewed(id, &reviewed, "shiwa", ("令和7年3月版", edits))
            .await
            .unwrap();
        assert_ne!(revised, id, "a new revision");
        assert_eq!(
            store.revision_of(revised).await.unwrap(),
            Some((id, "令和7年度版".to_string()))
        );
        assert_eq!(store.revision_of(id).await.unwrap(), None);
        // The revision is the body's current policy; the one it was made
        // from is kept as it was, and no longer edited or decided on.
        assert_eq!(
            store
                .current_policy(
                    BodyCode::parse("131016").unwrap(),
                    crate::PolicyScope::Latest
                )
                .await
                .unwrap(),
            Some(revised)
        );
        assert_eq!(store.load(id).await.unwrap().unwrap(), before);
        assert_eq!(store.load(revised).await.unwrap().unwrap(), reviewed);
        let late_edit = store
            .edit_clause_checked(id, "c1", &["遅れた編集。".to_string()], "shiwa", 1)
            .await;
        assert!(
            matches!(late_edit, Err(StoreError::Stale(_))),
            "{late_edit:?}"
        );
        let late_decision = store
            .decide(id, "令和9年版", &decision("c1", "keep", &[]))
            .await;
        assert!(matches!(late_decision, Err(StoreError::Stale(_))));
        // Adopting twice is refused: it was revised already.
        let mut again = reviewed.clone();
        again.meta.edition = "令和8年度版の2".into();
        let again = store
            .adopt_reviewed(id, &again, "shiwa", ("令和7年3月版", edits))
            .await;
        assert!(matches!(again, Err(StoreError::Stale(_))));
        assert!(store.decisions(id, "令和8年版").await.unwrap().is_empty());
        // The clause's history: the edit before, then what adopting replaced.
        let history = store.clause_history(revised, "c1").await.unwrap();
        assert_eq!(history.len(), 2, "{history:?}");
        assert_eq!(history[0].text, "本文");
        assert_eq!(history[0].version, 2);
        assert_eq!(history[1].version, 1);
        // The revision is found by its words.
        let all = |_: kaitei_model::DocumentKind, _: Option<BodyCode>, _: bool| true;
        assert_eq!(store.search("文言", all).await.unwrap().len(), 1);
    }
}

/// A national run's packed outlines hold what a full load does, but text:
/// keys, labels, provenance and the tree (both backends pack differently);
/// the nodes derived from the guideline clauses asked for carry their
/// words too.
#[tokio::test]
async fn outlines_agree_with_full_loads() {
    for db in databases().await {
        let store = db.open().await;
        let src = "---\nkind: policy\ntitle: 千代田区ポリシー\nedition: 令和7年度版\nbody: \"131016\"\nderived_from: 令和7年3月版\nomitted: [{from: g-9, reason: 該当なし}]\n---\n# 第1章 総則 {#c1 from=g-1 status=modified}\n（目的）\n第1条 本文\n2 二項 {#c2 from=g-2 status=adopted}\n一 号\n## 第1節 題\n(1) 細目\n";
        let parsed = parse(src);
        assert!(!parsed.has_errors(), "{:?}", parsed.diagnostics);
        let id = store.import(&parsed.document).await.unwrap();
        let other = store.import(&policy("令和8年度版")).await.unwrap();
        let full = store.load(id).await.unwrap().unwrap();
        let words = ["g-2".to_string()];
        let shapes = store.outline_shapes(&words).await.unwrap();
        let mut seen = Vec::new();
        store
            .each_outline(&[other, id], &shapes, |slot, outline| {
                seen.push((slot, outline))
            })
            .await
            .unwrap();
        seen.sort_by_key(|s| s.0);
        assert_eq!(seen.len(), 2);
        let outline = &seen[1].1;
        assert_eq!(outline.meta.omitted, full.meta.omitted);
        let shape = |d: &FlatNodes| -> Vec<(String, Option<String>, Option<String>, String)> {
            d.iter()
                .map(|(i, n)| {
                    (
                        n.key.to_string(),
                        n.label.as_ref().map(|x| x.written().to_string()),
                        n.from.as_ref().map(|k| k.to_string()),
                        d.path(i),
                    )
                })
                .collect()
        };
        let nodes = outline.nodes(&shapes).unwrap();
        let whole = FlatNodes::of(&full.children);
        assert_eq!(shape(&nodes), shape(&whole), "{}", db.url);
        let mut with_words = 0;
        for ((_, n), (_, w)) in nodes.iter().zip(whole.iter()) {
            if n.from.as_ref().is_some_and(|f| f.as_str() == "g-2") {
                with_words += 1;
                assert_eq!((&n.title, &n.paragraphs), (&w.title, &w.paragraphs));
            } else {
                assert!(n.paragraphs.is_empty(), "no text: {n:?}");
            }
        }
        assert_eq!(with_words, 1, "{}", db.url);
    }
}

/// A database a newer kaitei upgraded is refused with a message that says
/// so, on both backends and by both openings; one at the binary's own
/// version opens.
#[tokio::test]
async fn a_schema_newer_than_the_binary_is_refused() {
    for db in crate::testing::databases().await {
        let store = db.open().await;
        assert!(
            Store::open(&db.url).await.is_ok(),
            "the same version opens again"
        );
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the future', TRUE, $1, 0)",
        )
        .bind(vec![0u8; 48])
        .execute(&store.pool)
        .await
        .unwrap();
        store.pool.close().await;
        match Store::open(&db.url).await {
            Err(e @ StoreError::NewerSchema { found: 9999, .. }) => {
                assert!(e.to_string().contains("newer than this kaitei"), "{e}");
            }
            Err(other) => panic!("{}: {other}", db.url),
            Ok(_) => panic!("{}: opened a schema from the future", db.url),
        }
        // `kaitei migrate` of an older binary cannot "upgrade" it either.
        assert!(
            matches!(
                Store::open_migrating(&db.url).await,
                Err(StoreError::NewerSchema { found: 9999, .. })
            ),
            "{}",
            db.url
        );
    }
}
