//! User settings that change how KPIs are computed, judged and shown. Serialisable so
//! they can live in local storage and be exported/imported as JSON.

use serde::{Deserialize, Serialize};

use crate::data::schema::Measure;

/// The denominator of the engagement rate.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErDenominator {
    #[default]
    Reach,
    Impressions,
    Followers,
}

impl ErDenominator {
    /// The measure used as denominator, and its display name.
    pub fn measure(self) -> (Measure, &'static str) {
        match self {
            ErDenominator::Reach => (Measure::Reach, "reach"),
            ErDenominator::Impressions => (Measure::Impressions, "impressions"),
            ErDenominator::Followers => (Measure::Followers, "followers"),
        }
    }
}

/// All settings. `Settings::default()` is the spec's defaults.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub er_denominator: ErDenominator,
}
