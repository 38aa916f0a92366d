//! Properties over arbitrary input: typed text survives export and import unchanged and
//! never becomes markup, and survives a JSON file; any page imports without panicking and
//! exports to the same bytes.

use irdoc_core::model::{Actionable, Bullet, Line, MetaField, TimelineEntry};
use irdoc_core::text::{escape, normalize_line_breaks, Context};
use irdoc_core::{export, import, Report, Text};
use proptest::prelude::*;

/// Text built from the pieces of wikitext and HTML that matter, and anything else.
fn hostile_text() -> impl Strategy<Value = String> {
    let fragment = prop_oneof![
        Just("{{".to_owned()),
        Just("}}".to_owned()),
        Just("[[".to_owned()),
        Just("]]".to_owned()),
        Just("''".to_owned()),
        Just("'''".to_owned()),
        Just("~~~~".to_owned()),
        Just("__TOC__".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("<nowiki>".to_owned()),
        Just("</pre>".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#124;".to_owned()),
        Just("|".to_owned()),
        Just("||".to_owned()),
        Just("!".to_owned()),
        Just("-".to_owned()),
        Just("+".to_owned()),
        Just("*".to_owned()),
        Just("#".to_owned()),
        Just("=".to_owned()),
        Just("==".to_owned()),
        Just(":".to_owned()),
        Just(";".to_owned()),
        Just("\n".to_owned()),
        Just(" ".to_owned()),
        Just("\t".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("https://example.org/x".to_owned()),
        Just("[http://x y]".to_owned()),
        Just("mailto:a@b".to_owned()),
        Just("RFC 1234".to_owned()),
        Just("ISBN 978".to_owned()),
        Just("{|".to_owned()),
        Just("|}".to_owned()),
        Just("'''OUTAGE BEGINS'''".to_owned()),
        Just("{{Done}}".to_owned()),
        Just("({{PhabT|1}})".to_owned()),
        Just("<small>(owner: x)</small>".to_owned()),
        Just(" — ".to_owned()),
        Just("<br>".to_owned()),
        Just("20:59".to_owned()),
        Just("T123".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("----".to_owned()),
        Just("€🙂".to_owned()),
        "[a-zA-Z0-9 .,()]{0,8}",
        any::<String>(),
    ];
    prop::collection::vec(fragment, 0..8).prop_map(|parts| parts.concat())
}

/// Markup that would be live if it appeared in the wikitext of a plain field.
fn live_markup(wikitext: &str, ctx: Context) -> Option<&'static str> {
    // `<br>` is how irdoc writes a typed line break; any other tag would be live.
    let lower = wikitext.to_ascii_lowercase().replace("<br>", "");
    let patterns: &[(&str, &str)] = &[
        ("{{", "template"),
        ("}}", "template end"),
        ("[[", "link"),
        ("]]", "link end"),
        ("''", "bold/italic"),
        ("~~~", "signature"),
        ("__", "behaviour switch"),
        ("\n", "line break"),
    ];
    if let Some((_, what)) = patterns.iter().find(|(p, _)| lower.contains(p)) {
        return Some(what);
    }
    for scheme in ["https://", "http://", "mailto:a"] {
        if lower
            .match_indices(scheme)
            .any(|(p, _)| at_word_start(&lower, p))
        {
            return Some("free URL");
        }
    }
    if lower
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'<' && (w[1].is_ascii_alphabetic() || w[1] == b'/' || w[1] == b'!'))
    {
        return Some("HTML tag");
    }
    if ctx != Context::Inline && wikitext.contains('|') {
        return Some("cell or parameter separator");
    }
    if ctx == Context::Cell && wikitext.starts_with(['-', '+', '}', '!']) {
        return Some("table syntax");
    }
    // A template or a table may place the value at the start of a line.
    let line_start = ['*', '#', ':', ';', '=', '!', ' ', '\t'];
    if ctx != Context::Inline
        && (wikitext.starts_with(line_start)
            || wikitext.starts_with("----")
            || wikitext.starts_with("{|"))
    {
        return Some("line-start markup");
    }
    if lower.contains('\r') || lower.contains("&#13;") {
        return Some("carriage return, which the wiki shows as text");
    }
    for word in ["rfc ", "isbn ", "pmid "] {
        let magic = lower.match_indices(word).any(|(p, _)| {
            at_word_start(&lower, p)
                && lower[p + word.len()..].starts_with(|c: char| c.is_ascii_digit())
        });
        if magic {
            return Some("magic link");
        }
    }
    None
}

/// Whether byte `p` starts a word, as PCRE's `\b` sees it.
fn at_word_start(s: &str, p: usize) -> bool {
    p == 0 || !(s.as_bytes()[p - 1].is_ascii_alphanumeric() || s.as_bytes()[p - 1] == b'_')
}

/// A report holding `s` in every plain-text field.
fn report_with(s: &str) -> Report {
    let mut r = Report::default();
    for f in MetaField::ALL {
        *r.metadata.get_mut(f) = Text::from(s);
    }
    let mut entry = TimelineEntry::new("10:00".parse().unwrap(), Text::from(s));
    entry.marker = Some(irdoc_core::model::Marker::outage(
        irdoc_core::model::MarkerKind::Start,
    ));
    r.timeline.push(entry);
    r.timeline
        .push(TimelineEntry::new("10:05".parse().unwrap(), Text::from(s)));
    r.went_well.push(Bullet::new(Text::from(s)));
    r.actionables.push(Actionable {
        text: Text::from(s),
        task: Some("T1".into()),
        owner: s.to_owned(),
        due: chrono::NaiveDate::from_ymd_opt(2026, 1, 2),
        status: irdoc_core::model::ActionStatus::Done,
        source: None,
    });
    r.scorecard.rows[3].notes = Text::from(s);
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn typed_text_survives_export_and_import(typed in hostile_text()) {
        let original = report_with(&typed);
        // A typed line break comes back as LF, whichever convention it was typed with.
        let s = normalize_line_breaks(typed);
        let page = export(&original);
        let back = import(&page).report;
        for f in MetaField::ALL {
            prop_assert_eq!(back.metadata.get(f).as_str(), s.as_str(), "{:?}", f);
        }
        let entries: Vec<_> = back.timeline.items().collect();
        prop_assert_eq!(entries.len(), 2);
        prop_assert_eq!(entries[0].text.as_str(), s.as_str());
        prop_assert_eq!(&entries[0].marker, &original.timeline.items().next().unwrap().marker);
        prop_assert_eq!(entries[1].text.as_str(), s.as_str());
        prop_assert_eq!(back.went_well.items().next().unwrap().text.as_str(), s.as_str());
        let a = back.actionables.items().next().unwrap();
        prop_assert_eq!(a.text.as_str(), s.as_str());
        prop_assert_eq!(a.owner.as_str(), s.as_str());
        prop_assert_eq!((a.task.as_deref(), a.status, a.due), (Some("T1"), irdoc_core::model::ActionStatus::Done, chrono::NaiveDate::from_ymd_opt(2026, 1, 2)));
        prop_assert_eq!(back.scorecard.rows[3].notes.as_str(), s.as_str());
        prop_assert_eq!(export(&back), page);
    }

    #[test]
    fn json_files_are_serde_json_pretty_and_read_back(s in hostile_text()) {
        let report = report_with(&s);
        let file = irdoc_core::json::report_to_json(&report);
        prop_assert_eq!(&file, &serde_json::to_string_pretty(&report).unwrap());
        let normalized = report_with(&normalize_line_breaks(s));
        prop_assert_eq!(irdoc_core::json::report_from_json(&file).unwrap(), normalized);
    }

    #[test]
    fn escaped_text_is_never_markup(s in hostile_text()) {
        for ctx in [Context::Inline, Context::Cell, Context::TemplateValue] {
            let wikitext = escape(&s, ctx);
            prop_assert_eq!(live_markup(&wikitext, ctx), None, "{:?} in {:?} gave {:?}", s, ctx, wikitext);
        }
    }

    #[test]
    fn any_page_imports_and_exports_unchanged(page in prop::collection::vec(prop_oneof![
        Just("{{irdoc|status=final}}\n".to_owned()), Just("== Summary ==\n".to_owned()),
        Just("==Timeline==\n".to_owned()), Just("==Scorecard==\n".to_owned()), Just("==Conclusions ==\n".to_owned()),
        Just("===What went well?===\n".to_owned()), Just("==Actionables==\n".to_owned()), Just("== Other ==\n".to_owned()),
        Just("{{Incident scorecard\n| task = T1\n|start=\n}}".to_owned()), Just("{| class=\"wikitable\"\n".to_owned()),
        Just("|-\n! rowspan=\"5\" |People\n|Q?\n|yes\n|\n".to_owned()), Just("|}".to_owned()), Just("|-\n".to_owned()),
        Just("* 10:00 thing '''OUTAGE BEGINS'''\n".to_owned()), Just("*10:05 other\n".to_owned()),
        Just("* item ({{PhabT|12}}) {{Done}}\n".to_owned()), Just("<pre>\n".to_owned()), Just("</pre>\n".to_owned()),
        Just("\n".to_owned()), Just("{{TOC}}".to_owned()), Just("{{".to_owned()), Just("}}".to_owned()),
        Just("* <small>(due €€€€)</small>\n".to_owned()), Just("* x <small>(due 2026-01-02; owner: a)</small>\n".to_owned()),
        Just("{|\n|-\n!Total\n|\n|}\n".to_owned()), Just("\r\n".to_owned()), Just("€".to_owned()),
        any::<String>(),
    ], 0..24)) {
        let page = page.concat();
        let imported = import(&page);
        prop_assert_eq!(export(&imported.report), page);
    }
}

#[test]
fn unedited_raw_lines_stay_raw() {
    let r = import("==Timeline==\n* no time here\n").report;
    assert!(matches!(&r.timeline.lines[0], Line::Raw(s) if s == "* no time here"));
}
