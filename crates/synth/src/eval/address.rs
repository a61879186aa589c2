//! Home addresses for the labelled district, drawn from their own random
//! stream (so adding them left every other draw as it was): houses drawn as
//! the demo draws them (`StreetLine`), on the word lists' streets and in
//! the district's cities; and how a form writes them:
//!
//! | | share |
//! |---|---|
//! | household with an address in PowerSchool | 88% |
//! | of those, in an apartment building (neighbours share the street line) | 25% |
//! | a relative living with the household (else elsewhere) | 50% |
//! | form: the same address / moved (a new one) / none given | 62 / 18 / 20% |
//! | a same address written differently (Street / St, case, `#4` / `Apt 4`, unit or ZIP left out) | always varied |
//!
//! and the relationship a form gives (from a stream of its own too):
//!
//! | | share |
//! |---|---|
//! | Mother / Father as the person's gender | 85% |
//! | Guardian or Parent / none | 8 / 6% |
//! | the other gender's (a slip) | 1% |

use std::sync::OnceLock;

use crate::details::StreetLine;
use crate::names::{City, CITIES, MORE_STREETS, MORE_SUFFIXES, STREETS, SUFFIXES};
use crate::rng::Rng;
use writeback_core::contacts::FormAddress;

/// An address as PowerSchool stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HomeAddress {
    pub line: StreetLine,
    pub unit: Option<u32>,
    pub city: &'static City,
    pub zip: &'static str,
}

/// Street names and (short, long) suffixes.
type Streets = (Vec<&'static str>, Vec<(&'static str, &'static str)>);

/// The streets and suffixes households live on: the word lists' common
/// ones and the rarer ones after them.
fn streets() -> &'static Streets {
    static ALL: OnceLock<Streets> = OnceLock::new();
    ALL.get_or_init(|| ([STREETS, MORE_STREETS].concat(), [SUFFIXES, MORE_SUFFIXES].concat()))
}

/// Apartment buildings handed out so far (households share them).
#[derive(Debug, Default)]
pub(crate) struct Buildings(Vec<HomeAddress>);

impl HomeAddress {
    /// A household's address, or `None` when PowerSchool has none.
    pub fn draw(rng: &mut Rng, buildings: &mut Buildings) -> Option<HomeAddress> {
        if !rng.percent(88) {
            return None;
        }
        if rng.percent(25) {
            if buildings.0.is_empty() || rng.percent(10) {
                let b = HomeAddress::house(rng);
                buildings.0.push(b);
            }
            let i = rng.below(buildings.0.len());
            let unit = 100 + rng.below(400) as u32;
            return Some(HomeAddress { unit: Some(unit), ..buildings.0[i].clone() });
        }
        Some(HomeAddress::house(rng))
    }

    fn house(rng: &mut Rng) -> HomeAddress {
        let (streets, suffixes) = streets();
        let line = StreetLine::random(rng, streets, suffixes);
        let city = rng.pick(CITIES);
        HomeAddress { line, unit: None, city, zip: rng.choose(city.zips) }
    }

    /// (Street, Unit, City, Postal Code) as PowerSchool stores them (the
    /// suffix spelled out).
    pub fn stored(&self) -> (String, String, &'static str, &'static str) {
        let StreetLine { number, street, suffix: (_, long) } = self.line;
        let unit = self.unit.map(|u| format!("Apt {u}")).unwrap_or_default();
        (format!("{number} {street} {long}"), unit, self.city.name, self.zip)
    }

    /// The address as a form writes it.
    fn written(&self, rng: &mut Rng) -> FormAddress {
        let StreetLine { number, street, suffix: (short, long) } = self.line;
        let suffix = if rng.percent(50) { short.to_string() } else { long.to_string() };
        let suffix = if rng.percent(20) { format!("{suffix}.") } else { suffix };
        let mut street = format!("{number} {street} {suffix}");
        if let Some(u) = self.unit {
            match rng.below(10) {
                0..4 => street.push_str(&format!(" Apt {u}")),
                4..7 => street.push_str(&format!(" #{u}")),
                7..8 => street.push_str(&format!(" Unit {u}")),
                _ => {}
            }
        }
        match rng.below(100) {
            0..5 => street = street.to_uppercase(),
            5..8 => street = street.to_lowercase(),
            _ => {}
        }
        let zip = if rng.percent(10) { String::new() } else { self.zip.to_string() };
        FormAddress { street, city: self.city.name.to_string(), postal_code: zip, address_type: "Home".to_string() }
    }
}

/// The addresses a form gives for a person of PowerSchool living at `home`
/// (`None`: PowerSchool has no address), and the corruption in words.
pub(crate) fn form_addresses(
    rng: &mut Rng,
    home: Option<&HomeAddress>,
    buildings: &mut Buildings,
) -> (Vec<FormAddress>, Option<&'static str>) {
    let Some(home) = home else {
        // Nothing in PowerSchool: a form still gives one, mostly.
        return match rng.percent(80) {
            true => (vec![HomeAddress::house(rng).written(rng)], Some("address not in PowerSchool")),
            false => (Vec::new(), None),
        };
    };
    match rng.below(100) {
        0..62 => (vec![home.written(rng)], None),
        62..80 => {
            let moved = HomeAddress::draw(rng, buildings).unwrap_or_else(|| HomeAddress::house(rng));
            (vec![moved.written(rng)], Some("moved (new address)"))
        }
        _ => (Vec::new(), Some("no address")),
    }
}

/// The addresses a form gives for a person not in PowerSchool who lives at
/// `home` (which may be a building PowerSchool's persons live in too).
pub(crate) fn new_person_addresses(rng: &mut Rng, home: Option<&HomeAddress>) -> Vec<FormAddress> {
    match home {
        Some(h) if rng.percent(80) => vec![h.written(rng)],
        _ => Vec::new(),
    }
}

/// The relationship a form gives for a person (`female` as PowerSchool has it).
pub(crate) fn form_relationship(rng: &mut Rng, female: bool) -> String {
    let (own, other) = if female { ("Mother", "Father") } else { ("Father", "Mother") };
    match rng.below(100) {
        0..85 => own,
        85..89 => "Guardian",
        89..93 => "Parent",
        93..99 => "",
        _ => other,
    }
    .to_string()
}
