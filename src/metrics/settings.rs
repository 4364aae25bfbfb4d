//! User settings that change how KPIs are computed, judged and shown. Serialisable so
//! they can live in local storage and be exported/imported as JSON.
//! `Settings::default()` holds the spec's defaults.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::data::calendar::Day;
use crate::data::ingest::{DateOrder, DuplicatePolicy, LoadOptions, NumberLocale};
use crate::data::schema::Measure;

use super::registry::Target;

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

/// Weights of the influencer score's three parts (normalised by their sum).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreWeights {
    pub engagement: f64,
    pub conversion: f64,
    pub brand_fit: f64,
}

impl Default for ScoreWeights {
    fn default() -> Self {
        ScoreWeights {
            engagement: 40.0,
            conversion: 40.0,
            brand_fit: 20.0,
        }
    }
}

/// How earned media value is computed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmvMethod {
    /// Per-platform CPM × impressions / 1000.
    #[default]
    Cpm,
    /// A value per like, comment, share, save and view.
    PerAction,
}

/// Values per action for [`EmvMethod::PerAction`], in currency units.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmvRates {
    pub like: f64,
    pub comment: f64,
    pub share: f64,
    pub save: f64,
    pub view: f64,
}

impl Default for EmvRates {
    fn default() -> Self {
        EmvRates {
            like: 0.10,
            comment: 1.00,
            share: 0.50,
            save: 0.50,
            view: 0.02,
        }
    }
}

/// Follower-count tier bounds (upper bounds, exclusive): nano < micro < mid < macro < mega.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TierBounds {
    pub nano: f64,
    pub micro: f64,
    pub mid: f64,
    pub macro_: f64,
}

impl Default for TierBounds {
    fn default() -> Self {
        TierBounds {
            nano: 10_000.0,
            micro: 100_000.0,
            mid: 500_000.0,
            macro_: 1_000_000.0,
        }
    }
}

/// The spec's alert thresholds, editable.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertThresholds {
    /// Critical: engagement rate more than this fraction below its target's lower bound.
    pub engagement_drop: f64,
    /// Critical: conversion rate below this.
    pub conversion_min: f64,
    /// Warning: ROAS below this.
    pub roas_min: f64,
    /// Warning: influencer score below this.
    pub score_min: f64,
    /// Warning: budget pacing above this.
    pub pacing_max: f64,
    /// Success: campaign ROAS at least this multiple of the ROAS target.
    pub roas_target_multiple: f64,
    /// Success: a post with at least this many impressions.
    pub viral_impressions: f64,
    /// Success: a creator partnership with more revenue than this.
    pub partnership_revenue: f64,
}

impl Default for AlertThresholds {
    fn default() -> Self {
        AlertThresholds {
            engagement_drop: 0.30,
            conversion_min: 0.02,
            roas_min: 3.0,
            score_min: 70.0,
            pacing_max: 1.10,
            roas_target_multiple: 1.5,
            viral_impressions: 1_000_000.0,
            partnership_revenue: 100_000.0,
        }
    }
}

/// All settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub er_denominator: ErDenominator,
    /// Per-KPI target overrides (KPI id → target); absent = the registry default.
    pub target_overrides: BTreeMap<String, Target>,
    pub score_weights: ScoreWeights,
    pub emv_method: EmvMethod,
    /// CPM per platform key for [`EmvMethod::Cpm`], in currency units.
    pub emv_cpm: BTreeMap<String, f64>,
    pub emv_rates: EmvRates,
    pub tiers: TierBounds,
    pub alerts: AlertThresholds,
    /// The "today" of budget pacing; `None` = the last date in the data.
    pub as_of: Option<Day>,
    /// Shown before money values.
    pub currency_symbol: String,
    /// How numbers are displayed, and read from uploaded files.
    pub number_locale: NumberLocale,
    /// How ambiguous dates such as `03/04/2025` are read from uploaded files.
    pub date_order: DateOrder,
    /// What to do with a repeated `post_id` in uploaded files.
    pub duplicates: DuplicatePolicy,
}

impl Settings {
    /// The load options every uploaded file starts from (number locale, date order,
    /// duplicate policy).
    pub fn import_options(&self) -> LoadOptions {
        LoadOptions {
            number_locale: self.number_locale,
            date_order: self.date_order,
            duplicates: self.duplicates,
            ..LoadOptions::default()
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        let emv_cpm = [
            ("instagram", 10.0),
            ("tiktok", 8.0),
            ("youtube", 12.0),
            ("x", 6.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        Settings {
            er_denominator: ErDenominator::default(),
            target_overrides: BTreeMap::new(),
            score_weights: ScoreWeights::default(),
            emv_method: EmvMethod::default(),
            emv_cpm,
            emv_rates: EmvRates::default(),
            tiers: TierBounds::default(),
            alerts: AlertThresholds::default(),
            as_of: None,
            currency_symbol: "$".into(),
            number_locale: NumberLocale::default(),
            date_order: DateOrder::default(),
            duplicates: DuplicatePolicy::default(),
        }
    }
}
