//! The application shell: header, step navigation, the current step's panel
//! and the scorecard summary, with the current step kept in the URL hash.

use leptos::ev;
use leptos::prelude::*;

use crate::components::{AppHeader, SaveProblems, ScoreSummary, StepNav, StepPanel, UpdateBanner};
use crate::library::DraftLibrary;
use irdoc_core::step::Step;

#[component]
pub fn App() -> impl IntoView {
    let doc = crate::state::provide_doc(irdoc_core::Report::default());
    crate::session::Session::start(doc);
    crate::offline::provide_offline();
    crate::wiki::provide_wiki();
    // The URL hash is the single source of truth for the current step: links
    // change it, and reload and back/forward restore it.
    let hash = RwSignal::new(location_hash().unwrap_or_default());
    let listener = window_event_listener(ev::hashchange, move |_| {
        let new = location_hash().unwrap_or_default();
        // A share link pasted into the address bar of an open app: start again with it.
        if irdoc_core::share::in_fragment(&new).is_some() {
            let _ = window().location().reload();
        }
        hash.set(new);
    });
    let incoming = crate::share::incoming_from_location();
    let shared_closed = RwSignal::new(false);
    provide_context(crate::share::SharedClosed(shared_closed));
    on_cleanup(move || listener.remove());

    // The step the hash names; the first step when it names none.
    let step = Memo::new(move |_| hash.with(|h| Step::from_hash(h)).unwrap_or_default());
    // `#/drafts` shows the draft library instead of a step.
    let library =
        Memo::new(move |_| hash.with(|h| h.trim_start_matches('#').trim_matches('/') == "drafts"));
    let current = Signal::derive(move || (!library.get()).then(|| step.get()));

    Effect::new(move |_| {
        let page = if library.get() {
            "Drafts"
        } else {
            step.get().label()
        };
        document().set_title(&format!("{page} · irdoc"));
    });

    view! {
        <div class="app" data-testid="app">
            <AppHeader />
            <UpdateBanner />
            <div class="layout">
                <StepNav current />
                <main id="main" class="editor" tabindex="-1" data-testid="editor">
                    <SaveProblems />
                    {move || if let Some(incoming) = incoming.filter(|_| !shared_closed.get()) {
                        view! { <crate::share::SharedView state=incoming /> }.into_any()
                    } else if library.get() {
                        view! { <DraftLibrary /> }.into_any()
                    } else {
                        view! { <StepPanel step=step /> }.into_any()
                    }}
                </main>
                <ScoreSummary />
            </div>
        </div>
    }
}
