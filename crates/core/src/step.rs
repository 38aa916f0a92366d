//! The steps of writing a report, in the order the editor presents them, their place in the
//! app's URL hash (`#/timeline`), and the step where each part of a report is edited (which
//! the CLI names too).

use crate::check::Place;
use crate::model::Field;

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
    pub fn slug(self) -> &'static str {
        &self.hash()[2..]
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

    /// The step where a finding at `place` is fixed.
    pub fn for_place(place: Place) -> Step {
        match place {
            Place::Title => Step::Overview,
            Place::Field(field) => Step::for_field(field),
        }
    }

    /// The step where a report field is edited; sections irdoc has no step for are edited on
    /// the Export step.
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
    use super::*;
    use crate::check::check;
    use crate::layout::full_template;
    use crate::model::Piece;
    use crate::Report;

    #[test]
    fn every_step_has_its_own_hash_that_leads_back_to_it() {
        for step in Step::ALL {
            assert_eq!(Step::from_hash(step.hash()), Some(step));
            assert_eq!(Step::from_hash(step.slug()), Some(step));
            assert!(!step.description().is_empty());
        }
    }

    #[test]
    fn from_hash_is_lenient_about_the_prefix() {
        for hash in [
            "#/timeline",
            "#timeline",
            "/timeline",
            "timeline",
            "#/Timeline/",
            " #/timeline ",
        ] {
            assert_eq!(Step::from_hash(hash), Some(Step::Timeline), "{hash:?}");
        }
    }

    #[test]
    fn from_hash_rejects_unknown_and_empty() {
        for hash in ["", "#", "#/", "#/nope", "#/timeline/extra"] {
            assert_eq!(Step::from_hash(hash), None, "{hash:?}");
        }
    }

    #[test]
    fn the_editor_opens_on_the_overview() {
        assert_eq!(Step::default(), Step::Overview);
        assert_eq!(Step::default().previous(), None);
    }

    #[test]
    fn next_and_previous_walk_every_step_once() {
        let mut walked = vec![Step::default()];
        while let Some(next) = walked.last().unwrap().next() {
            assert_eq!(next.previous(), walked.last().copied());
            walked.push(next);
        }
        assert_eq!(walked, Step::ALL);
        for (i, step) in Step::ALL.into_iter().enumerate() {
            assert_eq!(step.number(), i + 1);
        }
    }

    #[test]
    fn every_field_of_the_page_is_edited_on_a_step_before_the_export() {
        for piece in full_template() {
            if let Piece::Field(field) = piece {
                assert!(
                    Step::for_field(field).index() < Step::Export.index(),
                    "{field:?}"
                );
            }
        }
        // The sections irdoc has no step for are edited with the export.
        assert_eq!(Step::for_field(Field::Extra(0)), Step::Export);
    }

    #[test]
    fn every_finding_of_an_empty_report_points_at_the_step_that_fixes_it() {
        let findings = check(&Report::default());
        assert!(!findings.is_empty());
        for f in findings {
            let step = Step::for_place(f.place);
            match f.place {
                Place::Title => assert_eq!(step, Step::Overview),
                Place::Field(field) => assert_eq!(step, Step::for_field(field)),
            }
            assert_ne!(step, Step::Export, "{}", f.message);
        }
    }
}
