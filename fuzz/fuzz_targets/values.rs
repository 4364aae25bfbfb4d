//! `cargo +nightly fuzz run values`: see `kpi_dash_fuzz::values`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpi_dash_fuzz::values(data));
