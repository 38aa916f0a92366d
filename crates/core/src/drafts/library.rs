//! The library: every draft in storage, listed from the draft entries themselves.

use super::{decode_draft, Stamp, StoredDraft, DRAFT_PREFIX};
use crate::model::{Report, Status};

/// What the library list shows of a draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftMeta {
    pub id: String,
    pub title: String,
    pub status: Status,
    pub updated_ms: i64,
    /// Scorecard questions answered “yes”.
    pub score: usize,
    /// Scorecard questions not answered yet.
    pub unanswered: usize,
    pub rev: u64,
    /// The wiki page it came from.
    pub wiki: Option<crate::wiki::Origin>,
}

impl DraftMeta {
    pub fn of(draft: &StoredDraft) -> Self {
        Self::of_report(&draft.id, &draft.stamp(), draft.saved_at_ms, &draft.report)
    }

    /// The entry of `report` saved as revision `stamp` of draft `id`, without a stored copy.
    pub fn of_report(id: &str, stamp: &Stamp, saved_at_ms: i64, report: &Report) -> Self {
        let score = crate::score::score(&report.scorecard);
        DraftMeta {
            id: id.to_owned(),
            title: report.title.clone(),
            status: report.status,
            updated_ms: saved_at_ms,
            score: score.total,
            unanswered: score.unanswered,
            rev: stamp.rev,
            wiki: report.wiki.clone(),
        }
    }
}

impl Library {
    /// Puts a just-saved draft's entry in the list, newest first, without reading storage.
    pub fn saved(&mut self, meta: DraftMeta) {
        self.drafts.retain(|d| d.id != meta.id);
        self.drafts.insert(0, meta);
    }
}

/// Something stored that could not be read, kept so that its text can still be saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    /// Where it was: its storage key, or its place in a backup file (`drafts[3]`).
    pub key: String,
    pub reason: String,
    pub raw: String,
}

/// The drafts in storage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Library {
    /// Most recently saved first.
    pub drafts: Vec<DraftMeta>,
    /// Draft entries that could not be read, by key.
    pub unreadable: Vec<Unreadable>,
}

/// Lists the drafts among all storage entries (key, value); other keys are skipped.
pub fn scan(entries: impl IntoIterator<Item = (String, String)>) -> Library {
    let mut library = Library::default();
    for (key, raw) in entries {
        let Some(id) = key.strip_prefix(DRAFT_PREFIX) else {
            continue;
        };
        match decode_draft(&raw) {
            Ok(draft) if draft.id == id => library.drafts.push(DraftMeta::of(&draft)),
            // Saving it would write to another key than the one it was read from.
            Ok(draft) => library.unreadable.push(Unreadable {
                reason: format!("stored under id “{id}” but names itself “{}”", draft.id),
                key,
                raw,
            }),
            Err(e) => library.unreadable.push(Unreadable {
                key,
                reason: e.to_string(),
                raw,
            }),
        }
    }
    // Storage iterates in no particular order; the list should not shuffle between scans.
    library
        .drafts
        .sort_by(|a, b| (b.updated_ms, &a.id).cmp(&(a.updated_ms, &b.id)));
    library.unreadable.sort_by(|a, b| a.key.cmp(&b.key));
    library
}
