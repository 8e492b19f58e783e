//! A prefecture's municipalities as its officers follow them up: where
//! each body's policy stands against the latest edition, the counts at a
//! glance, and the rows filtered and ordered as asked. Status only, never
//! a text; which rows a user may see is the front end's authorisation to
//! decide before the rows come here.

use std::cmp::Reverse;
use std::str::FromStr;

/// Where a body's current policy stands against the latest edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// No policy stored.
    Unregistered,
    /// It follows the latest edition.
    Latest,
    /// It follows an older stored edition; the latest's impact on it:
    /// affected clauses needing a decision, to check, for reference.
    Behind([usize; 3]),
    /// It follows an older stored edition but records no provenance
    /// (written without kaitei): its impact cannot be counted until it is
    /// aligned (由来未確認).
    Unaligned,
    /// It names no edition, or one that is not stored: nothing to compare
    /// it with.
    Unknown,
}

impl Standing {
    /// The standing of a policy that derives from `derived_from` (`None`:
    /// no policy; `Some(None)`: a policy that names no edition), given the
    /// `latest` edition, the `stored` editions, and its assessment against
    /// the latest (`None`: not assessed; `Some(None)`: no provenance).
    pub fn of(
        derived_from: Option<Option<&str>>,
        latest: Option<&str>,
        stored: &[String],
        assessed: Option<Option<[usize; 3]>>,
    ) -> Standing {
        let Some(derived_from) = derived_from else {
            return Standing::Unregistered;
        };
        match derived_from {
            Some(e) if Some(e) == latest => Standing::Latest,
            Some(e) if stored.iter().any(|s| s == e) => match assessed {
                Some(Some(counts)) => Standing::Behind(counts),
                Some(None) => Standing::Unaligned,
                // Not assessed yet: as little is known as of no provenance.
                None => Standing::Unaligned,
            },
            _ => Standing::Unknown,
        }
    }

    /// A short name for code and files: `unregistered`, `latest`,
    /// `behind`, `unaligned`, `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Unregistered => "unregistered",
            Standing::Latest => "latest",
            Standing::Behind(_) => "behind",
            Standing::Unaligned => "unaligned",
            Standing::Unknown => "unknown",
        }
    }

    /// Whether the policy follows a stored edition older than the latest.
    pub fn is_behind(self) -> bool {
        matches!(self, Standing::Behind(_) | Standing::Unaligned)
    }

    /// Affected clauses by severity, where counted.
    pub fn affected(self) -> Option<[usize; 3]> {
        match self {
            Standing::Behind(counts) => Some(counts),
            _ => None,
        }
    }
}

/// One body's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRow {
    /// The body's code.
    pub code: kaitei_model::BodyCode,
    /// Its name.
    pub name: String,
    /// Its name in kana (the 五十音 order).
    pub kana: String,
    /// Its current policy's version name.
    pub policy: Option<String>,
    /// The edition the policy names as followed.
    pub derived_from: Option<String>,
    /// Whether the body made its policy public.
    pub public: bool,
    /// Where it stands.
    pub standing: Standing,
    /// Whether the user may read the policy's text.
    pub readable: bool,
}

/// The counts at the top of the page, over the rows shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Rows.
    pub bodies: usize,
    /// Following the latest edition.
    pub latest: usize,
    /// Following an older stored edition.
    pub behind: usize,
    /// Of those, holding a clause that needs a decision.
    pub needing_decision: usize,
    /// Of those behind, without provenance (impact not counted).
    pub unaligned: usize,
    /// Naming no stored edition.
    pub unknown: usize,
    /// Without a policy.
    pub unregistered: usize,
    /// Made public.
    pub public: usize,
}

/// Counts `rows`.
pub fn summarise(rows: &[StatusRow]) -> Summary {
    let mut s = Summary {
        bodies: rows.len(),
        ..Summary::default()
    };
    for r in rows {
        match r.standing {
            Standing::Unregistered => s.unregistered += 1,
            Standing::Latest => s.latest += 1,
            Standing::Behind(counts) => {
                s.behind += 1;
                s.needing_decision += usize::from(counts[0] > 0);
            }
            Standing::Unaligned => {
                s.behind += 1;
                s.unaligned += 1;
            }
            Standing::Unknown => s.unknown += 1,
        }
        s.public += usize::from(r.public);
    }
    s
}

/// Which rows to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Filter {
    /// Every row.
    #[default]
    All,
    /// Following the latest edition.
    Latest,
    /// Following an older one.
    Behind,
    /// Holding a clause that needs a decision.
    NeedsDecision,
    /// Behind without provenance.
    Unaligned,
    /// Without a policy.
    Unregistered,
    /// Made public.
    Public,
}

/// Every filter, in the order a page offers them.
pub const FILTERS: [Filter; 7] = [
    Filter::All,
    Filter::Latest,
    Filter::Behind,
    Filter::NeedsDecision,
    Filter::Unaligned,
    Filter::Unregistered,
    Filter::Public,
];

impl Filter {
    /// Its name in a URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Latest => "latest",
            Filter::Behind => "behind",
            Filter::NeedsDecision => "needs-decision",
            Filter::Unaligned => "unaligned",
            Filter::Unregistered => "unregistered",
            Filter::Public => "public",
        }
    }

    /// Whether `row` passes.
    pub fn admits(self, row: &StatusRow) -> bool {
        match self {
            Filter::All => true,
            Filter::Latest => row.standing == Standing::Latest,
            Filter::Behind => row.standing.is_behind(),
            Filter::NeedsDecision => row.standing.affected().is_some_and(|c| c[0] > 0),
            Filter::Unaligned => row.standing == Standing::Unaligned,
            Filter::Unregistered => row.standing == Standing::Unregistered,
            Filter::Public => row.public,
        }
    }
}

/// A name no filter or order has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct Unknown(pub String);

impl FromStr for Filter {
    type Err = Unknown;
    fn from_str(s: &str) -> Result<Filter, Unknown> {
        FILTERS
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| Unknown(s.to_string()))
    }
}

/// How rows are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// By body code (the registry's order: the prefecture, its cities,
    /// then towns and villages by district).
    #[default]
    Code,
    /// By name in kana (五十音順).
    Kana,
    /// Most affected first: clauses needing a decision, then to check,
    /// then for reference; those whose impact is not counted after.
    Impact,
    /// By the edition followed, oldest first (no policy last).
    Edition,
}

/// Every order, as a page offers them.
pub const ORDERS: [Order; 4] = [Order::Code, Order::Kana, Order::Impact, Order::Edition];

impl Order {
    /// Its name in a URL.
    pub fn as_str(self) -> &'static str {
        match self {
            Order::Code => "code",
            Order::Kana => "kana",
            Order::Impact => "impact",
            Order::Edition => "edition",
        }
    }
}

impl FromStr for Order {
    type Err = Unknown;
    fn from_str(s: &str) -> Result<Order, Unknown> {
        ORDERS
            .into_iter()
            .find(|o| o.as_str() == s)
            .ok_or_else(|| Unknown(s.to_string()))
    }
}

/// The rows `filter` admits, in `order` (ties by code); `editions` are
/// the stored editions, oldest first.
pub fn select(
    rows: &[StatusRow],
    filter: Filter,
    order: Order,
    editions: &[String],
) -> Vec<StatusRow> {
    let mut out: Vec<StatusRow> = rows.iter().filter(|r| filter.admits(r)).cloned().collect();
    match order {
        Order::Code => out.sort_by_key(|r| r.code),
        Order::Kana => out.sort_by(|a, b| a.kana.cmp(&b.kana).then(a.code.cmp(&b.code))),
        Order::Impact => out.sort_by_key(|r| {
            let counted = r.standing.affected();
            (
                Reverse(counted.map(|c| (c[0], c[1], c[2]))),
                // Uncounted behind before following the latest.
                Reverse(r.standing == Standing::Unaligned),
                r.code,
            )
        }),
        Order::Edition => out.sort_by_key(|r| {
            let place = r
                .derived_from
                .as_ref()
                .and_then(|d| editions.iter().position(|e| e == d));
            (r.policy.is_none(), place.is_none(), place, r.code)
        }),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaitei_model::BodyCode;

    fn row(code: &str, kana: &str, standing: Standing, public: bool) -> StatusRow {
        let derived_from = match standing {
            Standing::Unregistered | Standing::Unknown => None,
            Standing::Latest => Some("令和7年3月版".to_string()),
            _ => Some("令和6年10月版".to_string()),
        };
        StatusRow {
            code: BodyCode::parse(code).expect("a code"),
            name: kana.to_string(),
            kana: kana.to_string(),
            policy: (standing != Standing::Unregistered).then(|| "令和7年度版".to_string()),
            derived_from,
            public,
            standing,
            readable: false,
        }
    }

    fn editions() -> Vec<String> {
        vec!["令和6年10月版".into(), "令和7年3月版".into()]
    }

    fn rows() -> Vec<StatusRow> {
        vec![
            row("030007", "いわてけん", Standing::Latest, true),
            row("032018", "もりおかし", Standing::Behind([2, 1, 0]), false),
            row("033219", "しわちょう", Standing::Unaligned, false),
            row("032026", "みやこし", Standing::Behind([0, 3, 1]), false),
            row("032034", "おおふなとし", Standing::Unregistered, false),
            row("032051", "はなまきし", Standing::Unknown, false),
        ]
    }

    #[test]
    fn a_standing_follows_the_edition_and_the_assessment() {
        let stored = editions();
        let latest = Some("令和7年3月版");
        assert_eq!(
            Standing::of(None, latest, &stored, None),
            Standing::Unregistered
        );
        assert_eq!(
            Standing::of(Some(Some("令和7年3月版")), latest, &stored, None),
            Standing::Latest
        );
        assert_eq!(
            Standing::of(
                Some(Some("令和6年10月版")),
                latest,
                &stored,
                Some(Some([1, 0, 0]))
            ),
            Standing::Behind([1, 0, 0])
        );
        assert_eq!(
            Standing::of(Some(Some("令和6年10月版")), latest, &stored, Some(None)),
            Standing::Unaligned
        );
        assert_eq!(
            Standing::of(Some(Some("平成30年版")), latest, &stored, None),
            Standing::Unknown
        );
        assert_eq!(
            Standing::of(Some(None), latest, &stored, None),
            Standing::Unknown
        );
    }

    #[test]
    fn the_summary_counts_every_row_once_by_standing() {
        let s = summarise(&rows());
        assert_eq!(
            s,
            Summary {
                bodies: 6,
                latest: 1,
                behind: 3,
                needing_decision: 1,
                unaligned: 1,
                unknown: 1,
                unregistered: 1,
                public: 1,
            }
        );
        assert_eq!(s.latest + s.behind + s.unknown + s.unregistered, s.bodies);
    }

    #[test]
    fn filters_and_orders() {
        let rows = rows();
        let codes = |f, o| -> Vec<String> {
            select(&rows, f, o, &editions())
                .iter()
                .map(|r| r.code.to_string())
                .collect()
        };
        assert_eq!(
            codes(Filter::Behind, Order::Impact),
            ["032018", "032026", "033219"],
            "most affected first, the uncounted after"
        );
        assert_eq!(codes(Filter::NeedsDecision, Order::Code), ["032018"]);
        assert_eq!(codes(Filter::Unregistered, Order::Code), ["032034"]);
        assert_eq!(codes(Filter::Public, Order::Code), ["030007"]);
        assert_eq!(
            codes(Filter::All, Order::Kana),
            ["030007", "032034", "033219", "032051", "032026", "032018"]
        );
        assert_eq!(
            codes(Filter::All, Order::Edition),
            ["032018", "032026", "033219", "030007", "032051", "032034"],
            "oldest edition first, none named then no policy last"
        );
        assert_eq!(codes(Filter::All, Order::Code).len(), rows.len());
    }

    #[test]
    fn names_in_urls_round_trip() {
        for f in FILTERS {
            assert_eq!(f.as_str().parse::<Filter>(), Ok(f));
        }
        for o in ORDERS {
            assert_eq!(o.as_str().parse::<Order>(), Ok(o));
        }
        assert!("everything".parse::<Filter>().is_err());
    }
}
