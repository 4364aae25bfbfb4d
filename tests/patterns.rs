//! Engagement patterns (issue 19): weekday × hour buckets of a hand-built fixture in two
//! time zones (a post at 23:30 moves to the next weekday), rows without a time left out
//! and counted, engagement rate by format and by tier, the best slots with their
//! minimum, the demo's planted slot, and the loader keeping the times real exports write.

use kpi_dash::data::calendar::weekday;
use kpi_dash::data::demo::{self, BEST_SLOT, DEMO_SEED};
use kpi_dash::data::ingest::{load, LoadOptions};
use kpi_dash::data::schema::Measure;
use kpi_dash::data::store::Workspace;
use kpi_dash::display::patterns::{slot_sentence, times_note};
use kpi_dash::display::questions::{answer, Answer, Question};
use kpi_dash::metrics::engine::Filter;
use kpi_dash::metrics::patterns::{patterns, Bucket, Patterns, MIN_SLOT_POSTS};
use kpi_dash::metrics::settings::Settings;
use kpi_dash::metrics::tiers::Tier;

fn load_into(ws: &mut Workspace, name: &str, csv: &str) {
    let report =
        load(ws, name, csv.as_bytes(), &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.rows_rejected, 0, "{:?}", report.issues);
}

/// 2025-03-04 is a Tuesday. A at 23:30 (5.0%), B, C and E between 09:00 and 10:00 (E
/// without reach), D with a date only.
const POSTS: &str = "\
post_id,platform,date,creator_id,format,reach,likes
A,instagram,2025-03-04 23:30,K1,reel,1000,50
B,instagram,2025-03-04 09:15,K1,reel,1000,30
C,instagram,2025-03-04T09:45:00,K2,story,500,10
D,instagram,2025-03-05,K2,story,800,40
E,instagram,2025-03-04 09:05,K2,story,,20
";

const CREATORS: &str = "\
creator_id,name,platform,followers
K1,Ann,instagram,5000
K2,Bo,instagram,50000
";

fn fixture() -> Workspace {
    let mut ws = Workspace::default();
    load_into(&mut ws, "posts.csv", POSTS);
    load_into(&mut ws, "creators.csv", CREATORS);
    ws
}

fn at(offset: f64) -> Patterns {
    let settings = Settings {
        utc_offset_hours: offset,
        ..Settings::default()
    };
    patterns(&fixture(), &Filter::default(), &settings)
}

fn cell(p: &Patterns, weekday: u32, hour: u32) -> Bucket {
    *p.cell(weekday, hour).unwrap()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

#[test]
fn buckets_as_the_file_gives_the_times() {
    let p = at(0.0);
    assert_eq!(p.cells.len(), 168);
    // Tue 23h: A alone, 50 / 1000 = 5.0%.
    let a = cell(&p, 1, 23);
    assert_eq!((a.posts, a.used), (1, 1));
    assert!(close(a.rate(), 0.05));
    // Tue 9h: B, C and E are 3 posts; E has no reach, so the rate is (30 + 10) / (1000 +
    // 500) = 2.667% over 2 of them.
    let nine = cell(&p, 1, 9);
    assert_eq!((nine.posts, nine.used), (3, 2));
    assert!(close(nine.rate(), 40.0 / 1500.0));
    // D has no time: left out of the cells, counted.
    assert_eq!(p.untimed_rows, 1);
    assert_eq!(p.timed.posts, 4);
    let total: u64 = p.cells.iter().map(|c| c.posts).sum();
    assert_eq!(total, 4);
    // Every other cell is empty (posts 0, no rate: n/a, not 0%).
    assert_eq!(cell(&p, 2, 0).posts, 0);
    assert_eq!(cell(&p, 2, 0).rate(), None);
    assert_eq!(
        times_note(&p),
        "Times as the file gives them, shifted to UTC+00:00 (the time zone in Settings)."
    );
}

#[test]
fn a_time_zone_shift_moves_posts_across_midnight() {
    // UTC+1: A at 23:30 is Wednesday 00:30; B, C and E move to 10h.
    let p = at(1.0);
    assert_eq!(cell(&p, 1, 23).posts, 0);
    let a = cell(&p, 2, 0);
    assert_eq!(a.posts, 1);
    assert!(close(a.rate(), 0.05));
    assert_eq!(cell(&p, 1, 10).posts, 3);
    assert_eq!(cell(&p, 1, 9).posts, 0);
    // UTC−10: B at 09:15 is Monday 23:15; C at 09:45 is Monday 23:45; A is Tuesday 13:30.
    let p = at(-10.0);
    let monday = cell(&p, 0, 23);
    assert_eq!(monday.posts, 3);
    assert!(close(monday.rate(), 40.0 / 1500.0));
    assert_eq!(cell(&p, 1, 13).posts, 1);
    assert!(times_note(&p).contains("UTC−10:00"));
    // A half-hour zone: UTC+5:30 puts B (09:15) at 14:45, C (09:45) at 15:15.
    let p = at(5.5);
    assert_eq!(cell(&p, 1, 14).posts, 2); // B and E (09:05 → 14:35)
    assert_eq!(cell(&p, 1, 15).posts, 1);
}

#[test]
fn engagement_rate_by_format_and_by_tier() {
    let p = at(0.0);
    // reel: A + B = (50 + 30) / (1000 + 1000) = 4.0%; story: C + D (E lacks reach) =
    // (10 + 40) / (500 + 800) = 3.846%; the untimed D counts here.
    let format = |f: &str| p.by_format.iter().find(|(k, _)| k == f).unwrap().1;
    assert!(close(format("reel").rate(), 0.04));
    assert_eq!(format("story").posts, 3);
    assert!(close(format("story").rate(), 50.0 / 1300.0));
    // K1 has 5,000 followers (nano), K2 50,000 (micro).
    let tier = |t: Tier| p.by_tier.iter().find(|(k, _)| *k == t).unwrap().1;
    assert!(close(tier(Tier::Nano).rate(), 0.04));
    assert!(close(tier(Tier::Micro).rate(), 50.0 / 1300.0));
    assert_eq!(p.untiered_rows, 0);
}

#[test]
fn best_slots_need_enough_posts() {
    // The fixture's slots hold 3 posts at most: none is a best slot.
    let p = at(0.0);
    assert!(p.best.is_empty());
    assert_eq!(p.min_slot_posts, MIN_SLOT_POSTS);
    // 30 posts on Fridays at 20:10 at 8% and 40 on Fridays at 10:10 at 4%.
    let mut csv = String::from("post_id,platform,date,reach,likes\n");
    for i in 0..70 {
        let (time, likes) = if i < 30 { ("20:10", 80) } else { ("10:10", 40) };
        // Fridays from 2025-01-03 on.
        let day = kpi_dash::data::calendar::format_day(
            kpi_dash::data::calendar::day_from_ymd(2025, 1, 3).unwrap() + 7 * (i % 10),
        );
        csv.push_str(&format!("P{i},tiktok,{day} {time},1000,{likes}\n"));
    }
    let mut ws = Workspace::default();
    load_into(&mut ws, "fridays.csv", &csv);
    let p = patterns(&ws, &Filter::default(), &Settings::default());
    assert_eq!(p.best.len(), 2);
    // Overall: (30 × 80 + 40 × 40) / (70 × 1000) = 4000 / 70000 = 5.714%.
    assert_eq!(
        slot_sentence(&p.best[0], &p.timed),
        "Fridays 20–22h: 8.0% vs 5.7% overall, 30 posts"
    );
    assert_eq!(
        slot_sentence(&p.best[1], &p.timed),
        "Fridays 10–12h: 4.0% vs 5.7% overall, 40 posts"
    );
}

#[test]
fn a_file_without_times_has_no_cells() {
    let mut ws = Workspace::default();
    load_into(
        &mut ws,
        "days.csv",
        "post_id,platform,date,reach,likes\nP1,x,2025-01-01,100,5\nP2,x,2025-01-02,100,6\n",
    );
    let p = patterns(&ws, &Filter::default(), &Settings::default());
    assert!(p.cells.is_empty());
    assert_eq!(p.untimed_rows, 2);
    assert!(p.best.is_empty());
    // The real Instagram export has dates only: no cells either.
    let path = format!(
        "{}/tests/fixtures/real/instagram-insights-posts.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut ws = Workspace::default();
    let options = LoadOptions {
        platform: Some("Instagram".into()),
        ..LoadOptions::default()
    };
    load(&mut ws, "ig.csv", &std::fs::read(path).unwrap(), &options).unwrap();
    let p = patterns(&ws, &Filter::default(), &Settings::default());
    assert!(p.cells.is_empty());
    assert_eq!(p.untimed_rows, ws.posts.len() as u64);
}

#[test]
fn the_loader_keeps_the_times_exports_write() {
    // Meta's `2025-03-04T23:30:00+0000`, a US `03/04/2025 11:30 PM`, an offset kept as
    // the local time written, seconds dropped to the second.
    let csv = "post_id,platform,date,likes\n\
        P1,instagram,2025-03-04T23:30:00+0000,1\n\
        P2,instagram,03/04/2025 11:30 PM,1\n\
        P3,instagram,2025-03-04 23:30 -0500,1\n\
        P4,instagram,2025-03-04 08:05:09,1\n\
        P5,instagram,2025-03-04,1\n";
    let mut ws = Workspace::default();
    load_into(&mut ws, "times.csv", csv);
    let times: Vec<Option<u32>> = (0..5).map(|i| ws.posts.time_of_day(i)).collect();
    let t = |h: u32, m: u32, s: u32| Some(h * 3600 + m * 60 + s);
    assert_eq!(
        times,
        [t(23, 30, 0), t(23, 30, 0), t(23, 30, 0), t(8, 5, 9), None]
    );
}

#[test]
fn the_demo_plants_its_best_slot() {
    let ws = demo::generate(DEMO_SEED);
    // Every demo post has a time.
    assert!((0..ws.posts.len()).all(|i| ws.posts.time_of_day(i).is_some()));
    let settings = Settings::default();
    let p = match answer(
        &ws,
        &settings,
        &Question::Patterns {
            filter: Filter::default(),
        },
    ) {
        Answer::Patterns(p) => p,
        other => panic!("{other:?}"),
    };
    for s in &p.best {
        println!("  {} {:?}", slot_sentence(s, &p.timed), (s.weekday, s.hour));
    }
    let best = &p.best[0];
    assert_eq!((best.weekday, best.hour, best.hours), BEST_SLOT);
    // The slot by hand: Σ(likes + comments + shares + saves) / Σreach over the posts on
    // a Tuesday with a time from 18:00 to 19:59.
    let posts = &ws.posts;
    let v = |m: Measure, i: usize| posts.value(m as usize, i).unwrap_or(0.0);
    let (mut num, mut den, mut n) = (0.0, 0.0, 0);
    for i in 0..posts.len() {
        let hour = posts.time_of_day(i).unwrap() / 3600;
        if weekday(posts.day[i]) == 1 && (18..20).contains(&hour) {
            num += v(Measure::Likes, i)
                + v(Measure::Comments, i)
                + v(Measure::Shares, i)
                + v(Measure::Saves, i);
            den += v(Measure::Reach, i);
            n += 1;
        }
    }
    assert_eq!(best.bucket.posts, n);
    assert!((best.bucket.rate().unwrap() - num / den).abs() < 1e-12);
    println!("demo best slots:");
    for s in &p.best {
        println!("  {}", slot_sentence(s, &p.timed));
    }
    let tue18 = p.cell(1, 18).unwrap();
    println!(
        "demo tue-18: {:.6} over {} posts",
        tue18.rate().unwrap(),
        tue18.posts
    );
    // The answer crosses the worker as JSON and comes back equal.
    let answer = Answer::Patterns(p.clone());
    let (json, reasons) = kpi_dash::display::questions::answer_to_json(&answer).unwrap();
    assert!(json.len() < 40_000, "{} bytes", json.len());
    let back = kpi_dash::display::questions::answer_from_json(&json, &reasons).unwrap();
    assert_eq!(back, answer);
}
