//! `kaitei user add|passwd|disable`

use std::io::BufRead;

use anyhow::{Context, Result, anyhow};
use kaitei_model::registry;
use kaitei_store::Role;

use crate::Outcome;
use crate::cli::{RoleArg, UserCommand};
use crate::input::Database;

/// The password: KAITEI_PASSWORD, else the first line of standard input.
fn password() -> Result<String> {
    if let Ok(p) = std::env::var("KAITEI_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.is_empty() {
        return Err(anyhow!(
            "no password: give it in KAITEI_PASSWORD or on standard input"
        ));
    }
    Ok(p)
}

pub fn exec(command: UserCommand, db: &Database) -> Result<Outcome> {
    let store = db.app()?.store();
    match command {
        UserCommand::Add { login, role, body } => {
            let role = match role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Committee => Role::Committee,
                RoleArg::Prefecture => Role::Prefecture,
                RoleArg::Body => Role::Body,
                RoleArg::Vendor => Role::Vendor,
            };
            let body = body
                .map(|b| registry().lookup(&b).map(|b| b.code))
                .transpose()?;
            let password = password()?;
            db.block_on(store.add_user(&login, &password, role, body))?;
            eprintln!("added {login} ({})", role.as_str());
        }
        UserCommand::Passwd { login } => {
            let password = password()?;
            db.block_on(store.set_password(&login, &password))?;
            eprintln!("changed the password of {login}; its sessions were ended");
        }
        UserCommand::Disable { login, enable } => {
            db.block_on(store.set_disabled(&login, !enable))?;
            eprintln!("{} {login}", if enable { "enabled" } else { "disabled" });
        }
    }
    Ok(Outcome::Ok)
}
