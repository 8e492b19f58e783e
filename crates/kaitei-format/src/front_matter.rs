//! The YAML front matter: reading it into [`Metadata`] with line-accurate
//! diagnostics, and writing it back.

use std::collections::{BTreeMap, HashMap};

use kaitei_model::{Amendment, Date, DocumentKind, Key, Metadata, Omission, registry};
use serde::Serialize;
use serde_yaml_ng::Value;

use crate::diagnostic::Diagnostic;

const KNOWN_FIELDS: [&str; 10] = [
    "kind",
    "title",
    "edition",
    "published",
    "body",
    "derived_from",
    "omitted",
    "number",
    "amendments",
    "values",
];

/// The most bytes of front matter read. A real one is a few hundred bytes;
/// a long `omitted:` list with reasons stays well under this.
pub const MAX_FRONT_MATTER_BYTES: usize = 256 * 1024;

/// The deepest nesting of front matter read: block levels, `- ` items and
/// `[`/`{` together. Real front matter nests three deep (`omitted:`, its
/// list, an entry).
pub const MAX_FRONT_MATTER_DEPTH: usize = 16;

/// Reads front matter text. `first_line` is the file line of the first YAML
/// line, so diagnostics point into the file. Always returns metadata (with
/// empty fields where the input was wrong) plus what was wrong.
///
/// Front matter over [`MAX_FRONT_MATTER_BYTES`] or nested deeper than
/// [`MAX_FRONT_MATTER_DEPTH`] is refused before the YAML parser sees it:
/// the parser takes time faster than linear in the depth (`x: [[[[…`
/// 100,000 deep took 45 s to be refused with "recursion limit exceeded").
pub fn read(yaml: &str, first_line: usize) -> (Metadata, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let meta = Metadata::new(DocumentKind::Policy, "", "");
    if let Some(refused) = refuse_before_parsing(yaml, first_line) {
        diags.push(refused);
        return (meta, diags);
    }
    // The line of each top-level `field:`, found once: looking each field
    // up by scanning the lines made 25,000 unknown fields take 14 s.
    let mut lines: HashMap<&str, usize> = HashMap::new();
    for (i, l) in yaml.lines().enumerate() {
        if let Some((field, _)) = l.split_once(':') {
            lines.entry(field.trim_end()).or_insert(first_line + i);
        }
    }
    let line_of = |field: &str| -> usize { lines.get(field).copied().unwrap_or(first_line) };
    let map = match serde_yaml_ng::from_str::<Value>(yaml) {
        Ok(Value::Mapping(m)) => m,
        Ok(Value::Null) => {
            diags.push(Diagnostic::error(
                first_line,
                "the front matter is empty: it needs at least `kind:`, `title:` and `edition:`",
            ));
            return (meta, diags);
        }
        Ok(_) => {
            diags.push(Diagnostic::error(
                first_line,
                "the front matter is not a list of `field: value` lines",
            ));
            return (meta, diags);
        }
        Err(e) => {
            let line = e
                .location()
                .map_or(first_line, |l| first_line + l.line().saturating_sub(1));
            diags.push(Diagnostic::error(
                line,
                format!("the front matter is not valid YAML: {e}"),
            ));
            return (meta, diags);
        }
    };
    let (meta, more) = read_fields(&map, &line_of, first_line, true);
    diags.extend(more);
    (meta, diags)
}

/// What the YAML parser must not be given: front matter too large, or
/// nested too deep. The nesting is measured the way YAML nests — block
/// levels by indentation, `- ` and `? ` entries, `[` and `{` in flow
/// context — outside quoted strings, comments and block scalars, so
/// brackets in text (`title: 規程[改正]`) are not counted. It is close to
/// what the parser will see (a `- ` list at its key's indentation counts a
/// level less), which is enough for a limit so far above real use, and it
/// runs in one pass.
fn refuse_before_parsing(yaml: &str, first_line: usize) -> Option<Diagnostic> {
    if yaml.len() > MAX_FRONT_MATTER_BYTES {
        let newlines = yaml.as_bytes()[..MAX_FRONT_MATTER_BYTES]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let line = first_line + newlines;
        return Some(Diagnostic::error(
            line,
            format!(
                "the front matter is over {} KiB (it reaches that here): kaitei reads at most {} KiB of it; is a closing `---` line missing?",
                MAX_FRONT_MATTER_BYTES / 1024,
                MAX_FRONT_MATTER_BYTES / 1024
            ),
        ));
    }
    let depth = nesting(yaml);
    let line = depth.too_deep_at?;
    Some(Diagnostic::error(
        first_line + line,
        format!(
            "the front matter nests deeper than {MAX_FRONT_MATTER_DEPTH} levels here (`[`, `{{`, `- ` or indentation): write it flat, as `field: value` lines"
        ),
    ))
}

/// The result of [`nesting`].
#[derive(Debug, PartialEq, Eq)]
struct Nesting {
    /// The deepest nesting seen (up to the limit).
    deepest: usize,
    /// The 0-based line where nesting first went past
    /// [`MAX_FRONT_MATTER_DEPTH`].
    too_deep_at: Option<usize>,
}

/// Scans YAML for how deep it nests, stopping where it passes the limit.
fn nesting(yaml: &str) -> Nesting {
    #[derive(Clone, Copy, PartialEq)]
    enum Quote {
        Single,
        Double,
    }
    let mut result = Nesting {
        deepest: 0,
        too_deep_at: None,
    };
    // Indentation of the open block levels.
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    let mut quote: Option<Quote> = None;
    // A block scalar (`|`, `>`) runs over the lines indented more than the
    // line that opened it.
    let mut block_scalar: Option<usize> = None;
    for (number, line) in yaml.split('\n').enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if let Some(parent) = block_scalar {
            if rest.is_empty() || indent > parent {
                continue;
            }
            block_scalar = None;
        }
        let mut block = indents.len();
        // Where a value may start: flow collections and quotes open only
        // there (or anywhere inside a flow collection).
        let mut value_start = true;
        let mut chars = rest.chars().peekable();
        if quote.is_none() && flow == 0 {
            if rest.is_empty() || rest.starts_with('#') {
                continue;
            }
            while indents.last().is_some_and(|&i| i > indent) {
                indents.pop();
            }
            if indents.last().is_none_or(|&i| i < indent) {
                indents.push(indent);
            }
            block = indents.len();
        }
        let mut previous = ' ';
        while let Some(c) = chars.next() {
            match quote {
                Some(Quote::Double) => {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => quote = None,
                        _ => {}
                    }
                    previous = c;
                    continue;
                }
                Some(Quote::Single) => {
                    if c == '\'' {
                        // `''` is a quote inside the string.
                        if chars.peek() == Some(&'\'') {
                            chars.next();
                        } else {
                            quote = None;
                        }
                    }
                    previous = c;
                    continue;
                }
                None => {}
            }
            if c == '#' && previous.is_whitespace() {
                break; // a comment to the end of the line
            }
            if flow > 0 {
                match c {
                    '[' | '{' => flow += 1,
                    ']' | '}' => {
                        flow -= 1;
                        // A closed collection is a whole value.
                        value_start = false;
                    }
                    '"' => quote = Some(Quote::Double),
                    '\'' => quote = Some(Quote::Single),
                    _ => {}
                }
            } else if value_start {
                match c {
                    ' ' | '\t' => {}
                    '-' | '?' if chars.peek().is_none_or(|&n| n == ' ') => block += 1,
                    '[' | '{' => flow = 1,
                    '"' => {
                        quote = Some(Quote::Double);
                        value_start = false;
                    }
                    '\'' => {
                        quote = Some(Quote::Single);
                        value_start = false;
                    }
                    '|' | '>' => {
                        block_scalar = Some(indent);
                        break;
                    }
                    // Anchors and tags come before the value.
                    '&' | '!' => while chars.next_if(|&n| n != ' ').is_some() {},
                    _ => value_start = false,
                }
            } else if c == ':' && chars.peek().is_none_or(|&n| n == ' ') {
                // The end of a key: a value may start after it.
                value_start = true;
            }
            previous = c;
            let depth = block + flow;
            result.deepest = result.deepest.max(depth);
            if depth > MAX_FRONT_MATTER_DEPTH {
                result.too_deep_at = Some(number);
                return result;
            }
        }
    }
    result
}

/// Reads front-matter fields from a map of values (from YAML, or built from
/// a Word file's document properties). `line_of` gives the line of a field;
/// `require_body` makes a policy without `body:` an error (a Word file may
/// leave it to the command line).
pub fn read_fields(
    map: &serde_yaml_ng::Mapping,
    line_of: &dyn Fn(&str) -> usize,
    first_line: usize,
    require_body: bool,
) -> (Metadata, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut meta = Metadata::new(DocumentKind::Policy, "", "");
    let text = |name: &str, diags: &mut Vec<Diagnostic>| -> Option<String> {
        match map.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            Some(_) => {
                diags.push(Diagnostic::error(
                    line_of(name),
                    format!("`{name}:` must be a single value"),
                ));
                None
            }
        }
    };
    for key in map.keys() {
        let name = key.as_str().unwrap_or("?");
        if !KNOWN_FIELDS.contains(&name) {
            diags.push(Diagnostic::warning(
                line_of(name),
                format!(
                    "unknown front-matter field `{name}` is ignored (known: {})",
                    KNOWN_FIELDS.join(", ")
                ),
            ));
        }
    }
    match text("kind", &mut diags) {
        None => diags.push(Diagnostic::error(
            first_line,
            "the front matter has no `kind:`; write `kind: guideline` or `kind: policy`",
        )),
        Some(k) => match DocumentKind::parse(&k) {
            Some(kind) => meta.kind = kind,
            None => diags.push(Diagnostic::error(
                line_of("kind"),
                format!("unknown kind `{k}`: write `kind: guideline` or `kind: policy`"),
            )),
        },
    }
    match text("title", &mut diags) {
        Some(t) if !t.is_empty() => meta.title = t,
        _ => diags.push(Diagnostic::error(
            line_of("title"),
            "the front matter has no `title:`",
        )),
    }
    match text("edition", &mut diags) {
        Some(e) if !e.is_empty() => meta.edition = e,
        _ => diags.push(Diagnostic::error(
            line_of("edition"),
            "the front matter has no `edition:` (the edition's name, e.g. `令和7年3月版`)",
        )),
    }
    if let Some(p) = text("published", &mut diags) {
        match Date::parse_iso(&p) {
            Some(d) => meta.published = Some(d),
            None => diags.push(Diagnostic::error(
                line_of("published"),
                format!("`published: {p}` is not a date: write it as YYYY-MM-DD, e.g. 2025-03-28"),
            )),
        }
    }
    match (text("body", &mut diags), map.get("body")) {
        (Some(b), Some(Value::Number(_))) if b.len() != 6 => diags.push(Diagnostic::error(
            line_of("body"),
            format!(
                "`body: {b}` lost its leading zero: write the code in quotes, e.g. body: \"011002\""
            ),
        )),
        (Some(b), _) => match registry().lookup(&b) {
            Ok(body) => meta.body = Some(body.code),
            Err(e) => diags.push(Diagnostic::error(line_of("body"), e.to_string())),
        },
        (None, _) => {}
    }
    meta.derived_from = text("derived_from", &mut diags).filter(|s| !s.is_empty());
    // `kind` as read (trimmed) and a `body:` with no value: the front matter
    // is printed that way, so a policy without a body must be an error here
    // too, or it would print as a file with an error.
    if require_body
        && map.get("kind").and_then(Value::as_str).map(str::trim) == Some("policy")
        && map.get("body").is_none_or(Value::is_null)
    {
        diags.push(Diagnostic::error(
            first_line,
            "a policy needs `body:` (the body's six-digit local-government code in quotes)",
        ));
    }
    if let Some(v) = map.get("omitted") {
        meta.omitted = read_omitted(v, line_of("omitted"), &mut diags);
    }
    meta.number = text("number", &mut diags).filter(|s| !s.is_empty());
    if let Some(v) = map.get("amendments").filter(|v| !v.is_null()) {
        meta.amendments = read_amendments(v, line_of("amendments"), &mut diags);
    }
    if let Some(v) = map.get("values").filter(|v| !v.is_null()) {
        meta.values = read_values(v, line_of("values"), &mut diags);
    }
    (meta, diags)
}

/// Reads `amendments: [{date: 2023-03-31, number: 訓令第1号}, …]`.
fn read_amendments(v: &Value, line: usize, diags: &mut Vec<Diagnostic>) -> Vec<Amendment> {
    let Value::Sequence(items) = v else {
        diags.push(Diagnostic::error(
            line,
            "`amendments:` must be a list like [{date: 2023-03-31, number: 訓令第1号}]",
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = |name: &str| match item.get(name) {
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        match field("date").as_deref().map(|d| (d, Date::parse_iso(d))) {
            Some((_, Some(date))) => out.push(Amendment {
                date,
                number: field("number").unwrap_or_default(),
            }),
            Some((d, None)) => diags.push(Diagnostic::error(
                line,
                format!(
                    "`amendments:` entry {}: `date: {d}` is not a date: write it as YYYY-MM-DD",
                    i + 1
                ),
            )),
            None => diags.push(Diagnostic::error(
                line,
                format!("`amendments:` entry {} has no `date:`", i + 1),
            )),
        }
    }
    out
}

/// Reads `values: {CISO職名: 副市長, …}`: the placeholder values the body
/// confirmed.
fn read_values(v: &Value, line: usize, diags: &mut Vec<Diagnostic>) -> BTreeMap<String, String> {
    let Value::Mapping(map) = v else {
        diags.push(Diagnostic::error(
            line,
            "`values:` must be a map of placeholder values like {CISO職名: 副市長}",
        ));
        return BTreeMap::new();
    };
    let mut out = BTreeMap::new();
    for (k, v) in map {
        let text = |v: &Value| match v {
            Value::String(s) => Some(s.trim().to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        match (text(k).filter(|k| !k.is_empty()), text(v)) {
            (Some(k), Some(v)) => {
                out.insert(k, v);
            }
            (Some(k), None) => diags.push(Diagnostic::error(
                line,
                format!("`values:` the value of `{k}` must be text"),
            )),
            (None, _) => diags.push(Diagnostic::error(
                line,
                "`values:` a placeholder's name must be text",
            )),
        }
    }
    out
}

fn read_omitted(v: &Value, line: usize, diags: &mut Vec<Diagnostic>) -> Vec<Omission> {
    let Value::Sequence(items) = v else {
        diags.push(Diagnostic::error(
            line,
            "`omitted:` must be a list like [{from: KEY, reason: \"…\"}]",
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = |name: &str| item.get(name).and_then(Value::as_str).map(str::trim);
        let from = field("from").and_then(Key::new);
        let reason = field("reason").filter(|r| !r.is_empty());
        match (from, reason) {
            (Some(from), Some(reason)) => out.push(Omission {
                from,
                reason: reason.to_string(),
            }),
            (None, _) => diags.push(Diagnostic::error(
                line,
                format!("`omitted:` entry {} has no valid `from:` key", i + 1),
            )),
            (Some(from), None) => diags.push(Diagnostic::error(
                line,
                format!("`omitted:` entry for {from} needs a `reason:`"),
            )),
        }
    }
    out
}

#[derive(Serialize)]
struct FrontMatterOut<'a> {
    kind: &'a str,
    title: &'a str,
    edition: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    derived_from: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    omitted: Vec<OmissionOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    amendments: Vec<AmendmentOut<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    values: &'a BTreeMap<String, String>,
}

#[derive(Serialize)]
struct AmendmentOut<'a> {
    date: String,
    #[serde(skip_serializing_if = "str::is_empty")]
    number: &'a str,
}

#[derive(Serialize)]
struct OmissionOut<'a> {
    from: &'a str,
    reason: &'a str,
}

/// Writes metadata as front matter, including the `---` lines.
pub fn write(meta: &Metadata) -> String {
    let out = FrontMatterOut {
        kind: meta.kind.as_str(),
        title: &meta.title,
        edition: &meta.edition,
        published: meta.published.map(|d| d.to_string()),
        body: meta.body.map(|b| b.to_string()),
        derived_from: meta.derived_from.as_deref(),
        omitted: meta
            .omitted
            .iter()
            .map(|o| OmissionOut {
                from: o.from.as_str(),
                reason: &o.reason,
            })
            .collect(),
        number: meta.number.as_deref(),
        amendments: meta
            .amendments
            .iter()
            .map(|a| AmendmentOut {
                date: a.date.to_string(),
                number: &a.number,
            })
            .collect(),
        values: &meta.values,
    };
    // Serialising plain strings and lists cannot fail.
    let yaml = serde_yaml_ng::to_string(&out).unwrap_or_default();
    format!("---\n{yaml}---\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(yaml: &str) -> Vec<String> {
        read(yaml, 2)
            .1
            .into_iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect()
    }

    #[test]
    fn reads_a_policy() {
        let (meta, diags) = read(
            "kind: policy\ntitle: 千代田区情報セキュリティポリシー\nedition: 令和7年度版\npublished: 2025-04-01\nbody: \"131016\"\nderived_from: 令和7年3月版\nomitted: [{from: g-3.2-2, reason: \"無窓構造でないため\"}]\n",
            2,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(meta.kind, DocumentKind::Policy);
        assert_eq!(meta.body.map(|b| b.to_string()).as_deref(), Some("131016"));
        assert_eq!(meta.omitted.len(), 1);
        assert_eq!(meta.omitted[0].from.as_str(), "g-3.2-2");
        let again = read(
            write(&meta)
                .trim_start_matches("---\n")
                .trim_end_matches("---\n"),
            2,
        );
        assert_eq!(again.0, meta);
    }

    /// Issue #10, item 3: `x: [[[[…` 100,000 deep took 45 s to be refused
    /// by the YAML parser; now it is refused before the parser sees it.
    #[test]
    fn deep_front_matter_is_refused_before_parsing() {
        let deep = 100_000;
        for (yaml, line) in [
            (format!("kind: guideline\nx: {}\n", "[".repeat(deep)), 3),
            (format!("kind: guideline\nx: {}\n", "{".repeat(deep)), 3),
            (format!("kind: guideline\nx:\n{}a\n", "- ".repeat(deep)), 4),
            (format!("kind: guideline\n{}a\n", "? ".repeat(deep)), 3),
            // Opened on one line, nested over many.
            (format!("kind: guideline\nx: [\n{}", "[\n".repeat(deep)), 18),
        ] {
            assert_eq!(
                errors(&yaml),
                [format!(
                    "{line}: the front matter nests deeper than 16 levels here (`[`, `{{`, `- ` or indentation): write it flat, as `field: value` lines"
                )]
            );
        }
        let indented: String = (0..100)
            .map(|i| format!("{}a{i}:\n", " ".repeat(i)))
            .collect();
        assert_eq!(
            errors(&indented),
            [
                "18: the front matter nests deeper than 16 levels here (`[`, `{`, `- ` or indentation): write it flat, as `field: value` lines"
            ]
        );
    }

    #[test]
    fn nesting_is_measured_as_yaml_nests() {
        let depth = |yaml: &str| nesting(yaml).deepest;
        assert_eq!(depth("kind: policy\ntitle: t\n"), 1);
        assert_eq!(depth("omitted: [{from: a, reason: \"b\"}]\n"), 3);
        assert_eq!(depth("omitted:\n  - from: a\n    reason: b\n"), 3);
        // A `- ` list at its key's indentation counts one level less than
        // the parser sees: close enough for a limit this far from real use.
        assert_eq!(depth("omitted:\n- from: a\n  reason: b\n"), 2);
        // Brackets in text, quotes, comments and block scalars are not
        // nesting.
        let sixty = "[".repeat(60);
        for text in [
            format!("title: 規程{sixty}\n"),
            format!("title: \"{sixty}\\\"{sixty}\"\n"),
            format!("title: '{sixty}''{sixty}'\n"),
            format!("title: t # {sixty}\n# {sixty}\n"),
            format!("reason: |\n  {sixty}\n\n  {sixty}\ntitle: t\n"),
            format!("omitted: [{{from: a, reason: \"{sixty}\"}}]\n"),
            format!("title: \"{sixty}\n  {sixty}\"\n"),
        ] {
            assert!(depth(&text) <= 3, "{text}");
            assert!(
                errors(&format!("kind: guideline\nedition: e\n{text}"))
                    .iter()
                    .all(|e| !e.contains("nests deeper"))
            );
        }
        // Just under and just over the limit.
        let flow = |n: usize| format!("x: {}{}\n", "[".repeat(n), "]".repeat(n));
        assert_eq!(
            depth(&flow(MAX_FRONT_MATTER_DEPTH - 1)),
            MAX_FRONT_MATTER_DEPTH
        );
        assert!(
            nesting(&flow(MAX_FRONT_MATTER_DEPTH - 1))
                .too_deep_at
                .is_none()
        );
        assert_eq!(nesting(&flow(MAX_FRONT_MATTER_DEPTH)).too_deep_at, Some(0));
    }

    #[test]
    fn many_fields_are_placed_in_one_pass() {
        // 25,000 unknown fields took 14 s when each was looked up by
        // scanning every line; the last must still get its own line.
        let yaml: String = (0..25_000).map(|i| format!("k{i}: v\n")).collect();
        let diags = read(&format!("kind: guideline\ntitle: t\nedition: e\n{yaml}"), 2).1;
        assert_eq!(diags.len(), 25_000);
        assert_eq!(diags[24_999].line, 2 + 3 + 24_999);
        assert!(diags[24_999].message.contains("`k24999`"));
    }

    #[test]
    fn large_front_matter_is_refused() {
        let line = "title: 地方公共団体における情報セキュリティポリシー\n";
        let under = line.repeat(MAX_FRONT_MATTER_BYTES / line.len());
        assert!(refuse_before_parsing(&under, 2).is_none());
        let over = line.repeat(MAX_FRONT_MATTER_BYTES / line.len() + 1);
        let refused = refuse_before_parsing(&over, 2).expect("refused");
        assert_eq!(refused.line, 2 + MAX_FRONT_MATTER_BYTES / line.len());
        assert!(
            refused
                .message
                .starts_with("the front matter is over 256 KiB")
        );
    }

    #[test]
    fn reads_and_writes_confirmed_values() {
        let (meta, diags) = read(
            "kind: policy\ntitle: t\nedition: e\nbody: \"032018\"\nvalues: {CISO職名: 副市長, 適用機関: 市長部局及び教育委員会}\n",
            2,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(meta.values["CISO職名"], "副市長");
        let written = write(&meta);
        assert!(written.contains("values:"), "{written}");
        let yaml = written
            .trim_start_matches("---\n")
            .trim_end_matches("---\n");
        let again = read(yaml, 2).0;
        assert_eq!(again.values, meta.values);
        let bad =
            errors("kind: policy\ntitle: t\nedition: e\nbody: \"032018\"\nvalues: [副市長]\n");
        assert_eq!(bad.len(), 1, "{bad:?}");
        assert!(bad[0].starts_with("6: `values:` must be a map"), "{bad:?}");
    }

    #[test]
    fn reads_a_regulation_s_number_and_amendments() {
        let (meta, diags) = read(
            "kind: policy\ntitle: 紫波町情報セキュリティ対策規程\nedition: 令和5年3月31日改正\npublished: 2011-11-25\nbody: \"033219\"\nnumber: 訓令第3号\namendments:\n- date: 2016-03-31\n  number: 訓令第5号\n- date: 2023-03-31\n",
            2,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(meta.number.as_deref(), Some("訓令第3号"));
        assert_eq!(meta.amendments.len(), 2);
        assert_eq!(meta.amendments[0].date.to_string(), "2016-03-31");
        assert_eq!(meta.amendments[0].number, "訓令第5号");
        assert_eq!(meta.amendments[1].number, "");
        let written = write(&meta);
        let again = read(
            written
                .trim_start_matches("---\n")
                .trim_end_matches("---\n"),
            2,
        );
        assert_eq!(again.0, meta, "{written}");
        assert!(
            errors("kind: guideline\ntitle: t\nedition: e\namendments: [{date: 令和5年}]\n")[0]
                .contains("is not a date")
        );
        assert!(
            errors("kind: guideline\ntitle: t\nedition: e\namendments: 訓令\n")[0]
                .contains("must be a list")
        );
    }

    #[test]
    fn wrong_front_matter_is_named() {
        assert_eq!(
            errors("kind: gudeline\ntitle: t\nedition: e\n"),
            ["2: unknown kind `gudeline`: write `kind: guideline` or `kind: policy`"]
        );
        assert!(errors("title: t\nedition: e\n")[0].contains("no `kind:`"));
        assert!(
            errors("kind: guideline\ntitle: t\nedition: e\npublished: 2025-02-30\n")[0]
                .starts_with("5: `published: 2025-02-30` is not a date")
        );
        assert!(
            errors("kind: policy\ntitle: t\nedition: e\nbody: \"131017\"\n")[0]
                .contains("wrong check digit")
        );
        assert!(
            errors("kind: policy\ntitle: t\nedition: e\nbody: \"011011\"\n")[0]
                .contains("not a local government")
        );
        assert!(
            errors("kind: policy\ntitle: t\nedition: e\nbody: 11002\n")[0].contains("leading zero")
        );
        assert!(errors("kind: policy\ntitle: t\nedition: e\nbody: 011002\n").is_empty());
        assert!(errors("kind: policy\ntitle: t\nedition: e\n")[0].contains("needs `body:`"));
        assert!(errors("kind: [\n")[0].contains("not valid YAML"));
        assert!(
            errors("kind: guideline\ntitle: t\nedition: e\nomitted: [{from: a}]\n")[0]
                .contains("needs a `reason:`")
        );
    }
}
