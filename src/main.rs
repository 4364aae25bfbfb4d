//! Mounts the app. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    kpi_dash::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("kpi-dash is a browser app: build it with `trunk build --release --offline`.");
}
