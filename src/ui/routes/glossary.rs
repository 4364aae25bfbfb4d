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
        <MethodsSection/>
    }
}

/// How "why it moved" splits a change, and how the variation flag is decided
/// (`#drivers-method`, `#variation-method`).
#[component]
fn MethodsSection() -> impl IntoView {
    let min_days = crate::metrics::variation::MIN_DAYS;
    let real_z = crate::metrics::variation::REAL_Z;
    view! {
        <section class="panel" id="drivers-method" aria-labelledby="gloss-drivers">
            <h2 id="gloss-drivers">"Why it moved: mix and rate"</h2>
            <p>"A ratio KPI such as ROAS is Σnumerator / Σdenominator, which is the average of each group's own ratio r weighted by its share w of the denominator (spend, reach…). Between two periods each group's part of the change splits into a "<strong>"mix"</strong>" effect, (w₁ − w₀) × ((r₀ + r₁)/2 − (R₀ + R₁)/2): its share moved, and that counts for the KPI when the group is better or worse than average; and a "<strong>"rate"</strong>" effect, (r₁ − r₀) × (w₀ + w₁)/2: its own ratio moved. Over all groups the effects add up exactly to the change. A group present in one period only has its whole effect as mix. For a total (impressions, reach) each group's effect is its own change."</p>
        </section>
        <section class="panel" id="variation-method" aria-labelledby="gloss-variation">
            <h2 id="gloss-variation">"Is it real? The variation flag"</h2>
            <p>"Beside each change against the compare period, a flag says whether the change is larger than the rows' own day-to-day variation would give by chance. Each period is treated as a sample of days. For a ratio R = ΣN / ΣD its variance is estimated from the days d with data (the delta method): var(R) ≈ n/(n − 1) × Σ(N_d − R·D_d)² / (ΣD)², with n the number of such days. For a total, the variance of the period's total is the number of days times the variance of the daily totals, days without posts counting as 0. Then z = (R₁ − R₀) / √(var₀ + var₁)."</p>
            <ul>
                <li><strong>"a real change"</strong>{format!(": |z| ≥ {real_z} (a move this large happens by chance about 1 time in 20 or less)")}</li>
                <li><strong>"within normal variation"</strong>{format!(": |z| < {real_z}")}</li>
                <li><strong>"too few days to tell"</strong>{format!(": fewer than {min_days} days with data in either period; no guess is made")}</li>
            </ul>
            <p class="muted">"The flag's tooltip gives z and the days with data of each period. Days are taken as independent: a weekly rhythm or a trend within a period makes the test less exact. It is not computed for one platform's engagement rate, EMV or the campaign- and creator-level KPIs."</p>
        </section>
    }
}
