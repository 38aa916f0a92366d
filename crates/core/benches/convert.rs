//! Converting a 1 MB HTML page (a rendered wiki page as a browser copies it, with its
//! inline styles, repeated to 1 MB), and its text flavour. Budget (issue 11): under 50 ms
//! natively. Run: `cargo bench -p irdoc-core --features html,markdown --bench convert`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use irdoc_core::convert::{parse_html, read_text, to_report, Options};

fn grown(base: &str) -> String {
    let mut out = String::with_capacity(1_100_000);
    while out.len() < 1_000_000 {
        out.push_str(base);
    }
    out
}

fn bench(c: &mut Criterion) {
    let html = grown(include_str!(
        "../tests/data/rendered/2025-03-31_sessionstore_unavailability.html"
    ));
    let text = grown(include_str!(
        "../tests/data/rendered/2025-03-31_sessionstore_unavailability.txt"
    ));
    let options = Options::default();
    c.bench_function("convert 1 MB of HTML (parse, build, map)", |b| {
        b.iter(|| to_report(&parse_html(black_box(&html)), &options))
    });
    let document = parse_html(&html);
    c.bench_function("map a 1 MB HTML page's document to a report", |b| {
        b.iter(|| to_report(black_box(&document), &options))
    });
    c.bench_function("convert 1 MB of text", |b| {
        b.iter(|| to_report(&read_text(black_box(&text)), &options))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
