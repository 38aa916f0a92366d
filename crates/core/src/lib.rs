//! The pure core of irdoc: the report model, wikitext import and export, scoring, checks,
//! drafts and share links. No browser APIs here: it compiles and tests natively.

pub mod analysis;
pub mod blocks;
pub mod check;
pub mod compare;
pub mod convert;
pub mod datetime;
pub mod derived;
pub mod drafts;
pub mod json;
pub mod layout;
pub mod model;
pub mod open;
pub mod paste;
pub mod preview;
pub mod questions;
pub mod score;
pub mod share;
pub mod step;
pub mod text;
pub mod wiki;
pub mod wikitext;

pub use model::Report;
pub use text::Text;
pub use wikitext::{export, import};

/// The real wikitech pages of `tests/data/wikitech`, for unit tests.
#[cfg(test)]
pub(crate) mod test_pages {
    pub const S4: &str =
        include_str!("../tests/data/wikitech/2024-07-21_s4_and_x1_write_overload.txt");
    pub const PROXY: &str =
        include_str!("../tests/data/wikitech/2024-11-25_WMCS_proxy_nginx_failure.txt");
    pub const VARNISH: &str =
        include_str!("../tests/data/wikitech/2024-12-03_Port_saturation_Varnish_HEAD-GET.txt");
    pub const SESSIONSTORE: &str =
        include_str!("../tests/data/wikitech/2025-03-31_sessionstore_unavailability.txt");
    pub const GERRIT: &str =
        include_str!("../tests/data/wikitech/2025-04-30_Gerrit_data_corruption.txt");
    pub const TOOLSDB: &str =
        include_str!("../tests/data/wikitech/2025-11-05_WMCS_toolsdb_primary_out_of_space.txt");
    pub const ALL: [&str; 6] = [S4, PROXY, VARNISH, SESSIONSTORE, GERRIT, TOOLSDB];
}
