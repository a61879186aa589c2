//! The enrollment applications, as families fill them in: returning
//! students re-registering, new students already written back, and new
//! students not yet written back, with the variations real forms have
//! (typos, nicknames, formatting, a move, a new phone or email, blanks, a
//! parent already known as a sibling's contact, siblings in one batch).

use std::collections::{BTreeMap, HashSet};

use super::codes::Rel;
use super::district::{course_index, slots, COURSES};
use super::families::{self, area_city, AddressPlan, AdultPlan, FamilyPlan, KidPlan, LinkFlags, Registry};
use super::records::{AdultRec, FamilyRec, Writer, EXT_LEGACY, EXT_USER};
use crate::details::{phone_text, PhoneStyle};
use crate::names;
use crate::rng::Rng;
use crate::typos::keyboard_slip;
use writeback_core::application::{Application, ApplicationId, ApplicationStatus, ContactBlock, RequestedCourse};
use writeback_core::domain::{Date, SchoolNumber, StudentNumber};
use writeback_core::snapshot::Snapshot;

/// How many applications of each kind to generate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quotas {
    /// Returning students re-registering (written back, existing students).
    pub returning: usize,
    /// New students whose enrolment is already written back.
    pub written_back: usize,
    /// New students not yet written back.
    pub pending: usize,
}

impl Quotas {
    /// About one application per ten students, at least 12.
    pub fn new(students: usize) -> Quotas {
        let total = (students / 10).max(12);
        let written_back = (total * 15 / 100).max(2).min(students / 4);
        let pending = (total * 30 / 100).max(3);
        Quotas { returning: total - written_back - pending, written_back, pending }
    }

    /// All applications.
    pub fn total(&self) -> usize {
        self.returning + self.written_back + self.pending
    }
}

/// A change a family made on the form, compared with PowerSchool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Variation {
    Exact,
    Typo,
    Nickname,
    Formatting,
    Moved,
    NewPhone,
    Blank,
    NewEmail,
    NewContact,
}

/// Returning applications cycle through these, so every kind is present.
const RETURNING: [Variation; 9] = [
    Variation::Exact,
    Variation::Typo,
    Variation::Nickname,
    Variation::Formatting,
    Variation::Moved,
    Variation::NewPhone,
    Variation::Blank,
    Variation::NewEmail,
    Variation::NewContact,
];

/// A sibling's parent on a new student's form: as PowerSchool has them, or
/// with a nickname, a new email, a new phone, or different formatting.
const SIBLING_PARENT: [Variation; 5] =
    [Variation::Exact, Variation::Nickname, Variation::NewEmail, Variation::NewPhone, Variation::Formatting];

/// The student as PowerSchool has them (or as a new family knows them).
#[derive(Debug, Clone)]
struct StudentView {
    legal_first: String,
    legal_middle: String,
    legal_last: String,
    suffix: String,
    first: String,
    middle: String,
    last: String,
    dob: Date,
    gender: String,
    grade: i32,
    home: HomeView,
    bus_route: String,
    allergies: String,
    home_language: String,
    previous_school: String,
}

/// A student's address and home phone.
#[derive(Debug, Clone, Default)]
struct HomeView {
    street: String,
    city: String,
    state: String,
    zip: String,
    mailing_street: String,
    mailing_city: String,
    mailing_state: String,
    mailing_zip: String,
    home_phone: String,
}

impl HomeView {
    fn of_student(s: &writeback_core::snapshot::Student) -> HomeView {
        HomeView {
            street: s.street.clone(),
            city: s.city.clone(),
            state: s.state.clone(),
            zip: s.zip.clone(),
            mailing_street: s.mailing_street.clone(),
            mailing_city: s.mailing_city.clone(),
            mailing_state: s.mailing_state.clone(),
            mailing_zip: s.mailing_zip.clone(),
            home_phone: s.home_phone.clone(),
        }
    }

    fn of_plan(p: &FamilyPlan) -> HomeView {
        let (mailing_street, mailing_city, mailing_state, mailing_zip) = match &p.mailing {
            Some(m) => (m.street.clone(), m.city.to_string(), m.state.to_string(), m.zip.to_string()),
            None => Default::default(),
        };
        HomeView {
            street: p.home.one_line(),
            city: p.home.city.to_string(),
            state: p.home.state.to_string(),
            zip: p.home.zip.to_string(),
            mailing_street,
            mailing_city,
            mailing_state,
            mailing_zip,
            home_phone: p.home_phone.clone(),
        }
    }
}

impl StudentView {
    fn of_snapshot(snapshot: &Snapshot, index: usize) -> StudentView {
        let s = &snapshot.students[index];
        let core = snapshot.student_core_fields.get(index).filter(|c| c.students_dcid == s.dcid);
        let ext = |table: usize, column: usize| {
            snapshot.extensions[table].rows.get(&s.dcid).map(|r| r[column].clone()).unwrap_or_default()
        };
        StudentView {
            legal_first: core.map_or_else(|| s.first_name.clone(), |c| c.legal_first_name.clone()),
            legal_middle: core.map_or_else(|| s.middle_name.clone(), |c| c.legal_middle_name.clone()),
            legal_last: core.map_or_else(|| s.last_name.clone(), |c| c.legal_last_name.clone()),
            suffix: core.map(|c| c.legal_suffix.clone()).unwrap_or_default(),
            first: s.first_name.clone(),
            middle: s.middle_name.clone(),
            last: s.last_name.clone(),
            dob: s.dob.unwrap_or_else(|| Date::from_ymd(2015, 1, 1).expect("valid")),
            gender: s.gender.clone(),
            grade: s.grade_level,
            home: HomeView::of_student(s),
            bus_route: ext(EXT_USER, 0),
            allergies: ext(EXT_USER, 1),
            home_language: ext(EXT_LEGACY, 0),
            previous_school: ext(EXT_LEGACY, 1),
        }
    }

    fn of_kid(kid: &KidPlan, home: HomeView) -> StudentView {
        StudentView {
            legal_first: kid.legal_first.clone(),
            legal_middle: kid.legal_middle.clone(),
            legal_last: kid.legal_last.clone(),
            suffix: kid.suffix.to_string(),
            first: kid.first.clone(),
            middle: kid.middle.clone(),
            last: kid.last.clone(),
            dob: kid.dob,
            gender: kid.gender.to_string(),
            grade: kid.grade,
            home,
            bus_route: kid.bus_route.clone(),
            allergies: kid.allergies.clone(),
            home_language: kid.home_language.clone(),
            previous_school: kid.previous_school.clone(),
        }
    }

    /// The student part of the form, by form-field id.
    fn form(&self) -> BTreeMap<String, String> {
        let h = &self.home;
        [
            ("legal_first_name", &self.legal_first),
            ("legal_middle_name", &self.legal_middle),
            ("legal_last_name", &self.legal_last),
            ("legal_suffix", &self.suffix),
            ("preferred_first_name", &self.first),
            ("preferred_middle_name", &self.middle),
            ("preferred_last_name", &self.last),
            ("dob", &self.dob.to_string()),
            ("gender", &self.gender),
            ("street", &h.street),
            ("city", &h.city),
            ("state", &h.state),
            ("zip", &h.zip),
            ("mailing_street", &h.mailing_street),
            ("mailing_city", &h.mailing_city),
            ("mailing_state", &h.mailing_state),
            ("mailing_zip", &h.mailing_zip),
            ("home_phone", &h.home_phone),
            ("bus_route", &self.bus_route),
            ("allergies", &self.allergies),
            ("home_language", &self.home_language),
            ("previous_school", &self.previous_school),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }
}

/// A contact as PowerSchool has them (or as a new family gives them).
#[derive(Debug, Clone)]
struct ContactView {
    first: String,
    middle: String,
    last: String,
    rel: Rel,
    email: String,
    mobile: String,
    home_phone: String,
    work_phone: String,
    street: String,
    line_two: String,
    city: String,
    state: String,
    zip: String,
    flags: LinkFlags,
    data_access: bool,
}

impl ContactView {
    fn of_record(w: &Writer<'_>, a: &AdultRec) -> ContactView {
        let s = &*w.snapshot;
        let p = &s.persons[a.person as usize];
        let phone = |i: Option<u32>| {
            i.map(|i| {
                let n = &s.phone_numbers[i as usize];
                if n.extension.is_empty() {
                    n.as_entered.clone()
                } else {
                    format!("{} x{}", n.as_entered, n.extension)
                }
            })
            .unwrap_or_default()
        };
        let home = a.home.map(|i| &s.addresses[i as usize]);
        ContactView {
            first: p.first_name.clone(),
            middle: p.middle_name.clone(),
            last: p.last_name.clone(),
            rel: a.rel,
            email: a.email.map(|i| s.email_addresses[i as usize].address.clone()).unwrap_or_default(),
            mobile: phone(a.mobile),
            home_phone: phone(a.home_phone),
            work_phone: phone(a.work_phone),
            street: home.map(|h| h.street.clone()).unwrap_or_default(),
            line_two: home.map(|h| h.line_two.clone()).unwrap_or_default(),
            city: home.map(|h| h.city.clone()).unwrap_or_default(),
            state: home.and_then(|h| h.state).map(|id| w.codes.state_code(id).to_string()).unwrap_or_default(),
            zip: home.map(|h| h.postal_code.clone()).unwrap_or_default(),
            flags: a.flags,
            data_access: a.data_access,
        }
    }

    fn of_plan(a: &AdultPlan) -> ContactView {
        let phone = |kinds: &[super::codes::PhoneKind]| {
            a.phones
                .iter()
                .find(|p| kinds.contains(&p.kind))
                .map(|p| {
                    if p.extension.is_empty() {
                        p.as_entered.clone()
                    } else {
                        format!("{} x{}", p.as_entered, p.extension)
                    }
                })
                .unwrap_or_default()
        };
        use super::codes::PhoneKind as K;
        let home = a.home.as_ref();
        ContactView {
            first: a.first.clone(),
            middle: a.middle.clone(),
            last: a.last.clone(),
            rel: a.rel,
            email: a.emails.first().cloned().unwrap_or_default(),
            mobile: phone(&[K::Mobile]),
            home_phone: phone(&[K::Home]),
            work_phone: phone(&[K::Work, K::Daytime]),
            street: home.map(|h| h.street.clone()).unwrap_or_default(),
            line_two: home.map(|h| h.line_two.clone()).unwrap_or_default(),
            city: home.map(|h| h.city.to_string()).unwrap_or_default(),
            state: home.map(|h| h.state.to_string()).unwrap_or_default(),
            zip: home.map(|h| h.zip.to_string()).unwrap_or_default(),
            flags: a.flags,
            data_access: a.data_access,
        }
    }

    /// The contact block's fields, by form-field id.
    fn form(&self) -> BTreeMap<String, String> {
        let flag = |b: bool| if b { "1" } else { "0" }.to_string();
        [
            ("first_name", self.first.clone()),
            ("middle_name", self.middle.clone()),
            ("last_name", self.last.clone()),
            ("relationship", self.rel.code().to_string()),
            ("email", self.email.clone()),
            ("mobile_phone", self.mobile.clone()),
            ("home_phone", self.home_phone.clone()),
            ("work_phone", self.work_phone.clone()),
            ("street", self.street.clone()),
            ("line_two", self.line_two.clone()),
            ("city", self.city.clone()),
            ("state", self.state.clone()),
            ("zip", self.zip.clone()),
            ("lives_with", flag(self.flags.lives_with)),
            ("has_custody", flag(self.flags.custodial)),
            ("school_pickup", flag(self.flags.pickup)),
            ("emergency", flag(self.flags.emergency)),
            ("receives_mail", flag(self.flags.mail)),
            ("data_access", flag(self.data_access)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}

/// A form being filled in.
struct Form {
    student: BTreeMap<String, String>,
    contacts: Vec<BTreeMap<String, String>>,
}

impl Form {
    fn new(student: &StudentView, contacts: &[ContactView]) -> Form {
        Form { student: student.form(), contacts: contacts.iter().take(4).map(ContactView::form).collect() }
    }

    fn set(&mut self, field: &str, value: impl Into<String>) {
        self.student.insert(field.to_string(), value.into());
    }

    fn get(&self, field: &str) -> &str {
        self.student.get(field).map_or("", String::as_str)
    }
}

/// The three kinds of application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A student already in PowerSchool.
    Returning,
    /// A new student the enrollment system has already written back.
    WrittenBack,
    /// A new student not written back yet.
    Pending,
}

/// One application before it has an id, a time and a status.
struct Draft {
    kind: Kind,
    student_number: Option<StudentNumber>,
    school_id: i64,
    form: Form,
    courses: Vec<RequestedCourse>,
}

/// Applications submitted together (one family's children).
struct Job {
    drafts: Vec<Draft>,
}

/// Generates the applications; new students already written back are added
/// to the snapshot through `writer`.
pub(crate) fn build(
    rng: Rng,
    quotas: &Quotas,
    reg: &mut Registry,
    writer: &mut Writer<'_>,
    families: &[FamilyRec],
) -> Vec<Application> {
    let mut g = Generator { rng, reg, writer, families, used: HashSet::new(), last_family: None };
    let mut jobs: Vec<Job> = Vec::new();

    // New students already written back: half of them younger siblings of
    // students in the district, half from families new to the district.
    for k in 0..quotas.written_back {
        let job = if k % 2 == 0 { g.new_sibling(true, k / 2) } else { None };
        jobs.push(job.unwrap_or_else(|| g.new_family(1, true)));
    }

    // New students not yet written back.
    let mut left = quotas.pending;
    let mut returning_left = quotas.returning;
    let mut k = 0;
    while left > 0 {
        let job = match k % 4 {
            0 | 3 => g.new_sibling(false, k / 2 + 1).map(|mut job| {
                // Now and then the older sibling re-registers in the same batch.
                if k % 8 == 0 && returning_left > 0 {
                    if let Some(d) = g.older_sibling_of_last() {
                        job.drafts.insert(0, d);
                        returning_left -= 1;
                    }
                }
                job
            }),
            2 if left >= 2 => Some(g.new_family(2, false)),
            _ => None,
        };
        let job = job.unwrap_or_else(|| g.new_family(1, false));
        left -= job.drafts.iter().filter(|d| d.kind == Kind::Pending).count().min(left);
        jobs.push(job);
        k += 1;
    }

    // Returning students, every variation in turn; now and then two
    // siblings together.
    let mut v = 0;
    k = 0;
    while returning_left > 0 {
        let job = if k % 6 == 5 && returning_left >= 2 {
            g.returning_siblings()
        } else {
            let variation = RETURNING[v % RETURNING.len()];
            v += 1;
            g.returning(variation)
        };
        match job {
            Some(job) => {
                returning_left -= job.drafts.len().min(returning_left);
                jobs.push(job);
            }
            None if k % 6 == 5 => {}
            None => break, // no returning student left to pick
        }
        k += 1;
    }

    // Small districts: top up with new families.
    while jobs.iter().map(|j| j.drafts.len()).sum::<usize>() < quotas.total() {
        jobs.push(g.new_family(1, false));
    }
    finish(&mut g.rng, jobs)
}

/// Orders the jobs as they arrived and gives each application its id,
/// submission time, status and family batch.
fn finish(rng: &mut Rng, mut jobs: Vec<Job>) -> Vec<Application> {
    rng.shuffle(&mut jobs);
    let month = 31 * 24 * 3600;
    let mut times: Vec<i64> = jobs.iter().map(|_| rng.range(6 * 3600, month - 3600)).collect();
    times.sort_unstable();
    let mut apps = Vec::new();
    let mut batch = 0;
    for (job, time) in jobs.into_iter().zip(times) {
        let family_batch = (job.drafts.len() > 1).then(|| {
            batch += 1;
            format!("FAM-{batch:05}")
        });
        // A written-back application was approved; others may still wait.
        let status = if job.drafts.iter().any(|d| d.kind == Kind::WrittenBack) || !rng.percent(8) {
            ApplicationStatus::Approved
        } else {
            ApplicationStatus::Submitted
        };
        for (i, d) in job.drafts.into_iter().enumerate() {
            let id = ApplicationId::parse(&format!("APP-{:06}", apps.len() + 1)).expect("valid id");
            apps.push(Application {
                id,
                status,
                enrollment_written_back: d.kind != Kind::Pending,
                student_number: d.student_number,
                school_id: SchoolNumber(d.school_id),
                submitted_at: timestamp(time + 97 * i as i64),
                family_batch: family_batch.clone(),
                student: d.form.student,
                contacts: d
                    .form
                    .contacts
                    .into_iter()
                    .enumerate()
                    .map(|(i, fields)| ContactBlock { block: format!("contact{}", i + 1), fields })
                    .collect(),
                courses: d.courses,
            });
        }
    }
    apps
}

/// `2026-08-DDTHH:MM:SS-05:00` for `seconds` after August 1, 2026 00:00
/// (Central Daylight Time).
fn timestamp(seconds: i64) -> String {
    let (day, rest) = (seconds / 86_400, seconds % 86_400);
    format!("2026-08-{:02}T{:02}:{:02}:{:02}-05:00", day + 1, rest / 3600, rest % 3600 / 60, rest % 60)
}

struct Generator<'g, 'a> {
    rng: Rng,
    reg: &'g mut Registry,
    writer: &'g mut Writer<'a>,
    families: &'g [FamilyRec],
    used: HashSet<usize>,
    /// The family of the last new sibling.
    last_family: Option<usize>,
}

impl Generator<'_, '_> {
    /// A family not used yet that `accept` takes (returning the child's
    /// slot), searched from a random start.
    fn find_family(&mut self, accept: impl Fn(&Writer<'_>, &FamilyRec) -> Option<usize>) -> Option<(usize, usize)> {
        let n = self.families.len();
        if n == 0 {
            return None;
        }
        let start = self.rng.below(n);
        for step in 0..n.min(2000) {
            let f = (start + step) % n;
            if self.used.contains(&f) {
                continue;
            }
            if let Some(slot) = accept(self.writer, &self.families[f]) {
                self.used.insert(f);
                return Some((f, slot));
            }
        }
        None
    }

    /// The active contacts of a family's child `slot`, as PowerSchool has them.
    fn contacts_of(&self, family: &FamilyRec, slot: usize) -> Vec<ContactView> {
        family
            .adults
            .iter()
            .filter(|a| !a.ended && a.kids & (1 << slot) != 0)
            .map(|a| ContactView::of_record(self.writer, a))
            .collect()
    }

    /// A returning student's application with one variation.
    fn returning(&mut self, variation: Variation) -> Option<Job> {
        let wants_nickname = variation == Variation::Nickname;
        let (f, slot) = self.find_family(|w, fam| {
            fam.kids.iter().enumerate().find_map(|(slot, &si)| {
                let ok = active_with_contacts(w.snapshot, fam, slot, si)
                    && (!wants_nickname || has_nickname_candidate(w, fam, slot, si));
                ok.then_some(slot)
            })
        })?;
        let families = self.families;
        let draft = self.returning_draft(&families[f], slot, variation);
        Some(Job { drafts: vec![draft] })
    }

    /// Two siblings re-registering together.
    fn returning_siblings(&mut self) -> Option<Job> {
        let (f, slot) = self.find_family(|w, fam| {
            let active: Vec<usize> = (0..fam.kids.len())
                .filter(|&slot| active_with_contacts(w.snapshot, fam, slot, fam.kids[slot]))
                .collect();
            (active.len() >= 2).then(|| active[0])
        })?;
        let families = self.families;
        let family = &families[f];
        let second = (slot + 1..family.kids.len())
            .find(|&s| active_with_contacts(self.writer.snapshot, family, s, family.kids[s]))?;
        let a = self.returning_draft(family, slot, Variation::Exact);
        let other = if self.rng.percent(50) { Variation::Blank } else { Variation::Typo };
        let b = self.returning_draft(family, second, other);
        Some(Job { drafts: vec![a, b] })
    }

    /// The older sibling (already in the district) of the family used last,
    /// re-registering without changes.
    fn older_sibling_of_last(&mut self) -> Option<Draft> {
        let f = self.last_family.take()?;
        let families = self.families;
        let family = &families[f];
        let slot =
            (0..family.kids.len()).find(|&s| active_with_contacts(self.writer.snapshot, family, s, family.kids[s]))?;
        Some(self.returning_draft(family, slot, Variation::Exact))
    }

    fn returning_draft(&mut self, family: &FamilyRec, slot: usize, variation: Variation) -> Draft {
        let si = family.kids[slot] as usize;
        let view = StudentView::of_snapshot(self.writer.snapshot, si);
        let contacts = self.contacts_of(family, slot);
        let mut form = Form::new(&view, &contacts);
        self.vary(&mut form, variation, &view);
        let s = &self.writer.snapshot.students[si];
        Draft {
            kind: Kind::Returning,
            student_number: Some(s.student_number.clone()),
            school_id: s.school_id.get(),
            courses: requested_courses(&mut self.rng, view.grade),
            form,
        }
    }

    /// A new student whose older sibling is in the district: the parents on
    /// the form are already contacts of the sibling.
    fn new_sibling(&mut self, written_back: bool, n: usize) -> Option<Job> {
        let (f, slot) = self.find_family(|w, fam| {
            let youngest = fam.kids.len().checked_sub(1)?;
            let si = fam.kids[youngest];
            let ok = fam.kids.len() < 5
                && w.snapshot.students[si as usize].grade_level >= 1
                && active_with_contacts(w.snapshot, fam, youngest, si);
            ok.then_some(youngest)
        })?;
        self.last_family = Some(f);
        let families = self.families;
        let family = &families[f];
        let si = family.kids[slot] as usize;
        let snapshot = &*self.writer.snapshot;
        let sibling = &snapshot.students[si];
        let legal_last = snapshot
            .student_core_fields
            .get(si)
            .filter(|c| c.students_dcid == sibling.dcid)
            .map_or_else(|| sibling.last_name.clone(), |c| c.legal_last_name.clone());
        let home = HomeView::of_student(sibling);
        let sibling_grade = sibling.grade_level;
        let grade = if self.rng.percent(80) { 0 } else { self.rng.range(0, i64::from(sibling_grade) - 1) as i32 };
        let kid = families::new_kid(&mut self.rng, family.heritage, &legal_last, grade);
        let district = self.writer.district;
        let school = district.schools[district.school_for(family.area, grade)].number;
        let view = StudentView::of_kid(&kid, home);
        let contacts = self.contacts_of(family, slot);
        let mut form = Form::new(&view, &contacts);
        self.leave_blanks(&mut form, &kid);
        self.vary_parent(&mut form, SIBLING_PARENT[n % SIBLING_PARENT.len()]);
        let student_number = written_back.then(|| self.writer.minimal_student(&kid, school));
        let kind = if written_back { Kind::WrittenBack } else { Kind::Pending };
        let courses = requested_courses(&mut self.rng, grade);
        Some(Job { drafts: vec![Draft { kind, student_number, school_id: school, form, courses }] })
    }

    /// A family new to the district with `kids` children enrolling.
    fn new_family(&mut self, kids: usize, written_back: bool) -> Job {
        let mut grades: Vec<i32> =
            (0..kids).map(|_| if self.rng.percent(45) { 0 } else { self.rng.range(1, 12) as i32 }).collect();
        grades.sort_unstable_by(|a, b| b.cmp(a));
        let district = self.writer.district;
        let plan = families::plan_family(&mut self.rng, self.reg, district.areas(), &grades, true);
        let contacts: Vec<ContactView> =
            plan.adults.iter().filter(|a| a.ended.is_none()).map(ContactView::of_plan).collect();
        let quirky = !written_back && self.rng.percent(25);
        let mut drafts = Vec::new();
        for kid in &plan.kids {
            let school = district.schools[district.school_for(plan.area, kid.grade)].number;
            let view = StudentView::of_kid(kid, HomeView::of_plan(&plan));
            let mut form = Form::new(&view, &contacts);
            self.leave_blanks(&mut form, kid);
            if quirky {
                self.vary(&mut form, Variation::Formatting, &view);
            }
            let student_number = written_back.then(|| self.writer.minimal_student(kid, school));
            let kind = if written_back { Kind::WrittenBack } else { Kind::Pending };
            let courses = requested_courses(&mut self.rng, kid.grade);
            drafts.push(Draft { kind, student_number, school_id: school, form, courses });
        }
        Job { drafts }
    }

    /// What new families often leave blank: the preferred names when they
    /// are the legal ones, the bus route they do not know yet.
    fn leave_blanks(&mut self, form: &mut Form, kid: &KidPlan) {
        if kid.first == kid.legal_first && kid.last == kid.legal_last && self.rng.percent(30) {
            for f in ["preferred_first_name", "preferred_middle_name", "preferred_last_name"] {
                form.set(f, "");
            }
        }
        if self.rng.percent(70) {
            form.set("bus_route", "");
        }
    }

    /// Applies a variation to a student's form.
    fn vary(&mut self, form: &mut Form, variation: Variation, view: &StudentView) {
        match variation {
            Variation::Exact => {}
            Variation::Typo => self.misspell_a_name(form),
            Variation::Nickname => {
                let nicks = names::nicknames(&view.legal_first);
                if !nicks.is_empty() && view.first == view.legal_first {
                    form.set("preferred_first_name", *self.rng.pick(nicks));
                } else if !nickname_a_contact(form, &mut self.rng) {
                    self.vary(form, Variation::Formatting, view);
                }
            }
            Variation::Formatting => self.reformat(form, view),
            Variation::Moved => self.move_house(form),
            Variation::NewPhone => {
                let home = phone_text(&self.reg.phone(), PhoneStyle::Paren);
                form.set("home_phone", home);
                self.vary_parent(form, Variation::NewPhone);
            }
            Variation::Blank => leave_optional_fields_blank(form),
            Variation::NewEmail => self.vary_parent(form, Variation::NewEmail),
            Variation::NewContact => {
                if form.contacts.len() >= 4 {
                    return self.vary_parent(form, Variation::NewEmail);
                }
                let c = self.new_contact();
                form.contacts.push(c.form());
            }
        }
    }

    /// A slip of one letter in a name: the student's legal last, preferred
    /// first or legal first name, or the first contact's last name (the
    /// first of them, from a random one on, that has a letter to slip).
    fn misspell_a_name(&mut self, form: &mut Form) {
        let rng = &mut self.rng;
        let start = rng.below(4);
        for i in 0..4 {
            let field = ["legal_last_name", "preferred_first_name", "legal_first_name", ""][(start + i) % 4];
            if field.is_empty() {
                if let Some(c) = form.contacts.first_mut() {
                    if let Some(t) = keyboard_slip(rng, &c["last_name"]) {
                        c.insert("last_name".into(), t);
                        return;
                    }
                }
            } else if let Some(t) = keyboard_slip(rng, form.get(field)) {
                form.set(field, t);
                return;
            }
        }
    }

    /// The same data written differently: capitals, a US date, dots in a
    /// phone, a suffix spelled out, extra spaces, accents dropped.
    fn reformat(&mut self, form: &mut Form, view: &StudentView) {
        let rng = &mut self.rng;
        let last = form.get("legal_last_name").to_uppercase();
        form.set("legal_last_name", last);
        if rng.percent(60) {
            form.set("dob", view.dob.to_us());
        }
        if rng.percent(60) {
            let digits: String = form.get("home_phone").chars().filter(char::is_ascii_digit).collect();
            if digits.len() == 10 {
                form.set("home_phone", phone_text(&digits, PhoneStyle::Dots));
            }
        }
        if rng.percent(50) {
            let street = spell_out_suffix(form.get("street"));
            form.set("street", format!("{} ", street.replacen(' ', "  ", 1)));
        }
        let first = form.get("preferred_first_name").to_string();
        let plain = names::strip_accents(&first);
        if plain != first {
            form.set("preferred_first_name", plain);
        } else if rng.percent(40) && !first.is_empty() {
            form.set("preferred_first_name", format!(" {first}"));
        }
        if let Some(c) = form.contacts.first_mut() {
            if rng.percent(50) {
                let upper = c["last_name"].to_uppercase();
                c.insert("last_name".into(), upper);
            }
            let digits: String = c["mobile_phone"].chars().filter(char::is_ascii_digit).collect();
            if digits.len() == 10 {
                c.insert("mobile_phone".into(), phone_text(&digits, PhoneStyle::Plain));
            }
        }
    }

    /// A new home address for the student (and the mailing address when it
    /// was the home), and for the contacts living with the student.
    fn move_house(&mut self, form: &mut Form) {
        let rng = &mut self.rng;
        let area = rng.below(names::CITIES.len());
        let city = area_city(rng, area);
        let new = AddressPlan::random(rng, city);
        let old = form.get("street").to_string();
        if form.get("mailing_street") == old {
            form.set("mailing_street", new.one_line());
            form.set("mailing_city", new.city);
            form.set("mailing_state", new.state);
            form.set("mailing_zip", new.zip);
        }
        form.set("street", new.one_line());
        form.set("city", new.city);
        form.set("state", new.state);
        form.set("zip", new.zip);
        for c in &mut form.contacts {
            if c["lives_with"] == "1" {
                for (k, v) in [
                    ("street", new.street.as_str()),
                    ("line_two", &new.line_two),
                    ("city", new.city),
                    ("state", new.state),
                    ("zip", new.zip),
                ] {
                    c.insert(k.into(), v.to_string());
                }
            }
        }
    }

    /// A relative or friend PowerSchool does not have, for emergencies and
    /// pickup.
    fn new_contact(&mut self) -> ContactView {
        let rng = &mut self.rng;
        let h = names::heritage(rng);
        let gender = if rng.percent(60) { "F" } else { "M" };
        let rel = [Rel::Aunt, Rel::Uncle, Rel::Grandparent, Rel::Other][rng.below(4)];
        let rel = match (rel, gender) {
            (Rel::Aunt, "M") => Rel::Uncle,
            (Rel::Uncle, "F") => Rel::Aunt,
            (r, _) => r,
        };
        let first = names::first_name(rng, h, gender).to_string();
        let last = names::last_name(rng, h).to_string();
        let email = if rng.percent(60) { self.reg.email(rng, &first, &last) } else { String::new() };
        let mobile = phone_text(&self.reg.phone(), PhoneStyle::Dash);
        ContactView {
            first,
            middle: String::new(),
            last,
            rel,
            email,
            mobile,
            home_phone: String::new(),
            work_phone: String::new(),
            street: String::new(),
            line_two: String::new(),
            city: String::new(),
            state: String::new(),
            zip: String::new(),
            flags: LinkFlags { pickup: true, emergency: true, ..LinkFlags::default() },
            data_access: false,
        }
    }

    /// Applies a variation to the first contact (a parent).
    fn vary_parent(&mut self, form: &mut Form, variation: Variation) {
        if variation == Variation::Nickname {
            if !nickname_a_contact(form, &mut self.rng) {
                self.vary_parent(form, Variation::NewEmail);
            }
            return;
        }
        let Some(c) = form.contacts.first_mut() else {
            return;
        };
        match variation {
            Variation::NewEmail => {
                let email = self.reg.email(&mut self.rng, &c["first_name"], &c["last_name"]);
                c.insert("email".into(), email);
            }
            Variation::NewPhone => {
                c.insert("mobile_phone".into(), phone_text(&self.reg.phone(), PhoneStyle::Paren));
            }
            Variation::Formatting => {
                let upper = c["last_name"].to_uppercase();
                c.insert("last_name".into(), upper);
                let digits: String = c["mobile_phone"].chars().filter(char::is_ascii_digit).collect();
                if digits.len() == 10 {
                    c.insert("mobile_phone".into(), phone_text(&digits, PhoneStyle::Dots));
                }
            }
            _ => {}
        }
    }
}

/// What families often leave out: middle names, the mailing address,
/// allergies, the bus route, the first contact's work phone and the
/// second's email.
fn leave_optional_fields_blank(form: &mut Form) {
    for f in [
        "legal_middle_name",
        "preferred_middle_name",
        "mailing_street",
        "mailing_city",
        "mailing_state",
        "mailing_zip",
        "allergies",
        "bus_route",
    ] {
        form.set(f, "");
    }
    if let Some(c) = form.contacts.first_mut() {
        c.insert("work_phone".into(), String::new());
    }
    if let Some(c) = form.contacts.get_mut(1) {
        c.insert("email".into(), String::new());
    }
}

/// Gives the first contact whose first name has a common nickname that
/// nickname; false if none has.
fn nickname_a_contact(form: &mut Form, rng: &mut Rng) -> bool {
    for c in &mut form.contacts {
        let nicks = names::nicknames(&c["first_name"]);
        if !nicks.is_empty() {
            c.insert("first_name".into(), rng.pick(nicks).to_string());
            return true;
        }
    }
    false
}

/// Whether the family's child `slot` (student `si`) is enrolled and has an
/// active contact.
fn active_with_contacts(s: &Snapshot, fam: &FamilyRec, slot: usize, si: u32) -> bool {
    s.students[si as usize].enroll_status == 0 && fam.adults.iter().any(|a| !a.ended && a.kids & (1 << slot) != 0)
}

/// Whether a nickname can be used on the child's form: the child goes by
/// the legal first name and it has a nickname, or a contact's has.
fn has_nickname_candidate(w: &Writer<'_>, fam: &FamilyRec, slot: usize, si: u32) -> bool {
    let s = &w.snapshot.students[si as usize];
    let legal = w.snapshot.student_core_fields.get(si as usize).map_or("", |c| c.legal_first_name.as_str());
    (s.first_name == legal && !names::nicknames(legal).is_empty())
        || fam.adults.iter().any(|a| {
            !a.ended
                && a.kids & (1 << slot) != 0
                && !names::nicknames(&w.snapshot.persons[a.person as usize].first_name).is_empty()
        })
}

/// `1432 Maple St` -> `1432 Maple Street`.
fn spell_out_suffix(street: &str) -> String {
    let words: Vec<&str> = street.split(' ').collect();
    words
        .iter()
        .map(|w| names::SUFFIXES.iter().find(|(short, _)| short == w).map_or(*w, |(_, long)| long))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Courses a family requests for a child of `grade`: from the grade's
/// day, 2 to 7 of them; elementary families often request none.
fn requested_courses(rng: &mut Rng, grade: i32) -> Vec<RequestedCourse> {
    let elementary = grade <= 5;
    if rng.percent(if elementary { 45 } else { 10 }) {
        return Vec::new();
    }
    let mut all = Vec::new();
    for slot in slots(grade) {
        for (number, _) in rng.pick(slot).parts() {
            all.push(number);
        }
    }
    let (lo, hi) = if elementary { (2, all.len()) } else { (4, all.len().min(7)) };
    all.truncate(rng.range(lo as i64, hi as i64) as usize);
    all.into_iter()
        .map(|n| RequestedCourse {
            course_number: n.to_string(),
            course_name: COURSES[course_index(n)].name.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_iso_in_august() {
        assert_eq!(timestamp(0), "2026-08-01T00:00:00-05:00");
        assert_eq!(timestamp(30 * 86_400 + 3661), "2026-08-31T01:01:01-05:00");
    }

    #[test]
    fn quotas_add_up() {
        for n in [0, 10, 100, 2000, 500_000] {
            let q = Quotas::new(n);
            assert_eq!(q.total(), (n / 10).max(12));
            assert!(q.written_back <= n);
        }
    }
}
