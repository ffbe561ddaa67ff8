//! Phrases: two of jieba's words that stand together so often that readers take them for one word. jieba's
//! dictionary (2013) cuts 一带一路 into 一带 + 一路, 英伟达 into 英 + 伟达, 高质量发展 into 高质量 + 发展, so none
//! of them was a word of the vocabulary: typing 一带 completed to nothing and `yidaiyilu` found nothing, on a
//! corpus where 一带一路 is in 1,235 posts.
//!
//! While the posts are cut, [`PhraseCounter`] counts in how many posts each pair of adjacent Chinese words occurs
//! (the vocabulary counts the words on their own). A pair becomes a phrase when it is in at least [`MIN_POSTS`]
//! posts and its words mostly come together: the geometric mean of P(the second follows the first) and P(the first
//! precedes the second), over posts, is at least [`MIN_COHESION`] (一带一路 0.91, 英伟达 0.84, 高质量发展 0.46;
//! 的节录 0.03, 日下午 0.19), and it stands free: see [`free_standing`]. Phrases join the vocabulary, which
//! completions, pinyin and the splitting of unspaced queries use; what a search matches never depends on it
//! (characters and bigrams do).
//!
//! The counts are kept per shard behind a mutex, so that every thread converting posts adds to them, and they are
//! sums: the phrases do not depend on the order the posts were cut in. They count every post that was cut, also
//! the rare one skipped afterwards for sharing its URL with another.

use std::sync::Mutex;

use aho_corasick::AhoCorasick;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// A phrase is in at least this many posts.
pub const MIN_POSTS: u32 = 5;
/// The least geometric mean of P(second | first) and P(first | second), over posts.
pub const MIN_COHESION: f64 = 0.3;
/// A phrase's length in characters.
const PHRASE_CHARS: std::ops::RangeInclusive<usize> = 3..=6;
/// The largest share of a phrase's occurrences one character may come before, or after.
pub const MAX_SAME_NEIGHBOUR: f64 = 0.75;
/// Single characters jieba leaves between words (particles, prepositions, measure and time words): a pair starting
/// with one of them is a fragment of a sentence (日下午, 的节录), not a phrase.
const FUNCTION_CHARACTERS: &str =
    "的了在是和与及等于也都就将对把被从向为以而并或很又还更最已日月年下上中内后前时个这那其之所着过地得你我他她它们有无不没要会能可让给到说";
const SHARD_BITS: u32 = 4;
const SHARDS: usize = 1 << SHARD_BITS;

/// Counts, across posts, the pairs of adjacent Chinese words, and the single characters that may start one; see
/// the module doc. The posts each word of two characters or more is in are the vocabulary's counts, which the
/// pipeline has anyway: [`PhraseCounter::phrases`] takes them.
pub struct PhraseCounter {
    /// Per shard (the hash's top bits).
    pairs: Vec<Mutex<Pairs>>,
    /// A single character that may start a phrase → the posts jieba cut it out of as a word of its own.
    characters: Mutex<FxHashMap<char, u32>>,
}

#[derive(Default)]
struct Pairs {
    /// A pair's hash → the posts it is in.
    posts: FxHashMap<u64, u32>,
    /// A pair's hash → its text and the byte length of its first word, for the pairs in [`MIN_POSTS`] posts or
    /// more (a million pairs of the corpus's 1.25 million are in fewer).
    texts: FxHashMap<u64, (Box<str>, u8)>,
}

impl Default for PhraseCounter {
    fn default() -> Self {
        PhraseCounter { pairs: (0..SHARDS).map(|_| Mutex::default()).collect(), characters: Mutex::default() }
    }
}

/// What one post adds to the counts: its pairs (with their hashes) and single-character words, each counted once.
#[derive(Default)]
pub struct PostPhrases<'a> {
    pairs: Vec<(u64, &'a str, &'a str)>,
    characters: Vec<char>,
}

impl<'a> PostPhrases<'a> {
    /// Adds the words of one line, in the order jieba cut them.
    pub fn add_line(&mut self, words: &[&'a str]) {
        for (i, &first) in words.iter().enumerate() {
            let mut chars = first.chars();
            let (Some(c), single) = (chars.next(), chars.next().is_none()) else { continue };
            // A single character may start a phrase (英伟达, 净买入) but not end one (资金净 of 资金净买入), and a
            // particle, preposition or time word starts none.
            if !is_chinese(c) || (single && FUNCTION_CHARACTERS.contains(c)) || !first.chars().all(is_chinese) {
                continue;
            }
            if single {
                self.characters.push(c);
            }
            let Some(&second) = words.get(i + 1) else { continue };
            let second_chars = second.chars().count();
            if second_chars >= 2
                && second.chars().all(is_chinese)
                && PHRASE_CHARS.contains(&(first.chars().count() + second_chars))
            {
                self.pairs.push((hash_of(first, second), first, second));
            }
        }
    }
}

fn is_chinese(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// FNV-1a of the two words with a separator: the same on every run, so the shards and the kept texts are too.
fn hash_of(first: &str, second: &str) -> u64 {
    let bytes = first.bytes().chain([0xFF]).chain(second.bytes());
    bytes.fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Locks a shard; a thread that panicked while holding it left counts that are still counts.
fn lock<T>(shard: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    shard.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl PhraseCounter {
    /// Adds one post's pairs and single characters (each once, however often the post has it).
    pub fn add_post(&self, mut post: PostPhrases<'_>) {
        // By hash, so that each shard (the hash's top bits) is locked once, and a pair's copies come together.
        post.pairs.sort_unstable_by_key(|&(hash, _, _)| hash);
        post.pairs.dedup_by_key(|&mut (hash, _, _)| hash);
        let shard_of = |hash: u64| (hash >> (64 - SHARD_BITS)) as usize;
        for group in post.pairs.chunk_by(|a, b| shard_of(a.0) == shard_of(b.0)) {
            let mut shard = lock(&self.pairs[shard_of(group[0].0)]);
            for &(hash, first, second) in group {
                let posts = shard.posts.entry(hash).or_default();
                *posts += 1;
                if *posts == MIN_POSTS {
                    shard.texts.insert(hash, ([first, second].concat().into(), first.len() as u8));
                }
            }
        }
        post.characters.sort_unstable();
        post.characters.dedup();
        let mut characters = lock(&self.characters);
        for c in post.characters {
            *characters.entry(c).or_default() += 1;
        }
    }

    /// The phrases, with the number of posts each is in, sorted; `posts_with` tells in how many posts jieba cut a
    /// word of two characters or more.
    pub fn phrases(self, posts_with: impl Fn(&str) -> u32) -> Vec<(String, u32)> {
        let characters = lock(&self.characters);
        let mut phrases: Vec<(String, u32)> = Vec::new();
        for shard in &self.pairs {
            let shard = lock(shard);
            for (hash, (text, split)) in &shard.texts {
                let posts = shard.posts.get(hash).copied().unwrap_or(0);
                let (first, second) = text.split_at(usize::from(*split));
                let mut chars = first.chars();
                let with_first = match (chars.next(), chars.next()) {
                    (Some(c), None) => characters.get(&c).copied().unwrap_or(0),
                    _ => posts_with(first),
                };
                let with_second = posts_with(second);
                if with_first == 0 || with_second == 0 {
                    continue;
                }
                let cohesion =
                    (f64::from(posts) / f64::from(with_first) * f64::from(posts) / f64::from(with_second)).sqrt();
                if cohesion >= MIN_COHESION {
                    phrases.push((text.to_string(), posts));
                }
            }
        }
        phrases.sort_unstable();
        phrases
    }
}

/// Of `phrases`, those that stand free in `texts`: no one character comes before (or after) more than
/// [`MAX_SAME_NEIGHBOUR`] of its occurrences. A pair that always sits inside the same longer string is a piece of
/// it that jieba cut badly, however cohesive: 发现金红利 of 不派发现金红利, 粤港澳大湾 of 粤港澳大湾区, 国元首 of
/// 两国元首, 每周值得 of a weekly's standing 这里记录每周值得分享的科技内容.
pub fn free_standing<'a>(
    phrases: Vec<(String, u32)>,
    texts: impl ParallelIterator<Item = &'a str>,
) -> Vec<(String, u32)> {
    let Ok(finder) = AhoCorasick::new(phrases.iter().map(|(text, _)| text)) else { return phrases };
    let neighbours = texts
        .fold(
            || vec![Neighbours::default(); phrases.len()],
            |mut counts, text| {
                for found in finder.find_overlapping_iter(text) {
                    let counts = &mut counts[found.pattern().as_usize()];
                    counts.occurrences += 1;
                    // Where nothing Chinese is beside it (the text's edge, punctuation, a number), no neighbour.
                    if let Some(before) = text[..found.start()].chars().next_back().filter(|&c| is_chinese(c)) {
                        *counts.before.entry(before).or_default() += 1;
                    }
                    if let Some(after) = text[found.end()..].chars().next().filter(|&c| is_chinese(c)) {
                        *counts.after.entry(after).or_default() += 1;
                    }
                }
                counts
            },
        )
        .reduce(
            || vec![Neighbours::default(); phrases.len()],
            |mut all, part| {
                for (all, part) in all.iter_mut().zip(part) {
                    all.occurrences += part.occurrences;
                    for (c, n) in part.before {
                        *all.before.entry(c).or_default() += n;
                    }
                    for (c, n) in part.after {
                        *all.after.entry(c).or_default() += n;
                    }
                }
                all
            },
        );
    phrases
        .into_iter()
        .zip(neighbours)
        .filter(|(_, neighbours)| {
            let most = |counts: &FxHashMap<char, u32>| counts.values().copied().max().unwrap_or(0);
            let limit = f64::from(neighbours.occurrences) * MAX_SAME_NEIGHBOUR;
            f64::from(most(&neighbours.before)) <= limit && f64::from(most(&neighbours.after)) <= limit
        })
        .map(|(phrase, _)| phrase)
        .collect()
}

/// The Chinese characters beside a phrase's occurrences.
#[derive(Clone, Default)]
struct Neighbours {
    occurrences: u32,
    before: FxHashMap<char, u32>,
    after: FxHashMap<char, u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(posts: &[&[&[&str]]]) -> Vec<(String, u32)> {
        let counter = PhraseCounter::default();
        // What the vocabulary counts: the posts each word is in.
        let mut posts_with: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        for lines in posts {
            let mut post = PostPhrases::default();
            for line in lines.iter() {
                post.add_line(line);
            }
            counter.add_post(post);
            let mut words: Vec<&str> = lines.iter().flat_map(|line| line.iter().copied()).collect();
            words.sort_unstable();
            words.dedup();
            for word in words {
                *posts_with.entry(word).or_default() += 1;
            }
        }
        counter.phrases(|word| posts_with.get(word).copied().unwrap_or(0))
    }

    #[test]
    fn words_that_come_together_make_a_phrase() {
        let mut posts: Vec<&[&[&str]]> = vec![&[&["推进", "一带", "一路", "建设"]]; 5];
        // 推进 and 建设 stand in many other posts: 推进一带 and 一路建设 are no phrases.
        let elsewhere: &[&[&str]] = &[&["推进", "，"], &["建设"]];
        posts.extend(std::iter::repeat_n(elsewhere, 100));
        assert_eq!(count(&posts), [("一带一路".to_string(), 5)]);
    }

    #[test]
    fn a_pair_in_fewer_posts_than_the_minimum_is_no_phrase_however_often_one_post_has_it() {
        let post: &[&[&str]] = &[&["一带", "一路"], &["一带", "一路"], &["一带", "一路"], &["一带", "一路"]];
        assert!(count(&vec![post; MIN_POSTS as usize - 1]).is_empty());
        assert_eq!(count(&vec![post; MIN_POSTS as usize]), [("一带一路".to_string(), MIN_POSTS)]);
    }

    #[test]
    fn function_characters_latin_words_and_long_or_short_pairs_make_no_phrase() {
        let lines: &[&[&str]] = &[
            &["的", "节录"],
            &["iPhone", "手机"],
            &["中华人民共和国", "成立"],
            &["马", "上"],
            &["英", "伟达"],
            &["北向", "资金", "净", "买入"],
        ];
        let phrases: Vec<String> = count(&[lines; 6]).into_iter().map(|(text, _)| text).collect();
        assert_eq!(phrases, ["净买入", "北向资金", "英伟达"]);
    }

    #[test]
    fn the_counts_do_not_depend_on_the_order_of_the_posts() {
        let a: &[&[&str]] = &[&["一带", "一路"]];
        let b: &[&[&str]] = &[&["一带", "一路", "倡议"]];
        let c: &[&[&str]] = &[&["一路", "平安"]];
        let forward = count(&[a, b, c, a, b, c, a, b, c, a, b, c, a, b, c]);
        let backward = count(&[c, b, a, c, b, a, c, b, a, c, b, a, c, b, a]);
        assert_eq!(forward, backward);
        assert!(forward.contains(&("一带一路".to_string(), 10)), "{forward:?}");
    }
    #[test]
    fn a_pair_cut_two_ways_is_two_pairs() {
        // 愿同马方 cut as 愿 + 同马方 once and as 愿同 + 马方 five times: two pairs, the one in 5 posts a phrase,
        // whatever the order (one count keyed by the text made it 6 posts, split as its first post was).
        let elsewhere: &[&[&str]] = &[&["愿"]];
        let cut_as_two: &[&[&str]] = &[&["愿同", "马方"]];
        let mut posts: Vec<&[&[&str]]> = vec![&[&["愿", "同马方"]]];
        posts.extend([cut_as_two; 5]);
        posts.extend([elsewhere; 100]);
        let forward = count(&posts);
        posts.swap(0, 1);
        assert_eq!(count(&posts), forward);
        assert_eq!(forward, [("愿同马方".to_string(), 5)]);
    }

    #[test]
    fn a_phrase_always_beside_the_same_character_is_a_piece_of_a_longer_string() {
        let phrases = vec![("一带一路".to_string(), 4), ("发现金红利".to_string(), 4), ("鲁比奥".to_string(), 3)];
        let texts = [
            "推进一带一路建设，公司不派发现金红利。",
            "一带一路倡议；本公司不派发现金红利",
            "共建一带一路。国务卿鲁比奥说",
            "一带一路：不派发现金红利，鲁比奥",
            "国务卿鲁比奥称。",
        ];
        // 发现金红利 comes after 派 every time; 鲁比奥 after 卿 two times in three (no more than 75 %); the edge of a
        // text and punctuation count as no neighbour.
        let kept = free_standing(phrases, texts.into_par_iter());
        assert_eq!(kept, [("一带一路".to_string(), 4), ("鲁比奥".to_string(), 3)]);
    }
}
