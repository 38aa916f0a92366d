//! The draft being edited and where it is kept: localStorage, saved as the author types.
//!
//! Every change to the report schedules a save, at most one per [`SAVE_EVERY`], and leaving
//! the page saves at once. Every write of a draft, by the editor or the library, goes through
//! [`Session::write`], which stamps it with the next revision and this tab. Another tab's
//! write or delete of the open draft arrives as a `storage` event: a write is taken in when
//! this tab has nothing unsaved, else the author settles it (theirs, mine, or both); a delete
//! is always shown, with the choice to keep the draft or let it go.

use std::time::Duration;

use gloo_storage::{LocalStorage as BrowserStorage, Storage as _};
use irdoc_core::drafts::{
    self, decode_draft, draft_key, encode_draft_of, next_stamp, peek_stamp, write_check, DraftMeta,
    Library, Stamp, StorageUse, StoredDraft, WriteCheck, DRAFT_PREFIX, LAST_KEY,
};
use irdoc_core::Report;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;

use crate::state::Doc;

/// The shortest time between two autosaves while the author types.
pub const SAVE_EVERY: Duration = Duration::from_millis(300);

/// Whether the current draft is safely stored.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    /// Nothing typed yet in this new draft.
    Untouched,
    Pending,
    Saved {
        at_ms: i64,
    },
    /// Storage refused the save; the draft lives in this tab only.
    Failed {
        reason: String,
    },
    /// Another tab saved this draft since this tab loaded it.
    Conflict {
        theirs: u64,
    },
    /// Another tab deleted this draft; this tab still has it.
    Deleted,
}

impl SaveState {
    /// Whether edits live in this tab only: leaving it would lose them.
    pub fn in_this_tab_only(&self) -> bool {
        matches!(
            self,
            SaveState::Failed { .. } | SaveState::Conflict { .. } | SaveState::Deleted
        )
    }
}

/// localStorage, when the browser lets the app use it.
#[derive(Clone)]
struct Store(web_sys::Storage);

impl Store {
    /// Probes with a write: Safari's private mode offers a store that refuses every write.
    fn open() -> Result<Store, String> {
        let probe = web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .ok_or("this browser does not let the page use local storage (private mode or blocked site data)")?;
        probe
            .set_item("irdoc-probe", "1")
            .and_then(|_| probe.remove_item("irdoc-probe"))
            .map_err(|e| describe(&e))?;
        Ok(Store(BrowserStorage::raw()))
    }

    fn get(&self, key: &str) -> Option<String> {
        self.0.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), String> {
        self.0.set_item(key, value).map_err(|e| describe(&e))
    }

    fn remove(&self, key: &str) {
        let _ = self.0.remove_item(key);
    }

    /// What every entry of the site takes, measured without copying the values into wasm.
    fn usage(&self) -> StorageUse {
        let len = self.0.length().unwrap_or(0);
        let values: &JsStorage = self.0.unchecked_ref();
        StorageUse::measure((0..len).filter_map(|i| {
            let key = self.0.key(i).ok().flatten()?;
            let units = values.value_of(&key).map_or(0, |v| v.length() as usize);
            Some((key, units))
        }))
    }

    /// Every irdoc entry, for the library.
    fn entries(&self) -> Vec<(String, String)> {
        let len = self.0.length().unwrap_or(0);
        (0..len)
            .filter_map(|i| self.0.key(i).ok().flatten())
            .filter(|k| k.starts_with("irdoc:"))
            .filter_map(|k| self.get(&k).map(|v| (k, v)))
            .collect()
    }
}

#[wasm_bindgen]
extern "C" {
    /// localStorage, with `getItem` giving a JS string, whose length is read in place.
    type JsStorage;
    #[wasm_bindgen(method, js_name = getItem)]
    fn value_of(this: &JsStorage, key: &str) -> Option<js_sys::JsString>;
}

/// A storage error in words an author understands.
fn describe(e: &wasm_bindgen::JsValue) -> String {
    match e.dyn_ref::<web_sys::DomException>().map(|d| d.name()) {
        Some(name) if name == "QuotaExceededError" => {
            "the browser's storage for this site is full".into()
        }
        Some(name) if name == "SecurityError" => {
            "the browser does not let this page store data".into()
        }
        _ => "the browser refused to store the draft".into(),
    }
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn random_id() -> String {
    drafts::new_id(
        (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64,
        now_ms(),
    )
}

/// The editing session: which draft is open, its stored revision, and the library.
#[derive(Clone, Copy)]
pub struct Session {
    pub draft_id: RwSignal<String>,
    pub save: RwSignal<SaveState>,
    pub library: RwSignal<Library>,
    /// How much of the site's localStorage is used.
    pub usage: RwSignal<StorageUse>,
    /// Why storage cannot be used, when it cannot.
    pub storage_problem: RwSignal<Option<String>>,
    doc: Doc,
    store: StoredValue<Option<Store>, LocalStorage>,
    /// The stamp of the open draft as this tab last loaded or saved it; `None` until stored.
    base: StoredValue<Option<Stamp>>,
    /// Edits not stored yet.
    unsaved: StoredValue<bool>,
    tab: StoredValue<String>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    /// Opens storage and the last draft (else the newest, else a new one), and starts saving.
    pub fn start(doc: Doc) -> Session {
        let (store, problem) = match Store::open() {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e)),
        };
        let session = Session {
            draft_id: RwSignal::new(String::new()),
            save: RwSignal::new(SaveState::Untouched),
            library: RwSignal::new(Library::default()),
            usage: RwSignal::new(StorageUse::default()),
            storage_problem: RwSignal::new(problem),
            doc,
            store: StoredValue::new_local(store),
            base: StoredValue::new(None),
            unsaved: StoredValue::new(false),
            tab: StoredValue::new(random_id()),
            timer: StoredValue::new(None),
        };
        provide_context(session);
        session.refresh_library();
        let last = session.raw(LAST_KEY);
        let open = session.library.with_untracked(|lib| {
            last.filter(|id| lib.drafts.iter().any(|d| &d.id == id))
                .or_else(|| lib.drafts.first().map(|d| d.id.clone()))
        });
        match open.and_then(|id| session.read(&id)) {
            Some(draft) => session.show(draft),
            None => session.new_draft(Report::default()),
        }
        session.autosave();
        session.listen();
        if session.store.with_value(Option::is_some) {
            keep_storage();
        }
        session
    }

    fn with_store<R>(&self, f: impl FnOnce(&Store) -> R) -> Option<R> {
        self.store.with_value(|s| s.as_ref().map(f))
    }

    pub fn refresh_library(&self) {
        let entries = self.with_store(Store::entries).unwrap_or_default();
        self.library.set(drafts::scan(entries));
        self.measure();
    }

    fn measure(&self) {
        if let Some(usage) = self.with_store(Store::usage) {
            self.usage.set(usage);
        }
    }

    /// The stored draft `id`, when it is there and readable.
    pub fn read(&self, id: &str) -> Option<StoredDraft> {
        self.raw(&draft_key(id))
            .and_then(|raw| decode_draft(&raw).ok())
    }

    /// Who saved draft `id` last, and its revision, without reading the report.
    fn stored_stamp(&self, id: &str) -> Option<Stamp> {
        self.raw(&draft_key(id)).and_then(|raw| peek_stamp(&raw))
    }

    /// Puts a stored draft in the editor.
    fn show(&self, draft: StoredDraft) {
        self.cancel_timer();
        self.base.set_value(Some(draft.stamp()));
        self.unsaved.set_value(false);
        self.draft_id.set(draft.id.clone());
        self.save.set(SaveState::Saved {
            at_ms: draft.saved_at_ms,
        });
        self.replace_report(draft.report);
        self.with_store(|s| s.set(LAST_KEY, &draft.id));
    }

    fn replace_report(&self, report: Report) {
        self.doc.load(report);
    }

    /// Starts a new draft; it is stored with its first edit.
    pub fn new_draft(&self, report: Report) {
        self.cancel_timer();
        self.base.set_value(None);
        self.unsaved.set_value(false);
        self.draft_id.set(random_id());
        self.save.set(SaveState::Untouched);
        self.replace_report(report);
    }

    /// Stores `report` as draft `id` (a new revision when that draft exists) and opens it.
    pub fn adopt(&self, id: &str, report: Report) {
        self.flush();
        self.cancel_timer();
        self.base.set_value(self.stored_stamp(id));
        self.draft_id.set(id.to_owned());
        self.replace_report(report);
        self.save_now();
    }

    /// Opens a draft from the library.
    pub fn open(&self, id: &str) {
        self.flush();
        if let Some(draft) = self.read(id) {
            self.show(draft);
        }
    }

    /// Saves a copy of `report` as a new draft and opens it.
    pub fn save_as_new(&self, report: Report) {
        self.new_draft(report);
        self.save_now();
    }

    fn cancel_timer(&self) {
        if let Some(t) = self.timer.try_update_value(Option::take).flatten() {
            t.clear();
        }
    }

    /// Every edit schedules a save; a save already scheduled takes the later edits with it.
    fn autosave(&self) {
        let session = *self;
        Effect::new(move |first: Option<()>| {
            session.doc.track_edits();
            if first.is_none() {
                return;
            }
            session.unsaved.set_value(true);
            if matches!(
                session.save.get_untracked(),
                SaveState::Conflict { .. } | SaveState::Deleted
            ) {
                return;
            }
            if session.timer.with_value(Option::is_none) {
                session.save.set(SaveState::Pending);
                let handle = set_timeout_with_handle(move || session.save_now(), SAVE_EVERY).ok();
                session.timer.set_value(handle);
            }
        });
    }

    /// Saves a scheduled save now (the page is being hidden or left).
    pub fn flush(&self) {
        if self.timer.with_value(Option::is_some) {
            self.save_now();
        }
    }

    /// Writes the draft, unless another tab wrote or deleted it meanwhile.
    pub fn save_now(&self) {
        self.save(false);
    }

    /// Writes the draft; `over_theirs` also over another tab's write or delete.
    fn save(&self, over_theirs: bool) {
        self.cancel_timer();
        let id = self.draft_id.get_untracked();
        let base = self.base.get_value();
        if !over_theirs {
            let check = write_check(self.stored_stamp(&id).as_ref(), base.as_ref());
            if check != WriteCheck::Clear {
                return self.hold(check);
            }
        }
        let now = now_ms();
        let prior_rev = base.map_or(0, |b| b.rev);
        let written = self
            .doc
            .with_untracked(|r| self.write(&id, r, prior_rev, now));
        match written {
            Ok(stamp) => {
                let meta = self
                    .doc
                    .with_untracked(|r| DraftMeta::of_report(&id, &stamp, now, r));
                self.library.update(|lib| lib.saved(meta));
                self.base.set_value(Some(stamp));
                self.unsaved.set_value(false);
                self.save.set(SaveState::Saved { at_ms: now });
                self.with_store(|s| s.set(LAST_KEY, &id));
            }
            Err(reason) => self.save.set(SaveState::Failed { reason }),
        }
    }

    /// The one way a draft is written: as the next revision of what is stored (and of
    /// `prior_rev`, what the writer had), by this tab, so other tabs see the change.
    fn write(
        &self,
        id: &str,
        report: &Report,
        prior_rev: u64,
        saved_at_ms: i64,
    ) -> Result<Stamp, String> {
        let stamp = next_stamp(
            self.stored_stamp(id).as_ref(),
            prior_rev,
            &self.tab.get_value(),
        );
        let raw = encode_draft_of(id, &stamp, saved_at_ms, report);
        let written = self
            .with_store(|s| s.set(&draft_key(id), &raw))
            .unwrap_or_else(|| Err(self.storage_problem.get_untracked().unwrap_or_default()));
        // After a failed write too: storage may be full.
        self.measure();
        written.map(|()| stamp)
    }

    /// Writes drafts from the library (not the editor's), then lists them; stops at the first
    /// that does not fit.
    pub fn put(&self, drafts: &[StoredDraft]) -> Result<(), String> {
        let written = drafts
            .iter()
            .try_for_each(|d| self.write(&d.id, &d.report, d.rev, d.saved_at_ms).map(drop));
        self.refresh_library();
        // A backup may hold the open draft, deleted in another tab.
        self.reconcile();
        written
    }

    /// Stops saving until the author settles another tab's write or delete.
    fn hold(&self, check: WriteCheck) {
        self.cancel_timer();
        match check {
            WriteCheck::Clear => {}
            WriteCheck::Changed { theirs } => self.save.set(SaveState::Conflict { theirs }),
            WriteCheck::Deleted => self.save.set(SaveState::Deleted),
        }
    }

    /// Looks at the stored copy of the open draft after some other write: another tab's
    /// change is taken in when nothing here is unsaved, else held for the author, as is a
    /// delete.
    fn reconcile(&self) {
        let id = self.draft_id.get_untracked();
        let check = write_check(
            self.stored_stamp(&id).as_ref(),
            self.base.get_value().as_ref(),
        );
        match check {
            WriteCheck::Clear => {}
            WriteCheck::Changed { .. } if !self.unsaved.get_value() => {
                if let Some(draft) = self.read(&id) {
                    self.show(draft);
                }
            }
            check => self.hold(check),
        }
    }

    /// Settles a conflict with another tab.
    pub fn resolve(&self, choice: Resolution) {
        let id = self.draft_id.get_untracked();
        match choice {
            Resolution::Theirs => match self.raw(&draft_key(&id)) {
                None => self.new_draft(Report::default()),
                Some(raw) => {
                    if let Ok(draft) = decode_draft(&raw) {
                        self.show(draft);
                    }
                }
            },
            Resolution::Mine => self.save(true),
            Resolution::Both => {
                let mut mine = self.doc.with_untracked(Report::clone);
                mine.title = irdoc_core::drafts::copy_title(&mine.title);
                self.save_as_new(mine);
            }
        }
    }

    /// Saves when the page is hidden or left; takes in other tabs' saves.
    fn listen(&self) {
        let session = *self;
        let hidden = window_event_listener(ev::pagehide, move |_| session.flush());
        // Edits that could not be stored are lost with the tab: let the browser ask first.
        let leaving = window_event_listener(ev::beforeunload, move |e| {
            session.flush();
            if session.save.get_untracked().in_this_tab_only() {
                e.prevent_default();
            }
        });
        let visibility = window_event_listener(ev::visibilitychange, move |_| {
            if document().hidden() {
                session.flush();
            }
        });
        let storage = window_event_listener(ev::storage, move |e: web_sys::StorageEvent| {
            // No key: the other tab cleared storage.
            let key = e.key();
            if key.as_deref().is_none_or(|k| k.starts_with("irdoc:")) {
                session.refresh_library();
            } else {
                session.measure();
            }
            if key.is_none_or(|k| k == draft_key(&session.draft_id.get_untracked())) {
                session.reconcile();
            }
        });
        on_cleanup(move || {
            hidden.remove();
            leaving.remove();
            visibility.remove();
            storage.remove();
        });
    }

    /// Renames a draft: the open one in the editor, which saves it.
    pub fn rename(&self, id: &str, title: String) {
        if id == self.draft_id.get_untracked() {
            self.doc.update(|r| r.title = title);
        } else if let Some(mut draft) = self.read(id) {
            draft.report.title = title;
            draft.saved_at_ms = now_ms();
            let _ = self.put(&[draft]);
        }
    }

    /// Stores a copy of a draft as a new draft.
    pub fn duplicate(&self, id: &str) {
        if let Some(draft) = self.read(id) {
            let _ = self.put(&[drafts::fork(&draft, random_id(), now_ms())]);
        }
    }

    /// Deletes a draft; returns it so the deletion can be undone.
    pub fn delete(&self, id: &str) -> Option<StoredDraft> {
        let draft = self.read(id);
        self.with_store(|s| s.remove(&draft_key(id)));
        if id == self.draft_id.get_untracked() {
            self.new_draft(Report::default());
        }
        self.refresh_library();
        draft
    }

    /// Stores a deleted draft again, unless another tab kept it meanwhile.
    pub fn undelete(&self, draft: &StoredDraft) -> Result<(), String> {
        match self.stored_stamp(&draft.id) {
            Some(_) => Ok(()),
            None => self.put(std::slice::from_ref(draft)),
        }
    }

    /// Every readable draft, for a backup.
    pub fn all_drafts(&self) -> Vec<StoredDraft> {
        self.with_store(Store::entries)
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k.starts_with(DRAFT_PREFIX))
            .filter_map(|(_, v)| decode_draft(&v).ok())
            .collect()
    }

    /// The stored text under `key`.
    fn raw(&self, key: &str) -> Option<String> {
        self.with_store(|s| s.get(key)).flatten()
    }

    pub fn new_id(&self) -> String {
        random_id()
    }

    /// A setting stored under `key` (an `irdoc:` key that is not a draft).
    pub fn setting(&self, key: &str) -> Option<String> {
        self.raw(key)
    }

    /// Stores a setting; the library scan skips it.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), String> {
        self.with_store(|s| s.set(key, value))
            .unwrap_or_else(|| Err(self.storage_problem.get_untracked().unwrap_or_default()))
    }

    pub fn remove_setting(&self, key: &str) {
        self.with_store(|s| s.remove(key));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// Load the other tab's version.
    Theirs,
    /// Overwrite it with this tab's.
    Mine,
    /// Keep this tab's as a new draft.
    Both,
}

/// Asks the browser not to evict the drafts when it needs space.
fn keep_storage() {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return;
    };
    if let Ok(promise) = storage.persist() {
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        });
    }
}
