use leptos::prelude::*;

use crate::browser::{download_report, ReportFile};
use crate::library::local_clock;
use crate::session::{use_session, Resolution, SaveState};
use crate::state::use_doc;

/// Whether the draft is saved, in the header; problems as banners with a way out.
#[component]
pub fn SaveStatus() -> impl IntoView {
    let session = use_session();
    let label = move || match session.save.get() {
        SaveState::Untouched => "New draft: saved as you type".to_owned(),
        SaveState::Pending => "Saving…".to_owned(),
        SaveState::Saved { at_ms } => format!("Saved {}", local_clock(at_ms)),
        SaveState::Failed { .. } => "Not saved".to_owned(),
        SaveState::Conflict { .. } => "Changed in another tab".to_owned(),
        SaveState::Deleted => "Deleted in another tab".to_owned(),
    };
    view! {
        <p class="save-status" role="status" data-testid="save-status">{label}</p>
    }
}

/// Storage failures, conflicts with other tabs and nearly full storage, above the editor.
#[component]
pub fn SaveProblems() -> impl IntoView {
    view! {
        <SaveBlocked />
        <StorageWarning />
    }
}

/// Saving has stopped: storage refused, or another tab wrote or deleted the draft.
#[component]
fn SaveBlocked() -> impl IntoView {
    let session = use_session();
    let doc = use_doc();
    let download_draft = move |_| {
        doc.with_untracked(|r| {
            download_report(r, ReportFile::Json);
            download_report(r, ReportFile::Wiki);
        })
    };
    move || {
        match session.save.get() {
        SaveState::Failed { reason } => view! {
            <div class="banner error" role="alert" data-testid="save-failed">
                {format!("Your draft is not being saved: {reason}. It is kept in this tab while it stays open. ")}
                <button type="button" data-testid="download-draft" on:click=download_draft>"Download the draft"</button>
                <button type="button" on:click=move |_| session.save_now()>"Try again"</button>
            </div>
        }
        .into_any(),
        SaveState::Conflict { theirs } => view! {
            <div class="banner warn" role="alert" data-testid="conflict">
                {format!("Another tab saved this draft (version {theirs}) while you were editing it here. ")}
                <button type="button" data-testid="keep-both" on:click=move |_| session.resolve(Resolution::Both)>"Keep both (save mine as a copy)"</button>
                <button type="button" data-testid="take-theirs" on:click=move |_| session.resolve(Resolution::Theirs)>"Load theirs"</button>
                <button type="button" data-testid="keep-mine" on:click=move |_| session.resolve(Resolution::Mine)>"Overwrite with mine"</button>
            </div>
        }
        .into_any(),
        SaveState::Deleted => view! {
            <div class="banner warn" role="alert" data-testid="deleted-elsewhere">
                "Another tab deleted this draft. It is still here, but no longer saved. "
                <button type="button" data-testid="keep-deleted" on:click=move |_| session.resolve(Resolution::Mine)>"Keep it"</button>
                <button type="button" data-testid="let-go" on:click=move |_| session.resolve(Resolution::Theirs)>"Let it go"</button>
            </div>
        }
        .into_any(),
        _ => ().into_any(),
    }
    }
}

/// From 80% of the site's storage on: saves will soon fail, and what to do about it.
#[component]
fn StorageWarning() -> impl IntoView {
    let session = use_session();
    move || {
        session.usage.with(|u| u.warning()).map(|warning| {
            view! {
                <div class="banner warn" role="status" data-testid="storage-warning">
                    {warning}" "<a href="#/drafts">"Go to the drafts"</a>
                </div>
            }
        })
    }
}
