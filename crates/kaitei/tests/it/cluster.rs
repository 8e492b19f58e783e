//! `kaitei consult cluster`: the contract of issue 13 — same array, same
//! order, fields kept in their order, an integer `cluster` from 1 in order
//! of first appearance, a partition that does not depend on the input's
//! order, errors naming the element, no database.

use serde_json::Value;

use crate::{kaitei_in, path_str};

/// Comments on two clauses: two concerns in several wordings on k1 (one
/// near-identical to the other), and the first wording again on k2.
const COMMENTS: &str = r#"[
  {"id": "c1", "body": "011002", "clause": "k1", "text": "本市としては、研修の実施頻度の目安を示して頂きたい。", "extra": {"z": 1, "a": 2}},
  {"text": "研修の実施方法の例を示して頂きたい。", "cluster": 99, "id": "c2", "clause": "k1"},
  {"id": "c3", "clause": "k1", "text": "当町では，研修の実施頻度の目安を明示していただきたい。よろしくお願いします。"},
  {"id": "c4", "clause": "k2", "text": "研修の実施頻度の目安を示して頂きたい。"},
  {"id": "c5", "clause": "k1", "text": "本県では、研修の実施方法の事例を示していただきたい。ご検討願います。"},
  {"id": "c6", "text": "研修の実施頻度の目安を示してほしい。", "clause": ["第2編", "3.3", "(3)"]},
  {"id": "c7", "text": "研修の実施頻度の目安を示されたい。", "clause": "第2編 3.3 (3)"}
]"#;

fn run_on(json: &str, extra: &[&str]) -> (crate::Run, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("comments.json");
    std::fs::write(&file, json).unwrap();
    let mut args = vec!["consult", "cluster", path_str(&file)];
    args.extend_from_slice(extra);
    let run = kaitei_in(dir.path(), &args);
    (run, dir)
}

fn clusters_by_id(out: &str) -> Vec<(String, u64)> {
    let v: Value = serde_json::from_str(out).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["cluster"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn adds_clusters_in_order_of_first_appearance_keeping_everything_else() {
    let (run, dir) = run_on(COMMENTS, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let got = clusters_by_id(&run.stdout);
    let want = [
        ("c1", 1),
        ("c2", 2),
        ("c3", 1),
        ("c4", 3),
        ("c5", 2),
        ("c6", 4),
        ("c7", 4),
    ];
    let want: Vec<(String, u64)> = want.iter().map(|(i, c)| (i.to_string(), *c)).collect();
    assert_eq!(got, want);
    // Fields in their order; `cluster` added at the end, or replaced where
    // it was; nested objects as they were.
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let keys = |i: usize| -> Vec<&str> {
        v[i].as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect()
    };
    assert_eq!(
        keys(0),
        ["id", "body", "clause", "text", "extra", "cluster"]
    );
    assert_eq!(keys(1), ["text", "cluster", "id", "clause"]);
    let extra: Vec<&str> = v[0]["extra"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(extra, ["z", "a"]);
    assert_eq!(v[0]["body"], "011002");
    assert!(
        run.stderr.contains("7 comments in 4 clusters"),
        "{}",
        run.stderr
    );
    // Offline: no database was made.
    assert!(!dir.path().join("kaitei.db").exists());
}

#[test]
fn the_partition_does_not_depend_on_the_order_of_the_input() {
    let (run, _d) = run_on(COMMENTS, &[]);
    let first = partition(&clusters_by_id(&run.stdout));
    let items: Vec<Value> = serde_json::from_str(COMMENTS).unwrap();
    for order in [
        [6, 5, 4, 3, 2, 1, 0],
        [3, 0, 5, 1, 6, 2, 4],
        [4, 6, 1, 3, 0, 2, 5],
    ] {
        let shuffled: Vec<&Value> = order.iter().map(|&i| &items[i]).collect();
        let (run, _d) = run_on(&serde_json::to_string(&shuffled).unwrap(), &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let got = clusters_by_id(&run.stdout);
        // Same order as given, numbered by first appearance.
        let ids: Vec<&str> = got.iter().map(|(i, _)| i.as_str()).collect();
        let want: Vec<String> = order.iter().map(|i| format!("c{}", i + 1)).collect();
        assert_eq!(ids, want);
        assert_eq!(got[0].1, 1);
        assert_eq!(partition(&got), first, "{order:?}");
    }
}

fn partition(got: &[(String, u64)]) -> std::collections::BTreeSet<Vec<String>> {
    let mut groups: std::collections::BTreeMap<u64, Vec<String>> = Default::default();
    for (id, c) in got {
        groups.entry(*c).or_default().push(id.clone());
    }
    groups
        .into_values()
        .map(|mut g| {
            g.sort();
            g
        })
        .collect()
}

#[test]
fn an_empty_array_gives_an_empty_array_and_output_goes_to_a_file() {
    let (run, _d) = run_on("[]", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        serde_json::from_str::<Value>(&run.stdout).unwrap(),
        Value::Array(vec![])
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.json");
    let (run, _d) = run_on(COMMENTS, &["-o", path_str(&out)]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(clusters_by_id(&written).len(), 7);
}

#[test]
fn bad_input_is_refused_with_exit_2_naming_the_element() {
    for (json, says) in [
        (
            r#"[{"text": "a"}, {"text": "b"}, {"id": "x"}]"#,
            "element 2: no \"text\"",
        ),
        (
            r#"[{"text": "a"}, {"text": 3}]"#,
            "element 1: \"text\" must be a string, found a number",
        ),
        (
            r#"[{"text": null}]"#,
            "element 0: \"text\" must be a string, found null",
        ),
        (
            r#"["just text"]"#,
            "element 0: expected an object, found a string",
        ),
        (
            r#"[{"text": "a", "clause": 7}]"#,
            "element 0: \"clause\" must be a string",
        ),
        (
            r#"{"text": "a"}"#,
            "expected a JSON array of comments, found an object",
        ),
        ("[{\"text\": \"a\"", "not JSON"),
        ("本市としては", "not JSON"),
    ] {
        let (run, _d) = run_on(json, &[]);
        assert_eq!(run.code, 2, "{json}: {}", run.stderr);
        assert!(run.stderr.starts_with("kaitei: "), "{}", run.stderr);
        assert!(run.stderr.contains(says), "{json}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    let run = kaitei_in(
        tempfile::tempdir().unwrap().path(),
        &["consult", "cluster", "missing.json"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("missing.json: cannot read"),
        "{}",
        run.stderr
    );
}

#[test]
fn it_needs_no_database() {
    // A database URL that cannot be opened does not matter.
    let (run, _d) = run_on(
        COMMENTS,
        &["--db", "postgres://nobody:nothing@127.0.0.1:1/none"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}
