//! Text helpers shared by every layer: normalisation for comparison and
//! placeholder scanning.

use unicode_normalization::UnicodeNormalization;

/// Text as compared: NFKC, so full-width and half-width variants are not
/// changes. Never applied to labels (see [`crate::label`]).
pub fn normalize(s: &str) -> String {
    s.nfkc().collect()
}

/// The names of the `{{name}}` placeholders in `s`, in order.
pub fn placeholders(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        loop {
            let start = rest.find("{{")?;
            let after = &rest[start + 2..];
            let end = after.find("}}")?;
            let name = &after[..end];
            rest = &after[end + 2..];
            if !name.is_empty() && !name.contains(['{', '}']) && !name.contains(char::is_whitespace)
            {
                return Some(name);
            }
        }
    })
}

/// Replaces each `{{name}}` whose name `value` knows; others stay.
pub fn fill_placeholders(s: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = &after[..end];
        out.push_str(&rest[..start]);
        match value(name) {
            Some(v) => out.push_str(&v),
            None => {
                out.push_str("{{");
                out.push_str(name);
                out.push_str("}}");
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfkc_folds_width() {
        assert_eq!(normalize("ＡＢＣ１２３（１）"), "ABC123(1)");
        assert_eq!(normalize("ｻｰﾊﾞ"), "サーバ");
    }

    #[test]
    fn finds_placeholders() {
        let names: Vec<_> = placeholders("{{団体名}}の{{CISO職名}}は、{{ 空白 }}{{}}").collect();
        assert_eq!(names, ["団体名", "CISO職名"]);
    }

    #[test]
    fn fills_placeholders() {
        let s = fill_placeholders("{{団体名}}の{{CISO職名}}", |n| {
            (n == "団体名").then(|| "千代田区".to_string())
        });
        assert_eq!(s, "千代田区の{{CISO職名}}");
    }
}
