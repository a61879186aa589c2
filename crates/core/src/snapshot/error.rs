use std::fmt;

/// One problem found in a snapshot export, located by file, line and column.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LoadError {
    /// The export's file name, e.g. `Students.txt`.
    pub file: String,
    /// 1-based line number; 0 when the problem is the file as a whole.
    pub line: u64,
    /// 1-based column number; 0 when the problem is not in one column.
    pub column: usize,
    /// What is wrong, naming the column where there is one.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

/// Every problem found in a snapshot, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, serde::Serialize)]
#[error("the snapshot has {} problem(s); the first is {}", .0.len(), .0.first().map(|e| e.to_string()).unwrap_or_default())]
pub struct LoadErrors(pub Vec<LoadError>);
