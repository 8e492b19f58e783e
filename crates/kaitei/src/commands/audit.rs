//! `kaitei audit head|verify|export`: the audit trail from the command
//! line (its checks are the store's).

use std::io::Write;

use anyhow::{Context, Result, anyhow};
use kaitei_model::date::Date;
use kaitei_store::{AuditFilter, Head};

use crate::Outcome;
use crate::cli::AuditCommand;
use crate::input::Database;

pub fn exec(command: AuditCommand, db: &Database) -> Result<Outcome> {
    let store = db.app()?.store();
    match command {
        AuditCommand::Head => {
            let head = db.block_on(store.audit_head())?;
            println!("{head}");
            Ok(Outcome::Ok)
        }
        AuditCommand::Verify { head } => {
            let exported: Option<Head> = head
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|e: String| anyhow!("--head: {e}"))?;
            let check = db.block_on(store.verify_audit(exported.as_ref()))?;
            let pending = if check.pending > 0 {
                format!(" ({} event(s) not chained yet)", check.pending)
            } else {
                String::new()
            };
            match &check.broken {
                None => {
                    println!("{}", check.head);
                    eprintln!(
                        "{}: audit trail intact: {} event(s){pending}{}",
                        db.shown(),
                        check.head.count,
                        exported
                            .map_or(String::new(), |h| format!("; holds the exported head {h}"))
                    );
                    Ok(Outcome::Ok)
                }
                Some(b) => {
                    println!("{}", check.head);
                    eprintln!(
                        "{}: audit trail BROKEN at event {}: {}{pending}",
                        db.shown(),
                        b.position,
                        b.problem
                    );
                    Ok(Outcome::Problems)
                }
            }
        }
        AuditCommand::Export {
            output,
            body,
            actor,
            from,
            until,
        } => {
            let day = |flag: &str, v: Option<String>| -> Result<Option<Date>> {
                v.map(|s| {
                    Date::parse_typed(&s)
                        .ok_or_else(|| anyhow!("--{flag} {s:?}: not a date (write 2026-01-13)"))
                })
                .transpose()
            };
            let filter = AuditFilter {
                body,
                actor,
                ..AuditFilter::default()
            }
            .days(day("from", from)?, day("until", until)?);
            let csv = db.block_on(db.app()?.export_audit(&filter))?;
            match output {
                Some(path) => std::fs::write(&path, &csv)
                    .with_context(|| format!("{}: cannot write", path.display()))?,
                None => std::io::stdout().lock().write_all(&csv)?,
            }
            Ok(Outcome::Ok)
        }
    }
}
