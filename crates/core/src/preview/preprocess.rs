//! Preprocessing: what MediaWiki does before it parses lines.
//!
//! [`sanitize`] normalises newlines and removes [`MARK`], so input cannot forge
//! a placeholder. Then comments are dropped and `<nowiki>`, `<pre>`, `<gallery>`,
//! `<math>`, `<syntaxhighlight>`, `<source>`, `<blockquote>` and `{{templates}}` are cut
//! out and replaced by markers (`MARK index MARK`), so no later stage looks inside
//! them. Also the byte-level helpers (tags, markers, searches) the other stages share.

use std::borrow::Cow;

use super::escape::{decode_entities, escape};
use super::templates::{is_block_template, split_pipes, template_name};
use super::{Kind, Renderer, MARK, MARK_B, MAX_NESTING, MAX_TAG_LEN};

/// Tags cut out before parsing; their content is never parsed as wikitext.
const RAW_TAGS: [&str; 6] = [
    "nowiki",
    "pre",
    "gallery",
    "math",
    "syntaxhighlight",
    "source",
];
const NOWIKI: usize = 0;
const PRE: usize = 1;
const GALLERY: usize = 2;
const MATH: usize = 3;

/// Behaviour switches that MediaWiki removes from the text.
const MAGIC_WORDS: &str =
    "NOTOC FORCETOC TOC NOEDITSECTION NEWSECTIONLINK NONEWSECTIONLINK NOGALLERY HIDDENCAT \
    NOINDEX INDEX STATICREDIRECT NOTITLECONVERT NOCONTENTCONVERT DISAMBIG EXPECTUNUSEDCATEGORY";

/// Normalises `\r\n` and removes the characters this module reserves.
pub(super) fn sanitize(src: &str) -> Cow<'_, str> {
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
pub(super) fn marker_at(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let mut j = i + 1;
    let mut n: usize = 0;
    while j < b.len() && b[j].is_ascii_digit() {
        n = n.checked_mul(10)?.checked_add(usize::from(b[j] - b'0'))?;
        j += 1;
    }
    (j > i + 1 && b.get(j) == Some(&MARK_B)).then_some((n, j + 1))
}

pub(super) fn find_bytes(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
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
    MAGIC_WORDS.split(' ').find_map(|w| {
        let n = w.len();
        (starts_with_ci(rest, w.as_bytes()) && rest.get(n..n + 2) == Some(b"__")).then_some(n + 4)
    })
}

pub(super) fn starts_with_ci(hay: &[u8], prefix: &[u8]) -> bool {
    hay.len() >= prefix.len() && hay[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// Appends to the innermost buffer of a stack that always has one.
fn push_top(stack: &mut [String], s: &str) {
    if let Some(top) = stack.last_mut() {
        top.push_str(s);
    }
}

impl Renderer {
    pub(super) fn preprocess(&mut self, src: &str) -> String {
        let clean = sanitize(src);
        let text = self.extract_raw_tags(&clean);
        let text = self.extract_blockquotes(&text);
        self.expand_templates(&text)
    }

    /// Preprocesses already-sanitized text (gallery captions) and renders it inline.
    pub(super) fn inline_source(&mut self, raw: &str) -> String {
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
            GALLERY => (true, Kind::Gallery(content.to_string())),
            // The formula's source, in a math style: previews do not typeset TeX.
            MATH => (
                false,
                Kind::Html(format!(
                    "<span class=\"wt-math\">{}</span>",
                    escape(content.trim())
                )),
            ),
            // `<syntaxhighlight>`, `<source>`: the code as typed, entities included, in one
            // block, without the blank lines before it and the space after (as SyntaxHighlight).
            _ => {
                let lead = &content[..content.len() - content.trim_start().len()];
                let start = lead.rfind('\n').map_or(0, |p| p + 1);
                let code = content[start..].trim_end();
                (true, Kind::Html(format!("<pre>{}</pre>\n", escape(code))))
            }
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
    pub(super) fn expand_templates(&mut self, s: &str) -> String {
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
}

#[cfg(test)]
mod tests {
    use crate::preview::testing::render_checked;
    use crate::preview::{render, render_inline};

    #[test]
    fn syntaxhighlight_and_source_are_one_preformatted_block() {
        // As SyntaxHighlight shows them: one <pre>, the code not parsed, the tag not shown.
        let html = render_checked(
            "a\n<syntaxhighlight lang=\"bash\">\n\n  ; x\n http://a.b &amp; <b>\n</syntaxhighlight>\nb",
        );
        assert_eq!(
            html,
            "<p>a</p>\n<pre>  ; x\n http://a.b &amp;amp; &lt;b&gt;</pre>\n<p>b</p>\n"
        );
        assert_eq!(
            render_checked("<source lang=x>''a''</source>"),
            "<pre>&#39;&#39;a&#39;&#39;</pre>\n"
        );
    }

    #[test]
    fn math_shows_its_formula_source() {
        assert_eq!(
            render_checked("x <math> \\alpha < 2 </math> y"),
            "<p>x <span class=\"wt-math\">\\alpha &lt; 2</span> y</p>\n"
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
    fn magic_words_and_signatures() {
        assert_eq!(render("__TOC__\na __NOTOC__b ~~~~"), "<p>a b ~~~~</p>\n");
    }
}
