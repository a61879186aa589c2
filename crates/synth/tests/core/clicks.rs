//! Property: staff's clicks on a block's candidates never undo each other
//! silently. Over random click sequences on the demo district, the review
//! shows exactly what a plain model of the clicks says: a confirmation goes
//! only when staff confirm another, reject that person, make the block new
//! or undo; a rejection goes only when staff confirm that person, press
//! "Not this person" again or undo; field edits stay through every click.

use std::collections::{BTreeMap, BTreeSet};

use writeback_core::contacts::decide::{ContactDecisions, ContactsReview, FieldAction, FieldDecision, MatchAction};
use writeback_core::contacts::{match_application, ContactIndex, ContactMatches, ContactState, MatchContext};
use writeback_core::domain::PersonId;
use writeback_synth::demo::{generate, DemoOptions};

use super::date;
use super::property::Rng;

/// What the clicks on one block should have left.
#[derive(Debug, Default, Clone, PartialEq)]
struct Model {
    confirmed: Option<PersonId>,
    rejected: BTreeSet<PersonId>,
    fields: BTreeMap<String, FieldDecision>,
}

impl Model {
    fn click(&mut self, action: MatchAction) {
        match action {
            MatchAction::Confirm(p) => {
                self.confirmed = Some(p);
                self.rejected.remove(&p);
            }
            MatchAction::Reject(p) => {
                self.rejected.insert(p);
                if self.confirmed == Some(p) {
                    self.confirmed = None;
                }
            }
            MatchAction::Unreject(p) => {
                self.rejected.remove(&p);
            }
            MatchAction::New => self.confirmed = None,
            MatchAction::Undo => {
                self.confirmed = None;
                self.rejected.clear();
            }
        }
    }
}

fn random_click(rng: &mut Rng, candidates: &[PersonId]) -> Option<MatchAction> {
    let p = rng.pick(candidates)?;
    Some(match rng.below(10) {
        0..=2 => MatchAction::Confirm(p),
        3..=6 => MatchAction::Reject(p),
        7 => MatchAction::Unreject(p),
        8 => MatchAction::New,
        _ => MatchAction::Undo,
    })
}

#[test]
fn clicks_never_undo_each_other_silently() {
    let today = date("2026-08-20");
    let district = generate(&DemoOptions { students: 2000, seed: 5 });
    let s = &district.snapshot;
    let index = ContactIndex::build(s);
    let mut rng = Rng::new(5);
    let (mut checked, mut kept_through_reject) = (0, 0);
    for app in &district.applications {
        let student = app.student_number.as_ref().and_then(|n| s.students.iter().find(|st| &st.student_number == n));
        let ctx = MatchContext { snapshot: s, index: &index, today, student, siblings: &[] };
        let matches = match_application(&ctx, &app.contacts, &district.mappings);
        let review = ContactsReview::prepare(s, app, &district.mappings, &matches, student, today);
        let mut d = ContactDecisions::default();
        let mut models: BTreeMap<String, Model> = BTreeMap::new();
        // Mostly blocks with two candidates or more, where clicks can clash.
        let several: Vec<&ContactMatches> = matches.iter().filter(|m| m.candidates.len() >= 2).collect();
        if several.is_empty() {
            continue;
        }
        for _ in 0..24 {
            let m = match rng.below(5) {
                0 => rng.pick(&matches),
                _ => rng.pick(&several).cloned(),
            };
            let Some(m) = m else { break };
            let candidates: Vec<PersonId> = m.candidates.iter().map(|c| c.person_id).collect();
            let model = models.entry(m.block.clone()).or_default();
            let bd = d.blocks.entry(m.block.clone()).or_default();
            if rng.below(4) == 0 {
                // A field edit (a phone-type fix, a removal) on this block.
                let key = format!("{}{}", ["email", "phone", "address"][rng.below(3)], 1 + rng.below(3));
                let f = FieldDecision { action: Some(FieldAction::Keep), phone_type: Some("Mobile".into()) };
                bd.fields.insert(key.clone(), f.clone());
                model.fields.insert(key, f);
            } else if let Some(action) = random_click(&mut rng, &candidates) {
                let before = model.confirmed;
                bd.apply(action);
                model.click(action);
                let other = matches!(action, MatchAction::Reject(p) if before.is_some_and(|c| c != p));
                kept_through_reject += usize::from(other);
            }
            let outcome = review.decide(&d);
            for (block, model) in &models {
                let o = outcome.blocks.iter().find(|b| &b.block == block).expect("every block has an outcome");
                let confirmed = match o.state {
                    ContactState::Confirmed(p) => Some(p),
                    _ => None,
                };
                assert_eq!(confirmed, model.confirmed, "{}: {block} after {:?}", app.id, d.blocks[block]);
                assert_eq!(o.rejected, model.rejected.iter().copied().collect::<Vec<_>>(), "{}: {block}", app.id);
                assert_eq!(d.blocks[block].fields, model.fields, "{}: {block}", app.id);
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "{checked} checks");
    assert!(kept_through_reject > 20, "{kept_through_reject} rejections while another was confirmed");
}
