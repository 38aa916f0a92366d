//! Export and import: the page's wikitext, a rendered preview, the checks, downloads, and
//! reading an existing page or JSON report back in.

use irdoc_core::check::Severity;
use irdoc_core::export;
use irdoc_core::open::{read_any_with, Opened, Readers};
use irdoc_core::preview::render;
use leptos::prelude::*;

use crate::browser::{chosen_file, copy_to_clipboard, download_report, file_text, ReportFile};
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
        <Import />
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

/// Paste an existing page's wikitext, or open a .wiki or .json file, and keep editing it.
#[component]
fn Import() -> impl IntoView {
    let doc = use_doc();
    let pasted = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let load = move |name: &str, bytes: &[u8]| {
        let opened =
            read_any_with(name, bytes, &Readers::pages_and_files()).and_then(
                |opened| match opened {
                    // A page has no title of its own: the one being written stays.
                    Opened::Page(page) => Ok((
                        irdoc_core::Report {
                            title: doc.with_untracked(|r| r.title.clone()),
                            ..page.report
                        },
                        page.warnings,
                        "Imported",
                    )),
                    other => other.into_report().map(|r| (r, Vec::new(), "Opened")),
                },
            );
        match opened {
            Ok((report, warnings, done)) => {
                doc.set(report);
                let notes: Vec<String> = warnings.iter().map(ToString::to_string).collect();
                let kept = if notes.is_empty() {
                    String::new()
                } else {
                    format!(" Kept as written: {}", notes.join("; "))
                };
                message.set(Some((true, format!("{done} {name}.{kept}"))));
            }
            Err(e) => message.set(Some((
                false,
                format!("{name} could not be opened: {e}. Nothing was changed."),
            ))),
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = chosen_file(&ev) else { return };
        leptos::task::spawn_local(async move {
            let name = file.name();
            match file_text(&file).await {
                Some(text) => load(&name, text.as_bytes()),
                None => message.set(Some((false, format!("{name} could not be read as text.")))),
            }
        });
    };
    view! {
        <section aria-labelledby="import-heading" class="import">
            <h3 id="import-heading">"Import"</h3>
            <p class="help">"Importing replaces what is in the editor. Sections irdoc has no field for are kept as written."</p>
            <label for="import-text">"Paste an existing page's wikitext"</label>
            <textarea id="import-text" class="mono" rows="6" data-testid="import-text"
                prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
            <div class="row">
                <button type="button" data-testid="import-paste" on:click=move |_| load("the pasted page", pasted.get_untracked().as_bytes())>"Import pasted page"</button>
                <label class="file">"Or open a file"
                    <input type="file" accept=".wiki,.txt,.json,text/plain,application/json" data-testid="import-file" on:change=on_file />
                </label>
            </div>
            {move || message.get().map(|(ok, m)| view! { <p class=if ok { "notice ok" } else { "notice error" } role="status" data-testid="import-message">{m}</p> })}
        </section>
    }
}
