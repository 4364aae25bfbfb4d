//! Follower tiers: nano < 10K ≤ micro < 100K ≤ mid < 500K ≤ macro < 1M ≤ mega, with the
//! bounds editable in `Settings.tiers`.

use serde::{Deserialize, Serialize};

use crate::data::store::Creator;

use super::settings::TierBounds;

/// A creator's size class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Nano,
    Micro,
    Mid,
    Macro,
    Mega,
}

impl Tier {
    /// Every tier, smallest first.
    pub const ALL: [Tier; 5] = [Tier::Nano, Tier::Micro, Tier::Mid, Tier::Macro, Tier::Mega];

    /// The display label.
    pub fn label(self) -> &'static str {
        match self {
            Tier::Nano => "Nano",
            Tier::Micro => "Micro",
            Tier::Mid => "Mid-tier",
            Tier::Macro => "Macro",
            Tier::Mega => "Mega",
        }
    }

    /// The lowercase name.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Nano => "nano",
            Tier::Micro => "micro",
            Tier::Mid => "mid",
            Tier::Macro => "macro",
            Tier::Mega => "mega",
        }
    }
}

/// The tier of a follower count (each bound is the exclusive upper end of its tier).
pub fn tier(followers: f64, bounds: &TierBounds) -> Tier {
    if followers < bounds.nano {
        Tier::Nano
    } else if followers < bounds.micro {
        Tier::Micro
    } else if followers < bounds.mid {
        Tier::Mid
    } else if followers < bounds.macro_ {
        Tier::Macro
    } else {
        Tier::Mega
    }
}

/// A creator's follower count: `followers`, else `followers_end`, else `followers_start`.
pub fn creator_followers(creator: &Creator) -> Option<f64> {
    creator
        .followers
        .or(creator.followers_end)
        .or(creator.followers_start)
        .filter(|f| f.is_finite())
}

/// A creator's tier from [`creator_followers`].
pub fn creator_tier(creator: &Creator, bounds: &TierBounds) -> Option<Tier> {
    creator_followers(creator).map(|f| tier(f, bounds))
}
