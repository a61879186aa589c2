//! End to end in a real browser: headless Chromium driven through WebDriver
//! (chromedriver), against the real relay serving the Trunk-built UI.
//!
//! Needs the UI built into dist/, the relay binary and the command-line
//! tool: `cargo xtask test` builds them and passes their paths in
//! `WRITEBACK_TEST_DIST`, `WRITEBACK_TEST_RELAY_BIN` and
//! `WRITEBACK_TEST_CLI_BIN`.

mod common;

use common::{assert_accessible, assert_icons_are_svg, click, family_of, load_district, text_of, Session};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use writeback::demographics::Decision;
use writeback::domain::PersonId;
use writeback::flatfile::{FileKind, FilePreview};
use writeback::plan::{ApplicationReview, Decisions, Review};

/// A demo application with a demographics field whose default is Edit (so
/// it can be changed to Ignore), ready to submit once staff confirm the
/// best candidate of each undecided contact block.
struct Pick {
    app: writeback::application::Application,
    prepared: ApplicationReview,
    field: String,
    /// (block, person) confirmations staff make first.
    confirm: Vec<(String, PersonId)>,
    decisions: Decisions,
}

fn pick_application(demo: &Path) -> Pick {
    let (district, reviewer, apps) = load_district(demo);
    for (_, app) in &apps {
        let app = app.clone();
        let prepared = ApplicationReview::prepare(&district, &app, &family_of(&apps, &app), &reviewer);
        let (decisions, confirm) = common::confirm_best_candidates(&prepared);
        let review = prepared.decide(&decisions);
        let field = prepared
            .demographics()
            .fields
            .iter()
            .find(|f| f.default_decision() == Decision::Edit && f.allowed.contains(&Decision::Ignore))
            .map(|f| f.form_field.clone());
        // Another field must stay written so the file exists after the change.
        let written = review.demographics.iter().filter(|r| r.decision.writes()).count();
        if let (true, Some(field)) = (review.ready() && written >= 2, field) {
            return Pick { app, prepared, field, confirm, decisions };
        }
    }
    panic!("the demo district has no application with an Edit field to change");
}

async fn wait_until_text(c: &Client, css: &str, expected: &str) -> String {
    let start = Instant::now();
    loop {
        let now = text_of(c, css).await;
        if now == expected {
            return now;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{css} shows {now:?}, expected {expected:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The Students file a review writes.
fn file_text(review: &Review) -> String {
    let students: Vec<_> = review.files.iter().filter(|f| f.kind == FileKind::Students).collect();
    assert_eq!(students.len(), 1, "one Students file: {:?}", review.blockers);
    students[0].text.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_change_decision_submit_and_find_the_file() {
    let session = Session::demo("400", "11").await;
    let Pick { app, prepared, field, confirm, decisions: base } = pick_application(&session.demo);
    let c = &session.client;
    let data_dir = session.data_dir.clone();

    let result = async {
        session.open(app.id.as_str()).await;
        // Settle the contacts as staff would: confirm the best candidates.
        for (block, person) in &confirm {
            let button = format!(
                "article.wb-contact[data-block='{block}'] li.wb-candidate[data-person-id='{person}'] button.wb-confirm"
            );
            click(c, &button).await;
        }

        assert_icons_are_svg(c).await;
        // The preview is exactly the file the core writes with default decisions.
        let defaults = prepared.decide(&base);
        wait_until_text(c, "pre.wb-file[data-kind='students']", &file_text(&defaults)).await;
        let row = format!("tr[data-field='{field}']");
        let row_class = c.find(Locator::Css(&row)).await.unwrap().attr("class").await.unwrap().unwrap();
        assert!(row_class.contains("hl-red"), "an Edit field is red: {row_class}");
        assert_eq!(text_of(c, &format!("{row} .wb-status-text")).await, "Will be replaced");

        // Change one decision: the preview follows at once.
        let select = c.find(Locator::Css(&format!("#wb-decision-{field}"))).await.unwrap();
        select.select_by_value("ignore").await.unwrap();
        let mut decisions = base.clone();
        decisions.demographics.insert(field.clone(), Decision::Ignore);
        let changed = file_text(&prepared.decide(&decisions));
        assert_ne!(changed, file_text(&defaults));
        wait_until_text(c, "pre.wb-file[data-kind='students']", &changed).await;
        // The table above the raw file is the same file: its filled columns, its row.
        let table = FilePreview::of(FileKind::Students, &changed);
        let figure = "figure.wb-file-preview[data-kind='students']";
        let mut headers = Vec::new();
        for th in c.find_all(Locator::Css(&format!("{figure} thead th"))).await.unwrap() {
            headers.push(th.prop("textContent").await.unwrap().unwrap_or_default());
        }
        assert_eq!(headers, table.columns, "the table's columns are the file's filled ones");
        let rows = c.find_all(Locator::Css(&format!("{figure} tbody tr"))).await.unwrap();
        assert_eq!(rows.len(), table.rows.len());
        let first_row = rows[0].prop("textContent").await.unwrap().unwrap_or_default();
        let cells: String = table.rows[0].iter().map(|c| c.value.as_str()).collect();
        assert_eq!(first_row, cells, "the row shows the file's values");
        assert_eq!(text_of(c, &format!("{row} .wb-status-text")).await, "Stays in PowerSchool");
        let row_class = c.find(Locator::Css(&row)).await.unwrap().attr("class").await.unwrap().unwrap();
        assert!(row_class.contains("hl-green"), "an ignored field is green: {row_class}");

        // Submit: the history entry appears at once.
        c.find(Locator::Css("button.wb-submit-button")).await.unwrap().click().await.unwrap();
        text_of(c, "tr.wb-history-entry").await;
        let mut entry = String::new();
        for row in c.find_all(Locator::Css("tr.wb-history-entry")).await.unwrap() {
            let text = row.prop("textContent").await.unwrap().unwrap_or_default();
            if text.contains("students") {
                entry = text;
            }
        }
        assert!(entry.contains("Demo Registrar (demo.registrar)"), "history names the staff member: {entry}");
        assert!(entry.contains("students"), "history names the kind: {entry}");
        assert!(entry.contains(app.id.as_str()), "history names the file: {entry}");
        // Submitting the same decisions twice would write the file twice.
        let submit = c.find(Locator::Css("button.wb-submit-button")).await.unwrap();
        assert!(!submit.is_enabled().await.unwrap(), "submit is disabled after a successful submit");
        // The entry turns to delivered without a reload.
        wait_until_text(c, "tr.wb-history-entry .wb-history-status", "delivered").await;
        changed
    }
    .await;
    session.client.clone().close().await.ok();

    // The file lands in the outbox byte for byte, under its final name only.
    let outbox = data_dir.join("outbox");
    let start = Instant::now();
    let delivered = loop {
        let files: Vec<PathBuf> = std::fs::read_dir(&outbox)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        if let Some(f) = files.iter().find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".txt") && name.starts_with("writeback_students_")
        }) {
            break f.clone();
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no file reached {}", outbox.display());
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(delivered.file_name().unwrap().to_string_lossy().contains(app.id.as_str()));
    assert_eq!(std::fs::read_to_string(&delivered).unwrap(), result, "the delivered file is the previewed file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contacts_show_candidates_with_evidence_and_take_confirm_and_reject() {
    let session = Session::demo("400", "11").await;
    let (district, reviewer, apps) = load_district(&session.demo);
    // An application with two blocks that have candidates, reviewed with its
    // family as the page does.
    let (app, review) = apps
        .iter()
        .find_map(|(_, a)| {
            let r =
                ApplicationReview::prepare(&district, a, &family_of(&apps, a), &reviewer).decide(&Decisions::default());
            (r.contacts.iter().filter(|c| c.matches.likely()).count() >= 2).then_some((a.clone(), r))
        })
        .expect("an application with two contact blocks with a likely match");
    let mut matched = review.contacts.iter().filter(|c| c.matches.likely());
    let (first, second) = (matched.next().unwrap(), matched.next().unwrap());
    let c = &session.client;
    session.open(app.id.as_str()).await;
    text_of(c, "article.wb-contact").await;
    assert_accessible(c, "contacts with candidates").await;
    // The header names the school, not only its number.
    let school = district.snapshot().schools.iter().find(|s| s.school_number == app.school_id).expect("the school");
    let meta = text_of(c, ".wb-review-meta").await;
    assert!(meta.contains(&format!("{} (school {})", school.name, app.school_id)), "{meta}");

    // The first block's best candidate, with its evidence in words.
    let best = &first.matches.candidates[0];
    let card = format!("article.wb-contact[data-block='{}']", first.matches.block);
    let line = format!("{card} li.wb-candidate[data-person-id='{}']", best.person_id);
    let evidence: Vec<String> = best.evidence.iter().map(|e| e.text.clone()).collect();
    wait_until_text(c, &format!("{line} .wb-evidence"), &evidence.concat()).await;
    assert!(text_of(c, &format!("{card} .wb-contact-state")).await.starts_with("Possible match"));
    if !best.used_by.is_empty() {
        let summary = text_of(c, &format!("{line} .wb-used-by summary")).await;
        assert!(summary.starts_with(&format!("Used by {} other student(s)", best.used_by.len())), "{summary}");
    }

    // Confirm it.
    click(c, &format!("{line} button.wb-confirm")).await;
    let state = text_of(c, &format!("{card} .wb-contact-state")).await;
    assert_eq!(state, format!("Confirmed: {} (contact {})", best.name, best.person_id));
    let class = c.find(Locator::Css(&line)).await.unwrap().attr("class").await.unwrap().unwrap();
    assert!(class.contains("confirmed"), "{class}");

    // Reject every candidate of the second block: it becomes a new contact.
    let card2 = format!("article.wb-contact[data-block='{}']", second.matches.block);
    for cand in &second.matches.candidates {
        let line = format!("{card2} li.wb-candidate[data-person-id='{}']", cand.person_id);
        click(c, &format!("{line} button.wb-reject")).await;
        let class = c.find(Locator::Css(&line)).await.unwrap().attr("class").await.unwrap().unwrap();
        assert!(class.contains("rejected"), "{class}");
    }
    let state = text_of(c, &format!("{card2} .wb-contact-state")).await;
    assert_eq!(state, format!("None of the {} candidate(s): will be a new contact", second.matches.candidates.len()));

    // Undo brings the block back to undecided.
    c.find(Locator::Css(&format!("{card2} button.wb-undo"))).await.unwrap().click().await.unwrap();
    assert!(text_of(c, &format!("{card2} .wb-contact-state")).await.starts_with("Possible match"));
    // The confidence is said in words on every candidate, not as a score.
    let badge = text_of(c, &format!("{line} .wb-confidence")).await;
    assert_eq!(badge.trim(), format!("{} match", capitalised(best.confidence.label())));
    assert_eq!(text_of(c, &format!("{line} .wb-reason")).await, best.reason);

    // Rejecting another candidate keeps a confirmation; pressing "Not this
    // person" again withdraws the rejection, and nothing else.
    let (two_app, two) = apps
        .iter()
        .find_map(|(_, a)| {
            let r =
                ApplicationReview::prepare(&district, a, &family_of(&apps, a), &reviewer).decide(&Decisions::default());
            let block = r.contacts.iter().find(|c| c.matches.candidates.len() >= 2).cloned();
            block.map(|b| (a.clone(), b))
        })
        .expect("an application with a block of two candidates or more");
    session.open(two_app.id.as_str()).await;
    let card = format!("article.wb-contact[data-block='{}']", two.matches.block);
    let (a, b) = (&two.matches.candidates[0], &two.matches.candidates[1]);
    let line_of = |p: PersonId| format!("{card} li.wb-candidate[data-person-id='{p}']");
    let confirmed = format!("Confirmed: {} (contact {})", a.name, a.person_id);
    click(c, &format!("{} button.wb-confirm", line_of(a.person_id))).await;
    click(c, &format!("{} button.wb-reject", line_of(b.person_id))).await;
    assert_eq!(text_of(c, &format!("{card} .wb-contact-state")).await, confirmed);
    let class_of = |p: PersonId| {
        let sel = line_of(p);
        async move { c.find(Locator::Css(&sel)).await.unwrap().attr("class").await.unwrap().unwrap() }
    };
    assert!(class_of(a.person_id).await.contains("confirmed"));
    assert!(class_of(b.person_id).await.contains("rejected"));
    click(c, &format!("{} button.wb-reject", line_of(b.person_id))).await;
    assert!(!class_of(b.person_id).await.contains("rejected"));
    assert_eq!(text_of(c, &format!("{card} .wb-contact-state")).await, confirmed);

    // A block with only weak matches (namesakes) says "no likely match" and
    // keeps them one click away; "New contact" settles it at once.
    let (weak_app, weak) = apps
        .iter()
        .find_map(|(_, a)| {
            let r =
                ApplicationReview::prepare(&district, a, &family_of(&apps, a), &reviewer).decide(&Decisions::default());
            let block = r.contacts.iter().find(|c| !c.matches.candidates.is_empty() && !c.matches.likely()).cloned();
            block.map(|b| (a.clone(), b))
        })
        .expect("an application with a block of weak matches only");
    session.open(weak_app.id.as_str()).await;
    let card = format!("article.wb-contact[data-block='{}']", weak.matches.block);
    assert!(text_of(c, &format!("{card} .wb-contact-state")).await.starts_with("No likely match"));
    assert!(text_of(c, &format!("{card} .wb-no-likely")).await.starts_with("No likely match in PowerSchool"));
    let list = c.find(Locator::Css(&format!("{card} details.wb-namesakes"))).await.unwrap();
    assert_eq!(list.attr("open").await.unwrap(), None, "the weak matches start folded");
    let n = weak.matches.candidates.len();
    assert_eq!(
        text_of(c, &format!("{card} details.wb-namesakes summary")).await,
        format!("Show the {n} weak match(es)")
    );
    click(c, &format!("{card} details.wb-namesakes summary")).await;
    let badges = c.find_all(Locator::Css(&format!("{card} .wb-confidence"))).await.unwrap();
    assert_eq!(badges.len(), n);
    for b in badges {
        assert!(b.is_displayed().await.unwrap());
        assert_eq!(b.text().await.unwrap(), "Weak match");
    }
    click(c, &format!("{card} button.wb-new-contact")).await;
    assert_eq!(text_of(c, &format!("{card} .wb-contact-state")).await, "New contact");

    // Search PowerSchool from the block and pick someone no list had: the
    // block is confirmed as them, and they join its candidates.
    let listed: Vec<PersonId> = weak.matches.candidates.iter().map(|c| c.person_id).collect();
    let persons = &district.snapshot().persons;
    let named = |p: &writeback::snapshot::Person| (p.first_name.clone(), p.last_name.clone());
    let other = persons
        .iter()
        .find(|p| !listed.contains(&p.id) && persons.iter().filter(|q| named(q) == named(p)).count() == 1)
        .expect("a person with a name of their own");
    click(c, &format!("{card} details.wb-search summary")).await;
    let input = c.find(Locator::Css(&format!("{card} input.wb-search-query"))).await.unwrap();
    input.send_keys(&format!("{} {}", other.first_name, other.last_name)).await.unwrap();
    click(c, &format!("{card} button.wb-search-button")).await;
    let hit = format!("{card} li.wb-search-person[data-person-id='{}']", other.id);
    let summary = text_of(c, &format!("{card} .wb-search-summary")).await;
    assert!(summary.contains(&format!("with the name {} {}", other.first_name, other.last_name)), "{summary}");
    assert_accessible(c, "a search of PowerSchool from a contact").await;
    let confirmed = format!("Confirmed: {} (contact {})", text_of(c, &format!("{hit} strong")).await, other.id);
    click(c, &format!("{hit} button.wb-pick")).await;
    let start = Instant::now();
    while text_of(c, &format!("{card} .wb-contact-state")).await != confirmed {
        assert!(start.elapsed() < Duration::from_secs(20), "not confirmed as the pick");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let line = format!("{card} li.wb-candidate[data-person-id='{}']", other.id);
    let evidence = text_of(c, &format!("{line} .wb-evidence")).await;
    assert!(evidence.contains("picked by staff from a search of PowerSchool"), "{evidence}");

    // Exact matches already the student's contacts: one click confirms them all.
    // An application not opened yet (one opened before has its draft).
    let opened = [&app.id, &two_app.id, &weak_app.id];
    let (sugg_app, suggested) = apps
        .iter()
        .filter(|(_, a)| !opened.contains(&&a.id))
        .find_map(|(_, a)| {
            let r =
                ApplicationReview::prepare(&district, a, &family_of(&apps, a), &reviewer).decide(&Decisions::default());
            let s: Vec<(String, PersonId)> =
                r.contacts.iter().filter_map(|c| c.matches.suggested().map(|p| (c.matches.block.clone(), p))).collect();
            (!s.is_empty()).then(|| (a.clone(), s))
        })
        .expect("an application with a suggested match");
    session.open(sugg_app.id.as_str()).await;
    let button = text_of(c, "button.wb-confirm-suggested").await;
    assert_eq!(button, format!("Confirm the {} suggested match(es)", suggested.len()));
    click(c, "button.wb-confirm-suggested").await;
    for (block, person) in &suggested {
        let card = format!("article.wb-contact[data-block='{block}']");
        let state = text_of(c, &format!("{card} .wb-contact-state")).await;
        assert!(state.starts_with("Confirmed: ") && state.ends_with(&format!("(contact {person})")), "{state}");
    }
    assert!(c.find(Locator::Css("button.wb-confirm-suggested")).await.is_err(), "nothing left to suggest");
    session.client.clone().close().await.ok();
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The value of the select `css`.
async fn select_value(c: &Client, css: &str) -> String {
    let el = c.wait().at_most(common::SHOW_LIMIT).for_element(Locator::Css(css)).await.unwrap();
    el.prop("value").await.unwrap().unwrap_or_default()
}

async fn wait_until_value(c: &Client, css: &str, expected: &str) {
    let start = Instant::now();
    while select_value(c, css).await != expected {
        assert!(start.elapsed() < Duration::from_secs(20), "{css} is not {expected:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Chooses `value` in the select `css`, once shown.
async fn choose(c: &Client, css: &str, value: &str) {
    let el = c.wait().at_most(common::SHOW_LIMIT).for_element(Locator::Css(css)).await.unwrap();
    el.select_by_value(value).await.unwrap();
}

async fn attr_of(c: &Client, css: &str, attr: &str) -> Option<String> {
    let el = c.wait().at_most(common::SHOW_LIMIT).for_element(Locator::Css(css)).await.unwrap();
    el.attr(attr).await.unwrap()
}

async fn wait_until_attr(c: &Client, css: &str, attr: &str, expected: &str) {
    let start = Instant::now();
    loop {
        let now = attr_of(c, css, attr).await;
        if now.as_deref() == Some(expected) {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{css} has {attr}={now:?}, expected {expected:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the focus is on the element `css`.
async fn wait_focused(c: &Client, css: &str) {
    let start = Instant::now();
    loop {
        let on = c.execute("return document.activeElement.matches(arguments[0]);", vec![css.into()]).await.unwrap();
        if on.as_bool() == Some(true) {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "the focus is not on {css}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Presses `keys` (e.g. Ctrl+Z) where the focus is, as staff would.
async fn press(c: &Client, keys: &str) {
    c.active_element().await.unwrap().send_keys(keys).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_survives_a_reload_every_change_undoes_and_a_writeback_is_done() {
    use fantoccini::key::Key;
    let (tmp, demo) = common::generate("400", "11");
    let Pick { app, field, confirm, .. } = pick_application(&demo);
    // Another application is still awaiting the district's approval.
    let (_, _, apps) = load_district(&demo);
    let (pending_path, pending) = apps.iter().find(|(_, a)| a.id != app.id).cloned().expect("a second application");
    let json = std::fs::read_to_string(&pending_path).unwrap().replacen("\"approved\"", "\"submitted\"", 1);
    std::fs::write(&pending_path, json).unwrap();
    let session = Session::start(tmp, demo, Vec::new()).await;
    let c = &session.client;
    let id = app.id.as_str();
    let select = format!("#wb-decision-{field}");
    let button = format!("button.wb-app[data-app-id='{id}']");
    session.home().await;
    text_of(c, &button).await;
    assert_accessible(c, "the application list").await;
    session.open(id).await;
    wait_until_attr(c, &button, "data-progress", "new").await;
    // Opening from the list takes the focus to the review.
    wait_focused(c, "h2.wb-review-title").await;
    assert_accessible(c, "a new application's review").await;

    // A change is saved as a draft at once, and the list says so.
    choose(c, &select, "ignore").await;
    let status = text_of(c, ".wb-draft-status").await;
    assert!(status.starts_with("Draft saved at "), "{status}");
    wait_until_attr(c, &button, "data-progress", "draft").await;
    for (block, person) in &confirm {
        click(
            c,
            &format!(
                "article.wb-contact[data-block='{block}'] li.wb-candidate[data-person-id='{person}'] button.wb-confirm"
            ),
        )
        .await;
    }

    // Reload: the draft is restored, with a note, and the list knows it.
    c.refresh().await.unwrap();
    click(c, &button).await;
    let note = text_of(c, ".wb-draft-note").await;
    assert!(note.starts_with("Your draft from "), "{note}");
    assert_accessible(c, "a restored draft").await;
    assert!(note.contains("is restored"), "{note}");
    wait_until_value(c, &select, "ignore").await;
    wait_until_attr(c, &button, "data-progress", "draft").await;
    for (block, person) in &confirm {
        let line = format!("article.wb-contact[data-block='{block}'] li.wb-candidate[data-person-id='{person}']");
        let class = attr_of(c, &line, "class").await.unwrap_or_default();
        assert!(class.contains("confirmed"), "the confirmation is restored: {class}");
    }

    // Undo and redo: the buttons, then the keyboard.
    let undo = c.find(Locator::Css("button.wb-undo-edit")).await.unwrap();
    assert!(!undo.is_enabled().await.unwrap(), "nothing to undo right after opening");
    choose(c, &select, "edit").await;
    click(c, "button.wb-undo-edit").await;
    wait_until_value(c, &select, "ignore").await;
    click(c, "button.wb-redo-edit").await;
    wait_until_value(c, &select, "edit").await;
    press(c, &(Key::Control + "z")).await;
    wait_until_value(c, &select, "ignore").await;
    press(c, &format!("{}{}z", Key::Control, Key::Shift)).await;
    wait_until_value(c, &select, "edit").await;
    press(c, &(Key::Control + "z")).await;
    wait_until_value(c, &select, "ignore").await;

    // Reset is a change like any other: undo brings every decision back.
    click(c, "button.wb-reset").await;
    wait_until_value(c, &select, "edit").await;
    click(c, "button.wb-undo-edit").await;
    wait_until_value(c, &select, "ignore").await;

    // Discarding the draft goes back to the defaults, and nothing is kept.
    click(c, "button.wb-discard-draft").await;
    wait_until_value(c, &select, "edit").await;
    for (block, person) in &confirm {
        let line = format!("article.wb-contact[data-block='{block}'] li.wb-candidate[data-person-id='{person}']");
        let class = attr_of(c, &line, "class").await.unwrap_or_default();
        assert!(!class.contains("confirmed"), "the discarded confirmation is gone: {class}");
    }
    wait_until_attr(c, &button, "data-progress", "new").await;
    c.refresh().await.unwrap();
    click(c, &button).await;
    text_of(c, ".wb-toolbar").await;
    assert!(c.find(Locator::Css(".wb-draft-note")).await.is_err(), "no draft after discarding");

    // Write it back: the list and the review say so; writing again is a correction.
    for (block, person) in &confirm {
        click(
            c,
            &format!(
                "article.wb-contact[data-block='{block}'] li.wb-candidate[data-person-id='{person}'] button.wb-confirm"
            ),
        )
        .await;
    }
    click(c, "button.wb-submit-button").await;
    text_of(c, "tr.wb-history-entry").await;
    // The focus goes to the confirmation, not to the page's body.
    wait_focused(c, ".wb-ok").await;
    // At 1200 px the history fits the page (its table scrolls in its own box).
    c.set_window_size(1200, 1000).await.unwrap();
    let widths = c
        .execute("return [document.documentElement.scrollWidth, document.documentElement.clientWidth];", vec![])
        .await
        .unwrap();
    let (scroll, client) = (widths[0].as_u64().unwrap(), widths[1].as_u64().unwrap());
    assert!(scroll <= client, "the page is {scroll} px wide in a {client} px window");
    c.set_window_size(1400, 1000).await.unwrap();
    wait_until_attr(c, &button, "data-progress", "written-back").await;
    let progress = text_of(c, &format!("{button} .wb-app-progress")).await;
    assert!(progress.starts_with("Written back: demographics"), "{progress}");
    assert!(progress.contains("by Demo Registrar (demo.registrar)"), "{progress}");
    c.refresh().await.unwrap();
    wait_until_attr(c, &button, "data-progress", "written-back").await;
    click(c, &button).await;
    let banner = text_of(c, ".wb-written-back").await;
    assert_accessible(c, "a written-back application").await;
    assert!(banner.contains("Written back: demographics by Demo Registrar (demo.registrar) at "), "{banner}");
    assert!(c.find(Locator::Css(".wb-draft-note")).await.is_err(), "the submitted draft is cleared");
    for (block, person) in &confirm {
        click(
            c,
            &format!(
                "article.wb-contact[data-block='{block}'] li.wb-candidate[data-person-id='{person}'] button.wb-confirm"
            ),
        )
        .await;
    }
    let submit = c.find(Locator::Css("button.wb-submit-button")).await.unwrap();
    assert!(!submit.is_enabled().await.unwrap(), "writing again waits for the correction mark");
    click(c, "input.wb-correction-box").await;
    let start = Instant::now();
    while !submit.is_enabled().await.unwrap() {
        assert!(start.elapsed() < Duration::from_secs(20), "marked as a correction, it may go");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // The list filters by where each application stands.
    let show = c.find(Locator::Css("select.wb-show-select")).await.unwrap();
    show.select_by_value("written-back").await.unwrap();
    wait_until_text(c, ".wb-count", &format!("1 of {}", apps_in(&session.demo))).await;
    assert_eq!(c.find_all(Locator::Css("button.wb-app")).await.unwrap().len(), 1, "only the written-back one");
    show.select_by_value("not-written-back").await.unwrap();
    let total = apps_in(&session.demo);
    wait_until_text(c, ".wb-count", &format!("{} of {total}", total - 1)).await;
    assert!(c.find(Locator::Css(&button)).await.is_err(), "a written-back application is not to do");

    // An application not approved says so at the top, not only at the bottom.
    show.select_by_value("all").await.unwrap();
    click(c, &format!("button.wb-app[data-app-id='{}']", pending.id)).await;
    let banner = text_of(c, ".wb-not-approved").await;
    assert_accessible(c, "an application not approved").await;
    assert!(banner.contains("This application is submitted, not approved."), "{banner}");
    let written = text_of(c, ".wb-written").await;
    assert!(written.ends_with("would be written once the application is approved"), "{written}");
    session.client.clone().close().await.ok();
}

fn apps_in(demo: &Path) -> usize {
    std::fs::read_dir(demo.join("applications")).unwrap().count()
}
