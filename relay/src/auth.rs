//! Who is calling: every `/api` request carries the enrollment system's
//! staff token (`Authorization: Bearer <jwt>`, see `writeback-auth`). The
//! [`SignedIn`] extractor verifies it; handlers ask it for the permission
//! their route needs.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use writeback_auth::{AuthError, Permission, Staff};

use crate::error::ApiError;
use crate::AppState;

/// The signed-in staff member, from a verified token.
#[derive(Debug, Clone)]
pub struct SignedIn(pub Staff);

impl SignedIn {
    /// The staff member, if they hold `permission`; else 403.
    pub fn require(&self, permission: Permission) -> Result<&Staff, ApiError> {
        if self.0.has(permission) {
            Ok(&self.0)
        } else {
            Err(ApiError::Forbidden(format!(
                "this needs the \"{permission}\" permission, which {} does not have",
                self.0.name
            )))
        }
    }

    /// The staff member, if they hold any permission to work on
    /// applications (reading a review needs one of them); else 403.
    pub fn require_any(&self) -> Result<&Staff, ApiError> {
        if Permission::STAFF.iter().any(|p| self.0.has(*p)) {
            Ok(&self.0)
        } else {
            let names: Vec<String> = Permission::STAFF.iter().map(|p| format!("\"{p}\"")).collect();
            Err(ApiError::Forbidden(format!(
                "this needs {} permission, and {} has neither",
                names.join(" or "),
                self.0.name
            )))
        }
    }

    /// Who submitted, as history and audit show it: "Name (id)".
    pub fn who(&self) -> String {
        format!("{} ({})", self.0.name, self.0.id)
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<SignedIn, ApiError> {
        // Verified once per request, however many extractors ask.
        if let Some(done) = parts.extensions.get::<SignedIn>() {
            return Ok(done.clone());
        }
        let token = bearer(parts)?;
        let staff = state.verifier().verify(token, writeback_auth::now())?;
        if !state.within_rate_limit(&staff.id) {
            return Err(ApiError::TooManyRequests(format!(
                "too many requests from {}: at most {} a minute; wait a moment",
                staff.name,
                crate::REQUESTS_PER_MINUTE
            )));
        }
        let signed_in = SignedIn(staff);
        parts.extensions.insert(signed_in.clone());
        Ok(signed_in)
    }
}

fn bearer(parts: &Parts) -> Result<&str, AuthError> {
    let value = parts.headers.get(header::AUTHORIZATION).ok_or(AuthError::Missing)?;
    let value = value.to_str().map_err(|_| AuthError::Malformed("the Authorization header is not ASCII".into()))?;
    let (scheme, token) = value.split_once(' ').ok_or(AuthError::Missing)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(AuthError::Missing);
    }
    Ok(token.trim())
}
