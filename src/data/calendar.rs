//! Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian).
//! Dates are stored as day numbers so that filters and period buckets are integer maths.

/// Days since 1970-01-01.
pub type Day = i32;

/// Seconds since 1970-01-01T00:00:00 (local time of the export; no zone conversion).
pub type Timestamp = i64;

/// The years a date may have, everywhere a date is read (URL query, settings, files):
/// 1900-01-01 to 2200-12-31. A date outside is refused at parse time with
/// [`DateError::OutOfRange`], so no day number near the ends of `i32` reaches the maths.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// The first day of [`YEARS`] (1900-01-01).
pub const FIRST_DAY: Day = days_from_civil(*YEARS.start() as i64, 1, 1) as Day;

/// The last day of [`YEARS`] (2200-12-31).
pub const LAST_DAY: Day = days_from_civil(*YEARS.end() as i64, 12, 31) as Day;

/// Why a date was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not of the shape `YYYY-MM-DD` (including trailing text such as `2025-01-12l`).
    NotIso,
    /// The shape is right but the day does not exist (`2025-02-30`).
    NoSuchDate,
    /// A real date outside [`YEARS`].
    OutOfRange,
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateError::NotIso => f.write_str("not a date of the form YYYY-MM-DD"),
            DateError::NoSuchDate => f.write_str("no such date"),
            DateError::OutOfRange => write!(f, "a date outside {}", range_text()),
        }
    }
}

impl std::error::Error for DateError {}

/// `1900-01-01 to 2200-12-31`: the supported range, for messages.
pub fn range_text() -> String {
    format!("{} to {}", format_day(FIRST_DAY), format_day(LAST_DAY))
}

/// True when `day` lies in the supported range ([`FIRST_DAY`]..=[`LAST_DAY`]).
pub fn in_range(day: i64) -> bool {
    (i64::from(FIRST_DAY)..=i64::from(LAST_DAY)).contains(&day)
}

/// `day` itself when in the supported range, else [`DateError::OutOfRange`].
pub fn bounded(day: Day) -> Result<Day, DateError> {
    if in_range(i64::from(day)) {
        Ok(day)
    } else {
        Err(DateError::OutOfRange)
    }
}

/// A day number computed in `i64`, saturated into [`Day`] (never wraps).
pub fn saturate(day: i64) -> Day {
    day.clamp(i64::from(Day::MIN), i64::from(Day::MAX)) as Day
}

/// Howard Hinnant's days_from_civil, in `i64` so that no `i32` year overflows.
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Day number of a civil date, or `None` when the date does not exist or its day number
/// does not fit a [`Day`]. Not bounded to [`YEARS`]: parsers check that ([`bounded`]).
pub fn day_from_ymd(year: i32, month: u32, day: u32) -> Option<Day> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Day::try_from(days_from_civil(
        i64::from(year),
        i64::from(month),
        i64::from(day),
    ))
    .ok()
}

/// The civil date `(year, month, day)` of a day number (any `i32`: computed in `i64`).
pub fn ymd_from_day(day: Day) -> (i32, u32, u32) {
    let z = i64::from(day) + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    // |day| < 2^31 days is under 6 million years: the year always fits.
    (y as i32, m, d)
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

/// Parses ISO `YYYY-MM-DD` exactly (the URL and workspace format; surrounding spaces
/// are ignored, any other text is not), in the supported range. `None` when refused:
/// [`parse_iso_day_checked`] says why.
pub fn parse_iso_day(s: &str) -> Option<Day> {
    parse_iso_day_checked(s).ok()
}

/// [`parse_iso_day`] with the reason for a refusal: not `YYYY-MM-DD` (trailing text
/// included), no such date, or outside [`YEARS`].
pub fn parse_iso_day_checked(s: &str) -> Result<Day, DateError> {
    let b = s.trim().as_bytes();
    let mut parts = b.split(|&c| c == b'-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(DateError::NotIso);
    };
    let number = |digits: &[u8], widths: std::ops::RangeInclusive<usize>| -> Option<i64> {
        if !widths.contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.iter().try_fold(0i64, |n, &c| {
            n.checked_mul(10)?.checked_add(i64::from(c - b'0'))
        })
    };
    // Four digits are the form; longer years are read only to say they are out of range.
    let (Some(year), Some(month), Some(day)) =
        (number(y, 4..=18), number(m, 2..=2), number(d, 2..=2))
    else {
        return Err(DateError::NotIso);
    };
    if !(1..=12).contains(&month) || day == 0 {
        return Err(DateError::NoSuchDate);
    }
    if !YEARS.contains(&i32::try_from(year).map_err(|_| DateError::OutOfRange)?) {
        return Err(DateError::OutOfRange);
    }
    day_from_ymd(year as i32, month as u32, day as u32).ok_or(DateError::NoSuchDate)
}

/// Day of the week, Monday = 0 … Sunday = 6.
pub fn weekday(day: Day) -> u32 {
    // 1970-01-01 was a Thursday (3).
    (i64::from(day) + 3).rem_euclid(7) as u32
}

/// Day number of a timestamp (saturated into [`Day`]).
pub fn day_of_timestamp(ts: Timestamp) -> Day {
    saturate(ts.div_euclid(86_400))
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
            Granularity::Week => day.saturating_sub(weekday(day) as Day),
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
