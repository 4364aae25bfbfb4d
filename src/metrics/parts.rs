//! The sums a KPI's value is made of: for the KPIs that are a ratio of sums over posts
//! rows, which measures add up to the numerator and to the denominator, over which rows.
//! The explain panel shows these parts, and the "why it moved" split and the variation
//! flag work on them, for one group or one day as for the whole view.
//!
//! The engine computes the same values from the same registry entry; the test
//! `every_ratio_kpi_equals_its_parts` (tests/parts.rs) holds the two together.

use crate::data::schema::Measure;

use super::engine::{measure_bits, Sums};
use super::registry::{Eval, KpiDef, ENGAGEMENT};
use super::settings::Settings;

/// A KPI that is `scale × Σnumerator / Σdenominator` over the rows of a scope that
/// have every measure of `needs`.
#[derive(Clone, Debug, PartialEq)]
pub struct RatioParts {
    /// The measures summed into the numerator.
    pub numerator: Vec<Measure>,
    /// The measures summed into the denominator.
    pub denominator: Vec<Measure>,
    /// 1, or 1000 for a value per thousand (CPM).
    pub scale: f64,
    /// The measures a row must have to be used (a [`measure_bits`] set); 0 = every row.
    pub needs: u32,
    /// The numerator in words ("revenue", "likes + comments + shares + saves").
    pub numerator_name: String,
    /// The denominator in words ("cost", "reach").
    pub denominator_name: String,
    /// Only this platform's rows (a platform's engagement rate): take the platform
    /// group's sums.
    pub platform: Option<&'static str>,
    /// False when no loaded file has one of its inputs: the KPI is n/a ("needs
    /// column(s): …") wherever it is asked.
    pub available: bool,
}

/// A ratio's two sums over the rows of one scope that it uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RatioSums {
    pub numerator: f64,
    pub denominator: f64,
    /// Rows that have every input.
    pub rows: u64,
}

impl RatioSums {
    /// `scale × numerator / denominator`, or `None` when the denominator is 0.
    pub fn value(&self, scale: f64) -> Option<f64> {
        let v = scale * self.numerator / self.denominator;
        (self.denominator != 0.0 && v.is_finite()).then_some(v)
    }
}

impl RatioParts {
    /// The two sums over the rows of `sums` that have every input.
    pub fn of(&self, sums: &Sums) -> RatioSums {
        let (over, rows) = sums.over(self.needs);
        let total = |ms: &[Measure]| ms.iter().map(|m| over.get(*m)).sum::<f64>();
        RatioSums {
            numerator: total(&self.numerator),
            denominator: total(&self.denominator),
            rows,
        }
    }

    /// The value over `sums` (`None` when its denominator is 0 there, or when an
    /// input is missing from every file).
    pub fn value(&self, sums: &Sums) -> Option<f64> {
        self.of(sums).value(self.scale).filter(|_| self.available)
    }

    /// `Σnumerator / Σdenominator` in symbols, e.g. `Σrevenue / Σcost`.
    pub fn symbols(&self) -> String {
        let side = |ms: &[Measure]| {
            let names: Vec<String> = ms.iter().map(|m| format!("Σ{}", m.column())).collect();
            if names.len() > 1 {
                format!("({})", names.join(" + "))
            } else {
                names.concat()
            }
        };
        let scale = if self.scale == 1.0 {
            String::new()
        } else {
            format!("{} × ", self.scale)
        };
        format!(
            "{scale}{} / {}",
            side(&self.numerator),
            side(&self.denominator)
        )
    }
}

/// The engagement measures a workspace has (`has`: bits of the measures some row
/// has; engagement columns no file has are left out, as the engine does).
fn engagements_present(has: u32) -> Vec<Measure> {
    ENGAGEMENT
        .into_iter()
        .filter(|m| has & (1 << *m as usize) != 0)
        .collect()
}

fn names(ms: &[Measure]) -> String {
    let names: Vec<&str> = ms.iter().map(|m| m.column()).collect();
    names.join(" + ")
}

/// The ratio parts of a KPI under `settings`, for a workspace whose posts have the
/// measures of `has` (bits, as `Results::measures`); `None` for the KPIs that are not
/// a ratio of posts sums (totals, EMV, and the campaign- and creator-level KPIs).
pub fn ratio_parts(def: &KpiDef, settings: &Settings, has: u32) -> Option<RatioParts> {
    let simple = |num: Vec<Measure>, den: Vec<Measure>, needs: u32, den_name: &str| RatioParts {
        available: needs & has == needs && (needs == 0 || !num.is_empty() && !den.is_empty()),
        numerator_name: names(&num),
        numerator: num,
        denominator: den,
        scale: 1.0,
        needs,
        denominator_name: den_name.to_owned(),
        platform: None,
    };
    let engagement_over = |den: Measure, den_name: &str| {
        let num = engagements_present(has);
        let mut needs = num.clone();
        needs.push(den);
        let mut parts = simple(num, vec![den], measure_bits(&needs), den_name);
        parts.numerator_name = "engagements (likes + comments + shares + saves)".to_owned();
        parts
    };
    Some(match def.eval {
        Eval::Ratio { num, den, den_name } => {
            simple(vec![num], vec![den], measure_bits(&[num, den]), den_name)
        }
        Eval::PerThousand { num, den, den_name } => RatioParts {
            scale: 1000.0,
            ..simple(vec![num], vec![den], measure_bits(&[num, den]), den_name)
        },
        Eval::Share {
            part,
            rest,
            den_name,
        } => simple(
            vec![part],
            vec![part, rest],
            measure_bits(&[part, rest]),
            den_name,
        ),
        Eval::EngagementRate => {
            let (den, den_name) = settings.er_denominator.measure();
            engagement_over(den, den_name)
        }
        Eval::PlatformEngagementRate(key) => {
            let (den, den_name) = settings.er_denominator.measure();
            RatioParts {
                platform: Some(key),
                ..engagement_over(den, den_name)
            }
        }
        Eval::EngagementsPer { den, den_name } => engagement_over(den, den_name),
        Eval::PerEngagement(m) => {
            let den = engagements_present(has);
            let mut needs = den.clone();
            needs.push(m);
            let mut parts = simple(vec![m], den, measure_bits(&needs), "engagements");
            parts.denominator_name = "engagements (likes + comments + shares + saves)".to_owned();
            parts
        }
        Eval::CommentSentiment => {
            use Measure::{CommentsNegative, CommentsNeutral, CommentsPositive};
            let mut parts = simple(
                vec![CommentsPositive],
                vec![CommentsPositive, CommentsNeutral, CommentsNegative],
                0,
                "classified comments",
            );
            parts.numerator_name = "positive comments".to_owned();
            parts
        }
        Eval::FtcCompliance => {
            use Measure::{DisclosedPosts, DisclosureKnownPosts};
            let mut parts = simple(
                vec![DisclosedPosts],
                vec![DisclosureKnownPosts],
                measure_bits(&[DisclosedPosts, DisclosureKnownPosts]),
                "sponsored posts with a known disclosure status",
            );
            parts.numerator_name = "disclosed sponsored posts".to_owned();
            parts
        }
        Eval::Total(_)
        | Eval::PerCampaign(_)
        | Eval::Emv
        | Eval::ClvRatio
        | Eval::BudgetPacing
        | Eval::InfluencerScore
        | Eval::Campaigns(_)
        | Eval::Creators(_)
        | Eval::AssetApprovalHours => return None,
    })
}
