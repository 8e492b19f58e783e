//! The site's menu: each entry is offered only to those [`allowed`] to
//! open what it leads to, so that no role is shown a link that answers
//! 403. The entries say which [`Access`] their page requires; the
//! authorisation module decides, as it does for the page itself (a test
//! follows every entry of every role).

use kaitei_store::Role;

use crate::auth::{Access, Principal, allowed};

/// One entry of the menu.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Entry {
    /// Where it leads.
    pub href: String,
    /// Its text, in Japanese (the template translates it).
    pub label: &'static str,
    /// Whether the page shown is this entry's (or under it).
    pub current: bool,
}

/// Every entry there is, with what its page requires, in the menu's
/// order. A body officer's own policy comes first (it is their home); the
/// prefecture's own page is an officer's of a prefecture only.
fn entries(principal: &Principal) -> Vec<(String, &'static str, Access)> {
    let (own_body, own_prefecture) = match principal {
        Principal::User(u) if u.role == Role::Body => (u.body, None),
        Principal::User(u) if u.role == Role::Prefecture => (None, u.body),
        _ => (None, None),
    };
    let mut out = Vec::new();
    if let Some(b) = own_body {
        out.push((
            format!("/bodies/{b}/policy"),
            "自団体のポリシー",
            Access::Policy {
                body: b,
                public: false,
            },
        ));
    }
    if let Some(b) = own_body {
        out.extend(records(b));
    }
    out.extend([
        ("/".to_string(), "ガイドラインの版", Access::Editions),
        ("/search".to_string(), "検索", Access::SignedIn),
        ("/dashboard".to_string(), "全国の状況", Access::Ministry),
    ]);
    if let Some(p) = own_prefecture {
        out.push((
            format!("/prefectures/{p}/status"),
            "管内の状況",
            Access::PolicyStatus {
                body: p,
                public: false,
            },
        ));
        out.push((
            format!("/prefectures/{p}/cybersecurity"),
            "管内のサイバーセキュリティ方針",
            Access::OrganStatus { body: p },
        ));
        out.extend(records(p));
    }
    out.extend([
        (
            "/disposal".to_string(),
            "全国の機器廃棄・データ消去",
            Access::NationalRecords,
        ),
        (
            "/cybersecurity".to_string(),
            "全国のサイバーセキュリティ方針",
            Access::NationalRecords,
        ),
        (
            "/linkage".to_string(),
            "全国のデータ連携",
            Access::NationalRecords,
        ),
        (
            "/assessment/questions".to_string(),
            "自己点検の設問",
            Access::NationalRecords,
        ),
        ("/cycles".to_string(), "改定サイクル", Access::Cycle),
        ("/consultations".to_string(), "意見照会", Access::SignedIn),
        (
            "/admin/users".to_string(),
            "アカウント",
            Access::ManageCycle,
        ),
        ("/admin/audit".to_string(), "監査証跡", Access::AuditTrail),
    ]);
    out
}

/// A body's own records: its disposal register, its organs' policies,
/// its data-linkage risk analysis, its self-assessment.
fn records(body: kaitei_model::BodyCode) -> [(String, &'static str, Access); 4] {
    [
        (
            format!("/bodies/{body}/disposal"),
            "機器の廃棄・データ消去",
            Access::Records { body },
        ),
        (
            format!("/bodies/{body}/cybersecurity"),
            "サイバーセキュリティ方針",
            Access::Records { body },
        ),
        (
            format!("/bodies/{body}/linkage"),
            "データ連携のリスク分析",
            Access::Records { body },
        ),
        (
            format!("/bodies/{body}/assessment"),
            "自己点検",
            Access::Records { body },
        ),
    ]
}

/// The section of the site a path belongs to: the menu entry it is
/// under (`/drafts/…` is the cycle's, `/diff` and `/editions/…` the
/// editions').
fn section_of(path: &str) -> &str {
    let first = path
        .trim_start_matches('/')
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    match first {
        "" | "editions" | "diff" => "/",
        "drafts" | "cycles" => "/cycles",
        "admin" if path.starts_with("/admin/audit") => "/admin/audit",
        "admin" => "/admin/users",
        "search" => "/search",
        "dashboard" => "/dashboard",
        "disposal" => "/disposal",
        "cybersecurity" => "/cybersecurity",
        "linkage" => "/linkage",
        "assessment" => "/assessment/questions",
        "consultations" => "/consultations",
        // An own page, under its entry's path.
        "prefectures" | "bodies" => "own",
        _ => "",
    }
}

/// The menu `principal` is shown on page `here` (a path, with its query).
pub fn menu(principal: &Principal, here: &str) -> Vec<Entry> {
    if *principal == Principal::Anonymous {
        return Vec::new();
    }
    let section = section_of(here);
    let path = here.split(['?', '#']).next().unwrap_or("");
    entries(principal)
        .into_iter()
        .filter(|(_, _, access)| allowed(principal, access.clone()))
        .map(|(href, label, _)| Entry {
            current: href == section
                || (section == "own"
                    && path
                        .strip_prefix(href.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))),
            href,
            label,
        })
        .collect()
}

/// Where the way back from `here` leads: the menu entry of its section
/// when the menu has it, else the first entry (the home page); `None`
/// for someone not signed in.
pub fn way_back(principal: &Principal, here: &str) -> Option<Entry> {
    let menu = menu(principal, here);
    menu.iter()
        .find(|e| e.current)
        .or_else(|| menu.first())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaitei_model::BodyCode;
    use kaitei_store::User;

    fn user(role: Role, body: Option<&str>) -> Principal {
        Principal::User(User {
            id: 1,
            login: "x".into(),
            role,
            body: body.and_then(|b| BodyCode::parse(b).ok()),
            can_submit: true,
            organisation: None,
            disabled: false,
        })
    }

    fn hrefs(p: &Principal) -> Vec<String> {
        menu(p, "/").into_iter().map(|e| e.href).collect()
    }

    #[test]
    fn each_role_is_offered_what_it_may_open() {
        assert_eq!(
            hrefs(&user(Role::Admin, None)),
            [
                "/",
                "/search",
                "/dashboard",
                "/disposal",
                "/cybersecurity",
                "/linkage",
                "/assessment/questions",
                "/cycles",
                "/consultations",
                "/admin/users",
                "/admin/audit"
            ]
        );
        assert_eq!(
            hrefs(&user(Role::Committee, None)),
            ["/", "/search", "/cycles", "/consultations"]
        );
        assert_eq!(
            hrefs(&user(Role::Prefecture, Some("030007"))),
            [
                "/",
                "/search",
                "/prefectures/030007/status",
                "/prefectures/030007/cybersecurity",
                "/bodies/030007/disposal",
                "/bodies/030007/cybersecurity",
                "/bodies/030007/linkage",
                "/bodies/030007/assessment",
                "/consultations"
            ]
        );
        assert_eq!(
            hrefs(&user(Role::Body, Some("033219"))),
            [
                "/bodies/033219/policy",
                "/bodies/033219/disposal",
                "/bodies/033219/cybersecurity",
                "/bodies/033219/linkage",
                "/bodies/033219/assessment",
                "/",
                "/search",
                "/consultations"
            ]
        );
        assert_eq!(
            hrefs(&user(Role::Vendor, None)),
            ["/", "/search", "/consultations"]
        );
        assert!(hrefs(&Principal::Anonymous).is_empty());
    }

    #[test]
    fn every_entry_has_its_english() {
        for p in [
            user(Role::Admin, None),
            user(Role::Prefecture, Some("030007")),
            user(Role::Body, Some("033219")),
        ] {
            for (_, label, _) in entries(&p) {
                assert!(crate::i18n::has_english(label), "{label}");
            }
        }
    }

    #[test]
    fn the_page_shown_marks_its_entry_and_the_way_back() {
        let admin = user(Role::Admin, None);
        let current = |here: &str| -> Vec<String> {
            menu(&admin, here)
                .into_iter()
                .filter(|e| e.current)
                .map(|e| e.href)
                .collect()
        };
        assert_eq!(current("/drafts/R8-draft/diff"), ["/cycles"]);
        assert_eq!(current("/diff?old=a&new=b"), ["/"]);
        assert_eq!(current("/admin/audit?days=7"), ["/admin/audit"]);
        assert!(current("/bodies/033219/policy").is_empty());
        let shiwa = user(Role::Body, Some("033219"));
        assert_eq!(
            way_back(&shiwa, "/bodies/033219/policy/review?show=all").map(|e| e.href),
            Some("/bodies/033219/policy".to_string())
        );
        // Another body's policy is not the officer's own.
        assert!(
            menu(&shiwa, "/bodies/131016/policy")
                .iter()
                .all(|e| !e.current)
        );
        let iwate = user(Role::Prefecture, Some("030007"));
        assert_eq!(
            way_back(&iwate, "/prefectures/030007/status?show=all").map(|e| e.href),
            Some("/prefectures/030007/status".to_string())
        );
        // Another prefecture's page is not the officer's own: home.
        assert_eq!(
            way_back(&iwate, "/prefectures/130001/status").map(|e| e.href),
            Some("/".to_string())
        );
        // A section the user may not open is never the way back.
        assert_eq!(
            way_back(&iwate, "/cycles/R8").map(|e| e.href),
            Some("/".to_string())
        );
        assert_eq!(way_back(&Principal::Anonymous, "/"), None);
    }
}
