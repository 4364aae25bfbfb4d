//! Live monitoring's core (`display::live`, issue 19): the KPI values that changed
//! between two reads (up/down, n/a <-> value counted as changed, never a NaN), the
//! alerts new since the last read by rule and subject, the new ones listed first, the
//! `?live=` interval and its back-off, and the header's "last read" words.

use kpi_dash::data::calendar::Granularity;
use kpi_dash::data::ingest::{load, LoadOptions};
use kpi_dash::data::store::Workspace;
use kpi_dash::display::live::{
    alert_key, backoff_s, change_of, change_words, interval_of, kpi_changes, last_read_words,
    new_alerts, new_first, Change, Clock, ReadState,
};
use kpi_dash::display::questions::{answer, Answer, Question};
use kpi_dash::metrics::alerts::{Alert, AlertRule, Subject};
use kpi_dash::metrics::engine::{Filter, Results};
use kpi_dash::metrics::registry::KpiId;
use kpi_dash::metrics::settings::Settings;

const HEADER: &str = "platform,date,post_id,campaign_id,creator_id,format,impressions,reach,followers,likes,comments,shares,saves,views,clicks,conversions,revenue,cost\n";
/// Two posts of C1: Σrevenue 400 + 600 = 1000, Σcost 100 + 200 = 300 → ROAS 3.333…;
/// Σclicks 20 + 40 = 60 / Σimpressions 1000 + 2000 = 3000 → CTR 0.02.
const FIRST: &str = "instagram,2025-03-01,p1,C1,K1,reel,1000,800,5000,50,10,5,5,400,20,4,400,100\n\
instagram,2025-03-02,p2,C1,K1,reel,2000,1500,5000,100,20,10,10,900,40,5,600,200\n";
/// A viral post of a new campaign C2 (2,000,000 impressions ≥ the 1M viral threshold):
/// Σrevenue 1000 + 2000 = 3000, Σcost 300 + 100 = 400 → ROAS 7.5 (up);
/// Σclicks 60 + 10 = 70 / Σimpressions 3000 + 2,000,000 = 2,003,000 → CTR 0.0000349 (down).
const VIRAL: &str =
    "tiktok,2025-03-03,p3,C2,K2,video,2000000,1500000,90000,100,10,5,5,1500000,10,2,2000,100\n";

fn workspace(csv: &str) -> Workspace {
    let mut ws = Workspace::default();
    let text = format!("{HEADER}{csv}");
    load(
        &mut ws,
        "posts.csv",
        text.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    ws
}

fn results(ws: &Workspace) -> std::sync::Arc<Results> {
    let q = Question::Results {
        filter: Filter::default(),
        granularity: Granularity::Month,
    };
    match answer(ws, &Settings::default(), &q) {
        Answer::Results(r) => r,
        _ => panic!("not results"),
    }
}

fn alerts(ws: &Workspace) -> Vec<Alert> {
    let q = Question::Alerts {
        filter: Filter::default(),
        granularity: Granularity::Month,
    };
    match answer(ws, &Settings::default(), &q) {
        Answer::Alerts(a) => (*a).clone(),
        _ => panic!("not alerts"),
    }
}

#[test]
fn a_value_that_moved_is_up_or_down_and_a_same_value_is_no_change() {
    assert_eq!(change_of(Some(3.0), Some(7.5)), Some(Change::Up));
    assert_eq!(change_of(Some(0.02), Some(0.0000349)), Some(Change::Down));
    assert_eq!(change_of(Some(1000.0), Some(1000.0)), None);
    // 0.1 + 0.2 summed in another order is no change (relative 1e-9).
    assert_eq!(change_of(Some(0.1 + 0.2), Some(0.3)), None);
    assert_eq!(change_of(Some(-1.0), Some(-2.0)), Some(Change::Down));
    assert_eq!(change_of(Some(0.0), Some(0.0)), None);
    assert_eq!(Change::Up.attr(), "up");
    assert_eq!(Change::Down.attr(), "down");
}

#[test]
fn n_a_to_a_value_and_back_counts_as_changed_and_no_nan_compares() {
    assert_eq!(change_of(None, Some(4.0)), Some(Change::Up));
    assert_eq!(change_of(Some(4.0), None), Some(Change::Down));
    assert_eq!(change_of(None, None), None);
    // A NaN or an infinity is n/a: never compared as a number.
    assert_eq!(change_of(Some(f64::NAN), Some(f64::NAN)), None);
    assert_eq!(change_of(Some(f64::NAN), None), None);
    assert_eq!(change_of(Some(f64::NAN), Some(2.0)), Some(Change::Up));
    assert_eq!(
        change_of(Some(2.0), Some(f64::INFINITY)),
        Some(Change::Down)
    );
}

#[test]
fn kpi_changes_of_two_reads_mark_roas_up_ctr_down_and_a_new_campaign_up() {
    let before = workspace(FIRST);
    let after = workspace(&format!("{FIRST}{VIRAL}"));
    let (b, a) = (results(&before), results(&after));
    // ROAS 1000 / 300 = 3.333… → 3000 / 400 = 7.5.
    let roas = |r: &Results| r.overall.get(KpiId::Roas).value().unwrap();
    assert!((roas(&b) - 1000.0 / 300.0).abs() < 1e-12);
    assert!((roas(&a) - 7.5).abs() < 1e-12);
    // CTR 60 / 3000 = 0.02 → 70 / 2,003,000.
    let ctr = |r: &Results| r.overall.get(KpiId::Ctr).value().unwrap();
    assert!((ctr(&b) - 0.02).abs() < 1e-12);
    assert!((ctr(&a) - 70.0 / 2_003_000.0).abs() < 1e-15);
    let changes = kpi_changes(&b, &a);
    assert_eq!(changes.get(KpiId::Roas, None), Some(Change::Up));
    assert_eq!(changes.get(KpiId::Ctr, None), Some(Change::Down));
    // C1's own ROAS (1000 / 300) did not move; C2 is new: n/a → 2000 / 100 = 20, up.
    assert_eq!(changes.get(KpiId::Roas, Some("campaign:C1")), None);
    assert_eq!(
        changes.get(KpiId::Roas, Some("campaign:C2")),
        Some(Change::Up)
    );
    assert_eq!(
        changes.get(KpiId::Roas, Some("platform:tiktok")),
        Some(Change::Up)
    );
    // The same read twice changes nothing.
    assert!(kpi_changes(&a, &a).is_empty());
    assert!(kpi_changes(&b, &results(&workspace(FIRST))).is_empty());
}

#[test]
fn new_alerts_are_those_whose_rule_and_subject_the_last_read_had_not() {
    let before = alerts(&workspace(FIRST));
    let after = alerts(&workspace(&format!("{FIRST}{VIRAL}")));
    let new = new_alerts(&before, &after);
    // p3's 2,000,000 impressions ≥ 1,000,000: a viral post alert, new.
    assert!(new.contains(&(AlertRule::ViralPost, Subject::Post("p3".into()))));
    // Nothing the first read had is new.
    for alert in &before {
        assert!(!new.contains(&alert_key(alert)), "{alert:?}");
    }
    assert!(new_alerts(&after, &after).is_empty());
    // Listed first, marked, each group in its own order.
    let listed = new_first(after.clone(), &new);
    assert_eq!(listed.len(), after.len());
    let first_old = listed
        .iter()
        .position(|(_, is_new)| !is_new)
        .unwrap_or(listed.len());
    assert!(listed[..first_old].iter().all(|(_, is_new)| *is_new));
    assert!(listed[first_old..].iter().all(|(_, is_new)| !is_new));
    assert_eq!(first_old, new.len());
    assert!(listed
        .iter()
        .any(|(a, is_new)| *is_new && a.rule == AlertRule::ViralPost));
}

#[test]
fn an_alert_whose_figures_moved_is_not_new() {
    let after = alerts(&workspace(&format!("{FIRST}{VIRAL}")));
    let mut moved = after.clone();
    for alert in &mut moved {
        alert.value *= 2.0;
    }
    assert!(new_alerts(&after, &moved).is_empty());
}

#[test]
fn the_live_interval_is_at_least_two_seconds_and_off_for_no_number() {
    assert_eq!(interval_of("5"), Some(5));
    assert_eq!(interval_of("1"), Some(2));
    assert_eq!(interval_of("0.5"), Some(2));
    assert_eq!(interval_of("2.6"), Some(3));
    assert_eq!(interval_of("0"), None);
    assert_eq!(interval_of("-3"), None);
    assert_eq!(interval_of("NaN"), None);
    assert_eq!(interval_of("inf"), None);
    assert_eq!(interval_of("soon"), None);
    assert_eq!(interval_of("1e12"), Some(86_400));
}

#[test]
fn failed_reads_back_off_by_doubling_up_to_five_minutes() {
    // 5 s: 5, 10, 20, 40, … ≤ 300.
    assert_eq!(backoff_s(5, 0), 5);
    assert_eq!(backoff_s(5, 1), 10);
    assert_eq!(backoff_s(5, 2), 20);
    assert_eq!(backoff_s(5, 10), 300);
    assert_eq!(backoff_s(5, 40), 300);
    // An interval longer than the ceiling is kept.
    assert_eq!(backoff_s(600, 3), 600);
}

#[test]
fn the_header_says_when_the_data_was_last_read() {
    let at = Some(Clock {
        hours: 18,
        minutes: 42,
        seconds: 10,
    });
    assert_eq!(
        last_read_words(at, Some(5), &ReadState::Fine),
        "Last read 18:42:10 · watching every 5 s"
    );
    assert_eq!(
        last_read_words(at, Some(120), &ReadState::NotYet),
        "Last read 18:42:10 · watching every 2 min"
    );
    assert_eq!(
        last_read_words(at, Some(90), &ReadState::Fine),
        "Last read 18:42:10 · watching every 1 min 30 s"
    );
    let failed = ReadState::Failed {
        why: "HTTP 503".into(),
        failures: 2,
        retry_s: 20,
    };
    assert_eq!(
        last_read_words(at, Some(5), &failed),
        "Last read 18:42:10 · the last check failed (HTTP 503); trying again in 20 s"
    );
    assert_eq!(last_read_words(at, None, &failed), "Last read 18:42:10");
    let early = Some(Clock {
        hours: 7,
        minutes: 5,
        seconds: 3,
    });
    assert_eq!(
        last_read_words(early, None, &ReadState::Fine),
        "Last read 07:05:03"
    );
    assert_eq!(
        last_read_words(None, Some(2), &ReadState::NotYet),
        "Not read yet · watching every 2 s"
    );
}

#[test]
fn the_change_is_said_in_counts() {
    let before = results(&workspace(FIRST));
    let after = results(&workspace(&format!("{FIRST}{VIRAL}")));
    let changes = kpi_changes(&before, &after);
    let words = change_words(&changes, 1).unwrap();
    assert!(words.ends_with(" · 1 new alert"), "{words}");
    assert!(
        words.contains(" KPIs changed: ") && words.contains(" up, "),
        "{words}"
    );
    // Only the overall values are counted (ROAS up, CTR down among them).
    let (up, down) = changes.counts();
    let overall = changes.0.keys().filter(|(_, g)| g.is_none()).count();
    assert_eq!(up + down, overall);
    assert!(up >= 1 && down >= 1);
    assert!(changes.0.len() > overall, "groups changed too");
    assert_eq!(change_words(&kpi_changes(&after, &after), 0), None);
    assert_eq!(
        change_words(&kpi_changes(&after, &after), 2).as_deref(),
        Some("2 new alerts")
    );
}
