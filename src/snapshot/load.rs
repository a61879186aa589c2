//! Loading a snapshot from export files and writing it back out.

use std::collections::{BTreeMap, HashSet};
use std::io;

use super::model::*;
use super::table::{err, write_table, Record, Table};
use super::{LoadError, LoadErrors, TABLES};

impl Snapshot {
    /// Loads a snapshot from its export files (file name -> contents).
    ///
    /// File names match case-insensitively; every `U_*.txt` file is read as
    /// an extension table. Every problem of every file is reported, each with
    /// file, line and column.
    pub fn from_exports(files: &BTreeMap<String, Vec<u8>>) -> Result<Snapshot, LoadErrors> {
        let mut errors = Vec::new();
        let mut texts: BTreeMap<String, (String, String)> = BTreeMap::new();
        for (name, bytes) in files {
            match std::str::from_utf8(bytes) {
                Ok(t) => {
                    texts.insert(name.to_ascii_lowercase(), (name.clone(), t.to_string()));
                }
                Err(e) => {
                    let good = &bytes[..e.valid_up_to()];
                    let line = good.iter().filter(|b| **b == b'\n').count() as u64 + 1;
                    let column = good.rsplit(|b| *b == b'\n').next().map_or(0, |l| l.len()) + 1;
                    errors.push(err(name, line, column, "the file is not UTF-8 text: export it as UTF-8"));
                }
            }
        }
        let mut tables: BTreeMap<&'static str, Table<'_>> = BTreeMap::new();
        for spec in TABLES {
            match texts.get(&spec.file.to_ascii_lowercase()) {
                Some((name, text)) => {
                    if let Some(t) = Table::parse(name, text, &mut errors) {
                        if t.require(spec.columns, &mut errors) {
                            tables.insert(spec.file, t);
                        }
                    }
                }
                None if spec.optional => {}
                None if files.keys().any(|f| f.eq_ignore_ascii_case(spec.file)) => {} // not UTF-8: reported
                None => errors.push(err(spec.file, 0, 0, "required export is missing from the snapshot")),
            }
        }
        fn read<R: Record>(tables: &BTreeMap<&'static str, Table<'_>>, errors: &mut Vec<LoadError>) -> Vec<(u64, R)> {
            tables.get(R::SPEC.file).map(|t| t.read_all(errors)).unwrap_or_default()
        }
        let students: Vec<(u64, Student)> = read(&tables, &mut errors);
        let core: Vec<(u64, StudentCoreFields)> = read(&tables, &mut errors);
        let persons: Vec<(u64, Person)> = read(&tables, &mut errors);
        let email_addresses: Vec<(u64, EmailAddress)> = read(&tables, &mut errors);
        let person_emails: Vec<(u64, PersonEmailAddress)> = read(&tables, &mut errors);
        let phone_numbers: Vec<(u64, PhoneNumber)> = read(&tables, &mut errors);
        let person_phones: Vec<(u64, PersonPhoneNumber)> = read(&tables, &mut errors);
        let addresses: Vec<(u64, Address)> = read(&tables, &mut errors);
        let person_addresses: Vec<(u64, PersonAddress)> = read(&tables, &mut errors);
        let student_contacts: Vec<(u64, StudentContact)> = read(&tables, &mut errors);
        let details: Vec<(u64, StudentContactDetail)> = read(&tables, &mut errors);
        let code_sets: Vec<(u64, CodeSet)> = read(&tables, &mut errors);
        let accounts: Vec<(u64, PortalAccount)> = read(&tables, &mut errors);
        let account_emails: Vec<(u64, PortalEmailContact)> = read(&tables, &mut errors);
        let schools: Vec<(u64, School)> = read(&tables, &mut errors);
        let terms: Vec<(u64, Term)> = read(&tables, &mut errors);
        let courses: Vec<(u64, Course)> = read(&tables, &mut errors);
        let sections: Vec<(u64, Section)> = read(&tables, &mut errors);
        let enrollments: Vec<(u64, CourseEnrollment)> = read(&tables, &mut errors);

        // Extension tables: every U_*.txt, keyed by StudentsDCID.
        let mut extensions = Vec::new();
        let student_dcids: HashSet<i64> = students.iter().map(|(_, s)| s.dcid).collect();
        for (lower, (name, text)) in &texts {
            if !(lower.starts_with("u_") && lower.ends_with(".txt")) {
                continue;
            }
            let Some(t) = Table::parse(name, text, &mut errors) else { continue };
            if !t.require(&["StudentsDCID"], &mut errors) {
                continue;
            }
            extensions.push(read_extension(&t, &student_dcids, &mut errors));
        }

        // References between tables.
        let person_ids: HashSet<i64> = persons.iter().map(|(_, p)| p.id).collect();
        let email_ids: HashSet<i64> = email_addresses.iter().map(|(_, e)| e.id).collect();
        let phone_ids: HashSet<i64> = phone_numbers.iter().map(|(_, p)| p.id).collect();
        let address_ids: HashSet<i64> = addresses.iter().map(|(_, a)| a.id).collect();
        let sca_ids: HashSet<i64> = student_contacts.iter().map(|(_, s)| s.id).collect();
        let code_ids: HashSet<i64> = code_sets.iter().map(|(_, c)| c.id).collect();
        let account_ids: HashSet<i64> = accounts.iter().map(|(_, a)| a.id).collect();
        let student_ids: HashSet<i64> = students.iter().map(|(_, s)| s.id).collect();
        let section_ids: HashSet<i64> = sections.iter().map(|(_, s)| s.id).collect();
        let school_ids: HashSet<i64> = schools.iter().map(|(_, s)| s.school_number).collect();
        let course_numbers: HashSet<&str> = courses.iter().map(|(_, c)| c.course_number.as_str()).collect();
        let term_keys: HashSet<(i64, i64)> = terms.iter().map(|(_, t)| (t.id, t.school_id)).collect();

        let mut refs = Refs { tables: &tables, errors: &mut errors };
        refs.check(&core, "StudentsDCID", "Student (DCID)", |r| Some(r.students_dcid), &student_dcids);
        refs.check(&person_emails, "PersonID", "Person", |r| Some(r.person_id), &person_ids);
        refs.check(&person_emails, "EmailAddressID", "EmailAddress", |r| Some(r.email_address_id), &email_ids);
        refs.check(&person_emails, "EmailTypeCodeSetID", "CodeSet", |r| r.email_type, &code_ids);
        refs.check(&person_phones, "PersonID", "Person", |r| Some(r.person_id), &person_ids);
        refs.check(&person_phones, "PhoneNumberID", "PhoneNumber", |r| Some(r.phone_number_id), &phone_ids);
        refs.check(&person_phones, "PhoneTypeCodeSetID", "CodeSet", |r| r.phone_type, &code_ids);
        refs.check(&addresses, "StatesCodeSetID", "CodeSet", |r| r.state, &code_ids);
        refs.check(&person_addresses, "PersonID", "Person", |r| Some(r.person_id), &person_ids);
        refs.check(&person_addresses, "PersonAddressID", "PersonAddress", |r| Some(r.address_id), &address_ids);
        refs.check(&person_addresses, "AddressTypeCodeSetID", "CodeSet", |r| r.address_type, &code_ids);
        refs.check(&student_contacts, "StudentDCID", "Student (DCID)", |r| Some(r.student_dcid), &student_dcids);
        refs.check(&student_contacts, "PersonID", "Person", |r| Some(r.person_id), &person_ids);
        refs.check(&student_contacts, "CurrRelTypeCodeSetID", "CodeSet", |r| r.relationship_type, &code_ids);
        refs.check(&details, "StudentContactAssocID", "StudentContactAssoc", |r| Some(r.student_contact_id), &sca_ids);
        refs.check(&details, "RelationshipTypeCodeSetID", "CodeSet", |r| r.relationship_type, &code_ids);
        refs.check(&accounts, "PersonID", "Person", |r| r.person_id, &person_ids);
        refs.check(&account_emails, "PCAS_AccountID", "PCAS_Account", |r| Some(r.account_id), &account_ids);
        refs.check(&terms, "SchoolID", "School", |r| Some(r.school_id), &school_ids);
        refs.check(&sections, "SchoolID", "School", |r| Some(r.school_id), &school_ids);
        refs.check(&enrollments, "StudentID", "Student (ID)", |r| Some(r.student_id), &student_ids);
        refs.check(&enrollments, "SectionID", "Section", |r| Some(r.section_id.abs()), &section_ids);
        for (line, s) in &sections {
            if !course_numbers.contains(s.course_number.as_str()) {
                refs.missing::<Section>(*line, "Course_Number", "Course", &s.course_number);
            }
            if !term_keys.contains(&(s.term_id, s.school_id)) {
                let key = format!("(ID {}, SchoolID {})", s.term_id, s.school_id);
                refs.missing::<Section>(*line, "TermID", "Term", &key);
            }
        }

        if !errors.is_empty() {
            errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
            return Err(LoadErrors(errors));
        }
        let student_extra_columns = tables
            .get(Student::SPEC.file)
            .map(|t| {
                t.header
                    .iter()
                    .filter(|h| !h.is_empty() && !Student::SPEC.columns.iter().any(|k| k.eq_ignore_ascii_case(h)))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        Ok(Snapshot {
            students: strip(students),
            student_core_fields: strip(core),
            student_extra_columns,
            extensions,
            persons: strip(persons),
            email_addresses: strip(email_addresses),
            person_emails: strip(person_emails),
            phone_numbers: strip(phone_numbers),
            person_phones: strip(person_phones),
            addresses: strip(addresses),
            person_addresses: strip(person_addresses),
            student_contacts: strip(student_contacts),
            student_contact_details: strip(details),
            code_sets: strip(code_sets),
            portal_accounts: strip(accounts),
            portal_emails: strip(account_emails),
            schools: strip(schools),
            terms: strip(terms),
            courses: strip(courses),
            sections: strip(sections),
            enrollments: strip(enrollments),
        })
    }

    /// Writes every table as a PowerSchool export (tab-delimited, header row,
    /// LF, US dates), calling `open` for each file name.
    pub fn export(&self, open: &mut dyn FnMut(&str) -> io::Result<Box<dyn io::Write>>) -> io::Result<()> {
        fn put<R: Record>(rows: &[R], open: &mut dyn FnMut(&str) -> io::Result<Box<dyn io::Write>>) -> io::Result<()> {
            let mut out = open(R::SPEC.file)?;
            write_table(R::SPEC.columns, rows, &mut out)?;
            out.flush()
        }
        put(&self.students, open)?;
        put(&self.student_core_fields, open)?;
        put(&self.persons, open)?;
        put(&self.email_addresses, open)?;
        put(&self.person_emails, open)?;
        put(&self.phone_numbers, open)?;
        put(&self.person_phones, open)?;
        put(&self.addresses, open)?;
        put(&self.person_addresses, open)?;
        put(&self.student_contacts, open)?;
        put(&self.student_contact_details, open)?;
        put(&self.code_sets, open)?;
        put(&self.portal_accounts, open)?;
        put(&self.portal_emails, open)?;
        put(&self.schools, open)?;
        put(&self.terms, open)?;
        put(&self.courses, open)?;
        put(&self.sections, open)?;
        put(&self.enrollments, open)?;
        for ext in &self.extensions {
            let mut out = open(&format!("{}.txt", ext.name))?;
            writeln!(out, "StudentsDCID\t{}", ext.columns.join("\t"))?;
            for (dcid, values) in &ext.rows {
                writeln!(out, "{dcid}\t{}", values.join("\t"))?;
            }
            out.flush()?;
        }
        Ok(())
    }
}

fn strip<R>(rows: Vec<(u64, R)>) -> Vec<R> {
    rows.into_iter().map(|(_, r)| r).collect()
}

fn read_extension(t: &Table<'_>, student_dcids: &HashSet<i64>, errors: &mut Vec<LoadError>) -> ExtensionTable {
    let key = t.column("StudentsDCID").unwrap_or(0);
    let name = t.file.strip_suffix(".txt").or_else(|| t.file.strip_suffix(".TXT")).unwrap_or(t.file);
    let columns: Vec<String> =
        t.header.iter().enumerate().filter(|(i, _)| *i != key).map(|(_, h)| h.clone()).collect();
    let mut rows = BTreeMap::new();
    let mut first_line = BTreeMap::new();
    for (line, rec) in t.records() {
        let raw = rec.get(key).unwrap_or("").trim();
        let Ok(dcid) = raw.parse::<i64>() else {
            errors.push(err(t.file, line, key + 1, format!("StudentsDCID: expected a whole number, found {raw:?}")));
            continue;
        };
        if !student_dcids.contains(&dcid) {
            errors.push(err(t.file, line, key + 1, format!("StudentsDCID {dcid} points at a missing Student (DCID)")));
            continue;
        }
        if let Some(first) = first_line.insert(dcid, line) {
            errors.push(err(t.file, line, key + 1, format!("duplicate key StudentsDCID {dcid} (first on line {first})")));
            continue;
        }
        let values = rec.iter().enumerate().filter(|(i, _)| *i != key).map(|(_, v)| v.trim().to_string()).collect();
        rows.insert(dcid, values);
    }
    ExtensionTable { name: name.to_string(), columns, rows }
}

/// Checks that references between tables land.
struct Refs<'t, 'a> {
    tables: &'t BTreeMap<&'static str, Table<'a>>,
    errors: &'t mut Vec<LoadError>,
}

impl Refs<'_, '_> {
    fn check<R: Record>(
        &mut self,
        rows: &[(u64, R)],
        column: &str,
        target: &str,
        value: impl Fn(&R) -> Option<i64>,
        exists: &HashSet<i64>,
    ) {
        for (line, r) in rows {
            if let Some(v) = value(r) {
                if !exists.contains(&v) {
                    self.missing::<R>(*line, column, target, &v.to_string());
                }
            }
        }
    }

    fn missing<R: Record>(&mut self, line: u64, column: &str, target: &str, value: &str) {
        let file = R::SPEC.file;
        let (name, col) = match self.tables.get(file) {
            Some(t) => (t.file, t.column(column).map_or(0, |c| c + 1)),
            None => (file, 0),
        };
        self.errors.push(err(name, line, col, format!("{column} {value} points at a missing {target}")));
    }
}
