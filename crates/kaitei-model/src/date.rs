//! Calendar dates: ISO 8601 and the Japanese era calendar (和暦), both
//! written and read.

use std::fmt;

/// A calendar date (ISO 8601, proleptic Gregorian), validated on creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// Builds a date; `None` when it does not exist.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(Date { year, month, day })
    }

    /// Reads `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        Date::new(
            u16::try_from(num(0..4)?).ok()?,
            u8::try_from(num(5..7)?).ok()?,
            u8::try_from(num(8..10)?).ok()?,
        )
    }

    /// Year, month and day.
    pub fn ymd(self) -> (u16, u8, u8) {
        (self.year, self.month, self.day)
    }

    /// The date in the Japanese era calendar (和暦), e.g. `令和7年3月28日`;
    /// the first year of an era is written `元年`.
    pub fn wareki(self) -> String {
        let ymd = self.ymd();
        for (name, start) in ERAS {
            if ymd >= start {
                let n = self.year - start.0 + 1;
                let year = if n == 1 {
                    "元".to_string()
                } else {
                    n.to_string()
                };
                return format!("{name}{year}年{}月{}日", self.month, self.day);
            }
        }
        self.to_string()
    }
}

/// The eras of the Japanese calendar since 1868, newest first, with the
/// day each began.
const ERAS: [(&str, (u16, u8, u8)); 5] = [
    ("令和", (2019, 5, 1)),
    ("平成", (1989, 1, 8)),
    ("昭和", (1926, 12, 25)),
    ("大正", (1912, 7, 30)),
    ("明治", (1868, 1, 25)),
];

impl Date {
    /// Reads a whole date as a user types it: ISO (`2026-12-20`) or 和暦
    /// (`令和8年12月20日`), white space around it ignored.
    pub fn parse_typed(s: &str) -> Option<Date> {
        let s = s.trim();
        Date::parse_iso(s).or_else(|| {
            Date::parse_wareki(s)
                .filter(|(_, n)| *n == s.len())
                .map(|(d, _)| d)
        })
    }

    /// Reads a date in the Japanese era calendar at the start of `s`
    /// (`平成23年11月25日`, `令和元年5月1日`, `平成二十三年十一月二十五日`,
    /// full-width digits, white space between the parts); returns it and
    /// the number of bytes read. `None` when `s` does not start with such a
    /// date, or the date does not exist, or falls before its era began.
    pub fn parse_wareki(s: &str) -> Option<(Date, usize)> {
        use crate::numeral::leading_number;
        let (era, start) = ERAS
            .iter()
            .find_map(|(name, start)| s.strip_prefix(name).map(|_| (*name, *start)))?;
        let mut pos = era.len();
        let skip = |s: &str, pos: &mut usize| {
            let rest = &s[*pos..];
            *pos += rest.len() - rest.trim_start_matches([' ', '\u{3000}']).len();
        };
        let number = |s: &str, pos: &mut usize, unit: char| -> Option<u32> {
            skip(s, pos);
            let rest = &s[*pos..];
            let (n, len) = match rest.strip_prefix('元') {
                Some(_) if unit == '年' => (1, '元'.len_utf8()),
                _ => leading_number(rest)?,
            };
            *pos += len;
            skip(s, pos);
            *pos += s[*pos..].strip_prefix(unit).map(|_| unit.len_utf8())?;
            Some(n)
        };
        let year = number(s, &mut pos, '年')?;
        let month = number(s, &mut pos, '月')?;
        let day = number(s, &mut pos, '日')?;
        let year = u32::from(start.0).checked_add(year)?.checked_sub(1)?;
        let date = Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )?;
        (date.ymd() >= start).then_some((date, pos))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// 1970-01-01.
    pub const EPOCH: Date = Date {
        year: 1970,
        month: 1,
        day: 1,
    };

    /// Days from 1970-01-01 to this date (negative: before); the inverse of
    /// [`Date::from_unix_days`].
    pub fn unix_days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (negative: before).
    pub fn from_unix_days(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_days() {
        assert_eq!(
            Date::from_unix_days(0).map(|d| d.to_string()).as_deref(),
            Some("1970-01-01")
        );
        assert_eq!(
            Date::from_unix_days(20_175)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2025-03-28")
        );
        assert_eq!(
            Date::from_unix_days(19_782)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2024-02-29")
        );
    }

    #[test]
    fn unix_days_round_trip() {
        for days in [-700_000, -1, 0, 1, 19_782, 20_175, 60_000, 2_000_000] {
            let d = Date::from_unix_days(days).unwrap();
            assert_eq!(d.unix_days(), days, "{d}");
        }
    }

    #[test]
    fn dates() {
        assert!(Date::parse_iso("2025-03-28").is_some());
        assert!(Date::parse_iso("2024-02-29").is_some());
        assert!(Date::parse_iso("2025-02-29").is_none());
        assert!(Date::parse_iso("2025-3-28").is_none());
        assert!(Date::parse_iso("２０２５-03-28").is_none());
        assert_eq!(
            Date::parse_iso("2025-03-28").map(|d| d.to_string()),
            Some("2025-03-28".into())
        );
    }

    #[test]
    fn wareki() {
        let w = |s: &str| Date::parse_iso(s).map(Date::wareki);
        assert_eq!(w("2025-03-28").as_deref(), Some("令和7年3月28日"));
        assert_eq!(w("2019-05-01").as_deref(), Some("令和元年5月1日"));
        assert_eq!(w("2019-04-30").as_deref(), Some("平成31年4月30日"));
        assert_eq!(w("1989-01-07").as_deref(), Some("昭和64年1月7日"));
    }

    #[test]
    fn wareki_is_read_back() {
        fn r(s: &str) -> Option<(String, &str)> {
            Date::parse_wareki(s).map(|(d, len)| (d.to_string(), &s[len..]))
        }
        assert_eq!(
            r("平成23年11月25日訓令第3号"),
            Some(("2011-11-25".into(), "訓令第3号"))
        );
        assert_eq!(r("令和元年5月1日"), Some(("2019-05-01".into(), "")));
        assert_eq!(
            r("平成二十三年十一月二十五日"),
            Some(("2011-11-25".into(), ""))
        );
        assert_eq!(r("令和５年３月３１日"), Some(("2023-03-31".into(), "")));
        assert_eq!(r("昭和64年1月7日"), Some(("1989-01-07".into(), "")));
        assert_eq!(r("令和 5 年 3 月 31 日"), Some(("2023-03-31".into(), "")));
        // Before its era began, a day that does not exist, not a date.
        assert_eq!(r("令和元年4月30日"), None);
        assert_eq!(r("令和5年2月30日"), None);
        assert_eq!(r("令和5年3月"), None);
        assert_eq!(r("西暦2023年"), None);
        assert_eq!(r("令和4294967295年1月1日"), None);
        for iso in ["2025-03-28", "2019-05-01", "1989-01-08", "1926-12-25"] {
            let d = Date::parse_iso(iso).unwrap();
            assert_eq!(Date::parse_wareki(&d.wareki()).map(|(d, _)| d), Some(d));
        }
    }
}
