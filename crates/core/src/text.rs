//! Field text: what an author typed (plain, escaped on export) or wikitext kept as written.
//!
//! Plain text must show on the wiki exactly as typed, so export escapes everything MediaWiki
//! could read as markup (format.md, "Writing wikitext from what an author typed"). Escaping is
//! minimal: ordinary prose comes out byte-identical, which is what lets the importer recognise
//! most real fields as plain text again.

use std::fmt::Write;

use serde::{Deserialize, Serialize};

/// The text of one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged, from = "Stored")]
pub enum Text {
    /// What the author typed; exported escaped, so it never becomes markup.
    Plain(String),
    /// Wikitext kept verbatim (imported markup, or markup the author chose to write).
    Wiki { wiki: String },
}

/// [`Text`] as read from JSON, before its line breaks are normalised.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Plain(String),
    Wiki { wiki: String },
}

impl From<Stored> for Text {
    /// Typed text written elsewhere (another editor, a pasted JSON file) may break lines with
    /// CR LF or CR; the wiki knows only LF, so plain text keeps only LF from the way in.
    fn from(stored: Stored) -> Self {
        match stored {
            Stored::Plain(s) => Text::Plain(normalize_line_breaks(s)),
            Stored::Wiki { wiki } => Text::Wiki { wiki },
        }
    }
}

/// CR LF and lone CR as LF.
pub fn normalize_line_breaks(s: String) -> String {
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s
    }
}

/// Serde: a plain string field of the model, with its line breaks normalised.
pub(crate) fn deserialize_plain<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<String, D::Error> {
    String::deserialize(d).map(normalize_line_breaks)
}

impl Default for Text {
    fn default() -> Self {
        Text::Plain(String::new())
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Plain(s.to_owned())
    }
}

/// Where a piece of text lands in the page; each place has its own markup to avoid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Running text inside a line: a list item, a timeline entry.
    Inline,
    /// A wikitable cell.
    Cell,
    /// The value of a named template parameter.
    TemplateValue,
}

impl Text {
    pub fn wiki(s: impl Into<String>) -> Self {
        Text::Wiki { wiki: s.into() }
    }

    /// The string the author edits: the plain text, or the wikitext source.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Plain(s) | Text::Wiki { wiki: s } => s,
        }
    }

    pub fn is_wiki(&self) -> bool {
        matches!(self, Text::Wiki { .. })
    }

    pub fn is_blank(&self) -> bool {
        self.as_str().trim().is_empty()
    }

    /// The same kind of text with a new content (editing keeps plain text plain).
    pub fn with_str(&self, s: impl Into<String>) -> Self {
        match self {
            Text::Plain(_) => Text::Plain(s.into()),
            Text::Wiki { .. } => Text::wiki(s),
        }
    }

    /// Wikitext for this field in `ctx`.
    pub fn to_wikitext(&self, ctx: Context) -> String {
        match self {
            Text::Plain(s) => escape(s, ctx),
            Text::Wiki { wiki } => wiki.clone(),
        }
    }

    /// Reads wikitext found in `ctx`: plain when it is exactly what escaping would write.
    pub fn from_wikitext(src: &str, ctx: Context) -> Self {
        let plain = unescape(src);
        if escape(&plain, ctx) == src {
            Text::Plain(plain)
        } else {
            Text::wiki(src)
        }
    }
}

/// URL schemes MediaWiki turns into links when written bare (`$wgUrlProtocols`).
const URL_SCHEMES: &[&str] = &[
    "bitcoin",
    "ftp",
    "ftps",
    "geo",
    "git",
    "gopher",
    "http",
    "https",
    "irc",
    "ircs",
    "magnet",
    "mailto",
    "matrix",
    "mms",
    "news",
    "nntp",
    "redis",
    "sftp",
    "sip",
    "sips",
    "sms",
    "ssh",
    "svn",
    "tel",
    "telnet",
    "urn",
    "worldwind",
    "xmpp",
];

/// Words that become magic links when followed by a number.
const MAGIC_LINK_WORDS: &[&str] = &["RFC", "PMID", "ISBN"];

/// Escapes plain text for `ctx` so that the wiki shows it exactly as typed.
///
/// Linear in the text: every rule looks at a bounded neighbourhood, or at the length of the
/// run of equal characters it is in, counted once per run.
pub fn escape(s: &str, ctx: Context) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let last = chars.len().saturating_sub(1);
    let (mut run_end, mut run) = (0, 0);
    for (i, &c) in chars.iter().enumerate() {
        if i == run_end {
            run = chars[i..].iter().take_while(|&&x| x == c).count();
            run_end = i + run;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let edge = i == 0 || i == last;
        // A template may place its value, and a table its cell, at the start of a line.
        let line_start = i == 0 && ctx != Context::Inline;
        let escaped = match c {
            // MediaWiki trims whitespace around values and list items; keep it visible.
            ' ' | '\t' | '\u{a0}' if edge => Escaped::Code,
            // A typed line break, whichever convention the text came with.
            '\r' if next == Some('\n') => Escaped::As(""),
            '\n' | '\r' => Escaped::As("<br>"),
            '&' if starts_entity(&chars[i + 1..]) => Escaped::As("&amp;"),
            '<' if next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!') => {
                Escaped::As("&lt;")
            }
            '[' if next == Some('[') || starts_url(&chars[i + 1..]) => Escaped::Code,
            ']' if next == Some(']') || prev == Some(']') => Escaped::Code,
            '{' if run >= 2 || (line_start && (ctx == Context::Cell || next == Some('|'))) => {
                Escaped::Code
            }
            '}' if run >= 2 || (line_start && ctx == Context::Cell) => Escaped::Code,
            '|' if ctx != Context::Inline || run >= 2 => Escaped::Code,
            '\'' if run >= 2 => Escaped::Code,
            '~' if run >= 3 => Escaped::Code,
            '_' if run >= 2 => Escaped::Code,
            // Lists, definitions, headings and header cells; `----` is a rule.
            '*' | '#' | ':' | ';' | '=' | '!' if line_start => Escaped::Code,
            '-' if line_start && (ctx == Context::Cell || run >= 4) => Escaped::Code,
            '+' if line_start && ctx == Context::Cell => Escaped::Code,
            ':' if is_url_scheme_end(&chars, i) => Escaped::Code,
            'R' | 'P' | 'I' if is_magic_link_start(&chars, i) => Escaped::Code,
            _ => Escaped::No,
        };
        match escaped {
            Escaped::No => out.push(c),
            Escaped::As(entity) => out.push_str(entity),
            Escaped::Code => {
                // Writing to a String cannot fail.
                let _ = write!(out, "&#{};", c as u32);
            }
        }
    }
    out
}

/// How [`escape`] writes one character.
enum Escaped {
    No,
    As(&'static str),
    /// As a numeric character reference.
    Code,
}

fn starts_entity(rest: &[char]) -> bool {
    let name_len = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name_len > 0 && rest.get(name_len) == Some(&';')
}

/// After `[`: a URL scheme or `//` would make an external link.
fn starts_url(rest: &[char]) -> bool {
    if rest.starts_with(&['/', '/']) {
        return true;
    }
    let scheme: String = rest
        .iter()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    rest.get(scheme.len()) == Some(&':')
        && URL_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str())
}

/// `:` ending a URL scheme and followed by a non-space: a free link. Escaped whatever comes
/// before the scheme, since an entity written for that character would end in `;`, which is a
/// word boundary again.
fn is_url_scheme_end(chars: &[char], i: usize) -> bool {
    let start = chars[..i]
        .iter()
        .rposition(|c| !c.is_ascii_alphabetic())
        .map_or(0, |p| p + 1);
    let followed = chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
    followed
        && URL_SCHEMES.iter().any(|scheme| {
            let n = scheme.len();
            i - start >= n
                && chars[i - n..i]
                    .iter()
                    .map(char::to_ascii_lowercase)
                    .eq(scheme.chars())
        })
}

/// `RFC 1234`, `PMID 1234`, `ISBN 978…`: escape the first letter so no magic link forms.
fn is_magic_link_start(chars: &[char], i: usize) -> bool {
    MAGIC_LINK_WORDS.iter().any(|word| {
        let n = word.len();
        let matches_word = chars.len() > i + n && chars[i..i + n].iter().copied().eq(word.chars());
        matches_word && {
            let after = &chars[i + n..];
            let spaces = after.iter().take_while(|c| c.is_whitespace()).count();
            spaces > 0 && after.get(spaces).is_some_and(|c| c.is_ascii_digit())
        }
    })
}

/// Decodes HTML entities and `<br>` line breaks: the visible text of escaped wikitext.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find(['&', '<']) {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if let Some((decoded, len)) = decode_at(rest) {
            out.push_str(&decoded);
            rest = &rest[len..];
        } else {
            let c = rest.chars().next().unwrap_or_default();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out.push_str(rest);
    out
}

/// The text and byte length of an entity or `<br>` at the start of `s`.
fn decode_at(s: &str) -> Option<(String, usize)> {
    for br in ["<br>", "<br/>", "<br />"] {
        if s.starts_with(br) {
            return Some(("\n".to_owned(), br.len()));
        }
    }
    let body = s.strip_prefix('&')?;
    // Entity names are short: look no further, so that a run of `&` stays linear.
    let end = body
        .bytes()
        .take(11)
        .position(|b| b == b';')
        .filter(|&e| e > 0)?;
    let name = &body[..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            _ => return None,
        }
    };
    Some((c.to_string(), end + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_prose_is_unchanged() {
        for s in [
            "Incident acknowledged",
            "swfrench responds / investigation begins",
            "10+",
            "2 (Amir1, bvibber)",
            "Edits were failing for the duration of the outage.",
            "set & delete ops; it's fine",
            "x < 5 and y > 3",
        ] {
            assert_eq!(escape(s, Context::Inline), s);
            assert_eq!(
                Text::from_wikitext(s, Context::Inline),
                Text::Plain(s.into())
            );
        }
    }

    #[test]
    fn markup_is_escaped() {
        let cases = [
            ("{{Done}}", "&#123;&#123;Done&#125;&#125;"),
            ("[[Main Page]]", "&#91;[Main Page&#93;&#93;"),
            ("'''bold'''", "&#39;&#39;&#39;bold&#39;&#39;&#39;"),
            ("<script>", "&lt;script>"),
            ("~~~~", "&#126;&#126;&#126;&#126;"),
            ("__TOC__", "&#95;&#95;TOC&#95;&#95;"),
            ("see https://x.org", "see https&#58;//x.org"),
            ("RFC 1234", "&#82;FC 1234"),
            ("a\nb", "a<br>b"),
            ("&amp;", "&amp;amp;"),
        ];
        for (typed, wikitext) in cases {
            assert_eq!(escape(typed, Context::Inline), wikitext, "{typed}");
            assert_eq!(unescape(wikitext), typed);
        }
    }

    #[test]
    fn context_specific_escapes() {
        assert_eq!(escape("a|b", Context::Inline), "a|b");
        assert_eq!(escape("a||b", Context::Inline), "a&#124;&#124;b");
        assert_eq!(escape("a|b", Context::Cell), "a&#124;b");
        assert_eq!(escape("-x", Context::Cell), "&#45;x");
        assert_eq!(escape("a|b=c", Context::TemplateValue), "a&#124;b=c");
        assert_eq!(escape(" x ", Context::TemplateValue), "&#32;x&#32;");
    }

    #[test]
    fn typed_carriage_returns_are_line_breaks() {
        for typed in ["a\r\nb", "a\rb", "a\nb"] {
            assert_eq!(escape(typed, Context::TemplateValue), "a<br>b");
        }
        let read: Text = serde_json::from_str(r#""a\r\nb\rc""#).unwrap();
        assert_eq!(read, Text::from("a\nb\nc"));
        // Wikitext is the author's, bytes and all.
        let wiki: Text = serde_json::from_str(r#"{"wiki":"a\r\nb"}"#).unwrap();
        assert_eq!(wiki, Text::wiki("a\r\nb"));
    }

    /// A template may place a value at the start of a line, as MediaWiki's own line would be:
    /// escaped, such a line shows the text as typed, as a paragraph.
    #[test]
    fn values_at_line_start_stay_text() {
        assert!(crate::preview::render("a\n* x\n").contains("<li"));
        for typed in [
            "* x", "# x", "; x", ": x", "== x ==", "----", "!x", "{| x", "=x",
        ] {
            for ctx in [Context::TemplateValue, Context::Cell] {
                let wikitext = escape(typed, ctx);
                assert_eq!(unescape(&wikitext), typed);
                let html = crate::preview::render(&format!("a\n{wikitext}\n"));
                for block in ["<li", "<dd", "<dt", "<h", "<hr", "<table", "<th", "<pre"] {
                    assert!(
                        !html.contains(block),
                        "{typed:?} as {wikitext:?} gave {html}"
                    );
                }
            }
        }
        assert_eq!(escape("-1 and ---", Context::TemplateValue), "-1 and ---");
    }

    #[test]
    fn markup_is_read_as_wikitext() {
        let src = "[[User:FNegri-WMF]]";
        assert_eq!(
            Text::from_wikitext(src, Context::TemplateValue),
            Text::wiki(src)
        );
    }
}
