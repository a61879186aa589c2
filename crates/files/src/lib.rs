//! Reading and writing the project's inputs on a native file system. This
//! is edge code for the command-line tool, the relay and the tests, not
//! core: the core takes file contents, never paths.
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use writeback_core::application::{Application, FieldMappings};
use writeback_core::snapshot::{LoadError, LoadErrors, Snapshot};

/// A problem reading project files, naming the path.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The snapshot's exports have problems (each line `path:line:column: message`).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Snapshot(Vec<LoadError>),
    /// A JSON file does not parse.
    #[error("{path}:{line}:{column}: {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde's message.
        message: String,
    },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> FilesError + '_ {
    move |source| FilesError::Io { path: path.to_path_buf(), source }
}

/// Reads every regular file of a snapshot folder into a name -> bytes map.
pub fn read_export_folder(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, FilesError> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let path = entry.path();
        if entry.file_type().map_err(io_err(&path))?.is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            files.insert(name, fs::read(&path).map_err(io_err(&path))?);
        }
    }
    Ok(files)
}

/// Loads a snapshot folder; errors carry the folder in their file names.
pub fn load_snapshot(dir: &Path) -> Result<Snapshot, FilesError> {
    let files = read_export_folder(dir)?;
    Snapshot::from_exports(&files).map_err(|LoadErrors(errors)| {
        FilesError::Snapshot(
            errors
                .into_iter()
                .map(|mut e| {
                    e.file = dir.join(&e.file).display().to_string();
                    e
                })
                .collect(),
        )
    })
}

/// Reads and parses a JSON file, errors naming path, line and column.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, FilesError> {
    let text = fs::read_to_string(path).map_err(io_err(path))?;
    serde_json::from_str(&text).map_err(|e| FilesError::Json {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// Loads an application file.
pub fn load_application(path: &Path) -> Result<Application, FilesError> {
    read_json(path)
}

/// Loads a mappings file.
pub fn load_mappings(path: &Path) -> Result<FieldMappings, FilesError> {
    read_json(path)
}

// Crash-safe writes: write under a temporary name, fsync the file, rename
// it to its final name, fsync the folder. A reader of the folder sees either
// no file or the whole file, never a partial one.

/// Writes `bytes` to `dir/final_name` through `dir/temp_name`.
pub fn write_file(dir: &Path, temp_name: &str, final_name: &str, bytes: &[u8]) -> io::Result<()> {
    let temp = dir.join(temp_name);
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(&temp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&temp, dir.join(final_name))?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Copies `source` to `dir/final_name` through `dir/temp_name`.
pub fn copy_file(source: &Path, dir: &Path, temp_name: &str, final_name: &str) -> io::Result<()> {
    let temp = dir.join(temp_name);
    let result = (|| {
        fs::copy(source, &temp)?;
        OpenOptions::new().write(true).open(&temp)?.sync_all()?;
        fs::rename(&temp, dir.join(final_name))?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Makes a directory's entries (creations, renames) durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Creates `dir` (and its parents) if missing, making the new entry durable.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir)?;
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_dir(parent)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_copies_without_leaving_temporaries() {
        let tmp = tempfile::tempdir().unwrap();
        write_file(tmp.path(), "a.part", "a", b"bytes\x00\xff").unwrap();
        copy_file(&tmp.path().join("a"), tmp.path(), ".b.part", "b").unwrap();
        assert_eq!(fs::read(tmp.path().join("b")).unwrap(), b"bytes\x00\xff");
        let mut names: Vec<_> = fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        assert_eq!(names, ["a", "b"]);
    }
}
