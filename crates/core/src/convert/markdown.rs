//! Markdown (Google Docs downloads a document as `.md`): pulldown-cmark's events, mapped
//! onto the HTML elements they stand for and fed to the one [`HtmlBuilder`], so Markdown
//! follows the same rules as HTML. Raw HTML in Markdown is read as text: it never becomes
//! markup.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Document, HtmlBuilder};

/// Reads a Markdown document (CommonMark with tables and strikethrough).
pub fn read_markdown(text: &str) -> Document {
    let mut b = HtmlBuilder::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Link { dest_url, .. } => b.open("a", &[("href", &dest_url)]),
                Tag::List(Some(_)) => b.open("ol", &[]),
                tag => b.open(start_name(&tag), &[]),
            },
            Event::End(tag) => b.close(end_name(tag)),
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => b.text(&t),
            Event::InlineMath(t) | Event::DisplayMath(t) => b.text(&t),
            Event::SoftBreak | Event::HardBreak => {
                b.open("br", &[]);
                b.close("br");
            }
            Event::Rule => {
                b.open("hr", &[]);
                b.close("hr");
            }
            Event::TaskListMarker(done) => b.text(if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(t) => b.text(&format!("[{t}]")),
        }
    }
    b.finish()
}

fn heading(level: HeadingLevel) -> &'static str {
    match level {
        HeadingLevel::H1 => "h1",
        HeadingLevel::H2 => "h2",
        HeadingLevel::H3 => "h3",
        HeadingLevel::H4 => "h4",
        HeadingLevel::H5 => "h5",
        HeadingLevel::H6 => "h6",
    }
}

fn start_name(tag: &Tag) -> &'static str {
    match tag {
        Tag::Paragraph => "p",
        Tag::Heading { level, .. } => heading(*level),
        Tag::BlockQuote(_) => "blockquote",
        Tag::CodeBlock(_) => "pre",
        Tag::HtmlBlock => "div",
        Tag::List(_) => "ul",
        Tag::Item => "li",
        Tag::FootnoteDefinition(_) | Tag::DefinitionList => "div",
        Tag::DefinitionListTitle => "dt",
        Tag::DefinitionListDefinition => "dd",
        Tag::Table(_) => "table",
        Tag::TableHead | Tag::TableRow => "tr",
        Tag::TableCell => "td",
        Tag::Emphasis => "em",
        Tag::Strong => "strong",
        Tag::Strikethrough => "s",
        Tag::Superscript => "sup",
        Tag::Subscript => "sub",
        Tag::Link { .. } => "a",
        Tag::Image { .. } => "span",
        Tag::MetadataBlock(_) => "script",
    }
}

fn end_name(tag: TagEnd) -> &'static str {
    match tag {
        TagEnd::Paragraph => "p",
        TagEnd::Heading(level) => heading(level),
        TagEnd::BlockQuote(_) => "blockquote",
        TagEnd::CodeBlock => "pre",
        TagEnd::HtmlBlock => "div",
        TagEnd::List(true) => "ol",
        TagEnd::List(false) => "ul",
        TagEnd::Item => "li",
        TagEnd::FootnoteDefinition | TagEnd::DefinitionList => "div",
        TagEnd::DefinitionListTitle => "dt",
        TagEnd::DefinitionListDefinition => "dd",
        TagEnd::Table => "table",
        TagEnd::TableHead | TagEnd::TableRow => "tr",
        TagEnd::TableCell => "td",
        TagEnd::Emphasis => "em",
        TagEnd::Strong => "strong",
        TagEnd::Strikethrough => "s",
        TagEnd::Superscript => "sup",
        TagEnd::Subscript => "sub",
        TagEnd::Link => "a",
        TagEnd::Image => "span",
        TagEnd::MetadataBlock(_) => "script",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::Block;

    #[test]
    fn headings_lists_tables_links() {
        let d = read_markdown(
            "## Timeline\n\n* 18:33 a [link](https://x.org/a)\n  * nested\n\n| Q | A |\n|---|---|\n| x | yes |\n\n<script>alert(1)</script>\n",
        );
        assert!(matches!(&d.blocks[0], Block::Heading { level: 2, .. }));
        assert!(matches!(&d.blocks[1], Block::List { items, .. } if items[0].len() == 2));
        assert!(matches!(&d.blocks[2], Block::Table(rows) if rows.len() == 2));
        assert_eq!(d.blocks[3].text(), "<script>alert(1)</script>");
    }
}
