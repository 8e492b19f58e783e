//! Names users type for documents, parsed once at the edge.

use std::fmt;

/// The longest edition name accepted (bytes): real ones are a dozen
/// characters (`令和7年3月版`).
pub const MAX_EDITION_NAME: usize = 200;

/// The name of a guideline edition (`令和7年3月版`) or of a version of a
/// body's policy (`令和7年度版`) — both are written in a document's
/// `edition:` field. Valid by construction: 1 to [`MAX_EDITION_NAME`]
/// bytes, no control characters, no `@` (which separates a body code from
/// a version in a document reference), no surrounding white space.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EditionName(String);

/// Why a text is not an edition name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditionNameError {
    /// Nothing but white space.
    Empty,
    /// Longer than [`MAX_EDITION_NAME`] bytes.
    TooLong(usize),
    /// A character an edition name cannot hold.
    Character(char),
}

impl fmt::Display for EditionNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditionNameError::Empty => write!(f, "an edition name cannot be empty"),
            EditionNameError::TooLong(n) => write!(
                f,
                "an edition name is at most {MAX_EDITION_NAME} bytes (this one has {n})"
            ),
            EditionNameError::Character(c) => {
                write!(f, "an edition name cannot contain {c:?}")
            }
        }
    }
}

impl std::error::Error for EditionNameError {}

impl EditionName {
    /// Reads a name, trimming white space around it.
    pub fn parse(s: &str) -> Result<EditionName, EditionNameError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(EditionNameError::Empty);
        }
        if s.len() > MAX_EDITION_NAME {
            return Err(EditionNameError::TooLong(s.len()));
        }
        if let Some(c) = s.chars().find(|c| c.is_control() || *c == '@') {
            return Err(EditionNameError::Character(c));
        }
        Ok(EditionName(s.to_string()))
    }

    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EditionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::str::FromStr for EditionName {
    type Err = EditionNameError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EditionName::parse(s)
    }
}

impl AsRef<str> for EditionName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for EditionName {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for EditionName {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(
            EditionName::parse(" 令和7年3月版 ").map(|e| e.to_string()),
            Ok("令和7年3月版".to_string())
        );
        assert_eq!(EditionName::parse("  "), Err(EditionNameError::Empty));
        assert_eq!(
            EditionName::parse(&"版".repeat(67)),
            Err(EditionNameError::TooLong(201))
        );
        assert!(EditionName::parse(&"版".repeat(66)).is_ok());
        assert_eq!(
            EditionName::parse("a\u{0}b"),
            Err(EditionNameError::Character('\u{0}'))
        );
        assert_eq!(
            EditionName::parse("131016@x"),
            Err(EditionNameError::Character('@'))
        );
    }
}
