//! `cargo +nightly fuzz run query`: see `kpi_dash_fuzz::query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpi_dash_fuzz::query(data));
