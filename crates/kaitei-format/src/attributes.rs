//! The trailing attribute block of a heading line or an item's first line:
//! `{#KEY from=KEY status=adopted}` (Pandoc style, see `CONTRACTS.md`).

use kaitei_model::{Key, Status};

/// The attributes read from one block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    /// `#KEY`: the node's pinned key.
    pub key: Option<Key>,
    /// `from=KEY`: the guideline node it derives from.
    pub from: Option<Key>,
    /// `status=…`.
    pub status: Option<Status>,
}

/// Splits a trailing attribute block off `line`. Returns the line without it
/// (trailing white space removed) and the attributes, or an error message
/// when the block looks like attributes but is malformed. A brace group that
/// does not look like attributes at all (no `#` or `=` inside) is text.
pub fn split_attributes(line: &str) -> (&str, Result<Option<Attributes>, String>) {
    let trimmed = line.trim_end();
    let Some(body) = trimmed.strip_suffix('}') else {
        return (line, Ok(None));
    };
    let Some(open) = body.rfind('{') else {
        return (line, Ok(None));
    };
    // `{{name}}` placeholders end with `}}`: never an attribute block.
    if body[..open].ends_with('{') || body.ends_with('}') {
        return (line, Ok(None));
    }
    let inner = &body[open + 1..];
    let tokens: Vec<&str> = inner.split_whitespace().collect();
    if tokens.is_empty() || !tokens.iter().all(|t| t.starts_with('#') || t.contains('=')) {
        return (line, Ok(None));
    }
    let before = body[..open].trim_end();
    (before, parse_tokens(&tokens).map(Some))
}

fn parse_tokens(tokens: &[&str]) -> Result<Attributes, String> {
    let mut attrs = Attributes::default();
    for token in tokens {
        if let Some(k) = token.strip_prefix('#') {
            let key = Key::new(k).ok_or_else(|| format!("`#{k}` is not a valid key"))?;
            if attrs.key.replace(key).is_some() {
                return Err("two `#KEY` in one attribute block".into());
            }
            continue;
        }
        let (name, value) = token.split_once('=').unwrap_or((token, ""));
        let value = value.trim_matches('"');
        match name {
            "from" => {
                let key = Key::new(value)
                    .ok_or_else(|| format!("`from={value}` does not name a valid key"))?;
                attrs.from = Some(key);
            }
            "status" => {
                let status = Status::parse(value).ok_or_else(|| {
                    format!(
                        "`status={value}` is not a status: use adopted, modified or added (omitted nodes go in the front matter's `omitted:` list)"
                    )
                })?;
                attrs.status = Some(status);
            }
            other => {
                return Err(format!(
                    "unknown attribute `{other}` (known: #KEY, from=KEY, status=adopted|modified|added)"
                ));
            }
        }
    }
    Ok(attrs)
}

/// Writes an attribute block (with a leading space), or nothing when empty.
pub fn format_attributes(key: Option<&Key>, from: Option<&Key>, status: Option<Status>) -> String {
    let mut parts = Vec::new();
    if let Some(k) = key {
        parts.push(format!("#{k}"));
    }
    if let Some(f) = from {
        parts.push(format!("from={f}"));
    }
    if let Some(s) = status {
        parts.push(format!("status={}", s.as_str()));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" {{{}}}", parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_contract_example() {
        let (rest, attrs) = split_attributes(
            "(3) 電磁的記録媒体を持ち出す場合は、… {#h-27 from=g-3.3-3 status=modified}",
        );
        assert_eq!(rest, "(3) 電磁的記録媒体を持ち出す場合は、…");
        let attrs = attrs.unwrap().unwrap();
        assert_eq!(attrs.key.unwrap().as_str(), "h-27");
        assert_eq!(attrs.from.unwrap().as_str(), "g-3.3-3");
        assert_eq!(attrs.status, Some(Status::Modified));
    }

    #[test]
    fn placeholders_and_plain_braces_are_text() {
        for line in ["{{団体名}}の長", "集合 {a, b}", "本文 {}"] {
            let (rest, attrs) = split_attributes(line);
            assert_eq!(rest, line);
            assert_eq!(attrs, Ok(None));
        }
    }

    #[test]
    fn malformed_blocks_are_errors() {
        assert!(split_attributes("x {#a status=gone}").1.is_err());
        assert!(split_attributes("x {#a colour=red}").1.is_err());
        assert!(split_attributes("x {#a #b}").1.is_err());
    }

    #[test]
    fn formats_back() {
        let k = Key::new("k1");
        assert_eq!(
            format_attributes(k.as_ref(), None, Some(Status::Added)),
            " {#k1 status=added}"
        );
        assert_eq!(format_attributes(None, None, None), "");
    }
}
