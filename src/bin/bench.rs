//! `bench`: the native benchmark of parse + aggregate (issue 6, item 5a).
//!
//! `cargo run --release --bin bench -- [--posts N] [--runs R] [--computes C] [--dir DIR]`
//! `cargo run --release --bin bench -- --kpis DIR` prints DIR's KPIs as JSON instead.
//!
//! Reads DIR/posts.csv (plus campaigns.csv and creators.csv when present); when DIR has
//! no posts.csv, writes the canonical files there first with the project's generator.
//! Then, over R runs (default 5), it times the ingest (bytes in memory → `Workspace`, fed
//! in 1 MiB chunks like the browser worker) and `metrics::engine::compute` with no filter
//! and with a platform, a campaign, a creator and a 90-day filter, and prints the median,
//! min, max (and p95 for the filters, over C computes each, at least 20) plus the memory of
//! the workspace columns against the file size. A plain harness: no criterion.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    if let Err(message) = native::run(std::env::args().skip(1).collect()) {
        eprintln!("bench: {message}");
        eprintln!(
            "usage: bench [--posts N] [--runs R] [--computes C] [--dir DIR] | bench --kpis DIR"
        );
        std::process::exit(2);
    }
}

/// The browser build has no file system: nothing to do.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    use kpi_dash::data::calendar::Granularity;
    use kpi_dash::data::ingest::{LoadOptions, StreamingLoad};
    use kpi_dash::data::store::Workspace;
    use kpi_dash::metrics::alerts::evaluate;
    use kpi_dash::metrics::engine::{compute, compute_uncached, Filter};
    use kpi_dash::metrics::settings::Settings;
    use kpi_dash::metrics::trend::{compare_window, CompareMode};

    /// Chunk size of the streaming ingest (what the worker reads per `Blob.slice`).
    const CHUNK: usize = 1 << 20;
    /// Fewest computes per filter, so that the p95 means something.
    const MIN_COMPUTES: usize = 20;

    struct Options {
        /// Print the KPIs of DIR as JSON instead of timing (the rollup test compares them).
        kpis: bool,
        posts: usize,
        runs: usize,
        computes: usize,
        dir: PathBuf,
    }

    fn parse(args: Vec<String>) -> Result<Options, String> {
        let mut options = Options {
            kpis: false,
            posts: 1_000_000,
            runs: 5,
            computes: MIN_COMPUTES,
            dir: PathBuf::from("target/bench-data"),
        };
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or(format!("{flag} needs a value"));
            match flag.as_str() {
                "--posts" => {
                    let raw = value()?.replace('_', "");
                    options.posts = raw.parse().map_err(|_| format!("bad --posts {raw}"))?;
                }
                "--runs" => {
                    let raw = value()?;
                    options.runs = raw.parse().map_err(|_| format!("bad --runs {raw}"))?;
                }
                "--computes" => {
                    let raw = value()?;
                    options.computes = raw.parse().map_err(|_| format!("bad --computes {raw}"))?;
                }
                "--dir" => options.dir = PathBuf::from(value()?),
                "--kpis" => {
                    options.kpis = true;
                    options.dir = PathBuf::from(value()?);
                }
                other => return Err(format!("unknown argument {other}")),
            }
        }
        options.runs = options.runs.max(1);
        Ok(options)
    }

    /// Median, min, max and p95 of some timings, in milliseconds.
    struct Stats {
        median: f64,
        min: f64,
        max: f64,
        p95: f64,
    }

    fn stats(times: &[Duration]) -> Stats {
        let mut ms: Vec<f64> = times.iter().map(|t| t.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
        Stats {
            median: at(0.5),
            min: ms[0],
            max: ms[ms.len() - 1],
            p95: at(0.95),
        }
    }

    /// One input file's bytes.
    struct Input {
        name: &'static str,
        bytes: Vec<u8>,
    }

    fn read_inputs(dir: &Path) -> Result<Vec<Input>, String> {
        // Dimension tables first: posts are checked against nothing, but the order
        // matches what a user drops.
        let mut inputs = Vec::new();
        for name in ["campaigns.csv", "creators.csv", "posts.csv"] {
            let path = dir.join(name);
            match std::fs::read(&path) {
                Ok(bytes) => inputs.push(Input { name, bytes }),
                Err(_) if name != "posts.csv" => {}
                Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
            }
        }
        Ok(inputs)
    }

    /// Loads every input into a fresh workspace, in chunks.
    fn ingest(inputs: &[Input]) -> Result<Workspace, String> {
        ingest_timed(inputs).map(|(ws, _)| ws)
    }

    /// [`ingest`], with the time spent feeding chunks (tokenize, parse, stage) and the
    /// time spent in `finish` (checks, duplicates, merge), summed over the inputs: this
    /// thread's on-CPU time when it can be read (the machine is shared), else wall time.
    fn ingest_timed(inputs: &[Input]) -> Result<(Workspace, [Duration; 2]), String> {
        let mut ws = Workspace::default();
        let mut spent = [Duration::ZERO; 2];
        let wall = Instant::now();
        let clock = || thread_cpu().unwrap_or_else(|| wall.elapsed());
        for input in inputs {
            let start = clock();
            let mut load = StreamingLoad::new(input.name, LoadOptions::default());
            load.expect_bytes(input.bytes.len() as f64);
            for chunk in input.bytes.chunks(CHUNK) {
                load.feed(chunk);
            }
            let fed = clock();
            load.finish(&mut ws).map_err(|e| e.to_string())?;
            spent[0] += fed.saturating_sub(start);
            spent[1] += clock().saturating_sub(fed);
        }
        Ok((ws, spent))
    }

    /// The filters a user flips between: the biggest platform, campaign and creator, and
    /// the last 90 days.
    fn filters(ws: &Workspace) -> Vec<(&'static str, Filter)> {
        let p = &ws.posts;
        let biggest = |codes: &[u32], dict: &kpi_dash::data::store::Dict| -> Vec<String> {
            let mut counts = vec![0usize; dict.len()];
            codes.iter().for_each(|&c| counts[c as usize] += 1);
            let best = (0..counts.len()).max_by_key(|&c| counts[c]);
            best.map(|c| dict.value(c as u32).to_owned())
                .into_iter()
                .collect()
        };
        let mut out = vec![("no filter", Filter::default())];
        out.push((
            "platform",
            Filter {
                platforms: biggest(&p.platform, &p.platforms),
                ..Filter::default()
            },
        ));
        out.push((
            "campaign",
            Filter {
                campaigns: biggest(&p.campaign, &p.campaigns),
                ..Filter::default()
            },
        ));
        out.push((
            "creator",
            Filter {
                creators: biggest(&p.creator, &p.creators),
                ..Filter::default()
            },
        ));
        if let Some((_, last)) = p.date_span() {
            out.push((
                "90-day range",
                Filter {
                    from: Some(last - 89),
                    to: Some(last),
                    ..Filter::default()
                },
            ));
        }
        out
    }

    fn ms(v: f64) -> String {
        format!("{v:>9.2}")
    }

    pub fn run(args: Vec<String>) -> Result<(), String> {
        let options = parse(args)?;
        if !options.dir.join("posts.csv").exists() {
            return Err(format!(
                "{} has no posts.csv: write one with `cargo run --release --bin gen -- --out {} --posts {}`",
                options.dir.display(),
                options.dir.display(),
                options.posts
            ));
        }
        let inputs = read_inputs(&options.dir)?;
        if options.kpis {
            return print_kpis(&ingest(&inputs)?);
        }
        let file_bytes = inputs.iter().map(|i| i.bytes.len()).sum::<usize>();
        let posts_bytes = inputs
            .iter()
            .find(|i| i.name == "posts.csv")
            .map_or(0, |i| i.bytes.len());
        let settings = Settings::default();
        let granularity = Granularity::Month;

        let mut ingest_times = Vec::new();
        let mut ingest_cpu = Vec::new();
        let mut first_kpis = Vec::new();
        let mut feed_times = Vec::new();
        let mut finish_times = Vec::new();
        let mut ws = Workspace::default();
        for _ in 0..options.runs {
            drop(ws);
            let cpu = thread_cpu();
            let start = Instant::now();
            let (loaded, [feed, finish]) = ingest_timed(&inputs)?;
            ws = loaded;
            ingest_times.push(start.elapsed());
            feed_times.push(feed);
            finish_times.push(finish);
            if let Some((before, after)) = cpu.zip(thread_cpu()) {
                ingest_cpu.push(after.saturating_sub(before));
            }
            let results = compute(&ws, &Filter::default(), &settings, granularity);
            first_kpis.push(start.elapsed());
            std::hint::black_box(results);
        }
        let rows = ws.posts.len();

        println!(
            "bench: {rows} posts rows, {:.1} MB of CSV ({:.1} MB posts), {} runs, granularity {}",
            file_bytes as f64 / 1e6,
            posts_bytes as f64 / 1e6,
            options.runs,
            granularity.name()
        );
        println!(
            "{:<28}{:>9}{:>9}{:>9}{:>9}",
            "step (ms)", "median", "p95", "min", "max"
        );
        let line = |name: &str, s: &Stats| {
            println!(
                "{name:<28}{}{}{}{}",
                ms(s.median),
                ms(s.p95),
                ms(s.min),
                ms(s.max)
            );
        };
        let ingest_stats = stats(&ingest_times);
        line("ingest (parse + load)", &ingest_stats);
        if !ingest_cpu.is_empty() {
            line("  (on-CPU time)", &stats(&ingest_cpu));
        }
        let feed_stats = stats(&feed_times);
        line("  feed: parse + stage (CPU)", &feed_stats);
        line("  finish: checks + merge (CPU)", &stats(&finish_times));
        line("ingest + first compute", &stats(&first_kpis));
        let computes = options.runs.max(options.computes);
        for (name, filter) in filters(&ws) {
            let mut times = Vec::with_capacity(computes);
            let mut cpu_times = Vec::with_capacity(computes);
            for _ in 0..computes {
                let cpu = thread_cpu();
                let start = Instant::now();
                let results = compute_uncached(&ws, &filter, &settings, granularity);
                times.push(start.elapsed());
                if let Some((before, after)) = cpu.zip(thread_cpu()) {
                    cpu_times.push(after.saturating_sub(before));
                }
                std::hint::black_box(results);
            }
            line(&format!("compute: {name}"), &stats(&times));
            if !cpu_times.is_empty() {
                line("  (on-CPU time)", &stats(&cpu_times));
            }
        }
        let mut hits = Vec::new();
        for _ in 0..computes {
            let start = Instant::now();
            std::hint::black_box(compute(&ws, &Filter::default(), &settings, granularity));
            hits.push(start.elapsed());
        }
        line("compute: memo hit (going back)", &stats(&hits));
        // What one filter change costs the UI beyond `compute`: the two trend windows
        // (compute twice more) and the alerts.
        let mut view_times = Vec::new();
        let mut alert_times = Vec::new();
        for _ in 0..computes.min(10) {
            let filter = Filter::default();
            let start = Instant::now();
            let results = compute_uncached(&ws, &filter, &settings, granularity);
            if let Some(w) = compare_window(&ws, &filter, CompareMode::default()) {
                let (current, previous) = (&w.current, &w.previous);
                std::hint::black_box(compute_uncached(&ws, current, &settings, granularity));
                std::hint::black_box(compute_uncached(&ws, previous, &settings, granularity));
            }
            view_times.push(start.elapsed());
            let start = Instant::now();
            std::hint::black_box(evaluate(&ws, &filter, &settings, &results));
            alert_times.push(start.elapsed());
        }
        line("view: compute + 2 windows (no memo)", &stats(&view_times));
        line("view: alerts::evaluate", &stats(&alert_times));
        let columns = ws.posts.heap_bytes();
        println!(
            "ingest throughput: {:.0} MB/s (median)",
            file_bytes as f64 / 1e6 / (ingest_stats.median / 1e3)
        );
        println!(
            "parse throughput (feed only, on-CPU): {:.0} MB/s (median)",
            file_bytes as f64 / 1e6 / (feed_stats.median / 1e3)
        );
        println!(
            "workspace columns: {:.1} MB = {:.2} x the file size",
            columns as f64 / 1e6,
            columns as f64 / file_bytes as f64
        );
        if let Some(peak) = peak_rss() {
            println!(
                "peak RSS of this process: {:.1} MB (includes the {:.1} MB of file bytes held)",
                peak as f64 / 1e6,
                file_bytes as f64 / 1e6
            );
        }
        Ok(())
    }

    /// Prints `{"overall": {kpi: value}, "platform:tiktok": {...}, "period:2025-03": {...}}`
    /// with `null` for n/a, for the whole workspace at month granularity.
    fn print_kpis(ws: &Workspace) -> Result<(), String> {
        let results = compute(
            ws,
            &Filter::default(),
            &Settings::default(),
            Granularity::Month,
        );
        let values = |set: &kpi_dash::metrics::engine::KpiSet| {
            let map: serde_json::Map<String, serde_json::Value> = set
                .iter()
                .map(|(def, v)| (def.id.as_str().to_owned(), v.value().into()))
                .collect();
            serde_json::Value::Object(map)
        };
        let mut scopes = serde_json::Map::new();
        scopes.insert("overall".into(), values(&results.overall));
        for g in &results.groups {
            scopes.insert(format!("{}:{}", g.dimension.name(), g.key), values(&g.kpis));
        }
        for p in &results.periods {
            scopes.insert(format!("period:{}", p.label), values(&p.kpis));
        }
        let json = serde_json::to_string_pretty(&scopes).map_err(|e| e.to_string())?;
        println!("{json}");
        Ok(())
    }

    /// Time this thread has spent on a CPU (Linux schedstat; it advances at scheduler
    /// ticks, so it is only good to about 4 ms): unlike wall time it does not count
    /// waiting for a core on a busy machine.
    fn thread_cpu() -> Option<Duration> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
        Some(Duration::from_nanos(ns))
    }

    /// The peak resident set size (Linux `VmHWM`), if readable.
    fn peak_rss() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024)
    }
}
