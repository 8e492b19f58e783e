//! The user interface in Japanese (the default) or English.
//!
//! Texts are written in Japanese where they are used — in templates as
//! `{{ "ガイドラインの版" | t }}`, in handlers as `tr(lang, "…")` — and
//! [`EN`] gives each its English. `{0}`, `{1}` … in a text are filled
//! from the filter's arguments, so word order can differ between the two.
//! A test checks that every text the templates pass through `t` has its
//! English. The documents themselves (editions, policies) stay as written.

use std::collections::HashMap;
use std::sync::OnceLock;

use minijinja::value::{Rest, Value};

mod linkage;
mod pages;
mod records;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// 日本語 (the default).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// The language of code `ja` or `en`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Its code, as in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }

    /// The other language (the header's switch offers it).
    pub fn other(self) -> Lang {
        match self {
            Lang::Ja => Lang::En,
            Lang::En => Lang::Ja,
        }
    }

    /// The language a browser prefers, from its `Accept-Language` header:
    /// English when it ranks English before Japanese, else Japanese.
    pub fn from_accept_language(header: &str) -> Lang {
        for range in header.split(',') {
            let tag = range.split(';').next().unwrap_or("").trim();
            if tag.starts_with("ja") {
                return Lang::Ja;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::Ja
    }
}

/// Every Japanese text with its English: [`EN`], then the reading pages'
/// texts (kept in their own table, `pages.rs`).
fn entries() -> impl Iterator<Item = (&'static str, &'static str)> {
    EN.iter()
        .chain(pages::EN)
        .chain(records::EN)
        .chain(linkage::EN)
        .copied()
}

fn english() -> &'static HashMap<&'static str, &'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| entries().collect())
}

/// Whether `ja` has its English (for tests of texts chosen in code and
/// translated where shown).
#[cfg(test)]
pub(crate) fn has_english(ja: &str) -> bool {
    english().contains_key(ja)
}

/// `ja` in `lang`, with `{0}`, `{1}` … replaced by `args`.
pub fn tr(lang: Lang, ja: &str, args: &[&str]) -> String {
    let text = match lang {
        Lang::Ja => ja,
        Lang::En => english().get(ja).copied().unwrap_or(ja),
    };
    let mut out = text.to_string();
    for (i, a) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), a);
    }
    out
}

/// The template filter `t`: the language is the context's `lang`.
fn t_filter(state: &minijinja::State, ja: &str, args: Rest<Value>) -> String {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::from_code))
        .unwrap_or_default();
    let args: Vec<String> = args.iter().map(ToString::to_string).collect();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    tr(lang, ja, &refs)
}

/// Adds the `t` filter to `env`.
pub fn register(env: &mut minijinja::Environment<'_>) {
    env.add_filter("t", t_filter);
}

/// Japanese → English, for every text of the interface.
pub const EN: &[(&str, &str)] = &[
    // The revision cycle
    ("この後に追加", "Add after this"),
    (
        "この後に追加する項目の見出し",
        "Title of a new clause after this one",
    ),
    (
        "この項目の後に移す（条項キー）",
        "Move this after the clause (its key)",
    ),
    (
        "この項目を削除（配下を含む）",
        "Delete this clause (and everything under it)",
    ),
    (
        "その本文（段落ごとに改行）",
        "Its text (a line per paragraph)",
    ),
    ("メモ", "Note"),
    (
        "メモを書く（総務省と検討会委員のみ）",
        "Write a note (the ministry and the committee only)",
    ),
    ("メモを追加", "Add the note"),
    ("分割", "Split"),
    (
        "分割する段落（2～{0}）",
        "Paragraph that starts the new clause (2–{0})",
    ),
    ("委員メモ", "Committee note"),
    (
        "構成を変える（追加・削除・移動・分割）",
        "Change the structure (add, delete, move, split)",
    ),
    ("移動", "Move"),
    ("該当箇所（任意）", "Words concerned (optional)"),
    ("{0}内の団体", "bodies in {0}"),
    ("ベンダー", "Vendors"),
    ("全地方公共団体", "Every local government"),
    (
        "名称（空欄なら「{0} ガイドライン改定」）",
        "Title (empty: “{0} ガイドライン改定”)",
    ),
    (
        "年度（2026、R8 又は 令和8年度）",
        "Fiscal year (2026, R8 or 令和8年度)",
    ),
    ("意見照会を開始する", "Open a consultation"),
    (
        "改定サイクルはまだありません。",
        "There is no revision cycle yet.",
    ),
    ("改定サイクルを始める", "Start the revision cycle"),
    ("照会番号（例 R8-2）", "Consultation id (e.g. R8-2)"),
    (
        "締切（日本時間。地方公共団体には14日以上）",
        "Closes (Japan time; at least 14 days for local governments)",
    ),
    (
        "都道府県経由の場合、都道府県への提出期限",
        "Through the prefectures: their deadline",
    ),
    ("開始する", "Open"),
    ("開始（日本時間）", "Opens (Japan time)"),
    ("{0} の改定", "revises {0}"),
    ("まだ変更はありません。", "No changes yet."),
    ("区分", "Kind"),
    ("変更履歴", "Changes"),
    ("改定サイクル", "Revision cycle"),
    ("改定サイクルへ", "To the revision cycle"),
    ("改定案", "Drafts"),
    ("改定案 {0}", "Draft {0}"),
    (
        "改定案の第{0}版と比べています。変更のある行：{1}",
        "Compared with version {0} of the draft. Rows that change: {1}",
    ),
    ("改定案へ", "To the draft"),
    ("改定案を作成する", "Start a draft"),
    ("すべての意見群を表示", "Show every cluster"),
    (
        "未対応の意見群だけを表示",
        "Show only clusters still to dispose of",
    ),
    (
        "受領した意見の整理（意見群・対応・対応表）",
        "Review the comments received (clusters, dispositions, response table)",
    ),
    ("意見：{0}", "comments: {0}"),
    (
        "この変更の元になった意見の番号（任意。読点・空白区切り、例 R8-1-0042）",
        "Comments behind this change (optional: ids separated by commas or spaces, e.g. R8-1-0042)",
    ),
    ("改正", "Changed"),
    ("変更なし", "Unchanged"),
    ("この条項の履歴", "This clause's history"),
    ("変更の経緯", "Why it changed"),
    ("反映した意見", "Comments reflected"),
    ("{0} として公表済み", "published as {0}"),
    ("{0} として公表済みです。", "Published as {0}."),
    ("{0} の意見の整理", "Comments of {0}"),
    ("この意見を分ける", "Take this comment out"),
    (
        "この意見群の {0} 件に対応を記録",
        "Record the disposition of this cluster's {0} comments",
    ),
    (
        "この改定案への意見照会がすべて締め切られ、受領した意見すべてに対応が記録されていなければ公表できません。",
        "A draft is published only when every consultation on it has closed and every comment received has a disposition.",
    ),
    (
        "この改定案を新しい版として公表する",
        "Publish this draft as a new edition",
    ),
    ("一部未対応（{0} 件）", "Partly undisposed ({0})"),
    ("公表した版へ", "To the published edition"),
    ("公表する", "Publish"),
    (
        "公表日（例 2026-12-20 又は 令和8年12月20日）",
        "Publication date (e.g. 2026-12-20 or 令和8年12月20日)",
    ),
    ("匿名化", "anonymised"),
    (
        "受領した意見 {0} 件・意見群 {1}・対応済み {2} 件",
        "{0} comments received, {1} clusters, {2} disposed of",
    ),
    (
        "受領した意見はまだありません。",
        "No comments received yet.",
    ),
    (
        "同じ条項の意見群と統合",
        "Merge with a cluster on the same clause",
    ),
    ("対応", "Disposition"),
    ("対応が分かれています", "Mixed dispositions"),
    ("対応を変更する", "Change the disposition"),
    ("対応を記録する", "Record a disposition"),
    ("意見 {0} 件を見る", "Show the {0} comments"),
    ("意見と対応（対応表）", "Response table"),
    ("意見の整理", "Comment review"),
    ("意見の該当箇所", "Words quoted"),
    ("意見群", "Clusters"),
    ("意見群 {0}", "Cluster {0}"),
    ("提出者", "From"),
    (
        "改定案の変更で位置が変わった意見（確認してください）",
        "Comments the draft's changes moved, changed or removed (please confirm)",
    ),
    ("未対応", "Undisposed"),
    (
        "照会時 第{0}版・現在 第{1}版",
        "version {0} when consulted, now {1}",
    ),
    (
        "版の名前（例 令和8年12月版）",
        "Edition name (e.g. 令和8年12月版)",
    ),
    ("現在の改定案", "In the draft now"),
    ("確認した", "Confirmed"),
    ("統合する", "Merge"),
    ("考え方", "Reason"),
    ("類似度 {0}", "similarity {0}"),
    ("一致", "exact"),
    ("近似", "changed a little"),
    ("該当なし", "gone"),
    (
        "その番号の意見群はありません。",
        "There is no cluster with that number.",
    ),
    ("反映", "Reflected"),
    ("不反映", "Not reflected"),
    ("対応済", "Already addressed"),
    (
        "改定案の名前（例 R8-draft2）",
        "Draft name (e.g. R8-draft2)",
    ),
    ("元にする版", "Start from edition"),
    ("最新の版", "The latest edition"),
    (
        "またはファイルから（.md / .docx / .txt。改定案の本文、又は意見を求める別の文書）",
        "Or from a file (.md / .docx / .txt: the next edition's text, or another document put out for opinion)",
    ),
    ("作成する", "Start"),
    (
        "ファイルに誤りがあるため、改定案を作成していません。",
        "The file has errors, so no draft was started.",
    ),
    ("ほか{0}件", "and {0} more"),
    ("日時", "When"),
    ("日時（日本時間）", "When (Japan time)"),
    ("日程", "Schedule"),
    ("日程を追加する", "Add to the schedule"),
    ("本文を修正する", "Change the text"),
    ("検討項目", "Topics"),
    ("検討項目を追加する", "Add a topic"),
    ("検討項目：{0}", "topic: {0}"),
    ("概要", "Description"),
    ("済", "done"),
    ("現在：{0}", "Now: {0}"),
    ("第{0}版", "version {0}"),
    ("追加", "Add"),
    ("関係する条項", "Clauses concerned"),
    (
        "関係する条項のキー（読点・空白区切り）",
        "Keys of the clauses concerned (separated by 、 or spaces)",
    ),
    ("検討会", "Committee meeting"),
    ("改定案決定", "Draft agreed"),
    ("公表", "Publication"),
    ("その他", "Other"),
    ("検討中", "Under study"),
    ("改定案に反映", "In the draft"),
    ("反映済", "Published"),
    ("見送り", "Deferred"),
    // Consultations and accounts
    ("Excel 様式で回答する", "Answer with the Excel form"),
    ("{0} の回答", "{0}'s answer"),
    ("{0} の回答状況", "Answers to {0}"),
    ("{0} 管内", "Within {0}"),
    ("「意見なし」を取り消す", "Withdraw \"no comment\""),
    (
        "あなたが回答する意見照会はありません。",
        "There is no consultation for you to answer.",
    ),
    ("あり", "Yes"),
    ("この条項に意見を書く", "Comment on this clause"),
    ("なし", "No"),
    (
        "まだ意見はありません。下の本文の各条項から意見を書くか、Excel 様式で回答できます。",
        "No comments yet. Comment on a clause of the text below, or answer with the Excel form.",
    ),
    ("アカウント", "Accounts"),
    ("アカウントを作成する", "Create an account"),
    (
        "アップロードして作成中の回答を置き換える",
        "Upload and replace the answer in preparation",
    ),
    ("付与する", "Grant"),
    ("件名", "Subject"),
    ("作成", "Create"),
    ("作成中", "In preparation"),
    ("修正案", "Proposed wording"),
    ("修正案（任意）", "Proposed wording (optional)"),
    ("停止する", "Disable"),
    ("停止中", "Disabled"),
    ("再開する", "Enable"),
    (
        "初期パスワード（12文字以上）",
        "Initial password (12 characters or more)",
    ),
    ("取り消す", "Revoke"),
    ("受付期間", "Open"),
    ("受領", "Received"),
    ("回答の提出権限を与える", "Give the right to submit answers"),
    (
        "回答様式（.xlsx）をダウンロード",
        "Download the answer form (.xlsx)",
    ),
    ("回答状況を見る", "See who has answered"),
    (
        "団体コード（団体・都道府県職員）",
        "Body code (body and prefecture officers)",
    ),
    ("団体・組織", "Body or organisation"),
    ("対象", "Asked"),
    (
        "対象 {0}・受領 {1}（意見 {2} 件）・都道府県で保留 {3}・作成中 {4}・未着手 {5}",
        "Asked {0} · received {1} ({2} comments) · held by prefectures {3} · in preparation {4} · nothing yet {5}",
    ),
    ("対象文書", "Document"),
    ("差し戻す", "Return"),
    ("差戻し理由", "Reason for returning"),
    ("役割", "Role"),
    ("意見", "Opinion"),
    ("意見なし", "No comment"),
    ("意見なしとする", "Answer \"no comment\""),
    ("意見を追加", "Add the comment"),
    ("意見数", "Comments"),
    ("意見照会", "Consultations"),
    ("意見番号", "Comment"),
    (
        "提出は、提出権限のある職員が行います。",
        "An officer with the right to submit sends the answer.",
    ),
    ("提出を取り下げて修正する", "Withdraw to change it"),
    ("提出権限", "Right to submit"),
    ("操作", "Actions"),
    ("最終更新：{0}", "Last changed by {0}"),
    ("有効", "Active"),
    (
        "未回答の団体一覧（.xlsx）をダウンロード",
        "Download who has not answered (.xlsx)",
    ),
    ("未着手", "Nothing yet"),
    ("本文", "Text"),
    ("照会", "Consultation"),
    ("状態", "Status"),
    ("状況", "Status"),
    ("種別", "Type"),
    ("組織名（事業者）", "Organisation (vendors)"),
    ("総務省が受領済み", "received by the ministry"),
    ("総務省に提出する", "Submit to the ministry"),
    ("総務省へ送付", "Forward to the ministry"),
    ("記入した様式", "The filled form"),
    ("該当箇所", "Words concerned"),
    (
        "該当箇所（本文からそのまま写す。空欄なら条項全体）",
        "Words concerned (copied exactly from the text; empty: the whole clause)",
    ),
    (
        "都道府県からの差戻し理由：{0}",
        "Returned by the prefecture: {0}",
    ),
    ("都道府県で保留", "Held by the prefecture"),
    ("都道府県に提出する", "Submit to the prefecture"),
    ("都道府県への提出期限", "Deadline at the prefecture"),
    (
        "（作成中の意見が記入済みです）",
        " (with the comments in preparation filled in)",
    ),
    (
        "（市区町村は都道府県を経由して回答します）",
        " (municipalities answer through their prefecture)",
    ),
    ("提出済", "Submitted"),
    ("差戻し", "Returned"),
    ("送付済", "Forwarded"),
    ("都道府県に提出済", "Submitted to the prefecture"),
    ("質問", "Question"),
    ("誤り", "Error"),
    ("開始前", "Not open yet"),
    ("受付中", "Open"),
    ("終了", "Closed"),
    (
        "種別を選んでください（質問・意見・誤り）。",
        "Choose the type (question, opinion, error).",
    ),
    ("ファイルを選んでください。", "Choose a file."),
    (
        "アップロードされた様式は登録済みの回答と同じです。何も変更していません。",
        "The uploaded form holds the answer already stored: nothing was changed.",
    ),
    ("{0}行目：{1}", "row {0}: {1}"),
    (
        "様式に誤りがあるため、何も登録していません。",
        "The form has errors, so nothing was stored.",
    ),
    ("役割を選んでください。", "Choose a role."),
    // Frame and navigation
    ("メニュー", "Menu"),
    ("ガイドラインの版", "Guideline editions"),
    ("検索", "Search"),
    ("全国の状況", "National overview"),
    ("サインアウト", "Sign out"),
    ("サインイン", "Sign in"),
    ("言語", "Language"),
    ("本文へ移動", "Skip to content"),
    // Roles
    ("admin", "ministry administrator"),
    ("committee", "committee member"),
    ("prefecture", "prefecture officer"),
    ("body", "local government officer"),
    ("vendor", "vendor"),
    ("総務省（管理者）", "ministry administrator"),
    ("検討会委員", "committee member"),
    ("都道府県職員", "prefecture officer"),
    ("団体職員", "local government officer"),
    ("事業者", "vendor"),
    // Sign-in
    ("ログイン名", "Login name"),
    ("パスワード", "Password"),
    (
        "ログイン名またはパスワードが違います。",
        "The login name or password is wrong.",
    ),
    (
        "ログイン名の{0}文字目の制御文字 {1} は使えません。",
        "Character {0} of the login name is the control character {1}, which a login name cannot hold.",
    ),
    // Editions
    ("版", "Edition"),
    ("表題", "Title"),
    ("公表日", "Published"),
    ("条項数", "Clauses"),
    ("新旧対照表", "Old/new comparison table (新旧対照表)"),
    ("公表日：{0}", "Published: {0}"),
    ("例文", "Example text"),
    ("任意の二つの版を比べる", "Compare any two editions"),
    ("旧", "Old"),
    ("新", "New"),
    ("形式", "Format"),
    ("画面", "Web page"),
    ("テキスト", "Text"),
    (
        "前後に表示する変更のない条項",
        "Unchanged clauses shown around each change",
    ),
    ("比べる", "Compare"),
    ("解説", "Commentary"),
    // Policies
    ("{0} のポリシー", "Policy of {0}"),
    // The impact of a new edition (kaitei_compare::policy::Cause::explanation)
    (
        "ガイドラインの{0}が削除された：この条項の扱いを決める必要がある",
        "{0} was deleted from the guideline: decide what becomes of this clause",
    ),
    (
        "採用していた{0}が改正された：新しい文言に更新できる",
        "{0}, adopted as it was, was revised: the new wording can be taken",
    ),
    (
        "独自に修正していた{0}が改正された：団体の文言と改正内容の調整が必要",
        "{0}, reworded by the body, was revised: the body's wording and the revision need reconciling",
    ),
    (
        "{0}が{1}に移動した（文言は変わらない）",
        "{0} moved to {1} (same wording)",
    ),
    (
        "省略していた{0}が改正された：省略の理由（{2}）がなお当てはまるか確認",
        "{0}, omitted by the body, was revised: check the reason for omitting it ({2}) still holds",
    ),
    (
        "ガイドラインに{1}が新設された：規定の追加を検討",
        "The guideline gained {1}: consider adding it",
    ),
    ("重要度", "Severity"),
    ("条項", "Clause"),
    ("内容", "What changed"),
    ("要判断", "Decide"),
    ("要確認", "Check"),
    ("参考", "For information"),
    ("そのまま採用", "adopted as it is"),
    ("団体で修正", "reworded by the body"),
    ("団体で追加", "added by the body"),
    ("編集", "Edit"),
    ("本文（段落ごとに改行）", "Text (one paragraph per line)"),
    ("保存", "Save"),
    (
        "{0}行目の{1}文字目の制御文字 {2} は本文に使えません（欄では � で示しています）。削除して保存し直してください。保存していません。",
        "Line {0}, column {1}: the control character {2} is not allowed in text (it is shown as � in the box). Delete it and save again; nothing was saved.",
    ),
    (
        "（この本文には同様の文字が {0} 個あります）",
        " (the text holds {0} such characters)",
    ),
    ("履歴", "History"),
    (
        "第{0}版（{1} が変更）：{2}",
        "Version {0} (replaced by {1}): {2}",
    ),
    ("改定の確認へ", "Review the merge"),
    (
        "公開（サインインした全員が閲覧できます）",
        "Published (every signed-in user may read it)",
    ),
    (
        "非公開（この団体、都道府県の状況表示、総務省のみ）",
        "Not published (this body, its prefecture's status view and the ministry only)",
    ),
    ("公開する", "Publish"),
    ("非公開にする", "Withdraw"),
    // Merge review
    ("改定の確認", "Merge review"),
    ("{0} → {1} の改定の確認", "Merge review: {0} → {1}"),
    ("変更", "Changed"),
    ("競合", "Conflict"),
    ("新設", "New"),
    ("削除", "Removed"),
    ("現行", "Current"),
    ("提案", "Proposed"),
    ("（なし）", "(none)"),
    ("判断", "Decision"),
    ("提案を採用", "Accept the proposal"),
    ("現行を維持", "Keep ours"),
    ("修正して採用", "Edit"),
    (
        "修正文（段落ごとに改行）",
        "Edited text (one paragraph per line)",
    ),
    ("判断を保存", "Save the decision"),
    ("判断済み：{0}（{1}）", "Decided: {0} ({1})"),
    ("未判断", "Not decided"),
    (
        "ポリシーに値の記録がない差し込み項目です。本文から読み取った値は提案に使っています。確定すると、ポリシーに記録します。",
        "These placeholders have no value recorded in the policy. Values read from its text are used in the proposal; confirming one records it with the policy.",
    ),
    (
        "本文から読み取れませんでした（最初の使用箇所：{0}）。差し込み項目のまま残します。",
        "Not found in the text (first used in {0}); the placeholder stays.",
    ),
    (
        "条項によって異なる値が読み取れました。いずれかを確定するまで差し込み項目のまま残します。",
        "Clauses show different values; the placeholder stays until one is confirmed.",
    ),
    ("値", "Value"),
    ("この値で確定", "Confirm this value"),
    (
        "現行の文言に新版の変更を反映しました。新版から入った語：",
        "The new edition's change was applied to the current wording. Words from the new edition: ",
    ),
    ("確認結果をポリシーに反映", "Adopt the reviewed policy"),
    // Search
    ("検索語（2文字以上）", "Search for (two characters or more)"),
    ("{0} 件", "{0} hits"),
    ("（先頭 {0} 件）", "(the first {0})"),
    // Dashboard
    (
        "ポリシーを登録済みの団体：{0}",
        "Bodies with a stored policy: {0}",
    ),
    (
        "準拠するガイドラインの版（団体数）",
        "Guideline edition followed (bodies)",
    ),
    ("都道府県", "Prefecture"),
    ("団体数", "Bodies"),
    ("未登録", "No policy"),
    ("全国", "Nationwide"),
    ("全国への影響（{0}）", "National impact of {0}"),
    ("旧版に準拠する団体", "Bodies following an older edition"),
    ("要判断の条項がある団体", "Bodies with clauses to decide"),
    ("影響のある条項（延べ）", "Affected clauses (total)"),
    ("集計時刻 {0}（日本時間）", "as of {0} JST"),
    ("表をダウンロード：", "Download the table: "),
    (
        "最新の版（{0}）に準拠する団体の割合",
        "Share of bodies following the latest edition ({0})",
    ),
    (
        "準拠する版の割合（都道府県別）",
        "Edition followed, by prefecture",
    ),
    ("その他の版", "Other editions"),
    ("{0} 管内の状況", "{0}: bodies in the prefecture"),
    ("管内の状況", "Bodies in the prefecture"),
    (
        "このほか {0} 団体は表示の権限がありません。",
        "{0} more bodies are not shown to you.",
    ),
    ("団体", "Body"),
    ("ポリシーの版", "Policy edition"),
    ("準拠するガイドライン", "Guideline followed"),
    ("公開", "Published"),
    ("非公開", "Not published"),
    ("{0} による影響", "Impact of {0}"),
    ("最新版に準拠", "Follows the latest"),
    (
        "（うち由来未確認 {0}：照合してから影響を集計）",
        " ({0} without recorded provenance: aligned before their impact is counted)",
    ),
    // The 新旧対照表 page
    ("新旧対照表：{0} → {1}", "Comparison table: {0} → {1}"),
    (
        "{0} は {1} より新しい版です。左右を入れ替えて比べますか？",
        "{0} is newer than {1}. Compare them the other way round?",
    ),
    ("入れ替える", "Swap"),
    ("列の順", "Column order"),
    ("改正後｜改正前", "New | old"),
    ("改正前｜改正後", "Old | new"),
    (
        "前後に残す変更のない行",
        "Unchanged rows kept around changes",
    ),
    ("表示", "Show"),
    ("ダウンロード", "Download"),
    (
        "{0} と {1} の間に変更はありません。",
        "There are no changes between {0} and {1}.",
    ),
    // Error pages
    ("リクエストが正しくありません", "Bad request"),
    ("権限がありません", "Not allowed"),
    ("見つかりません", "Not found"),
    ("内部エラーが発生しました", "Something went wrong"),
    ("しばらくお待ちください", "Please wait"),
    ("エラー", "Error"),
    ("問い合わせ番号：{0}", "Request ID: {0}"),
    ("トップへ戻る", "Back to the start"),
    ("監査証跡", "Audit trail"),
    (
        "すべての状態変更（サインイン、アカウント、編集、取込み、レビュー、意見照会）を記録し、SHA-256 で連結しています。連鎖の先頭を定期的に書き出し、別の場所に保管してください（kaitei audit head）。",
        "Every change of state (sign-ins, accounts, edits, imports, reviews, consultations) is recorded and chained with SHA-256. Export the chain's head regularly and keep it elsewhere (kaitei audit head).",
    ),
    ("連鎖の先頭", "Head of the chain"),
    ("連鎖を検証する", "Verify the chain"),
    ("連鎖は完全です", "The chain is intact"),
    ("件", "events"),
    ("未連結", "not chained yet"),
    ("連鎖が壊れています", "The chain is broken"),
    ("位置", "at"),
    ("団体コード", "Body code"),
    ("操作者", "Actor"),
    ("開始日", "From"),
    ("終了日", "Until"),
    ("絞り込む", "Filter"),
    ("CSVで書き出す", "Export as CSV"),
    ("番号", "No."),
    ("変更前", "Before"),
    ("変更後", "After"),
    ("該当する記録はありません。", "No events match."),
    ("ページ", "Pages"),
    ("前へ", "Previous"),
    ("次へ", "Next"),
    (
        "団体コード「{0}」は6桁の団体コードではありません。",
        "Body code \"{0}\" is not a 6-digit body code.",
    ),
    (
        "{0}「{1}」は日付ではありません（2026-01-13 のように書きます）。",
        "{0} \"{1}\" is not a date (write it like 2026-01-13).",
    ),
    ("サインイン失敗", "Failed sign-in"),
    ("アカウント追加", "Account added"),
    ("パスワード変更", "Password changed"),
    ("アカウント停止", "Account disabled"),
    ("アカウント再開", "Account enabled"),
    ("提出権限の変更", "Right to submit changed"),
    ("所属組織の変更", "Organisation changed"),
    ("文書の取込み", "Document imported"),
    ("データベースの更新", "Database schema upgraded"),
    ("ポリシーの公開", "Policy made public"),
    ("ポリシーの公開停止", "Policy withdrawn from public"),
    ("差込み値の確認", "Placeholder value confirmed"),
    ("条項の編集", "Clause edited"),
    ("改定レビューの判断", "Review decision"),
    ("改定レビューの反映", "Review adopted"),
    ("改定サイクルの開始", "Cycle started"),
    ("検討事項の追加", "Topic added"),
    ("検討事項の状況変更", "Topic status changed"),
    ("日程の追加", "Milestone added"),
    ("改定案の作成", "Draft created"),
    ("改定案の編集", "Draft edited"),
    ("改定案へのメモ", "Note on a draft"),
    ("改定案の公表", "Draft published"),
    ("意見照会の作成", "Consultation created"),
    ("回答の保存", "Answer saved"),
    ("回答の編集再開", "Answer reopened"),
    ("回答の提出", "Answer submitted"),
    ("回答の取下げ", "Answer withdrawn"),
    ("回答の差戻し", "Answer returned"),
    ("回答の送付", "Answer forwarded"),
    ("意見への対応", "Comment disposed of"),
    ("意見のまとめ", "Comments merged"),
    ("意見の分離", "Comments split"),
    ("意見の位置の確認", "Comment's place confirmed"),
    // A body officer (#15 items 1–6): the policy as home, the review, the
    // revision adopted and its 新旧対照表, provenance in words, messages.
    ("自団体のポリシー", "Our policy"),
    (
        "開こうとしたページを表示するには、サインインしてください。",
        "Sign in to see the page you asked for.",
    ),
    ("このポリシーの状況", "Where this policy stands"),
    ("この版の名前", "Version"),
    ("日付（施行日・公表日）", "Date (in force or published)"),
    ("最新の版です", "the latest edition"),
    ("最新の版は {0}", "the latest edition is {0}"),
    ("記録なし", "not recorded"),
    ("前の版", "Previous version"),
    ("新旧対照表（Word）", "Comparison table (Word)"),
    ("要判断 {0} 件", "{0} to decide"),
    ("要確認 {0} 件", "{0} to check"),
    ("参考 {0} 件", "{0} for reference"),
    ("次の手順：", "Next step: "),
    (
        "{0} 件中 {1} 件を判断済み（競合 {2} 件のうち未判断 {3} 件）",
        "{1} of {0} decided ({3} of {2} conflicts undecided)",
    ),
    (
        "最新の版に準拠しています。確認が必要な改正はありません。",
        "It follows the latest edition: there is no revision to review.",
    ),
    ("影響の一覧（{0} 件）", "All {0} impacts"),
    ("確認する", "Review it"),
    ("文言の変更なし", "No change of wording"),
    ("（省略した条項）", "(a clause the body omitted)"),
    ("由来：", "Derived from: "),
    ("ガイドライン", "Guideline"),
    (
        "ガイドライン {0} にない条項",
        "not a clause of the guideline's {0}",
    ),
    ("ガイドラインにない条項", "not a clause of the guideline"),
    (
        "改定を反映しました。このポリシーの新しい版「{0}」を保存しました。",
        "The review is adopted: the policy's new version “{0}” is saved.",
    ),
    (
        "前の版「{0}」はそのまま残ります。",
        "The previous version “{0}” is kept as it was.",
    ),
    (
        "決裁用の新旧対照表（Word）をダウンロード",
        "Download the comparison table for approval (Word)",
    ),
    (
        "この版はまだ公開していません。公開するまで、ほかの団体にはこの版は見えません。準備ができたら「公開する」を押してください。",
        "This version is not public yet: other bodies do not see it until it is. When it is ready, press “Make public”.",
    ),
    (
        "公開しました。サインインした全員が、この版を閲覧できます。",
        "Made public: everyone signed in can read this version.",
    ),
    (
        "非公開にしました。この団体、都道府県の状況表示、総務省のみが閲覧できます。",
        "Withdrawn from public: only this body, its prefecture's status view and the ministry see it.",
    ),
    (
        "影響 {0} 件は、新しい版の改正がこのポリシーに及ぶ箇所の数です。改定の確認の {1} 件は、反映すると文言が変わる条項の数です。影響のうち {2} 件は改定の確認の項目に対応し、表の「改定の確認」欄から開けます。",
        "The {0} impacts are the places the new edition's changes reach in this policy; the review's {1} items are the clauses whose wording adopting it would change. {2} of the impacts lead to a review item (the table's “Merge review” column opens it).",
    ),
    (
        "残る {0} 件は、文言の変わらない移動や省略していた条項の改正など、確かめるだけで文言は変わりません。",
        " The other {0} change no wording: a move with the same words, a change to a clause the body omitted — only to check.",
    ),
    (
        "改定の確認には、新設される条項の下の項目など、影響では上位の条項とまとめて数えた {0} 件も含まれます。",
        " The review also lists {0} items the impact counts together with the clause above them, such as the items under a new clause.",
    ),
    (
        "{0} のポリシーは、まだ登録されていません。",
        "{0} has no policy stored yet.",
    ),
    (
        "ポリシーを登録すると、ここに状況（準拠するガイドラインの版、公開の有無）と、新しい版による影響が表示されます。登録（取込み）は、システムの管理者に依頼してください。",
        "Once its policy is stored, this page shows where it stands (the guideline edition it follows, whether it is public) and what a new edition means for it. Ask the system's administrator to import it.",
    ),
    ("ガイドラインの版を見る", "See the guideline editions"),
    (
        "新しい版の改正を、このポリシーに反映するかどうかを条項ごとに判断します。「現行」で色の付いた部分が改定で変わる箇所、「提案」で色の付いた部分が新しい文言です。右の欄はガイドライン自身の改正（旧 → 新）です。",
        "Decide, clause by clause, whether to bring the new edition's change into this policy. Coloured in “Current” is what the revision changes; coloured in “Proposed” is the new wording. The right-hand column is the guideline's own change (old → new).",
    ),
    ("表示する変更", "Changes shown"),
    ("{0}（{1} 件）", "{0} ({1})"),
    (
        "競合以外の提案をすべて採用（{0} 件）",
        "Accept every proposal but the conflicts ({0})",
    ),
    (
        "新旧対照表（Word）をダウンロード",
        "Download the comparison table (Word)",
    ),
    (
        "決裁用：現行 → 判断どおりの改定案（未判断の競合は現行のまま）",
        "for approval: current → the revision as decided (an undecided conflict stays as it is)",
    ),
    ("反映へ進む", "Go to adopting"),
    (
        "新設条項の位置についての注意（{0} 件）",
        "Where new clauses went ({0} notes)",
    ),
    (
        "差し込み項目の値（{0} 件）：本文から読み取った値を提案に使っています。確定するとポリシーに記録します",
        "Placeholder values ({0}): values read from the text are used in the proposal; confirming one records it with the policy",
    ),
    ("読み取った箇所：", "Read from:"),
    (
        "この絞り込みに当てはまる変更はありません。",
        "No change matches this filter.",
    ),
    ("ポリシーに反映", "Adopt into the policy"),
    (
        "判断した結果を、このポリシーの新しい版として保存します。現在の版「{0}」（{1}）はそのまま残ります。未判断の変更は提案どおり採用します。競合はすべて判断が必要です。",
        "What was decided is saved as the policy's new version; the current version “{0}” ({1}) is kept as it was. Undecided changes are accepted as proposed; every conflict needs a decision.",
    ),
    (
        "新しい版の名前（例：令和8年4月1日施行、令和8年度版）",
        "Name of the new version (e.g. 令和8年4月1日施行, 令和8年度版)",
    ),
    (
        "日付（施行日または公表日。例：令和8年4月1日、2026-04-01）",
        "Date (in force or published; e.g. 令和8年4月1日, 2026-04-01)",
    ),
    ("{0} 件中 {1} 件を判断済み", "{1} of {0} decided"),
    ("未判断の競合 {0} 件", "{0} conflicts undecided"),
    (
        "競合はすべて判断済みです。反映できます。",
        "Every conflict is decided: the review can be adopted.",
    ),
    ("判断の進み具合", "Decisions made"),
    ("ガイドラインの改正", "The guideline's change"),
    (
        "旧：（なし。新しい版で新設）",
        "Old: (none; new in this edition)",
    ),
    ("新：（削除）", "New: (deleted)"),
    ("（削除）", "(deleted)"),
    (
        "団体独自の条項です（ガイドラインに対応する条項はありません）。",
        "The body's own clause (no guideline clause corresponds to it).",
    ),
    (
        "「修正して採用」には修正文が必要です。採用する文を入力してください。判断は保存していません。",
        "“Edit and adopt” needs the text to adopt: type it in. Nothing was recorded.",
    ),
    (
        "改定後の版の名前を入力してください。",
        "Give the new version a name.",
    ),
    (
        "版の名前は{0}文字以内にしてください。",
        "A version name has at most {0} characters.",
    ),
    (
        "版の名前に改行や制御文字は使えません。",
        "A version name holds no line break or control character.",
    ),
    (
        "日付を「令和8年4月1日」または「2026-04-01」の形で入力してください。",
        "Give the date as 令和8年4月1日 or 2026-04-01.",
    ),
    (
        "日付は現在の版の日付（{0}）以降にしてください。",
        "The date cannot be before the current version's ({0}).",
    ),
    (
        "「{0}」は、この団体のポリシーの版の名前として使われています。別の名前にしてください。",
        "“{0}” is already the name of one of this body's versions: choose another.",
    ),
    (
        "未判断の競合が {0} 件あります。「競合」で絞り込み、すべて判断してから反映してください：{1}",
        "{0} conflicts are undecided: filter on “Conflicts” and decide each before adopting: {1}",
    ),
    (
        "確認している間に、ほかの人がこのポリシーを編集したか改定を反映しました。何も保存していません。内容を確かめてから、もう一度反映してください。",
        "While you reviewed, someone else edited this policy or adopted the review: nothing was saved. Check what changed, then adopt again.",
    ),
    (
        "本文が空です。条項の本文を入力してください。保存していません。",
        "The text is empty: type the clause's text. Nothing was saved.",
    ),
    (
        "この条項は、あなたが開いた後に、ほかの人か別のタブ・ウィンドウから保存されました。あなたの入力は欄に残しています。現在の本文と見比べ、必要なら直してから保存してください。保存すると現在の本文を置き換えます（置き換えた本文は履歴に残ります）。まだ何も保存していません。",
        "This clause was saved, by someone else or from another tab or window, after you opened it. What you typed is still in the box: compare it with the current text, change it if need be, and save; saving replaces the current text (which stays in the history). Nothing is saved yet.",
    ),
    (
        "あなたの入力（まだ保存していません）",
        "What you typed (not saved yet)",
    ),
    ("入力した本文で保存し直す", "Save what I typed"),
    (
        "現在の本文（{0} が保存）",
        "The current text (saved by {0})",
    ),
    ("保存した日時：{0}", "Saved at {0}"),
    (
        "入力を破棄して現在の本文を開く",
        "Discard what I typed and open the current text",
    ),
    ("新設の{0}{1}", "New {0}{1}"),
    (
        "{0} は、団体がガイドラインの一つの項目を分けて定めた条項の一つです。ガイドラインの改正は最初の条項にだけ提案しています。",
        "{0} is one of the clauses the body made of one guideline clause: the guideline's change is proposed on the first of them only.",
    ),
    (
        "{0} の由来となったガイドラインの項目は削られました。後の条の番号が変わらないよう、「{0}　削除」として残しています。",
        "The guideline clause {0} came from was deleted: it stays as 「{0}　削除」 so that the later articles keep their numbers.",
    ),
    (
        "{0}：ガイドラインで削られた項を削り、後の項を繰り上げました（{1}）。前項・第N項などの引用を確認してください。",
        "{0}: the 項 deleted in the guideline went and the later 項 moved up ({1}); check references to them (前項, 第N項).",
    ),
    ("この条", "this article"),
    (
        "見出しは、ガイドラインの上位の項目の題名にしました。確認してください。",
        "Its caption is the title of the clause above it in the guideline: check it.",
    ),
    (
        "ガイドラインに題名がないため、見出しは直前の条と同じにしました。確認してください。",
        "The guideline gives it no title: its caption is the one of the article before it. Check it.",
    ),
    (
        "見出しは、ガイドラインの題名にしました。",
        "Its caption is the guideline's title.",
    ),
    (
        "項には枝番号がないため、ガイドラインの順ではなく条の末尾に置きました。",
        "A 項 has no branch number: it goes at the end of its article, not where the guideline's order puts it.",
    ),
    (
        "番号を振り直さずにはガイドラインの順を保てないため、並びの末尾に置きました。",
        "The guideline's order cannot be kept without renumbering: it goes at the end of its list.",
    ),
    (
        "並びの番号の付け方で番号を付けられませんでした。確認してください。",
        "No number could be made in the list's style: check it.",
    ),
    (
        "このポリシーは最新の版に準拠しています。確認することはありません。",
        "This policy follows the latest edition: there is nothing to review.",
    ),
    (
        "このポリシーはすでに最新の版に準拠しています（ほかのタブや別の職員が改定を反映した可能性があります）。確認することはありません。",
        "This policy follows the latest edition already (the review may have been adopted from another tab or by a colleague): there is nothing to review.",
    ),
    (
        "前に同じ種類の単位がないため、ガイドラインの番号のまま置きました。",
        "No unit of its kind comes before it: it keeps the guideline's number.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `"…" | t` in a template.
    fn texts(template: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = template;
        while let Some(at) = rest.find("\" | t") {
            let before = &rest[..at];
            if let Some(open) = before.rfind('"') {
                out.push(before[open + 1..].to_string());
            }
            rest = &rest[at + 5..];
        }
        out
    }

    #[test]
    fn every_template_text_has_its_english() {
        let mut missing = Vec::new();
        let mut seen = 0;
        for (name, source) in crate::TEMPLATES {
            for text in texts(source) {
                seen += 1;
                if !english().contains_key(text.as_str()) {
                    missing.push(format!("{name}: {text}"));
                }
            }
        }
        assert!(seen > 40, "the scan finds the texts ({seen})");
        let mut keys: Vec<&str> = entries().map(|(ja, _)| ja).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a Japanese text has one English");
        assert!(missing.is_empty(), "no English for: {missing:#?}");
    }

    /// The Japanese texts that code passes to `tr` as a literal (its
    /// second argument): `tr(lang, "…", …)`.
    fn tr_texts(source: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = source;
        while let Some(at) = rest.find("tr(") {
            let starts_word = rest[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
            rest = &rest[at + 3..];
            if !starts_word {
                continue;
            }
            // The language: a plain expression up to the first comma.
            let Some(comma) = rest.find(',') else { break };
            let lang = &rest[..comma];
            if !lang
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c.is_whitespace())
            {
                continue;
            }
            let after = rest[comma + 1..].trim_start();
            let Some(text) = after.strip_prefix('"') else {
                continue;
            };
            if let Some(end) = text.find('"') {
                out.push(text[..end].to_string());
            }
        }
        out
    }

    #[test]
    fn every_text_the_code_translates_has_its_english() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![dir.join("error_page.rs"), dir.join("session.rs")];
        for entry in std::fs::read_dir(dir.join("handlers")).expect("the handlers") {
            files.push(entry.expect("an entry").path());
        }
        let mut missing = Vec::new();
        let mut seen = 0;
        for file in files {
            let source = std::fs::read_to_string(&file).expect("a source file");
            // A text without Japanese (`{0} → {1}`) has nothing to translate.
            let japanese = |t: &str| t.chars().any(|c| c > '\u{3000}');
            for text in tr_texts(&source).into_iter().filter(|t| japanese(t)) {
                seen += 1;
                if !english().contains_key(text.as_str()) {
                    missing.push(format!("{}: {text}", file.display()));
                }
            }
        }
        assert!(seen > 20, "the scan finds the texts ({seen})");
        assert!(missing.is_empty(), "no English for: {missing:#?}");
    }

    #[test]
    fn every_impact_explanation_has_its_english() {
        use kaitei_compare::policy::Cause;
        for cause in [
            Cause::Deleted,
            Cause::ChangedAdopted,
            Cause::ChangedModified,
            Cause::Moved,
            Cause::OmittedChanged,
            Cause::Added,
        ] {
            assert!(english().contains_key(cause.explanation()), "{cause:?}");
        }
        assert_eq!(
            tr(
                Lang::En,
                kaitei_compare::policy::Cause::Moved.explanation(),
                &["4.1.", "5.1.", ""]
            ),
            "4.1. moved to 5.1. (same wording)"
        );
    }

    #[test]
    fn arguments_fill_in_either_order() {
        assert_eq!(
            tr(Lang::En, "{0} → {1} の改定の確認", &["A", "B"]),
            "Merge review: A → B"
        );
        assert_eq!(
            tr(Lang::Ja, "{0} のポリシー", &["紫波町"]),
            "紫波町 のポリシー"
        );
        assert_eq!(
            tr(Lang::En, "未知の文", &[]),
            "未知の文",
            "unknown text stays"
        );
    }

    #[test]
    fn the_browser_language_is_honoured() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,ja;q=0.8"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("ja,en-US;q=0.9"), Lang::Ja);
        assert_eq!(Lang::from_accept_language("fr"), Lang::Ja);
        assert_eq!(Lang::from_accept_language(""), Lang::Ja);
    }
}
