//! Conclusions: the prose, then three lists (went well / went poorly / got lucky).

use irdoc_core::model::Bullet;
use irdoc_core::Text;
use leptos::prelude::*;

use crate::fields::TextInput;
use crate::state::{
    item_part, line_kind, raw_text, use_doc, LineKind, List, RowId, GOT_LUCKY, WENT_POORLY,
    WENT_WELL,
};

#[component]
pub fn Conclusions() -> impl IntoView {
    let doc = use_doc();
    let intro = Memo::new(move |_| doc.with(|r| r.conclusions.clone()));
    view! {
        <BulletList list=WENT_WELL title="What went well?" />
        <BulletList list=WENT_POORLY title="What went poorly?" />
        <BulletList list=GOT_LUCKY title="Where did we get lucky?" />
        <TextInput id="conclusions-text" label="Conclusions (prose and your own subsections)" multiline=true rows=6
            help="Optional wikitext before the three lists: causes, your own === subsections ===."
            value=intro on_input=Callback::new(move |v| doc.update(|r| r.conclusions = v)) />
    }
}

/// An editable list: add, edit, remove and reorder items.
#[component]
fn BulletList(list: List<Bullet>, title: &'static str) -> impl IntoView {
    let doc = use_doc();
    let id = list.name;
    let ids = doc.row_ids(list);
    let count = doc.shape(move |r| (list.get)(r).item_count());
    view! {
        <section class="list-editor" aria-labelledby=format!("{id}-heading") data-testid=id>
            <h3 id=format!("{id}-heading")>{title}</h3>
            <ul>
                <For each=move || ids.get() key=|id| *id let:id>
                    <BulletRow id title list />
                </For>
            </ul>
            <Show when=move || count.get() == 0>
                <p class="empty-hint">"Nothing yet."</p>
            </Show>
            <button type="button" data-testid=format!("{id}-add")
                on:click=move |_| { doc.insert_line(list, |l| Some(l.push(Bullet::new(Text::default())))); }>
                {format!("Add to “{title}”")}
            </button>
        </section>
    }
}

#[component]
fn BulletRow(id: RowId, title: &'static str, list: List<Bullet>) -> impl IntoView {
    let doc = use_doc();
    let line = doc.line(list, id);
    let kind = line_kind(line);
    let raw = raw_text(line);
    let text = item_part(line, |b| b.text.as_str().to_owned());
    let wiki = item_part(line, |b| b.text.is_wiki());
    let position = doc.item_number(list, id);
    let label = move || format!("{title} item {}", position.get());
    move || {
        match kind.get() {
        LineKind::Item => view! {
            <li class="list-item">
                <input type="text" aria-label=label prop:value=move || text.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        doc.update_item(list, id, |b| b.text = b.text.with_str(v));
                    } />
                <button type="button" class="icon" aria-label=move || format!("Move {} up", label())
                    on:click=move |_| doc.move_item(list, id, true)>"↑"</button>
                <button type="button" class="icon" aria-label=move || format!("Move {} down", label())
                    on:click=move |_| doc.move_item(list, id, false)>"↓"</button>
                <button type="button" class="icon" aria-label=move || format!("Remove {}", label())
                    on:click=move |_| doc.remove_line(list, id)>"✕"</button>
                <Show when=move || wiki.get()><span class="badge">"wikitext"</span></Show>
            </li>
        }
        .into_any(),
        LineKind::Raw => view! { <li class="raw-line mono" title="Kept as written">{move || raw.get()}</li> }.into_any(),
        LineKind::Hidden => ().into_any(),
    }
    }
}
