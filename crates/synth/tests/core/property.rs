//! Property: any sequence of decisions on the demo district's applications
//! yields either a file the reader accepts (with the district's CodeSet) or
//! a non-empty list of blockers; never a panic, never an invalid file. And
//! the file, applied to the student's contacts the way the import does,
//! leaves them in the order the review shows.

use writeback_core::contacts::decide::{
    ContactDecisions, ContactOption, ContactRef, ContactsOutcome, ContactsReview, FieldAction, REFUSED,
};
use writeback_core::contacts::{match_application, ContactIndex, ContactMatches, ContactState, MatchContext};
use writeback_core::domain::PersonId;
use writeback_core::flatfile::ContactsFile;
use writeback_synth::demo::{generate, DemoOptions};

use super::date;

/// The random choices of the click sequences: the synthetic data's one
/// PRNG ([`writeback_synth::Rng`]), with a `pick` that allows an empty list.
pub(super) struct Rng(writeback_synth::Rng);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng(writeback_synth::Rng::new(seed))
    }

    pub(super) fn below(&mut self, n: usize) -> usize {
        self.0.below(n)
    }

    pub(super) fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| self.0.pick(items).clone())
    }
}

/// One random change to the decisions.
fn mutate(rng: &mut Rng, d: &mut ContactDecisions, review: &ContactsReview, matches: &[ContactMatches]) {
    let blocks: Vec<String> = review.block_ids().iter().map(|s| s.to_string()).collect();
    let dates = [None, Some(date("2026-08-14")), Some(date("2019-01-01")), Some(date("2027-01-31"))];
    let option = |rng: &mut Rng| match rng.below(5) {
        0 => ContactOption::Update,
        1 => ContactOption::DoNotUpdate,
        2 => ContactOption::Unlink,
        _ => ContactOption::Expire { end_date: dates[rng.below(dates.len())] },
    };
    match rng.below(8) {
        0..=2 => {
            let Some(block) = rng.pick(&blocks) else { return };
            let m = matches.iter().find(|m| m.block == block);
            let candidates: Vec<PersonId> =
                m.map(|m| m.candidates.iter().map(|c| c.person_id).collect()).unwrap_or_default();
            let choices = review.choices(&block);
            let state = match rng.below(6) {
                0 => None,
                1 => Some(ContactState::Undecided),
                2 => Some(ContactState::New),
                3 => Some(ContactState::Rejected(candidates.clone())),
                4 => rng.pick(&choices).map(ContactState::Confirmed),
                _ => rng.pick(&candidates).map(ContactState::Confirmed),
            };
            d.blocks.entry(block).or_default().state = state;
        }
        3 => {
            let Some(block) = rng.pick(&blocks) else { return };
            d.blocks.entry(block).or_default().option = option(rng);
        }
        4 => {
            let Some(block) = rng.pick(&blocks) else { return };
            let kind = ["email", "phone", "address"][rng.below(3)];
            let key = format!("{kind}{}", 1 + rng.below(4));
            let actions = [
                None,
                Some(FieldAction::Update),
                Some(FieldAction::Add),
                Some(FieldAction::Remove),
                Some(FieldAction::Keep),
            ];
            let types = [None, Some("Mobile"), Some("Home"), Some("Work"), Some("Cell"), Some("mobile")];
            let f = d.blocks.entry(block).or_default().fields.entry(key).or_default();
            f.action = actions[rng.below(actions.len())];
            f.phone_type = types[rng.below(types.len())].map(str::to_string);
        }
        5 => {
            let Some(block) = rng.pick(&blocks) else { return };
            d.blocks.entry(block).or_default().data_access = [None, Some(true), Some(false)][rng.below(3)];
        }
        6 => {
            let Some(p) = rng.pick(review.linked()) else { return };
            d.existing.insert(p, option(rng));
        }
        _ => {
            let mut refs: Vec<ContactRef> = blocks.iter().map(|b| ContactRef::Block(b.clone())).collect();
            refs.extend(review.linked().iter().map(|p| ContactRef::Person(*p)));
            refs.push(ContactRef::Person(PersonId(-1)));
            let mut order = Vec::new();
            for _ in 0..rng.below(refs.len() + 1) {
                if let Some(r) = rng.pick(&refs) {
                    order.push(r);
                }
            }
            d.order = order;
        }
    }
}

/// Resolves blockers the way staff would: confirm the best candidate, keep
/// a field that cannot be written, turn data access off, fix the option.
fn settle(d: &mut ContactDecisions, o: &ContactsOutcome, matches: &[ContactMatches]) {
    for b in &o.blockers {
        match (&b.block, b.person) {
            (Some(block), _) => {
                let bd = d.blocks.entry(block.clone()).or_default();
                let field = b.field.as_deref().unwrap_or("");
                if b.message.starts_with("a possible match") {
                    let first = matches.iter().find(|m| &m.block == block).and_then(|m| m.candidates.first());
                    bd.state = Some(first.map_or(ContactState::New, |c| ContactState::Confirmed(c.person_id)));
                } else if b.message.contains("is also confirmed") || b.message.contains("neither a candidate") {
                    bd.state = Some(ContactState::New);
                } else if ["email", "phone", "address"].iter().any(|k| field.starts_with(k)) {
                    bd.fields.entry(field.to_string()).or_default().action = Some(FieldAction::Keep);
                } else if field == "Data Access" {
                    bd.data_access = Some(false);
                } else if field == "Relationship End Date" && b.message.starts_with("choose") {
                    bd.option = ContactOption::Expire { end_date: Some(date("2026-08-14")) };
                } else if b.message.starts_with("unlink and expire") || field == "Relationship End Date" {
                    bd.option = ContactOption::Update;
                } else {
                    bd.option = ContactOption::DoNotUpdate;
                }
            }
            (None, Some(p)) => {
                d.existing.insert(p, ContactOption::Update);
            }
            (None, None) => {}
        }
    }
}

/// A contact in the student's list: `ID 501` or `new APP-7-contact3`.
fn key_of(r: &ContactRef, o: &ContactsOutcome, application: &str) -> String {
    match r {
        ContactRef::Person(p) => format!("ID {p}"),
        ContactRef::Block(b) => match o.blocks.iter().find(|x| x.block == *b).and_then(|x| x.person) {
            Some(p) => format!("ID {p}"),
            None => format!("new {application}-{b}"),
        },
    }
}

/// The student's contacts after the import applies `file` to `current`:
/// rows in order; `#delete` in studentNumber unlinks; a Contact Priority
/// Order moves the contact there and shifts the others; blank: the end.
fn apply_order(current: &[PersonId], file: Option<&ContactsFile>) -> Vec<String> {
    let mut list: Vec<String> = current.iter().map(|p| format!("ID {p}")).collect();
    let Some(f) = file else { return list };
    let mut done = std::collections::BTreeSet::new();
    for i in 0..f.rows.len() {
        let value = |c: &str| f.value(i, c).unwrap_or("").to_string();
        let key = match value("Contact ID").as_str() {
            "" => format!("new {}", value("New Contact Identifier")),
            id => format!("ID {id}"),
        };
        if !done.insert(key.clone()) {
            continue;
        }
        list.retain(|k| *k != key);
        if value("studentNumber") == "#delete" {
            continue;
        }
        match value("Contact Priority Order").parse::<usize>() {
            Ok(n) if n >= 1 => list.insert((n - 1).min(list.len()), key),
            _ => list.push(key),
        }
    }
    list
}

#[test]
fn any_decisions_give_a_valid_file_or_blockers() {
    let today = date("2026-08-20");
    let (mut files, mut blocked, mut nothing) = (0, 0, 0);
    let mut hist: std::collections::BTreeMap<String, usize> = Default::default();
    for seed in [1, 2] {
        let district = generate(&DemoOptions { students: 300, seed });
        let s = &district.snapshot;
        let index = ContactIndex::build(s);
        let mut rng = Rng::new(seed);
        for app in district.applications.iter().take(80) {
            let student =
                app.student_number.as_ref().and_then(|n| s.students.iter().find(|st| &st.student_number == n));
            let ctx = MatchContext { snapshot: s, index: &index, today, student, siblings: &[] };
            let matches = match_application(&ctx, &app.contacts, &district.mappings);
            let review = ContactsReview::prepare(s, app, &district.mappings, &matches, student, today);
            let mut d = ContactDecisions::default();
            for step in 0..12 {
                if step > 0 {
                    for _ in 0..1 + rng.below(3) {
                        mutate(&mut rng, &mut d, &review, &matches);
                    }
                }
                let mut o = review.decide(&d);
                if rng.below(2) == 0 {
                    for _ in 0..4 {
                        settle(&mut d, &o, &matches);
                        o = review.decide(&d);
                    }
                }
                let json = serde_json::to_string(&d).unwrap();
                if let Some(b) = o.blockers.iter().find(|b| b.message.starts_with(REFUSED)) {
                    panic!("{}: a generated file would be refused: {b:?}\ndecisions {json}", app.id.as_str());
                }
                if o.blockers.is_empty() {
                    let want: Vec<String> = o.order.iter().map(|r| key_of(r, &o, app.id.as_str())).collect();
                    let got = apply_order(review.linked(), o.file.as_ref());
                    assert_eq!(got, want, "{}: the import would order the contacts otherwise\n{json}", app.id.as_str());
                }
                match (&o.file_text, o.blockers.is_empty()) {
                    (Some(text), true) => {
                        let f = ContactsFile::read(text)
                            .unwrap_or_else(|e| panic!("{}: invalid file: {e}\n{text}\n{json}", app.id.as_str()));
                        f.check_codes(&s.code_sets)
                            .unwrap_or_else(|e| panic!("{}: invalid code: {e}\n{text}\n{json}", app.id.as_str()));
                        assert_eq!(o.file.as_ref(), Some(&f), "the file is its text");
                        files += 1;
                    }
                    (None, true) => nothing += 1,
                    (Some(_), false) => panic!("{}: a file despite blockers\n{json}", app.id.as_str()),
                    (None, false) => {
                        blocked += 1;
                        for b in &o.blockers {
                            let m: String = b.message.chars().take(30).collect();
                            *hist.entry(m).or_insert(0) += 1;
                        }
                    }
                }
            }
        }
    }
    eprintln!("files {files}, blocked {blocked}, nothing {nothing}; blockers {hist:#?}");
    assert!(files > 100 && blocked > 100, "files {files}, blocked {blocked}, nothing to write {nothing}");
}
