//! The relay's HTTP API, as the widget calls it (gloo-net).

use gloo_net::http::{Request, Response};
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::application::{Application, FieldMappings};
use crate::flatfile::FileKind;
use crate::plan::DistrictSettings;
use crate::snapshot::Snapshot;

/// An application in the relay's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    /// Its id.
    pub id: String,
    /// Workflow status.
    pub status: String,
    /// The student's name on the form.
    pub student_name: String,
    /// The student number, if assigned.
    pub student_number: Option<String>,
    /// When it was submitted.
    pub submitted_at: String,
    /// Applications submitted together by one family share a batch.
    #[serde(default)]
    pub family_batch: Option<String>,
}

/// An application-history entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Entry id.
    pub id: u64,
    /// The file's kind.
    pub kind: String,
    /// The file's name; `None` for a course writeback that only denies.
    #[serde(default)]
    pub file_name: Option<String>,
    /// Data rows.
    pub rows: usize,
    /// Who submitted it.
    pub submitted_by: String,
    /// When (RFC 3339).
    pub submitted_at: String,
    /// accepted, delivered, failed, or recorded (no file).
    pub status: String,
    /// Where it goes.
    #[serde(default)]
    pub destination: String,
    /// The last problem, if any.
    #[serde(default)]
    pub detail: Option<String>,
    /// A course writeback: the courses written.
    #[serde(default)]
    pub courses_written: Option<Vec<String>>,
    /// A course writeback: the courses denied.
    #[serde(default)]
    pub courses_denied: Option<Vec<String>>,
    /// A course writeback's file: the AutoComm run expected to import it.
    #[serde(default)]
    pub expected_pickup: Option<String>,
    /// What staff must still do in PowerSchool after the import.
    #[serde(default)]
    pub follow_ups: Vec<String>,
}

/// A course writeback as the relay takes it
/// (`POST /api/applications/{id}/course-writeback`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CourseSubmission {
    /// The courses the file writes.
    pub courses_written: Vec<String>,
    /// The courses denied.
    pub courses_denied: Vec<String>,
    /// The schedules file; `None` when every decided course is denied.
    pub file: Option<String>,
}

/// Where the relay is and who is signed in.
#[derive(Debug, Clone, PartialEq)]
pub struct RelayClient {
    /// Base URL ("" for the page's own origin).
    pub base: String,
    /// The signed-in staff member.
    pub staff_user: String,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
}

async fn read<T: DeserializeOwned>(what: &str, resp: Result<Response, gloo_net::Error>) -> Result<T, String> {
    let resp = resp.map_err(|e| format!("{what}: the relay cannot be reached ({e})"))?;
    if !resp.ok() {
        let status = resp.status();
        let message = match resp.json::<ErrorBody>().await {
            Ok(b) => b.error,
            Err(_) => resp.status_text(),
        };
        return Err(format!("{what}: {message} (HTTP {status})"));
    }
    resp.json::<T>().await.map_err(|e| format!("{what}: unexpected answer ({e})"))
}

impl RelayClient {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base.trim_end_matches('/'), path)
    }

    /// The applications to review.
    pub async fn applications(&self) -> Result<Vec<ApplicationSummary>, String> {
        read("loading applications", Request::get(&self.url("/api/applications")).send().await).await
    }

    /// One application.
    pub async fn application(&self, id: &str) -> Result<Application, String> {
        read("loading the application", Request::get(&self.url(&format!("/api/applications/{id}"))).send().await).await
    }

    /// The SIS snapshot.
    pub async fn snapshot(&self) -> Result<Snapshot, String> {
        read("loading the PowerSchool snapshot", Request::get(&self.url("/api/snapshot")).send().await).await
    }

    /// The district's settings.
    pub async fn settings(&self) -> Result<DistrictSettings, String> {
        read("loading the district settings", Request::get(&self.url("/api/district")).send().await).await
    }

    /// The field mappings.
    pub async fn mappings(&self) -> Result<FieldMappings, String> {
        read("loading the field mappings", Request::get(&self.url("/api/mappings")).send().await).await
    }

    /// An application's history, newest first.
    pub async fn history(&self, id: &str) -> Result<Vec<HistoryEntry>, String> {
        read("loading the history", Request::get(&self.url(&format!("/api/applications/{id}/history"))).send().await)
            .await
    }

    /// Submits one finished file; the relay answers with its history entry.
    pub async fn submit(
        &self,
        id: &str,
        kind: FileKind,
        text: &str,
        follow_ups: &[String],
    ) -> Result<HistoryEntry, String> {
        let mut req = Request::post(&self.url(&format!("/api/applications/{id}/files/{kind}")));
        if !follow_ups.is_empty() {
            // Percent-encoded JSON: a header carries ASCII only.
            let json = serde_json::to_string(follow_ups).map_err(|e| format!("submitting the {kind} file: {e}"))?;
            req = req.header("X-Follow-Ups", &String::from(js_sys::encode_uri_component(&json)));
        }
        let req = req
            .header("X-Staff-User", &self.staff_user)
            .header("Content-Type", "text/tab-separated-values; charset=utf-8")
            .body(text.to_string())
            .map_err(|e| format!("submitting the {kind} file: {e}"))?;
        read(&format!("submitting the {kind} file"), req.send().await).await
    }

    /// Submits a course writeback; the relay answers with its history entry.
    pub async fn submit_courses(&self, id: &str, submission: &CourseSubmission) -> Result<HistoryEntry, String> {
        let what = "submitting the course writeback";
        let req = Request::post(&self.url(&format!("/api/applications/{id}/course-writeback")))
            .header("X-Staff-User", &self.staff_user)
            .json(submission)
            .map_err(|e| format!("{what}: {e}"))?;
        read(what, req.send().await).await
    }
}
