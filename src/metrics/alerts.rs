//! The spec's nine alert rules, evaluated on engine results with editable thresholds.

use serde::{Deserialize, Serialize};

/// Alert severity, as the spec groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Critical,
    Warning,
    Success,
}

/// The nine rules of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
