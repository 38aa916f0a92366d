//! Cost grows linearly with the input, on the inputs a short share link can carry.
//!
//! Each family is a page (or text) that some path once handled in quadratic time. A growth
//! test times one path at 10 KB, 100 KB and 1 MB and fails when ten times the input costs more
//! than twenty times as much: linear (or n log n) work passes with room for cache effects and
//! noise, quadratic work (a factor of 100) does not. Never a wall-clock threshold. Memory is
//! bounded too: a render may hold a fixed number of bytes per byte of page.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use irdoc_core::render::render;
use irdoc_core::{export, import};

/// Ten times the input may cost at most this many times as much.
const MAX_RATIO: f64 = 20.0;

/// A render may hold at most this many bytes of heap per byte of input. Its HTML alone can be
/// 22 times the input (`[[a]]` becomes a 110-byte link) and a page of links peaks near 62;
/// a copy made at every nesting level costs hundreds.
const MAX_HEAP_PER_BYTE: usize = 96;

/// The system allocator, counting each thread's live and peak heap bytes, so that a test can
/// bound what one run holds at once whatever the other tests do meanwhile.
struct Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

fn count_alloc(size: usize) {
    // `try_with`: the thread's counters are gone while it exits.
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + size);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

fn count_free(size: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(size)));
}

// SAFETY: every call is forwarded to `System` unchanged; the counting only reads and writes
// this thread's counters, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_alloc(layout.size());
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count_free(layout.size());
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_alloc(new_size);
        count_free(layout.size());
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Most heap bytes this thread held at once during `run`, above what it held before.
fn peak_heap(run: impl FnOnce()) -> usize {
    let before = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(before));
    run();
    PEAK.with(Cell::get) - before
}

/// A named way to build an input of about the given number of bytes.
type Family = (&'static str, Box<dyn Fn(usize) -> String>);

/// Time of one run: the best of a few trials, each repeating the run for at least 20 ms, so
/// that neither scheduler noise nor the clock's resolution decides the ratio.
fn cost(input: &str, run: &dyn Fn(&str)) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let mut runs = 0u32;
            while runs == 0 || start.elapsed() < Duration::from_millis(20) {
                run(black_box(input));
                runs += 1;
            }
            start.elapsed() / runs
        })
        .min()
        .unwrap_or_default()
}

/// Held while one family is measured: the tests of this file run in parallel, and on a
/// small machine a megabyte timed beside another test's megabyte can cost twice as much.
static MEASURING: Mutex<()> = Mutex::new(());

fn measuring() -> std::sync::MutexGuard<'static, ()> {
    MEASURING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Fails when `run` grows faster than linearly in the size of what `make(bytes)` builds.
/// 10 KB → 100 KB is checked first, so a quadratic path fails in seconds rather than
/// spending minutes on a megabyte.
fn assert_linear(family: &str, make: impl Fn(usize) -> String, run: impl Fn(&str)) {
    let _alone = measuring();
    let mut previous: Option<Duration> = None;
    for bytes in [10_000, 100_000, 1_000_000] {
        let input = make(bytes);
        let took = cost(&input, &run);
        if let Some(before) = previous {
            // Below 50 µs a run is mostly fixed overhead; compare from there.
            let ratio = took.as_secs_f64() / before.as_secs_f64().max(50e-6);
            assert!(
                ratio < MAX_RATIO,
                "{family}: {} bytes took {took:?}, {} times the cost of a tenth of it ({before:?})",
                input.len(),
                ratio.round()
            );
        }
        previous = Some(took);
    }
}

/// `unit` repeated to about `bytes` bytes, after `head`.
fn repeat(head: &str, unit: &str, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + head.len() + unit.len());
    s.push_str(head);
    while s.len() < bytes {
        s.push_str(unit);
    }
    s
}

/// `open` nested as deep as about `bytes` bytes allow, around `x`, each closed by `close`.
fn nested(open: &str, close: &str, bytes: usize) -> String {
    let levels = bytes / (open.len() + close.len());
    open.repeat(levels) + "x" + &close.repeat(levels)
}

fn import_page(page: &str) {
    black_box(import(page));
}

/// Import, then export of the imported report (every item's source is parsed again).
fn round_trip(page: &str) {
    black_box(export(&import(page).report));
}

/// The page families that import and export must both handle linearly.
fn page_families() -> Vec<Family> {
    vec![
        ("unknown sections", Box::new(|n| repeat("", "== H ==\n", n))),
        (
            "timeline lines that start like entries",
            Box::new(|n| repeat("==Timeline==\n", "* 1x\n", n)),
        ),
        (
            "a timeline entry full of &",
            Box::new(|n| repeat("==Timeline==\n* 10:00 ", "&", n)),
        ),
        (
            "a metadata value full of &",
            Box::new(|n| {
                let mut page = repeat("== Summary ==\n{{Incident scorecard\n| task = ", "&", n);
                page.push_str("\n}}\n");
                page
            }),
        ),
        (
            "an actionable full of _",
            Box::new(|n| repeat("==Actionables==\n* ", "_", n)),
        ),
        (
            "a went-well bullet full of ~",
            Box::new(|n| repeat("==Conclusions==\n===What went well?===\n* ", "~", n)),
        ),
    ]
}

#[test]
fn import_is_linear() {
    for (family, make) in page_families() {
        assert_linear(family, make, import_page);
    }
}

#[test]
fn export_of_an_imported_page_is_linear() {
    for (family, make) in page_families() {
        assert_linear(family, make, round_trip);
    }
}

fn render_page(page: &str) {
    black_box(render(page));
}

/// Pages that stress one construct of the preview renderer each: unclosed, nested as deep
/// as the page allows, or repeated on one line.
fn preview_families() -> Vec<Family> {
    vec![
        ("a page of links", Box::new(|n| repeat("", "[[a]] ", n))),
        ("unclosed {{", Box::new(|n| repeat("", "{{", n))),
        (
            "nested templates",
            Box::new(|n| nested("{{Note|text=", "}}", n)),
        ),
        ("stray }}", Box::new(|n| repeat("", "}}", n))),
        (
            "a template with many arguments",
            Box::new(|n| repeat("{{Note|", "a=|", n) + "}}"),
        ),
        ("unclosed [[", Box::new(|n| repeat("", "[[", n))),
        (
            "nested [[ with bad targets",
            Box::new(|n| nested("[[a", "]]", n)),
        ),
        ("nested links", Box::new(|n| nested("[[a|", "]]", n))),
        (
            "nested file captions",
            Box::new(|n| nested("[[File:a|", "]]", n)),
        ),
        (
            "external links never closed",
            Box::new(|n| repeat("", "[http://a ", n)),
        ),
        (
            "free URLs with parentheses",
            Box::new(|n| repeat("", "http://a.b/(((", n)),
        ),
        ("unclosed <nowiki>", Box::new(|n| repeat("", "<nowiki>", n))),
        ("unclosed <pre>", Box::new(|n| repeat("", "<pre>", n))),
        (
            "unclosed <ref>",
            Box::new(|n| repeat("", "<ref name=a>", n)),
        ),
        ("unclosed comments", Box::new(|n| repeat("", "<!--", n))),
        (
            "nested <blockquote>",
            Box::new(|n| nested("<blockquote>", "</blockquote>", n)),
        ),
        ("nested <div>", Box::new(|n| nested("<div>", "</div>", n))),
        ("tags never closed", Box::new(|n| repeat("", "<b ", n))),
        ("runs of '''''", Box::new(|n| repeat("", "'''''", n))),
        (
            "odd bold and italics",
            Box::new(|n| repeat("", "l'''a '' ", n)),
        ),
        ("unclosed {|", Box::new(|n| repeat("", "{|\n", n))),
        ("nested tables", Box::new(|n| nested("{|\n|\n", "|}\n", n))),
        (
            "table rows",
            Box::new(|n| repeat("{|\n", "|-\n|a||b!!c\n", n)),
        ),
        (
            "one row of || cells",
            Box::new(|n| repeat("{|\n|", "a||", n)),
        ),
        ("a line of *", Box::new(|n| repeat("", "*", n))),
        ("a line of :", Box::new(|n| repeat("", ":", n) + "{|")),
        ("lines of ::::{|", Box::new(|n| repeat("", "::::{|\n", n))),
        ("a line of =", Box::new(|n| repeat("", "=", n))),
        (
            "entities without ;",
            Box::new(|n| repeat("", "&#12345&nbsp", n)),
        ),
        (
            "multi-byte text in every construct",
            Box::new(|n| repeat("", "[[€|🙂]] '''€\u{a0}''{{€|🙂}} =€=\n;\u{a0}:🙂\n", n)),
        ),
    ]
}

#[test]
fn preview_is_linear() {
    for (family, make) in page_families().into_iter().chain(preview_families()) {
        assert_linear(family, make, render_page);
    }
}

#[test]
fn preview_memory_is_linear() {
    for (family, make) in page_families().into_iter().chain(preview_families()) {
        let page = make(1_000_000);
        let _alone = measuring();
        let peak = peak_heap(|| render_page(&page));
        assert!(
            peak <= MAX_HEAP_PER_BYTE * page.len(),
            "{family}: rendering {} bytes held {peak} bytes at once",
            page.len()
        );
    }
}
