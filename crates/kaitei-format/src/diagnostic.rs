//! Diagnostics: what a reader found wrong, with the line it found it on.
//!
//! Reading never fails as a whole on readable input: a reader returns the
//! document it could build and the list of problems, and the caller decides
//! (`kaitei check` exits 1 when any is an error).

use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth a look; the document is usable as read.
    Warning,
    /// The document is wrong: `check` fails, `import` refuses it.
    Error,
}

/// One problem found while reading a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The 1-based line (for `.docx`, the paragraph number) it concerns; 0
    /// when it concerns the whole file.
    pub line: usize,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl Diagnostic {
    /// An error at `line`.
    pub fn error(line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            line,
            message: message.into(),
        }
    }

    /// A warning at `line`.
    pub fn warning(line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            line,
            message: message.into(),
        }
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{word}: {}", self.message)
    }
}
