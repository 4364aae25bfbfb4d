//! `cargo +nightly fuzz run ingest`: see `kpi_dash_fuzz::ingest`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpi_dash_fuzz::ingest(data));
