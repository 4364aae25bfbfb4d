//! Audience demographics (issue 19, part 3): wide creators columns and long rows read
//! into one breakdown (percents told by the values, blank = absent, sums over 100 %
//! reported), the selection's weighted shares by followers and by reach, coverage, the
//! audience match against a campaign's target, and the breakdowns kept through the
//! worker's packing and the workspace JSON document.

use kpi_dash::data::audience::{book, AudienceDimension};
use kpi_dash::data::ingest::{detect, load, workspace_json, LoadOptions};
use kpi_dash::data::packed::{pack, unpack};
use kpi_dash::data::schema::TableKind;
use kpi_dash::data::store::Workspace;
use kpi_dash::display::questions::{answer, Answer, Question};
use kpi_dash::metrics::audience::{audience, AudienceQuery, AudienceView, AudienceWeight};
use kpi_dash::metrics::engine::Filter;
use kpi_dash::metrics::settings::Settings;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/audience/");

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}{name}")).unwrap()
}

fn load_into(ws: &mut Workspace, name: &str) -> Vec<String> {
    let report = load(ws, name, &fixture(name), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(report.rows_rejected, 0, "{name}: {:?}", report.issues);
    report.notices
}

/// The four fixtures, loaded in a drop's order.
fn workspace() -> Workspace {
    let mut ws = Workspace::default();
    for name in [
        "creators_wide.csv",
        "campaigns.csv",
        "posts.csv",
        "audience_long.csv",
    ] {
        load_into(&mut ws, name);
    }
    ws
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn share(view: &AudienceView, d: AudienceDimension, bucket: &str) -> Option<f64> {
    view.distributions
        .iter()
        .find(|x| x.dimension == d)?
        .buckets
        .iter()
        .find(|s| s.bucket == bucket)
        .map(|s| s.share)
}

#[test]
fn files_of_each_shape_are_recognised_with_no_question() {
    let wide = detect("creators_wide.csv", &fixture("creators_wide.csv")).unwrap();
    assert_eq!(wide.kind, TableKind::Creators);
    assert!(!wide.needs_mapping, "{:?}", wide.mapping);
    let targets: Vec<Option<&str>> = wide.mapping.iter().map(|m| m.target.as_deref()).collect();
    assert_eq!(
        &targets[4..9],
        &[
            Some("age_18_24"),
            Some("age_25_34"),
            Some("age_35_44"),
            Some("female_share"),
            Some("male_share")
        ]
    );
    let long = detect("audience_long.csv", &fixture("audience_long.csv")).unwrap();
    assert_eq!(long.kind, TableKind::Audience);
    assert!(!long.needs_mapping && !long.needs_platform);
    let campaigns = detect("campaigns.csv", &fixture("campaigns.csv")).unwrap();
    assert_eq!(campaigns.kind, TableKind::Campaigns);
    assert!(campaigns
        .mapping
        .iter()
        .any(|m| m.target.as_deref() == Some("target_age")));
}

#[test]
fn breakdowns_read_percents_by_their_values_and_blanks_as_absent() {
    let ws = workspace();
    let b = book(&ws);
    let k01 = &b.creators["K01"];
    // Ages written 30, 50, 20: a value above 1, so the age columns are percents.
    let ages: Vec<(&str, f64)> = k01
        .of(AudienceDimension::Age)
        .unwrap()
        .iter()
        .map(|s| (s.bucket.as_str(), s.share))
        .collect();
    assert_eq!(
        ages,
        vec![("18-24", 0.30), ("25-34", 0.50), ("35-44", 0.20)]
    );
    // `62%` reads 0.62; countries are fractions already.
    let gender = k01.of(AudienceDimension::Gender).unwrap();
    assert!(close(gender[0].share, 0.62) && gender[0].bucket == "female");
    let countries = k01.of(AudienceDimension::Country).unwrap();
    assert_eq!(countries[0].bucket, "US");
    assert!(close(countries[0].share, 0.41));
    // K03's wide cells are blank (absent); its long rows give the breakdown, and its
    // blank male share is absent, not 0.
    let k03 = &b.creators["K03"];
    let g: Vec<&str> = k03
        .of(AudienceDimension::Gender)
        .unwrap()
        .iter()
        .map(|s| s.bucket.as_str())
        .collect();
    assert_eq!(g, vec!["female"]);
    assert!(b
        .notes
        .iter()
        .any(|n| n.contains("age shares (wide columns)")));
    assert!(b.notes.iter().any(|n| n.contains("city")), "{:?}", b.notes);
}

#[test]
fn shares_over_one_are_reported_not_rescaled() {
    let mut ws = Workspace::default();
    let csv = "creator_id,dimension,value,share\nK9,age,18-24,0.7\nK9,age,25-34,0.6\n";
    let report = load(&mut ws, "a.csv", csv.as_bytes(), &LoadOptions::default()).unwrap();
    assert!(
        report
            .notices
            .iter()
            .any(|n| n.contains("K9 (age 130%)") && n.contains("not rescaled")),
        "{:?}",
        report.notices
    );
    let b = book(&ws);
    let ages = b.creators["K9"].of(AudienceDimension::Age).unwrap();
    assert!(close(ages[0].share, 0.7) && close(ages[1].share, 0.6));
}

#[test]
fn the_selection_is_weighted_by_followers_by_default() {
    let ws = workspace();
    let view = audience(&ws, &AudienceQuery::default());
    assert_eq!(view.weight, AudienceWeight::Followers);
    // Followers K01 100,000, K02 300,000, K03 50,000: total 450,000.
    // 18-24: (100,000·0.30 + 300,000·0.10 + 50,000·0.70) / 450,000 = 95,000 / 450,000
    assert!(close(
        share(&view, AudienceDimension::Age, "18-24").unwrap(),
        95_000.0 / 450_000.0
    ));
    // 25-34: (50,000 + 120,000 + 15,000) / 450,000 = 185,000 / 450,000
    assert!(close(
        share(&view, AudienceDimension::Age, "25-34").unwrap(),
        185_000.0 / 450_000.0
    ));
    // 35-44: (20,000 + 150,000) / 450,000 (K03 gives no 35-44 share)
    assert!(close(
        share(&view, AudienceDimension::Age, "35-44").unwrap(),
        170_000.0 / 450_000.0
    ));
    // Female: (62,000 + 135,000 + 40,000) / 450,000 = 237,000 / 450,000.
    assert!(close(
        share(&view, AudienceDimension::Gender, "female").unwrap(),
        237_000.0 / 450_000.0
    ));
    // US: (41,000 + 30,000 + 30,000) / 450,000 = 101,000 / 450,000.
    assert!(close(
        share(&view, AudienceDimension::Country, "US").unwrap(),
        101_000.0 / 450_000.0
    ));
    assert_eq!(view.coverage.creators_in_view, 3);
    assert_eq!(view.coverage.with_breakdown, 3);
}

#[test]
fn reach_weighting_and_the_posts_followers_fallback() {
    let ws = workspace();
    let q = AudienceQuery {
        filter: Filter {
            campaigns: vec!["C1".into()],
            ..Filter::default()
        },
        weight: AudienceWeight::Reach,
        ..AudienceQuery::default()
    };
    let view = audience(&ws, &q);
    // Reach in C1: K01 8,000, K02 20,000, K03 4,000 = 32,000.
    // 18-24: (8,000·0.30 + 20,000·0.10 + 4,000·0.70) / 32,000 = 7,200 / 32,000 = 0.225
    assert!(close(
        share(&view, AudienceDimension::Age, "18-24").unwrap(),
        0.225
    ));
    // No creators.followers: the posts' largest followers (500, then 1,500) weigh.
    let mut ws = Workspace::default();
    let posts = "platform,date,creator_id,reach,followers\n\
                 tiktok,2026-01-01,A,100,500\ntiktok,2026-01-02,B,100,1000\ntiktok,2026-01-03,B,100,1500\n";
    let long = "creator_id,dimension,value,share\nA,gender,female,1\nB,gender,female,0\nC,gender,female,0.5\n";
    load(&mut ws, "p.csv", posts.as_bytes(), &LoadOptions::default()).unwrap();
    load(&mut ws, "a.csv", long.as_bytes(), &LoadOptions::default()).unwrap();
    let view = audience(&ws, &AudienceQuery::default());
    // female = (500·1 + 1,500·0) / 2,000 = 0.25; C has no posts: not in view.
    assert!(close(
        share(&view, AudienceDimension::Gender, "female").unwrap(),
        0.25
    ));
    assert_eq!(view.coverage.creators_in_view, 2);
}

#[test]
fn audience_match_against_the_campaign_target() {
    let ws = workspace();
    let q = AudienceQuery {
        filter: Filter {
            campaigns: vec!["C1".into()],
            ..Filter::default()
        },
        campaign: Some("C1".into()),
        ..AudienceQuery::default()
    };
    let m = audience(&ws, &q).matched.unwrap();
    // C1 targets US;CA and ages 18-34 (bands 18-24 and 25-34).
    // K01: ages 0.30 + 0.50 = 0.80, countries 0.41 + 0.20 = 0.61 → 0.488
    // K02: ages 0.10 + 0.40 = 0.50, countries US 0.10 → 0.05
    // K03: ages 0.70 + 0.30 = 1.00, countries US 0.60 → 0.60
    // (100,000·0.488 + 300,000·0.05 + 50,000·0.60) / 450,000 = 93,800 / 450,000
    assert!(close(m.value.unwrap(), 93_800.0 / 450_000.0), "{m:?}");
    assert_eq!(m.creators, 3);
    // Age alone: (80,000 + 150,000 + 50,000) / 450,000; countries: 121,000 / 450,000.
    assert!(close(m.dimensions[0].value.unwrap(), 280_000.0 / 450_000.0));
    assert!(close(m.dimensions[1].value.unwrap(), 121_000.0 / 450_000.0));
    assert_eq!(m.target, "US, CA · ages 18-34");
    // C2 names no target: n/a with the reason.
    let q = AudienceQuery {
        campaign: Some("C2".into()),
        ..q
    };
    let m = audience(&ws, &q).matched.unwrap();
    assert_eq!(m.value, None);
    assert!(m.reason.unwrap().contains("no target audience"));
}

#[test]
fn without_breakdowns_the_view_says_so() {
    let mut ws = Workspace::default();
    let posts = "platform,date,creator_id,reach\ntiktok,2026-01-01,A,100\n";
    load(&mut ws, "p.csv", posts.as_bytes(), &LoadOptions::default()).unwrap();
    let view = audience(&ws, &AudienceQuery::default());
    assert!(!view.any_audience && view.distributions.is_empty());
    assert_eq!(view.coverage.creators_in_view, 1);
    assert_eq!(view.coverage.with_breakdown, 0);
}

#[test]
fn one_creators_own_breakdown_needs_no_posts() {
    let ws = workspace();
    let q = AudienceQuery {
        creator: Some("K03".into()),
        filter: Filter {
            campaigns: vec!["nothing".into()],
            ..Filter::default()
        },
        ..AudienceQuery::default()
    };
    let view = audience(&ws, &q);
    assert!(close(
        share(&view, AudienceDimension::Country, "US").unwrap(),
        0.60
    ));
    assert!(close(
        share(&view, AudienceDimension::Country, "MX").unwrap(),
        0.25
    ));
}

#[test]
fn breakdowns_survive_the_worker_and_the_workspace_document() {
    let ws = workspace();
    let before = book(&ws);
    let back = unpack(pack(ws.clone())).unwrap();
    assert_eq!(back.audience, ws.audience);
    assert_eq!(back.creators, ws.creators);
    assert_eq!(back.campaigns, ws.campaigns);
    assert_eq!(book(&back).creators, before.creators);
    let doc = workspace_json(&ws);
    let mut again = Workspace::default();
    load(
        &mut again,
        "workspace.json",
        doc.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(again.creators, ws.creators);
    assert_eq!(again.campaigns, ws.campaigns);
    assert_eq!(again.audience, ws.audience);
    assert_eq!(book(&again).creators, before.creators);
    // The question crosses as JSON like every answer.
    let q = Question::Audience(AudienceQuery {
        campaign: Some("C1".into()),
        ..AudienceQuery::default()
    });
    let a = answer(&ws, &Settings::default(), &q);
    let (json, reasons) = kpi_dash::display::questions::answer_to_json(&a).unwrap();
    let read = kpi_dash::display::questions::answer_from_json(&json, &reasons).unwrap();
    assert_eq!(read, a);
    assert!(matches!(read, Answer::Audience(_)));
}

#[test]
fn the_demo_shows_its_creators_female_share_weighted_by_followers() {
    // The demo is left as it was: its creators carry `female_share` (and a single
    // country and age band, which are no breakdown), so its audience is gender only.
    let ws = kpi_dash::data::demo::generate(kpi_dash::data::demo::DEMO_SEED);
    let view = audience(&ws, &AudienceQuery::default());
    assert!(view.any_audience);
    let dims: Vec<AudienceDimension> = view.distributions.iter().map(|d| d.dimension).collect();
    assert_eq!(dims, vec![AudienceDimension::Gender]);
    // Independently: Σ followers·female_share / Σ followers over the creators with posts.
    let with_posts: std::collections::BTreeSet<&str> = ws
        .posts
        .creators
        .values()
        .iter()
        .map(String::as_str)
        .collect();
    let (mut num, mut den) = (0.0, 0.0);
    for c in ws
        .creators
        .iter()
        .filter(|c| with_posts.contains(c.creator_id.as_str()))
    {
        if let (Some(f), Some(s)) = (c.followers, c.female_share) {
            num += f * s;
            den += f;
        }
    }
    let female = share(&view, AudienceDimension::Gender, "female").unwrap();
    assert!(close(female, num / den), "{female} vs {}", num / den);
    println!(
        "demo female share {female} over {} creators; followers total {den}",
        view.distributions[0].creators
    );
    assert_eq!(view.coverage.creators_in_view, view.coverage.with_breakdown);
}
