//! Converting the documents authors have into reports: the seed documents, the six real
//! pages as a browser copies them from a rendered wiki (HTML and text), a Google Docs
//! clipboard, and hostile HTML.

use irdoc_core::convert::{parse_html, read_markdown, read_text, to_report, Conversion, Options};
use irdoc_core::model::{ActionStatus, Answer, Line, MarkerKind, MetaField, Report, Status};
use irdoc_core::score::score;
use irdoc_core::{export, import, Text};

fn seed(n: usize) -> &'static str {
    [
        include_str!("data/seeds/000_2c7e767afdb108c5.txt"),
        include_str!("data/seeds/001_fbdccf07b0cb100f.txt"),
        include_str!("data/seeds/002_a29057a470cdeb0d.txt"),
        include_str!("data/seeds/003_6818aebc367081be.txt"),
        include_str!("data/seeds/004_0a807d7f194d5a1d.txt"),
    ][n]
}

fn text(s: &str) -> Conversion {
    to_report(&read_text(s), &Options::default())
}

fn html(s: &str) -> Conversion {
    to_report(&parse_html(s), &Options::default())
}

/// The visible text of a field's wikitext: links as their labels, the templates the pages
/// use as the test wiki shows them, no quotes markup, entities decoded, spaces collapsed.
fn visible(w: &str) -> String {
    let mut out = String::new();
    let mut rest = w;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("[[") {
            let end = r.find("]]").unwrap_or(r.len());
            let inner = &r[..end];
            out.push_str(inner.rsplit('|').next().unwrap_or(inner));
            rest = r.get(end + 2..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix("{{") {
            let end = r.find("}}").unwrap_or(r.len());
            let inner = &r[..end];
            let (name, arg) = inner.split_once('|').unwrap_or((inner, ""));
            match name.trim().to_ascii_lowercase().as_str() {
                "phabt" | "phabricator" => {
                    out.push_str(&format!("T{}", arg.trim_start_matches('T')))
                }
                "phab" | "gerrit" => out.push_str(arg),
                "done" => out.push_str("✔ Done"),
                _ => {}
            }
            rest = r.get(end + 2..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('[').filter(|r| r.starts_with("http")) {
            let end = r.find(']').unwrap_or(r.len());
            let inner = &r[..end];
            out.push_str(inner.split_once(' ').map_or(inner, |(_, l)| l));
            rest = r.get(end + 1..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix("'''").or_else(|| rest.strip_prefix("''")) {
            rest = r;
        } else if rest.starts_with('<')
            && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
        {
            let end = rest.find('>').unwrap_or(rest.len() - 1);
            out.push(' ');
            rest = &rest[end + 1..];
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    irdoc_core::text::unescape(&out)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c == '(' || c == ')' || c.is_whitespace())
        .to_owned()
}

fn vis(t: &Text) -> String {
    visible(&t.to_wikitext(irdoc_core::text::Context::Inline))
}

/// The fields a person compares, each as one string: timeline entries (time, text,
/// marker), the three conclusion lists, actionables (text, task, status), scorecard answers
/// and the stated total, and the metadata box.
fn fields(r: &Report) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (i, e) in r.timeline.items().enumerate() {
        let marker = e
            .marker
            .as_ref()
            .map(|m| format!("{:?}", m.kind))
            .unwrap_or_default();
        let when = irdoc_core::datetime::format_time(e.when.time());
        out.push((
            format!("timeline {i}"),
            format!("{when} {} {marker}", vis(&e.text)),
        ));
    }
    for (name, list) in [
        ("well", &r.went_well),
        ("poorly", &r.went_poorly),
        ("lucky", &r.got_lucky),
    ] {
        for (i, b) in list.items().enumerate() {
            out.push((format!("{name} {i}"), vis(&b.text)));
        }
    }
    for (i, a) in r.actionables.items().enumerate() {
        let done = if a.status == ActionStatus::Done {
            " done"
        } else {
            ""
        };
        out.push((
            format!("actionable {i}"),
            format!(
                "{} [{}]{done}",
                vis(&a.text),
                a.task.clone().unwrap_or_default()
            ),
        ));
    }
    for (i, row) in r.scorecard.rows.iter().enumerate() {
        out.push((format!("answer {i}"), format!("{:?}", row.answer)));
    }
    out.push((
        "stated total".into(),
        r.scorecard
            .stated_total
            .clone()
            .unwrap_or_default()
            .trim()
            .to_owned(),
    ));
    for f in MetaField::ALL {
        let v = visible(
            &r.metadata
                .get(f)
                .to_wikitext(irdoc_core::text::Context::TemplateValue),
        );
        out.push((f.key().to_owned(), v));
    }
    out
}

macro_rules! rendered {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("data/wikitech/", $name, ".txt")),
            include_str!(concat!("data/rendered/", $name, ".html")),
            include_str!(concat!("data/rendered/", $name, ".txt")),
        )
    };
}

const RENDERED: [(&str, &str, &str, &str); 6] = [
    rendered!("2024-07-21_s4_and_x1_write_overload"),
    rendered!("2024-11-25_WMCS_proxy_nginx_failure"),
    rendered!("2024-12-03_Port_saturation_Varnish_HEAD-GET"),
    rendered!("2025-03-31_sessionstore_unavailability"),
    rendered!("2025-04-30_Gerrit_data_corruption"),
    rendered!("2025-11-05_WMCS_toolsdb_primary_out_of_space"),
];

/// Fields of `got` equal to `want`'s; prints the others. Timeline entries are matched in
/// order, so an entry the conversion reads where import keeps a line as written (a typo'd
/// time such as `20: 30`) does not shift the rest; other fields by name.
fn recovered(
    page: &str,
    flavour: &str,
    want: &[(String, String)],
    got: &[(String, String)],
) -> usize {
    let mut equal = 0;
    let got_entries: Vec<&str> = got
        .iter()
        .filter(|(n, _)| n.starts_with("timeline "))
        .map(|(_, v)| v.as_str())
        .collect();
    let mut next = 0;
    for (name, value) in want {
        let found = if name.starts_with("timeline ") {
            match got_entries[next..].iter().position(|g| *g == value) {
                Some(at) => {
                    next += at + 1;
                    true
                }
                None => false,
            }
        } else {
            got.iter().any(|(n, v)| n == name && v == value)
        };
        if found {
            equal += 1;
        } else {
            let other = got.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
            println!(
                "{page} {flavour} {name}:\n  page: {value}\n  copy: {}",
                other.unwrap_or("(none)")
            );
        }
    }
    equal
}

/// Whether `want` is `got` with some items left out.
fn subsequence<T: PartialEq>(want: &[T], got: &[T]) -> bool {
    let mut it = got.iter();
    want.iter().all(|w| it.any(|g| g == w))
}

#[test]
fn rendered_pages_convert_to_the_fields_of_their_wikitext() {
    let (mut total, mut from_html, mut from_text) = (0, 0, 0);
    for (name, wiki, page_html, page_text) in RENDERED {
        let want = fields(&import(wiki).report);
        let h = html(page_html).report;
        let t = text(page_text).report;
        total += want.len();
        from_html += recovered(name, "html", &want, &fields(&h));
        from_text += recovered(name, "text", &want, &fields(&t));
        // Times and answers are exact in both flavours.
        let imported = import(wiki).report;
        // The time of day, and the date where the page's entry has one (a converted entry
        // also gets the date of a date line above it, which import leaves undated).
        let times = |r: &Report| {
            r.timeline
                .items()
                .map(|e| e.when.time())
                .collect::<Vec<_>>()
        };
        let answers = |r: &Report| {
            r.scorecard
                .rows
                .iter()
                .map(|r| r.answer)
                .collect::<Vec<_>>()
        };
        for (flavour, got) in [("html", &h), ("text", &t)] {
            assert!(
                subsequence(&times(&imported), &times(got)),
                "{name} {flavour}: timeline times {:?} in {:?}",
                times(&imported),
                times(got)
            );
            assert_eq!(
                answers(got),
                answers(&imported),
                "{name} {flavour}: answers"
            );
            assert_eq!(
                score(&got.scorecard).stated,
                score(&imported.scorecard).stated,
                "{name} {flavour}"
            );
            assert_eq!(got.status, imported.status, "{name} {flavour}: status");
        }
    }
    let share = |n: usize| n as f64 / total as f64;
    println!(
        "fields recovered: html {from_html}/{total} ({:.1} %), text {from_text}/{total} ({:.1} %)",
        100.0 * share(from_html),
        100.0 * share(from_text)
    );
    assert!(share(from_html) >= 0.95, "html: {from_html} of {total}");
    assert!(share(from_text) >= 0.90, "text: {from_text} of {total}");
}

#[test]
fn whole_pages_with_their_chrome_convert_like_the_article() {
    for (name, page_html, page_text) in [
        (
            "2025-03-31_sessionstore_unavailability",
            include_str!("data/rendered/2025-03-31_sessionstore_unavailability.page.html"),
            include_str!("data/rendered/2025-03-31_sessionstore_unavailability.page.txt"),
        ),
        (
            "2024-12-03_Port_saturation_Varnish_HEAD-GET",
            include_str!("data/rendered/2024-12-03_Port_saturation_Varnish_HEAD-GET.page.html"),
            include_str!("data/rendered/2024-12-03_Port_saturation_Varnish_HEAD-GET.page.txt"),
        ),
    ] {
        let (_, wiki, article_html, article_text) =
            RENDERED.iter().find(|(n, ..)| *n == name).copied().unwrap();
        let want = import(wiki).report;
        for (flavour, page, article) in [
            ("html", html(page_html), html(article_html)),
            ("text", text(page_text), text(article_text)),
        ] {
            assert_eq!(
                fields(&page.report),
                fields(&article.report),
                "{name} {flavour}"
            );
            assert!(
                page.report.title.starts_with("Incidents/20"),
                "{name} {flavour}: {:?}",
                page.report.title
            );
            assert!(page.review.dropped > 0, "{name} {flavour}");
            let page_words = export(&page.report);
            for chrome in [
                "Jump to",
                "From Wikitech",
                "Powered by MediaWiki",
                "Privacy policy",
                "last edited",
            ] {
                assert!(!page_words.contains(chrome), "{name} {flavour}: {chrome}");
            }
            assert_eq!(
                page.report.timeline.item_count(),
                want.timeline.item_count()
            );
        }
    }
}

fn entries(r: &Report) -> Vec<(String, String)> {
    r.timeline
        .items()
        .map(|e| (e.when.to_string(), e.text.as_str().to_owned()))
        .collect()
}

#[test]
fn seed_004_scorecard_reads_13_yes_of_15_as_stated() {
    let c = text(seed(4));
    let r = &c.report;
    let s = score(&r.scorecard);
    assert_eq!((s.total, s.stated, s.unanswered), (13, Some(13), 0));
    assert_eq!(s.mismatch(), None);
    assert_eq!(r.scorecard.rows[6].answer, Answer::No);
    assert_eq!(r.scorecard.rows[10].answer, Answer::No);
    assert_eq!(
        r.scorecard.rows[3].notes.as_str(),
        "The page was not routable to sub-teams because it originated in the frontend\n(Basically the sub-team was everyone)"
    );
    assert!(r.scorecard.rows[10]
        .notes
        .as_str()
        .contains("https://phabricator.wikimedia.org/T290536"));
    let e = entries(r);
    assert_eq!(e.len(), 10);
    assert_eq!(e[0], ("18:16".into(), "A volunteer starts to backport five patches (3 config changes, one core change and one DiscussionTools change)".into()));
    assert_eq!(e[3].0, "18:34:51");
    assert_eq!(
        e[9],
        (
            "19:30".into(),
            "A revised patch is synced successfully".into()
        )
    );
    let markers: Vec<_> = r
        .timeline
        .items()
        .filter_map(|e| e.marker.as_ref().map(|m| (e.when.to_string(), m.kind)))
        .collect();
    assert_eq!(
        markers,
        [
            ("18:33".into(), MarkerKind::Start),
            ("18:48".into(), MarkerKind::End)
        ]
    );
    assert_eq!(r.went_well.item_count(), 2);
    assert_eq!(r.went_poorly.item_count(), 4);
    assert_eq!(r.got_lucky.item_count(), 1);
    assert_eq!(r.actionables.item_count(), 1);
    assert!(r.summary.starts_with("An issue with inconsistent state"));
    assert!(r.detection.starts_with("Humans and automated alerts"));
    let review = c.review.lines().join("\n");
    assert!(
        review.contains("Scorecard: 15 of 15 scorecard answers, stated total 13"),
        "{review}"
    );
    assert!(review.contains("Timeline: 10 timeline entries"), "{review}");
}

#[test]
fn seed_002_timeline_has_its_date_times_and_joined_lines() {
    let c = text(seed(2));
    let r = &c.report;
    assert_eq!(r.title, "Incidents/20160123-SessionManagerRolloutFailure");
    let e = entries(r);
    assert_eq!(e.len(), 53);
    assert_eq!(
        e[0],
        ("2016-01-19 23:18".into(), "Group0 to 1.27.0-wmf.11".into())
    );
    assert_eq!(
        e[1],
        (
            "2016-01-20 01:20".into(),
            "Bd808 files task T124126 about trending \"Can neither load the session nor create an empty session\" errors in fatalmonitor".into()
        )
    );
    assert_eq!(
        e[52],
        (
            "2016-01-23 01:33".into(),
            "bd808 Re-re-reverted to 1.27.0-wmf.10".into()
        )
    );
    assert!(r.summary.starts_with("MediaWiki 1.27.0-wmf.11 reverted from all wikis due to SessionManager related problems."), "{}", r.summary);
    assert!(r.summary.contains(
        "The most significant issue was first reported as task T124409 at 2016-01-22T12:18Z."
    ));
    assert!(r
        .conclusions
        .starts_with("The core issue of the loginwiki tokens"));
    assert!(!r.conclusions.contains("Retrieved from"));
    assert!(c
        .review
        .lines()
        .iter()
        .any(|l| l.starts_with("Timeline: 53 timeline entries (65 without a time joined")));
}

#[test]
fn seed_000_bullet_timeline_with_dates_and_actionables() {
    let c = text(seed(0));
    let r = &c.report;
    let e = entries(r);
    assert_eq!(e.len(), 17);
    assert_eq!(e[0].0, "2015-11-26 00:00");
    assert!(e[0].1.starts_with("phab:T119736 (\"Can't log in"));
    assert_eq!(e[1].0, "2016-07-05 20:22");
    assert!(e[1]
        .1
        .starts_with("(\"Enable Echo transition flags on group 0 wikis\") is deployed"));
    assert_eq!(
        e[5],
        (
            "2016-07-12 04:33".into(),
            "Bryan Davis discovers that Echo is causing some of the errors, and posts a trace."
                .into()
        )
    );
    assert_eq!(e[16].0, "2016-07-12 21:24");
    assert!(r
        .summary
        .starts_with("A bug in Echo caused account auto-creations to fail"));
    assert!(r
        .conclusions
        .starts_with("Although it is a reasonable hypothesis"));
    let a: Vec<_> = r
        .actionables
        .items()
        .map(|a| (a.task.clone().unwrap(), a.text.as_str().to_owned()))
        .collect();
    assert_eq!(
        a,
        [
            ("T140207".to_owned(), "Consider alternative processes for Unbreak Now bugs, especially those which cross-cut components".to_owned()),
            ("T141066".to_owned(), "Identify \"responsible parties\" for \"all\" \"components\" deployed on Wikimedia servers".to_owned()),
        ]
    );
}

#[test]
fn seed_003_weekday_dates_carry_into_times() {
    let c = text(seed(3));
    let r = &c.report;
    let e = entries(r);
    assert_eq!(e.len(), 13);
    assert_eq!(e[0], ("2020-05-13 00:00".into(), "The train is blocked from deploying to group2 (Wikipedia) due to a database performance regression. (T249964)".into()));
    // The two lines without a time continue the entry before.
    assert!(e[2].1.ends_with("There is no train schedule this week due to (virtual) team offsites. Production continues to be on 1.35.0-wmf.31 for Wikipedia, and the newer 1.35.0-wmf.32 for non-Wikipedia."));
    assert_eq!(e[3].0, "2020-05-18 00:28");
    assert_eq!(
        e[12],
        (
            "2020-05-18 22:02".into(),
            "Aaron uploads code fixes to wmf.31 and to wmf.32.".into()
        )
    );
    assert!(r
        .metadata
        .impact
        .as_str()
        .starts_with("About 10% of media uploads"));
    assert_eq!(r.went_well.item_count(), 5);
    assert_eq!(r.got_lucky.item_count(), 1);
    assert_eq!(r.extra.len(), 1);
    assert_eq!(
        r.extra[0].title,
        "How many people were involved in the remediation?"
    );
    let review = c.review.lines().join("\n");
    assert!(
        review.contains("13 timeline entries (2 without a time joined to the one before"),
        "{review}"
    );
}

#[test]
fn seed_001_retrospective_keeps_its_sections_and_nesting() {
    let c = text(seed(1));
    let r = &c.report;
    assert_eq!(
        r.title,
        "Incident documentation/20160712-EchoCentralAuth/Retrospective"
    );
    assert_eq!(r.went_well.item_count(), 2);
    // One bullet, the others indented under it; the paragraph above it is kept as prose.
    assert_eq!(r.went_poorly.item_count(), 1);
    assert!(r.went_poorly.lines[0].is_visible_raw());
    // Nested bullets are kept as nested list lines under their item.
    assert!(r
        .went_poorly
        .lines
        .iter()
        .any(|l| matches!(l, Line::Raw(s) if s.starts_with("** "))));
    let titles: Vec<&str> = r.extra.iter().map(|x| x.title.as_str()).collect();
    assert!(
        titles.contains(&"What happened") && titles.contains(&"What still confuses us"),
        "{titles:?}"
    );
    // Nothing is dropped: every seed's words are in the page.
    let page = export(r);
    assert!(page.contains("Grumbling at people who are on vacation also isn't useful"));
    assert!(page.contains("Greg- first step locate the owners list"));
}

#[test]
fn the_seeds_keep_their_words() {
    for n in 0..5 {
        let r = text(seed(n)).report;
        let meta: Vec<&str> = MetaField::ALL
            .iter()
            .map(|f| r.metadata.get(*f).as_str())
            .collect();
        let page = format!("{}\n{}", export(&r), meta.join("\n"));
        let words = |s: &str| {
            s.split(|c: char| !c.is_alphabetic())
                .filter(|w| w.len() > 3)
                .map(str::to_owned)
                .collect::<std::collections::BTreeSet<_>>()
        };
        let chrome = [
            "Jump",
            "From",
            "search",
            "navigation",
            "Wikitech",
            "Retrieved",
            "Category",
            "Incidents",
            "Redirected",
            "topic",
            "content",
        ];
        let missing: Vec<String> = words(seed(n))
            .difference(&words(&visible(&page)))
            .filter(|w| !chrome.contains(&w.as_str()))
            .cloned()
            .collect();
        assert!(missing.len() <= 2, "seed {n}: {missing:?}");
    }
}

#[test]
fn a_google_docs_clipboard_converts() {
    let c = html(include_str!("data/convert/google-docs.html"));
    let r = &c.report;
    assert!(r.summary.starts_with("Summary: Edits failed on all wikis for 38 minutes & more (see [https://phabricator.wikimedia.org/T390513 T390513])."), "{}", r.summary);
    assert_eq!(
        r.metadata.impact.as_str(),
        "Editors on all wikis could not save edits."
    );
    assert_eq!(r.metadata.coordinators.as_str(), "swfrench");
    let e = entries(r);
    assert_eq!(
        e,
        [
            (
                "2025-03-31 02:58".to_owned(),
                "sessionstore returns 500s".to_owned()
            ),
            (
                "2025-03-31 03:04".to_owned(),
                "SessionStoreErrorRateHigh pages".to_owned()
            ),
            (
                "2025-03-31 03:36".to_owned(),
                "storage wiped, edits flow".to_owned()
            ),
        ]
    );
    // The nested item stays nested under its entry.
    assert!(r
        .timeline
        .lines
        .contains(&Line::Raw("** swfrench acknowledges".into())));
    let kinds: Vec<_> = r
        .timeline
        .items()
        .map(|e| e.marker.as_ref().map(|m| m.kind))
        .collect();
    assert_eq!(
        kinds,
        [Some(MarkerKind::Start), None, Some(MarkerKind::End)]
    );
    assert_eq!(
        r.went_well.items().next().unwrap().text,
        Text::Plain("Alerting fired within five minutes".into())
    );
    let a: Vec<_> = r.actionables.items().collect();
    assert_eq!(a.len(), 2);
    assert_eq!(
        (
            a[0].task.as_deref(),
            a[0].owner.as_str(),
            a[0].text.as_str()
        ),
        (Some("T390630"), "urandom", "Alert on disk growth")
    );
    assert_eq!(
        a[1].text,
        Text::wiki(
            "Read the [https://wikitech.wikimedia.org/wiki/SessionStorage/Runbook runbook] again"
        )
    );
    let rows = &r.scorecard.rows;
    assert_eq!(
        (rows[2].answer, rows[5].answer, rows[12].answer),
        (Answer::Yes, Answer::No, Answer::Yes)
    );
    assert_eq!(r.scorecard.stated_total.as_deref(), Some("2"));
    // A javascript: link is text, never a link.
    assert_eq!(rows[12].notes, Text::Plain("see alert".into()));
    assert_eq!(r.extra.len(), 1);
    assert_eq!(r.extra[0].title, "Open questions");
    assert!(export(r).contains("== Open questions ==\nWhy did the disk fill so fast?"));
    assert_eq!(r.status, Status::Draft);
}

#[test]
fn markdown_reads_like_html() {
    let md = "# Incident\n\n## Summary\n\nEdits failed.\n\n## Timeline\n\n- 18:33 Sync starts. **OUTAGE BEGINS**\n- 18:48 Done **OUTAGE ENDS**\n\n## Actionables\n\n- Fix it ([T123456](https://phabricator.wikimedia.org/T123456))\n\n## Scorecard\n\n| | Question | Answer | Notes |\n|---|---|---|---|\n| People | Were fewer than five people paged? | yes | |\n| | Is there a phabricator task for the incident? | No | |\n| | Total score | 1 | |\n";
    let r = to_report(&read_markdown(md), &Options::default()).report;
    assert_eq!(r.summary, "Edits failed.");
    assert_eq!(
        entries(&r),
        [
            ("18:33".to_owned(), "Sync starts.".to_owned()),
            ("18:48".to_owned(), "Done".to_owned())
        ]
    );
    assert_eq!(
        r.actionables.items().next().unwrap().task.as_deref(),
        Some("T123456")
    );
    assert_eq!(
        (r.scorecard.rows[2].answer, r.scorecard.rows[7].answer),
        (Answer::Yes, Answer::No)
    );
    assert_eq!(r.scorecard.stated_total.as_deref(), Some("1"));
}

#[test]
fn a_time_zone_shifts_times_to_utc() {
    let doc = read_text("Timeline\n\n• 2025-03-31 01:30 first\n• 02:10 second\n");
    let r = to_report(
        &doc,
        &Options {
            utc_offset_minutes: 120,
        },
    )
    .report;
    assert_eq!(
        entries(&r),
        [
            ("2025-03-30 23:30".to_owned(), "first".to_owned()),
            ("2025-03-31 00:10".to_owned(), "second".to_owned())
        ]
    );
}

#[test]
fn hostile_html_is_inert_text() {
    let hostile = r#"<h2>Summary</h2><p onclick="alert(1)">Hello <img src=x onerror="alert(2)"> <script>alert(3)</script><style>p{}</style>
        <iframe src="https://evil.example/"></iframe><noscript>ns</noscript><template><p>tpl</p></template>
        <a href="javascript:alert(4)">click</a> <a href=" JAVASCRIPT:alert(5)">b</a> <a href="data:text/html,x">c</a>
        {{Template}} [[Link]] '''bold''' &lt;nowiki&gt; ~~~~ __TOC__ [http://x.org y] &lt;script&gt;</p>
        <h2>Timeline</h2><ul><li>18:33 <a href="https://ok.example/a]b'c">ok</a> ''x''</li><li>* 18:40 {{PhabT|1}}</li></ul>"#;
    let c = html(hostile);
    let page = export(&c.report);
    for bad in [
        "alert(",
        "<script",
        "<iframe",
        "evil.example",
        "tpl",
        "ns<",
        "javascript:",
        "JAVASCRIPT:",
        "data:text",
        "onerror",
        "onclick",
        "{{Template}}",
        "[[Link]]",
        "'''bold",
        "<nowiki>",
        "~~~~",
        "__TOC__",
        "[http://x.org",
    ] {
        assert!(!page.contains(bad), "{bad} in\n{page}");
    }
    assert!(
        c.report.summary.contains("Hello click b c"),
        "{}",
        c.report.summary
    );
    // The one real link stays a link, with a target that cannot break out.
    assert!(page.contains("[https://ok.example/a%5Db%27c ok]"), "{page}");
    // Visible text is all there, as text.
    let preview = visible(&c.report.summary);
    assert!(
        preview.contains(
            "{{Template}} [[Link]] '''bold''' <nowiki> ~~~~ __TOC__ [http://x.org y] <script>"
        ),
        "{preview}"
    );
}

#[test]
fn deep_nesting_converts_without_recursion() {
    let n = 200_000;
    let deep = format!(
        "{}text{}",
        "<div><ul><li><table><tr><td>".repeat(n / 5),
        "</td></tr></table></li></ul></div>".repeat(n / 5)
    );
    let c = html(&deep);
    assert!(c.report.summary.contains("text"));
    let deep_text: String = (0..20_000)
        .map(|i| format!("{}• item {i}\n", " ".repeat(i)))
        .collect();
    let c = text(&deep_text);
    assert!(export(&c.report).contains("item 19999"));
    let deep_md = format!("{}quote", "> ".repeat(10_000));
    let _ = to_report(&read_markdown(&deep_md), &Options::default());
}
