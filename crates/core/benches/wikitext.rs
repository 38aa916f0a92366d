//! Import and export of a large report: 5,300 timeline entries, just over 1 MB of wikitext.
//! Budget (issue 3): under 20 ms each. Run: `cargo bench -p irdoc-core --bench wikitext`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use irdoc_core::{export, import};

/// A real page with its timeline grown to 5,000 entries of realistic length.
fn large_page() -> String {
    let base = include_str!("../tests/data/wikitech/2025-03-31_sessionstore_unavailability.txt");
    let (head, tail) = base.split_at(base.find("==Detection==").unwrap());
    let mut page = head.to_owned();
    for i in 0..5300 {
        let (h, m) = (i / 60 % 24, i % 60);
        page.push_str(&format!(
            "* {h:02}:{m:02} sessionstore node {i} reports [[SessionStorage|Cassandra]] errors; {{{{PhabT|{}}}}} responders restart it and watch the error rate for a while ({i} of 5300) — '''OUTAGE {}'''\n",
            390000 + i,
            if i % 2 == 0 { "BEGINS" } else { "ENDS" }
        ));
    }
    page.push('\n');
    page.push_str(tail);
    page
}

fn bench(c: &mut Criterion) {
    let page = large_page();
    assert!(page.len() > 1_000_000, "{} bytes", page.len());
    let report = import(&page).report;
    assert_eq!(export(&report), page);
    c.bench_function("import 5300-entry report (1 MB)", |b| {
        b.iter(|| import(black_box(&page)))
    });
    c.bench_function("export 5300-entry report (1 MB)", |b| {
        b.iter(|| export(black_box(&report)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
