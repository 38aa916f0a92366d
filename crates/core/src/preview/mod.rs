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
//! 2. Comments are dropped and `<nowiki>`, `<pre>` and `<gallery>` are cut out
//!    and replaced by *markers* (`MARK index MARK`), so no later stage looks
//!    inside them.
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

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

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
/// Open inline elements (`<b>`, `''` …) beyond this are ignored.
const MAX_OPEN_TAGS: usize = 32;
/// Longest tag (`<b …>`) we look at, so a stray `<b` costs O(1).
const MAX_TAG_LEN: usize = 512;

const WIKI_BASE: &str = "https://wikitech.wikimedia.org/wiki/";
const PHAB_BASE: &str = "https://phabricator.wikimedia.org/";
const GERRIT_BASE: &str = "https://gerrit.wikimedia.org/r/";

/// Tags cut out before parsing; their content is never parsed as wikitext.
const RAW_TAGS: [&str; 3] = ["nowiki", "pre", "gallery"];
const NOWIKI: usize = 0;
const PRE: usize = 1;

/// HTML tags authors may use inline; everything else shows as text.
const INLINE_TAGS: [&str; 22] = [
    "b", "i", "u", "s", "strike", "del", "ins", "sub", "sup", "small", "big", "tt", "kbd", "code",
    "em", "strong", "var", "samp", "q", "cite", "mark", "br",
];

/// Behaviour switches that MediaWiki removes from the text.
const MAGIC_WORDS: [&str; 15] = [
    "NOTOC",
    "FORCETOC",
    "TOC",
    "NOEDITSECTION",
    "NEWSECTIONLINK",
    "NONEWSECTIONLINK",
    "NOGALLERY",
    "HIDDENCAT",
    "NOINDEX",
    "INDEX",
    "STATICREDIRECT",
    "NOTITLECONVERT",
    "NOCONTENTCONVERT",
    "DISAMBIG",
    "EXPECTUNUSEDCATEGORY",
];

// ---------------------------------------------------------------------------
// Escaping, entities and URLs
// ---------------------------------------------------------------------------

/// Appends `s` as HTML text (safe in element content and quoted attributes).
fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    escape_into(&mut out, s);
    out
}

/// Named entities of HTML 4 for U+00A0..=U+00FF, in code point order.
const LATIN1_ENTITIES: [&str; 96] = [
    "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf",
    "laquo", "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro",
    "para", "middot", "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest",
    "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute",
    "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
    "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute",
    "THORN", "szlig", "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil",
    "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc", "iuml", "eth", "ntilde",
    "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave", "uacute", "ucirc",
    "uuml", "yacute", "thorn", "yuml",
];

/// Greek capitals U+0391..=U+03A9 (U+03A2 is unassigned).
const GREEK_UPPER_ENTITIES: [&str; 25] = [
    "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa",
    "Lambda", "Mu", "Nu", "Xi", "Omicron", "Pi", "Rho", "", "Sigma", "Tau", "Upsilon", "Phi",
    "Chi", "Psi", "Omega",
];

/// Greek small letters U+03B1..=U+03C9.
const GREEK_LOWER_ENTITIES: [&str; 25] = [
    "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
    "lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigmaf", "sigma", "tau", "upsilon", "phi",
    "chi", "psi", "omega",
];

const OTHER_ENTITIES: [(&str, char); 91] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("ndash", '–'),
    ("mdash", '—'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("sbquo", '‚'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("bdquo", '„'),
    ("dagger", '†'),
    ("Dagger", '‡'),
    ("bull", '•'),
    ("hellip", '…'),
    ("permil", '‰'),
    ("prime", '′'),
    ("Prime", '″'),
    ("lsaquo", '‹'),
    ("rsaquo", '›'),
    ("oline", '‾'),
    ("frasl", '⁄'),
    ("euro", '€'),
    ("trade", '™'),
    ("weierp", '℘'),
    ("image", 'ℑ'),
    ("real", 'ℜ'),
    ("alefsym", 'ℵ'),
    ("larr", '←'),
    ("uarr", '↑'),
    ("rarr", '→'),
    ("darr", '↓'),
    ("harr", '↔'),
    ("crarr", '↵'),
    ("lArr", '⇐'),
    ("uArr", '⇑'),
    ("rArr", '⇒'),
    ("dArr", '⇓'),
    ("hArr", '⇔'),
    ("forall", '∀'),
    ("part", '∂'),
    ("exist", '∃'),
    ("empty", '∅'),
    ("nabla", '∇'),
    ("isin", '∈'),
    ("notin", '∉'),
    ("ni", '∋'),
    ("prod", '∏'),
    ("sum", '∑'),
    ("minus", '−'),
    ("lowast", '∗'),
    ("radic", '√'),
    ("prop", '∝'),
    ("infin", '∞'),
    ("ang", '∠'),
    ("and", '∧'),
    ("or", '∨'),
    ("cap", '∩'),
    ("cup", '∪'),
    ("int", '∫'),
    ("there4", '∴'),
    ("sim", '∼'),
    ("cong", '≅'),
    ("asymp", '≈'),
    ("ne", '≠'),
    ("equiv", '≡'),
    ("le", '≤'),
    ("ge", '≥'),
    ("sub", '⊂'),
    ("sup", '⊃'),
    ("nsub", '⊄'),
    ("sube", '⊆'),
    ("supe", '⊇'),
    ("oplus", '⊕'),
    ("otimes", '⊗'),
    ("perp", '⊥'),
    ("sdot", '⋅'),
    ("loz", '◊'),
    ("spades", '♠'),
    ("clubs", '♣'),
    ("hearts", '♥'),
    ("diams", '♦'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("zwnj", '\u{200c}'),
    ("zwj", '\u{200d}'),
    ("lrm", '\u{200e}'),
    ("rlm", '\u{200f}'),
];

fn named_entity(name: &str) -> Option<char> {
    if name.is_empty() {
        return None;
    }
    let from_block = |names: &[&str], first: u32| {
        let i = names.iter().position(|n| *n == name)?;
        char::from_u32(first + u32::try_from(i).ok()?)
    };
    from_block(&LATIN1_ENTITIES, 0xA0)
        .or_else(|| from_block(&GREEK_UPPER_ENTITIES, 0x391))
        .or_else(|| from_block(&GREEK_LOWER_ENTITIES, 0x3B1))
        .or_else(|| {
            OTHER_ENTITIES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, c)| *c)
        })
}

/// Code points MediaWiki accepts in numeric character references; others
/// (NUL, most controls, surrogates) are shown as the literal reference.
fn valid_codepoint(code: u32) -> Option<char> {
    let ok =
        matches!(code, 0x09 | 0x0a | 0x0d | 0x20..=0xd7ff | 0xe000..=0xfffd | 0x10000..=0x10ffff);
    if ok {
        char::from_u32(code)
    } else {
        None
    }
}

/// Decodes the character reference at `s[i]` (an `&`): returns the character
/// and the index just past its `;`. Bounded look-ahead keeps `&&&…` linear.
fn entity_at(s: &str, i: usize) -> Option<(char, usize)> {
    let b = s.as_bytes();
    let mut j = i + 1;
    if b.get(j) == Some(&b'#') {
        j += 1;
        let hex = matches!(b.get(j), Some(b'x' | b'X'));
        if hex {
            j += 1;
        }
        let start = j;
        while j < b.len()
            && j - start < 8
            && (if hex {
                b[j].is_ascii_hexdigit()
            } else {
                b[j].is_ascii_digit()
            })
        {
            j += 1;
        }
        if j == start || b.get(j) != Some(&b';') {
            return None;
        }
        let code = u32::from_str_radix(&s[start..j], if hex { 16 } else { 10 }).ok()?;
        Some((valid_codepoint(code)?, j + 1))
    } else {
        let start = j;
        while j < b.len() && j - start < 32 && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j == start || b.get(j) != Some(&b';') {
            return None;
        }
        Some((named_entity(&s[start..j])?, j + 1))
    }
}

/// Replaces valid character references by their characters.
fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let (mut i, mut copied) = (0, 0);
    while let Some(off) = s[i..].find('&') {
        let amp = i + off;
        match entity_at(s, amp) {
            Some((c, end)) => {
                out.push_str(&s[copied..amp]);
                out.push(c);
                copied = end;
                i = end;
            }
            None => i = amp + 1,
        }
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

fn starts_with_ci(hay: &[u8], prefix: &[u8]) -> bool {
    hay.len() >= prefix.len() && hay[..prefix.len()].eq_ignore_ascii_case(prefix)
}

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
fn external_href(raw: &str) -> Option<String> {
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
fn link_html(href: &str, class: &str, label_html: &str) -> String {
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

/// Stand-in for an image: previews never load files.
fn file_placeholder(name: &str, caption_html: &str) -> String {
    let mut out = String::from("<span class=\"wt-file\"><span class=\"wt-file-name\">\u{1f5bc} ");
    escape_into(&mut out, &decode_entities(name.trim()));
    out.push_str("</span>");
    if !caption_html.is_empty() {
        out.push_str(" <span class=\"wt-file-caption\">");
        out.push_str(caption_html);
        out.push_str("</span>");
    }
    out.push_str("</span>");
    out
}

/// True for `[[File:…]]` / gallery parameters that are layout options rather
/// than the caption.
fn is_media_option(part: &str) -> bool {
    const WORDS: [&str; 22] = [
        "thumb",
        "thumbnail",
        "frame",
        "framed",
        "frameless",
        "border",
        "left",
        "right",
        "center",
        "centre",
        "none",
        "upright",
        "baseline",
        "sub",
        "super",
        "top",
        "text-top",
        "middle",
        "bottom",
        "text-bottom",
        "loop",
        "muted",
    ];
    const KEYS: [&str; 10] = [
        "upright=",
        "link=",
        "alt=",
        "page=",
        "class=",
        "lang=",
        "thumb=",
        "thumbnail=",
        "start=",
        "end=",
    ];
    // Compared in place: a caption can be most of the page, and is checked
    // once per level of nested file links.
    let p = part.trim().as_bytes();
    let (digits, unit) = p.split_at(p.len().saturating_sub(2));
    let size = !digits.is_empty()
        && unit.eq_ignore_ascii_case(b"px")
        && digits
            .iter()
            .all(|c| c.is_ascii_digit() || c.eq_ignore_ascii_case(&b'x'));
    size || WORDS.iter().any(|w| p.eq_ignore_ascii_case(w.as_bytes()))
        || KEYS.iter().any(|k| starts_with_ci(p, k.as_bytes()))
}

// ---------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------

/// Normalises `\r\n` and removes the characters this module reserves.
fn sanitize(src: &str) -> Cow<'_, str> {
    if !src.bytes().any(|b| matches!(b, MARK_B | b'\r' | 0)) {
        return Cow::Borrowed(src);
    }
    let mut out = String::with_capacity(src.len());
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' => out.push('\n'),
            MARK | '\0' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Parses `MARK digits MARK` at `b[i]`: the marker index and the end index.
fn marker_at(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let mut j = i + 1;
    let mut n: usize = 0;
    while j < b.len() && b[j].is_ascii_digit() {
        n = n.checked_mul(10)?.checked_add(usize::from(b[j] - b'0'))?;
        j += 1;
    }
    (j > i + 1 && b.get(j) == Some(&MARK_B)).then_some((n, j + 1))
}

fn find_bytes(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// If `b[lt..]` starts the tag `<name …>` (or `</name …>` when `closing`),
/// returns the index just past its `>` and whether it ends with `/>`.
fn match_tag(b: &[u8], lt: usize, name: &str, closing: bool) -> Option<(usize, bool)> {
    let mut j = lt + 1;
    if closing {
        if b.get(j) != Some(&b'/') {
            return None;
        }
        j += 1;
    }
    if !b
        .get(j..j + name.len())?
        .eq_ignore_ascii_case(name.as_bytes())
    {
        return None;
    }
    j += name.len();
    match *b.get(j)? {
        b'>' => Some((j + 1, false)),
        b'/' | b' ' | b'\t' | b'\n' => {
            let limit = (j + MAX_TAG_LEN).min(b.len());
            // A placeholder inside is content, never part of a tag.
            let p = (j..limit).find(|&k| matches!(b[k], b'>' | b'<' | MARK_B))?;
            (b[p] == b'>').then(|| (p + 1, b[p - 1] == b'/'))
        }
        _ => None,
    }
}

/// Finds `</name>` from `from`: its start and end.
fn find_close_tag(b: &[u8], from: usize, name: &str) -> Option<(usize, usize)> {
    let mut i = from;
    while let Some(start) = find_bytes(b, i, b"</") {
        if let Some((end, _)) = match_tag(b, start, name, true) {
            return Some((start, end));
        }
        i = start + 2;
    }
    None
}

/// Span to cut for a comment at `lt..end`. A comment alone on its line takes
/// the line with it (as in MediaWiki), so it does not split a paragraph.
fn comment_span(b: &[u8], copied: usize, lt: usize, end: usize) -> (usize, usize) {
    let mut ws_start = lt;
    while ws_start > copied && matches!(b[ws_start - 1], b' ' | b'\t') {
        ws_start -= 1;
    }
    let mut ws_end = end;
    while ws_end < b.len() && matches!(b[ws_end], b' ' | b'\t') {
        ws_end += 1;
    }
    if ws_start > copied && b[ws_start - 1] == b'\n' && b.get(ws_end) == Some(&b'\n') {
        (ws_start, ws_end + 1)
    } else {
        (lt, end)
    }
}

/// Removes `<nowiki>` tags inside `<pre>`, as MediaWiki does.
fn strip_nowiki_tags(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    if find_bytes(b, 0, b"<").is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let (mut i, mut copied) = (0, 0);
    while let Some(lt) = find_bytes(b, i, b"<") {
        let end = match_tag(b, lt, "nowiki", false).or_else(|| match_tag(b, lt, "nowiki", true));
        match end {
            Some((end, _)) => {
                out.push_str(&s[copied..lt]);
                copied = end;
                i = end;
            }
            None => i = lt + 1,
        }
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

/// Length of a `__MAGICWORD__` at the start of `b`.
fn magic_word_len(b: &[u8]) -> Option<usize> {
    let rest = b.get(2..)?;
    MAGIC_WORDS.iter().find_map(|w| {
        let n = w.len();
        (starts_with_ci(rest, w.as_bytes()) && rest.get(n..n + 2) == Some(b"__")).then_some(n + 4)
    })
}

/// Splits on `sep` (one or two bytes) outside `[[…]]`, so a pipe inside a
/// link never splits template arguments or table cells.
fn split_outside_links<'a>(s: &'a str, seps: &[&[u8]]) -> Vec<&'a str> {
    let b = s.as_bytes();
    let mut parts = Vec::new();
    let (mut depth, mut start, mut i) = (0usize, 0, 0);
    while i < b.len() {
        if b[i..].starts_with(b"[[") {
            depth += 1;
            i += 2;
        } else if b[i..].starts_with(b"]]") && depth > 0 {
            depth -= 1;
            i += 2;
        } else if let Some(sep) = seps
            .iter()
            .find(|sep| depth == 0 && b[i..].starts_with(sep))
        {
            parts.push(&s[start..i]);
            i += sep.len();
            start = i;
        } else {
            i += 1;
        }
    }
    parts.push(&s[start..]);
    parts
}

fn split_pipes(s: &str) -> Vec<&str> {
    split_outside_links(s, &[b"|"])
}

/// Index of the first `=` outside `[[…]]` (named template argument).
fn top_level_eq(s: &str) -> Option<usize> {
    let first = split_outside_links(s, &[b"="])[0];
    (first.len() < s.len()).then_some(first.len())
}

/// Position of the `:` that splits `;term : definition`, skipping links,
/// tags and `://`.
fn definition_colon(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let (mut depth, mut in_tag) = (0usize, false);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b':' if depth == 0 && !in_tag && !b[i + 1..].starts_with(b"//") => return Some(i),
            _ => {}
        }
    }
    None
}

/// Pairs every `[[` with its `]]` on the same line, in one pass: `(open,
/// close)` in the order of the opens, so the tokenizer walks them with a
/// cursor instead of hashing every position.
fn match_double_brackets(b: &[u8]) -> Vec<(usize, usize)> {
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
struct Pairs<'p> {
    list: &'p [(usize, usize)],
    base: usize,
}

impl<'p> Pairs<'p> {
    fn of(list: &'p [(usize, usize)]) -> Self {
        Pairs { list, base: 0 }
    }

    /// The `k`th pair, as positions in this text.
    fn get(&self, k: usize) -> Option<(usize, usize)> {
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
fn url_end(text: &str, from: usize) -> usize {
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

// ---------------------------------------------------------------------------
// Attributes
// ---------------------------------------------------------------------------

/// Parses `name="v" name='v' name=v name` pairs, leniently.
fn parse_attrs(raw: &str) -> Vec<(&str, &str)> {
    let b = raw.as_bytes();
    let is_name = |c: u8| c.is_ascii_alphanumeric() || b"-_:.".contains(&c);
    let mut attrs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !is_name(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_name(b[i]) {
            i += 1;
        }
        let name = &raw[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = find_bytes(b, i + 1, &[q]).unwrap_or(b.len());
                    value = &raw[i + 1..end];
                    i = end + 1;
                }
                Some(_) => {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = &raw[start..i];
                }
                None => {}
            }
        }
        attrs.push((name, value));
    }
    attrs
}

/// Keeps only the attributes a preview needs: `rowspan`/`colspan` with a
/// number (cells only) and `align` with a keyword. Everything else — `style`,
/// `class`, `on…` handlers — is dropped.
fn safe_attrs(raw: &str, cell: bool) -> String {
    let mut out = String::new();
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in parse_attrs(raw) {
        let name = name.to_ascii_lowercase();
        if seen.contains(&name) {
            continue;
        }
        let value = decode_entities(value);
        let value = value.trim();
        let kept = match name.as_str() {
            "rowspan" | "colspan" if cell => {
                let ok = !value.is_empty()
                    && value.len() <= 4
                    && value.bytes().all(|c| c.is_ascii_digit());
                ok.then(|| value.parse::<u32>().ok())
                    .flatten()
                    .filter(|n| (1..=1000).contains(n))
                    .map(|n| n.to_string())
            }
            "align" => {
                let v = value.to_ascii_lowercase();
                matches!(v.as_str(), "left" | "right" | "center").then_some(v)
            }
            _ => None,
        };
        if let Some(v) = kept {
            let _ = write!(out, " {name}=\"{v}\"");
            seen.push(name);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Renderer state and markers
// ---------------------------------------------------------------------------

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

struct Marker {
    /// Block-level output: splits a paragraph instead of sitting inside `<p>`.
    block: bool,
    /// The wikitext the marker replaced (may contain earlier markers), shown
    /// for unknown templates.
    source: String,
    kind: Kind,
}

#[derive(Default)]
struct Renderer {
    markers: Vec<Marker>,
    /// Counter for `[https://x]` links, shown as `[1]`, `[2]`…
    ext_links: usize,
    /// Current nesting of `blocks`/`inline` calls.
    depth: usize,
}

impl Renderer {
    fn add_marker(&mut self, out: &mut String, block: bool, source: String, kind: Kind) {
        let _ = write!(out, "{MARK}{}{MARK}", self.markers.len());
        self.markers.push(Marker {
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

    // -----------------------------------------------------------------------
    // Preprocessing
    // -----------------------------------------------------------------------

    fn preprocess(&mut self, src: &str) -> String {
        let clean = sanitize(src);
        let text = self.extract_raw_tags(&clean);
        let text = self.extract_blockquotes(&text);
        self.expand_templates(&text)
    }

    /// Preprocesses already-sanitized text (gallery captions) and renders it inline.
    fn inline_source(&mut self, raw: &str) -> String {
        let text = self.extract_raw_tags(raw);
        let text = self.extract_blockquotes(&text);
        let text = self.expand_templates(&text);
        self.inline(&text, true)
    }

    /// Drops comments and replaces `<nowiki>`, `<pre>`, `<gallery>` elements by
    /// markers, left to right, so whichever starts first wins. An opening tag
    /// without a closing one stays literal text (MediaWiki does the same),
    /// and is remembered so the search is not repeated.
    fn extract_raw_tags(&mut self, s: &str) -> String {
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let (mut i, mut copied) = (0, 0);
        let mut unclosed = [false; RAW_TAGS.len()];
        while let Some(lt) = find_bytes(b, i, b"<") {
            if b[lt..].starts_with(b"<!--") {
                let end = find_bytes(b, lt + 4, b"-->").map_or(b.len(), |p| p + 3);
                let (cut_start, cut_end) = comment_span(b, copied, lt, end);
                out.push_str(&s[copied..cut_start]);
                copied = cut_end;
                i = cut_end;
                continue;
            }
            let opened = RAW_TAGS
                .iter()
                .enumerate()
                .find_map(|(t, name)| match_tag(b, lt, name, false).map(|(end, sc)| (t, end, sc)));
            if let Some((tag, open_end, self_closing)) = opened {
                let close = if self_closing {
                    Some((open_end, open_end))
                } else if unclosed[tag] {
                    None
                } else {
                    find_close_tag(b, open_end, RAW_TAGS[tag])
                };
                match close {
                    Some((close_start, close_end)) => {
                        out.push_str(&s[copied..lt]);
                        let content = &s[open_end..close_start];
                        self.raw_tag_marker(&mut out, tag, content, &s[lt..close_end]);
                        copied = close_end;
                        i = close_end;
                        continue;
                    }
                    None => unclosed[tag] = true,
                }
            }
            i = lt + 1;
        }
        out.push_str(&s[copied..]);
        out
    }

    fn raw_tag_marker(&mut self, out: &mut String, tag: usize, content: &str, source: &str) {
        let (block, kind) = match tag {
            // Entities inside nowiki and pre still render, tags do not.
            NOWIKI => (false, Kind::Html(escape(&decode_entities(content)))),
            PRE => {
                let text = decode_entities(&strip_nowiki_tags(content)).into_owned();
                (true, Kind::Html(format!("<pre>{}</pre>\n", escape(&text))))
            }
            _ => (true, Kind::Gallery(content.to_string())),
        };
        self.add_marker(out, block, source.to_string(), kind);
    }

    /// Replaces `<blockquote>…</blockquote>` (nesting allowed, unclosed ones
    /// run to the end) by block markers, so a quote can hold paragraphs.
    fn extract_blockquotes(&mut self, s: &str) -> String {
        let b = s.as_bytes();
        if !b
            .windows(11)
            .any(|w| w.eq_ignore_ascii_case(b"<blockquote"))
        {
            return s.to_string();
        }
        let mut stack = vec![String::with_capacity(s.len())];
        let (mut i, mut copied) = (0, 0);
        while let Some(lt) = find_bytes(b, i, b"<") {
            if stack.len() <= MAX_NESTING {
                if let Some((end, _)) = match_tag(b, lt, "blockquote", false) {
                    push_top(&mut stack, &s[copied..lt]);
                    stack.push(String::new());
                    copied = end;
                    i = end;
                    continue;
                }
            }
            if stack.len() > 1 {
                if let Some((end, _)) = match_tag(b, lt, "blockquote", true) {
                    push_top(&mut stack, &s[copied..lt]);
                    self.close_blockquote(&mut stack);
                    copied = end;
                    i = end;
                    continue;
                }
            }
            i = lt + 1;
        }
        push_top(&mut stack, &s[copied..]);
        while stack.len() > 1 {
            self.close_blockquote(&mut stack);
        }
        stack.pop().unwrap_or_default()
    }

    fn close_blockquote(&mut self, stack: &mut Vec<String>) {
        let inner = stack.pop().unwrap_or_default();
        let source = format!("<blockquote>{inner}</blockquote>");
        if let Some(top) = stack.last_mut() {
            self.add_marker(top, true, source, Kind::Blockquote(inner));
        }
    }

    /// Replaces `{{…}}` by markers, innermost first, using a stack of buffers
    /// (one pass, no rescanning). Also removes `__TOC__`-style switches.
    fn expand_templates(&mut self, s: &str) -> String {
        let b = s.as_bytes();
        let mut stack = vec![String::with_capacity(s.len())];
        let (mut i, mut copied) = (0, 0);
        while i + 1 < b.len() {
            match (b[i], b[i + 1]) {
                (b'{', b'{') if stack.len() <= MAX_NESTING => {
                    push_top(&mut stack, &s[copied..i]);
                    stack.push(String::new());
                    i += 2;
                    copied = i;
                }
                (b'}', b'}') if stack.len() > 1 => {
                    push_top(&mut stack, &s[copied..i]);
                    let raw = stack.pop().unwrap_or_default();
                    let top_level = stack.len() == 1;
                    if let Some(top) = stack.last_mut() {
                        self.push_template(top, raw, top_level);
                    }
                    i += 2;
                    copied = i;
                }
                (b'_', b'_') => match magic_word_len(&b[i..]) {
                    Some(len) => {
                        push_top(&mut stack, &s[copied..i]);
                        i += len;
                        copied = i;
                    }
                    None => i += 1,
                },
                _ => i += 1,
            }
        }
        push_top(&mut stack, &s[copied..]);
        // Unclosed `{{` are plain text.
        while stack.len() > 1 {
            let inner = stack.pop().unwrap_or_default();
            push_top(&mut stack, "{{");
            push_top(&mut stack, &inner);
        }
        stack.pop().unwrap_or_default()
    }

    fn push_template(&mut self, out: &mut String, raw: String, top_level: bool) {
        let name = template_name(split_pipes(&raw)[0]);
        let literal = match name.as_str() {
            "!" => Some("|"),
            "=" => Some("="),
            _ => None,
        };
        match literal {
            // At top level `{{!}}` is a real pipe (it can split table cells,
            // as on the wiki); inside another template it must stay text.
            Some(c) if top_level => out.push_str(c),
            Some(c) => self.add_marker(out, false, format!("{{{{{raw}}}}}"), Kind::Html(c.into())),
            None => {
                let block = is_block_template(&name);
                self.add_marker(out, block, format!("{{{{{raw}}}}}"), Kind::Template);
            }
        }
    }

    // -----------------------------------------------------------------------
    // Templates
    // -----------------------------------------------------------------------

    fn template(&mut self, raw: &str) -> String {
        let parts = split_pipes(raw);
        let name = template_name(parts[0]);
        let args = Args::parse(&parts[1..]);
        let rendered = match name.as_str() {
            "phabt" | "phab" | "phabricator" | "task" => args.get("1").and_then(phab_link),
            "gerrit" => args.get("1").and_then(gerrit_link),
            "done" => Some("<span class=\"wt-done\">\u{2714} Done</span>".to_string()),
            "not done" => Some("<span class=\"wt-notdone\">\u{2718} Not done</span>".to_string()),
            "toc" | "toc right" | "toc left" => Some(String::new()),
            "irdoc" => {
                let status = args.get("status").or_else(|| args.get("1"));
                Some(status_banner(status.map(|s| self.source(s)).as_deref()))
            }
            "irdoc-draft" => Some(status_banner(Some("draft"))),
            "irdoc-review" => Some(status_banner(Some("review"))),
            "irdoc-final" => Some(status_banner(Some("final"))),
            "incident scorecard" => Some(self.scorecard(&args)),
            "note" | "todo" => Some(self.note_box(&name, &args)),
            _ => None,
        };
        rendered.unwrap_or_else(|| {
            let source = self.source(&format!("{{{{{raw}}}}}"));
            format!("<span class=\"tpl\">{}</span>", escape(&source))
        })
    }

    /// Renders a template argument: inline unless it spans lines.
    fn fragment(&mut self, text: &str) -> String {
        let text = text.trim();
        if text.contains('\n') {
            self.blocks(text)
        } else {
            self.inline(text, true)
        }
    }

    /// The `{{Incident scorecard}}` metadata box as a definition table.
    fn scorecard(&mut self, args: &Args<'_>) -> String {
        const FIELDS: [(&str, &str); 8] = [
            ("task", "Task"),
            ("paged-num", "People paged"),
            ("responders-num", "Responder count"),
            ("coordinators", "Coordinators"),
            ("start", "Start"),
            ("end", "End"),
            ("metrics", "Affected metrics/SLOs"),
            ("impact", "Impact"),
        ];
        let mut out = String::from(
            "<table class=\"wt-scorecard\"><caption>Incident scorecard</caption><tbody>",
        );
        let known = FIELDS
            .iter()
            .filter_map(|&(key, label)| Some((label.to_string(), key, args.get(key)?)));
        let extra = args
            .named
            .iter()
            .filter(|(k, _)| !FIELDS.iter().any(|(f, _)| f == k))
            .map(|(k, v)| (self.source(k), "", *v));
        let rows: Vec<(String, &str, &str)> = known.chain(extra).collect();
        for (label, key, value) in rows {
            let html = match (key, phab_link(value)) {
                ("task", Some(link)) => link,
                _ => self.fragment(value),
            };
            out.push_str("<tr><th>");
            escape_into(&mut out, &label);
            out.push_str("</th><td>");
            out.push_str(&html);
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>\n");
        out
    }

    fn note_box(&mut self, name: &str, args: &Args<'_>) -> String {
        let text = args.get("text").or_else(|| args.get("1")).unwrap_or("");
        let body = self.fragment(text);
        if name == "todo" {
            format!("<div class=\"wt-note wt-todo\"><b>To do:</b> {body}</div>\n")
        } else {
            format!("<div class=\"wt-note\">{body}</div>\n")
        }
    }

    fn gallery(&mut self, content: &str) -> String {
        let mut out = String::from("<div class=\"wt-gallery\">");
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
            let name = if name.contains(':') {
                name.to_string()
            } else {
                format!("File:{name}")
            };
            out.push_str(&file_placeholder(&name, &caption_html));
        }
        out.push_str("</div>\n");
        out
    }

    // -----------------------------------------------------------------------
    // Block level
    // -----------------------------------------------------------------------

    /// Renders block-level wikitext (already preprocessed).
    fn blocks(&mut self, text: &str) -> String {
        let lines = Lines::new(text);
        self.block_lines(&lines, 0..lines.text.len())
    }

    /// Renders the block-level lines in `range`. Table cells pass their range
    /// of the same lines, so nested tables are neither copied nor searched
    /// again at every level.
    fn block_lines(&mut self, lines: &Lines<'_>, range: Range<usize>) -> String {
        if self.depth >= MAX_DEPTH {
            return self.plain(&lines.text[range].join("\n"));
        }
        self.depth += 1;
        let mut st = BlockState::default();
        let mut i = range.start;
        while i < range.end {
            let line = lines.text[i];
            if let Some(indent) = table_indent(line) {
                self.flush(&mut st);
                let end = lines.table_end[i].min(range.end);
                let table = self.table(lines, i..end);
                st.out.push_str(&"<dl><dd>".repeat(indent));
                st.out.push_str(&table);
                st.out.push_str(&"</dd></dl>".repeat(indent));
                i = end;
                continue;
            }
            i += 1;
            if let Some((level, content)) = heading(line) {
                self.flush(&mut st);
                let html = self.inline(content.trim(), true);
                let _ = writeln!(st.out, "<h{level}>{html}</h{level}>");
            } else if line.starts_with("----") {
                self.flush(&mut st);
                st.out.push_str("<hr>\n");
                let rest = line.trim_start_matches('-');
                if !rest.trim().is_empty() {
                    st.para.push(rest);
                }
            } else if let Some(n) = list_prefix_len(line) {
                self.flush_para(&mut st);
                self.flush_pre(&mut st);
                self.list_item(&mut st, &line.as_bytes()[..n], &line[n..]);
            } else {
                close_lists(&mut st);
                self.text_line(&mut st, line);
            }
        }
        self.flush(&mut st);
        self.depth -= 1;
        st.out
    }

    /// A line that is not a heading, list, rule or table.
    fn text_line<'a>(&mut self, st: &mut BlockState<'a>, line: &'a str) {
        let blank = line.trim().is_empty();
        let indented = line.starts_with(' ') && (!blank || !st.pre.is_empty());
        if indented && !self.has_block_marker(line) {
            self.flush_para(st);
            st.pre.push(&line[1..]);
        } else if blank {
            self.flush_para(st);
            self.flush_pre(st);
        } else {
            self.flush_pre(st);
            st.para.push(line);
        }
    }

    fn has_block_marker(&self, line: &str) -> bool {
        let b = line.as_bytes();
        let mut i = 0;
        while let Some(p) = find_bytes(b, i, &[MARK_B]) {
            match marker_at(b, p) {
                Some((idx, _)) if self.is_block(idx) => return true,
                Some((_, end)) => i = end,
                None => i = p + 1,
            }
        }
        false
    }

    fn flush(&mut self, st: &mut BlockState<'_>) {
        self.flush_para(st);
        self.flush_pre(st);
        close_lists(st);
    }

    fn flush_para(&mut self, st: &mut BlockState<'_>) {
        if st.para.is_empty() {
            return;
        }
        let text = st.para.join("\n");
        st.para.clear();
        self.paragraph(&text, &mut st.out);
    }

    fn flush_pre(&mut self, st: &mut BlockState<'_>) {
        if st.pre.is_empty() {
            return;
        }
        let text = st.pre.join("\n");
        st.pre.clear();
        let html = self.inline(&text, true);
        let _ = writeln!(st.out, "<pre>{html}</pre>");
    }

    /// Wraps text in `<p>`, but emits block markers (boxes, tables, `<pre>`)
    /// between paragraphs: a `<div>` inside `<p>` would be torn apart by the
    /// browser.
    fn paragraph(&mut self, text: &str, out: &mut String) {
        let b = text.as_bytes();
        let (mut i, mut segment) = (0, 0);
        while let Some(p) = find_bytes(b, i, &[MARK_B]) {
            match marker_at(b, p) {
                Some((idx, end)) if self.is_block(idx) => {
                    self.inline_paragraph(&text[segment..p], out);
                    let html = self.realize(idx);
                    out.push_str(&html);
                    segment = end;
                    i = end;
                }
                Some((_, end)) => i = end,
                None => i = p + 1,
            }
        }
        self.inline_paragraph(&text[segment..], out);
    }

    fn inline_paragraph(&mut self, text: &str, out: &mut String) {
        let text = text.trim();
        if !text.is_empty() {
            let html = self.inline(text, true);
            out.reserve(html.len() + 8);
            let _ = writeln!(out, "<p>{html}</p>");
        }
    }

    /// One `*#:;` line, following MediaWiki's list algorithm: keep the common
    /// prefix open, close deeper levels, open new ones.
    fn list_item(&mut self, st: &mut BlockState<'_>, prefix: &[u8], content: &str) {
        let common = st
            .lists
            .iter()
            .zip(prefix)
            .take_while(|(a, b)| list_kind(**a) == list_kind(**b))
            .count();
        if common == prefix.len() && common == st.lists.len() {
            next_item(st, prefix[common - 1]);
        } else {
            while st.lists.len() > common {
                if let Some(c) = st.lists.pop() {
                    st.out.push_str(close_list(c));
                }
            }
            if prefix.len() <= common && common > 0 {
                next_item(st, prefix[common - 1]);
            } else if common > 0 && st.lists[common - 1] == b';' && prefix[common - 1] == b':' {
                // `;term` followed by `::x`: the definition starts, then nests.
                next_item(st, b':');
            }
            for &c in &prefix[common..] {
                st.out.push_str(open_list(c));
                st.lists.push(c);
            }
        }
        if st.lists.last() == Some(&b';') {
            if let Some(colon) = definition_colon(content) {
                let term = self.inline(content[..colon].trim(), true);
                st.out.push_str(&term);
                next_item(st, b':');
                let definition = self.inline(content[colon + 1..].trim(), true);
                st.out.push_str(&definition);
                return;
            }
        }
        let html = self.inline(content.trim(), true);
        st.out.push_str(&html);
    }

    /// Renders the `{| … |}` table at `range` of `lines` (its first line is
    /// the `{|`). Nested tables are skipped over whole: they belong to the
    /// cell they are in and are rendered with it.
    fn table(&mut self, lines: &Lines<'_>, range: Range<usize>) -> String {
        let mut t = TableParts::default();
        // Start of the lines since the last table syntax.
        let mut run = range.start + 1;
        let mut k = run;
        while k < range.end {
            let raw = lines.text[k];
            if table_indent(raw).is_some() {
                k = lines.table_end[k].min(range.end);
                continue;
            }
            let line = raw.trim();
            k += 1;
            if !line.starts_with(['|', '!']) {
                continue;
            }
            t.continue_slot(run..k - 1);
            run = k;
            if let Some(rest) = line.strip_prefix("|}") {
                t.after = rest;
                break;
            } else if let Some(rest) = line.strip_prefix("|-") {
                t.rows.push(Row {
                    attrs: safe_attrs(rest.trim_start_matches('-'), false),
                    cells: Vec::new(),
                });
                t.slot = Slot::Stray;
            } else if let Some(rest) = line.strip_prefix("|+") {
                t.caption = Some(Cell::parse(rest, false));
                t.slot = Slot::Caption;
            } else if let Some(rest) = line.strip_prefix('|') {
                t.add_cells(split_outside_links(rest, &[b"||"]), false);
            } else if let Some(rest) = line.strip_prefix('!') {
                t.add_cells(split_outside_links(rest, &[b"||", b"!!"]), true);
            }
        }
        t.continue_slot(run..k);
        self.render_table(lines, t)
    }

    fn render_table(&mut self, lines: &Lines<'_>, t: TableParts<'_>) -> String {
        let mut out = String::new();
        // Text outside cells: browsers move it before the table too.
        for run in t.stray.iter().filter(|run| !lines.is_blank(run)) {
            out.push_str(&self.block_lines(lines, run.clone()));
        }
        out.push_str("<table class=\"wt-table\">");
        if let Some(caption) = &t.caption {
            let html = self.cell_body(lines, caption);
            let _ = write!(out, "<caption>{html}</caption>");
        }
        out.push_str("<tbody>");
        for row in t.rows.iter().filter(|r| !r.cells.is_empty()) {
            let _ = write!(out, "<tr{}>", row.attrs);
            for cell in &row.cells {
                let tag = if cell.header { "th" } else { "td" };
                let html = self.cell_body(lines, cell);
                let _ = write!(out, "<{tag}{}>{html}</{tag}>", cell.attrs);
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
        if !t.after.trim().is_empty() {
            self.paragraph(t.after, &mut out);
        }
        out
    }

    /// The first line of a cell is inline text; following lines are blocks
    /// (so `!Answer` + `(yes/no)` shows on two lines, as on the wiki).
    fn cell_body(&mut self, lines: &Lines<'_>, cell: &Cell<'_>) -> String {
        let mut html = self.inline(cell.first.trim(), true);
        if !lines.is_blank(&cell.rest) {
            html.push_str(&self.block_lines(lines, cell.rest.clone()));
        }
        html
    }

    // -----------------------------------------------------------------------
    // Inline level
    // -----------------------------------------------------------------------

    /// Renders inline wikitext (already preprocessed). Newlines are kept;
    /// `''`/`'''` are balanced per line, HTML tags per call. `links` is false
    /// inside link labels (no links in links).
    fn inline(&mut self, text: &str, links: bool) -> String {
        self.inline_with(text, links, None)
    }

    /// [`Self::inline`], with the `[[…]]` pairs of `text` when they are known
    /// already (a file caption reuses those of the text around it).
    fn inline_with(&mut self, text: &str, links: bool, pairs: Option<Pairs<'_>>) -> String {
        if self.depth >= MAX_DEPTH {
            return self.plain(text);
        }
        self.depth += 1;
        let mut toks = self.tokenize(text, links, pairs);
        balance_quotes(&mut toks);
        let html = emit(toks);
        self.depth -= 1;
        html
    }

    fn tokenize(&mut self, text: &str, links: bool, pairs: Option<Pairs<'_>>) -> Vec<Tok> {
        let b = text.as_bytes();
        let found;
        let pairs = match pairs {
            Some(pairs) => pairs,
            None => {
                found = if links {
                    match_double_brackets(b)
                } else {
                    Vec::new()
                };
                Pairs::of(&found)
            }
        };
        // The first pair not passed yet.
        let mut next = 0;
        let mut toks = Tokens::default();
        let mut no_bracket = (usize::MAX, 0);
        let (mut i, mut plain) = (0, 0);
        while i < b.len() {
            let found = match b[i] {
                MARK_B => marker_at(b, i).map(|(idx, end)| (Tok::Html(self.realize(idx)), end)),
                b'\n' => Some((Tok::Newline, i + 1)),
                b'\'' => quote_token(text, i),
                b'[' if links => {
                    // Skip the pairs that opened inside text already consumed.
                    while pairs.get(next).is_some_and(|(open, _)| open < i) {
                        next += 1;
                    }
                    match pairs.get(next) {
                        Some((open, close)) if open == i => {
                            next += 1;
                            self.internal_link(text, i, close, pairs)
                        }
                        _ => self.external_link(text, i, &mut no_bracket),
                    }
                }
                b'<' => inline_tag(text, i),
                b'&' => entity_at(text, i)
                    .map(|(c, end)| (Tok::Text(escape(c.encode_utf8(&mut [0; 4]))), end)),
                b'h' | b'H' if links => free_url(text, i),
                _ => None,
            };
            match found {
                Some((tok, end)) => {
                    toks.text(&text[plain..i]);
                    toks.push(tok);
                    i = end;
                    plain = end;
                }
                None => i += 1,
            }
        }
        toks.text(&text[plain..]);
        toks.0
    }

    /// `[[target|label]]` at `text[i..close+2]`, `pairs` those of `text`.
    /// `None` leaves it as text.
    fn internal_link(
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
            Some(l) if !l.trim().is_empty() => self.inline(l.trim(), false),
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
        file_placeholder(&name, &caption_html)
    }

    /// `[url label]` or `[url]` at `text[i]`. `no_bracket` remembers a line
    /// tail known to hold no `]`, so `[http://a [http://a …` stays linear.
    fn external_link(
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

/// Appends to the innermost buffer of a stack that always has one.
fn push_top(stack: &mut [String], s: &str) {
    if let Some(top) = stack.last_mut() {
        top.push_str(s);
    }
}

/// Canonical template name: trimmed, `_` as space, case-insensitive.
fn template_name(raw: &str) -> String {
    let words: Vec<String> = raw
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let name = words.join(" ");
    match name.strip_prefix("template:") {
        Some(rest) => rest.trim_start().to_string(),
        None => name,
    }
}

fn is_block_template(name: &str) -> bool {
    matches!(
        name,
        "incident scorecard"
            | "note"
            | "todo"
            | "irdoc"
            | "irdoc-draft"
            | "irdoc-review"
            | "irdoc-final"
            | "toc"
            | "toc right"
            | "toc left"
    )
}

/// Template arguments: `name = value` (trimmed) or positional.
struct Args<'a> {
    named: Vec<(String, &'a str)>,
    positional: Vec<&'a str>,
}

impl<'a> Args<'a> {
    fn parse(parts: &[&'a str]) -> Self {
        let mut args = Args {
            named: Vec::new(),
            positional: Vec::new(),
        };
        for part in parts {
            match top_level_eq(part) {
                Some(eq) => args
                    .named
                    .push((part[..eq].trim().to_lowercase(), part[eq + 1..].trim())),
                None => args.positional.push(part.trim()),
            }
        }
        args
    }

    fn get(&self, key: &str) -> Option<&'a str> {
        if let Some((_, v)) = self.named.iter().find(|(k, _)| k == key) {
            return Some(v);
        }
        let n: usize = key.parse().ok()?;
        self.positional.get(n.checked_sub(1)?).copied()
    }
}

/// Link to a Phabricator task: `390630`, `T390630`, `T381771#10391988`.
fn phab_link(id: &str) -> Option<String> {
    let id = id.trim();
    let (main, fragment) = match id.split_once('#') {
        Some((m, f)) => (m, Some(f)),
        None => (id, None),
    };
    let digits = main.strip_prefix(['T', 't']).unwrap_or(main);
    let digits_ok =
        !digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|c| c.is_ascii_digit());
    if !digits_ok || fragment.is_some_and(|f| !f.bytes().all(|c| c.is_ascii_alphanumeric())) {
        return None;
    }
    let label = match fragment {
        Some(f) => format!("T{digits}#{f}"),
        None => format!("T{digits}"),
    };
    Some(link_html(
        &format!("{PHAB_BASE}{label}"),
        "wt-ext wt-phab",
        &escape(&label),
    ))
}

/// Link to a Gerrit change by number or Change-Id.
fn gerrit_link(id: &str) -> Option<String> {
    let id = id.trim();
    if id.is_empty() || id.len() > 41 || !id.bytes().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let path = if id.bytes().all(|c| c.is_ascii_digit()) {
        "c/"
    } else {
        "q/"
    };
    Some(link_html(
        &format!("{GERRIT_BASE}{path}{id}"),
        "wt-ext wt-gerrit",
        &escape(id),
    ))
}

fn status_banner(status: Option<&str>) -> String {
    let status = status.unwrap_or("").trim().to_ascii_lowercase();
    let text = match status.as_str() {
        "draft" => "Draft — this incident report is still being written.",
        "review" => "In review — this incident report is ready for review.",
        "final" => "Final — this incident report has been reviewed.",
        _ => {
            return format!(
                "<div class=\"wt-banner wt-status-unknown\">Incident report status: {}</div>\n",
                escape(&status)
            )
        }
    };
    format!("<div class=\"wt-banner wt-status-{status}\">{text}</div>\n")
}

// ---------------------------------------------------------------------------
// Block helpers
// ---------------------------------------------------------------------------

/// The lines of a block-level text, with where each table among them ends,
/// found in one pass: nested tables are not searched again at every level.
struct Lines<'a> {
    text: Vec<&'a str>,
    /// For a line that opens a table, the index just past its `|}` (or the
    /// number of lines when it is never closed).
    table_end: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let text: Vec<&str> = text.split('\n').collect();
        let mut table_end = vec![text.len(); text.len()];
        let mut open = Vec::new();
        for (k, line) in text.iter().enumerate() {
            if table_indent(line).is_some() {
                open.push(k);
            } else if line.trim_start().starts_with("|}") {
                if let Some(start) = open.pop() {
                    table_end[start] = k + 1;
                }
            }
        }
        Lines { text, table_end }
    }

    fn is_blank(&self, range: &Range<usize>) -> bool {
        self.text[range.clone()].iter().all(|l| l.trim().is_empty())
    }
}

#[derive(Default)]
struct BlockState<'a> {
    out: String,
    para: Vec<&'a str>,
    pre: Vec<&'a str>,
    /// Open lists, outermost first: the character of each level's open item.
    lists: Vec<u8>,
}

/// `==x==` … `======x======`, levels from the shorter `=` run (MediaWiki).
fn heading(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_end_matches([' ', '\t']);
    if !t.starts_with('=') || !t.ends_with('=') {
        return None;
    }
    let lead = t.bytes().take_while(|&c| c == b'=').count();
    let trail = t.bytes().rev().take_while(|&c| c == b'=').count();
    let mut level = lead.min(trail).min(6);
    if t.len() < 2 * level + 1 {
        level = (t.len() - 1) / 2;
    }
    (level > 0).then(|| (level, &t[level..t.len() - level]))
}

/// Length of a list line's `*#:;` prefix, at most [`MAX_NESTING`]: what
/// follows is the item's text.
fn list_prefix_len(line: &str) -> Option<usize> {
    let n = line
        .bytes()
        .take(MAX_NESTING)
        .take_while(|c| b"*#:;".contains(c))
        .count();
    (n > 0).then_some(n)
}

/// `;` and `:` share a `<dl>`.
fn list_kind(c: u8) -> u8 {
    if c == b';' {
        b':'
    } else {
        c
    }
}

fn open_list(c: u8) -> &'static str {
    match c {
        b'*' => "<ul><li>",
        b'#' => "<ol><li>",
        b';' => "<dl><dt>",
        _ => "<dl><dd>",
    }
}

fn open_item(c: u8) -> &'static str {
    match c {
        b';' => "<dt>",
        b':' => "<dd>",
        _ => "<li>",
    }
}

fn close_item(c: u8) -> &'static str {
    match c {
        b';' => "</dt>",
        b':' => "</dd>",
        _ => "</li>",
    }
}

fn close_list(c: u8) -> &'static str {
    match c {
        b'*' => "</li></ul>\n",
        b'#' => "</li></ol>\n",
        b';' => "</dt></dl>\n",
        _ => "</dd></dl>\n",
    }
}

fn next_item(st: &mut BlockState<'_>, c: u8) {
    if let Some(top) = st.lists.last_mut() {
        st.out.push_str(close_item(*top));
        st.out.push('\n');
        st.out.push_str(open_item(c));
        *top = c;
    }
}

fn close_lists(st: &mut BlockState<'_>) {
    while let Some(c) = st.lists.pop() {
        st.out.push_str(close_list(c));
    }
}

/// `{|`, optionally indented by up to [`MAX_NESTING`] `:` (number of colons
/// returned). A deeper indent is a list line whose text starts with `:`.
fn table_indent(line: &str) -> Option<usize> {
    let colons = line
        .bytes()
        .take(MAX_NESTING + 1)
        .take_while(|&c| c == b':')
        .count();
    (colons <= MAX_NESTING && line[colons..].trim_start().starts_with("{|")).then_some(colons)
}

struct Cell<'a> {
    header: bool,
    attrs: String,
    first: &'a str,
    /// The lines that continue it, in the table's [`Lines`].
    rest: Range<usize>,
}

impl<'a> Cell<'a> {
    /// `attrs | content` or `content`; like MediaWiki, a `[[` before the first
    /// pipe means the pipe belongs to a link.
    fn parse(s: &'a str, header: bool) -> Self {
        let (attrs, first) = match s.split_once('|') {
            Some((a, c)) if !a.contains("[[") && !a.contains(MARK) => (safe_attrs(a, true), c),
            _ => (String::new(), s),
        };
        Cell {
            header,
            attrs,
            first,
            rest: 0..0,
        }
    }
}

struct Row<'a> {
    attrs: String,
    cells: Vec<Cell<'a>>,
}

/// Where a line that is not table syntax belongs.
#[derive(Clone, Copy, Default)]
enum Slot {
    #[default]
    Stray,
    Caption,
    Cell,
}

#[derive(Default)]
struct TableParts<'a> {
    caption: Option<Cell<'a>>,
    rows: Vec<Row<'a>>,
    /// Runs of lines outside any cell.
    stray: Vec<Range<usize>>,
    after: &'a str,
    slot: Slot,
}

impl<'a> TableParts<'a> {
    fn add_cells(&mut self, cells: Vec<&'a str>, header: bool) {
        if self.rows.is_empty() {
            self.rows.push(Row {
                attrs: String::new(),
                cells: Vec::new(),
            });
        }
        if let Some(row) = self.rows.last_mut() {
            row.cells
                .extend(cells.into_iter().map(|c| Cell::parse(c, header)));
        }
        self.slot = Slot::Cell;
    }

    /// Gives the lines since the last table syntax to the cell or caption
    /// they continue, or to the stray text.
    fn continue_slot(&mut self, lines: Range<usize>) {
        if lines.is_empty() {
            return;
        }
        let continued = match self.slot {
            Slot::Caption => self.caption.as_mut(),
            Slot::Cell => self.rows.last_mut().and_then(|r| r.cells.last_mut()),
            Slot::Stray => None,
        };
        match continued {
            Some(cell) => cell.rest = lines,
            None => self.stray.push(lines),
        }
    }
}

// ---------------------------------------------------------------------------
// Inline tokens and emission
// ---------------------------------------------------------------------------

enum Tok {
    /// Escaped text.
    Text(String),
    /// Generated HTML, balanced on its own.
    Html(String),
    /// A run of apostrophes: `len` 2 (italic), 3 (bold) or 5 (both), after
    /// `apos` literal apostrophes. `x1`, `x2` are the two characters before,
    /// for MediaWiki's rule that picks which `'''` is really `'` + `''`.
    Quote {
        len: u8,
        apos: usize,
        x1: Option<char>,
        x2: Option<char>,
    },
    Open(&'static str),
    /// Closing tag, with its escaped source for when nothing is open.
    Close(&'static str, String),
    Newline,
}

#[derive(Default)]
struct Tokens(Vec<Tok>);

impl Tokens {
    fn text(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        if let Some(Tok::Text(t)) = self.0.last_mut() {
            escape_into(t, s);
        } else {
            self.0.push(Tok::Text(escape(s)));
        }
    }

    fn push(&mut self, tok: Tok) {
        match (tok, self.0.last_mut()) {
            (Tok::Text(s), Some(Tok::Text(t))) => t.push_str(&s),
            (tok, _) => self.0.push(tok),
        }
    }
}

fn quote_token(text: &str, i: usize) -> Option<(Tok, usize)> {
    let b = text.as_bytes();
    let n = b[i..].iter().take_while(|&&c| c == b'\'').count();
    if n < 2 {
        return None;
    }
    let (len, apos) = match n {
        4 => (3, 1),
        2 | 3 | 5 => (n as u8, 0),
        _ => (5, n - 5),
    };
    let mut before = text[..i].chars().rev().take_while(|&c| c != '\n');
    let (x1, x2) = match apos {
        0 => {
            let x1 = before.next();
            (x1, before.next())
        }
        1 => (Some('\''), before.next()),
        _ => (Some('\''), Some('\'')),
    };
    Some((Tok::Quote { len, apos, x1, x2 }, i + n))
}

/// An allow-listed inline tag at `text[i]` (a `<`).
fn inline_tag(text: &str, i: usize) -> Option<(Tok, usize)> {
    let b = text.as_bytes();
    let mut j = i + 1;
    let closing = b.get(j) == Some(&b'/');
    if closing {
        j += 1;
    }
    let start = j;
    while j < b.len() && b[j].is_ascii_alphanumeric() && j - start < 12 {
        j += 1;
    }
    let name = INLINE_TAGS
        .iter()
        .find(|t| t.eq_ignore_ascii_case(&text[start..j]))
        .copied()?;
    let end = match *b.get(j)? {
        b'>' => j + 1,
        b'/' | b' ' | b'\t' => {
            let limit = (j + MAX_TAG_LEN).min(b.len());
            // A placeholder inside is content, never part of a tag.
            let p = (j..limit).find(|&k| matches!(b[k], b'>' | b'<' | b'\n' | MARK_B))?;
            if b[p] != b'>' {
                return None;
            }
            p + 1
        }
        _ => return None,
    };
    let tok = if name == "br" {
        Tok::Html("<br>".into())
    } else if closing {
        Tok::Close(name, escape(&text[i..end]))
    } else if b[end - 2] == b'/' {
        Tok::Html(String::new())
    } else {
        Tok::Open(name)
    };
    Some((tok, end))
}

/// A bare `http(s)://…` at `text[i]`, minus trailing punctuation.
fn free_url(text: &str, i: usize) -> Option<(Tok, usize)> {
    let b = text.as_bytes();
    if i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_') {
        return None;
    }
    let scheme = if starts_with_ci(&b[i..], b"https://") {
        8
    } else if starts_with_ci(&b[i..], b"http://") {
        7
    } else {
        return None;
    };
    let mut end = url_end(text, i + scheme);
    let has_paren = text[i..end].contains('(');
    while end > i + scheme
        && (b",;.:!?".contains(&b[end - 1]) || (b[end - 1] == b')' && !has_paren))
    {
        end -= 1;
    }
    if end == i + scheme {
        return None;
    }
    let url = &text[i..end];
    let href = external_href(url)?;
    Some((
        Tok::Html(link_html(
            &href,
            "wt-ext wt-free",
            &escape(&decode_entities(url)),
        )),
        end,
    ))
}

/// MediaWiki's rule for a line with an odd number of both `''` and `'''`:
/// one `'''` is really an apostrophe followed by `''` (as in `l'''amour''`).
fn balance_quotes(toks: &mut [Tok]) {
    let mut start = 0;
    for k in 0..=toks.len() {
        if k == toks.len() || matches!(toks[k], Tok::Newline) {
            balance_line_quotes(&mut toks[start..k]);
            start = k + 1;
        }
    }
}

fn balance_line_quotes(line: &mut [Tok]) {
    let (mut italics, mut bolds) = (0, 0);
    for tok in line.iter() {
        if let Tok::Quote { len, .. } = tok {
            italics += usize::from(*len != 3);
            bolds += usize::from(*len != 2);
        }
    }
    if italics % 2 == 0 || bolds % 2 == 0 {
        return;
    }
    let (mut single, mut multi, mut space) = (None, None, None);
    for (k, tok) in line.iter().enumerate() {
        if let Tok::Quote { len: 3, x1, x2, .. } = tok {
            if *x1 == Some(' ') {
                space.get_or_insert(k);
            } else if *x2 == Some(' ') {
                single = Some(k);
                break;
            } else {
                multi.get_or_insert(k);
            }
        }
    }
    if let Some(k) = single.or(multi).or(space) {
        if let Tok::Quote { len, apos, .. } = &mut line[k] {
            *len = 2;
            *apos += 1;
        }
    }
}

/// Writes tokens, keeping inline elements properly nested: closing an
/// element that is not innermost closes and reopens the ones inside it, so
/// the output is always balanced and cannot close the caller's containers.
#[derive(Default)]
struct Emitter {
    out: String,
    /// Open elements, innermost last; `true` for ones opened by quotes.
    open: Vec<(&'static str, bool)>,
}

impl Emitter {
    fn open(&mut self, tag: &'static str, quote: bool) {
        if self.open.len() < MAX_OPEN_TAGS {
            let _ = write!(self.out, "<{tag}>");
            self.open.push((tag, quote));
        }
    }

    fn find(&self, tag: &str, quote: bool) -> Option<usize> {
        self.open.iter().rposition(|&(t, q)| t == tag && q == quote)
    }

    fn close_at(&mut self, k: usize) {
        for &(tag, _) in self.open[k..].iter().rev() {
            let _ = write!(self.out, "</{tag}>");
        }
        let reopen: Vec<_> = self.open.drain(k..).skip(1).collect();
        for (tag, quote) in reopen {
            self.open(tag, quote);
        }
    }

    fn toggle(&mut self, tag: &'static str) {
        match self.find(tag, true) {
            Some(k) => self.close_at(k),
            None => self.open(tag, true),
        }
    }

    /// `'''''`: closes both, swaps one for the other, or opens both.
    fn bold_italic(&mut self) {
        match (self.find("i", true), self.find("b", true)) {
            (Some(i), Some(b)) => {
                self.close_at(i.max(b));
                self.close_at(i.min(b));
            }
            (Some(i), None) => {
                self.close_at(i);
                self.open("b", true);
            }
            (None, Some(b)) => {
                self.close_at(b);
                self.open("i", true);
            }
            (None, None) => {
                self.open("b", true);
                self.open("i", true);
            }
        }
    }

    fn end_line(&mut self) {
        while let Some(k) = self.open.iter().rposition(|&(_, quote)| quote) {
            self.close_at(k);
        }
    }

    fn finish(mut self) -> String {
        for (tag, _) in self.open.drain(..).rev() {
            let _ = write!(self.out, "</{tag}>");
        }
        self.out
    }
}

fn emit(toks: Vec<Tok>) -> String {
    // Sized up front: growing by doubling can hold twice the output at once.
    let size = toks
        .iter()
        .map(|tok| match tok {
            Tok::Text(s) | Tok::Html(s) => s.len(),
            _ => 8,
        })
        .sum();
    let mut e = Emitter {
        out: String::with_capacity(size),
        open: Vec::new(),
    };
    for tok in toks {
        match tok {
            Tok::Text(s) | Tok::Html(s) => e.out.push_str(&s),
            Tok::Quote { len, apos, .. } => {
                e.out.push_str(&"&#39;".repeat(apos));
                match len {
                    2 => e.toggle("i"),
                    3 => e.toggle("b"),
                    _ => e.bold_italic(),
                }
            }
            Tok::Open(tag) => e.open(tag, false),
            Tok::Close(tag, literal) => match e.find(tag, false) {
                Some(k) => e.close_at(k),
                None => e.out.push_str(&literal),
            },
            Tok::Newline => {
                e.end_line();
                e.out.push('\n');
            }
        }
    }
    e.finish()
}

/// The preview's safety invariants, checked by its tests and by the `render` fuzz target
/// (`--cfg fuzzing`): only allow-listed tags and attributes, safe links, balanced tags.
#[cfg(any(test, fuzzing))]
pub mod safety {
    use super::{INLINE_TAGS, MARK};

    /// Tags this module may emit, with the attributes each may carry.
    fn allowed_attrs(tag: &str) -> Option<&'static [&'static str]> {
        Some(match tag {
            "a" => &["href", "class", "rel", "target"],
            "span" | "div" | "table" => &["class"],
            "th" | "td" => &["rowspan", "colspan", "align"],
            "tr" => &["align"],
            "p" | "pre" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "hr" | "br" | "ul" | "ol"
            | "li" | "dl" | "dt" | "dd" | "caption" | "tbody" | "blockquote" => &[],
            t if INLINE_TAGS.contains(&t) => &[],
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
}

#[cfg(test)]
mod tests {
    use super::safety::{check_safe, scan_tags};
    use super::*;
    use std::time::{Duration, Instant};

    const S4: &str =
        include_str!("../../tests/data/wikitech/2024-07-21_s4_and_x1_write_overload.txt");
    const PROXY: &str =
        include_str!("../../tests/data/wikitech/2024-11-25_WMCS_proxy_nginx_failure.txt");
    const VARNISH: &str =
        include_str!("../../tests/data/wikitech/2024-12-03_Port_saturation_Varnish_HEAD-GET.txt");
    const SESSIONSTORE: &str =
        include_str!("../../tests/data/wikitech/2025-03-31_sessionstore_unavailability.txt");
    const GERRIT: &str =
        include_str!("../../tests/data/wikitech/2025-04-30_Gerrit_data_corruption.txt");
    const TOOLSDB: &str =
        include_str!("../../tests/data/wikitech/2025-11-05_WMCS_toolsdb_primary_out_of_space.txt");
    const FIXTURES: [&str; 6] = [S4, PROXY, VARNISH, SESSIONSTORE, GERRIT, TOOLSDB];

    // -- helpers ------------------------------------------------------------

    fn render_checked(input: &str) -> String {
        let html = render(input);
        check_safe(input, &html);
        let inline = render_inline(input);
        check_safe(input, &inline);
        html
    }

    /// Text of every `<hN>` in order.
    fn headings(html: &str, level: usize) -> Vec<String> {
        let (open, close) = (format!("<h{level}>"), format!("</h{level}>"));
        html.split(&open)
            .skip(1)
            .filter_map(|s| s.split_once(&close))
            .map(|(h, _)| h.to_string())
            .collect()
    }

    fn count(hay: &str, needle: &str) -> usize {
        hay.matches(needle).count()
    }

    /// The table whose text contains `needle`.
    fn table_with<'a>(html: &'a str, needle: &str) -> &'a str {
        html.split("<table")
            .filter_map(|t| t.split("</table>").next())
            .find(|t| t.contains(needle))
            .unwrap_or("")
    }

    // -- block structure ----------------------------------------------------

    #[test]
    fn headings_with_any_spacing() {
        let html = render_checked("== Summary ==\n==Timeline==\n==Conclusions ==\n===What went well?===\n====a====\n=====b=====\n======c======\n=d=");
        assert_eq!(headings(&html, 2), ["Summary", "Timeline", "Conclusions"]);
        assert_eq!(headings(&html, 3), ["What went well?"]);
        assert_eq!(headings(&html, 4), ["a"]);
        assert_eq!(headings(&html, 5), ["b"]);
        assert_eq!(headings(&html, 6), ["c"]);
        assert_eq!(headings(&html, 1), ["d"]);
    }

    #[test]
    fn uneven_and_degenerate_headings() {
        assert_eq!(headings(&render("===x=="), 2), ["=x"]);
        assert_eq!(headings(&render("== x ==  "), 2), ["x"]);
        assert!(!render("==").contains("<h"));
        assert!(!render("== x == trailing").contains("<h2>"));
        assert_eq!(headings(&render("======= x ======="), 6), ["= x ="]);
    }

    #[test]
    fn paragraphs_rules_and_preformatted_lines() {
        let html = render_checked("one\ntwo\n\nthree\n----\n pre ''x''\n  more\nafter");
        assert_eq!(
            html,
            "<p>one\ntwo</p>\n<p>three</p>\n<hr>\n<pre>pre <i>x</i>\n more</pre>\n<p>after</p>\n"
        );
    }

    #[test]
    fn lists_nest_like_mediawiki() {
        let html = render_checked("* a\n** b\n**# c\n**# d\n** e\n* f\n# g\n#* h");
        assert_eq!(
            html.replace('\n', ""),
            "<ul><li>a<ul><li>b<ol><li>c</li><li>d</li></ol></li><li>e</li></ul></li><li>f</li></ul>\
             <ol><li>g<ul><li>h</li></ul></li></ol>"
        );
    }

    #[test]
    fn definition_lists_and_indents() {
        let html = render_checked(";Term: definition\n: more\n::deeper\n;[[a:b]] x: y");
        assert_eq!(
            html.replace('\n', ""),
            "<dl><dt>Term</dt><dd>definition</dd><dd>more<dl><dd>deeper</dd></dl></dd><dt>\
             <a href=\"https://wikitech.wikimedia.org/wiki/A:b\" class=\"wt-link\" rel=\"noopener noreferrer\" \
             target=\"_blank\">a:b</a> x</dt><dd>y</dd></dl>"
        );
    }

    #[test]
    fn blank_line_or_text_ends_a_list() {
        let html = render_checked("* a\n\n* b\ntext");
        assert_eq!(count(&html, "<ul>"), 2);
        assert!(html.ends_with("</ul>\n<p>text</p>\n"));
    }

    // -- inline ---------------------------------------------------------------

    #[test]
    fn bold_italic_and_balancing() {
        assert_eq!(
            render_inline("'''b''' ''i'' '''''bi'''''"),
            "<b>b</b> <i>i</i> <b><i>bi</i></b>"
        );
        // Unclosed quotes close at the end of each line.
        assert_eq!(render_inline("''a\nb'''c"), "<i>a</i>\nb<b>c</b>");
        // Interleaved closes reopen what is still open.
        assert_eq!(render_inline("'''''a''' b''"), "<b><i>a</i></b><i> b</i>");
        assert_eq!(render_inline("''a'''b'''c''"), "<i>a<b>b</b>c</i>");
        // MediaWiki: odd '' and odd ''' → the ''' after a one-letter word is ' + ''.
        assert_eq!(render_inline("l'''amour''"), "l&#39;<i>amour</i>");
        assert_eq!(render_inline("''''x''''"), "&#39;<b>x&#39;</b>");
        assert_eq!(
            render_inline("it's a 'quote'"),
            "it&#39;s a &#39;quote&#39;"
        );
    }

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
    fn file_links_become_placeholders() {
        let html = render_inline("[[File:Edit rate.png|thumb|Edit rate during [[incident]]|none]]");
        assert!(html.starts_with("<span class=\"wt-file\"><span class=\"wt-file-name\">\u{1f5bc} File:Edit rate.png</span>"));
        assert!(html.contains("<span class=\"wt-file-caption\">Edit rate during <a href=\"https://wikitech.wikimedia.org/wiki/Incident\""));
        assert!(!html.contains("<img"));
        assert!(render_inline("[[Image:x.png|200px]]").contains("Image:x.png"));
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
    fn nowiki_pre_comments_and_entities() {
        assert_eq!(
            render_inline("<nowiki>''[[x]]'' http://a.b &amp;</nowiki>"),
            "&#39;&#39;[[x]]&#39;&#39; http://a.b &amp;"
        );
        assert_eq!(
            render("<pre>\n<b>x</b> ''y'' &lt; &x\n</pre>"),
            "<pre>\n&lt;b&gt;x&lt;/b&gt; &#39;&#39;y&#39;&#39; &lt; &amp;x\n</pre>\n"
        );
        assert_eq!(
            render("a\n<!-- hidden -->\nb <!-- x --> c"),
            "<p>a\nb  c</p>\n"
        );
        assert_eq!(render_inline("a <!-- never closed"), "a ");
        assert_eq!(
            render_inline(
                "&amp; &lt;b&gt; &#124; &#x7c; &nbsp; &hellip; &bogus; &#0; &#xD800; & x"
            ),
            "&amp; &lt;b&gt; | | \u{a0} … &amp;bogus; &amp;#0; &amp;#xD800; &amp; x"
        );
        // An unclosed raw tag stays literal, as MediaWiki shows it.
        assert_eq!(render_inline("<nowiki>''x''"), "&lt;nowiki&gt;<i>x</i>");
        assert_eq!(render_inline("a<nowiki/>b"), "ab");
    }

    #[test]
    fn pre_splits_a_paragraph() {
        let html = render_checked("Alert fired:\n<pre>x</pre>\nmore");
        assert_eq!(html, "<p>Alert fired:</p>\n<pre>x</pre>\n<p>more</p>\n");
    }

    #[test]
    fn allowed_and_literal_tags() {
        assert_eq!(
            render_inline(
                "<code>a</code> <b>b</b> <S>s</S> <sub>1</sub><sup>2</sup> <kbd>k</kbd> <tt>t</tt>"
            ),
            "<code>a</code> <b>b</b> <s>s</s> <sub>1</sub><sup>2</sup> <kbd>k</kbd> <tt>t</tt>"
        );
        assert_eq!(
            render_inline("a<br>b<br/>c<br />d</br>e"),
            "a<br>b<br>c<br>d<br>e"
        );
        assert_eq!(
            render_inline("<jinxer-wm> <span>x</span> <div>"),
            "&lt;jinxer-wm&gt; &lt;span&gt;x&lt;/span&gt; &lt;div&gt;"
        );
        // Unclosed tags are closed, stray closers are text, attributes dropped.
        assert_eq!(
            render_inline("<code class=\"x\" onclick=\"y\">a"),
            "<code>a</code>"
        );
        assert_eq!(render_inline("a</code>"), "a&lt;/code&gt;");
        assert_eq!(
            render_inline("<b>a<i>b</b>c</i>"),
            "<b>a<i>b</i></b><i>c</i>"
        );
    }

    #[test]
    fn blockquote_holds_blocks() {
        let html = render_checked("<blockquote>\nfirst\n\n* item\n</blockquote>\nafter");
        assert_eq!(
            html,
            "<blockquote><p>first</p>\n<ul><li>item</li></ul>\n</blockquote>\n<p>after</p>\n"
        );
        assert!(
            render_checked("<blockquote>never closed").contains("<blockquote><p>never closed</p>")
        );
        assert_eq!(render_inline("</blockquote>"), "&lt;/blockquote&gt;");
    }

    #[test]
    fn gallery_lines_become_placeholders() {
        let html = render_checked("<gallery mode=\"packed\">\nFile:A b.png|Caption ''one''\nB.png|[https://x.example Two]\n\n</gallery>");
        assert_eq!(count(&html, "class=\"wt-file\""), 2);
        assert!(html.contains(
            "File:A b.png</span> <span class=\"wt-file-caption\">Caption <i>one</i></span>"
        ));
        assert!(html.contains("File:B.png"));
        assert!(html.contains("href=\"https://x.example\""));
    }

    #[test]
    fn magic_words_and_signatures() {
        assert_eq!(render("__TOC__\na __NOTOC__b ~~~~"), "<p>a b ~~~~</p>\n");
    }

    // -- templates ----------------------------------------------------------

    #[test]
    fn task_and_change_templates() {
        let html = render_inline("{{PhabT|390630}} {{phab|T382276}} {{Phabricator|392170}} {{phab|T381771#10391988}} {{Gerrit|1101547}}");
        for href in [
            "https://phabricator.wikimedia.org/T390630",
            "https://phabricator.wikimedia.org/T382276",
            "https://phabricator.wikimedia.org/T392170",
            "https://phabricator.wikimedia.org/T381771#10391988",
            "https://gerrit.wikimedia.org/r/c/1101547",
        ] {
            assert!(
                html.contains(&format!("href=\"{href}\"")),
                "{href} in {html}"
            );
        }
        assert!(html.contains(">T390630</a>") && html.contains(">1101547</a>"));
        // A malformed id falls back to showing the source.
        assert_eq!(
            render_inline("{{PhabT|x\"y}}"),
            "<span class=\"tpl\">{{PhabT|x&quot;y}}</span>"
        );
    }

    #[test]
    fn status_and_box_templates() {
        assert_eq!(
            render_inline("{{Done}}"),
            "<span class=\"wt-done\">\u{2714} Done</span>"
        );
        assert_eq!(render("{{TOC|align=right}}"), "");
        assert!(
            render("{{irdoc|status=final}}").contains("<div class=\"wt-banner wt-status-final\">")
        );
        assert!(render("{{irdoc-draft}}").contains("wt-status-draft"));
        assert!(render_checked("{{irdoc|status=<b>x</b>}}")
            .contains("wt-status-unknown\">Incident report status: &lt;b&gt;x&lt;/b&gt;"));
        assert_eq!(render("{{Note|text=See [[x]]}}"), "<div class=\"wt-note\">See <a href=\"https://wikitech.wikimedia.org/wiki/X\" class=\"wt-link\" rel=\"noopener noreferrer\" target=\"_blank\">x</a></div>\n");
        assert_eq!(
            render("{{Todo|Do.|nocat=TODO}}"),
            "<div class=\"wt-note wt-todo\"><b>To do:</b> Do.</div>\n"
        );
    }

    #[test]
    fn scorecard_template_is_a_definition_table() {
        let html = render_checked("{{Incident scorecard\n| task = T390513\n| paged-num = batphone\n| coordinators = [[User:FNegri-WMF]]\n| start = 2025-03-31 02:58\n| extra = x\n}}");
        assert!(html.starts_with("<table class=\"wt-scorecard\">"));
        assert!(html.contains(
            "<tr><th>Task</th><td><a href=\"https://phabricator.wikimedia.org/T390513\""
        ));
        assert!(html.contains("<tr><th>People paged</th><td>batphone</td></tr>"));
        assert!(html.contains("<th>Coordinators</th><td><a href=\"https://wikitech.wikimedia.org/wiki/User:FNegri-WMF\""));
        assert!(html.contains("<tr><th>extra</th><td>x</td></tr>"));
        assert!(!html.contains("Incident ID"));
        // Empty values (toolsdb fixture) give empty cells.
        assert!(render("{{Incident scorecard\n| task = \n}}").contains("<th>Task</th><td></td>"));
    }

    #[test]
    fn unknown_and_nested_templates() {
        assert_eq!(render_inline("{{Foo|a=<b>|{{Done}}|<nowiki>x</nowiki>}}"), "<span class=\"tpl\">{{Foo|a=&lt;b&gt;|{{Done}}|&lt;nowiki&gt;x&lt;/nowiki&gt;}}</span>");
        assert!(render_inline("{{Note|text={{PhabT|1}}}}")
            .contains("href=\"https://phabricator.wikimedia.org/T1\""));
        assert_eq!(
            render_inline("{{a {{b}}"),
            "{{a <span class=\"tpl\">{{b}}</span>"
        );
        assert_eq!(render_inline("}} {{"), "}} {{");
        assert_eq!(
            render_inline("{{Note|text=a {{!}} b}}"),
            "<div class=\"wt-note\">a | b</div>\n"
        );
    }

    #[test]
    fn template_in_mid_line_splits_paragraph() {
        let html = render_checked("by ~03:40.{{TOC|align=right}}\n\nnext");
        assert_eq!(html, "<p>by ~03:40.</p>\n<p>next</p>\n");
    }

    // -- tables -------------------------------------------------------------

    #[test]
    fn table_rows_cells_and_attributes() {
        let html = render_checked("{| class=\"wikitable\" onclick=\"x\"\n|+ Cap\n! a !! b\n|-\n! rowspan=\"5\" |People\n| x || y\n|- align=\"center\" style=\"color:red\"\n| colspan=2 align=RIGHT style=\"background:url(javascript:x)\" | z\n|}");
        assert_eq!(
            html,
            "<table class=\"wt-table\"><caption>Cap</caption><tbody><tr><th>a</th><th>b</th></tr>\n\
             <tr><th rowspan=\"5\">People</th><td>x</td><td>y</td></tr>\n\
             <tr align=\"center\"><td colspan=\"2\" align=\"right\">z</td></tr>\n</tbody></table>\n"
        );
    }

    #[test]
    fn table_multiline_cells_and_nesting() {
        let html = render_checked("{|\n|first\nsecond line\n* item\n|\n{|\n|inner\n|}\n|}\nafter");
        assert_eq!(count(&html, "<table"), 2);
        assert!(html.contains("<td>first<p>second line</p>\n<ul><li>item</li></ul>\n</td>"));
        assert!(html.contains("<td><table class=\"wt-table\"><tbody><tr><td>inner</td></tr>"));
        assert!(html.ends_with("</table>\n<p>after</p>\n"));
        // Unclosed tables end with the text; `:{|` is indented.
        assert!(render_checked("{|\n| a").contains("<td>a</td>"));
        assert!(render_checked(":{|\n|a\n|}").starts_with("<dl><dd><table"));
    }

    #[test]
    fn table_cells_keep_link_pipes() {
        let html = render_checked("{|\n| [[File:Edit rate.png|thumb|Edit rate|none]]\n| [[a|b]] || [[c|d]]\n| x {{!}} y\n|}");
        assert!(html.contains("<td><span class=\"wt-file\">"));
        assert!(html.contains(">b</a></td><td><a"));
        assert!(
            html.contains("<td>y</td>"),
            "top-level {{{{!}}}} is a pipe: {html}"
        );
    }

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
        assert!(session.contains("<div class=\"wt-note wt-todo\"><b>To do:</b> Do.</div>"));
        assert_eq!(
            count(table_with(&session, "MediaWiki"), "class=\"wt-file\""),
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
        assert_eq!(count(&html, "<div class=\"wt-gallery\">"), 1);
        assert_eq!(
            count(&html, "class=\"wt-file\""),
            6,
            "5 gallery items + 1 [[File:]]"
        );
    }

    #[test]
    fn fixture_s4_pre_and_gallery() {
        let html = render(S4);
        assert_eq!(count(&html, "<pre>"), 2);
        assert!(html.contains("<pre>\n&lt;jinxer-wm&gt; FIRING: PHPFPMTooBusy"));
        assert!(html.contains("orgId=1&amp;viewPanel=84"));
        assert!(html.contains("(<code>&lt;Amir1&gt; we just had another one</code>)"));
        assert!(html.contains("<span class=\"wt-file-caption\"><a href=\"https://grafana.wikimedia.org/dashboard/snapshot/eCbkCalIXHGFHc6o4LLYj7cXvpavaVUv\""));
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
    fn entity_tables_are_consistent() {
        assert_eq!(named_entity("nbsp"), Some('\u{a0}'));
        assert_eq!(named_entity("times"), Some('×'));
        assert_eq!(named_entity("yuml"), Some('ÿ'));
        assert_eq!(named_entity("Omega"), Some('Ω'));
        assert_eq!(named_entity("sigmaf"), Some('ς'));
        assert_eq!(named_entity("omega"), Some('ω'));
        assert_eq!(named_entity(""), None);
        assert_eq!(named_entity("AMP"), None);
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

    #[test]
    fn list_nesting_is_capped_and_the_rest_is_text() {
        let levels = 100_000;
        let html = render_checked(&("*".repeat(levels) + " deep"));
        assert_eq!(count(&html, "<ul>"), MAX_NESTING);
        assert!(html.contains(&("*".repeat(levels - MAX_NESTING) + " deep")));
        // A table indented past the cap is a list line whose text starts with `:`.
        let html = render_checked(&(":".repeat(levels) + "{|\n|x\n|}"));
        assert_eq!(count(&html, "<dl>"), MAX_NESTING);
        assert!(!html.contains("<table"));
        let html = render_checked(&(":".repeat(MAX_NESTING) + "{|\n|x\n|}"));
        assert_eq!(count(&html, "<dl>"), MAX_NESTING);
        assert!(html.contains("<td>x</td>"));
    }

    // -- performance ----------------------------------------------------------

    /// Generous bound that still catches quadratic behaviour (which would take
    /// minutes on these sizes) even in unoptimised test builds.
    const BUDGET: Duration = Duration::from_secs(4);

    fn assert_fast(name: &str, input: &str) {
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
    fn nested_links_with_bad_targets_stay_linear() {
        // Each rejected `[[` used to search its whole inner text for a `|`,
        // out to its matching `]]` at the far end.
        let k = 250_000;
        assert_fast("[[[[…]]]]", &("[[".repeat(k) + &"]]".repeat(k)));
        assert_fast("[[a[[a…]]]]", &("[[a".repeat(k / 2) + &"]]".repeat(k / 2)));
        assert_eq!(render_inline("[[a[[b]]]]"), "[[a<a href=\"https://wikitech.wikimedia.org/wiki/B\" class=\"wt-link\" rel=\"noopener noreferrer\" target=\"_blank\">b</a>]]");
        assert_eq!(render_inline("[[a&#91;b|c]]"), "[[a[b|c]]");
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
