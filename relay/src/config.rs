//! Command-line and environment configuration, and its validation.

use std::fmt;
use std::path::PathBuf;

use clap::Parser;

/// The relay's configuration. Every flag can also be set through the
/// environment variable named next to it.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "writeback-relay",
    version,
    about = "Receives finished PowerSchool import files, stores them durably and delivers them over SFTP"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "WRITEBACK_LISTEN", default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: String,
    /// The built UI, served at `/` (unknown paths get its index.html).
    #[arg(long, env = "WRITEBACK_DIST", value_name = "DIR")]
    pub dist: Option<PathBuf>,
    /// Demo data: a folder with `snapshot/`, `applications/*.json` and `mappings.json`.
    #[arg(long, env = "WRITEBACK_DEMO", value_name = "DIR")]
    pub demo: Option<PathBuf>,
    /// Durable storage: the spool of accepted files and the history log.
    #[arg(long, env = "WRITEBACK_DATA_DIR", default_value = "var/relay", value_name = "DIR")]
    pub data_dir: PathBuf,
    /// Where files go when no SFTP server is configured [default: <data-dir>/outbox].
    #[arg(long, env = "WRITEBACK_OUTBOX", value_name = "DIR")]
    pub outbox: Option<PathBuf>,
    /// The SFTP server PowerSchool's AutoComm reads from.
    #[arg(long, env = "WRITEBACK_SFTP_HOST", value_name = "HOST")]
    pub sftp_host: Option<String>,
    /// The SFTP server's port.
    #[arg(long, env = "WRITEBACK_SFTP_PORT", default_value_t = 22, value_name = "PORT")]
    pub sftp_port: u16,
    /// The SFTP user.
    #[arg(long, env = "WRITEBACK_SFTP_USER", value_name = "USER")]
    pub sftp_user: Option<String>,
    /// The SFTP user's private key file.
    #[arg(long, env = "WRITEBACK_SFTP_KEY", value_name = "FILE")]
    pub sftp_key: Option<PathBuf>,
    /// The server's pinned public host key, as in known_hosts without the
    /// host name: "ssh-ed25519 AAAA...".
    #[arg(long, env = "WRITEBACK_SFTP_HOST_KEY", value_name = "KEY")]
    pub sftp_host_key: Option<String>,
    /// The remote folder AutoComm picks files up from.
    #[arg(long, env = "WRITEBACK_SFTP_DIR", value_name = "DIR")]
    pub sftp_dir: Option<String>,
    /// Gone: the district's time is `time_zone` in district.json (IANA,
    /// daylight saving right). Still recognised, to refuse it saying so.
    #[arg(
        long,
        hide = true,
        env = "WRITEBACK_DISTRICT_UTC_OFFSET",
        value_name = "OFFSET",
        allow_hyphen_values = true,
        value_parser = replaced_by_time_zone
    )]
    pub district_utc_offset: Option<String>,
    /// The enrollment system's public key (PEM, Ed25519) that signs staff
    /// tokens. Required: every /api call must carry a token it verifies.
    #[arg(long, env = "WRITEBACK_AUTH_PUBLIC_KEY", value_name = "FILE")]
    pub auth_public_key: Option<PathBuf>,
    /// Tokens must carry exactly this `iss` (the enrollment system's name).
    #[arg(long, env = "WRITEBACK_AUTH_ISSUER", value_name = "ISSUER")]
    pub auth_issuer: Option<String>,
    /// The address staff use to reach the relay, e.g.
    /// https://writeback.district.org [default: http://<listen>]. The Host
    /// header must name it (no DNS rebinding).
    #[arg(long, env = "WRITEBACK_PUBLIC_ORIGIN", value_name = "URL")]
    pub public_origin: Option<String>,
    /// An origin of the enrollment system's pages that embed the widget
    /// (repeatable), e.g. https://enroll.district.org: allowed by CORS and
    /// to submit.
    #[arg(long = "allowed-origin", env = "WRITEBACK_ALLOWED_ORIGINS", value_delimiter = ',', value_name = "URL")]
    pub allowed_origins: Vec<String>,
    /// How often to look for a new export set in the demo folder's
    /// snapshot/ (seconds; 0: never; `POST /api/admin/reload` reloads now).
    #[arg(long, env = "WRITEBACK_RELOAD_INTERVAL_SECONDS", default_value_t = 30, value_name = "SECONDS")]
    pub reload_interval_seconds: u64,
    /// DEMO ONLY: sign staff tokens for the demo page at /demo/token with
    /// this private key (a stand-in for the enrollment system). Refused
    /// unless the relay listens on loopback.
    #[arg(long, env = "WRITEBACK_DEMO_SIGNING_KEY", value_name = "FILE")]
    pub demo_signing_key: Option<PathBuf>,
    /// Days a delivered file's bytes stay in the spool (its history entry
    /// stays for good). 0 removes them within the hour after delivery.
    #[arg(long, env = "WRITEBACK_SPOOL_RETENTION_DAYS", default_value_t = 30, value_name = "DAYS")]
    pub spool_retention_days: u32,
}

/// Refuses the old fixed offset from UTC: a fixed offset was an hour off
/// for half the year where clocks change.
fn replaced_by_time_zone(_: &str) -> Result<String, String> {
    Err("the district's time is now district.json's \"time_zone\" (an IANA name such as \"America/Chicago\", daylight saving right): remove this option and set time_zone there".into())
}

/// Where accepted files are delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A local folder (no SFTP configured).
    Outbox(PathBuf),
    /// An SFTP server.
    Sftp(SftpConfig),
}

/// A validated SFTP destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SftpConfig {
    /// Host name or address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// User.
    pub user: String,
    /// Private key file.
    pub key: PathBuf,
    /// The pinned host key.
    pub host_key: HostKey,
    /// Remote folder, without a trailing `/` (except the root itself).
    pub dir: String,
}

impl SftpConfig {
    /// The remote path of `name` inside the folder.
    pub fn remote_path(&self, name: &str) -> String {
        if self.dir.ends_with('/') {
            format!("{}{name}", self.dir)
        } else {
            format!("{}/{name}", self.dir)
        }
    }

    /// The host as known_hosts names it: `host` on port 22, else `[host]:port`.
    pub fn known_hosts_name(&self) -> String {
        if self.port == 22 {
            self.host.clone()
        } else {
            format!("[{}]:{}", self.host, self.port)
        }
    }
}

impl fmt::Display for SftpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sep = if self.dir.starts_with('/') { "" } else { "/" };
        write!(f, "sftp://{}:{}{sep}{}", self.host, self.port, self.dir)
    }
}

/// A public host key: algorithm and base64 blob (a trailing comment is dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostKey {
    algorithm: String,
    blob: String,
}

const HOST_KEY_ALGORITHMS: [&str; 7] = [
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-rsa",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

impl HostKey {
    /// Parses `"<algorithm> <base64> [comment]"`.
    pub fn parse(raw: &str) -> Result<HostKey, String> {
        let mut parts = raw.split_whitespace();
        let (Some(algorithm), Some(blob)) = (parts.next(), parts.next()) else {
            return Err("expected \"<key type> <base64 key>\", e.g. \"ssh-ed25519 AAAAC3Nz...\"".into());
        };
        if !HOST_KEY_ALGORITHMS.contains(&algorithm) {
            return Err(format!("unknown key type {algorithm:?}: expected one of {}", HOST_KEY_ALGORITHMS.join(", ")));
        }
        let base64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
        if blob.len() < 16 || !blob.bytes().all(base64) {
            return Err(format!("the key {blob:?} is not base64"));
        }
        Ok(HostKey { algorithm: algorithm.to_string(), blob: blob.to_string() })
    }
}

impl fmt::Display for HostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.algorithm, self.blob)
    }
}

/// A configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// `--sftp-host` without the rest of the SFTP settings.
    #[error("--sftp-host is set, so {} must be set too (flags or WRITEBACK_SFTP_* variables)", .0.join(", "))]
    IncompleteSftp(Vec<&'static str>),
    /// An SFTP setting without `--sftp-host`.
    #[error(
        "{0} is set but --sftp-host is not: set --sftp-host to deliver over SFTP, or drop {0} to use the local outbox"
    )]
    SftpWithoutHost(&'static str),
    /// A value that is not acceptable.
    #[error("{flag}: {reason}")]
    Invalid {
        /// The flag.
        flag: &'static str,
        /// What is wrong.
        reason: String,
    },
}

impl Config {
    /// The enrollment system's public key file, which is required.
    pub fn auth_public_key(&self) -> Result<&std::path::Path, ConfigError> {
        self.auth_public_key.as_deref().ok_or(ConfigError::Invalid {
            flag: "--auth-public-key",
            reason: "required: the enrollment system's Ed25519 public key (PEM) that signs staff tokens \
                     (`writeback keys --out DIR` makes a pair for a trial)"
                .into(),
        })
    }

    /// The hosts and origins the relay answers to: `--public-origin` (or
    /// `http://<listen>`, with `localhost` for a loopback listen address)
    /// and the `--allowed-origin`s.
    pub fn web_policy(&self) -> Result<crate::web::WebPolicy, ConfigError> {
        let public = self.public_origin.clone().unwrap_or_else(|| format!("http://{}", self.listen));
        let mut origins = vec![origin(&public, "--public-origin")?];
        let mut hosts = vec![host_of(&origins[0])];
        if self.public_origin.is_none() {
            if let Some(port) = self.listen.strip_prefix("127.0.0.1:") {
                hosts.push(format!("localhost:{port}"));
                origins.push(format!("http://localhost:{port}"));
            }
        }
        for o in &self.allowed_origins {
            origins.push(origin(o, "--allowed-origin")?);
        }
        Ok(crate::web::WebPolicy { allowed_hosts: hosts, allowed_origins: origins })
    }

    /// The demo token endpoint hands tokens to anyone: only on loopback.
    pub fn check_demo_token_allowed(&self) -> Result<(), ConfigError> {
        let loopback = self.listen.parse::<std::net::SocketAddr>().is_ok_and(|a| a.ip().is_loopback());
        if loopback {
            Ok(())
        } else {
            Err(ConfigError::Invalid {
                flag: "--demo-signing-key",
                reason: format!(
                    "the demo token endpoint gives a staff token to anyone who asks, so it is allowed only on a loopback address, not {}",
                    self.listen
                ),
            })
        }
    }

    /// Where accepted files go: the SFTP server if `--sftp-host` is set,
    /// else the local outbox.
    pub fn destination(&self) -> Result<Destination, ConfigError> {
        let Some(host) = &self.sftp_host else {
            let others = [
                ("--sftp-user", self.sftp_user.is_some()),
                ("--sftp-key", self.sftp_key.is_some()),
                ("--sftp-host-key", self.sftp_host_key.is_some()),
                ("--sftp-dir", self.sftp_dir.is_some()),
            ];
            if let Some((flag, _)) = others.iter().find(|(_, set)| *set) {
                return Err(ConfigError::SftpWithoutHost(flag));
            }
            return Ok(Destination::Outbox(self.outbox_dir()));
        };
        let missing: Vec<&'static str> = [
            ("--sftp-user", self.sftp_user.is_none()),
            ("--sftp-key", self.sftp_key.is_none()),
            ("--sftp-host-key", self.sftp_host_key.is_none()),
            ("--sftp-dir", self.sftp_dir.is_none()),
        ]
        .into_iter()
        .filter_map(|(flag, missing)| missing.then_some(flag))
        .collect();
        let (Some(user), Some(key), Some(host_key), Some(dir)) =
            (&self.sftp_user, &self.sftp_key, &self.sftp_host_key, &self.sftp_dir)
        else {
            return Err(ConfigError::IncompleteSftp(missing));
        };
        let invalid = |flag, reason: &str| ConfigError::Invalid { flag, reason: reason.to_string() };
        let host_ok = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':');
        if host.is_empty() || host.starts_with('-') || !host.bytes().all(host_ok) {
            return Err(invalid("--sftp-host", "expected a host name or IP address"));
        }
        if self.sftp_port == 0 {
            return Err(invalid("--sftp-port", "the port may not be 0"));
        }
        let user_ok = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_');
        if user.is_empty() || user.starts_with('-') || !user.bytes().all(user_ok) {
            return Err(invalid("--sftp-user", "expected a user name of letters, digits, '.', '-' or '_'"));
        }
        let host_key =
            HostKey::parse(host_key).map_err(|reason| ConfigError::Invalid { flag: "--sftp-host-key", reason })?;
        check_remote_path(dir).map_err(|reason| ConfigError::Invalid { flag: "--sftp-dir", reason })?;
        let dir = match dir.trim_end_matches('/') {
            "" => "/".to_string(),
            d => d.to_string(),
        };
        Ok(Destination::Sftp(SftpConfig {
            host: host.clone(),
            port: self.sftp_port,
            user: user.clone(),
            key: key.clone(),
            host_key,
            dir,
        }))
    }

    /// How long a delivered file's bytes stay in the spool.
    pub fn spool_retention(&self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.spool_retention_days) * 86_400)
    }

    /// The local outbox folder: `--outbox`, or `<data-dir>/outbox`.
    pub fn outbox_dir(&self) -> PathBuf {
        self.outbox.clone().unwrap_or_else(|| self.data_dir.join("outbox"))
    }
}

/// `scheme://host[:port]` without a path, checked.
fn origin(raw: &str, flag: &'static str) -> Result<String, ConfigError> {
    let raw = raw.trim().trim_end_matches('/');
    let invalid = || ConfigError::Invalid {
        flag,
        reason: format!(
            "expected an origin such as https://enroll.district.org (scheme and host, no path), found {raw:?}"
        ),
    };
    let rest = raw.strip_prefix("https://").or_else(|| raw.strip_prefix("http://")).ok_or_else(invalid)?;
    let ok = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']');
    if rest.is_empty() || !rest.bytes().all(ok) {
        return Err(invalid());
    }
    Ok(raw.to_ascii_lowercase())
}

/// The `host[:port]` of an origin.
fn host_of(origin: &str) -> String {
    origin.split_once("://").map_or(origin, |(_, h)| h).to_string()
}

/// Checks that a path can be written inside double quotes in an sftp batch
/// file without changing its meaning: no quotes, backslashes, control
/// characters or glob characters.
pub fn check_remote_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("the path is empty".into());
    }
    match path.chars().find(|c| c.is_control() || matches!(c, '"' | '\\' | '*' | '?' | '[' | ']')) {
        Some(c) => Err(format!("the path {path:?} holds {c:?}, which sftp batch files cannot carry safely")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Config {
        Config::try_parse_from(std::iter::once("writeback-relay").chain(args.iter().copied())).unwrap()
    }

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOJ5y7n4Pq7cGk1s9Yy0m5c1mE2J0c4aVQd8l3c2xX9R host";

    #[test]
    fn the_old_fixed_offset_is_refused_naming_its_replacement() {
        let err =
            Config::try_parse_from(["writeback-relay", "--district-utc-offset", "-05:00"]).unwrap_err().to_string();
        assert!(err.contains("--district-utc-offset") && err.contains("\"time_zone\""), "{err}");
    }

    #[test]
    fn hosts_and_origins() {
        let c = parse(&["--listen", "127.0.0.1:9000", "--allowed-origin", "https://Enroll.example.org/"]);
        let w = c.web_policy().unwrap();
        assert_eq!(w.allowed_hosts, ["127.0.0.1:9000", "localhost:9000"]);
        assert_eq!(w.allowed_origins, ["http://127.0.0.1:9000", "http://localhost:9000", "https://enroll.example.org"]);
        let c = parse(&["--public-origin", "https://wb.district.org"]);
        assert_eq!(c.web_policy().unwrap().allowed_hosts, ["wb.district.org"]);
        let err = parse(&["--allowed-origin", "enroll.example.org"]).web_policy().unwrap_err();
        assert!(err.to_string().starts_with("--allowed-origin: expected an origin"), "{err}");
        let err = parse(&["--public-origin", "https://a/b"]).web_policy().unwrap_err();
        assert!(err.to_string().starts_with("--public-origin"), "{err}");
    }

    #[test]
    fn the_demo_token_is_for_loopback_only() {
        assert!(parse(&["--listen", "127.0.0.1:8080"]).check_demo_token_allowed().is_ok());
        let err = parse(&["--listen", "0.0.0.0:8080"]).check_demo_token_allowed().unwrap_err();
        assert!(err.to_string().contains("only on a loopback address"), "{err}");
        assert!(parse(&[]).auth_public_key().unwrap_err().to_string().starts_with("--auth-public-key: required"));
    }

    #[test]
    fn defaults_to_the_local_outbox() {
        let c = parse(&["--data-dir", "/srv/relay"]);
        assert_eq!(c.listen, "127.0.0.1:8080");
        assert_eq!(c.destination().unwrap(), Destination::Outbox(PathBuf::from("/srv/relay/outbox")));
    }

    #[test]
    fn sftp_needs_every_setting() {
        let err = parse(&["--sftp-host", "sis.example.org", "--sftp-user", "ps"]).destination().unwrap_err();
        assert_eq!(
            err.to_string(),
            "--sftp-host is set, so --sftp-key, --sftp-host-key, --sftp-dir must be set too (flags or WRITEBACK_SFTP_* variables)"
        );
        let err = parse(&["--sftp-dir", "/in"]).destination().unwrap_err();
        assert!(err.to_string().starts_with("--sftp-dir is set but --sftp-host is not"), "{err}");
    }

    #[test]
    fn sftp_destination_is_validated() {
        let base = ["--sftp-host", "sis.example.org", "--sftp-user", "ps", "--sftp-key", "/k", "--sftp-host-key", KEY];
        let with_dir = |dir: &str| {
            let mut args = base.to_vec();
            args.extend(["--sftp-dir", dir]);
            parse(&args).destination()
        };
        let Destination::Sftp(s) = with_dir("/autocomm/in/").unwrap() else { panic!("not sftp") };
        assert_eq!(s.to_string(), "sftp://sis.example.org:22/autocomm/in");
        assert_eq!(s.remote_path("a.txt"), "/autocomm/in/a.txt");
        assert_eq!(s.known_hosts_name(), "sis.example.org");
        assert!(s.host_key.to_string().starts_with("ssh-ed25519 AAAA"));
        assert!(!s.host_key.to_string().contains("host"), "the comment is dropped");
        let err = with_dir("/in\"; rm").unwrap_err();
        assert!(err.to_string().starts_with("--sftp-dir: the path"), "{err}");
        let mut args = base.to_vec();
        args[7] = "ssh-dss AAAAB3NzaC1kc3MAAACBAP";
        args.extend(["--sftp-dir", "/in"]);
        let err = parse(&args).destination().unwrap_err();
        assert!(err.to_string().starts_with("--sftp-host-key: unknown key type \"ssh-dss\""), "{err}");
    }
}
