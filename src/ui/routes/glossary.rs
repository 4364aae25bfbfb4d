//! `/glossary`: every KPI from the registry (definition, formula, unit, target,
//! direction) and the glossary terms of seed 004.

use leptos::prelude::*;

use crate::metrics::registry::{registry, Direction, KpiGroup, Unit};
use crate::ui::state::use_app;

/// Seed 004's glossary terms.
const TERMS: [(&str, &str); 10] = [
    ("Key Performance Indicators (KPIs)", "Metrics used to evaluate the success of a campaign or initiative, specifically in the context of influencer marketing, helping brands measure and analyze their marketing effectiveness. They should be established before launch as benchmarks and monitored throughout the campaign."),
    ("Influencer Marketing", "A strategy that leverages the influence of individuals with large followings on social media to promote products or services, aiming to reach a targeted audience effectively."),
    ("Social Media Marketing", "The use of social media platforms and websites to promote a product or service, encouraging user engagement and brand awareness through content creation and sharing."),
    ("Content Strategy", "A comprehensive plan aimed at creating, publishing, and managing high-quality content to achieve business goals and enhance user engagement."),
    ("Brand Partnerships", "Collaborative relationships between two or more brands or influencers aimed at promoting mutual interests and achieving shared goals through combined marketing efforts."),
    ("Engagement Rate", "A key performance metric in social media and influencer marketing that measures the level of interaction and engagement a piece of content receives from its audience."),
    ("Quality vs Quantity", "A critical concept in influencer marketing that balances the value of high-quality content against the sheer volume of content produced to engage audiences effectively."),
    ("Net Promoter Score (NPS)", "A customer loyalty metric that gauges the likelihood of customers recommending a company's products or services to others, thus indicating overall customer satisfaction and brand perception."),
    ("Audience Segmentation", "The process of dividing a target audience into distinct groups based on various characteristics, allowing marketers to tailor their messages and strategies to specific segments for more effective communication."),
    ("Social Media Optimization", "The process of enhancing a brand's presence on social media platforms to increase visibility, engagement, and traffic to websites."),
];

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Ratio => "percentage",
        Unit::Money => "currency",
        Unit::Count => "count",
        Unit::Multiple => "multiple (x:1)",
        Unit::Hours => "hours",
        Unit::Score => "score 0–100",
        Unit::Rating => "rating 1–5",
    }
}

fn direction_name(direction: Direction) -> &'static str {
    match direction {
        Direction::HigherIsBetter => "higher is better",
        Direction::LowerIsBetter => "lower is better",
        Direction::WithinRange => "best within the target range",
    }
}

/// The glossary view.
#[component]
pub fn GlossaryPage() -> impl IntoView {
    let state = use_app();
    let groups = KpiGroup::ALL
        .into_iter()
        .map(|group| {
            let entries = registry()
                .iter()
                .filter(|d| d.group == group)
                .map(|def| {
                    let target = move || {
                        crate::metrics::targets::effective_target(def, &state.compute.get())
                            .map_or("none".to_owned(), |t| state.style.with(|s| s.target(&t, def.unit)))
                    };
                    view! {
                        <div class="term" id=format!("kpi-{}", def.id)>
                            <dt>{def.name}</dt>
                            <dd>
                                <p>{def.definition}</p>
                                <p><strong>"Formula: "</strong><code>{def.formula}</code></p>
                                <p>
                                    <strong>"Unit: "</strong>{unit_name(def.unit)}
                                    " · " <strong>"Target: "</strong>{target}
                                    " · " <strong>"Direction: "</strong>{direction_name(def.direction)}
                                </p>
                                <p class="muted">{format!("Needs: {}", def.inputs().join(", "))}</p>
                            </dd>
                        </div>
                    }
                })
                .collect_view();
            let title_id = format!("gloss-{group:?}").to_lowercase();
            let label_id = title_id.clone();
            view! {
                <section class="panel" aria-labelledby=label_id>
                    <h2 id=title_id>{group.name()}</h2>
                    <dl class="glossary">{entries}</dl>
                </section>
            }
        })
        .collect_view();
    let terms = TERMS
        .iter()
        .map(|(term, text)| view! { <div class="term"><dt>{*term}</dt><dd>{*text}</dd></div> })
        .collect_view();
    view! {
        <h1>"Glossary"</h1>
        {groups}
        <section class="panel" aria-labelledby="gloss-terms">
            <h2 id="gloss-terms">"Influencer marketing terms"</h2>
            <dl class="glossary">{terms}</dl>
        </section>
    }
}
