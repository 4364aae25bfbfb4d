//! `gen`: writes the demo or a large synthetic dataset as canonical CSV files.
//!
//! `cargo run --release --bin gen -- --out DIR [--posts N] [--seed S] [--demo]`
//! writes posts.csv, campaigns.csv and creators.csv (plus assets.csv and comments.csv
//! with `--demo`). Posts are streamed row by row, so a million rows need little memory.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(message) = native::run(std::env::args().skip(1).collect()) {
        eprintln!("gen: {message}");
        eprintln!("usage: gen --out DIR [--posts N] [--seed S] [--demo]");
        std::process::exit(2);
    }
}

/// The browser build has no file system: nothing to do.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::fs::File;
    use std::io::{BufWriter, Write};
    use std::path::{Path, PathBuf};
    use std::time::Instant;

    use kpi_dash::data::demo::{self, DEMO_SEED};
    use kpi_dash::data::export::{self, PostsCsvWriter};

    /// Parsed command line.
    struct Options {
        out: PathBuf,
        posts: usize,
        seed: u64,
        demo: bool,
    }

    fn parse(args: Vec<String>) -> Result<Options, String> {
        let mut options = Options {
            out: PathBuf::new(),
            posts: 1_000_000,
            seed: DEMO_SEED,
            demo: false,
        };
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--out" => options.out = PathBuf::from(value()?),
                "--posts" => {
                    let raw = value()?.replace('_', "");
                    options.posts = raw.parse().map_err(|_| format!("bad --posts {raw}"))?;
                }
                "--seed" => {
                    let raw = value()?;
                    options.seed = raw.parse().map_err(|_| format!("bad --seed {raw}"))?;
                }
                "--demo" => options.demo = true,
                other => return Err(format!("unknown argument {other}")),
            }
        }
        if options.out.as_os_str().is_empty() {
            return Err("--out DIR is required".into());
        }
        Ok(options)
    }

    fn create(dir: &Path, name: &str) -> Result<BufWriter<File>, String> {
        let path = dir.join(name);
        File::create(&path)
            .map(|f| BufWriter::with_capacity(1 << 20, f))
            .map_err(|e| format!("{}: {e}", path.display()))
    }

    fn io(name: &str) -> impl Fn(std::io::Error) -> String + '_ {
        move |e| format!("writing {name}: {e}")
    }

    /// Runs the command.
    pub fn run(args: Vec<String>) -> Result<(), String> {
        let options = parse(args)?;
        let dir = options.out.as_path();
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let started = Instant::now();
        let rows = if options.demo {
            let ws = demo::generate(options.seed);
            export::write_posts(&ws.posts, create(dir, "posts.csv")?).map_err(io("posts.csv"))?;
            export::write_campaigns(&ws.campaigns, create(dir, "campaigns.csv")?)
                .map_err(io("campaigns.csv"))?;
            export::write_creators(&ws.creators, create(dir, "creators.csv")?)
                .map_err(io("creators.csv"))?;
            export::write_assets(&ws.assets, create(dir, "assets.csv")?)
                .map_err(io("assets.csv"))?;
            export::write_comments(&ws.comments, create(dir, "comments.csv")?)
                .map_err(io("comments.csv"))?;
            ws.posts.len()
        } else {
            let scenario = demo::large_scenario(options.seed, options.posts);
            let mut writer =
                PostsCsvWriter::new(create(dir, "posts.csv")?).map_err(io("posts.csv"))?;
            let mut stream = scenario.posts();
            let mut rows = 0;
            for row in stream.by_ref() {
                writer.write_row(&row).map_err(io("posts.csv"))?;
                rows += 1;
            }
            writer
                .finish()
                .map_err(io("posts.csv"))?
                .flush()
                .map_err(io("posts.csv"))?;
            export::write_campaigns(
                &scenario.campaign_rows(stream.spend()),
                create(dir, "campaigns.csv")?,
            )
            .map_err(io("campaigns.csv"))?;
            export::write_creators(&scenario.creator_rows(), create(dir, "creators.csv")?)
                .map_err(io("creators.csv"))?;
            rows
        };
        let bytes = std::fs::metadata(dir.join("posts.csv")).map_or(0, |m| m.len());
        println!(
            "wrote {rows} posts ({:.1} MB) to {} in {:.2} s",
            bytes as f64 / 1e6,
            dir.display(),
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }
}
