//! Documents in the browser: the browser's own `DOMParser` parses HTML (an inert document:
//! no script runs, nothing loads), and an iterative walk over its tree feeds the core's
//! one [`HtmlBuilder`], so the app and the CLI share every HTML rule.

use irdoc_core::convert::{Document, HtmlBuilder};
use wasm_bindgen::JsCast;
use web_sys::{DomParser, Element, Node, SupportedType};

/// Parses HTML (a `text/html` clipboard, an `.html` file) into the core's document tree.
/// A loop, not recursion: any depth of nesting walks in constant stack.
pub fn parse_html(html: &str) -> Document {
    let mut b = HtmlBuilder::new();
    let root: Option<Node> = DomParser::new()
        .ok()
        .and_then(|p| p.parse_from_string(html, SupportedType::TextHtml).ok())
        .and_then(|d| d.document_element())
        .map(Into::into);
    let Some(root) = root else {
        return b.finish();
    };
    let mut at = Some(root.clone());
    while let Some(node) = at {
        let mut descend = None;
        match node.node_type() {
            Node::ELEMENT_NODE => {
                let el: &Element = node.unchecked_ref();
                let tag = el.local_name();
                let get = |name: &str| el.get_attribute(name).unwrap_or_default();
                let (href, style, class, id) = (get("href"), get("style"), get("class"), get("id"));
                b.open(
                    &tag,
                    &[
                        ("href", &href),
                        ("style", &style),
                        ("class", &class),
                        ("id", &id),
                    ],
                );
                descend = node.first_child();
                if descend.is_none() {
                    b.close(&tag);
                }
            }
            Node::TEXT_NODE | Node::CDATA_SECTION_NODE => {
                if let Some(text) = node.node_value() {
                    b.text(&text);
                }
            }
            _ => {}
        }
        if descend.is_some() {
            at = descend;
            continue;
        }
        // The next sibling, else up, closing each element left.
        let mut cur = node;
        at = loop {
            if cur.is_same_node(Some(&root)) {
                break None;
            }
            if let Some(next) = cur.next_sibling() {
                break Some(next);
            }
            match cur.parent_node() {
                Some(parent) => {
                    if let Some(el) = parent.dyn_ref::<Element>() {
                        b.close(&el.local_name());
                    }
                    cur = parent;
                }
                None => break None,
            }
        };
    }
    b.finish()
}
