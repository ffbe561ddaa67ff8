//! Duplicate stories: the same news published by several feeds, found at build time and shown once.
//!
//! Each post's folded body, reduced to its letters, digits and Chinese characters, is cut into overlapping
//! 4-character shingles; a MinHash signature estimates the Jaccard similarity of two posts' shingle sets, and
//! locality-sensitive hashing (bands of the signature) proposes candidate pairs so that not every pair is compared.
//! Posts published within [`WINDOW_SECONDS`] of each other whose estimated similarity reaches [`SIMILARITY`] join
//! one cluster (union-find), represented by its newest post. Feeds that wrap the same text in different boilerplate
//! (`财联社8月1日电，…`, `【标题】…`) still match, since the shared text dominates the shingles; the time window keeps
//! apart what a template repeats every day (`人民币兑美元中间价…`) and yearly events told in the same words.
//!
//! Jaccard similarity misses a story that one feed carries as its first paragraph and another in full: the shorter
//! text is inside the longer, yet a small part of their union (0.24 for a pair on 王毅 and 卢胡特; on the real corpus
//! 1,571 of the 2,030 cross-feed pairs with one headline under 0.6 had over 80 % of the shorter text in the longer).
//! So posts with the same headline (folded, letters and digits only) within the window also join when at least
//! [`CONTAINMENT`] of the shorter body's shingles are in the longer, counted exactly: on the whole bodies, or on what
//! follows the headline a body opens with (`【标题】…`, which one feed repeats and another does not). Only posts
//! sharing a headline are compared, so this costs a fraction of the MinHash search (0.17 s of one core against
//! 1.0 s on the 44,760-post corpus). A headline in common is not enough alone (`国内联播快讯` recurs daily,
//! `南海部分海域进行军事训练 禁止驶入` twice a day with other dates and places, 0.77 inside); and containment without
//! a headline in common folded different news on that corpus: a short market flash into the round-up that quotes it
//! (`美股三大指数集体低开…` holding `英特尔跌超5%`), or one tick of a template into the next
//! (`A50期货夜盘收跌0.32%` inside the next morning's `开盘下跌0.52%，…夜盘收跌0.32%`).
//!
//! Both rules also matched the ticks of a template, which are different news: a running total
//! (`南向资金净买入额达110亿港元`, then `120亿`…), the turnover crossing `1万亿` then `1.5万亿`, the typhoon bulletins
//! of 06时 and 10时; union-find chained them into stories of up to 11 posts that hid real posts by default. So a pair
//! joins only when its figures agree, and two stories only when every post of one agrees with every post of the
//! other, so that no chain forms through a pair refused, nor through a post that leaves the figure out
//! (`净买入额达多亿港元` agrees with `140亿` and with `130亿`, which do not agree). A text's figures are its numbers, each with the unit after it that says what it counts (`万`, `亿` and
//! `万亿` scale a count; `%`, `‰`, hours (`时`, or `点` as in `5点钟`), `分`, `日`, `月`, `年` are units of their
//! own). Two texts disagree when each has a figure the other lacks: one text's figures all in the other's is a first
//! paragraph against the full text, or a feed leaving a detail out. A figure is in the other text as the same number,
//! or the same rounded: the less precise is within one unit of its last digit of the other, and precise enough for
//! that to be rounding rather than another value, with three digits or more (`52.22亿` against `52.23亿`, two feeds'
//! sums of one day's figures) or with decimals the other has more of (`6.75` for `6.7525`, `18.51万` for `185,083`);
//! `1万亿` against `1.5万亿`, `12%` against `13%` stay apart. Not read as figures: a year or month that opens a date
//! (`2026年8月17日` is `17日`, as another feed writes it), the days around either post's date (`财联社8月11日电`
//! against `8月11日，…`, or the day before for news told past midnight), the `【headline】` a text opens with (its
//! `超400亿` sums up the body's `400.9亿`), numbers touching a Latin letter, which are names (`DDR4`, `A50`, `5G`,
//! the ticker `002703.SZ`), and numbers of more than 40 digits (ids). Each figure is looked up among the other text's
//! by binary search, so that a table of many figures costs near-linear time. On the real corpus the check, then per
//! pair only, refused 270 of the 8,288 pairs the two rules found, and split 69 stories: 53 were ticks of a template
//! or other news (every chain above; the largest stories now have 5 posts), 12 true duplicates with a figure of its
//! own on each side (a typo, `2915万亿` for `291.5万亿`; a ticker in one and a sentence more in the other), 4 one moment
//! quoted a tick apart by two feeds (`现涨0.19%`, `盘初涨0.18%`).
//!
//! On that corpus the rules fold 6,898 posts (7,011 before figures were compared), 92.9 % of its stories told by
//! several finance feeds whole (unchanged), and 95.1 % of the groups of feeds with one headline within an hour
//! (95.3 %): `node bench/suggest/duplicates.mjs` (bench/README.md); comparing stories whole, not pair by pair, left
//! these counts as they were.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::normalize::normalize;

const SHINGLE: usize = 4;
/// 128 hashes: with 64 the similarity estimate of a real pair at 0.8 fell below the threshold too often.
const HASHES: usize = 128;
const BANDS: usize = 32;
const ROWS: usize = HASHES / BANDS;
/// Estimated Jaccard similarity from which two posts tell the same story.
pub const SIMILARITY: f32 = 0.6;
/// Posts with fewer characters than this are too short to call duplicates by their text alone (a headline alone,
/// an empty body).
const MIN_CHARS: usize = 20;
/// Feeds carry the same story within hours; the same words a day apart are a new day's item.
pub const WINDOW_SECONDS: i64 = 6 * 3600;
/// Share of the shorter body's shingles found in the longer from which two posts with the same headline tell the
/// same story. On the real corpus every such pair from 0.8 up was one story (numbers missing from one side were
/// dates written `17日` against `8月17日`, or rounded prices); the first pair of a template under other numbers
/// came at 0.77.
pub const CONTAINMENT: f32 = 0.8;
/// Under the headline the body may be short, down to the headline repeated (`英伟达低开高走转涨。`): it is compared
/// from this many characters.
const MIN_CHARS_SAME_HEADLINE: usize = 8;
/// Posts with the same headline compared with each post, the nearest in time first: a site that gives every post
/// one title stays linear.
const SAME_HEADLINE_REACH: usize = 32;

/// A post as the duplicate search sees it.
#[derive(Debug, Clone, Copy)]
pub struct Post<'a> {
    pub title: &'a str,
    pub text: &'a str,
    /// Seconds since the Unix epoch.
    pub timestamp: i64,
}

/// For each post (in id order), the id of the newest post telling the same story (itself when it is unique).
pub fn clusters(posts: &[Post]) -> Vec<u32> {
    let mut pairs: Vec<(u32, u32)> =
        similar_pairs(posts).into_iter().chain(contained_pairs(posts)).map(|(a, b)| (a.min(b), a.max(b))).collect();
    pairs.sort_unstable();
    pairs.dedup();
    // Most posts are in no pair: only those that are are read for figures.
    let mut paired = vec![false; posts.len()];
    for &(a, b) in &pairs {
        paired[a as usize] = true;
        paired[b as usize] = true;
    }
    let figures: Vec<Option<Figures>> = posts
        .par_iter()
        .zip(paired.par_iter())
        .map(|(post, &paired)| paired.then(|| Figures::of(post.text, post.timestamp)))
        .collect();
    let figures_of = |doc: u32| figures[doc as usize].as_ref().expect("a post in a pair has its figures read");
    // Figures agreeing is not transitive (`多亿` agrees with `140亿` and with `130亿`): two stories join only when
    // every post of one agrees with every post of the other. Each story's root keeps its posts, one per distinct
    // figures (posts with the same figures agree with the same posts): a story of many copies compares as one.
    let mut parent: Vec<u32> = (0..posts.len() as u32).collect();
    let mut members: Vec<Vec<u32>> = (0..posts.len() as u32)
        .zip(&paired)
        .map(|(doc, &paired)| if paired { vec![doc] } else { Vec::new() })
        .collect();
    for (a, b) in pairs {
        let (root_a, root_b) = (find(&mut parent, a), find(&mut parent, b));
        if root_a == root_b {
            continue;
        }
        let (story_a, story_b) = (&members[root_a as usize], &members[root_b as usize]);
        if story_a.iter().all(|&x| story_b.iter().all(|&y| figures_of(x).agree_with(figures_of(y)))) {
            // Joined under the smaller (newer) id.
            let (low, high) = (root_a.min(root_b), root_a.max(root_b));
            parent[high as usize] = low;
            for doc in std::mem::take(&mut members[high as usize]) {
                if !members[low as usize].iter().any(|&kept| figures_of(kept) == figures_of(doc)) {
                    members[low as usize].push(doc);
                }
            }
        }
    }
    (0..posts.len() as u32).map(|doc| find(&mut parent, doc)).collect()
}

fn within_window(a: &Post, b: &Post) -> bool {
    a.timestamp.abs_diff(b.timestamp) <= WINDOW_SECONDS as u64
}

/// Pairs whose estimated Jaccard similarity reaches [`SIMILARITY`] within the window.
fn similar_pairs(posts: &[Post]) -> Vec<(u32, u32)> {
    let signatures: Vec<Option<[u64; HASHES]>> = posts.par_iter().map(|post| signature(post.text)).collect();
    let mut pairs = Vec::new();
    for band in 0..BANDS {
        let mut buckets: HashMap<u64, Vec<u32>> = HashMap::new();
        for (doc, signature) in signatures.iter().enumerate() {
            let Some(signature) = signature else { continue };
            let rows = &signature[band * ROWS..(band + 1) * ROWS];
            let key = rows.iter().fold(band as u64, |h, &r| mix(h ^ r));
            buckets.entry(key).or_default().push(doc as u32);
        }
        for members in buckets.values().filter(|m| m.len() > 1) {
            // Every pair in small buckets; in the rare large ones (boilerplate) neighbours only, to stay linear.
            let reach = if members.len() <= 32 { members.len() } else { 2 };
            for (i, &a) in members.iter().enumerate() {
                for &b in members.iter().skip(i + 1).take(reach - 1) {
                    let close = within_window(&posts[a as usize], &posts[b as usize]);
                    if let (Some(sa), Some(sb), true) = (&signatures[a as usize], &signatures[b as usize], close) {
                        if similarity(sa, sb) >= SIMILARITY {
                            pairs.push((a, b));
                        }
                    }
                }
            }
        }
    }
    pairs
}

/// Pairs with the same headline within the window whose shorter body is at least [`CONTAINMENT`] inside the
/// longer.
fn contained_pairs(posts: &[Post]) -> Vec<(u32, u32)> {
    let mut by_headline: HashMap<String, Vec<u32>> = HashMap::new();
    for (doc, post) in posts.iter().enumerate() {
        let headline: String = normalize(post.title).chars().filter(|c| c.is_alphanumeric()).collect();
        if !headline.is_empty() {
            by_headline.entry(headline).or_default().push(doc as u32);
        }
    }
    let groups: Vec<(String, Vec<u32>)> = by_headline.into_iter().filter(|(_, group)| group.len() > 1).collect();
    groups.par_iter().flat_map_iter(|(headline, group)| contained_pairs_of_headline(posts, headline, group)).collect()
}

fn contained_pairs_of_headline(posts: &[Post], headline: &str, group: &[u32]) -> Vec<(u32, u32)> {
    let headline: Vec<char> = headline.chars().collect();
    let mut group = group.to_vec();
    group.sort_by_key(|&doc| posts[doc as usize].timestamp);
    let close = |i: usize, j: usize| within_window(&posts[group[i] as usize], &posts[group[j] as usize]);
    // A headline that recurs daily (国内联播快讯) has long bodies and no neighbour in the window: not shingled.
    let shingles: Vec<BodyShingles> = (0..group.len())
        .map(|i| {
            let has_neighbour = (i > 0 && close(i - 1, i)) || (i + 1 < group.len() && close(i, i + 1));
            if has_neighbour {
                BodyShingles::new(posts[group[i] as usize].text, &headline)
            } else {
                BodyShingles::default()
            }
        })
        .collect();
    let mut pairs = Vec::new();
    for (i, &a) in group.iter().enumerate() {
        for (j, &b) in group.iter().enumerate().skip(i + 1).take(SAME_HEADLINE_REACH) {
            if !within_window(&posts[a as usize], &posts[b as usize]) {
                break;
            }
            if shingles[i].containment(&shingles[j]) >= CONTAINMENT {
                pairs.push((a, b));
            }
        }
    }
    pairs
}

/// A body's shingles, for comparing posts under the same headline.
#[derive(Default)]
struct BodyShingles {
    whole: Vec<u64>,
    /// When the body opens with the headline (`【标题】…`), those of the rest.
    after_headline: Option<Vec<u64>>,
}

impl BodyShingles {
    fn new(text: &str, headline: &[char]) -> BodyShingles {
        let letters = letters(text);
        let after_headline = match letters.strip_prefix(headline) {
            Some(rest) if rest.len() >= MIN_CHARS_SAME_HEADLINE => Some(shingle_set(rest)),
            _ => None,
        };
        BodyShingles { whole: shingle_set(&letters), after_headline }
    }

    /// The share of the smaller body inside the other, with or without the headline a body opens with: one feed
    /// repeats it at the top (`【标题】…`) and another does not, which weighs much against a short first paragraph;
    /// a body that is little more than the headline is inside the other only with it.
    fn containment(&self, other: &BodyShingles) -> f32 {
        let whole = containment(&self.whole, &other.whole);
        if self.after_headline.is_none() && other.after_headline.is_none() {
            return whole;
        }
        whole.max(containment(self.after_headline_or_whole(), other.after_headline_or_whole()))
    }

    fn after_headline_or_whole(&self) -> &[u64] {
        self.after_headline.as_deref().unwrap_or(&self.whole)
    }
}

/// The numbers of a post's text, each with the unit after it that says what it counts (see the module doc).
#[derive(PartialEq)]
struct Figures {
    /// Sorted: by unit, then exponent, then mantissa.
    figures: Vec<Figure>,
    /// The runs of `figures` with one unit and one exponent.
    runs: Vec<std::ops::Range<usize>>,
    /// Days of the month around the post's date, which one feed names (`8月11日，…`, `当地时间11日`) and another
    /// leaves out.
    recent_days: [u128; 3],
}

/// A number as `mantissa` × 10^`exponent`: `18.51万` is 1851 × 10², `0.32%` is 32 × 10⁻² of unit `%`. Figures sort
/// by unit, exponent and mantissa.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Figure {
    /// `%`, `时` …; empty for a count, whatever its magnitude (`万`, `亿`).
    unit: &'static str,
    exponent: i32,
    mantissa: u128,
    /// Digits written, without leading zeros or trailing decimal zeros: how precise the number is.
    digits: u32,
    decimal_point: bool,
}

/// Units after a number and the power of ten they multiply it by: magnitudes are one unit, the count's, and
/// the others (percentages, times of day, dates) units of their own. `万亿` before `万`.
const UNITS: [(&str, &str, i32); 11] = [
    ("万亿", "", 12),
    ("亿", "", 8),
    ("万", "", 4),
    ("%", "%", 0),
    ("‰", "‰", 0),
    ("时", "时", 0),
    // `5点钟` is `05时` in another feed's words.
    ("点", "时", 0),
    ("分", "分", 0),
    ("年", "年", 0),
    ("月", "月", 0),
    ("日", "日", 0),
];

impl Figures {
    /// The figures of a post's text; `timestamp` is when it was published.
    fn of(text: &str, timestamp: i64) -> Figures {
        let folded: Vec<char> = normalize(text).chars().collect();
        // A 【headline】 opening the text sums up its figures (`超400亿` for `400.9亿`): only the body is read.
        let body_start = match folded.first() {
            Some('【') => folded.iter().position(|&c| c == '】').map_or(0, |end| end + 1),
            _ => 0,
        };
        // (figure, where it starts, where it and its unit end)
        let mut found: Vec<(Figure, usize, usize)> = Vec::new();
        let mut at = body_start;
        while at < folded.len() {
            if !folded[at].is_ascii_digit() {
                at += 1;
                continue;
            }
            let start = at;
            let (number, end) = read_number(&folded, at);
            let latin_at = |i: usize| folded.get(i).is_some_and(char::is_ascii_alphabetic);
            // A name (`DDR4`, `A50`, `5G`, `26H1` for `2026H1`, the ticker `002703.SZ` that one feed adds).
            let name = (start > 0 && latin_at(start - 1))
                || latin_at(end)
                || (folded.get(end) == Some(&'.') && latin_at(end + 1));
            let unit = UNITS.iter().find(|(written, _, _)| {
                written.chars().eq(folded[end..].iter().copied().take(written.chars().count()))
            });
            at = end + unit.map_or(0, |(written, _, _)| written.chars().count());
            let (unit, magnitude) = unit.map_or(("", 0), |&(_, unit, magnitude)| (unit, magnitude));
            if let Some(figure) = number.and_then(|number| Figure::new(&number, unit, magnitude)).filter(|_| !name) {
                found.push((figure, start, at));
            }
        }
        let mut figures: Vec<Figure> = Vec::with_capacity(found.len());
        for (index, (figure, _, end)) in found.iter().enumerate() {
            let next_unit = found.get(index + 1).filter(|(_, start, _)| start == end).map(|(next, _, _)| next.unit);
            // `2026年8月17日` is the day `17日`, as another feed writes it.
            let part_of_a_date = matches!((figure.unit, next_unit), ("年", Some("月")) | ("月", Some("日")));
            if !part_of_a_date {
                figures.push(figure.clone());
            }
        }
        figures.sort_unstable();
        figures.dedup();
        let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
        for (index, figure) in figures.iter().enumerate() {
            match runs.last_mut() {
                Some(run)
                    if figures[run.start].unit == figure.unit && figures[run.start].exponent == figure.exponent =>
                {
                    run.end = index + 1
                }
                _ => runs.push(index..index + 1),
            }
        }
        Figures { figures, runs, recent_days: recent_days_of_month(timestamp) }
    }

    /// Whether the figures of one text are all in the other, but for days around either post's date.
    fn agree_with(&self, other: &Figures) -> bool {
        let recent = |figure: &Figure| {
            figure.unit == "日"
                && figure.exponent == 0
                && (self.recent_days.contains(&figure.mantissa) || other.recent_days.contains(&figure.mantissa))
        };
        let inside = |a: &Figures, b: &Figures| a.figures.iter().all(|x| recent(x) || b.has_one_agreeing_with(x));
        inside(self, other) || inside(other, self)
    }

    /// Whether a figure of this text agrees with `x` ([`Figure::agrees_with`]), searched by binary search in each
    /// run of `x`'s unit rather than compared with every figure: two texts of 20,000 figures each (a table) cost
    /// milliseconds, not half a minute. A run's exponents are few (the magnitudes less the decimals written), and in
    /// each run only the figures that can agree are compared: where `x` is the coarser, the same value and the
    /// first within one unit of its last digit (any other agrees as that one does); where the run is coarser, the
    /// three mantissas around `x`'s value.
    fn has_one_agreeing_with(&self, x: &Figure) -> bool {
        let first = self.runs.partition_point(|run| self.figures[run.start].unit < x.unit);
        let runs = self.runs[first..].iter().take_while(|run| self.figures[run.start].unit == x.unit);
        runs.into_iter().any(|run| {
            let run = &self.figures[run.clone()];
            let from = |mantissa: u128| run.partition_point(|y| y.mantissa < mantissa);
            let agree_from = |index: usize, count: usize| run[index..].iter().take(count).any(|y| x.agrees_with(y));
            let exponent = run[0].exponent;
            if exponent <= x.exponent {
                // `x` the coarser: the same value, written with the run's decimals, or within `scale` of it.
                let Some(scale) = 10u128.checked_pow((x.exponent - exponent) as u32) else { return false };
                let Some(value) = x.mantissa.checked_mul(scale) else { return false };
                // Figures of one value in a run differ at most by their decimal point (`15万`, `0.0015亿`).
                agree_from(from(value), 2) || agree_from(from(value.saturating_sub(scale)), 1)
            } else {
                // The run the coarser: its mantissa is `x`'s value in its unit of last digit, rounded either way.
                let Some(scale) = 10u128.checked_pow((exponent - x.exponent) as u32) else { return false };
                let (low, high) = ((x.mantissa / scale).saturating_sub(1), x.mantissa / scale + 1);
                let start = from(low);
                let count = run[start..].iter().take_while(|y| y.mantissa <= high).count();
                agree_from(start, count)
            }
        })
    }
}

impl Figure {
    /// `number` as read (digits, at most one decimal point), `unit` and the power of ten it stands for; none for
    /// digits too many to be a figure (an id of 40 digits).
    fn new(number: &str, unit: &'static str, magnitude: i32) -> Option<Figure> {
        let (integer, fraction) = number.split_once('.').unwrap_or((number, ""));
        let fraction = fraction.trim_end_matches('0');
        let digits = format!("{integer}{fraction}");
        let digits = digits.trim_start_matches('0');
        Some(Figure {
            mantissa: if digits.is_empty() { 0 } else { digits.parse().ok()? },
            exponent: magnitude - fraction.len() as i32,
            digits: digits.len() as u32,
            decimal_point: !fraction.is_empty(),
            unit,
        })
    }

    /// The same number, or the same rounded: the less precise of the two is within one unit of its last digit of
    /// the other, and is precise enough for that to mean rounding, not another value: three digits or more
    /// (`28.05亿` against `28.06亿`, two feeds' sums of one day's figures), or decimals the other has more of
    /// (`9.5` for `9.5016`, `18.51万` for `185,083`). `1万亿` against `1.5万亿`, `12%` against `13%` stay apart.
    fn agrees_with(&self, other: &Figure) -> bool {
        if self.unit != other.unit {
            return false;
        }
        let (coarse, fine) = if self.exponent >= other.exponent { (self, other) } else { (other, self) };
        let Some(scale) = 10u128.checked_pow((coarse.exponent - fine.exponent) as u32) else { return false };
        let Some(coarse_scaled) = coarse.mantissa.checked_mul(scale) else { return false };
        let difference = coarse_scaled.abs_diff(fine.mantissa);
        difference == 0
            || (difference <= scale
                && (coarse.digits >= 3 || (coarse.decimal_point && coarse.exponent > fine.exponent)))
    }
}

/// The days of the month from the day before to the day after the UTC date of `timestamp`: the post's own date in
/// any time zone, and the day before it in those east of UTC (China's is UTC+8).
fn recent_days_of_month(timestamp: i64) -> [u128; 3] {
    let day = timestamp.div_euclid(86_400);
    [day - 1, day, day + 1].map(day_of_month)
}

/// The day of the month of a day counted from 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn day_of_month(days_since_epoch: i64) -> u128 {
    let shifted = days_since_epoch + 719_468;
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    (day_of_year - (153 * month_index + 2) / 5 + 1) as u128
}

/// Digits from which a number is no figure (an id): a figure's mantissa holds 39.
const MAX_DIGITS: usize = 40;

/// The number that starts at `start`: digits, one decimal point between digits, and commas between thousands
/// (`5,120`), none when it has more than [`MAX_DIGITS`] digits; and where it ends, read to its end in any case.
fn read_number(chars: &[char], start: usize) -> (Option<String>, usize) {
    let digit_at = |i: usize| chars.get(i).is_some_and(char::is_ascii_digit);
    let mut number = String::new();
    let (mut digits, mut seen_point) = (0, false);
    let mut at = start;
    while at < chars.len() {
        let c = chars[at];
        if c.is_ascii_digit() {
            digits += 1;
            if digits <= MAX_DIGITS {
                number.push(c);
            }
        } else if c == '.' && !seen_point && digit_at(at + 1) {
            seen_point = true;
            number.push('.');
        } else if c == ',' && !seen_point && (1..=3).all(|i| digit_at(at + i)) && !digit_at(at + 4) {
            // a thousands separator: skipped
        } else {
            break;
        }
        at += 1;
    }
    ((digits <= MAX_DIGITS).then_some(number), at)
}

/// The distinct shingles of a text's letters, hashed and sorted; none when it is too short to compare.
fn shingle_set(letters: &[char]) -> Vec<u64> {
    if letters.len() < MIN_CHARS_SAME_HEADLINE {
        return Vec::new();
    }
    let mut set: Vec<u64> = letters.windows(SHINGLE).map(shingle_hash).collect();
    set.sort_unstable();
    set.dedup();
    set
}

/// The share of the smaller set found in the larger (0 when either is empty).
fn containment(a: &[u64], b: &[u64]) -> f32 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f32 / smaller as f32
}

/// The folded text's letters, digits and Chinese characters: what shingles are cut from.
fn letters(text: &str) -> Vec<char> {
    normalize(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

fn signature(text: &str) -> Option<[u64; HASHES]> {
    let chars = letters(text);
    if chars.len() < MIN_CHARS {
        return None;
    }
    let mut signature = [u64::MAX; HASHES];
    min_hashes(&chars, &mut signature);
    Some(signature)
}

/// The MinHash loop is most of the time of a build's duplicate search (128 hashes for every character), and it
/// vectorizes well where the CPU multiplies 64-bit lanes: the same code is compiled for AVX-512 too and chosen at
/// run time. Both give the same signature.
fn min_hashes(chars: &[char], signature: &mut [u64; HASHES]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512dq") {
        // SAFETY: the CPU has the features the function is compiled for.
        unsafe { min_hashes_avx512(chars, signature) };
        return;
    }
    min_hashes_portable(chars, signature);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn min_hashes_avx512(chars: &[char], signature: &mut [u64; HASHES]) {
    min_hashes_portable(chars, signature);
}

#[inline(always)]
fn min_hashes_portable(chars: &[char], signature: &mut [u64; HASHES]) {
    let seeds: [u64; HASHES] = std::array::from_fn(|i| (i as u64).wrapping_mul(0xA076_1D64_78BD_642F));
    for shingle in chars.windows(SHINGLE) {
        let base = shingle_hash(shingle);
        for (slot, seed) in signature.iter_mut().zip(&seeds) {
            *slot = (*slot).min(mix(base ^ seed));
        }
    }
}

#[inline(always)]
fn shingle_hash(shingle: &[char]) -> u64 {
    shingle.iter().fold(0x9E37_79B9_7F4A_7C15u64, |h, &c| mix(h ^ c as u64))
}

fn similarity(a: &[u64; HASHES], b: &[u64; HASHES]) -> f32 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / HASHES as f32
}

/// A 64-bit finalizer (splitmix64): cheap and well mixed.
#[inline(always)]
fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post<'a>(title: &'a str, text: &'a str, timestamp: i64) -> Post<'a> {
        Post { title, text, timestamp }
    }

    #[test]
    fn same_story_from_two_feeds_clusters() {
        let story = "国家统计局今日发布数据显示，7月份全国规模以上工业增加值同比增长5.7%，环比增长0.38%。1—7月份，规模以上工业增加值同比增长6.3%。";
        let a = format!("财联社8月15日电，{story}");
        let b = format!("【7月规上工业增加值同比增长5.7%】{story}");
        let other = "中国人民银行今日开展了1000亿元7天期逆回购操作，中标利率为1.40%，与此前持平。今日有1200亿元逆回购到期，实现净回笼200亿元。";
        let posts = [post("", &a, 3600), post("", other, 3000), post("", &b, 2000), post("", "太短", 1000)];
        assert_eq!(clusters(&posts), [0, 1, 0, 3]);
    }

    #[test]
    fn the_same_words_a_day_later_are_another_story() {
        let fixing =
            "中国人民银行授权中国外汇交易中心公布，今日银行间外汇市场人民币汇率中间价为1美元对人民币7.1234元。";
        assert_eq!(clusters(&[post("", fixing, 86_400), post("", fixing, 0)]), [0, 1]);
        assert_eq!(clusters(&[post("", fixing, 3_600), post("", fixing, 0)]), [0, 0]);
        let next_day = fixing.replace("7.1234", "7.1301");
        assert_eq!(clusters(&[post("", fixing, 3_600), post("", &next_day, 0)]), [0, 1], "another rate");
    }

    const HEADLINE: &str = "王毅会见印尼国家经济委员会主席卢胡特";
    const FIRST_PARAGRAPH: &str =
        "当地时间8月21日，中共中央政治局委员、外交部长王毅在雅加达会见印尼国家经济委员会主席卢胡特。";
    const REST: &str = "王毅表示，中方愿同印尼一道，落实好两国元首达成的重要共识，推进共建“一带一路”高质量发展，\
        深化经贸、投资、基础设施、数字经济和绿色发展等领域合作，打造更多标志性项目。卢胡特表示，印尼高度重视对华关系，\
        愿同中方加强发展战略对接，欢迎更多中国企业赴印尼投资兴业，推动两国务实合作取得更多成果。";

    #[test]
    fn a_first_paragraph_folds_with_the_full_text_under_the_same_headline() {
        let full = format!("【{HEADLINE}】{FIRST_PARAGRAPH}{REST}");
        let (lead, whole) = (shingle_set(&letters(FIRST_PARAGRAPH)), shingle_set(&letters(&full)));
        let jaccard = containment(&lead, &whole) * lead.len() as f32 / whole.len() as f32;
        assert!(jaccard < SIMILARITY, "MinHash alone would not fold them ({jaccard})");
        let posts = [post(HEADLINE, &full, 600), post("王毅会见印尼国家经济委员会主席卢胡特。", FIRST_PARAGRAPH, 0)];
        assert_eq!(clusters(&posts), [0, 0]);
    }

    #[test]
    fn a_headline_repeated_as_the_body_folds_with_the_full_text() {
        let short = "英伟达低开高走转涨。";
        let full = "【英伟达低开高走转涨】英伟达低开高走转涨。瑞银表示，美国AI数据中心建设不会停摆，监管重点转向电力与成本分担。";
        let posts = [post("英伟达低开高走转涨", full, 60), post("英伟达低开高走转涨", short, 0)];
        assert_eq!(clusters(&posts), [0, 0]);
    }

    #[test]
    fn the_headline_repeated_at_the_top_of_a_body_does_not_count_against_it() {
        let headline = "美官员称美军向一艘与伊朗有关的船只开火";
        let first_paragraph =
            "【美官员称美军向一艘与伊朗有关的船只开火】美国《华尔街日报》11日援引一名美国官员的话报道称，\
            美军当日向一艘悬挂巴拿马国旗、与伊朗有关的船只开火。";
        let full =
            "美国《华尔街日报》11日援引一名美国官员的话报道称，美军当日向一艘悬挂巴拿马国旗、与伊朗有关的船只开火。\
            报道称，这名官员表示，该船“试图突破美国对伊朗港口的封锁”，一架美国军用直升机向该船船舵开火。\
            此后，该船“似乎试图将船员转移到另一艘民用船只上”。报道称，目前该事件尚无人员伤亡报告。";
        assert!(
            containment(&shingle_set(&letters(first_paragraph)), &shingle_set(&letters(full))) < CONTAINMENT,
            "the headline counted"
        );
        assert_eq!(clusters(&[post(headline, full, 120), post(headline, first_paragraph, 0)]), [0, 0]);
    }

    #[test]
    fn a_first_paragraph_outside_the_window_is_another_story() {
        let full = format!("{FIRST_PARAGRAPH}{REST}");
        let posts = [post(HEADLINE, &full, WINDOW_SECONDS), post(HEADLINE, FIRST_PARAGRAPH, 0)];
        assert_eq!(clusters(&posts), [0, 0]);
        let posts = [post(HEADLINE, &full, WINDOW_SECONDS + 1), post(HEADLINE, FIRST_PARAGRAPH, 0)];
        assert_eq!(clusters(&posts), [0, 1]);
    }

    #[test]
    fn the_first_paragraph_under_another_headline_stays_apart() {
        let full = format!("{FIRST_PARAGRAPH}{REST}");
        let posts = [post(HEADLINE, &full, 600), post("王毅在雅加达会见卢胡特", FIRST_PARAGRAPH, 0)];
        assert_eq!(clusters(&posts), [0, 1]);
    }

    #[test]
    fn a_template_under_the_same_headline_with_other_numbers_is_another_story() {
        // Two notices of one day on the real corpus, 4 hours apart: other issuer, other dates.
        let headline = "南海部分海域进行军事训练 禁止驶入";
        let morning =
            "【南海部分海域进行军事训练 禁止驶入】财联社8月11日电，据中国海事局网站消息，清澜海事局发布航行警告，\
            8月12日6时至8月14日18时30分，南海部分海域进行军事训练，禁止驶入。";
        let afternoon =
            "【南海部分海域进行军事训练 禁止驶入】财联社8月11日电，据中国海事局网站消息，三沙海事局发布航行警告，\
            8月11日6时至8月15日18时，南海部分海域进行军事训练，禁止驶入。";
        assert_eq!(clusters(&[post(headline, afternoon, 4 * 3600), post(headline, morning, 0)]), [0, 1]);
        assert!(
            !Figures::of(afternoon, 4 * 3600).agree_with(&Figures::of(morning, 0)),
            "the figures keep them apart too"
        );
    }

    fn posts_from<'a>(texts: &[(&'a str, &'a str, i64)]) -> Vec<Post<'a>> {
        texts.iter().map(|&(title, text, timestamp)| post(title, text, timestamp)).collect()
    }

    #[test]
    fn a_template_with_other_figures_is_another_story() {
        // The turnover crossing three thresholds on 8-07, newest first: one story before figures were compared.
        let posts = posts_from(&[
            (
                "沪深两市成交额突破2.5万亿 较上一日此时放量超1100亿",
                "【沪深两市成交额突破2.5万亿 较上一日此时放量超1100亿】财联社8月7日电，财联社盯盘数据显示，\
                沪深两市成交额突破2.5万亿，较上一日此时放量超1100亿，预计全天成交金额超2.6万亿。",
                1_786_085_260,
            ),
            (
                "沪深两市成交额突破1.5万亿 较上一日此时缩量超500亿",
                "【沪深两市成交额突破1.5万亿 较上一日此时缩量超500亿】财联社8月7日电，据财联社盯盘数据显示，\
                沪深两市成交额突破1.5万亿，较上一日此时缩量超500亿，预计全天成交金额超2.4万亿。",
                1_786_072_199,
            ),
            (
                "沪深两市成交额突破1万亿 较上一日此时缩量超50亿",
                "【沪深两市成交额突破1万亿 较上一日此时缩量超50亿】财联社8月7日电，据财联社盯盘数据显示，\
                沪深两市成交额突破1万亿，较上一日此时缩量超50亿，预计全天成交金额超2.3万亿。",
                1_786_068_943,
            ),
        ]);
        assert_eq!(clusters(&posts), [0, 1, 2]);
    }

    #[test]
    fn the_ticks_of_a_running_total_are_other_stories() {
        let posts = posts_from(&[
            ("", "财联社8月18日电，截至目前，南向资金净买入额达140亿港元。", 1_787_039_618),
            ("", "财联社8月18日电，截至目前，南向资金净买入额达130亿港元。", 1_787_038_569),
            ("", "财联社8月18日电，截至目前，南向资金净买入额达120亿港元。", 1_787_037_636),
            ("", "财联社8月18日电，截至目前，南向资金净买入额达110亿港元。", 1_787_035_731),
        ]);
        assert_eq!(clusters(&posts), [0, 1, 2, 3]);
    }

    #[test]
    fn a_post_without_the_figure_does_not_chain_two_that_disagree() {
        let tick = |amount: &str| {
            format!("财联社8月18日电，截至目前，南向资金净买入额达{amount}亿港元，创年内新高，市场情绪回暖明显。")
        };
        let (a, b, c) = (tick("140"), tick("多"), tick("130"));
        assert!(figures_agree(&a, &b) && figures_agree(&b, &c) && !figures_agree(&a, &c));
        let posts = posts_from(&[("", &a, 1_787_039_618), ("", &b, 1_787_039_000), ("", &c, 1_787_038_569)]);
        assert_eq!(clusters(&posts), [0, 0, 2]);
    }

    #[test]
    fn bulletins_of_other_hours_are_other_stories() {
        let ten = "【中央气象台8月9日10时发布台风红色预警】今年第13号台风“白海豚”（强台风级）的中心今天（9日）\
            上午10点钟位于浙江省温州市偏东方向大约215公里的东海南部海面上，就是北纬27.9度、东经122.9度，\
            中心附近最大风力有14级（45米/秒），中心最低气压为950百帕，七级风圈半径为300-450公里，\
            十级风圈半径为200-250公里，十二级风圈半径为100公里。";
        let six = "【白海豚将在舟山到福鼎一带登陆】中央气象台8月9日06时继续发布台风橙色预警：今年第13号台风“白海豚”\
            （强台风级）的中心今天（9日）早晨5点钟位于浙江省温州市偏东方向大约305公里的东海南部海面上，\
            就是北纬27.4度、东经123.7度，中心附近最大风力有14级（45米/秒），中心最低气压为950百帕，\
            七级风圈半径为350-450公里，十级风圈半径为220-250公里，十二级风圈半径为100公里。";
        let posts = [
            post("中央气象台8月9日10时发布台风红色预警", ten, 1_786_243_136),
            post("白海豚将在舟山到福鼎一带登陆", six, 1_786_231_674),
        ];
        assert_eq!(clusters(&posts), [0, 1]);
    }

    #[test]
    fn a_date_written_shorter_is_the_same_date() {
        let headline = "日本熊本地震已致39人死亡";
        let full_date = "【日本熊本地震已致39人死亡】财联社8月8日电，日本熊本县政府8日表示，截至目前，\
            7月28日发生的强震已造成39人死亡。";
        let day_only = "【日本熊本地震已致39人死亡】日本熊本县政府8日表示，截至目前，28日发生的强震已造成39人死亡。";
        assert_eq!(
            clusters(&[post(headline, full_date, 1_786_155_036), post(headline, day_only, 1_786_154_657)]),
            [0, 0]
        );
    }

    #[test]
    fn the_day_a_post_is_dated_or_the_day_before_may_be_left_out() {
        let dateline =
            "【东北地区跨度最大悬索桥主塔封顶 “黄金大外环”加速建设】财联社8月22日电，东北地区跨度最大的悬索桥\
            ——G331国道大久才江口特大桥主塔全部封顶，后续将转入上部结构施工阶段。G331国道全长约9333公里，\
            横跨东北、华北、西北6省区，是国家“十五五”规划沿边沿海“黄金大外环”的骨干通道。";
        let day_before = "8月21日，东北地区跨度最大的悬索桥——G331国道大久才江口特大桥主塔全部封顶，\
            后续将转入上部结构施工阶段。G331国道全长约9333公里，横跨东北、华北、西北6省区，\
            是国家“十五五”规划沿边沿海“黄金大外环”的骨干通道。（央视新闻）";
        let posts = [post("", day_before, 1_787_363_871), post("", dateline, 1_787_363_636)];
        assert_eq!(clusters(&posts), [0, 0]);
    }

    #[test]
    fn a_rounded_price_is_the_same_figure() {
        let rounded = "在岸人民币兑美元（CNY）北京时间03:00收报6.75元，较周四夜盘收盘涨3点。成交量382亿美元。";
        let precise = "【在岸人民币兑美元较周四夜盘收盘涨3点】财联社8月1日电，在岸人民币兑美元（CNY）北京时间03:00\
            收报6.7525元，较周四夜盘收盘涨3点。成交量382亿美元。";
        assert_eq!(clusters(&[post("", rounded, 1_785_524_813), post("", precise, 1_785_524_787)]), [0, 0]);
    }

    fn figures_agree(a: &str, b: &str) -> bool {
        const AUGUST_11: i64 = 1_786_406_400;
        Figures::of(a, AUGUST_11).agree_with(&Figures::of(b, AUGUST_11))
    }

    #[test]
    fn figures_agree_as_written_rounded_or_in_another_magnitude() {
        assert!(figures_agree("涨超9%，报206.58美元", "涨超9%，报206.58美元"));
        assert!(figures_agree("收报6.75元", "收报6.7525元"));
        assert!(figures_agree("亏损1.64亿美元", "亏损1.635亿美元"));
        assert!(figures_agree("减少52.22亿元", "减少52.23亿元"), "two feeds' sums, three digits");
        assert!(figures_agree("至18.51万手", "至185,083手"));
        assert!(figures_agree("06时发布", "6点钟发布"));
        assert!(figures_agree("2026年8月17日", "17日"));
        assert!(figures_agree("财联社8月11日电，涨5%", "10日晚涨5%"), "the post's date and the day before");
        assert!(figures_agree("DDR4价格上涨0.67%", "价格上涨0.67%"), "a name is not a figure");
        assert!(figures_agree("【出口超400亿元】出口400.9亿元", "出口400.9亿元"), "the headline is not read");
        assert!(figures_agree("涨5%", "涨5%，成交3亿元"), "one text's figures all in the other");
    }

    #[test]
    fn figures_disagree_when_each_text_has_one_the_other_lacks() {
        assert!(!figures_agree("突破1万亿", "突破1.5万亿"));
        assert!(!figures_agree("涨超12%", "涨超13%"));
        assert!(!figures_agree("跌0.69%", "跌0.72%"));
        assert!(!figures_agree("达110亿港元", "达120亿港元"));
        assert!(!figures_agree("06时发布", "10时发布"));
        assert!(!figures_agree("8月14日18时", "8月15日18时"));
        assert!(!figures_agree("110%", "110"), "another unit");
        assert!(!figures_agree("涨5%，成交3亿元", "涨5%，成交4亿元"));
    }

    /// Figures of many kinds for a text: counts, percentages, magnitudes, one to four decimals, some rounded.
    fn table(rows: usize, seed: u64) -> String {
        let mut state = seed;
        let mut next = |bound: u64| {
            state = mix(state);
            state % bound
        };
        let units = ["", "万", "亿", "%", "万亿", "时"];
        (0..rows)
            .map(|_| {
                let integer = next(1_000);
                let unit = units[next(units.len() as u64) as usize];
                match next(4) {
                    0 => format!("，{integer}{unit}"),
                    decimals => format!(
                        "，{integer}.{:0width$}{unit}",
                        next(10u64.pow(decimals as u32)),
                        width = decimals as usize
                    ),
                }
            })
            .collect()
    }

    #[test]
    fn a_figure_is_searched_as_if_compared_with_every_figure_of_the_other_text() {
        for seed in 0..20 {
            let (a, b) = (Figures::of(&table(200, seed), 0), Figures::of(&table(300, seed + 100), 0));
            for x in &a.figures {
                assert_eq!(b.has_one_agreeing_with(x), b.figures.iter().any(|y| x.agrees_with(y)), "{x:?}");
            }
        }
    }

    #[test]
    fn two_tables_of_20000_figures_compare_in_near_linear_time() {
        let rows: String = (1..=20_000).map(|row| format!("第{row}行：{row}.{}%，{}万；", row % 89, row * 3)).collect();
        let (a, b) = (format!("{rows}合计99999.5%"), format!("{rows}合计88888.5%"));
        let (a, b) = (Figures::of(&a, 0), Figures::of(&b, 0));
        assert!(a.figures.len() > 40_000);
        let started = std::time::Instant::now();
        assert!(!a.agree_with(&b) && a.agree_with(&a));
        // All against any took half a minute: 20,000 × 20,000 comparisons each way.
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
    }

    #[test]
    fn a_number_of_many_thousands_is_read_in_linear_time_and_is_no_figure() {
        let long = format!("涨5%，1{}元，跌3%", ",234".repeat(300_000));
        let started = std::time::Instant::now();
        let figures = Figures::of(&long, 0);
        assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
        assert!(figures.agree_with(&Figures::of("涨5%，跌3%", 0)) && figures.figures.len() == 2);
        assert_eq!(read_number(&"1,234.5,678".chars().collect::<Vec<_>>(), 0), (Some("1234.5".to_string()), 7));
        let digits: Vec<char> = "9".repeat(41).chars().collect();
        assert_eq!(read_number(&digits, 0), (None, 41));
    }

    #[test]
    fn a_headline_alone_does_not_fold() {
        let first = "国内联播快讯：国家发展改革委今天发布数据，上半年全国固定资产投资同比增长3.9%。";
        let second = "国内联播快讯：工业和信息化部今天召开会议，部署推进新型工业化和制造业数字化转型工作。";
        assert_eq!(clusters(&[post("国内联播快讯", second, 60), post("国内联播快讯", first, 0)]), [0, 1]);
    }
}
