//! When PowerSchool's AutoComm picks the schedules file up: the district's
//! schedule (days and hour) and the next run after a given moment.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::Date;

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// Monday to Sunday.
    pub const ALL: [Weekday; 7] =
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

    /// The day of the week of `date`.
    pub fn of(date: Date) -> Weekday {
        // 1970-01-01 was a Thursday (index 3 from Monday).
        Weekday::ALL[(date.days_since_epoch() + 3).rem_euclid(7) as usize]
    }

    /// The short English name, e.g. `Tue`.
    pub fn label(self) -> &'static str {
        match self {
            Weekday::Mon => "Mon",
            Weekday::Tue => "Tue",
            Weekday::Wed => "Wed",
            Weekday::Thu => "Thu",
            Weekday::Fri => "Fri",
            Weekday::Sat => "Sat",
            Weekday::Sun => "Sun",
        }
    }
}

impl fmt::Display for Weekday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The district's AutoComm record for the schedules import: the days it
/// runs and the hour (0-23, on the hour, district time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AutoCommSchedule {
    /// The days it runs.
    pub days: Vec<Weekday>,
    /// The hour it runs, 0-23.
    pub hour: u8,
}

/// One AutoComm run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pickup {
    /// The day.
    pub date: Date,
    /// Its day of the week.
    pub weekday: Weekday,
    /// The hour, 0-23.
    pub hour: u8,
}

impl Pickup {
    /// The run in staff words: `Tue 11/24 at 06:00`.
    pub fn label(&self) -> String {
        format!("{} {:02}/{:02} at {:02}:00", self.weekday, self.date.month(), self.date.day(), self.hour)
    }
}

impl AutoCommSchedule {
    /// The first run strictly after `now` = (date, hour, minute): a run at
    /// the very minute of `now` has started already, so the next one counts.
    /// `None` when the schedule cannot run (no days, hour above 23), `now`
    /// is not a time of day, or the run would fall after the year 9999.
    pub fn next_pickup(&self, now: (Date, u8, u8)) -> Option<Pickup> {
        let (date, hour, minute) = now;
        if self.days.is_empty() || self.hour > 23 || hour > 23 || minute > 59 {
            return None;
        }
        // Today counts only if the run's hour is still ahead (runs are at :00).
        let first = if self.hour > hour { 0 } else { 1 };
        (first..=7).find_map(|n| {
            let d = date.add_days(n)?;
            let weekday = Weekday::of(d);
            self.days.contains(&weekday).then_some(Pickup { date: d, weekday, hour: self.hour })
        })
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// Each case: schedule days and hour, then `now`; prints the next run.
    fn check(cases: &[(&[Weekday], u8, &str, u8, u8)], expect: Expect) {
        let mut out = String::new();
        for &(days, hour, date, h, m) in cases {
            let s = AutoCommSchedule { days: days.to_vec(), hour };
            let now = Date::parse(date).unwrap();
            let next = s.next_pickup((now, h, m)).map(|p| p.label()).unwrap_or_else(|| "none".into());
            let days: Vec<&str> = days.iter().map(|d| d.label()).collect();
            out.push_str(&format!(
                "{} at {hour:02}, now {} {} {h:02}:{m:02} -> {next}\n",
                days.join("+"),
                Weekday::of(now),
                date
            ));
        }
        expect.assert_eq(&out);
    }

    #[test]
    fn next_run_is_strictly_after_now_and_wraps_the_week() {
        use Weekday::*;
        check(
            &[
                (&[Tue], 6, "2026-11-23", 14, 5),
                (&[Tue], 6, "2026-11-24", 5, 59),
                (&[Tue], 6, "2026-11-24", 6, 0),
                (&[Tue], 6, "2026-11-24", 6, 1),
                (&[Mon, Thu], 6, "2026-11-27", 9, 0),
                (&[Sun], 23, "2026-12-27", 23, 0),
                (&[Mon, Tue, Wed, Thu, Fri], 0, "2026-12-31", 0, 0),
                (&[Sat], 6, "2026-02-27", 7, 0),
                (&[], 6, "2026-11-24", 5, 0),
                (&[Tue], 24, "2026-11-24", 5, 0),
                (&[Tue], 6, "2026-11-24", 24, 0),
                (&[Fri], 6, "9999-12-31", 7, 0),
            ],
            expect![[r#"
                Tue at 06, now Mon 2026-11-23 14:05 -> Tue 11/24 at 06:00
                Tue at 06, now Tue 2026-11-24 05:59 -> Tue 11/24 at 06:00
                Tue at 06, now Tue 2026-11-24 06:00 -> Tue 12/01 at 06:00
                Tue at 06, now Tue 2026-11-24 06:01 -> Tue 12/01 at 06:00
                Mon+Thu at 06, now Fri 2026-11-27 09:00 -> Mon 11/30 at 06:00
                Sun at 23, now Sun 2026-12-27 23:00 -> Sun 01/03 at 23:00
                Mon+Tue+Wed+Thu+Fri at 00, now Thu 2026-12-31 00:00 -> Fri 01/01 at 00:00
                Sat at 06, now Fri 2026-02-27 07:00 -> Sat 02/28 at 06:00
                 at 06, now Tue 2026-11-24 05:00 -> none
                Tue at 24, now Tue 2026-11-24 05:00 -> none
                Tue at 06, now Tue 2026-11-24 24:00 -> none
                Fri at 06, now Fri 9999-12-31 07:00 -> none
            "#]],
        );
    }
}
