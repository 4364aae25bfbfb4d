//! Property run of every fuzz target on the stable toolchain (issue 14, item 8): the
//! target functions of `fuzz/src/lib.rs` (the same ones `cargo +nightly fuzz run`
//! drives) get a few thousand inputs each, random bytes and mutations of seeds from the
//! fixtures, from a seeded xorshift PRNG so that every run is the same. A failure
//! prints the input that broke the invariant.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the parsers, drawn more often than the rest.
const INTERESTING: &[u8] =
    b",;\t\"\r\n{}[]:#%$.-0123456789kmbKMB/ \xEF\xBB\xBF\xC3\xA9\xA0\xFF\xFE\0PK<ENtrueNaN=&+";

fn random_bytes(rng: &mut Rng, max: usize) -> Vec<u8> {
    let len = rng.below(max);
    (0..len)
        .map(|_| {
            if rng.below(4) == 0 {
                rng.next() as u8
            } else {
                INTERESTING[rng.below(INTERESTING.len())]
            }
        })
        .collect()
}

fn mutate(rng: &mut Rng, mut bytes: Vec<u8>) -> Vec<u8> {
    for _ in 0..1 + rng.below(6) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if at < bytes.len() => {
                bytes.remove(at);
            }
            1 => bytes.insert(at, INTERESTING[rng.below(INTERESTING.len())]),
            2 if at < bytes.len() => bytes[at] = rng.next() as u8,
            3 if at < bytes.len() => {
                // Repeat a slice (a longer field, more columns, more records).
                let end = (at + 1 + rng.below(16)).min(bytes.len());
                let copy = bytes[at..end].repeat(1 + rng.below(8));
                bytes.splice(at..at, copy);
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

/// A JSON value with one part replaced by something hostile: a huge, negative,
/// fractional or non-number where a number was, a long or formula-like string, the wrong
/// type, a key removed or added, a value nested deep.
fn mutate_json(rng: &mut Rng, value: &mut serde_json::Value) {
    use serde_json::{json, Value};
    let leaf = |rng: &mut Rng| -> Value {
        match rng.below(14) {
            0 => json!(1e308),
            1 => json!(-1),
            2 => json!(2_147_483_647),
            3 => json!(-2_147_483_648i64),
            4 => json!(0.5),
            5 => json!("x".repeat(1 + rng.below(3_000))),
            6 => json!("=HYPERLINK(\"http://evil.example\")"),
            7 => Value::Null,
            8 => json!(true),
            9 => json!([]),
            10 => json!({}),
            11 => json!("9999999-01-01"),
            12 => json!(rng.next() as i64),
            _ => json!(format!("{}", rng.below(100))),
        }
    };
    match value {
        Value::Object(map) if !map.is_empty() && rng.below(5) != 0 => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[rng.below(keys.len())];
            match rng.below(8) {
                0 => {
                    map.remove(key);
                }
                1 => {
                    let copy = map[key].clone();
                    map.insert(format!("{key}{}", rng.below(50)), copy);
                }
                _ => mutate_json(rng, map.get_mut(key).expect("a key")),
            }
        }
        Value::Array(items) if !items.is_empty() && rng.below(5) != 0 => {
            let i = rng.below(items.len());
            match rng.below(8) {
                0 => {
                    items.remove(i);
                }
                1 => {
                    let copy = items[i].clone();
                    items.extend(std::iter::repeat_n(copy, 1 + rng.below(100)));
                }
                _ => mutate_json(rng, &mut items[i]),
            }
        }
        other => *other = leaf(rng),
    }
}

/// Seeds that are JSON, mutated as JSON (`prefix` bytes kept in front).
fn json_inputs(rng: &mut Rng, seeds: &[(Vec<u8>, serde_json::Value)]) -> Vec<u8> {
    let (prefix, seed) = &seeds[rng.below(seeds.len())];
    let mut value = seed.clone();
    for _ in 0..1 + rng.below(3) {
        mutate_json(rng, &mut value);
    }
    let mut out = prefix.clone();
    out.extend(value.to_string().into_bytes());
    if rng.below(4) == 0 {
        out = mutate(rng, out);
    }
    out
}

/// Runs `target` on `n` inputs: random bytes (one in `random_every`), else mutated
/// seeds, or JSON seeds mutated as JSON; returns how many got past the first refusal
/// (see `targets::ACCEPTED`).
fn run(name: &str, n: usize, seeds: &[Vec<u8>], max: usize, target: fn(&[u8])) -> usize {
    run_with(name, n, seeds, &[], 2, max, target)
}

fn run_with(
    name: &str,
    n: usize,
    seeds: &[Vec<u8>],
    json_seeds: &[(Vec<u8>, serde_json::Value)],
    random_every: usize,
    max: usize,
    target: fn(&[u8]),
) -> usize {
    let slot = [
        "ingest", "values", "query", "settings", "snapshot", "unpack",
    ]
    .iter()
    .position(|t| *t == name)
    .expect("a target name");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (name.len() as u64 * 0x1000_0001));
    for i in 0..n {
        let input = if i % random_every == 0 || seeds.is_empty() && json_seeds.is_empty() {
            random_bytes(&mut rng, max)
        } else if !json_seeds.is_empty() && (seeds.is_empty() || rng.below(4) != 0) {
            json_inputs(&mut rng, json_seeds)
        } else {
            let seed = seeds[rng.below(seeds.len())].clone();
            mutate(&mut rng, seed)
        };
        let outcome = std::panic::catch_unwind(|| target(&input));
        if let Err(e) = outcome {
            let input = String::from_utf8_lossy(&input);
            let clipped: String = input.chars().take(2_000).collect();
            panic!("{name} target broke on input #{i}: {clipped:?}: {e:?}");
        }
    }
    let accepted = targets::ACCEPTED[slot].load(std::sync::atomic::Ordering::Relaxed);
    eprintln!("{name}: {n} executions, 0 failures, {accepted} accepted");
    accepted
}

#[test]
fn ingest_target_property_run() {
    let seeds = targets::seeds("ingest");
    assert!(run("ingest", 6_000, &seeds, 200, targets::ingest) > 600);
}

#[test]
fn values_target_property_run() {
    let seeds = targets::seeds("values");
    let accepted = run_with("values", 20_000, &seeds, &[], 4, 40, targets::values);
    assert!(accepted > 1_000, "{accepted}");
}

#[test]
fn query_target_property_run() {
    let seeds = targets::seeds("query");
    assert!(run("query", 4_000, &seeds, 80, targets::query) > 200);
}

#[test]
fn settings_target_property_run() {
    let seeds = targets::seeds("settings");
    let json: Vec<(Vec<u8>, serde_json::Value)> = seeds
        .iter()
        .filter_map(|s| serde_json::from_slice(s).ok().map(|v| (Vec::new(), v)))
        .collect();
    let accepted = run_with("settings", 3_000, &seeds, &json, 10, 120, targets::settings);
    assert!(accepted > 500, "{accepted}");
}

#[test]
fn snapshot_target_property_run() {
    let seeds = targets::seeds("snapshot");
    let snapshot = targets::demo_snapshot();
    let json_seeds = vec![(b"\x01".to_vec(), serde_json::to_value(&snapshot).unwrap())];
    let accepted = run_with(
        "snapshot",
        3_000,
        &seeds,
        &json_seeds,
        10,
        120,
        targets::snapshot,
    );
    assert!(accepted > 80, "{accepted}");
}

#[test]
fn unpack_target_property_run() {
    let seeds = targets::seeds("unpack");
    assert!(run("unpack", 2_000, &seeds, 64, targets::unpack) > 150);
}
