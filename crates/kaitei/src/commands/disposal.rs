//! `kaitei disposal template|check|rules`: the equipment disposal and
//! data-erasure register (機器の廃棄・データ消去台帳) on files alone; its
//! rules are `kaitei_records`'.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;
use kaitei_records::rules::{self, Rule, RuleTable};
use kaitei_records::xlsx;

use crate::Outcome;

/// `kaitei disposal …`
#[derive(Debug, Subcommand)]
pub enum DisposalCommand {
    /// Write the empty register: row 1 the 14 headers, each column with a
    /// value list offering it (data validation).
    Template {
        /// The workbook to write (.xlsx).
        #[arg(short, long, value_name = "FILE.xlsx")]
        output: PathBuf,
    },
    /// Check a register against the rules: one line per finding on
    /// stdout, FILE:ROW: RULE: reason, in row order then rule id; a
    /// summary on stderr.
    ///
    /// Rules: no-erasure-record, method-too-weak, no-witness,
    /// no-certificate, invalid (docs/cli.md). Exit 1 when there is any
    /// finding, 0 when none, 2 when the file cannot be read as a register
    /// (not an xlsx, missing or misnamed headers) or --rules cannot be read.
    Check {
        /// The register (.xlsx; the first sheet is read).
        file: PathBuf,
        /// Another rule table (one line per 最高格付: `3A = 磁気破壊`;
        /// `kaitei disposal rules` prints the built-in one).
        #[arg(long, value_name = "FILE")]
        rules: Option<PathBuf>,
    },
    /// Print the built-in rule table, in the format --rules reads.
    Rules,
}

pub fn exec(command: DisposalCommand) -> Result<Outcome> {
    match command {
        DisposalCommand::Template { output } => {
            let bytes = xlsx::template().context("writing the template")?;
            std::fs::write(&output, bytes)
                .with_context(|| format!("cannot write {}", output.display()))?;
            eprintln!("{}: the empty disposal register", output.display());
            Ok(Outcome::Ok)
        }
        DisposalCommand::Rules => {
            print!("{}", RuleTable::default().print());
            Ok(Outcome::Ok)
        }
        DisposalCommand::Check { file, rules } => check(&file, rules.as_deref()),
    }
}

fn check(file: &std::path::Path, rules_file: Option<&std::path::Path>) -> Result<Outcome> {
    let table = match rules_file {
        None => RuleTable::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            RuleTable::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
        }
    };
    let shown = file.display();
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {shown}"))?;
    let rows = xlsx::read(&bytes).map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    let findings = rules::check(&rows, &table);
    let mut out = String::new();
    for f in &findings {
        out.push_str(&format!("{shown}:{}: {}: {}\n", f.row, f.rule, f.english()));
    }
    print!("{out}");
    let counts = rules::count_by_rule(&findings);
    let by_rule: Vec<String> = Rule::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(r, n)| format!("{n} {r}"))
        .collect();
    if findings.is_empty() {
        eprintln!("{shown}: {} item(s), no findings", rows.len());
        Ok(Outcome::Ok)
    } else {
        eprintln!(
            "{shown}: {} item(s), {} finding(s): {}",
            rows.len(),
            findings.len(),
            by_rule.join(", ")
        );
        Ok(Outcome::Problems)
    }
}
