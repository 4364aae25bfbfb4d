//! The words of the audience views ([`crate::metrics::audience`]): dimension titles,
//! bucket labels, coverage and the audience-match sentence.

use crate::data::audience::AudienceDimension;
use crate::metrics::audience::{AudienceMatch, AudienceWeight, Coverage};

/// Shown instead of the audience when no file has breakdowns.
pub const NO_AUDIENCE: &str = "No file has audience breakdowns: add age_18_24 … age_65_plus, female_share / male_share or country_1 / country_1_share columns to the creators file, or load a creator_id,dimension,value,share file.";

/// A share as a percentage with one decimal (`41.0%`).
pub fn pct(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// `Age`, `Gender`, `Countries`.
pub fn dimension_title(d: AudienceDimension) -> &'static str {
    match d {
        AudienceDimension::Age => "Age",
        AudienceDimension::Gender => "Gender",
        AudienceDimension::Country => "Countries",
    }
}

/// `18–24`, `Female`, `US`.
pub fn bucket_label(d: AudienceDimension, bucket: &str) -> String {
    match d {
        AudienceDimension::Age => bucket.replace('-', "–"),
        AudienceDimension::Gender => {
            let mut c = bucket.chars();
            c.next().map_or_else(String::new, |f| {
                f.to_uppercase().chain(c).collect::<String>()
            })
        }
        AudienceDimension::Country => bucket.to_owned(),
    }
}

/// `by followers` / `by reach in view`.
pub fn weight_words(w: AudienceWeight) -> &'static str {
    match w {
        AudienceWeight::Followers => "weighted by followers",
        AudienceWeight::Reach => "weighted by reach in view",
    }
}

/// `2 of 3 creators in view have an audience breakdown (weighted by followers).`
pub fn coverage_sentence(c: &Coverage, w: AudienceWeight) -> String {
    let mut s = format!(
        "{} of {} creator{} in view ha{} an audience breakdown ({}).",
        c.with_breakdown,
        c.creators_in_view,
        if c.creators_in_view == 1 { "" } else { "s" },
        if c.with_breakdown == 1 { "s" } else { "ve" },
        weight_words(w)
    );
    if c.without_weight > 0 {
        s.push_str(&format!(
            " {} without {} left out of the shares.",
            c.without_weight,
            match w {
                AudienceWeight::Followers => "a follower count",
                AudienceWeight::Reach => "reach in view",
            }
        ));
    }
    s
}

/// `20.8% of its creators' audience is inside the target (US, CA · ages 18-34), from 3
/// creators.` or the n/a reason.
pub fn match_sentence(m: &AudienceMatch) -> String {
    match (m.value, &m.reason) {
        (Some(v), _) => {
            let mut s = format!(
                "{} of the creators' audience is inside the target ({}), from {} creator{}",
                pct(v),
                m.target,
                m.creators,
                if m.creators == 1 { "" } else { "s" }
            );
            if m.dimensions.len() > 1 {
                let parts: Vec<String> = m
                    .dimensions
                    .iter()
                    .map(|d| {
                        format!(
                            "{} {}",
                            d.dimension.name(),
                            d.value.map_or_else(|| "n/a".to_owned(), pct)
                        )
                    })
                    .collect();
                s.push_str(&format!(
                    "; {} (the dimensions taken as independent)",
                    parts.join(", ")
                ));
            }
            s.push('.');
            s
        }
        (None, Some(reason)) if m.target.is_empty() => reason.clone(),
        (None, Some(reason)) => format!("Target {}: {reason}", m.target),
        (None, None) => "n/a".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::audience::DimensionMatch;

    #[test]
    fn words() {
        assert_eq!(bucket_label(AudienceDimension::Gender, "female"), "Female");
        assert_eq!(bucket_label(AudienceDimension::Age, "18-24"), "18–24");
        let c = Coverage {
            creators_in_view: 3,
            with_breakdown: 2,
            without_weight: 0,
        };
        assert_eq!(
            coverage_sentence(&c, AudienceWeight::Followers),
            "2 of 3 creators in view have an audience breakdown (weighted by followers)."
        );
        let m = AudienceMatch {
            target: "US".into(),
            value: Some(0.5),
            reason: None,
            dimensions: vec![DimensionMatch {
                dimension: AudienceDimension::Country,
                value: Some(0.5),
                creators: 1,
            }],
            creators: 1,
        };
        assert_eq!(
            match_sentence(&m),
            "50.0% of the creators' audience is inside the target (US), from 1 creator."
        );
    }
}
