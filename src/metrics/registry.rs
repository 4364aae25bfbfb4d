//! The declarative KPI registry: one entry per KPI with its id, name, glossary text,
//! formula, unit, direction, default target (from the spec) and input columns.
//! Cards, tables, charts, alerts, the glossary and exports all read from here.

use serde::{Deserialize, Serialize};

/// The spec's six KPI groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KpiGroup {
    Engagement,
    Conversion,
    BrandImpact,
    Financial,
    Influencer,
    Operational,
}

impl KpiGroup {
    /// Every group, in the spec's order.
    pub const ALL: [KpiGroup; 6] = [
        KpiGroup::Engagement,
        KpiGroup::Conversion,
        KpiGroup::BrandImpact,
        KpiGroup::Financial,
        KpiGroup::Influencer,
        KpiGroup::Operational,
    ];

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            KpiGroup::Engagement => "Engagement",
            KpiGroup::Conversion => "Conversion",
            KpiGroup::BrandImpact => "Brand impact",
            KpiGroup::Financial => "Financial",
            KpiGroup::Influencer => "Influencer performance",
            KpiGroup::Operational => "Operational",
        }
    }
}

/// The unit of a KPI's raw value (`data-value` is in this unit).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Unit {
    /// A fraction, shown as a percentage (0.062 → 6.2%).
    Ratio,
    /// Currency units.
    Money,
    /// A plain count.
    Count,
    /// A multiple, shown as `5.0:1` (ROAS, CLV ratio).
    Multiple,
    /// Hours.
    Hours,
    /// A 0–100 score.
    Score,
    /// A 1–5 star rating.
    Rating,
}

/// Which way is good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
    /// Best inside the target range (budget pacing).
    WithinRange,
}

/// A target: a bound or a range, in the KPI's unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Target {
    AtLeast(f64),
    AtMost(f64),
    Range(f64, f64),
    /// At least the campaigns' site AOV plus this fraction (AOV's "≥ site AOV + 15%").
    AboveSiteAov(f64),
}

/// One KPI definition.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KpiDef {
    /// Stable id: the `data-kpi` hook and the key in every result.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    pub group: KpiGroup,
    /// Glossary definition (the spec's wording).
    pub definition: &'static str,
    /// The formula, as documented in the glossary.
    pub formula: &'static str,
    pub unit: Unit,
    pub direction: Direction,
    /// Default target from the spec; `None` = no target.
    pub target: Option<Target>,
    /// Canonical columns (`table.column`) the KPI needs.
    pub inputs: &'static [&'static str],
}

/// All KPIs, in display order (the spec's headline KPIs first within their groups).
pub fn registry() -> &'static [KpiDef] {
    REGISTRY
}

/// The KPI with this id.
pub fn kpi(id: &str) -> Option<&'static KpiDef> {
    REGISTRY.iter().find(|k| k.id == id)
}

/// Serde of a `&'static KpiDef` as its id (for `#[serde(with = "def_by_id")]`): an
/// unknown id is an error, not a guess.
pub mod def_by_id {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    use super::{kpi, KpiDef};

    pub fn serialize<S: Serializer>(def: &&'static KpiDef, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(def.id)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static KpiDef, D::Error> {
        let id = String::deserialize(d)?;
        kpi(&id).ok_or_else(|| D::Error::custom(format!("unknown KPI id {id}")))
    }
}

/// The platform-specific engagement-rate KPI ids and their platform keys.
pub const PLATFORM_ENGAGEMENT: [(&str, &str); 4] = [
    ("instagram", "engagement_rate_instagram"),
    ("tiktok", "engagement_rate_tiktok"),
    ("youtube", "engagement_rate_youtube"),
    ("x", "engagement_rate_x"),
];

const ENGAGEMENT_INPUTS: &[&str] = &[
    "posts.likes",
    "posts.comments",
    "posts.shares",
    "posts.saves",
    "posts.reach",
];

macro_rules! platform_er {
    ($id:expr, $name:expr, $lo:expr, $hi:expr) => {
        KpiDef {
            id: $id,
            name: $name,
            group: KpiGroup::Engagement,
            definition:
                "Engagement rate of this platform's posts, against the platform's own target.",
            formula: "Σ(likes + comments + shares + saves) / Σreach, over this platform's posts",
            unit: Unit::Ratio,
            direction: Direction::HigherIsBetter,
            target: Some(Target::Range($lo, $hi)),
            inputs: ENGAGEMENT_INPUTS,
        }
    };
}

static REGISTRY: &[KpiDef] = &[
    // --- Engagement ---
    KpiDef {
        id: "engagement_rate",
        name: "Engagement rate",
        group: KpiGroup::Engagement,
        definition: "Total engagements (likes, comments, shares, saves) divided by total reach.",
        formula: "Σ(likes + comments + shares + saves) / Σreach (denominator switchable to impressions or followers in Settings)",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::Range(0.05, 0.08)),
        inputs: ENGAGEMENT_INPUTS,
    },
    platform_er!("engagement_rate_instagram", "Engagement rate · Instagram", 0.06, 0.09),
    platform_er!("engagement_rate_tiktok", "Engagement rate · TikTok", 0.07, 0.10),
    platform_er!("engagement_rate_youtube", "Engagement rate · YouTube", 0.04, 0.06),
    platform_er!("engagement_rate_x", "Engagement rate · X", 0.03, 0.05),
    KpiDef {
        id: "avg_engagement_per_post",
        name: "Avg engagement per post",
        group: KpiGroup::Engagement,
        definition: "Total engagements divided by number of posts.",
        formula: "Σ(likes + comments + shares + saves) / Σpost_count",
        unit: Unit::Count,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(10_000.0)),
        inputs: &["posts.likes", "posts.comments", "posts.shares", "posts.saves"],
    },
    KpiDef {
        id: "comment_sentiment",
        name: "Comment sentiment",
        group: KpiGroup::Engagement,
        definition: "Sentiment of comments (positive, neutral, negative): the positive share.",
        formula: "positive / (positive + neutral + negative) comments, from the posts' counts, the comments' labels, or a lexicon scorer on comment text",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.70)),
        inputs: &["posts.comments_positive", "posts.comments_neutral", "posts.comments_negative"],
    },
    KpiDef {
        id: "share_of_voice",
        name: "Share of voice",
        group: KpiGroup::Engagement,
        definition: "Brand mentions vs. competitors in influencer content.",
        formula: "Σbrand_mentions / (Σbrand_mentions + Σcompetitor_mentions)",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.15)),
        inputs: &["posts.brand_mentions", "posts.competitor_mentions"],
    },
    KpiDef {
        id: "response_rate",
        name: "Response rate (24 h)",
        group: KpiGroup::Engagement,
        definition: "Percentage of comments receiving responses from brand/influencer within 24 hours.",
        formula: "Σcomments_replied_24h / Σcomments",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.80)),
        inputs: &["posts.comments_replied_24h", "posts.comments"],
    },
    // --- Conversion ---
    KpiDef {
        id: "ctr",
        name: "Click-through rate",
        group: KpiGroup::Conversion,
        definition: "Percentage of viewers clicking on branded links or shoppable content.",
        formula: "Σclicks / Σimpressions",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::Range(0.02, 0.04)),
        inputs: &["posts.clicks", "posts.impressions"],
    },
    KpiDef {
        id: "conversion_rate",
        name: "Conversion rate",
        group: KpiGroup::Conversion,
        definition: "Percentage of clicks resulting in purchases or desired actions.",
        formula: "Σconversions / Σclicks",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::Range(0.03, 0.05)),
        inputs: &["posts.conversions", "posts.clicks"],
    },
    KpiDef {
        id: "aov",
        name: "Average order value",
        group: KpiGroup::Conversion,
        definition: "Average purchase amount from influencer-driven sales.",
        formula: "Σrevenue / Σconversions; target = site AOV (campaigns.site_aov, weighted by conversions) + 15%",
        unit: Unit::Money,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AboveSiteAov(0.15)),
        inputs: &["posts.revenue", "posts.conversions"],
    },
    KpiDef {
        id: "cpl",
        name: "Cost per lead",
        group: KpiGroup::Conversion,
        definition: "Total campaign cost divided by qualified leads generated.",
        formula: "Σcost / Σleads",
        unit: Unit::Money,
        direction: Direction::LowerIsBetter,
        target: Some(Target::AtMost(25.0)),
        inputs: &["posts.cost", "posts.leads"],
    },
    KpiDef {
        id: "lead_quality",
        name: "Lead quality (SQL rate)",
        group: KpiGroup::Conversion,
        definition: "Sales-qualified lead percentage from influencer campaigns.",
        formula: "Σsqls / Σleads",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.60)),
        inputs: &["posts.sqls", "posts.leads"],
    },
    // --- Brand impact ---
    KpiDef {
        id: "brand_recall_lift",
        name: "Brand recall lift",
        group: KpiGroup::BrandImpact,
        definition: "Percentage increase in brand awareness from campaign baseline.",
        formula: "per campaign (awareness_post − awareness_pre) / awareness_pre; portfolio = mean over campaigns with survey data",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.25)),
        inputs: &["campaigns.awareness_pre", "campaigns.awareness_post"],
    },
    KpiDef {
        id: "brand_sentiment_shift",
        name: "Brand sentiment shift",
        group: KpiGroup::BrandImpact,
        definition: "Change in brand sentiment scores pre/post campaign.",
        formula: "per campaign (sentiment_post − sentiment_pre) / sentiment_pre; portfolio = mean over campaigns with survey data",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.15)),
        inputs: &["campaigns.sentiment_pre", "campaigns.sentiment_post"],
    },
    KpiDef {
        id: "share_of_conversation",
        name: "Share of conversation",
        group: KpiGroup::BrandImpact,
        definition: "Brand's percentage of social media conversation in category.",
        formula: "Σbrand_conversation / Σcategory_conversation, over campaigns",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.20)),
        inputs: &["campaigns.brand_conversation", "campaigns.category_conversation"],
    },
    KpiDef {
        id: "impressions",
        name: "Impressions",
        group: KpiGroup::BrandImpact,
        definition: "Total number of times content was displayed.",
        formula: "Σimpressions",
        unit: Unit::Count,
        direction: Direction::HigherIsBetter,
        target: None,
        inputs: &["posts.impressions"],
    },
    KpiDef {
        id: "impressions_per_campaign",
        name: "Impressions per campaign",
        group: KpiGroup::BrandImpact,
        definition: "Impressions per major campaign: the mean over the campaigns in view.",
        formula: "Σimpressions / number of campaigns with posts",
        unit: Unit::Count,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(5_000_000.0)),
        inputs: &["posts.impressions", "posts.campaign_id"],
    },
    KpiDef {
        id: "reach",
        name: "Reach",
        group: KpiGroup::BrandImpact,
        definition: "Unique users who saw the content. Summed over posts, so a person reached by two posts counts twice: it is not de-duplicated.",
        formula: "Σreach (not de-duplicated across posts)",
        unit: Unit::Count,
        direction: Direction::HigherIsBetter,
        target: None,
        inputs: &["posts.reach"],
    },
    KpiDef {
        id: "reach_per_campaign",
        name: "Reach per campaign",
        group: KpiGroup::BrandImpact,
        definition: "Unique reach per campaign: the mean over the campaigns in view (not de-duplicated across posts).",
        formula: "Σreach / number of campaigns with posts",
        unit: Unit::Count,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(1_000_000.0)),
        inputs: &["posts.reach", "posts.campaign_id"],
    },
    // --- Financial ---
    KpiDef {
        id: "roas",
        name: "ROAS",
        group: KpiGroup::Financial,
        definition: "Revenue generated divided by advertising cost (ROI: $50,000 ÷ $10,000 = 5).",
        formula: "Σrevenue / Σcost",
        unit: Unit::Multiple,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(5.0)),
        inputs: &["posts.revenue", "posts.cost"],
    },
    KpiDef {
        id: "cpa",
        name: "Cost per acquisition",
        group: KpiGroup::Financial,
        definition: "Total campaign cost divided by new customers acquired.",
        formula: "Σcost / Σnew_customers",
        unit: Unit::Money,
        direction: Direction::LowerIsBetter,
        target: Some(Target::AtMost(35.0)),
        inputs: &["posts.cost", "posts.new_customers"],
    },
    KpiDef {
        id: "clv_ratio",
        name: "CLV : CPA",
        group: KpiGroup::Financial,
        definition: "CLV of acquired customers divided by CPA.",
        formula: "(Σ campaign clv × new_customers / Σ new_customers) / cpa",
        unit: Unit::Multiple,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(3.0)),
        inputs: &["campaigns.clv", "posts.new_customers", "posts.cost"],
    },
    KpiDef {
        id: "budget_pacing",
        name: "Budget pacing",
        group: KpiGroup::Financial,
        definition: "Actual spend vs. planned spend over campaign duration.",
        formula: "Σcost / Σ(budget × elapsed share of the campaign's days at the as-of date)",
        unit: Unit::Ratio,
        direction: Direction::WithinRange,
        target: Some(Target::Range(0.95, 1.05)),
        inputs: &["posts.cost", "campaigns.budget", "campaigns.start_date", "campaigns.end_date"],
    },
    KpiDef {
        id: "cpm",
        name: "CPM",
        group: KpiGroup::Financial,
        definition: "Cost per 1,000 impressions.",
        formula: "Σcost / Σimpressions × 1000",
        unit: Unit::Money,
        direction: Direction::LowerIsBetter,
        target: Some(Target::AtMost(8.0)),
        inputs: &["posts.cost", "posts.impressions"],
    },
    KpiDef {
        id: "cpe",
        name: "Cost per engagement",
        group: KpiGroup::Financial,
        definition: "Cost divided by engagements.",
        formula: "Σcost / Σ(likes + comments + shares + saves)",
        unit: Unit::Money,
        direction: Direction::LowerIsBetter,
        target: None,
        inputs: &["posts.cost", "posts.likes", "posts.comments", "posts.shares", "posts.saves"],
    },
    KpiDef {
        id: "cpv",
        name: "Cost per view",
        group: KpiGroup::Financial,
        definition: "Cost divided by video views.",
        formula: "Σcost / Σviews",
        unit: Unit::Money,
        direction: Direction::LowerIsBetter,
        target: None,
        inputs: &["posts.cost", "posts.views"],
    },
    KpiDef {
        id: "vtr",
        name: "View-through rate",
        group: KpiGroup::Financial,
        definition: "Views divided by impressions.",
        formula: "Σviews / Σimpressions",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: None,
        inputs: &["posts.views", "posts.impressions"],
    },
    KpiDef {
        id: "emv",
        name: "Earned media value",
        group: KpiGroup::Financial,
        definition: "What the earned exposure would have cost as paid media, by the method chosen in Settings.",
        formula: "per-platform CPM × Σimpressions / 1000, or Σ(likes × $/like + comments × $/comment + shares × $/share + views × $/view)",
        unit: Unit::Money,
        direction: Direction::HigherIsBetter,
        target: None,
        inputs: &["posts.impressions"],
    },
    // --- Influencer performance ---
    KpiDef {
        id: "influencer_score",
        name: "Influencer performance score",
        group: KpiGroup::Influencer,
        definition: "Composite score based on engagement, conversion, and brand fit.",
        formula: "per creator: 100 × (w_e·min(ER / ER_low, 1) + w_c·min(CR / CR_low, 1) + w_b·brand_fit / 100) / (w_e + w_c + w_b), where ER is the creator's engagement rate over their posts in scope, ER_low the lower bound of their platform's ER target, CR = Σconversions / Σclicks and CR_low the lower bound of the conversion-rate target; weights 40/40/20 by default (Settings); overall = mean over the creators in scope that can be scored",
        unit: Unit::Score,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(80.0)),
        inputs: &["posts.likes", "posts.reach", "posts.conversions", "posts.clicks", "creators.brand_fit"],
    },
    KpiDef {
        id: "audience_growth",
        name: "Audience growth",
        group: KpiGroup::Influencer,
        definition: "Percentage increase in influencer's audience during partnership.",
        formula: "Σ(followers_end − followers_start) / Σfollowers_start, over creators",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.05)),
        inputs: &["creators.followers_start", "creators.followers_end"],
    },
    KpiDef {
        id: "delivery_rate",
        name: "Campaign delivery rate",
        group: KpiGroup::Influencer,
        definition: "Percentage of committed deliverables completed on time.",
        formula: "Σdeliverables_on_time / Σdeliverables_committed",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.98)),
        inputs: &["creators.deliverables_on_time", "creators.deliverables_committed"],
    },
    KpiDef {
        id: "content_quality",
        name: "Content quality",
        group: KpiGroup::Influencer,
        definition: "Brand team rating of content alignment and creativity (1–5 stars).",
        formula: "mean content_rating over rated creators",
        unit: Unit::Rating,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(4.5)),
        inputs: &["creators.content_rating"],
    },
    // --- Operational ---
    KpiDef {
        id: "launch_on_time",
        name: "Campaign launch rate",
        group: KpiGroup::Operational,
        definition: "Percentage of campaigns launching on planned date.",
        formula: "campaigns with launch_date ≤ planned_launch_date / campaigns launched",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.95)),
        inputs: &["campaigns.launch_date", "campaigns.planned_launch_date"],
    },
    KpiDef {
        id: "asset_approval_hours",
        name: "Asset approval time",
        group: KpiGroup::Operational,
        definition: "Average time from content submission to approval.",
        formula: "mean(approved_at − submitted_at) in hours, over approved assets",
        unit: Unit::Hours,
        direction: Direction::LowerIsBetter,
        target: Some(Target::AtMost(24.0)),
        inputs: &["assets.submitted_at", "assets.approved_at"],
    },
    KpiDef {
        id: "ftc_compliance",
        name: "FTC compliance",
        group: KpiGroup::Operational,
        definition: "Percentage of posts with proper disclosure and #ad labeling.",
        formula: "Σpost_count of disclosed rows / Σpost_count of rows with a known status; from `disclosed`, else detected in the caption (#ad, #sponsored, #paidpartnership, \"paid partnership\", #advertisement, #werbung, #anzeige)",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(1.0)),
        inputs: &["posts.disclosed or posts.caption"],
    },
    KpiDef {
        id: "contract_compliance",
        name: "Contract compliance",
        group: KpiGroup::Operational,
        definition: "Percentage of influencer contracts meeting all terms.",
        formula: "creators with contract_terms_met = true / creators with a contract (contract_terms_met given)",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.98)),
        inputs: &["creators.contract_terms_met"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_lookups_work() {
        let mut ids: Vec<_> = registry().iter().map(|k| k.id).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert_eq!(kpi("roas").map(|k| k.unit), Some(Unit::Multiple));
        for (_, id) in PLATFORM_ENGAGEMENT {
            assert!(kpi(id).is_some());
        }
    }
}
