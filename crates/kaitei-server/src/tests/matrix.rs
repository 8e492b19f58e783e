//! The route × role matrix of pages and reads: every route, every kind of
//! principal, the status each must get — written out by hand from the
//! rules, never computed from `auth.rs`.

use super::*;

/// Expected status per route, in the order: anonymous, admin, committee,
/// iwate (岩手県 officer), shiwa (紫波町 officer), chiyoda (千代田区 officer),
/// vendor. 303 = sent to the sign-in page, 404 = not shown (another body's
/// unpublished data looks like nothing).
const MATRIX: &[(&str, [u16; 7])] = &[
    ("/login", [200, 200, 200, 200, 200, 200, 200]),
    ("/", [303, 200, 200, 200, 200, 200, 200]),
    (
        "/editions/令和6年10月版",
        [303, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/editions/令和7年3月版/clauses/s4-1",
        [303, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/diff?old=令和6年10月版&new=令和7年3月版",
        [303, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/diff?old=令和6年10月版&new=令和7年3月版&format=docx",
        [303, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/diff?old=令和6年10月版&new=令和7年3月版&format=text",
        [303, 200, 200, 200, 200, 200, 200],
    ),
    // 岩手県's policy is public: every signed-in user reads it — but a
    // vendor, who never sees a body's policy.
    ("/bodies/030007/policy", [303, 200, 200, 200, 200, 200, 404]),
    // 紫波町's is not: its officers and the ministry only (its prefecture
    // sees its status, not its text).
    ("/bodies/033219/policy", [303, 200, 404, 404, 200, 404, 404]),
    // 盛岡市's neither: only the ministry (no 盛岡市 officer here).
    ("/bodies/032018/policy", [303, 200, 404, 404, 404, 404, 404]),
    (
        "/bodies/033219/policy/clauses/n1.1",
        [303, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/030007/policy/clauses/p-b1",
        [303, 200, 200, 200, 200, 200, 404],
    ),
    // A ward of a designated city, a wrong check digit, a body without a policy.
    ("/bodies/011011/policy", [303, 404, 404, 404, 404, 404, 404]),
    ("/bodies/131017/policy", [303, 404, 404, 404, 404, 404, 404]),
    // 千代田区 has no policy: its own officer is told so (their home);
    // anyone else is told nothing.
    ("/bodies/131016/policy", [303, 404, 404, 404, 404, 200, 404]),
    ("/api/v1/openapi.json", [200, 200, 200, 200, 200, 200, 200]),
    ("/api/v1/editions", [401, 200, 200, 200, 200, 200, 200]),
    (
        "/api/v1/editions/令和7年3月版",
        [401, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/api/v1/diff?old=令和6年10月版&new=令和7年3月版",
        [401, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/api/v1/bodies/030007/policy",
        [401, 200, 200, 200, 200, 200, 404],
    ),
    (
        "/api/v1/bodies/033219/policy",
        [401, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/api/v1/bodies/032018/policy",
        [401, 200, 404, 404, 404, 404, 404],
    ),
    ("/search?q=監査", [303, 200, 200, 200, 200, 200, 200]),
    // The national dashboard is the ministry's.
    ("/dashboard", [303, 200, 403, 403, 403, 403, 403]),
    ("/api/v1/dashboard", [401, 200, 403, 403, 403, 403, 403]),
    ("/dashboard.xlsx", [303, 200, 403, 403, 403, 403, 403]),
    ("/dashboard.csv", [303, 200, 403, 403, 403, 403, 403]),
    ("/api/v1/session", [401, 200, 200, 200, 200, 200, 200]),
    // A prefecture's status page: open to anyone signed in but vendors,
    // each row only to those who may see it (see national.rs); not for a
    // municipality.
    (
        "/prefectures/030007/status",
        [303, 200, 200, 200, 200, 200, 403],
    ),
    (
        "/prefectures/033219/status",
        [303, 404, 404, 404, 404, 404, 403],
    ),
    // The same rows as a workbook: as the page.
    (
        "/prefectures/030007/status.xlsx",
        [303, 200, 200, 200, 200, 200, 403],
    ),
    (
        "/prefectures/033219/status.xlsx",
        [303, 404, 404, 404, 404, 404, 403],
    ),
    // The comparison asked without editions offers them; an edition not
    // stored is a page that says so (404), never a parser's message.
    ("/diff", [303, 200, 200, 200, 200, 200, 200]),
    (
        "/diff?old=令和6年10月版&new=令和9年版",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/diff?old=令和6年10月版&new=令和7年3月版&format=xlsx",
        [303, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/editions/令和7年3月版/clauses/no-such",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    // A one-character search is a hint on the page (the API: 400).
    ("/search?q=監", [303, 200, 200, 200, 200, 200, 200]),
    // The icon: anyone, the browser's own guess sent to it.
    ("/favicon.ico", [308, 308, 308, 308, 308, 308, 308]),
    (
        "/static/kaitei-icon.svg",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/api/v1/prefectures/030007/status",
        [401, 200, 200, 200, 200, 200, 403],
    ),
    (
        "/api/v1/bodies/033219/policy/clauses/n1.1",
        [401, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/api/v1/bodies/030007/policy/clauses/p-b1",
        [401, 200, 200, 200, 200, 200, 404],
    ),
    ("/api/v1/search?q=監査", [401, 200, 200, 200, 200, 200, 200]),
    ("/api/v1/search?q=監", [401, 400, 400, 400, 400, 400, 400]),
    // The merge review: those who may change the policy — the body's
    // officers, not the ministry.
    (
        "/bodies/033219/policy/review",
        [303, 403, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/030007/policy/review",
        [303, 403, 403, 200, 403, 403, 404],
    ),
    (
        "/bodies/032018/policy/review",
        [303, 403, 404, 404, 404, 404, 404],
    ),
    (
        "/bodies/131016/policy/review",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/api/v1/bodies/033219/policy/review",
        [401, 403, 404, 404, 200, 404, 404],
    ),
    (
        "/api/v1/bodies/030007/policy/review",
        [401, 403, 403, 200, 403, 403, 404],
    ),
    // Consultations: the list for everyone signed in (each sees those it
    // is asked in); R8-1 asks every local government, not the vendors.
    ("/consultations", [303, 200, 200, 200, 200, 200, 200]),
    ("/consultations/R8-1", [303, 200, 200, 200, 200, 200, 404]),
    ("/consultations/R8-9", [303, 404, 404, 404, 404, 404, 404]),
    // Progress: the nation is the ministry's; a prefecture's its own.
    (
        "/consultations/R8-1/progress",
        [303, 200, 403, 403, 403, 403, 404],
    ),
    (
        "/consultations/R8-1/progress?prefecture=030007",
        [303, 200, 403, 200, 403, 403, 404],
    ),
    (
        "/consultations/R8-1/progress?prefecture=033219",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/consultations/R8-1/unanswered",
        [303, 200, 403, 403, 403, 403, 404],
    ),
    // A body's own template: its officers only.
    (
        "/consultations/R8-1/answer/template",
        [303, 403, 403, 200, 200, 200, 404],
    ),
    // 札幌市's answer, forwarded by 北海道: the ministry and the committee
    // read it; another prefecture and other bodies do not.
    (
        "/consultations/R8-1/answers/011002",
        [303, 200, 200, 404, 404, 404, 404],
    ),
    // The cycle: the ministry's and the committee's (the year's page and
    // the drafts are in cycle.rs, their names follow the year).
    ("/cycles", [303, 303, 303, 403, 403, 403, 403]),
    ("/drafts/no-such-draft", [303, 404, 404, 403, 403, 403, 403]),
    // The consultation API: the list as the pages; an answer is its
    // respondent's (the ministry and the committee answer for no one).
    ("/api/v1/consultations", [401, 200, 200, 200, 200, 200, 200]),
    (
        "/api/v1/consultations/R8-1/answer",
        [401, 403, 403, 200, 200, 200, 404],
    ),
    // The ministry's side of the cycle in the API: as the pages.
    (
        "/api/v1/consultations/R8-1/progress",
        [401, 200, 403, 403, 403, 403, 404],
    ),
    (
        "/api/v1/consultations/R8-1/progress?prefecture=030007",
        [401, 200, 403, 200, 403, 403, 404],
    ),
    (
        "/api/v1/consultations/R8-1/progress?prefecture=130001",
        [401, 200, 403, 403, 403, 403, 404],
    ),
    ("/api/v1/cycles", [401, 200, 200, 403, 403, 403, 403]),
    ("/api/v1/cycles/R1", [401, 404, 404, 403, 403, 403, 403]),
    // The comments received, their clusters and dispositions, the
    // response table: the ministry's and the committee's.
    (
        "/consultations/R8-0/comments",
        [303, 200, 200, 403, 403, 403, 404],
    ),
    (
        "/consultations/R8-0/report?format=docx",
        [303, 200, 200, 403, 403, 403, 404],
    ),
    // A clause's history: as the editions, for everyone signed in.
    (
        "/api/v1/clauses/n1.1/history",
        [401, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/api/v1/clauses/no-such/history",
        [401, 404, 404, 404, 404, 404, 404],
    ),
    // The accounts page: the ministry's.
    ("/admin/users", [303, 200, 403, 403, 403, 403, 403]),
    ("/admin/audit", [303, 200, 403, 403, 403, 403, 403]),
    ("/admin/audit.csv", [303, 200, 403, 403, 403, 403, 403]),
    // Choosing the language, the vendored script: anyone.
    ("/lang/en?back=/", [303, 303, 303, 303, 303, 303, 303]),
    ("/lang/xx", [400, 400, 400, 400, 400, 400, 400]),
    (
        "/static/htmx-2.0.11.min.js",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    ("/static/other.js", [404, 404, 404, 404, 404, 404, 404]),
    ("/no/such/page", [404, 404, 404, 404, 404, 404, 404]),
    // A body officer's (#15): the review filtered (an unknown filter is
    // refused, never defaulted), the 新旧対照表 of the revision the review
    // makes — as the review, the body's officers only — and of a revision
    // adopted (none in the demo: nothing, for everyone), and the sign-in
    // page that returns to a page asked for.
    (
        "/bodies/033219/policy/review?show=conflicts",
        [303, 403, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/033219/policy/review?show=everything",
        [303, 403, 404, 404, 400, 404, 404],
    ),
    (
        "/bodies/033219/policy/review/table?format=docx",
        [303, 403, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/030007/policy/review/table",
        [303, 403, 403, 200, 403, 403, 404],
    ),
    (
        "/bodies/033219/policy/review/table?format=pdf",
        [303, 403, 404, 404, 400, 404, 404],
    ),
    (
        "/bodies/033219/policy/table?format=docx",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/bodies/030007/policy/table",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/login?next=/bodies/033219/policy",
        [200, 200, 200, 200, 200, 200, 200],
    ),
    // This year's records (#18): a body's register is its officers' (the
    // ministry reads it); its organs' status is also its prefecture's;
    // the national views are the ministry's.
    (
        "/bodies/033219/disposal",
        [303, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/030007/disposal",
        [303, 200, 404, 200, 404, 404, 404],
    ),
    (
        "/bodies/131016/disposal",
        [303, 200, 404, 404, 404, 200, 404],
    ),
    (
        "/bodies/011011/disposal",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/bodies/033219/disposal.xlsx",
        [303, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/033219/disposal/items/SV-001",
        [303, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/033219/disposal/items/NO-SUCH",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/bodies/033219/disposal/attachments/1",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    ("/disposal", [303, 200, 403, 403, 403, 403, 403]),
    (
        "/disposal/template.xlsx",
        [303, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/bodies/033219/cybersecurity",
        [303, 200, 404, 200, 200, 404, 404],
    ),
    (
        "/bodies/030007/cybersecurity",
        [303, 200, 404, 200, 404, 404, 404],
    ),
    (
        "/bodies/131016/cybersecurity",
        [303, 200, 404, 404, 404, 200, 404],
    ),
    ("/cybersecurity", [303, 200, 403, 403, 403, 403, 403]),
    ("/cybersecurity.xlsx", [303, 200, 403, 403, 403, 403, 403]),
    (
        "/prefectures/030007/cybersecurity",
        [303, 200, 403, 200, 403, 403, 403],
    ),
    (
        "/prefectures/130001/cybersecurity",
        [303, 200, 403, 403, 403, 403, 403],
    ),
    (
        "/prefectures/033219/cybersecurity",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    (
        "/api/v1/bodies/033219/disposal",
        [401, 200, 404, 404, 200, 404, 404],
    ),
    ("/api/v1/disposal", [401, 200, 403, 403, 403, 403, 403]),
    (
        "/api/v1/bodies/033219/cybersecurity",
        [401, 200, 404, 200, 200, 404, 404],
    ),
    ("/api/v1/cybersecurity", [401, 200, 403, 403, 403, 403, 403]),
    (
        "/api/v1/prefectures/030007/cybersecurity",
        [401, 200, 403, 200, 403, 403, 403],
    ),
    // Data linkage and the self-assessment (#19): a body's record is its
    // officers' (the ministry reads it); the national picture and the
    // questions are the ministry's; the catalogue is read by everyone
    // signed in (it is shown for opinion).
    (
        "/bodies/033219/linkage",
        [303, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/030007/linkage",
        [303, 200, 404, 200, 404, 404, 404],
    ),
    (
        "/bodies/131016/linkage",
        [303, 200, 404, 404, 404, 200, 404],
    ),
    (
        "/bodies/011011/linkage",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    ("/linkage", [303, 200, 403, 403, 403, 403, 403]),
    ("/linkage.xlsx", [303, 200, 403, 403, 403, 403, 403]),
    (
        "/bodies/033219/assessment",
        [303, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/033219/assessment?year=2025",
        [303, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/033219/assessment?year=昭和",
        [303, 400, 404, 404, 400, 404, 404],
    ),
    (
        "/bodies/030007/assessment",
        [303, 200, 404, 200, 404, 404, 404],
    ),
    // 千代田区 has no policy: its officer is told there is nothing to check.
    (
        "/bodies/131016/assessment",
        [303, 200, 404, 404, 404, 200, 404],
    ),
    (
        "/bodies/033219/assessment/evidence/1",
        [303, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/bodies/030007/assessment/evidence/1",
        [303, 404, 404, 404, 404, 404, 404],
    ),
    ("/assessment/questions", [303, 200, 403, 403, 403, 403, 403]),
    (
        "/api/v1/bodies/033219/linkage",
        [401, 200, 404, 404, 200, 404, 404],
    ),
    ("/api/v1/linkage", [401, 200, 403, 403, 403, 403, 403]),
    (
        "/api/v1/linkage/catalogue",
        [401, 200, 200, 200, 200, 200, 200],
    ),
    (
        "/api/v1/bodies/033219/assessment?year=2025",
        [401, 200, 404, 404, 200, 404, 404],
    ),
    (
        "/api/v1/assessment/questions",
        [401, 200, 403, 403, 403, 403, 403],
    ),
];

#[tokio::test]
async fn every_route_and_every_role() {
    for w in worlds().await {
        every_route_on(&w).await;
    }
}

async fn every_route_on(w: &World) {
    let mut failures = Vec::new();
    for (route, expected) in MATRIX {
        for ((who, cookie), want) in w.cookies.iter().zip(expected) {
            let (status, body) = get(&w.state, &enc(route), cookie.as_deref()).await;
            // Read again: what was refused is refused again, and a page
            // answered from the cache (`page_cache.rs`) is the same page.
            let hits = w.state.pages.hits();
            let again = get(&w.state, &enc(route), cookie.as_deref()).await;
            let cached = w.state.pages.hits() > hits;
            if again.0 != status || (cached && again.1 != body) {
                failures.push(format!("{route} as {who}: read again, it differs"));
            }
            if cached && *want != 200 {
                failures.push(format!(
                    "{route} as {who}: a refusal answered from the cache"
                ));
            }
            if status.as_u16() != *want {
                failures.push(format!(
                    "{route} as {who} on {}: {status}, expected {want}",
                    w._db.url
                ));
            }
            // A refusal never carries the data.
            if *want != 200 {
                assert!(
                    !body.contains("情報セキュリティ"),
                    "{route} as {who} leaked: {body}"
                );
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}
