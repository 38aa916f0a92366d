//! Safe wikitext → HTML preview renderer.
//!
//! Authors edit incident reports as MediaWiki wikitext; this module shows them
//! roughly what wikitech will display. It implements the pragmatic subset of
//! MediaWiki that real incident reports use (see the pages under
//! `tests/data/wikitech/`), not the whole parser.
//!
//! # Safety model
//! The output is inserted with `innerHTML`, so nothing in the input may turn
//! into a live tag, attribute or URL. Three rules make that hold:
//! * every piece of input text reaches the output through [`escape_into`]
//!   (`& < > " '` become entities), including characters decoded from
//!   entities, so decoding can never produce markup;
//! * every tag and attribute is written by this module from a fixed
//!   allow-list; attributes typed by the author are parsed and only
//!   `rowspan`/`colspan` (small numbers) and `align` (keywords) survive;
//! * every `href` is either built by [`external_href`] (only `http:`,
//!   `https:` and `mailto:`, checked *after* entity decoding, then
//!   percent-encoded) or is a fixed `https://` base followed by an encoded
//!   title (wiki pages, interwikis, Phabricator/Gerrit templates).
//!
//! # Pipeline
//! Like MediaWiki, the text is first preprocessed, then parsed line by line:
//! 1. [`sanitize`] normalises newlines and removes [`MARK`], the character
//!    reserved for placeholders, so input can never forge one.
//! 2. Comments are dropped and `<nowiki>`, `<pre>`, `<gallery>`, `<math>`,
//!    `<syntaxhighlight>` and `<source>` are cut out and replaced by *markers*
//!    (`MARK index MARK`), so no later stage looks inside them.
//! 3. `<blockquote>` elements, then `{{templates}}` become markers too
//!    (innermost first, so templates nest and span lines). Markers are
//!    rendered lazily when the block or inline pass reaches them, which keeps
//!    numbered links in document order.
//! 4. The block pass handles headings, lists, tables, indented `<pre>` lines
//!    and paragraphs; the inline pass handles quotes, links, tags, entities.
//!
//! The work is linear in the input size: no search restarts from the start of
//! the text, failed searches are remembered, nested tables and file captions
//! reuse the table ends and `[[…]]` pairs found for the text around them
//! instead of searching again at every level, and nesting depths are capped.
//!
//! # Files
//! One file per stage, each with its part of `impl Renderer`, its helpers and
//! its tests: `escape` (HTML escaping, character references), `preprocess`
//! (steps 1–3), `templates`, `links` (wiki, interwiki and external links,
//! files), `blocks` (headings, lists, paragraphs), `tables`, `inline` (quotes,
//! tags, free URLs, balanced output). This file holds the entry points, the
//! limits and the markers; `safety` the invariants the tests and the `render`
//! fuzz target check.
//!
//! [`escape_into`]: escape::escape_into
//! [`external_href`]: links::external_href
//! [`sanitize`]: preprocess::sanitize

mod blocks;
mod escape;
mod inline;
mod links;
mod preprocess;
#[cfg(any(test, fuzzing))]
pub mod safety;
mod tables;
mod templates;
#[cfg(test)]
mod testing;

pub use escape::escape as escape_html;

use std::fmt::Write as _;

use escape::escape;
use preprocess::{find_bytes, marker_at};

/// Renders a wikitext page (or fragment) to an HTML fragment for preview.
pub fn render(wikitext: &str) -> String {
    let mut renderer = Renderer::default();
    let text = renderer.preprocess(wikitext);
    renderer.blocks(&text)
}

/// Renders wikitext as inline HTML, without paragraphs, lists or headings.
/// Meant for single lines such as a table cell or a field value.
pub fn render_inline(wikitext: &str) -> String {
    let mut renderer = Renderer::default();
    let text = renderer.preprocess(wikitext);
    renderer.inline(&text, true)
}

/// Delimits placeholders in preprocessed text; removed from the input first.
const MARK: char = '\u{7f}';
const MARK_B: u8 = 0x7f;
/// Nested renders (table in cell in template in …) beyond this show as text.
/// Keeps the native and wasm stacks safe on hostile input.
const MAX_DEPTH: usize = 24;
/// Deeper `{{`, `<blockquote>` or list nesting (`*`, `:` indents of tables
/// too) is treated as literal text: no recursion, and a page cannot build a
/// DOM too deep for the browser.
const MAX_NESTING: usize = 40;
/// Longest tag (`<b …>`) we look at, so a stray `<b` costs O(1).
const MAX_TAG_LEN: usize = 512;

enum Kind {
    /// Already rendered (nowiki, pre, literal pipes).
    Html(String),
    /// `source` holds `{{…}}`; rendered when reached.
    Template,
    /// Inner wikitext (may contain earlier markers).
    Blockquote(String),
    /// Raw gallery lines.
    Gallery(String),
}

/// A piece of the page set aside during preprocessing (a template, nowiki, a gallery), its
/// place in the text held by a `MARK` character; not a timeline outage marker.
struct SetAside {
    /// Block-level output: splits a paragraph instead of sitting inside `<p>`.
    block: bool,
    /// The wikitext the marker replaced (may contain earlier markers), shown
    /// for unknown templates.
    source: String,
    kind: Kind,
}

#[derive(Default)]
struct Renderer {
    markers: Vec<SetAside>,
    /// Counter for `[https://x]` links, shown as `[1]`, `[2]`…
    ext_links: usize,
    /// Current nesting of `blocks`/`inline` calls.
    depth: usize,
    /// The elements (and whether quotes opened them) that the last inline call closed
    /// only because its text ended: a block that splits a paragraph inside them.
    left_open: Vec<(&'static str, bool)>,
}

impl Renderer {
    fn add_marker(&mut self, out: &mut String, block: bool, source: String, kind: Kind) {
        let _ = write!(out, "{MARK}{}{MARK}", self.markers.len());
        self.markers.push(SetAside {
            block,
            source,
            kind,
        });
    }

    fn is_block(&self, idx: usize) -> bool {
        self.markers.get(idx).is_some_and(|m| m.block)
    }

    /// Renders a marker's HTML.
    fn realize(&mut self, idx: usize) -> String {
        let Some(marker) = self.markers.get(idx) else {
            return String::new();
        };
        match &marker.kind {
            Kind::Html(html) => html.clone(),
            Kind::Template => {
                let source = marker.source.clone();
                self.template(&source[2..source.len() - 2])
            }
            Kind::Blockquote(inner) => {
                let text = self.expand_templates(&inner.clone());
                format!("<blockquote>{}</blockquote>\n", self.blocks(&text))
            }
            Kind::Gallery(inner) => {
                let inner = inner.clone();
                self.gallery(&inner)
            }
        }
    }

    /// Appends the original wikitext of `text`, markers expanded.
    fn push_source(&self, out: &mut String, text: &str) {
        let b = text.as_bytes();
        let (mut i, mut copied) = (0, 0);
        while let Some(p) = find_bytes(b, i, &[MARK_B]) {
            match marker_at(b, p) {
                Some((idx, end)) => {
                    out.push_str(&text[copied..p]);
                    if let Some(m) = self.markers.get(idx) {
                        self.push_source(out, &m.source);
                    }
                    copied = end;
                    i = end;
                }
                None => i = p + 1,
            }
        }
        out.push_str(&text[copied..]);
    }

    /// The original wikitext of `text`, for text shown as typed: a
    /// placeholder must never reach the output.
    fn source(&self, text: &str) -> String {
        let mut source = String::new();
        self.push_source(&mut source, text);
        source
    }

    /// The escaped wikitext itself: the fallback past [`MAX_DEPTH`], so
    /// absurdly nested input still shows its content instead of losing it.
    fn plain(&self, text: &str) -> String {
        escape(&self.source(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview::safety::check_safe;
    use crate::preview::testing::{
        assert_fast, count, headings, render_checked, table_with, FIXTURES, GERRIT, PROXY, S4,
        SESSIONSTORE, TOOLSDB, VARNISH,
    };

    // -- fixtures -----------------------------------------------------------

    const FULL_SECTIONS: [&str; 7] = [
        "Summary",
        "Timeline",
        "Detection",
        "Conclusions",
        "Links to relevant documentation",
        "Actionables",
        "Scorecard",
    ];
    const CONCLUSION_SUBSECTIONS: [&str; 3] = [
        "What went well?",
        "What went poorly?",
        "Where did we get lucky?",
    ];

    #[test]
    fn fixtures_render_expected_headings() {
        let lite = [
            "Summary",
            "Timeline",
            "Detection",
            "Actionables",
            "Scorecard",
        ];
        assert_eq!(headings(&render_checked(S4), 2), lite);
        assert_eq!(
            headings(&render_checked(TOOLSDB), 2),
            ["Summary", "Timeline", "Detection", "Actionables"]
        );
        for page in [PROXY, VARNISH, SESSIONSTORE, GERRIT] {
            let html = render_checked(page);
            assert_eq!(headings(&html, 2), FULL_SECTIONS);
            assert!(
                headings(&html, 3).ends_with(&CONCLUSION_SUBSECTIONS.map(String::from))
                    || page == SESSIONSTORE
            );
        }
        let varnish = render(VARNISH);
        assert_eq!(
            headings(&varnish, 3)[..3],
            [
                "2024-12-03 occurrence",
                "2024-12-07 occurrence",
                "2024-12-09 occurrence"
            ]
        );
        assert_eq!(
            headings(&render(SESSIONSTORE), 3),
            [
                "Splunk On Call alerts",
                "User reports",
                "Cluster capacity",
                "Observability"
            ]
            .iter()
            .chain(CONCLUSION_SUBSECTIONS.iter())
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
        );
    }

    #[test]
    fn fixture_scorecards_have_fifteen_questions_and_a_total() {
        for page in [S4, PROXY, VARNISH, SESSIONSTORE, GERRIT] {
            let html = render(page);
            let table = table_with(&html, "Total score");
            assert_eq!(count(table, "<tr>"), 17, "header + 15 questions + total");
            assert_eq!(count(table, "<th rowspan=\"5\">"), 3);
            for category in ["People", "Process", "Tooling"] {
                assert!(table.contains(&format!("<th rowspan=\"5\">{category}</th>")));
            }
            assert!(table.contains("<th colspan=\"2\" align=\"right\">Total score (count of all “yes” answers above)</th>"));
            assert!(table.contains("<th>Answer<p>(yes/no)</p>"));
            assert!(table.contains(
                "<caption><a href=\"https://wikitech.wikimedia.org/wiki/Incident_Scorecard\""
            ));
            assert!(table.contains(">Incident Engagement  ScoreCard</a></caption>"));
        }
        let varnish = render(VARNISH);
        assert!(table_with(&varnish, "Total score").contains("<td>6</td>"));
    }

    #[test]
    fn fixture_metadata_banner_and_templates() {
        for page in FIXTURES {
            let html = render(page);
            assert!(
                html.starts_with("<div class=\"wt-banner wt-status-"),
                "banner first"
            );
            assert!(html.contains("<table class=\"wt-scorecard\">"));
            assert!(
                !html.contains("{{") && !html.contains("}}"),
                "all templates handled"
            );
            assert!(!html.contains("TOC"));
        }
        let session = render(SESSIONSTORE);
        assert!(session.contains("wt-status-draft"));
        assert!(session.contains("(<a href=\"https://phabricator.wikimedia.org/T390630\" class=\"wt-ext wt-phab\" rel=\"noopener noreferrer\" target=\"_blank\">T390630</a>) <span class=\"wt-done\">"));
        assert!(session.contains("href=\"https://phabricator.wikimedia.org/T392170\""));
        assert!(session.contains("<div class=\"wt-note\">The investigation continues"));
        assert!(session.contains("<p><span class=\"wt-todo\"><b>TODO:</b></span> Do.</p>"));
        assert_eq!(
            count(
                table_with(&session, "MediaWiki"),
                "class=\"wt-file wt-thumb\""
            ),
            4
        );
        let proxy = render(PROXY);
        assert!(proxy.contains("<th>Coordinators</th><td><a href=\"https://wikitech.wikimedia.org/wiki/User:FNegri-WMF\""));
        assert!(proxy.contains("<ul><li><b>Systemd unit for nginx failed in proxy-04 VM</b></li>"));
        let nowiki_line = proxy
            .lines()
            .find(|l| l.contains("Failed to fetch"))
            .unwrap_or_default();
        assert!(
            nowiki_line.contains("fetch http://mirrors.wikimedia.org/")
                && !nowiki_line.contains("<a "),
            "nowiki URL is not linked"
        );
    }

    #[test]
    fn fixture_varnish_lists_nest() {
        let html = render(VARNISH).replace('\n', "");
        assert!(html.contains("Varnish:<ul><li>A client HEAD request on a new, unique URI that no cache has seen before behaves thusly:<ol><li>Varnish converts the miss to a GET towards ATS.</li><li>ATS in turn"));
        assert!(html.contains(
            "(forwards the headers, but not the body).</li></ol></li><li>When a second client HEAD"
        ));
        assert!(html.contains("</li><li>Add WME IPs as an ipblock in <a href=\"https://wikitech.wikimedia.org/wiki/Requestctl\""));
        assert!(html.contains("processing</li></ul></li></ul>"));
        assert_eq!(count(&html, "<div class=\"wt-gallery\"><ul>"), 1);
        assert_eq!(count(&html, "<li><span class=\"wt-file-name\">"), 5);
        assert_eq!(count(&html, "<div class=\"wt-file wt-thumb\">"), 1);
    }

    #[test]
    fn fixture_s4_pre_and_gallery() {
        let html = render(S4);
        assert_eq!(count(&html, "<pre>"), 2);
        assert!(html.contains("<pre>\n&lt;jinxer-wm&gt; FIRING: PHPFPMTooBusy"));
        assert!(html.contains("orgId=1&amp;viewPanel=84"));
        assert!(html.contains("(<code>&lt;Amir1&gt; we just had another one</code>)"));
        assert!(html.contains("<p><a href=\"https://grafana.wikimedia.org/dashboard/snapshot/eCbkCalIXHGFHc6o4LLYj7cXvpavaVUv\""));
    }

    #[test]
    fn fixture_gerrit_and_toolsdb_details() {
        let html = render(GERRIT);
        assert!(html
            .contains("<a href=\"https://wikitech.wikimedia.org/wiki/Gerrit\" class=\"wt-link\""));
        assert!(html.contains("<b>[CORRUPTION STARTS]</b>"));
        assert!(html.contains("We had a similar result but caused by a different trigger in <a href=\"https://phabricator.wikimedia.org/T236114\""));
        let html = render(TOOLSDB);
        assert!(html.contains("<p>22:40 tools-db-4 runs out of space</p>"));
        assert!(html.contains("<p>…</p>"));
        assert!(html.contains("<li>Page on low disk space <a href=\"https://phabricator.wikimedia.org/T409404\" class=\"wt-ext wt-free\""));
        assert!(html.contains(
            "<ul><li>&lt;dhinus&gt; ok the toolsdb read/write check was removed in T313030</li>"
        ));
        assert!(html.ends_with("(monitor our own sample tools)</p>\n"));
    }

    // -- nesting --------------------------------------------------------------

    #[test]
    fn deep_nesting_fits_a_small_stack_and_keeps_text() {
        let levels = 100_000;
        let nested = |open: &str, close: &str| open.repeat(levels) + "deep" + &close.repeat(levels);
        let cases = [
            nested("{{", "}}"),
            nested("{{Note|text=", "}}"),
            nested("[[", "]]"),
            nested("[[a|", "]]"),
            nested("[[File:a|", "]]"),
            nested("[http://a ", "]"),
            nested("{|\n|\n", "|}\n"),
            nested("<blockquote>", "</blockquote>"),
            nested("<div>", "</div>"),
            nested("<b>''", "''</b>"),
            nested("*", ""),
            // Never closed.
            nested("{|\n|\n", ""),
            nested("<blockquote>", ""),
            ":".repeat(levels) + "{|\n|deep\n|}",
            "{{Note|text=<blockquote>\n{|\n|[[File:a|[http://x ''y'' {{Todo|\n* a\n{|\n|b"
                .repeat(levels / 20)
                + "deep",
        ];
        // wasm gets 1 MB by default; unoptimised native frames are larger.
        let worker = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                for input in &cases {
                    let html = render_checked(input);
                    assert!(
                        html.contains("deep"),
                        "content past the depth cap is shown as text"
                    );
                }
            });
        worker.expect("spawn").join().expect("no stack overflow");
    }

    #[test]
    fn text_shown_as_typed_shows_placeholders_as_their_source() {
        let cases = [
            ("{{irdoc|{{x}}}}", "status: {{x}}</div>"),
            // An empty template in an argument: no placeholder (U+007F) in the output.
            ("{{irdoc|{{}}}}", "status: {{}}</div>"),
            (
                "{{Incident scorecard|a<nowiki>b</nowiki>=1}}",
                "<th>a&lt;nowiki&gt;b&lt;/nowiki&gt;</th>",
            ),
            (
                "a </b {{x}}>",
                "&lt;/b <span class=\"tpl\">{{x}}</span>&gt;",
            ),
            ("<b {{x}}>y", "&lt;b <span class=\"tpl\">{{x}}</span>&gt;y"),
        ];
        for (input, shown) in cases {
            let html = render_checked(input);
            assert!(html.contains(shown), "{input:?} → {html}");
        }
    }

    // -- performance ----------------------------------------------------------

    #[test]
    fn one_megabyte_page_renders_fast() {
        let mut page = String::new();
        while page.len() < 1_000_000 {
            for fixture in FIXTURES {
                page.push_str(fixture);
                page.push('\n');
            }
        }
        assert_fast("fixtures x1MB", &page);
    }

    #[test]
    fn pathological_inputs_stay_linear() {
        let n = 100_000;
        let cases: Vec<(&str, String)> = vec![
            ("[[", "[[".repeat(n)),
            ("[[a|", "[[a|".repeat(n)),
            ("]]", "]]".repeat(n)),
            ("[http", "[http://a ".repeat(n)),
            ("{{", "{{".repeat(n)),
            ("{{a|", "{{a|".repeat(n) + &"}}".repeat(n)),
            ("}}", "}}".repeat(n)),
            ("<b>", "<b>".repeat(n) + &"''".repeat(n)),
            ("<b ", "<b ".repeat(n)),
            ("<nowiki>", "<nowiki>".repeat(n)),
            ("<pre>", "<pre>".repeat(n)),
            ("<!--", "<!--".repeat(n)),
            ("<blockquote>", "<blockquote>".repeat(n)),
            ("</blockquote>", "</blockquote>".repeat(n)),
            ("''", "''".repeat(n)),
            ("'''", "a '''b".repeat(n)),
            ("&", "&".repeat(n) + &"&#12345".repeat(n / 4)),
            ("{|", "{|\n".repeat(n / 2)),
            ("{|||", "{|\n|a||b!!c\n".repeat(n / 4)),
            ("nested {|", "{|\n|\n".repeat(n) + &"|}\n".repeat(n)),
            ("*#", "*#:;".repeat(n / 2)),
            (
                "lists",
                "*#:;\n".repeat(n / 4) + &"**********\n".repeat(n / 10),
            ),
            ("urls", "http://a.b/(((".repeat(n / 2)),
            ("http))))", format!("http://a{}", ")".repeat(n))),
            ("==", "=".repeat(n)),
            ("__", "_".repeat(n)),
            ("File", "[[File:a|".repeat(n / 4) + &"]]".repeat(n / 4)),
            ("mark", "\u{7f}".repeat(n)),
        ];
        for (name, input) in cases {
            assert_fast(name, &input);
            check_safe(name, &render(&input[..input.len().min(20_000)]));
        }
    }
}
