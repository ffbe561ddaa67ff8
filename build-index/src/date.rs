//! Post dates, read the way Jekyll reads them.
//!
//! What Jekyll (3.x and 4.x, through the SafeYAML loader) actually does:
//! - an *unquoted* YAML timestamp with seconds, `2021-12-08 10:18:31`, is parsed by
//!   `DateTime.parse`, which takes a missing offset to mean **UTC**;
//! - everything else without an offset (`2021-12-08`, `2021-12-08 10:18`, a quoted timestamp, the
//!   date in the file name) goes through Ruby's `Time.parse`, which uses the **site's time zone**;
//! - the result is then converted to the site's time zone (`Time#localtime`), and the permalink's
//!   `:year/:month/:day` are taken from that.
//!
//! So on a site with `timezone: Asia/Shanghai`, `date: 2021-12-08 20:00:00` is published at
//! `/2021/12/09/…`. [`NaiveDates::Jekyll`] reproduces this so that indexed URLs match the real
//! site; [`NaiveDates::Timezone`] reads every offset-less date in the site's zone instead, for
//! sites built by something that does.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// How to read a date that has no UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NaiveDates {
    /// As Jekyll does: unquoted `YYYY-MM-DD HH:MM:SS` is UTC, other forms are site time.
    #[default]
    Jekyll,
    /// Every offset-less date is in the site's time zone.
    Timezone,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("`{0}` is not a date Jekyll can read (expected YYYY-MM-DD, optionally HH:MM[:SS] and an offset like +08:00)")]
pub struct DateError(pub String);

/// A date with an optional offset, as written.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Written {
    local: NaiveDateTime,
    offset: Option<FixedOffset>,
    has_seconds: bool,
}

/// Reads a front matter `date` value and returns it in the site's time zone.
pub fn parse_front_matter(text: &str, quoted: bool, zone: Tz, naive: NaiveDates) -> Result<DateTime<Tz>, DateError> {
    let written = parse_written(text.trim()).ok_or_else(|| DateError(text.to_string()))?;
    let instant = match written.offset {
        Some(offset) => offset
            .from_local_datetime(&written.local)
            .single()
            .ok_or_else(|| DateError(text.to_string()))?
            .with_timezone(&Utc),
        None if naive == NaiveDates::Jekyll && !quoted && written.has_seconds => Utc.from_utc_datetime(&written.local),
        None => local_to_utc(written.local, zone),
    };
    Ok(instant.with_timezone(&zone))
}

/// The date at the start of a Jekyll post's file name (`2021-12-08` → midnight in the site's zone). A two-digit
/// year is read as Ruby's `Time.parse` reads it: 69–99 are 1969–1999, 00–68 are 2000–2068 (`24-03-09` → 2024).
pub fn parse_file_name_date(year: &str, month: &str, day: &str, zone: Tz) -> Option<DateTime<Tz>> {
    let mut full_year: i32 = year.parse().ok()?;
    if year.len() == 2 {
        full_year += if full_year >= 69 { 1900 } else { 2000 };
    }
    let date = NaiveDate::from_ymd_opt(full_year, month.parse().ok()?, day.parse().ok()?)?;
    Some(local_to_utc(date.and_time(NaiveTime::MIN), zone).with_timezone(&zone))
}

/// A wall-clock time in `zone` as an instant. Ruby picks the earlier of two ambiguous times and
/// moves a time that falls in a DST gap forward by the gap; both are reproduced.
fn local_to_utc(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(time) => time.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        LocalResult::None => {
            let offset_before = zone.offset_from_utc_datetime(&(local - chrono::Duration::days(1)));
            let offset_before = chrono::Offset::fix(&offset_before);
            match offset_before.from_local_datetime(&local) {
                LocalResult::Single(time) => time.with_timezone(&Utc),
                _ => Utc.from_utc_datetime(&local),
            }
        }
    }
}

/// `YYYY-MM-DD` or `YYYY/MM/DD`, then optionally `[T ]HH:MM[:SS[.frac]]`, then optionally an offset
/// (`Z`, `UTC`, `GMT`, `+8`, `+08`, `+0800`, `+08:00`), white space allowed before the offset.
fn parse_written(text: &str) -> Option<Written> {
    let mut cursor = Cursor { rest: text };
    let year = cursor.digits(4, 4)?;
    let separator = cursor.one_of(&['-', '/'])?;
    let month = cursor.digits(1, 2)?;
    cursor.expect(separator)?;
    let day = cursor.digits(1, 2)?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;

    let mut time = NaiveTime::MIN;
    let mut has_seconds = false;
    let before_time = cursor.rest;
    if cursor.one_of(&['T', 't']).is_some() || cursor.spaces() > 0 {
        if let Some(hour) = cursor.digits(1, 2) {
            cursor.expect(':')?;
            let minute = cursor.digits(2, 2)?;
            let mut second = 0;
            let mut nanos = 0;
            if cursor.expect(':').is_some() {
                second = cursor.digits(2, 2)?;
                has_seconds = true;
                if cursor.expect('.').is_some() {
                    nanos = cursor.fraction_nanos();
                }
            }
            time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
        } else {
            cursor.rest = before_time;
        }
    }

    cursor.spaces();
    let offset = cursor.offset()?;
    cursor.spaces();
    if !cursor.rest.is_empty() {
        return None;
    }
    Some(Written { local: date.and_time(time), offset, has_seconds })
}

struct Cursor<'a> {
    rest: &'a str,
}

impl Cursor<'_> {
    fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let count = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        if count < min || count > max {
            return None;
        }
        let value = self.rest[..count].parse().ok()?;
        self.rest = &self.rest[count..];
        Some(value)
    }

    fn one_of(&mut self, chars: &[char]) -> Option<char> {
        let c = self.rest.chars().next().filter(|c| chars.contains(c))?;
        self.rest = &self.rest[c.len_utf8()..];
        Some(c)
    }

    fn expect(&mut self, c: char) -> Option<()> {
        self.one_of(&[c]).map(|_| ())
    }

    fn spaces(&mut self) -> usize {
        let trimmed = self.rest.trim_start_matches([' ', '\t']);
        let count = self.rest.len() - trimmed.len();
        self.rest = trimmed;
        count
    }

    fn fraction_nanos(&mut self) -> u32 {
        let count = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        let digits = &self.rest[..count];
        self.rest = &self.rest[count..];
        let mut nanos = 0u32;
        for (i, b) in digits.bytes().take(9).enumerate() {
            nanos += u32::from(b - b'0') * 10u32.pow(8 - i as u32);
        }
        nanos
    }

    /// `Ok(None)` when there is no offset; `None` when there is something that is not one.
    fn offset(&mut self) -> Option<Option<FixedOffset>> {
        for utc in ["Z", "z", "UTC", "GMT"] {
            if let Some(rest) = self.rest.strip_prefix(utc) {
                self.rest = rest;
                return Some(FixedOffset::east_opt(0));
            }
        }
        let sign = match self.one_of(&['+', '-']) {
            None => return Some(None),
            Some('+') => 1,
            Some(_) => -1,
        };
        let digits = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        let (hours, mut minutes) = match digits {
            1 | 2 => (self.digits(digits, digits)?, 0),
            4 => {
                let both = self.digits(4, 4)?;
                (both / 100, both % 100)
            }
            _ => return None,
        };
        if digits <= 2 && self.expect(':').is_some() {
            minutes = self.digits(2, 2)?;
        }
        if hours > 23 || minutes > 59 {
            return None;
        }
        let seconds = sign * i32::try_from(hours * 3600 + minutes * 60).ok()?;
        Some(Some(FixedOffset::east_opt(seconds)?))
    }
}

/// RFC 3339 with the post's offset, seconds precision: the form the index stores.
pub fn to_rfc3339(date: &DateTime<Tz>) -> String {
    date.fixed_offset().to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

    fn read(text: &str, quoted: bool, naive: NaiveDates) -> String {
        to_rfc3339(&parse_front_matter(text, quoted, SHANGHAI, naive).unwrap())
    }

    #[test]
    fn offsets_are_kept_as_instants_and_shown_in_the_site_zone() {
        assert_eq!(read("2022-01-26 09:29:35 +0800", false, NaiveDates::Jekyll), "2022-01-26T09:29:35+08:00");
        assert_eq!(read("2024-08-08 22:44:26 -0700", false, NaiveDates::Jekyll), "2024-08-09T13:44:26+08:00");
        assert_eq!(read("2021-12-08T10:18:31Z", false, NaiveDates::Jekyll), "2021-12-08T18:18:31+08:00");
        assert_eq!(read("2021-12-08 10:18:31 +08:00", false, NaiveDates::Jekyll), "2021-12-08T10:18:31+08:00");
        assert_eq!(read("2021-12-08 10:18:31 +8", false, NaiveDates::Jekyll), "2021-12-08T10:18:31+08:00");
    }

    #[test]
    fn naive_timestamps_follow_jekyll() {
        // Unquoted with seconds: UTC, as SafeYAML's DateTime.parse reads it.
        assert_eq!(read("2021-12-08 10:18:31", false, NaiveDates::Jekyll), "2021-12-08T18:18:31+08:00");
        assert_eq!(read("2021-12-08 20:00:00", false, NaiveDates::Jekyll), "2021-12-09T04:00:00+08:00");
        // Quoted, or without seconds, or a bare date: Time.parse in the site's zone.
        assert_eq!(read("2021-12-08 10:18:31", true, NaiveDates::Jekyll), "2021-12-08T10:18:31+08:00");
        assert_eq!(read("2021-12-08 10:18", false, NaiveDates::Jekyll), "2021-12-08T10:18:00+08:00");
        assert_eq!(read("2021-12-08", false, NaiveDates::Jekyll), "2021-12-08T00:00:00+08:00");
        // The other policy reads them all in the site's zone.
        assert_eq!(read("2021-12-08 20:00:00", false, NaiveDates::Timezone), "2021-12-08T20:00:00+08:00");
    }

    #[test]
    fn other_spellings() {
        assert_eq!(read("2021/12/8 9:05:00.250", true, NaiveDates::Jekyll), "2021-12-08T09:05:00+08:00");
        assert_eq!(read(" 2021-1-2 ", false, NaiveDates::Jekyll), "2021-01-02T00:00:00+08:00");
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for text in [
            "",
            " +0800",
            "+0800",
            "yesterday",
            "2021-13-01",
            "2021-02-30",
            "2021-12-08 25:00",
            "2021-12-08 10:18:31 +0800 extra",
            "2021-12-08 +99",
        ] {
            assert!(parse_front_matter(text, false, SHANGHAI, NaiveDates::Jekyll).is_err(), "{text:?}");
        }
    }

    #[test]
    fn file_name_dates_are_midnight_in_the_site_zone() {
        let date = parse_file_name_date("2021", "12", "8", SHANGHAI).unwrap();
        assert_eq!(to_rfc3339(&date), "2021-12-08T00:00:00+08:00");
        assert!(parse_file_name_date("2021", "02", "30", SHANGHAI).is_none());
        let two_digits = |year| to_rfc3339(&parse_file_name_date(year, "03", "09", SHANGHAI).unwrap());
        assert_eq!(two_digits("24"), "2024-03-09T00:00:00+08:00");
        assert_eq!(two_digits("68"), "2068-03-09T00:00:00+08:00");
        assert_eq!(two_digits("69"), "1969-03-09T00:00:00+08:00");
    }

    #[test]
    fn dst_gaps_and_overlaps_do_not_fail() {
        let new_york = chrono_tz::America::New_York;
        let gap = parse_front_matter("2021-03-14 02:30", false, new_york, NaiveDates::Jekyll).unwrap();
        assert_eq!(to_rfc3339(&gap), "2021-03-14T03:30:00-04:00");
        let overlap = parse_front_matter("2021-11-07 01:30", false, new_york, NaiveDates::Jekyll).unwrap();
        assert_eq!(to_rfc3339(&overlap), "2021-11-07T01:30:00-04:00");
    }
}
