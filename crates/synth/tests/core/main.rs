//! The core's tests that need generated data (the core cannot depend on
//! this crate): contact matching on a labelled district and on the demo,
//! the contact decisions' properties over the demo's applications (random
//! decisions and random clicks), and the course writeback over every
//! application of a demo district.

use writeback_core::domain::Date;

mod clicks;
mod contacts;
mod courses;
mod property;

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}
