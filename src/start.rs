//! Starting a report, in one place (the draft library, reached from the header): a new
//! report, a new lightweight report, pasting or dropping a document, opening a file.
//!
//! A document (a Google Doc, a rendered wiki page, Markdown, plain text) is converted by the
//! core and its review shown first; the author opens it as a new draft or cancels. The
//! draft being edited is never replaced.

use irdoc_core::convert::{self, looks_like_wikitext, Options};
use irdoc_core::open::{read_any_with, read_as_with, Format, Opened, Readers};
use irdoc_core::score::score;
use irdoc_core::step::Step;
use irdoc_core::Report;
use leptos::prelude::*;

use crate::browser::{chosen_file, file_text};
use crate::session::use_session;

/// What was read, waiting for the author to accept it.
#[derive(Clone)]
struct Pending {
    name: String,
    report: Report,
    lines: Vec<String>,
}

/// The last input, kept to read again when the time zone changes.
#[derive(Clone)]
struct Input {
    name: String,
    text: String,
    /// The `text/html` flavour of a paste.
    html: Option<String>,
    /// Read by its name's extension (a file), else by its content.
    by_name: bool,
}

/// Offsets the time-zone menu offers, in minutes east of UTC.
const OFFSETS: [i32; 29] = [
    0, 60, 120, 180, 240, 270, 300, 330, 345, 360, 420, 480, 540, 570, 600, 660, 720, 780, 840,
    -60, -120, -180, -210, -240, -300, -360, -420, -480, -600,
];

fn offset_label(m: i32) -> String {
    if m == 0 {
        return "UTC (as the wiki wants)".into();
    }
    let sign = if m < 0 { '−' } else { '+' };
    format!("UTC{sign}{}:{:02}", m.abs() / 60, m.abs() % 60)
}

/// A short account of a report read from a page or a report file.
fn summary(report: &Report) -> String {
    let s = score(&report.scorecard);
    format!(
        "{} timeline entries, {} actionables, {} of {} scorecard answers",
        report.timeline.item_count(),
        report.actionables.item_count(),
        s.questions - s.unanswered,
        s.questions
    )
}

fn read(input: &Input, offset: i32) -> Result<Pending, String> {
    let readers = Readers {
        html: Some(crate::convert::parse_html),
        convert: Options {
            utc_offset_minutes: offset,
        },
    };
    // A page's source copied from an editor may come with an HTML flavour: the text wins.
    let opened = match &input.html {
        Some(html)
            if !looks_like_wikitext(&input.text) && !input.text.trim_start().starts_with('{') =>
        {
            Ok(Opened::Document(convert::to_report(
                &crate::convert::parse_html(html),
                &readers.convert,
            )))
        }
        _ if input.by_name => read_any_with(&input.name, input.text.as_bytes(), &readers),
        _ => read_as_with(Format::of_content(&input.text), &input.text, &readers),
    };
    let pending = |report: Report, lines: Vec<String>| Pending {
        name: input.name.clone(),
        report,
        lines,
    };
    match opened.map_err(|e| e.to_string())? {
        Opened::Document(c) => Ok(pending(c.report, c.review.lines())),
        Opened::Page(page) => {
            let mut lines = vec![format!("A wiki page: {}", summary(&page.report))];
            lines.extend(
                page.warnings
                    .iter()
                    .map(|w| format!("Kept as written: {w}")),
            );
            Ok(pending(page.report, lines))
        }
        other => {
            let report = other.into_report().map_err(|e| e.to_string())?;
            let title = if report.title.is_empty() {
                "untitled"
            } else {
                report.title.as_str()
            };
            let line = format!("A report file, “{title}”: {}", summary(&report));
            Ok(pending(report, vec![line]))
        }
    }
}

#[component]
pub fn StartPanel() -> impl IntoView {
    let session = use_session();
    let pasted = RwSignal::new(String::new());
    let offset = RwSignal::new(0i32);
    let last = RwSignal::new(None::<Input>);
    let pending = RwSignal::new(None::<Pending>);
    let message = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);

    let run = move |input: Input| {
        match read(&input, offset.get_untracked()) {
            Ok(p) => {
                pending.set(Some(p));
                message.set(None);
            }
            Err(e) => {
                pending.set(None);
                message.set(Some(format!(
                    "{} could not be read: {e}. Nothing was changed.",
                    input.name
                )));
            }
        }
        last.set(Some(input));
    };
    let new_report = move |report: Report| {
        session.flush();
        session.new_draft(report);
        let _ = window().location().set_hash(Step::Overview.hash());
    };
    let accept = move |_| {
        if let Some(p) = pending.get_untracked() {
            session.flush();
            session.save_as_new(p.report);
            pending.set(None);
            pasted.set(String::new());
            let _ = window().location().set_hash(Step::Overview.hash());
        }
    };
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let Some(data) = ev.clipboard_data() else {
            return;
        };
        let html = data
            .get_data("text/html")
            .ok()
            .filter(|h| !h.trim().is_empty());
        let text = data.get_data("text/plain").unwrap_or_default();
        if html.is_none() && text.is_empty() {
            return;
        }
        // The textarea shows the text; the HTML flavour is read, never inserted.
        ev.prevent_default();
        pasted.set(text.clone());
        run(Input {
            name: "the pasted document".into(),
            text,
            html,
            by_name: false,
        });
    };
    let read_typed = move |_| {
        let text = pasted.get_untracked();
        if !text.trim().is_empty() {
            run(Input {
                name: "the pasted document".into(),
                text,
                html: None,
                by_name: false,
            });
        }
    };
    let open_file = move |file: web_sys::File| {
        leptos::task::spawn_local(async move {
            let name = file.name();
            match file_text(&file).await {
                Some(text) => run(Input {
                    name,
                    text,
                    html: None,
                    by_name: true,
                }),
                None => message.set(Some(format!(
                    "{name} could not be read as text. Nothing was changed."
                ))),
            }
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        if let Some(file) = chosen_file(&ev) {
            open_file(file);
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let Some(data) = ev.data_transfer() else {
            return;
        };
        if let Some(file) = data.files().and_then(|f| f.get(0)) {
            open_file(file);
            return;
        }
        let html = data
            .get_data("text/html")
            .ok()
            .filter(|h| !h.trim().is_empty());
        let text = data.get_data("text/plain").unwrap_or_default();
        if html.is_some() || !text.is_empty() {
            pasted.set(text.clone());
            run(Input {
                name: "the dropped document".into(),
                text,
                html,
                by_name: false,
            });
        }
    };
    let on_offset = move |ev: leptos::ev::Event| {
        offset.set(event_target_value(&ev).parse().unwrap_or(0));
        if let (Some(input), true) = (
            last.get_untracked(),
            pending.with_untracked(Option::is_some),
        ) {
            run(input);
        }
    };

    view! {
        <section class="start" aria-labelledby="start-heading" data-testid="start">
            <h2 id="start-heading">"Start a report"</h2>
            <div class="row">
                <button type="button" class="primary" data-testid="new-full" on:click=move |_| new_report(Report::default())>"New report"</button>
                <button type="button" data-testid="new-light" on:click=move |_| new_report(Report::lightweight())>"New lightweight report"</button>
            </div>
            <div class=move || if dragging.get() { "dropzone dragging" } else { "dropzone" }
                data-testid="dropzone"
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop>
                <label for="import-text">"Paste or drop a document: a Google Doc, a page copied from the wiki, notes, Markdown, or a page's wikitext"</label>
                <textarea id="import-text" rows="6" data-testid="import-text"
                    placeholder="Paste here (Ctrl+V)…"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                    on:paste=on_paste></textarea>
                <div class="row">
                    <button type="button" data-testid="import-paste" on:click=read_typed>"Read pasted text"</button>
                    <label class="file">"Open a file"
                        <input type="file" accept=".html,.htm,.txt,.md,.markdown,.wiki,.json,text/html,text/plain,text/markdown,application/json"
                            data-testid="import-file" on:change=on_file />
                    </label>
                    <label class="tz">"Times in the document are in "
                        <select data-testid="convert-tz" on:change=on_offset>
                            {OFFSETS.iter().map(|m| view! { <option value=m.to_string() selected=*m == 0>{offset_label(*m)}</option> }).collect_view()}
                        </select>
                    </label>
                </div>
                <p class="help">"Files: .html, .txt, .md (Google Docs downloads as Markdown), .wiki, .json. What is read becomes plain text; nothing in it runs."</p>
            </div>
            {move || message.get().map(|m| view! { <p class="notice error" role="status" data-testid="import-message">{m}</p> })}
            {move || pending.get().map(|p| view! {
                <section class="review" aria-labelledby="review-heading" data-testid="review">
                    <h3 id="review-heading">{format!("Found in {}", p.name)}</h3>
                    <ul data-testid="review-lines">
                        {p.lines.iter().map(|l| view! { <li>{l.clone()}</li> }).collect_view()}
                    </ul>
                    <p class="help">"It opens as a new draft: the drafts you have are not changed."</p>
                    <div class="row">
                        <button type="button" class="primary" data-testid="review-accept" on:click=accept>"Open as a new draft"</button>
                        <button type="button" data-testid="review-cancel" on:click=move |_| pending.set(None)>"Cancel"</button>
                    </div>
                </section>
            })}
            <crate::wiki_open::OpenFromWiki />
        </section>
    }
}
