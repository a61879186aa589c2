//! When PowerSchool's AutoComm is expected to pick a schedules file up: the
//! district's schedule (`district.json`, `courses.autocomm`, hours in
//! district time) read in the district's IANA time zone (`time_zone`, the
//! zone its import runs are in; UTC when not given), daylight saving right.

use std::sync::{Arc, RwLock};

use jiff::tz::TimeZone;
use jiff::Timestamp;
use writeback_core::courses::AutoCommSchedule;
use writeback_core::domain::Date;
use writeback_core::plan::DistrictSettings;

/// The district's AutoComm schedule and time zone.
#[derive(Debug, Clone)]
struct Pickups {
    schedule: Option<AutoCommSchedule>,
    zone: TimeZone,
}

/// The district's AutoComm schedule and time zone. Clones share them, so a
/// reload of `district.json` reaches the delivery worker.
#[derive(Debug, Clone)]
pub struct PickupClock {
    pickups: Arc<RwLock<Pickups>>,
}

impl PickupClock {
    /// A clock for `schedule` (none: the district did not say) in `zone`.
    pub fn new(schedule: Option<AutoCommSchedule>, zone: TimeZone) -> PickupClock {
        PickupClock { pickups: Arc::new(RwLock::new(Pickups { schedule, zone })) }
    }

    /// The clock of a district's settings. A zone not in the IANA database
    /// is refused when the settings load (it is one of their problems); it
    /// is never reached here, and would read as UTC.
    pub fn of(settings: &DistrictSettings) -> PickupClock {
        let clock = PickupClock::new(None, TimeZone::UTC);
        clock.follow(settings);
        clock
    }

    /// Follows new settings (the district's were reloaded).
    pub fn follow(&self, settings: &DistrictSettings) {
        let zone = crate::runs::zone(settings.time_zone.as_deref()).unwrap_or(TimeZone::UTC);
        let next = Pickups { schedule: settings.courses.autocomm.clone(), zone };
        *self.pickups.write().unwrap_or_else(|p| p.into_inner()) = next;
    }

    /// The first AutoComm run strictly after `t`, in district time as staff
    /// read it: `Tue 11/24 at 06:00`. `None` without a schedule that runs.
    pub fn after(&self, t: Timestamp) -> Option<String> {
        let guard = self.pickups.read().unwrap_or_else(|p| p.into_inner());
        let schedule = guard.schedule.as_ref()?;
        let local = t.to_zoned(guard.zone.clone());
        let date = Date::from_ymd(
            i32::from(local.year()),
            u32::try_from(local.month()).ok()?,
            u32::try_from(local.day()).ok()?,
        )?;
        let (hour, minute) = (u8::try_from(local.hour()).ok()?, u8::try_from(local.minute()).ok()?);
        Some(schedule.next_pickup((date, hour, minute))?.label())
    }

    /// The first AutoComm run from now.
    pub fn next(&self) -> Option<String> {
        self.after(Timestamp::now())
    }
}

#[cfg(test)]
mod tests {
    use writeback_core::courses::Weekday::*;

    use super::*;

    fn at(rfc3339: &str) -> Timestamp {
        rfc3339.parse().unwrap()
    }

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    #[test]
    fn a_reloaded_schedule_reaches_every_clone() {
        let clock = PickupClock::of(&DistrictSettings::default());
        let worker = clock.clone();
        let sunday = at("2026-11-22T09:00:43Z");
        assert_eq!(worker.after(sunday), None);
        let mut settings = DistrictSettings::default();
        settings.courses.autocomm = Some(AutoCommSchedule { days: vec![Tue], hour: 7 });
        clock.follow(&settings);
        assert_eq!(worker.after(sunday).as_deref(), Some("Tue 11/24 at 07:00"));
        // A zone given later is followed too: Sun 09:00Z is 03:00 in Chicago.
        settings.time_zone = Some("America/Chicago".into());
        settings.courses.autocomm = Some(AutoCommSchedule { days: vec![Sun], hour: 5 });
        clock.follow(&settings);
        assert_eq!(worker.after(sunday).as_deref(), Some("Sun 11/22 at 05:00"));
    }

    #[test]
    fn the_next_run_in_district_time() {
        let weekdays = AutoCommSchedule { days: vec![Mon, Tue, Wed, Thu, Fri], hour: 6 };
        let utc = PickupClock::new(Some(weekdays.clone()), TimeZone::UTC);
        assert_eq!(utc.after(at("2026-11-22T09:00:43Z")).as_deref(), Some("Mon 11/23 at 06:00"));
        // A run at this very minute has started: the next one is told.
        assert_eq!(utc.after(at("2026-11-23T05:59:00Z")).as_deref(), Some("Mon 11/23 at 06:00"));
        assert_eq!(utc.after(at("2026-11-23T06:00:00Z")).as_deref(), Some("Tue 11/24 at 06:00"));
        // Fri 12:00Z: the weekend is skipped.
        assert_eq!(utc.after(at("2026-11-27T12:00:00Z")).as_deref(), Some("Mon 11/30 at 06:00"));
        let never = PickupClock::new(Some(AutoCommSchedule { days: vec![], hour: 6 }), TimeZone::UTC);
        assert_eq!(never.after(at("2026-11-22T09:00:43Z")), None);
        assert_eq!(PickupClock::new(None, TimeZone::UTC).after(at("2026-11-22T09:00:43Z")), None);
    }

    #[test]
    fn daylight_saving_time_moves_the_district_clock() {
        let weekdays = AutoCommSchedule { days: vec![Mon, Tue, Wed, Thu, Fri], hour: 6 };
        let chicago = PickupClock::new(Some(weekdays), zone("America/Chicago"));
        // November (CST, UTC-6): 11:59Z is 05:59 there, 12:00Z is 06:00.
        assert_eq!(chicago.after(at("2026-11-23T11:59:00Z")).as_deref(), Some("Mon 11/23 at 06:00"));
        assert_eq!(chicago.after(at("2026-11-23T12:00:00Z")).as_deref(), Some("Tue 11/24 at 06:00"));
        // Mon 03:00Z is still Sunday evening there: the next run is Monday's.
        assert_eq!(chicago.after(at("2026-11-23T03:00:00Z")).as_deref(), Some("Mon 11/23 at 06:00"));
        // September (CDT, UTC-5): 10:59Z is 05:59, 11:00Z is 06:00, an
        // hour earlier in UTC than in November.
        assert_eq!(chicago.after(at("2026-09-14T10:59:00Z")).as_deref(), Some("Mon 09/14 at 06:00"));
        assert_eq!(chicago.after(at("2026-09-14T11:00:00Z")).as_deref(), Some("Tue 09/15 at 06:00"));
        // The night daylight saving time ends (Sun 11/01 02:00 CDT -> 01:00 CST).
        assert_eq!(chicago.after(at("2026-11-02T11:30:00Z")).as_deref(), Some("Mon 11/02 at 06:00"));
    }
}
