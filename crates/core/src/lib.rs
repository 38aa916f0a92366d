//! The pure core of irdoc: the report model, wikitext import and export, scoring, checks,
//! drafts and share links. No browser APIs here: it compiles and tests natively.

pub mod analysis;
pub mod blocks;
pub mod check;
pub mod compare;
pub mod datetime;
pub mod drafts;
pub mod layout;
pub mod model;
pub mod paste;
pub mod preview;
pub mod questions;
pub mod score;
pub mod share;
pub mod text;
pub mod wikitext;

pub use model::Report;
pub use text::Text;
pub use wikitext::{export, import};
