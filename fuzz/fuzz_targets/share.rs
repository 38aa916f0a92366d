//! Any share link, pasted text or payload is read or refused with an error, never a panic;
//! a report read from one exports to a page that imports again.
#![no_main]

use irdoc_core::share::{decode_any, fragment_data, inflate, read_payload, Decoded};
use irdoc_core::{export, import};
use libfuzzer_sys::fuzz_target;

fn read(payload: &[u8]) {
    if let Ok(shared) = read_payload(payload) {
        let page = export(&shared.report);
        assert_eq!(export(&import(&page).report), page);
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Some(link) = fragment_data(text) {
            if let Ok(Decoded::Plain(payload)) = decode_any(link) {
                read(&payload);
            }
        }
    }
    if let Ok(payload) = inflate(data) {
        read(&payload);
    }
    read(data);
});
