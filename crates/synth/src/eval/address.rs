//! Home addresses for the labelled district, drawn from their own random
//! stream (so adding them left every other draw as it was), and how a form
//! writes them:
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

use crate::rng::Rng;
use writeback_core::contacts::FormAddress;

/// An address as PowerSchool stores it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HomeAddress {
    pub number: u32,
    pub street: &'static str,
    pub suffix: usize,
    pub unit: Option<u32>,
    pub place: usize,
}

const STREETS: &[&str] = &[
    "Elm",
    "Oak",
    "Maple",
    "Cedar",
    "Pine",
    "Birch",
    "Willow",
    "Lake",
    "Hill",
    "River",
    "Park",
    "Main",
    "Church",
    "Mill",
    "Spring",
    "Ridge",
    "Prairie",
    "Summit",
    "Grand",
    "Marshall",
    "Selby",
    "Lincoln",
    "Washington",
    "Jefferson",
    "Franklin",
    "Central",
    "University",
    "Como",
    "Snelling",
    "Hamline",
    "Lexington",
    "Victoria",
    "Dale",
    "Rice",
    "Payne",
    "Arcade",
    "White Bear",
    "Larpenteur",
    "County Road B",
    "Highland",
    "Cleveland",
    "Cretin",
    "Fairview",
    "Minnehaha",
    "Lyndale",
    "Hennepin",
    "Nicollet",
    "Bloomington",
    "Cedar Lake",
    "Penn",
    "Xerxes",
    "France",
    "Portland",
    "Chicago",
    "Cambridge",
    "Oxford",
    "Juno",
    "Randolph",
    "Jessamine",
    "North Oaks",
];
/// (long, short) street suffixes.
const SUFFIXES: &[(&str, &str)] = &[
    ("Street", "St"),
    ("Avenue", "Ave"),
    ("Road", "Rd"),
    ("Drive", "Dr"),
    ("Lane", "Ln"),
    ("Court", "Ct"),
    ("Boulevard", "Blvd"),
    ("Place", "Pl"),
];
/// (city, ZIP code).
const PLACES: &[(&str, &str)] = &[
    ("Saint Paul", "55101"),
    ("Saint Paul", "55104"),
    ("Saint Paul", "55105"),
    ("Saint Paul", "55106"),
    ("Saint Paul", "55116"),
    ("Saint Paul", "55117"),
    ("Roseville", "55113"),
    ("Maplewood", "55109"),
    ("Minneapolis", "55406"),
    ("Minneapolis", "55407"),
    ("Minneapolis", "55408"),
    ("Woodbury", "55125"),
];

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
        HomeAddress {
            number: 1 + rng.below(9999) as u32,
            street: STREETS[rng.below(STREETS.len())],
            suffix: rng.below(SUFFIXES.len()),
            unit: None,
            place: rng.below(PLACES.len()),
        }
    }

    /// (Street, Unit, City, Postal Code) as PowerSchool stores them.
    pub fn stored(&self) -> (String, String, &'static str, &'static str) {
        let (city, zip) = PLACES[self.place];
        let street = format!("{} {} {}", self.number, self.street, SUFFIXES[self.suffix].0);
        (street, self.unit.map(|u| format!("Apt {u}")).unwrap_or_default(), city, zip)
    }

    /// The address as a form writes it.
    fn written(&self, rng: &mut Rng) -> FormAddress {
        let (long, short) = SUFFIXES[self.suffix];
        let suffix = if rng.percent(50) { short.to_string() } else { long.to_string() };
        let suffix = if rng.percent(20) { format!("{suffix}.") } else { suffix };
        let mut street = format!("{} {} {suffix}", self.number, self.street);
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
        let (city, zip) = PLACES[self.place];
        let zip = if rng.percent(10) { String::new() } else { zip.to_string() };
        FormAddress { street, city: city.to_string(), postal_code: zip, address_type: "Home".to_string() }
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
