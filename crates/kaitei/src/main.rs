//! The `kaitei` binary: glue between the command line and the library
//! crates. Each subcommand lives in `commands/` with its arguments and an
//! `exec` that calls library code.

mod cli;
mod commands;
mod input;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

// kaitei builds and drops many small strings and vectors per clause;
// mimalloc makes that markedly cheaper than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit codes (`CONTRACTS.md`): 0 the command did its job, 1 it found the
/// problems it was asked to find, 2 it could not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// The command did its job.
    Ok = 0,
    /// It found problems (e.g. `check` found errors).
    Problems = 1,
    /// It could not run, or could not do its job for some input.
    Failed = 2,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(o as u8)
    }
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version on stdout with exit 0, and usage
            // errors on stderr with exit 2, as the contract wants.
            let _ = e.print();
            return if e.use_stderr() {
                Outcome::Failed.into()
            } else {
                Outcome::Ok.into()
            };
        }
    };
    match commands::run(cli) {
        Ok(outcome) => outcome.into(),
        Err(e) => {
            eprintln!("kaitei: {e:#}");
            Outcome::Failed.into()
        }
    }
}
