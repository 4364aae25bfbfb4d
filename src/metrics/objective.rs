//! Objective-aligned headlines (seed 001): a campaign's objective picks which KPIs lead
//! its page. Awareness looks at exposure, leads at the lead funnel, sales at revenue.

use crate::data::schema::Objective;
use crate::data::store::Workspace;

use super::registry::KpiId;

/// Headline KPIs of awareness campaigns.
pub const AWARENESS_HEADLINE: &[KpiId] = &[
    KpiId::Impressions,
    KpiId::Reach,
    KpiId::EngagementRate,
    KpiId::Cpm,
    KpiId::BrandRecallLift,
    KpiId::ShareOfVoice,
];

/// Headline KPIs of lead-generation campaigns.
pub const LEADS_HEADLINE: &[KpiId] = &[
    KpiId::Cpl,
    KpiId::LeadQuality,
    KpiId::Ctr,
    KpiId::ConversionRate,
    KpiId::EngagementRate,
];

/// Headline KPIs of sales campaigns.
pub const SALES_HEADLINE: &[KpiId] = &[
    KpiId::Roas,
    KpiId::ConversionRate,
    KpiId::Aov,
    KpiId::Cpa,
    KpiId::ClvRatio,
    KpiId::Ctr,
];

/// The executive summary's headline (spec: ROAS, engagement rate, brand sentiment, budget).
pub const SUMMARY_HEADLINE: &[KpiId] = &[
    KpiId::Roas,
    KpiId::EngagementRate,
    KpiId::CommentSentiment,
    KpiId::BrandSentimentShift,
    KpiId::BudgetPacing,
];

/// The headline KPIs of an objective.
pub fn headline_kpis(objective: Objective) -> &'static [KpiId] {
    match objective {
        Objective::Awareness => AWARENESS_HEADLINE,
        Objective::Leads => LEADS_HEADLINE,
        Objective::Sales => SALES_HEADLINE,
    }
}

/// The headline KPIs of a campaign: its objective's, or the summary's when the
/// campaign is unknown or has no objective.
pub fn campaign_headline(ws: &Workspace, campaign_id: &str) -> &'static [KpiId] {
    ws.campaign(campaign_id)
        .and_then(|c| c.objective)
        .map_or(SUMMARY_HEADLINE, headline_kpis)
}
