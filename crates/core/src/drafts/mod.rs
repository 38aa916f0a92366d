//! The drafts the browser app keeps in `localStorage`: each draft's stored entry, the tabs'
//! revision stamps, the library listed from storage, backups, and how full storage is.
//!
//! Nothing here touches the browser: the app passes in the storage entries, the time and the
//! randomness, and writes what these functions return.
//!
//! # Storage layout
//!
//! | key                  | value                                                  |
//! |----------------------|--------------------------------------------------------|
//! | `irdoc:draft:<id>`   | one draft: [`encode_draft`] of a [`StoredDraft`]       |
//! | `irdoc:last`         | the id of the draft opened last, as plain text         |
//!
//! A draft entry is compact JSON:
//!
//! ```json
//! {"format":"irdoc-draft","id":"t2k9xq0a7bc3e","rev":4,"saved_at_ms":1743390000000,
//!  "writer":"<tab id>","report":{"schema":3,"title":"Incidents/…",…}}
//! ```
//!
//! Each draft has its own key so that a save writes one draft and nothing else. There is no
//! stored index of the library: one key that every tab rewrites on every save would be a
//! shared record that two tabs saving different drafts could overwrite with stale copies of
//! each other, and it could only ever repeat what the draft entries say. The library is
//! instead [`scan`]ned from the draft entries; any other `irdoc:` key (an `irdoc:index` or a
//! setting) is not a draft and is skipped. Entries that cannot be read are listed as
//! [`Unreadable`] with their raw text, never dropped.
//!
//! # Tabs
//!
//! Every write of a draft (an autosave, a rename or duplicate in the library, an undone
//! delete, a restored backup, a shared report kept) is stamped by [`next_stamp`]: one revision
//! above what is stored, and the writing tab as `writer`. A tab remembers the [`Stamp`] of the
//! draft it last loaded or saved; [`write_check`] compares it with the stored one, so any
//! write by another tab, or a delete, is seen. The tab takes the change in when it has nothing
//! unsaved; otherwise the user chooses between keeping theirs (reload), keeping mine (save over
//! it) and keeping both ([`fork`] mine under a new id).
//!
//! # Storage use
//!
//! localStorage holds about 5 MiB per site, counted as UTF-16 code units of keys plus values
//! and shared by every page of the site. [`StorageUse`] measures irdoc's part and the whole,
//! and says when to make room.
//!
//!
//! # Backups
//!
//! See [`backup`]: a file of every draft, merged into the library without overwriting any.

mod backup;
mod library;
mod storage_use;

pub use backup::{decode_backup, encode_backup, merge_backup, Backup, Merge};
pub use library::{scan, DraftMeta, Library, Unreadable};
pub use storage_use::{StorageUse, STORAGE_LIMIT, WARN_PERCENT};

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::json::JsonError;
use crate::json::{malformed, migrate, read_migrated, SERIALIZES};
use crate::model::{Report, SCHEMA_VERSION};

/// Prefix of the storage key of each draft; the draft's id follows it.
pub const DRAFT_PREFIX: &str = "irdoc:draft:";
/// Storage key holding the id of the draft opened last.
pub const LAST_KEY: &str = "irdoc:last";

/// The storage key of the draft with this id.
pub fn draft_key(id: &str) -> String {
    format!("{DRAFT_PREFIX}{id}")
}

/// A draft as stored under [`draft_key`]: the report and who saved which revision when.
///
/// Written by [`encode_draft`] and read by [`decode_draft`], which check its format tag.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct StoredDraft {
    pub id: String,
    /// 1 for the first save, one more for each save after it; 0 in a copy not stored yet.
    pub rev: u64,
    pub saved_at_ms: i64,
    /// The tab that saved this revision.
    pub writer: String,
    pub report: Report,
}

/// The stored JSON of a draft.
pub fn encode_draft(draft: &StoredDraft) -> String {
    encode_draft_of(&draft.id, &draft.stamp(), draft.saved_at_ms, &draft.report)
}

/// The JSON of a stored draft, from borrowed parts so that an autosave does not copy the
/// report.
#[derive(Serialize)]
// Writes `"format":"irdoc-draft"` first, so that stored JSON says what it is.
#[serde(tag = "format", rename = "irdoc-draft")]
pub(crate) struct DraftJson<'a> {
    id: &'a str,
    rev: u64,
    saved_at_ms: i64,
    writer: &'a str,
    report: &'a Report,
}

impl<'a> From<&'a StoredDraft> for DraftJson<'a> {
    fn from(draft: &'a StoredDraft) -> Self {
        DraftJson {
            id: &draft.id,
            rev: draft.rev,
            saved_at_ms: draft.saved_at_ms,
            writer: &draft.writer,
            report: &draft.report,
        }
    }
}

/// The stored JSON of `report` as revision `stamp` of draft `id`.
pub fn encode_draft_of(id: &str, stamp: &Stamp, saved_at_ms: i64, report: &Report) -> String {
    let draft = DraftJson {
        id,
        rev: stamp.rev,
        saved_at_ms,
        writer: &stamp.writer,
        report,
    };
    serde_json::to_string(&draft).expect(SERIALIZES)
}

/// Reads a stored draft, migrating its report.
pub fn decode_draft(raw: &str) -> Result<StoredDraft, JsonError> {
    let mut value: Value = serde_json::from_str(raw).map_err(malformed)?;
    if value.get("format").and_then(Value::as_str) != Some("irdoc-draft") {
        return Err(JsonError::Foreign("draft"));
    }
    let rewritten = match value.get_mut("report") {
        Some(report) => migrate(report)?,
        None => false,
    };
    let mut draft: StoredDraft = read_migrated(raw, rewritten, &value)?;
    draft.report.schema = SCHEMA_VERSION;
    Ok(draft)
}

/// Whether a tab may save over the stored draft.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteCheck {
    /// The stored draft is the one this tab last loaded or saved (or neither exists).
    Clear,
    /// Another tab wrote revision `theirs` since.
    Changed { theirs: u64 },
    /// Another tab deleted the draft since.
    Deleted,
}

/// Checks a save by a tab that last loaded or saved revision `base` (`None`: a draft it has
/// not stored yet) against the draft now stored under the same key.
pub fn write_check(stored: Option<&Stamp>, base: Option<&Stamp>) -> WriteCheck {
    match (stored, base) {
        (None, None) => WriteCheck::Clear,
        (None, Some(_)) => WriteCheck::Deleted,
        (Some(s), Some(b)) if s == b => WriteCheck::Clear,
        (Some(s), _) => WriteCheck::Changed { theirs: s.rev },
    }
}

/// The stamp of a write of a draft by tab `writer`: one revision above the stored draft and
/// above `prior_rev` (the revision the writer had, which matters when nothing is stored, as
/// after a delete), so every other tab sees that the draft changed.
pub fn next_stamp(stored: Option<&Stamp>, prior_rev: u64, writer: &str) -> Stamp {
    Stamp {
        rev: stored.map_or(prior_rev, |s| s.rev.max(prior_rev)) + 1,
        writer: writer.to_owned(),
    }
}

/// Who saved a stored draft last, and its revision: all a save needs to know about it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Stamp {
    pub rev: u64,
    pub writer: String,
}

impl StoredDraft {
    pub fn stamp(&self) -> Stamp {
        Stamp {
            rev: self.rev,
            writer: self.writer.clone(),
        }
    }
}

/// Reads only the stamp of a stored draft, so a save can check for other tabs' writes
/// cheaply: [`encode_draft_of`] writes the report last, so the stamp is read from the text
/// before it (the whole text is read when it was written otherwise).
pub fn peek_stamp(raw: &str) -> Option<Stamp> {
    let head = raw
        .find(",\"report\":")
        .and_then(|end| serde_json::from_str(&format!("{}}}", &raw[..end])).ok());
    head.or_else(|| serde_json::from_str(raw).ok())
}

/// A copy of `draft` under `new_id`, its title marked with `suffix`, to be saved as new
/// (revision 0: its first write makes it 1).
fn copy(draft: &StoredDraft, new_id: String, now_ms: i64, suffix: &str) -> StoredDraft {
    let mut report = draft.report.clone();
    report.title = suffixed(&report.title, suffix);
    StoredDraft {
        id: new_id,
        rev: 0,
        saved_at_ms: now_ms,
        writer: draft.writer.clone(),
        report,
    }
}

/// A copy of a draft as a new draft, titled by [`copy_title`]: for Duplicate, and for
/// keeping both sides of a conflict.
pub fn fork(draft: &StoredDraft, new_id: String, now_ms: i64) -> StoredDraft {
    copy(draft, new_id, now_ms, COPY_SUFFIX)
}

const COPY_SUFFIX: &str = " (copy)";

/// The title of a copy of a report titled `title`.
pub fn copy_title(title: &str) -> String {
    suffixed(title, COPY_SUFFIX)
}

fn suffixed(title: &str, suffix: &str) -> String {
    format!("{title}{suffix}").trim_start().to_owned()
}

/// What a draft is called where its title is empty.
pub fn shown_title(title: &str) -> &str {
    if title.trim().is_empty() {
        "Untitled report"
    } else {
        title
    }
}

/// A new draft id: 7 base-36 digits of the time in seconds, then 5 of `random`.
///
/// Short, URL-safe, and sorting as the drafts were made (until the year 4300).
pub fn new_id(random: u64, now_ms: i64) -> String {
    let seconds = u64::try_from(now_ms).unwrap_or(0) / 1000;
    base36(seconds, 7) + &base36(random, 5)
}

/// The last `width` base-36 digits of `n`.
fn base36(n: u64, width: u32) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    (0..width)
        .rev()
        .map(|place| DIGITS[(n / 36u64.pow(place) % 36) as usize] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_fixed_width_and_sort_by_time() {
        let early = new_id(u64::MAX, 1_743_390_000_000);
        let later = new_id(0, 1_743_390_001_000);
        assert_eq!(early.len(), 12);
        assert!(early < later, "{early} {later}");
        assert!(early
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
        assert_eq!(new_id(35, -5), "0000000".to_owned() + "0000z");
    }
}
