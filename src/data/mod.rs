//! Getting rows in: the canonical schema, readers, header mapping, value parsing,
//! validation reports and the columnar workspace. Pure Rust.

pub mod schema;
pub mod store;
pub mod calendar;
