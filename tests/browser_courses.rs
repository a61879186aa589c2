//! The course writeback end to end: headless Chromium (chromedriver) on the
//! Trunk-built UI, the real relay, and a real OpenSSH `sshd` on loopback as
//! the SFTP server AutoComm reads from.
//!
//! The demo district is generated here; the browser's date is today, so the
//! application and every step are planned with the core on the browser's
//! date. Needs the UI, the relay binary and the command-line tool (`cargo
//! xtask test` builds them and passes `WRITEBACK_TEST_DIST`,
//! `WRITEBACK_TEST_RELAY_BIN` and `WRITEBACK_TEST_CLI_BIN`),
//! chromium-driver and openssh-server: without them the test fails, saying
//! so.

mod common;
#[path = "../relay/tests/support/sshd.rs"]
mod sshd;

use common::{assert_accessible, click, generate, text_of, Session, SHOW_LIMIT};
use sshd::start_sshd;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use writeback::application::Application;
use writeback::courses::{Approval, CourseDecision, SectionOption};
use writeback::domain::Date;
use writeback::plan::{ApplicationReview, BlockerPlace, Decisions, District, DistrictSettings, Review, Reviewer};
use writeback_files as files;
use writeback_synth::demo::demo_staff;

// --- The plan, made with the core ------------------------------------------

/// A course chosen in the test: its row and the section chosen.
#[derive(Debug, Clone)]
struct Pick {
    index: usize,
    course: String,
    section: SectionOption,
    entry_date: Date,
}

impl Pick {
    fn decision(&self, approval: Approval) -> CourseDecision {
        CourseDecision {
            section_id: Some(self.section.section_id),
            entry_date: Some(self.entry_date),
            approval,
            confirm_full: false,
        }
    }
}

/// What the test does: approve `a` and `b`, deny `denied`; `clash` is a
/// section of b's course that meets with `a` (refused), `b` the fix; `full`
/// a full section the picker offers for some course (to see the
/// confirmation).
struct Plan {
    app: Application,
    prepared: ApplicationReview,
    a: Pick,
    clash: Pick,
    b: Pick,
    denied: (usize, String),
    full: (usize, SectionOption),
}

impl Plan {
    fn decisions(&self, b: &Pick) -> Decisions {
        let mut d = Decisions::default();
        d.courses.insert(self.a.course.clone(), self.a.decision(Approval::Approved));
        d.courses.insert(b.course.clone(), b.decision(Approval::Approved));
        d
    }

    /// The final decisions: a and the fixed b approved, one course denied.
    fn final_decisions(&self) -> Decisions {
        let mut d = self.decisions(&self.b);
        d.courses
            .insert(self.denied.1.clone(), CourseDecision { approval: Approval::Denied, ..CourseDecision::default() });
        d
    }
}

fn load_district(demo: &Path) -> District {
    let snapshot = files::load_snapshot(&demo.join("snapshot")).expect("demo snapshot loads");
    let mappings = files::load_mappings(&demo.join("mappings.json")).expect("demo mappings load");
    let settings: DistrictSettings = files::read_json(&demo.join("district.json")).expect("demo settings load");
    District::new(snapshot, mappings, settings).expect("mappings fit")
}

/// The first demo application (by id) whose course writeback is available,
/// for a student with a current schedule, with 3 courses offering a non-full section, two of which can be chosen
/// to clash and then fixed, and a full section somewhere in its lists.
fn plan(demo: &Path, today: Date) -> Plan {
    let district = load_district(demo);
    let reviewer = Reviewer { staff: demo_staff(), today };
    let mut paths: Vec<_> = fs::read_dir(demo.join("applications")).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    for path in paths {
        let app = files::load_application(&path).expect("demo application loads");
        let prepared = ApplicationReview::prepare(&district, &app, &[], &reviewer);
        let courses = prepared.courses();
        // A student with a current schedule, to see it beside the table.
        if !courses.available() || courses.current_schedule().is_empty() {
            continue;
        }
        // Each requested course's picker as it opens (defaults).
        let mut open: Vec<(usize, String, Vec<SectionOption>, Date)> = Vec::new();
        let mut full = None;
        for (index, r) in courses.requests().iter().enumerate() {
            let p = courses.picker(&r.course_number, None, None, None);
            let Some(entry_date) = p.entry_date else { continue };
            if full.is_none() {
                full = p.sections.iter().find(|s| s.full).map(|s| (index, s.clone()));
            }
            let free: Vec<SectionOption> = p.sections.into_iter().filter(|s| !s.full).collect();
            if !free.is_empty() {
                open.push((index, r.course_number.clone(), free, entry_date));
            }
        }
        let Some(full) = full else { continue };
        if open.len() < 3 {
            continue;
        }
        let pick = |o: &(usize, String, Vec<SectionOption>, Date), s: &SectionOption| Pick {
            index: o.0,
            course: o.1.clone(),
            section: s.clone(),
            entry_date: o.3,
        };
        for (ai, oa) in open.iter().enumerate() {
            for (bi, ob) in open.iter().enumerate() {
                if ai == bi {
                    continue;
                }
                let Some(denied) = open.iter().enumerate().find(|(i, _)| *i != ai && *i != bi).map(|(_, o)| o) else {
                    continue;
                };
                for sa in &oa.2 {
                    let a = pick(oa, sa);
                    let mut clash = None;
                    let mut fix = None;
                    for sb in &ob.2 {
                        let b = pick(ob, sb);
                        let mut plan = Plan {
                            app: app.clone(),
                            prepared: prepared.clone(),
                            a: a.clone(),
                            clash: b.clone(),
                            b: b.clone(),
                            denied: (denied.0, denied.1.clone()),
                            full: full.clone(),
                        };
                        let review = prepared.decide(&plan.decisions(&b));
                        let blocking = &review.courses.blocking;
                        let clashes = blocking.len() == 1
                            && blocking[0].field == Some(BlockerPlace::Course(b.course.clone()))
                            && blocking[0].message.contains("both meet in");
                        if clashes && clash.is_none() {
                            clash = Some(b);
                        } else if fix.is_none() {
                            plan.b = b.clone();
                            let done = prepared.decide(&plan.final_decisions());
                            if done.courses.ready() && done.courses.file.is_some() {
                                fix = Some(b);
                            }
                        }
                    }
                    if let (Some(clash), Some(b)) = (clash, fix) {
                        return Plan { app, prepared, a, clash, b, denied: (denied.0, denied.1.clone()), full };
                    }
                }
            }
        }
    }
    panic!(
        "no demo application (on {today}) has 3 courses with open sections, a period clash to fix and a full section"
    );
}

// --- Browser helpers ---------------------------------------------------------

/// Waits until `css` exists and `ok` holds for its text; returns the text.
async fn wait_for_text(c: &Client, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let now = match c.find(Locator::Css(css)).await {
            Ok(el) => el.prop("textContent").await.unwrap().unwrap_or_default(),
            Err(_) => String::new(),
        };
        if ok(&now) {
            return now;
        }
        assert!(start.elapsed() < SHOW_LIMIT, "{css} should show {what}; it shows {now:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_until_gone(c: &Client, css: &str) {
    let start = Instant::now();
    while c.find(Locator::Css(css)).await.is_ok() {
        assert!(start.elapsed() < SHOW_LIMIT, "{css} is still shown");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for_focus(c: &Client, id: &str, why: &str) {
    let start = Instant::now();
    loop {
        let v = c.execute("return document.activeElement ? document.activeElement.id : ''", vec![]).await.unwrap();
        let now = v.as_str().unwrap_or_default().to_string();
        if now == id {
            return;
        }
        assert!(start.elapsed() < SHOW_LIMIT, "{why}: the focus is on {now:?}, not {id:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn texts(c: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for el in c.find_all(Locator::Css(css)).await.unwrap() {
        out.push(el.prop("textContent").await.unwrap().unwrap_or_default());
    }
    out
}

/// The browser's today (its time zone is the district office's).
async fn browser_today(c: &Client) -> Date {
    let v = c
        .execute("const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()];", vec![])
        .await
        .unwrap();
    let n = |i: usize| v[i].as_i64().unwrap();
    Date::from_ymd(n(0) as i32, n(1) as u32, n(2) as u32).expect("the browser's date")
}

/// The AutoComm run the relay announces now (the demo's district.json has
/// no `time_zone`: UTC).
fn pickup_now(settings: &DistrictSettings) -> String {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let date = Date::from_days_since_epoch((secs / 86_400) as i64).unwrap();
    let (hour, minute) = ((secs % 86_400 / 3600) as u8, (secs % 3600 / 60) as u8);
    let schedule = settings.courses.autocomm.as_ref().expect("the demo has an AutoComm schedule");
    schedule.next_pickup((date, hour, minute)).expect("the schedule runs").label()
}

/// Opens the picker of row `index`, checks it lists what the core lists,
/// each section's conflicts beside the courses as `decided`, and took the
/// focus; chooses `section` and presses Select; checks the focus came back
/// and the row shows the section.
async fn choose(c: &Client, plan: &Plan, decided: &Decisions, index: usize, section: &SectionOption) {
    let course = &plan.prepared.courses().requests()[index].course_number;
    click(c, &format!("#wb-course-select-{index}")).await;
    c.wait()
        .at_most(SHOW_LIMIT)
        .for_element(Locator::Css(&format!("#wb-picker[data-course='{course}']")))
        .await
        .unwrap();
    wait_for_focus(c, "wb-picker-title", "the picker takes the focus").await;
    assert_accessible(c, "the section picker").await;
    let expected: Vec<String> = plan
        .prepared
        .courses()
        .picker(course, None, None, None)
        .sections
        .iter()
        .map(|s| s.section_id.to_string())
        .collect();
    let mut listed = Vec::new();
    for el in c.find_all(Locator::Css("#wb-picker tr.wb-section-option")).await.unwrap() {
        listed.push(el.attr("data-section-id").await.unwrap().unwrap_or_default());
    }
    assert_eq!(listed, expected, "the picker of {course} lists the core's sections");
    // Each section's conflicts are the core's: those every section has once
    // above the list, the rest in the section's row.
    let common = texts(c, "#wb-picker .wb-picker-common li").await;
    let p = plan.prepared.courses().picker(course, None, None, None);
    for s in &p.sections {
        let core = plan.prepared.courses().conflicts_if_chosen(&decided.courses, course, s.section_id, p.entry_date);
        assert!(common.iter().all(|m| core.contains(m)), "{common:?} is not said of section {}", s.section_number);
        let own: Vec<String> = core.into_iter().filter(|m| !common.contains(m)).collect();
        let cell = format!("tr.wb-section-option[data-section-id='{}'] .wb-section-conflicts", s.section_id);
        let shown = if own.is_empty() { vec![text_of(c, &cell).await] } else { texts(c, &format!("{cell} li")).await };
        let own = if own.is_empty() { vec!["none".to_string()] } else { own };
        assert_eq!(shown, own, "the conflicts of {course} section {}", s.section_number);
    }
    click(c, &format!("#wb-section-{}", section.section_id)).await;
    click(c, "button.wb-picker-select").await;
    wait_until_gone(c, "#wb-picker").await;
    wait_for_focus(c, &format!("wb-course-select-{index}"), "the focus returns to the row").await;
    let number = format!("Section {}", section.section_number);
    wait_for_text(c, &format!("#wb-course-{index} .wb-section-number"), &number, |t| t == number).await;
}

async fn set_approval(c: &Client, index: usize, value: &str) {
    let select = c.find(Locator::Css(&format!("#wb-approval-{index}"))).await.unwrap();
    select.select_by_value(value).await.unwrap();
}

/// The blockers as the UI lists them, and as the core words them.
fn core_blockers(review: &Review) -> Vec<String> {
    review
        .courses
        .blocking
        .iter()
        .map(|b| format!("{}: {}", b.field.as_ref().map(|f| f.to_string()).unwrap_or_default(), b.message))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn course_writeback_select_approve_deny_fix_a_clash_submit_and_deliver_over_sftp() {
    // Steps: open the application; a full section asks for a confirmation;
    // choose two sections that meet in the same period and approve both
    // (refused, the reason shown); deny a third course; fix the conflict;
    // the preview is the core's file; submit; the history entry shows the
    // courses written and denied and the expected pickup, then delivered;
    // denying the rest records an entry without a file; the SFTP folder
    // holds the previewed file, byte for byte, and nothing else.
    let (tmp, demo) = generate("1000", "11");
    let settings: DistrictSettings = files::read_json(&demo.join("district.json")).unwrap();
    let sshd = start_sshd();
    let session = Session::start(tmp, demo.clone(), sshd.relay_flags().into_iter().map(Into::into).collect()).await;
    let c = session.client.clone();

    let outcome = tokio::time::timeout(Duration::from_secs(240), async {
        session.home().await;
        let plan = plan(&demo, browser_today(&c).await);
        let app_id = plan.app.id.to_string();

        // Open the application: the Courses section shows every requested course.
        click(&c, &format!("button.wb-app[data-app-id='{app_id}']")).await;
        c.wait().at_most(SHOW_LIMIT).for_element(Locator::Css("table.wb-courses-table")).await.unwrap();
        let rows = texts(&c, "tr.wb-course-row .wb-course-number").await;
        let requested: Vec<String> =
            plan.prepared.courses().requests().iter().map(|r| r.course_number.clone()).collect();
        assert_eq!(rows, requested);
        assert_eq!(text_of(&c, &format!("#wb-course-{} .wb-course-section", plan.a.index)).await, "none");
        // The student's current schedule is beside the table, as the core lists it.
        let schedule: Vec<String> =
            plan.prepared.courses().current_schedule().iter().map(|c| c.course_number.clone()).collect();
        let mut shown = Vec::new();
        for el in c.find_all(Locator::Css("tr.wb-schedule-row")).await.unwrap() {
            shown.push(el.attr("data-course").await.unwrap().unwrap_or_default());
        }
        assert_eq!(shown, schedule, "the current schedule");
        assert!(!schedule.is_empty(), "the plan's student has a current schedule");
        let submit = c.find(Locator::Css("button.wb-course-submit")).await.unwrap();
        assert!(!submit.is_enabled().await.unwrap(), "nothing decided: nothing to submit");

        // A full section asks for a confirmation; Cancel (and Escape) leave
        // the decision alone and give the focus back.
        let (full_index, full) = &plan.full;
        click(&c, &format!("#wb-course-select-{full_index}")).await;
        let seats =
            text_of(&c, &format!("tr.wb-section-option[data-section-id='{}'] .wb-seats", full.section_id)).await;
        assert!(seats.starts_with("Full: "), "a full section says so in words: {seats:?}");
        click(&c, &format!("#wb-section-{}", full.section_id)).await;
        let confirm = text_of(&c, "label.wb-confirm-full").await;
        assert!(confirm.contains("Confirm enrolling in a full section"), "{confirm}");
        click(&c, "button.wb-picker-cancel").await;
        wait_until_gone(&c, "#wb-picker").await;
        wait_for_focus(&c, &format!("wb-course-select-{full_index}"), "Cancel gives the focus back").await;
        click(&c, &format!("#wb-course-select-{full_index}")).await;
        wait_for_focus(&c, "wb-picker-title", "the picker takes the focus").await;
        c.active_element().await.unwrap().send_keys(&Key::Escape.to_string()).await.unwrap();
        wait_until_gone(&c, "#wb-picker").await;
        wait_for_focus(&c, &format!("wb-course-select-{full_index}"), "Escape gives the focus back").await;

        // Choose sections that meet in the same period, approve both: refused.
        choose(&c, &plan, &Decisions::default(), plan.a.index, &plan.a.section).await;
        set_approval(&c, plan.a.index, "approved").await;
        let mut a_only = Decisions::default();
        a_only.courses.insert(plan.a.course.clone(), plan.a.decision(Approval::Approved));
        choose(&c, &plan, &a_only, plan.clash.index, &plan.clash.section).await;
        // Still pending, the row says what approving it would run into.
        let mut pending = plan.decisions(&plan.clash);
        pending.courses.get_mut(&plan.clash.course).unwrap().approval = Approval::Pending;
        let before = plan.prepared.decide(&pending).courses.outcome.rows[plan.clash.index].if_approved.clone();
        assert!(before.iter().any(|m| m.contains("both meet in")), "{before:?}");
        let notes = format!("#wb-course-{} .wb-if-approved li", plan.clash.index);
        wait_for_text(&c, &notes, "the conflict before approving", |t| t == before[0]).await;
        assert_eq!(texts(&c, &notes).await, before);
        set_approval(&c, plan.clash.index, "approved").await;
        let clashing = plan.prepared.decide(&plan.decisions(&plan.clash));
        let expected = core_blockers(&clashing);
        assert!(expected[0].contains("both meet in"), "{expected:?}");
        wait_for_text(&c, "section.wb-course-blockers ul", "the period conflict", |t| t == expected.concat()).await;
        assert_eq!(texts(&c, "section.wb-course-blockers li").await, expected);
        // The blocked row looks blocked, though it is approved.
        let blocked = clashing.courses.outcome.blockers[0].course.clone().expect("the clash names its course");
        let row = format!("tr.wb-course-row[data-course='{blocked}']");
        let class = c.find(Locator::Css(&row)).await.unwrap().attr("class").await.unwrap().unwrap_or_default();
        assert!(class.contains("blocked"), "{class}");
        assert!(text_of(&c, &format!("{row} .wb-blocked-tag")).await.contains("Blocked"));
        let submit = c.find(Locator::Css("button.wb-course-submit")).await.unwrap();
        assert!(!submit.is_enabled().await.unwrap(), "a period conflict cannot be submitted");
        submit.click().await.ok();
        assert!(c.find(Locator::Css("pre.wb-course-file")).await.is_err(), "no file while blocked");

        // Deny a third course, fix the conflict: the preview is the core's file.
        set_approval(&c, plan.denied.0, "denied").await;
        wait_until_gone(&c, &notes).await;
        let mut decided = plan.decisions(&plan.clash);
        decided.courses.insert(plan.denied.1.clone(), plan.final_decisions().courses[&plan.denied.1].clone());
        choose(&c, &plan, &decided, plan.b.index, &plan.b.section).await;
        let done = plan.prepared.decide(&plan.final_decisions());
        let file = done.courses.file.clone().expect("a schedules file").text;
        wait_for_text(&c, "pre.wb-course-file", "the core's schedules file", |t| t == file).await;
        let class = c.find(Locator::Css(&row)).await.unwrap().attr("class").await.unwrap().unwrap_or_default();
        assert!(!class.contains("blocked"), "fixed, it is no longer blocked: {class}");
        assert!(c.find(Locator::Css("section.wb-course-blockers")).await.is_err(), "nothing blocks");

        // Submit: the history entry appears at once.
        let before = pickup_now(&settings);
        click(&c, "button.wb-course-submit").await;
        let entry = text_of(&c, "tr.wb-history-entry").await;
        let written = format!("Courses written: {}", done.courses.outcome.written.join(", "));
        let denied = format!("Courses denied: {}", plan.denied.1);
        assert_eq!(done.courses.outcome.denied, std::slice::from_ref(&plan.denied.1));
        assert!(entry.contains(&written), "{entry:?} lacks {written:?}");
        assert!(entry.contains(&denied), "{entry:?} lacks {denied:?}");
        assert!(entry.contains("Demo Registrar (demo.registrar)") && entry.contains("schedules"), "{entry}");
        assert!(entry.contains(&format!("writeback_schedules_{app_id}_")), "{entry}");
        let submit = c.find(Locator::Css("button.wb-course-submit")).await.unwrap();
        assert!(!submit.is_enabled().await.unwrap(), "submit waits for a change after a submission");
        wait_for_text(&c, "tr.wb-history-entry .wb-history-status", "delivered", |t| t == "delivered").await;
        let pickup = text_of(&c, "tr.wb-history-entry .wb-history-pickup").await;
        let after = pickup_now(&settings);
        let said = |p: &str| pickup == format!("Expected AutoComm pickup: {p} (district time)");
        assert!(said(&before) || said(&after), "{pickup:?}: expected {before:?} or {after:?}");
        let preview = text_of(&c, "pre.wb-course-file").await;

        // Denying every decided course writes no file: the submission is
        // recorded in the history, and nothing goes to the SFTP folder.
        set_approval(&c, plan.a.index, "denied").await;
        set_approval(&c, plan.b.index, "denied").await;
        let mut all_denied = plan.final_decisions();
        for course in [&plan.a.course, &plan.b.course] {
            all_denied.courses.get_mut(course).unwrap().approval = Approval::Denied;
        }
        let denials = plan.prepared.decide(&all_denied);
        assert!(denials.courses.ready() && denials.courses.file.is_none());
        wait_for_text(&c, ".wb-course-preview", "no file", |t| t.contains("No schedules file")).await;
        click(&c, "button.wb-course-submit").await;
        let newest = "tr.wb-history-entry:first-child";
        let denied = format!("Courses denied: {}", denials.courses.outcome.denied.join(", "));
        let entry = wait_for_text(&c, newest, "the denials", |t| t.contains(&denied)).await;
        assert!(entry.contains("Courses written: none"), "{entry}");
        assert_eq!(text_of(&c, &format!("{newest} .wb-history-status")).await, "recorded");
        assert_eq!(text_of(&c, &format!("{newest} .wb-history-file")).await, "no file");
        // When: in the clerk's words and zone, the exact UTC time kept in `datetime`.
        let time = c.find(Locator::Css(&format!("{newest} time"))).await.unwrap();
        let iso = time.attr("datetime").await.unwrap().unwrap_or_default();
        assert!(iso.ends_with('Z') && iso.contains('T'), "{iso}");
        let shown = time.text().await.unwrap();
        assert!(!shown.contains('T') && shown.contains(", 20"), "a time in words: {shown}");
        let pickup = text_of(&c, &format!("{newest} .wb-history-pickup")).await;
        assert_eq!(pickup, "No file: nothing for AutoComm to import");
        assert_eq!(c.find_all(Locator::Css("tr.wb-history-entry")).await.unwrap().len(), 2);

        // Approving again would write enrolments a second time: Submit
        // waits for the correction mark, which says who wrote them and when.
        set_approval(&c, plan.a.index, "approved").await;
        let mark = wait_for_text(&c, "label.wb-correction", "the correction mark", |t| !t.is_empty()).await;
        let mark = mark.trim();
        assert!(
            mark.starts_with(
                "This is a correction: Demo Registrar (demo.registrar) wrote these course enrolments back at"
            ),
            "{mark}"
        );
        let submit = c.find(Locator::Css("button.wb-course-submit")).await.unwrap();
        assert!(!submit.is_enabled().await.unwrap(), "a second schedules file needs the mark");
        click(&c, "input.wb-correction-box").await;
        let start = std::time::Instant::now();
        while !submit.is_enabled().await.unwrap() {
            assert!(start.elapsed() < SHOW_LIMIT, "the mark enables Submit");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        (app_id, preview, file)
    })
    .await;
    c.close().await.ok();
    let (app_id, preview, file) = outcome.expect("the browser steps finish within 4 minutes");
    assert_eq!(preview, file);

    // The file reached the SFTP folder byte for byte, under its final name only.
    let names: Vec<String> =
        fs::read_dir(sshd.remote()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    assert_eq!(names.len(), 1, "one file, no temporary: {names:?}");
    assert!(names[0].starts_with(&format!("writeback_schedules_{app_id}_")), "{names:?}");
    assert_eq!(fs::read(sshd.remote().join(&names[0])).unwrap(), file.as_bytes(), "delivered = previewed");
}
