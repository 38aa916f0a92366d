//! Publishing to the wiki (in the Export step): check the page's latest revision against the
//! draft's base, show what changed on the wiki since and let the author take the wiki's
//! version of a section or keep theirs, then open the wiki's own editor in a new tab with the
//! export loaded (its diff, or its preview for a new page). The author saves there.
//!
//! Kept lean for the wasm budget: one signal of its own type (what the last check found),
//! the rest plain strings and flags.

use irdoc_core::compare::{changes, take, SectionChange};
use irdoc_core::preview::escape_html;
use irdoc_core::wiki::{changes_html, Page, Publish, Target, Wiki, WikiError};
use irdoc_core::{export, Report};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::use_doc;
use crate::wiki::{current_wiki, now_timestamp, submit, use_wiki};

/// What the last check of the wiki found.
enum Check {
    /// Not read yet: a draft that did not come from the wiki is checked when the author asks
    /// (opening the step sends nothing to a wiki it never came from).
    NotYet,
    Checking,
    /// The draft is based on the page's latest revision; the wiki's clock then.
    Current {
        now: String,
        note: String,
    },
    /// No such page yet: publishing creates it.
    NewPage,
    /// The wiki has a revision the draft is not based on.
    Changed(Box<Changed>),
    /// The author stopped at the wiki's changes.
    Behind {
        revid: u64,
        now: String,
    },
    Failed(String),
}

struct Changed {
    latest: Page,
    /// The wiki's latest revision, read as a report.
    theirs: Report,
    /// What changed on the wiki since the draft's base (or, with no base, how the wiki's
    /// page differs from the draft).
    sections: Vec<SectionChange>,
    /// The draft has no base on this page: the page was made elsewhere.
    unrelated: bool,
}

/// The draft's base revision on this wiki's page of its title.
fn base_of(r: &Report, wiki: &Wiki) -> Option<u64> {
    r.wiki
        .as_ref()
        .and_then(|o| o.base_for(wiki, r.title.trim()))
        .map(|(revid, _)| revid)
}

/// Reads the page's latest revision and compares it with the draft's base.
async fn check(wiki: Wiki, mine: Report) -> Result<Check, WikiError> {
    let base = base_of(&mine, &wiki);
    let latest = match crate::wiki::read(&wiki, &Target::Title(mine.title.trim().into())).await {
        Err(WikiError::Missing { .. }) => return Ok(Check::NewPage),
        other => other?,
    };
    let revid = latest.revid;
    if base == Some(revid) {
        let note = format!(
            "Up to date: the wiki's latest revision is {revid}, the one your draft is based on."
        );
        return Ok(Check::Current {
            now: latest.now,
            note,
        });
    }
    let theirs = irdoc_core::import(&latest.content).report;
    let before = match base {
        Some(revid) => {
            let base_page = crate::wiki::read(&wiki, &Target::Revision(revid)).await?;
            irdoc_core::import(&base_page.content).report
        }
        None => mine.clone(),
    };
    Ok(Check::Changed(Box::new(Changed {
        sections: changes(&before, &theirs),
        latest,
        theirs,
        unrelated: base.is_none(),
    })))
}

#[component]
pub fn WikiPublish() -> impl IntoView {
    let doc = use_doc();
    let base = use_wiki();
    let state = RwSignal::new(Check::Checking);
    let published = RwSignal::new(None::<String>);
    let summary = RwSignal::new(
        if doc.with_untracked(|r| base_of(r, &current_wiki()).is_some()) {
            "Updated with irdoc"
        } else {
            "New incident report (written with irdoc)"
        }
        .to_owned(),
    );
    // The sections the author takes from the wiki's version.
    let taken = StoredValue::new(Vec::<&'static str>::new());
    let run_check = move || run_check(doc, state, taken);
    // Checked when the step opens for a draft from the wiki, and on demand.
    if doc.with_untracked(|r| r.wiki.is_some()) {
        run_check();
    } else {
        state.set(Check::NotYet);
    }
    let apply = move |()| {
        let chosen = taken.get_value();
        let done = state.with_untracked(|s| {
            let Check::Changed(c) = s else { return None };
            let origin = c.latest.origin(&current_wiki());
            let revid = origin.revid;
            doc.update(|r| {
                for section in &chosen {
                    take(r, &c.theirs, section);
                }
                r.wiki = Some(origin);
            });
            Some((revid, c.latest.now.clone()))
        });
        let Some((revid, now)) = done else { return };
        let with = if chosen.is_empty() {
            String::new()
        } else {
            format!(", with the wiki's {}", chosen.join(", "))
        };
        let note = format!("Your draft is now based on the wiki's revision {revid}{with}.");
        state.set(Check::Current { now, note });
    };
    let stop = move |()| {
        let behind = state.with_untracked(|s| match s {
            Check::Changed(c) => Some(Check::Behind {
                revid: c.latest.revid,
                now: c.latest.now.clone(),
            }),
            _ => None,
        });
        if let Some(behind) = behind {
            state.set(behind);
        }
    };
    // A change of a section's checkbox (the sections are HTML from the core).
    let toggle = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        let Some(input) = input else { return };
        let (name, on) = (
            input.get_attribute("data-take").unwrap_or_default(),
            input.checked(),
        );
        let section = state.with_untracked(|s| match s {
            Check::Changed(c) => c.sections.iter().map(|c| c.section).find(|s| *s == name),
            _ => None,
        });
        if let Some(section) = section {
            taken.update_value(|t| {
                t.retain(|s| *s != section);
                if on {
                    t.push(section);
                }
            });
        }
    };
    let publish = move |()| {
        let w = current_wiki();
        let started = state.with_untracked(|s| match s {
            Check::Changed(c) => c.latest.now.clone(),
            Check::Current { now, .. } | Check::Behind { now, .. } if !now.is_empty() => {
                now.clone()
            }
            _ => now_timestamp(),
        });
        let form = doc.with_untracked(|r| {
            w.publish_form(&Publish {
                title: r.title.trim(),
                text: &export(r),
                summary: &summary.get_untracked(),
                base: r.wiki.as_ref().and_then(|o| o.base_for(&w, r.title.trim())),
                started: &started,
            })
        });
        published.set(Some(match submit(&form) {
            Ok(()) => "The wiki's editor opened in a new tab with your text: review the changes there and press Save. Then come back and press Refresh from the wiki.".into(),
            Err(e) => format!("Nothing was published: {e}."),
        }));
    };
    let target = move || {
        base.track();
        doc.with(|r| {
            let w = current_wiki();
            let title = r.title.trim();
            if title.is_empty() {
                return "The report has no title yet: its title (Overview step) is the page's name on the wiki.".to_owned();
            }
            let based = r.wiki.as_ref().and_then(|o| o.base_for(&w, title));
            format!(
                "{} <a href=\"{}\" target=\"_blank\" rel=\"noopener\">{}</a>{}",
                if based.is_some() {
                    "Page:"
                } else {
                    "New page:"
                },
                escape_html(&w.page_url(title)),
                escape_html(title),
                based.map_or(String::new(), |(revid, _)| format!(
                    " (your draft is based on revision {revid})"
                ))
            )
        })
    };
    // The buttons and what the check found are HTML; clicks arrive here by their data-action.
    let clicks = move |ev: leptos::ev::MouseEvent| {
        let action = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.get_attribute("data-action"));
        match action.as_deref() {
            Some("publish") => publish(()),
            Some("check") => run_check(),
            Some("rebase") => apply(()),
            Some("stop") => stop(()),
            _ => {}
        }
    };
    let panel = move || {
        // Checkboxes drawn afresh start unticked.
        taken.set_value(Vec::new());
        state.with(|s| published.with(|p| panel_html(s, p.as_deref())))
    };
    view! {
        <section class="wiki-publish" aria-labelledby="publish-heading" data-testid="wiki-publish">
            <h3 id="publish-heading">"Publish to the wiki"</h3>
            <p class="help" inner_html=HELP></p>
            <p data-testid="publish-target" inner_html=target></p>
            <label for="publish-summary">"Edit summary"</label>
            <input id="publish-summary" type="text" data-testid="publish-summary"
                prop:value=summary.get_untracked() on:input=move |ev| summary.set(event_target_value(&ev)) />
            <div on:click=clicks on:change=toggle inner_html=panel></div>
        </section>
    }
}

const HELP: &str = "Publishing opens the wiki's own editor in a new tab with this report: the \
    wiki's diff for a page that exists, its preview for a new one. Nothing is saved until you \
    press Save there. <strong>Log in to the wiki in this browser first</strong>: the wiki \
    saves only under your account, and it tells you when two edits conflict.";

/// The buttons, the last publish's message, and what the last check found (with the
/// wiki's changes to take or leave).
fn panel_html(state: &Check, published: Option<&str>) -> String {
    let anyway = matches!(
        state,
        Check::Changed(_) | Check::Behind { .. } | Check::Failed(_)
    );
    let not_yet = matches!(state, Check::NotYet);
    let mut out = String::new();
    out.extend([
        "<div class=\"row\"><button type=\"button\" class=\"primary\" data-testid=\"publish\" data-action=\"",
        if not_yet { "check\">" } else if matches!(state, Check::Checking) { "publish\" disabled>" } else { "publish\">" },
        if not_yet { "Check the wiki, then publish" } else if anyway { "Publish anyway" } else { "Publish to the wiki" },
        "</button> <button type=\"button\" data-testid=\"wiki-check\" data-action=\"check\">",
        if published.is_some() { "Refresh from the wiki" } else { "Check for changes on the wiki" },
        "</button></div>",
    ]);
    if let Some(m) = published {
        out.extend([
            "<p class=\"notice ok\" role=\"status\" data-testid=\"publish-message\">",
            &escape_html(m),
            "</p>",
        ]);
    }
    let (class, id, text) = status(state);
    out.extend([
        "<p class=\"",
        class,
        "\" data-testid=\"",
        id,
        "\" role=\"status\">",
        &escape_html(&text),
        "</p>",
    ]);
    if let Check::Changed(c) = state {
        out.extend([
            "<div data-testid=\"wiki-changes\">",
            &changes_html(&c.sections),
            "</div><div class=\"row\"><button type=\"button\" data-testid=\"wiki-rebase\" data-action=\"rebase\">Use these choices and base my draft on the wiki's revision</button> \
             <button type=\"button\" data-testid=\"wiki-stop\" data-action=\"stop\">Stop (change nothing)</button></div>",
        ]);
    }
    out
}

/// What the last check says: the class, test id and text of its line.
fn status(s: &Check) -> (&'static str, &'static str, String) {
    match s {
        Check::NotYet => ("help", "wiki-not-checked", "Before publishing, irdoc reads the page on the wiki to see whether it exists or changed.".into()),
        Check::Checking => ("help", "wiki-checking", "Reading the page on the wiki…".into()),
        Check::NewPage => (
            "notice ok",
            "wiki-new-page",
            "The wiki has no page with this title yet: publishing creates it.".into(),
        ),
        Check::Current { note, .. } => ("notice ok", "wiki-current", note.clone()),
        Check::Behind { revid, .. } => ("notice warn", "wiki-behind", format!(
            "The wiki has revision {revid}, newer than your draft's base: publishing anyway makes the wiki report an edit conflict unless it can merge the two."
        )),
        Check::Failed(e) => ("notice error", "wiki-check-message", e.clone()),
        Check::Changed(c) if c.unrelated => ("notice warn", "wiki-changed", format!(
            "The wiki already has a page with this title (revision {}), and your draft is not based on it. How it differs from your draft:",
            c.latest.revid
        )),
        Check::Changed(c) => ("notice warn", "wiki-changed", format!(
            "The page changed on the wiki since your draft's base: revision {}. What changed there:",
            c.latest.revid
        )),
    }
}

/// Reads the wiki and puts what it found in `state` (once, not inlined at each caller).
#[inline(never)]
fn run_check(
    doc: crate::state::Doc,
    state: RwSignal<Check>,
    taken: StoredValue<Vec<&'static str>>,
) {
    let (w, mine) = (current_wiki(), doc.with_untracked(Report::clone));
    if mine.title.trim().is_empty() {
        return state.set(Check::Failed(
            "the report has no title yet: give it its page title in the Overview step".into(),
        ));
    }
    state.set(Check::Checking);
    taken.set_value(Vec::new());
    leptos::task::spawn_local(async move {
        let text = export(&mine);
        state.set(match check(w.clone(), mine).await {
            // The wiki has the draft's text (it was just published): base the draft on it.
            Ok(Check::Changed(c)) if c.latest.content == text.trim_end() => {
                let origin = c.latest.origin(&w);
                let note = format!(
                    "The wiki's revision {} has your text: the draft is now based on it.",
                    origin.revid
                );
                doc.update(|r| r.wiki = Some(origin));
                Check::Current {
                    now: c.latest.now,
                    note,
                }
            }
            Ok(c) => c,
            Err(e) => Check::Failed(format!("The wiki could not be checked: {e}.")),
        });
    });
}
