//! The engagement-patterns panel (issue 19): a weekday × hour heatmap of engagement rate
//! or of posts (`[data-pattern="weekday-hour"]`, cells `[data-cell="tue-18"]` with
//! `data-value` = the rate as a fraction, empty when n/a, and `data-posts`), the best
//! slots in words, and the engagement rate by format and by follower tier. Answered by
//! `Question::Patterns`, so worker-held data works. Hidden, with a sentence, when the
//! files have no times of day.

use std::sync::Arc;

use leptos::prelude::*;

use crate::display::patterns::{
    best_rule_note, cell_label, no_best_note, pct, slot_sentence, times_note, untimed_note,
    NO_TIMES, WEEKDAY_SHORT,
};
use crate::display::questions::{Answer, Question};
use crate::metrics::patterns::{Bucket, Patterns, WEEKDAYS};
use crate::ui::state::use_app;

/// Colour levels of the heatmap (`data-level` 0 … LEVELS − 1; CSS variables colour them).
const LEVELS: usize = 5;
/// A cell needs this many posts to count in the colour scale; one with fewer is faded
/// (`data-few`): a handful of posts' rate is noise.
const SCALE_MIN_POSTS: u64 = 10;

fn pick(answer: Answer) -> Option<Option<Arc<Patterns>>> {
    match answer {
        Answer::Patterns(p) => Some(Some(p)),
        _ => None,
    }
}

/// What the colours show.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    Rate,
    Posts,
}

/// The colour level of each cell (None = empty or n/a) for `show`: its quantile among
/// the cells with at least [`SCALE_MIN_POSTS`] posts (so a few outliers do not wash
/// the rest out), in [`LEVELS`] steps.
fn levels(p: &Patterns, show: Show) -> Vec<Option<usize>> {
    let value = |c: &Bucket| match show {
        Show::Rate => c.rate(),
        Show::Posts => (c.posts > 0).then_some(c.posts as f64),
    };
    let mut scale: Vec<f64> = p
        .cells
        .iter()
        .filter(|c| show == Show::Posts || c.posts >= SCALE_MIN_POSTS)
        .filter_map(value)
        .collect();
    scale.sort_by(f64::total_cmp);
    p.cells
        .iter()
        .map(|c| {
            let v = value(c)?;
            if scale.is_empty() {
                return Some(0);
            }
            let below = scale.partition_point(|x| *x < v);
            let level = below * LEVELS / scale.len().max(1);
            Some(level.min(LEVELS - 1))
        })
        .collect()
}

/// The heatmap table.
fn heatmap_table(p: &Patterns, show: Show) -> impl IntoView {
    let levels = levels(p, show);
    let head = (0..24u32)
        .map(|h| view! { <th scope="col" abbr=format!("{h:02}:00")>{h}</th> })
        .collect_view();
    let rows = (0..7usize)
        .map(|wd| {
            let cells = (0..24u32)
                .map(|h| {
                    let i = wd * 24 + h as usize;
                    let bucket = p.cells.get(i).copied().unwrap_or_default();
                    let value = bucket.rate().map(|r| r.to_string()).unwrap_or_default();
                    let level = levels.get(i).copied().flatten();
                    let label = cell_label(wd, h, &bucket);
                    let title = label.clone();
                    let few = (show == Show::Rate && bucket.posts > 0 && bucket.posts < SCALE_MIN_POSTS)
                        .then_some("true");
                    view! {
                        <td data-cell=format!("{}-{h}", WEEKDAYS[wd]) data-value=value data-few=few
                            data-posts=bucket.posts.to_string()
                            data-level=level.map(|l| l.to_string()).unwrap_or_else(|| "empty".into())
                            title=title>
                            <span class="visually-hidden">{label}</span>
                        </td>
                    }
                })
                .collect_view();
            view! { <tr><th scope="row">{WEEKDAY_SHORT[wd]}</th>{cells}</tr> }
        })
        .collect_view();
    let what = match show {
        Show::Rate => "Engagement rate",
        Show::Posts => "Posts",
    };
    view! {
        <div class="heatmap-scroll" tabindex="0" role="region" aria-label=format!("{what} heatmap")>
            <table class="heatmap" data-pattern="weekday-hour" data-show=match show { Show::Rate => "rate", Show::Posts => "posts" }>
                <caption>{format!("{what} by weekday (rows) and hour of day (columns)")}</caption>
                <thead><tr><th scope="col">"Day"</th>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <div class="heatmap-legend" aria-hidden="true">
            <span>{match show { Show::Rate => "Lower rate", Show::Posts => "Fewer posts" }}</span>
            {(0..LEVELS).map(|l| view! { <span class="swatch" data-level=l.to_string()></span> }).collect_view()}
            <span>{match show { Show::Rate => "Higher rate", Show::Posts => "More posts" }}</span>
            <span class="swatch" data-level="empty"></span>
            <span>"No post (or no rate)"</span>
            {(show == Show::Rate).then(|| view! {
                <span class="swatch few" data-level="2"></span>
                <span>{format!("Faded: fewer than {SCALE_MIN_POSTS} posts")}</span>
            })}
        </div>
    }
}

/// A small table of engagement rate by a key.
fn rate_table(
    caption: &'static str,
    key: &'static str,
    rows: Vec<(String, Bucket)>,
) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|(k, b)| {
            view! {
                <tr data-value=b.rate().map(|r| r.to_string()).unwrap_or_default()>
                    <th scope="row">{k}</th><td>{pct(b.rate())}</td><td>{b.posts}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="pattern-table-wrap" tabindex="0" role="region" aria-label=caption><table class="pattern-table">
            <caption>{caption}</caption>
            <thead><tr><th scope="col">{key}</th><th scope="col">"Engagement rate"</th><th scope="col">"Posts"</th></tr></thead>
            <tbody>{body}</tbody>
        </table></div>
    }
}

/// The engagement-patterns panel of the view, narrowed to one creator when given.
#[component]
pub fn PatternsPanel(#[prop(optional, into)] creator: Option<Signal<String>>) -> impl IntoView {
    let state = use_app();
    // The last answer stays while the data worker works on a new one.
    let patterns = Memo::new(move |last: Option<&Option<Arc<Patterns>>>| {
        let mut filter = state.query.with(|q| q.filter());
        if let Some(id) = creator {
            filter.creators = vec![id.get()];
        }
        state
            .ask(&Question::Patterns { filter })
            .and_then(pick)
            .or_else(|| last.cloned())
            .unwrap_or_default()
    });
    let show = RwSignal::new(Show::Rate);
    let body = move || {
        let Some(p) = patterns.get() else {
            return view! { <p class="empty">"Computing…"</p> }.into_any();
        };
        let formats: Vec<(String, Bucket)> = p
            .by_format
            .iter()
            .map(|(f, b)| {
                (
                    if f.is_empty() {
                        "(no format)".to_owned()
                    } else {
                        f.clone()
                    },
                    *b,
                )
            })
            .collect();
        let mut tiers: Vec<(String, Bucket)> = p
            .by_tier
            .iter()
            .map(|(t, b)| (t.label().to_owned(), *b))
            .collect();
        if p.untiered_rows > 0 {
            tiers.push((
                "(no follower count)".to_owned(),
                Bucket {
                    posts: p.untiered_rows,
                    ..Bucket::default()
                },
            ));
        }
        let tables = view! {
            <div class="pattern-tables">
                {rate_table("Engagement rate by format", "Format", formats)}
                {rate_table("Engagement rate by follower tier", "Tier", tiers)}
            </div>
        };
        if p.cells.is_empty() {
            return view! {
                <p class="notice" data-pattern-empty="no-times">{NO_TIMES}</p>
                {tables}
            }
            .into_any();
        }
        let best = if p.best.is_empty() {
            view! { <p class="best-slots-none">{no_best_note(&p)}</p> }.into_any()
        } else {
            let items = p
                .best
                .iter()
                .map(|s| {
                    let key = format!("{}-{}", WEEKDAYS[s.weekday as usize % 7], s.hour);
                    view! { <li data-slot=key>{slot_sentence(s, &p.timed)}</li> }
                })
                .collect_view();
            view! { <ol class="best-slots" data-best-slots="">{items}</ol> }.into_any()
        };
        let toggle = move |which: Show, label: &'static str, key: &'static str| {
            view! {
                <button type="button" class="pattern-show" data-show=key
                    aria-pressed=move || (show.get() == which).to_string()
                    on:click=move |_| show.set(which)>{label}</button>
            }
        };
        let p2 = p.clone();
        view! {
            <h3>"Best slots"</h3>
            {best}
            <p class="pattern-note">{best_rule_note(&p)}</p>
            <div class="pattern-switch" role="group" aria-label="Heatmap shows">
                {toggle(Show::Rate, "Engagement rate", "rate")}
                {toggle(Show::Posts, "Posts", "posts")}
            </div>
            {move || heatmap_table(&p2, show.get())}
            <p class="pattern-note">{times_note(&p)} " " {untimed_note(&p).unwrap_or_default()}</p>
            {tables}
        }
        .into_any()
    };
    view! {
        <section class="panel patterns" aria-labelledby="patterns-title">
            <h2 id="patterns-title">"Engagement patterns"</h2>
            {body}
        </section>
    }
}
