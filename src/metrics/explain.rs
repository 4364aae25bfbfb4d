//! Explain any number: a KPI of the current view taken apart into the sums it is made
//! of, the settings it used, how many rows it used and which it left out (and why),
//! what each platform, campaign, creator and format contributes to it, and the rows
//! that contribute most. Small enough to cross from the data worker as JSON: lists are
//! capped, and the rows themselves stay with the workspace (`display::explain::rows_csv`).

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::data::calendar::{format_day, Day, Granularity};
use crate::data::schema::Measure;
use crate::data::store::{Campaign, Creator, Dict, Posts, Workspace, NO_DAY};

use super::engine::{
    compute, measure_bits, select_rows, Dimension, Filter, GroupResult, KpiValue, Results,
};
use super::entities::{self, CampaignInScope};
use super::parts::{ratio_parts, RatioParts};
use super::registry::{Eval, KpiDef, KpiId, Unit, ENGAGEMENT};
use super::settings::{EmvMethod, Settings};

/// The top rows listed (by contribution to the numerator).
pub const TOP_ROWS: usize = 20;
/// The excluded rows listed per reason.
pub const EXCLUDED_SAMPLE: usize = 10;
/// The contributions listed per dimension (the largest numerators first).
pub const MAX_CONTRIBUTIONS: usize = 200;

/// What to explain: one KPI of the view `filter` selects.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainQuery {
    pub kpi: KpiId,
    pub filter: Filter,
    pub granularity: Granularity,
    /// Rows the page's load reports rejected (the workspace does not keep them): shown
    /// as a coverage reason.
    #[serde(default)]
    pub rejected_at_load: u64,
}

/// What a part of a KPI's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartRole {
    Numerator,
    Denominator,
    Mean,
    Count,
    Share,
    Total,
    Term,
}

impl PartRole {
    /// The `data-explain-part` hook.
    pub fn hook(self) -> &'static str {
        match self {
            PartRole::Numerator => "numerator",
            PartRole::Denominator => "denominator",
            PartRole::Mean => "mean",
            PartRole::Count => "count",
            PartRole::Share => "share",
            PartRole::Total => "total",
            PartRole::Term => "term",
        }
    }
}

/// One number a KPI's value is made of.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainPart {
    pub role: PartRole,
    /// In words ("Σrevenue", "TikTok impressions × CPM").
    pub label: String,
    pub value: f64,
}

/// Why rows (or campaigns, creators) were left out of a KPI.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExcludeReason {
    /// The filter's platform, campaign, creator or format leaves them out.
    FilteredOut,
    /// A date range is set and they have no date.
    Undated,
    /// Dated outside the date range.
    OutOfRange,
    /// In view but lacking these input columns.
    AbsentInputs(Vec<String>),
    /// Rejected when the file was loaded (counted by the page's load reports).
    RejectedAtLoad,
}

/// How many rows (or campaigns, creators) a KPI used and how many it left out, by reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExplainCoverage {
    /// What is counted: "posts rows", "campaigns" or "creators".
    pub unit: String,
    pub used: u64,
    pub excluded: Vec<(ExcludeReason, u64)>,
}

impl ExplainCoverage {
    /// Σ of the excluded counts.
    pub fn excluded_total(&self) -> u64 {
        self.excluded.iter().map(|(_, n)| n).sum()
    }
}

/// One group's share of a KPI: its numerator and denominator, rows and own value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub dimension: Dimension,
    /// The group's key (`""` for rows without one).
    pub key: String,
    pub numerator: f64,
    /// `None` for KPIs without a denominator (totals).
    pub denominator: Option<f64>,
    /// Rows of the group the KPI used.
    pub rows: u64,
    /// The group's own value of the KPI.
    pub value: Option<f64>,
}

/// One posts row as the explain panel lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowLine {
    /// The row's index in the posts table.
    pub row: u32,
    pub post_id: String,
    pub platform: String,
    pub campaign: String,
    pub creator: String,
    pub format: String,
    pub day: Option<Day>,
    /// The row's part of the numerator (`None` when it lacks an input).
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    /// `/campaigns/<campaign>?post=<id>`, or empty without a campaign or post id.
    pub link: String,
}

/// The rows left out for one reason, with the first few of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExcludedRows {
    pub reason: ExcludeReason,
    pub rows: u64,
    /// The first [`EXCLUDED_SAMPLE`] rows (empty for rows rejected at load, which the
    /// load report lists).
    pub sample: Vec<RowLine>,
}

/// A KPI of one view, taken apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    pub kpi: KpiId,
    /// The value, as the cards show it.
    pub value: KpiValue,
    /// The formula in symbols (`Σrevenue / Σcost`).
    pub formula: String,
    /// (label, value) of each setting the KPI used, the date range and each filter set.
    pub settings_used: Vec<(String, String)>,
    pub parts: Vec<ExplainPart>,
    pub coverage: ExplainCoverage,
    /// Every group of the four dimensions (capped per dimension).
    pub contributions: Vec<Contribution>,
    /// The used rows that contribute most to the numerator (at most [`TOP_ROWS`]).
    pub top_rows: Vec<RowLine>,
    /// The rows left out, by reason.
    pub excluded: Vec<ExcludedRows>,
    /// True when the contributions of one dimension add up to the numerator and
    /// denominator parts (sums over posts rows); false for campaign- and creator-level
    /// KPIs, whose contributions are each group's own value (`numerator` holds it too).
    pub additive: bool,
    /// Groups left out of `contributions` by the [`MAX_CONTRIBUTIONS`] cap.
    pub contributions_left_out: u64,
}

/// How a KPI computed from posts rows reads one row.
#[derive(Clone, Debug)]
enum RowRule {
    /// `Σnumerator` (over `denominator` when there is one) over the rows that have
    /// every measure of `needs`; only `platform`'s rows (a code) when set.
    Sums {
        needs: u32,
        numerator: Vec<Measure>,
        denominator: Option<Vec<Measure>>,
        platform: Option<Option<u32>>,
    },
    /// EMV by CPM: impressions × the row platform's CPM / 1000 (CPM by platform code).
    EmvCpm { cpm: Vec<Option<f64>> },
    /// EMV per action: Σ of the row's priced measures × their rates (rows with none
    /// of them are not used).
    EmvPerAction { priced: Vec<(Measure, f64)> },
}

/// What one posts row in view gives a KPI.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RowUse {
    /// Used: the row's part of the numerator and of the denominator.
    Used {
        numerator: Option<f64>,
        denominator: Option<f64>,
    },
    /// Not used: it lacks these measures (a [`measure_bits`] set).
    Lacks(u32),
    /// Not used: the KPI reads another platform's rows (a platform's engagement rate).
    OtherPlatform,
}

/// Reads the posts rows of one KPI: which are used and what each gives.
#[derive(Clone, Debug)]
pub struct RowReader {
    rule: RowRule,
    inputs: Vec<Measure>,
}

impl RowReader {
    /// The reader of `kpi` under `settings`; `None` for the KPIs that are not computed
    /// from posts rows (campaign-, creator- and asset-level ones).
    pub fn new(ws: &Workspace, settings: &Settings, kpi: KpiId) -> Option<RowReader> {
        let p = &ws.posts;
        let def = kpi.def();
        let has = Measure::ALL
            .into_iter()
            .filter(|m| p.has(*m))
            .fold(0, |bits, m| bits | 1 << m as usize);
        let rule = match def.eval {
            Eval::Total(m) | Eval::PerCampaign(m) => RowRule::Sums {
                needs: measure_bits(&[m]),
                numerator: vec![m],
                denominator: None,
                platform: None,
            },
            Eval::Emv => match settings.emv_method {
                EmvMethod::Cpm => RowRule::EmvCpm {
                    cpm: (0..p.platforms.len() as u32)
                        .map(|code| settings.emv_cpm.get(p.platforms.value(code)).copied())
                        .collect(),
                },
                EmvMethod::PerAction => RowRule::EmvPerAction {
                    priced: emv_priced(settings),
                },
            },
            _ => {
                let parts = ratio_parts(def, settings, has)?;
                let mut needs = parts.needs;
                if parts.numerator.is_empty() || parts.denominator.is_empty() {
                    // No engagement column at all: every row lacks them.
                    needs |= measure_bits(&ENGAGEMENT);
                }
                RowRule::Sums {
                    needs,
                    platform: parts.platform.map(|key| p.platforms.code(key)),
                    numerator: parts.numerator,
                    denominator: Some(parts.denominator),
                }
            }
        };
        let inputs = match &rule {
            RowRule::Sums {
                numerator,
                denominator,
                ..
            } => {
                let mut all = numerator.clone();
                for m in denominator.iter().flatten() {
                    if !all.contains(m) {
                        all.push(*m);
                    }
                }
                all
            }
            RowRule::EmvCpm { .. } => vec![Measure::Impressions],
            RowRule::EmvPerAction { priced } => priced.iter().map(|(m, _)| *m).collect(),
        };
        Some(RowReader { rule, inputs })
    }

    /// The measures the KPI reads from a row (the rows CSV's columns).
    pub fn inputs(&self) -> &[Measure] {
        &self.inputs
    }

    /// What row `i` (in view) gives the KPI.
    pub fn read(&self, p: &Posts, i: usize) -> RowUse {
        let get = |m: Measure| p.value(m as usize, i);
        let sum = |ms: &[Measure]| {
            ms.iter()
                .filter_map(|m| get(*m))
                .fold(None, |acc: Option<f64>, v| Some(acc.unwrap_or(0.0) + v))
        };
        match &self.rule {
            RowRule::Sums {
                needs,
                numerator,
                denominator,
                platform,
            } => {
                if let Some(code) = platform {
                    if *code != Some(p.platform[i]) {
                        return RowUse::OtherPlatform;
                    }
                }
                let lacks = Measure::ALL
                    .into_iter()
                    .filter(|m| needs & (1 << *m as usize) != 0 && get(*m).is_none())
                    .fold(0, |bits, m| bits | 1 << m as usize);
                if lacks != 0 {
                    return RowUse::Lacks(lacks);
                }
                RowUse::Used {
                    numerator: sum(numerator),
                    denominator: denominator.as_deref().and_then(sum),
                }
            }
            RowRule::EmvCpm { cpm } => match get(Measure::Impressions) {
                None => RowUse::Lacks(measure_bits(&[Measure::Impressions])),
                Some(impressions) => RowUse::Used {
                    numerator: cpm
                        .get(p.platform[i] as usize)
                        .copied()
                        .flatten()
                        .map(|cpm| impressions * cpm / 1000.0),
                    denominator: None,
                },
            },
            RowRule::EmvPerAction { priced } => {
                let mut total = None;
                for (m, rate) in priced {
                    if let Some(v) = get(*m) {
                        total = Some(total.unwrap_or(0.0) + v * rate);
                    }
                }
                match total {
                    Some(_) => RowUse::Used {
                        numerator: total,
                        denominator: None,
                    },
                    None => RowUse::Lacks(measure_bits(
                        &priced.iter().map(|(m, _)| *m).collect::<Vec<_>>(),
                    )),
                }
            }
        }
    }
}

/// The measures EMV per action prices, with their rates.
fn emv_priced(settings: &Settings) -> Vec<(Measure, f64)> {
    let r = settings.emv_rates;
    vec![
        (Measure::Likes, r.like),
        (Measure::Comments, r.comment),
        (Measure::Shares, r.share),
        (Measure::Saves, r.save),
        (Measure::Views, r.view),
    ]
}

/// The rows of the workspace that the filter's platform, campaign, creator and format
/// lists keep (whatever their date).
struct KeyFilter {
    lists: [Option<Vec<bool>>; 4],
}

impl KeyFilter {
    fn new(p: &Posts, filter: &Filter) -> KeyFilter {
        let keep = |values: &[String], dict: &Dict| {
            (!values.is_empty()).then(|| {
                let mut keep = vec![false; dict.len()];
                for code in values.iter().filter_map(|v| dict.code(v)) {
                    keep[code as usize] = true;
                }
                keep
            })
        };
        KeyFilter {
            lists: [
                keep(&filter.platforms, &p.platforms),
                keep(&filter.campaigns, &p.campaigns),
                keep(&filter.creators, &p.creators),
                keep(&filter.formats, &p.formats),
            ],
        }
    }

    fn keeps(&self, p: &Posts, i: usize) -> bool {
        let codes = [p.platform[i], p.campaign[i], p.creator[i], p.format[i]];
        self.lists.iter().zip(codes).all(|(keep, code)| {
            keep.as_ref()
                .is_none_or(|k| k.get(code as usize).copied().unwrap_or(false))
        })
    }
}

/// One posts row as a [`RowLine`].
pub fn row_line(p: &Posts, i: usize, numerator: Option<f64>, denominator: Option<f64>) -> RowLine {
    let post_id = p.post_id.get(i).to_owned();
    let campaign = p.campaigns.value(p.campaign[i]).to_owned();
    let link = if campaign.is_empty() || post_id.is_empty() {
        String::new()
    } else {
        format!("/campaigns/{campaign}?post={post_id}")
    };
    RowLine {
        row: i as u32,
        post_id,
        platform: p.platforms.value(p.platform[i]).to_owned(),
        campaign,
        creator: p.creators.value(p.creator[i]).to_owned(),
        format: p.formats.value(p.format[i]).to_owned(),
        day: (p.day[i] != NO_DAY).then_some(p.day[i]),
        numerator,
        denominator,
        link,
    }
}

/// Why a row of the workspace is left out of a KPI (absent inputs as measure bits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowReason {
    FilteredOut,
    Undated,
    OutOfRange,
    Absent(u32),
}

/// Calls `f(row, use)` for every row of the workspace, in row order: the rows in view
/// with what they give the KPI, the others with why they are not in view.
fn each_row(
    ws: &Workspace,
    filter: &Filter,
    reader: &RowReader,
    mut f: impl FnMut(usize, Result<(Option<f64>, Option<f64>), RowReason>),
) {
    let p = &ws.posts;
    let selected = select_rows(ws, filter);
    let keys = KeyFilter::new(p, filter);
    let mut next = selected.iter().copied().peekable();
    for i in 0..p.len() {
        let in_view = next.peek() == Some(&(i as u32));
        let outcome = if in_view {
            next.next();
            match reader.read(p, i) {
                RowUse::Used {
                    numerator,
                    denominator,
                } => Ok((numerator, denominator)),
                RowUse::Lacks(bits) => Err(RowReason::Absent(bits)),
                RowUse::OtherPlatform => Err(RowReason::FilteredOut),
            }
        } else if !keys.keeps(p, i) {
            Err(RowReason::FilteredOut)
        } else if filter.has_date_range() && p.day[i] == NO_DAY {
            Err(RowReason::Undated)
        } else {
            Err(RowReason::OutOfRange)
        };
        f(i, outcome);
    }
}

/// Calls `f(row, numerator, denominator)` for every row the KPI of `q` uses, in row
/// order (nothing for KPIs not computed from posts rows). Returns the measures it reads.
pub fn for_each_used_row(
    ws: &Workspace,
    settings: &Settings,
    q: &ExplainQuery,
    mut f: impl FnMut(usize, Option<f64>, Option<f64>),
) -> Vec<Measure> {
    let Some(reader) = RowReader::new(ws, settings, q.kpi) else {
        return q.kpi.def().measures();
    };
    each_row(ws, &q.filter, &reader, |i, outcome| {
        if let Ok((n, d)) = outcome {
            f(i, n, d);
        }
    });
    reader.inputs
}

/// The measure columns of a bit set, in measure order.
fn columns_of(bits: u32) -> Vec<String> {
    let mut columns: Vec<String> = Vec::new();
    for m in Measure::ALL {
        // (Both disclosure counts are read from the one `disclosed` column.)
        if bits & (1 << m as usize) != 0 && !columns.iter().any(|c| c == m.column()) {
            columns.push(m.column().to_owned());
        }
    }
    columns
}

/// The top rows kept while passing over the used rows: best first.
#[derive(Default)]
struct TopRows(Vec<(f64, f64, usize)>);

impl TopRows {
    fn offer(&mut self, i: usize, numerator: Option<f64>, denominator: Option<f64>) {
        let key = (
            numerator.unwrap_or(f64::NEG_INFINITY),
            denominator.unwrap_or(f64::NEG_INFINITY),
            i,
        );
        // Best first: larger numerator, then larger denominator, then earlier row.
        let better = |a: &(f64, f64, usize), b: &(f64, f64, usize)| {
            b.0.total_cmp(&a.0)
                .then(b.1.total_cmp(&a.1))
                .then(a.2.cmp(&b.2))
        };
        if self.0.len() == TOP_ROWS
            && better(&key, &self.0[TOP_ROWS - 1]) != std::cmp::Ordering::Less
        {
            return;
        }
        let at = self
            .0
            .partition_point(|x| better(x, &key) == std::cmp::Ordering::Less);
        self.0.insert(at, key);
        self.0.truncate(TOP_ROWS);
    }
}

/// The row pass of a KPI computed from posts rows: coverage, top rows, excluded rows.
fn pass(
    ws: &Workspace,
    q: &ExplainQuery,
    reader: &RowReader,
) -> (ExplainCoverage, Vec<RowLine>, Vec<ExcludedRows>) {
    let p = &ws.posts;
    let mut used = 0u64;
    let mut top = TopRows::default();
    let mut tally: Vec<(RowReason, u64, Vec<RowLine>)> = Vec::new();
    each_row(ws, &q.filter, reader, |i, outcome| match outcome {
        Ok((n, d)) => {
            used += 1;
            top.offer(i, n, d);
        }
        Err(reason) => {
            let slot = match tally.iter().position(|(r, _, _)| *r == reason) {
                Some(slot) => slot,
                None => {
                    tally.push((reason, 0, Vec::new()));
                    tally.len() - 1
                }
            };
            let (_, count, sample) = &mut tally[slot];
            *count += 1;
            if sample.len() < EXCLUDED_SAMPLE {
                let (n, d) = match reader.read(p, i) {
                    RowUse::Used {
                        numerator,
                        denominator,
                    } => (numerator, denominator),
                    _ => (None, None),
                };
                sample.push(row_line(p, i, n, d));
            }
        }
    });
    let rank = |r: &RowReason| match r {
        RowReason::FilteredOut => 0,
        RowReason::Undated => 1,
        RowReason::OutOfRange => 2,
        RowReason::Absent(_) => 3,
    };
    tally.sort_by(|a, b| rank(&a.0).cmp(&rank(&b.0)).then(b.1.cmp(&a.1)));
    let mut excluded: Vec<ExcludedRows> = tally
        .into_iter()
        .map(|(reason, rows, sample)| ExcludedRows {
            reason: match reason {
                RowReason::FilteredOut => ExcludeReason::FilteredOut,
                RowReason::Undated => ExcludeReason::Undated,
                RowReason::OutOfRange => ExcludeReason::OutOfRange,
                RowReason::Absent(bits) => ExcludeReason::AbsentInputs(columns_of(bits)),
            },
            rows,
            sample,
        })
        .collect();
    if q.rejected_at_load > 0 {
        excluded.push(ExcludedRows {
            reason: ExcludeReason::RejectedAtLoad,
            rows: q.rejected_at_load,
            sample: Vec::new(),
        });
    }
    let top_rows = top
        .0
        .iter()
        .map(|&(_, _, i)| match reader.read(p, i) {
            RowUse::Used {
                numerator,
                denominator,
            } => row_line(p, i, numerator, denominator),
            _ => row_line(p, i, None, None),
        })
        .collect();
    let coverage = ExplainCoverage {
        unit: "posts rows".to_owned(),
        used,
        excluded: excluded
            .iter()
            .map(|e| (e.reason.clone(), e.rows))
            .collect(),
    };
    (coverage, top_rows, excluded)
}

/// The (label, value) lines of the settings a KPI used, the date range and each filter
/// that is set.
pub fn settings_lines(
    ws: &Workspace,
    settings: &Settings,
    kpi: KpiId,
    filter: &Filter,
    results: &Results,
) -> Vec<(&'static str, String)> {
    let def = kpi.def();
    let mut lines = Vec::new();
    let number = |v: f64| format!("{v}");
    if matches!(
        def.eval,
        Eval::EngagementRate | Eval::PlatformEngagementRate(_) | Eval::InfluencerScore
    ) {
        lines.push((
            "Engagement-rate denominator",
            settings.er_denominator.measure().1.to_owned(),
        ));
    }
    if let Eval::Emv = def.eval {
        match settings.emv_method {
            EmvMethod::Cpm => {
                lines.push((
                    "EMV method",
                    "CPM (per-platform CPM × impressions ÷ 1000)".to_owned(),
                ));
                let cpms: Vec<String> = results
                    .groups_of(Dimension::Platform)
                    .map(|g| match settings.emv_cpm.get(&g.key) {
                        Some(cpm) => format!("{} {}", g.key, number(*cpm)),
                        None => format!("{} not set", g.key),
                    })
                    .collect();
                lines.push((
                    "EMV CPMs",
                    if cpms.is_empty() {
                        "no platform in view".to_owned()
                    } else {
                        cpms.join(", ")
                    },
                ));
            }
            EmvMethod::PerAction => {
                lines.push((
                    "EMV method",
                    "per action (value per like/comment/share/save/view)".to_owned(),
                ));
                let r = settings.emv_rates;
                lines.push((
                    "EMV rates",
                    format!(
                        "like {}, comment {}, share {}, save {}, view {}",
                        number(r.like),
                        number(r.comment),
                        number(r.share),
                        number(r.save),
                        number(r.view)
                    ),
                ));
            }
        }
    }
    if let Eval::InfluencerScore = def.eval {
        let w = settings.score_weights;
        lines.push((
            "Score weights",
            format!(
                "engagement {}, conversion {}, brand fit {}",
                number(w.engagement),
                number(w.conversion),
                number(w.brand_fit)
            ),
        ));
    }
    if let Eval::BudgetPacing = def.eval {
        let from = if settings.as_of.is_some() {
            "Settings"
        } else {
            "the last date in the data"
        };
        lines.push((
            "As of",
            match results.as_of {
                Some(day) => format!("{} ({from})", format_day(day)),
                None => "no as-of date".to_owned(),
            },
        ));
    }
    let money = matches!(def.unit, Unit::Money)
        || matches!(def.eval, Eval::Emv | Eval::PerEngagement(Measure::Cost));
    if money {
        lines.push((
            "Currency",
            ws.currency
                .clone()
                .unwrap_or_else(|| "as in the files (none stated)".to_owned()),
        ));
    }
    let day = |d: Option<Day>| d.map(format_day);
    lines.push((
        "Date range",
        match (day(filter.from), day(filter.to)) {
            (Some(f), Some(t)) => format!("{f} to {t}"),
            (Some(f), None) => format!("from {f}"),
            (None, Some(t)) => format!("until {t}"),
            (None, None) => "all dates".to_owned(),
        },
    ));
    for (label, values) in [
        ("Platforms", &filter.platforms),
        ("Campaigns", &filter.campaigns),
        ("Creators", &filter.creators),
        ("Formats", &filter.formats),
    ] {
        if !values.is_empty() {
            lines.push((label, values.join(", ")));
        }
    }
    lines
}

/// Takes the KPI of `q` apart in the view it names. Its value is the engine's
/// ([`compute`], memoised), so it equals what the cards show.
pub fn explain(ws: &Workspace, settings: &Settings, q: &ExplainQuery) -> Explanation {
    let results = compute(ws, &q.filter, settings, q.granularity);
    let def = q.kpi.def();
    let settings_used = settings_lines(ws, settings, q.kpi, &q.filter, &results)
        .into_iter()
        .map(|(label, value)| (label.to_owned(), value))
        .collect();
    let mut e = Explanation {
        kpi: q.kpi,
        value: results.overall.get(q.kpi),
        formula: def.formula.to_owned(),
        settings_used,
        parts: Vec::new(),
        coverage: ExplainCoverage {
            unit: "posts rows".to_owned(),
            used: 0,
            excluded: Vec::new(),
        },
        contributions: Vec::new(),
        top_rows: Vec::new(),
        excluded: Vec::new(),
        additive: false,
        contributions_left_out: 0,
    };
    match RowReader::new(ws, settings, q.kpi) {
        Some(reader) => {
            let (coverage, top_rows, excluded) = pass(ws, q, &reader);
            e.coverage = coverage;
            e.top_rows = top_rows;
            e.excluded = excluded;
            posts_parts(&mut e, ws, settings, def, &results);
        }
        None => entity_parts(&mut e, ws, def, q, &results),
    }
    let (contributions, left_out) = cap_contributions(std::mem::take(&mut e.contributions));
    e.contributions = contributions;
    e.contributions_left_out = left_out;
    keep_finite(&mut e);
    e
}

/// Drops the numbers that overflowed (sums of hostile values): JSON has no infinity,
/// and an answer must cross from the worker.
fn keep_finite(e: &mut Explanation) {
    let finite = |v: Option<f64>| v.filter(|v| v.is_finite());
    if e.value.value().is_some_and(|v| !v.is_finite()) {
        e.value = KpiValue::na("the sum overflowed");
    }
    e.parts.retain(|p| p.value.is_finite());
    for c in &mut e.contributions {
        if !c.numerator.is_finite() {
            c.numerator = 0.0;
        }
        c.denominator = finite(c.denominator);
        c.value = finite(c.value);
    }
    let rows = e
        .top_rows
        .iter_mut()
        .chain(e.excluded.iter_mut().flat_map(|x| x.sample.iter_mut()));
    for r in rows {
        r.numerator = finite(r.numerator);
        r.denominator = finite(r.denominator);
    }
}

/// Sorts contributions by dimension, then largest numerator first, and keeps at most
/// [`MAX_CONTRIBUTIONS`] per dimension; returns how many were left out.
fn cap_contributions(mut all: Vec<Contribution>) -> (Vec<Contribution>, u64) {
    let order = |d: Dimension| Dimension::ALL.iter().position(|x| *x == d);
    all.sort_by(|a, b| {
        order(a.dimension)
            .cmp(&order(b.dimension))
            .then(b.numerator.total_cmp(&a.numerator))
            .then(a.key.cmp(&b.key))
    });
    let mut kept = Vec::with_capacity(all.len());
    let mut left_out = 0;
    for dim in Dimension::ALL {
        let mut n = 0;
        for c in all.iter().filter(|c| c.dimension == dim) {
            if n < MAX_CONTRIBUTIONS {
                kept.push(c.clone());
                n += 1;
            } else {
                left_out += 1;
            }
        }
    }
    (kept, left_out)
}

fn part(role: PartRole, label: impl Into<String>, value: f64) -> ExplainPart {
    ExplainPart {
        role,
        label: label.into(),
        value,
    }
}

/// A group's contribution, from its sums.
fn contribution(
    g: &GroupResult,
    kpi: KpiId,
    numerator: f64,
    denominator: Option<f64>,
    rows: u64,
) -> Contribution {
    Contribution {
        dimension: g.dimension,
        key: g.key.clone(),
        numerator,
        denominator,
        rows,
        value: g.kpis.get(kpi).value(),
    }
}

/// Parts, formula and contributions of a KPI computed from posts rows.
fn posts_parts(
    e: &mut Explanation,
    ws: &Workspace,
    settings: &Settings,
    def: &KpiDef,
    results: &Results,
) {
    let kpi = def.id;
    e.additive = true;
    if let Some(parts) = ratio_parts(def, settings, results.measures) {
        ratio_explanation(e, def, &parts, results);
        return;
    }
    match def.eval {
        Eval::Total(m) | Eval::PerCampaign(m) => {
            let needs = measure_bits(&[m]);
            let (over, rows) = results.overall_sums.over(needs);
            e.parts.push(part(
                PartRole::Total,
                format!("Σ{}", m.column()),
                over.get(m),
            ));
            if let Eval::PerCampaign(_) = def.eval {
                let campaigns = results
                    .groups_of(Dimension::Campaign)
                    .filter(|g| !g.key.is_empty())
                    .count();
                e.parts.push(part(
                    PartRole::Count,
                    "campaigns with posts in view",
                    campaigns as f64,
                ));
            } else {
                e.parts.push(part(
                    PartRole::Count,
                    format!("posts rows with {}", m.column()),
                    rows as f64,
                ));
            }
            for g in &results.groups {
                let (over, rows) = g.sums.over(needs);
                e.contributions
                    .push(contribution(g, kpi, over.get(m), None, rows));
            }
        }
        Eval::Emv => {
            let total = match settings.emv_method {
                EmvMethod::Cpm => {
                    e.formula = "Σ over platforms of CPM × Σimpressions / 1000".to_owned();
                    let mut total = 0.0;
                    for g in results.groups_of(Dimension::Platform) {
                        let impressions = g.sums.get(Measure::Impressions);
                        match settings.emv_cpm.get(&g.key) {
                            Some(cpm) => {
                                let term = cpm * impressions / 1000.0;
                                total += term;
                                e.parts.push(part(
                                    PartRole::Term,
                                    format!(
                                        "{}: {impressions} impressions × CPM {cpm} / 1000",
                                        g.key
                                    ),
                                    term,
                                ));
                            }
                            None => e.parts.push(part(
                                PartRole::Term,
                                format!("{}: {impressions} impressions, no CPM set", g.key),
                                0.0,
                            )),
                        }
                    }
                    total
                }
                EmvMethod::PerAction => {
                    e.formula = "Σlikes × rate + Σcomments × rate + Σshares × rate + Σsaves × rate + Σviews × rate".to_owned();
                    let mut total = 0.0;
                    for (m, rate) in emv_priced(settings) {
                        if !ws.posts.has(m) {
                            continue;
                        }
                        let sum = results.overall_sums.get(m);
                        let term = sum * rate;
                        total += term;
                        e.parts.push(part(
                            PartRole::Term,
                            format!("Σ{} {sum} × {rate}", m.column()),
                            term,
                        ));
                    }
                    total
                }
            };
            e.parts.push(part(PartRole::Total, "EMV", total));
            let rows_of = |g: &GroupResult| match settings.emv_method {
                EmvMethod::Cpm => g.sums.over(measure_bits(&[Measure::Impressions])).1,
                EmvMethod::PerAction => g.sums.rows,
            };
            for g in &results.groups {
                let value = g.kpis.get(kpi).value().unwrap_or(0.0);
                e.contributions
                    .push(contribution(g, kpi, value, None, rows_of(g)));
            }
        }
        _ => {}
    }
}

/// Parts and contributions of a ratio of posts sums.
fn ratio_explanation(e: &mut Explanation, def: &KpiDef, parts: &RatioParts, results: &Results) {
    let kpi = def.id;
    e.formula = parts.symbols();
    let overall = match parts.platform {
        Some(key) => {
            e.formula = format!("{}, over {key} posts", e.formula);
            results.group(Dimension::Platform, key).map(|g| &g.sums)
        }
        None => Some(&results.overall_sums),
    };
    let sums = overall.map(|s| parts.of(s));
    let (numerator, denominator) = sums.map_or((0.0, 0.0), |s| (s.numerator, s.denominator));
    e.parts.push(part(
        PartRole::Numerator,
        format!("Σ{}", parts.numerator_name),
        numerator,
    ));
    e.parts.push(part(
        PartRole::Denominator,
        format!("Σ{}", parts.denominator_name),
        denominator,
    ));
    for g in &results.groups {
        if let Some(key) = parts.platform {
            if g.dimension != Dimension::Platform || g.key != key {
                continue;
            }
        }
        let s = parts.of(&g.sums);
        e.contributions.push(contribution(
            g,
            kpi,
            s.numerator,
            Some(s.denominator),
            s.rows,
        ));
    }
}

/// The ids of the campaigns (or creators) with posts in view.
fn in_view_ids(results: &Results, dimension: Dimension) -> Vec<String> {
    results
        .groups_of(dimension)
        .filter(|g| !g.key.is_empty())
        .map(|g| g.key.clone())
        .collect()
}

/// The (numerator, denominator) a campaign gives a campaign-level KPI, when it has the
/// inputs; `mean` KPIs give (value, 1).
fn campaign_pair(kpi: KpiId, c: &Campaign) -> Option<(f64, f64)> {
    let lift = |pre: Option<f64>, post: Option<f64>| match (pre, post) {
        (Some(pre), Some(post)) if pre != 0.0 => Some(((post - pre) / pre, 1.0)),
        _ => None,
    };
    match kpi {
        KpiId::BrandRecallLift => lift(c.awareness_pre, c.awareness_post),
        KpiId::BrandSentimentShift => lift(c.sentiment_pre, c.sentiment_post),
        KpiId::ShareOfConversation => Some((c.brand_conversation?, c.category_conversation?)),
        KpiId::LaunchOnTime => Some((
            f64::from(u8::from(c.launch_date? <= c.planned_launch_date?)),
            1.0,
        )),
        _ => match kpi.def().eval {
            Eval::Campaigns(f) => {
                let one = CampaignInScope {
                    id: &c.campaign_id,
                    row: Some(c),
                    cost: 0.0,
                    new_customers: 0.0,
                    conversions: 0.0,
                };
                f(&[one], "").value().map(|v| (v, 1.0))
            }
            _ => None,
        },
    }
}

/// As [`campaign_pair`], for a creator-level KPI.
fn creator_pair(kpi: KpiId, c: &Creator) -> Option<(f64, f64)> {
    match kpi {
        KpiId::AudienceGrowth => Some((c.followers_end? - c.followers_start?, c.followers_start?)),
        KpiId::DeliveryRate => Some((c.deliverables_on_time?, c.deliverables_committed?)),
        KpiId::ContentQuality => Some((c.content_rating?, 1.0)),
        KpiId::ContractCompliance => Some((f64::from(u8::from(c.contract_terms_met?)), 1.0)),
        _ => match kpi.def().eval {
            Eval::Creators(f) => {
                let one = entities::CreatorInScope {
                    id: &c.creator_id,
                    row: Some(c),
                    ..entities::CreatorInScope::default()
                };
                f(&[one], "").value().map(|v| (v, 1.0))
            }
            _ => None,
        },
    }
}

/// The numerator's and denominator's words of a campaign- or creator-level KPI that is
/// a ratio of sums over its entities; `None` for those that are a mean over them.
fn entity_ratio_words(kpi: KpiId) -> Option<(&'static str, &'static str)> {
    Some(match kpi {
        KpiId::ShareOfConversation => ("Σbrand_conversation", "Σcategory_conversation"),
        KpiId::LaunchOnTime => (
            "campaigns launched on or before the planned date",
            "campaigns launched (both dates known)",
        ),
        KpiId::AudienceGrowth => ("Σ(followers_end − followers_start)", "Σfollowers_start"),
        KpiId::DeliveryRate => ("Σdeliverables_on_time", "Σdeliverables_committed"),
        KpiId::ContractCompliance => (
            "creators with contract terms met",
            "creators with contract_terms_met known",
        ),
        _ => return None,
    })
}

/// Parts, coverage and contributions of a campaign-, creator- or asset-level KPI.
fn entity_parts(
    e: &mut Explanation,
    ws: &Workspace,
    def: &KpiDef,
    q: &ExplainQuery,
    results: &Results,
) {
    let kpi = def.id;
    let no_posts = ws.posts.is_empty();
    let campaigns_in_view: Vec<String> = if no_posts {
        entities::campaigns_matching(ws, &q.filter)
            .iter()
            .map(|c| c.id.to_owned())
            .collect()
    } else {
        in_view_ids(results, Dimension::Campaign)
    };
    let creators_in_view: Vec<String> = if no_posts {
        entities::creators_matching(ws, &q.filter)
            .iter()
            .map(|c| c.id.to_owned())
            .collect()
    } else {
        in_view_ids(results, Dimension::Creator)
    };
    let all_ids = |table: Vec<&str>, dict: &Dict| -> u64 {
        let mut ids: BTreeSet<&str> = table.into_iter().collect();
        ids.extend(dict.values().iter().map(String::as_str));
        ids.remove("");
        ids.len() as u64
    };
    // Every campaign (creator) the workspace names, in its table or on a post.
    let all_campaigns = all_ids(
        ws.campaigns
            .iter()
            .map(|c| c.campaign_id.as_str())
            .collect(),
        &ws.posts.campaigns,
    );
    let all_creators = all_ids(
        ws.creators.iter().map(|c| c.creator_id.as_str()).collect(),
        &ws.posts.creators,
    );
    let campaign_rows: HashMap<&str, &Campaign> = ws
        .campaigns
        .iter()
        .map(|c| (c.campaign_id.as_str(), c))
        .collect();
    let creator_rows: HashMap<&str, &Creator> = ws
        .creators
        .iter()
        .map(|c| (c.creator_id.as_str(), c))
        .collect();
    // The campaign and creator groups by key (thousands of creators: no linear finds).
    let groups_by_key = |dimension: Dimension| -> HashMap<&str, &GroupResult> {
        results
            .groups_of(dimension)
            .map(|g| (g.key.as_str(), g))
            .collect()
    };
    let (campaign_groups, creator_groups) = (
        groups_by_key(Dimension::Campaign),
        groups_by_key(Dimension::Creator),
    );
    let campaign_sums =
        |id: &str, m: Measure| campaign_groups.get(id).map_or(0.0, |g| g.sums.get(m));
    // (unit, how many the workspace has, per entity in view: its pair if it has the inputs)
    let (unit, universe, pairs): (&str, u64, Vec<Option<(f64, f64)>>) = match def.eval {
        Eval::Campaigns(_) => (
            "campaigns",
            all_campaigns,
            campaigns_in_view
                .iter()
                .map(|id| campaign_pair(kpi, campaign_rows.get(id.as_str())?))
                .collect(),
        ),
        Eval::Creators(_) => (
            "creators",
            all_creators,
            creators_in_view
                .iter()
                .map(|id| creator_pair(kpi, creator_rows.get(id.as_str())?))
                .collect(),
        ),
        Eval::InfluencerScore => (
            "creators",
            all_creators,
            creators_in_view
                .iter()
                .map(|id| {
                    let g = creator_groups.get(id.as_str())?;
                    g.kpis.get(kpi).value().map(|v| (v, 1.0))
                })
                .collect(),
        ),
        Eval::ClvRatio => (
            "campaigns",
            all_campaigns,
            campaigns_in_view
                .iter()
                .map(|id| {
                    let clv = campaign_rows.get(id.as_str())?.clv?;
                    let customers = campaign_sums(id, Measure::NewCustomers);
                    Some((clv * customers, customers))
                })
                .collect(),
        ),
        Eval::BudgetPacing => (
            "campaigns",
            all_campaigns,
            campaigns_in_view
                .iter()
                .map(|id| {
                    let planned =
                        entities::planned_spend(campaign_rows.get(id.as_str())?, results.as_of?)?;
                    Some((campaign_sums(id, Measure::Cost), planned))
                })
                .collect(),
        ),
        _ => {
            // Asset approval time: the approved assets of the campaigns and creators in view.
            let campaign_set: BTreeSet<&str> =
                campaigns_in_view.iter().map(String::as_str).collect();
            let creator_set: BTreeSet<&str> = creators_in_view.iter().map(String::as_str).collect();
            let in_scope = |a: &crate::data::store::Asset| {
                (!a.campaign_id.is_empty() && campaign_set.contains(a.campaign_id.as_str()))
                    || (!a.creator_id.is_empty() && creator_set.contains(a.creator_id.as_str()))
            };
            (
                "assets",
                ws.assets.len() as u64,
                ws.assets
                    .iter()
                    .filter(|a| in_scope(a))
                    .map(|a| {
                        let hours = a.approved_at?.saturating_sub(a.submitted_at?) as f64 / 3600.0;
                        (hours >= 0.0).then_some((hours, 1.0))
                    })
                    .collect(),
            )
        }
    };
    let in_view = pairs.len() as u64;
    let with: Vec<(f64, f64)> = pairs.iter().flatten().copied().collect();
    let used = with.len() as u64;
    let (numerator, denominator) = with
        .iter()
        .fold((0.0, 0.0), |(n, d), (pn, pd)| (n + pn, d + pd));
    match def.eval {
        Eval::ClvRatio => {
            e.parts.push(part(
                PartRole::Numerator,
                "CLV (Σclv × new customers / Σnew customers)",
                if denominator != 0.0 {
                    numerator / denominator
                } else {
                    0.0
                },
            ));
            if let Some(cpa) = results.overall.get(KpiId::Cpa).value() {
                e.parts.push(part(PartRole::Denominator, "CPA", cpa));
            }
        }
        Eval::BudgetPacing => {
            e.parts.push(part(
                PartRole::Numerator,
                "Σcost of the campaigns with a budget and dates",
                numerator,
            ));
            e.parts.push(part(
                PartRole::Denominator,
                "planned spend to date",
                denominator,
            ));
        }
        _ if entity_ratio_words(kpi).is_none() => {
            if used > 0 {
                e.parts.push(part(
                    PartRole::Mean,
                    format!("mean over the {unit} with the inputs"),
                    numerator / used as f64,
                ));
            }
            e.parts.push(part(
                PartRole::Count,
                format!("{unit} with the inputs"),
                used as f64,
            ));
        }
        _ => {
            let (num, den) = entity_ratio_words(kpi).unwrap_or_default();
            e.parts.push(part(PartRole::Numerator, num, numerator));
            e.parts.push(part(PartRole::Denominator, den, denominator));
        }
    }
    let inputs: Vec<String> = def.inputs();
    let mut excluded = Vec::new();
    if universe > in_view {
        excluded.push((ExcludeReason::FilteredOut, universe - in_view));
    }
    if in_view > used {
        excluded.push((ExcludeReason::AbsentInputs(inputs), in_view - used));
    }
    e.coverage = ExplainCoverage {
        unit: unit.to_owned(),
        used,
        excluded,
    };
    e.excluded = e
        .coverage
        .excluded
        .iter()
        .map(|(reason, rows)| ExcludedRows {
            reason: reason.clone(),
            rows: *rows,
            sample: Vec::new(),
        })
        .collect();
    e.additive = false;
    for g in &results.groups {
        let value = g.kpis.get(kpi).value();
        e.contributions.push(Contribution {
            dimension: g.dimension,
            key: g.key.clone(),
            numerator: value.unwrap_or(0.0),
            denominator: None,
            rows: g.sums.rows,
            value,
        });
    }
}
