//! One module per subcommand: its `exec` takes the parsed arguments.

mod bodies;
mod check;
mod diff;
pub mod export;
mod import;
mod policy;
mod serve;
mod user;

use anyhow::Result;

use crate::Outcome;
use crate::cli::{Cli, Command};

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Check(args) => check::exec(&args),
        Command::Import(args) => import::exec(&args, &cli.db),
        Command::Export(args) => export::exec(&args, &cli.db),
        Command::Bodies(args) => bodies::exec(&args),
        Command::Diff(args) => diff::exec(&args, &cli.db),
        Command::Policy(command) => policy::exec(command, &cli.db),
        Command::Serve(args) => serve::serve(&args, &cli.db),
        Command::Demo(args) => serve::demo(&args),
        Command::User(command) => user::exec(command, &cli.db),
    }
}
