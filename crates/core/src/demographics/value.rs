//! Field values: normalising the form's value to what the import writes,
//! and telling when two values are the same.

use crate::application::{FieldTarget, TargetTable};
use crate::domain::{breaks_flat_file, Date, Phone};

/// The typed shape of a field, where PowerSchool has one.
enum Shape {
    Date,
    Phone,
    Integer,
    Text,
}

fn shape(target: &FieldTarget) -> Shape {
    if target.table != TargetTable::Students {
        return Shape::Text;
    }
    match target.column.to_ascii_lowercase().as_str() {
        "dob" | "entrydate" | "exitdate" | "districtentrydate" | "schoolentrydate" => Shape::Date,
        "home_phone" | "doctor_phone" | "emerg_phone_1" | "emerg_phone_2" => Shape::Phone,
        "grade_level" | "enroll_status" | "next_school" => Shape::Integer,
        _ => Shape::Text,
    }
}

/// The form's value as the import file would carry it: trimmed, dates as
/// MM/DD/YYYY, phones as 555-201-3344. `Ok(None)` for a blank value; `Err`
/// names why the value cannot be written.
pub fn normalise(target: &FieldTarget, raw: &str) -> Result<Option<String>, String> {
    let v = raw.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if let Some(c) = breaks_flat_file(v) {
        let what = if c == '\t' { "a tab" } else { "a line break" };
        return Err(format!("the form's value holds {what}, which would break the import file"));
    }
    match shape(target) {
        Shape::Date => Date::parse(v).map(|d| Some(d.to_us())).map_err(|e| format!("not a date: {}", e.problem)),
        Shape::Phone => {
            Phone::parse(v).map(|p| Some(p.to_string())).map_err(|e| format!("not a phone number: {}", e.problem))
        }
        Shape::Integer => match v.parse::<i64>() {
            Ok(n) => Ok(Some(n.to_string())),
            Err(_) => Err(format!("expected a whole number, found {v:?}")),
        },
        Shape::Text => Ok(Some(v.to_string())),
    }
}

/// Same apart from letter case and runs of spaces.
pub(crate) fn same_ignoring_case_and_spacing(a: &str, b: &str) -> bool {
    fn fold(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
    }
    fold(a) == fold(b)
}

/// Equal as typed values (a date or phone written in another format).
pub(crate) fn equal_as_values(target: &FieldTarget, a: &str, b: &str) -> bool {
    match shape(target) {
        Shape::Date => matches!((Date::parse(a), Date::parse(b)), (Ok(x), Ok(y)) if x == y),
        Shape::Phone => matches!((Phone::parse(a), Phone::parse(b)), (Ok(x), Ok(y)) if x == y),
        Shape::Integer => matches!((a.parse::<i64>(), b.parse::<i64>()), (Ok(x), Ok(y)) if x == y),
        Shape::Text => false,
    }
}
