//! The spec's nine alert rules, evaluated on engine results with the editable thresholds
//! of `Settings.alerts`:
//!
//! - critical: engagement rate more than 30% below its target's lower bound (per campaign,
//!   and per platform against the platform's own target); conversion rate below 2% (per
//!   campaign); a compliance violation (each undisclosed post in view, each creator in
//!   view whose contract terms were not met);
//! - warning: ROAS below 3 (per campaign); influencer score below 70 (per creator);
//!   budget pacing above 110% (per campaign);
//! - success: campaign ROAS at least 1.5 × the ROAS target; a post with at least 1M
//!   impressions (single posts, not rollup rows); a creator partnership with more than
//!   $100K revenue in view.

use serde::{Deserialize, Serialize};

use crate::display::format::NumberStyle;

use crate::data::schema::Measure;
use crate::data::store::{Disclosure, Workspace};

use super::engine::{select_rows, Dimension, Filter, GroupResult, Results};
use super::entities::creators_matching;
use super::registry::kpi;
use super::score::engagement_floor;
use super::settings::Settings;
use super::targets::{effective_target, target_floor};

/// Alert severity, as the spec groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    Warning,
    Success,
}

/// The nine rules of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertRule {
    EngagementBelowTarget,
    ConversionRateLow,
    ComplianceViolation,
    RoasLow,
    InfluencerScoreLow,
    BudgetOverPaced,
    RoasAboveTarget,
    ViralPost,
    PartnershipRevenue,
}

/// What raised the alert.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "id")]
pub enum Subject {
    Campaign(String),
    Platform(String),
    Creator(String),
    Post(String),
}

/// One alert.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub severity: Severity,
    pub rule: AlertRule,
    pub subject: Subject,
    /// The value that triggered it, in the KPI's unit.
    pub value: f64,
    /// The threshold it crossed.
    pub threshold: f64,
    /// One sentence for people.
    pub message: String,
    /// The app route of the subject (e.g. `/campaigns/C1`).
    pub link: String,
}

impl Subject {
    /// The app route of the subject.
    pub fn link(&self) -> String {
        match self {
            Subject::Campaign(id) => format!("/campaigns/{id}"),
            Subject::Platform(key) => format!("/campaigns?platform={key}"),
            Subject::Creator(id) => format!("/creators/{id}"),
            Subject::Post(id) => format!("/campaigns?post={id}"),
        }
    }
}

/// Every alert for the view described by `filter` and its `results`, critical first,
/// then warning, then success.
pub fn evaluate(
    ws: &Workspace,
    filter: &Filter,
    settings: &Settings,
    results: &Results,
) -> Vec<Alert> {
    let mut alerts = Vec::new();
    campaign_alerts(settings, results, &mut alerts);
    platform_alerts(settings, results, &mut alerts);
    creator_alerts(ws, filter, settings, results, &mut alerts);
    post_alerts(ws, filter, settings, &mut alerts);
    alerts.sort_by(|a, b| (a.severity, a.rule, &a.subject).cmp(&(b.severity, b.rule, &b.subject)));
    alerts
}

fn alert(
    severity: Severity,
    rule: AlertRule,
    subject: Subject,
    value: f64,
    threshold: f64,
    message: String,
) -> Alert {
    Alert {
        link: subject.link(),
        severity,
        rule,
        subject,
        value,
        threshold,
        message,
    }
}

/// The lower bound of a KPI's target in force.
fn floor_of(id: &str, settings: &Settings) -> Option<f64> {
    kpi(id)
        .and_then(|def| effective_target(def, settings))
        .and_then(target_floor)
}

fn keyed(results: &Results, dimension: Dimension) -> impl Iterator<Item = &GroupResult> {
    results.groups_of(dimension).filter(|g| !g.key.is_empty())
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

fn campaign_alerts(settings: &Settings, results: &Results, alerts: &mut Vec<Alert>) {
    let t = settings.alerts;
    let er_floor = floor_of("engagement_rate", settings);
    let roas_target = floor_of("roas", settings);
    for g in keyed(results, Dimension::Campaign) {
        let subject = || Subject::Campaign(g.key.clone());
        let value = |id: &str| g.kpis.get(id).value();
        if let (Some(er), Some(floor)) = (value("engagement_rate"), er_floor) {
            let threshold = floor * (1.0 - t.engagement_drop);
            if er < threshold {
                alerts.push(alert(Severity::Critical, AlertRule::EngagementBelowTarget, subject(), er, threshold,
                    format!("Campaign {}: engagement rate {} is more than {:.0}% below its target of {}.", g.key, pct(er), t.engagement_drop * 100.0, pct(floor))));
            }
        }
        if let Some(cr) = value("conversion_rate").filter(|cr| *cr < t.conversion_min) {
            alerts.push(alert(
                Severity::Critical,
                AlertRule::ConversionRateLow,
                subject(),
                cr,
                t.conversion_min,
                format!(
                    "Campaign {}: conversion rate {} is below {}.",
                    g.key,
                    pct(cr),
                    pct(t.conversion_min)
                ),
            ));
        }
        if let Some(roas) = value("roas") {
            if roas < t.roas_min {
                alerts.push(alert(
                    Severity::Warning,
                    AlertRule::RoasLow,
                    subject(),
                    roas,
                    t.roas_min,
                    format!(
                        "Campaign {}: ROAS {roas:.2}:1 is below {:.1}:1.",
                        g.key, t.roas_min
                    ),
                ));
            }
            if let Some(target) = roas_target {
                let threshold = target * t.roas_target_multiple;
                if roas >= threshold {
                    alerts.push(alert(Severity::Success, AlertRule::RoasAboveTarget, subject(), roas, threshold,
                        format!("Campaign {}: ROAS {roas:.2}:1 beats the {target:.1}:1 target by {:.0}% or more.", g.key, (t.roas_target_multiple - 1.0) * 100.0)));
                }
            }
        }
        if let Some(pacing) = value("budget_pacing").filter(|p| *p > t.pacing_max) {
            alerts.push(alert(
                Severity::Warning,
                AlertRule::BudgetOverPaced,
                subject(),
                pacing,
                t.pacing_max,
                format!(
                    "Campaign {}: spend is at {} of plan to date (over {}).",
                    g.key,
                    pct(pacing),
                    pct(t.pacing_max)
                ),
            ));
        }
    }
}

fn platform_alerts(settings: &Settings, results: &Results, alerts: &mut Vec<Alert>) {
    let drop = settings.alerts.engagement_drop;
    for g in keyed(results, Dimension::Platform) {
        let er = g.kpis.get("engagement_rate").value();
        if let (Some(er), Some(floor)) = (er, engagement_floor(Some(&g.key), settings)) {
            let threshold = floor * (1.0 - drop);
            if er < threshold {
                alerts.push(alert(Severity::Critical, AlertRule::EngagementBelowTarget, Subject::Platform(g.key.clone()), er, threshold,
                    format!("{}: engagement rate {} is more than {:.0}% below the platform target of {}.", g.key, pct(er), drop * 100.0, pct(floor))));
            }
        }
    }
}

fn creator_alerts(
    ws: &Workspace,
    filter: &Filter,
    settings: &Settings,
    results: &Results,
    alerts: &mut Vec<Alert>,
) {
    let t = settings.alerts;
    let has_revenue = ws.posts.has(Measure::Revenue);
    for g in keyed(results, Dimension::Creator) {
        let subject = || Subject::Creator(g.key.clone());
        if let Some(score) = g
            .kpis
            .get("influencer_score")
            .value()
            .filter(|s| *s < t.score_min)
        {
            alerts.push(alert(
                Severity::Warning,
                AlertRule::InfluencerScoreLow,
                subject(),
                score,
                t.score_min,
                format!(
                    "Creator {}: influencer score {score:.0} is below {:.0}.",
                    g.key, t.score_min
                ),
            ));
        }
        let revenue = g.sums.get(Measure::Revenue);
        if has_revenue && revenue > t.partnership_revenue {
            alerts.push(alert(
                Severity::Success,
                AlertRule::PartnershipRevenue,
                subject(),
                revenue,
                t.partnership_revenue,
                format!(
                    "Creator {}: the partnership generated {} in revenue.",
                    g.key,
                    NumberStyle::of(settings).money(revenue)
                ),
            ));
        }
    }
    let in_view: Vec<&str> = if ws.posts.is_empty() {
        creators_matching(ws, filter)
            .into_iter()
            .map(|c| c.id)
            .collect()
    } else {
        keyed(results, Dimension::Creator)
            .map(|g| g.key.as_str())
            .collect()
    };
    for id in in_view {
        if ws.creator(id).and_then(|c| c.contract_terms_met) == Some(false) {
            alerts.push(alert(
                Severity::Critical,
                AlertRule::ComplianceViolation,
                Subject::Creator(id.to_owned()),
                0.0,
                1.0,
                format!("Creator {id}: contract terms were not met."),
            ));
        }
    }
}

fn post_alerts(ws: &Workspace, filter: &Filter, settings: &Settings, alerts: &mut Vec<Alert>) {
    let p = &ws.posts;
    let viral = settings.alerts.viral_impressions;
    let impressions = p.measure(Measure::Impressions);
    let post_count = p.measure(Measure::PostCount);
    let has_impressions = p.has(Measure::Impressions);
    for r in select_rows(ws, filter) {
        let r = r as usize;
        let undisclosed = p.disclosure[r] == Disclosure::Undisclosed;
        let views = impressions.get(r).copied().unwrap_or(0.0);
        let single_post = post_count.get(r).is_none_or(|n| *n <= 1.0);
        let is_viral = has_impressions && single_post && views >= viral;
        if !undisclosed && !is_viral {
            continue;
        }
        let id = match p.post_id.get(r) {
            "" => format!("row {}", r + 1),
            id => id.to_owned(),
        };
        let campaign = p.campaigns.value(p.campaign[r]);
        let link = if campaign.is_empty() {
            Subject::Post(id.clone()).link()
        } else {
            format!("/campaigns/{campaign}?post={id}")
        };
        if undisclosed {
            let mut a = alert(
                Severity::Critical,
                AlertRule::ComplianceViolation,
                Subject::Post(id.clone()),
                0.0,
                1.0,
                format!("Post {id} has no ad disclosure (#ad / paid partnership)."),
            );
            a.link = link.clone();
            alerts.push(a);
        }
        if is_viral {
            let mut a = alert(
                Severity::Success,
                AlertRule::ViralPost,
                Subject::Post(id.clone()),
                views,
                viral,
                format!(
                    "Post {id} reached {} impressions.",
                    NumberStyle::of(settings).number(views, 0)
                ),
            );
            a.link = link;
            alerts.push(a);
        }
    }
}
