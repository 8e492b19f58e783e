//! The cybersecurity policy under the amended Local Autonomy Act (地方自治法,
//! in force 1 April 2026): every executive organ of a body — the head, the
//! assembly, and the boards and commissions the body has — sets a policy
//! for ensuring cybersecurity, or designates the body's existing basic
//! policy as its own. Per organ: whether, when, where it is published.
//! Nationally: the counts by prefecture and by kind of body, and the
//! bodies any of whose organs has none.

use std::collections::BTreeMap;

use kaitei_model::{Body, BodyCode, BodyKind, Date};
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

/// The day the obligation takes effect.
pub const IN_FORCE: (u16, u8, u8) = (2026, 4, 1);

/// The day the obligation takes effect, as a date.
pub fn in_force() -> Date {
    let (y, m, d) = IN_FORCE;
    Date::new(y, m, d).unwrap_or(Date::EPOCH)
}

/// The longest name of an organ.
pub const MAX_ORGAN_CHARS: usize = 60;
/// The longest URL.
pub const MAX_URL_CHARS: usize = 2_000;

/// The designated cities (政令指定都市): they have a 人事委員会, other
/// cities, towns and villages a 公平委員会.
const DESIGNATED_CITIES: [&str; 20] = [
    "011002", "041009", "111007", "121002", "141003", "141305", "141500", "151009", "221007",
    "221309", "231002", "261009", "271004", "271403", "281000", "331007", "341002", "401005",
    "401307", "431001",
];

/// Whether `code` is a designated city's (政令指定都市).
pub fn is_designated_city(code: BodyCode) -> bool {
    DESIGNATED_CITIES.contains(&code.to_string().as_str())
}

/// The organs a body of `kind` has by law, as its list starts (its
/// officer adds and removes): the head, the assembly, then the boards
/// and commissions (地方自治法第180条の5).
pub fn prefilled(code: BodyCode, kind: BodyKind) -> Vec<&'static str> {
    let mut out = vec!["首長", "議会", "教育委員会", "選挙管理委員会"];
    match kind {
        BodyKind::Prefecture => out.extend([
            "人事委員会",
            "監査委員",
            "公安委員会",
            "労働委員会",
            "収用委員会",
            "海区漁業調整委員会",
            "内水面漁場管理委員会",
        ]),
        // The 23 wards share one 人事委員会 (特別区人事委員会); the metropolis
        // assesses their fixed assets.
        BodyKind::SpecialWard => out.extend(["人事委員会", "監査委員", "農業委員会"]),
        _ => {
            let code = code.to_string();
            out.push(if DESIGNATED_CITIES.contains(&code.as_str()) {
                "人事委員会"
            } else {
                "公平委員会"
            });
            out.extend(["監査委員", "農業委員会", "固定資産評価審査委員会"]);
        }
    }
    out
}

/// Whether an organ has its policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrganStatus {
    /// 未策定: none yet.
    NotSet,
    /// 策定済み: a policy of its own.
    Own,
    /// 基本方針を指定: it designated the body's existing basic policy.
    Designated,
}

impl OrganStatus {
    /// Every status, in order.
    pub const ALL: [OrganStatus; 3] = [
        OrganStatus::NotSet,
        OrganStatus::Own,
        OrganStatus::Designated,
    ];

    /// Its identifier (stored, API).
    pub fn id(self) -> &'static str {
        match self {
            OrganStatus::NotSet => "not_set",
            OrganStatus::Own => "own",
            OrganStatus::Designated => "designated",
        }
    }

    /// The status of identifier `id`.
    pub fn from_id(id: &str) -> Option<OrganStatus> {
        OrganStatus::ALL.into_iter().find(|s| s.id() == id)
    }

    /// In Japanese (the web translates it).
    pub fn japanese(self) -> &'static str {
        match self {
            OrganStatus::NotSet => "未策定",
            OrganStatus::Own => "策定済み",
            OrganStatus::Designated => "基本方針を指定",
        }
    }
}

/// One organ and its policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Organ {
    /// Its name (首長, 教育委員会 …).
    pub name: String,
    /// Whether it has its policy.
    pub status: OrganStatus,
    /// Since when (set or designated).
    pub since: Option<Date>,
    /// Where it is published (empty: not given).
    pub url: String,
}

impl Organ {
    /// An organ without a policy.
    pub fn unset(name: &str) -> Organ {
        Organ {
            name: name.to_string(),
            status: OrganStatus::NotSet,
            since: None,
            url: String::new(),
        }
    }

    /// Whether it has no policy on `day`: none set, or set only later.
    pub fn lacks_on(&self, day: Date) -> bool {
        self.status == OrganStatus::NotSet || self.since.is_some_and(|d| d > day)
    }
}

/// Checks what an officer typed for an organ: a name, a URL that is one
/// (`http://` or `https://`), a date for a policy set.
pub fn check_organ(organ: &Organ) -> Result<(), String> {
    let name = organ.name.trim();
    if name.is_empty() || name.chars().count() > MAX_ORGAN_CHARS {
        return Err(format!(
            "an organ's name is 1 to {MAX_ORGAN_CHARS} characters"
        ));
    }
    if !organ.url.is_empty()
        && (organ.url.chars().count() > MAX_URL_CHARS
            || !(organ.url.starts_with("https://") || organ.url.starts_with("http://"))
            || organ.url.chars().any(char::is_whitespace))
    {
        return Err(format!("{:?} is not a URL (https://…)", organ.url));
    }
    if organ.status == OrganStatus::NotSet && (organ.since.is_some() || !organ.url.is_empty()) {
        return Err("an organ without a policy has no date and no URL".into());
    }
    Ok(())
}

/// The counts of a group of bodies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Bodies.
    pub bodies: usize,
    /// Of which have recorded their organs.
    pub recorded: usize,
    /// Of which every organ has its policy.
    pub complete: usize,
    /// Of which some organ has none.
    pub lacking: usize,
    /// Organs recorded.
    pub organs: usize,
    /// Of which have their policy.
    pub organs_with: usize,
}

impl Tally {
    fn add(&mut self, organs: Option<&[Organ]>, day: Date) {
        self.bodies += 1;
        let Some(organs) = organs else { return };
        self.recorded += 1;
        let lacking = organs.iter().filter(|o| o.lacks_on(day)).count();
        self.organs += organs.len();
        self.organs_with += organs.len() - lacking;
        if lacking == 0 {
            self.complete += 1;
        } else {
            self.lacking += 1;
        }
    }
}

/// A body with an organ that has no policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lacking {
    /// The body.
    pub code: BodyCode,
    /// Its name.
    pub name: String,
    /// Its prefecture's name.
    pub prefecture: String,
    /// The organs without one.
    pub organs: Vec<String>,
}

/// The national status on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct National {
    /// The day counted (the obligation's first day, or a later today).
    pub day: Date,
    /// Every body.
    pub total: Tally,
    /// Per prefecture (its own and its municipalities), in code order.
    pub by_prefecture: Vec<(BodyCode, String, Tally)>,
    /// Per kind of body.
    pub by_kind: Vec<(BodyKind, Tally)>,
    /// The bodies any of whose organs has none, in code order.
    pub lacking: Vec<Lacking>,
}

/// Counts `bodies` (each with its organs, `None` when not recorded) on
/// `today`, or on the day the obligation takes effect while it is not in
/// force yet.
pub fn national(bodies: &[(&Body, Option<&[Organ]>)], today: Date) -> National {
    let day = today.max(in_force());
    let mut total = Tally::default();
    let mut by_prefecture: BTreeMap<BodyCode, (String, Tally)> = BTreeMap::new();
    let mut by_kind: BTreeMap<usize, Tally> = BTreeMap::new();
    let names: BTreeMap<BodyCode, String> = bodies
        .iter()
        .filter(|(b, _)| b.kind == BodyKind::Prefecture)
        .map(|(b, _)| (b.code, b.name.clone()))
        .collect();
    let mut lacking = Vec::new();
    for (body, organs) in bodies {
        total.add(*organs, day);
        let pref_name = names.get(&body.prefecture).cloned().unwrap_or_default();
        by_prefecture
            .entry(body.prefecture)
            .or_insert_with(|| (pref_name.clone(), Tally::default()))
            .1
            .add(*organs, day);
        let kind = BodyKind::ALL
            .iter()
            .position(|k| *k == body.kind)
            .unwrap_or(0);
        by_kind.entry(kind).or_default().add(*organs, day);
        if let Some(organs) = organs {
            let without: Vec<String> = organs
                .iter()
                .filter(|o| o.lacks_on(day))
                .map(|o| o.name.clone())
                .collect();
            if !without.is_empty() {
                lacking.push(Lacking {
                    code: body.code,
                    name: body.name.clone(),
                    prefecture: pref_name,
                    organs: without,
                });
            }
        }
    }
    lacking.sort_by_key(|l| l.code);
    National {
        day,
        total,
        by_prefecture: by_prefecture
            .into_iter()
            .map(|(c, (n, t))| (c, n, t))
            .collect(),
        by_kind: by_kind
            .into_iter()
            .map(|(k, t)| (BodyKind::ALL[k], t))
            .collect(),
        lacking,
    }
}

/// The words of the workbook, in the reader's language (the caller
/// translates).
#[derive(Debug, Clone)]
pub struct Words {
    /// The title line.
    pub title: String,
    /// The sheets' names: by prefecture, by kind, bodies lacking.
    pub sheets: [String; 3],
    /// The tallies' headers: group, bodies, recorded, complete, lacking,
    /// organs, organs with a policy.
    pub tally: [String; 7],
    /// The list's headers: code, body, prefecture, organs without.
    pub list: [String; 4],
    /// Each kind of body's name, in [`BodyKind::ALL`]'s order.
    pub kinds: [String; 5],
}

/// The national status as a workbook: by prefecture, by kind of body, and
/// the bodies lacking.
pub fn national_xlsx(n: &National, words: &Words) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let font = "游ゴシック";
    let bold = Format::new().set_bold().set_font_name(font);
    let head = Format::new()
        .set_bold()
        .set_font_name(font)
        .set_background_color("#DCE6F1")
        .set_border(FormatBorder::Thin);
    let plain = Format::new().set_font_name(font);
    let kind_name = |k: BodyKind| {
        let i = BodyKind::ALL.iter().position(|x| *x == k).unwrap_or(0);
        words.kinds[i].clone()
    };
    let tallies: [Vec<(String, Tally)>; 2] = [
        n.by_prefecture
            .iter()
            .map(|(_, name, t)| (name.clone(), *t))
            .chain([(String::new(), n.total)])
            .collect(),
        n.by_kind
            .iter()
            .map(|(k, t)| (kind_name(*k), *t))
            .chain([(String::new(), n.total)])
            .collect(),
    ];
    for (sheet, rows) in words.sheets.iter().zip(&tallies) {
        let ws = book.add_worksheet();
        ws.set_name(sheet)?;
        ws.write_string_with_format(0, 0, &words.title, &bold)?;
        for (col, h) in (0u16..).zip(&words.tally) {
            ws.write_string_with_format(2, col, h, &head)?;
            ws.set_column_width(col, if col == 0 { 16.0 } else { 12.0 })?;
        }
        for (i, (name, t)) in rows.iter().enumerate() {
            let r = 3 + u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)?;
            ws.write_string_with_format(r, 0, name, &plain)?;
            let figures = [
                t.bodies,
                t.recorded,
                t.complete,
                t.lacking,
                t.organs,
                t.organs_with,
            ];
            for (col, v) in (1u16..).zip(figures) {
                ws.write_number_with_format(r, col, v as f64, &plain)?;
            }
        }
    }
    let ws = book.add_worksheet();
    ws.set_name(&words.sheets[2])?;
    ws.write_string_with_format(0, 0, &words.title, &bold)?;
    for (col, (h, w)) in (0u16..).zip(words.list.iter().zip([11.0, 18.0, 12.0, 60.0])) {
        ws.write_string_with_format(2, col, h, &head)?;
        ws.set_column_width(col, w)?;
    }
    for (i, l) in n.lacking.iter().enumerate() {
        let r = 3 + u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)?;
        ws.write_string_with_format(r, 0, l.code.to_string(), &plain)?;
        ws.write_string_with_format(r, 1, &l.name, &plain)?;
        ws.write_string_with_format(r, 2, &l.prefecture, &plain)?;
        ws.write_string_with_format(r, 3, l.organs.join("、"), &plain)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
#[path = "organs_tests.rs"]
mod tests;
