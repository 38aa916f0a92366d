//! Drafts as the browser stores them: migration from older irdoc, the storage entries and the
//! library scanned from them, saves from several tabs, and backups.

use irdoc_core::drafts::{
    decode_backup, decode_draft, draft_key, encode_backup, encode_draft, fork, merge_backup,
    next_stamp, peek_stamp, scan, write_check, Backup, DraftMeta, JsonError, Library, Stamp,
    StorageUse, StoredDraft, WriteCheck, LAST_KEY, STORAGE_LIMIT,
};
use irdoc_core::json::report_from_json;
use irdoc_core::model::{ActionStatus, Status, SCHEMA_VERSION};
use irdoc_core::{export, import, Report};
use serde_json::{json, Value};

const V1_SESSIONSTORE: &str = include_str!("data/drafts/v1-sessionstore.json");
const SESSIONSTORE_PAGE: &str =
    include_str!("data/wikitech/2025-03-31_sessionstore_unavailability.txt");

/// Every wikitech page in the test data, by file name.
fn pages() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/wikitech");
    let mut pages: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                text,
            )
        })
        .collect();
    pages.sort();
    pages
}

fn titled(title: &str) -> Report {
    Report {
        title: title.to_owned(),
        ..Report::default()
    }
}

fn draft(id: &str, rev: u64, saved_at_ms: i64, writer: &str, report: Report) -> StoredDraft {
    StoredDraft {
        id: id.to_owned(),
        rev,
        saved_at_ms,
        writer: writer.to_owned(),
        report,
    }
}

/// A storage entry holding `draft`, as the app writes it.
fn entry(draft: &StoredDraft) -> (String, String) {
    (draft_key(&draft.id), encode_draft(draft))
}

/// The stored JSON of a draft, with its report replaced by `report`.
fn with_report_json(draft: &StoredDraft, report: Value) -> String {
    let mut value: Value = serde_json::from_str(&encode_draft(draft)).unwrap();
    value["report"] = report;
    value.to_string()
}

#[test]
fn v1_report_migrates_and_exports_the_page() {
    let report = report_from_json(V1_SESSIONSTORE).unwrap();
    assert_eq!(report.schema, SCHEMA_VERSION);
    let statuses: Vec<_> = report.actionables.items().map(|a| a.status).collect();
    assert_eq!(statuses[0], ActionStatus::Done);
    assert!(
        statuses[1..].iter().all(|&s| s == ActionStatus::Open),
        "{statuses:?}"
    );
    assert!(
        export(&report) == SESSIONSTORE_PAGE,
        "export differs from the page"
    );

    // The schema 1 of the earliest irdoc wrote no version at all.
    let unversioned = V1_SESSIONSTORE.replacen("\"schema\": 1,", "", 1);
    assert_ne!(unversioned, V1_SESSIONSTORE);
    assert_eq!(report_from_json(&unversioned).unwrap(), report);

    // A stored draft holding a v1 report migrates it too.
    let stored = with_report_json(
        &draft("s", 3, 0, "tab", Report::default()),
        serde_json::from_str(V1_SESSIONSTORE).unwrap(),
    );
    assert_eq!(decode_draft(&stored).unwrap().report, report);
}

#[test]
fn every_page_round_trips_as_a_stored_draft() {
    for (name, page) in pages() {
        let stored = draft(
            "t2k9xq0a7bc3e",
            7,
            1_743_390_000_000,
            "tab-1",
            import(&page).report,
        );
        let raw = encode_draft(&stored);
        assert!(
            raw.starts_with(r#"{"format":"irdoc-draft","id":"t2k9xq0a7bc3e","rev":7"#),
            "{name}"
        );
        let back = decode_draft(&raw).unwrap();
        assert_eq!(back, stored, "{name}");
        assert!(
            export(&back.report) == page,
            "{name}: export differs from the page"
        );
    }
}

#[test]
fn decode_names_what_it_cannot_read() {
    assert_eq!(
        decode_draft(r#"{"name": "x"}"#),
        Err(JsonError::Foreign("draft"))
    );
    assert_eq!(decode_draft("[]"), Err(JsonError::Foreign("draft")));
    assert!(matches!(
        decode_draft(r#"{"format":"irdoc-draft","#),
        Err(JsonError::Malformed { line: 1, .. })
    ));
    let newer = with_report_json(
        &draft("n", 1, 0, "tab", Report::default()),
        json!({"schema": 4}),
    );
    assert_eq!(decode_draft(&newer), Err(JsonError::NewerSchema(4)));
    let no_rev = r#"{"format":"irdoc-draft","id":"a","saved_at_ms":0,"writer":"t","report":{}}"#;
    let err = decode_draft(no_rev).unwrap_err();
    assert!(err.to_string().contains("missing field `rev`"), "{err}");
}

#[test]
fn meta_shows_title_status_and_score() {
    let report = import(SESSIONSTORE_PAGE).report;
    let meta = DraftMeta::of(&draft("s", 4, 99, "tab", report));
    assert_eq!(
        meta,
        DraftMeta {
            id: "s".into(),
            title: String::new(),
            status: Status::Draft,
            updated_ms: 99,
            score: 10,
            unanswered: 0,
            rev: 4,
            wiki: None,
        }
    );
}

#[test]
fn scan_lists_drafts_newest_first_and_keeps_what_it_cannot_read() {
    let old = draft("old", 2, 1_000, "tab-a", titled("Incidents/2025-01-01 Old"));
    let new = draft("new", 9, 5_000, "tab-b", titled("Incidents/2025-02-02 New"));
    let truncated = r#"{"format":"irdoc-draft","#;
    let newer = with_report_json(
        &draft("future", 1, 0, "t", Report::default()),
        json!({"schema": 4}),
    );
    let misfiled = encode_draft(&draft("elsewhere", 1, 0, "t", Report::default()));
    let drafts_only = vec![
        entry(&old),
        (draft_key("cut"), truncated.to_owned()),
        (draft_key("foreign"), r#"{"hello": "world"}"#.to_owned()),
        (draft_key("text"), "not json at all".to_owned()),
        (draft_key("future"), newer.clone()),
        (draft_key("here"), misfiled),
        entry(&new),
        (LAST_KEY.to_owned(), "new".to_owned()),
        ("theme".to_owned(), "dark".to_owned()),
        ("other-app:draft:x".to_owned(), "{".to_owned()),
    ];
    let library = scan(drafts_only.clone());

    let ids: Vec<_> = library.drafts.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["new", "old"]);
    assert_eq!(library.drafts[0], DraftMeta::of(&new));

    let reasons: Vec<_> = library
        .unreadable
        .iter()
        .map(|u| (u.key.as_str(), u.reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("irdoc:draft:cut", "1:24: the JSON ends early (cut off)"),
            ("irdoc:draft:foreign", "JSON, but not an irdoc draft"),
            (
                "irdoc:draft:future",
                "made by a newer irdoc (format version 4): update irdoc to open it"
            ),
            (
                "irdoc:draft:here",
                "stored under id “here” but names itself “elsewhere”"
            ),
            ("irdoc:draft:text", "1:2: not JSON (expected ident)"),
        ]
    );
    // Kept as stored, to be offered for download.
    assert_eq!(library.unreadable[0].raw, truncated);
    assert_eq!(library.unreadable[2].raw, newer);

    // Whatever an index key holds, or whether there is one, the library is the drafts.
    for index in ["", "{", r#"{"format":"irdoc-draft"}"#, r#"["old"]"#] {
        let mut entries = drafts_only.clone();
        entries.push(("irdoc:index".to_owned(), index.to_owned()));
        assert_eq!(scan(entries), library, "index {index:?}");
    }
    assert_eq!(scan(Vec::new()), Library::default());
}

#[test]
fn peek_stamp_reads_who_wrote_which_revision() {
    let stored = draft("d", 5, 0, "tab-a", Report::default()).stamp();
    assert_eq!(
        peek_stamp(&encode_draft(&draft("d", 5, 0, "tab-a", Report::default()))),
        Some(stored.clone())
    );
    assert_eq!(peek_stamp("{\"format\":\"irdoc-draft\",\"rev\""), None);
    // Written by hand with the report first, the stamp is still found.
    let report_first =
        r#"{"report":{},"format":"irdoc-draft","id":"d","rev":5,"saved_at_ms":0,"writer":"tab-a"}"#;
    assert_eq!(peek_stamp(report_first), Some(stored));
}

#[test]
fn write_check_sees_every_write_and_delete_by_another_tab() {
    let stamp = |rev, writer: &str| Stamp {
        rev,
        writer: writer.into(),
    };
    let a5 = stamp(5, "tab-a");
    // A new draft, not stored yet.
    assert_eq!(write_check(None, None), WriteCheck::Clear);
    // The stored draft is the revision this tab last loaded or saved.
    assert_eq!(write_check(Some(&a5), Some(&a5)), WriteCheck::Clear);
    // Another tab saved since.
    assert_eq!(
        write_check(Some(&stamp(6, "tab-b")), Some(&a5)),
        WriteCheck::Changed { theirs: 6 }
    );
    // Another tab wrote it under this tab's old name: a rename in the library that kept the
    // writer once did this, and the tab saved over the rename.
    assert_eq!(
        write_check(Some(&stamp(6, "tab-a")), Some(&a5)),
        WriteCheck::Changed { theirs: 6 }
    );
    // Deleted since, or written under the id of a draft this tab has not saved yet.
    assert_eq!(write_check(None, Some(&a5)), WriteCheck::Deleted);
    assert_eq!(
        write_check(Some(&a5), None),
        WriteCheck::Changed { theirs: 5 }
    );
}

#[test]
fn next_stamp_is_above_the_stored_and_the_prior_revision() {
    let stored = Stamp {
        rev: 5,
        writer: "tab-a".into(),
    };
    let next = |stored, prior| next_stamp(stored, prior, "tab-b");
    assert_eq!(next(Some(&stored), 5).rev, 6);
    assert_eq!(next(Some(&stored), 2).rev, 6);
    assert_eq!(next(Some(&stored), 9).rev, 10);
    // Nothing stored: a new draft, or one kept after a delete, whose tabs had revision 7.
    assert_eq!(next(None, 0).rev, 1);
    assert_eq!(next(None, 7).rev, 8);
    assert_eq!(next(None, 7).writer, "tab-b");
}

#[test]
fn storage_use_counts_utf16_units_of_keys_and_values() {
    // “é” is one code unit, “😀” two; values come as their JS lengths.
    let use_ = StorageUse::measure([
        ("irdoc:draft:é", 100),
        ("irdoc:last", 12),
        ("other-app:😀", 1_000),
    ]);
    assert_eq!(use_.irdoc, 13 + 100 + 10 + 12);
    assert_eq!(use_.total, use_.irdoc + 12 + 1_000);
    assert_eq!(
        StorageUse::measure(Vec::<(String, usize)>::new()),
        StorageUse::default()
    );
}

#[test]
fn storage_use_warns_from_80_percent_and_says_what_to_do() {
    let at = |irdoc, total| StorageUse { irdoc, total };
    assert_eq!(STORAGE_LIMIT, 5_242_880);
    assert_eq!(
        at(12_000, 12_000).summary(),
        "Drafts take 12 KB of the 5 MB this browser keeps for this site."
    );
    assert_eq!(
        at(0, 0).summary(),
        "Drafts take 0 KB of the 5 MB this browser keeps for this site."
    );
    // Anything stored shows: rounded up below 1 MB.
    assert!(at(1, 1).summary().starts_with("Drafts take 1 KB "));
    assert_eq!(
        at(300_000, 4_000_000).summary(),
        "Drafts take 293 KB of the 5 MB this browser keeps for this site (other pages of this \
         site take 3.5 MB)."
    );
    assert_eq!(at(0, STORAGE_LIMIT * 79 / 100).warning(), None);
    let warning = at(2_000_000, STORAGE_LIMIT * 80 / 100).warning().unwrap();
    assert_eq!(
        warning,
        "This site's storage is 80% full (4 MB of 5 MB): once it is full, edits can no longer be \
         saved. Download a backup of all drafts, then delete the drafts you no longer need."
    );
    assert_eq!(at(0, STORAGE_LIMIT - 1).percent(), 99);
    assert_eq!(at(0, STORAGE_LIMIT).percent(), 100);
    assert!(at(1_030_000, 1_030_000)
        .summary()
        .starts_with("Drafts take 1 MB "));
    assert!(at(1_020_000, 1_020_000)
        .summary()
        .starts_with("Drafts take 997 KB "));
}

#[test]
fn fork_is_a_new_draft_with_the_same_report() {
    let mine = draft("d", 5, 1_000, "tab-b", import(SESSIONSTORE_PAGE).report);
    let mut original = mine.clone();
    original.report.title = "Incidents/2025-03-31 sessionstore".into();
    let copy = fork(&original, "e".into(), 2_000);
    assert_eq!(
        (copy.id.as_str(), copy.rev, copy.saved_at_ms),
        ("e", 0, 2_000)
    );
    assert_eq!(
        copy.report.title,
        "Incidents/2025-03-31 sessionstore (copy)"
    );
    assert_eq!(export(&copy.report), SESSIONSTORE_PAGE);
    assert_eq!(fork(&mine, "f".into(), 0).report.title, "(copy)");
}

#[test]
fn backup_round_trips_and_keeps_unreadable_drafts_aside() {
    let backup = Backup {
        exported_at_ms: 1_750_000_000_000,
        drafts: pages()
            .into_iter()
            .enumerate()
            .map(|(i, (_, page))| draft(&format!("d{i}"), 1, i as i64, "tab", import(&page).report))
            .collect(),
    };
    let text = encode_backup(&backup);
    assert!(text.starts_with("{\n  \"format\": \"irdoc-backup\",\n  \"version\": 1,"));
    assert_eq!(decode_backup(&text).unwrap(), (backup, Vec::new()));

    let good = draft("good", 1, 0, "tab", titled("kept"));
    let mut file = json!({
        "format": "irdoc-backup",
        "version": 1,
        "exported_at_ms": 5,
        "drafts": [
            serde_json::from_str::<Value>(&encode_draft(&good)).unwrap(),
            {"format": "irdoc-draft", "id": "future", "rev": 1, "saved_at_ms": 0, "writer": "t", "report": {"schema": 4}},
            "not a draft",
        ]
    });
    let (read, unreadable) = decode_backup(&file.to_string()).unwrap();
    assert_eq!(read.drafts, [good]);
    let reasons: Vec<_> = unreadable
        .iter()
        .map(|u| (u.key.as_str(), u.reason.as_str()))
        .collect();
    assert_eq!(reasons[1], ("drafts[2]", "JSON, but not an irdoc draft"));
    assert_eq!(reasons[0].0, "drafts[1]");
    assert!(
        reasons[0].1.starts_with("made by a newer irdoc"),
        "{}",
        reasons[0].1
    );
    assert!(unreadable[0].raw.contains("\"future\""));

    file["version"] = 2.into();
    assert_eq!(
        decode_backup(&file.to_string()),
        Err(JsonError::NewerSchema(2))
    );
    assert_eq!(
        decode_backup(&encode_draft(&draft("a", 1, 0, "t", Report::default()))),
        Err(JsonError::Foreign("backup"))
    );
    assert!(matches!(
        decode_backup("{\"format\""),
        Err(JsonError::Malformed { .. })
    ));
}

#[test]
fn merge_adds_and_copies_but_never_overwrites() {
    let same = draft("same", 3, 100, "tab", titled("Same"));
    let ours = draft("clash", 4, 200, "tab", titled("Ours"));
    let existing = vec![same.clone(), ours.clone()];
    let theirs = draft("clash", 2, 150, "other", titled("Theirs"));
    let fresh = draft("fresh", 1, 50, "other", titled("Fresh"));
    // The first id offered is taken, so the next one is used.
    let mut ids = ["fresh", "copy1", "copy2"].into_iter().map(String::from);

    let merge = merge_backup(
        &existing,
        vec![same.clone(), theirs.clone(), fresh.clone()],
        || ids.next().unwrap(),
        999,
    );
    assert_eq!((merge.added, merge.unchanged), (1, 1));
    assert_eq!(merge.kept_both, [("clash".to_owned(), "copy1".to_owned())]);
    let copy = draft("copy1", 0, 999, "other", titled("Theirs (from backup)"));
    assert_eq!(merge.to_write, [copy, fresh]);

    // Restoring the same backup again changes nothing.
    let library: Vec<_> = existing.into_iter().chain(merge.to_write).collect();
    let again = merge_backup(
        &library,
        vec![same, theirs, library[3].clone()],
        || "copy3".into(),
        1_000,
    );
    assert_eq!(
        (again.added, again.unchanged, again.to_write.len()),
        (0, 3, 0)
    );
    assert!(again.kept_both.is_empty());
}

#[test]
fn merge_keeps_both_when_a_backup_repeats_an_id() {
    let first = draft("dup", 1, 0, "t", titled("First"));
    let second = draft("dup", 1, 0, "t", titled("Second"));
    let merge = merge_backup(&[], vec![first.clone(), second], || "other".into(), 7);
    assert_eq!(merge.added, 1);
    assert_eq!(merge.to_write[0], first);
    assert_eq!(merge.to_write[1].id, "other");
    assert_eq!(merge.to_write[1].report.title, "Second (from backup)");
}
