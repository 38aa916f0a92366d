use leptos::ev::MouseEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{InstallButton, OfflineStatus, SaveStatus};

/// The top bar: a skip link for keyboard users, the product name, whether the draft is
/// saved (and the browser offline), the drafts, and the install button where there is one.
#[component]
pub fn AppHeader() -> impl IntoView {
    // `href="#main"` would replace the step in the URL hash, so move focus by hand.
    let skip_to_editor = move |ev: MouseEvent| {
        ev.prevent_default();
        if let Some(main) = document()
            .get_element_by_id("main")
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = main.focus();
        }
    };

    view! {
        <header class="app-header" data-testid="app-header">
            <a class="skip-link" href="#main" on:click=skip_to_editor>
                "Skip to editor"
            </a>
            <h1 class="brand">
                <span class="brand-name" data-testid="product-name">
                    "irdoc"
                </span>
                <span class="brand-tagline">"Incident report editor"</span>
            </h1>
            <SaveStatus />
            <OfflineStatus />
            <InstallButton />
            <a class="header-link" href="#/drafts" data-testid="start-link">"New or import"</a>
            <a class="header-link" href="#/drafts" data-testid="drafts-link">"Drafts"</a>
        </header>
    }
}
