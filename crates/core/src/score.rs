//! The scorecard's score: the count of “yes” answers, per category and in all.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{is_task_id, Answer, Scorecard};
use crate::questions::{identify, Category, ASSIGNED_QUESTION, TASK_QUESTION};
use crate::Report;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Score {
    pub total: usize,
    /// The total the page states, when it states a number.
    pub stated: Option<usize>,
    pub categories: BTreeMap<&'static str, usize>,
    pub unanswered: usize,
    pub questions: usize,
}

impl Score {
    /// The stated total, when it disagrees with the answers.
    pub fn mismatch(&self) -> Option<usize> {
        self.stated.filter(|&s| s != self.total)
    }
}

pub fn score(card: &Scorecard) -> Score {
    let mut categories: BTreeMap<&'static str, usize> =
        Category::ALL.iter().map(|c| (c.name(), 0)).collect();
    for (row, category) in card.rows.iter().zip(card.categories()) {
        if row.answer == Answer::Yes {
            *categories.entry(category.name()).or_default() += 1;
        }
    }
    Score {
        total: categories.values().sum(),
        stated: card
            .stated_total
            .as_deref()
            .and_then(|s| s.trim().parse().ok()),
        categories,
        unanswered: card
            .rows
            .iter()
            .filter(|r| r.answer == Answer::Unknown)
            .count(),
        questions: card.rows.len(),
    }
}
/// The answer the report itself suggests for scorecard row `row`, and why.
pub fn suggestion(r: &Report, row: usize) -> Option<(Answer, &'static str)> {
    match identify(&r.scorecard.rows.get(row)?.wording)? {
        TASK_QUESTION if is_task_id(r.metadata.task.as_str().trim()) => {
            Some((Answer::Yes, "the report names a task"))
        }
        ASSIGNED_QUESTION if r.actionables.has_items() => {
            if r.actionables.items().all(|a| !a.owner.trim().is_empty()) {
                Some((Answer::Yes, "every actionable has an owner"))
            } else {
                Some((Answer::No, "some actionables have no owner"))
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod suggestion_tests {
    use super::*;
    use crate::model::Actionable;
    use crate::questions::QUESTIONS;

    fn row_of(r: &Report, question: usize) -> usize {
        r.scorecard
            .rows
            .iter()
            .position(|row| identify(&row.wording) == Some(question))
            .unwrap()
    }

    #[test]
    fn the_report_suggests_answers_to_the_task_and_assignment_questions() {
        let mut r = Report::default();
        let (task, assigned) = (row_of(&r, TASK_QUESTION), row_of(&r, ASSIGNED_QUESTION));
        assert!(QUESTIONS[TASK_QUESTION].text.contains("phabricator task"));
        assert!(QUESTIONS[ASSIGNED_QUESTION].text.contains("assigned"));
        assert_eq!(suggestion(&r, task), None);
        assert_eq!(suggestion(&r, assigned), None);
        r.metadata.task = r.metadata.task.with_str("T390513");
        assert_eq!(suggestion(&r, task).map(|s| s.0), Some(Answer::Yes));
        r.actionables.push(Actionable::default());
        assert_eq!(suggestion(&r, assigned).map(|s| s.0), Some(Answer::No));
        for line in &mut r.actionables.lines {
            if let Some(a) = line.item_mut() {
                a.owner = "swfrench".into();
            }
        }
        assert_eq!(suggestion(&r, assigned).map(|s| s.0), Some(Answer::Yes));
        // Other questions, and rows that are not there, have none.
        assert_eq!(suggestion(&r, row_of(&r, 0)), None);
        assert_eq!(suggestion(&r, 999), None);
    }
}
