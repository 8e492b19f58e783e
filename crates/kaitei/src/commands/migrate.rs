//! `kaitei migrate`: the explicit upgrade of a database's schema — the only
//! one on PostgreSQL, where the other commands refuse a schema that is
//! behind (SQLite is upgraded by every command on opening).

use anyhow::Result;

use crate::Outcome;
use crate::input::Database;

pub fn exec(db: &Database) -> Result<Outcome> {
    let upgrade = db.open_migrating()?;
    db.close();
    if upgrade.from == 0 {
        eprintln!(
            "{}: a new database: schema set up at version {}",
            db.shown(),
            upgrade.to
        );
    } else if upgrade.from == upgrade.to {
        eprintln!(
            "{}: schema at version {}, up to date",
            db.shown(),
            upgrade.to
        );
    } else {
        eprintln!(
            "{}: schema upgraded from version {} to {}",
            db.shown(),
            upgrade.from,
            upgrade.to
        );
    }
    Ok(Outcome::Ok)
}
