//! The stored form of reports: JSON with a schema version, read back across versions, and the
//! drafts, library and backups the browser app keeps in `localStorage`.
//!
//! Nothing here touches the browser: the app passes in the storage entries, the time and the
//! randomness, and writes what these functions return.
//!
//! # Reports
//!
//! A [`Report`] is stored as its serde JSON with a `"schema"` number ([`SCHEMA_VERSION`]; JSON
//! without one is schema 1). Older JSON is brought up to date by [`migrate`], one step per
//! version, before it is deserialized; JSON from a newer irdoc is refused with
//! [`DraftError::NewerSchema`] rather than read with fields silently dropped.
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
//!  "writer":"<tab id>","report":{"schema":2,"title":"Incidents/…",…}}
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
//! # Backups
//!
//! A backup file is pretty JSON, `{"format":"irdoc-backup","version":1,"exported_at_ms":…,
//! "drafts":[…]}`, whose drafts have the same form as the storage entries. Restoring one
//! [`merge_backup`]s it into the library: it adds drafts and never overwrites one.

use std::collections::HashSet;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{Report, Status, SCHEMA_VERSION};

/// Prefix of the storage key of each draft; the draft's id follows it.
pub const DRAFT_PREFIX: &str = "irdoc:draft:";
/// Storage key holding the id of the draft opened last.
pub const LAST_KEY: &str = "irdoc:last";

/// The storage key of the draft with this id.
pub fn draft_key(id: &str) -> String {
    format!("{DRAFT_PREFIX}{id}")
}

const BACKUP_FORMAT: &str = "irdoc-backup";
const BACKUP_VERSION: u32 = 1;

/// Why stored JSON could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftError {
    /// Not JSON, or not the shape irdoc writes; with the line and column where reading
    /// stopped, or line 0 when the fault was found after parsing (in a migrated report).
    Malformed {
        line: usize,
        column: usize,
        message: String,
    },
    /// Saved by a newer irdoc than this one, in this format version.
    NewerSchema(u32),
    /// JSON, but not an irdoc report, draft or backup (the one named here).
    Foreign(&'static str),
}

impl fmt::Display for DraftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DraftError::Malformed {
                line: 0, message, ..
            } => f.write_str(message),
            DraftError::Malformed {
                line,
                column,
                message,
            } => write!(f, "{line}:{column}: {message}"),
            DraftError::NewerSchema(v) => write!(
                f,
                "made by a newer irdoc (format version {v}): update irdoc to open it"
            ),
            DraftError::Foreign(what) => write!(f, "JSON, but not an irdoc {what}"),
        }
    }
}

impl std::error::Error for DraftError {}

fn malformed(e: serde_json::Error) -> DraftError {
    DraftError::Malformed {
        line: e.line(),
        column: e.column(),
        message: json_message(&e),
    }
}

/// What serde_json says went wrong, without its position.
fn json_message(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let detail = e.to_string();
    // serde_json ends its message with the position, which is already given.
    let detail = match detail.rfind(" at line ") {
        Some(p) => detail[..p].to_owned(),
        None => detail,
    };
    match e.classify() {
        Category::Eof => "the JSON ends early (cut off)".to_owned(),
        Category::Syntax => format!("not JSON ({detail})"),
        Category::Data | Category::Io => detail,
    }
}

/// A fault found in parsed JSON, where there is no position to give.
fn invalid(message: impl Into<String>) -> DraftError {
    DraftError::Malformed {
        line: 0,
        column: 0,
        message: message.into(),
    }
}

/// One migration step: rewrites a report object of schema `n` into schema `n + 1`, and says
/// whether that changed anything.
type Step = fn(&mut Map<String, Value>) -> bool;

/// `STEPS[n - 1]` takes schema `n` to `n + 1`.
const STEPS: [Step; SCHEMA_VERSION as usize - 1] = [v1_to_v2];

/// Schema 1 marked actionables `"done": true|false`; schema 2 has `"status": "open"|"done"`.
fn v1_to_v2(report: &mut Map<String, Value>) -> bool {
    let Some(Value::Array(lines)) = report.get_mut("actionables") else {
        return false;
    };
    let mut changed = false;
    // Raw lines are strings; only objects are items.
    for item in lines.iter_mut().filter_map(Value::as_object_mut) {
        if let Some(done) = item.remove("done") {
            let status = if done == true { "done" } else { "open" };
            item.insert("status".to_owned(), status.into());
            changed = true;
        }
    }
    changed
}

/// Brings the JSON of a report of any schema up to [`SCHEMA_VERSION`], in place. Returns
/// whether it rewrote more than the schema number.
pub fn migrate(value: &mut Value) -> Result<bool, DraftError> {
    let report = value
        .as_object_mut()
        .ok_or_else(|| invalid("a report must be a JSON object"))?;
    if report.contains_key("format") {
        // A draft or backup envelope: read as a report it would be an empty one.
        return Err(DraftError::Foreign("report"));
    }
    let schema = match report.get("schema") {
        None => 1,
        Some(v) => v
            .as_u64()
            .and_then(|v| u32::try_from(v).ok())
            .filter(|&v| v >= 1)
            .ok_or_else(|| invalid(format!("“schema” must be a version number, not {v}")))?,
    };
    if schema > SCHEMA_VERSION {
        return Err(DraftError::NewerSchema(schema));
    }
    let mut rewritten = false;
    for step in &STEPS[schema as usize - 1..] {
        rewritten |= step(report);
    }
    report.insert("schema".to_owned(), SCHEMA_VERSION.into());
    Ok(rewritten)
}

/// Whether text is JSON rather than a wikitext page. A page may start with `{{`; JSON that
/// irdoc reads starts with `{` and then a key (or is `{}`).
pub fn looks_like_json(text: &str) -> bool {
    let mut chars = text.chars().filter(|c| !c.is_whitespace());
    chars.next() == Some('{') && matches!(chars.next(), Some('"' | '}'))
}

/// Reads a report saved by this or an earlier version of irdoc.
pub fn report_from_json(text: &str) -> Result<Report, DraftError> {
    let mut value: Value = serde_json::from_str(text).map_err(malformed)?;
    let rewritten = migrate(&mut value)?;
    let report: Report = read_migrated(text, rewritten, &value)?;
    Ok(Report {
        schema: SCHEMA_VERSION,
        ..report
    })
}

/// Reads a `T` from JSON `text` that migrated to `migrated`: from `text` itself when
/// migrating only renumbered its schema (not `rewritten`), so that errors point at a line in
/// it, else from the migrated JSON, whose positions would mean nothing to the user.
///
/// Typed values are read only from text, never from a [`Value`]: one deserializer per type
/// in the web app instead of two.
fn read_migrated<T: DeserializeOwned>(
    text: &str,
    rewritten: bool,
    migrated: &Value,
) -> Result<T, DraftError> {
    if !rewritten {
        return serde_json::from_str(text).map_err(malformed);
    }
    serde_json::from_str(&migrated.to_string()).map_err(|e| invalid(json_message(&e)))
}

/// Indents compact JSON as `serde_json::to_string_pretty` would: the app writes JSON with
/// one serializer (compact) and indents the text for files people read.
fn indent_json(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0_usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    while let Some(c) = chars.next() {
        out.push(c);
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '{' | '[' => {
                // Empty objects and lists stay `{}` and `[]`.
                if chars.peek().is_some_and(|&next| next == '}' || next == ']') {
                    out.extend(chars.next());
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                out.pop();
                depth -= 1;
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => newline(&mut out, depth),
            ':' => out.push(' '),
            _ => {}
        }
    }
    out
}

/// A report as a `.json` file: indented JSON with its schema number.
pub fn report_to_json(report: &Report) -> String {
    indent_json(&serde_json::to_string(report).expect(SERIALIZES))
}

const SERIALIZES: &str = "a report has only string keys, so it serializes";

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
struct DraftJson<'a> {
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
pub fn decode_draft(raw: &str) -> Result<StoredDraft, DraftError> {
    let mut value: Value = serde_json::from_str(raw).map_err(malformed)?;
    if value.get("format").and_then(Value::as_str) != Some("irdoc-draft") {
        return Err(DraftError::Foreign("draft"));
    }
    let rewritten = match value.get_mut("report") {
        Some(report) => migrate(report)?,
        None => false,
    };
    let mut draft: StoredDraft = read_migrated(raw, rewritten, &value)?;
    draft.report.schema = SCHEMA_VERSION;
    Ok(draft)
}

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
pub fn decode_backup(raw: &str) -> Result<(Backup, Vec<Unreadable>), DraftError> {
    let mut value: Value = serde_json::from_str(raw).map_err(malformed)?;
    if value.get("format").and_then(Value::as_str) != Some(BACKUP_FORMAT) {
        return Err(DraftError::Foreign("backup"));
    }
    match value.get("version").and_then(Value::as_u64) {
        Some(v) if v > u64::from(BACKUP_VERSION) => {
            return Err(DraftError::NewerSchema(
                u32::try_from(v).unwrap_or(u32::MAX),
            ))
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

/// How much localStorage keeps per site, in UTF-16 code units of keys plus values: 5 MiB in
/// Chromium and Firefox. A write beyond it fails (QuotaExceededError).
pub const STORAGE_LIMIT: usize = 5 * 1024 * 1024;

/// From this share of [`STORAGE_LIMIT`] on, the author is told to make room: early enough
/// that a few more autosaves of a large draft still fit.
pub const WARN_PERCENT: usize = 80;

/// What the site's localStorage holds, in the code units its limit counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StorageUse {
    /// irdoc's entries (`irdoc:` keys).
    pub irdoc: usize,
    /// Every entry of the site, irdoc's included: all of them count towards the limit.
    pub total: usize,
}

impl StorageUse {
    /// Measures storage entries given as (key, length of the value in UTF-16 code units).
    pub fn measure<K: AsRef<str>>(entries: impl IntoIterator<Item = (K, usize)>) -> StorageUse {
        let mut use_ = StorageUse::default();
        for (key, value_units) in entries {
            let key = key.as_ref();
            let units = key.encode_utf16().count() + value_units;
            use_.total += units;
            if key.starts_with("irdoc:") {
                use_.irdoc += units;
            }
        }
        use_
    }

    /// The share of the limit in use, in whole percent, rounded down (100 only when full).
    pub fn percent(&self) -> usize {
        self.total * 100 / STORAGE_LIMIT
    }

    /// The figures: “Drafts take 12 KB of the 5 MB this browser keeps for this site.”
    pub fn summary(&self) -> String {
        let others = self.total.saturating_sub(self.irdoc);
        let others = if others > 0 {
            format!(" (other pages of this site take {})", size(others))
        } else {
            String::new()
        };
        format!(
            "Drafts take {} of the {} this browser keeps for this site{others}.",
            size(self.irdoc),
            size(STORAGE_LIMIT)
        )
    }

    /// What to do, from [`WARN_PERCENT`] of the limit on.
    pub fn warning(&self) -> Option<String> {
        (self.percent() >= WARN_PERCENT).then(|| {
            format!(
                "This site's storage is {}% full ({} of {}): once it is full, edits can no longer \
                 be saved. Download a backup of all drafts, then delete the drafts you no longer need.",
                self.percent(),
                size(self.total),
                size(STORAGE_LIMIT)
            )
        })
    }
}

/// A size in code units, in KB or MB of 1024 as file sizes are read: drafts are mostly ASCII
/// JSON, so a code unit is about a byte of the same text in a file. Rounded up below 1 MB, so
/// that something stored never reads as 0 KB.
fn size(units: usize) -> String {
    const KB: usize = 1024;
    const MB: usize = 1024 * KB;
    let kb = units.div_ceil(KB);
    if kb < 1000 {
        return format!("{kb} KB");
    }
    let tenths = (units * 10 + MB / 2) / MB;
    match tenths % 10 {
        0 => format!("{} MB", tenths / 10),
        d => format!("{}.{d} MB", tenths / 10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_garbage_with_a_position() {
        let err = report_from_json("{\n  \"title\": 5\n}").unwrap_err();
        assert!(
            matches!(err, DraftError::Malformed { line: 2, .. }),
            "{err}"
        );
        // Read from the migrated JSON: no position, in the fields or in the message.
        let err = report_from_json("{\n  \"actionables\": [{\"done\": true}],\n  \"title\": 5\n}")
            .unwrap_err();
        assert_eq!(
            err,
            DraftError::Malformed {
                line: 0,
                column: 0,
                message: "invalid type: integer `5`, expected a string".into()
            }
        );
        assert!(report_from_json("not json").is_err());
        assert_eq!(
            report_from_json(r#"{"schema": 99}"#),
            Err(DraftError::NewerSchema(99))
        );
    }

    #[test]
    fn indents_json_as_serde_json_does() {
        let tricky = serde_json::json!({
            "empty": {}, "none": [], "nested": [[], {}, [{}]],
            "text": "a \"quoted\", [bracketed] {braced}: with\\ a backslash\\",
            "more": ["\\", "\u{1F600} \n \t", 1.5, -2, null, true],
        });
        assert_eq!(
            indent_json(&tricky.to_string()),
            serde_json::to_string_pretty(&tricky).unwrap()
        );
        let page =
            include_str!("../tests/data/wikitech/2025-03-31_sessionstore_unavailability.txt");
        let report = crate::import(page).report;
        assert_eq!(
            report_to_json(&report),
            serde_json::to_string_pretty(&report).unwrap()
        );
    }

    #[test]
    fn migrates_actionables_and_leaves_raw_lines() {
        let v1 = serde_json::json!({
            "actionables": ["* prose", {"text": "a", "done": true}, {"text": "b", "done": false}, {"text": "c"}]
        });
        let mut v2 = v1;
        assert_eq!(migrate(&mut v2), Ok(true));
        assert_eq!(
            v2,
            serde_json::json!({
                "schema": SCHEMA_VERSION,
                "actionables": ["* prose", {"text": "a", "status": "done"}, {"text": "b", "status": "open"}, {"text": "c"}]
            })
        );
        // A current report passes through unchanged.
        let mut again = v2.clone();
        assert_eq!(migrate(&mut again), Ok(false));
        assert_eq!(again, v2);
    }

    #[test]
    fn refuses_what_is_not_a_report() {
        assert!(migrate(&mut serde_json::json!([1])).is_err());
        assert!(migrate(&mut serde_json::json!({"schema": "two"})).is_err());
        assert_eq!(
            report_from_json(r#"{"format": "irdoc-draft", "report": {}}"#),
            Err(DraftError::Foreign("report"))
        );
    }

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
