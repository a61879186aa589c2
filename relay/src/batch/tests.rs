use std::collections::BTreeMap;

use jiff::SignedDuration;
use writeback_core::courses::Weekday;
use writeback_core::delivery::RunTimes;

use super::*;
use crate::runs::zone;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn set(ids: &[u64]) -> BTreeSet<u64> {
    ids.iter().copied().collect()
}

fn daily_at_six() -> RunSchedule {
    RunSchedule::new(&RunTimes { days: Weekday::ALL.to_vec(), hour: 6, minute: 0 }, zone(Some("UTC")).unwrap()).unwrap()
}

#[test]
fn the_rules_step_by_step() {
    let s = daily_at_six();
    let run = ts("2026-11-24T06:00:00Z");
    // Pending rows are written for the next run, and again with a late one.
    let step = next_step(None, &set(&[1, 2]), ts("2026-11-23T09:00:00Z"), &s);
    assert_eq!(step, Step::Write { run, entries: set(&[1, 2]) });
    let w = apply(None, &step);
    assert_eq!(next_step(w.as_ref(), &set(&[]), ts("2026-11-23T10:00:00Z"), &s), Step::Wait { until: None });
    let step = next_step(w.as_ref(), &set(&[3]), ts("2026-11-24T05:47:59Z"), &s);
    assert_eq!(step, Step::Write { run, entries: set(&[1, 2, 3]) });
    let w = apply(w, &step);
    // Too close to the run: the late row waits for the next batch.
    let late = next_step(w.as_ref(), &set(&[4]), ts("2026-11-24T05:48:00Z"), &s);
    assert_eq!(late, Step::Wait { until: Some(ts("2026-11-24T07:00:00Z")) });
    let quiet = next_step(w.as_ref(), &set(&[4]), ts("2026-11-24T06:30:00Z"), &s);
    assert_eq!(quiet, Step::Wait { until: Some(ts("2026-11-24T07:00:00Z")) });
    // The window closed: the rows were read; then the next batch replaces them.
    let read = next_step(w.as_ref(), &set(&[4]), ts("2026-11-24T07:00:00Z"), &s);
    assert_eq!(read, Step::Read { run, entries: set(&[1, 2, 3]), again: false });
    let w = apply(w, &read);
    let next = ts("2026-11-25T06:00:00Z");
    let step = next_step(w.as_ref(), &set(&[4]), ts("2026-11-24T07:00:00Z"), &s);
    assert_eq!(step, Step::Write { run: next, entries: set(&[4]) });
    // Nothing pending after a run: the file is emptied, once.
    let step = next_step(w.as_ref(), &set(&[]), ts("2026-11-24T07:05:00Z"), &s);
    assert_eq!(step, Step::Write { run: next, entries: set(&[]) });
    let w = apply(w, &step);
    assert_eq!(next_step(w.as_ref(), &set(&[]), ts("2026-11-26T12:00:00Z"), &s), Step::Wait { until: None });
    // Never replaced after a run (an outage): the next run reads them again, and that is said.
    let stuck = Some(Written { run, entries: set(&[1]), last_read: Some(run) });
    let again = next_step(stuck.as_ref(), &set(&[]), ts("2026-11-25T07:00:00Z"), &s);
    assert_eq!(again, Step::Read { run: next, entries: set(&[1]), again: true });
}

/// A small deterministic PRNG (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// What a simulated month gave: the runs PowerSchool read each entry in,
/// and what the rules said each run read.
#[derive(Default)]
struct Outcome {
    imported: BTreeMap<u64, Vec<Timestamp>>,
    reported: BTreeMap<u64, Vec<(Timestamp, bool)>>,
    accepted_at: BTreeMap<u64, Timestamp>,
}

/// A month across the end of daylight saving in Chicago: rows arrive at
/// random; the relay runs its steps at irregular ticks, its writes fail at
/// random, and it is down now and then for up to `max_outage_hours`;
/// PowerSchool reads the file at a random minute of each run's hour.
fn simulate(seed: u64, max_outage_hours: u64) -> Outcome {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut days: Vec<Weekday> = Weekday::ALL.iter().copied().filter(|_| rng.chance(60)).collect();
    if days.is_empty() {
        days.push(Weekday::Tue);
    }
    let runs = RunTimes { days, hour: rng.below(24) as u8, minute: [0, 30][rng.below(2) as usize] };
    let schedule = RunSchedule::new(&runs, zone(Some("America/Chicago")).unwrap()).unwrap();
    let start = ts("2026-10-15T00:00:00Z");
    let stop_arrivals = ts("2026-11-12T00:00:00Z");
    let end = ts("2026-11-30T00:00:00Z");
    let mut out = Outcome::default();
    let (mut written, mut pending, mut file): (Option<Written>, BTreeSet<u64>, BTreeSet<u64>) = Default::default();
    let mut next_id = 1;
    let mut next_tick = start;
    let mut down_until = start;
    // PowerSchool: one read at a random minute of each run's hour.
    let mut reads = BTreeMap::new();
    let mut run = schedule.next_run_after(start).unwrap();
    while run < end {
        reads.insert(run.checked_add(SignedDuration::from_mins(rng.below(60) as i64)).unwrap(), run);
        run = schedule.next_run_after(run).unwrap();
    }
    let mut t = start;
    while t < end {
        if t < stop_arrivals && rng.chance(3) {
            pending.insert(next_id);
            out.accepted_at.insert(next_id, t);
            next_id += 1;
        }
        if let Some(run) = reads.get(&t) {
            for e in &file {
                out.imported.entry(*e).or_default().push(*run);
            }
        }
        if max_outage_hours > 0 && t >= down_until && rng.chance(1) && rng.chance(10) {
            down_until = t.checked_add(SignedDuration::from_hours(1 + rng.below(max_outage_hours) as i64)).unwrap();
        }
        if t >= next_tick && t >= down_until {
            loop {
                let step = next_step(written.as_ref(), &pending, t, &schedule);
                match &step {
                    Step::Wait { .. } => break,
                    Step::Read { run, entries, again } => {
                        for e in entries {
                            out.reported.entry(*e).or_default().push((*run, *again));
                        }
                    }
                    Step::Write { entries, .. } => {
                        if rng.chance(20) {
                            break; // the write failed: nothing changed
                        }
                        file = entries.clone();
                        pending.retain(|e| !entries.contains(e));
                    }
                }
                written = apply(written, &step);
            }
            next_tick = t.checked_add(SignedDuration::from_mins(1 + rng.below(20) as i64)).unwrap();
        }
        t = t.checked_add(SignedDuration::from_mins(1)).unwrap();
    }
    assert!(pending.is_empty(), "seed {seed}: rows never written: {pending:?}");
    out
}

#[test]
fn every_row_is_read_by_exactly_one_run_and_only_the_one_it_was_written_for() {
    for seed in 0..24 {
        let out = simulate(seed, 6);
        assert!(out.accepted_at.len() > 100, "seed {seed}: only {} rows", out.accepted_at.len());
        for (id, accepted) in &out.accepted_at {
            let runs = out.imported.get(id).unwrap_or_else(|| panic!("seed {seed}: row {id} was never imported"));
            assert_eq!(runs.len(), 1, "seed {seed}: row {id} imported by {runs:?}");
            assert!(runs[0] > *accepted, "seed {seed}: row {id} imported before it was accepted");
            assert_eq!(out.reported[id], [(runs[0], false)], "seed {seed}: row {id}: the rules said otherwise");
        }
    }
}

#[test]
fn a_row_read_twice_after_a_long_outage_is_reported_as_such() {
    let mut twice = 0;
    for seed in 0..24 {
        let out = simulate(seed, 72);
        for id in out.accepted_at.keys() {
            let runs = &out.imported[id];
            let said: Vec<(Timestamp, bool)> = runs.iter().enumerate().map(|(i, r)| (*r, i > 0)).collect();
            assert_eq!(out.reported[id], said, "seed {seed}: row {id}");
            twice += usize::from(runs.len() > 1);
        }
    }
    assert!(twice > 0, "no outage was long enough to matter: the test proves nothing");
}
