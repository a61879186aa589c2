use super::*;

fn open(dir: &Path) -> Store {
    let db = Arc::new(Db::open(dir).unwrap());
    Store::open(dir, db).unwrap()
}

fn submission<'a>(app: &'a ApplicationId, key: &'a str, entries: Vec<NewEntry<'a>>) -> NewSubmission<'a> {
    NewSubmission {
        application_id: app,
        route: "writeback",
        staff_id: "jdoe",
        submitted_by: "Jane Doe (jdoe)",
        idempotency_key: key,
        request_sha256: "sha-of-the-request",
        destination: "outbox /tmp/x",
        entries,
        correction: false,
        new_contacts: Vec::new(),
    }
}

fn file(kind: FileKind, bytes: &[u8]) -> NewEntry<'_> {
    NewEntry { kind, file: Some((bytes, 1)), courses: None, follow_ups: &[], expected_pickup: None }
}

fn new(a: Accepted) -> Vec<HistoryEntry> {
    match a {
        Accepted::New(e) => e,
        Accepted::Replayed(e) => panic!("replayed {e:?}"),
    }
}

fn spool_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir.join("spool")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    names
}

#[test]
fn a_submission_is_stored_whole_and_survives_a_reopen() {
    let tmp = tempfile::tempdir().unwrap();
    let app = ApplicationId::parse("A-1").unwrap();
    let store = open(tmp.path());
    let follow = ["Data access: Maria".to_string()];
    let entries = new(store
        .accept(submission(
            &app,
            "k1",
            vec![
                file(FileKind::Students, b"one\n"),
                NewEntry { follow_ups: &follow, ..file(FileKind::Contacts, b"two\n") },
            ],
        ))
        .unwrap());
    assert_eq!(
        entries.iter().map(|e| (e.id, e.kind, e.status)).collect::<Vec<_>>(),
        [(1, FileKind::Students, Status::Accepted), (2, FileKind::Contacts, Status::Accepted)]
    );
    let name = entries[0].file_name.clone().unwrap();
    assert!(name.starts_with("writeback_students_A-1_") && name.ends_with("_1.txt"), "{name}");
    assert_eq!(fs::read(store.spool_path(&name)).unwrap(), b"one\n");
    assert_eq!(entries[1].follow_ups, follow);
    assert_eq!(entries[0].submitted_by, "Jane Doe (jdoe)");
    store.delivered(1, "outbox /tmp/y", None, None).unwrap();
    drop(store);

    let store = open(tmp.path());
    let h = store.history(&app).unwrap();
    assert_eq!(h.iter().map(|e| (e.id, e.status)).collect::<Vec<_>>(), [(2, Status::Accepted), (1, Status::Delivered)]);
    assert_eq!(h[1].destination, "outbox /tmp/y");
    assert!(h[1].delivered_at.as_deref().unwrap().ends_with('Z'));
    assert_eq!(store.undelivered().unwrap(), [2]);
    assert_eq!(store.history(&ApplicationId::parse("A-2").unwrap()).unwrap(), []);
    let next = new(store.accept(submission(&app, "k2", vec![file(FileKind::Students, b"three\n")])).unwrap());
    assert_eq!(next[0].id, 3);
}

#[test]
fn the_same_key_returns_the_first_answer_and_stores_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let app = ApplicationId::parse("A-1").unwrap();
    let store = open(tmp.path());
    let first = new(store.accept(submission(&app, "k1", vec![file(FileKind::Students, b"one\n")])).unwrap());
    store.delivered(first[0].id, "outbox /o", None, None).unwrap();
    let again = store.accept(submission(&app, "k1", vec![file(FileKind::Students, b"one\n")])).unwrap();
    let Accepted::Replayed(again) = again else { panic!("{again:?}") };
    assert_eq!(again.iter().map(|e| (e.id, e.status)).collect::<Vec<_>>(), [(1, Status::Delivered)]);
    assert_eq!(store.replay("jdoe", "k1", "sha-of-the-request").unwrap().unwrap(), again);
    assert_eq!(store.replay("jdoe", "k9", "sha-of-the-request").unwrap(), None);
    assert_eq!(spool_names(tmp.path()).len(), 1);
    assert_eq!(store.history(&app).unwrap().len(), 1);

    // The same key for another request is refused, naming the first.
    let other = NewSubmission { request_sha256: "another", ..submission(&app, "k1", vec![]) };
    let err = store.accept(other).unwrap_err().to_string();
    assert!(err.contains("\"k1\" was already used for another submission (entries 1)"), "{err}");
    // Keys are per staff member.
    let dana = NewSubmission { staff_id: "dana", ..submission(&app, "k1", vec![file(FileKind::Students, b"x\n")]) };
    assert_eq!(new(store.accept(dana).unwrap())[0].id, 2);
}

#[test]
fn what_no_commit_owns_is_removed_at_start() {
    let tmp = tempfile::tempdir().unwrap();
    let app = ApplicationId::parse("A-1").unwrap();
    let store = open(tmp.path());
    let kept = new(store.accept(submission(&app, "k1", vec![file(FileKind::Students, b"one\n")])).unwrap());
    drop(store);
    // A crash after the spool write but before the commit, and one in the
    // middle of a spool write.
    fs::write(tmp.path().join("spool/writeback_students_A-1_20261122T091403_2.txt"), b"never acked").unwrap();
    fs::write(tmp.path().join("spool/writeback_students_A-1_20261122T091403_3.txt.part"), b"half").unwrap();
    let store = open(tmp.path());
    assert_eq!(spool_names(tmp.path()), [kept[0].file_name.clone().unwrap()]);
    let next = new(store.accept(submission(&app, "k2", vec![file(FileKind::Students, b"two\n")])).unwrap());
    assert_eq!(next[0].id, 2);
    assert_eq!(fs::read(store.spool_path(next[0].file_name.as_deref().unwrap())).unwrap(), b"two\n");
}

#[test]
fn failed_attempts_are_kept_and_told_once_delivered() {
    let tmp = tempfile::tempdir().unwrap();
    let app = ApplicationId::parse("A-1").unwrap();
    let store = open(tmp.path());
    let e = new(store.accept(submission(&app, "k1", vec![file(FileKind::Students, b"one\n")])).unwrap());
    let f = store.failed(e[0].id, "sftp://h:22/in", "sftp failed: connection refused").unwrap();
    assert_eq!((f.status, f.failed_attempts), (Status::Failed, 1));
    store.failed(e[0].id, "sftp://h:22/in", "sftp failed: timed out").unwrap();
    assert_eq!(store.undelivered().unwrap(), [1]);
    let d = store.delivered(e[0].id, "sftp://h:22/in", None, None).unwrap();
    assert_eq!((d.status, d.failed_attempts), (Status::Delivered, 2));
    let detail = d.detail.unwrap();
    assert!(detail.starts_with("delivered after 2 failed attempt(s) since 20"), "{detail}");
    assert!(detail.ends_with("the last: sftp failed: timed out"), "{detail}");
    let failures = store.failures(e[0].id).unwrap();
    assert_eq!(
        failures.iter().map(|(_, e)| e.as_str()).collect::<Vec<_>>(),
        ["sftp failed: connection refused", "sftp failed: timed out"]
    );
    // A late failure report never undoes a delivery.
    let late = store.failed(e[0].id, "sftp://h:22/in", "late").unwrap();
    assert_eq!((late.status, late.failed_attempts), (Status::Delivered, 2));
    assert!(matches!(store.failed(99, "x", "y"), Err(StoreError::UnknownEntry(99))));
    assert!(matches!(store.delivered(99, "x", None, None), Err(StoreError::UnknownEntry(99))));
}

#[test]
fn delivered_bytes_are_removed_after_the_retention_and_the_entry_stays() {
    let tmp = tempfile::tempdir().unwrap();
    let app = ApplicationId::parse("A-1").unwrap();
    let store = open(tmp.path());
    let e = new(store
        .accept(submission(&app, "k1", vec![file(FileKind::Students, b"1\n"), file(FileKind::Contacts, b"2\n")]))
        .unwrap());
    store.delivered(1, "outbox /o", None, None).unwrap();
    assert_eq!(store.remove_delivered_before("2000-01-01T00:00:00Z").unwrap(), 0);
    assert_eq!(store.remove_delivered_before("9999-01-01T00:00:00Z").unwrap(), 1);
    assert_eq!(spool_names(tmp.path()), [e[1].file_name.clone().unwrap()], "the undelivered file stays");
    assert_eq!(store.history(&app).unwrap().len(), 2);
    assert_eq!(store.remove_delivered_before("9999-01-01T00:00:00Z").unwrap(), 0);
    drop(store);
    // Removed bytes are not orphans, and a reopen keeps the other file.
    let store = open(tmp.path());
    assert_eq!(spool_names(tmp.path()), [e[1].file_name.clone().unwrap()]);
    assert_eq!(store.entry(1).unwrap().unwrap().status, Status::Delivered);
}

#[test]
fn a_course_writeback_without_a_file_is_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let app = ApplicationId::parse("A-1").unwrap();
    let store = open(tmp.path());
    let denied = CourseSummary { written: vec![], denied: vec!["ART9".into()] };
    let e = new(store
        .accept(NewSubmission {
            route: "course-writeback",
            ..submission(
                &app,
                "k1",
                vec![NewEntry {
                    kind: FileKind::Schedules,
                    file: None,
                    courses: Some(&denied),
                    follow_ups: &[],
                    expected_pickup: Some("x".into()),
                }],
            )
        })
        .unwrap());
    let b = &e[0];
    assert_eq!((b.status, b.file_name.as_deref(), b.rows, b.destination.as_str()), (Status::Recorded, None, 0, ""));
    let json = serde_json::to_value(b).unwrap();
    assert_eq!(json["courses_written"], serde_json::json!([]));
    assert_eq!(json["courses_denied"], serde_json::json!(["ART9"]));
    assert!(json["expected_pickup"].is_null(), "{json}");
    assert_eq!(json["failed_attempts"], 0, "{json}");
    assert_eq!(store.undelivered().unwrap(), Vec::<u64>::new());
}

#[test]
fn an_old_history_file_is_imported_once_and_bad_lines_do_not_stop_the_start() {
    let tmp = tempfile::tempdir().unwrap();
    let line = |id: u64, status: &str, name: &str| {
        format!(
            r#"{{"id":{id},"application_id":"A-1","kind":"students","file_name":"{name}","rows":1,"submitted_by":"Zoë","submitted_at":"2026-11-22T09:14:03Z","status":"{status}","destination":"outbox /o"}}"#
        )
    };
    let mut text = Vec::new();
    text.extend(line(1, "accepted", "writeback_students_A-1_20261122T091403_1.txt").as_bytes());
    text.push(b'\n');
    // Cut inside the two bytes of "ë", then a line that is not an entry.
    let cut = line(2, "accepted", "writeback_students_A-1_20261122T091403_2.txt");
    let at = cut.find('ë').unwrap() + 1;
    text.extend(&cut.as_bytes()[..at]);
    text.extend(b"\nnot json\n");
    text.extend(line(1, "delivered", "writeback_students_A-1_20261122T091403_1.txt").as_bytes());
    text.extend(b"\n");
    text.extend(line(3, "accepted", "writeback_students_A-1_20261122T091403_3.txt").as_bytes());
    fs::write(tmp.path().join("history.jsonl"), &text).unwrap();
    fs::create_dir(tmp.path().join("spool")).unwrap();
    fs::write(tmp.path().join("spool/writeback_students_A-1_20261122T091403_3.txt"), b"3\n").unwrap();

    let store = open(tmp.path());
    let app = ApplicationId::parse("A-1").unwrap();
    let h = store.history(&app).unwrap();
    assert_eq!(h.iter().map(|e| (e.id, e.status)).collect::<Vec<_>>(), [(3, Status::Accepted), (1, Status::Delivered)]);
    assert_eq!(h[0].submitted_by, "Zoë");
    assert_eq!(store.undelivered().unwrap(), [3]);
    assert!(!tmp.path().join("history.jsonl").exists());
    assert_eq!(fs::read(tmp.path().join("history.jsonl.imported")).unwrap(), text);
    assert_eq!(spool_names(tmp.path()), ["writeback_students_A-1_20261122T091403_3.txt"]);
    drop(store);
    let store = open(tmp.path());
    assert_eq!(store.history(&app).unwrap().len(), 2, "imported once");
    let next = new(store.accept(submission(&app, "k1", vec![file(FileKind::Students, b"4\n")])).unwrap());
    assert_eq!(next[0].id, 4);
}

#[test]
fn a_second_contacts_or_schedules_file_needs_a_correction_and_a_new_contact_is_sent_once() {
    let tmp = tempfile::tempdir().unwrap();
    let app = ApplicationId::parse("A-1").unwrap();
    let store = open(tmp.path());
    let first = NewSubmission {
        new_contacts: vec!["A-1-contact2".into()],
        ..submission(&app, "k1", vec![file(FileKind::Students, b"s\n"), file(FileKind::Contacts, b"c\n")])
    };
    new(store.accept(first).unwrap());
    // Students again: the same values written again change nothing.
    new(store.accept(submission(&app, "k2", vec![file(FileKind::Students, b"s\n")])).unwrap());
    let again = store.accept(submission(&app, "k3", vec![file(FileKind::Contacts, b"c2\n")])).unwrap_err();
    let said = again.to_string();
    assert!(said.starts_with("the contacts of application A-1 were written back already (entry 2, 20"), "{said}");
    assert!(said.ends_with("by Jane Doe (jdoe)): to write them again, mark this submission as a correction"), "{said}");
    let correction =
        NewSubmission { correction: true, ..submission(&app, "k4", vec![file(FileKind::Contacts, b"c2\n")]) };
    assert_eq!(new(store.accept(correction).unwrap())[0].id, 4);
    // Never the same new contact twice, correction or not.
    let twice = NewSubmission {
        correction: true,
        new_contacts: vec!["A-1-contact2".into()],
        ..submission(&app, "k5", vec![file(FileKind::Contacts, b"c3\n")])
    };
    let err = store.accept(twice.clone()).unwrap_err().to_string();
    assert!(err.starts_with("the new contact A-1-contact2 was sent already (entry 2,"), "{err}");
    // Schedules: the same rule; a record without a file is no writeback of rows.
    new(store.accept(submission(&app, "k6", vec![file(FileKind::Schedules, b"cc\n")])).unwrap());
    let denials = NewEntry { file: None, ..file(FileKind::Schedules, b"") };
    new(store.accept(submission(&app, "k7", vec![denials])).unwrap());
    let err = store.accept(submission(&app, "k8", vec![file(FileKind::Schedules, b"cc\n")])).unwrap_err();
    assert!(matches!(err, StoreError::WrittenBefore { kind: FileKind::Schedules, id: 5, .. }), "{err}");
    // Another application is its own.
    let other = ApplicationId::parse("A-2").unwrap();
    new(store.accept(submission(&other, "k9", vec![file(FileKind::Contacts, b"c\n")])).unwrap());
    assert_eq!(spool_names(tmp.path()).len(), 6, "nothing refused reached the spool");
    // Unless the next export showed PowerSchool never created that person.
    store.release_new_contacts(1, &["A-1-contact2".into()]).unwrap();
    assert!(store.accept(twice.clone()).is_err(), "released only for the entry that sent it");
    store.release_new_contacts(2, &["A-1-contact2".into()]).unwrap();
    let resent = new(store.accept(NewSubmission { idempotency_key: "k10", ..twice }).unwrap());
    assert_eq!(resent[0].id, 8);
}
