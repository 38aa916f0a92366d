//! The scorecard's score: the count of “yes” answers, per category and in all.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{Answer, Scorecard};
use crate::questions::Category;

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
