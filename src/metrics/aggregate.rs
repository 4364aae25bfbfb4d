//! The one pass of the engine: column-by-column sums over the selected posts rows for the
//! whole view, every group of every dimension and every period, plus the small cross-tabs
//! the campaign-, creator- and platform-level KPIs of a scope need (which campaigns,
//! creators and platforms have rows in it, with their cost, conversions and engagement).

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::data::calendar::{Day, Granularity};
use crate::data::schema::{Measure, MEASURE_COUNT};
use crate::data::store::{Posts, Sentiment, Workspace, NO_DAY};

use super::engine::Sums;
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

/// One key's values inside one group: `[rows, a, b, c, d]`.
pub(crate) type Cell = [f64; 5];

/// The keys (campaign, creator or platform codes) with rows in each group of a family.
pub(crate) type KeysByGroup = Vec<Vec<(u32, Cell)>>;

/// Sums of `[rows, a, b, c, d]` per (group, key).
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
            dense: (cells <= DENSE_CELLS).then(|| vec![[0.0; 5]; cells]),
            sparse: HashMap::new(),
        }
    }

    fn add(&mut self, group: u32, key: u32, values: Cell) {
        let cell = match &mut self.dense {
            Some(dense) => &mut dense[group as usize * self.keys + key as usize],
            None => self.sparse.entry((group, key)).or_insert([0.0; 5]),
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
    pub undated: usize,
    /// Per family and group: campaigns with rows, `[rows, cost, new_customers, conversions, 0]`.
    pub campaigns: [KeysByGroup; FAMILIES],
    /// Per family and group: creators with rows,
    /// `[rows, engagements, ER denominator, conversions, clicks]`.
    pub creators: [KeysByGroup; FAMILIES],
    /// Per family and group: platforms with rows, `[rows, engagements, ER denominator, impressions, 0]`.
    pub platforms: [KeysByGroup; FAMILIES],
}

/// The group codes of one cell: platform, campaign, creator, format, period.
type CellKey = [u32; FAMILIES];

/// A fast hasher for small integer keys (FxHash's multiply-rotate); the keys are
/// dictionary codes, not attacker-chosen, so HashDoS resistance is not needed.
#[derive(Default)]
struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
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

/// The selected rows folded into cells: one per distinct combination of group codes,
/// with the sums of every measure. Every group, period and cross-tab is a sum of cells.
struct Cells {
    keys: Vec<CellKey>,
    sums: Vec<Sums>,
    /// The cell of each selected row.
    of_row: Vec<u32>,
}

/// Folds the selected rows into cells, column by column.
fn cells(p: &Posts, rows: &[u32], period_of_row: &[u32], present: &[usize]) -> Cells {
    let mut index: HashMap<CellKey, u32, BuildHasherDefault<CodeHasher>> = HashMap::default();
    let mut keys: Vec<CellKey> = Vec::new();
    let mut last: Option<(CellKey, u32)> = None;
    let cell_of_row: Vec<u32> = rows
        .iter()
        .zip(period_of_row)
        .map(|(&r, &period)| {
            let r = r as usize;
            let key = [
                p.platform[r],
                p.campaign[r],
                p.creator[r],
                p.format[r],
                period,
            ];
            if let Some((k, c)) = last {
                if k == key {
                    return c;
                }
            }
            let c = *index.entry(key).or_insert_with(|| {
                keys.push(key);
                (keys.len() - 1) as u32
            });
            last = Some((key, c));
            c
        })
        .collect();
    let mut flat = vec![0.0; keys.len() * MEASURE_COUNT];
    let flat_cells = flat.as_mut_slice();
    for &m in present {
        let col = p.measures[m].as_slice();
        for (&c, &r) in cell_of_row.iter().zip(rows) {
            flat_cells[c as usize * MEASURE_COUNT + m] += col[r as usize];
        }
    }
    let mut counts = vec![0u64; keys.len()];
    for &c in &cell_of_row {
        counts[c as usize] += 1;
    }
    let of_row = cell_of_row;
    let sums = flat
        .chunks(MEASURE_COUNT)
        .zip(counts)
        .map(|(values, rows)| Sums {
            values: values.to_vec(),
            rows,
        })
        .collect();
    Cells { keys, sums, of_row }
}

/// Runs the pass over the selected rows.
pub(crate) fn aggregate(
    ws: &Workspace,
    rows: &[u32],
    granularity: Granularity,
    er_denominator: Measure,
    sentiment: SentimentSource,
) -> Aggregation {
    let p = &ws.posts;
    let (period_of_row, period_starts) = periods(p, rows, granularity);
    let undated = period_of_row.iter().filter(|&&g| g == NO_GROUP).count();
    let group_counts = [
        p.platforms.len(),
        p.campaigns.len(),
        p.creators.len(),
        p.formats.len(),
        period_starts.len(),
    ];
    let present: Vec<usize> = (0..MEASURE_COUNT)
        .filter(|&m| p.present[m] && p.measures.len() == MEASURE_COUNT)
        .collect();
    let mut cells = cells(p, rows, &period_of_row, &present);
    if matches!(
        sentiment,
        SentimentSource::CommentLabels | SentimentSource::Lexicon
    ) {
        add_comment_counts(ws, rows, sentiment, &mut cells);
    }

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
        ]
    };
    let creator_cell = |s: &Sums| {
        [
            s.rows as f64,
            s.engagements(),
            s.get(er_denominator),
            s.get(Measure::Conversions),
            s.get(Measure::Clicks),
        ]
    };
    let platform_cell = |s: &Sums| {
        [
            s.rows as f64,
            s.engagements(),
            s.get(er_denominator),
            s.get(Measure::Impressions),
            0.0,
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
        undated,
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

/// The period index of each selected row (`NO_GROUP` when undated) and the period starts.
fn periods(p: &Posts, rows: &[u32], granularity: Granularity) -> (Vec<u32>, Vec<Day>) {
    let mut index: BTreeMap<Day, u32> = BTreeMap::new();
    let mut last: Option<(Day, u32)> = None;
    let mut of_row: Vec<u32> = rows
        .iter()
        .map(|&r| {
            let day = p.day[r as usize];
            if day == NO_DAY {
                return NO_GROUP;
            }
            let start = granularity.period_start(day);
            if let Some((s, i)) = last {
                if s == start {
                    return i;
                }
            }
            let next = index.len() as u32;
            let i = *index.entry(start).or_insert(next);
            last = Some((start, i));
            i
        })
        .collect();
    // Renumber so that period indices are in date order.
    let starts: Vec<Day> = index.keys().copied().collect();
    let mut order = vec![0u32; starts.len()];
    for (sorted, (_, &first_seen)) in index.iter().enumerate() {
        order[first_seen as usize] = sorted as u32;
    }
    for g in of_row.iter_mut().filter(|g| **g != NO_GROUP) {
        *g = order[*g as usize];
    }
    (of_row, starts)
}

/// Adds the comments table's sentiment counts (labels or lexicon) into the
/// `comments_positive/neutral/negative` slots of the cells of the posts they belong to.
fn add_comment_counts(ws: &Workspace, rows: &[u32], source: SentimentSource, cells: &mut Cells) {
    let mut by_post: HashMap<&str, [f64; 3], BuildHasherDefault<CodeHasher>> = HashMap::default();
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
    for (&r, &c) in rows.iter().zip(&cells.of_row) {
        let Some(counts) = by_post.get(p.post_id.get(r as usize)) else {
            continue;
        };
        for (m, n) in measures.iter().zip(counts) {
            cells.sums[c as usize].values[*m as usize] += n;
        }
    }
}
