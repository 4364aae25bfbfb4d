//! Header auto-mapping: recognises real exports (Meta Business Suite, Instagram Insights,
//! TikTok Studio, YouTube Studio, Shopify orders, creator lists) and our canonical
//! columns, detects the table kind from the headers, and maps each header onto a
//! canonical column (or ignores it).
//!
//! Headers are compared in a normalised form (`"Comments added"` → `comments_added`).
//! Several source columns may feed `caption` (they are joined, so an Insights `Hashtags`
//! column counts for disclosure detection); any other target takes its first source.

use serde::{Deserialize, Serialize};

use super::ingest::ColumnMapping;
use super::schema::TableKind;

/// The export formats recognised from their headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// Canonical or loosely named columns.
    Generic,
    /// Meta Business Suite, Instagram posts (one row per post, lifetime totals).
    MetaPosts,
    /// Meta Business Suite, Instagram stories.
    MetaStories,
    /// Instagram Insights post export (creator accounts).
    InstagramInsights,
    /// Facebook Page post-level insights (the legacy export with a row of descriptions).
    FacebookPosts,
    /// TikTok Studio, Content (one row per video).
    TikTokStudio,
    /// TikTok Studio, Overview (one row per day of the whole account).
    TikTokOverview,
    /// YouTube Studio, Table data (one row per video, plus a `Total` row).
    YouTubeStudio,
    /// YouTube Studio, Chart data (one row per video per day).
    YouTubeChart,
    /// X (Twitter) tweet activity, headers in the account's UI language.
    XTweets,
    /// Shopify orders (one row per line item).
    ShopifyOrders,
    /// A creator list or ranking (one row per creator).
    CreatorList,
}

/// What one row of a table stands for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowModel {
    /// A published post (counts one post).
    #[default]
    Post,
    /// One day in a post's life (counts no post; its numbers add into the post's totals).
    PostDay,
    /// One day of the whole account (counts no post).
    AccountDay,
    /// A shop order (counts no post: one conversion and its revenue).
    Order,
    /// A creator.
    Creator,
    /// A campaign.
    Campaign,
    /// A content asset submitted for approval.
    Asset,
    /// A comment.
    Comment,
    /// One share of a creator's audience.
    AudienceShare,
}

impl RowModel {
    /// The row model of a table kind read from a file of no particular format.
    pub fn of_kind(kind: TableKind) -> RowModel {
        match kind {
            TableKind::Posts => RowModel::Post,
            TableKind::Creators => RowModel::Creator,
            TableKind::Campaigns => RowModel::Campaign,
            TableKind::Assets => RowModel::Asset,
            TableKind::Comments => RowModel::Comment,
            TableKind::Audience => RowModel::AudienceShare,
        }
    }

    /// "a post", "a day of one post", …: what one row is, in words.
    pub fn describe(self) -> &'static str {
        match self {
            RowModel::Post => "a post",
            RowModel::PostDay => "one day of one post",
            RowModel::AccountDay => "one day of the whole account",
            RowModel::Order => "a line item of an order",
            RowModel::Creator => "a creator",
            RowModel::Campaign => "a campaign",
            RowModel::Asset => "an asset",
            RowModel::Comment => "a comment",
            RowModel::AudienceShare => "one share of a creator's audience",
        }
    }

    /// True for rows that count no post (a day of a post or of the account, an order).
    pub fn counts_no_post(self) -> bool {
        matches!(
            self,
            RowModel::PostDay | RowModel::AccountDay | RowModel::Order
        )
    }
}

impl ExportFormat {
    /// The name shown on the mapping screen.
    pub fn name(self, kind: TableKind) -> String {
        match self {
            ExportFormat::Generic => format!("Generic {} table", kind.name()),
            ExportFormat::MetaPosts => "Meta Business Suite (Instagram posts)".into(),
            ExportFormat::MetaStories => "Meta Business Suite (Instagram stories)".into(),
            ExportFormat::InstagramInsights => "Instagram Insights (posts)".into(),
            ExportFormat::FacebookPosts => "Facebook Page insights (posts)".into(),
            ExportFormat::TikTokStudio => "TikTok Studio (videos)".into(),
            ExportFormat::TikTokOverview => "TikTok Studio (Overview)".into(),
            ExportFormat::YouTubeStudio => "YouTube Studio (Table data)".into(),
            ExportFormat::YouTubeChart => "YouTube Studio (Chart data)".into(),
            ExportFormat::XTweets => "X tweet activity".into(),
            ExportFormat::ShopifyOrders => "Shopify orders".into(),
            ExportFormat::CreatorList => "Creator list".into(),
        }
    }

    /// The table the format fills.
    pub fn kind(self) -> Option<TableKind> {
        match self {
            ExportFormat::Generic => None,
            ExportFormat::CreatorList => Some(TableKind::Creators),
            _ => Some(TableKind::Posts),
        }
    }

    /// The platform every row of the format belongs to (`None`: from the rows, or asked).
    pub fn platform(self) -> Option<&'static str> {
        match self {
            ExportFormat::MetaPosts
            | ExportFormat::MetaStories
            | ExportFormat::InstagramInsights => Some("instagram"),
            ExportFormat::FacebookPosts => Some("facebook"),
            ExportFormat::TikTokStudio | ExportFormat::TikTokOverview => Some("tiktok"),
            ExportFormat::YouTubeStudio | ExportFormat::YouTubeChart => Some("youtube"),
            ExportFormat::XTweets => Some("x"),
            ExportFormat::Generic | ExportFormat::ShopifyOrders | ExportFormat::CreatorList => None,
        }
    }

    /// What one row of the format is, read as a table of `kind`.
    pub fn row_model(self, kind: TableKind) -> RowModel {
        match self {
            ExportFormat::YouTubeChart => RowModel::PostDay,
            ExportFormat::TikTokOverview => RowModel::AccountDay,
            ExportFormat::ShopifyOrders => RowModel::Order,
            _ => RowModel::of_kind(kind),
        }
    }

    /// Header aliases specific to the format, tried before the generic ones. A target
    /// of `""` ignores the column.
    fn aliases(self) -> &'static [(&'static str, &'static str)] {
        match self {
            ExportFormat::YouTubeStudio => &[("content", "post_id")],
            ExportFormat::YouTubeChart => &[
                ("content", "post_id"),
                ("date", "date"),
                ("video_publish_time", IGNORE),
            ],
            // `Date` is the literal `Lifetime`: the post's date is `Publish time`.
            // `Follows` are follows gained, not the account's followers.
            ExportFormat::MetaPosts | ExportFormat::MetaStories => &[
                ("date", IGNORE),
                ("publish_time", "date"),
                ("account_id", IGNORE),
                ("account_name", IGNORE),
                ("follows", IGNORE),
            ],
            ExportFormat::FacebookPosts => FACEBOOK_ALIASES,
            ExportFormat::TikTokOverview => &[("profile_views", IGNORE)],
            ExportFormat::XTweets => X_ALIASES,
            ExportFormat::ShopifyOrders => &[
                ("name", "post_id"),
                ("created_at", "date"),
                ("total", "revenue"),
                ("discount_code", DISCOUNT_CODE),
                ("currency", CURRENCY),
                ("financial_status", FINANCIAL_STATUS),
                ("refunded_amount", REFUNDED_AMOUNT),
            ],
            _ => &[],
        }
    }
}

/// The alias target that ignores a column.
const IGNORE: &str = "";

/// Facebook Page post-level insights: the lifetime totals of the post.
const FACEBOOK_ALIASES: &[(&str, &str)] = &[
    ("posted", "date"),
    ("post_message", "caption"),
    ("permalink", IGNORE),
    ("lifetime_post_total_reach", "reach"),
    ("lifetime_post_total_impressions", "impressions"),
    ("lifetime_post_stories_by_action_type_like", "likes"),
    ("lifetime_post_stories_by_action_type_comment", "comments"),
    ("lifetime_post_stories_by_action_type_share", "shares"),
    ("lifetime_post_consumptions_by_type_link_clicks", "clicks"),
];

/// X tweet activity in English, Portuguese, Spanish, French and German.
const X_ALIASES: &[(&str, &str)] = &[
    ("tweet_id", "post_id"),
    ("id_do_tweet", "post_id"),
    ("id_del_tweet", "post_id"),
    ("identifiant_du_tweet", "post_id"),
    ("tweet_text", "caption"),
    ("texto_do_tweet", "caption"),
    ("texto_del_tweet", "caption"),
    ("texte_du_tweet", "caption"),
    ("time", "date"),
    ("horário", "date"),
    ("hora", "date"),
    ("fecha", "date"),
    ("heure", "date"),
    ("date", "date"),
    ("zeit", "date"),
    ("datum", "date"),
    ("impressions", "impressions"),
    ("impressões", "impressions"),
    ("impresiones", "impressions"),
    ("impressionen", "impressions"),
    ("retweets", "shares"),
    ("replies", "comments"),
    ("respostas", "comments"),
    ("respuestas", "comments"),
    ("réponses", "comments"),
    ("antworten", "comments"),
    ("likes", "likes"),
    ("favoritos", "likes"),
    ("me_gusta", "likes"),
    ("j_aime", "likes"),
    ("gefällt_mir", "likes"),
    ("url_clicks", "clicks"),
    ("cliques_no_url", "clicks"),
    ("clics_en_url", "clicks"),
    ("clics_sur_url", "clicks"),
    ("url_klicks", "clicks"),
];

/// The pseudo-target of a Shopify order's discount code (resolved to a creator).
pub const DISCOUNT_CODE: &str = "discount_code";

/// The pseudo-target of a column that gives each row's currency (an ISO code).
pub const CURRENCY: &str = "currency";
/// The pseudo-target of a Shopify order's `Financial Status` (`paid`, `refunded`, …).
pub const FINANCIAL_STATUS: &str = "financial_status";
/// The pseudo-target of a Shopify order's `Refunded Amount`.
pub const REFUNDED_AMOUNT: &str = "refunded_amount";

/// `"Comments added"` → `comments_added`; `"Video publish time"` → `video_publish_time`.
pub fn normalize_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header.trim_start_matches('\u{feff}').chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// The format whose signature headers are present (the most specific first, so that a
/// file of one shape is never read as another: YouTube's Chart data has the Table data's
/// columns plus `Date`).
pub fn detect_format(normalized: &[String]) -> ExportFormat {
    let has = |h: &str| normalized.iter().any(|n| n == h);
    let all = |hs: &[&str]| hs.iter().all(|h| has(h));
    let any = |hs: &[&str]| hs.iter().any(|h| has(h));
    let x_id = [
        "tweet_id",
        "id_do_tweet",
        "id_del_tweet",
        "identifiant_du_tweet",
    ];
    if all(&["name", "created_at", "total", "discount_code"]) {
        ExportFormat::ShopifyOrders
    } else if all(&["date", "content", "video_title"]) {
        ExportFormat::YouTubeChart
    } else if all(&["content", "video_title", "video_publish_time"]) {
        ExportFormat::YouTubeStudio
    } else if all(&["date", "video_views", "profile_views"]) && !has("video_title") {
        ExportFormat::TikTokOverview
    } else if all(&["video_title", "post_time"]) || all(&["video_link", "total_views"]) {
        ExportFormat::TikTokStudio
    } else if all(&["post_id", "posted"])
        && normalized.iter().any(|n| n.starts_with("lifetime_post"))
    {
        ExportFormat::FacebookPosts
    } else if all(&["post_id", "publish_time"]) && (has("permalink") || has("account_username")) {
        if any(&["sticker_taps", "navigation", "replies"]) && !has("saves") {
            ExportFormat::MetaStories
        } else {
            ExportFormat::MetaPosts
        }
    } else if any(&x_id) {
        ExportFormat::XTweets
    } else if all(&["impressions", "from_home"]) {
        ExportFormat::InstagramInsights
    } else if has("followers")
        && any(&[
            "channel_info",
            "influence_score",
            "instagram_name",
            "influencer_insta_name",
        ])
    {
        ExportFormat::CreatorList
    } else {
        ExportFormat::Generic
    }
}

const POSTS_ALIASES: &[(&str, &str)] = &[
    ("currency", CURRENCY),
    ("currency_code", CURRENCY),
    ("network", "platform"),
    ("social_network", "platform"),
    ("channel", "platform"),
    ("platform_name", "platform"),
    ("publish_time", "date"),
    ("published", "date"),
    ("published_at", "date"),
    ("publish_date", "date"),
    ("post_time", "date"),
    ("post_date", "date"),
    ("posted_at", "date"),
    ("created_time", "date"),
    ("date_posted", "date"),
    ("video_publish_time", "date"),
    ("upload_date", "date"),
    ("timestamp", "date"),
    ("id", "post_id"),
    ("media_id", "post_id"),
    ("video_id", "post_id"),
    ("campaign", "campaign_id"),
    ("campaign_name", "campaign_id"),
    ("creator", "creator_id"),
    ("influencer", "creator_id"),
    ("username", "creator_id"),
    ("account_username", "creator_id"),
    ("handle", "creator_id"),
    ("post_type", "format"),
    ("media_type", "format"),
    ("content_type", "format"),
    ("type", "format"),
    ("total_impressions", "impressions"),
    ("accounts_reached", "reach"),
    ("total_reach", "reach"),
    ("total_views", "views"),
    ("video_views", "views"),
    ("plays", "views"),
    ("total_likes", "likes"),
    ("like_count", "likes"),
    ("total_comments", "comments"),
    ("comments_added", "comments"),
    ("comment_count", "comments"),
    ("total_shares", "shares"),
    ("add_to_favorites", "saves"),
    ("favorites", "saves"),
    ("saved", "saves"),
    ("link_clicks", "clicks"),
    ("website_clicks", "clicks"),
    ("orders", "conversions"),
    ("purchases", "conversions"),
    ("sales", "revenue"),
    ("total_sales", "revenue"),
    ("spend", "cost"),
    ("amount_spent", "cost"),
    ("fee", "cost"),
    ("creator_fee", "cost"),
    ("description", "caption"),
    ("video_title", "caption"),
    ("title", "caption"),
    ("text", "caption"),
    ("hashtags", "caption"),
    ("paid_partnership", "disclosed"),
    ("is_ad", "disclosed"),
    ("follower_count", "followers"),
];

const CREATORS_ALIASES: &[(&str, &str)] = &[
    ("creator", "creator_id"),
    ("channel_info", "creator_id"),
    ("username", "creator_id"),
    ("handle", "creator_id"),
    ("influencer", "creator_id"),
    ("account", "creator_id"),
    ("creator_name", "name"),
    ("full_name", "name"),
    ("display_name", "name"),
    ("network", "platform"),
    ("follower_count", "followers"),
    ("subscribers", "followers"),
    ("60d_eng_rate", "engagement_rate"),
    ("eng_rate", "engagement_rate"),
    ("engagement", "engagement_rate"),
    ("code", "discount_code"),
    ("promo_code", "discount_code"),
    ("coupon_code", "discount_code"),
    ("top_country", "country"),
    ("audience_country_mostly", "country"),
    ("audience_country", "country"),
    ("instagram_name", "creator_id"),
    ("influencer_insta_name", "name"),
];

const CAMPAIGNS_ALIASES: &[(&str, &str)] = &[
    ("campaign", "campaign_id"),
    ("campaign_name", "name"),
    ("start", "start_date"),
    ("end", "end_date"),
];

const ASSETS_ALIASES: &[(&str, &str)] = &[
    ("asset", "asset_id"),
    ("submitted", "submitted_at"),
    ("approved", "approved_at"),
];

const COMMENTS_ALIASES: &[(&str, &str)] = &[
    ("comment", "text"),
    ("comment_text", "text"),
    ("message", "text"),
    ("timestamp", "created_at"),
    ("date", "created_at"),
    ("replied", "replied_at"),
];

fn generic_aliases(kind: TableKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        TableKind::Posts => POSTS_ALIASES,
        TableKind::Creators => CREATORS_ALIASES,
        TableKind::Campaigns => CAMPAIGNS_ALIASES,
        TableKind::Assets => ASSETS_ALIASES,
        TableKind::Comments => COMMENTS_ALIASES,
        TableKind::Audience => AUDIENCE_ALIASES,
    }
}

/// Header variants of the creators' wide audience columns and the campaigns' targets
/// (normalised: `Age 18-24` → `age_18_24`, `18-24` → `18_24`, `Female %` → `female`).
const AUDIENCE_EXTRA_ALIASES: &[(&str, &str)] = &[
    ("13_17", "age_13_17"),
    ("18_24", "age_18_24"),
    ("25_34", "age_25_34"),
    ("35_44", "age_35_44"),
    ("45_54", "age_45_54"),
    ("55_64", "age_55_64"),
    ("65", "age_65_plus"),
    ("65_plus", "age_65_plus"),
    ("age_65", "age_65_plus"),
    ("age_65_and_over", "age_65_plus"),
    ("female", "female_share"),
    ("females", "female_share"),
    ("women", "female_share"),
    ("female_pct", "female_share"),
    ("female_percent", "female_share"),
    ("female_percentage", "female_share"),
    ("male", "male_share"),
    ("males", "male_share"),
    ("men", "male_share"),
    ("male_pct", "male_share"),
    ("male_percent", "male_share"),
    ("male_percentage", "male_share"),
    ("top_country_share", "country_share"),
    ("top_country_pct", "country_share"),
    ("top_country_percent", "country_share"),
    ("target_countries", "target_country"),
    ("target_markets", "target_country"),
    ("target_ages", "target_age"),
    ("target_age_range", "target_age"),
    ("target_genders", "target_gender"),
];

const AUDIENCE_ALIASES: &[(&str, &str)] = &[
    ("creator", "creator_id"),
    ("username", "creator_id"),
    ("handle", "creator_id"),
    ("influencer", "creator_id"),
    ("breakdown", "dimension"),
    ("dimension_name", "dimension"),
    ("bucket", "value"),
    ("segment", "value"),
    ("group", "value"),
    ("percentage", "share"),
    ("percent", "share"),
    ("pct", "share"),
    ("share_of_audience", "share"),
];

/// The canonical column a normalised header maps to for a table kind and format.
fn target_of(normalized: &str, kind: TableKind, format: ExportFormat) -> Option<&'static str> {
    let lookup = |table: &'static [(&'static str, &'static str)]| {
        table
            .iter()
            .find(|(alias, _)| *alias == normalized)
            .map(|(_, target)| *target)
    };
    if let Some(t) = lookup(format.aliases()) {
        return (t != IGNORE).then_some(t);
    }
    if format == ExportFormat::ShopifyOrders {
        return None;
    }
    let extra = kind.extra_columns();
    kind.columns()
        .iter()
        .chain(extra)
        .find(|c| c.name == normalized)
        .map(|c| c.name)
        .or_else(|| lookup(generic_aliases(kind)))
        .or_else(|| {
            lookup(AUDIENCE_EXTRA_ALIASES).filter(|t| {
                extra.iter().any(|c| c.name == *t)
                    || (*t == "female_share" && kind == TableKind::Creators)
            })
        })
}

/// Maps each header onto a canonical column of `kind` (`None` = ignored).
pub fn auto_mapping(
    headers: &[String],
    kind: TableKind,
    format: ExportFormat,
) -> Vec<ColumnMapping> {
    let mut used: Vec<&str> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let target = target_of(&normalize_header(h), kind, format)
                .filter(|t| *t == "caption" || !used.contains(t));
            if let Some(t) = target {
                used.push(t);
            }
            ColumnMapping {
                source: h.clone(),
                target: target.map(str::to_owned),
            }
        })
        .collect()
}

/// The table kind and export format detected from a file's headers.
pub fn detect_kind(headers: &[String]) -> (TableKind, ExportFormat) {
    let normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    let format = detect_format(&normalized);
    if let Some(kind) = format.kind() {
        return (kind, format);
    }
    let score = |kind: TableKind| {
        auto_mapping(headers, kind, format)
            .iter()
            .filter(|m| m.target.is_some())
            .count()
    };
    let kind = TableKind::ALL
        .into_iter()
        .fold((TableKind::Posts, 0), |best, kind| {
            let s = score(kind);
            if s > best.1 {
                (kind, s)
            } else {
                best
            }
        })
        .0;
    (kind, format)
}

/// A stable key for a set of headers (order and case do not matter), under which the UI
/// remembers the user's mapping.
pub fn header_signature(headers: &[String]) -> String {
    let mut normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
    normalized.sort();
    normalized.dedup();
    // FNV-1a, 64 bit.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in normalized.join("\u{1f}").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("h{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(s: &str) -> Vec<String> {
        s.split(',').map(|h| h.trim().to_owned()).collect()
    }

    fn targets(s: &str) -> (TableKind, ExportFormat, Vec<Option<String>>) {
        let h = headers(s);
        let (kind, format) = detect_kind(&h);
        let m = auto_mapping(&h, kind, format);
        (kind, format, m.into_iter().map(|m| m.target).collect())
    }

    fn some(names: &[&str]) -> Vec<Option<String>> {
        names
            .iter()
            .map(|n| (!n.is_empty()).then(|| (*n).to_owned()))
            .collect()
    }

    #[test]
    fn maps_real_exports() {
        let (kind, format, t) = targets("Post ID, Account username, Description, Publish time, Permalink, Post type, Views, Impressions, Reach, Likes, Shares, Follows, Comments, Saves");
        assert_eq!((kind, format), (TableKind::Posts, ExportFormat::MetaPosts));
        assert_eq!(
            t,
            some(&[
                "post_id",
                "creator_id",
                "caption",
                "date",
                "",
                "format",
                "views",
                "impressions",
                "reach",
                "likes",
                "shares",
                "",
                "comments",
                "saves"
            ])
        );
        let (_, format, t) = targets("Video title, Video link, Post time, Total views, Total likes, Total comments, Total shares, Add to favorites, Reach");
        assert_eq!(format, ExportFormat::TikTokStudio);
        assert_eq!(
            t,
            some(&[
                "caption", "", "date", "views", "likes", "comments", "shares", "saves", "reach"
            ])
        );
        let (_, format, t) = targets("Content, Video title, Video publish time, Views, Impressions, Likes, Comments added, Shares, Subscribers gained");
        assert_eq!(format, ExportFormat::YouTubeStudio);
        assert_eq!(
            t,
            some(&[
                "post_id",
                "caption",
                "date",
                "views",
                "impressions",
                "likes",
                "comments",
                "shares",
                ""
            ])
        );
        let (kind, format, t) = targets("rank,channel_info,influence_score,posts,followers,avg_likes,60d_eng_rate,new_post_avg_like,total_likes,country");
        assert_eq!(
            (kind, format),
            (TableKind::Creators, ExportFormat::CreatorList)
        );
        assert_eq!(
            t,
            some(&[
                "",
                "creator_id",
                "influence_score",
                "",
                "followers",
                "avg_likes",
                "engagement_rate",
                "",
                "",
                "country"
            ])
        );
    }

    #[test]
    fn detects_canonical_kinds() {
        assert_eq!(
            detect_kind(&headers("campaign_id,name,objective,budget")).0,
            TableKind::Campaigns
        );
        assert_eq!(
            detect_kind(&headers("creator_id,name,platform,discount_code")).0,
            TableKind::Creators
        );
        assert_eq!(
            detect_kind(&headers("asset_id,campaign_id,submitted_at,approved_at")).0,
            TableKind::Assets
        );
        assert_eq!(
            detect_kind(&headers("post_id,text,created_at,sentiment")).0,
            TableKind::Comments
        );
        assert_eq!(
            detect_kind(&headers("platform,date,likes,campaign_id")).0,
            TableKind::Posts
        );
    }

    #[test]
    fn signature_ignores_order_and_case() {
        assert_eq!(
            header_signature(&headers("Likes,Date")),
            header_signature(&headers("date, likes"))
        );
        assert_ne!(
            header_signature(&headers("a,b")),
            header_signature(&headers("a,c"))
        );
    }
}
