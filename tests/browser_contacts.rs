//! The contacts review end to end in headless Chromium against the real
//! relay (delivering to its outbox): confirm, reject, expire, reorder by
//! keyboard and by drag and drop, a phone type mismatch fixed, data access
//! refused for an email another portal account uses and then given; the
//! contacts file submitted and found in the outbox byte for byte as the
//! preview showed it and as the core writes it.
//!
//! Every step is planned natively with the core on the same generated
//! district, so the page is compared with the core's exact output.
//!
//! Needs the UI built into dist/, the relay binary and the command-line
//! tool: `cargo xtask test` builds them and passes their paths in
//! `WRITEBACK_TEST_DIST`, `WRITEBACK_TEST_RELAY_BIN` and
//! `WRITEBACK_TEST_CLI_BIN`.

mod common;

use common::{assert_accessible, click, family_of, generate, load_district, system_today, text_of, Session};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::json;
use writeback::application::Application;
use writeback::contacts::decide::{ContactOption, ContactRef, FieldAction, FieldKind};
use writeback::contacts::ContactState;
use writeback::domain::{Date, PersonId};
use writeback::flatfile::FileKind;
use writeback::plan::{ApplicationReview, BlockerPlace, Decisions, Review, Section};
use writeback_files as files;

async fn select(c: &Client, css: &str, value: &str) {
    let el = c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} not shown: {e}"));
    el.select_by_value(value).await.unwrap();
}

/// Waits until `f` (the texts of every element matching `css`) holds.
async fn wait_texts(c: &Client, css: &str, what: &str, f: impl Fn(&[String]) -> bool) -> Vec<String> {
    let start = Instant::now();
    loop {
        let mut texts = Vec::new();
        for el in c.find_all(Locator::Css(css)).await.unwrap() {
            texts.push(el.prop("textContent").await.unwrap().unwrap_or_default());
        }
        if f(&texts) {
            return texts;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{css}: expected {what}, shows {texts:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_contains(c: &Client, css: &str, needle: &str) {
    wait_texts(c, css, needle, |t| t.iter().any(|t| t.contains(needle))).await;
}

async fn wait_absent(c: &Client, css: &str, needle: &str) {
    wait_texts(c, css, &format!("no {needle:?}"), |t| !t.iter().any(|t| t.contains(needle))).await;
}

/// Sets a date input the way a date picker does (its text entry depends on
/// the browser's locale): value, then `change`.
async fn set_date(c: &Client, css: &str, date: Date) {
    c.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(css)).await.unwrap();
    c.execute(
        "const el = document.querySelector(arguments[0]); el.value = arguments[1];
         el.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(css), json!(date.to_string())],
    )
    .await
    .unwrap();
}

fn ref_key(r: &ContactRef) -> String {
    match r {
        ContactRef::Block(b) => format!("block:{b}"),
        ContactRef::Person(p) => format!("person:{p}"),
    }
}

/// What staff do, step by step, each with the decisions after it.
struct Plan {
    app: Application,
    prepared: ApplicationReview,
    /// Confirmed: block and person.
    confirm: (String, PersonId),
    /// Every candidate of this block rejected.
    reject: (String, Vec<PersonId>),
    /// An existing contact of the student expired today.
    expire: PersonId,
    /// The confirmed block's phone row whose types differ, and the type
    /// chosen.
    phone: (String, String),
    /// The confirmed block's email row (taken by another portal account).
    email_key: String,
    /// Decisions after confirm, reject, expire (no date, then the date),
    /// phone type, data access on, the email kept.
    steps: Vec<Decisions>,
}

fn moved(order: &[ContactRef], from: usize, to: usize) -> Vec<ContactRef> {
    let mut o = order.to_vec();
    let r = o.remove(from);
    o.insert(to.min(o.len()), r);
    o
}

fn contacts_file(review: &Review) -> Option<String> {
    review.files.iter().find(|f| f.kind == FileKind::Contacts).map(|f| f.text.clone())
}

/// Finds an application that offers every situation, with its block's
/// email changed (in `demo` too) to one another person's portal account
/// uses.
fn plan(demo: &Path) -> Plan {
    let (district, reviewer, apps) = load_district(demo);
    let snapshot = district.snapshot();
    let phone_codes: Vec<String> = snapshot
        .code_sets
        .iter()
        .filter(|c| c.code_type.eq_ignore_ascii_case("Phone"))
        .map(|c| c.code.clone())
        .collect();
    let today = reviewer.today;
    // How many applications fell out at each step (for the message below).
    let mut stages = [0usize; 24];
    for (path, original) in &apps {
        let first = ApplicationReview::prepare(&district, original, &family_of(&apps, original), &reviewer)
            .decide(&Decisions::default());
        let with_candidates: Vec<String> = first
            .contacts
            .iter()
            .filter(|c| !c.matches.candidates.is_empty())
            .map(|c| c.matches.block.clone())
            .collect();
        if with_candidates.len() < 2 {
            {
                stages[1] += 1;
                continue;
            };
        }
        let block_a = with_candidates[0].clone();
        let Some(best) =
            first.contacts.iter().find(|c| c.matches.block == block_a).map(|c| c.matches.candidates[0].person_id)
        else {
            {
                stages[2] += 1;
                continue;
            };
        };
        // An email a portal account of someone else uses.
        let Some(taken) = snapshot
            .portal_accounts
            .iter()
            .find(|a| a.person_id.is_some_and(|p| p != best) && !a.email.trim().is_empty())
            .map(|a| a.email.trim().to_string())
        else {
            {
                stages[3] += 1;
                continue;
            };
        };
        let mut app = original.clone();
        let Some(form) = app.contacts.iter_mut().find(|b| b.block == block_a) else {
            {
                stages[4] += 1;
                continue;
            }
        };
        if form.fields.get("email").is_none_or(|e| e.trim().is_empty()) {
            {
                stages[5] += 1;
                continue;
            };
        }
        form.fields.insert("email".into(), taken.clone());
        // Staff turn data access on themselves.
        form.fields.insert("data_access".into(), "0".into());
        let prepared = ApplicationReview::prepare(&district, &app, &family_of(&apps, &app), &reviewer);
        let base = prepared.decide(&Decisions::default());
        let find = |r: &Review, b: &str| r.contacts.iter().find(|c| c.matches.block == b).cloned();
        let Some(a) = find(&base, &block_a) else {
            {
                stages[6] += 1;
                continue;
            }
        };
        let Some(person) = a.matches.candidates.first().map(|c| c.person_id) else {
            {
                stages[7] += 1;
                continue;
            }
        };
        let Some(block_b) = base
            .contacts
            .iter()
            .find(|c| c.matches.block != block_a && !c.matches.candidates.is_empty())
            .map(|c| c.matches.block.clone())
        else {
            {
                stages[8] += 1;
                continue;
            };
        };
        let b_candidates: Vec<PersonId> =
            find(&base, &block_b).unwrap().matches.candidates.iter().map(|c| c.person_id).collect();
        let mut d = Decisions::default();
        let mut steps = Vec::new();
        d.contacts.blocks.entry(block_a.clone()).or_default().state = Some(ContactState::Confirmed(person));
        d.contacts.blocks.entry(block_b.clone()).or_default().state =
            Some(ContactState::Rejected(b_candidates.clone()));
        steps.push(d.clone());
        let r = prepared.decide(&d);
        // Someone else of the student's to expire: one the rejected block
        // listed, if any (then shown at the bottom as an unused contact).
        let other = r.other_contacts.iter().map(|e| e.person);
        let Some(expire) = other.clone().find(|p| b_candidates.contains(p)).or_else(|| other.clone().next()) else {
            {
                stages[9] += 1;
                continue;
            }
        };
        d.contacts.existing.insert(expire, ContactOption::Expire { end_date: None });
        steps.push(d.clone());
        d.contacts.existing.insert(expire, ContactOption::Expire { end_date: Some(today) });
        steps.push(d.clone());
        let r = prepared.decide(&d);
        if r.contact_order.last() != Some(&ContactRef::Person(expire)) {
            {
                stages[10] += 1;
                continue;
            };
        }
        if r.unused_contacts.is_empty() {
            stages[18] += 1;
            continue;
        }
        let a = find(&r, &block_a).unwrap();
        let Some(mismatch) = a.decision.fields.iter().find(|f| f.type_mismatch && f.action == FieldAction::Update)
        else {
            {
                stages[11] += 1;
                continue;
            };
        };
        let Some(email) = a
            .decision
            .fields
            .iter()
            .find(|f| f.kind == FieldKind::Email && f.existing.is_some() && f.action == FieldAction::Update)
        else {
            {
                stages[12] += 1;
                continue;
            };
        };
        let (phone_key, email_key) = (mismatch.key.clone(), email.key.clone());
        // The first phone type that settles the row.
        let mut chosen = None;
        for code in &phone_codes {
            let mut t = d.clone();
            t.contacts.blocks.get_mut(&block_a).unwrap().fields.entry(phone_key.clone()).or_default().phone_type =
                Some(code.clone());
            let r = prepared.decide(&t);
            if !r.blockers.iter().any(|b| b.section == Section::Contacts && b.message.contains("phone type")) {
                chosen = Some(code.clone());
                d = t;
                break;
            }
        }
        let Some(chosen) = chosen else {
            {
                stages[13] += 1;
                continue;
            }
        };
        // Nothing else blocks (the form does not ask for data access itself).
        if !prepared.decide(&d).blockers.is_empty() {
            stages[17] += 1;
            continue;
        }
        steps.push(d.clone());
        d.contacts.blocks.get_mut(&block_a).unwrap().data_access = Some(true);
        let r = prepared.decide(&d);
        if !r.blockers.iter().any(|b| b.message.contains("already used by parent portal account")) {
            {
                stages[14] += 1;
                continue;
            };
        }
        steps.push(d.clone());
        d.contacts.blocks.get_mut(&block_a).unwrap().fields.entry(email_key.clone()).or_default().action =
            Some(FieldAction::Keep);
        let r = prepared.decide(&d);
        if !r.ready() || contacts_file(&r).is_none() || r.contact_order.len() < 3 {
            {
                stages[15] += 1;
                continue;
            };
        }
        if !find(&r, &block_a).unwrap().decision.data_access {
            {
                stages[16] += 1;
                continue;
            };
        }
        steps.push(d.clone());
        // Write the changed application where the relay reads it.
        let mut value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for b in value["contacts"].as_array_mut().unwrap() {
            if b["block"] == json!(block_a) {
                b["fields"]["email"] = json!(taken);
                b["fields"]["data_access"] = json!("0");
            }
        }
        std::fs::write(path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
        assert_eq!(files::load_application(path).unwrap(), app, "the changed application reads back");
        return Plan {
            app,
            prepared,
            confirm: (block_a, person),
            reject: (block_b, b_candidates),
            expire,
            phone: (phone_key, chosen),
            email_key,
            steps,
        };
    }
    panic!("no application in the demo district offers every contacts situation (dropped per step: {stages:?})");
}

/// The name of candidate `person` of `block`.
fn find_candidate_name(r: &Review, block: &str, person: PersonId) -> String {
    let c = r.contacts.iter().find(|c| c.matches.block == block).expect("the block");
    c.matches.candidates.iter().find(|k| k.person_id == person).expect("the candidate").name.clone()
}

async fn order_shown(c: &Client) -> Vec<String> {
    let mut out = Vec::new();
    for el in c.find_all(Locator::Css("ol.wb-contact-order li.wb-order-item")).await.unwrap() {
        out.push(el.attr("data-ref").await.unwrap().unwrap_or_default());
    }
    out
}

async fn wait_order(c: &Client, expected: &[ContactRef]) {
    let expected: Vec<String> = expected.iter().map(ref_key).collect();
    let start = Instant::now();
    loop {
        let now = order_shown(c).await;
        if now == expected {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "order shows {now:?}, expected {expected:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_preview(c: &Client, expected: &str) {
    let start = Instant::now();
    loop {
        let now = match c.find(Locator::Css("pre.wb-file[data-kind='contacts']")).await {
            Ok(el) => el.prop("textContent").await.unwrap().unwrap_or_default(),
            Err(_) => String::new(),
        };
        if now == expected {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "contacts preview shows {now:?}, expected {expected:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every contacts blocker of `review` is in the "Before you can submit"
/// list, linking to its block or person.
async fn blockers_listed(c: &Client, review: &Review) {
    for b in review.blockers.iter().filter(|b| b.section == Section::Contacts) {
        let target = b.field.as_ref().map(|f| format!("#wb-contact-{f}"));
        let start = Instant::now();
        loop {
            let mut found = false;
            for el in c.find_all(Locator::Css(".wb-blockers li")).await.unwrap() {
                let text = el.prop("textContent").await.unwrap().unwrap_or_default();
                // "Contact Maria Lopez (Mother): <message>": what and where, then why.
                if text.ends_with(&format!(": {}", b.message)) {
                    found = match &target {
                        Some(t) => {
                            el.find(Locator::Css("a")).await.unwrap().attr("href").await.unwrap().as_deref()
                                == Some(t.as_str())
                        }
                        None => true,
                    };
                }
            }
            if found {
                break;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "blocker {:?} not listed", b.message);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // And in its block (or the person's line).
        if let Some(t) = &target {
            let t = t.replace(':', "\\:");
            wait_contains(
                c,
                &format!("{t} .wb-contact-problems li, {t} .wb-field-problems li, {t} .wb-data-access-problems li"),
                &b.message,
            )
            .await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contacts_confirm_reject_expire_reorder_fix_data_access_submit() {
    let (tmp, demo) = generate("2000", "11");
    let plan = plan(&demo);
    let session = Session::start(tmp, demo.clone(), Vec::new()).await;
    let c = &session.client;
    let data_dir = session.data_dir.clone();
    let Plan { app, prepared, confirm, reject, expire, phone, email_key, steps } = plan;
    let card = |b: &str| format!("article.wb-contact[data-block='{b}']");
    let (block_a, person) = confirm.clone();
    let a = card(&block_a);

    let result = async {
        session.open(app.id.as_str()).await;
        // Confirm the best candidate of one block, reject every candidate of another.
        click(c, &format!("{a} li.wb-candidate[data-person-id='{person}'] button.wb-confirm")).await;
        for p in &reject.1 {
            click(c, &format!("{} li.wb-candidate[data-person-id='{p}'] button.wb-reject", card(&reject.0))).await;
        }
        let r = prepared.decide(&steps[0]);
        wait_order(c, &r.contact_order).await;
        blockers_listed(c, &r).await;
        assert_accessible(c, "contacts confirmed, rejected, ordered").await;

        // Expire the student's other contact: the date is asked for first.
        let line = format!("li#wb-contact-person\\:{expire}");
        select(c, &format!("{line} select.wb-existing-option"), "expire").await;
        let r = prepared.decide(&steps[1]);
        let ask = r
            .blockers
            .iter()
            .find(|b| b.field == Some(BlockerPlace::Person(expire)))
            .expect("the end date is asked for");
        wait_contains(c, &format!("{line} .wb-contact-problems li"), &ask.message).await;
        blockers_listed(c, &r).await;
        set_date(c, &format!("{line} input.wb-expire-date"), system_today()).await;
        let r = prepared.decide(&steps[2]);
        wait_absent(c, ".wb-blockers li", &ask.message).await;
        wait_order(c, &r.contact_order).await;
        assert_eq!(order_shown(c).await.last().unwrap(), &format!("person:{expire}"), "expired contacts go last");
        wait_contains(c, &format!("{line} .wb-position"), &format!("position {}", r.contact_order.len())).await;
        // The options offered are the core's for that contact.
        let mut offered = Vec::new();
        for o in c.find_all(Locator::Css(&format!("{line} select.wb-existing-option option"))).await.unwrap() {
            offered.push(o.attr("value").await.unwrap().unwrap_or_default());
        }
        let allowed: Vec<&str> = r
            .other_contacts
            .iter()
            .find(|e| e.person == expire)
            .unwrap()
            .allowed_options
            .iter()
            .map(|o| match o {
                ContactOption::Update | ContactOption::DoNotUpdate => "keep",
                ContactOption::Unlink => "unlink",
                ContactOption::Expire { .. } => "expire",
            })
            .collect();
        assert_eq!(offered, allowed, "the screen offers the core's options");
        // An expired contact the rejected block listed shows as unused, linking to that block.
        let mut unused = Vec::new();
        for el in c.find_all(Locator::Css("li.wb-unused")).await.unwrap() {
            let person = el.attr("data-person-id").await.unwrap().unwrap_or_default();
            let link = el.find(Locator::Css("a.wb-unused-block")).await.unwrap().attr("href").await.unwrap();
            unused.push((person, link.unwrap_or_default()));
        }
        let expected: Vec<(String, String)> = r
            .unused_contacts
            .iter()
            .map(|u| (u.person.to_string(), format!("#wb-contact-{}", u.matches_blocks[0])))
            .collect();
        assert_eq!(unused, expected);
        assert!(!expected.is_empty(), "the plan expires a contact the rejected block listed");

        // The phone whose type differs: red phone icon with words, and its blocker in the row.
        let row = format!("{a} tr[data-field-key='{}']", phone.0);
        let mismatch = text_of(c, &format!("{row} .wb-phone-mismatch")).await;
        assert_eq!(mismatch, "phone type differs: choose one, or the import fails");
        let phone_problem = r
            .blockers
            .iter()
            .find(|b| b.field == Some(BlockerPlace::Block(block_a.clone())) && b.message.contains("phone type"))
            .expect("the core blocks the mismatch");
        wait_contains(c, &format!("{row} .wb-field-problems li"), &phone_problem.message).await;
        blockers_listed(c, &r).await;
        let class = c.find(Locator::Css(&row)).await.unwrap().attr("class").await.unwrap().unwrap_or_default();
        assert!(class.contains("type-mismatch"), "an unsettled mismatch is marked: {class}");
        select(c, &format!("{row} select.wb-phone-type"), &phone.1).await;
        wait_absent(c, ".wb-blockers li", &phone_problem.message).await;
        // Settled: the row is no longer marked red.
        let class = c.find(Locator::Css(&row)).await.unwrap().attr("class").await.unwrap().unwrap_or_default();
        assert!(!class.contains("type-mismatch") && class.contains("type-settled"), "{class}");
        let settled = text_of(c, &format!("{row} .wb-phone-mismatch")).await;
        assert_eq!(settled, format!("phone type differs: {} is written", phone.1));
        let r = prepared.decide(&steps[3]);
        assert!(r.blockers.is_empty(), "{:?}", r.blockers);
        wait_preview(c, &contacts_file(&r).unwrap()).await;

        // Data access with an email another person's portal account uses: refused beside the box.
        click(c, &format!("{a} input.wb-data-access-box")).await;
        let r = prepared.decide(&steps[4]);
        let refusal = r.blockers.iter().find(|b| b.message.contains("already used by parent portal account")).unwrap();
        wait_contains(c, &format!("{a} .wb-data-access-problems li"), &refusal.message).await;
        assert_eq!(text_of(c, &format!("{a} .wb-data-access-state")).await, "refused, because:");
        blockers_listed(c, &r).await;
        // Keep the contact's own email instead: data access is given.
        select(c, &format!("{a} tr[data-field-key='{email_key}'] select.wb-field-action"), "keep").await;
        wait_absent(c, ".wb-blockers li", &refusal.message).await;
        assert_eq!(
            text_of(c, &format!("{a} .wb-data-access-state")).await,
            "email free: give data access in PowerSchool after the import"
        );
        let mut decisions = steps[5].clone();
        let r = prepared.decide(&decisions);
        wait_preview(c, &contacts_file(&r).unwrap()).await;
        // The import cannot carry data access: it is listed as a follow-up.
        let person_name = &find_candidate_name(&r, &block_a, person);
        assert!(r.contact_follow_ups.iter().any(|f| f.contains(person_name.as_str())), "{:?}", r.contact_follow_ups);
        for f in &r.contact_follow_ups {
            wait_contains(c, ".wb-contact-follow-ups li", f).await;
        }
        // The parent portal email: the contact's emails after the writeback, the one in effect selected.
        let decided = &r.contacts.iter().find(|x| x.matches.block == block_a).unwrap().decision;
        let mut choices = Vec::new();
        for o in c.find_all(Locator::Css(&format!("{a} select.wb-portal-email option"))).await.unwrap() {
            choices.push(o.attr("value").await.unwrap().unwrap_or_default());
        }
        assert_eq!(choices, decided.portal_email_choices);
        let select = c.find(Locator::Css(&format!("{a} select.wb-portal-email"))).await.unwrap();
        assert_eq!(select.prop("value").await.unwrap(), decided.portal_email);

        // Reorder by keyboard: Enter on the last active contact's "Move up"; focus stays on it.
        let order = r.contact_order.clone();
        let from = order.len() - 2; // the expired contact is last
        let key = ref_key(&order[from]);
        let up = c.find(Locator::Id(&format!("wb-order-up-{key}"))).await.unwrap();
        up.send_keys("\u{E007}").await.unwrap();
        decisions.contacts.order = moved(&order, from, from - 1);
        let r = prepared.decide(&decisions);
        wait_order(c, &r.contact_order).await;
        assert_ne!(r.contact_order, order, "the order changed");
        tokio::time::sleep(Duration::from_millis(200)).await;
        let focused = c
            .execute("const e = document.activeElement; return e ? (e.id || e.tagName + '.' + e.className) : '';", vec![])
            .await
            .unwrap()
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert!(focused.ends_with(&key), "focus stays with the moved contact: {focused}");

        // Reorder by drag and drop: the first contact dropped on the second.
        let order = r.contact_order.clone();
        let (src, dst) = (ref_key(&order[0]), ref_key(&order[1]));
        c.execute(
            "const q = k => document.querySelector(`ol.wb-contact-order li[data-ref='${k}']`);
             const [s, d] = [q(arguments[0]), q(arguments[1])];
             const dt = new DataTransfer();
             const fire = (el, type) => el.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
             fire(s, 'dragstart'); fire(d, 'dragenter'); fire(d, 'dragover'); fire(d, 'drop'); fire(s, 'dragend');",
            vec![json!(src), json!(dst)],
        )
        .await
        .unwrap();
        decisions.contacts.order = moved(&order, 0, 1);
        let r = prepared.decide(&decisions);
        wait_order(c, &r.contact_order).await;
        assert_eq!(ref_key(&r.contact_order[1]), src);
        let expected = contacts_file(&r).expect("a contacts file");
        assert!(r.ready(), "{:?}", r.blockers);
        wait_preview(c, &expected).await;

        // Submit: the contacts file is what the preview shows.
        let shown = text_of(c, "pre.wb-file[data-kind='contacts']").await;
        click(c, "button.wb-submit-button").await;
        wait_contains(c, "tr.wb-history-entry", "contacts").await;
        // The history entry keeps what is left to do in PowerSchool.
        for f in &r.contact_follow_ups {
            wait_contains(c, "tr.wb-history-entry .wb-history-follow-ups li", f).await;
        }
        (shown, expected)
    }
    .await;
    session.client.clone().close().await.ok();
    let (shown, expected) = result;
    assert_eq!(shown, expected, "the preview is the core's file");

    let outbox = data_dir.join("outbox");
    let start = Instant::now();
    let delivered = loop {
        let files: Vec<PathBuf> = std::fs::read_dir(&outbox)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        if let Some(f) = files.iter().find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".txt") && name.starts_with("writeback_contacts_")
        }) {
            break f.clone();
        }
        assert!(start.elapsed() < Duration::from_secs(20), "no contacts file reached {}", outbox.display());
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(delivered.file_name().unwrap().to_string_lossy().contains(app.id.as_str()));
    assert_eq!(std::fs::read(&delivered).unwrap(), shown.as_bytes(), "the delivered file is the previewed file");
}
