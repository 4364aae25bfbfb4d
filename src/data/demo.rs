//! The seeded demo generator: a deterministic workspace the app opens on, and the large
//! synthetic dataset of the benchmark. Both are [`Scenario`]s of the synth engine.
//!
//! The demo covers 2025-11-01 … 2026-10-31: 8 campaigns (awareness, leads, sales), 60
//! creators on Instagram, TikTok, YouTube and X, 3,000 posts, 40 assets and 400
//! comments. Its planted problems make every alert rule of the spec fire once:
//! - undisclosed posts from [`UNDISCLOSED_CREATORS`] (every 12th post each);
//! - [`CONTRACT_BREACH_CREATOR`] did not meet their contract terms;
//! - campaign [`LOW_ENGAGEMENT_CAMPAIGN`] engages at ~2.8% (< 3.5%), and X posts at ~1.7%
//!   (< 0.7 × the 3% X target);
//! - [`LOW_CONVERSION_CAMPAIGN`] converts ~1.4% of clicks;
//! - [`LOW_ROAS_CAMPAIGN`] returns ~2.3×, [`HIGH_ROAS_CAMPAIGN`] ~8.9×;
//! - [`OVER_PACED_CAMPAIGN`] is still running and has spent ~1.4× its planned spend to date;
//! - [`LOW_SCORE_CREATOR`] scores ~36 (weak engagement and conversion, brand fit 34);
//! - [`STAR_CREATOR`] has one post of ≥ 1M impressions and > $100K revenue in total;
//! - every post has a time of day (lunch and evening peaks), and the best slot is
//!   [`BEST_SLOT`]: Tuesdays 18–20h hold the Tuesday posts that engage best (planted
//!   through times only, from a stream of its own, so no other value changes).

use super::calendar::weekday;
use super::calendar::{day_from_ymd, Day};
use super::rng::Rng;
use super::schema::Measure;
use super::schema::Objective;
use super::store::{Campaign, Creator, PostRow, Workspace};
use super::synth::{comments_for, CampaignPlan, CreatorPlan, Scenario, PLATFORMS};

/// The seed the app ships with.
pub const DEMO_SEED: u64 = 2026;

/// Campaign with an engagement rate more than 30% below the 5% target.
pub const LOW_ENGAGEMENT_CAMPAIGN: &str = "C04";
/// Campaign with a conversion rate below 2%.
pub const LOW_CONVERSION_CAMPAIGN: &str = "C02";
/// Campaign with a ROAS below 3.
pub const LOW_ROAS_CAMPAIGN: &str = "C07";
/// Campaign with a ROAS of at least 1.5 × the target of 5.
pub const HIGH_ROAS_CAMPAIGN: &str = "C03";
/// Campaign still running at the end of the data, spending ahead of plan.
pub const OVER_PACED_CAMPAIGN: &str = "C08";
/// Platform whose engagement rate is below 0.7 × its target.
pub const WEAK_PLATFORM: &str = "x";
/// Creator with an influencer score below 70.
pub const LOW_SCORE_CREATOR: &str = "K15";
/// Creator whose contract terms were not met.
pub const CONTRACT_BREACH_CREATOR: &str = "K29";
/// Creators with undisclosed posts.
pub const UNDISCLOSED_CREATORS: [&str; 2] = ["K08", "K42"];
/// Creator with the viral post and more than $100K revenue.
pub const STAR_CREATOR: &str = "K01";

/// The planted best posting slot: (weekday, Monday = 0; first hour; hours): Tuesdays
/// 18:00–19:59, file-local time.
pub const BEST_SLOT: (u32, u32, u32) = (1, 18, 2);
/// The rng stream of the demo's times of day (apart from every other value's).
const TIME_STREAM: u64 = 30;
/// Tuesday posts whose engagement rate is at least this quantile of all posts' go to
/// the best slot.
const BEST_SLOT_QUANTILE: f64 = 0.75;
/// A post reaching this many people (the viral one) went out at night, 02:00–03:59: alone
/// it would outweigh the rate of any slot it is in (those night slots stay under the
/// best slots' minimum of posts).
const NIGHT_REACH: f64 = 500_000.0;

/// Number of demo posts.
const DEMO_POSTS: usize = 3_000;
const DEMO_ASSETS: usize = 40;
const DEMO_COMMENTS: usize = 400;

/// One demo campaign's plan, in constants.
struct DemoCampaign {
    name: &'static str,
    objective: Objective,
    start: (i32, u32, u32),
    end: (i32, u32, u32),
    launch_delay_days: Day,
    ctr: f64,
    conversion_rate: f64,
    roas: f64,
    engagement_factor: f64,
    pacing: f64,
}

const fn plan(
    name: &'static str,
    objective: Objective,
    (start, end, launch_delay_days): ((i32, u32, u32), (i32, u32, u32), Day),
    (ctr, conversion_rate, roas): (f64, f64, f64),
    engagement_factor: f64,
    pacing: f64,
) -> DemoCampaign {
    DemoCampaign {
        name,
        objective,
        start,
        end,
        launch_delay_days,
        ctr,
        conversion_rate,
        roas,
        engagement_factor,
        pacing,
    }
}

use Objective::{Awareness, Leads, Sales};

/// C01 … C08. Planted: C02 converts badly, C03 returns above 7.5, C04 engages badly,
/// C07 returns below 3, C08 over-paces; C04 and C06 launched late.
#[rustfmt::skip]
const DEMO_CAMPAIGNS: [DemoCampaign; 8] = [
    //    name                  objective  (start           end             late) (ctr,  conv,  roas) er    pacing
    plan("Holiday Glow",       Sales,     ((2025, 11, 1),  (2026, 1, 15),  0), (0.026, 0.042, 5.4), 1.0,  1.0),
    plan("New Year Reset",     Leads,     ((2025, 12, 15), (2026, 3, 15),  0), (0.024, 0.015, 3.8), 1.0,  0.98),
    plan("Spring Drop",        Sales,     ((2026, 2, 1),   (2026, 4, 30),  0), (0.031, 0.048, 8.3), 1.05, 1.01),
    plan("Brand Story",        Awareness, ((2026, 3, 1),   (2026, 6, 30),  6), (0.018, 0.03,  3.6), 0.36, 0.97),
    plan("Summer Launch",      Sales,     ((2026, 5, 1),   (2026, 8, 15),  0), (0.028, 0.038, 5.0), 1.0,  1.02),
    plan("Creator Academy",    Leads,     ((2026, 6, 1),   (2026, 9, 15),  2), (0.025, 0.034, 4.2), 1.0,  0.99),
    plan("Back to School",     Awareness, ((2026, 7, 15),  (2026, 10, 15), 0), (0.02,  0.026, 2.4), 1.0,  0.96),
    plan("Black Friday Early", Sales,     ((2026, 9, 1),   (2026, 12, 31), 0), (0.029, 0.04,  6.0), 1.1,  1.4),
];

/// The campaigns X creators post for: not the low-engagement C04 nor the low-conversion
/// C02, which on top of X's weak engagement would push their scores under 70 too.
const X_CAMPAIGNS: [usize; 6] = [0, 2, 4, 5, 6, 7];

/// Platform of creator `i` (index into [`PLATFORMS`]): per ten creators, 4 Instagram,
/// 3 TikTok, 2 YouTube and 1 X.
fn demo_platform(i: usize) -> usize {
    const PATTERN: [usize; 10] = [1, 0, 0, 2, 1, 0, 3, 1, 2, 0];
    PATTERN[i % 10]
}

/// The demo scenario for `seed`.
pub fn demo_scenario(seed: u64) -> Scenario {
    let mut rng = Rng::derive(seed, 10);
    let first_day = ymd((2025, 11, 1));
    let last_day = ymd((2026, 10, 31));
    let star = creator_index(STAR_CREATOR);
    let creators: Vec<CreatorPlan> = (0..60).map(|i| demo_creator(i, &mut rng)).collect();
    let mut campaigns: Vec<CampaignPlan> = DEMO_CAMPAIGNS
        .iter()
        .enumerate()
        .map(|(i, c)| demo_campaign(i, c, &mut rng))
        .collect();
    for (k, creator) in creators.iter().enumerate() {
        for c in demo_rosters(k, creator.platform) {
            campaigns[c].roster.push(k);
        }
    }
    let high_roas = campaign_index(HIGH_ROAS_CAMPAIGN);
    Scenario {
        seed,
        first_day,
        last_day,
        post_count: DEMO_POSTS,
        platform_engagement_factor: [1.0, 1.0, 1.0, 0.45],
        campaigns,
        creators,
        viral: Some((high_roas, star)),
        viral_impressions: 1_000_000.0 + rng.range(150_000.0, 450_000.0),
        compact: false,
    }
}

/// The two campaigns creator `k` posts for.
fn demo_rosters(k: usize, platform: usize) -> [usize; 2] {
    if k == creator_index(STAR_CREATOR) {
        return [campaign_index(HIGH_ROAS_CAMPAIGN), campaign_index("C05")];
    }
    if PLATFORMS[platform].key == WEAK_PLATFORM {
        // An offset of 1–5 within the six allowed campaigns never repeats the first.
        let a = k % X_CAMPAIGNS.len();
        let b = (a + 1 + (k / X_CAMPAIGNS.len()) % (X_CAMPAIGNS.len() - 1)) % X_CAMPAIGNS.len();
        return [X_CAMPAIGNS[a], X_CAMPAIGNS[b]];
    }
    let a = k % 8;
    let b = (k * 5 + 3) % 8;
    [a, if b == a { (a + 1) % 8 } else { b }]
}

/// Relative share of posts by hour of day: quiet nights, a lunch and an evening peak.
const HOUR_WEIGHTS: [f64; 24] = [
    0.3, 0.15, 0.1, 0.05, 0.05, 0.1, 0.3, 0.7, 1.1, 1.3, 1.4, 1.6, 2.0, 1.9, 1.4, 1.3, 1.5, 1.9,
    2.2, 2.4, 2.3, 1.8, 1.2, 0.6,
];

/// A post's engagement rate over reach (`None` without reach).
fn post_er(row: &PostRow) -> Option<f64> {
    let v = |m: Measure| row.values[m as usize].unwrap_or(0.0);
    let reach = row.values[Measure::Reach as usize].filter(|r| *r > 0.0)?;
    Some(
        (v(Measure::Likes) + v(Measure::Comments) + v(Measure::Shares) + v(Measure::Saves)) / reach,
    )
}

/// Gives every dated post a time of day, drawn from [`HOUR_WEIGHTS`] with its own rng
/// stream, and plants [`BEST_SLOT`]: the Tuesday posts with an engagement rate at or
/// above the [`BEST_SLOT_QUANTILE`] of all posts are put there, and no other post is
/// (a post of [`NIGHT_REACH`] or more goes out at night).
fn plant_times(rows: &mut [PostRow], seed: u64) {
    let mut rng = Rng::derive(seed, TIME_STREAM);
    let mut rates: Vec<f64> = rows.iter().filter_map(post_er).collect();
    rates.sort_by(f64::total_cmp);
    let cut = rates
        .get(((rates.len() as f64) * BEST_SLOT_QUANTILE) as usize)
        .copied()
        .unwrap_or(f64::INFINITY);
    let (slot_day, slot_hour, slot_hours) = BEST_SLOT;
    let in_slot = |h: usize| (slot_hour..slot_hour + slot_hours).contains(&(h as u32));
    let elsewhere: Vec<f64> = HOUR_WEIGHTS
        .iter()
        .enumerate()
        .map(|(h, w)| if in_slot(h) { 0.0 } else { *w })
        .collect();
    for row in rows.iter_mut() {
        let Some(day) = row.date else { continue };
        let tuesday = weekday(day) == slot_day;
        let viral = row.values[Measure::Reach as usize].is_some_and(|r| r >= NIGHT_REACH);
        let hour = if viral {
            2 + rng.below(2)
        } else if tuesday && post_er(row).is_some_and(|er| er >= cut) {
            slot_hour as usize + rng.below(slot_hours as usize)
        } else if tuesday {
            rng.weighted(elsewhere.iter().copied())
        } else {
            rng.weighted(HOUR_WEIGHTS.iter().copied())
        };
        let minute = rng.below(60);
        row.time = Some((hour * 3600 + minute * 60) as u32);
    }
}

fn ymd((y, m, d): (i32, u32, u32)) -> Day {
    day_from_ymd(y, m, d).unwrap_or(0)
}

/// `"K15"` → 14.
fn creator_index(id: &str) -> usize {
    id[1..].parse::<usize>().unwrap_or(1) - 1
}

/// `"C03"` → 2.
fn campaign_index(id: &str) -> usize {
    id[1..].parse::<usize>().unwrap_or(1) - 1
}

fn demo_campaign(i: usize, c: &DemoCampaign, rng: &mut Rng) -> CampaignPlan {
    let start = ymd(c.start);
    let site_aov =
        (c.roas * 8.5 / (1000.0 * c.ctr * c.conversion_rate) / rng.range(1.05, 1.25)).round();
    let awareness_pre = (rng.range(0.15, 0.3) * 100.0).round() / 100.0;
    let sentiment_pre = (rng.range(0.55, 0.7) * 100.0).round() / 100.0;
    let category = (rng.range(6_000.0, 14_000.0)).round();
    CampaignPlan {
        row: Campaign {
            campaign_id: format!("C{:02}", i + 1),
            name: c.name.to_owned(),
            objective: Some(c.objective),
            start_date: Some(start),
            end_date: Some(ymd(c.end)),
            planned_launch_date: Some(start),
            launch_date: Some(start + c.launch_delay_days),
            budget: None,
            site_aov: Some(site_aov),
            clv: Some((site_aov * rng.range(2.5, 4.5)).round()),
            awareness_pre: Some(awareness_pre),
            awareness_post: Some(round2(awareness_pre * rng.range(1.12, 1.4))),
            sentiment_pre: Some(sentiment_pre),
            sentiment_post: Some(round2(sentiment_pre * rng.range(1.05, 1.25))),
            brand_conversation: Some((category * rng.range(0.14, 0.3)).round()),
            category_conversation: Some(category),
            ..Campaign::default()
        },
        weight: 1.0,
        ctr: c.ctr,
        conversion_rate: c.conversion_rate,
        roas: c.roas,
        engagement_factor: c.engagement_factor,
        lead_rate: if c.objective == Leads { 0.014 } else { 0.002 },
        pacing: c.pacing,
        roster: Vec::new(),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

const FIRST_NAMES: [&str; 20] = [
    "Maya", "Liam", "Zoe", "Noah", "Aria", "Leo", "Chloe", "Ethan", "Isla", "Lucas", "Mila", "Kai",
    "Nora", "Omar", "Ruby", "Theo", "Yara", "Felix", "Ivy", "Diego",
];
const LAST_NAMES: [&str; 15] = [
    "Chen", "Rivera", "Okafor", "Schmidt", "Patel", "Nguyen", "Silva", "Moreau", "Kim", "Haddad",
    "Larsen", "Rossi", "Tanaka", "Walsh", "Costa",
];
const COUNTRIES: [&str; 8] = ["US", "US", "US", "UK", "CA", "DE", "BR", "AU"];
const AGE_BANDS: [&str; 4] = ["18-24", "25-34", "25-34", "35-44"];

/// Creator `i` of the demo: a star (index 0), mostly micro creators, some mid-size.
fn demo_creator(i: usize, rng: &mut Rng) -> CreatorPlan {
    let id = format!("K{:02}", i + 1);
    let mut plan = creator_plan(i, demo_platform(i), DEMO_TIERS, rng);
    plan.row.creator_id = id.clone();
    if id == STAR_CREATOR {
        set_followers(&mut plan.row, 1_150_000.0, 1.12);
        plan.posting_weight = 0.35;
    }
    if id == LOW_SCORE_CREATOR {
        plan.engagement_factor = 0.45;
        plan.conversion_factor = 0.4;
        plan.row.brand_fit = Some(34.0);
    }
    if id == CONTRACT_BREACH_CREATOR {
        plan.row.contract_terms_met = Some(false);
    }
    if UNDISCLOSED_CREATORS.contains(&id.as_str()) {
        plan.undisclosed_every = 12;
    }
    plan
}

/// Shares of nano (3K–10K followers) and micro (10K–100K) creators; the rest are
/// mid-size (100K–350K).
#[derive(Clone, Copy)]
struct TierMix {
    nano: f64,
    micro: f64,
}

/// The demo's creators: mostly micro.
const DEMO_TIERS: TierMix = TierMix {
    nano: 0.12,
    micro: 0.68,
};
/// The large dataset's long tail: mostly nano and micro, which also keeps rows short.
const LARGE_TIERS: TierMix = TierMix {
    nano: 0.5,
    micro: 0.47,
};

/// A healthy creator `i` on `platform`: followers by tier, fit, rating, deliveries.
fn creator_plan(i: usize, platform: usize, mix: TierMix, rng: &mut Rng) -> CreatorPlan {
    let first = FIRST_NAMES[i % FIRST_NAMES.len()];
    let last = LAST_NAMES[(i * 7) % LAST_NAMES.len()];
    let tier = rng.unit();
    let followers = if tier < mix.nano {
        rng.range(3_000.0, 10_000.0)
    } else if tier < mix.nano + mix.micro {
        let u = rng.unit();
        10_000.0 + 90_000.0 * u * u
    } else {
        rng.range(100_000.0, 350_000.0)
    };
    let committed = 4.0 + rng.below(9) as f64;
    let mut row = Creator {
        creator_id: format!("K{:04}", i + 1),
        name: format!("{first} {last}"),
        platform: Some(PLATFORMS[platform].key.to_owned()),
        brand_fit: Some(rng.range(58.0, 96.0).round()),
        content_rating: Some((rng.range(3.8, 5.0) * 10.0).round() / 10.0),
        deliverables_committed: Some(committed),
        deliverables_on_time: Some(if rng.chance(0.1) {
            committed - 1.0
        } else {
            committed
        }),
        contract_terms_met: Some(true),
        discount_code: Some(format!(
            "{}{}",
            first.to_ascii_uppercase(),
            10 + 5 * rng.below(4)
        )),
        country: Some((*rng.pick(&COUNTRIES)).to_owned()),
        age_band: Some((*rng.pick(&AGE_BANDS)).to_owned()),
        female_share: Some(round2(rng.range(0.35, 0.85))),
        ..Creator::default()
    };
    set_followers(&mut row, followers.round(), rng.range(1.01, 1.14));
    CreatorPlan {
        row,
        platform,
        engagement_factor: rng.range(0.9, 1.25),
        conversion_factor: rng.range(0.85, 1.2),
        posting_weight: if followers > 100_000.0 { 0.35 } else { 1.0 },
        undisclosed_every: 0,
    }
}

fn set_followers(row: &mut Creator, start: f64, growth: f64) {
    let end = (start * growth).round();
    row.followers_start = Some(start);
    row.followers_end = Some(end);
    row.followers = Some(end);
}

/// Generates the demo workspace for `seed` (same seed, same workspace).
pub fn generate(seed: u64) -> Workspace {
    let scenario = demo_scenario(seed);
    let mut ws = Workspace::default();
    let mut stream = scenario.posts();
    let mut rows: Vec<PostRow> = stream.by_ref().collect();
    plant_times(&mut rows, seed);
    for row in &rows {
        ws.posts.push(row);
    }
    ws.campaigns = scenario.campaign_rows(stream.spend());
    ws.creators = scenario.creator_rows();
    ws.assets = scenario.assets(DEMO_ASSETS);
    ws.comments = comments_for(&ws.posts, DEMO_COMMENTS, seed);
    ws
}

/// The large synthetic dataset of the benchmark: 40 campaigns and 600 healthy-ish
/// creators over the three years ending 2026-10-31, with `posts` compact posts.
pub fn large_scenario(seed: u64, posts: usize) -> Scenario {
    let mut rng = Rng::derive(seed, 20);
    let first_day = ymd((2023, 11, 1));
    let last_day = ymd((2026, 10, 31));
    let creators: Vec<CreatorPlan> = (0..600)
        .map(|i| {
            let mut plan = creator_plan(i, i % 4, LARGE_TIERS, &mut rng);
            plan.undisclosed_every = if i % 50 == 7 { 20 } else { 0 };
            plan
        })
        .collect();
    let count = 40;
    let span = (last_day - first_day) as f64;
    let campaigns = (0..count)
        .map(|i| {
            let template = &DEMO_CAMPAIGNS[i % DEMO_CAMPAIGNS.len()];
            let mut plan = demo_campaign(i, template, &mut rng);
            let start = first_day + (i as f64 * (span - 90.0) / (count - 1) as f64) as Day;
            let end = if i == count - 1 {
                last_day + 30
            } else {
                start + 60 + rng.below(120) as Day
            };
            plan.row.name = format!("{} {}", template.name, 2023 + (start - first_day) / 365);
            plan.row.start_date = Some(start);
            plan.row.end_date = Some(end);
            plan.row.planned_launch_date = Some(start);
            plan.row.launch_date = Some(start + template.launch_delay_days);
            plan.pacing = if i == count - 1 {
                1.2
            } else {
                rng.range(0.95, 1.04)
            };
            plan.roster = (0..25).map(|_| rng.below(creators.len())).collect();
            if i == count / 2 {
                plan.roster.push(0);
            }
            plan
        })
        .collect();
    Scenario {
        seed,
        first_day,
        last_day,
        post_count: posts,
        platform_engagement_factor: [1.0; 4],
        campaigns,
        creators,
        viral: Some((count / 2, 0)),
        viral_impressions: 1_200_000.0,
        compact: true,
    }
}
