//! The one pass of the engine: column-by-column sums over the selected posts rows for the
//! whole view, every group of every dimension and every period, plus the small cross-tabs
//! the campaign-, creator- and platform-level KPIs of a scope need (which campaigns,
//! creators and platforms have rows in it, with their cost, conversions and engagement).

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use crate::data::calendar::{Day, Granularity};
use crate::data::schema::{Measure, MEASURE_COUNT};
use crate::data::store::{
    ColumnValues, Dict, FastMap, KeyIndex, Posts, Sentiment, Workspace, NO_DAY,
};

use super::engine::{measure_bits, Filter, Sums};
use super::sentiment::{comment_label, SentimentSource};

/// Scope families: the four dimensions (in `Dimension::ALL` order), then periods.
pub(crate) const FAMILIES: usize = 5;
pub(crate) const PLATFORM: usize = 0;
pub(crate) const CAMPAIGN: usize = 1;
pub(crate) const CREATOR: usize = 2;
pub(crate) const PERIOD: usize = 4;

/// Group code of a row that belongs to no group of a family (an undated row's period).
const NO_GROUP: u32 = u32::MAX;

/// Above this many cells a cross-tab is kept in a hash map instead of a dense array.
const DENSE_CELLS: usize = 1 << 20;

/// One key's values inside one group: `[rows, a, b, c, d, e]`.
pub(crate) type Cell = [f64; 6];

/// The keys (campaign, creator or platform codes) with rows in each group of a family.
pub(crate) type KeysByGroup = Vec<Vec<(u32, Cell)>>;

/// Sums of `[rows, a, b, c, d, e]` per (group, key).
struct CrossTab {
    keys: usize,
    dense: Option<Vec<Cell>>,
    sparse: HashMap<(u32, u32), Cell>,
}

impl CrossTab {
    fn new(groups: usize, keys: usize) -> CrossTab {
        let cells = groups.saturating_mul(keys);
        CrossTab {
            keys,
            dense: (cells <= DENSE_CELLS).then(|| vec![[0.0; 6]; cells]),
            sparse: HashMap::new(),
        }
    }

    fn add(&mut self, group: u32, key: u32, values: Cell) {
        let cell = match &mut self.dense {
            Some(dense) => &mut dense[group as usize * self.keys + key as usize],
            None => self.sparse.entry((group, key)).or_insert([0.0; 6]),
        };
        for (c, v) in cell.iter_mut().zip(values) {
            *c += v;
        }
    }

    fn into_groups(self, groups: usize) -> KeysByGroup {
        let mut out = vec![Vec::new(); groups];
        match self.dense {
            Some(dense) if self.keys > 0 => {
                for (i, cell) in dense.into_iter().enumerate() {
                    if cell[0] > 0.0 {
                        out[i / self.keys].push(((i % self.keys) as u32, cell));
                    }
                }
            }
            Some(_) => {}
            None => {
                for ((g, k), cell) in self.sparse {
                    out[g as usize].push((k, cell));
                }
                out.iter_mut()
                    .for_each(|keys| keys.sort_by_key(|(k, _)| *k));
            }
        }
        out
    }
}

/// Everything the pass produces.
pub(crate) struct Aggregation {
    pub overall: Sums,
    /// Sums per group code, per family (periods by period index).
    pub sums: [Vec<Sums>; FAMILIES],
    /// First day of each period, ascending.
    pub period_starts: Vec<Day>,
    /// Rows in view, and how many of them have no date.
    pub rows: usize,
    pub undated: usize,
    /// Per family and group: campaigns with rows, `[rows, cost, new_customers, conversions, 0, 0]`.
    pub campaigns: [KeysByGroup; FAMILIES],
    /// Per family and group: creators with rows, `[rows, engagements, ER denominator,
    /// conversions, clicks, rows with the ER inputs]` (engagements and denominator over
    /// the rows that have every ER input).
    pub creators: [KeysByGroup; FAMILIES],
    /// Per family and group: platforms with rows, `[rows, engagements, ER denominator,
    /// impressions, 0, rows with the ER inputs]`.
    pub platforms: [KeysByGroup; FAMILIES],
}

/// The group codes of one cell: platform, campaign, creator, format, period.
type CellKey = [u32; FAMILIES];

/// Rows per block of the column pass: a block's row and cell numbers stay in L1 while
/// every measure column is scattered into the cells.
const BLOCK: usize = 2048;

/// Above this many (combo × period) slots, cells are found through a hash map instead
/// of a dense table.
const DENSE_SLOTS: usize = 1 << 21;

/// Above this many days, periods are found per row instead of by a day table.
const DENSE_DAYS: i64 = 1 << 16;

/// Which rows a filter keeps: combos that pass the key lists, and a day range.
pub(crate) struct Selection {
    index: Arc<KeyIndex>,
    combo_ok: Vec<bool>,
    /// Rows to scan (a date range of date-sorted posts is one run).
    scan: Range<usize>,
    /// Inclusive day bounds when the filter has a date range.
    days: Option<(Day, Day)>,
}

/// Codes of the dictionary values a filter list selects; `None` = no restriction.
fn selected_codes(values: &[String], dict: &Dict) -> Option<Vec<bool>> {
    if values.is_empty() {
        return None;
    }
    let mut keep = vec![false; dict.len()];
    for v in values {
        if let Some(code) = dict.code(v) {
            keep[code as usize] = true;
        }
    }
    Some(keep)
}

impl Selection {
    /// The selection of `filter` over the posts.
    pub(crate) fn new(p: &Posts, filter: &Filter) -> Selection {
        let index = p.key_index();
        let lists = [
            selected_codes(&filter.platforms, &p.platforms),
            selected_codes(&filter.campaigns, &p.campaigns),
            selected_codes(&filter.creators, &p.creators),
            selected_codes(&filter.formats, &p.formats),
        ];
        let combo_ok = index
            .combos
            .iter()
            .map(|codes| {
                lists.iter().zip(codes).all(|(keep, &code)| {
                    // (A code past the dictionary, which `unpack` refuses, selects nothing.)
                    keep.as_ref()
                        .is_none_or(|k| k.get(code as usize).copied().unwrap_or(false))
                })
            })
            .collect();
        let days = filter.has_date_range().then(|| {
            (
                filter.from.unwrap_or(NO_DAY + 1).max(NO_DAY + 1),
                filter.to.unwrap_or(Day::MAX),
            )
        });
        let scan = match days {
            Some((from, to)) => index.day_rows(&p.day, from, to),
            None => 0..p.len(),
        };
        Selection {
            index,
            combo_ok,
            scan,
            days,
        }
    }

    /// Calls `f(row, combo)` for every selected row, in row order. (Hot loops index
    /// slices, not `Vec`s: under `opt-level = "z"` a `Vec` index is a function call.)
    #[inline]
    pub(crate) fn for_each(&self, day: &[Day], mut f: impl FnMut(usize, u32)) {
        let combo: &[u32] = &self.index.combo[self.scan.clone()];
        let days: &[Day] = &day[self.scan.clone()];
        let ok: &[bool] = &self.combo_ok;
        let start = self.scan.start;
        // `while` loops: iterator adapters are not inlined under `opt-level = "z"`.
        let mut i = 0;
        match self.days {
            None => {
                while i < combo.len() {
                    let c = combo[i];
                    if ok[c as usize] {
                        f(start + i, c);
                    }
                    i += 1;
                }
            }
            Some((from, to)) => {
                while i < combo.len() {
                    let (c, d) = (combo[i], days[i]);
                    if d >= from && d <= to && ok[c as usize] {
                        f(start + i, c);
                    }
                    i += 1;
                }
            }
        }
    }

    /// The selected row numbers (a selection vector).
    pub(crate) fn rows(&self, day: &[Day]) -> Vec<u32> {
        let mut rows = Vec::new();
        self.for_each(day, |r, _| rows.push(r as u32));
        rows
    }
}

/// Maps a day to its period slot; slot `starts.len()` holds the undated rows.
struct PeriodMap {
    granularity: Granularity,
    /// First day of the day table.
    first: Day,
    /// Period slot of each day from `first` (empty when the span is too wide).
    slot_of_day: Vec<u32>,
    /// First day of each period slot, ascending.
    starts: Vec<Day>,
}

impl PeriodMap {
    fn new(p: &Posts, sel: &Selection, granularity: Granularity) -> PeriodMap {
        let mut map = PeriodMap {
            granularity,
            first: 0,
            slot_of_day: Vec::new(),
            starts: Vec::new(),
        };
        let Some((lo, hi)) = sel.index.day_span else {
            return map;
        };
        let (lo, hi) = match sel.days {
            Some((from, to)) => (lo.max(from), hi.min(to)),
            None => (lo, hi),
        };
        if lo > hi {
            return map;
        }
        if i64::from(hi) - i64::from(lo) < DENSE_DAYS {
            map.first = lo;
            map.slot_of_day = (lo..=hi)
                .map(|d| {
                    let start = granularity.period_start(d);
                    if map.starts.last() != Some(&start) {
                        map.starts.push(start);
                    }
                    (map.starts.len() - 1) as u32
                })
                .collect();
        } else {
            // A very wide span: the periods that selected rows fall in.
            let mut starts = BTreeSet::new();
            sel.for_each(&p.day, |r, _| {
                if p.day[r] != NO_DAY {
                    starts.insert(granularity.period_start(p.day[r]));
                }
            });
            map.starts = starts.into_iter().collect();
        }
        map
    }

    /// Number of slots, the undated one included.
    fn slots(&self) -> usize {
        self.starts.len() + 1
    }

    #[inline]
    fn slot(&self, day: Day) -> u32 {
        if day == NO_DAY {
            return self.starts.len() as u32;
        }
        let table: &[u32] = &self.slot_of_day;
        if !table.is_empty() {
            // A day outside the index's span (which `unpack` refuses) takes the slow path.
            let at = usize::try_from(i64::from(day) - i64::from(self.first));
            if let Some(&slot) = at.ok().and_then(|at| table.get(at)) {
                return slot;
            }
        }
        let start = self.granularity.period_start(day);
        self.starts.partition_point(|&s| s < start) as u32
    }
}

/// The cell of a (combo, period slot) pair, assigned in order of first appearance.
enum CellIds {
    Dense { slots: usize, ids: Vec<u32> },
    Sparse(FastMap<u64, u32>),
}

impl CellIds {
    fn new(combos: usize, slots: usize) -> CellIds {
        let size = combos.saturating_mul(slots);
        if size <= DENSE_SLOTS {
            CellIds::Dense {
                slots,
                ids: vec![u32::MAX; size],
            }
        } else {
            CellIds::Sparse(FastMap::default())
        }
    }

    /// The cell id, or `next` (then taken) when the pair is new.
    #[inline]
    fn get_or(&mut self, combo: u32, slot: u32, next: u32) -> u32 {
        match self {
            CellIds::Dense { slots, ids } => {
                let id = &mut ids.as_mut_slice()[combo as usize * *slots + slot as usize];
                if *id == u32::MAX {
                    *id = next;
                }
                *id
            }
            CellIds::Sparse(map) => *map
                .entry(u64::from(combo) << 32 | u64::from(slot))
                .or_insert(next),
        }
    }
}

/// The selected rows folded into cells: one per distinct combination of group codes,
/// with the sums of every measure. Every group, period and cross-tab is a sum of cells.
struct Cells {
    keys: Vec<CellKey>,
    sums: Vec<Sums>,
    /// `(row, cell)` of each selected row, kept only when asked for.
    of_row: Vec<(u32, u32)>,
    period_starts: Vec<Day>,
    rows: usize,
    undated: usize,
}

/// Folds the selected rows into cells in one pass, a block of rows at a time: the
/// block's cells first, then each present measure column scattered into them.
fn cells(
    p: &Posts,
    sel: &Selection,
    granularity: Granularity,
    present: &[usize],
    keep_rows: bool,
) -> Cells {
    let periods = PeriodMap::new(p, sel, granularity);
    let mut ids = CellIds::new(sel.index.combos.len(), periods.slots());
    // Per cell: its (combo, slot); per present measure: the running sums by cell.
    let mut cell_pairs: Vec<(u32, u32)> = Vec::new();
    let mut acc: Vec<Vec<f64>> = vec![Vec::new(); present.len()];
    let mut counts: Vec<u64> = Vec::new();
    let mut of_row = Vec::new();
    let mut block_rows = [0u32; BLOCK];
    let mut block_cells = [0u32; BLOCK];
    let mut n = 0;
    let columns: Vec<&ColumnValues> = present.iter().map(|&m| p.measures[m].values()).collect();
    let has = present.iter().fold(0u32, |bits, &m| bits | 1 << m);
    // Column by column: one measure's sums by cell stay in L2 while a block scatters.
    let flush = |n: usize, rows: &[u32; BLOCK], cells: &[u32; BLOCK], acc: &mut [Vec<f64>]| {
        let (rows, cells) = (&rows[..n], &cells[..n]);
        let consecutive = rows
            .last()
            .zip(rows.first())
            .is_some_and(|(l, f)| (l - f) as usize == n - 1);
        for (sums, col) in acc.iter_mut().zip(&columns) {
            match col {
                ColumnValues::U8(c) => scatter(sums, cells, rows, c, consecutive),
                ColumnValues::U16(c) => scatter(sums, cells, rows, c, consecutive),
                ColumnValues::U32(c) => scatter(sums, cells, rows, c, consecutive),
                ColumnValues::F64(c) => scatter(sums, cells, rows, c, consecutive),
            }
        }
    };
    sel.for_each(&p.day, |r, combo| {
        let slot = periods.slot(p.day[r]);
        let next = cell_pairs.len() as u32;
        let cell = ids.get_or(combo, slot, next);
        if cell == next {
            cell_pairs.push((combo, slot));
            counts.push(0);
            acc.iter_mut().for_each(|a| a.push(0.0));
        }
        let counts: &mut [u64] = &mut counts;
        counts[cell as usize] += 1;
        if keep_rows {
            of_row.push((r as u32, cell));
        }
        block_rows[n] = r as u32;
        block_cells[n] = cell;
        n += 1;
        if n == BLOCK {
            flush(n, &block_rows, &block_cells, &mut acc);
            n = 0;
        }
    });
    flush(n, &block_rows, &block_cells, &mut acc);

    // Periods with rows, renumbered in date order; the undated slot becomes NO_GROUP.
    let undated_slot = periods.starts.len() as u32;
    let mut used = vec![false; periods.starts.len()];
    for &(_, slot) in &cell_pairs {
        if slot != undated_slot {
            used[slot as usize] = true;
        }
    }
    let mut renumber = vec![NO_GROUP; periods.slots()];
    let mut period_starts = Vec::new();
    for (slot, &start) in periods.starts.iter().enumerate() {
        if used[slot] {
            renumber[slot] = period_starts.len() as u32;
            period_starts.push(start);
        }
    }
    let mut undated = 0;
    let keys = cell_pairs
        .iter()
        .zip(&counts)
        .map(|(&(combo, slot), &rows)| {
            if slot == undated_slot {
                undated += rows as usize;
            }
            let [platform, campaign, creator, format] = sel.index.combos[combo as usize];
            [platform, campaign, creator, format, renumber[slot as usize]]
        })
        .collect();
    let sums = counts
        .iter()
        .enumerate()
        .map(|(cell, &rows)| {
            let mut values = vec![0.0; MEASURE_COUNT];
            for (sums, &m) in acc.iter().zip(present) {
                // A measure the cell's rows lack summed their 0s; `lacks` says so.
                values[m] = sums[cell];
            }
            let lacks = sel.index.absent[cell_pairs[cell].0 as usize];
            Sums::with_lacks(values, rows, has, lacks)
        })
        .collect();
    Cells {
        keys,
        sums,
        of_row,
        period_starts,
        rows: counts.iter().sum::<u64>() as usize,
        undated,
    }
}

/// Adds the values of a block's rows into their cells' sums (`consecutive`: the rows
/// are one run, read as a slice). Absent rows hold 0, so they add nothing.
#[inline]
fn scatter<T: Copy + Into<f64>>(
    sums: &mut [f64],
    cells: &[u32],
    rows: &[u32],
    column: &[T],
    consecutive: bool,
) {
    let n = cells.len();
    let mut i = 0;
    if consecutive {
        // No key filter: read the column as one run.
        let run = &column[rows[0] as usize..rows[0] as usize + n];
        while i < n {
            sums[cells[i] as usize] += run[i].into();
            i += 1;
        }
    } else {
        while i < n {
            sums[cells[i] as usize] += column[rows[i] as usize].into();
            i += 1;
        }
    }
}

/// The selected dated rows' sums by day, oldest first (days without rows left out),
/// each split by what its rows lack as [`Sums`] parts. One light pass: its cells are
/// (day, what the rows lack) pairs, a few per day, not (combo, day) pairs, so it costs
/// a fraction of [`aggregate`] at day granularity. The comparison's variation flag
/// reads it. Comment-table sentiment counts are not in it.
pub(crate) fn day_sums(p: &Posts, sel: &Selection) -> Vec<(Day, Sums)> {
    let present: Vec<usize> = (0..MEASURE_COUNT)
        .filter(|&m| p.present[m] && p.measures.get(m).is_some_and(|c| c.len() == p.len()))
        .collect();
    let has = present.iter().fold(0u32, |bits, &m| bits | 1 << m);
    let periods = PeriodMap::new(p, sel, Granularity::Day);
    let undated = periods.starts.len() as u32;
    // What each combo's rows lack, as a small code (most files: one code).
    let mut lacks_values: Vec<u32> = Vec::new();
    let combo_lacks: Vec<u32> = sel
        .index
        .absent
        .iter()
        .map(|lacks| match lacks_values.iter().position(|l| l == lacks) {
            Some(code) => code as u32,
            None => {
                lacks_values.push(*lacks);
                (lacks_values.len() - 1) as u32
            }
        })
        .collect();
    let kinds = lacks_values.len().max(1);
    let cell_count = periods.starts.len().saturating_mul(kinds);
    let mut acc: Vec<Vec<f64>> = vec![vec![0.0; cell_count]; present.len()];
    let mut counts = vec![0u64; cell_count];
    let columns: Vec<&ColumnValues> = present.iter().map(|&m| p.measures[m].values()).collect();
    let mut block_rows = [0u32; BLOCK];
    let mut block_cells = [0u32; BLOCK];
    let mut n = 0;
    let flush = |n: usize, rows: &[u32; BLOCK], cells: &[u32; BLOCK], acc: &mut [Vec<f64>]| {
        let (rows, cells) = (&rows[..n], &cells[..n]);
        for (sums, col) in acc.iter_mut().zip(&columns) {
            match col {
                ColumnValues::U8(c) => scatter(sums, cells, rows, c, false),
                ColumnValues::U16(c) => scatter(sums, cells, rows, c, false),
                ColumnValues::U32(c) => scatter(sums, cells, rows, c, false),
                ColumnValues::F64(c) => scatter(sums, cells, rows, c, false),
            }
        }
    };
    sel.for_each(&p.day, |r, combo| {
        let slot = periods.slot(p.day[r]);
        if slot >= undated {
            return;
        }
        let lacks = combo_lacks.get(combo as usize).copied().unwrap_or(0) as usize;
        let cell = slot as usize * kinds + lacks;
        counts[cell] += 1;
        block_rows[n] = r as u32;
        block_cells[n] = cell as u32;
        n += 1;
        if n == BLOCK {
            flush(n, &block_rows, &block_cells, &mut acc);
            n = 0;
        }
    });
    flush(n, &block_rows, &block_cells, &mut acc);
    let mut days = Vec::new();
    for (slot, &start) in periods.starts.iter().enumerate() {
        let mut day = Sums::default();
        for kind in 0..kinds {
            let cell = slot * kinds + kind;
            if counts[cell] == 0 {
                continue;
            }
            let mut values = vec![0.0; MEASURE_COUNT];
            for (sums, &m) in acc.iter().zip(&present) {
                values[m] = sums[cell];
            }
            let lacks = lacks_values.get(kind).copied().unwrap_or(0);
            day.merge(&Sums::with_lacks(values, counts[cell], has, lacks));
        }
        if day.rows > 0 {
            days.push((start, day));
        }
    }
    days
}

/// Runs the pass over the selected rows.
pub(crate) fn aggregate(
    ws: &Workspace,
    sel: &Selection,
    granularity: Granularity,
    er_denominator: Measure,
    sentiment: SentimentSource,
) -> Aggregation {
    let p = &ws.posts;
    let present: Vec<usize> = (0..MEASURE_COUNT)
        .filter(|&m| p.present[m] && p.measures.get(m).is_some_and(|c| c.len() == p.len()))
        .collect();
    let from_comments = matches!(
        sentiment,
        SentimentSource::CommentLabels | SentimentSource::Lexicon
    );
    let mut cells = cells(p, sel, granularity, &present, from_comments);
    if from_comments {
        add_comment_counts(ws, sentiment, &mut cells);
    }
    let period_starts = std::mem::take(&mut cells.period_starts);
    let group_counts = [
        p.platforms.len(),
        p.campaigns.len(),
        p.creators.len(),
        p.formats.len(),
        period_starts.len(),
    ];

    let mut overall = Sums::default();
    let mut sums: [Vec<Sums>; FAMILIES] =
        std::array::from_fn(|f| vec![Sums::default(); group_counts[f]]);
    for (key, cell) in cells.keys.iter().zip(&cells.sums) {
        overall.merge(cell);
        for (family, &g) in key.iter().enumerate() {
            if g != NO_GROUP {
                sums[family][g as usize].merge(cell);
            }
        }
    }

    let campaign_cell = |s: &Sums| {
        [
            s.rows as f64,
            s.get(Measure::Cost),
            s.get(Measure::NewCustomers),
            s.get(Measure::Conversions),
            0.0,
            0.0,
        ]
    };
    // The engagement-rate flows of a cell: over its rows that have every ER input.
    let er_needs = measure_bits(&[
        Measure::Likes,
        Measure::Comments,
        Measure::Shares,
        Measure::Saves,
        er_denominator,
    ]);
    let er_flows = |s: &Sums| {
        let (with, rows) = s.over(er_needs);
        (with.engagements(), with.get(er_denominator), rows as f64)
    };
    let creator_cell = |s: &Sums| {
        let (engagements, denominator, er_rows) = er_flows(s);
        [
            s.rows as f64,
            engagements,
            denominator,
            s.get(Measure::Conversions),
            s.get(Measure::Clicks),
            er_rows,
        ]
    };
    let platform_cell = |s: &Sums| {
        let (engagements, denominator, er_rows) = er_flows(s);
        [
            s.rows as f64,
            engagements,
            denominator,
            s.get(Measure::Impressions),
            0.0,
            er_rows,
        ]
    };
    let tabulate = |family: usize, key_family: usize, cell: &dyn Fn(&Sums) -> Cell| {
        if family == key_family {
            return identity(&sums[family], cell);
        }
        let mut tab = CrossTab::new(group_counts[family], group_counts[key_family]);
        for (key, s) in cells.keys.iter().zip(&cells.sums) {
            if key[family] != NO_GROUP {
                tab.add(key[family], key[key_family], cell(s));
            }
        }
        tab.into_groups(group_counts[family])
    };
    let campaigns = std::array::from_fn(|f| tabulate(f, CAMPAIGN, &campaign_cell));
    let creators = std::array::from_fn(|f| tabulate(f, CREATOR, &creator_cell));
    let platforms = std::array::from_fn(|f| tabulate(f, PLATFORM, &platform_cell));
    Aggregation {
        overall,
        sums,
        period_starts,
        rows: cells.rows,
        undated: cells.undated,
        campaigns,
        creators,
        platforms,
    }
}

/// A family's groups keyed by themselves (a campaign group holds just that campaign).
fn identity(sums: &[Sums], cell: &dyn Fn(&Sums) -> Cell) -> KeysByGroup {
    sums.iter()
        .enumerate()
        .map(|(g, s)| {
            if s.rows > 0 {
                vec![(g as u32, cell(s))]
            } else {
                Vec::new()
            }
        })
        .collect()
}

/// Adds the comments table's sentiment counts (labels or lexicon) into the
/// `comments_positive/neutral/negative` slots of the cells of the posts they belong to.
fn add_comment_counts(ws: &Workspace, source: SentimentSource, cells: &mut Cells) {
    let mut by_post: FastMap<&str, [f64; 3]> = FastMap::default();
    for c in &ws.comments {
        let Some(label) = comment_label(c, source) else {
            continue;
        };
        let slot = match label {
            Sentiment::Positive => 0,
            Sentiment::Neutral => 1,
            Sentiment::Negative => 2,
        };
        by_post.entry(c.post_id.as_str()).or_default()[slot] += 1.0;
    }
    if by_post.is_empty() {
        return;
    }
    let measures = [
        Measure::CommentsPositive,
        Measure::CommentsNeutral,
        Measure::CommentsNegative,
    ];
    let p = &ws.posts;
    for &(r, c) in &cells.of_row {
        let Some(counts) = by_post.get(p.post_id.get(r as usize)) else {
            continue;
        };
        let sums = &mut cells.sums[c as usize];
        sums.has |= measure_bits(&measures);
        for (m, n) in measures.iter().zip(counts) {
            sums.values[*m as usize] += n;
            if let Some(part) = sums.parts.first_mut() {
                part.values[*m as usize] += n;
            }
        }
    }
}
