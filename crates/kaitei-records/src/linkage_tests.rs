//! The catalogue and matrix texts, the risk lookup, heat maps and the
//! national picture.

use super::*;
use crate::linkage::{BUILT_IN, Segment, Threat};
use kaitei_model::registry;

fn body(code: &str) -> &'static Body {
    registry()
        .get(BodyCode::parse(code).unwrap())
        .expect("a body")
}

fn route(from: Segment, to: Segment) -> Route {
    Route::new(from, to).unwrap()
}

fn rated(scenario: &str, before: (u8, u8), after: Option<(u8, u8)>) -> ScenarioRating {
    ScenarioRating {
        scenario: scenario.into(),
        before: Rating::new(before.0, before.1),
        after: after.and_then(|(l, i)| Rating::new(l, i)),
    }
}

#[test]
fn the_built_in_catalogue_reads_and_prints_back() {
    let c = Catalogue::read(BUILT_IN).expect("the built-in catalogue");
    assert_eq!(c, Catalogue::default());
    let ids: Vec<_> = c.patterns.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "sanitised-transfer",
            "screen-transfer",
            "one-way-transfer",
            "removable-media"
        ]
    );
    let media = c.pattern("removable-media").unwrap();
    assert!(media.baseline);
    assert!(!c.pattern("screen-transfer").unwrap().baseline);
    assert_eq!(media.scenario("loss").unwrap().threat, Threat::MediaLoss);
    let loss = &media.scenario("loss").unwrap().controls;
    assert_eq!(loss[0].clause.as_ref().unwrap().as_str(), "s4-4-5-3");
    assert_eq!(Catalogue::read(&c.print()).unwrap(), c);
}

#[test]
fn a_wrong_catalogue_names_each_line_and_takes_nothing() {
    let text = "説明: 前にパターンがない\nパターン: ok 良い\nシナリオ: s1 地震: 揺れる\n対策: 何か [bad key]\nパターン: Bad 大文字\nシナリオ: s1 誤送信: 送る\n";
    let problems = Catalogue::read(text).unwrap_err();
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [1, 3, 4], "{problems:?}");
    assert!(problems[1].problem.contains("地震"), "{problems:?}");
    // Lines right one by one, but an identifier wrong: the last line.
    let problems =
        Catalogue::read("パターン: Bad 大文字\nシナリオ: s1 誤送信: 送る\n").unwrap_err();
    assert_eq!(problems[0].line, 2);
    assert!(problems[0].problem.contains("Bad"));
    let twice = "パターン: a 甲\nシナリオ: s 誤送信: x\nシナリオ: s 誤送信: y\n";
    assert!(
        Catalogue::read(twice).unwrap_err()[0]
            .problem
            .contains("二度")
    );
}

#[test]
fn the_matrix_is_a_lookup_not_a_product() {
    let m = RiskMatrix::default();
    assert_eq!(m.level_name(1, 1), Some("低"));
    assert_eq!(m.level_name(5, 5), Some("極高"));
    // 2 × 4 = 8 = 4 × 2, but the ministry's table rates them apart.
    let text = "水準: 低 中 高 極高\n5: 中 高 高 極高 極高\n4: 中 中 高 高 極高\n3: 低 中 中 高 高\n2: 低 低 中 極高 高\n1: 低 低 低 中 中\n";
    let m = RiskMatrix::read(text).unwrap();
    assert_eq!(m.level_name(2, 4), Some("極高"));
    assert_eq!(m.level_name(4, 2), Some("中"));
    assert_eq!(m.lookup(0, 3), None);
    assert_eq!(m.lookup(3, 6), None);
    assert_eq!(RiskMatrix::read(&m.print()).unwrap(), m);
    assert_eq!(
        RiskMatrix::read(&RiskMatrix::default().print()).unwrap(),
        RiskMatrix::default()
    );
}

#[test]
fn a_wrong_matrix_names_its_lines() {
    let text =
        "水準: 低 中 高\n5: 低 中 高 高\n4: 低 中 高 高 超\n3: 低 低 低 低 低\n6: 低 低 低 低 低\n";
    let problems = RiskMatrix::read(text).unwrap_err();
    let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 3, 5], "{problems:?}");
    assert!(problems[1].problem.contains("超"));
    let missing = RiskMatrix::read("水準: 低 高\n5: 低 低 低 低 低\n").unwrap_err();
    assert!(missing[0].problem.contains("発生可能性1"), "{missing:?}");
    assert!(RiskMatrix::read("水準: 低 低\n").is_err());
}

#[test]
fn uses_are_checked_against_the_catalogue() {
    let c = Catalogue::default();
    let inbound = route(Segment::Internet, Segment::Lgwan);
    let ok = Use {
        pattern: "screen-transfer".into(),
        route: inbound,
        ratings: vec![rated("malware", (3, 4), Some((1, 4)))],
    };
    assert_eq!(check_uses(std::slice::from_ref(&ok), &c), Ok(()));
    assert!(
        check_uses(&[ok.clone(), ok.clone()], &c)
            .unwrap_err()
            .contains("二度")
    );
    let mut unknown = ok.clone();
    unknown.ratings[0].scenario = "loss".into();
    assert!(check_uses(&[unknown], &c).unwrap_err().contains("loss"));
    let mut gone = ok;
    gone.pattern = "carrier-pigeon".into();
    assert!(
        check_uses(&[gone], &c)
            .unwrap_err()
            .contains("carrier-pigeon")
    );
}

#[test]
fn the_heat_map_counts_each_rating_in_its_cell() {
    let uses = [Use {
        pattern: "removable-media".into(),
        route: route(Segment::Lgwan, Segment::MyNumber),
        ratings: vec![
            rated("malware", (4, 4), Some((2, 4))),
            rated("loss", (4, 5), Some((2, 4))),
            rated("copy", (3, 3), None),
        ],
    }];
    let before = heat_map(&uses, false);
    let after = heat_map(&uses, true);
    assert_eq!(before.at(4, 4), 1);
    assert_eq!(before.at(4, 5), 1);
    assert_eq!(before.at(3, 3), 1);
    assert_eq!(after.at(2, 4), 2);
    assert_eq!(after.cells.iter().flatten().sum::<usize>(), 2);
    assert_eq!(after.at(9, 1), 0);
}

#[test]
fn the_national_picture_counts_bodies_by_kind_and_prefecture() {
    let c = Catalogue::default();
    let m = RiskMatrix::default();
    let inbound = route(Segment::Internet, Segment::Lgwan);
    let mynumber = route(Segment::Lgwan, Segment::MyNumber);
    let screen = |r: Route, after: (u8, u8)| Use {
        pattern: "screen-transfer".into(),
        route: r,
        ratings: vec![rated("malware", (4, 4), Some(after))],
    };
    let media = Use {
        pattern: "removable-media".into(),
        route: mynumber,
        ratings: vec![rated("loss", (4, 5), Some((4, 5)))],
    };
    let shiwa = vec![screen(inbound, (1, 1)), media.clone()];
    let morioka = vec![screen(inbound, (5, 5)), screen(mynumber, (2, 3))];
    let iwate = vec![media];
    let sapporo = vec![screen(inbound, (1, 4))];
    let nothing: Vec<Use> = Vec::new();
    let bodies: Vec<(&Body, &[Use])> = vec![
        (body("033219"), &shiwa),
        (body("032018"), &morioka),
        (body("030007"), &iwate),
        (body("011002"), &sapporo),
        (body("131016"), &nothing),
    ];
    let prefectures = [("030007", "岩手県"), ("010006", "北海道")]
        .iter()
        .map(|(c, n)| (BodyCode::parse(c).unwrap(), n.to_string()))
        .collect();
    let n = national(&bodies, &prefectures, &c, &m);
    assert_eq!(n.bodies, 4);
    let cols: Vec<(&str, Route)> = n
        .columns
        .iter()
        .map(|c| (c.pattern.as_str(), c.route))
        .collect();
    // The catalogue's order, then the routes'.
    assert_eq!(
        cols,
        [
            ("screen-transfer", mynumber),
            ("screen-transfer", inbound),
            ("removable-media", mynumber)
        ]
    );
    assert_eq!(n.total, [1, 3, 2]);
    let kind = |k: KindOfBody| n.by_kind.iter().find(|(x, _)| *x == k).unwrap().1.clone();
    assert_eq!(kind(KindOfBody::Prefecture), [0, 0, 1]);
    assert_eq!(kind(KindOfBody::DesignatedCity), [0, 1, 0]);
    assert_eq!(kind(KindOfBody::City), [1, 1, 0]);
    assert_eq!(kind(KindOfBody::Town), [0, 1, 1]);
    assert_eq!(kind(KindOfBody::Ward), [0, 0, 0]);
    assert_eq!(n.by_prefecture.len(), 2, "千代田区 recorded nothing");
    assert_eq!(n.by_prefecture[0].1, "北海道");
    assert_eq!(n.by_prefecture[0].2, [0, 1, 0]);
    assert_eq!(n.by_prefecture[1].1, "岩手県");
    assert_eq!(n.by_prefecture[1].2, [1, 2, 2]);
    // Residual levels: counts per level, one per use rating it.
    let res = |p: &str, s: &str| {
        n.residual
            .iter()
            .find(|r| r.pattern == p && r.scenario == s)
            .unwrap()
    };
    // (1,1) 低, (5,5) 極高, (2,3) 中, (1,4) 中.
    assert_eq!(res("screen-transfer", "malware").counts, [1, 2, 0, 1]);
    assert_eq!(res("screen-transfer", "malware").unrated, 0);
    assert_eq!(res("removable-media", "loss").counts, [0, 0, 0, 2]);
    // Used but not rated on that scenario.
    assert_eq!(res("screen-transfer", "leakage").unrated, 4);
    assert_eq!(res("one-way-transfer", "malware").counts, [0, 0, 0, 0]);
}

#[test]
fn the_workbook_of_the_national_picture_opens() {
    let c = Catalogue::default();
    let m = RiskMatrix::default();
    let uses = vec![Use {
        pattern: "screen-transfer".into(),
        route: route(Segment::Internet, Segment::Lgwan),
        ratings: vec![rated("malware", (4, 4), Some((1, 4)))],
    }];
    let bodies: Vec<(&Body, &[Use])> = vec![(body("033219"), &uses)];
    let n = national(&bodies, &BTreeMap::new(), &c, &m);
    let words = crate::linkage_xlsx::Words {
        title: "t".into(),
        sheets: ["a", "b", "c", "d", "e"].map(String::from),
        catalogue: ["1", "2", "3", "4", "5"].map(String::from),
        corner: "x".into(),
        total: "全国".into(),
        residual: ["p", "s", "u"].map(String::from),
        kinds: ["1", "2", "3", "4", "5", "6"].map(String::from),
        routes: vec!["r".into()],
    };
    let bytes = crate::linkage_xlsx::national_xlsx(&n, &c, &m, &words).unwrap();
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let residual = book.worksheet_range("e").unwrap();
    let cells: Vec<String> = residual
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        .find(|r| r[0] == "画面転送")
        .unwrap();
    assert!(cells[1].contains("脆弱性"), "{cells:?}");
    assert_eq!(&cells[2..7], ["0", "1", "0", "0", "0"]);
    let matrix = book.worksheet_range("b").unwrap();
    let top: Vec<String> = matrix
        .rows()
        .nth(3)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(top, ["5", "中", "高", "高", "極高", "極高"]);
}
