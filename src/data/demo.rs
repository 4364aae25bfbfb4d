//! The seeded demo generator: a deterministic workspace the app opens on.

use super::schema::Measure;
use super::store::{Campaign, PostRow, Workspace};

/// The seed the app ships with.
pub const DEMO_SEED: u64 = 2026;

/// Generates the demo workspace for `seed` (same seed, same workspace).
pub fn generate(_seed: u64) -> Workspace {
    // Placeholder until the real generator lands: two posts, one campaign.
    let mut ws = Workspace::default();
    for (i, (platform, likes)) in [("instagram", 60.0), ("tiktok", 90.0)]
        .into_iter()
        .enumerate()
    {
        let mut row = PostRow {
            platform: platform.into(),
            date: Some(20_000 + i as i32),
            post_id: format!("P{i}"),
            campaign_id: "C1".into(),
            creator_id: format!("K{i}"),
            format: "reel".into(),
            ..PostRow::default()
        };
        for (m, v) in [
            (Measure::Likes, likes),
            (Measure::Reach, 1000.0),
            (Measure::Impressions, 2000.0),
            (Measure::Clicks, 40.0),
            (Measure::Conversions, 2.0),
            (Measure::Revenue, 300.0),
            (Measure::Cost, 100.0),
            (Measure::NewCustomers, 2.0),
        ] {
            row.values[m as usize] = Some(v);
        }
        ws.posts.push(&row);
    }
    ws.campaigns.push(Campaign {
        campaign_id: "C1".into(),
        name: "Demo".into(),
        ..Campaign::default()
    });
    ws
}
