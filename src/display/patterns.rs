//! The words of the engagement patterns ([`crate::metrics::patterns`]): slot labels,
//! the best-slot sentence, what the times mean and what was left out.

use crate::metrics::patterns::{Bucket, Patterns, Slot, SLOT_HOURS};

/// Weekday names, Monday first.
pub const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Short weekday names for the heatmap's row headers.
pub const WEEKDAY_SHORT: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A rate as a percentage with one decimal (`9.1%`), or `n/a`.
pub fn pct(rate: Option<f64>) -> String {
    rate.map_or_else(|| "n/a".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

/// `Tuesdays 18–20h`.
pub fn slot_label(slot: &Slot) -> String {
    let day = WEEKDAY_NAMES
        .get(slot.weekday as usize)
        .copied()
        .unwrap_or("?");
    format!("{day}s {}–{}h", slot.hour, slot.hour + slot.hours)
}

/// `Tuesdays 18–20h: 9.1% vs 6.2% overall, 140 posts`.
pub fn slot_sentence(slot: &Slot, overall: &Bucket) -> String {
    let posts = slot.bucket.posts;
    format!(
        "{}: {} vs {} overall, {posts} post{}",
        slot_label(slot),
        pct(slot.bucket.rate()),
        pct(overall.rate()),
        if posts == 1 { "" } else { "s" }
    )
}

/// `UTC+05:30`, `UTC−05:00`.
pub fn utc_offset_label(hours: f64) -> String {
    let minutes = (hours * 60.0).round() as i64;
    let sign = if minutes < 0 { '−' } else { '+' };
    let m = minutes.abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// What the heatmap's times are.
pub fn times_note(p: &Patterns) -> String {
    format!(
        "Times as the file gives them, shifted to {} (the time zone in Settings).",
        utc_offset_label(p.utc_offset_hours)
    )
}

/// The rows left out of the heatmap, or `None` when every row had a time.
pub fn untimed_note(p: &Patterns) -> Option<String> {
    match p.untimed_rows {
        0 => None,
        1 => Some("1 post without a time of day is left out.".to_owned()),
        n => Some(format!("{n} posts without a time of day are left out.")),
    }
}

/// What a best slot needs.
pub fn best_rule_note(p: &Patterns) -> String {
    let den = if p.denominator_name.is_empty() {
        "reach"
    } else {
        &p.denominator_name
    };
    format!(
        "Best slots: {SLOT_HOURS}-hour blocks of a weekday with at least {} posts, by engagement rate (Σ engagements / Σ {den}).",
        p.min_slot_posts
    )
}

/// Why there is no heatmap.
pub const NO_TIMES: &str =
    "The file has no times of day (only dates), so there is no weekday × hour pattern.";

/// Why there are no best slots.
pub fn no_best_note(p: &Patterns) -> String {
    if p.rate_available {
        format!(
            "No weekday slot has {} posts or more yet.",
            p.min_slot_posts
        )
    } else {
        "The engagement rate needs engagement and reach columns.".to_owned()
    }
}

/// The label of one heatmap cell for assistive technology:
/// `Tuesday 18:00–19:00: 9.1% engagement rate, 70 posts`.
pub fn cell_label(weekday: usize, hour: u32, bucket: &Bucket) -> String {
    let day = WEEKDAY_NAMES.get(weekday).copied().unwrap_or("?");
    format!(
        "{day} {hour:02}:00–{:02}:00: {} engagement rate, {} post{}",
        (hour + 1) % 24,
        pct(bucket.rate()),
        bucket.posts,
        if bucket.posts == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_words() {
        let slot = Slot {
            weekday: 1,
            hour: 18,
            hours: 2,
            bucket: Bucket {
                numerator: 91.0,
                denominator: 1000.0,
                used: 140,
                posts: 140,
            },
        };
        let overall = Bucket {
            numerator: 62.0,
            denominator: 1000.0,
            used: 1,
            posts: 1,
        };
        // 91 / 1000 = 9.1%, 62 / 1000 = 6.2%.
        assert_eq!(
            slot_sentence(&slot, &overall),
            "Tuesdays 18–20h: 9.1% vs 6.2% overall, 140 posts"
        );
        assert_eq!(utc_offset_label(-5.0), "UTC−05:00");
        assert_eq!(utc_offset_label(5.5), "UTC+05:30");
        assert_eq!(utc_offset_label(0.0), "UTC+00:00");
    }
}
