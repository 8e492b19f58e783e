//! The demo: fixtures compiled into the binary and one account per role.

use kaitei_app::App;
use kaitei_format::authoring::parse;
use kaitei_model::BodyCode;
use kaitei_store::Role;

/// The fixture documents compiled in, in import order.
pub const FIXTURES: [(&str, &str); 5] = [
    (
        "r6-10.md",
        include_str!("../../../fixtures/guideline/r6-10.md"),
    ),
    (
        "r7-03.md",
        include_str!("../../../fixtures/guideline/r7-03.md"),
    ),
    (
        "prefecture.md",
        include_str!("../../../fixtures/policies/prefecture.md"),
    ),
    (
        "city.md",
        include_str!("../../../fixtures/policies/city.md"),
    ),
    (
        "town.md",
        include_str!("../../../fixtures/policies/town.md"),
    ),
];

/// The older of the two guideline editions the demo stores.
pub const OLDER_EDITION: &str = "令和6年10月版";

/// The latest guideline edition the demo stores.
pub const LATEST_EDITION: &str = "令和7年3月版";

/// The demo password of every demo account.
pub const DEMO_PASSWORD: &str = "kaitei-demo-2026";

/// Demo accounts: (login, role, body). 千代田区 has no policy stored: its
/// officer sees a body officer's home before the policy is imported.
pub const ACCOUNTS: [(&str, Role, Option<&str>); 6] = [
    ("admin", Role::Admin, None),
    ("committee", Role::Committee, None),
    ("iwate", Role::Prefecture, Some("030007")),
    ("shiwa", Role::Body, Some("033219")),
    ("chiyoda", Role::Body, Some("131016")),
    ("vendor", Role::Vendor, None),
];

/// Fills the application's store with the fixtures (imported as any
/// import is, keys carried from the first edition to the second), makes
/// the prefecture's policy public, adds the demo accounts, and the
/// records of this year's topics (`demo_records`).
pub async fn seed(app: &App) -> Result<(), kaitei_app::Error> {
    let store = app.store();
    for (name, text) in FIXTURES {
        let parsed = parse(text);
        if parsed.has_errors() {
            return Err(kaitei_app::Error::Invalid(format!(
                "built-in fixture {name} has errors"
            )));
        }
        let id = app.import(parsed.document).await?.id;
        if name == "prefecture.md" {
            store.set_policy_public(id, true).await?;
        }
    }
    for (login, role, body) in ACCOUNTS {
        let body = body.and_then(|b| BodyCode::parse(b).ok());
        store.add_user(login, DEMO_PASSWORD, role, body).await?;
    }
    crate::demo_records::seed_records(app).await?;
    crate::demo_linkage::seed_linkage(app).await?;
    Ok(())
}
