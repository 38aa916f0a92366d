//! The editor's steps and their place in the URL hash (`#/timeline`).
//!
//! Pure code: no browser APIs here, so it is unit-tested natively.

use irdoc_core::model::Field;

/// One step of writing a report; each has its own panel and its own URL hash.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Step {
    /// Title, status and the incident metadata box.
    #[default]
    Overview,
    Summary,
    Timeline,
    Detection,
    Conclusions,
    Links,
    Actionables,
    Scorecard,
    Export,
}

impl Step {
    /// Every step, in the order the editor presents them.
    pub const ALL: [Step; 9] = [
        Step::Overview,
        Step::Summary,
        Step::Timeline,
        Step::Detection,
        Step::Conclusions,
        Step::Links,
        Step::Actionables,
        Step::Scorecard,
        Step::Export,
    ];

    /// The step's name in URLs and test ids, e.g. `"timeline"`.
    pub const fn slug(self) -> &'static str {
        match self {
            Step::Overview => "overview",
            Step::Summary => "summary",
            Step::Timeline => "timeline",
            Step::Detection => "detection",
            Step::Conclusions => "conclusions",
            Step::Links => "links",
            Step::Actionables => "actionables",
            Step::Scorecard => "scorecard",
            Step::Export => "export",
        }
    }

    /// The step's name as shown to people.
    pub const fn label(self) -> &'static str {
        match self {
            Step::Overview => "Overview",
            Step::Summary => "Summary",
            Step::Timeline => "Timeline",
            Step::Detection => "Detection",
            Step::Conclusions => "Conclusions",
            Step::Links => "Links",
            Step::Actionables => "Actionables",
            Step::Scorecard => "Scorecard",
            Step::Export => "Export",
        }
    }

    /// One sentence on what the step is for.
    pub const fn description(self) -> &'static str {
        match self {
            Step::Overview => {
                "Title, status and the incident metadata: task, people paged, responders, start and end, impact."
            }
            Step::Summary => "What happened, who was affected and for how long, in a few sentences.",
            Step::Timeline => "Events in order, in UTC, with the outage's start and end marked.",
            Step::Detection => "How the problem was noticed: alerts, reports, and how long that took.",
            Step::Conclusions => "What went well, what went poorly, and where we got lucky.",
            Step::Links => "Documentation, dashboards and tasks that help the reader.",
            Step::Actionables => "Follow-up work, each item linked to a task.",
            Step::Scorecard => "The incident engagement scorecard questions.",
            Step::Export => "The finished report as wikitext, ready to paste into the wiki.",
        }
    }

    /// The URL hash that shows this step, e.g. `"#/timeline"`.
    pub const fn hash(self) -> &'static str {
        match self {
            Step::Overview => "#/overview",
            Step::Summary => "#/summary",
            Step::Timeline => "#/timeline",
            Step::Detection => "#/detection",
            Step::Conclusions => "#/conclusions",
            Step::Links => "#/links",
            Step::Actionables => "#/actionables",
            Step::Scorecard => "#/scorecard",
            Step::Export => "#/export",
        }
    }

    /// The step a URL hash names. Accepts `#/timeline`, `#timeline`, `/timeline/`
    /// and `timeline` (any case); `None` for anything else, the empty hash included.
    pub fn from_hash(hash: &str) -> Option<Step> {
        let slug = hash.trim();
        let slug = slug.strip_prefix('#').unwrap_or(slug);
        let slug = slug.strip_prefix('/').unwrap_or(slug);
        let slug = slug.strip_suffix('/').unwrap_or(slug);
        Step::ALL
            .into_iter()
            .find(|step| step.slug().eq_ignore_ascii_case(slug))
    }

    /// Position in [`Step::ALL`], from 0.
    pub fn index(self) -> usize {
        Step::ALL
            .iter()
            .position(|&step| step == self)
            .expect("every step is in Step::ALL")
    }

    /// Position as people count it, from 1.
    pub fn number(self) -> usize {
        self.index() + 1
    }

    /// The step after this one, if any.
    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.index() + 1).copied()
    }

    /// The step before this one, if any.
    pub fn previous(self) -> Option<Step> {
        self.index().checked_sub(1).map(|i| Step::ALL[i])
    }

    /// The step where a report field is edited.
    pub fn for_field(field: Field) -> Step {
        match field {
            Field::Status | Field::Metadata => Step::Overview,
            Field::Summary => Step::Summary,
            Field::Timeline => Step::Timeline,
            Field::Detection => Step::Detection,
            Field::Conclusions | Field::WentWell | Field::WentPoorly | Field::GotLucky => {
                Step::Conclusions
            }
            Field::Links => Step::Links,
            Field::Actionables => Step::Actionables,
            Field::Scorecard => Step::Scorecard,
            Field::Extra(_) => Step::Export,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Step;
    use std::collections::HashSet;

    #[test]
    fn all_lists_every_step_once_in_order() {
        let slugs: Vec<_> = Step::ALL.iter().map(|s| s.slug()).collect();
        assert_eq!(
            slugs,
            [
                "overview",
                "summary",
                "timeline",
                "detection",
                "conclusions",
                "links",
                "actionables",
                "scorecard",
                "export"
            ]
        );
        let unique: HashSet<_> = Step::ALL.iter().collect();
        assert_eq!(unique.len(), Step::ALL.len());
    }

    #[test]
    fn hash_round_trips_for_every_step() {
        for step in Step::ALL {
            assert_eq!(step.hash(), format!("#/{}", step.slug()));
            assert_eq!(Step::from_hash(step.hash()), Some(step));
        }
    }

    #[test]
    fn from_hash_is_lenient_about_the_prefix() {
        assert_eq!(Step::from_hash("#/timeline"), Some(Step::Timeline));
        assert_eq!(Step::from_hash("#timeline"), Some(Step::Timeline));
        assert_eq!(Step::from_hash("/timeline"), Some(Step::Timeline));
        assert_eq!(Step::from_hash("timeline"), Some(Step::Timeline));
        assert_eq!(Step::from_hash("#/Timeline/"), Some(Step::Timeline));
        assert_eq!(Step::from_hash(" #/export "), Some(Step::Export));
    }

    #[test]
    fn from_hash_rejects_unknown_and_empty() {
        assert_eq!(Step::from_hash(""), None);
        assert_eq!(Step::from_hash("#"), None);
        assert_eq!(Step::from_hash("#/"), None);
        assert_eq!(Step::from_hash("#/nope"), None);
        assert_eq!(Step::from_hash("#/timeline/extra"), None);
    }

    #[test]
    fn labels_are_capitalised_slugs() {
        for step in Step::ALL {
            assert_eq!(step.label().to_ascii_lowercase(), step.slug());
            assert!(!step.description().is_empty());
        }
    }

    #[test]
    fn default_is_overview() {
        assert_eq!(Step::default(), Step::Overview);
    }

    #[test]
    fn next_and_previous_walk_the_list() {
        assert_eq!(Step::Overview.previous(), None);
        assert_eq!(Step::Overview.next(), Some(Step::Summary));
        assert_eq!(Step::Export.next(), None);
        assert_eq!(Step::Export.previous(), Some(Step::Scorecard));
        for (i, step) in Step::ALL.into_iter().enumerate() {
            assert_eq!(step.index(), i);
            assert_eq!(step.number(), i + 1);
            if let Some(next) = step.next() {
                assert_eq!(next.previous(), Some(step));
            }
        }
    }
}
