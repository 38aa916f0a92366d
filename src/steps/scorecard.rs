//! Scorecard: the fifteen questions, answered with one click or key, with suggestions from
//! what the report already says.

use irdoc_core::model::Answer;
use irdoc_core::preview::render_inline;
use irdoc_core::questions::{identify, Category, QUESTIONS};
use irdoc_core::score::suggestion;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::use_doc;

#[component]
pub fn Scorecard() -> impl IntoView {
    let doc = use_doc();
    let rows = Memo::new(move |_| doc.with(|r| r.scorecard.rows.len()));
    let categories = Memo::new(move |_| doc.with(|r| r.scorecard.categories()));
    let derived = doc.derived;
    let mismatch = Memo::new(move |_| derived.with(|d| d.score.mismatch()));
    view! {
        <p class="help">"Answer each question: click, or focus a question and press Y, N or A (N/A). Unanswered questions are highlighted."</p>
        {move || mismatch.get().map(|stated| view! {
            <div class="notice warn" role="status" data-testid="total-mismatch">
                {format!("The page states a total of {stated}, but the answers count {}. ", derived.with(|d| d.score.total))}
                <button type="button" on:click=move |_| doc.update(|r| r.scorecard.stated_total = None)>"Use the counted total"</button>
            </div>
        })}
        {Category::ALL.into_iter().map(|c| view! {
            <fieldset class="score-category" data-testid=format!("category-{}", c.name().to_lowercase())>
                <legend>{c.name()}</legend>
                {move || (0..rows.get())
                    .filter(|&i| categories.with(|cs| cs.get(i) == Some(&c)))
                    .map(|i| view! { <QuestionRow index=i /> })
                    .collect_view()}
            </fieldset>
        }).collect_view()}
    }
}

#[component]
fn QuestionRow(index: usize) -> impl IntoView {
    let doc = use_doc();
    let answer = Memo::new(move |_| {
        doc.with(|r| {
            r.scorecard
                .rows
                .get(index)
                .map(|row| row.answer)
                .unwrap_or_default()
        })
    });
    let notes = Memo::new(move |_| {
        doc.with(|r| {
            r.scorecard
                .rows
                .get(index)
                .map(|row| row.notes.as_str().to_owned())
                .unwrap_or_default()
        })
    });
    let suggested = Memo::new(move |_| doc.with(|r| suggestion(r, index)));
    // A known question in its short form; a page's own wording rendered as the wiki shows it.
    let (short, wording_html) = doc.with_untracked(|r| {
        let wording = r
            .scorecard
            .rows
            .get(index)
            .map(|row| row.wording.clone())
            .unwrap_or_default();
        match identify(&wording) {
            Some(q) => (Some(QUESTIONS[q].short), None),
            None => (None, Some(render_inline(&wording))),
        }
    });
    let set = move |a: Answer| doc.update(|r| r.scorecard.set_answer(index, a));
    let name = format!("q{index}");
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let chosen = match ev.key().to_ascii_lowercase().as_str() {
            "y" => Some(Answer::Yes),
            "n" => Some(Answer::No),
            "a" => Some(Answer::NotApplicable),
            _ => None,
        };
        if let Some(a) = chosen {
            if ev.target().is_some_and(|t| !matches!(t.dyn_ref::<web_sys::HtmlInputElement>(), Some(i) if i.type_() == "text")) {
                ev.prevent_default();
                set(a);
            }
        }
    };
    view! {
        <div class="question" class:unanswered=move || answer.get() == Answer::Unknown
            role="radiogroup" aria-labelledby=format!("{name}-text") data-testid=format!("question-{index}")
            on:keydown=on_key>
            <p class="question-text" id=format!("{name}-text")>
                {format!("{}. ", index + 1)}{short}<span inner_html=wording_html.unwrap_or_default()></span>
            </p>
            <div class="answers">
                {[Answer::Yes, Answer::No, Answer::NotApplicable].into_iter().map(|a| view! {
                    <label class="answer">
                        <input type="radio" name=name.clone() value=a.label()
                            prop:checked=move || answer.get() == a on:change=move |_| set(a) />
                        {a.label()}
                    </label>
                }).collect_view()}
                <Show when=move || answer.get() != Answer::Unknown>
                    <button type="button" class="link-button" on:click=move |_| set(Answer::Unknown)>"Clear"</button>
                </Show>
            </div>
            {move || suggested.get().filter(|(a, _)| *a != answer.get()).map(|(a, why)| view! {
                <p class="hint" data-testid="suggestion">
                    {format!("Suggested: {} ({why}). ", a.label())}
                    <button type="button" class="link-button" on:click=move |_| set(a)>{format!("Answer {}", a.label())}</button>
                </p>
            })}
            <label class="notes">
                <span class="visually-hidden">{format!("Notes on question {}", index + 1)}</span>
                <input type="text" placeholder="Notes" prop:value=move || notes.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        doc.update(|r| if let Some(row) = r.scorecard.rows.get_mut(index) { row.notes = row.notes.with_str(v) });
                    } />
            </label>
        </div>
    }
}
