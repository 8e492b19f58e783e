//! A comment reduced to what it asks: NFKC, without the respondent's
//! opener and closer, politeness and spelling variants made one, fillers
//! and punctuation dropped. Two comments that differ only in those become
//! the same string.

use crate::similarity::normalize;

/// Openers: 本市としては、 is 本/当/弊 + a kind of respondent + a tail.
const OPENER_HEADS: &[&str] = &["本", "当", "弊", "我が", "わが"];
const OPENER_UNITS: &[&str] = &[
    "団体", "市", "町", "村", "区", "県", "都", "府", "道", "社", "省", "庁", "課",
];
const OPENER_TAILS: &[&str] = &[
    "の意見としては",
    "の意見として",
    "においては",
    "においても",
    "としては",
    "としても",
    "では",
    "でも",
];

/// Closers stripped from the end, again and again (longest first where one
/// ends another).
const CLOSERS: &[&str] = &[
    "よろしくお願いいたします",
    "よろしくお願いします",
    "お願いいたします",
    "お願いします",
    "ご検討のほど",
    "ご検討願います",
    "ご検討ください",
    "ご検討を",
    "以上です",
    "以上",
];

/// Spelling and politeness variants, each made the first form. Applied in
/// order, so a later rule sees the earlier ones' output.
const VARIANTS: &[(&str, &str)] = &[
    ("いただ", "頂"),
    ("下さい", "ください"),
    ("欲し", "ほし"),
    ("致し", "いたし"),
    ("宜しく", "よろしく"),
    ("御検討", "ご検討"),
    ("頂けないでしょうか", "頂きたい"),
    ("頂けないか", "頂きたい"),
    ("てほしい", "て頂きたい"),
    ("てください", "て頂きたい"),
    ("されたい", "して頂きたい"),
    ("願いたい", "頂きたい"),
    ("ないでしょうか", "ないか"),
    ("のでしょうか", "か"),
    ("でしょうか", "か"),
    ("よいのか", "よいか"),
    // Words for the same thing in requests of this kind.
    ("明示", "示"),
    ("明記", "示"),
    ("追記", "示"),
    ("記述", "示"),
    ("記載", "示"),
    ("具体例", "例"),
    ("事例", "例"),
    ("手続き", "手順"),
    ("手続", "手順"),
    ("雛形", "ひな形"),
    ("ひな型", "ひな形"),
    ("注意点", "留意点"),
    ("タイミング", "時期"),
    ("誤記", "誤り"),
    ("ヶ月", "か月"),
    ("カ月", "か月"),
    ("ケ月", "か月"),
];

/// Words that soften or pad a request without changing it.
const FILLERS: &[&str] = &[
    "具体的な",
    "具体的に",
    "可能であれば",
    "可能な限り",
    "できれば",
    "例えば",
];

/// Characters that only punctuate.
fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | ','
            | '.'
            | '「'
            | '」'
            | '『'
            | '』'
            | '('
            | ')'
            | '['
            | ']'
            | '【'
            | '】'
            | '・'
            | ':'
            | ';'
            | '!'
            | '?'
            | '"'
            | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '〜'
            | '~'
            | '○'
            | '●'
            | '-'
    )
}

/// The comment as compared (see the module's doc).
pub fn canonical(text: &str) -> String {
    let mut s = normalize(text);
    for (from, to) in VARIANTS {
        if s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let mut rest = s.trim_start_matches(is_punctuation);
    rest = strip_opener(rest);
    rest = strip_closers(rest);
    let mut s = without_reasons(rest);
    for f in FILLERS {
        if s.contains(f) {
            s = s.replace(f, "");
        }
    }
    s.retain(|c| !is_punctuation(c));
    s
}

/// Reasons given before the request (…ため、/…ので、) go: bodies asking for
/// the same thing give different reasons, and the answer is to the
/// request. A text that is only a reason stays as it is.
fn without_reasons(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for piece in s.split_inclusive(['、', ',', '。']) {
        let body = piece.trim_end_matches(['、', ',', '。']);
        if !piece.ends_with('。') && ["ため", "ので", "から"].iter().any(|r| body.ends_with(r))
        {
            continue;
        }
        out.push_str(piece);
    }
    if out.trim_matches(is_punctuation).is_empty() {
        s.to_string()
    } else {
        out
    }
}

/// `s` without an opener such as 本市としては、 (a tail is required: 本市の
/// alone may be what the comment is about).
fn strip_opener(s: &str) -> &str {
    for head in OPENER_HEADS {
        let Some(r) = s.strip_prefix(head) else {
            continue;
        };
        for unit in OPENER_UNITS {
            let Some(r) = r.strip_prefix(unit) else {
                continue;
            };
            for tail in OPENER_TAILS {
                if let Some(r) = r.strip_prefix(tail) {
                    return r.trim_start_matches(is_punctuation);
                }
            }
        }
    }
    s
}

fn strip_closers(s: &str) -> &str {
    let mut s = s;
    loop {
        let before = s.len();
        s = s.trim_end_matches(is_punctuation);
        for c in CLOSERS {
            if let Some(r) = s.strip_suffix(c) {
                s = r;
                break;
            }
        }
        if s.len() == before || s.is_empty() {
            return s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn openers_closers_politeness_and_width_go() {
        let plain = canonical("研修の実施頻度の目安を示して頂きたい");
        for s in [
            "本市としては、研修の実施頻度の目安を示していただきたい。よろしくお願いします。",
            "当町では，研修の実施頻度の目安を明示してほしい。ご検討願います。",
            "研修の実施頻度の目安を示されたい",
            "本県の意見として、研修の実施頻度の目安を示して欲しい。以上です。",
            "研修の実施頻度の目安を、示していただけないでしょうか。",
        ] {
            assert_eq!(canonical(s), plain, "{s}");
        }
        assert_eq!(
            canonical("保存期間を３年とする"),
            canonical("保存期間を3年とする")
        );
        assert_eq!(canonical("「例」"), canonical("『事例』"));
    }

    #[test]
    fn what_the_comment_is_about_stays() {
        // 本市の without a tail is content, not an opener.
        assert!(canonical("本市の規模では難しい").starts_with("本市の"));
        assert_ne!(
            canonical("研修の実施頻度の目安を示して頂きたい"),
            canonical("研修の実施方法の例を示して頂きたい")
        );
        assert_eq!(canonical("。ご検討ください。"), "");
    }
}
