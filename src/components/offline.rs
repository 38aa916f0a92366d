use leptos::prelude::*;

use crate::offline::use_offline;
use crate::session::use_session;

/// In the header while the browser is offline: what still works.
#[component]
pub fn OfflineStatus() -> impl IntoView {
    let offline = use_offline();
    move || {
        (!offline.online.get()).then(|| {
            view! {
                <p class="offline-status" role="status" data-testid="offline-status">
                    <strong>"Offline:"</strong>" drafts still save in this browser"
                </p>
            }
        })
    }
}

/// In the header where the browser offers to install the app.
#[component]
pub fn InstallButton() -> impl IntoView {
    let install = use_offline().install;
    move || {
        install.available.get().then(|| {
            view! {
                <button type="button" class="install" data-testid="install" on:click=move |_| install.prompt()>
                    "Install irdoc"
                </button>
            }
        })
    }
}

/// A newer build is ready: reload to it when the author likes, the draft saved first.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let worker = use_offline().worker;
    let session = use_session();
    let reload = move |_| {
        session.flush();
        worker.switch();
    };
    move || {
        worker.update_ready.get().then(|| {
            view! {
                <div class="update-banner" role="status" data-testid="update-banner">
                    "A new version of irdoc is ready: "
                    <button type="button" data-testid="update-reload" on:click=reload>"Reload"</button>
                </div>
            }
        })
    }
}
