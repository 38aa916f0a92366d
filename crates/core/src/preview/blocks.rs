//! The block pass: headings, rules, lists (MediaWiki's prefix algorithm),
//! indented `<pre>` lines and paragraphs, line by line. Where each table ends
//! is found here, once for all levels ([`Lines`]); the tables stage renders
//! them. Block markers (boxes, `<pre>`, tables in templates) split paragraphs.

use std::fmt::Write as _;
use std::ops::Range;

use super::links::THUMB;
use super::preprocess::{find_bytes, marker_at};
use super::tables::table_indent;
use super::{Renderer, MARK_B, MAX_DEPTH, MAX_NESTING};

/// The lines of a block-level text, with where each table among them ends,
/// found in one pass: nested tables are not searched again at every level.
pub(super) struct Lines<'a> {
    pub(super) text: Vec<&'a str>,
    /// For a line that opens a table, the index just past its `|}` (or the
    /// number of lines when it is never closed).
    pub(super) table_end: Vec<usize>,
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

    pub(super) fn is_blank(&self, range: &Range<usize>) -> bool {
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
    /// Blank lines since the last other line.
    blanks: usize,
    /// MediaWiki's heading pattern ends in `\s*$`, which takes the blank lines after
    /// a heading with it: they make no `<p><br>`.
    after_heading: bool,
    /// MediaWiki's `<p><br>` for every second blank line in a row: the next text line
    /// joins it, anything else closes it.
    br: bool,
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

/// The first thumbnail in inline HTML that is not inside another element (`<b>`, a
/// link …), as the HTML before it, itself and after it.
fn top_level_thumb(html: &str) -> Option<(&str, &str, &str)> {
    let (mut depth, mut start) = (0usize, None);
    for (i, _) in html.match_indices('<') {
        let tag = &html[i..];
        if tag.starts_with("</") {
            depth = depth.saturating_sub(1);
            if let Some(s) = start.filter(|_| depth == 0) {
                let end = tag.find('>').map_or(html.len(), |e| i + e + 1);
                return Some((&html[..s], &html[s..end], &html[end..]));
            }
        } else if !tag.starts_with("<br>") {
            if depth == 0 && tag.starts_with(THUMB[0]) {
                start = Some(i);
            }
            depth += 1;
        }
    }
    None
}

fn push_tag(out: &mut String, open: &str, tag: &str) {
    out.push_str(open);
    out.push_str(tag);
    out.push('>');
}

/// Whether HTML has text outside its tags (or a line break).
fn has_text(html: &str) -> bool {
    html.split('<')
        .any(|s| s.starts_with("br>") || !s.split_once('>').map_or(s, |(_, t)| t).trim().is_empty())
}

/// Closes a `<p><br>` that no text line joined.
fn flush_br(st: &mut BlockState<'_>) {
    if std::mem::take(&mut st.br) {
        st.out.push_str("<p><br></p>\n");
    }
}

fn close_lists(st: &mut BlockState<'_>) {
    while let Some(c) = st.lists.pop() {
        st.out.push_str(close_list(c));
    }
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

impl Renderer {
    /// Renders block-level wikitext (already preprocessed).
    pub(super) fn blocks(&mut self, text: &str) -> String {
        let lines = Lines::new(text);
        self.block_lines(&lines, 0..lines.text.len())
    }

    /// Renders the block-level lines in `range`. Table cells pass their range
    /// of the same lines, so nested tables are neither copied nor searched
    /// again at every level.
    pub(super) fn block_lines(&mut self, lines: &Lines<'_>, range: Range<usize>) -> String {
        if self.depth >= MAX_DEPTH {
            return self.plain(&lines.text[range].join("\n"));
        }
        self.depth += 1;
        let mut st = BlockState::default();
        let mut i = range.start;
        while i < range.end {
            let line = lines.text[i];
            if !line.trim().is_empty() {
                st.blanks = 0;
                st.after_heading = false;
            }
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
                st.after_heading = true;
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
            if !st.after_heading {
                st.blanks += 1;
                if st.blanks.is_multiple_of(2) {
                    st.br = true;
                } else {
                    flush_br(st);
                }
            }
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
            flush_br(st);
            return;
        }
        let text = st.para.join("\n");
        st.para.clear();
        let br = std::mem::take(&mut st.br);
        self.paragraph(&text, br, &mut st.out);
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

    /// Wraps text in `<p>` (after a `<br>` when `br`), but emits block markers
    /// (boxes, tables, `<pre>`) between paragraphs: a `<div>` inside `<p>` would be
    /// torn apart by the browser.
    pub(super) fn paragraph(&mut self, text: &str, mut br: bool, out: &mut String) {
        let b = text.as_bytes();
        let (mut i, mut segment) = (0, 0);
        // Tags that reopen, after a block, the elements it split (`<small>…{{Note}}…</small>`).
        let mut reopen = String::new();
        while let Some(p) = find_bytes(b, i, &[MARK_B]) {
            match marker_at(b, p) {
                Some((idx, end)) if self.is_block(idx) => {
                    let before = reopen.clone() + &text[segment..p];
                    self.left_open.clear();
                    self.between_blocks(&before, segment > 0, true, &mut br, out);
                    // As browsers (and so MediaWiki) do: the elements open around a block
                    // wrap it, and the tags continue after it.
                    let open = std::mem::take(&mut self.left_open);
                    reopen.clear();
                    for &(tag, quote) in &open {
                        push_tag(out, "<", tag);
                        if !quote {
                            push_tag(&mut reopen, "<", tag);
                        }
                    }
                    let html = self.realize(idx);
                    out.push_str(&html);
                    for (tag, _) in open.iter().rev() {
                        push_tag(out, "</", tag);
                    }
                    segment = end;
                    i = end;
                }
                Some((_, end)) => i = end,
                None => i = p + 1,
            }
        }
        let rest = reopen + &text[segment..];
        self.between_blocks(&rest, segment > 0, false, &mut br, out);
    }

    /// The paragraphs of the lines between two blocks (`after_block`, `before_block`)
    /// or a paragraph's ends: MediaWiki wraps a run of lines in one paragraph, but
    /// the text beside a block on its line makes a paragraph of its own.
    fn between_blocks(
        &mut self,
        text: &str,
        after_block: bool,
        before_block: bool,
        br: &mut bool,
        out: &mut String,
    ) {
        let head = match after_block {
            true => text.find('\n').unwrap_or(text.len()),
            false => 0,
        };
        let tail = match before_block {
            true => text.rfind('\n').map_or(0, |p| p + 1),
            false => text.len(),
        };
        let tail = tail.max(head);
        for (k, piece) in [&text[..head], &text[head..tail], &text[tail..]]
            .into_iter()
            .enumerate()
        {
            // The text before a block on its line is not in the paragraph a `<br>` opened.
            if k == 2 && std::mem::take(br) {
                out.push_str("<p><br></p>\n");
            }
            if !piece.trim().is_empty() {
                self.inline_paragraph(piece, std::mem::take(br), out);
            }
        }
    }

    /// A paragraph's text, split around the thumbnails in it: MediaWiki ends the
    /// paragraph before a block and starts another after it.
    fn inline_paragraph(&mut self, text: &str, br: bool, out: &mut String) {
        let html = self.inline(text.trim(), true);
        if !br && !has_text(&html) {
            // Only the ends of elements a block split: MediaWiki makes no paragraph.
            return;
        }
        let mut br = if br { "<br>" } else { "" };
        let mut rest = html.as_str();
        loop {
            let (para, block) = match top_level_thumb(rest) {
                Some((before, block, after)) => {
                    rest = after;
                    (before, Some(block))
                }
                None => (rest, None),
            };
            if !para.trim().is_empty() || !br.is_empty() {
                let _ = writeln!(out, "<p>{br}{}</p>", para.trim());
                br = "";
            }
            match block {
                Some(block) => out.push_str(block),
                None => break,
            }
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preview::render;
    use crate::preview::testing::{count, headings, render_checked};

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
    fn every_second_blank_line_is_a_paragraph_with_a_line_break() {
        // As MediaWiki 1.39 parses each (api.php action=parse).
        for (input, html) in [
            ("a\n\nb", "<p>a</p>\n<p>b</p>\n"),
            ("a\n\n\nb", "<p>a</p>\n<p><br>b</p>\n"),
            ("a\n\n\n\nb", "<p>a</p>\n<p><br></p>\n<p>b</p>\n"),
            ("a\n\n\n\n\nb", "<p>a</p>\n<p><br></p>\n<p><br>b</p>\n"),
            (
                "* a\n\n\n* b",
                "<ul><li>a</li></ul>\n<p><br></p>\n<ul><li>b</li></ul>\n",
            ),
            ("== H ==\n\n\n\n* a", "<h2>H</h2>\n<ul><li>a</li></ul>\n"),
        ] {
            assert_eq!(render_checked(input), html, "{input:?}");
        }
    }

    #[test]
    fn the_text_beside_a_block_on_its_line_is_a_paragraph_of_its_own() {
        // As MediaWiki parses them: <p>x</p><p>a </p><div>…</div><p> b</p><p>c</p>
        assert_eq!(
            render_checked("x\na {{Note|text=y}} b\nc"),
            "<p>x</p>\n<p>a</p>\n<div class=\"wt-note\">y</div>\n<p>b</p>\n<p>c</p>\n"
        );
        // Text glued after a template's `}}`, more lines, a blank line, a paragraph.
        assert_eq!(
            render_checked("{{Note|text=y}}glued\nmore\n\nnext"),
            "<div class=\"wt-note\">y</div>\n<p>glued</p>\n<p>more</p>\n<p>next</p>\n"
        );
        assert_eq!(
            render_checked("a\n\n\nb {{Note|text=y}}"),
            "<p>a</p>\n<p><br></p>\n<p>b</p>\n<div class=\"wt-note\">y</div>\n"
        );
    }

    #[test]
    fn a_block_inside_an_inline_element_splits_it_as_browsers_do() {
        // MediaWiki: <p>a <small>b </small></p><small><div>…</div></small><p><small> c</small> d</p>
        assert_eq!(
            render_checked("a <small>b {{Note|text=x}} c</small> d"),
            "<p>a <small>b</small></p>\n<small><div class=\"wt-note\">x</div>\n</small><p><small> c</small> d</p>\n"
        );
        assert_eq!(
            render_checked("''{{Note|text=x}}''"),
            "<i><div class=\"wt-note\">x</div>\n</i>"
        );
        // {{Todo}} is a mark in the text, as on the wiki: no box in the <small>.
        assert_eq!(
            render_checked("<small>{{Todo|}}</small>"),
            "<p><small><span class=\"wt-todo\"><b>TODO:</b></span> </small></p>\n"
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
}
