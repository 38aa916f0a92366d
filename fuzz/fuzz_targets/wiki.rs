//! Any answer from a wiki's Action API, and anything typed or pasted as a page or a wiki
//! address, is read or refused with an error, never a panic; a page read from an answer
//! opens as a draft that exports to its exact text.
#![no_main]

use irdoc_core::wiki::{list_answer, read_answer, Target, Wiki};
use irdoc_core::{export, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for target in [Target::Title("Incidents/X".into()), Target::Revision(12)] {
        if let Ok(page) = read_answer(&target, text) {
            assert_eq!(export(&import(&page.content).report), page.content);
            let _ = page.origin(&Wiki::default()).page_url();
        }
    }
    if let Ok(list) = list_answer(text) {
        let _ = irdoc_core::wiki::matching(&list.titles, "a b");
    }
    let wiki = Wiki::default();
    if let Ok(target) = wiki.target(text) {
        let url = wiki.read_url(&target);
        assert!(url.starts_with("https://wikitech.wikimedia.org/w/api.php?"));
    }
    if let Ok(other) = Wiki::parse(text) {
        assert!(other.base().starts_with("https://") || other.base().starts_with("http://"));
        let _ = other.target(text);
    }
});
