//! The synthetic-data engine behind the demo and the large benchmark files: a
//! [`Scenario`] (campaign and creator plans) and a [`PostStream`] that yields its posts
//! one at a time, in date order, so that a million rows can be streamed to a file.
//!
//! Every post is drawn from its campaign's and creator's parameters, so the aggregates
//! land where the plans say: engagement rate per platform, CTR, conversion rate, ROAS
//! and budget pacing.

use super::calendar::{Day, Timestamp};
use super::rng::Rng;
use super::schema::{Measure, MEASURE_COUNT};
use super::store::{Asset, Campaign, Comment, Creator, PostRow, Posts, Sentiment};

/// What a platform's posts look like on average.
#[derive(Clone, Copy, Debug)]
pub struct PlatformSpec {
    /// Platform key, as stored in [`Posts::platforms`].
    pub key: &'static str,
    /// Typical engagement rate on reach.
    pub engagement_rate: f64,
    /// Cost per 1,000 impressions of a creator's fee.
    pub cpm: f64,
    /// Impressions of a post per follower.
    pub impressions_per_follower: f64,
    /// Views per impression.
    pub view_rate: f64,
    /// Share of engagements that are likes, comments, shares and saves.
    pub engagement_split: [f64; 4],
    /// Content formats with their weights.
    pub formats: &'static [(&'static str, f64)],
}

/// The four platforms, indexed by [`CreatorPlan::platform`].
pub const PLATFORMS: [PlatformSpec; 4] = [
    PlatformSpec {
        key: "instagram",
        engagement_rate: 0.072,
        cpm: 9.0,
        impressions_per_follower: 0.16,
        view_rate: 0.55,
        engagement_split: [0.78, 0.05, 0.07, 0.10],
        formats: &[
            ("reel", 0.5),
            ("carousel", 0.25),
            ("story", 0.15),
            ("static", 0.1),
        ],
    },
    PlatformSpec {
        key: "tiktok",
        engagement_rate: 0.083,
        cpm: 7.0,
        impressions_per_follower: 0.2,
        view_rate: 0.9,
        engagement_split: [0.8, 0.06, 0.08, 0.06],
        formats: &[("video", 0.8), ("carousel", 0.12), ("story", 0.08)],
    },
    PlatformSpec {
        key: "youtube",
        engagement_rate: 0.05,
        cpm: 11.5,
        impressions_per_follower: 0.15,
        view_rate: 0.6,
        engagement_split: [0.85, 0.09, 0.03, 0.03],
        formats: &[("video", 0.55), ("short", 0.45)],
    },
    PlatformSpec {
        key: "x",
        engagement_rate: 0.036,
        cpm: 5.0,
        impressions_per_follower: 0.1,
        view_rate: 0.3,
        engagement_split: [0.68, 0.1, 0.18, 0.04],
        formats: &[("thread", 0.4), ("static", 0.3), ("video", 0.3)],
    },
];

/// The plan of one campaign: its row (budget left empty) and the parameters its posts
/// are drawn from.
#[derive(Clone, Debug)]
pub struct CampaignPlan {
    /// The campaign row; `budget` is set from the spend by [`Scenario::campaign_rows`].
    pub row: Campaign,
    /// Posting intensity relative to other active campaigns.
    pub weight: f64,
    /// Clicks per impression.
    pub ctr: f64,
    /// Conversions per click.
    pub conversion_rate: f64,
    /// Revenue per unit of cost the campaign is planned to return.
    pub roas: f64,
    /// Multiplies the platforms' engagement rates.
    pub engagement_factor: f64,
    /// Leads per click.
    pub lead_rate: f64,
    /// The budget pacing (spend ÷ planned spend to date) the budget is derived for.
    pub pacing: f64,
    /// Indices into [`Scenario::creators`] of the creators who post for it.
    pub roster: Vec<usize>,
}

/// The plan of one creator: the row and the parameters of their posts.
#[derive(Clone, Debug)]
pub struct CreatorPlan {
    pub row: Creator,
    /// Index into [`PLATFORMS`].
    pub platform: usize,
    /// Multiplies the platform's engagement rate.
    pub engagement_factor: f64,
    /// Multiplies the campaign's conversion rate.
    pub conversion_factor: f64,
    /// How often they post relative to other creators of a roster.
    pub posting_weight: f64,
    /// Every n-th post of theirs is undisclosed (0 = all disclosed).
    pub undisclosed_every: u32,
}

/// A complete synthetic dataset, described by its plans; posts come from [`Scenario::posts`].
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Seed of the post stream.
    pub seed: u64,
    /// First and last post day (the last one is the "as of" day of budget pacing).
    pub first_day: Day,
    pub last_day: Day,
    /// Number of posts to generate.
    pub post_count: usize,
    /// Multiplies each platform's engagement rate (by [`PLATFORMS`] index).
    pub platform_engagement_factor: [f64; 4],
    pub campaigns: Vec<CampaignPlan>,
    pub creators: Vec<CreatorPlan>,
    /// `(campaign, creator)` indices whose first shared post goes viral.
    pub viral: Option<(usize, usize)>,
    /// Impressions of the viral post.
    pub viral_impressions: f64,
    /// Compact rows (tag-only captions, whole-dollar money) keep large files near 110
    /// bytes a row.
    pub compact: bool,
}

impl Scenario {
    /// The posts, in date order.
    pub fn posts(&self) -> PostStream<'_> {
        PostStream {
            scenario: self,
            rng: Rng::derive(self.seed, 1),
            next: 0,
            spend: vec![0.0; self.campaigns.len()],
            creator_posts: vec![0; self.creators.len()],
            viral_pending: self.viral.is_some(),
            id_width: self.post_count.to_string().len().max(5),
        }
    }

    /// The campaign rows, each budget derived from the spend of the posts so that the
    /// campaign paces at its planned rate as of [`Scenario::last_day`].
    pub fn campaign_rows(&self, spend: &[f64]) -> Vec<Campaign> {
        self.campaigns
            .iter()
            .enumerate()
            .map(|(i, plan)| {
                let mut row = plan.row.clone();
                let spent = spend.get(i).copied().unwrap_or(0.0);
                let elapsed = elapsed_share(&row, self.last_day);
                let budget = if spent > 0.0 && elapsed > 0.0 {
                    spent / (plan.pacing * elapsed)
                } else {
                    10_000.0 * plan.weight
                };
                row.budget = Some((budget / 100.0).round() * 100.0);
                row
            })
            .collect()
    }

    /// The creator rows.
    pub fn creator_rows(&self) -> Vec<Creator> {
        self.creators.iter().map(|c| c.row.clone()).collect()
    }

    /// `count` assets: content submitted a few days before launch, most approved within
    /// 4–40 hours, every tenth still waiting.
    pub fn assets(&self, count: usize) -> Vec<Asset> {
        let mut rng = Rng::derive(self.seed, 2);
        (0..count)
            .filter_map(|i| {
                let plan = self.campaigns.get(i % self.campaigns.len().max(1))?;
                let creator = self.creators.get(*rng.pick_or(&plan.roster, &0))?;
                let launch = plan.row.launch_date.or(plan.row.start_date)?;
                let submitted = timestamp(launch - 2 - rng.below(9) as Day, rng.range(8.0, 18.0));
                let approved =
                    (i % 10 != 9).then(|| submitted + (rng.range(4.0, 40.0) * 3600.0) as Timestamp);
                Some(Asset {
                    asset_id: format!("A{:03}", i + 1),
                    campaign_id: plan.row.campaign_id.clone(),
                    creator_id: creator.row.creator_id.clone(),
                    submitted_at: Some(submitted),
                    approved_at: approved,
                })
            })
            .collect()
    }
}

/// The share of a campaign's days elapsed at `as_of` (0–1): days from the start to
/// `as_of` inclusive over all its days inclusive.
pub fn elapsed_share(campaign: &Campaign, as_of: Day) -> f64 {
    let (Some(start), Some(end)) = (campaign.start_date, campaign.end_date) else {
        return 1.0;
    };
    let total = (end - start + 1).max(1) as f64;
    ((as_of - start + 1) as f64 / total).clamp(0.0, 1.0)
}

fn timestamp(day: Day, hour: f64) -> Timestamp {
    day as Timestamp * 86_400 + (hour * 3600.0) as Timestamp
}

/// Money rounded to cents, or to whole dollars in compact rows.
fn money(x: f64, compact: bool) -> f64 {
    if compact {
        x.round()
    } else {
        (x * 100.0).round() / 100.0
    }
}

impl Rng {
    /// An element of `items`, or `fallback` when it is empty.
    fn pick_or<'a, T>(&mut self, items: &'a [T], fallback: &'a T) -> &'a T {
        if items.is_empty() {
            fallback
        } else {
            self.pick(items)
        }
    }
}

/// The posts of a [`Scenario`], generated lazily in date order. It tracks each
/// campaign's spend for [`Scenario::campaign_rows`].
pub struct PostStream<'a> {
    scenario: &'a Scenario,
    rng: Rng,
    next: usize,
    spend: Vec<f64>,
    creator_posts: Vec<u32>,
    viral_pending: bool,
    id_width: usize,
}

impl PostStream<'_> {
    /// Cost so far, by campaign index.
    pub fn spend(&self) -> &[f64] {
        &self.spend
    }

    /// The day of the `i`-th post: posts are spread evenly over the scenario's days.
    fn day_of(&self, i: usize) -> Day {
        let s = self.scenario;
        let span = (s.last_day - s.first_day).max(0) as u64;
        let last = s.post_count.saturating_sub(1).max(1) as u64;
        s.first_day + (i as u64 * span / last) as Day
    }

    /// A campaign live on `day`, by weight (the nearest one when none is live).
    fn campaign_on(&mut self, day: Day) -> usize {
        let campaigns = &self.scenario.campaigns;
        let live = |c: &CampaignPlan| {
            let start = c.row.launch_date.or(c.row.start_date).unwrap_or(Day::MIN);
            start <= day && day <= c.row.end_date.unwrap_or(Day::MAX)
        };
        if campaigns.iter().any(live) {
            let weights = campaigns
                .iter()
                .map(move |c| if live(c) { c.weight } else { 0.0 });
            return self.rng.weighted(weights);
        }
        let distance = |c: &CampaignPlan| {
            let start = c.row.launch_date.or(c.row.start_date).unwrap_or(day);
            (start - day)
                .abs()
                .min((c.row.end_date.unwrap_or(day) - day).abs())
        };
        (0..campaigns.len())
            .min_by_key(|&i| distance(&campaigns[i]))
            .unwrap_or(0)
    }

    fn post(&mut self, i: usize) -> Option<PostRow> {
        let s = self.scenario;
        let day = self.day_of(i);
        let c = self.campaign_on(day);
        let campaign = s.campaigns.get(c)?;
        let roster = &campaign.roster;
        let k = if roster.is_empty() {
            i % s.creators.len().max(1)
        } else {
            roster[self.rng.weighted(
                roster
                    .iter()
                    .map(|&k| s.creators.get(k).map_or(0.0, |c| c.posting_weight)),
            )]
        };
        let creator = s.creators.get(k)?;
        let platform = PLATFORMS.get(creator.platform)?;
        let rng = &mut self.rng;

        let progress = (day - s.first_day) as f64 / (s.last_day - s.first_day).max(1) as f64;
        let start = creator.row.followers_start.unwrap_or(10_000.0);
        let followers =
            (start + (creator.row.followers_end.unwrap_or(start) - start) * progress).round();
        let expected = followers * platform.impressions_per_follower;
        let is_viral = self.viral_pending && s.viral == Some((c, k));
        self.viral_pending &= !is_viral;
        let impressions = if is_viral {
            s.viral_impressions.round()
        } else {
            (expected * rng.noise(0.45))
                .min(900_000.0)
                .round()
                .max(50.0)
        };
        let reach = (impressions * rng.range(0.62, 0.86)).round();
        let views = (impressions * platform.view_rate * rng.range(0.8, 1.1)).round();
        let engagement_rate = platform.engagement_rate
            * s.platform_engagement_factor[creator.platform]
            * campaign.engagement_factor
            * creator.engagement_factor
            * rng.noise(0.25);
        let engagements = reach * engagement_rate;
        let [likes, comments, shares, saves] = platform
            .engagement_split
            .map(|share| rng.count(engagements * share));
        // A viral post's extra audience clicks little.
        let click_base = if is_viral {
            expected * 1.5
        } else {
            impressions
        };
        let clicks = rng.count_noisy(click_base * campaign.ctr, 0.3);
        let conversion_rate = campaign.conversion_rate * creator.conversion_factor;
        let conversions = rng.count_noisy(clicks * conversion_rate, 0.3);
        // The order value that makes the planned ROAS come out on average.
        let aov = campaign.roas * platform.cpm / (1000.0 * campaign.ctr * campaign.conversion_rate);
        let revenue = money(conversions * aov * rng.noise(0.15), s.compact);
        let leads = rng.count_noisy(clicks * campaign.lead_rate, 0.3);
        let sqls = rng.count_scaled(leads, 0.5, 0.72);
        let new_customers = rng.count_scaled(conversions, 0.6, 0.85);
        let cost = money(expected * platform.cpm / 1000.0 * rng.noise(0.1), s.compact);
        let positive = rng.count_scaled(comments, 0.66, 0.84).min(comments);
        let negative = rng.count_scaled(comments - positive, 0.2, 0.45);
        let replied = rng.count_scaled(comments, 0.78, 0.95).min(comments);
        let brand_mentions = rng.count(comments * 0.15 + 0.5);
        let competitor_mentions = rng.count(comments * 0.45 + 1.0);

        let ordinal = self.creator_posts[k];
        self.creator_posts[k] += 1;
        let every = creator.undisclosed_every;
        let disclosed = every == 0 || ordinal % every != every - 1;
        let format = formats_pick(rng, platform.formats);
        let caption = caption(rng, &campaign.row.name, disclosed, s.compact);
        self.spend[c] += cost;

        let mut values = [None; MEASURE_COUNT];
        for (m, v) in [
            (Measure::Impressions, impressions),
            (Measure::Reach, reach),
            (Measure::Views, views),
            (Measure::Likes, likes),
            (Measure::Comments, comments),
            (Measure::Shares, shares),
            (Measure::Saves, saves),
            (Measure::Clicks, clicks),
            (Measure::Conversions, conversions),
            (Measure::Revenue, revenue),
            (Measure::Leads, leads),
            (Measure::Sqls, sqls),
            (Measure::NewCustomers, new_customers),
            (Measure::Cost, cost),
            (Measure::PostCount, 1.0),
            (Measure::BrandMentions, brand_mentions),
            (Measure::CompetitorMentions, competitor_mentions),
            (Measure::CommentsPositive, positive),
            (Measure::CommentsNeutral, comments - positive - negative),
            (Measure::CommentsNegative, negative),
            (Measure::CommentsReplied24h, replied),
            (Measure::Followers, followers),
        ] {
            values[m as usize] = Some(v);
        }
        Some(PostRow {
            platform: platform.key.to_owned(),
            date: Some(day),
            post_id: format!("P{:0width$}", i + 1, width = self.id_width),
            campaign_id: campaign.row.campaign_id.clone(),
            creator_id: creator.row.creator_id.clone(),
            format: format.to_owned(),
            caption,
            disclosure: Some(disclosed),
            values,
            time: None,
        })
    }
}

impl Iterator for PostStream<'_> {
    type Item = PostRow;

    fn next(&mut self) -> Option<PostRow> {
        while self.next < self.scenario.post_count {
            let i = self.next;
            self.next += 1;
            if let Some(row) = self.post(i) {
                return Some(row);
            }
        }
        None
    }
}

fn formats_pick(rng: &mut Rng, formats: &'static [(&'static str, f64)]) -> &'static str {
    let i = rng.weighted(formats.iter().map(|f| f.1));
    formats.get(i).map_or("post", |f| f.0)
}

const OPENERS: [&str; 8] = [
    "Obsessed with",
    "Day 3 using",
    "Honest review:",
    "Unboxing",
    "My go-to, every morning:",
    "Why I switched to",
    "Quick tip with",
    "Trying \"viral\"",
];
const DISCLOSURES: [&str; 5] = [
    "#ad",
    "#sponsored",
    "#ad #partner",
    "Paid partnership",
    "#sponsored #gifted",
];
const SHORT_DISCLOSURES: [&str; 4] = ["#ad", "#ad", "#ad", "#sponsored"];
const TOPICS: [&str; 6] = [
    "#skincare",
    "#fitness",
    "#ootd",
    "#homegoals",
    "#travel",
    "#foodie",
];

/// A caption; disclosed posts carry #ad, #sponsored or "Paid partnership". A compact
/// caption is the tag alone.
fn caption(rng: &mut Rng, campaign_name: &str, disclosed: bool, compact: bool) -> String {
    let tags: &[&str] = if compact {
        &SHORT_DISCLOSURES
    } else {
        &DISCLOSURES
    };
    let tag = if disclosed { *rng.pick(tags) } else { "" };
    if compact {
        return tag.to_owned();
    }
    let opener = rng.pick(&OPENERS);
    let topic = rng.pick(&TOPICS);
    format!("{opener} {campaign_name} {topic} {tag}")
        .trim_end()
        .to_owned()
}

const COMMENT_TEXTS: [(&str, Sentiment); 12] = [
    ("Love this, need it now!", Sentiment::Positive),
    ("Amazing results, great content", Sentiment::Positive),
    ("This is so good 😍", Sentiment::Positive),
    ("Best recommendation this year", Sentiment::Positive),
    ("Ordered one, can't wait", Sentiment::Positive),
    ("Obsessed with this look", Sentiment::Positive),
    ("Where can I buy it?", Sentiment::Neutral),
    ("Is there a discount code?", Sentiment::Neutral),
    ("Does it ship to Canada?", Sentiment::Neutral),
    ("Too expensive for what it is", Sentiment::Negative),
    ("Mine broke after a week, disappointed", Sentiment::Negative),
    ("Another ad… not a fan", Sentiment::Negative),
];

/// `count` comments on random posts: most labelled (every fifth unlabelled), most replied.
pub fn comments_for(posts: &Posts, count: usize, seed: u64) -> Vec<Comment> {
    let mut rng = Rng::derive(seed, 3);
    if posts.is_empty() {
        return Vec::new();
    }
    (0..count)
        .map(|i| {
            let p = rng.below(posts.len());
            // Positive comments are the most common.
            let t = if rng.chance(0.55) {
                rng.below(6)
            } else {
                rng.below(COMMENT_TEXTS.len())
            };
            let (text, sentiment) = COMMENT_TEXTS[t];
            let created = timestamp(posts.day[p], rng.range(9.0, 72.0));
            let replied = rng
                .chance(0.82)
                .then(|| created + (rng.range(0.2, 30.0) * 3600.0) as Timestamp);
            Comment {
                post_id: posts.post_id.get(p).to_owned(),
                text: text.to_owned(),
                created_at: Some(created),
                sentiment: (i % 5 != 4).then_some(sentiment),
                replied_at: replied,
            }
        })
        .collect()
}
