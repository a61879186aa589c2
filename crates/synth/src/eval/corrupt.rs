//! How a person's data arrives on a form. Each corruption has a rate (per
//! contact, in percent or per mille), applied independently:
//!
//! | corruption | rate |
//! |---|---|
//! | accents dropped (names stored with accents) | 50% |
//! | ALL CAPS / all lower case | 4% / 3% |
//! | nickname from the table (Bob for Robert, Bill for William) | 10% |
//! | otherwise a nickname of the word lists that no table of the matcher's knows (Moose, Bashir, Seng, Mo), or the first 3-4 letters (Alex, Abdi) | 2% |
//! | Spanish given name: a hypocorism from the word lists (Chuy, Pancho, Lupita; some the matcher's table lacks) | 9% |
//! | first name typo / last name typo (one letter after the first: a neighbouring key, dropped, added, swapped with the next) | 3% / 3% |
//! | a first name with other common spellings: one of them, two edits or more away (Stephen -> Steven, Mohammed -> Muhammad) | 25% |
//! | first and last name swapped | 1.5% |
//! | title added (Mrs., Mr.) / suffix dropped (Jr.) | 1% / 50% |
//! | one part of a compound surname / a second surname added | 50% / 2% |
//! | particles written together (de la Cruz -> DeLaCruz) | 30% |
//! | married-name change (new last name) | 3% |
//! | middle name: kept / initial / dropped; invented when none | 50/15/35%; 4% |
//! | email: kept / case changed / a new address / none | 72/8/10/10% |
//! | a kept email: provider mistyped (gmial.com) / one letter off in the mailbox | 2% / 2% |
//! | no email in PowerSchool: a new one on the form | 60% |
//! | each phone: dropped / one digit wrong / two neighbouring digits swapped / malformed | 12% / 3% / 3% / 1% |
//! | each phone: type differs (Mobile given as Home) | 6% |
//! | a new phone (not in PowerSchool) added | 12% |
//! | phone written in another format (dashes, parentheses, dots, digits only, +1, 1-, ext.) | always varied |

use super::generate::{phone_number, title_case, Case, Generated, Lists};
use crate::details::{capitalise_words, typed_phone};
use crate::names::{self, ascii_key as key, strip_accents, Heritage};
use crate::rng::Rng;
use crate::typos::{mailbox_typo, provider_typo, spelling_variant, swapped_digits, typo, wrong_digit};
use writeback_core::contacts::normalize::Nicknames;
use writeback_core::contacts::{FormContact, FormEmail, FormPhone};

/// The form contact for a person of the snapshot, corrupted.
pub(crate) fn corrupt(rng: &mut Rng, p: &Generated, lists: &Lists) -> Case {
    let mut c =
        Corruption { rng, how: Vec::new(), first: p.first.clone(), middle: p.middle.clone(), last: p.last.clone() };
    c.drop_accents();
    c.nickname();
    c.misspell_first_name();
    c.change_last_name(p, lists);
    c.change_middle_name(p, lists);
    c.swap_title_and_case(p);
    let emails = c.emails(p);
    let phones = c.phones(p);
    let contact = form_contact(c.first, c.middle, c.last, emails, phones);
    Case { contact, truth: p.ids.clone(), corruptions: c.how }
}

/// A person's data on its way to a form: the name so far, and the
/// corruptions applied (in order).
struct Corruption<'r> {
    rng: &'r mut Rng,
    how: Vec<&'static str>,
    first: String,
    middle: String,
    last: String,
}

impl Corruption<'_> {
    /// Names stored with accents written without.
    fn drop_accents(&mut self) {
        if !(self.first.is_ascii() && self.last.is_ascii() && self.middle.is_ascii()) && self.rng.percent(50) {
            self.first = strip_accents(&self.first);
            self.middle = strip_accents(&self.middle);
            self.last = strip_accents(&self.last);
            self.how.push("accents dropped");
        }
    }

    /// A Spanish hypocorism, a nickname from the matcher's English table or
    /// one no table of the matcher's knows, or the first letters of the
    /// first name.
    fn nickname(&mut self) {
        let rng = &mut *self.rng;
        let first = &mut self.first;
        let known = names::all_nicknames(first);
        if !known.is_empty() && names::is_given_name(Heritage::Hispanic, first) && rng.percent(9) {
            *first = rng.choose(&known).to_string();
            self.how.push("Spanish hypocorism");
        } else if rng.percent(12) {
            let folded = key(first);
            let table: Vec<&str> = Nicknames::english().related(&folded).collect();
            let unknown: Vec<&str> =
                known.into_iter().filter(|n| !Nicknames::table().related_pair(&folded, &key(n))).collect();
            if rng.percent(83) && !table.is_empty() {
                *first = title_case(rng.choose(&table));
                self.how.push("nickname");
            } else if !unknown.is_empty() {
                *first = rng.choose(&unknown).to_string();
                self.how.push("nickname not in the table");
            } else if first.chars().count() >= 6 {
                *first = first.chars().take(3 + rng.below(2)).collect();
                self.how.push("short form of the first name");
            }
        }
    }

    /// A typo in the first name, or another common spelling of it.
    fn misspell_first_name(&mut self) {
        if self.rng.percent(3) {
            if let Some(t) = typo(self.rng, &self.first) {
                self.first = t;
                self.how.push("first name typo");
            }
        }
        if self.rng.percent(25) {
            if let Some(v) = spelling_variant(self.rng, &self.first) {
                self.first = v;
                self.how.push("first name spelled another way");
            }
        }
    }

    /// A typo in the last name, a suffix dropped, particles joined, one
    /// part of a compound surname or a second one added, a married name.
    fn change_last_name(&mut self, p: &Generated, lists: &Lists) {
        let (rng, how, last) = (&mut *self.rng, &mut self.how, &mut self.last);
        if rng.percent(3) {
            if let Some(t) = typo(rng, last) {
                *last = t;
                how.push("last name typo");
            }
        }
        if let Some(base) = last.strip_suffix(" Jr.").or_else(|| last.strip_suffix(" III")) {
            if rng.percent(50) {
                *last = base.to_string();
                how.push("suffix dropped");
            }
        }
        let parts: Vec<&str> = last.split([' ', '-']).filter(|s| !s.is_empty()).collect();
        let particles = ["de", "la", "del", "Van", "St."];
        if parts.len() > 1 && particles.contains(&parts[0]) {
            if rng.percent(30) {
                *last = parts.concat();
                how.push("particles joined");
            }
        } else if parts.len() > 1 && rng.percent(50) {
            *last = parts[if rng.percent(70) { 0 } else { parts.len() - 1 }].to_string();
            how.push("one part of a compound surname");
        } else if parts.len() == 1 && rng.per_mille(20) {
            let other = lists.last_name(rng, p.heritage);
            if other != last.as_str() {
                *last = format!("{last}-{other}");
                how.push("second surname added");
            }
        }
        if rng.percent(3) {
            let other = lists.last_name(rng, p.heritage);
            if key(other) != key(last) {
                *last = other.to_string();
                how.push("married name");
            }
        }
    }

    /// The middle name kept, as an initial, or dropped; or one invented.
    fn change_middle_name(&mut self, p: &Generated, lists: &Lists) {
        if !self.middle.is_empty() {
            match self.rng.below(100) {
                0..50 => {}
                50..65 => {
                    self.middle = self.middle.chars().take(1).collect();
                    self.how.push("middle initial");
                }
                _ => {
                    self.middle.clear();
                    self.how.push("middle dropped");
                }
            }
        } else if self.rng.percent(4) {
            self.middle = lists.middle_name(self.rng, p.heritage).to_string();
            self.how.push("middle invented");
        }
    }

    /// First and last name swapped, a title added, all caps or lower case.
    fn swap_title_and_case(&mut self, p: &Generated) {
        if self.rng.per_mille(15) {
            std::mem::swap(&mut self.first, &mut self.last);
            self.how.push("swapped");
        }
        if self.rng.percent(1) {
            self.first = format!("{} {}", if p.female { "Mrs." } else { "Mr." }, self.first);
            self.how.push("title");
        }
        let (first, middle, last) = (&mut self.first, &mut self.middle, &mut self.last);
        match self.rng.below(100) {
            0..4 => {
                (*first, *middle, *last) = (first.to_uppercase(), middle.to_uppercase(), last.to_uppercase());
                self.how.push("all caps");
            }
            4..7 => {
                (*first, *middle, *last) = (first.to_lowercase(), middle.to_lowercase(), last.to_lowercase());
                self.how.push("lower case");
            }
            _ => {}
        }
    }

    /// The email on the form: PowerSchool's first, as is or changed, a new
    /// one, or none.
    fn emails(&mut self, p: &Generated) -> Vec<String> {
        let (rng, how) = (&mut *self.rng, &mut self.how);
        let mut emails = Vec::new();
        match p.emails.first() {
            Some(e) => match rng.below(100) {
                0..2 => {
                    emails.push(provider_typo(rng, e));
                    how.push("email provider mistyped");
                }
                2..4 => {
                    emails.push(mailbox_typo(rng, e));
                    how.push("email one letter off");
                }
                4..72 => emails.push(e.clone()),
                72..80 => {
                    emails.push(capitalise_words(e));
                    how.push("email case");
                }
                80..90 => {
                    emails.push(format!("{}{}@gmail.com", key(&p.first), 1000 + rng.below(9000)));
                    how.push("new email");
                }
                _ => how.push("no email"),
            },
            None if rng.percent(60) => {
                emails.push(format!("{}.{}{}@gmail.com", key(&p.first), key(&p.last), rng.below(100)));
                how.push("new email");
            }
            None => {}
        }
        emails
    }

    /// The phones on the form (text, type): each of PowerSchool's dropped,
    /// mistyped, malformed or of another type, in some format; perhaps a
    /// new one.
    fn phones(&mut self, p: &Generated) -> Vec<(String, &'static str)> {
        let (rng, how) = (&mut *self.rng, &mut self.how);
        let mut phones = Vec::new();
        for (number, ext, kind) in &p.phones {
            if rng.percent(12) {
                how.push("phone dropped");
                continue;
            }
            let mut digits = number.clone();
            match rng.below(100) {
                0..3 => {
                    digits = wrong_digit(rng, &digits);
                    how.push("phone digit wrong");
                }
                3..6 if digits.len() == 10 => {
                    digits = swapped_digits(rng, &digits);
                    how.push("phone digits swapped");
                }
                _ => {}
            }
            let mut text = typed_phone(rng, &digits, ext);
            if rng.percent(1) {
                text = text.chars().filter(char::is_ascii_digit).skip(4).collect();
                how.push("phone malformed");
            }
            let mut kind = *kind;
            if rng.percent(6) {
                kind = if kind == "Mobile" { "Home" } else { "Mobile" };
                how.push("phone type differs");
            }
            phones.push((text, kind));
        }
        if rng.percent(12) {
            let number = phone_number(rng);
            phones.push((typed_phone(rng, &number, ""), "Mobile"));
            how.push("new phone");
        }
        phones
    }
}

/// The form contact of a person not in PowerSchool.
pub(crate) fn new_person_case(rng: &mut Rng, p: &Generated, label: &'static str) -> Case {
    let phones = p.phones.iter().map(|(n, e, k)| (typed_phone(rng, n, e), *k)).collect();
    let contact = form_contact(p.first.clone(), p.middle.clone(), p.last.clone(), p.emails.clone(), phones);
    Case { contact, truth: Vec::new(), corruptions: vec![label] }
}

fn form_contact(
    first: String,
    middle: String,
    last: String,
    emails: Vec<String>,
    phones: Vec<(String, &'static str)>,
) -> FormContact {
    FormContact {
        block: "contact1".to_string(),
        first_name: first,
        middle_name: middle,
        last_name: last,
        emails: emails.into_iter().map(|address| FormEmail { address, email_type: "Current".to_string() }).collect(),
        phones: phones.into_iter().map(|(number, kind)| FormPhone { number, phone_type: kind.to_string() }).collect(),
        relationship: String::new(),
        addresses: Vec::new(),
    }
}
