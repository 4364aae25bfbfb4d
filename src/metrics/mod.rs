//! The shared metrics module: one definition of each KPI, computed in pure Rust and
//! used by every card, table, chart, alert, glossary entry and export.

pub mod alerts;
pub mod engine;
pub mod registry;
pub mod settings;
pub mod targets;
pub mod trend;
