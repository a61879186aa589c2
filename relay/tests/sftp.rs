//! Delivery over SFTP to a real OpenSSH `sshd` on a loopback port, using
//! the `sftp` client exactly as the relay does in production.
//!
//! Needs OpenSSH (`apt-get install -y openssh-server`); without it the tests
//! fail, saying so.

mod common;

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use common::*;
use tempfile::TempDir;

const SSHD: &str = "/usr/sbin/sshd";
const INSTALL: &str =
    "install OpenSSH to run this test: apt-get install -y openssh-server (it brings ssh-keygen and sftp)";
const DELIVERY_LIMIT: Duration = Duration::from_secs(30);

/// A running `sshd`, killed on drop.
struct Sshd {
    child: Child,
    port: u16,
    dir: TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sshd {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The folder files are delivered to.
    fn remote(&self) -> PathBuf {
        self.path("remote")
    }

    /// The host's public key line, without the comment.
    fn host_key(&self) -> String {
        pub_key(&self.path("host_key.pub"))
    }

    fn log(&self) -> String {
        fs::read_to_string(self.path("sshd.log")).unwrap_or_default()
    }

    /// Relay flags delivering to this server, pinning `host_key`.
    fn flags(&self, host_key: &str) -> Vec<String> {
        let port = self.port.to_string();
        let key = self.path("client_key");
        let remote = self.remote();
        [
            "--sftp-host",
            "127.0.0.1",
            "--sftp-port",
            &port,
            "--sftp-user",
            &whoami(),
            "--sftp-key",
            key.to_str().unwrap(),
            "--sftp-host-key",
            host_key,
            "--sftp-dir",
            remote.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
}

fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {what}: {e}; {INSTALL}"));
    assert!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn whoami() -> String {
    run(&mut Command::new("whoami"), "whoami").trim().to_string()
}

fn keygen(path: &Path) {
    run(Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(path), "ssh-keygen");
}

fn pub_key(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    text.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start_sshd() -> Sshd {
    assert!(Path::new(SSHD).is_file(), "{SSHD} is missing; {INSTALL}");
    // `sftp -h` prints its usage and exits non-zero: that it runs is enough.
    if let Err(e) = Command::new("sftp").arg("-h").output() {
        panic!("cannot run the sftp client: {e}; {INSTALL}");
    }
    let dir = tempfile::tempdir().unwrap();
    let p = |name: &str| dir.path().join(name);
    keygen(&p("host_key"));
    keygen(&p("client_key"));
    fs::copy(p("client_key.pub"), p("authorized_keys")).unwrap();
    fs::create_dir(p("remote")).unwrap();
    // sshd insists on its privilege-separation folder.
    if !Path::new("/run/sshd").is_dir() {
        fs::create_dir_all("/run/sshd").unwrap_or_else(|e| panic!("cannot create /run/sshd for sshd: {e}"));
    }
    let port = free_port();
    let config = format!(
        "ListenAddress 127.0.0.1\nPort {port}\nHostKey {}\nPidFile {}\nAuthorizedKeysFile {}\n\
         StrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
         PermitRootLogin prohibit-password\nSubsystem sftp internal-sftp\n",
        p("host_key").display(),
        p("sshd.pid").display(),
        p("authorized_keys").display(),
    );
    fs::write(p("sshd_config"), config).unwrap();
    let log = fs::File::create(p("sshd.log")).unwrap();
    let child = Command::new(SSHD)
        .arg("-D")
        .arg("-e")
        .arg("-f")
        .arg(p("sshd_config"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {SSHD}: {e}; {INSTALL}"));
    let mut sshd = Sshd { child, port, dir };
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Some(status) = sshd.child.try_wait().unwrap() {
            panic!("sshd exited ({status}) before listening:\n{}", sshd.log());
        }
        assert!(start.elapsed() < Duration::from_secs(10), "sshd did not listen within 10 s:\n{}", sshd.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    sshd
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivers_byte_identical_files_exactly_once() {
    let sshd = start_sshd();
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let flags = sshd.flags(&sshd.host_key());
    let cfg = config(demo.path(), data.path(), &flags.iter().map(String::as_str).collect::<Vec<_>>());
    let app = router(&cfg);

    let (status, entry) =
        call(&app, post("/api/applications/A-1001/files/students", Some("jdoe"), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    assert_eq!(entry["destination"], format!("sftp://127.0.0.1:{}{}", sshd.port, sshd.remote().display()));
    let name = entry["file_name"].as_str().unwrap().to_string();
    let delivered = wait_for_status(&app, "A-1001", 1, "delivered", DELIVERY_LIMIT).await;
    assert!(delivered.get("detail").is_none(), "{delivered}");
    assert_eq!(fs::read(sshd.remote().join(&name)).unwrap(), STUDENTS_FILE.as_bytes());
    assert_eq!(names_in(&sshd.remote()), [name.as_str()], "no temporary file is left");
    drop(app);

    // Crash after the rename, before the delivery was recorded: the final
    // name exists, so the restart records it and does not upload again.
    forget_delivery(data.path());
    fs::write(sshd.remote().join(&name), b"sentinel: must not be overwritten").unwrap();
    let app = router(&cfg);
    let entry = wait_for_status(&app, "A-1001", 1, "delivered", DELIVERY_LIMIT).await;
    assert!(entry["detail"].as_str().unwrap().contains("already at the destination"), "{entry}");
    assert_eq!(fs::read(sshd.remote().join(&name)).unwrap(), b"sentinel: must not be overwritten");
    drop(app);

    // Crash in the middle of the upload: a stale temporary file is replaced
    // and the file is delivered whole.
    forget_delivery(data.path());
    fs::remove_file(sshd.remote().join(&name)).unwrap();
    fs::write(sshd.remote().join(format!(".{name}.part")), b"Student_Num").unwrap();
    let app = router(&cfg);
    let entry = wait_for_status(&app, "A-1001", 1, "delivered", DELIVERY_LIMIT).await;
    assert!(entry.get("detail").is_none(), "{entry}");
    assert_eq!(fs::read(sshd.remote().join(&name)).unwrap(), STUDENTS_FILE.as_bytes());
    assert_eq!(names_in(&sshd.remote()), [name], "no temporary file is left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_host_key_fails_delivery_and_writes_nothing() {
    let sshd = start_sshd();
    let impostor = sshd.path("impostor_key");
    keygen(&impostor);
    let wrong = pub_key(&impostor.with_extension("pub"));
    let (demo, data) = (demo_dir(), tempfile::tempdir().unwrap());
    let flags = sshd.flags(&wrong);
    let cfg = config(demo.path(), data.path(), &flags.iter().map(String::as_str).collect::<Vec<_>>());
    let app = router(&cfg);

    let (status, entry) =
        call(&app, post("/api/applications/A-1001/files/students", Some("jdoe"), STUDENTS_FILE)).await;
    assert_eq!(status, StatusCode::CREATED, "{entry}");
    let failed = wait_for_status(&app, "A-1001", 1, "failed", DELIVERY_LIMIT).await;
    let detail = failed["detail"].as_str().unwrap().to_ascii_lowercase();
    assert!(detail.contains("host key"), "{detail}");
    assert!(failed.get("delivered_at").is_none(), "{failed}");
    assert_eq!(names_in(&sshd.remote()), Vec::<String>::new(), "nothing may be written");
    // The accepted file stays in the spool for the retry.
    let name = failed["file_name"].as_str().unwrap();
    assert_eq!(fs::read(data.path().join("spool").join(name)).unwrap(), STUDENTS_FILE.as_bytes());
}
