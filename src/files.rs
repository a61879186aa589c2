//! Reading and writing the project's inputs on a native file system. This
//! is edge code for the command-line tool and the relay, not core: the core
//! takes file contents, never paths.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::application::{Application, FieldMappings};
use crate::snapshot::{LoadError, LoadErrors, Snapshot};

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

/// Writes `bytes` to `path` durably: a temporary sibling, fsync, rename,
/// fsync of the folder. A reader never sees a partial file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.part"));
    {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    fs::File::open(dir)?.sync_all()
}
