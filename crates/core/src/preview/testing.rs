//! What the tests of every stage share: the real pages under
//! `tests/data/wikitech/`, rendering with the safety checks, a time budget.

use std::time::{Duration, Instant};

use super::safety::check_safe;
use super::{render, render_inline};

pub(super) use crate::test_pages::{
    ALL as FIXTURES, GERRIT, PROXY, S4, SESSIONSTORE, TOOLSDB, VARNISH,
};

// -- helpers ------------------------------------------------------------

pub(super) fn render_checked(input: &str) -> String {
    let html = render(input);
    check_safe(input, &html);
    let inline = render_inline(input);
    check_safe(input, &inline);
    html
}

/// Text of every `<hN>` in order.
pub(super) fn headings(html: &str, level: usize) -> Vec<String> {
    let (open, close) = (format!("<h{level}>"), format!("</h{level}>"));
    html.split(&open)
        .skip(1)
        .filter_map(|s| s.split_once(&close))
        .map(|(h, _)| h.to_string())
        .collect()
}

pub(super) fn count(hay: &str, needle: &str) -> usize {
    hay.matches(needle).count()
}

/// The table whose text contains `needle`.
pub(super) fn table_with<'a>(html: &'a str, needle: &str) -> &'a str {
    html.split("<table")
        .filter_map(|t| t.split("</table>").next())
        .find(|t| t.contains(needle))
        .unwrap_or("")
}

/// Generous bound that still catches quadratic behaviour (which would take
/// minutes on these sizes) even in unoptimised test builds.
pub(super) const BUDGET: Duration = Duration::from_secs(4);

pub(super) fn assert_fast(name: &str, input: &str) {
    let start = Instant::now();
    let html = render(input);
    let elapsed = start.elapsed();
    assert!(
        elapsed < BUDGET,
        "{name}: {elapsed:?} for {} bytes ({} out)",
        input.len(),
        html.len()
    );
}
