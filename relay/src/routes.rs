//! The HTTP API (JSON; errors as `{"error": "..."}`) and the UI's static files.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tower_http::services::{ServeDir, ServeFile};
use writeback::application::{Application, ApplicationStatus};
use writeback::flatfile::{self, FileKind, FileSummary, SchedulesFile};

use crate::store::{CourseSummary, HistoryEntry, NewFile};
use crate::AppState;

/// The largest file accepted, in bytes (20 MiB).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// The largest course-writeback request: the file JSON-escaped (a tab or a
/// line end takes two bytes) and the course lists.
const MAX_COURSE_WRITEBACK_BYTES: usize = 2 * MAX_FILE_BYTES + 1024 * 1024;

/// The router: `/api/...` and, if `--dist` is set, the UI at `/`.
pub fn app(state: AppState) -> Router {
    let dist = state.shared.dist.clone();
    let router = Router::new()
        .route("/api/snapshot", get(snapshot))
        .route("/api/mappings", get(mappings))
        .route("/api/district", get(district))
        .route("/api/applications", get(list_applications))
        .route("/api/applications/{id}", get(get_application))
        .route("/api/applications/{id}/history", get(history))
        .route("/api/applications/{id}/files/{kind}", post(post_file).layer(DefaultBodyLimit::max(MAX_FILE_BYTES)))
        .route(
            "/api/applications/{id}/course-writeback",
            post(post_course_writeback).layer(DefaultBodyLimit::max(MAX_COURSE_WRITEBACK_BYTES)),
        )
        .route("/api/{*rest}", any(api_not_found))
        .with_state(state);
    match dist {
        Some(dir) => {
            let index = ServeFile::new(dir.join("index.html"));
            router.fallback_service(ServeDir::new(dir).fallback(index))
        }
        None => router.fallback(api_not_found),
    }
}

/// An error reply: a status and `{"error": message}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into() }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(serde_json::json!({ "error": self.message }))).into_response()
    }
}

fn json_bytes(bytes: Bytes) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

async fn snapshot(State(state): State<AppState>) -> Response {
    json_bytes(state.shared.demo.snapshot_json())
}

async fn district(State(state): State<AppState>) -> Response {
    json_bytes(state.shared.demo.settings_json())
}

async fn mappings(State(state): State<AppState>) -> Response {
    json_bytes(state.shared.demo.mappings_json())
}

async fn api_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "no such API route")
}

/// A line of the application list.
#[derive(Debug, Serialize)]
struct ApplicationSummary<'a> {
    id: &'a str,
    status: ApplicationStatus,
    student_name: String,
    student_number: Option<&'a str>,
    school_id: i64,
    submitted_at: &'a str,
    enrollment_written_back: bool,
    family_batch: Option<&'a str>,
}

/// The student's name as the form gives it: preferred (else legal) first
/// name and legal last name.
fn student_name(app: &Application) -> String {
    let field = |keys: &[&str]| {
        keys.iter().filter_map(|k| app.student.get(*k)).map(|v| v.trim()).find(|v| !v.is_empty()).unwrap_or("")
    };
    let first = field(&["preferred_first_name", "legal_first_name", "first_name"]);
    let last = field(&["legal_last_name", "last_name"]);
    match format!("{first} {last}").trim() {
        "" => format!("(no name on application {})", app.id),
        name => name.to_string(),
    }
}

async fn list_applications(State(state): State<AppState>) -> Response {
    let list: Vec<ApplicationSummary<'_>> = state
        .shared
        .demo
        .applications()
        .map(|a| ApplicationSummary {
            id: a.id.as_str(),
            status: a.status,
            student_name: student_name(a),
            student_number: a.student_number.as_ref().map(|n| n.as_str()),
            school_id: a.school_id,
            submitted_at: &a.submitted_at,
            enrollment_written_back: a.enrollment_written_back,
            family_batch: a.family_batch.as_deref(),
        })
        .collect();
    Json(list).into_response()
}

fn find<'a>(state: &'a AppState, id: &str) -> Result<&'a Application, ApiError> {
    state
        .shared
        .demo
        .application(id)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, format!("no application {id:?}")))
}

async fn get_application(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    Ok(Json(find(&state, &id)?).into_response())
}

async fn history(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Vec<HistoryEntry>>, ApiError> {
    let app = find(&state, &id)?;
    Ok(Json(state.shared.store.history(&app.id)))
}

/// The signed-in staff member from `X-Staff-User`: 1 to 64 characters, no
/// control characters.
fn staff_user(headers: &HeaderMap) -> Result<String, ApiError> {
    let bad = |m: &str| ApiError::new(StatusCode::BAD_REQUEST, format!("X-Staff-User: {m}"));
    let value =
        headers.get("x-staff-user").ok_or_else(|| bad("the header is required (the signed-in staff member)"))?;
    let user = std::str::from_utf8(value.as_bytes()).map_err(|_| bad("not UTF-8 text"))?.trim();
    let chars = user.chars().count();
    if !(1..=64).contains(&chars) {
        return Err(bad("expected 1 to 64 characters"));
    }
    if user.chars().any(char::is_control) {
        return Err(bad("control characters are not allowed"));
    }
    Ok(user.to_string())
}

/// The request body, or why it cannot be read (413 over the limit).
fn body_bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => too_large(),
        status => ApiError::new(status, rejection.body_text()),
    })
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("the file is larger than the limit of {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
    )
}

/// 409 unless the application is approved.
fn approved(app: &Application) -> Result<(), ApiError> {
    if app.status != ApplicationStatus::Approved {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("application {} is not approved: only approved applications are written back", app.id),
        ));
    }
    Ok(())
}

/// Checks a file of `kind` and that it writes only the application's
/// student; returns its summary.
fn check_file(app: &Application, kind: FileKind, text: &str) -> Result<FileSummary, ApiError> {
    let id = &app.id;
    let summary = flatfile::validate(kind, text)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, format!("the {kind} file is invalid: {e}")))?;
    // A file posted for an application may write only that application's
    // student: a mix-up must never reach another family's record.
    let Some(expected) = &app.student_number else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            format!("application {id} has no student number yet: write the enrolment back first"),
        ));
    };
    if let Some(other) = summary.students.iter().find(|n| *n != expected) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("the {kind} file writes student {other}, but application {id} is for student {expected}"),
        ));
    }
    Ok(summary)
}

/// Stores an accepted file durably, records it and queues its delivery.
/// What an entry records besides its file.
#[derive(Default)]
struct EntryExtras {
    /// A course writeback's courses.
    courses: Option<CourseSummary>,
    /// What staff must still do in PowerSchool after the import.
    follow_ups: Vec<String>,
}

async fn store_file(
    state: &AppState,
    app: &Application,
    kind: FileKind,
    bytes: Bytes,
    rows: usize,
    user: String,
    extra: EntryExtras,
) -> Result<HistoryEntry, ApiError> {
    let EntryExtras { courses, follow_ups } = extra;
    let shared = Arc::clone(&state.shared);
    let application_id = app.id.clone();
    let entry = tokio::task::spawn_blocking(move || {
        shared.store.accept(NewFile {
            application_id: &application_id,
            kind,
            bytes: &bytes,
            rows,
            submitted_by: &user,
            destination: &shared.destination,
            courses: courses.as_ref(),
            follow_ups: &follow_ups,
        })
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("the file was not stored: {e}")))?
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("the file was not stored: {e}")))?;
    state.shared.queue.push(entry.id);
    Ok(entry)
}

/// The most follow-ups one file may carry, and the longest one.
const FOLLOW_UPS: (usize, usize) = (50, 1000);

/// `X-Follow-Ups`: what staff must still do in PowerSchool after the
/// import, as a percent-encoded JSON array of sentences (absent: none).
fn follow_ups(headers: &HeaderMap) -> Result<Vec<String>, ApiError> {
    let bad = |m: String| ApiError::new(StatusCode::BAD_REQUEST, format!("X-Follow-Ups: {m}"));
    let Some(raw) = headers.get("x-follow-ups") else { return Ok(Vec::new()) };
    let raw = raw.to_str().map_err(|_| bad("not percent-encoded ASCII".into()))?;
    let json = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|e| bad(format!("not UTF-8 once decoded: {e}")))?;
    let list: Vec<String> =
        serde_json::from_str(&json).map_err(|e| bad(format!("not a JSON array of sentences: {e}")))?;
    if list.len() > FOLLOW_UPS.0 {
        return Err(bad(format!("{} follow-ups; at most {}", list.len(), FOLLOW_UPS.0)));
    }
    for (i, f) in list.iter().enumerate() {
        if f.trim().is_empty() || f.chars().count() > FOLLOW_UPS.1 || f.chars().any(char::is_control) {
            return Err(bad(format!(
                "follow-up {} is empty, longer than {} characters or holds a control character",
                i + 1,
                FOLLOW_UPS.1
            )));
        }
    }
    Ok(list)
}

async fn post_file(
    State(state): State<AppState>,
    Path((id, kind)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<HistoryEntry>), ApiError> {
    let app = find(&state, &id)?;
    let kind: FileKind = kind.parse().map_err(|e: String| ApiError::new(StatusCode::BAD_REQUEST, e))?;
    let user = staff_user(&headers)?;
    approved(app)?;
    let bytes = body_bytes(body)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the file is not UTF-8 text (invalid byte at offset {})", e.valid_up_to()),
        )
    })?;
    let summary = check_file(app, kind, text)?;
    let follow_ups = follow_ups(&headers)?;
    let extra = EntryExtras { courses: None, follow_ups };
    let entry = store_file(&state, app, kind, bytes, summary.rows, user, extra).await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// A course writeback as the UI submits it (`writeback::courses::CoursesOutcome`'s
/// `written`, `denied` and `schedule_text`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CourseWriteback {
    /// Course numbers approved: exactly the file's Course_Numbers.
    courses_written: Vec<String>,
    /// Course numbers denied.
    courses_denied: Vec<String>,
    /// The schedules file; absent (or null) when every decided course is denied.
    #[serde(default)]
    file: Option<String>,
}

/// Checks the course lists against the application: each course requested,
/// listed once, in one list only, and something decided.
fn check_courses(app: &Application, req: &CourseWriteback) -> Result<(), ApiError> {
    let unprocessable = |m: String| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, m);
    let requested: Vec<&str> = app.courses.iter().map(|c| c.course_number.trim()).collect();
    let mut seen: Vec<&str> = Vec::new();
    for (list, courses) in [("courses_written", &req.courses_written), ("courses_denied", &req.courses_denied)] {
        for c in courses {
            if c.is_empty() || c.trim() != c || c.chars().any(char::is_control) {
                return Err(unprocessable(format!("{list}: {c:?} is not a course number")));
            }
            if !requested.contains(&c.as_str()) {
                return Err(unprocessable(format!(
                    "{list}: {c} is not a course application {} requests (it requests {})",
                    app.id,
                    if requested.is_empty() { "none".to_string() } else { requested.join(", ") }
                )));
            }
            if seen.contains(&c.as_str()) {
                return Err(unprocessable(format!("{list}: {c} is listed more than once")));
            }
            seen.push(c);
        }
    }
    if seen.is_empty() {
        return Err(unprocessable("nothing to record: approve or deny at least one course".into()));
    }
    Ok(())
}

/// `POST /api/applications/{id}/course-writeback`: the schedules file with
/// the courses it writes and the courses denied, or — every decided course
/// denied — the denials alone, recorded without a file.
async fn post_course_writeback(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<HistoryEntry>), ApiError> {
    let app = find(&state, &id)?;
    let user = staff_user(&headers)?;
    if !state.shared.demo.settings().courses.feature_enabled {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "course writeback is not turned on for the district (district.json: courses.feature_enabled)",
        ));
    }
    approved(app)?;
    let bytes = body_bytes(body)?;
    let req: CourseWriteback = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the course writeback is not {{courses_written, courses_denied, file}} JSON: {e}"),
        )
    })?;
    check_courses(app, &req)?;
    let CourseWriteback { courses_written: written, courses_denied: denied, file } = req;
    let Some(text) = file else {
        if !written.is_empty() {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "courses_written lists {}, but no schedules file was sent: send the file that writes them",
                    written.join(", ")
                ),
            ));
        }
        let courses = CourseSummary { written, denied, expected_pickup: None };
        let shared = Arc::clone(&state.shared);
        let application_id = app.id.clone();
        let entry = tokio::task::spawn_blocking(move || shared.store.record(&application_id, &user, &courses))
            .await
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("not recorded: {e}")))?
            .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("not recorded: {e}")))?;
        return Ok((StatusCode::CREATED, Json(entry)));
    };
    if text.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let summary = check_file(app, FileKind::Schedules, &text)?;
    let rows = SchedulesFile::read(&text)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, format!("the schedules file is invalid: {e}")))?
        .rows;
    let mut in_file: Vec<&str> = rows.iter().map(|r| r.course_number.as_str()).collect();
    let mut listed: Vec<&str> = written.iter().map(String::as_str).collect();
    in_file.sort_unstable();
    listed.sort_unstable();
    if in_file != listed {
        let show = |v: &[&str]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "courses_written ({}) does not match the schedules file's Course_Numbers ({})",
                show(&listed),
                show(&in_file)
            ),
        ));
    }
    let courses = CourseSummary { written, denied, expected_pickup: state.shared.pickup.next() };
    let entry = store_file(
        &state,
        app,
        FileKind::Schedules,
        Bytes::from(text),
        summary.rows,
        user,
        EntryExtras { courses: Some(courses), ..EntryExtras::default() },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staff_user_is_checked() {
        let mut h = HeaderMap::new();
        assert!(staff_user(&h).unwrap_err().message.contains("required"));
        h.insert("x-staff-user", " jdoe ".parse().unwrap());
        assert_eq!(staff_user(&h).unwrap(), "jdoe");
        h.insert("x-staff-user", "a\tb".parse().unwrap());
        assert!(staff_user(&h).unwrap_err().message.contains("control"));
        h.insert("x-staff-user", "x".repeat(65).parse().unwrap());
        assert!(staff_user(&h).unwrap_err().message.contains("1 to 64"));
        h.insert("x-staff-user", axum::http::HeaderValue::from_bytes("Zoë".as_bytes()).unwrap());
        assert_eq!(staff_user(&h).unwrap(), "Zoë");
    }
}
