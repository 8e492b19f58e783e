//! A body's decision on one clause of a merge proposal.

/// What a body decided for one clause the merge of a new edition would
/// change: the same value from the form or JSON that sends it, through the
/// store, to the merge that applies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Take the proposal.
    Accept,
    /// Keep the body's current text (for an added clause: do not add it).
    KeepOurs,
    /// The body's own text, paragraph by paragraph.
    Edit(Vec<String>),
}

/// The kind of a [`Decision`], without the text: what forms and JSON name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecisionKind {
    /// `accept`
    Accept,
    /// `keep`
    KeepOurs,
    /// `edit`
    Edit,
}

impl DecisionKind {
    /// Every kind, in the order forms offer them.
    pub const ALL: [DecisionKind; 3] = [
        DecisionKind::Accept,
        DecisionKind::KeepOurs,
        DecisionKind::Edit,
    ];

    /// The word used in forms, JSON and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::Accept => "accept",
            DecisionKind::KeepOurs => "keep",
            DecisionKind::Edit => "edit",
        }
    }

    /// Reads the word; anything else is `None` (never a default).
    pub fn parse(s: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl Decision {
    /// Its kind.
    pub fn kind(&self) -> DecisionKind {
        match self {
            Decision::Accept => DecisionKind::Accept,
            Decision::KeepOurs => DecisionKind::KeepOurs,
            Decision::Edit(_) => DecisionKind::Edit,
        }
    }

    /// The word used in forms, JSON and the store.
    pub fn as_str(&self) -> &'static str {
        self.kind().as_str()
    }

    /// The decision of `kind` with `paragraphs` (used by `Edit` only).
    pub fn new(kind: DecisionKind, paragraphs: Vec<String>) -> Decision {
        match kind {
            DecisionKind::Accept => Decision::Accept,
            DecisionKind::KeepOurs => Decision::KeepOurs,
            DecisionKind::Edit => Decision::Edit(paragraphs),
        }
    }

    /// The body's own text, for `Edit`.
    pub fn paragraphs(&self) -> &[String] {
        match self {
            Decision::Edit(p) => p,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_unknown_is_refused() {
        for k in DecisionKind::ALL {
            assert_eq!(DecisionKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(DecisionKind::parse("Accept"), None);
        assert_eq!(DecisionKind::parse(""), None);
        assert_eq!(
            Decision::new(DecisionKind::Edit, vec!["x".into()]),
            Decision::Edit(vec!["x".into()])
        );
        assert_eq!(
            Decision::new(DecisionKind::Accept, vec!["x".into()])
                .paragraphs()
                .len(),
            0
        );
    }
}
