//! Actionables: follow-up work with a Phabricator task, status, owner and due date.

use irdoc_core::model::{is_task_id, ActionStatus, Actionable, Line};
use leptos::prelude::*;

use crate::state::{item_part, line_kind, raw_text, use_doc, LineKind, RowId, ACTIONABLES};

#[component]
pub fn Actionables() -> impl IntoView {
    let doc = use_doc();
    let ids = doc.row_ids(ACTIONABLES);
    let count = doc.shape(|r| r.actionables.item_count());
    view! {
        <p class="help">"Tag each task #Sustainability (Incident Followup) and #SRE-OnFIRE (Pending Review & Scorecard) in Phabricator."</p>
        <Show when=move || count.get() == 0>
            <p class="notice warn" data-testid="actionables-empty">"No actionables yet. Most incidents leave at least one follow-up: what would stop this happening again, or make it shorter?"</p>
        </Show>
        <ul class="actionables" data-testid="actionables-list">
            <For each=move || ids.get() key=|id| *id let:id>
                <ActionableLine id />
            </For>
        </ul>
        <button type="button" class="primary" data-testid="add-actionable"
            on:click=move |_| { doc.insert_line(ACTIONABLES, |a| Some(a.push(Actionable::default()))); }>"Add actionable"</button>
    }
}

#[component]
fn ActionableLine(id: RowId) -> impl IntoView {
    let doc = use_doc();
    let line = doc.line(ACTIONABLES, id);
    let kind = line_kind(line);
    let raw = raw_text(line);
    move || match kind.get() {
        LineKind::Item => view! { <ActionableRow row=id line /> }.into_any(),
        LineKind::Raw => {
            view! { <li class="raw-line mono" title="Kept as written">{move || raw.get()}</li> }
                .into_any()
        }
        LineKind::Hidden => ().into_any(),
    }
}

#[component]
fn ActionableRow(row: RowId, line: Memo<Option<Line<Actionable>>>) -> impl IntoView {
    let doc = use_doc();
    let item = item_part(line, Actionable::clone);
    let position = doc.item_number(ACTIONABLES, row);
    let task_draft = RwSignal::new(None::<String>);
    // Unique while the app is open; the first report's rows start as their line's index.
    let id = move |part: &str| format!("actionable-{row}-{part}");
    let text = item_part(line, |a| a.text.as_str().to_owned());
    let task = item_part(line, |a| a.task.clone());
    let owner = item_part(line, |a| a.owner.clone());
    let due = item_part(line, |a| a.due.map(|d| d.to_string()).unwrap_or_default());
    let done = item_part(line, |a| a.status == ActionStatus::Done);
    let missing = Memo::new(move |_| item.with(Actionable::still_needs));
    let update = move |f: Box<dyn FnOnce(&mut Actionable)>| doc.update_item(ACTIONABLES, row, f);
    view! {
        <li class="actionable" data-testid="actionable">
            <fieldset>
                <legend>{move || format!("Actionable {}", position.get())}</legend>
                <label for=id("text")>"What needs doing"</label>
                <input id=id("text") type="text" prop:value=move || text.get()
                    on:input=move |ev| { let v = event_target_value(&ev); update(Box::new(move |a| a.text = a.text.with_str(v))); } />
                <div class="row">
                    <div class="field small">
                        <label for=id("task")>"Task"</label>
                        <input id=id("task") type="text" size="9" placeholder="T123456" class="mono"
                            class:invalid=move || task_draft.with(Option::is_some)
                            prop:value=move || task_draft.get().unwrap_or_else(|| task.get().unwrap_or_default())
                            on:input=move |ev| {
                                let v = event_target_value(&ev).trim().to_owned();
                                if v.is_empty() || is_task_id(&v) {
                                    task_draft.set(None);
                                    update(Box::new(move |a| a.task = (!v.is_empty()).then_some(v)));
                                } else {
                                    task_draft.set(Some(v));
                                }
                            } />
                        {move || task.get().filter(|_| task_draft.with(Option::is_none)).map(|t| view! {
                            <a class="task-link" href=format!("https://phabricator.wikimedia.org/{t}") target="_blank" rel="noopener noreferrer">{format!("Open {t}")}</a>
                        })}
                    </div>
                    <div class="field small">
                        <label for=id("owner")>"Owner"</label>
                        <input id=id("owner") type="text" size="14" prop:value=move || owner.get()
                            on:input=move |ev| { let v = event_target_value(&ev); update(Box::new(move |a| a.owner = v)); } />
                    </div>
                    <div class="field small">
                        <label for=id("due")>"Due"</label>
                        <input id=id("due") type="date" prop:value=move || due.get()
                            on:input=move |ev| {
                                let v = irdoc_core::datetime::parse_date(&event_target_value(&ev));
                                update(Box::new(move |a| a.due = v));
                            } />
                    </div>
                    <label class="choice">
                        <input type="checkbox" prop:checked=move || done.get()
                            on:change=move |ev| { let v = event_target_checked(&ev); update(Box::new(move |a| a.status = if v { ActionStatus::Done } else { ActionStatus::Open })); } />
                        "Done"
                    </label>
                    <button type="button" class="icon" aria-label=move || format!("Remove actionable {}", position.get())
                        on:click=move |_| doc.remove_line(ACTIONABLES, row)>"✕"</button>
                </div>
                <Show when=move || task_draft.with(Option::is_some)>
                    <p class="field-error" role="alert">"A task id looks like T123456."</p>
                </Show>
                <Show when=move || !missing.with(Vec::is_empty)>
                    <p class="hint" data-testid="actionable-hint">{move || format!("Still needs {}.", join_and(&missing.get()))}</p>
                </Show>
            </fieldset>
        </li>
    }
}

fn join_and(parts: &[&str]) -> String {
    match parts {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
