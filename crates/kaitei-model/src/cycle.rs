//! The yearly revision cycle: a fiscal year (年度), the topics the expert
//! committee studies (検討項目) and the milestones of its schedule.

use std::fmt;

use crate::Date;
use crate::time::JstTime;

/// A Japanese fiscal year: April to March, named by the calendar year it
/// starts in (`FiscalYear(2025)` is 令和7年度, 2025-04-01 – 2026-03-31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FiscalYear(u16);

impl FiscalYear {
    /// The fiscal year starting in April of `year`; `None` outside
    /// 1868–9998.
    pub fn new(year: u16) -> Option<FiscalYear> {
        (1868..9999).contains(&year).then_some(FiscalYear(year))
    }

    /// The fiscal year `date` falls in.
    pub fn of(date: Date) -> FiscalYear {
        let (y, m, _) = date.ymd();
        FiscalYear(if m >= 4 { y } else { y - 1 })
    }

    /// The calendar year it starts in.
    pub fn year(self) -> u16 {
        self.0
    }

    /// Its first day, 1 April.
    pub fn first_day(self) -> Date {
        Date::new(self.0, 4, 1).unwrap_or(Date::EPOCH)
    }

    /// Its last day, 31 March of the next year.
    pub fn last_day(self) -> Date {
        Date::new(self.0 + 1, 3, 31).unwrap_or(Date::EPOCH)
    }

    /// Whether `t` (Japan time) falls in it.
    pub fn contains(self, t: JstTime) -> bool {
        FiscalYear::of(t.date()) == self
    }

    /// `令和7年度` (`令和元年度` for 2019).
    pub fn wareki(self) -> String {
        // The era of the fiscal year is the era on its first day, except
        // FY2019, which began in 平成 and is called 令和元年度.
        let first = if self.0 == 2019 {
            Date::new(2019, 5, 1).unwrap_or(Date::EPOCH)
        } else {
            self.first_day()
        };
        let w = first.wareki();
        let year_end = w.find('年').map_or(w.len(), |i| i + '年'.len_utf8());
        format!("{}度", &w[..year_end])
    }

    /// Reads `2025`, `R7`, `令和7年度` or `令和元年度`.
    pub fn parse(s: &str) -> Option<FiscalYear> {
        let s = s.trim();
        if let Ok(y) = s.parse::<u16>() {
            return FiscalYear::new(y);
        }
        if let Some(n) = s.strip_prefix(['R', 'r']) {
            return FiscalYear::new(2018 + n.parse::<u16>().ok().filter(|n| *n > 0)?);
        }
        let n = s.strip_prefix("令和")?.strip_suffix("年度")?;
        let n = if n == "元" {
            1
        } else {
            crate::numeral::leading_number(n)
                .filter(|(_, len)| *len == n.len())
                .map(|(n, _)| n)?
        };
        FiscalYear::new(2018 + u16::try_from(n).ok().filter(|n| *n > 0)?)
    }
}

impl fmt::Display for FiscalYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where the study of a topic stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TopicStatus {
    /// 検討中: the committee is studying it.
    Studying,
    /// 改定案に反映: the draft holds the change.
    Drafted,
    /// 反映済: published in the new edition.
    Done,
    /// 見送り: not this year.
    Deferred,
}

impl TopicStatus {
    /// Every status, in the order they are reached.
    pub const ALL: [TopicStatus; 4] = [
        TopicStatus::Studying,
        TopicStatus::Drafted,
        TopicStatus::Done,
        TopicStatus::Deferred,
    ];

    /// The word used in forms, JSON, the command line and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            TopicStatus::Studying => "studying",
            TopicStatus::Drafted => "drafted",
            TopicStatus::Done => "done",
            TopicStatus::Deferred => "deferred",
        }
    }

    /// How pages show it.
    pub fn japanese(self) -> &'static str {
        match self {
            TopicStatus::Studying => "検討中",
            TopicStatus::Drafted => "改定案に反映",
            TopicStatus::Done => "反映済",
            TopicStatus::Deferred => "見送り",
        }
    }

    /// Reads the word; anything else is `None`.
    pub fn parse(s: &str) -> Option<TopicStatus> {
        TopicStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a milestone of the schedule is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MilestoneKind {
    /// 検討会: a committee meeting.
    Committee,
    /// 改定案決定: the draft for consultation agreed.
    DraftAgreed,
    /// 公表: the new edition published.
    Publication,
    /// その他.
    Other,
}

impl MilestoneKind {
    /// Every kind, in the order forms offer them.
    pub const ALL: [MilestoneKind; 4] = [
        MilestoneKind::Committee,
        MilestoneKind::DraftAgreed,
        MilestoneKind::Publication,
        MilestoneKind::Other,
    ];

    /// The word used in forms, JSON, the command line and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            MilestoneKind::Committee => "committee",
            MilestoneKind::DraftAgreed => "draft",
            MilestoneKind::Publication => "publication",
            MilestoneKind::Other => "other",
        }
    }

    /// How pages show it.
    pub fn japanese(self) -> &'static str {
        match self {
            MilestoneKind::Committee => "検討会",
            MilestoneKind::DraftAgreed => "改定案決定",
            MilestoneKind::Publication => "公表",
            MilestoneKind::Other => "その他",
        }
    }

    /// Reads the word; anything else is `None`.
    pub fn parse(s: &str) -> Option<MilestoneKind> {
        MilestoneKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Why a step of the plan is refused: each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// A milestone or window outside the cycle's fiscal year.
    OutsideYear {
        /// What it is.
        what: String,
        /// When.
        at: JstTime,
        /// The cycle's year.
        year: FiscalYear,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::OutsideYear { what, at, year } => write!(
                f,
                "{what} at {} falls outside {} ({} – {}); give a time within the fiscal year",
                at.local(),
                year.wareki(),
                year.first_day(),
                year.last_day()
            ),
        }
    }
}

impl std::error::Error for PlanError {}

/// Checks that `at` falls within `year`.
pub fn check_in_year(what: &str, at: JstTime, year: FiscalYear) -> Result<(), PlanError> {
    if year.contains(at) {
        Ok(())
    } else {
        Err(PlanError::OutsideYear {
            what: what.to_string(),
            at,
            year,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_years() {
        let d = |s: &str| Date::parse_iso(s).unwrap();
        assert_eq!(FiscalYear::of(d("2025-04-01")).year(), 2025);
        assert_eq!(FiscalYear::of(d("2026-03-31")).year(), 2025);
        assert_eq!(FiscalYear::of(d("2026-04-01")).year(), 2026);
        let y = FiscalYear::new(2025).unwrap();
        assert_eq!(y.wareki(), "令和7年度");
        assert_eq!(FiscalYear::new(2019).unwrap().wareki(), "令和元年度");
        assert_eq!(FiscalYear::new(2018).unwrap().wareki(), "平成30年度");
        for s in ["2025", "R7", "令和7年度", "令和７年度", "令和七年度"] {
            assert_eq!(FiscalYear::parse(s), Some(y), "{s}");
        }
        assert_eq!(
            FiscalYear::parse("令和元年度").map(|y| y.year()),
            Some(2019)
        );
        for s in ["R0", "令和0年度", "令和7年", "2025年度x", "", "99999"] {
            assert_eq!(FiscalYear::parse(s), None, "{s}");
        }
        let t = |s: &str| JstTime::parse(s).unwrap();
        assert!(y.contains(t("2026-03-31 23:59")));
        assert!(!y.contains(t("2026-04-01 00:00")));
        assert!(!y.contains(t("2025-03-31 23:59")));
        // 2025-03-31T15:00Z is 2025-04-01 00:00 in Japan.
        assert!(y.contains(t("2025-03-31T15:00Z")));
    }

    #[test]
    fn words_read_back() {
        for s in TopicStatus::ALL {
            assert_eq!(TopicStatus::parse(s.as_str()), Some(s));
        }
        for k in MilestoneKind::ALL {
            assert_eq!(MilestoneKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(TopicStatus::parse("Studying"), None);
    }

    #[test]
    fn outside_the_year_is_refused_with_the_year_named() {
        let y = FiscalYear::new(2025).unwrap();
        let at = JstTime::parse("2026-04-01 10:00").unwrap();
        let e = check_in_year("検討会", at, y).unwrap_err().to_string();
        assert!(e.contains("令和7年度") && e.contains("2026-03-31"), "{e}");
    }
}
