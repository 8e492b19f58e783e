//! Search against an oracle: every document loaded and read clause by
//! clause, on a guideline edition and enough policies that some are
//! indexed and some wait (texts and shapes are indexed a batch at a time),
//! then with everything indexed, and walking the documents instead of
//! looking the nodes up — the same hits, in the same order, every way.

use kaitei_format::authoring::parse;
use kaitei_model::text::normalize;
use kaitei_model::{BodyCode, Document, DocumentKind, Node, registry};

use crate::corpus::TEXT_BUDGET;
use crate::testing::databases;
use crate::{Hit, Store};

/// The real guideline edition of the fixtures.
fn edition() -> Document {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/guideline/r6-10.md"
    );
    let parsed = parse(&std::fs::read_to_string(path).expect("the fixture"));
    assert!(!parsed.has_errors());
    parsed.document
}

/// Body `n`'s policy: the edition's text, every clause `n` picks in its
/// own words (some with a word of its own, some with 監査), some dropped.
fn policy(guideline: &Document, n: usize, body: BodyCode) -> Document {
    fn visit(nodes: &mut Vec<Node>, n: usize, at: &mut usize) {
        nodes.retain(|_| {
            *at += 1;
            !(*at + n).is_multiple_of(41)
        });
        for node in nodes.iter_mut() {
            *at += 1;
            if (*at * 7 + n).is_multiple_of(13) && !node.paragraphs.is_empty() {
                node.paragraphs[0] = format!("本団体{n}独自の定め{}。監査を行う。", *at % 5);
            } else if (*at + n).is_multiple_of(17) && !node.paragraphs.is_empty() {
                node.paragraphs
                    .push(format!("第{n}号の措置として、情報資産を点検する。"));
            }
            visit(&mut node.children, n, at);
        }
    }
    let mut doc = guideline.clone();
    doc.meta.kind = DocumentKind::Policy;
    doc.meta.body = Some(body);
    doc.meta.edition = "令和7年度版".into();
    doc.meta.derived_from = Some(guideline.meta.edition.clone());
    visit(&mut doc.children, n, &mut 0);
    doc
}

/// The hits as the documented order has them, read from whole documents.
fn oracle(
    docs: &[(i64, Document, bool)],
    query: &str,
    visible: impl Fn(DocumentKind, Option<BodyCode>, bool) -> bool,
) -> Vec<(i64, String, String, Vec<String>)> {
    let needle: String = normalize(query)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let holds = |s: &str| {
        normalize(s)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .contains(&needle)
    };
    let mut order: Vec<&(i64, Document, bool)> = docs
        .iter()
        .filter(|(_, d, public)| visible(d.meta.kind, d.meta.body, *public))
        .collect();
    order.sort_by(|(a_id, a, _), (b_id, b, _)| {
        let rank = |d: &Document| u8::from(d.meta.kind != DocumentKind::Guideline);
        rank(a)
            .cmp(&rank(b))
            .then_with(|| a.meta.body.cmp(&b.meta.body))
            .then_with(|| b.meta.published.cmp(&a.meta.published))
            .then_with(|| b_id.cmp(a_id))
    });
    fn walk<'a>(nodes: &'a [Node], path: &mut Vec<String>, out: &mut Vec<(&'a Node, Vec<String>)>) {
        for n in nodes {
            let segment = n
                .label
                .as_ref()
                .map(|l| l.written().to_string())
                .or_else(|| n.title.clone())
                .unwrap_or_default();
            path.push(segment);
            out.push((n, path.clone()));
            walk(&n.children, path, out);
            path.pop();
        }
    }
    let mut hits = Vec::new();
    for (id, doc, _) in order {
        let mut nodes = Vec::new();
        walk(&doc.children, &mut Vec::new(), &mut nodes);
        for (node, path) in nodes {
            let found = node
                .title
                .iter()
                .chain(&node.paragraphs)
                .chain(&node.commentary)
                .find(|s| holds(s));
            if let Some(text) = found {
                hits.push((*id, node.key.as_str().to_string(), text.clone(), path));
            }
        }
    }
    hits
}

fn seen(hits: &[Hit]) -> Vec<(i64, String, String, Vec<String>)> {
    hits.iter()
        .map(|h| (h.document_id, h.key.clone(), h.text.clone(), h.path.clone()))
        .collect()
}

/// Every way a search can go: every text kept in memory, or none (each
/// found through the bigram index, including those not indexed yet).
const ROUTES: [(usize, &str); 2] = [
    (TEXT_BUDGET, "texts in memory"),
    (0, "texts through the index"),
];

const QUERIES: [&str; 7] = [
    "監査",
    "情報",
    "情報セキュリティ",
    "ＣＩＳＯ",
    "本団体7独自",
    "第12号の措置",
    "該当する語なし",
];

type View = Box<dyn Fn(DocumentKind, Option<BodyCode>, bool) -> bool>;

/// Everyone's view and one body's (the guideline, its own, the public).
fn views(docs: &[(i64, Document, bool)]) -> [(&'static str, View); 2] {
    let own = docs[3].1.meta.body;
    [
        ("everyone's", Box::new(|_, _, _| true)),
        (
            "a body's",
            Box::new(move |k, b, public| k == DocumentKind::Guideline || b == own || public),
        ),
    ]
}

type Expected = Vec<Vec<(i64, String, String, Vec<String>)>>;

/// Every query, every view, limits small and large: as the oracle said.
async fn agrees(
    store: &Store,
    docs: &[(i64, Document, bool)],
    expected: &Expected,
    routes: usize,
    stage: &str,
) {
    let views = views(docs);
    let mut cases = expected.iter();
    for query in QUERIES {
        for (view, visible) in &views {
            let expected = cases.next().expect("an expectation per case");
            for limit in [3, 2000] {
                let (hits, more) = store
                    .search_with(query, visible, limit, routes)
                    .await
                    .unwrap();
                let want: Vec<_> = expected.iter().take(limit).cloned().collect();
                assert_eq!(
                    seen(&hits),
                    want,
                    "{stage}: {query} ({view} view, limit {limit})"
                );
                assert_eq!(more, expected.len() > limit, "{stage}: {query} more");
            }
        }
    }
}

#[tokio::test]
async fn every_way_of_searching_finds_what_reading_every_document_finds() {
    let guideline = edition();
    let bodies: Vec<BodyCode> = registry().all().iter().map(|b| b.code).take(52).collect();
    for db in databases().await {
        let store = db.open().await;
        let mut docs = Vec::new();
        let id = store.import(&guideline).await.unwrap();
        docs.push((id, guideline.clone(), false));
        for (n, body) in bodies.iter().enumerate() {
            let p = policy(&guideline, n, *body);
            let public = n % 3 == 0;
            let id = store.import(&p).await.unwrap();
            if public {
                sqlx::query("UPDATE documents SET made_public = 1 WHERE id = $1")
                    .bind(id)
                    .execute(&store.pool)
                    .await
                    .unwrap();
            }
            docs.push((id, p, public));
        }
        let expected: Expected = QUERIES
            .iter()
            .flat_map(|q| views(&docs).map(|(_, v)| oracle(&docs, q, v)))
            .collect();
        assert!(expected[0].len() > 100, "監査 is common");
        assert!(
            !expected[8].is_empty() && expected[8].len() * 10 < expected[0].len(),
            "one body's own words are rarer: {} against {}",
            expected[8].len(),
            expected[0].len()
        );
        let (pending,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM documents WHERE indexed = 0")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        if store.backend() == crate::Backend::Sqlite {
            assert!(
                pending > 0 && pending < docs.len() as i64,
                "{pending} of {} waiting",
                docs.len()
            );
        } else {
            // PostgreSQL indexes a document's shapes as it is written.
            assert_eq!(pending, 0);
        }
        for (routes, how) in ROUTES {
            // A store of its own: what another kept in memory is used
            // whatever the budget.
            let store = db.open().await;
            agrees(
                &store,
                &docs,
                &expected,
                routes,
                &format!("some waiting, {how}"),
            )
            .await;
        }
        store.index_now().await.unwrap();
        let (pending,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM texts WHERE indexed = 0")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(pending, 0);
        for (routes, how) in ROUTES {
            // A store of its own: what another kept in memory is used
            // whatever the budget.
            let store = db.open().await;
            agrees(
                &store,
                &docs,
                &expected,
                routes,
                &format!("all indexed, {how}"),
            )
            .await;
        }
    }
}

/// A search's documents are kept in memory by every server: an edit made
/// through another store (another server) is found by the next search,
/// and the old words no more.
#[tokio::test]
async fn an_edit_through_another_server_is_found_by_the_next_search() {
    let guideline = edition();
    let body = registry().all()[0].code;
    for db in databases().await {
        let editor = db.open().await;
        let searcher = db.open().await;
        editor.import(&guideline).await.unwrap();
        let p = policy(&guideline, 1, body);
        let id = editor.import(&p).await.unwrap();
        // A clause whose only mention of 暗号化 is in its text.
        fn mentioning(nodes: &[Node]) -> Option<&Node> {
            nodes.iter().find_map(|n| {
                let own = n.title.is_none()
                    && n.commentary.iter().all(|c| !c.contains("暗号化"))
                    && n.paragraphs.iter().any(|p| p.contains("暗号化"));
                if own {
                    Some(n)
                } else {
                    mentioning(&n.children)
                }
            })
        }
        let key = mentioning(&p.children)
            .expect("the policy speaks of 暗号化")
            .key
            .to_string();
        let everyone = |_: DocumentKind, _: Option<BodyCode>, _: bool| true;
        let before = searcher
            .search_up_to("暗号化", everyone, 2000)
            .await
            .unwrap()
            .0;
        assert!(before.iter().any(|h| h.document_id == id && h.key == key));
        assert!(
            searcher
                .search("珍語甲乙", everyone)
                .await
                .unwrap()
                .is_empty()
        );
        let base = editor.clause_history(id, &key).await.unwrap().len() as i64;
        editor
            .edit_clause_checked(
                id,
                &key,
                &["珍語甲乙を定める。".to_string()],
                "editor",
                base,
            )
            .await
            .unwrap();
        let after = searcher.search("珍語甲乙", everyone).await.unwrap();
        assert_eq!(
            after
                .iter()
                .map(|h| (h.document_id, h.key.as_str()))
                .collect::<Vec<_>>(),
            vec![(id, key.as_str())],
            "{}",
            db.url
        );
        assert!(
            !searcher
                .search_up_to("暗号化", everyone, 2000)
                .await
                .unwrap()
                .0
                .iter()
                .any(|h| h.document_id == id && h.key == key),
            "the old text is no more found in {key}"
        );
    }
}

/// The documents' packed row: a missing date or body told from an empty
/// one, an unknown kind skipped, a record not as packed refused (the rows
/// are then read one by one).
#[test]
fn a_packed_document_record_reads_back_or_is_refused() {
    use crate::search::unpack_document;
    let guideline =
        unpack_document("7\u{1f}guideline\u{1f}令和7年3月版\u{1f}=2025-03-28\u{1f}\u{1f}0\u{1f}2")
            .expect("as packed")
            .expect("a known kind");
    assert_eq!(
        (
            guideline.id,
            guideline.edition.as_str(),
            guideline.published.as_deref()
        ),
        (7, "令和7年3月版", Some("2025-03-28"))
    );
    assert_eq!(
        (guideline.body, guideline.public, guideline.revision),
        (None, false, 2)
    );
    let policy = unpack_document("9\u{1f}policy\u{1f}令和7年度版\u{1f}\u{1f}=032018\u{1f}1\u{1f}0")
        .expect("as packed")
        .expect("a known kind");
    assert_eq!(policy.published, None);
    assert_eq!(
        policy.body.map(|b| b.to_string()),
        Some("032018".to_string())
    );
    assert!(policy.public);
    assert!(
        unpack_document("9\u{1f}draft\u{1f}x\u{1f}\u{1f}\u{1f}0\u{1f}0")
            .expect("as packed")
            .is_none()
    );
    // An edition holding the separator: one field too many.
    assert!(
        unpack_document("9\u{1f}policy\u{1f}a\u{1f}b\u{1f}\u{1f}=032018\u{1f}1\u{1f}0").is_none()
    );
    assert!(
        unpack_document("9\u{1f}policy\u{1f}x\u{1f}2025\u{1f}\u{1f}0\u{1f}0").is_none(),
        "a date without its mark"
    );
}
