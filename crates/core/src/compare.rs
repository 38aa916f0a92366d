//! What changed between two versions of a report, section by section.

use crate::model::{Field, Report};
use crate::wikitext::write_field;

/// One line of a section's changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Removed(String),
    Added(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionChange {
    pub section: &'static str,
    pub lines: Vec<DiffLine>,
}

/// The report's sections, each with the fields whose wikitext makes it up.
const SECTIONS: &[(&str, &[Field])] = &[
    ("Status", &[Field::Status]),
    ("Metadata", &[Field::Metadata]),
    ("Summary", &[Field::Summary]),
    ("Timeline", &[Field::Timeline]),
    ("Detection", &[Field::Detection]),
    (
        "Conclusions",
        &[
            Field::Conclusions,
            Field::WentWell,
            Field::WentPoorly,
            Field::GotLucky,
        ],
    ),
    ("Links", &[Field::Links]),
    ("Actionables", &[Field::Actionables]),
    ("Scorecard", &[Field::Scorecard]),
];

fn section_text(r: &Report, fields: &[Field]) -> String {
    let mut out = String::new();
    for f in fields {
        write_field(r, *f, &mut out);
        out.push('\n');
    }
    out
}

/// The sections that differ, with a line diff of each (title and extra sections included).
pub fn changes(mine: &Report, theirs: &Report) -> Vec<SectionChange> {
    let mut out = Vec::new();
    if mine.title != theirs.title {
        out.push(SectionChange {
            section: "Title",
            lines: diff_lines(&mine.title, &theirs.title),
        });
    }
    for (section, fields) in SECTIONS {
        let (a, b) = (section_text(mine, fields), section_text(theirs, fields));
        if a != b {
            out.push(SectionChange {
                section,
                lines: diff_lines(&a, &b),
            });
        }
    }
    let extra = |r: &Report| {
        r.extra
            .iter()
            .map(|x| format!("== {} ==\n{}", x.title, x.body))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if extra(mine) != extra(theirs) {
        out.push(SectionChange {
            section: "Other sections",
            lines: diff_lines(&extra(mine), &extra(theirs)),
        });
    }
    out
}

/// Whether [`take`] can copy this section of [`changes`] from one report into another: every
/// section but "Other sections" (kept verbatim in the page's own layout, edited by hand).
pub fn can_take(section: &str) -> bool {
    section == "Title" || SECTIONS.iter().any(|(s, _)| *s == section)
}

/// Puts `from`'s version of `section` (a [`SectionChange::section`]) into `into`, the rest
/// of `into` as it was; false when the section cannot be taken ([`can_take`]).
pub fn take(into: &mut Report, from: &Report, section: &str) -> bool {
    if section == "Title" {
        into.title.clone_from(&from.title);
        return true;
    }
    let Some((_, fields)) = SECTIONS.iter().find(|(s, _)| *s == section) else {
        return false;
    };
    for field in *fields {
        match field {
            Field::Status => {
                into.status = from.status;
                into.status_line.clone_from(&from.status_line);
            }
            Field::Metadata => into.metadata.clone_from(&from.metadata),
            Field::Summary => into.summary.clone_from(&from.summary),
            Field::Timeline => into.timeline.clone_from(&from.timeline),
            Field::Detection => into.detection.clone_from(&from.detection),
            Field::Conclusions => into.conclusions.clone_from(&from.conclusions),
            Field::WentWell => into.went_well.clone_from(&from.went_well),
            Field::WentPoorly => into.went_poorly.clone_from(&from.went_poorly),
            Field::GotLucky => into.got_lucky.clone_from(&from.got_lucky),
            Field::Links => into.links.clone_from(&from.links),
            Field::Actionables => into.actionables.clone_from(&from.actionables),
            Field::Scorecard => into.scorecard.clone_from(&from.scorecard),
            Field::Extra(_) => return false,
        }
    }
    true
}

/// Above this many line pairs, a section is shown as removed and added whole.
const MAX_CELLS: usize = 4_000_000;

/// A line diff by longest common subsequence.
pub fn diff_lines(a: &str, b: &str) -> Vec<DiffLine> {
    let (a, b): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    if a.len().saturating_mul(b.len()) > MAX_CELLS {
        let removed = a.iter().map(|l| DiffLine::Removed((*l).to_owned()));
        return removed
            .chain(b.iter().map(|l| DiffLine::Added((*l).to_owned())))
            .collect();
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push(DiffLine::Same(a[i].to_owned()));
            (i, j) = (i + 1, j + 1);
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(DiffLine::Added(b[j].to_owned()));
            j += 1;
        } else {
            out.push(DiffLine::Removed(a[i].to_owned()));
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Answer;

    #[test]
    fn taking_a_section_copies_its_fields_and_nothing_else() {
        let page = crate::test_pages::SESSIONSTORE;
        let base = crate::import(page).report;
        let mut mine = base.clone();
        mine.detection.push_str("\nMine.");
        let mut wiki = base.clone();
        wiki.summary.push_str("\nTheirs.");
        wiki.detection.push_str("\nTheirs too.");
        let sections: Vec<_> = changes(&base, &wiki).iter().map(|c| c.section).collect();
        assert_eq!(sections, ["Summary", "Detection"]);
        assert!(take(&mut mine, &wiki, "Summary"));
        assert_eq!(mine.summary, wiki.summary);
        assert!(
            mine.detection.ends_with("\nMine."),
            "the other section stays mine"
        );
        let left: Vec<_> = changes(&mine, &wiki).iter().map(|c| c.section).collect();
        assert_eq!(left, ["Detection"]);
        assert!(take(&mut mine, &wiki, "Detection"));
        assert_eq!(crate::export(&mine), crate::export(&wiki), "byte for byte");
        assert!(!take(&mut mine, &wiki, "Other sections"));
        assert!(can_take("Title") && can_take("Scorecard") && !can_take("Other sections"));
    }

    #[test]
    fn line_diff() {
        use DiffLine::*;
        assert_eq!(
            diff_lines("a\nb\nc", "a\nc\nd"),
            vec![
                Same("a".into()),
                Removed("b".into()),
                Same("c".into()),
                Added("d".into())
            ]
        );
    }

    #[test]
    fn only_changed_sections_are_listed() {
        let page = crate::test_pages::SESSIONSTORE;
        let mine = crate::import(page).report;
        let mut theirs = mine.clone();
        assert!(changes(&mine, &theirs).is_empty());
        theirs.summary.push_str("\nOne more line.");
        theirs.scorecard.set_answer(0, Answer::Yes);
        let found: Vec<_> = changes(&mine, &theirs).iter().map(|c| c.section).collect();
        assert_eq!(found, ["Summary", "Scorecard"]);
        let summary = &changes(&mine, &theirs)[0];
        assert_eq!(
            summary.lines.last(),
            Some(&DiffLine::Added("One more line.".into()))
        );
    }
}
