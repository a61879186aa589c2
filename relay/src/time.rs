//! UTC instants as the relay writes them, by jiff: whole seconds, in
//! RFC 3339 (the database, the history) and in the compact form of file
//! names.

use std::time::SystemTime;

use jiff::Timestamp;

/// `t` as a jiff timestamp (a time jiff cannot hold is clamped to the epoch).
pub fn timestamp(t: SystemTime) -> Timestamp {
    Timestamp::try_from(t).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// RFC 3339 in UTC, whole seconds: `2026-11-22T09:14:03Z`.
pub fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The current time, as [`rfc3339`].
pub fn now_rfc3339() -> String {
    rfc3339(Timestamp::now())
}

/// The compact form used in file names, in UTC: `20261122T091403`.
pub fn compact(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        let cases = [
            (0, "1970-01-01T00:00:00Z", "19700101T000000"),
            (951_782_400, "2000-02-29T00:00:00Z", "20000229T000000"),
            (1_700_000_000, "2023-11-14T22:13:20Z", "20231114T221320"),
            (1_795_338_043, "2026-11-22T09:00:43Z", "20261122T090043"),
            (4_107_542_399, "2100-02-28T23:59:59Z", "21000228T235959"),
        ];
        for (secs, rfc, short) in cases {
            // A fraction of a second is dropped, not rounded.
            let at = std::time::UNIX_EPOCH + std::time::Duration::from_millis(secs * 1000 + 999);
            let t = timestamp(at);
            assert_eq!(rfc3339(t), rfc, "{secs}");
            assert_eq!(compact(t), short, "{secs}");
        }
    }
}
