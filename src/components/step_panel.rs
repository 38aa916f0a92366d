use leptos::prelude::*;

use crate::steps;
use irdoc_core::step::Step;

/// The editing area of the current step: heading, what the step is for, its
/// form (filled in by later work), and links to the previous and next step.
#[component]
pub fn StepPanel(#[prop(into)] step: Signal<Step>) -> impl IntoView {
    move || {
        let step = step.get();
        view! {
            <section
                class="step-panel"
                aria-labelledby="step-heading"
                data-testid=format!("panel-{}", step.slug())
            >
                <header class="step-panel-header">
                    <p class="step-position" data-testid="step-position">
                        {format!("Step {} of {}", step.number(), Step::ALL.len())}
                    </p>
                    <h2 id="step-heading" class="step-heading" data-testid="step-heading">
                        {step.label()}
                    </h2>
                    <p class="step-description">{step.description()}</p>
                </header>
                <div class="step-body" data-testid="step-body">
                    <StepForm step />
                </div>
                <StepPager step />
            </section>
        }
    }
}

/// The form of one step.
#[component]
fn StepForm(step: Step) -> impl IntoView {
    match step {
        Step::Overview => view! { <steps::Overview /> }.into_any(),
        Step::Summary => view! {
            <steps::Prose id="summary" label="Summary" get=|r| &r.summary get_mut=|r| &mut r.summary guidance=steps::SUMMARY_GUIDANCE />
        }
        .into_any(),
        Step::Timeline => view! { <steps::Timeline /> }.into_any(),
        Step::Detection => view! {
            <steps::Prose id="detection" label="Detection" get=|r| &r.detection get_mut=|r| &mut r.detection guidance=steps::DETECTION_GUIDANCE />
        }
        .into_any(),
        Step::Conclusions => view! { <steps::Conclusions /> }.into_any(),
        Step::Links => view! {
            <steps::Prose id="links" label="Links to relevant documentation" get=|r| &r.links get_mut=|r| &mut r.links guidance=steps::LINKS_GUIDANCE />
        }
        .into_any(),
        Step::Actionables => view! { <steps::Actionables /> }.into_any(),
        Step::Scorecard => view! { <steps::Scorecard /> }.into_any(),
        Step::Export => view! { <steps::Export /> }.into_any(),
    }
}

/// "Previous" and "Next" links at the foot of a panel.
#[component]
fn StepPager(step: Step) -> impl IntoView {
    let link = |to: Option<Step>, rel: &'static str, text: &'static str| {
        to.map(|to| {
            view! {
                <a class=format!("pager-link pager-{rel}") href=to.hash() rel=rel data-testid=format!("pager-{rel}")>
                    <span class="pager-dir">{text}</span>
                    <span class="pager-label">{to.label()}</span>
                </a>
            }
        })
    };
    view! {
        <nav class="pager" aria-label="Previous and next step">
            {link(step.previous(), "prev", "Previous")}
            {link(step.next(), "next", "Next")}
        </nav>
    }
}
