//! An event of the audit trail, as recorded: who changed what, when, with
//! digests of the state before and after. The store records and chains
//! events; reports export them.

use crate::time::JstTime;

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Its position in the chain (none yet: pending).
    pub seq: Option<i64>,
    /// When.
    pub at: JstTime,
    /// Who: `user:LOGIN`, `os:NAME` (the command line's operating-system
    /// user) or `anonymous`.
    pub actor: String,
    /// What kind of change (`clause.edit`, `sign_in.failed`, …).
    pub action: String,
    /// The code of the body it concerns, if any.
    pub body: Option<String>,
    /// What changed.
    pub subject: String,
    /// SHA-256 (hex) of the state before.
    pub before: Option<String>,
    /// SHA-256 (hex) of the state after.
    pub after: Option<String>,
    /// Its hash in the chain (none yet: pending).
    pub hash: Option<String>,
}

/// What an action is, in Japanese, for people reading the trail.
pub fn action_ja(action: &str) -> &'static str {
    match action {
        "sign_in" => "サインイン",
        "sign_in.failed" => "サインイン失敗",
        "sign_out" => "サインアウト",
        "account.add" => "アカウント追加",
        "account.password" => "パスワード変更",
        "account.disable" => "アカウント停止",
        "account.enable" => "アカウント再開",
        "account.can_submit" => "提出権限の変更",
        "account.organisation" => "所属組織の変更",
        "document.import" => "文書の取込み",
        "schema.upgrade" => "データベースの更新",
        "policy.made_public" => "ポリシーの公開",
        "policy.withdrawn" => "ポリシーの公開停止",
        "policy.confirm_value" => "差込み値の確認",
        "clause.edit" => "条項の編集",
        "review.decide" => "改定レビューの判断",
        "review.adopt" => "改定レビューの反映",
        "cycle.create" => "改定サイクルの開始",
        "topic.add" => "検討事項の追加",
        "topic.status" => "検討事項の状況変更",
        "milestone.add" => "日程の追加",
        "draft.create" => "改定案の作成",
        "draft.edit" => "改定案の編集",
        "draft.note" => "改定案へのメモ",
        "draft.publish" => "改定案の公表",
        "consultation.create" => "意見照会の作成",
        "answer.save" => "回答の保存",
        "answer.edit" => "回答の編集再開",
        "answer.submit" => "回答の提出",
        "answer.withdraw" => "回答の取下げ",
        "answer.return" => "回答の差戻し",
        "answer.forward" => "回答の送付",
        "comment.dispose" => "意見への対応",
        "comment.merge" => "意見のまとめ",
        "comment.split" => "意見の分離",
        "comment.confirm_anchor" => "意見の位置の確認",
        _ => "",
    }
}
