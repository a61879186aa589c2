//! The relay's HTTP API, as the widget calls it (gloo-net). The bodies are
//! [`crate::wire`]'s types, the ones the relay serves, asked for in the
//! binary format ([`REVIEW_DATA_BINARY`]): the widget carries no JSON
//! reader for them. Every call carries the staff token ([`Tokens`]).

use std::sync::{Arc, Mutex};

use gloo_net::http::{Request, RequestBuilder, Response};
use send_wrapper::SendWrapper;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

use crate::contacts::Found;
use crate::domain::{PersonId, SchoolNumber};
use crate::plan::ReviewData;
use crate::wire::{
    ApplicationSummary, CourseWritebackSubmission, HistoryEntry, WritebackSubmission, IDEMPOTENCY_KEY_HEADER,
    REVIEW_DATA_BINARY,
};

/// The claims the widget reads from its token (the relay verifies them;
/// the widget only uses them to show who is signed in and to know when to
/// ask for a fresh token).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TokenClaims {
    /// Staff id.
    pub sub: String,
    /// Staff name.
    pub name: String,
    /// Permission names.
    pub permissions: Vec<String>,
    /// Expiry (seconds since the Unix epoch).
    pub exp: u64,
}

impl TokenClaims {
    /// The claims of a JWT (its middle part), unverified.
    pub fn read(token: &str) -> Option<TokenClaims> {
        let payload = token.split('.').nth(1)?;
        let mut b64: String = payload.replace('-', "+").replace('_', "/");
        while !b64.len().is_multiple_of(4) {
            b64.push('=');
        }
        let latin1 = web_sys::window()?.atob(&b64).ok()?;
        // atob gives one char per byte: rebuild the UTF-8 text.
        let bytes: Vec<u8> = latin1.chars().map(|c| c as u32 as u8).collect();
        let claims = js_sys::JSON::parse(&String::from_utf8(bytes).ok()?).ok()?;
        if !claims.is_object() {
            return None;
        }
        let field = |name: &str| js_sys::Reflect::get(&claims, &JsValue::from_str(name)).ok();
        let text = |name: &str| field(name).and_then(|v| v.as_string()).unwrap_or_default();
        let permissions = field("permissions")
            .filter(js_sys::Array::is_array)
            .map(|p| js_sys::Array::from(&p).iter().filter_map(|p| p.as_string()).collect())
            .unwrap_or_default();
        let exp = field("exp").and_then(|v| v.as_f64()).filter(|e| *e >= 0.0).map_or(0, |e| e as u64);
        Some(TokenClaims { sub: text("sub"), name: text("name"), permissions, exp })
    }
}

/// The `error` of the relay's `{"error": ...}` body.
fn error_message(body: &str) -> Option<String> {
    let body = js_sys::JSON::parse(body).ok().filter(JsValue::is_object)?;
    js_sys::Reflect::get(&body, &JsValue::from_str("error")).ok()?.as_string()
}

/// Seconds before expiry at which the widget asks its host for a new token.
const REFRESH_BEFORE_SECONDS: u64 = 120;

/// The staff token and where a fresh one comes from: the host page's
/// callback (a global function named by `data-token-provider`, or the
/// `getToken` option of the JS API) returning a token or a Promise of one.
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    current: Arc<Mutex<Option<String>>>,
    provider: Option<SendWrapper<js_sys::Function>>,
}

impl PartialEq for Tokens {
    fn eq(&self, other: &Tokens) -> bool {
        Arc::ptr_eq(&self.current, &other.current)
    }
}

impl Tokens {
    /// Tokens starting from `initial`, renewed through `provider`.
    pub fn new(initial: Option<String>, provider: Option<js_sys::Function>) -> Tokens {
        Tokens {
            current: Arc::new(Mutex::new(initial.filter(|t| !t.is_empty()))),
            provider: provider.map(SendWrapper::new),
        }
    }

    /// The global function at `path` ("enrollment.writebackToken").
    pub fn provider_at(path: &str) -> Option<js_sys::Function> {
        let mut value: JsValue = web_sys::window()?.into();
        for part in path.split('.') {
            value = js_sys::Reflect::get(&value, &JsValue::from_str(part)).ok()?;
        }
        value.dyn_into::<js_sys::Function>().ok()
    }

    /// The claims of the current token, if any.
    pub fn claims(&self) -> Option<TokenClaims> {
        self.token().as_deref().and_then(TokenClaims::read)
    }

    fn fresh_enough(&self) -> bool {
        let now = (js_sys::Date::now() / 1000.0) as u64;
        self.claims().is_some_and(|c| c.exp > now + REFRESH_BEFORE_SECONDS)
    }

    /// A token valid for a while yet, asking the host for a new one when
    /// the current one is missing or about to expire.
    pub async fn get(&self) -> Result<String, String> {
        if !self.fresh_enough() {
            self.renew().await?;
        }
        self.token().ok_or_else(|| "not signed in: the page gave the widget no staff token".to_string())
    }

    /// Asks the host for a new token (also after the relay answered 401).
    pub async fn renew(&self) -> Result<(), String> {
        let Some(provider) = &self.provider else {
            // No way to renew: keep the current token (the relay will say if it expired).
            return Ok(());
        };
        let failed = |e: JsValue| format!("the page could not give a new staff token: {}", js_error(&e));
        let mut value = provider.call0(&JsValue::NULL).map_err(failed)?;
        if let Ok(promise) = value.clone().dyn_into::<js_sys::Promise>() {
            value = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(failed)?;
        }
        let token = value.as_string().filter(|t| !t.is_empty()).ok_or("the page gave an empty staff token")?;
        *self.current.lock().unwrap_or_else(|p| p.into_inner()) = Some(token);
        Ok(())
    }

    fn token(&self) -> Option<String> {
        self.current.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

fn js_error(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| "unknown error".into())
}

/// Where the relay is and who is signed in.
#[derive(Debug, Clone, PartialEq)]
pub struct RelayClient {
    /// Base URL ("" for the page's own origin).
    pub base: String,
    /// The staff token.
    pub tokens: Tokens,
}

/// A successful answer of the relay: its media type and bytes.
struct Answer {
    content_type: Option<String>,
    bytes: Vec<u8>,
}

impl Answer {
    /// The body in the binary format the widget asked for
    /// ([`REVIEW_DATA_BINARY`]); anything else is refused, not guessed at.
    fn binary<T: DeserializeOwned>(&self, what: &str) -> Result<T, String> {
        if self.content_type.as_deref() != Some(REVIEW_DATA_BINARY) {
            let got = self.content_type.as_deref().unwrap_or("no content type");
            return Err(format!("{what}: unexpected answer ({got}, not {REVIEW_DATA_BINARY}): reload the page"));
        }
        postcard::from_bytes(&self.bytes).map_err(|e| format!("{what}: unexpected answer ({e}): reload the page"))
    }
}

/// Reads the relay's answer; an error status becomes its `{"error"}` message.
async fn read(what: &str, resp: Result<Response, gloo_net::Error>) -> Result<Answer, String> {
    let resp = resp.map_err(|e| format!("{what}: the relay cannot be reached ({e})"))?;
    if !resp.ok() {
        let status = resp.status();
        let message = match resp.text().await.ok().as_deref().and_then(error_message) {
            Some(error) => error,
            None => resp.status_text(),
        };
        return Err(format!("{what}: {message} (HTTP {status})"));
    }
    let content_type = resp.headers().get("content-type");
    let bytes = resp.binary().await.map_err(|e| format!("{what}: unexpected answer ({e})"))?;
    Ok(Answer { content_type, bytes })
}

/// A submission in the binary format ([`REVIEW_DATA_BINARY`]), as the
/// relay reads it.
fn binary_body<T: serde::Serialize>(submission: &T, what: &str) -> Result<Vec<u8>, String> {
    postcard::to_allocvec(submission).map_err(|e| format!("{what}: the submission cannot be written ({e})"))
}

/// A query parameter's value, percent-encoded.
fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

impl RelayClient {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base.trim_end_matches('/'), path)
    }

    /// Sends the request `build` makes with an `Authorization` value; after
    /// a 401 asks the host for a new token and tries once more.
    async fn send(
        &self,
        what: &str,
        build: &dyn Fn(&str) -> Result<Request, gloo_net::Error>,
    ) -> Result<Answer, String> {
        let attempt = |token: String| {
            let req = build(&format!("Bearer {token}"));
            async move {
                match req {
                    Ok(req) => req.send().await,
                    Err(e) => Err(e),
                }
            }
        };
        let token = self.tokens.get().await.map_err(|e| format!("{what}: {e}"))?;
        let first = attempt(token).await;
        if first.as_ref().is_ok_and(|r| r.status() == 401) && self.tokens.provider.is_some() {
            self.tokens.renew().await.map_err(|e| format!("{what}: {e}"))?;
            let token = self.tokens.get().await.map_err(|e| format!("{what}: {e}"))?;
            return read(what, attempt(token).await).await;
        }
        read(what, first).await
    }

    /// A GET asking for the binary body ([`REVIEW_DATA_BINARY`]).
    fn get_request(&self, path: &str) -> impl Fn(&str) -> Result<Request, gloo_net::Error> {
        let url = self.url(path);
        move |auth: &str| {
            RequestBuilder::new(&url).header("Authorization", auth).header("Accept", REVIEW_DATA_BINARY).build()
        }
    }

    /// The applications to review.
    pub async fn applications(&self) -> Result<Vec<ApplicationSummary>, String> {
        let what = "loading applications";
        self.send(what, &self.get_request("/api/applications")).await?.binary(what)
    }

    /// One application's review data: the application, its family, the
    /// candidates and the slice of PowerSchool data its review reads.
    /// `schools`: schools whose sections of the requested courses to include;
    /// `picked`: (block, Person.ID) staff picked from a search.
    pub async fn review_data(
        &self,
        id: &str,
        schools: &[SchoolNumber],
        picked: &[(String, PersonId)],
    ) -> Result<ReviewData, String> {
        let mut params = Vec::new();
        if !schools.is_empty() {
            params
                .push(format!("schools={}", schools.iter().map(SchoolNumber::to_string).collect::<Vec<_>>().join(",")));
        }
        if !picked.is_empty() {
            let pairs: Vec<String> = picked.iter().map(|(b, p)| format!("{}:{p}", encode(b))).collect();
            params.push(format!("picked={}", pairs.join(",")));
        }
        let query = if params.is_empty() { String::new() } else { format!("?{}", params.join("&")) };
        let what = "loading the application";
        self.send(what, &self.get_request(&format!("/api/applications/{id}/review{query}"))).await?.binary(what)
    }

    /// PowerSchool's persons whose name, phone or email is `query`, ranked
    /// against contact block `block` of application `id`.
    pub async fn search_persons(&self, id: &str, block: &str, query: &str) -> Result<Found, String> {
        let path = format!("/api/applications/{id}/persons?block={}&q={}", encode(block), encode(query));
        let what = "searching PowerSchool";
        self.send(what, &self.get_request(&path)).await?.binary(what)
    }

    /// An application's history, newest first.
    pub async fn history(&self, id: &str) -> Result<Vec<HistoryEntry>, String> {
        let what = "loading the history";
        self.send(what, &self.get_request(&format!("/api/applications/{id}/history"))).await?.binary(what)
    }

    /// Submits the demographics and contacts writeback; the relay answers
    /// with the history entry of each file.
    pub async fn submit(&self, id: &str, submission: &WritebackSubmission) -> Result<Vec<HistoryEntry>, String> {
        let what = "submitting the writeback";
        self.post(&format!("/api/applications/{id}/writeback"), binary_body(submission, what)?, what).await
    }

    /// Submits a course writeback; the relay answers with its history entry.
    pub async fn submit_courses(
        &self,
        id: &str,
        submission: &CourseWritebackSubmission,
    ) -> Result<HistoryEntry, String> {
        let what = "submitting the course writeback";
        self.post(&format!("/api/applications/{id}/course-writeback"), binary_body(submission, what)?, what).await
    }

    /// POSTs a submission's binary `body` to `path` and reads the answer.
    /// One idempotency key per call, the same if the request is sent again
    /// (after a 401).
    async fn post<T: DeserializeOwned>(&self, path: &str, body: Vec<u8>, what: &str) -> Result<T, String> {
        let url = self.url(path);
        let key = idempotency_key();
        let post = |auth: &str| {
            Request::post(&url)
                .header("Authorization", auth)
                .header("Accept", REVIEW_DATA_BINARY)
                .header("Content-Type", REVIEW_DATA_BINARY)
                .header(IDEMPOTENCY_KEY_HEADER, &key)
                .body(js_sys::Uint8Array::from(body.as_slice()))
        };
        self.send(what, &post).await?.binary(what)
    }
}

/// A new idempotency key: 16 bytes from the browser's cryptographic
/// random source, in hex (the time and `Math.random` if it has none).
fn idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    match crypto.map(|c| c.get_random_values_with_u8_array(&mut bytes)) {
        Some(Ok(_)) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        _ => format!("{}-{}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e15) as u64),
    }
}
