//! The shell's building blocks, one small component per file.

mod app_header;
mod offline;
mod save_status;
mod score_summary;
mod step_nav;
mod step_panel;

pub use app_header::AppHeader;
pub use offline::{InstallButton, OfflineStatus, UpdateBanner};
pub use save_status::{SaveProblems, SaveStatus};
pub use score_summary::ScoreSummary;
pub use step_nav::StepNav;
pub use step_panel::StepPanel;
