//! A packed workspace ([`Packed`]) as numbered chunks of bytes, each at most a limit,
//! and a [`Manifest`] that says how to join them back: the remembered workspace is
//! stored this way (one IndexedDB value per chunk), because one value of the whole
//! workspace is over what a browser stores in a value (about 133 MB in Chromium).
//!
//! The bytes are one stream (the header's UTF-8, then every column little-endian, in
//! [`Packed`]'s order) cut every [`Manifest::chunk_limit`] bytes. [`join`] refuses
//! anything that is not exactly what [`split`] made: a chunk missing, one too many, one
//! shorter or longer than the manifest says, one whose checksum differs, a manifest of
//! another format or whose column lengths do not add up to its chunks. It never panics.

use serde::{Deserialize, Serialize};

use super::packed::Packed;

/// The chunk size the browser stores: well under the per-value limit.
pub const CHUNK_BYTES: usize = 32 * 1024 * 1024;

/// The manifest format [`split`] writes and [`join`] reads.
pub const FORMAT: u32 = 1;

/// How a packed workspace was cut into chunks, and what it holds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`] when written.
    pub format: u32,
    /// Who wrote it and when, as the writer chose (compared, never parsed).
    pub stamp: String,
    /// Milliseconds since 1970 when it was written.
    pub saved_ms: f64,
    /// Posts in the workspace.
    pub rows: usize,
    /// The dataset's name when it was written (the files it came from).
    pub dataset: String,
    /// Bytes of the header's JSON.
    pub header_bytes: usize,
    /// Element counts of each column, by type, in the packed order.
    pub u32s: Vec<usize>,
    pub i32s: Vec<usize>,
    pub f64s: Vec<usize>,
    pub bytes: Vec<usize>,
    /// The most bytes a chunk holds (every chunk but the last holds this many).
    pub chunk_limit: usize,
    /// Each chunk's length and checksum (FNV-1a, 64 bits), in order.
    pub chunks: Vec<(usize, u64)>,
}

impl Manifest {
    /// Bytes of all the chunks together.
    pub fn total_bytes(&self) -> usize {
        self.chunks.iter().map(|&(len, _)| len).sum()
    }

    /// The bytes the columns and header need, from the element counts.
    fn stream_bytes(&self) -> Option<usize> {
        let sum = |counts: &[usize], size: usize| {
            counts
                .iter()
                .try_fold(0usize, |acc, &n| acc.checked_add(n.checked_mul(size)?))
        };
        self.header_bytes
            .checked_add(sum(&self.u32s, 4)?)?
            .checked_add(sum(&self.i32s, 4)?)?
            .checked_add(sum(&self.f64s, 8)?)?
            .checked_add(sum(&self.bytes, 1)?)
    }
}

/// Why stored chunks could not be joined into a packed workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChunkError {
    /// The manifest is of another format (the app that wrote it is newer or older).
    Format(u32),
    /// The manifest contradicts itself (its columns do not add up to its chunks).
    Manifest(&'static str),
    /// Chunk `index` of `count` is not there.
    Missing { index: usize, count: usize },
    /// A chunk past the manifest's `count` is there.
    Extra { index: usize, count: usize },
    /// Chunk `index` holds `found` bytes, not `expected`.
    Length {
        index: usize,
        expected: usize,
        found: usize,
    },
    /// Chunk `index` has the right length and other bytes.
    Checksum { index: usize },
    /// The header's bytes are not UTF-8.
    Header,
}

impl std::fmt::Display for ChunkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChunkError::Format(v) => write!(
                f,
                "it was stored in format {v}, and this version of the app reads format {FORMAT}"
            ),
            ChunkError::Manifest(what) => write!(f, "its list of parts is damaged ({what})"),
            ChunkError::Missing { index, count } => {
                write!(f, "part {} of {count} is missing", index + 1)
            }
            ChunkError::Extra { index, count } => write!(
                f,
                "a part {} is there although it has only {count} parts",
                index + 1
            ),
            ChunkError::Length {
                index,
                expected,
                found,
            } => write!(
                f,
                "part {} holds {found} bytes instead of {expected}",
                index + 1
            ),
            ChunkError::Checksum { index } => {
                write!(f, "part {} is damaged (its checksum differs)", index + 1)
            }
            ChunkError::Header => f.write_str("its header is not text"),
        }
    }
}

impl std::error::Error for ChunkError {}

/// FNV-1a over `bytes`: a checksum, not a defence against anyone.
pub fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Appends bytes to chunks of at most `limit` bytes.
struct Writer {
    limit: usize,
    chunks: Vec<Vec<u8>>,
}

impl Writer {
    fn write(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let full = self.chunks.last().is_none_or(|c| c.len() >= self.limit);
            if full {
                self.chunks
                    .push(Vec::with_capacity(self.limit.min(bytes.len().max(1 << 16))));
            }
            let Some(chunk) = self.chunks.last_mut() else {
                return;
            };
            let room = self.limit - chunk.len();
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            chunk.extend_from_slice(now);
            bytes = later;
        }
    }

    /// Writes a column of fixed-size values, a block at a time.
    fn column<T, const N: usize>(&mut self, values: Vec<T>, to_le: impl Fn(&T) -> [u8; N]) {
        let mut block = Vec::with_capacity(N * values.len().min(1 << 16));
        for part in values.chunks(1 << 16) {
            block.clear();
            for v in part {
                block.extend_from_slice(&to_le(v));
            }
            self.write(&block);
        }
    }
}

/// Cuts `packed` into chunks of at most `limit` bytes (at least 1), consuming it column
/// by column; the manifest says how to join them. `stamp`, `saved_ms`, `rows` and
/// `dataset` are written into the manifest as given.
pub fn split(
    packed: Packed,
    limit: usize,
    stamp: String,
    saved_ms: f64,
    rows: usize,
    dataset: String,
) -> (Manifest, Vec<Vec<u8>>) {
    let limit = limit.max(1);
    let Packed {
        header,
        u32s,
        i32s,
        f64s,
        bytes,
    } = packed;
    let mut manifest = Manifest {
        format: FORMAT,
        stamp,
        saved_ms,
        rows,
        dataset,
        header_bytes: header.len(),
        u32s: u32s.iter().map(Vec::len).collect(),
        i32s: i32s.iter().map(Vec::len).collect(),
        f64s: f64s.iter().map(Vec::len).collect(),
        bytes: bytes.iter().map(Vec::len).collect(),
        chunk_limit: limit,
        chunks: Vec::new(),
    };
    let mut out = Writer {
        limit,
        chunks: Vec::new(),
    };
    out.write(header.as_bytes());
    drop(header);
    for column in u32s {
        out.column(column, |v| v.to_le_bytes());
    }
    for column in i32s {
        out.column(column, |v| v.to_le_bytes());
    }
    for column in f64s {
        out.column(column, |v| v.to_le_bytes());
    }
    for column in bytes {
        out.write(&column);
    }
    manifest.chunks = out.chunks.iter().map(|c| (c.len(), checksum(c))).collect();
    (manifest, out.chunks)
}

/// Reads the joined stream across chunk boundaries.
struct Reader<'a> {
    chunks: &'a [Vec<u8>],
    chunk: usize,
    at: usize,
}

impl Reader<'_> {
    /// The next `n` bytes (the manifest's lengths were checked against the chunks, so
    /// they are there; a shortfall comes back short, and is refused by the caller).
    fn take(&mut self, n: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let Some(chunk) = self.chunks.get(self.chunk) else {
                break;
            };
            let rest = &chunk[self.at.min(chunk.len())..];
            let now = rest.len().min(n - out.len());
            out.extend_from_slice(&rest[..now]);
            self.at += now;
            if self.at >= chunk.len() {
                self.chunk += 1;
                self.at = 0;
            }
        }
        out
    }

    fn columns<T, const N: usize>(
        &mut self,
        counts: &[usize],
        from_le: impl Fn([u8; N]) -> T,
    ) -> Result<Vec<Vec<T>>, ChunkError> {
        counts
            .iter()
            .map(|&count| {
                let bytes = self.take(count * N);
                if bytes.len() != count * N {
                    return Err(ChunkError::Manifest("a column runs past the parts"));
                }
                Ok(bytes
                    .chunks_exact(N)
                    .map(|b| {
                        let mut a = [0u8; N];
                        a.copy_from_slice(b);
                        from_le(a)
                    })
                    .collect())
            })
            .collect()
    }
}

/// Joins stored chunks back into the packed workspace [`split`] cut. `stored[i]` is what
/// is stored as chunk `i`, for every `i` up to at least one past the manifest's count
/// (so that a chunk too many shows). Anything but exactly the chunks the manifest
/// lists is an error; the packed workspace is then checked by
/// [`super::packed::unpack`].
pub fn join(manifest: &Manifest, stored: Vec<Option<Vec<u8>>>) -> Result<Packed, ChunkError> {
    if manifest.format != FORMAT {
        return Err(ChunkError::Format(manifest.format));
    }
    let count = manifest.chunks.len();
    let limit = manifest.chunk_limit;
    if limit == 0 {
        return Err(ChunkError::Manifest("no chunk size"));
    }
    let total = manifest
        .stream_bytes()
        .ok_or(ChunkError::Manifest("lengths too large"))?;
    // The lengths split makes for this total: full chunks, then the rest.
    let expected_count = total.div_ceil(limit);
    if expected_count != count {
        return Err(ChunkError::Manifest(
            "the parts do not add up to the columns",
        ));
    }
    for (index, &(len, _)) in manifest.chunks.iter().enumerate() {
        let expected = if index + 1 < count {
            limit
        } else {
            total - limit * (count - 1)
        };
        if len != expected {
            return Err(ChunkError::Manifest("a part's length does not fit the cut"));
        }
    }
    let mut chunks = Vec::with_capacity(count);
    for (index, chunk) in stored.into_iter().enumerate() {
        match (chunk, manifest.chunks.get(index)) {
            (Some(_), None) => return Err(ChunkError::Extra { index, count }),
            (None, None) => {}
            (None, Some(_)) => return Err(ChunkError::Missing { index, count }),
            (Some(bytes), Some(&(expected, sum))) => {
                if bytes.len() != expected {
                    return Err(ChunkError::Length {
                        index,
                        expected,
                        found: bytes.len(),
                    });
                }
                if checksum(&bytes) != sum {
                    return Err(ChunkError::Checksum { index });
                }
                chunks.push(bytes);
            }
        }
    }
    if chunks.len() < count {
        return Err(ChunkError::Missing {
            index: chunks.len(),
            count,
        });
    }
    let mut reader = Reader {
        chunks: &chunks,
        chunk: 0,
        at: 0,
    };
    let header =
        String::from_utf8(reader.take(manifest.header_bytes)).map_err(|_| ChunkError::Header)?;
    let u32s = reader.columns(&manifest.u32s, u32::from_le_bytes)?;
    let i32s = reader.columns(&manifest.i32s, i32::from_le_bytes)?;
    let f64s = reader.columns(&manifest.f64s, f64::from_le_bytes)?;
    let bytes = reader.columns(&manifest.bytes, |[b]: [u8; 1]| b)?;
    Ok(Packed {
        header,
        u32s,
        i32s,
        f64s,
        bytes,
    })
}
