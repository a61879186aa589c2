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
    assert!(delivered.get("detail").is_none(), "{delivered}");
    assert_eq!(fs::read(sshd.remote().join(&name)).unwrap(), STUDENTS_FILE.as_bytes());
    assert_eq!(names_in(&sshd.remote()), [name.as_str()], "no temporary file is left");
    drop(app);

    // Crash after the rename, before the delivery was recorded: the final
    // name exists, so the restart records it and does not upload again.
    forget_delivery(data.path());
    fs::write(sshd.remote().join(&name), b"sentinel: must not be overwritten").unwrap();
    let app = router(&cfg);
    let entry = wait_for_status(&app, &token, "A-1001", 1, "delivered", DELIVERY_LIMIT).await;
    assert!(entry["detail"].as_str().unwrap().contains("already at the destination"), "{entry}");
    assert_eq!(fs::read(sshd.remote().join(&name)).unwrap(), b"sentinel: must not be overwritten");
    drop(app);

    // Crash in the middle of the upload: a stale temporary file is replaced
    // and the file is delivered whole.
    forget_delivery(data.path());
    fs::remove_file(sshd.remote().join(&name)).unwrap();
    fs::write(sshd.remote().join(format!(".{name}.part")), b"Student_Num").unwrap();
    let app = router(&cfg);
    let entry = wait_for_status(&app, &token, "A-1001", 1, "delivered", DELIVERY_LIMIT).await;
    assert!(entry.get("detail").is_none(), "{entry}");
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
    assert!(failed.get("delivered_at").is_none(), "{failed}");
    assert_eq!(names_in(&sshd.remote()), Vec::<String>::new(), "nothing may be written");
    // The accepted file stays in the spool for the retry.
    let name = failed["file_name"].as_str().unwrap();
    assert_eq!(fs::read(data.path().join("spool").join(name)).unwrap(), STUDENTS_FILE.as_bytes());
}
