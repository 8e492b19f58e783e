//! Every rule: each forbidden case flagged, each allowed case not, at each
//! 格付 boundary.

use super::*;
use crate::register::{Handling, Ownership};

/// A well-kept item: a leased HDD of class 2, overwritten by the staff.
fn item() -> Item {
    Item {
        number: "PC-001".into(),
        equipment: "PC".into(),
        media: Some(Media::Hdd),
        ownership: Some(Ownership::Leased),
        classification: Some(Classification::Two),
        handling: Some(Handling::Returned),
        handled_on: kaitei_model::Date::new(2026, 3, 31),
        method: Some(Method::Overwrite),
        self_encrypting: Some(false),
        performer: Some(Performer::Staff),
        contractor: String::new(),
        witness: String::new(),
        evidence: Some(Evidence::Photo),
        certificate: Some(Certificate::Nothing),
    }
}

fn rules_of(item: Item) -> Vec<&'static str> {
    rules_of_row(Row {
        row: 2,
        item,
        invalid: Vec::new(),
    })
}

fn rules_of_row(row: Row) -> Vec<&'static str> {
    check(&[row], &RuleTable::default())
        .iter()
        .map(|f| f.rule.id())
        .collect()
}

fn with(f: impl FnOnce(&mut Item)) -> Item {
    let mut i = item();
    f(&mut i);
    i
}

#[test]
fn a_well_kept_item_has_no_finding() {
    assert!(rules_of(item()).is_empty());
}

#[test]
fn each_class_at_its_boundary() {
    use Classification::*;
    use Method::*;
    // (class, method on an HDD, self-encrypting, flagged)
    let cases = [
        (ThreeA, Degaussing, false, false),
        (ThreeA, Overwrite, false, true),
        (ThreeB, Degaussing, false, false),
        (ThreeB, Overwrite, false, true),
        (ThreeC, CryptoErase, true, false),
        (ThreeC, Overwrite, false, true),
        (ThreeA, Destruction, false, false),
        (Two, Overwrite, false, false),
        (Two, Destruction, false, false),
        (One, Overwrite, false, false),
    ];
    for (class, method, sed, flagged) in cases {
        let got = rules_of(with(|i| {
            i.classification = Some(class);
            i.method = Some(method);
            i.self_encrypting = Some(sed);
        }));
        let want: Vec<&str> = if flagged {
            vec!["method-too-weak"]
        } else {
            vec![]
        };
        assert_eq!(got, want, "{class} {method} sed={sed}");
    }
}

#[test]
fn class_2_and_1_below_overwrite_is_no_erasure_record_alone() {
    for class in [
        Classification::Two,
        Classification::One,
        Classification::ThreeA,
    ] {
        let got = rules_of(with(|i| {
            i.classification = Some(class);
            i.method = Some(Method::Nothing);
            // Even a contractor without witness or certificate: reported alone.
            i.performer = Some(Performer::Contractor);
            i.evidence = Some(Evidence::Nothing);
        }));
        assert_eq!(got, vec!["no-erasure-record"], "{class}");
    }
}

#[test]
fn degaussing_counts_on_magnetic_media_only() {
    let at = |media, class| {
        rules_of(with(|i| {
            i.media = Some(media);
            i.classification = Some(class);
            i.method = Some(Method::Degaussing);
        }))
    };
    assert!(at(Media::Hdd, Classification::ThreeA).is_empty());
    assert!(at(Media::Tape, Classification::ThreeA).is_empty());
    assert_eq!(
        at(Media::Ssd, Classification::ThreeA),
        vec!["method-too-weak"]
    );
    // On an SSD it counts as なし: not even enough for class 1.
    assert_eq!(at(Media::Ssd, Classification::One), vec!["method-too-weak"]);
    assert_eq!(
        at(Media::Flash, Classification::Two),
        vec!["method-too-weak"]
    );
    assert_eq!(
        at(Media::Optical, Classification::One),
        vec!["method-too-weak"]
    );
    let f = &check(
        &[Row {
            row: 7,
            item: with(|i| {
                i.media = Some(Media::Ssd);
                i.classification = Some(Classification::ThreeB);
                i.method = Some(Method::Degaussing);
            }),
            invalid: vec![],
        }],
        &RuleTable::default(),
    )[0];
    assert_eq!(
        f.english(),
        "磁気破壊 (counts as なし on SSD: degaussing erases magnetic media only) is weaker than 磁気破壊, which 最高格付 3B requires"
    );
}

#[test]
fn crypto_erase_counts_with_a_self_encrypting_device_only() {
    let at = |sed, class| {
        rules_of(with(|i| {
            i.media = Some(Media::Ssd);
            i.classification = Some(class);
            i.method = Some(Method::CryptoErase);
            i.self_encrypting = Some(sed);
        }))
    };
    assert!(at(true, Classification::ThreeA).is_empty());
    assert_eq!(at(false, Classification::ThreeA), vec!["method-too-weak"]);
    // Without self-encryption it is still 上書き消去: enough for class 2.
    assert!(at(false, Classification::Two).is_empty());
}

#[test]
fn kept_and_reused_inside_are_not_checked() {
    for handling in [Handling::Kept, Handling::ReusedInside] {
        let got = rules_of(with(|i| {
            i.handling = Some(handling);
            i.method = Some(Method::Nothing);
            i.classification = Some(Classification::ThreeA);
            i.performer = Some(Performer::Contractor);
            i.evidence = Some(Evidence::Nothing);
            i.media = None;
        }));
        assert!(got.is_empty(), "{handling}: {got:?}");
    }
    for handling in [
        Handling::Discarded,
        Handling::Returned,
        Handling::ReusedOutside,
    ] {
        let got = rules_of(with(|i| {
            i.handling = Some(handling);
            i.method = Some(Method::Nothing);
        }));
        assert_eq!(got, vec!["no-erasure-record"], "{handling}");
    }
}

#[test]
fn a_contractor_needs_a_witness_or_a_record_and_a_certificate() {
    let contractor = |witness: &str, evidence, certificate| {
        rules_of(with(|i| {
            i.performer = Some(Performer::Contractor);
            i.contractor = "株式会社データ消去".into();
            i.witness = witness.into();
            i.evidence = Some(evidence);
            i.certificate = Some(certificate);
        }))
    };
    let cert = || Certificate::File("証明書.pdf".into());
    // A witness, no record.
    assert!(contractor("総務課 岩手太郎", Evidence::Nothing, cert()).is_empty());
    // Only a photo.
    assert!(contractor("", Evidence::Photo, cert()).is_empty());
    assert!(contractor("", Evidence::Video, cert()).is_empty());
    // Neither.
    assert_eq!(
        contractor("", Evidence::Nothing, cert()),
        vec!["no-witness"]
    );
    // Without a certificate.
    assert_eq!(
        contractor("総務課 岩手太郎", Evidence::Photo, Certificate::Nothing),
        vec!["no-certificate"]
    );
    assert_eq!(
        contractor("", Evidence::Nothing, Certificate::Nothing),
        vec!["no-certificate", "no-witness"]
    );
    // The staff need neither.
    assert!(
        rules_of(with(|i| {
            i.evidence = Some(Evidence::Nothing);
            i.certificate = Some(Certificate::Nothing);
        }))
        .is_empty()
    );
}

/// An invalid cell a rule needs: `invalid`, and the rules needing it are
/// not applied; a cell no rule needs is not reported.
#[test]
fn each_invalid_cell() {
    let bad = |column: Column, f: fn(&mut Item)| {
        let item = with(f);
        rules_of_row(Row {
            row: 3,
            item,
            invalid: vec![(column, CellProblem::NotOneOf("?".into()))],
        })
    };
    assert_eq!(
        bad(Column::Handling, |i| i.handling = None),
        vec!["invalid"]
    );
    assert_eq!(bad(Column::Method, |i| i.method = None), vec!["invalid"]);
    // The class is needed for the method's rule only: a contractor's
    // rules still apply.
    assert_eq!(
        bad(Column::Classification, |i| {
            i.classification = None;
            i.method = Some(Method::Nothing);
        }),
        vec!["no-erasure-record"],
        "なし is reported whatever the class"
    );
    assert_eq!(
        bad(Column::Classification, |i| {
            i.classification = None;
            i.performer = Some(Performer::Contractor);
            i.certificate = Some(Certificate::Nothing);
        }),
        vec!["invalid", "no-certificate"]
    );
    assert_eq!(
        bad(Column::Media, |i| {
            i.media = None;
            i.method = Some(Method::Degaussing);
            i.classification = Some(Classification::ThreeA);
        }),
        vec!["invalid"]
    );
    // The medium is not needed when the method does not depend on it.
    assert!(bad(Column::Media, |i| i.media = None).is_empty());
    assert_eq!(
        bad(Column::SelfEncrypting, |i| {
            i.self_encrypting = None;
            i.method = Some(Method::CryptoErase);
        }),
        vec!["invalid"]
    );
    assert!(bad(Column::SelfEncrypting, |i| i.self_encrypting = None).is_empty());
    assert_eq!(
        bad(Column::Performer, |i| i.performer = None),
        vec!["invalid"]
    );
    assert_eq!(
        bad(Column::Evidence, |i| {
            i.evidence = None;
            i.performer = Some(Performer::Contractor);
            i.certificate = Some(Certificate::File("c.pdf".into()));
        }),
        vec!["invalid"]
    );
    // With a witness, 記録 is not needed.
    assert!(
        bad(Column::Evidence, |i| {
            i.evidence = None;
            i.performer = Some(Performer::Contractor);
            i.witness = "立会 太郎".into();
            i.certificate = Some(Certificate::File("c.pdf".into()));
        })
        .is_empty()
    );
    assert_eq!(
        rules_of_row(Row {
            row: 3,
            item: item(),
            invalid: vec![(Column::HandledOn, CellProblem::NotADate("昨日".into()))],
        }),
        vec!["invalid"]
    );
    assert_eq!(
        rules_of_row(Row {
            row: 3,
            item: item(),
            invalid: vec![(Column::Number, CellProblem::Duplicate(2))],
        }),
        vec!["invalid"]
    );
    // Empty where needed.
    assert_eq!(rules_of(with(|i| i.number.clear())), vec!["invalid"]);
    assert_eq!(
        rules_of(with(|i| {
            i.performer = Some(Performer::Contractor);
            i.certificate = None;
        })),
        vec!["invalid"]
    );
    // An invalid cell of a kept item is nobody's business.
    assert!(
        bad(Column::Method, |i| {
            i.method = None;
            i.handling = Some(Handling::Kept);
        })
        .is_empty()
    );
}

#[test]
fn findings_are_in_row_order_then_rule_id() {
    let rows = [
        Row {
            row: 5,
            item: with(|i| i.method = Some(Method::Nothing)),
            invalid: vec![],
        },
        Row {
            row: 2,
            item: with(|i| {
                i.performer = Some(Performer::Contractor);
                i.evidence = Some(Evidence::Nothing);
                i.classification = Some(Classification::ThreeA);
                i.media = None;
                i.method = Some(Method::Degaussing);
            }),
            invalid: vec![(Column::Media, CellProblem::NotOneOf("NVMe".into()))],
        },
    ];
    let lines: Vec<String> = check(&rows, &RuleTable::default())
        .iter()
        .map(|f| format!("{}: {}: {}", f.row, f.rule, f.english()))
        .collect();
    expect_lines(
        &lines,
        &[
            "2: invalid: 媒体種別: \"NVMe\" is not one of HDD / SSD / フラッシュメモリ / 磁気テープ / 光ディスク / その他",
            "2: no-certificate: a contractor (事業者) erased it and 消去証明書 is なし",
            "2: no-witness: a contractor (事業者) erased it with no witness (立会者) and 記録 なし",
            "5: no-erasure-record: 消去方法 なし: no erasure is recorded",
        ],
    );
}

fn expect_lines(got: &[String], want: &[&str]) {
    assert_eq!(got, want);
}

#[test]
fn another_rule_table_changes_the_boundary() {
    let table = RuleTable::parse(
        "# stricter\n3A = 物理破壊\n3B=磁気破壊\n3C = 磁気破壊\n2 = 暗号化消去\n1 = 上書き消去\n",
    )
    .unwrap();
    assert_eq!(table.minimum(Classification::ThreeA), Method::Destruction);
    let weak = Row {
        row: 2,
        item: with(|i| {
            i.classification = Some(Classification::ThreeA);
            i.method = Some(Method::Degaussing);
        }),
        invalid: vec![],
    };
    assert_eq!(check(std::slice::from_ref(&weak), &table).len(), 1);
    assert!(check(&[weak], &RuleTable::default()).is_empty());
    assert_eq!(RuleTable::parse(&table.print()).unwrap(), table);
    assert_eq!(
        RuleTable::parse(&RuleTable::default().print()).unwrap(),
        RuleTable::default()
    );
}

#[test]
fn a_bad_rule_table_names_its_line() {
    let e = |t: &str| RuleTable::parse(t).unwrap_err();
    assert_eq!(
        e("3A 磁気破壊"),
        "line 1: write 最高格付 = 消去方法 (e.g. 3A = 磁気破壊)"
    );
    assert!(e("\n3D = なし").starts_with("line 2: \"3D\" is not one of"));
    assert!(e("3A = 焼却").starts_with("line 1: \"焼却\" is not one of"));
    assert_eq!(e("3A = なし\n3A = なし"), "line 2: 3A is given twice");
    assert_eq!(e("3A = なし"), "3B is not given");
}

#[test]
fn counts_by_rule_follow_the_ids() {
    let rows = [Row {
        row: 2,
        item: with(|i| i.method = Some(Method::Nothing)),
        invalid: vec![],
    }];
    assert_eq!(
        count_by_rule(&check(&rows, &RuleTable::default())),
        [0, 0, 0, 1, 0]
    );
}
