//! Reading and writing one tab-delimited export table.

use std::collections::HashMap;

use super::LoadError;
use crate::domain::{Date, StudentNumber};

/// The name and required columns of one export file.
#[derive(Debug, Clone, Copy)]
pub struct TableSpec {
    /// File name, e.g. `Students.txt` (matched case-insensitively).
    pub file: &'static str,
    /// Columns that must be present (matched case-insensitively); also the
    /// header, in this order, of the files [`super::Snapshot::export`] writes.
    pub columns: &'static [&'static str],
    /// Whether the file may be absent from a snapshot.
    pub optional: bool,
}

/// Every table a snapshot is loaded from, except the `U_*` extension tables,
/// whose columns are whatever the district defined.
pub const TABLES: &[TableSpec] = &[
    super::model::Student::SPEC,
    super::model::StudentCoreFields::SPEC,
    super::model::Person::SPEC,
    super::model::EmailAddress::SPEC,
    super::model::PersonEmailAddress::SPEC,
    super::model::PhoneNumber::SPEC,
    super::model::PersonPhoneNumber::SPEC,
    super::model::Address::SPEC,
    super::model::PersonAddress::SPEC,
    super::model::StudentContact::SPEC,
    super::model::StudentContactDetail::SPEC,
    super::model::CodeSet::SPEC,
    super::model::PortalAccount::SPEC,
    super::model::PortalEmailContact::SPEC,
    super::model::School::SPEC,
    super::model::Term::SPEC,
    super::model::Course::SPEC,
    super::model::Section::SPEC,
    super::model::CourseEnrollment::SPEC,
];

/// A row type of an export table.
pub(crate) trait Record: Sized {
    /// The table it comes from.
    const SPEC: TableSpec;
    /// Reads one row; problems are recorded on `row` (the row is then dropped).
    fn read(row: &mut Row<'_>) -> Self;
    /// The values of [`TableSpec::columns`], in order.
    fn values(&self) -> Vec<String>;
    /// The row's key, for the duplicate-key check.
    fn key(&self) -> Key;
}

/// A row's key: column names with values, compared without allocating for
/// the (usual) integer keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Key {
    /// One integer column.
    Id(&'static str, i64),
    /// Two integer columns (Terms: ID and SchoolID).
    Pair(&'static str, i64, &'static str, i64),
    /// One text column.
    Text(&'static str, String),
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Id(c, v) => write!(f, "{c} {v}"),
            Key::Pair(c1, v1, c2, v2) => write!(f, "({c1} {v1}, {c2} {v2})"),
            Key::Text(c, v) => write!(f, "{c} {v}"),
        }
    }
}

/// An export: its header, read at once, and its rows, read as they are
/// used (a 500,000-row table is never held as raw records).
pub(crate) struct Table<'a> {
    pub file: &'a str,
    /// Header names as given.
    pub header: Vec<String>,
    columns: HashMap<String, usize>,
    text: &'a str,
    /// Column positions already looked up, by the (static) name asked for:
    /// rows ask for the same few names millions of times.
    lookups: std::cell::RefCell<Vec<(&'static str, Option<usize>)>>,
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .quoting(false)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
}

impl<'a> Table<'a> {
    /// Reads the header of `text`. A missing or repeated header is pushed to
    /// `errors`.
    pub fn parse(file: &'a str, text: &'a str, errors: &mut Vec<LoadError>) -> Option<Table<'a>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut header_record = csv::StringRecord::new();
        let header: Vec<String> = match reader(text).read_record(&mut header_record) {
            Ok(true) => header_record.iter().map(|s| s.trim().to_string()).collect(),
            Ok(false) => {
                errors.push(err(file, 1, 0, "the file is empty: expected a header row"));
                return None;
            }
            Err(e) => {
                errors.push(err(file, 1, 0, format!("unreadable header: {e}")));
                return None;
            }
        };
        let mut columns = HashMap::new();
        for (i, name) in header.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            if columns.insert(name.to_ascii_lowercase(), i).is_some() {
                errors.push(err(file, 1, i + 1, format!("column {name:?} appears twice in the header")));
            }
        }
        Some(Table { file, header, columns, text, lookups: Default::default() })
    }

    /// Calls `f` with every data row and its line number. Blank lines are
    /// skipped; a row with a different number of fields than the header, or
    /// an unreadable one, is reported and skipped.
    pub fn each_record(&self, errors: &mut Vec<LoadError>, mut f: impl FnMut(u64, &csv::StringRecord)) {
        let mut reader = reader(self.text);
        let mut record = csv::StringRecord::new();
        let mut first = true;
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) if std::mem::take(&mut first) => continue, // the header
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line());
                    if record.len() == 1 && record[0].trim().is_empty() {
                        continue;
                    }
                    if record.len() != self.header.len() {
                        errors.push(err(
                            self.file,
                            line,
                            0,
                            format!(
                                "expected {} tab-separated fields as in the header, found {}",
                                self.header.len(),
                                record.len()
                            ),
                        ));
                        continue;
                    }
                    f(line, &record);
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    errors.push(err(self.file, line, 0, format!("unreadable row: {e}")));
                    first = false;
                }
            }
        }
    }

    /// Index of a column named by a literal, remembered after the first look-up.
    fn static_column(&self, name: &'static str) -> Option<usize> {
        let mut lookups = self.lookups.borrow_mut();
        if let Some((_, i)) = lookups.iter().find(|(n, _)| std::ptr::eq(*n, name)) {
            return *i;
        }
        let i = self.column(name);
        lookups.push((name, i));
        i
    }

    /// Index of a column, case-insensitively.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.get(&name.to_ascii_lowercase()).copied()
    }

    /// Reports each of `required` that the header lacks; true when all are there.
    pub fn require(&self, required: &[&str], errors: &mut Vec<LoadError>) -> bool {
        let mut ok = true;
        for c in required {
            if self.column(c).is_none() {
                errors.push(err(self.file, 1, 0, format!("missing required column {c:?}")));
                ok = false;
            }
        }
        ok
    }

    /// Reads every row as `R` (with its line), dropping rows with problems
    /// (reported) and rows whose key repeats an earlier one (reported). The
    /// dropped rows come back apart, so references to them are not reported
    /// a second time.
    pub fn read_all<R: Record>(&self, errors: &mut Vec<LoadError>) -> (Vec<(u64, R)>, Vec<R>) {
        let mut rejected = Vec::new();
        let mut seen: HashMap<Key, u64> = HashMap::new();
        let mut out = Vec::new();
        let mut problems = Vec::new();
        self.each_record(errors, |line, record| {
            let mut row = Row { table: self, line, record, errors: Vec::new() };
            let value = R::read(&mut row);
            if !row.errors.is_empty() {
                problems.append(&mut row.errors);
                rejected.push(value);
                return;
            }
            let key = value.key();
            if let Some(first) = seen.get(&key) {
                problems.push(err(self.file, line, 0, format!("duplicate key {key} (first on line {first})")));
                return;
            }
            seen.insert(key, line);
            out.push((line, value));
        });
        errors.append(&mut problems);
        (out, rejected)
    }
}

pub(crate) fn err(file: &str, line: u64, column: usize, message: impl Into<String>) -> LoadError {
    LoadError { file: file.to_string(), line, column, message: message.into() }
}

/// One record being read; typed accessors record problems instead of failing.
pub(crate) struct Row<'a> {
    table: &'a Table<'a>,
    line: u64,
    record: &'a csv::StringRecord,
    errors: Vec<LoadError>,
}

impl Row<'_> {
    fn raw(&self, column: &'static str) -> (&str, usize) {
        match self.table.static_column(column) {
            Some(i) => (self.record.get(i).unwrap_or("").trim(), i + 1),
            None => ("", 0),
        }
    }

    fn problem(&mut self, col: usize, message: String) {
        self.errors.push(err(self.table.file, self.line, col, message));
    }

    /// Columns of the header outside `known`, lower-cased name -> value.
    pub fn others(&self, known: &[&str]) -> std::collections::BTreeMap<String, String> {
        self.table
            .header
            .iter()
            .enumerate()
            .filter(|(_, h)| !h.is_empty() && !known.iter().any(|k| k.eq_ignore_ascii_case(h)))
            .map(|(i, h)| (h.to_ascii_lowercase(), self.record.get(i).unwrap_or("").trim().to_string()))
            .collect()
    }

    /// Text value ("" when blank).
    pub fn text(&mut self, column: &'static str) -> String {
        self.raw(column).0.to_string()
    }

    /// A required integer id.
    pub fn id(&mut self, column: &'static str) -> i64 {
        match self.opt_int(column) {
            Some(v) => v,
            None => {
                let (_, col) = self.raw(column);
                if self.errors.iter().all(|e| e.column != col) {
                    self.problem(col, format!("{column}: a value is required"));
                }
                0
            }
        }
    }

    /// An optional integer (blank is `None`).
    pub fn opt_int(&mut self, column: &'static str) -> Option<i64> {
        let (raw, col) = self.raw(column);
        if raw.is_empty() {
            return None;
        }
        // Some exports write integers as decimals ("12.0").
        let digits = raw.strip_suffix(".0").unwrap_or(raw);
        match digits.parse::<i64>() {
            Ok(v) => Some(v),
            Err(_) => {
                let message = format!("{column}: expected a whole number, found {raw:?}");
                self.problem(col, message);
                None
            }
        }
    }

    /// An optional small integer (blank is `None`).
    pub fn opt_i32(&mut self, column: &'static str) -> Option<i32> {
        let v = self.opt_int(column)?;
        match i32::try_from(v) {
            Ok(v) => Some(v),
            Err(_) => {
                let (_, col) = self.raw(column);
                self.problem(col, format!("{column}: {v} is out of range"));
                None
            }
        }
    }

    /// A decimal number (blank is 0).
    pub fn number(&mut self, column: &'static str) -> f64 {
        let (raw, col) = self.raw(column);
        if raw.is_empty() {
            return 0.0;
        }
        match raw.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                self.problem(col, format!("{column}: expected a number, found {raw:?}"));
                0.0
            }
        }
    }

    /// A boolean: 1/0, true/false, yes/no, Y/N; blank is false.
    pub fn flag(&mut self, column: &'static str) -> bool {
        let (raw, col) = self.raw(column);
        match raw.to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "y" | "1.0" => true,
            "" | "0" | "false" | "no" | "n" | "0.0" => false,
            _ => {
                self.problem(col, format!("{column}: expected 1 or 0, found {raw:?}"));
                false
            }
        }
    }

    /// An optional date (blank, and PowerSchool's `0/0/0` null date, are `None`).
    pub fn opt_date(&mut self, column: &'static str) -> Option<Date> {
        let (raw, col) = self.raw(column);
        if raw.is_empty() || raw == "0/0/0" || raw == "00/00/0000" {
            return None;
        }
        match Date::parse(raw) {
            Ok(d) => Some(d),
            Err(e) => {
                self.problem(col, format!("{column}: bad date {raw:?}: {}", e.problem));
                None
            }
        }
    }

    /// A required date.
    pub fn date(&mut self, column: &'static str) -> Date {
        let before = self.errors.len();
        match self.opt_date(column) {
            Some(d) => d,
            None => {
                if self.errors.len() == before {
                    let (_, col) = self.raw(column);
                    self.problem(col, format!("{column}: a date is required"));
                }
                Date::from_ymd(1970, 1, 1).expect("valid date")
            }
        }
    }

    /// A required student number.
    pub fn student_number(&mut self, column: &'static str) -> StudentNumber {
        let (raw, col) = self.raw(column);
        let raw = raw.strip_suffix(".0").unwrap_or(raw).to_string();
        match StudentNumber::parse(&raw) {
            Ok(n) => n,
            Err(e) => {
                self.problem(col, format!("{column}: {} ({raw:?})", e.problem));
                StudentNumber::parse("0").expect("valid")
            }
        }
    }
}

/// Writes a table as PowerSchool exports it: header row, tab-delimited, LF.
pub(crate) fn write_table<R: Record>(header: &[&str], rows: &[R], out: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(out, "{}", header.join("\t"))?;
    for r in rows {
        writeln!(out, "{}", r.values().join("\t"))?;
    }
    Ok(())
}

/// Text form of optional values in exports.
pub(crate) fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

/// Dates in exports: US locale.
pub(crate) fn opt_date(v: &Option<Date>) -> String {
    v.map(Date::to_us).unwrap_or_default()
}

/// Booleans in exports.
pub(crate) fn flag(v: bool) -> String {
    if v { "1" } else { "0" }.to_string()
}
