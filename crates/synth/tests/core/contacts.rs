//! Contact matching on generated districts: the index stays small and
//! bounded on a labelled district, the accuracy floors hold, and the demo
//! district matches end to end.

use writeback_core::contacts::{family, match_application, persons_compared, ContactIndex, FormContact, MatchContext};
use writeback_core::domain::Date;
use writeback_synth::demo::{generate, DemoOptions};

fn today() -> Date {
    Date::parse("2026-08-15").unwrap()
}

/// A form contact with only a name.
fn form(first: &str, last: &str) -> FormContact {
    FormContact {
        block: "contact1".into(),
        first_name: first.into(),
        middle_name: String::new(),
        last_name: last.into(),
        emails: Vec::new(),
        phones: Vec::new(),
        relationship: String::new(),
        addresses: Vec::new(),
    }
}

#[test]
fn the_index_finds_typos_without_scanning_and_stays_small() {
    let d = writeback_synth::eval::generate(20_000, 7);
    let index = ContactIndex::build(&d.snapshot);
    let per_person = index.memory_bytes() / d.snapshot.persons.len();
    assert!(per_person < 400, "{per_person} bytes per person");
    // A one-letter typo of a name is found through the deletion variants.
    for typo in ["garcai", "garca", "garciia", "garzia"] {
        assert!(index.names_one_edit_from(typo).contains(&"garcia"), "{typo}");
    }
    assert!(!index.names_one_edit_from("lopez").contains(&"garcia"));
    // However common the name, a query compares a bounded number of persons.
    let ctx = MatchContext { snapshot: &d.snapshot, index: &index, today: today(), student: None, siblings: &[] };
    for first in ["Maria", "M", "Mohamed", "Mai"] {
        for last in ["García", "Garcia", "Mohamed", "Vang", "Smith"] {
            let compared = persons_compared(&ctx, &form(first, last));
            assert!(compared <= 48, "{first} {last}: {compared} compared");
        }
    }
}

#[test]
fn accuracy_floors_hold_on_a_generated_district() {
    let report = writeback_synth::eval::evaluate(20_000, 1);
    assert!(report.recall_at_5 >= 0.995, "{report}");
    assert!(report.recall_at_1 >= 0.97, "{report}");
    assert!(report.false_candidates_per_contact <= 3.0, "{report}");
    assert!(report.new_with_likely_match <= 0.10, "{report}");
    assert!(report.existing > 1000, "{report}");
    // Each new kind of form mistake is in the harness and is matched.
    for kind in [
        "Spanish hypocorism",
        "phone digits swapped",
        "phone digit wrong",
        "email provider mistyped",
        "email one letter off",
        "swapped",
    ] {
        let b =
            report.by_corruption.iter().find(|b| b.corruption == kind).unwrap_or_else(|| panic!("{kind}: {report}"));
        assert!(b.contacts >= 10 && b.recall_at_5 >= 0.95, "{kind}: {report}");
    }
    // Evidence that changes how sure staff can be: a first name spelled
    // another way is shown as likely (Jaro-Winkler; without it about 9%),
    // and the form's address finds most married-name changes.
    let kind = |k: &str| report.by_corruption.iter().find(|b| b.corruption == k).unwrap_or_else(|| panic!("{k}"));
    let spelled = kind("first name spelled another way");
    assert!(spelled.contacts >= 10 && spelled.likely >= 0.6, "{report}");
    assert!(kind("married name").recall_at_5 >= 0.94, "{report}");
}

#[test]
fn the_demo_district_matches_end_to_end() {
    let district = generate(&DemoOptions { students: 600, seed: 3 });
    let s = &district.snapshot;
    let index = ContactIndex::build(s);
    let (mut blocks, mut with_candidates, mut batch_siblings) = (0, 0, 0);
    for app in &district.applications {
        let student = app.student_number.as_ref().and_then(|n| s.students.iter().find(|st| &st.student_number == n));
        let siblings = family(s, &index, &district.mappings, app, &district.applications, today());
        for sib in &siblings {
            assert_ne!(sib.application.as_deref(), Some(app.id.as_str()));
            batch_siblings += usize::from(sib.application.is_some());
        }
        let ctx = MatchContext { snapshot: s, index: &index, today: today(), student, siblings: &siblings };
        let results = match_application(&ctx, &app.contacts, &district.mappings);
        assert_eq!(results.len(), app.contacts.len());
        if student.is_some() {
            blocks += results.len();
            with_candidates += results.iter().filter(|m| !m.candidates.is_empty()).count();
        }
    }
    assert!(batch_siblings > 0, "the demo has family batches");
    assert!(with_candidates * 10 >= blocks * 8, "{with_candidates} of {blocks} blocks of returning students matched");
}
