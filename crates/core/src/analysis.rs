//! Figures derived from the report: outage duration, time to detection, timeline order.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::model::{Line, MarkerKind, Report, When};

/// Reads a metadata time: `YYYY-MM-DD hh:mm[:ss]`, or only `hh:mm`.
pub fn parse_meta_time(s: &str) -> Option<When> {
    s.trim().parse().ok()
}

/// A timeline entry placed in time.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// Index into `report.timeline.lines`.
    pub line: usize,
    pub at: NaiveDateTime,
    /// Whether `at` has a real date (else only the time of day is known).
    pub dated: bool,
}

/// Placeholder date for times of day with no date known; differences stay right.
const NO_DATE: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");

/// Places every timeline entry in time: dates come from the entry, from date lines and
/// per-day subheadings before it, or from the metadata start; a time more than twelve hours
/// earlier than the previous one is taken to be on the next day.
pub fn place_timeline(r: &Report) -> Vec<Placed> {
    let mut date: Option<NaiveDate> =
        parse_meta_time(r.metadata.start.as_str()).and_then(|w| w.date());
    let mut prev: Option<NaiveDateTime> = None;
    let mut placed = Vec::new();
    for (i, line) in r.timeline.lines.iter().enumerate() {
        match line {
            Line::Raw(text) => {
                if let Some(d) = crate::datetime::date_within(text) {
                    date = Some(d);
                    prev = None;
                }
            }
            Line::Item(entry) => {
                let at = match entry.when {
                    When::DateTime(dt) => dt,
                    When::Time(t) => {
                        let mut at = date.unwrap_or(NO_DATE).and_time(t);
                        if prev.is_some_and(|p| crate::datetime::passed_midnight(p, at)) {
                            at += Duration::days(1);
                        }
                        at
                    }
                };
                let dated = matches!(entry.when, When::DateTime(_)) || date.is_some();
                date = Some(at.date()).filter(|_| dated);
                prev = Some(at);
                placed.push(Placed { line: i, at, dated });
            }
        }
    }
    placed
}

/// Timeline entries that come earlier in time than the entry before them.
pub fn out_of_order(placed: &[Placed]) -> Vec<usize> {
    placed
        .windows(2)
        .filter(|w| w[1].at < w[0].at)
        .map(|w| w[1].line)
        .collect()
}

/// Where a figure came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The metadata box's start and end.
    Metadata,
    /// The timeline's outage markers.
    Timeline,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    pub outage: Option<(Duration, Basis)>,
    /// From the outage start to the first alert, page or report in the timeline.
    pub time_to_detect: Option<Duration>,
    /// The timeline line that shows detection.
    pub detection_line: Option<usize>,
}

/// Words of a timeline entry that show the incident being noticed.
const DETECTION_WORDS: &[&str] = &[
    "alert", "fires", "fired", "firing", "page", "paged", "reported", "reports", "notified",
    "noticed", "detected",
];

pub fn figures(r: &Report) -> Figures {
    let placed = place_timeline(r);
    let marker = |kind: MarkerKind| {
        let mut at = placed.iter().filter(|p| {
            r.timeline.lines[p.line]
                .item()
                .and_then(|e| e.marker.as_ref())
                .is_some_and(|m| m.kind == kind)
        });
        match kind {
            MarkerKind::Start => at.next().map(|p| p.at),
            MarkerKind::End => at.next_back().map(|p| p.at),
        }
    };
    let meta = |s: &crate::Text| parse_meta_time(s.as_str());
    let from_metadata = match (meta(&r.metadata.start), meta(&r.metadata.end)) {
        (Some(When::DateTime(s)), Some(When::DateTime(e))) => Some(e - s),
        (Some(When::Time(s)), Some(When::Time(e))) => Some(wrap_day(e - s)),
        _ => None,
    };
    let from_markers = marker(MarkerKind::Start)
        .zip(marker(MarkerKind::End))
        .map(|(s, e)| e - s);
    let outage = from_metadata
        .map(|d| (d, Basis::Metadata))
        .or(from_markers.map(|d| (d, Basis::Timeline)))
        .filter(|(d, _)| *d >= Duration::zero());

    let start = marker(MarkerKind::Start).or_else(|| {
        let start = meta(&r.metadata.start)?;
        placed
            .iter()
            .find(|p| p.at.time() == start.time())
            .map(|p| p.at)
    });
    let detection = start.and_then(|s| {
        placed
            .iter()
            .find(|p| {
                p.at >= s
                    && r.timeline.lines[p.line]
                        .item()
                        .is_some_and(|e| e.marker.is_none() && mentions_detection(e.text.as_str()))
            })
            .map(|p| (p.at - s, p.line))
    });
    Figures {
        outage,
        time_to_detect: detection.map(|(d, _)| d),
        detection_line: detection.map(|(_, l)| l),
    }
}

fn wrap_day(d: Duration) -> Duration {
    if d < Duration::zero() {
        d + Duration::days(1)
    } else {
        d
    }
}

fn mentions_detection(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| DETECTION_WORDS.contains(&w))
}

/// `38 min`, `5 h 37 min`, `5 d 14 h 29 min`.
pub fn format_duration(d: Duration) -> String {
    let minutes = d.num_minutes();
    let (days, hours, mins) = (minutes / 1440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, _) => format!("{hours} h {mins} min"),
        _ => format!("{days} d {hours} h {mins} min"),
    }
}
