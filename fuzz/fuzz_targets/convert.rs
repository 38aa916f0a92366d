//! Any document (HTML through html5ever, Markdown, plain text, or a raw sequence of
//! builder events as a browser's DOM walk would send them) converts without panicking, in
//! any time zone, into a report that is inert: its page reads back with the same timeline
//! times and actionables, and exports to the same bytes again (nothing the document said
//! became markup that changes the page's structure).
#![no_main]

use irdoc_core::convert::{parse_html, read_markdown, read_text, to_report, HtmlBuilder, Options};
use irdoc_core::{export, import, Report};
use libfuzzer_sys::fuzz_target;

/// `+tag`, `-tag` and text, separated by `|`: events for the builder, unbalanced at will.
fn events(text: &str) -> irdoc_core::convert::Document {
    let mut b = HtmlBuilder::new();
    for part in text.split('|') {
        if let Some(tag) = part.strip_prefix('+') {
            let (tag, value) = tag.split_once(' ').unwrap_or((tag, ""));
            b.open(tag, &[("href", value), ("style", value), ("class", value), ("id", value)]);
        } else if let Some(tag) = part.strip_prefix('-') {
            b.close(tag);
        } else {
            b.text(part);
        }
    }
    b.finish()
}

fn whens(r: &Report) -> Vec<irdoc_core::model::When> {
    r.timeline.items().map(|e| e.when).collect()
}

fuzz_target!(|input: (u8, i16, &str)| {
    let (mode, offset, text) = input;
    let document = match mode % 4 {
        0 => parse_html(text),
        1 => read_markdown(text),
        2 => read_text(text),
        _ => events(text),
    };
    let options = Options {
        utc_offset_minutes: i32::from(offset) % (14 * 60),
    };
    let conversion = to_report(&document, &options);
    let page = export(&conversion.report);
    let back = import(&page).report;
    assert_eq!(whens(&back), whens(&conversion.report), "{page}");
    assert_eq!(back.actionables.item_count(), conversion.report.actionables.item_count(), "{page}");
    assert_eq!(export(&back), page);
});
