//! Loading a snapshot from export files and writing it back out.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Display;
use std::hash::Hash;
use std::io;

use super::model::*;
use super::table::{err, write_table, Record, Table};
use super::{LoadError, LoadErrors, TABLES};
use crate::domain::{ContactAssocId, PersonId, SchoolNumber, SectionId, StudentDcid, StudentId, TermId};

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
        let texts = decode_texts(files, &mut errors);
        let tables = parse_tables(files, &texts, &mut errors);
        let mut sound = errors.is_empty();
        let loaded = LoadedTables::read(&tables, &mut errors);
        let keys = loaded.keys();
        let extensions = read_extensions(&texts, keys.student_dcids.as_ref(), &mut errors, &mut sound);
        let mut refs = Refs { tables: &tables, errors: &mut errors };
        loaded.check_contact_references(&keys, &mut refs);
        loaded.check_school_references(&keys, &mut refs);
        drop(keys);

        crate::sort::by(&mut errors, |a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        let student_extra_columns = student_extra_columns(&tables);
        (loaded.into_snapshot(student_extra_columns, extensions), errors, sound)
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

/// The export files that are UTF-8 text, by lower-cased file name: (file
/// name as given, text). A file that is not is reported, with the line and
/// column of its first bad byte.
type ExportTexts<'f> = BTreeMap<String, (&'f String, &'f str)>;

fn decode_texts<'f>(files: &'f BTreeMap<String, Vec<u8>>, errors: &mut Vec<LoadError>) -> ExportTexts<'f> {
    let mut texts = ExportTexts::new();
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
    texts
}

/// The known tables ([`TABLES`]) that parse with their required columns,
/// by file name; a required file missing is reported.
fn parse_tables<'f>(
    files: &BTreeMap<String, Vec<u8>>,
    texts: &ExportTexts<'f>,
    errors: &mut Vec<LoadError>,
) -> BTreeMap<&'static str, Table<'f>> {
    let mut tables = BTreeMap::new();
    for spec in TABLES {
        match texts.get(&spec.file.to_ascii_lowercase()) {
            Some((name, text)) => {
                if let Some(t) = Table::parse(name, text, errors) {
                    if t.require(spec.columns, errors) {
                        tables.insert(spec.file, t);
                    }
                }
            }
            None if spec.optional => {}
            None if files.keys().any(|f| f.eq_ignore_ascii_case(spec.file)) => {} // not UTF-8: reported
            None => errors.push(err(spec.file, 0, 0, "required export is missing from the snapshot")),
        }
    }
    tables
}

/// Every `U_*.txt` file read as an extension table keyed by StudentsDCID;
/// one that does not parse, or lacks that column, is left out and clears
/// `sound`.
fn read_extensions(
    texts: &ExportTexts<'_>,
    student_dcids: Option<&HashSet<StudentDcid>>,
    errors: &mut Vec<LoadError>,
    sound: &mut bool,
) -> Vec<ExtensionTable> {
    let mut extensions = Vec::new();
    for (lower, (name, text)) in texts {
        if !(lower.starts_with("u_") && lower.ends_with(".txt")) {
            continue;
        }
        let Some(t) = Table::parse(name, text, errors) else {
            *sound = false;
            continue;
        };
        if !t.require(&["StudentsDCID"], errors) {
            *sound = false;
            continue;
        }
        extensions.push(read_extension(&t, student_dcids, errors));
    }
    extensions
}

/// The Students columns the export has beyond the known ones (kept in
/// `Student::other`), in the file's order.
fn student_extra_columns(tables: &BTreeMap<&'static str, Table<'_>>) -> Vec<String> {
    tables
        .get(Student::SPEC.file)
        .map(|t| {
            t.header
                .iter()
                .filter(|h| !h.is_empty() && !Student::SPEC.columns.iter().any(|k| k.eq_ignore_ascii_case(h)))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// Every known table as read (empty when its file did not load).
struct LoadedTables {
    students: Loaded<Student>,
    core: Loaded<StudentCoreFields>,
    persons: Loaded<Person>,
    email_addresses: Loaded<EmailAddress>,
    person_emails: Loaded<PersonEmailAddress>,
    phone_numbers: Loaded<PhoneNumber>,
    person_phones: Loaded<PersonPhoneNumber>,
    addresses: Loaded<Address>,
    person_addresses: Loaded<PersonAddress>,
    student_contacts: Loaded<StudentContact>,
    details: Loaded<StudentContactDetail>,
    code_sets: Loaded<CodeSet>,
    accounts: Loaded<PortalAccount>,
    account_emails: Loaded<PortalEmailContact>,
    schools: Loaded<School>,
    terms: Loaded<Term>,
    courses: Loaded<Course>,
    sections: Loaded<Section>,
    enrollments: Loaded<CourseEnrollment>,
}

/// The keys rows of each table are referred to by, or `None` for a table
/// that did not load (its absence is reported already; references into it
/// are not checked).
struct Keys<'r> {
    student_dcids: Option<HashSet<StudentDcid>>,
    student_ids: Option<HashSet<StudentId>>,
    person_ids: Option<HashSet<PersonId>>,
    email_ids: Option<HashSet<i64>>,
    phone_ids: Option<HashSet<i64>>,
    address_ids: Option<HashSet<i64>>,
    student_contact_ids: Option<HashSet<ContactAssocId>>,
    code_ids: Option<HashSet<i64>>,
    account_ids: Option<HashSet<i64>>,
    section_ids: Option<HashSet<SectionId>>,
    school_numbers: Option<HashSet<SchoolNumber>>,
    course_numbers: Option<HashSet<&'r str>>,
    /// (Term ID, SchoolID).
    terms: Option<HashSet<(TermId, SchoolNumber)>>,
}

impl LoadedTables {
    /// Reads every known table that parsed, in this order (the order of
    /// problems on one line).
    fn read(tables: &BTreeMap<&'static str, Table<'_>>, errors: &mut Vec<LoadError>) -> LoadedTables {
        LoadedTables {
            students: Loaded::read(tables, errors),
            core: Loaded::read(tables, errors),
            persons: Loaded::read(tables, errors),
            email_addresses: Loaded::read(tables, errors),
            person_emails: Loaded::read(tables, errors),
            phone_numbers: Loaded::read(tables, errors),
            person_phones: Loaded::read(tables, errors),
            addresses: Loaded::read(tables, errors),
            person_addresses: Loaded::read(tables, errors),
            student_contacts: Loaded::read(tables, errors),
            details: Loaded::read(tables, errors),
            code_sets: Loaded::read(tables, errors),
            accounts: Loaded::read(tables, errors),
            account_emails: Loaded::read(tables, errors),
            schools: Loaded::read(tables, errors),
            terms: Loaded::read(tables, errors),
            courses: Loaded::read(tables, errors),
            sections: Loaded::read(tables, errors),
            enrollments: Loaded::read(tables, errors),
        }
    }

    /// The keys of every row read, good or dropped.
    fn keys(&self) -> Keys<'_> {
        Keys {
            student_dcids: self.students.ids(|s| s.dcid),
            student_ids: self.students.ids(|s| s.id),
            person_ids: self.persons.ids(|p| p.id),
            email_ids: self.email_addresses.ids(|e| e.id),
            phone_ids: self.phone_numbers.ids(|p| p.id),
            address_ids: self.addresses.ids(|a| a.id),
            student_contact_ids: self.student_contacts.ids(|s| s.id),
            code_ids: self.code_sets.ids(|c| c.id),
            account_ids: self.accounts.ids(|a| a.id),
            section_ids: self.sections.ids(|s| s.id),
            school_numbers: self.schools.ids(|s| s.school_number),
            course_numbers: self
                .courses
                .present
                .then(|| self.courses.all().map(|c| c.course_number.as_str()).collect()),
            terms: self.terms.present.then(|| self.terms.all().map(|t| (t.id, t.school_id)).collect()),
        }
    }

    /// Checks the references of persons' emails, phones and addresses, of
    /// contact links and their details, and of portal accounts.
    fn check_contact_references(&self, keys: &Keys<'_>, refs: &mut Refs<'_, '_>) {
        let (persons, codes) = (keys.person_ids.as_ref(), keys.code_ids.as_ref());
        let dcids = keys.student_dcids.as_ref();
        refs.check(&self.core.rows, "StudentsDCID", "Student (DCID)", |r| Some(r.students_dcid), dcids);
        let person_emails = &self.person_emails.rows;
        refs.check(person_emails, "PersonID", "Person", |r| Some(r.person_id), persons);
        let email_ids = keys.email_ids.as_ref();
        refs.check(person_emails, "EmailAddressID", "EmailAddress", |r| Some(r.email_address_id), email_ids);
        refs.check(person_emails, "EmailTypeCodeSetID", "CodeSet", |r| r.email_type, codes);
        let person_phones = &self.person_phones.rows;
        refs.check(person_phones, "PersonID", "Person", |r| Some(r.person_id), persons);
        let phone_ids = keys.phone_ids.as_ref();
        refs.check(person_phones, "PhoneNumberID", "PhoneNumber", |r| Some(r.phone_number_id), phone_ids);
        refs.check(person_phones, "PhoneTypeCodeSetID", "CodeSet", |r| r.phone_type, codes);
        refs.check(&self.addresses.rows, "StatesCodeSetID", "CodeSet", |r| r.state, codes);
        let person_addresses = &self.person_addresses.rows;
        refs.check(person_addresses, "PersonID", "Person", |r| Some(r.person_id), persons);
        let address_ids = keys.address_ids.as_ref();
        refs.check(person_addresses, "PersonAddressID", "PersonAddress", |r| Some(r.address_id), address_ids);
        refs.check(person_addresses, "AddressTypeCodeSetID", "CodeSet", |r| r.address_type, codes);
        let links = &self.student_contacts.rows;
        refs.check(links, "StudentDCID", "Student (DCID)", |r| Some(r.student_dcid), dcids);
        refs.check(links, "PersonID", "Person", |r| Some(r.person_id), persons);
        refs.check(links, "CurrRelTypeCodeSetID", "CodeSet", |r| r.relationship_type, codes);
        let details = &self.details.rows;
        let link_ids = keys.student_contact_ids.as_ref();
        refs.check(details, "StudentContactAssocID", "StudentContactAssoc", |r| Some(r.student_contact_id), link_ids);
        refs.check(details, "RelationshipTypeCodeSetID", "CodeSet", |r| r.relationship_type, codes);
        refs.check(&self.accounts.rows, "PersonID", "Person", |r| r.person_id, persons);
        let account_ids = keys.account_ids.as_ref();
        refs.check(&self.account_emails.rows, "PCAS_AccountID", "PCAS_Account", |r| Some(r.account_id), account_ids);
    }

    /// Checks the references of terms, sections and course enrollments.
    fn check_school_references(&self, keys: &Keys<'_>, refs: &mut Refs<'_, '_>) {
        let schools = keys.school_numbers.as_ref();
        refs.check(&self.terms.rows, "SchoolID", "School", |r| Some(r.school_id), schools);
        refs.check(&self.sections.rows, "SchoolID", "School", |r| Some(r.school_id), schools);
        let enrollments = &self.enrollments.rows;
        let (students, sections) = (keys.student_ids.as_ref(), keys.section_ids.as_ref());
        refs.check(enrollments, "StudentID", "Student (ID)", |r| Some(r.student_id), students);
        refs.check(enrollments, "SectionID", "Section", |r| Some(SectionId(r.section_id.get().abs())), sections);
        for (line, s) in &self.sections.rows {
            if keys.course_numbers.as_ref().is_some_and(|c| !c.contains(s.course_number.as_str())) {
                refs.missing::<Section>(*line, "Course_Number", "Course", &s.course_number);
            }
            if keys.terms.as_ref().is_some_and(|t| !t.contains(&(s.term_id, s.school_id))) {
                let key = format!("(ID {}, SchoolID {})", s.term_id, s.school_id);
                refs.missing::<Section>(*line, "TermID", "Term", &key);
            }
        }
    }

    /// The snapshot of the good rows.
    fn into_snapshot(self, student_extra_columns: Vec<String>, extensions: Vec<ExtensionTable>) -> Snapshot {
        Snapshot {
            students: self.students.into_rows(),
            student_core_fields: self.core.into_rows(),
            student_extra_columns,
            extensions,
            persons: self.persons.into_rows(),
            email_addresses: self.email_addresses.into_rows(),
            person_emails: self.person_emails.into_rows(),
            phone_numbers: self.phone_numbers.into_rows(),
            person_phones: self.person_phones.into_rows(),
            addresses: self.addresses.into_rows(),
            person_addresses: self.person_addresses.into_rows(),
            student_contacts: self.student_contacts.into_rows(),
            student_contact_details: self.details.into_rows(),
            code_sets: self.code_sets.into_rows(),
            portal_accounts: self.accounts.into_rows(),
            portal_emails: self.account_emails.into_rows(),
            schools: self.schools.into_rows(),
            terms: self.terms.into_rows(),
            courses: self.courses.into_rows(),
            sections: self.sections.into_rows(),
            enrollments: self.enrollments.into_rows(),
        }
    }
}
/// One table as read: its good rows (with lines), the rows dropped for
/// problems, and whether the file was there to read.
struct Loaded<R> {
    rows: Vec<(u64, R)>,
    rejected: Vec<R>,
    present: bool,
}

impl<R: Record> Loaded<R> {
    /// The rows of `R`'s table, if it parsed.
    fn read(tables: &BTreeMap<&'static str, Table<'_>>, errors: &mut Vec<LoadError>) -> Loaded<R> {
        match tables.get(R::SPEC.file) {
            Some(t) => {
                let (rows, rejected) = t.read_all(errors);
                Loaded { rows, rejected, present: true }
            }
            None => Loaded { rows: Vec::new(), rejected: Vec::new(), present: false },
        }
    }
}

impl<R> Loaded<R> {
    /// Every row read, good or dropped.
    fn all(&self) -> impl Iterator<Item = &R> {
        self.rows.iter().map(|(_, r)| r).chain(&self.rejected)
    }

    /// The ids of every row read, or `None` if the table did not load (its
    /// absence is reported already; references into it are not checked).
    fn ids<K: Eq + Hash>(&self, id: impl Fn(&R) -> K) -> Option<HashSet<K>> {
        self.present.then(|| self.all().map(id).collect())
    }

    fn into_rows(self) -> Vec<R> {
        self.rows.into_iter().map(|(_, r)| r).collect()
    }
}

fn read_extension(
    t: &Table<'_>,
    student_dcids: Option<&HashSet<StudentDcid>>,
    errors: &mut Vec<LoadError>,
) -> ExtensionTable {
    let key = t.column("StudentsDCID").unwrap_or(0);
    let name = t.file.strip_suffix(".txt").or_else(|| t.file.strip_suffix(".TXT")).unwrap_or(t.file);
    let columns: Vec<String> = t.header.iter().enumerate().filter(|(i, _)| *i != key).map(|(_, h)| h.clone()).collect();
    let mut rows = BTreeMap::new();
    let mut first_line = BTreeMap::new();
    let mut problems = Vec::new();
    t.each_record(errors, |line, rec| {
        let raw = rec.get(key).unwrap_or("").trim();
        let Ok(dcid) = raw.parse::<i64>().map(StudentDcid) else {
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
    fn check<R: Record, K: Eq + Hash + Display>(
        &mut self,
        rows: &[(u64, R)],
        column: &str,
        target: &str,
        value: impl Fn(&R) -> Option<K>,
        exists: Option<&HashSet<K>>,
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
