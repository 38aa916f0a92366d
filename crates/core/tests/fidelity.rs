//! The preview against MediaWiki: each fixture page's preview and MediaWiki's HTML for it
//! (`data/parsed/`, api.php `action=parse` on the test wiki; `tests/e2e/fidelity.test.mjs`
//! checks they are current and runs this test on the live wiki's output through
//! `IRDOC_PARSED_DIR`) reduce to the same outline: the sequence of headings, paragraphs,
//! lists and items, tables, rows, cells and pre blocks, with their visible text,
//! whitespace-normalised. Template output is set aside: MediaWiki's depends on the wiki's
//! template pages (the test wiki's stand-ins mark theirs with `irdoc-` classes).

use std::path::PathBuf;

use irdoc_core::preview::render;

/// The pages of `data/wikitech/`, whose MediaWiki HTML is `data/parsed/NAME.html`.
const FIXTURES: [&str; 6] = [
    "2024-07-21_s4_and_x1_write_overload",
    "2024-11-25_WMCS_proxy_nginx_failure",
    "2024-12-03_Port_saturation_Varnish_HEAD-GET",
    "2025-03-31_sessionstore_unavailability",
    "2025-04-30_Gerrit_data_corruption",
    "2025-11-05_WMCS_toolsdb_primary_out_of_space",
];

/// Elements that are the structure being compared.
const BLOCKS: [&str; 19] = [
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "dl", "li", "dt", "dd", "table",
    "caption", "tr", "th", "td", "pre",
];
/// Elements that end a run of text without being compared themselves.
const BREAKS: [&str; 3] = ["div", "blockquote", "br"];
const VOID: [&str; 6] = ["br", "hr", "img", "wbr", "meta", "link"];
/// The preview's template output (the test wiki's stand-ins use `irdoc-` classes).
const TEMPLATE_CLASSES: [&str; 6] = [
    "wt-banner",
    "wt-scorecard",
    "wt-note",
    "wt-todo",
    "wt-done",
    "wt-notdone",
];

/// One line per block (indented by nesting) and per run of text in it (`| text`).
fn outline(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut text = String::new();
    // Open elements: (name, is a compared block); `skip` is the depth of a set-aside one.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut skip: Option<usize> = None;
    let depth = |open: &[(String, bool)]| open.iter().filter(|(_, b)| *b).count();
    let flush = |text: &mut String, out: &mut Vec<String>, level: usize| {
        let words: Vec<&str> = text.split_whitespace().collect();
        if !words.is_empty() {
            out.push(format!("{}| {}", "  ".repeat(level), words.join(" ")));
        }
        text.clear();
    };
    let mut rest = html;
    while !rest.is_empty() {
        let (chunk, tag) = match rest.find('<') {
            Some(0) => ("", true),
            Some(i) => (&rest[..i], false),
            None => (rest, false),
        };
        if !tag {
            if skip.is_none() {
                text.push_str(&decode(chunk));
            }
            rest = &rest[chunk.len()..];
            continue;
        }
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let (tag, after) = rest.split_at(end);
        rest = after;
        let closing = tag.starts_with("</");
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        let block = BLOCKS.contains(&name.as_str());
        let breaks = block || BREAKS.contains(&name.as_str());
        if closing {
            let Some(at) = open.iter().rposition(|(n, _)| *n == name) else {
                continue;
            };
            if skip.is_none() && breaks {
                flush(&mut text, &mut out, depth(&open));
            }
            open.truncate(at);
            if skip.is_some_and(|s| s >= open.len()) {
                skip = None;
            }
            continue;
        }
        if skip.is_none() {
            if breaks {
                flush(&mut text, &mut out, depth(&open));
            }
            if set_aside(tag) {
                skip = Some(open.len());
            } else if block {
                out.push(format!("{}{name}", "  ".repeat(depth(&open))));
            }
        }
        if !VOID.contains(&name.as_str()) && !tag.ends_with("/>") {
            open.push((name, block));
        } else if skip == Some(open.len()) {
            skip = None;
        }
    }
    flush(&mut text, &mut out, 0);
    out
}

fn set_aside(tag: &str) -> bool {
    let Some((_, class)) = tag.split_once("class=\"") else {
        return false;
    };
    let class = class.split('"').next().unwrap_or_default();
    class
        .split(' ')
        .any(|c| c.starts_with("irdoc-") || TEMPLATE_CLASSES.contains(&c))
}

/// Text with its character references decoded (the few both sides write).
fn decode(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&e| e < 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| name.strip_prefix('#').map(str::parse))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The lines around the first difference, both sides, for a readable failure.
fn difference(wiki: &[String], preview: &[String]) -> Option<String> {
    let at = wiki
        .iter()
        .zip(preview)
        .position(|(a, b)| a != b)
        .or_else(|| (wiki.len() != preview.len()).then(|| wiki.len().min(preview.len())))?;
    let window = |lines: &[String]| {
        let from = at.saturating_sub(3);
        lines[from.min(lines.len())..(at + 4).min(lines.len())].join("\n")
    };
    Some(format!(
        "first difference at outline line {}\n--- MediaWiki\n{}\n--- preview\n{}",
        at + 1,
        window(wiki),
        window(preview)
    ))
}

#[test]
fn every_fixture_has_mediawikis_block_structure_and_text() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let parsed = std::env::var_os("IRDOC_PARSED_DIR").map_or(data.join("parsed"), PathBuf::from);
    let mut failures = Vec::new();
    for name in FIXTURES {
        let page = std::fs::read_to_string(data.join(format!("wikitech/{name}.txt"))).unwrap();
        let wiki = std::fs::read_to_string(parsed.join(format!("{name}.html"))).unwrap();
        let (wiki, preview) = (outline(&wiki), outline(&render(&page)));
        if let Some(diff) = difference(&wiki, &preview) {
            failures.push(format!("{name}: {diff}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn the_outline_keeps_structure_and_text_only() {
    let html = "<div class=\"mw-parser-output\"><h2><span id=\"A\">A</span></h2>\n\
                <p>a <b>b</b>&amp;&#160;c<br>d\n</p><ul><li>x<ul><li>y</li></ul>z</li></ul>\
                <div class=\"irdoc-note\"><p>aside</p></div><table><tbody><tr><td>1</td></tr></tbody></table>\
                <!-- c --><pre>p  q</pre></div>";
    let expected = [
        "h2",
        "  | A",
        "p",
        "  | a b& c",
        "  | d",
        "ul",
        "  li",
        "    | x",
        "    ul",
        "      li",
        "        | y",
        "    | z",
        "table",
        "  tr",
        "    td",
        "      | 1",
        "pre",
        "  | p q",
    ];
    assert_eq!(outline(html), expected);
}
