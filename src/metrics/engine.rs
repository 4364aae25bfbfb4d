//! The engine: one pure function from (workspace, filter, settings) to results. One pass
//! over the posts columns fills mergeable [`Sums`] for the whole selection, every group
//! (platform, campaign, creator, format) and every period; KPIs are ratios of those sums.

use serde::{Deserialize, Serialize};

use crate::data::calendar::{Day, Granularity};
use crate::data::schema::{Measure, MEASURE_COUNT};
use crate::data::store::{Workspace, NO_DAY};

use super::registry::{registry, KpiDef};
use super::settings::Settings;

/// A KPI's value: a number in the KPI's unit, or why it can't be computed.
/// Never NaN or infinite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Σ of each measure, by `Measure as usize`.
    pub values: Vec<f64>,
    /// Number of rows summed.
    pub rows: u64,
}

impl Default for Sums {
    fn default() -> Self {
        Sums {
            values: vec![0.0; MEASURE_COUNT],
            rows: 0,
        }
    }
}

impl Sums {
    /// Σ of one measure.
    pub fn get(&self, m: Measure) -> f64 {
        self.values[m as usize]
    }

    /// Adds another set of sums (groups merge into the total exactly).
    pub fn merge(&mut self, other: &Sums) {
        for (a, b) in self.values.iter_mut().zip(&other.values) {
            *a += b;
        }
        self.rows += other.rows;
    }

    /// Σ(likes + comments + shares + saves).
    pub fn engagements(&self) -> f64 {
        self.get(Measure::Likes)
            + self.get(Measure::Comments)
            + self.get(Measure::Shares)
            + self.get(Measure::Saves)
    }
}

/// KPI values in registry order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KpiSet {
    values: Vec<KpiValue>,
}

impl KpiSet {
    /// Builds a set by evaluating `f` for every registry entry.
    pub fn from_fn(mut f: impl FnMut(&KpiDef) -> KpiValue) -> KpiSet {
        KpiSet {
            values: registry().iter().map(&mut f).collect(),
        }
    }

    /// The value of a KPI (n/a for an unknown id).
    pub fn get(&self, id: &str) -> KpiValue {
        registry()
            .iter()
            .position(|k| k.id == id)
            .and_then(|i| self.values.get(i).cloned())
            .unwrap_or_else(|| KpiValue::na(format!("unknown KPI {id}")))
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
}

/// The KPIs of one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodResult {
    /// First day of the period.
    pub start: Day,
    pub label: String,
    pub sums: Sums,
    pub kpis: KpiSet,
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
}

/// Codes of the dictionary values a filter list selects; `None` = no restriction.
fn selected_codes(values: &[String], dict: &crate::data::store::Dict) -> Option<Vec<bool>> {
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

/// Row indices of the posts that pass the filter (a selection vector).
pub fn select_rows(ws: &Workspace, filter: &Filter) -> Vec<u32> {
    let p = &ws.posts;
    let platforms = selected_codes(&filter.platforms, &p.platforms);
    let campaigns = selected_codes(&filter.campaigns, &p.campaigns);
    let creators = selected_codes(&filter.creators, &p.creators);
    let formats = selected_codes(&filter.formats, &p.formats);
    let (from, to) = (
        filter.from.unwrap_or(Day::MIN + 1),
        filter.to.unwrap_or(Day::MAX),
    );
    let dated_only = filter.has_date_range();
    let passes =
        |codes: &Option<Vec<bool>>, code: u32| codes.as_ref().is_none_or(|k| k[code as usize]);
    (0..p.len())
        .filter(|&i| {
            let day = p.day[i];
            (!dated_only || (day != NO_DAY && day >= from && day <= to))
                && passes(&platforms, p.platform[i])
                && passes(&campaigns, p.campaign[i])
                && passes(&creators, p.creator[i])
                && passes(&formats, p.format[i])
        })
        .map(|i| i as u32)
        .collect()
}

/// Computes every KPI for the rows that pass `filter`, overall, per group and per period.
pub fn compute(
    ws: &Workspace,
    filter: &Filter,
    settings: &Settings,
    granularity: Granularity,
) -> Results {
    let p = &ws.posts;
    let rows = select_rows(ws, filter);
    let dicts = [&p.platforms, &p.campaigns, &p.creators, &p.formats];
    let codes = [&p.platform, &p.campaign, &p.creator, &p.format];
    let mut overall = Sums::default();
    let mut by_dim: Vec<Vec<Sums>> = dicts
        .iter()
        .map(|d| vec![Sums::default(); d.len()])
        .collect();
    let mut by_period: std::collections::BTreeMap<Day, Sums> = Default::default();
    let mut undated = 0;
    for &r in &rows {
        let r = r as usize;
        let day = p.day[r];
        let period = if day == NO_DAY {
            undated += 1;
            None
        } else {
            Some(by_period.entry(granularity.period_start(day)).or_default())
        };
        let mut targets: Vec<&mut Sums> = Vec::with_capacity(6);
        targets.push(&mut overall);
        for (d, sums) in by_dim.iter_mut().enumerate() {
            // Safe: each dimension vector is distinct.
            targets.push(&mut sums[codes[d][r] as usize]);
        }
        if let Some(s) = period {
            targets.push(s);
        }
        for t in targets {
            for (m, col) in p.measures.iter().enumerate() {
                t.values[m] += col[r];
            }
            t.rows += 1;
        }
    }
    let kpis_for = |sums: &Sums, scope: &Scope| kpis_from_sums(ws, sums, scope, settings);
    let mut groups = Vec::new();
    for (d, dim) in Dimension::ALL.into_iter().enumerate() {
        for (code, sums) in by_dim[d].iter().enumerate() {
            if sums.rows == 0 {
                continue;
            }
            let key = dicts[d].value(code as u32).to_owned();
            let scope = Scope::Group(dim, key.clone());
            groups.push(GroupResult {
                dimension: dim,
                kpis: kpis_for(sums, &scope),
                key,
                sums: sums.clone(),
            });
        }
    }
    let periods = by_period
        .into_iter()
        .map(|(start, sums)| PeriodResult {
            start,
            label: granularity.label(start),
            kpis: kpis_for(&sums, &Scope::Period),
            sums,
        })
        .collect();
    Results {
        overall: kpis_for(&overall, &Scope::Overall(filter.clone())),
        overall_sums: overall,
        groups,
        periods,
        granularity,
        rows_in_view: rows.len(),
        undated_rows_in_view: undated,
    }
}

/// What a set of sums covers (campaign- and creator-level KPIs depend on it).
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    Overall(Filter),
    Group(Dimension, String),
    Period,
}

/// Every KPI from a set of sums.
pub fn kpis_from_sums(ws: &Workspace, sums: &Sums, _scope: &Scope, settings: &Settings) -> KpiSet {
    let posts = &ws.posts;
    let need = |ms: &[Measure]| -> Option<KpiValue> {
        let missing: Vec<&str> = ms
            .iter()
            .filter(|m| !posts.has(**m))
            .map(|m| m.column())
            .collect();
        (!missing.is_empty())
            .then(|| KpiValue::na(format!("needs column(s): {}", missing.join(", "))))
    };
    let ratio = |num: &[Measure], den: Measure, den_name: &str| -> KpiValue {
        let mut all = num.to_vec();
        all.push(den);
        if let Some(na) = need(&all) {
            return na;
        }
        let n: f64 = num.iter().map(|m| sums.get(*m)).sum();
        KpiValue::ratio(n, sums.get(den), den_name)
    };
    use Measure::*;
    const ENG: [Measure; 4] = [Likes, Comments, Shares, Saves];
    KpiSet::from_fn(|def| match def.id {
        "engagement_rate" => {
            let (den, name) = settings.er_denominator.measure();
            ratio(&ENG, den, name)
        }
        "avg_engagement_per_post" => ratio(&ENG, PostCount, "post count"),
        "ctr" => ratio(&[Clicks], Impressions, "impressions"),
        "conversion_rate" => ratio(&[Conversions], Clicks, "clicks"),
        "aov" => ratio(&[Revenue], Conversions, "conversions"),
        "cpl" => ratio(&[Cost], Leads, "leads"),
        "lead_quality" => ratio(&[Sqls], Leads, "leads"),
        "roas" => ratio(&[Revenue], Cost, "cost"),
        "cpa" => ratio(&[Cost], NewCustomers, "new customers"),
        "cpm" => match ratio(&[Cost], Impressions, "impressions") {
            KpiValue::Value(v) => KpiValue::Value(v * 1000.0),
            na => na,
        },
        "cpv" => ratio(&[Cost], Views, "views"),
        "vtr" => ratio(&[Views], Impressions, "impressions"),
        "response_rate" => ratio(&[CommentsReplied24h], Comments, "comments"),
        "impressions" => need(&[Impressions]).unwrap_or(KpiValue::Value(sums.get(Impressions))),
        "reach" => need(&[Reach]).unwrap_or(KpiValue::Value(sums.get(Reach))),
        _ => KpiValue::na("not computed yet"),
    })
}
