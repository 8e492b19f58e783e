//! The ministry's risk matrix for data linkage (topic ①): a lookup table
//! from likelihood 1–5 × impact 1–5 to a level it names (低/中/高/極高 built
//! in), never a product; read from and printed to the text it edits.

use crate::linkage::LineProblem;

/// A likelihood or an impact: 1 to 5.
pub type Score = u8;

/// The ministry's risk matrix: level names (least severe first) and the
/// level of each likelihood × impact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskMatrix {
    levels: Vec<String>,
    /// `cells[likelihood - 1][impact - 1]`: an index into `levels`.
    cells: [[usize; 5]; 5],
}

/// The most levels a matrix names.
pub const MAX_LEVELS: usize = 8;

impl RiskMatrix {
    /// The level names, least severe first.
    pub fn levels(&self) -> &[String] {
        &self.levels
    }

    /// The level (its index in [`RiskMatrix::levels`]) of `likelihood` ×
    /// `impact`; `None` when either is not 1 to 5.
    pub fn lookup(&self, likelihood: Score, impact: Score) -> Option<usize> {
        let (l, i) = (usize::from(likelihood), usize::from(impact));
        ((1..=5).contains(&l) && (1..=5).contains(&i)).then(|| self.cells[l - 1][i - 1])
    }

    /// The name of the level of `likelihood` × `impact`.
    pub fn level_name(&self, likelihood: Score, impact: Score) -> Option<&str> {
        self.lookup(likelihood, impact)
            .map(|i| self.levels[i].as_str())
    }

    /// Reads the matrix's text: `水準: 低 中 高 極高`, then one line per
    /// likelihood from 5 down to 1, `5: 中 高 高 極高 極高` (the levels
    /// of impact 1 to 5). Every line that is wrong is named.
    pub fn read(text: &str) -> Result<RiskMatrix, Vec<LineProblem>> {
        let mut levels: Option<Vec<String>> = None;
        let mut rows: [Option<[usize; 5]>; 5] = [None; 5];
        let mut problems = Vec::new();
        let bad = |problems: &mut Vec<LineProblem>, line: usize, problem: String| {
            problems.push(LineProblem { line, problem })
        };
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let s = raw.trim();
            if s.is_empty() {
                continue;
            }
            let Some((head, rest)) = s.split_once([':', '：']) else {
                bad(
                    &mut problems,
                    line,
                    "「水準:」か「発生可能性: 水準…」と書いてください".into(),
                );
                continue;
            };
            let words: Vec<&str> = rest.split_whitespace().collect();
            if head.trim() == "水準" {
                let names: Vec<String> = words.iter().map(|w| w.to_string()).collect();
                let mut distinct = names.clone();
                distinct.sort();
                distinct.dedup();
                if names.len() < 2 || names.len() > MAX_LEVELS {
                    bad(
                        &mut problems,
                        line,
                        format!("水準は2から{MAX_LEVELS}までです"),
                    );
                } else if distinct.len() != names.len() {
                    bad(&mut problems, line, "同じ名前の水準があります".into());
                } else if names.iter().any(|n| n.chars().count() > 10) {
                    bad(&mut problems, line, "水準の名前は10字までです".into());
                } else {
                    levels = Some(names);
                }
                continue;
            }
            let Some(l) = head
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|l| (1..=5).contains(l))
            else {
                bad(
                    &mut problems,
                    line,
                    format!("「{}」は発生可能性（1〜5）ではありません", head.trim()),
                );
                continue;
            };
            let Some(names) = &levels else {
                bad(
                    &mut problems,
                    line,
                    "最初に「水準:」を書いてください".into(),
                );
                continue;
            };
            if words.len() != 5 {
                bad(
                    &mut problems,
                    line,
                    format!(
                        "影響度1〜5の五つの水準が要ります（{}個あります）",
                        words.len()
                    ),
                );
                continue;
            }
            let mut row = [0; 5];
            let mut ok = true;
            for (cell, w) in row.iter_mut().zip(&words) {
                match names.iter().position(|n| n == w) {
                    Some(p) => *cell = p,
                    None => {
                        bad(&mut problems, line, format!("「{w}」は水準ではありません"));
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                if rows[l - 1].is_some() {
                    bad(
                        &mut problems,
                        line,
                        format!("発生可能性{l}の行が二度あります"),
                    );
                }
                rows[l - 1] = Some(row);
            }
        }
        let last = text.lines().count().max(1);
        match (&levels, rows.iter().position(Option::is_none)) {
            (None, _) => bad(&mut problems, last, "「水準:」の行がありません".into()),
            (Some(_), Some(l)) if problems.is_empty() => bad(
                &mut problems,
                last,
                format!("発生可能性{}の行がありません", l + 1),
            ),
            _ => {}
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let mut cells = [[0; 5]; 5];
        for (c, r) in cells.iter_mut().zip(rows) {
            *c = r.unwrap_or_default();
        }
        Ok(RiskMatrix {
            levels: levels.unwrap_or_default(),
            cells,
        })
    }

    /// The matrix as text [`RiskMatrix::read`] reads back equal.
    pub fn print(&self) -> String {
        let mut out = format!("水準: {}\n", self.levels.join(" "));
        for l in (1..=5).rev() {
            let row: Vec<&str> = self.cells[l - 1]
                .iter()
                .map(|&c| self.levels[c].as_str())
                .collect();
            out.push_str(&format!("{l}: {}\n", row.join(" ")));
        }
        out
    }
}

impl Default for RiskMatrix {
    /// The matrix the ministry starts from: 低/中/高/極高.
    fn default() -> RiskMatrix {
        let name = |s: &str| s.to_string();
        RiskMatrix {
            levels: vec![name("低"), name("中"), name("高"), name("極高")],
            cells: [
                [0, 0, 0, 1, 1],
                [0, 0, 1, 1, 2],
                [0, 1, 1, 2, 2],
                [1, 1, 2, 2, 3],
                [1, 2, 2, 3, 3],
            ],
        }
    }
}
