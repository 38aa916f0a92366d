//! The real wikitech pages: byte-exact round trips, edits that touch only their own bytes,
//! scores and checks.

use irdoc_core::check::{check, Severity};
use irdoc_core::model::{Answer, Line, MetaField, Status, TimelineEntry, When};
use irdoc_core::score::score;
use irdoc_core::{export, import, Report, Text};

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("data/wikitech/", $name, ".txt")),
        )
    };
}

const FIXTURES: [(&str, &str); 6] = [
    fixture!("2024-07-21_s4_and_x1_write_overload"),
    fixture!("2024-11-25_WMCS_proxy_nginx_failure"),
    fixture!("2024-12-03_Port_saturation_Varnish_HEAD-GET"),
    fixture!("2025-03-31_sessionstore_unavailability"),
    fixture!("2025-04-30_Gerrit_data_corruption"),
    fixture!("2025-11-05_WMCS_toolsdb_primary_out_of_space"),
];

fn page(name: &str) -> &'static str {
    FIXTURES
        .iter()
        .find(|(n, _)| n.starts_with(name))
        .unwrap()
        .1
}

/// The first byte range where two strings differ, for readable failures.
fn first_difference(a: &str, b: &str) -> String {
    let at = a
        .bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    let from = a.floor_char_boundary(at.saturating_sub(80));
    format!(
        "at byte {at}:\n--- expected\n{:?}\n--- got\n{:?}",
        &a[from..a.floor_char_boundary((at + 80).min(a.len()))],
        &b[from..b.floor_char_boundary((at + 80).min(b.len()))]
    )
}

#[test]
fn every_fixture_round_trips_byte_exact() {
    for (name, wikitext) in FIXTURES {
        let report = import(wikitext).report;
        let out = export(&report);
        assert!(
            out == wikitext,
            "{name}: {}",
            first_difference(wikitext, &out)
        );
    }
}

#[test]
fn every_fixture_round_trips_through_json() {
    for (name, wikitext) in FIXTURES {
        let report = import(wikitext).report;
        let json = serde_json::to_string(&report).unwrap();
        let back: Report = serde_json::from_str(&json).unwrap();
        assert_eq!(back, report, "{name}");
        assert_eq!(export(&back), wikitext, "{name}");
    }
}

/// Exports with one edit and checks that only the expected bytes changed.
fn assert_edit(name: &str, edit: impl FnOnce(&mut Report), changes: &[(&str, &str)]) {
    let original = page(name);
    let mut report = import(original).report;
    edit(&mut report);
    let mut expected = original.to_owned();
    for (from, to) in changes {
        assert_eq!(
            original.matches(from).count(),
            1,
            "{from:?} must occur once in {name}"
        );
        expected = expected.replacen(from, to, 1);
    }
    assert_eq!(export(&report), expected, "{name}");
}

#[test]
fn edits_change_only_their_own_bytes() {
    assert_edit(
        "2025-03-31",
        |r| r.metadata.responders_num = Text::from("3"),
        &[("| responders-num = 2\n", "| responders-num = 3\n")],
    );
    assert_edit(
        "2025-03-31",
        |r| r.status = Status::Final,
        &[("{{irdoc|status=draft}}", "{{irdoc|status=final}}")],
    );
    assert_edit(
        "2024-12-03",
        |r| r.scorecard.set_answer(1, Answer::Yes),
        &[
            (
                "|Were the people who responded prepared enough to respond effectively\n|no\n",
                "|Were the people who responded prepared enough to respond effectively\n|yes\n",
            ),
            ("above)\n|6\n", "above)\n|8\n"),
        ],
    );
    assert_edit(
        "2025-04-30",
        |r| {
            let line = r
                .timeline
                .indexed_items()
                .find(|(_, e)| e.text.as_str().starts_with("Reindexing"))
                .unwrap()
                .0;
            let entry = r.timeline.lines[line].item_mut().unwrap();
            entry.text = Text::from("Reindexing the change <again>");
        },
        &[(
            "* 21:14 Reindexing the change\n",
            "* 21:14 Reindexing the change &lt;again>\n",
        )],
    );
    assert_edit(
        "2024-11-25",
        |r| { r.went_well.push(irdoc_core::model::Bullet::new(Text::from("Quick '''fix'''"))); },
        &[("* The alert triggered immediately and sent a page\n", "* The alert triggered immediately and sent a page\n* Quick &#39;&#39;&#39;fix&#39;&#39;&#39;\n")],
    );
}

#[test]
fn answering_the_scorecard_rewrites_the_total() {
    let original = page("2024-12-03");
    let mut report = import(original).report;
    report.scorecard.set_answer(1, Answer::Yes);
    let out = export(&report);
    assert!(out.ends_with("|8\n|\n|}"), "{}", &out[out.len() - 40..]);
}

#[test]
fn missing_sections_are_added_in_template_order() {
    let mut report = import(page("2025-11-05")).report;
    report.links = "* [[Portal:Toolforge/Admin/ToolsDB]]".into();
    report.scorecard.set_answer(0, Answer::Yes);
    let out = export(&report);
    let links = out
        .find("==Links to relevant documentation==\n\n* [[Portal:Toolforge")
        .unwrap();
    assert!(links < out.find("==Actionables==").unwrap());
    assert!(
        out.contains("(monitor our own sample tools)\n\n==Scorecard==\n\n\n{| class=\"wikitable\"")
    );
    assert!(out.ends_with("|1\n|\n|}"));
}

#[test]
fn imports_fields() {
    let r = import(page("2025-03-31")).report;
    assert_eq!(r.status, Status::Draft);
    assert_eq!(r.metadata.task, Text::from("T390513"));
    assert_eq!(r.metadata.get(MetaField::PagedNum), &Text::from("batphone"));
    let entries: Vec<&TimelineEntry> = r.timeline.items().collect();
    assert_eq!(entries.len(), 9);
    assert_eq!(
        entries[0].when,
        When::Time("02:58".parse::<chrono::NaiveTime>().unwrap())
    );
    assert!(entries[0].marker.is_some() && entries[8].marker.is_some());
    assert_eq!(r.went_well.item_count(), 2);
    assert_eq!(r.went_poorly.item_count(), 4);
    assert_eq!(r.got_lucky.item_count(), 1);
    assert!(r.conclusions.contains("=== Cluster capacity ==="));
    assert!(r.detection.contains("=== User reports ==="));
    assert_eq!(r.actionables.item_count(), 7);
    let tasks: Vec<_> = r
        .actionables
        .items()
        .filter_map(|a| a.task.as_deref())
        .collect();
    assert_eq!(
        tasks,
        ["T390630", "T391544", "T392170", "T392182", "T390514"]
    );
    assert_eq!(
        r.actionables.items().next().unwrap().status,
        irdoc_core::model::ActionStatus::Done
    );
    assert_eq!(r.scorecard.rows.len(), 15);

    let toolsdb = import(page("2025-11-05")).report;
    assert_eq!(
        toolsdb.timeline.item_count(),
        11,
        "paragraph-style timeline"
    );
    assert!(toolsdb
        .timeline
        .lines
        .iter()
        .any(|l| matches!(l, Line::Raw(s) if s.is_empty())));
}

#[test]
fn scores_match_the_answers() {
    let expected = [
        ("2024-07-21", 5, Some(5), 1),
        ("2024-11-25", 9, Some(9), 0),
        ("2024-12-03", 7, Some(6), 0),
        ("2025-03-31", 10, Some(10), 0),
        ("2025-04-30", 8, None, 2),
    ];
    for (name, total, stated, unanswered) in expected {
        let s = score(&import(page(name)).report.scorecard);
        assert_eq!(
            (s.total, s.stated, s.unanswered),
            (total, stated, unanswered),
            "{name}"
        );
        assert_eq!(s.categories.values().sum::<usize>(), total);
    }
    let varnish = score(&import(page("2024-12-03")).report.scorecard);
    assert_eq!(varnish.categories["People"], 1);
    assert_eq!(varnish.categories["Process"], 2);
    assert_eq!(varnish.categories["Tooling"], 4);
    assert_eq!(varnish.mismatch(), Some(6));
}

#[test]
fn checks_flag_the_varnish_total() {
    let findings = check(&import(page("2024-12-03")).report);
    let total = findings.iter().find(|f| f.code == "score-total").unwrap();
    assert_eq!(total.severity, Severity::Error);
    assert!(
        total.message.contains("states a total of 6"),
        "{}",
        total.message
    );
}

#[test]
fn checks_find_placeholders_and_missing_tasks() {
    let findings = check(&import(page("2025-11-05")).report);
    let codes: Vec<_> = findings.iter().map(|f| f.code).collect();
    assert!(codes.contains(&"placeholder"), "{codes:?}");
    assert!(codes.contains(&"actionable-task"), "{codes:?}");
}

#[test]
fn new_report_round_trips() {
    let mut r = Report {
        title: "Incidents/2026-11-20 Example".into(),
        summary: "Something broke.".into(),
        ..Report::default()
    };
    r.timeline.push(TimelineEntry::new(
        "10:00".parse().unwrap(),
        Text::from("It broke"),
    ));
    r.scorecard.set_answer(2, Answer::Yes);
    let page = export(&r);
    let back = import(&page).report;
    assert_eq!(export(&back), page);
    assert_eq!(back.summary, r.summary);
    assert_eq!(
        back.timeline.items().next().unwrap().text,
        Text::from("It broke")
    );
    assert_eq!(score(&back.scorecard).total, 1);
}

#[test]
fn new_scorecard_table_has_the_real_pages_bytes() {
    let original = page("2025-03-31");
    let mut report = import(original).report;
    let answered = std::mem::take(&mut report.scorecard.rows);
    report.scorecard = irdoc_core::model::Scorecard::default();
    for (row, theirs) in report.scorecard.rows.iter_mut().zip(answered) {
        row.answer = theirs.answer;
        row.notes = theirs.notes;
    }
    let fresh = export(&report);
    let table = |s: &str| s[s.find("{| class").unwrap()..].to_owned();
    // irdoc writes answers in lower case; the page capitalised them.
    let want = table(original)
        .replace("|Yes\n", "|yes\n")
        .replace("|No\n", "|no\n");
    let got = table(&fresh);
    assert!(want == got, "{}", first_difference(&want, &got));
}
