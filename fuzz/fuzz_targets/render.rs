//! The preview of any page is safe HTML: no script, no event handler, no script URL.
#![no_main]

use irdoc_core::render::{render, render_inline};
use libfuzzer_sys::fuzz_target;

/// Elements that would run code or load content if they came out of the preview.
const FORBIDDEN_TAGS: &[&str] = &[
    "<script",
    "<iframe",
    "<object",
    "<embed",
    "<style",
    "<link",
    "<meta",
    "<base",
    "<form",
    "<input",
    "<svg",
    "<math",
    "<img",
    "<video",
    "<audio",
    "<frame",
    "<template",
];

fn assert_safe(input: &str, html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in FORBIDDEN_TAGS {
        assert!(
            !lower.contains(tag),
            "{tag} in the preview of {input:?}: {html}"
        );
    }
    for scheme in ["javascript:", "vbscript:", "data:"] {
        assert!(
            !lower.contains(&format!("href=\"{scheme}")),
            "a {scheme} link in the preview of {input:?}: {html}"
        );
    }
    // Inside a tag, an attribute named on... is an event handler.
    let mut in_tag = false;
    for (i, c) in lower.char_indices() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            ' ' | '\t' | '\n' | '/' | '"' | '\'' if in_tag => {
                let rest = &lower[i + 1..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .collect();
                let handler =
                    name.len() > 2 && name.starts_with("on") && rest[name.len()..].starts_with('=');
                assert!(
                    !handler,
                    "event handler {name} in the preview of {input:?}: {html}"
                );
            }
            _ => {}
        }
    }
}

fuzz_target!(|page: &str| {
    assert_safe(page, &render(page));
    assert_safe(page, &render_inline(page));
});
