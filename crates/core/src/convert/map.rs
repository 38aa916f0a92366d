//! The one mapping from a [`Document`] to a [`Report`], section by section, the way a
//! careful author would do it by hand, with a [`Review`] of what was found.
//!
//! 1. The document is read as a flat run of units: headings, lines (of paragraphs), list
//!    items with their depth, tables and preformatted text.
//! 2. Page chrome a copy of a rendered page drags along is dropped ("From Wikitech", jump
//!    links, "(Redirected from …)", the table of contents, "Retrieved from" and the footer);
//!    the page title and the status box are read on the way.
//! 3. Headings (and heading-like lines) pick the section; unknown headings start kept
//!    sections, except below a known section's heading level, where they stay in it.
//! 4. Each section's units become its field: timeline lines go through the paste parser
//!    (times, dates carried forward, lines without a time joined to the entry before),
//!    lists become bullets or actionables, tables the metadata box or the scorecard, and
//!    the rest prose.
//!
//! Every text is plain text, escaped on export; only the document's own links become
//! wikitext links.

use chrono::{NaiveDate, TimeDelta};

use super::{inline_text, Block, Document, Inline};
use crate::model::*;
use crate::paste::{parse_paste, PasteOptions};
use crate::questions::{identify_fuzzy, QUESTIONS};
use crate::text::{escape, Context, Text};

/// How to read a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Offset from UTC of the document's times (the author's choice; UTC by default, as
    /// wikitech wants). Times that name their zone are not affected.
    pub utc_offset_minutes: i32,
}

/// A report made from a document, and what was found in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Conversion {
    pub report: Report,
    pub review: Review,
}

/// What the conversion found, per section, for the author to check before it lands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Review {
    pub found: Vec<Found>,
    /// What has no field: kept as text (in the timeline, or a section of its own).
    pub unplaced: Vec<String>,
    /// How many more were kept that way than `unplaced` names.
    pub more_unplaced: usize,
    /// Lines of page chrome dropped ("Jump to navigation", the table of contents, …).
    pub dropped: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub section: String,
    pub what: String,
}

impl Review {
    fn add(&mut self, section: &str, what: String) {
        self.found.push(Found {
            section: section.to_owned(),
            what,
        });
    }

    /// One line per section, then the unplaced.
    pub fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .found
            .iter()
            .map(|f| format!("{}: {}", f.section, f.what))
            .collect();
        out.extend(self.unplaced.iter().map(|u| format!("Not placed: {u}")));
        if self.more_unplaced > 0 {
            out.push(format!("… and {} more not placed", self.more_unplaced));
        }
        if self.dropped > 0 {
            out.push(format!("{} lines of page chrome dropped", self.dropped));
        }
        out
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Section {
    Lead,
    Summary,
    Impact,
    Timeline,
    Detection,
    Conclusions,
    WentWell,
    WentPoorly,
    GotLucky,
    Links,
    Actionables,
    Scorecard,
    Extra,
}

/// The section a heading names, in its common wordings.
pub(crate) fn section_of(title: &str) -> Option<Section> {
    let t = title
        .trim()
        .trim_end_matches([':', '?', '.', ' '])
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let s = match t.as_str() {
        "summary" | "incident summary" | "incident status" | "status" | "overview"
        | "description" | "executive summary" => Section::Summary,
        "impact" | "user impact" | "user-facing impact" => Section::Impact,
        "timeline" | "timeline of events" | "chronology" | "incident timeline" => Section::Timeline,
        "detection" | "how was it detected" | "how was the incident detected" => Section::Detection,
        "conclusions"
        | "conclusion"
        | "lessons learned"
        | "lessons learnt"
        | "root cause"
        | "root causes"
        | "root cause analysis"
        | "analysis"
        | "causes" => Section::Conclusions,
        "what went well" | "what went right" | "went well" | "things that went well" => {
            Section::WentWell
        }
        "what went poorly"
        | "what went wrong"
        | "what went badly"
        | "what didn't go well"
        | "what did not go well"
        | "went poorly"
        | "things that went poorly" => Section::WentPoorly,
        "where did we get lucky"
        | "where we got lucky"
        | "where were we lucky"
        | "what was lucky"
        | "got lucky" => Section::GotLucky,
        "links to relevant documentation"
        | "links"
        | "documentation"
        | "relevant documentation"
        | "references"
        | "related documentation"
        | "links to documentation" => Section::Links,
        "actionables" | "action items" | "actions" | "follow-ups" | "followups" | "follow ups"
        | "follow-up" | "follow-up actions" | "follow-up tasks" | "next steps" | "remediation"
        | "action plan" | "todo" => Section::Actionables,
        "scorecard"
        | "incident scorecard"
        | "incident engagement scorecard"
        | "engagement scorecard" => Section::Scorecard,
        _ => return None,
    };
    Some(s)
}

/// A unit of the flattened document.
#[derive(Clone, Debug)]
enum Unit {
    Heading {
        level: u8,
        text: String,
    },
    /// A line of a paragraph; `first` starts the paragraph.
    Line {
        inlines: Vec<Inline>,
        first: bool,
    },
    /// A list item; `first` starts the list.
    Item {
        depth: usize,
        inlines: Vec<Inline>,
        first: bool,
    },
    Table(Vec<Vec<Vec<Inline>>>),
    Pre(String),
}

impl Unit {
    fn text(&self) -> String {
        match self {
            Unit::Heading { text, .. } => text.clone(),
            Unit::Line { inlines, .. } | Unit::Item { inlines, .. } => {
                inline_text(inlines).trim().to_owned()
            }
            Unit::Table(rows) => rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| inline_text(c))
                        .collect::<Vec<_>>()
                        .join("\t")
                })
                .collect::<Vec<_>>()
                .join("\n"),
            Unit::Pre(s) => s.clone(),
        }
    }

    fn starts(&self) -> bool {
        match self {
            Unit::Line { first, .. } | Unit::Item { first, .. } => *first,
            _ => true,
        }
    }
}

fn flatten<'a>(blocks: impl IntoIterator<Item = &'a Block>, depth: usize, out: &mut Vec<Unit>) {
    for block in blocks {
        match block {
            Block::Heading { level, inlines } => out.push(Unit::Heading {
                level: *level,
                text: one_line(inlines),
            }),
            Block::Paragraph(inlines) => {
                for (i, line) in lines_of(inlines).into_iter().enumerate() {
                    if !inline_text(&line).trim().is_empty() {
                        out.push(Unit::Line {
                            inlines: line,
                            first: i == 0,
                        });
                    }
                }
            }
            Block::List { items, .. } => {
                for (n, item) in items.iter().enumerate() {
                    let mut inlines = Vec::new();
                    let mut rest: Vec<&Block> = Vec::new();
                    for b in item {
                        match b {
                            Block::Paragraph(i) | Block::Heading { inlines: i, .. }
                                if rest.is_empty() =>
                            {
                                if !inlines.is_empty() {
                                    inlines.push(space());
                                }
                                inlines.extend(i.iter().map(|x| match x {
                                    Inline::Break => space(),
                                    x => x.clone(),
                                }));
                            }
                            other => rest.push(other),
                        }
                    }
                    // A nested list goes on with the item above it.
                    out.push(Unit::Item {
                        depth,
                        inlines,
                        first: n == 0 && depth == 0,
                    });
                    flatten(rest, depth + 1, out);
                }
            }
            Block::Table(rows) => {
                let rows = rows
                    .iter()
                    .map(|row| {
                        row.iter()
                            .map(|cell| {
                                let mut inlines = Vec::new();
                                for b in cell {
                                    if !inlines.is_empty() {
                                        inlines.push(Inline::Break);
                                    }
                                    match b {
                                        Block::Paragraph(i) | Block::Heading { inlines: i, .. } => {
                                            inlines.extend(i.iter().cloned())
                                        }
                                        other => inlines.push(plain(&other.text())),
                                    }
                                }
                                inlines
                            })
                            .collect()
                    })
                    .collect();
                out.push(Unit::Table(rows));
            }
            Block::Preformatted(s) => out.push(Unit::Pre(s.clone())),
        }
    }
}

fn space() -> Inline {
    plain(" ")
}

fn plain(s: &str) -> Inline {
    Inline::Text {
        text: s.to_owned(),
        style: Default::default(),
    }
}

fn one_line(inlines: &[Inline]) -> String {
    inline_text(inlines)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of a cell, on one line.
fn cell_text(cell: &[Inline]) -> String {
    one_line(cell)
}

/// Converts a document into a report.
pub fn to_report(doc: &Document, options: &Options) -> Conversion {
    let mut units = Vec::new();
    flatten(&doc.blocks, 0, &mut units);
    let mut m = Mapper {
        options: *options,
        report: Report::default(),
        review: Review::default(),
        summary: Prose::default(),
        detection: Prose::default(),
        conclusions: Prose::default(),
        links: Prose::default(),
        timeline: Vec::new(),
        actionables: Vec::new(),
        lists: [Vec::new(), Vec::new(), Vec::new()],
        score_rows: Vec::new(),
        extras: Vec::new(),
        impact: Vec::new(),
        meta_found: Vec::new(),
        had_timeline_heading: false,
    };
    let units = m.strip_chrome(units);
    m.had_timeline_heading = units.iter().any(
        |u| matches!(u, Unit::Heading { text, .. } if section_of(text) == Some(Section::Timeline)),
    );
    m.sections(units);
    m.finish()
}

#[derive(Default)]
struct Prose {
    out: String,
    paragraphs: usize,
    items: usize,
    /// Whether the last thing written was a list line (the next list line follows it
    /// directly).
    in_list: bool,
}

impl Prose {
    fn block(&mut self, wikitext: &str, list: bool) {
        if !self.out.is_empty() {
            self.out
                .push_str(if list && self.in_list { "\n" } else { "\n\n" });
        }
        self.out.push_str(wikitext);
        self.in_list = list;
    }
}

struct Mapper {
    options: Options,
    report: Report,
    review: Review,
    summary: Prose,
    detection: Prose,
    conclusions: Prose,
    links: Prose,
    timeline: Vec<Unit>,
    actionables: Vec<Unit>,
    lists: [Vec<Unit>; 3],
    score_rows: Vec<Vec<Vec<Inline>>>,
    /// Kept sections: title, the known section before it, body.
    extras: Vec<(String, Option<Section>, Prose)>,
    impact: Vec<String>,
    meta_found: Vec<MetaField>,
    had_timeline_heading: bool,
}

/// Lines a copy of a rendered page carries that are not the report.
const CHROME_LINES: &[&str] = &[
    "jump to navigation",
    "jump to search",
    "jump to navigationjump to search",
    "jump to: navigation, search",
    "jump to content",
    "toggle sidebar",
    "toggle the table of contents",
    "[edit]",
    "add topic",
    "incidents",
    "contents",
    "contents hide",
    "contents [hide]",
    "hide",
    "beginning",
    "from wikitech, the wikimedia foundation's technical documentation wiki",
];

fn is_page_title(s: &str) -> bool {
    (s.starts_with("Incidents/") || s.starts_with("Incident documentation/")) && s.len() < 200
}

fn page_title(s: &str) -> String {
    let s = s.trim();
    let s = s.rsplit_once(" - ").map_or(s, |(t, site)| {
        if site.split_whitespace().count() <= 2 {
            t
        } else {
            s
        }
    });
    s.trim().to_owned()
}

fn is_toc_row(row: &[Vec<Inline>]) -> bool {
    row.first().is_some_and(|c| {
        let t = cell_text(c);
        !t.is_empty()
            && t.split('.')
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

impl Mapper {
    fn strip_chrome(&mut self, units: Vec<Unit>) -> Vec<Unit> {
        let mut units = units;
        // The page head: everything before "From Wikitech" (title, tabs, a skin's contents).
        let from = units.iter().take(120).position(|u| {
            let t = u.text();
            let words: Vec<&str> = t.split_whitespace().collect();
            t.starts_with("From ")
                && (2..=3).contains(&words.len())
                && words[1].starts_with(|c: char| c.is_uppercase())
        });
        if let Some(at) = from {
            if let Some(title) = units[..at]
                .iter()
                .rev()
                .map(Unit::text)
                .find(|t| is_page_title(t))
            {
                self.report.title = page_title(&title);
            }
            self.review.dropped += at + 1;
            units.drain(..=at);
        } else if let Some(first) = units.first() {
            let t = first.text();
            if is_page_title(&t) {
                self.report.title = page_title(&t);
                self.review.dropped += 1;
                units.remove(0);
            }
        }
        let mut out = Vec::with_capacity(units.len());
        let mut iter = units.into_iter().peekable();
        let mut after_contents = false;
        while let Some(unit) = iter.next() {
            let text = unit.text();
            let lower = text.to_lowercase();
            if lower.starts_with("retrieved from")
                || lower.starts_with("this page was last edited")
                || lower == "navigation menu"
            {
                self.review.dropped += 1 + iter.len();
                break;
            }
            if let Some(status) = lower.strip_prefix("document status:") {
                if let Some(s) = Status::parse(status) {
                    self.report.status = s;
                }
                self.review.dropped += 1;
                continue;
            }
            if lower.starts_with("(redirected from") {
                self.review.dropped += 1;
                // A text copy breaks the line at the link: the old title is the next line.
                if !text.contains(')')
                    && iter
                        .peek()
                        .is_some_and(|n| n.text().contains('/') && n.text().len() < 120)
                {
                    iter.next();
                    self.review.dropped += 1;
                }
                continue;
            }
            if CHROME_LINES.contains(&lower.as_str())
                || lower.starts_with("category:")
                || lower.starts_with("categories:")
            {
                after_contents = lower.starts_with("contents");
                self.review.dropped += 1;
                continue;
            }
            if after_contents {
                match &unit {
                    Unit::Table(rows) if rows.iter().all(|r| is_toc_row(r)) => {
                        self.review.dropped += rows.len();
                        continue;
                    }
                    Unit::Item { .. } if section_of(&text).is_some() || is_toc_line(&text) => {
                        self.review.dropped += 1;
                        continue;
                    }
                    Unit::Line { .. } if is_toc_line(&text) => {
                        self.review.dropped += 1;
                        continue;
                    }
                    _ => after_contents = false,
                }
            }
            out.push(unit);
        }
        out
    }

    fn sections(&mut self, units: Vec<Unit>) {
        let mut current = Section::Lead;
        let mut level = 0u8;
        let mut last_known: Option<Section> = None;
        let mut bucket: Vec<Unit> = Vec::new();
        for unit in units {
            if let Unit::Heading { level: l, text } = &unit {
                let known = section_of(text);
                let inside = known.is_none()
                    && current != Section::Lead
                    && level > 0
                    && *l > level
                    && !matches!(
                        current,
                        Section::WentWell | Section::WentPoorly | Section::GotLucky
                    );
                if !inside {
                    self.section(current, std::mem::take(&mut bucket));
                    match known {
                        Some(s) => {
                            current = s;
                            last_known = Some(s);
                            // Conclusions' lists keep the level of their parent.
                            if !matches!(
                                s,
                                Section::WentWell | Section::WentPoorly | Section::GotLucky
                            ) || level == 0
                            {
                                level = *l;
                            }
                        }
                        None => {
                            current = Section::Extra;
                            level = *l;
                            self.extras
                                .push((text.clone(), last_known, Prose::default()));
                        }
                    }
                    continue;
                }
            }
            bucket.push(unit);
        }
        self.section(current, bucket);
    }

    fn section(&mut self, section: Section, units: Vec<Unit>) {
        match section {
            Section::Lead | Section::Summary => self.lead(units, section == Section::Lead),
            Section::Impact => {
                for u in units {
                    match u {
                        Unit::Table(rows) => self.table(rows, Section::Summary),
                        u => self.impact.push(u.text()),
                    }
                }
            }
            Section::Timeline => self.timeline.extend(units),
            Section::Detection => self.prose(units, Section::Detection),
            Section::Conclusions => self.prose(units, Section::Conclusions),
            Section::Links => self.prose(units, Section::Links),
            Section::WentWell => self.lists[0].extend(units),
            Section::WentPoorly => self.lists[1].extend(units),
            Section::GotLucky => self.lists[2].extend(units),
            Section::Actionables => self.actionables.extend(units),
            Section::Scorecard => {
                for u in units {
                    if let Unit::Table(rows) = u {
                        self.score_rows.extend(rows);
                    } else if let Some(total) = stated_total_line(&u.text()) {
                        self.report.scorecard.stated_total = Some(total);
                    }
                }
            }
            Section::Extra => self.prose(units, Section::Extra),
        }
    }

    /// The text before the first heading, and the summary: metadata lines, a timeline or
    /// actionables a document without headings has, and prose.
    fn lead(&mut self, units: Vec<Unit>, lead: bool) {
        let mut after_timeline = false;
        let mut runs: Vec<Vec<Unit>> = Vec::new();
        for u in units {
            match runs.last_mut() {
                Some(run) if !u.starts() && same_kind(&run[0], &u) => run.push(u),
                _ => runs.push(vec![u]),
            }
        }
        let mut prose = Vec::new();
        for run in runs {
            let target = if after_timeline {
                Section::Conclusions
            } else {
                Section::Summary
            };
            let first = &run[0];
            let stamped = run.iter().filter(|u| starts_with_stamp(&u.text())).count();
            let top = run
                .iter()
                .filter(|u| matches!(u, Unit::Item { depth: 0, .. } | Unit::Line { .. }))
                .count();
            let timeline_run = !self.had_timeline_heading
                && self.timeline.is_empty()
                && stamped >= 2
                && stamped * 2 >= top;
            if timeline_run {
                self.flush_prose(&mut prose, target);
                self.timeline.extend(run);
                after_timeline = true;
                continue;
            }
            let tasks = run
                .iter()
                .filter(|u| find_task(&u.text()).is_some())
                .count();
            if after_timeline && matches!(first, Unit::Item { .. }) && tasks * 2 >= top && tasks > 0
            {
                self.flush_prose(&mut prose, target);
                self.actionables.extend(run);
                continue;
            }
            for u in run {
                match u {
                    Unit::Table(rows) => {
                        self.flush_prose(&mut prose, target);
                        self.table(rows, target);
                    }
                    Unit::Line { ref inlines, .. } if lead || !after_timeline => {
                        if !self.meta_line(&inline_text(inlines)) {
                            prose.push(u);
                        }
                    }
                    u => prose.push(u),
                }
            }
            self.flush_prose(&mut prose, target);
        }
    }

    fn flush_prose(&mut self, prose: &mut Vec<Unit>, target: Section) {
        if !prose.is_empty() {
            self.prose(std::mem::take(prose), target);
        }
    }

    /// `Impact: …`, `Task: T123` and the other labels of the metadata box.
    fn meta_line(&mut self, line: &str) -> bool {
        let Some((label, value)) = line.split_once(':') else {
            return false;
        };
        let Some(field) = meta_label(label) else {
            return false;
        };
        let value = value.trim();
        if value.is_empty() || self.meta_found.contains(&field) {
            return false;
        }
        self.set_meta(field, value);
        true
    }

    fn set_meta(&mut self, field: MetaField, value: &str) {
        let value = match field {
            MetaField::Task => find_task(value).map_or(value.to_owned(), |(_, _, id)| id),
            _ => value.to_owned(),
        };
        *self.report.metadata.get_mut(field) = Text::Plain(value);
        self.meta_found.push(field);
    }

    /// A table outside the scorecard section: the metadata box, a scorecard, or prose.
    fn table(&mut self, rows: Vec<Vec<Vec<Inline>>>, target: Section) {
        let questions = rows
            .iter()
            .filter(|r| r.iter().any(|c| identify_fuzzy(&cell_text(c)).is_some()))
            .count();
        if questions >= 3 {
            self.score_rows.extend(rows);
            return;
        }
        let mut pairs = Vec::new();
        for row in &rows {
            for (i, cell) in row.iter().enumerate() {
                let label = cell_text(cell);
                if label.eq_ignore_ascii_case("incident id") {
                    if let Some(v) = row.get(i + 1).map(|c| cell_text(c)) {
                        if !v.is_empty() && self.report.title.is_empty() {
                            self.report.title = format!("Incidents/{v}");
                        }
                    }
                }
                if let (Some(f), Some(v)) = (meta_label(&label), row.get(i + 1)) {
                    pairs.push((f, cell_text(v)));
                }
            }
        }
        if pairs.len() >= 2 {
            for (f, v) in pairs {
                if !self.meta_found.contains(&f) {
                    self.set_meta(f, &v);
                }
            }
            return;
        }
        self.prose(vec![Unit::Table(rows)], target);
    }

    fn prose(&mut self, units: Vec<Unit>, target: Section) {
        let mut p = match target {
            Section::Summary | Section::Lead => std::mem::take(&mut self.summary),
            Section::Detection => std::mem::take(&mut self.detection),
            Section::Conclusions => std::mem::take(&mut self.conclusions),
            Section::Links => std::mem::take(&mut self.links),
            _ => self
                .extras
                .last_mut()
                .map(|e| std::mem::take(&mut e.2))
                .unwrap_or_default(),
        };
        let mut para: Vec<String> = Vec::new();
        let mut links = Vec::new();
        let end = |p: &mut Prose, para: &mut Vec<String>, links: &mut Vec<(String, String)>| {
            if !para.is_empty() {
                for text in join_lines(para) {
                    let w = linkify(&text, links, Context::Inline).to_wikitext(Context::Inline);
                    p.block(&guard_line_start(&w), false);
                    p.paragraphs += 1;
                }
                para.clear();
                links.clear();
            }
        };
        for u in units {
            if u.starts() {
                end(&mut p, &mut para, &mut links);
            }
            match u {
                Unit::Line { inlines, .. } => {
                    links.extend(links_of(&inlines));
                    para.push(one_line(&inlines));
                }
                Unit::Item { depth, inlines, .. } => {
                    end(&mut p, &mut para, &mut links);
                    let w = inline_wikitext(&inlines, Context::Inline);
                    p.block(&format!("{} {w}", "*".repeat(depth + 1)), true);
                    p.items += 1;
                }
                Unit::Heading { level, text } => {
                    let eq = "=".repeat(level.clamp(3, 6) as usize);
                    let t = escape(&text, Context::TemplateValue).replace('=', "&#61;");
                    p.block(&format!("{eq} {t} {eq}"), false);
                }
                Unit::Table(rows) => {
                    p.block(&wikitable(&rows), false);
                    p.paragraphs += 1;
                }
                Unit::Pre(s) => {
                    let s = s.replace('&', "&amp;").replace('<', "&lt;");
                    p.block(&format!("<pre>{s}</pre>"), false);
                    p.paragraphs += 1;
                }
            }
        }
        end(&mut p, &mut para, &mut links);
        match target {
            Section::Summary | Section::Lead => self.summary = p,
            Section::Detection => self.detection = p,
            Section::Conclusions => self.conclusions = p,
            Section::Links => self.links = p,
            _ => {
                if let Some(e) = self.extras.last_mut() {
                    e.2 = p;
                }
            }
        }
    }

    fn finish(mut self) -> Conversion {
        let r = &mut self.report;
        if !self.impact.is_empty() && r.metadata.impact.is_blank() {
            r.metadata.impact = Text::Plain(join_lines(&self.impact).join(" "));
            self.meta_found.push(MetaField::Impact);
        }
        if !r.title.is_empty() {
            let t = r.title.clone();
            self.review.add("Title", t);
        }
        if !self.meta_found.is_empty() {
            let names: Vec<&str> = MetaField::ALL
                .into_iter()
                .filter(|f| self.meta_found.contains(f))
                .map(MetaField::label)
                .collect();
            self.review.add(
                "Metadata",
                format!("{} of 8 fields ({})", names.len(), names.join(", ")),
            );
        }
        r.summary = std::mem::take(&mut self.summary.out);
        r.detection = std::mem::take(&mut self.detection.out);
        r.conclusions = std::mem::take(&mut self.conclusions.out);
        r.links = std::mem::take(&mut self.links.out);
        let prose_found = |p: &Prose| {
            let mut parts = Vec::new();
            if p.paragraphs > 0 {
                parts.push(plural(p.paragraphs, "paragraph"));
            }
            if p.items > 0 {
                parts.push(plural(p.items, "list item"));
            }
            parts.join(", ")
        };
        let summary = prose_found(&self.summary);
        if !summary.is_empty() {
            self.review.add("Summary", summary);
        }
        let timeline = std::mem::take(&mut self.timeline);
        self.timeline(timeline);
        let detection = prose_found(&self.detection);
        if !detection.is_empty() {
            self.review.add("Detection", detection);
        }
        let conclusions = prose_found(&self.conclusions);
        if !conclusions.is_empty() {
            self.review.add("Conclusions", conclusions);
        }
        let names = ["went well", "went poorly", "got lucky"];
        for (i, units) in std::mem::take(&mut self.lists).into_iter().enumerate() {
            let lines = bullets(units);
            let n = lines.item_count();
            if n > 0 {
                self.review.add("Conclusions", format!("{n} {}", names[i]));
            }
            match i {
                0 => self.report.went_well = lines,
                1 => self.report.went_poorly = lines,
                _ => self.report.got_lucky = lines,
            }
        }
        let links = prose_found(&self.links);
        if !links.is_empty() {
            self.review.add("Links", links);
        }
        let actionables = std::mem::take(&mut self.actionables);
        self.actionables(actionables);
        self.scorecard();
        self.place_extras();
        Conversion {
            report: self.report,
            review: self.review,
        }
    }

    fn timeline(&mut self, units: Vec<Unit>) {
        let mut lines: Vec<Line<TimelineEntry>> = Vec::new();
        let mut day: Option<NaiveDate> = None;
        let offset = TimeDelta::minutes(self.options.utc_offset_minutes.into());
        let (mut joined, mut undated, mut entries) = (0, 0, 0);
        let mut segment: Vec<String> = Vec::new();
        let mut links: Vec<(String, String)> = Vec::new();
        let mut flush = |segment: &mut Vec<String>,
                         links: &mut Vec<(String, String)>,
                         day: &mut Option<NaiveDate>,
                         lines: &mut Vec<Line<TimelineEntry>>,
                         review: &mut Review| {
            if segment.is_empty() {
                return;
            }
            let text = segment.join("\n");
            let result = parse_paste(
                &text,
                &PasteOptions {
                    utc_offset_minutes: self.options.utc_offset_minutes,
                    date: *day,
                },
            );
            joined += result.joined;
            for (_, raw) in result.skipped {
                let raw = raw.trim().to_owned();
                if review.unplaced.len() < MAX_UNPLACED {
                    review
                        .unplaced
                        .push(format!("in the timeline, without a time: “{}”", clip(&raw)));
                } else {
                    review.more_unplaced += 1;
                }
                let w = guard_line_start(
                    &linkify(&raw, links, Context::Inline).to_wikitext(Context::Inline),
                );
                // A kept line must not read back as an entry.
                let w = match w.chars().next() {
                    Some(c) if c.is_ascii_digit() => format!("&#{};{}", c as u32, &w[1..]),
                    _ => w,
                };
                lines.push(Line::Raw(w));
            }
            for e in result.entries {
                entries += 1;
                if let When::DateTime(dt) = e.when {
                    *day = Some((dt + offset).date());
                }
                let (text, marker) = take_marker(&e.text);
                let (text, was_undated) = match text.strip_prefix(UNDATED) {
                    Some(rest) => (rest.to_owned(), true),
                    None => (text, false),
                };
                if was_undated {
                    undated += 1;
                }
                lines.push(Line::Item(TimelineEntry {
                    bullet: "* ".to_owned(),
                    when: e.when,
                    text: linkify(text.trim(), links, Context::Inline),
                    marker,
                    source: None,
                }));
            }
            segment.clear();
            links.clear();
        };
        for u in units {
            if u.starts() {
                flush(
                    &mut segment,
                    &mut links,
                    &mut day,
                    &mut lines,
                    &mut self.review,
                );
            }
            match &u {
                Unit::Heading { text, .. } => {
                    if let Some(d) = crate::datetime::date_within(text) {
                        day = Some(d);
                    }
                    let t = escape(text, Context::TemplateValue).replace('=', "&#61;");
                    lines.push(Line::Raw(format!("=== {t} ===")));
                }
                Unit::Item { depth, inlines, .. }
                    if *depth > 0 && !starts_with_stamp(&one_line(inlines)) =>
                {
                    // A nested item without a time stays nested under its entry.
                    flush(
                        &mut segment,
                        &mut links,
                        &mut day,
                        &mut lines,
                        &mut self.review,
                    );
                    lines.push(Line::Raw(format!(
                        "{} {}",
                        "*".repeat(depth + 1),
                        inline_wikitext(inlines, Context::Inline)
                    )));
                }
                Unit::Line { inlines, .. } | Unit::Item { inlines, .. } => {
                    let text = one_line(inlines);
                    if is_all_times_line(&text) {
                        continue;
                    }
                    // "2024-12-03 occurrence": a day's subheading, copied as a line.
                    if let Some(d) = day_heading(&text) {
                        flush(
                            &mut segment,
                            &mut links,
                            &mut day,
                            &mut lines,
                            &mut self.review,
                        );
                        day = Some(d);
                        let t = escape(&text, Context::TemplateValue).replace('=', "&#61;");
                        lines.push(Line::Raw(format!("=== {t} ===")));
                        continue;
                    }
                    // A gallery's file and caption are no events, nor part of one.
                    if is_file_caption(&text) {
                        flush(
                            &mut segment,
                            &mut links,
                            &mut day,
                            &mut lines,
                            &mut self.review,
                        );
                    }
                    links.extend(links_of(inlines));
                    segment.push(prepare_line(&text));
                }
                Unit::Table(rows) => {
                    for row in rows {
                        let cells: Vec<String> = row
                            .iter()
                            .map(|c| cell_text(c))
                            .filter(|c| !c.is_empty())
                            .collect();
                        for c in row {
                            links.extend(links_of(c));
                        }
                        segment.push(prepare_line(&cells.join(" ")));
                    }
                    flush(
                        &mut segment,
                        &mut links,
                        &mut day,
                        &mut lines,
                        &mut self.review,
                    );
                }
                Unit::Pre(s) => {
                    for l in s.lines() {
                        segment.push(prepare_line(l));
                    }
                    flush(
                        &mut segment,
                        &mut links,
                        &mut day,
                        &mut lines,
                        &mut self.review,
                    );
                }
            }
        }
        flush(
            &mut segment,
            &mut links,
            &mut day,
            &mut lines,
            &mut self.review,
        );
        if entries > 0 || !lines.is_empty() {
            let mut what = plural(entries, "timeline entry");
            let mut notes = Vec::new();
            if joined > 0 {
                notes.push(format!("{joined} without a time joined to the one before"));
            }
            if undated > 0 {
                notes.push(format!("{undated} with a date only, at 00:00"));
            }
            if !notes.is_empty() {
                what.push_str(&format!(" ({})", notes.join("; ")));
            }
            if self.options.utc_offset_minutes != 0 {
                what.push_str(&format!(
                    ", shifted to UTC from {}",
                    offset_name(self.options.utc_offset_minutes)
                ));
            }
            self.review.add("Timeline", what);
        }
        self.report.timeline = Lines { lines };
    }

    fn actionables(&mut self, units: Vec<Unit>) {
        let mut lines = Vec::new();
        let (mut n, mut with_task) = (0, 0);
        let listed = units.iter().any(|u| matches!(u, Unit::Item { .. }));
        for u in units {
            match u {
                // Beside a list, a paragraph is prose (a copy as text has no bullets: there
                // every line is an item).
                Unit::Line { inlines, .. } if listed => {
                    lines.push(Line::Raw(guard_line_start(&inline_wikitext(
                        &inlines,
                        Context::Inline,
                    ))));
                }
                Unit::Item { depth, inlines, .. } if depth > 0 => {
                    lines.push(Line::Raw(format!(
                        "{} {}",
                        "*".repeat(depth + 1),
                        inline_wikitext(&inlines, Context::Inline)
                    )));
                }
                Unit::Item { inlines, .. } | Unit::Line { inlines, .. } => {
                    let a = actionable(&inlines);
                    n += 1;
                    if a.task.is_some() {
                        with_task += 1;
                    }
                    lines.push(Line::Item(a));
                }
                other => {
                    for l in other.text().lines().filter(|l| !l.trim().is_empty()) {
                        lines.push(Line::Raw(guard_line_start(&escape(
                            l.trim(),
                            Context::Inline,
                        ))));
                    }
                }
            }
        }
        if n > 0 {
            self.review.add(
                "Actionables",
                format!("{} ({with_task} with a task)", plural(n, "actionable")),
            );
        }
        self.report.actionables = Lines { lines };
    }

    fn scorecard(&mut self) {
        let rows = std::mem::take(&mut self.score_rows);
        let card = &mut self.report.scorecard;
        let mut matched = [false; 15];
        let mut skip = false;
        for (n, row) in rows.iter().enumerate() {
            if std::mem::take(&mut skip) {
                continue;
            }
            let mut row = row.clone();
            let mut cells: Vec<String> = row.iter().map(|c| cell_text(c)).collect();
            if let Some(at) = cells
                .iter()
                .position(|c| c.to_lowercase().starts_with("total score"))
            {
                if let Some(total) = cells[at + 1..]
                    .iter()
                    .find(|c| !c.is_empty() && !c.to_lowercase().starts_with("total score"))
                {
                    card.stated_total = Some(total.trim().to_owned());
                }
                continue;
            }
            let Some((at, q)) = cells
                .iter()
                .enumerate()
                .find_map(|(i, c)| identify_fuzzy(c).map(|q| (i, q)))
            else {
                continue;
            };
            if matched[q] {
                continue;
            }
            matched[q] = true;
            // A question cell with a paragraph break is copied as text with its answer on
            // the next line, as a row of its own.
            let unanswered = cells[at + 1..].iter().all(String::is_empty);
            if let Some(next) = rows.get(n + 1).filter(|_| unanswered) {
                let next_cells: Vec<String> = next.iter().map(|c| cell_text(c)).collect();
                let is_answer = next_cells
                    .first()
                    .is_some_and(|c| Answer::from_cell(c) != Answer::Unknown);
                if is_answer && !next_cells.iter().any(|c| identify_fuzzy(c).is_some()) {
                    row.truncate(at + 1);
                    row.extend(next.iter().cloned());
                    cells.truncate(at + 1);
                    cells.extend(next_cells);
                    skip = true;
                }
            }
            let answer = cells
                .get(at + 1)
                .map_or(Answer::Unknown, |c| Answer::from_cell(c));
            let notes: Vec<Inline> = row
                .iter()
                .skip(at + 2)
                .filter(|c| !cell_text(c).is_empty())
                .flat_map(|c| {
                    let mut v = c.clone();
                    v.push(Inline::Break);
                    v
                })
                .collect();
            let row_at = card
                .rows
                .iter()
                .position(|r| crate::questions::identify(&r.wording) == Some(q))
                .unwrap_or(q);
            if let Some(r) = card.rows.get_mut(row_at) {
                r.answer = answer;
                r.notes = cell_rich(&notes);
            }
        }
        let answered = card
            .rows
            .iter()
            .filter(|r| r.answer != Answer::Unknown)
            .count();
        let found = matched.iter().filter(|m| **m).count();
        if found > 0 || card.stated_total.is_some() {
            let mut what = format!("{answered} of {} scorecard answers", QUESTIONS.len());
            if let Some(t) = &card.stated_total {
                what.push_str(&format!(", stated total {t}"));
            }
            let yes = card.rows.iter().filter(|r| r.answer == Answer::Yes).count();
            what.push_str(&format!(" ({yes} yes)"));
            self.review.add("Scorecard", what);
        }
    }

    /// Kept sections go after the known section they followed in the document; one pass
    /// over the layout, however many there are.
    fn place_extras(&mut self) {
        let extras = std::mem::take(&mut self.extras);
        if extras.is_empty() {
            return;
        }
        let layout = std::mem::take(&mut self.report.layout);
        // Where each known section's pieces end: at the next level-2 heading after its field.
        let end_of = |field: Field| {
            let f = layout.iter().position(|p| *p == Piece::Field(field))?;
            layout[f..]
                .iter()
                .position(|p| {
                    matches!(p, Piece::Heading(h) if crate::layout::heading_level(h).is_some_and(|l| l <= 2))
                })
                .map(|n| n + f)
        };
        let mut placed: Vec<(usize, u32, String)> = Vec::with_capacity(extras.len());
        for (i, (title, after, prose)) in extras.into_iter().enumerate() {
            let id = i as u32 + 1;
            let after_field = match after {
                None | Some(Section::Lead | Section::Summary | Section::Impact) => Field::Summary,
                Some(Section::Timeline) => Field::Timeline,
                Some(Section::Detection) => Field::Detection,
                Some(
                    Section::Conclusions
                    | Section::WentWell
                    | Section::WentPoorly
                    | Section::GotLucky,
                ) => Field::GotLucky,
                Some(Section::Links) => Field::Links,
                Some(Section::Actionables) => Field::Actionables,
                Some(Section::Scorecard | Section::Extra) => Field::Scorecard,
            };
            let at = end_of(after_field).unwrap_or(layout.len());
            let heading = format!(
                "== {} ==\n",
                escape(&title, Context::TemplateValue).replace('=', "&#61;")
            );
            self.unplaced(format!("kept as a section of its own: “{}”", clip(&title)));
            self.report.extra.push(ExtraSection {
                id,
                title,
                body: prose.out,
            });
            placed.push((at, id, heading));
        }
        // The layout is the template's few dozen pieces: one look over the kept sections per
        // piece keeps them in document order at each place, in linear time.
        let len = layout.len();
        let mut out = Vec::with_capacity(len + 3 * placed.len() + 1);
        for (i, piece) in layout.into_iter().enumerate() {
            for (_, id, heading) in placed.iter().filter(|(at, ..)| *at == i) {
                out.push(Piece::Heading(heading.clone()));
                out.push(Piece::Field(Field::Extra(*id)));
                out.push(Piece::Literal("\n\n".into()));
            }
            out.push(piece);
        }
        let mut first_at_end = true;
        for (_, id, heading) in placed.into_iter().filter(|(at, ..)| *at >= len) {
            // A blank line before each, unless the page already ends with a line break.
            let ends_line = matches!(out.last(), Some(Piece::Literal(l)) if l.ends_with('\n'));
            if !(first_at_end && ends_line) {
                out.push(Piece::Literal("\n\n".into()));
            }
            first_at_end = false;
            out.push(Piece::Heading(heading));
            out.push(Piece::Field(Field::Extra(id)));
        }
        self.report.layout = out;
    }

    /// Notes something with no field; past the first [`MAX_UNPLACED`], only counts.
    fn unplaced(&mut self, what: String) {
        if self.review.unplaced.len() < MAX_UNPLACED {
            self.review.unplaced.push(what);
        } else {
            self.review.more_unplaced += 1;
        }
    }
}

/// How many unplaced things the review names.
const MAX_UNPLACED: usize = 50;

fn same_kind(a: &Unit, b: &Unit) -> bool {
    matches!(
        (a, b),
        (Unit::Line { .. }, Unit::Line { .. }) | (Unit::Item { .. }, Unit::Item { .. })
    )
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else if let Some(stem) = what.strip_suffix("entry") {
        format!("{n} {stem}entries")
    } else {
        format!("{n} {what}s")
    }
}

fn offset_name(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if s.chars().count() > 80 {
        out.push('…');
    }
    out
}

fn meta_label(label: &str) -> Option<MetaField> {
    let l = label.trim().trim_end_matches(':').trim().to_lowercase();
    Some(match l.as_str() {
        "task" | "phabricator task" | "incident task" => MetaField::Task,
        "people paged" | "paged" | "paged-num" => MetaField::PagedNum,
        "responder count" | "responders" | "responders-num" | "number of responders" => {
            MetaField::RespondersNum
        }
        "coordinators"
        | "coordinator"
        | "incident coordinator"
        | "incident coordinators"
        | "ic" => MetaField::Coordinators,
        "start" | "start (utc)" | "started" | "start time" => MetaField::Start,
        "end" | "end (utc)" | "ended" | "end time" => MetaField::End,
        "affected metrics/slos"
        | "affected metrics / slos"
        | "metrics"
        | "affected metrics"
        | "slos" => MetaField::Metrics,
        "impact" => MetaField::Impact,
        _ => return None,
    })
}

fn is_toc_line(t: &str) -> bool {
    let (num, rest) = t.split_once([' ', '\t']).unwrap_or((t, ""));
    !rest.is_empty()
        && num
            .split('.')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

fn is_all_times_line(t: &str) -> bool {
    let l = t.trim().trim_end_matches('.').to_lowercase();
    l == "all times in utc" || l == "all times are in utc" || l == "all times utc"
}

fn stated_total_line(t: &str) -> Option<String> {
    let l = t.to_lowercase();
    let rest = l.strip_prefix("total score")?;
    let n: String = rest
        .rsplit(|c: char| !c.is_ascii_digit())
        .find(|w| !w.is_empty())?
        .to_owned();
    Some(n)
}

/// Marks a line that had a date but no time: it gets 00:00 (in UTC, not shifted).
const UNDATED: &str = "\u{1}";

const WEEKDAYS: [&str; 14] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "wed",
    "thu",
    "fri",
    "sat",
    "sun",
];

/// A timeline line as the paste parser reads it: without a weekday before its date
/// (`Wed 2020-05-13`), without `~` before its time (`~20:22`), and with `00:00Z` after a
/// date that has no time.
fn prepare_line(line: &str) -> String {
    let t = line.trim();
    let marker_len = t.len() - strip_bullet(t).len();
    let (lead, body) = t.split_at(marker_len);
    let body = strip_weekday(body).trim_start_matches('~');
    let (date, rest) = match crate::datetime::date(body) {
        Some((d, rest)) => (Some(d), rest),
        None => (None, body),
    };
    let Some(day) = date else {
        return format!("{lead}{body}");
    };
    // A date on its own sets the day; a file name (a gallery's caption) is no event.
    if rest.trim().is_empty() || is_file_caption(body) {
        return format!("{lead}{body}");
    }
    let after = rest
        .strip_prefix('T')
        .unwrap_or(rest)
        .trim_start()
        .trim_start_matches('~');
    let has_time = rest.starts_with(['T', ' ']) && crate::datetime::clock(after).is_some();
    if has_time {
        format!("{lead}{day} {after}")
    } else {
        format!("{lead}{day} 00:00Z {UNDATED}{}", rest.trim_start())
    }
}

/// A date with at most two words after it and no time: a day's subheading.
fn day_heading(text: &str) -> Option<NaiveDate> {
    let body = strip_weekday(text.trim());
    let (day, rest) = crate::datetime::date(body)?;
    let rest = rest.trim();
    let words = rest.split_whitespace().count();
    let timed = crate::datetime::clock(rest.trim_start_matches(['T', '~'])).is_some();
    (words <= 2 && !timed && !rest.ends_with('.')).then_some(day)
}

/// A line naming an image or media file (a gallery's file and caption).
fn is_file_caption(text: &str) -> bool {
    text.split_whitespace().any(|w| {
        let w = w.to_ascii_lowercase();
        [
            ".png", ".jpg", ".jpeg", ".svg", ".gif", ".webp", ".pdf", ".webm",
        ]
        .iter()
        .any(|ext| w.ends_with(ext))
    })
}

fn strip_bullet(t: &str) -> &str {
    let t = t.trim_start_matches(['*', '#']);
    for b in ['•', '◦', '▪', '-', '–'] {
        if let Some(rest) = t.strip_prefix(b) {
            if rest.starts_with(char::is_whitespace) {
                return rest.trim_start();
            }
        }
    }
    t.trim_start()
}

fn strip_weekday(s: &str) -> &str {
    let lower = s.to_ascii_lowercase();
    for w in WEEKDAYS {
        if let Some(rest) = lower.strip_prefix(w) {
            let rest_orig = &s[w.len()..];
            let after = rest_orig.trim_start_matches([',', '.']).trim_start();
            if rest.starts_with([' ', ',', '.']) && crate::datetime::date(after).is_some() {
                return after;
            }
        }
    }
    s
}

/// Whether a line starts with a time or a date (after a bullet, a weekday or `~`).
fn starts_with_stamp(line: &str) -> bool {
    let body = strip_weekday(strip_bullet(line.trim())).trim_start_matches('~');
    crate::datetime::date(body).is_some() || crate::datetime::clock(body).is_some()
}

const START_WORDS: &[&str] = &["BEGINS", "BEGIN", "BEGAN", "STARTS", "START", "STARTED"];
const END_WORDS: &[&str] = &["ENDS", "END", "ENDED", "RESOLVED"];

/// Takes an outage marker (`OUTAGE BEGINS`, `[CORRUPTION STARTS]`: capitals ending in a
/// start or end word) out of an entry's text.
fn take_marker(text: &str) -> (String, Option<Marker>) {
    let words: Vec<(usize, &str)> = text
        .split(' ')
        .scan(0usize, |at, w| {
            let start = *at;
            *at += w.len() + 1;
            Some((start, w))
        })
        .collect();
    for (i, (start, w)) in words.iter().enumerate() {
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        let kind = if START_WORDS.contains(&core) {
            MarkerKind::Start
        } else if END_WORDS.contains(&core) {
            MarkerKind::End
        } else {
            continue;
        };
        // Capital words before it, at least one.
        let mut first = i;
        while first > 0 {
            let prev = words[first - 1]
                .1
                .trim_matches(|c: char| !c.is_alphanumeric());
            let caps = prev.len() >= 3 && prev.chars().all(|c| c.is_ascii_uppercase() || c == '-');
            if !caps {
                break;
            }
            first -= 1;
        }
        if first == i {
            continue;
        }
        let from = words[first].0;
        let to = start + w.len();
        let mut label_from = from;
        let mut label_to = to;
        let raw = &text[from..to];
        // Keep brackets that belong to the marker, drop trailing punctuation.
        let trimmed_end = raw.trim_end_matches(['.', ',', ';', '!']);
        label_to -= raw.len() - trimmed_end.len();
        let label = &text[label_from..label_to];
        let label = label.trim_start_matches('(').trim_end_matches(')');
        if label.is_empty() {
            continue;
        }
        label_from = from;
        let marked = format!(
            "{}'''{}'''{}",
            &text[..label_from],
            label,
            &text[label_to..]
        );
        let marked = marked.replace(&format!("('''{label}''')"), &format!("'''{label}'''"));
        let (rest, marker) = crate::blocks::split_marker(&marked);
        if let Some(m) = marker {
            return (
                rest.trim().to_owned(),
                Some(Marker {
                    kind,
                    label: m.label,
                }),
            );
        }
    }
    (text.to_owned(), None)
}

/// Joins the lines of a paragraph: a line that does not end a sentence goes on with the
/// next (a copied page breaks lines at links); a sentence's end before a capital starts a
/// new paragraph.
fn join_lines(lines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some(last)
                if !(last.ends_with(['.', '!', '?', ':'])
                    && line.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit())) =>
            {
                last.push(' ');
                last.push_str(line);
            }
            _ => out.push(line.to_owned()),
        }
    }
    out
}

fn links_of(inlines: &[Inline]) -> Vec<(String, String)> {
    inlines
        .iter()
        .filter_map(|i| match i {
            Inline::Link { label, href, .. } => Some((label.clone(), href.clone())),
            _ => None,
        })
        .collect()
}

/// A line's wikitext: its text escaped, the document's links as links.
fn inline_wikitext(inlines: &[Inline], ctx: Context) -> String {
    linkify(&one_line(inlines), &links_of(inlines), ctx).to_wikitext(ctx)
}

/// The lines of a run of inlines: split at breaks and at `\n` in text.
fn lines_of(inlines: &[Inline]) -> Vec<Vec<Inline>> {
    let mut lines = vec![Vec::new()];
    for inline in inlines {
        match inline {
            Inline::Break => lines.push(Vec::new()),
            Inline::Text { text, style } if text.contains('\n') => {
                for (i, part) in text.split('\n').enumerate() {
                    if i > 0 {
                        lines.push(Vec::new());
                    }
                    if let Some(line) = lines.last_mut() {
                        line.push(Inline::Text {
                            text: part.to_owned(),
                            style: *style,
                        });
                    }
                }
            }
            other => {
                if let Some(line) = lines.last_mut() {
                    line.push(other.clone());
                }
            }
        }
    }
    lines
}

fn cell_rich(inlines: &[Inline]) -> Text {
    let lines: Vec<String> = lines_of(inlines)
        .iter()
        .map(|l| one_line(l))
        .filter(|l| !l.is_empty())
        .collect();
    linkify(&lines.join("\n"), &links_of(inlines), Context::Cell)
}

/// Plain text, or wikitext with the given links where their labels are (in order). The
/// text is escaped as a whole (with a private-use character standing for each link), so
/// escaping sees the same neighbours as in the plain text.
fn linkify(text: &str, links: &[(String, String)], ctx: Context) -> Text {
    const FIRST: u32 = 0xF0000;
    let mut marked = String::with_capacity(text.len());
    let mut rest = text;
    let mut used = Vec::new();
    for (label, href) in links {
        if label.is_empty() || used.len() >= 60_000 {
            continue;
        }
        let Some(at) = rest.find(label.as_str()) else {
            continue;
        };
        marked.push_str(&rest[..at]);
        marked.push(char::from_u32(FIRST + used.len() as u32).unwrap_or('\u{FFFD}'));
        used.push((label, href));
        rest = &rest[at + label.len()..];
    }
    if used.is_empty() || text.chars().any(|c| (c as u32) >= FIRST) {
        return Text::Plain(text.to_owned());
    }
    marked.push_str(rest);
    let escaped = escape(&marked, ctx);
    let mut out = String::with_capacity(escaped.len() + 64);
    let mut chars = escaped.chars().peekable();
    while let Some(c) = chars.next() {
        let n = (c as u32).wrapping_sub(FIRST) as usize;
        if let Some((label, href)) = used.get(n) {
            if out.ends_with('[') {
                out.pop();
                out.push_str("&#91;");
            }
            let label_w = escape(label, Context::Inline).replace(']', "&#93;");
            out.push_str(&format!("[{} {}]", encode_url(href), label_w));
            if chars.peek() == Some(&']') {
                chars.next();
                out.push_str("&#93;");
            }
        } else {
            out.push(c);
        }
    }
    Text::wiki(out)
}

/// A URL as an external link's target: characters that would end it or start markup are
/// percent-encoded.
fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            'a'..='z'
            | 'A'..='Z'
            | '0'..='9'
            | '-'
            | '.'
            | '_'
            | '~'
            | ':'
            | '/'
            | '?'
            | '#'
            | '@'
            | '!'
            | '$'
            | '&'
            | '('
            | ')'
            | '*'
            | '+'
            | ','
            | ';'
            | '='
            | '%' => out.push(c),
            c => {
                const HEX: &[u8; 16] = b"0123456789ABCDEF";
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push('%');
                    out.push(HEX[usize::from(b >> 4)] as char);
                    out.push(HEX[usize::from(b & 15)] as char);
                }
            }
        }
    }
    out
}

/// Escapes what would be markup at the start of a line of wikitext.
fn guard_line_start(w: &str) -> String {
    let first = w.chars().next();
    match first {
        Some(c @ ('*' | '#' | ':' | ';' | '=' | ' ' | '!')) => {
            format!("&#{};{}", c as u32, &w[c.len_utf8()..])
        }
        Some('{') if w.starts_with("{|") => format!("&#123;{}", &w[1..]),
        Some('-') if w.starts_with("----") => format!("&#45;{}", &w[1..]),
        _ => w.to_owned(),
    }
}

fn wikitable(rows: &[Vec<Vec<Inline>>]) -> String {
    let mut out = String::from("{| class=\"wikitable\"");
    for row in rows {
        out.push_str("\n|-");
        for cell in row {
            out.push_str("\n|");
            let w = cell_rich(cell).to_wikitext(Context::Cell);
            out.push_str(&w);
        }
    }
    out.push_str("\n|}");
    out
}

fn bullets(units: Vec<Unit>) -> Lines<Bullet> {
    let mut lines = Vec::new();
    let listed = units.iter().any(|u| matches!(u, Unit::Item { .. }));
    for u in units {
        match u {
            Unit::Line { inlines, .. } if listed => {
                lines.push(Line::Raw(guard_line_start(&inline_wikitext(
                    &inlines,
                    Context::Inline,
                ))));
            }
            Unit::Item { depth, inlines, .. } if depth > 0 => lines.push(Line::Raw(format!(
                "{} {}",
                "*".repeat(depth + 1),
                inline_wikitext(&inlines, Context::Inline)
            ))),
            Unit::Item { inlines, .. } | Unit::Line { inlines, .. } => {
                lines.push(Line::Item(Bullet::new(linkify(
                    &one_line(&inlines),
                    &links_of(&inlines),
                    Context::Inline,
                ))))
            }
            other => {
                for l in other.text().lines().filter(|l| !l.trim().is_empty()) {
                    lines.push(Line::Item(Bullet::new(Text::Plain(l.trim().to_owned()))));
                }
            }
        }
    }
    Lines { lines }
}

/// A Phabricator task in visible text: `phab:T123`, a Phabricator URL, or `T123` standing
/// alone (three digits or more). Byte range and id.
pub(crate) fn find_task(text: &str) -> Option<(usize, usize, String)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'T'
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'/')
        {
            let digits = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let end = i + 1 + digits;
            let ends = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
            if (3..=9).contains(&digits) && ends {
                let id = text[i..end].to_owned();
                let mut start = i;
                for prefix in [
                    "phab:",
                    "https://phabricator.wikimedia.org/",
                    "http://phabricator.wikimedia.org/",
                ] {
                    if text[..start].ends_with(prefix) {
                        start -= prefix.len();
                    }
                }
                return Some((start, end, id));
            }
        }
        i += 1;
    }
    None
}

fn actionable(inlines: &[Inline]) -> Actionable {
    let mut text = one_line(inlines);
    let mut status = ActionStatus::Open;
    for done in [
        "✔ Done", "✓ Done", "✅ Done", "{{Done}}", "(done)", "[x]", "✔", "✅",
    ] {
        if let Some(at) = text.find(done) {
            text.replace_range(at..at + done.len(), "");
            status = ActionStatus::Done;
            break;
        }
    }
    let trimmed = text.trim();
    for (prefix, st) in [
        ("Done:", ActionStatus::Done),
        ("Done -", ActionStatus::Done),
        ("In progress", ActionStatus::Open),
        ("[ ]", ActionStatus::Open),
    ] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            if rest.starts_with([' ', ':', '-']) || rest.is_empty() {
                status = if st == ActionStatus::Done { st } else { status };
                text = rest.trim_start_matches([' ', ':']).to_owned();
                break;
            }
        }
    }
    let mut owner = String::new();
    for key in ["owner:", "Owner:", "assignee:", "Assignee:", "assigned to "] {
        if let Some(at) = text.find(key) {
            let value = text[at + key.len()..].trim();
            let value = value.trim_end_matches(')').trim();
            let value = value
                .split([';', ','])
                .next()
                .unwrap_or(value)
                .trim()
                .to_owned();
            let mut before = text[..at].trim_end().to_owned();
            if before.ends_with('(') {
                before.pop();
            }
            owner = value;
            text = before
                .trim_end()
                .trim_end_matches([';', ',', '-'])
                .trim_end()
                .to_owned();
            break;
        }
    }
    let mut task = None;
    if let Some((start, end, id)) = find_task(&text) {
        let (mut before, mut after) = (text[..start].to_owned(), text[end..].to_owned());
        if before.trim_end().ends_with('(') && after.trim_start().starts_with(')') {
            let b = before.trim_end();
            before = b[..b.len() - 1].to_owned();
            let a = after.trim_start();
            after = a[1..].to_owned();
        }
        let before = before
            .trim_end()
            .trim_end_matches([':', '-', '–', '—'])
            .trim_end();
        let after = after
            .trim_start()
            .trim_start_matches([':', '-', '–', '—'])
            .trim_start();
        text = match (before.is_empty(), after.is_empty()) {
            (false, false) => format!("{before} {after}"),
            _ => format!("{before}{after}"),
        };
        task = Some(id);
    }
    let links: Vec<(String, String)> = links_of(inlines)
        .into_iter()
        .filter(|(label, href)| {
            task.as_deref()
                .is_none_or(|t| !(label.contains(t) && href.contains(t)))
        })
        .collect();
    Actionable {
        text: linkify(text.trim(), &links, Context::Inline),
        task,
        status,
        owner,
        due: None,
        source: None,
    }
}
