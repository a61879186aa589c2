//! The HTTP API, driven with `oneshot` (no socket), delivering to a local outbox.

mod common;

use std::fs;
use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use serde_json::Value;
use writeback_relay::{AppState, Config};

const FILES: &str = "/api/applications/A-1001/files";

#[tokio::test]
async fn lists_and_serves_applications() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));

    let (status, list) = call(&app, get("/api/applications")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list,
        serde_json::json!([
            {"id": "A-1001", "status": "approved", "student_name": "Annie Rivera", "student_number": "100234",
             "school_id": 101, "submitted_at": "2026-08-01T10:00:00Z", "enrollment_written_back": true,
             "family_batch": null},
            {"id": "A-1002", "status": "submitted", "student_name": "Chen", "student_number": null,
             "school_id": 101, "submitted_at": "2026-08-02T10:00:00Z", "enrollment_written_back": false,
             "family_batch": null},
        ])
    );

    let (status, one) = call(&app, get("/api/applications/A-1001")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["id"], "A-1001");
    assert_eq!(one["student"]["legal_first_name"], "Ana María");

    let (status, err) = call(&app, get("/api/applications/A-9999")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"], "no application \"A-9999\"");
    let (status, _) = call(&app, get("/api/applications/A-9999/history")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, err) = call(&app, get("/api/nothing")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(err["error"].is_string());
}

#[tokio::test]
async fn serves_snapshot_and_mappings_as_json() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let res = tower::ServiceExt::oneshot(app.clone(), get("/api/snapshot")).await.unwrap();
    assert_eq!(res.headers()["content-type"], "application/json");
    let (status, snapshot) = call(&app, get("/api/snapshot")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(snapshot["students"][0]["student_number"], "100234");
    assert_eq!(snapshot["schools"][0]["name"], "Lincoln High");
    let (status, mappings) = call(&app, get("/api/mappings")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(mappings["student_fields"][0]["target"], "[StudentCoreFields]PSCore_Legal_First_Name");
}

#[tokio::test]
async fn accepts_stores_and_delivers_a_valid_file_unchanged() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let outbox = data.path().join("outbox");
    let app = router(&config(demo.path(), data.path(), &[]));

    let (status, entry) = call(&app, post(&format!("{FILES}/students"), Some("jdoe"), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    assert_eq!(entry["id"], 1);
    assert_eq!(entry["application_id"], "A-1001");
    assert_eq!(entry["kind"], "students");
    assert_eq!(entry["rows"], 1);
    assert_eq!(entry["submitted_by"], "jdoe");
    assert_eq!(entry["status"], "accepted");
    let outbox_abs = fs::canonicalize(&outbox).unwrap();
    assert_eq!(entry["destination"], format!("outbox {}", outbox_abs.display()));
    let name = entry["file_name"].as_str().unwrap().to_string();
    let submitted_at = entry["submitted_at"].as_str().unwrap();
    // 2026-11-22T09:14:03Z <-> writeback_students_A-1001_20261122T091403_1.txt
    assert_eq!(submitted_at.len(), 20, "{submitted_at}");
    assert!(submitted_at.ends_with('Z') && &submitted_at[10..11] == "T", "{submitted_at}");
    let compact: String = submitted_at[..19].chars().filter(|c| *c != '-' && *c != ':').collect();
    assert_eq!(name, format!("writeback_students_A-1001_{compact}_1.txt"));

    // Stored durably before the reply: the spool holds the exact bytes.
    let spooled = fs::read(data.path().join("spool").join(&name)).unwrap();
    assert_eq!(spooled, STUDENTS_FILE.as_bytes());
    let log = fs::read_to_string(data.path().join("history.jsonl")).unwrap();
    assert!(log.lines().next().unwrap().contains(&name), "{log}");

    let delivered = wait_for_status(&app, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    assert!(delivered["delivered_at"].as_str().unwrap().ends_with('Z'), "{delivered}");
    assert_eq!(delivered["file_name"], name.as_str());
    assert_eq!(fs::read(outbox.join(&name)).unwrap(), STUDENTS_FILE.as_bytes());
    assert_eq!(names_in(&outbox), [name.as_str()], "no temporary file is left");

    // A second file gets the next id; history lists newest first.
    let (status, second) = call(&app, post(&format!("{FILES}/students"), Some("jdoe"), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_eq!(second["id"], 2);
    let (_, history) = call(&app, get("/api/applications/A-1001/history")).await;
    let ids: Vec<&Value> = history.as_array().unwrap().iter().map(|e| &e["id"]).collect();
    assert_eq!(ids, [2, 1]);
    let (_, other) = call(&app, get("/api/applications/A-1002/history")).await;
    assert_eq!(other, serde_json::json!([]));
}

#[tokio::test]
async fn accepts_a_schedules_file() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let file = "Student_Number\tCourse_Number\tSection_Number\tSchoolID\tTermID\tDateEnrolled\tDateLeft\n\
                100234\tENG9\t2\t101\t3601\t08/20/2026\t01/16/2027\n";
    let (status, entry) = call(&app, post(&format!("{FILES}/schedules"), Some("jdoe"), file)).await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    assert_eq!(entry["kind"], "schedules");
    assert!(entry["file_name"].as_str().unwrap().starts_with("writeback_schedules_A-1001_"));
}

#[tokio::test]
async fn rejects_bad_requests_and_stores_nothing() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));

    // Malformed: the error names the line (and column).
    let bad = "Student_Number\tSchoolID\tFirst_Name\nabc\t101\tAna\n";
    let (status, err) = call(&app, post(&format!("{FILES}/students"), Some("jdoe"), bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = err["error"].as_str().unwrap();
    assert!(msg.contains("line 2, column Student_Number"), "{msg}");

    // A well-formed file that writes another student than the application's.
    let other = STUDENTS_FILE.replace("100234", "100999");
    let (status, err) = call(&app, post(&format!("{FILES}/students"), Some("jdoe"), other)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = err["error"].as_str().unwrap();
    assert!(msg.contains("writes student 100999") && msg.contains("for student 100234"), "{msg}");

    let (status, err) = call(&app, post(&format!("{FILES}/photos"), Some("jdoe"), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let msg = err["error"].as_str().unwrap();
    assert!(msg.contains("students") && msg.contains("contacts") && msg.contains("schedules"), "{msg}");

    // A students file posted as contacts is read as contacts, and refused.
    let (status, err) = call(&app, post(&format!("{FILES}/contacts"), Some("jdoe"), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");

    let (status, err) = call(&app, post(&format!("{FILES}/students"), None, STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["error"].as_str().unwrap().contains("X-Staff-User"), "{err}");
    let (status, _) = call(&app, post(&format!("{FILES}/students"), Some(""), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let long = "x".repeat(65);
    let (status, _) = call(&app, post(&format!("{FILES}/students"), Some(&long), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, err) = call(&app, post("/api/applications/A-9999/files/students", Some("jdoe"), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err}");

    let (status, err) = call(&app, post(&format!("{FILES}/students"), Some("jdoe"), vec![0x53, 0xff, 0x0a])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["error"].as_str().unwrap().contains("UTF-8"), "{err}");

    let huge = vec![b'a'; writeback_relay::routes::MAX_FILE_BYTES + 1];
    let (status, err) = call(&app, post(&format!("{FILES}/students"), Some("jdoe"), huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(err["error"].as_str().unwrap().contains("20 MiB"), "{err}");

    let (status, err) = call(&app, post("/api/applications/A-1002/files/students", Some("jdoe"), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(err["error"].as_str().unwrap().contains("not approved"), "{err}");

    assert_eq!(names_in(&data.path().join("spool")), Vec::<String>::new());
    assert_eq!(fs::read_to_string(data.path().join("history.jsonl")).unwrap(), "");
    let (_, history) = call(&app, get("/api/applications/A-1001/history")).await;
    assert_eq!(history, serde_json::json!([]));
}

/// After a crash between storing and recording the delivery, a restart
/// delivers what was not delivered, and does not deliver twice what was.
#[tokio::test]
async fn a_restart_requeues_undelivered_files_exactly_once() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let outbox = data.path().join("outbox");
    let cfg = config(demo.path(), data.path(), &[]);
    let app = router(&cfg);
    let (status, entry) = call(&app, post(&format!("{FILES}/students"), Some("jdoe"), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::CREATED);
    let name = entry["file_name"].as_str().unwrap().to_string();
    wait_for_status(&app, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    drop(app);

    // Crash before the file reached the outbox: it is delivered on restart.
    forget_delivery(data.path());
    fs::remove_file(outbox.join(&name)).unwrap();
    let app = router(&cfg);
    let entry = wait_for_status(&app, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    assert!(entry.get("detail").is_none(), "{entry}");
    assert_eq!(fs::read(outbox.join(&name)).unwrap(), STUDENTS_FILE.as_bytes());
    drop(app);

    // Crash after the rename: the file is there, so it is not written again.
    forget_delivery(data.path());
    fs::write(outbox.join(&name), b"sentinel").unwrap();
    let app = router(&cfg);
    let entry = wait_for_status(&app, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    assert!(entry["detail"].as_str().unwrap().contains("already at the destination"), "{entry}");
    assert_eq!(fs::read(outbox.join(&name)).unwrap(), b"sentinel");

    // Ids keep increasing across restarts.
    let (_, next) = call(&app, post(&format!("{FILES}/students"), Some("jdoe"), STUDENTS_FILE)).await;
    assert_eq!(next["id"], 2);
}

#[tokio::test]
async fn refuses_to_start_on_bad_demo_data() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    fs::write(demo.path().join("applications").join("broken.json"), "{\"id\": \"A-1\",\n  \"status\": 7}").unwrap();
    fs::write(
        demo.path().join("mappings.json"),
        r#"{"student_fields":[{"form_field":"x","label":"X","target":"[StudentCoreFields]No_Such_Field"}]}"#,
    )
    .unwrap();
    fs::write(demo.path().join("snapshot").join("Schools.txt"), "School_Number\tName\nabc\tLincoln\n").unwrap();
    let err = AppState::start(&config(demo.path(), data.path(), &[])).unwrap_err().to_string();
    assert!(err.contains("applications/broken.json:2:"), "{err}");
    assert!(err.contains("snapshot/Schools.txt:2:1: School_Number"), "{err}");

    // With a good snapshot, the mapping problem is listed too.
    let demo = demo_dir();
    fs::write(
        demo.path().join("mappings.json"),
        r#"{"student_fields":[{"form_field":"x","label":"X","target":"[StudentCoreFields]No_Such_Field"}]}"#,
    )
    .unwrap();
    let err = AppState::start(&config(demo.path(), data.path(), &[])).unwrap_err().to_string();
    assert!(err.contains("mappings.json: student field \"x\""), "{err}");
}

#[tokio::test]
async fn serves_the_ui_with_an_index_fallback() {
    let (demo, data, dist) = (demo_dir(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    fs::write(dist.path().join("index.html"), "<!doctype html><title>writeback</title>").unwrap();
    fs::write(dist.path().join("app.css"), "body{}").unwrap();
    let cfg: Config = config(demo.path(), data.path(), &["--dist", dist.path().to_str().unwrap()]);
    let app = router(&cfg);
    for (uri, body) in [("/", "<!doctype html>"), ("/app.css", "body{}"), ("/review/A-1001", "<!doctype html>")] {
        let res = tower::ServiceExt::oneshot(app.clone(), get(uri)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&bytes).starts_with(body), "{uri}");
    }
    let (status, _) = call(&app, get("/api/applications")).await;
    assert_eq!(status, StatusCode::OK);
}

const COURSE_WRITEBACK: &str = "/api/applications/A-1001/course-writeback";

/// A schedules file enrolling A-1001's student in ENG9.
const SCHEDULES_FILE: &str =
    "Student_Number\tCourse_Number\tSection_Number\tSchoolID\tTermID\tDateEnrolled\tDateLeft\n\
                              100234\tENG9\t2\t101\t3600\t11/23/2026\t06/05/2027\n";

/// The demo folder with course writeback turned on (AutoComm every day at
/// 06:00) and A-1001 requesting ENG9, ART9 and PE9.
fn course_demo() -> tempfile::TempDir {
    let demo = demo_dir();
    fs::write(
        demo.path().join("district.json"),
        r#"{"courses":{"feature_enabled":true,"autocomm":{"days":["mon","tue","wed","thu","fri","sat","sun"],"hour":6}}}"#,
    )
    .unwrap();
    fs::write(
        demo.path().join("applications").join("A-1001.json"),
        r#"{"id":"A-1001","status":"approved","enrollment_written_back":true,"student_number":"100234",
            "school_id":101,"submitted_at":"2026-08-01T10:00:00Z",
            "student":{"legal_first_name":"Ana María","preferred_first_name":"Annie","legal_last_name":"Rivera"},
            "contacts":[],
            "courses":[{"course_number":"ENG9","course_name":"English 9"},{"course_number":"ART9","course_name":"Art 9"},
                       {"course_number":"PE9","course_name":"PE 9"}]}"#,
    )
    .unwrap();
    demo
}

fn post_json(uri: &str, user: Option<&str>, body: &Value) -> axum::http::Request<axum::body::Body> {
    let mut req = axum::http::Request::post(uri).header("content-type", "application/json");
    if let Some(user) = user {
        req = req.header("x-staff-user", user);
    }
    req.body(axum::body::Body::from(body.to_string())).unwrap()
}

/// The pickup the relay announces now (AutoComm every day at 06:00, UTC).
fn pickup_now() -> Option<String> {
    use writeback::courses::{AutoCommSchedule, Weekday};
    let clock = writeback_relay::pickup::PickupClock::new(
        Some(AutoCommSchedule { days: Weekday::ALL.to_vec(), hour: 6 }),
        writeback_relay::config::UtcOffset::UTC,
    );
    clock.next()
}

#[tokio::test]
async fn a_course_writeback_records_written_denied_and_the_expected_pickup() {
    let (demo, data) = (course_demo(), tempfile::tempdir().unwrap());
    let outbox = data.path().join("outbox");
    let app = router(&config(demo.path(), data.path(), &[]));
    let body = serde_json::json!({"courses_written": ["ENG9"], "courses_denied": ["ART9"], "file": SCHEDULES_FILE});
    let before = pickup_now();
    let (status, entry) = call(&app, post_json(COURSE_WRITEBACK, Some("jdoe"), &body)).await;
    let after = pickup_now();
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    assert_eq!(entry["kind"], "schedules");
    assert_eq!(entry["rows"], 1);
    assert_eq!(entry["status"], "accepted");
    assert_eq!(entry["submitted_by"], "jdoe");
    assert_eq!(entry["courses_written"], serde_json::json!(["ENG9"]));
    assert_eq!(entry["courses_denied"], serde_json::json!(["ART9"]));
    let pickup = entry["expected_pickup"].as_str().unwrap();
    assert!([before.as_deref(), after.as_deref()].contains(&Some(pickup)), "{pickup} vs {before:?}/{after:?}");
    assert!(pickup.ends_with(" at 06:00") && pickup.len() == "Tue 11/24 at 06:00".len(), "{pickup}");
    let name = entry["file_name"].as_str().unwrap().to_string();
    assert!(name.starts_with("writeback_schedules_A-1001_"), "{name}");

    let delivered = wait_for_status(&app, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    assert_eq!(fs::read(outbox.join(&name)).unwrap(), SCHEDULES_FILE.as_bytes());
    assert_eq!(delivered["courses_written"], serde_json::json!(["ENG9"]));
    assert_eq!(delivered["courses_denied"], serde_json::json!(["ART9"]));
    assert!(delivered["expected_pickup"].as_str().unwrap().ends_with(" at 06:00"), "{delivered}");

    // A demographics file carries none of the course fields.
    let (status, students) = call(&app, post(&format!("{FILES}/students"), Some("jdoe"), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::CREATED, "{students}");
    for field in ["courses_written", "courses_denied", "expected_pickup"] {
        assert!(students.get(field).is_none(), "{field}: {students}");
    }
}

#[tokio::test]
async fn a_course_writeback_denying_every_course_is_recorded_without_a_file() {
    let (demo, data) = (course_demo(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let body = serde_json::json!({"courses_written": [], "courses_denied": ["ART9", "PE9"]});
    let (status, entry) = call(&app, post_json(COURSE_WRITEBACK, Some("jdoe"), &body)).await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    assert_eq!(entry["id"], 1);
    assert_eq!(entry["status"], "recorded");
    assert_eq!(entry["file_name"], Value::Null);
    assert_eq!(entry["rows"], 0);
    assert_eq!(entry["courses_written"], serde_json::json!([]));
    assert_eq!(entry["courses_denied"], serde_json::json!(["ART9", "PE9"]));
    assert!(entry.get("expected_pickup").is_none(), "nothing to pick up: {entry}");
    // `file: null` means the same.
    let body = serde_json::json!({"courses_written": [], "courses_denied": ["ENG9"], "file": null});
    let (status, second) = call(&app, post_json(COURSE_WRITEBACK, Some("jdoe"), &body)).await;
    assert_eq!(status, StatusCode::CREATED, "{second}");

    let (_, history) = call(&app, get("/api/applications/A-1001/history")).await;
    let ids: Vec<&Value> = history.as_array().unwrap().iter().map(|e| &e["id"]).collect();
    assert_eq!(ids, [2, 1]);
    assert_eq!(history[1], entry);
    // Nothing is spooled or delivered, and the record survives a restart.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(names_in(&data.path().join("spool")), Vec::<String>::new());
    assert_eq!(names_in(&data.path().join("outbox")), Vec::<String>::new());
    drop(app);
    let app = router(&config(demo.path(), data.path(), &[]));
    let (_, again) = call(&app, get("/api/applications/A-1001/history")).await;
    assert_eq!(again, history);
}

#[tokio::test]
async fn a_course_writeback_is_refused_when_lists_and_file_disagree() {
    let (demo, data) = (course_demo(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let refused = |body: Value, code: StatusCode, says: &'static str| {
        let app = app.clone();
        async move {
            let (status, err) = call(&app, post_json(COURSE_WRITEBACK, Some("jdoe"), &body)).await;
            assert_eq!(status, code, "{body}: {err}");
            let msg = err["error"].as_str().unwrap();
            assert!(msg.contains(says), "{body}: {msg}");
        }
    };
    use serde_json::json;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    refused(
        json!({"courses_written": ["ENG9", "PE9"], "courses_denied": [], "file": SCHEDULES_FILE}),
        unprocessable,
        "courses_written (ENG9, PE9) does not match the schedules file's Course_Numbers (ENG9)",
    )
    .await;
    refused(
        json!({"courses_written": [], "courses_denied": ["ART9"], "file": SCHEDULES_FILE}),
        unprocessable,
        "courses_written (none) does not match",
    )
    .await;
    refused(json!({"courses_written": ["ENG9"], "courses_denied": []}), unprocessable, "no schedules file was sent")
        .await;
    refused(json!({"courses_written": [], "courses_denied": []}), unprocessable, "approve or deny at least one course")
        .await;
    refused(
        json!({"courses_written": [], "courses_denied": ["BIO9"]}),
        unprocessable,
        "BIO9 is not a course application A-1001 requests (it requests ENG9, ART9, PE9)",
    )
    .await;
    refused(
        json!({"courses_written": ["ENG9"], "courses_denied": ["ENG9"], "file": SCHEDULES_FILE}),
        unprocessable,
        "ENG9 is listed more than once",
    )
    .await;
    refused(json!({"courses_written": [], "courses_denied": [" ART9"]}), unprocessable, "is not a course number").await;
    let other_student = SCHEDULES_FILE.replace("100234", "100999");
    refused(
        json!({"courses_written": ["ENG9"], "courses_denied": [], "file": other_student}),
        unprocessable,
        "writes student 100999",
    )
    .await;
    refused(
        json!({"courses_written": ["ENG9"], "courses_denied": [], "file": STUDENTS_FILE}),
        unprocessable,
        "the schedules file is invalid: line 1",
    )
    .await;
    refused(json!({"courses_denied": ["ART9"]}), StatusCode::BAD_REQUEST, "missing field `courses_written`").await;
    refused(
        json!({"courses_written": [], "courses_denied": ["ART9"], "note": "x"}),
        StatusCode::BAD_REQUEST,
        "unknown field `note`",
    )
    .await;
    let huge = "x".repeat(writeback_relay::routes::MAX_FILE_BYTES + 1);
    refused(
        json!({"courses_written": ["ENG9"], "courses_denied": [], "file": huge}),
        StatusCode::PAYLOAD_TOO_LARGE,
        "20 MiB",
    )
    .await;

    let body = json!({"courses_written": [], "courses_denied": ["ART9"]});
    let (status, err) = call(&app, post_json(COURSE_WRITEBACK, None, &body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    let (status, _) = call(&app, post_json("/api/applications/A-9999/course-writeback", Some("jdoe"), &body)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, err) = call(&app, post_json("/api/applications/A-1002/course-writeback", Some("jdoe"), &body)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(err["error"].as_str().unwrap().contains("not approved"), "{err}");

    assert_eq!(names_in(&data.path().join("spool")), Vec::<String>::new());
    assert_eq!(fs::read_to_string(data.path().join("history.jsonl")).unwrap(), "");

    // Without district.json course writeback is off.
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let (status, err) = call(&app, post_json(COURSE_WRITEBACK, Some("jdoe"), &body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert!(err["error"].as_str().unwrap().contains("not turned on"), "{err}");
}

#[tokio::test]
async fn a_file_records_its_follow_ups_in_the_history() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let follow_ups = ["after the import, give Zoë Núñez (contact 12) data access to student 100042 in PowerSchool"];
    let header = percent_encoding::utf8_percent_encode(
        &serde_json::to_string(&follow_ups).unwrap(),
        percent_encoding::NON_ALPHANUMERIC,
    )
    .to_string();
    let mut req = post(&format!("{FILES}/students"), Some("jdoe"), STUDENTS_FILE);
    req.headers_mut().insert("x-follow-ups", header.parse().unwrap());
    let (status, entry) = call(&app, req).await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    assert_eq!(entry["follow_ups"], serde_json::json!(follow_ups));
    let (_, history) = call(&app, get("/api/applications/A-1001/history")).await;
    assert_eq!(history[0]["follow_ups"], serde_json::json!(follow_ups));
    // The append-only log keeps them across a restart.
    let log = fs::read_to_string(data.path().join("history.jsonl")).unwrap();
    assert!(log.contains("Zoë Núñez"), "{log}");

    // Malformed: refused with the header named, nothing stored.
    for bad in ["%5B%22a", "%5B%22%22%5D", "%5B%22a%0Ab%22%5D"] {
        let mut req = post(&format!("{FILES}/students"), Some("jdoe"), STUDENTS_FILE);
        req.headers_mut().insert("x-follow-ups", bad.parse().unwrap());
        let (status, err) = call(&app, req).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {err}");
        assert!(err["error"].as_str().unwrap_or_default().starts_with("X-Follow-Ups: "), "{err}");
    }
    let (_, history) = call(&app, get("/api/applications/A-1001/history")).await;
    assert_eq!(history.as_array().unwrap().len(), 1, "{history}");
}
