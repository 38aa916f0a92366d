//! The preview's safety invariants, checked by its tests and by the `render` fuzz target
//! (`--cfg fuzzing`): only allow-listed tags and attributes, safe links, balanced tags.

use super::inline::INLINE_TAGS;
use super::MARK;

/// Tags this module may emit, with the attributes each may carry.
fn allowed_attrs(tag: &str) -> Option<&'static [&'static str]> {
    Some(match tag {
        "a" => &["href", "class", "rel", "target"],
        "span" | "div" | "table" => &["class"],
        "th" | "td" => &["rowspan", "colspan", "align"],
        "tr" => &["align"],
        "p" | "pre" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "hr" | "br" | "ul" | "ol"
        | "li" | "dl" | "dt" | "dd" | "caption" | "tbody" | "blockquote" => &[],
        t if INLINE_TAGS.split(' ').any(|i| i == t) => &[],
        _ => return None,
    })
}

pub type Tag = (bool, String, Vec<(String, String)>);

/// Lists every tag in `html` (closing flag, name, attributes), checking
/// the syntax is exactly what this module writes: lower-case names,
/// double-quoted values, no `<`, `>` or `"` in text or values.
pub fn scan_tags(html: &str) -> Result<Vec<Tag>, String> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'<' => {
                i += 1;
                let closing = b.get(i) == Some(&b'/');
                i += usize::from(closing);
                let start = i;
                while i < b.len() && (b[i].is_ascii_lowercase() || b[i].is_ascii_digit()) {
                    i += 1;
                }
                let name = html[start..i].to_string();
                let mut attrs = Vec::new();
                loop {
                    match b.get(i) {
                        Some(b'>') => {
                            i += 1;
                            break;
                        }
                        Some(b' ') if !closing => {
                            i += 1;
                            let s = i;
                            while i < b.len() && (b[i].is_ascii_lowercase() || b[i] == b'-') {
                                i += 1;
                            }
                            let attr = html[s..i].to_string();
                            if !html[i..].starts_with("=\"") {
                                return Err(format!("bad attribute syntax in <{name}> at {i}"));
                            }
                            i += 2;
                            let end = html[i..].find('"').ok_or("unterminated value")? + i;
                            let value = html[i..end].to_string();
                            if value.contains(['<', '>']) {
                                return Err(format!("raw < or > in value {value:?}"));
                            }
                            attrs.push((attr, value));
                            i = end + 1;
                        }
                        _ => {
                            return Err(format!(
                                "bad tag syntax <{name} at {i}: {:?}",
                                &html[i.saturating_sub(20)..]
                            ))
                        }
                    }
                }
                tags.push((closing, name, attrs));
            }
            b'>' | b'"' => return Err(format!("raw {:?} in text at {i}", b[i] as char)),
            _ => i += 1,
        }
    }
    Ok(tags)
}

fn unescape_attr(v: &str) -> String {
    v.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The safety invariants: only allow-listed tags and attributes, every
/// link is http(s)/mailto with rel+target, and tags are balanced.
pub fn check_safe(input: &str, html: &str) {
    let fail = |why: String| -> ! { panic!("{why}\ninput: {input:?}\noutput: {html}") };
    if html.contains(MARK) {
        fail("a placeholder reached the output".into());
    }
    let tags = scan_tags(html).unwrap_or_else(|e| fail(e));
    let mut stack: Vec<String> = Vec::new();
    for (closing, name, attrs) in tags {
        let Some(allowed) = allowed_attrs(&name) else {
            fail(format!("tag <{name}> not allowed"))
        };
        for (attr, value) in &attrs {
            if !allowed.contains(&attr.as_str()) {
                fail(format!("attribute {attr} not allowed on <{name}>"));
            }
            match attr.as_str() {
                "href" => {
                    let href = unescape_attr(value);
                    let lower = href.to_ascii_lowercase();
                    let scheme_ok = ["https://", "http://", "mailto:"]
                        .iter()
                        .any(|s| lower.starts_with(s));
                    if !scheme_ok
                        || href
                            .bytes()
                            .any(|c| c <= 0x20 || c >= 0x7f || b"\"'<>\\`".contains(&c))
                    {
                        fail(format!("unsafe href {href:?}"));
                    }
                }
                "class" if !value.split(' ').all(|c| c == "tpl" || c.starts_with("wt-")) => {
                    fail(format!("unexpected class {value:?}"))
                }
                "rel" if value != "noopener noreferrer" => fail(format!("rel {value:?}")),
                "target" if value != "_blank" => fail(format!("target {value:?}")),
                "rowspan" | "colspan"
                    if value.parse::<u32>().map_or(true, |n| n == 0 || n > 1000) =>
                {
                    fail(format!("span {value:?}"))
                }
                "align" if !["left", "right", "center"].contains(&value.as_str()) => {
                    fail(format!("align {value:?}"))
                }
                _ => {}
            }
        }
        if name == "a" && !closing {
            let has = |k: &str| attrs.iter().any(|(a, _)| a == k);
            if !(has("href") && has("rel") && has("target")) {
                fail("link without href/rel/target".into());
            }
        }
        if matches!(name.as_str(), "br" | "hr") {
            continue;
        }
        if closing {
            if stack.pop().as_deref() != Some(name.as_str()) {
                fail(format!("unbalanced </{name}>"));
            }
        } else {
            stack.push(name);
        }
    }
    if !stack.is_empty() {
        fail(format!("unclosed tags {stack:?}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview::testing::{render_checked, FIXTURES};

    // -- safety ---------------------------------------------------------------

    const XSS: &[&str] = &[
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "\"><svg onload=alert(1)>",
        "'><script>alert(1)</script>",
        "<a href=\"javascript:x\">x</a>",
        "<b onmouseover=alert(1)>x</b>",
        "<b/onclick=alert(1)>x",
        "<code style=\"x:expression(alert(1))\">x</code>",
        "<iframe src=javascript:alert(1)>",
        "<style>*{x:url(javascript:x)}</style>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "[javascript:alert(1) x]",
        "[JaVaScRiPt:alert(1) x]",
        "[jav&#x61;script:alert(1) x]",
        "[jav&#97;script:alert(1) x]",
        "[ javascript:alert(1) x]",
        "[java\tscript:alert(1) x]",
        "[data:text/html;base64,PHNjcmlwdD4= x]",
        "[vbscript:msgbox(1) x]",
        "[http://x.example\" onmouseover=\"alert(1) x]",
        "[http://x.example/&quot;onmouseover=&quot;alert(1) x]",
        "[http://x.example/'onmouseover='alert(1) x]",
        "[http://x.example/&#34;&#62;&#60;script&#62; x]",
        "[//x.example/\"><script> x]",
        "[https://x.example <script>alert(1)</script>]",
        "[https://x.example ''<img src=x onerror=alert(1)>'']",
        "https://x.example/\"onmouseover=\"alert(1)",
        "https://x.example/<script>alert(1)</script>",
        "http://x.example/&#x22;&#x3e;&#x3c;svg&#x20;onload=alert(1)&#x3e;",
        "[[javascript:alert(1)]]",
        "[[javascript:alert(1)|click]]",
        "[[:javascript:alert(1)]]",
        "[[phab:\"><script>alert(1)</script>]]",
        "[[phab:x\" onclick=\"alert(1)|x]]",
        "[[w:&#x22; onclick=&#x22;alert(1)]]",
        "[[File:x.png|<img src=x onerror=alert(1)>]]",
        "[[File:\"><script>alert(1)</script>.png]]",
        "[[a|<script>alert(1)</script>]]",
        "{| onclick=\"x\"\n| a\n|}",
        "{| class=\"wikitable\" style=\"background:url(javascript:x)\"\n| a\n|}",
        "{|\n| style=\"background:url(javascript:x)\" | c\n|}",
        "{|\n| onmouseover=alert(1) | c\n|}",
        "{|\n|- onclick=\"x\"\n| rowspan=\"2\" onclick=\"x\" colspan=\"99999\" align=\"javascript:x\" | c\n|}",
        "{|\n| rowspan=\"&#34;&#62;&#60;script&#62;\" | c\n|}",
        "{|\n|+ onclick=x | cap\n! onclick=x | h\n|}",
        "{{PhabT|\"><script>alert(1)</script>}}",
        "{{phab|T1\" onclick=\"x}}",
        "{{Gerrit|javascript:alert(1)}}",
        "{{Gerrit|1\"><svg onload=alert(1)>}}",
        "{{irdoc|status=\"><script>}}",
        "{{irdoc|status=final\" onclick=\"x}}",
        "{{Incident scorecard|task=<script>alert(1)</script>|<img src=x onerror=alert(1)>=x}}",
        "{{Note|text=<script>alert(1)</script>}}",
        "{{<script>alert(1)</script>}}",
        "<nowiki><script>alert(1)</script></nowiki>",
        "<pre><script>alert(1)</script></pre>",
        "<pre onclick=\"x\">a</pre>",
        "<gallery>\nFile:x.png|<script>alert(1)</script>\nFile:\"><svg onload=alert(1)>.png|x\n</gallery>",
        "<gallery onload=\"x\">\n</gallery>",
        "<blockquote onclick=\"x\">q</blockquote>",
        "<!--><script>alert(1)</script>-->",
        "<!-- --><script>alert(1)</script>",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&#60;script&#62;alert(1)&#60;/script&#62;",
        "<scr<script>ipt>alert(1)</script>",
        "<<b>script>alert(1)<</b>/script>",
        "<nowiki><</nowiki>script>alert(1)</script>",
        "\u{7f}0\u{7f}<script>",
        "{{Done}}\u{7f}0\u{7f}\u{7f}1\u{7f}",
        "''<b>''</b>''<i>",
        "; <script>: <img src=x onerror=alert(1)>",
        "== <script>alert(1)</script> ==",
        " <script>alert(1)</script>",
        "<b><i><u><s><code>x",
        "</b></i></td></tr></table></div></a>",
    ];

    #[test]
    fn xss_battery_produces_no_live_markup() {
        for payload in XSS {
            for input in [
                payload.to_string(),
                format!("* {payload}"),
                format!("{{|\n| {payload}\n|}}"),
                format!("{{{{Note|text={payload}}}}}"),
            ] {
                let html = render_checked(&input);
                let lower = html.to_ascii_lowercase();
                assert!(
                    !lower.contains("<script")
                        && !lower.contains("<img")
                        && !lower.contains("<svg"),
                    "{input:?} → {html}"
                );
                assert!(
                    !lower.contains("href=\"javascript")
                        && !lower.contains("href=\"data")
                        && !lower.contains("href=\"vbscript"),
                    "{html}"
                );
                let tags = scan_tags(&html).unwrap_or_default();
                assert!(tags.iter().all(|(_, _, attrs)| attrs
                    .iter()
                    .all(|(a, _)| !a.starts_with("on") && a != "style")));
            }
        }
    }

    #[test]
    fn obfuscated_schemes_never_become_links() {
        for scheme in [
            "javascript:",
            "JAVASCRIPT:",
            "jav&#x61;script:",
            "jav&#97;script:",
            "&#106;avascript:",
            "java\u{0}script:",
            "java\rscript:",
            " javascript:",
            "data:",
            "vbscript:",
            "file:",
            "ftp:",
        ] {
            for form in [
                format!("[{scheme}alert(1) x]"),
                format!("{scheme}alert(1)"),
                format!("[{scheme}alert(1)]"),
            ] {
                let html = render_checked(&form);
                assert!(!html.contains("<a "), "{form:?} → {html}");
            }
        }
    }

    /// Deterministic xorshift PRNG, so failures reproduce.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const FRAGMENTS: &[&str] = &[
        "[[",
        "]]",
        "[",
        "]",
        "{{",
        "}}",
        "{{{",
        "}}}",
        "|",
        "||",
        "!!",
        "!",
        "{|",
        "|}",
        "|-",
        "|+",
        "'",
        "''",
        "'''",
        "'''''",
        "<nowiki>",
        "</nowiki>",
        "<nowiki/>",
        "<pre>",
        "</pre>",
        "<gallery>",
        "</gallery>",
        "<!--",
        "-->",
        "<b>",
        "</b>",
        "<i ",
        "<code>",
        "</code>",
        "<blockquote>",
        "</blockquote>",
        "<br/>",
        "</br>",
        "<script>",
        "<img src=x onerror=alert(1)>",
        "javascript:",
        "jav&#x61;script:",
        "http://",
        "https://x.example/",
        "mailto:",
        "//",
        "&",
        "&amp;",
        "&#x6a;",
        "&#106;",
        "&#0;",
        "&#xD800;",
        "&lt;",
        "&quot;",
        ";",
        ":",
        "*",
        "#",
        "=",
        "==",
        "\n",
        "\n",
        "\n",
        " ",
        "\t",
        "File:",
        "phab:",
        "Category:",
        "\u{7f}",
        "\r",
        "\0",
        "é",
        "漢",
        "🙂",
        "\"",
        ">",
        "<",
        "__TOC__",
        "{{PhabT|",
        "{{Incident scorecard|task=",
        "{{Note|text=",
        "{{!}}",
        "{{Gerrit|",
        "{{Done}}",
        "rowspan=\"3\"",
        "colspan=0",
        "style=\"x\"",
        "onclick=",
        "----",
        "~~~~",
        "x",
        "word",
        "T123",
        "0",
        "\u{a0}",
        "\u{3000}",
        "\u{200b}",
    ];

    fn random_wikitext(rng: &mut Rng) -> String {
        let parts = 1 + rng.below(40);
        let mut s = String::new();
        for _ in 0..parts {
            if rng.below(8) == 0 {
                // A slice of a real page, cut at char boundaries.
                let page = FIXTURES[rng.below(FIXTURES.len())];
                let start = rng.below(page.len());
                let end = (start + rng.below(300)).min(page.len());
                let (mut a, mut b) = (start, end);
                while !page.is_char_boundary(a) {
                    a -= 1;
                }
                while !page.is_char_boundary(b) {
                    b -= 1;
                }
                s.push_str(&page[a..b.max(a)]);
            } else {
                s.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
            }
        }
        s
    }

    #[test]
    fn fuzz_random_wikitext_is_safe_and_never_panics() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..6000 {
            let input = random_wikitext(&mut rng);
            render_checked(&input);
        }
    }

    #[test]
    fn fuzz_mutated_fixtures() {
        let mut rng = Rng(42);
        for _ in 0..150 {
            let mut page: Vec<char> = FIXTURES[rng.below(FIXTURES.len())].chars().collect();
            for _ in 0..20 {
                let at = rng.below(page.len() + 1);
                let frag = FRAGMENTS[rng.below(FRAGMENTS.len())];
                page.splice(at..at, frag.chars());
            }
            render_checked(&page.into_iter().collect::<String>());
        }
    }
}
