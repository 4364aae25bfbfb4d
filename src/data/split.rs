//! One CSV parsed in byte ranges, by several workers at once, merged into exactly the
//! workspace and the report that one parse of the whole file gives. Pure Rust.
//!
//! # How a file is cut
//! [`plan`] reads the header record from the file's first bytes and, for `n` parts,
//! guesses a cut after the first line end past each `k / n` of the file. A guess is
//! speculative: the line end may be inside a quoted field (a caption with a newline).
//! Each part ([`PartLoad`]) parses from its cut as a continuation of the same file: the
//! file's own header bytes first (so the same delimiter, detection and options), then
//! its range, with its line numbers counted from there and moved later.
//!
//! # Why the merge is exact
//! A part does not stop at the next cut unless its reader is there at a record boundary
//! in the state a fresh reader would have ([`CsvReader::at_record_boundary`]): else it
//! reads on into the next range, to the next cut where it is, or to the end. Part 0
//! starts right; so the chain of parts from it (each starting where the one before it
//! stopped, at a true boundary) reads every record exactly as one reader would, and a
//! part that started at a wrong guess is left out of the chain (its work is lost, not
//! its rows). [`merge`] then joins the chain's staged rows in file order (dictionary
//! codes in order of first appearance, issues and lines moved to their true lines, the
//! date column's and the currencies' rows moved on) into one table, which the last
//! part's reader ends, checks (duplicates across ranges included) and applies as one
//! load. What it cannot join exactly (a later range whose first currency differs from
//! the first one's, a range that starts with a row of column descriptions after rows,
//! a file that is not UTF-8 CSV of posts rows) is an error: parse it whole then.

use super::csv::CsvReader;
use super::ingest::{sniff, LoadOptions, Sniffed, StreamingLoad, TextEncoding, SNIFF_BYTES};
use super::loader::{StagedPart, MAX_ISSUES};
use super::schema::MEASURE_COUNT;
use super::store::{Dict, Posts, StrColumn, NO_TIME};

/// Bytes of the file's start [`plan`] needs to find the header record in.
pub const HEAD_BYTES: usize = 1 << 20;

/// Bytes looked at from each guessed cut to find a line end.
pub const WINDOW_BYTES: usize = 1 << 16;

/// Where a file is cut: the header bytes every later part parses first, and the byte
/// offset each part starts at (the first is 0).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Plan {
    /// The file's bytes up to the end of its header record (a BOM and blank lines
    /// before it included), with `\n` added after a bare `\r`.
    pub prefix: Vec<u8>,
    /// Start of each part, increasing; `cuts[0] == 0`.
    pub cuts: Vec<usize>,
    /// The file's size.
    pub total: usize,
}

impl Plan {
    /// Number of parts.
    pub fn parts(&self) -> usize {
        self.cuts.len()
    }

    /// The end of part `k`'s own range (the next cut, or the file's end).
    pub fn range_end(&self, k: usize) -> usize {
        self.cuts.get(k + 1).copied().unwrap_or(self.total)
    }
}

/// The end of the header record in `head` (the first record that is not blank), by
/// the CSV reader's own rules; `None` when `head` does not hold all of it.
fn header_end(head: &[u8]) -> Option<usize> {
    let mut reader = CsvReader::new();
    let mut found = false;
    for (i, byte) in head.iter().enumerate() {
        reader.feed(std::slice::from_ref(byte), &mut |_, record| {
            found |= !record.iter().all(|h| h.trim().is_empty());
        });
        if found {
            return Some(i + 1);
        }
    }
    None
}

/// Line ends in `bytes` as the reader counts them (`\r\n` is one).
fn line_ends(bytes: &[u8]) -> usize {
    let crlf = bytes.windows(2).filter(|w| w == b"\r\n").count();
    bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() - crlf
}

/// Plans `parts` parts of a file of `total` bytes that starts with `head` (at least
/// its header record; [`HEAD_BYTES`] is plenty), reading `window(at)` (up to
/// [`WINDOW_BYTES`] from byte `at`) to find line ends. `None` when the file is not
/// UTF-8 text read as CSV or `head` does not hold the header; fewer parts when guesses
/// coincide.
pub fn plan(
    head: &[u8],
    total: usize,
    parts: usize,
    mut window: impl FnMut(usize) -> Vec<u8>,
) -> Option<Plan> {
    let mut cuts = vec![0];
    for k in 1..parts.max(1) {
        let at = total / parts * k + (total % parts) * k / parts;
        let bytes = window(at);
        if let Some(i) = bytes.iter().position(|&b| b == b'\n') {
            cuts.push(at + i + 1);
        }
    }
    plan_at(head, total, cuts)
}

/// The plan with parts starting at `cuts` (any offsets: a cut that is no record
/// boundary only makes the part before it read on); `None` as for [`plan`].
pub fn plan_at(head: &[u8], total: usize, mut cuts: Vec<usize>) -> Option<Plan> {
    if sniff(head) != Some(Sniffed::Csv(TextEncoding::Utf8)) {
        return None;
    }
    let end = header_end(head)?;
    let mut prefix = head[..end].to_vec();
    if prefix.last() == Some(&b'\r') {
        prefix.push(b'\n');
    }
    // Every part reads at least the bytes that tell what the file is.
    cuts.retain(|&c| c > end && c.saturating_add(SNIFF_BYTES) <= total);
    cuts.push(0);
    cuts.sort_unstable();
    cuts.dedup();
    Some(Plan {
        prefix,
        cuts,
        total,
    })
}

/// One part of a file being parsed: from its cut, on to the first later cut where its
/// reader is at a record boundary, or to the end.
pub struct PartLoad {
    load: StreamingLoad,
    /// Which part this is.
    pub index: usize,
    cuts: Vec<usize>,
    total: usize,
    /// The byte offset of the next byte to feed.
    pos: usize,
    /// The reader's line once the header bytes were read (part 0: 1).
    base_line: usize,
    /// True when the header bytes read as the header alone (always for part 0).
    prefix_ok: bool,
    /// Where the part stopped: the index of the part that goes on from there
    /// (`cuts.len()` at the file's end); `None` while it reads.
    pub next: Option<usize>,
}

impl PartLoad {
    /// Part `index` of `plan` for the file `name` loaded with `options`.
    pub fn new(name: &str, options: &LoadOptions, plan: &Plan, index: usize) -> PartLoad {
        let mut load = StreamingLoad::new(name, options.clone());
        let mut base_line = 1;
        if index > 0 {
            load.feed(&plan.prefix);
            // The reader counts lines by their ends, quoted or not (the load may still
            // be telling what the file is: it has not read the prefix yet).
            base_line += line_ends(&plan.prefix);
        }
        let start = plan.cuts.get(index).copied().unwrap_or(plan.total);
        let mut part = PartLoad {
            load,
            index,
            cuts: plan.cuts.clone(),
            total: plan.total,
            pos: start,
            base_line,
            prefix_ok: true,
            next: None,
        };
        part.settle();
        part
    }

    /// Tells the load the size of its range (capacity planning only).
    pub fn expect_bytes(&mut self, bytes: f64) {
        self.load.expect_bytes(bytes);
    }

    /// The next bytes to read, `(from, to)`: at most `slice` bytes, never past the next
    /// cut; `None` once the part stopped.
    pub fn next_read(&self, slice: usize) -> Option<(usize, usize)> {
        if self.next.is_some() {
            return None;
        }
        let cut = self
            .cuts
            .iter()
            .copied()
            .find(|&c| c > self.pos)
            .unwrap_or(self.total);
        Some((self.pos, cut.min(self.pos + slice.max(1))))
    }

    /// Feeds the bytes of the last [`PartLoad::next_read`] (`bytes.len()` of them from
    /// its start).
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.next.is_some() {
            return;
        }
        self.load.feed(bytes);
        self.pos += bytes.len();
        self.settle();
    }

    /// Stops at a cut where the reader is at a boundary (or at the end).
    fn settle(&mut self) {
        if self.pos >= self.total {
            self.next = Some(self.cuts.len());
            return;
        }
        if let Some(k) = self.cuts.iter().position(|&c| c == self.pos) {
            let at_boundary = self
                .load
                .csv_parts()
                .is_some_and(|(reader, _)| reader.at_record_boundary());
            if k > self.index && at_boundary {
                self.next = Some(k);
            }
        }
    }

    /// Bytes of the file this part has read (its range and any beyond), for progress.
    pub fn bytes_done(&self) -> usize {
        self.pos - self.cuts.get(self.index).copied().unwrap_or(0)
    }

    /// Records read so far (for progress).
    pub fn rows_read(&self) -> usize {
        self.load.rows_read()
    }

    /// Reads the whole part from `bytes` (the whole file), `slice` bytes at a time.
    pub fn read_all(&mut self, bytes: &[u8], slice: usize) {
        while let Some((from, to)) = self.next_read(slice) {
            self.feed(&bytes[from..to]);
        }
    }

    /// The part's state for the merge, with its staged rows taken out (they travel
    /// apart, packed): `None` when it holds no posts table read as CSV.
    pub fn take(mut self) -> Option<(PartState, Posts)> {
        part_state_of(&mut self)
    }
}

/// What a finished part hands to the merge besides its rows (serialized between
/// workers; the rows go packed, see [`super::packed`]).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct PartState {
    pub index: usize,
    /// The part that goes on where this one stopped (the number of parts at the end).
    pub next: usize,
    pub base_line: usize,
    /// The reader's line where it stopped.
    pub end_line: usize,
    pub prefix_ok: bool,
    pub headers: Vec<String>,
    pub delimiter: Option<u8>,
    pub repaired_fields: usize,
    pub staged: StagedPart,
}

/// Why parts could not be merged (then the file is parsed whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeError {
    /// A part of the chain is missing or did not finish.
    Missing(usize),
    /// A part did not read the header bytes as the first part's header.
    Header(usize),
    /// Part 0 is not a posts table read as CSV.
    NotPosts,
    /// A later range's first currency differs from the first one's.
    Currencies(usize),
    /// A later range starts with a row of column descriptions.
    DescriptionRow(usize),
}

impl std::fmt::Display for MergeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MergeError::Missing(k) => write!(f, "part {k} is missing"),
            MergeError::Header(k) => write!(f, "part {k} read another header"),
            MergeError::NotPosts => f.write_str("not a posts table read as CSV"),
            MergeError::Currencies(k) => write!(f, "part {k} starts in another currency"),
            MergeError::DescriptionRow(k) => {
                write!(f, "part {k} starts with a row of column descriptions")
            }
        }
    }
}

/// The parts' states and rows (`states[k]` for part `k`, `None` for a part that did
/// not run or is `last`) and `last`, the part that read to the end of the file with
/// its reader still open: merged into the load of the whole file, ready for
/// [`StreamingLoad::finish`]. The chain from part 0 must end with `last`.
pub fn merge(
    mut states: Vec<Option<(PartState, Posts)>>,
    mut last: PartLoad,
) -> Result<StreamingLoad, MergeError> {
    let parts = last.cuts.len();
    let last_state = part_state_of(&mut last).ok_or(MergeError::NotPosts)?;
    let mut last_state = Some(last_state);
    let mut take = |k: usize| -> Result<(PartState, Posts), MergeError> {
        if k == last.index {
            return last_state.take().ok_or(MergeError::Missing(k));
        }
        states
            .get_mut(k)
            .and_then(Option::take)
            .ok_or(MergeError::Missing(k))
    };
    let (first, posts) = take(0)?;
    let (headers, delimiter) = (first.headers, first.delimiter);
    let mut acc = first.staged;
    acc.posts = posts;
    let (mut end_line, mut repaired, mut next) =
        (first.end_line, first.repaired_fields, first.next);
    let (mut at, mut offset, mut own_repaired) = (0, 0, first.repaired_fields);
    while next < parts {
        if next <= at {
            return Err(MergeError::Missing(next));
        }
        at = next;
        let (state, posts) = take(at)?;
        if !state.prefix_ok || state.headers != headers || state.delimiter != delimiter {
            return Err(MergeError::Header(at));
        }
        // The true line where the part starts, less the line its reader counted there.
        offset = end_line.saturating_sub(state.base_line);
        let mut staged = state.staged;
        staged.posts = posts;
        absorb(&mut acc, staged, offset, at)?;
        end_line = state.end_line + offset;
        repaired += state.repaired_fields;
        own_repaired = state.repaired_fields;
        next = state.next;
    }
    if at != last.index {
        // The chain ended in a part whose reader is not here.
        return Err(MergeError::Missing(at));
    }
    let (reader, table) = last.load.csv_parts().ok_or(MergeError::NotPosts)?;
    reader.continue_after(offset, repaired - own_repaired);
    table.as_mut().ok_or(MergeError::NotPosts)?.put_part(acc);
    Ok(last.load)
}

/// The part of the chain from part 0 that reads to the end, among `parts`.
fn chain_end(parts: &[Option<usize>]) -> Option<usize> {
    let (mut at, mut next) = (0, (*parts.first()?)?);
    while next < parts.len() {
        if next <= at {
            return None;
        }
        at = next;
        next = (*parts.get(at)?)?;
    }
    Some(at)
}

/// [`merge`] of parts all read here (the native path and the tests).
pub fn merge_parts(parts: Vec<PartLoad>) -> Result<StreamingLoad, MergeError> {
    let nexts: Vec<Option<usize>> = parts.iter().map(|p| p.next).collect();
    let end = chain_end(&nexts).ok_or(MergeError::Missing(0))?;
    let mut last = None;
    let mut states = Vec::with_capacity(parts.len());
    for (k, part) in parts.into_iter().enumerate() {
        if k == end {
            last = Some(part);
            states.push(None);
        } else {
            states.push(part.take());
        }
    }
    merge(states, last.ok_or(MergeError::Missing(end))?)
}

/// The state and rows of the chain's last part, leaving its reader (and an emptied
/// table) in place.
fn part_state_of(part: &mut PartLoad) -> Option<(PartState, Posts)> {
    let (index, next, base_line, prefix_ok) =
        (part.index, part.next?, part.base_line, part.prefix_ok);
    let (reader, table) = part.load.csv_parts()?;
    let (end_line, repaired_fields, delimiter) =
        (reader.line(), reader.repaired_fields(), reader.delimiter());
    let table = table.as_mut()?;
    let headers = table.detection.headers.clone();
    let mut staged = table.take_part()?;
    let posts = std::mem::take(&mut staged.posts);
    Some((
        PartState {
            index,
            next,
            base_line,
            end_line,
            prefix_ok,
            headers,
            delimiter,
            repaired_fields,
            staged,
        },
        posts,
    ))
}

/// Appends part `k`'s staged rows (its lines `offset` too low) to `acc`.
fn absorb(
    acc: &mut StagedPart,
    part: StagedPart,
    offset: usize,
    k: usize,
) -> Result<(), MergeError> {
    if !part.description_rows.is_empty() && (acc.rows_read > 0 || !acc.description_rows.is_empty())
    {
        // One read would have taken that record as a row.
        return Err(MergeError::DescriptionRow(k));
    }
    let rows = acc.posts.len();
    if !acc.currencies.absorb(part.currencies, rows) {
        return Err(MergeError::Currencies(k));
    }
    acc.dates.absorb(part.dates, rows);
    acc.description_rows
        .extend(part.description_rows.iter().map(|l| l + offset));
    acc.rows_read += part.rows_read;
    acc.rows_rejected += part.rows_rejected;
    acc.undated += part.undated;
    acc.negative_rows += part.negative_rows;
    acc.disclosure_from_column |= part.disclosure_from_column;
    acc.disclosure_from_caption |= part.disclosure_from_caption;
    let room = MAX_ISSUES.saturating_sub(acc.issues.len());
    let kept = part.issues.len().min(room);
    acc.issues_dropped += part.issues_dropped + (part.issues.len() - kept);
    acc.issues
        .extend(part.issues.into_iter().take(kept).map(|mut issue| {
            issue.line += offset;
            issue
        }));
    acc.lines.extend(part.lines.iter().map(|l| l + offset));
    append_posts(&mut acc.posts, part.posts);
    Ok(())
}

/// The codes of `from`'s values in `into`, interning the new ones in `from`'s order
/// (which is their order of first appearance in its rows).
fn remap(into: &mut Dict, from: &Dict) -> Vec<u32> {
    from.values().iter().map(|v| into.intern(v)).collect()
}

fn append_codes(into: &mut Vec<u32>, codes: &[u32], map: &[u32]) {
    into.extend(
        codes
            .iter()
            .map(|&c| map.get(c as usize).copied().unwrap_or(0)),
    );
}

fn append_text(into: &mut StrColumn, from: StrColumn) {
    let (mut text, mut ends) = std::mem::take(into).into_parts();
    let (more, more_ends) = from.into_parts();
    let base = text.len() as u32;
    text.push_str(&more);
    ends.extend(more_ends.iter().map(|&e| e + base));
    *into = StrColumn::from_parts(text, ends).unwrap_or_default();
}

/// Appends the rows of `src` to `dst`, as pushing them one by one would.
pub fn append_posts(dst: &mut Posts, src: Posts) {
    let before = dst.len();
    let added = src.len();
    if added == 0 {
        return;
    }
    dst.invalidate_index();
    let maps = [
        remap(&mut dst.platforms, &src.platforms),
        remap(&mut dst.campaigns, &src.campaigns),
        remap(&mut dst.creators, &src.creators),
        remap(&mut dst.formats, &src.formats),
    ];
    append_codes(&mut dst.platform, &src.platform, &maps[0]);
    append_codes(&mut dst.campaign, &src.campaign, &maps[1]);
    append_codes(&mut dst.creator, &src.creator, &maps[2]);
    append_codes(&mut dst.format, &src.format, &maps[3]);
    // Times: none until some row has one, then one per row.
    if !(dst.time.is_empty() && src.time.is_empty()) {
        dst.time.resize(before, NO_TIME);
        dst.time.extend_from_slice(&src.time);
        dst.time.resize(before + added, NO_TIME);
    }
    append_text(&mut dst.post_id, src.post_id);
    append_text(&mut dst.caption, src.caption);
    dst.disclosure.extend_from_slice(&src.disclosure);
    // The day column last: `len()` is its length, which the measures pad to.
    for m in 0..MEASURE_COUNT {
        if !(dst.present[m] || src.present[m]) {
            continue;
        }
        // A column is partial when it has an absent value: either side's, or the
        // padding of the side that lacked the measure.
        let partial = match (dst.present[m], src.present[m]) {
            (true, true) => dst.partial[m] || src.partial[m],
            (true, false) => dst.partial[m] || added > 0,
            (false, _) => before > 0 || src.partial[m],
        };
        let column = dst.column_mut(m);
        column.reserve_exact(before + added - column.len());
        match src.measures.get(m).filter(|_| src.present[m]) {
            Some(values) => {
                column.extend_from_slice(values);
                column.resize(before + added, f64::NAN);
            }
            None => column.resize(before + added, f64::NAN),
        }
        dst.partial[m] = partial;
    }
    dst.day.extend_from_slice(&src.day);
}

/// Parses `bytes` (the whole file) in `plan`'s parts one after another, `slice`
/// bytes at a time, and merges them: the load [`StreamingLoad::finish`] ends.
pub fn parse_in_parts(
    name: &str,
    options: &LoadOptions,
    bytes: &[u8],
    plan: &Plan,
    slice: usize,
) -> Result<StreamingLoad, MergeError> {
    let parts = (0..plan.parts())
        .map(|k| {
            let mut part = PartLoad::new(name, options, plan, k);
            part.read_all(bytes, slice);
            part
        })
        .collect();
    merge_parts(parts)
}

/// [`parse_in_parts`] with each part on its own thread (native builds).
#[cfg(not(target_arch = "wasm32"))]
pub fn parse_on_threads(
    name: &str,
    options: &LoadOptions,
    bytes: &[u8],
    plan: &Plan,
    slice: usize,
) -> Result<StreamingLoad, MergeError> {
    let parts = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..plan.parts())
            .map(|k| {
                scope.spawn(move || {
                    let mut part = PartLoad::new(name, options, plan, k);
                    part.read_all(bytes, slice);
                    part
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().ok())
            .collect::<Option<Vec<PartLoad>>>()
    });
    merge_parts(parts.ok_or(MergeError::Missing(0))?)
}

/// The plan of `parts` parts of the whole file `bytes` (see [`plan`]).
pub fn plan_bytes(bytes: &[u8], parts: usize) -> Option<Plan> {
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    plan(head, bytes.len(), parts, |at| {
        bytes[at.min(bytes.len())..bytes.len().min(at + WINDOW_BYTES)].to_vec()
    })
}
