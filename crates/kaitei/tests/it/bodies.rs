//! `kaitei bodies`

use crate::kaitei;

#[test]
fn lists_all_bodies() {
    let run = kaitei(&["bodies"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout.lines().count(), 1788);
    assert!(run.stdout.contains("131016\tspecial_ward\t千代田区\t"));
}

#[test]
fn filters_by_prefecture_and_kind() {
    for pref in ["130001", "13", "東京都"] {
        let run = kaitei(&["bodies", "--prefecture", pref, "--kind", "special_ward"]);
        assert_eq!(run.code, 0);
        assert_eq!(run.stdout.lines().count(), 23, "{pref}");
    }
    let run = kaitei(&["bodies", "--kind", "prefecture"]);
    assert_eq!(run.stdout.lines().count(), 47);
    let run = kaitei(&["bodies", "--prefecture", "01", "--kind", "town,village"]);
    let n = run.stdout.lines().count();
    assert!(
        n > 100 && run.stdout.lines().all(|l| l.starts_with("01")),
        "{n}"
    );
}

#[test]
fn a_city_is_not_a_prefecture() {
    let run = kaitei(&["bodies", "--prefecture", "011002"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("札幌市 is a city, not a prefecture"),
        "{}",
        run.stderr
    );
    let run = kaitei(&["bodies", "--prefecture", "131017"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("wrong check digit"), "{}", run.stderr);
}
