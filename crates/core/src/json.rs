//! The report's JSON file format: the `.json` file of a report, with a schema number, read
//! back across versions.
//!
//! A [`Report`] is stored as its serde JSON with a `"schema"` number ([`SCHEMA_VERSION`]; JSON
//! without one is schema 1). Older JSON is brought up to date by [`migrate`], one step per
//! version, before it is deserialized; JSON from a newer irdoc is refused with
//! [`JsonError::NewerSchema`] rather than read with fields silently dropped. Drafts and backups
//! ([`crate::drafts`]) wrap reports in this format.

use std::fmt;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::{Report, SCHEMA_VERSION};

/// Why stored JSON could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonError {
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

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Malformed {
                line: 0, message, ..
            } => f.write_str(message),
            JsonError::Malformed {
                line,
                column,
                message,
            } => write!(f, "{line}:{column}: {message}"),
            JsonError::NewerSchema(v) => write!(
                f,
                "made by a newer irdoc (format version {v}): update irdoc to open it"
            ),
            JsonError::Foreign(what) => write!(f, "JSON, but not an irdoc {what}"),
        }
    }
}

impl std::error::Error for JsonError {}

pub(crate) fn malformed(e: serde_json::Error) -> JsonError {
    JsonError::Malformed {
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
pub(crate) fn invalid(message: impl Into<String>) -> JsonError {
    JsonError::Malformed {
        line: 0,
        column: 0,
        message: message.into(),
    }
}

/// One migration step: rewrites a report object of schema `n` into schema `n + 1`, and says
/// whether that changed anything.
type Step = fn(&mut serde_json::Map<String, Value>) -> bool;

/// `STEPS[n - 1]` takes schema `n` to `n + 1`.
const STEPS: [Step; SCHEMA_VERSION as usize - 1] = [v1_to_v2, v2_to_v3];

/// Schema 1 marked actionables `"done": true|false`; schema 2 has `"status": "open"|"done"`.
fn v1_to_v2(report: &mut serde_json::Map<String, Value>) -> bool {
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

/// Schema 3 adds `"wiki"`: the wiki page and revision a report came from
/// ([`crate::wiki::Origin`]). A schema 2 report did not come from a wiki as far as irdoc
/// knows, so it gets none; a `"wiki"` key in it is not irdoc's and goes.
fn v2_to_v3(report: &mut serde_json::Map<String, Value>) -> bool {
    report.remove("wiki").is_some()
}

/// Brings the JSON of a report of any schema up to [`SCHEMA_VERSION`], in place. Returns
/// whether it rewrote more than the schema number.
pub fn migrate(value: &mut Value) -> Result<bool, JsonError> {
    let report = value
        .as_object_mut()
        .ok_or_else(|| invalid("a report must be a JSON object"))?;
    if report.contains_key("format") {
        // A draft or backup envelope: read as a report it would be an empty one.
        return Err(JsonError::Foreign("report"));
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
        return Err(JsonError::NewerSchema(schema));
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
pub fn report_from_json(text: &str) -> Result<Report, JsonError> {
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
pub(crate) fn read_migrated<T: DeserializeOwned>(
    text: &str,
    rewritten: bool,
    migrated: &Value,
) -> Result<T, JsonError> {
    if !rewritten {
        return serde_json::from_str(text).map_err(malformed);
    }
    serde_json::from_str(&migrated.to_string()).map_err(|e| invalid(json_message(&e)))
}

/// Indents compact JSON as `serde_json::to_string_pretty` would: the app writes JSON with
/// one serializer (compact) and indents the text for files people read.
pub(crate) fn indent_json(compact: &str) -> String {
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

pub(crate) const SERIALIZES: &str = "a report has only string keys, so it serializes";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_garbage_with_a_position() {
        let err = report_from_json("{\n  \"title\": 5\n}").unwrap_err();
        assert!(matches!(err, JsonError::Malformed { line: 2, .. }), "{err}");
        // Read from the migrated JSON: no position, in the fields or in the message.
        let err = report_from_json("{\n  \"actionables\": [{\"done\": true}],\n  \"title\": 5\n}")
            .unwrap_err();
        assert_eq!(
            err,
            JsonError::Malformed {
                line: 0,
                column: 0,
                message: "invalid type: integer `5`, expected a string".into()
            }
        );
        assert!(report_from_json("not json").is_err());
        assert_eq!(
            report_from_json(r#"{"schema": 99}"#),
            Err(JsonError::NewerSchema(99))
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
        let page = crate::test_pages::SESSIONSTORE;
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
    fn schema_2_reports_migrate_to_3_without_a_wiki_origin() {
        let v2 = serde_json::json!({"schema": 2, "title": "Incidents/x", "summary": "s"});
        let mut v3 = v2.clone();
        assert_eq!(migrate(&mut v3), Ok(false), "only the number changes");
        assert_eq!(v3["schema"], 3);
        let report = report_from_json(&v2.to_string()).unwrap();
        assert_eq!(
            (report.schema, report.wiki, report.summary.as_str()),
            (3, None, "s")
        );
        // A key that schema 2 never wrote is dropped rather than read as an origin.
        let mut odd = serde_json::json!({"schema": 2, "wiki": "https://example.org"});
        assert_eq!(migrate(&mut odd), Ok(true));
        assert_eq!(odd, serde_json::json!({"schema": 3}));
        // A schema 3 report keeps its origin through its JSON file.
        let origin = crate::wiki::Origin {
            wiki: crate::wiki::DEFAULT_WIKI.into(),
            title: "Incidents/x".into(),
            revid: 42,
            timestamp: "2025-04-01T10:00:00Z".into(),
        };
        let with = Report {
            wiki: Some(origin),
            ..Report::default()
        };
        assert_eq!(report_from_json(&report_to_json(&with)).unwrap(), with);
        // An origin that is not one is refused, not dropped.
        let err = report_from_json(r#"{"schema": 3, "wiki": {"wiki": "x", "revid": "7"}}"#);
        assert!(
            matches!(err, Err(JsonError::Malformed { line: 1, .. })),
            "{err:?}"
        );
        assert_eq!(
            report_from_json(r#"{"schema": 3, "wiki": null}"#)
                .unwrap()
                .wiki,
            None
        );
        // And a report without one writes no key for it.
        assert!(!report_to_json(&Report::default()).contains("\"wiki\""));
    }

    #[test]
    fn refuses_what_is_not_a_report() {
        assert!(migrate(&mut serde_json::json!([1])).is_err());
        assert!(migrate(&mut serde_json::json!({"schema": "two"})).is_err());
        assert_eq!(
            report_from_json(r#"{"format": "irdoc-draft", "report": {}}"#),
            Err(JsonError::Foreign("report"))
        );
    }
}
