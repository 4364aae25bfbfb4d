//! Compact measure columns: whole numbers kept in the narrowest of u8/u16/u32 and
//! promoted to f64 only when a value needs it, absent rows as a bitset. A present 0 and
//! an absent cell stay different everywhere (the column, the sums, the KPIs, a packed
//! copy), and the engine gives the same results whatever the columns' kinds.

use kpi_dash::data::calendar::Granularity;
use kpi_dash::data::ingest::{load, LoadOptions};
use kpi_dash::data::packed::{pack, unpack, FORMAT};
use kpi_dash::data::schema::{Measure, MEASURE_COUNT};
use kpi_dash::data::store::{ColumnKind, ColumnValues, MeasureColumn, Workspace};
use kpi_dash::metrics::engine::{compute, Dimension, Filter};
use kpi_dash::metrics::registry::KpiId;
use kpi_dash::metrics::settings::Settings;

fn values(c: &MeasureColumn) -> Vec<Option<f64>> {
    (0..c.len()).map(|i| c.get(i)).collect()
}

#[test]
fn whole_numbers_take_the_narrowest_kind_and_widen_when_needed() {
    let mut c = MeasureColumn::default();
    c.push(0.0);
    c.push(255.0);
    assert_eq!(c.kind(), ColumnKind::U8);
    c.push(256.0);
    assert_eq!(c.kind(), ColumnKind::U16);
    c.push(65_536.0);
    assert_eq!(c.kind(), ColumnKind::U32);
    c.push(4_294_967_295.0);
    assert_eq!(c.kind(), ColumnKind::U32);
    assert_eq!(
        values(&c),
        [0.0, 255.0, 256.0, 65_536.0, 4_294_967_295.0].map(Some)
    );
    // Past u32::MAX, a fraction, a negative number and -0 each need an f64.
    for v in [4_294_967_296.0, 2.5, -1.0, -0.0] {
        let mut c = MeasureColumn::default();
        c.push(1.0);
        c.push(v);
        assert_eq!(c.kind(), ColumnKind::F64, "{v}");
        assert_eq!(c.get(1).map(f64::to_bits), Some(v.to_bits()), "{v}");
        assert_eq!(c.get(0), Some(1.0));
    }
}

#[test]
fn a_present_zero_is_not_an_absent_cell() {
    let mut c = MeasureColumn::default();
    c.push(0.0);
    c.push_absent();
    c.push(f64::NAN); // NaN is how a reader says "no value"
    c.push_value(Some(7.0));
    c.push_value(None);
    assert_eq!(values(&c), [Some(0.0), None, None, Some(7.0), None]);
    // Two rows have a value (0 and 7), Σ = 0 + 7 = 7.
    assert_eq!((c.present_rows(), c.sum()), (2, 7.0));
    // Setting a value makes a row present; setting none makes it absent and its stored
    // value 0, so a sum over the stored values still adds nothing for it.
    c.set(1, Some(3.5));
    c.set(3, None);
    assert_eq!(c.kind(), ColumnKind::F64);
    assert_eq!(values(&c), [Some(0.0), Some(3.5), None, None, None]);
    // Σ = 0 + 3.5 = 3.5 over 2 rows.
    assert_eq!((c.present_rows(), c.sum()), (2, 3.5));
    assert_eq!(c.to_f64s()[0], 0.0);
    assert!(c.to_f64s()[2].is_nan());
}

#[test]
fn padding_and_appending_keep_absence_across_word_boundaries() {
    for start in [0usize, 5, 31, 32, 33, 64] {
        let mut c = MeasureColumn::default();
        for i in 0..start {
            c.push(i as f64);
        }
        c.resize(start + 70, f64::NAN);
        assert_eq!(c.len(), start + 70);
        assert_eq!(c.present_rows(), start, "start {start}");
        assert!((0..start).all(|i| c.get(i) == Some(i as f64)));
        assert!((start..start + 70).all(|i| c.get(i).is_none()));
        c.resize(start, f64::NAN);
        assert!(!c.any_absent(), "start {start}");
    }
    // Appending a column with gaps at every offset: each row keeps what it had.
    for offset in [0usize, 1, 31, 32, 40] {
        let mut a = MeasureColumn::default();
        let mut expected = Vec::new();
        for i in 0..offset {
            let v = (i % 3 != 0).then_some(i as f64);
            a.push_value(v);
            expected.push(v);
        }
        let mut b = MeasureColumn::default();
        for i in 0..100 {
            let v = (i % 7 != 2).then_some(1_000.0 + i as f64);
            b.push_value(v);
            expected.push(v);
        }
        a.extend_from_slice(&b);
        assert_eq!(a.kind(), ColumnKind::U16);
        assert_eq!(values(&a), expected, "offset {offset}");
    }
}

#[test]
fn damaged_parts_are_refused() {
    // A bit past the rows, an absent row holding a value, a non-finite f64.
    assert!(MeasureColumn::from_parts(ColumnValues::U8(vec![1, 2]), vec![0b100]).is_none());
    assert!(MeasureColumn::from_parts(ColumnValues::U8(vec![1, 2]), vec![0b10]).is_none());
    assert!(MeasureColumn::from_parts(ColumnValues::F64(vec![f64::INFINITY]), vec![]).is_none());
    assert!(MeasureColumn::from_parts(ColumnValues::U8(vec![1]), vec![0, 1]).is_none());
    let c = MeasureColumn::from_parts(ColumnValues::U8(vec![1, 0]), vec![0b10]).unwrap();
    assert_eq!(values(&c), [Some(1.0), None]);
}

/// Posts whose counts are whole numbers, with a blank and a 0 in the same columns, and
/// revenue with cents.
const POSTS: &str = "\
platform,date,post_id,campaign_id,impressions,likes,comments,shares,saves,reach,revenue,cost
instagram,2025-01-01,p1,C1,70000,100,0,5,5,1000,12.50,10
instagram,2025-01-02,p2,C1,300,0,,0,5,,0,20
tiktok,2025-01-03,p3,C2,,30,3,2,5,0,100000,0
tiktok,2025-01-04,p4,C2,1000,8,8,,8,500,,30
";

fn workspace() -> Workspace {
    let mut ws = Workspace::default();
    let report = load(
        &mut ws,
        "posts.csv",
        POSTS.as_bytes(),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!((report.rows_read, report.rows_used), (4, 4));
    ws
}

#[test]
fn loaded_columns_are_compact_and_keep_blanks_apart_from_zeros() {
    let ws = workspace();
    let p = &ws.posts;
    let kind = |m: Measure| p.column(m as usize).map(MeasureColumn::kind);
    assert_eq!(kind(Measure::Impressions), Some(ColumnKind::U32)); // 70,000 > 65,535
    assert_eq!(kind(Measure::Reach), Some(ColumnKind::U16)); // 1,000
    assert_eq!(kind(Measure::Likes), Some(ColumnKind::U8));
    assert_eq!(kind(Measure::Revenue), Some(ColumnKind::F64)); // 12.50
    assert_eq!(kind(Measure::Clicks), None);
    let col = |m: Measure| (0..4).map(|i| p.value(m as usize, i)).collect::<Vec<_>>();
    assert_eq!(
        col(Measure::Comments),
        [Some(0.0), None, Some(3.0), Some(8.0)]
    );
    assert_eq!(
        col(Measure::Reach),
        [Some(1000.0), None, Some(0.0), Some(500.0)]
    );
    // Σ revenue = 12.5 + 0 + 100,000 = 100,012.5 over the 3 rows that have it.
    assert_eq!(p.sum(Measure::Revenue), 100_012.5);
    assert_eq!(p.rows_with(Measure::Revenue), 3);
    // Σ impressions = 70,000 + 300 + 1,000 = 71,300 over 3 rows.
    assert_eq!(p.sum(Measure::Impressions), 71_300.0);
    assert_eq!(p.rows_with(Measure::Impressions), 3);
    // The measure columns of 4 rows: far below 8 bytes a value.
    let measure_bytes: usize = p.measures.iter().map(MeasureColumn::heap_bytes).sum();
    let present = (0..MEASURE_COUNT).filter(|&m| p.present[m]).count();
    assert!(measure_bytes < present * 4 * 8, "{measure_bytes} bytes");
}

#[test]
fn the_engine_gives_the_same_results_whatever_the_kinds() {
    let ws = workspace();
    // The same workspace with every column as f64.
    let mut wide = ws.clone();
    for column in &mut wide.posts.measures {
        let f64s: Vec<f64> = (0..column.len())
            .map(|i| column.get(i).unwrap_or(0.0))
            .collect();
        let (_, absent) = column.clone().into_parts();
        *column = MeasureColumn::from_parts(ColumnValues::F64(f64s), absent).unwrap();
    }
    wide.posts.invalidate_index();
    let settings = Settings::default();
    let by_platform = Filter {
        platforms: vec!["tiktok".into()],
        ..Filter::default()
    };
    for filter in [Filter::default(), by_platform] {
        let (a, b) = (
            compute(&ws, &filter, &settings, Granularity::Day),
            compute(&wide, &filter, &settings, Granularity::Day),
        );
        assert_eq!(a, b);
    }
    let results = compute(&ws, &Filter::default(), &settings, Granularity::Day);
    // Impressions: 70,000 + 300 + 1,000 = 71,300 (p3's blank is not a 0).
    assert_eq!(
        results.overall.get(KpiId::Impressions).value(),
        Some(71_300.0)
    );
    let sums = &results.overall_sums;
    assert_eq!(sums.total(Measure::Revenue), Some(100_012.5));
    // TikTok: impressions of p4 only (p3's is blank) = 1,000.
    let tiktok = results
        .groups
        .iter()
        .find(|g| g.dimension == Dimension::Platform && g.key == "tiktok")
        .unwrap();
    assert_eq!(tiktok.kpis.get(KpiId::Impressions).value(), Some(1_000.0));
}

#[test]
fn a_packed_copy_keeps_kinds_and_absence() {
    let ws = workspace();
    ws.posts.key_index();
    let back = unpack(pack(ws.clone())).unwrap();
    for m in 0..MEASURE_COUNT {
        assert_eq!(back.posts.measures[m], ws.posts.measures[m], "measure {m}");
    }
    assert!(back.posts.cached_index().is_some());
    let header: serde_json::Value = serde_json::from_str(&pack(ws).header).unwrap();
    assert_eq!(header["format"], FORMAT);
}

/// A format-1 copy (what an earlier version remembered: every measure as f64, NaN for
/// absent, no format number) made from a format-2 one.
fn as_format_one(ws: &Workspace) -> kpi_dash::data::packed::Packed {
    let mut packed = pack(ws.clone());
    let mut header: serde_json::Value = serde_json::from_str(&packed.header).unwrap();
    let map = header.as_object_mut().unwrap();
    map.remove("format");
    map.remove("columns");
    packed.header = header.to_string();
    packed.u32s.truncate(6);
    packed.bytes.truncate(3);
    packed.f64s = (0..MEASURE_COUNT)
        .filter(|&m| ws.posts.present[m])
        .map(|m| ws.posts.measure(Measure::ALL[m]).to_vec())
        .collect();
    packed
}

#[test]
fn a_remembered_format_one_copy_is_converted_and_a_newer_one_refused() {
    let ws = workspace();
    let back = unpack(as_format_one(&ws)).expect("format 1 converts");
    for m in 0..MEASURE_COUNT {
        assert_eq!(back.posts.measures[m], ws.posts.measures[m], "measure {m}");
    }
    assert_eq!(
        compute(
            &back,
            &Filter::default(),
            &Settings::default(),
            Granularity::Week
        ),
        compute(
            &ws,
            &Filter::default(),
            &Settings::default(),
            Granularity::Week
        )
    );
    let mut newer = pack(ws);
    let mut header: serde_json::Value = serde_json::from_str(&newer.header).unwrap();
    header["format"] = 3.into();
    newer.header = header.to_string();
    let err = unpack(newer).map(|_| ()).unwrap_err().to_string();
    assert_eq!(
        err,
        "the workspace was packed in format 3, and this version of the app reads formats 1 and 2"
    );
}

#[test]
fn a_damaged_compact_column_is_an_error() {
    let ws = workspace();
    // Likes (u8) is the first byte column after the post ids, captions and disclosures.
    let mut packed = pack(ws.clone());
    packed.bytes[3].pop();
    assert_eq!(
        unpack(packed).map(|_| ()).unwrap_err().to_string(),
        "bad measure column"
    );
    // Comments' bitset (p2 is blank) says row 0 is absent too, where a 0 is stored:
    // refused only if the stored value is not 0, so mark row 2 (3 comments) instead.
    let mut packed = pack(ws);
    let last = packed.u32s.len() - 1;
    let bitsets: Vec<usize> = (6..=last).filter(|&i| packed.u32s[i].len() == 1).collect();
    assert!(!bitsets.is_empty());
    for &i in &bitsets {
        packed.u32s[i][0] |= 1 << 2 | 1 << 3;
    }
    assert_eq!(
        unpack(packed).map(|_| ()).unwrap_err().to_string(),
        "bad measure column"
    );
}

/// A column built by every mix of pushes, padding, appending and setting holds what a
/// plain list of options holds, with the same bitset as the column pushed row by row.
#[test]
fn every_way_of_building_a_column_gives_the_same_column() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for round in 0..300 {
        let mut column = MeasureColumn::default();
        let mut model: Vec<Option<f64>> = Vec::new();
        for _ in 0..12 {
            match next(5) {
                0 | 1 => {
                    for _ in 0..next(80) {
                        let v = match next(4) {
                            0 => None,
                            1 => Some(next(300) as f64),
                            _ => Some(next(3) as f64),
                        };
                        column.push_value(v);
                        model.push(v);
                    }
                }
                2 => {
                    let rows = model.len() + next(70) as usize;
                    column.resize(rows, f64::NAN);
                    model.resize(rows, None);
                }
                3 => {
                    let mut other = MeasureColumn::default();
                    for _ in 0..next(90) {
                        let v = (next(3) != 0).then(|| next(70_000) as f64);
                        other.push_value(v);
                        model.push(v);
                    }
                    column.extend_from_slice(&other);
                }
                _ if !model.is_empty() => {
                    let i = next(model.len() as u64) as usize;
                    let v = (next(2) == 0).then_some(5.0);
                    column.set(i, v);
                    model[i] = v;
                }
                _ => {}
            }
            assert_eq!(values(&column), model, "round {round}");
        }
        let mut pushed = MeasureColumn::default();
        for &v in &model {
            pushed.push_value(v);
        }
        assert_eq!(column.absent_bits(), pushed.absent_bits(), "round {round}");
    }
}
