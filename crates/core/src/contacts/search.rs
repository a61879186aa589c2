//! Staff's search of PowerSchool's persons from a contact block: by name,
//! phone or email, through the contact index (never a scan). Every person
//! found is compared with the block's form contact and ranked by that, so
//! among a hundred namesakes the one whose phone differs by a digit comes
//! first; staff may pick any of them.

use serde::{Deserialize, Serialize};

use super::evidence::{Evidence, EvidenceField};
use super::find::{compared, hit_for, Candidate, ContactMatches, MatchContext};
use super::form::FormContact;
use super::links::used_by;
use super::normalize::email::email_key;
use super::normalize::phone::near_keys;
use super::normalize::{MatchEmail, MatchPhone, NameParts};
use super::profile::Profile;
use crate::domain::PersonId;

/// At most this many persons are returned, best first.
pub const MAX_FOUND: usize = 25;
/// At most this many persons are compared (the query's matches beyond it
/// are counted, not ranked: the query should say more).
const MAX_COMPARED: usize = 2_000;

/// What a search found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Found {
    /// The query as understood ("the name Jesus Ramirez").
    pub query: String,
    /// Best first (compared with the form contact), at most [`MAX_FOUND`].
    pub persons: Vec<Candidate>,
    /// How many persons the query matched in all.
    pub matched: usize,
}

/// Why a query cannot be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    /// Nothing to look for.
    #[error("type a name, a phone number or an email address (at least 2 letters)")]
    TooShort,
    /// An `@` but not an address.
    #[error("{0:?} is not an email address: {1}")]
    NotAnEmail(String, String),
}

/// Searches the persons for `query`, ranking them against `form` (the
/// block's contact as the form has it).
pub fn search_persons(ctx: &MatchContext<'_>, form: &FormContact, query: &str) -> Result<Found, SearchError> {
    let query = query.trim();
    if query.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return Err(SearchError::TooShort);
    }
    let (said, mut positions) = if query.contains('@') {
        let email = MatchEmail::parse(query).map_err(|why| SearchError::NotAnEmail(query.to_string(), why))?;
        let mut found = ctx.index.emails.get(email_key(&email.folded)).to_vec();
        found.extend(ctx.index.emails_near(&email));
        (format!("the email {}", email.email), found)
    } else if let Ok(phone) = MatchPhone::parse(query) {
        let keys = std::iter::once(phone.key).chain(near_keys(phone.key));
        (format!("the phone {}", phone.phone), ctx.index.phones_under(keys))
    } else {
        (format!("the name {query}"), by_name(ctx, query))
    };
    crate::sort::values(&mut positions);
    positions.dedup();
    let matched = positions.len();
    positions.truncate(MAX_COMPARED);
    let mut notes = Vec::new();
    let profile = Profile::for_matching(form, ctx.index, &mut notes);
    let mut persons: Vec<Candidate> =
        positions.into_iter().filter_map(|pos| compared(ctx, &profile, hit_for(ctx, pos)).map(|(c, _)| c)).collect();
    crate::sort::by(&mut persons, |a, b| {
        (b.confidence, b.score)
            .cmp(&(a.confidence, a.score))
            .then_with(|| a.name.cmp(&b.name))
            .then(a.person_id.cmp(&b.person_id))
    });
    persons.truncate(MAX_FOUND);
    for c in &mut persons {
        if let Some(pos) = ctx.index.position(c.person_id) {
            c.used_by = used_by(ctx.snapshot, ctx.index, pos, ctx.today, ctx.student.map(|s| s.dcid));
        }
    }
    Ok(Found { query: said, persons, matched })
}

/// The persons whose name the query is: one word is a last name (or a
/// part of one); more words are a first and a last name, either way round
/// (`Jesus Ramirez`, `Ramirez Jesus`, `Maria del Carmen Lopez`).
fn by_name(ctx: &MatchContext<'_>, query: &str) -> Vec<u32> {
    let index = ctx.index;
    let words = NameParts::given(query).words;
    let mut out = Vec::new();
    if let [only] = &words[..] {
        if let Some(last) = index.names.find(only) {
            out.extend(index.pairs_with_last(last).iter().map(|p| p.pos));
        }
        return out;
    }
    for split in 1..words.len() {
        let (a, b) = (words[..split].concat(), words[split..].concat());
        for (first, last) in [(&a, &b), (&b, &a)] {
            let (Some(f), Some(l)) = (index.names.find(first), index.names.find(last)) else { continue };
            out.extend(index.pairs_with(l, f..f + 1).iter().map(|p| p.pos));
        }
        // A compound last name written in part: each word as a last name.
        for w in &words[split..] {
            if let (Some(f), Some(l)) = (index.names.find(&a), index.names.find(w)) {
                out.extend(index.pairs_with(l, f..f + 1).iter().map(|p| p.pos));
            }
        }
    }
    out
}

/// Adds `person`, whom staff picked from a search, to a block's candidates
/// (compared with the form like any other, and said to be picked); false if
/// there is no such person. A person already listed, or already this
/// student's contact (a block may be confirmed as one without a search),
/// is left as it is.
pub fn add_picked(ctx: &MatchContext<'_>, form: &FormContact, matches: &mut ContactMatches, person: PersonId) -> bool {
    if matches.candidates.iter().any(|c| c.person_id == person) {
        return true;
    }
    let Some(pos) = ctx.index.position(person) else { return false };
    let hit = hit_for(ctx, pos);
    if hit.is_this_students() {
        return true;
    }
    let mut notes = Vec::new();
    let profile = Profile::for_matching(form, ctx.index, &mut notes);
    let Some((mut candidate, _)) = compared(ctx, &profile, hit) else { return false };
    candidate.evidence.push(Evidence::new(EvidenceField::Link, 0, "picked by staff from a search of PowerSchool"));
    candidate.used_by = used_by(ctx.snapshot, ctx.index, pos, ctx.today, ctx.student.map(|s| s.dcid));
    matches.candidates.push(candidate);
    true
}
