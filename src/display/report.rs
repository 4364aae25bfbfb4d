//! Cadence reports (the spec's "Reporting Cadence"): for a daily, weekly, monthly or
//! quarterly cadence, the period that holds the last date in the data, to date, against
//! the same days of the period before; its key KPIs with their change, the alerts raised
//! in it, the top and bottom creators by ROAS; and a plain-text summary for e-mail.

use serde::{Deserialize, Serialize};

use crate::data::calendar::{format_day, saturate, Day, Granularity};
use crate::data::store::Workspace;
use crate::metrics::alerts::{evaluate, Alert, Severity};
use crate::metrics::drivers::{drivers_between, Drivers};
use crate::metrics::engine::{compute, day_sums, Coverage, Dimension, Filter, KpiValue, Results};
use crate::metrics::registry::{kpi, KpiDef, KpiId};
use crate::metrics::settings::Settings;
use crate::metrics::trend::{trend, Trend};
use crate::metrics::variation::{variations, Variation, Window};

use super::drivers::{drivers_sentence, platform_name, unkeyed};
use super::format::NumberStyle;

/// How often a report is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cadence {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
}

impl Cadence {
    /// Every cadence, shortest first.
    pub const ALL: [Cadence; 4] = [
        Cadence::Daily,
        Cadence::Weekly,
        Cadence::Monthly,
        Cadence::Quarterly,
    ];

    /// The URL value (`?cadence=`).
    pub fn name(self) -> &'static str {
        match self {
            Cadence::Daily => "daily",
            Cadence::Weekly => "weekly",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
        }
    }

    /// Display label.
    pub fn label(self) -> &'static str {
        match self {
            Cadence::Daily => "Daily",
            Cadence::Weekly => "Weekly",
            Cadence::Monthly => "Monthly",
            Cadence::Quarterly => "Quarterly",
        }
    }

    /// Parses [`Cadence::name`].
    pub fn from_name(name: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The calendar period of the cadence.
    pub fn granularity(self) -> Granularity {
        match self {
            Cadence::Daily => Granularity::Day,
            Cadence::Weekly => Granularity::Week,
            Cadence::Monthly => Granularity::Month,
            Cadence::Quarterly => Granularity::Quarter,
        }
    }
}

/// The KPIs a report leads with (ROAS, engagement and sentiment first, as the summary).
pub const REPORT_KPIS: [KpiId; 10] = [
    KpiId::Roas,
    KpiId::EngagementRate,
    KpiId::CommentSentiment,
    KpiId::ConversionRate,
    KpiId::Ctr,
    KpiId::Cpa,
    KpiId::Impressions,
    KpiId::Reach,
    KpiId::Emv,
    KpiId::BudgetPacing,
];
/// The KPIs whose change a report explains by its drivers (those of [`REPORT_KPIS`]
/// that are a ratio of posts sums or a total).
pub const DRIVER_KPIS: [KpiId; 8] = [
    KpiId::Roas,
    KpiId::EngagementRate,
    KpiId::CommentSentiment,
    KpiId::ConversionRate,
    KpiId::Ctr,
    KpiId::Cpa,
    KpiId::Impressions,
    KpiId::Reach,
];
/// How many creators the top and bottom lists hold.
const RANKED_CREATORS: usize = 3;

/// The report's period and the one it is compared with, both as inclusive day ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPeriod {
    pub current: (Day, Day),
    pub previous: (Day, Day),
}

impl ReportPeriod {
    /// The period of `cadence` holding `last`, from its start to `last`, and the same
    /// number of days from the start of the period before (never past that period's end).
    pub fn ending(cadence: Cadence, last: Day) -> ReportPeriod {
        let g = cadence.granularity();
        let start = g.period_start(last);
        // In i64, saturated back: a `last` near the ends of Day cannot wrap.
        let before = i64::from(start) - 1;
        let previous_start = g.period_start(saturate(before));
        let previous_end = saturate(
            (i64::from(previous_start) + (i64::from(last) - i64::from(start))).min(before),
        );
        ReportPeriod {
            current: (start, last),
            previous: (previous_start, previous_end),
        }
    }

    /// "2025-03-01 to 2025-03-22" (one date for a single day).
    pub fn label(range: (Day, Day)) -> String {
        if range.0 == range.1 {
            format_day(range.0)
        } else {
            format!("{} to {}", format_day(range.0), format_day(range.1))
        }
    }
}

/// One KPI of the report: now, before and the change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportKpi {
    #[serde(with = "crate::metrics::registry::def_by_id")]
    pub def: &'static KpiDef,
    pub current: KpiValue,
    /// The rows the current value used (KPIs computed from posts rows).
    #[serde(default)]
    pub coverage: Option<Coverage>,
    pub previous: KpiValue,
    pub trend: Trend,
    /// Whether the change is within the days' normal variation.
    #[serde(default)]
    pub variation: Option<Variation>,
}

/// Why one KPI moved in the report's period: its change split by the dimension whose
/// groups moved most (largest `Σ|mix| + |rate|`; platform on a tie).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportDrivers {
    pub drivers: Drivers,
    /// The display name of each driver's group, in the order of `drivers.drivers`.
    pub names: Vec<String>,
}

impl ReportDrivers {
    /// "ROAS fell 0.6: TikTok's rate fell (−0.4) and spend moved to YouTube (−0.2)".
    pub fn sentence(&self, style: &NumberStyle) -> String {
        let name = |_: Dimension, key: &str| {
            self.drivers
                .drivers
                .iter()
                .zip(&self.names)
                .find(|(d, _)| d.key == key)
                .map_or_else(|| key.to_owned(), |(_, n)| n.clone())
        };
        drivers_sentence(&self.drivers, name, style)
    }
}

/// A group's display name: a platform's ("TikTok"), a campaign's or creator's from its
/// table, else its key; rows without a key are "posts without a …".
pub fn group_name(ws: &Workspace, dimension: Dimension, key: &str) -> String {
    if key.is_empty() {
        return unkeyed(dimension);
    }
    match dimension {
        Dimension::Platform => platform_name(key),
        Dimension::Campaign => ws.campaign_name(key).unwrap_or(key).to_owned(),
        Dimension::Creator => ws.creator_name(key).unwrap_or(key).to_owned(),
        Dimension::Format => key.to_owned(),
    }
}

/// The split of `kpi`'s change by the dimension whose groups moved most (platform
/// first on a tie), with the groups' names.
pub fn largest_drivers(
    ws: &Workspace,
    previous: &Results,
    current: &Results,
    settings: &Settings,
    kpi: KpiId,
) -> Option<ReportDrivers> {
    let mut best: Option<Drivers> = None;
    for dimension in Dimension::ALL {
        let Some(d) = drivers_between(previous, current, settings, kpi, dimension) else {
            continue;
        };
        if best.as_ref().is_none_or(|b| d.movement() > b.movement()) {
            best = Some(d);
        }
    }
    let drivers = best?;
    let names = drivers
        .drivers
        .iter()
        .map(|d| group_name(ws, d.dimension, &d.key))
        .collect();
    Some(ReportDrivers { drivers, names })
}

/// A creator in the top or bottom list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RankedCreator {
    pub id: String,
    pub name: String,
    pub roas: f64,
    pub revenue: f64,
}

/// A cadence report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CadenceReport {
    pub cadence: Cadence,
    pub period: ReportPeriod,
    pub kpis: Vec<ReportKpi>,
    /// The alerts of the current period, critical first.
    pub alerts: Vec<Alert>,
    /// Best creators by ROAS, best first.
    pub top: Vec<RankedCreator>,
    /// Worst creators by ROAS, worst first (none of them in `top`).
    pub bottom: Vec<RankedCreator>,
    /// Why the KPIs of [`DRIVER_KPIS`] moved (those with a value in both periods).
    #[serde(default)]
    pub drivers: Vec<ReportDrivers>,
}

/// The report of `cadence` for the rows `filter` selects (its dates are replaced by the
/// report's periods). `None` when the data has no dates.
pub fn build_report(
    ws: &Workspace,
    filter: &Filter,
    settings: &Settings,
    cadence: Cadence,
) -> Option<CadenceReport> {
    let last = settings
        .as_of
        .or_else(|| ws.posts.date_span().map(|s| s.1))?;
    let period = ReportPeriod::ending(cadence, last);
    let window = |(from, to): (Day, Day)| Filter {
        from: Some(from),
        to: Some(to),
        ..filter.clone()
    };
    let g = cadence.granularity();
    let current_filter = window(period.current);
    let previous_filter = window(period.previous);
    let current = compute(ws, &current_filter, settings, g);
    let previous = compute(ws, &previous_filter, settings, g);
    // The variation flags read the days of each period.
    let (previous_days, current_days) = (
        day_sums(ws, &previous_filter),
        day_sums(ws, &current_filter),
    );
    let variation = variations(
        settings,
        Window {
            results: &previous,
            days: &previous_days,
            filter: &previous_filter,
        },
        Window {
            results: &current,
            days: &current_days,
            filter: &current_filter,
        },
    );
    let kpis = REPORT_KPIS
        .iter()
        .map(|&id| kpi(id))
        .map(|def| {
            let now = current.overall.get(def.id);
            let before = previous.overall.get(def.id);
            ReportKpi {
                def,
                coverage: current.overall.coverage(def.id),
                trend: trend(&now, &before, def.direction),
                current: now,
                previous: before,
                variation: variation
                    .iter()
                    .find(|(id, _)| *id == def.id)
                    .map(|(_, v)| *v),
            }
        })
        .collect();
    let alerts = evaluate(ws, &current_filter, settings, &current);
    let (top, bottom) = ranked_creators(ws, &current);
    let drivers = DRIVER_KPIS
        .iter()
        .filter_map(|&id| largest_drivers(ws, &previous, &current, settings, id))
        .collect();
    Some(CadenceReport {
        cadence,
        period,
        kpis,
        alerts,
        top,
        bottom,
        drivers,
    })
}

fn ranked_creators(ws: &Workspace, results: &Results) -> (Vec<RankedCreator>, Vec<RankedCreator>) {
    let ranked: Vec<RankedCreator> = results
        .ranked(Dimension::Creator, KpiId::Roas)
        .into_iter()
        .map(|(g, roas)| RankedCreator {
            id: g.key.clone(),
            name: ws.creator_name(&g.key).unwrap_or(&g.key).to_owned(),
            roas,
            revenue: g.sums.get(crate::data::schema::Measure::Revenue),
        })
        .collect();
    let top: Vec<RankedCreator> = ranked.iter().take(RANKED_CREATORS).cloned().collect();
    let bottom = ranked
        .iter()
        .skip(top.len())
        .rev()
        .take(RANKED_CREATORS)
        .cloned()
        .collect();
    (top, bottom)
}

/// The report as plain text for an e-mail: title, period, KPIs with change, alert
/// counts and messages, top and bottom creators, and the settings lines.
pub fn plain_text(
    report: &CadenceReport,
    style: &NumberStyle,
    settings_lines: &[String],
) -> String {
    let mut out = format!(
        "{} influencer report: {} (vs {})\n\n",
        report.cadence.label(),
        ReportPeriod::label(report.period.current),
        ReportPeriod::label(report.period.previous)
    );
    out.push_str("Key KPIs\n");
    for k in &report.kpis {
        let flag = match (&k.variation, k.trend.change) {
            (Some(v), Some(_)) => format!(", {}", v.verdict.words()),
            _ => String::new(),
        };
        out.push_str(&format!(
            "- {}: {} (previous {}, change {}{flag})\n",
            k.def.name,
            style.kpi(&k.current, k.def.unit),
            style.kpi(&k.previous, k.def.unit),
            style.change(k.trend.change)
        ));
    }
    if !report.drivers.is_empty() {
        out.push_str("\nWhy it moved\n");
        for d in &report.drivers {
            out.push_str(&format!(
                "- {} (by {})\n",
                d.sentence(style),
                d.drivers.dimension.name()
            ));
        }
    }
    let count = |s: Severity| report.alerts.iter().filter(|a| a.severity == s).count();
    out.push_str(&format!(
        "\nAlerts: {} critical, {} warning, {} success\n",
        count(Severity::Critical),
        count(Severity::Warning),
        count(Severity::Success)
    ));
    for alert in &report.alerts {
        out.push_str(&format!(
            "- [{:?}] {}\n",
            alert.severity,
            super::alerts::message(alert, style)
        ));
    }
    for (title, list) in [
        ("Top creators (ROAS)", &report.top),
        ("Bottom creators (ROAS)", &report.bottom),
    ] {
        out.push_str(&format!("\n{title}\n"));
        if list.is_empty() {
            out.push_str("- none in this period\n");
        }
        for c in list {
            out.push_str(&format!(
                "- {}: ROAS {}, revenue {}\n",
                c.name,
                style.number(c.roas, 2),
                style.money(c.revenue)
            ));
        }
    }
    out.push_str("\nComputed with\n");
    for line in settings_lines {
        out.push_str(&format!("- {line}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::calendar::parse_iso_day;
    use crate::data::ingest::{load, LoadOptions};

    fn day(s: &str) -> Day {
        parse_iso_day(s).unwrap()
    }

    #[test]
    fn periods_are_to_date_against_the_same_days_before() {
        let last = day("2025-03-22"); // a Saturday
        let p = |c| ReportPeriod::ending(c, last);
        assert_eq!(p(Cadence::Daily).current, (last, last));
        assert_eq!(
            p(Cadence::Daily).previous,
            (day("2025-03-21"), day("2025-03-21"))
        );
        // Weeks start on Monday 2025-03-17; the week before starts 2025-03-10.
        assert_eq!(p(Cadence::Weekly).current, (day("2025-03-17"), last));
        assert_eq!(
            p(Cadence::Weekly).previous,
            (day("2025-03-10"), day("2025-03-15"))
        );
        assert_eq!(
            p(Cadence::Monthly).previous,
            (day("2025-02-01"), day("2025-02-22"))
        );
        assert_eq!(p(Cadence::Quarterly).current, (day("2025-01-01"), last));
        // 2025-01-01 + 80 days = 2025-03-22, so 2024-10-01 + 80 days = 2024-12-20.
        assert_eq!(
            p(Cadence::Quarterly).previous,
            (day("2024-10-01"), day("2024-12-20"))
        );
        // 31 March against February: clamped to 28 February.
        let end = ReportPeriod::ending(Cadence::Monthly, day("2025-03-31"));
        assert_eq!(end.previous, (day("2025-02-01"), day("2025-02-28")));
    }

    fn workspace() -> Workspace {
        // March 2025 (to the 22nd) against February 1–22:
        // March: revenue 500 + 300 = 800, cost 100 + 300 = 400 → ROAS 2;
        //   K1 ROAS 500 / 100 = 5, K2 300 / 300 = 1.
        // February: revenue 300, cost 100 → ROAS 3.
        let csv = "platform,date,creator_id,impressions,reach,likes,clicks,revenue,cost\n\
                   tiktok,2025-02-10,K1,1000,800,10,10,300,100\n\
                   tiktok,2025-03-05,K1,1000,800,10,10,500,100\n\
                   tiktok,2025-03-22,K2,1000,800,10,10,300,300\n";
        let mut ws = Workspace::default();
        load(&mut ws, "p.csv", csv.as_bytes(), &LoadOptions::default()).unwrap();
        ws
    }

    #[test]
    fn monthly_report_compares_kpis_and_ranks_creators() {
        let ws = workspace();
        let r = build_report(
            &ws,
            &Filter::default(),
            &Settings::default(),
            Cadence::Monthly,
        )
        .unwrap();
        assert_eq!(r.period.current, (day("2025-03-01"), day("2025-03-22")));
        let roas = r.kpis.iter().find(|k| k.def.id == KpiId::Roas).unwrap();
        assert_eq!(roas.current, KpiValue::Value(2.0)); // 800 / 400
        assert_eq!(roas.previous, KpiValue::Value(3.0)); // 300 / 100
        assert_eq!(roas.trend.change, Some(-1.0 / 3.0)); // (2 - 3) / 3
        assert_eq!(
            r.top.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
            ["K1", "K2"]
        );
        assert!(r.bottom.is_empty(), "two creators all fit in the top list");
        let text = plain_text(&r, &NumberStyle::default(), &["Currency: $".into()]);
        assert!(text.starts_with(
            "Monthly influencer report: 2025-03-01 to 2025-03-22 (vs 2025-02-01 to 2025-02-22)"
        ));
        assert!(text.contains("- ROAS: "));
        assert!(text.contains("- K1: ROAS 5"));
        assert!(text.ends_with("- Currency: $\n"));
    }

    #[test]
    fn the_report_says_why_roas_moved_and_flags_few_days() {
        let ws = workspace();
        let r = build_report(
            &ws,
            &Filter::default(),
            &Settings::default(),
            Cadence::Monthly,
        )
        .unwrap();
        // ROAS 3 → 2 by creator. February: K1 300/100. March: K1 500/100, K2 300/300.
        // Shares of cost: K1 1 → 0.25, K2 0 → 0.75; average ROAS (3 + 2)/2 = 2.5.
        // K1: mix (0.25 − 1)·((3 + 5)/2 − 2.5) = −1.125, rate (5 − 3)·(1 + 0.25)/2 = 1.25.
        // K2 (new, ratio 1): mix 0.75·(1 − 2.5) = −1.125, rate 0. Σ = −1 = 2 − 3.
        // Creators moved Σ|effects| = 3.5; platform, campaign and format have one
        // group each (1 apiece): the split is by creator.
        let roas = r
            .drivers
            .iter()
            .find(|d| d.drivers.kpi == KpiId::Roas)
            .unwrap();
        assert_eq!(roas.drivers.dimension, Dimension::Creator);
        let by_key = |k: &str| {
            let d = roas.drivers.drivers.iter().find(|d| d.key == k).unwrap();
            (d.mix, d.rate)
        };
        assert_eq!(by_key("K1"), (-1.125, 1.25));
        assert_eq!(by_key("K2"), (-1.125, 0.0));
        assert_eq!(roas.drivers.change(), -1.0);
        assert_eq!(
            roas.sentence(&NumberStyle::default()),
            "ROAS fell 1.0: K1's rate rose (+1.2), spend moved to K2 (−1.1) and spend moved away from K1 (−1.1)"
        );
        assert!(r
            .drivers
            .iter()
            .any(|d| d.drivers.kpi == KpiId::EngagementRate));
        // Two days with data a month: too few to tell.
        let flag = r.kpis.iter().find(|k| k.def.id == KpiId::Roas).unwrap();
        assert_eq!(
            flag.variation.map(|v| v.verdict),
            Some(crate::metrics::variation::Verdict::TooFewDays)
        );
        let text = plain_text(&r, &NumberStyle::default(), &[]);
        assert!(
            text.contains("change ▼ 33.3%, too few days to tell)"),
            "{text}"
        );
        assert!(text.contains("\nWhy it moved\n- ROAS fell 1.0: K1's rate rose"));
        let (json, reasons) = crate::metrics::value_json::to_json_sharing_reasons(&r).unwrap();
        let back: CadenceReport =
            crate::metrics::value_json::from_json_sharing_reasons(&json, reasons).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn no_dates_no_report() {
        let csv = "platform,impressions\ntiktok,10\n";
        let mut ws = Workspace::default();
        load(&mut ws, "p.csv", csv.as_bytes(), &LoadOptions::default()).unwrap();
        assert!(build_report(
            &ws,
            &Filter::default(),
            &Settings::default(),
            Cadence::Daily
        )
        .is_none());
    }
}
