//! Calendar days: date filters and date sort work on whole days since 1970-01-01, in the calendar of the date as
//! written (a post's own time zone, a reader's `YYYY-MM-DD`), so that a day means the same on every host.

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era as u32 * 365 + year_of_era as u32 / 4 - year_of_era as u32 / 100 + day_of_year;
    era * 146_097 + day_of_era as i32 - 719_468
}

/// The day of a `YYYY-MM-DD…` date (the calendar day where the post was published), if it is a day of the calendar.
pub fn parse_day(date: &str) -> Option<i32> {
    let (year, rest) = date.get(..4).zip(date.get(4..))?;
    let year: i32 = year.parse().ok()?;
    let month: u32 = rest.strip_prefix('-')?.get(..2)?.parse().ok()?;
    let day: u32 = rest.get(4..6).filter(|_| rest.get(3..4) == Some("-"))?.parse().ok()?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(parse_day("2022-01-26T09:29:35+08:00"), Some(days_from_civil(2022, 1, 26)));
        assert_eq!(parse_day("2022-13-01"), None);
        assert_eq!(parse_day("day 5"), None);
    }

    #[test]
    fn only_days_of_the_calendar() {
        assert_eq!(parse_day("2023-02-30"), None, "not 2 March");
        assert_eq!(parse_day("2023-02-29"), None);
        assert_eq!(parse_day("2024-02-29"), Some(days_from_civil(2024, 2, 29)));
        assert_eq!(parse_day("1900-02-29"), None);
        assert_eq!(parse_day("2000-02-29"), Some(days_from_civil(2000, 2, 29)));
        assert_eq!(parse_day("2024-04-31"), None);
        assert_eq!(parse_day("2024-12-31"), Some(days_from_civil(2024, 12, 31)));
        assert_eq!(parse_day("2024-01-00"), None);
    }
}
