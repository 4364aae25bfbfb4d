//! Cadence reports (the spec's "Reporting Cadence"): for a daily, weekly, monthly or
//! quarterly cadence, the period that holds the last date in the data, to date, against
//! the same days of the period before; its key KPIs with their change, the alerts raised
//! in it, the top and bottom creators by ROAS; and a plain-text summary for e-mail.

use serde::{Deserialize, Serialize};

use crate::data::calendar::{format_day, saturate, Day, Granularity};
use crate::data::store::Workspace;
use crate::metrics::alerts::{evaluate, Alert, Severity};
use crate::metrics::engine::{compute, Coverage, Dimension, Filter, KpiValue, Results};
use crate::metrics::registry::{kpi, KpiDef, KpiId};
use crate::metrics::settings::Settings;
use crate::metrics::trend::{trend, Trend};

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
    let current = compute(ws, &current_filter, settings, g);
    let previous = compute(ws, &window(period.previous), settings, g);
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
            }
        })
        .collect();
    let alerts = evaluate(ws, &current_filter, settings, &current);
    let (top, bottom) = ranked_creators(ws, &current);
    Some(CadenceReport {
        cadence,
        period,
        kpis,
        alerts,
        top,
        bottom,
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
        out.push_str(&format!(
            "- {}: {} (previous {}, change {})\n",
            k.def.name,
            style.kpi(&k.current, k.def.unit),
            style.kpi(&k.previous, k.def.unit),
            style.change(k.trend.change)
        ));
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
