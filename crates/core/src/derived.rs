//! Everything the editor shows about a report beside it (figures, findings, score, the
//! entries out of order), computed in one pass per change so that the views reading it do
//! not each place the timeline in time again.

use crate::analysis::{figures_placed, out_of_order, place_timeline, Figures};
use crate::check::{findings, Finding, Tally};
use crate::score::{score, Score};
use crate::Report;

#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    pub figures: Figures,
    /// Errors first.
    pub findings: Vec<Finding>,
    pub tally: Tally,
    pub score: Score,
    /// Timeline lines (indices) that come earlier in time than the entry before them.
    pub out_of_order: Vec<usize>,
}

impl Derived {
    pub fn of(r: &Report) -> Derived {
        let placed = place_timeline(r);
        let findings = findings(r, &placed);
        Derived {
            figures: figures_placed(r, &placed),
            tally: Tally::of(&findings),
            findings,
            score: score(&r.scorecard),
            out_of_order: out_of_order(&placed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::figures;
    use crate::check::check;

    #[test]
    fn it_is_what_each_analysis_gives_on_its_own() {
        for page in crate::test_pages::ALL {
            let r = crate::import(page).report;
            let d = Derived::of(&r);
            assert_eq!(d.figures, figures(&r));
            assert_eq!(d.findings, check(&r));
            assert_eq!(d.tally, Tally::of(&check(&r)));
            assert_eq!(d.score, score(&r.scorecard));
            assert_eq!(d.out_of_order, out_of_order(&place_timeline(&r)));
        }
    }
}
