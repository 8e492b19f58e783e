//! The response table that the unit tests of
//! `kaitei_report::response_table` and the "opens" tests write and read
//! back: three rows — a cluster of fourteen bodies with a two-line reason,
//! a single comment full of markup and a control character, and a
//! question of one body sent twice, without a disposition.

use super::{ResponseRow, ResponseTable};

/// Fourteen bodies, as the ministry's tables name them.
pub const BODIES: [&str; 14] = [
    "紫波町",
    "盛岡市",
    "花巻市",
    "北上市",
    "遠野市",
    "一関市",
    "釜石市",
    "二戸市",
    "八幡平市",
    "奥州市",
    "滝沢市",
    "雫石町",
    "葛巻町",
    "岩手町",
];

/// Three rows: a cluster of fourteen comments with a two-line reason, a
/// single comment full of markup, and a question without a disposition.
pub fn sample() -> ResponseTable {
    ResponseTable {
        consultation: "R8-1".to_string(),
        title: "ガイドライン改定案に対する意見照会".to_string(),
        subject: "R8-draft（第3版）".to_string(),
        made: "令和8年12月6日".to_string(),
        anonymised: false,
        rows: vec![
            ResponseRow {
                number: 1,
                clause: "第2編 / 3. 人的セキュリティ / (1) 研修".to_string(),
                comment_ids: (0..14).map(|i| format!("R8-1-{:04}", 42 + i * 2)).collect(),
                respondents: BODIES.iter().map(|b| b.to_string()).collect(),
                kind: "意見".to_string(),
                quote: "年1回以上".to_string(),
                comment: "研修の実施頻度の目安を示していただきたい。".to_string(),
                proposal: "「年1回以上（新規採用時を含む。）」とする。".to_string(),
                disposition: "反映".to_string(),
                reason: "御意見を踏まえ、実施頻度の目安を追記しました。\n新規採用職員については、採用時の研修を求めることとしました。".to_string(),
            },
            ResponseRow {
                number: 2,
                clause: "第2編 / 4. 技術的セキュリティ / (2) <アクセス制御>".to_string(),
                comment_ids: vec!["R8-1-0107".to_string()],
                respondents: vec!["株式会社A&B".to_string()],
                kind: "誤り".to_string(),
                quote: "a < b & \"c\"".to_string(),
                comment: "<script>alert(\"x\")</script> は 'そのまま' 表示されるべき & 記号も。\u{1}"
                    .to_string(),
                proposal: "x > y".to_string(),
                disposition: "不反映".to_string(),
                reason: "原案のとおりとします。".to_string(),
            },
            ResponseRow {
                number: 3,
                clause: "第3編 / 1.".to_string(),
                comment_ids: vec!["R8-1-0200".to_string(), "R8-1-0201".to_string()],
                respondents: vec!["遠野市".to_string(), "遠野市".to_string()],
                kind: "質問".to_string(),
                quote: String::new(),
                comment: "対象となる機器の範囲は。\n\n（二段落目）".to_string(),
                proposal: String::new(),
                disposition: String::new(),
                reason: String::new(),
            },
        ],
    }
}
