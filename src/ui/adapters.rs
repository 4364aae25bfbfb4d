//! TODO(merge): tiny local stand-ins for metrics/ingest functions that are being written
//! in parallel (`targets::status`, `trend::trend`, `alerts::evaluate`, the renewal rule,
//! `ingest::rejected_rows_csv`, `mapping::header_signature`). Each is replaced by a call
//! to the real function at merge; keep them small.

use crate::data::ingest::FileReport;
use crate::data::store::Workspace;
use crate::metrics::alerts::Alert;
use crate::metrics::engine::{Filter, KpiValue, Results};
use crate::metrics::registry::{Direction, KpiDef, Target};
use crate::metrics::settings::Settings;
use crate::metrics::targets::{effective_target, Status};
use crate::metrics::trend::Trend;

/// TODO(merge): `metrics::targets::status`.
pub fn status(def: &KpiDef, value: &KpiValue, settings: &Settings) -> Status {
    let (Some(v), Some(target)) = (value.value(), effective_target(def, settings)) else {
        return Status::NoTarget;
    };
    let (lo, hi) = match target {
        Target::AtLeast(t) => (t, f64::INFINITY),
        Target::AtMost(t) => (f64::NEG_INFINITY, t),
        Target::Range(lo, hi) => (lo, hi),
        Target::AboveSiteAov(_) => return Status::NoTarget,
    };
    if v < lo {
        Status::Below
    } else if v > hi {
        Status::Above
    } else {
        Status::OnTarget
    }
}

/// TODO(merge): `metrics::trend::trend`.
pub fn trend(current: &KpiValue, previous: &KpiValue, direction: Direction) -> Trend {
    let change = match (current.value(), previous.value()) {
        (Some(c), Some(p)) if p != 0.0 => Some((c - p) / p.abs()),
        _ => None,
    };
    let good = change.filter(|c| *c != 0.0).and_then(|c| match direction {
        Direction::HigherIsBetter => Some(c > 0.0),
        Direction::LowerIsBetter => Some(c < 0.0),
        Direction::WithinRange => None,
    });
    Trend { change, good }
}

/// TODO(merge): `metrics::alerts::evaluate` (no alerts until it lands).
pub fn alerts(
    _ws: &Workspace,
    _filter: &Filter,
    _settings: &Settings,
    _results: &Results,
) -> Vec<Alert> {
    Vec::new()
}

/// Renewal decision for a creator partnership.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Renewal {
    Renew,
    Renegotiate,
    Drop,
}

impl Renewal {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Renewal::Renew => "Renew",
            Renewal::Renegotiate => "Renegotiate",
            Renewal::Drop => "Drop",
        }
    }
}

/// TODO(merge): the metrics module's renewal rule. Until then: drop on a contract breach
/// or a score under the alert threshold; renew when score and ROAS meet their targets;
/// renegotiate otherwise.
pub fn renewal(
    score: &KpiValue,
    roas: &KpiValue,
    contract_met: Option<bool>,
    settings: &Settings,
) -> (Renewal, String) {
    if contract_met == Some(false) {
        return (Renewal::Drop, "The contract terms were not met.".into());
    }
    let roas_target =
        match crate::metrics::registry::kpi("roas").and_then(|d| effective_target(d, settings)) {
            Some(Target::AtLeast(t)) => t,
            _ => 5.0,
        };
    match (score.value(), roas.value()) {
        (Some(s), _) if s < settings.alerts.score_min => (
            Renewal::Drop,
            format!(
                "Influencer score {s:.0} is under {:.0}.",
                settings.alerts.score_min
            ),
        ),
        (Some(s), Some(r)) if s >= 80.0 && r >= roas_target => (
            Renewal::Renew,
            format!("Score {s:.0} and ROAS {r:.1}:1 both meet their targets."),
        ),
        (None, None) => (
            Renewal::Renegotiate,
            "Not enough data (score and ROAS are n/a): review by hand.".into(),
        ),
        _ => (
            Renewal::Renegotiate,
            "Score or ROAS is below target: renegotiate the terms.".into(),
        ),
    }
}

/// TODO(merge): `ingest::rejected_rows_csv`.
pub fn rejected_rows_csv(reports: &[FileReport]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("file,line,column,raw_value,reason\n");
    for issue in reports.iter().flat_map(|r| &r.issues) {
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            quote(&issue.file),
            issue.line,
            quote(issue.column.as_deref().unwrap_or("")),
            quote(&issue.raw_value),
            quote(&issue.reason)
        ));
    }
    out
}

/// TODO(merge): `mapping::header_signature`.
pub fn header_signature(headers: &[String]) -> String {
    headers
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect::<Vec<_>>()
        .join("\u{1f}")
}
