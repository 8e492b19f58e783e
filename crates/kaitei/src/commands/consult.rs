//! `kaitei consult create|status|list`

use anyhow::{Result, anyhow};
use kaitei_model::consultation::{Audience, ConsultationId, Plan, Routing, Window};
use kaitei_model::{JstTime, registry};

use crate::Outcome;
use crate::cli::ConsultCommand;
use crate::commands::cycle::actor;
use crate::input::Database;

/// Reads `all`, `vendors`, `prefecture:CODE` or `list:CODE,CODE,…` (codes
/// or names, as `kaitei bodies` finds them).
fn audience(s: &str) -> Result<Audience> {
    let lookup = |b: &str| registry().lookup(b.trim()).map(|b| b.code);
    Ok(match s.split_once(':') {
        None if s == "all" => Audience::AllBodies,
        None if s == "vendors" => Audience::Vendors,
        Some(("prefecture", p)) => {
            let code = lookup(p)?;
            if code.prefecture() != code {
                return Err(anyhow!("{p} is not a prefecture"));
            }
            Audience::Prefecture(code)
        }
        Some(("list", l)) => {
            let codes = l
                .split(',')
                .filter(|b| !b.trim().is_empty())
                .map(lookup)
                .collect::<Result<Vec<_>, _>>()?;
            if codes.is_empty() {
                return Err(anyhow!("list: names no body"));
            }
            Audience::List(codes)
        }
        _ => {
            return Err(anyhow!(
                "{s:?} is not an audience: write all, vendors, prefecture:CODE or list:CODE,CODE,…"
            ));
        }
    })
}

pub fn exec(command: ConsultCommand, db: &Database) -> Result<Outcome> {
    let app = db.app()?;
    let store = app.store();
    match command {
        ConsultCommand::Create {
            id,
            draft,
            title,
            audience: who,
            opens,
            closes,
            through_prefectures,
        } => {
            let id = ConsultationId::parse(&id).map_err(|e| anyhow!(e))?;
            let d = db
                .block_on(store.draft_named(&draft))?
                .ok_or_else(|| anyhow!("no draft named {draft:?} (kaitei draft list)"))?;
            let routing = match through_prefectures {
                None => Routing::Direct,
                Some(t) => Routing::ThroughPrefectures {
                    prefecture_deadline: JstTime::parse(&t)?,
                },
            };
            let plan = Plan {
                id,
                audience: audience(&who)?,
                routing,
                window: Window {
                    opens: JstTime::parse(&opens)?,
                    closes: JstTime::parse(&closes)?,
                },
            };
            db.block_on(store.create_consultation(&plan, d.year, &title, d.id, &actor()))?;
            eprintln!(
                "opened consultation {} on {} (version {}): {} – {}, {}",
                plan.id,
                d.name,
                d.version,
                plan.window.opens.local(),
                plan.window.closes.local(),
                plan.audience.japanese()
            );
        }
        ConsultCommand::Status { id, all } => {
            let (c, _) = db.block_on(app.consultation(&id))?;
            let progress = db.block_on(app.progress(&c))?;
            let t = progress.total;
            println!(
                "{} {}: {} asked, {} received ({} comments), {} held by their prefecture, {} preparing, {} nothing yet",
                c.plan.id, c.title, t.asked, t.received, t.comments, t.held, t.preparing, t.nothing
            );
            if all {
                for r in &progress.rows {
                    println!(
                        "{}\t{}\t{}\t{}",
                        r.respondent.key(),
                        r.respondent.name(),
                        r.japanese(),
                        r.comments
                    );
                }
            } else {
                for (p, t) in &progress.by_prefecture {
                    let name = registry().get(*p).map_or("", |b| b.name.as_str());
                    println!(
                        "{p}\t{name}\t{}/{} received\t{} held\t{} preparing\t{} nothing yet",
                        t.received, t.asked, t.held, t.preparing, t.nothing
                    );
                }
            }
        }
        ConsultCommand::List => {
            for c in db.block_on(store.consultations())? {
                println!(
                    "{}\t{}\t{} – {}\t{}",
                    c.plan.id,
                    c.title,
                    c.plan.window.opens.local(),
                    c.plan.window.closes.local(),
                    c.plan.audience.japanese()
                );
            }
        }
    }
    Ok(Outcome::Ok)
}
