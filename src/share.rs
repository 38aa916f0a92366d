//! Sharing without a server: a draft in the URL fragment (`#share=…`, never sent to the host),
//! optionally sealed with a passphrase by the browser's Web Crypto, and published drafts
//! (`?draft=path`) hosted beside the app. Both open read-only until the reader saves them.

use irdoc_core::check::check;
use irdoc_core::compare::{changes, DiffLine};
use irdoc_core::open::{read_any, Opened};
use irdoc_core::preview::render;
use irdoc_core::score::score;
use irdoc_core::share::{self, Packed, Sealed, ShareError, Shared};
use irdoc_core::{export, Report};
use js_sys::{Array, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::browser::{copy_to_clipboard, download_report, ReportFile};
use crate::session::use_session;
use crate::state::use_doc;
use irdoc_core::step::Step;

/// Links longer than this are cut by common chat tools and some browsers.
pub const LINK_WARN_CHARS: usize = 8_000;
/// PBKDF2 rounds for new sealed links (OWASP's figure for SHA-256).
const ITERATIONS: u32 = 600_000;
/// A sealed link asking for more rounds than this is refused rather than run for minutes.
const MAX_ITERATIONS: u32 = 10_000_000;

/// A report that arrived from outside, shown read-only.
#[derive(Clone, Debug, PartialEq)]
pub enum Incoming {
    /// A passphrase-protected link, waiting for its passphrase.
    Locked(Sealed),
    Loaded {
        shared: Box<Shared>,
        source: String,
    },
    Failed(String),
}

/// What the page was opened with: a share link or a published draft (loaded into the
/// returned signal), or neither.
pub fn incoming_from_location() -> Option<RwSignal<Option<Incoming>>> {
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    let incoming = RwSignal::new(None);
    if let Some(data) = share::in_fragment(&hash).map(str::to_owned) {
        leptos::task::spawn_local(async move { incoming.set(Some(from_link(&data).await)) });
        return Some(incoming);
    }
    let search = location.search().unwrap_or_default();
    let path = web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get("draft")?;
    leptos::task::spawn_local(async move {
        incoming.set(Some(
            published(&path).await.unwrap_or_else(Incoming::Failed),
        ));
    });
    Some(incoming)
}

async fn from_link(data: &str) -> Incoming {
    match share::unpack(data) {
        Ok(Packed::Deflated(body)) => match inflate(&body).await {
            Ok(bytes) => loaded(&bytes, "a share link"),
            Err(e) => Incoming::Failed(e.to_string()),
        },
        Ok(Packed::Sealed(sealed)) if sealed.iterations > MAX_ITERATIONS => {
            Incoming::Failed(ShareError::Corrupt.to_string())
        }
        Ok(Packed::Sealed(sealed)) => Incoming::Locked(sealed),
        Err(e) => Incoming::Failed(e.to_string()),
    }
}

fn loaded(bytes: &[u8], source: &str) -> Incoming {
    match share::read_payload(bytes) {
        Ok(shared) => Incoming::Loaded {
            shared: Box::new(shared),
            source: source.to_owned(),
        },
        Err(e) => Incoming::Failed(e.to_string()),
    }
}

/// A report file published beside the app: JSON (report, stored draft, or share payload) or
/// wikitext. Only the app's own origin is read.
async fn published(path: &str) -> Result<Incoming, String> {
    let location = window().location();
    let here = location
        .href()
        .map_err(|_| "the page address could not be read")?;
    let url = web_sys::Url::new_with_base(path, &here)
        .map_err(|_| format!("“{path}” is not a file address"))?;
    if url.origin() != location.origin().unwrap_or_default() {
        return Err(format!(
            "“{path}” is on another site; irdoc opens published drafts only from its own site"
        ));
    }
    let fail = |what: &str| {
        format!(
            "The published draft {} could not be loaded: {what}.",
            url.pathname()
        )
    };
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str(&url.href()))
        .await
        .map_err(|_| {
            if window().navigator().on_line() {
                fail("the request failed")
            } else {
                // Kept by the service worker once opened; this one never was.
                format!(
                    "The published draft {} needs the network: this browser is offline and has not opened it before. Connect and reload to read it (your own drafts are in Drafts).",
                    url.pathname()
                )
            }
        })?
        .unchecked_into();
    if !response.ok() {
        return Err(fail(&format!("the server answered {}", response.status())));
    }
    let text = JsFuture::from(response.text().map_err(|_| fail("no text"))?)
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| fail("it is not text"))?;
    if text.len() > share::MAX_DECODED_BYTES {
        return Err(fail("it is larger than irdoc opens"));
    }
    let report = read_any(url.pathname().as_str(), text.as_bytes())
        .and_then(Opened::into_report)
        .map_err(|e| fail(&e.to_string()))?;
    Ok(Incoming::Loaded {
        shared: Box::new(Shared {
            id: format!("published:{}", url.pathname()),
            report,
        }),
        source: format!("the published draft {}", url.pathname()),
    })
}

fn crypto() -> Result<web_sys::Crypto, JsValue> {
    window().crypto()
}

async fn derive_key(
    passphrase: &str,
    salt: &[u8],
    iterations: u32,
) -> Result<web_sys::CryptoKey, JsValue> {
    let subtle = crypto()?.subtle();
    let secret = Uint8Array::from(passphrase.as_bytes());
    let base = JsFuture::from(subtle.import_key_with_str(
        "raw",
        &secret,
        "PBKDF2",
        false,
        &Array::of1(&"deriveKey".into()),
    )?)
    .await?
    .unchecked_into();
    let params = web_sys::Pbkdf2Params::new_with_str(
        "PBKDF2",
        "SHA-256",
        iterations,
        &Uint8Array::from(salt),
    );
    let aes = web_sys::AesDerivedKeyParams::new("AES-GCM", 256);
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    Ok(JsFuture::from(
        subtle.derive_key_with_object_and_object(&params, &base, &aes, false, &usages)?,
    )
    .await?
    .unchecked_into())
}

// web-sys has CompressionStream and DecompressionStream only behind
// `web_sys_unstable_apis`; the constructors irdoc needs are declared here instead.
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
}

/// `bytes` through one of the browser's (de)compression streams, a { readable, writable }
/// pair as pipeThrough takes it.
fn through(bytes: &[u8], pair: &JsValue) -> Result<web_sys::ReadableStream, JsValue> {
    let input = web_sys::Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(bytes)))?;
    Ok(input.stream().pipe_through(pair.unchecked_ref()))
}

/// Raw DEFLATE by the browser's own compressor (no encoder in the wasm); the link codec
/// reads its output like any other.
async fn deflate(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    let output = through(bytes, &CompressionStream::new("deflate-raw")?.into())?;
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&output))?;
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// Undoes [`deflate`] with the browser's own decompressor, read a chunk at a time and
/// stopped past [`share::MAX_DECODED_BYTES`] (a small link can unpack to gigabytes), as the
/// core's `share::inflate` does.
async fn inflate(compressed: &[u8]) -> Result<Vec<u8>, ShareError> {
    let corrupt = |_| ShareError::Corrupt;
    let output = DecompressionStream::new("deflate-raw")
        .and_then(|pair| through(compressed, &pair.into()))
        .map_err(corrupt)?;
    let reader: web_sys::ReadableStreamDefaultReader = output.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let chunk: web_sys::ReadableStreamReadResult = JsFuture::from(reader.read())
            .await
            .map_err(corrupt)?
            .unchecked_into();
        if chunk.get_done().unwrap_or(true) {
            return Ok(out);
        }
        let bytes = Uint8Array::new(&chunk.get_value());
        if out.len() + bytes.length() as usize > share::MAX_DECODED_BYTES {
            let _ = reader.cancel();
            return Err(ShareError::TooLarge {
                limit: share::MAX_DECODED_BYTES,
            });
        }
        out.extend(bytes.to_vec());
    }
}

/// Compresses and encrypts a payload with a key derived from `passphrase`.
async fn seal(passphrase: &str, payload: &[u8]) -> Result<Sealed, JsValue> {
    let (mut salt, mut iv) = ([0u8; 16], [0u8; 12]);
    crypto()?.get_random_values_with_u8_array(&mut salt)?;
    crypto()?.get_random_values_with_u8_array(&mut iv)?;
    let key = derive_key(passphrase, &salt, ITERATIONS).await?;
    let params = web_sys::AesGcmParams::new("AES-GCM", &Uint8Array::from(&iv[..]));
    let encrypted = JsFuture::from(crypto()?.subtle().encrypt_with_object_and_u8_array(
        &params,
        &key,
        &deflate(payload).await?,
    )?)
    .await?;
    Ok(Sealed {
        salt,
        iv,
        iterations: ITERATIONS,
        ciphertext: Uint8Array::new(&encrypted).to_vec(),
    })
}

/// Decrypts a sealed payload; `None` when the passphrase is wrong.
async fn unseal(passphrase: &str, sealed: &Sealed) -> Option<Result<Vec<u8>, ShareError>> {
    let key = derive_key(passphrase, &sealed.salt, sealed.iterations)
        .await
        .ok()?;
    let params = web_sys::AesGcmParams::new("AES-GCM", &Uint8Array::from(&sealed.iv[..]));
    let promise = crypto()
        .ok()?
        .subtle()
        .decrypt_with_object_and_u8_array(&params, &key, &sealed.ciphertext)
        .ok()?;
    // AES-GCM authenticates: a wrong key fails here rather than giving garbage.
    let plain = JsFuture::from(promise).await.ok()?;
    Some(inflate(&Uint8Array::new(&plain).to_vec()).await)
}

/// The app's address without query or fragment: where share links point.
fn app_address() -> String {
    let l = window().location();
    format!(
        "{}{}",
        l.origin().unwrap_or_default(),
        l.pathname().unwrap_or_default()
    )
}

/// Making a share link of the open draft (in the Export step).
#[component]
pub fn SharePanel() -> impl IntoView {
    let doc = use_doc();
    let session = use_session();
    let protect = RwSignal::new(false);
    let passphrase = RwSignal::new(String::new());
    let link = RwSignal::new(None::<String>);
    let note = RwSignal::new(None::<String>);
    let make = move |_| {
        let shared = Shared {
            id: session.draft_id.get_untracked(),
            report: doc.with_untracked(Report::clone),
        };
        let payload = share::payload(&shared);
        let (protect, secret) = (protect.get_untracked(), passphrase.get_untracked());
        if protect && secret.chars().count() < 8 {
            note.set(Some("Use a passphrase of at least 8 characters.".into()));
            return;
        }
        note.set(None);
        leptos::task::spawn_local(async move {
            let data = if protect {
                match seal(&secret, &payload).await {
                    Ok(sealed) => share::encode_sealed(&sealed),
                    Err(_) => {
                        note.set(Some("This browser could not encrypt the link (Web Crypto needs https or localhost).".into()));
                        return;
                    }
                }
            } else {
                match deflate(&payload).await {
                    Ok(deflated) => share::encode_compressed(&deflated),
                    Err(_) => {
                        note.set(Some("This browser could not compress the link.".into()));
                        return;
                    }
                }
            };
            link.set(Some(share::link(&app_address(), &data)));
        });
    };
    let length = move || link.with(|l| l.as_ref().map_or(0, |l| l.chars().count()));
    view! {
        <section aria-labelledby="share-heading" class="share">
            <h3 id="share-heading">"Share"</h3>
            <p class="help">"The draft travels inside the link, after “#”: the host never sees it. Anyone with the link can read it; protect it with a passphrase to paste it in a public channel."</p>
            <div class="row">
                <label class="choice">
                    <input type="checkbox" data-testid="share-protect" prop:checked=move || protect.get()
                        on:change=move |ev| protect.set(event_target_checked(&ev)) />
                    "Protect with a passphrase"
                </label>
                <Show when=move || protect.get()>
                    <label class="visually-hidden" for="share-passphrase">"Passphrase"</label>
                    <input id="share-passphrase" type="password" autocomplete="new-password" placeholder="Passphrase (8+ characters)"
                        data-testid="share-passphrase" prop:value=move || passphrase.get()
                        on:input=move |ev| passphrase.set(event_target_value(&ev)) />
                </Show>
                <button type="button" class="primary" data-testid="share-make" on:click=make>"Make share link"</button>
            </div>
            {move || note.get().map(|n| view! { <p class="notice warn" role="status">{n}</p> })}
            {move || link.get().map(|l| {
                let copy_text = l.clone();
                view! {
                    <label for="share-link">{move || format!("Share link ({} characters)", length())}</label>
                    <input id="share-link" class="mono" type="text" readonly prop:value=l data-testid="share-link" />
                    <div class="row">
                        <button type="button" data-testid="share-copy" on:click=move |_| {
                            let text = copy_text.clone();
                            leptos::task::spawn_local(async move {
                                let done = copy_to_clipboard(&text).await.is_ok();
                                note.set(Some(if done { "Link copied.".into() } else { "Select the link and copy it.".into() }));
                            });
                        }>"Copy link"</button>
                    </div>
                    <Show when=move || { length() > LINK_WARN_CHARS }>
                        <p class="notice warn" data-testid="share-too-long">
                            {move || format!("This link is {} characters: chat tools and some browsers cut links longer than about {LINK_WARN_CHARS}. Send the .json file instead (Download .json above), or publish it beside the app as a draft file (see the README).", length())}
                        </p>
                    </Show>
                }
            })}
        </section>
    }
}

/// A shared or published report, read-only, with ways to keep it.
#[component]
pub fn SharedView(
    /// The report, once it has arrived; it may change (a protected link, once unlocked).
    state: RwSignal<Option<Incoming>>,
) -> impl IntoView {
    let closed = expect_context::<SharedClosed>();
    view! {
        <section class="shared" aria-labelledby="shared-heading" data-testid="shared">
            {move || match state.get() {
                None => view! { <p role="status">"Opening the shared report…"</p> }.into_any(),
                Some(Incoming::Failed(message)) => view! {
                    <h2 id="shared-heading">"This link cannot be opened"</h2>
                    <p class="notice error" role="alert" data-testid="shared-error">{message}</p>
                    <p>"Nothing was loaded or saved. "<button type="button" class="link-button" on:click=move |_| leave(closed, "#/drafts")>"Go to my drafts"</button></p>
                }
                .into_any(),
                Some(Incoming::Locked(sealed)) => view! { <Unlock sealed state /> }.into_any(),
                Some(Incoming::Loaded { shared, source }) => view! { <ReadOnly shared=*shared source /> }.into_any(),
            }}
        </section>
    }
}

/// Set when the reader leaves the shared view: the app shows the editor again.
#[derive(Clone, Copy)]
pub struct SharedClosed(pub RwSignal<bool>);

/// Leaves the shared view for `hash` in the app: the link's fragment and query leave the
/// address (so a reload opens the editor, not the link again).
fn leave(closed: SharedClosed, hash: &str) {
    let l = window().location();
    let url = format!(
        "{}{}",
        l.origin().unwrap_or_default(),
        l.pathname().unwrap_or_default()
    );
    let _ = window()
        .history()
        .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&url)));
    let _ = l.set_hash(hash);
    closed.0.set(true);
}

#[component]
fn Unlock(sealed: Sealed, state: RwSignal<Option<Incoming>>) -> impl IntoView {
    let passphrase = RwSignal::new(String::new());
    let wrong = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let sealed = StoredValue::new(sealed);
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        let secret = passphrase.get_untracked();
        let sealed = sealed.get_value();
        leptos::task::spawn_local(async move {
            match unseal(&secret, &sealed).await {
                Some(Ok(bytes)) => {
                    state.set(Some(loaded(&bytes, "a passphrase-protected share link")))
                }
                Some(Err(e)) => state.set(Some(Incoming::Failed(e.to_string()))),
                None => wrong.set(true),
            }
            busy.set(false);
        });
    };
    view! {
        <h2 id="shared-heading">"A protected report"</h2>
        <form on:submit=open class="unlock">
            <label for="unlock-passphrase">"Passphrase"</label>
            <input id="unlock-passphrase" type="password" data-testid="unlock-passphrase" autocomplete="off"
                prop:value=move || passphrase.get() on:input=move |ev| { wrong.set(false); passphrase.set(event_target_value(&ev)); } />
            <button type="submit" class="primary" data-testid="unlock" disabled=move || busy.get()>"Open"</button>
        </form>
        <Show when=move || wrong.get()>
            <p class="notice error" role="alert" data-testid="unlock-wrong">"That passphrase does not open this link. Check it with the person who shared it."</p>
        </Show>
    }
}

#[component]
fn ReadOnly(shared: Shared, source: String) -> impl IntoView {
    let session = use_session();
    let closed = expect_context::<SharedClosed>();
    let Shared { id, report } = shared;
    let mine = session.read(&id);
    let diff = mine.as_ref().map(|m| changes(&m.report, &report));
    let wikitext = export(&report);
    let preview = render(&wikitext);
    let s = score(&report.scorecard);
    let findings = check(&report);
    let title = irdoc_core::drafts::shown_title(&report.title).to_owned();
    let report = StoredValue::new(report);
    // Keeps the shared report: under its own id when the reader has no draft with that id
    // (so a later link of it shows what changed), or when they chose to replace theirs.
    let keep = move |replace: bool| {
        let report = report.get_value();
        if replace || session.read(&id).is_none() {
            session.adopt(&id, report);
        } else {
            session.save_as_new(report);
        }
        leave(closed, Step::Overview.hash());
    };
    let keep_new = keep.clone();
    let has_mine = mine.is_some();
    view! {
        <h2 id="shared-heading" data-testid="shared-title">{title}</h2>
        <p class="help">{format!("A read-only report from {source}. Nothing is saved until you choose to.")}</p>
        {report.with_value(|r| r.wiki.as_ref().map(crate::wiki::wiki_page_link))}
        <div class="row">
            {if has_mine {
                view! {
                    <button type="button" class="primary" data-testid="shared-save-new" on:click=move |_| keep_new(false)>"Save as a new draft"</button>
                    <button type="button" data-testid="shared-replace" on:click=move |_| keep(true)>"Replace my draft with this copy"</button>
                }.into_any()
            } else {
                view! { <button type="button" class="primary" data-testid="shared-save" on:click=move |_| keep(false)>"Save as my draft"</button> }.into_any()
            }}
            <button type="button" on:click=move |_| report.with_value(|r| download_report(r, ReportFile::Wiki))>"Download .wiki"</button>
            <button type="button" on:click=move |_| report.with_value(|r| download_report(r, ReportFile::Json))>"Download .json"</button>
        </div>
        {diff.map(|d| view! { <Changes changes=d /> })}
        <p class="score" data-testid="shared-score">{format!("Score {} / {} ({} unanswered)", s.total, s.questions, s.unanswered)}</p>
        <ul class="checks-list" data-testid="shared-checks">
            {findings.into_iter().map(|f| view! { <li>{f.message}</li> }).collect_view()}
        </ul>
        <div class="preview wiki" data-testid="shared-preview" inner_html=preview></div>
    }
}

/// What the shared copy changed, section by section, against the reader's own draft.
#[component]
fn Changes(changes: Vec<irdoc_core::compare::SectionChange>) -> impl IntoView {
    let empty = changes.is_empty();
    view! {
        <section class="changes" aria-labelledby="changes-heading" data-testid="shared-changes">
            <h3 id="changes-heading">"You already have this draft: what the shared copy changes"</h3>
            {empty.then(|| view! { <p>"Nothing: the shared copy is the same as yours."</p> })}
            {changes.into_iter().map(|c| view! {
                <h4>{c.section}</h4>
                <pre class="diff">
                    {c.lines.into_iter().filter(|l| !matches!(l, DiffLine::Same(_))).map(|l| match l {
                        DiffLine::Added(t) => view! { <ins>{format!("+ {t}\n")}</ins> }.into_any(),
                        DiffLine::Removed(t) => view! { <del>{format!("− {t}\n")}</del> }.into_any(),
                        DiffLine::Same(_) => ().into_any(),
                    }).collect_view()}
                </pre>
            }).collect_view()}
        </section>
    }
}
