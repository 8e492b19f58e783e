//! `kaitei user add|passwd|can-submit|disable|list`

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
        UserCommand::Add {
            login,
            role,
            body,
            can_submit,
            organisation,
        } => {
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
            if can_submit && !matches!(role, Role::Body | Role::Prefecture) {
                return Err(anyhow!(
                    "--can-submit is for body and prefecture officers: a {} submits nothing",
                    role.as_str()
                ));
            }
            if organisation.is_some() != (role == Role::Vendor) {
                return Err(anyhow!(
                    "a vendor needs --organisation NAME (the organisation it answers for), and only a vendor has one"
                ));
            }
            db.block_on(async {
                store.add_user(&login, &password, role, body).await?;
                if can_submit {
                    store.set_can_submit(&login, true).await?;
                }
                if let Some(org) = &organisation {
                    store.set_organisation(&login, org).await?;
                }
                Ok::<_, kaitei_store::StoreError>(())
            })?;
            let right = if can_submit { ", may submit" } else { "" };
            eprintln!("added {login} ({}{right})", role.as_str());
        }
        UserCommand::Passwd { login } => {
            let password = password()?;
            db.block_on(store.set_password(&login, &password))?;
            eprintln!("changed the password of {login}; its sessions were ended");
        }
        UserCommand::CanSubmit { login, revoke } => {
            db.block_on(store.set_can_submit(&login, !revoke))?;
            if revoke {
                eprintln!("{login} may no longer submit answers; its sessions were ended");
            } else {
                eprintln!("{login} may submit its body's answers; its sessions were ended");
            }
        }
        UserCommand::List => {
            for u in db.block_on(store.users())? {
                let body = u
                    .body
                    .map(|b| {
                        let name = registry().get(b).map_or("", |b| b.name.as_str());
                        format!("{b} {name}")
                    })
                    .or(u.organisation.clone())
                    .unwrap_or_default();
                let mut flags = Vec::new();
                if u.can_submit {
                    flags.push("can-submit");
                }
                if u.disabled {
                    flags.push("disabled");
                }
                println!(
                    "{}\t{}\t{}\t{}",
                    u.login,
                    u.role.as_str(),
                    body,
                    flags.join(",")
                );
            }
        }
        UserCommand::Disable { login, enable } => {
            db.block_on(store.set_disabled(&login, !enable))?;
            eprintln!("{} {login}", if enable { "enabled" } else { "disabled" });
        }
    }
    Ok(Outcome::Ok)
}
