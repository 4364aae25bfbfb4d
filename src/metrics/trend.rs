//! Trends: a KPI against the previous period of equal length.

use serde::{Deserialize, Serialize};

/// Change against the compare period.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// Relative change (0.12 = +12%); `None` when either side is n/a or the previous is 0.
    pub change: Option<f64>,
    /// Whether the move is good given the KPI's direction; `None` when neutral/unknown.
    pub good: Option<bool>,
}
