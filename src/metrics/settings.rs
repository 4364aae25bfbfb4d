//! User settings, in two halves:
//!
//! - [`Settings`]: what changes a number (ER denominator, score weights, EMV, tiers,
//!   targets, alert thresholds, the pacing "today"). The engine, the alerts, the worker
//!   and the questions take these, and caches key on [`Settings::key`];
//! - [`Preferences`]: how numbers are shown (currency symbol, number locale) and how
//!   uploads are read (date order, duplicates, currency rates). A preference change
//!   re-renders and never recomputes.
//!
//! [`SavedSettings`] holds both as one flat JSON object: what local storage and the
//! Settings page's export/import keep (the shape of the settings before the split, so
//! old saved settings still load; a snapshot link carries only the currency symbol and
//! number locale). `default()` holds the spec's
//! defaults.
//!
//! Settings from outside (an imported file, local storage, the worker's copy) are read
//! field by field ([`SavedSettings::from_json`], [`Settings::from_json`]) and checked
//! (`validate`): a field that is unreadable or out of range falls back to its default,
//! with one [`SettingIssue`] per field. Deserializing goes the same way (the issues are
//! dropped), so no stored value can break a page.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::data::calendar::{self, Day};
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

/// The anomaly alert rule (issue 19): on/off and its tuning.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnomalySettings {
    /// The rule runs.
    pub enabled: bool,
    /// Fires beyond this many robust deviations (MAD × 1.4826) from the baseline.
    pub threshold: f64,
    /// Trailing weeks of the baseline.
    pub weeks: f64,
    /// No baseline from fewer weeks with data than this.
    pub min_weeks: f64,
}

impl Default for AnomalySettings {
    fn default() -> Self {
        AnomalySettings {
            enabled: true,
            threshold: 3.0,
            weeks: 8.0,
            min_weeks: 6.0,
        }
    }
}

/// The settings that change a computed number (see the module doc).
#[derive(Clone, Debug, PartialEq, Serialize)]
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
    /// Hours added to the files' times of day for the engagement patterns (the time
    /// zone they are shown in; 0 = as the files give them).
    pub utc_offset_hours: f64,
    /// The anomaly alert rule.
    pub anomaly: AnomalySettings,
}

/// Display preferences and import options: they change how numbers look and how files
/// are read, never a number computed from the workspace.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Preferences {
    /// Shown before money values.
    pub currency_symbol: String,
    /// How numbers are displayed, and read from uploaded files.
    pub number_locale: NumberLocale,
    /// How ambiguous dates such as `03/04/2025` are read from uploaded files.
    pub date_order: DateOrder,
    /// What to do with a repeated `post_id` in uploaded files.
    pub duplicates: DuplicatePolicy,
    /// Rates for money in another currency than the workspace's (ISO code → units of
    /// the workspace's currency per unit of it); without one, such amounts are left
    /// out of the sums.
    pub currency_rates: BTreeMap<String, f64>,
}

/// Every setting the Settings page edits: the compute settings and the preferences, kept
/// as one flat JSON object (local storage, the page's export and import).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SavedSettings {
    #[serde(flatten)]
    pub compute: Settings,
    #[serde(flatten)]
    pub prefs: Preferences,
}

impl Preferences {
    /// The load options every uploaded file starts from (number locale, date order,
    /// duplicate policy, currency rates).
    pub fn import_options(&self) -> LoadOptions {
        LoadOptions {
            number_locale: self.number_locale,
            date_order: self.date_order,
            duplicates: self.duplicates,
            currency_rates: self
                .currency_rates
                .iter()
                .filter(|(_, r)| r.is_finite() && **r > 0.0)
                .map(|(c, r)| (c.clone(), *r))
                .collect(),
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
            utc_offset_hours: 0.0,
            anomaly: AnomalySettings::default(),
        }
    }
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            currency_symbol: "$".into(),
            number_locale: NumberLocale::default(),
            date_order: DateOrder::default(),
            duplicates: DuplicatePolicy::default(),
            currency_rates: BTreeMap::new(),
        }
    }
}

/// A stable 64-bit FNV-1a hash, fed field by field (the same settings give the same
/// key on every build and in every thread).
struct KeyHasher(u64);

impl KeyHasher {
    fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn tag(&mut self, tag: u8) {
        self.bytes(&[tag]);
    }

    fn number(&mut self, x: f64) {
        // 0.0 and -0.0 compare equal: one key.
        let x = if x == 0.0 { 0.0 } else { x };
        self.bytes(&x.to_bits().to_le_bytes());
    }

    fn text(&mut self, text: &str) {
        self.bytes(&(text.len() as u64).to_le_bytes());
        self.bytes(text.as_bytes());
    }
}

impl Settings {
    /// A cheap, stable hash of every compute setting: what caches of computed answers
    /// key on (equal settings give equal keys; a preference is no part of it).
    pub fn key(&self) -> u64 {
        // Destructured in full, so a new field cannot be left out of the key.
        let Settings {
            er_denominator,
            target_overrides,
            score_weights,
            emv_method,
            emv_cpm,
            emv_rates,
            tiers,
            alerts,
            as_of,
            utc_offset_hours,
            anomaly,
        } = self;
        let mut h = KeyHasher(0xcbf2_9ce4_8422_2325);
        h.tag(*er_denominator as u8);
        h.bytes(&(target_overrides.len() as u64).to_le_bytes());
        for (id, target) in target_overrides {
            h.text(id.as_ref());
            let (tag, numbers) = match *target {
                Target::AtLeast(x) => (0, [x, 0.0]),
                Target::AtMost(x) => (1, [x, 0.0]),
                Target::Range(lo, hi) => (2, [lo, hi]),
                Target::AboveSiteAov(x) => (3, [x, 0.0]),
            };
            h.tag(tag);
            numbers.into_iter().for_each(|x| h.number(x));
        }
        let ScoreWeights {
            engagement,
            conversion,
            brand_fit,
        } = *score_weights;
        [engagement, conversion, brand_fit]
            .into_iter()
            .for_each(|x| h.number(x));
        h.tag(*emv_method as u8);
        h.bytes(&(emv_cpm.len() as u64).to_le_bytes());
        for (platform, cpm) in emv_cpm {
            h.text(platform);
            h.number(*cpm);
        }
        let EmvRates {
            like,
            comment,
            share,
            save,
            view,
        } = *emv_rates;
        [like, comment, share, save, view]
            .into_iter()
            .for_each(|x| h.number(x));
        let TierBounds {
            nano,
            micro,
            mid,
            macro_,
        } = *tiers;
        [nano, micro, mid, macro_]
            .into_iter()
            .for_each(|x| h.number(x));
        let AlertThresholds {
            engagement_drop,
            conversion_min,
            roas_min,
            score_min,
            pacing_max,
            roas_target_multiple,
            viral_impressions,
            partnership_revenue,
        } = *alerts;
        [
            engagement_drop,
            conversion_min,
            roas_min,
            score_min,
            pacing_max,
            roas_target_multiple,
            viral_impressions,
            partnership_revenue,
        ]
        .into_iter()
        .for_each(|x| h.number(x));
        match as_of {
            None => h.tag(0),
            Some(day) => {
                h.tag(1);
                h.bytes(&day.to_le_bytes());
            }
        }
        h.number(*utc_offset_hours);
        let AnomalySettings {
            enabled,
            threshold,
            weeks,
            min_weeks,
        } = *anomaly;
        h.tag(enabled as u8);
        [threshold, weeks, min_weeks]
            .into_iter()
            .for_each(|x| h.number(x));
        h.0
    }
}

/// The longest currency symbol, in characters.
pub const CURRENCY_SYMBOL_MAX: usize = 8;
/// The most platforms with their own CPM.
pub const CPM_PLATFORMS_MAX: usize = 32;
/// The longest platform key of a CPM.
pub const PLATFORM_KEY_MAX: usize = 32;

/// One setting that was refused (unreadable or out of range): its default is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingIssue {
    /// The field's JSON path: `as_of`, `alerts.roas_min`, `emv_cpm.tiktok`.
    pub field: String,
    /// Why, and what is used instead.
    pub reason: String,
}

impl SettingIssue {
    fn new(field: impl Into<String>, reason: impl Into<String>) -> SettingIssue {
        SettingIssue {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// `field: reason` (one line of a notice).
    pub fn message(&self) -> String {
        format!("{}: {}", self.field, self.reason)
    }
}

impl std::fmt::Display for SettingIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message())
    }
}

/// A value for a message, cut to 40 characters.
fn shown(value: &impl std::fmt::Display) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        let cut: String = text.chars().take(40).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// The JSON of a value for a message.
fn json_of<T: Serialize>(value: &T) -> String {
    shown(&serde_json::to_string(value).unwrap_or_default())
}

/// A whole field read as `T`; unreadable: the default, with an issue.
fn whole<T: DeserializeOwned + Serialize>(
    map: &Map<String, Value>,
    key: &str,
    default: T,
    issues: &mut Vec<SettingIssue>,
) -> T {
    let Some(value) = map.get(key) else {
        return default;
    };
    T::deserialize(value).unwrap_or_else(|e| {
        issues.push(SettingIssue::new(
            key,
            format!(
                "{} is unreadable ({}); the default {} is used",
                json_of(value),
                shown(&e),
                json_of(&default)
            ),
        ));
        default
    })
}

/// A struct of numbers read member by member over its default: an unreadable member
/// keeps its default, with an issue.
fn overlay<T: DeserializeOwned + Serialize>(
    map: &Map<String, Value>,
    key: &str,
    default: T,
    issues: &mut Vec<SettingIssue>,
) -> T {
    let Some(value) = map.get(key) else {
        return default;
    };
    let (Value::Object(input), Ok(Value::Object(mut merged))) =
        (value, serde_json::to_value(&default))
    else {
        return whole(map, key, default, issues);
    };
    for (member, v) in input {
        let Some(old) = merged.get(member).cloned() else {
            continue;
        };
        merged.insert(member.clone(), v.clone());
        if let Err(e) = T::deserialize(&Value::Object(merged.clone())) {
            issues.push(SettingIssue::new(
                format!("{key}.{member}"),
                format!(
                    "{} is unreadable ({}); the default {} is used",
                    json_of(v),
                    shown(&e),
                    json_of(&old)
                ),
            ));
            merged.insert(member.clone(), old);
        }
    }
    T::deserialize(&Value::Object(merged)).unwrap_or(default)
}

/// A map read entry by entry: an unreadable entry is left out, with an issue; a field
/// that is no object is the default, with an issue.
fn entries<V: DeserializeOwned + Serialize>(
    map: &Map<String, Value>,
    key: &str,
    default: BTreeMap<String, V>,
    issues: &mut Vec<SettingIssue>,
) -> BTreeMap<String, V> {
    match map.get(key) {
        None => default,
        Some(Value::Object(input)) => input
            .iter()
            .filter_map(|(k, v)| match V::deserialize(v) {
                Ok(v) => Some((k.clone(), v)),
                Err(e) => {
                    issues.push(SettingIssue::new(
                        format!("{key}.{}", shown(k)),
                        format!("{} is unreadable ({}); left out", json_of(v), shown(&e)),
                    ));
                    None
                }
            })
            .collect(),
        Some(_) => whole(map, key, default, issues),
    }
}

/// `as_of`: `null`, a day number, or an ISO date string, in the supported years.
fn as_of_field(map: &Map<String, Value>, issues: &mut Vec<SettingIssue>) -> Option<Day> {
    let fallback = "; the default (the last date in the data) is used";
    let refuse = |issues: &mut Vec<SettingIssue>, why: String| {
        issues.push(SettingIssue::new("as_of", format!("{why}{fallback}")));
        None
    };
    match map.get("as_of") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => match calendar::parse_iso_day_checked(text) {
            Ok(day) => Some(day),
            Err(e) => refuse(issues, format!("{} is {e}", json_of(text))),
        },
        Some(Value::Number(n)) => match n.as_i64().filter(|&d| calendar::in_range(d)) {
            Some(day) => Some(day as Day),
            None => refuse(
                issues,
                format!(
                    "day number {} is a date outside {}",
                    shown(n),
                    calendar::range_text()
                ),
            ),
        },
        Some(other) => refuse(issues, format!("{} is no date", json_of(other))),
    }
}

/// Checks that a number lies in `range`, else puts the default back, with an issue.
fn check_number(
    issues: &mut Vec<SettingIssue>,
    field: &str,
    value: &mut f64,
    default: f64,
    range: std::ops::RangeInclusive<f64>,
) {
    if value.is_finite() && range.contains(value) {
        return;
    }
    let allowed = if *range.end() == f64::INFINITY {
        format!("{} or more", range.start())
    } else {
        format!("from {} to {}", range.start(), range.end())
    };
    issues.push(SettingIssue::new(
        field,
        format!("{value} is out of range (allowed: {allowed}); the default {default} is used"),
    ));
    *value = default;
}

/// Why a currency symbol is refused, if it is: longer than [`CURRENCY_SYMBOL_MAX`]
/// characters, starting like a formula (`=`, `+`, `-`, `@`), or holding a control
/// character, a comma, a semicolon or a quote.
pub fn currency_symbol_problem(symbol: &str) -> Option<String> {
    if symbol.chars().count() > CURRENCY_SYMBOL_MAX {
        return Some(format!("is longer than {CURRENCY_SYMBOL_MAX} characters"));
    }
    if symbol.starts_with(['=', '+', '-', '@']) {
        return Some("starts with =, +, - or @ (a spreadsheet formula)".into());
    }
    if symbol.chars().any(char::is_control) {
        return Some("holds a control character".into());
    }
    if symbol.contains([',', ';', '"']) {
        return Some("holds a comma, semicolon or quote (a CSV separator)".into());
    }
    None
}

const UNBOUNDED: std::ops::RangeInclusive<f64> = 0.0..=f64::INFINITY;
const FRACTION: std::ops::RangeInclusive<f64> = 0.0..=1.0;

impl Settings {
    /// Reads settings JSON field by field (see the module doc). `Err` only when the text
    /// is no JSON object at all; otherwise every refused field is an issue and keeps
    /// its default.
    pub fn from_json(text: &str) -> Result<(Settings, Vec<SettingIssue>), String> {
        // A number out of range (`1e400`) is one refused field, not a refused file.
        let value: Value = crate::data::json::parse_value(text)
            .map_err(|e| format!("not a settings file ({e})"))?;
        Settings::from_value(&value)
    }

    /// [`Settings::from_json`] of a parsed JSON value (preference fields are ignored).
    pub fn from_value(value: &Value) -> Result<(Settings, Vec<SettingIssue>), String> {
        read_and_validate(value, Settings::read, Settings::validate)
    }

    /// The compute fields of `map`, read field by field (not yet validated).
    fn read(map: &Map<String, Value>, i: &mut Vec<SettingIssue>) -> Settings {
        let d = Settings::default();
        Settings {
            er_denominator: whole(map, "er_denominator", d.er_denominator, i),
            target_overrides: entries(map, "target_overrides", d.target_overrides, i),
            score_weights: overlay(map, "score_weights", d.score_weights, i),
            emv_method: whole(map, "emv_method", d.emv_method, i),
            emv_cpm: entries(map, "emv_cpm", d.emv_cpm, i),
            emv_rates: overlay(map, "emv_rates", d.emv_rates, i),
            tiers: overlay(map, "tiers", d.tiers, i),
            alerts: overlay(map, "alerts", d.alerts, i),
            as_of: as_of_field(map, i),
            utc_offset_hours: whole(map, "utc_offset_hours", d.utc_offset_hours, i),
            anomaly: overlay(map, "anomaly", d.anomaly, i),
        }
    }

    /// Checks every field: one out of range (a date outside the supported years, a
    /// negative threshold, a rate over 1, …) is set back to its default, with one issue
    /// per field.
    pub fn validate(&mut self) -> Vec<SettingIssue> {
        let d = Settings::default();
        let mut issues = Vec::new();
        let i = &mut issues;
        if let Some(day) = self.as_of.filter(|&day| !calendar::in_range(day.into())) {
            i.push(SettingIssue::new(
                "as_of",
                format!(
                    "day number {day} is a date outside {}; the default (the last date in the data) is used",
                    calendar::range_text()
                ),
            ));
            self.as_of = None;
        }
        self.target_overrides.retain(|id, target| {
            let kpi = super::registry::KpiId::parse(id);
            let problem = if kpi.is_none() {
                Some("is no KPI id".to_owned())
            } else {
                let numbers = match *target {
                    Target::AtLeast(x) | Target::AtMost(x) | Target::AboveSiteAov(x) => vec![x],
                    Target::Range(lo, hi) => vec![lo, hi],
                };
                if numbers.iter().any(|x| !x.is_finite()) {
                    Some("has a number that is not finite".to_owned())
                } else if matches!(*target, Target::Range(lo, hi) if lo > hi) {
                    Some("is a range whose low end is above its high end".to_owned())
                } else if numbers.iter().any(|&x| x < 0.0) && !kpi.is_some_and(signed_kpi) {
                    Some("has a negative number, which this KPI never is".to_owned())
                } else {
                    None
                }
            };
            if let Some(problem) = &problem {
                i.push(SettingIssue::new(
                    format!("target_overrides.{}", shown(id)),
                    format!("{problem}; the KPI's default target is used"),
                ));
            }
            problem.is_none()
        });
        let w = &mut self.score_weights;
        let dw = d.score_weights;
        check_number(
            i,
            "score_weights.engagement",
            &mut w.engagement,
            dw.engagement,
            UNBOUNDED,
        );
        check_number(
            i,
            "score_weights.conversion",
            &mut w.conversion,
            dw.conversion,
            UNBOUNDED,
        );
        check_number(
            i,
            "score_weights.brand_fit",
            &mut w.brand_fit,
            dw.brand_fit,
            UNBOUNDED,
        );
        if w.engagement + w.conversion + w.brand_fit <= 0.0 {
            i.push(SettingIssue::new(
                "score_weights",
                "the weights add up to 0; the defaults 40/40/20 are used",
            ));
            *w = dw;
        }
        let (mut kept, mut extra) = (0, 0);
        self.emv_cpm.retain(|platform, cpm| {
            if kept >= CPM_PLATFORMS_MAX {
                extra += 1;
                return false;
            }
            let field = format!("emv_cpm.{}", shown(platform));
            let problem = if platform.chars().count() > PLATFORM_KEY_MAX {
                Some(format!(
                    "the platform key is longer than {PLATFORM_KEY_MAX} characters"
                ))
            } else if !cpm.is_finite() || *cpm < 0.0 {
                Some(format!("{cpm} is out of range (allowed: 0 or more)"))
            } else {
                None
            };
            match problem {
                Some(p) => {
                    i.push(SettingIssue::new(field, format!("{p}; left out")));
                    false
                }
                None => {
                    kept += 1;
                    true
                }
            }
        });
        if extra > 0 {
            i.push(SettingIssue::new(
                "emv_cpm",
                format!("{extra} platforms past the first {CPM_PLATFORMS_MAX} are left out"),
            ));
        }
        let r = &mut self.emv_rates;
        let dr = d.emv_rates;
        check_number(i, "emv_rates.like", &mut r.like, dr.like, UNBOUNDED);
        check_number(
            i,
            "emv_rates.comment",
            &mut r.comment,
            dr.comment,
            UNBOUNDED,
        );
        check_number(i, "emv_rates.share", &mut r.share, dr.share, UNBOUNDED);
        check_number(i, "emv_rates.save", &mut r.save, dr.save, UNBOUNDED);
        check_number(i, "emv_rates.view", &mut r.view, dr.view, UNBOUNDED);
        let t = &mut self.tiers;
        let dt = d.tiers;
        check_number(i, "tiers.nano", &mut t.nano, dt.nano, UNBOUNDED);
        check_number(i, "tiers.micro", &mut t.micro, dt.micro, UNBOUNDED);
        check_number(i, "tiers.mid", &mut t.mid, dt.mid, UNBOUNDED);
        check_number(i, "tiers.macro_", &mut t.macro_, dt.macro_, UNBOUNDED);
        if !(t.nano < t.micro && t.micro < t.mid && t.mid < t.macro_) {
            i.push(SettingIssue::new(
                "tiers",
                "the bounds must rise (nano < micro < mid < macro); the defaults are used",
            ));
            *t = dt;
        }
        let a = &mut self.alerts;
        let da = d.alerts;
        check_number(
            i,
            "alerts.engagement_drop",
            &mut a.engagement_drop,
            da.engagement_drop,
            FRACTION,
        );
        check_number(
            i,
            "alerts.conversion_min",
            &mut a.conversion_min,
            da.conversion_min,
            FRACTION,
        );
        check_number(
            i,
            "alerts.roas_min",
            &mut a.roas_min,
            da.roas_min,
            UNBOUNDED,
        );
        check_number(
            i,
            "alerts.score_min",
            &mut a.score_min,
            da.score_min,
            0.0..=100.0,
        );
        check_number(
            i,
            "alerts.pacing_max",
            &mut a.pacing_max,
            da.pacing_max,
            UNBOUNDED,
        );
        check_number(
            i,
            "alerts.roas_target_multiple",
            &mut a.roas_target_multiple,
            da.roas_target_multiple,
            UNBOUNDED,
        );
        check_number(
            i,
            "alerts.viral_impressions",
            &mut a.viral_impressions,
            da.viral_impressions,
            UNBOUNDED,
        );
        check_number(
            i,
            "alerts.partnership_revenue",
            &mut a.partnership_revenue,
            da.partnership_revenue,
            UNBOUNDED,
        );
        check_number(
            i,
            "utc_offset_hours",
            &mut self.utc_offset_hours,
            d.utc_offset_hours,
            -12.0..=14.0,
        );
        let (an, dan) = (&mut self.anomaly, d.anomaly);
        check_number(
            i,
            "anomaly.threshold",
            &mut an.threshold,
            dan.threshold,
            0.5..=100.0,
        );
        check_number(i, "anomaly.weeks", &mut an.weeks, dan.weeks, 3.0..=52.0);
        check_number(
            i,
            "anomaly.min_weeks",
            &mut an.min_weeks,
            dan.min_weeks,
            2.0..=52.0,
        );
        if an.min_weeks > an.weeks {
            i.push(SettingIssue::new(
                "anomaly.min_weeks",
                "no more than the baseline's weeks; the defaults are used",
            ));
            an.weeks = dan.weeks;
            an.min_weeks = dan.min_weeks;
        }
        issues
    }
}

/// KPIs whose value may be below zero (a lift or a shift between two surveys, a
/// follower count that fell): a negative target of theirs is meaningful.
fn signed_kpi(kpi: super::registry::KpiId) -> bool {
    use super::registry::KpiId;
    matches!(
        kpi,
        KpiId::BrandRecallLift | KpiId::BrandSentimentShift | KpiId::AudienceGrowth
    )
}

/// The JSON object of a settings value, or why it is none.
fn settings_object(value: &Value) -> Result<&Map<String, Value>, String> {
    match value {
        Value::Object(map) => Ok(map),
        _ => Err("not a settings file (a JSON object was expected)".into()),
    }
}

/// One half of the settings read from `value` field by field, then validated: the
/// value and every issue (a refused field keeps its default).
fn read_and_validate<T>(
    value: &Value,
    read: fn(&Map<String, Value>, &mut Vec<SettingIssue>) -> T,
    validate: fn(&mut T) -> Vec<SettingIssue>,
) -> Result<(T, Vec<SettingIssue>), String> {
    let map = settings_object(value)?;
    let mut issues = Vec::new();
    let mut half = read(map, &mut issues);
    issues.extend(validate(&mut half));
    Ok((half, issues))
}

impl Preferences {
    /// Reads the preference fields of settings JSON field by field, like
    /// [`Settings::from_json`] (compute fields are ignored).
    pub fn from_value(value: &Value) -> Result<(Preferences, Vec<SettingIssue>), String> {
        read_and_validate(value, Preferences::read, Preferences::validate)
    }

    /// The preference fields of `map`, read field by field (not yet validated).
    fn read(map: &Map<String, Value>, i: &mut Vec<SettingIssue>) -> Preferences {
        let d = Preferences::default();
        Preferences {
            currency_symbol: whole(map, "currency_symbol", d.currency_symbol, i),
            number_locale: whole(map, "number_locale", d.number_locale, i),
            date_order: whole(map, "date_order", d.date_order, i),
            duplicates: whole(map, "duplicates", d.duplicates, i),
            currency_rates: entries(map, "currency_rates", d.currency_rates, i),
        }
    }

    /// Checks the currency rates (three-letter codes, rates above 0) and the currency
    /// symbol (see [`currency_symbol_problem`]): a refused one falls back, with an issue.
    pub fn validate(&mut self) -> Vec<SettingIssue> {
        let d = Preferences::default();
        let mut issues = Vec::new();
        let i = &mut issues;
        self.currency_rates.retain(|code, rate| {
            let ok = crate::data::currency::normalize_code(code).as_deref() == Some(code)
                && rate.is_finite()
                && *rate > 0.0;
            if !ok {
                i.push(SettingIssue::new(
                    format!("currency_rates.{}", shown(code)),
                    format!(
                        "{} is not a rate for a three-letter currency code; left out",
                        shown(rate)
                    ),
                ));
            }
            ok
        });
        if let Some(problem) = currency_symbol_problem(&self.currency_symbol) {
            i.push(SettingIssue::new(
                "currency_symbol",
                format!(
                    "{} {problem}; the default {} is used",
                    json_of(&self.currency_symbol),
                    json_of(&d.currency_symbol)
                ),
            ));
            self.currency_symbol = d.currency_symbol.clone();
        }
        issues
    }
}

impl SavedSettings {
    /// Reads settings JSON field by field, both halves (see the module doc). `Err` only
    /// when the text is no JSON object at all.
    pub fn from_json(text: &str) -> Result<(SavedSettings, Vec<SettingIssue>), String> {
        // A number out of range (`1e400`) is one refused field, not a refused file.
        let value: Value = crate::data::json::parse_value(text)
            .map_err(|e| format!("not a settings file ({e})"))?;
        SavedSettings::from_value(&value)
    }

    /// [`SavedSettings::from_json`] of a parsed JSON value. The issues come in field
    /// order: unreadable fields first, then out-of-range ones.
    pub fn from_value(value: &Value) -> Result<(SavedSettings, Vec<SettingIssue>), String> {
        let map = settings_object(value)?;
        let mut issues = Vec::new();
        let compute = Settings::read(map, &mut issues);
        let prefs = Preferences::read(map, &mut issues);
        let mut saved = SavedSettings { compute, prefs };
        issues.extend(saved.validate());
        Ok((saved, issues))
    }

    /// Checks both halves ([`Settings::validate`], [`Preferences::validate`]).
    pub fn validate(&mut self) -> Vec<SettingIssue> {
        let mut issues = self.compute.validate();
        issues.extend(self.prefs.validate());
        issues
    }
}

/// Reads field by field and validates ([`Settings::from_value`]); the issues are
/// dropped (use [`Settings::from_json`] to show them). Only a value that is no object
/// fails.
impl<'de> Deserialize<'de> for Settings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Settings::from_value(&value)
            .map(|(settings, _)| settings)
            .map_err(serde::de::Error::custom)
    }
}

/// Like `Settings`: field by field, issues dropped ([`Preferences::from_value`]).
impl<'de> Deserialize<'de> for Preferences {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Preferences::from_value(&value)
            .map(|(prefs, _)| prefs)
            .map_err(serde::de::Error::custom)
    }
}

/// Like `Settings`: field by field, issues dropped ([`SavedSettings::from_value`]).
impl<'de> Deserialize<'de> for SavedSettings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        SavedSettings::from_value(&value)
            .map(|(saved, _)| saved)
            .map_err(serde::de::Error::custom)
    }
}

/// The most issues a notice lists one by one.
pub const NOTICE_LINES_MAX: usize = 20;

/// A notice for settings that had to be corrected, or `None` when there is nothing to
/// say: `source` names where they came from ("The imported settings").
pub fn issues_notice(source: &str, issues: &[SettingIssue]) -> Option<String> {
    if issues.is_empty() {
        return None;
    }
    let mut text = format!(
        "{source}: {} setting{} could not be used and fell back to the default:",
        issues.len(),
        if issues.len() == 1 { "" } else { "s" }
    );
    for issue in issues.iter().take(NOTICE_LINES_MAX) {
        text.push('\n');
        text.push_str(&issue.message());
    }
    if issues.len() > NOTICE_LINES_MAX {
        text.push_str(&format!("\n… and {} more", issues.len() - NOTICE_LINES_MAX));
    }
    Some(text)
}

/// The notice for the settings stored in this browser (`raw`, local storage's text), or
/// `None` when they read cleanly: text that is no settings object is replaced by the
/// defaults; a refused field by its default.
pub fn stored_settings_notice(raw: Option<&str>) -> Option<String> {
    const SOURCE: &str = "The settings stored in this browser";
    match SavedSettings::from_json(raw?) {
        Ok((_, issues)) => issues_notice(SOURCE, &issues),
        Err(e) => Some(format!(
            "{SOURCE} could not be read ({e}): the defaults are used."
        )),
    }
}
