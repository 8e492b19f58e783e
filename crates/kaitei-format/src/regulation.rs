//! The enactment preamble of a regulation as a 例規集 prints it, before the
//! 目次 and the first article:
//!
//! ```text
//! ○紫波町情報セキュリティ対策規程
//! 平成23年11月25日
//! 訓令第3号
//! 改正　平成28年3月31日訓令第5号
//! 　　　令和5年3月31日訓令第1号
//! 紫波町情報セキュリティ規程（平成17年訓令第2号）の全部を次のように改正する。
//! ```
//!
//! The `○` line (or a first line followed by the date) is the title, the
//! date in 和暦 is `published`, `訓令第3号` the regulation's number, the
//! `改正` lines its amendments; the lines are taken out of the text. What
//! follows (an enacting sentence) stays preamble text. Readers of text
//! without front matter (pasted from a web page, or Word) use it; the
//! authoring format has its front matter instead.

use kaitei_model::{Amendment, Date, LabelContext, TitleBody, registry, split_label};
use serde_yaml_ng::{Mapping, Value};

use crate::block::Block;
use crate::diagnostic::Diagnostic;

/// The longest first line (in characters) read as a title when no `○`
/// marks it: titles of regulations run to some 40 characters.
pub const TITLE_MAX: usize = 80;

/// What a regulation's preamble says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Enactment {
    /// The title and the line it was read on.
    pub title: Option<(usize, String)>,
    /// The day it was enacted.
    pub published: Option<Date>,
    /// Its number (`訓令第3号`).
    pub number: Option<String>,
    /// Its amendments, as listed.
    pub amendments: Vec<Amendment>,
}

/// Whether `s` is a regulation's number: `訓令第3号`, `規程第1号`,
/// `教育委員会訓令第2号`, `訓令甲第3号` — no white space, ending in `第N号`.
fn number(s: &str) -> Option<&str> {
    let s = s.trim_matches(|c: char| c.is_whitespace());
    let inner = s.strip_suffix('号')?;
    let at = inner.rfind('第')?;
    let digits = &inner[at + '第'.len_utf8()..];
    let numeric = !digits.is_empty()
        && digits.chars().all(|c| {
            kaitei_model::numeral::arabic_digit(c).is_some()
                || kaitei_model::numeral::is_kanji_numeral_char(c)
        });
    (numeric && s.chars().count() <= 24 && !s.contains(char::is_whitespace)).then_some(s)
}

/// Words that may follow the date of a regulation that has no number.
const DATE_SUFFIXES: &[&str] = &["制定", "決裁", "施行", "告示", "訓令", "公布"];

/// A date line: `平成23年11月25日`, `平成23年11月25日訓令第3号`,
/// `平成23年11月25日制定`, or the same in parentheses.
fn date_line(s: &str) -> Option<(Date, Option<String>)> {
    let s = s
        .strip_prefix(['（', '('])
        .and_then(|t| t.strip_suffix(['）', ')']))
        .unwrap_or(s);
    let (date, len) = Date::parse_wareki(s)?;
    let rest = s[len..].trim_matches(|c: char| c.is_whitespace());
    if rest.is_empty() || DATE_SUFFIXES.contains(&rest) {
        return Some((date, None));
    }
    number(rest).map(|n| (date, Some(n.to_string())))
}

/// One amendment: a date and (optionally) the amending number.
fn amendment(s: &str) -> Option<Amendment> {
    let (date, len) = Date::parse_wareki(s)?;
    let rest = &s[len..];
    let number = if rest.is_empty() {
        String::new()
    } else {
        self::number(rest)?.to_string()
    };
    Some(Amendment { date, number })
}

/// A list of amendments on one line, separated by white space or `、`.
fn amendments(s: &str) -> Option<Vec<Amendment>> {
    let items: Option<Vec<Amendment>> = s
        .split(|c: char| c.is_whitespace() || matches!(c, '、' | '，' | ','))
        .filter(|p| !p.is_empty())
        .map(amendment)
        .collect();
    items.filter(|v| !v.is_empty())
}

fn title_like(s: &str) -> bool {
    split_label(s, LabelContext::Item).is_none()
        && !s.contains('。')
        && !s.starts_with(['（', '(', '・'])
        && s.chars().count() <= TITLE_MAX
}

/// Reads the preamble from `lines` (the leading lines of a text); returns
/// what it says and how many lines it took.
fn read(lines: &[(usize, &str)]) -> (Enactment, usize) {
    let mut e = Enactment::default();
    let mut i = 0;
    let text = |i: usize| lines.get(i).map(|&(_, t)| t);
    if let Some(first) = text(0) {
        if let Some(t) = first.strip_prefix(['○', '〇']) {
            let t = t.trim_matches(|c: char| c.is_whitespace());
            if !t.is_empty() {
                e.title = Some((lines[0].0, t.to_string()));
                i = 1;
            }
        } else if title_like(first) && text(1).and_then(date_line).is_some() {
            e.title = Some((lines[0].0, first.to_string()));
            i = 1;
        }
    }
    if let Some((date, num)) = text(i).and_then(date_line) {
        e.published = Some(date);
        e.number = num;
        i += 1;
        if e.number.is_none()
            && let Some(n) = text(i).and_then(number)
        {
            e.number = Some(n.to_string());
            i += 1;
        }
    }
    if i == 0 {
        return (e, 0);
    }
    // 改正 lines, and the lines of dates that continue them.
    let mut in_amendments = false;
    while let Some(t) = text(i) {
        let listed = match t
            .strip_prefix("最終改正")
            .or_else(|| t.strip_prefix("改正"))
        {
            Some(rest) => {
                let rest =
                    rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '：' | ':'));
                if rest.is_empty() {
                    Some(Vec::new())
                } else {
                    amendments(rest)
                }
            }
            None if in_amendments => amendments(t),
            None => None,
        };
        let Some(listed) = listed else { break };
        e.amendments.extend(listed);
        in_amendments = true;
        i += 1;
    }
    (e, i)
}

/// Reads the enactment preamble at the start of `blocks` and removes the
/// lines it took. Only leading plain text is looked at.
pub fn take(blocks: &mut Vec<Block<'_>>) -> Enactment {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    for b in blocks.iter() {
        match b {
            Block::Text {
                lines: ls,
                escaped: false,
            } => lines.extend(ls.iter().map(|l| (l.number, l.text.as_ref()))),
            _ => break,
        }
    }
    let (enactment, mut taken) = read(&lines);
    // Remove the first `taken` lines, dropping blocks left empty.
    let mut remove_blocks = 0;
    for b in blocks.iter_mut() {
        if taken == 0 {
            break;
        }
        if let Block::Text { lines, .. } = b {
            let n = taken.min(lines.len());
            lines.drain(..n);
            taken -= n;
            if lines.is_empty() {
                remove_blocks += 1;
            }
        }
    }
    blocks.drain(..remove_blocks);
    enactment
}

impl Enactment {
    /// The version name the preamble gives (written in `edition:`): the
    /// latest amendment (`令和5年3月31日改正`), else the enactment
    /// (`平成23年11月25日制定`).
    pub fn version(&self) -> Option<String> {
        match (self.amendments.iter().map(|a| a.date).max(), self.published) {
            (Some(d), _) => Some(format!("{}改正", d.wareki())),
            (None, Some(d)) => Some(format!("{}制定", d.wareki())),
            (None, None) => None,
        }
    }

    /// The body the title names (`紫波町…` → 033219). A name several bodies
    /// share gives none, and a warning saying to use `--body`.
    pub fn body(&self, diags: &mut Vec<Diagnostic>) -> Option<String> {
        let (line, title) = self.title.as_ref()?;
        match registry().named_in(title) {
            TitleBody::One(b) => Some(b.code.to_string()),
            TitleBody::None => None,
            TitleBody::Several(codes) => {
                let codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
                diags.push(Diagnostic::warning(
                    *line,
                    format!(
                        "the title names a body that {} local governments share ({}): give the code with --body",
                        codes.len(),
                        codes.join(", ")
                    ),
                ));
                None
            }
        }
    }

    /// Puts the number and amendments into a front-matter map (where the
    /// map has none) and the date as `published`.
    pub fn fill(&self, map: &mut Mapping) {
        let mut set = |field: &str, value: Value| {
            let key = Value::String(field.into());
            if !map.contains_key(&key) {
                map.insert(key, value);
            }
        };
        if let Some(d) = self.published {
            set("published", Value::String(d.to_string()));
        }
        if let Some(n) = &self.number {
            set("number", Value::String(n.clone()));
        }
        if !self.amendments.is_empty() {
            let list = self
                .amendments
                .iter()
                .map(|a| {
                    let mut m = Mapping::new();
                    m.insert("date".into(), Value::String(a.date.to_string()));
                    if !a.number.is_empty() {
                        m.insert("number".into(), Value::String(a.number.clone()));
                    }
                    Value::Mapping(m)
                })
                .collect();
            set("amendments", Value::Sequence(list));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<(usize, &str)> {
        s.lines()
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .collect()
    }

    #[test]
    fn a_preamble_as_a_reiki_page_prints_it() {
        let src = "○紫波町情報セキュリティ対策規程\n平成23年11月25日\n訓令第3号\n改正　平成28年3月31日訓令第5号\n　　　令和5年3月31日訓令第1号\n紫波町情報セキュリティ規程の全部を次のように改正する。";
        let (e, n) = read(&lines(src));
        assert_eq!(n, 5);
        assert_eq!(e.title, Some((1, "紫波町情報セキュリティ対策規程".into())));
        assert_eq!(
            e.published.map(|d| d.to_string()).as_deref(),
            Some("2011-11-25")
        );
        assert_eq!(e.number.as_deref(), Some("訓令第3号"));
        let a: Vec<String> = e
            .amendments
            .iter()
            .map(|a| format!("{} {}", a.date, a.number))
            .collect();
        assert_eq!(a, ["2016-03-31 訓令第5号", "2023-03-31 訓令第1号"]);
        assert_eq!(e.version().as_deref(), Some("令和5年3月31日改正"));
        assert_eq!(e.body(&mut Vec::new()).as_deref(), Some("033219"));
    }

    #[test]
    fn other_spellings_of_a_preamble() {
        // No ○; date and number on one line; amendments on one line.
        let (e, n) = read(&lines(
            "岩手県情報セキュリティ規則\n平成二十三年四月一日規則第二十三号\n改正 平成30年3月30日規則第9号 令和2年3月31日規則第4号\n第1条 本文",
        ));
        assert_eq!(n, 3);
        assert_eq!(e.number.as_deref(), Some("規則第二十三号"));
        assert_eq!(e.amendments.len(), 2);
        // A 要綱 without a number.
        let (e, n) = read(&lines("○情報セキュリティ要綱\n令和2年4月1日決裁\n第1 趣旨"));
        assert_eq!(n, 2);
        assert_eq!(e.number, None);
        assert_eq!(e.version().as_deref(), Some("令和2年4月1日制定"));
        assert_eq!(e.body(&mut Vec::new()), None);
        // A first line that is not followed by a date is not a title.
        let (e, n) = read(&lines("情報セキュリティ規程\n第1条 本文"));
        assert_eq!((e, n), (Enactment::default(), 0));
        // A sentence with a date is no date line.
        let (_, n) = read(&lines("令和5年4月1日から施行する。"));
        assert_eq!(n, 0);
    }

    #[test]
    fn a_shared_name_asks_for_the_code() {
        let (e, _) = read(&lines("○府中市情報セキュリティ規程\n令和2年4月1日"));
        let mut diags = Vec::new();
        assert_eq!(e.body(&mut diags), None);
        assert!(diags[0].message.contains("--body"), "{diags:?}");
    }

    #[test]
    fn numbers() {
        assert_eq!(number("訓令第3号"), Some("訓令第3号"));
        assert_eq!(number("教育委員会訓令第12号"), Some("教育委員会訓令第12号"));
        assert_eq!(number("訓令第三号"), Some("訓令第三号"));
        assert_eq!(number("第3号様式"), None);
        assert_eq!(number("訓令 第3号"), None);
        assert_eq!(number("番号"), None);
    }
}
