//! "Open from the wiki", in the draft library: the wiki irdoc works with (changeable), a
//! page opened by its title or any address of it, and the wiki's incident pages to browse.
//! An opened page becomes a new draft that remembers where it came from; a failure changes
//! nothing.
//!
//! Kept lean for the wasm budget: a few signals of types the app has anyway, and lists
//! rendered from one closure.

use irdoc_core::preview::escape_html;
use irdoc_core::wiki::{list_html, matching, Page, Wiki};
use irdoc_core::Report;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::session::use_session;
use crate::wiki::{current_wiki, set_wiki, use_wiki};
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
    let base = use_wiki();
    // Every message of this section: opening, the setting, the list.
    let message = RwSignal::new(None::<String>);
    let open = move |typed: String| open_page(session, message, typed);
    // The incident pages, loaded on demand (all of them, 500 a request).
    let titles = RwSignal::new(None::<Vec<String>>);
    let words = RwSignal::new(String::new());
    let load = move |()| {
        let w = current_wiki();
        message.set(None);
        leptos::task::spawn_local(async move {
            let mut all = Vec::new();
            let mut from = None;
            let outcome = loop {
                match crate::wiki::list(&w, from.as_deref()).await {
                    Ok(list) => {
                        all.extend(list.titles);
                        from = list.next;
                        if from.is_none() || all.len() >= 10_000 {
                            break Ok(all);
                        }
                    }
                    Err(e) => break Err(e),
                }
            };
            match outcome {
                Ok(all) => titles.set(Some(all)),
                Err(e) => message.set(Some(format!("The list could not be loaded: {e}."))),
            }
        });
    };
    // The section is HTML (the forms, the list); its events arrive here.
    let pick = move |ev: leptos::ev::MouseEvent| {
        let clicked = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let Some(clicked) = clicked else { return };
        match clicked.get_attribute("data-action").as_deref() {
            Some("browse") => load(()),
            Some("open") => open(clicked.get_attribute("data-open").unwrap_or_default()),
            _ => {}
        }
    };
    let submitted = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let Some(form) = form else { return };
        let value = form
            .query_selector("input")
            .ok()
            .flatten()
            .and_then(|i| i.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(|i| i.value())
            .unwrap_or_default();
        if form.id() == "wiki-setting" {
            match set_wiki(&value) {
                Ok(_) => {
                    message.set(None);
                    titles.set(None);
                }
                Err(e) => message.set(Some(e)),
            }
        } else {
            open(value);
        }
    };
    let forms = move || forms_html(&base.get());
    let note = move || {
        message.with(|m| {
            m.as_deref().map_or(String::new(), |m| {
                format!(
                    "<p class=\"notice error\" role=\"alert\" data-testid=\"wiki-open-message\">{}</p>",
                    escape_html(m)
                )
            })
        })
    };
    let list = move || {
        titles.with(|t| {
            let t = t.as_deref().unwrap_or_default();
            words.with(|w| list_html(&current_wiki(), &matching(t, w)))
        })
    };
    view! {
        <section class="wiki-open" aria-labelledby="wiki-open-heading" data-testid="wiki-open" on:submit=submitted on:click=pick>
            <div inner_html=forms></div>
            <div inner_html=note></div>
            <div hidden=move || titles.with(Option::is_none)>
                <label for="wiki-search" class="visually-hidden">"Words in the title"</label>
                <input id="wiki-search" type="search" data-testid="wiki-search" placeholder="Words in the title (sessionstore, 2025-03, …)"
                    on:input=move |ev| words.set(event_target_value(&ev)) />
                <ul class="wiki-list" data-testid="wiki-list" inner_html=list></ul>
            </div>
        </section>
    }
}

/// The heading and the two forms: the wiki, and the page to open.
fn forms_html(base: &str) -> String {
    format!(
        "<h3 id=\"wiki-open-heading\">Open from the wiki</h3>\
         <form class=\"row\" id=\"wiki-setting\"><label for=\"wiki-base\" class=\"grow\">Wiki (https; its /w/api.php and /wiki/ pages are used) \
         <input id=\"wiki-base\" type=\"url\" data-testid=\"wiki-base\" value=\"{}\"></label>\
         <button type=\"submit\" data-testid=\"wiki-save\">Use this wiki</button></form>\
         <form class=\"row\" id=\"wiki-page\"><label for=\"wiki-title\" class=\"visually-hidden\">Page title or address</label>\
         <input id=\"wiki-title\" type=\"text\" class=\"grow\" data-testid=\"wiki-title\" \
         placeholder=\"Incidents/2025-03-31 sessionstore unavailability, or the page's address\">\
         <button type=\"submit\" data-testid=\"wiki-open-page\">Open</button>\
         <button type=\"button\" data-testid=\"wiki-browse\" data-action=\"browse\">Browse incident reports</button></form>",
        escape_html(base)
    )
}

/// Reads `typed` (a title or address) from the wiki into a new draft, or says why not (once,
/// not inlined at each caller).
#[inline(never)]
fn open_page(session: crate::session::Session, message: RwSignal<Option<String>>, typed: String) {
    message.set(None);
    let w = current_wiki();
    let target = match w.target(&typed) {
        Ok(t) => t,
        Err(e) => return message.set(Some(format!("Nothing was opened: {e}."))),
    };
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
    });
}
