//! One post file to one search document: Jekyll's rules that tie the file name, front matter,
//! date, permalink and body together, and the fallbacks for posts that are not quite right.
//!
//! A post is skipped when Jekyll would not publish it at that URL (no date in its file name, no
//! front matter, unreadable…) and indexed with a warning when something is missing but a sensible
//! stand-in exists (an invalid `date` falls back to the file name's, an empty title to the first
//! heading or the first words of the text, an empty body is still searchable by title).

use std::borrow::Cow;

use chrono::DateTime;
use chrono_tz::Tz;
use jiansuo::build::Document;

use crate::date::{self, NaiveDates};
use crate::defaults::Defaults;
use crate::extract::{self, Format};
use crate::frontmatter::{self, FrontMatter};
use crate::kramdown;
use crate::liquid;
use crate::permalink;
use crate::posts::{self, PostFile};
use crate::report::{Location, Skip, SkipReason, Warning, WarningReason};
use crate::segment::Segmenter;

/// The site-wide settings a post's conversion depends on.
#[derive(Debug, Clone)]
pub struct Site {
    /// A permalink template (styles already resolved), known to be valid.
    pub permalink: String,
    pub base_url: String,
    pub timezone: Tz,
    pub naive_dates: NaiveDates,
    pub encoding: &'static encoding_rs::Encoding,
    /// Jekyll's `unpublished: true`: index posts marked `published: false` too.
    pub unpublished: bool,
    /// Posts dated after this instant (Unix seconds; the build's start) are not on the site: Jekyll's default
    /// `future: false`. `None` (`future: true`) indexes them.
    pub published_until: Option<i64>,
    pub max_post_bytes: u64,
    /// The config's front matter defaults, globbed in the site folder.
    pub defaults: Defaults,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            permalink: permalink::template_for_style("date"),
            base_url: String::new(),
            timezone: chrono_tz::Asia::Shanghai,
            naive_dates: NaiveDates::Jekyll,
            encoding: encoding_rs::UTF_8,
            unpublished: false,
            published_until: None,
            max_post_bytes: 64 * 1024 * 1024,
            defaults: Defaults::default(),
        }
    }
}

/// An indexed post and what was not quite right about it.
#[derive(Debug, Clone)]
pub struct Post {
    /// Its `words` are left empty: they are in `words` below, counted by the pipeline.
    pub document: Document,
    /// jieba's distinct words of the title and text, one per line (see [`Segmenter::words`]).
    pub words: String,
    pub warnings: Vec<Warning>,
    pub path: String,
}

/// The parts of a post's file name: Jekyll's `DATE_FILENAME_MATCHER`,
/// `(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$` on the last path component.
#[derive(Debug, PartialEq, Eq)]
pub struct FileName<'a> {
    pub year: &'a str,
    pub month: &'a str,
    pub day: &'a str,
    /// Trailing dots removed, as Jekyll 4 does.
    pub slug: &'a str,
    pub extension: &'a str,
    pub basename_without_ext: &'a str,
}

pub fn parse_file_name(name: &str) -> Option<FileName<'_>> {
    let name = name.rsplit('/').next().unwrap_or(name);
    let dot = name.rfind('.')?;
    let (stem, extension) = (&name[..dot], &name[dot..]);
    if extension.len() < 2 {
        return None;
    }
    let mut parts = stem.splitn(4, '-');
    let year = parts.next()?;
    let month = parts.next()?;
    let day = parts.next()?;
    let slug = parts.next()?;
    let digits =
        |s: &str, min: usize, max: usize| (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(year, 2, 4) && digits(month, 1, 2) && digits(day, 1, 2)) {
        return None;
    }
    Some(FileName { year, month, day, slug: slug.trim_end_matches('.'), extension, basename_without_ext: stem })
}

/// Turns one post file into a document, or says why it cannot be indexed.
pub fn convert(file: &PostFile, site: &Site, segmenter: &Segmenter) -> Result<Post, Skip> {
    convert_contents(file, || posts::read(file, site.max_post_bytes), site, segmenter)
}

/// [`convert`] with the file's bytes from `read`, called once the file name is known to be a post's: the way in
/// for the fuzz targets, which have no file.
pub fn convert_contents(
    file: &PostFile,
    read: impl FnOnce() -> Result<Vec<u8>, SkipReason>,
    site: &Site,
    segmenter: &Segmenter,
) -> Result<Post, Skip> {
    let skip = |line: u32, reason: SkipReason| Skip { at: Location::new(file.display.clone(), line), reason };
    let name = parse_file_name(&file.in_collection).ok_or_else(|| skip(1, SkipReason::NotDated))?;
    let bytes = read().map_err(|reason| skip(1, reason))?;
    let text = decode(&bytes, site.encoding).map_err(|(line, reason)| skip(line, reason))?;
    let split = frontmatter::split(&text).map_err(|error| skip(error.line(), error.into()))?;
    let defaults = site.defaults.for_post(file.in_site.as_deref());
    let front =
        frontmatter::parse_with_defaults(split.yaml, &defaults).map_err(|error| skip(error.line(), error.into()))?;
    if front.published == Some(false) && !site.unpublished {
        return Err(skip(1, SkipReason::Unpublished));
    }

    let mut warnings = Vec::new();
    let mut warn = |line: u32, reason: WarningReason| {
        warnings.push(Warning { at: Location::new(file.display.clone(), line), reason });
    };
    for ignored in &front.ignored {
        warn(ignored.line, WarningReason::IgnoredValue(ignored.value));
    }

    let date = post_date(&front, &name, site, &mut warn).map_err(|(line, reason)| skip(line, reason))?;
    if site.published_until.is_some_and(|now| date.timestamp() > now) {
        let line = front.date.as_ref().map_or(1, |date| match date {
            Ok(written) => written.line,
            Err(line) => *line,
        });
        return Err(skip(line, SkipReason::Future(date::to_rfc3339(&date))));
    }
    let categories = categories(file, &front);
    let tags = unique(front.tag.clone().unwrap_or_else(|| front.tags.clone()));
    let slug = front.slug.as_deref().unwrap_or(name.slug);
    let path_in_collection =
        format!("/{}", file.in_collection.strip_suffix(name.extension).unwrap_or(&file.in_collection));
    let output_ext = match file.format {
        Format::Markdown => ".html",
        Format::Html => name.extension,
    };
    let url_post = permalink::Post {
        date,
        slug,
        basename_without_ext: name.basename_without_ext,
        categories: &categories,
        path_in_collection: &path_in_collection,
        output_ext,
    };
    let front_permalink = front.permalink.as_ref();
    let url = permalink::url(&site.permalink, front_permalink.map(|p| p.value.as_str()), &url_post)
        .map_err(|error| skip(front_permalink.map_or(1, |p| p.line), error.into()))?;

    let body = if front.render_with_liquid == Some(false) { split.body.into() } else { liquid::strip(split.body) };
    let without_kramdown_markup = match file.format {
        Format::Markdown => match kramdown::strip(&body) {
            Cow::Owned(text) => Some(text),
            Cow::Borrowed(_) => None,
        },
        Format::Html => None,
    };
    let body = without_kramdown_markup.map_or(body, Cow::Owned);
    let extracted = extract::extract(&body, file.format);
    if extracted.text.is_empty() {
        warn(split.body_line, WarningReason::EmptyBody);
    }
    let title = match front.title.as_ref().map(|t| (t.value.trim(), t.line)) {
        Some((title, _)) if !title.is_empty() => title.to_string(),
        missing => {
            let stand_in = extracted
                .first_heading
                .clone()
                .or_else(|| extracted.text.lines().next().map(stand_in_title))
                .unwrap_or_else(|| titleize_slug(slug));
            warn(missing.map_or(1, |(_, line)| line), WarningReason::NoTitle(stand_in.clone()));
            stand_in
        }
    };

    let words = segmenter.words(&title, &extracted.text);
    let document = Document {
        url: permalink::with_base_url(&site.base_url, &url),
        title,
        date: date::to_rfc3339(&date),
        timestamp: date.timestamp(),
        categories,
        tags,
        text: extracted.text,
        words: Vec::new(),
    };
    Ok(Post { document, words, warnings, path: file.display.clone() })
}

/// The post's date, in the site's zone: front matter `date`, else the file name's.
fn post_date(
    front: &FrontMatter,
    name: &FileName,
    site: &Site,
    warn: &mut impl FnMut(u32, WarningReason),
) -> Result<DateTime<Tz>, (u32, SkipReason)> {
    let from_file_name = date::parse_file_name_date(name.year, name.month, name.day, site.timezone);
    let shown = |date: &DateTime<Tz>| date.format("%Y-%m-%d").to_string();
    match &front.date {
        None => from_file_name.ok_or((1, SkipReason::NoDate("no `date` in the front matter".into()))),
        Some(Err(line)) => match from_file_name {
            Some(date) => {
                warn(*line, WarningReason::EmptyDate(shown(&date)));
                Ok(date)
            }
            None => Err((*line, SkipReason::NoDate("`date` is empty".into()))),
        },
        Some(Ok(written)) => {
            match date::parse_front_matter(&written.value.text, written.value.quoted, site.timezone, site.naive_dates) {
                Ok(date) => Ok(date),
                Err(error) => match from_file_name {
                    Some(date) => {
                        warn(written.line, WarningReason::InvalidDate(error, shown(&date)));
                        Ok(date)
                    }
                    None => Err((written.line, SkipReason::NoDate(error.to_string()))),
                },
            }
        }
    }
}

/// Jekyll's merge: folder categories, then `categories`, then `category`, each once.
fn categories(file: &PostFile, front: &FrontMatter) -> Vec<String> {
    let mut all = file.folder_categories.clone();
    all.extend(front.categories.iter().cloned());
    all.extend(front.category.iter().cloned());
    unique(all)
}

fn unique(values: Vec<String>) -> Vec<String> {
    first_of_each(values.into_iter().filter(|value| !value.is_empty()))
}

/// Each value once, where it first comes. With a set: compared with each value before it, 40,000 tags took 2 s.
pub(crate) fn first_of_each(values: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    values.into_iter().filter(|value| seen.insert(value.clone())).collect()
}

/// Decodes a post: BOM removed, NUL bytes refused, the site's encoding applied.
fn decode(bytes: &[u8], encoding: &'static encoding_rs::Encoding) -> Result<String, (u32, SkipReason)> {
    let line_at = |offset: usize| -> u32 {
        let newlines = bytes[..offset.min(bytes.len())].iter().filter(|&&b| b == b'\n').count();
        u32::try_from(newlines + 1).unwrap_or(u32::MAX)
    };
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        let hint = " (it is UTF-16: convert it with `iconv -f UTF-16 -t UTF-8`)";
        return Err((1, SkipReason::NotUtf8 { hint }));
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        return Err((line_at(nul), SkipReason::Binary));
    }
    if encoding == encoding_rs::UTF_8 {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        return match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_string()),
            Err(error) => {
                let hint = if encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes).is_some()
                {
                    " (it reads as GBK/GB18030: convert it with `iconv -f GB18030 -t UTF-8`, or set `encoding: GBK` in _config.yml)"
                } else {
                    ""
                };
                Err((line_at(error.valid_up_to()), SkipReason::NotUtf8 { hint }))
            }
        };
    }
    let not_decodable = SkipReason::NotDecodable { encoding: encoding.name() };
    let mut decoder = encoding.new_decoder_with_bom_removal();
    let Some(capacity) = decoder.max_utf8_buffer_length_without_replacement(bytes.len()) else {
        return Err((1, not_decodable));
    };
    let mut text = String::with_capacity(capacity);
    match decoder.decode_to_string_without_replacement(bytes, &mut text, true) {
        (encoding_rs::DecoderResult::InputEmpty, _) => Ok(text),
        // `read` is just past the malformed bytes; the line is where they begin.
        (encoding_rs::DecoderResult::Malformed(malformed, _), read) => {
            Err((line_at(read.saturating_sub(usize::from(malformed))), not_decodable))
        }
        (encoding_rs::DecoderResult::OutputFull, _) => Err((1, not_decodable)),
    }
}

/// A post's title when it has neither a title nor a heading: the start of its first line, without the news
/// dateline that opens it (`财联社8月21日电，`, `央视网消息（新闻联播）：`) when what follows makes a title of
/// [`MIN_TITLE_CHARS`] or more. Only a prefix is dropped, so the title stays a piece of the text: a keyword that
/// finds the title finds the text too.
fn stand_in_title(line: &str) -> String {
    if let Some(after_dateline) = dateline_len(line).map(|len| &line[len..]) {
        let title = shorten(after_dateline);
        if title.chars().count() >= MIN_TITLE_CHARS {
            return title;
        }
    }
    shorten(line)
}

const MAX_TITLE_CHARS: usize = 60;

/// Shorter than this, the words after a dateline read as a fragment (`A股收涨`), and the dateline is kept.
const MIN_TITLE_CHARS: usize = 8;

/// The bytes of the dateline that opens `line`, with the separator and spaces after it. A dateline is a source
/// and place, a date and 电 or 讯 (`新华社北京8月21日电`, `《科创板日报》19日讯`, a newspaper's `本报讯` without a
/// date), or a date and 消息 (`8月1日消息`); then a credit in brackets (`（记者 张三）`) or a separator (，：space).
/// 消息 without a date needs the credit (`央视网消息（新闻联播）`): `市场消息：` and `据中国海事局网站消息，` say where
/// the news comes from, which the reader should see.
fn dateline_len(line: &str) -> Option<usize> {
    const MAX_SOURCE_CHARS: usize = 12;
    // `12 月 31 日`, spaced.
    const MAX_DATE_CHARS: usize = 10;
    for (at, _) in line.char_indices().take(MAX_SOURCE_CHARS + MAX_DATE_CHARS) {
        let head = &line[..at];
        let ends_clause = |c: char| is_sentence_end(c) || matches!(c, '，' | '、' | '；' | '：' | ',' | ';' | ':');
        if head.contains(ends_clause) {
            return None;
        }
        let Some((marker, after_marker)) =
            ["电", "讯", "消息"].into_iter().find_map(|marker| Some((marker, line[at..].strip_prefix(marker)?)))
        else {
            continue;
        };
        let (source, dated) = strip_date(head).map_or((head, false), |source| (source, true));
        let source = source.trim();
        let credit = credit_len(after_marker);
        let is_dateline = source.chars().count() <= MAX_SOURCE_CHARS
            && match marker {
                "电" => dated,
                "讯" => dated || source.ends_with('报'),
                _ => (dated && source.is_empty()) || (!source.is_empty() && credit > 0),
            };
        let after_credit = &after_marker[credit..];
        let separator = after_credit.chars().next().filter(|&c| is_clause_boundary(c) || matches!(c, ',' | ':'));
        if is_dateline && (credit > 0 || separator.is_some()) {
            let after_separator = &after_credit[separator.map_or(0, char::len_utf8)..];
            return Some(line.len() - after_separator.trim_start().len());
        }
    }
    None
}

/// `head` less the date that ends it (`8月21日`, `19日`, `8 月 1 日`; ASCII or full-width digits), or `None`.
fn strip_date(head: &str) -> Option<&str> {
    let before_day = strip_number_and(head, '日')?;
    Some(strip_number_and(before_day, '月').unwrap_or(before_day))
}

/// `text` less the one- or two-digit number and `unit` that end it, spaces around them included.
fn strip_number_and(text: &str, unit: char) -> Option<&str> {
    let number = text.trim_end().strip_suffix(unit)?.trim_end();
    let before = number.trim_end_matches(is_digit);
    (1..=2).contains(&number[before.len()..].chars().count()).then_some(before)
}

/// The bytes of the bracketed credit that starts `text` (`（记者 张三）`, `(新闻联播)`), or 0.
fn credit_len(text: &str) -> usize {
    const MAX_CREDIT_CHARS: usize = 30;
    let close = match text.chars().next() {
        Some('（') => '）',
        Some('(') => ')',
        _ => return 0,
    };
    text.char_indices().take(MAX_CREDIT_CHARS).find(|&(_, c)| c == close).map_or(0, |(at, c)| at + c.len_utf8())
}

/// The start of a line of text, short enough for a title: up to the first sentence end, or about 60 characters.
/// No ellipsis: the title is searched like the post's own text, and an ellipsis (NFKC `...`) would make `.` or `…`
/// find a post that has none.
fn shorten(line: &str) -> String {
    let sentence_end = line.char_indices().take(MAX_TITLE_CHARS).find(|&(_, c)| is_sentence_end(c));
    if let Some((end, _)) = sentence_end {
        if end > 0 {
            return line[..end].to_string();
        }
    }
    let Some((limit, _)) = line.char_indices().nth(MAX_TITLE_CHARS) else {
        return line.to_string();
    };
    let title = &line[..cut_before(line, limit)];
    // An opening bracket or quote whose words were cut off says nothing either.
    let trimmed = title.trim_end_matches(|c: char| {
        is_clause_boundary(c) || matches!(c, ',' | ';' | ':' | '（' | '(' | '【' | '《' | '“' | '「' | '[')
    });
    if trimmed.is_empty() { title } else { trimmed }.to_string()
}

/// Where to end a title that `limit` would cut: at a clause boundary when one is in the last third (a title of
/// 40 characters or more that ends where a clause does reads whole, where a cut word or number does not);
/// otherwise at `limit`, moved so as not to split a character from its marks, a unit after a `/`, or a number or
/// Latin word.
fn cut_before(line: &str, limit: usize) -> usize {
    const BOUNDARY_REACH: usize = MAX_TITLE_CHARS / 3;
    if line[limit..].starts_with(|c| is_clause_boundary(c) || is_sentence_end(c)) {
        return limit;
    }
    let boundary = line[..limit].char_indices().rev().take(BOUNDARY_REACH).find(|&(_, c)| is_clause_boundary(c));
    if let Some((at, _)) = boundary {
        return at;
    }
    outside_run(line, before_unit_slash(line, outside_cluster(line, limit)))
}

/// Not between a character and a mark that composes with it (`e` + U+0301 is é, ｶﾞ is ガ): the title would hold the
/// bare character, which the text does not. Back before the character, or, when marks run back to the line's first
/// character, on after them.
fn outside_cluster(line: &str, cut: usize) -> usize {
    let mark_at = |cut: usize| line[cut..].chars().next().filter(|&c| jiansuo::normalize::is_combining_mark(c));
    let mut before = cut;
    while mark_at(before).is_some() && char_before(line, before).is_some_and(|(at, _)| at > 0) {
        before = char_before(line, before).map_or(0, |(at, _)| at);
    }
    if mark_at(before).is_none() {
        return before;
    }
    let mut after = cut;
    while let Some(mark) = mark_at(after) {
        after += mark.len_utf8();
    }
    after
}

/// Not in a unit after a `/` between Chinese characters (`美元/盎司`, `元/吨`): a title ending in `美元/盎` names no
/// unit. A cut up to two characters past such a `/` moves before it, which covers units of up to three characters.
fn before_unit_slash(line: &str, cut: usize) -> usize {
    const MAX_UNIT_CHARS_CUT: usize = 2;
    let mut at = cut;
    for _ in 0..=MAX_UNIT_CHARS_CUT {
        match char_before(line, at) {
            Some((slash, '/' | '／')) => {
                let between_chinese = char_before(line, slash).is_some_and(|(_, c)| is_chinese(c))
                    && line[slash..].chars().nth(1).is_some_and(is_chinese);
                return if between_chinese { slash } else { cut };
            }
            Some((previous, c)) if is_chinese(c) => at = previous,
            _ => return cut,
        }
    }
    cut
}

/// Not inside a number or Latin word: `仓单2` of `仓单22580手`, `跌2.8` of `跌2.88%` show a wrong figure. Back to the
/// start of the run, or, when the run starts the line, on to its end, unless it goes on for more than a third of a
/// title (a link, a long code): then where the title ends, less a point, hyphen or slash that would be left dangling.
fn outside_run(line: &str, cut: usize) -> usize {
    const MAX_OVERRUN_CHARS: usize = MAX_TITLE_CHARS / 3;
    let mut start = cut;
    while splits_run(line, start) {
        start = char_before(line, start).map_or(0, |(at, _)| at);
    }
    if start > 0 {
        return start;
    }
    let mut end = cut;
    let mut overrun = 0;
    while splits_run(line, end) {
        if overrun == MAX_OVERRUN_CHARS {
            return line[..cut].trim_end_matches(['.', '．', '\u{2024}', '\u{FE52}', '-', '/', '／']).len();
        }
        end += line[end..].chars().next().map_or(0, char::len_utf8);
        overrun += 1;
    }
    end
}

/// Whether `line[..at]` and `line[at..]` split a run: ASCII or full-width letters and digits; a decimal point,
/// thousands separator, `/` or `:` between digits (`3.855`, `3,873`, `2026/27`, `10:30`; NFKC makes `．`, `․` and `﹒`
/// a `.` too); a hyphen between letters or digits (`F-16`, `QDII-LOF`, `60-70`); and a `%` or 万 or 亿 after a digit
/// (`2480亿` cut before 亿 would read as 2480).
fn splits_run(line: &str, at: usize) -> bool {
    let (Some((before_at, before)), Some(after)) = (char_before(line, at), line[at..].chars().next()) else {
        return false;
    };
    let before_before = char_before(line, before_at).map(|(_, c)| c);
    let after_after = line[at..].chars().nth(1);
    (is_alphanumeric(before) && is_alphanumeric(after))
        || run_joiner(after).is_some_and(|joins| joins(before) && after_after.is_some_and(joins))
        || run_joiner(before).is_some_and(|joins| joins(after) && before_before.is_some_and(joins))
        || (is_digit(before) && matches!(after, '%' | '％' | '‰' | '万' | '亿'))
}

/// For a character that joins two parts of a run, which characters it joins.
fn run_joiner(c: char) -> Option<fn(char) -> bool> {
    match c {
        '.' | '．' | '\u{2024}' | '\u{FE52}' | ',' | '/' | ':' => Some(is_digit),
        '-' => Some(is_alphanumeric),
        _ => None,
    }
}

fn char_before(line: &str, at: usize) -> Option<(usize, char)> {
    line[..at].char_indices().next_back()
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?')
}

/// Where a clause ends: white space and Chinese clause punctuation. The ASCII `,` and `:` are left out, as they also
/// sit inside numbers and times (`1,000`, `10:30`); in English they come with a space after them.
fn is_clause_boundary(c: char) -> bool {
    c.is_whitespace() || matches!(c, '，' | '、' | '；' | '：')
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_alphanumeric(c: char) -> bool {
    c.is_ascii_alphanumeric() || is_digit(c) || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)
}

fn is_chinese(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// `Utils.titleize_slug`: `hello-world` → `Hello World`.
fn titleize_slug(slug: &str) -> String {
    slug.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_tags_are_made_unique_in_linear_time() {
        let started = std::time::Instant::now();
        let tags: Vec<String> = (0..100_000).map(|i| format!("t{}", i % 60_000)).chain([String::new()]).collect();
        let unique = unique(tags);
        assert_eq!((unique.len(), unique[59_999].as_str()), (60_000, "t59999"));
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }

    /// cls-2458222.
    const WARRANTS: &str = "财联社8月19日电，广期所品种仓单及变化如下：碳酸锂期货仓单38608手，环比上个交易日增加1239手；多晶硅期货仓单22580手，环比上个交易日增加270手。";

    #[test]
    fn file_names_follow_jekylls_matcher() {
        let name = parse_file_name("sub/2021-12-08-科技.新闻..md").unwrap();
        assert_eq!(
            (name.year, name.month, name.day, name.slug, name.extension),
            ("2021", "12", "08", "科技.新闻", ".md")
        );
        assert_eq!(name.basename_without_ext, "2021-12-08-科技.新闻.");
        assert_eq!(parse_file_name("21-1-2-.html").unwrap().slug, "");
        for bad in [
            "-202205262391921712.md",
            "2021-12-08.md",
            "20211-12-08-a.md",
            "2021-123-08-a.md",
            "2021-12-08-a",
            "init.md",
        ] {
            assert_eq!(parse_file_name(bad), None, "{bad}");
        }
    }

    #[test]
    fn shortening_and_titleizing() {
        assert_eq!(shorten("财联社8月1日电，某公司发布公告。后续内容"), "财联社8月1日电，某公司发布公告");
        assert_eq!(shorten(&"长".repeat(70)), "长".repeat(60));
        // A run that starts the line goes whole, unless it runs on past a third of a title more.
        assert_eq!(shorten(&format!("{}，后续", "A".repeat(75))), "A".repeat(75));
        assert_eq!(shorten(&"A".repeat(500)), "A".repeat(60));
        assert_eq!(shorten(&format!("{}.5{}", "1".repeat(59), "1".repeat(100))), "1".repeat(59));
        assert_eq!(shorten(&"AB-".repeat(40)), "AB-".repeat(20).trim_end_matches('-'));
        assert_eq!(shorten(&format!("{}/{}", "1".repeat(59), "2".repeat(60))), "1".repeat(59));
        let long = |tail: &str| format!("{}{tail}", "长".repeat(58));
        // A number's point is never left dangling (`2.` of `2.2%`): the number goes whole.
        assert_eq!(shorten(&long("2.2%，后续内容")), long(""));
        assert_eq!(shorten(&long("２．２%，后续内容")), long(""));
        assert_eq!(shorten(&long("2.，后续内容")), long("2."));
        assert_eq!(shorten(&long("2\u{2024}5")), long(""));
        // Not between a character and its combining mark: `cafe` must not find a title the text has as café.
        let accented = format!("{}cafe\u{301}，后续", "长".repeat(56));
        assert_eq!(shorten(&accented), "长".repeat(56));
        let kana = format!("{}ｶﾞｿﾘﾝ", "长".repeat(59));
        assert_eq!(shorten(&kana), "长".repeat(59));
        let marks = format!("e{}x", "\u{301}".repeat(70));
        assert_eq!(shorten(&marks), format!("e{}", "\u{301}".repeat(70)));
        assert_eq!(shorten("！开头"), "！开头");
        assert_eq!(titleize_slug("hello-wORLD"), "Hello World");
    }

    #[test]
    fn a_cut_title_ends_at_a_clause_in_its_last_third() {
        // 60 characters ended in 多晶硅期货仓单2, of 22580手.
        assert_eq!(
            shorten(WARRANTS),
            "财联社8月19日电，广期所品种仓单及变化如下：碳酸锂期货仓单38608手，环比上个交易日增加1239手"
        );
        // cls-2444395: …西部数据跌2.8, of 2.88%.
        let drops = "财联社8月3日电，美股存储板块跌幅扩大，美光科技跌3.44%，SK海力士跌3.62%，闪迪跌3.89%，西部数据跌2.88%，希捷科技跌2.5%。";
        assert_eq!(
            shorten(drops),
            "财联社8月3日电，美股存储板块跌幅扩大，美光科技跌3.44%，SK海力士跌3.62%，闪迪跌3.89%"
        );
        // A sentence end or clause boundary right at the limit ends a title of the full length.
        let full = format!("{}。后续", "长".repeat(60));
        assert_eq!(shorten(&full), "长".repeat(60));
        // A boundary further back than the last third is not worth the words it would drop.
        let early = format!("{}，{}", "长".repeat(30), "短".repeat(40));
        assert_eq!(shorten(&early), format!("{}，{}", "长".repeat(30), "短".repeat(29)));
    }

    #[test]
    fn a_cut_title_keeps_numbers_and_latin_words_whole() {
        // cls-2457249: no clause boundary in the last third, and 60 characters ended in 从6, of 6.03%.
        let holding = "财联社8月18日电，香港交易所信息显示，GIC Private Limited在立讯精密H股的持股比例于08月13日从6.03%降至5.97%，卖出的平均股价为61.2654港元。";
        assert_eq!(
            shorten(holding),
            "财联社8月18日电，香港交易所信息显示，GIC Private Limited在立讯精密H股的持股比例于08月13日从"
        );
        let long = |chars: usize, tail: &str| format!("{}{tail}", "长".repeat(chars));
        for (chars, run) in [
            (58, "88%"),
            (58, "88％"),
            (56, "2480亿比索"),
            (57, "3,873美元"),
            (55, "2026/27年度"),
            (57, "10:30"),
            (56, "SIDECAR机制"),
            (59, "ＡＩ芯片"),
            (57, "F-16战机"),
        ] {
            assert_eq!(shorten(&long(chars, run)), long(chars, ""), "{run}");
        }
        // The bracket the cut word was in goes too: cls-2448210's …基金（QDII-LOF）.
        assert_eq!(shorten(&long(55, "（QDII-LOF）")), long(55, ""));
        assert_eq!(shorten(&long(55, "2480亿比索")), long(55, "2480亿"));
        // A run that starts the line is kept whole.
        let hash = "0123456789abcdef".repeat(5);
        assert_eq!(shorten(&format!("{hash}是哈希")), hash);
    }

    #[test]
    fn a_cut_title_keeps_a_unit_after_a_slash_whole() {
        // cls-2451018: …报65.06美元/盎, of 美元/盎司.
        let long = |chars: usize, tail: &str| format!("{}{tail}", "长".repeat(chars));
        assert_eq!(shorten(&long(57, "美元/盎司")), long(57, "美元"));
        assert_eq!(shorten(&long(56, "美元/盎司")), long(56, "美元"));
        assert_eq!(shorten(&long(55, "元/吨左右浮动")), long(55, "元/吨左右"));
        assert_eq!(shorten(&long(56, "a/b单位")), long(56, "a/b单"));
    }

    #[test]
    fn a_stand_in_title_drops_a_leading_dateline() {
        assert_eq!(
            stand_in_title(WARRANTS),
            "广期所品种仓单及变化如下：碳酸锂期货仓单38608手，环比上个交易日增加1239手；多晶硅期货仓单22580手"
        );
        let tablets = "《科创板日报》19日讯，国际数据公司IDC发布报告显示，2026年第二季度全球平板电脑出货量降至3361万台，环比下降5.2%，同比下降12.3%。";
        assert_eq!(
            stand_in_title(tablets),
            "国际数据公司IDC发布报告显示，2026年第二季度全球平板电脑出货量降至3361万台，环比下降5.2%"
        );
        let cctv = "央视网消息（新闻联播）：全国人大常委会委员长赵乐际8月21日上午在北京会见约旦国王阿卜杜拉二世。";
        assert_eq!(stand_in_title(cctv), "全国人大常委会委员长赵乐际8月21日上午在北京会见约旦国王阿卜杜拉二世");
        let datacenter = "8 月 18 日消息，阿里云在韩国的第三座数据中心正式上线。";
        assert_eq!(stand_in_title(datacenter), "阿里云在韩国的第三座数据中心正式上线");
        let xinhua = "新华社北京8月21日电（记者 张三）国务院新闻办公室21日举行新闻发布会。";
        assert_eq!(stand_in_title(xinhua), "国务院新闻办公室21日举行新闻发布会");
        let paper = "本报讯（记者 李四） 8月21日，全市首批智能网联公交线路开通。";
        assert_eq!(stand_in_title(paper), "8月21日，全市首批智能网联公交线路开通");
        // Too little follows it for a title.
        assert_eq!(stand_in_title("财联社8月1日电，A股收涨。"), "财联社8月1日电，A股收涨");
        // Where the news comes from is worth reading; and 电 or 讯 that start a word are no dateline.
        for line in [
            "据中国海事局网站消息，三亚海事局发布航行警告",
            "市场消息：特朗普继续推进解雇丽莎·库克的计划",
            "有消息称，两家公司正在商谈合并",
            "8月1日电网负荷创历史新高",
            "腾讯，阿里巴巴和百度股价上涨",
            "欧盟委员会发言人表示，欧盟将于8月末对进口自巴西的食品实施审计",
        ] {
            assert_eq!(stand_in_title(line), line);
        }
    }

    #[test]
    fn decoding() {
        assert_eq!(decode(b"\xef\xbb\xbf---\n", encoding_rs::UTF_8).unwrap(), "---\n");
        assert_eq!(decode(b"a\nb\0", encoding_rs::UTF_8).unwrap_err(), (2, SkipReason::Binary));
        let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 中文\n---\n正文");
        let (line, reason) = decode(&gbk, encoding_rs::UTF_8).unwrap_err();
        assert_eq!(line, 2);
        assert!(reason.to_string().contains("GBK"), "{reason}");
        assert_eq!(decode(&gbk, encoding_rs::GBK).unwrap(), "---\ntitle: 中文\n---\n正文");
        let mut broken = gbk.to_vec();
        broken.extend_from_slice(b"\n\xff\xff\n");
        assert_eq!(decode(&broken, encoding_rs::GBK).unwrap_err().0, 5);
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("---\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let (line, reason) = decode(&utf16, encoding_rs::UTF_8).unwrap_err();
        assert_eq!(line, 1);
        assert!(reason.to_string().contains("UTF-16"), "{reason}");
    }
}
