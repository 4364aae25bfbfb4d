//! Objective-aligned headlines (seed 001): a campaign's objective picks which KPIs lead
//! its page. Awareness looks at exposure, leads at the lead funnel, sales at revenue.

use crate::data::schema::Objective;
use crate::data::store::Workspace;

/// Headline KPIs of awareness campaigns.
pub const AWARENESS_HEADLINE: &[&str] = &[
    "impressions",
    "reach",
    "engagement_rate",
    "cpm",
    "brand_recall_lift",
    "share_of_voice",
];

/// Headline KPIs of lead-generation campaigns.
pub const LEADS_HEADLINE: &[&str] = &[
    "cpl",
    "lead_quality",
    "ctr",
    "conversion_rate",
    "engagement_rate",
];

/// Headline KPIs of sales campaigns.
pub const SALES_HEADLINE: &[&str] = &["roas", "conversion_rate", "aov", "cpa", "clv_ratio", "ctr"];

/// The executive summary's headline (spec: ROAS, engagement rate, brand sentiment, budget).
pub const SUMMARY_HEADLINE: &[&str] = &[
    "roas",
    "engagement_rate",
    "comment_sentiment",
    "brand_sentiment_shift",
    "budget_pacing",
];

/// The headline KPI ids of an objective.
pub fn headline_kpis(objective: Objective) -> &'static [&'static str] {
    match objective {
        Objective::Awareness => AWARENESS_HEADLINE,
        Objective::Leads => LEADS_HEADLINE,
        Objective::Sales => SALES_HEADLINE,
    }
}

/// The headline KPI ids of a campaign: its objective's, or the summary's when the
/// campaign is unknown or has no objective.
pub fn campaign_headline(ws: &Workspace, campaign_id: &str) -> &'static [&'static str] {
    ws.campaign(campaign_id)
        .and_then(|c| c.objective)
        .map_or(SUMMARY_HEADLINE, headline_kpis)
}
