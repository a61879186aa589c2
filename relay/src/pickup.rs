//! When PowerSchool's AutoComm is expected to pick a schedules file up: the
//! district's schedule (`district.json`, `courses.autocomm`, hours in
//! district time) read on the relay's clock, which runs in UTC and is
//! shifted to district time by `--district-utc-offset`.

use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use writeback::courses::AutoCommSchedule;
use writeback::domain::Date;

use crate::config::UtcOffset;
use crate::time::UtcTime;

/// The district's AutoComm schedule and time zone. Clones share the
/// schedule, so a reload of `district.json` reaches the delivery worker.
#[derive(Debug, Clone)]
pub struct PickupClock {
    schedule: Arc<RwLock<Option<AutoCommSchedule>>>,
    offset: UtcOffset,
}

impl PickupClock {
    /// A clock for `schedule` (none: the district did not say) at `offset`.
    pub fn new(schedule: Option<AutoCommSchedule>, offset: UtcOffset) -> PickupClock {
        PickupClock { schedule: Arc::new(RwLock::new(schedule)), offset }
    }

    /// Follows a new schedule (the district's settings were reloaded).
    pub fn set_schedule(&self, schedule: Option<AutoCommSchedule>) {
        *self.schedule.write().unwrap_or_else(|p| p.into_inner()) = schedule;
    }

    /// The first AutoComm run strictly after `t`, in district time as staff
    /// read it: `Tue 11/24 at 06:00`. `None` without a schedule that runs.
    pub fn after(&self, t: SystemTime) -> Option<String> {
        let guard = self.schedule.read().unwrap_or_else(|p| p.into_inner());
        let schedule = guard.as_ref()?;
        let local = UtcTime::at_offset(t, self.offset.minutes());
        let (y, m, d) = local.ymd();
        let date = Date::from_ymd(i32::try_from(y).ok()?, m, d)?;
        let (hour, minute) = local.hour_minute();
        let pickup = schedule.next_pickup((date, u8::try_from(hour).ok()?, u8::try_from(minute).ok()?))?;
        Some(pickup.label())
    }

    /// The first AutoComm run from now.
    pub fn next(&self) -> Option<String> {
        self.after(SystemTime::now())
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use writeback::courses::Weekday::*;

    use super::*;

    #[test]
    fn a_reloaded_schedule_reaches_every_clone() {
        let at = UNIX_EPOCH + Duration::from_secs(1_795_338_043); // Sun 2026-11-22T09:00:43Z
        let clock = PickupClock::new(None, UtcOffset::UTC);
        let worker = clock.clone();
        assert_eq!(worker.after(at), None);
        clock.set_schedule(Some(AutoCommSchedule { days: vec![Tue], hour: 7 }));
        assert_eq!(worker.after(at).as_deref(), Some("Tue 11/24 at 07:00"));
    }

    #[test]
    fn the_next_run_in_district_time() {
        let weekdays = AutoCommSchedule { days: vec![Mon, Tue, Wed, Thu, Fri], hour: 6 };
        let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
        // 1_795_338_043 = Sun 2026-11-22T09:00:43Z.
        let sunday_9_utc = at(1_795_338_043);
        let utc = PickupClock::new(Some(weekdays.clone()), UtcOffset::UTC);
        assert_eq!(utc.after(sunday_9_utc).as_deref(), Some("Mon 11/23 at 06:00"));
        // Mon 2026-11-23T05:59:00Z, then 06:00:00Z: a run at this very minute has started.
        let monday = at(1_795_338_043 - 9 * 3600 - 43 + 24 * 3600);
        assert_eq!(utc.after(monday + Duration::from_secs(5 * 3600 + 59 * 60)).as_deref(), Some("Mon 11/23 at 06:00"));
        assert_eq!(utc.after(monday + Duration::from_secs(6 * 3600)).as_deref(), Some("Tue 11/24 at 06:00"));
        // Mon 03:00Z is Sun 22:00 at UTC-05:00: the next run is Monday's.
        let east = PickupClock::new(Some(weekdays.clone()), UtcOffset::parse("-05:00").unwrap());
        assert_eq!(east.after(monday + Duration::from_secs(3 * 3600)).as_deref(), Some("Mon 11/23 at 06:00"));
        // Mon 10:59Z is 05:59 at UTC-05:00; 11:00Z is 06:00 there.
        assert_eq!(
            east.after(monday + Duration::from_secs(10 * 3600 + 59 * 60)).as_deref(),
            Some("Mon 11/23 at 06:00")
        );
        assert_eq!(east.after(monday + Duration::from_secs(11 * 3600)).as_deref(), Some("Tue 11/24 at 06:00"));
        // Fri 2026-11-27 12:00Z: the weekend is skipped.
        assert_eq!(
            utc.after(monday + Duration::from_secs(4 * 86_400 + 12 * 3600)).as_deref(),
            Some("Mon 11/30 at 06:00")
        );
        assert_eq!(PickupClock::new(None, UtcOffset::UTC).after(sunday_9_utc), None);
        let never = PickupClock::new(Some(AutoCommSchedule { days: vec![], hour: 6 }), UtcOffset::UTC);
        assert_eq!(never.after(sunday_9_utc), None);
    }
}
