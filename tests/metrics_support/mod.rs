//! A small hand-built workspace shared by the metrics tests. Every number used in an
//! assertion is worked out by hand in the test's comments.
#![allow(dead_code)]

use kpi_dash::data::calendar::{day_from_ymd, Day, Timestamp};
use kpi_dash::data::schema::{Measure, Objective};
use kpi_dash::data::store::{
    Asset, Campaign, Comment, Creator, DisclosureMethod, PostRow, Sentiment, Workspace,
};
use kpi_dash::metrics::engine::KpiValue;

pub fn day(y: i32, m: u32, d: u32) -> Day {
    day_from_ymd(y, m, d).expect("valid test date")
}

/// A posts row with the given measures.
#[allow(clippy::too_many_arguments)]
pub fn post(
    id: &str,
    platform: &str,
    date: Option<Day>,
    campaign: &str,
    creator: &str,
    format: &str,
    disclosed: Option<bool>,
    values: &[(Measure, f64)],
) -> PostRow {
    let mut row = PostRow {
        platform: platform.into(),
        date,
        post_id: id.into(),
        campaign_id: campaign.into(),
        creator_id: creator.into(),
        format: format.into(),
        disclosure: disclosed,
        ..PostRow::default()
    };
    for (m, v) in values {
        row.values[*m as usize] = Some(*v);
    }
    row
}

/// All measures of one fixture post, in this order:
/// impressions, reach, views, likes, comments, shares, saves, clicks, conversions, revenue,
/// leads, sqls, new_customers, cost, brand_mentions, competitor_mentions,
/// comments_replied_24h, followers.
pub fn full(v: [f64; 18]) -> Vec<(Measure, f64)> {
    use Measure::*;
    [
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
        BrandMentions,
        CompetitorMentions,
        CommentsReplied24h,
        Followers,
    ]
    .into_iter()
    .zip(v)
    .collect()
}

fn hours(h: i64) -> Timestamp {
    1_736_000_000 + h * 3600
}

/// The fixture:
///
/// | post | platform | date | campaign | creator | format | impr | reach | views | likes | comm | shares | saves | clicks | conv | revenue | leads | sqls | new cust | cost | brand | comp | replied | followers | disclosed |
/// | P1 | instagram | 2025-01-06 | C1 | K1 | reel  | 10000 |  5000 |  4000 | 300 |  50 | 30 | 20 | 200 | 10 | 1500 | 20 | 12 | 8 | 1000 | 3 | 7 | 40 |  50000 | yes |
/// | P2 | tiktok    | 2025-01-08 | C1 | K2 | video | 20000 | 10000 | 15000 | 500 | 100 | 50 | 50 | 300 |  6 |  600 | 10 |  4 | 4 |  500 | 2 | 8 | 60 | 100000 | no  |
/// | P3 | instagram | 2025-02-10 | C2 | K1 | story | 30000 | 20000 |     0 | 900 |  50 | 25 | 25 | 100 |  4 |  800 |  0 |  0 | 2 |  500 | 5 | 5 | 30 |  50000 | yes |
///
/// Engagements: P1 300+50+30+20 = 400, P2 500+100+50+50 = 700, P3 900+50+25+25 = 1000.
pub fn fixture() -> Workspace {
    let mut ws = Workspace::default();
    let rows = [
        post(
            "P1",
            "instagram",
            Some(day(2025, 1, 6)),
            "C1",
            "K1",
            "reel",
            Some(true),
            &full([
                10000., 5000., 4000., 300., 50., 30., 20., 200., 10., 1500., 20., 12., 8., 1000.,
                3., 7., 40., 50000.,
            ]),
        ),
        post(
            "P2",
            "tiktok",
            Some(day(2025, 1, 8)),
            "C1",
            "K2",
            "video",
            Some(false),
            &full([
                20000., 10000., 15000., 500., 100., 50., 50., 300., 6., 600., 10., 4., 4., 500.,
                2., 8., 60., 100000.,
            ]),
        ),
        post(
            "P3",
            "instagram",
            Some(day(2025, 2, 10)),
            "C2",
            "K1",
            "story",
            Some(true),
            &full([
                30000., 20000., 0., 900., 50., 25., 25., 100., 4., 800., 0., 0., 2., 500., 5., 5.,
                30., 50000.,
            ]),
        ),
    ];
    for r in &rows {
        ws.posts.push(r);
    }
    ws.posts.disclosure_method = DisclosureMethod::Column;
    ws.campaigns = vec![
        Campaign {
            campaign_id: "C1".into(),
            name: "Winter sale".into(),
            objective: Some(Objective::Sales),
            start_date: Some(day(2025, 1, 1)),
            end_date: Some(day(2025, 1, 31)),
            planned_launch_date: Some(day(2025, 1, 1)),
            launch_date: Some(day(2025, 1, 1)),
            budget: Some(3100.0),
            site_aov: Some(100.0),
            clv: Some(500.0),
            awareness_pre: Some(0.2),
            awareness_post: Some(0.3),
            sentiment_pre: Some(0.5),
            sentiment_post: Some(0.6),
            brand_conversation: Some(100.0),
            category_conversation: Some(500.0),
            ..Campaign::default()
        },
        Campaign {
            campaign_id: "C2".into(),
            name: "Spring launch".into(),
            objective: Some(Objective::Awareness),
            start_date: Some(day(2025, 2, 1)),
            end_date: Some(day(2025, 2, 28)),
            planned_launch_date: Some(day(2025, 2, 1)),
            launch_date: Some(day(2025, 2, 3)),
            budget: Some(2800.0),
            site_aov: Some(200.0),
            clv: Some(300.0),
            awareness_pre: Some(0.4),
            awareness_post: Some(0.5),
            brand_conversation: Some(50.0),
            category_conversation: Some(500.0),
            ..Campaign::default()
        },
        Campaign {
            campaign_id: "C3".into(),
            name: "No posts".into(),
            awareness_pre: Some(1.0),
            awareness_post: Some(3.0),
            ..Campaign::default()
        },
    ];
    ws.creators = vec![
        Creator {
            creator_id: "K1".into(),
            platform: Some("instagram".into()),
            followers: Some(50_000.0),
            followers_start: Some(40_000.0),
            followers_end: Some(44_000.0),
            brand_fit: Some(80.0),
            content_rating: Some(4.0),
            deliverables_committed: Some(10.0),
            deliverables_on_time: Some(9.0),
            contract_terms_met: Some(true),
            ..Creator::default()
        },
        Creator {
            creator_id: "K2".into(),
            platform: Some("tiktok".into()),
            followers: Some(100_000.0),
            followers_start: Some(100_000.0),
            followers_end: Some(100_000.0),
            brand_fit: Some(50.0),
            content_rating: Some(5.0),
            deliverables_committed: Some(10.0),
            deliverables_on_time: Some(10.0),
            contract_terms_met: Some(false),
            ..Creator::default()
        },
    ];
    let asset = |id: &str, c: &str, k: &str, approved_after: Option<i64>| Asset {
        asset_id: id.into(),
        campaign_id: c.into(),
        creator_id: k.into(),
        submitted_at: Some(hours(0)),
        approved_at: approved_after.map(hours),
    };
    ws.assets = vec![
        asset("A1", "C1", "K1", Some(10)),
        asset("A2", "C2", "K2", Some(20)),
        asset("A3", "C3", "K9", Some(100)),
        asset("A4", "C1", "K1", None),
    ];
    let comment = |post: &str, s: Sentiment| Comment {
        post_id: post.into(),
        sentiment: Some(s),
        ..Comment::default()
    };
    use Sentiment::*;
    ws.comments = vec![
        comment("P1", Positive),
        comment("P1", Positive),
        comment("P1", Negative),
        comment("P2", Neutral),
        comment("P3", Positive),
        comment("PX", Negative),
    ];
    ws
}

/// Asserts a KPI value to 1e-9 relative.
#[track_caller]
pub fn assert_value(actual: &KpiValue, expected: f64) {
    match actual {
        KpiValue::Value(v) => assert!(
            (v - expected).abs() <= 1e-9 * expected.abs().max(1.0),
            "expected {expected}, got {v}"
        ),
        KpiValue::NotAvailable { reason } => panic!("expected {expected}, got n/a: {reason}"),
    }
}

/// Asserts n/a whose reason contains `needle`.
#[track_caller]
pub fn assert_na(actual: &KpiValue, needle: &str) {
    match actual {
        KpiValue::NotAvailable { reason } => {
            assert!(
                reason.contains(needle),
                "reason {reason:?} lacks {needle:?}"
            )
        }
        KpiValue::Value(v) => panic!("expected n/a ({needle}), got {v}"),
    }
}
