//! Backups: a file of every draft of a library, restored by merging it into the library.
//!
//! A backup file is pretty JSON, `{"format":"irdoc-backup","version":1,"exported_at_ms":…,
//! "drafts":[…]}`, whose drafts have the same form as the storage entries. Restoring one
//! [`merge_backup`]s it into the library: it adds drafts and never overwrites one.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::Value;

use super::{copy, decode_draft, DraftJson, StoredDraft, Unreadable};
use crate::json::{indent_json, invalid, malformed, JsonError, SERIALIZES};

const BACKUP_FORMAT: &str = "irdoc-backup";
const BACKUP_VERSION: u32 = 1;

/// A backup file: every draft of a library.
#[derive(Clone, Debug, PartialEq)]
pub struct Backup {
    pub exported_at_ms: i64,
    pub drafts: Vec<StoredDraft>,
}

/// The JSON of a backup file, as written.
#[derive(Serialize)]
struct BackupFile<'a> {
    format: &'static str,
    version: u32,
    exported_at_ms: i64,
    drafts: Vec<DraftJson<'a>>,
}

/// The text of a backup file.
pub fn encode_backup(backup: &Backup) -> String {
    let file = BackupFile {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        exported_at_ms: backup.exported_at_ms,
        drafts: backup.drafts.iter().map(DraftJson::from).collect(),
    };
    indent_json(&serde_json::to_string(&file).expect(SERIALIZES))
}

/// Reads a backup file; drafts in it that cannot be read are returned as [`Unreadable`]
/// instead of failing the whole file.
pub fn decode_backup(raw: &str) -> Result<(Backup, Vec<Unreadable>), JsonError> {
    let mut value: Value = serde_json::from_str(raw).map_err(malformed)?;
    if value.get("format").and_then(Value::as_str) != Some(BACKUP_FORMAT) {
        return Err(JsonError::Foreign("backup"));
    }
    match value.get("version").and_then(Value::as_u64) {
        Some(v) if v > u64::from(BACKUP_VERSION) => {
            return Err(JsonError::NewerSchema(u32::try_from(v).unwrap_or(u32::MAX)))
        }
        Some(_) => {}
        None => return Err(invalid("a backup needs a “version” number")),
    }
    let exported_at_ms = value
        .get("exported_at_ms")
        .and_then(Value::as_i64)
        .ok_or_else(|| invalid("a backup needs “exported_at_ms”, a time in milliseconds"))?;
    let Some(Value::Array(drafts)) = value.get_mut("drafts").map(Value::take) else {
        return Err(invalid("a backup needs a list of “drafts”"));
    };
    let mut backup = Backup {
        exported_at_ms,
        drafts: Vec::new(),
    };
    let mut unreadable = Vec::new();
    for (i, item) in drafts.into_iter().enumerate() {
        let raw = indent_json(&item.to_string());
        match decode_draft(&raw) {
            Ok(draft) => backup.drafts.push(draft),
            Err(e) => unreadable.push(Unreadable {
                key: format!("drafts[{i}]"),
                reason: e.to_string(),
                raw,
            }),
        }
    }
    Ok((backup, unreadable))
}

/// What restoring a backup does to the library.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Merge {
    /// Drafts to save, each under its own (new) key.
    pub to_write: Vec<StoredDraft>,
    /// Drafts whose id was not in the library.
    pub added: usize,
    /// Drafts the library already holds as they are.
    pub unchanged: usize,
    /// Drafts whose id the library holds with another report: (backup id, id of the copy).
    pub kept_both: Vec<(String, String)>,
}

/// Merges a backup's drafts into the library `existing` without overwriting any draft.
///
/// A draft whose id is taken by a different report is added as a copy with an id from
/// `new_id` (called again until it gives an unused one), its title suffixed
/// “ (from backup)”. Restoring the same backup twice changes nothing the second time.
pub fn merge_backup(
    existing: &[StoredDraft],
    incoming: Vec<StoredDraft>,
    mut new_id: impl FnMut() -> String,
    now_ms: i64,
) -> Merge {
    // Ids a copy must not take: a backup draft yet to come may need its own.
    let mut taken: HashSet<String> = existing
        .iter()
        .chain(&incoming)
        .map(|d| d.id.clone())
        .collect();
    let mut merge = Merge::default();
    for draft in incoming {
        // Drafts accepted earlier in this merge count too, should a backup repeat an id.
        let known = || existing.iter().chain(&merge.to_write);
        let Some(same_id) = known().find(|k| k.id == draft.id) else {
            merge.added += 1;
            merge.to_write.push(draft);
            continue;
        };
        if same_id.report == draft.report {
            merge.unchanged += 1;
            continue;
        }
        let mut copy = copy(&draft, String::new(), now_ms, " (from backup)");
        // The copy made by an earlier restore of this backup.
        if known().any(|k| k.report == copy.report) {
            merge.unchanged += 1;
            continue;
        }
        copy.id = std::iter::repeat_with(&mut new_id)
            .find(|id| !taken.contains(id))
            .expect("repeat_with never ends");
        taken.insert(copy.id.clone());
        merge.kept_both.push((draft.id, copy.id.clone()));
        merge.to_write.push(copy);
    }
    merge
}
