//! The form of each step, reading and writing the report in context.

mod actionables;
mod conclusions;
mod export;
mod overview;
mod prose;
mod scorecard;
mod timeline;

pub use actionables::Actionables;
pub use conclusions::Conclusions;
pub use export::Export;
pub use overview::Overview;
pub use prose::{Prose, DETECTION_GUIDANCE, LINKS_GUIDANCE, SUMMARY_GUIDANCE};
pub use scorecard::Scorecard;
pub use timeline::Timeline;
