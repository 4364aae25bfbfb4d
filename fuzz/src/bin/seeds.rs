//! Writes the seed corpus of each target but ingest (`kpi_dash_fuzz::seeds`) to
//! `fuzz/seeds/<target>/`, where `cargo fuzz run` and `.ci/test` read it: `cargo run
//! --manifest-path fuzz/Cargo.toml --bin seeds` (any toolchain). Ingest's corpus is
//! `tests/fixtures` itself.

fn main() -> std::io::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    for target in kpi_dash_fuzz::TARGETS.iter().filter(|t| **t != "ingest") {
        let dir = root.join(target);
        std::fs::create_dir_all(&dir)?;
        let seeds = kpi_dash_fuzz::seeds(target);
        for (i, seed) in seeds.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:03}")), seed)?;
        }
        println!("{}: {} seeds", dir.display(), seeds.len());
    }
    Ok(())
}
