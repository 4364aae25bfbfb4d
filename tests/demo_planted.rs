//! The demo's planted problems, checked from the raw rows by hand-written arithmetic
//! (deliberately not through the metrics engine): each of the spec's nine alert rules
//! has exactly the planted subject, and the rest of the demo looks healthy.

use std::collections::BTreeMap;

use kpi_dash::data::calendar::parse_iso_day;
use kpi_dash::data::demo::{self, DEMO_SEED};
use kpi_dash::data::schema::Measure;
use kpi_dash::data::store::{Disclosure, Workspace};

/// The demo seed plus a few others: the problems are planted by construction, not luck.
const SEEDS: [u64; 4] = [DEMO_SEED, 1, 42, 987_654_321];

/// Σ of every measure per group, where `key(i)` names the group of post `i`.
struct Totals(BTreeMap<String, [f64; Measure::ALL.len()]>);

impl Totals {
    fn by(ws: &Workspace, key: impl Fn(usize) -> String) -> Totals {
        let mut groups: BTreeMap<String, [f64; Measure::ALL.len()]> = BTreeMap::new();
        for i in 0..ws.posts.len() {
            let group = groups.entry(key(i)).or_insert([0.0; Measure::ALL.len()]);
            for m in Measure::ALL {
                group[m as usize] += ws.posts.measure(m)[i];
            }
        }
        Totals(groups)
    }

    fn sum(&self, key: &str, m: Measure) -> f64 {
        self.0.get(key).map_or(f64::NAN, |g| g[m as usize])
    }

    /// (likes + comments + shares + saves) / reach.
    fn engagement_rate(&self, key: &str) -> f64 {
        let engagements = self.sum(key, Measure::Likes)
            + self.sum(key, Measure::Comments)
            + self.sum(key, Measure::Shares)
            + self.sum(key, Measure::Saves);
        engagements / self.sum(key, Measure::Reach)
    }

    fn ratio(&self, key: &str, num: Measure, den: Measure) -> f64 {
        self.sum(key, num) / self.sum(key, den)
    }

    /// The groups for which `value(key)` passes `test`.
    fn keys_where(&self, value: impl Fn(&str) -> f64, test: impl Fn(f64) -> bool) -> Vec<String> {
        self.0.keys().filter(|k| test(value(k))).cloned().collect()
    }
}

fn by_campaign(ws: &Workspace) -> Totals {
    Totals::by(ws, |i| {
        ws.posts.campaigns.value(ws.posts.campaign[i]).to_owned()
    })
}

fn by_creator(ws: &Workspace) -> Totals {
    Totals::by(ws, |i| {
        ws.posts.creators.value(ws.posts.creator[i]).to_owned()
    })
}

fn by_platform(ws: &Workspace) -> Totals {
    Totals::by(ws, |i| {
        ws.posts.platforms.value(ws.posts.platform[i]).to_owned()
    })
}

/// The spec's lower engagement target per platform.
fn platform_target_low(platform: &str) -> f64 {
    match platform {
        "instagram" => 0.06,
        "tiktok" => 0.07,
        "youtube" => 0.04,
        "x" => 0.03,
        other => panic!("unexpected platform {other}"),
    }
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn compliance_violations_are_the_planted_ones() {
    for seed in SEEDS {
        let ws = demo::generate(seed);
        let undisclosed: Vec<usize> = (0..ws.posts.len())
            .filter(|&i| ws.posts.disclosure[i] == Disclosure::Undisclosed)
            .collect();
        assert!(
            (3..=15).contains(&undisclosed.len()),
            "seed {seed}: {} undisclosed posts",
            undisclosed.len()
        );
        for i in undisclosed {
            let creator = ws.posts.creators.value(ws.posts.creator[i]);
            assert!(demo::UNDISCLOSED_CREATORS.contains(&creator));
            // Sponsored (in a campaign), so judged for FTC disclosure; the alerts group
            // them by creator: one compliance alert per creator of UNDISCLOSED_CREATORS.
            assert!(!ws.posts.campaigns.value(ws.posts.campaign[i]).is_empty());
        }
        assert!(ws
            .posts
            .disclosure
            .iter()
            .all(|d| *d != Disclosure::Unknown));
        let breached: Vec<&str> = ws
            .creators
            .iter()
            .filter(|c| c.contract_terms_met == Some(false))
            .map(|c| c.creator_id.as_str())
            .collect();
        assert_eq!(breached, [demo::CONTRACT_BREACH_CREATOR], "seed {seed}");
    }
}

#[test]
fn one_campaign_and_one_platform_engage_more_than_30_percent_below_target() {
    for seed in SEEDS {
        let ws = demo::generate(seed);
        // Campaigns: 30% below the 5% lower target is 3.5%.
        let campaigns = by_campaign(&ws);
        let low = campaigns.keys_where(|k| campaigns.engagement_rate(k), |er| er < 0.05 * 0.7);
        assert_eq!(low, ids(&[demo::LOW_ENGAGEMENT_CAMPAIGN]), "seed {seed}");
        // Platforms: against their own lower targets (X: 0.7 × 3% = 2.1%).
        let platforms = by_platform(&ws);
        let low = platforms.keys_where(
            |k| platforms.engagement_rate(k) / platform_target_low(k),
            |share| share < 0.7,
        );
        assert_eq!(low, ids(&[demo::WEAK_PLATFORM]), "seed {seed}");
    }
}

#[test]
fn one_campaign_converts_under_two_percent() {
    for seed in SEEDS {
        let ws = demo::generate(seed);
        let c = by_campaign(&ws);
        let low = c.keys_where(
            |k| c.ratio(k, Measure::Conversions, Measure::Clicks),
            |cr| cr < 0.02,
        );
        assert_eq!(low, ids(&[demo::LOW_CONVERSION_CAMPAIGN]), "seed {seed}");
    }
}

#[test]
fn one_campaign_returns_under_3_and_one_at_least_7_5() {
    for seed in SEEDS {
        let ws = demo::generate(seed);
        let c = by_campaign(&ws);
        let roas = |k: &str| c.ratio(k, Measure::Revenue, Measure::Cost);
        assert_eq!(
            c.keys_where(roas, |r| r < 3.0),
            ids(&[demo::LOW_ROAS_CAMPAIGN])
        );
        // 1.5 × the ROAS target of 5.
        assert_eq!(
            c.keys_where(roas, |r| r >= 7.5),
            ids(&[demo::HIGH_ROAS_CAMPAIGN])
        );
    }
}

/// Spend to date ÷ (budget × elapsed share), as of the last post day; the elapsed share
/// counted with inclusive days, or exclusive ones when `inclusive` is false.
fn pacing(ws: &Workspace, campaign_id: &str, inclusive: bool) -> f64 {
    let as_of = *ws.posts.day.iter().max().unwrap();
    let mut spend = 0.0;
    for i in 0..ws.posts.len() {
        if ws.posts.campaigns.value(ws.posts.campaign[i]) == campaign_id && ws.posts.day[i] <= as_of
        {
            spend += ws.posts.measure(Measure::Cost)[i];
        }
    }
    let c = ws.campaign(campaign_id).unwrap();
    let (start, end) = (c.start_date.unwrap(), c.end_date.unwrap());
    let extra = if inclusive { 1 } else { 0 };
    let elapsed = ((as_of - start + extra) as f64 / (end - start + extra) as f64).clamp(0.0, 1.0);
    spend / (c.budget.unwrap() * elapsed)
}

#[test]
fn one_running_campaign_is_over_paced() {
    for seed in SEEDS {
        let ws = demo::generate(seed);
        for c in &ws.campaigns {
            let id = c.campaign_id.as_str();
            for inclusive in [true, false] {
                let p = pacing(&ws, id, inclusive);
                if id == demo::OVER_PACED_CAMPAIGN {
                    assert!(p > 1.25, "seed {seed} {id}: pacing {p}");
                } else {
                    assert!((0.93..=1.07).contains(&p), "seed {seed} {id}: pacing {p}");
                }
            }
        }
        // It is still running: it ends after the last post day.
        let as_of = *ws.posts.day.iter().max().unwrap();
        let over = ws.campaign(demo::OVER_PACED_CAMPAIGN).unwrap();
        assert!(over.end_date.unwrap() > as_of);
    }
}

#[test]
fn demo_seed_over_paced_figure() {
    // C08 runs 2026-09-01 … 2026-12-31 (122 days); on 2026-10-31 61 days have elapsed:
    // planned = budget × 61/122 = budget / 2. The budget was set for 1.4× pacing.
    let ws = demo::generate(DEMO_SEED);
    let c = ws.campaign(demo::OVER_PACED_CAMPAIGN).unwrap();
    assert_eq!(c.start_date, parse_iso_day("2026-09-01"));
    assert_eq!(c.end_date, parse_iso_day("2026-12-31"));
    let p = pacing(&ws, demo::OVER_PACED_CAMPAIGN, true);
    assert!((p - 1.4).abs() < 0.01, "pacing {p}");
}

#[test]
fn one_creator_scores_under_70() {
    for seed in SEEDS {
        let ws = demo::generate(seed);
        let k = by_creator(&ws);
        let mut low = Vec::new();
        for creator in &ws.creators {
            let id = creator.creator_id.as_str();
            let platform = creator.platform.as_deref().unwrap();
            // 100 × (0.4·min(ER/ER target low, 1) + 0.4·min(CR/3%, 1) + 0.2·fit/100).
            let er = k.engagement_rate(id);
            let cr = k.ratio(id, Measure::Conversions, Measure::Clicks);
            let score = 100.0
                * (0.4 * (er / platform_target_low(platform)).min(1.0)
                    + 0.4 * (cr / 0.03).min(1.0)
                    + 0.2 * creator.brand_fit.unwrap() / 100.0);
            if score < 70.0 {
                low.push(id.to_owned());
            }
        }
        assert_eq!(low, ids(&[demo::LOW_SCORE_CREATOR]), "seed {seed}");
    }
}

#[test]
fn one_viral_post_and_one_creator_over_100k_revenue() {
    for seed in SEEDS {
        let ws = demo::generate(seed);
        let impressions = ws.posts.measure(Measure::Impressions);
        let viral: Vec<usize> = (0..ws.posts.len())
            .filter(|&i| impressions[i] >= 1e6)
            .collect();
        assert_eq!(viral.len(), 1, "seed {seed}");
        let creator = ws.posts.creators.value(ws.posts.creator[viral[0]]);
        assert_eq!(creator, demo::STAR_CREATOR);
        let k = by_creator(&ws);
        let big = k.keys_where(|id| k.sum(id, Measure::Revenue), |r| r > 100_000.0);
        assert_eq!(big, ids(&[demo::STAR_CREATOR]), "seed {seed}");
    }
}

#[test]
fn the_rest_looks_realistic() {
    let ws = demo::generate(DEMO_SEED);
    let c = by_campaign(&ws);
    for id in c.0.keys() {
        let ctr = c.ratio(id, Measure::Clicks, Measure::Impressions);
        let cpm = 1000.0 * c.ratio(id, Measure::Cost, Measure::Impressions);
        let roas = c.ratio(id, Measure::Revenue, Measure::Cost);
        assert!((0.01..=0.04).contains(&ctr), "{id}: CTR {ctr}");
        assert!((4.0..=12.0).contains(&cpm), "{id}: CPM {cpm}");
        assert!((2.0..=10.0).contains(&roas), "{id}: ROAS {roas}");
        if id != demo::LOW_CONVERSION_CAMPAIGN {
            let cr = c.ratio(id, Measure::Conversions, Measure::Clicks);
            assert!((0.02..=0.06).contains(&cr), "{id}: CR {cr}");
        }
        assert!(c.sum(id, Measure::Impressions) >= 1e6, "{id}: impressions");
    }
    let p = by_platform(&ws);
    for platform in ["instagram", "tiktok", "youtube"] {
        let er = p.engagement_rate(platform);
        let low = platform_target_low(platform);
        assert!(er >= low && er <= low + 0.03, "{platform}: ER {er}");
    }
    // Comment sentiment from the post counts: mostly positive (target > 70%).
    let positive: f64 = ws.posts.measure(Measure::CommentsPositive).iter().sum();
    let comments: f64 = ws.posts.measure(Measure::Comments).iter().sum();
    assert!((0.7..0.85).contains(&(positive / comments)));
}
