//! The influencer performance score, a 0–100 composite:
//!
//! `score = 100 × (w_e·min(ER / ER_low, 1) + w_c·min(CR / CR_low, 1) + w_b·brand_fit / 100) / (w_e + w_c + w_b)`
//!
//! where ER is the creator's engagement rate over their rows in view (with the ER
//! denominator of Settings), ER_low the lower bound of their platform's own ER target
//! (the general ER target when the platform has none), CR the conversion rate
//! (Σconversions / Σclicks) and CR_low the lower bound of its target; `brand_fit` is
//! 0–100 from the creators table. Weights come from `Settings.score_weights` (40/40/20).
//! A part with weight 0 is not needed.

use super::engine::KpiValue;
use super::registry::{kpi, KpiId, PLATFORM_ENGAGEMENT};
use super::settings::Settings;
use super::targets::effective_floor;

/// The lower bound of the ER target that applies to a platform.
pub fn engagement_floor(platform: Option<&str>, settings: &Settings) -> Option<f64> {
    let id = platform
        .and_then(|p| PLATFORM_ENGAGEMENT.iter().find(|(key, _)| *key == p))
        .map_or(KpiId::EngagementRate, |(_, id)| *id);
    effective_floor(kpi(id), settings)
}

/// The score of one creator from their engagement rate, conversion rate and brand fit.
pub fn influencer_score(
    engagement_rate: &KpiValue,
    conversion_rate: &KpiValue,
    brand_fit: Option<f64>,
    platform: Option<&str>,
    settings: &Settings,
) -> KpiValue {
    let w = settings.score_weights;
    let total = w.engagement + w.conversion + w.brand_fit;
    if total <= 0.0 || !total.is_finite() {
        return KpiValue::na("the score weights sum to 0 (Settings)");
    }
    let conversion_floor = effective_floor(kpi(KpiId::ConversionRate), settings);
    let part = |weight: f64, value: &KpiValue, floor: Option<f64>| -> Result<f64, String> {
        if weight == 0.0 {
            return Ok(0.0);
        }
        let v = match value {
            KpiValue::Value(v) => *v,
            KpiValue::NotAvailable { reason } => return Err(reason.clone()),
        };
        match floor {
            Some(f) if f > 0.0 => Ok(weight * (v / f).min(1.0)),
            _ => Err("its target has no positive lower bound".into()),
        }
    };
    let parts = [
        part(
            w.engagement,
            engagement_rate,
            engagement_floor(platform, settings),
        )
        .map_err(|e| format!("engagement rate: {e}")),
        part(w.conversion, conversion_rate, conversion_floor)
            .map_err(|e| format!("conversion rate: {e}")),
        match brand_fit {
            _ if w.brand_fit == 0.0 => Ok(0.0),
            Some(fit) => Ok(w.brand_fit * fit.clamp(0.0, 100.0) / 100.0),
            None => Err("needs column(s): creators.brand_fit".to_owned()),
        },
    ];
    let mut sum = 0.0;
    for p in parts {
        match p {
            Ok(v) => sum += v,
            Err(reason) => return KpiValue::na(reason),
        }
    }
    KpiValue::Value(100.0 * sum / total)
}
