//! The shared metrics module: one definition of each KPI, computed in pure Rust and
//! used by every card, table, chart, alert, glossary entry and export.

mod aggregate;
pub mod alerts;
pub mod anomaly;
pub mod audience;
pub mod drivers;
pub mod emv;
pub mod engine;
pub mod entities;
pub mod explain;
pub mod objective;
pub mod parts;
pub mod patterns;
pub mod plan;
pub mod ranking;
pub mod registry;
pub mod renewal;
pub mod score;
pub mod sentiment;
pub mod settings;
pub mod targets;
pub mod tiers;
pub mod trend;
pub mod value_json;
pub mod variation;
