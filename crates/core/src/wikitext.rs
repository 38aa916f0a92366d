//! Whole pages: exporting a report as wikitext and importing a page into a report.

use std::fmt;

use crate::layout::{effective, heading_level, heading_title};
use crate::model::*;

/// Writes the page. The same report always gives the same bytes.
pub fn export(r: &Report) -> String {
    let mut out = String::with_capacity(64 * 1024);
    for piece in effective(r).iter() {
        match piece {
            Piece::Literal(s) => out.push_str(s),
            Piece::Heading(h) => {
                // A section added after text that ends the page starts on a line of its own.
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push_str("\n\n");
                }
                out.push_str(h);
            }
            Piece::Field(f) => write_field(r, *f, &mut out),
        }
    }
    out
}

/// Writes one field's wikitext, as it stands in the page.
pub fn write_field(r: &Report, field: Field, out: &mut String) {
    match field {
        Field::Status => out.push_str(&status_line(r)),
        Field::Metadata => r.metadata.write_wikitext(out),
        Field::Summary => out.push_str(&r.summary),
        Field::Timeline => r.timeline.write_wikitext(out),
        Field::Detection => out.push_str(&r.detection),
        Field::Conclusions => out.push_str(&r.conclusions),
        Field::WentWell => r.went_well.write_wikitext(out),
        Field::WentPoorly => r.went_poorly.write_wikitext(out),
        Field::GotLucky => r.got_lucky.write_wikitext(out),
        Field::Links => out.push_str(&r.links),
        Field::Actionables => r.actionables.write_wikitext(out),
        Field::Scorecard => r.scorecard.write_wikitext(out),
        Field::Extra(id) => {
            if let Some(x) = r.extra_section(id) {
                out.push_str(&x.body);
            }
        }
    }
}

fn status_line(r: &Report) -> String {
    match &r.status_line {
        Some(line) if parse_status(line) == Some(r.status) => line.clone(),
        Some(line) if line.contains("irdoc-") => format!("{{{{irdoc-{}}}}}", r.status.as_str()),
        _ => format!("{{{{irdoc|status={}}}}}", r.status.as_str()),
    }
}

/// Reads `{{irdoc|status=final}}` or the older `{{irdoc-final}}`.
fn parse_status(line: &str) -> Option<Status> {
    let inner = line.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    let lower = inner.to_ascii_lowercase();
    if let Some(legacy) = lower.strip_prefix("irdoc-") {
        return Status::parse(legacy);
    }
    let (name, arg) = lower.split_once('|')?;
    let value = arg
        .trim()
        .strip_prefix("status")?
        .trim_start()
        .strip_prefix('=')?;
    (name.trim() == "irdoc")
        .then(|| Status::parse(value))
        .flatten()
}

/// Something the importer could not map to a field; the text is kept as written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// 1-based line in the page.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub report: Report,
    pub warnings: Vec<Warning>,
}

/// Reads a page. Never fails: what has no field is kept in the layout as written.
pub fn import(page: &str) -> Import {
    let mut imp = Importer {
        page,
        report: Report {
            layout: Vec::new(),
            scorecard: Scorecard {
                rows: Vec::new(),
                ..Scorecard::default()
            },
            ..Report::default()
        },
        warnings: Vec::new(),
        seen: Vec::new(),
        line_starts: page.match_indices('\n').map(|(at, _)| at + 1).collect(),
    };
    imp.run();
    Import {
        report: imp.report,
        warnings: imp.warnings,
    }
}

struct Importer<'a> {
    page: &'a str,
    report: Report,
    warnings: Vec<Warning>,
    seen: Vec<Field>,
    /// Offsets where lines 2, 3, ... start: a warning finds its line number by bisection
    /// instead of counting from the top of the page each time.
    line_starts: Vec<usize>,
}

/// A level-1 or level-2 section: its heading line (with line break) and body.
struct Section<'a> {
    offset: usize,
    heading: &'a str,
    body: &'a str,
}

impl<'a> Importer<'a> {
    fn run(&mut self) {
        let (preamble, sections) = split_sections(self.page);
        self.preamble(preamble);
        for s in sections {
            self.section(s);
        }
        // A page without a scorecard table gets the template's questions to answer; a table
        // that has no question rows is the author's, and stays as it is.
        if !self.report.layout.contains(&Piece::Field(Field::Scorecard)) {
            self.report.scorecard.rows = Scorecard::default().rows;
        }
    }

    fn warn(&mut self, offset: usize, message: impl Into<String>) {
        let line = self.line_starts.partition_point(|&start| start <= offset) + 1;
        self.warnings.push(Warning {
            line,
            message: message.into(),
        });
    }

    fn push(&mut self, piece: Piece) {
        if !matches!(&piece, Piece::Literal(s) if s.is_empty()) {
            self.report.layout.push(piece);
        }
    }

    fn preamble(&mut self, preamble: &str) {
        let (first, rest) = preamble.split_at(preamble.find('\n').unwrap_or(preamble.len()));
        match parse_status(first) {
            Some(status) => {
                self.report.status = status;
                self.report.status_line = Some(first.to_owned());
                self.push(Piece::Field(Field::Status));
                self.push(Piece::Literal(rest.to_owned()));
            }
            None => {
                self.report.status = Status::Final;
                self.warn(
                    0,
                    "no {{irdoc|status=...}} line: read as a published (final) page",
                );
                self.push(Piece::Literal(preamble.to_owned()));
            }
        }
    }

    fn section(&mut self, s: Section<'a>) {
        let title = heading_title(s.heading).to_ascii_lowercase();
        let field = match title.trim_end_matches(':') {
            "summary" => Field::Summary,
            "timeline" => Field::Timeline,
            "detection" => Field::Detection,
            "conclusions" => Field::Conclusions,
            "links to relevant documentation" | "links" | "documentation" => Field::Links,
            "actionables" | "action items" => Field::Actionables,
            "scorecard" => Field::Scorecard,
            _ => return self.extra(s),
        };
        if self.seen.contains(&field) {
            return self.extra(s);
        }
        self.seen.push(field);
        self.push(Piece::Heading(s.heading.to_owned()));
        let body_offset = s.offset + s.heading.len();
        match field {
            Field::Summary => self.summary(s.body),
            Field::Timeline => {
                self.report.timeline = Lines::parse(s.body);
                self.warn_unread_timeline_lines(body_offset);
                self.push(Piece::Field(Field::Timeline));
            }
            Field::Detection => self.report.detection = self.text(s.body, field),
            Field::Conclusions => self.conclusions(s.body),
            Field::Links => self.report.links = self.text(s.body, field),
            Field::Actionables => {
                self.report.actionables = Lines::parse(s.body);
                self.push(Piece::Field(Field::Actionables));
            }
            _ => self.scorecard(s.body, body_offset),
        }
    }

    /// A section irdoc has no field for: kept, and editable as wikitext.
    fn extra(&mut self, s: Section<'a>) {
        let id = self.report.extra.len() as u32 + 1;
        let title = heading_title(s.heading).to_owned();
        self.warn(
            s.offset,
            format!("section “{title}” has no field in irdoc: kept as written"),
        );
        self.push(Piece::Heading(s.heading.to_owned()));
        self.push(Piece::Field(Field::Extra(id)));
        self.report.extra.push(ExtraSection {
            id,
            title,
            body: s.body.to_owned(),
        });
    }

    /// A prose field: its text, with the blank lines around it kept in the layout.
    fn text(&mut self, body: &str, field: Field) -> String {
        let lead = body.len() - body.trim_start_matches(['\n', '\r']).len();
        let mut end = body.trim_end().len().max(lead);
        // The template's `{{TOC}}` after the summary is layout, not the author's prose.
        if field == Field::Summary {
            if let Some(toc) = body[lead..end].rfind("{{TOC").map(|p| p + lead) {
                if template_end(&body[toc..end]) == Some(end - toc) {
                    end = body[..toc].trim_end().len().max(lead);
                }
            }
        }
        self.push(Piece::Literal(body[..lead].to_owned()));
        self.push(Piece::Field(field));
        self.push(Piece::Literal(body[end..].to_owned()));
        body[lead..end].to_owned()
    }

    fn summary(&mut self, body: &str) {
        let lead = body.len() - body.trim_start_matches(['\n', '\r']).len();
        let rest = &body[lead..];
        let box_len = rest
            .get(..20)
            .filter(|s| s.eq_ignore_ascii_case("{{Incident scorecard"))
            .and_then(|_| template_end(rest));
        let Some(len) = box_len.filter(|&len| Metadata::parse(&rest[..len]).is_some()) else {
            self.report.summary = self.text(body, Field::Summary);
            return;
        };
        self.report.metadata = Metadata::parse(&rest[..len]).unwrap_or_default();
        self.push(Piece::Literal(body[..lead].to_owned()));
        self.push(Piece::Field(Field::Metadata));
        self.report.summary = self.text(&rest[len..], Field::Summary);
    }

    fn conclusions(&mut self, body: &str) {
        let mut subsections = Vec::new();
        let mut offset = 0;
        for line in body.split_inclusive('\n') {
            if let Some(f) =
                standard_subsection(line).filter(|f| !subsections.iter().any(|(g, _)| g == f))
            {
                subsections.push((f, offset));
            }
            offset += line.len();
        }
        let intro_end = subsections.first().map_or(body.len(), |(_, at)| *at);
        self.report.conclusions = self.text(&body[..intro_end], Field::Conclusions);
        for (i, (field, start)) in subsections.iter().enumerate() {
            let end = subsections.get(i + 1).map_or(body.len(), |(_, at)| *at);
            let sub = &body[*start..end];
            let heading_len = sub.find('\n').map_or(sub.len(), |n| n + 1);
            self.push(Piece::Heading(sub[..heading_len].to_owned()));
            let list = Lines::parse(&sub[heading_len..]);
            match field {
                Field::WentWell => self.report.went_well = list,
                Field::WentPoorly => self.report.went_poorly = list,
                _ => self.report.got_lucky = list,
            }
            self.push(Piece::Field(*field));
        }
    }

    fn scorecard(&mut self, body: &str, body_offset: usize) {
        let start = line_starting(body, "{|");
        let end = start.and_then(|s| {
            line_starting(&body[s..], "|}")
                .map(|e| s + e + body[s + e..].find('\n').unwrap_or(body.len() - s - e))
        });
        let parsed = start
            .zip(end)
            .and_then(|(s, e)| Scorecard::parse(&body[s..e]).map(|card| (s, e, card)));
        match parsed {
            Some((s, e, card)) => {
                self.report.scorecard = card;
                self.push(Piece::Literal(body[..s].to_owned()));
                self.push(Piece::Field(Field::Scorecard));
                self.push(Piece::Literal(body[e..].to_owned()));
            }
            None => {
                self.warn(
                    body_offset,
                    "the scorecard table is not in the 15-question form: kept as written",
                );
                self.push(Piece::Literal(body.to_owned()));
            }
        }
    }

    fn warn_unread_timeline_lines(&mut self, body_offset: usize) {
        let mut offset = body_offset;
        let mut unread = Vec::new();
        for line in &self.report.timeline.lines {
            if let Line::Raw(l) = line {
                let looks_like_entry = l
                    .trim_start_matches(['*', ' '])
                    .starts_with(|c: char| c.is_ascii_digit())
                    && !l.starts_with("**");
                if looks_like_entry {
                    unread.push(offset);
                }
                offset += l.len() + 1;
            } else if let Line::Item(e) = line {
                offset += e.source.as_deref().map_or(0, str::len) + 1;
            }
        }
        for at in unread {
            self.warn(at, "timeline line starts like an entry but its time could not be read: kept as written");
        }
    }
}

fn standard_subsection(line: &str) -> Option<Field> {
    if heading_level(line)? != 3 {
        return None;
    }
    match heading_title(line)
        .trim_end_matches('?')
        .to_ascii_lowercase()
        .as_str()
    {
        "what went well" => Some(Field::WentWell),
        "what went poorly" => Some(Field::WentPoorly),
        "where did we get lucky" => Some(Field::GotLucky),
        _ => None,
    }
}

/// Byte offset of the first line that starts with `prefix`.
fn line_starting(s: &str, prefix: &str) -> Option<usize> {
    let mut offset = 0;
    for line in s.split_inclusive('\n') {
        if line.starts_with(prefix) {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

/// Length of the template that opens `s`, through its matching `}}`.
fn template_end(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i + 1 < bytes.len() {
        match &bytes[i..i + 2] {
            b"{{" => {
                depth += 1;
                i += 2;
            }
            b"}}" => {
                depth = depth.checked_sub(1)?;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// Splits a page into the text before the first section and its level-1/2 sections.
fn split_sections(page: &str) -> (&str, Vec<Section<'_>>) {
    let mut starts = Vec::new();
    let mut offset = 0;
    let mut in_pre = false;
    for line in page.split_inclusive('\n') {
        // A heading-like line inside <pre> is preformatted text, not a section.
        in_pre = (in_pre || line.contains("<pre")) && !line.contains("</pre>");
        if !in_pre && heading_level(line).is_some_and(|l| l <= 2) {
            starts.push((offset, line.len()));
        }
        offset += line.len();
    }
    let preamble_end = starts.first().map_or(page.len(), |(s, _)| *s);
    let sections = starts
        .iter()
        .enumerate()
        .map(|(i, &(start, heading_len))| {
            let end = starts.get(i + 1).map_or(page.len(), |(s, _)| *s);
            Section {
                offset: start,
                heading: &page[start..start + heading_len],
                body: &page[start + heading_len..end],
            }
        })
        .collect();
    (&page[..preamble_end], sections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_lines() {
        assert_eq!(parse_status("{{irdoc|status=final}}"), Some(Status::Final));
        assert_eq!(
            parse_status("{{irdoc | status = Review }}"),
            Some(Status::Review)
        );
        assert_eq!(parse_status("{{irdoc-draft}}"), Some(Status::Draft));
        assert_eq!(parse_status("{{other|status=final}}"), None);
        let mut r = import("{{irdoc-draft}}\n\n== Summary ==\nx").report;
        r.status = Status::Review;
        assert_eq!(export(&r), "{{irdoc-review}}\n\n== Summary ==\nx");
    }

    #[test]
    fn hostile_pages_export_to_their_own_bytes() {
        for page in [
            // A multi-byte character where the due date would be.
            "==Actionables==\n* <small>(due €€€€)</small>",
            // A scorecard table with no question rows is the author's, not the template's.
            "==Scorecard==\n{|\n|-\n!Total\n|\n|}",
            // A page whose own bytes break lines with CR LF.
            "{{irdoc|status=draft}}\r\n\r\n== Summary ==\r\nx\r\n==Timeline==\r\n* 10:00 a\r\n",
        ] {
            assert_eq!(export(&import(page).report), page);
        }
    }

    #[test]
    fn a_stored_metadata_source_that_is_not_a_box_keeps_the_fields() {
        let json = r#"{"metadata":{"task":"T1","impact":"Edits failed","source":[]}}"#;
        let page = export(&crate::json::report_from_json(json).unwrap());
        assert!(
            page.contains("{{Incident scorecard\n| task = T1\n")
                && page.contains("| impact = Edits failed\n}}"),
            "{page}"
        );
    }

    #[test]
    fn warnings_name_their_line() {
        let warnings = import("{{irdoc-draft}}\n== A ==\n\n== B ==\n==Timeline==\n* 1x\n").warnings;
        let lines: Vec<usize> = warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [2, 4, 6]);
    }

    #[test]
    fn new_report_is_the_full_template() {
        let page = export(&Report::default());
        for part in [
            "{{irdoc|status=draft}}\n\n== Summary ==\n{{Incident scorecard\n| task = \n",
            "==Timeline==\n\n''All times in UTC.''",
            "===Where did we get lucky?===",
            "==Links to relevant documentation==",
            "! colspan=\"2\" align=\"right\" |Total score (count of all “yes” answers above)\n|0\n|\n|}",
        ] {
            assert!(page.contains(part), "missing {part:?} in\n{page}");
        }
        assert!(page.ends_with("|}"));
    }
}
