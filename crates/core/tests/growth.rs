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
use std::sync::Mutex;
use std::time::Duration;

use irdoc_core::preview::render;
use irdoc_core::share::{self, Shared};
use irdoc_core::text::{escape, unescape, Context};
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

/// CPU time this thread has used: unlike wall-clock time, it does not count the time that
/// other processes on a busy machine take the core.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill in.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "the thread CPU clock is readable");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Time of one run: repeated for at least 10 ms, so that the clock's resolution and fixed
/// overheads do not decide the ratio.
fn cost(input: &str, run: &dyn Fn(&str)) -> Duration {
    let start = thread_cpu_time();
    let mut runs = 0u32;
    while runs == 0 || thread_cpu_time() - start < Duration::from_millis(10) {
        run(black_box(input));
        runs += 1;
    }
    (thread_cpu_time() - start) / runs
}

/// Fails when `run` grows faster than linearly in the size of what `make(bytes)` builds.
/// 10 KB → 100 KB is checked first, so a quadratic path fails in seconds rather than
/// spending minutes on a megabyte.
fn assert_linear(family: &str, make: impl Fn(usize) -> String, run: impl Fn(&str)) {
    // Tests run in parallel threads; timed alone, a family does not compete for the cores.
    static ALONE: Mutex<()> = Mutex::new(());
    let _alone = ALONE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    for (small, large) in [(10_000, 100_000), (100_000, 1_000_000)] {
        let (small, large) = (make(small), make(large));
        // Interleaved trials, best of each: a burst of load elsewhere on the machine slows
        // one trial, not one size.
        let (mut before, mut after) = (Duration::MAX, Duration::MAX);
        for _ in 0..3 {
            before = before.min(cost(&small, &run));
            after = after.min(cost(&large, &run));
        }
        // Below 50 µs a run is mostly fixed overhead; compare from there.
        let ratio = after.as_secs_f64() / before.as_secs_f64().max(50e-6);
        assert!(
            ratio < MAX_RATIO,
            "{family}: {} bytes took {after:?}, {} times the cost of a tenth of it ({before:?})",
            large.len(),
            ratio.round()
        );
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

/// A family's name, and its input of about n bytes.
type Family = (&'static str, fn(usize) -> String);

/// Pages that some path once handled in quadratic time, or could.
fn page_families() -> Vec<Family> {
    vec![
        ("unknown sections", |n| repeat("", "== H ==\n", n)),
        ("timeline lines that start like entries", |n| {
            repeat("==Timeline==\n", "* 1x\n", n)
        }),
        ("a timeline entry full of &", |n| {
            repeat("==Timeline==\n* 10:00 ", "&", n)
        }),
        ("a metadata value full of &", |n| {
            let mut page = repeat("== Summary ==\n{{Incident scorecard\n| task = ", "&", n);
            page.push_str("\n}}\n");
            page
        }),
        ("an actionable full of _", |n| {
            repeat("==Actionables==\n* ", "_", n)
        }),
        ("a went-well bullet full of ~", |n| {
            repeat("==Conclusions==\n===What went well?===\n* ", "~", n)
        }),
        ("timeline entries", |n| {
            repeat("==Timeline==\n", "* 10:00 a '''OUTAGE BEGINS'''\n", n)
        }),
        ("timeline dates", |n| {
            repeat("==Timeline==\n", "2026-01-02\n* 23:59 a\n", n)
        }),
        ("actionables", |n| {
            repeat(
                "==Actionables==\n",
                "* a ({{PhabT|1}}) <small>(due 2026-01-02; owner: b)</small>\n",
                n,
            )
        }),
        ("scorecard rows", |n| {
            let mut page = repeat("==Scorecard==\n{|\n", "|-\n|Q\n|yes\n|n\n", n);
            page.push_str("|-\n!Total\n|1\n|\n|}");
            page
        }),
        ("metadata lines", |n| {
            let mut page = repeat("== Summary ==\n{{Incident scorecard\n", "| task = T1\n", n);
            page.push_str("}}\n");
            page
        }),
        ("unclosed templates", |n| repeat("== Summary ==\n", "{{", n)),
        ("heading-like lines in pre", |n| {
            repeat("<pre>\n", "== H ==\n", n)
        }),
    ]
}

/// Opening a page: importing it, and what the editor and the read-only view of a shared
/// report compute from it (the export, checks, figures and score). One family timed as a
/// whole: any quadratic part makes the whole quadratic.
#[test]
fn opening_a_page_is_linear() {
    for (family, make) in page_families() {
        assert_linear(family, make, |page| {
            let report = import(page).report;
            black_box(export(&report));
            black_box(irdoc_core::check::check(&report));
            black_box(irdoc_core::analysis::figures(&report));
            black_box(irdoc_core::score::score(&report.scorecard));
        });
    }
}

/// Typed text that exercises each escaping rule that looks beyond its own character.
fn text_families() -> Vec<(&'static str, &'static str)> {
    vec![
        ("&", "&"),
        ("&name", "&a"),
        ("entities", "&amp;"),
        ("_", "_"),
        ("~", "~"),
        ("[", "["),
        ("[scheme", "[http"),
        ("scheme:", "http:"),
        ("letters then :", "a:"),
        ("RFC", "RFC "),
        ("'", "'"),
        ("{", "{"),
        ("|", "|"),
        ("<", "<a"),
        ("line breaks", "\r\n"),
        ("multi-byte", "€🙂\u{a0}"),
    ]
}

#[test]
fn escaping_is_linear() {
    for (family, unit) in text_families() {
        assert_linear(
            family,
            |n| repeat("", unit, n),
            |s| {
                for ctx in [Context::Inline, Context::Cell, Context::TemplateValue] {
                    black_box(escape(s, ctx));
                }
            },
        );
        assert_linear(
            family,
            |n| repeat("", unit, n),
            |s| {
                black_box(unescape(s));
            },
        );
    }
}

/// Opening a share link: decoding, inflating and importing the page it carries.
#[test]
fn share_links_open_in_linear_time() {
    for (family, make) in page_families() {
        let link = |n| {
            let shared = Shared {
                id: "d1".into(),
                report: import(&make(n)).report,
            };
            share::encode(&share::payload(&shared))
        };
        assert_linear(family, link, |link| {
            let payload = share::decode(link).expect("a link irdoc made");
            black_box(share::read_payload(&payload).expect("a payload irdoc made"));
        });
    }
}

/// Pasted chat logs and notes read into timeline entries.
#[test]
fn pasting_is_linear() {
    let families: [Family; 7] = [
        ("stamped lines", |n| repeat("", "10:00 a\n", n)),
        ("continuation lines", |n| repeat("10:00 a\n", "b\n", n)),
        ("chat messages", |n| {
            repeat("", "Jane Doe  10:41 AM\nmessage\n", n)
        }),
        ("a line of gaps", |n| repeat("", "a \t", n)),
        ("a line of digits", |n| repeat("", "1", n)),
        ("a line of dates", |n| repeat("", "2026-01-02 ", n)),
        ("date lines", |n| repeat("", "2026-01-02\n23:59 a\n", n)),
    ];
    let opts = irdoc_core::paste::PasteOptions::default();
    for (family, make) in families {
        assert_linear(family, make, |text| {
            black_box(irdoc_core::paste::parse_paste(text, &opts));
        });
    }
}

fn render_page(page: &str) {
    black_box(render(page));
}

/// Pages that stress one construct of the preview renderer each: unclosed, nested as deep
/// as the page allows, or repeated on one line.
fn preview_families() -> Vec<Family> {
    vec![
        ("a page of links", |n| repeat("", "[[a]] ", n)),
        ("unclosed {{", |n| repeat("", "{{", n)),
        ("nested templates", |n| nested("{{Note|text=", "}}", n)),
        ("stray }}", |n| repeat("", "}}", n)),
        ("a template with many arguments", |n| {
            repeat("{{Note|", "a=|", n) + "}}"
        }),
        ("unclosed [[", |n| repeat("", "[[", n)),
        ("nested [[ with bad targets", |n| nested("[[a", "]]", n)),
        ("nested links", |n| nested("[[a|", "]]", n)),
        ("nested file captions", |n| nested("[[File:a|", "]]", n)),
        ("external links never closed", |n| {
            repeat("", "[http://a ", n)
        }),
        ("free URLs with parentheses", |n| {
            repeat("", "http://a.b/(((", n)
        }),
        ("unclosed <nowiki>", |n| repeat("", "<nowiki>", n)),
        ("unclosed <pre>", |n| repeat("", "<pre>", n)),
        ("unclosed <ref>", |n| repeat("", "<ref name=a>", n)),
        ("unclosed <syntaxhighlight>", |n| {
            repeat("", "<syntaxhighlight lang=a>", n)
        }),
        ("unclosed <math>", |n| repeat("", "<math>", n)),
        ("galleries", |n| {
            repeat("", "<gallery>\nFile:a|b\n</gallery>\n", n)
        }),
        ("thumbnails in a paragraph", |n| {
            repeat("", "[[File:a|thumb|b]] c ", n)
        }),
        ("thumbnails in bold", |n| {
            repeat("'''", "[[File:a|thumb]] ", n)
        }),
        ("blank lines", |n| repeat("a", "\n", n)),
        ("unclosed comments", |n| repeat("", "<!--", n)),
        ("nested <blockquote>", |n| {
            nested("<blockquote>", "</blockquote>", n)
        }),
        ("nested <div>", |n| nested("<div>", "</div>", n)),
        ("tags never closed", |n| repeat("", "<b ", n)),
        ("runs of '''''", |n| repeat("", "'''''", n)),
        ("odd bold and italics", |n| repeat("", "l'''a '' ", n)),
        ("unclosed {|", |n| repeat("", "{|\n", n)),
        ("nested tables", |n| nested("{|\n|\n", "|}\n", n)),
        ("table rows", |n| repeat("{|\n", "|-\n|a||b!!c\n", n)),
        ("one row of || cells", |n| repeat("{|\n|", "a||", n)),
        ("a line of *", |n| repeat("", "*", n)),
        ("a line of :", |n| repeat("", ":", n) + "{|"),
        ("lines of ::::{|", |n| repeat("", "::::{|\n", n)),
        ("a line of =", |n| repeat("", "=", n)),
        ("entities without ;", |n| repeat("", "&#12345&nbsp", n)),
        ("multi-byte text in every construct", |n| {
            repeat("", "[[€|🙂]] '''€\u{a0}''{{€|🙂}} =€=\n;\u{a0}:🙂\n", n)
        }),
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
        let peak = peak_heap(|| render_page(&page));
        assert!(
            peak <= MAX_HEAP_PER_BYTE * page.len(),
            "{family}: rendering {} bytes held {peak} bytes at once",
            page.len()
        );
    }
}

/// A wiki's Action API answers: a page read, a list of incident pages, and what a page's
/// address or title can be pasted as.
#[test]
fn wiki_answers_are_read_in_linear_time() {
    use irdoc_core::wiki::{list_answer, read_answer, Target, Wiki};
    let title = Target::Title("Incidents/X".into());
    let page = |content: String| {
        let content = serde_json::Value::from(content).to_string();
        format!(
            r#"{{"batchcomplete":true,"curtimestamp":"2025-04-02T08:00:00Z","query":{{"pages":[{{"pageid":3,"ns":0,"title":"Incidents/X","revisions":[{{"revid":12,"parentid":11,"timestamp":"2025-04-01T10:00:00Z","slots":{{"main":{{"contentmodel":"wikitext","contentformat":"text/x-wiki","content":{content}}}}}}}]}}]}}}}"#
        )
    };
    type Answers = Box<dyn Fn(usize) -> String>;
    let families: [(&str, Answers); 5] = [
        (
            "a page of unknown sections",
            Box::new(move |n| page(repeat("", "== H ==\n", n))),
        ),
        (
            "a page of escapes",
            Box::new(move |n| page(repeat("", "\u{a0}\"\\\u{1}", n))),
        ),
        (
            "an answer of many pages",
            Box::new(|n| {
                format!(
                    r#"{{"query":{{"pages":[{}{{"title":"x"}}]}}}}"#,
                    repeat("", r#"{"title":"x","missing":true},"#, n)
                )
            }),
        ),
        (
            "an answer of unknown keys",
            Box::new(|n| {
                format!(
                    r#"{{{}"query":{{"pages":[]}}}}"#,
                    repeat("", r#""k":[[{"a":1}]],"#, n)
                )
            }),
        ),
        (
            "a list of incident pages",
            Box::new(|n| {
                format!(
                    r#"{{"query":{{"allpages":[{}{{"title":"x"}}]}}}}"#,
                    repeat(
                        "",
                        r#"{"pageid":1,"ns":0,"title":"Incidents/2025-01-01 x"},"#,
                        n
                    )
                )
            }),
        ),
    ];
    for (family, make) in families {
        assert_linear(family, make, |answer| {
            let _ = black_box(read_answer(&title, answer));
            let _ = black_box(list_answer(answer));
        });
    }
    let wiki = Wiki::default();
    let inputs: [Family; 3] = [
        ("a long title", |n| repeat("Incidents/", "a_b ", n)),
        ("a URL of escapes", |n| {
            repeat("https://wikitech.wikimedia.org/wiki/", "%C3%9C%2", n)
        }),
        ("a query of parameters", |n| {
            repeat("https://wikitech.wikimedia.org/w/index.php?", "a=b+c&", n)
        }),
    ];
    for (family, make) in inputs {
        assert_linear(family, make, |input| {
            let _ = black_box(wiki.target(input));
        });
    }
}

/// Documents that a converter could handle in quadratic time: deep nesting (the builder
/// caps it), formatting elements left open (HTML's reconstruction of them), long lists,
/// tables, lines of a timeline, cells continued over lines, links.
fn document_families() -> Vec<Family> {
    vec![
        ("html: nested divs", |n| nested("<div>", "</div>", n)),
        ("html: unclosed divs", |n| repeat("", "<div>a", n)),
        ("html: unclosed bold", |n| repeat("<p>", "<b>a", n)),
        ("html: unclosed bold in paragraphs", |n| {
            repeat("", "<b>a<p>", n)
        }),
        ("html: nested lists", |n| {
            nested("<ul><li>", "</li></ul>", n)
        }),
        ("html: nested tables", |n| {
            nested("<table><tr><td>", "</td></tr></table>", n)
        }),
        ("html: a long list", |n| {
            repeat("<h2>Timeline</h2><ul>", "<li>18:33 a</li>", n)
        }),
        ("html: table cells", |n| {
            repeat("<h2>Scorecard</h2><table><tr>", "<td>yes</td>", n)
        }),
        ("html: links", |n| {
            repeat("<p>", "<a href=\"https://x.org/\">a</a> ", n)
        }),
        ("html: unclosed links", |n| {
            repeat("<p>", "<a href=\"https://x.org/\">a", n)
        }),
        ("html: headings", |n| {
            repeat("", "<h2>Unknown</h2><p>a</p>", n)
        }),
        ("html: script", |n| repeat("<script>", "a<b>", n)),
        ("text: indented bullets", |n| {
            let mut s = String::new();
            let mut i = 0;
            while s.len() < n {
                s.push_str(&" ".repeat(i % 200));
                s.push_str("• a\n");
                i += 1;
            }
            s
        }),
        ("text: timeline lines", |n| {
            repeat("Timeline\n", "18:33 a\n", n)
        }),
        ("text: continuation lines", |n| {
            repeat("Timeline\n18:33 a\n", "b\n", n)
        }),
        ("text: tab rows", |n| {
            repeat("Scorecard\n", "a\tb\tyes\n", n)
        }),
        ("text: continued cells", |n| {
            repeat("Scorecard\na\tb\n", "(c)\n", n)
        }),
        ("text: short lines between blanks", |n| {
            repeat("", "Title\n\n", n)
        }),
        ("text: one long line", |n| repeat("", "a ", n)),
        ("markdown: nested quotes", |n| repeat("", "> ", n)),
        ("markdown: nested lists", |n| {
            let mut s = String::new();
            let mut i = 0;
            while s.len() < n {
                s.push_str(&"  ".repeat(i % 100));
                s.push_str("- a\n");
                i += 1;
            }
            s
        }),
        ("markdown: emphasis", |n| repeat("", "*a **b ", n)),
        ("markdown: table rows", |n| {
            repeat("| a | b |\n|---|---|\n", "| x | yes |\n", n)
        }),
    ]
}

#[cfg(feature = "html")]
fn convert(doc: &str, family: &str) {
    use irdoc_core::convert::{parse_html, read_markdown, read_text, to_report, Options};
    let document = if family.starts_with("html") {
        parse_html(doc)
    } else if family.starts_with("markdown") {
        read_markdown(doc)
    } else {
        read_text(doc)
    };
    black_box(to_report(&document, &Options::default()));
}

#[cfg(feature = "html")]
#[test]
fn converting_documents_is_linear() {
    for (family, make) in document_families() {
        assert_linear(family, make, |doc| convert(doc, family));
    }
}

/// A conversion may hold at most this many bytes of heap per byte of document: the mapping
/// holds one unit (about 130 bytes) per line or paragraph of the document at once, so a
/// document of two-byte lines peaks near 170, and HTML's parsing algorithm re-opens the
/// formatting elements left open in every paragraph (`<b>a<p>` repeated: four elements of
/// the parse tree for seven bytes), which peaks near 230. Still a fixed amount per byte.
const MAX_CONVERT_HEAP_PER_BYTE: usize = 256;

#[cfg(feature = "html")]
#[test]
fn converting_memory_is_linear() {
    for (family, make) in document_families() {
        let doc = make(1_000_000);
        let peak = peak_heap(|| convert(&doc, family));
        assert!(
            peak <= MAX_CONVERT_HEAP_PER_BYTE * doc.len(),
            "{family}: converting {} bytes held {peak} bytes at once",
            doc.len()
        );
    }
}
