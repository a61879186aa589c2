//! Fixed-path targets (district.json `delivery`): rows gathered into one
//! file at the path the import reads, replaced between runs, left alone
//! around a run, read by exactly one run; on a clock the test moves.

mod common;

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use serde_json::Value;
use writeback_relay::{app, AppState};

const TARGET_PATH: &str = "/ps/students/writeback_students.txt";
const HEADER: &str = "Student_Number\tSchoolID\t[StudentCoreFields]PSCore_Legal_First_Name\n";

/// A clock the test sets (seconds since 1970).
fn clock(at: &Arc<AtomicI64>) -> writeback_relay::deliver::Clock {
    let at = Arc::clone(at);
    Arc::new(move || jiff::Timestamp::from_second(at.load(Ordering::SeqCst)).unwrap())
}

fn set(at: &AtomicI64, when: &str) {
    at.store(when.parse::<jiff::Timestamp>().unwrap().as_second(), Ordering::SeqCst);
}

fn students_target(demo: &Path, zone: &str) {
    let settings = format!(
        r#"{{"time_zone": "{zone}", "delivery": {{"students": {{"path": "{TARGET_PATH}", "header": true,
            "columns": ["Student_Number", "SchoolID", "[StudentCoreFields]PSCore_Legal_First_Name"],
            "runs": {{"days": ["mon", "tue", "wed", "thu", "fri"], "hour": 6, "minute": 0}}}}}}}}"#
    );
    fs::write(demo.join("district.json"), settings).unwrap();
}

async fn entry_when(app: &axum::Router, token: &str, id: u64, status: &str, state: &AppState) -> Value {
    state.delivery().wake();
    wait_for_status(app, token, "A-1001", id, status, Duration::from_secs(10)).await
}

/// A relay with the students target in `zone`, its clock set to `at`.
struct Setup {
    demo: tempfile::TempDir,
    data: tempfile::TempDir,
    now: Arc<AtomicI64>,
    state: AppState,
    app: axum::Router,
    token: String,
    file: std::path::PathBuf,
}

fn setup(zone: &str, at: &str) -> Setup {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    students_target(demo.path(), zone);
    let now = Arc::new(AtomicI64::new(0));
    set(&now, at);
    let state = AppState::start_with_clock(&config(demo.path(), data.path(), &[]), clock(&now)).unwrap();
    let app = app(state.clone());
    let token = writer(demo.path());
    let file = data.path().join("outbox").join(TARGET_PATH.trim_start_matches('/'));
    Setup { demo, data, now, state, app, token, file }
}

#[tokio::test]
async fn rows_wait_for_their_run_in_one_file_and_each_run_reads_them_once() {
    // Mon 2026-11-23 09:00 in Chicago (CST, UTC-6).
    let Setup { now, state, app, token, file, demo: _demo, data: _data } =
        setup("America/Chicago", "2026-11-23T15:00:00Z");
    let row = format!("{HEADER}100234\t101\tAna María\n");

    // Accepted between runs: in the file for the next run (Tue 06:00 CST).
    let (status, entries) = call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::CREATED, "{entries}");
    assert_eq!(entries[0]["expected_pickup"], "Tue 11/24 at 06:00");
    let staged = entry_when(&app, &token, 1, "staged", &state).await;
    assert_eq!(staged["expected_pickup"], "Tue 11/24 at 06:00");
    assert_eq!(fs::read_to_string(&file).unwrap(), row);
    assert_eq!(names_in(file.parent().unwrap()), ["writeback_students.txt"], "no temporary file is left");

    // Another writeback before the run joins the batch: one row per student.
    set(&now, "2026-11-24T11:00:00Z"); // Tue 05:00 CST
    call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    entry_when(&app, &token, 2, "staged", &state).await;
    assert_eq!(fs::read_to_string(&file).unwrap(), row);

    // Around the run the file is left alone: a row accepted now waits for Wednesday.
    set(&now, "2026-11-24T11:55:00Z"); // Tue 05:55 CST
    let before = fs::metadata(&file).unwrap().modified().unwrap();
    let (_, third) = call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(third[0]["expected_pickup"], "Wed 11/25 at 06:00");
    state.delivery().wake();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), before, "the file was not touched");

    let (_, history) = call(&app, get("/api/applications/A-1001/history", Some(&token))).await;
    assert_eq!(history[0]["status"], "accepted", "{history}");

    // The run's hour is over: its rows were read; the next batch replaces them.
    set(&now, "2026-11-24T13:00:00Z"); // Tue 07:00 CST
    let read = entry_when(&app, &token, 1, "delivered", &state).await;
    assert!(read["detail"].as_str().unwrap().contains("for the run of Tue 11/24 at 06:00"), "{read}");
    entry_when(&app, &token, 2, "delivered", &state).await;
    let third = entry_when(&app, &token, 3, "staged", &state).await;
    assert_eq!(third["expected_pickup"], "Wed 11/25 at 06:00");
    assert_eq!(fs::read_to_string(&file).unwrap(), row);

    // After Wednesday's run nothing is pending: the file is emptied (header only).
    set(&now, "2026-11-25T13:00:00Z");
    entry_when(&app, &token, 3, "delivered", &state).await;
    let start = std::time::Instant::now();
    while fs::read_to_string(&file).unwrap() != HEADER {
        assert!(start.elapsed() < Duration::from_secs(10), "not emptied: {:?}", fs::read_to_string(&file));
        state.delivery().wake();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A write whose confirmation was lost (a crash between the rename and the
/// database) is settled by reading the file back; a file someone else
/// changed is left alone and reported.
#[tokio::test]
async fn an_unconfirmed_write_is_settled_by_reading_the_file_back() {
    let Setup { demo, data, now, state, app, token, file } = setup("UTC", "2026-11-23T09:00:00Z");
    let cfg = config(demo.path(), data.path(), &[]);
    call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    entry_when(&app, &token, 1, "staged", &state).await;
    drop(app);
    drop(state);

    // As if the relay had written entry 2's batch and died before recording it.
    let (body, sha) = {
        let text = format!("{HEADER}100234\t101\tAna María\n");
        use sha2::Digest;
        let sha: String = sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        (text, sha)
    };
    let db = rusqlite::Connection::open(data.path().join("relay.sqlite3")).unwrap();
    db.execute("UPDATE entries SET status = 'accepted', run_at = NULL WHERE id = 1", []).unwrap();
    db.execute(
        "UPDATE target_files SET run_at = NULL, entries = '[]', sha256 = NULL, intent_run_at = '2026-11-24T06:00:00Z',
            intent_entries = '[1]', intent_sha256 = ?1",
        [&sha],
    )
    .unwrap();
    fs::write(&file, &body).unwrap();
    let state = AppState::start_with_clock(&cfg, clock(&now)).unwrap();
    let app = writeback_relay::app(state.clone());
    let entry = entry_when(&app, &token, 1, "staged", &state).await;
    assert_eq!(entry["expected_pickup"], "Tue 11/24 at 06:00");

    // Someone else changes the file: the relay does not touch it, and says why.
    fs::write(&file, "Student_Number\tSchoolID\n1\t2\n").unwrap();
    db.execute("UPDATE target_files SET intent_run_at = run_at, intent_entries = '[1, 2]', intent_sha256 = 'x'", [])
        .unwrap();
    let admin = token_for(demo.path(), "it", &[writeback_auth::Permission::Administration]);
    state.delivery().wake();
    let start = std::time::Instant::now();
    loop {
        let (_, status) = call(&app, get("/api/admin/status", Some(&admin))).await;
        if let Some(e) = status["delivery"]["target"]["last_error"].as_str() {
            assert!(e.contains("holds neither the batch the relay wrote nor the one before"), "{e}");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "no error reported: {status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), "Student_Number\tSchoolID\n1\t2\n");
}

/// Rows someone removed from the file before its run go into the next
/// batch; they are not taken as read.
#[tokio::test]
async fn rows_removed_before_the_run_go_into_the_next_batch() {
    let Setup { now, state, app, token, file, demo: _demo, data: _data } = setup("UTC", "2026-11-23T09:00:00Z");
    call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    let staged = entry_when(&app, &token, 1, "staged", &state).await;
    assert_eq!(staged["expected_pickup"], "Tue 11/24 at 06:00");
    fs::write(&file, "").unwrap();
    set(&now, "2026-11-24T07:00:00Z");
    state.delivery().wake();
    let start = std::time::Instant::now();
    loop {
        let (_, history) = call(&app, get("/api/applications/A-1001/history", Some(&token))).await;
        let e = &history[0];
        if e["status"] == "staged" && e["expected_pickup"] == "Wed 11/25 at 06:00" {
            break;
        }
        assert_ne!(e["status"], "delivered", "{e}");
        assert!(start.elapsed() < Duration::from_secs(10), "not re-batched: {e}");
        state.delivery().wake();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(fs::read_to_string(&file).unwrap(), format!("{HEADER}100234\t101\tAna María\n"));
}

/// Once an export taken after the run is loaded, each file the run read is
/// checked against it: not applied (which rows, what PowerSchool holds,
/// what to do), then confirmed once PowerSchool has the rows.
#[tokio::test]
async fn the_next_export_confirms_what_the_run_imported_or_says_what_it_did_not() {
    let Setup { now, state, app, token, demo, data, .. } = setup("UTC", "2026-11-23T09:00:00Z");
    let admin = token_for(demo.path(), "it", &[writeback_auth::Permission::Administration]);
    call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    entry_when(&app, &token, 1, "staged", &state).await;
    set(&now, "2026-11-24T07:00:00Z");
    let read = entry_when(&app, &token, 1, "delivered", &state).await;
    assert!(read["confirmation"].is_null(), "{read}");
    let core = demo.path().join("snapshot/StudentCoreFields.txt");
    let before = fs::read_to_string(&core).unwrap();
    // Waits for a confirmation other than `seen` (the one before the reload).
    let reload_and_see = |text: String, seen: Option<String>| {
        let (app, admin, token, core) = (app.clone(), admin.clone(), token.clone(), core.clone());
        async move {
            tokio::time::sleep(Duration::from_millis(1100)).await; // a later second than the delivery
                                                                   // A new nightly export: every file written again.
            for f in fs::read_dir(core.parent().unwrap()).unwrap() {
                let f = f.unwrap().path();
                let bytes = fs::read(&f).unwrap();
                fs::write(&f, bytes).unwrap();
            }
            fs::write(&core, text).unwrap();
            let (status, body) = call(&app, post_json("/api/admin/reload", Some(&admin), "")).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let start = std::time::Instant::now();
            loop {
                let (_, h) = call(&app, get("/api/applications/A-1001/history", Some(&token))).await;
                if let Some(c) = h[0]["confirmation"].as_str().filter(|c| Some(*c) != seen.as_deref()) {
                    return c.to_string();
                }
                assert!(start.elapsed() < Duration::from_secs(10), "not checked: {h}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };
    // The export still has the old name: the run did not apply it.
    let said = reload_and_see(before.clone(), None).await;
    assert!(said.starts_with("NOT APPLIED: PowerSchool's export of 20"), "{said}");
    assert!(
        said.contains("PSCore_Legal_First_Name: PowerSchool holds \"Ana\", the file wrote \"Ana María\""),
        "{said}"
    );
    assert!(said.contains("write the application back again as a correction"), "{said}");
    // PowerSchool has it now.
    assert!(before.contains("\tAna\t"), "{before}");
    let said = reload_and_see(before.replacen("\tAna\t", "\tAna María\t", 1), Some(said)).await;
    assert!(said.starts_with("confirmed in PowerSchool: every row is in the export of 20"), "{said}");

    // A relay started on a newer export checks at once, without a reload.
    let db = rusqlite::Connection::open(data.path().join("relay.sqlite3")).unwrap();
    db.execute("UPDATE entries SET confirmation = NULL, confirmed = NULL", []).unwrap();
    drop((app, state));
    let state = AppState::start_with_clock(&config(demo.path(), data.path(), &[]), clock(&now)).unwrap();
    let app = writeback_relay::app(state.clone());
    let start = std::time::Instant::now();
    loop {
        let (_, h) = call(&app, get("/api/applications/A-1001/history", Some(&token))).await;
        if let Some(c) = h[0]["confirmation"].as_str() {
            assert!(c.starts_with("confirmed in PowerSchool"), "{c}");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(10), "not checked at start: {h}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
