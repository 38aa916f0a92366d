//! Plain text (a `text/plain` clipboard, a `.txt` file) as a [`Document`]: lines become
//! headings, paragraphs, lists and tables, the way they look to a reader.
//!
//! - A heading is a line of its own: `== Title ==`; a short line naming a known section
//!   ("Timeline", "What went well?", "Action items"); a short Title-case line between blank
//!   lines; or a short question right above a list.
//! - `•`, `◦`, `▪`, `-`, `–` and `+` bullets nest by indentation, wikitext's `*` by count.
//! - Tab-separated lines are table rows (a copied table); a line that starts in lower case
//!   or with `(` continues the cell before it (cells with line breaks). `| a | b |` lines
//!   are rows too.
//! - Markdown's `# Title` is a heading too, and its `| a | b |` rows a table.
//! - Other lines are paragraphs; a blank line ends one, and the lines of one paragraph
//!   are kept apart by line breaks.

use super::{Block, Document, Inline, Style, MAX_NESTING};

/// Reads plain text. Linear in its length; nesting is capped at [`MAX_NESTING`].
pub fn read_text(text: &str) -> Document {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().map(strip_edit).collect();
    let mut r = Reader {
        last_text: lines
            .iter()
            .rposition(|l| !l.trim().is_empty())
            .unwrap_or(0),
        ..Reader::default()
    };
    for i in 0..lines.len() {
        r.line(&lines, i);
    }
    r.flush();
    Document { blocks: r.blocks }
}

/// Whether text seems to be a wiki page's source rather than text copied from somewhere:
/// templates, tables or links in wikitext, and no tab-separated rows or `•` bullets.
pub fn looks_like_wikitext(text: &str) -> bool {
    let (mut wiki, mut plain, mut headings) = (0usize, 0usize, 0usize);
    for line in text.lines().take(5000) {
        let t = line.trim_start();
        if t.starts_with("{{") || t.starts_with("{|") || t.starts_with("|-") {
            wiki += 1;
        }
        if line.contains("[[") || line.contains("'''") || line.contains("<ref") {
            wiki += 1;
        }
        if line.contains('\t') || t.starts_with('•') {
            plain += 1;
        }
        if crate::layout::heading_level(line).is_some() {
            headings += 1;
        }
    }
    (wiki > 0 && wiki >= plain) || (headings > 0 && plain == 0)
}

/// Whether plain text seems to be Markdown: `#` headings or a pipe table's rule line.
pub fn looks_like_markdown(text: &str) -> bool {
    text.lines().take(5000).any(|line| {
        let hashes = line.bytes().take_while(|&b| b == b'#').count();
        let atx = (1..=6).contains(&hashes) && line[hashes..].starts_with(' ');
        let rule = line.trim().starts_with('|')
            && line.contains("---")
            && line
                .trim()
                .chars()
                .all(|c| matches!(c, '|' | '-' | ':' | ' '));
        atx || rule
    })
}

/// A rendered page copied as text keeps its "[edit]" links after headings.
fn strip_edit(line: &str) -> &str {
    let t = line.trim_end();
    for suffix in ["[edit | edit source]", "[edit source]", "[edit]"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            return rest.trim_end();
        }
    }
    line
}

#[derive(Default)]
struct Reader {
    blocks: Vec<Block>,
    para: Vec<Inline>,
    /// List items: depth and text.
    items: Vec<(usize, Vec<Inline>, bool)>,
    /// Indentation of each open list level.
    indents: Vec<usize>,
    table: Vec<Vec<String>>,
    columns: usize,
    /// The last line that is not blank.
    last_text: usize,
}

fn text(s: &str) -> Inline {
    Inline::Text {
        text: s.to_owned(),
        style: Style::default(),
    }
}

impl Reader {
    fn line(&mut self, lines: &[&str], i: usize) {
        let raw = lines[i];
        let t = raw.trim();
        if t.is_empty() || is_rule(t) {
            self.flush();
            return;
        }
        if !self.table.is_empty() && self.continues_table(raw) {
            return;
        }
        if let Some(level) = crate::layout::heading_level(t) {
            self.flush();
            let title = crate::layout::heading_title(t);
            self.heading(level as u8, title);
            return;
        }
        // Markdown's `## Title`.
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            self.flush();
            self.heading(
                hashes as u8,
                t[hashes..].trim().trim_end_matches('#').trim(),
            );
            return;
        }
        if let Some(cells) = row(raw) {
            self.flush_text();
            if !cells.is_empty() {
                self.columns = self.columns.max(cells.len());
                self.table.push(cells);
            }
            return;
        }
        if let Some((depth, ordered, body)) = self.bullet(raw) {
            self.flush_para();
            self.flush_table();
            let depth = depth.min(MAX_NESTING - 1);
            self.items.push((depth, vec![text(body)], ordered));
            return;
        }
        if is_heading_like(lines, i, self.last_text) {
            self.flush();
            self.heading(2, t.trim_end_matches(':'));
            return;
        }
        self.flush_table();
        // A line right under a bullet continues its item.
        let under_item = i > 0 && !lines[i - 1].trim().is_empty();
        if let (true, Some((_, inlines, _))) = (under_item, self.items.last_mut()) {
            push_line(inlines, t);
            return;
        }
        self.flush_list();
        push_line(&mut self.para, t);
    }

    fn heading(&mut self, level: u8, title: &str) {
        self.blocks.push(Block::Heading {
            level: level.clamp(1, 6),
            inlines: vec![text(title.trim())],
        });
    }

    /// A list item: its depth, whether numbered, and its text.
    fn bullet<'a>(&mut self, raw: &'a str) -> Option<(usize, bool, &'a str)> {
        let indent: usize = raw
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum();
        let t = raw.trim();
        // Wikitext's `*`, `**`: the count is the depth (`*18:16 text` needs no space).
        let stars = t.bytes().take_while(|&b| b == b'*').count();
        if stars > 0 && t.len() > stars {
            self.indents.clear();
            return Some((stars - 1, false, t[stars..].trim_start()));
        }
        let (ordered, body) = marker(t)?;
        while self.indents.last().is_some_and(|&top| indent < top) {
            self.indents.pop();
        }
        if self.indents.last().is_none_or(|&top| indent > top) {
            self.indents.push(indent);
        }
        Some((self.indents.len() - 1, ordered, body))
    }

    /// A line that continues the table: more cells of its last row, or more lines of its
    /// last cell.
    fn continues_table(&mut self, raw: &str) -> bool {
        let t = raw.trim();
        let continues = t.starts_with(|c: char| c.is_lowercase() || c == '(');
        let Some(last) = self.table.last_mut() else {
            return false;
        };
        if !continues {
            return false;
        }
        let mut cells = raw.split('\t').map(str::trim);
        if let (Some(first), Some(cell)) = (cells.next(), last.last_mut()) {
            if !first.is_empty() {
                cell.push('\n');
                cell.push_str(first);
            }
        }
        last.extend(cells.map(str::to_owned));
        self.columns = self.columns.max(last.len());
        true
    }

    fn flush_para(&mut self) {
        if !self.para.is_empty() {
            let para = std::mem::take(&mut self.para);
            self.blocks.push(Block::Paragraph(para));
        }
    }

    fn flush_table(&mut self) {
        if self.table.is_empty() {
            return;
        }
        let rows = std::mem::take(&mut self.table)
            .into_iter()
            .map(|cells| {
                cells
                    .into_iter()
                    .map(|c| {
                        if c.is_empty() {
                            Vec::new()
                        } else {
                            vec![Block::Paragraph(vec![text(&c)])]
                        }
                    })
                    .collect()
            })
            .collect();
        self.columns = 0;
        self.blocks.push(Block::Table(rows));
    }

    fn flush_list(&mut self) {
        if self.items.is_empty() {
            return;
        }
        self.indents.clear();
        let items = std::mem::take(&mut self.items);
        let ordered = items.first().is_some_and(|(_, _, o)| *o);
        // One list per level; a deeper item's list hangs under the item before it.
        let mut levels: Vec<Vec<Vec<Block>>> = vec![Vec::new()];
        for (depth, inlines, _) in items {
            let depth = depth.min(levels.len());
            while levels.len() > depth + 1 {
                close_level(&mut levels, ordered);
            }
            if levels.len() < depth + 1 {
                levels.push(Vec::new());
            }
            if let Some(level) = levels.last_mut() {
                level.push(vec![Block::Paragraph(inlines)]);
            }
        }
        while levels.len() > 1 {
            close_level(&mut levels, ordered);
        }
        let items = levels.pop().unwrap_or_default();
        self.blocks.push(Block::List { ordered, items });
    }

    fn flush_text(&mut self) {
        self.flush_para();
        self.flush_list();
    }

    fn flush(&mut self) {
        self.flush_text();
        self.flush_table();
    }
}

/// Adds a line to a paragraph or item: one text run for all its lines, with `\n` between
/// them (a line break, as [`Inline::Break`] is; one run keeps a long paragraph small).
fn push_line(inlines: &mut Vec<Inline>, line: &str) {
    match inlines.last_mut() {
        Some(Inline::Text { text, .. }) => {
            text.push('\n');
            text.push_str(line);
        }
        _ => inlines.push(self::text(line)),
    }
}

fn close_level(levels: &mut Vec<Vec<Vec<Block>>>, ordered: bool) {
    let Some(items) = levels.pop() else {
        return;
    };
    if let Some(parent) = levels.last_mut() {
        if parent.is_empty() {
            parent.push(Vec::new());
        }
        if let Some(item) = parent.last_mut() {
            item.push(Block::List { ordered, items });
        }
    }
}

fn is_rule(t: &str) -> bool {
    t.len() >= 3 && t.chars().all(|c| matches!(c, '-' | '_' | '─' | '='))
}

/// A bullet or number that opens a list item, and the text after it.
fn marker(t: &str) -> Option<(bool, &str)> {
    for bullet in ['•', '◦', '▪', '‣', '●', '○', '■', '-', '–', '+'] {
        if let Some(rest) = t.strip_prefix(bullet) {
            if rest.starts_with(char::is_whitespace) && !rest.trim().is_empty() {
                return Some((false, rest.trim_start()));
            }
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if let Some(rest) = rest.strip_prefix(['.', ')']) {
            if rest.starts_with(' ') && !rest.trim().is_empty() {
                return Some((true, rest.trim_start()));
            }
        }
    }
    None
}

/// The cells of a tab-separated line or a `| a | b |` line.
fn row(raw: &str) -> Option<Vec<String>> {
    if raw.contains('\t') {
        return Some(raw.split('\t').map(|c| c.trim().to_owned()).collect());
    }
    let t = raw.trim();
    let piped =
        t.len() > 2 && t.starts_with('|') && t.ends_with('|') && t.matches('|').count() >= 3;
    if !piped {
        return None;
    }
    let inner = &t[1..t.len() - 1];
    let rule = inner.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
    if rule {
        // The line under a Markdown table's head: not a row.
        return Some(Vec::new());
    }
    Some(inner.split('|').map(|c| c.trim().to_owned()).collect())
}

/// A short line of its own that reads as a heading.
fn is_heading_like(lines: &[&str], i: usize, last_text: usize) -> bool {
    let t = lines[i].trim();
    let words = t.split_whitespace().count();
    if t.chars().count() > 100 || t.contains('\t') {
        return false;
    }
    if super::map::section_of(t).is_some() {
        return true;
    }
    let blank = |j: Option<usize>| {
        j.and_then(|j| lines.get(j))
            .is_none_or(|l| l.trim().is_empty())
    };
    let next_nonblank = last_text > i;
    let title_case = t.starts_with(|c: char| c.is_uppercase())
        && !t.ends_with(['.', ',', ';', '!', ')'])
        && !t.starts_with(|c: char| c.is_ascii_digit());
    let between_blanks = blank(i.checked_sub(1)) && blank(Some(i + 1));
    if title_case && words <= 8 && between_blanks && next_nonblank && !t.contains(": ") {
        return true;
    }
    // "How many people were involved?" right above a list.
    let above_list = lines
        .get(i + 1)
        .is_some_and(|l| marker(l.trim()).is_some() || l.trim().starts_with('*'));
    t.ends_with('?') && title_case && words <= 14 && above_list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_nest_by_indentation() {
        let d = read_text("What went well\n\n  • a\n    • b\n      • c\n  • d\n");
        assert!(matches!(&d.blocks[0], Block::Heading { .. }));
        let Block::List { items, .. } = &d.blocks[1] else {
            panic!("{d:?}")
        };
        assert_eq!(items.len(), 2);
        assert_eq!(d.blocks[1].text(), "a\nb\nc\nd");
    }

    #[test]
    fn tab_rows_with_cells_on_several_lines() {
        let d =
            read_text("x\tQuestion\tAnswer\n(yes/no)\tNotes\nPeople\tWere?\tyes\tnote\n(more)\n");
        let Block::Table(rows) = &d.blocks[0] else {
            panic!("{d:?}")
        };
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].len(), 4);
        assert_eq!(rows[1][3][0].text(), "note\n(more)");
    }

    #[test]
    fn what_is_wikitext() {
        assert!(looks_like_wikitext(
            "{{irdoc|status=final}}\n== Summary ==\n"
        ));
        assert!(looks_like_wikitext("== Summary ==\n* a\n"));
        assert!(!looks_like_wikitext("== Summary ==\nQ\tA\tyes\n"));
        assert!(!looks_like_wikitext("Summary\n• 18:33 a\n"));
    }
}
