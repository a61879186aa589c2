//! Writes family plans into the snapshot's tables (students, legal names,
//! extension rows, persons, emails, phones, addresses, contact links and
//! portal accounts), drawing every id from its own counter so ids never
//! collide.

use std::collections::BTreeMap;

use super::codes::{Codes, PhoneKind, Rel};
use super::district::District;
use super::families::{AddressPlan, AdultPlan, FamilyPlan, KidPlan, LinkFlags, PhonePlan, Registry};
use crate::names::Heritage;
use crate::rng::Rng;
use writeback_core::domain::{ContactAssocId, Date, PersonId, SchoolNumber, StudentDcid, StudentId, StudentNumber};
use writeback_core::snapshot::{
    Address, EmailAddress, ExtensionTable, Person, PersonAddress, PersonEmailAddress, PersonPhoneNumber, PhoneNumber,
    PortalAccount, PortalEmailContact, Snapshot, Student, StudentContact, StudentContactDetail, StudentCoreFields,
};

/// Index of `U_DEF_EXT_STUDENTS` in `Snapshot::extensions` (tables are kept
/// in file-name order, as a reload lists them).
pub(crate) const EXT_LEGACY: usize = 0;
/// Index of `U_StudentsUserFields` in `Snapshot::extensions`.
pub(crate) const EXT_USER: usize = 1;
/// Column of `homeroom_teacher` in `U_StudentsUserFields`.
pub(crate) const USER_HOMEROOM: usize = 2;

/// The next id of every table.
#[derive(Debug, Clone)]
pub(crate) struct Ids {
    student: i64,
    dcid: i64,
    student_number: i64,
    person: i64,
    email: i64,
    person_email: i64,
    phone: i64,
    person_phone: i64,
    address: i64,
    person_address: i64,
    contact: i64,
    detail: i64,
    account: i64,
    account_email: i64,
}

impl Ids {
    fn new() -> Ids {
        Ids {
            student: 10_001,
            dcid: 2_000_001,
            student_number: 240_001,
            person: 50_001,
            email: 70_001,
            person_email: 80_001,
            phone: 90_001,
            person_phone: 110_001,
            address: 130_001,
            person_address: 150_001,
            contact: 170_001,
            detail: 190_001,
            account: 1_001,
            account_email: 501,
        }
    }
}

fn take(counter: &mut i64) -> i64 {
    let id = *counter;
    *counter += 1;
    id
}

/// An adult of a family as written: indices of its rows in the snapshot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AdultRec {
    /// Index in `persons`.
    pub person: u32,
    pub rel: Rel,
    /// Index in `email_addresses` of the primary email.
    pub email: Option<u32>,
    /// Indices in `phone_numbers` of the mobile, home and work phones.
    pub mobile: Option<u32>,
    pub home_phone: Option<u32>,
    pub work_phone: Option<u32>,
    /// Index in `addresses` of the home address.
    pub home: Option<u32>,
    pub flags: LinkFlags,
    pub data_access: bool,
    /// Which of the family's children (bit i = `kids[i]`) the adult is linked to.
    pub kids: u8,
    /// Whether the relationship has ended.
    pub ended: bool,
}

/// A family as written: indices of its rows in the snapshot.
#[derive(Debug, Clone)]
pub(crate) struct FamilyRec {
    pub heritage: Heritage,
    pub area: usize,
    /// Indices in `students`, eldest first.
    pub kids: Vec<u32>,
    pub adults: Vec<AdultRec>,
}

/// A portal account to write: username, email, and perhaps an extra email
/// (a PCAS_EmailContact row).
struct AccountPlan {
    username: String,
    email: String,
    extra: Option<String>,
}

/// Indices in `phone_numbers` of a person's first mobile, home and work
/// phones.
#[derive(Default)]
struct PhoneRows {
    mobile: Option<u32>,
    home: Option<u32>,
    work: Option<u32>,
}

/// Writes plans into a snapshot.
pub(crate) struct Writer<'a> {
    pub snapshot: &'a mut Snapshot,
    pub codes: &'a Codes,
    pub district: &'a District,
    ids: Ids,
    rng: Rng,
}

impl<'a> Writer<'a> {
    /// A writer; creates the two extension tables.
    pub fn new(snapshot: &'a mut Snapshot, codes: &'a Codes, district: &'a District, rng: Rng) -> Writer<'a> {
        let table = |name: &str, columns: &[&str]| ExtensionTable {
            name: name.to_string(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: BTreeMap::new(),
        };
        snapshot.extensions = vec![
            table("U_DEF_EXT_STUDENTS", &["home_language", "previous_school"]),
            table("U_StudentsUserFields", &["bus_route", "allergies", "homeroom_teacher"]),
        ];
        Writer { snapshot, codes, district, ids: Ids::new(), rng }
    }

    /// Reserves room for about `students` students and their families (the
    /// ratios of a generated district), so the tables do not grow by copying.
    pub fn reserve(&mut self, students: usize) {
        let s = &mut *self.snapshot;
        let per = |tenths: usize| students * tenths / 10 + 16;
        s.students.reserve(students);
        s.student_core_fields.reserve(students);
        s.persons.reserve(per(16));
        s.email_addresses.reserve(per(17));
        s.person_emails.reserve(per(17));
        s.phone_numbers.reserve(per(23));
        s.person_phones.reserve(per(23));
        s.addresses.reserve(per(13));
        s.person_addresses.reserve(per(13));
        s.student_contacts.reserve(per(27));
        s.student_contact_details.reserve(per(27));
        s.portal_accounts.reserve(per(7));
        s.enrollments.reserve(per(60));
    }

    /// Writes a family: its children as students and its adults as their
    /// contacts.
    /// The plan's strings move into the snapshot.
    pub fn family(&mut self, mut plan: FamilyPlan, reg: &mut Registry) -> FamilyRec {
        let entered: Vec<Date> = plan.kids.iter().map(|k| k.entered).collect();
        let kid_plans = std::mem::take(&mut plan.kids);
        let kids: Vec<u32> = kid_plans.into_iter().map(|k| self.student(&plan, k)).collect();
        let mut adults = Vec::with_capacity(plan.adults.len());
        for a in &mut plan.adults {
            adults.push(self.adult(a, reg));
        }
        for (k, &kid_entered) in entered.iter().enumerate() {
            self.link_contacts(&plan.adults, &adults, k, kids[k], kid_entered);
        }
        FamilyRec { heritage: plan.heritage, area: plan.area, kids, adults }
    }

    /// Writes an adult as a person with emails, phones, addresses and
    /// perhaps a portal account. The plan's strings move into the snapshot.
    fn adult(&mut self, a: &mut AdultPlan, reg: &mut Registry) -> AdultRec {
        let person = self.snapshot.persons.len() as u32;
        let person_id = PersonId(take(&mut self.ids.person));
        let portal = a.portal && a.active && a.ended.is_none() && !a.emails.is_empty();
        let account = portal.then(|| {
            let extra = a.emails.get(1).filter(|_| self.rng.percent(20)).cloned();
            AccountPlan { username: reg.username(&a.first, &a.last), email: a.emails[0].clone(), extra }
        });
        self.snapshot.persons.push(Person {
            id: person_id,
            first_name: std::mem::take(&mut a.first),
            middle_name: std::mem::take(&mut a.middle),
            last_name: std::mem::take(&mut a.last),
            gender: a.gender.to_string(),
            is_active: a.active,
        });
        let email = self.emails(person_id, std::mem::take(&mut a.emails));
        let phones = self.phones(person_id, std::mem::take(&mut a.phones));
        let home = self.addresses(person_id, a.home.take(), a.mailing.take(), a.address_since);
        if let Some(account) = account {
            self.portal_account(person_id, account);
        }
        AdultRec {
            person,
            rel: a.rel,
            email,
            mobile: phones.mobile,
            home_phone: phones.home,
            work_phone: phones.work,
            home,
            flags: a.flags,
            data_access: a.data_access,
            kids: a.kids,
            ended: a.ended.is_some(),
        }
    }

    /// Writes a person's emails (the first the primary); returns the index
    /// of the first in `email_addresses`.
    fn emails(&mut self, person_id: PersonId, emails: Vec<String>) -> Option<u32> {
        let mut primary = None;
        for (i, address) in emails.into_iter().enumerate() {
            let index = self.snapshot.email_addresses.len() as u32;
            let email_id = take(&mut self.ids.email);
            self.snapshot.email_addresses.push(EmailAddress { id: email_id, address });
            self.snapshot.person_emails.push(PersonEmailAddress {
                id: take(&mut self.ids.person_email),
                person_id,
                email_address_id: email_id,
                email_type: Some(self.codes.email(i == 0)),
                is_primary: i == 0,
                priority_order: Some(i as i32 + 1),
            });
            if i == 0 {
                primary = Some(index);
            }
        }
        primary
    }

    /// Writes a person's phones in priority order (the first preferred).
    fn phones(&mut self, person_id: PersonId, phones: Vec<PhonePlan>) -> PhoneRows {
        let mut rows = PhoneRows::default();
        for (i, p) in phones.into_iter().enumerate() {
            let index = self.snapshot.phone_numbers.len() as u32;
            let phone_id = take(&mut self.ids.phone);
            let (kind, sms) = (p.kind, p.sms);
            self.snapshot.phone_numbers.push(PhoneNumber {
                id: phone_id,
                number: p.digits,
                extension: p.extension,
                as_entered: p.as_entered,
            });
            self.snapshot.person_phones.push(PersonPhoneNumber {
                id: take(&mut self.ids.person_phone),
                person_id,
                phone_number_id: phone_id,
                phone_type: Some(self.codes.phone(kind)),
                priority_order: Some(i as i32 + 1),
                is_preferred: i == 0,
                is_sms: sms,
            });
            let slot = match kind {
                PhoneKind::Mobile => &mut rows.mobile,
                PhoneKind::Home => &mut rows.home,
                PhoneKind::Work | PhoneKind::Daytime => &mut rows.work,
            };
            slot.get_or_insert(index);
        }
        rows
    }

    /// Writes a person's home and mailing addresses (in that order), both
    /// starting `since`; returns the index of the home in `addresses`.
    fn addresses(
        &mut self,
        person_id: PersonId,
        home: Option<AddressPlan>,
        mailing: Option<AddressPlan>,
        since: Date,
    ) -> Option<u32> {
        let mut home_index = None;
        let addresses = home.map(|h| (h, false)).into_iter().chain(mailing.map(|m| (m, true)));
        for (priority, (addr, mailing)) in addresses.enumerate() {
            let index = self.snapshot.addresses.len() as u32;
            let address_id = take(&mut self.ids.address);
            self.snapshot.addresses.push(Address {
                id: address_id,
                street: addr.street,
                line_two: addr.line_two,
                unit: String::new(),
                city: addr.city.to_string(),
                state: self.codes.state(addr.state),
                postal_code: addr.zip.to_string(),
            });
            self.snapshot.person_addresses.push(PersonAddress {
                id: take(&mut self.ids.person_address),
                person_id,
                address_id,
                address_type: Some(self.codes.address(mailing)),
                priority_order: Some(priority as i32 + 1),
                start_date: Some(since),
                end_date: None,
            });
            if !mailing {
                home_index = Some(index);
            }
        }
        home_index
    }

    /// Writes a person's portal account and its extra email.
    fn portal_account(&mut self, person_id: PersonId, account: AccountPlan) {
        let account_id = take(&mut self.ids.account);
        self.snapshot.portal_accounts.push(PortalAccount {
            id: account_id,
            username: account.username,
            email: account.email,
            person_id: Some(person_id),
        });
        if let Some(email) = account.extra {
            self.snapshot.portal_emails.push(PortalEmailContact {
                id: take(&mut self.ids.account_email),
                account_id,
                email,
            });
        }
    }

    /// Links the family's child `k` (student `student`, in the district
    /// since `entered`) to its contacts: active contacts first, in the
    /// family's order.
    fn link_contacts(&mut self, plans: &[AdultPlan], adults: &[AdultRec], k: usize, student: u32, entered: Date) {
        let dcid = self.snapshot.students[student as usize].dcid;
        let mut order: Vec<usize> = (0..plans.len()).filter(|&i| plans[i].kids & (1 << k) != 0).collect();
        order.sort_by_key(|&i| plans[i].ended.is_some());
        for (priority, i) in order.into_iter().enumerate() {
            let a = &plans[i];
            let person_id = self.snapshot.persons[adults[i].person as usize].id;
            let contact_id = ContactAssocId(take(&mut self.ids.contact));
            self.snapshot.student_contacts.push(StudentContact {
                id: contact_id,
                student_dcid: dcid,
                person_id,
                priority_order: Some(priority as i32 + 1),
                relationship_type: Some(self.codes.rel(a.rel)),
            });
            let start = match a.since {
                Some(s) if s > entered => s,
                _ => entered,
            };
            match a.previous {
                Some((before, changed)) if changed > start && a.ended.is_none_or(|e| e > changed) => {
                    self.contact_detail(contact_id, a, before, start, Some(changed));
                    self.contact_detail(contact_id, a, a.rel, changed, a.ended);
                }
                _ => self.contact_detail(contact_id, a, a.rel, start, a.ended),
            }
        }
    }

    /// Writes one period of a contact link: `rel` from `start` to `end`,
    /// with the adult's flags.
    fn contact_detail(&mut self, contact_id: ContactAssocId, a: &AdultPlan, rel: Rel, start: Date, end: Option<Date>) {
        self.snapshot.student_contact_details.push(StudentContactDetail {
            id: take(&mut self.ids.detail),
            student_contact_id: contact_id,
            relationship_type: Some(self.codes.rel(rel)),
            is_active: end.is_none(),
            start_date: Some(start),
            end_date: end,
            is_custodial: a.flags.custodial,
            lives_with: a.flags.lives_with,
            school_pickup: a.flags.pickup,
            is_emergency: a.flags.emergency,
            receives_mail: a.flags.mail,
        });
    }

    /// Writes a child as a student with legal names and extension rows;
    /// returns its index in `students`.
    fn student(&mut self, plan: &FamilyPlan, kid: KidPlan) -> u32 {
        let school = self.district.schools[self.district.school_for(plan.area, kid.grade)].number;
        let (mailing_street, mailing_city, mailing_state, mailing_zip) = match &plan.mailing {
            Some(m) => (m.street.clone(), m.city.to_string(), m.state.to_string(), m.zip.to_string()),
            None if self.rng.percent(80) => (
                plan.home.one_line(),
                plan.home.city.to_string(),
                plan.home.state.to_string(),
                plan.home.zip.to_string(),
            ),
            None => Default::default(),
        };
        let index = self.snapshot.students.len() as u32;
        let dcid = StudentDcid(take(&mut self.ids.dcid));
        let student_number = self.next_student_number();
        self.snapshot.students.push(Student {
            id: StudentId(take(&mut self.ids.student)),
            dcid,
            student_number,
            school_id: SchoolNumber(school),
            first_name: kid.first,
            middle_name: kid.middle,
            last_name: kid.last,
            dob: Some(kid.dob),
            gender: kid.gender.to_string(),
            grade_level: kid.grade,
            enroll_status: kid.status,
            street: plan.home.one_line(),
            city: plan.home.city.to_string(),
            state: plan.home.state.to_string(),
            zip: plan.home.zip.to_string(),
            mailing_street,
            mailing_city,
            mailing_state,
            mailing_zip,
            home_phone: plan.home_phone.clone(),
            other: BTreeMap::new(),
        });
        self.snapshot.student_core_fields.push(StudentCoreFields {
            students_dcid: dcid,
            legal_first_name: kid.legal_first,
            legal_middle_name: kid.legal_middle,
            legal_last_name: kid.legal_last,
            legal_suffix: kid.suffix.to_string(),
            legal_gender: kid.legal_gender.to_string(),
        });
        if kid.legacy_fields {
            let row = vec![kid.home_language, kid.previous_school];
            self.snapshot.extensions[EXT_LEGACY].rows.insert(dcid, row);
        }
        if kid.user_fields {
            let row = vec![kid.bus_route, kid.allergies, String::new()];
            self.snapshot.extensions[EXT_USER].rows.insert(dcid, row);
        }
        index
    }

    fn next_student_number(&mut self) -> StudentNumber {
        let n = take(&mut self.ids.student_number);
        StudentNumber::parse(&n.to_string()).expect("digits")
    }

    /// Writes a student the enrollment system has already created from an
    /// approved application: names, birth date, gender, grade and school,
    /// pre-registered, with no address, legal names or extension rows.
    pub fn minimal_student(&mut self, kid: &KidPlan, school: i64) -> StudentNumber {
        let student_number = self.next_student_number();
        let first = if kid.first.is_empty() { &kid.legal_first } else { &kid.first };
        let last = if kid.last.is_empty() { &kid.legal_last } else { &kid.last };
        let (id, dcid) = (take(&mut self.ids.student), take(&mut self.ids.dcid));
        self.snapshot.students.push(Student {
            school_id: SchoolNumber(school),
            middle_name: kid.middle.clone(),
            dob: Some(kid.dob),
            gender: kid.gender.to_string(),
            grade_level: kid.grade,
            enroll_status: -1,
            ..Student::named(StudentId(id), StudentDcid(dcid), student_number.clone(), first, last)
        });
        student_number
    }
}
