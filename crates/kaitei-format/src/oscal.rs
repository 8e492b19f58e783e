//! OSCAL 1.1.2 JSON (NIST's Open Security Controls Assessment Language, the
//! format compliance tools exchange): a guideline edition as a *catalog*,
//! a body's policy as a *profile* importing it, and the body's own clauses
//! as a second catalog the profile also imports. See `docs/oscal.md` for
//! the mapping.
//!
//! - 編, chapters and sections (headings whose ancestors are all headings)
//!   are groups; every other node is a control, and a clause with children
//!   is a control with sub-controls. A node's text is its `statement` part,
//!   its commentary (解説) its `guidance` part (a group's text: `overview`);
//!   placeholders (`{{団体名}}`) are the catalog's params, inserted in prose
//!   as `{{ insert: param, … }}`.
//! - Ids come from keys by [`token`]; uuids are version 5 ([`uuid_v5`]) of
//!   the edition's name (and the body's code and version) and the key, so
//!   the same edition exports the same document.
//! - The profile includes the controls the policy adopted or modified,
//!   excludes those it omitted (each reason a line of the metadata's
//!   remarks), replaces the statement of each modified one (an alteration
//!   removing the guideline's `statement` part and adding the body's),
//!   and sets each placeholder's value.

use std::collections::{BTreeMap, BTreeSet};

use kaitei_model::{Date, Document, Node, NodeKind, Status};
use serde_json::{Value, json};
use sha1::{Digest, Sha1};

/// The OSCAL version written.
pub const OSCAL_VERSION: &str = "1.1.2";

/// The namespace of kaitei's own properties.
pub const NS: &str = "urn:kaitei:oscal";

/// The uuid namespace of kaitei's OSCAL documents: fixed bytes (the ASCII
/// of `kaitei_oscal-ns` and a zero), never to change.
const NAMESPACE: [u8; 16] = [
    0x6b, 0x61, 0x69, 0x74, 0x65, 0x69, 0x5f, 0x6f, 0x73, 0x63, 0x61, 0x6c, 0x2d, 0x6e, 0x73, 0x00,
];

/// Why a document cannot be written as OSCAL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OscalError {
    /// OSCAL needs the date the document was last changed.
    #[error("{0} has no published date (`published:`), which OSCAL's last-modified needs")]
    NoDate(String),
    /// A profile is of a policy, against a guideline edition.
    #[error("{0}")]
    Kind(String),
}

/// The version 5 (SHA-1, name-based) uuid of `name` in `namespace`
/// (RFC 9562), hyphenated.
pub fn uuid_v5_in(namespace: &[u8; 16], name: &str) -> String {
    let mut h = Sha1::new();
    h.update(namespace);
    h.update(name.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The uuid of `name` in kaitei's namespace.
pub fn uuid_v5(name: &str) -> String {
    uuid_v5_in(&NAMESPACE, name)
}

/// Whether `c` is kept as it is in an id: ASCII letters and digits, `.`,
/// `-`, and the kana and kanji (all letters to OSCAL's `\p{L}`).
fn kept(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '.'
        || c == '-'
        || ('\u{3041}'..='\u{3096}').contains(&c)
        || ('\u{30a1}'..='\u{30fa}').contains(&c)
        || c == 'ー'
        || ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// An OSCAL token (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`) from a key or a
/// placeholder name: letters, digits, `.` and `-` kept; every other
/// character (`_` too) written as `_` and two hex digits per UTF-8 byte;
/// `_.` before a key that does not start with a letter. The mapping is
/// one-to-one, so ids never collide.
pub fn token(key: &str) -> String {
    let mut out = String::new();
    if !key
        .chars()
        .next()
        .is_some_and(|c| kept(c) && !c.is_ascii_digit() && c != '.' && c != '-')
    {
        out.push_str("_.");
    }
    for c in key.chars() {
        if kept(c) {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("_{b:02X}"));
            }
        }
    }
    out
}

/// The id of a placeholder's param: `p.` and its name as a token.
pub fn param_id(name: &str) -> String {
    format!("p.{}", token(name).trim_start_matches("_."))
}

/// Prose with placeholders as parameter insertions.
fn prose(s: &str) -> String {
    kaitei_model::text::fill_placeholders(s, |name| {
        Some(format!("{{{{ insert: param, {} }}}}", param_id(name)))
    })
}

fn last_modified(date: Option<Date>, what: &str) -> Result<String, OscalError> {
    let d = date.ok_or_else(|| OscalError::NoDate(what.to_string()))?;
    Ok(format!("{d}T00:00:00+09:00"))
}

/// A node's title: its label and name (`(1) 最高情報セキュリティ責任者`),
/// or its key when it has neither; placeholders inserted as in prose.
fn title_of(n: &Node) -> String {
    let label = n.label.as_ref().map(|l| l.written()).unwrap_or("");
    let name = n.name().unwrap_or("");
    let t = match (label.is_empty(), name.is_empty()) {
        (false, false) if n.title.is_some() => format!("{label} {name}"),
        (false, _) if n.title.is_none() && !name.is_empty() => format!("{label} {name}"),
        (false, _) => label.to_string(),
        (true, false) => name.to_string(),
        (true, true) => n.key.to_string(),
    };
    prose(t.trim())
}

fn part(id: &str, name: &str, text: &[String]) -> Option<Value> {
    let text = text.join("\n\n");
    (!text.trim().is_empty()).then(|| json!({"id": id, "name": name, "prose": prose(&text)}))
}

fn props(n: &Node) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some(l) = &n.label {
        out.push(json!({"name": "label", "value": l.written()}));
    }
    out.push(json!({"name": "key", "ns": NS, "value": n.key.as_str()}));
    out
}

fn control(n: &Node, prefix: &str, keep: &dyn Fn(&Node) -> bool) -> Value {
    let id = format!("{prefix}{}", token(n.key.as_str()));
    let mut c =
        json!({"id": id, "class": n.kind.as_str(), "title": title_of(n), "props": props(n)});
    let parts: Vec<Value> = [
        part(&format!("{id}_smt"), "statement", &n.paragraphs),
        part(&format!("{id}_gdn"), "guidance", &n.commentary),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !parts.is_empty() {
        c["parts"] = Value::Array(parts);
    }
    let children: Vec<Value> = n
        .children
        .iter()
        .filter(|c| keep(c))
        .map(|ch| control(ch, prefix, keep))
        .collect();
    if !children.is_empty() {
        c["controls"] = Value::Array(children);
    }
    c
}

fn group(n: &Node) -> Value {
    let id = token(n.key.as_str());
    let mut g = json!({"id": id, "class": "heading", "title": title_of(n), "props": props(n)});
    let parts: Vec<Value> = [
        part(&format!("{id}_ovw"), "overview", &n.paragraphs),
        part(&format!("{id}_gdn"), "guidance", &n.commentary),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !parts.is_empty() {
        g["parts"] = Value::Array(parts);
    }
    let (groups, controls) = members(&n.children);
    if !groups.is_empty() {
        g["groups"] = Value::Array(groups);
    }
    if !controls.is_empty() {
        g["controls"] = Value::Array(controls);
    }
    g
}

/// Headings become groups, the rest controls.
fn members(nodes: &[Node]) -> (Vec<Value>, Vec<Value>) {
    let mut groups = Vec::new();
    let mut controls = Vec::new();
    for n in nodes {
        if n.kind == NodeKind::Heading {
            groups.push(group(n));
        } else {
            controls.push(control(n, "", &|_| true));
        }
    }
    (groups, controls)
}

/// The placeholders of a document, in order of first use.
fn placeholders(doc: &Document) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for n in doc.nodes() {
        for p in n.placeholders() {
            if seen.insert(p.clone()) {
                out.push(p);
            }
        }
    }
    out
}

/// A guideline edition as an OSCAL catalog.
pub fn catalog(edition: &Document) -> Result<Value, OscalError> {
    let m = &edition.meta;
    let (groups, controls) = members(&edition.children);
    let mut c = json!({
        "uuid": uuid_v5(&format!("catalog:{}", m.edition)),
        "metadata": {
            "title": m.title,
            "last-modified": last_modified(m.published, &m.edition)?,
            "version": m.edition,
            "oscal-version": OSCAL_VERSION,
        },
    });
    let params: Vec<Value> = placeholders(edition)
        .iter()
        .map(|p| json!({"id": param_id(p), "label": p}))
        .collect();
    if !params.is_empty() {
        c["params"] = Value::Array(params);
    }
    if !groups.is_empty() {
        c["groups"] = Value::Array(groups);
    }
    if !controls.is_empty() {
        c["controls"] = Value::Array(controls);
    }
    Ok(json!({ "catalog": c }))
}

/// What a policy's profile is made of.
#[derive(Debug, Clone)]
pub struct ProfileInput<'a> {
    /// The policy, its clauses with their provenance.
    pub policy: &'a Document,
    /// The guideline edition it follows.
    pub edition: &'a Document,
    /// The values of its placeholders.
    pub values: &'a BTreeMap<String, String>,
    /// Where the edition's catalog is (its file name beside the profile).
    pub catalog_href: &'a str,
    /// Where the body's own catalog is.
    pub own_catalog_href: &'a str,
}

/// The prefix of the body's own controls' ids: `b` and its code and `.`.
pub fn own_prefix(policy: &Document) -> String {
    format!(
        "b{}.",
        policy.meta.body.map(|b| b.to_string()).unwrap_or_default()
    )
}

/// A policy as an OSCAL profile, and its own clauses as a catalog (`None`
/// when it added none).
pub fn profile(input: &ProfileInput) -> Result<(Value, Option<Value>), OscalError> {
    let (policy, edition) = (input.policy, input.edition);
    let m = &policy.meta;
    let body = m.body.map(|b| b.to_string()).ok_or_else(|| {
        OscalError::Kind(format!("{} is not a body's policy (no `body:`)", m.title))
    })?;
    let is_control = control_keys(edition);
    let mut included = BTreeSet::new();
    let mut alters = Vec::new();
    for n in policy.nodes() {
        let (Some(from), Some(status)) = (&n.from, n.status) else {
            continue;
        };
        if status == Status::Added || !is_control.contains(from.as_str()) {
            continue;
        }
        let id = token(from.as_str());
        included.insert(id.clone());
        if status == Status::Modified && !n.paragraphs.is_empty() {
            alters.push(json!({
                "control-id": id,
                "removes": [{"by-id": format!("{id}_smt")}],
                "adds": [{"position": "starting", "parts": [{
                    "id": format!("{id}_smt"), "name": "statement",
                    "prose": prose(&n.paragraphs.join("\n\n")),
                }]}],
            }));
        }
    }
    // An omitted section (a group) excludes every control under it.
    let mut excluded_ids = BTreeSet::new();
    let mut excluded: Vec<(String, &str, &str)> = Vec::new();
    for o in &m.omitted {
        let Some(node) = edition.find(&o.from) else {
            continue;
        };
        let ids: Vec<String> = node
            .walk()
            .filter(|n| is_control.contains(n.key.as_str()))
            .map(|n| token(n.key.as_str()))
            .collect();
        if ids.is_empty() {
            continue;
        }
        excluded_ids.extend(ids);
        excluded.push((token(o.from.as_str()), o.from.as_str(), o.reason.as_str()));
    }
    let mut import = json!({"href": input.catalog_href});
    import["include-controls"] = json!([{"with-ids": included.iter().collect::<Vec<_>>()}]);
    if !excluded.is_empty() {
        import["exclude-controls"] = json!([{"with-ids": excluded_ids.iter().collect::<Vec<_>>()}]);
    }
    let own = own_catalog(policy, &body)?;
    let mut imports = vec![import];
    if own.is_some() {
        imports.push(json!({"href": input.own_catalog_href, "include-all": {}}));
    }
    let known: BTreeSet<String> = placeholders(edition).into_iter().collect();
    let set: Vec<Value> = input
        .values
        .iter()
        .filter(|(k, v)| known.contains(*k) && !v.trim().is_empty())
        .map(|(k, v)| json!({"param-id": param_id(k), "values": [v]}))
        .collect();
    let mut modify = json!({});
    if !set.is_empty() {
        modify["set-parameters"] = Value::Array(set);
    }
    if !alters.is_empty() {
        modify["alters"] = Value::Array(alters);
    }
    let mut metadata = json!({
        "title": m.title,
        "last-modified": last_modified(m.published, &m.title)?,
        "version": m.edition,
        "oscal-version": OSCAL_VERSION,
        "props": [{"name": "body-code", "ns": NS, "value": body}],
    });
    if let (Some(d), Some(props)) = (&m.derived_from, metadata["props"].as_array_mut()) {
        props.push(json!({"name": "derived-from", "ns": NS, "value": d}));
    }
    if !excluded.is_empty() {
        let lines: Vec<String> = excluded
            .iter()
            .map(|(id, key, reason)| format!("- 除外 {id}（{key}）: {reason}"))
            .collect();
        metadata["remarks"] = Value::String(lines.join("\n"));
    }
    let mut p = json!({
        "uuid": uuid_v5(&format!("profile:{body}:{}", m.edition)),
        "metadata": metadata,
        "imports": imports,
        "merge": {"as-is": true},
    });
    if modify.as_object().is_some_and(|o| !o.is_empty()) {
        p["modify"] = modify;
    }
    Ok((json!({ "profile": p }), own))
}

/// The keys of an edition's nodes that are controls: every node but the
/// headings whose ancestors are all headings.
fn control_keys(edition: &Document) -> BTreeSet<&str> {
    fn visit<'a>(nodes: &'a [Node], in_control: bool, out: &mut BTreeSet<&'a str>) {
        for n in nodes {
            let control = in_control || n.kind != NodeKind::Heading;
            if control {
                out.insert(n.key.as_str());
            }
            visit(&n.children, control, out);
        }
    }
    let mut out = BTreeSet::new();
    visit(&edition.children, false, &mut out);
    out
}

/// The body's own clauses (`status=added`) as a catalog: each that is not
/// under another of them a control, its own added children sub-controls.
fn own_catalog(policy: &Document, body: &str) -> Result<Option<Value>, OscalError> {
    let m = &policy.meta;
    let prefix = own_prefix(policy);
    let added = |n: &Node| n.status == Some(Status::Added);
    let mut tops = Vec::new();
    fn visit<'a>(nodes: &'a [Node], under_added: bool, out: &mut Vec<&'a Node>) {
        for n in nodes {
            let is = n.status == Some(Status::Added);
            if is && !under_added {
                out.push(n);
            }
            visit(&n.children, under_added || is, out);
        }
    }
    visit(&policy.children, false, &mut tops);
    if tops.is_empty() {
        return Ok(None);
    }
    let controls: Vec<Value> = tops.iter().map(|n| control(n, &prefix, &added)).collect();
    Ok(Some(json!({"catalog": {
        "uuid": uuid_v5(&format!("own-catalog:{body}:{}", m.edition)),
        "metadata": {
            "title": format!("{}（団体独自の条項）", m.title),
            "last-modified": last_modified(m.published, &m.title)?,
            "version": m.edition,
            "oscal-version": OSCAL_VERSION,
        },
        "controls": controls,
    }})))
}

#[cfg(test)]
#[path = "oscal_tests.rs"]
mod tests;
