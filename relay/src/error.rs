//! The one error type of the HTTP API, with its status mapped once.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use writeback_auth::AuthError;

/// Everything a request can fail with. The body is always
/// `{"error": "<what is wrong and what to do>"}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No valid staff token (401).
    #[error(transparent)]
    Unauthenticated(#[from] AuthError),
    /// A valid token without the permission the route needs (403), or a
    /// feature the district has not turned on.
    #[error("{0}")]
    Forbidden(String),
    /// No such application or route (404).
    #[error("{0}")]
    NotFound(String),
    /// The request cannot be read (400).
    #[error("{0}")]
    BadRequest(String),
    /// The body asked for is one the relay does not write (406): a
    /// widget of another version.
    #[error("{0}")]
    NotAcceptable(String),
    /// The body is in a format the relay does not read (415): a widget of
    /// another version.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The request contradicts the relay's state (409): not approved, not
    /// what the core writes, already written.
    #[error("{0}")]
    Conflict(String),
    /// Readable, but refused by a rule (422).
    #[error("{0}")]
    Unprocessable(String),
    /// The body is over the limit (413).
    #[error("{0}")]
    TooLarge(String),
    /// Too many requests from one staff member (429).
    #[error("{0}")]
    TooManyRequests(String),
    /// Not the configured host or origin (421 / 403).
    #[error("{0}")]
    WrongHost(String),
    /// The relay failed (500); nothing was accepted.
    #[error("{0}")]
    Internal(String),
    /// The relay is not ready (503), e.g. no PowerSchool data loaded.
    #[error("{0}")]
    Unavailable(String),
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::WrongHost(_) => StatusCode::MISDIRECTED_REQUEST,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let body = Json(serde_json::json!({ "error": self.to_string() }));
        if status == StatusCode::UNAUTHORIZED {
            (status, [(header::WWW_AUTHENTICATE, "Bearer realm=\"writeback\"")], body).into_response()
        } else {
            (status, body).into_response()
        }
    }
}
