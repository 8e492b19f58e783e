//! How a user names a stored document on the command line.

use std::fmt;

use kaitei_model::{BodyCode, BodyCodeError, EditionName, EditionNameError, registry};

/// A stored document, as named in `CONTRACTS.md`: a guideline edition by its
/// name (`令和7年3月版`), a version of a body's policy as `BODYCODE@VERSION`
/// (`030007@令和6年度版`), or `BODYCODE` for the body's current policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentRef {
    /// A guideline edition.
    Edition(EditionName),
    /// A body's policy; without a version, its current one
    /// ([`crate::PolicyScope::Latest`]).
    Policy {
        /// The body.
        body: BodyCode,
        /// The version's name.
        version: Option<EditionName>,
    },
}

/// Why a text names no stored document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentRefError {
    /// Six digits that are not a body's code.
    #[error("{0}")]
    Body(#[from] BodyCodeError),
    /// Not a possible edition or version name.
    #[error("{0}")]
    Name(#[from] EditionNameError),
}

impl DocumentRef {
    /// Reads a reference. Something that starts with six digits is a body
    /// code and must be one (check digit and registry); anything else is an
    /// edition name.
    pub fn parse(s: &str) -> Result<DocumentRef, DocumentRefError> {
        let s = s.trim();
        let (code, version) = match s.split_once('@') {
            Some((c, v)) if !v.trim().is_empty() => (c, Some(EditionName::parse(v)?)),
            Some((c, _)) => (c, None),
            None => (s, None),
        };
        let looks_like_code = code.chars().count() == 6
            && code
                .chars()
                .all(|c| kaitei_model::numeral::arabic_digit(c).is_some());
        if looks_like_code {
            let body = registry().lookup(code)?.code;
            Ok(DocumentRef::Policy { body, version })
        } else {
            Ok(DocumentRef::Edition(EditionName::parse(s)?))
        }
    }
}

impl fmt::Display for DocumentRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentRef::Edition(e) => write!(f, "guideline edition {e}"),
            DocumentRef::Policy {
                body,
                version: Some(v),
            } => write!(f, "policy {body}@{v}"),
            DocumentRef::Policy {
                body,
                version: None,
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
            Ok(DocumentRef::Edition(
                EditionName::parse("令和7年3月版").unwrap()
            ))
        );
        let chiyoda = BodyCode::parse("131016").unwrap();
        assert_eq!(
            DocumentRef::parse("131016@令和6年度改定"),
            Ok(DocumentRef::Policy {
                body: chiyoda,
                version: Some(EditionName::parse("令和6年度改定").unwrap())
            })
        );
        assert_eq!(
            DocumentRef::parse("131016"),
            Ok(DocumentRef::Policy {
                body: chiyoda,
                version: None
            })
        );
        assert!(matches!(
            DocumentRef::parse("011011"),
            Err(DocumentRefError::Body(BodyCodeError::NotABody(_)))
        ));
        assert!(matches!(
            DocumentRef::parse("131017@x"),
            Err(DocumentRefError::Body(BodyCodeError::CheckDigit { .. }))
        ));
    }
}
