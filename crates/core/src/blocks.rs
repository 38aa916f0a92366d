//! Wikitext of the structured parts of a page: timeline entries, list items, actionables,
//! the metadata box and the scorecard table.
//!
//! Every part parsed from a page keeps its `source`; it is written back unchanged as long as
//! its content still equals what that source parses to, so only edited parts change bytes.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::model::*;
use crate::text::{escape, unescape, Context, Text};

/// A part of the page that irdoc reads into fields and can write back.
pub trait Block: Sized + PartialEq {
    /// Reads the part from its wikitext; the result keeps `src` as its source.
    fn parse(src: &str) -> Option<Self>;
    /// Wikitext written from the fields alone.
    fn fresh_wikitext(&self) -> String;
    fn source(&self) -> Option<&str>;

    /// The source when the content is unedited, else fresh wikitext.
    fn to_wikitext(&self) -> Cow<'_, str> {
        match self.source() {
            Some(src) if Self::parse(src).as_ref() == Some(self) => Cow::Borrowed(src),
            _ => Cow::Owned(self.fresh_wikitext()),
        }
    }
}

impl<T: Block> Lines<T> {
    /// Splits a section body into lines, reading every line that parses as an item.
    pub fn parse(body: &str) -> Self {
        let lines = body
            .split('\n')
            .map(|l| T::parse(l).map_or_else(|| Line::Raw(l.to_owned()), Line::Item))
            .collect();
        Lines { lines }
    }

    pub fn write_wikitext(&self, out: &mut String) {
        for (i, line) in self.lines.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            match line {
                Line::Raw(s) => out.push_str(s),
                Line::Item(item) => out.push_str(&item.to_wikitext()),
            }
        }
    }
}

/// Splits a top-level list item (`* text`, `*text`) into its marker and text; nested or
/// numbered items are not top-level items.
fn bullet_item(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('*')?;
    if rest.starts_with(['*', '#', ':', ';']) {
        return None;
    }
    let text = rest.trim_ascii_start();
    Some((&line[..line.len() - text.len()], text.trim_ascii_end()))
}

impl Block for Bullet {
    fn parse(src: &str) -> Option<Self> {
        let (_, text) = bullet_item(src)?;
        Some(Bullet {
            text: Text::from_wikitext(text, Context::Inline),
            source: Some(src.to_owned()),
        })
    }

    fn fresh_wikitext(&self) -> String {
        format!("* {}", self.text.to_wikitext(Context::Inline))
    }

    fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

impl Block for TimelineEntry {
    fn parse(src: &str) -> Option<Self> {
        let (bullet, rest) = match bullet_item(src) {
            Some((bullet, text)) => (bullet, text),
            None if src.starts_with(|c: char| c.is_ascii_digit()) => ("", src.trim_ascii_end()),
            None => return None,
        };
        let (when, text) = split_when(rest)?;
        let (text, marker) = split_marker(text);
        Some(TimelineEntry {
            bullet: bullet.to_owned(),
            when,
            text: Text::from_wikitext(&text, Context::Inline),
            marker,
            source: Some(src.to_owned()),
        })
    }

    fn fresh_wikitext(&self) -> String {
        let mut out = format!("{}{}", self.bullet, self.when);
        let text = self.text.to_wikitext(Context::Inline);
        if !text.is_empty() {
            out.push(' ');
            out.push_str(&text);
        }
        if let Some(m) = &self.marker {
            out.push_str(if text.is_empty() { " " } else { " — " });
            out.push_str(&format!("'''{}'''", m.label));
        }
        out
    }

    fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

/// Reads a leading `HH:MM[:SS]` or `YYYY-MM-DD HH:MM[:SS]`, followed by the text.
fn split_when(s: &str) -> Option<(When, &str)> {
    const SEPARATORS: [char; 3] = [' ', '\t', '\u{a0}'];
    let word_end = |from: usize| s[from..].find(SEPARATORS).map_or(s.len(), |p| p + from);
    let first = word_end(0);
    let second = s[first..]
        .chars()
        .next()
        .map(|sep| word_end(first + sep.len_utf8()));
    let heads = [second, Some(first)];
    heads.into_iter().flatten().find_map(|end| {
        let head = &s[..end];
        let looks_like_time = head.len() >= 4 && head.contains(':');
        let when = looks_like_time
            .then(|| head.parse::<When>().ok())
            .flatten()?;
        let text = s[end..].trim_start_matches(SEPARATORS).trim_ascii_end();
        Some((when, text))
    })
}

/// Words that end a bold outage marker, by the side of the outage they mark.
const START_WORDS: &[&str] = &["BEGINS", "BEGIN", "BEGAN", "STARTS", "START", "STARTED"];
const END_WORDS: &[&str] = &["ENDS", "END", "ENDED", "RESOLVED"];

/// Takes a bold outage marker out of an entry's text.
pub(crate) fn split_marker(text: &str) -> (String, Option<Marker>) {
    let mut from = 0;
    while let Some(open) = text[from..].find("'''").map(|p| p + from) {
        let Some(close) = text[open + 3..].find("'''").map(|p| p + open + 3) else {
            break;
        };
        let label = &text[open + 3..close];
        if let Some(kind) = marker_kind(label) {
            let (mut before, mut after) = (&text[..open], &text[close + 3..]);
            if before.ends_with('(') && after.starts_with(')') {
                before = &before[..before.len() - 1];
                after = &after[1..];
            }
            let before = before.trim_ascii_end();
            let before = before
                .strip_suffix(['—', '–', '-', ':'])
                .map_or(before, str::trim_ascii_end);
            let after = after.trim_ascii_start();
            let joined = match (before.is_empty(), after.is_empty()) {
                (false, false) => format!("{before} {after}"),
                _ => format!("{before}{after}"),
            };
            let marker = Marker {
                kind,
                label: label.to_owned(),
            };
            return (joined, Some(marker));
        }
        from = close + 3;
    }
    (text.to_owned(), None)
}

fn marker_kind(label: &str) -> Option<MarkerKind> {
    let words = label.trim_matches(['[', ']', ' ']);
    if words.is_empty()
        || words
            .chars()
            .any(|c| c.is_lowercase() || c.is_ascii_digit())
    {
        return None;
    }
    let last = words.rsplit(' ').next()?;
    if START_WORDS.contains(&last) {
        Some(MarkerKind::Start)
    } else if END_WORDS.contains(&last) {
        Some(MarkerKind::End)
    } else {
        None
    }
}

impl Block for Actionable {
    fn parse(src: &str) -> Option<Self> {
        let (_, text) = bullet_item(src)?;
        let (text, status) = take_done(text);
        let (text, due, owner) = take_assignment(&text);
        let (text, task) = take_task(&text);
        Some(Actionable {
            text: Text::from_wikitext(&text, Context::Inline),
            task,
            status,
            owner,
            due,
            source: Some(src.to_owned()),
        })
    }

    fn fresh_wikitext(&self) -> String {
        let mut out = format!("* {}", self.text.to_wikitext(Context::Inline));
        if let Some(task) = &self.task {
            out.push_str(&format!(
                " ({{{{PhabT|{}}}}})",
                task.trim_start_matches('T')
            ));
        }
        let mut assignment = Vec::new();
        if let Some(due) = self.due {
            assignment.push(format!("due {due}"));
        }
        if !self.owner.is_empty() {
            assignment.push(format!("owner: {}", escape(&self.owner, Context::Inline)));
        }
        if !assignment.is_empty() {
            out.push_str(&format!(" <small>({})</small>", assignment.join("; ")));
        }
        if self.status == ActionStatus::Done {
            out.push_str(" {{Done}}");
        }
        out
    }

    fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

fn take_done(text: &str) -> (String, ActionStatus) {
    for done in ["{{Done}}", "{{done}}"] {
        if let Some(pos) = text.find(done) {
            let rest = format!("{}{}", &text[..pos], &text[pos + done.len()..]);
            return (rest.trim_ascii().to_owned(), ActionStatus::Done);
        }
    }
    (text.to_owned(), ActionStatus::Open)
}

/// The ` <small>(due YYYY-MM-DD; owner: NAME)</small>` that irdoc writes after an actionable.
fn take_assignment(text: &str) -> (String, Option<NaiveDate>, String) {
    let none = || (text.to_owned(), None, String::new());
    let Some(inner) = text.strip_suffix(")</small>") else {
        return none();
    };
    let Some(open) = inner.rfind("<small>(") else {
        return none();
    };
    let mut body = &inner[open + "<small>(".len()..];
    let mut due = None;
    if let Some(rest) = body.strip_prefix("due ") {
        let (date, tail) = rest.split_once("; ").unwrap_or((rest, ""));
        due = crate::datetime::parse_date(date);
        body = tail;
        if due.is_none() {
            return none();
        }
    }
    let owner = match body.strip_prefix("owner: ") {
        Some(o) => unescape(o),
        None if body.is_empty() => String::new(),
        None => return none(),
    };
    (inner[..open].trim_ascii_end().to_owned(), due, owner)
}

/// Finds the actionable's Phabricator task reference and takes it out of the text.
fn take_task(text: &str) -> (String, Option<String>) {
    let Some((start, end, id)) = find_task_ref(text) else {
        return (text.to_owned(), None);
    };
    let (mut before, mut after) = (&text[..start], &text[end..]);
    if before.ends_with('(') && after.starts_with(')') {
        before = &before[..before.len() - 1];
        after = &after[1..];
    }
    let rest = match (before.trim_ascii_end(), after.trim_ascii_start()) {
        (b, a) if b.is_empty() || a.is_empty() => format!("{b}{a}"),
        (b, a) => format!("{b} {a}"),
    };
    (rest, Some(id))
}

/// The byte range and id (`T123`) of the first task reference: `{{PhabT|123}}`,
/// `{{phab|T123}}`, `{{Phabricator|123}}`, `[[phab:T123|T123]]` or a Phabricator URL.
pub fn find_task_ref(text: &str) -> Option<(usize, usize, String)> {
    let lower = text.to_ascii_lowercase();
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    for name in ["{{phabt|", "{{phab|", "{{phabricator|"] {
        if let Some(start) = lower.find(name) {
            let arg_start = start + name.len();
            if let Some(len) = text[arg_start..].find("}}") {
                if let Some(id) = task_id(&text[arg_start..arg_start + len]) {
                    found.push((start, arg_start + len + 2, id));
                }
            }
        }
    }
    if let Some(start) = lower.find("[[phab:") {
        if let Some(len) = text[start..].find("]]") {
            let inner = &text[start + 7..start + len];
            if let Some(id) = task_id(inner.split('|').next().unwrap_or_default()) {
                found.push((start, start + len + 2, id));
            }
        }
    }
    const URL: &str = "https://phabricator.wikimedia.org/";
    if let Some(start) = lower.find(URL) {
        let tail = &text[start + URL.len()..];
        let len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric()))
            .unwrap_or(tail.len());
        if let Some(id) = task_id(&tail[..len]) {
            found.push((start, start + URL.len() + len, id));
        }
    }
    found.into_iter().min_by_key(|(start, ..)| *start)
}

fn task_id(s: &str) -> Option<String> {
    let s = s.trim();
    let digits = s.strip_prefix(['T', 't']).unwrap_or(s);
    let id = format!("T{digits}");
    is_task_id(&id).then_some(id)
}

impl Metadata {
    /// Reads a `{{Incident scorecard ...}}` box.
    pub fn parse(src: &str) -> Option<Self> {
        let lines: Vec<&str> = src.split('\n').collect();
        if !is_box(&lines) {
            return None;
        }
        let mut meta = Metadata::default();
        let mut seen = Vec::new();
        for (key, value) in lines.iter().filter_map(|l| param(l)) {
            if let Some(f) = MetaField::from_key(key).filter(|f| !seen.contains(f)) {
                *meta.get_mut(f) = Text::from_wikitext(value.trim_ascii(), Context::TemplateValue);
                seen.push(f);
            }
        }
        meta.source = Some(lines.into_iter().map(str::to_owned).collect());
        Some(meta)
    }

    pub fn write_wikitext(&self, out: &mut String) {
        // A source from outside (a JSON file) that is not a box would lose the fields.
        let Some(lines) = self.source.as_ref().filter(|l| is_box(l)) else {
            out.push_str("{{Incident scorecard\n");
            for f in MetaField::ALL {
                out.push_str(&self.fresh_line(f));
                out.push('\n');
            }
            out.push_str("}}");
            return;
        };
        let mut written = Vec::new();
        let last = lines.len() - 1;
        for (i, line) in lines.iter().enumerate() {
            if i == last {
                for f in MetaField::ALL {
                    if !written.contains(&f) && !self.get(f).is_blank() {
                        out.push_str(&self.fresh_line(f));
                        out.push('\n');
                    }
                }
            }
            match param(line).and_then(|(k, v)| Some((MetaField::from_key(k)?, v))) {
                Some((f, v)) if !written.contains(&f) => {
                    written.push(f);
                    if Text::from_wikitext(v.trim_ascii(), Context::TemplateValue) == *self.get(f) {
                        out.push_str(line);
                    } else {
                        out.push_str(&self.fresh_line(f));
                    }
                }
                _ => out.push_str(line),
            }
            if i < last {
                out.push('\n');
            }
        }
    }

    fn fresh_line(&self, f: MetaField) -> String {
        let value = self.get(f).to_wikitext(Context::TemplateValue);
        format!("| {} = {}", f.key(), value)
    }
}

/// Whether `lines` open and close an `{{Incident scorecard ...}}` box.
fn is_box(lines: &[impl AsRef<str>]) -> bool {
    let opens = lines.first().is_some_and(|first| {
        first
            .as_ref()
            .trim_start_matches('{')
            .trim()
            .eq_ignore_ascii_case("incident scorecard")
    });
    opens && lines.len() >= 2 && lines.last().is_some_and(|l| l.as_ref().trim() == "}}")
}

/// A `| key = value` line of a template.
fn param(line: &str) -> Option<(&str, &str)> {
    line.trim_start().strip_prefix('|')?.split_once('=')
}

impl Block for ScoreRow {
    /// Reads one row of the scorecard table: `|-`, an optional category cell, then the
    /// question, answer and notes cells.
    fn parse(src: &str) -> Option<Self> {
        let mut lines = src.split('\n');
        if lines.next()?.trim_end() != "|-" {
            return None;
        }
        let mut header = None;
        let mut cells: Vec<String> = Vec::new();
        for line in lines {
            if line.starts_with('!') && cells.is_empty() && header.is_none() {
                header = Some(line.to_owned());
            } else if let Some(cell) = line.strip_prefix('|') {
                if cell.starts_with(['-', '}', '+']) {
                    return None;
                }
                cells.push(cell.to_owned());
            } else {
                let cell = cells.last_mut()?;
                cell.push('\n');
                cell.push_str(line);
            }
        }
        let [wording, answer, notes] = <[String; 3]>::try_from(cells).ok()?;
        Some(ScoreRow {
            header,
            wording,
            answer: Answer::from_cell(&answer),
            notes: Text::from_wikitext(notes.trim_ascii(), Context::Cell),
            source: Some(src.to_owned()),
        })
    }

    fn fresh_wikitext(&self) -> String {
        let mut out = String::new();
        out.push_str("|-\n");
        if let Some(h) = &self.header {
            out.push_str(h);
            out.push('\n');
        }
        out.push('|');
        out.push_str(&self.wording);
        out.push_str("\n|");
        out.push_str(self.answer.as_cell());
        out.push_str("\n|");
        out.push_str(&self.notes.to_wikitext(Context::Cell));
        out
    }

    fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

/// The table head as the template writes it.
const TABLE_HEAD: &str = "{| class=\"wikitable\"\n|+[[Incident Scorecard|Incident Engagement  ScoreCard]]\n!\n!Question\n!Answer\n(yes/no)\n!Notes";
const TOTAL_LABEL: &str =
    "! colspan=\"2\" align=\"right\" |Total score (count of all “yes” answers above)";

impl Scorecard {
    /// Reads the scorecard wikitable, from `{|` to `|}`.
    pub fn parse(table: &str) -> Option<Self> {
        let segments = split_rows(table);
        let (head, rest) = segments.split_first()?;
        let (foot, rows) = rest.split_last()?;
        let rows = rows
            .iter()
            .map(|s| ScoreRow::parse(s))
            .collect::<Option<Vec<_>>>()?;
        let stated_total = parse_total(foot)?;
        Some(Scorecard {
            rows,
            stated_total: Some(stated_total),
            head: Some(head.to_string()),
            foot: Some(foot.to_string()),
        })
    }

    pub fn write_wikitext(&self, out: &mut String) {
        out.push_str(self.head.as_deref().unwrap_or(TABLE_HEAD));
        for row in &self.rows {
            out.push('\n');
            out.push_str(&row.to_wikitext());
        }
        out.push('\n');
        let total = self
            .stated_total
            .clone()
            .unwrap_or_else(|| crate::score::score(self).total.to_string());
        match &self.foot {
            Some(foot) if parse_total(foot).as_deref() == Some(total.as_str()) => {
                out.push_str(foot)
            }
            _ => out.push_str(&format!("|-\n{TOTAL_LABEL}\n|{total}\n|\n|}}")),
        }
    }
}

/// Splits a table at its `|-` row separators; every segment but the first starts with one.
fn split_rows(table: &str) -> Vec<&str> {
    let mut segments = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in table.split_inclusive('\n') {
        if line.trim_end() == "|-" && offset > 0 {
            segments.push(&table[start..offset - 1]);
            start = offset;
        }
        offset += line.len();
    }
    segments.push(&table[start..]);
    segments
}

/// The stated total in the table's last row (`! colspan=2 |Total ...`, `|N`, `|`, `|}`).
fn parse_total(foot: &str) -> Option<String> {
    let mut lines = foot.split('\n');
    let separator = lines.next()?;
    let label = lines.next()?;
    if separator.trim_end() != "|-" || !label.starts_with('!') || !label.contains("Total") {
        return None;
    }
    let total = lines.next()?.strip_prefix('|')?;
    lines
        .next_back()?
        .starts_with("|}")
        .then(|| total.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(src: &str) -> TimelineEntry {
        TimelineEntry::parse(src).unwrap_or_else(|| panic!("not an entry: {src}"))
    }

    #[test]
    fn timeline_entries_in_page_styles() {
        let e = entry("*19:59 Incident acknowledged");
        assert_eq!(
            (e.bullet.as_str(), e.when.to_string()),
            ("*", "19:59".into())
        );
        assert_eq!(e.text, Text::from("Incident acknowledged"));
        let e = entry("22:40 tools-db-4 runs out of space");
        assert_eq!(e.bullet, "");
        let e = entry("* 16:16:09 '''[CORRUPTION STARTS]''' gerrit2002 replication pushes");
        assert_eq!(e.when.to_string(), "16:16:09");
        assert_eq!(e.marker.as_ref().unwrap().kind, MarkerKind::Start);
        assert_eq!(e.text.as_str(), "gerrit2002 replication pushes");
        let e = entry("* 20:59 5XX errors begin being served ('''OUTAGE BEGINS''')");
        assert_eq!(e.text, Text::from("5XX errors begin being served"));
        let e = entry("*03:36 storage is wiped — '''OUTAGE ENDS'''");
        assert_eq!(e.marker.unwrap().kind, MarkerKind::End);
        assert_eq!(e.text, Text::from("storage is wiped"));
        let e = entry("* 2024-07-21 20:57 Write queries");
        assert_eq!(e.when.to_string(), "2024-07-21 20:57");
        for not_entry in [
            "* ''All times in UTC.''",
            "**A client",
            "20: 30 x",
            "2024-07-21",
        ] {
            assert!(TimelineEntry::parse(not_entry).is_none(), "{not_entry}");
        }
    }

    #[test]
    fn edited_entries_render_fresh_and_reparse() {
        let mut e = entry("*02:58 sessionstore errors — '''OUTAGE BEGINS'''");
        assert_eq!(
            e.to_wikitext(),
            "*02:58 sessionstore errors — '''OUTAGE BEGINS'''"
        );
        e.text = Text::from("errors [[everywhere]]");
        let fresh = e.to_wikitext().into_owned();
        assert_eq!(
            fresh,
            "*02:58 errors &#91;[everywhere&#93;&#93; — '''OUTAGE BEGINS'''"
        );
        let again = TimelineEntry::parse(&fresh).unwrap();
        assert_eq!((again.text, again.marker), (e.text, e.marker));
    }

    #[test]
    fn actionables_take_task_status_and_assignment() {
        let a = Actionable::parse(
            "* Page when disk utilization trend becomes unreasonable ({{PhabT|390630}}) {{Done}}",
        )
        .unwrap();
        assert_eq!(
            a.text,
            Text::from("Page when disk utilization trend becomes unreasonable")
        );
        assert_eq!(
            (a.task.as_deref(), a.status),
            (Some("T390630"), ActionStatus::Done)
        );
        let a = Actionable::parse("* [[phab:T409287|T409287]] Fail over to replica").unwrap();
        assert_eq!(a.task.as_deref(), Some("T409287"));
        assert_eq!(a.text, Text::from("Fail over to replica"));

        let mine = Actionable {
            text: Text::from("Add a runbook (see notes)"),
            task: Some("T1234".into()),
            status: ActionStatus::Open,
            owner: "Jane <ops>".into(),
            due: NaiveDate::from_ymd_opt(2026, 12, 1),
            source: None,
        };
        let wikitext = mine.fresh_wikitext();
        assert_eq!(
            wikitext,
            "* Add a runbook (see notes) ({{PhabT|1234}}) <small>(due 2026-12-01; owner: Jane &lt;ops>)</small>"
        );
        let back = Actionable::parse(&wikitext).unwrap();
        assert_eq!(
            Actionable {
                source: None,
                ..back
            },
            mine
        );
    }

    #[test]
    fn a_due_date_of_multi_byte_characters_is_text() {
        for src in [
            "* <small>(due €€€€)</small>",
            "* x <small>(due 2026-01-0€; owner: a)</small>",
        ] {
            let a = Actionable::parse(src).unwrap();
            assert_eq!((a.due, a.owner.as_str()), (None, ""));
            assert_eq!(a.to_wikitext(), src);
        }
    }

    #[test]
    fn a_metadata_source_that_is_not_a_box_is_written_fresh() {
        for source in [vec![], vec!["x".to_owned()], vec!["}}".to_owned()]] {
            let meta = Metadata {
                task: Text::from("T1"),
                source: Some(source),
                ..Metadata::default()
            };
            let mut out = String::new();
            meta.write_wikitext(&mut out);
            assert!(
                out.starts_with("{{Incident scorecard\n| task = T1\n"),
                "{out}"
            );
            assert!(out.ends_with("\n}}"), "{out}");
        }
    }

    #[test]
    fn metadata_edit_changes_one_line() {
        let src = "{{Incident scorecard\n| task = T1\n| paged-num = 2\n|start=03:09\n}}";
        let mut meta = Metadata::parse(src).unwrap();
        assert_eq!(meta.start, Text::from("03:09"));
        let mut out = String::new();
        meta.write_wikitext(&mut out);
        assert_eq!(out, src);
        meta.paged_num = Text::from("3");
        meta.impact = Text::from("a|b");
        let mut out = String::new();
        meta.write_wikitext(&mut out);
        assert_eq!(
            out,
            "{{Incident scorecard\n| task = T1\n| paged-num = 3\n|start=03:09\n| impact = a&#124;b\n}}"
        );
    }
}
