//! Native HTML parsing for the CLI and tests: html5ever's tree builder (the HTML5 parsing
//! algorithm, as browsers parse) builds a small arena, and a walk over it feeds the same
//! [`HtmlBuilder`] the web app feeds from the browser's `DOMParser`.

use std::borrow::Cow;
use std::cell::RefCell;

use html5ever::interface::tree_builder::{
    ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink,
};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};
use html5ever::tree_builder::TreeBuilder;
use html5ever::{Attribute, LocalName, Namespace, QualName, TokenizerResult};

use super::{Document, HtmlBuilder};

/// Parses an HTML document or fragment (a clipboard's `text/html`, a saved page).
pub fn parse_html(html: &str) -> Document {
    let sink = Sink {
        nodes: RefCell::new(vec![Node::new(Kind::Document)]),
    };
    let limit = Limit {
        inner: TreeBuilder::new(sink, Default::default()),
        depth: std::cell::Cell::new(0),
    };
    let tokenizer = Tokenizer::new(limit, Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    let Tokenizer { sink, .. } = tokenizer;
    sink.inner.sink.finish().walk()
}

/// How deep start tags may nest before the tree builder sees them. The HTML tree builder
/// looks through its stack of open elements for each tag (scope checks), so a stack as
/// deep as the input is quadratic: like Chromium's parser, which caps the tree's depth at
/// 512, deeper start tags are dropped (their text is kept).
const MAX_DEPTH: usize = 256;

/// Elements without content, and elements whose end tag may be left out (the tree builder
/// closes them itself, so they do not deepen the tree without bound): not counted.
const UNCOUNTED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup",
    "tbody", "thead", "tfoot", "colgroup", "caption", "rb", "rt", "rtc", "rp",
];

/// Forwards the tokenizer's tokens to the tree builder, without start tags nested deeper
/// than [`MAX_DEPTH`].
struct Limit {
    inner: TreeBuilder<usize, Sink>,
    depth: std::cell::Cell<usize>,
}

impl TokenSink for Limit {
    type Handle = usize;

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<usize> {
        if let Token::TagToken(tag) = &token {
            if !tag.self_closing && !UNCOUNTED.contains(&&*tag.name) {
                let depth = self.depth.get();
                match tag.kind {
                    TagKind::StartTag => {
                        self.depth.set(depth + 1);
                        if depth >= MAX_DEPTH {
                            return TokenSinkResult::Continue;
                        }
                    }
                    TagKind::EndTag => {
                        self.depth.set(depth.saturating_sub(1));
                        if depth > MAX_DEPTH {
                            return TokenSinkResult::Continue;
                        }
                    }
                }
            }
        }
        self.inner.process_token(token, line)
    }

    fn end(&self) {
        self.inner.end()
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// The attributes the builder reads.
const READ: [&str; 4] = ["href", "style", "class", "id"];

enum Kind {
    Document,
    Element {
        name: QualName,
        attrs: Vec<(&'static str, String)>,
        template: Option<usize>,
    },
    Text(StrTendril),
    Other,
}

struct Node {
    parent: Option<usize>,
    first: Option<usize>,
    last: Option<usize>,
    prev: Option<usize>,
    next: Option<usize>,
    kind: Kind,
}

impl Node {
    fn new(kind: Kind) -> Self {
        Node {
            parent: None,
            first: None,
            last: None,
            prev: None,
            next: None,
            kind,
        }
    }
}

struct Sink {
    nodes: RefCell<Vec<Node>>,
}

struct Arena {
    nodes: Vec<Node>,
}

impl Arena {
    fn walk(self) -> Document {
        let nodes = &self.nodes;
        let mut builder = HtmlBuilder::new();
        let mut at = nodes[0].first;
        while let Some(i) = at {
            let node = &nodes[i];
            let mut descend = None;
            match &node.kind {
                Kind::Element { name, attrs, .. } => {
                    let attrs: Vec<(&str, &str)> =
                        attrs.iter().map(|(n, v)| (*n, v.as_str())).collect();
                    builder.open(&name.local, &attrs);
                    descend = node.first;
                    if descend.is_none() {
                        builder.close(&name.local);
                    }
                }
                Kind::Text(t) => builder.text(t),
                _ => {}
            }
            if descend.is_some() {
                at = descend;
                continue;
            }
            // Next sibling, else up, closing each parent left.
            let mut cur = i;
            at = loop {
                if let Some(next) = nodes[cur].next {
                    break Some(next);
                }
                match nodes[cur].parent {
                    Some(p) if p != 0 => {
                        if let Kind::Element { name, .. } = &nodes[p].kind {
                            builder.close(&name.local);
                        }
                        cur = p;
                    }
                    _ => break None,
                }
            };
        }
        builder.finish()
    }
}

/// An element's name, owned (the nodes live in a `RefCell`).
#[derive(Debug)]
struct Name(QualName);

impl ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Sink {
    fn add(&self, kind: Kind) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node::new(kind));
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], i: usize) {
        let (parent, prev, next) = (nodes[i].parent, nodes[i].prev, nodes[i].next);
        match prev {
            Some(p) => nodes[p].next = next,
            None => {
                if let Some(par) = parent {
                    nodes[par].first = next;
                }
            }
        }
        match next {
            Some(n) => nodes[n].prev = prev,
            None => {
                if let Some(par) = parent {
                    nodes[par].last = prev;
                }
            }
        }
        nodes[i].parent = None;
        nodes[i].prev = None;
        nodes[i].next = None;
    }

    fn append_node(nodes: &mut [Node], parent: usize, child: usize) {
        Self::detach(nodes, child);
        nodes[child].parent = Some(parent);
        match nodes[parent].last {
            Some(last) => {
                nodes[last].next = Some(child);
                nodes[child].prev = Some(last);
            }
            None => nodes[parent].first = Some(child),
        }
        nodes[parent].last = Some(child);
    }

    fn insert_before(nodes: &mut [Node], sibling: usize, child: usize) {
        Self::detach(nodes, child);
        let parent = nodes[sibling].parent;
        let prev = nodes[sibling].prev;
        nodes[child].parent = parent;
        nodes[child].next = Some(sibling);
        nodes[child].prev = prev;
        nodes[sibling].prev = Some(child);
        match prev {
            Some(p) => nodes[p].next = Some(child),
            None => {
                if let Some(par) = parent {
                    nodes[par].first = Some(child);
                }
            }
        }
    }

    /// A text child merges into a text node right before where it goes.
    fn text_node(&self, before: Option<usize>, text: &StrTendril) -> Option<usize> {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(Kind::Text(t)) = before.map(|b| &mut nodes[b].kind) {
            t.push_tendril(text);
            return None;
        }
        nodes.push(Node::new(Kind::Text(text.clone())));
        Some(nodes.len() - 1)
    }
}

impl TreeSink for Sink {
    type Handle = usize;
    type Output = Arena;
    type ElemName<'a>
        = Name
    where
        Self: 'a;

    fn finish(self) -> Arena {
        Arena {
            nodes: self.nodes.into_inner(),
        }
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Name {
        match &self.nodes.borrow()[*target].kind {
            Kind::Element { name, .. } => Name(name.clone()),
            // The tree builder asks only about elements.
            _ => Name(QualName::new(
                None,
                Namespace::from(""),
                LocalName::from(""),
            )),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let template = flags.template.then(|| self.add(Kind::Document));
        let attrs = read_attrs(attrs);
        self.add(Kind::Element {
            name,
            attrs,
            template,
        })
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.add(Kind::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.add(Kind::Other)
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        let child = match child {
            NodeOrText::AppendNode(n) => n,
            NodeOrText::AppendText(text) => {
                let last = self.nodes.borrow()[*parent].last;
                match self.text_node(last, &text) {
                    Some(n) => n,
                    None => return,
                }
            }
        };
        Self::append_node(&mut self.nodes.borrow_mut(), *parent, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &usize,
        prev_element: &usize,
        child: NodeOrText<usize>,
    ) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child)
        } else {
            self.append(prev_element, child)
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        match &self.nodes.borrow()[*target].kind {
            Kind::Element {
                template: Some(t), ..
            } => *t,
            _ => *target,
        }
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, child: NodeOrText<usize>) {
        let child = match child {
            NodeOrText::AppendNode(n) => n,
            NodeOrText::AppendText(text) => {
                let prev = self.nodes.borrow()[*sibling].prev;
                match self.text_node(prev, &text) {
                    Some(n) => n,
                    None => return,
                }
            }
        };
        Self::insert_before(&mut self.nodes.borrow_mut(), *sibling, child);
    }

    fn add_attrs_if_missing(&self, target: &usize, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Kind::Element { attrs: have, .. } = &mut nodes[*target].kind {
            for (name, value) in read_attrs(attrs) {
                if !have.iter().any(|(n, _)| *n == name) {
                    have.push((name, value));
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &usize) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut nodes = self.nodes.borrow_mut();
        let mut child = nodes[*node].first;
        while let Some(c) = child {
            child = nodes[c].next;
            Self::append_node(&mut nodes, *new_parent, c);
        }
    }
}

fn read_attrs(attrs: Vec<Attribute>) -> Vec<(&'static str, String)> {
    attrs
        .into_iter()
        .filter(|a| a.name.ns == html5ever::ns!())
        .filter_map(|a| {
            let name = READ.iter().find(|n| **n == &*a.name.local)?;
            Some((*name, a.value.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_as_browsers_do() {
        let d =
            parse_html("<p>one<p>two &amp; <b>three</b><ul><li>a<li>b</ul><script>x()</script>");
        assert_eq!(d.text(), "one\ntwo & three\na\nb");
    }
}
