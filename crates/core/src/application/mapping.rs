use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::Application;
use crate::domain::{serde_via_string, ValueError};
use crate::snapshot::{Record, Snapshot, Student, StudentCoreFields, TableSpec};

/// The PowerSchool table a student field lives in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetTable {
    /// Students core fields (`First_Name`, `Street` ...).
    Students,
    /// `StudentCoreFields` (legal names and gender).
    StudentCoreFields,
    /// A `U_*` one-to-one extension table; `U_DEF_EXT_STUDENTS` holds the
    /// district's migrated legacy custom fields.
    Extension(String),
}

/// A PowerSchool student field, written as in import headers: `First_Name`
/// (or `[Students]First_Name`), `[StudentCoreFields]PSCore_Legal_First_Name`,
/// `[U_StudentsUserFields]homeroom`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FieldTarget {
    /// The table.
    pub table: TargetTable,
    /// The column, as written in the mapping.
    pub column: String,
}

impl FieldTarget {
    /// Parses `Column` or `[Table]Column`.
    pub fn parse(raw: &str) -> Result<FieldTarget, ValueError> {
        let s = raw.trim();
        let bad = |p: &str| ValueError::new("PowerSchool field", p, raw);
        let (table, column) = match s.strip_prefix('[') {
            Some(rest) => {
                let (t, c) = rest.split_once(']').ok_or_else(|| bad("expected [Table]Field"))?;
                let table = if t.eq_ignore_ascii_case("Students") {
                    TargetTable::Students
                } else if t.eq_ignore_ascii_case("StudentCoreFields") {
                    TargetTable::StudentCoreFields
                } else if t.len() > 2 && t[..2].eq_ignore_ascii_case("U_") {
                    TargetTable::Extension(t.to_string())
                } else {
                    return Err(bad("the table must be Students, StudentCoreFields or a U_ extension table"));
                };
                (table, c)
            }
            None => (TargetTable::Students, s),
        };
        if column.is_empty() || !column.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return Err(bad("a field name has only letters, digits and _"));
        }
        Ok(FieldTarget { table, column: column.to_string() })
    }

    /// The name of the field in an import file's header.
    pub fn header(&self) -> String {
        match &self.table {
            TargetTable::Students => self.column.clone(),
            TargetTable::StudentCoreFields => format!("[StudentCoreFields]{}", self.column),
            TargetTable::Extension(t) => format!("[{t}]{}", self.column),
        }
    }

    /// What kind of field this is, in words staff know.
    pub fn kind(&self) -> &'static str {
        match &self.table {
            TargetTable::Students => "core",
            TargetTable::StudentCoreFields => "legal (core)",
            TargetTable::Extension(t) if t.eq_ignore_ascii_case("U_DEF_EXT_STUDENTS") => "custom",
            TargetTable::Extension(_) => "extension",
        }
    }

    /// The student's current value of this field, or `None` if the snapshot
    /// has no such field. A student with no row in the table has `""`.
    pub fn value(&self, snapshot: &Snapshot, student: &Student) -> Option<String> {
        match &self.table {
            TargetTable::Students => student.field(&self.column),
            TargetTable::StudentCoreFields => {
                let row = snapshot.student_core_fields.iter().find(|c| c.students_dcid == student.dcid);
                match row {
                    Some(r) => r.field(&self.column),
                    None => has_column(&StudentCoreFields::SPEC, &self.column).then(String::new),
                }
            }
            TargetTable::Extension(t) => snapshot
                .extensions
                .iter()
                .find(|e| e.name.eq_ignore_ascii_case(t))
                .and_then(|e| e.field(student.dcid, &self.column)),
        }
    }

    /// Whether the snapshot has this field (its table and column).
    pub fn exists_in(&self, snapshot: &Snapshot) -> bool {
        match &self.table {
            TargetTable::Students => {
                has_column(&Student::SPEC, &self.column)
                    || snapshot.student_extra_columns.iter().any(|c| c.eq_ignore_ascii_case(&self.column))
            }
            TargetTable::StudentCoreFields => has_column(&StudentCoreFields::SPEC, &self.column),
            TargetTable::Extension(t) => {
                snapshot.extensions.iter().any(|e| e.name.eq_ignore_ascii_case(t) && e.has_column(&self.column))
            }
        }
    }

    /// Whether this is a key or system column an import may not write.
    pub fn is_key(&self) -> bool {
        let c = self.column.to_ascii_lowercase();
        match self.table {
            TargetTable::Students => matches!(c.as_str(), "id" | "dcid" | "student_number" | "schoolid"),
            TargetTable::StudentCoreFields => c == "studentsdcid",
            TargetTable::Extension(_) => c == "studentsdcid",
        }
    }
}

fn has_column(spec: &TableSpec, column: &str) -> bool {
    spec.columns.iter().any(|c| c.eq_ignore_ascii_case(column))
}

impl fmt::Display for FieldTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.header())
    }
}

serde_via_string!(FieldTarget);

/// A form field mapped to a PowerSchool student field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StudentFieldMapping {
    /// The form field's id in `Application::student`.
    pub form_field: String,
    /// What staff call it, e.g. "Legal last name".
    pub label: String,
    /// The PowerSchool field it is written to.
    pub target: FieldTarget,
}

/// A field the district never lets a writeback overwrite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtectedField {
    /// The protected PowerSchool field.
    pub target: FieldTarget,
    /// Why, in the district's words (shown to staff).
    pub reason: String,
}

/// A contact form field mapped to a column of the Student Contacts import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactFieldMapping {
    /// The form field's id within a contact block.
    pub form_field: String,
    /// The Student Contacts template column it feeds (e.g. `Last Name`,
    /// `Email Address`), with a type after a colon where one applies
    /// (`phoneNumberAsEntered:Mobile`).
    pub target: String,
}

/// The default contact order for one combination of form contacts: when
/// the blocks an application fills in are exactly these, they take this
/// order (the student's other contacts follow).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactOrderMapping {
    /// The block ids of the combination, in the order they go.
    pub order: Vec<String>,
}

impl ContactOrderMapping {
    /// Whether the mapping is for exactly this set of filled-in blocks.
    pub fn applies_to(&self, filled: &[&str]) -> bool {
        !filled.is_empty()
            && self.order.len() == filled.len()
            && filled.iter().all(|b| self.order.iter().any(|o| o == b))
    }

    /// The combination as a set, to compare mappings.
    fn key(&self) -> Vec<&str> {
        let mut k: Vec<&str> = self.order.iter().map(String::as_str).collect();
        crate::sort::values(&mut k);
        k
    }
}

/// The district's field mappings (format: docs/formats.md).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldMappings {
    /// Student form fields -> PowerSchool fields, in the order staff review them.
    pub student_fields: Vec<StudentFieldMapping>,
    /// Fields the district protects.
    #[serde(default)]
    pub protected_fields: Vec<ProtectedField>,
    /// Contact form fields -> Student Contacts import columns.
    #[serde(default)]
    pub contact_fields: Vec<ContactFieldMapping>,
    /// Default contact orders per combination of filled-in form contacts.
    #[serde(default)]
    pub contact_order: Vec<ContactOrderMapping>,
}

/// A mapping that cannot be used with the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// The PowerSchool field does not exist in the snapshot.
    #[error("student field {form_field:?} is mapped to {target}, which the snapshot does not have")]
    UnknownTarget {
        /// The form field.
        form_field: String,
        /// The missing PowerSchool field.
        target: String,
    },
    /// The mapping writes a key column.
    #[error("student field {form_field:?} is mapped to {target}, a key column that a writeback may not change")]
    KeyTarget {
        /// The form field.
        form_field: String,
        /// The key column.
        target: String,
    },
    /// Two mappings for one form field, or two form fields into one PowerSchool field.
    #[error("{what} is mapped twice")]
    Duplicate {
        /// The repeated form field or PowerSchool field.
        what: String,
    },
    /// A protected field the snapshot does not have.
    #[error("protected field {target} does not exist in the snapshot")]
    UnknownProtected {
        /// The missing field.
        target: String,
    },
    /// A contact order mapping that cannot be applied.
    #[error("contact order mapping {number} ({order}): {problem}")]
    ContactOrder {
        /// 1-based position of the mapping in `contact_order`.
        number: usize,
        /// Its blocks, joined.
        order: String,
        /// What is wrong.
        problem: String,
    },
}

impl FieldMappings {
    /// Parses mappings from JSON.
    pub fn from_json(text: &str) -> Result<FieldMappings, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Checks the mappings against a snapshot; lists every problem.
    pub fn check(&self, snapshot: &Snapshot) -> Result<(), Vec<MappingError>> {
        let mut errors = Vec::new();
        let mut forms = HashSet::new();
        let mut targets = HashSet::new();
        for m in &self.student_fields {
            if !forms.insert(m.form_field.as_str()) {
                errors.push(MappingError::Duplicate { what: format!("form field {:?}", m.form_field) });
            }
            if !targets.insert(m.target.header().to_ascii_lowercase()) {
                errors.push(MappingError::Duplicate { what: format!("PowerSchool field {}", m.target) });
            }
            if m.target.is_key() {
                errors.push(MappingError::KeyTarget { form_field: m.form_field.clone(), target: m.target.header() });
            } else if !m.target.exists_in(snapshot) {
                errors
                    .push(MappingError::UnknownTarget { form_field: m.form_field.clone(), target: m.target.header() });
            }
        }
        for p in &self.protected_fields {
            if !p.target.exists_in(snapshot) {
                errors.push(MappingError::UnknownProtected { target: p.target.header() });
            }
        }
        errors.extend(self.check_contact_order());
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The contact order mappings' problems: an empty or blank block, a
    /// block listed twice, two mappings for one combination.
    fn check_contact_order(&self) -> Vec<MappingError> {
        let mut errors = Vec::new();
        let mut seen: Vec<(usize, Vec<&str>)> = Vec::new();
        for (i, m) in self.contact_order.iter().enumerate() {
            let number = i + 1;
            let error = |problem: String| MappingError::ContactOrder { number, order: m.order.join(", "), problem };
            if m.order.is_empty() {
                errors.push(error("it lists no blocks".into()));
                continue;
            }
            if m.order.iter().any(|b| b.trim().is_empty()) {
                errors.push(error("a block id is blank".into()));
            }
            let key = m.key();
            if let Some(w) = key.windows(2).find(|w| w[0] == w[1]) {
                errors.push(error(format!("block {:?} is listed twice", w[0])));
            }
            if let Some((other, _)) = seen.iter().find(|(_, k)| *k == key) {
                errors.push(error(format!("mapping {other} is for the same combination")));
            }
            seen.push((number, key));
        }
        errors
    }

    /// The contact order mapping for the blocks an application fills in.
    pub fn contact_order_for(&self, filled: &[&str]) -> Option<&ContactOrderMapping> {
        self.contact_order.iter().find(|m| m.applies_to(filled))
    }

    /// The protection on `target`, if the district protects it.
    pub fn protection(&self, target: &FieldTarget) -> Option<&ProtectedField> {
        self.protected_fields.iter().find(|p| p.target.header().eq_ignore_ascii_case(&target.header()))
    }

    /// The student's name as the form gives it, read through the mappings
    /// (whatever the form calls its fields): the first name in use (the
    /// field written to `First_Name`), else the legal first name (written
    /// to `PSCore_Legal_First_Name`); the legal last name, else the one
    /// written to `Last_Name`. A part no mapping names is read from the
    /// form's conventional ids (`preferred_first_name`, `legal_first_name`,
    /// `first_name`; `legal_last_name`, `last_name`), each in the same
    /// order. Empty when the form gives neither.
    pub fn student_name(&self, application: &Application) -> String {
        let first = self.name_part(application, &[("First_Name", "preferred_first_name")], "");
        let first = if first.is_empty() {
            self.name_part(
                application,
                &[("[StudentCoreFields]PSCore_Legal_First_Name", "legal_first_name")],
                "first_name",
            )
        } else {
            first
        };
        let last = self.name_part(
            application,
            &[("[StudentCoreFields]PSCore_Legal_Last_Name", "legal_last_name"), ("Last_Name", "last_name")],
            "",
        );
        format!("{first} {last}").trim().to_string()
    }

    /// The first non-blank of `parts`, each (PowerSchool field, conventional
    /// form id): the form field mapped to the PowerSchool field, else the
    /// conventional id when no mapping names that PowerSchool field; then
    /// `last_resort` (a form id), if given.
    fn name_part<'a>(&self, application: &'a Application, parts: &[(&str, &str)], last_resort: &str) -> &'a str {
        let value = |id: &str| application.student.get(id).map(|v| v.trim()).filter(|v| !v.is_empty());
        let mut ids: Vec<&str> = Vec::new();
        for (header, conventional) in parts {
            let mapped: Vec<&str> = self
                .student_fields
                .iter()
                .filter(|m| m.target.header().eq_ignore_ascii_case(header))
                .map(|m| m.form_field.as_str())
                .collect();
            if mapped.is_empty() {
                ids.push(conventional);
            } else {
                ids.extend(mapped);
            }
        }
        if !last_resort.is_empty() {
            ids.push(last_resort);
        }
        ids.into_iter().find_map(value).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;
    use crate::application::{ApplicationId, ApplicationStatus};

    fn check_order(json: serde_json::Value, filled: &[&str], expect: Expect) {
        let m: FieldMappings = serde_json::from_value(serde_json::json!({
            "student_fields": [], "contact_order": json
        }))
        .unwrap();
        let mut out: Vec<String> = match m.check(&Snapshot::default()) {
            Ok(()) => vec!["ok".into()],
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        };
        out.push(format!("for {filled:?}: {:?}", m.contact_order_for(filled).map(|c| &c.order)));
        expect.assert_eq(&out.join("\n"));
    }

    #[test]
    fn the_students_name_is_read_through_the_mappings() {
        let mappings: FieldMappings = serde_json::from_value(serde_json::json!({ "student_fields": [
            { "form_field": "vorname", "label": "First name in use", "target": "First_Name" },
            { "form_field": "legal_first", "label": "Legal first name", "target": "[StudentCoreFields]PSCore_Legal_First_Name" },
            { "form_field": "familienname", "label": "Legal last name", "target": "[StudentCoreFields]PSCore_Legal_Last_Name" },
            { "form_field": "nachname", "label": "Last name in use", "target": "last_name" }
        ]}))
        .unwrap();
        let name = |fields: &[(&str, &str)]| {
            let app = Application {
                id: ApplicationId::parse("APP-1").unwrap(),
                status: ApplicationStatus::Approved,
                enrollment_written_back: false,
                student_number: None,
                school_id: crate::domain::SchoolNumber(1),
                submitted_at: "2026-08-01T10:00:00Z".into(),
                family_batch: None,
                student: fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                contacts: vec![],
                courses: vec![],
            };
            mappings.student_name(&app)
        };
        let all =
            [("vorname", "Max"), ("legal_first", "Maximilian"), ("familienname", "Müller"), ("nachname", "Mueller")];
        assert_eq!(name(&all), "Max Müller");
        assert_eq!(
            name(&[("vorname", " "), ("legal_first", "Maximilian"), ("nachname", "Mueller")]),
            "Maximilian Mueller"
        );
        // Where a mapping names the field, a conventional id is not read.
        assert_eq!(name(&[("preferred_first_name", "Maxi"), ("legal_last_name", "Schmidt")]), "");
        // Where none does, the conventional ids are read.
        let legal_only: FieldMappings = serde_json::from_value(serde_json::json!({ "student_fields": [
            { "form_field": "legal_first_name", "label": "Legal first name", "target": "[StudentCoreFields]PSCore_Legal_First_Name" }
        ]}))
        .unwrap();
        let mut app = Application {
            id: ApplicationId::parse("APP-2").unwrap(),
            status: ApplicationStatus::Submitted,
            enrollment_written_back: false,
            student_number: None,
            school_id: crate::domain::SchoolNumber(1),
            submitted_at: "2026-08-01T10:00:00Z".into(),
            family_batch: None,
            student: [
                ("legal_first_name", "Ana María"),
                ("preferred_first_name", "Annie"),
                ("legal_last_name", "Rivera"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            contacts: vec![],
            courses: vec![],
        };
        assert_eq!(legal_only.student_name(&app), "Annie Rivera");
        app.student.remove("preferred_first_name");
        assert_eq!(legal_only.student_name(&app), "Ana María Rivera");
    }

    #[test]
    fn contact_order_mappings() {
        check_order(
            serde_json::json!([{"order": ["contact2", "contact1"]}, {"order": ["emergency", "contact1", "contact2"]}]),
            &["contact1", "contact2", "emergency"],
            expect![[r#"
                ok
                for ["contact1", "contact2", "emergency"]: Some(["emergency", "contact1", "contact2"])"#]],
        );
        // Only the exact combination applies.
        check_order(
            serde_json::json!([{"order": ["contact2", "contact1"]}]),
            &["contact1"],
            expect![[r#"
                ok
                for ["contact1"]: None"#]],
        );
        check_order(
            serde_json::json!([{"order": []}, {"order": ["a", "b", "a"]}, {"order": ["b", "a"]}, {"order": ["a", "b"]}, {"order": [" "]}]),
            &[],
            expect![[r#"
                contact order mapping 1 (): it lists no blocks
                contact order mapping 2 (a, b, a): block "a" is listed twice
                contact order mapping 4 (a, b): mapping 3 is for the same combination
                contact order mapping 5 ( ): a block id is blank
                for []: None"#]],
        );
    }
}
