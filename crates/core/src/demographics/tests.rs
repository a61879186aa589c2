//! Demographics: one `check` per case, showing comparison, allowed
//! decisions, the decided highlight and what the file would carry.

use expect_test::{expect, Expect};

use super::compare::compare;
use super::*;
use crate::application::{FieldTarget, StudentFieldMapping};

fn mapping(target: &str) -> StudentFieldMapping {
    StudentFieldMapping { form_field: "f".into(), label: "Field".into(), target: FieldTarget::parse(target).unwrap() }
}

/// Compares `current` (PowerSchool) with `form` for `target`, applies
/// `choice`, and prints the row.
fn check(target: &str, current: &str, form: &str, protected: bool, choice: Option<Decision>, expect: Expect) {
    let c = compare(&mapping(target), current, form, protected.then(|| "registrar only".to_string()));
    let row = c.decided(choice);
    let allowed: Vec<_> = c.allowed.iter().map(|d| d.label()).collect();
    let mut out = format!(
        "{:?} allowed={} decision={} {:?} {:?}",
        c.comparison,
        allowed.join("/"),
        row.decision.label(),
        row.highlight,
        row.status
    );
    if row.decision.writes() {
        out.push_str(&format!(" writes={:?}", c.proposed.clone().unwrap_or_default()));
    }
    if let Some(n) = &row.note {
        out.push_str(&format!(" note={n:?}"));
    }
    if let Some(p) = &c.problem {
        out.push_str(&format!(" problem={p:?}"));
    }
    expect.assert_eq(&out);
}

#[test]
fn same_values_stay_green() {
    check(
        "First_Name",
        "Ana",
        "Ana",
        false,
        None,
        expect![[r#"Same allowed=Ignore decision=Ignore Green "Stays in PowerSchool""#]],
    );
}

#[test]
fn different_values_default_to_edit_and_turn_red() {
    check(
        "Street",
        "12 Elm St",
        "48 Oak Ave",
        false,
        None,
        expect![[r#"Different allowed=Edit/Ignore decision=Edit Red "Will be replaced" writes="48 Oak Ave""#]],
    );
    check(
        "Street",
        "12 Elm St",
        "48 Oak Ave",
        false,
        Some(Decision::Ignore),
        expect![[r#"Different allowed=Edit/Ignore decision=Ignore Green "Stays in PowerSchool""#]],
    );
}

#[test]
fn one_sided_values_are_yellow() {
    check(
        "[U_StudentsUserFields]bus_route",
        "",
        "R7",
        false,
        None,
        expect![[r#"OnlyOnForm allowed=Add/Ignore decision=Add Yellow "Form only: will be added" writes="R7""#]],
    );
    check(
        "[U_StudentsUserFields]bus_route",
        "",
        "R7",
        false,
        Some(Decision::Ignore),
        expect![[r#"OnlyOnForm allowed=Add/Ignore decision=Ignore Yellow "Form only: not written""#]],
    );
    check(
        "Mailing_Street",
        "PO Box 4",
        "  ",
        false,
        None,
        expect![[r#"OnlyInPowerSchool allowed=Ignore decision=Ignore Yellow "PowerSchool only: stays""#]],
    );
    check(
        "Mailing_Street",
        "",
        "",
        false,
        None,
        expect![[r#"BothEmpty allowed=Ignore decision=Ignore None "Blank on both sides""#]],
    );
}

#[test]
fn case_or_spacing_only_is_said_and_defaults_to_ignore() {
    check(
        "Last_Name",
        "SMITH",
        "Smith ",
        false,
        None,
        expect![[
            r#"DiffersInCaseOrSpacing allowed=Ignore/Edit decision=Ignore Green "Stays in PowerSchool" note="Differs only in case or spacing""#
        ]],
    );
    check(
        "City",
        "Spring  field",
        "spring field",
        false,
        Some(Decision::Edit),
        expect![[
            r#"DiffersInCaseOrSpacing allowed=Ignore/Edit decision=Edit Red "Will be replaced" writes="spring field" note="Differs only in case or spacing""#
        ]],
    );
}

#[test]
fn typed_fields_compare_as_values_and_write_powerschool_formats() {
    check(
        "DOB",
        "03/04/2012",
        "2012-03-04",
        false,
        None,
        expect![[r#"Same allowed=Ignore decision=Ignore Green "Stays in PowerSchool""#]],
    );
    check(
        "DOB",
        "",
        "2012-03-04",
        false,
        None,
        expect![[
            r#"OnlyOnForm allowed=Add/Ignore decision=Add Yellow "Form only: will be added" writes="03/04/2012""#
        ]],
    );
    check(
        "Home_Phone",
        "(555) 201-3344",
        "555.201.3344",
        false,
        None,
        expect![[
            r#"DiffersInFormat allowed=Ignore/Edit decision=Ignore Green "Stays in PowerSchool" note="Same value, written differently""#
        ]],
    );
    check(
        "Home_Phone",
        "(555) 201-3344",
        "+1 555 777 0101",
        false,
        None,
        expect![[r#"Different allowed=Edit/Ignore decision=Edit Red "Will be replaced" writes="555-777-0101""#]],
    );
}

#[test]
fn protected_fields_default_to_ignore_and_are_never_overwritten() {
    check(
        "DOB",
        "03/04/2012",
        "03/05/2012",
        true,
        None,
        expect![[
            r#"Different allowed=Ignore decision=Ignore Green "Stays in PowerSchool" note="Protected by the district: registrar only""#
        ]],
    );
    // A decision that is not allowed is not applied.
    check(
        "DOB",
        "03/04/2012",
        "03/05/2012",
        true,
        Some(Decision::Edit),
        expect![[
            r#"Different allowed=Ignore decision=Ignore Green "Stays in PowerSchool" note="Protected by the district: registrar only""#
        ]],
    );
    check(
        "DOB",
        "",
        "03/05/2012",
        true,
        None,
        expect![[
            r#"OnlyOnForm allowed=Ignore/Add decision=Ignore Yellow "Form only: not written" note="Protected by the district: registrar only""#
        ]],
    );
}

#[test]
fn values_that_cannot_be_written_say_why() {
    check(
        "DOB",
        "03/04/2012",
        "March 4th",
        false,
        None,
        expect![[
            r#"Different allowed=Edit/Ignore decision=Edit Red "Will be replaced" writes="March 4th" problem="not a date: expected MM/DD/YYYY or YYYY-MM-DD""#
        ]],
    );
    check(
        "Street",
        "12 Elm St",
        "12 Elm St\tApt 4",
        false,
        None,
        expect![[
            r#"Different allowed=Edit/Ignore decision=Edit Red "Will be replaced" writes="12 Elm St\tApt 4" problem="the form's value holds a tab, which would break the import file""#
        ]],
    );
}
