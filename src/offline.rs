//! Working with no network, and as an installed app (README.md, "Offline and installing").
//!
//! A release build comes with a service worker (worker/sw.js, completed by
//! scripts/offline-build.mjs) and says so in index.html with `<meta name="irdoc-worker">`.
//! Here the app registers it (a development build has no mark and registers nothing), notices
//! a newer build waiting and switches to it when the author asks, follows whether the browser
//! is online, and keeps the browser's offer to install the app. Each is a small hook; the
//! header and the update banner (components/offline.rs) only show them.

use std::time::Duration;

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
};

/// How long a switch to a new build waits for the new worker to take over before reloading
/// anyway.
const SWITCH_WAIT: Duration = Duration::from_secs(3);

/// Whether the browser says it is online, kept up to date by its `online` and `offline` events.
pub fn use_online() -> Signal<bool> {
    let online = RwSignal::new(window().navigator().on_line());
    let up = window_event_listener(ev::online, move |_| online.set(true));
    let down = window_event_listener(ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        up.remove();
        down.remove();
    });
    online.into()
}

/// The page's service worker, when the build has one.
#[derive(Clone, Copy)]
pub struct Worker {
    /// A newer build is installed and waiting (or another tab switched to it): a reload shows it.
    pub update_ready: Signal<bool>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
    /// This tab asked the waiting build to take over, and reloads when it has.
    switching: StoredValue<bool>,
}

impl Worker {
    /// Switches to the waiting build: it takes over, then the page reloads. Save the draft first.
    pub fn switch(&self) {
        let waiting = self
            .registration
            .with_value(|r| r.as_ref().and_then(ServiceWorkerRegistration::waiting));
        let Some(waiting) = waiting else {
            return reload();
        };
        self.switching.set_value(true);
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
        let _ = waiting.post_message(&message);
        set_timeout(reload, SWITCH_WAIT);
    }
}

fn reload() {
    let _ = window().location().reload();
}

/// The service worker script index.html names, in a build that has one.
fn worker_script() -> Option<String> {
    document()
        .query_selector(r#"meta[name="irdoc-worker"]"#)
        .ok()
        .flatten()?
        .get_attribute("content")
        .filter(|s| !s.is_empty())
}

/// `navigator.serviceWorker`, where the browser has it (secure contexts only).
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    js_sys::Reflect::has(&navigator, &"serviceWorker".into())
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// Registers the build's worker (by a path relative to the page, so a sub-path works) and
/// watches for newer builds: when the page is shown again and when the network comes back.
/// In a build with no worker (trunk serve) a worker left from a release build is removed.
pub fn use_worker() -> Worker {
    let ready = RwSignal::new(false);
    let worker = Worker {
        update_ready: ready.into(),
        registration: StoredValue::new_local(None),
        switching: StoredValue::new(false),
    };
    let Some(container) = container() else {
        return worker;
    };
    let Some(script) = worker_script() else {
        leptos::task::spawn_local(async move {
            let found = wasm_bindgen_futures::JsFuture::from(container.get_registration()).await;
            if let Ok(registration) = found.and_then(|r| r.dyn_into::<ServiceWorkerRegistration>())
            {
                let _ = registration.unregister();
            }
        });
        return worker;
    };

    // The first worker taking over a page it did not load is no update; a later one is.
    let controlled = StoredValue::new(container.controller().is_some());
    let on_controller = Closure::<dyn FnMut()>::new(move || {
        if worker.switching.get_value() {
            reload();
        } else if controlled.get_value() {
            ready.set(true);
        }
        controlled.set_value(true);
    });
    container.set_oncontrollerchange(Some(on_controller.as_ref().unchecked_ref()));
    on_controller.forget();

    let registering = container.register(&script);
    leptos::task::spawn_local(async move {
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(registering)
            .await
            .and_then(|r| r.dyn_into::<ServiceWorkerRegistration>())
        else {
            return;
        };
        let waits = move |w: &ServiceWorker| {
            w.state() == ServiceWorkerState::Installed && controlled.get_value()
        };
        if registration.waiting().is_some_and(|w| waits(&w)) {
            ready.set(true);
        }
        let watched = registration.clone();
        let on_found = Closure::<dyn FnMut()>::new(move || {
            let Some(installing) = watched.installing() else {
                return;
            };
            let new = installing.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if waits(&new) {
                    ready.set(true);
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
        worker.registration.set_value(Some(registration));
    });

    let check = move || {
        worker.registration.with_value(|r| {
            if let Some(r) = r {
                let _ = r.update();
            }
        })
    };
    let shown = window_event_listener(ev::visibilitychange, move |_| {
        if !document().hidden() {
            check();
        }
    });
    let back = window_event_listener(ev::online, move |_| check());
    on_cleanup(move || {
        shown.remove();
        back.remove();
    });
    worker
}

#[wasm_bindgen]
extern "C" {
    /// The browser's offer to install the app (Chromium's `beforeinstallprompt`).
    #[wasm_bindgen(extends = web_sys::Event)]
    type BeforeInstallPromptEvent;
    #[wasm_bindgen(method, catch)]
    fn prompt(this: &BeforeInstallPromptEvent) -> Result<js_sys::Promise, JsValue>;
}

/// The browser's offer to install the app, kept for a button of the app's own.
#[derive(Clone, Copy)]
pub struct InstallOffer {
    /// The browser offers to install irdoc (and it is not installed yet).
    pub available: Signal<bool>,
    offer: StoredValue<Option<BeforeInstallPromptEvent>, LocalStorage>,
    shown: RwSignal<bool>,
}

impl InstallOffer {
    /// Shows the browser's install dialog; an offer is good for one dialog.
    pub fn prompt(&self) {
        if let Some(offer) = self.offer.try_update_value(Option::take).flatten() {
            let _ = offer.prompt();
        }
        self.shown.set(false);
    }
}

/// Keeps the browser's install offer (where it makes one) instead of its own mini-bar.
pub fn use_install_offer() -> InstallOffer {
    let shown = RwSignal::new(false);
    let offer = StoredValue::new_local(None);
    let offered = window_event_listener_untyped("beforeinstallprompt", move |e| {
        e.prevent_default();
        offer.set_value(Some(e.unchecked_into()));
        shown.set(true);
    });
    let installed = window_event_listener_untyped("appinstalled", move |_| {
        offer.set_value(None);
        shown.set(false);
    });
    on_cleanup(move || {
        offered.remove();
        installed.remove();
    });
    InstallOffer {
        available: shown.into(),
        offer,
        shown,
    }
}

/// Everything above, made once for the app.
#[derive(Clone, Copy)]
pub struct Offline {
    pub online: Signal<bool>,
    pub worker: Worker,
    pub install: InstallOffer,
}

pub fn provide_offline() -> Offline {
    let offline = Offline {
        online: use_online(),
        worker: use_worker(),
        install: use_install_offer(),
    };
    provide_context(offline);
    offline
}

pub fn use_offline() -> Offline {
    expect_context::<Offline>()
}
