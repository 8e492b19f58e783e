//! The one authorisation module: who may see what. Handlers say what they
//! are about to show ([`Access`]); only [`allowed`] decides.
//!
//! Rules (issue "web application"): the ministry administrator sees
//! everything; committee members read guideline editions and drafts;
//! prefecture officers see their own prefecture's policy and the status of
//! its municipalities; body officers see their own body only; vendors see
//! only what a vendor consultation shows. A body's policy that is not public is
//! seen only by its officers, its prefecture (status only) and the
//! ministry; a public policy by every signed-in user.

use kaitei_model::BodyCode;
use kaitei_store::{Role, User};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// Not signed in.
    Anonymous,
    /// A signed-in user.
    User(User),
}

/// What a request is about to show or change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// The status of a body's policy (which edition it follows), not its text.
    PolicyStatus {
        /// Whose.
        body: BodyCode,
        /// Whether the body has made it public.
        public: bool,
    },
}

/// Whether `who` may have `what`.
pub fn allowed(who: &Principal, what: Access) -> bool {
    let user = match (who, what) {
        (_, Access::Public) => return true,
        (Principal::Anonymous, _) => return false,
        (Principal::User(u), _) => u,
    };
    let own = |body: BodyCode| user.body == Some(body);
    match (user.role, what) {
        (_, Access::Public | Access::SignedIn) => true,
        (Role::Admin, _) => true,
        (_, Access::Ministry) => false,
        (Role::Vendor, Access::Editions) => false,
        (_, Access::Editions) => true,
        (_, Access::Policy { public: true, .. } | Access::PolicyStatus { public: true, .. }) => {
            true
        }
        (
            Role::Body | Role::Prefecture,
            Access::Policy { body, .. } | Access::EditPolicy { body },
        ) => own(body),
        (Role::Committee | Role::Vendor, Access::EditPolicy { .. }) => false,
        (Role::Body, Access::PolicyStatus { body, .. }) => own(body),
        (Role::Prefecture, Access::PolicyStatus { body, .. }) => {
            user.body.is_some_and(|p| body.prefecture() == p)
        }
        (Role::Committee | Role::Vendor, Access::Policy { .. } | Access::PolicyStatus { .. }) => {
            false
        }
    }
}
