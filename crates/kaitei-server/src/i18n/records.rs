//! The English of the records' pages (#18): a body's disposal register
//! and its items, the ministry's national counts and rule table; the
//! organs' cybersecurity policies and their national status.

/// Japanese → English.
pub(super) const EN: &[(&str, &str)] = &[
    // The disposal register
    ("機器の廃棄・データ消去", "Equipment disposal"),
    ("全国の機器廃棄・データ消去", "Disposal nationally"),
    (
        "全国の機器の廃棄・データ消去",
        "Equipment disposal and data erasure nationally",
    ),
    (
        "{0} 機器の廃棄・データ消去台帳",
        "{0}: equipment disposal and data-erasure register",
    ),
    (
        "保有する記録媒体を含む機器と、その廃棄・返却・再利用の際のデータ消去の記録です。規則に照らして指摘のある機器を先に示します。",
        "The equipment holding storage media, and how its data was erased when it was disposed of, returned or reused. Items the rules flag come first.",
    ),
    (
        "台帳を取り込みました：追加 {0}・更新 {1}・変更なし {2}",
        "Register imported: {0} added, {1} updated, {2} unchanged",
    ),
    (
        "台帳を取り込めませんでした。何も保存していません。",
        "The register could not be imported. Nothing was saved.",
    ),
    (
        "概況（{0} 台、うち指摘あり {1} 台）",
        "Summary ({0} items, {1} flagged)",
    ),
    ("台帳の取込み", "Import a register"),
    (
        "Excelの台帳（1行目に14の見出し）を取り込みます。管理番号が同じ行は更新し、新しい行は追加します。誤りが一つでもあれば何も保存しません。",
        "Imports an Excel register (the 14 headers in row 1). A row with a 管理番号 already registered updates it; a new one is added. If any cell is wrong, nothing is saved.",
    ),
    ("台帳ファイル（.xlsx）", "Register file (.xlsx)"),
    ("取り込む", "Import"),
    (
        "空の台帳（様式）をダウンロード",
        "Download the empty register (template)",
    ),
    (
        "この台帳をExcelでダウンロード",
        "Download this register as Excel",
    ),
    (
        "指摘のある機器を先に、台帳の順に（すべての項目は管理番号から）",
        "Flagged items first, in the register's order (every column: follow the 管理番号)",
    ),
    ("行", "Row"),
    ("指摘", "Findings"),
    ("指摘なし", "No findings"),
    (
        "台帳にはまだ機器がありません。",
        "The register has no items yet.",
    ),
    ("適用している規則", "The rules applied"),
    (
        "処理が廃棄・返却・再利用（庁外）の機器に適用します。消去方法の強さは 物理破壊 ＞ 磁気破壊 ＝ 暗号化消去 ＞ 上書き消去 ＞ なし。磁気破壊は磁気媒体（HDD・磁気テープ）でのみ、暗号化消去は自己暗号化の機器でのみ有効です。事業者が実施した場合は、立会者か記録（写真・動画）と、消去証明書が必要です。",
        "They apply to items disposed of, returned or reused outside (廃棄, 返却, 再利用（庁外）). Methods rank 物理破壊 > 磁気破壊 = 暗号化消去 > 上書き消去 > なし; degaussing counts on magnetic media only (HDD, tape), cryptographic erase on self-encrypting devices only. Erasure by a contractor needs a witness or a record (photo, video), and an erasure certificate.",
    ),
    ("最高格付", "Highest classification"),
    ("必要な消去方法（以上）", "Least method required"),
    ("記入が不正", "Invalid cell"),
    (
        "消去方法が格付に対して不十分",
        "Method too weak for the classification",
    ),
    ("消去証明書がない", "No erasure certificate"),
    ("データ消去の記録がない", "No erasure recorded"),
    ("立会いも記録もない", "No witness and no record"),
    // An item
    ("{0} 管理番号 {1}", "{0}: item {1}"),
    ("この機器への指摘", "Findings on this item"),
    (
        "この機器に指摘はありません。",
        "Nothing is flagged on this item.",
    ),
    (
        "添付ファイル（消去証明書・写真）",
        "Attachments (erasure certificates, photos)",
    ),
    ("種類", "Kind"),
    ("ファイル", "File"),
    ("大きさ（バイト）", "Size (bytes)"),
    ("登録者", "Uploaded by"),
    ("消去証明書", "Erasure certificate"),
    ("写真", "Photo"),
    ("添付ファイルはありません。", "No attachments."),
    ("添付する", "Attach"),
    ("この機器の記録を直す", "Correct this item's record"),
    ("保存する", "Save"),
    // The ministry's national counts and rule table
    (
        "規則ごとの指摘（{0} 団体・{1} 台）",
        "Findings by rule ({0} bodies, {1} items)",
    ),
    ("指摘のある団体", "Bodies with findings"),
    ("指摘のある団体はありません。", "No body has findings."),
    (
        "規則表（全団体の台帳に適用）",
        "Rule table (applied to every body's register)",
    ),
    ("規則表を保存する", "Save the rule table"),
    // The organs' cybersecurity policies
    ("サイバーセキュリティ方針", "Cybersecurity policy"),
    (
        "管内のサイバーセキュリティ方針",
        "Cybersecurity policies in the prefecture",
    ),
    (
        "全国のサイバーセキュリティ方針",
        "Cybersecurity policies nationally",
    ),
    (
        "{0} サイバーセキュリティ方針（地方自治法）",
        "{0}: cybersecurity policy (Local Autonomy Act)",
    ),
    (
        "改正地方自治法により、2026年4月1日から、執行機関ごとにサイバーセキュリティを確保するための方針を定めることとされています。既存の情報セキュリティ基本方針をその方針として指定することもできます。",
        "Under the amended Local Autonomy Act, from 1 April 2026 every executive organ sets a policy for ensuring cybersecurity; it may designate the body's existing basic information-security policy as that policy.",
    ),
    (
        "まだ登録されていません。団体の種類に応じた機関を示しています。保存すると登録されます。",
        "Not recorded yet. The organs a body of this kind has are shown; saving records them.",
    ),
    (
        "方針のない機関が {0} あります。",
        "{0} organ(s) have no policy.",
    ),
    (
        "すべての機関に方針があります。",
        "Every organ has its policy.",
    ),
    ("機関", "Organ"),
    ("策定・指定日", "Set or designated on"),
    ("公表先（URL）", "Published at (URL)"),
    ("{0} の状況", "Status of {0}"),
    ("{0} の策定・指定日", "Date for {0}"),
    ("{0} の公表先", "URL of {0}"),
    ("{0} を一覧から除く", "Remove {0} from the list"),
    ("機関を追加", "Add an organ"),
    ("一覧から除く", "Remove"),
    ("例：人事委員会", "e.g. 人事委員会"),
    ("未策定", "Not set"),
    ("策定済み", "Set"),
    ("基本方針を指定", "Basic policy designated"),
    // Their national status
    (
        "{0}時点（改正地方自治法の施行日 令和8年4月1日以降）。未登録の団体は数に含めますが、未策定の一覧には含めません。",
        "As of {0} (the amended Local Autonomy Act is in force from 2026-04-01). Bodies that have not recorded their organs are counted, but not listed as lacking.",
    ),
    ("Excelでダウンロード", "Download as Excel"),
    ("登録済み", "Recorded"),
    ("全機関策定済み", "Every organ set"),
    ("未策定の機関あり", "Some organ lacking"),
    ("機関数", "Organs"),
    ("策定済みの機関", "Organs with a policy"),
    ("団体区分別", "By kind of body"),
    ("都道府県別", "By prefecture"),
    ("団体ごと", "By body"),
    ("管内計", "The prefecture in all"),
    ("未策定の機関", "Organs without a policy"),
    (
        "方針のない機関がある団体（{0}）",
        "Bodies with an organ without a policy ({0})",
    ),
    ("ありません。", "None."),
    (
        "全国のサイバーセキュリティ方針の策定状況",
        "Cybersecurity policies under the Local Autonomy Act, nationally",
    ),
    (
        "{0} 管内のサイバーセキュリティ方針の策定状況",
        "{0}: cybersecurity policies in the prefecture",
    ),
    (
        "サイバーセキュリティ方針の策定状況（{0}時点）",
        "Cybersecurity policies under the Local Autonomy Act (as of {0})",
    ),
    (
        "サイバーセキュリティ方針の策定状況",
        "Cybersecurity policies",
    ),
    ("未策定の機関がある団体", "Bodies lacking"),
    ("団体名", "Body"),
    ("市", "City"),
    ("町", "Town"),
    ("村", "Village"),
    ("特別区", "Special ward"),
];
