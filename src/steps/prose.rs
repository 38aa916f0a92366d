//! Summary, Detection and Links: wikitext the author writes, with the template's guidance.

use leptos::prelude::*;

use crate::fields::TextInput;
use crate::state::{use_doc, FieldMut, FieldRef};

/// One prose section: a text area and what good looks like.
#[component]
pub fn Prose(
    id: &'static str,
    label: &'static str,
    get: FieldRef<String>,
    get_mut: FieldMut<String>,
    guidance: &'static [&'static str],
) -> impl IntoView {
    let doc = use_doc();
    let value = Memo::new(move |_| doc.with(|r| get(r).clone()));
    view! {
        <div class="prose-step">
            <TextInput id=id label=label multiline=true rows=14 value=value
                help="Wikitext: links, templates and lists are kept as you write them."
                on_input=Callback::new(move |v| doc.update(|r| *get_mut(r) = v)) />
            <aside class="guidance" aria-label=format!("What a good {} has", label.to_lowercase())>
                <h3>"What good looks like"</h3>
                <ul>{guidance.iter().map(|g| view! { <li>{*g}</li> }).collect_view()}</ul>
            </aside>
        </div>
    }
}

pub const SUMMARY_GUIDANCE: &[&str] = &[
    "What happened, in two to four sentences a reader outside the team understands.",
    "Who was affected and how: users, editors, tools, other services.",
    "How long it lasted and how it was resolved.",
    "Link the task and any earlier incident it repeats.",
];

pub const DETECTION_GUIDANCE: &[&str] = &[
    "How the problem was first noticed: an alert, a page, a user report.",
    "Quote the alert that fired, in <pre>, and say whether it was the right one.",
    "If detection was late or by a human, what alert would have caught it sooner.",
];

pub const LINKS_GUIDANCE: &[&str] = &[
    "Runbooks, dashboards and documentation the responders used or lacked.",
    "One item per line: * [[Page]] or * [https://… Title].",
];
