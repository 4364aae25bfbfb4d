//! Targets and status: which target applies to a KPI and how a value compares with it.

use serde::{Deserialize, Serialize};

use super::registry::{KpiDef, Target};
use super::settings::Settings;

/// How a value compares with its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    OnTarget,
    Above,
    Below,
    NoTarget,
}

/// The target in force: the user's override, else the registry default.
pub fn effective_target(def: &KpiDef, settings: &Settings) -> Option<Target> {
    settings
        .target_overrides
        .get(def.id)
        .copied()
        .or(def.target)
}
