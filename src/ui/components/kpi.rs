//! The single KPI value renderer (carries the `data-kpi`/`data-value`/`data-group`
//! hooks everywhere) and the KPI card built on it.

use leptos::prelude::*;

use std::sync::Arc;

use crate::data::calendar::{Day, Granularity};
use crate::display::format::{coverage_attr, coverage_note, raw_number, raw_value, NumberStyle};
use crate::display::questions::Comparison;
use crate::display::sparkline::{describe, geometry, series, HEIGHT, WIDTH};
use crate::display::status::{card_class, tone};
use crate::metrics::engine::{Coverage, Dimension, KpiValue, Results};
use crate::metrics::registry::{KpiDef, KpiId};
use crate::metrics::targets::{effective_target, kpi_status, resolved_target, target_band};
use crate::metrics::trend::{trend, Trend};
use crate::metrics::variation::Variation;
use crate::ui::state::use_app;

use super::explain::EXPLAIN_HINT_ID;

/// `data-group` value for a group key.
pub fn group_attr(dimension: Dimension, key: &str) -> String {
    format!("{}:{key}", dimension.name())
}

/// One KPI value: formatted text plus the test hooks. n/a shows its reason.
#[component]
pub fn KpiValueView(
    def: &'static KpiDef,
    value: KpiValue,
    /// `"<dimension>:<key>"` when the value belongs to a group.
    #[prop(optional_no_strip)]
    group: Option<String>,
    /// The rows the value used, for KPIs computed from posts rows.
    #[prop(optional_no_strip)]
    coverage: Option<Coverage>,
    /// A fixed number style (a snapshot's, which has no app state); without it the
    /// app's style, followed live.
    #[prop(optional_no_strip)]
    style: Option<NumberStyle>,
) -> impl IntoView {
    let live = style.is_none().then(|| use_app().style);
    let raw = raw_value(&value);
    let na = value.value().is_none();
    let (kpi, place, watch) = (def.id, group.clone(), super::live::use_live());
    let changed = move || watch.and_then(|w| w.changed(kpi, place.as_deref()));
    let text = move || match (&style, live) {
        (Some(fixed), _) => fixed.kpi(&value, def.unit),
        (None, Some(live)) => live.with(|s| s.kpi(&value, def.unit)),
        (None, None) => String::new(),
    };
    view! {
        <span class="kpi-value" class:na=na data-kpi=def.id.as_str() data-value=raw data-group=group
            data-changed=changed
            data-coverage=coverage_attr(coverage) title=coverage_note(coverage)
            tabindex="0" role="button" aria-describedby=EXPLAIN_HINT_ID>
            {text}
        </span>
    }
}

/// A KPI value looked up by id.
#[component]
pub fn KpiById(
    id: KpiId,
    value: KpiValue,
    #[prop(optional_no_strip)] group: Option<String>,
    #[prop(optional_no_strip)] coverage: Option<Coverage>,
) -> impl IntoView {
    let def = id.def();
    view! { <KpiValueView def=def value=value group=group coverage=coverage/> }
}

/// A KPI card: name, value, target, status, trend against the compare period and the
/// glossary definition as tooltip and accessible description.
#[component]
pub fn KpiCard(
    def: &'static KpiDef,
    value: KpiValue,
    /// The trend against the compare period, the label of both windows and whether
    /// the change is within normal variation.
    trend: Option<(Trend, String, Option<Variation>)>,
    /// The scope's site AOV (the AOV target is relative to it).
    site_aov: Option<f64>,
    #[prop(optional_no_strip)] group: Option<String>,
    /// Extra line under the value (e.g. the engagement-rate denominator).
    #[prop(optional_no_strip)]
    note: Option<String>,
    /// The rows the value used, for KPIs computed from posts rows.
    #[prop(optional_no_strip)]
    coverage: Option<Coverage>,
) -> impl IntoView {
    let state = use_app();
    let desc_id = format!(
        "def-{}{}",
        def.id,
        group
            .as_deref()
            .map(|g| format!("-{}", g.replace([':', ' '], "-")))
            .unwrap_or_default()
    );
    let described_by = desc_id.clone();
    let status_value = value.clone();
    let status = Memo::new(move |_| {
        state
            .compute
            .with(|s| kpi_status(def, &status_value, s, site_aov))
    });
    let card_class = move || card_class(status.get(), def.direction);
    let target_text = move || {
        state.compute.with(|s| match effective_target(def, s) {
            Some(t) => format!("Target {}", state.style.with(|st| st.target(&t, def.unit))),
            None => "No target".into(),
        })
    };
    let coverage_line = coverage_note(coverage).filter(|_| value.value().is_some());
    let change = trend.as_ref().and_then(|(t, _, _)| t.change);
    let flag = trend
        .as_ref()
        .and_then(|(_, _, v)| *v)
        .filter(|_| change.is_some())
        .map(|v| variation_flag(&v));
    let trend_text = state.style.with_untracked(|s| s.change(change));
    let trend_class = format!(
        "kpi-trend {}",
        tone(trend.as_ref().and_then(|(t, _, _)| t.good))
    );
    let trend_label = if change.is_some() {
        format!("{trend_text} vs compare period")
    } else {
        trend_text
    };
    let trend_window = trend.as_ref().map(|(_, window, _)| window.clone());
    view! {
        <article class=card_class title=def.definition aria-describedby=described_by>
            <h3 class="kpi-name">{def.name}</h3>
            <p class="kpi-main">
                <KpiValueView def=def value=value group=group coverage=coverage/>
            </p>
            {coverage_line.map(|n| view! { <p class="kpi-coverage">{n}</p> })}
            {note.map(|n| view! { <p class="kpi-note">{n}</p> })}
            <p class="kpi-target">{target_text}</p>
            <p class=trend_class title=trend_window data-trend=crate::display::format::raw_number(change)>
                {trend_label}{flag}
            </p>
            <p id=desc_id class="visually-hidden">{def.definition}</p>
        </article>
    }
}

/// `<span class="variation" data-variation="normal|real|too_few_days">`: whether a
/// change is within the days' normal variation, in words, with z and the days as title.
pub fn variation_flag(v: &Variation) -> impl IntoView {
    view! {
        " "<span class="variation" data-variation=v.verdict.name() title=v.detail()>
            {v.verdict.words()}
        </span>
    }
}

/// The trend of a KPI in a comparison, with the comparison's label and the change's
/// variation flag.
pub fn kpi_trend(
    def: &KpiDef,
    comparison: Option<&Comparison>,
) -> Option<(Trend, String, Option<Variation>)> {
    comparison.map(|c| {
        let now = c.current.overall.get(def.id);
        let before = c.previous.overall.get(def.id);
        (
            trend(&now, &before, def.direction),
            c.label(),
            c.variation(def.id).copied(),
        )
    })
}

/// A KPI card that follows a view's answers: built once, then each of its parts (the
/// value and its hooks, status, target, trend, sparkline) is its own memo of
/// `results` and `comparison`, so a new answer patches text and attributes, not the
/// tree. The same hooks and classes as [`KpiCard`], plus `data-sparkline`.
#[component]
pub fn LiveKpiCard(
    def: &'static KpiDef,
    results: Memo<Arc<Results>>,
    comparison: Memo<Option<Arc<Comparison>>>,
    /// Extra line under the value (e.g. the engagement-rate denominator).
    #[prop(optional_no_strip)]
    note: Option<Signal<String>>,
) -> impl IntoView {
    let state = use_app();
    let watch = super::live::use_live();
    let id = def.id;
    let value = Memo::new(move |_| results.with(|r| r.overall.get(id)));
    let coverage = Memo::new(move |_| results.with(|r| r.overall.coverage(id)));
    let site_aov = Memo::new(move |_| results.with(|r| r.site_aov));
    let trend = Memo::new(move |_| comparison.with(|c| kpi_trend(def, c.as_deref())));
    let status = Memo::new(move |_| {
        let aov = site_aov.get();
        value.with(|v| state.compute.with(|s| kpi_status(def, v, s, aov)))
    });
    let text = move || value.with(|v| state.style.with(|s| s.kpi(v, def.unit)));
    let na = move || value.with(|v| v.value().is_none());
    let target_text = move || {
        state.compute.with(|s| match effective_target(def, s) {
            Some(t) => format!("Target {}", state.style.with(|st| st.target(&t, def.unit))),
            None => "No target".into(),
        })
    };
    let coverage_line = move || {
        let note = coverage_note(coverage.get()).filter(|_| !na())?;
        Some(view! { <p class="kpi-coverage">{note}</p> })
    };
    let change = move || trend.with(|t| t.as_ref().and_then(|(t, _, _)| t.change));
    let flag = move || {
        let v = trend.with(|t| t.as_ref().and_then(|(_, _, v)| *v))?;
        change().is_some().then(|| variation_flag(&v))
    };
    let trend_class = move || {
        let good = trend.with(|t| t.as_ref().and_then(|(t, _, _)| t.good));
        format!("kpi-trend {}", tone(good))
    };
    let trend_label = move || {
        let change = change();
        let text = state.style.with(|s| s.change(change));
        if change.is_some() {
            format!("{text} vs compare period")
        } else {
            text
        }
    };
    let trend_window = move || trend.with(|t| t.as_ref().map(|(_, window, _)| window.clone()));
    let desc_id = format!("def-{id}");
    let described_by = desc_id.clone();
    view! {
        <article class=move || card_class(status.get(), def.direction) title=def.definition
            aria-describedby=described_by>
            <h3 class="kpi-name">{def.name}</h3>
            <p class="kpi-main">
                <span class="kpi-value" class:na=na data-kpi=id.as_str()
                    data-value=move || value.with(raw_value)
                    data-changed=move || watch.and_then(|w| w.changed(id, None))
                    data-coverage=move || coverage_attr(coverage.get())
                    title=move || coverage_note(coverage.get())
                    tabindex="0" role="button" aria-describedby=EXPLAIN_HINT_ID>
                    {text}
                </span>
            </p>
            {coverage_line}
            {note.map(|n| view! { <p class="kpi-note">{n}</p> })}
            <p class="kpi-target">{target_text}</p>
            <p class=trend_class title=trend_window data-trend=move || raw_number(change())>
                {trend_label}{flag}
            </p>
            <Sparkline def=def results=results site_aov=site_aov/>
            <p id=desc_id class="visually-hidden">{def.definition}</p>
        </article>
    }
}

/// `[data-sparkline="<kpi id>"]`: the KPI over the periods of `results` (at their
/// granularity) with the target band, as a small SVG named in words for screen
/// readers. Built once; its path, band and name are patched when the answer changes.
#[component]
pub fn Sparkline(
    def: &'static KpiDef,
    results: Memo<Arc<Results>>,
    /// The scope's site AOV (the AOV target is relative to it).
    site_aov: Memo<Option<f64>>,
) -> impl IntoView {
    let state = use_app();
    let id = def.id;
    let series = Memo::new(move |_| {
        results.with(|r| {
            let points: Vec<(Day, Option<f64>)> = r
                .periods
                .iter()
                .map(|p| (p.start, p.kpis.get(id).value()))
                .collect();
            (series(&points, r.granularity), r.granularity)
        })
    });
    let band = Memo::new(move |_| {
        let aov = site_aov.get();
        state
            .compute
            .with(|s| resolved_target(def, s, aov))
            .and_then(target_band)
    });
    let drawn = Memo::new(move |_| series.with(|(values, _)| geometry(values, band.get())));
    let label = move || {
        series.with(|(values, granularity): &(Vec<Option<f64>>, Granularity)| {
            let words = state
                .style
                .with(|s| describe(values, *granularity, |v| s.value(v, def.unit)));
            format!("{}: {words}", def.name)
        })
    };
    let band_y = move || drawn.with(|g| g.band.map(|(y, _)| y.to_string()));
    let band_h = move || drawn.with(|g| g.band.map(|(_, h)| h.to_string()));
    let band_hidden = move || drawn.with(|g| g.band.is_none());
    view! {
        <svg class="kpi-sparkline" data-sparkline=id.as_str() role="img" aria-label=label
            data-periods=move || series.with(|(v, _)| v.len())
            viewBox=format!("0 0 {WIDTH} {HEIGHT}") preserveAspectRatio="none" focusable="false">
            <rect class="spark-band" x="0" width=WIDTH.to_string() y=band_y height=band_h
                visibility=move || if band_hidden() { "hidden" } else { "visible" }></rect>
            <path class="spark-line" d=move || drawn.with(|g| g.path.clone())
                vector-effect="non-scaling-stroke"></path>
        </svg>
    }
}
