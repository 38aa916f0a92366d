//! Figures derived from the report: outage duration, time to detection, timeline order.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::model::{Line, MarkerKind, Report, When};

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
    let mut date: Option<NaiveDate> = When::read(r.metadata.start.as_str()).and_then(|w| w.date());
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

/// Puts the timeline's entries in time order, in the places entries already hold; other
/// lines (date lines, subheadings, notes) stay where they are. Entries at the same time keep
/// their order. Returns where each line came from: line `i` was line `order[i]`.
pub fn sort_timeline(r: &mut Report) -> Vec<usize> {
    let placed = place_timeline(r);
    let mut by_time: Vec<&Placed> = placed.iter().collect();
    by_time.sort_by_key(|p| p.at);
    let mut order: Vec<usize> = (0..r.timeline.lines.len()).collect();
    for (slot, entry) in placed.iter().zip(&by_time) {
        order[slot.line] = entry.line;
    }
    let mut old: Vec<Option<Line<_>>> = std::mem::take(&mut r.timeline.lines)
        .into_iter()
        .map(Some)
        .collect();
    r.timeline.lines = order
        .iter()
        .map(|&from| {
            old[from]
                .take()
                .expect("a permutation takes each line once")
        })
        .collect();
    order
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
    figures_placed(r, &place_timeline(r))
}

/// [`figures`] of a report whose timeline is `placed` already.
pub(crate) fn figures_placed(r: &Report, placed: &[Placed]) -> Figures {
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
    let meta = |s: &crate::Text| When::read(s.as_str());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A report from a page of a metadata box with `start` and `end`, and a timeline.
    fn report(start: &str, end: &str, timeline: &str) -> Report {
        let page = format!(
            "== Summary ==\n{{{{Incident scorecard\n| start = {start}\n| end = {end}\n}}}}\n\n==Timeline==\n{timeline}\n"
        );
        crate::import(&page).report
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn entries_are_placed_on_the_right_day() {
        let cases: &[(&str, &str, &[&str])] = &[
            // The metadata start gives the first day.
            (
                "2025-03-31 02:58",
                "*02:58 a\n*03:04 b",
                &["2025-03-31 02:58", "2025-03-31 03:04"],
            ),
            // Over twelve hours back: the next day.
            (
                "2025-03-31 22:00",
                "*22:00 a\n*01:30 b",
                &["2025-03-31 22:00", "2025-04-01 01:30"],
            ),
            // Less than twelve hours back: the same day, out of order.
            (
                "2025-03-31 09:00",
                "*09:00 a\n*08:00 b",
                &["2025-03-31 09:00", "2025-03-31 08:00"],
            ),
            // A date line starts a new day.
            (
                "2025-03-31 22:00",
                "*22:00 a\n'''2025-04-03'''\n*01:30 b",
                &["2025-03-31 22:00", "2025-04-03 01:30"],
            ),
            // A dated entry sets the day for those after it.
            (
                "",
                "*2025-05-01 10:00 a\n*11:00 b",
                &["2025-05-01 10:00", "2025-05-01 11:00"],
            ),
        ];
        for (start, timeline, want) in cases {
            let r = report(start, "", timeline);
            let got: Vec<_> = place_timeline(&r).into_iter().map(|p| p.at).collect();
            let want: Vec<_> = want.iter().map(|w| at(w)).collect();
            assert_eq!(got, want, "{timeline:?}");
        }
    }

    #[test]
    fn times_without_a_date_are_placed_but_not_dated() {
        let placed = place_timeline(&report("", "", "*10:00 a\n*11:00 b"));
        assert!(placed.iter().all(|p| !p.dated));
        assert_eq!(placed[1].at - placed[0].at, Duration::hours(1));
    }

    #[test]
    fn entries_out_of_order_are_found_and_sorted() {
        let mut r = report(
            "2025-03-31 09:00",
            "",
            "*09:00 a\n*08:00 b\n''note''\n*10:00 c\n*09:30 d",
        );
        assert_eq!(out_of_order(&place_timeline(&r)), [1, 4]);
        // The trailing blank line of the section stays last too.
        assert_eq!(sort_timeline(&mut r), [1, 0, 2, 4, 3, 5]);
        let texts: Vec<_> = r
            .timeline
            .items()
            .map(|e| e.text.as_str().to_owned())
            .collect();
        assert_eq!(texts, ["b", "a", "d", "c"]);
        assert!(
            r.timeline.lines[2].item().is_none(),
            "the note stays in its place"
        );
        assert!(out_of_order(&place_timeline(&r)).is_empty());
    }

    #[test]
    fn the_outage_comes_from_the_metadata_else_the_markers() {
        let markers = "*02:58 down — '''OUTAGE BEGINS'''\n*03:36 up — '''OUTAGE ENDS'''";
        let cases = [
            (
                "2025-03-31 02:58",
                "2025-03-31 03:36",
                "",
                Some((38, Basis::Metadata)),
            ),
            // Times of day only: an end before the start is on the next day.
            ("23:50", "00:20", "", Some((30, Basis::Metadata))),
            ("", "", markers, Some((38, Basis::Timeline))),
            // The metadata wins over the markers.
            (
                "2025-03-31 02:00",
                "2025-03-31 03:00",
                markers,
                Some((60, Basis::Metadata)),
            ),
            // An end before the start is no outage length.
            ("2025-03-31 03:00", "2025-03-31 02:00", "", None),
            ("", "", "*02:58 down — '''OUTAGE BEGINS'''", None),
        ];
        for (start, end, timeline, want) in cases {
            let f = figures(&report(start, end, timeline));
            let got = f.outage.map(|(d, basis)| (d.num_minutes(), basis));
            assert_eq!(got, want, "{start:?} {end:?} {timeline:?}");
        }
    }

    #[test]
    fn detection_is_the_first_entry_after_the_start_that_mentions_it() {
        let cases = [
            (
                "*02:58 x — '''OUTAGE BEGINS'''\n*03:03 Edit failures alert fires",
                Some((5, 1)),
            ),
            (
                "*02:58 x — '''OUTAGE BEGINS'''\n*03:01 nothing yet\n*03:09 swfrench paged",
                Some((11, 2)),
            ),
            // Words inside other words do not count ("pagemap", "alerting" is not listed).
            (
                "*02:58 x — '''OUTAGE BEGINS'''\n*03:01 pagemap alerting",
                None,
            ),
            // Before the start does not count.
            ("*02:00 alert fires\n*02:58 x — '''OUTAGE BEGINS'''", None),
        ];
        for (timeline, want) in cases {
            let f = figures(&report("", "", timeline));
            let got = f
                .time_to_detect
                .map(|d| d.num_minutes())
                .zip(f.detection_line);
            assert_eq!(got, want, "{timeline:?}");
        }
        // Without markers the metadata start is the start.
        let f = figures(&report(
            "2025-03-31 02:58",
            "",
            "*02:58 x\n*03:04 SessionStoreErrorRateHigh fires (page)",
        ));
        assert_eq!(f.time_to_detect, Some(Duration::minutes(6)));
    }

    #[test]
    fn durations_read_as_people_write_them() {
        for (minutes, want) in [
            (38, "38 min"),
            (337, "5 h 37 min"),
            (8069, "5 d 14 h 29 min"),
            (0, "0 min"),
        ] {
            assert_eq!(format_duration(Duration::minutes(minutes)), want);
        }
    }
}
