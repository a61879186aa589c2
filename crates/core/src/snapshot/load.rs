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
        let (snapshot, errors, _) = Snapshot::load(files);
        if errors.is_empty() {
            Ok(snapshot)
        } else {
            Err(LoadErrors(errors))
        }
    }

    /// Loads a snapshot as a running relay must: a value PowerSchool itself
    /// holds badly (a row with an unreadable value, a reference to a row or
    /// code that is not exported) is a warning, located by file, line and
    /// column, and only that row is left out or that reference left
    /// unresolved. A broken export set (a file missing, unreadable or not
    /// UTF-8, a required column missing) is still refused, with every
    /// problem.
    pub fn from_exports_lenient(files: &BTreeMap<String, Vec<u8>>) -> Result<(Snapshot, Vec<LoadError>), LoadErrors> {
        let (snapshot, problems, sound) = Snapshot::load(files);
        if sound {
            Ok((snapshot, problems))
        } else {
            Err(LoadErrors(problems))
        }
    }

    /// The snapshot, every problem (sorted), and whether the export set is
    /// structurally sound (every file readable with its columns, so every
    /// problem is in a row).
    fn load(files: &BTreeMap<String, Vec<u8>>) -> (Snapshot, Vec<LoadError>, bool) {
        let mut errors = Vec::new();
        let mut texts: BTreeMap<String, (&String, &str)> = BTreeMap::new();
        for (name, bytes) in files {
            match std::str::from_utf8(bytes) {
                Ok(t) => {
                    texts.insert(name.to_ascii_lowercase(), (name, t));
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
        let mut sound = errors.is_empty();
        fn read<R: Record>(tables: &BTreeMap<&'static str, Table<'_>>, errors: &mut Vec<LoadError>) -> Loaded<R> {
            match tables.get(R::SPEC.file) {
                Some(t) => {
                    let (rows, rejected) = t.read_all(errors);
                    Loaded { rows, rejected, present: true }
                }
                None => Loaded { rows: Vec::new(), rejected: Vec::new(), present: false },
            }
        }
        let students: Loaded<Student> = read(&tables, &mut errors);
        let core: Loaded<StudentCoreFields> = read(&tables, &mut errors);
        let persons: Loaded<Person> = read(&tables, &mut errors);
        let email_addresses: Loaded<EmailAddress> = read(&tables, &mut errors);
        let person_emails: Loaded<PersonEmailAddress> = read(&tables, &mut errors);
        let phone_numbers: Loaded<PhoneNumber> = read(&tables, &mut errors);
        let person_phones: Loaded<PersonPhoneNumber> = read(&tables, &mut errors);
        let addresses: Loaded<Address> = read(&tables, &mut errors);
        let person_addresses: Loaded<PersonAddress> = read(&tables, &mut errors);
        let student_contacts: Loaded<StudentContact> = read(&tables, &mut errors);
        let details: Loaded<StudentContactDetail> = read(&tables, &mut errors);
        let code_sets: Loaded<CodeSet> = read(&tables, &mut errors);
        let accounts: Loaded<PortalAccount> = read(&tables, &mut errors);
        let account_emails: Loaded<PortalEmailContact> = read(&tables, &mut errors);
        let schools: Loaded<School> = read(&tables, &mut errors);
        let terms: Loaded<Term> = read(&tables, &mut errors);
        let courses: Loaded<Course> = read(&tables, &mut errors);
        let sections: Loaded<Section> = read(&tables, &mut errors);
        let enrollments: Loaded<CourseEnrollment> = read(&tables, &mut errors);

        // Extension tables: every U_*.txt, keyed by StudentsDCID.
        let mut extensions = Vec::new();
        let student_dcids = students.ids(|s| s.dcid);
        for (lower, (name, text)) in &texts {
            if !(lower.starts_with("u_") && lower.ends_with(".txt")) {
                continue;
            }
            let Some(t) = Table::parse(name, text, &mut errors) else {
                sound = false;
                continue;
            };
            if !t.require(&["StudentsDCID"], &mut errors) {
                sound = false;
                continue;
            }
            extensions.push(read_extension(&t, student_dcids.as_ref(), &mut errors));
        }

        // References between tables.
        let person_ids = persons.ids(|p| p.id);
        let email_ids = email_addresses.ids(|e| e.id);
        let phone_ids = phone_numbers.ids(|p| p.id);
        let address_ids = addresses.ids(|a| a.id);
        let sca_ids = student_contacts.ids(|s| s.id);
        let code_ids = code_sets.ids(|c| c.id);
        let account_ids = accounts.ids(|a| a.id);
        let student_ids = students.ids(|s| s.id);
        let section_ids = sections.ids(|s| s.id);
        let school_ids = schools.ids(|s| s.school_number);
        let course_numbers: Option<HashSet<&str>> =
            courses.present.then(|| courses.all().map(|c| c.course_number.as_str()).collect());
        let term_keys: Option<HashSet<(i64, i64)>> =
            terms.present.then(|| terms.all().map(|t| (t.id, t.school_id)).collect());
        let dcids = student_dcids.as_ref();

        let mut refs = Refs { tables: &tables, errors: &mut errors };
        refs.check(&core.rows, "StudentsDCID", "Student (DCID)", |r| Some(r.students_dcid), dcids);
        refs.check(&person_emails.rows, "PersonID", "Person", |r| Some(r.person_id), person_ids.as_ref());
        refs.check(
            &person_emails.rows,
            "EmailAddressID",
            "EmailAddress",
            |r| Some(r.email_address_id),
            email_ids.as_ref(),
        );
        refs.check(&person_emails.rows, "EmailTypeCodeSetID", "CodeSet", |r| r.email_type, code_ids.as_ref());
        refs.check(&person_phones.rows, "PersonID", "Person", |r| Some(r.person_id), person_ids.as_ref());
        refs.check(
            &person_phones.rows,
            "PhoneNumberID",
            "PhoneNumber",
            |r| Some(r.phone_number_id),
            phone_ids.as_ref(),
        );
        refs.check(&person_phones.rows, "PhoneTypeCodeSetID", "CodeSet", |r| r.phone_type, code_ids.as_ref());
        refs.check(&addresses.rows, "StatesCodeSetID", "CodeSet", |r| r.state, code_ids.as_ref());
        refs.check(&person_addresses.rows, "PersonID", "Person", |r| Some(r.person_id), person_ids.as_ref());
        refs.check(
            &person_addresses.rows,
            "PersonAddressID",
            "PersonAddress",
            |r| Some(r.address_id),
            address_ids.as_ref(),
        );
        refs.check(&person_addresses.rows, "AddressTypeCodeSetID", "CodeSet", |r| r.address_type, code_ids.as_ref());
        refs.check(&student_contacts.rows, "StudentDCID", "Student (DCID)", |r| Some(r.student_dcid), dcids);
        refs.check(&student_contacts.rows, "PersonID", "Person", |r| Some(r.person_id), person_ids.as_ref());
        refs.check(
            &student_contacts.rows,
            "CurrRelTypeCodeSetID",
            "CodeSet",
            |r| r.relationship_type,
            code_ids.as_ref(),
        );
        refs.check(
            &details.rows,
            "StudentContactAssocID",
            "StudentContactAssoc",
            |r| Some(r.student_contact_id),
            sca_ids.as_ref(),
        );
        refs.check(&details.rows, "RelationshipTypeCodeSetID", "CodeSet", |r| r.relationship_type, code_ids.as_ref());
        refs.check(&accounts.rows, "PersonID", "Person", |r| r.person_id, person_ids.as_ref());
        refs.check(
            &account_emails.rows,
            "PCAS_AccountID",
            "PCAS_Account",
            |r| Some(r.account_id),
            account_ids.as_ref(),
        );
        refs.check(&terms.rows, "SchoolID", "School", |r| Some(r.school_id), school_ids.as_ref());
        refs.check(&sections.rows, "SchoolID", "School", |r| Some(r.school_id), school_ids.as_ref());
        refs.check(&enrollments.rows, "StudentID", "Student (ID)", |r| Some(r.student_id), student_ids.as_ref());
        refs.check(&enrollments.rows, "SectionID", "Section", |r| Some(r.section_id.abs()), section_ids.as_ref());
        for (line, s) in &sections.rows {
            if course_numbers.as_ref().is_some_and(|c| !c.contains(s.course_number.as_str())) {
                refs.missing::<Section>(*line, "Course_Number", "Course", &s.course_number);
            }
            if term_keys.as_ref().is_some_and(|t| !t.contains(&(s.term_id, s.school_id))) {
                let key = format!("(ID {}, SchoolID {})", s.term_id, s.school_id);
                refs.missing::<Section>(*line, "TermID", "Term", &key);
            }
        }

        crate::sort::by(&mut errors, |a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
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
        let snapshot = Snapshot {
            students: students.into_rows(),
            student_core_fields: core.into_rows(),
            student_extra_columns,
            extensions,
            persons: persons.into_rows(),
            email_addresses: email_addresses.into_rows(),
            person_emails: person_emails.into_rows(),
            phone_numbers: phone_numbers.into_rows(),
            person_phones: person_phones.into_rows(),
            addresses: addresses.into_rows(),
            person_addresses: person_addresses.into_rows(),
            student_contacts: student_contacts.into_rows(),
            student_contact_details: details.into_rows(),
            code_sets: code_sets.into_rows(),
            portal_accounts: accounts.into_rows(),
            portal_emails: account_emails.into_rows(),
            schools: schools.into_rows(),
            terms: terms.into_rows(),
            courses: courses.into_rows(),
            sections: sections.into_rows(),
            enrollments: enrollments.into_rows(),
        };
        (snapshot, errors, sound)
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

/// One table as read: its good rows (with lines), the rows dropped for
/// problems, and whether the file was there to read.
struct Loaded<R> {
    rows: Vec<(u64, R)>,
    rejected: Vec<R>,
    present: bool,
}

impl<R> Loaded<R> {
    /// Every row read, good or dropped.
    fn all(&self) -> impl Iterator<Item = &R> {
        self.rows.iter().map(|(_, r)| r).chain(&self.rejected)
    }

    /// The ids of every row read, or `None` if the table did not load (its
    /// absence is reported already; references into it are not checked).
    fn ids(&self, id: impl Fn(&R) -> i64) -> Option<HashSet<i64>> {
        self.present.then(|| self.all().map(id).collect())
    }

    fn into_rows(self) -> Vec<R> {
        self.rows.into_iter().map(|(_, r)| r).collect()
    }
}

fn read_extension(t: &Table<'_>, student_dcids: Option<&HashSet<i64>>, errors: &mut Vec<LoadError>) -> ExtensionTable {
    let key = t.column("StudentsDCID").unwrap_or(0);
    let name = t.file.strip_suffix(".txt").or_else(|| t.file.strip_suffix(".TXT")).unwrap_or(t.file);
    let columns: Vec<String> = t.header.iter().enumerate().filter(|(i, _)| *i != key).map(|(_, h)| h.clone()).collect();
    let mut rows = BTreeMap::new();
    let mut first_line = BTreeMap::new();
    let mut problems = Vec::new();
    t.each_record(errors, |line, rec| {
        let raw = rec.get(key).unwrap_or("").trim();
        let Ok(dcid) = raw.parse::<i64>() else {
            problems.push(err(t.file, line, key + 1, format!("StudentsDCID: expected a whole number, found {raw:?}")));
            return;
        };
        if student_dcids.is_some_and(|d| !d.contains(&dcid)) {
            problems.push(err(
                t.file,
                line,
                key + 1,
                format!("StudentsDCID {dcid} points at a missing Student (DCID)"),
            ));
            return;
        }
        if let Some(first) = first_line.insert(dcid, line) {
            let message = format!("duplicate key StudentsDCID {dcid} (first on line {first})");
            problems.push(err(t.file, line, key + 1, message));
            return;
        }
        let values = rec.iter().enumerate().filter(|(i, _)| *i != key).map(|(_, v)| v.trim().to_string()).collect();
        rows.insert(dcid, values);
    });
    errors.append(&mut problems);
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
        exists: Option<&HashSet<i64>>,
    ) {
        // A table that failed to load is reported already; checking
        // references into it would only repeat that.
        let Some(exists) = exists else { return };
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
