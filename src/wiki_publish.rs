//! Publishing to the wiki (in the Export step): check the page's latest revision against the
//! draft's base, show what changed on the wiki since and let the author take the wiki's
//! version of a section or keep theirs, then open the wiki's own editor in a new tab with the
//! export loaded (its diff, or its preview for a new page). The author saves there.

use irdoc_core::compare::{can_take, changes, take, DiffLine, SectionChange};
use irdoc_core::wiki::{Page, Publish, Target, WikiError};
use irdoc_core::{export, Report};
use leptos::prelude::*;

use crate::state::use_doc;
use crate::wiki::{now_timestamp, submit, use_wiki};

/// What the last check of the wiki found.
#[derive(Clone, Debug, PartialEq)]
enum Check {
    NotYet,
    Checking,
    /// The draft is based on the page's latest revision.
    Current {
        revid: u64,
        /// The wiki's clock then.
        now: String,
        note: Option<String>,
    },
    /// The author stopped at the wiki's changes: the draft stays based on an older revision.
    Behind {
        revid: u64,
        now: String,
    },
    /// No such page yet: publishing creates it.
    NewPage,
    /// The wiki has a revision the draft is not based on.
    Changed(Box<Changed>),
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
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

/// Reads the page's latest revision and compares it with the draft's base.
async fn check(wiki: irdoc_core::wiki::Wiki, mine: Report) -> Result<Check, WikiError> {
    let title = mine.title.trim().to_owned();
    let base = mine
        .wiki
        .as_ref()
        .and_then(|o| o.base_for(&wiki, &title))
        .map(|(revid, _)| revid);
    let latest = match crate::wiki::read(&wiki, &Target::Title(title)).await {
        Err(WikiError::Missing { .. }) => return Ok(Check::NewPage),
        other => other?,
    };
    if base == Some(latest.revid) {
        return Ok(Check::Current {
            revid: latest.revid,
            now: latest.now,
            note: None,
        });
    }
    let theirs = irdoc_core::import(&latest.content).report;
    let (before, unrelated) = match base {
        Some(revid) => {
            let base_page = crate::wiki::read(&wiki, &Target::Revision(revid)).await?;
            (irdoc_core::import(&base_page.content).report, false)
        }
        None => (mine.clone(), true),
    };
    Ok(Check::Changed(Box::new(Changed {
        sections: changes(&before, &theirs),
        latest,
        theirs,
        unrelated,
    })))
}

#[component]
pub fn WikiPublish() -> impl IntoView {
    let doc = use_doc();
    let wiki = use_wiki();
    let state = RwSignal::new(Check::NotYet);
    let published = RwSignal::new(None::<String>);
    let origin = Memo::new(move |_| doc.with(|r| r.wiki.clone()));
    let title = Memo::new(move |_| doc.with(|r| r.title.trim().to_owned()));
    let based = Memo::new(move |_| {
        let (o, t) = (origin.get(), title.get());
        wiki.with(|w| o.is_some_and(|o| o.base_for(w, &t).is_some()))
    });
    let summary = RwSignal::new(String::new());
    Effect::new(move |_| {
        summary.set(if based.get() {
            "Updated with irdoc".to_owned()
        } else {
            "New incident report (written with irdoc)".to_owned()
        });
    });
    let run_check = move || {
        if title.get_untracked().is_empty() {
            state.set(Check::Failed(
                "the report has no title yet: give it its page title in the Overview step".into(),
            ));
            return;
        }
        state.set(Check::Checking);
        let (w, mine) = (wiki.get_untracked(), doc.with_untracked(Report::clone));
        leptos::task::spawn_local(async move {
            let text = export(&mine);
            let outcome = match check(w.clone(), mine).await {
                // The wiki has the draft's text (it was just published): base the draft on it.
                Ok(Check::Changed(c)) if c.latest.content == text.trim_end() => {
                    let origin = c.latest.origin(&w);
                    let revid = origin.revid;
                    doc.update(|r| r.wiki = Some(origin));
                    Check::Current {
                        revid,
                        now: c.latest.now.clone(),
                        note: Some(format!(
                            "The wiki's revision {revid} has your text: the draft is now based on it."
                        )),
                    }
                }
                Ok(c) => c,
                Err(e) => Check::Failed(e.to_string()),
            };
            state.set(outcome);
        });
    };
    // Checked once when the step opens, and on demand.
    Effect::new(move |first: Option<()>| {
        if first.is_none() {
            run_check();
        }
    });
    let publish = move |_| {
        let w = wiki.get_untracked();
        let form = doc.with_untracked(|r| {
            let text = export(r);
            let base = r.wiki.as_ref().and_then(|o| o.base_for(&w, r.title.trim()));
            let started = match state.get_untracked() {
                Check::Changed(c) => c.latest.now.clone(),
                Check::Current { now, .. } | Check::Behind { now, .. } if !now.is_empty() => now,
                _ => now_timestamp(),
            };
            w.publish_form(&Publish {
                title: r.title.trim(),
                text: &text,
                summary: &summary.get_untracked(),
                base,
                started: &started,
            })
        });
        published.set(Some(match submit(&form) {
            Ok(()) => "The wiki's editor opened in a new tab with your text: review the changes there and press “Save changes” (or “Save page”). Then come back and press “Refresh from the wiki”.".into(),
            Err(e) => format!("Nothing was published: {e}."),
        }));
    };
    let page_link = move || {
        let url = wiki.with(|w| w.page_url(&title.get()));
        view! { <a href=url target="_blank" rel="noopener" data-testid="publish-page-link">{title.get()}</a> }
    };
    view! {
        <section class="wiki-publish" aria-labelledby="publish-heading" data-testid="wiki-publish">
            <h3 id="publish-heading">"Publish to the wiki"</h3>
            <p class="help">
                "Publishing opens "{move || wiki.with(|w| w.host().to_owned())}"'s own editor in a new tab with this report loaded: the wiki's diff for a page that exists, its preview for a new one. Nothing is saved until you press Save there. "
                <strong>"Log in to the wiki in this browser first"</strong>
                ": the wiki saves only under your account, and it tells you when two edits conflict."
            </p>
            <p data-testid="publish-target">
                {move || if based.get() { "Page: " } else { "New page: " }}
                {page_link}
                {move || origin.get().filter(|_| based.get()).map(|o| format!(" (your draft is based on revision {})", o.revid))}
            </p>
            <label for="publish-summary">"Edit summary"</label>
            <input id="publish-summary" type="text" data-testid="publish-summary"
                prop:value=move || summary.get() on:input=move |ev| summary.set(event_target_value(&ev)) />
            <div class="row">
                <button type="button" class="primary" data-testid="publish"
                    disabled=move || matches!(state.get(), Check::Checking) || title.with(String::is_empty)
                    on:click=publish>
                    {move || match state.get() {
                        Check::Changed(_) | Check::Behind { .. } | Check::Failed(_) => "Publish anyway",
                        _ => "Publish to the wiki",
                    }}
                </button>
                <button type="button" data-testid="wiki-check" disabled=move || matches!(state.get(), Check::Checking)
                    on:click=move |_| run_check()>
                    {move || if published.with(Option::is_some) { "Refresh from the wiki" } else { "Check for changes on the wiki" }}
                </button>
            </div>
            {move || published.get().map(|m| view! { <p class="notice ok" role="status" data-testid="publish-message">{m}</p> })}
            <div data-testid="wiki-check-result" role="status">
                {move || match state.get() {
                    Check::NotYet => ().into_any(),
                    Check::Checking => view! { <p class="help">"Reading the page on the wiki…"</p> }.into_any(),
                    Check::NewPage => view! { <p class="notice ok" data-testid="wiki-new-page">"The wiki has no page with this title yet: publishing creates it."</p> }.into_any(),
                    Check::Behind { revid, .. } => view! {
                        <p class="notice warn" data-testid="wiki-behind">{format!("The wiki has revision {revid}, newer than your draft's base: if you publish anyway, the wiki reports an edit conflict unless it can merge the two.")}</p>
                    }.into_any(),
                    Check::Current { revid, note, .. } => view! {
                        <p class="notice ok" data-testid="wiki-current">{note.unwrap_or_else(|| format!("Up to date: the wiki's latest revision is {revid}, the one your draft is based on."))}</p>
                    }.into_any(),
                    Check::Failed(e) => view! { <p class="notice error" role="alert" data-testid="wiki-check-message">{format!("The wiki could not be checked: {e}.")}</p> }.into_any(),
                    Check::Changed(c) => view! { <WikiChanges changed=*c state /> }.into_any(),
                }}
            </div>
        </section>
    }
}

/// What changed on the wiki since the draft's base, with the wiki's version of each section
/// to take or leave.
#[component]
fn WikiChanges(changed: Changed, state: RwSignal<Check>) -> impl IntoView {
    let doc = use_doc();
    let wiki = use_wiki();
    let Changed {
        latest,
        theirs,
        sections,
        unrelated,
    } = changed;
    let taken = RwSignal::new(Vec::<&'static str>::new());
    let theirs = StoredValue::new(theirs);
    let origin = wiki.with_untracked(|w| latest.origin(w));
    let revid = latest.revid;
    let now = latest.now.clone();
    let wiki_now = now.clone();
    let apply = move |_| {
        let chosen = taken.get_untracked();
        let origin = origin.clone();
        doc.update(|r| {
            theirs.with_value(|t| {
                for section in &chosen {
                    take(r, t, section);
                }
            });
            r.wiki = Some(origin);
        });
        state.set(Check::Current {
            revid,
            now: wiki_now.clone(),
            note: Some(format!(
                "Your draft is now based on the wiki's revision {revid}{}.",
                if chosen.is_empty() {
                    String::new()
                } else {
                    format!(", with the wiki's {}", chosen.join(", "))
                }
            )),
        });
    };
    let intro = if unrelated {
        format!("The wiki already has a page with this title (revision {revid}), and your draft is not based on it. How the wiki's page differs from your draft:")
    } else {
        format!("The page changed on the wiki since your draft's base: revision {revid}. What changed there:")
    };
    view! {
        <section class="changes" data-testid="wiki-changes">
            <p class="notice warn">{intro}</p>
            {sections.is_empty().then(|| view! { <p>"Nothing in the report's sections (only spacing or markup irdoc does not show)."</p> })}
            {sections.into_iter().map(|c| {
                let section = c.section;
                let takeable = can_take(section);
                let is_taken = move || taken.with(|t| t.contains(&section));
                view! {
                    <div class="wiki-change" data-testid="wiki-change" data-section=section>
                        <h4>{section}</h4>
                        <pre class="diff">
                            {c.lines.into_iter().filter(|l| !matches!(l, DiffLine::Same(_))).map(|l| match l {
                                DiffLine::Added(t) => view! { <ins>{format!("+ {t}\n")}</ins> }.into_any(),
                                DiffLine::Removed(t) => view! { <del>{format!("− {t}\n")}</del> }.into_any(),
                                DiffLine::Same(_) => ().into_any(),
                            }).collect_view()}
                        </pre>
                        {if takeable {
                            view! {
                                <div class="row" role="group" aria-label=format!("{section}: which version")>
                                    <label><input type="radio" name=format!("take-{section}") data-testid="keep-mine" prop:checked=move || !is_taken()
                                        on:change=move |_| taken.update(|t| t.retain(|s| *s != section)) />" Keep mine"</label>
                                    <label><input type="radio" name=format!("take-{section}") data-testid="take-wiki" prop:checked=is_taken
                                        on:change=move |_| taken.update(|t| if !t.contains(&section) { t.push(section) }) />" Take the wiki's"</label>
                                </div>
                            }.into_any()
                        } else {
                            view! { <p class="help">"Edit these by hand in the Export step's Other sections if you want the wiki's version."</p> }.into_any()
                        }}
                    </div>
                }
            }).collect_view()}
            <div class="row">
                <button type="button" data-testid="wiki-rebase" on:click=apply>{format!("Use these choices and base my draft on revision {revid}")}</button>
                <button type="button" data-testid="wiki-stop" on:click=move |_| state.set(Check::Behind { revid, now: now.clone() })>"Stop (change nothing)"</button>
            </div>
        </section>
    }
}
