//! Consultation comments with known truth, for measuring how well
//! near-duplicates are clustered and for filling the demo's answers.
//!
//! Real answers to a consultation (意見照会) repeat a few concerns in many
//! hands: hundreds of bodies ask for "an example of how to run the
//! training" on one clause, each in its own words — its own opener
//! (本市としては、/当町では、), closer (よろしくお願いします。), politeness
//! (頂きたい/いただきたい/ほしい/されたい), digit width (３年/3年),
//! punctuation (、/，) and light paraphrase (示して/明示して, 例/事例, word
//! order, an added reason). Next to them sit *different* concerns in
//! near-identical words on the same clause — 実施頻度の目安 vs 実施方法の例,
//! 年1回 vs 年2回 — and the same wording on other clauses. Every generated
//! comment carries the id of the concern it was written from:
//! the truth is "same concern ⇔ same cluster".
//!
//! The vocabulary is a product of subjects × attributes × forms (and
//! numbers, questions and misprints), picked by the seed, so seeds held out
//! from tuning meet combinations the tuning never saw.

use kaitei_model::Document;
use kaitei_model::consultation::CommentType;

use super::{Rng, Tally};

/// One generated comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedComment {
    /// The respondent's id, as given (a body's code).
    pub body: String,
    /// The key of the clause commented on.
    pub clause: String,
    /// Words quoted from the clause: an exact substring of its text.
    pub quote: String,
    /// Question, opinion or error.
    pub kind: CommentType,
    /// The comment as the respondent wrote it.
    pub text: String,
    /// A proposed wording (修正案), often empty.
    pub proposal: String,
    /// The truth: the id of the concern written; comments with the same id
    /// belong in one cluster, and only they do.
    pub concern: usize,
}

/// How much each respondent writes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    /// Each respondent writes between 1 and this many comments.
    pub per_respondent: usize,
    /// How many comments a concern gets on average: fewer concerns, more
    /// repetition. Popularity is skewed (a few concerns are raised by
    /// hundreds, many by one or two).
    pub comments_per_concern: usize,
}

impl Default for Shape {
    fn default() -> Shape {
        Shape {
            per_respondent: 5,
            comments_per_concern: 12,
        }
    }
}

/// Comments of `respondents` (`(id, name)`: the name's last character —
/// 市, 町, 県, 社… — chooses how a comment opens) on `clauses`
/// (`(key, text)`; clauses without text are not commented on), the same
/// for the same seed.
pub fn comments(
    seed: u64,
    clauses: &[(String, String)],
    respondents: &[(String, String)],
    shape: Shape,
) -> Vec<GeneratedComment> {
    let mut rng = Rng::new(seed);
    let usable: Vec<usize> = (0..clauses.len())
        .filter(|&i| quotable(&clauses[i].1))
        .collect();
    if usable.is_empty() || respondents.is_empty() {
        return Vec::new();
    }
    let per = shape.per_respondent.max(1);
    let expected = respondents.len() * (per + 1) / 2;
    let wanted = (expected / shape.comments_per_concern.max(1)).clamp(3, 5000);
    let concerns = concern_pool(&mut rng, clauses, &usable, wanted);
    // Zipf-like popularity in an order of the seed's choosing.
    let mut order: Vec<usize> = (0..concerns.len()).collect();
    shuffle(&mut rng, &mut order);
    let mut weight = vec![0.0; concerns.len()];
    for (rank, &c) in order.iter().enumerate() {
        weight[c] = 1.0 / (rank as f64 + 1.0).powf(0.9);
    }
    let total: f64 = weight.iter().sum();
    let mut out = Vec::new();
    let mut written: Vec<Vec<String>> = vec![Vec::new(); concerns.len()];
    for (id, name) in respondents {
        let n = 1 + rng.below(per);
        let mut chosen: Vec<usize> = Vec::with_capacity(n);
        for _ in 0..n * 3 {
            if chosen.len() == n {
                break;
            }
            let c = draw(&mut rng, &weight, total);
            if !chosen.contains(&c) {
                chosen.push(c);
            }
        }
        for c in chosen {
            let concern = &concerns[c];
            // Some copy a wording already sent (a neighbour's, or one their
            // prefecture circulated) word for word.
            let text = match written[c].len() {
                n if n > 0 && rng.chance(COPIED) => written[c][rng.below(n)].clone(),
                _ => write(&mut rng, concern, name),
            };
            written[c].push(text.clone());
            out.push(GeneratedComment {
                body: id.clone(),
                clause: clauses[concern.clause].0.clone(),
                quote: concern.quote.clone(),
                kind: concern.core.kind(),
                text,
                proposal: proposal(&mut rng, concern),
                concern: c,
            });
        }
    }
    out
}

/// The first `n` bodies of the registry as respondents: `(code, name)`.
pub fn registry_bodies(n: usize) -> Vec<(String, String)> {
    kaitei_model::registry()
        .all()
        .iter()
        .take(n)
        .map(|b| (b.code.to_string(), b.name.clone()))
        .collect()
}

/// The clauses of `doc` that have text, as `(key, text)`.
pub fn clauses(doc: &Document) -> Vec<(String, String)> {
    doc.nodes()
        .filter(|n| !n.text().is_empty())
        .map(|n| (n.key.as_str().to_string(), n.text()))
        .collect()
}

/// Pairwise agreement of a clustering with the truth: a pair of comments
/// counts when both are in one cluster. `hits` are pairs together in both,
/// `predicted` together in `predicted`, `truth` together in `truth`.
/// Both slices give a cluster id per comment.
pub fn pairwise(truth: &[usize], predicted: &[usize]) -> Tally {
    use std::collections::HashMap;
    fn pairs<K: std::hash::Hash + Eq>(keys: impl Iterator<Item = K>) -> usize {
        let mut n: HashMap<K, usize> = HashMap::new();
        for k in keys {
            *n.entry(k).or_default() += 1;
        }
        n.values().map(|&c| c * (c - 1) / 2).sum()
    }
    let both = truth.iter().zip(predicted);
    Tally {
        hits: pairs(both),
        predicted: pairs(predicted.iter()),
        truth: pairs(truth.iter()),
    }
}

/// How often a comment copies an earlier one on the same concern.
const COPIED: f64 = 0.2;

/// What a concern asks, its identity. Two concerns with equal cores on
/// the same clause would be one concern; the pool never makes them.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Core {
    /// 「…」について、{subject}{attribute}の{form}を示して頂きたい。
    Ask {
        subject: usize,
        attribute: usize,
        form: usize,
    },
    /// {subject}の{attribute}はどのように考えればよいか。
    Question { subject: usize, attribute: usize },
    /// {subject}を{n}{unit}とする根拠を示して頂きたい。
    Number {
        subject: usize,
        unit: usize,
        n: usize,
    },
    /// 「{quote}」は「{right}」の誤りではないか。
    Misprint { right: String },
}

impl Core {
    fn kind(&self) -> CommentType {
        match self {
            Core::Ask { .. } | Core::Number { .. } => CommentType::Opinion,
            Core::Question { .. } => CommentType::Question,
            Core::Misprint { .. } => CommentType::Error,
        }
    }
}

#[derive(Debug, Clone)]
struct Concern {
    clause: usize,
    quote: String,
    core: Core,
}

const SUBJECTS: &[&str] = &[
    "研修",
    "実施",
    "確認",
    "記録",
    "報告",
    "点検",
    "見直し",
    "承認",
    "運用",
    "評価",
    "周知",
    "訓練",
    "監査",
    "委託",
    "廃棄",
    "更新",
    "申請",
    "持出し",
];
/// Attributes, each with the paraphrases a writer may use instead.
const ATTRIBUTES: &[&[&str]] = &[
    &["頻度"],
    &["方法"],
    &["時期", "タイミング"],
    &["体制"],
    &["範囲"],
    &["基準"],
    &["手順", "手続き", "手続"],
    &["期間"],
    &["担当者"],
    &["対象"],
    &["記録方法"],
    &["様式"],
];
/// Forms of what is asked for, with paraphrases.
const FORMS: &[&[&str]] = &[
    &["目安"],
    &["例", "事例", "具体例"],
    &["考え方"],
    &["ひな形", "雛形", "ひな型"],
    &["留意点", "注意点"],
    &["根拠"],
    &["判断基準"],
];
/// Numbers: the unit after the number, and the subject it is said of.
const UNITS: &[&str] = &["年", "か月", "日以内", "回以上"];
/// Verbs of asking: the same request in other words.
const VERBS: &[&str] = &[
    "示し",
    "明示し",
    "記載し",
    "示し",
    "追記し",
    "お示し",
    "解説に盛り込ん",
];
/// Reasons some writers add; shared by every concern, so they are noise.
const REASONS: &[&str] = &[
    "小規模な団体では専任の職員がおらず対応が難しいため、",
    "現場の運用に即した記載とするため、",
    "団体ごとに解釈が分かれるおそれがあるため、",
    "職員の負担が大きいため、",
    "他の規定との整合を図るため、",
    "監査の際に判断の拠り所とするため、",
];

fn concern_pool(
    rng: &mut Rng,
    clauses: &[(String, String)],
    usable: &[usize],
    wanted: usize,
) -> Vec<Concern> {
    let hot_count = (wanted / 3).clamp(1, usable.len());
    let mut hot = usable.to_vec();
    shuffle(rng, &mut hot);
    hot.truncate(hot_count);
    let mut pool: Vec<Concern> = Vec::with_capacity(wanted);
    let mut attempts = 0;
    while pool.len() < wanted && attempts < wanted * 20 {
        attempts += 1;
        let clause = hot[rng.below(hot.len())];
        let same_clause: Vec<usize> = (0..pool.len())
            .filter(|&i| pool[i].clause == clause)
            .collect();
        let concern = if !same_clause.is_empty() && rng.chance(0.5) {
            // A sibling: the same quote and shape, one slot changed.
            let base = &pool[same_clause[rng.below(same_clause.len())]];
            Concern {
                clause,
                quote: base.quote.clone(),
                core: sibling(rng, &base.core, &base.quote),
            }
        } else if !pool.is_empty() && rng.chance(0.15) {
            // Words already used on another clause.
            let base = &pool[rng.below(pool.len())];
            let quote = quote_of(rng, &clauses[clause].1);
            let core = match &base.core {
                Core::Misprint { .. } => misprint(rng, &quote),
                c => c.clone(),
            };
            Concern {
                clause,
                quote,
                core,
            }
        } else {
            let quote = quote_of(rng, &clauses[clause].1);
            let core = fresh(rng, &quote);
            Concern {
                clause,
                quote,
                core,
            }
        };
        let duplicate = pool
            .iter()
            .any(|p| p.clause == concern.clause && p.core == concern.core);
        if !duplicate {
            pool.push(concern);
        }
    }
    pool
}

fn fresh(rng: &mut Rng, quote: &str) -> Core {
    match rng.below(10) {
        0..=5 => Core::Ask {
            subject: rng.below(SUBJECTS.len()),
            attribute: rng.below(ATTRIBUTES.len()),
            form: rng.below(FORMS.len()),
        },
        6 | 7 => Core::Question {
            subject: rng.below(SUBJECTS.len()),
            attribute: rng.below(ATTRIBUTES.len()),
        },
        8 => Core::Number {
            subject: rng.below(SUBJECTS.len()),
            unit: rng.below(UNITS.len()),
            n: 1 + rng.below(5),
        },
        _ => misprint(rng, quote),
    }
}

/// A different concern in near-identical words: one slot of `core`
/// changed.
fn sibling(rng: &mut Rng, core: &Core, quote: &str) -> Core {
    let other = |rng: &mut Rng, x: usize, n: usize| (x + 1 + rng.below(n - 1)) % n;
    match *core {
        Core::Ask {
            subject,
            attribute,
            form,
        } => match rng.below(3) {
            0 => Core::Ask {
                subject,
                attribute: other(rng, attribute, ATTRIBUTES.len()),
                form,
            },
            1 => Core::Ask {
                subject,
                attribute,
                form: other(rng, form, FORMS.len()),
            },
            _ => Core::Ask {
                subject,
                attribute: other(rng, attribute, ATTRIBUTES.len()),
                form: other(rng, form, FORMS.len()),
            },
        },
        Core::Question { subject, attribute } => Core::Question {
            subject,
            attribute: other(rng, attribute, ATTRIBUTES.len()),
        },
        Core::Number { subject, unit, n } => Core::Number {
            subject,
            unit,
            n: 1 + (n + rng.below(4)) % 5,
        },
        Core::Misprint { .. } => misprint(rng, quote),
    }
}

/// A misprint claim: the quote with one character replaced or one added.
fn misprint(rng: &mut Rng, quote: &str) -> Core {
    const SWAPS: &[(char, char)] = &[
        ('管', '監'),
        ('理', '視'),
        ('報', '情'),
        ('定', '規'),
        ('等', '類'),
        ('者', '官'),
        ('は', 'が'),
        ('を', 'に'),
    ];
    let chars: Vec<char> = quote.chars().collect();
    let spots: Vec<(usize, char)> = chars
        .iter()
        .enumerate()
        .filter_map(|(i, c)| SWAPS.iter().find(|s| s.0 == *c).map(|s| (i, s.1)))
        .collect();
    let right: String = if spots.is_empty() || rng.chance(0.3) {
        let at = rng.below(chars.len() + 1);
        let extra = rng.pick(&["等", "の", "及び", "全て"]);
        let mut s: String = chars[..at].iter().collect();
        s.push_str(extra);
        s.extend(&chars[at..]);
        s
    } else {
        let (i, to) = spots[rng.below(spots.len())];
        let mut c = chars.clone();
        c[i] = to;
        c.into_iter().collect()
    };
    Core::Misprint { right }
}

/// Whether a clause has words to quote.
fn quotable(text: &str) -> bool {
    text.split(['。', '、', '\n'])
        .any(|s| s.chars().count() >= 4)
}

/// Words of `text` to quote: a phrase between punctuation, or its start.
fn quote_of(rng: &mut Rng, text: &str) -> String {
    let phrases: Vec<&str> = text
        .split(['。', '、', '\n'])
        .filter(|s| s.chars().count() >= 4)
        .collect();
    let phrase = phrases[rng.below(phrases.len())];
    let chars: Vec<char> = phrase.chars().collect();
    // A long phrase is quoted up to a particle, as people quote: its
    // subject, or its first words.
    let ends: Vec<usize> = (5..chars.len().min(20))
        .filter(|&i| "はをにがでとも".contains(chars[i]))
        .map(|i| i + 1)
        .collect();
    if chars.len() <= 20 || ends.is_empty() {
        return phrase.to_string();
    }
    chars[..ends[rng.below(ends.len())]].iter().collect()
}

/// One respondent's writing of a concern.
fn write(rng: &mut Rng, concern: &Concern, name: &str) -> String {
    let mut s = String::new();
    if rng.chance(0.5) {
        s.push_str(opener(rng, name));
    }
    if rng.chance(0.15) {
        s.push_str(rng.pick(REASONS));
    }
    let quote = &concern.quote;
    let lead = |rng: &mut Rng| -> String {
        match rng.below(6) {
            0 => format!("「{quote}」について、"),
            1 => format!("「{quote}」とあるが、"),
            2 => format!("{quote}について、"),
            3 => format!("「{quote}」に関して、"),
            4 => format!("「{quote}」について"),
            _ => String::new(),
        }
    };
    let filler = |rng: &mut Rng| -> &'static str {
        match rng.below(8) {
            0 => "具体的な",
            1 => "可能であれば",
            _ => "",
        }
    };
    let body = match &concern.core {
        Core::Ask {
            subject,
            attribute,
            form,
        } => {
            let aspect = format!(
                "{}{}{}の{}",
                SUBJECTS[*subject],
                if rng.chance(0.4) { "の" } else { "" },
                rng.pick(ATTRIBUTES[*attribute]),
                rng.pick(FORMS[*form])
            );
            let verb = rng.pick(VERBS);
            let ask = desire(rng, verb);
            if rng.chance(0.15) {
                // Another word order: the aspect first.
                format!("{aspect}を、「{quote}」について{}{ask}", filler(rng))
            } else {
                format!("{}{}{aspect}を{ask}", lead(rng), filler(rng))
            }
        }
        Core::Question { subject, attribute } => {
            let attr = rng.pick(ATTRIBUTES[*attribute]);
            let what = format!("{}の{attr}", SUBJECTS[*subject]);
            let ask = match rng.below(5) {
                0 => format!("{what}はどのように考えればよいか"),
                1 => format!("{what}はどのように考えればよいのか"),
                2 => format!("{what}について、どう考えればよいか"),
                3 => format!("{what}はどのように考えるべきか"),
                _ => format!("{what}についての考え方を伺いたい"),
            };
            format!("{}{ask}", lead(rng))
        }
        Core::Number { subject, unit, n } => {
            let number = if rng.chance(0.4) {
                wide_digits(&n.to_string())
            } else {
                n.to_string()
            };
            let verb = rng.pick(VERBS);
            format!(
                "{}{}を{number}{}とする根拠を{}",
                lead(rng),
                SUBJECTS[*subject],
                UNITS[*unit],
                desire(rng, verb)
            )
        }
        Core::Misprint { right } => match rng.below(4) {
            0 => format!("「{quote}」は「{right}」の誤りではないか"),
            1 => format!("「{quote}」は、「{right}」の誤りと思われる"),
            2 => format!("「{quote}」は「{right}」の誤記ではないか"),
            _ => format!("{quote}は{right}の誤りではないでしょうか"),
        },
    };
    s.push_str(&body);
    s.push_str(rng.pick(&[
        "。",
        "。",
        "",
        "。よろしくお願いします。",
        "。ご検討願います。",
        "。ご検討のほどよろしくお願いいたします。",
        "。ご検討ください。",
        "。以上です。",
    ]));
    let mut s = punctuate(rng, s);
    if rng.chance(0.3) {
        s = wide_digits(&s);
    }
    s
}

/// The verb and the politeness of a request: 示して頂きたい, 示していただきたい,
/// 示してほしい, 示されたい…
fn desire(rng: &mut Rng, verb: &str) -> String {
    // The て form: 示し → 示して, 盛り込ん → 盛り込んで; されたい takes a
    // する verb's stem (示し → 示されたい).
    // お示し takes 頂きたい directly.
    let te = if verb.ends_with('ん') {
        "で"
    } else if verb.starts_with('お') {
        ""
    } else {
        "て"
    };
    match (rng.below(7), verb.strip_suffix('し')) {
        (0 | 1, _) => format!("{verb}{te}頂きたい"),
        (2, _) => format!("{verb}{te}いただきたい"),
        (3, _) => format!("{verb}{te}ほしい"),
        (4, Some(stem)) if te == "て" => format!("{stem}されたい"),
        (5, _) => format!("{verb}{te}いただけないか"),
        _ => format!("{verb}{te}欲しい"),
    }
}

/// How a respondent of this name opens: 本市としては、 for a city.
fn opener(rng: &mut Rng, name: &str) -> &'static str {
    let unit = name.chars().last().unwrap_or('社');
    let choices: &[&str] = match unit {
        '市' => &[
            "本市としては、",
            "当市では、",
            "本市では、",
            "本市の意見として、",
        ],
        '町' => &["本町としては、", "当町では、", "本町では、"],
        '村' => &["本村としては、", "当村では、", "本村では、"],
        '区' => &["本区としては、", "当区では、"],
        '県' => &["本県としては、", "本県では、", "当県では、"],
        '都' => &["本都としては、", "本都では、"],
        '府' => &["本府としては、", "本府では、"],
        '道' => &["本道としては、", "本道では、"],
        _ => &["弊社としては、", "当社では、"],
    };
    rng.pick(choices)
}

/// Punctuation as some writers type it: 、 as ，, 「」 as 『』 or none.
fn punctuate(rng: &mut Rng, s: String) -> String {
    let mut s = s;
    if rng.chance(0.15) {
        s = s.replace('、', "，");
    }
    if rng.chance(0.1) {
        s = s.replace('、', "");
    }
    match rng.below(10) {
        0 => s.replace('「', "『").replace('」', "』"),
        1 => s.replace(['「', '」'], ""),
        _ => s,
    }
}

/// ASCII digits written full-width (3 → ３).
fn wide_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn proposal(rng: &mut Rng, concern: &Concern) -> String {
    if rng.chance(0.6) {
        return String::new();
    }
    match &concern.core {
        Core::Misprint { right } => format!("「{right}」に改める。"),
        Core::Ask {
            subject,
            attribute,
            form,
        } => format!(
            "解説に「{}の{}の{}」を加える。",
            SUBJECTS[*subject], ATTRIBUTES[*attribute][0], FORMS[*form][0]
        ),
        _ => String::new(),
    }
}

fn draw(rng: &mut Rng, weight: &[f64], total: f64) -> usize {
    let mut x = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * total;
    for (i, w) in weight.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weight.len() - 1
}

fn shuffle<T>(rng: &mut Rng, xs: &mut [T]) {
    for i in (1..xs.len()).rev() {
        xs.swap(i, rng.below(i + 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some_clauses() -> Vec<(String, String)> {
        clauses(&super::super::guideline(7, 120))
    }

    #[test]
    fn same_seed_same_comments_and_quotes_are_the_clauses_words() {
        let (c, b) = (some_clauses(), registry_bodies(200));
        let a = comments(3, &c, &b, Shape::default());
        assert_eq!(a, comments(3, &c, &b, Shape::default()));
        assert_ne!(a, comments(4, &c, &b, Shape::default()));
        assert!(a.len() >= 200 && a.len() <= 1000, "{}", a.len());
        for x in &a {
            let text = &c.iter().find(|(k, _)| *k == x.clause).unwrap().1;
            assert!(text.contains(&x.quote), "{} not in {text}", x.quote);
            assert!(!x.text.is_empty());
        }
        // Popular concerns are raised by many, in many wordings.
        let mut by_concern: std::collections::HashMap<usize, Vec<&str>> = Default::default();
        for x in &a {
            by_concern.entry(x.concern).or_default().push(&x.text);
        }
        let top = by_concern.values().map(Vec::len).max().unwrap();
        assert!(top >= 20, "{top}");
        let widest = by_concern
            .values()
            .map(|v| v.iter().collect::<std::collections::HashSet<_>>().len())
            .max()
            .unwrap();
        assert!(widest >= 10, "{widest}");
    }

    #[test]
    fn near_identical_concerns_share_clause_and_quote() {
        let (c, b) = (some_clauses(), registry_bodies(1000));
        let a = comments(5, &c, &b, Shape::default());
        // Some distinct concerns share a clause and a quote.
        let mut seen: std::collections::HashMap<(&str, &str), std::collections::HashSet<usize>> =
            Default::default();
        for x in &a {
            seen.entry((&x.clause, &x.quote))
                .or_default()
                .insert(x.concern);
        }
        assert!(seen.values().filter(|s| s.len() >= 2).count() >= 5);
    }

    #[test]
    fn pairwise_counts_pairs() {
        let t = pairwise(&[0, 0, 0, 1], &[0, 0, 1, 1]);
        assert_eq!((t.hits, t.predicted, t.truth), (1, 2, 3));
    }
}
