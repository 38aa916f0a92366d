//! The wiki irdoc works with (the author's setting, kept in localStorage under
//! [`SETTING_KEY`]), and the browser side of talking to it: anonymous cross-origin reads of
//! the Action API with `fetch`, and publishing as a form POST in a new tab. What to ask and
//! how to read the answers is `irdoc_core::wiki`.

use irdoc_core::wiki::{self, Form, Page, PageList, Target, Wiki, WikiError, SETTING_KEY};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::session::use_session;

/// The wiki irdoc works with, by its base address (a `String` signal, like many in the app,
/// rather than a signal of its own type: each signal type costs the wasm its own code).
#[derive(Clone, Copy)]
pub struct WikiSetting(pub RwSignal<String>);

/// Reads the setting once, for the whole app.
pub fn provide_wiki() {
    let session = use_session();
    let wiki = session
        .setting(SETTING_KEY)
        .and_then(|s| Wiki::parse(&s).ok())
        .unwrap_or_default();
    provide_context(WikiSetting(RwSignal::new(wiki.base().to_owned())));
}

/// The wiki's base address, tracked.
pub fn use_wiki() -> RwSignal<String> {
    expect_context::<WikiSetting>().0
}

/// The wiki irdoc works with now.
pub fn current_wiki() -> Wiki {
    Wiki::parse(&use_wiki().get_untracked()).unwrap_or_default()
}

/// Changes the wiki; returns the message to show.
pub fn set_wiki(input: &str) -> Result<Wiki, String> {
    let wiki = Wiki::parse(input).map_err(|e| e.to_string())?;
    let stored = if wiki == Wiki::default() {
        use_session().remove_setting(SETTING_KEY);
        Ok(())
    } else {
        use_session().set_setting(SETTING_KEY, wiki.base())
    };
    use_wiki().set(wiki.base().to_owned());
    stored.map(|()| wiki).map_err(|e| {
        format!("the wiki is changed for now, but the browser did not keep the setting: {e}")
    })
}

/// GETs `url` from the wiki as text (anonymous, cross-origin).
async fn get(wiki: &Wiki, url: &str) -> Result<String, WikiError> {
    let unreachable = || WikiError::Unreachable {
        wiki: wiki.base().to_owned(),
        offline: !window().navigator().on_line(),
    };
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str(url))
        .await
        .map_err(|_| unreachable())?
        .unchecked_into();
    if !response.ok() {
        return Err(WikiError::Status {
            status: response.status(),
            wiki: wiki.base().to_owned(),
        });
    }
    let text = response.text().map_err(|_| unreachable())?;
    JsFuture::from(text)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(unreachable)
}

/// Reads a page (its latest revision) or one revision.
pub async fn read(wiki: &Wiki, target: &Target) -> Result<Page, WikiError> {
    let text = get(wiki, &wiki.read_url(target)).await?;
    wiki::read_answer(target, &text)
}

/// One part of the list of incident pages.
pub async fn list(wiki: &Wiki, from: Option<&str>) -> Result<PageList, WikiError> {
    let text = get(wiki, &wiki.list_url(from)).await?;
    wiki::list_answer(&text)
}

/// Submits `form` as a POST in a new tab (a top-level navigation, so no CORS is involved).
/// Call it from a click: browsers open new tabs only for the user's own gestures.
pub fn submit(form: &Form) -> Result<(), String> {
    let failed = |_| "the browser did not let irdoc open the wiki's editor".to_owned();
    let document = document();
    // Attributes, through the one `setAttribute` the app uses everywhere (a hidden input
    // submits its `value` attribute, newlines and all).
    let element = document.create_element("form").map_err(failed)?;
    for (name, value) in [
        ("method", "post"),
        ("action", form.action.as_str()),
        ("target", "_blank"),
        ("accept-charset", "UTF-8"),
    ] {
        element.set_attribute(name, value).map_err(failed)?;
    }
    for (name, value) in &form.fields {
        let input = document.create_element("input").map_err(failed)?;
        for (attribute, value) in [("type", "hidden"), ("name", name), ("value", value)] {
            input.set_attribute(attribute, value).map_err(failed)?;
        }
        element.append_child(&input).map_err(failed)?;
    }
    let body = document.body().ok_or("the page has no body")?;
    body.append_child(&element).map_err(failed)?;
    let submitted = element
        .unchecked_ref::<web_sys::HtmlFormElement>()
        .submit()
        .map_err(failed);
    element.remove();
    submitted
}

/// The browser's clock as an API timestamp (`2025-04-02T08:00:00Z`).
pub fn now_timestamp() -> String {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    match iso.get(..19) {
        Some(seconds) => format!("{seconds}Z"),
        None => iso,
    }
}

/// A link to a draft's wiki page, for the library and the share view.
pub fn wiki_page_link(origin: &wiki::Origin) -> impl IntoView {
    let html = format!(
        "On the wiki: <a href=\"{}\" target=\"_blank\" rel=\"noopener\" data-testid=\"wiki-page-link\">{}</a> (revision {})",
        irdoc_core::preview::escape_html(&origin.page_url()),
        irdoc_core::preview::escape_html(&origin.title),
        origin.revid
    );
    view! { <span class="wiki-page" data-testid="wiki-page" inner_html=html></span> }
}
