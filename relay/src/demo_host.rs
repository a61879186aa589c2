//! A stand-in for the enrollment system's server, for the demo only: with
//! `--demo-signing-key`, `GET /demo/token` signs a staff token for the demo
//! registrar, as a host system signs one for its signed-in staff member.
//! It hands a token to anyone who asks, so the relay refuses it unless it
//! listens on a loopback address.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use writeback_auth::TokenRequest;

use crate::error::ApiError;
use crate::AppState;

/// The demo staff member's id (name and permissions: `writeback_synth::demo::demo_staff`).
pub const DEMO_STAFF_ID: &str = "demo.registrar";

/// `GET /demo/token`: a fresh token (text) for the demo registrar.
pub async fn token(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let signer = state.shared.demo_signer.as_ref().ok_or_else(|| ApiError::NotFound("no demo token here".into()))?;
    let staff = writeback_synth::demo::demo_staff();
    let request = TokenRequest {
        staff_id: DEMO_STAFF_ID.into(),
        name: staff.name,
        permissions: staff.permissions,
        ttl_seconds: writeback_auth::MAX_TTL_SECONDS,
    };
    let token = signer.sign(&request, writeback_auth::now()).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], token))
}
