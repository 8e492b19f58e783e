//! The register's rules: which erasure method each 最高格付 requires (the
//! rule table, built in or the ministry's), and the checks of a register
//! against it.
//!
//! The rules apply only to items that leave the body's hands (処理 廃棄,
//! 返却, 再利用（庁外）). Methods rank 物理破壊 > 磁気破壊 = 暗号化消去 >
//! 上書き消去 > なし, where 磁気破壊 counts only on magnetic media and
//! 暗号化消去 only on a self-encrypting device ([`Method::counts_as`]).
//! A cell a rule needs that is empty or not one of its column's words is
//! an `invalid` finding, and the rules that need it are not applied.

use std::fmt;

use crate::register::{
    CellProblem, Certificate, Classification, Column, Evidence, Item, Media, Method, Performer,
};

/// A rule, by its id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A cell a rule needs is not one of its values.
    Invalid,
    /// The method ranks below what the classification requires.
    MethodTooWeak,
    /// A contractor erased it and no erasure certificate is kept.
    NoCertificate,
    /// 消去方法 なし (reported alone).
    NoErasureRecord,
    /// A contractor erased it with no witness and no record.
    NoWitness,
}

impl Rule {
    /// Every rule, in the order of their ids.
    pub const ALL: [Rule; 5] = [
        Rule::Invalid,
        Rule::MethodTooWeak,
        Rule::NoCertificate,
        Rule::NoErasureRecord,
        Rule::NoWitness,
    ];

    /// Its id.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Invalid => "invalid",
            Rule::MethodTooWeak => "method-too-weak",
            Rule::NoCertificate => "no-certificate",
            Rule::NoErasureRecord => "no-erasure-record",
            Rule::NoWitness => "no-witness",
        }
    }

    /// The rule of id `id`.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// What it asks, in Japanese (the web translates it).
    pub fn japanese(self) -> &'static str {
        match self {
            Rule::Invalid => "記入が不正",
            Rule::MethodTooWeak => "消去方法が格付に対して不十分",
            Rule::NoCertificate => "消去証明書がない",
            Rule::NoErasureRecord => "データ消去の記録がない",
            Rule::NoWitness => "立会いも記録もない",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The least method each classification requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RuleTable {
    minimum: [Method; 5],
}

impl Default for RuleTable {
    /// The built-in table: 3A/3B/3C need 磁気破壊 or above, 2 needs
    /// 上書き消去 or above, 1 any method but なし.
    fn default() -> RuleTable {
        RuleTable {
            minimum: [
                Method::Degaussing,
                Method::Degaussing,
                Method::Degaussing,
                Method::Overwrite,
                Method::Overwrite,
            ],
        }
    }
}

impl RuleTable {
    /// The least method `class` requires.
    pub fn minimum(&self, class: Classification) -> Method {
        self.minimum[class_index(class)]
    }

    /// The table with `class` requiring `method`.
    pub fn with(mut self, class: Classification, method: Method) -> RuleTable {
        self.minimum[class_index(class)] = method;
        self
    }

    /// Each classification with the method it requires, in order.
    pub fn entries(&self) -> impl Iterator<Item = (Classification, Method)> + '_ {
        Classification::ALL.iter().map(|c| (*c, self.minimum(*c)))
    }

    /// Reads a rule table file: one line per classification, `最高格付 =
    /// 消去方法` (the least method it requires), every classification once;
    /// blank lines and lines starting with `#` are ignored. An error names
    /// the line.
    pub fn parse(text: &str) -> Result<RuleTable, String> {
        let mut seen = [None::<Method>; 5];
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (class, method) = line.split_once(['=', '＝']).ok_or_else(|| {
                format!("line {n}: write 最高格付 = 消去方法 (e.g. 3A = 磁気破壊)")
            })?;
            let class = Classification::from_word(class).ok_or_else(|| {
                format!(
                    "line {n}: {:?} is not one of {}",
                    class.trim(),
                    Classification::WORDS.join(" / ")
                )
            })?;
            let method = Method::from_word(method).ok_or_else(|| {
                format!(
                    "line {n}: {:?} is not one of {}",
                    method.trim(),
                    Method::WORDS.join(" / ")
                )
            })?;
            let slot = &mut seen[class_index(class)];
            if slot.is_some() {
                return Err(format!("line {n}: {class} is given twice"));
            }
            *slot = Some(method);
        }
        let mut table = RuleTable::default();
        for (class, method) in Classification::ALL.iter().zip(seen) {
            let method = method.ok_or_else(|| format!("{class} is not given"))?;
            table = table.with(*class, method);
        }
        Ok(table)
    }

    /// The table as its file reads it.
    pub fn print(&self) -> String {
        let mut out = String::from("# 最高格付 = 必要な消去方法（これ以上）\n");
        for (c, m) in self.entries() {
            out.push_str(&format!("{c} = {m}\n"));
        }
        out
    }
}

fn class_index(class: Classification) -> usize {
    Classification::ALL
        .iter()
        .position(|c| *c == class)
        .unwrap_or(0)
}

/// A row as read: its spreadsheet row number, the item, and its invalid
/// cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The spreadsheet's row number (the header is row 1).
    pub row: usize,
    /// The item (an invalid cell is `None`).
    pub item: Item,
    /// The cells that are not one of their values.
    pub invalid: Vec<(Column, CellProblem)>,
}

/// Why a finding was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A cell is invalid.
    Invalid(Column, CellProblem),
    /// The method counts as `counts_as` (written `method`), below `minimum`
    /// that `class` requires.
    TooWeak {
        /// As written.
        method: Method,
        /// What it counts as.
        counts_as: Method,
        /// The medium.
        media: Media,
        /// The classification.
        class: Classification,
        /// What it requires.
        minimum: Method,
    },
    /// 消去方法 なし.
    NoErasure,
    /// A contractor, no witness, 記録 なし.
    NoWitness,
    /// A contractor, 消去証明書 なし.
    NoCertificate,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The spreadsheet's row number.
    pub row: usize,
    /// The rule.
    pub rule: Rule,
    /// Why.
    pub reason: Reason,
}

impl Finding {
    /// The reason in English (`COLUMN: reason` for an invalid cell), for
    /// the command line's `FILE:ROW: RULE: reason`.
    pub fn english(&self) -> String {
        match &self.reason {
            Reason::Invalid(c, p) => format!("{c}: {}", p.english(*c)),
            Reason::TooWeak {
                method,
                counts_as,
                media,
                class,
                minimum,
            } => {
                let counted = match method {
                    _ if method == counts_as => String::new(),
                    Method::Degaussing => format!(
                        " (counts as {counts_as} on {media}: degaussing erases magnetic media only)"
                    ),
                    _ => format!(" (counts as {counts_as} without a self-encrypting device)"),
                };
                format!(
                    "{method}{counted} is weaker than {minimum}, which 最高格付 {class} requires"
                )
            }
            Reason::NoErasure => "消去方法 なし: no erasure is recorded".into(),
            Reason::NoWitness => {
                "a contractor (事業者) erased it with no witness (立会者) and 記録 なし".into()
            }
            Reason::NoCertificate => {
                "a contractor (事業者) erased it and 消去証明書 is なし".into()
            }
        }
    }

    /// The reason in Japanese, for the web.
    pub fn japanese(&self) -> String {
        match &self.reason {
            Reason::Invalid(c, p) => format!("{c}：{}", p.japanese(*c)),
            Reason::TooWeak {
                method,
                counts_as,
                media,
                class,
                minimum,
            } => {
                let counted = match method {
                    _ if method == counts_as => String::new(),
                    Method::Degaussing => format!("（{media}には効かず{counts_as}と同等）"),
                    _ => format!("（自己暗号化でないため{counts_as}と同等）"),
                };
                format!("{method}{counted}は、最高格付{class}に必要な{minimum}以上に達しません")
            }
            Reason::NoErasure => "消去方法が「なし」です".into(),
            Reason::NoWitness => "事業者が実施し、立会者がなく記録も「なし」です".into(),
            Reason::NoCertificate => "事業者が実施し、消去証明書が「なし」です".into(),
        }
    }
}

/// Checks `rows` against `table`: findings in row order, then rule id
/// (then column, for several invalid cells of a row).
pub fn check(rows: &[Row], table: &RuleTable) -> Vec<Finding> {
    let mut out = Vec::new();
    for row in rows {
        check_row(row, table, &mut out);
    }
    out.sort_by_key(|f| (f.row, f.rule, column_of(f)));
    out
}

fn column_of(f: &Finding) -> Option<Column> {
    match &f.reason {
        Reason::Invalid(c, _) => Some(*c),
        _ => None,
    }
}

/// The findings of one row.
fn check_row(row: &Row, table: &RuleTable, out: &mut Vec<Finding>) {
    let item = &row.item;
    // A cell a rule needs: its value, or an `invalid` finding (once per cell).
    let mut reported: Vec<Column> = Vec::new();
    let mut need = |column: Column, present: bool, out: &mut Vec<Finding>| -> bool {
        if present {
            return true;
        }
        if !reported.contains(&column) {
            reported.push(column);
            let problem = row
                .invalid
                .iter()
                .find(|(c, _)| *c == column)
                .map_or(CellProblem::Empty, |(_, p)| p.clone());
            out.push(Finding {
                row: row.row,
                rule: Rule::Invalid,
                reason: Reason::Invalid(column, problem),
            });
        }
        false
    };
    // The key is every row's.
    let duplicate = row.invalid.iter().any(|(c, _)| *c == Column::Number);
    need(Column::Number, !item.number.is_empty() && !duplicate, out);
    let Some(handling) = item.handling else {
        need(Column::Handling, false, out);
        return;
    };
    if !handling.leaves() {
        return;
    }
    if row.invalid.iter().any(|(c, _)| *c == Column::HandledOn) {
        need(Column::HandledOn, false, out);
    }
    let finding = |rule, reason| Finding {
        row: row.row,
        rule,
        reason,
    };
    let method = if need(Column::Method, item.method.is_some(), out) {
        item.method
    } else {
        None
    };
    if method == Some(Method::Nothing) {
        out.push(finding(Rule::NoErasureRecord, Reason::NoErasure));
        return;
    }
    // method-too-weak: the method, the class, and what the method needs to
    // be counted (the medium for 磁気破壊, 自己暗号化 for 暗号化消去).
    if let Some(method) = method {
        let class = need(Column::Classification, item.classification.is_some(), out)
            .then_some(item.classification)
            .flatten();
        let media = match (method, item.media) {
            (Method::Degaussing, None) => {
                need(Column::Media, false, out);
                None
            }
            (_, m) => Some(m.unwrap_or(Media::Other)),
        };
        let sed = match (method, item.self_encrypting) {
            (Method::CryptoErase, None) => {
                need(Column::SelfEncrypting, false, out);
                None
            }
            (_, s) => Some(s.unwrap_or(false)),
        };
        if let (Some(class), Some(media), Some(sed)) = (class, media, sed) {
            let counts_as = method.counts_as(media, sed);
            let minimum = table.minimum(class);
            if counts_as.rank() < minimum.rank() {
                out.push(finding(
                    Rule::MethodTooWeak,
                    Reason::TooWeak {
                        method,
                        counts_as,
                        media,
                        class,
                        minimum,
                    },
                ));
            }
        }
    }
    if need(Column::Performer, item.performer.is_some(), out)
        && item.performer == Some(Performer::Contractor)
    {
        if item.witness.is_empty()
            && need(Column::Evidence, item.evidence.is_some(), out)
            && item.evidence == Some(Evidence::Nothing)
        {
            out.push(finding(Rule::NoWitness, Reason::NoWitness));
        }
        if need(Column::Certificate, item.certificate.is_some(), out)
            && item.certificate == Some(Certificate::Nothing)
        {
            out.push(finding(Rule::NoCertificate, Reason::NoCertificate));
        }
    }
}

/// Findings counted by rule, in the order of [`Rule::ALL`].
pub fn count_by_rule(findings: &[Finding]) -> [usize; 5] {
    let mut out = [0; 5];
    for f in findings {
        if let Some(i) = Rule::ALL.iter().position(|r| *r == f.rule) {
            out[i] += 1;
        }
    }
    out
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
