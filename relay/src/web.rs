//! What wraps every route: the request log, the Host and Origin checks,
//! CORS for the configured host pages, security headers, compression, and
//! the UI's static files with cache headers.

use std::path::Path;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::ApiError;
use crate::AppState;

/// The UI from `dir`: hashed assets cached for a year, `index.html` (also
/// for unknown paths) revalidated every time.
pub fn static_files(router: Router, dir: &Path) -> Router {
    let index = ServeFile::new(dir.join("index.html"));
    let files =
        Router::new().fallback_service(ServeDir::new(dir).fallback(index)).layer(middleware::from_fn(cache_headers));
    router.fallback_service(files)
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut res = next.run(req).await;
    let hashed = path.rsplit('/').next().is_some_and(|name| {
        name.rsplit_once('.').is_some_and(|(stem, _)| stem.rsplit_once('-').is_some_and(|(_, h)| h.len() >= 16))
    });
    let value = if hashed && res.status().is_success() { "public, max-age=31536000, immutable" } else { "no-cache" };
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// The layers every response goes through.
pub fn layers(router: Router, state: &AppState) -> Router {
    let csp = content_security_policy(state.shared.dist.as_deref());
    let origins: Vec<HeaderValue> =
        state.shared.web.allowed_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::HeaderName::from_bytes(writeback_core::wire::IDEMPOTENCY_KEY_HEADER.as_bytes())
                .expect("a header name"),
        ]);
    router
        .layer(middleware::from_fn_with_state(state.clone(), check_host_and_origin))
        .layer(cors)
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&csp).expect("the policy is ASCII"),
        ))
        // Student data is never kept by a browser or a proxy; the UI's
        // static files set their own (hashed assets cached for a year).
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN")))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
}

/// The policy for the widget's pages: only its own scripts (the inline
/// loader Trunk writes is allowed by its hash), WebAssembly, its own styles,
/// and calls to itself.
pub fn content_security_policy(dist: Option<&Path>) -> String {
    let mut script = vec!["'self'".to_string(), "'wasm-unsafe-eval'".to_string()];
    if let Some(index) = dist.and_then(|d| std::fs::read_to_string(d.join("index.html")).ok()) {
        script.extend(inline_scripts(&index).map(|s| {
            format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes())))
        }));
    }
    format!(
        "default-src 'self'; script-src {}; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
        script.join(" ")
    )
}

/// The bodies of the `<script>` elements without a `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (tag, body) = rest.split_once('>')?;
        let (body, _) = body.split_once("</script>")?;
        (!tag.contains("src=")).then_some(body)
    })
}

/// Refuses a Host that is not the relay's own (DNS rebinding) and a write
/// from an Origin that is neither the relay's nor a configured host page.
async fn check_host_and_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let web = &state.shared.web;
    let host =
        req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).or(req.uri().authority().map(|a| a.as_str()));
    match host {
        None => return ApiError::BadRequest("the Host header is required".into()).into_response(),
        Some(h) if !web.allowed_hosts.iter().any(|a| a.eq_ignore_ascii_case(h)) => {
            return ApiError::WrongHost(format!(
                "this relay answers to {} only, not {h:?}: set --public-origin to the address staff use",
                web.allowed_hosts.join(", ")
            ))
            .into_response();
        }
        Some(_) => {}
    }
    if req.method() != Method::GET && req.method() != Method::HEAD && req.method() != Method::OPTIONS {
        if let Some(origin) = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
            if !web.allowed_origins.iter().any(|a| a == origin) {
                return ApiError::Forbidden(format!(
                    "writes from {origin} are not allowed: add it with --allowed-origin if it is the enrollment system's page"
                ))
                .into_response();
            }
        }
    }
    next.run(req).await
}

/// The hosts and origins the relay answers to.
#[derive(Debug, Clone, Default)]
pub struct WebPolicy {
    /// `host[:port]` values the Host header may carry.
    pub allowed_hosts: Vec<String>,
    /// Origins allowed to call the API (CORS) and to write.
    pub allowed_origins: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_found_and_hashed() {
        let html = "<script type=\"module\">import init from '/a.js';</script><script src=\"/b.js\"></script>";
        assert_eq!(inline_scripts(html).collect::<Vec<_>>(), ["import init from '/a.js';"]);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), html).unwrap();
        let csp = content_security_policy(Some(dir.path()));
        assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
    }
}
