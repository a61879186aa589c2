//! UTC timestamps formatted from `SystemTime`, without a date library.

use std::time::{SystemTime, UNIX_EPOCH};

/// A UTC instant split into calendar fields (whole seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcTime {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl UtcTime {
    /// The current time.
    pub fn now() -> UtcTime {
        UtcTime::from_system(SystemTime::now())
    }

    /// Converts a `SystemTime` (times before 1970 are clamped to the epoch).
    pub fn from_system(t: SystemTime) -> UtcTime {
        let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        UtcTime::from_unix(secs)
    }

    /// The wall-clock fields of `t` at `offset_minutes` from UTC (times
    /// before 1970 are clamped to the epoch).
    pub fn at_offset(t: SystemTime, offset_minutes: i32) -> UtcTime {
        let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        UtcTime::from_unix(secs.saturating_add_signed(i64::from(offset_minutes) * 60))
    }

    /// (year, month, day).
    pub fn ymd(&self) -> (i64, u32, u32) {
        (self.year, self.month, self.day)
    }

    /// (hour, minute).
    pub fn hour_minute(&self) -> (u32, u32) {
        (self.hour, self.minute)
    }

    /// Converts seconds since the Unix epoch.
    pub fn from_unix(secs: u64) -> UtcTime {
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        let (year, month, day) = civil_from_days(days);
        UtcTime {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    /// RFC 3339, e.g. `2026-11-22T09:14:03Z`.
    pub fn rfc3339(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// The compact form used in file names, e.g. `20261122T091403`.
    pub fn compact(&self) -> String {
        format!("{:04}{:02}{:02}T{:02}{:02}{:02}", self.year, self.month, self.day, self.hour, self.minute, self.second)
    }
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let cases = [
            (0, "1970-01-01T00:00:00Z", "19700101T000000"),
            (951_782_400, "2000-02-29T00:00:00Z", "20000229T000000"),
            (1_700_000_000, "2023-11-14T22:13:20Z", "20231114T221320"),
            (1_795_338_043, "2026-11-22T09:00:43Z", "20261122T090043"),
            (4_107_542_399, "2100-02-28T23:59:59Z", "21000228T235959"),
        ];
        for (secs, rfc, compact) in cases {
            let t = UtcTime::from_unix(secs);
            assert_eq!(t.rfc3339(), rfc, "{secs}");
            assert_eq!(t.compact(), compact, "{secs}");
        }
    }
}
