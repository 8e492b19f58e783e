//! Data linkage without removable media (topic ①, 電磁的記録媒体を使用しない
//! データ連携): the ministry's catalogue of linkage patterns between the three
//! segments, each with its threat scenarios and the controls that answer
//! them (each linked to a guideline clause by key), and the ministry's risk
//! matrix — a lookup table from likelihood × impact to a level it names,
//! never a product.
//!
//! Both are edited as text with line numbers ([`Catalogue::read`],
//! [`RiskMatrix::read`]): a line that is wrong is named, and nothing of
//! the text is taken.

use std::fmt;

use kaitei_model::Key;

/// A network segment of the three-layer model (三層の対策).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// マイナンバー利用事務系.
    MyNumber,
    /// LGWAN接続系.
    Lgwan,
    /// インターネット接続系.
    Internet,
}

impl Segment {
    /// Every segment, in the model's order.
    pub const ALL: [Segment; 3] = [Segment::MyNumber, Segment::Lgwan, Segment::Internet];

    /// Its identifier (stored, and in the API).
    pub fn id(self) -> &'static str {
        match self {
            Segment::MyNumber => "mynumber",
            Segment::Lgwan => "lgwan",
            Segment::Internet => "internet",
        }
    }

    /// The segment of identifier (or Japanese name) `s`.
    pub fn from_id(s: &str) -> Option<Segment> {
        Segment::ALL
            .into_iter()
            .find(|x| x.id() == s || x.japanese() == s)
    }

    /// Its Japanese name.
    pub fn japanese(self) -> &'static str {
        match self {
            Segment::MyNumber => "マイナンバー利用事務系",
            Segment::Lgwan => "LGWAN接続系",
            Segment::Internet => "インターネット接続系",
        }
    }
}

/// Which way data crosses: from one segment to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Route {
    /// Where the data is.
    pub from: Segment,
    /// Where it goes.
    pub to: Segment,
}

impl Route {
    /// The route from `from` to `to`; `None` within one segment.
    pub fn new(from: Segment, to: Segment) -> Option<Route> {
        (from != to).then_some(Route { from, to })
    }

    /// The six routes, in order.
    pub fn all() -> Vec<Route> {
        let mut out = Vec::new();
        for from in Segment::ALL {
            for to in Segment::ALL {
                out.extend(Route::new(from, to));
            }
        }
        out
    }

    /// `インターネット接続系 → LGWAN接続系`.
    pub fn japanese(self) -> String {
        format!("{} → {}", self.from.japanese(), self.to.japanese())
    }
}

/// The kinds of threat a scenario is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Threat {
    /// マルウェアの持ち込み.
    MalwareIn,
    /// 情報漏えい.
    Leakage,
    /// 媒体の紛失.
    MediaLoss,
    /// 誤送信.
    MisSending,
    /// 不正アクセス.
    UnauthorisedAccess,
    /// サービス停止.
    ServiceStop,
}

impl Threat {
    /// Every threat, in order.
    pub const ALL: [Threat; 6] = [
        Threat::MalwareIn,
        Threat::Leakage,
        Threat::MediaLoss,
        Threat::MisSending,
        Threat::UnauthorisedAccess,
        Threat::ServiceStop,
    ];

    /// Its identifier.
    pub fn id(self) -> &'static str {
        match self {
            Threat::MalwareIn => "malware-in",
            Threat::Leakage => "leakage",
            Threat::MediaLoss => "media-loss",
            Threat::MisSending => "mis-sending",
            Threat::UnauthorisedAccess => "unauthorised-access",
            Threat::ServiceStop => "service-stop",
        }
    }

    /// Its Japanese name.
    pub fn japanese(self) -> &'static str {
        match self {
            Threat::MalwareIn => "マルウェアの持ち込み",
            Threat::Leakage => "情報漏えい",
            Threat::MediaLoss => "媒体の紛失",
            Threat::MisSending => "誤送信",
            Threat::UnauthorisedAccess => "不正アクセス",
            Threat::ServiceStop => "サービス停止",
        }
    }

    /// The threat of identifier or Japanese name `s`.
    pub fn from_id(s: &str) -> Option<Threat> {
        Threat::ALL
            .into_iter()
            .find(|t| t.id() == s || t.japanese() == s)
    }
}

/// A control that answers a scenario, linked to the guideline clause that
/// requires it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Control {
    /// What is done.
    pub text: String,
    /// The guideline clause (by key, so it carries across editions).
    pub clause: Option<Key>,
}

/// A threat scenario of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// Its identifier within the pattern.
    pub id: String,
    /// The kind of threat.
    pub threat: Threat,
    /// What happens.
    pub text: String,
    /// The controls.
    pub controls: Vec<Control>,
}

/// A linkage pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Its identifier.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether it is the baseline to replace (removable media).
    pub baseline: bool,
    /// How it works.
    pub description: String,
    /// Its threat scenarios.
    pub scenarios: Vec<Scenario>,
}

impl Pattern {
    /// Its scenario of identifier `id`.
    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }
}

/// The ministry's catalogue of patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    /// The patterns, in the ministry's order.
    pub patterns: Vec<Pattern>,
}

/// A line of a text that is wrong (1-based), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// The line.
    pub line: usize,
    /// Why, in Japanese.
    pub problem: String,
}

impl fmt::Display for LineProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}行目: {}", self.line, self.problem)
    }
}

/// The longest identifier.
pub const MAX_ID_CHARS: usize = 40;
/// The longest name, description, scenario or control.
pub const MAX_TEXT_CHARS: usize = 400;

/// Whether `s` is an identifier: 1 to [`MAX_ID_CHARS`] of `a-z`, `0-9`, `-`.
pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ID_CHARS
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn text_ok(s: &str, what: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(format!("{what}がありません"));
    }
    if s.chars().count() > MAX_TEXT_CHARS {
        return Err(format!("{what}は{MAX_TEXT_CHARS}字までです"));
    }
    if s.chars().any(char::is_control) {
        return Err(format!("{what}に制御文字があります"));
    }
    Ok(s.to_string())
}

impl Catalogue {
    /// Reads the catalogue's text, one statement a line:
    ///
    /// ```text
    /// パターン: sanitised-transfer 無害化によるファイル転送（連携サーバ経由）
    /// 基準
    /// 説明: インターネット接続系のファイルを連携サーバで無害化し…
    /// シナリオ: s1 マルウェアの持ち込み: 無害化されないファイルが…
    /// 対策: ファイルを無害化してから取り込む [g-7.1-3]
    /// ```
    ///
    /// `基準` marks the baseline to replace; a control's clause key is in
    /// brackets at its end. Every line that is wrong is named; nothing is
    /// taken unless all are right.
    pub fn read(text: &str) -> Result<Catalogue, Vec<LineProblem>> {
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut problems = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let s = raw.trim();
            if s.is_empty() || s.starts_with("//") {
                continue;
            }
            if let Err(problem) = Catalogue::statement(&mut patterns, s) {
                problems.push(LineProblem { line, problem });
            }
        }
        let catalogue = Catalogue { patterns };
        if problems.is_empty()
            && let Err(problem) = catalogue.check()
        {
            problems.push(LineProblem {
                line: text.lines().count().max(1),
                problem,
            });
        }
        if problems.is_empty() {
            Ok(catalogue)
        } else {
            Err(problems)
        }
    }

    fn statement(patterns: &mut Vec<Pattern>, s: &str) -> Result<(), String> {
        let (head, rest) = s
            .split_once([':', '：'])
            .map_or((s, ""), |(h, r)| (h.trim(), r.trim()));
        if head == "パターン" {
            let (id, name) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            patterns.push(Pattern {
                id: id.to_string(),
                name: text_ok(name, "パターンの名称")?,
                baseline: false,
                description: String::new(),
                scenarios: Vec::new(),
            });
            return Ok(());
        }
        let pattern = patterns.last_mut().ok_or("最初の行は「パターン:」です")?;
        match head {
            "基準" => pattern.baseline = true,
            "説明" => pattern.description = text_ok(rest, "説明")?,
            "シナリオ" => {
                let (id, rest) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                let (threat, what) = rest
                    .split_once([':', '：'])
                    .ok_or("「シナリオ: 識別子 脅威: 内容」と書いてください")?;
                let threat = Threat::from_id(threat.trim()).ok_or_else(|| {
                    format!(
                        "「{}」は脅威ではありません（{}）",
                        threat.trim(),
                        Threat::ALL.map(Threat::japanese).join("、")
                    )
                })?;
                pattern.scenarios.push(Scenario {
                    id: id.to_string(),
                    threat,
                    text: text_ok(what, "シナリオの内容")?,
                    controls: Vec::new(),
                });
            }
            "対策" => {
                let scenario = pattern
                    .scenarios
                    .last_mut()
                    .ok_or("対策の前に「シナリオ:」が要ります")?;
                let (text, clause) = match rest.strip_suffix([']', '］']) {
                    Some(r) => {
                        let open = r.rfind(['[', '［']).ok_or("条項キーの「[」がありません")?;
                        let key = r[open..].trim_start_matches(['[', '［']).trim();
                        let key = Key::new(key)
                            .ok_or_else(|| format!("「{key}」は条項キーではありません"))?;
                        (&r[..open], Some(key))
                    }
                    None => (rest, None),
                };
                scenario.controls.push(Control {
                    text: text_ok(text, "対策")?,
                    clause,
                });
            }
            _ => {
                return Err(format!(
                    "「{head}」は分かりません（パターン・基準・説明・シナリオ・対策）"
                ));
            }
        }
        Ok(())
    }

    /// Checks identifiers: each pattern's once, each scenario's once within
    /// its pattern, every one an identifier ([`is_id`]); at least one
    /// pattern, each with a scenario.
    pub fn check(&self) -> Result<(), String> {
        if self.patterns.is_empty() {
            return Err("パターンが一つもありません".into());
        }
        let mut seen = std::collections::HashSet::new();
        for p in &self.patterns {
            if !is_id(&p.id) {
                return Err(format!(
                    "「{}」は識別子ではありません（英小文字・数字・-）",
                    p.id
                ));
            }
            if !seen.insert(&p.id) {
                return Err(format!("パターン {} が二度あります", p.id));
            }
            if p.scenarios.is_empty() {
                return Err(format!("パターン {} にシナリオがありません", p.id));
            }
            let mut ids = std::collections::HashSet::new();
            for s in &p.scenarios {
                if !is_id(&s.id) {
                    return Err(format!(
                        "「{}」は識別子ではありません（英小文字・数字・-）",
                        s.id
                    ));
                }
                if !ids.insert(&s.id) {
                    return Err(format!(
                        "パターン {} のシナリオ {} が二度あります",
                        p.id, s.id
                    ));
                }
            }
        }
        Ok(())
    }

    /// The catalogue as text [`Catalogue::read`] reads back equal.
    pub fn print(&self) -> String {
        let mut out = String::new();
        for p in &self.patterns {
            out.push_str(&format!("パターン: {} {}\n", p.id, p.name));
            if p.baseline {
                out.push_str("基準\n");
            }
            if !p.description.is_empty() {
                out.push_str(&format!("説明: {}\n", p.description));
            }
            for s in &p.scenarios {
                out.push_str(&format!(
                    "シナリオ: {} {}: {}\n",
                    s.id,
                    s.threat.japanese(),
                    s.text
                ));
                for c in &s.controls {
                    match &c.clause {
                        Some(k) => out.push_str(&format!("対策: {} [{k}]\n", c.text)),
                        None => out.push_str(&format!("対策: {}\n", c.text)),
                    }
                }
            }
            out.push('\n');
        }
        out
    }

    /// The pattern of identifier `id`.
    pub fn pattern(&self, id: &str) -> Option<&Pattern> {
        self.patterns.iter().find(|p| p.id == id)
    }
}

impl Default for Catalogue {
    /// The catalogue the ministry starts from.
    fn default() -> Catalogue {
        match Catalogue::read(BUILT_IN) {
            Ok(c) => c,
            // The built-in text is tested to read.
            Err(_) => Catalogue {
                patterns: Vec::new(),
            },
        }
    }
}

/// The catalogue the ministry starts from: the three patterns of the
/// revision and removable media as the baseline they replace.
pub const BUILT_IN: &str = include_str!("linkage_catalogue.txt");

pub use crate::risk_matrix::{MAX_LEVELS, RiskMatrix, Score};
