//! "Open from the wiki", in the draft library: the wiki irdoc works with (changeable), a
//! page opened by its title or any address of it, and the wiki's incident pages to browse.
//! An opened page becomes a new draft that remembers where it came from; a failure changes
//! nothing.

use irdoc_core::wiki::{matching, Page, Wiki};
use irdoc_core::Report;
use leptos::prelude::*;

use crate::session::use_session;
use crate::wiki::{set_wiki, use_wiki};
use irdoc_core::step::Step;

/// The draft a page read from `wiki` becomes: its text imported as written, its title the
/// page's, and where it came from.
pub fn draft_of(page: &Page, wiki: &Wiki) -> Report {
    Report {
        title: page.title.clone(),
        wiki: Some(page.origin(wiki)),
        ..irdoc_core::import(&page.content).report
    }
}

#[component]
pub fn OpenFromWiki() -> impl IntoView {
    let session = use_session();
    let wiki = use_wiki();
    let input = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let open = move |typed: String| {
        message.set(None);
        let w = wiki.get_untracked();
        let target = match w.target(&typed) {
            Ok(t) => t,
            Err(e) => {
                message.set(Some(format!("Nothing was opened: {e}.")));
                return;
            }
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match crate::wiki::read(&w, &target).await {
                Ok(page) => {
                    session.flush();
                    session.save_as_new(draft_of(&page, &w));
                    let _ = window().location().set_hash(Step::Overview.hash());
                }
                Err(e) => message.set(Some(format!(
                    "Nothing was opened: {e}. Your drafts are unchanged."
                ))),
            }
            busy.set(false);
        });
    };
    let open_typed = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        open(input.get_untracked());
    };
    view! {
        <section class="wiki-open" aria-labelledby="wiki-open-heading" data-testid="wiki-open">
            <h3 id="wiki-open-heading">"Open from the wiki"</h3>
            <WikiChooser />
            <form class="row" on:submit=open_typed>
                <label for="wiki-title" class="visually-hidden">"Page title or address"</label>
                <input id="wiki-title" type="text" class="grow" data-testid="wiki-title"
                    placeholder="Incidents/2025-03-31 sessionstore unavailability, or the page's address"
                    prop:value=move || input.get() on:input=move |ev| input.set(event_target_value(&ev)) />
                <button type="submit" data-testid="wiki-open-page" disabled=move || busy.get()>
                    {move || if busy.get() { "Opening…" } else { "Open" }}
                </button>
            </form>
            {move || message.get().map(|m| view! { <p class="notice error" role="alert" data-testid="wiki-open-message">{m}</p> })}
            <Browse open=Callback::new(move |t: String| open(t)) />
        </section>
    }
}

/// Which wiki: shown, and changed here.
#[component]
fn WikiChooser() -> impl IntoView {
    let wiki = use_wiki();
    let editing = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match set_wiki(&typed.get_untracked()) {
            Ok(_) => {
                problem.set(None);
                editing.set(false);
            }
            Err(e) => problem.set(Some(e)),
        }
    };
    view! {
        <p class="help">
            "Wiki: "
            <a href=move || wiki.with(|w| w.base().to_owned()) target="_blank" rel="noopener" data-testid="wiki-address">
                {move || wiki.with(|w| w.base().to_owned())}
            </a>
            " "
            <button type="button" class="link-button" data-testid="wiki-change" on:click=move |_| {
                typed.set(wiki.get_untracked().base().to_owned());
                editing.update(|e| *e = !*e);
            }>"Change"</button>
        </p>
        <Show when=move || editing.get()>
            <form class="row" on:submit=save>
                <label for="wiki-base">"Wiki address (https; the wiki's /w/api.php and /wiki/ pages are used)"</label>
                <input id="wiki-base" type="url" class="grow" data-testid="wiki-base"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
                <button type="submit" data-testid="wiki-save">"Use this wiki"</button>
                <button type="button" on:click=move |_| { typed.set(irdoc_core::wiki::DEFAULT_WIKI.to_owned()); }>"Wikitech"</button>
            </form>
        </Show>
        {move || problem.get().map(|p| view! { <p class="notice error" role="alert" data-testid="wiki-setting-message">{p}</p> })}
    }
}

/// The wiki's incident pages, newest first, filtered by words in their titles.
#[component]
fn Browse(open: Callback<String>) -> impl IntoView {
    let wiki = use_wiki();
    let titles = RwSignal::new(Vec::<String>::new());
    let next = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let words = RwSignal::new(String::new());
    let load = move |more: bool| {
        let w = wiki.get_untracked();
        let from = if more { next.get_untracked() } else { None };
        busy.set(true);
        message.set(None);
        leptos::task::spawn_local(async move {
            match crate::wiki::list(&w, from.as_deref()).await {
                Ok(list) => {
                    titles.update(|t| {
                        if !more {
                            t.clear();
                        }
                        t.extend(list.titles);
                    });
                    next.set(list.next);
                    loaded.set(Some(w.base().to_owned()));
                }
                Err(e) => message.set(Some(format!("The list could not be loaded: {e}."))),
            }
            busy.set(false);
        });
    };
    // The list is loaded when first shown, and again for another wiki.
    let toggled = move |ev: leptos::ev::Event| {
        let open = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlDetailsElement>(t).ok())
            .is_some_and(|d| d.open());
        let current = wiki.with_untracked(|w| w.base().to_owned());
        if open && loaded.get_untracked().as_deref() != Some(current.as_str()) {
            load(false);
        }
    };
    let shown = Memo::new(move |_| {
        titles.with(|t| {
            words.with(|w| {
                matching(t, w)
                    .into_iter()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        <details class="wiki-browse" data-testid="wiki-browse" on:toggle=toggled>
            <summary>"Browse the wiki's incident reports"</summary>
            <div class="row">
                <label for="wiki-search" class="visually-hidden">"Words in the title"</label>
                <input id="wiki-search" type="search" class="grow" data-testid="wiki-search" placeholder="Words in the title (sessionstore, 2025-03, …)"
                    prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev)) />
                <button type="button" data-testid="wiki-list-reload" disabled=move || busy.get() on:click=move |_| load(false)>"Reload"</button>
            </div>
            {move || message.get().map(|m| view! { <p class="notice error" role="alert" data-testid="wiki-list-message">{m}</p> })}
            {move || busy.get().then(|| view! { <p class="help">"Loading…"</p> })}
            <ul class="wiki-list" data-testid="wiki-list">
                <For each=move || shown.get() key=|t| t.clone() let:title>
                    {
                        let url = wiki.with_untracked(|w| w.page_url(&title));
                        let t = title.clone();
                        view! {
                            <li data-testid="wiki-list-item">
                                <a href=url target="_blank" rel="noopener">{title.clone()}</a>
                                " "
                                <button type="button" data-testid="wiki-list-open" on:click=move |_| open.run(t.clone())>"Open"</button>
                            </li>
                        }
                    }
                </For>
            </ul>
            {move || (loaded.get().is_some() && shown.with(Vec::is_empty) && !busy.get()).then(|| view! {
                <p class="help" data-testid="wiki-list-empty">"No incident pages match."</p>
            })}
            <Show when=move || next.with(Option::is_some)>
                <button type="button" data-testid="wiki-list-more" disabled=move || busy.get() on:click=move |_| load(true)>"Load older reports"</button>
            </Show>
        </details>
    }
}
