//! Matching every contact block of one application at once: the student's
//! existing contacts are paired with blocks first, and a person that is the
//! best match of two blocks is flagged on both.

use super::evidence::{Flag, FlagKind};
use super::find::{find_candidates, ContactMatches, MatchContext};
use super::form::FormContact;
use crate::application::{ContactBlock, FieldMappings};
use crate::domain::PersonId;

/// Matches each block of an application (in form order). Blocks whose last
/// name is not mapped are returned unmatched, with the reason in `notes`.
///
/// Pairing: among the candidates already linked to this student, the
/// highest-scoring (block, person) pairs are taken one by one, each block and
/// person at most once; a paired person is listed first in its block. A
/// person that is still the first candidate of more than one block is
/// flagged [`FlagKind::ClaimedByOtherBlock`] in each.
pub fn match_application(
    ctx: &MatchContext<'_>,
    blocks: &[ContactBlock],
    mappings: &FieldMappings,
) -> Vec<ContactMatches> {
    let mut results: Vec<ContactMatches> = blocks
        .iter()
        .map(|b| match FormContact::from_block(b, mappings) {
            Ok(form) => find_candidates(ctx, &form),
            Err(why) => ContactMatches {
                block: b.block.clone(),
                matchable: false,
                notes: vec![why.to_string()],
                ..ContactMatches::default()
            },
        })
        .collect();
    pair_existing(&mut results);
    flag_double_claims(&mut results);
    results
}

/// Pairs blocks with the student's existing contacts, best pairs first.
fn pair_existing(results: &mut [ContactMatches]) {
    let mut pairs: Vec<(u32, usize, PersonId)> = Vec::new();
    for (b, r) in results.iter().enumerate() {
        for c in r.candidates.iter().filter(|c| c.linked_to_student) {
            pairs.push((c.score, b, c.person_id));
        }
    }
    crate::sort::by(&mut pairs, |x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut used_blocks: Vec<usize> = Vec::new();
    let mut used_persons: Vec<PersonId> = Vec::new();
    for (_, b, person) in pairs {
        if used_blocks.contains(&b) || used_persons.contains(&person) {
            continue;
        }
        used_blocks.push(b);
        used_persons.push(person);
        let candidates = &mut results[b].candidates;
        if let Some(i) = candidates.iter().position(|c| c.person_id == person) {
            let c = candidates.remove(i);
            candidates.insert(0, c);
        }
    }
}

/// Flags a person who is the first candidate of several blocks.
fn flag_double_claims(results: &mut [ContactMatches]) {
    let firsts: Vec<Option<PersonId>> = results.iter().map(|r| r.candidates.first().map(|c| c.person_id)).collect();
    let blocks: Vec<String> = results.iter().map(|r| r.block.clone()).collect();
    for (b, r) in results.iter_mut().enumerate() {
        let Some(person) = firsts[b] else { continue };
        let others: Vec<&str> =
            (0..blocks.len()).filter(|&o| o != b && firsts[o] == Some(person)).map(|o| blocks[o].as_str()).collect();
        if let (false, Some(c)) = (others.is_empty(), r.candidates.first_mut()) {
            c.flags.push(Flag::new(
                FlagKind::ClaimedByOtherBlock,
                format!("also the best match of {}: one person cannot be two contacts", others.join(", ")),
            ));
        }
    }
}
