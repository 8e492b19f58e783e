//! The register's values: its fourteen columns, the words each cell may
//! hold, and one item (a row) typed.
//!
//! A cell is read after NFKC (full-width forms are the same word) and
//! trimmed; an empty cell is `None`; a word not in the column's list is an
//! invalid cell ([`CellProblem`]), kept apart so that the checks can say
//! so where a rule needs that cell.

use std::fmt;

use kaitei_model::Date;
use kaitei_model::text::normalize;

/// The columns, in the order of row 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// 管理番号: the item's number in the body's inventory (its key).
    Number,
    /// 機器種別: what the equipment is (free text: PC, サーバ …).
    Equipment,
    /// 媒体種別.
    Media,
    /// 所有形態.
    Ownership,
    /// 最高格付: the highest classification of information it held.
    Classification,
    /// 処理: what became of it.
    Handling,
    /// 処理日.
    HandledOn,
    /// 消去方法.
    Method,
    /// 自己暗号化: whether the device encrypts itself.
    SelfEncrypting,
    /// 実施者: who erased it.
    Performer,
    /// 事業者名: the contractor (free text).
    Contractor,
    /// 立会者: who witnessed it (a name, or empty).
    Witness,
    /// 記録: what records the erasure.
    Evidence,
    /// 消去証明書: the erasure certificate's file name, or なし.
    Certificate,
}

impl Column {
    /// Every column, in order.
    pub const ALL: [Column; 14] = [
        Column::Number,
        Column::Equipment,
        Column::Media,
        Column::Ownership,
        Column::Classification,
        Column::Handling,
        Column::HandledOn,
        Column::Method,
        Column::SelfEncrypting,
        Column::Performer,
        Column::Contractor,
        Column::Witness,
        Column::Evidence,
        Column::Certificate,
    ];

    /// Its header in row 1.
    pub fn header(self) -> &'static str {
        HEADERS[self.index()]
    }

    /// Its position (0 for A).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The words a cell of it may hold (empty: free text or a date).
    pub fn words(self) -> &'static [&'static str] {
        match self {
            Column::Media => Media::WORDS,
            Column::Ownership => Ownership::WORDS,
            Column::Classification => Classification::WORDS,
            Column::Handling => Handling::WORDS,
            Column::Method => Method::WORDS,
            Column::SelfEncrypting => &["はい", "いいえ"],
            Column::Performer => Performer::WORDS,
            Column::Evidence => Evidence::WORDS,
            _ => &[],
        }
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.header())
    }
}

/// Row 1, exactly.
pub const HEADERS: [&str; 14] = [
    "管理番号",
    "機器種別",
    "媒体種別",
    "所有形態",
    "最高格付",
    "処理",
    "処理日",
    "消去方法",
    "自己暗号化",
    "実施者",
    "事業者名",
    "立会者",
    "記録",
    "消去証明書",
];

/// Declares a value of a column: its variants, each with its word in the
/// register and its identifier as stored and in the API.
macro_rules! words {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = ($word:literal, $id:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in the register's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The words, in the register's order.
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            /// Its word in the register.
            pub fn word(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }

            /// Its identifier, as stored and in the API.
            pub fn id(self) -> &'static str {
                match self {
                    $($name::$variant => $id),+
                }
            }

            /// The value of identifier `id`.
            pub fn from_id(id: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.id() == id)
            }

            /// The value a cell's text names (after NFKC, trimmed).
            pub fn from_word(text: &str) -> Option<$name> {
                let text = normalize(text.trim());
                Self::ALL.iter().copied().find(|v| normalize(v.word()) == text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.word())
            }
        }
    };
}

words! {
    /// 媒体種別: what stores the data.
    Media {
        /// A hard disk (magnetic).
        Hdd = ("HDD", "hdd"),
        /// A solid-state drive (flash).
        Ssd = ("SSD", "ssd"),
        /// USB memory, SD cards (flash).
        Flash = ("フラッシュメモリ", "flash"),
        /// Magnetic tape.
        Tape = ("磁気テープ", "tape"),
        /// CD, DVD, Blu-ray.
        Optical = ("光ディスク", "optical"),
        /// Anything else.
        Other = ("その他", "other"),
    }
}

impl Media {
    /// Whether degaussing erases it: magnetic media only (HDD, tape).
    pub fn magnetic(self) -> bool {
        matches!(self, Media::Hdd | Media::Tape)
    }
}

words! {
    /// 所有形態.
    Ownership {
        /// 所有: the body's own.
        Owned = ("所有", "owned"),
        /// リース: leased (returned at the end: the 2019 case).
        Leased = ("リース", "leased"),
        /// レンタル.
        Rented = ("レンタル", "rented"),
    }
}

words! {
    /// 最高格付: the highest classification (機密性) of the information
    /// the equipment held.
    Classification {
        /// 機密性3A.
        ThreeA = ("3A", "3a"),
        /// 機密性3B.
        ThreeB = ("3B", "3b"),
        /// 機密性3C.
        ThreeC = ("3C", "3c"),
        /// 機密性2.
        Two = ("2", "2"),
        /// 機密性1.
        One = ("1", "1"),
    }
}

impl Classification {
    /// The value a cell names: a word of the list, or the old single class
    /// 3, read as 3A.
    pub fn read(text: &str) -> Option<Classification> {
        if normalize(text.trim()) == "3" {
            return Some(Classification::ThreeA);
        }
        Classification::from_word(text)
    }
}

words! {
    /// 処理: what became of the equipment.
    Handling {
        /// 廃棄: disposed of.
        Discarded = ("廃棄", "discarded"),
        /// 返却: returned (to the lessor or renter).
        Returned = ("返却", "returned"),
        /// 再利用（庁外）: reused outside the body.
        ReusedOutside = ("再利用（庁外）", "reused_outside"),
        /// 再利用（庁内）: reused inside the body.
        ReusedInside = ("再利用（庁内）", "reused_inside"),
        /// 保管: kept.
        Kept = ("保管", "kept"),
    }
}

impl Handling {
    /// Whether the equipment leaves the body's hands: the rules apply only
    /// then (廃棄, 返却, 再利用（庁外）).
    pub fn leaves(self) -> bool {
        matches!(
            self,
            Handling::Discarded | Handling::Returned | Handling::ReusedOutside
        )
    }
}

words! {
    /// 消去方法, from the strongest.
    Method {
        /// 物理破壊 (NIST SP 800-88 Destroy).
        Destruction = ("物理破壊", "destruction"),
        /// 磁気破壊: degaussing (Purge, magnetic media only).
        Degaussing = ("磁気破壊", "degaussing"),
        /// 暗号化消去: cryptographic erase (Purge, self-encrypting devices only).
        CryptoErase = ("暗号化消去", "crypto_erase"),
        /// 上書き消去: overwriting (Clear).
        Overwrite = ("上書き消去", "overwrite"),
        /// なし: nothing done.
        Nothing = ("なし", "none"),
    }
}

impl Method {
    /// Its rank as written: 物理破壊 3 > 磁気破壊 = 暗号化消去 2 > 上書き消去 1 > なし 0.
    pub fn rank(self) -> u8 {
        match self {
            Method::Destruction => 3,
            Method::Degaussing | Method::CryptoErase => 2,
            Method::Overwrite => 1,
            Method::Nothing => 0,
        }
    }

    /// What it counts as on `media`, `self_encrypting` or not: 磁気破壊 on
    /// a medium that is not magnetic counts as なし (degaussing does not
    /// erase flash); 暗号化消去 without a self-encrypting device counts as
    /// 上書き消去.
    pub fn counts_as(self, media: Media, self_encrypting: bool) -> Method {
        match self {
            Method::Degaussing if !media.magnetic() => Method::Nothing,
            Method::CryptoErase if !self_encrypting => Method::Overwrite,
            m => m,
        }
    }
}

words! {
    /// 実施者: who erased it.
    Performer {
        /// 職員: the body's staff.
        Staff = ("職員", "staff"),
        /// 事業者: a contractor.
        Contractor = ("事業者", "contractor"),
    }
}

words! {
    /// 記録: what records the erasure being done.
    Evidence {
        /// 写真.
        Photo = ("写真", "photo"),
        /// 動画.
        Video = ("動画", "video"),
        /// なし.
        Nothing = ("なし", "none"),
    }
}

/// 自己暗号化 as a cell says it: はい or いいえ.
pub fn read_yes_no(text: &str) -> Option<bool> {
    match normalize(text.trim()).as_str() {
        "はい" => Some(true),
        "いいえ" => Some(false),
        _ => None,
    }
}

/// The word for `yes` in the register.
pub fn yes_no(yes: bool) -> &'static str {
    if yes { "はい" } else { "いいえ" }
}

/// 消去証明書: none, or the file of the certificate.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Certificate {
    /// なし.
    Nothing,
    /// A file name (an attachment of that name holds it).
    File(String),
}

impl Certificate {
    /// The cell's text.
    pub fn word(&self) -> &str {
        match self {
            Certificate::Nothing => "なし",
            Certificate::File(f) => f,
        }
    }

    /// The certificate a cell names (`なし`, else a file name).
    pub fn read(text: &str) -> Certificate {
        let t = text.trim();
        if normalize(t) == "なし" {
            Certificate::Nothing
        } else {
            Certificate::File(t.to_string())
        }
    }
}

/// One item of the register, typed; `None` is an empty cell (or, in a
/// row read from a file, an invalid one: see [`CellProblem`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Item {
    /// 管理番号 (never empty in a valid row).
    pub number: String,
    /// 機器種別.
    pub equipment: String,
    /// 媒体種別.
    pub media: Option<Media>,
    /// 所有形態.
    pub ownership: Option<Ownership>,
    /// 最高格付.
    pub classification: Option<Classification>,
    /// 処理.
    pub handling: Option<Handling>,
    /// 処理日.
    pub handled_on: Option<Date>,
    /// 消去方法.
    pub method: Option<Method>,
    /// 自己暗号化.
    pub self_encrypting: Option<bool>,
    /// 実施者.
    pub performer: Option<Performer>,
    /// 事業者名.
    pub contractor: String,
    /// 立会者 (empty: none).
    pub witness: String,
    /// 記録.
    pub evidence: Option<Evidence>,
    /// 消去証明書.
    pub certificate: Option<Certificate>,
}

impl Item {
    /// Its cells as the register writes them (a date as `YYYY-MM-DD`).
    pub fn cells(&self) -> [String; 14] {
        let w = |v: Option<&'static str>| v.unwrap_or("").to_string();
        [
            self.number.clone(),
            self.equipment.clone(),
            w(self.media.map(Media::word)),
            w(self.ownership.map(Ownership::word)),
            w(self.classification.map(Classification::word)),
            w(self.handling.map(Handling::word)),
            self.handled_on.map(|d| d.to_string()).unwrap_or_default(),
            w(self.method.map(Method::word)),
            w(self.self_encrypting.map(yes_no)),
            w(self.performer.map(Performer::word)),
            self.contractor.clone(),
            self.witness.clone(),
            w(self.evidence.map(Evidence::word)),
            self.certificate
                .as_ref()
                .map(|c| c.word().to_string())
                .unwrap_or_default(),
        ]
    }

    /// Reads an item from its cells' text (a date as `YYYY-MM-DD`): the
    /// item, with each invalid cell `None` and named with its problem.
    pub fn read(cells: &[String; 14]) -> (Item, Vec<(Column, CellProblem)>) {
        let mut problems = Vec::new();
        let mut word = |column: Column, parse: &dyn Fn(&str) -> bool| {
            let text = cells[column.index()].trim();
            if text.is_empty() {
                return None;
            }
            if !parse(text) {
                problems.push((column, CellProblem::NotOneOf(text.to_string())));
                return None;
            }
            Some(text.to_string())
        };
        let media = word(Column::Media, &|t| Media::from_word(t).is_some())
            .and_then(|t| Media::from_word(&t));
        let ownership = word(Column::Ownership, &|t| Ownership::from_word(t).is_some())
            .and_then(|t| Ownership::from_word(&t));
        let classification = word(Column::Classification, &|t| {
            Classification::read(t).is_some()
        })
        .and_then(|t| Classification::read(&t));
        let handling = word(Column::Handling, &|t| Handling::from_word(t).is_some())
            .and_then(|t| Handling::from_word(&t));
        let method = word(Column::Method, &|t| Method::from_word(t).is_some())
            .and_then(|t| Method::from_word(&t));
        let self_encrypting = word(Column::SelfEncrypting, &|t| read_yes_no(t).is_some())
            .and_then(|t| read_yes_no(&t));
        let performer = word(Column::Performer, &|t| Performer::from_word(t).is_some())
            .and_then(|t| Performer::from_word(&t));
        let evidence = word(Column::Evidence, &|t| Evidence::from_word(t).is_some())
            .and_then(|t| Evidence::from_word(&t));
        let date_text = normalize(cells[Column::HandledOn.index()].trim());
        let handled_on = if date_text.is_empty() {
            None
        } else {
            let d = Date::parse_iso(&date_text);
            if d.is_none() {
                problems.push((Column::HandledOn, CellProblem::NotADate(date_text)));
            }
            d
        };
        let certificate = Some(cells[Column::Certificate.index()].trim())
            .filter(|t| !t.is_empty())
            .map(Certificate::read);
        let item = Item {
            number: cells[Column::Number.index()].trim().to_string(),
            equipment: cells[Column::Equipment.index()].trim().to_string(),
            media,
            ownership,
            classification,
            handling,
            handled_on,
            method,
            self_encrypting,
            performer,
            contractor: cells[Column::Contractor.index()].trim().to_string(),
            witness: cells[Column::Witness.index()].trim().to_string(),
            evidence,
            certificate,
        };
        problems.sort();
        (item, problems)
    }
}

/// What is wrong with a cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CellProblem {
    /// Empty where a value is needed.
    Empty,
    /// Not one of the column's words (the text found).
    NotOneOf(String),
    /// Not a date (the text found).
    NotADate(String),
    /// A 管理番号 an earlier row has (that row).
    Duplicate(usize),
}

impl CellProblem {
    /// In English, for the command line.
    pub fn english(&self, column: Column) -> String {
        match self {
            CellProblem::Empty => "empty".into(),
            CellProblem::NotOneOf(t) => {
                format!("{t:?} is not one of {}", column.words().join(" / "))
            }
            CellProblem::NotADate(t) => {
                format!("{t:?} is not a date (an Excel date or YYYY-MM-DD)")
            }
            CellProblem::Duplicate(row) => format!("the same 管理番号 as row {row}"),
        }
    }

    /// In Japanese, for the web.
    pub fn japanese(&self, column: Column) -> String {
        match self {
            CellProblem::Empty => "空欄です".into(),
            CellProblem::NotOneOf(t) => {
                format!(
                    "「{t}」は {} のいずれでもありません",
                    column.words().join("／")
                )
            }
            CellProblem::NotADate(t) => {
                format!("「{t}」は日付ではありません（Excelの日付か YYYY-MM-DD）")
            }
            CellProblem::Duplicate(row) => format!("{row}行目と同じ管理番号です"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(pairs: &[(Column, &str)]) -> [String; 14] {
        let mut c: [String; 14] = Default::default();
        for (col, v) in pairs {
            c[col.index()] = (*v).to_string();
        }
        c
    }

    #[test]
    fn full_width_forms_and_the_old_class_3_are_read() {
        let (item, problems) = Item::read(&cells(&[
            (Column::Number, "A-1"),
            (Column::Media, "ＳＳＤ"),
            (Column::Classification, "３Ａ"),
            (Column::Handling, "再利用(庁外)"),
            (Column::HandledOn, "２０２６-０３-３１"),
            (Column::Method, "暗号化消去"),
            (Column::SelfEncrypting, "はい"),
        ]));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(item.media, Some(Media::Ssd));
        assert_eq!(item.classification, Some(Classification::ThreeA));
        assert_eq!(item.handling, Some(Handling::ReusedOutside));
        assert_eq!(item.handled_on, Date::new(2026, 3, 31));
        assert_eq!(Classification::read("3"), Some(Classification::ThreeA));
        assert_eq!(Classification::read("2"), Some(Classification::Two));
        assert_eq!(Classification::read("3D"), None);
    }

    #[test]
    fn an_unknown_word_is_a_problem_of_its_cell() {
        let (item, problems) = Item::read(&cells(&[
            (Column::Number, "A-1"),
            (Column::Media, "DVD"),
            (Column::HandledOn, "2026/3/31"),
        ]));
        assert_eq!(item.media, None);
        assert_eq!(
            problems,
            vec![
                (Column::Media, CellProblem::NotOneOf("DVD".into())),
                (Column::HandledOn, CellProblem::NotADate("2026/3/31".into())),
            ]
        );
    }

    #[test]
    fn every_value_reads_back_from_its_word_and_its_id() {
        for m in Media::ALL {
            assert_eq!(Media::from_word(m.word()), Some(*m));
            assert_eq!(Media::from_id(m.id()), Some(*m));
        }
        for m in Method::ALL {
            assert_eq!(Method::from_word(m.word()), Some(*m));
            assert_eq!(Method::from_id(m.id()), Some(*m));
        }
        for h in Handling::ALL {
            assert_eq!(Handling::from_word(h.word()), Some(*h));
        }
        for (i, c) in Column::ALL.iter().enumerate() {
            assert_eq!(c.index(), i);
        }
    }
}
