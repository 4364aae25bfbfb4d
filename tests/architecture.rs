//! The house's floors, checked on the source: the core (`data`, `metrics`, `display`,
//! `charts`) imports no front end, `metrics` words nothing (it does not import
//! `display`), `data` imports neither, and the data worker and its wire protocol import
//! no `ui`. A `use` or path that breaks one fails here with the file and line.

use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir` (recursively), sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn src(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(path)
}

/// `file:line: text` of each code line (comments and `#[cfg(test)]` modules skipped)
/// of `files` that names one of `forbidden`.
fn offending_lines(files: &[PathBuf], forbidden: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let lines = text.lines().take_while(|l| l.trim() != "#[cfg(test)]");
        for (i, line) in lines.enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if forbidden.iter().any(|f| code.contains(f)) {
                found.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
            }
        }
    }
    found
}

const FRONT_END: &[&str] = &["crate::ui", "leptos", "web_sys", "gloo", "wasm_bindgen"];

#[test]
fn the_core_imports_no_front_end() {
    for dir in ["data", "metrics", "display", "charts"] {
        let bad = offending_lines(&rust_files(&src(dir)), FRONT_END);
        assert!(
            bad.is_empty(),
            "src/{dir} reaches the front end:\n{}",
            bad.join("\n")
        );
    }
}

#[test]
fn metrics_formats_nothing_and_data_depends_on_no_later_layer() {
    let bad = offending_lines(&rust_files(&src("metrics")), &["crate::display"]);
    assert!(
        bad.is_empty(),
        "metrics imports display:\n{}",
        bad.join("\n")
    );
    let bad = offending_lines(
        &rust_files(&src("data")),
        &["crate::display", "crate::metrics", "crate::charts"],
    );
    assert!(
        bad.is_empty(),
        "data imports a later layer:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_worker_and_its_protocol_import_no_ui() {
    let files: Vec<PathBuf> = ["worker.rs", "protocol.rs", "bin/worker.rs"]
        .iter()
        .map(|f| src(f))
        .filter(|p| p.exists())
        .collect();
    assert!(
        files.iter().any(|p| p.ends_with("worker.rs")),
        "src/worker.rs is missing"
    );
    let bad = offending_lines(&files, &["crate::ui", "kpi_dash::ui", "leptos"]);
    assert!(
        bad.is_empty(),
        "the worker reaches the ui:\n{}",
        bad.join("\n")
    );
}
