//! The command-line tool, run as a process on a generated demo district.

use std::path::Path;
use std::process::{Command, Output};

fn writeback(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_writeback")).args(args).current_dir(dir).output().expect("writeback runs")
}

fn demo(dir: &Path, students: &str, seed: &str) {
    let out = writeback(&["demo-data", "--students", students, "--seed", seed, "--out", "demo"], dir);
    assert!(out.status.success(), "demo-data failed: {}", String::from_utf8_lossy(&out.stderr));
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn first_application(dir: &Path) -> String {
    let mut apps: Vec<_> =
        std::fs::read_dir(dir.join("demo/applications")).unwrap().map(|e| e.unwrap().path()).collect();
    apps.sort();
    apps[0].strip_prefix(dir).unwrap().display().to_string()
}

#[test]
fn demo_data_is_deterministic_and_checks_clean() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    demo(a.path(), "300", "5");
    demo(b.path(), "300", "5");
    for name in ["Students.txt", "Person.txt", "StudentContactAssoc.txt", "CC.txt"] {
        let x = std::fs::read(a.path().join("demo/snapshot").join(name)).unwrap();
        let y = std::fs::read(b.path().join("demo/snapshot").join(name)).unwrap();
        assert!(x == y, "{name} differs between two runs with one seed");
    }
    assert_eq!(
        std::fs::read(a.path().join("demo/mappings.json")).unwrap(),
        std::fs::read(b.path().join("demo/mappings.json")).unwrap()
    );
    let out = writeback(&["check", "--snapshot", "demo/snapshot"], a.path());
    assert!(out.status.success(), "check failed: {}", stdout(&out));
    assert!(stdout(&out).contains("ok (300 students"), "{}", stdout(&out));
}

#[test]
fn check_lists_every_problem_as_file_line_column() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path(), "50", "2");
    let students = dir.path().join("demo/snapshot/Students.txt");
    let text = std::fs::read_to_string(&students).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let dob = lines[0].split('\t').position(|c| c == "DOB").unwrap();
    let mut cells: Vec<String> = lines[3].split('\t').map(str::to_string).collect();
    cells[dob] = "13/45/2010".into();
    lines[3] = cells.join("\t");
    std::fs::write(&students, lines.join("\n") + "\n").unwrap();
    std::fs::remove_file(dir.path().join("demo/snapshot/Terms.txt")).unwrap();

    let out = writeback(&["check", "--snapshot", "demo/snapshot"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("demo/snapshot/Students.txt:4:{}: DOB: bad date \"13/45/2010\"", dob + 1)),
        "{text}"
    );
    assert!(text.contains("demo/snapshot/Terms.txt:0:0: required export is missing"), "{text}");
}

#[test]
fn review_prints_json_and_emit_writes_exactly_the_reviewed_file() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path(), "200", "3");
    let snapshot = writeback_files::load_snapshot(&dir.path().join("demo/snapshot")).unwrap();
    let mappings = writeback_files::load_mappings(&dir.path().join("demo/mappings.json")).unwrap();
    // Without --settings the CLI reviews with default settings.
    let district = writeback_core::plan::District::new(snapshot, mappings.clone(), Default::default()).unwrap();
    let reviewer = writeback_core::plan::Reviewer {
        staff: writeback_synth::demo::demo_staff(),
        today: writeback_core::domain::Date::parse("2026-11-22").unwrap(),
    };
    // Find an application that can be written back as it is.
    let mut apps: Vec<_> =
        std::fs::read_dir(dir.path().join("demo/applications")).unwrap().map(|e| e.unwrap().path()).collect();
    apps.sort();
    let (path, review) = apps
        .iter()
        .find_map(|p| {
            let app = writeback_files::load_application(p).unwrap();
            let r = writeback_core::plan::ApplicationReview::prepare(&district, &app, &[], &reviewer)
                .decide(&Default::default());
            let has_students = r.files.iter().any(|f| f.kind == writeback_core::flatfile::FileKind::Students);
            (r.ready() && has_students).then_some((p.clone(), r))
        })
        .expect("a ready application in the demo district");
    let app = path.strip_prefix(dir.path()).unwrap().display().to_string();
    let args = ["--snapshot", "demo/snapshot", "--application", &app, "--mappings", "demo/mappings.json"];

    let out = writeback(&[&["review"], &args[..]].concat(), dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["application_id"], review.application_id.as_str());
    assert_eq!(json["demographics"].as_array().unwrap().len(), mappings.student_fields.len());
    assert!(json["demographics"][0]["highlight"].is_string());
    for (i, f) in review.files.iter().enumerate() {
        assert_eq!(json["files"][i]["text"], f.text.as_str());
    }

    let out = writeback(&[&["emit"], &args[..], &["--out", "out"]].concat(), dir.path());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in &review.files {
        let written =
            std::fs::read_to_string(dir.path().join(format!("out/{}_{}.txt", review.application_id, f.kind))).unwrap();
        assert_eq!(written, f.text, "{} file", f.kind);
    }

    // Decisions from a file change what is written.
    let ignore_all: serde_json::Map<String, serde_json::Value> =
        review.demographics.iter().map(|r| (r.field.form_field.clone(), "ignore".into())).collect();
    std::fs::write(dir.path().join("d.json"), serde_json::json!({ "demographics": ignore_all }).to_string()).unwrap();
    let out = writeback(&[&["emit"], &args[..], &["--decisions", "d.json", "--out", "out2"]].concat(), dir.path());
    assert!(out.status.success());
    let students = dir.path().join(format!("out2/{}_students.txt", review.application_id));
    assert!(!students.exists(), "an all-Ignore review writes no Students file");
    if !review.files.iter().any(|f| f.kind == writeback_core::flatfile::FileKind::Contacts) {
        assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to write"));
        assert!(!dir.path().join("out2").exists());
    }
}

#[test]
fn emit_lists_blockers_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path(), "100", "4");
    let app = first_application(dir.path());
    std::fs::write(dir.path().join("d.json"), r#"{"demographics": {"no_such_field": "edit"}}"#).unwrap();
    let out = writeback(
        &[
            "emit",
            "--snapshot",
            "demo/snapshot",
            "--application",
            &app,
            "--mappings",
            "demo/mappings.json",
            "--decisions",
            "d.json",
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no_such_field"), "{err}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn bad_json_is_named_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path(), "50", "4");
    std::fs::write(dir.path().join("bad.json"), "{\n  \"id\": \"APP-1\",\n  \"status\": \"maybe\"\n}\n").unwrap();
    let out = writeback(
        &["review", "--snapshot", "demo/snapshot", "--application", "bad.json", "--mappings", "demo/mappings.json"],
        dir.path(),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json:3:"), "{err}");
    assert!(err.contains("maybe"), "{err}");
}
