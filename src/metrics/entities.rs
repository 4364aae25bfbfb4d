//! KPIs of the campaigns and creators in a scope (brand lift, pacing, CLV, delivery, …)
//! and of the assets that belong to them. A scope's campaigns are the campaigns with
//! posts rows in it (a campaign group: that campaign); its creators likewise. With an
//! empty posts table they are the campaigns/creators that match the filter.

use crate::data::calendar::Day;
use crate::data::store::{Campaign, Creator, Workspace};

use super::engine::{Filter, KpiValue};

/// One campaign of a scope, with the flows of its rows in that scope.
#[derive(Clone, Copy, Debug)]
pub struct CampaignInScope<'a> {
    pub id: &'a str,
    /// Its campaigns-table row, if any.
    pub row: Option<&'a Campaign>,
    pub cost: f64,
    pub new_customers: f64,
    pub conversions: f64,
}

/// One creator of a scope, with the flows of their rows in that scope.
#[derive(Clone, Copy, Debug, Default)]
pub struct CreatorInScope<'a> {
    pub id: &'a str,
    /// Its creators-table row, if any.
    pub row: Option<&'a Creator>,
    /// The platform whose ER target applies: `creators.platform`, else the platform of
    /// most of the creator's posts rows in the workspace.
    pub platform: Option<&'a str>,
    pub rows: f64,
    /// Rows that have every engagement-rate input (the engagements and the
    /// denominator are summed over these).
    pub er_rows: f64,
    pub engagements: f64,
    /// Σ of the ER denominator (reach, impressions or followers).
    pub er_denominator: f64,
    pub conversions: f64,
    pub clicks: f64,
}

/// Campaigns matching the filter's campaign list (used when there are no posts rows).
pub fn campaigns_matching<'a>(ws: &'a Workspace, filter: &Filter) -> Vec<CampaignInScope<'a>> {
    ws.campaigns
        .iter()
        .filter(|c| filter.campaigns.is_empty() || filter.campaigns.contains(&c.campaign_id))
        .map(|c| CampaignInScope {
            id: &c.campaign_id,
            row: Some(c),
            cost: 0.0,
            new_customers: 0.0,
            conversions: 0.0,
        })
        .collect()
}

/// Creators matching the filter's creator and platform lists (used when there are no posts rows).
pub fn creators_matching<'a>(ws: &'a Workspace, filter: &Filter) -> Vec<CreatorInScope<'a>> {
    ws.creators
        .iter()
        .filter(|c| filter.creators.is_empty() || filter.creators.contains(&c.creator_id))
        .filter(|c| {
            filter.platforms.is_empty()
                || c.platform
                    .as_ref()
                    .is_some_and(|p| filter.platforms.contains(p))
        })
        .map(|c| CreatorInScope {
            id: &c.creator_id,
            row: Some(c),
            platform: c.platform.as_deref(),
            ..CreatorInScope::default()
        })
        .collect()
}

fn needs(columns: &str) -> KpiValue {
    KpiValue::na(format!("needs column(s): {columns}"))
}

/// Mean over campaigns of `(post − pre) / pre`, for survey pairs like awareness.
fn mean_lift(
    campaigns: &[CampaignInScope],
    pair: impl Fn(&Campaign) -> (Option<f64>, Option<f64>),
    columns: &str,
) -> KpiValue {
    if campaigns.is_empty() {
        return KpiValue::na("no campaigns in view");
    }
    let lifts: Vec<f64> = campaigns
        .iter()
        .filter_map(|c| c.row)
        .filter_map(|c| match pair(c) {
            (Some(pre), Some(post)) if pre != 0.0 => Some((post - pre) / pre),
            _ => None,
        })
        .collect();
    mean(&lifts).unwrap_or_else(|| {
        needs(&format!(
            "{columns} (no campaign in view has both, with pre ≠ 0)"
        ))
    })
}

fn mean(values: &[f64]) -> Option<KpiValue> {
    (!values.is_empty()).then(|| KpiValue::Value(values.iter().sum::<f64>() / values.len() as f64))
}

/// Brand recall lift: mean over campaigns with survey data of (post − pre) / pre.
/// `columns` names the survey columns in its n/a (the registry entry's columns, as for
/// every function here).
pub fn brand_recall_lift(campaigns: &[CampaignInScope], columns: &str) -> KpiValue {
    mean_lift(campaigns, |c| (c.awareness_pre, c.awareness_post), columns)
}

/// Brand sentiment shift: mean over campaigns with survey data of (post − pre) / pre.
pub fn brand_sentiment_shift(campaigns: &[CampaignInScope], columns: &str) -> KpiValue {
    mean_lift(campaigns, |c| (c.sentiment_pre, c.sentiment_post), columns)
}

/// Share of conversation: Σbrand_conversation / Σcategory_conversation over campaigns with both.
pub fn share_of_conversation(campaigns: &[CampaignInScope], columns: &str) -> KpiValue {
    if campaigns.is_empty() {
        return KpiValue::na("no campaigns in view");
    }
    let pairs: Vec<(f64, f64)> = campaigns
        .iter()
        .filter_map(|c| c.row)
        .filter_map(|c| Some((c.brand_conversation?, c.category_conversation?)))
        .collect();
    if pairs.is_empty() {
        return needs(columns);
    }
    let (brand, category) = pairs
        .iter()
        .fold((0.0, 0.0), |(b, c), (pb, pc)| (b + pb, c + pc));
    KpiValue::ratio(brand, category, "category conversation")
}

/// Launch rate: campaigns launched on or before the planned date / campaigns launched
/// (with both dates known).
pub fn launch_on_time(campaigns: &[CampaignInScope], columns: &str) -> KpiValue {
    if campaigns.is_empty() {
        return KpiValue::na("no campaigns in view");
    }
    let launched: Vec<bool> = campaigns
        .iter()
        .filter_map(|c| c.row)
        .filter_map(|c| Some(c.launch_date? <= c.planned_launch_date?))
        .collect();
    if launched.is_empty() {
        return needs(columns);
    }
    let on_time = launched.iter().filter(|&&b| b).count();
    KpiValue::ratio(on_time as f64, launched.len() as f64, "campaigns launched")
}

/// Planned spend to date: budget × elapsed share of the campaign's days (inclusive) at
/// `as_of`, clamped to [0, 1]. `None` without budget, start and end.
pub fn planned_spend(campaign: &Campaign, as_of: Day) -> Option<f64> {
    let (budget, start, end) = (campaign.budget?, campaign.start_date?, campaign.end_date?);
    // Differences of days in i64 (exact in f64): no date can overflow them.
    let days = (i64::from(end) - i64::from(start) + 1) as f64;
    if days <= 0.0 {
        return None;
    }
    let elapsed = ((i64::from(as_of) - i64::from(start) + 1) as f64 / days).clamp(0.0, 1.0);
    Some(budget * elapsed)
}

/// Budget pacing: Σcost of the plannable campaigns' rows in view / Σ planned spend to date
/// (`columns`: the campaigns' budget and date columns).
pub fn budget_pacing(
    campaigns: &[CampaignInScope],
    as_of: Option<Day>,
    has_cost: bool,
    columns: &str,
) -> KpiValue {
    if !has_cost {
        return needs("cost");
    }
    if campaigns.is_empty() {
        return KpiValue::na("no campaigns in view");
    }
    let Some(as_of) = as_of else {
        return KpiValue::na("needs an as-of date (Settings) or dated posts");
    };
    let (actual, planned) = campaigns
        .iter()
        .filter_map(|c| Some((c.cost, planned_spend(c.row?, as_of)?)))
        .fold((0.0, 0.0), |(a, p), (ca, cp)| (a + ca, p + cp));
    if campaigns
        .iter()
        .all(|c| c.row.and_then(|r| planned_spend(r, as_of)).is_none())
    {
        return needs(columns);
    }
    KpiValue::ratio(actual, planned, "planned spend to date")
}

/// Customer lifetime value of the scope: Σ clv × new_customers / Σ new_customers over the
/// campaigns with a `clv`.
pub fn weighted_clv(campaigns: &[CampaignInScope], columns: &str) -> KpiValue {
    let with_clv: Vec<(f64, f64)> = campaigns
        .iter()
        .filter_map(|c| Some((c.row?.clv?, c.new_customers)))
        .collect();
    if with_clv.is_empty() {
        return needs(columns);
    }
    let (weighted, customers) = with_clv
        .iter()
        .fold((0.0, 0.0), |(w, n), (clv, nc)| (w + clv * nc, n + nc));
    KpiValue::ratio(weighted, customers, "new customers of campaigns with a CLV")
}

/// Site AOV of the scope: site_aov weighted by the campaigns' conversions in view (the
/// plain mean when none converted). `None` when no campaign has one.
pub fn site_aov(campaigns: &[CampaignInScope]) -> Option<f64> {
    let with_aov: Vec<(f64, f64)> = campaigns
        .iter()
        .filter_map(|c| Some((c.row?.site_aov?, c.conversions)))
        .collect();
    if with_aov.is_empty() {
        return None;
    }
    let conversions: f64 = with_aov.iter().map(|(_, n)| n).sum();
    if conversions > 0.0 {
        Some(with_aov.iter().map(|(a, n)| a * n).sum::<f64>() / conversions)
    } else {
        Some(with_aov.iter().map(|(a, _)| a).sum::<f64>() / with_aov.len() as f64)
    }
}

/// Σ over creators with both values of (a, b), or n/a naming the columns.
fn creator_ratio(
    creators: &[CreatorInScope],
    pair: impl Fn(&Creator) -> Option<(f64, f64)>,
    columns: &str,
    denominator_name: &str,
) -> KpiValue {
    if creators.is_empty() {
        return KpiValue::na("no creators in view");
    }
    let pairs: Vec<(f64, f64)> = creators.iter().filter_map(|c| pair(c.row?)).collect();
    if pairs.is_empty() {
        return needs(columns);
    }
    let (a, b) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (pa, pb)| (a + pa, b + pb));
    KpiValue::ratio(a, b, denominator_name)
}

/// Audience growth: Σ(followers_end − followers_start) / Σfollowers_start.
pub fn audience_growth(creators: &[CreatorInScope], columns: &str) -> KpiValue {
    creator_ratio(
        creators,
        |c| Some((c.followers_end? - c.followers_start?, c.followers_start?)),
        columns,
        "followers at start",
    )
}

/// Delivery rate: Σdeliverables_on_time / Σdeliverables_committed.
pub fn delivery_rate(creators: &[CreatorInScope], columns: &str) -> KpiValue {
    creator_ratio(
        creators,
        |c| Some((c.deliverables_on_time?, c.deliverables_committed?)),
        columns,
        "deliverables committed",
    )
}

/// Contract compliance: creators with contract_terms_met / creators with it known.
pub fn contract_compliance(creators: &[CreatorInScope], columns: &str) -> KpiValue {
    creator_ratio(
        creators,
        |c| {
            c.contract_terms_met
                .map(|met| (f64::from(u8::from(met)), 1.0))
        },
        columns,
        "creators with a contract",
    )
}

/// Content quality: mean content_rating over rated creators.
pub fn content_quality(creators: &[CreatorInScope], columns: &str) -> KpiValue {
    if creators.is_empty() {
        return KpiValue::na("no creators in view");
    }
    let ratings: Vec<f64> = creators
        .iter()
        .filter_map(|c| c.row?.content_rating)
        .collect();
    mean(&ratings).unwrap_or_else(|| needs(columns))
}

/// Asset approval time: mean hours from submission to approval over the approved assets
/// whose campaign or creator is in scope.
pub fn asset_approval_hours(
    ws: &Workspace,
    campaigns: &[CampaignInScope],
    creators: &[CreatorInScope],
    columns: &str,
) -> KpiValue {
    if ws.assets.is_empty() {
        return needs(&format!("{columns} (no assets table)"));
    }
    let in_scope = |a: &crate::data::store::Asset| {
        (!a.campaign_id.is_empty() && campaigns.iter().any(|c| c.id == a.campaign_id))
            || (!a.creator_id.is_empty() && creators.iter().any(|c| c.id == a.creator_id))
    };
    let hours: Vec<f64> = ws
        .assets
        .iter()
        .filter(|a| in_scope(a))
        .filter_map(|a| Some(a.approved_at?.saturating_sub(a.submitted_at?) as f64 / 3600.0))
        .filter(|h| *h >= 0.0)
        .collect();
    mean(&hours)
        .unwrap_or_else(|| KpiValue::na(format!("no approved asset in view (needs {columns})")))
}
