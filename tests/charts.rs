//! Native tests of the chart models and their SVG: content, text alternatives, escaping, gaps,
//! extremes, marks' value and share text, and layout at phone and desktop widths.

use kpi_dash::charts::model::{Shape, TextKind};
use kpi_dash::charts::{
    budget, by_platform, funnel, scatter, svg_file, to_svg, trend, Chart, EXPORT_WIDTH, MIN_TEXT,
};

const HOSTILE: &str = "<img src=x onerror=alert(1)>";
const FORMULA: &str = "=HYPERLINK(\"x\")";
/// Short enough to survive axis-label truncation whole.
const AMPERSAND: &str = "A&B \"C\"";
/// The SVG colours of the data series and the target band (see src/charts/mod.rs).
const PRIMARY: &str = "#2563EB";
const BAND: &str = "#16A34A";

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| item.to_string()).collect()
}

fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter().map(|row| strings(row)).collect()
}

/// One chart of each kind, with `label` as every user-supplied name.
fn every_kind(label: &str) -> Vec<Chart> {
    vec![
        trend(
            "Trend",
            "Engagement rate (%)",
            &[label.to_string(), "2026-02".to_string()],
            &[Some(4.0), Some(5.0)],
            Some((3.0, 6.0)),
        ),
        by_platform(
            "Platforms",
            "Engagement rate (%)",
            &[(label.to_string(), Some(4.0), Some((3.0, 6.0)))],
        ),
        // Over budget, so the summary names the campaign too.
        budget(
            "Budgets",
            "Amount ($)",
            &[(label.to_string(), 100.0, 120.0)],
        ),
        funnel(
            "Funnel",
            &[(label.to_string(), 1000.0), ("Clicks".to_string(), 10.0)],
        ),
        scatter(
            "Creators",
            "Cost ($)",
            "Revenue ($)",
            &[(label.to_string(), 10.0, 50.0)],
            3.0,
        ),
    ]
}

/// The chart as the SVG export draws it (640 px wide).
fn svg(chart: &Chart) -> String {
    to_svg(chart, EXPORT_WIDTH)
}

fn assert_clean_numbers(chart: &Chart) {
    for text in [&svg(chart), &chart.summary] {
        assert!(!text.contains("NaN"), "NaN in {text}");
        assert!(!text.to_lowercase().contains("inf"), "infinity in {text}");
    }
}

fn root_tag(svg: &str) -> &str {
    &svg[..svg.find('>').expect("root tag")]
}

#[test]
fn every_chart_has_title_axis_labels_and_a_responsive_root() {
    let charts = [
        (
            trend(
                "Engagement by month",
                "Engagement rate (%)",
                &strings(&["2025-11", "2025-12", "2026-01"]),
                &[Some(4.0), Some(5.0), Some(6.0)],
                None,
            ),
            ["Period", "Engagement rate (%)"],
        ),
        (
            by_platform(
                "Engagement by platform",
                "Engagement rate (%)",
                &[("Instagram".to_string(), Some(4.0), None)],
            ),
            ["Platform", "Engagement rate (%)"],
        ),
        (
            budget(
                "Budget against actual",
                "Amount ($)",
                &[("Spring".to_string(), 100.0, 80.0)],
            ),
            ["Campaign", "Amount ($)"],
        ),
        (
            funnel("Conversion funnel", &[("Impressions".to_string(), 100.0)]),
            ["Stage", "Value (log scale)"],
        ),
        (
            scatter(
                "Cost against revenue",
                "Cost ($)",
                "Revenue ($)",
                &[("Ana".to_string(), 10.0, 30.0)],
                3.0,
            ),
            ["Cost ($)", "Revenue ($)"],
        ),
    ];
    for (chart, axes) in &charts {
        let svg = svg(chart);
        assert!(svg.starts_with("<svg "), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"));
        // Drawn at the export width, at its own size (the page lays the model out itself).
        let root = root_tag(&svg);
        assert!(root.contains(r#"viewBox="0 0 640 320""#), "{root}");
        assert!(root.contains(r#"width="640" height="320""#), "{root}");
        for axis in axes {
            assert!(svg.contains(&format!(">{axis}</text>")), "axis {axis}");
        }
        assert!(!svg.contains("No data"));
    }
    let titles = [
        "Engagement by month",
        "Engagement by platform",
        "Budget against actual",
        "Conversion funnel",
        "Cost against revenue",
    ];
    for ((chart, _), title) in charts.iter().zip(titles) {
        assert!(svg(chart).contains(&format!("<title>{title}</title>")));
        assert!(
            svg(chart).contains(&format!(">{title}</text>")),
            "drawn title"
        );
    }
}

#[test]
fn trend_shows_every_category_label() {
    let chart = trend(
        "Trend",
        "Posts",
        &strings(&["Mon", "Tue", "Wed"]),
        &[Some(1.0), Some(2.0), Some(3.0)],
        None,
    );
    for day in ["Mon", "Tue", "Wed"] {
        assert!(svg(&chart).contains(&format!(">{day}</text>")), "{day}");
    }
    // One series only: no legend (the axis title is the only "Posts").
    assert_eq!(svg(&chart).matches(">Posts</text>").count(), 1);
    assert_eq!(chart.model.plot.as_ref().map(|p| p.series.len()), Some(1));
}

#[test]
fn hostile_labels_are_escaped_once_in_the_svg_and_kept_raw_in_the_table() {
    for chart in every_kind(HOSTILE) {
        assert!(!svg(&chart).contains("<img"), "{}", svg(&chart));
        assert!(svg(&chart).contains("&lt;img src=x"), "{}", svg(&chart));
        assert!(!svg(&chart).contains("&amp;lt;"), "double escaped");
        // The full label in the aria-label summary.
        assert!(svg(&chart).contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(chart.table.iter().any(|row| row[0] == HOSTILE));
    }
    for chart in every_kind(AMPERSAND) {
        assert!(
            svg(&chart).contains("A&amp;B &quot;C&quot;"),
            "{}",
            svg(&chart)
        );
        assert!(!svg(&chart).contains("A&B") && !svg(&chart).contains("&amp;amp;"));
    }
    for chart in every_kind(FORMULA) {
        assert!(svg(&chart).contains("=HYPERLINK(&quot;x&quot;)"));
        assert!(!svg(&chart).contains("\"x\""));
    }
}

#[test]
fn hostile_titles_and_axis_labels_are_escaped() {
    let chart = trend(HOSTILE, HOSTILE, &strings(&["a"]), &[Some(1.0)], None);
    assert!(!svg(&chart).contains("<img"));
    assert!(svg(&chart).contains("<title>&lt;img src=x onerror=alert(1)&gt;</title>"));
    let empty = budget(HOSTILE, "Amount", &[]);
    assert!(!svg(&empty).contains("<img"));
}

#[test]
fn empty_input_gives_a_small_no_data_svg() {
    let no_values = [None, None];
    let charts = [
        trend("T", "Rate (%)", &[], &[], None),
        trend(
            "T",
            "Rate (%)",
            &strings(&["a", "b"]),
            &no_values,
            Some((1.0, 2.0)),
        ),
        by_platform("P", "Rate (%)", &[]),
        by_platform("P", "Rate (%)", &[("TikTok".to_string(), None, None)]),
        budget("B", "Amount ($)", &[]),
        funnel("F", &[]),
        funnel("F", &[("Impressions".to_string(), 0.0)]),
        scatter("S", "Cost ($)", "Revenue ($)", &[], 3.0),
    ];
    for chart in &charts {
        assert!(svg(chart).contains("No data"), "{}", svg(chart));
        assert!(svg(chart).starts_with("<svg ") && svg(chart).trim_end().ends_with("</svg>"));
        assert!(svg(chart).len() < 1200, "small: {}", svg(chart).len());
        assert!(chart.summary.ends_with(": no data"), "{}", chart.summary);
        assert!(!chart.table.is_empty(), "the header row stays");
        assert_clean_numbers(chart);
    }
    // Periods without values are still listed in the text alternative.
    assert_eq!(
        charts[1].table,
        table(&[
            &["Period", "Rate (%)"],
            &["a", "no data"],
            &["b", "no data"]
        ])
    );
    assert_eq!(charts[4].table.len(), 1);
}

#[test]
fn missing_values_are_gaps_not_zeros() {
    let chart = trend(
        "Trend",
        "Views",
        &strings(&["1", "2", "3", "4", "5"]),
        &[Some(10.0), Some(20.0), None, Some(30.0), Some(40.0)],
        None,
    );
    let line = format!(r#"stroke="{PRIMARY}" stroke-width="2" points="#);
    // Two line pieces (1–2 and 4–5), four markers, nothing drawn at 3.
    assert_eq!(svg(&chart).matches(&line).count(), 2, "{}", svg(&chart));
    assert_eq!(svg(&chart).matches("<circle").count(), 4);
    assert!(chart.summary.contains("1 of 5 periods have no data"));
    assert_eq!(chart.table[3], strings(&["3", "no data"]));

    let platforms = by_platform(
        "Platforms",
        "Rate (%)",
        &[
            ("A".to_string(), Some(4.0), None),
            ("B".to_string(), None, None),
            ("C".to_string(), Some(6.0), None),
        ],
    );
    // Two bars, no legend (one series): B has no bar rather than a zero-height one.
    let bar = format!(r#"fill="{PRIMARY}""#);
    assert_eq!(
        svg(&platforms).matches(&bar).count(),
        2,
        "{}",
        svg(&platforms)
    );
    assert_eq!(platforms.table[2], strings(&["B", "no data", "", ""]));
}

#[test]
fn target_band_is_shaded_when_given() {
    let labels = strings(&["a", "b"]);
    let values = [Some(4.0), Some(5.0)];
    let with_band = trend("T", "Rate (%)", &labels, &values, Some((8.0, 5.0)));
    let band_rect = format!(r#"fill="{BAND}" fill-opacity="0.2""#);
    // The band rect plus its legend marker.
    assert_eq!(
        svg(&with_band).matches(&band_rect).count(),
        2,
        "{}",
        svg(&with_band)
    );
    assert!(svg(&with_band).contains(">Target band</text>"));
    // Reversed bounds are ordered: 5–8.
    assert!(with_band.summary.ends_with("; target band 5–8%"));
    let without = trend("T", "Rate (%)", &labels, &values, None);
    assert!(!svg(&without).contains(BAND));

    let platforms = by_platform(
        "P",
        "Rate (%)",
        &[
            ("A".to_string(), Some(4.0), Some((3.0, 6.0))),
            ("B".to_string(), Some(4.0), None),
        ],
    );
    assert_eq!(svg(&platforms).matches(&band_rect).count(), 2);
    assert!(svg(&platforms).contains(">Target band</text>"));
}

#[test]
fn trend_summary_and_table() {
    let chart = trend(
        "Engagement rate by month",
        "Engagement rate (%)",
        &strings(&["2025-11", "2025-12", "2026-01"]),
        &[Some(4.1), None, Some(6.3)],
        Some((5.0, 8.0)),
    );
    assert_eq!(
        chart.summary,
        "Engagement rate by month, from 4.1% in 2025-11 to 6.3% in 2026-01; \
         1 of 3 periods have no data; target band 5–8%"
    );
    assert_eq!(
        chart.table,
        table(&[
            &["Period", "Engagement rate (%)"],
            &["2025-11", "4.1"],
            &["2025-12", "no data"],
            &["2026-01", "6.3"],
        ])
    );
    let single = trend("Views", "Views", &strings(&["W1"]), &[Some(1234.5)], None);
    assert_eq!(single.summary, "Views: 1,234.5 in W1");
}

#[test]
fn by_platform_summary_and_table() {
    let chart = by_platform(
        "Engagement rate by platform",
        "Engagement rate (%)",
        &[
            ("Instagram".to_string(), Some(4.5), Some((3.0, 6.0))),
            ("TikTok".to_string(), Some(7.0), Some((8.0, 10.0))),
            ("YouTube".to_string(), None, None),
        ],
    );
    // 3 ≤ 4.5 ≤ 6 → within; 7 < 8 → below.
    assert_eq!(
        chart.summary,
        "Engagement rate by platform: Instagram 4.5% (within target 3–6%), \
         TikTok 7% (below target 8–10%), YouTube no data"
    );
    assert_eq!(
        chart.table,
        table(&[
            &[
                "Platform",
                "Engagement rate (%)",
                "Target band (%)",
                "Against target"
            ],
            &["Instagram", "4.5", "3–6", "within"],
            &["TikTok", "7", "8–10", "below"],
            &["YouTube", "no data", "", ""],
        ])
    );
}

#[test]
fn budget_summary_and_table() {
    let chart = budget(
        "Budget against actual",
        "Amount ($)",
        &[
            ("Spring".to_string(), 10_000.0, 8_000.0),
            ("Summer".to_string(), 5_000.0, 5_500.0),
            ("Draft".to_string(), 0.0, 0.0),
        ],
    );
    // Spring 8,000 / 10,000 = 80%; Summer 5,500 / 5,000 = 110%; Draft: budget 0 → n/a.
    // Totals: budget 15,000, spend 13,500 → 13,500 / 15,000 = 90%.
    assert_eq!(
        chart.summary,
        "Budget against actual: 3 campaigns, total budget $15,000, actual spend $13,500 \
         (90% of budget); over budget: Summer (110%)"
    );
    assert_eq!(
        chart.table,
        table(&[
            &[
                "Campaign",
                "Budget ($)",
                "Actual spend ($)",
                "Spent of budget (%)"
            ],
            &["Spring", "10,000", "8,000", "80"],
            &["Summer", "5,000", "5,500", "110"],
            &["Draft", "0", "0", "n/a"],
        ])
    );
    // Two series: a legend with both names.
    assert!(svg(&chart).contains(">Budget</text>") && svg(&chart).contains(">Actual spend</text>"));
}

#[test]
fn funnel_summary_table_and_labels() {
    let chart = funnel(
        "Funnel",
        &[
            ("Impressions".to_string(), 1_000_000.0),
            ("Clicks".to_string(), 20_000.0),
            ("Conversions".to_string(), 500.0),
            ("Revenue".to_string(), 25_000.0),
        ],
    );
    // 20,000 / 1,000,000 = 2%; 500 / 20,000 = 2.5%; 25,000 / 500 = 50 (revenue per conversion).
    assert_eq!(
        chart.summary,
        "Funnel: Impressions: 1,000,000; Clicks: 20,000 (2% of Impressions); \
         Conversions: 500 (2.5% of Clicks); Revenue: 25,000 (50 per conversion)"
    );
    assert_eq!(
        chart.table,
        table(&[
            &["Stage", "Value", "From previous stage"],
            &["Impressions", "1,000,000", ""],
            &["Clicks", "20,000", "2% of Impressions"],
            &["Conversions", "500", "2.5% of Clicks"],
            &["Revenue", "25,000", "50 per conversion"],
        ])
    );
    assert!(svg(&chart).contains(">Clicks: 20,000 (2% of Impressions)</text>"));
    let after_zero = funnel(
        "F",
        &[
            ("Impressions".to_string(), 0.0),
            ("Clicks".to_string(), 5.0),
        ],
    );
    assert_eq!(after_zero.table[2][2], "n/a: no Impressions");
}

#[test]
fn scatter_summary_table_and_target_line() {
    let chart = scatter(
        "Creators",
        "Cost ($)",
        "Revenue ($)",
        &[
            ("Ana".to_string(), 1_000.0, 5_000.0),
            ("Bo".to_string(), 2_000.0, 3_000.0),
            ("Cy".to_string(), 500.0, 0.0),
            ("Dee".to_string(), 0.0, 100.0),
        ],
        3.0,
    );
    // ROAS: Ana 5,000 / 1,000 = 5; Bo 3,000 / 2,000 = 1.5; Cy 0 / 500 = 0; Dee cost 0 → n/a.
    assert_eq!(
        chart.summary,
        "Creators: 4 creators; 1 at or above the ROAS target of 3× (Ana); highest ROAS: Ana (5×)"
    );
    assert_eq!(
        chart.table,
        table(&[
            &["Creator", "Cost ($)", "Revenue ($)", "ROAS"],
            &["Ana", "1,000", "5,000", "5"],
            &["Bo", "2,000", "3,000", "1.5"],
            &["Cy", "500", "0", "0"],
            &["Dee", "0", "100", "n/a"],
        ])
    );
    assert!(svg(&chart).contains(">ROAS = 3× (target)</text>"));
    assert_eq!(
        svg(&chart).matches(&format!(r#"stroke="{BAND}""#)).count(),
        2
    );
    let no_target = scatter(
        "C",
        "Cost",
        "Revenue",
        &[("Ana".to_string(), 1.0, 2.0)],
        0.0,
    );
    assert!(!svg(&no_target).contains(BAND) && !no_target.summary.contains("target"));
}

#[test]
fn extreme_inputs_never_produce_nan_or_infinity() {
    let huge = [
        0.0,
        1e15,
        1e300,
        f64::MAX,
        -f64::MAX,
        f64::NAN,
        f64::INFINITY,
    ];
    let labels: Vec<String> = (0..huge.len()).map(|i| format!("p{i}")).collect();
    let as_options: Vec<Option<f64>> = huge.iter().map(|v| Some(*v)).collect();
    let mut charts = vec![
        trend("T", "Rate", &labels, &as_options, Some((f64::NAN, 1.0))),
        trend(
            "T",
            "Rate",
            &labels,
            &as_options,
            Some((-f64::MAX, f64::MAX)),
        ),
        trend("T", "Rate", &labels[..3], &[Some(7.0); 3], None),
        trend("T", "Rate", &labels[..3], &[Some(0.0); 3], None),
        trend(
            "T",
            "Rate",
            &labels[..2],
            &[Some(1e-300), Some(2e-300)],
            None,
        ),
    ];
    // Labels are built from indices: a label like "rNaN" would trip the NaN check itself.
    let rows: Vec<_> = huge
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("r{i}"), Some(*v), Some((*v, *v))))
        .collect();
    charts.push(by_platform("P", "Rate", &rows));
    let zero_rows = [
        ("a".to_string(), Some(0.0), Some((0.0, 0.0))),
        ("b".to_string(), Some(0.0), None),
    ];
    charts.push(by_platform("P", "Rate", &zero_rows));
    let pairs: Vec<_> = huge
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("c{i}"), *v, *v))
        .collect();
    let equal = |v: f64| vec![("a".to_string(), v, v), ("b".to_string(), v, v)];
    charts.push(budget("B", "Amount", &pairs));
    charts.push(budget("B", "Amount", &equal(0.0)));
    charts.push(budget("B", "Amount", &[("a".to_string(), -5.0, 5.0)]));
    let stages: Vec<_> = pairs
        .iter()
        .map(|(name, v, _)| (name.clone(), *v))
        .collect();
    charts.push(funnel("F", &stages));
    charts.push(funnel(
        "F",
        &[("a".to_string(), 5.0), ("b".to_string(), 5.0)],
    ));
    charts.push(funnel(
        "F",
        &[("a".to_string(), 1e-300), ("b".to_string(), 1e300)],
    ));
    charts.push(scatter("S", "Cost", "Revenue", &pairs, 3.0));
    charts.push(scatter("S", "Cost", "Revenue", &equal(0.0), f64::NAN));
    charts.push(scatter("S", "Cost", "Revenue", &equal(1e300), 1e300));
    for chart in &charts {
        assert_clean_numbers(chart);
        assert!(svg(chart).starts_with("<svg "));
        for row in &chart.table {
            assert!(row
                .iter()
                .all(|cell| !cell.contains("NaN") && !cell.contains("inf")));
        }
    }
}

#[test]
fn svg_file_is_a_standalone_sized_document_with_its_provenance() {
    let chart = budget(
        "Budgets",
        "Amount ($)",
        &[("Spring".to_string(), 100.0, 80.0)],
    );
    let file = svg_file(
        &chart,
        "ER by reach; EMV: CPM $5; USD; 2026-01-01 to 2026-01-31 <&>",
    );
    assert!(file.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "));
    let root = root_tag(&file["<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".len()..]);
    assert!(root.contains(r#"width="640" height="320""#), "{root}");
    assert!(file.contains(
        "<desc>ER by reach; EMV: CPM $5; USD; 2026-01-01 to 2026-01-31 &lt;&amp;&gt;</desc>"
    ));
    assert!(file.contains("<title>Budgets</title>") && file.trim_end().ends_with("</svg>"));
}

/// The marks of a chart as `(label, value, share)`.
fn marks(chart: &Chart) -> Vec<(String, String, String)> {
    let plot = chart.model.plot.as_ref().expect("a plot");
    plot.marks
        .iter()
        .map(|m| (m.label.clone(), m.value.clone(), m.share.clone()))
        .collect()
}

fn triples(items: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    items
        .iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn every_bar_and_point_states_its_value_and_share() {
    let chart = budget(
        "Budget against actual",
        "Amount ($)",
        &[
            ("Spring".to_string(), 10_000.0, 8_000.0),
            ("Summer".to_string(), 5_000.0, 5_500.0),
        ],
    );
    // Budgets 10,000 + 5,000 = 15,000: 10,000 / 15,000 = 66.67%, 5,000 / 15,000 = 33.33%.
    // Spend 8,000 + 5,500 = 13,500: 8,000 / 10,000 = 80% of its budget, 8,000 / 13,500 = 59.26%;
    // 5,500 / 5,000 = 110%, 5,500 / 13,500 = 40.74%.
    assert_eq!(
        marks(&chart),
        triples(&[
            ("Spring, budget", "$10,000", "66.67% of the total budget"),
            (
                "Spring, actual spend",
                "$8,000",
                "80% of its budget, 59.26% of total spend"
            ),
            ("Summer, budget", "$5,000", "33.33% of the total budget"),
            (
                "Summer, actual spend",
                "$5,500",
                "110% of its budget, 40.74% of total spend"
            ),
        ])
    );
    let plot = chart.model.plot.as_ref().unwrap();
    assert_eq!(
        plot.marks[0].accessible_name(),
        "Spring, budget: $10,000; 66.67% of the total budget"
    );

    let platforms = by_platform(
        "P",
        "Engagement rate (%)",
        &[
            ("Instagram".to_string(), Some(4.5), Some((3.0, 6.0))),
            ("YouTube".to_string(), None, None),
            ("TikTok".to_string(), Some(7.0), None),
        ],
    );
    // A rate has no share of a sum: it says where it stands against its band (3 ≤ 4.5 ≤ 6).
    // YouTube has no value: no mark at all (a gap, not a zero bar).
    assert_eq!(
        marks(&platforms),
        triples(&[
            ("Instagram", "4.5%", "within target 3–6%"),
            ("TikTok", "7%", ""),
        ])
    );

    let views = trend(
        "Views",
        "Views (count)",
        &strings(&["W1", "W2", "W3"]),
        &[Some(100.0), None, Some(300.0)],
        None,
    );
    // Counts add up: 100 + 300 = 400; 100 / 400 = 25%, 300 / 400 = 75%. W2 has no point.
    assert_eq!(
        marks(&views),
        triples(&[
            ("W1", "100 count", "25% of the total over these periods"),
            ("W3", "300 count", "75% of the total over these periods"),
        ])
    );
    let rate = trend(
        "ER",
        "Engagement rate (%)",
        &strings(&["W1", "W2"]),
        &[Some(4.1), Some(5.3)],
        None,
    );
    // A rate moves: 5.3 − 4.1 = 1.2 points.
    assert_eq!(
        marks(&rate)[1],
        (
            "W2".to_string(),
            "5.3%".to_string(),
            "up 1.2 points from W1".to_string()
        )
    );

    let funnel_chart = funnel(
        "F",
        &[
            ("Impressions".to_string(), 1_000_000.0),
            ("Clicks".to_string(), 20_000.0),
        ],
    );
    // 20,000 / 1,000,000 = 2%.
    assert_eq!(
        marks(&funnel_chart),
        triples(&[
            ("Impressions", "1,000,000", ""),
            ("Clicks", "20,000", "2% of Impressions"),
        ])
    );

    let creators = scatter(
        "C",
        "Cost ($)",
        "Revenue ($)",
        &[
            ("Ana".to_string(), 1_000.0, 3_000.0),
            ("Bo".to_string(), 500.0, 1_000.0),
        ],
        3.0,
    );
    // Revenue 3,000 + 1,000 = 4,000: Ana 75%, Bo 25%; ROAS 3,000 / 1,000 = 3, 1,000 / 500 = 2.
    assert_eq!(
        marks(&creators),
        triples(&[
            (
                "Ana",
                "cost $1,000, revenue $3,000, ROAS 3×",
                "75% of total revenue"
            ),
            (
                "Bo",
                "cost $500, revenue $1,000, ROAS 2×",
                "25% of total revenue"
            ),
        ])
    );
    assert!(matches!(
        creators.model.plot.as_ref().unwrap().marks[0].shape,
        Shape::Point { x, y } if x == 1_000.0 && y == 3_000.0
    ));
}

#[test]
fn marks_keep_user_labels_raw_with_unique_keys() {
    for chart in every_kind(HOSTILE) {
        let plot = chart.model.plot.as_ref().expect("a plot");
        assert!(plot.marks.iter().any(|m| m.label.contains(HOSTILE)));
        let mut keys: Vec<&str> = plot.marks.iter().map(|m| m.key.as_str()).collect();
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), count, "unique keys");
    }
}

#[test]
fn layout_fits_phone_and_desktop_widths_with_readable_text() {
    let many_periods: Vec<String> = (1..=52).map(|w| format!("2026-W{w:02}")).collect();
    let values: Vec<Option<f64>> = (0..52).map(|i| Some(i as f64)).collect();
    let mut charts = every_kind("A rather long creator or campaign name");
    charts.push(trend("T", "Rate (%)", &many_periods, &values, None));
    for chart in &charts {
        for width in [300.0, 358.0, 440.0, 1440.0] {
            let frame = chart.model.layout(width, false);
            assert_eq!(frame.width, width);
            for text in &frame.texts {
                assert!(text.size >= MIN_TEXT, "{} px: {:?}", width, text);
                assert!(
                    text.x >= 0.0 && text.x <= width && text.y >= 0.0 && text.y <= frame.height,
                    "{width} px: {text:?} outside"
                );
            }
            // No title or drawn legend on the page: the figure shows both in HTML.
            assert!(frame
                .texts
                .iter()
                .all(|t| !matches!(t.kind, TextKind::Title | TextKind::Legend)));
            let plot = frame.plot;
            assert!(plot.x >= 0.0 && plot.x + plot.w <= width && plot.y + plot.h <= frame.height);
            assert_eq!(
                frame.marks.len(),
                chart.model.plot.as_ref().unwrap().marks.len()
            );
        }
    }
    // 52 weekly labels at phone width: only every few are drawn, none cut to nothing.
    let frame = charts.last().unwrap().model.layout(358.0, false);
    let ticks: Vec<&str> = frame
        .texts
        .iter()
        .filter(|t| t.kind == TextKind::Tick && t.text.contains("W"))
        .map(|t| t.text.as_str())
        .collect();
    assert!(ticks.len() >= 3 && ticks.len() < 52, "{ticks:?}");
}

#[test]
fn a_one_sided_target_is_a_line_not_an_empty_band() {
    let labels = strings(&["a", "b"]);
    let chart = trend(
        "T",
        "ROAS (×)",
        &labels,
        &[Some(2.0), Some(4.0)],
        Some((3.0, 3.0)),
    );
    let svg = svg(&chart);
    // The two-point target line at 3 and its legend swatch, no shaded rect.
    let target_line = format!(r#"<polyline fill="none" stroke="{BAND}""#);
    assert_eq!(svg.matches(&target_line).count(), 1, "{svg}");
    assert!(svg.contains(">Target</text>"));
    assert!(!svg.contains("fill-opacity"));
    // "×" is a multiple, not a currency: 2×, not ×2.
    assert_eq!(chart.summary, "T, from 2× in a to 4× in b; target 3×");
}
