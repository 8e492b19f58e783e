//! Points in time as the ministry writes them: Japan time (JST, UTC+9, no
//! daylight saving), to the minute or second.
//!
//! Consultation windows and milestones are instants, not dates: a window
//! "opens 2026-01-13 10:00 and closes 2026-01-27 17:00", and the rule that
//! a local-government consultation lasts at least two weeks is
//! `closes − opens ≥ 14 × 24 hours`. The pure crates have no clock: the
//! caller passes "now".

use std::fmt;

use crate::Date;

/// Seconds Japan time is ahead of UTC.
const JST_OFFSET: i64 = 9 * 3600;

/// An instant, shown and read in Japan time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct JstTime(i64);

/// Why a time could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeError(String);

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TimeError {}

impl JstTime {
    /// The instant `secs` seconds after 1970-01-01T00:00:00Z.
    pub fn from_unix(secs: i64) -> JstTime {
        JstTime(secs)
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix(self) -> i64 {
        self.0
    }

    /// 00:00 Japan time on `date`.
    pub fn start_of(date: Date) -> JstTime {
        JstTime(date.unix_days() * 86_400 - JST_OFFSET)
    }

    /// `hours` hours later (negative: earlier).
    pub fn plus_hours(self, hours: i64) -> JstTime {
        JstTime(self.0 + hours * 3600)
    }

    /// The date in Japan.
    pub fn date(self) -> Date {
        let local = self.0 + JST_OFFSET;
        Date::from_unix_days(local.div_euclid(86_400)).unwrap_or(Date::EPOCH)
    }

    /// Hours, minutes and seconds of the day in Japan.
    pub fn hms(self) -> (u8, u8, u8) {
        let s = (self.0 + JST_OFFSET).rem_euclid(86_400);
        ((s / 3600) as u8, (s / 60 % 60) as u8, (s % 60) as u8)
    }

    /// `2026-01-13 10:00` (seconds only when not zero): what forms show and
    /// accept.
    pub fn local(self) -> String {
        let (h, m, s) = self.hms();
        if s == 0 {
            format!("{} {h:02}:{m:02}", self.date())
        } else {
            format!("{} {h:02}:{m:02}:{s:02}", self.date())
        }
    }

    /// `2026-01-13T10:00` : the value of an HTML `datetime-local` input.
    pub fn html_local(self) -> String {
        let (h, m, _) = self.hms();
        format!("{}T{h:02}:{m:02}", self.date())
    }

    /// `令和8年1月13日 10:00`: the era calendar, as letters and tables write
    /// it.
    pub fn wareki(self) -> String {
        let (h, m, _) = self.hms();
        format!("{} {h}:{m:02}", self.date().wareki())
    }

    /// Reads `2026-01-13T10:00`, `2026-01-13 10:00`, with optional seconds,
    /// and an optional zone: none or `+09:00` is Japan time, `Z` or another
    /// `±HH:MM` offset is converted. A date alone is refused: a deadline
    /// must say its hour.
    pub fn parse(s: &str) -> Result<JstTime, TimeError> {
        let t = s.trim();
        let err = |why: &str| {
            TimeError(format!(
                "{t:?} is not a time: {why} (write it as 2026-01-13 10:00, Japan time)"
            ))
        };
        if t.len() < 10 {
            return Err(err("too short"));
        }
        let date = t
            .get(..10)
            .and_then(Date::parse_iso)
            .ok_or_else(|| err("the date must be YYYY-MM-DD and exist"))?;
        let rest = &t[10..];
        let Some(rest) = rest.strip_prefix(['T', ' ']) else {
            return Err(if rest.is_empty() {
                err("give the hour and minute too")
            } else {
                err("a T or a space must follow the date")
            });
        };
        let (clock, offset) = split_zone(rest).ok_or_else(|| err("unreadable time zone"))?;
        let parts: Vec<&str> = clock.split(':').collect();
        let num = |p: &str, max: u32| -> Option<i64> {
            (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u32>().ok())
                .flatten()
                .filter(|n| *n <= max)
                .map(i64::from)
        };
        let (h, m, sec) = match parts.as_slice() {
            [h, m] => (num(h, 23), num(m, 59), Some(0)),
            [h, m, s] => (num(h, 23), num(m, 59), num(s, 59)),
            _ => (None, None, None),
        };
        let (Some(h), Some(m), Some(sec)) = (h, m, sec) else {
            return Err(err("the time must be HH:MM or HH:MM:SS"));
        };
        let local = date.unix_days() * 86_400 + h * 3600 + m * 60 + sec;
        Ok(JstTime(local - offset.unwrap_or(JST_OFFSET)))
    }
}

/// Splits `10:00+09:00` into the clock and the offset in seconds (`None`:
/// no zone written); `None` overall when the zone is unreadable.
fn split_zone(s: &str) -> Option<(&str, Option<i64>)> {
    if let Some(clock) = s.strip_suffix('Z') {
        return Some((clock, Some(0)));
    }
    match s.rfind(['+', '-']) {
        None => Some((s, None)),
        Some(i) => {
            let zone = &s[i + 1..];
            let (h, m) = zone.split_once(':')?;
            let ok = |p: &str| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit());
            if !ok(h) || !ok(m) {
                return None;
            }
            let secs = h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60;
            Some((&s[..i], Some(if &s[i..=i] == "-" { -secs } else { secs })))
        }
    }
}

impl fmt::Display for JstTime {
    /// RFC 3339 in Japan time: `2026-01-13T10:00:00+09:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = self.hms();
        write!(f, "{}T{h:02}:{m:02}:{s:02}+09:00", self.date())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> JstTime {
        JstTime::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reads_japan_time_and_offsets() {
        assert_eq!(t("2026-01-13 10:00"), t("2026-01-13T10:00:00+09:00"));
        assert_eq!(t("2026-01-13T01:00Z"), t("2026-01-13 10:00"));
        assert_eq!(t("2026-01-12T20:00-05:00").local(), "2026-01-13 10:00");
        assert_eq!(
            t("2026-01-13 10:00").to_string(),
            "2026-01-13T10:00:00+09:00"
        );
        assert_eq!(t("2026-01-13 10:00:30").local(), "2026-01-13 10:00:30");
        assert_eq!(t("2026-01-01 08:59").date().to_string(), "2026-01-01");
        assert_eq!(t("2026-01-01 00:00").unix(), 1_767_193_200);
        assert_eq!(t("2026-01-13 10:00").wareki(), "令和8年1月13日 10:00");
        assert_eq!(t("2026-01-13 10:00").html_local(), "2026-01-13T10:00");
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in [
            "2026-01-13",
            "2026-02-30 10:00",
            "2026-01-13 24:00",
            "2026-01-13 10:60",
            "2026-01-13 1:00",
            "2026-01-13X10:00",
            "2026-01-13 10:00+9",
            "",
            "昨日",
        ] {
            assert!(JstTime::parse(bad).is_err(), "{bad:?} was read");
        }
        let e = JstTime::parse("2026-01-13").unwrap_err().to_string();
        assert!(e.contains("hour"), "{e}");
    }

    #[test]
    fn start_of_a_date_is_midnight_in_japan() {
        let d = Date::parse_iso("2025-04-01").unwrap();
        assert_eq!(JstTime::start_of(d).local(), "2025-04-01 00:00");
        assert_eq!(
            JstTime::start_of(d).plus_hours(-1).date().to_string(),
            "2025-03-31"
        );
    }
}
