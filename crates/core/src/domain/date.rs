use std::fmt;

use super::{serde_via_string, ValueError};

/// A calendar date (proleptic Gregorian), as PowerSchool stores it.
///
/// Exports give dates as `MM/DD/YYYY` (US locale) or ISO `YYYY-MM-DD`; both
/// are accepted. The canonical string form (`Display`, JSON) is ISO; import
/// files use [`Date::to_us`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// Builds a date from its parts, refusing impossible ones (Feb 30).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month as u8) as u32 {
            return None;
        }
        Some(Date { year, month: month as u8, day: day as u8 })
    }

    /// Parses `MM/DD/YYYY` (also `M/D/YYYY`) or `YYYY-MM-DD`.
    pub fn parse(raw: &str) -> Result<Date, ValueError> {
        let s = raw.trim();
        let bad = |problem: &str| ValueError::new("date", problem, raw);
        let (y, m, d) = if let Some((m, rest)) = s.split_once('/') {
            let (d, y) = rest.split_once('/').ok_or_else(|| bad("expected MM/DD/YYYY or YYYY-MM-DD"))?;
            (y, m, d)
        } else if let Some((y, rest)) = s.split_once('-') {
            let (m, d) = rest.split_once('-').ok_or_else(|| bad("expected MM/DD/YYYY or YYYY-MM-DD"))?;
            (y, m, d)
        } else {
            return Err(bad("expected MM/DD/YYYY or YYYY-MM-DD"));
        };
        let num = |part: &str, max_len: usize| -> Result<u32, ValueError> {
            if part.is_empty() || part.len() > max_len || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("expected MM/DD/YYYY or YYYY-MM-DD"));
            }
            part.parse().map_err(|_| bad("expected MM/DD/YYYY or YYYY-MM-DD"))
        };
        let (y, m, d) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
        if y < 1000 {
            return Err(bad("the year must have four digits"));
        }
        Date::from_ymd(y as i32, m, d).ok_or_else(|| bad("no such day in the calendar"))
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1-12.
    pub fn month(self) -> u32 {
        self.month as u32
    }

    /// The day of the month, 1-31.
    pub fn day(self) -> u32 {
        self.day as u32
    }

    /// `MM/DD/YYYY`, the form PowerSchool's US-locale imports expect.
    pub fn to_us(self) -> String {
        format!("{:02}/{:02}/{:04}", self.month, self.day, self.year)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146097 + doe - 719468
    }

    /// The date `days` after 1970-01-01; `None` outside years 1-9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719468;
        let era = if z >= 0 { z } else { z - 146096 } / 146097;
        let doe = z - era * 146097;
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
        Date::from_ymd(i32::try_from(y).ok()?, m as u32, d as u32)
    }

    /// The date `n` days later (earlier for negative `n`).
    pub fn add_days(self, n: i64) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch() + n)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

serde_via_string!(Date);

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(input: &str, expect: Expect) {
        let actual = match Date::parse(input) {
            Ok(d) => format!("{d} {}", d.to_us()),
            Err(e) => format!("error: {e}"),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn parses_us_and_iso() {
        check("03/04/2010", expect!["2010-03-04 03/04/2010"]);
        check("3/4/2010", expect!["2010-03-04 03/04/2010"]);
        check(" 2010-03-04 ", expect!["2010-03-04 03/04/2010"]);
        check("02/29/2024", expect!["2024-02-29 02/29/2024"]);
    }

    #[test]
    fn refuses_bad_dates() {
        check("02/30/2024", expect![[r#"error: date: no such day in the calendar ("02/30/2024")"#]]);
        check("13/01/2024", expect![[r#"error: date: no such day in the calendar ("13/01/2024")"#]]);
        check("2024/01", expect![[r#"error: date: expected MM/DD/YYYY or YYYY-MM-DD ("2024/01")"#]]);
        check("", expect![[r#"error: date: expected MM/DD/YYYY or YYYY-MM-DD ("")"#]]);
        check("1/1/24", expect![[r#"error: date: the year must have four digits ("1/1/24")"#]]);
        check("aa-bb-cc", expect![[r#"error: date: expected MM/DD/YYYY or YYYY-MM-DD ("aa-bb-cc")"#]]);
    }

    #[test]
    fn day_arithmetic_round_trips() {
        let d = Date::parse("2025-12-31").unwrap();
        assert_eq!(d.add_days(1).unwrap().to_string(), "2026-01-01");
        assert_eq!(Date::parse("2024-02-28").unwrap().add_days(1).unwrap().to_string(), "2024-02-29");
        assert_eq!(Date::parse("1970-01-01").unwrap().days_since_epoch(), 0);
        for days in (-200_000..200_000).step_by(997) {
            let d = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(d.days_since_epoch(), days);
        }
    }
}
