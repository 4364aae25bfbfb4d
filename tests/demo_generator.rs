//! The demo generator: deterministic, the promised sizes and spans, and every row
//! internally consistent.

use std::collections::BTreeSet;

use kpi_dash::data::calendar::parse_iso_day;
use kpi_dash::data::demo::{self, DEMO_SEED};
use kpi_dash::data::schema::{Measure, Objective};
use kpi_dash::data::store::{Disclosure, Workspace};

fn all_rows(ws: &Workspace) -> Vec<kpi_dash::data::store::PostRow> {
    (0..ws.posts.len()).map(|i| ws.posts.row(i)).collect()
}

#[test]
fn same_seed_same_workspace_other_seed_other_workspace() {
    let a = demo::generate(DEMO_SEED);
    let b = demo::generate(DEMO_SEED);
    assert_eq!(all_rows(&a), all_rows(&b));
    assert_eq!(a.campaigns, b.campaigns);
    assert_eq!(a.creators, b.creators);
    assert_eq!(a.assets, b.assets);
    assert_eq!(a.comments, b.comments);

    let c = demo::generate(DEMO_SEED + 1);
    assert_ne!(all_rows(&a), all_rows(&c));
    assert_ne!(a.creators, c.creators);
    assert_ne!(a.comments, c.comments);
}

#[test]
fn sizes_and_spans_are_as_promised() {
    let ws = demo::generate(DEMO_SEED);
    assert_eq!(ws.campaigns.len(), 8);
    assert_eq!(ws.creators.len(), 60);
    assert_eq!(ws.posts.len(), 3_000);
    assert_eq!(ws.assets.len(), 40);
    assert_eq!(ws.comments.len(), 400);

    let platforms: BTreeSet<&str> = ws
        .posts
        .platforms
        .values()
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(
        platforms,
        BTreeSet::from(["instagram", "tiktok", "youtube", "x"])
    );
    let creator_platforms: BTreeSet<&str> = ws
        .creators
        .iter()
        .filter_map(|c| c.platform.as_deref())
        .collect();
    assert_eq!(creator_platforms, platforms);
    let objectives: BTreeSet<&str> = ws
        .campaigns
        .iter()
        .filter_map(|c| c.objective)
        .map(Objective::name)
        .collect();
    assert_eq!(objectives, BTreeSet::from(["awareness", "leads", "sales"]));

    // Twelve months: 2025-11-01 … 2026-10-31.
    let (first, last) = ws.posts.date_span().unwrap();
    assert_eq!(Some(first), parse_iso_day("2025-11-01"));
    assert_eq!(Some(last), parse_iso_day("2026-10-31"));
    for c in &ws.campaigns {
        assert!(c.start_date.unwrap() >= first, "{}", c.campaign_id);
        // Only the still-running campaign ends after the data.
        if c.campaign_id != demo::OVER_PACED_CAMPAIGN {
            assert!(c.end_date.unwrap() <= last, "{}", c.campaign_id);
        }
    }
    let late: Vec<&str> = ws
        .campaigns
        .iter()
        .filter(|c| c.launch_date > c.planned_launch_date)
        .map(|c| c.campaign_id.as_str())
        .collect();
    assert_eq!(late, ["C04", "C06"]);
}

#[test]
fn every_field_is_filled() {
    let ws = demo::generate(DEMO_SEED);
    for m in Measure::ALL {
        assert!(ws.posts.has(m), "{m:?} missing");
    }
    for c in &ws.campaigns {
        let filled = [
            c.budget,
            c.site_aov,
            c.clv,
            c.awareness_pre,
            c.awareness_post,
            c.sentiment_pre,
            c.sentiment_post,
            c.brand_conversation,
            c.category_conversation,
        ];
        assert!(filled.iter().all(|v| v.is_some_and(|v| v > 0.0)), "{c:?}");
        assert!(c.launch_date.is_some() && c.planned_launch_date.is_some() && !c.name.is_empty());
    }
    for k in &ws.creators {
        let numbers = [
            k.followers_start,
            k.followers_end,
            k.brand_fit,
            k.content_rating,
            k.deliverables_committed,
            k.deliverables_on_time,
            k.female_share,
        ];
        assert!(numbers.iter().all(Option::is_some), "{k:?}");
        assert!((0.0..=100.0).contains(&k.brand_fit.unwrap()));
        assert!((1.0..=5.0).contains(&k.content_rating.unwrap()));
        assert!(k.discount_code.is_some() && k.country.is_some() && k.age_band.is_some());
        assert!(k.deliverables_on_time <= k.deliverables_committed);
    }
    for a in &ws.assets {
        if let Some(approved) = a.approved_at {
            assert!(approved > a.submitted_at.unwrap());
        }
    }
    assert!(ws.assets.iter().any(|a| a.approved_at.is_none()));
    let labelled = ws.comments.iter().filter(|c| c.sentiment.is_some()).count();
    assert!(labelled > 200 && labelled < ws.comments.len());
    let post_ids: BTreeSet<&str> = (0..ws.posts.len())
        .map(|i| ws.posts.post_id.get(i))
        .collect();
    assert_eq!(post_ids.len(), ws.posts.len(), "post ids are unique");
    assert!(ws
        .comments
        .iter()
        .all(|c| post_ids.contains(c.post_id.as_str()) && !c.text.is_empty()));
}

#[test]
fn every_post_is_consistent() {
    let ws = demo::generate(DEMO_SEED);
    let v = |m: Measure, i: usize| ws.posts.measure(m)[i];
    for i in 0..ws.posts.len() {
        let row = ws.posts.row(i);
        let creator = ws.creator(&row.creator_id).expect("known creator");
        assert_eq!(creator.platform.as_deref(), Some(row.platform.as_str()));
        let campaign = ws.campaign(&row.campaign_id).expect("known campaign");
        let day = row.date.unwrap();
        assert!(campaign.launch_date.unwrap() <= day && day <= campaign.end_date.unwrap());
        assert!(!row.format.is_empty());
        assert!(v(Measure::Reach, i) < v(Measure::Impressions, i));
        assert!(v(Measure::Views, i) <= v(Measure::Impressions, i));
        assert!(v(Measure::Clicks, i) <= v(Measure::Impressions, i));
        assert!(v(Measure::Conversions, i) <= v(Measure::Clicks, i));
        assert!(v(Measure::Sqls, i) <= v(Measure::Leads, i));
        assert!(v(Measure::NewCustomers, i) <= v(Measure::Conversions, i));
        assert!(v(Measure::Cost, i) > 0.0);
        assert_eq!(v(Measure::PostCount, i), 1.0);
        let split = v(Measure::CommentsPositive, i)
            + v(Measure::CommentsNeutral, i)
            + v(Measure::CommentsNegative, i);
        assert_eq!(split, v(Measure::Comments, i));
        assert!(v(Measure::CommentsReplied24h, i) <= v(Measure::Comments, i));
        let tagged = ["#ad", "#sponsored", "Paid partnership"]
            .iter()
            .any(|tag| row.caption.contains(tag));
        assert_eq!(
            tagged,
            ws.posts.disclosure[i] == Disclosure::Disclosed,
            "{}",
            row.caption
        );
    }
}

#[test]
fn large_scenario_is_deterministic_and_spans_three_years() {
    let scenario = demo::large_scenario(7, 5_000);
    let rows: Vec<_> = scenario.posts().collect();
    let again: Vec<_> = demo::large_scenario(7, 5_000).posts().collect();
    assert_eq!(rows, again);
    assert_eq!(rows.len(), 5_000);
    assert_eq!(scenario.campaigns.len(), 40);
    assert_eq!(scenario.creators.len(), 600);
    assert_eq!(rows[0].date, parse_iso_day("2023-11-01"));
    assert_eq!(rows[4_999].date, parse_iso_day("2026-10-31"));
    assert!(
        rows.windows(2).all(|w| w[0].date <= w[1].date),
        "date order"
    );
}
