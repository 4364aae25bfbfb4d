//! Native tests of the sparkline drawing and its words (src/display/sparkline.rs), with
//! the box of 100 × 24 units and a pad of 2: x runs from 2 to 98, y from 22 (the lowest
//! value) up to 2 (the highest).

use kpi_dash::data::calendar::Granularity;
use kpi_dash::display::sparkline::{describe, geometry, periods_in_words, Geometry};

fn percent(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

#[test]
fn a_missing_period_is_a_gap_and_a_lone_value_a_dot() {
    // 4 periods: x = 2 + i × 96 / 3 = 2, 34, 66, 98. Range 1..3 over 20 units:
    // y(1) = 2 + (3 − 1) / 2 × 20 = 22, y(3) = 2, y(2) = 2 + 1 / 2 × 20 = 12.
    // Period 3 has no value: the line stops after period 2, and period 4 stands alone.
    let g = geometry(&[Some(1.0), Some(3.0), None, Some(2.0)], None);
    assert_eq!(g.path, "M2.0 22.0L34.0 2.0M98.0 12.0h0");
    assert_eq!(g.band, None);
}

#[test]
fn n_a_is_never_drawn_as_zero() {
    // Were the middle period a 0, the range would be 0..20 and 10 would sit at y 12.
    // As a gap, the range is 10..20: y(10) = 22, y(20) = 2; both ends are dots.
    let g = geometry(&[Some(10.0), None, Some(20.0)], None);
    assert_eq!(g.path, "M2.0 22.0h0M98.0 2.0h0");
    // A non-finite value is no value either (the same drawing).
    let nan = geometry(&[Some(10.0), Some(f64::NAN), Some(20.0)], None);
    assert_eq!(nan, g);
}

#[test]
fn the_band_widens_the_range_and_sits_behind_the_line() {
    // Values 4% and 6%, target 5–8%: range 0.04..0.08 (0.04 wide over 20 units).
    // y(0.04) = 22, y(0.06) = 2 + 0.02 / 0.04 × 20 = 12; the band runs from
    // y(0.08) = 2 down to y(0.05) = 2 + 0.03 / 0.04 × 20 = 17: top 2, height 15.
    let g = geometry(&[Some(0.04), Some(0.06)], Some((0.05, 0.08)));
    assert_eq!(g.path, "M2.0 22.0L98.0 12.0");
    assert_eq!(g.band, Some((2.0, 15.0)));
}

#[test]
fn a_one_sided_target_is_a_hairline() {
    // ROAS ≥ 3 is the band (3, 3); values 2 and 4: y(3) = 2 + 1 / 2 × 20 = 12.
    let g = geometry(&[Some(2.0), Some(4.0)], Some((3.0, 3.0)));
    assert_eq!(g.band, Some((12.0, 0.5)));
    // A band that is not a number draws nothing.
    let g = geometry(&[Some(2.0), Some(4.0)], Some((f64::NAN, 3.0)));
    assert_eq!(g.band, None);
}

#[test]
fn a_level_line_runs_across_the_middle() {
    // All 5: the range is widened by 10% of 5 each way, 4.5..5.5, so
    // y(5) = 2 + 0.5 / 1 × 20 = 12; 3 periods at x 2, 50, 98.
    let g = geometry(&[Some(5.0), Some(5.0), Some(5.0)], None);
    assert_eq!(g.path, "M2.0 12.0L50.0 12.0L98.0 12.0");
    // One period sits in the middle of the box: x 50, y 12.
    assert_eq!(geometry(&[Some(7.0)], None).path, "M50.0 12.0h0");
    // All zero: widened by 1 each way, y(0) = 12.
    assert_eq!(
        geometry(&[Some(0.0), Some(0.0)], None).path,
        "M2.0 12.0L98.0 12.0"
    );
}

#[test]
fn no_value_draws_nothing() {
    assert_eq!(
        geometry(&[None, None], Some((1.0, 2.0))),
        Geometry::default()
    );
    assert_eq!(geometry(&[], None), Geometry::default());
}

#[test]
fn words_say_the_way_it_went_and_over_how_long() {
    // 12 weeks from 5.1% to 7.7% (6% in between).
    let mut weeks = vec![Some(0.06); 12];
    weeks[0] = Some(0.051);
    weeks[11] = Some(0.077);
    assert_eq!(
        describe(&weeks, Granularity::Week, percent),
        "rising from 5.1% to 7.7% over 12 weeks"
    );
    assert_eq!(
        describe(&[Some(0.077), Some(0.051)], Granularity::Month, percent),
        "falling from 7.7% to 5.1% over 2 months"
    );
    // 5.12% and 5.08% both read 5.1%: unchanged, as the reader would see it.
    assert_eq!(
        describe(&[Some(0.0512), Some(0.0508)], Granularity::Day, percent),
        "unchanged at 5.1% over 2 days"
    );
}

#[test]
fn words_count_the_periods_without_a_value() {
    // The first and last periods with a value are 1 and 4 (5.1% → 7.7%); period 2 has none.
    assert_eq!(
        describe(
            &[Some(0.051), None, Some(0.06), Some(0.077)],
            Granularity::Week,
            percent
        ),
        "rising from 5.1% to 7.7% over 4 weeks, no value in 1 of them"
    );
    assert_eq!(
        describe(&[None, Some(0.05), None], Granularity::Quarter, percent),
        "one value, 5.0%, over 3 quarters, no value in 2 of them"
    );
    assert_eq!(
        describe(&[None, None], Granularity::Week, percent),
        "no value over 2 weeks"
    );
    assert_eq!(periods_in_words(1, Granularity::Week), "1 week");
}

#[test]
fn periods_without_rows_are_gaps_in_the_series() {
    use kpi_dash::data::calendar::parse_iso_day;
    use kpi_dash::display::sparkline::series;
    let day = |s| parse_iso_day(s).unwrap();
    // Months with rows: January, March (n/a), June. February, April and May have no
    // rows: January to June is 6 months, 3 of them gaps, plus March's n/a.
    let points = [
        (day("2025-01-01"), Some(3.0)),
        (day("2025-03-01"), None),
        (day("2025-06-01"), Some(5.0)),
    ];
    assert_eq!(
        series(&points, Granularity::Month),
        [Some(3.0), None, None, None, None, Some(5.0)]
    );
    // Weeks start on Monday: 2025-03-03 and 2025-03-17 are two weeks apart.
    let weeks = [
        (day("2025-03-03"), Some(1.0)),
        (day("2025-03-17"), Some(2.0)),
    ];
    assert_eq!(
        series(&weeks, Granularity::Week),
        [Some(1.0), None, Some(2.0)]
    );
    // Quarters: Q4 2024 to Q2 2025 is three quarters.
    let quarters = [
        (day("2024-10-01"), Some(1.0)),
        (day("2025-04-01"), Some(2.0)),
    ];
    assert_eq!(
        series(&quarters, Granularity::Quarter),
        [Some(1.0), None, Some(2.0)]
    );
    assert!(series(&[], Granularity::Day).is_empty());
}
