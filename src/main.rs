//! irdoc: a browser app for writing Wikimedia-style incident reports.
//!
//! Client-side only (Leptos CSR, built for wasm32 by Trunk). The report model,
//! wikitext import/export and scoring live in `irdoc-core` (crates/core).

mod app;
mod browser;
mod components;
mod convert;
mod fields;
mod library;
mod offline;
mod session;
mod share;
mod start;
mod state;
mod steps;
mod wiki;
mod wiki_open;
mod wiki_publish;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
