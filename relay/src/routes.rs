//! The HTTP API (JSON; errors as `{"error": "..."}`, see [`ApiError`]) and
//! the UI's static files. Every `/api` route checks who is calling
//! ([`SignedIn`]) and what they may do; the bodies are
//! [`writeback_core::wire`]'s types.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{any, get, post, put};
use axum::{Json, Router};
use writeback_auth::Permission;
use writeback_core::application::{Application, ApplicationStatus, FieldMappings};
use writeback_core::courses::Staff as ReviewStaff;
use writeback_core::domain::{Date, PersonId, SchoolNumber};
use writeback_core::flatfile::FileKind;
use writeback_core::plan::{PlannedFile, Review, ReviewData, Reviewer};
use writeback_core::wire::{
    ApplicationSummary, CourseWritebackSubmission, SubmittedFile, WritebackSubmission, WrittenBack,
    IDEMPOTENCY_KEY_HEADER,
};

use crate::auth::SignedIn;
use crate::body::{BodyFormat, Sent};
use crate::error::ApiError;
use crate::store::{Accepted, CourseSummary, NewEntry, NewSubmission, StoreError};
use crate::AppState;

/// The largest file accepted, in bytes (20 MiB).
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// The largest submission: the files JSON-escaped (a tab or a line end
/// takes two bytes) and the decisions.
pub const MAX_SUBMISSION_BYTES: usize = 2 * MAX_FILE_BYTES + 1024 * 1024;

/// The largest application the host may send (1 MiB).
pub const MAX_APPLICATION_BYTES: usize = 1024 * 1024;

/// The router: `/api/...` and, if `--dist` is set, the UI at `/`.
pub fn app(state: AppState) -> Router {
    let dist = state.shared.dist.clone();
    let demo_token = state.shared.demo_signer.is_some();
    let mut router = Router::new()
        .route("/api/applications", get(list_applications))
        .route("/api/applications/{id}", get(get_application))
        .route("/api/applications/{id}/review", get(review_data))
        .route("/api/applications/{id}/persons", get(search_persons))
        .route("/api/applications/{id}/history", get(history))
        .route(
            "/api/applications/{id}/writeback",
            post(post_writeback).layer(DefaultBodyLimit::max(MAX_SUBMISSION_BYTES)),
        )
        .route(
            "/api/applications/{id}/course-writeback",
            post(post_course_writeback).layer(DefaultBodyLimit::max(MAX_SUBMISSION_BYTES)),
        )
        .route(
            "/api/intake/applications/{id}",
            put(put_application).layer(DefaultBodyLimit::max(MAX_APPLICATION_BYTES)),
        )
        .route("/api/admin/status", get(admin_status))
        .route("/api/admin/reload", post(admin_reload))
        .route("/api/admin/deliver", post(admin_deliver))
        .route("/api/{*rest}", any(api_not_found));
    if demo_token {
        router = router.route("/demo/token", get(crate::demo_host::token));
    }
    let router = router.with_state(state.clone());
    let router = match dist {
        Some(dir) => crate::web::static_files(router, &dir),
        None => router.fallback(api_not_found),
    };
    crate::web::layers(router, &state)
}

async fn api_not_found() -> ApiError {
    ApiError::NotFound("no such API route".into())
}

/// An application the caller may read, from the `{id}` in the path.
struct Found(Arc<Application>);

impl FromRequestParts<AppState> for Found {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Found, ApiError> {
        // Only staff learn whether an application exists.
        SignedIn::from_request_parts(parts, state).await?.require_any()?;
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::BadRequest(e.body_text()))?;
        let id = params.iter().find(|(k, _)| k == "id").map(|(_, v)| v.as_str()).unwrap_or_default();
        state.application(id).map(Found).ok_or_else(|| ApiError::NotFound(format!("no application {id:?}")))
    }
}

async fn list_applications(
    State(state): State<AppState>,
    who: SignedIn,
    format: BodyFormat,
) -> Result<Response, ApiError> {
    who.require_any()?;
    let st = state.clone();
    let mut newest = blocking(move || st.shared.store.newest_per_kind().map_err(stored)).await?;
    let data = state.data();
    let mappings = data.district().mappings();
    let list: Vec<ApplicationSummary> = state
        .applications()
        .iter()
        .map(|a| ApplicationSummary {
            written_back: newest
                .remove(a.id.as_str())
                .unwrap_or_default()
                .into_iter()
                .map(|e| WrittenBack::of(&e))
                .collect(),
            id: a.id.to_string(),
            status: a.status,
            student_name: student_name(mappings, a),
            student_number: a.student_number.as_ref().map(|n| n.to_string()),
            school_id: a.school_id,
            submitted_at: a.submitted_at.clone(),
            enrollment_written_back: a.enrollment_written_back,
            family_batch: a.family_batch.clone(),
        })
        .collect();
    format.respond(&list)
}

/// The student's name as the form gives it, through the district's
/// mappings (see [`FieldMappings::student_name`]).
fn student_name(mappings: &FieldMappings, app: &Application) -> String {
    match mappings.student_name(app) {
        name if name.is_empty() => format!("(no name on application {})", app.id),
        name => name,
    }
}

async fn get_application(who: SignedIn, Found(app): Found) -> Result<Json<Application>, ApiError> {
    who.require_any()?;
    Ok(Json((*app).clone()))
}

async fn history(
    State(state): State<AppState>,
    who: SignedIn,
    format: BodyFormat,
    Found(app): Found,
) -> Result<Response, ApiError> {
    who.require_any()?;
    let st = state.clone();
    let history = blocking(move || st.shared.store.history(&app.id).map_err(stored)).await?;
    format.respond(&history)
}

/// The reviewer a request stands for: the token's staff member on `today`.
fn reviewer(who: &SignedIn, today: Date) -> Reviewer {
    Reviewer { staff: ReviewStaff { name: who.0.name.clone(), permissions: who.0.permissions.clone() }, today }
}

/// Today in UTC; the district's own date is at most a day either side.
fn utc_today() -> Date {
    Date::from_days_since_epoch((writeback_auth::now() / 86_400) as i64).expect("the clock is after 1970")
}

/// `?schools=12,34`: schools whose sections of the requested courses the
/// slice should carry (one staff chose in the section picker);
/// `&picked=contact1:50065,contact2:50117`: persons staff picked from a
/// search, each among its block's candidates.
#[derive(Debug, Default, serde::Deserialize)]
struct SliceQuery {
    #[serde(default)]
    schools: String,
    #[serde(default)]
    picked: String,
}

/// At most this many picked persons per request.
const MAX_PICKED: usize = 20;

impl SliceQuery {
    fn picked(&self) -> Result<Vec<(String, PersonId)>, ApiError> {
        let bad = || {
            ApiError::BadRequest(format!(
                "picked: expected block:Person.ID pairs separated by commas, found {:?}",
                self.picked
            ))
        };
        let list: Vec<(String, PersonId)> = self
            .picked
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|pair| {
                let (block, person) = pair.split_once(':').ok_or_else(bad)?;
                Ok((block.trim().to_string(), person.trim().parse().map_err(|_| bad())?))
            })
            .collect::<Result<_, ApiError>>()?;
        if list.len() > MAX_PICKED {
            return Err(ApiError::BadRequest(format!("picked: at most {MAX_PICKED} at a time")));
        }
        Ok(list)
    }

    fn schools(&self) -> Result<Vec<SchoolNumber>, ApiError> {
        let list: Result<Vec<SchoolNumber>, _> =
            self.schools.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::parse).collect();
        let list = list.map_err(|_| {
            ApiError::BadRequest(format!(
                "schools: expected School_Numbers separated by commas, found {:?}",
                self.schools
            ))
        })?;
        if list.len() > 20 {
            return Err(ApiError::BadRequest("schools: at most 20 at a time".into()));
        }
        Ok(list)
    }
}

/// `GET /api/applications/{id}/review[?schools=..]`: one application's
/// review data, cut from the district (see [`ReviewData`]).
async fn review_data(
    State(state): State<AppState>,
    who: SignedIn,
    Found(app): Found,
    Query(query): Query<SliceQuery>,
    format: BodyFormat,
) -> Result<Response, ApiError> {
    who.require_any()?;
    let schools = query.schools()?;
    let picked = query.picked()?;
    let reviewer = reviewer(&who, utc_today());
    let st = state.clone();
    let id = app.id.to_string();
    let body = blocking(move || format.respond(&slice(&st, &app, &reviewer, &schools, &picked))).await?;
    state.audit(&who, "opened", &id, "review data");
    Ok(body)
}

fn slice(
    state: &AppState,
    app: &Application,
    reviewer: &Reviewer,
    schools: &[SchoolNumber],
    picked: &[(String, PersonId)],
) -> ReviewData {
    let data = state.data();
    data.slices().review_data_picked(data.district(), app, &state.family_of(app), reviewer, schools, picked)
}

/// `?block=contact1&q=...`: staff's search of the persons from a block.
#[derive(Debug, serde::Deserialize)]
struct PersonQuery {
    block: String,
    q: String,
}

/// `GET /api/applications/{id}/persons?block=..&q=..`: PowerSchool's
/// persons whose name, phone or email is the query, ranked against the
/// block's form contact (see [`writeback_core::contacts::search_persons`]). The
/// audit log keeps what kind of query it was, not the query.
async fn search_persons(
    State(state): State<AppState>,
    who: SignedIn,
    Found(app): Found,
    Query(query): Query<PersonQuery>,
    format: BodyFormat,
) -> Result<Response, ApiError> {
    who.require_any()?;
    if query.q.len() > 200 {
        return Err(ApiError::BadRequest("q: at most 200 characters".into()));
    }
    let reviewer = reviewer(&who, utc_today());
    let (st, id, block) = (state.clone(), app.id.to_string(), query.block.clone());
    let found = blocking(move || {
        let data = st.data();
        let family = st.family_of(&app);
        writeback_core::plan::search_from_block(data.district(), &app, &family, &reviewer, &query.block, &query.q)
            .map_err(|e| match e {
                writeback_core::plan::BlockSearchError::NoSuchBlock(_) => ApiError::NotFound(e.to_string()),
                _ => ApiError::BadRequest(e.to_string()),
            })
    })
    .await?;
    let kind = found.query.split(' ').take(2).collect::<Vec<_>>().join(" ");
    state.audit(&who, "searched persons", &id, &format!("{block}: {kind}, {} found", found.matched));
    format.respond(&found)
}

/// Runs CPU-bound work (validation, recomputing a review) off the request
/// threads, at most as many at once as the machine has cores.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let permit = crate::CPU_PERMITS.acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
    let result = tokio::task::spawn_blocking(work).await;
    drop(permit);
    result.map_err(|e| ApiError::Internal(format!("the work stopped: {e}")))?
}

/// The request body, or why not (400; 413 over the limit).
fn body_bytes(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(format!(
            "the submission is larger than the limit of {} MiB",
            MAX_SUBMISSION_BYTES / (1024 * 1024)
        )),
        _ => ApiError::BadRequest(rejection.body_text()),
    })
}

/// A storage failure as the API says it: a reused idempotency key is the
/// caller's (422); anything else is the relay's (500, nothing accepted).
fn stored(e: StoreError) -> ApiError {
    match e {
        StoreError::KeyReused { .. } => ApiError::Unprocessable(e.to_string()),
        StoreError::WrittenBefore { .. } | StoreError::NewContactSent { .. } => ApiError::Conflict(e.to_string()),
        e => ApiError::Internal(format!("nothing was stored: {e}")),
    }
}

/// The submission's `Idempotency-Key` header: any 1 to 200 visible ASCII
/// characters the widget chose for this submission, the same on a retry.
pub struct IdempotencyKey(String);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<IdempotencyKey, ApiError> {
        let missing = || {
            ApiError::BadRequest(format!(
                "the {IDEMPOTENCY_KEY_HEADER} header is missing: every submission carries one \
                 (1 to 200 visible characters, new for each submission, the same when it is retried)"
            ))
        };
        let value = parts.headers.get(IDEMPOTENCY_KEY_HEADER).ok_or_else(missing)?;
        let key =
            value.to_str().ok().filter(|k| (1..=200).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()));
        key.map(|k| IdempotencyKey(k.to_string())).ok_or_else(|| {
            ApiError::BadRequest(format!(
                "the {IDEMPOTENCY_KEY_HEADER} header must be 1 to 200 visible ASCII characters"
            ))
        })
    }
}

/// A hash of what a request asks for: its route, application and body.
fn request_sha256(route: &str, app: &Application, body: &[u8]) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for part in [route.as_bytes(), b"\n", app.id.as_str().as_bytes(), b"\n", body] {
        h.update(part);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The replay of a submission seen before, if `key` was; checked before the
/// (costly) recompute, and again when storing.
fn replayed(state: &AppState, who: &SignedIn, key: &IdempotencyKey, sha: &str) -> Result<Option<Accepted>, ApiError> {
    Ok(state.shared.store.replay(&who.0.id, &key.0, sha).map_err(stored)?.map(Accepted::Replayed))
}

/// How a route answers with its entries: the writeback with every file's,
/// the course writeback with its one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Entries,
    OneEntry,
}

/// Records an accepted (or replayed) submission: wakes the delivery
/// worker, audits, answers 201 with the entries in `format` (a replay says
/// so in `Idempotent-Replayed: true`).
fn answer(
    state: &AppState,
    who: &SignedIn,
    app: &str,
    accepted: &Accepted,
    shape: Answer,
    format: BodyFormat,
) -> Result<Response, ApiError> {
    let entries = accepted.entries();
    let what: Vec<String> = entries
        .iter()
        .map(|e| match shape {
            Answer::Entries => format!("{} file {}", e.kind, e.id),
            Answer::OneEntry => format!("course writeback {}", e.id),
        })
        .collect();
    let replay = matches!(accepted, Accepted::Replayed(_));
    if replay {
        state.audit(who, "retried", app, &format!("the same submission again: {}", what.join(", ")));
    } else {
        state.shared.delivery.wake();
        state.audit(who, "submitted", app, &what.join(", "));
    }
    let mut res = match (shape, entries) {
        (Answer::OneEntry, [one]) => format.respond(one)?,
        _ => format.respond(&entries)?,
    };
    *res.status_mut() = StatusCode::CREATED;
    if replay {
        res.headers_mut().insert("idempotent-replayed", axum::http::HeaderValue::from_static("true"));
    }
    Ok(res)
}

/// 409 unless the application is approved.
fn approved(app: &Application) -> Result<(), ApiError> {
    if app.status != ApplicationStatus::Approved {
        return Err(ApiError::Conflict(format!(
            "application {} is not approved: only approved applications are written back",
            app.id
        )));
    }
    Ok(())
}

/// 422 unless `today` is the relay's date or a day either side.
fn check_today(today: Date) -> Result<(), ApiError> {
    let relay = utc_today();
    let near = [-1, 0, 1].iter().filter_map(|d| relay.add_days(*d)).any(|d| d == today);
    if near {
        Ok(())
    } else {
        Err(ApiError::Unprocessable(format!(
            "today: {today} is not today (the relay's date is {relay}): reload the page"
        )))
    }
}

/// 422 listing `blockers`, if any.
fn not_blocked(what: &str, blockers: &[writeback_core::plan::Blocker]) -> Result<(), ApiError> {
    if blockers.is_empty() {
        return Ok(());
    }
    let list: Vec<&str> = blockers.iter().map(|b| b.message.as_str()).collect();
    Err(ApiError::Unprocessable(format!("{what} is blocked: {}", list.join("; "))))
}

/// The review the relay computes for a submission (reviewed on
/// `submission_today`, which must be near the relay's date), from its own
/// data.
fn recompute(
    state: &AppState,
    app: &Application,
    who: &SignedIn,
    submission_today: Date,
    decisions: &writeback_core::plan::Decisions,
) -> Result<Review, ApiError> {
    check_today(submission_today)?;
    let reviewer = reviewer(who, submission_today);
    // The slice carries the sections the decisions chose, wherever they are.
    let chosen = decisions.courses.values().filter_map(|c| c.section_id);
    let schools = {
        let data = state.data();
        data.slices().schools_of_sections(data.district(), chosen)
    };
    // And the persons it confirms, wherever they were found.
    let picked: Vec<(String, PersonId)> = decisions
        .contacts
        .blocks
        .iter()
        .filter_map(|(block, d)| match d.state {
            Some(writeback_core::contacts::ContactState::Confirmed(p)) => Some((block.clone(), p)),
            _ => None,
        })
        .collect();
    let data = slice(state, app, &reviewer, &schools, &picked);
    let prepared = data.prepare(&reviewer).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(prepared.decide(decisions))
}

/// 409 naming the first difference between the files the review writes
/// and the files posted.
fn same_files(expected: &[&PlannedFile], posted: &[SubmittedFile]) -> Result<(), ApiError> {
    let kinds = |k: &mut dyn Iterator<Item = FileKind>| k.map(|k| k.to_string()).collect::<Vec<_>>().join(", ");
    if expected.len() != posted.len() || expected.iter().zip(posted).any(|(e, p)| e.kind != p.kind) {
        return Err(ApiError::Conflict(format!(
            "the review writes [{}], but [{}] was sent: the decisions and the files do not belong together; reload and submit again",
            kinds(&mut expected.iter().map(|f| f.kind)),
            kinds(&mut posted.iter().map(|f| f.kind))
        )));
    }
    for (e, p) in expected.iter().zip(posted) {
        if e.text != p.text {
            let line = e
                .text
                .lines()
                .zip(p.text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| e.text.lines().count().min(p.text.lines().count()));
            return Err(ApiError::Conflict(format!(
                "the {} file differs from what the review writes, first at line {}: the relay writes {:?}, the browser sent {:?}",
                e.kind,
                line + 1,
                e.text.lines().nth(line).unwrap_or("(nothing)"),
                p.text.lines().nth(line).unwrap_or("(nothing)")
            )));
        }
    }
    Ok(())
}

/// A submission of `app` by `who` through `route`, to store.
fn submission_of<'a>(
    state: &'a AppState,
    app: &'a Application,
    who: &'a (String, String),
    route: &'static str,
    key: &'a IdempotencyKey,
    sha: &'a str,
    entries: Vec<NewEntry<'a>>,
) -> NewSubmission<'a> {
    NewSubmission {
        application_id: &app.id,
        route,
        staff_id: &who.0,
        submitted_by: &who.1,
        idempotency_key: &key.0,
        request_sha256: sha,
        destination: &state.shared.destination,
        entries,
        correction: false,
        new_contacts: Vec::new(),
    }
}

/// The New Contact Identifiers a contacts file sends, each once.
fn new_contact_identifiers(file: &PlannedFile) -> Vec<String> {
    let mut lines = file.text.lines();
    let Some(column) = lines.next().and_then(|h| h.split('\t').position(|c| c == "New Contact Identifier")) else {
        return Vec::new();
    };
    let mut out: Vec<String> =
        lines.filter_map(|l| l.split('\t').nth(column)).filter(|v| !v.is_empty()).map(String::from).collect();
    out.sort();
    out.dedup();
    out
}

/// `POST /api/applications/{id}/writeback`: demographics and contacts,
/// every file of the review in one submission (accepted or refused
/// together).
async fn post_writeback(
    State(state): State<AppState>,
    who: SignedIn,
    Found(app): Found,
    key: IdempotencyKey,
    format: BodyFormat,
    Sent(sent): Sent,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    who.require(Permission::ApplicationWriteback)?;
    approved(&app)?;
    let bytes = body_bytes(body)?;
    let (st, signed_in, id) = (state.clone(), who.clone(), app.id.to_string());
    let accepted = blocking(move || {
        let sha = request_sha256("writeback", &app, &bytes);
        if let Some(replay) = replayed(&st, &signed_in, &key, &sha)? {
            return Ok(replay);
        }
        let submission: WritebackSubmission = sent.read(&bytes, "writeback (decisions, today, files)")?;
        let review = recompute(&st, &app, &signed_in, submission.today, &submission.decisions)?;
        not_blocked("the review", &review.blockers)?;
        let files: Vec<&PlannedFile> = review.files.iter().collect();
        if files.is_empty() {
            return Err(ApiError::Unprocessable("nothing to write: every field is decided Ignore".into()));
        }
        same_files(&files, &submission.files)?;
        let follow_ups = &review.contact_follow_ups;
        let entries = files
            .iter()
            .map(|f| NewEntry {
                kind: f.kind,
                file: Some((f.text.as_bytes(), f.rows)),
                courses: None,
                follow_ups: if f.kind == FileKind::Contacts { follow_ups } else { &[] },
                expected_pickup: st.expected_pickup(f.kind),
            })
            .collect();
        let staff = (signed_in.0.id.clone(), signed_in.who());
        let mut new = submission_of(&st, &app, &staff, "writeback", &key, &sha, entries);
        new.correction = submission.correction;
        new.new_contacts =
            files.iter().filter(|f| f.kind == FileKind::Contacts).flat_map(|f| new_contact_identifiers(f)).collect();
        st.shared.store.accept(new).map_err(stored)
    })
    .await?;
    answer(&state, &who, &id, &accepted, Answer::Entries, format)
}

/// `POST /api/applications/{id}/course-writeback`: the schedules file with
/// the courses it writes and the courses denied, or (every decided course
/// denied) the denials alone, recorded without a file.
async fn post_course_writeback(
    State(state): State<AppState>,
    who: SignedIn,
    Found(app): Found,
    key: IdempotencyKey,
    format: BodyFormat,
    Sent(sent): Sent,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    who.require(Permission::ApplicationCourseWriteback)?;
    if !state.data().settings().courses.feature_enabled {
        return Err(ApiError::Forbidden(
            "course writeback is not turned on for the district (district.json: courses.feature_enabled)".into(),
        ));
    }
    approved(&app)?;
    let bytes = body_bytes(body)?;
    let (st, signed_in, id) = (state.clone(), who.clone(), app.id.to_string());
    let accepted = blocking(move || {
        let sha = request_sha256("course-writeback", &app, &bytes);
        if let Some(replay) = replayed(&st, &signed_in, &key, &sha)? {
            return Ok(replay);
        }
        let submission: CourseWritebackSubmission = sent.read(&bytes, "course writeback (decisions, today, file)")?;
        let review = recompute(&st, &app, &signed_in, submission.today, &submission.decisions)?;
        let courses = &review.courses;
        not_blocked("the course writeback", &courses.blocking)?;
        if !courses.ready() {
            return Err(ApiError::Unprocessable("nothing to record: approve or deny at least one course".into()));
        }
        let expected: Vec<&PlannedFile> = courses.file.iter().collect();
        let posted: Vec<SubmittedFile> =
            submission.file.into_iter().map(|text| SubmittedFile { kind: FileKind::Schedules, text }).collect();
        same_files(&expected, &posted)?;
        let summary =
            CourseSummary { written: courses.outcome.written.clone(), denied: courses.outcome.denied.clone() };
        let entry = NewEntry {
            kind: FileKind::Schedules,
            file: courses.file.as_ref().map(|f| (f.text.as_bytes(), f.rows)),
            courses: Some(&summary),
            follow_ups: &[],
            expected_pickup: courses.file.as_ref().and_then(|_| st.expected_pickup(FileKind::Schedules)),
        };
        let staff = (signed_in.0.id.clone(), signed_in.who());
        let mut new = submission_of(&st, &app, &staff, "course-writeback", &key, &sha, vec![entry]);
        new.correction = submission.correction;
        st.shared.store.accept(new).map_err(stored)
    })
    .await?;
    answer(&state, &who, &id, &accepted, Answer::OneEntry, format)
}

/// `PUT /api/intake/applications/{id}`: the host system hands over an
/// approved application (creates it, or replaces the one with that id).
async fn put_application(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Application>), ApiError> {
    who.require(Permission::ApplicationIntake)?;
    let bytes = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::TooLarge(format!("an application is at most {} KiB", MAX_APPLICATION_BYTES / 1024))
        }
        _ => ApiError::BadRequest(rejection.body_text()),
    })?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| ApiError::BadRequest(format!("the application is not UTF-8 (byte {})", e.valid_up_to())))?;
    let app = Application::from_json(text)
        .map_err(|e| ApiError::Unprocessable(format!("the application is not valid: {e}")))?;
    if app.id.as_str() != id {
        return Err(ApiError::Unprocessable(format!(
            "id: the application says {:?} but was sent to {id:?}",
            app.id.as_str()
        )));
    }
    let replaced = state
        .receive_application(app.clone(), &who.who())
        .map_err(|e| ApiError::Internal(format!("the application was not stored: {e}")))?;
    state.audit(&who, if replaced { "replaced" } else { "received" }, &id, "application");
    Ok((if replaced { StatusCode::OK } else { StatusCode::CREATED }, Json(app)))
}

/// What `GET /api/admin/status` says about the data in service and the
/// delivery.
#[derive(Debug, serde::Serialize)]
struct DataStatus {
    loaded_at: String,
    students: usize,
    persons: usize,
    applications: usize,
    warnings: usize,
    first_warnings: Vec<String>,
    last_reload: crate::ReloadStatus,
    delivery: DeliveryStatus,
}

/// The delivery queue and its target.
#[derive(Debug, serde::Serialize)]
struct DeliveryStatus {
    /// Where files go.
    destination: String,
    /// Entries waiting for delivery.
    waiting: usize,
    /// How the target stands.
    target: crate::deliver::TargetState,
}

fn data_status(state: &AppState) -> Result<DataStatus, ApiError> {
    let data = state.data();
    let waiting = state.shared.store.undelivered().map_err(stored)?.len();
    Ok(DataStatus {
        loaded_at: data.loaded_at.clone(),
        students: data.student_count(),
        persons: data.district().snapshot().persons.len(),
        applications: state.applications().len(),
        warnings: data.warnings.len(),
        first_warnings: data.warnings.iter().take(100).cloned().collect(),
        last_reload: state.reload_status(),
        delivery: DeliveryStatus {
            destination: state.shared.destination.clone(),
            waiting,
            target: state.shared.delivery.target_state(),
        },
    })
}

/// `GET /api/admin/status`: the PowerSchool data in service and the last reload.
async fn admin_status(State(state): State<AppState>, who: SignedIn) -> Result<Json<DataStatus>, ApiError> {
    who.require(Permission::Administration)?;
    let st = state.clone();
    Ok(Json(blocking(move || data_status(&st)).await?))
}

/// `POST /api/admin/deliver`: retries delivery now (after an outage,
/// without waiting for the backoff).
async fn admin_deliver(State(state): State<AppState>, who: SignedIn) -> Result<Json<DataStatus>, ApiError> {
    who.require(Permission::Administration)?;
    state.shared.delivery.retry_now();
    state.audit(&who, "retried delivery", "-", "delivery queue");
    let st = state.clone();
    Ok(Json(blocking(move || data_status(&st)).await?))
}

/// `POST /api/admin/reload`: loads the exports now; 422 with every problem
/// when they are refused (the previous ones stay in service).
async fn admin_reload(State(state): State<AppState>, who: SignedIn) -> Result<Json<DataStatus>, ApiError> {
    who.require(Permission::Administration)?;
    match state.reload().await {
        Ok(_) => {
            state.audit(&who, "reloaded", "-", "PowerSchool exports");
            let st = state.clone();
            Ok(Json(blocking(move || data_status(&st)).await?))
        }
        Err(problems) => Err(ApiError::Unprocessable(format!(
            "the exports were refused; the previous ones stay in service. {} problem(s): {}",
            problems.len(),
            problems.join("; ")
        ))),
    }
}
