//! `cargo +nightly fuzz run settings`: see `kpi_dash_fuzz::settings`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpi_dash_fuzz::settings(data));
