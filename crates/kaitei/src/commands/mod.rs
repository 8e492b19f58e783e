//! One module per subcommand: its `exec` takes the parsed arguments.

mod audit;
mod backup;
mod bodies;
mod check;
mod consult;
mod cycle;
mod diff;
pub mod disposal;
pub mod export;
mod import;
mod migrate;
mod policy;
mod serve;
mod user;

use anyhow::Result;

use crate::Outcome;
use crate::cli::{Cli, Command};
use crate::input::Database;

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> Result<Outcome> {
    // One database per command, opened when first needed.
    let db = || Database::new(&cli.db);
    match cli.command {
        Command::Check(args) => check::exec(&args),
        Command::Import(args) => import::exec(&args, &db()?),
        Command::Export(args) => export::exec(&args, &db()?),
        Command::Bodies(args) => bodies::exec(&args),
        Command::Diff(args) => diff::exec(&args, &db()?),
        Command::Policy(command) => policy::exec(command, &db()?),
        Command::Serve(args) => serve::serve(&args, &cli.db),
        Command::Demo(args) => serve::demo(&args),
        Command::User(command) => user::exec(command, &db()?),
        Command::Cycle(command) => cycle::exec(command, &db()?),
        Command::Draft(command) => cycle::draft(command, &db()?),
        Command::Consult(command) => consult::exec(command, &db()?),
        Command::Backup(args) => backup::exec(&args, &cli.db),
        Command::Audit(command) => audit::exec(command, &db()?),
        Command::Migrate => migrate::exec(&db()?),
        Command::Disposal(command) => disposal::exec(command),
    }
}
