//! The canonical tables and their snake_case columns: the public contract of the data
//! layer. Readers map whatever a file calls its columns onto these names.

use serde::{Deserialize, Serialize};

/// The kinds of table a workspace holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    Posts,
    Campaigns,
    Creators,
    Assets,
    Comments,
    /// Long audience rows: creator × dimension × value × share (see [`super::audience`]).
    Audience,
}

impl TableKind {
    /// Every table kind, in display order.
    pub const ALL: [TableKind; 6] = [
        TableKind::Posts,
        TableKind::Campaigns,
        TableKind::Creators,
        TableKind::Assets,
        TableKind::Comments,
        TableKind::Audience,
    ];

    /// The snake_case name used in workspace documents and the UI.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Posts => "posts",
            TableKind::Campaigns => "campaigns",
            TableKind::Creators => "creators",
            TableKind::Assets => "assets",
            TableKind::Comments => "comments",
            TableKind::Audience => "audience",
        }
    }

    /// Parses a table name as written by [`TableKind::name`].
    pub fn from_name(name: &str) -> Option<TableKind> {
        TableKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The canonical columns of this table.
    pub fn columns(self) -> &'static [Column] {
        match self {
            TableKind::Posts => POSTS_COLUMNS,
            TableKind::Campaigns => CAMPAIGNS_COLUMNS,
            TableKind::Creators => CREATORS_COLUMNS,
            TableKind::Assets => ASSETS_COLUMNS,
            TableKind::Comments => COMMENTS_COLUMNS,
            TableKind::Audience => AUDIENCE_COLUMNS,
        }
    }

    /// Columns read beside [`TableKind::columns`] but not written by the CSV exports
    /// (which keep their canonical headers): the creators' wide audience shares and the
    /// campaigns' target audience. The workspace JSON document carries them.
    pub fn extra_columns(self) -> &'static [Column] {
        match self {
            TableKind::Creators => CREATOR_AUDIENCE_COLUMNS,
            TableKind::Campaigns => CAMPAIGN_TARGET_COLUMNS,
            _ => &[],
        }
    }
}

/// How a column's raw text is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueType {
    /// Free text or an identifier.
    Text,
    /// A number: counts, money, percentages (as fractions), scores.
    Number,
    /// A calendar date (a time part, if any, is dropped).
    Date,
    /// A date and time.
    DateTime,
    /// true/false/yes/no/1/0/y/n.
    Bool,
    /// A platform name or alias, normalised by `values::platform_key`.
    Platform,
    /// awareness | leads | sales.
    Objective,
}

/// One canonical column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    /// The snake_case name: part of the public contract.
    pub name: &'static str,
    /// How its values are parsed.
    pub value_type: ValueType,
    /// A row without this value is rejected.
    pub required: bool,
}

const fn col(name: &'static str, value_type: ValueType) -> Column {
    Column {
        name,
        value_type,
        required: false,
    }
}

const fn req(name: &'static str, value_type: ValueType) -> Column {
    Column {
        name,
        value_type,
        required: true,
    }
}

use ValueType::{Bool, Date, DateTime, Number, Objective as Obj, Platform as Plat, Text};

/// posts: one row per published piece of content (or a rollup of `post_count` posts).
pub const POSTS_COLUMNS: &[Column] = &[
    req("platform", Plat),
    col("date", Date),
    col("post_id", Text),
    col("campaign_id", Text),
    col("creator_id", Text),
    col("format", Text),
    col("impressions", Number),
    col("reach", Number),
    col("views", Number),
    col("likes", Number),
    col("comments", Number),
    col("shares", Number),
    col("saves", Number),
    col("clicks", Number),
    col("conversions", Number),
    col("revenue", Number),
    col("leads", Number),
    col("sqls", Number),
    col("new_customers", Number),
    col("cost", Number),
    col("post_count", Number),
    col("caption", Text),
    col("disclosed", Bool),
    col("brand_mentions", Number),
    col("competitor_mentions", Number),
    col("comments_positive", Number),
    col("comments_neutral", Number),
    col("comments_negative", Number),
    col("comments_replied_24h", Number),
    col("followers", Number),
];

/// campaigns: one row per campaign.
pub const CAMPAIGNS_COLUMNS: &[Column] = &[
    req("campaign_id", Text),
    col("name", Text),
    col("objective", Obj),
    col("start_date", Date),
    col("end_date", Date),
    col("planned_launch_date", Date),
    col("launch_date", Date),
    col("budget", Number),
    col("site_aov", Number),
    col("clv", Number),
    col("awareness_pre", Number),
    col("awareness_post", Number),
    col("sentiment_pre", Number),
    col("sentiment_post", Number),
    col("brand_conversation", Number),
    col("category_conversation", Number),
];

/// creators: one row per creator (the partnership with them).
pub const CREATORS_COLUMNS: &[Column] = &[
    req("creator_id", Text),
    col("name", Text),
    col("platform", Plat),
    col("followers", Number),
    col("followers_start", Number),
    col("followers_end", Number),
    col("brand_fit", Number),
    col("content_rating", Number),
    col("deliverables_committed", Number),
    col("deliverables_on_time", Number),
    col("contract_terms_met", Bool),
    col("discount_code", Text),
    col("country", Text),
    col("age_band", Text),
    col("female_share", Number),
    col("engagement_rate", Number),
    col("avg_likes", Number),
    col("influence_score", Number),
];

/// assets: content submitted for approval.
pub const ASSETS_COLUMNS: &[Column] = &[
    req("asset_id", Text),
    col("campaign_id", Text),
    col("creator_id", Text),
    col("submitted_at", DateTime),
    col("approved_at", DateTime),
];

/// comments: optional, one row per comment.
pub const COMMENTS_COLUMNS: &[Column] = &[
    col("post_id", Text),
    col("text", Text),
    col("created_at", DateTime),
    col("sentiment", Text),
    col("replied_at", DateTime),
];

/// audience: one share of one creator's audience (`K01,country,US,0.41`). Blank share =
/// absent; shares above 1 are percents when the dimension's values say so.
pub const AUDIENCE_COLUMNS: &[Column] = &[
    req("creator_id", Text),
    col("dimension", Text),
    col("value", Text),
    col("share", Number),
];

/// The creators' wide audience columns (see [`TableKind::extra_columns`]);
/// `female_share` and `country` (the top country) are canonical creators columns.
pub const CREATOR_AUDIENCE_COLUMNS: &[Column] = &[
    col("age_13_17", Number),
    col("age_18_24", Number),
    col("age_25_34", Number),
    col("age_35_44", Number),
    col("age_45_54", Number),
    col("age_55_64", Number),
    col("age_65_plus", Number),
    col("male_share", Number),
    col("country_share", Number),
    col("country_1", Text),
    col("country_1_share", Number),
    col("country_2", Text),
    col("country_2_share", Number),
    col("country_3", Text),
    col("country_3_share", Number),
    col("country_4", Text),
    col("country_4_share", Number),
    col("country_5", Text),
    col("country_5_share", Number),
];

/// The campaigns' target audience (`US;CA`, `18-34` or `18-24;25-34`, `female`).
pub const CAMPAIGN_TARGET_COLUMNS: &[Column] = &[
    col("target_country", Text),
    col("target_age", Text),
    col("target_gender", Text),
];

/// The numeric columns of the posts table, stored as one column each.
///
/// Every post-level KPI is a ratio of sums of these, so sums from groups merge exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Impressions,
    Reach,
    Views,
    Likes,
    Comments,
    Shares,
    Saves,
    Clicks,
    Conversions,
    Revenue,
    Leads,
    Sqls,
    NewCustomers,
    Cost,
    PostCount,
    BrandMentions,
    CompetitorMentions,
    CommentsPositive,
    CommentsNeutral,
    CommentsNegative,
    CommentsReplied24h,
    Followers,
    /// Derived at ingest: `post_count` of rows whose disclosure is known to be present.
    DisclosedPosts,
    /// Derived at ingest: `post_count` of rows whose disclosure status is known
    /// (from the `disclosed` column or detected from the caption).
    DisclosureKnownPosts,
}

/// Number of [`Measure`] variants.
pub const MEASURE_COUNT: usize = 24;

impl Measure {
    /// Every measure, in column order; `Measure::ALL[m as usize] == m`.
    pub const ALL: [Measure; MEASURE_COUNT] = [
        Measure::Impressions,
        Measure::Reach,
        Measure::Views,
        Measure::Likes,
        Measure::Comments,
        Measure::Shares,
        Measure::Saves,
        Measure::Clicks,
        Measure::Conversions,
        Measure::Revenue,
        Measure::Leads,
        Measure::Sqls,
        Measure::NewCustomers,
        Measure::Cost,
        Measure::PostCount,
        Measure::BrandMentions,
        Measure::CompetitorMentions,
        Measure::CommentsPositive,
        Measure::CommentsNeutral,
        Measure::CommentsNegative,
        Measure::CommentsReplied24h,
        Measure::Followers,
        Measure::DisclosedPosts,
        Measure::DisclosureKnownPosts,
    ];

    /// The canonical column this measure is read from (the derived disclosure measures
    /// name `disclosed`).
    pub fn column(self) -> &'static str {
        match self {
            Measure::Impressions => "impressions",
            Measure::Reach => "reach",
            Measure::Views => "views",
            Measure::Likes => "likes",
            Measure::Comments => "comments",
            Measure::Shares => "shares",
            Measure::Saves => "saves",
            Measure::Clicks => "clicks",
            Measure::Conversions => "conversions",
            Measure::Revenue => "revenue",
            Measure::Leads => "leads",
            Measure::Sqls => "sqls",
            Measure::NewCustomers => "new_customers",
            Measure::Cost => "cost",
            Measure::PostCount => "post_count",
            Measure::BrandMentions => "brand_mentions",
            Measure::CompetitorMentions => "competitor_mentions",
            Measure::CommentsPositive => "comments_positive",
            Measure::CommentsNeutral => "comments_neutral",
            Measure::CommentsNegative => "comments_negative",
            Measure::CommentsReplied24h => "comments_replied_24h",
            Measure::Followers => "followers",
            Measure::DisclosedPosts | Measure::DisclosureKnownPosts => "disclosed",
        }
    }

    /// The measure stored for a canonical posts column, if it is numeric.
    pub fn from_column(name: &str) -> Option<Measure> {
        Measure::ALL
            .into_iter()
            .find(|m| m.column() == name && *m != Measure::DisclosureKnownPosts)
    }
}

/// Campaign objective (seed 001: KPIs follow the objective).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    Awareness,
    Leads,
    Sales,
}

impl Objective {
    /// Parses `awareness|leads|sales` and common synonyms, case-insensitively.
    pub fn parse(raw: &str) -> Option<Objective> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "awareness" | "brand awareness" | "reach" | "consideration" => {
                Some(Objective::Awareness)
            }
            "leads" | "lead" | "lead generation" | "leadgen" | "lead gen" => Some(Objective::Leads),
            "sales" | "sale" | "conversions" | "conversion" | "ecommerce" | "e-commerce" => {
                Some(Objective::Sales)
            }
            _ => None,
        }
    }

    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Objective::Awareness => "awareness",
            Objective::Leads => "leads",
            Objective::Sales => "sales",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_are_indexed_in_order() {
        for (i, m) in Measure::ALL.into_iter().enumerate() {
            assert_eq!(m as usize, i);
        }
    }

    #[test]
    fn every_numeric_posts_column_has_a_measure() {
        for c in POSTS_COLUMNS
            .iter()
            .filter(|c| c.value_type == ValueType::Number)
        {
            assert!(Measure::from_column(c.name).is_some(), "{}", c.name);
        }
        assert_eq!(
            Measure::from_column("disclosed"),
            Some(Measure::DisclosedPosts)
        );
    }
}
