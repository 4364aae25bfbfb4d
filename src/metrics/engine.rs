//! The engine: one pure function from (workspace, filter, settings) to results. One pass
//! over the posts columns fills mergeable [`Sums`] for the whole selection, every group
//! (platform, campaign, creator, format) and every period; post-level KPIs are ratios of
//! those sums, campaign- and creator-level KPIs read the campaigns and creators in scope.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use crate::data::calendar::{Day, Granularity};
use crate::data::schema::{Measure, MEASURE_COUNT};
use crate::data::store::{Campaign, Creator, DisclosureMethod, FastHasher, Workspace};

use super::aggregate::{
    aggregate, Aggregation, Cell, KeysByGroup, Selection, CAMPAIGN, CREATOR, FAMILIES, PERIOD,
};
use super::emv::{emv, PlatformImpressions};
use super::entities::{self, CampaignInScope, CreatorInScope};
use super::registry::{registry, Direction, Eval, KpiDef, KpiId, ENGAGEMENT};
use super::score::influencer_score;
use super::sentiment::{comments_source, SentimentSource};
use super::settings::{ErDenominator, Settings};

/// A KPI's value: a number in the KPI's unit, or why it can't be computed.
/// Never NaN or infinite. In JSON a value is a number and an n/a is `{"na": reason}`
/// (see [`super::value_json`]).
#[derive(Clone, Debug, PartialEq)]
pub enum KpiValue {
    Value(f64),
    NotAvailable { reason: String },
}

impl KpiValue {
    /// The number, if computed.
    pub fn value(&self) -> Option<f64> {
        match self {
            KpiValue::Value(v) => Some(*v),
            KpiValue::NotAvailable { .. } => None,
        }
    }

    /// `n/a` with a reason.
    pub fn na(reason: impl Into<String>) -> KpiValue {
        KpiValue::NotAvailable {
            reason: reason.into(),
        }
    }

    /// `numerator / denominator`, or n/a naming the zero denominator.
    pub fn ratio(numerator: f64, denominator: f64, denominator_name: &str) -> KpiValue {
        if denominator == 0.0 || !denominator.is_finite() || !numerator.is_finite() {
            KpiValue::na(format!(
                "{denominator_name} is 0 in this selection (division by zero)"
            ))
        } else {
            KpiValue::Value(numerator / denominator)
        }
    }
}

/// Which rows are in view. Empty lists mean "all".
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Filter {
    /// First day included. With a date bound set, undated rows are excluded.
    pub from: Option<Day>,
    /// Last day included.
    pub to: Option<Day>,
    /// Platform keys.
    pub platforms: Vec<String>,
    /// Campaign ids.
    pub campaigns: Vec<String>,
    /// Creator ids.
    pub creators: Vec<String>,
    /// Formats.
    pub formats: Vec<String>,
}

impl Filter {
    /// True when a date bound is set.
    pub fn has_date_range(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }
}

/// A grouping dimension of the posts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Platform,
    Campaign,
    Creator,
    Format,
}

impl Dimension {
    /// Every dimension.
    pub const ALL: [Dimension; 4] = [
        Dimension::Platform,
        Dimension::Campaign,
        Dimension::Creator,
        Dimension::Format,
    ];

    /// The lowercase name used in `data-group="<dimension>:<key>"`.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Platform => "platform",
            Dimension::Campaign => "campaign",
            Dimension::Creator => "creator",
            Dimension::Format => "format",
        }
    }
}

/// Mergeable sums of every measure over a set of rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sums {
    /// Σ of each measure over the rows that have it, by `Measure as usize`.
    pub values: Vec<f64>,
    /// Number of rows summed.
    pub rows: u64,
    /// The measures some summed row has (bit `Measure as usize`): a total of a measure
    /// no row has is n/a, not 0 ([`Sums::total`]).
    #[serde(default)]
    pub has: u32,
    /// When some rows lack a measure that others have: the sums of each set of rows
    /// that lack the same measures. Empty when no row lacks anything. A ratio sums its
    /// parts over the rows that have all its inputs ([`Sums::over`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
}

/// The sums of the rows of a [`Sums`] that lack the same measures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// The measures these rows lack (bit `Measure as usize`).
    pub lacks: u32,
    /// Σ of each measure (0 for the lacking ones).
    pub values: Vec<f64>,
    pub rows: u64,
}

/// How many rows of a scope a KPI could use: those that have every input it reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub used: u64,
    /// Rows in the scope.
    pub of: u64,
}

impl Default for Sums {
    fn default() -> Self {
        Sums {
            values: vec![0.0; MEASURE_COUNT],
            rows: 0,
            has: 0,
            parts: Vec::new(),
        }
    }
}

/// The bit set of some measures (as in [`Part::lacks`]).
pub fn measure_bits(measures: &[Measure]) -> u32 {
    measures.iter().fold(0, |bits, &m| bits | 1 << m as usize)
}

impl Sums {
    /// Σ of one measure (over the rows that have it).
    pub fn get(&self, m: Measure) -> f64 {
        self.values[m as usize]
    }

    /// Σ of one measure, or `None` when no summed row has it.
    pub fn total(&self, m: Measure) -> Option<f64> {
        (self.has & (1 << m as usize) != 0).then(|| self.values[m as usize])
    }

    /// Sums of rows that all have the measures of `has` and lack those of `lacks` (a
    /// cell of the engine's pass).
    pub fn with_lacks(values: Vec<f64>, rows: u64, has: u32, lacks: u32) -> Sums {
        let parts = if lacks == 0 || rows == 0 {
            Vec::new()
        } else {
            vec![Part {
                lacks,
                values: values.clone(),
                rows,
            }]
        };
        Sums {
            values,
            rows,
            has: if rows == 0 { 0 } else { has & !lacks },
            parts,
        }
    }

    /// Adds another set of sums (groups merge into the total exactly).
    pub fn merge(&mut self, other: &Sums) {
        if !self.parts.is_empty() || !other.parts.is_empty() {
            if self.parts.is_empty() && self.rows > 0 {
                self.parts.push(Part {
                    lacks: 0,
                    values: self.values.clone(),
                    rows: self.rows,
                });
            }
            if other.parts.is_empty() {
                if other.rows > 0 {
                    self.add_part(0, &other.values, other.rows);
                }
            } else {
                for part in &other.parts {
                    self.add_part(part.lacks, &part.values, part.rows);
                }
            }
        }
        for (a, b) in self.values.iter_mut().zip(&other.values) {
            *a += b;
        }
        self.rows += other.rows;
        self.has |= other.has;
    }

    fn add_part(&mut self, lacks: u32, values: &[f64], rows: u64) {
        match self.parts.iter_mut().find(|p| p.lacks == lacks) {
            Some(part) => {
                for (a, b) in part.values.iter_mut().zip(values) {
                    *a += b;
                }
                part.rows += rows;
            }
            None => self.parts.push(Part {
                lacks,
                values: values.to_vec(),
                rows,
            }),
        }
    }

    /// The sums of the rows that have every measure of `needs` (a [`measure_bits`] set),
    /// with no parts, and how many rows that is.
    pub fn over(&self, needs: u32) -> (std::borrow::Cow<'_, Sums>, u64) {
        if self.parts.is_empty() {
            return (std::borrow::Cow::Borrowed(self), self.rows);
        }
        let mut out = Sums::default();
        for part in self.parts.iter().filter(|p| p.lacks & needs == 0) {
            for (a, b) in out.values.iter_mut().zip(&part.values) {
                *a += b;
            }
            out.rows += part.rows;
            out.has |= self.has & !part.lacks;
        }
        let used = out.rows;
        (std::borrow::Cow::Owned(out), used)
    }

    /// The measures of `needs` that no row of these sums has.
    pub fn lacking_everywhere(&self, needs: u32) -> u32 {
        if self.parts.is_empty() {
            return 0;
        }
        self.parts.iter().fold(needs, |all, p| all & p.lacks)
    }

    /// Σ(likes + comments + shares + saves).
    pub fn engagements(&self) -> f64 {
        self.get(Measure::Likes)
            + self.get(Measure::Comments)
            + self.get(Measure::Shares)
            + self.get(Measure::Saves)
    }
}

/// KPI values in registry order, with the coverage of those computed from posts rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiSet {
    values: Vec<KpiValue>,
    /// Rows in the scope.
    #[serde(default)]
    rows: u64,
    /// Bit `i`: registry entry `i` is computed from posts rows (it has a coverage).
    #[serde(default)]
    covered: u64,
    /// `(registry index, rows used)` of the KPIs that used fewer rows than the scope has.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    partial: Vec<(u32, u64)>,
}

impl KpiSet {
    /// A set with no values (each KPI n/a) for a scope of `rows` rows.
    pub fn empty(rows: u64) -> KpiSet {
        KpiSet {
            values: Vec::new(),
            rows,
            covered: 0,
            partial: Vec::new(),
        }
    }

    /// Builds a set by evaluating `f` for every registry entry (no coverage).
    pub fn from_fn(mut f: impl FnMut(&KpiDef) -> KpiValue) -> KpiSet {
        Self::with_coverage(0, |def| (f(def), None))
    }

    /// Builds a set by evaluating `f`, which also gives the rows each KPI used, for
    /// every registry entry of a scope of `rows` rows.
    pub fn with_coverage(
        rows: u64,
        mut f: impl FnMut(&KpiDef) -> (KpiValue, Option<u64>),
    ) -> KpiSet {
        let mut set = KpiSet {
            values: Vec::with_capacity(registry().len()),
            rows,
            covered: 0,
            partial: Vec::new(),
        };
        for (i, def) in registry().iter().enumerate() {
            let (value, used) = f(def);
            set.values.push(value);
            if let Some(used) = used {
                set.covered |= 1 << i;
                if used < rows {
                    set.partial.push((i as u32, used));
                }
            }
        }
        set
    }

    /// The value of a KPI (n/a when this set has none for it).
    pub fn get(&self, id: KpiId) -> KpiValue {
        self.values
            .get(id as usize)
            .cloned()
            .unwrap_or_else(|| KpiValue::na(format!("no value for {id} in this set")))
    }

    /// How many of the scope's rows a KPI computed from posts rows used; `None` for
    /// the others.
    pub fn coverage(&self, id: KpiId) -> Option<Coverage> {
        let i = id as usize;
        if i >= 64 || self.covered & (1 << i) == 0 {
            return None;
        }
        let used = self
            .partial
            .iter()
            .find(|(k, _)| *k as usize == i)
            .map_or(self.rows, |(_, used)| *used);
        Some(Coverage {
            used,
            of: self.rows,
        })
    }

    /// Every (definition, value) pair in registry order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static KpiDef, &KpiValue)> {
        registry().iter().zip(self.values.iter())
    }
}

/// The KPIs of one group (one platform, campaign, creator or format).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    pub dimension: Dimension,
    /// The key (platform key, campaign id, …); `""` for rows without one.
    pub key: String,
    pub sums: Sums,
    pub kpis: KpiSet,
    /// Conversion-weighted site AOV of the group's campaigns (resolves AOV's target).
    #[serde(default)]
    pub site_aov: Option<f64>,
}

/// The KPIs of one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodResult {
    /// First day of the period.
    pub start: Day,
    pub label: String,
    pub sums: Sums,
    pub kpis: KpiSet,
    /// Conversion-weighted site AOV of the period's campaigns.
    #[serde(default)]
    pub site_aov: Option<f64>,
}

/// Everything the views need for one filter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub overall: KpiSet,
    pub overall_sums: Sums,
    /// Every group of every dimension that has rows in view.
    pub groups: Vec<GroupResult>,
    /// Periods in view at the requested granularity, oldest first (undated rows excluded).
    pub periods: Vec<PeriodResult>,
    pub granularity: Granularity,
    /// Rows in view, and how many of them have no date.
    pub rows_in_view: usize,
    pub undated_rows_in_view: usize,
    /// Where comment sentiment came from (shown next to the KPI).
    #[serde(default)]
    pub sentiment_source: SentimentSource,
    /// How post disclosure was obtained (shown next to FTC compliance).
    #[serde(default)]
    pub disclosure_method: DisclosureMethod,
    /// The engagement-rate denominator used (shown wherever the rate is).
    #[serde(default)]
    pub er_denominator: ErDenominator,
    /// Conversion-weighted site AOV of the campaigns in view: AOV's target is this + 15%
    /// (see `targets::resolved_target`).
    #[serde(default)]
    pub site_aov: Option<f64>,
    /// The as-of day budget pacing used (Settings, else the last date in the data).
    #[serde(default)]
    pub as_of: Option<Day>,
    /// The measures some loaded posts row has (bit `Measure as usize`), whatever the
    /// filter: what [`super::parts::ratio_parts`] reads.
    #[serde(default)]
    pub measures: u32,
}

impl Results {
    /// The groups of one dimension.
    pub fn groups_of(&self, dimension: Dimension) -> impl Iterator<Item = &GroupResult> {
        self.groups.iter().filter(move |g| g.dimension == dimension)
    }

    /// One group.
    pub fn group(&self, dimension: Dimension, key: &str) -> Option<&GroupResult> {
        self.groups_of(dimension).find(|g| g.key == key)
    }

    /// The groups of a dimension with a value for `kpi_id`, best first (by the KPI's
    /// direction; within-range KPIs by distance to 1). Take the head for a top list and
    /// the tail for a bottom list. Groups without a key are left out.
    pub fn ranked(&self, dimension: Dimension, kpi_id: KpiId) -> Vec<(&GroupResult, f64)> {
        let direction = kpi_id.def().direction;
        let mut ranked: Vec<(&GroupResult, f64)> = self
            .groups_of(dimension)
            .filter(|g| !g.key.is_empty())
            .filter_map(|g| Some((g, g.kpis.get(kpi_id).value()?)))
            .collect();
        let badness = |v: f64| match direction {
            Direction::LowerIsBetter => v,
            Direction::WithinRange => (v - 1.0).abs(),
            Direction::HigherIsBetter => -v,
        };
        ranked.sort_by(|a, b| badness(a.1).total_cmp(&badness(b.1)));
        ranked
    }
}

/// Row indices of the posts that pass the filter (a selection vector).
pub fn select_rows(ws: &Workspace, filter: &Filter) -> Vec<u32> {
    Selection::new(&ws.posts, filter).rows(&ws.posts.day)
}

/// Computes every KPI for the rows that pass `filter`, overall, per group and per period.
/// Results are memoised with the posts table, keyed by the filter, settings, granularity
/// The results of no rows: every KPI n/a with its reason (what a view shows before
/// its first answer).
impl Default for Results {
    fn default() -> Results {
        compute_uncached(
            &Workspace::default(),
            &Filter::default(),
            &Settings::default(),
            Granularity::Month,
        )
    }
}

/// and the other tables, so going back to a filter seen before is instant.
pub fn compute(
    ws: &Workspace,
    filter: &Filter,
    settings: &Settings,
    granularity: Granularity,
) -> Results {
    let key = memo_key(ws, filter, settings, granularity);
    ws.posts
        .key_index()
        .memo(key, || compute_uncached(ws, filter, settings, granularity))
}

/// A hash of every input of [`compute`] besides the posts table. The small tables are
/// hashed by content (they can be updated in place by a load); comments, which a load
/// only appends to, by count.
fn memo_key(ws: &Workspace, filter: &Filter, settings: &Settings, granularity: Granularity) -> u64 {
    let mut h = FastHasher::default();
    filter.hash(&mut h);
    granularity.name().hash(&mut h);
    settings.key().hash(&mut h);
    for part in [
        serde_json::to_string(&ws.campaigns),
        serde_json::to_string(&ws.creators),
        serde_json::to_string(&ws.assets),
    ] {
        part.unwrap_or_default().hash(&mut h);
    }
    ws.comments.len().hash(&mut h);
    h.finish()
}

/// [`compute`] with the KPIs evaluated only overall: every group and period carries
/// its sums, and its `kpis` are empty (each n/a). What the comparison's day series and
/// the "why it moved" split read, at a fraction of the cost of evaluating every KPI
/// for every day and group. Memoised like [`compute`].
pub fn compute_sums(
    ws: &Workspace,
    filter: &Filter,
    settings: &Settings,
    granularity: Granularity,
) -> Results {
    let mut h = FastHasher::default();
    memo_key(ws, filter, settings, granularity).hash(&mut h);
    "sums only".hash(&mut h);
    ws.posts.key_index().memo(h.finish(), || {
        evaluate_results(ws, filter, settings, granularity, Detail::SumsOnly)
    })
}

/// The sums of the rows `filter` selects, by day, oldest first (days without rows and
/// undated rows left out): a light pass for day series (the variation flag), far
/// cheaper than [`compute`] at [`Granularity::Day`].
pub fn day_sums(ws: &Workspace, filter: &Filter) -> Vec<(Day, Sums)> {
    let selection = Selection::new(&ws.posts, filter);
    super::aggregate::day_sums(&ws.posts, &selection)
}

/// How much of a [`Results`] to evaluate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Every KPI of the view, of each group and of each period.
    Full,
    /// The view's KPIs; groups and periods carry their sums only.
    SumsOnly,
}

/// [`compute`] without the memo (what the benchmark times).
pub fn compute_uncached(
    ws: &Workspace,
    filter: &Filter,
    settings: &Settings,
    granularity: Granularity,
) -> Results {
    evaluate_results(ws, filter, settings, granularity, Detail::Full)
}

fn evaluate_results(
    ws: &Workspace,
    filter: &Filter,
    settings: &Settings,
    granularity: Granularity,
    detail: Detail,
) -> Results {
    let p = &ws.posts;
    let selection = Selection::new(p, filter);
    let ctx = Context::new(ws, settings);
    let agg = aggregate(ws, &selection, granularity, ctx.er.0, ctx.sentiment);
    let dicts = [&p.platforms, &p.campaigns, &p.creators, &p.formats];

    let mut groups = Vec::new();
    for (family, dim) in Dimension::ALL.into_iter().enumerate() {
        for (code, sums) in agg.sums[family].iter().enumerate() {
            if sums.rows == 0 {
                continue;
            }
            let (kpis, site_aov) = match detail {
                Detail::Full => ctx.evaluate(sums, &ctx.members(&agg, family, code)),
                Detail::SumsOnly => (KpiSet::empty(sums.rows), None),
            };
            groups.push(GroupResult {
                dimension: dim,
                key: dicts[family].value(code as u32).to_owned(),
                sums: sums.clone(),
                kpis,
                site_aov,
            });
        }
    }
    let periods = agg.period_starts.iter().enumerate().map(|(i, &start)| {
        let sums = &agg.sums[PERIOD][i];
        let (kpis, site_aov) = match detail {
            Detail::Full => ctx.evaluate(sums, &ctx.members(&agg, PERIOD, i)),
            Detail::SumsOnly => (KpiSet::empty(sums.rows), None),
        };
        PeriodResult {
            start,
            label: granularity.label(start),
            sums: sums.clone(),
            kpis,
            site_aov,
        }
    });
    let periods = periods.collect();
    let overall_members = if p.is_empty() {
        Members {
            campaigns: entities::campaigns_matching(ws, filter),
            creators: entities::creators_matching(ws, filter),
            platforms: Vec::new(),
        }
    } else {
        ctx.overall_members(&agg)
    };
    let (overall, site_aov) = ctx.evaluate(&agg.overall, &overall_members);
    Results {
        overall,
        overall_sums: agg.overall,
        groups,
        periods,
        granularity,
        rows_in_view: agg.rows,
        undated_rows_in_view: agg.undated,
        sentiment_source: ctx.sentiment,
        disclosure_method: p.disclosure_method,
        er_denominator: settings.er_denominator,
        site_aov,
        as_of: ctx.as_of,
        measures: Measure::ALL
            .into_iter()
            .filter(|m| p.has(*m))
            .fold(0, |bits, m| bits | 1 << m as usize),
    }
}

/// One platform of a scope with its engagement flows.
#[derive(Clone, Copy, Debug)]
struct PlatformInScope<'a> {
    key: &'a str,
    rows: f64,
    /// Rows that have every engagement-rate input.
    er_rows: f64,
    engagements: f64,
    denominator: f64,
    impressions: f64,
}

/// The campaigns, creators and platforms with rows in one scope.
struct Members<'a> {
    campaigns: Vec<CampaignInScope<'a>>,
    creators: Vec<CreatorInScope<'a>>,
    platforms: Vec<PlatformInScope<'a>>,
}

/// What every KPI evaluation of one `compute` call shares.
struct Context<'a> {
    ws: &'a Workspace,
    settings: &'a Settings,
    /// The ER denominator measure and its name.
    er: (Measure, &'static str),
    sentiment: SentimentSource,
    as_of: Option<Day>,
    campaign_rows: HashMap<&'a str, &'a Campaign>,
    creator_rows: HashMap<&'a str, &'a Creator>,
    /// By creator code: the platform of most of the creator's rows in the workspace.
    main_platform: Vec<Option<&'a str>>,
    /// The rows the KPI being evaluated used (set by the helpers that read posts sums).
    used: std::cell::Cell<Option<u64>>,
}

impl<'a> Context<'a> {
    fn new(ws: &'a Workspace, settings: &'a Settings) -> Context<'a> {
        let p = &ws.posts;
        let counts = [
            Measure::CommentsPositive,
            Measure::CommentsNeutral,
            Measure::CommentsNegative,
        ];
        let sentiment = if counts.iter().any(|m| p.has(*m)) {
            SentimentSource::PostCounts
        } else {
            comments_source(&ws.comments)
        };
        Context {
            ws,
            settings,
            er: settings.er_denominator.measure(),
            sentiment,
            as_of: settings
                .as_of
                .or_else(|| p.key_index().day_span.map(|(_, last)| last)),
            campaign_rows: ws
                .campaigns
                .iter()
                .map(|c| (c.campaign_id.as_str(), c))
                .collect(),
            creator_rows: ws
                .creators
                .iter()
                .map(|c| (c.creator_id.as_str(), c))
                .collect(),
            main_platform: main_platforms(p),
            used: std::cell::Cell::new(None),
        }
    }

    fn campaigns(&self, keys: &[(u32, Cell)]) -> Vec<CampaignInScope<'a>> {
        keys.iter()
            .map(|&(code, [_, cost, new_customers, conversions, _, _])| {
                let id = self.ws.posts.campaigns.value(code);
                CampaignInScope {
                    id,
                    row: self.campaign_rows.get(id).copied(),
                    cost,
                    new_customers,
                    conversions,
                }
            })
            .filter(|c| !c.id.is_empty())
            .collect()
    }

    fn creators(&self, keys: &[(u32, Cell)]) -> Vec<CreatorInScope<'a>> {
        keys.iter()
            .map(
                |&(code, [rows, engagements, er_denominator, conversions, clicks, er_rows])| {
                    let id = self.ws.posts.creators.value(code);
                    let row = self.creator_rows.get(id).copied();
                    CreatorInScope {
                        id,
                        row,
                        platform: row
                            .and_then(|c| c.platform.as_deref())
                            .or_else(|| self.main_platform.get(code as usize).copied().flatten()),
                        rows,
                        er_rows,
                        engagements,
                        er_denominator,
                        conversions,
                        clicks,
                    }
                },
            )
            .filter(|c| !c.id.is_empty())
            .collect()
    }

    fn platforms(&self, keys: &[(u32, Cell)]) -> Vec<PlatformInScope<'a>> {
        keys.iter()
            .map(
                |&(code, [rows, engagements, denominator, impressions, _, er_rows])| {
                    PlatformInScope {
                        key: self.ws.posts.platforms.value(code),
                        rows,
                        er_rows,
                        engagements,
                        denominator,
                        impressions,
                    }
                },
            )
            .collect()
    }

    /// The members of group `g` of a family.
    fn members(&self, agg: &Aggregation, family: usize, g: usize) -> Members<'a> {
        let at = |tab: &[KeysByGroup; FAMILIES]| tab[family].get(g).cloned().unwrap_or_default();
        Members {
            campaigns: self.campaigns(&at(&agg.campaigns)),
            creators: self.creators(&at(&agg.creators)),
            platforms: self.platforms(&at(&agg.platforms)),
        }
    }

    /// The members of the whole view: every group with rows.
    fn overall_members(&self, agg: &Aggregation) -> Members<'a> {
        let all = |tab: &[KeysByGroup; FAMILIES], family: usize| -> Vec<(u32, Cell)> {
            tab[family].iter().flatten().copied().collect()
        };
        Members {
            campaigns: self.campaigns(&all(&agg.campaigns, CAMPAIGN)),
            creators: self.creators(&all(&agg.creators, CREATOR)),
            platforms: self.platforms(&all(&agg.platforms, super::aggregate::PLATFORM)),
        }
    }

    /// The influencer score of one creator from their rows in the scope.
    fn creator_score(&self, c: &CreatorInScope) -> KpiValue {
        let rows = c.rows as u64;
        let conversion_rate = if let Some(na) = self.need(&[Measure::Conversions, Measure::Clicks])
        {
            na
        } else if rows == 0 {
            KpiValue::na("no posts in view")
        } else {
            KpiValue::ratio(c.conversions, c.clicks, "clicks")
        };
        influencer_score(
            &self.engagement_rate(c.engagements, c.er_denominator, rows, c.er_rows as u64),
            &conversion_rate,
            c.row.and_then(|r| r.brand_fit),
            c.platform,
            self.settings,
        )
    }

    /// Mean influencer score over the creators in scope that can be scored.
    fn mean_score(&self, creators: &[CreatorInScope]) -> KpiValue {
        if creators.is_empty() {
            return KpiValue::na("no creators in view");
        }
        let scores: Vec<KpiValue> = creators.iter().map(|c| self.creator_score(c)).collect();
        let values: Vec<f64> = scores.iter().filter_map(KpiValue::value).collect();
        if values.is_empty() {
            let reason = scores
                .into_iter()
                .find_map(|s| match s {
                    KpiValue::NotAvailable { reason } => Some(reason),
                    KpiValue::Value(_) => None,
                })
                .unwrap_or_default();
            return KpiValue::na(format!("no creator can be scored: {reason}"));
        }
        KpiValue::Value(values.iter().sum::<f64>() / values.len() as f64)
    }

    /// n/a naming the measures the posts table lacks, if any.
    fn need(&self, measures: &[Measure]) -> Option<KpiValue> {
        let missing: Vec<&str> = measures
            .iter()
            .filter(|m| !self.ws.posts.has(**m))
            .map(|m| m.column())
            .collect();
        (!missing.is_empty()).then(|| needs_columns(&missing))
    }

    /// n/a for a scope none of whose rows has every measure of `needs`, naming what
    /// no row has.
    fn none_report(&self, sums: &Sums, needs: &[Measure]) -> KpiValue {
        let lacking = sums.lacking_everywhere(measure_bits(needs));
        let names: Vec<&str> = needs
            .iter()
            .filter(|m| lacking & (1 << **m as usize) != 0)
            .map(|m| m.column())
            .collect();
        if names.is_empty() {
            let all: Vec<&str> = needs.iter().map(|m| m.column()).collect();
            KpiValue::na(format!(
                "no post in view reports {} together",
                all.join(" and ")
            ))
        } else {
            KpiValue::na(format!("no post in view reports {}", names.join(" or ")))
        }
    }

    /// The sums of the rows of a scope that have every measure of `needs`, or the n/a
    /// that says why there are none; records the rows used.
    fn rows_with<'s>(
        &self,
        sums: &'s Sums,
        needs: &[Measure],
    ) -> Result<std::borrow::Cow<'s, Sums>, KpiValue> {
        if let Some(na) = self.need(needs) {
            return Err(na);
        }
        if sums.rows == 0 {
            self.used.set(Some(0));
            return Err(KpiValue::na("no posts in view"));
        }
        let (over, used) = sums.over(measure_bits(needs));
        self.used.set(Some(used));
        if used == 0 {
            return Err(self.none_report(sums, needs));
        }
        Ok(over)
    }

    /// Σnumerators / Σdenominator over the scope's rows that have all of them.
    fn ratio(&self, sums: &Sums, num: &[Measure], den: Measure, den_name: &str) -> KpiValue {
        let mut all = num.to_vec();
        all.push(den);
        match self.rows_with(sums, &all) {
            Ok(s) => {
                let n: f64 = num.iter().map(|m| s.get(*m)).sum();
                KpiValue::ratio(n, s.get(den), den_name)
            }
            Err(na) => na,
        }
    }

    /// A Σ of one measure over the scope's rows that have it.
    fn total(&self, sums: &Sums, m: Measure) -> KpiValue {
        match self.rows_with(sums, &[m]) {
            Ok(s) if s.get(m).is_finite() => KpiValue::Value(s.get(m)),
            Ok(_) => KpiValue::na(format!("the sum of {} overflowed", m.column())),
            Err(na) => na,
        }
    }

    /// Engagements / the ER denominator, from a cross-tab's flows (`er_rows`: the rows
    /// that have every input).
    fn engagement_rate(
        &self,
        engagements: f64,
        denominator: f64,
        rows: u64,
        er_rows: u64,
    ) -> KpiValue {
        let p = &self.ws.posts;
        if !ENGAGEMENT.iter().any(|m| p.has(*m)) {
            return no_engagement_columns();
        }
        if let Some(na) = self.need(&[self.er.0]) {
            return na;
        }
        if rows == 0 {
            return KpiValue::na("no posts in view");
        }
        if er_rows == 0 {
            return KpiValue::na(format!(
                "no post in view reports {} with its engagements",
                self.er.0.column()
            ));
        }
        KpiValue::ratio(engagements, denominator, self.er.1)
    }

    /// `value` of the sums of the scope's rows that have `other` and every engagement
    /// column the workspace has. Engagement columns that no file has count as 0, but at
    /// least one of them must be present.
    fn engagement_ratio(
        &self,
        sums: &Sums,
        other: Measure,
        value: impl FnOnce(&Sums) -> KpiValue,
    ) -> KpiValue {
        let p = &self.ws.posts;
        if !ENGAGEMENT.iter().any(|m| p.has(*m)) {
            return no_engagement_columns();
        }
        let mut needs: Vec<Measure> = ENGAGEMENT.into_iter().filter(|m| p.has(*m)).collect();
        needs.push(other);
        match self.rows_with(sums, &needs) {
            Ok(s) => value(&s),
            Err(na) => na,
        }
    }

    /// Every KPI of one scope, and the scope's site AOV.
    fn evaluate(&self, sums: &Sums, members: &Members<'a>) -> (KpiSet, Option<f64>) {
        let site_aov = entities::site_aov(&members.campaigns);
        let kpis = KpiSet::with_coverage(sums.rows, |def| {
            self.used.set(None);
            let value = self.kpi(def, sums, members);
            (value, self.used.take())
        });
        (kpis, site_aov)
    }

    /// One KPI of one scope, as its registry entry's [`Eval`] says (the rows it used
    /// are left in `self.used`).
    fn kpi(&self, def: &KpiDef, sums: &Sums, members: &Members<'a>) -> KpiValue {
        let campaigns = &members.campaigns;
        let creators = &members.creators;
        // The other tables' columns the entry needs, as its n/a names them.
        let columns = || def.columns.join(", ");
        match def.eval {
            Eval::Ratio { num, den, den_name } => self.ratio(sums, &[num], den, den_name),
            Eval::PerThousand { num, den, den_name } => {
                match self.ratio(sums, &[num], den, den_name) {
                    KpiValue::Value(v) => KpiValue::Value(v * 1000.0),
                    na => na,
                }
            }
            Eval::Share {
                part,
                rest,
                den_name,
            } => match self.rows_with(sums, &[part, rest]) {
                Ok(s) => KpiValue::ratio(s.get(part), s.get(part) + s.get(rest), den_name),
                Err(na) => na,
            },
            Eval::Total(m) => self.total(sums, m),
            Eval::PerCampaign(m) => match self.total(sums, m) {
                KpiValue::Value(_) if campaigns.is_empty() => {
                    KpiValue::na("no post in view belongs to a campaign")
                }
                KpiValue::Value(total) => KpiValue::ratio(
                    total,
                    campaigns.len() as f64,
                    "the number of campaigns with posts",
                ),
                na => na,
            },
            Eval::EngagementRate => {
                let (den, den_name) = self.er;
                self.engagement_ratio(sums, den, |s| {
                    KpiValue::ratio(s.engagements(), s.get(den), den_name)
                })
            }
            Eval::PlatformEngagementRate(key) => self.platform_engagement(key, members),
            Eval::EngagementsPer { den, den_name } => self.engagement_ratio(sums, den, |s| {
                KpiValue::ratio(s.engagements(), s.get(den), den_name)
            }),
            Eval::PerEngagement(m) => self.engagement_ratio(sums, m, |s| {
                KpiValue::ratio(s.get(m), s.engagements(), "engagements")
            }),
            Eval::CommentSentiment => self.comment_sentiment(sums),
            Eval::FtcCompliance => self.ftc_compliance(sums),
            Eval::Emv => self.emv(sums, members),
            Eval::ClvRatio => match entities::weighted_clv(campaigns, &columns()) {
                KpiValue::Value(clv) => {
                    // CPA as its own entry computes it; the ratio has no posts-row
                    // coverage of its own.
                    let cpa = self.kpi(KpiId::Cpa.def(), sums, members);
                    self.used.set(None);
                    match cpa {
                        KpiValue::Value(cpa) => KpiValue::ratio(clv, cpa, "CPA"),
                        na => na,
                    }
                }
                KpiValue::NotAvailable { reason } => KpiValue::na(format!("CLV: {reason}")),
            },
            Eval::BudgetPacing => {
                let has_cost = self.ws.posts.has(Measure::Cost);
                entities::budget_pacing(campaigns, self.as_of, has_cost, &columns())
            }
            Eval::InfluencerScore => self.mean_score(creators),
            Eval::Campaigns(f) => f(campaigns, &columns()),
            Eval::Creators(f) => f(creators, &columns()),
            Eval::AssetApprovalHours => {
                entities::asset_approval_hours(self.ws, campaigns, creators, &columns())
            }
        }
    }

    /// Disclosed / sponsored posts with a known disclosure status. Only sponsored posts
    /// are judged (see `PostRow::is_sponsored`); organic ones have no disclosure counts.
    fn ftc_compliance(&self, sums: &Sums) -> KpiValue {
        use Measure::{DisclosedPosts, DisclosureKnownPosts};
        const NONE_SPONSORED: &str = "no sponsored post in view (disclosure is judged on posts in a campaign, with a cost or marked as a paid partnership)";
        let p = &self.ws.posts;
        if !p.has(DisclosureKnownPosts) {
            return if p.disclosure_method == DisclosureMethod::None {
                KpiValue::na("needs column(s): disclosed (or captions to detect it from)")
            } else {
                KpiValue::na(NONE_SPONSORED)
            };
        }
        match self.ratio(
            sums,
            &[DisclosedPosts],
            DisclosureKnownPosts,
            "posts with a known disclosure status",
        ) {
            KpiValue::NotAvailable { .. } if sums.rows > 0 && self.used.get() == Some(0) => {
                KpiValue::na(NONE_SPONSORED)
            }
            value => value,
        }
    }

    /// The engagement rate over one platform's rows in the scope.
    fn platform_engagement(&self, key: &str, members: &Members) -> KpiValue {
        match members.platforms.iter().find(|p| p.key == key) {
            Some(p) => self.engagement_rate(
                p.engagements,
                p.denominator,
                p.rows as u64,
                p.er_rows as u64,
            ),
            None => KpiValue::na(format!("no {key} posts in view")),
        }
    }

    /// Positive / (positive + neutral + negative) from the counts the sums carry.
    fn comment_sentiment(&self, sums: &Sums) -> KpiValue {
        use Measure::{CommentsNegative, CommentsNeutral, CommentsPositive};
        if self.sentiment == SentimentSource::None {
            return KpiValue::na(
                "needs column(s): comments_positive, comments_neutral, comments_negative (or a comments table with sentiment labels or text)",
            );
        }
        if sums.rows == 0 {
            return KpiValue::na("no posts in view");
        }
        let positive = sums.get(CommentsPositive);
        let all = positive + sums.get(CommentsNeutral) + sums.get(CommentsNegative);
        KpiValue::ratio(positive, all, "classified comments")
    }

    fn emv(&self, sums: &Sums, members: &Members) -> KpiValue {
        if sums.rows == 0 {
            return KpiValue::na("no posts in view");
        }
        let platforms: Vec<PlatformImpressions> = members
            .platforms
            .iter()
            .map(|p| PlatformImpressions {
                platform: p.key,
                impressions: p.impressions,
            })
            .collect();
        emv(&self.ws.posts, sums, &platforms, self.settings)
    }
}

/// By creator code, the platform of most of the creator's posts rows (whole workspace,
/// so it does not move with the filter). `None` when the table is too wide to count.
fn main_platforms(p: &crate::data::store::Posts) -> Vec<Option<&str>> {
    let (creators, platforms) = (p.creators.len(), p.platforms.len());
    if creators.saturating_mul(platforms) > 1 << 24 {
        return vec![None; creators];
    }
    let index = p.key_index();
    let mut counts = vec![0u64; creators * platforms];
    for (&[platform, _, creator, _], &rows) in index.combos.iter().zip(&index.combo_rows) {
        if let Some(n) = counts.get_mut(creator as usize * platforms + platform as usize) {
            *n += rows;
        }
    }
    counts
        .chunks(platforms.max(1))
        .map(|row| {
            let (best, n) = row
                .iter()
                .enumerate()
                .max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))?;
            (*n > 0).then(|| p.platforms.value(best as u32))
        })
        .take(creators)
        .collect()
}

/// `n/a: needs column(s): likes, comments, shares, saves`: no engagement column at all.
fn no_engagement_columns() -> KpiValue {
    needs_columns(&ENGAGEMENT.map(Measure::column))
}

/// `n/a: needs column(s): a, b`.
pub fn needs_columns(columns: &[&str]) -> KpiValue {
    KpiValue::na(format!("needs column(s): {}", columns.join(", ")))
}
