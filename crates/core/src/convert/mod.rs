//! Turning the documents authors have into a report: a Google Doc or a rendered wiki page
//! (HTML from the clipboard or a file), Markdown, or pasted plain text.
//!
//! Every reader produces the same small [`Document`] tree, and one mapping
//! ([`to_report`]) turns a document into a report, section by section, with a [`Review`]
//! of what was found. HTML has one set of rules, [`HtmlBuilder`], fed by events
//! (`open`, `close`, `text`): natively from html5ever (feature `html`, [`parse_html`]), in
//! the web app from a walk over the browser's `DOMParser` tree, and for Markdown from
//! pulldown-cmark's events. Plain text has its own line reader ([`read_text`]).
//!
//! Nothing read here is live markup: every text becomes plain text (escaped on export),
//! and only a link the document had becomes a wikitext link.

mod builder;
mod map;
#[cfg(feature = "markdown")]
mod markdown;
#[cfg(feature = "html")]
mod native;
mod plain;

pub use builder::HtmlBuilder;
pub use map::{to_report, Conversion, Found, Options, Review};
#[cfg(feature = "markdown")]
pub use markdown::read_markdown;

/// Markdown without pulldown-cmark (the web app, where it would not fit the download
/// budget): the plain-text reader, which knows `#` headings, `-`/`*` lists and `|` tables.
#[cfg(not(feature = "markdown"))]
pub fn read_markdown(text: &str) -> Document {
    read_text(text)
}
#[cfg(feature = "html")]
pub use native::parse_html;
pub use plain::{looks_like_markdown, looks_like_wikitext, read_text};

/// A document read from outside: blocks of text, lists and tables.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    pub blocks: Vec<Block>,
}

/// How deep lists and tables nest in a [`Document`]: deeper ones are read as paragraphs of
/// the innermost level kept, so that any input converts in bounded stack depth.
pub const MAX_NESTING: usize = 24;

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        inlines: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    /// Items are blocks, so nested lists stay nested.
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    /// Rows of cells of blocks.
    Table(Vec<Vec<Vec<Block>>>),
    Preformatted(String),
}

/// Bold and italic, as a run of text has them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text {
        text: String,
        style: Style,
    },
    /// Only `http(s)` and `mailto` targets are links; anything else was read as text.
    Link {
        label: String,
        href: String,
        style: Style,
    },
    Break,
}

impl Inline {
    /// The visible text (a line break is `\n`).
    pub fn text(&self) -> &str {
        match self {
            Inline::Text { text, .. } => text,
            Inline::Link { label, .. } => label,
            Inline::Break => "\n",
        }
    }
}

/// The visible text of a run of inlines.
pub fn inline_text(inlines: &[Inline]) -> String {
    inlines.iter().map(Inline::text).collect()
}

impl Block {
    /// The block's visible text, lines and cells separated by line breaks and tabs.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write_text(&mut out);
        out
    }

    fn write_text(&self, out: &mut String) {
        let line = |out: &mut String| {
            if !out.is_empty() && !out.ends_with('\n') {
                out.push('\n');
            }
        };
        match self {
            Block::Heading { inlines, .. } | Block::Paragraph(inlines) => {
                line(out);
                out.push_str(&inline_text(inlines));
            }
            Block::Preformatted(s) => {
                line(out);
                out.push_str(s);
            }
            Block::List { items, .. } => {
                for item in items {
                    for b in item {
                        b.write_text(out);
                    }
                }
            }
            Block::Table(rows) => {
                for row in rows {
                    line(out);
                    for (i, cell) in row.iter().enumerate() {
                        if i > 0 {
                            out.push('\t');
                        }
                        let mut text = String::new();
                        for b in cell {
                            b.write_text(&mut text);
                        }
                        out.push_str(&text.replace('\n', " "));
                    }
                }
            }
        }
    }
}

impl Document {
    /// The document's visible text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            b.write_text(&mut out);
        }
        out
    }
}
