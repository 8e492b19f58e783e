//! `kaitei policy derive|align|impact|merge`

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use kaitei_compare::policy::{self, EditionChanges, ImpactItem, Severity};
use kaitei_compare::view::lay_out;
use kaitei_compare::{KeyUse, compare};
use kaitei_format::authoring::{PrintOptions, print};
use kaitei_format::impact::{self as impact_out, PolicyImpact};
use kaitei_format::table::{TableOptions, docx};
use kaitei_model::{Body, Document, DocumentKind, registry};

use super::export::write_atomically;
use crate::Outcome;
use crate::cli::{
    AlignArgs, DeriveArgs, DocxArgs, ImpactArgs, ImpactFormat, MergeArgs, PolicyCommand, ValueArgs,
};
use crate::input::{Origin, load_with_origin, open_store, runtime};
use crate::progress;

pub fn exec(command: PolicyCommand, db: &str) -> Result<Outcome> {
    match command {
        PolicyCommand::Derive(args) => derive(&args, db),
        PolicyCommand::Align(args) => align(&args, db),
        PolicyCommand::Impact(args) if args.all => impact_all(&args, db),
        PolicyCommand::Impact(args) => impact_one(&args, db),
        PolicyCommand::Merge(args) => merge(&args, db),
    }
}

/// Placeholder values: the profile file, then `--set` (which wins).
fn given_values(args: &ValueArgs) -> Result<BTreeMap<String, String>> {
    let mut values = BTreeMap::new();
    if let Some(path) = &args.profile {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the profile", path.display()))?;
        let map: BTreeMap<String, serde_yaml_ng::Value> =
            serde_yaml_ng::from_str(&text).map_err(|e| {
                let line = e.location().map_or(0, |l| l.line());
                anyhow!(
                    "{}:{line}: the profile must be a YAML map of `名前: 値` lines ({e})",
                    path.display()
                )
            })?;
        for (k, v) in map {
            let v = match v {
                serde_yaml_ng::Value::String(s) => s,
                serde_yaml_ng::Value::Number(n) => n.to_string(),
                other => bail!(
                    "{}: the value of `{k}` must be text, not {other:?}",
                    path.display()
                ),
            };
            values.insert(k, v);
        }
    }
    for pair in &args.set {
        let (k, v) = pair.split_once('=').ok_or_else(|| {
            anyhow!("--set {pair}: write it as NAME=VALUE, e.g. --set CISO職名=副町長")
        })?;
        if k.trim().is_empty() {
            bail!("--set {pair}: the placeholder's name is empty");
        }
        values.insert(k.trim().to_string(), v.trim().to_string());
    }
    Ok(values)
}

fn body_of(doc: &Document, docx: &DocxArgs) -> Result<&'static Body> {
    let code = match (&docx.body, doc.meta.body) {
        (Some(typed), _) => registry().lookup(typed)?.code,
        (None, Some(code)) => code,
        (None, None) => bail!("the policy does not say which body it belongs to: give --body CODE"),
    };
    registry()
        .get(code)
        .ok_or_else(|| anyhow!("body {code} is not in the registry"))
}

fn guideline(arg: &str, db: &str) -> Result<(Document, Origin)> {
    let (doc, origin) = load_with_origin(arg, db, &DocxArgs::default())?;
    if doc.meta.kind != DocumentKind::Guideline {
        bail!("{arg} is a body's policy, not a guideline edition");
    }
    Ok((doc, origin))
}

fn write_out(output: Option<&Path>, text: &str) -> Result<()> {
    match output {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => crate::output::write_stdout(&mut std::io::stdout().lock(), text.as_bytes()),
    }
}

fn missing_error(missing: &[policy::MissingValue]) -> anyhow::Error {
    let list: Vec<String> = missing
        .iter()
        .map(|m| format!("{{{{{}}}}} (first used in {})", m.name, m.first_used_at))
        .collect();
    anyhow!(
        "no value for {} placeholder(s): {}; give them with --set NAME=VALUE or --profile FILE",
        missing.len(),
        list.join(", ")
    )
}

fn derive(args: &DeriveArgs, db: &str) -> Result<Outcome> {
    let (g, _) = guideline(&args.edition, db)?;
    let body = registry().lookup(&args.body)?;
    let values = policy::profile(body, &given_values(&args.values)?);
    let edition = args
        .policy_edition
        .clone()
        .unwrap_or_else(|| g.meta.edition.clone());
    let doc = policy::derive(&g, body, &values, &edition).map_err(|m| missing_error(&m))?;
    write_out(
        args.output.as_deref(),
        &print(&doc, PrintOptions::default()),
    )?;
    eprintln!(
        "derived {}'s policy ({} clauses) from {}",
        body.name,
        doc.node_count(),
        g.meta.edition
    );
    Ok(Outcome::Ok)
}

fn load_policy(arg: &str, db: &str, docx: &DocxArgs) -> Result<Document> {
    let (doc, _) = load_with_origin(arg, db, docx)?;
    if doc.meta.kind != DocumentKind::Policy {
        bail!("{arg} is a guideline edition, not a body's policy");
    }
    Ok(doc)
}

fn has_provenance(doc: &Document) -> bool {
    doc.nodes().any(|n| n.from.is_some())
}

fn align(args: &AlignArgs, db: &str) -> Result<Outcome> {
    let p = load_policy(&args.policy, db, &args.docx)?;
    let (g, _) = guideline(&args.to, db)?;
    let body = body_of(&p, &args.docx)?;
    let values = policy::profile(body, &given_values(&args.values)?);
    let (aligned, reviews) = policy::align_policy(&p, &g, &values);
    write_out(
        args.output.as_deref(),
        &print(&aligned, PrintOptions::default()),
    )?;
    for r in &reviews {
        eprintln!(
            "review: {} ← {} ({}), similarity {:.2}{}",
            r.policy_path,
            r.guideline_path,
            r.guideline_key,
            r.score,
            r.runner_up
                .map(|s| format!(", runner-up {s:.2}"))
                .unwrap_or_default()
        );
    }
    let linked = aligned.nodes().filter(|n| n.from.is_some()).count();
    eprintln!(
        "{linked} of {} clauses linked to {}; {} omitted; {} pairs to review",
        aligned.node_count(),
        g.meta.edition,
        aligned.meta.omitted.len(),
        reviews.len()
    );
    Ok(Outcome::Ok)
}

/// The changes between two editions, compared once.
fn edition_changes(old: &(Document, Origin), new: &(Document, Origin)) -> EditionChanges {
    let keys = match (old.1, new.1) {
        (Origin::Stored, Origin::Stored) => KeyUse::All,
        (Origin::Stored, Origin::File) => KeyUse::OldAll,
        _ => KeyUse::Pinned,
    };
    EditionChanges::new(&compare(&old.0, &new.0, keys))
}

fn impact_one(args: &ImpactArgs, db: &str) -> Result<Outcome> {
    let arg = args.policy.as_deref().unwrap_or_default();
    let mut p = load_policy(arg, db, &args.docx)?;
    let old = guideline(&args.from, db)?;
    let new = guideline(&args.to, db)?;
    let body = body_of(&p, &args.docx)?;
    if !has_provenance(&p) {
        // A policy written without kaitei: recover its provenance first.
        let values = policy::profile(body, &given_values(&args.values)?);
        p = policy::align_policy(&p, &old.0, &values).0;
        eprintln!(
            "note: {arg} has no provenance; it was aligned to {} first (see `kaitei policy align`)",
            old.0.meta.edition
        );
    }
    let items = policy::impact(&p, &edition_changes(&old, &new));
    let report = [PolicyImpact {
        body: body.code.to_string(),
        name: body.name.clone(),
        edition: p.meta.edition.clone(),
        items: &items,
    }];
    write_report(args, &report)?;
    summarise(&items);
    Ok(Outcome::Ok)
}

fn write_report(args: &ImpactArgs, report: &[PolicyImpact]) -> Result<()> {
    match args.format {
        ImpactFormat::Text => {
            let text: String = report.iter().map(impact_out::to_text).collect();
            write_out(args.output.as_deref(), &text)
        }
        ImpactFormat::Json => match args.output.as_deref() {
            Some(path) => write_atomically(path, (impact_out::to_json(report) + "\n").as_bytes()),
            // Streamed: a national run is tens of megabytes.
            None => crate::output::stream_stdout(|w| impact_out::write_json(report, w)),
        },
        ImpactFormat::Xlsx => {
            let bytes = impact_out::to_xlsx(report)
                .map_err(|e| anyhow!("cannot write the workbook: {e}"))?;
            let path = args
                .output
                .as_deref()
                .ok_or_else(|| anyhow!("an XLSX file is binary: write it with -o FILE"))?;
            write_atomically(path, &bytes)
        }
    }
}

fn summarise(items: &[ImpactItem]) {
    let count = |s| items.iter().filter(|i| i.severity() == s).count();
    eprintln!(
        "{} affected: {} need a decision, {} to check, {} for information",
        items.len(),
        count(Severity::High),
        count(Severity::Medium),
        count(Severity::Low)
    );
}

fn impact_all(args: &ImpactArgs, db: &str) -> Result<Outcome> {
    let old = guideline(&args.from, db)?;
    let new = guideline(&args.to, db)?;
    let changes = edition_changes(&old, &new);
    let rt = runtime()?;
    let store = open_store(&rt, db)?;
    // Each body's current policy: the latest published (then imported).
    let mut current: HashMap<kaitei_model::BodyCode, i64> = HashMap::new();
    for s in rt.block_on(store.list())? {
        if let (DocumentKind::Policy, Some(body)) = (s.kind, s.body) {
            current.insert(body, s.id);
        }
    }
    let mut ids: Vec<(kaitei_model::BodyCode, i64)> = current.into_iter().collect();
    ids.sort();
    let bar = progress::bar(ids.len() as u64, "impact");
    let doc_ids: Vec<i64> = ids.iter().map(|(_, id)| *id).collect();
    let mut results: Vec<(kaitei_model::BodyCode, String, Vec<ImpactItem>)> =
        Vec::with_capacity(ids.len());
    // One policy's outline at a time: read, assessed, dropped.
    rt.block_on(store.each_outline(&doc_ids, |slot, p| {
        bar.inc(1);
        results.push((
            ids[slot].0,
            p.meta.edition.clone(),
            policy::impact(&p, &changes),
        ));
    }))?;
    bar.finish_and_clear();
    results.sort_by_key(|r| r.0);
    let report: Vec<PolicyImpact> = results
        .iter()
        .map(|(code, edition, items)| PolicyImpact {
            body: code.to_string(),
            name: registry()
                .get(*code)
                .map_or_else(String::new, |b| b.name.clone()),
            edition: edition.clone(),
            items,
        })
        .collect();
    write_report(args, &report)?;
    // Per prefecture: bodies with stored policies, bodies needing a
    // decision, items by severity.
    let mut by_pref: BTreeMap<kaitei_model::BodyCode, [usize; 5]> = BTreeMap::new();
    for (code, _, items) in &results {
        let e = by_pref.entry(code.prefecture()).or_default();
        e[0] += 1;
        e[1] += usize::from(items.iter().any(|i| i.severity() == Severity::High));
        for i in items {
            e[2 + (2 - i.severity() as usize)] += 1;
        }
    }
    eprintln!("prefecture\tpolicies\tneeding a decision\thigh\tmedium\tlow");
    for (pref, c) in &by_pref {
        let name = registry().get(*pref).map_or("", |b| b.name.as_str());
        eprintln!(
            "{pref} {name}\t{}\t{}\t{}\t{}\t{}",
            c[0], c[1], c[2], c[3], c[4]
        );
    }
    eprintln!("{} policies", results.len());
    let all: Vec<ImpactItem> = results.into_iter().flat_map(|(_, _, i)| i).collect();
    summarise(&all);
    Ok(Outcome::Ok)
}

fn merge(args: &MergeArgs, db: &str) -> Result<Outcome> {
    let p = load_policy(&args.policy, db, &args.docx)?;
    let (old, _) = guideline(&args.from, db)?;
    let (new, _) = guideline(&args.to, db)?;
    let body = body_of(&p, &args.docx)?;
    let values = policy::profile(body, &given_values(&args.values)?);
    let missing = policy::missing_values(&new, &values);
    if !missing.is_empty() {
        return Err(missing_error(&missing));
    }
    let p = if has_provenance(&p) {
        p
    } else {
        eprintln!(
            "note: {} has no provenance; it was aligned to {} first",
            args.policy, old.meta.edition
        );
        policy::align_policy(&p, &old, &values).0
    };
    let merged = policy::merge(&p, &old, &new, &values);
    write_out(
        args.output.as_deref(),
        &print(&merged.document, PrintOptions::default()),
    )?;
    if let Some(path) = &args.table {
        let cmp = compare(&p, &merged.document, KeyUse::All);
        write_atomically(
            path,
            &docx::to_docx(&cmp, &lay_out(&cmp, 0), &TableOptions::default()),
        )?;
    }
    eprintln!(
        "merged {} into {}'s policy: {} conflict(s) to resolve{}",
        new.meta.edition,
        body.name,
        merged.conflicts,
        if merged.conflicts > 0 {
            " (`kaitei check` lists them)"
        } else {
            ""
        }
    );
    Ok(Outcome::Ok)
}
