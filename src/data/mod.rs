//! Getting rows in: the canonical schema, readers, header mapping, value parsing,
//! validation reports and the columnar workspace. Pure Rust.

pub mod audience;
pub mod calendar;
pub mod chunks;
pub mod csv;
pub mod currency;
pub mod dates;
pub mod demo;
pub mod disclosure;
pub mod error;
pub mod export;
pub mod ingest;
pub mod json;
pub mod loader;
pub mod mapping;
pub mod packed;
pub mod rng;
pub mod schema;
pub mod split;
pub mod store;
pub mod synth;
pub mod values;
pub mod xlsx;
