//! The self-assessment (自己点検) every body runs each fiscal year against
//! the guideline edition its policy follows: the ministry's questions per
//! guideline key (so that they carry across editions), a body's checklist
//! (one item per question whose key its policy adopted or modified), the
//! answers, the score per chapter, and how an answer carries over to a
//! later year — by key, unless the clause's text changed between the two
//! years' editions (then it is asked again, with the change shown); a
//! renumbering or a move alone carries it over.

use std::collections::{BTreeMap, HashMap, HashSet};

use kaitei_model::{Document, Key, Node, Status};

use crate::linkage::LineProblem;

/// An answer to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answer {
    /// 実施済.
    Done,
    /// 一部実施.
    Partial,
    /// 未実施.
    NotDone,
    /// 該当なし.
    NotApplicable,
}

impl Answer {
    /// Every answer, in order.
    pub const ALL: [Answer; 4] = [
        Answer::Done,
        Answer::Partial,
        Answer::NotDone,
        Answer::NotApplicable,
    ];

    /// Its identifier.
    pub fn id(self) -> &'static str {
        match self {
            Answer::Done => "done",
            Answer::Partial => "partial",
            Answer::NotDone => "not_done",
            Answer::NotApplicable => "not_applicable",
        }
    }

    /// Its Japanese word.
    pub fn japanese(self) -> &'static str {
        match self {
            Answer::Done => "実施済",
            Answer::Partial => "一部実施",
            Answer::NotDone => "未実施",
            Answer::NotApplicable => "該当なし",
        }
    }

    /// Its English word.
    pub fn english(self) -> &'static str {
        match self {
            Answer::Done => "Done",
            Answer::Partial => "Partly done",
            Answer::NotDone => "Not done",
            Answer::NotApplicable => "Not applicable",
        }
    }

    /// The answer of identifier (or Japanese word) `s`.
    pub fn from_id(s: &str) -> Option<Answer> {
        Answer::ALL
            .into_iter()
            .find(|a| a.id() == s || a.japanese() == s)
    }
}

/// The longest question.
pub const MAX_QUESTION_CHARS: usize = 400;
/// The longest note on an answer.
pub const MAX_NOTE_CHARS: usize = 1_000;

/// Checks a question's text: 1 to [`MAX_QUESTION_CHARS`] characters, no
/// control characters. The error is in Japanese.
pub fn check_question(text: &str) -> Result<(), String> {
    let n = text.trim().chars().count();
    if n == 0 || n > MAX_QUESTION_CHARS {
        return Err(format!("設問は1字から{MAX_QUESTION_CHARS}字までです"));
    }
    if text.chars().any(char::is_control) {
        return Err("設問に制御文字があります".into());
    }
    Ok(())
}

/// Reads the ministry's questions, one a line: `KEY: question` (`：` too);
/// blank lines are skipped. Every wrong line is named; nothing is taken
/// unless all are right.
pub fn read_questions(text: &str) -> Result<Vec<(Key, String)>, Vec<LineProblem>> {
    let mut out: Vec<(Key, String)> = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let s = raw.trim();
        if s.is_empty() {
            continue;
        }
        let problem = match s.split_once([':', '：']) {
            None => Some("「条項キー: 設問」と書いてください".to_string()),
            Some((k, q)) => match Key::new(k.trim()) {
                None => Some(format!("「{}」は条項キーではありません", k.trim())),
                Some(_) if out.iter().any(|(x, _)| x.as_str() == k.trim()) => {
                    Some(format!("{} が二度あります", k.trim()))
                }
                Some(key) => match check_question(q) {
                    Err(e) => Some(e),
                    Ok(()) => {
                        out.push((key, q.trim().to_string()));
                        None
                    }
                },
            },
        };
        if let Some(problem) = problem {
            problems.push(LineProblem { line, problem });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The questions as text [`read_questions`] reads back.
pub fn print_questions(questions: &BTreeMap<Key, String>) -> String {
    questions
        .iter()
        .map(|(k, q)| format!("{k}: {q}\n"))
        .collect()
}

/// One item of a body's checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The guideline clause's key.
    pub key: Key,
    /// The chapter it is counted in: the guideline's second-level heading
    /// above it (`第2章 情報セキュリティ対策基準`), or its 編 when it sits
    /// higher.
    pub chapter: String,
    /// The clause as a label path with its name (`第2編 / 第2章 / 3. / (2)`).
    pub clause: String,
    /// The ministry's question.
    pub question: String,
    /// Whether the body modified the clause (else it adopted it).
    pub modified: bool,
}

fn heading(n: &Node) -> String {
    match n.name() {
        Some(name) if !n.path_segment().is_empty() && n.path_segment() != name => {
            format!("{} {name}", n.path_segment())
        }
        Some(name) => name.to_string(),
        None => n.path_segment().to_string(),
    }
}

/// The checklist of a policy whose clauses carry their provenance
/// (`from`, `status`), against the guideline `edition` it follows: one
/// item per question whose key a clause adopted or modified, in the
/// edition's order. Omitted keys and keys without a question have none.
pub fn checklist(
    policy: &Document,
    edition: &Document,
    questions: &BTreeMap<Key, String>,
) -> Vec<Item> {
    let mut taken: HashMap<&Key, bool> = HashMap::new();
    for n in policy.nodes() {
        if let (Some(from), Some(status @ (Status::Adopted | Status::Modified))) =
            (&n.from, n.status)
        {
            let modified = taken.entry(from).or_insert(false);
            *modified |= status == Status::Modified;
        }
    }
    let mut out = Vec::new();
    fn visit(
        nodes: &[Node],
        chapter: Option<&str>,
        depth: usize,
        path: &mut Vec<String>,
        f: &mut dyn FnMut(&Node, &str, &[String]),
    ) {
        for n in nodes {
            path.push(n.path_segment().to_string());
            let here = heading(n);
            let chapter = if depth <= 1 {
                here.as_str()
            } else {
                chapter.unwrap_or("")
            };
            f(n, chapter, path);
            visit(&n.children, Some(chapter), depth + 1, path, f);
            path.pop();
        }
    }
    visit(
        &edition.children,
        None,
        0,
        &mut Vec::new(),
        &mut |n, chapter, path| {
            let (Some(modified), Some(question)) = (taken.get(&n.key), questions.get(&n.key))
            else {
                return;
            };
            let mut clause = path.join(" / ");
            if let Some(name) = n.name().filter(|s| *s != n.path_segment()) {
                clause.push(' ');
                clause.push_str(name);
            }
            out.push(Item {
                key: n.key.clone(),
                chapter: chapter.to_string(),
                clause,
                question: question.clone(),
                modified: *modified,
            });
        },
    );
    out
}

/// The answers of a chapter (or of all) counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Score {
    /// Items.
    pub items: usize,
    /// 実施済.
    pub done: usize,
    /// 一部実施.
    pub partial: usize,
    /// 未実施.
    pub not_done: usize,
    /// 該当なし.
    pub not_applicable: usize,
}

impl Score {
    /// Items not answered (counted as not done in the score).
    pub fn unanswered(&self) -> usize {
        self.items - self.done - self.partial - self.not_done - self.not_applicable
    }

    /// (実施済 + ½ 一部実施) / (items − 該当なし); `None` when every item is
    /// 該当なし (or there is none).
    pub fn value(&self) -> Option<f64> {
        let of = self.items - self.not_applicable;
        (of > 0).then(|| (self.done as f64 + self.partial as f64 / 2.0) / of as f64)
    }

    /// The score as a whole percentage, rounded half up (`75%`).
    pub fn percent(&self) -> Option<u32> {
        let of = (self.items - self.not_applicable) as u64;
        // In halves, to round exactly: 100 × (2·done + partial) / (2·of).
        (of > 0).then(|| {
            let num = 100 * (2 * self.done as u64 + self.partial as u64);
            ((2 * num + 2 * of) / (4 * of)) as u32
        })
    }

    fn add(&mut self, a: Option<Answer>) {
        self.items += 1;
        match a {
            Some(Answer::Done) => self.done += 1,
            Some(Answer::Partial) => self.partial += 1,
            Some(Answer::NotDone) => self.not_done += 1,
            Some(Answer::NotApplicable) => self.not_applicable += 1,
            None => {}
        }
    }
}

/// The score per chapter, in the checklist's order, and of all items.
pub fn scores(items: &[Item], answers: &BTreeMap<Key, Answer>) -> (Vec<(String, Score)>, Score) {
    let mut chapters: Vec<(String, Score)> = Vec::new();
    let mut total = Score::default();
    for item in items {
        let a = answers.get(&item.key).copied();
        total.add(a);
        match chapters.iter_mut().find(|(c, _)| *c == item.chapter) {
            Some((_, s)) => s.add(a),
            None => {
                let mut s = Score::default();
                s.add(a);
                chapters.push((item.chapter.clone(), s));
            }
        }
    }
    (chapters, total)
}

/// A clause's text in two editions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextChange {
    /// As the earlier edition has it.
    pub old: String,
    /// As the later one has it.
    pub new: String,
}

/// Where a year's answer to an item comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Carried {
    /// Answered this year.
    Own(Answer),
    /// Carried over from the year before (its answer, own or carried).
    Kept(Answer),
    /// The clause's text changed between the two years' editions: asked
    /// again, with last year's answer and the change shown.
    AskAgain {
        /// Last year's answer.
        previous: Answer,
        /// The change.
        change: TextChange,
    },
}

impl Carried {
    /// The answer that counts this year (none when asked again).
    pub fn answer(&self) -> Option<Answer> {
        match self {
            Carried::Own(a) | Carried::Kept(a) => Some(*a),
            Carried::AskAgain { .. } => None,
        }
    }
}

/// This year's answers by key: its own, and the year before's
/// (`previous`, what counted then) carried over unless `changed` — the
/// clauses whose text changed from that year's edition to this year's,
/// by key — names the key. A year on the same edition passes no change.
pub fn carry_over(
    own: &BTreeMap<Key, Answer>,
    previous: &BTreeMap<Key, Answer>,
    changed: &HashMap<Key, TextChange>,
) -> BTreeMap<Key, Carried> {
    let mut out: BTreeMap<Key, Carried> = own
        .iter()
        .map(|(k, a)| (k.clone(), Carried::Own(*a)))
        .collect();
    for (k, a) in previous {
        if own.contains_key(k) {
            continue;
        }
        let carried = match changed.get(k) {
            Some(change) => Carried::AskAgain {
                previous: *a,
                change: change.clone(),
            },
            None => Carried::Kept(*a),
        };
        out.insert(k.clone(), carried);
    }
    out
}

/// The answers that count: own and kept.
pub fn counting(carried: &BTreeMap<Key, Carried>) -> BTreeMap<Key, Answer> {
    carried
        .iter()
        .filter_map(|(k, c)| c.answer().map(|a| (k.clone(), a)))
        .collect()
}

/// The keys of `items`, for checking that an answer is to one of them.
pub fn keys(items: &[Item]) -> HashSet<&Key> {
    items.iter().map(|i| &i.key).collect()
}

#[cfg(test)]
#[path = "assessment_tests.rs"]
mod tests;
