//! Opening a file that holds a report: the one reader every front end calls (the app's
//! import, a published draft, the CLI), so that they all accept the same files.
//!
//! A file's format is chosen by its name's extension, else by its content ([`Format::of`]);
//! JSON is then told apart by its `"format"` tag (a draft, a backup, a share payload) or its
//! absence (a report file). HTML, Markdown and plain text are documents to convert
//! ([`crate::convert`]): they open as a [`Conversion`] to review.

use std::fmt;

use crate::convert::{self, Conversion, Document};
use crate::drafts::{decode_backup, decode_draft, Backup, Unreadable};
use crate::json::{looks_like_json, report_from_json, JsonError};
use crate::wikitext::{import, Import};
use crate::Report;

/// How a file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A wiki page's source.
    Wikitext,
    /// Any JSON irdoc writes: a report file, a stored draft, a backup or a share payload.
    Json,
    /// A document in HTML: a saved Google Doc or wiki page, a `text/html` clipboard.
    Html,
    /// Markdown (Google Docs downloads as `.md`).
    Markdown,
    /// Plain text: a copied page or document, notes.
    Text,
}

impl Format {
    /// The format of a file named `name` holding `text`: by extension, else by content. A
    /// `.txt` file is a wiki page's source when it looks like one, else plain text.
    pub fn of(name: &str, text: &str) -> Format {
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match extension.as_deref() {
            Some("json") => Format::Json,
            Some("wiki" | "wikitext" | "mediawiki") => Format::Wikitext,
            Some("html" | "htm" | "xhtml") => Format::Html,
            Some("md" | "markdown") => Format::Markdown,
            Some("txt" | "text") if convert::looks_like_wikitext(text) => Format::Wikitext,
            Some("txt" | "text") => Format::Text,
            _ => Format::of_content(text),
        }
    }

    /// The format `text` seems to have.
    pub fn of_content(text: &str) -> Format {
        if looks_like_json(text) {
            Format::Json
        } else if looks_like_html(text) {
            Format::Html
        } else if convert::looks_like_wikitext(text) {
            Format::Wikitext
        } else if convert::looks_like_markdown(text) {
            Format::Markdown
        } else {
            Format::Text
        }
    }

    /// The name `--from` takes.
    pub fn parse(name: &str) -> Option<Format> {
        Some(match name.to_ascii_lowercase().as_str() {
            "wiki" | "wikitext" | "mediawiki" => Format::Wikitext,
            "json" => Format::Json,
            "html" | "htm" => Format::Html,
            "md" | "markdown" => Format::Markdown,
            "text" | "txt" | "plain" => Format::Text,
            _ => return None,
        })
    }
}

/// Whether text starts like an HTML document or fragment.
fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(200)
        .collect::<String>()
        .to_ascii_lowercase();
    [
        "<!doctype html",
        "<html",
        "<meta",
        "<body",
        "<div",
        "<p",
        "<h1",
        "<h2",
        "<table",
        "<ul",
        "<span",
        "<b ",
        "<style",
        "<head",
    ]
    .iter()
    .any(|t| head.starts_with(t))
}

/// How documents are read: the HTML parser (natively html5ever with the core's `html`
/// feature; the web app passes its `DOMParser` walk) and the conversion's options.
#[derive(Clone, Copy, Debug)]
pub struct Readers {
    pub html: Option<fn(&str) -> Document>,
    pub convert: convert::Options,
}

impl Default for Readers {
    fn default() -> Self {
        Readers {
            #[cfg(feature = "html")]
            html: Some(convert::parse_html),
            #[cfg(not(feature = "html"))]
            html: None,
            convert: convert::Options::default(),
        }
    }
}

/// What a file held.
#[derive(Clone, Debug, PartialEq)]
pub enum Opened {
    /// A wiki page: the report read from it, with what was kept as written. A page has no
    /// title of its own (the title is the wiki's page name).
    Page(Import),
    /// One report, from a report file, a stored draft or a share payload.
    Report(Report),
    /// A backup of a library, with the drafts in it that could not be read.
    Backup(Backup, Vec<Unreadable>),
    /// A document converted into a report, with what was found, for the author to review.
    Document(Conversion),
}

impl Opened {
    /// The one report in it; a backup gives its only draft, or says how many it has.
    pub fn into_report(self) -> Result<Report, ReadError> {
        match self {
            Opened::Page(page) => Ok(page.report),
            Opened::Report(report) => Ok(report),
            Opened::Document(conversion) => Ok(conversion.report),
            Opened::Backup(mut backup, _) if backup.drafts.len() == 1 => {
                Ok(backup.drafts.remove(0).report)
            }
            Opened::Backup(backup, _) => Err(ReadError::Backup(backup.drafts.len())),
        }
    }
}

/// Why a file could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Not UTF-8 text.
    NotText,
    /// JSON that is not a report irdoc can read.
    Json(JsonError),
    /// A backup of this many drafts where one report was wanted.
    Backup(usize),
    /// HTML, where no HTML parser is at hand.
    NoHtmlParser,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotText => f.write_str("it is not text (UTF-8)"),
            ReadError::Json(e) => e.fmt(f),
            ReadError::Backup(n) => write!(
                f,
                "it is a backup of {n} drafts: restore it in the draft library"
            ),
            ReadError::NoHtmlParser => f.write_str("HTML cannot be read here"),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<JsonError> for ReadError {
    fn from(e: JsonError) -> Self {
        ReadError::Json(e)
    }
}

/// Reads a file named `name` (only its extension matters), in the format it seems to have.
pub fn read_any(name: &str, bytes: &[u8]) -> Result<Opened, ReadError> {
    read_any_with(name, bytes, &Readers::default())
}

/// [`read_any`] with the given readers.
pub fn read_any_with(name: &str, bytes: &[u8], readers: &Readers) -> Result<Opened, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotText)?;
    read_as_with(Format::of(name, text), text, readers)
}

/// Reads `text` as `format`.
pub fn read_as(format: Format, text: &str) -> Result<Opened, ReadError> {
    read_as_with(format, text, &Readers::default())
}

/// Reads `text` as `format` with the given readers.
pub fn read_as_with(format: Format, text: &str, readers: &Readers) -> Result<Opened, ReadError> {
    let document = match format {
        Format::Wikitext => return Ok(Opened::Page(import(text))),
        Format::Json => return read_json(text),
        Format::Html => (readers.html.ok_or(ReadError::NoHtmlParser)?)(text),
        Format::Markdown => convert::read_markdown(text),
        Format::Text => convert::read_text(text),
    };
    Ok(Opened::Document(convert::to_report(
        &document,
        &readers.convert,
    )))
}

fn read_json(text: &str) -> Result<Opened, ReadError> {
    // The `"format"` tag of irdoc's JSON envelopes; a report file has none. Read through a
    // `Value`, as the readers below do, rather than a type of its own, which would add a
    // deserializer to the web app. Not an object, or not JSON: the report reader says what
    // is wrong with it.
    let value = serde_json::from_str::<serde_json::Value>(text).ok();
    let tag = value.as_ref().and_then(|v| v.get("format")?.as_str());
    match tag {
        Some("irdoc-draft") => Ok(Opened::Report(decode_draft(text)?.report)),
        Some("irdoc-backup") => {
            let (backup, unreadable) = decode_backup(text)?;
            Ok(Opened::Backup(backup, unreadable))
        }
        Some(crate::share::PAYLOAD_FORMAT) => crate::share::read_payload(text.as_bytes())
            .map(|shared| Opened::Report(shared.report))
            .map_err(|_| ReadError::Json(JsonError::Foreign("share payload"))),
        _ => Ok(Opened::Report(report_from_json(text)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafts::{encode_backup, encode_draft, StoredDraft};
    use crate::json::report_to_json;

    const PAGE: &str = crate::test_pages::SESSIONSTORE;

    fn report() -> Report {
        Report {
            title: "Incidents/2025-03-31 sessionstore".into(),
            ..import(PAGE).report
        }
    }

    fn draft(id: &str) -> StoredDraft {
        StoredDraft {
            id: id.into(),
            rev: 1,
            saved_at_ms: 5,
            writer: "tab".into(),
            report: report(),
        }
    }

    #[test]
    fn the_format_comes_from_the_extension_then_the_content() {
        assert_eq!(Format::of("a.JSON", "== x =="), Format::Json);
        assert_eq!(Format::of("a.wiki", "{\"title\": 1}"), Format::Wikitext);
        assert_eq!(Format::of("-", "  {\"title\": 1}"), Format::Json);
        assert_eq!(
            Format::of("pasted", "{{irdoc|status=draft}}"),
            Format::Wikitext
        );
        assert_eq!(Format::of("doc.HTML", "x"), Format::Html);
        assert_eq!(Format::of("doc.md", "x"), Format::Markdown);
        assert_eq!(Format::of("page.txt", PAGE), Format::Wikitext);
        assert_eq!(Format::of("notes.txt", "Summary\n• 18:33 a"), Format::Text);
        assert_eq!(
            Format::of("-", "<meta charset=utf-8><b>x</b>"),
            Format::Html
        );
        assert_eq!(Format::of("-", "# Summary\n\ntext"), Format::Markdown);
        assert_eq!(Format::of("-", "Summary\nan outage"), Format::Text);
    }

    #[test]
    fn every_file_irdoc_writes_opens_as_its_report() {
        let want = report();
        let share = crate::share::payload(&crate::share::Shared {
            id: "x".into(),
            report: want.clone(),
        });
        let files = [
            ("r.json", report_to_json(&want).into_bytes()),
            ("draft", encode_draft(&draft("a")).into_bytes()),
            ("payload", share),
        ];
        for (name, bytes) in files {
            let opened = read_any(name, &bytes).unwrap();
            assert_eq!(opened.into_report().unwrap(), want, "{name}");
        }
        let page = read_any("page.wiki", PAGE.as_bytes()).unwrap();
        assert!(matches!(&page, Opened::Page(i) if crate::export(&i.report) == PAGE));
    }

    #[test]
    fn a_backup_opens_as_a_backup_and_as_a_report_only_when_it_has_one() {
        let backup = |drafts| {
            encode_backup(&Backup {
                exported_at_ms: 1,
                drafts,
            })
        };
        let one = read_any("b.json", backup(vec![draft("a")]).as_bytes()).unwrap();
        assert!(matches!(&one, Opened::Backup(b, u) if b.drafts.len() == 1 && u.is_empty()));
        assert_eq!(one.into_report().unwrap(), report());
        let two = read_any("b.json", backup(vec![draft("a"), draft("b")]).as_bytes()).unwrap();
        assert_eq!(two.into_report(), Err(ReadError::Backup(2)));
    }

    #[test]
    fn what_cannot_be_read_says_why() {
        assert_eq!(read_any("x.wiki", b"\xff\xfe"), Err(ReadError::NotText));
        let err = read_any("x.json", b"{\"title\": 5}").unwrap_err();
        assert!(matches!(
            err,
            ReadError::Json(JsonError::Malformed { line: 1, .. })
        ));
        assert_eq!(
            read_any("x.json", b"{\"format\": \"irdoc-share\"}"),
            Err(ReadError::Json(JsonError::Foreign("share payload")))
        );
        assert_eq!(
            read_any(
                "x.json",
                b"{\"format\": \"irdoc-draft\", \"report\": {\"schema\": 9}}"
            ),
            Err(ReadError::Json(JsonError::NewerSchema(9)))
        );
    }
}
