//! The staff token: how the enrollment system tells the relay who is signed
//! in. The host's server signs a short-lived JWT with Ed25519 (`alg` EdDSA);
//! the relay verifies it on every `/api` call. Claims: `sub` (staff id),
//! `name`, `permissions`, `aud` = [`AUDIENCE`], `iat`, `exp` (at most
//! [`MAX_TTL_SECONDS`] ahead), `jti`, and optionally `iss`.
//!
//! The crypto is `jsonwebtoken` (with the RustCrypto backend) and
//! `ed25519-dalek`; nothing here is hand-written crypto.
#![deny(missing_docs)]

use std::fmt;

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The `aud` every token must carry.
pub const AUDIENCE: &str = "writeback";
/// The longest a token may live: 15 minutes.
pub const MAX_TTL_SECONDS: u64 = 15 * 60;
/// How far the clocks of the host and the relay may disagree.
pub const CLOCK_SKEW_SECONDS: u64 = 60;

/// What a staff member may do. The names are the enrollment system's
/// permission names, as they appear in the token's `permissions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Write an application's demographics and contacts back.
    ApplicationWriteback,
    /// Write an application's courses back (the course writeback beta).
    ApplicationCourseWriteback,
    /// Hand approved applications to the relay (the enrollment system's
    /// service account, not staff).
    ApplicationIntake,
    /// Run the relay: reload PowerSchool's exports, read its status
    /// (district IT).
    Administration,
}

impl Permission {
    /// The staff permissions: either lets a staff member open an
    /// application's review.
    pub const STAFF: [Permission; 2] = [Permission::ApplicationWriteback, Permission::ApplicationCourseWriteback];
    /// Every permission.
    pub const ALL: [Permission; 4] = [
        Permission::ApplicationWriteback,
        Permission::ApplicationCourseWriteback,
        Permission::ApplicationIntake,
        Permission::Administration,
    ];

    /// The name in the token.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ApplicationWriteback => "Application Writeback",
            Permission::ApplicationCourseWriteback => "Application Course Writeback",
            Permission::ApplicationIntake => "Application Intake",
            Permission::Administration => "Writeback Administration",
        }
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The token's claims, as signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The staff member's id in the enrollment system.
    #[serde(default)]
    pub sub: String,
    /// The staff member's name, as history and audit show it.
    #[serde(default)]
    pub name: String,
    /// Permission names (see [`Permission`]); others are ignored.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// Always [`AUDIENCE`].
    #[serde(default)]
    pub aud: String,
    /// Issued at (seconds since the Unix epoch; 0 when missing, refused).
    #[serde(default)]
    pub iat: u64,
    /// Expires at (seconds since the Unix epoch; 0 when missing, refused).
    #[serde(default)]
    pub exp: u64,
    /// A unique id for this token.
    #[serde(default)]
    pub jti: String,
    /// The issuer, when the relay pins one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
}

/// The signed-in staff member a verified token names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    /// The staff id (`sub`).
    pub id: String,
    /// The name (`name`).
    pub name: String,
    /// The permission names granted (`permissions`).
    pub permissions: Vec<String>,
    /// When the token expires (seconds since the Unix epoch).
    pub expires_at: u64,
}

impl Staff {
    /// Whether the staff member holds `permission`.
    pub fn has(&self, permission: Permission) -> bool {
        self.permissions.iter().any(|p| p == permission.as_str())
    }
}

/// Why a token or a key was refused. Each says what is wrong in words a
/// host system's developer can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// No token was sent.
    #[error("sign-in required: send the staff token as `Authorization: Bearer <token>`")]
    Missing,
    /// The token is not a JWT this relay can read.
    #[error("the staff token is malformed: {0}")]
    Malformed(String),
    /// The signature does not verify with the configured key.
    #[error("the staff token is not signed by the enrollment system's key")]
    WrongKey,
    /// The token has expired.
    #[error("the staff token has expired: ask the enrollment system for a new one")]
    Expired,
    /// The token's `aud` is not [`AUDIENCE`].
    #[error("the staff token is for another audience: `aud` must be \"writeback\"")]
    WrongAudience,
    /// The token's `iss` is not the pinned issuer.
    #[error("the staff token comes from another issuer: `iss` must be {0:?}")]
    WrongIssuer(String),
    /// A claim is missing or out of bounds.
    #[error("the staff token's `{claim}` claim {problem}")]
    Claim {
        /// The claim.
        claim: &'static str,
        /// What is wrong with it.
        problem: String,
    },
    /// A key cannot be used.
    #[error("the key is not an Ed25519 key in PEM: {0}")]
    Key(String),
}

/// Verifies staff tokens with the enrollment system's public key.
#[derive(Clone)]
pub struct Verifier {
    key: DecodingKey,
    validation: Validation,
    issuer: Option<String>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier").field("issuer", &self.issuer).finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier for the public key `pem` (SPKI PEM, "BEGIN PUBLIC KEY");
    /// with `issuer`, tokens must carry exactly that `iss`.
    pub fn from_pem(pem: &[u8], issuer: Option<String>) -> Result<Verifier, AuthError> {
        let key = DecodingKey::from_ed_pem(pem).map_err(|e| AuthError::Key(e.to_string()))?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "aud", "sub", "iat"]);
        validation.leeway = CLOCK_SKEW_SECONDS;
        if let Some(iss) = &issuer {
            validation.set_issuer(&[iss]);
            validation.set_required_spec_claims(&["exp", "aud", "sub", "iat", "iss"]);
        }
        Ok(Verifier { key, validation, issuer })
    }

    /// The staff member `token` names, checked at `now` (seconds since
    /// the Unix epoch): signature, audience, issuer, lifetime and claims.
    pub fn verify(&self, token: &str, now: u64) -> Result<Staff, AuthError> {
        use jsonwebtoken::errors::ErrorKind;
        let mut validation = self.validation.clone();
        // Expiry is checked below against `now`, so tests can move the clock.
        validation.validate_exp = false;
        let data = jsonwebtoken::decode::<Claims>(token, &self.key, &validation).map_err(|e| match e.kind() {
            ErrorKind::InvalidSignature => AuthError::WrongKey,
            ErrorKind::InvalidAudience => AuthError::WrongAudience,
            ErrorKind::InvalidIssuer => AuthError::WrongIssuer(self.issuer.clone().unwrap_or_default()),
            ErrorKind::MissingRequiredClaim(c) => {
                AuthError::Claim { claim: claim_name(c), problem: "is missing".into() }
            }
            ErrorKind::InvalidAlgorithm => AuthError::Malformed("the algorithm must be EdDSA".into()),
            _ => AuthError::Malformed(e.to_string()),
        })?;
        check_claims(&data.claims, now)?;
        let Claims { sub, name, permissions, exp, .. } = data.claims;
        Ok(Staff { id: sub, name, permissions, expires_at: exp })
    }
}

fn claim_name(c: &str) -> &'static str {
    match c {
        "exp" => "exp",
        "aud" => "aud",
        "sub" => "sub",
        "iat" => "iat",
        "iss" => "iss",
        _ => "a required",
    }
}

fn check_claims(c: &Claims, now: u64) -> Result<(), AuthError> {
    let claim = |claim: &'static str, problem: &str| Err(AuthError::Claim { claim, problem: problem.into() });
    if c.exp == 0 {
        return claim("exp", "is missing");
    }
    if c.iat == 0 {
        return claim("iat", "is missing");
    }
    if c.exp + CLOCK_SKEW_SECONDS <= now {
        return Err(AuthError::Expired);
    }
    if c.exp > now + MAX_TTL_SECONDS + CLOCK_SKEW_SECONDS {
        return claim("exp", "is more than 15 minutes ahead: staff tokens must be short-lived");
    }
    if c.iat > now + CLOCK_SKEW_SECONDS {
        return claim("iat", "is in the future");
    }
    if c.exp <= c.iat {
        return claim("exp", "is not after `iat`");
    }
    if c.exp - c.iat > MAX_TTL_SECONDS {
        return claim("exp", "is more than 15 minutes after `iat`: staff tokens must be short-lived");
    }
    if !plain_text(&c.sub, 128) {
        return claim("sub", "must be 1 to 128 characters without control characters");
    }
    if !plain_text(&c.name, 64) {
        return claim("name", "must be 1 to 64 characters without control characters");
    }
    if !plain_text(&c.jti, 128) {
        return claim("jti", "must be a unique id of 1 to 128 characters");
    }
    if c.permissions.len() > 32 || c.permissions.iter().any(|p| !plain_text(p, 64)) {
        return claim("permissions", "must be at most 32 names of 1 to 64 characters");
    }
    Ok(())
}

fn plain_text(s: &str, max: usize) -> bool {
    let n = s.trim().chars().count();
    (1..=max).contains(&n) && !s.chars().any(char::is_control)
}

/// Signs staff tokens (what the enrollment system's server does; here for
/// the command line, the demo and the tests).
#[derive(Clone)]
pub struct Signer {
    key: EncodingKey,
    issuer: Option<String>,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer").field("issuer", &self.issuer).finish_non_exhaustive()
    }
}

/// Who a token is for and how long it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    /// Staff id (`sub`).
    pub staff_id: String,
    /// Name (`name`).
    pub name: String,
    /// Permission names.
    pub permissions: Vec<String>,
    /// Lifetime in seconds (at most [`MAX_TTL_SECONDS`]).
    pub ttl_seconds: u64,
}

impl Signer {
    /// A signer for the private key `pem` (PKCS#8 PEM, "BEGIN PRIVATE KEY").
    pub fn from_pem(pem: &[u8], issuer: Option<String>) -> Result<Signer, AuthError> {
        let key = EncodingKey::from_ed_pem(pem).map_err(|e| AuthError::Key(e.to_string()))?;
        Ok(Signer { key, issuer })
    }

    /// A token for `request`, issued at `now` (seconds since the Unix epoch).
    pub fn sign(&self, request: &TokenRequest, now: u64) -> Result<String, AuthError> {
        if !(1..=MAX_TTL_SECONDS).contains(&request.ttl_seconds) {
            return Err(AuthError::Claim {
                claim: "exp",
                problem: format!("must be 1 to {MAX_TTL_SECONDS} seconds after `iat`"),
            });
        }
        let claims = Claims {
            sub: request.staff_id.clone(),
            name: request.name.clone(),
            permissions: request.permissions.clone(),
            aud: AUDIENCE.into(),
            iat: now,
            exp: now + request.ttl_seconds,
            jti: random_id()?,
            iss: self.issuer.clone(),
        };
        check_claims(&claims, now)?;
        jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), &claims, &self.key)
            .map_err(|e| AuthError::Key(e.to_string()))
    }
}

fn random_id() -> Result<String, AuthError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| AuthError::Key(format!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A new Ed25519 key pair, as PEM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPair {
    /// The private key (PKCS#8): stays with the enrollment system.
    pub signing_pem: String,
    /// The public key (SPKI): given to the relay (`--auth-public-key`).
    pub verify_pem: String,
}

impl KeyPair {
    /// Generates a key pair from the operating system's randomness.
    pub fn generate() -> Result<KeyPair, AuthError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| AuthError::Key(format!("no randomness: {e}")))?;
        let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
        let signing_pem = signing.to_pkcs8_pem(LineEnding::LF).map_err(|e| AuthError::Key(e.to_string()))?.to_string();
        let verify_pem =
            signing.verifying_key().to_public_key_pem(LineEnding::LF).map_err(|e| AuthError::Key(e.to_string()))?;
        Ok(KeyPair { signing_pem, verify_pem })
    }
}

/// Seconds since the Unix epoch, from the system clock.
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests;
