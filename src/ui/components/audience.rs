//! The audience panel (issue 19, part 3): one block per dimension
//! (`[data-audience="age|gender|country"]`) of bars (`<meter>`s, since the page's CSP
//! allows no inline styles) with `data-bucket` and `data-share` (the share as a
//! fraction, shortest round-trip digits); for a campaign, the match against its target (`[data-audience-match]`
//! with `data-value`, empty when n/a); coverage and the weighting (followers by
//! default, or reach in view, switched here). Answered by `Question::Audience`, so
//! worker-held data works. Hidden with a sentence when no file has audiences.

use std::sync::Arc;

use leptos::prelude::*;

use crate::display::audience::{
    bucket_label, coverage_sentence, dimension_title, match_sentence, pct, NO_AUDIENCE,
};
use crate::display::questions::{Answer, Question};
use crate::metrics::audience::{AudienceQuery, AudienceView, AudienceWeight, Distribution};
use crate::ui::state::use_app;

/// Where the panel stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AudienceScope {
    /// The selection of the whole view (the summary).
    Selection,
    /// One creator's own breakdown.
    Creator,
    /// A campaign's creators and the match against its target.
    Campaign,
}

fn pick(answer: Answer) -> Option<Option<Arc<AudienceView>>> {
    match answer {
        Answer::Audience(a) => Some(Some(a)),
        _ => None,
    }
}

/// Countries shown (the rest are in the data, not on the page).
const MAX_COUNTRIES: usize = 10;

fn bars(d: &Distribution, compact: bool) -> impl IntoView {
    let limit = if d.dimension == crate::data::audience::AudienceDimension::Country {
        if compact {
            5
        } else {
            MAX_COUNTRIES
        }
    } else {
        usize::MAX
    };
    let rows = d
        .buckets
        .iter()
        .take(limit)
        .map(|s| {
            let label = bucket_label(d.dimension, &s.bucket);
            let value = s.share.clamp(0.0, 1.0);
            view! {
                <li class="audience-bar" data-bucket=s.bucket.clone() data-share=s.share.to_string()>
                    <span class="audience-bucket">{label.clone()}</span>
                    " "
                    <meter min="0" max="1" value=value.to_string() aria-label=format!("{label}: {}", pct(s.share))></meter>
                    " "
                    <span class="audience-share">{pct(s.share)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="audience-dimension" data-audience=d.dimension.name()>
            <h3>{dimension_title(d.dimension)}</h3>
            <ul class="audience-bars">{rows}</ul>
        </div>
    }
}

/// The audience of the view, of one creator, or of one campaign's creators.
#[component]
pub fn AudiencePanel(
    scope: AudienceScope,
    /// The creator or campaign id (unused for the selection).
    #[prop(optional, into)]
    id: Option<Signal<String>>,
) -> impl IntoView {
    let state = use_app();
    let weight = RwSignal::new(AudienceWeight::default());
    let view_answer = Memo::new(move |last: Option<&Option<Arc<AudienceView>>>| {
        let mut query = AudienceQuery {
            filter: state.query.with(|q| q.filter()),
            weight: weight.get(),
            ..AudienceQuery::default()
        };
        let id = id.map(|s| s.get()).unwrap_or_default();
        match scope {
            AudienceScope::Selection => {}
            AudienceScope::Creator => query.creator = Some(id),
            AudienceScope::Campaign => {
                query.filter.campaigns = vec![id.clone()];
                query.campaign = Some(id);
            }
        }
        state
            .ask(&Question::Audience(query))
            .and_then(pick)
            .or_else(|| last.cloned())
            .unwrap_or_default()
    });
    let compact = scope == AudienceScope::Selection;
    move || {
        let Some(a) = view_answer.get() else {
            return view! { <p class="empty">"Computing…"</p> }.into_any();
        };
        if !a.any_audience {
            return view! { <p class="notice" data-audience-none="">{NO_AUDIENCE}</p> }.into_any();
        }
        let blocks = a
            .distributions
            .iter()
            .map(|d| bars(d, compact))
            .collect_view();
        let empty = a.distributions.is_empty().then(|| {
            let text = if scope == AudienceScope::Creator {
                "This creator has no audience breakdown in the files."
            } else {
                "No creator in view has an audience breakdown."
            };
            view! { <p class="notice">{text}</p> }
        });
        let coverage = (scope != AudienceScope::Creator)
            .then(|| view! { <p class="audience-coverage">{coverage_sentence(&a.coverage, a.weight)}</p> });
        let switch = (scope != AudienceScope::Creator).then(|| {
            view! {
                <label class="audience-weight">"Weight creators by "
                    <select data-audience-weight="" on:change=move |ev| {
                        if let Some(w) = AudienceWeight::parse(&event_target_value(&ev)) {
                            weight.set(w);
                        }
                    }>
                        <option value="followers" selected=move || weight.get() == AudienceWeight::Followers>"followers"</option>
                        <option value="reach" selected=move || weight.get() == AudienceWeight::Reach>"reach in view"</option>
                    </select>
                </label>
            }
        });
        let matched = a.matched.as_ref().map(|m| {
            let value = m.value.map(|v| v.to_string()).unwrap_or_default();
            let headline = m.value.map_or_else(|| "n/a".to_owned(), pct);
            view! {
                <p class="audience-match" data-audience-match="" data-value=value>
                    <strong>{format!("Audience match: {headline}")}</strong>
                    " — "
                    {match_sentence(m)}
                </p>
            }
        });
        let notes = a
            .notes
            .iter()
            .map(|n| view! { <li>{n.clone()}</li> })
            .collect_view();
        view! {
            <div class="audience" data-audience-scope=match scope {
                AudienceScope::Selection => "selection",
                AudienceScope::Creator => "creator",
                AudienceScope::Campaign => "campaign",
            }>
                {matched}
                {switch}
                {coverage}
                {empty}
                <div class="audience-dimensions">{blocks}</div>
                <ul class="audience-notes">{notes}</ul>
            </div>
        }
        .into_any()
    }
}
