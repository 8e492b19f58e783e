//! How a user names a stored document on the command line.

use std::fmt;

use kaitei_model::{BodyCode, BodyCodeError, registry};

/// A stored document, as named in `CONTRACTS.md`: a guideline edition by its
/// name (`令和7年3月版`), a body's policy as `BODYCODE@EDITION`, or
/// `BODYCODE` for the body's current policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentRef {
    /// A guideline edition.
    Edition(String),
    /// A body's policy; without an edition, its current one.
    Policy {
        /// The body.
        body: BodyCode,
        /// The policy's edition.
        edition: Option<String>,
    },
}

impl DocumentRef {
    /// Reads a reference. Something that starts with six digits is a body
    /// code and must be one (check digit and registry); anything else is an
    /// edition name.
    pub fn parse(s: &str) -> Result<DocumentRef, BodyCodeError> {
        let s = s.trim();
        let (code, edition) = match s.split_once('@') {
            Some((c, e)) => (c, Some(e.trim().to_string()).filter(|e| !e.is_empty())),
            None => (s, None),
        };
        let looks_like_code = code.chars().count() == 6
            && code
                .chars()
                .all(|c| kaitei_model::numeral::arabic_digit(c).is_some());
        if looks_like_code {
            let body = registry().lookup(code)?.code;
            Ok(DocumentRef::Policy { body, edition })
        } else {
            Ok(DocumentRef::Edition(s.to_string()))
        }
    }
}

impl fmt::Display for DocumentRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentRef::Edition(e) => write!(f, "guideline edition {e}"),
            DocumentRef::Policy {
                body,
                edition: Some(e),
            } => write!(f, "policy {body}@{e}"),
            DocumentRef::Policy {
                body,
                edition: None,
            } => write!(f, "current policy of body {body}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(
            DocumentRef::parse("令和7年3月版"),
            Ok(DocumentRef::Edition("令和7年3月版".into()))
        );
        let chiyoda = BodyCode::parse("131016").unwrap();
        assert_eq!(
            DocumentRef::parse("131016@令和6年度改定"),
            Ok(DocumentRef::Policy {
                body: chiyoda,
                edition: Some("令和6年度改定".into())
            })
        );
        assert_eq!(
            DocumentRef::parse("131016"),
            Ok(DocumentRef::Policy {
                body: chiyoda,
                edition: None
            })
        );
        assert!(matches!(
            DocumentRef::parse("011011"),
            Err(BodyCodeError::NotABody(_))
        ));
        assert!(matches!(
            DocumentRef::parse("131017@x"),
            Err(BodyCodeError::CheckDigit { .. })
        ));
    }
}
