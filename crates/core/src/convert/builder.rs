//! The HTML rules, applied once: a tree builder fed by events from any HTML parser.
//!
//! What is a block, what is dropped (scripts, styles, frames, templates, page chrome), bold
//! and italic from tags and inline styles (Google Docs wraps a copy in
//! `<b id="docs-internal-guid-…" style="font-weight:normal">` and marks bold with
//! `<span style="font-weight:700">`), lists with their nesting, tables, and links, kept only
//! when they point to `http(s)` or `mailto`.
//!
//! Linear time and bounded memory for any events: at most [`MAX_OPEN`] elements are tracked
//! (deeper ones only count, so 10 MB of nested `<div>`s cost a counter), a close searches at
//! most that many, and lists and tables nest at most [`MAX_NESTING`] deep.

use super::{Block, Document, Inline, Style, MAX_NESTING};

/// Open elements tracked; deeper ones are counted and have no effect.
pub const MAX_OPEN: usize = 512;

/// What opening an element did, undone when it closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Effect {
    None,
    /// A block boundary: the paragraph before it ends.
    Block,
    /// Its content is not read (script, style, chrome).
    Skip,
    /// It opened this many containers (a list, an item, a table, a row, a cell).
    Containers(u8),
    Heading,
    Pre,
    Link,
}

struct Open {
    tag: Box<str>,
    style: Style,
    effect: Effect,
}

enum Container {
    List {
        ordered: bool,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
    Table(Vec<Vec<Vec<Block>>>),
    Row(Vec<Vec<Block>>),
    Cell(Vec<Block>),
}

struct OpenLink {
    href: Option<String>,
    label: String,
    style: Style,
}

/// Builds a [`Document`] from HTML events. Feed it `open`, `text` and `close` in document
/// order, then call [`HtmlBuilder::finish`].
pub struct HtmlBuilder {
    root: Vec<Block>,
    containers: Vec<Container>,
    inlines: Vec<Inline>,
    heading: Option<u8>,
    pre: Option<String>,
    link: Option<OpenLink>,
    stack: Vec<Open>,
    /// Elements opened beyond [`MAX_OPEN`].
    overflow: usize,
    /// Open elements whose content is dropped.
    skipping: usize,
}

impl Default for HtmlBuilder {
    fn default() -> Self {
        Self::new()
    }
}

/// Elements whose content is never text of the document.
const DROPPED: &[&str] = &[
    "script", "style", "iframe", "noscript", "template", "head", "title", "svg", "math", "object",
    "embed", "select", "textarea", "button", "input", "nav", "canvas", "audio", "video", "frame",
    "frameset", "form", "map", "meta", "link", "base", "dialog",
];

/// Elements that end the paragraph before them and start a new one.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "aside",
    "blockquote",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "address",
    "center",
    "hr",
    "details",
    "summary",
    "fieldset",
    "body",
    "html",
    "li",
    "tr",
    "td",
    "th",
    "caption",
    "ul",
    "ol",
    "table",
];

/// Page chrome of MediaWiki skins, by class or id: edit links, the table of contents, jump
/// links, the footer, navigation, the "From Wikitech" and redirect lines.
const CHROME: &[&str] = &[
    "mw-editsection",
    "toc",
    "toctitle",
    "mw-jump-link",
    "printfooter",
    "catlinks",
    "mw-navigation",
    "mw-head",
    "mw-panel",
    "footer",
    "mw-footer",
    "siteSub",
    "contentSub",
    "contentSub2",
    "jump-to-nav",
    "vector-header-container",
    "vector-toc",
    "vector-page-toolbar",
    "vector-column-start",
    "vector-sticky-header",
    "vector-main-menu-container",
    "vector-page-titlebar-toc",
    "mw-indicators",
    "noprint",
    "mw-hidden-catlinks",
    "mw-normal-catlinks",
    "mw-portlet",
    "vector-menu",
    "mw-head-base",
    "mw-page-base",
    "p-search",
    "mw-redirectedfrom",
    "mw-cite-backlink",
];

fn is_chrome(class: &str, id: &str) -> bool {
    CHROME.contains(&id) || class.split_ascii_whitespace().any(|c| CHROME.contains(&c))
}

impl HtmlBuilder {
    pub fn new() -> Self {
        HtmlBuilder {
            root: Vec::new(),
            containers: Vec::new(),
            inlines: Vec::new(),
            heading: None,
            pre: None,
            link: None,
            stack: Vec::new(),
            overflow: 0,
            skipping: 0,
        }
    }

    fn style(&self) -> Style {
        self.stack.last().map_or_else(Style::default, |o| o.style)
    }

    /// An element opens; `attrs` are its attributes (only `href`, `style`, `class` and `id`
    /// are read).
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        if self.stack.len() >= MAX_OPEN {
            self.overflow += 1;
            return;
        }
        let tag = tag.to_ascii_lowercase();
        let attr = |name: &str| {
            attrs
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
        };
        let css = attr("style").unwrap_or("");
        let mut style = self.style();
        match tag.as_str() {
            "b" | "strong" => style.bold = true,
            "i" | "em" | "cite" | "var" => style.italic = true,
            _ => {}
        }
        let hidden = apply_css(css, &mut style);
        let effect = if self.skipping > 0 {
            Effect::None
        } else if hidden
            || DROPPED.contains(&tag.as_str())
            || is_chrome(attr("class").unwrap_or(""), attr("id").unwrap_or(""))
        {
            self.skipping += 1;
            Effect::Skip
        } else {
            self.open_effect(&tag, attr("href"))
        };
        self.stack.push(Open {
            tag: tag.into_boxed_str(),
            style,
            effect,
        });
    }

    fn open_effect(&mut self, tag: &str, href: Option<&str>) -> Effect {
        let room = self.containers.len() < MAX_NESTING;
        let top_is = |b: &Self, f: fn(&Container) -> bool| b.containers.last().is_some_and(f);
        match tag {
            "br" => {
                self.line_break();
                Effect::None
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if self.heading.is_none() => {
                self.flush();
                self.heading = Some(tag.as_bytes()[1] - b'0');
                Effect::Heading
            }
            "pre" | "listing" | "xmp" if self.pre.is_none() => {
                self.flush();
                self.pre = Some(String::new());
                Effect::Pre
            }
            "a" if self.link.is_none() => {
                self.link = Some(OpenLink {
                    href: href.and_then(safe_href),
                    label: String::new(),
                    style: self.style(),
                });
                Effect::Link
            }
            "ul" | "ol" | "menu" if room => {
                self.flush();
                self.containers.push(Container::List {
                    ordered: tag == "ol",
                    items: Vec::new(),
                });
                Effect::Containers(1)
            }
            "li" if room && top_is(self, |c| matches!(c, Container::List { .. })) => {
                self.flush();
                self.containers.push(Container::Item(Vec::new()));
                Effect::Containers(1)
            }
            "table" if room => {
                self.flush();
                self.containers.push(Container::Table(Vec::new()));
                Effect::Containers(1)
            }
            "tr" if top_is(self, |c| matches!(c, Container::Table(_))) => {
                self.flush();
                self.containers.push(Container::Row(Vec::new()));
                Effect::Containers(1)
            }
            "td" | "th" if top_is(self, |c| matches!(c, Container::Row(_))) => {
                self.flush();
                self.containers.push(Container::Cell(Vec::new()));
                Effect::Containers(1)
            }
            "td" | "th" | "caption" if top_is(self, |c| matches!(c, Container::Table(_))) => {
                self.flush();
                self.containers.push(Container::Row(Vec::new()));
                self.containers.push(Container::Cell(Vec::new()));
                Effect::Containers(2)
            }
            _ if BLOCKS.contains(&tag) || is_heading(tag) || tag == "pre" => {
                self.flush();
                Effect::Block
            }
            _ => Effect::None,
        }
    }

    /// Text content (entities already decoded by the parser).
    pub fn text(&mut self, text: &str) {
        if self.skipping > 0 || text.is_empty() {
            return;
        }
        if let Some(pre) = &mut self.pre {
            pre.push_str(text);
            return;
        }
        if let Some(link) = &mut self.link {
            collapse_into(&mut link.label, text);
            return;
        }
        let style = self.style();
        match self.inlines.last_mut() {
            Some(Inline::Text {
                text: last,
                style: s,
            }) if *s == style => collapse_into(last, text),
            _ => {
                let mut s = String::new();
                // After a break or at the start, leading space does not show.
                let at_start = matches!(self.inlines.last(), None | Some(Inline::Break));
                collapse_into(&mut s, text);
                let s = if at_start {
                    s.trim_start().to_owned()
                } else {
                    s
                };
                if !s.is_empty() {
                    self.inlines.push(Inline::Text { text: s, style });
                }
            }
        }
    }

    /// An element closes. A close that matches no open element is ignored; one that matches
    /// an element further down closes the ones above it too.
    pub fn close(&mut self, tag: &str) {
        if self.overflow > 0 {
            self.overflow -= 1;
            return;
        }
        let Some(at) = self
            .stack
            .iter()
            .rposition(|o| o.tag.eq_ignore_ascii_case(tag))
        else {
            return;
        };
        while self.stack.len() > at {
            if let Some(open) = self.stack.pop() {
                self.undo(open.effect);
            }
        }
    }

    fn undo(&mut self, effect: Effect) {
        match effect {
            Effect::None => {}
            Effect::Skip => self.skipping -= 1,
            Effect::Block => self.flush(),
            Effect::Heading => {
                self.flush();
                self.heading = None;
            }
            Effect::Pre => {
                self.finish_link();
                if let Some(pre) = self.pre.take() {
                    let pre = pre.trim_matches('\n');
                    if !pre.trim().is_empty() {
                        self.blocks_mut().push(Block::Preformatted(pre.to_owned()));
                    }
                }
            }
            Effect::Link => self.finish_link(),
            Effect::Containers(n) => {
                self.flush();
                for _ in 0..n {
                    self.pop_container();
                }
            }
        }
    }

    fn line_break(&mut self) {
        if let Some(pre) = &mut self.pre {
            pre.push('\n');
        } else if let Some(link) = &mut self.link {
            link.label.push(' ');
        } else {
            trim_end(&mut self.inlines);
            self.inlines.push(Inline::Break);
        }
    }

    fn finish_link(&mut self) {
        let Some(link) = self.link.take() else {
            return;
        };
        let label = link.label.trim();
        if label.is_empty() {
            return;
        }
        if link.label.starts_with(' ') {
            self.text(" ");
        }
        match link.href {
            Some(href) => self.inlines.push(Inline::Link {
                label: label.to_owned(),
                href,
                style: link.style,
            }),
            None => {
                let style = link.style;
                self.inlines.push(Inline::Text {
                    text: label.to_owned(),
                    style,
                })
            }
        }
        if link.label.ends_with(' ') {
            self.inlines.push(Inline::Text {
                text: " ".into(),
                style: link.style,
            });
        }
    }

    /// Where blocks go now: the open item or cell, else the document (an item or cell is
    /// made for content directly inside a list, table or row).
    fn blocks_mut(&mut self) -> &mut Vec<Block> {
        match self.containers.last_mut() {
            None => &mut self.root,
            Some(Container::Item(b) | Container::Cell(b)) => b,
            Some(Container::List { items, .. }) => {
                if items.is_empty() {
                    items.push(Vec::new());
                }
                items.last_mut().expect("an item")
            }
            Some(Container::Table(rows)) => {
                if rows.is_empty() {
                    rows.push(Vec::new());
                }
                let row = rows.last_mut().expect("a row");
                if row.is_empty() {
                    row.push(Vec::new());
                }
                row.last_mut().expect("a cell")
            }
            Some(Container::Row(cells)) => {
                if cells.is_empty() {
                    cells.push(Vec::new());
                }
                cells.last_mut().expect("a cell")
            }
        }
    }

    /// Ends the paragraph (or heading) being read.
    fn flush(&mut self) {
        if self.link.is_some() {
            let href = self.link.as_ref().and_then(|l| l.href.clone());
            let style = self.link.as_ref().map_or_else(Style::default, |l| l.style);
            self.finish_link();
            self.link = Some(OpenLink {
                href,
                label: String::new(),
                style,
            });
        }
        let mut inlines = std::mem::take(&mut self.inlines);
        trim_end(&mut inlines);
        while matches!(inlines.first(), Some(Inline::Break)) {
            inlines.remove(0);
        }
        if let Some(Inline::Text { text, .. }) = inlines.first_mut() {
            let trimmed = text.trim_start();
            if trimmed.len() != text.len() {
                *text = trimmed.to_owned();
            }
        }
        if inlines.iter().all(|i| i.text().trim().is_empty()) {
            return;
        }
        let block = match self.heading {
            Some(level) => Block::Heading { level, inlines },
            None => Block::Paragraph(inlines),
        };
        self.blocks_mut().push(block);
    }

    fn pop_container(&mut self) {
        let Some(container) = self.containers.pop() else {
            return;
        };
        match container {
            Container::Item(blocks) => match self.containers.last_mut() {
                Some(Container::List { items, .. }) => items.push(blocks),
                _ => self.blocks_mut().extend(blocks),
            },
            Container::Cell(blocks) => match self.containers.last_mut() {
                Some(Container::Row(cells)) => cells.push(blocks),
                _ => self.blocks_mut().extend(blocks),
            },
            Container::Row(cells) => match self.containers.last_mut() {
                Some(Container::Table(rows)) => {
                    if !cells.is_empty() {
                        rows.push(cells)
                    }
                }
                _ => self.blocks_mut().extend(cells.into_iter().flatten()),
            },
            Container::List { ordered, items } => {
                let items: Vec<Vec<Block>> = items.into_iter().filter(|i| !i.is_empty()).collect();
                if items.is_empty() {
                    return;
                }
                // A list directly inside a list (Google Docs nests them so) belongs to the
                // item before it.
                self.blocks_mut().push(Block::List { ordered, items });
            }
            Container::Table(rows) => {
                if !rows.is_empty() {
                    self.blocks_mut().push(Block::Table(rows));
                }
            }
        }
    }

    /// Closes whatever is still open and returns the document.
    pub fn finish(mut self) -> Document {
        self.overflow = 0;
        while let Some(open) = self.stack.pop() {
            self.undo(open.effect);
        }
        self.skipping = 0;
        self.flush();
        while !self.containers.is_empty() {
            self.pop_container();
        }
        Document { blocks: self.root }
    }
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Drops trailing spaces and breaks.
fn trim_end(inlines: &mut Vec<Inline>) {
    loop {
        match inlines.last_mut() {
            Some(Inline::Break) => {
                inlines.pop();
            }
            Some(Inline::Text { text, .. }) => {
                let len = text.trim_end().len();
                if len == 0 {
                    inlines.pop();
                } else {
                    text.truncate(len);
                    return;
                }
            }
            _ => return,
        }
    }
}

/// Appends `text` with runs of white space as one space, as a browser shows it.
fn collapse_into(out: &mut String, text: &str) {
    let mut space = out.ends_with(' ');
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
}

/// Reads `font-weight`, `font-style` and `display: none` from an inline style; returns
/// whether the element is hidden.
fn apply_css(css: &str, style: &mut Style) -> bool {
    let mut hidden = false;
    for decl in css.split(';') {
        let Some((name, value)) = decl.split_once(':') else {
            continue;
        };
        let value = value
            .trim()
            .trim_end_matches("!important")
            .trim()
            .to_ascii_lowercase();
        match name.trim().to_ascii_lowercase().as_str() {
            "font-weight" => match value.as_str() {
                "bold" | "bolder" => style.bold = true,
                "normal" | "lighter" => style.bold = false,
                n => {
                    if let Ok(weight) = n.parse::<u32>() {
                        style.bold = weight >= 600;
                    }
                }
            },
            "font-style" => match value.as_str() {
                "italic" | "oblique" => style.italic = true,
                "normal" => style.italic = false,
                _ => {}
            },
            "display" if value == "none" => hidden = true,
            _ => {}
        }
    }
    hidden
}

/// A link target kept as a link: `http(s)` and `mailto` only, without spaces or controls.
fn safe_href(href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    let scheme_ok = ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s));
    let clean = href.len() > 8 && !href.chars().any(|c| c.is_control() || c.is_whitespace());
    (scheme_ok && clean).then(|| href.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(events: &[(&str, &str)]) -> Document {
        let mut b = HtmlBuilder::new();
        for (kind, arg) in events {
            match *kind {
                "open" => b.open(arg, &[]),
                "close" => b.close(arg),
                _ => b.text(arg),
            }
        }
        b.finish()
    }

    #[test]
    fn paragraphs_lists_and_tables() {
        let d = doc(&[
            ("open", "p"),
            ("text", "  Hello\n  world "),
            ("close", "p"),
            ("open", "ul"),
            ("open", "li"),
            ("text", "one"),
            ("open", "ul"),
            ("open", "li"),
            ("text", "nested"),
            ("close", "li"),
            ("close", "ul"),
            ("close", "li"),
            ("close", "ul"),
            ("open", "table"),
            ("open", "tr"),
            ("open", "td"),
            ("text", "a"),
            ("close", "td"),
            ("open", "td"),
            ("text", "b"),
            ("close", "td"),
            ("close", "tr"),
            ("close", "table"),
        ]);
        assert_eq!(d.text(), "Hello world\none\nnested\na\tb");
        assert!(
            matches!(&d.blocks[1], Block::List { items, .. } if items.len() == 1 && items[0].len() == 2)
        );
    }

    #[test]
    fn unbalanced_events_never_panic() {
        let d = doc(&[
            ("close", "p"),
            ("open", "td"),
            ("open", "li"),
            ("text", "x"),
            ("close", "table"),
            ("open", "script"),
            ("text", "alert(1)"),
        ]);
        assert_eq!(d.text(), "x");
    }
}
