//! The declarative KPI registry: one entry per KPI with its id, name, glossary text,
//! formula, unit, direction, default target (from the spec), how the engine evaluates
//! it and the columns it needs. Cards, tables, charts, alerts, the glossary, exports and
//! the engine all read from here.
//!
//! Adding a KPI is one [`KpiId`] line in `kpi_ids!` and one entry in `DEFS` (in the
//! same place of the order); a KPI of a new kind of evaluation also adds an [`Eval`]
//! variant, which the compiler then asks the engine to handle.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::data::schema::Measure;

use super::engine::KpiValue;
use super::entities::{self, CampaignInScope, CreatorInScope};

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

macro_rules! kpi_ids {
    ($($(#[$doc:meta])* $variant:ident => $id:literal,)*) => {
        /// A KPI, one variant per registry entry, in registry order. Its string
        /// ([`KpiId::as_str`]) is the `data-kpi` DOM hook and the key in JSON (serde
        /// writes and reads the string).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum KpiId {
            $($(#[$doc])* $variant,)*
        }

        impl KpiId {
            /// Every KPI, in registry order (`KpiId::ALL[id as usize] == id`).
            pub const ALL: [KpiId; KpiId::COUNT] = [$(KpiId::$variant,)*];

            /// Number of KPIs.
            pub const COUNT: usize = [$($id,)*].len();

            /// The stable id string: the `data-kpi` hook and the key in every result.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(KpiId::$variant => $id,)*
                }
            }
        }
    };
}

kpi_ids! {
    EngagementRate => "engagement_rate",
    EngagementRateInstagram => "engagement_rate_instagram",
    EngagementRateTiktok => "engagement_rate_tiktok",
    EngagementRateYoutube => "engagement_rate_youtube",
    EngagementRateX => "engagement_rate_x",
    AvgEngagementPerPost => "avg_engagement_per_post",
    CommentSentiment => "comment_sentiment",
    ShareOfVoice => "share_of_voice",
    ResponseRate => "response_rate",
    Ctr => "ctr",
    ConversionRate => "conversion_rate",
    Aov => "aov",
    Cpl => "cpl",
    LeadQuality => "lead_quality",
    BrandRecallLift => "brand_recall_lift",
    BrandSentimentShift => "brand_sentiment_shift",
    ShareOfConversation => "share_of_conversation",
    Impressions => "impressions",
    ImpressionsPerCampaign => "impressions_per_campaign",
    Reach => "reach",
    ReachPerCampaign => "reach_per_campaign",
    Roas => "roas",
    Cpa => "cpa",
    ClvRatio => "clv_ratio",
    BudgetPacing => "budget_pacing",
    Cpm => "cpm",
    Cpe => "cpe",
    Cpv => "cpv",
    Vtr => "vtr",
    Emv => "emv",
    InfluencerScore => "influencer_score",
    AudienceGrowth => "audience_growth",
    DeliveryRate => "delivery_rate",
    ContentQuality => "content_quality",
    LaunchOnTime => "launch_on_time",
    AssetApprovalHours => "asset_approval_hours",
    FtcCompliance => "ftc_compliance",
    ContractCompliance => "contract_compliance",
}

impl KpiId {
    /// The KPI with this id string, if any.
    pub fn parse(id: &str) -> Option<KpiId> {
        KpiId::ALL.into_iter().find(|k| k.as_str() == id)
    }

    /// Its registry entry.
    pub fn def(self) -> &'static KpiDef {
        &REGISTRY[self as usize]
    }
}

impl fmt::Display for KpiId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that names no KPI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownKpi(pub String);

impl fmt::Display for UnknownKpi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown KPI id {}", self.0)
    }
}

impl std::error::Error for UnknownKpi {}

impl FromStr for KpiId {
    type Err = UnknownKpi;

    fn from_str(id: &str) -> Result<KpiId, UnknownKpi> {
        KpiId::parse(id).ok_or_else(|| UnknownKpi(id.to_owned()))
    }
}

impl Serialize for KpiId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for KpiId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KpiId, D::Error> {
        let id = String::deserialize(d)?;
        id.parse().map_err(serde::de::Error::custom)
    }
}

/// How the engine evaluates a KPI. The posts measures a KPI reads follow from this
/// ([`Eval::measures`]), so its needs, its n/a reasons and its value come from one fact.
#[derive(Clone, Copy, Debug)]
pub enum Eval {
    /// Σnum / Σden over the scope's rows that have both; n/a names `den_name` when the
    /// denominator is 0.
    Ratio {
        num: Measure,
        den: Measure,
        den_name: &'static str,
    },
    /// A [`Eval::Ratio`] × 1000 (CPM).
    PerThousand {
        num: Measure,
        den: Measure,
        den_name: &'static str,
    },
    /// Σpart / (Σpart + Σrest) over the rows that have both (share of voice).
    Share {
        part: Measure,
        rest: Measure,
        den_name: &'static str,
    },
    /// Σ of one measure.
    Total(Measure),
    /// Σ of one measure / the number of campaigns with posts in the scope.
    PerCampaign(Measure),
    /// Engagements / the engagement-rate denominator chosen in Settings.
    EngagementRate,
    /// The engagement rate of one platform's posts in the scope (its platform key).
    PlatformEngagementRate(&'static str),
    /// Engagements / Σden.
    EngagementsPer {
        den: Measure,
        den_name: &'static str,
    },
    /// Σ of one measure / engagements (cost per engagement).
    PerEngagement(Measure),
    /// Positive / classified comments, from the posts' counts or the comments table.
    CommentSentiment,
    /// Disclosed / sponsored posts with a known disclosure status.
    FtcCompliance,
    /// Earned media value by the method chosen in Settings.
    Emv,
    /// Conversion-weighted CLV of the campaigns / CPA (as [`KpiId::Cpa`]'s entry
    /// computes it).
    ClvRatio,
    /// Σcost / planned spend to the as-of date.
    BudgetPacing,
    /// Mean influencer score of the creators in scope.
    InfluencerScore,
    /// A function of the campaigns in scope, given the entry's
    /// [`KpiDef::columns`] (joined with ", ") to name in its n/a.
    Campaigns(fn(&[CampaignInScope], &str) -> KpiValue),
    /// A function of the creators in scope, given the entry's columns likewise.
    Creators(fn(&[CreatorInScope], &str) -> KpiValue),
    /// Mean approval time of the assets of the campaigns and creators in scope.
    AssetApprovalHours,
}

/// The engagement measures (Σ of them is "engagements").
pub const ENGAGEMENT: [Measure; 4] = [
    Measure::Likes,
    Measure::Comments,
    Measure::Shares,
    Measure::Saves,
];

impl Eval {
    /// The posts measures this evaluation reads, in the order its n/a reasons name
    /// them (the engagement rates with the default denominator, reach).
    pub fn measures(&self) -> Vec<Measure> {
        use Measure::*;
        let engagements_and = |m: Measure| {
            let mut v = ENGAGEMENT.to_vec();
            v.push(m);
            v
        };
        match *self {
            Eval::Ratio { num, den, .. } | Eval::PerThousand { num, den, .. } => vec![num, den],
            Eval::Share { part, rest, .. } => vec![part, rest],
            Eval::Total(m) | Eval::PerCampaign(m) => vec![m],
            Eval::EngagementRate | Eval::PlatformEngagementRate(_) => engagements_and(Reach),
            Eval::EngagementsPer { den, .. } => engagements_and(den),
            Eval::PerEngagement(m) => {
                let mut v = vec![m];
                v.extend(ENGAGEMENT);
                v
            }
            Eval::CommentSentiment => vec![CommentsPositive, CommentsNeutral, CommentsNegative],
            Eval::FtcCompliance => vec![DisclosedPosts, DisclosureKnownPosts],
            Eval::Emv => vec![Impressions],
            Eval::ClvRatio => vec![Cost, NewCustomers],
            Eval::BudgetPacing => vec![Cost],
            Eval::InfluencerScore => {
                let mut v = engagements_and(Reach);
                v.extend([Conversions, Clicks]);
                v
            }
            Eval::Campaigns(_) | Eval::Creators(_) | Eval::AssetApprovalHours => Vec::new(),
        }
    }
}

/// One KPI definition: everything any part of the app knows about a KPI.
#[derive(Clone, Copy, Debug)]
pub struct KpiDef {
    /// The KPI (its string is the `data-kpi` hook and the key in every result).
    pub id: KpiId,
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
    /// How the engine computes it (which also says which posts measures it reads).
    pub eval: Eval,
    /// Canonical columns (`table.column`) it needs besides the posts measures of `eval`:
    /// other tables' columns and posts columns that are not measures.
    pub columns: &'static [&'static str],
}

impl PartialEq for KpiDef {
    fn eq(&self, other: &KpiDef) -> bool {
        self.id == other.id
    }
}

impl KpiDef {
    /// The posts measures it reads (from [`KpiDef::eval`]).
    pub fn measures(&self) -> Vec<Measure> {
        self.eval.measures()
    }

    /// Every canonical column it needs, as `table.column` (the glossary's "Needs"): the
    /// posts columns of its measures, then [`KpiDef::columns`].
    pub fn inputs(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in self.measures() {
            let name = format!("posts.{}", m.column());
            if !out.contains(&name) {
                out.push(name);
            }
        }
        out.extend(self.columns.iter().map(|c| (*c).to_owned()));
        out
    }
}

/// All KPIs, in display order (the spec's headline KPIs first within their groups);
/// entry `i` is `KpiId::ALL[i]`.
pub fn registry() -> &'static [KpiDef] {
    &REGISTRY
}

/// The definition of a KPI (the same as [`KpiId::def`]).
pub fn kpi(id: KpiId) -> &'static KpiDef {
    id.def()
}

/// Serde of a `&'static KpiDef` as its id (for `#[serde(with = "def_by_id")]`): an
/// unknown id is an error, not a guess.
pub mod def_by_id {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{KpiDef, KpiId};

    pub fn serialize<S: Serializer>(def: &&'static KpiDef, s: S) -> Result<S::Ok, S::Error> {
        def.id.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static KpiDef, D::Error> {
        KpiId::deserialize(d).map(KpiId::def)
    }
}

/// The platform-specific engagement-rate KPIs and their platform keys.
pub const PLATFORM_ENGAGEMENT: [(&str, KpiId); 4] = [
    ("instagram", KpiId::EngagementRateInstagram),
    ("tiktok", KpiId::EngagementRateTiktok),
    ("youtube", KpiId::EngagementRateYoutube),
    ("x", KpiId::EngagementRateX),
];

macro_rules! platform_er {
    ($id:ident, $key:literal, $name:expr, $lo:expr, $hi:expr) => {
        KpiDef {
            id: KpiId::$id,
            name: $name,
            group: KpiGroup::Engagement,
            definition:
                "Engagement rate of this platform's posts, against the platform's own target.",
            formula: "Σ(likes + comments + shares + saves) / Σreach, over this platform's posts",
            unit: Unit::Ratio,
            direction: Direction::HigherIsBetter,
            target: Some(Target::Range($lo, $hi)),
            eval: Eval::PlatformEngagementRate($key),
            columns: &[],
        }
    };
}

use Measure::*;

static REGISTRY: [KpiDef; KpiId::COUNT] = DEFS;

// Entry `i` of the registry is the KPI `KpiId::ALL[i]`: one entry per id, in order.
const _: () = {
    let mut i = 0;
    while i < KpiId::COUNT {
        assert!(
            DEFS[i].id as usize == i,
            "registry entries out of KpiId order"
        );
        i += 1;
    }
};

/// The registry in [`KpiId`] order (checked at compile time below).
const DEFS: [KpiDef; KpiId::COUNT] = [
    // --- Engagement ---
    KpiDef {
        id: KpiId::EngagementRate,
        name: "Engagement rate",
        group: KpiGroup::Engagement,
        definition: "Total engagements (likes, comments, shares, saves) divided by total reach.",
        formula: "Σ(likes + comments + shares + saves) / Σreach (denominator switchable to impressions or followers in Settings)",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::Range(0.05, 0.08)),
        eval: Eval::EngagementRate,
        columns: &[],
    },
    platform_er!(EngagementRateInstagram, "instagram", "Engagement rate · Instagram", 0.06, 0.09),
    platform_er!(EngagementRateTiktok, "tiktok", "Engagement rate · TikTok", 0.07, 0.10),
    platform_er!(EngagementRateYoutube, "youtube", "Engagement rate · YouTube", 0.04, 0.06),
    platform_er!(EngagementRateX, "x", "Engagement rate · X", 0.03, 0.05),
    KpiDef {
        id: KpiId::AvgEngagementPerPost,
        name: "Avg engagement per post",
        group: KpiGroup::Engagement,
        definition: "Total engagements divided by number of posts.",
        formula: "Σ(likes + comments + shares + saves) / Σpost_count",
        unit: Unit::Count,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(10_000.0)),
        eval: Eval::EngagementsPer { den: PostCount, den_name: "post count" },
        columns: &[],
    },
    KpiDef {
        id: KpiId::CommentSentiment,
        name: "Comment sentiment",
        group: KpiGroup::Engagement,
        definition: "Sentiment of comments (positive, neutral, negative): the positive share.",
        formula: "positive / (positive + neutral + negative) comments, from the posts' counts, the comments' labels, or a lexicon scorer on comment text",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.70)),
        eval: Eval::CommentSentiment,
        columns: &["comments.sentiment", "comments.text"],
    },
    KpiDef {
        id: KpiId::ShareOfVoice,
        name: "Share of voice",
        group: KpiGroup::Engagement,
        definition: "Brand mentions vs. competitors in influencer content.",
        formula: "Σbrand_mentions / (Σbrand_mentions + Σcompetitor_mentions)",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.15)),
        eval: Eval::Share { part: BrandMentions, rest: CompetitorMentions, den_name: "brand + competitor mentions" },
        columns: &[],
    },
    KpiDef {
        id: KpiId::ResponseRate,
        name: "Response rate (24 h)",
        group: KpiGroup::Engagement,
        definition: "Percentage of comments receiving responses from brand/influencer within 24 hours.",
        formula: "Σcomments_replied_24h / Σcomments",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.80)),
        eval: Eval::Ratio { num: CommentsReplied24h, den: Comments, den_name: "comments" },
        columns: &[],
    },
    // --- Conversion ---
    KpiDef {
        id: KpiId::Ctr,
        name: "Click-through rate",
        group: KpiGroup::Conversion,
        definition: "Percentage of viewers clicking on branded links or shoppable content.",
        formula: "Σclicks / Σimpressions",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::Range(0.02, 0.04)),
        eval: Eval::Ratio { num: Clicks, den: Impressions, den_name: "impressions" },
        columns: &[],
    },
    KpiDef {
        id: KpiId::ConversionRate,
        name: "Conversion rate",
        group: KpiGroup::Conversion,
        definition: "Percentage of clicks resulting in purchases or desired actions.",
        formula: "Σconversions / Σclicks",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::Range(0.03, 0.05)),
        eval: Eval::Ratio { num: Conversions, den: Clicks, den_name: "clicks" },
        columns: &[],
    },
    KpiDef {
        id: KpiId::Aov,
        name: "Average order value",
        group: KpiGroup::Conversion,
        definition: "Average purchase amount from influencer-driven sales.",
        formula: "Σrevenue / Σconversions; target = site AOV (campaigns.site_aov, weighted by conversions) + 15%",
        unit: Unit::Money,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AboveSiteAov(0.15)),
        eval: Eval::Ratio { num: Revenue, den: Conversions, den_name: "conversions" },
        columns: &["campaigns.site_aov"],
    },
    KpiDef {
        id: KpiId::Cpl,
        name: "Cost per lead",
        group: KpiGroup::Conversion,
        definition: "Total campaign cost divided by qualified leads generated.",
        formula: "Σcost / Σleads",
        unit: Unit::Money,
        direction: Direction::LowerIsBetter,
        target: Some(Target::AtMost(25.0)),
        eval: Eval::Ratio { num: Cost, den: Leads, den_name: "leads" },
        columns: &[],
    },
    KpiDef {
        id: KpiId::LeadQuality,
        name: "Lead quality (SQL rate)",
        group: KpiGroup::Conversion,
        definition: "Sales-qualified lead percentage from influencer campaigns.",
        formula: "Σsqls / Σleads",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.60)),
        eval: Eval::Ratio { num: Sqls, den: Leads, den_name: "leads" },
        columns: &[],
    },
    // --- Brand impact ---
    KpiDef {
        id: KpiId::BrandRecallLift,
        name: "Brand recall lift",
        group: KpiGroup::BrandImpact,
        definition: "Percentage increase in brand awareness from campaign baseline.",
        formula: "per campaign (awareness_post − awareness_pre) / awareness_pre; portfolio = mean over campaigns with survey data",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.25)),
        eval: Eval::Campaigns(entities::brand_recall_lift),
        columns: &["campaigns.awareness_pre", "campaigns.awareness_post"],
    },
    KpiDef {
        id: KpiId::BrandSentimentShift,
        name: "Brand sentiment shift",
        group: KpiGroup::BrandImpact,
        definition: "Change in brand sentiment scores pre/post campaign.",
        formula: "per campaign (sentiment_post − sentiment_pre) / sentiment_pre; portfolio = mean over campaigns with survey data",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.15)),
        eval: Eval::Campaigns(entities::brand_sentiment_shift),
        columns: &["campaigns.sentiment_pre", "campaigns.sentiment_post"],
    },
    KpiDef {
        id: KpiId::ShareOfConversation,
        name: "Share of conversation",
        group: KpiGroup::BrandImpact,
        definition: "Brand's percentage of social media conversation in category.",
        formula: "Σbrand_conversation / Σcategory_conversation, over campaigns",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.20)),
        eval: Eval::Campaigns(entities::share_of_conversation),
        columns: &["campaigns.brand_conversation", "campaigns.category_conversation"],
    },
    KpiDef {
        id: KpiId::Impressions,
        name: "Impressions",
        group: KpiGroup::BrandImpact,
        definition: "Total number of times content was displayed.",
        formula: "Σimpressions",
        unit: Unit::Count,
        direction: Direction::HigherIsBetter,
        target: None,
        eval: Eval::Total(Impressions),
        columns: &[],
    },
    KpiDef {
        id: KpiId::ImpressionsPerCampaign,
        name: "Impressions per campaign",
        group: KpiGroup::BrandImpact,
        definition: "Impressions per major campaign: the mean over the campaigns in view.",
        formula: "Σimpressions / number of campaigns with posts",
        unit: Unit::Count,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(5_000_000.0)),
        eval: Eval::PerCampaign(Impressions),
        columns: &["posts.campaign_id"],
    },
    KpiDef {
        id: KpiId::Reach,
        name: "Reach",
        group: KpiGroup::BrandImpact,
        definition: "Unique users who saw the content. Summed over posts, so a person reached by two posts counts twice: it is not de-duplicated.",
        formula: "Σreach (not de-duplicated across posts)",
        unit: Unit::Count,
        direction: Direction::HigherIsBetter,
        target: None,
        eval: Eval::Total(Reach),
        columns: &[],
    },
    KpiDef {
        id: KpiId::ReachPerCampaign,
        name: "Reach per campaign",
        group: KpiGroup::BrandImpact,
        definition: "Unique reach per campaign: the mean over the campaigns in view (not de-duplicated across posts).",
        formula: "Σreach / number of campaigns with posts",
        unit: Unit::Count,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(1_000_000.0)),
        eval: Eval::PerCampaign(Reach),
        columns: &["posts.campaign_id"],
    },
    // --- Financial ---
    KpiDef {
        id: KpiId::Roas,
        name: "ROAS",
        group: KpiGroup::Financial,
        definition: "Revenue generated divided by advertising cost (ROI: $50,000 ÷ $10,000 = 5).",
        formula: "Σrevenue / Σcost",
        unit: Unit::Multiple,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(5.0)),
        eval: Eval::Ratio { num: Revenue, den: Cost, den_name: "cost" },
        columns: &[],
    },
    KpiDef {
        id: KpiId::Cpa,
        name: "Cost per acquisition",
        group: KpiGroup::Financial,
        definition: "Total campaign cost divided by new customers acquired.",
        formula: "Σcost / Σnew_customers",
        unit: Unit::Money,
        direction: Direction::LowerIsBetter,
        target: Some(Target::AtMost(35.0)),
        eval: Eval::Ratio { num: Cost, den: NewCustomers, den_name: "new customers" },
        columns: &[],
    },
    KpiDef {
        id: KpiId::ClvRatio,
        name: "CLV : CPA",
        group: KpiGroup::Financial,
        definition: "CLV of acquired customers divided by CPA.",
        formula: "(Σ campaign clv × new_customers / Σ new_customers) / cpa",
        unit: Unit::Multiple,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(3.0)),
        eval: Eval::ClvRatio,
        columns: &["campaigns.clv"],
    },
    KpiDef {
        id: KpiId::BudgetPacing,
        name: "Budget pacing",
        group: KpiGroup::Financial,
        definition: "Actual spend vs. planned spend over campaign duration.",
        formula: "Σcost / Σ(budget × elapsed share of the campaign's days at the as-of date)",
        unit: Unit::Ratio,
        direction: Direction::WithinRange,
        target: Some(Target::Range(0.95, 1.05)),
        eval: Eval::BudgetPacing,
        columns: &["campaigns.budget", "campaigns.start_date", "campaigns.end_date"],
    },
    KpiDef {
        id: KpiId::Cpm,
        name: "CPM",
        group: KpiGroup::Financial,
        definition: "Cost per 1,000 impressions.",
        formula: "Σcost / Σimpressions × 1000",
        unit: Unit::Money,
        direction: Direction::LowerIsBetter,
        target: Some(Target::AtMost(8.0)),
        eval: Eval::PerThousand { num: Cost, den: Impressions, den_name: "impressions" },
        columns: &[],
    },
    KpiDef {
        id: KpiId::Cpe,
        name: "Cost per engagement",
        group: KpiGroup::Financial,
        definition: "Cost divided by engagements.",
        formula: "Σcost / Σ(likes + comments + shares + saves)",
        unit: Unit::Money,
        direction: Direction::LowerIsBetter,
        target: None,
        eval: Eval::PerEngagement(Cost),
        columns: &[],
    },
    KpiDef {
        id: KpiId::Cpv,
        name: "Cost per view",
        group: KpiGroup::Financial,
        definition: "Cost divided by video views.",
        formula: "Σcost / Σviews",
        unit: Unit::Money,
        direction: Direction::LowerIsBetter,
        target: None,
        eval: Eval::Ratio { num: Cost, den: Views, den_name: "views" },
        columns: &[],
    },
    KpiDef {
        id: KpiId::Vtr,
        name: "View-through rate",
        group: KpiGroup::Financial,
        definition: "Views divided by impressions.",
        formula: "Σviews / Σimpressions",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: None,
        eval: Eval::Ratio { num: Views, den: Impressions, den_name: "impressions" },
        columns: &[],
    },
    KpiDef {
        id: KpiId::Emv,
        name: "Earned media value",
        group: KpiGroup::Financial,
        definition: "What the earned exposure would have cost as paid media, by the method chosen in Settings.",
        formula: "per-platform CPM × Σimpressions / 1000, or Σ(likes × $/like + comments × $/comment + shares × $/share + views × $/view)",
        unit: Unit::Money,
        direction: Direction::HigherIsBetter,
        target: None,
        eval: Eval::Emv,
        columns: &[],
    },
    // --- Influencer performance ---
    KpiDef {
        id: KpiId::InfluencerScore,
        name: "Influencer performance score",
        group: KpiGroup::Influencer,
        definition: "Composite score based on engagement, conversion, and brand fit.",
        formula: "per creator: 100 × (w_e·min(ER / ER_low, 1) + w_c·min(CR / CR_low, 1) + w_b·brand_fit / 100) / (w_e + w_c + w_b), where ER is the creator's engagement rate over their posts in scope, ER_low the lower bound of their platform's ER target, CR = Σconversions / Σclicks and CR_low the lower bound of the conversion-rate target; weights 40/40/20 by default (Settings); overall = mean over the creators in scope that can be scored",
        unit: Unit::Score,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(80.0)),
        eval: Eval::InfluencerScore,
        columns: &["creators.brand_fit"],
    },
    KpiDef {
        id: KpiId::AudienceGrowth,
        name: "Audience growth",
        group: KpiGroup::Influencer,
        definition: "Percentage increase in influencer's audience during partnership.",
        formula: "Σ(followers_end − followers_start) / Σfollowers_start, over creators",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.05)),
        eval: Eval::Creators(entities::audience_growth),
        columns: &["creators.followers_start", "creators.followers_end"],
    },
    KpiDef {
        id: KpiId::DeliveryRate,
        name: "Campaign delivery rate",
        group: KpiGroup::Influencer,
        definition: "Percentage of committed deliverables completed on time.",
        formula: "Σdeliverables_on_time / Σdeliverables_committed",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.98)),
        eval: Eval::Creators(entities::delivery_rate),
        columns: &["creators.deliverables_on_time", "creators.deliverables_committed"],
    },
    KpiDef {
        id: KpiId::ContentQuality,
        name: "Content quality",
        group: KpiGroup::Influencer,
        definition: "Brand team rating of content alignment and creativity (1–5 stars).",
        formula: "mean content_rating over rated creators",
        unit: Unit::Rating,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(4.5)),
        eval: Eval::Creators(entities::content_quality),
        columns: &["creators.content_rating"],
    },
    // --- Operational ---
    KpiDef {
        id: KpiId::LaunchOnTime,
        name: "Campaign launch rate",
        group: KpiGroup::Operational,
        definition: "Percentage of campaigns launching on planned date.",
        formula: "campaigns with launch_date ≤ planned_launch_date / campaigns launched",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.95)),
        eval: Eval::Campaigns(entities::launch_on_time),
        columns: &["campaigns.launch_date", "campaigns.planned_launch_date"],
    },
    KpiDef {
        id: KpiId::AssetApprovalHours,
        name: "Asset approval time",
        group: KpiGroup::Operational,
        definition: "Average time from content submission to approval.",
        formula: "mean(approved_at − submitted_at) in hours, over approved assets",
        unit: Unit::Hours,
        direction: Direction::LowerIsBetter,
        target: Some(Target::AtMost(24.0)),
        eval: Eval::AssetApprovalHours,
        columns: &["assets.submitted_at", "assets.approved_at"],
    },
    KpiDef {
        id: KpiId::FtcCompliance,
        name: "FTC compliance",
        group: KpiGroup::Operational,
        definition: "Percentage of posts with proper disclosure and #ad labeling.",
        formula: "Σpost_count of disclosed rows / Σpost_count of rows with a known status; from `disclosed`, else detected in the caption (#ad, #sponsored, #paidpartnership, \"paid partnership\", #advertisement, #werbung, #anzeige)",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(1.0)),
        eval: Eval::FtcCompliance,
        columns: &["posts.caption"],
    },
    KpiDef {
        id: KpiId::ContractCompliance,
        name: "Contract compliance",
        group: KpiGroup::Operational,
        definition: "Percentage of influencer contracts meeting all terms.",
        formula: "creators with contract_terms_met = true / creators with a contract (contract_terms_met given)",
        unit: Unit::Ratio,
        direction: Direction::HigherIsBetter,
        target: Some(Target::AtLeast(0.98)),
        eval: Eval::Creators(entities::contract_compliance),
        columns: &["creators.contract_terms_met"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_lookups_work() {
        let mut ids: Vec<_> = registry().iter().map(|k| k.id.as_str()).collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
        assert_eq!(KpiId::Roas.def().unit, Unit::Multiple);
        for (key, id) in PLATFORM_ENGAGEMENT {
            assert!(matches!(id.def().eval, Eval::PlatformEngagementRate(k) if k == key));
        }
    }

    #[test]
    fn ids_round_trip_through_their_strings_and_serde() {
        for id in KpiId::ALL {
            assert_eq!(id.as_str().parse::<KpiId>(), Ok(id));
            let json = serde_json::to_string(&id).unwrap();
            assert_eq!(json, format!("\"{}\"", id.as_str()));
            assert_eq!(serde_json::from_str::<KpiId>(&json).unwrap(), id);
        }
        assert_eq!(KpiId::Roas.as_str(), "roas");
        assert_eq!(
            "nope".parse::<KpiId>().unwrap_err().to_string(),
            "unknown KPI id nope"
        );
        assert!(serde_json::from_str::<KpiId>("\"nope\"").is_err());
    }
}
