use irdoc_core::analysis::format_duration;
use leptos::prelude::*;

use crate::state::use_doc;
use irdoc_core::step::Step;

/// The live score and the report's state, beside every step.
#[component]
pub fn ScoreSummary() -> impl IntoView {
    let derived = use_doc().derived;
    let score = Memo::new(move |_| derived.with(|d| d.score.clone()));
    view! {
        <aside class="score-summary" aria-labelledby="score-heading" data-testid="score-summary">
            <h2 id="score-heading" class="aside-heading">"Scorecard"</h2>
            <p class="score" data-testid="score-value" aria-live="polite">
                "Score " <strong data-testid="score-total">{move || score.with(|s| s.total)}</strong>
                " / " {move || score.with(|s| s.questions)}
            </p>
            <meter class="score-meter" min="0" max=move || score.with(|s| s.questions)
                value=move || score.with(|s| s.total) aria-label="Scorecard score"></meter>
            <dl class="subtotals">
                {move || score.with(|s| s.categories.iter().map(|(name, n)| view! {
                    <div data-testid=format!("subtotal-{}", name.to_lowercase())><dt>{*name}</dt><dd>{format!("{n} / 5")}</dd></div>
                }).collect_view())}
            </dl>
            {move || score.with(|s| (s.unanswered > 0).then(|| view! {
                <p class="aside-note"><a href=Step::Scorecard.hash() data-testid="unanswered">{format!("{} unanswered", s.unanswered)}</a></p>
            }))}
            {move || score.with(|s| s.mismatch().map(|stated| view! {
                <p class="aside-note warn" data-testid="stated-mismatch">{format!("The page states {stated}")}</p>
            }))}
            <h2 class="aside-heading">"Report"</h2>
            <p class="aside-note" data-testid="aside-outage">{move || derived.with(|d| d.figures.outage.map_or_else(|| "Outage length: —".to_owned(), |(d, _)| format!("Outage length: {}", format_duration(d))))}</p>
            <p class="aside-note">
                <a href=Step::Export.hash() data-testid="aside-checks">{move || derived.with(|d| d.tally.to_string())}</a>
            </p>
        </aside>
    }
}
