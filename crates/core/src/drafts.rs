//! The stored form of reports: JSON with a schema version, read back across versions.

use std::fmt;

use crate::model::{Report, SCHEMA_VERSION};

/// Why stored JSON could not be read as a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DraftError {
    /// Not JSON, or not a report; with the line and column where reading stopped.
    Malformed {
        line: usize,
        column: usize,
        message: String,
    },
    /// Saved by a newer irdoc than this one.
    NewerSchema(u32),
}

impl fmt::Display for DraftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DraftError::Malformed { line, column, message } => {
                write!(f, "{line}:{column}: not an irdoc report: {message}")
            }
            DraftError::NewerSchema(v) => write!(
                f,
                "saved by a newer irdoc (format version {v}; this one reads up to {SCHEMA_VERSION}): update irdoc to open it"
            ),
        }
    }
}

impl std::error::Error for DraftError {}

fn malformed(e: serde_json::Error) -> DraftError {
    let message = e.to_string();
    // serde_json ends its message with the position, which is already given.
    let message = match message.rfind(" at line ") {
        Some(p) => message[..p].to_owned(),
        None => message,
    };
    DraftError::Malformed {
        line: e.line(),
        column: e.column(),
        message,
    }
}

/// Reads a report saved by this or an earlier version of irdoc.
pub fn report_from_json(text: &str) -> Result<Report, DraftError> {
    /// Only the version, read first so that a newer draft is named as such.
    #[derive(serde::Deserialize)]
    struct Version {
        #[serde(default)]
        schema: u32,
    }
    let Version { schema } = serde_json::from_str(text).map_err(malformed)?;
    if schema > SCHEMA_VERSION {
        return Err(DraftError::NewerSchema(schema));
    }
    let mut report: Report = serde_json::from_str(text).map_err(malformed)?;
    report.schema = SCHEMA_VERSION;
    Ok(report)
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
        assert!(report_from_json("not json").is_err());
        assert_eq!(
            report_from_json(r#"{"schema": 99}"#),
            Err(DraftError::NewerSchema(99))
        );
    }
}
