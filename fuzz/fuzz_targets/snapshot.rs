//! `cargo +nightly fuzz run snapshot`: see `kpi_dash_fuzz::snapshot`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpi_dash_fuzz::snapshot(data));
