//! Small form building blocks shared by the steps.

use leptos::prelude::*;

/// A labelled text input or text area, with help text and a marker for wikitext content.
#[component]
pub fn TextInput(
    /// The control's id; labels and help point at it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    #[prop(optional)] help: &'static str,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(optional)] multiline: bool,
    /// Rows of a text area.
    #[prop(default = 6)]
    rows: u32,
    #[prop(optional, into)] wiki: Option<Signal<bool>>,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    let help_id = format!("{id}-help");
    let described = (!help.is_empty()).then(|| help_id.clone());
    let input = move |ev: leptos::ev::Event| on_input.run(event_target_value(&ev));
    let control = if multiline {
        view! {
            <textarea id=id.clone() rows=rows aria-describedby=described.clone() placeholder=placeholder
                prop:value=move || value.get() on:input=input data-testid=id.clone()></textarea>
        }
        .into_any()
    } else {
        view! {
            <input id=id.clone() type="text" aria-describedby=described.clone() placeholder=placeholder
                prop:value=move || value.get() on:input=input data-testid=id.clone() />
        }
        .into_any()
    };
    view! {
        <div class="field">
            <label for=id.clone()>
                {label}
                {wiki.map(|w| view! {
                    <Show when=move || w.get()>
                        <span class="badge" title="Kept as wikitext: markup you type here goes to the wiki as written.">"wikitext"</span>
                    </Show>
                })}
            </label>
            {control}
            {(!help.is_empty()).then(|| view! { <p class="help" id=help_id.clone()>{help}</p> })}
        </div>
    }
}
