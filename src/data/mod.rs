//! Getting rows in: the canonical schema, readers, header mapping, value parsing,
//! validation reports and the columnar workspace. Pure Rust.

pub mod calendar;
pub mod demo;
pub mod ingest;
pub mod schema;
pub mod store;
