//! Audience demographics of a view: per creator, and for the selection (the creators
//! with posts in view) weighted by each creator's followers (the default) or by its
//! reach in view; coverage (how many of those creators have a breakdown); and the
//! audience-match share against a campaign's target.
//!
//! # Weighting
//! The selection's share of a bucket is `Σ_c w_c · share_c(bucket) / Σ_c w_c` over the
//! creators in view that have a breakdown of that dimension and a weight. A creator's
//! followers weight is `creators.followers`, else the largest `followers` of its posts
//! in view; its reach weight is the sum of its posts' reach in view. A creator without
//! a weight is counted in coverage but left out of the shares.
//!
//! # Audience match
//! A creator's in-target share of a dimension is the sum of its shares of the buckets
//! inside the target ([`Target::contains`]: countries in the list, genders named, age
//! bands overlapping the target's ranges). Over several target dimensions, a creator's
//! match is the product of its in-target shares (the dimensions taken as independent,
//! since breakdowns give no joint shares) and needs a breakdown of each. The view's
//! match is the weighted mean over creators, like the shares. n/a with a reason when
//! the campaign names no target or no creator in view has the breakdowns.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::data::audience::{book, AudienceDimension, CreatorAudience, Share, Target};
use crate::data::schema::Measure;
use crate::data::store::Workspace;

use super::engine::{select_rows, Filter};

/// What a creator's weight in the selection's audience is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AudienceWeight {
    /// Followers (`creators.followers`, else its posts' followers): the default.
    #[default]
    Followers,
    /// Reach of its posts in view.
    Reach,
}

impl AudienceWeight {
    /// `followers`, `reach`.
    pub fn name(self) -> &'static str {
        match self {
            AudienceWeight::Followers => "followers",
            AudienceWeight::Reach => "reach",
        }
    }

    /// Reads [`AudienceWeight::name`].
    pub fn parse(raw: &str) -> Option<AudienceWeight> {
        match raw {
            "followers" => Some(AudienceWeight::Followers),
            "reach" => Some(AudienceWeight::Reach),
            _ => None,
        }
    }
}

/// What an audience view asks.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudienceQuery {
    /// The rows in view (their creators are the selection).
    pub filter: Filter,
    pub weight: AudienceWeight,
    /// One creator's own breakdown instead of the selection's (posts or not).
    pub creator: Option<String>,
    /// The campaign whose target the audience is matched against.
    pub campaign: Option<String>,
}

/// One dimension's distribution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub dimension: AudienceDimension,
    pub buckets: Vec<Share>,
    /// Creators whose breakdown (and weight) it is made of.
    pub creators: usize,
}

/// How many creators in view have a breakdown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Creators with posts in view.
    pub creators_in_view: usize,
    /// Of those, creators with a breakdown of any dimension.
    pub with_breakdown: usize,
    /// Of those with a breakdown, creators without a weight (left out of the shares).
    pub without_weight: usize,
}

/// The match of one target dimension.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DimensionMatch {
    pub dimension: AudienceDimension,
    /// The weighted in-target share, `None` when no creator has the breakdown.
    pub value: Option<f64>,
    pub creators: usize,
}

/// The audience match against a campaign's target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AudienceMatch {
    /// The target in words (empty when there is none).
    pub target: String,
    /// The weighted share of the audience inside the whole target.
    pub value: Option<f64>,
    /// Why there is no value.
    pub reason: Option<String>,
    pub dimensions: Vec<DimensionMatch>,
    /// Creators with a breakdown of every target dimension and a weight.
    pub creators: usize,
}

/// An audience view: the distributions, coverage and match.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AudienceView {
    /// True when any creator of the workspace has a breakdown.
    pub any_audience: bool,
    pub weight: AudienceWeight,
    pub distributions: Vec<Distribution>,
    pub coverage: Coverage,
    #[serde(default)]
    pub matched: Option<AudienceMatch>,
    /// What reading the breakdowns noticed (percent readings, sums over 100 %).
    pub notes: Vec<String>,
}

/// One creator of the selection: its breakdown and weight.
struct Member<'a> {
    audience: &'a CreatorAudience,
    weight: Option<f64>,
}

/// The audience view of `query` in `ws`.
pub fn audience(ws: &Workspace, query: &AudienceQuery) -> AudienceView {
    let book = book(ws);
    let mut view = AudienceView {
        any_audience: !book.creators.is_empty(),
        weight: query.weight,
        notes: book.notes.clone(),
        ..AudienceView::default()
    };
    if let Some(id) = &query.creator {
        if let Some(a) = book.creators.get(id) {
            view.distributions = a
                .dimensions
                .iter()
                .map(|(d, shares)| Distribution {
                    dimension: *d,
                    buckets: shares.clone(),
                    creators: 1,
                })
                .collect();
        }
        return view;
    }
    let weights = creator_weights(ws, &query.filter, query.weight);
    view.coverage.creators_in_view = weights.len();
    let members: Vec<Member<'_>> = weights
        .iter()
        .filter_map(|(id, w)| {
            book.creators.get(*id).map(|a| Member {
                audience: a,
                weight: *w,
            })
        })
        .collect();
    view.coverage.with_breakdown = members.len();
    view.coverage.without_weight = members.iter().filter(|m| m.weight.is_none()).count();
    view.distributions = AudienceDimension::ALL
        .into_iter()
        .filter_map(|d| distribution(&members, d))
        .collect();
    if let Some(id) = &query.campaign {
        view.matched = Some(match_of(ws, &members, id));
    }
    view
}

/// Each creator with posts in view and its weight (`None`: no followers or reach).
fn creator_weights<'a>(
    ws: &'a Workspace,
    filter: &Filter,
    weight: AudienceWeight,
) -> BTreeMap<&'a str, Option<f64>> {
    let p = &ws.posts;
    let measure = match weight {
        AudienceWeight::Followers => Measure::Followers,
        AudienceWeight::Reach => Measure::Reach,
    };
    let column = p.column(measure as usize).filter(|_| p.has(measure));
    // Per creator code: the posts' largest followers, or their summed reach.
    let mut by_code: BTreeMap<u32, Option<f64>> = BTreeMap::new();
    for r in select_rows(ws, filter) {
        let r = r as usize;
        let code = p.creator[r];
        let value = column
            .and_then(|c| c.get(r))
            .filter(|v| v.is_finite() && *v >= 0.0);
        let slot = by_code.entry(code).or_insert(None);
        if let Some(v) = value {
            *slot = Some(match (weight, *slot) {
                (_, None) => v,
                (AudienceWeight::Followers, Some(s)) => s.max(v),
                (AudienceWeight::Reach, Some(s)) => s + v,
            });
        }
    }
    by_code
        .into_iter()
        .filter_map(|(code, posts_weight)| {
            let id = p.creators.value(code);
            if id.is_empty() {
                return None;
            }
            let w = match weight {
                AudienceWeight::Followers => ws
                    .creator(id)
                    .and_then(|c| c.followers)
                    .filter(|f| f.is_finite() && *f >= 0.0)
                    .or(posts_weight),
                AudienceWeight::Reach => posts_weight,
            };
            Some((id, w.filter(|w| *w > 0.0)))
        })
        .collect()
}

/// The weighted distribution of one dimension over the members that have it.
fn distribution(members: &[Member<'_>], dimension: AudienceDimension) -> Option<Distribution> {
    let mut total = 0.0;
    let mut creators = 0;
    let mut sums: Vec<(String, f64)> = Vec::new();
    for m in members {
        let (Some(w), Some(shares)) = (m.weight, m.audience.of(dimension)) else {
            continue;
        };
        total += w;
        creators += 1;
        for s in shares {
            match sums.iter_mut().find(|(b, _)| *b == s.bucket) {
                Some((_, v)) => *v += w * s.share,
                None => sums.push((s.bucket.clone(), w * s.share)),
            }
        }
    }
    if creators == 0 || total <= 0.0 {
        return None;
    }
    let mut buckets: Vec<Share> = sums
        .into_iter()
        .map(|(bucket, v)| Share {
            bucket,
            share: v / total,
        })
        .collect();
    order(dimension, &mut buckets);
    Some(Distribution {
        dimension,
        buckets,
        creators,
    })
}

/// Display order: ages by first year, genders female/male first, countries by share.
fn order(dimension: AudienceDimension, buckets: &mut [Share]) {
    match dimension {
        AudienceDimension::Age => buckets
            .sort_by_key(|s| crate::data::audience::age_range(&s.bucket).map_or(u32::MAX, |r| r.0)),
        AudienceDimension::Gender => buckets.sort_by_key(|s| match s.bucket.as_str() {
            "female" => 0,
            "male" => 1,
            _ => 2,
        }),
        AudienceDimension::Country => buckets.sort_by(|a, b| {
            b.share
                .total_cmp(&a.share)
                .then_with(|| a.bucket.cmp(&b.bucket))
        }),
    }
}

/// A creator's in-target share of one dimension (`None`: no breakdown of it).
fn in_target(a: &CreatorAudience, target: &Target, d: AudienceDimension) -> Option<f64> {
    a.of(d).map(|shares| {
        shares
            .iter()
            .filter(|s| target.contains(d, &s.bucket))
            .map(|s| s.share)
            .sum()
    })
}

fn match_of(ws: &Workspace, members: &[Member<'_>], id: &str) -> AudienceMatch {
    let no_value = |target: String, reason: &str| AudienceMatch {
        target,
        value: None,
        reason: Some(reason.to_owned()),
        dimensions: Vec::new(),
        creators: 0,
    };
    let Some(campaign) = ws.campaign(id) else {
        return no_value(
            String::new(),
            "n/a: the campaign is not in the campaigns table.",
        );
    };
    let Some(target) = Target::of(campaign) else {
        return no_value(
            String::new(),
            "n/a: the campaign names no target audience (add target_country, target_age or target_gender to the campaigns file).",
        );
    };
    let weighted: Vec<(f64, &CreatorAudience)> = members
        .iter()
        .filter_map(|m| m.weight.map(|w| (w, m.audience)))
        .collect();
    let dims = target.dimensions();
    let dimensions = dims
        .iter()
        .map(|&d| {
            let (mut num, mut den, mut n) = (0.0, 0.0, 0);
            for (w, a) in &weighted {
                if let Some(v) = in_target(a, &target, d) {
                    num += w * v;
                    den += w;
                    n += 1;
                }
            }
            DimensionMatch {
                dimension: d,
                value: (den > 0.0).then(|| num / den),
                creators: n,
            }
        })
        .collect();
    let (mut num, mut den, mut n) = (0.0, 0.0, 0);
    for (w, a) in &weighted {
        let parts: Option<Vec<f64>> = dims.iter().map(|&d| in_target(a, &target, d)).collect();
        if let Some(parts) = parts {
            num += w * parts.iter().product::<f64>();
            den += w;
            n += 1;
        }
    }
    let words = target.words();
    if den <= 0.0 {
        let needed: Vec<&str> = dims.iter().map(|d| d.name()).collect();
        return AudienceMatch {
            dimensions,
            ..no_value(
                words,
                &format!(
                    "n/a: no creator in view has a weighted {} breakdown.",
                    needed.join(" and ")
                ),
            )
        };
    }
    AudienceMatch {
        target: words,
        value: Some(num / den),
        reason: None,
        dimensions,
        creators: n,
    }
}
