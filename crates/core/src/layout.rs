//! Page layouts: the wikitech templates, and where a field goes when the page lacks it.

use std::borrow::Cow;
use std::ops::Range;

use crate::model::{Field, Lines, Metadata, Piece, Report, Scorecard, Status, SCHEMA_VERSION};

/// A template piece, written as static data.
enum T {
    H(&'static str),
    L(&'static str),
    F(Field),
}

const STATUS: &[T] = &[T::F(Field::Status), T::L("\n\n")];
const SUMMARY: &[T] = &[
    T::H("== Summary ==\n"),
    T::F(Field::Metadata),
    T::L("\n\n"),
    T::F(Field::Summary),
    T::L("\n\n{{TOC|align=right}}\n\n"),
];
const TIMELINE: &[T] = &[
    T::H("==Timeline==\n"),
    T::L("\n''All times in UTC.''\n\n"),
    T::F(Field::Timeline),
    T::L("\n\n"),
];
const DETECTION: &[T] = &[
    T::H("==Detection==\n"),
    T::F(Field::Detection),
    T::L("\n\n"),
];
const CONCLUSIONS: &[T] = &[
    T::H("==Conclusions ==\n"),
    T::F(Field::Conclusions),
    T::L("\n\n"),
    T::H("===What went well?===\n"),
    T::L("\n"),
    T::F(Field::WentWell),
    T::L("\n\n"),
    T::H("===What went poorly?===\n"),
    T::L("\n"),
    T::F(Field::WentPoorly),
    T::L("\n\n"),
    T::H("===Where did we get lucky?===\n"),
    T::L("\n"),
    T::F(Field::GotLucky),
    T::L("\n\n"),
];
const LINKS: &[T] = &[
    T::H("==Links to relevant documentation==\n"),
    T::L("\n"),
    T::F(Field::Links),
    T::L("\n\n"),
];
const ACTIONABLES: &[T] = &[
    T::H("==Actionables==\n"),
    T::L("\n"),
    T::F(Field::Actionables),
    T::L("\n\n"),
];
const SCORECARD: &[T] = &[
    T::H("==Scorecard==\n"),
    T::L("\n\n"),
    T::F(Field::Scorecard),
];

/// The full template's sections, in page order.
const SECTIONS: [&[T]; 8] = [
    STATUS,
    SUMMARY,
    TIMELINE,
    DETECTION,
    CONCLUSIONS,
    LINKS,
    ACTIONABLES,
    SCORECARD,
];

/// Fields that sit inside another field's section, with the template pieces that carry them.
const SUBSECTIONS: [(Field, Field, &[T], Range<usize>); 4] = [
    (Field::Metadata, Field::Summary, SUMMARY, 1..3),
    (Field::WentWell, Field::Conclusions, CONCLUSIONS, 3..7),
    (Field::WentPoorly, Field::Conclusions, CONCLUSIONS, 7..11),
    (Field::GotLucky, Field::Conclusions, CONCLUSIONS, 11..15),
];

fn pieces(template: &[T]) -> impl Iterator<Item = Piece> + '_ {
    template.iter().map(|t| match t {
        T::H(s) => Piece::Heading((*s).to_owned()),
        T::L(s) => Piece::Literal((*s).to_owned()),
        T::F(f) => Piece::Field(*f),
    })
}

/// A new report is laid out like the full template.
impl Default for Report {
    fn default() -> Self {
        Report {
            schema: SCHEMA_VERSION,
            title: String::new(),
            status: Status::default(),
            status_line: None,
            metadata: Metadata::default(),
            summary: String::new(),
            timeline: Lines::default(),
            detection: String::new(),
            conclusions: String::new(),
            went_well: Lines::default(),
            went_poorly: Lines::default(),
            got_lucky: Lines::default(),
            links: String::new(),
            actionables: Lines::default(),
            scorecard: Scorecard::default(),
            extra: Vec::new(),
            layout: full_template(),
            wiki: None,
        }
    }
}

impl Report {
    /// A report laid out like the lightweight template: summary, documentation, actionables
    /// and scorecard.
    pub fn lightweight() -> Self {
        Report {
            layout: lightweight_template(),
            ..Report::default()
        }
    }
}

pub fn full_template() -> Vec<Piece> {
    SECTIONS.iter().flat_map(|s| pieces(s)).collect()
}

/// Summary, documentation links, actionables and scorecard.
pub fn lightweight_template() -> Vec<Piece> {
    [STATUS, SUMMARY, LINKS, ACTIONABLES, SCORECARD]
        .into_iter()
        .flat_map(pieces)
        .collect()
}

/// The heading level of a line such as `==Timeline==` or `=== User reports ===`.
pub fn heading_level(line: &str) -> Option<usize> {
    let line = line.trim_end();
    let lead = line.bytes().take_while(|&b| b == b'=').count();
    let trail = line.bytes().rev().take_while(|&b| b == b'=').count();
    (lead > 0 && trail > 0 && line.len() > lead + trail).then(|| lead.min(trail).min(6))
}

/// A heading's title without its `=` and spacing.
pub fn heading_title(line: &str) -> &str {
    line.trim().trim_matches('=').trim()
}

fn has_content(r: &Report, f: Field) -> bool {
    match f {
        // A page without a status line is a published page: one is added for other states.
        Field::Status => r.status != Status::Final,
        Field::Metadata => !r.metadata.is_blank(),
        Field::Summary => !r.summary.trim().is_empty(),
        Field::Timeline => r.timeline.has_items(),
        Field::Detection => !r.detection.trim().is_empty(),
        Field::Conclusions => !r.conclusions.trim().is_empty(),
        Field::WentWell => r.went_well.has_items(),
        Field::WentPoorly => r.went_poorly.has_items(),
        Field::GotLucky => r.got_lucky.has_items(),
        Field::Links => !r.links.trim().is_empty(),
        Field::Actionables => r.actionables.has_items(),
        Field::Scorecard => !r.scorecard.is_blank(),
        Field::Extra(_) => false,
    }
}

/// The layout to export: the report's own, plus a place for every field that has content
/// but no place in the page yet (an imported page that lacked the section).
pub fn effective(r: &Report) -> Cow<'_, [Piece]> {
    let mut layout = Cow::Borrowed(r.layout.as_slice());
    for (si, section) in SECTIONS.iter().enumerate() {
        for t in section.iter() {
            let T::F(field) = *t else { continue };
            if !has_content(r, field) || position(&layout, field).is_some() {
                continue;
            }
            let (at, insert) = place(&layout, si, field);
            let missing: Vec<Piece> = insert
                .filter(|p| !matches!(p, Piece::Field(f) if position(&layout, *f).is_some()))
                .collect();
            layout.to_mut().splice(at..at, missing);
        }
    }
    layout
}

fn position(layout: &[Piece], f: Field) -> Option<usize> {
    layout.iter().position(|p| *p == Piece::Field(f))
}

/// Where a missing field goes, and the pieces that carry it there.
fn place(
    layout: &[Piece],
    section: usize,
    field: Field,
) -> (usize, Box<dyn Iterator<Item = Piece>>) {
    if field == Field::Status {
        return (0, Box::new(pieces(STATUS)));
    }
    if let Some((_, parent, template, range)) = SUBSECTIONS.iter().find(|(f, ..)| *f == field) {
        if let Some(p) = position(layout, *parent) {
            let at = if field == Field::Metadata {
                section_start(layout, p) + 1
            } else {
                section_end(layout, p)
            };
            return (at, Box::new(pieces(&template[range.clone()])));
        }
    }
    let at = SECTIONS[section + 1..]
        .iter()
        .find_map(|s| {
            s.iter().find_map(|t| match t {
                T::F(f) => position(layout, *f).map(|p| section_start(layout, p)),
                _ => None,
            })
        })
        .unwrap_or(layout.len());
    (at, Box::new(pieces(SECTIONS[section])))
}

/// The index of the level-2 heading that opens the section holding piece `i` (or `i`).
fn section_start(layout: &[Piece], i: usize) -> usize {
    layout[..i]
        .iter()
        .rposition(|p| matches!(p, Piece::Heading(h) if heading_level(h).is_some_and(|l| l <= 2)))
        .unwrap_or(i)
}

/// The index just past the section holding piece `i`.
fn section_end(layout: &[Piece], i: usize) -> usize {
    layout[i..]
        .iter()
        .position(|p| matches!(p, Piece::Heading(h) if heading_level(h).is_some_and(|l| l <= 2)))
        .map_or(layout.len(), |p| p + i)
}
