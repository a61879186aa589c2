//! `keys` and `token`: the staff-token key pair and a token signed with it.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use writeback_auth::{KeyPair, Signer, TokenRequest};
use writeback_files as files;

/// `keys`: `out/signing.pem` (0600) and `out/verify.pem`, never overwriting either.
pub fn keys(out: &Path) -> Result<ExitCode> {
    let pair = KeyPair::generate()?;
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    for name in ["signing.pem", "verify.pem"] {
        anyhow::ensure!(
            !out.join(name).exists(),
            "{} exists: keys are never overwritten (remove it first to make new ones)",
            out.join(name).display()
        );
    }
    write_private(&out.join("signing.pem"), &pair.signing_pem)?;
    files::write_file(out, ".verify.pem.part", "verify.pem", pair.verify_pem.as_bytes())
        .with_context(|| format!("writing {}", out.join("verify.pem").display()))?;
    println!("{} (private: the enrollment system signs staff tokens with it)", out.join("signing.pem").display());
    println!("{} (public: give it to the relay as --auth-public-key)", out.join("verify.pem").display());
    Ok(ExitCode::SUCCESS)
}

/// `token`: `request` signed with the key at `signing_key`, on stdout.
pub fn token(signing_key: &Path, issuer: Option<String>, request: &TokenRequest) -> Result<ExitCode> {
    let pem = fs::read(signing_key).with_context(|| format!("reading {}", signing_key.display()))?;
    let signer = Signer::from_pem(&pem, issuer).with_context(|| format!("{}", signing_key.display()))?;
    println!("{}", signer.sign(request, writeback_auth::now())?);
    Ok(ExitCode::SUCCESS)
}

/// Writes a private key readable by its owner only.
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    f.sync_all()?;
    Ok(())
}
