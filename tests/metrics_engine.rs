//! The engine against the hand-built fixture of `metrics_support` (see its table): every
//! KPI overall, per group and per period, settings, edge cases and a merge property test.

mod metrics_support;

use kpi_dash::data::calendar::Granularity;
use kpi_dash::data::schema::Measure;
use kpi_dash::data::store::{Comment, DisclosureMethod, Workspace};
use kpi_dash::metrics::engine::{compute, Dimension, Filter, KpiSet, KpiValue, Results};
use kpi_dash::metrics::registry::{registry, KpiId};
use kpi_dash::metrics::sentiment::SentimentSource;
use kpi_dash::metrics::settings::{EmvMethod, ErDenominator, Settings};
use metrics_support::*;

fn run(ws: &Workspace, filter: &Filter, settings: &Settings) -> Results {
    compute(ws, filter, settings, Granularity::Month)
}

fn overall() -> Results {
    run(&fixture(), &Filter::default(), &Settings::default())
}

#[test]
fn post_level_kpis_overall() {
    let r = overall();
    let k = &r.overall;
    assert_eq!(r.rows_in_view, 3);
    // Engagements 400 + 700 + 1000 = 2100; reach 5000 + 10000 + 20000 = 35000.
    assert_value(&k.get(KpiId::EngagementRate), 2100.0 / 35000.0);
    // Instagram P1 + P3: 1400 / 25000; TikTok P2: 700 / 10000.
    assert_value(&k.get(KpiId::EngagementRateInstagram), 0.056);
    assert_value(&k.get(KpiId::EngagementRateTiktok), 0.07);
    assert_na(&k.get(KpiId::EngagementRateYoutube), "no youtube posts");
    // 2100 engagements / 3 posts.
    assert_value(&k.get(KpiId::AvgEngagementPerPost), 700.0);
    // Brand 3+2+5 = 10, competitors 7+8+5 = 20: 10 / 30.
    assert_value(&k.get(KpiId::ShareOfVoice), 10.0 / 30.0);
    // Replied 40+60+30 = 130 of 50+100+50 = 200 comments.
    assert_value(&k.get(KpiId::ResponseRate), 0.65);
    // Clicks 600 / impressions 60000.
    assert_value(&k.get(KpiId::Ctr), 0.01);
    // Conversions 20 / clicks 600.
    assert_value(&k.get(KpiId::ConversionRate), 20.0 / 600.0);
    // Revenue 2900 / 20 conversions.
    assert_value(&k.get(KpiId::Aov), 145.0);
    // Cost 2000 / 30 leads; 16 SQLs / 30 leads.
    assert_value(&k.get(KpiId::Cpl), 2000.0 / 30.0);
    assert_value(&k.get(KpiId::LeadQuality), 16.0 / 30.0);
    assert_value(&k.get(KpiId::Impressions), 60000.0);
    assert_value(&k.get(KpiId::Reach), 35000.0);
    // Two campaigns (C1, C2) have rows: 60000 / 2 and 35000 / 2.
    assert_value(&k.get(KpiId::ImpressionsPerCampaign), 30000.0);
    assert_value(&k.get(KpiId::ReachPerCampaign), 17500.0);
    // Revenue 2900 / cost 2000.
    assert_value(&k.get(KpiId::Roas), 1.45);
    // Cost 2000 / 14 new customers.
    assert_value(&k.get(KpiId::Cpa), 2000.0 / 14.0);
    // 2000 / 60000 × 1000.
    assert_value(&k.get(KpiId::Cpm), 2000.0 / 60.0);
    assert_value(&k.get(KpiId::Cpe), 2000.0 / 2100.0);
    // Views 4000 + 15000 + 0 = 19000.
    assert_value(&k.get(KpiId::Cpv), 2000.0 / 19000.0);
    assert_value(&k.get(KpiId::Vtr), 19000.0 / 60000.0);
    // CPM method: instagram $10 × 40000 / 1000 = 400, tiktok $8 × 20000 / 1000 = 160.
    assert_value(&k.get(KpiId::Emv), 560.0);
    // Disclosed P1, P3 of 3 known.
    assert_value(&k.get(KpiId::FtcCompliance), 2.0 / 3.0);
    assert_eq!(r.disclosure_method, DisclosureMethod::Column);
    // Comments table labels on posts in view: P1 +,+,−; P2 0; P3 +; PX has no post.
    // 3 positive / 5.
    assert_value(&k.get(KpiId::CommentSentiment), 0.6);
    assert_eq!(r.sentiment_source, SentimentSource::CommentLabels);
    assert_eq!(r.er_denominator, ErDenominator::Reach);
}

#[test]
fn campaign_level_kpis_overall() {
    let r = overall();
    let k = &r.overall;
    // C1 (0.3 − 0.2) / 0.2 = 0.5, C2 (0.5 − 0.4) / 0.4 = 0.25; C3 has no posts in view.
    assert_value(&k.get(KpiId::BrandRecallLift), 0.375);
    // Only C1 has sentiment: (0.6 − 0.5) / 0.5.
    assert_value(&k.get(KpiId::BrandSentimentShift), 0.2);
    // (100 + 50) / (500 + 500).
    assert_value(&k.get(KpiId::ShareOfConversation), 0.15);
    // C1 launched on its planned day, C2 two days late.
    assert_value(&k.get(KpiId::LaunchOnTime), 0.5);
    // As of the last date, 2025-02-10: C1 fully elapsed → 3100 planned; C2 10 of 28 days
    // → 2800 × 10/28 = 1000. Spend C1 1000 + 500, C2 500: 2000 / 4100.
    assert_value(&k.get(KpiId::BudgetPacing), 2000.0 / 4100.0);
    assert_eq!(r.as_of, Some(day(2025, 2, 10)));
    // CLV = (500 × 12 + 300 × 2) / 14; CPA = 2000 / 14: ratio 6600 / 2000.
    assert_value(&k.get(KpiId::ClvRatio), 3.3);
    // Site AOV by conversions: (100 × 16 + 200 × 4) / 20 = 120.
    assert_eq!(r.site_aov, Some(120.0));
}

#[test]
fn creator_level_kpis_overall() {
    let k = overall().overall;
    // (44000 − 40000 + 0) / (40000 + 100000).
    assert_value(&k.get(KpiId::AudienceGrowth), 4000.0 / 140000.0);
    // (9 + 10) / (10 + 10).
    assert_value(&k.get(KpiId::DeliveryRate), 0.95);
    // (4 + 5) / 2.
    assert_value(&k.get(KpiId::ContentQuality), 4.5);
    // K1 met, K2 not.
    assert_value(&k.get(KpiId::ContractCompliance), 0.5);
    // K1: ER 1400/25000 = 0.056 vs instagram 6% → 0.9333; CR 14/300 ≥ 3% → 1; fit 0.8:
    //     40 × 0.9333 + 40 + 16 = 93.333.
    // K2: ER 700/10000 = 7% vs tiktok 7% → 1; CR 6/300 = 2% vs 3% → 0.6667; fit 0.5:
    //     40 + 26.667 + 10 = 76.667. Mean 85.
    assert_value(&k.get(KpiId::InfluencerScore), 85.0);
    // A1 (C1) 10 h, A2 (C2) 20 h; A3 is C3/K9 (out of scope), A4 not approved.
    assert_value(&k.get(KpiId::AssetApprovalHours), 15.0);
}

#[test]
fn every_kpi_is_computed_for_the_fixture() {
    let k = overall().overall;
    for (def, value) in k.iter() {
        if def.id == KpiId::EngagementRateYoutube || def.id == KpiId::EngagementRateX {
            continue;
        }
        assert!(value.value().is_some(), "{} is {:?}", def.id, value);
    }
}

#[test]
fn group_kpis() {
    let r = overall();
    let c1 = r.group(Dimension::Campaign, "C1").expect("C1");
    // P1 + P2: engagements 1100 / reach 15000; revenue 2100 / cost 1500.
    assert_value(&c1.kpis.get(KpiId::EngagementRate), 1100.0 / 15000.0);
    assert_value(&c1.kpis.get(KpiId::Roas), 1.4);
    // Conversions 16 / clicks 500.
    assert_value(&c1.kpis.get(KpiId::ConversionRate), 0.032);
    assert_value(&c1.kpis.get(KpiId::BudgetPacing), 1500.0 / 3100.0);
    assert_value(&c1.kpis.get(KpiId::BrandRecallLift), 0.5);
    assert_value(&c1.kpis.get(KpiId::ImpressionsPerCampaign), 30000.0);
    // CLV 500; CPA 1500 / 12 = 125 → 4.
    assert_value(&c1.kpis.get(KpiId::ClvRatio), 4.0);
    // Creators in C1: K1 (met) and K2 (not).
    assert_value(&c1.kpis.get(KpiId::ContractCompliance), 0.5);
    // K1 within C1 (P1 only): ER 400/5000 = 8% ≥ 6% → 1; CR 10/200 = 5% → 1; fit 0.8 → 96.
    // K2 as overall: 76.667. Mean (96 + 76.667) / 2.
    assert_value(
        &c1.kpis.get(KpiId::InfluencerScore),
        (96.0 + 40.0 + 80.0 / 3.0 + 10.0) / 2.0,
    );
    assert_eq!(c1.site_aov, Some(100.0));

    let ig = r
        .group(Dimension::Platform, "instagram")
        .expect("instagram");
    // P1 + P3 belong to C1 and C2: 40000 / 2.
    assert_value(&ig.kpis.get(KpiId::ImpressionsPerCampaign), 20000.0);
    assert_value(&ig.kpis.get(KpiId::EngagementRateInstagram), 0.056);
    assert_na(&ig.kpis.get(KpiId::EngagementRateTiktok), "no tiktok posts");
    // Spend of C1 and C2 on instagram 1000 + 500 / planned 3100 + 1000.
    assert_value(&ig.kpis.get(KpiId::BudgetPacing), 1500.0 / 4100.0);

    let k2 = r.group(Dimension::Creator, "K2").expect("K2");
    assert_value(
        &k2.kpis.get(KpiId::InfluencerScore),
        40.0 + 80.0 / 3.0 + 10.0,
    );
    assert_value(&k2.kpis.get(KpiId::ContractCompliance), 0.0);
    assert_value(&k2.kpis.get(KpiId::AudienceGrowth), 0.0);

    let story = r.group(Dimension::Format, "story").expect("story");
    assert_value(&story.kpis.get(KpiId::EngagementRate), 0.05);
    assert_eq!(r.groups_of(Dimension::Format).count(), 3);
}

#[test]
fn period_kpis() {
    let r = overall();
    assert_eq!(r.periods.len(), 2);
    let (jan, feb) = (&r.periods[0], &r.periods[1]);
    assert_eq!(
        (jan.start, jan.label.as_str()),
        (day(2025, 1, 1), "2025-01")
    );
    assert_eq!(feb.label, "2025-02");
    // January: P1 + P2, 1100 / 15000; February: P3, 1000 / 20000.
    assert_value(&jan.kpis.get(KpiId::EngagementRate), 1100.0 / 15000.0);
    assert_value(&feb.kpis.get(KpiId::EngagementRate), 0.05);
    // Comments: January P1 +,+,− and P2 0 → 2/4; February P3 + → 1.
    assert_value(&jan.kpis.get(KpiId::CommentSentiment), 0.5);
    assert_value(&feb.kpis.get(KpiId::CommentSentiment), 1.0);
    let weekly = compute(
        &fixture(),
        &Filter::default(),
        &Settings::default(),
        Granularity::Week,
    );
    // P1 (Mon 6 Jan) and P2 (Wed 8 Jan) share a week; P3 is alone.
    assert_eq!(weekly.periods.len(), 2);
    assert_eq!(weekly.periods[0].sums.rows, 2);
}

#[test]
fn engagement_rate_denominator_setting() {
    let ws = fixture();
    let mut settings = Settings {
        er_denominator: ErDenominator::Impressions,
        ..Settings::default()
    };
    let r = run(&ws, &Filter::default(), &settings);
    // 2100 / 60000 impressions.
    assert_value(&r.overall.get(KpiId::EngagementRate), 0.035);
    assert_eq!(r.er_denominator, ErDenominator::Impressions);
    settings.er_denominator = ErDenominator::Followers;
    // 2100 / (50000 + 100000 + 50000).
    let r = run(&ws, &Filter::default(), &settings);
    assert_value(&r.overall.get(KpiId::EngagementRate), 0.0105);
    // TikTok: 700 / 100000.
    assert_value(&r.overall.get(KpiId::EngagementRateTiktok), 0.007);
}

#[test]
fn emv_per_action_and_missing_cpm() {
    let mut ws = fixture();
    let mut settings = Settings {
        emv_method: EmvMethod::PerAction,
        ..Settings::default()
    };
    // likes 1700 × 0.10 + comments 200 × 1 + shares 105 × 0.5 + saves 95 × 0.5 + views 19000 × 0.02
    // = 170 + 200 + 52.5 + 47.5 + 380.
    assert_value(
        &run(&ws, &Filter::default(), &settings)
            .overall
            .get(KpiId::Emv),
        850.0,
    );
    settings.emv_method = EmvMethod::Cpm;
    ws.posts.push(&post(
        "P4",
        "facebook",
        None,
        "",
        "",
        "",
        None,
        &[(Measure::Impressions, 1.0)],
    ));
    let r = run(&ws, &Filter::default(), &settings);
    assert_na(
        &r.overall.get(KpiId::Emv),
        "no EMV CPM set for platform(s): facebook",
    );
}

#[test]
fn budget_pacing_as_of_setting() {
    let settings = Settings {
        as_of: Some(day(2025, 1, 16)),
        ..Settings::default()
    };
    let r = run(&fixture(), &Filter::default(), &settings);
    // C1: 3100 × 16/31 = 1600; C2 has not started (0). Spend 1500 + 500 = 2000 / 1600.
    assert_value(&r.overall.get(KpiId::BudgetPacing), 1.25);
}

#[test]
fn sentiment_from_post_counts_and_from_lexicon() {
    let mut ws = Workspace::default();
    ws.posts.push(&post(
        "P1",
        "x",
        None,
        "",
        "",
        "",
        None,
        &[
            (Measure::CommentsPositive, 7.0),
            (Measure::CommentsNeutral, 2.0),
            (Measure::CommentsNegative, 1.0),
        ],
    ));
    let r = run(&ws, &Filter::default(), &Settings::default());
    // 7 / (7 + 2 + 1).
    assert_value(&r.overall.get(KpiId::CommentSentiment), 0.7);
    assert_eq!(r.sentiment_source, SentimentSource::PostCounts);

    let mut ws = Workspace::default();
    ws.posts.push(&post(
        "P1",
        "x",
        None,
        "",
        "",
        "",
        None,
        &[(Measure::Likes, 1.0)],
    ));
    let text = |t: &str| Comment {
        post_id: "P1".into(),
        text: t.into(),
        ..Comment::default()
    };
    ws.comments = vec![
        text("love it!"),
        text("not good"),
        text("where is this from?"),
    ];
    let r = run(&ws, &Filter::default(), &Settings::default());
    // positive, negative (negated), neutral → 1 / 3.
    assert_value(&r.overall.get(KpiId::CommentSentiment), 1.0 / 3.0);
    assert_eq!(r.sentiment_source, SentimentSource::Lexicon);
}

#[test]
fn seed_001_worked_example() {
    let mut ws = Workspace::default();
    ws.posts.push(&post(
        "P1",
        "instagram",
        None,
        "C1",
        "K1",
        "",
        None,
        &[(Measure::Cost, 10_000.0), (Measure::Revenue, 50_000.0)],
    ));
    // $50,000 ÷ $10,000 = 5.
    assert_value(
        &run(&ws, &Filter::default(), &Settings::default())
            .overall
            .get(KpiId::Roas),
        5.0,
    );
}

#[test]
fn missing_columns_are_named() {
    let mut ws = Workspace::default();
    ws.posts.push(&post(
        "P1",
        "instagram",
        None,
        "",
        "",
        "",
        None,
        &[(Measure::Likes, 10.0), (Measure::Impressions, 100.0)],
    ));
    let k = run(&ws, &Filter::default(), &Settings::default()).overall;
    assert_na(&k.get(KpiId::EngagementRate), "needs column(s): reach");
    assert_na(&k.get(KpiId::Ctr), "needs column(s): clicks");
    assert_na(&k.get(KpiId::Roas), "needs column(s): revenue, cost");
    assert_na(
        &k.get(KpiId::ShareOfVoice),
        "needs column(s): brand_mentions, competitor_mentions",
    );
    assert_na(&k.get(KpiId::FtcCompliance), "needs column(s): disclosed");
    assert_na(
        &k.get(KpiId::CommentSentiment),
        "needs column(s): comments_positive",
    );
    assert_na(&k.get(KpiId::BudgetPacing), "needs column(s): cost");
    assert_na(&k.get(KpiId::BrandRecallLift), "no campaigns in view");
    assert_na(
        &k.get(KpiId::AssetApprovalHours),
        "needs column(s): assets.submitted_at",
    );
    // One post: engagement per post is its likes; impressions its impressions.
    assert_value(&k.get(KpiId::AvgEngagementPerPost), 10.0);
    assert_value(&k.get(KpiId::Impressions), 100.0);
    // Campaign table without survey columns.
    ws.campaigns.push(Default::default());
    ws.campaigns[0].campaign_id = "C1".into();
    ws.posts
        .push(&post("P2", "instagram", None, "C1", "", "", None, &[]));
    let k = run(&ws, &Filter::default(), &Settings::default()).overall;
    assert_na(
        &k.get(KpiId::BrandRecallLift),
        "needs column(s): campaigns.awareness_pre, campaigns.awareness_post",
    );
    assert_na(&k.get(KpiId::ClvRatio), "campaigns.clv");
}

#[test]
fn zero_denominators_are_not_available() {
    let mut ws = Workspace::default();
    ws.posts.push(&post(
        "P1",
        "instagram",
        None,
        "",
        "",
        "",
        None,
        &[
            (Measure::Likes, 5.0),
            (Measure::Reach, 0.0),
            (Measure::Revenue, 10.0),
            (Measure::Cost, 0.0),
            (Measure::Clicks, 0.0),
            (Measure::Conversions, 0.0),
        ],
    ));
    let k = run(&ws, &Filter::default(), &Settings::default()).overall;
    assert_na(&k.get(KpiId::EngagementRate), "reach is 0");
    assert_na(&k.get(KpiId::Roas), "cost is 0");
    assert_na(&k.get(KpiId::ConversionRate), "clicks is 0");
    for (def, v) in k.iter() {
        if let KpiValue::Value(x) = v {
            assert!(x.is_finite(), "{}", def.id);
        }
    }
}

#[test]
fn all_posts_filtered_out() {
    let filter = Filter {
        platforms: vec!["youtube".into()],
        ..Filter::default()
    };
    let r = run(&fixture(), &filter, &Settings::default());
    assert_eq!((r.rows_in_view, r.groups.len(), r.periods.len()), (0, 0, 0));
    assert_na(&r.overall.get(KpiId::EngagementRate), "no posts in view");
    assert_na(&r.overall.get(KpiId::Impressions), "no posts in view");
    assert_na(
        &r.overall.get(KpiId::BrandRecallLift),
        "no campaigns in view",
    );
    assert_na(
        &r.overall.get(KpiId::InfluencerScore),
        "no creators in view",
    );
}

#[test]
fn filters_select_rows() {
    let ws = fixture();
    let february = Filter {
        from: Some(day(2025, 2, 1)),
        ..Filter::default()
    };
    let r = run(&ws, &february, &Settings::default());
    // Only P3: 1000 / 20000; its campaign C2 lift 0.25.
    assert_eq!(r.rows_in_view, 1);
    assert_value(&r.overall.get(KpiId::EngagementRate), 0.05);
    assert_value(&r.overall.get(KpiId::BrandRecallLift), 0.25);
    let k1 = Filter {
        creators: vec!["K1".into()],
        ..Filter::default()
    };
    let r = run(&ws, &k1, &Settings::default());
    // K1 alone: 93.333 (see creator_level_kpis_overall).
    assert_value(
        &r.overall.get(KpiId::InfluencerScore),
        40.0 * 0.056 / 0.06 + 40.0 + 16.0,
    );
}

#[test]
fn empty_posts_table_uses_the_tables() {
    let mut ws = fixture();
    ws.posts = Default::default();
    let r = run(&ws, &Filter::default(), &Settings::default());
    // C1 0.5, C2 0.25, C3 (3 − 1) / 1 = 2: mean 2.75 / 3.
    assert_value(&r.overall.get(KpiId::BrandRecallLift), 2.75 / 3.0);
    assert_value(&r.overall.get(KpiId::ContractCompliance), 0.5);
    assert_na(
        &r.overall.get(KpiId::EngagementRate),
        "needs column(s): likes, comments, shares, saves",
    );
    let c3 = Filter {
        campaigns: vec!["C3".into()],
        ..Filter::default()
    };
    assert_value(
        &run(&ws, &c3, &Settings::default())
            .overall
            .get(KpiId::BrandRecallLift),
        2.0,
    );
    let tiktok = Filter {
        platforms: vec!["tiktok".into()],
        ..Filter::default()
    };
    // Only K2 is on TikTok.
    assert_value(
        &run(&ws, &tiktok, &Settings::default())
            .overall
            .get(KpiId::ContractCompliance),
        0.0,
    );
}

#[test]
fn top_and_bottom_lists() {
    let r = overall();
    let ranked = r.ranked(Dimension::Campaign, KpiId::Roas);
    // C2 800/500 = 1.6 beats C1 1.4.
    assert_eq!(
        ranked
            .iter()
            .map(|(g, _)| g.key.as_str())
            .collect::<Vec<_>>(),
        ["C2", "C1"]
    );
    // Lower CPA is better: C1 1500/12 = 125 beats C2 500/2 = 250.
    assert_eq!(r.ranked(Dimension::Campaign, KpiId::Cpa)[0].0.key, "C1");
}

// --- property test ---

/// xorshift64*: a tiny seeded PRNG (no crate).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

fn random_workspace(seed: u64) -> Workspace {
    let mut rng = Rng(seed);
    let mut ws = fixture();
    let platforms = ["instagram", "tiktok", "youtube", "x"];
    let campaigns = ["C1", "C2", "C3", ""];
    let creators = ["K1", "K2", "K3", "K4", ""];
    let formats = ["reel", "video", "story"];
    for i in 0..400 {
        let date = (rng.below(10) > 0).then(|| day(2025, 1, 1) + rng.below(120) as i32);
        let disclosed = match rng.below(3) {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        };
        let mut values = Vec::new();
        for m in Measure::ALL {
            if matches!(
                m,
                Measure::DisclosedPosts | Measure::DisclosureKnownPosts | Measure::PostCount
            ) || matches!(
                m,
                Measure::CommentsPositive | Measure::CommentsNeutral | Measure::CommentsNegative
            ) {
                continue;
            }
            values.push((m, rng.below(1000) as f64));
        }
        ws.posts.push(&post(
            &format!("R{i}"),
            rng.pick(&platforms),
            date,
            rng.pick(&campaigns),
            rng.pick(&creators),
            rng.pick(&formats),
            disclosed,
            &values,
        ));
    }
    for i in 0..200 {
        let label = [
            kpi_dash::data::store::Sentiment::Positive,
            kpi_dash::data::store::Sentiment::Neutral,
            kpi_dash::data::store::Sentiment::Negative,
        ][rng.below(3) as usize];
        ws.comments.push(Comment {
            post_id: format!("R{}", rng.below(400)),
            sentiment: Some(label),
            text: format!("comment {i}"),
            ..Comment::default()
        });
    }
    ws
}

#[track_caller]
fn assert_same(a: &KpiSet, b: &KpiSet, what: &str) {
    for ((def, x), (_, y)) in a.iter().zip(b.iter()) {
        match (x, y) {
            (KpiValue::Value(x), KpiValue::Value(y)) => assert!(
                (x - y).abs() <= 1e-9 * x.abs().max(1.0),
                "{what} {}: {x} vs {y}",
                def.id
            ),
            (KpiValue::NotAvailable { reason: r1 }, KpiValue::NotAvailable { reason: r2 }) => {
                assert_eq!(r1, r2, "{what} {}", def.id)
            }
            _ => panic!("{what} {}: {x:?} vs {y:?}", def.id),
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

#[test]
fn merging_groups_equals_the_total_and_groups_equal_filters() {
    let settings = Settings::default();
    for seed in [1u64, 7, 2026] {
        let ws = random_workspace(seed);
        let r = run(&ws, &Filter::default(), &settings);
        assert_eq!(r.overall.iter().count(), registry().len());
        for dim in Dimension::ALL {
            let mut merged = kpi_dash::metrics::engine::Sums::default();
            for g in r.groups_of(dim) {
                merged.merge(&g.sums);
            }
            assert_eq!(merged.rows, r.overall_sums.rows, "{dim:?}");
            for (a, b) in merged.values.iter().zip(&r.overall_sums.values) {
                assert!(close(*a, *b), "{dim:?}: {a} vs {b}");
            }
            for g in r.groups_of(dim) {
                let mut filter = Filter::default();
                let list = match dim {
                    Dimension::Platform => &mut filter.platforms,
                    Dimension::Campaign => &mut filter.campaigns,
                    Dimension::Creator => &mut filter.creators,
                    Dimension::Format => &mut filter.formats,
                };
                list.push(g.key.clone());
                let direct = run(&ws, &filter, &settings);
                assert_eq!(direct.overall_sums.rows, g.sums.rows);
                assert_same(
                    &g.kpis,
                    &direct.overall,
                    &format!("seed {seed} {dim:?} {}", g.key),
                );
                assert_eq!(direct.site_aov, g.site_aov);
            }
        }
        let mut periods = kpi_dash::metrics::engine::Sums::default();
        for p in &r.periods {
            periods.merge(&p.sums);
            let end = Granularity::Month.period_start(p.start + 31) - 1;
            let filter = Filter {
                from: Some(p.start),
                to: Some(end),
                ..Filter::default()
            };
            assert_same(
                &p.kpis,
                &run(&ws, &filter, &settings).overall,
                &format!("period {}", p.label),
            );
        }
        let dated = Filter {
            from: Some(day(2000, 1, 1)),
            to: Some(day(2100, 1, 1)),
            ..Filter::default()
        };
        let dated = run(&ws, &dated, &settings);
        assert_eq!(
            periods.rows as usize,
            r.rows_in_view - r.undated_rows_in_view
        );
        assert_eq!(periods.rows, dated.overall_sums.rows);
        for (a, b) in periods.values.iter().zip(&dated.overall_sums.values) {
            assert!(close(*a, *b));
        }
    }
}

/// Timing check for the scale target: `cargo test --release --test metrics_engine -- --ignored --nocapture`.
#[test]
#[ignore]
fn million_rows_timing() {
    let mut ws = random_workspace(3);
    let template: Vec<_> = (0..ws.posts.len()).map(|i| ws.posts.row(i)).collect();
    for i in 0..1_000_000 {
        ws.posts.push(&template[i % template.len()]);
    }
    let start = std::time::Instant::now();
    let r = run(&ws, &Filter::default(), &Settings::default());
    println!("{} rows: {:?}", r.rows_in_view, start.elapsed());
}
