//! The draft library (`#/drafts`): every draft in this browser, backups, and what storage
//! the browser gives the app.

use irdoc_core::drafts::{
    decode_backup, encode_backup, merge_backup, Backup, DraftMeta, StoredDraft,
};
use leptos::prelude::*;

use crate::browser::{chosen_file, download, file_text};
use crate::session::{now_ms, use_session};
use irdoc_core::step::Step;

/// A date and time as the author's browser writes them.
pub fn local_time(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    String::from(date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED))
}

/// A time of day as the author's browser writes it.
pub fn local_clock(ms: i64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    String::from(date.to_locale_time_string("default"))
}

#[component]
pub fn DraftLibrary() -> impl IntoView {
    let session = use_session();
    let message = RwSignal::new(None::<String>);
    // The last deleted draft, so the deletion can be undone.
    let deleted = RwSignal::new(None::<(String, StoredDraft)>);
    let open_step = |_| {
        let _ = window().location().set_hash(Step::Overview.hash());
    };
    let export_backup = move |_| {
        session.flush();
        let backup = Backup {
            exported_at_ms: now_ms(),
            drafts: session.all_drafts(),
        };
        download(
            &format!("irdoc-backup-{}.json", js_date_stamp()),
            "application/json",
            &encode_backup(&backup),
        );
    };
    let import_backup = move |ev: leptos::ev::Event| {
        let Some(file) = chosen_file(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let name = file.name();
            let text = file_text(&file).await;
            let outcome = text
                .ok_or_else(|| "it could not be read as text".to_owned())
                .and_then(|t| decode_backup(&t).map_err(|e| e.to_string()));
            match outcome {
                Err(e) => message.set(Some(format!(
                    "{name} is not an irdoc backup: {e}. Nothing was changed."
                ))),
                Ok((backup, unreadable)) => {
                    let merge = merge_backup(
                        &session.all_drafts(),
                        backup.drafts,
                        || session.new_id(),
                        now_ms(),
                    );
                    let written = session.put(&merge.to_write);
                    message.set(Some(match written {
                        Ok(()) => format!(
                            "Restored {name}: {} added, {} already here, {} kept beside a different draft with the same id{}.",
                            merge.added, merge.unchanged, merge.kept_both.len(),
                            if unreadable.is_empty() { String::new() } else { format!("; {} could not be read", unreadable.len()) }
                        ),
                        Err(e) => format!("Restoring {name} stopped: {e}."),
                    }));
                }
            }
        });
    };
    view! {
        <crate::start::StartPanel />
        <section class="library" aria-labelledby="library-heading" data-testid="library">
            <h2 id="library-heading">"Drafts in this browser"</h2>
            <div class="row">
                <button type="button" data-testid="backup-export" on:click=export_backup>"Download backup of all drafts"</button>
                <label class="file">"Restore a backup"
                    <input type="file" accept=".json,application/json" data-testid="backup-import" on:change=import_backup />
                </label>
            </div>
            {move || message.get().map(|m| view! { <p class="notice" role="status" data-testid="library-message">{m}</p> })}
            {move || deleted.get().map(|(title, draft)| view! {
                <p class="notice" role="status" data-testid="deleted">
                    {format!("Deleted “{title}”. ")}
                    <button type="button" data-testid="undo-delete" on:click=move |_| {
                        match session.undelete(&draft) {
                            Ok(()) => deleted.set(None),
                            Err(e) => message.set(Some(format!("The draft could not be stored again: {e}."))),
                        }
                    }>"Undo"</button>
                </p>
            })}
            <StorageFacts />
            <ul class="draft-list" data-testid="draft-list">
                <For each=move || session.library.get().drafts key=|d| (d.id.clone(), d.rev, d.title.clone()) let:draft>
                    <DraftRow draft on_open=open_step deleted />
                </For>
            </ul>
            <Show when=move || session.library.with(|l| l.drafts.is_empty())>
                <p class="empty-hint">"No saved drafts yet: what you type is saved here as you go."</p>
            </Show>
            <Unreadable />
        </section>
    }
}

fn js_date_stamp() -> String {
    let d = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

#[component]
fn DraftRow(
    draft: DraftMeta,
    on_open: fn(()),
    deleted: RwSignal<Option<(String, StoredDraft)>>,
) -> impl IntoView {
    let session = use_session();
    let renaming = RwSignal::new(false);
    let id = draft.id.clone();
    let title = irdoc_core::drafts::shown_title(&draft.title).to_owned();
    let current = {
        let id = id.clone();
        move || session.draft_id.get() == id
    };
    let open = {
        let id = id.clone();
        move |_| {
            session.open(&id);
            on_open(());
        }
    };
    let duplicate = {
        let id = id.clone();
        move |_| session.duplicate(&id)
    };
    let delete = {
        let (id, title) = (id.clone(), title.clone());
        move |_| {
            if let Some(draft) = session.delete(&id) {
                deleted.set(Some((title.clone(), draft)));
            }
        }
    };
    let rename = {
        let id = id.clone();
        move |new_title: String| {
            renaming.set(false);
            session.rename(&id, new_title);
        }
    };
    let input_title = draft.title.clone();
    view! {
        <li class="draft" class:current=current data-testid="draft">
            <div class="draft-main">
                {move || if renaming.get() {
                    let rename = rename.clone();
                    view! {
                        <input type="text" aria-label="New title" value=input_title.clone() data-testid="rename-input"
                            on:keydown=move |ev| if ev.key() == "Enter" { rename(event_target_value(&ev)) } />
                    }.into_any()
                } else {
                    view! { <strong class="draft-title">{title.clone()}</strong> }.into_any()
                }}
                <span class="draft-facts">
                    {format!("{} · edited {} · score {}/15{}", draft.status.as_str(), local_time(draft.updated_ms), draft.score,
                        if draft.unanswered > 0 { format!(" ({} unanswered)", draft.unanswered) } else { String::new() })}
                </span>
                {draft.wiki.as_ref().map(crate::wiki::wiki_page_link)}
            </div>
            <div class="row">
                <button type="button" data-testid="open-draft" on:click=open>"Open"</button>
                <button type="button" data-testid="duplicate-draft" on:click=duplicate>"Duplicate"</button>
                <button type="button" data-testid="rename-draft" on:click=move |_| renaming.set(true)>"Rename"</button>
                <button type="button" data-testid="delete-draft" on:click=delete>"Delete"</button>
            </div>
        </li>
    }
}

/// Stored entries irdoc cannot read: never deleted, offered for download.
#[component]
fn Unreadable() -> impl IntoView {
    let session = use_session();
    view! {
        <Show when=move || session.library.with(|l| !l.unreadable.is_empty())>
            <h3>"Entries that could not be read"</h3>
            <ul class="unreadable" data-testid="unreadable">
                {move || session.library.get().unreadable.into_iter().map(|u| {
                    let name = format!("{}.txt", u.key.replace(':', "-"));
                    view! {
                        <li>
                            <code>{u.key.clone()}</code>": "{u.reason.clone()}" "
                            <button type="button" data-testid="download-unreadable" on:click=move |_| download(&name, "text/plain", &u.raw)>"Download its text"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </Show>
    }
}

/// How much of the site's storage the drafts use, and whether the browser may evict them.
/// (Nearly full storage is warned about above every page, by `SaveProblems`.)
#[component]
fn StorageFacts() -> impl IntoView {
    let session = use_session();
    let persisted = RwSignal::new(None);
    leptos::task::spawn_local(async move { persisted.set(is_persisted().await) });
    view! {
        {move || match session.storage_problem.get() {
            Some(p) => view! {
                <p class="notice error" role="alert" data-testid="storage-problem">{format!("Drafts cannot be stored: {p}. Keep working: download the report (Export step) before closing the tab.")}</p>
            }.into_any(),
            None => view! {
                <p class="help" data-testid="storage-facts">
                    {move || session.usage.get().summary()}
                    {move || persisted.get().map(|kept| if kept {
                        " The browser keeps these drafts until you clear site data."
                    } else {
                        " The browser may clear these drafts when it runs short of space: download a backup now and then."
                    })}
                </p>
            }.into_any(),
        }}
    }
}

/// Whether the browser has agreed not to evict the site's storage.
async fn is_persisted() -> Option<bool> {
    let promise = window().navigator().storage().persisted().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .as_bool()
}
