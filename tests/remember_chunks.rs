//! The remembered workspace's chunked storage (`data::chunks`): a packed workspace cut
//! into chunks and joined back is the same workspace, bit for bit; a chunk missing,
//! one too many, a short or altered one, or a manifest that does not fit is refused.

use kpi_dash::data::chunks::{join, split, ChunkError, Manifest, CHUNK_BYTES};
use kpi_dash::data::demo::{generate, DEMO_SEED};
use kpi_dash::data::ingest::workspace_json;
use kpi_dash::data::packed::{pack, unpack, Packed};
use kpi_dash::data::store::Workspace;

/// The chunks as IndexedDB hands them back: chunk `i` at `i`, and nothing one past.
fn stored(chunks: Vec<Vec<u8>>) -> Vec<Option<Vec<u8>>> {
    chunks.into_iter().map(Some).chain([None]).collect()
}

fn cut(ws: &Workspace, limit: usize) -> (Manifest, Vec<Vec<u8>>) {
    let rows = ws.posts.len();
    split(
        pack(ws.clone()),
        limit,
        "tab-1".into(),
        1.5e12,
        rows,
        "demo".into(),
    )
}

/// Packed workspaces compared bit for bit (an absent measure is a NaN, which `==`
/// would call different from itself).
fn same_bits(a: &Packed, b: &Packed) -> bool {
    let bits = |p: &Packed| -> Vec<Vec<u64>> {
        p.f64s
            .iter()
            .map(|c| c.iter().map(|v| v.to_bits()).collect())
            .collect()
    };
    a.header == b.header
        && a.u32s == b.u32s
        && a.i32s == b.i32s
        && a.bytes == b.bytes
        && bits(a) == bits(b)
}

#[test]
fn a_workspace_cut_into_chunks_joins_back_the_same() {
    let ws = generate(DEMO_SEED);
    let whole = pack(ws.clone());
    let bytes = whole.header.len() + whole.column_bytes();
    // Limits that cut inside a value (3, 1001), at whole values, and one chunk.
    for limit in [3, 1001, 64 * 1024, CHUNK_BYTES] {
        let (manifest, chunks) = cut(&ws, limit);
        assert_eq!(manifest.total_bytes(), bytes, "limit {limit}");
        assert_eq!(chunks.len(), bytes.div_ceil(limit), "limit {limit}");
        // Every chunk but the last is full; none is over the limit.
        for chunk in &chunks[..chunks.len() - 1] {
            assert_eq!(chunk.len(), limit);
        }
        assert!(chunks.last().is_some_and(|c| c.len() <= limit));
        assert_eq!(manifest.stamp, "tab-1");
        assert_eq!(manifest.rows, 3_000);
        let joined = join(&manifest, stored(chunks)).expect("intact chunks join");
        assert!(same_bits(&joined, &whole), "limit {limit}");
        let back = unpack(joined).expect("the joined workspace unpacks");
        // The same document as the workspace that was cut: every row, value and table.
        assert_eq!(workspace_json(&back), workspace_json(&ws), "limit {limit}");
    }
}

#[test]
fn the_manifest_survives_json() {
    let (manifest, chunks) = cut(&generate(DEMO_SEED), 100_000);
    let json = serde_json::to_string(&manifest).unwrap();
    let read: Manifest = serde_json::from_str(&json).unwrap();
    assert_eq!(read, manifest);
    assert!(join(&read, stored(chunks)).is_ok());
}

#[test]
fn an_empty_workspace_round_trips() {
    let ws = Workspace::default();
    let (manifest, chunks) = cut(&ws, 1024);
    assert_eq!(manifest.rows, 0);
    let back = unpack(join(&manifest, stored(chunks)).unwrap()).unwrap();
    assert_eq!(back.posts.len(), 0);
    assert_eq!(workspace_json(&back), workspace_json(&ws));
}

#[test]
fn a_missing_extra_short_or_altered_chunk_is_refused() {
    let (manifest, chunks) = cut(&generate(DEMO_SEED), 50_000);
    let count = chunks.len();
    assert!(count >= 4, "{count} chunks");

    let mut missing = stored(chunks.clone());
    missing[2] = None;
    assert_eq!(
        join(&manifest, missing),
        Err(ChunkError::Missing { index: 2, count })
    );
    // The last chunk not handed back at all.
    let mut last_gone = chunks.clone();
    last_gone.pop();
    assert_eq!(
        join(&manifest, last_gone.into_iter().map(Some).collect()),
        Err(ChunkError::Missing {
            index: count - 1,
            count
        })
    );

    let mut extra = stored(chunks.clone());
    extra[count] = Some(vec![0; 10]);
    assert_eq!(
        join(&manifest, extra),
        Err(ChunkError::Extra {
            index: count,
            count
        })
    );

    let mut short = stored(chunks.clone());
    if let Some(Some(c)) = short.get_mut(1) {
        c.pop();
    }
    assert_eq!(
        join(&manifest, short),
        Err(ChunkError::Length {
            index: 1,
            expected: 50_000,
            found: 49_999
        })
    );

    let mut altered = stored(chunks.clone());
    if let Some(Some(c)) = altered.get_mut(3) {
        c[17] ^= 0x40;
    }
    assert_eq!(
        join(&manifest, altered),
        Err(ChunkError::Checksum { index: 3 })
    );

    let newer = Manifest {
        format: 2,
        ..manifest.clone()
    };
    assert_eq!(
        join(&newer, stored(chunks.clone())),
        Err(ChunkError::Format(2))
    );

    // A manifest whose columns do not add up to its chunks (a column dropped).
    let mut lying = manifest.clone();
    lying.u32s.pop();
    assert!(matches!(
        join(&lying, stored(chunks.clone())),
        Err(ChunkError::Manifest(_))
    ));
    let mut no_size = manifest.clone();
    no_size.chunk_limit = 0;
    assert!(matches!(
        join(&no_size, stored(chunks.clone())),
        Err(ChunkError::Manifest(_))
    ));
    let mut huge = manifest;
    huge.f64s[0] = usize::MAX;
    assert!(matches!(
        join(&huge, stored(chunks)),
        Err(ChunkError::Manifest(_))
    ));
}

#[test]
fn errors_are_worded_for_the_user() {
    let missing = ChunkError::Missing { index: 2, count: 7 };
    assert_eq!(missing.to_string(), "part 3 of 7 is missing");
    let short = ChunkError::Length {
        index: 0,
        expected: 10,
        found: 4,
    };
    assert_eq!(short.to_string(), "part 1 holds 4 bytes instead of 10");
    assert!(ChunkError::Format(2).to_string().contains("format 2"));
}
