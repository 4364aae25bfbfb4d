//! Engagement patterns: when posts engage best. The posts in view are bucketed by
//! weekday × hour of their time of day (the time the file gives, shifted by the
//! `utc_offset_hours` setting), and the engagement rate of each bucket is a ratio of sums
//! over its rows that have every input (the parts of [`super::parts::ratio_parts`]):
//! rows without a time, or without a date, are left out and counted. The engagement
//! rate by format and by follower tier needs no time. The best slots are two-hour
//! blocks of a weekday holding at least [`MIN_SLOT_POSTS`] timed posts.

use serde::{Deserialize, Serialize};

use crate::data::calendar::weekday;
use crate::data::schema::Measure;
use crate::data::store::{Posts, Workspace};

use super::engine::{select_rows, Filter};
use super::parts::ratio_parts;
use super::registry::{kpi, KpiId};
use super::settings::Settings;
use super::tiers::{creator_tier, Tier};

/// Weekday keys of the heatmap cells, Monday first (`data-cell="tue-18"`).
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
/// A best slot must hold at least this many timed posts.
pub const MIN_SLOT_POSTS: u64 = 30;
/// Hours in a best slot.
pub const SLOT_HOURS: u32 = 2;
/// Best slots listed.
pub const BEST_SLOTS: usize = 3;

/// The measures some posts row of `ws` has (bits by `Measure as usize`, as
/// `Results::measures`).
pub fn measures_present(posts: &Posts) -> u32 {
    Measure::ALL
        .into_iter()
        .filter(|m| posts.has(*m))
        .fold(0, |bits, m| bits | 1 << m as usize)
}

/// A ratio KPI read row by row: the measures of its numerator and denominator (from
/// [`ratio_parts`]), for sums over chosen rows.
#[derive(Clone, Debug, PartialEq)]
pub struct RowRatio {
    numerator: Vec<Measure>,
    denominator: Vec<Measure>,
    scale: f64,
    /// The denominator in words ("reach").
    pub denominator_name: String,
}

impl RowRatio {
    /// The ratio parts of `id` for `posts`; `None` when it is no ratio of posts sums or
    /// no file has one of its inputs.
    pub fn of(id: KpiId, settings: &Settings, posts: &Posts) -> Option<RowRatio> {
        let parts = ratio_parts(kpi(id), settings, measures_present(posts))?;
        parts.available.then_some(RowRatio {
            numerator: parts.numerator,
            denominator: parts.denominator,
            scale: parts.scale,
            denominator_name: parts.denominator_name,
        })
    }

    /// Row `r`'s numerator and denominator, or `None` when it lacks an input.
    pub fn row(&self, posts: &Posts, r: usize) -> Option<(f64, f64)> {
        let side = |ms: &[Measure]| {
            ms.iter()
                .map(|m| posts.value(*m as usize, r).filter(|v| v.is_finite()))
                .sum::<Option<f64>>()
        };
        Some((side(&self.numerator)?, side(&self.denominator)?))
    }

    /// `scale × numerator / denominator`, or `None` when the denominator is 0.
    pub fn value(&self, numerator: f64, denominator: f64) -> Option<f64> {
        let v = self.scale * numerator / denominator;
        (denominator != 0.0 && v.is_finite()).then_some(v)
    }
}

/// The sums of one bucket of posts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Σ engagements over the rows with every input.
    pub numerator: f64,
    /// Σ of the denominator (reach by default) over the same rows.
    pub denominator: f64,
    /// Rows with every input of the engagement rate.
    pub used: u64,
    /// Rows in the bucket (the posts count).
    pub posts: u64,
}

impl Bucket {
    /// The engagement rate of the bucket, `None` when its denominator is 0.
    pub fn rate(&self) -> Option<f64> {
        let v = self.numerator / self.denominator;
        (self.denominator != 0.0 && v.is_finite()).then_some(v)
    }

    fn add(&mut self, parts: Option<(f64, f64)>) {
        self.posts += 1;
        if let Some((n, d)) = parts {
            self.numerator += n;
            self.denominator += d;
            self.used += 1;
        }
    }

    fn merge(&mut self, other: &Bucket) {
        self.numerator += other.numerator;
        self.denominator += other.denominator;
        self.used += other.used;
        self.posts += other.posts;
    }
}

/// A weekday and hour range with its sums.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slot {
    /// Monday = 0 … Sunday = 6.
    pub weekday: u32,
    /// First hour (0–23).
    pub hour: u32,
    /// Hours covered.
    pub hours: u32,
    pub bucket: Bucket,
}

/// The engagement patterns of a view.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Patterns {
    /// The shift applied to the files' times, in hours.
    pub utc_offset_hours: f64,
    /// `weekday × 24 + hour` → bucket (168 cells), empty when no row in view has a time.
    pub cells: Vec<Bucket>,
    /// Every timed row in view.
    pub timed: Bucket,
    /// Rows in view without a time of day (or without a date): not in the cells.
    pub untimed_rows: u64,
    /// Every row in view, by format (rows without a format under "").
    pub by_format: Vec<(String, Bucket)>,
    /// Every row in view, by the follower tier of its creator.
    pub by_tier: Vec<(Tier, Bucket)>,
    /// Rows in view whose creator has no follower count (or no creator): in no tier.
    pub untiered_rows: u64,
    /// The best two-hour slots with at least [`MIN_SLOT_POSTS`] posts, best first.
    pub best: Vec<Slot>,
    /// The minimum posts of a best slot.
    pub min_slot_posts: u64,
    /// False when no file has the inputs of the engagement rate: every value is n/a.
    pub rate_available: bool,
    /// The engagement rate's denominator in words ("reach").
    pub denominator_name: String,
}

impl Patterns {
    /// The cell of `weekday` (Monday = 0) and `hour`.
    pub fn cell(&self, weekday: u32, hour: u32) -> Option<&Bucket> {
        self.cells.get((weekday * 24 + hour) as usize)
    }
}

/// The weekday (Monday = 0) and hour of a post of `day` at `time` seconds after
/// midnight, shifted by `offset_minutes`.
pub fn shifted_slot(day: i32, time: u32, offset_minutes: i64) -> (u32, u32) {
    let t = i64::from(day) * 86_400 + i64::from(time) + offset_minutes * 60;
    let shifted_day = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let wd = weekday(shifted_day.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
    (wd, (secs / 3600) as u32)
}

/// The engagement patterns of the rows `filter` selects, under `settings`.
pub fn patterns(ws: &Workspace, filter: &Filter, settings: &Settings) -> Patterns {
    let p = &ws.posts;
    let er = RowRatio::of(KpiId::EngagementRate, settings, p);
    let offset_hours = if settings.utc_offset_hours.is_finite() {
        settings.utc_offset_hours
    } else {
        0.0
    };
    let offset_minutes = (offset_hours * 60.0).round() as i64;
    let mut cells = vec![Bucket::default(); 7 * 24];
    let mut timed = Bucket::default();
    let mut untimed_rows = 0;
    let mut formats: std::collections::BTreeMap<&str, Bucket> = Default::default();
    let mut tiers: std::collections::BTreeMap<Tier, Bucket> = Default::default();
    let mut untiered_rows = 0;
    // A creator's tier, looked up once per creator code.
    let mut tier_of: Vec<Option<Option<Tier>>> = vec![None; p.creators.len()];
    for r in select_rows(ws, filter) {
        let r = r as usize;
        let parts = er.as_ref().and_then(|er| er.row(p, r));
        formats
            .entry(p.formats.value(p.format[r]))
            .or_default()
            .add(parts);
        let code = p.creator[r] as usize;
        let tier = match tier_of.get(code) {
            Some(Some(t)) => *t,
            _ => {
                let id = p.creators.value(p.creator[r]);
                let t = ws
                    .creator(id)
                    .and_then(|c| creator_tier(c, &settings.tiers));
                if let Some(slot) = tier_of.get_mut(code) {
                    *slot = Some(t);
                }
                t
            }
        };
        match tier {
            Some(t) => tiers.entry(t).or_default().add(parts),
            None => untiered_rows += 1,
        }
        let day = p
            .day
            .get(r)
            .copied()
            .filter(|d| *d != crate::data::store::NO_DAY);
        match (day, p.time_of_day(r)) {
            (Some(day), Some(time)) => {
                let (wd, hour) = shifted_slot(day, time, offset_minutes);
                if let Some(cell) = cells.get_mut((wd * 24 + hour) as usize) {
                    cell.add(parts);
                }
                timed.add(parts);
            }
            _ => untimed_rows += 1,
        }
    }
    let best = if er.is_some() {
        best_slots(&cells)
    } else {
        Vec::new()
    };
    Patterns {
        utc_offset_hours: offset_minutes as f64 / 60.0,
        cells: if timed.posts > 0 { cells } else { Vec::new() },
        timed,
        untimed_rows,
        by_format: formats
            .into_iter()
            .map(|(f, b)| (f.to_owned(), b))
            .collect(),
        by_tier: tiers.into_iter().collect(),
        untiered_rows,
        best,
        min_slot_posts: MIN_SLOT_POSTS,
        rate_available: er.is_some(),
        denominator_name: er.map(|e| e.denominator_name).unwrap_or_default(),
    }
}

/// The two-hour blocks (0–2h, 2–4h, …) of each weekday with at least
/// [`MIN_SLOT_POSTS`] posts and a rate, best rate first, the top [`BEST_SLOTS`].
fn best_slots(cells: &[Bucket]) -> Vec<Slot> {
    let mut slots: Vec<(f64, Slot)> = Vec::new();
    for wd in 0..7u32 {
        for start in (0..24u32).step_by(SLOT_HOURS as usize) {
            let mut bucket = Bucket::default();
            for h in start..start + SLOT_HOURS {
                if let Some(c) = cells.get((wd * 24 + h) as usize) {
                    bucket.merge(c);
                }
            }
            if bucket.posts < MIN_SLOT_POSTS {
                continue;
            }
            if let Some(rate) = bucket.rate() {
                let slot = Slot {
                    weekday: wd,
                    hour: start,
                    hours: SLOT_HOURS,
                    bucket,
                };
                slots.push((rate, slot));
            }
        }
    }
    slots.sort_by(|a, b| b.0.total_cmp(&a.0));
    slots.into_iter().take(BEST_SLOTS).map(|(_, s)| s).collect()
}
