//! The English of the pages of #19: a body's data-linkage risk analysis,
//! the ministry's national picture, catalogue and risk matrix; a body's
//! self-assessment and the ministry's questions.

/// Japanese → English.
pub(super) const EN: &[(&str, &str)] = &[
    // The menu
    ("データ連携のリスク分析", "Data-linkage risk analysis"),
    ("全国のデータ連携", "Data linkage nationally"),
    ("自己点検", "Self-assessment"),
    ("自己点検の設問", "Self-assessment questions"),
    // Segments, threats, kinds of body
    ("マイナンバー利用事務系", "My Number segment"),
    ("LGWAN接続系", "LGWAN segment"),
    ("インターネット接続系", "Internet segment"),
    ("マルウェアの持ち込み", "Malware carried in"),
    ("情報漏えい", "Leakage"),
    ("媒体の紛失", "Loss of media"),
    ("誤送信", "Mis-sending"),
    ("不正アクセス", "Unauthorised access"),
    ("サービス停止", "Service stop"),
    ("政令指定都市", "Designated city"),
    // A body's page
    (
        "{0} データ連携のリスク分析",
        "{0}: data-linkage risk analysis",
    ),
    (
        "電磁的記録媒体を使わないデータ連携に向けて、総務省が示すパターンのうち使っているものと連携の向き、シナリオごとの発生可能性と影響度（1〜5）を、対策前と対策後に分けて記録します。リスクの水準は総務省のリスクマトリクスで決まります。",
        "Towards data linkage without removable media: the ministry's patterns you use and in which direction, and per scenario its likelihood and impact (1–5) before and after your controls. The ministry's risk matrix decides the level.",
    ),
    ("発生可能性＼影響度", "Likelihood \\ impact"),
    ("未評価", "Not rated"),
    ("パターンの比較", "The patterns compared"),
    ("パターン", "Pattern"),
    ("連携の向き", "Direction"),
    ("評価済みのシナリオ", "Scenarios rated"),
    ("対策前の最高水準", "Highest level before controls"),
    ("対策後の最高水準", "Highest level after controls"),
    ("置き換える対象", "To be replaced"),
    ("まだ記録がありません。", "Nothing recorded yet."),
    ("ヒートマップ（シナリオの数）", "Heat maps (scenarios)"),
    ("対策前", "Before controls"),
    ("対策後（残存リスク）", "After controls (residual risk)"),
    ("シナリオごとの評価", "Ratings by scenario"),
    ("脅威とシナリオ", "Threat and scenario"),
    (
        "対策前（発生可能性・影響度）",
        "Before controls (likelihood × impact)",
    ),
    (
        "対策後（発生可能性・影響度）",
        "After controls (likelihood × impact)",
    ),
    ("対策（ガイドラインの条項）", "Controls (guideline clauses)"),
    ("対策前の発生可能性", "Likelihood before controls"),
    ("対策前の影響度", "Impact before controls"),
    ("対策後の発生可能性", "Likelihood after controls"),
    ("対策後の影響度", "Impact after controls"),
    (
        "この連携を記録から除く",
        "Remove this linkage from the record",
    ),
    ("連携を追加", "Add a linkage"),
    ("連携元", "From"),
    ("連携先", "To"),
    // The national page
    (
        "全国のデータ連携のリスク分析",
        "Data-linkage risk analysis nationally",
    ),
    (
        "各団体が記録したデータ連携のパターンと連携の向き、シナリオごとの対策後の水準（残存リスク）の件数です。平均ではなく水準ごとの件数で示します。",
        "The linkage patterns and directions bodies recorded, and per scenario how many residual ratings fall on each level: counts, not averages.",
    ),
    (
        "リスク分析をExcelで出力",
        "Download the risk analysis (Excel)",
    ),
    (
        "パターンを使う団体の数（{0} 団体が記録）",
        "Bodies using each pattern ({0} bodies recorded)",
    ),
    (
        "都道府県別（管内の団体を含む）",
        "By prefecture (with its municipalities)",
    ),
    (
        "まだ記録した団体はありません。",
        "No body has recorded yet.",
    ),
    (
        "シナリオごとの残存リスクの水準（件数）",
        "Residual risk levels by scenario (counts)",
    ),
    ("リスクマトリクス", "Risk matrix"),
    (
        "発生可能性（縦）と影響度（横）から水準を引く表",
        "The level of each likelihood (rows) and impact (columns)",
    ),
    (
        "リスクマトリクスを保存できませんでした。何も保存していません。",
        "The risk matrix could not be saved. Nothing was saved.",
    ),
    (
        "リスクマトリクスを編集（1行目に水準、続けて発生可能性5から1の行に影響度1〜5の水準）",
        "Edit the risk matrix (first the levels, then a line per likelihood from 5 to 1 with the levels of impact 1 to 5)",
    ),
    ("リスクマトリクスを保存する", "Save the risk matrix"),
    (
        "連携パターンとシナリオ・対策",
        "Linkage patterns, scenarios and controls",
    ),
    (
        "パターン一覧を保存できませんでした。何も保存していません。",
        "The catalogue could not be saved. Nothing was saved.",
    ),
    (
        "パターン一覧を編集（パターン・基準・説明・シナリオ・対策を1行ずつ。対策の末尾の [ ] は条項キー）",
        "Edit the catalogue (a line each for パターン, 基準, 説明, シナリオ and 対策; a control's clause key in [ ] at its end)",
    ),
    ("パターン一覧を保存する", "Save the catalogue"),
    ("都道府県別の団体数", "Bodies by prefecture"),
    // The workbook
    ("パターンと対策", "Patterns and controls"),
    ("残存リスク", "Residual risk"),
    ("シナリオ", "Scenario"),
    ("脅威", "Threat"),
    ("対策", "Control"),
    ("条項キー", "Clause key"),
    // The self-assessment
    ("{0} 自己点検（{1}）", "{0}: self-assessment ({1})"),
    (
        "自団体の情報セキュリティポリシーが採用・修正したガイドラインの条項ごとに、総務省の設問に答えます。前年度の回答は条項ごとに引き継がれます。新しい版で条項の文言が変わったときは、変更を示して改めて伺います。",
        "Answer the ministry's question for each guideline clause your policy adopted or modified. Last year's answers carry over clause by clause; where a new edition changed a clause's wording, the change is shown and the question asked again.",
    ),
    (
        "情報セキュリティポリシーが登録されていないため、点検項目がありません。ポリシーを取り込むと、採用した条項の設問が点検項目になります。",
        "No information-security policy is stored, so there is nothing to check. Once it is imported, the questions of the clauses it adopted make the checklist.",
    ),
    ("対象の版：{0}", "Edition: {0}"),
    (
        "ポリシーに由来の記録がないため、ガイドラインと照合して作成しました",
        "The policy records no provenance: its clauses were aligned to the guideline for this",
    ),
    ("年度", "Fiscal year"),
    ("章ごとの点数", "Scores by chapter"),
    (
        "点数 ＝（実施済 ＋ 一部実施 × ½）÷（項目数 − 該当なし）。未回答は実施済に数えません。",
        "Score = (done + ½ partly done) ÷ (items − not applicable). An unanswered item does not count as done.",
    ),
    ("章", "Chapter"),
    ("項目数", "Items"),
    ("未回答", "Unanswered"),
    ("点数", "Score"),
    ("年度ごとの推移", "Year over year"),
    ("全体", "All"),
    ("点検項目", "Checklist item"),
    (
        "点検項目がありません（総務省の設問がまだないか、ポリシーが該当する条項を採用していません）。",
        "No items (the ministry has written no questions yet, or the policy adopted none of their clauses).",
    ),
    ("条項と設問", "Clause and question"),
    ("回答", "Answer"),
    ("備考・証拠資料", "Note and evidence"),
    (
        "この版で条項の文言が変わりました。改めて回答してください（前年度の回答：{0}）。",
        "This edition changed the clause's wording. Please answer again (last year: {0}).",
    ),
    ("団体が修正した条項", "modified by the body"),
    ("前年度から引継ぎ", "Carried over from last year"),
    ("{0} の備考", "Note on {0}"),
    ("回答を保存する", "Save the answers"),
    ("証拠資料を添付", "Attach evidence"),
    (
        "設問はガイドラインの条項キーごとに書きます。キーは版をまたいで引き継がれるので、設問も次の版に引き継がれます。各団体の点検項目は、そのポリシーが採用・修正した条項の設問です。",
        "Questions are written per guideline clause key. Keys carry across editions, and so do the questions. A body's checklist is the questions of the clauses its policy adopted or modified.",
    ),
    (
        "条項キーは最新の版（{0}）の条項のページで確かめられます。",
        "A clause's key is shown on its page in the latest edition ({0}).",
    ),
    (
        "設問を保存できませんでした。何も保存していません。",
        "The questions could not be saved. Nothing was saved.",
    ),
    ("設問 {0} 件", "{0} questions"),
    (
        "設問（1行に「条項キー: 設問」）",
        "Questions (one a line: KEY: question)",
    ),
    ("設問を保存する", "Save the questions"),
];
