//! Helpers shared by the relay's integration tests: a tiny demo folder, a
//! config, and request helpers that drive the router without a socket.
#![allow(dead_code)]

use std::fs;
use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use clap::Parser;
use http_body_util::BodyExt;
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;
use writeback_auth::{KeyPair, Permission, Signer, TokenRequest};
use writeback_core::domain::{Date, SchoolNumber, StudentDcid, StudentId, StudentNumber};
use writeback_core::snapshot::{School, Snapshot, Student, StudentCoreFields};
use writeback_relay::{app, AppState, Config};

/// The Host every test request names (the relay's default listen address).
pub const HOST: &str = "127.0.0.1:8080";

/// A valid students file for application A-1001.
pub const STUDENTS_FILE: &str =
    "Student_Number\tSchoolID\t[StudentCoreFields]PSCore_Legal_First_Name\n100234\t101\tAna María\n";

/// Writes a staff-token key pair into `dir/keys/`.
pub fn write_keys(dir: &Path) {
    let keys = dir.join("keys");
    fs::create_dir_all(&keys).unwrap();
    let pair = KeyPair::generate().unwrap();
    fs::write(keys.join("signing.pem"), pair.signing_pem).unwrap();
    fs::write(keys.join("verify.pem"), pair.verify_pem).unwrap();
}

/// A token signed with `demo`'s key for staff member `id` with `permissions`.
pub fn token_for(demo: &Path, id: &str, permissions: &[Permission]) -> String {
    let signer = Signer::from_pem(&fs::read(demo.join("keys/signing.pem")).unwrap(), None).unwrap();
    let request = TokenRequest {
        staff_id: id.into(),
        name: format!("Staff {id}"),
        permissions: permissions.iter().map(|p| p.as_str().to_string()).collect(),
        ttl_seconds: 600,
    };
    signer.sign(&request, writeback_auth::now()).unwrap()
}

/// A token with every permission, for "jdoe".
pub fn writer(demo: &Path) -> String {
    token_for(demo, "jdoe", &Permission::STAFF)
}

/// Today, as the relay sees it (UTC).
pub fn today() -> Date {
    Date::from_days_since_epoch((writeback_auth::now() / 86_400) as i64).unwrap()
}

/// A demo folder: one student and school, one mapping, an approved
/// application A-1001 and a submitted one A-1002, and token keys.
pub fn demo_dir() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_keys(dir.path());
    let snapshot_dir = dir.path().join("snapshot");
    fs::create_dir(&snapshot_dir).unwrap();
    let snapshot = Snapshot {
        students: vec![Student {
            school_id: SchoolNumber(101),
            gender: "F".into(),
            grade_level: 9,
            ..Student::named(StudentId(1), StudentDcid(11), StudentNumber::parse("100234").unwrap(), "Ana", "Rivera")
        }],
        student_core_fields: vec![StudentCoreFields {
            students_dcid: StudentDcid(11),
            legal_first_name: "Ana".into(),
            legal_middle_name: String::new(),
            legal_last_name: "Rivera".into(),
            legal_suffix: String::new(),
            legal_gender: "F".into(),
        }],
        schools: vec![School { school_number: SchoolNumber(101), name: "Lincoln High".into() }],
        ..Snapshot::default()
    };
    snapshot
        .export(&mut |name| -> io::Result<Box<dyn io::Write>> {
            Ok(Box::new(fs::File::create(snapshot_dir.join(name))?))
        })
        .unwrap();
    fs::write(
        dir.path().join("mappings.json"),
        r#"{"student_fields":[{"form_field":"legal_first_name","label":"Legal first name","target":"[StudentCoreFields]PSCore_Legal_First_Name"}]}"#,
    )
    .unwrap();
    let apps = dir.path().join("applications");
    fs::create_dir(&apps).unwrap();
    fs::write(
        apps.join("A-1001.json"),
        r#"{"id":"A-1001","status":"approved","enrollment_written_back":true,"student_number":"100234",
            "school_id":101,"submitted_at":"2026-08-01T10:00:00Z",
            "student":{"legal_first_name":"Ana María","preferred_first_name":"Annie","legal_last_name":"Rivera"},
            "contacts":[],"courses":[]}"#,
    )
    .unwrap();
    fs::write(
        apps.join("A-1002.json"),
        r#"{"id":"A-1002","status":"submitted","enrollment_written_back":false,
            "school_id":101,"submitted_at":"2026-08-02T10:00:00Z","student":{"legal_last_name":"Chen"}}"#,
    )
    .unwrap();
    dir
}

/// A config for `demo` and `data`, plus `extra` flags.
pub fn config(demo: &Path, data: &Path, extra: &[&str]) -> Config {
    let mut args: Vec<String> = vec![
        "writeback-relay".into(),
        "--demo".into(),
        path(demo),
        "--data-dir".into(),
        path(data),
        "--auth-public-key".into(),
        path(&demo.join("keys/verify.pem")),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    Config::try_parse_from(args).unwrap()
}

fn path(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

/// The relay's router for `config` (the delivery worker runs on the test's runtime).
pub fn router(config: &Config) -> Router {
    app(AppState::start(config).unwrap())
}

/// Sends one request; returns the status and the JSON body (`Null` if empty).
pub async fn call(app: &Router, req: Request<Body>) -> (StatusCode, Value) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
    };
    (status, json)
}

/// A GET request with `token` (none: anonymous).
pub fn get(uri: &str, token: Option<&str>) -> Request<Body> {
    let mut req = Request::get(uri).header("host", HOST);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    req.body(Body::empty()).unwrap()
}

/// A new idempotency key, unique within the test run.
pub fn new_key() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    format!("test-{}-{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

/// A POST of JSON with `token` (none: anonymous), with a new idempotency key.
pub fn post_json(uri: &str, token: Option<&str>, body: impl Into<Body>) -> Request<Body> {
    post_json_keyed(uri, token, &new_key(), body)
}

/// A POST of JSON with `token` and the idempotency key `key`.
pub fn post_json_keyed(uri: &str, token: Option<&str>, key: &str, body: impl Into<Body>) -> Request<Body> {
    let mut req = Request::post(uri)
        .header("host", HOST)
        .header("content-type", "application/json")
        .header("idempotency-key", key);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    req.body(body.into()).unwrap()
}

/// The writeback of `application` with default decisions and `files`
/// (kind, text), as the widget posts it, with a new idempotency key.
pub fn writeback(application: &str, token: &str, files: &[(&str, &str)]) -> Request<Body> {
    writeback_keyed(application, token, &new_key(), files)
}

/// The body of a writeback with default decisions and `files`.
pub fn writeback_body(files: &[(&str, &str)]) -> String {
    let files: Vec<Value> = files.iter().map(|(k, t)| serde_json::json!({"kind": k, "text": t})).collect();
    serde_json::json!({"decisions": {}, "today": today().to_string(), "files": files}).to_string()
}

/// [`writeback`] with the idempotency key `key`.
pub fn writeback_keyed(application: &str, token: &str, key: &str, files: &[(&str, &str)]) -> Request<Body> {
    post_json_keyed(&format!("/api/applications/{application}/writeback"), Some(token), key, writeback_body(files))
}

/// Polls an application's history until entry `id` has `status`; panics
/// after `limit` with the last history seen.
pub async fn wait_for_status(
    app: &Router,
    token: &str,
    application: &str,
    id: u64,
    status: &str,
    limit: Duration,
) -> Value {
    let start = Instant::now();
    loop {
        let (code, history) = call(app, get(&format!("/api/applications/{application}/history"), Some(token))).await;
        assert_eq!(code, StatusCode::OK, "{history}");
        let entry = history.as_array().unwrap().iter().find(|e| e["id"] == id).cloned();
        if let Some(entry) = &entry {
            if entry["status"] == status {
                return entry.clone();
            }
        }
        if start.elapsed() > limit {
            panic!("entry {id} did not become {status:?} within {limit:?}; history: {history}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The names in a folder, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().file_name().into_string().unwrap()).collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => panic!("cannot list {}: {e}", dir.display()),
    };
    names.sort();
    names
}

/// Puts entry `id` back to `accepted` in the relay's database, as if the
/// relay had crashed before recording its delivery.
pub fn forget_delivery(data: &Path, id: u64) {
    let db = rusqlite::Connection::open(data.join("relay.sqlite3")).unwrap();
    let n = db
        .execute(
            "UPDATE entries SET status = 'accepted', delivered_at = NULL, detail = NULL WHERE id = ?1 AND status = 'delivered'",
            [id as i64],
        )
        .unwrap();
    assert_eq!(n, 1, "entry {id} was not delivered");
}

/// A generated demo district (`students` students, seed 1) written as a
/// demo folder, with token keys.
pub fn generated_demo_dir(students: usize) -> (TempDir, writeback_synth::demo::DemoDistrict) {
    let dir = tempfile::tempdir().unwrap();
    write_keys(dir.path());
    let demo = writeback_synth::demo::generate(&writeback_synth::demo::DemoOptions { students, seed: 1 });
    fs::create_dir(dir.path().join("snapshot")).unwrap();
    for (name, bytes) in demo.snapshot_files() {
        fs::write(dir.path().join("snapshot").join(name), bytes).unwrap();
    }
    fs::create_dir(dir.path().join("applications")).unwrap();
    for a in &demo.applications {
        fs::write(dir.path().join("applications").join(format!("{}.json", a.id)), serde_json::to_vec(a).unwrap())
            .unwrap();
    }
    fs::write(dir.path().join("mappings.json"), serde_json::to_vec(&demo.mappings).unwrap()).unwrap();
    fs::write(dir.path().join("district.json"), serde_json::to_vec(&demo.settings).unwrap()).unwrap();
    (dir, demo)
}

/// The generated district as the relay's review sees it, its slice index,
/// and a reviewer with every staff permission (the token `writer` signs).
pub fn reviewing(
    demo: &writeback_synth::demo::DemoDistrict,
) -> (writeback_core::plan::District, writeback_core::plan::SliceIndex, writeback_core::plan::Reviewer) {
    let district =
        writeback_core::plan::District::new(demo.snapshot.clone(), demo.mappings.clone(), demo.settings.clone())
            .unwrap();
    let slices = writeback_core::plan::SliceIndex::build(&district);
    let staff = writeback_core::courses::Staff {
        name: "Staff jdoe".into(),
        permissions: Permission::STAFF.iter().map(|p| p.as_str().to_string()).collect(),
    };
    (district, slices, writeback_core::plan::Reviewer { staff, today: today() })
}
