//! Word's automatic numbering (`word/numbering.xml`): which label Word
//! renders in front of a numbered paragraph.

use std::collections::HashMap;

use kaitei_model::numeral::to_kanji;
use quick_xml::events::Event;

use super::xml::{XmlError, attr, events};

/// Level texts longer than this many characters give no label. Word's own
/// are a few characters (`第%1条`, `%1.%2.%3.`); without a bound, one level
/// text of a hostile file, copied into every paragraph of its list, made
/// gigabytes of labels (a 200,000-character text × 5,000 paragraphs ran
/// for four minutes in a debug build).
const MAX_LEVEL_TEXT: usize = 64;

/// Levels 0–8: Word has nine; `%1`…`%9` name them.
const LEVELS: usize = 9;

/// One level of a list definition.
#[derive(Debug, Clone, Default)]
struct Level {
    start: u32,
    format: String,
    text: String,
}

/// One list (`w:num`): its definition, start overrides and counters.
#[derive(Debug, Default)]
struct Num {
    /// `w:abstractNumId` as read; resolved to `levels` after reading.
    abstract_id: Option<String>,
    /// Index into [`Numbering::abstracts`].
    levels: Option<usize>,
    overrides: [Option<u32>; LEVELS],
    counters: [Option<u32>; LEVELS],
}

/// The numbering definitions of a document, and the counters as paragraphs
/// are read in order.
///
/// Definitions are linked by index once, after reading: looking ids up
/// again for every element or paragraph let one huge id (or level text, or
/// format name) be hashed or copied once per paragraph.
#[derive(Debug, Default)]
pub struct Numbering {
    /// The levels of each `w:abstractNum`.
    abstracts: Vec<[Option<Level>; LEVELS]>,
    /// numId → index into `lists`.
    nums: HashMap<String, usize>,
    lists: Vec<Num>,
}

impl Numbering {
    /// Reads `numbering.xml`.
    pub fn parse(xml: &str) -> Result<Numbering, XmlError> {
        let mut n = Numbering::default();
        let mut abstract_ids: HashMap<String, usize> = HashMap::new();
        let mut current_abstract: Option<usize> = None;
        let mut current_num: Option<usize> = None;
        let mut current_level: Option<usize> = None;
        let mut override_level: Option<usize> = None;
        let level_attr = |e: &quick_xml::events::BytesStart<'_>| {
            attr(e, b"w:ilvl")
                .and_then(|v| v.parse().ok())
                .filter(|&l| l < LEVELS)
        };
        events(xml, |event| match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"w:abstractNum" => {
                    current_abstract = attr(&e, b"w:abstractNumId").map(|id| {
                        *abstract_ids.entry(id).or_insert_with(|| {
                            n.abstracts.push(Default::default());
                            n.abstracts.len() - 1
                        })
                    });
                }
                b"w:lvl" => {
                    current_level = level_attr(&e);
                    if let (Some(a), Some(l)) = (current_abstract, current_level) {
                        n.abstracts[a][l] = Some(Level {
                            start: 1,
                            format: "decimal".into(),
                            text: String::new(),
                        });
                    }
                }
                b"w:start" | b"w:numFmt" | b"w:lvlText" if current_num.is_none() => {
                    let (Some(a), Some(l)) = (current_abstract, current_level) else {
                        return;
                    };
                    let Some(level) = n.abstracts[a][l].as_mut() else {
                        return;
                    };
                    let val = attr(&e, b"w:val").unwrap_or_default();
                    match e.name().as_ref() {
                        b"w:start" => level.start = val.parse().unwrap_or(1),
                        b"w:numFmt" => level.format = val,
                        _ if val.chars().nth(MAX_LEVEL_TEXT).is_some() => level.text.clear(),
                        _ => level.text = val,
                    }
                }
                b"w:num" => {
                    current_num = attr(&e, b"w:numId").map(|id| {
                        *n.nums.entry(id).or_insert_with(|| {
                            n.lists.push(Num::default());
                            n.lists.len() - 1
                        })
                    });
                }
                b"w:abstractNumId" => {
                    if let (Some(num), Some(a)) = (current_num, attr(&e, b"w:val")) {
                        n.lists[num].abstract_id = Some(a);
                    }
                }
                b"w:lvlOverride" => {
                    override_level = level_attr(&e);
                }
                b"w:startOverride" => {
                    if let (Some(num), Some(l), Some(v)) = (
                        current_num,
                        override_level,
                        attr(&e, b"w:val").and_then(|v| v.parse().ok()),
                    ) {
                        n.lists[num].overrides[l] = Some(v);
                    }
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                b"w:abstractNum" => current_abstract = None,
                b"w:lvl" => current_level = None,
                b"w:num" => current_num = None,
                b"w:lvlOverride" => override_level = None,
                _ => {}
            },
            _ => {}
        })?;
        for list in &mut n.lists {
            list.levels = list
                .abstract_id
                .take()
                .and_then(|id| abstract_ids.get(&id).copied());
        }
        Ok(n)
    }

    /// Advances the counter of list `num` at level `ilvl` and returns the
    /// label Word shows for the paragraph, or `None` for bullets, `none`
    /// and unknown lists.
    pub fn next_label(&mut self, num: &str, ilvl: usize) -> Option<String> {
        if num == "0" || ilvl >= LEVELS {
            return None;
        }
        let list = &mut self.lists[*self.nums.get(num)?];
        let levels = &self.abstracts[list.levels?];
        let level = levels[ilvl].as_ref()?;
        let starts: [u32; LEVELS] = std::array::from_fn(|l| {
            list.overrides[l]
                .or_else(|| levels[l].as_ref().map(|lv| lv.start))
                .unwrap_or(1)
        });
        let counters = &mut list.counters;
        // Saturating: a hostile `w:start` of 4294967295 must not overflow.
        let value = counters[ilvl].map_or(starts[ilvl], |v| v.saturating_add(1));
        counters[ilvl] = Some(value);
        for c in counters.iter_mut().skip(ilvl + 1) {
            *c = None;
        }
        let counters = *counters;
        if level.format == "bullet" || level.format == "none" || level.text.is_empty() {
            return None;
        }
        // `%2` in a level's text is level 2's counter in level 2's format.
        let mut out = String::new();
        let mut chars = level.text.chars().peekable();
        while let Some(c) = chars.next() {
            let digit = chars.peek().and_then(|d| d.to_digit(10));
            match (c, digit) {
                ('%', Some(d @ 1..=9)) => {
                    chars.next();
                    let l = d as usize - 1;
                    let v = counters[l].unwrap_or(starts[l]);
                    let fmt = levels[l]
                        .as_ref()
                        .map_or("decimal", |lv| lv.format.as_str());
                    out.push_str(&format_number(v, fmt));
                }
                _ => out.push(c),
            }
        }
        Some(out)
    }
}

/// Renders `n` in Word's number format `fmt`.
pub fn format_number(n: u32, fmt: &str) -> String {
    const AIUEO: &str = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";
    const IROHA: &str = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス";
    let nth = |set: &str| {
        set.chars()
            .nth((n.max(1) - 1) as usize % set.chars().count())
            .map(String::from)
            .unwrap_or_default()
    };
    match fmt {
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .filter_map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32))
            .collect(),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => match n {
            1..=20 => char::from_u32(0x2460 + n - 1)
                .map(String::from)
                .unwrap_or_default(),
            21..=35 => char::from_u32(0x3251 + n - 21)
                .map(String::from)
                .unwrap_or_default(),
            36..=50 => char::from_u32(0x32B1 + n - 36)
                .map(String::from)
                .unwrap_or_default(),
            _ => n.to_string(),
        },
        "decimalEnclosedParen" => match n {
            1..=20 => char::from_u32(0x2474 + n - 1)
                .map(String::from)
                .unwrap_or_default(),
            _ => format!("({n})"),
        },
        "aiueo" | "aiueoFullWidth" => nth(AIUEO),
        "iroha" | "irohaFullWidth" => nth(IROHA),
        "lowerLetter" => nth("abcdefghijklmnopqrstuvwxyz"),
        "upperLetter" => nth("ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
        // `to_kanji` writes numbers below 10,000 only (it panics above), and
        // roman numerals past 3999 are a run of thousands of `M`s (a start of
        // 4294967295 made each label 4 MB): such values from a hostile or
        // broken numbering.xml are written in Arabic numerals instead.
        "japaneseCounting"
        | "japaneseLegal"
        | "chineseCounting"
        | "chineseCountingThousand"
        | "ideographTraditional"
        | "japaneseDigitalTenThousand"
        | "ideographDigital"
            if n < 10_000 =>
        {
            to_kanji(n)
        }
        "lowerRoman" if n <= 3999 => roman(n).to_lowercase(),
        "upperRoman" if n <= 3999 => roman(n),
        _ => n.to_string(),
    }
}

fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (v, s) in TABLE {
        while n >= v {
            out.push_str(s);
            n -= v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<w:numbering xmlns:w="x">
      <w:abstractNum w:abstractNumId="1">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%1)"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%2"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="aiueoFullWidth"/><w:lvlText w:val="%3"/></w:lvl>
        <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%4."/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>
      <w:num w:numId="6"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    #[test]
    fn counts_levels_and_restarts() {
        let mut n = Numbering::parse(XML).unwrap();
        let mut next = |num: &str, l| n.next_label(num, l).unwrap_or_default();
        assert_eq!(next("5", 0), "(1)");
        assert_eq!(next("5", 1), "①");
        assert_eq!(next("5", 1), "②");
        assert_eq!(next("5", 2), "ア");
        assert_eq!(next("5", 0), "(2)");
        assert_eq!(next("5", 1), "①", "a lower level restarts");
        assert_eq!(next("5", 3), "2.1.");
        assert_eq!(next("6", 0), "(3)", "startOverride");
    }

    #[test]
    fn formats() {
        assert_eq!(format_number(12, "japaneseCounting"), "十二");
        assert_eq!(format_number(3, "iroha"), "ハ");
        assert_eq!(format_number(21, "decimalEnclosedCircle"), "㉑");
        assert_eq!(format_number(2, "decimalEnclosedParen"), "⑵");
        assert_eq!(format_number(4, "lowerRoman"), "iv");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
    }
}
