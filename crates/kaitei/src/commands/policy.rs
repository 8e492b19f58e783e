//! `kaitei policy derive|align|impact|merge`

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use kaitei_app::national::{Assessment, Tally, tally_by_prefecture};
use kaitei_app::policies::with_provenance;
use kaitei_app::table::key_use;
use kaitei_compare::policy::{
    self, EditionChanges, ImpactItem, Inference, InferredValue, Severity,
};
use kaitei_compare::view::lay_out;
use kaitei_compare::{KeyUse, compare};
use kaitei_format::authoring::{PrintOptions, print};
use kaitei_model::{Body, Document, DocumentKind, registry};
use kaitei_report::impact::{self as impact_out, PolicyImpact};
use kaitei_report::table::{TableOptions, docx};
use kaitei_store::PolicyScope;

use super::export::{write_atomically, write_atomically_with};
use crate::Outcome;
use crate::cli::{
    AlignArgs, DeriveArgs, DocxArgs, ImpactArgs, ImpactFormat, MergeArgs, PolicyCommand, ValueArgs,
};
use crate::input::{Database, Origin, load_with_origin};
use crate::progress;

pub fn exec(command: PolicyCommand, db: &Database) -> Result<Outcome> {
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

fn guideline(arg: &str, db: &Database) -> Result<(Document, Origin)> {
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

fn derive(args: &DeriveArgs, db: &Database) -> Result<Outcome> {
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

fn load_policy(arg: &str, db: &Database, docx: &DocxArgs) -> Result<Document> {
    let (doc, _) = load_with_origin(arg, db, docx)?;
    if doc.meta.kind != DocumentKind::Policy {
        bail!("{arg} is a guideline edition, not a body's policy");
    }
    Ok(doc)
}

fn align(args: &AlignArgs, db: &Database) -> Result<Outcome> {
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
    let keys = key_use(old.1 == Origin::Stored, new.1 == Origin::Stored);
    EditionChanges::new(&compare(&old.0, &new.0, keys))
}

/// `p` with its provenance: as recorded, or recovered against `old`
/// (saying so) for a policy written without kaitei.
fn provenance_of<'a>(
    p: &'a Document,
    arg: &str,
    old: &Document,
    values: &BTreeMap<String, String>,
) -> Cow<'a, Document> {
    let doc = with_provenance(p, old, values);
    if matches!(doc, Cow::Owned(_)) {
        eprintln!(
            "note: {arg} has no provenance; it was aligned to {} first (see `kaitei policy align`)",
            old.meta.edition
        );
    }
    doc
}

fn impact_one(args: &ImpactArgs, db: &Database) -> Result<Outcome> {
    let arg = args.policy.as_deref().unwrap_or_default();
    let p = load_policy(arg, db, &args.docx)?;
    let old = guideline(&args.from, db)?;
    let new = guideline(&args.to, db)?;
    let body = body_of(&p, &args.docx)?;
    let known = policy::known_values(body, &p.meta.values, &given_values(&args.values)?);
    let p = provenance_of(&p, arg, &old.0, &known);
    let settled = policy::settle_values(&p, &old.0, &new.0, &known);
    let items = policy::impact(&p, &edition_changes(&old, &new));
    let report = [PolicyImpact {
        body: body.code.to_string(),
        name: body.name.clone(),
        edition: p.meta.edition.clone(),
        items: &items,
        values: &settled.inferred,
    }];
    write_report(args, &report)?;
    report_values(&settled.inferred);
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
            Some(path) => write_atomically_with(path, |w| impact_out::write_json(report, w)),
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

/// Lists on stderr the clauses merged within: where the guideline's change
/// was applied to the body's wording, with the words it wrote.
fn report_within(merged: &policy::Merged) {
    if merged.merged_within.is_empty() {
        return;
    }
    let located = merged.document.located();
    for w in &merged.merged_within {
        let path = located
            .iter()
            .find(|l| l.node.key == w.key)
            .map_or_else(|| w.key.to_string(), |l| l.path.join(" / "));
        let words: String = w.words.iter().map(|x| format!("「{x}」")).collect();
        eprintln!(
            "merged within {path} (status=modified): the guideline's change of {} applied to the body's wording{}",
            w.from,
            if words.is_empty() {
                " (words deleted)".to_string()
            } else {
                format!(", writing {words}")
            }
        );
    }
    eprintln!(
        "{} clause(s) both the body and the guideline changed were merged within the clause; {} remain conflicts",
        merged.merged_within.len(),
        merged.conflicts
    );
}

/// Lists on stderr what the policy's text showed for each placeholder
/// without a value, for the body to confirm.
fn report_values(inferred: &[InferredValue]) {
    let evidence = |c: &policy::Candidate| -> String {
        c.evidence
            .iter()
            .map(|e| {
                format!(
                    "{} ← {} ({})",
                    e.policy_path, e.guideline_path, e.guideline_key
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    for i in inferred {
        match &i.inference {
            Inference::Inferred(c) => eprintln!(
                "inferred {{{{{}}}}} = {} from {}; confirm it with --set {}={} (kept in the policy's front matter)",
                i.name,
                c.value,
                evidence(c),
                i.name,
                c.value
            ),
            Inference::Conflicting(cs) => {
                eprintln!(
                    "conflicting values for {{{{{}}}}}: left unfilled; choose one with --set {}=VALUE:",
                    i.name, i.name
                );
                for c in cs {
                    eprintln!("  {} from {}", c.value, evidence(c));
                }
            }
            Inference::NotFound => eprintln!(
                "no value for {{{{{}}}}} (first used in {}): the policy's text does not show it; left in place, give it with --set {}=VALUE",
                i.name, i.first_used_at, i.name
            ),
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

fn impact_all(args: &ImpactArgs, db: &Database) -> Result<Outcome> {
    // Every policy's outline and megabytes of their texts, read once.
    db.map_reads();
    let old = guideline(&args.from, db)?;
    let new = guideline(&args.to, db)?;
    let changes = Arc::new(edition_changes(&old, &new));
    let app = db.app()?;
    // Each body's current policy, by the one rule (kaitei_app::policies).
    let current = db.block_on(app.store().current_policies(PolicyScope::Latest))?;
    let bar = progress::bar(current.len() as u64, "impact");
    let targets = current.into_iter().map(|p| (p, changes.clone())).collect();
    let assessed = db.block_on(app.assess_inferring(targets, (&old.0, &new.0), || bar.inc(1)))?;
    bar.finish_and_clear();
    let unaligned: Vec<String> = assessed
        .iter()
        .filter(|a| a.assessment == Assessment::Unaligned)
        .map(|a| a.body.to_string())
        .collect();
    let report: Vec<PolicyImpact> = assessed
        .iter()
        .filter_map(|a| match &a.assessment {
            Assessment::Items(items) => Some(PolicyImpact {
                body: a.body.to_string(),
                name: registry()
                    .get(a.body)
                    .map_or_else(String::new, |b| b.name.clone()),
                edition: a.version.clone(),
                items,
                values: &a.values,
            }),
            Assessment::Unaligned => None,
        })
        .collect();
    write_report(args, &report)?;
    eprintln!("prefecture\tpolicies\tneeding a decision\thigh\tmedium\tlow\twithout provenance");
    let mut everyone = Tally::default();
    for (pref, t) in tally_by_prefecture(&assessed) {
        let name = registry().get(pref).map_or("", |b| b.name.as_str());
        let [high, medium, low] = t.severities;
        eprintln!(
            "{pref} {name}\t{}\t{}\t{high}\t{medium}\t{low}\t{}",
            t.policies, t.needing_decision, t.unaligned
        );
        everyone.merge(&t);
    }
    eprintln!("{} policies", everyone.policies);
    if !unaligned.is_empty() {
        eprintln!(
            "{} policies record no provenance and were not assessed (align them first, `kaitei policy align`): {}",
            unaligned.len(),
            unaligned.join(", ")
        );
    }
    let [high, medium, low] = everyone.severities;
    eprintln!(
        "{} affected: {high} need a decision, {medium} to check, {low} for information",
        high + medium + low
    );
    report_national_values(&assessed);
    Ok(Outcome::Ok)
}

/// Per placeholder, over every policy assessed: how many showed a value
/// in their wording, how many two different ones, how many none (each
/// policy's values and evidence are in the report: `values`).
fn report_national_values(assessed: &[kaitei_app::BodyAssessment]) {
    let mut counts: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for a in assessed {
        for v in &a.values {
            let slot = match v.inference {
                Inference::Inferred(_) => 0,
                Inference::Conflicting(_) => 1,
                Inference::NotFound => 2,
            };
            counts.entry(v.name.as_str()).or_default()[slot] += 1;
        }
    }
    for (name, [inferred, conflicting, not_found]) in counts {
        eprintln!(
            "placeholder {{{{{name}}}}}: inferred in {inferred} policies, conflicting in {conflicting}, not found in {not_found} (each policy's in the report's `values`)"
        );
    }
}

fn merge(args: &MergeArgs, db: &Database) -> Result<Outcome> {
    let p = load_policy(&args.policy, db, &args.docx)?;
    let (old, _) = guideline(&args.from, db)?;
    let (new, _) = guideline(&args.to, db)?;
    let body = body_of(&p, &args.docx)?;
    let given = given_values(&args.values)?;
    let known = policy::known_values(body, &p.meta.values, &given);
    let p = provenance_of(&p, &args.policy, &old, &known);
    let settled = policy::settle_values(&p, &old, &new, &known);
    let values = settled.values;
    let mut merged = policy::merge(&p, &old, &new, &values);
    // What the body confirmed stays with its policy: the values it had and
    // those given now. Inferred ones are listed for it to confirm.
    merged.document.meta.values.extend(given);
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
    report_values(&settled.inferred);
    report_within(&merged);
    for note in &merged.notes {
        eprintln!("review: {note}");
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
