//! Comment sentiment: where the positive/neutral/negative counts come from, and a small
//! lexicon-based scorer (with negation handling) for comments that carry only text.

use serde::{Deserialize, Serialize};

use crate::data::store::{Comment, Sentiment};

/// Where the comment-sentiment counts of a result come from (shown next to the KPI).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SentimentSource {
    /// No counts, no labelled or scorable comments.
    #[default]
    None,
    /// The posts' `comments_positive/neutral/negative` columns.
    PostCounts,
    /// The comments table's `sentiment` labels.
    CommentLabels,
    /// The lexicon scorer run on the comments' text.
    Lexicon,
}

const POSITIVE: &[&str] = &[
    "love",
    "loved",
    "loving",
    "lovely",
    "great",
    "amazing",
    "awesome",
    "beautiful",
    "best",
    "perfect",
    "nice",
    "good",
    "excellent",
    "fantastic",
    "wonderful",
    "like",
    "cute",
    "gorgeous",
    "obsessed",
    "stunning",
    "happy",
    "recommend",
    "wow",
    "cool",
    "fire",
    "favorite",
    "favourite",
    "need",
    "want",
    "thanks",
    "thank",
    "brilliant",
    "incredible",
    "helpful",
    "super",
    "yes",
    "❤",
    "❤️",
    "😍",
    "🔥",
    "👍",
    "🙌",
    "😊",
    "💯",
];

const NEGATIVE: &[&str] = &[
    "hate",
    "hated",
    "bad",
    "awful",
    "terrible",
    "worst",
    "ugly",
    "boring",
    "scam",
    "fake",
    "disappointed",
    "disappointing",
    "poor",
    "horrible",
    "waste",
    "broken",
    "expensive",
    "overpriced",
    "annoying",
    "sad",
    "angry",
    "refund",
    "never",
    "trash",
    "meh",
    "spam",
    "cringe",
    "sucks",
    "👎",
    "😡",
    "🤮",
    "😒",
];

const NEGATIONS: &[&str] = &[
    "not", "no", "dont", "don't", "didnt", "didn't", "isnt", "isn't", "wasnt", "wasn't", "doesnt",
    "doesn't", "cant", "can't", "wont", "won't", "nothing", "hardly",
];

/// How many words after a negation it flips.
const NEGATION_REACH: usize = 3;

/// Scores one comment: positive words count +1 and negative words −1, each flipped when
/// one of the three preceding words is a negation ("not good" is negative, "not bad" is
/// positive). The sign of the total gives the label; 0 is neutral.
pub fn score_text(text: &str) -> Sentiment {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || ",.!?;:()\"".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let mut total = 0i32;
    for (i, word) in words.iter().enumerate() {
        let polarity = if POSITIVE.contains(word) || starts_with_emoji(word, POSITIVE) {
            1
        } else if NEGATIVE.contains(word) || starts_with_emoji(word, NEGATIVE) {
            -1
        } else {
            continue;
        };
        let negated = words[i.saturating_sub(NEGATION_REACH)..i]
            .iter()
            .any(|w| NEGATIONS.contains(w));
        total += if negated { -polarity } else { polarity };
    }
    match total.signum() {
        1 => Sentiment::Positive,
        -1 => Sentiment::Negative,
        _ => Sentiment::Neutral,
    }
}

/// Emoji often come glued together ("😍😍"): match a word that starts with a listed emoji.
fn starts_with_emoji(word: &str, list: &[&str]) -> bool {
    !word.is_ascii() && list.iter().any(|e| !e.is_ascii() && word.starts_with(e))
}

/// Which source the comments table can give: labels when any comment has one, else the
/// lexicon when any comment has text, else none.
pub fn comments_source(comments: &[Comment]) -> SentimentSource {
    if comments.iter().any(|c| c.sentiment.is_some()) {
        SentimentSource::CommentLabels
    } else if comments.iter().any(|c| !c.text.trim().is_empty()) {
        SentimentSource::Lexicon
    } else {
        SentimentSource::None
    }
}

/// The label of one comment under `source` (`None` when it gives none).
pub fn comment_label(comment: &Comment, source: SentimentSource) -> Option<Sentiment> {
    match source {
        SentimentSource::CommentLabels => comment.sentiment,
        SentimentSource::Lexicon if !comment.text.trim().is_empty() => {
            Some(score_text(&comment.text))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_scores_and_negates() {
        assert_eq!(score_text("I love this, amazing!"), Sentiment::Positive);
        assert_eq!(score_text("This is terrible"), Sentiment::Negative);
        assert_eq!(score_text("not good at all"), Sentiment::Negative);
        assert_eq!(score_text("honestly not bad"), Sentiment::Positive);
        assert_eq!(score_text("where did you buy it"), Sentiment::Neutral);
        assert_eq!(score_text("😍😍"), Sentiment::Positive);
    }
}
