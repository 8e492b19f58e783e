//! `kaitei consult create|status|list|export-templates|import|cluster`

use std::path::PathBuf;

use anyhow::{Result, anyhow};
use kaitei_app::templates::{ImportError, ImportedAnswer};
use kaitei_model::consultation::Plan;
use kaitei_model::registry;

use crate::Outcome;
use crate::cli::ConsultCommand;
use crate::commands::cycle::actor;
use crate::input::Database;

mod cluster;

pub fn exec(command: ConsultCommand, db: &Database) -> Result<Outcome> {
    // Each command opens the database itself: clustering works on a file
    // alone and must not need one.
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
            let plan = Plan::read(&id, &who, &opens, &closes, through_prefectures.as_deref())
                .map_err(|e| anyhow!(e))?;
            let store = db.app()?.store();
            let d = db
                .block_on(store.draft_named(&draft))?
                .ok_or_else(|| anyhow!("no draft named {draft:?} (kaitei draft list)"))?;
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
        ConsultCommand::Status {
            id,
            all,
            format,
            output,
        } => {
            let app = db.app()?;
            let (c, _) = db.block_on(app.consultation(&id))?;
            let progress = db.block_on(app.progress(&c))?;
            if format == "xlsx" {
                let path =
                    output.ok_or_else(|| anyhow!("--format xlsx writes a file: give -o FILE"))?;
                let rows = progress.unanswered();
                let bytes =
                    kaitei_report::consultation_status::xlsx(c.plan.id.as_str(), &c.title, &rows)
                        .map_err(|e| anyhow!("cannot write the workbook: {e}"))?;
                std::fs::write(&path, bytes)
                    .map_err(|e| anyhow!("{}: cannot write: {e}", path.display()))?;
                eprintln!(
                    "wrote {} respondents who have not answered to {}",
                    rows.len(),
                    path.display()
                );
                return Ok(Outcome::Ok);
            }
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
        ConsultCommand::ExportTemplates { id, output } => {
            let app = db.app()?;
            let (c, _) = db.block_on(app.consultation(&id))?;
            std::fs::create_dir_all(&output)
                .map_err(|e| anyhow!("{}: cannot create the folder: {e}", output.display()))?;
            let respondents = db.block_on(app.progress(&c))?.rows;
            let bar = crate::progress::bar(respondents.len() as u64, "templates");
            for r in &respondents {
                let (name, bytes) = db.block_on(app.answer_template(&id, &r.respondent))?;
                let path = output.join(name.replace(['/', '\\'], "_"));
                std::fs::write(&path, bytes)
                    .map_err(|e| anyhow!("{}: cannot write: {e}", path.display()))?;
                bar.inc(1);
            }
            bar.finish_and_clear();
            eprintln!(
                "wrote {} templates to {}",
                respondents.len(),
                output.display()
            );
        }
        ConsultCommand::Import { files, draft } => {
            return import(&files, !draft, db);
        }
        ConsultCommand::Cluster { file, output } => {
            return cluster::exec(&file, output.as_deref());
        }
        ConsultCommand::Report {
            id,
            format,
            output,
            anonymise,
        } => return report(db, &id, format, &output, anonymise),
        ConsultCommand::List => {
            for c in db.block_on(db.app()?.store().consultations())? {
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

/// `kaitei consult report`: the response table in a file.
fn report(
    db: &Database,
    id: &str,
    format: crate::cli::ReportFormat,
    output: &std::path::Path,
    anonymise: bool,
) -> Result<Outcome> {
    use crate::cli::ReportFormat;
    use kaitei_report::response_table as write;
    let app = db.app()?;
    let review = db.block_on(app.comment_review(id))?;
    let made = kaitei_app::now().date().wareki();
    let table = kaitei_app::comment_review::response_table(&review, anonymise, &made);
    let bytes = match format {
        ReportFormat::Xlsx => {
            write::xlsx(&table).map_err(|e| anyhow!("cannot write the workbook: {e}"))?
        }
        ReportFormat::Docx => write::docx(&table),
        ReportFormat::Html => write::html(&table).into_bytes(),
    };
    std::fs::write(output, bytes)
        .map_err(|e| anyhow!("{}: cannot write: {e}", output.display()))?;
    let undisposed = review
        .comments
        .iter()
        .filter(|c| c.disposition.is_none())
        .count();
    eprintln!(
        "wrote the response table of {id} to {}: {} comments in {} rows, {undisposed} without a disposition",
        output.display(),
        table.comment_count(),
        table.rows.len()
    );
    Ok(Outcome::Ok)
}

/// `kaitei consult import`: every file on its own, all or nothing.
fn import(args: &[PathBuf], submit: bool, db: &Database) -> Result<Outcome> {
    let app = db.app()?;
    let mut files = Vec::new();
    for a in args {
        if a.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(a)
                .map_err(|e| anyhow!("{}: cannot read the folder: {e}", a.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("xlsx"))
                })
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(a.clone());
        }
    }
    let (mut stored, mut unchanged, mut refused) = (0, 0, 0);
    let now = kaitei_app::now();
    for path in &files {
        let shown = path.display();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{shown}: error: cannot read: {e}");
                refused += 1;
                continue;
            }
        };
        match db.block_on(app.import_answer(&bytes, None, submit, &actor(), now)) {
            Ok(ImportedAnswer::Stored {
                respondent,
                comments,
                no_comment,
                submitted,
            }) => {
                stored += 1;
                let what = if no_comment {
                    "意見なし".to_string()
                } else {
                    format!("{comments} comments")
                };
                let how = if submitted {
                    "submitted"
                } else {
                    "stored as a draft"
                };
                eprintln!(
                    "{shown}: {} ({}): {what}, {how}",
                    respondent.name(),
                    respondent.key()
                );
            }
            Ok(ImportedAnswer::Unchanged { respondent }) => {
                unchanged += 1;
                eprintln!(
                    "{shown}: {} ({}): unchanged, nothing stored",
                    respondent.name(),
                    respondent.key()
                );
            }
            Err(ImportError::Rows(rows)) => {
                refused += 1;
                for (row, m) in rows {
                    eprintln!("{shown}:{row}: error: {m}");
                }
                eprintln!("{shown}: refused: nothing stored");
            }
            Err(e) => {
                refused += 1;
                eprintln!("{shown}: error: {e}");
            }
        }
    }
    eprintln!(
        "{} files: {stored} stored, {unchanged} unchanged, {refused} refused",
        files.len()
    );
    Ok(if refused > 0 {
        Outcome::Failed
    } else {
        Outcome::Ok
    })
}
