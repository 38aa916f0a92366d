//! Any page imports without panicking, exports to its own bytes, and survives a JSON file.
#![no_main]

use irdoc_core::json::{report_from_json, report_to_json};
use irdoc_core::{export, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|page: &str| {
    let report = import(page).report;
    assert_eq!(export(&report), page, "export(import(page)) is the page");
    let file = report_to_json(&report);
    let back = report_from_json(&file).expect("a report irdoc wrote reads back");
    assert_eq!(export(&back), page, "the page survives a JSON file");
});
