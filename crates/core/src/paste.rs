//! Turning a pasted block of lines (a hand-written timeline, an IRC or Server
//! Admin Log excerpt, a chat export) into timeline entries in UTC.
//!
//! Every line is classified on its own ("has a leading time", "is a chat
//! header", "is a date", "is plain text"); a small amount of state carries
//! what plain text lines belong to and which day it is.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike};

use crate::datetime::{clock, date, date_within, digits, parse_date};
pub use crate::model::When;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PastedEntry {
    /// In UTC.
    pub when: When,
    pub text: String,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PasteOptions {
    /// Offset of the pasted local times from UTC, e.g. +120 for CEST, -420 for PDT.
    /// Times that name their zone (`Z`, `UTC`, `+02:00`) are not affected.
    pub utc_offset_minutes: i32,
    /// Local date of the first time-only line. With it every entry gets a
    /// date, so an offset or the clock passing midnight lands on the right
    /// UTC day.
    pub date: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PasteResult {
    pub entries: Vec<PastedEntry>,
    /// Line number (1-based) and line that had no time and nothing to attach to.
    pub skipped: Vec<(usize, String)>,
    /// How many lines without a time were joined to the entry before them.
    pub joined: usize,
}

/// Reads timeline entries from pasted text, converting their times to UTC.
/// Lines without a time continue the previous entry; the rest are reported in
/// [`PasteResult::skipped`].
pub fn parse_paste(text: &str, opts: &PasteOptions) -> PasteResult {
    let mut paste = Paste {
        offset: TimeDelta::minutes(opts.utc_offset_minutes.into()),
        day: opts.date,
        last_local: None,
        following: Following::Nothing,
        result: PasteResult::default(),
    };
    for (index, line) in text.lines().enumerate() {
        paste.read_line(index + 1, line);
    }
    paste.result
}

/// Where lines without a time go.
enum Following {
    /// Nowhere: they are reported as skipped.
    Nothing,
    /// They continue the text of the last entry.
    LastEntry,
    /// They are messages posted at `when`, under a line that held only a time
    /// or a chat header (`Name  10:41 AM`). A header's messages each become an
    /// entry `Name: message`; after a bare time only the first line starts an
    /// entry and the rest continue it.
    Messages { when: When, speaker: Option<String> },
}

struct Paste {
    offset: TimeDelta,
    /// Local date in force, from the options, a date line or a dated entry.
    day: Option<NaiveDate>,
    /// Local date-time of the previous dated entry, to notice the clock passing midnight.
    last_local: Option<NaiveDateTime>,
    following: Following,
    result: PasteResult,
}

impl Paste {
    fn read_line(&mut self, number: usize, raw: &str) {
        match classify(raw) {
            Line::Blank => {}
            Line::Day(day) => {
                self.day = Some(day);
                self.last_local = None;
                self.following = Following::Nothing;
            }
            Line::Heading => {
                // A heading ends the timeline block: what follows is another section.
                self.skip(number, raw);
                self.following = Following::Nothing;
            }
            Line::Stamped { stamp, text } => {
                let when = self.resolve(&stamp);
                if text.is_empty() {
                    self.following = Following::Messages {
                        when,
                        speaker: None,
                    };
                } else {
                    self.push(when, text);
                    self.following = Following::LastEntry;
                }
            }
            Line::ChatHeader { speaker, stamp } => {
                let when = self.resolve(&stamp);
                self.following = Following::Messages {
                    when,
                    speaker: Some(speaker),
                };
            }
            Line::Text(text) => self.attach(number, raw, text),
        }
    }

    fn attach(&mut self, number: usize, raw: &str, text: &str) {
        match &self.following {
            Following::Nothing => self.skip(number, raw),
            Following::LastEntry => match self.result.entries.last_mut() {
                Some(last) => {
                    last.text.push(' ');
                    last.text.push_str(text);
                    self.result.joined += 1;
                }
                None => self.skip(number, raw),
            },
            Following::Messages { when, speaker } => {
                let when = *when;
                match speaker {
                    Some(speaker) => {
                        let text = format!("{speaker}: {text}");
                        self.push(when, text);
                    }
                    None => {
                        self.push(when, text.to_string());
                        self.following = Following::LastEntry;
                    }
                }
            }
        }
    }

    fn push(&mut self, when: When, text: String) {
        self.result.entries.push(PastedEntry { when, text });
    }

    fn skip(&mut self, number: usize, raw: &str) {
        self.result.skipped.push((number, raw.to_string()));
    }

    /// Converts a local stamp to UTC, dating it when the day is known.
    fn resolve(&mut self, stamp: &PastedTime) -> When {
        let offset = stamp.zone.unwrap_or(self.offset);
        let local = match (stamp.date, self.day) {
            (Some(day), _) => day.and_time(stamp.time),
            (None, Some(day)) => self.next_on(day, stamp.time),
            (None, None) => return When::Time(stamp.time.overflowing_sub_signed(offset).0),
        };
        self.day = Some(local.date());
        self.last_local = Some(local);
        // Only dates at the very ends of chrono's calendar can fail to shift.
        When::on(local.checked_sub_signed(offset).unwrap_or(local))
    }

    /// `time` on `day`, or on the next day when the clock passed midnight.
    fn next_on(&self, day: NaiveDate, time: NaiveTime) -> NaiveDateTime {
        let local = day.and_time(time);
        let passed_midnight = self
            .last_local
            .is_some_and(|last| crate::datetime::passed_midnight(last, local));
        match day.succ_opt() {
            Some(next) if passed_midnight => next.and_time(time),
            _ => local,
        }
    }
}

enum Line<'a> {
    Blank,
    /// A date on its own (`2024-07-21`, `=== 2024-12-03 occurrence ===`): the
    /// following times are on that day.
    Day(NaiveDate),
    /// Any other heading.
    Heading,
    /// A line starting with a time; `text` may be empty.
    Stamped {
        stamp: PastedTime,
        text: String,
    },
    /// Slack-style `Name  10:41 AM`: the messages follow on the next lines.
    ChatHeader {
        speaker: String,
        stamp: PastedTime,
    },
    Text(&'a str),
}

fn classify(raw: &str) -> Line<'_> {
    let line = raw.trim();
    if line.is_empty() {
        return Line::Blank;
    }
    if line.len() > 1 && line.starts_with('=') && line.ends_with('=') {
        return date_within(line).map_or(Line::Heading, Line::Day);
    }
    let body = strip_list_marker(line);
    if body.is_empty() {
        return Line::Blank;
    }
    if let Some((stamp, text)) = stamped(body) {
        return Line::Stamped { stamp, text };
    }
    if let Some(day) = lone_date(body) {
        return Line::Day(day);
    }
    if let Some((speaker, stamp)) = chat_header(body) {
        return Line::ChatHeader { speaker, stamp };
    }
    Line::Text(body)
}

/// Drops wikitext/Markdown list markers (`*`, `**`, `#`, `- `, `• `).
fn strip_list_marker(line: &str) -> &str {
    let line = line.trim_start_matches(['*', '#']);
    let line = match line.strip_prefix(['-', '•', '–', '—']) {
        Some(rest) if rest.starts_with(char::is_whitespace) => rest,
        _ => line,
    };
    line.trim_start()
}

/// A line that starts with a time, possibly bold (`'''20:59'''`) or bracketed
/// (`[20:59:12] <nick> text`, `[10:41 AM] Name: text`). Returns the text after it.
fn stamped(line: &str) -> Option<(PastedTime, String)> {
    let (line, bold) = match line.strip_prefix("'''") {
        Some(rest) => (rest, true),
        None => (line, false),
    };
    let (stamp, rest) = match line.strip_prefix('[') {
        Some(inside) => {
            let (stamp, rest) = stamp(inside.trim_start())?;
            (stamp, rest.trim_start().strip_prefix(']')?)
        }
        None => stamp(line)?,
    };
    let (rest, bold) = match rest.strip_prefix("'''") {
        Some(rest) if bold => (rest, false),
        _ => (rest, bold),
    };
    let text = drop_separator(rest.trim_start()).trim();
    // `'''20:59 OUTAGE BEGINS'''`: the bold belongs to the text.
    let text = if bold && !text.is_empty() {
        format!("'''{text}")
    } else {
        text.to_string()
    };
    Some((stamp, text))
}

/// Removes what authors put between a time and the text (`20:59 - text`,
/// `20:59: text`), but keeps a dash that opens a range (`15:42 - 17:05 text`):
/// the end time is part of what the entry says.
fn drop_separator(s: &str) -> &str {
    let Some(after) = s.strip_prefix(['-', '–', '—', ':', '|']) else {
        return s;
    };
    let is_separator = after.is_empty() || after.starts_with(char::is_whitespace);
    if !is_separator || stamp(after.trim_start()).is_some() {
        return s;
    }
    after
}

/// A line that is only a date, maybe bold or followed by a colon.
fn lone_date(line: &str) -> Option<NaiveDate> {
    let line = line.trim_start_matches('\'').trim_end_matches(['\'', ':']);
    parse_date(line.trim())
}

/// Slack-style header: a name, a wide gap, then only a time (`Jane Doe  10:41 AM`).
/// The gap is required so that prose ending in a time is not taken for a name.
fn chat_header(line: &str) -> Option<(String, PastedTime)> {
    let gap = last_wide_gap(line)?;
    let (stamp, rest) = stamp(line[gap..].trim_start())?;
    if !rest.trim().is_empty() {
        return None;
    }
    let speaker = line[..gap].split_whitespace().collect::<Vec<_>>().join(" ");
    let plausible_name = !speaker.is_empty() && speaker.chars().count() <= 60;
    plausible_name.then_some((speaker, stamp))
}

/// Byte index where the last run of two or more whitespace characters (or a tab) starts.
fn last_wide_gap(line: &str) -> Option<usize> {
    let mut gap = None;
    let mut run: Option<(usize, usize, bool)> = None; // start, length, has tab
    for (at, c) in line.char_indices() {
        if c.is_whitespace() {
            let (start, len, tab) = run.unwrap_or((at, 0, false));
            run = Some((start, len + 1, tab || c == '\t'));
        } else {
            if let Some((start, len, tab)) = run.take() {
                if len > 1 || tab {
                    gap = Some(start);
                }
            }
        }
    }
    gap
}

/// A time as written in the paste, before conversion to UTC.
struct PastedTime {
    date: Option<NaiveDate>,
    time: NaiveTime,
    /// The stamp's own offset from UTC, when it names one.
    zone: Option<TimeDelta>,
}

/// `[YYYY-MM-DD[T ]]H:MM[:SS[.fff]][ AM|PM][Z|+HH:MM| UTC[+H]]` at the start of `s`.
fn stamp(s: &str) -> Option<(PastedTime, &str)> {
    let (date, s) = match date(s) {
        Some((day, rest)) => (Some(day), rest.strip_prefix(['T', ' '])?.trim_start()),
        None => (None, s),
    };
    let (time, s) = clock(s).or_else(|| spaced_clock(s))?;
    let s = drop_fraction(s);
    let (time, s) = match meridiem(s).and_then(|(pm, rest)| Some((twelve_hour(time, pm)?, rest))) {
        Some((time, rest)) => (time, rest),
        // "20:59 am" is not a 12-hour time; the "am" stays in the text.
        None => (time, s),
    };
    let (zone, s) = zone(s, date.is_some());
    Some((PastedTime { date, time, zone }, s))
}

/// `20: 30`, a typo found in real timelines; only the two-digit form, so
/// that a list like "3: 30 servers" is not read as a time.
fn spaced_clock(s: &str) -> Option<(NaiveTime, &str)> {
    let (hour, rest) = digits(s, 2, 2)?;
    let (minute, rest) = digits(rest.strip_prefix(": ")?, 2, 2)?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((NaiveTime::from_hms_opt(hour, minute, 0)?, rest))
}

/// Fractions of a second (`20:59:12.345Z`) are dropped: timelines never show them.
fn drop_fraction(s: &str) -> &str {
    match s.strip_prefix(['.', ',']) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => {
            rest.trim_start_matches(|c: char| c.is_ascii_digit())
        }
        _ => s,
    }
}

/// `AM`/`PM` (any case, `a.m.` too), right after the time or after one space.
fn meridiem(s: &str) -> Option<(bool, &str)> {
    let s = s.strip_prefix(' ').unwrap_or(s);
    [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)]
        .into_iter()
        .find_map(|(word, pm)| {
            let rest = strip_prefix_ignore_case(s, word)?;
            ends_word(rest).then_some((pm, rest))
        })
}

fn twelve_hour(time: NaiveTime, pm: bool) -> Option<NaiveTime> {
    let hour = time.hour();
    if !(1..=12).contains(&hour) {
        return None;
    }
    let hour = hour % 12 + if pm { 12 } else { 0 };
    time.with_hour(hour)
}

/// `Z`, ` UTC`, ` GMT`, `UTC+2`, and for full date-times `+02:00` / `-0700`.
/// A bare numeric offset after a time-only stamp would be a range (`10:00-11:00`).
fn zone(s: &str, dated: bool) -> (Option<TimeDelta>, &str) {
    if let Some(rest) = s.strip_prefix('Z').filter(|rest| ends_word(rest)) {
        return (Some(TimeDelta::zero()), rest);
    }
    if dated {
        if let Some((offset, rest)) = numeric_offset(s) {
            return (Some(offset), rest);
        }
    }
    let named = s.trim_start();
    for name in ["UTC", "GMT"] {
        if let Some(rest) = strip_prefix_ignore_case(named, name) {
            if let Some((offset, rest)) = numeric_offset(rest) {
                return (Some(offset), rest);
            }
            if ends_word(rest) {
                return (Some(TimeDelta::zero()), rest);
            }
        }
    }
    (None, s)
}

/// `+2`, `+02`, `+0200`, `-07:00`: hours up to 14, as real offsets are.
fn numeric_offset(s: &str) -> Option<(TimeDelta, &str)> {
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (hours, rest) = digits(rest, 1, 2)?;
    let minutes_start = rest.strip_prefix(':').unwrap_or(rest);
    let (minutes, rest) = digits(minutes_start, 2, 2).unwrap_or((0, rest));
    if hours > 14 || minutes > 59 || !ends_word(rest) {
        return None;
    }
    let total = i64::from(hours * 60 + minutes) * sign;
    Some((TimeDelta::minutes(total), rest))
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn ends_word(rest: &str) -> bool {
    !rest.starts_with(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn time(s: &str) -> When {
        When::Time(NaiveTime::parse_from_str(s, "%H:%M:%S").unwrap())
    }

    fn at(s: &str) -> When {
        When::DateTime(NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap())
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn utc(text: &str) -> PasteResult {
        parse_paste(text, &PasteOptions::default())
    }

    /// Each entry as (formatted time, text).
    fn pairs(result: &PasteResult) -> Vec<(String, &str)> {
        let entries = result.entries.iter();
        entries
            .map(|e| (e.when.to_string(), e.text.as_str()))
            .collect()
    }

    fn single(line: &str) -> (String, String) {
        let result = utc(line);
        assert_eq!(result.entries.len(), 1, "{line:?} gave {result:?}");
        let entry = &result.entries[0];
        (entry.when.to_string(), entry.text.clone())
    }

    fn check(line: &str, when: &str, text: &str) {
        assert_eq!(
            single(line),
            (when.to_string(), text.to_string()),
            "{line:?}"
        );
    }

    #[test]
    fn plain_times() {
        check(
            "20:59 5XX errors begin being served",
            "20:59",
            "5XX errors begin being served",
        );
        check(
            "3:09 nginx logs a fatal error",
            "03:09",
            "nginx logs a fatal error",
        );
        check(
            "15:41:54 gerrit1003 scheduled replication",
            "15:41:54",
            "gerrit1003 scheduled replication",
        );
        check(
            "15:41:00 gerrit1003 scheduled replication",
            "15:41",
            "gerrit1003 scheduled replication",
        );
        check(
            "08:00  Incident opened.  '''Filippo''' becomes IC.",
            "08:00",
            "Incident opened.  '''Filippo''' becomes IC.",
        );
    }

    #[test]
    fn separators_after_the_time() {
        check("20:59 - 5XX errors begin", "20:59", "5XX errors begin");
        check("20:59 – 5XX errors begin", "20:59", "5XX errors begin");
        check("20:59: 5XX errors begin", "20:59", "5XX errors begin");
        check("20:59 | 5XX errors begin", "20:59", "5XX errors begin");
        check("20:59 UTC - 5XX errors begin", "20:59", "5XX errors begin");
    }

    #[test]
    fn bullets_and_bold() {
        check(
            "* 20:59 Write queries begin to exceed 400 wr/s ",
            "20:59",
            "Write queries begin to exceed 400 wr/s",
        );
        check(
            "*19:59 '''SATURATION BEGINS'''",
            "19:59",
            "'''SATURATION BEGINS'''",
        );
        check("- 20:59 metrics gap", "20:59", "metrics gap");
        check("** 20:59 nested event", "20:59", "nested event");
        check(
            "* '''20:59''' 5XX errors begin being served",
            "20:59",
            "5XX errors begin being served",
        );
        check("'''20:59 OUTAGE BEGINS'''", "20:59", "'''OUTAGE BEGINS'''");
        check(
            "* 03:12 '''FIRING: ProjectProxyMainProxyDown''': Proxy on proxy-04 is down",
            "03:12",
            "'''FIRING: ProjectProxyMainProxyDown''': Proxy on proxy-04 is down",
        );
    }

    #[test]
    fn irc_lines_keep_the_nick() {
        check(
            "[20:59:12] <legoktm> s4 master is overloaded",
            "20:59:12",
            "<legoktm> s4 master is overloaded",
        );
        check(
            "[20:59] <Amir1> we just had another one",
            "20:59",
            "<Amir1> we just had another one",
        );
        check(
            "21:04 <Amir1> we just had another one",
            "21:04",
            "<Amir1> we just had another one",
        );
        check("[ 21:04 ] <Amir1> again", "21:04", "<Amir1> again");
    }

    #[test]
    fn server_admin_log_lines() {
        check(
            "20:59 logmsgbot: legoktm@tin Synchronized wmf-config/db-eqiad.php: Depool db1160 (duration: 00m 58s)",
            "20:59",
            "logmsgbot: legoktm@tin Synchronized wmf-config/db-eqiad.php: Depool db1160 (duration: 00m 58s)",
        );
        check(
            "2024-07-21 20:59 <marostegui> depool db1160",
            "2024-07-21 20:59",
            "<marostegui> depool db1160",
        );
        check(
            "2024-07-21 22:44 Gerrit change deployed",
            "2024-07-21 22:44",
            "Gerrit change deployed",
        );
        check(
            "2024-07-21T20:59:12Z jinxer-wm FIRING: PHPFPMTooBusy",
            "2024-07-21 20:59:12",
            "jinxer-wm FIRING: PHPFPMTooBusy",
        );
        check(
            "2024-07-21T20:59:12.345Z alert fired",
            "2024-07-21 20:59:12",
            "alert fired",
        );
        check(
            "2024-07-21 20:59:12 UTC alert fired",
            "2024-07-21 20:59:12",
            "alert fired",
        );
        check(
            "[2024-07-21 20:59:12] <legoktm> on it",
            "2024-07-21 20:59:12",
            "<legoktm> on it",
        );
    }

    #[test]
    fn explicit_zones_ignore_the_paste_offset() {
        let cest = PasteOptions {
            utc_offset_minutes: 120,
            date: None,
        };
        let text = "2024-07-21T20:59:12Z alert\n\
                    2024-07-21 20:59 UTC sync\n\
                    2024-07-21T22:59:00+02:00 from a CEST log\n\
                    2024-07-21 22:59 local entry\n\
                    22:59 UTC-2 from PDT-ish\n\
                    22:59 local time only";
        let result = parse_paste(text, &cest);
        assert_eq!(
            pairs(&result),
            [
                ("2024-07-21 20:59:12".into(), "alert"),
                ("2024-07-21 20:59".into(), "sync"),
                ("2024-07-21 20:59".into(), "from a CEST log"),
                ("2024-07-21 20:59".into(), "local entry"),
                ("2024-07-22 00:59".into(), "from PDT-ish"),
                ("2024-07-21 20:59".into(), "local time only"),
            ]
        );
    }

    #[test]
    fn twelve_hour_clock() {
        check(
            "10:41 PM site is down for logged-in users",
            "22:41",
            "site is down for logged-in users",
        );
        check("10:41am restarted", "10:41", "restarted");
        check("12:05 AM paged", "00:05", "paged");
        check("12:05 p.m. lunch rollback", "12:05", "lunch rollback");
        check(
            "[10:41 AM] Jane Doe: is anyone looking at this?",
            "10:41",
            "Jane Doe: is anyone looking at this?",
        );
        // Not a 12-hour time, and not a meridiem.
        check(
            "20:59 am I the only one paged?",
            "20:59",
            "am I the only one paged?",
        );
        check("09:15 PM2 restarted", "09:15", "PM2 restarted");
    }

    #[test]
    fn slack_headers_stamp_the_messages_below() {
        let text = "Jane Doe  10:41 AM\n\
                    edits are failing\n\
                    anyone else seeing this?\n\
                    \n\
                    John Smith  10:43 AM\n\
                    yes, sessionstore is returning 500s\n\
                    PagerDuty  APP  10:44 AM\n\
                    Triggered: SessionStoreErrorRateHigh";
        let result = utc(text);
        assert_eq!(
            pairs(&result),
            [
                ("10:41".into(), "Jane Doe: edits are failing"),
                ("10:41".into(), "Jane Doe: anyone else seeing this?"),
                (
                    "10:43".into(),
                    "John Smith: yes, sessionstore is returning 500s"
                ),
                (
                    "10:44".into(),
                    "PagerDuty APP: Triggered: SessionStoreErrorRateHigh"
                ),
            ]
        );
        assert!(result.skipped.is_empty());
    }

    #[test]
    fn prose_ending_in_a_time_is_not_a_chat_header() {
        let result = utc("20:50 Write queries rising\nthe deploy is planned for 21:00");
        assert_eq!(
            pairs(&result),
            [(
                "20:50".into(),
                "Write queries rising the deploy is planned for 21:00"
            )]
        );
    }

    #[test]
    fn a_bare_time_line_stamps_the_next_line() {
        let result = utc("[10:41 AM]\nsite is down\nfor everyone");
        assert_eq!(
            pairs(&result),
            [("10:41".into(), "site is down for everyone")]
        );
    }

    #[test]
    fn untimed_lines_continue_the_previous_entry_or_are_skipped() {
        let text = "''All times in UTC.''\n\
                    \n\
                    * 03:29 checking VM status in horizon, VM is up.\n\
                    I can ssh but the nginx service is down\n\
                    \n\
                    ** and fails to restart.\n\
                    * 03:40 Incident opened.";
        let result = utc(text);
        assert_eq!(
            pairs(&result),
            [
                (
                    "03:29".into(),
                    "checking VM status in horizon, VM is up. I can ssh but the nginx service is down and fails to restart."
                ),
                ("03:40".into(), "Incident opened."),
            ]
        );
        assert_eq!(result.skipped, [(1, "''All times in UTC.''".to_string())]);
    }

    #[test]
    fn headings_are_skipped_and_end_the_timeline_block() {
        let text = "==Timeline==\n* 21:09 OUTAGE ENDS\n==Detection==\nAutomated alerting fired";
        let result = utc(text);
        assert_eq!(pairs(&result), [("21:09".into(), "OUTAGE ENDS")]);
        let skipped: Vec<usize> = result.skipped.iter().map(|(number, _)| *number).collect();
        assert_eq!(skipped, [1, 3, 4]);
    }

    #[test]
    fn date_lines_and_headings_date_the_following_times() {
        let text = "=== 2024-12-03 occurrence ===\n\
                    *22:08 '''SATURATION BEGINS'''\n\
                    === 2024-12-07 occurrence ===\n\
                    *13:59 '''SATURATION BEGINS'''\n\
                    '''2024-12-09'''\n\
                    *01:38 '''SATURATION BEGINS'''";
        let result = utc(text);
        assert_eq!(
            pairs(&result),
            [
                ("2024-12-03 22:08".into(), "'''SATURATION BEGINS'''"),
                ("2024-12-07 13:59".into(), "'''SATURATION BEGINS'''"),
                ("2024-12-09 01:38".into(), "'''SATURATION BEGINS'''"),
            ]
        );
        assert!(result.skipped.is_empty());
    }

    #[test]
    fn a_dated_entry_dates_the_following_times() {
        let result = utc("2024-07-21 20:57 Write queries rise\n20:59 OUTAGE BEGINS");
        assert_eq!(result.entries[1].when, at("2024-07-21 20:59:00"));
    }

    #[test]
    fn a_date_a_page_cannot_write_keeps_only_its_time() {
        // A day past year 9999 (a date input allows them), or shifted past it to UTC.
        for (date, offset, line, time) in [
            (
                NaiveDate::from_ymd_opt(29555, 10, 22),
                0,
                "20:17 out of space",
                "20:17",
            ),
            (None, -60, "9999-12-31 23:30 late", "00:30"),
        ] {
            let opts = PasteOptions {
                utc_offset_minutes: offset,
                date,
            };
            let entries = parse_paste(line, &opts).entries;
            assert_eq!(entries.len(), 1, "{line}");
            assert_eq!(entries[0].when, When::Time(time.parse().unwrap()), "{line}");
        }
    }

    #[test]
    fn offset_without_a_date_wraps_the_time() {
        let cest = PasteOptions {
            utc_offset_minutes: 120,
            date: None,
        };
        let result = parse_paste("01:30 replica lag alert\n22:15:30 lag recovers", &cest);
        assert_eq!(result.entries[0].when, time("23:30:00"));
        assert_eq!(result.entries[1].when, time("20:15:30"));
    }

    #[test]
    fn offset_with_a_date_lands_on_the_right_utc_day() {
        let cest = PasteOptions {
            utc_offset_minutes: 120,
            date: Some(day("2024-07-22")),
        };
        let result = parse_paste("01:30 replica lag alert", &cest);
        assert_eq!(result.entries[0].when, at("2024-07-21 23:30:00"));

        let pdt = PasteOptions {
            utc_offset_minutes: -420,
            date: Some(day("2024-07-21")),
        };
        let result = parse_paste("20:00 deploy starts\n8:15 PM deploy ends", &pdt);
        assert_eq!(result.entries[0].when, at("2024-07-22 03:00:00"));
        assert_eq!(result.entries[1].when, at("2024-07-22 03:15:00"));
    }

    #[test]
    fn clock_passing_midnight_moves_to_the_next_day() {
        let opts = PasteOptions {
            utc_offset_minutes: 0,
            date: Some(day("2025-11-04")),
        };
        let text = "22:40 tools-db-4 runs out of space\n\
                    \n\
                    00:58 one of the tasks about this issue is opened\n\
                    \n\
                    07:19 Filippo starts investigating\n\
                    07:10 an earlier event, listed late";
        let whens: Vec<When> = parse_paste(text, &opts)
            .entries
            .into_iter()
            .map(|e| e.when)
            .collect();
        assert_eq!(
            whens,
            [
                at("2025-11-04 22:40:00"),
                at("2025-11-05 00:58:00"),
                at("2025-11-05 07:19:00"),
                at("2025-11-05 07:10:00"),
            ]
        );
    }

    #[test]
    fn ranges_keep_their_end_time() {
        check(
            "* 15:42 - 17:05 Replication enabled",
            "15:42",
            "- 17:05 Replication enabled",
        );
        check(
            "10:00-11:00 maintenance window",
            "10:00",
            "-11:00 maintenance window",
        );
    }

    #[test]
    fn spaced_typo_in_a_real_timeline() {
        check(
            "* 20: 30 '''[DOWNTIME ENDS]''' Brought up Gerrit primary",
            "20:30",
            "'''[DOWNTIME ENDS]''' Brought up Gerrit primary",
        );
        // But not a numbered list.
        assert!(utc("3: 30 servers affected").entries.is_empty());
    }

    #[test]
    fn things_that_are_not_times() {
        for line in [
            "1:1 with Filippo",
            "3:2 ratio of reads to writes",
            "123:45 is not a time",
            "24:00 is not a time",
            "20:60 is not a time",
            "2024-13-01 10:00 no such month",
            "Gerrit on gerrit2002 was stopped several times between 15:18:37 and 17:05:00",
        ] {
            let result = utc(line);
            assert!(result.entries.is_empty(), "{line:?} gave {result:?}");
            assert_eq!(result.skipped, [(1, line.to_string())]);
        }
    }

    #[test]
    fn gerrit_timeline_excerpt() {
        let text = "''All times in UTC.''\n\
                    \n\
                    * Gerrit on gerrit2002 was stopped/started several times between 15:18:37 and 17:05:00\n\
                    * 15:42 - 17:05 Replication enabled\n\
                    \n\
                    * 16:08:26 gerrit1003: Jenkins submit 1138508/7.\n\
                    * gerrit2002: Full replications triggered multiple as Gerrit is restarted\n\
                    * 16:16:09 '''[CORRUPTION STARTS]''' gerrit2002 replication pushes refs/changes/08/1138508/8\n\
                    * 20: 30 '''[DOWNTIME ENDS]''' Brought up Gerrit primary";
        let opts = PasteOptions {
            utc_offset_minutes: 0,
            date: Some(day("2025-04-30")),
        };
        let result = parse_paste(text, &opts);
        assert_eq!(
            pairs(&result),
            [
                ("2025-04-30 15:42".into(), "- 17:05 Replication enabled"),
                (
                    "2025-04-30 16:08:26".into(),
                    "gerrit1003: Jenkins submit 1138508/7. gerrit2002: Full replications triggered multiple as Gerrit is restarted"
                ),
                (
                    "2025-04-30 16:16:09".into(),
                    "'''[CORRUPTION STARTS]''' gerrit2002 replication pushes refs/changes/08/1138508/8"
                ),
                ("2025-04-30 20:30".into(), "'''[DOWNTIME ENDS]''' Brought up Gerrit primary"),
            ]
        );
        let skipped: Vec<usize> = result.skipped.iter().map(|(number, _)| *number).collect();
        assert_eq!(skipped, [1, 3]);
    }

    #[test]
    fn windows_line_endings_and_empty_input() {
        let result = utc("20:57 first\r\n20:59 second\r\n");
        assert_eq!(
            pairs(&result),
            [("20:57".into(), "first"), ("20:59".into(), "second")]
        );
        assert_eq!(utc(""), PasteResult::default());
        assert_eq!(utc("\n  \n\t\n"), PasteResult::default());
    }

    #[test]
    fn extreme_options_do_not_panic() {
        let opts = PasteOptions {
            utc_offset_minutes: i32::MAX,
            date: Some(NaiveDate::MAX),
        };
        let result = parse_paste("23:59 a\n00:01 b\n2024-07-21 20:59 c", &opts);
        assert_eq!(result.entries.len(), 3);
        let opts = PasteOptions {
            utc_offset_minutes: i32::MIN,
            date: Some(NaiveDate::MIN),
        };
        assert_eq!(parse_paste("00:00 a\n12:00 b", &opts).entries.len(), 2);
    }

    #[test]
    fn format_when_shows_seconds_only_when_set() {
        assert_eq!(time("20:59:00").to_string(), "20:59");
        assert_eq!(time("20:59:12").to_string(), "20:59:12");
        assert_eq!(time("03:07:00").to_string(), "03:07");
        assert_eq!(at("2024-07-21 20:59:00").to_string(), "2024-07-21 20:59");
        assert_eq!(at("2024-07-21 20:59:12").to_string(), "2024-07-21 20:59:12");
    }

    #[test]
    fn parse_when_accepts_the_documented_forms() {
        assert_eq!("20:59".parse::<When>().ok(), Some(time("20:59:00")));
        assert_eq!("3:07".parse::<When>().ok(), Some(time("03:07:00")));
        assert_eq!("20:59:12".parse::<When>().ok(), Some(time("20:59:12")));
        assert_eq!(
            " 2025-03-31 02:58 ".parse::<When>().ok(),
            Some(at("2025-03-31 02:58:00"))
        );
        assert_eq!(
            "2025-03-31 02:58:09".parse::<When>().ok(),
            Some(at("2025-03-31 02:58:09"))
        );
        assert_eq!(
            "2025-03-31T02:58".parse::<When>().ok(),
            Some(at("2025-03-31 02:58:00"))
        );
        assert_eq!(
            "2025-03-31T02:58:09Z".parse::<When>().ok(),
            Some(at("2025-03-31 02:58:09"))
        );
        for bad in [
            "",
            "20",
            "20:5",
            "24:00",
            "20:59 text",
            "2025-03-31",
            "2025-02-30 10:00",
            "10:41 AM",
            "20:59:60",
        ] {
            assert_eq!(bad.parse::<When>().ok(), None, "{bad:?}");
        }
    }

    #[test]
    fn when_serializes_with_serde() {
        let when = at("2024-07-21 20:59:00");
        let json = serde_json::to_string(&when).unwrap();
        assert_eq!(serde_json::from_str::<When>(&json).unwrap(), when);
    }

    fn any_when() -> impl Strategy<Value = When> {
        let time = (0u32..24, 0u32..60, 0u32..60)
            .prop_map(|(h, m, s)| NaiveTime::from_hms_opt(h, m, s).unwrap());
        let day = (0i32..=9999, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
        prop_oneof![
            time.clone().prop_map(When::Time),
            (day, time).prop_map(|(day, time)| When::DateTime(day.and_time(time))),
        ]
    }

    proptest! {
        #[test]
        fn parse_when_inverts_format_when(when in any_when()) {
            prop_assert_eq!(when.to_string().parse::<When>().ok(), Some(when));
        }

        #[test]
        fn parse_paste_never_panics(
            text in "(\\PC|[ \\t\\n:*'\\[\\]<>0-9APMZU+-]){0,200}",
            offset in any::<i32>(),
            date in proptest::option::of(any::<i32>().prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap_or(NaiveDate::MIN))),
        ) {
            let result = parse_paste(&text, &PasteOptions { utc_offset_minutes: offset, date });
            let lines = text.lines().count();
            prop_assert!(result.skipped.iter().all(|(number, _)| (1..=lines).contains(number)));
        }

        #[test]
        fn every_timed_line_becomes_an_entry(
            times in proptest::collection::vec((0u32..24, 0u32..60), 1..30),
        ) {
            let text: String = times.iter().map(|(h, m)| format!("* {h:02}:{m:02} event\n")).collect();
            let result = utc(&text);
            let expected: Vec<When> = times
                .iter()
                .map(|&(h, m)| When::Time(NaiveTime::from_hms_opt(h, m, 0).unwrap()))
                .collect();
            let got: Vec<When> = result.entries.into_iter().map(|e| e.when).collect();
            prop_assert_eq!(got, expected);
        }
    }
}
