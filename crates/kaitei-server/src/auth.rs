//! The one authorisation module: who may see what. Handlers say what they
//! are about to show ([`Access`]); only [`allowed`] decides.
//!
//! Rules: the ministry administrator reads everything and changes no
//! body's policy (a body's policy is its own: its officers write it, the
//! ministry reads it and sees its status); committee members read
//! guideline editions and drafts; prefecture officers see their own
//! prefecture's policy and the status of its municipalities; body officers
//! see their own body only; vendors read the published guideline editions
//! and their 新旧対照表 (published to everyone) — never a body's policy,
//! impact or status. A body's policy that is not public is
//! seen only by its officers, its prefecture (status only) and the
//! ministry; a public policy by every signed-in user. A body's records
//! (its disposal register, its organs' cybersecurity policies) are its
//! officers' to keep; the ministry reads them and sees the nation; a
//! prefecture sees its municipalities' organ status, never a register.

use kaitei_model::BodyCode;
use kaitei_store::{Respondent, Role, User};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Not signed in.
    Anonymous,
    /// A signed-in user.
    User(User),
}

/// What a request is about to show or change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Anyone: the login page, the OpenAPI document.
    Public,
    /// Any signed-in user (signing out, the home page).
    SignedIn,
    /// Guideline editions, their clauses and comparisons.
    Editions,
    /// The ministry's national dashboard.
    Ministry,
    /// A body's policy text.
    Policy {
        /// Whose.
        body: BodyCode,
        /// Whether the body has made it public.
        public: bool,
    },
    /// Changing a body's policy.
    EditPolicy {
        /// Whose.
        body: BodyCode,
    },
    /// Bodies' status pages at all (a prefecture's municipalities):
    /// everyone signed in but vendors; each row is then a `PolicyStatus`.
    Statuses,
    /// The status of a body's policy (which edition it follows), not its text.
    PolicyStatus {
        /// Whose.
        body: BodyCode,
        /// Whether the body has made it public.
        public: bool,
    },
    /// The revision cycle: its topics, milestones and drafts.
    Cycle,
    /// Planning the cycle, changing drafts, opening consultations,
    /// managing accounts: the ministry.
    ManageCycle,
    /// The audit trail and its export: the ministry's administrator.
    AuditTrail,
    /// A consultation and the document it asks about.
    Consultation {
        /// Whether the user's body (or, for a vendor, the vendors) is
        /// asked, or — for a prefecture's officer — its municipalities'
        /// answers go through it.
        asked: bool,
    },
    /// Reading an answer.
    Answer {
        /// Whose.
        respondent: Respondent,
        /// Whether it was sent to the user's prefecture (relayed and
        /// submitted or forwarded).
        sent_to_prefecture: bool,
        /// Whether the ministry has it.
        received: bool,
    },
    /// Preparing an answer (its comments, 意見なし, a template upload).
    EditAnswer {
        /// Whose.
        respondent: Respondent,
    },
    /// Submitting or withdrawing an answer.
    SubmitAnswer {
        /// Whose.
        respondent: Respondent,
    },
    /// Returning or forwarding municipalities' answers: the prefecture.
    RelayAnswers {
        /// Which prefecture.
        prefecture: BodyCode,
    },
    /// A consultation's progress: national (`None`), or a prefecture's
    /// municipalities.
    Progress {
        /// The prefecture.
        prefecture: Option<BodyCode>,
    },
    /// The comments the ministry received, their clusters and
    /// dispositions, and the response table: the ministry and the
    /// committee.
    ReceivedComments,
    /// Clustering by hand, disposing of comments, confirming re-anchored
    /// ones, publishing a draft: the ministry.
    DisposeComments,
    /// A body's records — its disposal register and attachments, its
    /// organs' cybersecurity policies: its officers, and the ministry
    /// (read only).
    Records {
        /// Whose.
        body: BodyCode,
    },
    /// Changing a body's records: its officers only.
    EditRecords {
        /// Whose.
        body: BodyCode,
    },
    /// The status of a body's organs' cybersecurity policies (not its
    /// register): its officers, its prefecture's, the ministry.
    OrganStatus {
        /// Whose.
        body: BodyCode,
    },
    /// The register's rule table and the national counts by rule; the
    /// national cybersecurity-policy status: the ministry.
    NationalRecords,
}

/// The respondent a user answers for: its body, or its vendor
/// organisation.
pub fn respondent_of(user: &User) -> Option<Respondent> {
    match (user.role, user.body, &user.organisation) {
        (Role::Body | Role::Prefecture, Some(b), _) => Some(Respondent::Body(b)),
        (Role::Vendor, _, Some(o)) => Some(Respondent::Vendor(o.clone())),
        _ => None,
    }
}

/// Whether `who` may have `what`.
pub fn allowed(who: &Principal, what: Access) -> bool {
    let user = match (who, &what) {
        (_, Access::Public) => return true,
        (Principal::Anonymous, _) => return false,
        (Principal::User(u), _) => u,
    };
    let own = |body: BodyCode| user.body == Some(body);
    let mine = |r: &Respondent| respondent_of(user).as_ref() == Some(r);
    match (user.role, what) {
        (_, Access::Public | Access::SignedIn) => true,
        // The revision cycle: the ministry runs it, the committee reads it.
        (Role::Admin | Role::Committee, Access::Cycle) => true,
        (_, Access::Cycle) => false,
        (Role::Admin, Access::ManageCycle) => true,
        (_, Access::ManageCycle) => false,
        (Role::Admin, Access::AuditTrail) => true,
        (_, Access::AuditTrail) => false,
        (Role::Admin | Role::Committee, Access::Consultation { .. }) => true,
        (_, Access::Consultation { asked }) => asked,
        // An answer in preparation is its respondent's colleagues' only;
        // the ministry and the committee read what the ministry received,
        // the prefecture what was sent to it.
        (_, Access::Answer { ref respondent, .. }) if mine(respondent) => true,
        (Role::Admin | Role::Committee, Access::Answer { received, .. }) => received,
        (
            Role::Prefecture,
            Access::Answer {
                respondent: Respondent::Body(b),
                sent_to_prefecture,
                ..
            },
        ) => sent_to_prefecture && user.body.is_some_and(|p| b.prefecture() == p),
        (_, Access::Answer { .. }) => false,
        (Role::Body | Role::Prefecture | Role::Vendor, Access::EditAnswer { ref respondent }) => {
            mine(respondent)
        }
        (_, Access::EditAnswer { .. }) => false,
        (Role::Body | Role::Prefecture, Access::SubmitAnswer { ref respondent }) => {
            mine(respondent) && user.can_submit
        }
        (Role::Vendor, Access::SubmitAnswer { ref respondent }) => mine(respondent),
        (_, Access::SubmitAnswer { .. }) => false,
        (Role::Prefecture, Access::RelayAnswers { prefecture }) => {
            own(prefecture) && user.can_submit
        }
        (_, Access::RelayAnswers { .. }) => false,
        (Role::Admin, Access::Progress { .. }) => true,
        (
            Role::Prefecture,
            Access::Progress {
                prefecture: Some(p),
            },
        ) => own(p),
        (_, Access::Progress { .. }) => false,
        (Role::Admin | Role::Committee, Access::ReceivedComments) => true,
        (_, Access::ReceivedComments) => false,
        (Role::Admin, Access::DisposeComments) => true,
        (_, Access::DisposeComments) => false,
        // Records: a body's own; the ministry reads them, and a
        // prefecture sees its municipalities' organ status only.
        (Role::Admin, Access::Records { .. } | Access::OrganStatus { .. }) => true,
        (
            Role::Body | Role::Prefecture,
            Access::Records { body } | Access::EditRecords { body },
        ) => own(body),
        (_, Access::Records { .. } | Access::EditRecords { .. }) => false,
        (Role::Body, Access::OrganStatus { body }) => own(body),
        (Role::Prefecture, Access::OrganStatus { body }) => {
            user.body.is_some_and(|p| body.prefecture() == p)
        }
        (_, Access::OrganStatus { .. }) => false,
        (Role::Admin, Access::NationalRecords) => true,
        (_, Access::NationalRecords) => false,
        (Role::Admin, Access::EditPolicy { .. }) => false,
        (Role::Admin, _) => true,
        (
            Role::Vendor,
            Access::Policy { .. } | Access::PolicyStatus { .. } | Access::EditPolicy { .. },
        ) => false,
        (Role::Vendor, Access::Statuses) => false,
        (_, Access::Statuses) => true,
        (_, Access::Ministry) => false,
        (_, Access::Editions) => true,
        (_, Access::Policy { public: true, .. } | Access::PolicyStatus { public: true, .. }) => {
            true
        }
        (
            Role::Body | Role::Prefecture,
            Access::Policy { body, .. } | Access::EditPolicy { body },
        ) => own(body),
        (Role::Committee, Access::EditPolicy { .. }) => false,
        (Role::Body, Access::PolicyStatus { body, .. }) => own(body),
        (Role::Prefecture, Access::PolicyStatus { body, .. }) => {
            user.body.is_some_and(|p| body.prefecture() == p)
        }
        (Role::Committee, Access::Policy { .. } | Access::PolicyStatus { .. }) => false,
    }
}
