//! Delivery over SFTP to a real OpenSSH `sshd` on a loopback port, using
//! the `sftp` client exactly as the relay does in production.
//!
//! Needs OpenSSH (`apt-get install -y openssh-server`); without it the tests
//! fail, saying so.

mod common;
#[path = "support/sshd.rs"]
mod sshd;

use std::fs;
use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use sshd::*;

const DELIVERY_LIMIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivers_byte_identical_files_exactly_once() {
    let sshd = start_sshd();
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let flags = sshd.flags(&sshd.host_key());
    let cfg = config(demo.path(), data.path(), &flags.iter().map(String::as_str).collect::<Vec<_>>());
    let app = router(&cfg);
    let token = writer(demo.path());

    let (status, entries) = call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::CREATED, "{entries}");
    let entry = &entries[0];
    assert_eq!(entry["destination"], format!("sftp://127.0.0.1:{}{}", sshd.port, sshd.remote().display()));
    let name = entry["file_name"].as_str().unwrap().to_string();
    let delivered = wait_for_status(&app, &token, "A-1001", 1, "delivered", DELIVERY_LIMIT).await;
    assert!(delivered["detail"].is_null(), "{delivered}");
    assert_eq!(fs::read(sshd.remote().join(&name)).unwrap(), STUDENTS_FILE.as_bytes());
    assert_eq!(names_in(&sshd.remote()), [name.as_str()], "no temporary file is left");
    drop(app);

    // Crash after the rename, before the delivery was recorded: the final
    // name exists, so the restart records it and does not upload again.
    forget_delivery(data.path(), 1);
    fs::write(sshd.remote().join(&name), b"sentinel: must not be overwritten").unwrap();
    let app = router(&cfg);
    let entry = wait_for_status(&app, &token, "A-1001", 1, "delivered", DELIVERY_LIMIT).await;
    assert!(entry["detail"].as_str().unwrap().contains("already at the destination"), "{entry}");
    assert_eq!(fs::read(sshd.remote().join(&name)).unwrap(), b"sentinel: must not be overwritten");
    drop(app);

    // Crash in the middle of the upload: a stale temporary file is replaced
    // and the file is delivered whole.
    forget_delivery(data.path(), 1);
    fs::remove_file(sshd.remote().join(&name)).unwrap();
    fs::write(sshd.remote().join(format!(".{name}.part")), b"Student_Num").unwrap();
    let app = router(&cfg);
    let entry = wait_for_status(&app, &token, "A-1001", 1, "delivered", DELIVERY_LIMIT).await;
    assert!(entry["detail"].is_null(), "{entry}");
    assert_eq!(fs::read(sshd.remote().join(&name)).unwrap(), STUDENTS_FILE.as_bytes());
    assert_eq!(names_in(&sshd.remote()), [name], "no temporary file is left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_host_key_fails_delivery_and_writes_nothing() {
    let sshd = start_sshd();
    let impostor = sshd.path("impostor_key");
    keygen(&impostor);
    let wrong = pub_key(&impostor.with_extension("pub"));
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let flags = sshd.flags(&wrong);
    let cfg = config(demo.path(), data.path(), &flags.iter().map(String::as_str).collect::<Vec<_>>());
    let app = router(&cfg);

    let token = writer(demo.path());
    let (status, entries) = call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::CREATED, "{entries}");
    let failed = wait_for_status(&app, &token, "A-1001", 1, "failed", DELIVERY_LIMIT).await;
    let detail = failed["detail"].as_str().unwrap().to_ascii_lowercase();
    assert!(detail.contains("host key"), "{detail}");
    assert!(failed["delivered_at"].is_null(), "{failed}");
    assert_eq!(names_in(&sshd.remote()), Vec::<String>::new(), "nothing may be written");
    // The accepted file stays in the spool for the retry.
    let name = failed["file_name"].as_str().unwrap();
    assert_eq!(fs::read(data.path().join("spool").join(name)).unwrap(), STUDENTS_FILE.as_bytes());
}

/// SFTP down for a while, then back: every file is delivered, the history
/// shows the failed attempts meanwhile, and IT can retry at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_outage_everything_is_delivered_and_the_failures_are_kept() {
    let mut sshd = start_sshd();
    sshd.stop();
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let flags = sshd.flags(&sshd.host_key());
    let cfg = config(demo.path(), data.path(), &flags.iter().map(String::as_str).collect::<Vec<_>>());
    let app = router(&cfg);
    let token = writer(demo.path());
    let admin = token_for(demo.path(), "it", &[writeback_auth::Permission::Administration]);
    for _ in 0..3 {
        let (status, entries) = call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
        assert_eq!(status, StatusCode::CREATED, "{entries}");
    }
    // The target is down: the oldest file fails again and again; the
    // others wait their turn (the backoff is the target's).
    let start = std::time::Instant::now();
    loop {
        let (_, status) = call(&app, get("/api/admin/status", Some(&admin))).await;
        if status["delivery"]["target"]["failures_in_a_row"].as_u64().unwrap() >= 2 {
            assert_eq!(status["delivery"]["waiting"], 3, "{status}");
            assert!(status["delivery"]["target"]["last_error"].as_str().unwrap().contains("sftp"), "{status}");
            break;
        }
        assert!(start.elapsed() < DELIVERY_LIMIT, "no second failure: {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (_, history) = call(&app, get("/api/applications/A-1001/history", Some(&token))).await;
    let statuses: Vec<&str> = history.as_array().unwrap().iter().map(|e| e["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["accepted", "accepted", "failed"], "{history}");

    // Back, and IT retries now rather than waiting for the backoff.
    sshd.restart();
    let (code, _) = call(&app, post_json("/api/admin/deliver", Some(&admin), "")).await;
    assert_eq!(code, StatusCode::OK);
    for id in 1..=3 {
        wait_for_status(&app, &token, "A-1001", id, "delivered", Duration::from_secs(10)).await;
    }
    let first = wait_for_status(&app, &token, "A-1001", 1, "delivered", DELIVERY_LIMIT).await;
    assert!(first["failed_attempts"].as_u64().unwrap() >= 2, "{first}");
    let detail = first["detail"].as_str().unwrap();
    assert!(detail.starts_with("delivered after ") && detail.contains("failed attempt(s) since"), "{detail}");
    assert_eq!(names_in(&sshd.remote()).len(), 3, "each file once, no temporary file left");
    let (_, status) = call(&app, get("/api/admin/status", Some(&admin))).await;
    assert_eq!(status["delivery"]["waiting"], 0, "{status}");
    assert_eq!(status["delivery"]["target"]["failures_in_a_row"], 0, "{status}");

    // Down again, back again, and nobody retries: the capped backoff
    // resumes delivery within its last delay (30 s).
    sshd.stop();
    let (status, _) = call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::CREATED);
    wait_for_status(&app, &token, "A-1001", 4, "failed", DELIVERY_LIMIT).await;
    sshd.restart();
    wait_for_status(&app, &token, "A-1001", 4, "delivered", Duration::from_secs(35)).await;
}

/// A fixed-path target over SFTP: the batch replaces the file at the path
/// the AutoComm record reads (temporary name, posix-rename over the old
/// one), the run reads it, and then it is emptied.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixed_path_target_is_replaced_whole_over_sftp() {
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::Arc;
    let sshd = start_sshd();
    let folder = sshd.remote().join("powerschool/students");
    fs::create_dir_all(&folder).unwrap();
    let path = folder.join("writeback_students.txt");
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    fs::write(
        demo.path().join("district.json"),
        format!(
            r#"{{"delivery": {{"students": {{"path": "{}", "header": false,
                "columns": ["Student_Number", "SchoolID", "[StudentCoreFields]PSCore_Legal_First_Name"],
                "runs": {{"days": ["mon", "tue", "wed", "thu", "fri"], "hour": 6}}}}}}}}"#,
            path.display()
        ),
    )
    .unwrap();
    let now = Arc::new(AtomicI64::new(jiff::Timestamp::from_second(1_795_338_043).unwrap().as_second())); // Sun 09:00Z
    let clock: writeback_relay::deliver::Clock = {
        let now = Arc::clone(&now);
        Arc::new(move || jiff::Timestamp::from_second(now.load(Ordering::SeqCst)).unwrap())
    };
    let flags = sshd.flags(&sshd.host_key());
    let cfg = config(demo.path(), data.path(), &flags.iter().map(String::as_str).collect::<Vec<_>>());
    let state = writeback_relay::AppState::start_with_clock(&cfg, clock).unwrap();
    let app = writeback_relay::app(state.clone());
    let token = writer(demo.path());
    // A file already there (the relay owns the path) is replaced whole.
    fs::write(&path, "old rows\n").unwrap();

    let (status, entries) = call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::CREATED, "{entries}");
    let staged = wait_for_status(&app, &token, "A-1001", 1, "staged", DELIVERY_LIMIT).await;
    assert_eq!(staged["expected_pickup"], "Mon 11/23 at 06:00");
    assert_eq!(staged["destination"], format!("sftp://127.0.0.1:{}{}", sshd.port, path.display()));
    assert_eq!(fs::read_to_string(&path).unwrap(), "100234\t101\tAna María\n");
    assert_eq!(names_in(&folder), ["writeback_students.txt"], "no temporary file is left");

    now.fetch_add(24 * 3600, Ordering::SeqCst); // Mon 09:00Z: the run is over
    state.delivery().wake();
    let read = wait_for_status(&app, &token, "A-1001", 1, "delivered", DELIVERY_LIMIT).await;
    assert!(read["detail"].as_str().unwrap().contains("for the run of Mon 11/23 at 06:00"), "{read}");
    let start = std::time::Instant::now();
    while fs::read_to_string(&path).unwrap() != "" {
        assert!(start.elapsed() < DELIVERY_LIMIT, "not emptied after the run");
        state.delivery().wake();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
