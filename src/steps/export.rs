//! Export: the page's wikitext, a rendered preview, the checks and downloads. (Starting
//! from an existing page or document is in the draft library: `start.rs`.)

use irdoc_core::check::Severity;
use irdoc_core::export;
use irdoc_core::preview::render;
use leptos::prelude::*;

use crate::browser::{copy_to_clipboard, download_report, ReportFile};
use crate::fields::TextInput;
use crate::state::use_doc;
use irdoc_core::step::Step;

#[component]
pub fn Export() -> impl IntoView {
    let doc = use_doc();
    let wikitext = Memo::new(move |_| doc.with(export));
    let preview = Memo::new(move |_| wikitext.with(|w| render(w)));
    let derived = doc.derived;
    let copied = RwSignal::new(None::<&'static str>);
    let copy = move |_| {
        let text = wikitext.get_untracked();
        leptos::task::spawn_local(async move {
            copied.set(Some(match copy_to_clipboard(&text).await {
                Ok(()) => "Copied to the clipboard.",
                Err(_) => "The browser did not allow copying: select the text and copy it.",
            }));
        });
    };
    view! {
        <section aria-labelledby="checks-heading" class="checks">
            <h3 id="checks-heading">"Before you publish"</h3>
            {move || derived.with(|d| if d.findings.is_empty() {
                view! { <p class="notice ok" data-testid="checks-clean">"No problems found."</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="checks">
                        {d.findings.iter().map(|f| {
                            let step = Step::for_place(f.place);
                            view! {
                                <li class=match f.severity { Severity::Error => "error", Severity::Warning => "warning" }>
                                    <span class="severity">{match f.severity { Severity::Error => "Error", Severity::Warning => "Warning" }}</span>
                                    " " {f.message.clone()} " "
                                    <a href=step.hash()>{format!("Fix in {}", step.label())}</a>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
        </section>
        <section aria-labelledby="wikitext-heading">
            <h3 id="wikitext-heading">"Wikitext"</h3>
            <div class="row">
                <button type="button" class="primary" data-testid="copy" on:click=copy>"Copy wikitext"</button>
                <button type="button" data-testid="download-wiki"
                    on:click=move |_| doc.with_untracked(|r| download_report(r, ReportFile::Wiki))>"Download .wiki"</button>
                <button type="button" data-testid="download-json"
                    on:click=move |_| doc.with_untracked(|r| download_report(r, ReportFile::Json))>"Download .json"</button>
                {move || copied.get().map(|m| view! { <span class="notice ok" role="status" data-testid="copied">{m}</span> })}
            </div>
            <label for="wikitext" class="visually-hidden">"Wikitext of the report"</label>
            <textarea id="wikitext" class="mono" rows="16" readonly data-testid="wikitext" prop:value=move || wikitext.get()></textarea>
        </section>
        <section aria-labelledby="preview-heading">
            <h3 id="preview-heading">"Preview"</h3>
            <div class="preview wiki" data-testid="preview" inner_html=move || preview.get()></div>
        </section>
        <OtherSections />
        <crate::wiki_publish::WikiPublish />
        <crate::share::SharePanel />
        <p class="help" data-testid="import-moved">"To start from an existing page or document, use "<a href="#/drafts">"Start a report"</a>" in the draft library."</p>
    }
}

/// Sections of an imported page that irdoc has no step for, kept as written and editable here.
#[component]
fn OtherSections() -> impl IntoView {
    let doc = use_doc();
    let ids = doc.shape(|r| r.extra.iter().map(|x| x.id).collect::<Vec<_>>());
    view! {
        <Show when=move || !ids.with(Vec::is_empty)>
            <section aria-labelledby="other-heading" data-testid="other-sections">
                <h3 id="other-heading">"Other sections"</h3>
                <p class="help">"Sections of the imported page that have no step of their own, kept where they were in the page. Edit them as wikitext."</p>
                <For each=move || ids.get() key=|id| *id let:id>
                    {
                        let title = doc.with_untracked(|r| r.extra.iter().find(|x| x.id == id).map(|x| x.title.clone()).unwrap_or_default());
                        let body = Memo::new(move |_| doc.with(|r| r.extra.iter().find(|x| x.id == id).map(|x| x.body.clone()).unwrap_or_default()));
                        view! {
                            <TextInput id=format!("extra-{id}") label=title multiline=true rows=8 value=body
                                on_input=Callback::new(move |v: String| doc.update(|r| if let Some(x) = r.extra.iter_mut().find(|x| x.id == id) { x.body = v })) />
                        }
                    }
                </For>
            </section>
        </Show>
    }
}
