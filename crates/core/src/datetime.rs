//! The date and time forms reports use, `YYYY-MM-DD` and `H:MM[:SS]`, read and written by
//! hand: chrono's general-purpose parser and formatter would be a large part of the web
//! app's download, for the two forms irdoc needs.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// Reads `YYYY-MM-DD` and nothing else.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    date(s).and_then(|(day, rest)| rest.is_empty().then_some(day))
}

/// Reads `H:MM` or `H:MM:SS` (hours 0–23) and nothing else.
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    clock(s).and_then(|(time, rest)| rest.is_empty().then_some(time))
}

/// `HH:MM`, or `HH:MM:SS` when there are seconds.
pub fn format_time(t: NaiveTime) -> String {
    use chrono::Timelike;
    match t.second() {
        0 => format!("{:02}:{:02}", t.hour(), t.minute()),
        s => format!("{:02}:{:02}:{s:02}", t.hour(), t.minute()),
    }
}

/// `YYYY-MM-DD` at the start of `s`, not followed by another digit.
pub(crate) fn date(s: &str) -> Option<(NaiveDate, &str)> {
    let (year, s) = digits(s, 4, 4)?;
    let (month, s) = digits(s.strip_prefix('-')?, 2, 2)?;
    let (day, s) = digits(s.strip_prefix('-')?, 2, 2)?;
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((
        NaiveDate::from_ymd_opt(year.try_into().ok()?, month, day)?,
        s,
    ))
}

/// The first `YYYY-MM-DD` anywhere in `text` that is not part of a longer number.
pub(crate) fn date_within(text: &str) -> Option<NaiveDate> {
    text.char_indices()
        .filter(|&(at, _)| !text[..at].ends_with(|c: char| c.is_ascii_digit()))
        .find_map(|(at, _)| date(&text[at..]).map(|(day, _)| day))
}

/// Whether a time-only entry at `at` that follows one at `previous` has passed midnight: the
/// clock went back by more than half a day. A timeline running 22:40, 00:58 has, while
/// 15:48, 15:41 is just an entry out of order.
pub(crate) fn passed_midnight(previous: NaiveDateTime, at: NaiveDateTime) -> bool {
    previous - at > TimeDelta::hours(12)
}

/// `H:MM` or `HH:MM:SS` at the start of `s`, not followed by another digit.
pub(crate) fn clock(s: &str) -> Option<(NaiveTime, &str)> {
    let (hour, s) = digits(s, 1, 2)?;
    let (minute, s) = digits(s.strip_prefix(':')?, 2, 2)?;
    let (second, s) = match s.strip_prefix(':').and_then(|rest| digits(rest, 2, 2)) {
        Some((second, rest)) => (second, rest),
        None => (0, s),
    };
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // Unlike chrono's parser, `from_hms_opt` refuses `:60`: a timeline has no leap seconds.
    Some((NaiveTime::from_hms_opt(hour, minute, second)?, s))
}

/// Between `min` and `max` (at most 4) ASCII digits at the start of `s`.
pub(crate) fn digits(s: &str, min: usize, max: usize) -> Option<(u32, &str)> {
    let len = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    if len < min {
        return None;
    }
    let value = s[..len].parse().ok()?;
    Some((value, &s[len..]))
}

/// Serde for an optional date as `"YYYY-MM-DD"`.
pub(crate) mod optional_date {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(day: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match day {
            // NaiveDate's Display is `YYYY-MM-DD`, written without chrono's formatter.
            Some(day) => s.collect_str(day),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| {
                super::parse_date(&s)
                    .ok_or_else(|| D::Error::custom(format!("“{s}” is not a date (YYYY-MM-DD)")))
            })
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_are_four_two_two_digits() {
        assert_eq!(parse_date("2025-03-31"), Some(day(2025, 3, 31)));
        assert_eq!(parse_date("0005-01-01"), Some(day(5, 1, 1)));
        for bad in [
            "2025-3-31",
            "2025-02-30",
            "25-03-31",
            "2025-03-31 ",
            "+2025-03-31",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn times_have_two_digit_minutes_and_seconds() {
        let t = |h, m, s| NaiveTime::from_hms_opt(h, m, s).unwrap();
        assert_eq!(parse_time("3:07"), Some(t(3, 7, 0)));
        assert_eq!(parse_time("20:59:12"), Some(t(20, 59, 12)));
        for bad in ["20:5", "24:00", "20:59:60", "20:59:1", "2059", "20:59 "] {
            assert_eq!(parse_time(bad), None, "{bad:?}");
        }
        assert_eq!(format_time(t(3, 7, 0)), "03:07");
        assert_eq!(format_time(t(20, 59, 12)), "20:59:12");
    }

    #[test]
    fn a_date_within_text_is_not_part_of_a_longer_number() {
        assert_eq!(date_within("on 2025-03-31:"), Some(day(2025, 3, 31)));
        assert_eq!(date_within("id 12025-03-311"), None);
    }
}
