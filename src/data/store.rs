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

/// How a [`MeasureColumn`] stores its values, narrowest first: whole numbers in the
/// narrowest unsigned width that holds every value so far, else `f64`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    U8,
    U16,
    U32,
    F64,
}

/// The values of a [`MeasureColumn`], one per row (0 in an absent row).
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnValues {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    F64(Vec<f64>),
}

impl Default for ColumnValues {
    fn default() -> Self {
        ColumnValues::U8(Vec::new())
    }
}

/// The narrowest kind that holds `v` exactly.
#[inline]
fn kind_of(v: f64) -> ColumnKind {
    let whole = v as u32;
    // The bits compare: a fraction, a negative number (even -0), one past u32::MAX,
    // an infinity or a NaN does not come back the same.
    if (whole as f64).to_bits() != v.to_bits() {
        ColumnKind::F64
    } else if whole <= u32::from(u8::MAX) {
        ColumnKind::U8
    } else if whole <= u32::from(u16::MAX) {
        ColumnKind::U16
    } else {
        ColumnKind::U32
    }
}

/// Words of an absence bitset of `rows` rows.
pub fn absent_words(rows: usize) -> usize {
    rows.div_ceil(32)
}

/// One measure's values: whole numbers as `u8`/`u16`/`u32` (widened, then promoted to
/// `f64`, only when a value needs it), and which rows have no value as a bitset (bit
/// `i % 32` of word `i / 32` set: row `i` is absent; an absent row holds 0, so sums
/// over rows need no test). A blank cell is absent, never 0: [`MeasureColumn::get`]
/// tells them apart. The bitset holds no trailing zero words (empty when no row is
/// absent).
#[derive(Default)]
pub struct MeasureColumn {
    values: ColumnValues,
    absent: Vec<u32>,
    /// The `f64` copy [`MeasureColumn::as_f64s`] made, until the column changes.
    view: OnceLock<Vec<f64>>,
}

impl Clone for MeasureColumn {
    fn clone(&self) -> Self {
        MeasureColumn {
            values: self.values.clone(),
            absent: self.absent.clone(),
            view: OnceLock::new(),
        }
    }
}

/// Equal values and absences (in the same kind).
impl PartialEq for MeasureColumn {
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values && self.absent == other.absent
    }
}

impl std::fmt::Debug for MeasureColumn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MeasureColumn")
            .field("values", &self.values)
            .field("absent", &self.absent)
            .finish()
    }
}

impl MeasureColumn {
    /// A column from its parts (see [`MeasureColumn::into_parts`]); `None` when the
    /// bitset runs past the rows, an absent row holds a value other than 0, or an
    /// `f64` value is not finite.
    pub fn from_parts(values: ColumnValues, mut absent: Vec<u32>) -> Option<MeasureColumn> {
        while absent.last() == Some(&0) {
            absent.pop();
        }
        let column = MeasureColumn {
            values,
            absent,
            view: OnceLock::new(),
        };
        let rows = column.len();
        if column.absent.len() > absent_words(rows) {
            return None;
        }
        if let Some(&last) = column.absent.last() {
            let used = rows - (column.absent.len() - 1) * 32;
            if used < 32 && last >> used != 0 {
                return None;
            }
        }
        if let ColumnValues::F64(v) = &column.values {
            if !v.iter().all(|x| x.is_finite()) {
                return None;
            }
        }
        let zero_where_absent = column.absent_rows().all(|i| column.raw(i).to_bits() == 0);
        zero_where_absent.then_some(column)
    }

    /// The values and the absence bitset.
    pub fn into_parts(self) -> (ColumnValues, Vec<u32>) {
        (self.values, self.absent)
    }

    /// Each row's value as `f64`, NaN where the row has none, as a slice: the column
    /// itself when it is `f64` with no absent row, else a copy made on the first call and
    /// kept until the column changes (it costs 8 bytes a row: for tests and one-off
    /// reads; loops read [`MeasureColumn::values`] or [`MeasureColumn::get`]).
    pub fn as_f64s(&self) -> &[f64] {
        if let (ColumnValues::F64(v), true) = (&self.values, self.absent.is_empty()) {
            return v;
        }
        self.view.get_or_init(|| self.to_f64s())
    }

    /// Drops the `f64` copy (the column is about to change).
    #[inline]
    fn changed(&mut self) {
        if self.view.get().is_some() {
            self.view = OnceLock::new();
        }
    }

    /// A column of `values`, NaN for an absent row, in the narrowest kind that holds them.
    pub fn from_f64s(values: &[f64]) -> MeasureColumn {
        let mut column = MeasureColumn::default();
        let widest = values
            .iter()
            .filter(|v| !v.is_nan())
            .map(|&v| kind_of(v))
            .max()
            .unwrap_or(ColumnKind::U8);
        column.widen(widest);
        column.reserve_total(values.len());
        for &v in values {
            column.push(v);
        }
        column
    }

    /// Each row's value as `f64`, NaN where the row has none.
    pub fn to_f64s(&self) -> Vec<f64> {
        (0..self.len())
            .map(|i| self.get(i).unwrap_or(f64::NAN))
            .collect()
    }

    /// The stored values (0 in absent rows), for loops that read a whole column.
    pub fn values(&self) -> &ColumnValues {
        &self.values
    }

    /// The absence bitset (see [`MeasureColumn`]).
    pub fn absent_bits(&self) -> &[u32] {
        &self.absent
    }

    /// How the values are stored.
    pub fn kind(&self) -> ColumnKind {
        match self.values {
            ColumnValues::U8(_) => ColumnKind::U8,
            ColumnValues::U16(_) => ColumnKind::U16,
            ColumnValues::U32(_) => ColumnKind::U32,
            ColumnValues::F64(_) => ColumnKind::F64,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        match &self.values {
            ColumnValues::U8(v) => v.len(),
            ColumnValues::U16(v) => v.len(),
            ColumnValues::U32(v) => v.len(),
            ColumnValues::F64(v) => v.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Rows the values have room for.
    pub fn capacity(&self) -> usize {
        match &self.values {
            ColumnValues::U8(v) => v.capacity(),
            ColumnValues::U16(v) => v.capacity(),
            ColumnValues::U32(v) => v.capacity(),
            ColumnValues::F64(v) => v.capacity(),
        }
    }

    /// Bytes held on the heap.
    pub fn heap_bytes(&self) -> usize {
        let width = match self.kind() {
            ColumnKind::U8 => 1,
            ColumnKind::U16 => 2,
            ColumnKind::U32 => 4,
            ColumnKind::F64 => 8,
        };
        self.capacity() * width + self.absent.capacity() * 4
    }

    /// The stored value of row `i` (0 when absent or past the end).
    #[inline]
    fn raw(&self, i: usize) -> f64 {
        match &self.values {
            ColumnValues::U8(v) => v.get(i).map_or(0.0, |&x| f64::from(x)),
            ColumnValues::U16(v) => v.get(i).map_or(0.0, |&x| f64::from(x)),
            ColumnValues::U32(v) => v.get(i).map_or(0.0, |&x| f64::from(x)),
            ColumnValues::F64(v) => v.get(i).copied().unwrap_or(0.0),
        }
    }

    /// True when row `i` has no value (or is past the end).
    #[inline]
    pub fn is_absent(&self, i: usize) -> bool {
        i >= self.len()
            || self
                .absent
                .get(i / 32)
                .is_some_and(|w| w >> (i % 32) & 1 == 1)
    }

    /// The value of row `i`; `None` when the row has none (or is past the end).
    #[inline]
    pub fn get(&self, i: usize) -> Option<f64> {
        let v = match &self.values {
            ColumnValues::U8(v) => f64::from(*v.get(i)?),
            ColumnValues::U16(v) => f64::from(*v.get(i)?),
            ColumnValues::U32(v) => f64::from(*v.get(i)?),
            ColumnValues::F64(v) => *v.get(i)?,
        };
        match self.absent.get(i / 32) {
            Some(word) if word >> (i % 32) & 1 == 1 => None,
            _ => Some(v),
        }
    }

    /// True when some row has no value.
    pub fn any_absent(&self) -> bool {
        !self.absent.is_empty()
    }

    /// The absent rows, in order.
    pub fn absent_rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.absent.iter().enumerate().flat_map(|(w, &word)| {
            (0..32)
                .filter(move |b| word >> b & 1 == 1)
                .map(move |b| w * 32 + b)
        })
    }

    /// Number of rows that have a value.
    pub fn present_rows(&self) -> usize {
        let absent: u32 = self.absent.iter().map(|w| w.count_ones()).sum();
        self.len() - absent as usize
    }

    /// Σ of the values (absent rows hold 0).
    pub fn sum(&self) -> f64 {
        match &self.values {
            ColumnValues::U8(v) => v.iter().map(|&x| f64::from(x)).sum(),
            ColumnValues::U16(v) => v.iter().map(|&x| f64::from(x)).sum(),
            ColumnValues::U32(v) => v.iter().map(|&x| f64::from(x)).sum(),
            ColumnValues::F64(v) => v.iter().sum(),
        }
    }

    /// Stores the values in `to` (or wider, if they already are), keeping the room
    /// reserved.
    fn widen(&mut self, to: ColumnKind) {
        if to <= self.kind() {
            return;
        }
        let room = self.capacity();
        let old = std::mem::take(&mut self.values);
        fn cast<S: Copy, T>(from: Vec<S>, room: usize, f: impl Fn(S) -> T) -> Vec<T> {
            let mut to = Vec::with_capacity(room.max(from.len()));
            to.extend(from.into_iter().map(f));
            to
        }
        self.values = match (old, to) {
            (ColumnValues::U8(v), ColumnKind::U16) => ColumnValues::U16(cast(v, room, u16::from)),
            (ColumnValues::U8(v), ColumnKind::U32) => ColumnValues::U32(cast(v, room, u32::from)),
            (ColumnValues::U16(v), ColumnKind::U32) => ColumnValues::U32(cast(v, room, u32::from)),
            (ColumnValues::U8(v), _) => ColumnValues::F64(cast(v, room, f64::from)),
            (ColumnValues::U16(v), _) => ColumnValues::F64(cast(v, room, f64::from)),
            (ColumnValues::U32(v), _) => ColumnValues::F64(cast(v, room, f64::from)),
            (values @ ColumnValues::F64(_), _) => values,
        };
    }

    /// Appends a value; a NaN appends an absent row. The column widens, or becomes
    /// `f64`, when the value needs it.
    #[inline]
    pub fn push(&mut self, v: f64) {
        self.changed();
        let whole = v as u32;
        if (whole as f64).to_bits() == v.to_bits() {
            match &mut self.values {
                ColumnValues::U8(c) if whole <= u32::from(u8::MAX) => return c.push(whole as u8),
                ColumnValues::U16(c) if whole <= u32::from(u16::MAX) => {
                    return c.push(whole as u16)
                }
                ColumnValues::U32(c) => return c.push(whole),
                ColumnValues::F64(c) => return c.push(v),
                _ => {}
            }
        } else if v.is_nan() {
            return self.push_absent();
        } else if let ColumnValues::F64(c) = &mut self.values {
            return c.push(v);
        }
        self.widen(kind_of(v));
        self.push(v);
    }

    /// Appends a row without a value.
    pub fn push_absent(&mut self) {
        self.changed();
        let row = self.len();
        match &mut self.values {
            ColumnValues::U8(c) => c.push(0),
            ColumnValues::U16(c) => c.push(0),
            ColumnValues::U32(c) => c.push(0),
            ColumnValues::F64(c) => c.push(0.0),
        }
        self.mark_absent(row);
    }

    /// Appends a value, or an absent row for `None`.
    #[inline]
    pub fn push_value(&mut self, value: Option<f64>) {
        match value {
            Some(v) => self.push(v),
            None => self.push_absent(),
        }
    }

    fn mark_absent(&mut self, row: usize) {
        let word = row / 32;
        if self.absent.len() <= word {
            self.absent.resize(word + 1, 0);
        }
        self.absent[word] |= 1 << (row % 32);
    }

    /// Sets row `i`'s value (`None` or NaN: absent); ignored past the end.
    pub fn set(&mut self, i: usize, value: Option<f64>) {
        if i >= self.len() {
            return;
        }
        self.changed();
        let value = value.filter(|v| !v.is_nan());
        let Some(v) = value else {
            self.write(i, 0.0);
            self.mark_absent(i);
            return;
        };
        self.widen(kind_of(v));
        self.write(i, v);
        if let Some(word) = self.absent.get_mut(i / 32) {
            *word &= !(1 << (i % 32));
        }
        while self.absent.last() == Some(&0) {
            self.absent.pop();
        }
    }

    /// Stores `v` (which fits the kind) in row `i`.
    fn write(&mut self, i: usize, v: f64) {
        match &mut self.values {
            ColumnValues::U8(c) => c[i] = v as u8,
            ColumnValues::U16(c) => c[i] = v as u16,
            ColumnValues::U32(c) => c[i] = v as u32,
            ColumnValues::F64(c) => c[i] = v,
        }
    }

    /// Makes the column `rows` long: cut, or padded with `fill` (NaN pads with absent
    /// rows).
    pub fn resize(&mut self, rows: usize, fill: f64) {
        self.changed();
        if rows <= self.len() {
            match &mut self.values {
                ColumnValues::U8(c) => c.truncate(rows),
                ColumnValues::U16(c) => c.truncate(rows),
                ColumnValues::U32(c) => c.truncate(rows),
                ColumnValues::F64(c) => c.truncate(rows),
            }
            self.absent.truncate(absent_words(rows));
            // Clear the bits past the end in the word of the last row (if it has one).
            let used = rows % 32;
            if used != 0 && self.absent.len() == absent_words(rows) {
                if let Some(last) = self.absent.last_mut() {
                    *last &= (1 << used) - 1;
                }
            }
            while self.absent.last() == Some(&0) {
                self.absent.pop();
            }
            return;
        }
        if fill.is_nan() {
            let from = self.len();
            match &mut self.values {
                ColumnValues::U8(c) => c.resize(rows, 0),
                ColumnValues::U16(c) => c.resize(rows, 0),
                ColumnValues::U32(c) => c.resize(rows, 0),
                ColumnValues::F64(c) => c.resize(rows, 0.0),
            }
            self.absent.resize(absent_words(rows), 0);
            let mut row = from;
            while row < rows {
                if row.is_multiple_of(32) && row + 32 <= rows {
                    self.absent[row / 32] = u32::MAX;
                    row += 32;
                } else {
                    self.absent[row / 32] |= 1 << (row % 32);
                    row += 1;
                }
            }
        } else {
            while self.len() < rows {
                self.push(fill);
            }
        }
    }

    /// Appends every row of `other` (the name of `Vec`'s, so that merges read alike).
    pub fn extend_from_slice(&mut self, other: &MeasureColumn) {
        self.changed();
        let from = self.len();
        self.widen(other.kind());
        match (&mut self.values, &other.values) {
            (ColumnValues::U8(a), ColumnValues::U8(b)) => a.extend_from_slice(b),
            (ColumnValues::U16(a), ColumnValues::U8(b)) => {
                a.extend(b.iter().map(|&x| u16::from(x)))
            }
            (ColumnValues::U16(a), ColumnValues::U16(b)) => a.extend_from_slice(b),
            (ColumnValues::U32(a), ColumnValues::U8(b)) => {
                a.extend(b.iter().map(|&x| u32::from(x)))
            }
            (ColumnValues::U32(a), ColumnValues::U16(b)) => {
                a.extend(b.iter().map(|&x| u32::from(x)))
            }
            (ColumnValues::U32(a), ColumnValues::U32(b)) => a.extend_from_slice(b),
            (ColumnValues::F64(a), ColumnValues::U8(b)) => {
                a.extend(b.iter().map(|&x| f64::from(x)))
            }
            (ColumnValues::F64(a), ColumnValues::U16(b)) => {
                a.extend(b.iter().map(|&x| f64::from(x)))
            }
            (ColumnValues::F64(a), ColumnValues::U32(b)) => {
                a.extend(b.iter().map(|&x| f64::from(x)))
            }
            (ColumnValues::F64(a), ColumnValues::F64(b)) => a.extend_from_slice(b),
            // Not reached: `widen` made this column at least as wide as `other`.
            _ => {}
        }
        let rows = from + other.len();
        if self.len() < rows {
            self.resize(rows, 0.0);
        }
        if other.any_absent() {
            if from.is_multiple_of(32) {
                self.absent.resize(from / 32, 0);
                self.absent.extend_from_slice(&other.absent);
            } else {
                for row in other.absent_rows() {
                    self.mark_absent(from + row);
                }
            }
        }
    }

    /// Makes room for `additional` more rows (as `Vec::reserve_exact`).
    pub fn reserve_exact(&mut self, additional: usize) {
        match &mut self.values {
            ColumnValues::U8(c) => c.reserve_exact(additional),
            ColumnValues::U16(c) => c.reserve_exact(additional),
            ColumnValues::U32(c) => c.reserve_exact(additional),
            ColumnValues::F64(c) => c.reserve_exact(additional),
        }
    }

    /// Makes room for `rows` rows in all, if the column has values.
    pub fn reserve_total(&mut self, rows: usize) {
        match &mut self.values {
            ColumnValues::U8(c) => reserve_total(c, rows),
            ColumnValues::U16(c) => reserve_total(c, rows),
            ColumnValues::U32(c) => reserve_total(c, rows),
            ColumnValues::F64(c) => reserve_total(c, rows),
        }
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
    /// file supplied (`present`) has a row per row, absent where the row has no value (a
    /// blank cell, or a file without the column): missing is not zero. The column of a
    /// measure no file supplied is empty. Read single values with [`Posts::value`], grow
    /// columns with [`Posts::push`] or [`Posts::column_mut`].
    pub measures: Vec<MeasureColumn>,
    /// Which measures some loaded file supplied. A KPI whose inputs are absent is n/a.
    pub present: [bool; MEASURE_COUNT],
    /// Which present measures some row lacks (absent in its column). Complete columns
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
            column.reserve_total(rows);
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

    /// The values of a measure as `f64`, NaN where a row has none: one per row when the
    /// measure is present, else empty. Made on the first call for a compact column (see
    /// [`MeasureColumn::as_f64s`]: for tests and one-off reads); loops read
    /// [`Posts::column`] or [`Posts::value`].
    pub fn measure(&self, m: Measure) -> &[f64] {
        self.measures
            .get(m as usize)
            .map_or(&[], MeasureColumn::as_f64s)
    }

    /// The column of measure `m` (a `Measure as usize`), when some file supplied it.
    pub fn column(&self, m: usize) -> Option<&MeasureColumn> {
        self.measures.get(m).filter(|_| self.present[m])
    }

    /// The value of measure `m` (a `Measure as usize`) in row `i`; `None` when the row
    /// has none.
    #[inline]
    pub fn value(&self, m: usize, i: usize) -> Option<f64> {
        self.measures.get(m).and_then(|column| column.get(i))
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
        self.measures
            .get(m as usize)
            .map_or(0.0, MeasureColumn::sum)
    }

    /// Number of rows that have a value of measure `m`.
    pub fn rows_with(&self, m: Measure) -> usize {
        self.measures
            .get(m as usize)
            .map_or(0, MeasureColumn::present_rows)
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
        let rows = self.len();
        let mut masks = vec![0u32; rows];
        for m in partial {
            let Some(column) = self.measures.get(m) else {
                continue;
            };
            // Rows past a short column lack it too.
            for mask in masks.iter_mut().skip(column.len()) {
                *mask |= 1 << m;
            }
            for row in column.absent_rows().filter(|&r| r < rows) {
                masks[row] |= 1 << m;
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
                    .is_some_and(|c| c.len() < self.len() || c.any_absent());
        }
    }

    /// The column of measure `m`, made present: the rows before it was present are
    /// absent (they have no value).
    pub fn column_mut(&mut self, m: usize) -> &mut MeasureColumn {
        let rows = self.len();
        self.grow_to(m, rows)
    }

    /// Appends measure `m`'s value of row `row` (being added; the rows before it are
    /// there). A `None` (or NaN) leaves an absent measure absent, and is an absent row
    /// in a present column.
    #[inline]
    pub fn push_measure(&mut self, m: usize, row: usize, value: Option<f64>) {
        let value = value.filter(|v| !v.is_nan());
        match self.measures.get_mut(m) {
            // The common case: a present column, full up to this row.
            Some(column) if self.present[m] && column.len() == row => match value {
                Some(v) => column.push(v),
                None => {
                    column.push_absent();
                    self.partial[m] = true;
                }
            },
            _ if value.is_some() || self.present[m] => {
                let column = self.grow_to(m, row);
                column.push_value(value);
                if value.is_none() {
                    self.partial[m] = true;
                }
            }
            _ => {}
        }
    }

    /// Measure `m`'s column, present and at least `rows` long (padded with absent rows:
    /// the rows before it have no value).
    fn grow_to(&mut self, m: usize, rows: usize) -> &mut MeasureColumn {
        if self.measures.len() != MEASURE_COUNT {
            self.measures = vec![MeasureColumn::default(); MEASURE_COUNT];
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
                .map(MeasureColumn::heap_bytes)
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
    /// The target audience the campaign names (`target_country`, `target_age`, …).
    #[serde(flatten)]
    pub target: super::audience::AudienceTarget,
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
    /// The wide audience columns (`age_18_24`, `male_share`, `country_1`, …).
    #[serde(flatten)]
    pub audience: super::audience::AudienceColumns,
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
    /// Long audience rows (creator × dimension × share), see [`super::audience`].
    pub audience: Vec<super::audience::AudienceRow>,
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
            && self.audience.is_empty()
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
