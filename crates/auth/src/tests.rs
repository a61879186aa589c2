use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::json;

use super::*;

const NOW: u64 = 1_790_000_000;

fn keys() -> (KeyPair, Signer, Verifier) {
    let pair = KeyPair::generate().unwrap();
    let signer = Signer::from_pem(pair.signing_pem.as_bytes(), None).unwrap();
    let verifier = Verifier::from_pem(pair.verify_pem.as_bytes(), None).unwrap();
    (pair, signer, verifier)
}

fn request() -> TokenRequest {
    TokenRequest {
        staff_id: "u-17".into(),
        name: "Dana Registrar".into(),
        permissions: vec![Permission::ApplicationWriteback.as_str().into()],
        ttl_seconds: 600,
    }
}

/// A token with any claims, signed with `pair`'s key.
fn raw(pair: &KeyPair, claims: serde_json::Value) -> String {
    let key = EncodingKey::from_ed_pem(pair.signing_pem.as_bytes()).unwrap();
    jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), &claims, &key).unwrap()
}

fn claims(extra: serde_json::Value) -> serde_json::Value {
    let mut c = json!({"sub": "u-17", "name": "Dana", "permissions": [], "aud": "writeback",
                       "iat": NOW, "exp": NOW + 300, "jti": "abc"});
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

#[test]
fn a_signed_token_names_the_staff_member() {
    let (_, signer, verifier) = keys();
    let token = signer.sign(&request(), NOW).unwrap();
    let staff = verifier.verify(&token, NOW + 10).unwrap();
    assert_eq!(staff.id, "u-17");
    assert_eq!(staff.name, "Dana Registrar");
    assert!(staff.has(Permission::ApplicationWriteback));
    assert!(!staff.has(Permission::ApplicationCourseWriteback));
    assert_eq!(staff.expires_at, NOW + 600);
}

#[test]
fn each_token_has_its_own_id() {
    let (_, signer, verifier) = keys();
    let a = signer.sign(&request(), NOW).unwrap();
    let b = signer.sign(&request(), NOW).unwrap();
    assert_ne!(a, b);
    assert!(verifier.verify(&a, NOW).is_ok() && verifier.verify(&b, NOW).is_ok());
}

#[test]
fn expired_tokens_are_refused_after_the_allowed_skew() {
    let (_, signer, verifier) = keys();
    let token = signer.sign(&request(), NOW).unwrap();
    assert!(verifier.verify(&token, NOW + 600 + CLOCK_SKEW_SECONDS - 1).is_ok());
    assert_eq!(verifier.verify(&token, NOW + 600 + CLOCK_SKEW_SECONDS), Err(AuthError::Expired));
}

#[test]
fn another_key_is_refused() {
    let (_, signer, _) = keys();
    let (_, _, other) = keys();
    let token = signer.sign(&request(), NOW).unwrap();
    assert_eq!(other.verify(&token, NOW), Err(AuthError::WrongKey));
}

#[test]
fn audience_and_issuer_are_checked() {
    let (pair, _, verifier) = keys();
    assert_eq!(verifier.verify(&raw(&pair, claims(json!({"aud": "other"}))), NOW), Err(AuthError::WrongAudience));
    let pinned = Verifier::from_pem(pair.verify_pem.as_bytes(), Some("https://enroll.example".into())).unwrap();
    let no_iss = raw(&pair, claims(json!({})));
    assert!(
        matches!(pinned.verify(&no_iss, NOW), Err(AuthError::Claim { claim: "iss", .. })),
        "{:?}",
        pinned.verify(&no_iss, NOW)
    );
    let wrong = raw(&pair, claims(json!({"iss": "https://evil.example"})));
    assert_eq!(pinned.verify(&wrong, NOW), Err(AuthError::WrongIssuer("https://enroll.example".into())));
    let right = raw(&pair, claims(json!({"iss": "https://enroll.example"})));
    assert!(pinned.verify(&right, NOW).is_ok());
    let signer = Signer::from_pem(pair.signing_pem.as_bytes(), Some("https://enroll.example".into())).unwrap();
    assert!(pinned.verify(&signer.sign(&request(), NOW).unwrap(), NOW).is_ok());
}

#[test]
fn long_lived_and_incomplete_tokens_are_refused() {
    let (pair, signer, verifier) = keys();
    let check = |extra: serde_json::Value, claim: &str| {
        let err = verifier.verify(&raw(&pair, claims(extra.clone())), NOW).unwrap_err();
        assert!(matches!(&err, AuthError::Claim { claim: c, .. } if *c == claim), "{extra}: {err}");
    };
    check(json!({"exp": NOW + 3600}), "exp");
    check(json!({"iat": NOW - 3000, "exp": NOW + 100}), "exp");
    check(json!({"iat": NOW + 3000}), "iat");
    check(json!({"sub": ""}), "sub");
    check(json!({"sub": null}), "sub");
    check(json!({"name": "a\nb"}), "name");
    check(json!({"jti": ""}), "jti");
    check(json!({"iat": null}), "iat");
    assert!(matches!(
        verifier.verify(&raw(&pair, claims(json!({"exp": null}))), NOW),
        Err(AuthError::Claim { claim: "exp", .. })
    ));
    let long = TokenRequest { ttl_seconds: MAX_TTL_SECONDS + 1, ..request() };
    assert!(signer.sign(&long, NOW).is_err());
}

#[test]
fn other_algorithms_and_garbage_are_refused() {
    let (_, _, verifier) = keys();
    let hs = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims(json!({})),
        &EncodingKey::from_secret(b"secret").unwrap(),
    )
    .unwrap();
    assert!(matches!(verifier.verify(&hs, NOW), Err(AuthError::Malformed(_))), "{:?}", verifier.verify(&hs, NOW));
    // alg "none": header {"alg":"none"}, no signature.
    let none = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
    assert!(verifier.verify(none, NOW).is_err());
    assert!(matches!(verifier.verify("not a token", NOW), Err(AuthError::Malformed(_))));
}

#[test]
fn keys_that_are_not_ed25519_pem_are_refused() {
    assert!(matches!(
        Verifier::from_pem(b"-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", None),
        Err(AuthError::Key(_))
    ));
    assert!(matches!(Signer::from_pem(b"hello", None), Err(AuthError::Key(_))));
}
