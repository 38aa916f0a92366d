//! Timeline: entries in UTC with outage markers, paste import, live outage and detection times.

use irdoc_core::analysis::{format_duration, Basis};
use irdoc_core::model::{Line, Marker, MarkerKind, TimelineEntry, When};
use irdoc_core::paste::{parse_paste, PasteOptions};
use irdoc_core::Text;
use leptos::html;
use leptos::prelude::*;

use crate::state::{item_part, line_kind, raw_text, use_doc, LineKind, RowId, TIMELINE};

/// The line whose text input should take focus once it is rendered.
#[derive(Clone, Copy)]
struct FocusLine(RwSignal<Option<RowId>>);

#[component]
pub fn Timeline() -> impl IntoView {
    let doc = use_doc();
    let focus = RwSignal::new(None::<RowId>);
    provide_context(FocusLine(focus));
    let ids = doc.row_ids(TIMELINE);
    let count = doc.shape(|r| r.timeline.item_count());
    let derived = doc.derived;
    let late = Memo::new(move |_| derived.with(|d| d.out_of_order.clone()));
    let add = move |_| {
        let at = doc.insert_line(TIMELINE, |timeline| {
            let when = timeline
                .items()
                .last()
                .map_or(When::Time(chrono::NaiveTime::MIN), |e| e.when);
            Some(timeline.push(TimelineEntry::new(when, Text::default())))
        });
        focus.set(at);
    };
    view! {
        <TimelineFigures />
        <p class="utc-note">"All times in UTC. Enter in an entry's text adds the next entry."</p>
        <Show when=move || !late.get().is_empty()>
            <div class="notice warn" role="status" data-testid="order-warning">
                {move || format!("{} entr{} earlier than the one before. ", late.get().len(), if late.get().len() == 1 { "y is" } else { "ies are" })}
                <button type="button" data-testid="sort-timeline" on:click=move |_| doc.sort_timeline()>
                    "Sort by time"
                </button>
            </div>
        </Show>
        <ol class="timeline" aria-label="Timeline entries" data-testid="timeline-list">
            <For each=move || ids.get() key=|id| *id let:id>
                <TimelineLine id late=late />
            </For>
        </ol>
        <Show when=move || count.get() == 0>
            <p class="empty-hint">"No entries yet: add one, or paste a log below."</p>
        </Show>
        <button type="button" class="primary" data-testid="add-entry" on:click=add>"Add entry"</button>
        <PasteEntries />
    }
}

#[component]
fn TimelineFigures() -> impl IntoView {
    let derived = use_doc().derived;
    view! {
        <dl class="figures" data-testid="timeline-figures">
            <div>
                <dt>"Outage"</dt>
                <dd data-testid="outage-length">{move || derived.with(|d| match d.figures.outage {
                    None => "— (mark start and end)".to_owned(),
                    Some((d, Basis::Metadata)) => format!("{} (from the start and end)", format_duration(d)),
                    Some((d, Basis::Timeline)) => format!("{} (from the outage markers)", format_duration(d)),
                })}</dd>
            </div>
            <div>
                <dt>"Time to detect"</dt>
                <dd data-testid="time-to-detect">{move || derived.with(|d| d.figures.time_to_detect.map_or_else(|| "—".into(), format_duration))}</dd>
            </div>
        </dl>
    }
}

#[component]
fn TimelineLine(id: RowId, late: Memo<Vec<usize>>) -> impl IntoView {
    let doc = use_doc();
    let line = doc.line(TIMELINE, id);
    let kind = line_kind(line);
    let raw = raw_text(line);
    move || match kind.get() {
        LineKind::Item => view! { <EntryRow id line late /> }.into_any(),
        LineKind::Raw => view! {
            <li class="raw-line">
                <input type="text" class="mono" aria-label="Line kept as written"
                    title="Kept as written: a subheading, note or sub-item of the page"
                    prop:value=move || raw.get()
                    on:input=move |ev| doc.set_raw_line(TIMELINE, id, event_target_value(&ev)) />
            </li>
        }
        .into_any(),
        LineKind::Hidden => ().into_any(),
    }
}

#[component]
fn EntryRow(
    id: RowId,
    line: Memo<Option<Line<TimelineEntry>>>,
    late: Memo<Vec<usize>>,
) -> impl IntoView {
    let doc = use_doc();
    let FocusLine(focus) = expect_context();
    let when = item_part(line, |e| e.when.to_string());
    let text = item_part(line, |e| e.text.as_str().to_owned());
    let wiki = item_part(line, |e| e.text.is_wiki());
    let marker = item_part(line, |e| e.marker.as_ref().map(|m| m.kind));
    // What the author typed in the time box while it is not a valid time: kept, never lost.
    let time_draft = RwSignal::new(None::<String>);
    let text_ref = NodeRef::<html::Input>::new();
    Effect::new(move |_| {
        if focus.get() == Some(id) {
            if let Some(el) = text_ref.get() {
                let _ = el.focus();
                focus.set(None);
            }
        }
    });
    let add_after = move || {
        let Some(index) = doc.index_of(TIMELINE, id) else {
            return;
        };
        let at = doc.insert_line(TIMELINE, |timeline| {
            let entry = timeline.lines.get(index)?.item()?;
            let mut next = TimelineEntry::new(entry.when, Text::default());
            next.bullet = entry.bullet.clone();
            Some(timeline.insert_after(index, next))
        });
        focus.set(at);
    };
    let label = move || format!("entry at {}", when.get());
    let shown = move || time_draft.get().unwrap_or_else(|| when.get());
    view! {
        <li class="entry" class:late=move || doc.index_in_order(TIMELINE, id).is_some_and(|i| late.with(|l| l.contains(&i))) data-testid="timeline-entry">
            // As wide as the time it shows, from "09:05" to "2026-03-14 09:05:30".
            <input type="text" class="time mono" inputmode="numeric"
                size=move || shown().chars().count().max("HH:MM".len())
                aria-label=move || format!("Time (UTC) of {}", label())
                class:invalid=move || time_draft.with(Option::is_some)
                prop:value=shown
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    match v.parse::<When>() {
                        Ok(w) => {
                            time_draft.set(None);
                            doc.update_item(TIMELINE, id, |e| e.when = w);
                        }
                        Err(_) => time_draft.set(Some(v)),
                    }
                } />
            <input type="text" class="text" node_ref=text_ref aria-label=move || format!("Text of {}", label())
                prop:value=move || text.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    doc.update_item(TIMELINE, id, |e| e.text = e.text.with_str(v));
                }
                on:keydown=move |ev| {
                    if ev.key() == "Enter" && !ev.shift_key() {
                        ev.prevent_default();
                        add_after();
                    }
                } />
            <select aria-label=move || format!("Outage marker of {}", label()) class="marker"
                on:change=move |ev| {
                    let kind = match event_target_value(&ev).as_str() {
                        "start" => Some(MarkerKind::Start),
                        "end" => Some(MarkerKind::End),
                        _ => None,
                    };
                    doc.update_item(TIMELINE, id, |e| e.marker = kind.map(Marker::outage));
                }>
                <option value="" selected=move || marker.get().is_none()>"—"</option>
                <option value="start" selected=move || marker.get() == Some(MarkerKind::Start)>"Outage begins"</option>
                <option value="end" selected=move || marker.get() == Some(MarkerKind::End)>"Outage ends"</option>
            </select>
            <button type="button" class="icon" aria-label=move || format!("Delete {}", label())
                on:click=move |_| doc.remove_line(TIMELINE, id)>"✕"</button>
            <Show when=move || wiki.get()>
                <span class="badge" title="Kept as wikitext">"wikitext"</span>
            </Show>
            <Show when=move || time_draft.with(Option::is_some)>
                <p class="field-error" role="alert">"Not a time: use HH:MM or YYYY-MM-DD HH:MM (UTC)."</p>
            </Show>
        </li>
    }
}

/// Paste a block of log or chat lines and get entries.
#[component]
fn PasteEntries() -> impl IntoView {
    let doc = use_doc();
    let text = RwSignal::new(String::new());
    let offset = RwSignal::new(0_i32);
    let date = RwSignal::new(String::new());
    let result = RwSignal::new(None::<String>);
    let browser_offset = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    let offsets: Vec<i32> = (-24..=28).map(|h| h * 30).collect();
    let add = move |_| {
        let opts = PasteOptions {
            utc_offset_minutes: offset.get(),
            date: irdoc_core::datetime::parse_date(&date.get()),
        };
        let pasted = parse_paste(&text.get(), &opts);
        let added = pasted.entries.len();
        doc.update(|r| {
            for e in pasted.entries {
                r.timeline
                    .push(TimelineEntry::new(e.when, Text::Plain(e.text)));
            }
        });
        let skipped: Vec<String> = pasted
            .skipped
            .iter()
            .map(|(n, l)| format!("line {n}: {l}"))
            .collect();
        result.set(Some(format!(
            "Added {added} entr{}.{}",
            if added == 1 { "y" } else { "ies" },
            if skipped.is_empty() {
                String::new()
            } else {
                format!(" No time found on {}", skipped.join("; "))
            }
        )));
        if !skipped.is_empty() {
            // Keep the lines that were not read, so nothing pasted is lost.
            text.set(
                pasted
                    .skipped
                    .into_iter()
                    .map(|(_, l)| l)
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
        } else {
            text.set(String::new());
        }
    };
    view! {
        <details class="paste" data-testid="paste">
            <summary>"Paste a log or chat"</summary>
            <p class="help">"One event per line: “HH:MM text”, IRC “[HH:MM:SS] <nick> text”, SAL “YYYY-MM-DD HH:MM text”, or chat exports with 12-hour times."</p>
            <label for="paste-text">"Lines to add"</label>
            <textarea id="paste-text" rows="8" class="mono" prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev)) data-testid="paste-text"></textarea>
            <div class="row">
                <label>"Times in the paste are"
                    <select data-testid="paste-offset" on:change=move |ev| offset.set(event_target_value(&ev).parse().unwrap_or(0))>
                        {offsets.into_iter().map(|m| {
                            let name = if m == 0 { "UTC".to_owned() } else { format!("UTC{}{:02}:{:02}", if m < 0 { '−' } else { '+' }, m.abs() / 60, m.abs() % 60) };
                            let name = if m == browser_offset { format!("{name} (this browser)") } else { name };
                            view! { <option value=m selected=m == 0>{name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>"on date (optional)"
                    <input type="date" prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) />
                </label>
                <button type="button" data-testid="paste-add" on:click=add>"Add entries"</button>
            </div>
            {move || result.get().map(|r| view! { <p class="notice" role="status" data-testid="paste-result">{r}</p> })}
        </details>
    }
}
