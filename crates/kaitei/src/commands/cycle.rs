//! `kaitei cycle create|topic|milestone|show` and `kaitei draft create|list`

use anyhow::{Result, anyhow};
use kaitei_app::consultations::DraftSource;
use kaitei_model::cycle::{FiscalYear, MilestoneKind};
use kaitei_model::{EditionName, JstTime};

use crate::Outcome;
use crate::cli::{CycleCommand, DocxArgs, DraftCommand, MilestoneArg};
use crate::input::{Database, read_file};

/// Who the command line acts as, in histories: `cli:` and the OS user.
pub fn actor() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "unknown".into())
    )
}

/// Reads a fiscal year argument.
pub fn fiscal_year(s: &str) -> Result<FiscalYear> {
    FiscalYear::parse(s)
        .ok_or_else(|| anyhow!("{s:?} is not a fiscal year: write 2025, R7 or 令和7年度"))
}

pub fn exec(command: CycleCommand, db: &Database) -> Result<Outcome> {
    let app = db.app()?;
    let store = app.store();
    match command {
        CycleCommand::Create { year, title } => {
            let year = fiscal_year(&year)?;
            let title = title.unwrap_or_else(|| format!("{} ガイドライン改定", year.wareki()));
            db.block_on(store.create_cycle(year, &title, &actor()))?;
            eprintln!("started the cycle of {} ({title})", year.wareki());
        }
        CycleCommand::Topic {
            year,
            title,
            description,
            clauses,
        } => {
            let year = fiscal_year(&year)?;
            let id =
                db.block_on(store.add_topic(year, &title, &description, &clauses, &actor()))?;
            eprintln!("added topic {id}: {title}");
        }
        CycleCommand::Milestone {
            year,
            kind,
            title,
            at,
        } => {
            let year = fiscal_year(&year)?;
            let at = JstTime::parse(&at)?;
            let kind = match kind {
                MilestoneArg::Committee => MilestoneKind::Committee,
                MilestoneArg::Draft => MilestoneKind::DraftAgreed,
                MilestoneArg::Publication => MilestoneKind::Publication,
                MilestoneArg::Other => MilestoneKind::Other,
            };
            db.block_on(store.add_milestone(year, kind, &title, at, ""))?;
            eprintln!("added {} {title} at {}", kind.japanese(), at.local());
        }
        CycleCommand::Show { year } => {
            let year = fiscal_year(&year)?;
            let (topics, milestones, drafts, consultations) = db.block_on(async {
                Ok::<_, kaitei_store::StoreError>((
                    store.topics(year).await?,
                    store.milestones(year).await?,
                    store.drafts().await?,
                    store.consultations().await?,
                ))
            })?;
            println!("{}", year.wareki());
            println!("検討項目:");
            for t in &topics {
                println!(
                    "  {}\t{}\t{}\t{}",
                    t.id,
                    t.status.japanese(),
                    t.title,
                    t.clauses.join(",")
                );
            }
            println!("日程:");
            for m in &milestones {
                println!("  {}\t{}\t{}", m.at.local(), m.kind.japanese(), m.title);
            }
            for c in consultations.iter().filter(|c| c.year == year) {
                println!(
                    "  {} – {}\t意見照会\t{} {} ({})",
                    c.plan.window.opens.local(),
                    c.plan.window.closes.local(),
                    c.plan.id,
                    c.title,
                    c.plan.audience.japanese()
                );
            }
            println!("改定案:");
            for d in drafts.iter().filter(|d| d.year == year) {
                println!("  {}\t{}\tversion {}", d.name, d.title, d.version);
            }
        }
    }
    Ok(Outcome::Ok)
}

pub fn draft(command: DraftCommand, db: &Database) -> Result<Outcome> {
    let app = db.app()?;
    match command {
        DraftCommand::Create {
            name,
            year,
            from,
            file,
        } => {
            let year = fiscal_year(&year)?;
            let source = match (from, file) {
                (_, Some(path)) => {
                    let read = read_file(&path, &DocxArgs::default())?;
                    if read.parsed.has_errors() {
                        for d in &read.parsed.diagnostics {
                            eprintln!("{}", crate::input::format_diagnostic(&path, read.word, d));
                        }
                        return Ok(Outcome::Failed);
                    }
                    DraftSource::Document(Box::new(read.parsed.document))
                }
                (Some(edition), None) => DraftSource::Edition(Some(
                    EditionName::parse(&edition).map_err(|e| anyhow!("{e}"))?,
                )),
                (None, None) => DraftSource::Edition(None),
            };
            let id = db.block_on(app.start_draft(year, &name, source, &actor()))?;
            eprintln!("started draft {name} (id {id})");
        }
        DraftCommand::Publish {
            name,
            edition,
            published,
        } => {
            let edition = EditionName::parse(&edition).map_err(|e| anyhow!("{e}"))?;
            let date = kaitei_model::Date::parse_typed(&published).ok_or_else(|| {
                anyhow!("{published:?} is not a date: write 2026-12-20 or 令和8年12月20日")
            })?;
            let imported =
                db.block_on(app.publish_draft(&name, &edition, date, kaitei_app::now()))?;
            eprintln!("published draft {name} as {edition} ({})", imported.what);
        }
        DraftCommand::List => {
            for d in db.block_on(app.store().drafts())? {
                println!(
                    "{}\t{}\t{}\tversion {}\t{}",
                    d.name,
                    d.year.wareki(),
                    d.title,
                    d.version,
                    d.base_edition.unwrap_or_default()
                );
            }
        }
    }
    Ok(Outcome::Ok)
}
