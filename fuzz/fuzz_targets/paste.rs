//! Any pasted text, at any offset from UTC and on any day, reads into timeline entries
//! without panicking, and every entry it gives keeps its time when written into a page.
#![no_main]

use irdoc_core::blocks::Block;
use irdoc_core::model::TimelineEntry;
use irdoc_core::paste::{parse_paste, PasteOptions};
use irdoc_core::Text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (i16, Option<(i16, u8, u8)>, &str)| {
    let (offset, day, text) = input;
    let opts = PasteOptions {
        utc_offset_minutes: offset.into(),
        date: day
            .and_then(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y.into(), m.into(), d.into())),
    };
    for entry in parse_paste(text, &opts).entries {
        let line = TimelineEntry::new(entry.when, Text::from(entry.text.as_str())).fresh_wikitext();
        let back = TimelineEntry::parse(&line).map(|e| e.when);
        assert_eq!(back, Some(entry.when), "{line:?}");
    }
});
