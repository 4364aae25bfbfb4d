//! Influencer-marketing KPI dashboard.
//!
//! `data` and `metrics` are pure Rust (no UI, no browser APIs) and are tested natively
//! with `cargo test`. `ui` is the leptos front end; it only exists in the wasm build and
//! depends on the pure core, never the other way round.

pub mod charts;
pub mod data;
pub mod display;
pub mod metrics;
/// The page ↔ data-worker messages (pure kinds and size policy; JS encoding on wasm32).
pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
