//! The organs' lists and the national counts.

use super::*;
use kaitei_model::registry;

fn body(code: &str) -> &'static Body {
    registry()
        .get(BodyCode::parse(code).unwrap())
        .expect("a body")
}

fn set(name: &str, since: (u16, u8, u8)) -> Organ {
    Organ {
        name: name.into(),
        status: OrganStatus::Own,
        since: Date::new(since.0, since.1, since.2),
        url: "https://example.lg.jp/policy".into(),
    }
}

#[test]
fn the_list_starts_from_the_kind_of_body() {
    let town = body("033219");
    assert_eq!(
        prefilled(town.code, town.kind),
        [
            "首長",
            "議会",
            "教育委員会",
            "選挙管理委員会",
            "公平委員会",
            "監査委員",
            "農業委員会",
            "固定資産評価審査委員会"
        ]
    );
    let sapporo = body("011002");
    assert!(prefilled(sapporo.code, sapporo.kind).contains(&"人事委員会"));
    let iwate = body("030007");
    let list = prefilled(iwate.code, iwate.kind);
    assert!(list.contains(&"公安委員会") && !list.contains(&"農業委員会"));
    // Every designated city is a city of the registry.
    for code in DESIGNATED_CITIES {
        assert_eq!(body(code).kind, BodyKind::City, "{code}");
    }
}

#[test]
fn an_organ_lacks_a_policy_it_has_not_set_or_set_later() {
    let day = in_force();
    assert!(Organ::unset("議会").lacks_on(day));
    assert!(!set("議会", (2026, 4, 1)).lacks_on(day));
    assert!(set("議会", (2026, 4, 2)).lacks_on(day));
    let designated = Organ {
        status: OrganStatus::Designated,
        since: None,
        ..Organ::unset("監査委員")
    };
    assert!(!designated.lacks_on(day));
}

#[test]
fn the_national_status_counts_by_prefecture_and_kind() {
    let town = body("033219");
    let iwate = body("030007");
    let morioka = body("032018");
    let chiyoda = body("131016");
    let full = vec![set("首長", (2026, 3, 1)), set("議会", (2026, 3, 1))];
    let half = vec![set("首長", (2026, 3, 1)), Organ::unset("教育委員会")];
    let late = vec![set("首長", (2026, 9, 1))];
    let bodies: Vec<(&Body, Option<&[Organ]>)> = vec![
        (iwate, Some(&full)),
        (morioka, Some(&half)),
        (town, None),
        (chiyoda, Some(&late)),
    ];
    // Before the law is in force the day counted is its first day: the
    // policy set on 1 September is not there yet.
    let n = national(&bodies, Date::new(2026, 1, 10).unwrap());
    assert_eq!(n.day, in_force());
    assert_eq!(
        n.total,
        Tally {
            bodies: 4,
            recorded: 3,
            complete: 1,
            lacking: 2,
            organs: 5,
            organs_with: 3
        }
    );
    let iwate_tally = n.by_prefecture.iter().find(|p| p.1 == "岩手県").unwrap().2;
    assert_eq!(
        iwate_tally,
        Tally {
            bodies: 3,
            recorded: 2,
            complete: 1,
            lacking: 1,
            organs: 4,
            organs_with: 3
        }
    );
    let cities = n.by_kind.iter().find(|k| k.0 == BodyKind::City).unwrap().1;
    assert_eq!((cities.bodies, cities.lacking), (1, 1));
    let names: Vec<_> = n
        .lacking
        .iter()
        .map(|l| (l.name.as_str(), l.organs.clone()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("盛岡市", vec!["教育委員会".to_string()]),
            ("千代田区", vec!["首長".to_string()])
        ]
    );
    // Later in the year it is there.
    let n = national(&bodies, Date::new(2026, 12, 6).unwrap());
    assert_eq!(n.total.lacking, 1);
}

#[test]
fn an_organ_typed_is_checked() {
    assert!(check_organ(&set("議会", (2026, 4, 1))).is_ok());
    assert!(check_organ(&Organ::unset(" ")).is_err());
    let mut bad = set("議会", (2026, 4, 1));
    bad.url = "javascript:alert(1)".into();
    assert!(check_organ(&bad).is_err());
    let mut unset_with_url = Organ::unset("議会");
    unset_with_url.url = "https://a.example".into();
    assert!(check_organ(&unset_with_url).is_err());
}

#[test]
fn the_workbook_has_three_sheets() {
    let iwate = body("030007");
    let organs = vec![Organ::unset("議会")];
    let n = national(&[(iwate, Some(&organs))], in_force());
    let s = |x: &str| x.to_string();
    let words = Words {
        title: s("サイバーセキュリティ方針の策定状況"),
        sheets: [
            s("都道府県別"),
            s("団体区分別"),
            s("未策定の機関がある団体"),
        ],
        tally: [
            s("区分"),
            s("団体数"),
            s("登録済み"),
            s("全機関策定済み"),
            s("未策定あり"),
            s("機関数"),
            s("策定済み機関"),
        ],
        list: [
            s("団体コード"),
            s("団体名"),
            s("都道府県"),
            s("未策定の機関"),
        ],
        kinds: [s("都道府県"), s("市"), s("町"), s("村"), s("特別区")],
    };
    let bytes = national_xlsx(&n, &words).unwrap();
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["都道府県別", "団体区分別", "未策定の機関がある団体"]
    );
    let list = book.worksheet_range("未策定の機関がある団体").unwrap();
    assert_eq!(list.get_value((3, 1)).unwrap().to_string(), "岩手県");
    assert_eq!(list.get_value((3, 3)).unwrap().to_string(), "議会");
}
