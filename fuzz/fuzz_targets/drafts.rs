//! Any stored draft, backup or report file is read or refused with an error, never a panic,
//! and a report read from one exports to a page that imports to the same page again: nothing
//! in it is lost on the way to the wiki and back.
#![no_main]

use irdoc_core::drafts::{decode_backup, decode_draft, peek_stamp};
use irdoc_core::json::report_from_json;
use irdoc_core::{export, import, Report};
use libfuzzer_sys::fuzz_target;

fn exports_stably(report: &Report) {
    let page = export(report);
    assert_eq!(
        export(&import(&page).report),
        page,
        "the exported page is stable"
    );
}

fuzz_target!(|json: &str| {
    let _ = peek_stamp(json);
    if let Ok(report) = report_from_json(json) {
        exports_stably(&report);
    }
    if let Ok(draft) = decode_draft(json) {
        exports_stably(&draft.report);
    }
    if let Ok((backup, _unreadable)) = decode_backup(json) {
        for draft in &backup.drafts {
            exports_stably(&draft.report);
        }
    }
});
