//! The rules that put each accepted row in a target's file for exactly one
//! PowerSchool run (powerschool.md 2d: an AutoComm record or DIM template
//! re-reads one fixed path at every run and never removes the file).
//!
//! What the relay knows of a target is [`Written`]: the entries the file at
//! the path holds (confirmed), the run they are for, and the last run that
//! has read them. From it, the entries accepted and in no file yet
//! (`pending`), the clock and the schedule, [`next_step`] says what to do:
//!
//! 1. The file is replaced only while the target is [`Phase::Open`] and
//!    before `write_until`; never in the quiet window around a run.
//! 2. A replacement for run R holds the entries already written for R plus
//!    every pending entry; an unconfirmed write changes nothing (its
//!    entries stay pending).
//! 3. When the window of the run a file was written for has closed, its
//!    entries were at the path for that whole run: they are
//!    [`Step::Read`] (delivered).
//! 4. Then the file is replaced before the next run: by the next batch, or
//!    emptied. If it could not be (the target or the relay down through a
//!    whole open phase), the next run reads the same rows again: that is
//!    reported ([`Step::Read`] with `again`), never hidden.

use std::collections::BTreeSet;

use jiff::Timestamp;

use crate::runs::{Phase, RunSchedule, RUN_LENGTH};

/// What the file at a target's path is known to hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The run the file was written for.
    pub run: Timestamp,
    /// Its entries (empty: a file without rows).
    pub entries: BTreeSet<u64>,
    /// The last run whose window closed with this content at the path.
    pub last_read: Option<Timestamp>,
}

/// What to do next for a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The run `run` has read `entries` (its window closed with them at the
    /// path). `again`: an earlier run read them already, so they may have
    /// been imported twice.
    Read {
        /// The run.
        run: Timestamp,
        /// The entries.
        entries: BTreeSet<u64>,
        /// Whether an earlier run read them too.
        again: bool,
    },
    /// Replace the file (temporary name, rename) with `entries`, for `run`.
    Write {
        /// The run the file is for.
        run: Timestamp,
        /// The entries it holds.
        entries: BTreeSet<u64>,
    },
    /// Nothing to do until `until` (or until new entries come).
    Wait {
        /// When the phase changes.
        until: Option<Timestamp>,
    },
}

/// The next step for a target at `now`.
pub fn next_step(written: Option<&Written>, pending: &BTreeSet<u64>, now: Timestamp, schedule: &RunSchedule) -> Step {
    if let Some(step) = read_by_a_run(written, now, schedule) {
        return step;
    }
    match schedule.phase(now) {
        None => Step::Wait { until: None },
        Some(Phase::Quiet { until, .. }) => Step::Wait { until: Some(until) },
        Some(Phase::Open { run, write_until }) if now >= write_until => {
            Step::Wait { until: run.checked_add(RUN_LENGTH).ok() }
        }
        Some(Phase::Open { run, .. }) => {
            let current = written.filter(|w| w.run == run && w.last_read.is_none());
            let mut want = pending.clone();
            if let Some(w) = current {
                want.extend(w.entries.iter().copied());
            }
            let unchanged = match written {
                Some(w) => w.entries == want && (current.is_some() || want.is_empty()),
                None => want.is_empty(),
            };
            if unchanged {
                Step::Wait { until: None }
            } else {
                Step::Write { run, entries: want }
            }
        }
    }
}

/// Rule 3: the first run whose window closed with `written`'s rows at the
/// path and that is not recorded yet.
fn read_by_a_run(written: Option<&Written>, now: Timestamp, schedule: &RunSchedule) -> Option<Step> {
    let w = written.filter(|w| !w.entries.is_empty())?;
    let run = match w.last_read {
        None => w.run,
        Some(last) => schedule.next_run_after(last)?,
    };
    let closed = run.checked_add(RUN_LENGTH).ok()?;
    (now >= closed).then(|| Step::Read { run, entries: w.entries.clone(), again: w.last_read.is_some() })
}

/// `written` after `step` was carried out (a write: confirmed).
pub fn apply(written: Option<Written>, step: &Step) -> Option<Written> {
    match step {
        Step::Read { run, .. } => written.map(|w| Written { last_read: Some(*run), ..w }),
        Step::Write { run, entries } => Some(Written { run: *run, entries: entries.clone(), last_read: None }),
        Step::Wait { .. } => written,
    }
}

#[cfg(test)]
mod tests;
