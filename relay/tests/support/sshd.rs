//! A real OpenSSH `sshd` on a loopback port, with host and client keys
//! generated in a temporary folder: the SFTP server the relay's tests and
//! the browser's course test deliver to. Shared by `relay/tests/sftp.rs` and
//! `tests/browser_courses.rs` (included by path).
// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::fs;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub const SSHD: &str = "/usr/sbin/sshd";
pub const INSTALL: &str =
    "install OpenSSH to run this test: apt-get install -y openssh-server (it brings ssh-keygen and sftp)";

/// A running `sshd`, killed on drop.
pub struct Sshd {
    child: Child,
    /// The loopback port it listens on.
    pub port: u16,
    dir: TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Sshd {
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The folder files are delivered to.
    pub fn remote(&self) -> PathBuf {
        self.path("remote")
    }

    /// The host's public key line, without the comment.
    pub fn host_key(&self) -> String {
        pub_key(&self.path("host_key.pub"))
    }

    pub fn log(&self) -> String {
        fs::read_to_string(self.path("sshd.log")).unwrap_or_default()
    }

    /// Relay flags delivering to this server, pinning `host_key`.
    pub fn flags(&self, host_key: &str) -> Vec<String> {
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

    /// Relay flags delivering to this server with its own host key pinned.
    pub fn relay_flags(&self) -> Vec<String> {
        self.flags(&self.host_key())
    }
}

pub fn run(cmd: &mut Command, what: &str) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("cannot run {what}: {e}; {INSTALL}"));
    assert!(out.status.success(), "{what} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

pub fn whoami() -> String {
    run(&mut Command::new("whoami"), "whoami").trim().to_string()
}

pub fn keygen(path: &Path) {
    run(Command::new("ssh-keygen").args(["-q", "-t", "ed25519", "-N", "", "-f"]).arg(path), "ssh-keygen");
}

pub fn pub_key(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    text.split_whitespace().take(2).collect::<Vec<_>>().join(" ")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

pub fn start_sshd() -> Sshd {
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
    let child = spawn(dir.path());
    let mut sshd = Sshd { child, port, dir };
    sshd.wait_listening();
    sshd
}

fn spawn(dir: &Path) -> Child {
    let p = |name: &str| dir.join(name);
    let log = fs::OpenOptions::new().create(true).append(true).open(p("sshd.log")).unwrap();
    Command::new(SSHD)
        .arg("-D")
        .arg("-e")
        .arg("-f")
        .arg(p("sshd_config"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {SSHD}: {e}; {INSTALL}"))
}

impl Sshd {
    fn wait_listening(&mut self) {
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("sshd exited ({status}) before listening:\n{}", self.log());
            }
            assert!(start.elapsed() < Duration::from_secs(10), "sshd did not listen within 10 s:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server (an outage): nothing listens on its port.
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again on the same port, with the same keys.
    pub fn restart(&mut self) {
        self.child = spawn(self.dir.path());
        self.wait_listening();
    }
}
