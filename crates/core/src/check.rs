//! Completeness checks an author wants before publishing.

use serde::Serialize;

use crate::analysis::{out_of_order, place_timeline, Placed};
use crate::blocks::find_task_ref;
use crate::model::{is_task_id, Field, MetaField, Piece, Report, When};
use crate::score::score;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where a finding is fixed: the report's title (which is the wiki page's name, not part of
/// the page), or one of the page's fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    Title,
    Field(Field),
}

impl Serialize for Place {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Place::Title => s.serialize_str("title"),
            Place::Field(f) => f.serialize(s),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// A stable name for the kind of finding, for scripts.
    pub code: &'static str,
    pub message: String,
    /// Where it is fixed. Written as `"field"` in JSON, its name in earlier versions.
    #[serde(rename = "field")]
    pub place: Place,
    /// The line within a list field (timeline, actionables), when it is about one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// How many findings are errors and how many warnings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
}

impl Tally {
    pub fn of(findings: &[Finding]) -> Tally {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Tally {
            errors,
            warnings: findings.len() - errors,
        }
    }
}

/// `1 error, 2 warnings`.
impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} error{}, {} warning{}",
            self.errors,
            plural(self.errors),
            self.warnings,
            plural(self.warnings)
        )
    }
}

/// Words authors leave in a template and forget.
const PLACEHOLDERS: &[&str] = &["TODO", "TBD", "FIXME", "XXX", "…", "{{Todo"];

/// Every finding, errors first.
pub fn check(r: &Report) -> Vec<Finding> {
    findings(r, &place_timeline(r))
}

/// [`check`] of a report whose timeline is `placed` already.
pub(crate) fn findings(r: &Report, placed: &[Placed]) -> Vec<Finding> {
    let mut out = Vec::new();
    if r.title.trim().is_empty() {
        out.push(Finding {
            severity: Severity::Warning,
            code: "title-empty",
            message: "The report has no page title (Incidents/YYYY-MM-DD …).".into(),
            place: Place::Title,
            line: None,
        });
    }
    let mut add = |severity, code, field, line, message: String| {
        out.push(Finding {
            severity,
            code,
            message,
            place: Place::Field(field),
            line,
        })
    };
    let in_page = |f: Field| r.layout.contains(&Piece::Field(f));

    for (field, text, name) in [
        (Field::Summary, &r.summary, "Summary"),
        (Field::Detection, &r.detection, "Detection"),
    ] {
        if in_page(field) && text.trim().is_empty() {
            add(
                Severity::Error,
                "empty",
                field,
                None,
                format!("{name} is empty."),
            );
        }
    }
    for f in [MetaField::Impact, MetaField::Start] {
        if r.metadata.get(f).is_blank() {
            add(
                Severity::Error,
                "empty",
                Field::Metadata,
                None,
                format!("{} is empty.", f.label()),
            );
        }
    }
    for f in [
        MetaField::Task,
        MetaField::End,
        MetaField::PagedNum,
        MetaField::RespondersNum,
    ] {
        if r.metadata.get(f).is_blank() {
            add(
                Severity::Warning,
                "empty",
                Field::Metadata,
                None,
                format!("{} is empty.", f.label()),
            );
        }
    }
    let task = r.metadata.task.as_str().trim();
    if !task.is_empty() && !is_task_id(task) && find_task_ref(task).is_none() {
        add(
            Severity::Error,
            "task-id",
            Field::Metadata,
            None,
            format!("Phabricator task “{task}” is not a task id such as T390513."),
        );
    }
    check_times(r, &mut add);

    for (field, name, text) in placeholder_fields(r) {
        if let Some(word) = PLACEHOLDERS.iter().find(|w| text.contains(**w)) {
            add(
                Severity::Warning,
                "placeholder",
                field,
                None,
                format!("{name} still contains the placeholder “{word}”."),
            );
        }
    }

    if in_page(Field::Timeline) && !r.timeline.has_items() {
        add(
            Severity::Warning,
            "timeline-empty",
            Field::Timeline,
            None,
            "The timeline has no entries.".into(),
        );
    }
    for line in out_of_order(placed) {
        let when = r.timeline.lines[line]
            .item()
            .map(|e| e.when.to_string())
            .unwrap_or_default();
        add(
            Severity::Warning,
            "timeline-order",
            Field::Timeline,
            Some(line),
            format!("Timeline entry at {when} is earlier than the entry before it."),
        );
    }

    if !r.actionables.has_items() {
        add(
            Severity::Warning,
            "actionables-empty",
            Field::Actionables,
            None,
            "There are no actionables.".into(),
        );
    }
    for (line, a) in r.actionables.indexed_items() {
        if a.task.is_none() {
            add(
                Severity::Warning,
                "actionable-task",
                Field::Actionables,
                Some(line),
                format!(
                    "Actionable “{}” has no Phabricator task.",
                    short(a.text.as_str())
                ),
            );
        }
    }

    let s = score(&r.scorecard);
    if let Some(stated) = s.mismatch() {
        add(
            Severity::Error,
            "score-total",
            Field::Scorecard,
            None,
            format!(
                "The scorecard states a total of {stated}, but its answers count {} “yes”.",
                s.total
            ),
        );
    }
    if s.unanswered > 0 {
        add(
            Severity::Warning,
            "score-unanswered",
            Field::Scorecard,
            None,
            format!(
                "{} of {} scorecard questions are unanswered.",
                s.unanswered, s.questions
            ),
        );
    }
    out.sort_by_key(|f| f.severity);
    out
}

fn check_times(
    r: &Report,
    add: &mut impl FnMut(Severity, &'static str, Field, Option<usize>, String),
) {
    let mut parsed = Vec::new();
    for f in [MetaField::Start, MetaField::End] {
        let text = r.metadata.get(f).as_str().trim();
        match When::read(text) {
            Some(w) => parsed.push(w),
            None if !text.is_empty() => add(
                Severity::Warning,
                "time-format",
                Field::Metadata,
                None,
                format!(
                    "{} “{text}” is not in the form YYYY-MM-DD hh:mm.",
                    f.label()
                ),
            ),
            None => {}
        }
    }
    if let [When::DateTime(start), When::DateTime(end)] = parsed[..] {
        if end < start {
            add(
                Severity::Error,
                "time-order",
                Field::Metadata,
                None,
                "The end is before the start.".into(),
            );
        }
    }
}

fn placeholder_fields(r: &Report) -> Vec<(Field, &'static str, &str)> {
    let mut fields = vec![
        (Field::Summary, "Summary", r.summary.as_str()),
        (Field::Detection, "Detection", r.detection.as_str()),
        (Field::Conclusions, "Conclusions", r.conclusions.as_str()),
        (Field::Links, "Links", r.links.as_str()),
    ];
    fields.extend(
        MetaField::ALL
            .into_iter()
            .map(|f| (Field::Metadata, f.label(), r.metadata.get(f).as_str())),
    );
    fields.extend(
        r.timeline
            .items()
            .map(|e| (Field::Timeline, "A timeline entry", e.text.as_str())),
    );
    fields.extend(
        r.actionables
            .items()
            .map(|a| (Field::Actionables, "An actionable", a.text.as_str())),
    );
    fields
}

fn short(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}
