//! `kaitei disposal template|check|rules`: the register's template, its
//! findings as FILE:ROW: RULE: reason in row order, and the exit codes.

use kaitei_model::Date;
use kaitei_records::register::{
    Certificate, Classification, Evidence, Handling, Item, Media, Method, Performer,
};
use kaitei_records::xlsx;

use crate::kaitei_in;

fn item(number: &str) -> Item {
    Item {
        number: number.into(),
        equipment: "PC".into(),
        media: Some(Media::Hdd),
        classification: Some(Classification::Two),
        handling: Some(Handling::Discarded),
        handled_on: Date::new(2026, 3, 31),
        method: Some(Method::Overwrite),
        performer: Some(Performer::Staff),
        evidence: Some(Evidence::Photo),
        certificate: Some(Certificate::Nothing),
        ..Item::default()
    }
}

#[test]
fn the_template_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let run = kaitei_in(dir.path(), &["disposal", "template", "-o", "台帳.xlsx"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = kaitei_in(dir.path(), &["disposal", "check", "台帳.xlsx"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""), "{}", run.stderr);
    assert_eq!(run.stderr, "台帳.xlsx: 0 item(s), no findings\n");
}

#[test]
fn findings_one_per_line_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut weak = item("SV-1");
    weak.classification = Some(Classification::ThreeA);
    weak.media = Some(Media::Ssd);
    weak.method = Some(Method::Degaussing);
    let mut contractor = item("SV-2");
    contractor.performer = Some(Performer::Contractor);
    contractor.evidence = Some(Evidence::Nothing);
    let mut nothing = item("SV-3");
    nothing.method = Some(Method::Nothing);
    let kept = Item {
        handling: Some(Handling::Kept),
        method: Some(Method::Nothing),
        ..item("SV-4")
    };
    let bytes = xlsx::write(&[weak, contractor, nothing, kept, item("SV-5")]).unwrap();
    std::fs::write(dir.path().join("r.xlsx"), bytes).unwrap();
    let run = kaitei_in(dir.path(), &["disposal", "check", "r.xlsx"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "r.xlsx:2: method-too-weak: 磁気破壊 (counts as なし on SSD: degaussing erases magnetic media only) is weaker than 磁気破壊, which 最高格付 3A requires\n\
         r.xlsx:3: no-certificate: a contractor (事業者) erased it and 消去証明書 is なし\n\
         r.xlsx:3: no-witness: a contractor (事業者) erased it with no witness (立会者) and 記録 なし\n\
         r.xlsx:4: no-erasure-record: 消去方法 なし: no erasure is recorded\n"
    );
    assert_eq!(
        run.stderr,
        "r.xlsx: 5 item(s), 4 finding(s): 1 method-too-weak, 1 no-certificate, 1 no-erasure-record, 1 no-witness\n"
    );
    // Another rule table: class 2 needs 物理破壊.
    std::fs::write(
        dir.path().join("rules.txt"),
        "3A = 物理破壊\n3B = 物理破壊\n3C = 物理破壊\n2 = 物理破壊\n1 = 上書き消去\n",
    )
    .unwrap();
    let run = kaitei_in(
        dir.path(),
        &["disposal", "check", "r.xlsx", "--rules", "rules.txt"],
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("r.xlsx:6: method-too-weak: 上書き消去 is weaker than 物理破壊, which 最高格付 2 requires"), "{}", run.stdout);
}

#[test]
fn what_is_not_a_register_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.xlsx"), "not a zip").unwrap();
    let run = kaitei_in(dir.path(), &["disposal", "check", "a.xlsx"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("kaitei: a.xlsx: not an xlsx workbook"),
        "{}",
        run.stderr
    );
    let run = kaitei_in(dir.path(), &["disposal", "check", "missing.xlsx"]);
    assert_eq!(run.code, 2);
    let bytes = xlsx::write(&[item("A")]).unwrap();
    std::fs::write(dir.path().join("ok.xlsx"), bytes).unwrap();
    std::fs::write(dir.path().join("bad.txt"), "3A: なし\n").unwrap();
    let run = kaitei_in(
        dir.path(),
        &["disposal", "check", "ok.xlsx", "--rules", "bad.txt"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("bad.txt: line 1:"), "{}", run.stderr);
}

#[test]
fn the_built_in_rules_print_as_the_file_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let run = kaitei_in(dir.path(), &["disposal", "rules"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("3A = 磁気破壊\n"), "{}", run.stdout);
    std::fs::write(dir.path().join("r.txt"), &run.stdout).unwrap();
    let bytes = xlsx::write(&[item("A")]).unwrap();
    std::fs::write(dir.path().join("ok.xlsx"), bytes).unwrap();
    let run = kaitei_in(
        dir.path(),
        &["disposal", "check", "ok.xlsx", "--rules", "r.txt"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}
