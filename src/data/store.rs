//! The columnar workspace: posts as dictionary-encoded key columns, day numbers and one
//! numeric column per [`Measure`]; the small dimension tables (campaigns, creators,
//! assets, comments) as plain rows. Built for one-pass filtering and group-by.

use std::any::Any;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use super::calendar::{Day, Timestamp};
use super::schema::{Measure, Objective, MEASURE_COUNT};

/// Day value of a post without a date.
pub const NO_DAY: Day = Day::MIN;

/// Time value of a post whose file gave no time of day.
pub const NO_TIME: i32 = -1;

/// A fast hasher for dictionary strings and small integer keys (FxHash's
/// multiply-rotate over 8-byte words). The inputs are the user's own file, so HashDoS
/// resistance is not needed, and SipHash costs a third of the ingest.
#[derive(Default)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        // The multiply leaves the low bits (the table index) depending only on the low
        // input bits; the finaliser of MurmurHash3 spreads the high ones down.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^ (h >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        // Little-endian 8-byte words; a plain loop (no calls under `opt-level = "z"`).
        let (mut word, mut shift, mut i) = (0u64, 0u32, 0);
        while i < bytes.len() {
            word |= u64::from(bytes[i]) << shift;
            shift += 8;
            if shift == 64 {
                self.write_u64(word);
                (word, shift) = (0, 0);
            }
            i += 1;
        }
        if shift > 0 {
            self.write_u64(word);
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// A `HashMap` with [`FastHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A dictionary of strings: each distinct value gets a dense `u32` code.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dict {
    values: Vec<String>,
    codes: FastMap<String, u32>,
}

impl Dict {
    /// The code of `value`, adding it when new.
    pub fn intern(&mut self, value: &str) -> u32 {
        if let Some(&code) = self.codes.get(value) {
            return code;
        }
        let code = self.values.len() as u32;
        self.values.push(value.to_owned());
        self.codes.insert(value.to_owned(), code);
        code
    }

    /// The code of `value`, if present.
    pub fn code(&self, value: &str) -> Option<u32> {
        self.codes.get(value).copied()
    }

    /// The string of a code (empty for an unknown code).
    pub fn value(&self, code: u32) -> &str {
        self.values.get(code as usize).map_or("", String::as_str)
    }

    /// Number of distinct values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when no value was interned.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// All values, by code.
    pub fn values(&self) -> &[String] {
        &self.values
    }

    /// Bytes held on the heap (approximate for the index).
    pub fn heap_bytes(&self) -> usize {
        let strings: usize = self.values.iter().map(String::capacity).sum();
        // Each value is stored twice (list and index) plus a code and hash-table slot.
        2 * strings + self.values.capacity() * 24 + self.codes.capacity() * 32
    }
}

/// A column of strings kept in one buffer (cheap for a million rows).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StrColumn {
    bytes: String,
    ends: Vec<u32>,
}

impl StrColumn {
    /// Appends a value.
    pub fn push(&mut self, value: &str) {
        self.bytes.push_str(value);
        self.ends.push(self.bytes.len() as u32);
    }

    /// The value of row `i` (empty past the end).
    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start as usize..end as usize]
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        self.bytes.capacity() + self.ends.capacity() * 4
    }

    /// Makes room for `rows` rows in all, with text at the current bytes per row.
    fn reserve_total(&mut self, rows: usize) {
        if self.ends.is_empty() {
            return;
        }
        let text = self.bytes.len() / self.ends.len() * rows + self.bytes.len() / 8;
        reserve_total(&mut self.ends, rows);
        if self.bytes.capacity() < text {
            self.bytes.reserve_exact(text - self.bytes.len());
        }
    }

    /// The text buffer and each row's end offset (see [`StrColumn::from_parts`]).
    pub fn into_parts(self) -> (String, Vec<u32>) {
        (self.bytes, self.ends)
    }

    /// A column from [`StrColumn::into_parts`]; `None` when an offset decreases, runs
    /// past the text or splits a character.
    pub fn from_parts(bytes: String, ends: Vec<u32>) -> Option<StrColumn> {
        let mut start = 0;
        for &end in &ends {
            let end = end as usize;
            if end < start || !bytes.is_char_boundary(end) {
                return None;
            }
            start = end;
        }
        Some(StrColumn { bytes, ends })
    }
}

/// Disclosure status of one posts row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[repr(u8)]
pub enum Disclosure {
    Unknown = 0,
    Disclosed = 1,
    Undisclosed = 2,
}

/// How the disclosure status of the posts was obtained (shown next to FTC compliance).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisclosureMethod {
    /// No `disclosed` column and no caption: unknown.
    #[default]
    None,
    /// From the `disclosed` column.
    Column,
    /// Detected from caption hashtags/phrases.
    Caption,
    /// Some files gave the column, others were detected from captions.
    Mixed,
}

/// The posts table, stored by column. All columns have `len()` rows.
#[derive(Clone, Debug, Default)]
pub struct Posts {
    /// Platform keys (`instagram`, `tiktok`, `youtube`, `x`, …).
    pub platforms: Dict,
    /// Campaign ids.
    pub campaigns: Dict,
    /// Creator ids.
    pub creators: Dict,
    /// Content formats (`reel`, `video`, `story`, …).
    pub formats: Dict,
    /// Per-row codes into the dictionaries above.
    pub platform: Vec<u32>,
    pub campaign: Vec<u32>,
    pub creator: Vec<u32>,
    pub format: Vec<u32>,
    /// Day number of the post, or [`NO_DAY`].
    pub day: Vec<Day>,
    /// Seconds after midnight of each row (the local time its file gives), or
    /// [`NO_TIME`]; empty while no row has a time. Read with [`Posts::time_of_day`].
    pub time: Vec<i32>,
    /// Post ids (empty string when the file had none).
    pub post_id: StrColumn,
    /// Captions (empty string when the file had none).
    pub caption: StrColumn,
    /// Disclosure status per row.
    pub disclosure: Vec<Disclosure>,
    /// One numeric column per measure, indexed by `Measure as usize`. A column that some
    /// file supplied (`present`) has a value per row, and NaN where the row has none (a
    /// blank cell, or a file without the column): missing is not zero. The column of a
    /// measure no file supplied is empty. Read single values with [`Posts::value`], grow
    /// columns with [`Posts::push`] or [`Posts::column_mut`].
    pub measures: Vec<Vec<f64>>,
    /// Which measures some loaded file supplied. A KPI whose inputs are absent is n/a.
    pub present: [bool; MEASURE_COUNT],
    /// Which present measures some row lacks (its column holds a NaN). Complete columns
    /// cost nothing: the engine splits rows by what they lack only for these.
    pub partial: [bool; MEASURE_COUNT],
    /// How disclosure was obtained.
    pub disclosure_method: DisclosureMethod,
    /// The [`KeyIndex`] of the key columns, built on first use and dropped by `push`.
    pub(crate) key_index: OnceLock<Arc<KeyIndex>>,
}

/// The posts' four key columns folded into one code per row: each distinct
/// (platform, campaign, creator, format) combination is a "combo". The engine filters
/// and groups combos (a few thousand) instead of rows, so a filter costs one pass of
/// `u32` reads. Built once per posts table (see [`Posts::key_index`]).
#[derive(Default)]
pub struct KeyIndex {
    /// Rows indexed (the index is stale when the table grew).
    pub rows: usize,
    /// The combo of each row.
    pub combo: Vec<u32>,
    /// Codes of each combo: `[platform, campaign, creator, format]`.
    pub combos: Vec<[u32; 4]>,
    /// Per combo: the measures its rows lack (bit `Measure as usize`). Rows that lack
    /// different measures never share a combo, so every sum over a combo's rows is over
    /// rows that all have (or all lack) each measure. All 0 when no column is partial.
    pub absent: Vec<u32>,
    /// Number of rows of each combo.
    pub combo_rows: Vec<u64>,
    /// True when `day` never decreases (date-sorted exports): a date range is then one
    /// contiguous run of rows, found by binary search.
    pub days_sorted: bool,
    /// First and last dated day.
    pub day_span: Option<(Day, Day)>,
    /// Results memoised by their caller's key (see [`KeyIndex::memo`]).
    memo: Mutex<Vec<(u64, Arc<dyn Any + Send + Sync>)>>,
}

/// Entries [`KeyIndex::memo`] keeps (the most recent ones).
const MEMO_ENTRIES: usize = 24;

impl std::fmt::Debug for KeyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyIndex")
            .field("rows", &self.rows)
            .field("combos", &self.combos.len())
            .field("absent", &self.absent.iter().any(|&a| a != 0))
            .field("days_sorted", &self.days_sorted)
            .field("day_span", &self.day_span)
            .finish()
    }
}

impl KeyIndex {
    /// An index from its parts, as [`KeyIndex::build`] makes them (with an empty memo).
    pub fn from_parts(
        combo: Vec<u32>,
        combos: Vec<[u32; 4]>,
        absent: Vec<u32>,
        combo_rows: Vec<u64>,
        days_sorted: bool,
        day_span: Option<(Day, Day)>,
    ) -> KeyIndex {
        let absent = if absent.len() == combos.len() {
            absent
        } else {
            vec![0; combos.len()]
        };
        KeyIndex {
            rows: combo.len(),
            combo,
            combos,
            absent,
            combo_rows,
            days_sorted,
            day_span,
            memo: Mutex::default(),
        }
    }

    /// Builds the index of a posts table.
    pub fn build(p: &Posts) -> KeyIndex {
        let absent_of_row = p.absent_masks();
        let mut index: FastMap<[u32; 5], u32> = FastMap::default();
        let mut combos: Vec<[u32; 4]> = Vec::new();
        let mut absent: Vec<u32> = Vec::new();
        let mut last: Option<([u32; 5], u32)> = None;
        let combo: Vec<u32> = (0..p.len())
            .map(|r| {
                let lacks = absent_of_row.get(r).copied().unwrap_or(0);
                let key = [
                    p.platform[r],
                    p.campaign[r],
                    p.creator[r],
                    p.format[r],
                    lacks,
                ];
                match last {
                    Some((k, c)) if k == key => c,
                    _ => {
                        let c = *index.entry(key).or_insert_with(|| {
                            combos.push([key[0], key[1], key[2], key[3]]);
                            absent.push(lacks);
                            (combos.len() - 1) as u32
                        });
                        last = Some((key, c));
                        c
                    }
                }
            })
            .collect();
        let mut combo_rows = vec![0u64; combos.len()];
        for &c in &combo {
            combo_rows[c as usize] += 1;
        }
        KeyIndex::from_parts(
            combo,
            combos,
            absent,
            combo_rows,
            p.day.windows(2).all(|w| w[0] <= w[1]),
            p.scan_date_span(),
        )
    }

    /// The value memoised under `key`, or `make()` (then kept). The key must cover
    /// every input of `make` besides this posts table, which the memo lives and dies
    /// with. Keeps the most recent [`MEMO_ENTRIES`] values.
    pub fn memo<T: Any + Clone + Send + Sync>(&self, key: u64, make: impl FnOnce() -> T) -> T {
        let found = self.memo.lock().ok().and_then(|memo| {
            memo.iter()
                .find(|(k, _)| *k == key)
                .and_then(|(_, v)| v.downcast_ref::<T>().cloned())
        });
        if let Some(value) = found {
            return value;
        }
        let value = make();
        if let Ok(mut memo) = self.memo.lock() {
            if memo.len() >= MEMO_ENTRIES {
                memo.remove(0);
            }
            memo.push((key, Arc::new(value.clone())));
        }
        value
    }

    /// The rows whose day is in `from..=to`, as a range to scan: the whole table unless
    /// the days are sorted.
    pub fn day_rows(&self, days: &[Day], from: Day, to: Day) -> std::ops::Range<usize> {
        if !self.days_sorted {
            return 0..days.len();
        }
        let start = days.partition_point(|&d| d < from);
        let end = days.partition_point(|&d| d <= to);
        start..end.max(start)
    }
}

/// One posts row, as readers and generators produce it before it is stored.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PostRow {
    pub platform: String,
    pub date: Option<Day>,
    pub post_id: String,
    pub campaign_id: String,
    pub creator_id: String,
    pub format: String,
    pub caption: String,
    pub disclosure: Option<bool>,
    /// Values by `Measure as usize`; `None` = not given. `PostCount` defaults to 1.
    pub values: [Option<f64>; MEASURE_COUNT],
    /// Seconds after midnight, when the file gives a time of day.
    #[serde(default)]
    pub time: Option<u32>,
}

impl PostRow {
    /// A sponsored post, whose FTC disclosure is judged: in a campaign, with a cost, or
    /// marked as a paid partnership (disclosed). A brand's own organic post is not.
    pub fn is_sponsored(&self) -> bool {
        sponsored(
            &self.campaign_id,
            self.values[Measure::Cost as usize],
            self.disclosure == Some(true),
        )
    }
}

/// The one sponsorship rule: in a campaign, with a cost above 0, or disclosed (marked
/// as a paid partnership).
fn sponsored(campaign_id: &str, cost: Option<f64>, disclosed: bool) -> bool {
    !campaign_id.is_empty() || cost.is_some_and(|c| c > 0.0) || disclosed
}

/// Makes `column` hold `rows` rows in all without growing again, if it has values.
pub(crate) fn reserve_total<T>(column: &mut Vec<T>, rows: usize) {
    if !column.is_empty() && column.capacity() < rows {
        column.reserve_exact(rows - column.len());
    }
}

impl Posts {
    /// Makes room for `rows` rows in all in every column that has values, so that a
    /// load that knows its size grows each column once instead of by doubling (which
    /// leaves the old blocks behind in a wasm heap).
    pub fn reserve_total(&mut self, rows: usize) {
        for codes in [
            &mut self.platform,
            &mut self.campaign,
            &mut self.creator,
            &mut self.format,
        ] {
            reserve_total(codes, rows);
        }
        reserve_total(&mut self.day, rows);
        reserve_total(&mut self.time, rows);
        reserve_total(&mut self.disclosure, rows);
        self.post_id.reserve_total(rows);
        self.caption.reserve_total(rows);
        for column in &mut self.measures {
            reserve_total(column, rows);
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.day.len()
    }

    /// The time of day of row `i` (seconds after midnight), when its file gave one.
    pub fn time_of_day(&self, i: usize) -> Option<u32> {
        self.time.get(i).and_then(|&t| u32::try_from(t).ok())
    }

    /// Sets the time of row `index` (the row being appended): the column stays empty
    /// until some row has a time, then holds one per row.
    pub fn push_time(&mut self, index: usize, time: Option<u32>) {
        if time.is_none() && self.time.is_empty() {
            return;
        }
        if self.time.len() < index {
            self.time.resize(index, NO_TIME);
        }
        self.time.truncate(index);
        self.time
            .push(time.and_then(|t| i32::try_from(t).ok()).unwrap_or(NO_TIME));
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.day.is_empty()
    }

    /// The column of a measure: a value per row when the measure is present, else empty.
    pub fn measure(&self, m: Measure) -> &[f64] {
        self.measures.get(m as usize).map_or(&[], Vec::as_slice)
    }

    /// The value of measure `m` (a `Measure as usize`) in row `i`; `None` when the row
    /// has none.
    pub fn value(&self, m: usize, i: usize) -> Option<f64> {
        self.measures
            .get(m)
            .and_then(|column| column.get(i))
            .copied()
            .filter(|v| !v.is_nan())
    }

    /// Whether stored row `i` is sponsored (as [`PostRow::is_sponsored`]).
    pub fn is_sponsored(&self, i: usize) -> bool {
        sponsored(
            self.campaigns.value(self.campaign[i]),
            self.value(Measure::Cost as usize, i),
            self.disclosure[i] == Disclosure::Disclosed,
        )
    }

    /// Σ of measure `m` over the rows that have it.
    pub fn sum(&self, m: Measure) -> f64 {
        self.measure(m).iter().filter(|v| !v.is_nan()).sum()
    }

    /// Number of rows that have a value of measure `m`.
    pub fn rows_with(&self, m: Measure) -> usize {
        self.measure(m).iter().filter(|v| !v.is_nan()).count()
    }

    /// Per row, the present measures it lacks (bit `Measure as usize`); empty when no
    /// column is partial (then no row lacks anything).
    pub fn absent_masks(&self) -> Vec<u32> {
        let partial: Vec<usize> = (0..MEASURE_COUNT)
            .filter(|&m| self.present[m] && self.partial[m])
            .collect();
        if partial.is_empty() {
            return Vec::new();
        }
        let mut masks = vec![0u32; self.len()];
        for m in partial {
            let column: &[f64] = self.measure(Measure::ALL[m]);
            for (mask, v) in masks.iter_mut().zip(column) {
                if v.is_nan() {
                    *mask |= 1 << m;
                }
            }
        }
        masks
    }

    /// Recomputes [`Posts::partial`] from the columns (after they were moved in whole).
    pub fn recount_partial(&mut self) {
        for m in 0..MEASURE_COUNT {
            self.partial[m] = self.present[m]
                && self
                    .measures
                    .get(m)
                    .is_some_and(|c| c.len() < self.len() || c.iter().any(|v| v.is_nan()));
        }
    }

    /// The column of measure `m`, made present: the rows before it was present get NaN
    /// (they have no value).
    pub fn column_mut(&mut self, m: usize) -> &mut Vec<f64> {
        let rows = self.len();
        self.grow_to(m, rows)
    }

    /// Appends measure `m`'s value of row `row` (being added; the rows before it are
    /// there). A `None` leaves an absent measure absent, and is NaN in a present column.
    #[inline]
    pub fn push_measure(&mut self, m: usize, row: usize, value: Option<f64>) {
        match self.measures.get_mut(m) {
            // The common case: a present column, full up to this row.
            Some(column) if self.present[m] && column.len() == row => match value {
                Some(v) => column.push(v),
                None => {
                    column.push(f64::NAN);
                    self.partial[m] = true;
                }
            },
            _ if value.is_some() || self.present[m] => {
                let column = self.grow_to(m, row);
                column.push(value.unwrap_or(f64::NAN));
                if value.is_none() {
                    self.partial[m] = true;
                }
            }
            _ => {}
        }
    }

    /// Measure `m`'s column, present and at least `rows` long (padded with NaN: the rows
    /// before it have no value).
    fn grow_to(&mut self, m: usize, rows: usize) -> &mut Vec<f64> {
        if self.measures.len() != MEASURE_COUNT {
            self.measures = vec![Vec::new(); MEASURE_COUNT];
        }
        self.present[m] = true;
        let column = &mut self.measures[m];
        if column.len() < rows {
            column.resize(rows, f64::NAN);
            self.partial[m] = true;
        }
        column
    }

    /// True when some loaded file supplied this measure.
    pub fn has(&self, m: Measure) -> bool {
        self.present[m as usize]
    }

    /// The [`KeyIndex`] of the key columns, built on first call and reused while the
    /// table does not change. The key columns are append-only: grow them through
    /// [`Posts::push`] (or call [`Posts::invalidate_index`] after editing them in place).
    pub fn key_index(&self) -> Arc<KeyIndex> {
        if let Some(index) = self.cached_index() {
            return Arc::clone(index);
        }
        let index = Arc::new(KeyIndex::build(self));
        if self.key_index.get().is_none() {
            let _ = self.key_index.set(Arc::clone(&index));
        }
        index
    }

    /// The cached [`KeyIndex`], when there is one for the current rows.
    pub fn cached_index(&self) -> Option<&Arc<KeyIndex>> {
        self.key_index.get().filter(|i| i.rows == self.len())
    }

    /// Sets the cached [`KeyIndex`] (one built elsewhere for these same rows); ignored
    /// when its row count differs.
    pub fn set_key_index(&mut self, index: KeyIndex) {
        if index.rows == self.len() {
            self.key_index = OnceLock::from(Arc::new(index));
        }
    }

    /// Drops the cached [`KeyIndex`] (after the key columns changed).
    pub fn invalidate_index(&mut self) {
        self.key_index.take();
    }

    /// Appends one row. `post_count` defaults to 1, and the derived disclosure measures
    /// are filled from `row.disclosure`.
    pub fn push(&mut self, row: &PostRow) {
        self.invalidate_index();
        let index = self.len();
        self.platform.push(self.platforms.intern(&row.platform));
        self.campaign.push(self.campaigns.intern(&row.campaign_id));
        self.creator.push(self.creators.intern(&row.creator_id));
        self.format.push(self.formats.intern(&row.format));
        self.day.push(row.date.unwrap_or(NO_DAY));
        self.push_time(index, row.time);
        self.post_id.push(&row.post_id);
        self.caption.push(&row.caption);
        let post_count = row.values[Measure::PostCount as usize].unwrap_or(1.0);
        let mut values = row.values;
        values[Measure::PostCount as usize] = Some(post_count);
        let disclosure = match row.disclosure {
            None => Disclosure::Unknown,
            Some(true) => Disclosure::Disclosed,
            Some(false) => Disclosure::Undisclosed,
        };
        self.disclosure.push(disclosure);
        if row.disclosure.is_some() && row.is_sponsored() {
            values[Measure::DisclosureKnownPosts as usize] = Some(post_count);
            values[Measure::DisclosedPosts as usize] =
                Some(if disclosure == Disclosure::Disclosed {
                    post_count
                } else {
                    0.0
                });
        }
        for (m, &v) in values.iter().enumerate() {
            self.push_measure(m, index, v);
        }
    }

    /// The row at `i` rebuilt as a [`PostRow`] (for exports and round trips).
    pub fn row(&self, i: usize) -> PostRow {
        let mut values = [None; MEASURE_COUNT];
        for (m, slot) in values.iter_mut().enumerate() {
            *slot = self.value(m, i);
        }
        PostRow {
            platform: self.platforms.value(self.platform[i]).to_owned(),
            date: (self.day[i] != NO_DAY).then_some(self.day[i]),
            post_id: self.post_id.get(i).to_owned(),
            campaign_id: self.campaigns.value(self.campaign[i]).to_owned(),
            creator_id: self.creators.value(self.creator[i]).to_owned(),
            format: self.formats.value(self.format[i]).to_owned(),
            caption: self.caption.get(i).to_owned(),
            disclosure: match self.disclosure[i] {
                Disclosure::Unknown => None,
                Disclosure::Disclosed => Some(true),
                Disclosure::Undisclosed => Some(false),
            },
            values,
            time: self.time_of_day(i),
        }
    }

    /// Bytes the columns hold on the heap (the memory figure of the benchmark).
    pub fn heap_bytes(&self) -> usize {
        let dicts = [
            &self.platforms,
            &self.campaigns,
            &self.creators,
            &self.formats,
        ];
        let codes = [&self.platform, &self.campaign, &self.creator, &self.format];
        dicts.iter().map(|d| d.heap_bytes()).sum::<usize>()
            + codes.iter().map(|c| c.capacity() * 4).sum::<usize>()
            + self.day.capacity() * std::mem::size_of::<Day>()
            + self.time.capacity() * std::mem::size_of::<i32>()
            + self.post_id.heap_bytes()
            + self.caption.heap_bytes()
            + self.disclosure.capacity()
            + self
                .measures
                .iter()
                .map(|m| m.capacity() * 8)
                .sum::<usize>()
    }

    /// Number of rows that have no date.
    pub fn undated_rows(&self) -> usize {
        self.day.iter().filter(|&&d| d == NO_DAY).count()
    }

    /// First and last day with data, if any row is dated (from the cached
    /// [`KeyIndex`] when there is one, else one pass over the days).
    pub fn date_span(&self) -> Option<(Day, Day)> {
        if let Some(index) = self.cached_index() {
            return index.day_span;
        }
        self.scan_date_span()
    }

    fn scan_date_span(&self) -> Option<(Day, Day)> {
        let mut dated = self.day.iter().copied().filter(|&d| d != NO_DAY);
        let first = dated.next()?;
        Some(dated.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d))))
    }
}

/// One campaign.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Campaign {
    pub campaign_id: String,
    pub name: String,
    pub objective: Option<Objective>,
    pub start_date: Option<Day>,
    pub end_date: Option<Day>,
    pub planned_launch_date: Option<Day>,
    pub launch_date: Option<Day>,
    pub budget: Option<f64>,
    pub site_aov: Option<f64>,
    pub clv: Option<f64>,
    pub awareness_pre: Option<f64>,
    pub awareness_post: Option<f64>,
    pub sentiment_pre: Option<f64>,
    pub sentiment_post: Option<f64>,
    pub brand_conversation: Option<f64>,
    pub category_conversation: Option<f64>,
}

/// One creator (the partnership with them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Creator {
    pub creator_id: String,
    pub name: String,
    /// Platform key, as in [`Posts::platforms`].
    pub platform: Option<String>,
    /// Current followers (creator lists give only this).
    pub followers: Option<f64>,
    pub followers_start: Option<f64>,
    pub followers_end: Option<f64>,
    /// 0–100.
    pub brand_fit: Option<f64>,
    /// 1–5.
    pub content_rating: Option<f64>,
    pub deliverables_committed: Option<f64>,
    pub deliverables_on_time: Option<f64>,
    pub contract_terms_met: Option<bool>,
    /// Shopify discount code attributed to this creator.
    pub discount_code: Option<String>,
    pub country: Option<String>,
    pub age_band: Option<String>,
    /// Share of the audience that is female, 0–1.
    pub female_share: Option<f64>,
    /// Engagement rate as reported by a creator list, 0–1.
    pub engagement_rate: Option<f64>,
    pub avg_likes: Option<f64>,
    pub influence_score: Option<f64>,
}

/// One asset submitted for approval.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Asset {
    pub asset_id: String,
    pub campaign_id: String,
    pub creator_id: String,
    pub submitted_at: Option<Timestamp>,
    pub approved_at: Option<Timestamp>,
}

/// Sentiment label of a comment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    Positive,
    Neutral,
    Negative,
}

impl Sentiment {
    /// Parses `positive|neutral|negative` (also `pos/neu/neg`, `+/0/-`, `1/0/-1`).
    pub fn parse(raw: &str) -> Option<Sentiment> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "positive" | "pos" | "+" | "1" => Some(Sentiment::Positive),
            "neutral" | "neu" | "0" => Some(Sentiment::Neutral),
            "negative" | "neg" | "-" | "-1" => Some(Sentiment::Negative),
            _ => None,
        }
    }
}

/// One comment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub post_id: String,
    pub text: String,
    pub created_at: Option<Timestamp>,
    pub sentiment: Option<Sentiment>,
    pub replied_at: Option<Timestamp>,
}

/// Everything loaded: the input of the metrics engine.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    pub posts: Posts,
    pub campaigns: Vec<Campaign>,
    pub creators: Vec<Creator>,
    pub assets: Vec<Asset>,
    pub comments: Vec<Comment>,
    /// The ISO code of the currency of the posts' money, from the first file that
    /// states one (see [`super::currency`]); `None` when no file did.
    pub currency: Option<String>,
}

impl Workspace {
    /// True when no table has a row.
    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
            && self.campaigns.is_empty()
            && self.creators.is_empty()
            && self.assets.is_empty()
            && self.comments.is_empty()
    }

    /// The campaign with this id.
    pub fn campaign(&self, id: &str) -> Option<&Campaign> {
        self.campaigns.iter().find(|c| c.campaign_id == id)
    }

    /// The creator with this id.
    pub fn creator(&self, id: &str) -> Option<&Creator> {
        self.creators.iter().find(|c| c.creator_id == id)
    }

    /// The campaign's name, when the campaigns table gives a non-empty one.
    pub fn campaign_name(&self, id: &str) -> Option<&str> {
        self.campaign(id)
            .map(|c| c.name.as_str())
            .filter(|n| !n.is_empty())
    }

    /// The creator's name, when the creators table gives a non-empty one.
    pub fn creator_name(&self, id: &str) -> Option<&str> {
        self.creator(id)
            .map(|c| c.name.as_str())
            .filter(|n| !n.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_fills_defaults_and_presence() {
        let mut posts = Posts::default();
        let mut row = PostRow {
            platform: "tiktok".into(),
            date: Some(10),
            post_id: "p1".into(),
            campaign_id: "C1".into(),
            disclosure: Some(false),
            ..PostRow::default()
        };
        row.values[Measure::Likes as usize] = Some(5.0);
        posts.push(&row);
        // An organic post (no campaign, no cost) is not judged: no disclosure counts.
        let mut organic = Posts::default();
        organic.push(&PostRow {
            campaign_id: String::new(),
            ..row.clone()
        });
        assert!(!organic.has(Measure::DisclosureKnownPosts));
        assert_eq!(posts.len(), 1);
        assert_eq!(posts.measure(Measure::PostCount), &[1.0]);
        assert_eq!(posts.measure(Measure::Likes), &[5.0]);
        assert!(posts.has(Measure::Likes));
        assert!(!posts.has(Measure::Reach));
        assert_eq!(posts.measure(Measure::DisclosedPosts), &[0.0]);
        assert_eq!(posts.measure(Measure::DisclosureKnownPosts), &[1.0]);
        let back = posts.row(0);
        assert_eq!(back.post_id, "p1");
        assert_eq!(back.values[Measure::Likes as usize], Some(5.0));
        assert_eq!(back.values[Measure::Reach as usize], None);
    }

    #[test]
    fn key_index_folds_keys_and_finds_day_runs() {
        let mut posts = Posts::default();
        // Rows (platform, creator, day): (ig, a, 1), (ig, a, 3), (tt, a, 3), (ig, a, 7).
        for (platform, day) in [("ig", 1), ("ig", 3), ("tt", 3), ("ig", 7)] {
            posts.push(&PostRow {
                platform: platform.into(),
                creator_id: "a".into(),
                date: Some(day),
                ..PostRow::default()
            });
        }
        let index = posts.key_index();
        // Two distinct (platform, campaign, creator, format) combos: ig/a and tt/a.
        assert_eq!(index.combo, vec![0, 0, 1, 0]);
        assert_eq!(index.combo_rows, vec![3, 1]);
        assert!(index.days_sorted);
        assert_eq!(index.day_span, Some((1, 7)));
        // Days 2..=6 are rows 1 and 2 (days 3 and 3).
        assert_eq!(index.day_rows(&posts.day, 2, 6), 1..3);
        assert_eq!(index.day_rows(&posts.day, 8, 9), 4..4);
        // A push drops the cached index; the next one sees the new row.
        posts.push(&PostRow {
            platform: "ig".into(),
            date: Some(2),
            ..PostRow::default()
        });
        let index = posts.key_index();
        assert_eq!(index.rows, 5);
        assert!(!index.days_sorted);
        assert_eq!(index.day_rows(&posts.day, 2, 6), 0..5);
    }

    #[test]
    fn str_column_and_dict() {
        let mut c = StrColumn::default();
        c.push("ab");
        c.push("");
        c.push("cde");
        assert_eq!(
            (c.get(0), c.get(1), c.get(2), c.get(9)),
            ("ab", "", "cde", "")
        );
        let mut d = Dict::default();
        assert_eq!(d.intern("x"), 0);
        assert_eq!(d.intern("y"), 1);
        assert_eq!(d.intern("x"), 0);
        assert_eq!(d.value(1), "y");
    }
}
