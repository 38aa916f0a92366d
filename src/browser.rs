//! Thin wrappers over the browser APIs the app uses.

use wasm_bindgen::{JsCast, JsValue};

/// Writes text to the clipboard.
pub async fn copy_to_clipboard(text: &str) -> Result<(), JsValue> {
    let promise = web_sys::window()
        .ok_or(JsValue::NULL)?
        .navigator()
        .clipboard()
        .write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
}

/// Offers `content` to the user as a file download.
pub fn download(name: &str, mime: &str, content: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = leptos::prelude::document();
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The file chosen in a file input's `change` event. The input is cleared, so that choosing
/// the same file again is a change too.
pub fn chosen_file(ev: &web_sys::Event) -> Option<web_sys::File> {
    let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0);
    input.set_value("");
    file
}

/// A file's contents as text.
pub async fn file_text(file: &web_sys::File) -> Option<String> {
    wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()?
        .as_string()
}

/// The files a report downloads as.
#[derive(Clone, Copy)]
pub enum ReportFile {
    /// The wiki page.
    Wiki,
    /// The report as JSON, which irdoc opens again.
    Json,
}

/// Offers a report as a file named after its title (`2026-11-20_Edit_failures.wiki`).
pub fn download_report(report: &irdoc_core::Report, file: ReportFile) {
    let stem: String = report
        .title
        .trim()
        .trim_start_matches("Incidents/")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = if stem.is_empty() {
        "incident-report"
    } else {
        &stem
    };
    match file {
        ReportFile::Wiki => download(
            &format!("{stem}.wiki"),
            "text/plain",
            &irdoc_core::export(report),
        ),
        ReportFile::Json => download(
            &format!("{stem}.json"),
            "application/json",
            &irdoc_core::json::report_to_json(report),
        ),
    }
}
