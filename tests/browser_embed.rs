//! The widget embedded as an enrollment system would: the example host page
//! (`www/embed-example.html`) served from another origin than the relay,
//! with its own token endpoint, loading `<writeback-review>` from the
//! relay's `/pkg/`. Headless Chromium, the real relay.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_accessible, click, count, family_of, generate, load_district, text_containing, text_of, Session};
use fantoccini::{Client, Locator};
use writeback::demographics::Decision;
use writeback::domain::PersonId;
use writeback::plan::{ApplicationReview, Decisions};

/// The enrollment system's stand-in: serves the example host page from
/// `www/` and signs a staff token for its signed-in clerk at
/// `/staff/writeback-token`, as the host's own server would.
fn serve_host_site(listener: TcpListener, signing_key: PathBuf) {
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let key = signing_key.clone();
            std::thread::spawn(move || answer(stream, &key));
        }
    });
}

fn answer(mut stream: TcpStream, signing_key: &Path) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // The headers, up to the blank line (there is no body to read).
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let target = request_line.split(' ').nth(1).unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/");
    let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    let (status, kind, body) = match path {
        "/staff/writeback-token" => ("200 OK", "text/plain", staff_token(signing_key)),
        "/embed-example.html" => ("200 OK", "text/html; charset=utf-8", std::fs::read(www.join(&path[1..])).unwrap()),
        "/embed-example.js" => ("200 OK", "text/javascript", std::fs::read(www.join(&path[1..])).unwrap()),
        "/embed-example.css" => ("200 OK", "text/css", std::fs::read(www.join(&path[1..])).unwrap()),
        _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(&body));
}

/// A token for the host's clerk, signed with the district's key.
fn staff_token(signing_key: &Path) -> Vec<u8> {
    let out = Command::new(common::cli_bin())
        .args(["token", "--signing-key"])
        .arg(signing_key)
        .args(["--staff", "u-17", "--name", "Dana Reyes"])
        .args(["--permission", "Application Writeback", "--permission", "Application Course Writeback"])
        .output()
        .unwrap();
    assert!(out.status.success(), "writeback token failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().as_bytes().to_vec()
}

/// An application ready to submit once staff confirm the best candidate
/// of each undecided contact block, with an Edit field that can be ignored
/// while another field stays written.
struct Ready {
    id: String,
    field: String,
    /// (block, person) confirmations staff make first.
    confirm: Vec<(String, PersonId)>,
}

fn ready_applications(demo: &Path) -> Vec<Ready> {
    let (district, reviewer, apps) = load_district(demo);
    apps.iter()
        .filter_map(|(_, app)| {
            let prepared = ApplicationReview::prepare(&district, app, &family_of(&apps, app), &reviewer);
            let (decisions, confirm) = common::confirm_best_candidates(&prepared);
            let review = prepared.decide(&decisions);
            let written = review.demographics.iter().filter(|r| r.decision.writes()).count();
            let field = prepared
                .demographics()
                .fields
                .iter()
                .find(|f| f.default_decision() == Decision::Edit && f.allowed.contains(&Decision::Ignore))
                .map(|f| f.form_field.clone())?;
            (review.ready() && written >= 2).then(|| Ready { id: app.id.to_string(), field, confirm })
        })
        .collect()
}

/// The newest line of the host page's log for `event`, once it contains `needle`.
async fn host_log(c: &Client, event: &str, needle: &str) -> String {
    let start = std::time::Instant::now();
    loop {
        let newest = c
            .execute(
                "return [...document.querySelectorAll(`#host-log li[data-event='${arguments[0]}']`)].at(-1)?.textContent ?? ''",
                vec![event.into()],
            )
            .await
            .unwrap();
        let newest = newest.as_str().unwrap_or_default().to_string();
        if newest.contains(needle) {
            return newest;
        }
        if start.elapsed() > common::SHOW_LIMIT {
            let log = c.execute("return document.getElementById('host-log').innerText", vec![]).await.unwrap();
            panic!(
                "the host's newest {event} is {newest:?}, not {needle:?}; its log:\n{}",
                log.as_str().unwrap_or_default()
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The `submitted` event's entries are the relay's history entries of
/// that submission, field for field by the JSON's names (what changes
/// with the delivery since aside).
async fn submitted_entries_are_the_relays(c: &Client, relay: &str, application: &str) {
    let detail = c.execute("return window.submittedDetail", vec![]).await.unwrap();
    let history = c
        .execute_async(
            "const [relay, id, done] = arguments;
             const token = await document.querySelector('writeback-review').tokenProvider();
             const res = await fetch(`${relay}/api/applications/${id}/history`, { headers: { Authorization: `Bearer ${token}` } });
             done(await res.json());",
            vec![relay.into(), application.into()],
        )
        .await
        .unwrap();
    let entries = detail["entries"].as_array().expect("the event's entries");
    assert!(!entries.is_empty(), "{detail}");
    for entry in entries {
        let stored = history.as_array().unwrap().iter().find(|h| h["id"] == entry["id"]).expect("in the history");
        let names = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(names(entry), names(stored), "the event's entry has the JSON's fields");
        for (name, value) in entry.as_object().unwrap() {
            let delivery = ["status", "delivered_at", "detail", "failed_attempts", "expected_pickup", "confirmation"];
            if !delivery.contains(&name.as_str()) {
                assert_eq!(value, &stored[name], "{name}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_host_page_embeds_the_custom_element_from_another_origin() {
    let (tmp, demo) = generate("400", "11");
    let ready = ready_applications(&demo);
    assert!(ready.len() >= 2, "two applications ready to submit");
    let (first, second) = (ready[0].id.clone(), ready[1].id.clone());
    let host = TcpListener::bind("127.0.0.1:0").unwrap();
    let host_origin = format!("http://127.0.0.1:{}", host.local_addr().unwrap().port());
    let session = Session::start(tmp, demo, vec!["--allowed-origin".into(), host_origin.clone().into()]).await;
    serve_host_site(host, session.data_dir.parent().unwrap().join("keys/signing.pem"));
    let relay = format!("http://127.0.0.1:{}", session.relay_port);
    let c = &session.client;

    c.goto(&format!("{host_origin}/embed-example.html?relay={relay}&application={first}")).await.unwrap();
    // The review opens inside the host's page, without the widget's own list.
    text_of(c, "writeback-review h2.wb-review-title").await;
    text_containing(c, "writeback-review .wb-review-meta", &first).await;
    assert_eq!(count(c, "writeback-review nav.wb-list").await, 0, "list=off leaves the list out");
    let sheet =
        c.execute("return document.querySelector('link[data-writeback-styles]')?.href ?? null", vec![]).await.unwrap();
    assert_eq!(sheet.as_str(), Some(format!("{relay}/pkg/writeback.css").as_str()), "the widget's stylesheet is added");
    assert_accessible(c, "the example host page").await;

    // Decisions: the host hears `changed` for each.
    for (block, person) in &ready[0].confirm {
        click(
            c,
            &format!("writeback-review article.wb-contact[data-block='{block}'] li.wb-candidate[data-person-id='{person}'] button.wb-confirm"),
        )
        .await;
    }
    let select = c.find(Locator::Css(&format!("writeback-review #wb-decision-{}", ready[0].field))).await.unwrap();
    select.select_by_value("ignore").await.unwrap();
    host_log(c, "changed", &format!("{first} ready; files: students")).await;

    // Submit: the host hears `submitted` with the entries the relay made,
    // signed by the host's clerk.
    let keep = "document.querySelector('writeback-review').addEventListener('submitted', e => { window.submittedDetail = e.detail; })";
    c.execute(keep, vec![]).await.unwrap();
    click(c, "writeback-review button.wb-submit-button").await;
    host_log(c, "submitted", &format!("{first} demographics-and-contacts: students")).await;
    submitted_entries_are_the_relays(c, &relay, &first).await;
    text_containing(c, "#host-status", "Written back to PowerSchool: students").await;
    text_containing(c, "writeback-review tr.wb-history-entry", "Dana Reyes (u-17)").await;

    // The host opens another application through the attribute.
    let go = c.find(Locator::Css("#host-go-to")).await.unwrap();
    go.clear().await.unwrap();
    go.send_keys(&second).await.unwrap();
    click(c, "#host-go button[type='submit']").await;
    text_containing(c, "writeback-review .wb-review-meta", &second).await;

    // Removed from the page, the widget unmounts; added again, it mounts
    // again (so unmounting left the module working).
    c.execute("window.removedReview = document.querySelector('writeback-review')", vec![]).await.unwrap();
    click(c, "#host-toggle").await;
    assert_eq!(count(c, "writeback-review").await, 0);
    assert_eq!(count(c, ".wb").await, 0, "nothing of the widget is left in the page");
    // Unmounted, not only detached: the removed element holds no view any more.
    let left = c.execute("return window.removedReview.childElementCount", vec![]).await.unwrap();
    assert_eq!(left.as_u64(), Some(0), "the removed element is emptied by unmount");
    click(c, "#host-toggle").await;
    text_containing(c, "writeback-review .wb-review-meta", &second).await;
    assert_eq!(count(c, ".wb").await, 1, "one widget");

    // An application the relay does not have: the host hears `error`.
    go.clear().await.unwrap();
    go.send_keys("APP-NOT-THERE").await.unwrap();
    click(c, "#host-go button[type='submit']").await;
    host_log(c, "error", "APP-NOT-THERE while opening the application").await;
    text_of(c, "writeback-review .wb-error").await;

    // The JS API refuses a wrong option, naming it.
    let refused = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             import(arguments[0] + '/pkg/writeback.js').then(async (m) => {
               await m.default();
               try { m.mount(document.createElement('div'), { list: 'yes' }); done('mounted'); }
               catch (e) { done(String(e.message)); }
             }, (e) => done('import failed: ' + e));",
            vec![relay.clone().into()],
        )
        .await
        .unwrap();
    assert_eq!(refused.as_str(), Some("mount: options.list must be true or false"));

    // reviewApplication, the review without the UI (its own module), is the core's review.
    let (district, reviewer, apps) = load_district(&session.demo);
    let app = &apps.iter().find(|(_, a)| a.id.as_str() == first).unwrap().1;
    let others = family_of(&apps, app);
    let request = serde_json::json!({
        "snapshot": district.snapshot(), "application": app, "mappings": district.mappings(),
        "settings": district.settings(), "others": others, "staff": reviewer.staff, "today": reviewer.today,
    });
    let expected = ApplicationReview::prepare(&district, app, &others, &reviewer).decide(&Decisions::default());
    let reviewed = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             import(arguments[0] + '/pkg/writeback-review.js').then(async (m) => {
               await m.default();
               try { done(m.reviewApplication(arguments[1])); } catch (e) { done('refused: ' + e.message); }
             }, (e) => done('import failed: ' + e));",
            vec![relay.clone().into(), request],
        )
        .await
        .unwrap();
    assert_eq!(reviewed, serde_json::to_value(&expected).unwrap(), "reviewApplication gives the core's review");
    session.client.clone().close().await.ok();
}
