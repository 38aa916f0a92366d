//! The inline pass: text is cut into tokens (quotes, links, allow-listed tags,
//! entities, free URLs, markers), `''`/`'''` are balanced per line as
//! MediaWiki does, and the [`Emitter`] writes them keeping elements nested, so
//! the output is always balanced and cannot close the caller's containers.

use std::fmt::Write as _;

use super::escape::{decode_entities, entity_at, escape, escape_into};
use super::links::{external_href, link_html, match_double_brackets, url_end, Pairs};
use super::preprocess::{marker_at, starts_with_ci};
use super::{Renderer, MARK_B, MAX_DEPTH, MAX_TAG_LEN};

/// HTML tags authors may use inline; everything else shows as text. Space-separated:
/// cheaper in the wasm than an array of `&str`.
pub(super) const INLINE_TAGS: &str =
    "b i u s strike del ins sub sup small big tt kbd code em strong var samp q cite mark br";

/// Open inline elements (`<b>`, `''` …) beyond this are ignored.
const MAX_OPEN_TAGS: usize = 32;

pub(super) enum Tok {
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
        .split(' ')
        .find(|t| t.eq_ignore_ascii_case(&text[start..j]))?;
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

    /// The output, and the elements it closed only because the text ended.
    fn finish(mut self) -> (String, Vec<(&'static str, bool)>) {
        for &(tag, _) in self.open.iter().rev() {
            let _ = write!(self.out, "</{tag}>");
        }
        (self.out, self.open)
    }
}

fn emit(toks: Vec<Tok>) -> (String, Vec<(&'static str, bool)>) {
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

impl Renderer {
    /// Renders inline wikitext (already preprocessed). Newlines are kept;
    /// `''`/`'''` are balanced per line, HTML tags per call. `links` is false
    /// inside link labels (no links in links).
    pub(super) fn inline(&mut self, text: &str, links: bool) -> String {
        self.inline_with(text, links, None)
    }

    /// [`Self::inline`], with the `[[…]]` pairs of `text` when they are known
    /// already (a file caption reuses those of the text around it).
    pub(super) fn inline_with(
        &mut self,
        text: &str,
        links: bool,
        pairs: Option<Pairs<'_>>,
    ) -> String {
        if self.depth >= MAX_DEPTH {
            return self.plain(text);
        }
        self.depth += 1;
        let mut toks = self.tokenize(text, links, pairs);
        balance_quotes(&mut toks);
        let (html, open) = emit(toks);
        self.left_open = open;
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
}

#[cfg(test)]
mod tests {
    use crate::preview::render_inline;

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
}
