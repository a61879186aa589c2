//! Confirming a Student Contacts file: each contact of the file is found in
//! the export (an existing `Contact ID`, or for a `New Contact Identifier`
//! a person of that name among the student's contacts), then each row's
//! email, phone, address and link is checked: present as written, or gone
//! where the row says `#delete`.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

use writeback_core::domain::{ContactAssocId, PersonId, StudentDcid, StudentNumber};
use writeback_core::flatfile::{ContactsFile, DELETE};
use writeback_core::snapshot::{Person, Snapshot};

/// What the export holds for the persons and students one file names,
/// gathered in one pass over each table.
struct Held<'a> {
    /// Student dcid by student number.
    students: BTreeMap<String, StudentDcid>,
    /// (student dcid, person id) linked.
    links: BTreeSet<(StudentDcid, PersonId)>,
    /// StudentContact ids of the file's rows that still exist.
    link_ids: BTreeSet<ContactAssocId>,
    persons: BTreeMap<PersonId, &'a Person>,
    /// Per person: (EmailAddressID, address).
    emails: BTreeMap<PersonId, Vec<(i64, &'a str)>>,
    /// Per person: (PhoneNumberID, digits).
    phones: BTreeMap<PersonId, Vec<(i64, String)>>,
    /// Per person: (AddressID, street).
    streets: BTreeMap<PersonId, Vec<(i64, &'a str)>>,
}

impl<'a> Held<'a> {
    fn new(snapshot: &'a Snapshot, file: &ContactsFile) -> Held<'a> {
        let numbers: BTreeSet<StudentNumber> = file.students().into_iter().collect();
        let students: BTreeMap<String, StudentDcid> = snapshot
            .students
            .iter()
            .filter(|s| numbers.contains(&s.student_number))
            .map(|s| (s.student_number.to_string(), s.dcid))
            .collect();
        let dcids: BTreeSet<StudentDcid> = students.values().copied().collect();
        let named_links: BTreeSet<ContactAssocId> = ids(file, "Student Contact ID").collect();
        let mut links = BTreeSet::new();
        let mut link_ids = BTreeSet::new();
        for l in &snapshot.student_contacts {
            if dcids.contains(&l.student_dcid) {
                links.insert((l.student_dcid, l.person_id));
            }
            if named_links.contains(&l.id) {
                link_ids.insert(l.id);
            }
        }
        let wanted: BTreeSet<PersonId> = ids(file, "Contact ID").chain(links.iter().map(|(_, p)| *p)).collect();
        let persons = snapshot.persons.iter().filter(|p| wanted.contains(&p.id)).map(|p| (p.id, p)).collect();
        let emails = gather(
            snapshot.person_emails.iter().map(|a| (a.person_id, a.email_address_id)),
            &wanted,
            snapshot.email_addresses.iter().map(|e| (e.id, e.address.as_str())),
        );
        let phones = gather(
            snapshot.person_phones.iter().map(|a| (a.person_id, a.phone_number_id)),
            &wanted,
            snapshot.phone_numbers.iter().map(|n| (n.id, digits(&n.number))),
        );
        let streets = gather(
            snapshot.person_addresses.iter().map(|a| (a.person_id, a.address_id)),
            &wanted,
            snapshot.addresses.iter().map(|x| (x.id, x.street.as_str())),
        );
        Held { students, links, link_ids, persons, emails, phones, streets }
    }

    /// The person named `first` `last` among the contacts of student `number`.
    fn new_person(&self, number: &str, first: &str, last: &str) -> Option<&'a Person> {
        let dcid = *self.students.get(number)?;
        self.links
            .range((dcid, PersonId(i64::MIN))..=(dcid, PersonId(i64::MAX)))
            .filter_map(|(_, p)| self.persons.get(p).copied())
            .find(|p| same(&p.first_name, first) && same(&p.last_name, last))
    }
}

/// The positive ids in `column` of the file's rows.
fn ids<'f, T: FromStr>(file: &'f ContactsFile, column: &'f str) -> impl Iterator<Item = T> + 'f {
    (0..file.rows.len()).filter_map(move |i| file.value(i, column)?.trim().parse().ok())
}

/// Per wanted person, the (record id, value) of each record an association
/// table links it to.
fn gather<V: Clone>(
    associations: impl Iterator<Item = (PersonId, i64)>,
    wanted: &BTreeSet<PersonId>,
    records: impl Iterator<Item = (i64, V)>,
) -> BTreeMap<PersonId, Vec<(i64, V)>> {
    let pairs: Vec<(PersonId, i64)> = associations.filter(|(p, _)| wanted.contains(p)).collect();
    let needed: BTreeSet<i64> = pairs.iter().map(|(_, r)| *r).collect();
    let values: BTreeMap<i64, V> = records.filter(|(id, _)| needed.contains(id)).collect();
    let mut out: BTreeMap<PersonId, Vec<(i64, V)>> = BTreeMap::new();
    for (person, record) in pairs {
        if let Some(v) = values.get(&record) {
            out.entry(person).or_default().push((record, v.clone()));
        }
    }
    out
}

/// One data row's cells, trimmed; a column the file lacks reads empty.
struct Cells<'f> {
    file: &'f ContactsFile,
    i: usize,
}

impl<'f> Cells<'f> {
    fn get(&self, column: &str) -> &'f str {
        self.file.value(self.i, column).map_or("", str::trim)
    }
}

fn same(a: &str, b: &str) -> bool {
    a.split_whitespace().map(str::to_lowercase).eq(b.split_whitespace().map(str::to_lowercase))
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The rows of `text` the export does not show, each said in words.
pub fn check(text: &str, snapshot: &Snapshot) -> Vec<String> {
    let file = match ContactsFile::read(text) {
        Ok(f) => f,
        Err(e) => return vec![format!("the file cannot be read: {e}")],
    };
    let held = Held::new(snapshot, &file);
    let mut out = Vec::new();
    let mut resolved: BTreeMap<String, Option<&Person>> = BTreeMap::new();
    for i in 0..file.rows.len() {
        let row = Cells { file: &file, i };
        let get = |c: &str| row.get(c);
        let (key, person) = match get("Contact ID") {
            "" => {
                let key = format!("new contact {} {}", get("First Name"), get("Last Name"));
                let person = *resolved
                    .entry(key.clone())
                    .or_insert_with(|| held.new_person(get("studentNumber"), get("First Name"), get("Last Name")));
                (key, person)
            }
            id => {
                let key = format!("contact {id}");
                let person = *resolved
                    .entry(key.clone())
                    .or_insert_with(|| id.parse().ok().and_then(|id: PersonId| held.persons.get(&id).copied()));
                (key, person)
            }
        };
        let Some(person) = person else {
            let problem = if get("Contact ID").is_empty() {
                format!("{key}: no person of that name is a contact of student {}", get("studentNumber"))
            } else {
                format!("{key}: not in PowerSchool")
            };
            if !out.contains(&problem) {
                out.push(problem);
            }
            continue;
        };
        out.extend(row_problems(&held, person, &key, &row).into_iter().map(|p| format!("line {}: {p}", i + 2)));
    }
    out
}

/// The New Contact Identifiers of `text` whose name no person in the
/// export has: PowerSchool did not create them, so sending them again
/// cannot make a duplicate.
pub fn not_created(text: &str, snapshot: &Snapshot) -> Vec<String> {
    let Ok(file) = ContactsFile::read(text) else { return Vec::new() };
    let mut out: Vec<String> = Vec::new();
    for i in 0..file.rows.len() {
        let row = Cells { file: &file, i };
        let identifier = row.get("New Contact Identifier");
        if identifier.is_empty() || !row.get("Contact ID").is_empty() || out.iter().any(|o| o == identifier) {
            continue;
        }
        let (first, last) = (row.get("First Name"), row.get("Last Name"));
        if !snapshot.persons.iter().any(|p| same(&p.first_name, first) && same(&p.last_name, last)) {
            out.push(identifier.to_string());
        }
    }
    out
}

/// What one row says that `person`'s records in the export do not show.
fn row_problems(held: &Held<'_>, person: &Person, key: &str, row: &Cells<'_>) -> Vec<String> {
    let get = |c: &str| row.get(c);
    let mut out = Vec::new();
    for (column, holds) in [("First Name", &person.first_name), ("Last Name", &person.last_name)] {
        let wrote = get(column);
        if !wrote.is_empty() && !same(wrote, holds) {
            out.push(format!("{key}: {column}: PowerSchool holds {holds:?}, the file wrote {wrote:?}"));
        }
    }
    let none = Vec::new();
    let emails = held.emails.get(&person.id).unwrap_or(&none);
    out.extend(record_problem(key, "email", get("Email Address"), get("Contact Email Address ID"), emails, |a, w| {
        a.eq_ignore_ascii_case(w)
    }));
    let none = Vec::new();
    let phones = held.phones.get(&person.id).unwrap_or(&none);
    out.extend(record_problem(
        key,
        "phone",
        get("phoneNumberAsEntered"),
        get("Contact Phone Number ID"),
        phones,
        |d, w| *d == digits(w),
    ));
    let none = Vec::new();
    let streets = held.streets.get(&person.id).unwrap_or(&none);
    out.extend(record_problem(key, "address", get("Street"), get("Contact Address ID"), streets, |s, w| same(s, w)));
    out.extend(link_problem(held, person, key, row));
    out
}

/// An email, phone or address cell: `wrote` is on the contact, or for
/// `#delete` the record `id` is not.
fn record_problem<V>(
    key: &str,
    what: &str,
    wrote: &str,
    id: &str,
    held: &[(i64, V)],
    matches: impl Fn(&V, &str) -> bool,
) -> Option<String> {
    match wrote {
        "" => None,
        DELETE => {
            let gone: i64 = id.parse().ok()?;
            held.iter()
                .any(|(i, _)| *i == gone)
                .then(|| format!("{key}: {what} {gone} was to be removed and is still there"))
        }
        _ => (!held.iter().any(|(_, v)| matches(v, wrote)))
            .then(|| format!("{key}: {what} {wrote} is not on the contact")),
    }
}

fn link_problem(held: &Held<'_>, person: &Person, key: &str, row: &Cells<'_>) -> Option<String> {
    let get = |c: &str| row.get(c);
    let number = get("studentNumber");
    if number == DELETE {
        let link: ContactAssocId = get("Student Contact ID").parse().ok()?;
        return held
            .link_ids
            .contains(&link)
            .then(|| format!("{key}: link {link} was to be removed and is still there"));
    }
    if number.is_empty() {
        return None;
    }
    let Some(dcid) = held.students.get(number) else {
        return Some(format!("{key}: student {number} is not in PowerSchool"));
    };
    (!held.links.contains(&(*dcid, person.id))).then(|| format!("{key}: not linked to student {number}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    /// A demo district and one of its students' contacts with an email, a
    /// phone and an address.
    fn district() -> (Snapshot, String, Person, ContactAssocId) {
        let demo = writeback_synth::demo::generate(&writeback_synth::demo::DemoOptions { students: 60, seed: 11 });
        let s = demo.snapshot;
        let link = s
            .student_contacts
            .iter()
            .find(|l| {
                s.person_emails.iter().any(|a| a.person_id == l.person_id)
                    && s.person_phones.iter().any(|a| a.person_id == l.person_id)
                    && s.person_addresses.iter().any(|a| a.person_id == l.person_id)
            })
            .expect("a contact with email, phone and address");
        let student = s.students.iter().find(|x| x.dcid == link.student_dcid).unwrap().student_number.to_string();
        let person = s.persons.iter().find(|p| p.id == link.person_id).unwrap().clone();
        let link_id = link.id;
        (s, student, person, link_id)
    }

    /// A file of `rows`, each a list of (column, value).
    fn file(rows: &[Vec<(&str, String)>]) -> String {
        let header = [
            "New Contact Identifier",
            "Contact ID",
            "First Name",
            "Last Name",
            "Email Address",
            "Contact Email Address ID",
            "Email Type",
            "phoneNumberAsEntered",
            "Contact Phone Number ID",
            "Phone Type",
            "Phone Number Priority Order",
            "Street",
            "Contact Address ID",
            "studentNumber",
            "Student Contact ID",
        ];
        // The types an email or a phone needs to be read.
        let implied = |row: &[(&str, String)], column: &str| {
            let has = |c: &str| row.iter().any(|(h, v)| *h == c && v != DELETE);
            match column {
                "Email Type" if has("Email Address") => "Current",
                "Phone Type" if has("phoneNumberAsEntered") => "Mobile",
                "Phone Number Priority Order" if has("phoneNumberAsEntered") => "1",
                _ => "",
            }
            .to_string()
        };
        let mut text = header.join("\t") + "\n";
        for row in rows {
            let cells: Vec<String> = header
                .iter()
                .map(|h| row.iter().find(|(c, _)| c == h).map_or_else(|| implied(row, h), |(_, v)| v.clone()))
                .collect();
            text += &(cells.join("\t") + "\n");
        }
        text
    }

    fn check_file(snapshot: &Snapshot, rows: &[Vec<(&str, String)>], expect: Expect) {
        let problems = check(&file(rows), snapshot);
        expect.assert_eq(&problems.join("\n"));
    }

    #[test]
    fn each_row_is_found_on_the_contact_or_said_missing() {
        let (s, student, p, link) = district();
        let email = |p: PersonId| {
            let a = s.person_emails.iter().find(|a| a.person_id == p).unwrap();
            (a.email_address_id, s.email_addresses.iter().find(|e| e.id == a.email_address_id).unwrap().address.clone())
        };
        let phone = s.person_phones.iter().find(|a| a.person_id == p.id).unwrap().phone_number_id;
        let phone_text = s.phone_numbers.iter().find(|n| n.id == phone).unwrap().number.clone();
        let address = s.person_addresses.iter().find(|a| a.person_id == p.id).unwrap().address_id;
        let street = s.addresses.iter().find(|a| a.id == address).unwrap().street.to_uppercase();
        let (email_id, email_text) = email(p.id);
        let contact = |extra: Vec<(&'static str, String)>| {
            let mut row = vec![
                ("Contact ID", p.id.to_string()),
                ("First Name", p.first_name.to_lowercase()),
                ("Last Name", p.last_name.clone()),
                ("studentNumber", student.clone()),
            ];
            row.extend(extra);
            row
        };
        // Everything the file wrote is there (names and streets compared
        // without case, phones by digits).
        let applied = [
            contact(vec![("Email Address", email_text.to_uppercase())]),
            contact(vec![("phoneNumberAsEntered", format!(" ({phone_text}) "))]),
            contact(vec![("Street", street.clone())]),
        ];
        check_file(&s, &applied, expect![""]);
        // A new contact is found by its name among the student's contacts.
        let new = vec![
            ("New Contact Identifier", "N1".to_string()),
            ("First Name", p.first_name.clone()),
            ("Last Name", p.last_name.clone()),
            ("Email Address", email_text.clone()),
            ("studentNumber", student.clone()),
        ];
        check_file(&s, std::slice::from_ref(&new), expect![""]);
        assert!(not_created(&file(std::slice::from_ref(&new)), &s).is_empty(), "created");
        // What PowerSchool did not take, row by row.
        let mut stranger = new.clone();
        stranger[1].1 = "Zebulon".to_string();
        let refused = [
            contact(vec![("Email Address", "nobody@example.org".to_string())]),
            contact(vec![("Email Address", DELETE.to_string()), ("Contact Email Address ID", email_id.to_string())]),
            contact(vec![("phoneNumberAsEntered", "555-000-0000".to_string())]),
            contact(vec![("phoneNumberAsEntered", DELETE.to_string()), ("Contact Phone Number ID", phone.to_string())]),
            contact(vec![("Street", "1 Nowhere Rd".to_string())]),
            contact(vec![("Street", DELETE.to_string()), ("Contact Address ID", address.to_string())]),
            vec![("Contact ID", "999999999".to_string()), ("studentNumber", student.clone())],
            stranger,
        ];
        let renamed_and_unlinked = [vec![
            ("Contact ID", p.id.to_string()),
            ("First Name", "Zed".to_string()),
            ("studentNumber", DELETE.to_string()),
            ("Student Contact ID", link.to_string()),
        ]];
        assert_eq!(not_created(&file(&refused), &s), ["N1"], "no Zebulon anywhere: may be sent again");
        let said = [check(&file(&refused), &s), check(&file(&renamed_and_unlinked), &s)].concat().join("\n");
        let said = said
            .replace(&format!("contact {}:", p.id), "contact P:")
            .replace(&format!("student {student}"), "student S")
            .replace(&format!("{:?}", p.first_name), "\"FIRST\"")
            .replace(&format!("{} {}:", "Zebulon", p.last_name), "Zebulon LAST:")
            .replace(&format!("email {email_id} was"), "email E was")
            .replace(&format!("phone {phone} was"), "phone PH was")
            .replace(&format!("address {address} was"), "address A was")
            .replace(&format!("link {link} was"), "link L was");
        expect![[r#"
            line 2: contact P: email nobody@example.org is not on the contact
            line 3: contact P: email E was to be removed and is still there
            line 4: contact P: phone 555-000-0000 is not on the contact
            line 5: contact P: phone PH was to be removed and is still there
            line 6: contact P: address 1 Nowhere Rd is not on the contact
            line 7: contact P: address A was to be removed and is still there
            contact 999999999: not in PowerSchool
            new contact Zebulon LAST: no person of that name is a contact of student S
            line 2: contact P: First Name: PowerSchool holds "FIRST", the file wrote "Zed"
            line 2: contact P: link L was to be removed and is still there"#]]
        .assert_eq(&said);
    }
}
