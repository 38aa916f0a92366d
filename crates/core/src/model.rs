//! The report document: what irdoc edits, stores, exports and imports.
//!
//! Fields hold what the author means (times, answers, task ids, text); `layout` records how
//! the page is laid out, and items parsed from a page keep their `source` line, so a page that
//! was imported and not edited exports to the same bytes.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::questions::{Category, QUESTIONS};
use crate::text::Text;

/// Version of the JSON form of [`Report`]; bump it with a migration in `drafts`.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Report {
    pub schema: u32,
    /// Wiki page title, `Incidents/YYYY-MM-DD Short title`.
    pub title: String,
    pub status: Status,
    /// The status line as the page wrote it (`{{irdoc|status=final}}`, `{{irdoc-draft}}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_line: Option<String>,
    pub metadata: Metadata,
    pub summary: String,
    pub timeline: Lines<TimelineEntry>,
    pub detection: String,
    /// Prose under "Conclusions" before the three lists, author subsections included.
    pub conclusions: String,
    pub went_well: Lines<Bullet>,
    pub went_poorly: Lines<Bullet>,
    pub got_lucky: Lines<Bullet>,
    pub links: String,
    pub actionables: Lines<Actionable>,
    pub scorecard: Scorecard,
    /// Sections irdoc has no field for, kept as written.
    pub extra: Vec<ExtraSection>,
    pub layout: Vec<Piece>,
    /// The wiki page and revision the report was opened from or last published as, if any.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "Origin::deserialize_field"
    )]
    pub wiki: Option<Origin>,
}

impl Report {
    /// The kept section with this id. Import numbers them 1, 2, ... in order, so the
    /// position is tried first: a page of many sections exports in linear time.
    pub fn extra_section(&self, id: u32) -> Option<&ExtraSection> {
        let at = (id as usize).checked_sub(1);
        at.and_then(|at| self.extra.get(at))
            .filter(|x| x.id == id)
            .or_else(|| self.extra.iter().find(|x| x.id == id))
    }

    /// `Incidents/YYYY-MM-DD ` from the start date, for the title field.
    pub fn suggested_title(&self) -> Option<String> {
        let date = When::read(self.metadata.start.as_str())?.date()?;
        Some(format!("Incidents/{date} "))
    }
}

/// Where a draft came from on a wiki: the page and the revision it is based on, so that
/// publishing can tell the wiki which revision the author edited (and the wiki can detect an
/// edit conflict), and a check can show what changed since.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Origin {
    /// The wiki's base address ([`crate::wiki::Wiki::base`]).
    pub wiki: String,
    /// The page's title as the wiki normalizes it (`Incidents/2025-03-31 sessionstore …`).
    pub title: String,
    /// The revision the draft is based on.
    pub revid: u64,
    /// That revision's timestamp, as the API gives it (`2025-04-01T10:00:00Z`).
    pub timestamp: String,
}

impl Origin {
    /// Reads the JSON a report stores (`{"wiki", "title", "revid", "timestamp"}`) from a
    /// `Value`: the app reads JSON values anyway, so this adds no deserializer of its own.
    pub fn from_json(v: &Value) -> Option<Origin> {
        Some(Origin {
            wiki: v.get("wiki")?.as_str()?.to_owned(),
            title: v.get("title")?.as_str()?.to_owned(),
            revid: v.get("revid")?.as_u64()?,
            timestamp: v.get("timestamp")?.as_str()?.to_owned(),
        })
    }

    /// Serde's reader of a report's `"wiki"` field (`null` or absent: none).
    pub(crate) fn deserialize_field<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Origin>, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(None),
            v => Origin::from_json(&v).map(Some).ok_or_else(|| {
                serde::de::Error::custom(
                    "“wiki” must be {\"wiki\", \"title\", \"revid\", \"timestamp\"}",
                )
            }),
        }
    }
}

/// Document status, `{{irdoc|status=...}}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Draft,
    Review,
    Final,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Draft, Status::Review, Status::Final];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Review => "review",
            Status::Final => "final",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// A field of the `{{Incident scorecard}}` box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetaField {
    Task,
    PagedNum,
    RespondersNum,
    Coordinators,
    Start,
    End,
    Metrics,
    Impact,
}

impl MetaField {
    /// In the template's order.
    pub const ALL: [MetaField; 8] = [
        MetaField::Task,
        MetaField::PagedNum,
        MetaField::RespondersNum,
        MetaField::Coordinators,
        MetaField::Start,
        MetaField::End,
        MetaField::Metrics,
        MetaField::Impact,
    ];

    pub fn key(self) -> &'static str {
        match self {
            MetaField::Task => "task",
            MetaField::PagedNum => "paged-num",
            MetaField::RespondersNum => "responders-num",
            MetaField::Coordinators => "coordinators",
            MetaField::Start => "start",
            MetaField::End => "end",
            MetaField::Metrics => "metrics",
            MetaField::Impact => "impact",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            MetaField::Task => "Phabricator task",
            MetaField::PagedNum => "People paged",
            MetaField::RespondersNum => "Responders",
            MetaField::Coordinators => "Incident coordinators",
            MetaField::Start => "Start (UTC)",
            MetaField::End => "End (UTC)",
            MetaField::Metrics => "Affected metrics / SLOs",
            MetaField::Impact => "Impact",
        }
    }

    pub fn help(self) -> &'static str {
        match self {
            MetaField::Task => "The incident's Phabricator task, such as T390513.",
            MetaField::PagedNum => "How many people were paged (a number, or “batphone”).",
            MetaField::RespondersNum => "How many people responded, optionally who.",
            MetaField::Coordinators => "Who coordinated the response (IC), if anyone.",
            MetaField::Start => "When user-visible impact began, in UTC: YYYY-MM-DD hh:mm.",
            MetaField::End => "When user-visible impact ended, in UTC: YYYY-MM-DD hh:mm.",
            MetaField::Metrics => {
                "Which SLOs or metrics were affected; “No relevant SLOs exist” is fine."
            }
            MetaField::Impact => "Who was affected and how, in one or two sentences.",
        }
    }
}

/// The `{{Incident scorecard}}` metadata box.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Metadata {
    pub task: Text,
    pub paged_num: Text,
    pub responders_num: Text,
    pub coordinators: Text,
    pub start: Text,
    pub end: Text,
    pub metrics: Text,
    pub impact: Text,
    /// The box's lines as the page had them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Vec<String>>,
}

impl Metadata {
    pub fn get(&self, f: MetaField) -> &Text {
        match f {
            MetaField::Task => &self.task,
            MetaField::PagedNum => &self.paged_num,
            MetaField::RespondersNum => &self.responders_num,
            MetaField::Coordinators => &self.coordinators,
            MetaField::Start => &self.start,
            MetaField::End => &self.end,
            MetaField::Metrics => &self.metrics,
            MetaField::Impact => &self.impact,
        }
    }

    pub fn get_mut(&mut self, f: MetaField) -> &mut Text {
        match f {
            MetaField::Task => &mut self.task,
            MetaField::PagedNum => &mut self.paged_num,
            MetaField::RespondersNum => &mut self.responders_num,
            MetaField::Coordinators => &mut self.coordinators,
            MetaField::Start => &mut self.start,
            MetaField::End => &mut self.end,
            MetaField::Metrics => &mut self.metrics,
            MetaField::Impact => &mut self.impact,
        }
    }

    pub fn is_blank(&self) -> bool {
        MetaField::ALL.into_iter().all(|f| self.get(f).is_blank())
    }
}

/// A section body made of lines, some understood as items, the rest kept as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Lines<T> {
    pub lines: Vec<Line<T>>,
}

impl<T> Default for Lines<T> {
    fn default() -> Self {
        Lines { lines: Vec::new() }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Line<T> {
    /// A line kept as written: prose, sub-bullets, subheadings, blank lines.
    Raw(String),
    Item(T),
}

impl<T> Line<T> {
    pub fn item(&self) -> Option<&T> {
        match self {
            Line::Item(t) => Some(t),
            Line::Raw(_) => None,
        }
    }

    pub fn item_mut(&mut self) -> Option<&mut T> {
        match self {
            Line::Item(t) => Some(t),
            Line::Raw(_) => None,
        }
    }

    /// Raw lines that carry something (not blank).
    pub fn is_visible_raw(&self) -> bool {
        matches!(self, Line::Raw(s) if !s.trim().is_empty())
    }
}

impl<T> Lines<T> {
    pub fn items(&self) -> impl Iterator<Item = &T> {
        self.lines.iter().filter_map(Line::item)
    }

    /// Items with their line index.
    pub fn indexed_items(&self) -> impl Iterator<Item = (usize, &T)> {
        self.lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.item().map(|t| (i, t)))
    }

    pub fn item_count(&self) -> usize {
        self.items().count()
    }

    pub fn has_items(&self) -> bool {
        self.lines.iter().any(|l| matches!(l, Line::Item(_)))
    }

    /// Where a new item goes when appended: after the last item, else after leading blanks.
    fn append_index(&self) -> usize {
        match self.lines.iter().rposition(|l| matches!(l, Line::Item(_))) {
            Some(last) => last + 1,
            None => self
                .lines
                .iter()
                .position(|l| !matches!(l, Line::Raw(s) if s.trim().is_empty()))
                .unwrap_or(self.lines.len())
                .min(1),
        }
    }

    /// Appends an item; returns its line index.
    pub fn push(&mut self, item: T) -> usize {
        let at = self.append_index();
        self.lines.insert(at, Line::Item(item));
        at
    }

    /// Inserts an item right after line `index`; returns the new line's index.
    pub fn insert_after(&mut self, index: usize, item: T) -> usize {
        let at = (index + 1).min(self.lines.len());
        self.lines.insert(at, Line::Item(item));
        at
    }

    pub fn remove(&mut self, index: usize) -> Option<Line<T>> {
        (index < self.lines.len()).then(|| self.lines.remove(index))
    }

    /// Swaps item `index` with the previous (`up`) or next item, skipping raw lines.
    pub fn move_item(&mut self, index: usize, up: bool) -> Option<usize> {
        let items: Vec<usize> = self.indexed_items().map(|(i, _)| i).collect();
        let pos = items.iter().position(|&i| i == index)?;
        let other = if up {
            items.get(pos.checked_sub(1)?)
        } else {
            items.get(pos + 1)
        }?;
        self.lines.swap(index, *other);
        Some(*other)
    }
}

/// Time of a timeline entry: the pages use `HH:MM` (seconds sometimes) or a full date-time.
///
/// Stored as its text (`"20:59"`, `"2025-03-31 20:59:12"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum When {
    DateTime(NaiveDateTime),
    Time(NaiveTime),
}

impl When {
    /// `dt` dated when its year has the four digits a page writes (`YYYY-MM-DD`), else only
    /// its time: a date a page cannot hold would not read back.
    pub fn on(dt: NaiveDateTime) -> When {
        if (0..=9999).contains(&dt.year()) {
            When::DateTime(dt)
        } else {
            When::Time(dt.time())
        }
    }

    /// Reads a metadata time, `YYYY-MM-DD hh:mm[:ss]` or only `hh:mm`, around spaces.
    pub fn read(s: &str) -> Option<When> {
        s.trim().parse().ok()
    }

    pub fn time(&self) -> NaiveTime {
        match self {
            When::Time(t) => *t,
            When::DateTime(dt) => dt.time(),
        }
    }

    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            When::Time(_) => None,
            When::DateTime(dt) => Some(dt.date()),
        }
    }
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(day) = self.date() {
            write!(f, "{day} ")?;
        }
        f.write_str(&crate::datetime::format_time(self.time()))
    }
}

impl std::str::FromStr for When {
    type Err = String;

    /// Accepts `HH:MM`, `HH:MM:SS`, `YYYY-MM-DD HH:MM[:SS]` and `YYYY-MM-DDTHH:MM[:SS][Z]`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        use crate::datetime::{date, parse_time};
        let s = s.trim_ascii().trim_end_matches('Z');
        let parsed = match date(s) {
            Some((day, rest)) => rest
                .strip_prefix([' ', 'T'])
                .and_then(|t| parse_time(t.trim_ascii()))
                .map(|t| When::DateTime(day.and_time(t))),
            None => parse_time(s).map(When::Time),
        };
        parsed.ok_or_else(|| format!("“{s}” is not a time (HH:MM) or date-time (YYYY-MM-DD HH:MM)"))
    }
}

impl Serialize for When {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// Which end of the user-visible outage a timeline entry marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MarkerKind {
    Start,
    End,
}

/// A bold outage marker such as `'''OUTAGE BEGINS'''` or `'''[CORRUPTION STARTS]'''`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    pub kind: MarkerKind,
    pub label: String,
}

impl Marker {
    pub fn outage(kind: MarkerKind) -> Self {
        let label = match kind {
            MarkerKind::Start => "OUTAGE BEGINS",
            MarkerKind::End => "OUTAGE ENDS",
        };
        Marker {
            kind,
            label: label.to_owned(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// The list marker the page uses before the time: `* `, `*` or nothing.
    #[serde(default = "default_bullet")]
    pub bullet: String,
    pub when: When,
    pub text: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub marker: Option<Marker>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn default_bullet() -> String {
    "* ".to_owned()
}

impl TimelineEntry {
    pub fn new(when: When, text: Text) -> Self {
        TimelineEntry {
            bullet: default_bullet(),
            when,
            text,
            marker: None,
            source: None,
        }
    }
}

/// An item of "What went well?" and the other conclusion lists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Bullet {
    pub text: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Bullet {
    pub fn new(text: Text) -> Self {
        Bullet { text, source: None }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Actionable {
    pub text: Text,
    /// Phabricator task id, `T123456`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    pub status: ActionStatus,
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "crate::text::deserialize_plain"
    )]
    pub owner: String,
    #[serde(
        skip_serializing_if = "Option::is_none",
        with = "crate::datetime::optional_date"
    )]
    pub due: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Actionable {
    /// What an actionable should still be given: a task, an owner, and (while open) a due
    /// date, as the author is reminded.
    pub fn still_needs(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.task.is_none() {
            missing.push("a task");
        }
        if self.owner.trim().is_empty() {
            missing.push("an owner");
        }
        if self.due.is_none() && self.status == ActionStatus::Open {
            missing.push("a due date");
        }
        missing
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionStatus {
    #[default]
    Open,
    Done,
}

/// Whether `s` is a Phabricator task id such as `T390513`.
pub fn is_task_id(s: &str) -> bool {
    s.strip_prefix('T')
        .is_some_and(|n| !n.is_empty() && n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// An answer in the scorecard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    #[serde(rename = "n/a")]
    NotApplicable,
    /// Not answered (an empty cell or “?”).
    #[default]
    Unknown,
}

impl Answer {
    /// The cell text irdoc writes.
    pub fn as_cell(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::NotApplicable => "N/A",
            Answer::Unknown => "",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Answer::Yes => "Yes",
            Answer::No => "No",
            Answer::NotApplicable => "N/A",
            Answer::Unknown => "Unanswered",
        }
    }

    /// Reads an answer cell: yes/no/n-a in any case; anything else counts as not answered.
    pub fn from_cell(cell: &str) -> Self {
        let word = cell
            .trim()
            .trim_end_matches(['.', '!'])
            .to_ascii_lowercase();
        match word.as_str() {
            "yes" | "y" => Answer::Yes,
            "no" | "n" => Answer::No,
            "n/a" | "na" | "n-a" | "not applicable" => Answer::NotApplicable,
            _ => Answer::Unknown,
        }
    }
}

/// One question row of the scorecard table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreRow {
    /// The `! rowspan="5" |People` cell that opens a category, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    /// The question cell's wikitext as the page words it.
    pub wording: String,
    pub answer: Answer,
    #[serde(default)]
    pub notes: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The Incident Engagement ScoreCard table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scorecard {
    pub rows: Vec<ScoreRow>,
    /// The total as the page states it; `None` writes the computed total.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated_total: Option<String>,
    /// The table's header and total row as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub foot: Option<String>,
}

impl Default for Scorecard {
    fn default() -> Self {
        let rows = QUESTIONS
            .iter()
            .enumerate()
            .map(|(i, q)| ScoreRow {
                header: (i % 5 == 0).then(|| category_header(q.category)),
                wording: q.text.to_owned(),
                answer: Answer::Unknown,
                notes: Text::default(),
                source: None,
            })
            .collect();
        Scorecard {
            rows,
            stated_total: None,
            head: None,
            foot: None,
        }
    }
}

/// The cell that opens a category's five rows.
pub fn category_header(c: Category) -> String {
    format!("! rowspan=\"5\" |{}", c.name())
}

impl Scorecard {
    /// Sets an answer; the total then follows the answers again.
    pub fn set_answer(&mut self, row: usize, answer: Answer) {
        if let Some(r) = self.rows.get_mut(row) {
            r.answer = answer;
            self.stated_total = None;
        }
    }

    /// The category of each row: from the row's header cell, else the one before it.
    pub fn categories(&self) -> Vec<Category> {
        let mut current = Category::People;
        self.rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let from_header = row
                    .header
                    .as_deref()
                    .and_then(|h| h.rsplit('|').next())
                    .and_then(Category::from_name);
                let from_wording =
                    crate::questions::identify(&row.wording).map(|q| QUESTIONS[q].category);
                current = from_header
                    .or(from_wording)
                    .unwrap_or(if i % 5 == 0 && i > 0 {
                        next(current)
                    } else {
                        current
                    });
                current
            })
            .collect()
    }

    pub fn is_blank(&self) -> bool {
        self.rows
            .iter()
            .all(|r| r.answer == Answer::Unknown && r.notes.is_blank())
    }
}

fn next(c: Category) -> Category {
    match c {
        Category::People => Category::Process,
        _ => Category::Tooling,
    }
}

/// A section irdoc has no field for (for example a pre-2021 `== Impact ==`), kept as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraSection {
    pub id: u32,
    pub title: String,
    pub body: String,
}

/// One piece of the page, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Piece {
    /// A heading line as written, with its line break.
    Heading(String),
    /// Text kept as written: blank lines, a TOC, anything between fields.
    Literal(String),
    Field(Field),
}

/// A report field's place in the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Status,
    Metadata,
    Summary,
    Timeline,
    Detection,
    Conclusions,
    WentWell,
    WentPoorly,
    GotLucky,
    Links,
    Actionables,
    Scorecard,
    Extra(u32),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_actionable_still_needs_a_task_an_owner_and_while_open_a_due_date() {
        let open = Actionable::default();
        assert_eq!(open.still_needs(), ["a task", "an owner", "a due date"]);
        let done = Actionable {
            status: ActionStatus::Done,
            ..Actionable::default()
        };
        assert_eq!(done.still_needs(), ["a task", "an owner"]);
        let complete = Actionable {
            task: Some("T1".into()),
            owner: "swfrench".into(),
            due: crate::datetime::parse_date("2025-04-01"),
            ..Actionable::default()
        };
        assert!(complete.still_needs().is_empty());
        let blank_owner = Actionable {
            owner: "  ".into(),
            ..complete
        };
        assert_eq!(blank_owner.still_needs(), ["an owner"]);
    }
}
