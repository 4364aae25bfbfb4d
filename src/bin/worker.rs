//! `worker`: the data Web Worker (trunk builds it from `index.html`'s
//! `data-type="worker"` link). See `kpi_dash::worker`.

#[cfg(target_arch = "wasm32")]
fn main() {
    kpi_dash::worker::run();
}

/// Only the browser build has workers: nothing to do natively.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
