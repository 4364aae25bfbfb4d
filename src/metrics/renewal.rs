//! Renewal recommendations for a creator partnership. The rules, first match wins:
//!
//! 1. contract terms not met (`contract_terms_met = false`) → **Drop**;
//! 2. influencer score below the warning threshold (70, `Settings.alerts.score_min`) → **Drop**;
//! 3. any undisclosed post in view → **Renegotiate** (renew only with disclosure terms);
//! 4. score unknown → **Renegotiate** (not enough data: review by hand);
//! 5. score below its target (80) → **Renegotiate**;
//! 6. score at or above target but ROAS fell against the previous period → **Renegotiate**;
//! 7. otherwise → **Renew**.

use serde::{Deserialize, Serialize};

use crate::data::store::{Disclosure, Workspace};

use super::engine::{select_rows, Dimension, Filter, Results};
use super::registry::{kpi, KpiId};
use super::settings::Settings;
use super::targets::effective_floor;

/// The decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Renew,
    Renegotiate,
    Drop,
}

impl Verdict {
    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Renew => "Renew",
            Verdict::Renegotiate => "Renegotiate",
            Verdict::Drop => "Drop",
        }
    }
}

/// A decision and the sentence that explains it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    pub verdict: Verdict,
    pub reason: String,
}

/// What the rules look at.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RenewalInputs {
    /// Influencer score (0–100) in the current period.
    pub score: Option<f64>,
    /// ROAS in the current and the previous period.
    pub roas: Option<f64>,
    pub previous_roas: Option<f64>,
    /// Posts rows of the creator in view whose disclosure is missing.
    pub undisclosed_posts: usize,
    pub contract_terms_met: Option<bool>,
}

impl RenewalInputs {
    /// The inputs with ROAS read from a trend comparison's two windows, `(current,
    /// previous)`: the overall ROAS of the creator's scope in each, so that rule 6 sees
    /// the same fall as the page's trend arrows. Without windows the inputs stay as they
    /// are; a window without a ROAS leaves that side absent (never 0).
    pub fn with_windows(self, windows: Option<(&Results, &Results)>) -> RenewalInputs {
        let Some((current, previous)) = windows else {
            return self;
        };
        let roas = |r: &Results| r.overall.get(KpiId::Roas).value();
        RenewalInputs {
            roas: roas(current),
            previous_roas: roas(previous),
            ..self
        }
    }
}

/// Gathers the inputs for one creator from the current and previous results (see
/// `trend::compare_window`) and the creator's rows in `filter`.
pub fn renewal_inputs(
    ws: &Workspace,
    filter: &Filter,
    creator_id: &str,
    current: &Results,
    previous: Option<&Results>,
) -> RenewalInputs {
    let value = |r: &Results, id: KpiId| {
        r.group(Dimension::Creator, creator_id)?
            .kpis
            .get(id)
            .value()
    };
    let creator_filter = Filter {
        creators: vec![creator_id.to_owned()],
        ..filter.clone()
    };
    let undisclosed_posts = select_rows(ws, &creator_filter)
        .into_iter()
        .filter(|&r| ws.posts.disclosure[r as usize] == Disclosure::Undisclosed)
        .count();
    RenewalInputs {
        score: value(current, KpiId::InfluencerScore),
        roas: value(current, KpiId::Roas),
        previous_roas: previous.and_then(|p| value(p, KpiId::Roas)),
        undisclosed_posts,
        contract_terms_met: ws.creator(creator_id).and_then(|c| c.contract_terms_met),
    }
}

/// Applies the rules of the module doc.
pub fn recommend(inputs: &RenewalInputs, settings: &Settings) -> Recommendation {
    let score_target = effective_floor(kpi(KpiId::InfluencerScore), settings).unwrap_or(80.0);
    let score_min = settings.alerts.score_min;
    let say = |verdict, reason: String| Recommendation { verdict, reason };
    if inputs.contract_terms_met == Some(false) {
        return say(Verdict::Drop, "Contract terms were not met.".into());
    }
    match inputs.score {
        Some(s) if s < score_min => {
            return say(
                Verdict::Drop,
                format!("Influencer score {s:.0} is below {score_min:.0}."),
            )
        }
        _ => {}
    }
    if inputs.undisclosed_posts > 0 {
        return say(
            Verdict::Renegotiate,
            format!(
                "{} post(s) without an ad disclosure: renew only with disclosure terms.",
                inputs.undisclosed_posts
            ),
        );
    }
    let Some(score) = inputs.score else {
        return say(
            Verdict::Renegotiate,
            "Not enough data to score this creator: review by hand.".into(),
        );
    };
    if score < score_target {
        return say(
            Verdict::Renegotiate,
            format!("Influencer score {score:.0} is below the target of {score_target:.0}."),
        );
    }
    if let (Some(now), Some(before)) = (inputs.roas, inputs.previous_roas) {
        if now < before {
            return say(
                Verdict::Renegotiate,
                format!(
                    "Score {score:.0} is on target but ROAS fell from {before:.1} to {now:.1}."
                ),
            );
        }
    }
    say(
        Verdict::Renew,
        format!("Influencer score {score:.0} meets the target of {score_target:.0} and ROAS is not falling."),
    )
}
