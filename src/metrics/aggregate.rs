//! The one pass of the engine: column-by-column sums over the selected posts rows for the
//! whole view, every group of every dimension and every period, plus the small cross-tabs
//! the campaign-, creator- and platform-level KPIs of a scope need (which campaigns,
//! creators and platforms have rows in it, with their cost, conversions and engagement).

use std::collections::{BTreeMap, HashMap};

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

/// The group code of selected row `r` (selection index `k`) in a family.
#[inline]
fn group_of(p: &Posts, periods: &[u32], family: usize, k: usize, r: usize) -> u32 {
    match family {
        0 => p.platform[r],
        1 => p.campaign[r],
        2 => p.creator[r],
        3 => p.format[r],
        _ => periods[k],
    }
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

    let mut overall = Sums {
        rows: rows.len() as u64,
        ..Sums::default()
    };
    for &m in &present {
        let col = &p.measures[m];
        overall.values[m] = rows.iter().map(|&r| col[r as usize]).sum();
    }
    let mut sums: [Vec<Sums>; FAMILIES] = Default::default();
    for (family, slot) in sums.iter_mut().enumerate() {
        *slot = family_sums(
            p,
            rows,
            &period_of_row,
            family,
            group_counts[family],
            &present,
        );
    }
    if matches!(
        sentiment,
        SentimentSource::CommentLabels | SentimentSource::Lexicon
    ) {
        add_comment_counts(ws, rows, &period_of_row, sentiment, &mut overall, &mut sums);
    }

    let column = |m: Measure| p.measure(m);
    let (likes, comments, shares, saves) = (
        column(Measure::Likes),
        column(Measure::Comments),
        column(Measure::Shares),
        column(Measure::Saves),
    );
    let at = |col: &[f64], r: usize| col.get(r).copied().unwrap_or(0.0);
    let (cost, new_customers, conversions) = (
        column(Measure::Cost),
        column(Measure::NewCustomers),
        column(Measure::Conversions),
    );
    let (denominator, impressions) = (column(er_denominator), column(Measure::Impressions));
    let clicks = column(Measure::Clicks);
    let engagements = |r: usize| at(likes, r) + at(comments, r) + at(shares, r) + at(saves, r);

    let mut campaigns: [KeysByGroup; FAMILIES] = Default::default();
    let mut creators: [KeysByGroup; FAMILIES] = Default::default();
    let mut platforms: [KeysByGroup; FAMILIES] = Default::default();
    for family in 0..FAMILIES {
        let groups = group_counts[family];
        let tab = |keys| Tabulation {
            p,
            rows,
            period_of_row: &period_of_row,
            family,
            groups,
            keys,
        };
        campaigns[family] = if family == CAMPAIGN {
            identity(&sums[CAMPAIGN], |s| {
                [
                    s.rows as f64,
                    s.get(Measure::Cost),
                    s.get(Measure::NewCustomers),
                    s.get(Measure::Conversions),
                    0.0,
                ]
            })
        } else {
            tab(p.campaigns.len()).run(
                |r| p.campaign[r],
                |r| {
                    [
                        1.0,
                        at(cost, r),
                        at(new_customers, r),
                        at(conversions, r),
                        0.0,
                    ]
                },
            )
        };
        creators[family] = if family == CREATOR {
            identity(&sums[CREATOR], |s| {
                [
                    s.rows as f64,
                    s.engagements(),
                    s.get(er_denominator),
                    s.get(Measure::Conversions),
                    s.get(Measure::Clicks),
                ]
            })
        } else {
            tab(p.creators.len()).run(
                |r| p.creator[r],
                |r| {
                    [
                        1.0,
                        engagements(r),
                        at(denominator, r),
                        at(conversions, r),
                        at(clicks, r),
                    ]
                },
            )
        };
        platforms[family] = if family == PLATFORM {
            identity(&sums[PLATFORM], |s| {
                [
                    s.rows as f64,
                    s.engagements(),
                    s.get(er_denominator),
                    s.get(Measure::Impressions),
                    0.0,
                ]
            })
        } else {
            tab(p.platforms.len()).run(
                |r| p.platform[r],
                |r| {
                    [
                        1.0,
                        engagements(r),
                        at(denominator, r),
                        at(impressions, r),
                        0.0,
                    ]
                },
            )
        };
    }
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

/// One cross-tabulation of a family's groups against a key column.
struct Tabulation<'a> {
    p: &'a Posts,
    rows: &'a [u32],
    period_of_row: &'a [u32],
    family: usize,
    groups: usize,
    keys: usize,
}

impl Tabulation<'_> {
    /// Sums `cell(row)` per (group, `key_of(row)`) over the selected rows.
    fn run(self, key_of: impl Fn(usize) -> u32, cell: impl Fn(usize) -> Cell) -> KeysByGroup {
        let mut tab = CrossTab::new(self.groups, self.keys);
        for (k, &r) in self.rows.iter().enumerate() {
            let r = r as usize;
            let g = group_of(self.p, self.period_of_row, self.family, k, r);
            if g != NO_GROUP {
                tab.add(g, key_of(r), cell(r));
            }
        }
        tab.into_groups(self.groups)
    }
}

/// A family's groups keyed by themselves (a campaign group holds just that campaign).
fn identity(sums: &[Sums], cell: impl Fn(&Sums) -> Cell) -> KeysByGroup {
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

/// Sums of every present measure per group of one family, column by column.
fn family_sums(
    p: &Posts,
    rows: &[u32],
    period_of_row: &[u32],
    family: usize,
    groups: usize,
    present: &[usize],
) -> Vec<Sums> {
    let mut counts = vec![0u64; groups];
    let codes: Vec<u32> = rows
        .iter()
        .enumerate()
        .map(|(k, &r)| group_of(p, period_of_row, family, k, r as usize))
        .collect();
    for &g in &codes {
        if g != NO_GROUP {
            counts[g as usize] += 1;
        }
    }
    let mut flat = vec![0.0; groups * MEASURE_COUNT];
    for &m in present {
        let col = &p.measures[m];
        for (&g, &r) in codes.iter().zip(rows) {
            if g != NO_GROUP {
                flat[g as usize * MEASURE_COUNT + m] += col[r as usize];
            }
        }
    }
    flat.chunks(MEASURE_COUNT.max(1))
        .zip(counts)
        .map(|(values, rows)| Sums {
            values: values.to_vec(),
            rows,
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
/// `comments_positive/neutral/negative` slots of the sums of the posts they belong to.
fn add_comment_counts(
    ws: &Workspace,
    rows: &[u32],
    period_of_row: &[u32],
    source: SentimentSource,
    overall: &mut Sums,
    sums: &mut [Vec<Sums>; FAMILIES],
) {
    let mut by_post: HashMap<&str, [f64; 3]> = HashMap::new();
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
    let measures = [
        Measure::CommentsPositive,
        Measure::CommentsNeutral,
        Measure::CommentsNegative,
    ];
    let p = &ws.posts;
    for (k, &r) in rows.iter().enumerate() {
        let r = r as usize;
        let Some(counts) = by_post.get(p.post_id.get(r)) else {
            continue;
        };
        let add = |s: &mut Sums| {
            for (m, n) in measures.iter().zip(counts) {
                s.values[*m as usize] += n;
            }
        };
        add(overall);
        for (family, groups) in sums.iter_mut().enumerate() {
            let g = group_of(p, period_of_row, family, k, r);
            if g != NO_GROUP {
                add(&mut groups[g as usize]);
            }
        }
    }
}
