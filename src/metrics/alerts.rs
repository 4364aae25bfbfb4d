//! The spec's nine alert rules, evaluated on engine results with the editable thresholds
//! of `Settings.alerts`:
//!
//! - critical: engagement rate more than 30% below its target's lower bound (per campaign,
//!   and per platform against the platform's own target); conversion rate below 2% (per
//!   campaign); a compliance violation (undisclosed SPONSORED posts in view, and creators
//!   in view whose contract terms were not met), one alert per subject;
//! - warning: ROAS below 3 (per campaign); influencer score below 70 (per creator);
//!   budget pacing above 110% (per campaign);
//! - success: campaign ROAS at least 1.5 × the ROAS target; a post with at least 1M
//!   impressions (single posts, not rollup rows); a creator partnership with more than
//!   $100K revenue in view.
//!
//! Alerts count subjects, not rows: the undisclosed sponsored posts of one creator make one
//! alert that names them (posts without a creator group by campaign, else by platform),
//! merged with that creator's contract-terms alert. A post is sponsored when it is in a
//! campaign, has a cost above 0, or is marked as a paid partnership (as the FTC
//! compliance KPI judges them);
//! a brand's own organic posts are never judged, and an unknown disclosure is never a
//! violation. No rule fires on an absent measure: KPI rules read the engine's values (an
//! n/a raises nothing) and row rules skip rows whose value is absent.
//!
//! An alert formats nothing: its [`Finding`] carries the figures of its sentence with
//! their units, and `display::alerts::message` words it in the user's number style.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::data::schema::Measure;
use crate::data::store::{Disclosure, Posts, Workspace};

use super::engine::{select_rows, Dimension, Filter, GroupResult, Results};
use super::entities::creators_matching;
use super::registry::{kpi, KpiId, Unit};
use super::score::engagement_floor;
use super::settings::Settings;
use super::targets::effective_floor;

/// Alert severity, as the spec groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    Warning,
    /// Worth a look: the anomaly rule (far from its own baseline, up or down).
    Notice,
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
    /// Beside the spec's nine (issue 19): a metric far outside its own baseline.
    Anomaly,
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

/// A post an alert names, with the route that shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostRef {
    /// The post id (`row N` when the file had none).
    pub id: String,
    /// The app route of the post (its campaign with the post picked out).
    pub link: String,
}

/// One alert.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub severity: Severity,
    pub rule: AlertRule,
    pub subject: Subject,
    /// The value that triggered it, in the KPI's unit. For a compliance alert: the number
    /// of undisclosed sponsored posts it names (threshold 0), or 0 of 1 for contract terms
    /// not met with no such post.
    pub value: f64,
    /// The threshold it crossed.
    pub threshold: f64,
    /// What its sentence says, as figures (worded by `display::alerts::message`).
    pub finding: Finding,
    /// The app route of the subject (e.g. `/campaigns/C1`).
    pub link: String,
    /// The posts behind the alert (the undisclosed posts of a compliance alert), in row
    /// order; empty for alerts about a whole campaign, platform or creator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub posts: Vec<PostRef>,
}

/// A number an alert states, with its unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub value: f64,
    pub unit: Unit,
}

impl Figure {
    /// A fraction (0.062 = 6.2%).
    pub fn ratio(value: f64) -> Figure {
        Figure {
            value,
            unit: Unit::Ratio,
        }
    }

    /// A multiple (ROAS 4.2 = 4.2:1).
    pub fn multiple(value: f64) -> Figure {
        Figure {
            value,
            unit: Unit::Multiple,
        }
    }

    /// An amount of money, in the workspace's currency.
    pub fn money(value: f64) -> Figure {
        Figure {
            value,
            unit: Unit::Money,
        }
    }

    /// A count.
    pub fn count(value: f64) -> Figure {
        Figure {
            value,
            unit: Unit::Count,
        }
    }

    /// A 0–100 score.
    pub fn score(value: f64) -> Figure {
        Figure {
            value,
            unit: Unit::Score,
        }
    }
}

/// What an alert says about its subject, one variant per rule, with the figures of its
/// sentence (no text: `display::alerts::message` words it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Finding {
    /// Engagement rate `rate` is more than `drop` below `target`, the lower bound of the
    /// engagement target (a platform's own target when the subject is a platform).
    EngagementBelowTarget {
        rate: Figure,
        drop: Figure,
        target: Figure,
    },
    /// Conversion rate `rate` is below `min`.
    ConversionRateLow { rate: Figure, min: Figure },
    /// ROAS `roas` is below `min`.
    RoasLow { roas: Figure, min: Figure },
    /// ROAS `roas` beats the ROAS target `target` by `margin` (a fraction) or more.
    RoasAboveTarget {
        roas: Figure,
        target: Figure,
        margin: Figure,
    },
    /// Spend is at `pacing` of plan to date, over `max`.
    BudgetOverPaced { pacing: Figure, max: Figure },
    /// Influencer score `score` is below `min`.
    InfluencerScoreLow { score: Figure, min: Figure },
    /// The partnership generated `revenue`.
    PartnershipRevenue { revenue: Figure },
    /// The post reached `impressions`.
    ViralPost { impressions: Figure },
    /// The creator's contract terms were not met (`contract_breached`), and/or the
    /// alert's `posts` are sponsored posts with no ad disclosure.
    Compliance { contract_breached: bool },
    /// `kpi` at `value` in the week ending `week_end` is `deviations` robust deviations
    /// from its baseline: the `median` (± `deviation`) of `points` weeks (or posts) of
    /// the `weeks` before; it fires beyond `threshold`.
    Anomaly {
        kpi: KpiId,
        value: Figure,
        median: Figure,
        deviation: Figure,
        deviations: f64,
        threshold: f64,
        points: u32,
        weeks: u32,
        week_end: crate::data::calendar::Day,
    },
}

/// Posts a compliance message names by id before "and N more".
pub const NAMED_POSTS: usize = 3;

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
    creator_alerts(ws, settings, results, &mut alerts);
    let undisclosed = post_alerts(ws, filter, settings, &mut alerts);
    compliance_alerts(ws, filter, results, undisclosed, &mut alerts);
    anomaly_alerts(ws, filter, settings, &mut alerts);
    alerts.sort_by(|a, b| (a.severity, a.rule, &a.subject).cmp(&(b.severity, b.rule, &b.subject)));
    alerts
}

fn alert(
    severity: Severity,
    rule: AlertRule,
    subject: Subject,
    value: f64,
    threshold: f64,
    finding: Finding,
) -> Alert {
    Alert {
        link: subject.link(),
        severity,
        rule,
        subject,
        value,
        threshold,
        finding,
        posts: Vec::new(),
    }
}

/// The lower bound of a KPI's target in force.
fn floor_of(id: KpiId, settings: &Settings) -> Option<f64> {
    effective_floor(kpi(id), settings)
}

fn keyed(results: &Results, dimension: Dimension) -> impl Iterator<Item = &GroupResult> {
    results.groups_of(dimension).filter(|g| !g.key.is_empty())
}

fn campaign_alerts(settings: &Settings, results: &Results, alerts: &mut Vec<Alert>) {
    let t = settings.alerts;
    let er_floor = floor_of(KpiId::EngagementRate, settings);
    let roas_target = floor_of(KpiId::Roas, settings);
    for g in keyed(results, Dimension::Campaign) {
        let subject = || Subject::Campaign(g.key.clone());
        let value = |id: KpiId| g.kpis.get(id).value();
        if let (Some(er), Some(floor)) = (value(KpiId::EngagementRate), er_floor) {
            let threshold = floor * (1.0 - t.engagement_drop);
            if er < threshold {
                let finding = Finding::EngagementBelowTarget {
                    rate: Figure::ratio(er),
                    drop: Figure::ratio(t.engagement_drop),
                    target: Figure::ratio(floor),
                };
                alerts.push(alert(
                    Severity::Critical,
                    AlertRule::EngagementBelowTarget,
                    subject(),
                    er,
                    threshold,
                    finding,
                ));
            }
        }
        if let Some(cr) = value(KpiId::ConversionRate).filter(|cr| *cr < t.conversion_min) {
            alerts.push(alert(
                Severity::Critical,
                AlertRule::ConversionRateLow,
                subject(),
                cr,
                t.conversion_min,
                Finding::ConversionRateLow {
                    rate: Figure::ratio(cr),
                    min: Figure::ratio(t.conversion_min),
                },
            ));
        }
        if let Some(roas) = value(KpiId::Roas) {
            if roas < t.roas_min {
                alerts.push(alert(
                    Severity::Warning,
                    AlertRule::RoasLow,
                    subject(),
                    roas,
                    t.roas_min,
                    Finding::RoasLow {
                        roas: Figure::multiple(roas),
                        min: Figure::multiple(t.roas_min),
                    },
                ));
            }
            if let Some(target) = roas_target {
                let threshold = target * t.roas_target_multiple;
                if roas >= threshold {
                    let finding = Finding::RoasAboveTarget {
                        roas: Figure::multiple(roas),
                        target: Figure::multiple(target),
                        margin: Figure::ratio(t.roas_target_multiple - 1.0),
                    };
                    alerts.push(alert(
                        Severity::Success,
                        AlertRule::RoasAboveTarget,
                        subject(),
                        roas,
                        threshold,
                        finding,
                    ));
                }
            }
        }
        if let Some(pacing) = value(KpiId::BudgetPacing).filter(|p| *p > t.pacing_max) {
            alerts.push(alert(
                Severity::Warning,
                AlertRule::BudgetOverPaced,
                subject(),
                pacing,
                t.pacing_max,
                Finding::BudgetOverPaced {
                    pacing: Figure::ratio(pacing),
                    max: Figure::ratio(t.pacing_max),
                },
            ));
        }
    }
}

fn platform_alerts(settings: &Settings, results: &Results, alerts: &mut Vec<Alert>) {
    let drop = settings.alerts.engagement_drop;
    for g in keyed(results, Dimension::Platform) {
        let er = g.kpis.get(KpiId::EngagementRate).value();
        if let (Some(er), Some(floor)) = (er, engagement_floor(Some(&g.key), settings)) {
            let threshold = floor * (1.0 - drop);
            if er < threshold {
                let finding = Finding::EngagementBelowTarget {
                    rate: Figure::ratio(er),
                    drop: Figure::ratio(drop),
                    target: Figure::ratio(floor),
                };
                alerts.push(alert(
                    Severity::Critical,
                    AlertRule::EngagementBelowTarget,
                    Subject::Platform(g.key.clone()),
                    er,
                    threshold,
                    finding,
                ));
            }
        }
    }
}

fn creator_alerts(ws: &Workspace, settings: &Settings, results: &Results, alerts: &mut Vec<Alert>) {
    let t = settings.alerts;
    let has_revenue = ws.posts.has(Measure::Revenue);
    for g in keyed(results, Dimension::Creator) {
        let subject = || Subject::Creator(g.key.clone());
        if let Some(score) = g
            .kpis
            .get(KpiId::InfluencerScore)
            .value()
            .filter(|s| *s < t.score_min)
        {
            alerts.push(alert(
                Severity::Warning,
                AlertRule::InfluencerScoreLow,
                subject(),
                score,
                t.score_min,
                Finding::InfluencerScoreLow {
                    score: Figure::score(score),
                    min: Figure::score(t.score_min),
                },
            ));
        }
        // Σ revenue over the creator's posts that report it (0, no alert, when none does;
        // nothing when no file has revenue).
        let revenue = g.sums.get(Measure::Revenue);
        if has_revenue && revenue > t.partnership_revenue {
            alerts.push(alert(
                Severity::Success,
                AlertRule::PartnershipRevenue,
                subject(),
                revenue,
                t.partnership_revenue,
                Finding::PartnershipRevenue {
                    revenue: Figure::money(revenue),
                },
            ));
        }
    }
}

/// Who answers for a post's disclosure: its creator, else its campaign, else its platform.
fn owner_of(p: &Posts, r: usize) -> Subject {
    let creator = p.creators.value(p.creator[r]);
    let campaign = p.campaigns.value(p.campaign[r]);
    if !creator.is_empty() {
        Subject::Creator(creator.to_owned())
    } else if !campaign.is_empty() {
        Subject::Campaign(campaign.to_owned())
    } else {
        Subject::Platform(p.platforms.value(p.platform[r]).to_owned())
    }
}

/// Viral-post alerts (one per post), and the undisclosed sponsored posts in view grouped
/// by the subject that answers for them.
fn post_alerts(
    ws: &Workspace,
    filter: &Filter,
    settings: &Settings,
    alerts: &mut Vec<Alert>,
) -> BTreeMap<Subject, Vec<PostRef>> {
    let p = &ws.posts;
    let viral = settings.alerts.viral_impressions;
    let impressions = p.column(Measure::Impressions as usize);
    let post_count = p.column(Measure::PostCount as usize);
    let mut undisclosed: BTreeMap<Subject, Vec<PostRef>> = BTreeMap::new();
    for r in select_rows(ws, filter) {
        let r = r as usize;
        // Absent impressions are not viral (and not 0 either: the row is skipped).
        let views = impressions
            .and_then(|c| c.get(r))
            .filter(|v| v.is_finite() && *v >= viral);
        // No post-count column: one post each; a row whose count is absent is not single.
        let single_post = post_count.is_none_or(|c| c.get(r).is_some_and(|n| n <= 1.0));
        let is_viral = single_post && views.is_some();
        let violation = p.disclosure[r] == Disclosure::Undisclosed && p.is_sponsored(r);
        if !violation && !is_viral {
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
        if let (Some(views), true) = (views, is_viral) {
            let mut a = alert(
                Severity::Success,
                AlertRule::ViralPost,
                Subject::Post(id.clone()),
                views,
                viral,
                Finding::ViralPost {
                    impressions: Figure::count(views),
                },
            );
            a.link = link.clone();
            alerts.push(a);
        }
        if violation {
            undisclosed
                .entry(owner_of(p, r))
                .or_default()
                .push(PostRef { id, link });
        }
    }
    undisclosed
}

/// One compliance alert per subject: a creator in view whose contract terms were not met,
/// and each subject with undisclosed sponsored posts (naming the posts); a creator with
/// both gets one alert.
fn compliance_alerts(
    ws: &Workspace,
    filter: &Filter,
    results: &Results,
    mut undisclosed: BTreeMap<Subject, Vec<PostRef>>,
    alerts: &mut Vec<Alert>,
) {
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
    let mut breached: Vec<Subject> = Vec::new();
    for id in in_view {
        if ws.creator(id).and_then(|c| c.contract_terms_met) == Some(false) {
            let subject = Subject::Creator(id.to_owned());
            undisclosed.entry(subject.clone()).or_default();
            breached.push(subject);
        }
    }
    for (subject, posts) in undisclosed {
        let breach = breached.contains(&subject);
        let n = posts.len();
        let (value, threshold) = if n == 0 { (0.0, 1.0) } else { (n as f64, 0.0) };
        let mut a = alert(
            Severity::Critical,
            AlertRule::ComplianceViolation,
            subject,
            value,
            threshold,
            Finding::Compliance {
                contract_breached: breach,
            },
        );
        a.posts = posts;
        alerts.push(a);
    }
}

/// The anomaly rule's alerts ([`super::anomaly`]), severity [`Severity::Notice`].
fn anomaly_alerts(ws: &Workspace, filter: &Filter, settings: &Settings, alerts: &mut Vec<Alert>) {
    use super::anomaly::{anomalies, AnomalySubject};
    for a in anomalies(ws, filter, settings) {
        let figure = |v: f64| Figure {
            value: v,
            unit: kpi(a.kpi).unit,
        };
        let k = settings.anomaly.threshold;
        let bound = if a.deviations > 0.0 {
            a.baseline.median + k * a.baseline.deviation
        } else {
            a.baseline.median - k * a.baseline.deviation
        };
        let finding = Finding::Anomaly {
            kpi: a.kpi,
            value: figure(a.value),
            median: figure(a.baseline.median),
            deviation: figure(a.baseline.deviation),
            deviations: a.deviations,
            threshold: k,
            points: a.baseline.points as u32,
            weeks: a.weeks,
            week_end: a.week.1,
        };
        let (subject, link) = match a.subject {
            AnomalySubject::Platform(key) => (Subject::Platform(key), None),
            AnomalySubject::Creator(id) => (Subject::Creator(id), None),
            AnomalySubject::Post { id, campaign } => {
                let link =
                    (!campaign.is_empty()).then(|| format!("/campaigns/{campaign}?post={id}"));
                (Subject::Post(id), link)
            }
        };
        let mut alert = alert(
            Severity::Notice,
            AlertRule::Anomaly,
            subject,
            a.value,
            bound,
            finding,
        );
        if let Some(link) = link {
            alert.link = link;
        }
        alerts.push(alert);
    }
}
