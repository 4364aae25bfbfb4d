-- Rolls raw posts up to one row per day × campaign × creator × platform × format (and
-- disclosure status, so that FTC compliance stays exact), with every count summed and
-- post_count = the number of posts in the row. Every KPI of the app is a ratio of sums,
-- so the dashboard shows the same numbers on the rollup as on the raw posts.
--
-- Plain ANSI SQL: DuckDB and Spark SQL both run it over a table or view named `posts`
-- in the canonical columns (README, "Scale: rollups"), e.g.
--   DuckDB: CREATE VIEW posts AS SELECT * FROM read_csv_auto('posts.csv');
--   Spark:  CREATE TEMPORARY VIEW posts USING csv
--             OPTIONS (path 'posts.csv', header 'true', inferSchema 'true');
-- post_id and caption are dropped (a rollup row is many posts). A column your export
-- lacks can be removed from the list; keep the GROUP BY as it is.
SELECT
  platform,
  date,
  campaign_id,
  creator_id,
  format,
  disclosed,
  SUM(impressions) AS impressions,
  SUM(reach) AS reach,
  SUM(views) AS views,
  SUM(likes) AS likes,
  SUM(comments) AS comments,
  SUM(shares) AS shares,
  SUM(saves) AS saves,
  SUM(clicks) AS clicks,
  SUM(conversions) AS conversions,
  SUM(revenue) AS revenue,
  SUM(leads) AS leads,
  SUM(sqls) AS sqls,
  SUM(new_customers) AS new_customers,
  SUM(cost) AS cost,
  SUM(brand_mentions) AS brand_mentions,
  SUM(competitor_mentions) AS competitor_mentions,
  SUM(comments_positive) AS comments_positive,
  SUM(comments_neutral) AS comments_neutral,
  SUM(comments_negative) AS comments_negative,
  SUM(comments_replied_24h) AS comments_replied_24h,
  SUM(followers) AS followers,
  SUM(COALESCE(post_count, 1)) AS post_count
FROM posts
GROUP BY platform, date, campaign_id, creator_id, format, disclosed
ORDER BY date, campaign_id, creator_id, platform, format, disclosed
