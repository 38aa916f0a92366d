//! Overview: page title, status and the `{{Incident scorecard}}` metadata box.

use irdoc_core::analysis::format_duration;
use irdoc_core::model::{MetaField, Status, When};
use leptos::prelude::*;

use crate::fields::TextInput;
use crate::state::{set_text, text_is_wiki, text_value, use_doc, FieldMut, FieldRef};

#[component]
pub fn Overview() -> impl IntoView {
    let doc = use_doc();
    let title = Memo::new(move |_| doc.with(|r| r.title.clone()));
    let suggestion = Memo::new(move |_| {
        doc.with(|r| {
            r.suggested_title()
                .filter(|s| !r.title.starts_with(s.as_str()))
        })
    });
    let derived = doc.derived;
    view! {
        <TextInput id="title" label="Page title" help="The wiki page: Incidents/YYYY-MM-DD Short description."
            value=title placeholder="Incidents/2026-01-31 Short description"
            on_input=Callback::new(move |v| doc.update(|r| r.title = v)) />
        {move || suggestion.get().map(|s| view! {
            <p class="hint">
                <button type="button" class="link-button" data-testid="use-title-suggestion"
                    on:click=move |_| doc.update(|r| r.title = format!("{s}{}", r.title.trim_start()))>
                    {format!("Start the title with “{}”", suggestion.get().unwrap_or_default())}
                </button>
            </p>
        })}
        <StatusChoice />
        <fieldset class="metadata">
            <legend>"Incident scorecard box"</legend>
            <MetaInput field=MetaField::Task get=|r| &r.metadata.task get_mut=|r| &mut r.metadata.task />
            <MetaInput field=MetaField::PagedNum get=|r| &r.metadata.paged_num get_mut=|r| &mut r.metadata.paged_num />
            <MetaInput field=MetaField::RespondersNum get=|r| &r.metadata.responders_num get_mut=|r| &mut r.metadata.responders_num />
            <MetaInput field=MetaField::Coordinators get=|r| &r.metadata.coordinators get_mut=|r| &mut r.metadata.coordinators />
            <TimeInput field=MetaField::Start get=|r| &r.metadata.start get_mut=|r| &mut r.metadata.start />
            <TimeInput field=MetaField::End get=|r| &r.metadata.end get_mut=|r| &mut r.metadata.end />
            <p class="figure" data-testid="duration">
                "Duration: "
                <strong>{move || derived.with(|d| d.figures.outage.map_or_else(|| "— (needs a start and an end)".into(), |(d, _)| format_duration(d)))}</strong>
            </p>
            <MetaInput field=MetaField::Metrics get=|r| &r.metadata.metrics get_mut=|r| &mut r.metadata.metrics />
            <MetaInput field=MetaField::Impact get=|r| &r.metadata.impact get_mut=|r| &mut r.metadata.impact />
        </fieldset>
    }
}

#[component]
fn StatusChoice() -> impl IntoView {
    let doc = use_doc();
    let status = Memo::new(move |_| doc.with(|r| r.status));
    view! {
        <fieldset class="status" data-testid="status">
            <legend>"Status"</legend>
            {Status::ALL.into_iter().map(|s| view! {
                <label class="choice">
                    <input type="radio" name="status" value=s.as_str() data-testid=format!("status-{}", s.as_str())
                        prop:checked=move || status.get() == s
                        on:change=move |_| doc.update(|r| r.status = s) />
                    {s.as_str()}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn MetaInput(
    field: MetaField,
    get: FieldRef<irdoc_core::Text>,
    get_mut: FieldMut<irdoc_core::Text>,
) -> impl IntoView {
    let doc = use_doc();
    view! {
        <TextInput id=format!("meta-{}", field.key()) label=field.label() help=field.help()
            value=text_value(doc, get) wiki=text_is_wiki(doc, get)
            on_input=Callback::new(move |v| set_text(doc, get_mut, v)) />
    }
}

/// A start or end time in UTC: a date-time picker over the box's `YYYY-MM-DD hh:mm` text.
#[component]
fn TimeInput(
    field: MetaField,
    get: FieldRef<irdoc_core::Text>,
    get_mut: FieldMut<irdoc_core::Text>,
) -> impl IntoView {
    let doc = use_doc();
    let text = text_value(doc, get);
    let id = format!("meta-{}", field.key());
    // The picker shows the value only when it is a full date-time; other text stays as typed.
    let picker_value = move || match When::read(&text.get()) {
        Some(When::DateTime(dt)) => {
            use chrono::Timelike;
            format!("{}T{:02}:{:02}", dt.date(), dt.hour(), dt.minute())
        }
        _ => String::new(),
    };
    let unreadable = move || {
        let t = text.get();
        (!t.trim().is_empty() && !matches!(When::read(&t), Some(When::DateTime(_)))).then_some(t)
    };
    view! {
        <div class="field">
            <label for=id.clone()>{field.label()}</label>
            <input id=id.clone() type="datetime-local" step="60" data-testid=id.clone()
                aria-describedby=format!("{id}-help") prop:value=picker_value
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    // The picker gives `YYYY-MM-DDTHH:MM`; the box is written `YYYY-MM-DD HH:MM`.
                    let value = match v.parse::<When>() {
                        Ok(when @ When::DateTime(_)) => when.to_string(),
                        _ => v,
                    };
                    set_text(doc, get_mut, value);
                } />
            <p class="help" id=format!("{id}-help")>
                {field.help()}
                {move || unreadable().map(|t| view! {
                    <span class="warn">{format!(" The box says “{t}”: pick a date and time to replace it.")}</span>
                })}
            </p>
        </div>
    }
}
