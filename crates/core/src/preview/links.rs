//! Links and files: `[[wiki links]]`, interwikis, `[external links]` and the
//! placeholders of `[[File:…]]` and `<gallery>`.
//!
//! Every `href` is built here: by [`external_href`] (http, https and mailto
//! only, checked after entity decoding, then percent-encoded) or as a fixed
//! `https://` base followed by an encoded title. The `[[…]]` of a line are
//! paired once ([`match_double_brackets`]) and nested captions borrow those
//! pairs ([`Pairs`]), so nested links stay linear.

use std::fmt::Write as _;
use std::ops::Range;

use super::escape::{decode_entities, escape, escape_into};
use super::inline::Tok;
use super::preprocess::starts_with_ci;
use super::templates::split_pipes;
use super::{Renderer, MARK};

const WIKI_BASE: &str = "https://wikitech.wikimedia.org/wiki/";
pub(super) const PHAB_BASE: &str = "https://phabricator.wikimedia.org/";
pub(super) const GERRIT_BASE: &str = "https://gerrit.wikimedia.org/r/";

/// Length of an allowed URL scheme at the start of `b` (`//` means https).
fn scheme_len(b: &[u8]) -> Option<usize> {
    ["https://", "http://", "mailto:", "//"]
        .iter()
        .find(|p| starts_with_ci(b, p.as_bytes()))
        .map(|p| p.len())
}

/// Builds an `href` from the raw text of an external link, or `None` when the
/// scheme is not http, https or mailto. The scheme must be literal in the raw
/// text (as MediaWiki requires) and is checked again after entity decoding,
/// so `jav&#x61;script:` cannot slip through; everything that could end the
/// attribute or confuse a URL parser is percent-encoded.
pub(super) fn external_href(raw: &str) -> Option<String> {
    scheme_len(raw.as_bytes())?;
    let url = decode_entities(raw);
    let bytes = url.as_bytes();
    let scheme = scheme_len(bytes)?;
    let (prefix, rest) = match scheme {
        2 => ("https://", &url[2..]),
        _ => (&url[..scheme], &url[scheme..]),
    };
    if rest.is_empty() {
        return None;
    }
    let mut href = prefix.to_ascii_lowercase();
    for &b in rest.as_bytes() {
        let unsafe_byte = b <= 0x20
            || b >= 0x7f
            || matches!(
                b,
                b'"' | b'\'' | b'<' | b'>' | b'\\' | b'`' | b'^' | b'{' | b'}' | b'|'
            );
        if unsafe_byte {
            let _ = write!(href, "%{b:02X}");
        } else {
            href.push(char::from(b));
        }
    }
    Some(href)
}

/// Bytes kept as-is in wiki page paths (what MediaWiki's `wfUrlencode` keeps).
const TITLE_KEEP: &[u8] = b";@$!*(),/:";
/// Interwiki paths (Phabricator, Gerrit) also keep query and fragment syntax.
const INTERWIKI_KEEP: &[u8] = b";@$!*(),/:#?&=+%";

fn percent_encode_into(out: &mut String, s: &str, keep: &[u8]) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push('_');
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// URL of a page on wikitech: spaces become `_`, the first letter is upper-case.
fn wiki_url(page: &str, fragment: Option<&str>) -> String {
    let mut url = String::from(WIKI_BASE);
    let page = page
        .split([' ', '_'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let mut chars = page.chars();
    if let Some(first) = chars.next() {
        let mut title: String = first.to_uppercase().collect();
        title.push_str(chars.as_str());
        percent_encode_into(&mut url, &title, TITLE_KEEP);
    }
    if let Some(fragment) = fragment {
        url.push('#');
        percent_encode_into(&mut url, fragment.trim(), TITLE_KEEP);
    }
    url
}

fn interwiki_base(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "phab" | "phabricator" => PHAB_BASE,
        "gerrit" => GERRIT_BASE,
        "w" | "wikipedia" => "https://en.wikipedia.org/wiki/",
        "mw" | "mediawiki" => "https://www.mediawiki.org/wiki/",
        "m" | "meta" => "https://meta.wikimedia.org/wiki/",
        "commons" => "https://commons.wikimedia.org/wiki/",
        "d" | "wikidata" => "https://www.wikidata.org/wiki/",
        _ => return None,
    })
}

/// Writes a link. `href` must come from [`external_href`] or a fixed base.
pub(super) fn link_html(href: &str, class: &str, label_html: &str) -> String {
    let mut out = String::with_capacity(href.len() + label_html.len() + 80);
    out.push_str("<a href=\"");
    escape_into(&mut out, href);
    out.push_str("\" class=\"");
    out.push_str(class);
    out.push_str("\" rel=\"noopener noreferrer\" target=\"_blank\">");
    out.push_str(label_html);
    out.push_str("</a>");
    out
}

/// How a file shows: its element's opening and closing tags, then its caption's.
type FileShape = [&'static str; 4];
const INLINE_FILE: FileShape = [
    "<span class=\"wt-file\">",
    "</span>",
    "<span class=\"wt-file-caption\">",
    "</span>",
];
/// A thumbnail is a block, as in MediaWiki: the block pass takes it out of its paragraph.
pub(super) const THUMB: FileShape = [
    "<div class=\"wt-file wt-thumb\">",
    "</div>",
    "<div class=\"wt-file-caption\">",
    "</div>",
];
/// A gallery is a list of images.
const GALLERY_FILE: FileShape = ["<li>", "</li>", "<p>", "</p>"];

/// Stand-in for an image (previews never load files): its name and caption, in the
/// elements MediaWiki shows them in when the file is missing.
fn file_placeholder(name: &str, caption_html: &str, shape: FileShape) -> String {
    let [open, close, caption_open, caption_close] = shape;
    let mut out = String::from(open);
    out.push_str("<span class=\"wt-file-name\">");
    escape_into(&mut out, &decode_entities(name.trim()));
    out.push_str("</span>");
    if !caption_html.is_empty() {
        out.push(' ');
        out.push_str(caption_open);
        out.push_str(caption_html);
        out.push_str(caption_close);
    }
    out.push_str(close);
    out
}

/// `thumb` and `frame` make a file a block (a figure with its caption).
fn is_frame(part: &str) -> bool {
    matches!(part.trim(), "thumb" | "thumbnail" | "frame" | "framed")
}

/// True for `[[File:…]]` / gallery parameters that are layout options rather
/// than the caption.
fn is_media_option(part: &str) -> bool {
    // Space-separated: cheaper in the wasm than arrays of `&str`.
    const WORDS: &str =
        "thumb thumbnail frame framed frameless border left right center centre none \
        upright baseline sub super top text-top middle bottom text-bottom loop muted";
    const KEYS: &str = "upright= link= alt= page= class= lang= thumb= thumbnail= start= end=";
    // Compared in place: a caption can be most of the page, and is checked
    // once per level of nested file links.
    let p = part.trim().as_bytes();
    let (digits, unit) = p.split_at(p.len().saturating_sub(2));
    let size = !digits.is_empty()
        && unit.eq_ignore_ascii_case(b"px")
        && digits
            .iter()
            .all(|c| c.is_ascii_digit() || c.eq_ignore_ascii_case(&b'x'));
    size || WORDS
        .split(' ')
        .any(|w| p.eq_ignore_ascii_case(w.as_bytes()))
        || KEYS.split(' ').any(|k| starts_with_ci(p, k.as_bytes()))
}

/// Pairs every `[[` with its `]]` on the same line, in one pass: `(open,
/// close)` in the order of the opens, so the tokenizer walks them with a
/// cursor instead of hashing every position.
pub(super) fn match_double_brackets(b: &[u8]) -> Vec<(usize, usize)> {
    const UNCLOSED: usize = usize::MAX;
    let mut pairs = Vec::new();
    // Indices in `pairs` of the `[[` still open, innermost last.
    let mut open = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1)) {
            (b'[', Some(b'[')) => {
                open.push(pairs.len());
                pairs.push((i, UNCLOSED));
                i += 2;
            }
            (b']', Some(b']')) => {
                if let Some(k) = open.pop() {
                    pairs[k].1 = i;
                }
                i += 2;
            }
            (b'\n', _) => {
                open.clear();
                i += 1;
            }
            _ => i += 1,
        }
    }
    pairs.retain(|&(_, close)| close != UNCLOSED);
    pairs
}

/// The `[[…]]` pairs of a text, found by [`match_double_brackets`] on that
/// text or on one around it: positions count from `base` bytes before this
/// text, so a part of the text can borrow them instead of a new search.
#[derive(Clone, Copy)]
pub(super) struct Pairs<'p> {
    list: &'p [(usize, usize)],
    base: usize,
}

impl<'p> Pairs<'p> {
    pub(super) fn of(list: &'p [(usize, usize)]) -> Self {
        Pairs { list, base: 0 }
    }

    /// The `k`th pair, as positions in this text.
    pub(super) fn get(&self, k: usize) -> Option<(usize, usize)> {
        let &(open, close) = self.list.get(k)?;
        Some((open - self.base, close - self.base))
    }

    /// The pairs of `range` of this text, which must not cut a pair.
    fn within(self, range: Range<usize>) -> Self {
        let from = self.list.partition_point(|p| p.0 < self.base + range.start);
        let to = self.list.partition_point(|p| p.0 < self.base + range.end);
        Pairs {
            list: &self.list[from..to],
            base: self.base + range.start,
        }
    }

    /// Splits the inner text of a link (`[[` … `]]`, whose pairs these are)
    /// on the pipes outside the links nested in it, jumping over those.
    fn split_pipes(self, inner: &str) -> Vec<&str> {
        let b = inner.as_bytes();
        let mut parts = Vec::new();
        let (mut start, mut i, mut next) = (0, 0, 0);
        while i < b.len() {
            if let Some((_, close)) = self.get(next).filter(|&(open, _)| open == i) {
                next += self.list[next..].partition_point(|p| p.0 < self.base + close);
                i = close + 2;
            } else {
                if b[i] == b'|' {
                    parts.push(&inner[start..i]);
                    start = i + 1;
                }
                i += 1;
            }
        }
        parts.push(&inner[start..]);
        parts
    }
}

/// Where `part`, a slice of `whole`, starts in it (`None` for other strings).
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let offset = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (offset + part.len() <= whole.len()).then_some(offset)
}

/// End of a URL starting at `from`: MediaWiki's URL characters, and `''`
/// (which starts italics) also ends it.
pub(super) fn url_end(text: &str, from: usize) -> usize {
    let b = text.as_bytes();
    for (off, c) in text[from..].char_indices() {
        let stop = match c {
            ' ' | '[' | ']' | '<' | '>' | '"' | MARK | '\u{FFFD}' => true,
            '\'' => b.get(from + off + 1) == Some(&b'\''),
            c => c.is_control() || c.is_whitespace(),
        };
        if stop {
            return from + off;
        }
    }
    text.len()
}

impl Renderer {
    pub(super) fn gallery(&mut self, content: &str) -> String {
        let mut out = String::from("<div class=\"wt-gallery\"><ul>");
        for line in content.lines() {
            let parts = split_pipes(line.trim());
            let name = parts[0].trim();
            if name.is_empty() {
                continue;
            }
            let caption = parts[1..]
                .iter()
                .rev()
                .find(|p| !is_media_option(p))
                .copied()
                .unwrap_or("");
            let caption_html = self.inline_source(caption.trim());
            // MediaWiki names a gallery's missing files without their namespace.
            let name = name.split_once(':').map_or(name, |(_, n)| n);
            out.push_str(&file_placeholder(name, &caption_html, GALLERY_FILE));
        }
        out.push_str("</ul></div>\n");
        out
    }

    /// `[[target|label]]` at `text[i..close+2]`, `pairs` those of `text`.
    /// `None` leaves it as text.
    pub(super) fn internal_link(
        &mut self,
        text: &str,
        i: usize,
        close: usize,
        pairs: Pairs<'_>,
    ) -> Option<(Tok, usize)> {
        let inner = &text[i + 2..close];
        let after = close + 2;
        let invalid =
            |c: char| matches!(c, '<' | '>' | '[' | ']' | '{' | '}' | '|' | MARK) || c.is_control();
        // The target ends at the first `|`, but the search stops at the first
        // character no title may hold: in `[[a[[a[[a…]]]]]]` every rejected
        // `[[` would otherwise scan on to its far-away `]]`.
        let target_end = inner.find(invalid).unwrap_or(inner.len());
        let (target_raw, label) = match &inner[target_end..] {
            "" => (inner, None),
            rest => (&inner[..target_end], Some(rest.strip_prefix('|')?)),
        };
        let decoded = decode_entities(target_raw.trim());
        let (leading_colon, target) = match decoded.strip_prefix(':') {
            Some(t) => (true, t.trim()),
            None => (false, decoded.as_ref()),
        };
        // Checked again after decoding: `&#91;` is a `[` too.
        if target.is_empty() || target.contains(invalid) {
            return None;
        }
        let namespace = target
            .split_once(':')
            .map(|(ns, rest)| (ns.trim().to_ascii_lowercase(), rest));
        let mut class = "wt-link";
        let href = match &namespace {
            Some((ns, _))
                if !leading_colon && matches!(ns.as_str(), "file" | "image" | "media") =>
            {
                let html = self.file_link(inner, pairs.within(i + 2..close));
                return Some((Tok::Html(html), after));
            }
            Some((ns, _)) if !leading_colon && ns == "category" => {
                return Some((Tok::Html(String::new()), after));
            }
            Some((ns, rest)) if interwiki_base(ns).is_some() => {
                class = "wt-ext";
                let mut url = interwiki_base(ns).unwrap_or(WIKI_BASE).to_string();
                percent_encode_into(&mut url, rest.trim(), INTERWIKI_KEEP);
                Some(url)
            }
            _ => match target.split_once('#') {
                // A bare `[[#Section]]` points into the page being written.
                Some(("", _)) => None,
                Some((page, fragment)) => Some(wiki_url(page, Some(fragment))),
                None => Some(wiki_url(target, None)),
            },
        };
        let mut label_html = match label {
            Some(l) if !l.trim().is_empty() => {
                let start = close - l.len();
                let inner = pairs.within(start..close);
                let html = if inner.get(0).is_some() {
                    self.inline_with(l, true, Some(inner))
                } else {
                    self.inline(l.trim(), false)
                };
                // A link cannot hold a link (its own or one a template made): MediaWiki
                // keeps the inner one and shows the outer `[[target|` and `]]` as text.
                if html.contains("<a ") {
                    let html = format!("{}{html}]]", escape(&text[i..start]));
                    return Some((Tok::Html(html), after));
                }
                html
            }
            _ => escape(target),
        };
        // MediaWiki's link trail: `[[Gerrit]]s` links the whole word.
        let trail = text.as_bytes()[after..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        escape_into(&mut label_html, &text[after..after + trail]);
        let html = match href {
            Some(href) => link_html(&href, class, &label_html),
            None => format!("<span class=\"wt-link\">{label_html}</span>"),
        };
        Some((Tok::Html(html), after + trail))
    }

    /// `[[File:name|options|caption]]` → placeholder with its caption.
    /// `pairs` are those of `inner`: the caption is split off and rendered
    /// without searching the links nested in it again, level after level.
    fn file_link(&mut self, inner: &str, pairs: Pairs<'_>) -> String {
        let parts = pairs.split_pipes(inner);
        let name = decode_entities(parts[0].trim()).into_owned();
        let caption = parts[1..]
            .iter()
            .rev()
            .find(|p| !is_media_option(p))
            .or_else(|| parts.iter().find(|p| p.trim().starts_with("alt=")))
            .map(|c| c.trim().trim_start_matches("alt=").trim())
            .unwrap_or("");
        let caption_html = match offset_in(inner, caption) {
            Some(start) => {
                let pairs = pairs.within(start..start + caption.len());
                self.inline_with(caption, true, Some(pairs))
            }
            None => String::new(),
        };
        let shape = match parts[1..].iter().any(|p| is_frame(p)) {
            true => THUMB,
            false => INLINE_FILE,
        };
        file_placeholder(&name, &caption_html, shape)
    }

    /// `[url label]` or `[url]` at `text[i]`. `no_bracket` remembers a line
    /// tail known to hold no `]`, so `[http://a [http://a …` stays linear.
    pub(super) fn external_link(
        &mut self,
        text: &str,
        i: usize,
        no_bracket: &mut (usize, usize),
    ) -> Option<(Tok, usize)> {
        let b = text.as_bytes();
        let start = i + 1;
        let scheme = scheme_len(&b[start..])?;
        let end = url_end(text, start + scheme);
        if end == start + scheme || (no_bracket.0 <= end && end < no_bracket.1) {
            return None;
        }
        let mut close = end;
        while close < b.len() && b[close] != b']' && b[close] != b'\n' {
            close += 1;
        }
        if b.get(close) != Some(&b']') {
            *no_bracket = (end, close);
            return None;
        }
        let href = external_href(&text[start..end])?;
        let label = text[end..close].trim();
        let label_html = if label.is_empty() {
            self.ext_links += 1;
            format!("[{}]", self.ext_links)
        } else {
            self.inline(label, false)
        };
        Some((
            Tok::Html(link_html(&href, "wt-ext", &label_html)),
            close + 1,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview::render_inline;
    use crate::preview::testing::{assert_fast, count, render_checked};

    #[test]
    fn internal_and_interwiki_links() {
        let html = render_inline(
            "[[Gerrit]]s [[Portal:Cloud VPS/Admin/Web proxy]] [[SessionStorage|sessionstore]]",
        );
        assert!(html.contains("href=\"https://wikitech.wikimedia.org/wiki/Gerrit\" class=\"wt-link\" rel=\"noopener noreferrer\" target=\"_blank\">Gerrits</a>"));
        assert!(html.contains(
            "href=\"https://wikitech.wikimedia.org/wiki/Portal:Cloud_VPS/Admin/Web_proxy\""
        ));
        assert!(html.contains(">sessionstore</a>"));
        let html = render_inline("[[phab:T379927|T379927]] [[gerrit:c/operations/mediawiki-config/+/1138508|1138508]] [[phab:T1]]");
        assert!(html.contains("href=\"https://phabricator.wikimedia.org/T379927\""));
        assert!(html.contains(
            "href=\"https://gerrit.wikimedia.org/r/c/operations/mediawiki-config/+/1138508\""
        ));
        assert!(html.contains(">phab:T1</a>"));
        let html = render_inline("[[SessionStorage/Runbook#High_Storage_Utilization]] [[#Timeline]] [[:Category:X]] [[Category:X]]");
        assert!(html.contains("href=\"https://wikitech.wikimedia.org/wiki/SessionStorage/Runbook#High_Storage_Utilization\""));
        assert!(html.contains("<span class=\"wt-link\">#Timeline</span>"));
        assert!(html.contains("wiki/Category:X\""));
        assert_eq!(count(&html, "<a "), 2, "category links render nothing");
        // Invalid titles stay text.
        assert_eq!(render_inline("[[a<b]] [[]] [[x|y"), "[[a&lt;b]] [[]] [[x|y");
    }

    #[test]
    fn a_link_never_holds_a_link() {
        // MediaWiki: [[a|<a …>T9</a>]], and [[a|b <a …>c</a> d]]
        let phab = "<a href=\"https://phabricator.wikimedia.org/T9\" class=\"wt-ext wt-phab\" rel=\"noopener noreferrer\" target=\"_blank\">T9</a>";
        assert_eq!(
            render_checked("[[a|{{Phabricator|9}}]]"),
            format!("<p>[[a|{phab}]]</p>\n")
        );
        let html = render_checked("[[a|b [[c]] d]]");
        assert!(html.starts_with("<p>[[a|b <a href=\"https://wikitech.wikimedia.org/wiki/C\""));
        assert!(html.ends_with(">c</a> d]]</p>\n"));
        assert_eq!(count(&render_checked("[[a|[[b|[[c]]]]]]"), "<a "), 1);
    }

    #[test]
    fn file_links_become_placeholders() {
        let html = render_inline("[[File:Edit rate.png|Edit rate during [[incident]]|none]]");
        assert!(html.starts_with(
            "<span class=\"wt-file\"><span class=\"wt-file-name\">File:Edit rate.png</span>"
        ));
        assert!(html.contains("<span class=\"wt-file-caption\">Edit rate during <a href=\"https://wikitech.wikimedia.org/wiki/Incident\""));
        assert!(!html.contains("<img"));
        assert!(render_inline("[[Image:x.png|200px]]").contains("Image:x.png"));
    }

    #[test]
    fn thumbnails_are_blocks_between_paragraphs() {
        // MediaWiki: <p>text</p><div class="thumb">…</div><p>more</p>
        let html = render_checked("text [[File:X.png|thumb|cap]] more\n[[File:Y.png|frame]]");
        assert_eq!(
            html,
            "<p>text</p>\n<div class=\"wt-file wt-thumb\"><span class=\"wt-file-name\">File:X.png</span> \
             <div class=\"wt-file-caption\">cap</div></div><p>more</p>\n<div class=\"wt-file wt-thumb\">\
             <span class=\"wt-file-name\">File:Y.png</span></div>"
        );
        // Inside another element it stays where it is: a paragraph cannot end there.
        let html = render_checked("'''a [[File:X.png|thumb]]'''");
        assert!(html.starts_with("<p><b>a <div class=\"wt-file wt-thumb\">"));
    }

    #[test]
    fn external_links_labeled_numbered_and_free() {
        let html = render_inline("[https://a.example/x?y=1&z=2 SAL log] [https://b.example] [http://c.example] [mailto:a@b.c mail] [//d.example/ rel]");
        assert!(html.contains("<a href=\"https://a.example/x?y=1&amp;z=2\" class=\"wt-ext\" rel=\"noopener noreferrer\" target=\"_blank\">SAL log</a>"));
        assert!(html.contains(">[1]</a>") && html.contains(">[2]</a>"));
        assert!(html.contains("href=\"mailto:a@b.c\""));
        assert!(html.contains("href=\"https://d.example/\""));
        let html = render_inline(
            "see https://x.example/a_(b), and http://y.example/c. (https://z.example/d)",
        );
        assert!(html.contains("href=\"https://x.example/a_(b)\""));
        assert!(html.contains("href=\"http://y.example/c\""));
        assert!(html.contains("href=\"https://z.example/d\""));
        assert!(html.ends_with("</a>)"));
        // Not a URL: glued to a word, unknown scheme, bare scheme.
        assert!(
            !render_inline("xhttps://a.b ftp://a.b [ftp://a.b c] [https:// x] http://")
                .contains("<a")
        );
    }

    #[test]
    fn galleries_are_lists_of_images() {
        // MediaWiki: <ul class="gallery"><li>…A b.png…<p>Caption <i>one</i></p></li>…</ul>
        let html = render_checked("<gallery mode=\"packed\">\nFile:A b.png|Caption ''one''\nB.png|[https://x.example Two]\n\n</gallery>");
        assert!(html.starts_with("<div class=\"wt-gallery\"><ul><li><span class=\"wt-file-name\">A b.png</span> <p>Caption <i>one</i></p></li><li><span class=\"wt-file-name\">B.png</span> <p><a href=\"https://x.example\""));
        assert!(html.ends_with("</p></li></ul></div>\n"));
    }

    #[test]
    fn href_builder_rejects_and_encodes() {
        assert_eq!(external_href("jav&#x61;script:x"), None);
        assert_eq!(
            external_href("&#x68;ttp://x"),
            None,
            "scheme must be literal before decoding"
        );
        assert_eq!(
            external_href("HTTPS://x/a b\"c'd<e>"),
            Some("https://x/a%20b%22c%27d%3Ce%3E".into())
        );
        assert_eq!(
            external_href("http://x/&#10;&#x09;y"),
            Some("http://x/%0A%09y".into())
        );
        assert_eq!(
            external_href("//x.example"),
            Some("https://x.example".into())
        );
        assert_eq!(external_href("https://"), None);
        assert_eq!(
            wiki_url("javascript:alert(1)", None),
            "https://wikitech.wikimedia.org/wiki/Javascript:alert(1)"
        );
        assert_eq!(
            wiki_url("a \"b\" <c>&d?", Some("x y")),
            "https://wikitech.wikimedia.org/wiki/A_%22b%22_%3Cc%3E%26d%3F#x_y"
        );
    }

    #[test]
    fn nested_links_with_bad_targets_stay_linear() {
        // Each rejected `[[` used to search its whole inner text for a `|`,
        // out to its matching `]]` at the far end.
        let k = 250_000;
        assert_fast("[[[[…]]]]", &("[[".repeat(k) + &"]]".repeat(k)));
        assert_fast("[[a[[a…]]]]", &("[[a".repeat(k / 2) + &"]]".repeat(k / 2)));
        assert_eq!(render_inline("[[a[[b]]]]"), "[[a<a href=\"https://wikitech.wikimedia.org/wiki/B\" class=\"wt-link\" rel=\"noopener noreferrer\" target=\"_blank\">b</a>]]");
        assert_eq!(render_inline("[[a&#91;b|c]]"), "[[a[b|c]]");
    }
}
