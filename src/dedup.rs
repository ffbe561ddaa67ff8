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
//! On that corpus the two rules fold 6,900 posts (5,438 with similarity alone), and 88.8 % of its stories told by
//! several finance feeds whole (75.8 %): `node bench/suggest/duplicates.mjs` (bench/README.md).

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
    let mut parent: Vec<u32> = (0..posts.len() as u32).collect();
    for (a, b) in similar_pairs(posts) {
        union(&mut parent, a, b);
    }
    for (a, b) in contained_pairs(posts) {
        union(&mut parent, a, b);
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

/// Joins two clusters under the smaller (newer) id.
fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    let (low, high) = (ra.min(rb), ra.max(rb));
    parent[high as usize] = low;
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
        let next_day = fixing.replace("7.1234", "7.1301");
        assert_eq!(clusters(&[post("", fixing, 86_400), post("", &next_day, 0)]), [0, 1]);
        assert_eq!(clusters(&[post("", fixing, 3_600), post("", &next_day, 0)]), [0, 0]);
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
    }

    #[test]
    fn a_headline_alone_does_not_fold() {
        let first = "国内联播快讯：国家发展改革委今天发布数据，上半年全国固定资产投资同比增长3.9%。";
        let second = "国内联播快讯：工业和信息化部今天召开会议，部署推进新型工业化和制造业数字化转型工作。";
        assert_eq!(clusters(&[post("国内联播快讯", second, 60), post("国内联播快讯", first, 0)]), [0, 1]);
    }
}
