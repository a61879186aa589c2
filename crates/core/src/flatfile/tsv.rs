//! The tab-delimited layout shared by every import file.

use std::fmt;

use crate::domain::breaks_flat_file;

/// A problem with an import file (being written or read), located by line and
/// column where it has one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FlatFileError {
    /// 1-based line; 0 for the file as a whole.
    pub line: usize,
    /// The column's header name, when the problem is in one column.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl FlatFileError {
    pub(crate) fn new(line: usize, column: Option<&str>, message: impl Into<String>) -> Self {
        Self { line, column: column.map(str::to_string), message: message.into() }
    }
}

impl fmt::Display for FlatFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}", self.line)?;
            if let Some(c) = &self.column {
                write!(f, ", column {c}")?;
            }
            write!(f, ": ")?;
        }
        f.write_str(&self.message)
    }
}

/// Writes header and rows: tab-delimited, LF after every line. Refuses any
/// value holding a tab, CR or LF, naming its row (line) and column.
pub(crate) fn write(header: &[String], rows: &[Vec<String>]) -> Result<String, FlatFileError> {
    let mut out = String::new();
    for (i, line) in std::iter::once(header).chain(rows.iter().map(Vec::as_slice)).enumerate() {
        for (j, value) in line.iter().enumerate() {
            if let Some(c) = breaks_flat_file(value) {
                let what = match c {
                    '\t' => "a tab",
                    '\r' => "a carriage return",
                    _ => "a line break",
                };
                return Err(FlatFileError::new(
                    i + 1,
                    header.get(j).map(String::as_str),
                    format!("the value {value:?} holds {what}, which would break the tab-delimited file"),
                ));
            }
            if j > 0 {
                out.push('\t');
            }
            out.push_str(value);
        }
        out.push('\n');
    }
    Ok(out)
}

/// A data row with its 1-based line number.
pub(crate) type NumberedRow = (usize, Vec<String>);

/// Splits a file into header and rows, checking the layout: UTF-8 text
/// (the caller has it as `&str`), LF line ends, a header, at least one row,
/// every row as wide as the header. Rows carry their line numbers.
pub(crate) fn read(text: &str) -> Result<(Vec<String>, Vec<NumberedRow>), FlatFileError> {
    if text.is_empty() {
        return Err(FlatFileError::new(0, None, "the file is empty"));
    }
    if let Some(pos) = text.find('\r') {
        let line = text[..pos].matches('\n').count() + 1;
        return Err(FlatFileError::new(line, None, "CR line end: import files use LF line ends only"));
    }
    if !text.ends_with('\n') {
        return Err(FlatFileError::new(0, None, "the last line has no line end: the file may be truncated"));
    }
    let mut lines = text.split_terminator('\n').enumerate();
    let (_, header_line) = lines.next().ok_or_else(|| FlatFileError::new(0, None, "no header row"))?;
    let header: Vec<String> = header_line.split('\t').map(str::to_string).collect();
    for (j, h) in header.iter().enumerate() {
        if h.trim().is_empty() {
            return Err(FlatFileError::new(1, None, format!("header column {} is blank", j + 1)));
        }
        if header[..j].iter().any(|o| o.eq_ignore_ascii_case(h)) {
            return Err(FlatFileError::new(1, Some(h), "the column appears twice in the header"));
        }
    }
    let mut rows = Vec::new();
    for (i, line) in lines {
        if line.is_empty() {
            return Err(FlatFileError::new(i + 1, None, "blank line"));
        }
        let fields: Vec<String> = line.split('\t').map(str::to_string).collect();
        if fields.len() != header.len() {
            return Err(FlatFileError::new(
                i + 1,
                None,
                format!("{} fields, but the header has {}", fields.len(), header.len()),
            ));
        }
        rows.push((i + 1, fields));
    }
    if rows.is_empty() {
        return Err(FlatFileError::new(0, None, "the file has a header but no rows"));
    }
    Ok((header, rows))
}
