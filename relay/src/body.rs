//! The body format of the relay's answers (the review data, person
//! searches, the list, the history, a submission's entries) and of the
//! submissions it reads: JSON by default, or the binary format the widget
//! asks for with `Accept` and sends with `Content-Type`
//! ([`REVIEW_DATA_BINARY`]).

use axum::extract::FromRequestParts;
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use writeback_core::wire::REVIEW_DATA_BINARY;

use crate::error::ApiError;

/// How the caller wants the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyFormat {
    /// `application/json` (anything but the binary type).
    Json,
    /// [`REVIEW_DATA_BINARY`], this relay's version of it.
    Binary,
}

impl BodyFormat {
    /// The format an `Accept` value asks for. The binary type in another
    /// version is refused: that widget is older or newer than the relay.
    pub fn of(accept: Option<&str>) -> Result<BodyFormat, ApiError> {
        let Some(accept) = accept else { return Ok(BodyFormat::Json) };
        let asked: Vec<&str> = accept.split(',').map(str::trim).collect();
        if asked.iter().any(|a| media_eq(a, REVIEW_DATA_BINARY)) {
            return Ok(BodyFormat::Binary);
        }
        match asked.iter().find(|a| media_type(a) == media_type(REVIEW_DATA_BINARY)) {
            Some(other) => Err(ApiError::NotAcceptable(format!(
                "this page's writeback is another version than the relay's (it asks for {other:?}, the relay \
                 writes {REVIEW_DATA_BINARY:?}): reload the page"
            ))),
            None => Ok(BodyFormat::Json),
        }
    }

    /// The format a request's `Content-Type` says its body is in. The
    /// binary type in another version is refused: that widget is older or
    /// newer than the relay.
    pub fn of_content(content_type: Option<&str>) -> Result<BodyFormat, ApiError> {
        match content_type {
            Some(sent) if media_eq(sent, REVIEW_DATA_BINARY) => Ok(BodyFormat::Binary),
            Some(sent) if media_type(sent) == media_type(REVIEW_DATA_BINARY) => {
                Err(ApiError::UnsupportedMediaType(format!(
                    "this page's writeback is another version than the relay's (it sends {sent:?}, the relay \
                     reads {REVIEW_DATA_BINARY:?}): reload the page"
                )))
            }
            _ => Ok(BodyFormat::Json),
        }
    }

    /// `bytes` read as a `T` in this format, or why not (400): JSON with
    /// its field names checked, or the binary format read to its last byte.
    pub fn read<T: DeserializeOwned>(self, bytes: &[u8], what: &str) -> Result<T, ApiError> {
        let invalid = |e: String| ApiError::BadRequest(format!("the {what} is not valid: {e}"));
        match self {
            BodyFormat::Json => serde_json::from_slice(bytes).map_err(|e| invalid(e.to_string())),
            BodyFormat::Binary => match postcard::take_from_bytes(bytes) {
                Ok((value, [])) => Ok(value),
                Ok((_, rest)) => Err(invalid(format!("{} bytes after it", rest.len()))),
                Err(e) => Err(invalid(e.to_string())),
            },
        }
    }

    /// `value` as a response in this format.
    pub fn respond<T: Serialize>(self, value: &T) -> Result<Response, ApiError> {
        let written = |e: String| ApiError::Internal(format!("the answer cannot be written: {e}"));
        let (media, bytes) = match self {
            BodyFormat::Json => ("application/json", serde_json::to_vec(value).map_err(|e| written(e.to_string()))?),
            BodyFormat::Binary => {
                (REVIEW_DATA_BINARY, postcard::to_allocvec(value).map_err(|e| written(e.to_string()))?)
            }
        };
        Ok(([(CONTENT_TYPE, media)], bytes).into_response())
    }
}

/// A media type without its parameters (`; v=2`): tells an older or
/// newer widget from a client that wants JSON.
fn media_type(media: &str) -> &str {
    media.split(';').next().unwrap_or(media).trim()
}

/// The same media type, ignoring spaces around `;`.
fn media_eq(a: &str, b: &str) -> bool {
    let parts = |s: &str| s.split(';').map(str::trim).map(str::to_owned).collect::<Vec<_>>();
    parts(a) == parts(b)
}

/// The format of a request's body, from its `Content-Type`
/// ([`BodyFormat::of_content`]).
pub struct Sent(pub BodyFormat);

impl<S: Send + Sync> FromRequestParts<S> for Sent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Sent, ApiError> {
        let sent = match parts.headers.get(CONTENT_TYPE) {
            Some(v) => {
                Some(v.to_str().map_err(|_| ApiError::BadRequest("the Content-Type header is not text".into()))?)
            }
            None => None,
        };
        BodyFormat::of_content(sent).map(Sent)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for BodyFormat {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<BodyFormat, ApiError> {
        let accept = match parts.headers.get(ACCEPT) {
            Some(v) => Some(v.to_str().map_err(|_| ApiError::BadRequest("the Accept header is not text".into()))?),
            None => None,
        };
        BodyFormat::of(accept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_unless_the_binary_type_is_asked_for() {
        assert_eq!(BodyFormat::of(None).unwrap(), BodyFormat::Json);
        assert_eq!(BodyFormat::of(Some("application/json")).unwrap(), BodyFormat::Json);
        assert_eq!(BodyFormat::of(Some("*/*")).unwrap(), BodyFormat::Json);
        assert_eq!(BodyFormat::of(Some(REVIEW_DATA_BINARY)).unwrap(), BodyFormat::Binary);
        let spaced = REVIEW_DATA_BINARY.replace("; ", " ;  ");
        assert_eq!(BodyFormat::of(Some(&format!("application/json, {spaced}"))).unwrap(), BodyFormat::Binary);
    }

    #[test]
    fn a_body_is_read_in_the_format_it_was_sent_in_and_to_its_last_byte() {
        assert_eq!(BodyFormat::of_content(None).unwrap(), BodyFormat::Json);
        assert_eq!(BodyFormat::of_content(Some("application/json")).unwrap(), BodyFormat::Json);
        assert_eq!(BodyFormat::of_content(Some(REVIEW_DATA_BINARY)).unwrap(), BodyFormat::Binary);
        let older = REVIEW_DATA_BINARY.replace("v=2", "v=1");
        let err = BodyFormat::of_content(Some(&older)).unwrap_err();
        assert_eq!(err.status(), axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert!(err.to_string().ends_with("reload the page"), "{err}");

        let bytes = postcard::to_allocvec(&(7u32, "seven".to_string())).unwrap();
        let read: (u32, String) = BodyFormat::Binary.read(&bytes, "pair").unwrap();
        assert_eq!(read, (7, "seven".to_string()));
        let longer = [bytes.as_slice(), &[0]].concat();
        let err = BodyFormat::Binary.read::<(u32, String)>(&longer, "pair").unwrap_err();
        assert_eq!(err.to_string(), "the pair is not valid: 1 bytes after it");
        let err = BodyFormat::Binary.read::<(u32, String)>(&bytes[..2], "pair").unwrap_err();
        assert_eq!(err.status(), axum::http::StatusCode::BAD_REQUEST);
        let err = BodyFormat::Json.read::<(u32, String)>(b"{", "pair").unwrap_err();
        assert!(err.to_string().starts_with("the pair is not valid: "), "{err}");
    }

    #[test]
    fn another_version_of_the_binary_type_is_refused_with_what_to_do() {
        let unversioned = media_type(REVIEW_DATA_BINARY);
        assert_eq!(unversioned, "application/x-writeback-review+postcard");
        let err = BodyFormat::of(Some(&format!("{unversioned}; v=0"))).unwrap_err();
        assert_eq!(err.status(), axum::http::StatusCode::NOT_ACCEPTABLE);
        assert!(err.to_string().contains("reload the page"), "{err}");
        let err = BodyFormat::of(Some(unversioned)).unwrap_err();
        assert!(err.to_string().contains("another version"), "{err}");
    }
}
