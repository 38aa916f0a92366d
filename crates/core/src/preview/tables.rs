//! Tables: `{| … |}` split into caption, rows and cells. A cell's first line
//! is inline text and the lines after it are blocks; nested tables go with the
//! cell they are in. Attributes typed by the author are parsed here and only
//! `rowspan`/`colspan` (small numbers) and `align` (keywords) survive.

use std::fmt::Write as _;
use std::ops::Range;

use super::blocks::Lines;
use super::escape::decode_entities;
use super::preprocess::find_bytes;
use super::templates::split_outside_links;
use super::{Renderer, MARK, MAX_NESTING};

/// Parses `name="v" name='v' name=v name` pairs, leniently.
fn parse_attrs(raw: &str) -> Vec<(&str, &str)> {
    let b = raw.as_bytes();
    let is_name = |c: u8| c.is_ascii_alphanumeric() || b"-_:.".contains(&c);
    let mut attrs = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !is_name(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_name(b[i]) {
            i += 1;
        }
        let name = &raw[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = "";
        if b.get(i) == Some(&b'=') {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = find_bytes(b, i + 1, &[q]).unwrap_or(b.len());
                    value = &raw[i + 1..end];
                    i = end + 1;
                }
                Some(_) => {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() {
                        i += 1;
                    }
                    value = &raw[start..i];
                }
                None => {}
            }
        }
        attrs.push((name, value));
    }
    attrs
}

/// Keeps only the attributes a preview needs: `rowspan`/`colspan` with a
/// number (cells only) and `align` with a keyword. Everything else — `style`,
/// `class`, `on…` handlers — is dropped.
fn safe_attrs(raw: &str, cell: bool) -> String {
    let mut out = String::new();
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in parse_attrs(raw) {
        let name = name.to_ascii_lowercase();
        if seen.contains(&name) {
            continue;
        }
        let value = decode_entities(value);
        let value = value.trim();
        let kept = match name.as_str() {
            "rowspan" | "colspan" if cell => {
                let ok = !value.is_empty()
                    && value.len() <= 4
                    && value.bytes().all(|c| c.is_ascii_digit());
                ok.then(|| value.parse::<u32>().ok())
                    .flatten()
                    .filter(|n| (1..=1000).contains(n))
                    .map(|n| n.to_string())
            }
            "align" => {
                let v = value.to_ascii_lowercase();
                matches!(v.as_str(), "left" | "right" | "center").then_some(v)
            }
            _ => None,
        };
        if let Some(v) = kept {
            let _ = write!(out, " {name}=\"{v}\"");
            seen.push(name);
        }
    }
    out
}

/// `{|`, optionally indented by up to [`MAX_NESTING`] `:` (number of colons
/// returned). A deeper indent is a list line whose text starts with `:`.
pub(super) fn table_indent(line: &str) -> Option<usize> {
    let colons = line
        .bytes()
        .take(MAX_NESTING + 1)
        .take_while(|&c| c == b':')
        .count();
    (colons <= MAX_NESTING && line[colons..].trim_start().starts_with("{|")).then_some(colons)
}

struct Cell<'a> {
    header: bool,
    attrs: String,
    first: &'a str,
    /// The lines that continue it, in the table's [`Lines`].
    rest: Range<usize>,
}

impl<'a> Cell<'a> {
    /// `attrs | content` or `content`; like MediaWiki, a `[[` before the first
    /// pipe means the pipe belongs to a link.
    fn parse(s: &'a str, header: bool) -> Self {
        let (attrs, first) = match s.split_once('|') {
            Some((a, c)) if !a.contains("[[") && !a.contains(MARK) => (safe_attrs(a, true), c),
            _ => (String::new(), s),
        };
        Cell {
            header,
            attrs,
            first,
            rest: 0..0,
        }
    }
}

struct Row<'a> {
    attrs: String,
    cells: Vec<Cell<'a>>,
}

/// Where a line that is not table syntax belongs.
#[derive(Clone, Copy, Default)]
enum Slot {
    #[default]
    Stray,
    Caption,
    Cell,
}

#[derive(Default)]
struct TableParts<'a> {
    caption: Option<Cell<'a>>,
    rows: Vec<Row<'a>>,
    /// Runs of lines outside any cell.
    stray: Vec<Range<usize>>,
    after: &'a str,
    slot: Slot,
}

impl<'a> TableParts<'a> {
    fn add_cells(&mut self, cells: Vec<&'a str>, header: bool) {
        if self.rows.is_empty() {
            self.rows.push(Row {
                attrs: String::new(),
                cells: Vec::new(),
            });
        }
        if let Some(row) = self.rows.last_mut() {
            row.cells
                .extend(cells.into_iter().map(|c| Cell::parse(c, header)));
        }
        self.slot = Slot::Cell;
    }

    /// Gives the lines since the last table syntax to the cell or caption
    /// they continue, or to the stray text.
    fn continue_slot(&mut self, lines: Range<usize>) {
        if lines.is_empty() {
            return;
        }
        let continued = match self.slot {
            Slot::Caption => self.caption.as_mut(),
            Slot::Cell => self.rows.last_mut().and_then(|r| r.cells.last_mut()),
            Slot::Stray => None,
        };
        match continued {
            Some(cell) => cell.rest = lines,
            None => self.stray.push(lines),
        }
    }
}

impl Renderer {
    /// Renders the `{| … |}` table at `range` of `lines` (its first line is
    /// the `{|`). Nested tables are skipped over whole: they belong to the
    /// cell they are in and are rendered with it.
    pub(super) fn table(&mut self, lines: &Lines<'_>, range: Range<usize>) -> String {
        let mut t = TableParts::default();
        // Start of the lines since the last table syntax.
        let mut run = range.start + 1;
        let mut k = run;
        while k < range.end {
            let raw = lines.text[k];
            if table_indent(raw).is_some() {
                k = lines.table_end[k].min(range.end);
                continue;
            }
            let line = raw.trim();
            k += 1;
            if !line.starts_with(['|', '!']) {
                continue;
            }
            t.continue_slot(run..k - 1);
            run = k;
            if let Some(rest) = line.strip_prefix("|}") {
                t.after = rest;
                break;
            } else if let Some(rest) = line.strip_prefix("|-") {
                t.rows.push(Row {
                    attrs: safe_attrs(rest.trim_start_matches('-'), false),
                    cells: Vec::new(),
                });
                t.slot = Slot::Stray;
            } else if let Some(rest) = line.strip_prefix("|+") {
                t.caption = Some(Cell::parse(rest, false));
                t.slot = Slot::Caption;
            } else if let Some(rest) = line.strip_prefix('|') {
                t.add_cells(split_outside_links(rest, &[b"||"]), false);
            } else if let Some(rest) = line.strip_prefix('!') {
                t.add_cells(split_outside_links(rest, &[b"||", b"!!"]), true);
            }
        }
        t.continue_slot(run..k);
        self.render_table(lines, t)
    }

    fn render_table(&mut self, lines: &Lines<'_>, t: TableParts<'_>) -> String {
        let mut out = String::new();
        // Text outside cells: browsers move it before the table too.
        for run in t.stray.iter().filter(|run| !lines.is_blank(run)) {
            out.push_str(&self.block_lines(lines, run.clone()));
        }
        out.push_str("<table class=\"wt-table\">");
        if let Some(caption) = &t.caption {
            let html = self.cell_body(lines, caption);
            let _ = write!(out, "<caption>{html}</caption>");
        }
        out.push_str("<tbody>");
        for row in t.rows.iter().filter(|r| !r.cells.is_empty()) {
            let _ = write!(out, "<tr{}>", row.attrs);
            for cell in &row.cells {
                let tag = if cell.header { "th" } else { "td" };
                let html = self.cell_body(lines, cell);
                let _ = write!(out, "<{tag}{}>{html}</{tag}>", cell.attrs);
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table>\n");
        if !t.after.trim().is_empty() {
            self.paragraph(t.after, false, &mut out);
        }
        out
    }

    /// The first line of a cell is inline text; following lines are blocks
    /// (so `!Answer` + `(yes/no)` shows on two lines, as on the wiki).
    fn cell_body(&mut self, lines: &Lines<'_>, cell: &Cell<'_>) -> String {
        let mut html = self.inline(cell.first.trim(), true);
        if !lines.is_blank(&cell.rest) {
            html.push_str(&self.block_lines(lines, cell.rest.clone()));
        }
        html
    }
}

#[cfg(test)]
mod tests {
    use crate::preview::testing::{count, render_checked};

    // -- tables -------------------------------------------------------------

    #[test]
    fn table_rows_cells_and_attributes() {
        let html = render_checked("{| class=\"wikitable\" onclick=\"x\"\n|+ Cap\n! a !! b\n|-\n! rowspan=\"5\" |People\n| x || y\n|- align=\"center\" style=\"color:red\"\n| colspan=2 align=RIGHT style=\"background:url(javascript:x)\" | z\n|}");
        assert_eq!(
            html,
            "<table class=\"wt-table\"><caption>Cap</caption><tbody><tr><th>a</th><th>b</th></tr>\n\
             <tr><th rowspan=\"5\">People</th><td>x</td><td>y</td></tr>\n\
             <tr align=\"center\"><td colspan=\"2\" align=\"right\">z</td></tr>\n</tbody></table>\n"
        );
    }

    #[test]
    fn table_multiline_cells_and_nesting() {
        let html = render_checked("{|\n|first\nsecond line\n* item\n|\n{|\n|inner\n|}\n|}\nafter");
        assert_eq!(count(&html, "<table"), 2);
        assert!(html.contains("<td>first<p>second line</p>\n<ul><li>item</li></ul>\n</td>"));
        assert!(html.contains("<td><table class=\"wt-table\"><tbody><tr><td>inner</td></tr>"));
        assert!(html.ends_with("</table>\n<p>after</p>\n"));
        // Unclosed tables end with the text; `:{|` is indented.
        assert!(render_checked("{|\n| a").contains("<td>a</td>"));
        assert!(render_checked(":{|\n|a\n|}").starts_with("<dl><dd><table"));
    }

    #[test]
    fn table_cells_keep_link_pipes() {
        let html = render_checked("{|\n| [[File:Edit rate.png|thumb|Edit rate|none]]\n| [[a|b]] || [[c|d]]\n| x {{!}} y\n|}");
        assert!(html.contains("<td><div class=\"wt-file wt-thumb\">"));
        assert!(html.contains(">b</a></td><td><a"));
        assert!(
            html.contains("<td>y</td>"),
            "top-level {{{{!}}}} is a pipe: {html}"
        );
    }
}
