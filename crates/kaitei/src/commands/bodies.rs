//! `kaitei bodies [--prefecture CODE] [--kind …]`

use std::io::Write;

use anyhow::{Result, bail};
use kaitei_model::{Body, BodyCode, BodyKind, registry};

use crate::Outcome;
use crate::cli::{BodiesArgs, BodyKindArg};

fn kind(k: BodyKindArg) -> BodyKind {
    match k {
        BodyKindArg::Prefecture => BodyKind::Prefecture,
        BodyKindArg::City => BodyKind::City,
        BodyKindArg::Town => BodyKind::Town,
        BodyKindArg::Village => BodyKind::Village,
        BodyKindArg::SpecialWard => BodyKind::SpecialWard,
    }
}

/// Reads `--prefecture`: a prefecture's code, its number (1–47) or its name.
fn prefecture(typed: &str) -> Result<BodyCode> {
    let typed = typed.trim();
    let r = registry();
    if let Some(b) = r
        .all()
        .iter()
        .find(|b| b.kind == BodyKind::Prefecture && b.name == typed)
    {
        return Ok(b.code);
    }
    if typed.len() <= 2 {
        if let Ok(n @ 1..=47) = typed.parse::<u8>()
            && let Some(b) = r
                .all()
                .iter()
                .find(|b| b.kind == BodyKind::Prefecture && b.code.prefecture_number() == n)
        {
            return Ok(b.code);
        }
        bail!("--prefecture {typed}: a prefecture number runs from 1 to 47");
    }
    let body = r
        .lookup(typed)
        .map_err(|e| anyhow::anyhow!("--prefecture: {e}"))?;
    if body.kind != BodyKind::Prefecture {
        bail!(
            "--prefecture {typed}: {} is a {}, not a prefecture; its prefecture is {}",
            body.name,
            body.kind.as_str(),
            body.prefecture
        );
    }
    Ok(body.code)
}

pub fn exec(args: &BodiesArgs) -> Result<Outcome> {
    let pref = args.prefecture.as_deref().map(prefecture).transpose()?;
    let kinds: Vec<BodyKind> = args.kind.iter().copied().map(kind).collect();
    let selected: Vec<&Body> = registry()
        .all()
        .iter()
        .filter(|b| pref.is_none_or(|p| b.prefecture == p))
        .filter(|b| kinds.is_empty() || kinds.contains(&b.kind))
        .collect();
    let mut out = std::io::stdout().lock();
    for b in &selected {
        let line = format!("{}\t{}\t{}\t{}\n", b.code, b.kind.as_str(), b.name, b.kana);
        if out.write_all(line.as_bytes()).is_err() {
            // A closed pipe (`kaitei bodies | head`) is not an error.
            return Ok(Outcome::Ok);
        }
    }
    eprintln!("{} bodies", selected.len());
    Ok(Outcome::Ok)
}
