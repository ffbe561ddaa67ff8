//! Duplicate stories: the same news published by several feeds, found at build time and shown once.
//!
//! Each post's folded body, reduced to its letters, digits and Chinese characters, is cut into overlapping
//! 4-character shingles; a MinHash signature estimates the Jaccard similarity of two posts' shingle sets, and
//! locality-sensitive hashing (bands of the signature) proposes candidate pairs so that not every pair is compared.
//! Posts published within [`WINDOW_SECONDS`] of each other whose estimated similarity reaches [`SIMILARITY`] join
//! one cluster (union-find), represented by its newest post. Feeds that wrap the same text in different boilerplate
//! (`财联社8月1日电，…`, `【标题】…`) still match, since the shared text dominates the shingles; the time window keeps
//! apart what a template repeats every day (`人民币兑美元中间价…`) and yearly events told in the same words.

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
/// Posts with fewer characters than this are too short to call duplicates (a headline alone, an empty body).
const MIN_CHARS: usize = 20;
/// Feeds carry the same story within hours; the same words a day apart are a new day's item.
pub const WINDOW_SECONDS: i64 = 6 * 3600;

/// For each post (in id order, with its publication time), the id of the newest post telling the same story
/// (itself when it is unique).
pub fn clusters(texts: &[&str], timestamps: &[i64]) -> Vec<u32> {
    let signatures: Vec<Option<[u64; HASHES]>> = texts.par_iter().map(|text| signature(text)).collect();
    let mut parent: Vec<u32> = (0..texts.len() as u32).collect();
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
                    let close = timestamps[a as usize].abs_diff(timestamps[b as usize]) <= WINDOW_SECONDS as u64;
                    if let (Some(sa), Some(sb), true) = (&signatures[a as usize], &signatures[b as usize], close) {
                        if similarity(sa, sb) >= SIMILARITY {
                            union(&mut parent, a, b);
                        }
                    }
                }
            }
        }
    }
    (0..texts.len() as u32).map(|doc| find(&mut parent, doc)).collect()
}

fn signature(text: &str) -> Option<[u64; HASHES]> {
    let chars: Vec<char> = normalize(text).chars().filter(|c| c.is_alphanumeric()).collect();
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
        let base = shingle.iter().fold(0x9E37_79B9_7F4A_7C15u64, |h, &c| mix(h ^ c as u64));
        for (slot, seed) in signature.iter_mut().zip(&seeds) {
            *slot = (*slot).min(mix(base ^ seed));
        }
    }
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

    #[test]
    fn same_story_from_two_feeds_clusters() {
        let story = "国家统计局今日发布数据显示，7月份全国规模以上工业增加值同比增长5.7%，环比增长0.38%。1—7月份，规模以上工业增加值同比增长6.3%。";
        let a = format!("财联社8月15日电，{story}");
        let b = format!("【7月规上工业增加值同比增长5.7%】{story}");
        let other = "中国人民银行今日开展了1000亿元7天期逆回购操作，中标利率为1.40%，与此前持平。今日有1200亿元逆回购到期，实现净回笼200亿元。";
        let clusters = clusters(&[&a, other, &b, "太短"], &[3600, 3000, 2000, 1000]);
        assert_eq!(clusters, [0, 1, 0, 3]);
    }

    #[test]
    fn the_same_words_a_day_later_are_another_story() {
        let fixing =
            "中国人民银行授权中国外汇交易中心公布，今日银行间外汇市场人民币汇率中间价为1美元对人民币7.1234元。";
        let next_day = fixing.replace("7.1234", "7.1301");
        assert_eq!(clusters(&[fixing, &next_day], &[86_400, 0]), [0, 1]);
        assert_eq!(clusters(&[fixing, &next_day], &[3_600, 0]), [0, 0]);
    }
}
