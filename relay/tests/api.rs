//! The HTTP API, driven with `oneshot` (no socket), delivering to a local outbox.

mod common;

use std::fs;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use writeback_auth::Permission;
use writeback_core::application::ApplicationStatus;
use writeback_core::flatfile::FileKind;
use writeback_relay::{app, AppState, Config};

const WRITEBACK: &str = "/api/applications/A-1001/writeback";

#[tokio::test]
async fn lists_and_serves_applications_to_signed_in_staff() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let token = writer(demo.path());

    let (status, list) = call(&app, get("/api/applications", Some(&token))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list,
        json!([
            {"id": "A-1001", "status": "approved", "student_name": "Annie Rivera", "student_number": "100234",
             "school_id": 101, "submitted_at": "2026-08-01T10:00:00Z", "enrollment_written_back": true,
             "family_batch": null, "written_back": []},
            {"id": "A-1002", "status": "submitted", "student_name": "Chen", "student_number": null,
             "school_id": 101, "submitted_at": "2026-08-02T10:00:00Z", "enrollment_written_back": false,
             "family_batch": null, "written_back": []},
        ])
    );

    let (status, one) = call(&app, get("/api/applications/A-1001", Some(&token))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["student"]["legal_first_name"], "Ana María");

    let (status, err) = call(&app, get("/api/applications/A-9999", Some(&token))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(err["error"], "no application \"A-9999\"");
    let (status, _) = call(&app, get("/api/applications/A-9999/history", Some(&token))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, err) = call(&app, get("/api/nothing", Some(&token))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(err["error"].is_string());
    // The district is never served whole.
    for gone in ["/api/snapshot", "/api/mappings", "/api/district"] {
        let (status, _) = call(&app, get(gone, Some(&token))).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
    }
}

/// Every route: 401 without a valid token, 403 without the permission.
#[tokio::test]
async fn every_route_checks_who_is_calling() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let other_keys = demo_dir();
    let forged = writer(other_keys.path());
    let nobody = token_for(demo.path(), "guest", &[]);
    let courses_only = token_for(demo.path(), "cw", &[Permission::ApplicationCourseWriteback]);
    let writeback_only = token_for(demo.path(), "aw", &[Permission::ApplicationWriteback]);
    let reads = [
        "/api/applications",
        "/api/applications/A-1001",
        "/api/applications/A-1001/review",
        "/api/applications/A-1001/history",
    ];
    for uri in reads {
        let (status, err) = call(&app, get(uri, None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}");
        assert!(err["error"].as_str().unwrap().contains("Authorization: Bearer"), "{uri}: {err}");
        let (status, err) = call(&app, get(uri, Some(&forged))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}");
        assert!(err["error"].as_str().unwrap().contains("not signed by"), "{uri}: {err}");
        let (status, err) = call(&app, get(uri, Some("garbage"))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}: {err}");
        let (status, err) = call(&app, get(uri, Some(&nobody))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}: {err}");
        for t in [&courses_only, &writeback_only] {
            let (status, err) = call(&app, get(uri, Some(t))).await;
            assert_eq!(status, StatusCode::OK, "{uri}: {err}");
        }
    }
    let res = tower::ServiceExt::oneshot(app.clone(), get("/api/applications", None)).await.unwrap();
    assert_eq!(res.headers()["www-authenticate"], "Bearer realm=\"writeback\"");

    let writes = [
        (WRITEBACK, Permission::ApplicationWriteback),
        ("/api/applications/A-1001/course-writeback", Permission::ApplicationCourseWriteback),
    ];
    for (uri, needs) in writes {
        let (status, _) = call(&app, post_json(uri, None, "{}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}");
        let (status, _) = call(&app, post_json(uri, Some(&forged), "{}")).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{uri}");
        let lacking = if needs == Permission::ApplicationWriteback { &courses_only } else { &writeback_only };
        let (status, err) = call(&app, post_json(uri, Some(lacking), "{}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}: {err}");
        assert!(err["error"].as_str().unwrap().contains(needs.as_str()), "{uri}: {err}");
    }
    // The host's and IT's routes: staff tokens are not enough.
    let admin_and_intake = [
        ("GET", "/api/admin/status", Permission::Administration),
        ("POST", "/api/admin/reload", Permission::Administration),
        ("PUT", "/api/intake/applications/A-1001", Permission::ApplicationIntake),
    ];
    for (method, uri, needs) in admin_and_intake {
        let req = |token: Option<&str>| {
            let mut r = axum::http::Request::builder().method(method).uri(uri).header("host", HOST);
            if let Some(t) = token {
                r = r.header("authorization", format!("Bearer {t}"));
            }
            r.body(axum::body::Body::from("{}")).unwrap()
        };
        let (status, _) = call(&app, req(None)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri}");
        let (status, _) = call(&app, req(Some(&forged))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {uri}");
        let (status, err) = call(&app, req(Some(&writer(demo.path())))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {uri}: {err}");
        assert!(err["error"].as_str().unwrap().contains(needs.as_str()), "{method} {uri}: {err}");
    }
    // Nothing was opened or stored by refused calls.
    assert_eq!(names_in(&data.path().join("spool")), Vec::<String>::new());
}

#[tokio::test]
async fn expired_and_long_lived_tokens_are_refused() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let signer =
        writeback_auth::Signer::from_pem(&fs::read(demo.path().join("keys/signing.pem")).unwrap(), None).unwrap();
    let request = writeback_auth::TokenRequest {
        staff_id: "jdoe".into(),
        name: "J Doe".into(),
        permissions: vec![Permission::ApplicationWriteback.as_str().into()],
        ttl_seconds: 300,
    };
    let old = signer.sign(&request, writeback_auth::now() - 3600).unwrap();
    let (status, err) = call(&app, get("/api/applications", Some(&old))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(err["error"].as_str().unwrap().contains("expired"), "{err}");
    // A relay that pins the issuer refuses tokens without it.
    let pinned = router(&config(demo.path(), data.path(), &["--auth-issuer", "https://enroll.example.org"]));
    let (status, err) = call(&pinned, get("/api/applications", Some(&writer(demo.path())))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{err}");
}

#[tokio::test]
async fn review_data_is_one_application_and_is_audited() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let cfg = config(demo.path(), data.path(), &[]);
    let state = AppState::start(&cfg).unwrap();
    let app = app(state.clone());
    let token = writer(demo.path());
    let (status, review) = call(&app, get("/api/applications/A-1001/review", Some(&token))).await;
    assert_eq!(status, StatusCode::OK, "{review}");
    assert_eq!(review["application"]["id"], "A-1001");
    assert_eq!(review["snapshot"]["students"][0]["student_number"], "100234");
    assert_eq!(review["snapshot"]["students"].as_array().unwrap().len(), 1);
    assert_eq!(review["mappings"]["student_fields"][0]["target"], "[StudentCoreFields]PSCore_Legal_First_Name");
    let log = state.audit_log(None, 10).unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(
        (log[0].action.as_str(), log[0].application_id.as_str(), log[0].staff_id.as_str()),
        ("opened", "A-1001", "jdoe")
    );
}

#[tokio::test]
async fn accepts_stores_and_delivers_what_the_review_writes() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let outbox = data.path().join("outbox");
    let cfg = config(demo.path(), data.path(), &[]);
    let state = AppState::start(&cfg).unwrap();
    let app = app(state.clone());
    let token = writer(demo.path());

    let (status, entries) = call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::CREATED, "{entries}");
    let entry = &entries[0];
    assert_eq!(entries.as_array().unwrap().len(), 1);
    assert_eq!(entry["id"], 1);
    assert_eq!(entry["application_id"], "A-1001");
    assert_eq!(entry["kind"], "students");
    assert_eq!(entry["rows"], 1);
    assert_eq!(entry["submitted_by"], "Staff jdoe (jdoe)");
    assert_eq!(entry["status"], "accepted");
    let outbox_abs = fs::canonicalize(&outbox).unwrap();
    assert_eq!(entry["destination"], format!("outbox {}", outbox_abs.display()));
    let name = entry["file_name"].as_str().unwrap().to_string();
    let submitted_at = entry["submitted_at"].as_str().unwrap();
    assert_eq!(submitted_at.len(), 20, "{submitted_at}");
    let compact: String = submitted_at[..19].chars().filter(|c| *c != '-' && *c != ':').collect();
    assert_eq!(name, format!("writeback_students_A-1001_{compact}_1.txt"));

    // Stored durably before the reply: the spool holds the exact bytes.
    assert_eq!(fs::read(data.path().join("spool").join(&name)).unwrap(), STUDENTS_FILE.as_bytes());
    assert_eq!(state.store().entry(1).unwrap().unwrap().file_name.as_deref(), Some(name.as_str()));

    let delivered = wait_for_status(&app, &token, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    assert!(delivered["delivered_at"].as_str().unwrap().ends_with('Z'), "{delivered}");
    assert_eq!(fs::read(outbox.join(&name)).unwrap(), STUDENTS_FILE.as_bytes());
    assert_eq!(names_in(&outbox), [name.as_str()], "no temporary file is left");

    let (_, history) = call(&app, get("/api/applications/A-1001/history", Some(&token))).await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    let (_, other) = call(&app, get("/api/applications/A-1002/history", Some(&token))).await;
    assert_eq!(other, json!([]));
    // The list says what was written back, by whom and when.
    let (_, list) = call(&app, get("/api/applications", Some(&token))).await;
    assert_eq!(
        list[0]["written_back"],
        json!([{"kind": "students", "by": "Staff jdoe (jdoe)", "at": submitted_at, "status": "delivered"}])
    );
    assert_eq!(list[1]["written_back"], json!([]));
    let audit = state.audit_log(Some("A-1001"), 10).unwrap();
    assert_eq!(audit.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(), ["submitted"]);
    assert_eq!(audit[0].detail, "students file 1");
}

/// The relay writes only what the core writes for the application: any
/// other file (bad dates, unmapped or protected columns, another student,
/// formula injection, NUL) is refused with the first difference named.
#[tokio::test]
async fn refuses_files_the_review_does_not_write_and_stores_nothing() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let token = writer(demo.path());
    let tampered = [
        STUDENTS_FILE.replace("Ana María", "=HYPERLINK(\"http://x\")"),
        STUDENTS_FILE.replace("100234", "100999"),
        STUDENTS_FILE.replace("100234", " 100234"),
        STUDENTS_FILE.replace("Ana María", "Ana\u{0}María"),
        "Student_Number\tSchoolID\tDOB\n100234\t101\tnot-a-date\n".to_string(),
        "Student_Number\tSchoolID\tGrade_Level\n100234\t101\t12\n".to_string(),
        "Student_Number\tSchoolID\tEnroll_Status\n100234\t101\t-1\n".to_string(),
        STUDENTS_FILE.replace("\t101\t", "\t999\t"),
    ];
    for file in &tampered {
        let (status, err) = call(&app, writeback("A-1001", &token, &[("students", file)])).await;
        assert_eq!(status, StatusCode::CONFLICT, "{file:?}: {err}");
        let msg = err["error"].as_str().unwrap();
        assert!(msg.contains("the students file differs from what the review writes, first at line"), "{msg}");
    }
    let (status, err) = call(&app, writeback("A-1001", &token, &[("contacts", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert!(err["error"].as_str().unwrap().contains("the review writes [students], but [contacts] was sent"), "{err}");
    let (status, _) = call(&app, writeback("A-1001", &token, &[])).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) =
        call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE), ("students", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Malformed requests.
    let bad = |body: &str| post_json(WRITEBACK, Some(&token), body.to_string());
    let (status, err) = call(&app, bad("{\"decisions\": {}, \"files\": []}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(err["error"].as_str().unwrap().contains("missing field `today`"), "{err}");
    let (status, err) =
        call(&app, bad("{\"decisions\": {\"nope\": 1}, \"today\": \"2026-01-01\", \"files\": []}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    let (status, err) = call(&app, bad("not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    let body = json!({"decisions": {}, "today": "2020-01-01", "files": [{"kind": "students", "text": STUDENTS_FILE}]});
    let (status, err) = call(&app, bad(&body.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"].as_str().unwrap().contains("is not today"), "{err}");
    let body = json!({"decisions": {"demographics": {"legal_first_name": "ignore"}}, "today": today().to_string(), "files": []});
    let (status, err) = call(&app, bad(&body.to_string())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["error"].as_str().unwrap().contains("nothing to write"), "{err}");
    let huge = "x".repeat(writeback_relay::routes::MAX_SUBMISSION_BYTES + 1);
    let (status, err) = call(&app, bad(&huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(err["error"].as_str().unwrap().contains("MiB"), "{err}");

    let (status, err) = call(&app, writeback("A-9999", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
    let (status, err) = call(&app, writeback("A-1002", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(err["error"].as_str().unwrap().contains("not approved"), "{err}");

    assert_eq!(names_in(&data.path().join("spool")), Vec::<String>::new());
    let (_, history) = call(&app, get("/api/applications/A-1001/history", Some(&token))).await;
    assert_eq!(history, json!([]));
}

/// After a crash between storing and recording the delivery, a restart
/// delivers what was not delivered, and does not deliver twice what was.
#[tokio::test]
async fn a_restart_requeues_undelivered_files_exactly_once() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let outbox = data.path().join("outbox");
    let cfg = config(demo.path(), data.path(), &[]);
    let token = writer(demo.path());
    let app = router(&cfg);
    let (status, entries) = call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::CREATED);
    let name = entries[0]["file_name"].as_str().unwrap().to_string();
    wait_for_status(&app, &token, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    drop(app);

    // Crash before the file reached the outbox: it is delivered on restart.
    forget_delivery(data.path(), 1);
    fs::remove_file(outbox.join(&name)).unwrap();
    let app = router(&cfg);
    let entry = wait_for_status(&app, &token, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    assert!(entry["detail"].is_null(), "no note on a plain delivery: {entry}");
    assert_eq!(fs::read(outbox.join(&name)).unwrap(), STUDENTS_FILE.as_bytes());
    drop(app);

    // Crash after the rename: the file is there, so it is not written again.
    forget_delivery(data.path(), 1);
    fs::write(outbox.join(&name), b"sentinel").unwrap();
    let app = router(&cfg);
    let entry = wait_for_status(&app, &token, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    assert!(entry["detail"].as_str().unwrap().contains("already at the destination"), "{entry}");
    assert_eq!(fs::read(outbox.join(&name)).unwrap(), b"sentinel");

    // Ids keep increasing across restarts.
    let (_, next) = call(&app, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(next[0]["id"], 2);
}

#[tokio::test]
async fn refuses_to_start_on_bad_demo_data_or_without_a_key() {
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
    assert!(err.contains("mappings.json: student field \"x\""), "{err}");
    // A bad value in one row of PowerSchool's data is a warning, not a refusal.
    assert!(!err.contains("Schools.txt"), "{err}");
    // A broken export set (a required column missing) is refused, located.
    let demo = demo_dir();
    fs::write(demo.path().join("snapshot").join("Schools.txt"), "SchoolNo\tName\n101\tLincoln\n").unwrap();
    let err = AppState::start(&config(demo.path(), data.path(), &[])).unwrap_err().to_string();
    assert!(err.contains("snapshot/Schools.txt:1:0: missing required column \"School_Number\""), "{err}");
    // A bad row alone: the relay starts, and says so.
    let demo = demo_dir();
    let schools = demo.path().join("snapshot").join("Schools.txt");
    let good = fs::read_to_string(&schools).unwrap();
    fs::write(&schools, format!("{good}abc\tBroken\n")).unwrap();
    let state = AppState::start(&config(demo.path(), data.path(), &[])).unwrap();
    assert_eq!(state.data().warnings.len(), 1, "{:?}", state.data().warnings);
    assert!(
        state.data().warnings[0].starts_with("snapshot/Schools.txt:3:1: School_Number"),
        "{:?}",
        state.data().warnings
    );

    // With a good snapshot, the mapping problem is listed too.
    let demo = demo_dir();
    fs::write(
        demo.path().join("mappings.json"),
        r#"{"student_fields":[{"form_field":"x","label":"X","target":"[StudentCoreFields]No_Such_Field"}]}"#,
    )
    .unwrap();
    let err = AppState::start(&config(demo.path(), data.path(), &[])).unwrap_err().to_string();
    assert!(err.contains("mappings.json: student field \"x\""), "{err}");

    // No key, or not a key: the relay does not start.
    let demo = demo_dir();
    let args =
        ["writeback-relay", "--demo", demo.path().to_str().unwrap(), "--data-dir", data.path().to_str().unwrap()];
    let err = AppState::start(&<Config as clap::Parser>::try_parse_from(args).unwrap()).unwrap_err().to_string();
    assert!(err.contains("--auth-public-key: required"), "{err}");
    fs::write(demo.path().join("keys/verify.pem"), "not a key").unwrap();
    let err = AppState::start(&config(demo.path(), data.path(), &[])).unwrap_err().to_string();
    assert!(err.contains("--auth-public-key") && err.contains("not an Ed25519 key"), "{err}");
    // The demo token endpoint is for loopback only.
    let demo = demo_dir();
    let signing = demo.path().join("keys/signing.pem");
    let err = AppState::start(&config(
        demo.path(),
        data.path(),
        &["--listen", "0.0.0.0:8080", "--demo-signing-key", signing.to_str().unwrap()],
    ))
    .unwrap_err()
    .to_string();
    assert!(err.contains("only on a loopback address"), "{err}");
}

#[tokio::test]
async fn serves_the_ui_with_security_headers_compression_and_cache() {
    let (demo, data, dist) = (demo_dir(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let index = "<!doctype html><title>writeback</title><script type=\"module\">import init from '/app-0123456789abcdef.js';</script>";
    fs::write(dist.path().join("index.html"), index).unwrap();
    fs::write(dist.path().join("app-0123456789abcdef.js"), "x".repeat(4000)).unwrap();
    let cfg: Config = config(demo.path(), data.path(), &["--dist", dist.path().to_str().unwrap()]);
    let app = router(&cfg);
    for (uri, body, cache) in [
        ("/", "<!doctype html>", "no-cache"),
        ("/app-0123456789abcdef.js", "xxxx", "public, max-age=31536000, immutable"),
        ("/review/A-1001", "<!doctype html>", "no-cache"),
    ] {
        let res = tower::ServiceExt::oneshot(app.clone(), get(uri, None)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert_eq!(res.headers()["cache-control"], cache, "{uri}");
        assert_eq!(res.headers()["x-content-type-options"], "nosniff");
        assert_eq!(res.headers()["referrer-policy"], "no-referrer");
        let csp = res.headers()["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        let bytes = http_body_util::BodyExt::collect(res.into_body()).await.unwrap().to_bytes();
        assert!(String::from_utf8_lossy(&bytes).starts_with(body), "{uri}");
    }
    let mut req = get("/app-0123456789abcdef.js", None);
    req.headers_mut().insert("accept-encoding", "gzip".parse().unwrap());
    let res = tower::ServiceExt::oneshot(app.clone(), req).await.unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
    let res =
        tower::ServiceExt::oneshot(app.clone(), get("/api/applications", Some(&writer(demo.path())))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store", "student data is never cached");
}

/// Only the relay's own Host (no DNS rebinding), writes only from allowed
/// origins, CORS only for the configured host pages.
#[tokio::test]
async fn host_origin_and_cors_are_checked() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &["--allowed-origin", "https://enroll.example.org"]));
    let token = writer(demo.path());
    let mut req = get("/api/applications", Some(&token));
    req.headers_mut().insert("host", "evil.example:8080".parse().unwrap());
    let (status, err) = call(&app, req).await;
    assert_eq!(status, StatusCode::MISDIRECTED_REQUEST, "{err}");
    let mut req = writeback("A-1001", &token, &[("students", STUDENTS_FILE)]);
    req.headers_mut().insert("origin", "https://evil.example".parse().unwrap());
    let (status, err) = call(&app, req).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert!(err["error"].as_str().unwrap().contains("--allowed-origin"), "{err}");

    let preflight = |origin: &str| {
        axum::http::Request::options("/api/applications")
            .header("host", HOST)
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .body(axum::body::Body::empty())
            .unwrap()
    };
    let res = tower::ServiceExt::oneshot(app.clone(), preflight("https://enroll.example.org")).await.unwrap();
    assert_eq!(res.headers()["access-control-allow-origin"], "https://enroll.example.org");
    let res = tower::ServiceExt::oneshot(app.clone(), preflight("https://evil.example")).await.unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
    // A submission's preflight: POST with the token, a JSON body and its retry key.
    let submission = axum::http::Request::options("/api/applications/A-1001/writeback")
        .header("host", HOST)
        .header("origin", "https://enroll.example.org")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "authorization,content-type,idempotency-key")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.clone(), submission).await.unwrap();
    let allowed = res.headers()["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(allowed.contains("idempotency-key"), "the retry key may be sent across origins: {allowed}");

    let mut req = writeback("A-1001", &token, &[("students", STUDENTS_FILE)]);
    req.headers_mut().insert("origin", "https://enroll.example.org".parse().unwrap());
    let (status, err) = call(&app, req).await;
    assert_eq!(status, StatusCode::CREATED, "{err}");
}

#[tokio::test]
async fn each_staff_member_is_rate_limited() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let token = writer(demo.path());
    let mut limited = None;
    for i in 0..=writeback_relay::REQUESTS_PER_MINUTE + 5 {
        let (status, err) = call(&app, get("/api/applications/A-1001/history", Some(&token))).await;
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert!(err["error"].as_str().unwrap().contains("too many requests"), "{err}");
            limited = Some(i);
            break;
        }
        assert_eq!(status, StatusCode::OK);
    }
    let at = limited.expect("the limit was never reached");
    assert!(at >= writeback_relay::REQUESTS_PER_MINUTE - 1, "limited after {at} requests");
    // Another staff member is not affected.
    let (status, _) =
        call(&app, get("/api/applications", Some(&token_for(demo.path(), "other", &Permission::STAFF)))).await;
    assert_eq!(status, StatusCode::OK);
}

/// The course writeback over a generated district: the relay recomputes it
/// from the decisions; the file must be what the core writes.
#[tokio::test]
async fn a_course_writeback_is_recomputed_recorded_and_delivered() {
    use writeback_core::courses::{Approval, CourseDecision};

    let (dir, demo) = generated_demo_dir(300);
    let data = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), data.path(), &[]);
    let app = router(&cfg);
    let token = writer(dir.path());
    let (district, slices, reviewer) = reviewing(&demo);
    // An approved application with a course that has a section to approve.
    let (application, decisions, expected) = demo
        .applications
        .iter()
        .filter(|a| a.status == writeback_core::application::ApplicationStatus::Approved && a.courses.len() >= 2)
        .find_map(|a| {
            let review =
                slices.review_data(&district, a, &demo.applications, &reviewer, &[]).prepare(&reviewer).ok()?;
            let mut d = writeback_core::plan::Decisions::default();
            let first = &a.courses[0];
            let section = review.courses().picker(&first.course_number, None, None, None).sections.first()?.section_id;
            d.courses.insert(
                first.course_number.trim().into(),
                CourseDecision {
                    section_id: Some(section),
                    entry_date: None,
                    approval: Approval::Approved,
                    confirm_full: true,
                },
            );
            let second = a.courses[1].course_number.trim().to_string();
            d.courses.insert(
                second,
                CourseDecision { section_id: None, entry_date: None, approval: Approval::Denied, confirm_full: false },
            );
            let decided = review.decide(&d);
            let file = decided.courses.file.clone()?;
            decided.courses.blocking.is_empty().then(|| (a.id.to_string(), d, file.text))
        })
        .expect("the demo has an approved application with courses to write");
    let uri = format!("/api/applications/{application}/course-writeback");
    let body =
        |file: Option<&str>| json!({"decisions": decisions, "today": today().to_string(), "file": file}).to_string();

    // Another file than the core's: refused, nothing stored.
    let tampered = expected.replacen('\t', "\t=1+1", 1);
    let (status, err) = call(&app, post_json(&uri, Some(&token), body(Some(&tampered)))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    let (status, err) = call(&app, post_json(&uri, Some(&token), body(None))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert!(err["error"].as_str().unwrap().contains("the review writes [schedules], but [] was sent"), "{err}");
    assert_eq!(names_in(&data.path().join("spool")), Vec::<String>::new());

    let (status, entry) = call(&app, post_json(&uri, Some(&token), body(Some(&expected)))).await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    assert_eq!(entry["kind"], "schedules");
    assert_eq!(entry["courses_written"].as_array().unwrap().len(), 1);
    assert_eq!(entry["courses_denied"].as_array().unwrap().len(), 1);
    assert!(entry["expected_pickup"].as_str().unwrap().contains(" at "), "{entry}");
    let delivered = wait_for_status(&app, &token, &application, 1, "delivered", Duration::from_secs(10)).await;
    let name = delivered["file_name"].as_str().unwrap();
    assert_eq!(fs::read_to_string(data.path().join("outbox").join(name)).unwrap(), expected);

    // The same enrolments again (a second clerk, another tab) would enrol the
    // student twice: refused, saying what was written, unless marked a correction.
    let (status, err) = call(&app, post_json(&uri, Some(&token), body(Some(&expected)))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    let said = err["error"].as_str().unwrap();
    assert!(
        said.contains("were written back already (entry 1, ") && said.contains("mark this submission as a correction"),
        "{said}"
    );
    let mut correction: Value = serde_json::from_str(&body(Some(&expected))).unwrap();
    correction["correction"] = json!(true);
    let (status, entry) = call(&app, post_json(&uri, Some(&token), correction.to_string())).await;
    assert_eq!((status, entry["id"].as_u64()), (StatusCode::CREATED, Some(2)), "{entry}");

    // Denying every course: recorded without a file.
    let mut deny = decisions.clone();
    for d in deny.courses.values_mut() {
        *d = CourseDecision { section_id: None, entry_date: None, approval: Approval::Denied, confirm_full: false };
    }
    let body = json!({"decisions": deny, "today": today().to_string(), "file": null}).to_string();
    let (status, entry) = call(&app, post_json(&uri, Some(&token), body)).await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    assert_eq!((entry["status"].as_str(), entry["rows"].as_u64()), (Some("recorded"), Some(0)));
    assert_eq!(entry["courses_written"], json!([]));

    // Nothing decided: refused.
    let body = json!({"decisions": {}, "today": today().to_string(), "file": null}).to_string();
    let (status, err) = call(&app, post_json(&uri, Some(&token), body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
}

#[tokio::test]
async fn course_writeback_is_off_without_the_district_switch() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let body = json!({"decisions": {}, "today": today().to_string(), "file": null}).to_string();
    let (status, err) =
        call(&app, post_json("/api/applications/A-1001/course-writeback", Some(&writer(demo.path())), body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");
    assert!(err["error"].as_str().unwrap().contains("not turned on"), "{err}");
}

/// The host system hands applications over with a service token; they are
/// validated (the field named), kept in the database across restarts, and
/// reviewable at once.
#[tokio::test]
async fn the_host_hands_over_applications() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let cfg = config(demo.path(), data.path(), &[]);
    let app = router(&cfg);
    let host = token_for(demo.path(), "enrollment-system", &[Permission::ApplicationIntake]);
    let staff = writer(demo.path());
    let put = |id: &str, token: Option<&str>, body: &str| {
        let mut req = axum::http::Request::put(format!("/api/intake/applications/{id}"))
            .header("host", HOST)
            .header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        req.body(axum::body::Body::from(body.to_string())).unwrap()
    };
    let a3 = r#"{"id":"A-1003","status":"approved","enrollment_written_back":true,"student_number":"100234",
        "school_id":101,"submitted_at":"2026-11-01T10:00:00Z","student":{"legal_first_name":"Ana Sofía"},
        "contacts":[],"courses":[]}"#;
    let (status, _) = call(&app, put("A-1003", None, a3)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, err) = call(&app, put("A-1003", Some(&staff), a3)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "staff cannot hand over applications: {err}");
    let (status, err) = call(&app, put("A-1003", Some(&host), &a3.replace("\"approved\"", "\"aproved\""))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["error"].as_str().unwrap().contains("status") || err["error"].as_str().unwrap().contains("aproved"),
        "{err}"
    );
    let (status, err) = call(&app, put("A-1003", Some(&host), &a3.replace("\"school_id\"", "\"school\""))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"].as_str().unwrap().contains("school"), "{err}");
    let (status, err) = call(&app, put("A-9", Some(&host), a3)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"].as_str().unwrap().starts_with("id:"), "{err}");

    let (status, created) = call(&app, put("A-1003", Some(&host), a3)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, review) = call(&app, get("/api/applications/A-1003/review", Some(&staff))).await;
    assert_eq!(status, StatusCode::OK, "{review}");
    assert_eq!(review["application"]["student"]["legal_first_name"], "Ana Sofía");
    let replaced = a3.replace("Ana Sofía", "Ana Lucía");
    let (status, _) = call(&app, put("A-1003", Some(&host), &replaced)).await;
    assert_eq!(status, StatusCode::OK);
    drop(app);

    // Kept in the relay's database: there after a restart.
    let app = router(&cfg);
    let (status, one) = call(&app, get("/api/applications/A-1003", Some(&staff))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["student"]["legal_first_name"], "Ana Lucía");
    let (_, list) = call(&app, get("/api/applications", Some(&staff))).await;
    assert_eq!(list.as_array().unwrap().len(), 3, "{list}");
}

/// A new export set replaces the old one once it loads; a broken one is
/// refused with every problem located, and the old one stays in service.
#[tokio::test]
async fn exports_are_reloaded_and_broken_ones_kept_out() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &["--reload-interval-seconds", "0"]));
    let admin = token_for(demo.path(), "it", &[Permission::Administration]);
    let staff = writer(demo.path());
    let reload = || post_json("/api/admin/reload", Some(&admin), "");
    let (status, err) = call(&app, post_json("/api/admin/reload", Some(&staff), "")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{err}");

    // PowerSchool renamed the student: after the reload the review shows it.
    let students = demo.path().join("snapshot/Students.txt");
    let text = fs::read_to_string(&students).unwrap();
    fs::write(&students, text.replace("\tAna\t", "\tAnita\t")).unwrap();
    let (status, body) = call(&app, reload()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["students"], 1);
    let (_, review) = call(&app, get("/api/applications/A-1001/review", Some(&staff))).await;
    assert_eq!(review["snapshot"]["students"][0]["first_name"], "Anita");

    // A bad value in a row: a located warning, the rest in service.
    let schools = demo.path().join("snapshot/Schools.txt");
    let good_schools = fs::read_to_string(&schools).unwrap();
    fs::write(&schools, format!("{good_schools}abc\tBroken School\n")).unwrap();
    let (status, body) = call(&app, reload()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["warnings"], 1, "{body}");
    assert!(body["first_warnings"][0].as_str().unwrap().starts_with("snapshot/Schools.txt:3:1:"), "{body}");

    // A broken set (a required column gone): refused, located, old one kept.
    fs::write(&schools, good_schools.replace("School_Number", "SchoolNo")).unwrap();
    let (status, err) = call(&app, reload()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = err["error"].as_str().unwrap();
    assert!(msg.contains("snapshot/Schools.txt:1:0: missing required column"), "{msg}");
    assert!(msg.contains("previous ones stay in service"), "{msg}");
    let (_, review) = call(&app, get("/api/applications/A-1001/review", Some(&staff))).await;
    assert_eq!(review["snapshot"]["students"][0]["first_name"], "Anita", "the previous export set still serves");
    let (_, status_body) = call(&app, get("/api/admin/status", Some(&admin))).await;
    assert!(!status_body["last_reload"]["problems"].as_array().unwrap().is_empty(), "{status_body}");
}

/// Without anyone asking, the relay picks a new export set up once its
/// files stop changing.
#[tokio::test]
async fn the_snapshot_folder_is_watched() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &["--reload-interval-seconds", "1"]));
    let staff = writer(demo.path());
    let students = demo.path().join("snapshot/Students.txt");
    let text = fs::read_to_string(&students).unwrap();
    fs::write(&students, text.replace("\tAna\t", "\tAnabel\t")).unwrap();
    let start = std::time::Instant::now();
    loop {
        let (_, review) = call(&app, get("/api/applications/A-1001/review", Some(&staff))).await;
        if review["snapshot"]["students"][0]["first_name"] == "Anabel" {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "the new export was not picked up: {review}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// A retry with the same idempotency key (a lost response, a double click)
/// gets the first answer back and stores nothing new; the same key for
/// another request, or no key, is refused.
#[tokio::test]
async fn a_retried_submission_is_stored_once() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let state = AppState::start(&config(demo.path(), data.path(), &[])).unwrap();
    let app = writeback_relay::app(state.clone());
    let token = writer(demo.path());
    let files = [("students", STUDENTS_FILE)];

    let first = app.clone().oneshot(writeback_keyed("A-1001", &token, "click-1", &files)).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(first.headers().get("idempotent-replayed").is_none());
    wait_for_status(&app, &token, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    // Two more at once with the same key, as a double click would send them.
    let (a, b) = tokio::join!(
        app.clone().oneshot(writeback_keyed("A-1001", &token, "click-1", &files)),
        app.clone().oneshot(writeback_keyed("A-1001", &token, "click-1", &files)),
    );
    for res in [a.unwrap(), b.unwrap()] {
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(res.headers()["idempotent-replayed"], "true");
        let body: Value = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
        assert_eq!(body.as_array().unwrap().len(), 1, "{body}");
        assert_eq!((body[0]["id"].as_u64(), body[0]["status"].as_str()), (Some(1), Some("delivered")), "{body}");
    }
    assert_eq!(names_in(&data.path().join("spool")).len(), 1);
    assert_eq!(names_in(&data.path().join("outbox")).len(), 1);

    // The same key for a different request.
    let other = STUDENTS_FILE.replace("Ana María", "Ana");
    let (status, err) = call(&app, writeback_keyed("A-1001", &token, "click-1", &[("students", &other)])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert!(err["error"].as_str().unwrap().contains("was already used for another submission (entries 1)"), "{err}");
    // Another staff member's key of the same name is theirs.
    let dana = token_for(demo.path(), "dana", &Permission::STAFF);
    let (status, entries) = call(&app, writeback_keyed("A-1001", &dana, "click-1", &files)).await;
    assert_eq!((status, entries[0]["id"].as_u64()), (StatusCode::CREATED, Some(2)), "{entries}");

    // No key, or a key that is not one.
    for key in [None, Some(""), Some("a b"), Some(&*"k".repeat(201))] {
        let mut req = Request::post(WRITEBACK)
            .header("host", HOST)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json");
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        let (status, err) = call(&app, req.body(Body::from(writeback_body(&files))).unwrap()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{key:?}: {err}");
        assert!(err["error"].as_str().unwrap().contains("Idempotency-Key header"), "{err}");
    }
    let (_, history) = call(&app, get("/api/applications/A-1001/history", Some(&token))).await;
    assert_eq!(history.as_array().unwrap().len(), 2, "{history}");
    let audit = state.audit_log(Some("A-1001"), 10).unwrap();
    let actions: Vec<&str> = audit.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["submitted", "retried", "retried", "submitted"]);
}

/// Delivered files' bytes leave the spool after the retention period;
/// their history stays.
#[tokio::test]
async fn delivered_files_leave_the_spool_after_the_retention() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let state = AppState::start(&config(demo.path(), data.path(), &["--spool-retention-days", "0"])).unwrap();
    let relay = app(state.clone());
    let token = writer(demo.path());
    let (status, _) = call(&relay, writeback("A-1001", &token, &[("students", STUDENTS_FILE)])).await;
    assert_eq!(status, StatusCode::CREATED);
    wait_for_status(&relay, &token, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(writeback_relay::sweep_spool(state.store(), Duration::ZERO).unwrap(), 1);
    assert_eq!(names_in(&data.path().join("spool")), Vec::<String>::new());
    let entry = wait_for_status(&relay, &token, "A-1001", 1, "delivered", Duration::from_secs(1)).await;
    assert_eq!(entry["rows"], 1);
    // Kept for 30 days by default: nothing is removed yet.
    let (demo2, data2) = (demo_dir(), tempfile::tempdir().unwrap());
    let state2 = AppState::start(&config(demo2.path(), data2.path(), &[])).unwrap();
    let relay2 = app(state2.clone());
    let token2 = writer(demo2.path());
    call(&relay2, writeback("A-1001", &token2, &[("students", STUDENTS_FILE)])).await;
    wait_for_status(&relay2, &token2, "A-1001", 1, "delivered", Duration::from_secs(10)).await;
    let keep = Duration::from_secs(30 * 86_400);
    assert_eq!(writeback_relay::sweep_spool(state2.store(), keep).unwrap(), 0);
    assert_eq!(names_in(&data2.path().join("spool")).len(), 1);
}

/// Delivery targets and the district's time zone are checked with the rest
/// of the settings: a broken one keeps the relay from starting (or a reload
/// from replacing the data in service), each problem named.
#[tokio::test]
async fn bad_delivery_settings_are_refused_with_each_problem_named() {
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    fs::write(
        demo.path().join("district.json"),
        r#"{"time_zone": "America/Chicgo", "delivery": {
             "students": {"path": "/ps/students.txt", "columns": ["Student_Number", "SchoolID", "First_Name"],
                          "runs": {"days": ["mon"], "hour": 6}},
             "schedules": {"path": "cc.txt", "runs": {"days": [], "hour": 6}}}}"#,
    )
    .unwrap();
    let err = AppState::start(&config(demo.path(), data.path(), &[])).unwrap_err().to_string();
    for expected in [
        "district.json: time_zone: \"America/Chicgo\" is not an IANA time zone",
        "district.json: delivery.schedules.path: \"cc.txt\" is not an absolute path",
        "district.json: delivery.schedules.runs.days: no day: the import would never run",
        "district.json: delivery.students.columns: [StudentCoreFields]PSCore_Legal_First_Name (mapped from the form's \"legal_first_name\") is not in the list",
    ] {
        assert!(err.contains(expected), "{expected}\n---\n{err}");
    }
}

/// Staff search PowerSchool's persons from a block (signed in, audited
/// without the query), and a person picked from the results travels in the
/// slice as one of the block's candidates.
#[tokio::test]
async fn staff_search_persons_from_a_block_and_a_pick_joins_the_slice() {
    let (dir, demo) = generated_demo_dir(300);
    let data = tempfile::tempdir().unwrap();
    let state = AppState::start(&config(dir.path(), data.path(), &[])).unwrap();
    let app = app(state.clone());
    let token = writer(dir.path());
    let application = demo.applications.iter().find(|a| !a.contacts.is_empty()).expect("an application with contacts");
    let (id, block) = (application.id.to_string(), application.contacts[0].block.clone());
    // Someone who is no candidate of the block: the last person of the district.
    let (_, review) = call(&app, get(&format!("/api/applications/{id}/review"), Some(&token))).await;
    let listed: Vec<i64> = review["contact_matches"][0]["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["person_id"].as_i64().unwrap())
        .collect();
    let other = demo.snapshot.persons.iter().rev().find(|p| !listed.contains(&p.id.get())).unwrap();
    let q = format!("{} {}", other.first_name, other.last_name);
    let uri = |q: &str| format!("/api/applications/{id}/persons?block={block}&q={}", q.replace(' ', "%20"));

    let (status, _) = call(&app, get(&uri(&q), None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, found) = call(&app, get(&uri(&q), Some(&token))).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["query"], format!("the name {q}"));
    let ids: Vec<i64> = found["persons"].as_array().unwrap().iter().map(|c| c["person_id"].as_i64().unwrap()).collect();
    assert!(ids.contains(&other.id.get()), "{found}");
    assert!(found["persons"][0]["confidence"].is_string() && found["persons"][0]["reason"].is_string(), "{found}");
    let (status, err) = call(&app, get(&uri("x"), Some(&token))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert!(err["error"].as_str().unwrap().starts_with("type a name, a phone number or an email"), "{err}");
    let no_block = format!("/api/applications/{id}/persons?block=contact99&q=Smith");
    let (status, err) = call(&app, get(&no_block, Some(&token))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{err}");
    let log = state.audit_log(Some(&id), 10).unwrap();
    let searched: Vec<&str> =
        log.iter().filter(|r| r.action == "searched persons").map(|r| r.detail.as_str()).collect();
    assert_eq!(searched.len(), 1, "{log:?}");
    assert!(searched[0].starts_with(&format!("{block}: the name, ")), "{searched:?}");
    assert!(!searched[0].contains(&other.last_name), "the query is not kept: {searched:?}");

    // Picked: a candidate of the block, said to be picked, with its records in the slice.
    let picked = format!("/api/applications/{id}/review?picked={block}:{}", other.id);
    let (status, review) = call(&app, get(&picked, Some(&token))).await;
    assert_eq!(status, StatusCode::OK, "{review}");
    let candidates = review["contact_matches"][0]["candidates"].as_array().unwrap();
    let pick = candidates.iter().find(|c| c["person_id"] == other.id.get()).expect("the pick is a candidate");
    let evidence: Vec<&str> =
        pick["evidence"].as_array().unwrap().iter().map(|e| e["text"].as_str().unwrap()).collect();
    assert!(evidence.contains(&"picked by staff from a search of PowerSchool"), "{evidence:?}");
    let persons = review["snapshot"]["persons"].as_array().unwrap();
    assert!(persons.iter().any(|p| p["id"] == other.id.get()), "the person's records travel");
    let (status, err) = call(&app, get(&format!("/api/applications/{id}/review?picked=nonsense"), Some(&token))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
}

/// A writeback that confirms a person picked from a search is recomputed
/// with that pick (the relay derives it from the decisions) and accepted.
#[tokio::test]
async fn a_writeback_confirming_a_picked_person_is_accepted() {
    use writeback_core::contacts::ContactState;
    use writeback_core::domain::PersonId;
    use writeback_core::plan::Decisions;

    let (dir, demo) = generated_demo_dir(300);
    let data = tempfile::tempdir().unwrap();
    let app = router(&config(dir.path(), data.path(), &[]));
    let token = writer(dir.path());
    let (district, slices, reviewer) = reviewing(&demo);
    // An approved application whose first block, confirmed as a person no
    // one listed, leaves nothing blocking.
    let found = demo.applications.iter().filter(|a| a.status == ApplicationStatus::Approved).find_map(|a| {
        let block = a.contacts.first()?.block.clone();
        let plain = slices.review_data(&district, a, &demo.applications, &reviewer, &[]);
        let listed: Vec<PersonId> =
            plain.contact_matches.iter().flat_map(|m| m.candidates.iter().map(|c| c.person_id)).collect();
        let linked: Vec<PersonId> = plain.snapshot.persons.iter().map(|p| p.id).collect();
        let other = demo.snapshot.persons.iter().find(|p| !listed.contains(&p.id) && !linked.contains(&p.id))?.id;
        let picked = [(block.clone(), other)];
        let data = slices.review_data_picked(&district, a, &demo.applications, &reviewer, &[], &picked);
        let mut d = Decisions::default();
        for m in &data.contact_matches {
            let state = if m.block == block { ContactState::Confirmed(other) } else { ContactState::New };
            d.contacts.blocks.entry(m.block.clone()).or_default().state = Some(state);
        }
        let review = data.prepare(&reviewer).ok()?.decide(&d);
        let contacts = review.files.iter().find(|f| f.kind == FileKind::Contacts)?;
        (review.blockers.is_empty() && contacts.text.contains(&format!("\t{other}\t")))
            .then(|| (a.id.to_string(), d, review.files.clone()))
    });
    let (id, decisions, files) = found.expect("an application a pick can be written for");
    let files: Vec<Value> = files.iter().map(|f| serde_json::json!({"kind": f.kind, "text": f.text})).collect();
    let body = serde_json::json!({"decisions": decisions, "today": today().to_string(), "files": files});
    let uri = format!("/api/applications/{id}/writeback");
    let (status, entries) = call(&app, post_json_keyed(&uri, Some(&token), &new_key(), body.to_string())).await;
    assert_eq!(status, StatusCode::CREATED, "{entries}");
}

/// Sends `req` with `Accept: accept`; the status, content type and bytes.
async fn call_accepting(app: &axum::Router, mut req: Request<Body>, accept: &str) -> (StatusCode, String, Vec<u8>) {
    req.headers_mut().insert("accept", accept.parse().unwrap());
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let media = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (status, media, res.into_body().collect().await.unwrap().to_bytes().to_vec())
}

/// The widget reads the review data and person searches in binary: the
/// same values as the JSON, every field of every application's slice
/// (a field the binary skipped or flattened would shift every value after
/// it). A widget of another version is told to reload.
#[tokio::test]
async fn the_binary_review_data_and_search_equal_the_json() {
    use writeback_core::contacts::Found;
    use writeback_core::plan::ReviewData;
    use writeback_core::wire::REVIEW_DATA_BINARY;

    let (dir, demo) = generated_demo_dir(300);
    let data = tempfile::tempdir().unwrap();
    let app = router(&config(dir.path(), data.path(), &[]));
    let token = writer(dir.path());
    let mut compared = 0;
    for application in &demo.applications {
        let uri = format!("/api/applications/{}/review", application.id);
        let (status, json) = call(&app, get(&uri, Some(&token))).await;
        assert_eq!(status, StatusCode::OK, "{json}");
        let (status, media, bytes) = call_accepting(&app, get(&uri, Some(&token)), REVIEW_DATA_BINARY).await;
        assert_eq!((status, media.as_str()), (StatusCode::OK, REVIEW_DATA_BINARY));
        let decoded: ReviewData = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(serde_json::to_value(&decoded).unwrap(), json, "{}", application.id);
        assert!(bytes.len() < serde_json::to_vec(&json).unwrap().len() / 2, "{}: binary is smaller", application.id);
        compared += 1;

        let Some(block) = application.contacts.first() else { continue };
        let search = format!("/api/applications/{}/persons?block={}&q=Smith", application.id, block.block);
        let (_, json) = call(&app, get(&search, Some(&token))).await;
        let (status, media, bytes) = call_accepting(&app, get(&search, Some(&token)), REVIEW_DATA_BINARY).await;
        assert_eq!((status, media.as_str()), (StatusCode::OK, REVIEW_DATA_BINARY));
        let found: Found = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(serde_json::to_value(&found).unwrap(), json);
    }
    assert!(compared >= 20, "{compared} applications");

    let uri = format!("/api/applications/{}/review", demo.applications[0].id);
    let old = REVIEW_DATA_BINARY.replace("v=2", "v=1");
    assert_ne!(old, REVIEW_DATA_BINARY);
    let (status, media, bytes) = call_accepting(&app, get(&uri, Some(&token)), &old).await;
    assert_eq!((status, media.as_str()), (StatusCode::NOT_ACCEPTABLE, "application/json"));
    let err: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(err["error"].as_str().unwrap().ends_with("reload the page"), "{err}");
    let (status, media, _) = call_accepting(&app, get(&uri, Some(&token)), "application/json").await;
    assert_eq!((status, media.as_str()), (StatusCode::OK, "application/json"));
}

/// The widget sends its submissions in binary and reads the list, the
/// history and a submission's entries in binary too: the same values as
/// the JSON, with the optional fields both given (a delivered entry) and
/// not (no course numbers). A body of another version is refused.
#[tokio::test]
async fn the_binary_list_history_and_entries_equal_the_json() {
    use writeback_core::wire::{ApplicationSummary, HistoryEntry, WritebackSubmission, REVIEW_DATA_BINARY};

    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let app = router(&config(demo.path(), data.path(), &[]));
    let token = writer(demo.path());
    let json = writeback_body(&[("students", STUDENTS_FILE)]);
    let submission: WritebackSubmission = serde_json::from_str(&json).unwrap();
    let binary = postcard::to_allocvec(&submission).unwrap();
    let submit = |sent: &str, body: Vec<u8>| {
        let mut req = post_json(WRITEBACK, Some(&token), body);
        req.headers_mut().insert("content-type", sent.parse().unwrap());
        req
    };
    let older = REVIEW_DATA_BINARY.replace("v=2", "v=1");
    let (status, err) = call(&app, submit(&older, binary.clone())).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{err}");
    assert!(err["error"].as_str().unwrap().ends_with("reload the page"), "{err}");
    let (status, err) = call(&app, submit(REVIEW_DATA_BINARY, json.into_bytes())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "JSON sent as binary: {err}");
    let (status, media, bytes) = call_accepting(&app, submit(REVIEW_DATA_BINARY, binary), REVIEW_DATA_BINARY).await;
    assert_eq!((status, media.as_str()), (StatusCode::CREATED, REVIEW_DATA_BINARY));
    let entries: Vec<HistoryEntry> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!((entries.len(), entries[0].id, entries[0].rows), (1, 1, 1));
    wait_for_status(&app, &token, "A-1001", 1, "delivered", Duration::from_secs(10)).await;

    let uri = "/api/applications/A-1001/history";
    let (_, json) = call(&app, get(uri, Some(&token))).await;
    let (status, media, bytes) = call_accepting(&app, get(uri, Some(&token)), REVIEW_DATA_BINARY).await;
    assert_eq!((status, media.as_str()), (StatusCode::OK, REVIEW_DATA_BINARY));
    let history: Vec<HistoryEntry> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(serde_json::to_value(&history).unwrap(), json);
    assert!(history[0].delivered_at.is_some() && history[0].courses_written.is_none(), "{json}");

    let (_, json) = call(&app, get("/api/applications", Some(&token))).await;
    let (status, media, bytes) = call_accepting(&app, get("/api/applications", Some(&token)), REVIEW_DATA_BINARY).await;
    assert_eq!((status, media.as_str()), (StatusCode::OK, REVIEW_DATA_BINARY));
    let list: Vec<ApplicationSummary> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(serde_json::to_value(&list).unwrap(), json);
    assert_eq!(list[0].written_back.len(), 1, "{json}");
}
