//! `kaitei consult cluster FILE.json [-o FILE]`: the comments of a JSON
//! array, each given the number of its cluster. Offline: no database.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use kaitei_compare::cluster::{Comment, Pins, cluster};
use serde_json::Value;

use crate::Outcome;

pub fn exec(file: &Path, output: Option<&Path>) -> Result<Outcome> {
    let shown = file.display();
    let text = std::fs::read_to_string(file).map_err(|e| anyhow!("{shown}: cannot read: {e}"))?;
    let mut comments = read(&text).map_err(|e| anyhow!("{shown}: {e}"))?;
    let count = label(&mut comments).map_err(|e| anyhow!("{shown}: {e}"))?;
    let mut json = serde_json::to_string_pretty(&comments)?;
    json.push('\n');
    match output {
        Some(path) => std::fs::write(path, json)
            .map_err(|e| anyhow!("{}: cannot write: {e}", path.display()))?,
        None => print!("{json}"),
    }
    eprintln!("{} comments in {count} clusters", comments.len());
    Ok(Outcome::Ok)
}

/// The array of comments: anything else is refused, saying what it was.
fn read(text: &str) -> Result<Vec<Value>> {
    match serde_json::from_str::<Value>(text).map_err(|e| anyhow!("not JSON: {e}"))? {
        Value::Array(items) => Ok(items),
        other => bail!(
            "expected a JSON array of comments, found {}",
            kind_of(&other)
        ),
    }
}

/// Adds `cluster` to every comment (replacing one that is there, in its
/// place; fields keep their order) and returns how many clusters there are.
fn label(comments: &mut [Value]) -> Result<usize> {
    let mut input = Vec::with_capacity(comments.len());
    let mut clauses = Vec::with_capacity(comments.len());
    for (i, c) in comments.iter().enumerate() {
        let Value::Object(fields) = c else {
            bail!("element {i}: expected an object, found {}", kind_of(c));
        };
        let text = match fields.get("text") {
            Some(Value::String(s)) => s.as_str(),
            Some(other) => bail!(
                "element {i}: \"text\" must be a string, found {}",
                kind_of(other)
            ),
            None => bail!("element {i}: no \"text\""),
        };
        clauses.push(clause(fields.get("clause")).map_err(|e| anyhow!("element {i}: {e}"))?);
        input.push(text);
    }
    let comments_in: Vec<Comment> = input
        .iter()
        .zip(&clauses)
        .map(|(&text, clause)| Comment {
            text,
            clause: clause.as_deref(),
        })
        .collect();
    let clusters = cluster(&comments_in, &Pins::default());
    for (c, n) in comments.iter_mut().zip(&clusters) {
        if let Value::Object(fields) = c {
            fields.insert("cluster".to_string(), Value::from(n + 1));
        }
    }
    Ok(clusters.iter().max().map_or(0, |m| m + 1))
}

/// A clause as a key (`"g-3.3-3"`) or a label path, written as one string
/// (`"第2編 3.3 (3)"`) or as an array of labels (`["第2編", "3.3", "(3)"]`,
/// the same clause as the string with its labels run together).
fn clause(v: Option<&Value>) -> Result<Option<String>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Array(parts)) => parts
            .iter()
            .map(|p| p.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .map(|labels| Some(labels.join(" ")))
            .ok_or_else(|| anyhow!("\"clause\" as an array must hold strings (labels)")),
        Some(other) => bail!(
            "\"clause\" must be a string or an array of labels, found {}",
            kind_of(other)
        ),
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
