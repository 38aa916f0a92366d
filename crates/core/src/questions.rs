//! The 15 questions of the Incident Engagement ScoreCard (format.md).

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    People,
    Process,
    Tooling,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::People, Category::Process, Category::Tooling];

    pub fn name(self) -> &'static str {
        match self {
            Category::People => "People",
            Category::Process => "Process",
            Category::Tooling => "Tooling",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(name.trim()))
    }
}

pub struct Question {
    pub category: Category,
    /// The 2024 wording, exactly as the template's table cell has it.
    pub text: &'static str,
    /// The short form shown in the editor.
    pub short: &'static str,
    /// Older wordings that mean the same question (2022 pages).
    pub older: &'static [&'static str],
}

/// [`QUESTIONS`]' “Is there a phabricator task for the incident?”.
pub const TASK_QUESTION: usize = 7;
/// [`QUESTIONS`]' “Are the documented action items assigned?”.
pub const ASSIGNED_QUESTION: usize = 8;

pub const QUESTIONS: [Question; 15] = [
    Question {
        category: Category::People,
        text: "Were the people responding to this incident sufficiently different than the previous five incidents? ",
        short: "Were the responders sufficiently different from the previous five incidents?",
        older: &[],
    },
    Question {
        category: Category::People,
        text: "Were the people who responded prepared enough to respond effectively",
        short: "Were the responders prepared enough to respond effectively?",
        older: &[],
    },
    Question {
        category: Category::People,
        text: "Were fewer than five people paged?",
        short: "Were fewer than five people paged?",
        older: &[],
    },
    Question {
        category: Category::People,
        text: "Were pages routed to the correct sub-team(s)?",
        short: "Were pages routed to the correct sub-team(s)?",
        older: &[],
    },
    Question {
        category: Category::People,
        text: "Were pages routed to online (business hours) engineers? \u{a0}''Answer “no” if engineers were paged after business hours.''",
        short: "Were pages routed to online (business hours) engineers? Answer “no” if engineers were paged after business hours.",
        older: &[],
    },
    Question {
        category: Category::Process,
        text: "Was the \"Incident status\" section atop the Google Doc kept up-to-date during the incident?",
        short: "Was the “Incident status” section atop the Google Doc kept up-to-date?",
        older: &["Was the incident status section actively updated during the incident?"],
    },
    Question {
        category: Category::Process,
        text: " Was a public wikimediastatus.net entry created? ",
        short: "Was a public wikimediastatus.net entry created?",
        older: &["Was the public status page updated?"],
    },
    Question {
        category: Category::Process,
        text: "Is there a phabricator task for the incident?",
        short: "Is there a Phabricator task for the incident?",
        older: &[],
    },
    Question {
        category: Category::Process,
        text: "Are the documented action items assigned?",
        short: "Are the documented action items assigned?",
        older: &[],
    },
    Question {
        category: Category::Process,
        text: "Is this incident sufficiently different from earlier incidents so as not to be a repeat occurrence? ",
        short: "Is this incident sufficiently different from earlier ones (not a repeat)?",
        older: &[],
    },
    Question {
        category: Category::Tooling,
        text: "To the best of your knowledge was the open task queue free of any tasks that would have prevented this incident? ''Answer “no” if there are open tasks that would prevent this incident or make mitigation easier if implemented.''",
        short: "Was the open task queue free of tasks that would have prevented this incident? Answer “no” if open tasks would prevent it or ease mitigation.",
        older: &[],
    },
    Question {
        category: Category::Tooling,
        text: " Were the people responding able to communicate effectively during the incident with the existing tooling?",
        short: "Could responders communicate effectively with the existing tooling?",
        older: &[],
    },
    Question {
        category: Category::Tooling,
        text: "Did existing monitoring notify the initial responders?",
        short: "Did existing monitoring notify the initial responders?",
        older: &[],
    },
    Question {
        category: Category::Tooling,
        text: "Were the engineering tools that were to be used during the incident, available and in service? ",
        short: "Were the engineering tools available and in service?",
        older: &[],
    },
    Question {
        category: Category::Tooling,
        text: "Were the steps taken to mitigate guided by an existing runbook?",
        short: "Were the mitigation steps guided by an existing runbook?",
        older: &[],
    },
];

/// Which question a table cell asks, by wording (current or older), ignoring markup and spacing.
pub fn identify(cell: &str) -> Option<usize> {
    let key = comparable(cell);
    keys()
        .iter()
        .find(|k| k.exact.contains(&key))
        .map(|k| k.question)
}

/// Each question's wordings, reduced once: the exact keys and the word sets.
struct Keys {
    question: usize,
    exact: Vec<String>,
    words: Vec<Vec<String>>,
}

fn keys() -> &'static [Keys] {
    static KEYS: std::sync::OnceLock<Vec<Keys>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        QUESTIONS
            .iter()
            .enumerate()
            .map(|(question, q)| {
                let wordings: Vec<&str> = std::iter::once(q.text)
                    .chain(q.older.iter().copied())
                    .collect();
                Keys {
                    question,
                    exact: wordings.iter().map(|w| comparable(w)).collect(),
                    words: wordings
                        .iter()
                        .flat_map(|w| [*w, w.split("''").next().unwrap_or(w)])
                        .map(word_set)
                        .collect(),
                }
            })
            .collect()
    })
}

/// Which question a cell of a copied or pasted table asks, allowing for other wordings: the
/// question whose words (either sentence, current or older wording) best match the cell's,
/// when they share at least 60 % of them (Dice coefficient of the word sets) and no other
/// question matches as well. The exact match of [`identify`] is tried first.
pub fn identify_fuzzy(cell: &str) -> Option<usize> {
    if let Some(q) = identify(cell) {
        return Some(q);
    }
    // A question is a sentence or two, not a page: long cells are not questions.
    if cell.len() > 1000 {
        return None;
    }
    let words = word_set(cell);
    if words.len() < 3 {
        return None;
    }
    let mut best: Option<(usize, f64)> = None;
    let mut tie = false;
    for k in keys() {
        let i = k.question;
        let score = k.words.iter().map(|w| dice(&words, w)).fold(0.0, f64::max);
        match best {
            Some((_, b)) if score < b => {}
            Some((_, b)) if score == b => tie = true,
            _ => {
                best = Some((i, score));
                tie = false;
            }
        }
    }
    best.filter(|&(_, s)| s >= 0.6 && !tie).map(|(i, _)| i)
}

/// The distinct words of `s`, lower case. (No sort: a cell is at most a few hundred words,
/// and a sort of strings would add its own code to the web app.)
fn word_set(s: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for w in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let w = w.to_lowercase();
        if !words.contains(&w) {
            words.push(w);
        }
    }
    words
}

fn dice(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.iter().filter(|w| b.contains(w)).count();
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// A question's wording reduced to its words: the first sentence, lower case, no markup.
fn comparable(s: &str) -> String {
    let first = s.split("''").next().unwrap_or(s);
    first
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_questions_per_category() {
        for c in Category::ALL {
            assert_eq!(QUESTIONS.iter().filter(|q| q.category == c).count(), 5);
        }
    }

    #[test]
    fn identifies_current_and_older_wording() {
        for (i, q) in QUESTIONS.iter().enumerate() {
            assert_eq!(identify(q.text), Some(i));
        }
        assert_eq!(identify("Was the public status page updated?"), Some(6));
        assert_eq!(
            identify("To the best of your knowledge was the open task queue free of any tasks that would have prevented this incident? ''Answer “no” if there are''\n''open tasks''"),
            Some(10)
        );
        assert_eq!(identify("What is the airspeed of a swallow?"), None);
    }

    #[test]
    fn identifies_pasted_wording_loosely() {
        assert_eq!(
            identify_fuzzy("Were pages routed to online (business hours) engineers?  Answer “no” if engineers were paged after business hours."),
            Some(4)
        );
        assert_eq!(
            identify_fuzzy("Was the public status page updated"),
            Some(6)
        );
        assert_eq!(
            identify_fuzzy("Was the incident status section updated?"),
            Some(5)
        );
        assert_eq!(
            identify_fuzzy("Did monitoring notify the initial responders"),
            Some(12)
        );
        assert_eq!(
            identify_fuzzy("Total score (count of all “yes” answers above)"),
            None
        );
        assert_eq!(identify_fuzzy("Question"), None);
    }
}
