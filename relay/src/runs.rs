//! When a target's PowerSchool import runs, in the district's time zone
//! (IANA, daylight saving right), and the phases around each run that the
//! batching rules (see [`crate::batch`]) follow:
//!
//! ```text
//!            open: the file may be replaced          quiet: left untouched
//! ... ───────────────────────────────┤ write_until ├─ R-10 min ─── R ─────── R+60 min ├── open ...
//!                                     no write starts  (AutoComm's "minute 00" runs any
//!                                     (it must end      time in that hour)
//!                                      before R-10)
//! ```

use jiff::civil::Weekday as CivilWeekday;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use writeback_core::courses::Weekday;
use writeback_core::delivery::RunTimes;

/// How long before a run the file is left alone.
pub const QUIET_BEFORE: SignedDuration = SignedDuration::from_mins(10);
/// How long a run may take from its scheduled time: AutoComm's "minute 00"
/// is any time in that hour.
pub const RUN_LENGTH: SignedDuration = SignedDuration::from_mins(60);
/// The longest one write of a target's file may take; none starts later
/// than this before the quiet window, and one still running then is stopped.
pub const WRITE_LIMIT: SignedDuration = SignedDuration::from_mins(2);

/// A target's runs: days and time in the district's zone.
#[derive(Debug, Clone)]
pub struct RunSchedule {
    days: Vec<Weekday>,
    hour: i8,
    minute: i8,
    zone: TimeZone,
}

/// Where the clock is with respect to a target's runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Between runs: the file is for `run`; a write may start before
    /// `write_until`.
    Open {
        /// The next run.
        run: Timestamp,
        /// No write starts at or after this.
        write_until: Timestamp,
    },
    /// Around `run`: the file is left untouched until `until`.
    Quiet {
        /// The run.
        run: Timestamp,
        /// When its window closes.
        until: Timestamp,
    },
}

/// A schedule that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScheduleError {
    /// The time zone is not in the IANA database.
    #[error("time_zone: {0:?} is not an IANA time zone (e.g. America/Chicago)")]
    UnknownZone(String),
    /// The times cannot run.
    #[error("the runs ({0}) are not a time that runs")]
    NeverRuns(String),
}

/// The district's zone: `name` from `district.json`, UTC if none.
pub fn zone(name: Option<&str>) -> Result<TimeZone, ScheduleError> {
    match name {
        None => Ok(TimeZone::UTC),
        Some(n) => TimeZone::get(n).map_err(|_| ScheduleError::UnknownZone(n.to_string())),
    }
}

fn civil(day: Weekday) -> CivilWeekday {
    match day {
        Weekday::Mon => CivilWeekday::Monday,
        Weekday::Tue => CivilWeekday::Tuesday,
        Weekday::Wed => CivilWeekday::Wednesday,
        Weekday::Thu => CivilWeekday::Thursday,
        Weekday::Fri => CivilWeekday::Friday,
        Weekday::Sat => CivilWeekday::Saturday,
        Weekday::Sun => CivilWeekday::Sunday,
    }
}

impl RunSchedule {
    /// The schedule of `runs` in `zone`.
    pub fn new(runs: &RunTimes, zone: TimeZone) -> Result<RunSchedule, ScheduleError> {
        let describe = || format!("{:?} at {:02}:{:02}", runs.days, runs.hour, runs.minute);
        if runs.days.is_empty() || runs.hour > 23 || runs.minute > 59 {
            return Err(ScheduleError::NeverRuns(describe()));
        }
        Ok(RunSchedule { days: runs.days.clone(), hour: runs.hour as i8, minute: runs.minute as i8, zone })
    }

    /// The runs whose scheduled time is in [`from`, `from` + 8 days), in order.
    fn runs_from(&self, from: Timestamp) -> Vec<Timestamp> {
        let first = from.to_zoned(self.zone.clone()).date();
        let mut out = Vec::new();
        // A day before: a run that started yesterday may still be going.
        for n in -1..=8 {
            let Ok(day) = first.checked_add(jiff::Span::new().days(n)) else { continue };
            if !self.days.iter().any(|d| civil(*d) == day.weekday()) {
                continue;
            }
            // A time that does not exist (spring forward) runs an hour later;
            // one that exists twice (fall back) runs the first time.
            let Ok(at) = day.at(self.hour, self.minute, 0, 0).to_zoned(self.zone.clone()) else { continue };
            out.push(at.timestamp());
        }
        out
    }

    /// The first run scheduled strictly after `t`.
    pub fn next_run_after(&self, t: Timestamp) -> Option<Timestamp> {
        self.runs_from(t).into_iter().find(|r| *r > t)
    }

    /// The phase at `now`.
    pub fn phase(&self, now: Timestamp) -> Option<Phase> {
        let back = now.checked_sub(RUN_LENGTH).ok()?;
        for run in self.runs_from(back) {
            let quiet_from = run.checked_sub(QUIET_BEFORE).ok()?;
            let until = run.checked_add(RUN_LENGTH).ok()?;
            if now < quiet_from {
                let write_until = quiet_from.checked_sub(WRITE_LIMIT).ok()?;
                return Some(Phase::Open { run, write_until });
            }
            if now < until {
                return Some(Phase::Quiet { run, until });
            }
        }
        None
    }

    /// The run a row accepted at `now` will be in the file for: the next
    /// run if a write can still start before it, else the one after.
    pub fn expected_run(&self, now: Timestamp) -> Option<Timestamp> {
        match self.phase(now)? {
            Phase::Open { run, write_until } if now < write_until => Some(run),
            Phase::Open { run, .. } | Phase::Quiet { run, .. } => self.next_run_after(run),
        }
    }

    /// A run as staff read it, in district time: `Tue 11/24 at 06:00`.
    pub fn label(&self, run: Timestamp) -> String {
        let at = run.to_zoned(self.zone.clone());
        let day = &format!("{:?}", at.weekday())[..3];
        format!("{day} {:02}/{:02} at {:02}:{:02}", at.month(), at.day(), at.hour(), at.minute())
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;

    fn schedule(days: &[Weekday], hour: u8, minute: u8, tz: &str) -> RunSchedule {
        RunSchedule::new(&RunTimes { days: days.to_vec(), hour, minute }, zone(Some(tz)).unwrap()).unwrap()
    }

    #[test]
    fn runs_follow_the_district_clock_across_daylight_saving() {
        use Weekday::*;
        let weekdays = schedule(&[Mon, Tue, Wed, Thu, Fri], 6, 0, "America/Chicago");
        let mut out = String::new();
        // Fri 2026-10-30 before DST ends (Sun 11-01), to Mon 11-02 after.
        let mut t: Timestamp = "2026-10-30T12:00:00Z".parse().unwrap();
        for _ in 0..3 {
            let run = weekdays.next_run_after(t).unwrap();
            out.push_str(&format!("{t} -> {run} ({})\n", weekdays.label(run)));
            t = run;
        }
        // Spring forward (Sun 2027-03-14): a 02:30 run that day happens at 03:30.
        let sunday = schedule(&[Sun], 2, 30, "America/Chicago");
        let run = sunday.next_run_after("2027-03-13T12:00:00Z".parse().unwrap()).unwrap();
        out.push_str(&format!("spring: {run} ({})\n", sunday.label(run)));
        expect![[r#"
            2026-10-30T12:00:00Z -> 2026-11-02T12:00:00Z (Mon 11/02 at 06:00)
            2026-11-02T12:00:00Z -> 2026-11-03T12:00:00Z (Tue 11/03 at 06:00)
            2026-11-03T12:00:00Z -> 2026-11-04T12:00:00Z (Wed 11/04 at 06:00)
            spring: 2027-03-14T08:30:00Z (Sun 03/14 at 03:30)
        "#]]
        .assert_eq(&out);
        let summer = weekdays.next_run_after("2026-10-29T12:00:00Z".parse().unwrap()).unwrap();
        assert_eq!(summer.to_string(), "2026-10-30T11:00:00Z", "06:00 CDT is 11:00 UTC");
    }

    #[test]
    fn the_phases_around_a_run() {
        let daily = schedule(&Weekday::ALL, 6, 0, "UTC");
        let at = |s: &str| daily.phase(s.parse().unwrap()).unwrap();
        let run: Timestamp = "2026-11-24T06:00:00Z".parse().unwrap();
        let open = Phase::Open { run, write_until: "2026-11-24T05:48:00Z".parse().unwrap() };
        assert_eq!(at("2026-11-23T07:00:00Z"), open);
        assert_eq!(at("2026-11-24T05:49:59Z"), open);
        let quiet = Phase::Quiet { run, until: "2026-11-24T07:00:00Z".parse().unwrap() };
        assert_eq!(at("2026-11-24T05:50:00Z"), quiet);
        assert_eq!(at("2026-11-24T06:59:59Z"), quiet);
        let next: Timestamp = "2026-11-25T06:00:00Z".parse().unwrap();
        assert_eq!(
            at("2026-11-24T07:00:00Z"),
            Phase::Open { run: next, write_until: "2026-11-25T05:48:00Z".parse().unwrap() }
        );
    }

    #[test]
    fn bad_zones_and_times_are_named() {
        assert_eq!(
            zone(Some("America/Chicgo")).unwrap_err().to_string(),
            "time_zone: \"America/Chicgo\" is not an IANA time zone (e.g. America/Chicago)"
        );
        assert_eq!(zone(None).unwrap(), TimeZone::UTC);
        let never = RunSchedule::new(&RunTimes { days: vec![], hour: 6, minute: 0 }, TimeZone::UTC).unwrap_err();
        assert!(never.to_string().contains("not a time that runs"), "{never}");
    }
}
