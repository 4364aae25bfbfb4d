//! `/settings`: targets, alert thresholds, engagement-rate denominator, EMV method and
//! rates, tier bounds, currency and number locale, score weights. Kept in local storage;
//! reset to the spec's defaults; export/import as JSON.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::data::ingest::{DateOrder, DuplicatePolicy, NumberLocale};
use crate::metrics::registry::{registry, KpiDef, Target, Unit};
use crate::metrics::settings::{
    currency_symbol_problem, issues_notice, EmvMethod, ErDenominator, SavedSettings,
    CURRENCY_SYMBOL_MAX,
};
use crate::metrics::targets::{effective_target, suggest_target};
use crate::ui::browser::download;
use crate::ui::state::{use_app, AppState};

/// A number as an input shows it: float noise from the percent scaling rounded away
/// (0.07 × 100 shows `7`, not `7.000000000000001`).
fn input_text(value: f64) -> String {
    if value.abs() < 1e6 {
        ((value * 1e9).round() / 1e9).to_string()
    } else {
        value.to_string()
    }
}

/// A labelled number input bound to one settings field.
fn number_field(
    state: AppState,
    id: String,
    label: String,
    get: impl Fn(&SavedSettings) -> f64 + Send + Sync + 'static,
    set: impl Fn(&mut SavedSettings, f64) + 'static,
) -> impl IntoView {
    let value = move || input_text(state.settings.with(|s| get(s)));
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <input id=id type="number" step="any" prop:value=value on:change=move |ev| {
                if let Ok(v) = event_target_value(&ev).trim().parse::<f64>() {
                    if v.is_finite() {
                        state.settings.update(|s| set(s, v));
                    }
                }
            }/>
        </div>
    }
}

/// A labelled select bound to one settings field.
fn select_field(
    state: AppState,
    id: &'static str,
    label: &'static str,
    options: &'static [(&'static str, &'static str)],
    get: impl Fn(&SavedSettings) -> &'static str + Copy + Send + Sync + 'static,
    set: impl Fn(&mut SavedSettings, &str) + 'static,
) -> impl IntoView {
    let opts = options
        .iter()
        .map(|&(value, text)| {
            let selected = move || state.settings.with(|s| get(s) == value);
            view! { <option value=value prop:selected=selected>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id on:change=move |ev| {
                let v = event_target_value(&ev);
                state.settings.update(|s| set(s, &v));
            }>{opts}</select>
        </div>
    }
}

/// Display scale of a unit in target inputs (ratios in percent).
fn scale(unit: Unit) -> f64 {
    if unit == Unit::Ratio {
        100.0
    } else {
        1.0
    }
}

/// Inputs for one KPI's target, in display units.
fn target_fields(state: AppState, def: &'static KpiDef) -> impl IntoView {
    let k = scale(def.unit);
    let unit = if def.unit == Unit::Ratio { " (%)" } else { "" };
    let current = move |s: &SavedSettings| effective_target(def, &s.compute);
    let bound = move |which: usize| {
        let get = move |s: &SavedSettings| match current(s) {
            Some(Target::AtLeast(v)) | Some(Target::AtMost(v)) => v * k,
            Some(Target::Range(lo, hi)) => (if which == 0 { lo } else { hi }) * k,
            Some(Target::AboveSiteAov(f)) => f * 100.0,
            None => 0.0,
        };
        let set = move |s: &mut SavedSettings, v: f64| {
            let t = match current(s) {
                Some(Target::AtLeast(_)) => Target::AtLeast(v / k),
                Some(Target::AtMost(_)) => Target::AtMost(v / k),
                Some(Target::Range(_, hi)) if which == 0 => Target::Range(v / k, hi),
                Some(Target::Range(lo, _)) => Target::Range(lo, v / k),
                Some(Target::AboveSiteAov(_)) => Target::AboveSiteAov(v / 100.0),
                None => return,
            };
            s.compute
                .target_overrides
                .insert(def.id.as_str().to_owned(), t);
        };
        (get, set)
    };
    let label = |what: &str| format!("{} — {what}{unit}", def.name);
    let fields = match def.target {
        Some(Target::Range(..)) => {
            let (g0, s0) = bound(0);
            let (g1, s1) = bound(1);
            view! {
                {number_field(state, format!("target-{}-lo", def.id), label("lower bound"), g0, s0)}
                {number_field(state, format!("target-{}-hi", def.id), label("upper bound"), g1, s1)}
            }
            .into_any()
        }
        Some(Target::AtLeast(_)) => {
            let (g, s) = bound(0);
            number_field(state, format!("target-{}", def.id), label("at least"), g, s).into_any()
        }
        Some(Target::AtMost(_)) => {
            let (g, s) = bound(0);
            number_field(state, format!("target-{}", def.id), label("at most"), g, s).into_any()
        }
        Some(Target::AboveSiteAov(_)) => {
            let (g, s) = bound(0);
            number_field(
                state,
                format!("target-{}", def.id),
                format!("{} — % above site AOV", def.name),
                g,
                s,
            )
            .into_any()
        }
        None => ().into_any(),
    };
    view! { {fields} {suggested_target(state, def)} }
}

/// Seed 001's suggestion (the previous period's value improved by 20%) with an Accept
/// button; nothing when there is no history to suggest from.
fn suggested_target(state: AppState, def: &'static KpiDef) -> impl IntoView {
    move || {
        let comparison = state.comparison.get()?;
        let target = suggest_target(def, &comparison.previous.overall.get(def.id))?;
        let text = state.style.with(|s| s.target(&target, def.unit));
        let window = comparison.previous_range();
        let accept = move |_| {
            state.settings.update(|s| {
                _ = s
                    .compute
                    .target_overrides
                    .insert(def.id.as_str().to_owned(), target)
            });
        };
        Some(view! {
            <p class="suggestion" data-suggested-target=def.id.as_str()>
                {format!("Suggested: {text} (+20% over {window}) ")}
                <button type="button" on:click=accept>{format!("Accept for {}", def.name)}</button>
            </p>
        })
    }
}

/// The settings view.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let state = use_app();
    let message = RwSignal::new(None::<String>);
    let export = move |_| {
        let json = state
            .settings
            .with_untracked(|s| serde_json::to_string_pretty(s).unwrap_or_default());
        if let Err(e) = download("kpi-dash-settings.json", "application/json", &json) {
            message.set(Some(e));
        }
    };
    let import = move |ev: web_sys::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        let Some(file) = input.and_then(|i| i.files()).and_then(|l| l.get(0)) else {
            return;
        };
        spawn_local(async move {
            let text = crate::ui::browser::read_text(&file).await;
            match text.and_then(|t| SavedSettings::from_json(&t)) {
                Ok((s, issues)) => {
                    state.settings.set(s);
                    message.set(Some(
                        issues_notice("Settings imported", &issues)
                            .unwrap_or_else(|| "Settings imported.".into()),
                    ));
                }
                Err(e) => message.set(Some(format!("Could not import the settings: {e}"))),
            }
        });
    };
    let targets = registry()
        .iter()
        .filter(|d| d.target.is_some())
        .map(|def| target_fields(state, def))
        .collect_view();
    let cpm = ["instagram", "tiktok", "youtube", "x"]
        .into_iter()
        .map(|p| {
            number_field(
                state,
                format!("emv-cpm-{p}"),
                format!("CPM for {p}"),
                move |s| s.compute.emv_cpm.get(p).copied().unwrap_or(0.0),
                move |s, v| {
                    s.compute.emv_cpm.insert(p.to_owned(), v);
                },
            )
        })
        .collect_view();
    macro_rules! num {
        ($id:expr, $label:expr, $($field:tt)+) => {
            number_field(state, $id.to_owned(), $label.to_owned(), |s| s.compute.$($field)+, |s, v| s.compute.$($field)+ = v)
        };
    }
    view! {
        <h1>"Settings"</h1>
        <p>"Settings are saved in this browser and apply at once."</p>
        <div class="actions">
            <button id="reset-settings" type="button" on:click=move |_| { state.settings.set(SavedSettings::default()); message.set(Some("Settings reset to the spec's defaults.".into())); }>"Reset to defaults"</button>
            <button id="export-settings" type="button" on:click=export>"Export JSON"</button>
            <label for="import-settings" class="button">"Import JSON"</label>
            <input id="import-settings" class="visually-hidden-input" type="file" accept=".json,application/json" on:change=import/>
        </div>
        {move || message.get().map(|m| view! { <div id="settings-message" class="notice" role="status">{m.lines().map(|l| view! { <p>{l.to_owned()}</p> }).collect_view()}</div> })}
        <section class="panel" aria-labelledby="set-calc"><h2 id="set-calc">"Calculation"</h2>
            <div class="form-grid">
                {select_field(state, "er-denominator", "Engagement-rate denominator",
                    &[("reach", "Reach"), ("impressions", "Impressions"), ("followers", "Followers")],
                    |s| match s.compute.er_denominator { ErDenominator::Reach => "reach", ErDenominator::Impressions => "impressions", ErDenominator::Followers => "followers" },
                    |s, v| s.compute.er_denominator = match v { "impressions" => ErDenominator::Impressions, "followers" => ErDenominator::Followers, _ => ErDenominator::Reach })}
                {select_field(state, "emv-method", "EMV method",
                    &[("cpm", "CPM × impressions"), ("per_action", "Value per action")],
                    |s| match s.compute.emv_method { EmvMethod::Cpm => "cpm", EmvMethod::PerAction => "per_action" },
                    |s, v| s.compute.emv_method = if v == "per_action" { EmvMethod::PerAction } else { EmvMethod::Cpm })}
                {cpm}
                {num!("emv-like", "EMV value per like", emv_rates.like)}
                {num!("emv-comment", "EMV value per comment", emv_rates.comment)}
                {num!("emv-share", "EMV value per share", emv_rates.share)}
                {num!("emv-save", "EMV value per save", emv_rates.save)}
                {num!("emv-view", "EMV value per view", emv_rates.view)}
            </div>
        </section>
        <section class="panel" aria-labelledby="set-display"><h2 id="set-display">"Display"</h2>
            <div class="form-grid">
                <div class="field">
                    <label for="currency-symbol">"Currency symbol"</label>
                    <input id="currency-symbol" type="text" maxlength=CURRENCY_SYMBOL_MAX.to_string() prop:value=move || state.settings.with(|s| s.prefs.currency_symbol.clone())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            match currency_symbol_problem(&v) {
                                Some(problem) => message.set(Some(format!("The currency symbol {v:?} was not applied: it {problem}."))),
                                None => state.settings.update(|s| s.prefs.currency_symbol = v),
                            }
                        }/>
                </div>
                {select_field(state, "number-locale", "Number format (display and uploads)",
                    &[("dot_decimal", "1,234.50"), ("comma_decimal", "1.234,50")],
                    |s| match s.prefs.number_locale { NumberLocale::DotDecimal => "dot_decimal", NumberLocale::CommaDecimal => "comma_decimal" },
                    |s, v| s.prefs.number_locale = if v == "comma_decimal" { NumberLocale::CommaDecimal } else { NumberLocale::DotDecimal })}
            </div>
        </section>
        <section class="panel" aria-labelledby="set-import"><h2 id="set-import">"Uploads"</h2>
            <div class="form-grid">
                {select_field(state, "date-order", "Ambiguous dates such as 03/04/2025",
                    &[("month_first", "Month first (MM/DD/YYYY)"), ("day_first", "Day first (DD/MM/YYYY)")],
                    |s| match s.prefs.date_order { DateOrder::MonthFirst => "month_first", DateOrder::DayFirst => "day_first" },
                    |s, v| s.prefs.date_order = if v == "day_first" { DateOrder::DayFirst } else { DateOrder::MonthFirst })}
                <div class="field">
                    <label for="currency-rates">"Currency rates (e.g. USD=0.92: units of the workspace's currency per unit; amounts in a currency without a rate are left out)"</label>
                    <input id="currency-rates" type="text" maxlength="200"
                        prop:value=move || state.settings.with(|s| crate::data::currency::format_rates(&s.prefs.currency_rates))
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            match crate::data::currency::parse_rates(&v) {
                                Ok(rates) => state.settings.update(|s| s.prefs.currency_rates = rates.into_iter().collect()),
                                Err(problem) => message.set(Some(format!("The currency rates were not applied: {problem}."))),
                            }
                        }/>
                </div>
                {select_field(state, "duplicate-policy", "Repeated post_id",
                    &[("keep_last", "Keep the last row"), ("sum", "Sum the rows")],
                    |s| match s.prefs.duplicates { DuplicatePolicy::KeepLast => "keep_last", DuplicatePolicy::Sum => "sum" },
                    |s, v| s.prefs.duplicates = if v == "sum" { DuplicatePolicy::Sum } else { DuplicatePolicy::KeepLast })}
            </div>
        </section>
        <section class="panel" aria-labelledby="set-tiers"><h2 id="set-tiers">"Creator tiers (followers, upper bounds)"</h2>
            <div class="form-grid">
                {num!("tier-nano", "Nano below", tiers.nano)}
                {num!("tier-micro", "Micro below", tiers.micro)}
                {num!("tier-mid", "Mid-tier below", tiers.mid)}
                {num!("tier-macro", "Macro below (mega above)", tiers.macro_)}
            </div>
        </section>
        <section class="panel" aria-labelledby="set-score"><h2 id="set-score">"Influencer score weights"</h2>
            <div class="form-grid">
                {num!("weight-engagement", "Engagement weight", score_weights.engagement)}
                {num!("weight-conversion", "Conversion weight", score_weights.conversion)}
                {num!("weight-brand-fit", "Brand-fit weight", score_weights.brand_fit)}
            </div>
        </section>
        <section class="panel" aria-labelledby="set-alerts"><h2 id="set-alerts">"Alert thresholds"</h2>
            <div class="form-grid">
                {num!("alert-engagement-drop", "Critical: engagement below target by more than (fraction)", alerts.engagement_drop)}
                {num!("alert-conversion-min", "Critical: conversion rate below (fraction)", alerts.conversion_min)}
                {num!("alert-roas-min", "Warning: ROAS below", alerts.roas_min)}
                {num!("alert-score-min", "Warning: influencer score below", alerts.score_min)}
                {num!("alert-pacing-max", "Warning: budget pacing above (fraction)", alerts.pacing_max)}
                {num!("alert-roas-multiple", "Success: ROAS at least this multiple of target", alerts.roas_target_multiple)}
                {num!("alert-viral", "Success: post impressions at least", alerts.viral_impressions)}
                {num!("alert-partnership", "Success: partnership revenue above", alerts.partnership_revenue)}
            </div>
        </section>
        <section class="panel" aria-labelledby="set-anomaly"><h2 id="set-anomaly">"Anomaly alerts"</h2>
            <p>"Notice: a platform, creator or post whose engagement rate (or ROAS) this week is far from its own baseline, the median of its trailing weeks, up or down."</p>
            <div class="form-grid">
                <div class="field">
                    <label for="anomaly-enabled">"Raise anomaly alerts"</label>
                    <input id="anomaly-enabled" type="checkbox" prop:checked=move || state.settings.with(|s| s.compute.anomaly.enabled)
                        on:change=move |ev| { let on = event_target_checked(&ev); state.settings.update(|s| s.compute.anomaly.enabled = on); }/>
                </div>
                {num!("anomaly-threshold", "Beyond this many robust deviations (MAD × 1.4826)", anomaly.threshold)}
                {num!("anomaly-weeks", "Baseline: trailing weeks", anomaly.weeks)}
                {num!("anomaly-min-weeks", "No baseline from fewer weeks with data than", anomaly.min_weeks)}
            </div>
        </section>
        <section class="panel" aria-labelledby="set-patterns"><h2 id="set-patterns">"Engagement patterns"</h2>
            <div class="form-grid">
                {num!("utc-offset", "Time zone: hours added to the files' times (e.g. -5 for UTC-05:00)", utc_offset_hours)}
            </div>
        </section>
        <section class="panel" aria-labelledby="set-targets"><h2 id="set-targets">"KPI targets"</h2>
            <div class="form-grid">{targets}</div>
        </section>
    }
}
