//! Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian).
//! Dates are stored as day numbers so that filters and period buckets are integer maths.

/// Days since 1970-01-01.
pub type Day = i32;

/// Seconds since 1970-01-01T00:00:00 (local time of the export; no zone conversion).
pub type Timestamp = i64;

/// Day number of a civil date, or `None` when the date does not exist.
pub fn day_from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The civil date `(year, month, day)` of a day number.
pub fn ymd_from_day(day: Day) -> (i32, u32, u32) {
    let z = day + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i32::from(m <= 2);
    (y, m, d)
}

/// Number of days in a month of a year.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// ISO `YYYY-MM-DD` of a day number.
pub fn format_day(day: Day) -> String {
    let (y, m, d) = ymd_from_day(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses ISO `YYYY-MM-DD` exactly (the URL and workspace format).
pub fn parse_iso_day(s: &str) -> Option<Day> {
    let mut parts = s.trim().splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.get(..2)?.parse().ok()?;
    day_from_ymd(y, m, d)
}

/// Day of the week, Monday = 0 … Sunday = 6.
pub fn weekday(day: Day) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (day + 3).rem_euclid(7) as u32
}

/// Day number of a timestamp.
pub fn day_of_timestamp(ts: Timestamp) -> Day {
    ts.div_euclid(86_400) as Day
}

/// Reporting period granularity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Day,
    Week,
    Month,
    Quarter,
}

impl Granularity {
    /// Every granularity, finest first.
    pub const ALL: [Granularity; 4] = [
        Granularity::Day,
        Granularity::Week,
        Granularity::Month,
        Granularity::Quarter,
    ];

    /// The lowercase name (URL value).
    pub fn name(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
            Granularity::Quarter => "quarter",
        }
    }

    /// Parses [`Granularity::name`].
    pub fn from_name(s: &str) -> Option<Granularity> {
        Granularity::ALL.into_iter().find(|g| g.name() == s)
    }

    /// The first day of the period that contains `day` (weeks start on Monday).
    pub fn period_start(self, day: Day) -> Day {
        match self {
            Granularity::Day => day,
            Granularity::Week => day - weekday(day) as Day,
            Granularity::Month | Granularity::Quarter => {
                let (y, m, _) = ymd_from_day(day);
                let m = if self == Granularity::Quarter {
                    (m - 1) / 3 * 3 + 1
                } else {
                    m
                };
                day_from_ymd(y, m, 1).unwrap_or(day)
            }
        }
    }

    /// A short label for the period starting at `start`: `2025-03-04`, `W 2025-03-03`,
    /// `2025-03`, `2025-Q1`.
    pub fn label(self, start: Day) -> String {
        let (y, m, _) = ymd_from_day(start);
        match self {
            Granularity::Day => format_day(start),
            Granularity::Week => format!("W {}", format_day(start)),
            Granularity::Month => format!("{y:04}-{m:02}"),
            Granularity::Quarter => format!("{y:04}-Q{}", (m - 1) / 3 + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_known_dates() {
        assert_eq!(day_from_ymd(1970, 1, 1), Some(0));
        assert_eq!(day_from_ymd(2000, 3, 1), Some(11_017));
        assert_eq!(day_from_ymd(2023, 2, 29), None);
        for d in -1000..30_000 {
            let (y, m, dd) = ymd_from_day(d);
            assert_eq!(day_from_ymd(y, m, dd), Some(d));
        }
        assert_eq!(
            format_day(parse_iso_day("2024-02-29").unwrap()),
            "2024-02-29"
        );
    }

    #[test]
    fn periods_start_where_expected() {
        let d = parse_iso_day("2025-05-15").unwrap(); // a Thursday
        assert_eq!(weekday(d), 3);
        assert_eq!(format_day(Granularity::Week.period_start(d)), "2025-05-12");
        assert_eq!(format_day(Granularity::Month.period_start(d)), "2025-05-01");
        assert_eq!(
            format_day(Granularity::Quarter.period_start(d)),
            "2025-04-01"
        );
        assert_eq!(
            Granularity::Quarter.label(Granularity::Quarter.period_start(d)),
            "2025-Q2"
        );
    }
}
