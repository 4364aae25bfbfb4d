//! `cargo +nightly fuzz run unpack`: see `kpi_dash_fuzz::unpack`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| kpi_dash_fuzz::unpack(data));
