//! The demo's records (#18): the town's disposal register with flagged
//! items — the 2019 case of leased servers returned unerased among them —
//! and the organs' cybersecurity policies of generated bodies nationwide,
//! so that the national views have something to count.

use kaitei_app::App;
use kaitei_model::{BodyCode, Date, registry};
use kaitei_records::organs::{Organ, OrganStatus, prefilled};
use kaitei_records::register::{
    Certificate, Classification, Evidence, Handling, Item, Media, Method, Ownership, Performer,
};
use kaitei_store::{Actor, acting};

/// The demo town (紫波町), whose officer keeps the register.
pub const TOWN: &str = "033219";

/// Bodies left unrecorded whatever the generator says: the town (its
/// officer records its organs in the journeys) and 千代田区.
pub(crate) const UNRECORDED: [&str; 2] = [TOWN, "131016"];

fn item(
    number: &str,
    equipment: &str,
    media: Media,
    ownership: Ownership,
    class: Classification,
    handling: Handling,
) -> Item {
    Item {
        number: number.into(),
        equipment: equipment.into(),
        media: Some(media),
        ownership: Some(ownership),
        classification: Some(class),
        handling: Some(handling),
        ..Item::default()
    }
}

/// The town's register: eight items, five of them flagged.
pub fn town_register() -> Vec<Item> {
    use Classification::*;
    use Handling::*;
    use Media::*;
    use Ownership::*;
    let done = |mut i: Item, on: (u16, u8, u8), method: Method, by: Performer| {
        i.handled_on = Date::new(on.0, on.1, on.2);
        i.method = Some(method);
        i.self_encrypting = Some(false);
        i.performer = Some(by);
        i.evidence = Some(Evidence::Nothing);
        i.certificate = Some(Certificate::Nothing);
        i
    };
    let lessor = "株式会社みちのくリース";
    let mut server = done(
        item("SV-001", "ファイルサーバ", Hdd, Leased, ThreeA, Returned),
        (2026, 3, 31),
        Method::Overwrite,
        Performer::Contractor,
    );
    server.contractor = lessor.into();
    let mut laptop = done(
        item("PC-014", "ノートPC", Ssd, Leased, ThreeB, Returned),
        (2026, 3, 31),
        Method::Degaussing,
        Performer::Contractor,
    );
    laptop.contractor = lessor.into();
    laptop.witness = "総務課 紫波一郎".into();
    laptop.evidence = Some(Evidence::Photo);
    laptop.certificate = Some(Certificate::File("消去証明書_PC-014.pdf".into()));
    let mut rented = done(
        item("PC-022", "窓口端末", Ssd, Rented, Two, Returned),
        (2026, 3, 25),
        Method::CryptoErase,
        Performer::Contractor,
    );
    rented.self_encrypting = Some(true);
    rented.contractor = "株式会社県北OA".into();
    rented.witness = "税務課 紫波花子".into();
    let mut pc = done(
        item("PC-001", "デスクトップPC", Hdd, Owned, Two, Discarded),
        (2026, 3, 10),
        Method::Overwrite,
        Performer::Staff,
    );
    pc.evidence = Some(Evidence::Photo);
    let mut usb = done(
        item("USB-003", "USBメモリ", Flash, Owned, ThreeC, Discarded),
        (2026, 2, 20),
        Method::Destruction,
        Performer::Staff,
    );
    usb.evidence = Some(Evidence::Video);
    let tape = done(
        item(
            "TAPE-01",
            "バックアップテープ",
            Tape,
            Owned,
            ThreeA,
            Discarded,
        ),
        (2026, 1, 15),
        Method::Nothing,
        Performer::Staff,
    );
    let mut reused = item("NAS-002", "NAS", Hdd, Owned, Two, ReusedInside);
    reused.handled_on = Date::new(2026, 4, 10);
    let kept = item("HDD-009", "外付けHDD", Hdd, Owned, ThreeB, Kept);
    vec![server, laptop, rented, pc, usb, tape, reused, kept]
}

/// A number from `code` and `salt`, the same on every run.
pub(crate) fn spread(code: BodyCode, salt: u32) -> u32 {
    let mut h: u32 = 2_166_136_261 ^ salt;
    for b in code.to_string().bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(16_777_619);
    }
    h ^ (h >> 13)
}

/// The organs of `generated` share of bodies (per mille): each organ's
/// policy own, designated or not yet set, as bodies do.
pub fn generated_organs(per_mille: u32) -> Vec<(BodyCode, Vec<Organ>)> {
    registry()
        .all()
        .iter()
        .filter(|b| !UNRECORDED.contains(&b.code.to_string().as_str()))
        .filter(|b| spread(b.code, 0) % 1000 < per_mille)
        .map(|b| {
            let organs = prefilled(b.code, b.kind)
                .into_iter()
                .enumerate()
                .map(|(i, name)| {
                    let r = spread(b.code, i as u32 + 1) % 100;
                    let month = 1 + (r % 6) as u8;
                    let status = match r {
                        0..=9 => OrganStatus::NotSet,
                        10..=44 => OrganStatus::Own,
                        _ => OrganStatus::Designated,
                    };
                    Organ {
                        name: name.to_string(),
                        status,
                        since: (status != OrganStatus::NotSet)
                            .then(|| Date::new(2026, month, 1))
                            .flatten(),
                        url: if status == OrganStatus::Own {
                            format!(
                                "https://www.example.lg.jp/{}/cybersecurity/{}",
                                b.code,
                                i + 1
                            )
                        } else {
                            String::new()
                        },
                    }
                })
                .collect();
            (b.code, organs)
        })
        .collect()
}

/// Seeds the town's register and the generated bodies' organs, recorded
/// as their officers' acts.
pub async fn seed_records(app: &App) -> Result<(), kaitei_app::Error> {
    let store = app.store();
    let town = BodyCode::parse(TOWN).map_err(|e| kaitei_app::Error::Invalid(e.to_string()))?;
    acting(Actor::user("shiwa"), async {
        store.import_disposal(town, &town_register(), "shiwa").await
    })
    .await?;
    store.save_organs_of(&generated_organs(700), "demo").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaitei_records::rules::{Row, RuleTable, check};

    #[test]
    fn the_town_register_has_each_rule_flagged() {
        let rows: Vec<Row> = town_register()
            .into_iter()
            .enumerate()
            .map(|(i, item)| Row {
                row: i + 2,
                item,
                invalid: vec![],
            })
            .collect();
        let found: Vec<String> = check(&rows, &RuleTable::default())
            .iter()
            .map(|f| format!("{} {}", f.row, f.rule))
            .collect();
        assert_eq!(
            found,
            [
                "2 method-too-weak",
                "2 no-certificate",
                "2 no-witness",
                "3 method-too-weak",
                "4 no-certificate",
                "7 no-erasure-record"
            ]
        );
    }

    #[test]
    fn the_generated_nation_is_the_same_every_time() {
        let a = generated_organs(700);
        assert_eq!(a, generated_organs(700));
        let share = a.len() * 1000 / registry().all().len();
        assert!((600..800).contains(&share), "{share}");
        assert!(a.iter().all(|(c, _)| c.to_string() != TOWN));
    }
}
