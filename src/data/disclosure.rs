//! FTC disclosure detection from caption text: `#ad`, `#sponsored`, `#paidpartnership`,
//! "paid partnership", `#werbung`, `#anzeige`, … Hashtags match whole tags only, so
//! `#adventure` is not `#ad`.

/// Hashtags that disclose a paid relationship (lowercase, without `#`).
const DISCLOSURE_TAGS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "advertising",
    "sponsored",
    "sponsor",
    "spon",
    "paidpartnership",
    "paidpartner",
    "paidad",
    "partner",
    "partnership",
    "brandpartner",
    "collab",
    "collaboration",
    "gifted",
    "ambassador",
    "brandambassador",
    "werbung",
    "anzeige",
    "publicite",
    "publicité",
    "pub",
    "reklame",
];

/// Phrases that disclose a paid relationship (matched case-insensitively).
const DISCLOSURE_PHRASES: &[&str] = &[
    "paid partnership",
    "sponsored by",
    "in partnership with",
    "bezahlte partnerschaft",
];

/// Whether a caption discloses a paid relationship: `None` when the caption is empty
/// (nothing to judge), otherwise `Some(found)`.
pub fn detect(caption: &str) -> Option<bool> {
    if caption.trim().is_empty() {
        return None;
    }
    Some(has_disclosure_tag(caption) || has_disclosure_phrase(caption))
}

fn has_disclosure_tag(caption: &str) -> bool {
    let mut rest = caption;
    while let Some(pos) = rest.find('#') {
        let after = &rest[pos + 1..];
        let tag_len = after
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(after.len(), |(i, _)| i);
        let tag = &after[..tag_len];
        if !tag.is_empty() && is_disclosure_tag(tag) {
            return true;
        }
        rest = &after[tag_len..];
    }
    false
}

fn is_disclosure_tag(tag: &str) -> bool {
    if tag.len() > 24 {
        return false;
    }
    let lower = tag.to_lowercase();
    DISCLOSURE_TAGS.contains(&lower.as_str())
}

fn has_disclosure_phrase(caption: &str) -> bool {
    if !DISCLOSURE_PHRASES
        .iter()
        .any(|p| contains_ignore_ascii_case(caption, &p[..4]))
    {
        return false;
    }
    let lower = caption
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    DISCLOSURE_PHRASES.iter().any(|p| lower.contains(p))
}

fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn finds_whole_tags_and_phrases() {
        assert_eq!(detect("New drop #AD"), Some(true));
        assert_eq!(detect("Loving it #sponsored!"), Some(true));
        assert_eq!(detect("#werbung\u{a0}#style"), Some(true));
        assert_eq!(detect("Paid  partnership with Acme"), Some(true));
        assert_eq!(detect("#adventure #ads_are_fun time"), Some(false));
        assert_eq!(detect("#adventure time"), Some(false));
        assert_eq!(detect("read the ad copy"), Some(false));
        assert_eq!(detect("  "), None);
    }
}
