//! Consultations (意見照会): who is asked, when, how answers travel, and
//! the comments an answer holds. Pure rules; the store keeps the state and
//! the server and CLI pass "now".

use std::fmt;

use crate::body::{Body, BodyCode, BodyKind};
use crate::text::{check_controls, normalize_newlines};
use crate::time::JstTime;

/// The shortest window a local-government consultation may have: two weeks
/// (14 × 24 hours), from opening to closing.
pub const MIN_BODY_WINDOW_HOURS: i64 = 14 * 24;

/// The longest consultation id.
pub const MAX_CONSULTATION_ID: usize = 32;

/// A consultation's id, chosen by the ministry (`R7-1`): used in URLs, on
/// the command line, in file names and in comment ids (`R7-1-0042`).
/// ASCII letters, digits and `-`, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConsultationId(String);

impl ConsultationId {
    /// Reads an id, or says what is wrong with it.
    pub fn parse(s: &str) -> Result<ConsultationId, String> {
        let ok = !s.is_empty()
            && s.len() <= MAX_CONSULTATION_ID
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && s.as_bytes()[0].is_ascii_alphanumeric()
            && !s.ends_with('-');
        if ok {
            Ok(ConsultationId(s.to_string()))
        } else {
            Err(format!(
                "{s:?} is not a consultation id: use 1 to {MAX_CONSULTATION_ID} ASCII letters, \
                 digits and '-', starting with a letter or digit and not ending with '-' \
                 (e.g. R7-1)"
            ))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id of this consultation's `n`th comment: `R7-1-0042`.
    pub fn comment_id(&self, n: i64) -> String {
        format!("{}-{n:04}", self.0)
    }
}

impl fmt::Display for ConsultationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who a consultation asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every local government (all 1,788 bodies).
    AllBodies,
    /// One prefecture and its municipalities.
    Prefecture(BodyCode),
    /// The vendors (each answers as its organisation).
    Vendors,
    /// The bodies listed.
    List(Vec<BodyCode>),
}

impl Audience {
    /// The word used in forms, JSON, the command line and the store.
    pub fn kind_str(&self) -> &'static str {
        match self {
            Audience::AllBodies => "all",
            Audience::Prefecture(_) => "prefecture",
            Audience::Vendors => "vendors",
            Audience::List(_) => "list",
        }
    }

    /// How pages show it.
    pub fn japanese(&self) -> String {
        match self {
            Audience::AllBodies => "全地方公共団体".to_string(),
            Audience::Prefecture(p) => format!(
                "{}内の団体",
                crate::body::registry()
                    .get(*p)
                    .map_or(p.to_string(), |b| b.name.clone())
            ),
            Audience::Vendors => "ベンダー".to_string(),
            Audience::List(l) => format!("指定団体（{}団体）", l.len()),
        }
    }

    /// Reads `all`, `vendors`, `prefecture:CODE` or `list:CODE,CODE,…`
    /// (codes or names, as the registry finds them): what the command line
    /// and the ministry's form send.
    pub fn parse(s: &str) -> Result<Audience, String> {
        let registry = crate::body::registry();
        let lookup = |b: &str| {
            registry
                .lookup(b.trim())
                .map(|b| b.code)
                .map_err(|e| e.to_string())
        };
        Ok(match s.split_once(':') {
            None if s == "all" => Audience::AllBodies,
            None if s == "vendors" => Audience::Vendors,
            Some(("prefecture", p)) => {
                let code = lookup(p)?;
                if code.prefecture() != code {
                    return Err(format!("{p} is not a prefecture"));
                }
                Audience::Prefecture(code)
            }
            Some(("list", l)) => {
                let codes = l
                    .split(',')
                    .filter(|b| !b.trim().is_empty())
                    .map(lookup)
                    .collect::<Result<Vec<_>, _>>()?;
                if codes.is_empty() {
                    return Err("list: names no body".to_string());
                }
                Audience::List(codes)
            }
            _ => {
                return Err(format!(
                    "{s:?} is not an audience: write all, vendors, prefecture:CODE or list:CODE,CODE,…"
                ));
            }
        })
    }

    /// Whether local governments are asked (the two-week rule applies).
    pub fn asks_bodies(&self) -> bool {
        !matches!(self, Audience::Vendors)
    }

    /// Whether `body` is asked.
    pub fn includes(&self, body: &Body) -> bool {
        match self {
            Audience::AllBodies => true,
            Audience::Prefecture(p) => body.code.prefecture() == *p,
            Audience::Vendors => false,
            Audience::List(l) => l.contains(&body.code),
        }
    }

    /// The bodies asked, from `all`, in its order.
    pub fn bodies<'a>(&self, all: &'a [Body]) -> Vec<&'a Body> {
        all.iter().filter(|b| self.includes(b)).collect()
    }
}

/// How answers reach the ministry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routing {
    /// Every body sends its answer to the ministry.
    Direct,
    /// A municipality sends its answer to its prefecture by the
    /// prefecture's deadline; the prefecture returns it for revision or
    /// forwards it, with its own, by the consultation's close.
    ThroughPrefectures {
        /// The prefectures' deadline for their municipalities.
        prefecture_deadline: JstTime,
    },
}

impl Routing {
    /// The word used in forms, JSON, the command line and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            Routing::Direct => "direct",
            Routing::ThroughPrefectures { .. } => "prefectures",
        }
    }

    /// Whether `body`'s answer goes through its prefecture.
    pub fn relays(self, body: &Body) -> bool {
        matches!(self, Routing::ThroughPrefectures { .. }) && body.kind != BodyKind::Prefecture
    }
}

/// When a consultation is open: from `opens` (inclusive) to `closes`
/// (exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Opening time.
    pub opens: JstTime,
    /// Closing time.
    pub closes: JstTime,
}

impl Window {
    /// Whether it is open at `now`.
    pub fn is_open(self, now: JstTime) -> bool {
        self.opens <= now && now < self.closes
    }

    /// Whether it has closed at `now`.
    pub fn has_closed(self, now: JstTime) -> bool {
        now >= self.closes
    }

    /// Its length in whole hours.
    pub fn hours(self) -> i64 {
        (self.closes.unix() - self.opens.unix()).div_euclid(3600)
    }
}

/// A consultation as planned: what the rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Its id.
    pub id: ConsultationId,
    /// Who is asked.
    pub audience: Audience,
    /// How answers travel.
    pub routing: Routing,
    /// When it is open.
    pub window: Window,
}

impl Plan {
    /// A plan as the command line and the ministry's form write it: the id,
    /// the audience ([`Audience::parse`]), opening and closing times, and
    /// the prefectures' deadline when answers go through them (empty or
    /// `None`: direct). The rules are [`check_plan`]'s, not this one's.
    pub fn read(
        id: &str,
        audience: &str,
        opens: &str,
        closes: &str,
        prefecture_deadline: Option<&str>,
    ) -> Result<Plan, String> {
        let time = |s: &str| JstTime::parse(s).map_err(|e| e.to_string());
        let routing = match prefecture_deadline.map(str::trim).filter(|d| !d.is_empty()) {
            None => Routing::Direct,
            Some(d) => Routing::ThroughPrefectures {
                prefecture_deadline: time(d)?,
            },
        };
        Ok(Plan {
            id: ConsultationId::parse(id.trim())?,
            audience: Audience::parse(audience)?,
            routing,
            window: Window {
                opens: time(opens)?,
                closes: time(closes)?,
            },
        })
    }
}

/// Why a consultation's plan is refused; each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    /// Closes at or before it opens.
    ClosesBeforeOpens,
    /// A local-government window under two weeks.
    TooShort {
        /// How long it is, in seconds.
        seconds: i64,
    },
    /// The prefectures' deadline is not inside the window, or leaves the
    /// municipalities less than two weeks.
    PrefectureDeadline {
        /// Why.
        why: String,
    },
    /// Answers of vendors never go through prefectures.
    VendorRouting,
    /// A local-government consultation that would close after a vendor
    /// consultation on the same subject opens.
    BodiesAfterVendors {
        /// The vendor consultation.
        vendors: ConsultationId,
        /// When it opens.
        opens: JstTime,
    },
    /// A vendor consultation opening before a local-government one on the
    /// same subject has closed.
    VendorsTooEarly {
        /// The local-government consultation.
        bodies: ConsultationId,
        /// When it closes.
        closes: JstTime,
    },
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let min_days = MIN_BODY_WINDOW_HOURS / 24;
        match self {
            RuleError::ClosesBeforeOpens => {
                write!(
                    f,
                    "the window closes before it opens; give a closing time after the opening time"
                )
            }
            RuleError::TooShort { seconds } => {
                let (d, h, m) = (
                    seconds / 86_400,
                    seconds % 86_400 / 3600,
                    seconds % 3600 / 60,
                );
                write!(
                    f,
                    "a consultation of local governments must stay open at least {min_days} days \
                     ({MIN_BODY_WINDOW_HOURS} hours); this window is {d} days {h} hours {m} \
                     minutes: close it later or open it earlier"
                )
            }
            RuleError::PrefectureDeadline { why } => write!(f, "{why}"),
            RuleError::VendorRouting => write!(
                f,
                "vendors answer the ministry directly: choose direct routing for a vendor consultation"
            ),
            RuleError::BodiesAfterVendors { vendors, opens } => write!(
                f,
                "the vendors are consulted after the local governments: vendor consultation \
                 {vendors} on the same subject opens at {}; close this one by then",
                opens.local()
            ),
            RuleError::VendorsTooEarly { bodies, closes } => write!(
                f,
                "the vendors are consulted after the local governments: consultation {bodies} on \
                 the same subject closes at {}; open this one at or after that time",
                closes.local()
            ),
        }
    }
}

impl std::error::Error for RuleError {}

/// Checks a consultation's plan against the rules, given the other
/// consultations on the same subject.
pub fn check_plan(plan: &Plan, same_subject: &[Plan]) -> Result<(), RuleError> {
    let w = plan.window;
    if w.closes <= w.opens {
        return Err(RuleError::ClosesBeforeOpens);
    }
    let min = MIN_BODY_WINDOW_HOURS * 3600;
    let len = w.closes.unix() - w.opens.unix();
    if plan.audience.asks_bodies() && len < min {
        return Err(RuleError::TooShort { seconds: len });
    }
    match (plan.routing, plan.audience.asks_bodies()) {
        (Routing::ThroughPrefectures { .. }, false) => return Err(RuleError::VendorRouting),
        (
            Routing::ThroughPrefectures {
                prefecture_deadline: d,
            },
            true,
        ) => {
            if d >= w.closes || d <= w.opens {
                return Err(RuleError::PrefectureDeadline {
                    why: "the prefectures' deadline must fall inside the window, before it \
                          closes, so that they can forward their municipalities' answers"
                        .to_string(),
                });
            }
            if d.unix() - w.opens.unix() < min {
                return Err(RuleError::PrefectureDeadline {
                    why: "the prefectures' deadline leaves the municipalities less than 14 days \
                          (336 hours): set it later, or open the consultation earlier"
                        .to_string(),
                });
            }
        }
        (Routing::Direct, _) => {}
    }
    if !plan.audience.asks_bodies() {
        let blocking = same_subject
            .iter()
            .filter(|p| p.id != plan.id && p.audience.asks_bodies())
            .filter(|p| w.opens < p.window.closes)
            .max_by_key(|p| p.window.closes);
        if let Some(p) = blocking {
            return Err(RuleError::VendorsTooEarly {
                bodies: p.id.clone(),
                closes: p.window.closes,
            });
        }
    } else if let Some(v) = same_subject
        .iter()
        .filter(|p| p.id != plan.id && !p.audience.asks_bodies())
        .filter(|v| v.window.opens < w.closes)
        .min_by_key(|v| v.window.opens)
    {
        // A local-government consultation that would close after the
        // vendors' opens puts the vendors first: refused from this side too.
        return Err(RuleError::BodiesAfterVendors {
            vendors: v.id.clone(),
            opens: v.window.opens,
        });
    }
    Ok(())
}

/// The longest comment or proposed wording, in characters.
pub const MAX_COMMENT_CHARS: usize = 4000;

/// The longest quote a comment anchors to, in characters.
pub const MAX_QUOTE_CHARS: usize = 1000;

/// How many characters of context a [`TextQuote`] keeps on each side.
pub const QUOTE_CONTEXT_CHARS: usize = 16;

/// The kind of a comment (種別).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommentType {
    /// 質問: a question.
    Question,
    /// 意見: an opinion or request.
    Opinion,
    /// 誤り: an error in the text.
    Error,
}

impl CommentType {
    /// Every type, in the order forms and templates offer them.
    pub const ALL: [CommentType; 3] = [
        CommentType::Question,
        CommentType::Opinion,
        CommentType::Error,
    ];

    /// The word used in JSON, the command line and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            CommentType::Question => "question",
            CommentType::Opinion => "opinion",
            CommentType::Error => "error",
        }
    }

    /// 質問 / 意見 / 誤り: how forms, pages and the Excel template write it.
    pub fn japanese(self) -> &'static str {
        match self {
            CommentType::Question => "質問",
            CommentType::Opinion => "意見",
            CommentType::Error => "誤り",
        }
    }

    /// Reads the word or its Japanese name (what a filled template holds).
    pub fn parse(s: &str) -> Option<CommentType> {
        let s = s.trim();
        CommentType::ALL
            .into_iter()
            .find(|k| k.as_str() == s || k.japanese() == s)
    }
}

/// Where in a clause's text a comment points: the quoted words with a little
/// context on each side, as the W3C Web Annotation `TextQuoteSelector`, so
/// that it can be found again after the text around it changes. An empty
/// `exact` means the whole clause.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextQuote {
    /// The words quoted.
    pub exact: String,
    /// What comes just before them (up to [`QUOTE_CONTEXT_CHARS`]).
    pub prefix: String,
    /// What comes just after them.
    pub suffix: String,
}

impl TextQuote {
    /// The quote of `exact` in `text` with its context taken from there:
    /// `None` when `exact` is not in `text`. When the words occur more than
    /// once the first occurrence is taken.
    pub fn select(text: &str, exact: &str) -> Option<TextQuote> {
        if exact.is_empty() {
            return Some(TextQuote::default());
        }
        let at = text.find(exact)?;
        Some(TextQuote::at(text, at..at + exact.len()))
    }

    /// The quote of `text[range]` with its context.
    pub fn at(text: &str, range: std::ops::Range<usize>) -> TextQuote {
        let before = &text[..range.start];
        let after = &text[range.end..];
        let prefix_start = before
            .char_indices()
            .rev()
            .nth(QUOTE_CONTEXT_CHARS - 1)
            .map_or(0, |(i, _)| i);
        let suffix_end = after
            .char_indices()
            .nth(QUOTE_CONTEXT_CHARS)
            .map_or(after.len(), |(i, _)| i);
        TextQuote {
            exact: text[range].to_string(),
            prefix: before[prefix_start..].to_string(),
            suffix: after[..suffix_end].to_string(),
        }
    }

    /// Where the quote is in `text`: among the occurrences of `exact`, the
    /// one whose surroundings match the most context characters (the first
    /// on a tie); `None` when `exact` does not occur. The whole text for an
    /// empty quote.
    pub fn locate(&self, text: &str) -> Option<std::ops::Range<usize>> {
        if self.exact.is_empty() {
            return Some(0..text.len());
        }
        let mut best: Option<(usize, usize)> = None;
        for (at, _) in text.match_indices(&self.exact) {
            let score = self.context_score(text, at..at + self.exact.len());
            if best.is_none_or(|(_, best)| score > best) {
                best = Some((at, score));
            }
        }
        best.map(|(at, _)| at..at + self.exact.len())
    }

    /// How many characters of the quote's context agree with the text
    /// around `text[range]`: the prefix's characters found, from its end,
    /// just before `range`, plus the suffix's found, from its start, just
    /// after it. [`TextQuote::locate`] picks the occurrence where this is
    /// highest; re-anchoring breaks ties with it.
    pub fn context_score(&self, text: &str, range: std::ops::Range<usize>) -> usize {
        common_suffix_chars(&text[..range.start], &self.prefix)
            + common_prefix_chars(&text[range.end..], &self.suffix)
    }
}

fn common_prefix_chars(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn common_suffix_chars(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// One comment as a respondent typed it, before it is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentInput {
    /// The clause's key (empty: the document as a whole).
    pub clause: String,
    /// The quoted words (empty: the whole clause).
    pub quote: String,
    /// 種別.
    pub kind: CommentType,
    /// 意見: the comment.
    pub text: String,
    /// 修正案: a proposed wording (empty: none).
    pub proposal: String,
}

/// A comment that passed the checks, anchored to its clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The clause's key (empty: the document as a whole).
    pub clause: String,
    /// Where in the clause.
    pub quote: TextQuote,
    /// 種別.
    pub kind: CommentType,
    /// The comment, newlines as LF.
    pub text: String,
    /// The proposed wording, newlines as LF (empty: none).
    pub proposal: String,
}

/// Why a comment is refused: the field and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentError {
    /// `該当箇所`, `意見`, `修正案` or `条項`: the field as forms and the
    /// template name it.
    pub field: &'static str,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for CommentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Checks a comment against the clause it is on (`clause_text`, `None`
/// when the key names no clause of the subject) and anchors it.
pub fn check_comment(
    input: &CommentInput,
    clause_text: Option<&str>,
) -> Result<Comment, CommentError> {
    let err = |field: &'static str, message: String| CommentError { field, message };
    let Some(clause_text) = clause_text else {
        return Err(err(
            "条項",
            format!(
                "{:?} is not a clause of the document consulted on",
                input.clause
            ),
        ));
    };
    let field = |field: &'static str, s: &str, max: usize| -> Result<String, CommentError> {
        let s = normalize_newlines(s).into_owned();
        if let Err(e) = check_controls(&s) {
            return Err(err(field, format!("line {}: {}", e.line, e.message())));
        }
        let n = s.chars().count();
        if n > max {
            return Err(err(
                field,
                format!("{n} characters is over the limit of {max}; shorten it"),
            ));
        }
        Ok(s.trim().to_string())
    };
    let quote = field("該当箇所", &input.quote, MAX_QUOTE_CHARS)?;
    let text = field("意見", &input.text, MAX_COMMENT_CHARS)?;
    let proposal = field("修正案", &input.proposal, MAX_COMMENT_CHARS)?;
    if text.is_empty() && proposal.is_empty() {
        return Err(err(
            "意見",
            "the comment is empty: write the comment or a proposed wording".to_string(),
        ));
    }
    let quote = TextQuote::select(clause_text, &quote).ok_or_else(|| {
        err(
            "該当箇所",
            format!(
                "{quote:?} is not in the clause's text; copy the words exactly as the clause \
                 writes them, or leave it empty to comment on the whole clause"
            ),
        )
    })?;
    Ok(Comment {
        clause: input.clause.clone(),
        quote,
        kind: input.kind,
        text,
        proposal,
    })
}

/// Whether an answer in `status` has reached the ministry.
pub fn received(status: AnswerStatus, relayed: bool) -> bool {
    match status {
        AnswerStatus::Forwarded => true,
        AnswerStatus::Submitted => !relayed,
        AnswerStatus::Draft | AnswerStatus::Returned => false,
    }
}

/// Where an answer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnswerStatus {
    /// 作成中: being prepared; seen by the respondent's colleagues only.
    Draft,
    /// 提出済: sent — to the ministry, or to the prefecture when relayed.
    Submitted,
    /// 差戻し: returned by the prefecture for revision (with a note);
    /// editable again.
    Returned,
    /// 送付済: forwarded by the prefecture to the ministry.
    Forwarded,
}

impl AnswerStatus {
    /// Every status.
    pub const ALL: [AnswerStatus; 4] = [
        AnswerStatus::Draft,
        AnswerStatus::Submitted,
        AnswerStatus::Returned,
        AnswerStatus::Forwarded,
    ];

    /// The word used in JSON and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerStatus::Draft => "draft",
            AnswerStatus::Submitted => "submitted",
            AnswerStatus::Returned => "returned",
            AnswerStatus::Forwarded => "forwarded",
        }
    }

    /// How pages show it.
    pub fn japanese(self) -> &'static str {
        match self {
            AnswerStatus::Draft => "作成中",
            AnswerStatus::Submitted => "提出済",
            AnswerStatus::Returned => "差戻し",
            AnswerStatus::Forwarded => "送付済",
        }
    }

    /// Reads the word.
    pub fn parse(s: &str) -> Option<AnswerStatus> {
        AnswerStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether its comments may be changed (by the respondent).
    pub fn editable(self) -> bool {
        matches!(self, AnswerStatus::Draft | AnswerStatus::Returned)
    }
}

/// What is done to an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The respondent edits its comments (or says 意見なし).
    Edit,
    /// The respondent sends it.
    Submit,
    /// The respondent takes it back to change it.
    Withdraw,
    /// The prefecture sends it back for revision.
    Return,
    /// The prefecture sends it on to the ministry.
    Forward,
}

impl Step {
    fn verb(self) -> &'static str {
        match self {
            Step::Edit => "changed",
            Step::Submit => "submitted",
            Step::Withdraw => "withdrawn",
            Step::Return => "returned",
            Step::Forward => "forwarded",
        }
    }
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepError(pub String);

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StepError {}

/// The status an answer gets when `step` is done to it at `now`, or why
/// not. `relayed`: the answer goes through the respondent's prefecture.
/// Who may take the step (the right to submit, the prefecture) is the
/// authorisation module's business, not this one's.
pub fn step(
    status: AnswerStatus,
    step: Step,
    now: JstTime,
    window: Window,
    routing: Routing,
    relayed: bool,
) -> Result<AnswerStatus, StepError> {
    let refuse = |why: String| Err(StepError(why));
    if now < window.opens {
        return refuse(format!(
            "the consultation opens at {}; nothing can be {} before then",
            window.opens.local(),
            step.verb()
        ));
    }
    if window.has_closed(now) {
        return refuse(format!(
            "the consultation closed at {}; answers can no longer be {}",
            window.closes.local(),
            step.verb()
        ));
    }
    let respondent_deadline = match routing {
        Routing::ThroughPrefectures {
            prefecture_deadline,
        } if relayed => prefecture_deadline,
        _ => window.closes,
    };
    use AnswerStatus as S;
    match step {
        Step::Edit | Step::Submit | Step::Withdraw if now >= respondent_deadline => {
            refuse(format!(
                "the prefecture's deadline for its municipalities passed at {}; ask the prefecture",
                respondent_deadline.local()
            ))
        }
        Step::Edit if status.editable() => Ok(status),
        Step::Edit => refuse(format!(
            "the answer is {}: withdraw it first to change it",
            status.japanese()
        )),
        Step::Submit if status.editable() => Ok(S::Submitted),
        Step::Submit => refuse(format!("the answer is already {}", status.japanese())),
        Step::Withdraw if status == S::Submitted => Ok(S::Draft),
        Step::Withdraw if matches!(status, S::Forwarded) => refuse(
            "the prefecture has forwarded the answer to the ministry; ask the prefecture"
                .to_string(),
        ),
        Step::Withdraw => refuse("the answer has not been submitted".to_string()),
        Step::Return | Step::Forward if !relayed => refuse(
            "only an answer relayed through its prefecture can be returned or forwarded"
                .to_string(),
        ),
        Step::Return | Step::Forward if status != S::Submitted => refuse(format!(
            "the answer is {}; only a submitted answer can be {}",
            status.japanese(),
            step.verb()
        )),
        Step::Return if now >= respondent_deadline => refuse(format!(
            "the municipalities' deadline passed at {}; a returned answer could not be sent \
             again: forward it, or leave it",
            respondent_deadline.local()
        )),
        Step::Return => Ok(S::Returned),
        Step::Forward => Ok(S::Forwarded),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> JstTime {
        JstTime::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    fn plan(id: &str, audience: Audience, opens: &str, closes: &str) -> Plan {
        Plan {
            id: ConsultationId::parse(id).unwrap(),
            audience,
            routing: Routing::Direct,
            window: Window {
                opens: t(opens),
                closes: t(closes),
            },
        }
    }

    #[test]
    fn audiences_are_read() {
        assert_eq!(Audience::parse("all"), Ok(Audience::AllBodies));
        assert_eq!(Audience::parse("vendors"), Ok(Audience::Vendors));
        let iwate = BodyCode::parse("030007").unwrap();
        assert_eq!(
            Audience::parse("prefecture:030007"),
            Ok(Audience::Prefecture(iwate))
        );
        assert!(
            Audience::parse("prefecture:033219")
                .unwrap_err()
                .contains("not a prefecture")
        );
        assert_eq!(
            Audience::parse("list:030007,033219").map(|a| a.kind_str()),
            Ok("list")
        );
        for bad in ["list:", "everyone", "prefecture:999999"] {
            assert!(Audience::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ids() {
        for ok in ["R7-1", "r7", "2026-01", "A"] {
            assert!(ConsultationId::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "-R7", "R7-", "R7 1", "R7/1", "令和7", &"x".repeat(33)] {
            assert!(ConsultationId::parse(bad).is_err(), "{bad}");
        }
        let id = ConsultationId::parse("R7-1").unwrap();
        assert_eq!(id.comment_id(42), "R7-1-0042");
        assert_eq!(id.comment_id(12345), "R7-1-12345");
    }

    #[test]
    fn two_weeks_to_the_second() {
        let short = plan(
            "R7-1",
            Audience::AllBodies,
            "2026-01-13 10:00",
            "2026-01-27 09:59:59",
        );
        let e = check_plan(&short, &[]).unwrap_err();
        assert!(matches!(e, RuleError::TooShort { .. }), "{e}");
        assert!(e.to_string().contains("13 days 23 hours 59 minutes"), "{e}");
        let d13h23 = plan(
            "R7-1",
            Audience::AllBodies,
            "2026-01-13 10:00",
            "2026-01-27 09:00",
        );
        assert!(
            check_plan(&d13h23, &[])
                .unwrap_err()
                .to_string()
                .contains("13 days 23 hours")
        );
        let exact = plan(
            "R7-1",
            Audience::AllBodies,
            "2026-01-13 10:00",
            "2026-01-27 10:00",
        );
        assert_eq!(check_plan(&exact, &[]), Ok(()));
        // The rule counts hours, in Japan time, whatever zone was typed.
        let zoned = plan(
            "R7-1",
            Audience::AllBodies,
            "2026-01-13T01:00Z",
            "2026-01-27 10:00",
        );
        assert_eq!(check_plan(&zoned, &[]), Ok(()));
        // Vendors have no minimum; a list of bodies and a prefecture do.
        let vendors = plan(
            "R7-V",
            Audience::Vendors,
            "2026-02-10 10:00",
            "2026-02-17 10:00",
        );
        assert_eq!(check_plan(&vendors, &[]), Ok(()));
        let list = plan(
            "R7-2",
            Audience::List(vec![]),
            "2026-01-13 10:00",
            "2026-01-20 10:00",
        );
        assert!(check_plan(&list, &[]).is_err());
        let backwards = plan(
            "R7-1",
            Audience::AllBodies,
            "2026-01-27 10:00",
            "2026-01-13 10:00",
        );
        assert_eq!(
            check_plan(&backwards, &[]),
            Err(RuleError::ClosesBeforeOpens)
        );
    }

    #[test]
    fn vendors_come_after_the_local_governments() {
        let bodies = plan(
            "R7-1",
            Audience::AllBodies,
            "2026-01-13 10:00",
            "2026-01-27 17:00",
        );
        let early = plan(
            "R7-V",
            Audience::Vendors,
            "2026-01-27 16:59",
            "2026-02-10 17:00",
        );
        let e = check_plan(&early, std::slice::from_ref(&bodies)).unwrap_err();
        assert!(
            e.to_string().contains("R7-1") && e.to_string().contains("2026-01-27 17:00"),
            "{e}"
        );
        let on_time = plan(
            "R7-V",
            Audience::Vendors,
            "2026-01-27 17:00",
            "2026-02-10 17:00",
        );
        assert_eq!(check_plan(&on_time, std::slice::from_ref(&bodies)), Ok(()));
        // From the other side: bodies planned to close after the vendors open.
        let late_bodies = plan(
            "R7-2",
            Audience::AllBodies,
            "2026-01-20 10:00",
            "2026-02-11 10:00",
        );
        let e = check_plan(&late_bodies, &[bodies.clone(), on_time.clone()]).unwrap_err();
        assert!(matches!(e, RuleError::BodiesAfterVendors { .. }), "{e}");
    }

    #[test]
    fn relay_deadline_inside_the_window_and_two_weeks_long() {
        let mut p = plan(
            "R7-1",
            Audience::AllBodies,
            "2026-01-05 10:00",
            "2026-01-30 17:00",
        );
        p.routing = Routing::ThroughPrefectures {
            prefecture_deadline: t("2026-01-23 17:00"),
        };
        assert_eq!(check_plan(&p, &[]), Ok(()));
        p.routing = Routing::ThroughPrefectures {
            prefecture_deadline: t("2026-01-30 17:00"),
        };
        assert!(check_plan(&p, &[]).is_err());
        p.routing = Routing::ThroughPrefectures {
            prefecture_deadline: t("2026-01-19 09:59"),
        };
        assert!(
            check_plan(&p, &[])
                .unwrap_err()
                .to_string()
                .contains("14 days")
        );
        let mut v = plan(
            "R7-V",
            Audience::Vendors,
            "2026-02-05 10:00",
            "2026-02-20 17:00",
        );
        v.routing = p.routing;
        assert_eq!(check_plan(&v, &[]), Err(RuleError::VendorRouting));
    }

    #[test]
    fn quotes_find_their_place_again() {
        let text =
            "職員は、情報資産を適切に管理しなければならない。職員は、研修を受けなければならない。";
        let q = TextQuote::select(text, "職員は、").unwrap();
        assert_eq!(q.prefix, "");
        assert_eq!(q.locate(text), Some(0..q.exact.len()));
        // The second occurrence, told apart by its context.
        let second = text.rfind("職員は、").unwrap();
        let q2 = TextQuote::at(text, second..second + "職員は、".len());
        assert_eq!(q2.prefix.chars().count(), QUOTE_CONTEXT_CHARS);
        assert_eq!(q2.locate(text).map(|r| r.start), Some(second));
        let edited = format!("新たに、{text}");
        assert_eq!(
            q2.locate(&edited).map(|r| r.start),
            Some(second + "新たに、".len())
        );
        assert_eq!(TextQuote::select(text, "存在しない").map(|_| ()), None);
        assert_eq!(TextQuote::default().locate(text), Some(0..text.len()));
    }

    #[test]
    fn comments_are_checked_field_by_field() {
        let clause = "職員は、研修を受けなければならない。";
        let input = |quote: &str, text: &str| CommentInput {
            clause: "k1".into(),
            quote: quote.into(),
            kind: CommentType::Opinion,
            text: text.into(),
            proposal: String::new(),
        };
        let ok = check_comment(
            &input("研修", "頻度を示して頂きたい。\r\n以上"),
            Some(clause),
        )
        .unwrap();
        assert_eq!(ok.text, "頻度を示して頂きたい。\n以上");
        assert_eq!(ok.quote.exact, "研修");
        let e = check_comment(&input("講習", "x"), Some(clause)).unwrap_err();
        assert_eq!(e.field, "該当箇所");
        let e = check_comment(&input("", "a\u{1b}[31m"), Some(clause)).unwrap_err();
        assert!(e.field == "意見" && e.message.contains("U+001B"), "{e}");
        let e = check_comment(
            &input("", &"あ".repeat(MAX_COMMENT_CHARS + 1)),
            Some(clause),
        )
        .unwrap_err();
        assert!(e.message.contains("4001"), "{e}");
        assert!(check_comment(&input("", &"あ".repeat(MAX_COMMENT_CHARS)), Some(clause)).is_ok());
        assert_eq!(
            check_comment(&input("", "  "), Some(clause))
                .unwrap_err()
                .field,
            "意見"
        );
        assert_eq!(
            check_comment(&input("", "x"), None).unwrap_err().field,
            "条項"
        );
        assert_eq!(CommentType::parse("誤り"), Some(CommentType::Error));
        assert_eq!(CommentType::parse("error"), Some(CommentType::Error));
        assert_eq!(CommentType::parse("要望"), None);
    }

    #[test]
    fn answers_move_through_their_steps() {
        use AnswerStatus as S;
        let w = Window {
            opens: t("2026-01-05 10:00"),
            closes: t("2026-01-30 17:00"),
        };
        let relay = Routing::ThroughPrefectures {
            prefecture_deadline: t("2026-01-23 17:00"),
        };
        let during = t("2026-01-10 12:00");
        let after_pref = t("2026-01-26 12:00");
        let closed = t("2026-01-30 17:00");
        let direct = Routing::Direct;
        assert_eq!(
            step(S::Draft, Step::Submit, during, w, direct, false),
            Ok(S::Submitted)
        );
        assert_eq!(
            step(S::Submitted, Step::Withdraw, during, w, direct, false),
            Ok(S::Draft)
        );
        assert!(step(S::Submitted, Step::Edit, during, w, direct, false).is_err());
        assert!(step(S::Draft, Step::Submit, closed, w, direct, false).is_err());
        assert!(step(S::Submitted, Step::Withdraw, closed, w, direct, false).is_err());
        assert!(
            step(
                S::Draft,
                Step::Edit,
                t("2026-01-05 09:59"),
                w,
                direct,
                false
            )
            .is_err()
        );
        assert!(step(S::Submitted, Step::Forward, during, w, direct, false).is_err());
        // Relayed: to the prefecture, back, and on.
        assert_eq!(
            step(S::Draft, Step::Submit, during, w, relay, true),
            Ok(S::Submitted)
        );
        assert_eq!(
            step(S::Submitted, Step::Return, during, w, relay, true),
            Ok(S::Returned)
        );
        assert_eq!(
            step(S::Returned, Step::Edit, during, w, relay, true),
            Ok(S::Returned)
        );
        assert_eq!(
            step(S::Returned, Step::Submit, during, w, relay, true),
            Ok(S::Submitted)
        );
        assert_eq!(
            step(S::Submitted, Step::Forward, after_pref, w, relay, true),
            Ok(S::Forwarded)
        );
        assert!(step(S::Forwarded, Step::Withdraw, during, w, relay, true).is_err());
        assert!(step(S::Draft, Step::Submit, after_pref, w, relay, true).is_err());
        assert!(step(S::Submitted, Step::Return, after_pref, w, relay, true).is_err());
        assert!(step(S::Submitted, Step::Forward, closed, w, relay, true).is_err());
        // A prefecture's own answer is not relayed.
        assert_eq!(
            step(S::Draft, Step::Submit, after_pref, w, relay, false),
            Ok(S::Submitted)
        );
        assert!(received(S::Submitted, false) && !received(S::Submitted, true));
        assert!(received(S::Forwarded, true) && !received(S::Returned, true));
    }
}
