//! The preview of any page is safe HTML: only allow-listed tags and attributes, links that are
//! http(s) or mailto with rel and target, balanced tags, no internal placeholder.
#![no_main]

use irdoc_core::preview::{render, render_inline, safety::check_safe};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|page: &str| {
    check_safe(page, &render(page));
    check_safe(page, &render_inline(page));
});
