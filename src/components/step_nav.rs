use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use irdoc_core::step::Step;

/// The list of steps. Each is a link to its URL hash, so Tab + Enter, clicks,
/// reload and back/forward all work as for any link. Up/Down (and Left/Right,
/// Home, End) move the focus within the list.
#[component]
pub fn StepNav(
    /// The step shown; none when another page (the draft library) is.
    #[prop(into)]
    current: Signal<Option<Step>>,
) -> impl IntoView {
    // Keep the current step visible when the list is a scrolling strip (narrow screens).
    Effect::new(move |_| {
        if let Some(link) = current.get().and_then(step_link) {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
            link.scroll_into_view_with_scroll_into_view_options(&options);
        }
    });

    view! {
        <nav class="step-nav" aria-label="Report steps" data-testid="step-nav">
            <ol class="step-list" on:keydown=move_focus_with_arrows>
                {Step::ALL
                    .into_iter()
                    .map(|step| {
                        view! {
                            <li>
                                <StepLink step current />
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

/// One entry of the step list; `aria-current="step"` marks the current one.
#[component]
fn StepLink(step: Step, current: Signal<Option<Step>>) -> impl IntoView {
    view! {
        <a
            class="step-link"
            href=step.hash()
            data-step=step.slug()
            data-testid=format!("step-link-{}", step.slug())
            aria-current=move || (current.get() == Some(step)).then_some("step")
        >
            <span class="step-number" aria-hidden="true">
                {step.number()}
            </span>
            <span class="step-label">{step.label()}</span>
        </a>
    }
}

/// The link element of a step in the step list.
fn step_link(step: Step) -> Option<web_sys::HtmlElement> {
    let selector = format!(".step-nav a[data-step=\"{}\"]", step.slug());
    document()
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|el| el.dyn_into().ok())
}

fn move_focus_with_arrows(ev: KeyboardEvent) {
    if ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ev.shift_key() {
        return;
    }
    let Some(from) = ev
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a[data-step]").ok().flatten())
        .and_then(|el| el.get_attribute("data-step"))
        .and_then(|slug| Step::from_hash(&slug))
    else {
        return;
    };
    let to = match ev.key().as_str() {
        "ArrowDown" | "ArrowRight" => from.next(),
        "ArrowUp" | "ArrowLeft" => from.previous(),
        "Home" => Step::ALL.first().copied(),
        "End" => Step::ALL.last().copied(),
        _ => return,
    };
    ev.prevent_default();
    if let Some(link) = to.and_then(step_link) {
        let _ = link.focus();
    }
}
