//! The English of the reading pages' texts: the 新旧対照表 page, an
//! edition's contents, a clause, search, a prefecture's municipalities,
//! error pages and the menu. Kept apart from [`super::EN`] so that each
//! table stays one screenful of a subject.

/// Japanese → English.
pub(super) const EN: &[(&str, &str)] = &[
    // The 新旧対照表 page
    ("現在地", "You are here"),
    (
        "比べる二つの版を選んでください。",
        "Choose the two editions to compare.",
    ),
    (
        "「{0}」という版は登録されていません。",
        "There is no edition “{0}”.",
    ),
    (
        "列の順「{0}」は選べません（new-old か old-new）。",
        "“{0}” is not a column order (new-old or old-new).",
    ),
    (
        "前後に残す行の数「{0}」は数ではありません。",
        "“{0}” is not a number of rows.",
    ),
    (
        "ダウンロード（この列の順で）",
        "Download (in this column order)",
    ),
    ("HTMLファイル", "HTML file"),
    ("別の版どうしを比べる", "Compare two other editions"),
    ("表（横にスクロールできます）", "Table (scrolls sideways)"),
    // An edition and a clause
    ("目次", "Contents"),
    ("目次へ", "Contents"),
    ("{0} からの変更", "Changes since {0}"),
    ("前の版からの変更", "Changes since the edition before"),
    (
        "{0} は登録されている最初の版です。",
        "{0} is the first edition stored.",
    ),
    (
        "この版で新設された条項です（{0} にはありません）。",
        "This clause is new in this edition (not in {0}).",
    ),
    ("{0} から変更はありません。", "Unchanged since {0}."),
    ("{0} では {1} にありました。", "In {0} it was at {1}."),
    ("（傍線部分は改正部分）", "(changes underlined)"),
    ("改正後（{0}）", "New ({0})"),
    ("改正前（{0}）", "Old ({0})"),
    ("文言は変わっていません。", "The wording is unchanged."),
    ("見出し", "Title"),
    ("ほかの版のこの条項", "This clause in other editions"),
    ("ほかの版：", "Other editions:"),
    ("{0}（なし）", "{0} (not there)"),
    ("前後の条項", "Clauses before and after"),
    ("版の中で見る", "See it in the edition"),
    // Search
    ("検索結果のページ", "Pages of results"),
    ("前のページ", "Previous page"),
    ("次のページ", "Next page"),
    ("{0} / {1} ページ", "Page {0} of {1}"),
    (
        "2文字以上で検索してください。1文字の語は、前後の語と合わせて（例：「鍵」なら「鍵の管理」）検索できます。",
        "Search for two characters or more. A one-character word is found with the words around it (for 鍵, search 鍵の管理).",
    ),
    (
        "検索語は{0}文字までです。短くして検索してください。",
        "Search for at most {0} characters.",
    ),
    ("{0} 件以上", "more than {0} hits"),
    (
        "{0} 件（このページに {1} 件）",
        "{0} hits ({1} on this page)",
    ),
    (
        "「{0}」に当たる条項はありません。",
        "No clause holds “{0}”.",
    ),
    (
        "「{0}」：{1}（{2}〜{3} 件目）",
        "“{0}”: {1} (showing {2}–{3})",
    ),
    ("「{0}」の検索結果", "Search results for “{0}”"),
    // A prefecture's municipalities
    ("最新のガイドライン：{0}", "Latest guideline: {0}"),
    (
        "{0} の団体のうち、あなたが状況を見られる団体はありません。都道府県の職員は自らの管内を、ほかの利用者は公開されたポリシーの団体だけを見られます。",
        "You may see the status of none of the bodies in {0}. A prefecture's officers see their own municipalities; everyone else sees only bodies that made their policy public.",
    ),
    ("自らの管内の状況へ", "To your own municipalities"),
    ("概況（{0} 団体）", "Summary ({0} bodies)"),
    ("旧版に準拠", "Follows an older edition"),
    (
        "うち要判断あり {0}・由来未確認 {1}",
        "of which {0} need decisions, {1} without provenance",
    ),
    ("準拠する版が不明", "Edition followed unknown"),
    ("表示する団体と並べ方", "Bodies shown and their order"),
    ("並べ方", "Order"),
    ("適用", "Apply"),
    (
        "この一覧をExcelでダウンロード",
        "Download this list (Excel)",
    ),
    ("{0} 団体を表示", "{0} bodies shown"),
    ("この条件に当たる団体はありません。", "No body matches."),
    ("すべて表示", "Show all"),
    ("由来未確認", "Provenance not recorded"),
    (
        "由来未確認：ポリシーの条項ごとにガイドラインのどの条項に由来するかが記録されていないため、最新版による影響を数えられません。団体がポリシーをガイドラインと照合する（kaitei policy align）と数えられます。",
        "Provenance not recorded: the policy does not record which guideline clause each of its clauses comes from, so the latest edition's impact on it cannot be counted. It can once the body aligns its policy with the guideline (kaitei policy align).",
    ),
    ("すべて", "All"),
    ("要判断の条項あり", "With clauses needing a decision"),
    ("団体コード順", "By body code"),
    ("五十音順", "By name (kana)"),
    ("影響の大きい順", "Most affected first"),
    ("準拠する版の順", "By edition followed"),
    (
        "{0} 団体：最新版に準拠 {1}・旧版に準拠 {2}（うち要判断あり {3}、由来未確認 {4}）・未登録 {5}・公開 {6}",
        "{0} bodies: {1} follow the latest edition, {2} an older one ({3} need decisions, {4} without provenance), {5} not registered, {6} public",
    ),
    (
        "{0} 管内の状況（最新のガイドライン：{1}、集計時刻 {2}）",
        "Municipalities of {0} (latest guideline: {1}; figures of {2})",
    ),
    // Error pages
    (
        "送られた内容を受け付けられませんでした。入力やリンクの内容を確かめて、もう一度お試しください。",
        "What was sent could not be accepted. Check what you entered or the link you followed, and try again.",
    ),
    (
        "送られた内容が大きすぎます。ファイルや本文を小さくして、もう一度お試しください。",
        "What was sent is too large. Make the file or text smaller and try again.",
    ),
    (
        "この操作やページは、あなたの役割では使えません。必要な場合は、総務省の管理者にお問い合わせください。",
        "Your role does not give you this page or action. If you need it, ask the ministry's administrator.",
    ),
    (
        "お探しのページは見つかりませんでした。アドレスが正しいか、リンク元が古くないかを確かめてください。",
        "The page you asked for was not found. Check the address, or whether the link you followed is out of date.",
    ),
    (
        "このアドレスでは、その操作はできません。",
        "That cannot be done at this address.",
    ),
    (
        "今の状態と合わないため、保存していません。ページを開き直し、最新の内容を確かめてから改めて操作してください。",
        "It does not fit how things stand now, so nothing was saved. Open the page again, check what it shows, and try again.",
    ),
    ("保存できませんでした", "Not saved"),
    (
        "サインインの失敗が続いたため、しばらく受け付けません。15分ほど待ってからお試しください。",
        "Too many failed sign-ins: try again in about 15 minutes.",
    ),
    (
        "サーバーで問題が起きました。時間をおいてお試しください。続く場合は、問い合わせ番号を添えて管理者にお知らせください。",
        "Something went wrong on the server. Try again later; if it goes on, tell the administrator the reference number.",
    ),
    ("「{0}」へ戻る", "Back to {0}"),
    ("検索で探す", "Search for it"),
    ("サインインする", "Sign in"),
];
